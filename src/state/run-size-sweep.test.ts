import { describe, expect, it } from 'vitest';
import type { SizeSweepResult } from '../core/size-sweep';
import { buildSizeSweepRecord, isSizeSweepRecord, type SizeSweepRecord, sizeSweepRunName } from './run-record';
import { runJson, SIZE_SWEEP_CSV_HEADER, sizeSweepCsv } from './run-export';
import { addRun, listRuns, type RunsBackend } from './runs-db';
import { parseStoredRun } from './run-validate';

const result = (student: SizeSweepResult['student'], seed: number, distilled: number): SizeSweepResult => ({
  student,
  seed,
  distilled,
  scratch: distilled - 0.01,
  teacher: 0.97,
  params: student === 'linear' ? 6 : 322,
  bytes: { float32: 24, float16: 12, uint8: 22 },
  latency: { batch1: 0.02, batch128: 0.0015 },
});

function sweep(over: Partial<SizeSweepRecord> = {}): SizeSweepRecord {
  return {
    ...buildSizeSweepRecord(
      {
        spec: { students: ['linear', 'mlp-64'], seeds: [1, 2] },
        context: 'Two moons, teacher MLP, T 4, α 0.9, 1 epoch per run',
        dataset: 'Two moons',
        results: [result('linear', 1, 0.85), result('mlp-64', 1, 0.97), result('linear', 2, 0.86)],
        status: 'cancelled',
      },
      1000,
    ),
    id: 7,
    ...over,
  };
}

/** The old shape of a distillation's record, as kept before size sweeps joined the history (no `kind`). */
const OLD_DISTILL = {
  version: 1,
  id: 3,
  name: 'MLP 64 · T 4 · α 0.9 · seed 1',
  createdAt: 500,
  dataset: 'MNIST',
  studentLabel: 'MLP 64',
  experiment: null,
  config: {
    studentPreset: 'mlp-64',
    studentSource: 'preset',
    epochs: 1,
    batchSize: 128,
    learningRate: 0.003,
    seed: 1,
    loss: { temperature: 4, alpha: 0.9, scaleByT2: true, logitMse: 0, hint: null },
    transfer: { labelledFraction: 1, omitClass: null, jitter: 0 },
  },
  epochs: [],
  loss: [],
  results: Object.fromEntries(
    ['teacher', 'distilled', 'scratch'].map((k) => [
      k,
      { description: k, testAccuracy: 0.9, agreement: 1, params: 1, bytes: 4, latencyMsPerSample: null },
    ]),
  ),
  student: { status: 'saved', libraryId: 2 },
};

describe('size sweeps in the run history', () => {
  it('names a sweep by its students and seeds, and keeps every finished run', () => {
    const r = sweep();
    expect(r.name).toBe('Size sweep · 2 students × 2 seeds');
    expect(sizeSweepRunName({ students: ['linear'], seeds: [5] })).toBe('Size sweep · 1 student × 1 seed');
    expect(r.kind).toBe('size-sweep');
    expect(r.results).toHaveLength(3);
    expect(isSizeSweepRecord(r)).toBe(true);
  });

  it('reads a stored sweep back as it was', () => {
    const r = sweep();
    expect(parseStoredRun(structuredClone(r))).toEqual(r);
  });

  it('still reads a distillation saved before sweeps were kept, as a distillation', () => {
    const back = parseStoredRun(structuredClone(OLD_DISTILL));
    expect(back.kind).toBe('distill');
    expect(isSizeSweepRecord(back)).toBe(false);
    expect(back.name).toBe(OLD_DISTILL.name);
  });

  it('refuses a damaged sweep or an unknown kind, saying why', () => {
    expect(() => parseStoredRun({ ...sweep(), kind: 'grid' })).toThrow('it is of kind "grid", which this build does not know');
    expect(() => parseStoredRun({ ...sweep(), spec: { students: ['mlp-9999'], seeds: [1] } })).toThrow(
      'spec.students[0] is not a student this build knows',
    );
    expect(() => parseStoredRun({ ...sweep(), results: [{ student: 'linear' }] })).toThrow('results[0] is damaged');
    expect(() => parseStoredRun({ ...sweep(), status: 'running' })).toThrow('status is missing');
  });

  it('exports one CSV row per (student, seed), and the whole record as JSON', () => {
    const csv = sizeSweepCsv(sweep({ name: 'sweep, "a"' }));
    expect(csv).toBe(
      `${SIZE_SWEEP_CSV_HEADER}\r\n` +
        '"sweep, ""a""",linear,1,0.97,0.85,0.84,6,24,12,22,0.02,0.0015\r\n' +
        '"sweep, ""a""",mlp-64,1,0.97,0.97,0.96,322,24,12,22,0.02,0.0015\r\n' +
        '"sweep, ""a""",linear,2,0.97,0.86,0.85,6,24,12,22,0.02,0.0015\r\n',
    );
    const back = parseStoredRun(JSON.parse(runJson(sweep())));
    expect(back).toEqual(sweep());
  });

  it('lists sweeps beside distillations, newest first', async () => {
    const values = new Map<number, unknown>([[3, OLD_DISTILL]]);
    const backend: RunsBackend = {
      getAll: async () => [...values].map(([key, value]) => ({ key, value: structuredClone(value) })),
      add: async (r) => {
        values.set(8, { ...r, id: 8 });
        return 8;
      },
      put: async () => {},
      delete: async () => {},
    };
    const { id: _id, ...fresh } = sweep();
    const added = await addRun<SizeSweepRecord>(backend, fresh);
    expect(added.id).toBe(8);
    const { runs, skipped } = await listRuns(backend);
    expect(skipped).toEqual([]);
    expect(runs.map((r) => [r.id, r.kind])).toEqual([
      [8, 'size-sweep'],
      [3, 'distill'],
    ]);
  });
});
