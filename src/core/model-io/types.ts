import type * as tf from '@tensorflow/tfjs';

/** A file as the worker receives it from the page's File objects. */
export interface ModelFile {
  name: string;
  bytes: Uint8Array;
}

/** The two files of a TF.js layers model: model.json and its single weights shard. */
export interface ExportedModel {
  /** The text of model.json; its weightsManifest names `weightsFileName`. */
  modelJson: string;
  weights: Uint8Array;
  weightsFileName: string;
  /** model.json (UTF-8) plus weights: what a download of both files costs. */
  bytes: number;
}

export type WeightQuantization = 'float16' | 'uint8';

/** The fields of model.json that loading reads. */
export interface ModelJsonDoc {
  modelTopology: object;
  weightsManifest: tf.io.WeightsManifestConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: object;
  userDefinedMetadata?: { [key: string]: object };
}

/**
 * A loaded model behind one interface, whether it came as a layers model or a graph model.
 * predictLogits always takes flat rows [n, prod(inputShape)] and always returns logits.
 */
export interface ImportedModel {
  readonly kind: 'layers' | 'graph';
  /** Per-sample input shape, without the batch dimension. */
  readonly inputShape: readonly number[];
  readonly numOutputs: number;
  /** True when the model ends in a softmax: predictLogits then returns log(clip(p)). */
  readonly outputsProbabilities: boolean;
  /** Present for layers models only; owned by this wrapper (dispose() frees it). */
  readonly layersModel?: tf.LayersModel;
  predictLogits(x: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}
