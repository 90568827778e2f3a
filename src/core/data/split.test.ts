import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split';

describe('stratifiedSplit', () => {
  const labels = [...Array(1000)].map((_, i) => (i < 600 ? 0 : i < 900 ? 1 : 2)); // 60/30/10 %

  it('keeps each class in proportion and the test size exact', () => {
    const { train, test } = stratifiedSplit(labels, 200, 7);
    expect(test.length).toBe(200);
    expect(train.length).toBe(800);
    const count = (idx: Int32Array, c: number) => [...idx].filter((i) => labels[i] === c).length;
    expect([count(test, 0), count(test, 1), count(test, 2)]).toEqual([120, 60, 20]);
  });

  it('is a partition: every row once, in train or test', () => {
    const { train, test } = stratifiedSplit(labels, 333, 3);
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual([...Array(1000).keys()]);
  });

  it('rounds by largest remainder so odd sizes still add up', () => {
    const { test } = stratifiedSplit([0, 0, 0, 1, 1, 1, 1, 2, 2, 2], 4, 1);
    expect(test.length).toBe(4);
  });

  it('gives the same split for the same seed and another for another seed', () => {
    expect(stratifiedSplit(labels, 200, 5).test).toEqual(stratifiedSplit(labels, 200, 5).test);
    expect(stratifiedSplit(labels, 200, 5).test).not.toEqual(stratifiedSplit(labels, 200, 6).test);
  });

  it('refuses a test size that leaves no training rows', () => {
    expect(() => stratifiedSplit(labels, 1000, 1)).toThrow(/between 1 and 999/);
  });
});
