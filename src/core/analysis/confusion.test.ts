import { describe, expect, it } from 'vitest';
import { argmaxRows, confusionDifference, confusionMatrix, perClassAccuracy } from './confusion';

// 3 classes, 7 rows:  true  0 0 0 1 1 2 2
//                     pred  0 1 0 1 2 2 0
const labels = Int32Array.from([0, 0, 0, 1, 1, 2, 2]);
const predictions = Int32Array.from([0, 1, 0, 1, 2, 2, 0]);
// Row i counts the predictions for true class i.
const expected = [
  [2, 1, 0],
  [0, 1, 1],
  [1, 0, 1],
];

describe('argmaxRows', () => {
  it('picks the largest logit of each row, the first on ties', () => {
    const logits = Float32Array.from([
      0.1,
      2.0,
      -1.0, // 1
      -5,
      -3,
      -4, //     1
      7,
      7,
      1, //        tie: 0
      -1,
      -1,
      0.5, //    2
    ]);
    expect(Array.from(argmaxRows(logits, 3))).toEqual([1, 1, 0, 2]);
  });

  it('accepts zero rows and rejects a length that is not a whole number of rows', () => {
    expect(argmaxRows(new Float32Array(0), 3)).toHaveLength(0);
    expect(() => argmaxRows(new Float32Array(7), 3)).toThrow('logits has 7 values, not a multiple of numClasses (3).');
    expect(() => argmaxRows(new Float32Array(6), 0)).toThrow('numClasses must be a positive integer, got 0.');
  });
});

describe('confusionMatrix', () => {
  it('counts true classes in rows and predictions in columns', () => {
    expect(confusionMatrix(labels, predictions, 3)).toEqual(expected);
  });

  it('sums to the number of rows and has the accuracy on its diagonal', () => {
    const m = confusionMatrix(labels, predictions, 3);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(7);
    expect(m[0][0] + m[1][1] + m[2][2]).toBe(4); // rows 0, 2, 3, 5 are right
  });

  it('keeps classes that never occur as rows and columns of zeros', () => {
    expect(confusionMatrix(Int32Array.from([0, 0]), Int32Array.from([0, 2]), 4)).toEqual([
      [1, 0, 1, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('rejects mismatched lengths and class indices out of range, naming the entry', () => {
    expect(() => confusionMatrix(labels, predictions.subarray(1), 3)).toThrow(
      'labels and predictions must have the same length, got 7 and 6.',
    );
    expect(() => confusionMatrix(Int32Array.from([0, 3]), Int32Array.from([0, 1]), 3)).toThrow(
      'labels[1] = 3 is not a class index in [0, 2].',
    );
    expect(() => confusionMatrix([0, -1], [0, 1], 3)).toThrow('labels[1] = -1 is not a class index in [0, 2].');
    expect(() => confusionMatrix([0, 1], [0, 1.5], 3)).toThrow('predictions[1] = 1.5 is not a class index in [0, 2].');
  });
});

describe('perClassAccuracy', () => {
  it('divides the diagonal by each row sum', () => {
    expect(perClassAccuracy(expected)).toEqual([2 / 3, 1 / 2, 1 / 2]);
  });

  it('gives NaN for a class with no rows', () => {
    const acc = perClassAccuracy([
      [3, 1],
      [0, 0],
    ]);
    expect(acc[0]).toBe(0.75);
    expect(acc[1]).toBeNaN();
  });

  it('rejects a matrix that is not square', () => {
    expect(() => perClassAccuracy([[1, 2], [3]])).toThrow('The confusion matrix must be square: row 1 has 1 entries, expected 2.');
  });
});

describe('confusionDifference', () => {
  it('subtracts the second matrix from the first', () => {
    const other = [
      [3, 0, 0],
      [1, 1, 0],
      [0, 0, 2],
    ];
    expect(confusionDifference(expected, other)).toEqual([
      [-1, 1, 0],
      [-1, 0, 1],
      [1, 0, -1],
    ]);
  });

  it('rejects matrices of different sizes', () => {
    expect(() => confusionDifference(expected, [[1]])).toThrow('Matrices must have the same size, got 3×3 and 1×1.');
  });
});
