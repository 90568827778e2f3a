import { describe, expect, it } from 'vitest';
import { applyScaling, fitScaling } from './normalise';
import type { DataSplit } from './types';

const split = (rows: number[][]): DataSplit => ({
  x: Float32Array.from(rows.flat()),
  y: new Int32Array(rows.length),
  n: rows.length,
});

describe('feature scaling', () => {
  // Column 0: 1, 2, 3, 6 (mean 3, population sd sqrt(3.5)); column 1 constant 5.
  const train = () =>
    split([
      [1, 5],
      [2, 5],
      [3, 5],
      [6, 5],
    ]);

  it('standardises with the training mean and population standard deviation', () => {
    const t = train();
    const s = fitScaling(t, 2, 'standardise');
    expect(s.offset).toEqual([3, 5]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(s.scale[1]).toBe(1);
    applyScaling(t, 2, s);
    expect([...t.x].filter((_, i) => i % 2 === 0).map((v) => +v.toFixed(5))).toEqual(
      [-2, -1, 0, 3].map((v) => +(v / Math.sqrt(3.5)).toFixed(5)),
    );
  });

  it('maps a constant column to 0, never NaN', () => {
    for (const kind of ['standardise', '0-1'] as const) {
      const t = train();
      applyScaling(t, 2, fitScaling(t, 2, kind));
      expect([...t.x].filter((_, i) => i % 2 === 1)).toEqual([0, 0, 0, 0]);
    }
  });

  it('scales to 0..1 by the training min and range; test values may fall outside', () => {
    const t = train();
    const s = fitScaling(t, 2, '0-1');
    expect(s.offset).toEqual([1, 5]);
    expect(s.scale).toEqual([5, 1]);
    const test = split([
      [11, 5],
      [0, 7],
    ]);
    applyScaling(test, 2, s);
    expect([...test.x]).toEqual([2, 0, -0.2, 2].map(Math.fround));
  });

  it('leaves values alone for "none"', () => {
    const t = train();
    applyScaling(t, 2, fitScaling(t, 2, 'none'));
    expect([...t.x]).toEqual([1, 5, 2, 5, 3, 5, 6, 5]);
  });
});
