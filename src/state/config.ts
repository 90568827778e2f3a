import { STUDENT_PRESETS, TEACHER_PRESETS, type StudentPresetId, type TeacherPresetId } from '../core/presets';
import { isStudentArchId } from '../core/student-archs';
import type { DatasetSummary } from '../core/data/types';
import {
  DEFAULT_LOSS,
  DEFAULT_METHOD,
  DEFAULT_TRANSFER,
  ENSEMBLE_MAX_MEMBERS,
  ENSEMBLE_MIN_MEMBERS,
  type DistilMethod,
  type EnsembleCombine,
  type SoftTargets,
  type TransferData,
} from '../core/experiment';
import type { DistillRunConfig, TeacherRunConfig } from '../worker/protocol';

/** Every setting in the left column. Persisted, so a reload keeps it. */
export interface StudioConfig {
  teacherPreset: TeacherPresetId;
  teacherEpochs: number;
  studentPreset: StudentPresetId;
  studentEpochs: number;
  batchSize: number;
  learningRate: number;
  temperature: number;
  alpha: number;
  seed: number;
  scaleByT2: boolean;
  logitMse: number;
  /** The teacher layer a FitNets hint reads, or null: no hint term. */
  hintTeacherLayer: number | null;
  hintStudentLayer: number;
  hintWeight: number;
  labelledFraction: number;
  omitClass: number | null;
  jitter: number;
  /** How an ensemble teacher combines its members' outputs. */
  ensembleCombine: EnsembleCombine;
  /** Teachers that Train ensemble trains, seeds 1..N. */
  ensembleSize: number;
  /** Seeds a distillation runs over: seed, seed+1, … (1 = one run). */
  repeats: number;
  /** "Train for uint8": the distilled student's last quantLastEpochs epochs see its weights fake-quantised. */
  trainForUint8: boolean;
  quantLastEpochs: number;
  /** The "Quantisation scheme" select: one uint8 grid per weight tensor, or per output channel. */
  quantScheme: 'per-tensor' | 'per-channel';
  /** "Quantise activations": hidden outputs fake-quantised too (ranges learned in training). */
  quantActivations: boolean;
  /** The "Method" select. */
  method: DistilMethod;
  /** DKD's weights of TCKD and NCKD. */
  dkdAlpha: number;
  dkdBeta: number;
  /** Born-again generations. */
  generations: number;
  /** The "Soft targets" select. */
  softTargets: SoftTargets;
  /** The "Transfer data" select. */
  transferData: TransferData['kind'];
  /** Mixup's Beta(alpha, alpha). */
  mixupAlpha: number;
  /** Synthesised from the teacher: images per class, and optimisation steps per batch. */
  synthPerClass: number;
  synthSteps: number;
}

export type NumericSetting = Exclude<
  keyof StudioConfig,
  | 'teacherPreset'
  | 'studentPreset'
  | 'scaleByT2'
  | 'hintTeacherLayer'
  | 'hintStudentLayer'
  | 'omitClass'
  | 'labelledFraction'
  | 'ensembleCombine'
  | 'trainForUint8'
  | 'quantScheme'
  | 'quantActivations'
  | 'method'
  | 'softTargets'
  | 'transferData'
>;

