import * as tf from '@tensorflow/tfjs';
import { dkdTerms, validateDkdWeights, type DkdWeights } from './dkd';
import { targetKL } from './soft-targets';

/**
 * Distillation losses (Hinton et al. 2015). Every softmax goes through logSoftmax so that
 * the loss stays finite at high temperature with large logits.
 */

export interface DistillLossConfig {
  /** Softmax temperature T applied to teacher and student logits in the soft term. */
  temperature: number;
  /** Weight of the soft-target term; (1 - alpha) weighs the hard-label cross-entropy. */
  alpha: number;
}

export interface LossParts {
  total: tf.Scalar;
  /** T^2 * KL(teacher || student) at temperature T, batch mean (without T^2 when scaleByT2 is off). */
  soft: tf.Scalar;
  /** Cross-entropy against the true labels at T = 1, batch mean (over labelled rows only, given a mask). */
  hard: tf.Scalar;
  /** Mean squared error between the logits, when that term is on. */
  mse?: tf.Scalar;
  /** FitNets hint MSE, when that term is on. */
  hint?: tf.Scalar;
  /** Decoupled KD: the target-class and non-target terms (times T² when scaleByT2), before their weights. */
  tckd?: tf.Scalar;
  nckd?: tf.Scalar;
}

/** Mean over the batch of KL(softmax(t/T) || softmax(s/T)), without the T^2 factor. */
export function softTargetKL(teacherLogits: tf.Tensor2D, studentLogits: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const logPt = tf.logSoftmax(tf.div(teacherLogits, temperature));
    const logPs = tf.logSoftmax(tf.div(studentLogits, temperature));
    const perRow = tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)), 1);
    return tf.mean(perRow) as tf.Scalar;
  });
}

/** Mean cross-entropy of `logits` against integer `labels`. */
export function hardCrossEntropy(labels: tf.Tensor1D, logits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = logits.shape[1];
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), numClasses);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}

export function validateLossConfig({ temperature, alpha }: DistillLossConfig): void {
  if (!(temperature > 0 && temperature <= 1000)) throw new Error(`Temperature must be positive (at most 1000), got ${temperature}.`);
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`Alpha must be between 0 and 1, got ${alpha}.`);
}

/** alpha * T^2 * KL(softmax(t/T) || softmax(s/T)) + (1 - alpha) * CE(y, s). */
export function distillationLoss(
  teacherLogits: tf.Tensor2D,
  studentLogits: tf.Tensor2D,
  labels: tf.Tensor1D,
  config: DistillLossConfig,
): LossParts {
  return studentLoss({ teacherLogits, studentLogits, labels }, { ...config, scaleByT2: true, logitMse: 0, hintWeight: 0 });
}

/** Ba & Caruana's logit matching: mean over all entries of (s - t)^2. */
export function logitMse(teacherLogits: tf.Tensor2D, studentLogits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(studentLogits, teacherLogits)) as tf.Scalar);
}

/** Cross-entropy averaged over the rows whose mask is 1 (0 when none is): unlabelled rows add nothing. */
export function maskedCrossEntropy(labels: tf.Tensor1D, logits: tf.Tensor2D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    const perRow = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
    return tf.div(tf.sum(tf.mul(perRow, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

export interface StudentLossInputs {
  teacherLogits: tf.Tensor2D;
  studentLogits: tf.Tensor2D;
  labels: tf.Tensor1D;
  /** 1 for rows whose label may be used; absent = all rows labelled. */
  labelMask?: tf.Tensor1D;
  /** FitNets: the student's features after the learned regressor, and the teacher's features, both [batch, d]. */
  hint?: { mapped: tf.Tensor2D; target: tf.Tensor2D };
  /** Soft targets in place of the teacher's (an ablation, core/soft-targets.ts), as probabilities at T. */
  targets?: tf.Tensor2D;
}

export interface StudentLossWeights extends DistillLossConfig {
  scaleByT2: boolean;
  logitMse: number;
  hintWeight: number;
  /** Decoupled KD: the soft term is alpha·TCKD + beta·NCKD instead of the KL. Absent: Hinton's KL. */
  dkd?: DkdWeights;
}

/** Checked before a run starts: a refusal inside the optimiser's gradient closure would strand its saved tensors. */
export function validateLossWeights(w: StudentLossWeights): void {
  validateLossConfig(w);
  if (!(w.logitMse >= 0) || !(w.hintWeight >= 0))
    throw new Error(`Loss weights must not be negative (logit MSE ${w.logitMse}, hint ${w.hintWeight}).`);
  if (w.dkd) validateDkdWeights(w.dkd);
}

/**
 * alpha * soft + (1 - alpha) * CE + logitMse * MSE(logits) + hintWeight * MSE(hint), where soft is
 * [T^2] * KL(teacher's or ablated targets || student), or with DKD [T^2] * (dkdAlpha * TCKD + dkdBeta * NCKD).
 * Each term is returned unweighted as well, so that it can be charted on its own.
 */
export function studentLoss(inputs: StudentLossInputs, w: StudentLossWeights): LossParts {
  validateLossWeights(w);
  if (w.dkd && (inputs.targets || inputs.labelMask))
    throw new Error('Decoupled KD splits the soft term at the true class: it takes neither ablated soft targets nor unlabelled rows.');
  return tf.tidy(() => {
    const { teacherLogits, studentLogits, labels, labelMask, hint, targets } = inputs;
    const scale = w.scaleByT2 ? w.temperature * w.temperature : 1;
    const dkd = w.dkd ? dkdTerms(teacherLogits, studentLogits, labels, w.temperature, w.scaleByT2) : undefined;
    const soft = (
      dkd && w.dkd
        ? tf.add(tf.mul(dkd.tckd, w.dkd.alpha), tf.mul(dkd.nckd, w.dkd.beta))
        : tf.mul(
            targets ? targetKL(targets, studentLogits, w.temperature) : softTargetKL(teacherLogits, studentLogits, w.temperature),
            scale,
          )
    ) as tf.Scalar;
    const hard = labelMask ? maskedCrossEntropy(labels, studentLogits, labelMask) : hardCrossEntropy(labels, studentLogits);
    let total = tf.add(tf.mul(soft, w.alpha), tf.mul(hard, 1 - w.alpha)) as tf.Scalar;
    const mse = w.logitMse > 0 ? logitMse(teacherLogits, studentLogits) : undefined;
    if (mse) total = tf.add(total, tf.mul(mse, w.logitMse));
    const hintLoss = hint && w.hintWeight > 0 ? (tf.mean(tf.squaredDifference(hint.mapped, hint.target)) as tf.Scalar) : undefined;
    if (hintLoss) total = tf.add(total, tf.mul(hintLoss, w.hintWeight));
    return { total, soft, hard, ...(mse ? { mse } : {}), ...(hintLoss ? { hint: hintLoss } : {}), ...(dkd ?? {}) };
  });
}
