import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../core/experiment';
import type { DistillEpoch } from '../core/trainer';
import type { DistillResults, DistillRunConfig } from '../worker/protocol';
import { buildRunRecord, cleanRunName, defaultRunName, type RunRecord } from './run-record';
import { CSV_HEADER, csvCell, runCsv, runFileName, runJson } from './run-export';
import { addRun, explainStorage, listRuns, updateRun, type RunsBackend } from './runs-db';
import { parseRunRecord } from './run-validate';

const config: DistillRunConfig = {
  studentPreset: 'mlp-64',
  studentSource: 'preset',
  epochs: 2,
  batchSize: 128,
  learningRate: 0.003,
  seed: 1,
  loss: { temperature: 4, alpha: 0.9, scaleByT2: true, logitMse: 0, hint: null },
  transfer: { labelledFraction: 1, omitClass: null, jitter: 0 },
};

const epoch = (n: number, over: Partial<DistillEpoch> = {}): DistillEpoch => ({
  epoch: n,
  teacherAccuracy: 0.98,
  distilledAccuracy: 0.9,
  scratchAccuracy: 0.85,
  distilledAgreement: 0.91,
  scratchAgreement: 0.86,
  distilledKL: 0.25,
  scratchKL: 0.5,
  ...over,
});

const model = (acc: number, description: string) => ({
  testAccuracy: acc,
  agreement: 0.9,
  params: 100,
  bytes: 400,
  latencyMsPerSample: 0.01,
  description,
});

const results: DistillResults = {
  teacher: { ...model(0.98, 'CNN'), source: 'shipped', exportable: true, hintLayers: null },
  distilled: model(0.93, 'MLP 64'),
  scratch: model(0.9, 'MLP 64'),
  config,
  testOutputs: {
    numClasses: 2,
    labels: Int32Array.from([0]),
    teacher: new Float32Array(2),
    distilled: new Float32Array(2),
    scratch: new Float32Array(2),
  },
};

function record(over: Partial<RunRecord> = {}): RunRecord {
  return {
    ...buildRunRecord(
      {
        results,
        epochs: [epoch(1), epoch(2)],
        loss: [{ step: 1, total: 1, soft: 0.5, hard: 0.5, scratch: 1.2 }],
        experiment: null,
        dataset: 'MNIST',
      },
      1000,
    ),
    id: 1,
    ...over,
  };
}

describe('run names', () => {
  it('names a run by its student, temperature, alpha and seed', () => {
    expect(defaultRunName(config, null)).toBe('MLP 64 · T 4 · α 0.9 · seed 1');
    const uploaded = { student: { kind: 'uploaded', fileName: 'my.json' } } as unknown as ExperimentConfig;
    expect(
      defaultRunName({ ...config, studentSource: 'uploaded', seed: 7, loss: { ...config.loss, temperature: 2.5, alpha: 0.5 } }, uploaded),
    ).toBe('my.json · T 2.5 · α 0.5 · seed 7');
  });

  it('keeps a typed name trimmed, and refuses a blank one', () => {
    expect(cleanRunName('  a   b \n')).toBe('a b');
    expect(cleanRunName('   ')).toBeNull();
    expect(cleanRunName('x'.repeat(500))).toHaveLength(200);
  });
});

describe('buildRunRecord', () => {
  it('keeps the numbers and leaves the test-set logits out', () => {
    const r = record();
    expect(r.name).toBe('MLP 64 · T 4 · α 0.9 · seed 1');
    expect(r.student).toEqual({ status: 'saving' });
    expect(r.results.teacher).toEqual(model(0.98, 'CNN'));
    expect(JSON.stringify(r)).not.toContain('testOutputs');
    expect(r.results.teacher).not.toHaveProperty('hintLayers');
  });
});

