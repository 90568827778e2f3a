import * as tf from '@tensorflow/tfjs';

/** One moment accumulator as tfjs's AdamOptimizer keeps it, per variable, in applyGradients' order. */
export interface AdamMoment {
  originalName: string;
  variable: tf.Variable;
}

/**
 * The private state of tfjs-core 4.22's AdamOptimizer that an update of our own must read and
 * write so that getWeights, setWeights, dispose and a later stock step all still work: the moment
 * lists (the live arrays; setWeights replaces them, so read them anew for each step) and the
 * running powers of beta1 and beta2.
 */
export interface AdamPrivateState {
  accumulatedFirstMoment: (AdamMoment | undefined)[];
  accumulatedSecondMoment: (AdamMoment | undefined)[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

function field(optimizer: tf.AdamOptimizer, name: keyof AdamPrivateState): unknown {
  return Object.getOwnPropertyDescriptor(optimizer, name)?.value;
}

/** Reads the private state, or throws naming the field that tfjs no longer has (the contract test's failure). */
export function adamPrivateState(optimizer: tf.AdamOptimizer): AdamPrivateState {
  const first = field(optimizer, 'accumulatedFirstMoment');
  const second = field(optimizer, 'accumulatedSecondMoment');
  const accBeta1 = field(optimizer, 'accBeta1');
  const accBeta2 = field(optimizer, 'accBeta2');
  const missing = (what: string) => new Error(`tfjs's AdamOptimizer has no ${what} field any more: fused Adam cannot keep its state.`);
  if (!Array.isArray(first)) throw missing('accumulatedFirstMoment array');
  if (!Array.isArray(second)) throw missing('accumulatedSecondMoment array');
  if (!(accBeta1 instanceof tf.Variable)) throw missing('accBeta1 variable');
  if (!(accBeta2 instanceof tf.Variable)) throw missing('accBeta2 variable');
  return { accumulatedFirstMoment: first, accumulatedSecondMoment: second, accBeta1, accBeta2 };
}
