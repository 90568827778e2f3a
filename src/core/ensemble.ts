import * as tf from '@tensorflow/tfjs';
import { ENSEMBLE_MAX_MEMBERS, ENSEMBLE_MIN_MEMBERS, type EnsembleCombine } from './experiment';
import type { TeacherModel } from './teacher-model';

/**
 * Log-probabilities below this are raised to it: a member that gives a class probability 0
 * (-Infinity) would otherwise make the mean -Infinity, and the soft-target loss NaN. Far below
 * any log-probability that changes a soft target (e^-10000 is 0 in any float).
 */
export const LOG_PROB_FLOOR = -1e4;

/** Several teachers answering as one; its logits are log-probabilities (valid logits: softmax gives them back as probabilities). */
export interface EnsembleTeacher extends TeacherModel {
  readonly members: readonly TeacherModel[];
  readonly combine: EnsembleCombine;
}

export function isEnsembleTeacher(model: TeacherModel): model is EnsembleTeacher {
  return 'members' in model && 'combine' in model;
}

/** Throws, saying how many it has, unless an ensemble may have `count` members. */
export function checkEnsembleSize(count: number): void {
  if (count < ENSEMBLE_MIN_MEMBERS || count > ENSEMBLE_MAX_MEMBERS) {
    throw new Error(
      `An ensemble needs ${ENSEMBLE_MIN_MEMBERS} to ${ENSEMBLE_MAX_MEMBERS} teachers; it has ${count === 1 ? '1 teacher' : `${count} teachers`}.`,
    );
  }
}

/** One member's logits as floored log-probabilities; checks it gives as many rows and classes as the first member. */
async function memberLogProbs(member: TeacherModel, index: number, x: tf.Tensor2D, classes: number | null): Promise<tf.Tensor2D> {
  const logits = await member.logits(x);
  try {
    const [rows, width] = logits.shape;
    if (rows !== x.shape[0] || (classes !== null && width !== classes)) {
      throw new Error(
        `Ensemble member ${index + 1} gives logits of shape [${rows}, ${width}] for ${x.shape[0]} rows` +
          (classes !== null ? `; the first member gives ${classes} classes.` : '.'),
      );
    }
    return tf.tidy(() => tf.maximum(tf.logSoftmax(logits), LOG_PROB_FLOOR) as tf.Tensor2D);
  } finally {
    logits.dispose();
  }
}

/**
 * An ensemble of 2..8 teachers as one teacher. 'mean-log-prob': the mean over members of their
 * log-probabilities (a geometric mean of the probabilities, renormalised by the softmax that reads
 * it); 'mean-prob': the log of the mean of their probabilities, computed as a log-sum-exp so that
 * it stays finite where a probability underflows. Members are asked one after the other, so that
 * only one member's activations are alive at a time, and each may answer asynchronously.
 */
export function ensembleTeacher(members: readonly TeacherModel[], combine: EnsembleCombine): EnsembleTeacher {
  checkEnsembleSize(members.length);
  const frozen = [...members];
  return {
    members: frozen,
    combine,
    async logits(x) {
      const logProbs: tf.Tensor2D[] = [];
      try {
        for (const [i, member] of frozen.entries()) {
          logProbs.push(await memberLogProbs(member, i, x, logProbs[0]?.shape[1] ?? null));
        }
        return tf.tidy(() => {
          const stacked = tf.stack(logProbs) as tf.Tensor3D;
          if (combine === 'mean-log-prob') return tf.mean(stacked, 0) as tf.Tensor2D;
          return tf.sub(tf.logSumExp(stacked, 0), Math.log(frozen.length)) as tf.Tensor2D;
        });
      } finally {
        tf.dispose(logProbs);
      }
    },
  };
}

/** Each member's logits for `x`, read into JS memory (row-major, one array per member): the members' soft targets for the views. */
export async function memberLogits(members: readonly TeacherModel[], x: tf.Tensor2D): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const member of members) {
    const logits = await member.logits(x);
    try {
      out.push((await logits.data()) as Float32Array);
    } finally {
      logits.dispose();
    }
  }
  return out;
}
