import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { featureMoments, gaussianRows } from './gaussian';

describe('Gaussian noise transfer data', () => {
  it('measures per-feature mean and population standard deviation', () => {
    // Two features over three rows: [1, 2, 3] and [10, 10, 10].
    const m = featureMoments(Float32Array.from([1, 10, 2, 10, 3, 10]), 3, 2);
    expect(Array.from(m.mean)).toEqual([2, 10]);
    expect(m.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(m.std[1]).toBe(0);
  });

  it("draws rows whose moments match the training set's, within five standard errors", () => {
    const moments = { mean: Float32Array.from([0, 5, -2]), std: Float32Array.from([1, 0.5, 3]) };
    const n = 20_000;
    const drawn = featureMoments(gaussianRows(moments, n, createRng(7)), n, 3);
    for (let f = 0; f < 3; f++) {
      // Standard errors: of a mean, std/√n; of a standard deviation (normal data), std/√(2n).
      expect(Math.abs(drawn.mean[f] - moments.mean[f])).toBeLessThan((5 * moments.std[f]) / Math.sqrt(n));
      expect(Math.abs(drawn.std[f] - moments.std[f])).toBeLessThan((5 * moments.std[f]) / Math.sqrt(2 * n));
    }
  });

  it('draws the same rows for the same seed and others for another seed', () => {
    const moments = { mean: Float32Array.from([1, 2]), std: Float32Array.from([1, 1]) };
    const a = gaussianRows(moments, 50, createRng(3));
    expect(gaussianRows(moments, 50, createRng(3))).toEqual(a);
    expect(gaussianRows(moments, 50, createRng(4))).not.toEqual(a);
  });

  it('gives a constant feature its constant value', () => {
    const rows = gaussianRows({ mean: Float32Array.from([0.25]), std: Float32Array.from([0]) }, 10, createRng(1));
    expect(Array.from(rows)).toEqual(new Array(10).fill(0.25));
  });
});
