import { DataError } from './errors';
import { stratifiedSplit } from './split';
import type { DataSplit } from './types';

/** Copies the chosen rows of a flattened feature matrix into a new split. */
export function gatherRows(x: Float32Array, y: Int32Array, numFeatures: number, rows: ArrayLike<number>): DataSplit {
  const n = rows.length;
  const outX = new Float32Array(n * numFeatures);
  const outY = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    outX.set(x.subarray(r * numFeatures, (r + 1) * numFeatures), k * numFeatures);
    outY[k] = y[r];
  }
  return { x: outX, y: outY, n };
}

/** Test rows for a fraction, kept within 1..n-1 so that neither side is empty. */
export function testCountFor(n: number, testFraction: number): number {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new DataError(`the test fraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  }
  return Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
}

/**
 * A class with a single row can never be on both sides of the split: it would either be untrainable
 * or silently missing from the test accuracy.
 */
export function requireTwoRowsPerClass(y: Int32Array, classNames: string[], file?: string): void {
  const counts = new Array<number>(classNames.length).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  const k = counts.findIndex((c) => c < 2);
  if (k >= 0) {
    const rows = counts[k] === 1 ? '1 example' : `${counts[k]} examples`;
    throw new DataError(`class "${classNames[k]}" has ${rows}; each class needs at least 2 (one to train on, one to test on)`, {
      file,
    });
  }
}

/** Seeded stratified split of all rows by a test fraction. */
export function splitByFraction(
  x: Float32Array,
  y: Int32Array,
  numFeatures: number,
  testFraction: number,
  seed: number,
): { train: DataSplit; test: DataSplit } {
  const idx = stratifiedSplit(y, testCountFor(y.length, testFraction), seed);
  return { train: gatherRows(x, y, numFeatures, idx.train), test: gatherRows(x, y, numFeatures, idx.test) };
}
