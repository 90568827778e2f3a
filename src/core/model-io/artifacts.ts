import type * as tf from '@tensorflow/tfjs';
import type { ModelJsonDoc } from './types';

/** The in-memory artifacts tf.io.fromMemory takes, from model.json and the weights of all its groups in order. */
export function toArtifacts(doc: ModelJsonDoc, weightData: ArrayBuffer): tf.io.ModelArtifacts {
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: doc.modelTopology,
    format: doc.format,
    generatedBy: doc.generatedBy,
    convertedBy: doc.convertedBy ?? undefined,
    weightSpecs: doc.weightsManifest.flatMap((group) => group.weights),
    weightData,
  };
  if (doc.signature) artifacts.signature = doc.signature;
  if (doc.userDefinedMetadata) artifacts.userDefinedMetadata = doc.userDefinedMetadata;
  return artifacts;
}

/** A copy of `bytes` as its own ArrayBuffer (a view may sit inside a larger, shared buffer). */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
