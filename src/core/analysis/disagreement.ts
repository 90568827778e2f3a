import { meanKL } from './calibration';
import { checkSameLength, rowCount } from './checks';
import { rowOf } from './explorer';

/** One test row and how far the student's probabilities are from the teacher's there. */
export interface Disagreement {
  index: number;
  /** KL(teacher ‖ student) in nats. */
  kl: number;
}

/**
 * KL(softmax(teacher/T) ‖ softmax(student/T)) for each row: how much of the teacher's belief the
 * student fails to reproduce on that example. T = 1 by default, since that is how the models answer once trained.
 */
export function klPerRow(teacher: Float32Array, student: Float32Array, numClasses: number, temperature = 1): Float64Array {
  checkSameLength(teacher, student, 'teacher and student logits');
  const n = rowCount(teacher, numClasses, 'teacher logits');
  const out = new Float64Array(n);
  // A single row's mean is that row's KL: the same numerics (log-softmax, 0·log 0 = 0) as the loss the run reported.
  for (let r = 0; r < n; r++) out[r] = meanKL(rowOf(teacher, numClasses, r), rowOf(student, numClasses, r), numClasses, temperature);
  return out;
}

/** Every row, the largest disagreement first; equal ones in row order, so the ranking is stable from one render to the next. */
export function rankDisagreements(teacher: Float32Array, student: Float32Array, numClasses: number, temperature = 1): Disagreement[] {
  const kl = klPerRow(teacher, student, numClasses, temperature);
  return Array.from(kl, (value, index) => ({ index, kl: value })).sort((a, b) => b.kl - a.kl || a.index - b.index);
}
