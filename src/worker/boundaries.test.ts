import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import type { Dataset } from '../core/data/types';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import type { Predictor } from '../core/metrics';
import { predictorTeacher } from '../core/teacher-model';
import { useCpuBackend } from '../core/test-setup';
import { boundaryPoints, boundaryTracker, hasBoundaries, postTeacherBoundary } from './boundaries';
import type { DistillRunConfig, FromWorker } from './protocol';
import { RunControl } from './run-driver';
import { runDistill, runTeacher } from './runs';
import { session, adoptDataset } from './session';

/** Where runs here would keep their student (no IndexedDB in these tests: the save fails, the run still finishes). */
const KEEP = { name: 'test run', dataset: 'test data' };

type BoundaryMessage = Extract<FromWorker, { type: 'boundaries' }>;

const moons = makeToyDataset({ kind: 'moons', size: 200, noise: 0.1, seed: 1 });
const linear: Predictor = {
  predict: (x) =>
    tf.tidy(() =>
      tf.matMul(
        x,
        tf.tensor2d([
          [-1, 1],
          [0, 0],
        ]),
      ),
    ),
};

beforeAll(async () => {
  await useCpuBackend();
  adoptDataset(moons);
});

afterAll(() => {
  adoptDataset(makeToyDataset({ kind: 'moons', size: 20, noise: 0.1, seed: 1 })); // frees the models and the data
});

describe('hasBoundaries', () => {
  it('holds for 2-D tabular data only', () => {
    expect(hasBoundaries(moons)).toBe(true);
    expect(hasBoundaries({ ...moons, numFeatures: 3 })).toBe(false);
    expect(hasBoundaries({ ...moons, imageShape: [1, 2, 1] })).toBe(false);
  });
});

describe('boundaryPoints', () => {
  it('thins the training points evenly and keeps each label with its point', () => {
    const n = 5000;
    const x = new Float32Array(n * 2).map((_, i) => (i % 2 === 0 ? i / 2 : -i));
    const y = new Int32Array(n).map((_, i) => i % 3);
    const big: Dataset = { ...moons, train: { x, y, n } };
    const points = boundaryPoints(big, 2000);
    expect(points.labels).toHaveLength(2000);
    expect(points.x).toHaveLength(4000);
    for (let i = 0; i < 2000; i++) {
      const row = points.x[i * 2];
      expect(points.x[i * 2 + 1]).toBe(-(row * 2 + 1));
      expect(points.labels[i]).toBe(row % 3);
    }
    expect(points.x[2 * 1999]).toBeGreaterThan(4990); // reaches the end of the set
    expect(boundaryPoints(moons).labels).toHaveLength(moons.train.n);
  });
});

describe('boundaryTracker', () => {
  it('is absent for data that is not 2-D', () => {
    expect(
      boundaryTracker(
        1,
        { ...moons, numFeatures: 3 },
        { teacher: predictorTeacher(linear), distilled: predictorTeacher(linear), scratch: predictorTeacher(linear) },
        5,
        () => {},
      ),
    ).toBeUndefined();
  });

  it('sends the first and last epochs always, the rest at most every 250 ms, and the teacher once', async () => {
    const sent: BoundaryMessage[] = [];
    let time = 0;
    const track = boundaryTracker(
      7,
      moons,
      { teacher: predictorTeacher(linear), distilled: predictorTeacher(linear), scratch: predictorTeacher(linear) },
      10,
      (m) => sent.push(m as BoundaryMessage),
      () => time,
    );
    if (!track) throw new Error('expected a boundary tracker for 2-D data');
    for (const [epoch, at] of [
      [0, 0],
      [1, 100],
      [2, 300],
      [3, 400],
      [4, 560],
      [10, 570],
    ]) {
      time = at;
      await track(epoch);
    }
    expect(sent.map((m) => m.epoch)).toEqual([0, 2, 4, 10]);
    expect(sent.map((m) => m.teacher !== undefined)).toEqual([true, false, false, false]);
    const first = sent[0];
    expect(first).toMatchObject({ type: 'boundaries', runId: 7, epochs: 10, size: 64 });
    expect(first.distilled.classes).toHaveLength(64 * 64);
    expect(first.scratch.confidence).toHaveLength(64 * 64);
    // The grid spans the data: the linear model splits it into both classes.
    expect(new Set(first.distilled.classes)).toEqual(new Set([0, 1]));
  });
});

describe('boundary messages from the runs', () => {
  const config: DistillRunConfig = {
    studentPreset: 'mlp-16',
    studentSource: 'preset',
    epochs: 3,
    batchSize: 32,
    learningRate: 0.01,
    seed: 1,
    loss: DEFAULT_LOSS,
    transfer: DEFAULT_TRANSFER,
  };

  it('a trained teacher posts its boundary and the points before teacherDone', async () => {
    const messages: FromWorker[] = [];
    await runTeacher(new RunControl(1), { preset: 'mlp-256', epochs: 1, batchSize: 32, learningRate: 0.01, seed: 1 }, (m) =>
      messages.push(m),
    );
    const types = messages.map((m) => m.type).filter((t) => t === 'teacherBoundary' || t === 'teacherDone');
    expect(types).toEqual(['teacherBoundary', 'teacherDone']);
    const boundary = messages.find((m) => m.type === 'teacherBoundary') as Extract<FromWorker, { type: 'teacherBoundary' }>;
    expect(boundary.teacher.classes).toHaveLength(64 * 64);
    expect(boundary.points.labels).toHaveLength(moons.train.n);
    expect(boundary.box.xMin).toBeLessThan(boundary.box.xMax);
  });

  it('a distillation posts epoch 0 with the teacher, the final epoch always, and all before distillDone', async () => {
    const messages: FromWorker[] = [];
    await runDistill(new RunControl(2), config, KEEP, (m) => messages.push(m));
    const boundaries = messages.filter((m): m is BoundaryMessage => m.type === 'boundaries');
    expect(boundaries[0]).toMatchObject({ runId: 2, epoch: 0, epochs: 3 });
    expect(boundaries[0].teacher?.classes).toHaveLength(64 * 64);
    expect(boundaries.slice(1).every((m) => m.teacher === undefined)).toBe(true);
    expect(boundaries.at(-1)?.epoch).toBe(3);
    const order = messages
      .map((m) => (m.type === 'boundaries' ? `b${m.epoch}` : m.type === 'distillEpoch' ? `e${m.summary.epoch}` : m.type))
      .filter((t) => t !== 'metrics');
    expect(order.indexOf('e3')).toBeLessThan(order.indexOf('b3'));
    expect(order.at(-1)).toBe('distillDone');
  });

  it('posts nothing about boundaries for data that is not 2-D', async () => {
    const messages: FromWorker[] = [];
    const flat: Dataset = { ...moons, numFeatures: 2, imageShape: [1, 2, 1] };
    const saved = session.dataset;
    session.dataset = flat;
    try {
      await postTeacherBoundary((m) => messages.push(m));
    } finally {
      session.dataset = saved;
    }
    expect(messages).toEqual([]);
  });
});
