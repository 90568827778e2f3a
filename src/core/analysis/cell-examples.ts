import { checkClassIndices, checkSameLength } from './checks';

/** The rows of one confusion-matrix cell: true class `trueClass`, predicted `predicted`, in row order. */
export function cellExamples(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  trueClass: number,
  predicted: number,
  numClasses: number,
): number[] {
  checkSameLength(labels, predictions, 'labels and predictions');
  checkClassIndices([trueClass, predicted], numClasses, 'the cell');
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === trueClass && predictions[i] === predicted) rows.push(i);
  return rows;
}
