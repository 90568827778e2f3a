import { describe, expect, it } from 'vitest';
import { feedFor } from './onnx-layout';
import { OnnxError, type OnnxIo, type OnnxModelInfo, onnxQuestion } from './index';
import type { OnnxChoice, OnnxDatasetShape } from './types';

const io = (name: string, dims: OnnxIo['dims'], elemType = 'float32'): OnnxIo => ({ name, elemType, dims });

const model = (inputs: OnnxIo[], outputs: OnnxIo[] = [io('logits', ['N', 10])]): OnnxModelInfo => ({
  inputs,
  outputs,
  opset: 17,
  ops: ['Gemm'],
  params: 0,
  weightBytes: 0,
  externalData: false,
  endsInSoftmax: () => false,
  fileName: 'm.onnx',
});

const csv: OnnxDatasetShape = { numFeatures: 4 };
const mnist: OnnxDatasetShape = { numFeatures: 784, imageShape: [28, 28, 1] };
const rgb: OnnxDatasetShape = { numFeatures: 32 * 32 * 3, imageShape: [32, 32, 3] };
const cube: OnnxDatasetShape = { numFeatures: 27, imageShape: [3, 3, 3] };

/** The layout settled without a question, or the question. */
function answer(dims: OnnxIo['dims'], ds: OnnxDatasetShape, choice: OnnxChoice = {}): string {
  const q = onnxQuestion(model([io('x', dims)]), ds, choice);
  return q === null ? 'settled' : `ask ${q.layouts?.join('/')}`;
}

