import { describe, expect, it } from 'vitest';
import { looksNumeric, readCell } from './cells';

describe('readCell', () => {
  it('reads decimal numbers, and tells empty, non-finite and text cells apart', () => {
    expect(readCell(' 1.5e3 ')).toEqual({ kind: 'number', value: 1500 });
    expect(readCell('')).toEqual({ kind: 'empty' });
    expect(readCell('NaN')).toEqual({ kind: 'non-finite' });
    expect(readCell('1e999')).toEqual({ kind: 'non-finite' });
    expect(readCell('0x1f')).toEqual({ kind: 'text' });
  });

  it('refuses numbers that are finite as doubles but not as the float32 the features are stored in', () => {
    for (const s of ['1e39', '-1e39', '3.5e38', '1e300', `1${'0'.repeat(39)}`]) expect(readCell(s), s).toEqual({ kind: 'too-large' });
    // float32's maximum, as it is usually written, rounds to itself: still a number.
    expect(readCell('3.4028235e38')).toEqual({ kind: 'number', value: 3.4028235e38 });
    expect(Number.isFinite(Math.fround(3.4028235e38))).toBe(true);
    // Tiny values underflow to 0 in float32, which is still a finite feature.
    expect(readCell('1e-320').kind).toBe('number');
  });

  it('counts too-large numbers as numeric when telling a header from data', () => {
    expect(looksNumeric('1e39')).toBe(true);
    expect(looksNumeric('x')).toBe(false);
  });
});
