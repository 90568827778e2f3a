import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { exportModel } from './export';
import { randomRows, smallMlp } from './test-fixtures';

beforeAll(useCpuBackend);

/** Independent of the engine's own loader: what any tfjs user would do with the two files. */
async function reloadByHand(modelJson: string, weights: Uint8Array): Promise<tf.LayersModel> {
  const json = JSON.parse(modelJson);
  const weightData = weights.slice().buffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, format: json.format, weightSpecs: json.weightsManifest[0].weights, weightData }),
  );
}

describe('exportModel', () => {
  it('writes model.json + weights that tf.loadLayersModel reads back to the same predictions', async () => {
    const model = smallMlp();
    const exported = await exportModel(model, { name: 'student' });
    const json = JSON.parse(exported.modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['student.weights.bin']);
    expect(exported.weightsFileName).toBe('student.weights.bin');
    expect(exported.weights.byteLength).toBe(model.countParams() * 4);
    expect(exported.bytes).toBe(exported.weights.byteLength + new TextEncoder().encode(exported.modelJson).byteLength);

    const reloaded = await reloadByHand(exported.modelJson, exported.weights);
    const x = randomRows(20, 4);
    const a = model.predict(x) as tf.Tensor;
    const b = reloaded.predict(x) as tf.Tensor;
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([x, a, b]);
    model.dispose();
    reloaded.dispose();
  });

  it('defaults the file name to model.weights.bin and sanitizes odd names', async () => {
    const model = smallMlp();
    expect((await exportModel(model)).weightsFileName).toBe('model.weights.bin');
    expect((await exportModel(model, { name: ' my student/v2 ' })).weightsFileName).toBe('my-student-v2.weights.bin');
    model.dispose();
  });

  it('stores metadata and leaves out the training config', async () => {
    const model = smallMlp();
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const exported = await exportModel(model, { metadata: { studio: { spec: 'mlp' } } });
    const json = JSON.parse(exported.modelJson);
    expect(json.userDefinedMetadata).toEqual({ studio: { spec: 'mlp' } });
    expect(json.trainingConfig).toBeUndefined();
    model.dispose();
  });

  it('leaves no tensors behind', async () => {
    const model = smallMlp();
    const before = tf.memory().numTensors;
    await exportModel(model);
    await exportModel(model, { quantization: 'uint8' });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
