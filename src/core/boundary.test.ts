import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { boundaryGrid, predictGrid } from './boundary';
import type { Predictor } from './metrics';
import { predictorTeacher } from './teacher-model';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

/** Logits (-x, x): class 1 exactly where x > 0, whatever y is. */
const splitAtXZero: Predictor = {
  predict: (x) =>
    tf.matMul(
      x,
      tf.tensor2d([
        [-1, 1],
        [0, 0],
      ]),
    ),
};

describe('boundaryGrid', () => {
  it('pads the bounding box by a fraction of its extent and puts cell centres row by row, top row first', () => {
    const xs = new Float32Array([0, 0, 2, 4, 1, 1]);
    const { box, size, points } = boundaryGrid(xs, 3, 0.1, 2);
    expect(box.xMin).toBeCloseTo(-0.2);
    expect(box.xMax).toBeCloseTo(2.2);
    expect(box.yMin).toBeCloseTo(-0.4);
    expect(box.yMax).toBeCloseTo(4.4);
    expect(size).toBe(2);
    // Cells are 1.2 wide and 2.4 high; the first row is the top one.
    const expected = [0.4, 3.2, 1.6, 3.2, 0.4, 0.8, 1.6, 0.8];
    expect(points).toHaveLength(8);
    points.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i], 5);
    });
  });

  it('defaults to a 64 × 64 grid', () => {
    const { size, points } = boundaryGrid(new Float32Array([-1, -1, 1, 1]), 2);
    expect(size).toBe(64);
    expect(points).toHaveLength(64 * 64 * 2);
  });

  it('still opens a window when a feature never varies', () => {
    const { box } = boundaryGrid(new Float32Array([3, 5, 3, 7]), 2, 0);
    expect(box.xMax - box.xMin).toBeGreaterThan(0);
    expect(box.yMin).toBe(5);
    expect(box.yMax).toBe(7);
  });

  it('reads only the first n rows', () => {
    const { box } = boundaryGrid(new Float32Array([0, 0, 1, 1, 100, 100]), 2, 0);
    expect(box.xMax).toBe(1);
  });
});

describe('predictGrid', () => {
  it('gives the left half class 0 and the right half class 1 for a boundary at x = 0', async () => {
    const { points, size } = boundaryGrid(new Float32Array([-1, -1, 1, 1]), 2, 0, 4);
    const { classes, confidence } = await predictGrid(predictorTeacher(splitAtXZero), points, size);
    expect(Array.from(classes)).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    // softmax(-x, x) at |x| = 0.75 and 0.25: 1 / (1 + e^(-2|x|)).
    const outer = 1 / (1 + Math.exp(-1.5));
    const inner = 1 / (1 + Math.exp(-0.5));
    expect(confidence[0]).toBeCloseTo(outer, 5);
    expect(confidence[1]).toBeCloseTo(inner, 5);
    expect(confidence[2]).toBeCloseTo(inner, 5);
    expect(confidence[3]).toBeCloseTo(outer, 5);
  });

  it('leaves no tensors behind', async () => {
    const { points, size } = boundaryGrid(new Float32Array([-1, -1, 1, 1]), 2, 0.1, 16);
    const weights = tf.tensor2d([
      [-1, 1],
      [0, 0],
    ]);
    const model: Predictor = { predict: (x) => tf.matMul(x, weights) };
    await predictGrid(predictorTeacher(model), points, size); // first call may allocate backend state once
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await predictGrid(predictorTeacher(model), points, size);
    expect(tf.memory().numTensors).toBe(before);
    weights.dispose();
  });

  it('frees its tensors when the model fails', async () => {
    const before = tf.memory().numTensors;
    const broken: Predictor = { predict: (x) => [x, x] };
    await expect(predictGrid(predictorTeacher(broken), new Float32Array(8), 2)).rejects.toThrow(/one output/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a grid of the wrong length', async () => {
    await expect(predictGrid(predictorTeacher(splitAtXZero), new Float32Array(6), 2)).rejects.toThrow(/2 × 2 grid/);
  });
});
