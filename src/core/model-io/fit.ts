import { ModelIoError, formatShape } from './errors';
import type { ImportedModel } from './types';

/** What a model must fit: the data set's shape (a subset of Dataset and ModelShape). */
export interface DataShape {
  numFeatures: number;
  numClasses: number;
  imageShape?: readonly [number, number, number];
}

export interface FitProblem {
  code: 'input-mismatch' | 'output-mismatch';
  message: string;
}

function squeezeOnes(shape: readonly number[]): string {
  return shape.filter((d) => d !== 1).join(',');
}

/**
 * Why the model cannot be used on this data, or null when it can. Image models take the flat rows
 * only when the data set's image shape is theirs: dropping size-1 dimensions keeps the row-major
 * order, so [28,28,1] data feeds a [28,28] or [1,28,28] input, but [28,28,3] never feeds [3,28,28].
 */
export function findFitProblem(model: ImportedModel, data: DataShape): FitProblem | null {
  const inShape = model.inputShape;
  const inSize = inShape.reduce((a, b) => a * b, 1);
  const dataShape = formatShape(data.imageShape ?? [data.numFeatures]);
  const input = (message: string): FitProblem => ({ code: 'input-mismatch', message });
  if (inShape.length === 1) {
    if (inShape[0] !== data.numFeatures) {
      return input(
        `The model expects inputs of shape ${formatShape(inShape)} but the data set has ${data.numFeatures} features per sample (${dataShape}).`,
      );
    }
  } else if (!data.imageShape) {
    return input(
      `The model expects images of shape ${formatShape(inShape)} but the data set has flat rows of ${data.numFeatures} features and no image shape.`,
    );
  } else if (inSize !== data.numFeatures || squeezeOnes(inShape) !== squeezeOnes(data.imageShape)) {
    return input(`The model expects inputs of shape ${formatShape(inShape)} but the data set's samples have shape ${dataShape}.`);
  }
  if (model.numOutputs !== data.numClasses) {
    return {
      code: 'output-mismatch',
      message: `The model outputs ${model.numOutputs} classes (shape [batch,${model.numOutputs}]) but the data set has ${data.numClasses} classes (shape [batch,${data.numClasses}]).`,
    };
  }
  return null;
}

/** Throws ModelIoError ('input-mismatch' or 'output-mismatch') when the model does not fit the data. */
export function checkModelFits(model: ImportedModel, data: DataShape): void {
  const problem = findFitProblem(model, data);
  if (problem) throw new ModelIoError(problem.code, problem.message);
}
