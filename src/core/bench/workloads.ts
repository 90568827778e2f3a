import * as tf from '@tensorflow/tfjs';
import { adam } from '../kernels/fused-adam';
import { distillationLoss, hardCrossEntropy } from '../losses';
import { predictLogits } from '../metrics';
import { buildModel } from '../models';
import { studentPreset, teacherPreset } from '../presets';
import { minimizeStep, trainableVariables } from '../tensors';
import type { Steppable } from './measure';
import type { WorkloadName } from './types';

/**
 * The benchmark's workloads (issue 6), built from the engine's own models, losses and optimiser
 * so that they time what the studio runs. Data are random, of MNIST's shape.
 */

export interface BenchSizes {
  batch: number;
  inferBatch: number;
  /** Images are side×side×1; MLPs see them flattened. */
  imageSide: number;
  numClasses: number;
  teacherHidden: number[];
  studentHidden: number[];
  /** Filters of the CNN student's two 3×3 convs. */
  convFilters: [number, number];
  matmulN: number;
  /** Rows resident on the backend, from which each step gathers its batch by index. */
  dataRows: number;
}

/** Exactly the shapes of issue 6. */
export const ISSUE_SIZES: BenchSizes = {
  batch: 128,
  inferBatch: 1000,
  imageSide: 28,
  numClasses: 10,
  teacherHidden: [1200, 1200],
  studentHidden: [64],
  convFilters: [16, 32],
  matmulN: 1024,
  dataRows: 1024,
};

export interface Workload extends Steppable {
  dispose(): void;
}

/** The studio's default distillation loss settings (they do not change the cost). */
const LOSS = { temperature: 4, alpha: 0.9 };
const LEARNING_RATE = 1e-3;

/** A resident random data set, and batch indices in a fixed shuffled order, as the trainer uses. */
class Data {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor1D;
  readonly logits: tf.Tensor2D;
  private readonly batches: Int32Array[] = [];
  private next = 0;

  constructor(s: BenchSizes) {
    // Checked before any tensor exists, so that throwing leaks nothing.
    const order = Int32Array.from({ length: s.dataRows }, (_, i) => (i * 389) % s.dataRows);
    for (let start = 0; start + s.batch <= s.dataRows; start += s.batch) this.batches.push(order.subarray(start, start + s.batch));
    if (this.batches.length === 0) throw new Error('The benchmark data set is smaller than one batch.');
    const features = s.imageSide * s.imageSide;
    this.x = tf.randomUniform([s.dataRows, features], 0, 1, 'float32', 1);
    this.y = tf.tensor1d(
      Int32Array.from({ length: s.dataRows }, (_, i) => (i * 7) % s.numClasses),
      'int32',
    );
    this.logits = tf.randomNormal([s.dataRows, s.numClasses], 0, 3, 'float32', 2);
  }

  /** The next batch's indices, uploaded as the trainer does every step (inside the caller's tidy). */
  indices(): tf.Tensor1D {
    const batch = this.batches[this.next];
    this.next = (this.next + 1) % this.batches.length;
    return tf.tensor1d(batch, 'int32');
  }

  dispose(): void {
    tf.dispose([this.x, this.y, this.logits]);
  }
}

interface Disposable {
  dispose(): void;
}

/** Builds a workload's parts in order; if one throws (out of memory, say), those made are freed. */
function assemble<T>(build: (own: <D extends Disposable>(d: D) => D) => T): T {
  const made: Disposable[] = [];
  try {
    return build((d) => {
      made.push(d);
      return d;
    });
  } catch (e) {
    made.reverse().forEach((d) => {
      d.dispose();
    });
    throw e;
  }
}

const disposeAll = (parts: Disposable[]) => () => {
  for (const d of [...parts].reverse()) d.dispose();
};

function mlp(hidden: number[], dropout: number, s: BenchSizes, seed: number, base: 'teacher' | 'student'): tf.LayersModel {
  const spec = base === 'teacher' ? teacherPreset('mlp-1200').spec : studentPreset('mlp-64').spec;
  if (spec.kind !== 'mlp') throw new Error('Expected an MLP preset.');
  return buildModel({ ...spec, hidden, dropout }, { numFeatures: s.imageSide * s.imageSide, numClasses: s.numClasses }, seed);
}

