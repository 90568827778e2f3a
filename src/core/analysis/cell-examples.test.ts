import { describe, expect, it } from 'vitest';
import { cellExamples } from './cell-examples';

//          row  0  1  2  3  4  5  6
const labels = [0, 0, 1, 2, 0, 1, 0];
const predictions = [0, 1, 1, 1, 1, 1, 2];

describe('cellExamples', () => {
  it('lists the rows of one cell, true class then prediction, in row order', () => {
    expect(cellExamples(labels, predictions, 0, 1, 3)).toEqual([1, 4]);
    expect(cellExamples(labels, predictions, 1, 1, 3)).toEqual([2, 5]);
    expect(cellExamples(labels, predictions, 2, 1, 3)).toEqual([3]);
    expect(cellExamples(labels, predictions, 1, 0, 3)).toEqual([]);
  });

  it('gives every row to exactly one cell', () => {
    const all = [0, 1, 2].flatMap((t) => [0, 1, 2].flatMap((p) => cellExamples(labels, predictions, t, p, 3)));
    expect(all.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses a cell outside the matrix and mismatched arrays', () => {
    expect(() => cellExamples(labels, predictions, 3, 0, 3)).toThrow(/not a class index/);
    expect(() => cellExamples(labels, predictions.slice(1), 0, 0, 3)).toThrow(/same length/);
  });
});
