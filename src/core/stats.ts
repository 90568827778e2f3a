/** Statistics over a few seeds: means, spreads, and a paired Student-t interval with a plain verdict. */

/** Two-sided 95% quantiles of Student's t, t(0.975, df) for df = 1..30 (standard tables, 4 decimals). */
const T_975 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098,
  2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];

const Z_975 = 1.959964;

/** t(0.975, df); past the table, the Cornish–Fisher expansion around the normal quantile (error < 1e-3 from df 31). */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new Error(`Degrees of freedom must be a whole number ≥ 1, not ${df}.`);
  if (df <= T_975.length) return T_975[df - 1];
  const z = Z_975;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('The mean of no values is undefined.');
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** a[i] − b[i], pairing values measured on the same seed. */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error(`Paired values must match one to one (${a.length} and ${b.length}).`);
  return a.map((x, i) => x - b[i]);
}

export interface Interval {
  mean: number;
  low: number;
  high: number;
  /** Values it rests on. */
  n: number;
}

/** The 95% Student-t interval of the mean of `xs`; null below two values (no spread to estimate). */
export function tInterval95(xs: readonly number[]): Interval | null {
  if (xs.length < 2) return null;
  const m = mean(xs);
  const half = (tQuantile975(xs.length - 1) * sampleSd(xs)) / Math.sqrt(xs.length);
  return { mean: m, low: m - half, high: m + half, n: xs.length };
}

/** True when the interval lies wholly on one side of 0. */
export function excludesZero(interval: Interval): boolean {
  return interval.low > 0 || interval.high < 0;
}

export type Verdict = 'helped' | 'hurt' | 'no-difference' | 'one-seed';

export function verdictOf(interval: Interval | null): Verdict {
  if (!interval) return 'one-seed';
  if (interval.low > 0) return 'helped';
  if (interval.high < 0) return 'hurt';
  return 'no-difference';
}

/** The verdict as the page says it. */
export function verdictText(interval: Interval | null, seeds: number): string {
  switch (verdictOf(interval)) {
    case 'helped':
      return 'distillation helped';
    case 'hurt':
      return 'distillation hurt';
    case 'no-difference':
      return `no detectable difference at ${seeds} seeds`;
    case 'one-seed':
      return 'one seed: no interval, so no verdict (set Repeats to 2 or more)';
  }
}

export interface SeedAccuracies {
  seed: number;
  teacher: number;
  distilled: number;
  scratch: number;
}

export interface RepeatSummary {
  seeds: number;
  teacher: { mean: number; sd: number };
  distilled: { mean: number; sd: number };
  scratch: { mean: number; sd: number };
  /** distilled − scratch, paired by seed. */
  difference: { mean: number; sd: number; interval: Interval | null };
  verdict: Verdict;
  text: string;
}

/** Everything the Repeats table says about a run's seeds. */
export function summariseRepeats(rows: readonly SeedAccuracies[]): RepeatSummary {
  const col = (k: 'teacher' | 'distilled' | 'scratch') => rows.map((r) => r[k]);
  const ms = (xs: number[]) => ({ mean: mean(xs), sd: sampleSd(xs) });
  const diffs = pairedDifferences(col('distilled'), col('scratch'));
  const interval = tInterval95(diffs);
  return {
    seeds: rows.length,
    teacher: ms(col('teacher')),
    distilled: ms(col('distilled')),
    scratch: ms(col('scratch')),
    difference: { ...ms(diffs), interval },
    verdict: verdictOf(interval),
    text: verdictText(interval, rows.length),
  };
}
