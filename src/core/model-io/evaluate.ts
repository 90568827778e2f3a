import * as tf from '@tensorflow/tfjs';
import { accuracy, predictLogits } from '../metrics';
import type { ImportedModel } from './types';

async function readScalar(makeScalar: () => tf.Scalar): Promise<number> {
  const s = tf.tidy(makeScalar);
  try {
    return (await s.data())[0];
  } finally {
    s.dispose();
  }
}

/** Test accuracy of an imported model, so the page can show an uploaded teacher's quality before any training. */
export function evaluateWrapper(model: ImportedModel, xTest: tf.Tensor2D, yTest: tf.Tensor1D): Promise<number> {
  return readScalar(() => accuracy(model.predictLogits(xTest), yTest));
}

/** Test accuracy of a layers model as a plain number. */
export function evaluateModelAccuracy(model: tf.LayersModel, xTest: tf.Tensor2D, yTest: tf.Tensor1D): Promise<number> {
  return readScalar(() => accuracy(predictLogits(model, xTest), yTest));
}
