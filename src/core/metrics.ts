import * as tf from '@tensorflow/tfjs';

/** Anything that maps a batch of rows to one output per row: a LayersModel, or a wrapped uploaded model. */
export interface Predictor {
  predict(x: tf.Tensor2D, args?: { batchSize?: number }): tf.Tensor | tf.Tensor[];
}

function predictOne(model: Predictor, x: tf.Tensor2D): tf.Tensor2D {
  // A LayersModel otherwise predicts in batches of 32: 63 small passes for 2,000 test rows.
  const out = model.predict(x, { batchSize: Math.max(1, x.shape[0]) });
  if (Array.isArray(out) || out.rank !== 2) throw new Error('The model must have one output of shape [batch, classes].');
  return out as tf.Tensor2D;
}

/** Logits for `x` in batches, so that large sets do not need one huge activation tensor. */
export function predictLogits(model: Predictor, x: tf.Tensor2D, batchSize = 2000): tf.Tensor2D {
  return tf.tidy(() => {
    const n = x.shape[0];
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const batch = size === n ? x : tf.slice(x, [start, 0], [size, x.shape[1]]);
      parts.push(predictOne(model, batch));
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  });
}

/** Fraction of rows whose arg-max matches the label, as a scalar tensor (read it when convenient). */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')) as tf.Scalar);
}

/** Fraction of rows on which two models pick the same class. */
export function agreement(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(a, 1), tf.argMax(b, 1)), 'float32')) as tf.Scalar);
}

/** Accuracy on the rows of one class (NaN when the set has none of it). */
export function classAccuracy(logits: tf.Tensor2D, labels: tf.Tensor1D, classIndex: number): tf.Scalar {
  return tf.tidy(() => {
    const ofClass = tf.cast(tf.equal(tf.cast(labels, 'int32'), classIndex), 'float32');
    const right = tf.cast(tf.equal(tf.argMax(logits, 1), classIndex), 'float32');
    return tf.div(tf.sum(tf.mul(ofClass, right)), tf.sum(ofClass)) as tf.Scalar;
  });
}
