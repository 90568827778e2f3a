import { describe, expect, it } from 'vitest';
import { chooseWasmThreads, parseWasmThreads } from './wasm-threads';

describe('chooseWasmThreads', () => {
  it('leaves one core to the page, at least one thread and at most four', () => {
    expect([1, 2, 3, 4, 8, 16, 64].map((c) => chooseWasmThreads(c))).toEqual([1, 1, 2, 3, 4, 4, 4]);
  });
  it('reads a missing or nonsense core count as one core', () => {
    expect([0, -2, NaN, Infinity].map((c) => chooseWasmThreads(c))).toEqual([1, 1, 1, 1]);
  });
  it('takes what the URL asked for, up to the eight workers tfjs prepares', () => {
    expect(chooseWasmThreads(2, 2)).toBe(2);
    expect(chooseWasmThreads(16, 1)).toBe(1);
    expect(chooseWasmThreads(2, 12)).toBe(8);
  });
});

describe('parseWasmThreads', () => {
  it('accepts whole numbers from 1 to 8', () => {
    expect(parseWasmThreads(null)).toEqual({});
    expect(parseWasmThreads('1')).toEqual({ threads: 1 });
    expect(parseWasmThreads('8')).toEqual({ threads: 8 });
  });
  it('explains anything else', () => {
    for (const bad of ['0', '9', '1.5', 'two', '', '-1'])
      expect(parseWasmThreads(bad).error).toMatch(/Ignored \?threads=.*: use a whole number from 1 to 8\./);
  });
});
