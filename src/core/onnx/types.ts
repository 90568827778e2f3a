import type * as tf from '@tensorflow/tfjs';
import type { OnnxLayout } from '../experiment';
import type { TeacherModel } from '../teacher-model';

export type { OnnxLayout };

/** A graph input or output as the model declares it. */
export interface OnnxIo {
  name: string;
  /** 'float32', 'int64', … ('sequence', 'map' … for non-tensor values). */
  elemType: string;
  /** A number, a symbolic name (e.g. 'batch'), or null when unknown; [] when the model declares no shape. */
  dims: (number | string | null)[];
}

export interface OnnxModelInfo {
  /** Graph inputs that are not initializers: what must be fed. */
  inputs: OnnxIo[];
  outputs: OnnxIo[];
  /** The ai.onnx opset version the model is stamped with. */
  opset: number;
  /** Distinct op types used, subgraphs included; ops of other domains than ai.onnx as 'domain:Op'. */
  ops: string[];
  /** Elements in the weight initializers (every initializer but integer, bool and string ones: those are shapes and indices). */
  params: number;
  /** Bytes the initializers take in the file. */
  weightBytes: number;
  externalData: boolean;
  /** Whether `output` is produced by a Softmax node. */
  endsInSoftmax: (output: string) => boolean;
  /** The file the model was read from, for messages. */
  fileName?: string;
}

export interface OnnxChoice {
  input?: string;
  output?: string;
  layout?: OnnxLayout;
}

/** What the person must pick before the model can run; null when nothing is ambiguous. */
export interface OnnxQuestion {
  inputs?: OnnxIo[];
  outputs?: OnnxIo[];
  layouts?: OnnxLayout[];
}

export interface OnnxDatasetShape {
  numFeatures: number;
  /** [height, width, channels] when the rows are images, stored channels-last. */
  imageShape?: [number, number, number];
}

export interface OnnxTeacherOptions {
  fileName: string;
  choice: OnnxChoice;
  onProgress?: (done: number, total: number) => void;
  executionProvider?: 'wasm' | 'webgpu';
}

export interface OnnxTeacherData {
  xTrain: tf.Tensor2D;
  xTest: tf.Tensor2D;
  numClasses: number;
  imageShape?: [number, number, number];
}

export interface OnnxTeacher extends TeacherModel {
  info: OnnxModelInfo;
  layout: OnnxLayout;
  /** The model outputs probabilities (a Softmax node, or rows summing to 1): logits are their logs. */
  outputsProbabilities: boolean;
  /** Logits of xTrain / xTest, row-major [rows, classes]. */
  trainLogits: Float32Array;
  testLogits: Float32Array;
  /** The execution provider the session runs on: 'webgpu' only when asked for and it worked. */
  executionProvider: 'wasm' | 'webgpu';
  dispose(): Promise<void>;
}
