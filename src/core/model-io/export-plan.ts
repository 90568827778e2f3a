import type * as tf from '@tensorflow/tfjs';

/**
 * A student as a chain of plain steps over one sample, read from a tf.LayersModel: what the ONNX and
 * C writers both translate. Images stay channels-last (height, width, channels), as TF.js holds them.
 */

export type PlanActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** The shape of one sample between steps: flat features, or an image [h, w, c]. */
export type PlanShape = { kind: 'flat'; size: number } | { kind: 'image'; h: number; w: number; c: number };

export interface PlanWeights {
  values: Float32Array;
  shape: number[];
}

export type PlanStep =
  | { op: 'dense'; inputs: number; units: number; kernel: PlanWeights; bias: PlanWeights | null; activation: PlanActivation }
  | {
      op: 'conv2d';
      input: { h: number; w: number; c: number };
      output: { h: number; w: number; c: number };
      kernel: PlanWeights;
      bias: PlanWeights | null;
      kernelSize: [number, number];
      strides: [number, number];
      /** Top and left padding; rows and columns outside the image read as 0. */
      pad: [number, number];
      activation: PlanActivation;
    }
  | {
      op: 'maxpool';
      input: { h: number; w: number; c: number };
      output: { h: number; w: number; c: number };
      poolSize: [number, number];
      strides: [number, number];
      pad: [number, number];
    }
  | { op: 'activation'; activation: PlanActivation; size: number }
  /** The same values in the same order, seen as another shape (Reshape, Flatten). */
  | { op: 'reshape'; to: PlanShape };

export interface StudentPlan {
  inputs: number;
  outputs: number;
  steps: PlanStep[];
}

export class ExportPlanError extends Error {
  override name = 'ExportPlanError';
}

const ACTIVATIONS = new Set<string>(['linear', 'relu', 'sigmoid', 'tanh']);

type Config = Record<string, unknown>;

function activationOf(layer: tf.layers.Layer, value: unknown): PlanActivation {
  const name = value === undefined || value === null ? 'linear' : String(value);
  if (!ACTIVATIONS.has(name)) {
    throw new ExportPlanError(
      `Layer '${layer.name}' uses the activation '${name}', which the ONNX and C exports do not support (linear, relu, sigmoid and tanh are).`,
    );
  }
  return name as PlanActivation;
}

function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1] ?? v[0])];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
}

function sizeOf(shape: PlanShape): number {
  return shape.kind === 'flat' ? shape.size : shape.h * shape.w * shape.c;
}

/** Output size and top/left padding of one spatial axis, as TF computes them ('same' pads more at the end). */
function axis(inSize: number, k: number, stride: number, padding: string): { out: number; pad: number } {
  if (padding === 'same') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + k - inSize, 0);
    return { out, pad: Math.floor(total / 2) };
  }
  return { out: Math.floor((inSize - k) / stride) + 1, pad: 0 };
}

function weights(w: tf.LayerVariable): PlanWeights {
  const t = w.read();
  return { values: Float32Array.from(t.dataSync()), shape: [...t.shape] };
}

function imageShapeOf(dims: readonly (number | null)[], layer: tf.layers.Layer): PlanShape {
  const d = dims.map(Number);
  if (d.length === 1) return { kind: 'flat', size: d[0] };
  if (d.length === 2) return { kind: 'image', h: d[0], w: d[1], c: 1 };
  if (d.length === 3) return { kind: 'image', h: d[0], w: d[1], c: d[2] };
  throw new ExportPlanError(`Layer '${layer.name}' has shape [${d.join(', ')}], which the ONNX and C exports do not support.`);
}

function requireImage(shape: PlanShape, layer: tf.layers.Layer): { h: number; w: number; c: number } {
  if (shape.kind !== 'image') throw new ExportPlanError(`Layer '${layer.name}' needs an image input, but gets flat features.`);
  return shape;
}

function checkChannelsLast(layer: tf.layers.Layer, config: Config): void {
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast')
    throw new ExportPlanError(`Layer '${layer.name}' is channels-first, which the ONNX and C exports do not support.`);
}

