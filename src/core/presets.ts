import type { ModelSpec } from './model-spec';
import { findStudentArch, type StudentArchId } from './student-archs';

/** Named architectures offered in the studio. Plain data: the page imports it without tfjs. */
export interface Preset {
  id: string;
  label: string;
  spec: ModelSpec;
  /** One line on when to pick it. */
  hint: string;
}

export const TEACHER_PRESETS = [
  {
    id: 'mlp-1200',
    label: 'Large MLP 1200-1200',
    spec: { kind: 'mlp', hidden: [1200, 1200], activation: 'relu', dropout: 0.3 },
    hint: "Hinton et al.'s MNIST teacher (2.4M parameters on MNIST): minutes to train without a GPU.",
  },
  {
    id: 'mlp-256',
    label: 'Small MLP 256',
    spec: { kind: 'mlp', hidden: [256], activation: 'relu', dropout: 0.2 },
    hint: 'Trains in seconds on any backend: the quick way to a first distill.',
  },
  {
    id: 'cnn-32-64',
    label: 'CNN 32-64 (images only)',
    spec: { kind: 'cnn', filters: [32, 64], kernelSize: 3, dense: 128, dropout: 0.3 },
    hint: 'The most accurate teacher on images: about 98% on MNIST-10k.',
  },
] as const satisfies readonly Preset[];

export const STUDENT_PRESETS = [
  {
    id: 'mlp-64',
    label: 'MLP 64',
    spec: { kind: 'mlp', hidden: [64], activation: 'relu', dropout: 0 },
    hint: 'One hidden layer of 64 (51k parameters on MNIST): the classic small student.',
  },
  { id: 'mlp-32', label: 'MLP 32', spec: { kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0 }, hint: 'One hidden layer of 32.' },
  {
    id: 'mlp-16',
    label: 'MLP 16',
    spec: { kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 },
    hint: 'One hidden layer of 16: where soft targets help most.',
  },
  {
    id: 'linear',
    label: 'Linear',
    spec: { kind: 'mlp', hidden: [], activation: 'relu', dropout: 0 },
    hint: 'Softmax regression: no hidden layer.',
  },
] as const satisfies readonly Preset[];

export type TeacherPresetId = (typeof TEACHER_PRESETS)[number]['id'];
/** A preset, or any architecture of core/student-archs (what "Use this student" sets). */
export type StudentPresetId = (typeof STUDENT_PRESETS)[number]['id'] | StudentArchId;

export function teacherPreset(id: TeacherPresetId): Preset {
  const p = TEACHER_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`Unknown teacher preset "${id}".`);
  return p;
}

export function studentPreset(id: StudentPresetId): Preset {
  const p = STUDENT_PRESETS.find((x) => x.id === id);
  if (p) return p;
  const arch = findStudentArch(id);
  if (!arch) throw new Error(`Unknown student preset "${id}".`);
  return { ...arch, hint: 'An architecture from "Find the smallest student".' };
}
