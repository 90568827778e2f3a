import type { Rng } from '../rng';

/**
 * "Gaussian noise" transfer data: inputs drawn feature by feature from N(mean, std) of the training
 * set, so the student sees the data's scale and nothing of its rows. Plain arrays, no tfjs: the
 * draws are the same on every backend.
 */

export interface FeatureMoments {
  mean: Float32Array;
  std: Float32Array;
}

/** Per-feature mean and (population) standard deviation of `rows` rows of `x`, `features` wide. */
export function featureMoments(x: Float32Array, rows: number, features: number): FeatureMoments {
  if (rows < 1) throw new Error('Gaussian noise needs a training set with at least one row.');
  if (x.length !== rows * features) throw new Error(`Expected ${rows} x ${features} values, got ${x.length}.`);
  // Accumulated in float64: 60,000 rows summed in float32 lose digits.
  const sum = new Float64Array(features);
  const sq = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      const v = x[r * features + f];
      sum[f] += v;
      sq[f] += v * v;
    }
  }
  const mean = new Float32Array(features);
  const std = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    const m = sum[f] / rows;
    mean[f] = m;
    std[f] = Math.sqrt(Math.max(0, sq[f] / rows - m * m));
  }
  return { mean, std };
}

/** A standard normal draw (Box-Muller; 1 - rng() keeps the log finite). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** `rows` new rows, each feature drawn from N(mean, std) of `moments`. */
export function gaussianRows(moments: FeatureMoments, rows: number, rng: Rng): Float32Array {
  const d = moments.mean.length;
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < d; f++) out[r * d + f] = moments.mean[f] + moments.std[f] * standardNormal(rng);
  }
  return out;
}
