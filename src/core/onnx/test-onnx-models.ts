/**
 * Test-only: real ONNX models written byte by byte from given weights (the protobuf writer in
 * test-protobuf-writer.ts), and the same networks computed with TF.js ops, so that tests can compare
 * what ONNX Runtime gives against an independent computation. Used by the core, worker and e2e tests;
 * product code never imports this.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../rng';
import {
  bytesField,
  concatBytes,
  float32Bytes,
  floatField,
  intField,
  messageField,
  packedFloats,
  stringField,
} from './test-protobuf-writer';

/** ONNX TensorProto.DataType numbers the tests use. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export type AttrValue = number | number[] | string | { float: number };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, AttrValue>;
  domain?: string;
}

export interface TensorSpec {
  name: string;
  dims: number[];
  values: ArrayLike<number>;
  /** Weights stored in float_data instead of raw_data (older exporters do this). */
  floatData?: boolean;
  /** Marked as stored in another file (data_location EXTERNAL), as large PyTorch exports are. */
  external?: boolean;
}

export interface IoSpec {
  name: string;
  dims: (number | string)[];
  elemType?: number;
}

export interface ModelSpec {
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: IoSpec[];
  outputs: IoSpec[];
  opset?: number;
  irVersion?: number;
  extraOpsets?: { domain: string; version: number }[];
  /** Also list the initializers as graph inputs (IR < 4 exporters did): they are not model inputs. */
  initializersAsInputs?: boolean;
}

function attribute(name: string, value: AttrValue): Uint8Array {
  // AttributeProto: name 1, f 2, i 3, s 4, floats 7, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
  if (typeof value === 'number') return concatBytes([stringField(1, name), intField(3, value), intField(20, 2)]);
  if (typeof value === 'string') return concatBytes([stringField(1, name), stringField(4, value), intField(20, 3)]);
  if (Array.isArray(value)) return concatBytes([stringField(1, name), ...value.map((v) => intField(8, v)), intField(20, 7)]);
  return concatBytes([stringField(1, name), floatField(2, value.float), intField(20, 1)]);
}

function nodeProto(n: NodeSpec, index: number): Uint8Array {
  // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
  return concatBytes([
    ...n.inputs.map((i) => stringField(1, i)),
    ...n.outputs.map((o) => stringField(2, o)),
    stringField(3, `${n.op}_${index}`),
    stringField(4, n.op),
    ...Object.entries(n.attrs ?? {}).map(([k, v]) => messageField(5, [attribute(k, v)])),
    ...(n.domain ? [stringField(7, n.domain)] : []),
  ]);
}

function tensorProto(t: TensorSpec): Uint8Array {
  // TensorProto: dims 1 (unpacked, as onnx's Python writer does), data_type 2, float_data 4, name 8,
  // raw_data 9, external_data 13, data_location 14.
  const parts = [...t.dims.map((d) => intField(1, d)), intField(2, ONNX_FLOAT), stringField(8, t.name)];
  if (t.external) {
    const entry = (k: string, v: string) => messageField(13, [stringField(1, k), stringField(2, v)]);
    parts.push(entry('location', 'weights.bin'), entry('offset', '0'), entry('length', String(t.values.length * 4)), intField(14, 1));
  } else if (t.floatData) {
    parts.push(packedFloats(4, t.values));
  } else {
    parts.push(bytesField(9, float32Bytes(t.values)));
  }
  return concatBytes(parts);
}

function valueInfo(io: IoSpec): Uint8Array {
  // ValueInfoProto: name 1, type 2 → TypeProto.tensor_type 1 → elem_type 1, shape 2 → dim 1 → dim_value 1 | dim_param 2.
  const dims = io.dims.map((d) => messageField(1, [typeof d === 'number' ? intField(1, d) : stringField(2, d)]));
  const tensorType = messageField(1, [intField(1, io.elemType ?? ONNX_FLOAT), messageField(2, dims)]);
  return concatBytes([stringField(1, io.name), messageField(2, [tensorType])]);
}

