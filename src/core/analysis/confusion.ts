import { checkClassIndices, checkNumClasses, checkSameLength, rowCount } from './checks';

/**
 * Confusion analysis on plain arrays, so that the page can run it on numbers sent by the worker.
 * Logits and probabilities are flat row-major [rows, numClasses] arrays.
 */

/** Index of the largest value in each row; ties go to the lowest index, as tf.argMax does. */
export function argmaxRows(logits: ArrayLike<number>, numClasses: number): Int32Array {
  const n = rowCount(logits, numClasses, 'logits');
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const base = r * numClasses;
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (logits[base + c] > logits[base + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Counts: rows are the true class, columns the predicted class. */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[][] {
  checkNumClasses(numClasses);
  checkSameLength(labels, predictions, 'labels and predictions');
  checkClassIndices(labels, numClasses, 'labels');
  checkClassIndices(predictions, numClasses, 'predictions');
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]][predictions[i]]++;
  return matrix;
}

function checkSquare(matrix: readonly (readonly number[])[], name: string): void {
  matrix.forEach((row, i) => {
    if (row.length !== matrix.length)
      throw new Error(`${name} must be square: row ${i} has ${row.length} entries, expected ${matrix.length}.`);
  });
}

/** Recall of each class (diagonal over row sum); NaN where the class never occurs, since 0 would read as "always wrong". */
export function perClassAccuracy(matrix: readonly (readonly number[])[]): number[] {
  checkSquare(matrix, 'The confusion matrix');
  return matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? row[i] / total : NaN;
  });
}

/** a − b entry by entry: positive where model a puts more rows in a cell than model b. */
export function confusionDifference(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  checkSquare(a, 'The first matrix');
  checkSquare(b, 'The second matrix');
  if (a.length !== b.length) throw new Error(`Matrices must have the same size, got ${a.length}×${a.length} and ${b.length}×${b.length}.`);
  return a.map((row, i) => row.map((v, j) => v - b[i][j]));
}
