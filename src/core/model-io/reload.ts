import * as tf from '@tensorflow/tfjs';
import { strToU8 } from 'fflate';
import { ownBuffer, toArtifacts } from './artifacts';
import { parseModelJson } from './manifest';
import type { ExportedModel, ModelFile } from './types';

/** Loads an export back exactly as tf.loadLayersModel would from the two files (quantized weights are decoded by tfjs). */
export async function loadExported(exported: ExportedModel): Promise<tf.LayersModel> {
  const doc = parseModelJson('model.json', exported.modelJson);
  return tf.loadLayersModel(tf.io.fromMemory(toArtifacts(doc, ownBuffer(exported.weights))));
}

/** The two files of an export, as importModel and a person's file picker see them. */
export function exportedFiles(exported: ExportedModel): ModelFile[] {
  return [
    { name: 'model.json', bytes: strToU8(exported.modelJson) },
    { name: exported.weightsFileName, bytes: exported.weights },
  ];
}
