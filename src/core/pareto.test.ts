import { describe, expect, it } from 'vitest';
import { budgetPick, paretoFront } from './pareto';

const pt = (name: string, size: number, accuracy: number) => ({ name, size, accuracy });
const names = (ps: { name: string }[]) => ps.map((p) => p.name);

describe('paretoFront', () => {
  it('keeps the points nothing smaller and at least as accurate beats, smallest first', () => {
    const points = [pt('big-good', 100, 0.95), pt('small-bad', 10, 0.8), pt('mid-worse', 50, 0.79), pt('mid', 40, 0.9)];
    expect(names(paretoFront(points))).toEqual(['small-bad', 'mid', 'big-good']);
  });

  it('a single point is its own front; no points, no front', () => {
    expect(names(paretoFront([pt('only', 5, 0.5)]))).toEqual(['only']);
    expect(paretoFront([])).toEqual([]);
  });

  it('of equal size keeps only the more accurate; of equal accuracy only the smaller', () => {
    const points = [pt('a', 10, 0.8), pt('b', 10, 0.85), pt('c', 20, 0.85), pt('d', 30, 0.9)];
    expect(names(paretoFront(points))).toEqual(['b', 'd']);
  });

  it('keeps the first of exact duplicates', () => {
    expect(names(paretoFront([pt('first', 10, 0.8), pt('second', 10, 0.8)]))).toEqual(['first']);
  });

  it('leaves out points not measured', () => {
    expect(names(paretoFront([pt('nan', Number.NaN, 0.99), pt('ok', 10, 0.5), pt('inf', 5, Number.NaN)]))).toEqual(['ok']);
  });
});

describe('budgetPick', () => {
  const s = (name: string, bytes: number, ms: number | null, accuracy: number) => ({ name, bytes, msPerSample: ms, accuracy });
  const points = [s('tiny', 100, 0.001, 0.8), s('small', 1000, 0.002, 0.9), s('big', 10_000, 0.01, 0.95), s('slow', 900, 0.5, 0.92)];

  it('picks the most accurate within the size', () => {
    expect(budgetPick(points, { maxBytes: 1000 })?.name).toBe('slow');
    expect(budgetPick(points, { maxBytes: 999 })?.name).toBe('slow');
    expect(budgetPick(points, { maxBytes: 899 })?.name).toBe('tiny');
  });

  it('picks the most accurate within the latency, and within both limits together', () => {
    expect(budgetPick(points, { maxMsPerSample: 0.002 })?.name).toBe('small');
    expect(budgetPick(points, { maxBytes: 1000, maxMsPerSample: 0.002 })?.name).toBe('small');
    expect(budgetPick(points, { maxBytes: 500, maxMsPerSample: 0.0005 })).toBeNull();
  });

  it('needs a limit, and a point without latency cannot meet a latency limit', () => {
    expect(budgetPick(points, {})).toBeNull();
    expect(budgetPick([s('unmeasured', 1, null, 1)], { maxMsPerSample: 10 })).toBeNull();
  });

  it('breaks an accuracy tie by size, then by speed', () => {
    const tied = [s('large', 200, 0.001, 0.9), s('fast', 100, 0.001, 0.9), s('slowtwin', 100, 0.002, 0.9)];
    expect(budgetPick(tied, { maxBytes: 1000 })?.name).toBe('fast');
  });
});
