import * as tf from '@tensorflow/tfjs';
import { ModelIoError } from './errors';
import type { ImportedModel } from './types';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The config entry of the layer named `name` in a serialized Sequential or functional model. */
function findLayerEntry(topology: unknown, name: string): Record<string, unknown> | undefined {
  const config = isRecord(topology) ? topology.config : undefined;
  const layers = isRecord(config) ? config.layers : config;
  if (!Array.isArray(layers)) return undefined;
  return layers.find((l): l is Record<string, unknown> => isRecord(l) && isRecord(l.config) && l.config.name === name);
}

/** Makes the output layer linear in place; false when the softmax is not one the studio can remove. */
export function removeFinalSoftmax(topology: unknown, outputLayer: string): boolean {
  const entry = findLayerEntry(topology, outputLayer);
  if (!entry || !isRecord(entry.config)) return false;
  if (entry.class_name === 'Softmax') {
    entry.class_name = 'Activation';
    entry.config = {
      name: entry.config.name,
      trainable: entry.config.trainable ?? true,
      dtype: entry.config.dtype ?? 'float32',
      activation: 'linear',
    };
    return true;
  }
  if (entry.config.activation !== 'softmax') return false;
  entry.config.activation = 'linear';
  return true;
}

/**
 * A trainable copy of an imported model that outputs logits (its final softmax, if any, made
 * linear), for use as the student. The caller owns the copy; the imported model is untouched.
 * Graph models are inference-only in tfjs, so they can be teachers but never students.
 */
export async function toStudentModel(model: ImportedModel): Promise<tf.LayersModel> {
  const source = model.layersModel;
  if (model.kind === 'graph' || !source) {
    throw new ModelIoError(
      'graph-not-trainable',
      'A graph model is inference-only: it can be the teacher but not the student. To train an uploaded model as the student, upload a layers model (model.json with format "layers-model").',
    );
  }
  const json = source.toJSON();
  const topology: unknown = JSON.parse(typeof json === 'string' ? json : JSON.stringify(json));
  const outputLayer = source.outputs[0].sourceLayer.name;
  if (model.outputsProbabilities && !removeFinalSoftmax(topology, outputLayer)) {
    throw new ModelIoError(
      'unsupported-model',
      `The model outputs probabilities, but not through a softmax the studio can remove (output layer '${outputLayer}'), so it cannot be trained as a student on logits.`,
    );
  }
  const copy = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: isRecord(topology) ? topology : {} }));
  copy.setWeights(source.getWeights());
  return copy;
}
