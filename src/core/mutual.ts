import * as tf from '@tensorflow/tfjs';
import { adam } from './kernels/fused-adam';
import { hardCrossEntropy, softTargetKL, validateLossWeights } from './losses';
import { accuracy, agreement, predictLogits } from './metrics';
import { reseedDropout } from './models';
import { deriveSeed } from './rng';
import type { TeacherModel } from './teacher-model';
import { mutualRefusal } from './mutual-rules';
import { minimizeStep, trainableVariables, type DataTensors } from './tensors';
import {
  assertFinite,
  epochBatches,
  readScalars,
  validate,
  type DistillConfig,
  type DistillEpoch,
  type DistillLossPoint,
  type TrainerEvent,
} from './trainer';

export { mutualRefusal } from './mutual-rules';

/**
 * Deep mutual learning (Zhang et al. 2018): two students and no teacher. At each step both see the
 * same batch; each learns from the labels and from the other's softened predictions of that same
 * step, held fixed (no gradient flows into the other), and both are updated from those predictions:
 *   loss_i = (1 − alpha) · CE(y, s_i) + alpha · [T²] · KL(softmax(s_other / T) ‖ softmax(s_i / T)).
 * Student 1 is the run's distilled student, student 2 its peer; the scratch control (student 1's
 * initial weights, labels only) trains beside them.
 */

export interface MutualWeights {
  temperature: number;
  alpha: number;
  scaleByT2: boolean;
}

export interface MutualTerms {
  total: tf.Scalar;
  /** [T²] · KL(other ‖ this), batch mean. */
  soft: tf.Scalar;
  hard: tf.Scalar;
}

