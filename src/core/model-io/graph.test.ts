import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { ModelIoError } from './errors';
import { checkModelFits } from './fit';
import { importModel } from './import';
import { toStudentModel } from './student';
import { tinyGraphModel } from './test-fixtures';

beforeAll(useCpuBackend);

const W = [0.5, -1, 2, 0.25, -0.75, 1.5]; // [3, 2], row-major
const B = [0.1, -0.2];
const X = [
  [1, 2, 3],
  [-1, 0.5, 4],
];

/** x W + b by hand, independent of tfjs. */
function affine(x: number[]): number[] {
  return [0, 1].map((j) => x[0] * W[j] + x[1] * W[2 + j] + x[2] * W[4 + j] + B[j]);
}

function logSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
}

describe('graph models', () => {
  it('load from a hand-written graph (Placeholder, Const, MatMul, AddV2) and predict x W + b', async () => {
    const before = tf.memory().numTensors;
    const wrapper = await importModel(tinyGraphModel(W, B));
    expect(wrapper.kind).toBe('graph');
    expect(wrapper.inputShape).toEqual([3]);
    expect(wrapper.numOutputs).toBe(2);
    expect(wrapper.outputsProbabilities).toBe(false);
    expect(wrapper.layersModel).toBeUndefined();
    checkModelFits(wrapper, { numFeatures: 3, numClasses: 2 });
    const x = tf.tensor2d(X);
    const out = wrapper.predictLogits(x);
    const got = out.arraySync();
    X.forEach((row, i) => {
      affine(row).forEach((v, j) => {
        expect(got[i][j]).toBeCloseTo(v, 5);
      });
    });
    tf.dispose([x, out]);
    wrapper.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('see a Softmax behind an Identity and return log-probabilities', async () => {
    const wrapper = await importModel(tinyGraphModel(W, B, 'softmax'));
    expect(wrapper.outputsProbabilities).toBe(true);
    const x = tf.tensor2d(X);
    const out = wrapper.predictLogits(x);
    const got = out.arraySync();
    X.forEach((row, i) => {
      logSoftmax(affine(row)).forEach((v, j) => {
        expect(got[i][j]).toBeCloseTo(v, 5);
      });
    });
    tf.dispose([x, out]);
    wrapper.dispose();
  });

  it('detect probabilities from the outputs when no Softmax op shows them', async () => {
    const wrapper = await importModel(tinyGraphModel(W, B, 'manual-softmax'));
    expect(wrapper.outputsProbabilities).toBe(true);
    const x = tf.tensor2d(X);
    const out = wrapper.predictLogits(x);
    const got = out.arraySync();
    X.forEach((row, i) => {
      logSoftmax(affine(row)).forEach((v, j) => {
        expect(got[i][j]).toBeCloseTo(v, 5);
      });
    });
    tf.dispose([x, out]);
    wrapper.dispose();
  });

  it('are refused as students, with the reason', async () => {
    const wrapper = await importModel(tinyGraphModel(W, B));
    const error = await toStudentModel(wrapper).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelIoError);
    expect(error instanceof ModelIoError && error.code).toBe('graph-not-trainable');
    expect(error instanceof Error && error.message).toMatch(/^A graph model is inference-only: it can be the teacher but not the student/);
    wrapper.dispose();
  });

  it('report a graph constant with no weight in the manifest', async () => {
    const [json, bin] = tinyGraphModel(W, B);
    const doc = JSON.parse(new TextDecoder().decode(json.bytes));
    doc.weightsManifest[0].weights[1].name = 'bias';
    const before = tf.memory().numTensors;
    await expect(importModel([{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(doc)) }, bin])).rejects.toThrow(
      "'model.json' has no weight for the graph's constant 'b'",
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
