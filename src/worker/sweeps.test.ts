import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import { buildModel } from '../core/models';
import { useCpuBackend } from '../core/test-setup';
import { predictorTeacher } from '../core/teacher-model';
import type { SweepRunResult, SweepSpec } from '../core/sweep';
import type { DistillRunConfig, FromWorker } from './protocol';
import { RunControl } from './run-driver';
import { session, adoptDataset } from './session';
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
const spec: SweepSpec = { temperatures: [1, 4], alphas: [0.5, 0.9], studentPresets: ['mlp-16', 'linear'], seeds: [3, 4] };

beforeAll(async () => {
  await useCpuBackend();
  const dataset = makeToyDataset({ kind: 'blobs', size: 300, noise: 0.5, classes: 3, seed: 1 });
  adoptDataset(dataset);
  const model = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, dataset, 1);
  session.teacher = {
    model: predictorTeacher(model),
    layers: model,
    result: {
      testAccuracy: 0,
      agreement: 1,
      params: null,
      bytes: null,
      latencyMsPerSample: null,
      description: 'untrained',
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

async function sweep(control: RunControl, onMessage: (msg: FromWorker) => void = () => {}) {
  const messages: FromWorker[] = [];
  await runSweep(control, base, spec, (msg) => {
    messages.push(msg);
    onMessage(msg);
  });
  const runs = messages.flatMap((m) => (m.type === 'sweepRun' ? [m.result] : []));
  return { messages, runs, done: messages.at(-1) };
}

describe('runSweep', () => {
  it('reports every run, shares each scratch control across its cells, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const { messages, runs, done } = await sweep(new RunControl(1));
    expect(tf.memory().numTensors).toBe(before);
    expect(runs).toHaveLength(16);
    expect(done).toEqual({ type: 'sweepDone', runId: 1, outcome: 'finished', runsDone: 16, runsTotal: 16 });
    const key = (r: SweepRunResult) => `${r.studentPreset}|${r.seed}`;
    for (const r of runs) {
      const same = runs.filter((o) => key(o) === key(r));
      expect(same).toHaveLength(4);
      expect(new Set(same.map((o) => o.scratch)).size).toBe(1);
    }
    // Different T and alpha from the same start: the distilled students differ.
    expect(new Set(runs.filter((r) => key(r) === 'mlp-16|3').map((r) => r.distilled)).size).toBeGreaterThan(1);
    const last = messages.filter((m) => m.type === 'sweepProgress').at(-1);
    expect(last?.type === 'sweepProgress' && last.progress).toMatchObject({ runsDone: 16, runsTotal: 16, etaSeconds: 0 });
    // Nothing of a single run's stream leaks out: those would land in the single-run charts.
    expect(messages.some((m) => m.type === 'metrics' || m.type === 'distillEpoch')).toBe(false);
  });

  it('gives the same numbers twice', async () => {
    const again = await sweep(new RunControl(2));
    const first = await sweep(new RunControl(3));
    expect(again.runs).toEqual(first.runs);
  });

  it('stops between runs and keeps what finished', async () => {
    const control = new RunControl(4);
    let finished = 0;
    const { runs, done } = await sweep(control, (msg) => {
      if (msg.type === 'sweepRun' && ++finished === 3) control.stop();
    });
    expect(runs).toHaveLength(3);
    expect(done).toEqual({ type: 'sweepDone', runId: 4, outcome: 'cancelled', runsDone: 3, runsTotal: 16 });
  });

  it('stops in the middle of a run, dropping only that run, and frees its models', async () => {
    const control = new RunControl(5);
    const before = tf.memory().numTensors;
    let progressSinceRun = -1;
    const { runs, done } = await sweep(control, (msg) => {
      if (msg.type === 'sweepRun') progressSinceRun = 0;
      // The first progress after a run is the sweep's own; the second comes from inside the next run.
      else if (msg.type === 'sweepProgress' && progressSinceRun >= 0 && ++progressSinceRun === 2) control.stop();
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(runs).toHaveLength(1);
    expect(done).toMatchObject({ outcome: 'cancelled', runsDone: 1 });
  });
});