/** conv3x3×f1-pool-conv3x3×f2-pool-dense(classes), from flat rows like the studio's CNNs. */
export function cnnStudent(s: BenchSizes): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const side = s.imageSide;
  return tf.sequential({
    layers: [
      tf.layers.reshape({ targetShape: [side, side, 1], inputShape: [side * side] }),
      tf.layers.conv2d({ filters: s.convFilters[0], kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: s.convFilters[1], kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: s.numClasses, kernelInitializer: init(3) }),
    ],
  });
}

/** A hard-label training step (Adam) of `model` on gathered batches: teacher_train and cnn_train. */
function trainStep(makeModel: () => tf.LayersModel, s: BenchSizes): Workload {
  return assemble((own) => {
    const data = own(new Data(s));
    const model = own(makeModel());
    const optimizer = own(adam(LEARNING_RATE));
    const vars = trainableVariables(model);
    return {
      unitsPerStep: s.batch,
      step: () =>
        tf.tidy(() => {
          const idx = data.indices();
          return minimizeStep(
            optimizer,
            () => hardCrossEntropy(tf.gather(data.y, idx), model.apply(tf.gather(data.x, idx), { training: true }) as tf.Tensor2D),
            vars,
          );
        }),
      dispose: disposeAll([data, model, optimizer]),
    };
  });
}

/** A distillation step of the 784-64-10 student: the teacher's logits computed now, or gathered from a cache. */
function distillStep(s: BenchSizes, cached: boolean): Workload {
  return assemble((own) => {
    const data = own(new Data(s));
    const teacher = cached ? null : own(mlp(s.teacherHidden, 0.3, s, 1, 'teacher'));
    const student = own(mlp(s.studentHidden, 0, s, 2, 'student'));
    const optimizer = own(adam(LEARNING_RATE));
    const vars = trainableVariables(student);
    return {
      unitsPerStep: s.batch,
      step: () =>
        tf.tidy(() => {
          const idx = data.indices();
          const xb = tf.gather(data.x, idx);
          // The frozen teacher runs outside the minimised function: no gradients flow into it.
          const tb = teacher ? (teacher.apply(xb, { training: false }) as tf.Tensor2D) : tf.gather(data.logits, idx);
          const yb = tf.gather(data.y, idx);
          return minimizeStep(
            optimizer,
            () => distillationLoss(tb, student.apply(xb, { training: true }) as tf.Tensor2D, yb, LOSS).total,
            vars,
          );
        }),
      dispose: disposeAll(teacher ? [data, teacher, student, optimizer] : [data, student, optimizer]),
    };
  });
}

function teacherInference(s: BenchSizes): Workload {
  return assemble((own) => {
    const teacher = own(mlp(s.teacherHidden, 0.3, s, 1, 'teacher'));
    const x = own(tf.randomUniform([s.inferBatch, s.imageSide * s.imageSide], 0, 1, 'float32', 3) as tf.Tensor2D);
    return { unitsPerStep: s.inferBatch, step: () => predictLogits(teacher, x, s.inferBatch), dispose: disposeAll([teacher, x]) };
  });
}

/** A flag-free n×n·n×n float32 matMul: the backend's best case (on wasm, XNNPACK's), in GFLOP/s. */
function matMul(s: BenchSizes): Workload {
  const n = s.matmulN;
  return assemble((own) => {
    const a = own(tf.randomNormal([n, n], 0, 1, 'float32', 4));
    const b = own(tf.randomNormal([n, n], 0, 1, 'float32', 5));
    return { unitsPerStep: (2 * n * n * n) / 1e9, step: () => tf.matMul(a, b), dispose: disposeAll([a, b]) };
  });
}

export function buildWorkload(name: WorkloadName, s: BenchSizes = ISSUE_SIZES): Workload {
  switch (name) {
    case 'teacher_train':
      return trainStep(() => mlp(s.teacherHidden, 0.3, s, 1, 'teacher'), s);
    case 'distill_full':
      return distillStep(s, false);
    case 'distill_cached':
      return distillStep(s, true);
    case 'cnn_train':
      return trainStep(() => cnnStudent(s), s);
    case 'teacher_infer':
      return teacherInference(s);
    case 'matmul_gflops':
      return matMul(s);
  }
}
