import type { ModelSpec } from './model-spec';

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
    label: 'Large MLP 784-1200-1200-10',
    spec: { kind: 'mlp', hidden: [1200, 1200], activation: 'relu', dropout: 0.3 },
    hint: "Hinton et al.'s MNIST teacher, 2.4M parameters: minutes to train without a GPU.",
  },
  {
    id: 'mlp-256',
    label: 'Small MLP 784-256-10',
    spec: { kind: 'mlp', hidden: [256], activation: 'relu', dropout: 0.2 },
    hint: 'Trains in seconds on any backend: the quick way to a first distill.',
  },
  {
    id: 'cnn-32-64',
    label: 'CNN conv 32-64 + dense 128',
    spec: { kind: 'cnn', filters: [32, 64], kernelSize: 3, dense: 128, dropout: 0.3 },
    hint: 'The most accurate teacher; its training needs webgl, webgpu or cpu (wasm lacks a conv gradient kernel).',
  },
] as const satisfies readonly Preset[];

export const STUDENT_PRESETS = [
  { id: 'mlp-64', label: 'MLP 784-64-10', spec: { kind: 'mlp', hidden: [64], activation: 'relu', dropout: 0 }, hint: '51k parameters: the classic small student.' },
  { id: 'mlp-32', label: 'MLP 784-32-10', spec: { kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0 }, hint: '25k parameters.' },
  { id: 'mlp-16', label: 'MLP 784-16-10', spec: { kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, hint: '13k parameters: where soft targets help most.' },
  { id: 'linear', label: 'Linear 784-10', spec: { kind: 'mlp', hidden: [], activation: 'relu', dropout: 0 }, hint: 'Softmax regression, 7.9k parameters.' },
] as const satisfies readonly Preset[];

export type TeacherPresetId = (typeof TEACHER_PRESETS)[number]['id'];
export type StudentPresetId = (typeof STUDENT_PRESETS)[number]['id'];

export function teacherPreset(id: TeacherPresetId): Preset {
  const p = TEACHER_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`Unknown teacher preset "${id}".`);
  return p;
}

export function studentPreset(id: StudentPresetId): Preset {
  const p = STUDENT_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`Unknown student preset "${id}".`);
  return p;
}
