import { describe, expect, it } from 'vitest';
import { analyse, classNamesFor } from './analysis';

// Two classes, three rows labelled 0, 1, 1. Teacher right on all; distilled wrong on row 2; scratch wrong on row 0.
const outputs = {
  numClasses: 2,
  labels: Int32Array.from([0, 1, 1]),
  teacher: Float32Array.from([5, 0, 0, 5, 0, 5]),
  distilled: Float32Array.from([5, 0, 0, 5, 5, 0]),
  scratch: Float32Array.from([0, 1, 0, 5, 0, 5]),
};

describe('analyse', () => {
  const a = analyse(outputs);

  it('gives each model its predictions, confusion matrix and per-class accuracy', () => {
    expect(Array.from(a.models.distilled.predictions)).toEqual([0, 1, 0]);
    expect(a.models.teacher.confusion).toEqual([
      [1, 0],
      [0, 2],
    ]);
    expect(a.models.distilled.confusion).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(a.models.scratch.perClass).toEqual([0, 1]);
  });

  it('takes the difference distilled − teacher', () => {
    expect(a.difference).toEqual([
      [0, 0],
      [1, -1],
    ]);
  });

  it('measures calibration at T = 1', () => {
    // The teacher is right with confidence σ(5) ≈ 0.9933 on every row: ECE = 1 − 0.9933.
    expect(a.models.teacher.ece).toBeCloseTo(1 - 1 / (1 + Math.exp(-5)), 5);
    expect(a.models.teacher.bins.reduce((n, b) => n + b.count, 0)).toBe(3);
  });
});

describe('classNamesFor', () => {
  it('uses the data set’s names when they fit, else indices', () => {
    expect(classNamesFor(['cat', 'dog'], 2)).toEqual(['cat', 'dog']);
    expect(classNamesFor(['cat'], 2)).toEqual(['0', '1']);
    expect(classNamesFor(undefined, 3)).toEqual(['0', '1', '2']);
  });
});
