import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './data/types';
import { DEFAULT_METHOD } from './experiment';
import { buildModel } from './models';
import { disposeTensors, toTensors, type DataTensors } from './tensors';
import { blobs } from './test-data';
import { useCpuBackend } from './test-setup';
import { predictorTeacher } from './teacher-model';
import { distill, trainModel, type DistillConfig, type DistillEpoch, type DistillLossPoint } from './trainer';

const set: Dataset = {
  name: 'blobs',
  numFeatures: 8,
  numClasses: 4,
  classNames: ['a', 'b', 'c', 'd'],
  train: blobs(192, 1),
  test: blobs(96, 2),
};
const base: DistillConfig = { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 5, temperature: 4, alpha: 0.9, logEvery: 1 };
const dkd: DistillConfig = { ...base, method: { ...DEFAULT_METHOD, method: 'dkd' } };

let data: DataTensors;
let teacher: tf.LayersModel;

async function run(config: DistillConfig) {
  const distilled = buildModel({ kind: 'mlp', hidden: [6], activation: 'relu', dropout: 0 }, set, 21);
  const scratch = buildModel({ kind: 'mlp', hidden: [6], activation: 'relu', dropout: 0 }, set, 21);
  const points: DistillLossPoint[] = [];
  const epochs: DistillEpoch[] = [];
  try {
    for await (const ev of distill({ teacher: predictorTeacher(teacher), distilled, scratch, data, config })) {
      if (ev.kind === 'losses') points.push(...ev.points);
      else if (ev.kind === 'epoch') epochs.push(ev.summary);
    }
    return { points, epochs, weights: distilled.getWeights().flatMap((w) => Array.from(w.dataSync())) };
  } finally {
    distilled.dispose();
    scratch.dispose();
  }
}

beforeAll(async () => {
  await useCpuBackend();
  data = toTensors(set);
  teacher = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, set, 1);
  for await (const _ of trainModel({ model: teacher, data, config: { epochs: 4, batchSize: 32, learningRate: 0.01, seed: 1 } }));
});

afterAll(() => {
  teacher.dispose();
  disposeTensors(data);
});

describe('distill with Decoupled KD', () => {
  it('logs TCKD and NCKD every step, with soft = α·TCKD + β·NCKD, and the control beside them', async () => {
    const { points, epochs } = await run({ ...dkd, method: { ...DEFAULT_METHOD, method: 'dkd', dkdAlpha: 2, dkdBeta: 3 } });
    expect(points.length).toBe(12);
    for (const p of points) {
      expect(p.tckd).toBeGreaterThan(0);
      expect(p.nckd).toBeGreaterThan(0);
      expect(p.soft).toBeCloseTo(2 * (p.tckd ?? 0) + 3 * (p.nckd ?? 0), 3);
      expect(Number.isFinite(p.scratch)).toBe(true);
    }
    // Above chance (0.25) after two short epochs: it learns.
    expect(epochs.at(-1)?.distilledAccuracy).toBeGreaterThan(0.35);
  });

  it('Hinton KD logs neither, and trains the student differently', async () => {
    const hinton = await run(base);
    const withDkd = await run(dkd);
    expect(hinton.points[0].tckd).toBeUndefined();
    expect(hinton.weights).not.toEqual(withDkd.weights);
  });

  it('leaks no tensor over a whole DKD run', async () => {
    const before = tf.memory().numTensors;
    await run(dkd);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('distill with ablated soft targets', () => {
  it('is deterministic per seed, differs from the teacher’s targets and between the two ablations, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const shuffled = await run({ ...base, softTargets: 'shuffled' });
    expect((await run({ ...base, softTargets: 'shuffled' })).weights).toEqual(shuffled.weights);
    expect((await run({ ...base, softTargets: 'shuffled', seed: 6 })).weights).not.toEqual(shuffled.weights);
    const smoothed = await run({ ...base, softTargets: 'smoothed' });
    const own = await run(base);
    expect(smoothed.weights).not.toEqual(shuffled.weights);
    expect(own.weights).not.toEqual(shuffled.weights);
    expect(own.weights).not.toEqual(smoothed.weights);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('combinations refused before any step, naming both settings', () => {
  it.each([
    [{ ...dkd, softTargets: 'shuffled' as const }, /Shuffled non-target classes.*Hinton KD only.*Decoupled KD \(DKD\)/],
    [{ ...dkd, transfer: { labelledFraction: 0.5, omitClass: null, jitter: 0 } }, /Decoupled KD \(DKD\).*Labelled fraction is 50%/],
    [
      {
        ...base,
        softTargets: 'smoothed' as const,
        transfer: { labelledFraction: 1, omitClass: null, jitter: 0, data: { kind: 'gaussian' as const } },
      },
      /Label smoothing.*Transfer data/,
    ],
  ])('%#', async (config, message) => {
    const before = tf.memory().numTensors;
    await expect(run(config)).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});
