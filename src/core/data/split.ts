import { createRng, shuffleInPlace } from '../rng';

export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Stratified train/test split: each class contributes to the test set in proportion to its size,
 * with largest-remainder rounding so the test set has exactly `testCount` rows.
 */
export function stratifiedSplit(labels: ArrayLike<number>, testCount: number, seed: number): SplitIndices {
  const n = labels.length;
  if (!Number.isInteger(testCount) || testCount <= 0 || testCount >= n) {
    throw new Error(`Test set size must be between 1 and ${n - 1} rows, got ${testCount}.`);
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    const rows = byClass.get(c);
    if (rows) rows.push(i);
    else byClass.set(c, [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => ((byClass.get(c)?.length ?? 0) * testCount) / n);
  const quota = exact.map(Math.floor);
  let remaining = testCount - quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (remaining <= 0) break;
    quota[i]++;
    remaining--;
  }
  const rng = createRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((c, k) => {
    const rows = shuffleInPlace(byClass.get(c) ?? [], rng);
    test.push(...rows.slice(0, quota[k]));
    train.push(...rows.slice(quota[k]));
  });
  const sortAsc = (a: number, b: number) => a - b;
  return { train: Int32Array.from(train.sort(sortAsc)), test: Int32Array.from(test.sort(sortAsc)) };
}
