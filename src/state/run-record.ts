import type { ExperimentConfig } from '../core/experiment';
import { STUDENT_PRESETS } from '../core/presets';
import type { ModelResult } from '../core/results';
import type { DistillEpoch, DistillLossPoint } from '../core/trainer';
import type { DistillResults, DistillRunConfig, RepeatResult } from '../worker/protocol';

/**
 * One finished distillation as kept in IndexedDB. Plain data, and small: the per-epoch metrics and
 * the downsampled loss curve, never the test-set logits (megabytes a run).
 */
export interface RunRecord {
  /** Bumped when the shape changes, so that old records can be read or explained. */
  version: 1;
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

export const MAX_NAME_LENGTH = 200;

/** A typed name, or null when there is nothing to keep (blank). */
export function cleanRunName(typed: string): string | null {
  const name = typed.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
  return name || null;
}
