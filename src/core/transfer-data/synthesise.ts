import * as tf from '@tensorflow/tfjs';
import { adam } from '../kernels/fused-adam';
import { createRng, deriveSeed, type Rng } from '../rng';
import { standardNormal } from './gaussian';

/**
 * "Synthesised from the teacher": data-free distillation. Inputs are optimised by Adam against the
 * frozen teacher, each row towards a class, under
 *   confidence  CE(teacher(x), class), batch mean;
 *   diversity   minus the mean squared distance between the teacher's softmax outputs of rows of
 *               the same class in the batch (so a class's rows do not collapse into one input);
 *   tv          total variation (mean squared difference of neighbouring pixels), images only;
 *   bn          for each BatchNorm layer, ‖μ_batch − μ_running‖² + ‖σ²_batch − σ²_running‖² of its
 *               input (DeepInversion, Yin et al. 2020), only when the teacher has BatchNorm layers.
 * The inputs live in the data's own (normalised) space, start as N(mean, std) of the training set and
 * are clipped after every step to its per-feature range. Each batch holds every class's share.
 */

export interface SynthesisWeights {
  diversity: number;
  tv: number;
  bn: number;
}

// Chosen by hand, not tuned: no search over these weights was run. On MNIST with the shipped CNN a
// few runs looked sensible with them: TV 0.5 kept strokes smooth without washing out the class, and
// diversity 1 is about the size of the confidence term once the teacher is sure.
export const DEFAULT_SYNTHESIS_WEIGHTS: SynthesisWeights = { diversity: 1, tv: 0.5, bn: 0.05 };

/** The training set's per-feature statistics the synthesis starts from and stays within. */
export interface FeatureStats {
  mean: Float32Array;
  std: Float32Array;
  min: Float32Array;
  max: Float32Array;
}

export interface SynthesisArgs {
  /** Frozen: only the inputs are optimised. Its outputs may be logits or probabilities (a final softmax). */
  teacher: tf.LayersModel;
  numClasses: number;
  stats: FeatureStats;
  imageShape?: [number, number, number];
  perClass: number;
  /** Adam steps per batch. */
  steps: number;
  seed: number;
  /** Rows per batch (default 64). */
  batchSize?: number;
  /** Adam's step on the inputs (default 0.05). */
  learningRate?: number;
  weights?: SynthesisWeights;
  /** The terms are read from the backend every this many steps (default 10; each read is a device sync). */
  logEvery?: number;
}

/** The objective's parts, unweighted, and the weighted total. */
export interface SynthesisTerms {
  total: number;
  confidence: number;
  diversity: number;
  tv: number;
  bn: number;
}

/** The rows of the batch being optimised: which classes, and (on request) their current values. */
export interface SynthesisSnapshot {
  /** Index of the batch's first row in the synthesised set. */
  firstRow: number;
  classes: Int32Array;
  x: Float32Array;
}

export type SynthesisEvent =
  | {
      kind: 'step';
      /** Steps done and in all (every batch's steps). */
      done: number;
      total: number;
      /** Read every `logEvery` steps and at each batch's last step; null in between. */
      terms: SynthesisTerms | null;
      /** The batch's current inputs, read from the backend only when asked (a device sync). */
      snapshot: () => Promise<SynthesisSnapshot>;
    }
  | { kind: 'done'; set: SynthesisedSet };

/** The synthesised inputs (the caller owns `x`) and the class each row was optimised towards. */
export interface SynthesisedSet {
  x: tf.Tensor2D;
  classes: Int32Array;
}

/** Row i of the synthesised set is optimised towards class i mod numClasses: every batch holds each class's share. */
export function synthesisClasses(numClasses: number, perClass: number): Int32Array {
  return Int32Array.from({ length: numClasses * perClass }, (_, i) => i % numClasses);
}

export function validateSynthesis(args: Pick<SynthesisArgs, 'perClass' | 'steps'>): void {
  if (!(Number.isInteger(args.perClass) && args.perClass >= 1 && args.perClass <= 1000))
    throw new Error(`Synthesised per class must be a whole number from 1 to 1000, got ${args.perClass}.`);
  if (!(Number.isInteger(args.steps) && args.steps >= 1 && args.steps <= 5000))
    throw new Error(`Synthesis steps must be a whole number from 1 to 5000, got ${args.steps}.`);
}

/** Per-feature mean, std, min and max of `rows` rows of `x` (the training set). */
export function featureStats(x: Float32Array, rows: number, features: number): FeatureStats {
  if (rows < 1) throw new Error('Synthesis needs a training set with at least one row (for its range).');
  const sum = new Float64Array(features);
  const sq = new Float64Array(features);
  const min = new Float32Array(features).fill(Number.POSITIVE_INFINITY);
  const max = new Float32Array(features).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      const v = x[r * features + f];
      sum[f] += v;
      sq[f] += v * v;
      if (v < min[f]) min[f] = v;
      if (v > max[f]) max[f] = v;
    }
  }
  const mean = Float32Array.from(sum, (s) => s / rows);
  const std = Float32Array.from(sq, (s, f) => Math.sqrt(Math.max(0, s / rows - mean[f] * mean[f])));
  return { mean, std, min, max };
}

