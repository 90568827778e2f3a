import * as tf from '@tensorflow/tfjs';
import { type Clock, LATENCY_REPEATS, measureLatencies } from './results';
import { predictorTeacher } from './teacher-model';

/**
 * Latency per sample at batch 1 and at batch 128, for the size sweep, measured as the Results
 * table measures it (core/results.ts measureLatencies: warmed up, passes timed in turn, the median
 * of repeated timings).
 */

/** One model alone needs no long interleaving against others; a sweep measures dozens of students. */
const SWEEP_BUDGET_MS = 250;

export interface BatchLatency {
  batch1: number;
  batch128: number;
}

/** `rows` must hold at least one row: batch 1 runs its first, batch 128 up to its first 128 (per sample: over the rows run). */
export async function measureBatchLatency(
  model: tf.LayersModel,
  rows: tf.Tensor2D,
  clock: Clock,
  repeats = LATENCY_REPEATS,
): Promise<BatchLatency> {
  const n = rows.shape[0];
  if (n < 1) throw new Error('Latency needs at least one row.');
  const one = tf.slice(rows, [0, 0], [1, rows.shape[1]]);
  const many = tf.slice(rows, [0, 0], [Math.min(128, n), rows.shape[1]]);
  try {
    const student = predictorTeacher(model);
    const [batch1] = await measureLatencies([student], one, clock, repeats, SWEEP_BUDGET_MS);
    const [batch128] = await measureLatencies([student], many, clock, repeats, SWEEP_BUDGET_MS);
    return { batch1: batch1.msPerSample, batch128: batch128.msPerSample };
  } finally {
    one.dispose();
    many.dispose();
  }
}
