/** Small models and files for the model-io tests (pure; no test framework here). */
import * as tf from '@tensorflow/tfjs';
import { strToU8 } from 'fflate';
import { buildModel } from '../models';
import type { ModelFile } from './types';

export const SHAPE = { numFeatures: 4, numClasses: 3 };

/** MLP 4-8-3 that outputs logits, from the studio's own builder. */
export function smallMlp(seed = 1): tf.LayersModel {
  return buildModel({ kind: 'mlp', hidden: [8], activation: 'relu', dropout: 0 }, SHAPE, seed);
}

/** Same shape, but the last layer is a softmax: the model emits probabilities. */
export function softmaxMlp(seed = 2): tf.LayersModel {
  const init = (n: number) => tf.initializers.glorotUniform({ seed: seed * 10 + n });
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: init(1) }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(2) }),
    ],
  });
}

/** A model whose input is an image [4,4,1], not flat rows. */
export function imageModel(seed = 3): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [4, 4, 1],
        filters: 2,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

export function randomRows(n: number, features: number, seed = 11): tf.Tensor2D {
  return tf.randomUniform([n, features], 0, 1, 'float32', seed);
}

export function textFile(name: string, text: string): ModelFile {
  return { name, bytes: strToU8(text) };
}

export function jsonFile(name: string, value: unknown): ModelFile {
  return textFile(name, JSON.stringify(value));
}

export function floatBytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

const FLOAT = { type: 'DT_FLOAT' };
const dims = (shape: number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
const constNode = (name: string, shape: number[], dtype = 'DT_FLOAT') => ({
  name,
  op: 'Const',
  attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: dims(shape) } } },
});

/**
 * A hand-written TF.js graph model: y = x W + b for x in [?, 3], W [3, 2], b [2]. With `output`
 * 'softmax' the graph ends Softmax -> Identity (as converted Keras models do); with 'manual-softmax'
 * it computes exp(z) / sum(exp(z)) from plain ops, which only the empirical check recognizes.
 */
export function tinyGraphModel(w: number[], b: number[], output: 'logits' | 'softmax' | 'manual-softmax' = 'logits'): ModelFile[] {
  const nodes: object[] = [
    { name: 'x', op: 'Placeholder', attr: { dtype: FLOAT, shape: { shape: dims([-1, 3]) } } },
    constNode('W', [3, 2]),
    constNode('b', [2]),
    { name: 'MatMul', op: 'MatMul', input: ['x', 'W'], attr: { T: FLOAT, transpose_a: { b: false }, transpose_b: { b: false } } },
    { name: 'Add', op: 'AddV2', input: ['MatMul', 'b'], attr: { T: FLOAT } },
  ];
  const weights: { name: string; shape: number[]; dtype: 'float32' | 'int32' }[] = [
    { name: 'W', shape: [3, 2], dtype: 'float32' },
    { name: 'b', shape: [2], dtype: 'float32' },
  ];
  const parts = [floatBytes(w), floatBytes(b)];
  if (output === 'softmax') {
    nodes.push(
      { name: 'Softmax', op: 'Softmax', input: ['Add'], attr: { T: FLOAT } },
      { name: 'Identity', op: 'Identity', input: ['Softmax'], attr: { T: FLOAT } },
    );
  } else if (output === 'manual-softmax') {
    nodes.push(
      constNode('axis', [1], 'DT_INT32'),
      { name: 'Exp', op: 'Exp', input: ['Add'], attr: { T: FLOAT } },
      { name: 'Sum', op: 'Sum', input: ['Exp', 'axis'], attr: { T: FLOAT, Tidx: { type: 'DT_INT32' }, keep_dims: { b: true } } },
      { name: 'Div', op: 'RealDiv', input: ['Exp', 'Sum'], attr: { T: FLOAT } },
    );
    weights.push({ name: 'axis', shape: [1], dtype: 'int32' });
    parts.push(new Uint8Array(new Int32Array([1]).buffer));
  }
  const bin = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bin.set(p, at);
    at += p.byteLength;
  }
  const modelJson = {
    format: 'graph-model',
    generatedBy: '2.15.0',
    convertedBy: 'by hand',
    modelTopology: { node: nodes, library: {}, versions: { producer: 1, minConsumer: 0 } },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights }],
  };
  return [jsonFile('model.json', modelJson), { name: 'group1-shard1of1.bin', bytes: bin }];
}