/** A ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8. */
export function onnxModel(spec: ModelSpec): Uint8Array {
  const graph = [
    ...spec.nodes.map((n, i) => messageField(1, [nodeProto(n, i)])),
    stringField(2, 'test-graph'),
    ...spec.initializers.map((t) => messageField(5, [tensorProto(t)])),
    ...spec.inputs.map((io) => messageField(11, [valueInfo(io)])),
    ...(spec.initializersAsInputs ? spec.initializers.map((t) => messageField(11, [valueInfo({ name: t.name, dims: t.dims })])) : []),
    ...spec.outputs.map((io) => messageField(12, [valueInfo(io)])),
  ];
  const opsets = [{ domain: '', version: spec.opset ?? 17 }, ...(spec.extraOpsets ?? [])];
  return concatBytes([
    intField(1, spec.irVersion ?? 8),
    stringField(2, 'distill-studio-tests'),
    messageField(7, graph),
    ...opsets.map((o) => messageField(8, [stringField(1, o.domain), intField(2, o.version)])),
  ]);
}

const randomValues = (n: number, rng: () => number, scale: number): Float32Array =>
  Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);

/** An MLP's weights in PyTorch's layout (Linear: weight [out, in]), so the Gemms use transB=1. */
export interface MlpWeights {
  inputs: number;
  hidden: number;
  classes: number;
  w1: Float32Array; // [hidden, inputs]
  b1: Float32Array;
  w2: Float32Array; // [classes, hidden]
  b2: Float32Array;
}

export function randomMlpWeights(inputs: number, hidden: number, classes: number, seed: number): MlpWeights {
  const rng = createRng(seed);
  return {
    inputs,
    hidden,
    classes,
    w1: randomValues(hidden * inputs, rng, 1 / Math.sqrt(inputs)),
    b1: randomValues(hidden, rng, 0.1),
    w2: randomValues(classes * hidden, rng, 1 / Math.sqrt(hidden)),
    b2: randomValues(classes, rng, 0.1),
  };
}

export interface MlpOptions {
  /** The batch dimension: symbolic by default ('N'), or a fixed size. */
  batch?: number | string;
  /** Per-sample input dims when not [inputs] (a Flatten node comes first), e.g. [28, 28, 1]. */
  sampleDims?: number[];
  opset?: number;
}

function mlpSpec(w: MlpWeights, options: MlpOptions = {}): ModelSpec {
  const batch = options.batch ?? 'N';
  const flatten = options.sampleDims !== undefined;
  const nodes: NodeSpec[] = [
    ...(flatten ? [{ op: 'Flatten', inputs: ['input'], outputs: ['flat'], attrs: { axis: 1 } }] : []),
    { op: 'Gemm', inputs: [flatten ? 'flat' : 'input', 'w1', 'b1'], outputs: ['pre'], attrs: { transB: 1 } },
    { op: 'Relu', inputs: ['pre'], outputs: ['hidden'] },
    { op: 'Gemm', inputs: ['hidden', 'w2', 'b2'], outputs: ['logits'], attrs: { transB: 1 } },
  ];
  return {
    nodes,
    initializers: [
      { name: 'w1', dims: [w.hidden, w.inputs], values: w.w1 },
      { name: 'b1', dims: [w.hidden], values: w.b1, floatData: true },
      { name: 'w2', dims: [w.classes, w.hidden], values: w.w2 },
      { name: 'b2', dims: [w.classes], values: w.b2 },
    ],
    inputs: [{ name: 'input', dims: [batch, ...(options.sampleDims ?? [w.inputs])] }],
    outputs: [{ name: 'logits', dims: [batch, w.classes] }],
    opset: options.opset,
  };
}

/** Gemm → Relu → Gemm, input 'input' [N, inputs] (dynamic batch 'N'), output 'logits'. */
export const mlpOnnx = (w: MlpWeights, options?: MlpOptions): Uint8Array => onnxModel(mlpSpec(w, options));

/** The MLP followed by a Softmax: output 'probs' holds probabilities. */
export function softmaxOnnx(w: MlpWeights): Uint8Array {
  const spec = mlpSpec(w);
  spec.nodes.push({ op: 'Softmax', inputs: ['logits'], outputs: ['probs'], attrs: { axis: 1 } });
  spec.outputs = [{ name: 'probs', dims: ['N', w.classes] }];
  return onnxModel(spec);
}

