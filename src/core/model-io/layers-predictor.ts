import type * as tf from '@tensorflow/tfjs';
import { ModelIoError, formatShape } from './errors';
import type { Predictor } from './wrap';

function endsInSoftmax(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'Softmax' || layer.getConfig().activation === 'softmax';
}

/** The studio's view of a layers model: one input of fixed size, one output. Takes ownership of `model`. */
export function layersPredictor(model: tf.LayersModel): Predictor {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ModelIoError(
      'unsupported-model',
      `The model has ${model.inputs.length} input(s) and ${model.outputs.length} output(s); the studio needs exactly one of each.`,
    );
  }
  const shape = model.inputs[0].shape.slice(1);
  if (!shape.every((d): d is number => typeof d === 'number' && d > 0)) {
    throw new ModelIoError(
      'unsupported-model',
      `The model's input shape ${formatShape(shape)} has unknown sizes; the studio needs a fixed input size.`,
    );
  }
  return {
    kind: 'layers',
    inputShape: shape,
    structuralSoftmax: endsInSoftmax(model.outputs[0].sourceLayer),
    run: (x) => {
      // One pass: predict's default batch of 32 cut 10,000 rows into 313 calls, most of the run's first seconds.
      const out = model.predict(x, { batchSize: Math.max(1, x.shape[0]) });
      return Array.isArray(out) ? out[0] : out;
    },
    dispose: () => model.dispose(),
    layersModel: model,
  };
}
