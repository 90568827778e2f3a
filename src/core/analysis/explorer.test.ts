import { describe, expect, it } from 'vitest';
import { imageToRgba, nextMistake, rowOf, unscaleFeatures } from './explorer';

describe('nextMistake', () => {
  const labels = [0, 1, 2, 0, 1];
  const predictions = [0, 2, 2, 1, 1]; // wrong at 1 and 3

  it('finds the next wrong prediction after the current example', () => {
    expect(nextMistake(predictions, labels, 0)).toBe(1);
    expect(nextMistake(predictions, labels, 1)).toBe(3);
    expect(nextMistake(predictions, labels, 2)).toBe(3);
  });

  it('wraps round to the start, and comes back to the current one when it is the only mistake', () => {
    expect(nextMistake(predictions, labels, 3)).toBe(1);
    expect(nextMistake([0, 0, 2], [0, 1, 2], 1)).toBe(1);
  });

  it('gives null when every prediction is right or there are no rows', () => {
    expect(nextMistake([0, 1, 2], [0, 1, 2], 0)).toBeNull();
    expect(nextMistake([], [], 0)).toBeNull();
  });

  it('accepts a start outside the rows', () => {
    expect(nextMistake(predictions, labels, -1)).toBe(1);
    expect(nextMistake(predictions, labels, 7)).toBe(3); // 7 mod 5 = 2
  });
});

describe('imageToRgba', () => {
  it('maps grey values in 0..1 to opaque grey pixels', () => {
    const rgba = imageToRgba([0, 0.5, 1, 0.2], [2, 2, 1]);
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 51, 51, 51, 255]);
  });

  it('reads three channels as red, green and blue', () => {
    const rgba = imageToRgba([1, 0, 0, 0, 0.5, 1], [1, 2, 3]);
    expect(Array.from(rgba)).toEqual([255, 0, 0, 255, 0, 128, 255, 255]);
  });

  it('stretches values outside 0..1 over their own range', () => {
    expect(Array.from(imageToRgba([-2, 0, 2], [1, 3, 1])).filter((_, i) => i % 4 === 0)).toEqual([0, 128, 255]);
    // A constant image outside 0..1 does not divide by zero.
    expect(Array.from(imageToRgba([5, 5], [1, 2, 1])).filter((_, i) => i % 4 === 0)).toEqual([0, 0]);
  });

  it('rejects a row of the wrong length', () => {
    expect(() => imageToRgba([0, 1, 0], [2, 2, 1])).toThrow('An image of 2×2×1 needs 4 values, got 3.');
  });
});

describe('unscaleFeatures', () => {
  it('undoes the scaling the data set applied', () => {
    expect(unscaleFeatures([0.5, -1], { kind: 'standardise', offset: [10, 3], scale: [2, 0.5] })).toEqual([11, 2.5]);
  });

  it('leaves unscaled values as they are', () => {
    expect(unscaleFeatures(Float32Array.from([0.25, 3]))).toEqual([0.25, 3]);
    expect(unscaleFeatures([1, 2], { kind: 'none', offset: [5, 5], scale: [2, 2] })).toEqual([1, 2]);
  });
});

describe('rowOf', () => {
  it('views one row of a row-major array', () => {
    const values = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(rowOf(values, 3, 1))).toEqual([4, 5, 6]);
    expect(rowOf(values, 3, 1).buffer).toBe(values.buffer);
  });
});
