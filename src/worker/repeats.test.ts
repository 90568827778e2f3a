import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import { useCpuBackend } from '../core/test-setup';
import type { DistillRunConfig, FromWorker } from './protocol';
import { overRepeats, repeatCount } from './repeats';
import { RunControl } from './run-driver';
import { runDistill, runTeacher } from './runs';
import { adoptDataset } from './session';

const dataset = makeToyDataset({ kind: 'blobs', size: 120, noise: 0.5, classes: 3, seed: 3 });
const config: DistillRunConfig = {
  studentPreset: 'mlp-16',
  studentSource: 'preset',
  epochs: 2,
  batchSize: 32,
  learningRate: 0.02,
  seed: 4,
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
};
const KEEP = { name: 'repeats', dataset: 'Blobs' };

async function run(c: DistillRunConfig, control = new RunControl(2)): Promise<FromWorker[]> {
  const messages: FromWorker[] = [];
  await runDistill(control, c, KEEP, (m) => messages.push(m));
  return messages;
}

beforeAll(async () => {
  await useCpuBackend();
  adoptDataset(dataset);
  await runTeacher(new RunControl(1), { preset: 'mlp-256', epochs: 2, batchSize: 32, learningRate: 0.02, seed: 1 }, () => {});
});

afterAll(() => {
  adoptDataset(makeToyDataset({ kind: 'blobs', size: 12, noise: 0.5, classes: 3, seed: 1 })); // frees the models
});

describe('a repeated distillation', () => {
  it('runs seeds 4, 5, 6 in one run id, posts repeatDone after each, and ends with every seed; the last seed is the kept one', async () => {
    const before = tf.memory().numTensors;
    const messages = await run({ ...config, repeats: 3 });
    const repeats = messages.filter((m) => m.type === 'repeatDone');
    expect(repeats.map((m) => [m.runId, m.index, m.repeats, m.seed])).toEqual([
      [2, 0, 3, 4],
      [2, 1, 3, 5],
      [2, 2, 3, 6],
    ]);
    const done = messages.at(-1);
    if (done?.type !== 'distillDone') throw new Error(`ended with ${done?.type}`);
    expect(done.results.repeats?.map((r) => r.seed)).toEqual([4, 5, 6]);
    expect(done.results.repeats?.at(-1)?.distilled).toBe(done.results.distilled.testAccuracy);
    expect(done.results.config.seed).toBe(4);
    // The same seed alone gives the same numbers: seed 6 of the repeated run is seed 6 run once.
    const single = (await run({ ...config, seed: 6 })).at(-1);
    if (single?.type !== 'distillDone') throw new Error('no single run');
    expect(single.results.distilled.testAccuracy).toBe(done.results.distilled.testAccuracy);
    expect(single.results.repeats).toBeUndefined();
    // Two runs' students are held (the last one's), nothing more.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(16);
  });

  it('reports progress over every seed: samples done keep growing past the first seed', async () => {
    const messages = await run({ ...config, repeats: 2 });
    const metrics = messages.filter((m) => m.type === 'metrics');
    const totals = new Set(metrics.map((m) => m.progress.samplesTotal));
    expect(totals.size).toBe(1);
    const done = metrics.map((m) => m.progress.samplesDone);
    expect(Math.max(...done)).toBeGreaterThan([...totals][0] / 2);
  });

  it('stopped during a seed: stopped, no distillDone', async () => {
    const control = new RunControl(3);
    const messages: FromWorker[] = [];
    const p = runDistill(control, { ...config, repeats: 3 }, KEEP, (m) => {
      messages.push(m);
      if (m.type === 'repeatDone') control.stop();
    });
    await p;
    expect(messages.filter((m) => m.type === 'repeatDone')).toHaveLength(1);
    expect(messages.at(-1)?.type).toBe('stopped');
  });

  it('reads repeats 1..10, anything else as one', () => {
    expect([undefined, 0, 1, 3, 10, 11, 2.5].map(repeatCount)).toEqual([1, 1, 1, 3, 10, 1, 1]);
    const seen: FromWorker[] = [];
    const post = overRepeats((m) => seen.push(m), 1, 2, 10);
    post({
      type: 'metrics',
      runId: 1,
      losses: null,
      progress: {
        phase: 'distill',
        epoch: 1,
        epochs: 2,
        samplesDone: 50,
        samplesTotal: 100,
        samplesPerSec: 10,
        etaSeconds: 5,
        elapsedSeconds: 3,
      },
    });
    const m = seen[0];
    if (m.type !== 'metrics') throw new Error('not metrics');
    expect(m.progress).toMatchObject({ samplesDone: 150, samplesTotal: 200, etaSeconds: 5, elapsedSeconds: 13 });
  });
});
