import type { ToyKind } from './data/toy';
import type { Normalisation } from './data/types';
import type { StudentPresetId, TeacherPresetId } from './presets';

/**
 * One experiment as one plain, JSON-safe object: what data, which teacher and student, which loss
 * terms, which transfer set, which optimiser and seed. The same object on the same backend gives
 * the same numbers; it is what the studio shows, copies, shares in a URL and exports as a script.
 */

/** FitNets: a learned linear map from a student layer's output to a teacher layer's, trained by MSE. */
export interface HintTerm {
  weight: number;
  /** Index into the teacher's `layers` (a layers model only). */
  teacherLayer: number;
  /** Index into the student's `layers`. */
  studentLayer: number;
}

export interface LossTerms {
  /** Softmax temperature of the soft term. */
  temperature: number;
  /** Weight of the soft term; 1 - alpha weighs the hard cross-entropy. */
  alpha: number;
  /** Multiply the soft term by T^2 (Hinton), so its gradients keep their size as T grows. */
  scaleByT2: boolean;
  /** Weight of the mean squared error between student and teacher logits (Ba & Caruana); 0 = off. */
  logitMse: number;
  hint: HintTerm | null;
  /** Which distillation method (absent: Hinton KD, as before the option existed). */
  method?: MethodSettings;
  /** Which soft targets the student learns from (absent: the teacher's own). */
  softTargets?: SoftTargets;
}

/**
 * "Hinton KD": the loss above. "dkd": decoupled KD (Zhao et al. 2022), the soft term split into the
 * target-class term (TCKD) and the non-target term (NCKD). "born-again": the student has the
 * teacher's architecture, generations 1..G each distilled from the one before (Furlanello et al. 2018).
 * "mutual": two students and no teacher, each learning from the labels and the other (Zhang et al. 2018).
 */
export type DistilMethod = 'hinton' | 'dkd' | 'born-again' | 'mutual';

export interface MethodSettings {
  method: DistilMethod;
  /** DKD: weight of TCKD (Zhao et al.'s alpha, default 1). */
  dkdAlpha: number;
  /** DKD: weight of NCKD (Zhao et al.'s beta, default 8). */
  dkdBeta: number;
  /** Born-again: how many generations, 1 to 5 (default 3). */
  generations: number;
}

/**
 * Ablations of the soft targets. "shuffled": per row, the teacher's probabilities over the wrong
 * classes are permuted (same entropy, no similarity structure). "smoothed": label smoothing, the same
 * mass spread evenly over the wrong classes. The true class keeps the teacher's probability in both.
 */
export type SoftTargets = 'teacher' | 'shuffled' | 'smoothed';

export interface TransferSet {
  /** Fraction of the training rows whose labels the students see (1 = all); the rest only the teacher labels. */
  labelledFraction: number;
  /** A class left out of the transfer set altogether (Hinton et al.'s "no 3s"), or null. */
  omitClass: number | null;
  /** Random shifts of up to this many pixels per image (0 = off); needs image data. */
  jitter: number;
  /** Where the students' inputs come from (absent: the training set). */
  data?: TransferData;
}

/**
 * The transfer data. "gaussian": inputs drawn per batch to match the training set's per-feature mean
 * and standard deviation. "synthesised": data-free distillation, inputs optimised against the frozen
 * teacher class by class (confidence, batch diversity, total variation for images, and BatchNorm
 * statistics when the teacher has BatchNorm layers). "mixup": teacher and student see the same mixed
 * inputs (Beyer et al. 2022's function matching).
 */
export type TransferData =
  | { kind: 'training' }
  | { kind: 'gaussian' }
  | { kind: 'mixup'; alpha: number }
  | { kind: 'synthesised'; perClass: number; steps: number };

export const DEFAULT_LOSS: LossTerms = { temperature: 4, alpha: 0.9, scaleByT2: true, logitMse: 0, hint: null };
export const DEFAULT_TRANSFER: TransferSet = { labelledFraction: 1, omitClass: null, jitter: 0 };
export const DEFAULT_METHOD: MethodSettings = { method: 'hinton', dkdAlpha: 1, dkdBeta: 8, generations: 3 };

/** A data set as the experiment names it: uploaded files by name only (they must be supplied again). */
export type DataDescriptor =
  | { kind: 'mnist' }
  | { kind: 'iris'; seed: number }
  | { kind: 'toy'; toy: ToyKind; size: number; noise: number; classes?: number; seed: number }
  | {
      kind: 'csv';
      fileName: string;
      testFileName?: string;
      labelColumn: number;
      normalisation: Normalisation;
      imageShape?: [number, number, number];
      testFraction: number;
      seed: number;
    }
  | { kind: 'images'; fileName: string; width: number; height: number; channels: 1 | 3; testFraction: number; seed: number };

/** How an ensemble turns its members' outputs into one teacher's logits. */
export type EnsembleCombine = 'mean-log-prob' | 'mean-prob';

/** How a data set row is laid out for an ONNX model's input: as is, images channels-last, or channels-first. */
export type OnnxLayout = 'flat' | 'nhwc' | 'nchw';

export const ENSEMBLE_MIN_MEMBERS = 2;
export const ENSEMBLE_MAX_MEMBERS = 8;

export type TeacherDescriptor =
  | { kind: 'shipped'; id: string }
  | { kind: 'preset'; preset: TeacherPresetId; epochs: number; batchSize: number; learningRate: number; seed: number }
  | { kind: 'uploaded'; fileName: string }
  /** The file by name and hash, so that a script or a later visit can check it has the same model. */
  | { kind: 'onnx'; fileName: string; sha256: string; input?: string; output?: string; layout?: OnnxLayout }
  /** A Teachable Machine image export (model.json + weights.bin + metadata.json), named by its model file. */
  | { kind: 'teachable-machine'; fileName: string }
  /** 2..8 members of any kind but ensemble, combined as `combine` says. */
  | { kind: 'ensemble'; combine: EnsembleCombine; members: TeacherDescriptor[] };

export type StudentDescriptor = { kind: 'preset'; preset: StudentPresetId } | { kind: 'uploaded'; fileName: string };

export interface OptimiserConfig {
  name: 'adam';
  learningRate: number;
  batchSize: number;
  epochs: number;
}

export interface ExperimentConfig {
  version: 1;
  data: DataDescriptor;
  teacher: TeacherDescriptor;
  student: StudentDescriptor;
  loss: LossTerms;
  transfer: TransferSet;
  optimiser: OptimiserConfig;
  seed: number;
  /** "Train for uint8": the distilled student's weights fake-quantised in its last epochs. Absent: float32 training only. */
  quantAware?: QuantAwareSettings;
  /** "Repeats": the run over seeds seed … seed + repeats − 1, 1 to 10. Absent: one seed. */
  repeats?: number;
}

/** Quantisation-aware training as the trainer runs it (uint8, affine, straight-through gradient). */
export interface QuantAwareSettings {
  /** The last epochs trained with fake-quantised weights, 1 to optimiser.epochs. */
  lastEpochs: number;
  /** One uint8 grid per output channel instead of one per tensor. */
  perChannel: boolean;
  /** Hidden outputs fake-quantised too. */
  activations: boolean;
}

/** Repeats a run allows (the "Repeats" input's range). */
export const MAX_REPEATS = 10;
