import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import { bornAgain, bornAgainStudent, generationSeed } from '../core/born-again';
import { DEFAULT_METHOD } from '../core/experiment';
import { buildModel } from '../core/models';
import { mutual, peerSeed } from '../core/mutual';
import { studentPreset } from '../core/presets';
import type { DistillConfig, DistillEpoch } from '../core/trainer';
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

async function sweep(control: RunControl, onMessage: (msg: FromWorker) => void = () => {}, runBase = base, runSpec = spec) {
  const messages: FromWorker[] = [];
  await runSweep(control, runBase, runSpec, (msg) => {
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

describe('runSweep with born-again and mutual learning', () => {
  const one: SweepSpec = { temperatures: [2], alphas: [0.7], studentPresets: ['mlp-16'], seeds: [5] };
  /** The trainer's settings a 1×1×1 sweep of `one` runs with, written out here rather than taken from the sweep. */
  const configOf = (runBase: DistillRunConfig): DistillConfig => ({
    epochs: runBase.epochs,
    batchSize: runBase.batchSize,
    learningRate: runBase.learningRate,
    seed: 5,
    temperature: 2,
    alpha: 0.7,
    scaleByT2: runBase.loss.scaleByT2,
    logitMse: runBase.loss.logitMse,
    hint: null,
    transfer: runBase.transfer,
    method: runBase.loss.method,
  });
  const summaries = async (events: AsyncGenerator<{ kind: string; summary?: DistillEpoch }>) => {
    const out: DistillEpoch[] = [];
    for await (const e of events) if (e.kind === 'epoch' && e.summary) out.push(e.summary);
    return out;
  };

  it('born-again: the cell is the last generation, the control trained beside generation 1, as the core generator gives them', async () => {
    const runBase: DistillRunConfig = {
      ...base,
      loss: { ...DEFAULT_LOSS, method: { ...DEFAULT_METHOD, method: 'born-again', generations: 2 } },
    };
    const before = tf.memory().numTensors;
    const { runs, done } = await sweep(new RunControl(6), undefined, runBase, one);
    expect(tf.memory().numTensors).toBe(before);
    expect(done).toMatchObject({ type: 'sweepDone', outcome: 'finished', runsDone: 1 });
    expect(runs).toHaveLength(1);
    const [r] = runs;
    for (const v of [r.distilled, r.scratch]) expect(v).toBeGreaterThan(0.2);

    const teacher = session.teacher;
    const data = session.data;
    if (!teacher?.layers || !data) throw new Error('set-up');
    const scratch = await bornAgainStudent(teacher.layers, generationSeed(5, 1));
    const generations: number[] = [];
    let last: tf.LayersModel | null = null;
    const epochs: DistillEpoch[] = [];
    for await (const e of bornAgain({
      teacher: teacher.model,
      teacherLayers: teacher.layers,
      scratch,
      data,
      config: configOf(runBase),
      generations: 2,
      handOver: (m) => {
        last = m;
      },
    })) {
      if (e.kind === 'generation') generations.push(e.result.testAccuracy);
      else if (e.kind === 'epoch') epochs.push(e.summary);
    }
    scratch.dispose();
    (last as tf.LayersModel | null)?.dispose();
    expect(generations).toHaveLength(2);
    expect(r.distilled).toBe(generations[1]);
    expect(r.scratch).toBe(epochs[runBase.epochs - 1].scratchAccuracy);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('born-again refuses a sweep over more than one student preset, saying why', async () => {
    const runBase: DistillRunConfig = {
      ...base,
      loss: { ...DEFAULT_LOSS, method: { ...DEFAULT_METHOD, method: 'born-again', generations: 1 } },
    };
    await expect(sweep(new RunControl(7), undefined, runBase, { ...one, studentPresets: ['mlp-16', 'linear'] })).rejects.toThrow(
      /teacher's architecture, so a sweep over student presets has nothing to compare: pick one student preset/,
    );
  });

  it("mutual learning: the cell is student 1's, the peer's kept, as the core generator gives them", async () => {
    const runBase: DistillRunConfig = { ...base, loss: { ...DEFAULT_LOSS, method: { ...DEFAULT_METHOD, method: 'mutual' } } };
    const before = tf.memory().numTensors;
    const { runs, done } = await sweep(new RunControl(8), undefined, runBase, one);
    expect(tf.memory().numTensors).toBe(before);
    expect(done).toMatchObject({ type: 'sweepDone', outcome: 'finished', runsDone: 1 });
    const [r] = runs;
    for (const v of [r.distilled, r.scratch, r.peer ?? 0]) expect(v).toBeGreaterThan(0.2);

    const dataset = session.dataset;
    const data = session.data;
    if (!dataset || !data || !session.teacher) throw new Error('set-up');
    const arch = studentPreset('mlp-16').spec;
    const models = [buildModel(arch, dataset, 5), buildModel(arch, dataset, peerSeed(5)), buildModel(arch, dataset, 5)];
    const epochs = await summaries(
      mutual({
        first: models[0],
        second: models[1],
        scratch: models[2],
        reference: session.teacher.model,
        data,
        config: configOf(runBase),
      }),
    );
    for (const m of models) m.dispose();
    const last = epochs[runBase.epochs - 1];
    expect(r).toMatchObject({ distilled: last.distilledAccuracy, peer: last.peerAccuracy, scratch: last.scratchAccuracy });
    expect(tf.memory().numTensors).toBe(before);
  });
});
