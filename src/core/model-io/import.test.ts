import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { ModelIoError } from './errors';
import { evaluateWrapper } from './evaluate';
import { exportModel } from './export';
import { checkModelFits, findFitProblem } from './fit';
import { importModel } from './import';
import { exportedFiles } from './reload';
import { toStudentModel } from './student';
import { SHAPE, imageModel, jsonFile, randomRows, smallMlp, softmaxMlp } from './test-fixtures';

beforeAll(useCpuBackend);

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

async function importOf(model: tf.LayersModel) {
  const files = exportedFiles(await exportModel(model));
  return importModel(files);
}

describe('importModel (layers)', () => {
  it('loads an export to the same logits and frees everything on dispose', async () => {
    const model = smallMlp(4);
    const before = tf.memory().numTensors;
    const wrapper = await importOf(model);
    expect(wrapper.kind).toBe('layers');
    expect(wrapper.inputShape).toEqual([4]);
    expect(wrapper.numOutputs).toBe(3);
    expect(wrapper.outputsProbabilities).toBe(false);
    expect(wrapper.layersModel).toBeDefined();
    const x = randomRows(30, 4);
    const a = model.predict(x) as tf.Tensor;
    const b = wrapper.predictLogits(x);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    wrapper.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('reads weights split over several shards, matched by base name', async () => {
    const model = smallMlp(8);
    const exported = await exportModel(model);
    const json = JSON.parse(exported.modelJson);
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    const cut = 100;
    const wrapper = await importModel([
      { name: 'dir/group1-shard2of2.bin', bytes: exported.weights.slice(cut) },
      jsonFile('dir/model.json', json),
      { name: 'group1-shard1of2.bin', bytes: exported.weights.slice(0, cut) },
    ]);
    const x = randomRows(5, 4);
    const a = model.predict(x) as tf.Tensor;
    const b = wrapper.predictLogits(x);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    wrapper.dispose();
    model.dispose();
  });

  it('loads quantized exports', async () => {
    const model = smallMlp(9);
    const wrapper = await importModel(exportedFiles(await exportModel(model, { quantization: 'uint8' })));
    const x = randomRows(5, 4);
    const a = model.predict(x) as tf.Tensor;
    const b = wrapper.predictLogits(x);
    expect(maxAbsDiff(a, b)).toBeLessThan(0.05);
    tf.dispose([x, a, b]);
    wrapper.dispose();
    model.dispose();
  });

  it('turns a final softmax into logits equal to the log of its probabilities', async () => {
    const model = softmaxMlp();
    const wrapper = await importOf(model);
    expect(wrapper.outputsProbabilities).toBe(true);
    const x = randomRows(30, 4);
    const probs = model.predict(x) as tf.Tensor;
    const expected = tf.log(probs);
    const logits = wrapper.predictLogits(x);
    expect(maxAbsDiff(logits, expected)).toBeLessThan(1e-5);
    const back = tf.softmax(logits);
    expect(maxAbsDiff(back, probs)).toBeLessThan(1e-6);
    tf.dispose([x, probs, expected, logits, back]);
    wrapper.dispose();
    model.dispose();
  });

  it('reshapes flat rows for a model that takes images', async () => {
    const model = imageModel();
    const wrapper = await importOf(model);
    expect(wrapper.inputShape).toEqual([4, 4, 1]);
    checkModelFits(wrapper, { numFeatures: 16, numClasses: 3, imageShape: [4, 4, 1] });
    const x = randomRows(6, 16);
    const a = tf.tidy(() => model.predict(tf.reshape(x, [6, 4, 4, 1])) as tf.Tensor);
    const b = wrapper.predictLogits(x);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    wrapper.dispose();
    model.dispose();
  });
});

describe('checkModelFits', () => {
  it('accepts a model that fits and names both shapes when it does not', async () => {
    const wrapper = await importOf(smallMlp(10));
    expect(() => checkModelFits(wrapper, SHAPE)).not.toThrow();
    expect(findFitProblem(wrapper, { numFeatures: 784, numClasses: 3, imageShape: [28, 28, 1] })).toEqual({
      code: 'input-mismatch',
      message: 'The model expects inputs of shape [4] but the data set has 784 features per sample ([28,28,1]).',
    });
    expect(() => checkModelFits(wrapper, { numFeatures: 4, numClasses: 10 })).toThrow(
      'The model outputs 3 classes (shape [batch,3]) but the data set has 10 classes (shape [batch,10]).',
    );
    try {
      checkModelFits(wrapper, { numFeatures: 4, numClasses: 10 });
    } catch (e) {
      expect(e instanceof ModelIoError && e.code).toBe('output-mismatch');
    }
    wrapper.dispose();
  });

  it('takes flat data into an image model only with a matching image shape', async () => {
    const wrapper = await importOf(imageModel(12));
    expect(findFitProblem(wrapper, { numFeatures: 16, numClasses: 3 })?.message).toBe(
      'The model expects images of shape [4,4,1] but the data set has flat rows of 16 features and no image shape.',
    );
    expect(findFitProblem(wrapper, { numFeatures: 16, numClasses: 3, imageShape: [2, 8, 1] })?.message).toBe(
      "The model expects inputs of shape [4,4,1] but the data set's samples have shape [2,8,1].",
    );
    expect(findFitProblem(wrapper, { numFeatures: 16, numClasses: 3, imageShape: [4, 4, 1] })).toBeNull();
    wrapper.dispose();
  });

  it('refuses rows of the wrong width at prediction time too', async () => {
    const wrapper = await importOf(smallMlp(13));
    const x = randomRows(2, 5);
    expect(() => wrapper.predictLogits(x)).toThrow('The model expects inputs of shape [4] (4 values) but got rows of 5 values.');
    x.dispose();
    wrapper.dispose();
  });
});

describe('evaluateWrapper', () => {
  it('gives the test accuracy before any training', async () => {
    const model = smallMlp(14);
    const wrapper = await importOf(model);
    const x = randomRows(40, 4, 5);
    const predicted = tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor2D, 1).dataSync());
    // Ten labels disagree with the model's answer, so the accuracy must be 30/40.
    const labels = tf.tensor1d(
      Array.from(predicted, (c, i) => (i < 10 ? (c + 1) % 3 : c)),
      'int32',
    );
    const before = tf.memory().numTensors;
    expect(await evaluateWrapper(wrapper, x, labels)).toBeCloseTo(0.75, 6);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, labels]);
    wrapper.dispose();
    model.dispose();
  });
});