describe('onnxQuestion: the layout from the input shape against the data set', () => {
  it.each([
    // [declared dims, data set, answer]
    [['N', 4], csv, 'settled'],
    [[null, 4], csv, 'settled'],
    [[-1, 4], csv, 'settled'],
    [[32, 4], csv, 'settled'],
    [['N', 'features'], csv, 'settled'],
    [['N', 784], mnist, 'settled'],
    [['N', 28, 28, 1], mnist, 'settled'],
    [['N', 1, 28, 28], mnist, 'settled'],
    // Dynamic height and width (vision exports), channels fixed.
    [['N', 1, 'H', 'W'], mnist, 'settled'],
    [['N', 3, 'H', 'W'], rgb, 'settled'],
    [['N', 'H', 'W', 3], rgb, 'settled'],
    [['N', 32, 32, 3], rgb, 'settled'],
    [['N', 3, 32, 32], rgb, 'settled'],
    // H = W = C: both orders fit.
    [['N', 3, 3, 3], cube, 'ask nhwc/nchw'],
    [['N', 'C', 'H', 'W'], rgb, 'ask nhwc/nchw'],
    // Neither order, as many elements: reshape, the person says in which order.
    [['N', 3, 1024], rgb, 'ask nhwc/nchw'],
    // One channel: both orders are the same numbers, nothing to ask.
    [['N', 28, 28], mnist, 'settled'],
    [['N', 784, 1, 1], mnist, 'settled'],
    // One channel but every dim symbolic: [N, 28, 28, 1] or [N, 1, 28, 28] are different inputs.
    [['N', 'a', 'b', 'c'], mnist, 'ask nhwc/nchw'],
  ] as [OnnxIo['dims'], OnnxDatasetShape, string][])('%j with %j: %s', (dims, ds, expected) => {
    expect(answer(dims, ds)).toBe(expected);
  });

  it('feeds the layout it settles: rows as they are, or images transposed to channels-first', () => {
    expect(feedFor(io('x', ['N', 1, 28, 28]), 'nchw', mnist)).toEqual({ sampleDims: [1, 28, 28], channelsFirst: false });
    expect(feedFor(io('x', ['N', 3, 'H', 'W']), 'nchw', rgb)).toEqual({ sampleDims: [3, 32, 32], channelsFirst: true });
    expect(feedFor(io('x', ['N', 'H', 'W', 3]), 'nhwc', rgb)).toEqual({ sampleDims: [32, 32, 3], channelsFirst: false });
    expect(feedFor(io('x', ['N', 'F']), 'flat', csv)).toEqual({ sampleDims: [4], channelsFirst: false });
    expect(feedFor(io('x', ['N', 3, 1024]), 'nchw', rgb)).toEqual({ sampleDims: [3, 1024], channelsFirst: true });
    // One channel and dynamic H, W: 'nhwc' chosen still feeds dims that fit [N, 1, H, W].
    expect(feedFor(io('x', ['N', 1, 'H', 'W']), 'nhwc', mnist)).toEqual({ sampleDims: [1, 28, 28], channelsFirst: false });
  });

  it.each([
    [['N', 3, 3, 3], cube, 'nchw'],
    [['N', 3, 3, 3], cube, 'nhwc'],
    [['N', 3, 1024], rgb, 'nchw'],
    [['N', 3072], rgb, 'nchw'],
    [['N', 1, 'H', 'W'], mnist, 'nhwc'],
  ] as [OnnxIo['dims'], OnnxDatasetShape, OnnxChoice['layout']][])('%j with %j takes the chosen layout %s', (dims, ds, layout) => {
    expect(answer(dims, ds, { layout })).toBe('settled');
  });

  it.each([
    [['N', 4], csv, 'nhwc', /^m\.onnx: the NHWC layout needs an image data set; this one has 4 features per row$/],
    [['N', 3, 'H', 'W'], rgb, 'nhwc', /^m\.onnx: the model's input "x" has shape \[N, 3, H, W\], which does not fit the NHWC layout/],
    [['N', 'H', 'W', 3], rgb, 'nchw', /does not fit the NCHW layout of the data set's 3072 features per row \(images 32×32×3/],
  ] as [OnnxIo['dims'], OnnxDatasetShape, OnnxChoice['layout'], RegExp][])(
    '%j with %j refuses the chosen layout %s',
    (dims, ds, layout, message) => {
      expect(() => answer(dims, ds, { layout })).toThrow(OnnxError);
      expect(() => answer(dims, ds, { layout })).toThrow(message);
    },
  );

  it.each([
    [['N', 5], csv, /input "x" has shape \[N, 5\], which does not fit the data set's 4 features per row: it needs \[N, 4\]/],
    [['N', 1, 27, 28], mnist, /it needs \[N, 784\], \[N, 28, 28, 1\] or \[N, 1, 28, 28\], or as many elements per sample/],
    [['N', 'C', 'H', 'W'], csv, /input "x" has shape \[N, C, H, W\], which does not fit/],
    [[4], csv, /input "x" has shape \[4\]: one dimension, no batch dimension/],
    [[], csv, /input "x" declares no shape/],
  ] as [OnnxIo['dims'], OnnxDatasetShape, RegExp][])('refuses %j for %j', (dims, ds, message) => {
    expect(() => answer(dims, ds)).toThrow(OnnxError);
    expect(() => answer(dims, ds)).toThrow(message);
  });

  it('refuses an input that is not float32, naming the input and its type', () => {
    expect(() => onnxQuestion(model([io('ids', ['N', 4], 'int64')]), csv, {})).toThrow(
      /^m\.onnx: the model's input "ids" takes int64 values; only float32 inputs can be fed/,
    );
  });
});

describe('onnxQuestion: several inputs or outputs', () => {
  const two = model([io('image', ['N', 4]), io('mask', ['N', 4])], [io('hidden', ['N', 8]), io('logits', ['N', 3])]);

  it('asks for the input and the output, listing them, until the choice names them', () => {
    expect(onnxQuestion(two, csv, {})).toEqual({ inputs: two.inputs, outputs: two.outputs });
    expect(onnxQuestion(two, csv, { input: 'image' })).toEqual({ outputs: two.outputs });
    expect(onnxQuestion(two, csv, { output: 'logits' })).toEqual({ inputs: two.inputs });
    expect(onnxQuestion(two, csv, { input: 'mask', output: 'logits' })).toBeNull();
  });

  it('asks for the layout once the input is known', () => {
    const info = model([io('a', ['N', 3, 3, 3]), io('b', ['N', 27])]);
    expect(onnxQuestion(info, cube, { input: 'a' })).toEqual({ layouts: ['nhwc', 'nchw'] });
    expect(onnxQuestion(info, cube, { input: 'a', layout: 'nchw' })).toBeNull();
    expect(onnxQuestion(info, cube, { input: 'b' })).toBeNull();
  });

  it('refuses a chosen name the model does not have, listing those it has', () => {
    expect(() => onnxQuestion(two, csv, { input: 'pixels' })).toThrow(
      'm.onnx: the model has no input named "pixels" (its inputs: "image", "mask")',
    );
    expect(() => onnxQuestion(two, csv, { input: 'image', output: 'probs' })).toThrow(
      'm.onnx: the model has no output named "probs" (its outputs: "hidden", "logits")',
    );
  });
});
