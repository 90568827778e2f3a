import * as tf from '@tensorflow/tfjs';

/**
 * Decoupled knowledge distillation (Zhao et al., CVPR 2022). The classic KL at temperature T splits
 * per row into the target-class term and the non-target term:
 *   KL(p^T || p^S) = TCKD + (1 - p^T_t) · NCKD
 * where TCKD is the KL between the binary distributions [p_t, 1 - p_t] and NCKD the KL between the
 * distributions over the wrong classes alone, renormalised. DKD weighs them α·TCKD + β·NCKD, freeing
 * NCKD from the (1 - p^T_t) factor that shrinks it exactly when the teacher is confident.
 */

/**
 * Added to the true class's logit before the non-target softmax, as mdistiller does: the class then
 * holds e^-1000 = 0 of the mass in float32, and every log stays finite (a true -Infinity would give
 * 0 · -Infinity = NaN in the KL).
 */
const MASK = -1000;

export interface DkdRows {
  /** Per row: KL([p^T_t, 1 - p^T_t] || [p^S_t, 1 - p^S_t]). */
  tckd: tf.Tensor1D;
  /** Per row: KL over the non-target classes, each distribution renormalised over them. */
  nckd: tf.Tensor1D;
  /** Per row: the teacher's probability of the true class at T. */
  teacherTarget: tf.Tensor1D;
}

/** log p_t and log(1 - p_t) per row, each from a log-sum-exp, so neither rounds to log 0 when p_t is near 0 or 1. */
function binaryLogs(z: tf.Tensor2D, gt: tf.Tensor2D): [tf.Tensor1D, tf.Tensor1D] {
  const lseAll = tf.logSumExp(z, 1);
  const logTarget = tf.sub(tf.sum(tf.mul(z, gt), 1), lseAll) as tf.Tensor1D;
  const logRest = tf.sub(tf.logSumExp(tf.add(z, tf.mul(gt, MASK)), 1), lseAll) as tf.Tensor1D;
  return [logTarget, logRest];
}

/** Both DKD terms per row, without T² or weights. */
export function dkdRows(teacherLogits: tf.Tensor2D, studentLogits: tf.Tensor2D, labels: tf.Tensor1D, temperature: number): DkdRows {
  return tf.tidy(() => {
    const gt = tf.oneHot(tf.cast(labels, 'int32'), teacherLogits.shape[1]) as tf.Tensor2D;
    const zt = tf.div(teacherLogits, temperature) as tf.Tensor2D;
    const zs = tf.div(studentLogits, temperature) as tf.Tensor2D;
    const [tTarget, tRest] = binaryLogs(zt, gt);
    const [sTarget, sRest] = binaryLogs(zs, gt);
    const pTarget = tf.exp(tTarget);
    const tckd = tf.add(tf.mul(pTarget, tf.sub(tTarget, sTarget)), tf.mul(tf.exp(tRest), tf.sub(tRest, sRest))) as tf.Tensor1D;
    const logQt = tf.logSoftmax(tf.add(zt, tf.mul(gt, MASK)));
    const logQs = tf.logSoftmax(tf.add(zs, tf.mul(gt, MASK)));
    const nckd = tf.sum(tf.mul(tf.exp(logQt), tf.sub(logQt, logQs)), 1) as tf.Tensor1D;
    return { tckd, nckd, teacherTarget: pTarget as tf.Tensor1D };
  });
}

export interface DkdTerms {
  /** Batch means, times T² when scaleByT2 (as the soft term is), before the α and β weights. */
  tckd: tf.Scalar;
  nckd: tf.Scalar;
}

export function dkdTerms(
  teacherLogits: tf.Tensor2D,
  studentLogits: tf.Tensor2D,
  labels: tf.Tensor1D,
  temperature: number,
  scaleByT2: boolean,
): DkdTerms {
  return tf.tidy(() => {
    const rows = dkdRows(teacherLogits, studentLogits, labels, temperature);
    const scale = scaleByT2 ? temperature * temperature : 1;
    return {
      tckd: tf.mul(tf.mean(rows.tckd), scale) as tf.Scalar,
      nckd: tf.mul(tf.mean(rows.nckd), scale) as tf.Scalar,
    };
  });
}

export interface DkdWeights {
  /** Zhao et al.'s α (weight of TCKD) and β (weight of NCKD). */
  alpha: number;
  beta: number;
}

export function validateDkdWeights({ alpha, beta }: DkdWeights): void {
  if (!(alpha >= 0 && alpha <= 100) || !(beta >= 0 && beta <= 100))
    throw new Error(`The TCKD and NCKD weights must be from 0 to 100, got ${alpha} and ${beta}.`);
}