/** What the objective needs from the teacher: its logits and each BatchNorm layer's input, from one pass. */
export interface TeacherProbe {
  /** Outputs: each BatchNorm layer's input, then the teacher's output. Shares the teacher's weights: never dispose it. */
  model: tf.LayersModel;
  /** Each BatchNorm layer's running mean and variance (the teacher's own variables). */
  bn: { mean: tf.Tensor; variance: tf.Tensor }[];
  /** The teacher ends in a softmax: its log is used as the logits. */
  probabilities: boolean;
}

/** Refuses teachers whose gradients cannot be had, and builds the probe. */
export function teacherProbe(teacher: tf.LayersModel): TeacherProbe {
  if (teacher.inputs.length !== 1 || teacher.outputs.length !== 1)
    throw new Error('Synthesised from the teacher needs a teacher with one input and one output.');
  const bnLayers = teacher.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  const bn = bnLayers.map((l) => {
    const mean = l.weights.find((w) => w.name.includes('moving_mean'));
    const variance = l.weights.find((w) => w.name.includes('moving_variance'));
    if (!mean || !variance) throw new Error(`The teacher's BatchNorm layer ${l.name} has no running statistics.`);
    const axis = (l.getConfig().axis as number | undefined) ?? -1;
    const rank = (l.input as tf.SymbolicTensor).shape.length;
    if (axis !== -1 && axis !== rank - 1)
      throw new Error(`The teacher's BatchNorm layer ${l.name} normalises axis ${axis}: only the last (channels) axis is supported.`);
    return { mean: mean.read(), variance: variance.read() };
  });
  const inputs = bnLayers.map((l) => {
    if (Array.isArray(l.input)) throw new Error(`The teacher's BatchNorm layer ${l.name} has several inputs.`);
    return l.input;
  });
  const model = bnLayers.length ? tf.model({ inputs: teacher.inputs, outputs: [...inputs, teacher.outputs[0]] }) : teacher;
  const last = teacher.layers[teacher.layers.length - 1];
  const probabilities = last.getConfig().activation === 'softmax' || last.getClassName() === 'Softmax';
  return { model, bn, probabilities };
}

/** 1 where rows i ≠ j were optimised towards the same class: the pairs the diversity term spreads apart. */
export function sameClassMask(classes: Int32Array): tf.Tensor2D {
  const b = classes.length;
  const m = new Float32Array(b * b);
  for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) m[i * b + j] = i !== j && classes[i] === classes[j] ? 1 : 0;
  return tf.tensor2d(m, [b, b]);
}

export interface ObjectiveTensors {
  total: tf.Scalar;
  confidence: tf.Scalar;
  diversity: tf.Scalar;
  tv: tf.Scalar;
  bn: tf.Scalar;
}

/** The objective at `x` (rows towards `targets`, one-hot [b, classes]); differentiable in `x`. */
export function synthesisObjective(
  probe: TeacherProbe,
  x: tf.Tensor2D,
  targets: tf.Tensor2D,
  sameClass: tf.Tensor2D,
  weights: SynthesisWeights,
  imageShape?: [number, number, number],
): ObjectiveTensors {
  return tf.tidy(() => {
    const out = probe.model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
    const outs = Array.isArray(out) ? out : [out];
    const raw = outs[outs.length - 1] as tf.Tensor2D;
    const logProbs = probe.probabilities ? tf.log(tf.clipByValue(raw, 1e-7, 1)) : tf.logSoftmax(raw);
    const confidence = tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbs), 1))) as tf.Scalar;
    const p = tf.exp(logProbs);
    const sq = tf.sum(tf.square(p), 1);
    // ‖p_i − p_j‖² = ‖p_i‖² + ‖p_j‖² − 2 p_i·p_j
    const dist = tf.sub(tf.add(tf.expandDims(sq, 1), tf.expandDims(sq, 0)), tf.mul(tf.matMul(p, p, false, true), 2));
    const pairs = tf.sum(sameClass);
    const diversity = tf.neg(tf.div(tf.sum(tf.mul(dist, sameClass)), tf.maximum(pairs, 1))) as tf.Scalar;
    let tv = tf.scalar(0);
    if (imageShape) {
      const [h, w, c] = imageShape;
      const img = tf.reshape(x, [-1, h, w, c]);
      const dy =
        h > 1
          ? tf.mean(tf.square(tf.sub(tf.slice(img, [0, 1, 0, 0], [-1, h - 1, w, c]), tf.slice(img, [0, 0, 0, 0], [-1, h - 1, w, c]))))
          : tf.scalar(0);
      const dx =
        w > 1
          ? tf.mean(tf.square(tf.sub(tf.slice(img, [0, 0, 1, 0], [-1, h, w - 1, c]), tf.slice(img, [0, 0, 0, 0], [-1, h, w - 1, c]))))
          : tf.scalar(0);
      tv = tf.add(dy, dx) as tf.Scalar;
    }
    let bn = tf.scalar(0);
    probe.bn.forEach((stats, k) => {
      const a = outs[k];
      const axes = Array.from({ length: a.rank - 1 }, (_, i) => i);
      const { mean, variance } = tf.moments(a, axes);
      bn = tf.add(bn, tf.add(tf.sum(tf.squaredDifference(mean, stats.mean)), tf.sum(tf.squaredDifference(variance, stats.variance))));
    });
    const total = tf.addN([confidence, tf.mul(diversity, weights.diversity), tf.mul(tv, weights.tv), tf.mul(bn, weights.bn)]) as tf.Scalar;
    return { total, confidence, diversity, tv, bn };
  });
}

