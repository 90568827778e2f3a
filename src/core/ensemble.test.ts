import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEnsembleSize, ensembleTeacher, isEnsembleTeacher, LOG_PROB_FLOOR, memberLogits } from './ensemble';
import type { TeacherModel } from './teacher-model';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

/** Independent reference in plain JS doubles. */
function logSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const s = z.reduce((acc, v) => acc + Math.exp(v - m), 0);
  return z.map((v) => v - m - Math.log(s));
}
function softmax(z: number[]): number[] {
  return logSoftmax(z).map(Math.exp);
}

/** A teacher that answers fixed logits (one row per input row), optionally after a timer, as ONNX Runtime would. */
function fixed(rows: number[][], delayMs = 0): TeacherModel {
  return {
    logits: async (x) => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return tf.tensor2d(rows.slice(0, x.shape[0]));
    },
  };
}

const a = [
  [2.0, 1.0, 0.1],
  [-1.0, 3.0, 0.5],
];
const b = [
  [0.5, 0.2, 3.0],
  [4.0, -2.0, 0.0],
];
const c = [
  [1.0, 1.0, 1.0],
  [0.0, 10.0, -5.0],
];
const x = () => tf.zeros([2, 4]) as tf.Tensor2D;

async function rowsOf(t: tf.Tensor2D): Promise<number[][]> {
  const out = (await t.array()) as number[][];
  t.dispose();
  return out;
}

describe('ensembleTeacher', () => {
  it('mean-log-prob: the mean of the members’ log-softmax, by hand', async () => {
    const input = x();
    const got = await rowsOf(await ensembleTeacher([fixed(a), fixed(b), fixed(c)], 'mean-log-prob').logits(input));
    input.dispose();
    for (let r = 0; r < 2; r++) {
      const [la, lb, lc] = [a[r], b[r], c[r]].map(logSoftmax);
      for (let k = 0; k < 3; k++) expect(got[r][k]).toBeCloseTo((la[k] + lb[k] + lc[k]) / 3, 5);
    }
  });

  it('mean-prob: the log of the mean of the members’ softmax, by hand', async () => {
    const input = x();
    const got = await rowsOf(await ensembleTeacher([fixed(a), fixed(b), fixed(c)], 'mean-prob').logits(input));
    input.dispose();
    for (let r = 0; r < 2; r++) {
      const [pa, pb, pc] = [a[r], b[r], c[r]].map(softmax);
      for (let k = 0; k < 3; k++) expect(got[r][k]).toBeCloseTo(Math.log((pa[k] + pb[k] + pc[k]) / 3), 5);
      // Already normalised: the probabilities it stands for sum to 1.
      expect(got[r].reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 5);
    }
  });

  it('the two combines differ where the members disagree', async () => {
    const input = x();
    const geo = await rowsOf(await ensembleTeacher([fixed(a), fixed(b)], 'mean-log-prob').logits(input));
    const arith = await rowsOf(await ensembleTeacher([fixed(a), fixed(b)], 'mean-prob').logits(input));
    input.dispose();
    expect(Math.abs(geo[1][0] - arith[1][0])).toBeGreaterThan(0.1);
  });

  it('stays finite when a member gives a class probability 0', async () => {
    const input = x();
    const zero = fixed([
      [0, Number.NEGATIVE_INFINITY, 0],
      [0, 0, Number.NEGATIVE_INFINITY],
    ]);
    for (const combine of ['mean-log-prob', 'mean-prob'] as const) {
      const got = await rowsOf(await ensembleTeacher([zero, fixed(a)], combine).logits(input));
      expect(got.flat().every(Number.isFinite)).toBe(true);
      expect(Math.min(...got.flat())).toBeGreaterThanOrEqual(LOG_PROB_FLOOR);
    }
    input.dispose();
  });

  it('waits for members that answer asynchronously', async () => {
    const input = x();
    const got = await rowsOf(await ensembleTeacher([fixed(a, 20), fixed(b, 5)], 'mean-log-prob').logits(input));
    input.dispose();
    const expected = logSoftmax(a[0]).map((v, k) => (v + logSoftmax(b[0])[k]) / 2);
    for (const [k, v] of got[0].entries()) expect(v).toBeCloseTo(expected[k], 5);
  });

  it('takes 2 to 8 members, and says how many it got otherwise', () => {
    expect(() => ensembleTeacher([fixed(a)], 'mean-log-prob')).toThrow('An ensemble needs 2 to 8 teachers; it has 1 teacher.');
    expect(() =>
      ensembleTeacher(
        Array.from({ length: 9 }, () => fixed(a)),
        'mean-prob',
      ),
    ).toThrow('it has 9 teachers');
    expect(() => checkEnsembleSize(0)).toThrow('it has 0 teachers');
    expect(() => checkEnsembleSize(2)).not.toThrow();
    expect(() => checkEnsembleSize(8)).not.toThrow();
  });

  it('refuses members with different numbers of classes, naming the member', async () => {
    const input = x();
    const narrow = fixed([
      [1, 2],
      [3, 4],
    ]);
    const before = tf.memory().numTensors;
    await expect(ensembleTeacher([fixed(a), narrow], 'mean-log-prob').logits(input)).rejects.toThrow('Ensemble member 2');
    expect(tf.memory().numTensors).toBe(before);
    input.dispose();
  });

  it('leaves no tensor behind but its answer, with tfjs models as members', async () => {
    const models = [1, 2, 3].map((seed) => {
      const m = tf.sequential({
        layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed }) })],
      });
      return m;
    });
    const members: TeacherModel[] = models.map((m) => ({ logits: async (input) => m.predict(input) as tf.Tensor2D }));
    const input = tf.randomNormal([5, 4], 0, 1, 'float32', 7) as tf.Tensor2D;
    const ensemble = ensembleTeacher(members, 'mean-prob');
    const before = tf.memory().numTensors;
    const out = await ensemble.logits(input);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(out.shape).toEqual([5, 3]);
    out.dispose();
    const each = await memberLogits(ensemble.members, input);
    expect(tf.memory().numTensors).toBe(before);
    expect(each).toHaveLength(3);
    const first = models[0].predict(input) as tf.Tensor2D;
    expect(Array.from(each[0])).toEqual(Array.from(await first.data()));
    first.dispose();
    input.dispose();
    for (const m of models) m.dispose();
  });

  it('is recognised as an ensemble, and a plain teacher is not', () => {
    expect(isEnsembleTeacher(ensembleTeacher([fixed(a), fixed(b)], 'mean-prob'))).toBe(true);
    expect(isEnsembleTeacher(fixed(a))).toBe(false);
  });
});
