import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import type { TransferData } from '../experiment';
import type { ModelSpec } from '../model-spec';
import { buildModel } from '../models';
import { disposeTensors, toTensors, type DataTensors } from '../tensors';
import { blobs } from '../test-data';
import { useCpuBackend } from '../test-setup';
import type { TeacherModel } from '../teacher-model';
import { predictorTeacher } from '../teacher-model';
import { distill, trainModel, type DistillConfig, type DistillEpoch } from '../trainer';
import { featureMoments } from './gaussian';
import { mixRows } from './mixup';
import { mixupSource } from './source';

const set: Dataset = {
  name: 'blobs',
  numFeatures: 8,
  numClasses: 4,
  classNames: ['a', 'b', 'c', 'd'],
  train: blobs(256, 1),
  test: blobs(128, 2),
};
const teacherSpec: ModelSpec = { kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0 };
const studentSpec: ModelSpec = { kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
const base: DistillConfig = { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 5, temperature: 4, alpha: 0.9 };

let data: DataTensors;
let teacherModel: tf.LayersModel;

beforeAll(async () => {
  await useCpuBackend();
  data = toTensors(set);
  teacherModel = buildModel(teacherSpec, set, 1);
  for await (const _ of trainModel({ model: teacherModel, data, config: { epochs: 8, batchSize: 32, learningRate: 0.01, seed: 1 } }));
});

afterAll(() => {
  teacherModel.dispose();
  disposeTensors(data);
});

/** The teacher, recording every batch of inputs it is asked about (the distilled student sees the same batches). */
function spyTeacher(inner: TeacherModel, seen: Float32Array[]): TeacherModel {
  return {
    async logits(x) {
      if (x !== data.xTest && x !== data.xTrain) seen.push(x.dataSync() as Float32Array);
      return inner.logits(x);
    },
  };
}

async function run(transferData: TransferData, teacher: TeacherModel, config: Partial<DistillConfig> = {}): Promise<DistillEpoch[]> {
  const distilled = buildModel(studentSpec, set, 3);
  const scratch = buildModel(studentSpec, set, 3);
  const epochs: DistillEpoch[] = [];
  try {
    const transfer = { labelledFraction: 1, omitClass: null, jitter: 0, data: transferData };
    for await (const e of distill({
      teacher,
      teacherLayers: teacherModel,
      distilled,
      scratch,
      data,
      config: { ...base, transfer, ...config },
    }))
      if (e.kind === 'epoch') epochs.push(e.summary);
  } finally {
    distilled.dispose();
    scratch.dispose();
  }
  return epochs;
}

const trainRows = Array.from({ length: set.train.n }, (_, r) => Array.from(set.train.x.subarray(r * 8, r * 8 + 8)).join());

describe('transfer data in the trainer', () => {
  it("Gaussian noise: the student sees new rows with the training set's moments, never a real row", async () => {
    const seen: Float32Array[] = [];
    const epochs = await run({ kind: 'gaussian' }, spyTeacher(predictorTeacher(teacherModel), seen));
    const all = new Float32Array(seen.reduce((k, s) => k + s.length, 0));
    let at = 0;
    for (const s of seen) {
      all.set(s, at);
      at += s.length;
    }
    expect(all.length).toBe(2 * set.train.n * 8);
    const real = new Set(trainRows);
    for (let r = 0; r < all.length / 8; r++) expect(real.has(Array.from(all.subarray(r * 8, r * 8 + 8)).join())).toBe(false);
    const drawn = featureMoments(all, all.length / 8, 8);
    const truth = featureMoments(set.train.x, set.train.n, 8);
    const n = all.length / 8;
    for (let f = 0; f < 8; f++) expect(Math.abs(drawn.mean[f] - truth.mean[f])).toBeLessThan((5 * truth.std[f]) / Math.sqrt(n));
    expect(epochs[1].distilledAccuracy).toBeGreaterThan(0.5);
  });

  it("Gaussian noise: the hard term uses the teacher's arg-max, not the real labels", async () => {
    // A teacher that calls everything class 2: with the hard term alone the student must learn the same.
    const always2: TeacherModel = {
      logits: async (x) => tf.tidy(() => tf.oneHot(tf.fill([x.shape[0]], 2, 'int32'), 4).mul(10) as tf.Tensor2D),
    };
    const epochs = await run({ kind: 'gaussian' }, always2, { alpha: 0 });
    expect(epochs[1].distilledAccuracy).toBeCloseTo(0.25, 5);
    expect(epochs[1].distilledAgreement).toBe(1);
  });

  it('mixup: a batch is λ·x + (1−λ)·x[perm] of its rows, exactly, with both label sets', async () => {
    const source = mixupSource(data, predictorTeacher(teacherModel), 0.4, 9);
    const positions = Int32Array.from([3, 17, 40, 41, 100]);
    const b = await source.batch(positions, 7);
    try {
      const mix = b.mix;
      if (!mix) throw new Error('a mixup batch has no mix');
      const rows = new Float32Array(positions.length * 8);
      for (const [k, p] of positions.entries()) rows.set(set.train.x.subarray(p * 8, p * 8 + 8), k * 8);
      const expected = mixRows(rows, 8, { lambda: mix.lambda, perm: mix.perm });
      const got = b.x.dataSync();
      for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
      expect(Array.from(b.labels.dataSync())).toEqual(Array.from(positions, (p) => set.train.y[p]));
      expect(Array.from(mix.mixedWith.dataSync())).toEqual(Array.from(mix.perm, (k) => set.train.y[positions[k]]));
      const again = await source.batch(positions, 7);
      expect(again.mix?.lambda).toBe(mix.lambda);
      tf.dispose([again.x, again.teacherLogits, again.labels, ...(again.mix ? [again.mix.mixedWith] : [])]);
    } finally {
      tf.dispose([b.x, b.teacherLogits, b.labels, ...(b.mix ? [b.mix.mixedWith] : [])]);
    }
  });

  it('mixup: teacher and student see mixed rows, and the student learns', async () => {
    const seen: Float32Array[] = [];
    const epochs = await run({ kind: 'mixup', alpha: 1 }, spyTeacher(predictorTeacher(teacherModel), seen));
    expect(seen.length).toBe(2 * Math.ceil(set.train.n / 32));
    const real = new Set(trainRows);
    const firstRows = Array.from({ length: 32 }, (_, r) => Array.from(seen[0].subarray(r * 8, r * 8 + 8)).join());
    expect(firstRows.filter((r) => real.has(r)).length).toBeLessThan(8); // rows mixed with themselves stay real
    expect(epochs[1].distilledAccuracy).toBeGreaterThan(0.5);
  });

  it.each([{ kind: 'gaussian' }, { kind: 'mixup', alpha: 0.5 }] as TransferData[])(
    'frees every tensor it made (%o), stopped or finished',
    async (d) => {
      await run(d, predictorTeacher(teacherModel)); // warm-up: optimiser kernels and the like
      const before = tf.memory().numTensors;
      await run(d, predictorTeacher(teacherModel));
      expect(tf.memory().numTensors).toBe(before);
      const distilled = buildModel(studentSpec, set, 3);
      const scratch = buildModel(studentSpec, set, 3);
      const afterModels = tf.memory().numTensors;
      const gen = distill({
        teacher: predictorTeacher(teacherModel),
        distilled,
        scratch,
        data,
        config: { ...base, transfer: { labelledFraction: 1, omitClass: null, jitter: 0, data: d } },
      });
      for (let i = 0; i < 5; i++) await gen.next();
      await gen.return(undefined);
      expect(tf.memory().numTensors).toBe(afterModels);
      distilled.dispose();
      scratch.dispose();
    },
  );

  it('refuses a labelled fraction, an omitted class or jitter with generated inputs, naming both', async () => {
    const distilled = buildModel(studentSpec, set, 3);
    try {
      const t = (extra: object) => ({ labelledFraction: 1, omitClass: null, jitter: 0, data: { kind: 'gaussian' as const }, ...extra });
      const go = async (extra: object) => {
        for await (const _ of distill({
          teacher: predictorTeacher(teacherModel),
          distilled,
          scratch: null,
          data,
          config: { ...base, transfer: t(extra) },
        }));
      };
      await expect(go({ labelledFraction: 0.1 })).rejects.toThrow(/Gaussian noise.*labelled fraction/);
      await expect(go({ omitClass: 1 })).rejects.toThrow(/Gaussian noise.*every class/);
    } finally {
      distilled.dispose();
    }
  });

  it('synthesised: the student learns from synthesised inputs only, the trainer synthesising them when not given', async () => {
    const seen: Float32Array[] = [];
    const phases = new Set<string>();
    const distilled = buildModel(studentSpec, set, 3);
    const before = tf.memory().numTensors;
    let last: DistillEpoch | null = null;
    const transfer = { labelledFraction: 1, omitClass: null, jitter: 0, data: { kind: 'synthesised' as const, perClass: 16, steps: 40 } };
    for await (const e of distill({
      teacher: spyTeacher(predictorTeacher(teacherModel), seen),
      teacherLayers: teacherModel,
      distilled,
      scratch: null,
      data,
      config: { ...base, epochs: 6, transfer },
    })) {
      if (e.kind === 'progress') phases.add(e.progress.phase);
      if (e.kind === 'epoch') last = e.summary;
    }
    expect(phases.has('synthesise')).toBe(true);
    // The teacher was asked once, about the 64 synthesised rows: none of them a training row.
    expect(seen.map((s) => s.length)).toEqual([64 * 8]);
    const real = new Set(trainRows);
    for (let r = 0; r < 64; r++) expect(real.has(Array.from(seen[0].subarray(r * 8, r * 8 + 8)).join())).toBe(false);
    expect(last?.distilledAccuracy).toBeGreaterThan(0.4);
    expect(tf.memory().numTensors).toBe(before);
    distilled.dispose();
  });

  it('synthesised: refuses a teacher that is not a layers model', async () => {
    const distilled = buildModel(studentSpec, set, 3);
    const transfer = { labelledFraction: 1, omitClass: null, jitter: 0, data: { kind: 'synthesised' as const, perClass: 4, steps: 2 } };
    const go = async () => {
      for await (const _ of distill({
        teacher: predictorTeacher(teacherModel),
        teacherLayers: null,
        distilled,
        scratch: null,
        data,
        config: { ...base, transfer },
      }));
    };
    await expect(go()).rejects.toThrow(/Synthesised from the teacher" needs a TensorFlow.js layers teacher/);
    distilled.dispose();
  });
});
