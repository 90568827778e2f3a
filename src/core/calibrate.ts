import * as tf from '@tensorflow/tfjs';
import { adam } from './kernels/fused-adam';
import { hardCrossEntropy } from './losses';
import { createRng } from './rng';
import { minimizeStep, trainableVariables } from './tensors';
import type { BackendName } from './backend-names';

/** What a short measurement found on one device: remembered by the page, so later visits skip it. */
export interface Calibration {
  /** The probes' descriptions of the device: a new GPU or browser measures again. */
  deviceKey: string;
  /** Training samples per second on each backend measured, fastest first. */
  results: { name: BackendName; samplesPerSec: number }[];
  measuredAt: number;
}

export type Clock = () => number;

const BATCH = 64;
const FEATURES = 784;

/**
 * Training speed of the active backend on a small MNIST-sized MLP (784-128-10, batch 64, Adam):
 * two warm-up steps (shader compilation, first allocations), then steps until `budgetMs` has
 * passed (at least three), timed to the last read, so a GPU's queued work is counted.
 */
export async function measureTrainingSpeed(clock: Clock, budgetMs = 250): Promise<number> {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, inputShape: [FEATURES], activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.dense({ units: 10, kernelInitializer: init(2) }),
    ],
  });
  const rng = createRng(7);
  const x = tf.tensor2d(
    Float32Array.from({ length: BATCH * FEATURES }, () => rng()),
    [BATCH, FEATURES],
  );
  const y = tf.tensor1d(
    Int32Array.from({ length: BATCH }, (_, i) => i % 10),
    'int32',
  );
  const optimizer = adam(0.001);
  const vars = trainableVariables(model);
  const step = () =>
    tf.tidy(() => minimizeStep(optimizer, () => hardCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D), vars));
  const settle = async (loss: tf.Scalar) => {
    await loss.data();
    loss.dispose();
  };
  try {
    for (let i = 0; i < 2; i++) await settle(step());
    const start = clock();
    let steps = 0;
    let last: tf.Scalar | null = null;
    while (steps < 3 || clock() - start < budgetMs) {
      last?.dispose();
      last = step();
      steps++;
      if (steps % 4 === 0) await last.data(); // keep a GPU's queue short, so the clock reads finished work
    }
    if (last) await settle(last);
    const seconds = Math.max(clock() - start, 1e-3) / 1000;
    return (steps * BATCH) / seconds;
  } finally {
    optimizer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  }
}
