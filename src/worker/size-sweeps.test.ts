import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_METHOD, DEFAULT_TRANSFER } from '../core/experiment';
import { buildModel } from '../core/models';
import type { SizeSweepSpec } from '../core/size-sweep';
import { archSize, findStudentArch } from '../core/student-archs';
import { predictorTeacher } from '../core/teacher-model';
import { useCpuBackend } from '../core/test-setup';
import type { DistillRunConfig, FromWorker } from './protocol';
import { RunControl } from './run-driver';
import { adoptDataset, session } from './session';
import { runSizeSweep } from './size-sweeps';

const base: DistillRunConfig = {
  studentPreset: 'mlp-64',
  studentSource: 'preset',
  epochs: 1,
  batchSize: 32,
  learningRate: 0.01,
  seed: 1,
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
};
const spec: SizeSweepSpec = { students: ['linear', 'mlp-8', 'mlp-16-16'], seeds: [3, 4] };
const dataset = makeToyDataset({ kind: 'blobs', size: 200, noise: 0.5, classes: 3, seed: 1 });

beforeAll(async () => {
  await useCpuBackend();
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
  adoptDataset(makeToyDataset({ kind: 'blobs', size: 30, noise: 0.5, classes: 3, seed: 1 }));
});

async function sweep(control: RunControl, onMessage: (msg: FromWorker) => void = () => {}) {
  const messages: FromWorker[] = [];
  await runSizeSweep(control, base, spec, (msg) => {
    messages.push(msg);
    onMessage(msg);
  });
  return { runs: messages.flatMap((m) => (m.type === 'sizeSweepRun' ? [m.result] : [])), done: messages.at(-1) };
}

describe('runSizeSweep', () => {
  it('reports each student and seed with its sizes and latency, ends as a sweep does, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const { runs, done } = await sweep(new RunControl(1));
    expect(runs.map((r) => `${r.student}/${r.seed}`)).toEqual(['linear/3', 'mlp-8/3', 'mlp-16-16/3', 'linear/4', 'mlp-8/4', 'mlp-16-16/4']);
    for (const r of runs) {
      const arch = findStudentArch(r.student);
      if (!arch) throw new Error(`No architecture ${r.student}`);
      const size = archSize(arch.spec, dataset);
      expect(r.params).toBe(size.params);
      expect(r.bytes).toEqual({ float32: size.bytesFloat32, float16: size.bytesFloat16, uint8: size.bytesUint8 });
      expect(r.latency.batch1).toBeGreaterThan(0);
      expect(r.latency.batch128).toBeGreaterThan(0);
      expect(r.distilled).toBeGreaterThanOrEqual(0);
      expect(r.scratch).toBeLessThanOrEqual(1);
    }
    expect(done).toEqual({ type: 'sweepDone', runId: 1, outcome: 'finished', runsDone: 6, runsTotal: 6 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops between runs and keeps what finished', async () => {
    const control = new RunControl(2);
    let finished = 0;
    const { runs, done } = await sweep(control, (msg) => {
      if (msg.type === 'sizeSweepRun' && ++finished === 2) control.stop();
    });
    expect(runs).toHaveLength(2);
    expect(done).toEqual({ type: 'sweepDone', runId: 2, outcome: 'cancelled', runsDone: 2, runsTotal: 6 });
  });

  it('refuses a student the data cannot feed before training anything', async () => {
    await expect(runSizeSweep(new RunControl(3), base, { students: ['cnn-8-16'], seeds: [1] }, () => {})).rejects.toThrow(
      'CNN 8-16 needs image data.',
    );
  });

  it("distils with the run's method (DKD gives other students than Hinton KD) and refuses born-again and mutual learning", async () => {
    const one: SizeSweepSpec = { students: ['mlp-8'], seeds: [5] };
    const accuracyWith = async (loss: DistillRunConfig['loss']) => {
      const messages: FromWorker[] = [];
      await runSizeSweep(new RunControl(4), { ...base, loss }, one, (m) => messages.push(m));
      const [run] = messages.flatMap((m) => (m.type === 'sizeSweepRun' ? [m.result] : []));
      return run.distilled;
    };
    // All on the soft term, whose DKD weights are both 0: a DKD student that the sweep really trains with DKD never moves.
    const hinton = { ...DEFAULT_LOSS, alpha: 1 };
    const still = { ...hinton, method: { ...DEFAULT_METHOD, method: 'dkd' as const, dkdAlpha: 0, dkdBeta: 0 } };
    expect(await accuracyWith(still)).not.toBe(await accuracyWith(hinton));
    const mutual = { ...DEFAULT_LOSS, method: { ...DEFAULT_METHOD, method: 'mutual' as const } };
    await expect(runSizeSweep(new RunControl(5), { ...base, loss: mutual }, one, () => {})).rejects.toThrow(/Mutual learning/);
  });
});
