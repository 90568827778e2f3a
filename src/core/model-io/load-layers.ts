import * as tf from '@tensorflow/tfjs';
import { ModelIoError, errorMessage, formatShape } from './errors';
import { firstUnknownLayer } from './layer-classes';
import { layerOfWeight } from './manifest';
import type { ModelJsonDoc } from './types';

export function unknownLayerError(className: string): ModelIoError {
  return new ModelIoError(
    'unknown-layer',
    `Unknown layer '${className}': this model uses a custom layer that the studio cannot load. Rebuild it from built-in Keras/TF.js layers, or export it as a graph model to use it as a teacher.`,
  );
}

function sameShape(a: readonly (number | null)[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Names and shapes of the manifest against the weights the topology creates, for a message that names the culprit. */
function checkWeightsMatch(jsonName: string, model: tf.LayersModel, specs: readonly tf.io.WeightsManifestEntry[]): void {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  for (const v of model.weights) {
    wanted.add(v.originalName);
    const spec = byName.get(v.originalName);
    if (!spec) {
      throw new ModelIoError(
        'weight-mismatch',
        `'${jsonName}' has no weight '${v.originalName}' (shape ${formatShape(v.shape)}) that layer '${layerOfWeight(v.originalName)}' needs: its weightsManifest does not match its topology.`,
      );
    }
    if (!sameShape(v.shape, spec.shape)) {
      throw new ModelIoError(
        'weight-mismatch',
        `Weight '${v.originalName}' has shape ${formatShape(spec.shape)} in '${jsonName}' but layer '${layerOfWeight(v.originalName)}' expects ${formatShape(v.shape)}: the weightsManifest does not match the topology.`,
      );
    }
  }
  const extra = specs.find((s) => !wanted.has(s.name));
  if (extra) {
    throw new ModelIoError('weight-mismatch', `'${jsonName}' lists weight '${extra.name}' that no layer of the model has: its weightsManifest does not match its topology.`);
  }
}

async function buildFromTopology(doc: ModelJsonDoc): Promise<tf.LayersModel> {
  const unknown = firstUnknownLayer(doc.modelTopology);
  if (unknown) throw unknownLayerError(unknown);
  try {
    // Topology only: the weights are checked by name and shape before any of them are decoded.
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: doc.modelTopology }));
  } catch (e) {
    const m = /Unknown layer: ([^.\s]+)/.exec(errorMessage(e));
    if (m) throw unknownLayerError(m[1]);
    throw new ModelIoError('load-failed', `Could not build the model from its topology: ${errorMessage(e)}`);
  }
}

/**
 * A layers model from model.json and its checked weight bytes. Instead of handing both to
 * tf.loadLayersModel at once, it builds the topology, checks, then loads the weights, so that a
 * mismatch gets a precise message and the half-built model is disposed rather than leaked.
 */
export async function loadLayersModel(jsonName: string, doc: ModelJsonDoc, weightData: ArrayBuffer): Promise<tf.LayersModel> {
  const model = await buildFromTopology(doc);
  try {
    const specs = doc.weightsManifest.flatMap((g) => g.weights);
    const modelSpecs = specs.filter((s) => s.group !== 'optimizer');
    checkWeightsMatch(jsonName, model, modelSpecs);
    const decoded = tf.io.decodeWeights(weightData, specs);
    try {
      const modelWeights: tf.NamedTensorMap = {};
      for (const s of modelSpecs) modelWeights[s.name] = decoded[s.name];
      model.loadWeights(modelWeights, true);
    } finally {
      tf.dispose(decoded);
    }
    return model;
  } catch (e) {
    model.dispose();
    if (e instanceof ModelIoError) throw e;
    throw new ModelIoError('load-failed', `Could not load the weights into the model: ${errorMessage(e)}`);
  }
}
