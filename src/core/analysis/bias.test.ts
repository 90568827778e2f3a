import { describe, expect, it } from 'vitest';
import { bestBias, biasedAccuracy } from './bias';

// Four rows, three classes. Class 2's logit is always 1.5 below the winner on its own rows.
const logits = new Float32Array([
  3,
  0,
  1.5, // label 2: predicted 0 until the bias exceeds 1.5
  0,
  2,
  0.5, // label 2: predicted 1 until the bias exceeds 1.5
  4,
  0,
  0, // label 0: lost to class 2 once the bias exceeds 4
  0,
  1,
  0, // label 1: lost to class 2 once the bias exceeds 1
]);
const labels = new Int32Array([2, 2, 0, 1]);

describe('biasedAccuracy', () => {
  it('counts hits on the class and overall as the bias on its logit grows', () => {
    expect(biasedAccuracy(logits, labels, 3, 2, 0)).toEqual({ overall: 0.5, onClass: 0 });
    expect(biasedAccuracy(logits, labels, 3, 2, 1.2)).toEqual({ overall: 0.25, onClass: 0 }); // row 4 flips to class 2
    expect(biasedAccuracy(logits, labels, 3, 2, 2)).toEqual({ overall: 0.75, onClass: 1 });
    expect(biasedAccuracy(logits, labels, 3, 2, 5)).toEqual({ overall: 0.5, onClass: 1 });
  });

  it('gives NaN on the class when no row has it, and names bad input', () => {
    expect(biasedAccuracy(logits.slice(6), labels.slice(2), 3, 2, 0).onClass).toBeNaN();
    expect(() => biasedAccuracy(logits, labels, 3, 3, 0)).toThrow('classIndex[0] = 3 is not a class index in [0, 2].');
    expect(() => biasedAccuracy(logits, labels.slice(1), 3, 2, 0)).toThrow('labels and logit rows must have the same length, got 3 and 4.');
  });
});

describe('bestBias', () => {
  it('finds the grid point with the best overall accuracy, the first on ties', () => {
    // From the table above: 0 → 0.5, (1, 1.5] → 0.25 then 0.75 on (1.5, 4], 0.5 beyond 4.
    expect(bestBias(logits, labels, 3, 2, 0, 6, 0.5)).toEqual({ bias: 2, overall: 0.75, onClass: 1 });
  });
});