export const DEFAULT_CONFIG: StudioConfig = {
  teacherPreset: 'mlp-1200',
  teacherEpochs: 10,
  studentPreset: 'mlp-64',
  studentEpochs: 20,
  batchSize: 128,
  // 0.003, not 0.001: at T = 4 the student must grow logits as wide as the teacher's (range ~28 on MNIST),
  // and at 0.001 twenty epochs were not enough (distilled 92.85% vs scratch 93.30%; at 0.003, 94.58% vs 94.32% over 3 seeds).
  learningRate: 0.003,
  temperature: 4,
  alpha: 0.9,
  seed: 1,
  scaleByT2: DEFAULT_LOSS.scaleByT2,
  logitMse: DEFAULT_LOSS.logitMse,
  hintTeacherLayer: null,
  hintStudentLayer: 0,
  hintWeight: 1,
  labelledFraction: DEFAULT_TRANSFER.labelledFraction,
  omitClass: DEFAULT_TRANSFER.omitClass,
  jitter: DEFAULT_TRANSFER.jitter,
  ensembleCombine: 'mean-log-prob',
  ensembleSize: 3,
  repeats: 1,
  trainForUint8: false,
  quantLastEpochs: 3,
  quantScheme: 'per-tensor',
  quantActivations: false,
  method: DEFAULT_METHOD.method,
  dkdAlpha: DEFAULT_METHOD.dkdAlpha,
  dkdBeta: DEFAULT_METHOD.dkdBeta,
  generations: DEFAULT_METHOD.generations,
  softTargets: 'teacher',
  transferData: 'training',
  mixupAlpha: 1,
  synthPerClass: 64,
  synthSteps: 200,
};

export interface SettingRule {
  label: string;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  help: string;
}

/** Labels are the accessible names people's scripts rely on: keep them stable. */
export const SETTING_RULES: Record<NumericSetting, SettingRule> = {
  teacherEpochs: { label: 'Teacher epochs', min: 1, max: 200, step: 1, integer: true, help: 'Passes over the training set.' },
  studentEpochs: { label: 'Student epochs', min: 1, max: 200, step: 1, integer: true, help: 'Both students train this long.' },
  batchSize: { label: 'Batch size', min: 1, max: 4096, step: 1, integer: true, help: 'Samples per step.' },
  learningRate: { label: 'Learning rate', min: 0.00001, max: 1, step: 0.0001, integer: false, help: 'Adam step size.' },
  temperature: {
    label: 'Temperature',
    min: 0.1,
    max: 100,
    step: 0.5,
    integer: false,
    help: 'Softens the teacher: higher T shows more of its dark knowledge.',
  },
  alpha: {
    label: 'Alpha',
    min: 0,
    max: 1,
    step: 0.05,
    integer: false,
    help: 'Weight of the soft targets; 1 − alpha weighs the true labels.',
  },
  logitMse: {
    label: 'Logit MSE weight',
    min: 0,
    max: 100,
    step: 0.1,
    integer: false,
    help: "Ba & Caruana: match the teacher's logits by squared error. 0 = off.",
  },
  hintWeight: {
    label: 'Hint weight',
    min: 0,
    max: 100,
    step: 0.1,
    integer: false,
    help: "Weight of the hint term: squared error between the mapped student features and the teacher's.",
  },
  jitter: {
    label: 'Jitter (pixels)',
    min: 0,
    max: 4,
    step: 1,
    integer: true,
    help: 'Shift each training image by up to this many pixels; the teacher labels every shifted copy. 0 = off.',
  },
  ensembleSize: {
    label: 'Ensemble size',
    min: ENSEMBLE_MIN_MEMBERS,
    max: ENSEMBLE_MAX_MEMBERS,
    step: 1,
    integer: true,
    help: 'Train ensemble trains this many teachers of the chosen model, seeds 1 to N.',
  },
  repeats: {
    label: 'Repeats',
    min: 1,
    max: 10,
    step: 1,
    integer: true,
    help: 'Runs the distillation over this many seeds (seed, seed + 1, …) and says whether the difference from scratch is more than noise.',
  },
  quantLastEpochs: {
    label: 'Quantise last N epochs',
    min: 1,
    max: 200,
    step: 1,
    integer: true,
    help: "Train for uint8 in the student's last N epochs (all of them when it trains fewer).",
  },
  dkdAlpha: { label: 'TCKD weight', min: 0, max: 100, step: 0.5, integer: false, help: 'DKD: weight of the target-class term.' },
  dkdBeta: { label: 'NCKD weight', min: 0, max: 100, step: 0.5, integer: false, help: 'DKD: weight of the non-target term.' },
  generations: {
    label: 'Generations',
    min: 1,
    max: 5,
    step: 1,
    integer: true,
    help: "Born-again: students with the teacher's architecture, each distilled from the one before.",
  },
  mixupAlpha: {
    label: 'Mixup alpha',
    min: 0.05,
    max: 10,
    step: 0.05,
    integer: false,
    help: 'Mixing weights are drawn from Beta(alpha, alpha).',
  },
  synthPerClass: {
    label: 'Synthesised per class',
    min: 1,
    max: 1000,
    step: 1,
    integer: true,
    help: 'Inputs synthesised from the teacher for each class.',
  },
  synthSteps: {
    label: 'Synthesis steps',
    min: 1,
    max: 5000,
    step: 1,
    integer: true,
    help: 'Optimisation steps for each batch of synthesised inputs.',
  },
  seed: { label: 'Seed', min: 0, max: 4294967295, step: 1, integer: true, help: 'Same seed, same backend: same numbers.' },
};

