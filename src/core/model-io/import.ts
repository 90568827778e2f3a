import type * as tf from '@tensorflow/tfjs';
import { toArtifacts } from './artifacts';
import { findModelJson } from './find-model-json';
import { checkWeightsFinite } from './finite-check';
import { layersPredictor } from './layers-predictor';
import { loadGraphPredictor } from './load-graph';
import { loadLayersModel } from './load-layers';
import { modelKind } from './manifest';
import { collectWeightData } from './shards';
import type { ImportedModel, ModelFile } from './types';
import { wrapPredictor, type Predictor } from './wrap';
import { expandZips } from './zip';

/**
 * A model from the files a person chose: model.json (or any model JSON) with its .bin shards, or a
 * .zip of them. Everything that can be checked on the bytes is checked before any tensor exists;
 * whatever fails later is disposed before the error is thrown. Throws ModelIoError.
 */
export async function importModel(files: readonly ModelFile[]): Promise<ImportedModel> {
  const all = expandZips(files);
  const { name, doc } = findModelJson(all);
  const kind = modelKind(name, doc);
  const weightData = collectWeightData(name, doc.weightsManifest, all);
  checkWeightsFinite(doc.weightsManifest, weightData);
  const predictor: Predictor =
    kind === 'layers'
      ? layersPredictorOwning(await loadLayersModel(name, doc, weightData))
      : await loadGraphPredictor(name, doc, toArtifacts(doc, weightData));
  try {
    return await wrapPredictor(predictor);
  } catch (e) {
    predictor.dispose();
    throw e;
  }
}

/** layersPredictor takes ownership only once it returns; dispose the model if it refuses. */
function layersPredictorOwning(model: tf.LayersModel): Predictor {
  try {
    return layersPredictor(model);
  } catch (e) {
    model.dispose();
    throw e;
  }
}
