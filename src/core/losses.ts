import * as tf from '@tensorflow/tfjs';

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
  /** T^2 * KL(teacher || student) at temperature T, batch mean. */
  soft: tf.Scalar;
  /** Cross-entropy against the true labels at T = 1, batch mean. */
  hard: tf.Scalar;
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
  { temperature, alpha }: DistillLossConfig,
): LossParts {
  validateLossConfig({ temperature, alpha });
  return tf.tidy(() => {
    const soft = tf.mul(softTargetKL(teacherLogits, studentLogits, temperature), temperature * temperature) as tf.Scalar;
    const hard = hardCrossEntropy(labels, studentLogits);
    const total = tf.add(tf.mul(soft, alpha), tf.mul(hard, 1 - alpha)) as tf.Scalar;
    return { total, soft, hard };
  });
}