/** Null when valid, else a sentence saying what is wrong. */
export function settingError(key: NumericSetting, value: number): string | null {
  const rule = SETTING_RULES[key];
  if (!Number.isFinite(value)) return `${rule.label} must be a number.`;
  if (rule.integer && !Number.isInteger(value)) return `${rule.label} must be a whole number.`;
  if (value < rule.min || value > rule.max) return `${rule.label} must be from ${rule.min} to ${rule.max}.`;
  return null;
}

export function teacherRunConfig(c: StudioConfig): TeacherRunConfig {
  return { preset: c.teacherPreset, epochs: c.teacherEpochs, batchSize: c.batchSize, learningRate: c.learningRate, seed: c.seed };
}

export function distillRunConfig(c: StudioConfig, studentSource: DistillRunConfig['studentSource'] = 'preset'): DistillRunConfig {
  return {
    studentPreset: c.studentPreset,
    studentSource,
    epochs: c.studentEpochs,
    batchSize: c.batchSize,
    learningRate: c.learningRate,
    seed: c.seed,
    loss: {
      temperature: c.temperature,
      alpha: c.alpha,
      scaleByT2: c.scaleByT2,
      logitMse: c.logitMse,
      hint:
        c.hintTeacherLayer === null ? null : { weight: c.hintWeight, teacherLayer: c.hintTeacherLayer, studentLayer: c.hintStudentLayer },
      // Written only when not the default, so that a Hinton KD experiment reads exactly as it did before these options.
      ...(c.method !== 'hinton' && {
        method: { method: c.method, dkdAlpha: c.dkdAlpha, dkdBeta: c.dkdBeta, generations: c.generations },
      }),
      ...(c.softTargets !== 'teacher' && { softTargets: c.softTargets }),
    },
    transfer: {
      labelledFraction: c.labelledFraction,
      omitClass: c.omitClass,
      jitter: c.jitter,
      ...(c.transferData !== 'training' && { data: transferData(c) }),
    },
    ...(c.repeats > 1 && { repeats: c.repeats }),
    ...(c.trainForUint8 && {
      quantAware: {
        lastEpochs: Math.min(c.quantLastEpochs, c.studentEpochs),
        perChannel: c.quantScheme === 'per-channel',
        // The page shows it off beside a hint term (the trainer refuses the two together).
        activations: c.quantActivations && c.hintTeacherLayer === null,
      },
    }),
  };
}

function transferData(c: StudioConfig): TransferData {
  switch (c.transferData) {
    case 'training':
      return { kind: 'training' };
    case 'gaussian':
      return { kind: 'gaussian' };
    case 'mixup':
      return { kind: 'mixup', alpha: c.mixupAlpha };
    case 'synthesised':
      return { kind: 'synthesised', perClass: c.synthPerClass, steps: c.synthSteps };
  }
}

