import type { BackendInfo, BackendName } from '../core/backend';
import type { GenerationResult } from '../core/born-again';
import type { Calibration } from '../core/calibrate';
import type { BoundaryBox, GridPrediction } from '../core/boundary';
import type { CsvPreview } from '../core/data/csv';
import type { ToyKind } from '../core/data/toy';
import type { DatasetSummary, FeatureScaling, Normalisation } from '../core/data/types';
import type { EnsembleCombine, LossTerms, OnnxLayout, TeacherDescriptor, TransferSet } from '../core/experiment';
import type { LayerChoice } from '../core/hint';
import type { StudentPresetId, TeacherPresetId } from '../core/presets';
import type { OnnxChoice, OnnxQuestion } from '../core/onnx/types';
import type { ModelResult } from '../core/results';
import type { SizeSweepResult, SizeSweepSpec } from '../core/size-sweep';
import type { SweepProgress, SweepRunResult, SweepSpec } from '../core/sweep';
import type { FaultInjection } from '../core/faults';
import type { SynthesisTerms } from '../core/transfer-data/synthesise';
import type { DistillEpoch, DistillLossPoint, Progress, TeacherEpoch, TeacherLossPoint } from '../core/trainer';

/** The messages between the page and the training worker. Every run-scoped message carries its run id. */

export type { EnsembleCombine, OnnxLayout };

/** An ONNX model's inputs and outputs, and what the person picks among them: core/onnx's own types. */
export type { OnnxChoice, OnnxIo, OnnxQuestion } from '../core/onnx/types';

