import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictorTeacher, withKnownRows, type TeacherModel } from './teacher-model';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

/** Logits (x0 + x1, x0 - x1), counting the rows it is asked for. */
function countingTeacher(): TeacherModel & { rowsAsked: number } {
  // The weights are made inside the call: predictLogits' tidy frees them with the other temporaries.
  const inner = predictorTeacher({
    predict: (x) =>
      tf.matMul(
        x,
        tf.tensor2d([
          [1, 1],
          [1, -1],
        ]),
      ),
  });
  const teacher = {
    rowsAsked: 0,
    async logits(x: tf.Tensor2D) {
      teacher.rowsAsked += x.shape[0];
      return inner.logits(x);
    },
  };
  return teacher;
}

describe('withKnownRows', () => {
  it('computes the known tensors once, in chunks with progress, and answers them from then on', async () => {
    const xTrain = tf.tensor2d(Array.from({ length: 10 }, (_, i) => [i, 1]));
    const xTest = tf.tensor2d([[2, 5]]);
    const other = tf.tensor2d([[3, 1]]);
    const model = countingTeacher();
    const progress: [number, number][] = [];
    const before = tf.memory().numTensors;
    const teacher = await withKnownRows(model, [xTrain, xTest], (done, total) => progress.push([done, total]), 4);
    expect(progress).toEqual([
      [4, 11],
      [8, 11],
      [10, 11],
      [11, 11],
    ]);
    expect(model.rowsAsked).toBe(11);

    const train = await teacher.logits(xTrain);
    const test = await teacher.logits(xTest);
    expect(model.rowsAsked).toBe(11);
    expect(train.arraySync()[9]).toEqual([10, 8]);
    expect(test.arraySync()).toEqual([[7, -3]]);
    const fresh = await teacher.logits(other);
    expect(model.rowsAsked).toBe(12);
    expect(fresh.arraySync()).toEqual([[4, 2]]);

    tf.dispose([train, test, fresh]);
    teacher.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xTrain, xTest, other]);
  });

  it('frees what it computed when the model fails part-way', async () => {
    const x = tf.tensor2d(Array.from({ length: 6 }, (_, i) => [i, 0]));
    const model = countingTeacher();
    const failing: TeacherModel = {
      async logits(rows) {
        if (model.rowsAsked >= 4) throw new Error('the model broke');
        return model.logits(rows);
      },
    };
    const before = tf.memory().numTensors;
    await expect(withKnownRows(failing, [x], undefined, 2)).rejects.toThrow('the model broke');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
