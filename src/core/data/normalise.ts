import type { DataSplit, FeatureScaling, Normalisation } from './types';

/**
 * Fits the scaling on the training split only, so that nothing about the test rows leaks into
 * training. A constant column gets scale 1 (not 0), which maps it to 0 instead of NaN: it carries
 * no information, and a NaN would poison every gradient.
 */
export function fitScaling(train: DataSplit, numFeatures: number, kind: Normalisation): FeatureScaling {
  const offset = new Array<number>(numFeatures).fill(0);
  const scale = new Array<number>(numFeatures).fill(1);
  if (kind === 'none' || train.n === 0) return { kind, offset, scale };
  const { x, n } = train;
  for (let j = 0; j < numFeatures; j++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * numFeatures + j];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    if (kind === '0-1') {
      offset[j] = min;
      scale[j] = max > min ? max - min : 1;
      continue;
    }
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i * numFeatures + j] - mean;
      sq += d * d;
    }
    offset[j] = mean;
    // Comparing min and max, not the variance, because rounding leaves a tiny non-zero variance on constants.
    scale[j] = max > min ? Math.sqrt(sq / n) : 1;
  }
  return { kind, offset, scale };
}

/** Scales `split.x` in place. */
export function applyScaling(split: DataSplit, numFeatures: number, s: FeatureScaling): void {
  if (s.kind === 'none') return;
  const { x } = split;
  for (let i = 0; i < x.length; i++) {
    const j = i % numFeatures;
    x[i] = (x[i] - s.offset[j]) / s.scale[j];
  }
}