/** N(mean, std) of the training set per feature, clipped to its range. */
function initialRows(stats: FeatureStats, rows: number, rng: Rng): Float32Array {
  const d = stats.mean.length;
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < d; f++) {
      const v = stats.mean[f] + stats.std[f] * standardNormal(rng);
      out[r * d + f] = Math.min(stats.max[f], Math.max(stats.min[f], v));
    }
  }
  return out;
}

/**
 * Synthesises `perClass` inputs for each class, a batch at a time, yielding after every step; the
 * last event hands over the set. Stopping early (`return()`) frees everything made so far.
 */
export async function* synthesise(args: SynthesisArgs): AsyncGenerator<SynthesisEvent> {
  validateSynthesis(args);
  const { teacher, numClasses, stats, imageShape, steps, seed } = args;
  const d = stats.mean.length;
  const inputShape = teacher.inputs[0].shape;
  if (inputShape.length !== 2 || inputShape[1] !== d)
    throw new Error(`The teacher takes inputs of shape [${inputShape.slice(1).join(', ')}], the data has ${d} features.`);
  const probe = teacherProbe(teacher);
  const weights = args.weights ?? DEFAULT_SYNTHESIS_WEIGHTS;
  const batchSize = args.batchSize ?? 64;
  const logEvery = args.logEvery ?? 10;
  const classes = synthesisClasses(numClasses, args.perClass);
  const batches = Math.ceil(classes.length / batchSize);
  const total = batches * steps;
  const lo = tf.tensor2d(stats.min, [1, d]);
  const hi = tf.tensor2d(stats.max, [1, d]);
  const done: tf.Tensor2D[] = [];
  let handedOver = false;
  try {
    for (let b = 0; b < batches; b++) {
      const first = b * batchSize;
      const batchClasses = classes.subarray(first, Math.min(first + batchSize, classes.length));
      const rows = batchClasses.length;
      const x = tf.tidy(() => tf.variable(tf.tensor2d(initialRows(stats, rows, createRng(deriveSeed(seed, 0x5e7, b))), [rows, d])));
      const targets = tf.tidy(() => tf.oneHot(tf.tensor1d(batchClasses, 'int32'), numClasses) as tf.Tensor2D);
      const same = sameClassMask(batchClasses);
      const optimizer = adam(args.learningRate ?? 0.05);
      try {
        for (let s = 1; s <= steps; s++) {
          let parts: tf.Scalar[] = [];
          tf.tidy(() => {
            optimizer.minimize(
              () => {
                const o = synthesisObjective(probe, x, targets, same, weights, imageShape);
                parts = [o.confidence, o.diversity, o.tv, o.bn].map((t) => tf.keep(t));
                return o.total;
              },
              false,
              [x],
            );
            x.assign(tf.minimum(tf.maximum(x, lo), hi));
          });
          let terms: SynthesisTerms | null = null;
          if (s % logEvery === 0 || s === steps) {
            const stacked = tf.stack(parts);
            const v = await stacked.data();
            stacked.dispose();
            const [confidence, diversity, tv, bn] = Array.from(v);
            terms = {
              confidence,
              diversity,
              tv,
              bn,
              total: confidence + weights.diversity * diversity + weights.tv * tv + weights.bn * bn,
            };
            for (const t of [confidence, diversity, tv, bn])
              if (!Number.isFinite(t)) throw new Error(`The synthesis objective became ${t} at step ${s}: lower the step size.`);
          }
          tf.dispose(parts);
          const snapshot = async (): Promise<SynthesisSnapshot> => ({
            firstRow: first,
            classes: batchClasses.slice(),
            x: (await x.data()) as Float32Array,
          });
          yield { kind: 'step', done: b * steps + s, total, terms, snapshot };
        }
        done.push(tf.clone(x) as tf.Tensor2D);
      } finally {
        tf.dispose([x, targets, same]);
        optimizer.dispose();
      }
    }
    const set: SynthesisedSet = { x: done.length === 1 ? done[0] : (tf.concat(done, 0) as tf.Tensor2D), classes: classes.slice() };
    if (done.length > 1) tf.dispose(done);
    handedOver = true;
    yield { kind: 'done', set };
  } finally {
    if (!handedOver) tf.dispose(done);
    tf.dispose([lo, hi]);
  }
}

/** Runs the whole synthesis without watching it (scripts, repeats, sweeps). */
export async function synthesiseAll(args: SynthesisArgs): Promise<SynthesisedSet> {
  for await (const e of synthesise(args)) if (e.kind === 'done') return e.set;
  throw new Error('The synthesis ended without a set.');
}
