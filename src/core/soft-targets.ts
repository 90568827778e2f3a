import * as tf from '@tensorflow/tfjs';
import type { SoftTargets } from './experiment';
import { shuffleInPlace, type Rng } from './rng';

/**
 * The soft-target ablations that separate "dark knowledge" from softness alone. Both keep the
 * teacher's probability of the true class; "shuffled" permutes the rest of the row among the wrong
 * classes (same values, so the same entropy, but no "this 2 looks like a 7"), "smoothed" spreads the
 * same mass evenly over them (label smoothing with the teacher's confidence).
 */

export type Ablation = Exclude<SoftTargets, 'teacher'>;

/** Per row, the column each output entry reads: the true class its own, the others a seeded permutation of the others. */
export function shuffledColumns(labels: Int32Array, numClasses: number, rng: Rng): Int32Array {
  const index = new Int32Array(labels.length * numClasses);
  const others = new Int32Array(numClasses - 1);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < numClasses)) throw new Error(`Label ${y} is not one of the ${numClasses} classes.`);
    for (let c = 0, k = 0; c < numClasses; c++) if (c !== y) others[k++] = c;
    const targets = others.slice();
    shuffleInPlace(targets, rng);
    const row = i * numClasses;
    index[row + y] = y;
    for (let k = 0; k < others.length; k++) index[row + others[k]] = targets[k];
  }
  return index;
}

/**
 * The ablated soft targets at temperature T, as probabilities [batch, classes]. `labels` are the
 * rows' true classes; `rng` drives the shuffle (the trainer seeds it from the run's seed and step).
 */
export function ablatedTargets(teacherLogits: tf.Tensor2D, labels: Int32Array, temperature: number, kind: Ablation, rng: Rng): tf.Tensor2D {
  const [rows, numClasses] = teacherLogits.shape;
  if (labels.length !== rows) throw new Error(`${labels.length} labels for ${rows} rows of teacher logits.`);
  if (numClasses < 2) throw new Error('Soft-target ablations need at least two classes.');
  // Made before the tidy so that a bad label throws with nothing allocated.
  const columns = kind === 'shuffled' ? shuffledColumns(labels, numClasses, rng) : null;
  return tf.tidy(() => {
    const p = tf.softmax(tf.div(teacherLogits, temperature)) as tf.Tensor2D;
    if (columns) {
      const offsets = Int32Array.from(columns, (c, k) => Math.floor(k / numClasses) * numClasses + c);
      return tf.reshape(tf.gather(tf.reshape(p, [-1]), tf.tensor1d(offsets, 'int32')), [rows, numClasses]) as tf.Tensor2D;
    }
    const gt = tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses);
    const pTarget = tf.sum(tf.mul(p, gt), 1, true);
    const spread = tf.div(tf.sub(1, pTarget), numClasses - 1);
    return tf.add(tf.mul(gt, pTarget), tf.mul(tf.sub(1, gt), spread)) as tf.Tensor2D;
  });
}

/** Smallest probability whose log is taken: a target of exactly 0 adds 0 · log(1e-30) = 0, not 0 · -Infinity. */
const TINY = 1e-30;

/** Mean over the batch of KL(q || softmax(s/T)), q given as probabilities; no T² factor. */
export function targetKL(targets: tf.Tensor2D, studentLogits: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const logPs = tf.logSoftmax(tf.div(studentLogits, temperature));
    const perRow = tf.sum(tf.mul(targets, tf.sub(tf.log(tf.maximum(targets, TINY)), logPs)), 1);
    return tf.mean(perRow) as tf.Scalar;
  });
}