/** The identity whose gradient is zero: the other student's predictions are a target, not a path. */
const stopGradient = tf.customGrad((...inputs) => {
  const [x] = inputs;
  if (!(x instanceof tf.Tensor)) throw new Error('stopGradient takes one tensor.');
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

function termsOf(own: tf.Tensor2D, other: tf.Tensor2D, labels: tf.Tensor1D, w: MutualWeights): MutualTerms {
  const kl = softTargetKL(stopGradient(other) as tf.Tensor2D, own, w.temperature);
  const soft = (w.scaleByT2 ? tf.mul(kl, w.temperature * w.temperature) : kl) as tf.Scalar;
  const hard = hardCrossEntropy(labels, own);
  return { total: tf.add(tf.mul(soft, w.alpha), tf.mul(hard, 1 - w.alpha)) as tf.Scalar, soft, hard };
}

/** Both students' losses on one batch, each against the other's logits held fixed. */
export function mutualLosses(
  first: tf.Tensor2D,
  second: tf.Tensor2D,
  labels: tf.Tensor1D,
  w: MutualWeights,
): { first: MutualTerms; second: MutualTerms } {
  return { first: termsOf(first, second, labels, w), second: termsOf(second, first, labels, w) };
}

/** The seed of the peer student's initial weights (student 1 and the control take the run's seed). */
export function peerSeed(seed: number): number {
  return deriveSeed(seed, 0x9ee2);
}

export interface MutualArgs {
  /** Student 1: the run's distilled student. */
  first: tf.LayersModel;
  /** Student 2, the peer: the same preset, other initial weights. */
  second: tf.LayersModel;
  /** The control: student 1's initial weights, labels only; null: none. */
  scratch: tf.LayersModel | null;
  /** A teacher to compare with in the epoch summaries only (accuracy, agreement, KL); it teaches nothing. Null: none. */
  reference: TeacherModel | null;
  data: DataTensors;
  config: DistillConfig;
}

/** Trains both students (and the control) in place; each epoch's summary has the peer's test accuracy. */
export async function* mutual(args: MutualArgs): AsyncGenerator<TrainerEvent<DistillLossPoint, DistillEpoch>> {
  const { first, second, scratch, reference, data, config } = args;
  const n = data.xTrain.shape[0];
  validate(config, n);
  if ((config.startEpoch ?? 1) !== 1) throw new Error('Mutual learning cannot resume part-way.');
  const weights: MutualWeights = { temperature: config.temperature, alpha: config.alpha, scaleByT2: config.scaleByT2 ?? true };
  validateLossWeights({ ...weights, logitMse: 0, hintWeight: 0 });
  const refusal = mutualRefusal({
    loss: { hint: config.hint ?? null, logitMse: config.logitMse ?? 0 },
    transfer: config.transfer ?? { labelledFraction: 1, omitClass: null, jitter: 0 },
    studentSource: 'preset',
    quantAware: config.quantAware,
  });
  if (refusal) throw new Error(refusal);
  const logEvery = config.logEvery ?? 10;
  const epochs = config.epochs;
  const models = scratch ? 3 : 2;
  const width = 6 + (scratch ? 1 : 0);
  const samplesTotal = models * epochs * n;
  // One Adam over both students: its state is per weight, and the summed loss's gradient for each
  // student's weights is that student's own loss's (the other's predictions are held fixed).
  const optPair = adam(config.learningRate);
  const optScratch = adam(config.learningRate);
  const varsPair = [...trainableVariables(first), ...trainableVariables(second)];
  const varsScratch = scratch ? trainableVariables(scratch) : [];
  const pending: tf.Scalar[] = [];
  let referenceTest: tf.Tensor2D | null = null;
  let step = 0;
  let firstPending = 1;
  const flush = async (): Promise<DistillLossPoint[]> => {
    const v = await readScalars(pending.splice(0));
    assertFinite(v, 'Student loss', step);
    const points: DistillLossPoint[] = [];
    for (let i = 0; i < v.length; i += width) {
      const point = {
        step: firstPending + i / width,
        total: v[i],
        soft: v[i + 1],
        hard: v[i + 2],
        scratch: scratch ? v[i + 6] : Number.NaN,
      };
      points.push({ ...point, peerTotal: v[i + 3], peerSoft: v[i + 4], peerHard: v[i + 5] });
    }
    firstPending = step + 1;
    return points;
  };
  try {
    referenceTest = reference ? await reference.logits(data.xTest) : null;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      let batchNo = 0;
      for (const batch of epochBatches(n, config.batchSize, config.seed, epoch)) {
        step++;
        batchNo++;
        const seed = deriveSeed(config.seed, 0xd1, step);
        reseedDropout(first, seed);
        reseedDropout(second, deriveSeed(seed, 2));
        if (scratch) reseedDropout(scratch, seed);
        const logged = tf.tidy(() => {
          const idx = tf.tensor1d(batch, 'int32');
          const xb = tf.gather(data.xTrain, idx);
          const yb = tf.gather(data.yTrain, idx);
          const parts: tf.Scalar[] = [];
          minimizeStep(
            optPair,
            () => {
              const s1 = first.apply(xb, { training: true }) as tf.Tensor2D;
              const s2 = second.apply(xb, { training: true }) as tf.Tensor2D;
              const terms = mutualLosses(s1, s2, yb, weights);
              for (const t of [terms.first, terms.second]) parts.push(...[t.total, t.soft, t.hard].map((s) => tf.keep(s)));
              return tf.add(terms.first.total, terms.second.total) as tf.Scalar;
            },
            varsPair,
          ).dispose();
          if (scratch)
            parts.push(
              minimizeStep(optScratch, () => hardCrossEntropy(yb, scratch.apply(xb, { training: true }) as tf.Tensor2D), varsScratch),
            );
          return parts;
        });
        pending.push(...logged);
        if (pending.length >= width * logEvery) yield { kind: 'losses', points: await flush() };
        const samplesDone = models * ((epoch - 1) * n + Math.min(n, batchNo * config.batchSize));
        yield { kind: 'progress', progress: { phase: 'distill', epoch, epochs, samplesDone, samplesTotal } };
      }
      if (pending.length > 0) yield { kind: 'losses', points: await flush() };
      yield { kind: 'progress', progress: { phase: 'evaluate', epoch, epochs, samplesDone: models * epoch * n, samplesTotal } };
      yield { kind: 'epoch', summary: { epoch, ...(await evaluatePair(first, second, scratch, referenceTest, data, config.temperature)) } };
    }
  } finally {
    tf.dispose(pending);
    if (referenceTest) referenceTest.dispose();
    optPair.dispose();
    optScratch.dispose();
  }
}

/** Test accuracies of both students and the control; agreement and KL with the reference teacher when there is one (NaN otherwise). */
async function evaluatePair(
  first: tf.LayersModel,
  second: tf.LayersModel,
  scratch: tf.LayersModel | null,
  reference: tf.Tensor2D | null,
  data: DataTensors,
  temperature: number,
): Promise<Omit<DistillEpoch, 'epoch'>> {
  const scalars = tf.tidy(() => {
    const nan = tf.scalar(Number.NaN);
    const d = predictLogits(first, data.xTest);
    const p = predictLogits(second, data.xTest);
    const s = scratch ? predictLogits(scratch, data.xTest) : null;
    const vsReference = (logits: tf.Tensor2D | null) =>
      reference && logits ? [agreement(reference, logits), softTargetKL(reference, logits, temperature)] : [nan, nan];
    return [
      reference ? accuracy(reference, data.yTest) : nan,
      accuracy(d, data.yTest),
      s ? accuracy(s, data.yTest) : nan,
      accuracy(p, data.yTest),
      ...vsReference(d),
      ...vsReference(s),
    ];
  });
  const v = await readScalars(scalars);
  return {
    teacherAccuracy: v[0],
    distilledAccuracy: v[1],
    scratchAccuracy: v[2],
    peerAccuracy: v[3],
    distilledAgreement: v[4],
    distilledKL: v[5],
    scratchAgreement: v[6],
    scratchKL: v[7],
  };
}