export interface TeacherRunConfig {
  preset: TeacherPresetId;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export interface DistillRunConfig {
  studentPreset: StudentPresetId;
  /** 'uploaded': the student uploaded as a model file (architecture and initial weights) instead of the preset. */
  studentSource: 'preset' | 'uploaded';
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  loss: LossTerms;
  transfer: TransferSet;
  /** Seeds seed..seed+repeats−1 run one after another in one run id (1..10; absent = 1); the last seed's models are kept. */
  repeats?: number;
  /** "Train for uint8": the distilled student fake-quantised in its last `lastEpochs` epochs (core/quantise.ts). Absent: off. */
  quantAware?: { lastEpochs: number; perChannel: boolean; activations: boolean };
}

/** Where a data set comes from. Uploaded files travel to the worker as File objects and are read there. */
export type DataSource =
  | { kind: 'mnist' }
  | { kind: 'iris'; seed: number }
  | { kind: 'toy'; toy: ToyKind; size: number; noise: number; classes?: number; seed: number }
  | {
      kind: 'csv';
      file: File;
      /** A second file as the test set; else a seeded stratified fraction of `file`. */
      testFile?: File;
      labelColumn: number;
      normalisation: Normalisation;
      imageShape?: [number, number, number];
      testFraction: number;
      seed: number;
    }
  | { kind: 'images'; file: File; width: number; height: number; channels: 1 | 3; testFraction: number; seed: number };

export type ToWorker =
  /** `calibration`: what an earlier visit measured on this device, so it need not measure again. `inject`: heard only by test builds (TEST_HOOKS). */
  | { type: 'init'; backend?: BackendName; wasmThreads?: number; dataUrl: string; calibration: Calibration | null; inject?: FaultInjection }
  /** The page's heartbeat: answered with 'pong' at once, even during a run (the run yields between steps). */
  | { type: 'ping'; id: number }
  | { type: 'loadData'; requestId: number; source: DataSource }
  | { type: 'previewCsv'; requestId: number; file: File }
  /** model.json with its .bin shards, or one .zip of them; an .onnx file; a Teachable Machine export (model.json + weights.bin + metadata.json). `onnx`: the answer to a teacherQuestion. */
  | { type: 'loadTeacher'; requestId: number; files: File[]; onnx?: OnnxChoice }
  | { type: 'loadShippedTeacher'; requestId: number; url: string; label: string }
  /** A layers model whose architecture and weights both students start from. */
  | { type: 'loadStudent'; requestId: number; files: File[] }
  /** `format`: absent = 'tfjs'. 'onnx' writes student.onnx and checks it in ONNX Runtime; 'c' writes distill_student.h/.c (a .zip of both when `zip`). */
  | { type: 'exportModel'; requestId: number; target: ExportTarget; quantization: ExportQuantization; zip: boolean; format?: ExportFormat }
  | { type: 'trainTeacher'; runId: number; config: TeacherRunConfig }
  /** Trains `size` teachers of `config` with seeds 1..size; they become the teacher, combined as `combine` says. */
  | { type: 'trainEnsemble'; runId: number; config: TeacherRunConfig; size: number; combine: EnsembleCombine }
  /** The current teacher joins the ensemble's members (kept even when the teacher is replaced). */
  | { type: 'addToEnsemble'; requestId: number }
  | { type: 'removeFromEnsemble'; requestId: number; index: number }
  /** The members (2..8) become the teacher: answered with teacherLoaded or teacherFailed. */
  | { type: 'useEnsemble'; requestId: number; combine: EnsembleCombine }
  /** `keep`: the name and data-set label under which the worker saves the distilled student in the model library when the run finishes. */
  | { type: 'distill'; runId: number; config: DistillRunConfig; keep: { name: string; dataset: string } }
  /** Distils every (cell, seed) of `spec` in turn from `base`'s other settings; pause, resume and stop take its run id. */
  | { type: 'sweep'; runId: number; base: DistillRunConfig; spec: SweepSpec }
  /**
   * "Find the smallest student": each student of `spec` (core/student-archs ids) distilled and from scratch over its seeds, at
   * `base`'s temperature, alpha and loss terms (a hint excepted: it names one architecture's layer). Answered as a sweep is:
   * sizeSweepRun per finished run, sweepProgress, sweepDone; pause, resume and stop take its run id.
   */
  | { type: 'sizeSweep'; runId: number; base: DistillRunConfig; spec: SizeSweepSpec }
  | { type: 'pause' | 'resume' | 'stop'; runId: number }
  /** One row of the test split, for the explorer; answered even during a run (it only reads). */
  | { type: 'getExample'; requestId: number; index: number }
  /** Try it: every model's logits for one input row, scaled as the models see it; answered even during a run, with the students as they are in training. */
  | { type: 'predict'; requestId: number; features: Float32Array };

export interface ProgressReport extends Progress {
  samplesPerSec: number;
  /** Seconds left, or null until the rate is known. */
  etaSeconds: number | null;
  elapsedSeconds: number;
}

export interface TeacherResult extends ModelResult {
  description: string;
  source: 'trained' | 'uploaded' | 'shipped' | 'ensemble';
  kind?: 'layers' | 'graph' | 'onnx' | 'teachable-machine' | 'ensemble';
  /** An ensemble's members, each with its own test accuracy. */
  members?: TeacherResult[];
  combine?: EnsembleCombine;
  /** How an experiment JSON names this teacher. */
  descriptor?: TeacherDescriptor;
  /** False for graph models: usable as a teacher, but not savable as a layers model. */
  exportable: boolean;
  /** Inner layers a hint can read; null for graph models (their layers cannot be addressed). */
  hintLayers: LayerChoice[] | null;
}

export type ExportTarget = 'distilled' | 'scratch' | 'teacher';
export type ExportQuantization = 'none' | 'float16' | 'uint8';
export type ExportFormat = 'tfjs' | 'onnx' | 'c';

export interface ExportedFiles {
  target: ExportTarget;
  quantization: ExportQuantization;
  /** Either one .zip, or model.json and its weights file. */
  files: { name: string; bytes: ArrayBuffer }[];
  bytes: number;
  /** Test accuracy of the model reloaded from these very bytes. */
  testAccuracy: number;
  /** Absent: 'tfjs'. */
  format?: ExportFormat;
  /** ONNX only: the exported bytes run in ONNX Runtime over the test set, against the TF.js student at the same weight precision. */
  onnxCheck?: { maxAbsDiff: number; testAccuracy: number };
  /** C only: flash for the weights, RAM for the activation buffers, and the code size measured on x86-64 (the target's compiler decides). */
  cSize?: { weightBytes: number; ramBytes: number; codeBytesEstimate: number };
}

/** Every model's logits on the test set (row-major, numClasses wide), for the views that need more than accuracy. */
export interface TestOutputs {
  numClasses: number;
  labels: Int32Array;
  teacher: Float32Array;
  distilled: Float32Array;
  scratch: Float32Array;
  /** An ensemble teacher's members' test logits, each laid out as `teacher`. */
  members?: Float32Array[];
}

export interface DistillResults {
  teacher: TeacherResult;
  distilled: ModelResult & { description: string };
  scratch: ModelResult & { description: string };
  config: DistillRunConfig;
  /** Absent when the test set is too large to send (over MAX_TEST_OUTPUT_ROWS). */
  testOutputs?: TestOutputs;
  /** With config.repeats > 1: every seed's test accuracies, in order (the models above are the last seed's). */
  repeats?: RepeatResult[];
  /** With quantAware: test accuracies measured from exported and reloaded bytes (see QuantComparison). */
  quantisation?: QuantComparison;
  /** Born-again: every generation's test accuracy beside the teacher's, in order (the distilled student is the last generation). */
  generations?: GenerationResult[];
  /** Mutual learning: the second student, the first one's peer (the distilled student is the first). */
  peer?: ModelResult & { description: string };
}

/**
 * "Train for uint8" compared, each accuracy measured on the test set from an export loaded back:
 * `float32` and `uint8AfterTraining` are the float twin (the same student trained alongside without
 * fake quantisation) exported at float32 and at uint8; `uint8TrainedForIt` is the distilled student,
 * trained for uint8, exported at uint8.
 */
export interface QuantComparison {
  float32: number;
  uint8AfterTraining: number;
  uint8TrainedForIt: number;
  /** The last epochs trained for uint8. */
  lastEpochs: number;
  /**
   * The scheme both uint8 rows use (the one the student was trained for); absent in runs saved before
   * it existed (per tensor, weights only). Per channel or with activations the uint8 rows are measured
   * from the C int8 export's arithmetic, which TF.js's per-tensor uint8 files cannot hold.
   */
  perChannel?: boolean;
  activations?: boolean;
}

/** One seed of a repeated distillation: test accuracies. */
export interface RepeatResult {
  seed: number;
  teacher: number;
  distilled: number;
  scratch: number;
}

export const MAX_TEST_OUTPUT_ROWS = 10_000;

/** 2-D points (x, y row after row) and their classes, drawn over the decision boundaries. */
export interface BoundaryPoints {
  x: Float32Array;
  labels: Uint8Array;
}

/** What the worker let go (it was there and is now gone): the page clears exactly that, and nothing else. */
export interface Dropped {
  teacher: boolean;
  students: boolean;
  uploadedStudent: boolean;
}

/** The distilled student as the worker saved it in the model library (a run's student), or why it could not. */
export type SavedStudent = { libraryId: number; bytes: number } | { error: string };

/**
 * Inputs synthesised from the teacher as they form: the first `columns` images of each class, uint8
 * pixels (class-major, then column, then row-major [height, width, channels]), scaled from the
 * training set's range; `filled` is 1 for each cell (class * columns + column) drawn so far.
 */
export interface SynthGrid {
  classes: number;
  columns: number;
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
  filled: Uint8Array;
}

export type LossBatch = { kind: 'teacher'; points: TeacherLossPoint[] } | { kind: 'distill'; points: DistillLossPoint[] };

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo; dataset: DatasetSummary }
  | { type: 'initFailed'; message: string }
  | { type: 'pong'; id: number }
  /** The backend failed mid-run and the session moved to another one; `message` says what happened (also the new `reason`). */
  | { type: 'backendChanged'; backend: BackendInfo; message: string; dropped: Dropped }
  /** The new data set is in use; `dropped` says which models of the previous one went with it. */
  | { type: 'dataLoaded'; requestId: number; dataset: DatasetSummary; dropped: Dropped }
  /** Nothing changed: the previous data set, models and results are still there. */
  | { type: 'dataFailed'; requestId: number; message: string }
  | { type: 'dataProgress'; requestId: number; done: number; total: number }
  | { type: 'csvPreview'; requestId: number; fileName: string; preview: CsvPreview }
  | { type: 'csvPreviewFailed'; requestId: number; message: string }
  /** `dropped`: what went with the teacher it replaced (the previous teacher itself, and the students distilled from it). */
  | { type: 'teacherLoaded'; requestId: number; teacher: TeacherResult; dropped: Dropped }
  /** The teacher the user had is still there. */
  | { type: 'teacherFailed'; requestId: number; message: string }
  /** Nothing changed: the page asks, then sends loadTeacher again with the same files and `onnx`. */
  | { type: 'teacherQuestion'; requestId: number; fileName: string; question: OnnxQuestion }
  /** Computing an ONNX teacher's outputs on the data set (≤10 messages/s). */
  | { type: 'teacherProgress'; requestId: number; stage: 'logits'; done: number; total: number; etaSeconds: number | null }
  /** After add/remove/useEnsemble and after trainEnsemble; `message` says why a request changed nothing. */
  | { type: 'ensembleMembers'; requestId?: number; members: TeacherResult[]; message?: string }
  /** During trainEnsemble: member `index` (0-based) of `size` is trained; teacherDone ends it with the ensemble as the teacher. */
  | { type: 'ensembleMemberDone'; runId: number; index: number; size: number; member: TeacherResult }
  | { type: 'studentLoaded'; requestId: number; description: string; params: number }
  | { type: 'studentFailed'; requestId: number; message: string }
  | { type: 'exported'; requestId: number; exported: ExportedFiles }
  | { type: 'exportFailed'; requestId: number; message: string }
  | { type: 'metrics'; runId: number; progress: ProgressReport; losses: LossBatch | null }
  | { type: 'teacherEpoch'; runId: number; summary: TeacherEpoch }
  | { type: 'distillEpoch'; runId: number; summary: DistillEpoch }
  | { type: 'teacherDone'; runId: number; teacher: TeacherResult; dropped: Dropped }
  /** Posted once the distilled student is already in the model library (or failed to get there: the results stand either way). */
  | { type: 'distillDone'; runId: number; results: DistillResults; student: SavedStudent }
  /** Born-again: generation `result.generation` of `generations` finished (each is distilled from the one before). */
  | { type: 'generationDone'; runId: number; generations: number; result: GenerationResult }
  /** A repeated distillation finished seed `index` (0-based) of `repeats`: its test accuracies. */
  | {
      type: 'repeatDone';
      runId: number;
      index: number;
      repeats: number;
      seed: number;
      result: { teacher: number; distilled: number; scratch: number };
    }
  /** 2-D data only: a teacher was loaded or trained. Its boundary on the grid that runs will use, and the points to draw. */
  | { type: 'teacherBoundary'; box: BoundaryBox; size: number; teacher: GridPrediction; points: BoundaryPoints }
  /** 2-D data only, during a distillation: after epoch `epoch` (0: before training). The frozen teacher's grid comes once per run. */
  | {
      type: 'boundaries';
      runId: number;
      epoch: number;
      epochs: number;
      box: BoundaryBox;
      size: number;
      teacher?: GridPrediction;
      distilled: GridPrediction;
      scratch: GridPrediction;
    }
  /**
   * Transfer data "Synthesised from the teacher", before distilling: steps done of `total`, the objective's
   * terms (every few steps, else null), and the image grid (image data only, a few times a second at most).
   * Progress and its ETA come as 'metrics' with phase 'synthesise'.
   */
  | { type: 'synthesis'; runId: number; done: number; total: number; terms: SynthesisTerms | null; grid?: SynthGrid }
  | { type: 'sweepRun'; runId: number; result: SweepRunResult }
  /** One finished run of a size sweep: its accuracies, sizes and latency on this device. */
  | { type: 'sizeSweepRun'; runId: number; result: SizeSweepResult }
  | { type: 'sweepProgress'; runId: number; progress: SweepProgress }
  /** The sweep is over, every run done ('finished') or stopped part-way ('cancelled'); the runs already reported stand. */
  | { type: 'sweepDone'; runId: number; outcome: 'finished' | 'cancelled'; runsDone: number; runsTotal: number }
  | { type: 'paused' | 'resumed' | 'stopped'; runId: number }
  | { type: 'error'; runId: number; message: string; detail?: string }
  /** Test row `index` as the models see it (scaled); `scaling` and `featureNames` let the page show the file's values. */
  | {
      type: 'example';
      requestId: number;
      index: number;
      features: Float32Array;
      label: number;
      featureNames?: string[];
      scaling?: FeatureScaling;
    }
  | { type: 'exampleFailed'; requestId: number; index: number; message: string }
  /** Try it: one row of logits per model (numClasses long); null for a model that does not exist (yet). */
  | { type: 'predictions'; requestId: number; logits: TryItLogits }
  | { type: 'predictFailed'; requestId: number; message: string };

export interface TryItLogits {
  teacher: Float32Array | null;
  distilled: Float32Array | null;
  scratch: Float32Array | null;
}

export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`);
}
