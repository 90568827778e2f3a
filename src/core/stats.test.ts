import { describe, expect, it } from 'vitest';
import { excludesZero, mean, pairedDifferences, sampleSd, summariseRepeats, tInterval95, tQuantile975, verdictText } from './stats';

describe('t quantiles', () => {
  it('match the tables', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(tQuantile975(4)).toBeCloseTo(2.776, 3);
    expect(tQuantile975(9)).toBeCloseTo(2.262, 3);
    expect(tQuantile975(30)).toBeCloseTo(2.042, 3);
  });

  it('past the table, stay within 1e-3 of the exact values', () => {
    expect(tQuantile975(40)).toBeCloseTo(2.0211, 3);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3);
  });

  it('refuse a degree of freedom below 1', () => {
    expect(() => tQuantile975(0)).toThrow(/Degrees of freedom/);
  });
});

describe('summaries', () => {
  it('mean and sample sd by hand: 1..5 → 3 and √2.5', () => {
    expect(mean([1, 2, 3, 4, 5])).toBe(3);
    expect(sampleSd([1, 2, 3, 4, 5])).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(sampleSd([7])).toBe(0);
  });

  it('the interval of 1..5 is 3 ± 2.7764·√2.5/√5 = [1.0368, 4.9632]', () => {
    const i = tInterval95([1, 2, 3, 4, 5]);
    expect(i?.low).toBeCloseTo(1.0368, 4);
    expect(i?.high).toBeCloseTo(4.9632, 4);
    expect(tInterval95([1])).toBeNull();
  });

  it('pairs by position and refuses unequal lengths', () => {
    expect(pairedDifferences([3, 5], [1, 1])).toEqual([2, 4]);
    expect(() => pairedDifferences([1], [1, 2])).toThrow(/one to one/);
  });
});

describe('verdicts', () => {
  it('helped: differences 0.01, 0.02, 0.02 give 0.016667 ± 4.3027·0.0057735/√3 = [0.00232, 0.03101]', () => {
    const s = summariseRepeats([
      { seed: 1, teacher: 0.98, distilled: 0.95, scratch: 0.94 },
      { seed: 2, teacher: 0.98, distilled: 0.96, scratch: 0.94 },
      { seed: 3, teacher: 0.98, distilled: 0.97, scratch: 0.95 },
    ]);
    expect(s.difference.mean).toBeCloseTo(0.016667, 5);
    expect(s.difference.sd).toBeCloseTo(0.0057735, 6);
    expect(s.difference.interval?.low).toBeCloseTo(0.00232, 4);
    expect(s.difference.interval?.high).toBeCloseTo(0.03101, 4);
    expect(s.distilled.mean).toBeCloseTo(0.96, 10);
    expect(s.distilled.sd).toBeCloseTo(0.01, 10);
    expect(s.verdict).toBe('helped');
    expect(s.text).toBe('distillation helped');
  });

  it('hurt when the interval is below 0, no difference when it straddles 0', () => {
    const hurt = summariseRepeats([
      { seed: 1, teacher: 1, distilled: 0.9, scratch: 0.95 },
      { seed: 2, teacher: 1, distilled: 0.91, scratch: 0.95 },
      { seed: 3, teacher: 1, distilled: 0.9, scratch: 0.95 },
    ]);
    expect(hurt.text).toBe('distillation hurt');
    const none = summariseRepeats([
      { seed: 1, teacher: 1, distilled: 0.96, scratch: 0.95 },
      { seed: 2, teacher: 1, distilled: 0.94, scratch: 0.95 },
      { seed: 3, teacher: 1, distilled: 0.955, scratch: 0.95 },
    ]);
    expect(none.verdict).toBe('no-difference');
    expect(none.text).toBe('no detectable difference at 3 seeds');
    expect(excludesZero(none.difference.interval ?? { mean: 0, low: 0, high: 0, n: 0 })).toBe(false);
  });

  it('one seed: no interval, and it says so', () => {
    const s = summariseRepeats([{ seed: 4, teacher: 1, distilled: 0.96, scratch: 0.95 }]);
    expect(s.difference.interval).toBeNull();
    expect(s.verdict).toBe('one-seed');
    expect(verdictText(null, 1)).toMatch(/no interval/);
  });
});
