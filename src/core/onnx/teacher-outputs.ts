/**
 * Checks and conversions of an ONNX model's scores: no NaN or infinity, and probabilities (a
 * Softmax output, or every row non-negative and summing to 1) turned into logits by their logs, so
 * that a teacher's logits() always gives logits.
 */

/** Probabilities are clamped here before their log: log(0) would be -Infinity. */
export const MIN_PROBABILITY = 1e-7;
/** How far from 1 a row of probabilities may sum (float32 softmax outputs drift by ~1e-6). */
const SUM_TOLERANCE = 1e-3;

/** The non-finite values' rows: how many, and the first. */
export function nonFiniteRows(values: Float32Array, classes: number): { count: number; first: number } {
  let count = 0;
  let first = -1;
  const rows = classes > 0 ? values.length / classes : 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < classes; c++) {
      if (!Number.isFinite(values[r * classes + c])) {
        if (first < 0) first = r;
        count++;
        break;
      }
    }
  }
  return { count, first };
}

/** Every row non-negative and summing to 1 (an empty split says nothing against it). */
export function rowsAreProbabilities(values: Float32Array, classes: number): boolean {
  const rows = classes > 0 ? values.length / classes : 0;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const p = values[r * classes + c];
      if (!(p >= 0)) return false;
      sum += p;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) return false;
  }
  return true;
}

/** Every row the log of probabilities (what probabilitiesToLogits made): ≤ 0 and exp summing to 1. */
export function rowsAreLogProbabilities(values: Float32Array, classes: number): boolean {
  const rows = classes > 0 ? values.length / classes : 0;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const v = values[r * classes + c];
      if (!(v <= 1e-6)) return false;
      sum += Math.exp(v);
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) return false;
  }
  return true;
}

/** log(max(p, MIN_PROBABILITY)) of every value, in place. */
export function probabilitiesToLogits(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = Math.log(Math.max(values[i], MIN_PROBABILITY));
  return values;
}
