import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { findStudentArch, isStudentArchId, STUDENT_ARCHS, type StudentArchId } from '../core/student-archs';
import { MAX_SEEDS_PER_CELL } from '../core/sweep';
import { parseSizeSweepResult, SIZE_MEASURES, type SizeMeasure, type SizeSweepResult, type SizeSweepSpec } from '../core/size-sweep';
import type { SweepProgress } from '../core/sweep';
import type { FromWorker } from '../worker/protocol';
import { distillRunConfig } from './config';
import { chooseStudentSource } from './load-actions';
import { legacyJsonStorage, savedField } from './persist-storage';
import { canStart, stopRun } from './run-actions';
import { keepSizeSweep } from './runs-store';
import { setSetting } from './settings-actions';
import { useStudio } from './store';
import type { SweepStatus } from './sweep-store';
import { studioBus, useWorkerSession } from './worker-session';

/**
 * "Find the smallest student": the size sweep's form, its results as they come, and the chart's
 * choices. Loaded with its panel's chunk, not at start: it only listens for the runs it started.
 */

export interface SizeSweep {
  runId: number;
  spec: SizeSweepSpec;
  /** What it ran on, for the chart's caption: the results outlive a change of data set or teacher. */
  context: string;
  /** The data set's name, for the run history; absent in sweeps kept before the history held them. */
  dataset?: string;
  results: SizeSweepResult[];
  progress: SweepProgress | null;
  status: SweepStatus;
}

export interface SizeSweepState {
  students: StudentArchId[];
  seeds: number;
  sweep: SizeSweep | null;
  measure: SizeMeasure;
  /** As typed; empty: no limit. */
  maxKb: string;
  maxMs: string;
}

/** From linear to the widest one-layer MLP: the question's usual range, a run each. */
export const DEFAULT_STUDENTS: StudentArchId[] = ['linear', 'mlp-8', 'mlp-16', 'mlp-32', 'mlp-64', 'mlp-128', 'mlp-256', 'mlp-512'];

const INITIAL: SizeSweepState = { students: DEFAULT_STUDENTS, seeds: 1, sweep: null, measure: 'params', maxKb: '', maxMs: '' };

type Saved = SizeSweepState;

/** The last visit's form and finished sweep, each field kept only if it still reads as one (over the defaults). */
export function restoreSizeSweep(saved: Record<string, unknown>): Saved {
  const students = savedField(saved, 'students');
  const seeds = savedField(saved, 'seeds');
  const measure = savedField(saved, 'measure');
  const text = (key: string) => {
    const v = savedField(saved, key);
    return typeof v === 'string' && v.length < 32 ? v : '';
  };
  return {
    students: Array.isArray(students) ? STUDENT_ARCHS.map((a) => a.id).filter((id) => students.includes(id)) : DEFAULT_STUDENTS,
    seeds: Number.isInteger(seeds) && (seeds as number) >= 1 && (seeds as number) <= MAX_SEEDS_PER_CELL ? (seeds as number) : 1,
    measure: SIZE_MEASURES.find((m) => m.id === measure)?.id ?? 'params',
    maxKb: text('maxKb'),
    maxMs: text('maxMs'),
    sweep: restoreSweep(savedField(saved, 'sweep')),
  };
}

function restoreSweep(v: unknown): SizeSweep | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  const spec = r.spec as Record<string, unknown> | null;
  if (
    typeof r.runId !== 'number' ||
    typeof r.context !== 'string' ||
    !Array.isArray(r.results) ||
    typeof spec !== 'object' ||
    spec === null
  )
    return null;
  if (!Array.isArray(spec.students) || !spec.students.every((id) => isStudentArchId(id))) return null;
  if (!Array.isArray(spec.seeds) || !spec.seeds.every((x) => Number.isInteger(x))) return null;
  const results = r.results.map(parseSizeSweepResult);
  if (results.some((x) => x === null)) return null;
  // A sweep still running when the page went away was cut short, as a cancel would.
  const status = r.status === 'finished' || r.status === 'failed' ? r.status : 'cancelled';
  return {
    // Never a live run id: the worker that ran it is gone.
    runId: -1,
    spec: { students: spec.students as StudentArchId[], seeds: spec.seeds as number[] },
    context: r.context,
    ...(typeof r.dataset === 'string' && { dataset: r.dataset }),
    results: results as SizeSweepResult[],
    progress: null,
    status,
  };
}

