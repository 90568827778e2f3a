import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_METHOD, DEFAULT_TRANSFER } from '../core/experiment';
import { buildModel } from '../core/models';
import type { SweepSpec } from '../core/sweep';
import { predictorTeacher } from '../core/teacher-model';
import { useCpuBackend } from '../core/test-setup';
import { trainModel } from '../core/trainer';
import { toTensors } from '../core/tensors';
import type { DistillRunConfig, FromWorker } from './protocol';
import { RunControl } from './run-driver';
import { adoptDataset, session } from './session';
import { runSweep } from './sweeps';

const base: DistillRunConfig = {
  studentPreset: 'mlp-16',
  studentSource: 'preset',
  epochs: 2,
  batchSize: 32,
  learningRate: 0.01,
  seed: 1,
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
};
const spec: SweepSpec = {
  temperatures: [4],
  alphas: [0.9],
  studentPresets: ['mlp-16'],
  seeds: [3],
  softTargets: ['teacher', 'shuffled', 'smoothed'],
};

beforeAll(async () => {
  await useCpuBackend();
  const dataset = makeToyDataset({ kind: 'blobs', size: 300, noise: 0.5, classes: 4, seed: 1 });
  adoptDataset(dataset);
  const model = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, dataset, 1);
  const data = toTensors(dataset);
  for await (const _ of trainModel({ model, data, config: { epochs: 3, batchSize: 32, learningRate: 0.01, seed: 1 } }));
  tf.dispose([data.xTrain, data.yTrain, data.xTest, data.yTest]);
  session.teacher = {
    model: predictorTeacher(model),
    layers: model,
    result: {
      testAccuracy: 0,
      agreement: 1,
      params: null,
      bytes: null,
      latencyMsPerSample: null,
      description: 'trained',
      source: 'trained',
      exportable: true,
      hintLayers: null,
    },
    dispose: () => model.dispose(),
  };
});

afterAll(() => {
  adoptDataset(makeToyDataset({ kind: 'blobs', size: 30, noise: 0.5, classes: 3, seed: 1 })); // frees the teacher and the data
});

async function sweep(config: DistillRunConfig, s: SweepSpec) {
  const messages: FromWorker[] = [];
  await runSweep(new RunControl(1), config, s, (msg) => messages.push(msg));
  return messages.flatMap((m) => (m.type === 'sweepRun' ? [m.result] : []));
}

describe('a sweep over soft targets', () => {
  it('runs one cell per option, from the same start and one shared control, and the ablations change the student', async () => {
    const before = tf.memory().numTensors;
    const runs = await sweep(base, spec);
    expect(tf.memory().numTensors).toBe(before);
    expect(runs.map((r) => r.softTargets)).toEqual(['teacher', 'shuffled', 'smoothed']);
    expect(new Set(runs.map((r) => r.scratch)).size).toBe(1);
    expect(new Set(runs.map((r) => r.distilled)).size).toBeGreaterThan(1);
  });

  it('refuses, before any run, ablations with DKD or born-again', async () => {
    const dkd = { ...base, loss: { ...DEFAULT_LOSS, method: { ...DEFAULT_METHOD, method: 'dkd' as const } } };
    await expect(sweep(dkd, spec)).rejects.toThrow(/Shuffled non-target classes.*Hinton KD only/);
    expect(await sweep(dkd, { ...spec, softTargets: undefined })).toHaveLength(1);
    const bornAgain = { ...base, loss: { ...DEFAULT_LOSS, method: { ...DEFAULT_METHOD, method: 'born-again' as const } } };
    await expect(sweep(bornAgain, spec)).rejects.toThrow(/Shuffled non-target classes.*Hinton KD only, and Method is "Born-again"/);
  });
});
