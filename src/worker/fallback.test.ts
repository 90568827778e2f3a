import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackendEnv, BackendName } from '../core/backend';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import { architectureOf, captureWeights, modelFrom } from '../core/checkpoint';
import { buildModel } from '../core/models';
import { secondCpuBackend, useCpuBackend } from '../core/test-setup';
import { predictorTeacher } from '../core/teacher-model';
import type { DistillRunConfig, FromWorker } from './protocol';
import { RunControl } from './run-driver';
import { runDistill, runTeacher } from './runs';
import { session, adoptDataset, type SessionTeacher } from './session';
import { TEST_TEACHER_RESULT } from './test-teacher';

/** Where runs here would keep their student (no IndexedDB in these tests: the save fails, the run still finishes). */
const KEEP = { name: 'test run', dataset: 'test data' };

/**
 * A backend that fails mid-run, in Node: "wasm" is a second CPU backend (its own tensors, as a real
 * wasm backend has), "cpu" the usual one, so the test sees every tensor move from one to the other.
 */
const WASM = 'cpu-as-wasm';
const realName: Partial<Record<BackendName, string>> = { wasm: WASM, cpu: 'cpu' };

function env(failing: BackendName[] = []): BackendEnv & { activated: BackendName[] } {
  const activated: BackendName[] = [];
  return {
    activated,
    async probe(name) {
      return realName[name]
        ? { available: true, software: false, detail: `fake ${name}` }
        : { available: false, software: false, detail: 'not in Node' };
    },
    async activate(name) {
      activated.push(name);
      const real = realName[name];
      if (!real || failing.includes(name)) return false;
      return tf.setBackend(real);
    },
  };
}

const oldBackend = () => tf.engine().findBackend(WASM) as tf.KernelBackend;
const dataset = makeToyDataset({ kind: 'moons', size: 200, noise: 0.1, seed: 4 });
const config: DistillRunConfig = {
  studentPreset: 'mlp-16',
  studentSource: 'preset',
  epochs: 4,
  batchSize: 32,
  learningRate: 0.02,
  seed: 1,
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
};
const teacherResult = TEST_TEACHER_RESULT;

/** A trained-here teacher as runTeacher leaves it: movable through its weights. */
async function teacherOnActiveBackend(): Promise<SessionTeacher> {
  const model = buildModel({ kind: 'mlp', hidden: [12], activation: 'relu', dropout: 0 }, dataset, 2);
  const architecture = architectureOf(model);
  const weights = await captureWeights(model);
  const recreate = async (): Promise<SessionTeacher> => {
    const m = await modelFrom(architecture, weights);
    return { model: predictorTeacher(m), layers: m, result: teacherResult, dispose: () => m.dispose(), recreate };
  };
  return { model: predictorTeacher(model), layers: model, result: teacherResult, dispose: () => model.dispose(), recreate };
}

beforeEach(async () => {
  await tf.setBackend(await secondCpuBackend(WASM));
  session.backend = { name: 'wasm', reason: 'asked for', detail: 'fake wasm', attempts: [] };
  session.failedBackends = [];
  adoptDataset(dataset);
  session.teacher = await teacherOnActiveBackend();
});

afterEach(async () => {
  adoptDataset(makeToyDataset({ kind: 'moons', size: 20, noise: 0.1, seed: 1 })); // frees the teacher, students and data
  session.data && tf.dispose([session.data.xTrain, session.data.yTrain, session.data.xTest, session.data.yTest]);
  session.data = null;
  session.dataset = null;
});

afterAll(useCpuBackend);

function collect(): { messages: FromWorker[]; post: (m: FromWorker) => void } {
  const messages: FromWorker[] = [];
  return { messages, post: (m) => messages.push(m) };
}

