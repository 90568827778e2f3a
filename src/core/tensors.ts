import * as tf from '@tensorflow/tfjs';
import type { Dataset } from './data/types';

/** A data set resident on the backend, so that training gathers batches by index without re-uploading. */
export interface DataTensors {
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor1D;
  xTest: tf.Tensor2D;
  yTest: tf.Tensor1D;
}

export function toTensors(d: Dataset): DataTensors {
  return {
    xTrain: tf.tensor2d(d.train.x, [d.train.n, d.numFeatures]),
    yTrain: tf.tensor1d(d.train.y, 'int32'),
    xTest: tf.tensor2d(d.test.x, [d.test.n, d.numFeatures]),
    yTest: tf.tensor1d(d.test.y, 'int32'),
  };
}

export function disposeTensors(t: DataTensors): void {
  tf.dispose([t.xTrain, t.yTrain, t.xTest, t.yTest]);
}

/** Variables that training updates: passing them explicitly keeps other models' weights untouched. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** One optimiser step on `vars`, returning the loss (tfjs types it as possibly null). */
export function minimizeStep(optimizer: tf.Optimizer, loss: () => tf.Scalar, vars: tf.Variable[]): tf.Scalar {
  const value = optimizer.minimize(loss, true, vars);
  if (!value) throw new Error('The optimiser returned no loss value.');
  return value;
}
