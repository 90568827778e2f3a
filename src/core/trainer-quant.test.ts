import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './data/types';
import type { ModelSpec } from './model-spec';
import { buildModel } from './models';
import { predictorTeacher } from './teacher-model';
import { quantTrainedOf } from './quant-activations';
import { disposeTensors, toTensors, type DataTensors } from './tensors';
import { blobs } from './test-data';
import { useCpuBackend } from './test-setup';
import { distill, type DistillConfig, type DistillEpoch } from './trainer';

const dataset: Dataset = {
  name: 'blobs',
  numFeatures: 8,
  numClasses: 4,
  classNames: ['a', 'b', 'c', 'd'],
  train: blobs(256, 1),
  test: blobs(128, 2),
};
// 8×64 = 512 kernel values: more than the 256 a uint8 grid can hold, so the grid shows.
const studentSpec: ModelSpec = { kind: 'mlp', hidden: [64], activation: 'relu', dropout: 0.1 };
const config: DistillConfig = { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 5, temperature: 4, alpha: 0.9 };
const stepsPerEpoch = 256 / 32;
let data: DataTensors;
let teacher: tf.LayersModel;

const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** True when the values lie on one affine grid of at most 256 points. */
function onUint8Grid(values: Float32Array): boolean {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length > 256) return false;
  const lo = distinct[0];
  const step = (distinct[distinct.length - 1] - lo) / 255;
  return distinct.every((v) => Math.abs((v - lo) / step - Math.round((v - lo) / step)) < 1e-3);
}

/** The first kernel as the student's forward pass sees it, at every training step. */
function watchKernel(model: tf.LayersModel): Float32Array[] {
  const seen: Float32Array[] = [];
  const apply = model.apply.bind(model);
  model.apply = (inputs, kwargs) => {
    if (kwargs?.training) seen.push(model.trainableWeights[0].read().dataSync().slice() as Float32Array);
    return apply(inputs, kwargs);
  };
  return seen;
}

/** What the output layer receives at every training step: the hidden layer's output after dropout. */
function watchHidden(model: tf.LayersModel): Float32Array[] {
  const seen: Float32Array[] = [];
  const out = model.layers[model.layers.length - 1];
  // call(), not apply(): model.apply runs its layers' call, and the trainer's layer-by-layer forward reaches it through apply.
  const call = out.call.bind(out);
  out.call = (inputs, kwargs) => {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs?.training) seen.push(x.dataSync().slice() as Float32Array);
    return call(inputs, kwargs);
  };
  return seen;
}

async function run(quant: boolean, twin: tf.LayersModel | null, activations = false) {
  const distilled = buildModel(activations ? { ...studentSpec, dropout: 0 } : studentSpec, dataset, 7);
  const seen = activations ? watchHidden(distilled) : watchKernel(distilled);
  const epochs: DistillEpoch[] = [];
  for await (const ev of distill({
    teacher: predictorTeacher(teacher),
    distilled,
    scratch: null,
    data,
    floatTwin: twin,
    config: quant ? { ...config, quantAware: { lastEpochs: 1, perChannel: false, activations } } : config,
  })) {
    if (ev.kind === 'epoch') epochs.push(ev.summary);
  }
  return { distilled, seen, epochs };
}

beforeAll(async () => {
  await useCpuBackend();
  data = toTensors(dataset);
  teacher = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, dataset, 1);
});

afterAll(() => {
  teacher.dispose();
  disposeTensors(data);
});

describe('distill with quantAware', () => {
  it('fake-quantises the weights the loss sees in the last N epochs only, and the float twin is the run without it', async () => {
    const plain = await run(false, null);
    const twin = buildModel(studentSpec, dataset, 7);
    const before = tf.memory().numTensors;
    const quant = await run(true, twin);
    // the twin and the two students are the only tensors that outlive the run
    expect(tf.memory().numTensors - before).toBe(quant.distilled.getWeights().length);

    expect(quant.seen).toHaveLength(2 * stepsPerEpoch);
    for (const [i, kernel] of quant.seen.entries()) expect(onUint8Grid(kernel)).toBe(i >= stepsPerEpoch);
    expect(quant.seen.slice(0, stepsPerEpoch)).toEqual(plain.seen.slice(0, stepsPerEpoch));
    expect(quant.epochs[0]).toEqual(plain.epochs[0]);
    // the shadow weights stay float: the kept student is not itself on the grid
    expect(onUint8Grid(quant.distilled.getWeights()[0].dataSync() as Float32Array)).toBe(false);
    expect(weights(quant.distilled)).not.toEqual(weights(plain.distilled));
    expect(weights(twin)).toEqual(weights(plain.distilled));
    for (const m of [plain.distilled, quant.distilled, twin]) m.dispose();
  });

  it('with activations: the float epoch is the plain run, then the hidden outputs lie on the frozen grid kept with the student', async () => {
    const plain = await run(false, null, true);
    const before = tf.memory().numTensors;
    const quant = await run(true, null, true);
    expect(tf.memory().numTensors - before).toBe(quant.distilled.getWeights().length);
    expect(quant.seen).toHaveLength(2 * stepsPerEpoch);
    expect(quant.seen.slice(0, stepsPerEpoch)).toEqual(plain.seen.slice(0, stepsPerEpoch));
    expect(quant.epochs[0]).toEqual(plain.epochs[0]);
    const trained = quantTrainedOf(quant.distilled);
    expect(trained?.perChannel).toBe(false);
    const [lo, hi] = trained?.activationRanges?.[0] ?? [Number.NaN, Number.NaN];
    // ReLU outputs: the range starts at 0, and 0 is on the grid
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(0);
    const scale = hi / 255;
    for (const h of quant.seen.slice(stepsPerEpoch)) {
      expect(Math.max(...h)).toBeLessThanOrEqual(hi * (1 + 1e-6));
      for (const v of h) expect(Math.abs(v / scale - Math.round(v / scale))).toBeLessThan(1e-3);
    }
    expect(plain.seen.slice(0, stepsPerEpoch).some((h) => h.some((v) => Math.abs(v / scale - Math.round(v / scale)) > 0.01))).toBe(true);
    expect(quantTrainedOf(plain.distilled)).toBeNull();
    for (const m of [plain.distilled, quant.distilled]) m.dispose();
  });

  it('refuses N outside 1..epochs, and activations with a hint term', async () => {
    const distilled = buildModel(studentSpec, dataset, 7);
    const start = (quantAware: DistillConfig['quantAware']) =>
      distill({ teacher: predictorTeacher(teacher), distilled, scratch: null, data, config: { ...config, quantAware } }).next();
    await expect(start({ lastEpochs: 3, perChannel: false, activations: false })).rejects.toThrow(/1 to 2/);
    const hinted = (quantAware: DistillConfig['quantAware']) =>
      distill({
        teacher: predictorTeacher(teacher),
        teacherLayers: teacher,
        distilled,
        scratch: null,
        data,
        config: { ...config, quantAware, hint: { weight: 1, teacherLayer: 0, studentLayer: 0 } },
      }).next();
    await expect(hinted({ lastEpochs: 1, perChannel: false, activations: true })).rejects.toThrow(
      /Quantise activations cannot be combined with a hint/,
    );
    distilled.dispose();
  });
});