/** Settings saved by an earlier visit, kept only where still valid (presets renamed, values out of range), over the defaults. */
export function restoreConfig(saved: unknown): StudioConfig {
  const config = { ...DEFAULT_CONFIG };
  if (typeof saved !== 'object' || saved === null) return config;
  const record = saved as Record<string, unknown>;
  const teacher = TEACHER_PRESETS.find((p) => p.id === record.teacherPreset);
  if (teacher) config.teacherPreset = teacher.id;
  const student = STUDENT_PRESETS.find((p) => p.id === record.studentPreset);
  if (student) config.studentPreset = student.id;
  else if (isStudentArchId(record.studentPreset)) config.studentPreset = record.studentPreset;
  for (const key of Object.keys(SETTING_RULES) as NumericSetting[]) {
    const value = record[key];
    if (typeof value === 'number' && settingError(key, value) === null) config[key] = value;
  }
  if (typeof record.scaleByT2 === 'boolean') config.scaleByT2 = record.scaleByT2;
  if (typeof record.trainForUint8 === 'boolean') config.trainForUint8 = record.trainForUint8;
  if (record.quantScheme === 'per-tensor' || record.quantScheme === 'per-channel') config.quantScheme = record.quantScheme;
  if (typeof record.quantActivations === 'boolean') config.quantActivations = record.quantActivations;
  const oneOf = <T extends string>(v: unknown, options: readonly T[]): v is T => options.includes(v as T);
  if (oneOf(record.method, ['hinton', 'dkd', 'born-again', 'mutual'] as const)) config.method = record.method;
  if (oneOf(record.softTargets, ['teacher', 'shuffled', 'smoothed'] as const)) config.softTargets = record.softTargets;
  if (oneOf(record.transferData, ['training', 'gaussian', 'mixup', 'synthesised'] as const)) config.transferData = record.transferData;
  const combine = ENSEMBLE_COMBINES.find((c) => c.id === record.ensembleCombine);
  if (combine) config.ensembleCombine = combine.id;
  if (LABELLED_FRACTIONS.some((f) => f.value === record.labelledFraction)) config.labelledFraction = record.labelledFraction as number;
  const omit = record.omitClass;
  if (omit === null || (typeof omit === 'number' && Number.isInteger(omit) && omit >= 0)) config.omitClass = omit;
  const layer = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (record.hintTeacherLayer === null || layer(record.hintTeacherLayer))
    config.hintTeacherLayer = record.hintTeacherLayer as number | null;
  if (layer(record.hintStudentLayer)) config.hintStudentLayer = record.hintStudentLayer as number;
  return config;
}

/** How an ensemble combines its members, as the select names them (accessible names: keep them stable). */
export const ENSEMBLE_COMBINES: readonly { id: EnsembleCombine; label: string; hint: string }[] = [
  {
    id: 'mean-log-prob',
    label: 'Mean of log-probabilities',
    hint: "The members' log-probabilities averaged (a geometric mean): classes every member doubts stay unlikely.",
  },
  {
    id: 'mean-prob',
    label: 'Mean of probabilities',
    hint: "The members' probabilities averaged: one confident member can lift a class.",
  },
];

/** The labelled fractions offered: Hinton et al.'s and the semi-supervised classics. */
export const LABELLED_FRACTIONS = [
  { value: 1, label: 'All (100%)' },
  { value: 0.1, label: '10%' },
  { value: 0.03, label: '3%' },
  { value: 0.01, label: '1%' },
] as const;

/**
 * Drops what the loaded data and models cannot take (jitter without images, a class the data set
 * does not have, a hint the teacher or student cannot give), so that settings kept from another
 * data set never block a run; the panels say why those controls are off.
 */
export function fitToData(run: DistillRunConfig, dataset: DatasetSummary, canHint: boolean): DistillRunConfig {
  const { omitClass, jitter } = run.transfer;
  return {
    ...run,
    loss: { ...run.loss, hint: canHint && run.studentSource === 'preset' ? run.loss.hint : null },
    transfer: {
      ...run.transfer,
      omitClass: omitClass !== null && omitClass < dataset.numClasses ? omitClass : null,
      jitter: dataset.imageShape ? jitter : 0,
    },
  };
}
