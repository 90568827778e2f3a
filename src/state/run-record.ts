import type { ExperimentConfig } from '../core/experiment';
import { STUDENT_PRESETS } from '../core/presets';
import type { ModelResult } from '../core/results';
import type { SizeSweepResult, SizeSweepSpec } from '../core/size-sweep';
import type { DistillEpoch, DistillLossPoint } from '../core/trainer';
import type { DistillResults, DistillRunConfig, RepeatResult } from '../worker/protocol';

/**
 * One finished distillation as kept in IndexedDB. Plain data, and small: the per-epoch metrics and
 * the downsampled loss curve, never the test-set logits (megabytes a run).
 */
export interface RunRecord {
  /** Bumped when the shape changes, so that old records can be read or explained. */
  version: 1;
  /** Absent in records saved before the history kept size sweeps too. */
  kind?: 'distill';
  id: number;
  name: string;
  createdAt: number;
  dataset: string;
  /** The student as people name it: the preset's label or the uploaded file. */
  studentLabel: string;
  /** Null only if the run had no describable teacher; `config` still says how it ran. */
  experiment: ExperimentConfig | null;
  config: DistillRunConfig;
  epochs: DistillEpoch[];
  loss: DistillLossPoint[];
  results: { teacher: RunModel; distilled: RunModel; scratch: RunModel };
  /** A repeated run's every seed (test accuracies), in order; absent for one seed, and in records saved before Repeats. */
  repeats?: RepeatResult[];
  student: StudentRef;
}

/**
 * A "Find the smallest student" sweep as kept in the history: its spec and every finished
 * (student, seed), enough to draw its chart and table again. No student is saved with it.
 */
export interface SizeSweepRecord {
  version: 1;
  kind: 'size-sweep';
  id: number;
  name: string;
  createdAt: number;
  dataset: string;
  /** What it ran on (data, teacher, T, α, epochs), as its chart's caption said. */
  context: string;
  spec: SizeSweepSpec;
  results: SizeSweepResult[];
  /** A sweep cut short keeps the runs that finished. */
  status: 'finished' | 'cancelled' | 'failed';
}

/** Anything the run history keeps. */
export type StoredRun = RunRecord | SizeSweepRecord;

export const isSizeSweepRecord = (run: StoredRun): run is SizeSweepRecord => run.kind === 'size-sweep';

export type RunModel = ModelResult & { description: string };

/** The distilled student in the model library: saved, being saved, or why not. */
export type StudentRef = { status: 'saving' } | { status: 'saved'; libraryId: number } | { status: 'failed'; reason: string };

export interface FinishedDistill {
  results: DistillResults;
  epochs: DistillEpoch[];
  loss: DistillLossPoint[];
  experiment: ExperimentConfig | null;
  dataset: string;
}

export function studentLabel(config: DistillRunConfig, experiment: ExperimentConfig | null): string {
  if (config.studentSource === 'uploaded')
    return experiment?.student.kind === 'uploaded' ? experiment.student.fileName : 'uploaded student';
  return STUDENT_PRESETS.find((p) => p.id === config.studentPreset)?.label ?? config.studentPreset;
}

/** "MLP 64 · T 4 · α 0.9 · seed 1": what tells runs of one session apart. */
export function defaultRunName(config: DistillRunConfig, experiment: ExperimentConfig | null): string {
  const repeats = config.repeats ?? 1;
  const seeds = repeats > 1 ? `seeds ${config.seed}–${config.seed + repeats - 1}` : `seed ${config.seed}`;
  return `${studentLabel(config, experiment)} · T ${config.loss.temperature} · α ${config.loss.alpha} · ${seeds}`;
}

function model(r: ModelResult & { description: string }): RunModel {
  // Copied field by field: the worker's objects may carry more than a record should keep.
  return {
    description: r.description,
    testAccuracy: r.testAccuracy,
    agreement: r.agreement,
    params: r.params,
    bytes: r.bytes,
    latencyMsPerSample: r.latencyMsPerSample,
    ...(r.latencySpread && { latencySpread: { q1: r.latencySpread.q1, q3: r.latencySpread.q3 } }),
  };
}

export function buildRunRecord(run: FinishedDistill, createdAt: number): Omit<RunRecord, 'id'> {
  const { results } = run;
  return {
    version: 1,
    kind: 'distill',
    name: defaultRunName(results.config, run.experiment),
    createdAt,
    dataset: run.dataset,
    studentLabel: studentLabel(results.config, run.experiment),
    experiment: run.experiment,
    config: results.config,
    epochs: run.epochs,
    loss: run.loss,
    results: { teacher: model(results.teacher), distilled: model(results.distilled), scratch: model(results.scratch) },
    ...(results.repeats && {
      repeats: results.repeats.map((r) => ({ seed: r.seed, teacher: r.teacher, distilled: r.distilled, scratch: r.scratch })),
    }),
    student: { status: 'saving' },
  };
}

export interface FinishedSizeSweep {
  spec: SizeSweepSpec;
  context: string;
  dataset: string;
  results: SizeSweepResult[];
  status: SizeSweepRecord['status'];
}

/** "Size sweep · 3 students × 2 seeds": a sweep's name in the history. */
export function sizeSweepRunName(spec: SizeSweepSpec): string {
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  return `Size sweep · ${n(spec.students.length, 'student')} × ${n(spec.seeds.length, 'seed')}`;
}

export function buildSizeSweepRecord(sweep: FinishedSizeSweep, createdAt: number): Omit<SizeSweepRecord, 'id'> {
  return {
    version: 1,
    kind: 'size-sweep',
    name: sizeSweepRunName(sweep.spec),
    createdAt,
    dataset: sweep.dataset,
    context: sweep.context,
    spec: { students: [...sweep.spec.students], seeds: [...sweep.spec.seeds] },
    // Copied: the store's rows may be shared with the live chart.
    results: sweep.results.map((r) => ({ ...r, bytes: { ...r.bytes }, latency: { ...r.latency } })),
    status: sweep.status,
  };
}

export const MAX_NAME_LENGTH = 200;

/** A typed name, or null when there is nothing to keep (blank). */
export function cleanRunName(typed: string): string | null {
  const name = typed.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
  return name || null;
}