describe('a backend that fails mid-run', () => {
  it('distillation: checkpoints per epoch, moves everything to the next backend and finishes there', async () => {
    const fake = env();
    const { messages, post } = collect();
    await runDistill(new RunControl(1), config, KEEP, post, { env: fake, failAtEpoch: 2 });
    const changed = messages.find((m) => m.type === 'backendChanged');
    expect(changed).toMatchObject({ type: 'backendChanged', backend: { name: 'cpu' } });
    expect(changed?.type === 'backendChanged' && changed.message).toBe(
      "wasm failed at epoch 2 (injected failure); continued on cpu from the end of epoch 1 (the optimiser's state was reset there).",
    );
    expect(messages.flatMap((m) => (m.type === 'distillEpoch' ? [m.summary.epoch] : []))).toEqual([1, 2, 3, 4]);
    expect(messages.at(-1)?.type).toBe('distillDone');
    expect(fake.activated).toEqual(['cpu']);
    expect(session.backend?.name).toBe('cpu');
    expect(session.failedBackends).toEqual(['wasm']);
    // Nothing is left on the failed backend: data, teacher and the run's students were all made again.
    expect(oldBackend().numDataIds()).toBe(0);
    expect(tf.getBackend()).toBe('cpu');
    expect(session.students).not.toBeNull();
    expect(session.teacher?.recreate).toBeDefined();
  });

  it('teacher training: the same, and the trained teacher can move again later', async () => {
    const { messages, post } = collect();
    await runTeacher(new RunControl(2), { preset: 'mlp-256', epochs: 3, batchSize: 64, learningRate: 0.01, seed: 1 }, post, {
      env: env(),
      failAtEpoch: 3,
    });
    expect(messages.find((m) => m.type === 'backendChanged')).toMatchObject({
      message: expect.stringMatching(/^wasm failed at epoch 3 \(injected failure\); continued on cpu from the end of epoch 2/),
    });
    expect(messages.flatMap((m) => (m.type === 'teacherEpoch' ? [m.summary.epoch] : []))).toEqual([1, 2, 3]);
    expect(messages.some((m) => m.type === 'teacherDone')).toBe(true);
    expect(oldBackend().numDataIds()).toBe(0);
    expect(session.teacher?.recreate).toBeDefined();
  });

  it('with no backend left, stops with a clear message and keeps the teacher, the data and the epochs done', async () => {
    const fake = env(['cpu']);
    const { messages, post } = collect();
    const teacher = session.teacher;
    const tensorsBefore = oldBackend().numDataIds();
    await expect(runDistill(new RunControl(3), config, KEEP, post, { env: fake, failAtEpoch: 3 })).rejects.toThrow(
      /^wasm failed at epoch 3 \(injected failure\), and the distillation could not go on: No other backend could take over from wasm: .*cpu: smoke test failed: failed to initialise\. The epochs it finished are shown; the teacher, the data and earlier results are kept\.$/,
    );
    expect(messages.flatMap((m) => (m.type === 'distillEpoch' ? [m.summary.epoch] : []))).toEqual([1, 2]);
    expect(tf.getBackend()).toBe(WASM);
    expect(session.teacher).toBe(teacher);
    expect(session.data).not.toBeNull();
    expect(oldBackend().numDataIds()).toBe(tensorsBefore); // the run's own tensors are freed, the session's kept
  });

  it("a run's own error (not the backend's) is not retried elsewhere", async () => {
    const fake = env();
    await expect(runDistill(new RunControl(4), { ...config, learningRate: 0 }, KEEP, () => {}, { env: fake })).rejects.toThrow(
      /Learning rate/,
    );
    expect(fake.activated).toEqual([]);
  });
});

describe('moving the session', () => {
  it('says what it could not move (a teacher with no copy outside the failed backend) and drops it', async () => {
    const teacher = session.teacher as SessionTeacher;
    session.teacher = { ...teacher, recreate: undefined };
    const { messages, post } = collect();
    await expect(runDistill(new RunControl(5), config, KEEP, post, { env: env(), failAtEpoch: 2 })).rejects.toThrow(
      'The teacher is gone: load or train it again.',
    );
    const changed = messages.find((m) => m.type === 'backendChanged');
    expect(changed).toMatchObject({
      dropped: { teacher: true, uploadedStudent: false, students: false },
      message: expect.stringContaining(
        'Not moved: the teacher could not be moved (there is no copy of it outside the failed backend): load or train it again.',
      ),
    });
    expect(session.teacher).toBeNull();
    expect(oldBackend().numDataIds()).toBe(0);
  });
});
