import { modelStats, type ModelShape, type ModelSpec } from './model-spec';

/**
 * Every student architecture the studio can name, beyond the four presets: what "Find the smallest
 * student" sweeps and "Use this student" sets. Plain data and arithmetic (no tfjs), for the page too.
 * An id is stable: saved runs, links and the sweep name students by it. The presets keep their ids
 * (mlp-64, mlp-32, mlp-16, linear) so that an old config still means the same model.
 */

export type StudentArchId = 'linear' | `mlp-${number}` | `mlp-${number}-${number}` | `cnn-${number}-${number}`;

export interface StudentArch {
  id: StudentArchId;
  label: string;
  spec: ModelSpec;
}

const mlp = (hidden: number[]): StudentArch => ({
  id: hidden.length === 0 ? 'linear' : (`mlp-${hidden.join('-')}` as StudentArchId),
  label: hidden.length === 0 ? 'Linear' : `MLP ${hidden.join('-')}`,
  spec: { kind: 'mlp', hidden, activation: 'relu', dropout: 0 },
});

const cnn = (filters: [number, number], dense: number): StudentArch => ({
  id: `cnn-${filters[0]}-${filters[1]}`,
  label: `CNN ${filters.join('-')}`,
  spec: { kind: 'cnn', filters, kernelSize: 3, dense, dropout: 0 },
});

export const MLP_WIDTHS = [8, 16, 32, 64, 128, 256, 512] as const;

/** Smallest first within each family: linear, one hidden layer, two hidden layers, CNNs (images only). */
export const STUDENT_ARCHS: readonly StudentArch[] = [
  mlp([]),
  ...MLP_WIDTHS.map((w) => mlp([w])),
  ...MLP_WIDTHS.map((w) => mlp([w, w])),
  cnn([8, 16], 32),
  // The CNN teacher preset's layers, without its dropout: a student is not regularised here.
  cnn([32, 64], 128),
];

export function findStudentArch(id: string): StudentArch | undefined {
  return STUDENT_ARCHS.find((a) => a.id === id);
}

export function isStudentArchId(id: unknown): id is StudentArchId {
  return typeof id === 'string' && findStudentArch(id) !== undefined;
}

/** Whether the data set can feed the architecture (a CNN needs an image shape). */
export function archFits(arch: StudentArch, shape: ModelShape): boolean {
  return arch.spec.kind === 'mlp' || shape.imageShape !== undefined;
}

export interface ArchSize {
  params: number;
  /** The weight tensors (kernels and biases), each of which uint8 export gives a min and a scale. */
  tensors: number;
  bytesFloat32: number;
  bytesFloat16: number;
  bytesUint8: number;
}

/** tfjs's uint8 export writes each weight tensor's min and scale (two float32) beside its bytes. */
export const UINT8_BYTES_PER_TENSOR = 8;

/** Sizes as the export writes the weights: 4, 2 or 1 byte a weight, plus uint8's per-tensor min and scale. */
export function archSize(spec: ModelSpec, shape: ModelShape): ArchSize {
  const { params } = modelStats(spec, shape);
  const layers = spec.kind === 'mlp' ? spec.hidden.length + 1 : spec.filters.length + 2;
  const tensors = 2 * layers;
  return {
    params,
    tensors,
    bytesFloat32: params * 4,
    bytesFloat16: params * 2,
    bytesUint8: params + tensors * UINT8_BYTES_PER_TENSOR,
  };
}
