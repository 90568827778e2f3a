import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './data/types';
import type { ModelSpec } from './model-spec';
import { buildModel } from './models';
import { evaluateModel, withLatency } from './results';
import { predictorTeacher } from './teacher-model';
import { disposeTensors, toTensors, type DataTensors } from './tensors';
import { blobs } from './test-data';
import { useCpuBackend } from './test-setup';
import { distill, trainModel, type DistillConfig, type TrainerEvent } from './trainer';

const dataset: Dataset = {
  name: 'blobs',
  numFeatures: 8,
  numClasses: 4,
  classNames: ['a', 'b', 'c', 'd'],
  train: blobs(256, 1),
  test: blobs(128, 2),
};
const teacherSpec: ModelSpec = { kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0.2 };
const studentSpec: ModelSpec = { kind: 'mlp', hidden: [6], activation: 'relu', dropout: 0 };
const clock = { now: () => performance.now() };
let data: DataTensors;
let teacher: tf.LayersModel;

async function collect<P, E>(gen: AsyncGenerator<TrainerEvent<P, E>>) {
  const points: P[] = [];
  const epochs: E[] = [];
  let progressEvents = 0;
  for await (const ev of gen) {
    if (ev.kind === 'losses') points.push(...ev.points);
    else if (ev.kind === 'epoch') epochs.push(ev.summary);
    else progressEvents++;
  }
  return { points, epochs, progressEvents };
}

