/**
 * Axis domains and ticks computed here, once per redraw, so that recharts does not: its own "nice
 * ticks" run in arbitrary-precision decimals (decimal.js) for every axis on every redraw, a large
 * part of a live chart's update.
 */
export interface AxisScale {
  domain: [number, number];
  ticks: number[];
}

const MULTIPLES = [1, 2, 2.5, 5, 10];

/** The smallest step of the form {1, 2, 2.5, 5} × 10^k that is at least `raw` (a whole number for integer axes). */
export function niceStep(raw: number, integer = false): number {
  const want = integer ? Math.max(1, raw) : raw;
  if (!(want > 0) || !Number.isFinite(want)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(want));
  for (const m of MULTIPLES) {
    const step = m * magnitude;
    if (step >= want * (1 - 1e-9) && (!integer || Number.isInteger(step))) return step;
  }
  return 10 * magnitude;
}

const tidy = (v: number) => Number(v.toPrecision(12));

export interface AxisOptions {
  /** About how many ticks (default 5). */
  count?: number;
  /** Whole-number ticks (epochs, steps). */
  integer?: boolean;
  /** Keep the domain at [min, max] (ticks fall inside it) instead of widening it to whole steps. */
  exact?: boolean;
}

/** A domain and its ticks for values from `min` to `max`; a safe default when there are none. */
export function niceAxis(min: number, max: number, { count = 5, integer = false, exact = false }: AxisOptions = {}): AxisScale {
  if (!Number.isFinite(min) || !Number.isFinite(max))
    return integer ? { domain: [0, 1], ticks: [0, 1] } : { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] };
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi === lo) {
    const pad = integer ? 1 : Math.abs(lo) * 0.05 || 0.5;
    if (!exact || integer) hi += pad;
    if (!exact) lo -= pad;
  }
  const step = niceStep((hi - lo) / Math.max(1, count - 1), integer);
  if (!exact) {
    lo = tidy(Math.floor(lo / step + 1e-9) * step);
    hi = tidy(Math.ceil(hi / step - 1e-9) * step);
  }
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.push(tidy(i * step));
  return { domain: [lo, hi], ticks };
}

/** The finite values `read` gives for each row: their minimum and maximum (NaN, NaN when none). */
export function extent<T>(rows: readonly T[], read: (row: T) => ReadonlyArray<number | undefined>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of rows) {
    for (const v of read(row)) {
      if (v === undefined || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}
