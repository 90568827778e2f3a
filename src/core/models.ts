import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from './rng';
import { validateSpec, type ModelShape, type ModelSpec } from './model-spec';
import { setDropoutSeed } from './tfjs-internals';

/** Builds the model with seeded Glorot initialisation: the same seed gives the same weights. */
export function buildModel(spec: ModelSpec, shape: ModelShape, seed: number): tf.LayersModel {
  validateSpec(spec, shape);
  let layerNo = 0;
  const init = () => tf.initializers.glorotUniform({ seed: deriveSeed(seed, ++layerNo) });
  const model = tf.sequential();
  if (spec.kind === 'mlp') {
    spec.hidden.forEach((units, i) => {
      model.add(
        tf.layers.dense({
          units,
          activation: spec.activation,
          kernelInitializer: init(),
          ...(i === 0 ? { inputShape: [shape.numFeatures] } : {}),
        }),
      );
      if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
    });
  } else {
    const imageShape = shape.imageShape as [number, number, number];
    model.add(tf.layers.reshape({ targetShape: imageShape, inputShape: [shape.numFeatures] }));
    for (const filters of spec.filters) {
      model.add(tf.layers.conv2d({ filters, kernelSize: spec.kernelSize, padding: 'same', activation: 'relu', kernelInitializer: init() }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    }
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: spec.dense, activation: 'relu', kernelInitializer: init() }));
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  }
  model.add(
    tf.layers.dense({
      units: shape.numClasses,
      kernelInitializer: init(),
      ...(model.layers.length === 0 ? { inputShape: [shape.numFeatures] } : {}),
    }),
  );
  return model;
}

/**
 * tfjs's Dropout layer reuses one fixed seed for every call, which would freeze the mask; without a
 * seed it draws from Math.random and runs are not reproducible. So the trainer hands each dropout
 * layer a fresh, derived seed before every step (where tfjs still allows it: see setDropoutSeed).
 */
export function reseedDropout(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() === 'Dropout') setDropoutSeed(layer, deriveSeed(seed, i));
  });
}
