import { describe, expect, it } from 'vitest';
import { linear, linePath } from './line-path';

describe('linear', () => {
  it('maps the domain onto the range, reversed too (y grows downwards on screen)', () => {
    const sy = linear([0, 2], 100, 0);
    expect([sy(0), sy(1), sy(2), sy(3)]).toEqual([100, 50, 0, -50]);
  });

  it('maps a one-value domain to the start of the range', () => {
    expect(linear([5, 5], 10, 20)(5)).toBe(10);
  });
});

describe('linePath', () => {
  const same = (v: number) => v;

  it('draws one run of points: a move, then lines', () => {
    expect(linePath([0, 1, 2], [3, 4, 5], same, same)).toBe('M0,3L1,4L2,5');
  });

  it('breaks the line where a value is missing or not finite, as recharts does without connectNulls', () => {
    expect(linePath([0, 1, 2, 3, 4], [1, undefined, 2, Number.NaN, 3], same, same)).toBe('M0,1M2,2M4,3');
    expect(linePath([0, 1, 2, 3], [1, 2, Number.POSITIVE_INFINITY, 4], same, same)).toBe('M0,1L1,2M3,4');
  });

  it('is empty without a value, and rounds pixels to two decimals', () => {
    expect(linePath([0, 1], [undefined, undefined], same, same)).toBe('');
    expect(linePath([1 / 3], [2 / 3], same, same)).toBe('M0.33,0.67');
  });
});
