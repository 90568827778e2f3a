import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import type { ModelSpec } from '../core/model-spec';
import { buildModel } from '../core/models';
import { useCpuBackend } from '../core/test-setup';
import { predictorTeacher } from '../core/teacher-model';
import type { FromWorker } from './protocol';
import { createRouter } from './router';
import { dropStudents, dropTeacher, session, adoptDataset } from './session';
import { transferables, tryItPredictions } from './try-it';
import { TEST_TEACHER_RESULT } from './test-teacher';

const dataset = makeToyDataset({ kind: 'moons', size: 40, noise: 0.1, seed: 2 });
const spec: ModelSpec = { kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 };
const result = TEST_TEACHER_RESULT;
const point = Float32Array.from([0.5, -0.25]);

const model = (seed: number) => buildModel(spec, dataset, seed);

/** What `m` itself answers for `point`, computed apart from the code under test. */
function direct(m: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((m.predict(tf.tensor2d(point, [1, 2])) as tf.Tensor).dataSync()));
}

function loadTeacher(): tf.LayersModel {
  const teacher = model(1);
  session.teacher = { model: predictorTeacher(teacher), layers: teacher, result, dispose: () => teacher.dispose() };
  return teacher;
}

beforeAll(async () => {
  await useCpuBackend();
  adoptDataset(dataset);
});

afterEach(() => {
  dropTeacher();
  dropStudents();
  session.liveStudents = null;
  session.dataset = dataset;
});

describe('Try it predictions in the worker', () => {
  it("gives the teacher's logits and nulls for students that do not exist, leaving no tensor", async () => {
    const teacher = loadTeacher();
    const before = tf.memory().numTensors;
    const answer = await tryItPredictions(3, point);
    expect(tf.memory().numTensors).toBe(before);
    if (answer.type !== 'predictions') throw new Error(answer.message);
    expect(answer.requestId).toBe(3);
    expect(Array.from(answer.logits.teacher ?? [])).toEqual(direct(teacher).map((v) => expect.closeTo(v, 5)));
    expect(answer.logits.distilled).toBeNull();
    expect(answer.logits.scratch).toBeNull();
    expect(transferables(answer)).toHaveLength(1);
  });

  it('reads the students in training before the last run’s, each from its own model', async () => {
    loadTeacher();
    session.students = { distilled: model(2), scratch: model(3) };
    const live = { distilled: model(4), scratch: model(5) };
    const finished = await tryItPredictions(1, point);
    if (finished.type !== 'predictions') throw new Error(finished.message);
    expect(Array.from(finished.logits.distilled ?? [])).toEqual(direct(session.students.distilled).map((v) => expect.closeTo(v, 5)));
    expect(Array.from(finished.logits.scratch ?? [])).toEqual(direct(session.students.scratch).map((v) => expect.closeTo(v, 5)));

    session.liveStudents = () => live;
    const before = tf.memory().numTensors;
    const during = await tryItPredictions(2, point);
    expect(tf.memory().numTensors).toBe(before);
    if (during.type !== 'predictions') throw new Error(during.message);
    expect(Array.from(during.logits.distilled ?? [])).toEqual(direct(live.distilled).map((v) => expect.closeTo(v, 5)));
    expect(Array.from(during.logits.scratch ?? [])).toEqual(direct(live.scratch).map((v) => expect.closeTo(v, 5)));
    expect(transferables(during)).toHaveLength(3);
    live.distilled.dispose();
    live.scratch.dispose();
  });

  it('refuses a row of the wrong length, a value that is not a number, and a missing data set, leaving no tensor', async () => {
    loadTeacher();
    const before = tf.memory().numTensors;
    expect(await tryItPredictions(4, Float32Array.from([1, 2, 3]))).toEqual({
      type: 'predictFailed',
      requestId: 4,
      message: 'The input has 3 values; the models of Two moons take 2.',
    });
    expect(await tryItPredictions(5, Float32Array.from([1, Number.NaN]))).toEqual({
      type: 'predictFailed',
      requestId: 5,
      message: 'Every input value must be a number.',
    });
    session.dataset = null;
    expect(await tryItPredictions(6, point)).toEqual({ type: 'predictFailed', requestId: 6, message: 'The data set is not loaded yet.' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answers a model that fails (a student freed by a backend fallback) with its error, leaving no tensor', async () => {
    loadTeacher();
    const gone = { distilled: model(6), scratch: model(7) };
    gone.scratch.dispose();
    session.liveStudents = () => gone;
    const before = tf.memory().numTensors;
    const answer = await tryItPredictions(7, point);
    expect(answer.type).toBe('predictFailed');
    expect(tf.memory().numTensors).toBe(before);
    gone.distilled.dispose();
  });

  it('is routed: a predict message gets its answer with the logits moved, not copied', async () => {
    loadTeacher();
    const route = createRouter({
      backends: {
        probe: async () => ({ available: false, software: false, detail: 'no backends in this test' }),
        activate: async () => false,
      },
      planWasmThreads: () => {},
    });
    const posted: { msg: FromWorker; transfer?: Transferable[] }[] = [];
    await route({ type: 'predict', requestId: 9, features: point }, (msg, transfer) => posted.push({ msg, transfer }));
    expect(posted).toHaveLength(1);
    const [{ msg, transfer }] = posted;
    if (msg.type !== 'predictions') throw new Error(`unexpected ${msg.type}`);
    expect(msg.requestId).toBe(9);
    expect(transfer).toEqual([msg.logits.teacher?.buffer]);
  });
});
