/**
 * ONNX teachers through the worker's own routing (router.ts), as the page sends them: a model that
 * loads, is measured against an independent computation of the same weights, and is distilled
 * from; a model with two outputs that asks which one first; the logits computed once (cache).
 */
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import {
  mlpLogitsTf,
  mlpOnnx,
  nanOnnx,
  randomMlpWeights,
  softmaxOnnx,
  twoOutputsOnnx,
  type MlpWeights,
} from '../core/onnx/test-onnx-models';
import { disposeTensors, toTensors } from '../core/tensors';
import { useCpuBackend } from '../core/test-setup';
import { forgetCachedLogitsInMemory } from '../storage/logits-cache';
import { logitsProgress } from './onnx-teachers';
import type { DistillRunConfig, FromWorker, ToWorker } from './protocol';
import { createRouter } from './router';
import { adoptDataset, dropStudents, dropTeacher, session } from './session';

const dataset = makeToyDataset({ kind: 'spiral', size: 90, noise: 0.1, classes: 3, seed: 4 });
const weights: MlpWeights = randomMlpWeights(2, 6, 3, 7);

const route = createRouter({
  backends: { probe: async () => ({ available: false, software: false, detail: 'no backends in this test' }), activate: async () => false },
  planWasmThreads: () => {},
});

let requestId = 0;
async function send(msg: ToWorker): Promise<FromWorker[]> {
  const answers: FromWorker[] = [];
  await route(msg, (m) => answers.push(m));
  return answers;
}

const onnxFile = (bytes: Uint8Array, name = 'teacher.onnx') => new File([bytes as Uint8Array<ArrayBuffer>], name);
const loadTeacher = (file: File, onnx?: { output?: string }) => send({ type: 'loadTeacher', requestId: ++requestId, files: [file], onnx });

function only<T extends FromWorker['type']>(answers: FromWorker[], type: T): Extract<FromWorker, { type: T }> {
  // Progress, and the boundary a 2-D data set draws, come along with the answer.
  const found = answers.filter((m) => m.type !== 'teacherProgress' && m.type !== 'teacherBoundary');
  expect(
    found.map((m) => m.type),
    JSON.stringify(found.map((m) => ('message' in m ? m.message : m.type))),
  ).toEqual([type]);
  return found[0] as Extract<FromWorker, { type: T }>;
}

/** Test accuracy and logits of the same weights computed with TF.js, apart from ONNX Runtime. */
function expected(): { accuracy: number; logits: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor2d(dataset.test.x, [dataset.test.n, 2]);
    const logits = mlpLogitsTf(x, weights);
    const right = tf.equal(tf.argMax(logits, 1), tf.tensor1d(dataset.test.y, 'int32'));
    return { accuracy: tf.mean(tf.cast(right, 'float32')).dataSync()[0], logits: logits.dataSync() as Float32Array };
  });
}

beforeAll(async () => {
  await useCpuBackend();
});

beforeEach(() => {
  dropStudents();
  dropTeacher();
  forgetCachedLogitsInMemory();
  adoptDataset(dataset);
});

afterAll(() => {
  dropStudents();
  dropTeacher();
});

