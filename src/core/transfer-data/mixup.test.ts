import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { betaSample, gammaSample, mixPlan, mixRows } from './mixup';

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length };
}

const N = 20_000;

describe('mixup', () => {
  it.each([0.3, 1, 4.5])('draws Gamma(%f) with mean and variance k', (k) => {
    const rng = createRng(11);
    const m = moments(Array.from({ length: N }, () => gammaSample(k, rng)));
    // Gamma(k, 1): mean k, variance k; the sample mean's standard error is √(k/N).
    expect(Math.abs(m.mean - k)).toBeLessThan(5 * Math.sqrt(k / N));
    expect(Math.abs(m.variance - k) / k).toBeLessThan(0.08);
  });

  it.each([0.2, 1, 5])('draws Beta(%f, %f) with mean 1/2 and variance 1/(4(2α+1))', (a) => {
    const rng = createRng(12);
    const xs = Array.from({ length: N }, () => betaSample(a, a, rng));
    const m = moments(xs);
    const variance = 1 / (4 * (2 * a + 1));
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(5 * Math.sqrt(variance / N));
    expect(Math.abs(m.variance - variance) / variance).toBeLessThan(0.05);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1);
  });

  it('refuses a shape that is not positive', () => {
    expect(() => gammaSample(0, createRng(1))).toThrow(/positive/);
  });

  it('mixes each row with its partner by λ, exactly', () => {
    // Rows [1, 2], [3, 4], [5, 6]; row r is mixed with row perm[r].
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = mixRows(x, 2, { lambda: 0.75, perm: Int32Array.from([2, 0, 1]) });
    expect(Array.from(out)).toEqual([
      0.75 * 1 + 0.25 * 5,
      0.75 * 2 + 0.25 * 6,
      0.75 * 3 + 0.25 * 1,
      0.75 * 4 + 0.25 * 2,
      0.75 * 5 + 0.25 * 3,
      0.75 * 6 + 0.25 * 4,
    ]);
  });

  it('plans the same mixing for the same seed', () => {
    const a = mixPlan(16, 1, createRng(9));
    expect(mixPlan(16, 1, createRng(9))).toEqual(a);
    expect(Array.from(a.perm).sort((p, q) => p - q)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });
});