/** The MLP with two outputs: 'hidden' [N, hidden] (after the Relu) and 'logits' [N, classes]. */
export function twoOutputsOnnx(w: MlpWeights): Uint8Array {
  const spec = mlpSpec(w);
  spec.outputs = [{ name: 'hidden', dims: ['N', w.hidden] }, ...spec.outputs];
  return onnxModel(spec);
}

/** The MLP's logits computed with TF.js ops, from rows [N, inputs] (any per-sample layout, flattened). */
export function mlpLogitsTf(x: tf.Tensor2D, w: MlpWeights): tf.Tensor2D {
  return tf.tidy(() => {
    const w1 = tf.tensor2d(w.w1, [w.hidden, w.inputs]);
    const w2 = tf.tensor2d(w.w2, [w.classes, w.hidden]);
    const h = tf.relu(tf.matMul(x, w1, false, true).add(tf.tensor1d(w.b1)));
    return tf.matMul(h, w2, false, true).add(tf.tensor1d(w.b2)) as tf.Tensor2D;
  });
}

/** A small CNN's weights in PyTorch's layout (Conv2d weight [out, in, kh, kw]), 3×3 kernels, 'same' padding. */
export interface CnnWeights {
  height: number;
  width: number;
  channels: number;
  filters: number;
  classes: number;
  convW: Float32Array; // [filters, channels, 3, 3]
  convB: Float32Array;
  bnScale: Float32Array;
  bnBias: Float32Array;
  bnMean: Float32Array;
  bnVar: Float32Array;
  fcW: Float32Array; // [classes, filters * height/2 * width/2], flattened in CHW order
  fcB: Float32Array;
}

export function randomCnnWeights(
  shape: { height: number; width: number; channels: number; filters: number; classes: number },
  seed: number,
): CnnWeights {
  const rng = createRng(seed);
  const { height, width, channels, filters, classes } = shape;
  const flat = filters * (height / 2) * (width / 2);
  return {
    ...shape,
    convW: randomValues(filters * channels * 9, rng, 1 / Math.sqrt(channels * 9)),
    convB: randomValues(filters, rng, 0.1),
    bnScale: Float32Array.from({ length: filters }, () => 0.5 + rng()),
    bnBias: randomValues(filters, rng, 0.2),
    bnMean: randomValues(filters, rng, 0.2),
    bnVar: Float32Array.from({ length: filters }, () => 0.5 + rng()),
    fcW: randomValues(classes * flat, rng, 1 / Math.sqrt(flat)),
    fcB: randomValues(classes, rng, 0.1),
  };
}

