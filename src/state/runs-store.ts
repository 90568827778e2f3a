import { create } from 'zustand';
import { saveFiles } from './download';
import { deleteFromLibrary } from './library';
import {
  buildRunRecord,
  buildSizeSweepRecord,
  cleanRunName,
  type FinishedDistill,
  type FinishedSizeSweep,
  isSizeSweepRecord,
  type RunRecord,
  type SizeSweepRecord,
  type StoredRun,
} from './run-record';
import { runCsv, runFileName, runJson, runSeedsCsv, sizeSweepCsv } from './run-export';
import { addRun, deleteRun, idbRunsBackend, listRuns, updateRun, type RunsBackend } from './runs-db';
import { askPersistenceOnce, refreshStorageInfo } from './storage';
import type { SavedStudent } from '../worker/protocol';
import { loadFromLibrary } from './library-actions';
import { studioBus } from './worker-session';
import { errorText } from '../core/error-text';

export interface RunsState {
  /** Newest first: distillations and size sweeps. */
  runs: StoredRun[];
  loaded: boolean;
  /** The history being read (once per page). */
  loading: Promise<void> | null;
  db: RunsBackend;
  /** A storage failure, explained; shown as an alert until the next one or until dismissed. */
  error: string | null;
  /** Records that could not be read back. */
  skipped: string[];
}

export const useRuns = create<RunsState>()(() => ({
  runs: [],
  loaded: false,
  loading: null,
  db: idbRunsBackend(),
  error: null,
  skipped: [],
}));

const set = useRuns.setState;
/** The run history's IndexedDB (opened on first use). */
const backend = () => useRuns.getState().db;

function replace(record: StoredRun): void {
  set((s) => ({ runs: s.runs.map((r) => (r.id === record.id ? record : r)) }));
}

/** Reads the history once per page; later runs are added as they finish. */
export function loadRuns(): Promise<void> {
  const started = useRuns.getState().loading;
  if (started) return started;
  const loading = (async () => {
    try {
      const { runs, skipped } = await listRuns(backend());
      // A run that finished while the history loaded is already in the list.
      set((s) => ({ runs: [...s.runs, ...runs.filter((r) => !s.runs.some((x) => x.id === r.id))], skipped, loaded: true }));
    } catch (e) {
      set({ error: errorText(e), loaded: true });
    }
  })();
  set({ loading });
  return loading;
}

/** A finished distillation into the history, with the student the worker has already saved in the library. */
async function keep(run: FinishedDistill, saved: SavedStudent): Promise<void> {
  const student =
    'error' in saved ? ({ status: 'failed', reason: saved.error } as const) : ({ status: 'saved', libraryId: saved.libraryId } as const);
  let record: RunRecord;
  try {
    record = await addRun<RunRecord>(backend(), { ...buildRunRecord(run, Date.now()), student });
  } catch (e) {
    set({ error: `${errorText(e)} The results stay on the page until the next run.` });
    // The student was saved for this run alone: without the run, nothing would ever show or delete it.
    if (student.status === 'saved') void deleteFromLibrary(student.libraryId).catch(() => {});
    return;
  }
  set((s) => ({ runs: [record, ...s.runs] }));
  void askPersistenceOnce(); // the first thing kept: ask that the browser not evict it
  if (student.status === 'failed') set({ error: `The run "${record.name}" is kept, but its student was not saved. ${student.reason}` });
}

studioBus().on('runFinished', ({ run, student }) => void keep(run, student));

/** A size sweep that ended (finished, or cut short with some runs done) into the history. */
export async function keepSizeSweep(sweep: FinishedSizeSweep): Promise<void> {
  if (sweep.results.length === 0) return;
  let record: SizeSweepRecord;
  try {
    record = await addRun<SizeSweepRecord>(backend(), buildSizeSweepRecord(sweep, Date.now()));
  } catch (e) {
    set({ error: `${errorText(e)} The sweep's results stay on the page.` });
    return;
  }
  set((s) => ({ runs: [record, ...s.runs] }));
  void askPersistenceOnce();
}

export async function renameRun(id: number, typed: string): Promise<void> {
  const run = useRuns.getState().runs.find((r) => r.id === id);
  const name = cleanRunName(typed);
  if (!run || !name || name === run.name) return;
  const renamed = { ...run, name };
  replace(renamed);
  try {
    await updateRun(backend(), renamed);
  } catch (e) {
    replace(run);
    set({ error: errorText(e) });
  }
}

/** The run and its saved student. */
export async function removeRun(id: number): Promise<void> {
  const run = useRuns.getState().runs.find((r) => r.id === id);
  if (!run) return;
  try {
    await deleteRun(backend(), run);
    set((s) => ({ runs: s.runs.filter((r) => r.id !== id) }));
    void refreshStorageInfo();
  } catch (e) {
    set({ error: errorText(e) });
    return;
  }
  // Best effort: a student left behind is hidden and only costs space.
  if (!isSizeSweepRecord(run) && run.student.status === 'saved') await deleteFromLibrary(run.student.libraryId).catch(() => {});
}

export function loadRunStudent(run: RunRecord): void {
  if (run.student.status === 'saved') void loadFromLibrary(run.student.libraryId, 'student');
}

export function exportRun(run: StoredRun, format: 'csv' | 'json'): void {
  const file = (name: string, content: string) => ({ name, bytes: new TextEncoder().encode(content).buffer as ArrayBuffer });
  if (isSizeSweepRecord(run)) {
    saveFiles([file(runFileName(run.name, format), format === 'csv' ? sizeSweepCsv(run) : runJson(run))]);
    return;
  }
  const text = format === 'csv' ? runCsv(run) : runJson(run);
  // A repeated run's seeds go in a second table (one row per seed), beside the epochs of the seed whose models were kept.
  const seeds = format === 'csv' ? runSeedsCsv(run) : null;
  saveFiles([file(runFileName(run.name, format), text), ...(seeds ? [file(runFileName(`${run.name} seeds`, 'csv'), seeds)] : [])]);
}

export function dismissRunsError(): void {
  set({ error: null });
}
