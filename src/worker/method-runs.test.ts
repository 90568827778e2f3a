import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_METHOD, DEFAULT_TRANSFER, type DistilMethod } from '../core/experiment';
import { useCpuBackend } from '../core/test-setup';
import { runMethod } from './method-runs';
import type { DistillRunConfig, FromWorker } from './protocol';
import { RunControl } from './run-driver';
import { runTeacher } from './runs';
import { adoptDataset, session } from './session';

const dataset = makeToyDataset({ kind: 'blobs', size: 120, noise: 0.5, classes: 3, seed: 3 });
const withMethod = (method: DistilMethod, generations = 2): DistillRunConfig => ({
  studentPreset: 'mlp-16',
  studentSource: 'preset',
  epochs: 2,
  batchSize: 32,
  learningRate: 0.02,
  seed: 4,
  loss: { ...DEFAULT_LOSS, method: { ...DEFAULT_METHOD, method, generations } },
  transfer: DEFAULT_TRANSFER,
});
const KEEP = { name: 'methods', dataset: 'Blobs' };

async function run(c: DistillRunConfig, control = new RunControl(2)): Promise<FromWorker[]> {
  const messages: FromWorker[] = [];
  await runMethod(control, c, KEEP, (m) => messages.push(m), {});
  return messages;
}

function done(messages: FromWorker[]) {
  const last = messages.at(-1);
  if (last?.type !== 'distillDone') throw new Error(`ended with ${last?.type}: ${JSON.stringify(last)}`);
  return last.results;
}

beforeAll(async () => {
  await useCpuBackend();
  adoptDataset(dataset);
  await runTeacher(new RunControl(1), { preset: 'mlp-256', epochs: 2, batchSize: 32, learningRate: 0.02, seed: 1 }, () => {});
});

afterAll(() => {
  adoptDataset(makeToyDataset({ kind: 'blobs', size: 12, noise: 0.5, classes: 3, seed: 1 })); // frees the models
});

describe('born-again in the worker', () => {
  it("posts each generation as it ends, keeps the last as the distilled student with the teacher's architecture, and counts epochs over both", async () => {
    const messages = await run(withMethod('born-again', 2));
    const generations = messages.filter((m) => m.type === 'generationDone');
    expect(generations.map((m) => [m.runId, m.generations, m.result.generation])).toEqual([
      [2, 2, 1],
      [2, 2, 2],
    ]);
    const results = done(messages);
    expect(results.generations).toEqual(generations.map((m) => m.result));
    expect(results.distilled.testAccuracy).toBeCloseTo(results.generations?.at(-1)?.testAccuracy ?? Number.NaN, 6);
    expect(results.distilled.params).toBe(session.teacher?.layers?.countParams());
    expect(results.distilled.description).toMatch(/^Teacher's architecture .*, generation 2$/);
    expect(messages.filter((m) => m.type === 'distillEpoch').map((m) => m.summary.epoch)).toEqual([1, 2, 3, 4]);
    expect(session.students?.distilled.countParams()).toBe(results.distilled.params);
  });

  it('refuses a teacher with no layers architecture, naming both settings, and changes nothing', async () => {
    const teacher = session.teacher;
    if (!teacher) throw new Error('no teacher');
    const students = session.students;
    session.teacher = { ...teacher, layers: null, result: { ...teacher.result, kind: 'onnx' } };
    try {
      await expect(run(withMethod('born-again'))).rejects.toThrow(/Born-again.*layers teacher.*ONNX/);
      expect(session.students).toBe(students);
    } finally {
      session.teacher = teacher;
    }
  });
});

describe('mutual learning in the worker', () => {
  it('measures the peer student beside the distilled one and keeps the distilled one and the control, freeing the peer', async () => {
    await run(withMethod('mutual')); // the session's students of an earlier run replaced once, so the count below compares like with like
    const before = tf.memory().numTensors;
    const messages = await run(withMethod('mutual'));
    const results = done(messages);
    expect(results.peer?.description).toMatch(/student 2 of 2$/);
    expect(results.peer?.params).toBe(results.distilled.params);
    expect(results.peer?.testAccuracy).not.toBeUndefined();
    expect(messages.some((m) => m.type === 'generationDone')).toBe(false);
    const epochs = messages.filter((m) => m.type === 'distillEpoch');
    expect(epochs.at(-1)?.summary.peerAccuracy).toBeCloseTo(results.peer?.testAccuracy ?? Number.NaN, 6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses Repeats, naming both settings', async () => {
    await expect(run({ ...withMethod('mutual'), repeats: 2 })).rejects.toThrow(/Mutual learning.*Repeats/);
  });
});