// The form, the chart's choices and the last sweep's results (small: at most MAX_SWEEP_RUNS rows) survive a reload.
export const useSizeSweep = create<SizeSweepState>()(
  persist((): SizeSweepState => INITIAL, {
    name: 'distill-studio-size-sweep',
    storage: legacyJsonStorage<Saved>('students', restoreSizeSweep),
    partialize: (s) => s,
  }),
);

const set = useSizeSweep.setState;

type SweepMessage = Extract<FromWorker, { type: 'sizeSweepRun' | 'sweepProgress' | 'sweepDone' }>;

/** The sweep after one of its messages; another run's messages leave it as it is. */
export function reduceSizeSweep(sweep: SizeSweep | null, msg: SweepMessage): SizeSweep | null {
  if (!sweep || sweep.runId !== msg.runId) return sweep;
  if (msg.type === 'sizeSweepRun') return { ...sweep, results: [...sweep.results, msg.result] };
  if (msg.type === 'sweepProgress') return { ...sweep, progress: msg.progress };
  return { ...sweep, status: msg.outcome };
}

/** A run that ended without sweepDone (an error, a crashed worker): what finished is kept, marked failed. */
export function endSizeSweep(sweep: SizeSweep | null, endedRunId: number): SizeSweep | null {
  return sweep?.runId === endedRunId && sweep.status === 'running' ? { ...sweep, status: 'failed' } : sweep;
}

const apply = (msg: SweepMessage) => set((s) => ({ sweep: reduceSizeSweep(s.sweep, msg) }));
studioBus().on('sizeSweepRun', apply);
studioBus().on('sweepProgress', apply);
studioBus().on('sweepDone', apply);
useStudio.subscribe((s, prev) => {
  if (prev.run?.kind === 'sweep' && s.run?.id !== prev.run.id) set((st) => ({ sweep: endSizeSweep(st.sweep, prev.run?.id ?? -1) }));
});

/** The sweep to keep in the run history when `next` ends the one `prev` was running; else null. */
export function sweepToKeep(prev: SizeSweep | null, next: SizeSweep | null): SizeSweep | null {
  if (!prev || !next || prev.runId !== next.runId || prev.status !== 'running' || next.status === 'running') return null;
  return next.results.length > 0 ? next : null;
}

// Each sweep that ends with runs done is kept in the history, like a distillation (a restored sweep never "ends" here).
useSizeSweep.subscribe((s, prev) => {
  const ended = sweepToKeep(prev.sweep, s.sweep);
  if (ended && ended.status !== 'running')
    void keepSizeSweep({
      spec: ended.spec,
      context: ended.context,
      dataset: ended.dataset ?? '',
      results: ended.results,
      status: ended.status,
    });
});

export function setSizeSweepForm(change: Partial<Pick<SizeSweepState, 'students' | 'seeds' | 'measure' | 'maxKb' | 'maxMs'>>): void {
  set(change);
}

/** Starts the sweep over the chosen students, at the studio's settings, seeds counted up from its seed. */
export function findSmallestStudent(): void {
  const studio = useStudio.getState();
  const { client } = useWorkerSession.getState();
  const { students, seeds } = useSizeSweep.getState();
  if (!client || !canStart(studio) || !studio.teacher || students.length === 0) return;
  const spec: SizeSweepSpec = { students, seeds: Array.from({ length: seeds }, (_, i) => (studio.config.seed + i) % 4294967296) };
  const runId = client.sizeSweep(distillRunConfig(studio.config, 'preset'), spec);
  useStudio.setState({ run: { id: runId, kind: 'sweep', status: 'running' }, error: null, notice: null, incident: null, progress: null });
  const context = [
    studio.dataset?.name,
    `teacher ${studio.teacher.description}`,
    `T ${studio.config.temperature}, α ${studio.config.alpha}`,
    `${studio.config.studentEpochs} epoch${studio.config.studentEpochs === 1 ? '' : 's'} per run`,
  ]
    .filter(Boolean)
    .join(', ');
  set({ sweep: { runId, spec, context, dataset: studio.dataset?.name ?? '', results: [], progress: null, status: 'running' } });
}

export function cancelSizeSweep(): void {
  const run = useStudio.getState().run;
  if (run?.kind === 'sweep' && run.id === useSizeSweep.getState().sweep?.runId) stopRun();
}

/** "Use this student": the Student panel's model becomes this architecture, for the next distillation. */
export function adoptStudent(id: StudentArchId): void {
  if (!findStudentArch(id) || useStudio.getState().run) return;
  setSetting('studentPreset', id);
  chooseStudentSource('preset');
}
