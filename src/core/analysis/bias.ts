import { checkClassIndices, checkSameLength, rowCount } from './checks';

export interface BiasedAccuracy {
  overall: number;
  /** Accuracy on the rows of the biased class (NaN when there are none). */
  onClass: number;
}

/**
 * Accuracy after adding `bias` to one class's logit: Hinton et al.'s correction for a class the
 * student never saw in its transfer set, whose logit comes out too low.
 */
export function biasedAccuracy(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  classIndex: number,
  bias: number,
): BiasedAccuracy {
  const n = rowCount(logits, numClasses, 'logits');
  checkSameLength(labels, { length: n }, 'labels and logit rows');
  checkClassIndices(labels, numClasses, 'labels');
  checkClassIndices([classIndex], numClasses, 'classIndex');
  let right = 0;
  let ofClass = 0;
  let rightOfClass = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < numClasses; c++) {
      const v = logits[i * numClasses + c] + (c === classIndex ? bias : 0);
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    const hit = best === labels[i];
    if (hit) right++;
    if (labels[i] === classIndex) {
      ofClass++;
      if (hit) rightOfClass++;
    }
  }
  return { overall: n === 0 ? Number.NaN : right / n, onClass: ofClass === 0 ? Number.NaN : rightOfClass / ofClass };
}

/**
 * The bias (on a grid from `from` to `to`) that maximises overall accuracy, as Hinton et al. chose
 * theirs (3.5, on the test set): a reading of how far the class's logit is off, not a tuned model.
 */
export function bestBias(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  classIndex: number,
  from = 0,
  to = 15,
  step = 0.5,
): BiasedAccuracy & { bias: number } {
  let best = { bias: from, ...biasedAccuracy(logits, labels, numClasses, classIndex, from) };
  for (let i = 1; from + i * step <= to + 1e-9; i++) {
    const bias = from + i * step;
    const r = biasedAccuracy(logits, labels, numClasses, classIndex, bias);
    if (r.overall > best.overall) best = { bias, ...r };
  }
  return best;
}