describe('an ONNX teacher in the worker', () => {
  it('loads with progress, is measured like any teacher, and is distilled from', async () => {
    const answers = await loadTeacher(onnxFile(mlpOnnx(weights)));
    const progress = answers.filter((m) => m.type === 'teacherProgress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ done: dataset.train.n + dataset.test.n, total: dataset.train.n + dataset.test.n });
    const { teacher } = only(answers, 'teacherLoaded');
    const want = expected();
    expect(teacher.testAccuracy).toBeCloseTo(want.accuracy, 6);
    expect(teacher).toMatchObject({ kind: 'onnx', source: 'uploaded', exportable: false, hintLayers: null, agreement: 1 });
    expect(teacher.params).toBe(2 * 6 + 6 + 6 * 3 + 3);
    expect(teacher.description).toBe('Uploaded teacher.onnx (ONNX, input "input" [N, 2] as flat rows)');
    expect(teacher.descriptor).toMatchObject({ kind: 'onnx', fileName: 'teacher.onnx', input: 'input', output: 'logits', layout: 'flat' });
    expect(teacher.descriptor?.kind === 'onnx' && teacher.descriptor.sha256).toMatch(/^[0-9a-f]{64}$/);

    const config: DistillRunConfig = {
      studentPreset: 'mlp-16',
      studentSource: 'preset',
      epochs: 2,
      batchSize: 32,
      learningRate: 0.02,
      seed: 1,
      loss: DEFAULT_LOSS,
      transfer: DEFAULT_TRANSFER,
    };
    const run = await send({ type: 'distill', runId: 1, config, keep: { name: 'from onnx', dataset: 'spiral' } });
    const done = run.find((m) => m.type === 'distillDone');
    if (done?.type !== 'distillDone') throw new Error(`no distillDone: ${JSON.stringify(run.filter((m) => m.type === 'error'))}`);
    expect(run.filter((m) => m.type === 'distillEpoch')).toHaveLength(2);
    expect(done.results.teacher.testAccuracy).toBeCloseTo(want.accuracy, 6);
    expect(done.results.teacher.latencyMsPerSample).toBeGreaterThan(0);
    expect(done.results.distilled.agreement).toBeGreaterThan(0);
    const outputs = done.results.testOutputs;
    expect(outputs?.teacher).toHaveLength(dataset.test.n * 3);
    Array.from(outputs?.teacher ?? []).forEach((v, i) => {
      expect(v).toBeCloseTo(want.logits[i], 4);
    });
    expect(outputs?.members).toBeUndefined();
  });

  it('computes the logits once: a second load of the same model on the same data takes them from the cache', async () => {
    // Bytes no other test loads (another name for the batch dimension), so that nothing is cached yet.
    const bytes = mlpOnnx(weights, { batch: 'rows' });
    const first = await loadTeacher(onnxFile(bytes));
    expect(first.some((m) => m.type === 'teacherProgress')).toBe(true);
    const again = await loadTeacher(onnxFile(bytes, 'renamed.onnx'));
    expect(again.some((m) => m.type === 'teacherProgress')).toBe(false);
    forgetCachedLogitsInMemory(); // a reload: from IndexedDB
    const reloaded = await loadTeacher(onnxFile(bytes));
    expect(reloaded.some((m) => m.type === 'teacherProgress')).toBe(false);
    expect(only(reloaded, 'teacherLoaded').teacher.testAccuracy).toBeCloseTo(expected().accuracy, 6);
  });

  it('asks which output of a two-output model, changing nothing, then loads the one picked', async () => {
    await loadTeacher(onnxFile(mlpOnnx(weights)));
    const before = session.teacher;
    const asked = only(await loadTeacher(onnxFile(twoOutputsOnnx(weights), 'two.onnx')), 'teacherQuestion');
    expect(asked.fileName).toBe('two.onnx');
    expect(asked.question.outputs?.map((o) => o.name)).toEqual(['hidden', 'logits']);
    expect(asked.question.inputs).toBeUndefined();
    expect(session.teacher).toBe(before);

    const { teacher, dropped } = only(
      await loadTeacher(onnxFile(twoOutputsOnnx(weights), 'two.onnx'), { output: 'logits' }),
      'teacherLoaded',
    );
    expect(teacher.testAccuracy).toBeCloseTo(expected().accuracy, 6);
    expect(teacher.descriptor).toMatchObject({ output: 'logits' });
    expect(dropped.teacher).toBe(true);
    expect(session.teacher).not.toBe(before);
  });

  it('keeps a good ONNX teacher when a bad one follows, and it still answers', async () => {
    const { teacher } = only(await loadTeacher(onnxFile(mlpOnnx(weights))), 'teacherLoaded');
    const before = session.teacher;
    const failed = only(await loadTeacher(onnxFile(nanOnnx(2, 3), 'nan.onnx')), 'teacherFailed');
    expect(failed.message).toMatch(/^nan\.onnx: the model's output "logits" is NaN or infinite for \d+ of the \d+ training rows/);
    expect(session.teacher).toBe(before);
    expect(session.teacher?.result).toBe(teacher);
    const x = tf.tensor2d(dataset.test.x, [dataset.test.n, 2]);
    const logits = await session.teacher?.model.logits(x);
    const want = expected().logits;
    const got = logits?.dataSync() ?? new Float32Array(0);
    expect(got).toHaveLength(want.length);
    got.forEach((v, k) => {
      expect(v).toBeCloseTo(want[k], 4);
    });
    tf.dispose([x, ...(logits ? [logits] : [])]);
  });

  it('is made again over new data tensors after a backend switch, from the logits already computed', async () => {
    only(await loadTeacher(onnxFile(mlpOnnx(weights))), 'teacherLoaded');
    const old = session.teacher;
    if (!old?.recreate || !session.data) throw new Error('expected a movable ONNX teacher');
    const oldData = session.data;
    session.data = toTensors(dataset); // what moveSessionTo does first
    const moved = await old.recreate();
    old.dispose();
    disposeTensors(oldData);
    session.teacher = moved;
    expect(moved.result).toBe(old.result);
    const logits = await moved.model.logits(session.data.xTest);
    const want = expected().logits;
    Array.from(logits.dataSync()).forEach((v, k) => {
      expect(v).toBeCloseTo(want[k], 4);
    });
    logits.dispose();
  });

  it('says when a model outputs probabilities, and distils from their logs', async () => {
    const { teacher } = only(await loadTeacher(onnxFile(softmaxOnnx(weights), 'probs.onnx')), 'teacherLoaded');
    expect(teacher.description).toMatch(/outputs probabilities/);
    expect(teacher.testAccuracy).toBeCloseTo(expected().accuracy, 6);
  });
});

describe('teacher logits progress', () => {
  it('posts at most one message per 100 ms, always the last, with an ETA from the rate so far', () => {
    const sent: FromWorker[] = [];
    let now = 1000;
    const report = logitsProgress(
      5,
      (m) => sent.push(m),
      () => now,
    );
    report(0, 100);
    now += 50;
    report(10, 100); // too soon
    now += 60;
    report(25, 100);
    report(100, 100); // the last always goes
    expect(sent).toEqual([
      { type: 'teacherProgress', requestId: 5, stage: 'logits', done: 0, total: 100, etaSeconds: null },
      { type: 'teacherProgress', requestId: 5, stage: 'logits', done: 25, total: 100, etaSeconds: expect.closeTo(0.33, 2) },
      { type: 'teacherProgress', requestId: 5, stage: 'logits', done: 100, total: 100, etaSeconds: 0 },
    ]);
  });
});
