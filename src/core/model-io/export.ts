import * as tf from '@tensorflow/tfjs';
import { strToU8 } from 'fflate';
import { quantizeWeights } from './quantize';
import type { ExportedModel, ModelJsonDoc, WeightQuantization } from './types';

export interface ExportOptions {
  /** Base of the weights file name: '<name>.weights.bin'. */
  name?: string;
  quantization?: WeightQuantization;
  /** Stored as model.json's userDefinedMetadata (e.g. the spec and data set it was trained on). */
  metadata?: { [key: string]: object };
}

/** A name safe in a file name and a URL, since the manifest path is resolved relative to model.json. */
export function safeFileBase(name: string): string {
  const cleaned = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return cleaned === '' ? 'model' : cleaned;
}

async function saveArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!saved) throw new Error('The model produced no artifacts to save.');
  return saved;
}

/**
 * model.json text and weights bytes of a layers model, saved without the DOM (browserDownloads
 * needs `document`; this runs in the worker). tf.loadLayersModel reads them back from files named
 * model.json and '<name>.weights.bin'.
 */
export async function exportModel(model: tf.LayersModel, options: ExportOptions = {}): Promise<ExportedModel> {
  const artifacts = await saveArtifacts(model);
  const specs = artifacts.weightSpecs ?? [];
  const raw = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const packed = options.quantization ? quantizeWeights(specs, raw, options.quantization) : { specs, data: new Uint8Array(raw) };
  const weightsFileName = `${safeFileBase(options.name ?? 'model')}.weights.bin`;
  // trainingConfig is left out on purpose: the studio's losses are not Keras losses, and a loader
  // that tried to compile them would fail.
  const doc: ModelJsonDoc = {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [weightsFileName], weights: packed.specs }],
    ...(options.metadata ? { userDefinedMetadata: options.metadata } : {}),
  };
  const modelJson = JSON.stringify(doc);
  return { modelJson, weights: packed.data, weightsFileName, bytes: strToU8(modelJson).byteLength + packed.data.byteLength };
}