/** One step (or none) per layer, or an ExportPlanError that names the layer the exports cannot write. */
function stepOf(layer: tf.layers.Layer, shape: PlanShape): { steps: PlanStep[]; shape: PlanShape } {
  const config = layer.getConfig() as Config;
  const cls = layer.getClassName();
  switch (cls) {
    case 'InputLayer':
    case 'Dropout':
      return { steps: [], shape };
    case 'Dense': {
      if (shape.kind !== 'flat') throw new ExportPlanError(`Layer '${layer.name}' (Dense) gets an image: flatten it first.`);
      const [kernel, bias] = layer.weights;
      const units = Number(config.units);
      const step: PlanStep = {
        op: 'dense',
        inputs: shape.size,
        units,
        kernel: weights(kernel),
        bias: config.useBias === false || !bias ? null : weights(bias),
        activation: activationOf(layer, config.activation),
      };
      return { steps: [step], shape: { kind: 'flat', size: units } };
    }
    case 'Activation':
      return { steps: [{ op: 'activation', activation: activationOf(layer, config.activation), size: sizeOf(shape) }], shape };
    case 'ReLU':
      if (config.maxValue !== undefined && config.maxValue !== null)
        throw new ExportPlanError(`Layer '${layer.name}' (ReLU with max_value) is not supported by the ONNX and C exports.`);
      return { steps: [{ op: 'activation', activation: 'relu', size: sizeOf(shape) }], shape };
    case 'Flatten': {
      const to: PlanShape = { kind: 'flat', size: sizeOf(shape) };
      return { steps: shape.kind === 'flat' ? [] : [{ op: 'reshape', to }], shape: to };
    }
    case 'Reshape': {
      const to = imageShapeOf(config.targetShape as number[], layer);
      if (sizeOf(to) !== sizeOf(shape)) throw new ExportPlanError(`Layer '${layer.name}' (Reshape) changes the number of values.`);
      return { steps: [{ op: 'reshape', to }], shape: to };
    }
    case 'Conv2D': {
      checkChannelsLast(layer, config);
      const input = requireImage(shape, layer);
      const [kh, kw] = pair(config.kernelSize, 1);
      const strides = pair(config.strides, 1);
      const dilation = pair(config.dilationRate, 1);
      if (dilation[0] !== 1 || dilation[1] !== 1)
        throw new ExportPlanError(`Layer '${layer.name}' (Conv2D) is dilated, which the ONNX and C exports do not support.`);
      const padding = String(config.padding ?? 'valid');
      const y = axis(input.h, kh, strides[0], padding);
      const x = axis(input.w, kw, strides[1], padding);
      const [kernel, bias] = layer.weights;
      const output = { h: y.out, w: x.out, c: Number(config.filters) };
      const step: PlanStep = {
        op: 'conv2d',
        input,
        output,
        kernel: weights(kernel),
        bias: config.useBias === false || !bias ? null : weights(bias),
        kernelSize: [kh, kw],
        strides,
        pad: [y.pad, x.pad],
        activation: activationOf(layer, config.activation),
      };
      return { steps: [step], shape: { kind: 'image', ...output } };
    }
    case 'MaxPooling2D': {
      checkChannelsLast(layer, config);
      const input = requireImage(shape, layer);
      const poolSize = pair(config.poolSize, 2);
      const strides = pair(config.strides ?? config.poolSize, 2);
      const padding = String(config.padding ?? 'valid');
      const y = axis(input.h, poolSize[0], strides[0], padding);
      const x = axis(input.w, poolSize[1], strides[1], padding);
      const output = { h: y.out, w: x.out, c: input.c };
      return { steps: [{ op: 'maxpool', input, output, poolSize, strides, pad: [y.pad, x.pad] }], shape: { kind: 'image', ...output } };
    }
    default:
      throw new ExportPlanError(
        `Layer '${layer.name}' (${cls}) cannot be exported to ONNX or C: the exports write Dense, Conv2D, MaxPooling2D, Flatten, Reshape, Dropout and activation layers.`,
      );
  }
}

/** The student's steps for one flat row of `inputs` features (the rows the studio feeds it). */
export function studentPlan(model: tf.LayersModel): StudentPlan {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new ExportPlanError('Only models with one input and one output can be exported to ONNX or C.');
  const inputDims = model.inputs[0].shape.slice(1);
  let shape = imageShapeOf(inputDims, model.layers[0]);
  const steps: PlanStep[] = [];
  const inputs = sizeOf(shape);
  if (shape.kind === 'image') steps.push({ op: 'reshape', to: shape });
  let previous: tf.SymbolicTensor | null = model.inputs[0];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    // A chain only: each layer reads the one before it (a branching functional model is refused).
    if (
      layer.inboundNodes.length !== 1 ||
      layer.inboundNodes[0].inputTensors.length !== 1 ||
      layer.inboundNodes[0].inputTensors[0] !== previous
    )
      throw new ExportPlanError(
        `Layer '${layer.name}' does not simply follow the layer before it: only a chain of layers can be exported to ONNX or C.`,
      );
    const next = stepOf(layer, shape);
    steps.push(...next.steps);
    shape = next.shape;
    previous = layer.output as tf.SymbolicTensor;
  }
  if (shape.kind !== 'flat') throw new ExportPlanError('The model ends in an image, not in one logit per class.');
  return { inputs, outputs: shape.size, steps };
}
