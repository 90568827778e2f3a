import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { measure } from './measure';
import { runWorkloads } from './runner';
import { WORKLOAD_NAMES, type WorkloadOutcome } from './types';
import type { BenchSizes } from './workloads';

const TINY: BenchSizes = {
  batch: 4,
  inferBatch: 6,
  imageSide: 4,
  numClasses: 3,
  teacherHidden: [8, 8],
  studentHidden: [5],
  convFilters: [2, 3],
  matmulN: 8,
  dataRows: 12,
};
const timing = { windows: 3, warmupSteps: 1, minWarmupMs: 0, targetWindowMs: 5 };

describe('benchmark workloads (tiny sizes, CPU backend)', () => {
  beforeAll(useCpuBackend);

  it('every workload runs and gives a positive rate, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const reported: WorkloadOutcome[] = [];
    const outcomes = await runWorkloads({ timing, sizes: TINY, now: () => performance.now(), report: (o) => reported.push(o) });
    expect(outcomes.map((o) => o.name)).toEqual([...WORKLOAD_NAMES]);
    expect(reported).toEqual(outcomes);
    for (const o of outcomes) {
      if (!o.ok) throw new Error(`${o.name}: ${o.error}`);
      expect(o.measurement.rate, o.name).toBeGreaterThan(0);
      expect(o.measurement.windowRates).toHaveLength(3);
      expect(o.measurement.stepsPerWindow).toBeGreaterThanOrEqual(1);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a failing workload is reported with its error, and the rest still run', async () => {
    const before = tf.memory().numTensors;
    // A data set smaller than one batch makes the training workloads throw while being built.
    const outcomes = await runWorkloads({
      timing,
      sizes: { ...TINY, dataRows: 2 },
      only: ['teacher_train', 'matmul_gflops'],
      now: () => performance.now(),
      report: () => {},
    });
    expect(outcomes[0]).toMatchObject({ name: 'teacher_train', ok: false, error: expect.stringMatching(/smaller than one batch/) });
    expect(outcomes[1]).toMatchObject({ name: 'matmul_gflops', ok: true });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('measure: units per step over the median window, with windows sized from the warm-up', async () => {
    let clock = 0;
    const stepMs = [50, 10, 10, 10, 30, 30, 10, 10];
    let calls = 0;
    const w = {
      unitsPerStep: 100,
      step: () => {
        clock += stepMs[calls++] ?? 10;
        return tf.scalar(1);
      },
    };
    const m = await measure(w, { windows: 3, warmupSteps: 2, minWarmupMs: 0, targetWindowMs: 20 }, () => clock);
    // Warm-up: 50 ms then 10 ms, so 2 steps per window; windows take 20, 60, 20 ms.
    expect(m.stepsPerWindow).toBe(2);
    expect(m.msPerStep).toBe(10);
    expect(m.rate).toBe(10_000);
    expect(m.windowRates.map(Math.round)).toEqual([10_000, 3_333, 10_000]);
  });
});
