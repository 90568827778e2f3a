import type { BackendInfo, BackendName } from '../core/backend';
import type { DatasetSummary } from '../core/data/types';
import type { StudentPresetId, TeacherPresetId } from '../core/presets';
import type { ModelResult } from '../core/results';
import type { DistillEpoch, DistillLossPoint, Progress, TeacherEpoch, TeacherLossPoint } from '../core/trainer';

/** The messages between the page and the training worker. Every run-scoped message carries its run id. */

export interface TeacherRunConfig {
  preset: TeacherPresetId;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export interface DistillRunConfig {
  studentPreset: StudentPresetId;
  epochs: number;
  batchSize: number;
  learningRate: number;
  temperature: number;
  alpha: number;
  seed: number;
}

export type ToWorker =
  | { type: 'init'; backend?: BackendName; dataUrl: string }
  | { type: 'trainTeacher'; runId: number; config: TeacherRunConfig }
  | { type: 'distill'; runId: number; config: DistillRunConfig }
  | { type: 'pause' | 'resume' | 'stop'; runId: number };

export interface ProgressReport extends Progress {
  samplesPerSec: number;
  /** Seconds left, or null until the rate is known. */
  etaSeconds: number | null;
  elapsedSeconds: number;
}

export interface TeacherResult extends ModelResult {
  description: string;
}

export interface DistillResults {
  teacher: TeacherResult;
  distilled: ModelResult & { description: string };
  scratch: ModelResult & { description: string };
  config: DistillRunConfig;
}

export type LossBatch = { kind: 'teacher'; points: TeacherLossPoint[] } | { kind: 'distill'; points: DistillLossPoint[] };

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo; dataset: DatasetSummary }
  | { type: 'initFailed'; message: string }
  | { type: 'metrics'; runId: number; progress: ProgressReport; losses: LossBatch | null }
  | { type: 'teacherEpoch'; runId: number; summary: TeacherEpoch }
  | { type: 'distillEpoch'; runId: number; summary: DistillEpoch }
  | { type: 'teacherDone'; runId: number; teacher: TeacherResult }
  | { type: 'distillDone'; runId: number; results: DistillResults }
  | { type: 'paused' | 'resumed' | 'stopped'; runId: number }
  | { type: 'error'; runId: number; message: string; detail?: string };

export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`);
}
