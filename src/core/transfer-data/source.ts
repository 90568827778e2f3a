import * as tf from '@tensorflow/tfjs';
import type { TransferData, TransferSet } from '../experiment';
import type { LossParts } from '../losses';
import { createRng, deriveSeed } from '../rng';
import type { TeacherModel } from '../teacher-model';
import type { DataTensors } from '../tensors';
import { TRANSFER_DATA_LABELS } from './labels';
import { featureMoments, gaussianRows, type FeatureMoments } from './gaussian';
import { mixPlan, validateMixupAlpha } from './mixup';
import { featureStats, synthesise, validateSynthesis, type SynthesisArgs, type SynthesisedSet, type SynthesisEvent } from './synthesise';

/**
 * The trainer's side of "Transfer data" other than the training set: where each batch's inputs come
 * from, what the teacher says about them, and which hard labels the student's hard term uses. The
 * scratch control is not served from here: it keeps training on the real, labelled rows.
 */

/** One batch as the distilled student sees it. Every tensor is new: the caller disposes them. */
export interface SourceBatch {
  x: tf.Tensor2D;
  /** The teacher's logits on `x`. */
  teacherLogits: tf.Tensor2D;
  /** Hard labels: the teacher's arg-max on generated inputs (no real label is used), the true labels for mixup. */
  labels: tf.Tensor1D;
  /** Mixup: the hard term is λ·CE(labels) + (1−λ)·CE(mixedWith). */
  mix?: { lambda: number; perm: Int32Array; mixedWith: tf.Tensor1D };
}

export interface TransferSource {
  /** Rows in one epoch. */
  rows: number;
  /** The batch of positions `positions` (0..rows−1) at training step `step`. */
  batch(positions: Int32Array, step: number): Promise<SourceBatch>;
  dispose(): void;
}

/** Refuses what does not combine with generated or mixed inputs, naming both settings. */
export function validateTransferData(t: TransferSet): void {
  const data = t.data;
  if (!data || data.kind === 'training') return;
  const name = TRANSFER_DATA_LABELS[data.kind];
  if (t.labelledFraction !== 1) throw new Error(`Transfer data "${name}" needs the labelled fraction at 100%.`);
  if (t.omitClass !== null) throw new Error(`Transfer data "${name}" needs every class (Omit class: None).`);
  if (t.jitter !== 0) throw new Error(`Transfer data "${name}" needs jitter 0.`);
  if (data.kind === 'mixup') validateMixupAlpha(data.alpha);
  if (data.kind === 'synthesised') validateSynthesis(data);
}

export interface SourceArgs {
  data: TransferData;
  tensors: DataTensors;
  teacher: TeacherModel;
  /** Needed to synthesise, unless `synthesised` is given. */
  teacherLayers: tf.LayersModel | null;
  /** Synthesised inputs made beforehand (the worker shows them forming); the source takes ownership. */
  synthesised?: SynthesisedSet;
  numClasses: number;
  imageShape?: [number, number, number];
  seed: number;
}

/** Teacher arg-max as int32 labels. */
function argMaxLabels(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.cast(tf.argMax(logits, 1), 'int32') as tf.Tensor1D);
}

/** N(mean, std) of the training set per feature, drawn afresh for every batch (seeded by step). */
export async function gaussianSource(tensors: DataTensors, teacher: TeacherModel, seed: number): Promise<TransferSource> {
  const [n, d] = tensors.xTrain.shape;
  const moments: FeatureMoments = featureMoments((await tensors.xTrain.data()) as Float32Array, n, d);
  return {
    rows: n,
    async batch(positions, step) {
      const x = tf.tensor2d(gaussianRows(moments, positions.length, createRng(deriveSeed(seed, 0x6a55, step))), [positions.length, d]);
      try {
        // Asked outside any tidy: the teacher's answer may be async.
        const teacherLogits = await teacher.logits(x);
        return { x, teacherLogits, labels: argMaxLabels(teacherLogits) };
      } catch (e) {
        x.dispose();
        throw e;
      }
    },
    dispose() {},
  };
}

