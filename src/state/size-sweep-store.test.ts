import { describe, expect, it, vi } from 'vitest';
import type { SizeSweepResult } from '../core/size-sweep';
import { isSizeSweepRecord } from './run-record';
import type { RunsBackend } from './runs-db';
import { useRuns } from './runs-store';
import {
  adoptStudent,
  DEFAULT_STUDENTS,
  endSizeSweep,
  reduceSizeSweep,
  restoreSizeSweep,
  type SizeSweep,
  sweepToKeep,
  useSizeSweep,
} from './size-sweep-store';
import { useStudio } from './store';

const sweep: SizeSweep = {
  runId: 7,
  spec: { students: ['linear', 'mlp-8'], seeds: [1] },
  context: '',
  results: [],
  progress: null,
  status: 'running',
};
const r: SizeSweepResult = {
  student: 'linear',
  seed: 1,
  distilled: 0.8,
  scratch: 0.79,
  teacher: 0.9,
  params: 6,
  bytes: { float32: 24, float16: 12, uint8: 22 },
  latency: { batch1: 0.1, batch128: 0.01 },
};

describe('size sweep store', () => {
  it('keeps a sweep in the run history when it ends with runs done, once', async () => {
    const done = { ...sweep, results: [r], status: 'finished' as const };
    expect(sweepToKeep(sweep, done)).toBe(done);
    expect(sweepToKeep(sweep, { ...done, status: 'cancelled' })?.status).toBe('cancelled');
    expect(sweepToKeep(sweep, { ...sweep, results: [r] })).toBeNull();
    expect(sweepToKeep(done, done)).toBeNull();
    expect(sweepToKeep(sweep, { ...done, results: [] })).toBeNull();
    expect(sweepToKeep(sweep, { ...done, runId: 8 })).toBeNull();

    const added: unknown[] = [];
    const db: RunsBackend = {
      getAll: async () => [],
      add: async (record) => added.push(record),
      put: async () => {},
      delete: async () => {},
    };
    useRuns.setState({ db, runs: [] });
    useSizeSweep.setState({ sweep: { ...sweep, dataset: 'Two moons', results: [r] } });
    useSizeSweep.setState({ sweep: { ...sweep, dataset: 'Two moons', results: [r], status: 'finished' } });
    await vi.waitFor(() => expect(useRuns.getState().runs).toHaveLength(1));
    const [kept] = useRuns.getState().runs;
    expect(isSizeSweepRecord(kept) && kept).toMatchObject({ id: 1, dataset: 'Two moons', results: [r], status: 'finished' });
    expect(added).toHaveLength(1);
    useSizeSweep.setState({ sweep: null });
  });

  it('adds its own runs, keeps its progress and ends as the worker says; another run leaves it alone', () => {
    const one = reduceSizeSweep(sweep, { type: 'sizeSweepRun', runId: 7, result: r });
    expect(one?.results).toEqual([r]);
    expect(reduceSizeSweep(one, { type: 'sizeSweepRun', runId: 8, result: r })).toBe(one);
    const progress = { runsDone: 1, runsTotal: 2, elapsedSeconds: 1, etaSeconds: 1, samplesPerSec: 10 };
    expect(reduceSizeSweep(one, { type: 'sweepProgress', runId: 7, progress })?.progress).toEqual(progress);
    const cancelled = reduceSizeSweep(one, { type: 'sweepDone', runId: 7, outcome: 'cancelled', runsDone: 1, runsTotal: 2 });
    expect(cancelled?.status).toBe('cancelled');
    expect(cancelled?.results).toEqual([r]);
    expect(reduceSizeSweep(null, { type: 'sweepDone', runId: 7, outcome: 'finished', runsDone: 2, runsTotal: 2 })).toBeNull();
  });

  it('marks a sweep whose run ended without sweepDone as failed, keeping its results', () => {
    const one = reduceSizeSweep(sweep, { type: 'sizeSweepRun', runId: 7, result: r });
    expect(endSizeSweep(one, 7)).toMatchObject({ status: 'failed', results: [r] });
    expect(endSizeSweep(one, 6)).toBe(one);
    const finished = { ...sweep, status: 'finished' as const };
    expect(endSizeSweep(finished, 7)).toBe(finished);
  });

  it('Use this student sets the student to the architecture, from its preset source', () => {
    useStudio.setState({ run: null, studentSource: 'uploaded' });
    adoptStudent('mlp-128-128');
    expect(useStudio.getState().config.studentPreset).toBe('mlp-128-128');
    expect(useStudio.getState().studentSource).toBe('preset');
  });

  it('restores the last sweep and form from a reload, a running sweep as cancelled, and drops what does not read', () => {
    const saved = JSON.parse(
      JSON.stringify({ students: ['mlp-8', 'nope'], seeds: 2, measure: 'uint8', maxKb: '4', maxMs: '', sweep: { ...sweep, results: [r] } }),
    );
    const back = restoreSizeSweep(saved);
    expect(back).toMatchObject({ students: ['mlp-8'], seeds: 2, measure: 'uint8', maxKb: '4' });
    expect(back.sweep).toMatchObject({ runId: -1, status: 'cancelled', results: [r] });
    const damaged = restoreSizeSweep({ seeds: 99, measure: 'furlongs', sweep: { ...sweep, results: [{ ...r, params: 'many' }] } });
    expect(damaged).toMatchObject({ students: DEFAULT_STUDENTS, seeds: 1, measure: 'params', sweep: null });
  });
});
