import { describe, expect, it } from 'vitest';
import { extent, niceAxis, niceStep } from './axis-ticks';

describe('niceStep', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.07, 0.11, 0.2, 0.21, 0.26, 0.6, 3, 7, 12, 4000].map((r) => niceStep(r))).toEqual([
      0.1, 0.2, 0.2, 0.25, 0.5, 1, 5, 10, 20, 5000,
    ]);
  });
  it('gives whole steps on integer axes (no 2.5, nothing under 1)', () => {
    expect([0.3, 1, 2.2, 4.75, 21].map((r) => niceStep(r, true))).toEqual([1, 1, 5, 5, 25]);
  });
  it('falls back to 1 for a zero, negative or non-finite width', () => {
    expect([0, -1, NaN, Infinity].map((r) => niceStep(r))).toEqual([1, 1, 1, 1]);
  });
});

describe('niceAxis', () => {
  it('widens the domain to whole steps and ticks every step', () => {
    expect(niceAxis(0.913, 0.978)).toEqual({ domain: [0.9, 0.98], ticks: [0.9, 0.92, 0.94, 0.96, 0.98] });
    expect(niceAxis(0, 2.31)).toEqual({ domain: [0, 3], ticks: [0, 1, 2, 3] });
  });
  it('keeps an exact domain and puts the ticks inside it', () => {
    expect(niceAxis(1, 20, { integer: true, exact: true })).toEqual({ domain: [1, 20], ticks: [5, 10, 15, 20] });
    expect(niceAxis(1, 3, { integer: true, exact: true })).toEqual({ domain: [1, 3], ticks: [1, 2, 3] });
  });
  it('gives one value room on both sides, and one epoch a second slot', () => {
    expect(niceAxis(0.5, 0.5).domain[0]).toBeLessThan(0.5);
    expect(niceAxis(0.5, 0.5).domain[1]).toBeGreaterThan(0.5);
    expect(niceAxis(1, 1, { integer: true, exact: true })).toEqual({ domain: [1, 2], ticks: [1, 2] });
  });
  it('has ticks that a person can read: no float noise', () => {
    for (const t of niceAxis(0.1, 0.7).ticks) expect(String(t).length).toBeLessThanOrEqual(4);
  });
  it('has a sane default when there is nothing to show', () => {
    expect(niceAxis(NaN, NaN)).toEqual({ domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] });
  });
  it('covers every value between min and max, for many ranges', () => {
    for (const [a, b] of [
      [-3.2, 7.9],
      [1e-4, 3e-4],
      [120, 4321],
      [0.88, 0.9],
    ]) {
      const { domain, ticks } = niceAxis(a, b);
      expect(domain[0]).toBeLessThanOrEqual(a);
      expect(domain[1]).toBeGreaterThanOrEqual(b);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(ticks.length).toBeLessThanOrEqual(8);
    }
  });
});

describe('extent', () => {
  it('skips undefined and non-finite values', () => {
    expect(
      extent(
        [
          { a: 1, b: NaN },
          { a: undefined, b: -2 },
          { a: 5, b: Infinity },
        ],
        (r) => [r.a, r.b],
      ),
    ).toEqual([-2, 5]);
    expect(extent([{ a: undefined }], (r) => [r.a])).toEqual([NaN, NaN]);
  });
});