describe('CSV and JSON', () => {
  it('quotes only what needs it', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('writes one row per epoch, a name with commas quoted, NaN as an empty cell', () => {
    const csv = runCsv({
      name: 'MLP 64, "fast"',
      epochs: [epoch(1), epoch(2, { scratchAccuracy: NaN, scratchAgreement: NaN, scratchKL: NaN, distilledKL: 0.125 })],
    });
    expect(csv).toBe(
      'run,epoch,teacher_accuracy,distilled_accuracy,scratch_accuracy,distilled_agreement,scratch_agreement,distilled_kl,scratch_kl\r\n' +
        '"MLP 64, ""fast""",1,0.98,0.9,0.85,0.91,0.86,0.25,0.5\r\n' +
        '"MLP 64, ""fast""",2,0.98,0.9,,0.91,,0.125,\r\n',
    );
    expect(csv.startsWith(CSV_HEADER)).toBe(true);
  });

  it('writes the header alone for a run without epochs', () => {
    expect(runCsv({ name: 'x', epochs: [] })).toBe(`${CSV_HEADER}\r\n`);
  });

  it('exports the whole record as JSON, NaN as null', () => {
    const r = record({ epochs: [epoch(1, { scratchKL: NaN })] });
    const back = JSON.parse(runJson(r));
    expect(back.name).toBe(r.name);
    expect(back.epochs[0].scratchKL).toBeNull();
    expect(back.config).toEqual(config);
  });

  it('makes file names without path separators', () => {
    expect(runFileName('MLP 64 · T 4 / α: 0.9', 'csv')).toBe('MLP 64 · T 4 - α- 0.9.csv');
    expect(runFileName('  ', 'json')).toBe('run.json');
  });
});

describe('parseRunRecord', () => {
  it('reads back what was stored, NaN included', () => {
    const r = record({ epochs: [epoch(1, { scratchKL: NaN })], student: { status: 'saved', libraryId: 4 } });
    const back = parseRunRecord(structuredClone(r));
    expect(back).toEqual(r);
    expect(back.epochs[0].scratchKL).toBeNaN();
  });

  it('turns a student still saving into one that was not saved', () => {
    expect(parseRunRecord(record()).student).toEqual({ status: 'failed', reason: 'The page closed before the student was saved.' });
  });

  it('says what is wrong with a damaged record', () => {
    expect(() => parseRunRecord(null)).toThrow('the record is missing');
    expect(() => parseRunRecord({ ...record(), version: 2 })).toThrow('version 2');
    expect(() => parseRunRecord({ ...record(), epochs: [{ epoch: 1 }] })).toThrow('epochs[0].teacherAccuracy is not a number');
    expect(() => parseRunRecord({ ...record(), results: { ...record().results, scratch: undefined } })).toThrow(
      'results.scratch is missing',
    );
    expect(() => parseRunRecord({ ...record(), name: 3 })).toThrow('name is not text');
  });
});

/** IndexedDB's part, in memory: what listRuns does with what it reads back. */
function fakeBackend(values: unknown[] = []): RunsBackend & { values: Map<number, unknown> } {
  const values_ = new Map(values.map((v, i) => [i + 1, v]));
  let next = values.length + 1;
  return {
    values: values_,
    getAll: async () => [...values_].map(([key, value]) => ({ key, value: structuredClone(value) })),
    add: async (r) => {
      const id = next++;
      values_.set(id, { ...r, id });
      return id;
    },
    put: async (r) => void values_.set(r.id, structuredClone(r)),
    delete: async (id) => void values_.delete(id),
  };
}

describe('the run history store', () => {
  it('lists runs newest first and skips a damaged record with a message', async () => {
    const backend = fakeBackend([record({ id: 1, createdAt: 10 }), { id: 2, name: 'broken' }, record({ id: 3, createdAt: 30 })]);
    const { runs, skipped } = await listRuns(backend);
    expect(runs.map((r) => r.id)).toEqual([3, 1]);
    expect(skipped).toHaveLength(1);
    expect(skipped).toEqual(['Skipped stored run #2: it is damaged or from another version (its version is missing).']);
  });

  it('gives a new run its id and saves a rename', async () => {
    const backend = fakeBackend();
    const { id: _id, ...fresh } = record();
    const added = await addRun(backend, fresh);
    expect(added.id).toBe(1);
    await updateRun(backend, { ...added, name: 'renamed' });
    expect((await listRuns(backend)).runs[0].name).toBe('renamed');
  });

  it('explains a full disk', async () => {
    const backend = { ...fakeBackend(), add: async () => Promise.reject(new DOMException('quota', 'QuotaExceededError')) };
    const { id: _id, ...fresh } = record();
    await expect(addRun(backend, fresh)).rejects.toThrow(
      /Could not keep the run "MLP 64 · T 4 · α 0.9 · seed 1": this browser's storage for the site is full/,
    );
    await expect(listRuns({ ...fakeBackend(), getAll: () => Promise.reject(new Error('boom')) })).rejects.toThrow(
      'Could not read the run history: boom',
    );
    expect(explainStorage(new DOMException('x', 'InvalidStateError'), 'do it').message).toMatch(/private window/);
  });
});