describe('toStudentModel', () => {
  it('copies a layers model with its softmax made linear, so it trains on logits', async () => {
    const model = softmaxMlp(15);
    const wrapper = await importOf(model);
    const student = await toStudentModel(wrapper);
    expect(student.layers[student.layers.length - 1].getConfig().activation).toBe('linear');
    const x = randomRows(10, 4);
    const probs = model.predict(x) as tf.Tensor;
    const fromLogits = tf.softmax(student.predict(x) as tf.Tensor);
    expect(maxAbsDiff(fromLogits, probs)).toBeLessThan(1e-6);
    tf.dispose([x, probs, fromLogits]);
    student.dispose();
    wrapper.dispose();
    model.dispose();
  });

  it('copies a logits model unchanged, independent of the imported one', async () => {
    const wrapper = await importOf(smallMlp(16));
    const student = await toStudentModel(wrapper);
    wrapper.dispose();
    const x = randomRows(3, 4);
    const y = student.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 3]);
    tf.dispose([x, y]);
    student.dispose();
  });
});

describe('importModel (Keras converter layout)', () => {
  it('reads a topology wrapped in model_config, as tensorflowjs_converter writes it', async () => {
    const model = smallMlp(17);
    const exported = await exportModel(model);
    const json = JSON.parse(exported.modelJson);
    json.modelTopology = { keras_version: '2.15.0', backend: 'tensorflow', model_config: json.modelTopology };
    const wrapper = await importModel([jsonFile('model.json', json), { name: exported.weightsFileName, bytes: exported.weights }]);
    const x = randomRows(4, 4);
    const a = model.predict(x) as tf.Tensor;
    const b = wrapper.predictLogits(x);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    wrapper.dispose();
    model.dispose();
  });

  it('finds an unknown layer inside model_config too', async () => {
    const model = smallMlp(18);
    const exported = await exportModel(model);
    model.dispose();
    const json = JSON.parse(exported.modelJson);
    json.modelTopology.config.layers[0].class_name = 'MyAttention';
    json.modelTopology = { model_config: json.modelTopology };
    await expect(importModel([jsonFile('model.json', json), { name: exported.weightsFileName, bytes: exported.weights }])).rejects.toThrow(
      "Unknown layer 'MyAttention': this model uses a custom layer that the studio cannot load",
    );
  });
});
