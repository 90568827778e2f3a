/**
 * Shrinks a series of numeric records to at most `max` points by averaging consecutive buckets,
 * so charts stay fast however long the run, and noisy per-step losses read as a trend.
 */
export function bucketMean<T extends { [K in keyof T]: number }>(points: readonly T[], max: number): T[] {
  if (max < 1) throw new Error(`max must be at least 1, got ${max}`);
  if (points.length <= max) return points.slice();
  const keys = Object.keys(points[0]) as (keyof T)[];
  const out: T[] = [];
  const size = points.length / max;
  for (let b = 0; b < max; b++) {
    const from = Math.floor(b * size);
    const to = Math.floor((b + 1) * size);
    const mean = { ...points[from] };
    for (const key of keys) {
      let sum = 0;
      for (let i = from; i < to; i++) sum += points[i][key];
      mean[key] = (sum / (to - from)) as T[keyof T];
    }
    out.push(mean);
  }
  return out;
}