/** The batch's training rows mixed with a seeded permutation of themselves; the teacher labels the mixture. */
export function mixupSource(tensors: DataTensors, teacher: TeacherModel, alpha: number, seed: number): TransferSource {
  validateMixupAlpha(alpha);
  return {
    rows: tensors.xTrain.shape[0],
    async batch(positions, step) {
      const plan = mixPlan(positions.length, alpha, createRng(deriveSeed(seed, 0x31c5, step)));
      const [x, labels, mixedWith] = tf.tidy(() => {
        const idx = tf.tensor1d(positions, 'int32');
        const perm = tf.tensor1d(plan.perm, 'int32');
        const x0 = tf.gather(tensors.xTrain, idx);
        const y0 = tf.gather(tensors.yTrain, idx);
        const mixed = tf.add(tf.mul(x0, plan.lambda), tf.mul(tf.gather(x0, perm), 1 - plan.lambda)) as tf.Tensor2D;
        return [mixed, y0, tf.gather(y0, perm)] as const;
      });
      try {
        const teacherLogits = await teacher.logits(x);
        return { x, teacherLogits, labels, mix: { lambda: plan.lambda, perm: plan.perm, mixedWith } };
      } catch (e) {
        tf.dispose([x, labels, mixedWith]);
        throw e;
      }
    },
    dispose() {},
  };
}

/** A fixed synthesised set: the teacher's logits on it computed once, its arg-max as the hard labels. */
export async function synthesisedSource(set: SynthesisedSet, teacher: TeacherModel): Promise<TransferSource> {
  let logits: tf.Tensor2D | null = null;
  let labels: tf.Tensor1D | null = null;
  try {
    logits = await teacher.logits(set.x);
    labels = argMaxLabels(logits);
  } catch (e) {
    tf.dispose([set.x, ...(logits ? [logits] : [])]);
    throw e;
  }
  const all = { x: set.x, logits, labels };
  return {
    rows: set.x.shape[0],
    async batch(positions) {
      return tf.tidy(() => {
        const idx = tf.tensor1d(positions, 'int32');
        return { x: tf.gather(all.x, idx), teacherLogits: tf.gather(all.logits, idx), labels: tf.gather(all.labels, idx) };
      });
    },
    dispose() {
      tf.dispose([all.x, all.logits, all.labels]);
    },
  };
}

/** The synthesis's settings from the run: the training set's range and the teacher as a layers model. */
export async function synthesisArgs(
  args: Pick<SourceArgs, 'tensors' | 'teacherLayers' | 'numClasses' | 'imageShape' | 'seed'> & {
    data: { perClass: number; steps: number };
  },
): Promise<SynthesisArgs> {
  if (!args.teacherLayers)
    throw new Error(
      'Transfer data "Synthesised from the teacher" needs a TensorFlow.js layers teacher: its inputs are optimised through the teacher\'s gradients, which ONNX, Teachable Machine and ensemble teachers do not give here.',
    );
  const [n, d] = args.tensors.xTrain.shape;
  return {
    teacher: args.teacherLayers,
    numClasses: args.numClasses,
    stats: featureStats((await args.tensors.xTrain.data()) as Float32Array, n, d),
    imageShape: args.imageShape,
    perClass: args.data.perClass,
    steps: args.data.steps,
    seed: deriveSeed(args.seed, 0x5717),
  };
}

/**
 * The source for `args.data`, or null for the training set. Synthesis that was not done beforehand is
 * done here, its steps passed to `onStep` (the trainer turns them into progress).
 */
export async function* transferSource(args: SourceArgs): AsyncGenerator<SynthesisEvent & { kind: 'step' }, TransferSource | null> {
  const { data } = args;
  switch (data.kind) {
    case 'training':
      return null;
    case 'gaussian':
      return gaussianSource(args.tensors, args.teacher, args.seed);
    case 'mixup':
      return mixupSource(args.tensors, args.teacher, data.alpha, args.seed);
    case 'synthesised': {
      if (args.synthesised) return synthesisedSource(args.synthesised, args.teacher);
      for await (const e of synthesise(await synthesisArgs({ ...args, data }))) {
        if (e.kind === 'done') return synthesisedSource(e.set, args.teacher);
        yield e;
      }
      throw new Error('The synthesis ended without a set.');
    }
  }
}

/** λ·a + (1−λ)·b, term by term: the hard term mixes the two label sets; the others are the same in both. */
export function mixLossParts(a: LossParts, b: LossParts, lambda: number): LossParts {
  const mix = (p: tf.Scalar, q: tf.Scalar) => tf.add(tf.mul(p, lambda), tf.mul(q, 1 - lambda)) as tf.Scalar;
  const out: LossParts = { total: mix(a.total, b.total), soft: mix(a.soft, b.soft), hard: mix(a.hard, b.hard) };
  if (a.mse && b.mse) out.mse = mix(a.mse, b.mse);
  if (a.hint && b.hint) out.hint = mix(a.hint, b.hint);
  return out;
}