/** Conv → BatchNormalization → Relu → MaxPool(2) → Flatten → Gemm, input 'image' [N, C, H, W] as PyTorch exports it. */
export function cnnNchwOnnx(w: CnnWeights): Uint8Array {
  const flat = w.filters * (w.height / 2) * (w.width / 2);
  return onnxModel({
    nodes: [
      { op: 'Conv', inputs: ['image', 'conv.w', 'conv.b'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      {
        op: 'BatchNormalization',
        inputs: ['c', 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var'],
        outputs: ['bn'],
        attrs: { epsilon: { float: 1e-5 } },
      },
      { op: 'Relu', inputs: ['bn'], outputs: ['r'] },
      { op: 'MaxPool', inputs: ['r'], outputs: ['p'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
      { op: 'Flatten', inputs: ['p'], outputs: ['f'], attrs: { axis: 1 } },
      { op: 'Gemm', inputs: ['f', 'fc.w', 'fc.b'], outputs: ['logits'], attrs: { transB: 1 } },
    ],
    initializers: [
      { name: 'conv.w', dims: [w.filters, w.channels, 3, 3], values: w.convW },
      { name: 'conv.b', dims: [w.filters], values: w.convB },
      { name: 'bn.scale', dims: [w.filters], values: w.bnScale },
      { name: 'bn.bias', dims: [w.filters], values: w.bnBias },
      { name: 'bn.mean', dims: [w.filters], values: w.bnMean },
      { name: 'bn.var', dims: [w.filters], values: w.bnVar },
      { name: 'fc.w', dims: [w.classes, flat], values: w.fcW },
      { name: 'fc.b', dims: [w.classes], values: w.fcB },
    ],
    inputs: [{ name: 'image', dims: ['batch', w.channels, w.height, w.width] }],
    outputs: [{ name: 'logits', dims: ['batch', w.classes] }],
  });
}

/** The CNN computed with TF.js ops from the data set's rows (each an H×W×C image, NHWC order). */
export function cnnLogitsTf(x: tf.Tensor2D, w: CnnWeights): tf.Tensor2D {
  return tf.tidy(() => {
    const images = x.reshape([-1, w.height, w.width, w.channels]) as tf.Tensor4D;
    const filter = tf.tensor4d(w.convW, [w.filters, w.channels, 3, 3]).transpose([2, 3, 1, 0]) as tf.Tensor4D;
    const conv = tf.conv2d(images, filter, 1, 'same').add(tf.tensor1d(w.convB));
    const bn = tf.batchNorm(conv, tf.tensor1d(w.bnMean), tf.tensor1d(w.bnVar), tf.tensor1d(w.bnBias), tf.tensor1d(w.bnScale), 1e-5);
    const pooled = tf.maxPool(tf.relu(bn) as tf.Tensor4D, 2, 2, 'valid');
    // ONNX flattens [N, C, H, W]: channels first.
    const flat = pooled.transpose([0, 3, 1, 2]).reshape([images.shape[0], -1]) as tf.Tensor2D;
    const fcW = tf.tensor2d(w.fcW, [w.classes, w.filters * (w.height / 2) * (w.width / 2)]);
    return tf.matMul(flat, fcW, false, true).add(tf.tensor1d(w.fcB)) as tf.Tensor2D;
  });
}

// ---- Bad models: each is refused with its own message. ----

/** The MLP with its first weight marked as stored in 'weights.bin' (external data). */
export function externalDataOnnx(w: MlpWeights): Uint8Array {
  const spec = mlpSpec(w);
  spec.initializers[0].external = true;
  return onnxModel(spec);
}

/** The MLP whose logits go through 'MyOp' of domain 'com.example', which ONNX Runtime does not know. */
export function customOpOnnx(w: MlpWeights): Uint8Array {
  const spec = mlpSpec(w);
  spec.nodes.push({ op: 'MyOp', domain: 'com.example', inputs: ['logits'], outputs: ['out'] });
  spec.outputs = [{ name: 'out', dims: ['N', w.classes] }];
  spec.extraOpsets = [{ domain: 'com.example', version: 1 }];
  return onnxModel(spec);
}

/** The MLP stamped with an opset (99 by default) no ONNX Runtime knows. */
export const opsetOnnx = (w: MlpWeights, opset = 99): Uint8Array => onnxModel(mlpSpec(w, { opset }));

/** An MLP whose input is int64 (cast to float inside), as token-id models have. */
export function int64InputOnnx(w: MlpWeights): Uint8Array {
  const spec = mlpSpec(w);
  spec.inputs = [{ name: 'ids', dims: ['N', w.inputs], elemType: ONNX_INT64 }];
  spec.nodes.unshift({ op: 'Cast', inputs: ['ids'], outputs: ['input'], attrs: { to: ONNX_FLOAT } });
  return onnxModel(spec);
}

/** Outputs sqrt(feature 0) in every class column: NaN exactly in the rows whose first feature is negative. */
export function nanOnnx(inputs: number, classes: number): Uint8Array {
  const pick = new Float32Array(classes * inputs);
  for (let c = 0; c < classes; c++) pick[c * inputs] = 1;
  return onnxModel({
    nodes: [
      { op: 'Gemm', inputs: ['input', 'pick', 'zero'], outputs: ['first'], attrs: { transB: 1 } },
      { op: 'Sqrt', inputs: ['first'], outputs: ['logits'] },
    ],
    initializers: [
      { name: 'pick', dims: [classes, inputs], values: pick },
      { name: 'zero', dims: [classes], values: new Float32Array(classes) },
    ],
    inputs: [{ name: 'input', dims: ['N', inputs] }],
    outputs: [{ name: 'logits', dims: ['N', classes] }],
  });
}