const weights = (m: tf.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
const distillConfig: DistillConfig = { epochs: 3, batchSize: 32, learningRate: 0.01, seed: 5, temperature: 4, alpha: 0.9 };

beforeAll(async () => {
  await useCpuBackend();
  data = toTensors(dataset);
  teacher = buildModel(teacherSpec, dataset, 1);
  const { epochs } = await collect(trainModel({ model: teacher, data, config: { epochs: 8, batchSize: 32, learningRate: 0.01, seed: 1 } }));
  expect(epochs.at(-1)?.testAccuracy).toBeGreaterThan(0.9);
});

afterAll(() => {
  teacher.dispose();
  disposeTensors(data);
});

describe('trainModel', () => {
  it('reports a loss for every step and an accuracy for every epoch, with the loss falling', async () => {
    const model = buildModel(teacherSpec, dataset, 9);
    const { points, epochs, progressEvents } = await collect(
      trainModel({ model, data, config: { epochs: 4, batchSize: 32, learningRate: 0.01, seed: 3, logEvery: 3 } }),
    );
    expect(points.map((p) => p.step)).toEqual([...Array(4 * 8)].map((_, i) => i + 1));
    expect(progressEvents).toBe(4 * 8);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    const mean = (a: { loss: number }[]) => a.reduce((s, p) => s + p.loss, 0) / a.length;
    expect(mean(points.slice(-8))).toBeLessThan(mean(points.slice(0, 8)) * 0.5);
    model.dispose();
  });

  it('gives the same numbers for the same seed, dropout included, and others for another seed', async () => {
    const run = async (seed: number) => {
      const model = buildModel(teacherSpec, dataset, 9);
      const { points } = await collect(trainModel({ model, data, config: { epochs: 2, batchSize: 32, learningRate: 0.01, seed } }));
      const w = weights(model);
      model.dispose();
      return { losses: points.map((p) => p.loss), w };
    };
    const [a, b, c] = [await run(11), await run(11), await run(12)];
    expect(a.losses).toEqual(b.losses);
    expect(a.w).toEqual(b.w);
    expect(a.losses).not.toEqual(c.losses);
  });

  it('stops with a clear message when the loss turns NaN', async () => {
    const bad = toTensors({ ...dataset, train: { ...dataset.train, x: dataset.train.x.map((v, i) => (i === 3 ? Number.NaN : v)) } });
    const model = buildModel(studentSpec, dataset, 1);
    await expect(
      collect(trainModel({ model, data: bad, config: { epochs: 1, batchSize: 256, learningRate: 0.01, seed: 1 } })),
    ).rejects.toThrow(/Teacher loss became NaN at step 1: training diverged/);
    model.dispose();
    disposeTensors(bad);
  });

  it('refuses settings out of range, naming them', async () => {
    const model = buildModel(studentSpec, dataset, 1);
    await expect(collect(trainModel({ model, data, config: { epochs: 0, batchSize: 32, learningRate: 0.01, seed: 1 } }))).rejects.toThrow(
      /Epochs must be a whole number from 1 to 1000, got 0/,
    );
    await expect(collect(trainModel({ model, data, config: { epochs: 1, batchSize: 2.5, learningRate: 0.01, seed: 1 } }))).rejects.toThrow(
      /Batch size/,
    );
    model.dispose();
  });
});

describe('distill', () => {
  it('trains the control exactly like the distilled student when alpha = 0 (same start, same batches)', async () => {
    const distilled = buildModel(studentSpec, dataset, 21);
    const scratch = buildModel(studentSpec, dataset, 21);
    const { points } = await collect(
      distill({ teacher: predictorTeacher(teacher), distilled, scratch, data, config: { ...distillConfig, alpha: 0 } }),
    );
    for (const p of points) expect(p.total).toBeCloseTo(p.scratch, 6);
    expect(weights(distilled)).toEqual(weights(scratch));
    distilled.dispose();
    scratch.dispose();
  });

  it('distils: the student learns, agrees with the teacher, and differs from the control', async () => {
    const distilled = buildModel(studentSpec, dataset, 21);
    const scratch = buildModel(studentSpec, dataset, 21);
    const { points, epochs } = await collect(
      distill({ teacher: predictorTeacher(teacher), distilled, scratch, data, config: { ...distillConfig, epochs: 6 } }),
    );
    expect(points).toHaveLength(6 * 8);
    for (const p of points) expect(p.total).toBeCloseTo(0.9 * p.soft + 0.1 * p.hard, 5);
    const last = epochs.at(-1);
    expect(last?.epoch).toBe(6);
    expect(last?.distilledAccuracy).toBeGreaterThan(0.8);
    expect(last?.distilledAgreement).toBeGreaterThan(0.8);
    expect(weights(distilled)).not.toEqual(weights(scratch));
    const result = await withLatency(
      await evaluateModel(distilled, predictorTeacher(teacher), data.xTest, data.yTest),
      predictorTeacher(distilled),
      data.xTest,
      clock,
    );
    expect(result.testAccuracy).toBeCloseTo(last?.distilledAccuracy ?? -1, 6);
    expect(result.agreement).toBeCloseTo(last?.distilledAgreement ?? -1, 6);
    expect(result.params).toBe(8 * 6 + 6 + 6 * 4 + 4);
    expect(result.latencyMsPerSample).toBeGreaterThan(0);
    const self = await evaluateModel(teacher, predictorTeacher(teacher), data.xTest, data.yTest);
    expect(self.latencyMsPerSample).toBeNull();
    expect(self.agreement).toBe(1);
    distilled.dispose();
    scratch.dispose();
  });

  it('leaks no tensor: per step, per epoch, at the end, and when stopped midway', async () => {
    const distilled = buildModel(studentSpec, dataset, 2);
    const scratch = buildModel(studentSpec, dataset, 2);
    const baseline = tf.memory().numTensors;
    const afterStep: number[] = [];
    const afterEpoch: number[] = [];
    for await (const ev of distill({
      teacher: predictorTeacher(teacher),
      distilled,
      scratch,
      data,
      config: { ...distillConfig, logEvery: 1 },
    })) {
      if (ev.kind === 'progress' && ev.progress.phase === 'distill') afterStep.push(tf.memory().numTensors);
      if (ev.kind === 'epoch') afterEpoch.push(tf.memory().numTensors);
    }
    expect(tf.memory().numTensors).toBe(baseline);
    // From the second step on, only the optimiser's slots and the cached logits are held, and they do not grow.
    expect(new Set(afterStep.slice(1)).size).toBe(1);
    expect(new Set(afterEpoch).size).toBe(1);

    const stopped = distill({ teacher: predictorTeacher(teacher), distilled, scratch, data, config: distillConfig });
    for await (const ev of stopped) if (ev.kind === 'progress' && ev.progress.samplesDone > 100) break;
    expect(tf.memory().numTensors).toBe(baseline);

    const teacherRun = trainModel({ model: distilled, data, config: { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 1 } });
    await collect(teacherRun);
    expect(tf.memory().numTensors).toBe(baseline);
    distilled.dispose();
    scratch.dispose();
  });

  it('reports progress that reaches the total', async () => {
    const distilled = buildModel(studentSpec, dataset, 2);
    const scratch = buildModel(studentSpec, dataset, 2);
    let last = { samplesDone: -1, samplesTotal: 0 };
    for await (const ev of distill({
      teacher: predictorTeacher(teacher),
      distilled,
      scratch,
      data,
      config: { ...distillConfig, batchSize: 100 },
    })) {
      if (ev.kind === 'progress') {
        expect(ev.progress.samplesDone).toBeGreaterThanOrEqual(last.samplesDone);
        last = ev.progress;
      }
    }
    expect(last.samplesDone).toBe(last.samplesTotal);
    expect(last.samplesTotal).toBe(2 * 3 * 256);
    distilled.dispose();
    scratch.dispose();
  });
});
