import type * as tf from '@tensorflow/tfjs';
import type { Measurement, TimingOptions } from './types';

/** One repeatable unit of work: a training step, an inference batch, a matMul. */
export interface Steppable {
  /** Samples one step processes (GFLOP for the matMul), so that rate = units / second. */
  readonly unitsPerStep: number;
  /** Queues one step and returns a result that depends on it (the loss, the logits). */
  step(): tf.Tensor;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs `steps` steps back to back and waits for the last result: GPU backends only finish on a read. */
async function window(w: Steppable, steps: number): Promise<void> {
  let out = w.step();
  for (let i = 1; i < steps; i++) {
    out.dispose();
    out = w.step();
  }
  try {
    await out.data();
  } finally {
    out.dispose();
  }
}

/**
 * Median rate over timed windows after warm-up. Each window ends in a real read (`await data()`),
 * so queued GPU work is counted, and runs as many steps as fit in the target time, so that a
 * 5 ms step is not timed one by one and a 5 s step is not run a hundred times. The clock comes
 * from the caller: the engine has no DOM or worker globals.
 */
export async function measure(w: Steppable, options: TimingOptions, now: () => number): Promise<Measurement> {
  const { windows, warmupSteps, minWarmupMs, targetWindowMs } = options;
  if (!(windows >= 1 && warmupSteps >= 1)) throw new Error('Measuring needs at least one window and one warm-up step.');
  let estimateMs = 0;
  const warmupStart = now();
  for (let i = 0; i < warmupSteps || (now() - warmupStart < minWarmupMs && i < 200); i++) {
    const t0 = now();
    await window(w, 1);
    estimateMs = now() - t0; // the last warm-up step, past first-call costs, sizes the windows
  }
  const stepsPerWindow = Math.max(1, Math.min(1000, Math.round(targetWindowMs / Math.max(estimateMs, 0.01))));
  const times: number[] = [];
  for (let i = 0; i < windows; i++) {
    const t0 = now();
    await window(w, stepsPerWindow);
    times.push(Math.max(now() - t0, 1e-3));
  }
  const windowRates = times.map((ms) => (w.unitsPerStep * stepsPerWindow * 1000) / ms);
  const ms = median(times);
  return { rate: (w.unitsPerStep * stepsPerWindow * 1000) / ms, msPerStep: ms / stepsPerWindow, stepsPerWindow, windowRates };
}
