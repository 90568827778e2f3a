import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackendEnv, BackendName } from '../core/backend';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import { secondCpuBackend, useCpuBackend } from '../core/test-setup';
import { addToEnsemble, runTrainEnsemble, useEnsemble } from './ensembles';
import type { DistillRunConfig, FromWorker, TeacherRunConfig } from './protocol';
import { RunControl } from './run-driver';
import { runDistill, runTeacher } from './runs';
import { adoptDataset, session } from './session';

/**
 * Ensemble members when the backend fails mid-run, in Node: "wasm" is a second CPU backend with its
 * own tensors, "cpu" the usual one (as in fallback.test.ts), so a member left behind on the failed
 * backend shows as tensors still there.
 */
const WASM = 'cpu-as-wasm';
const realName: Partial<Record<BackendName, string>> = { wasm: WASM, cpu: 'cpu' };
const env: BackendEnv = {
  async probe(name) {
    return realName[name]
      ? { available: true, software: false, detail: `fake ${name}` }
      : { available: false, software: false, detail: 'not in Node' };
  },
  async activate(name) {
    const real = realName[name];
    return real ? tf.setBackend(real) : false;
  },
};
const oldBackend = () => tf.engine().findBackend(WASM) as tf.KernelBackend;
const dataset = makeToyDataset({ kind: 'moons', size: 200, noise: 0.1, seed: 4 });
const teacherConfig: TeacherRunConfig = { preset: 'mlp-256', epochs: 2, batchSize: 32, learningRate: 0.01, seed: 1 };
const distillConfig: DistillRunConfig = {
  studentPreset: 'mlp-16',
  studentSource: 'preset',
  epochs: 3,
  batchSize: 32,
  learningRate: 0.02,
  seed: 1,
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
};

function collect(): { messages: FromWorker[]; post: (m: FromWorker) => void } {
  const messages: FromWorker[] = [];
  return { messages, post: (m) => messages.push(m) };
}

beforeEach(async () => {
  await tf.setBackend(await secondCpuBackend(WASM));
  session.backend = { name: 'wasm', reason: 'asked for', detail: 'fake wasm', attempts: [] };
  session.failedBackends = [];
  adoptDataset(dataset);
});

afterEach(() => {
  adoptDataset(makeToyDataset({ kind: 'moons', size: 20, noise: 0.1, seed: 1 })); // frees the teacher, the members and the data
  if (session.data) tf.dispose([session.data.xTrain, session.data.yTrain, session.data.xTest, session.data.yTest]);
  session.data = null;
  session.dataset = null;
});

afterAll(useCpuBackend);

describe('ensemble members on a backend that fails', () => {
  it('training an ensemble: a failure in the second member moves the first one too, and the ensemble finishes on the next backend', async () => {
    const { messages, post } = collect();
    // The run's epoch 4 is the second member's epoch 2.
    await runTrainEnsemble(new RunControl(1), teacherConfig, 2, 'mean-log-prob', post, { env, failAtEpoch: 4 });
    expect(messages.find((m) => m.type === 'backendChanged')).toMatchObject({
      message: expect.stringMatching(/^wasm failed at epoch 2 \(injected failure\); continued on cpu/),
    });
    const done = messages.at(-1);
    expect(done?.type).toBe('teacherDone');
    expect(session.ensembleMembers.map((m) => m.result.descriptor)).toMatchObject([{ seed: 1 }, { seed: 2 }]);
    expect(oldBackend().numDataIds()).toBe(0); // nothing left behind, the first member included
    const logits = await session.teacher?.model.logits(session.data?.xTest as tf.Tensor2D);
    expect(logits?.shape).toEqual([40, 2]);
    logits?.dispose();
  });

  it('a failure in a distillation moves every member, and the member that is the teacher stays one object', async () => {
    // As the worker runs them: with somewhere to fall back to, so each teacher keeps a copy of its weights.
    await runTrainEnsemble(new RunControl(2), teacherConfig, 2, 'mean-prob', () => {}, { env });
    await runTeacher(new RunControl(3), { ...teacherConfig, seed: 9 }, () => {}, { env });
    addToEnsemble(1);
    const { messages, post } = collect();
    await runDistill(new RunControl(4), distillConfig, { name: 'test run', dataset: 'test data' }, post, { env, failAtEpoch: 2 });
    expect(messages.at(-1)?.type).toBe('distillDone');
    expect(oldBackend().numDataIds()).toBe(0);
    expect(session.ensembleMembers).toHaveLength(3);
    expect(session.ensembleMembers[2]).toBe(session.teacher);
    expect(session.ensembleMembers.slice(0, 2).map((m) => m.result.descriptor)).toMatchObject([{ seed: 1 }, { seed: 2 }]);
    const teacher = await useEnsemble('mean-log-prob', () => {});
    expect(teacher.teacher.members).toHaveLength(3);
    expect(oldBackend().numDataIds()).toBe(0);
  });
});
