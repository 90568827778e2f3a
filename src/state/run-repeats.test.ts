import { describe, expect, it } from 'vitest';
import type { DistillResults, DistillRunConfig, RepeatResult } from '../worker/protocol';
import { buildRunRecord, defaultRunName, isSizeSweepRecord, type RunRecord } from './run-record';
import { runJson, runSeedsCsv, SEEDS_CSV_HEADER } from './run-export';
import { addRun, listRuns, type RunsBackend } from './runs-db';
import { parseRunRecord } from './run-validate';

const config: DistillRunConfig = {
  studentPreset: 'mlp-64',
  studentSource: 'preset',
  epochs: 2,
  batchSize: 128,
  learningRate: 0.003,
  seed: 4,
  loss: { temperature: 4, alpha: 0.9, scaleByT2: true, logitMse: 0, hint: null },
  transfer: { labelledFraction: 1, omitClass: null, jitter: 0 },
  repeats: 3,
};

const SEEDS: RepeatResult[] = [
  { seed: 4, teacher: 0.98, distilled: 0.95, scratch: 0.94 },
  { seed: 5, teacher: 0.98, distilled: 0.96, scratch: 0.94 },
  { seed: 6, teacher: 0.98, distilled: 0.97, scratch: 0.95 },
];

const model = (acc: number) => ({
  testAccuracy: acc,
  agreement: 0.9,
  params: 100,
  bytes: 400,
  latencyMsPerSample: 0.01,
  latencySpread: { q1: 0.009, q3: 0.012 },
  description: 'MLP 64',
});

const results: DistillResults = {
  teacher: { ...model(0.98), source: 'shipped', exportable: true, hintLayers: null },
  distilled: model(0.97),
  scratch: model(0.95),
  config,
  // The worker's rows may carry more than a record keeps.
  repeats: SEEDS.map((r) => ({ ...r, extra: 1 }) as RepeatResult),
};

function record(over: Partial<DistillResults> = {}): Omit<RunRecord, 'id'> {
  return buildRunRecord({ results: { ...results, ...over }, epochs: [], loss: [], experiment: null, dataset: 'MNIST' }, 1000);
}

function memoryBackend(): RunsBackend {
  const values = new Map<number, unknown>();
  let next = 1;
  return {
    getAll: async () => [...values].map(([key, value]) => ({ key, value: structuredClone(value) })),
    add: async (r) => {
      const id = next++;
      values.set(id, structuredClone({ ...r, id }));
      return id;
    },
    put: async (r) => void values.set(r.id, structuredClone(r)),
    delete: async (id) => void values.delete(id),
  };
}

describe('a repeated run in the history', () => {
  it('is named by its seeds, and keeps every seed (field by field) and the latency spread', () => {
    expect(defaultRunName(config, null)).toBe('MLP 64 · T 4 · α 0.9 · seeds 4–6');
    const r = record();
    expect(r.repeats).toEqual(SEEDS);
    expect(r.results.distilled.latencySpread).toEqual({ q1: 0.009, q3: 0.012 });
  });

  it('goes into storage and comes back with every seed', async () => {
    const backend = memoryBackend();
    await addRun(backend, record());
    const { runs, skipped } = await listRuns(backend);
    expect(skipped).toEqual([]);
    const [run] = runs;
    if (isSizeSweepRecord(run)) throw new Error('read back as a size sweep');
    expect(run.repeats).toEqual(SEEDS);
    expect(run.config.repeats).toBe(3);
    expect(run.results.scratch.latencySpread).toEqual({ q1: 0.009, q3: 0.012 });
  });

  it('an older record without repeats or spread still loads, without them', () => {
    const old = { ...record({ repeats: undefined, config: { ...config, repeats: undefined } }), id: 2 };
    const { latencySpread: _, ...plain } = old.results.teacher;
    const stored = structuredClone({ ...old, results: { ...old.results, teacher: plain } });
    const back = parseRunRecord(stored);
    expect(back).not.toHaveProperty('repeats');
    expect(back.results.teacher).not.toHaveProperty('latencySpread');
  });

  it('refuses a damaged seed with its path', () => {
    const bad = { ...record(), id: 3, repeats: [{ seed: 1, teacher: 0.9, distilled: '0.9', scratch: 0.8 }] };
    expect(() => parseRunRecord(bad)).toThrow('repeats[0].distilled is not a number');
  });
});

describe('exports of a repeated run', () => {
  it('CSV: one row per seed with the paired difference; none for one seed', () => {
    const csv = runSeedsCsv({ name: 'MLP 64, 3 seeds', repeats: SEEDS });
    const lines = (csv ?? '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(SEEDS_CSV_HEADER);
    expect(lines.slice(1).map((l) => l.split(',').slice(2, 4))).toEqual([
      ['4', '0.98'],
      ['5', '0.98'],
      ['6', '0.98'],
    ]);
    expect(lines[1]).toBe(`"MLP 64, 3 seeds",4,0.98,0.95,0.94,${0.95 - 0.94}`);
    expect(lines).toHaveLength(4);
    expect(runSeedsCsv({ name: 'x' })).toBeNull();
  });

  it('JSON: every seed', () => {
    const back = JSON.parse(runJson({ ...record(), id: 1 }));
    expect(back.repeats).toEqual(SEEDS);
    expect(back.config.repeats).toBe(3);
  });
});
