import * as tf from '@tensorflow/tfjs';
import type { Clock } from './results';

/**
 * Latency per sample at batch 1 and at batch 128, for the size sweep. A local helper while the
 * Results table's measureLatency (core/results.ts) is being reworked: each batch size warmed up
 * first, their timings interleaved (so that a slow stretch of the device hits both alike), and the
 * median of the repeats reported.
 */

export const LATENCY_BATCHES = [1, 128] as const;
/** Single-row predictions timed together, so that one timing is well above the clock's resolution. */
const SINGLE_ROWS_PER_TIMING = 16;

export interface BatchLatency {
  batch1: number;
  batch128: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function predictOnce(model: tf.LayersModel, x: tf.Tensor2D): Promise<void> {
  const out = model.predict(x) as tf.Tensor;
  try {
    await out.data();
  } finally {
    out.dispose();
  }
}

/** `rows` must hold at least one row; batch 128 takes up to its first 128 (per sample: the time over the rows run). */
export async function measureBatchLatency(model: tf.LayersModel, rows: tf.Tensor2D, clock: Clock, repeats = 5): Promise<BatchLatency> {
  const n = rows.shape[0];
  if (n < 1) throw new Error('Latency needs at least one row.');
  const big = tf.slice(rows, [0, 0], [Math.min(128, n), rows.shape[1]]);
  const singles = Array.from({ length: SINGLE_ROWS_PER_TIMING }, (_, i) => tf.slice(rows, [i % n, 0], [1, rows.shape[1]]));
  try {
    const timeSingles = async () => {
      const start = clock.now();
      for (const row of singles) await predictOnce(model, row);
      return (clock.now() - start) / singles.length;
    };
    const timeBig = async () => {
      const start = clock.now();
      await predictOnce(model, big);
      return (clock.now() - start) / big.shape[0];
    };
    await timeSingles();
    await timeBig();
    const one: number[] = [];
    const many: number[] = [];
    for (let r = 0; r < repeats; r++) {
      one.push(await timeSingles());
      many.push(await timeBig());
    }
    return { batch1: median(one), batch128: median(many) };
  } finally {
    big.dispose();
    for (const row of singles) row.dispose();
  }
}
