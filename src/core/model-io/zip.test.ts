import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { exportModel } from './export';
import { importModel } from './import';
import { isZip, unzipModel, zipModel } from './zip';
import { randomRows, smallMlp } from './test-fixtures';

beforeAll(useCpuBackend);

describe('zip', () => {
  it('packs model.json and the weights, and imports back to the same logits', async () => {
    const model = smallMlp(21);
    const exported = await exportModel(model, { name: 'student' });
    const zip = zipModel(exported);
    expect(isZip(zip)).toBe(true);
    const files = unzipModel('student.zip', zip);
    expect(files.map((f) => f.name).sort()).toEqual(['model.json', 'student.weights.bin']);
    expect(files.find((f) => f.name === 'student.weights.bin')?.bytes).toEqual(exported.weights);

    const wrapper = await importModel([{ name: 'student.zip', bytes: zip }]);
    const x = randomRows(10, 4);
    const a = model.predict(x) as tf.Tensor;
    const b = wrapper.predictLogits(x);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
    wrapper.dispose();
    model.dispose();
  });

  it('finds the model inside a folder and skips macOS debris', async () => {
    const model = smallMlp(22);
    const exported = await exportModel(model);
    const zip = zipSync({
      'teacher/': {},
      'teacher/model.json': strToU8(exported.modelJson),
      'teacher/model.weights.bin': exported.weights,
      '__MACOSX/teacher/._model.json': new Uint8Array([0, 5, 22]),
    });
    const wrapper = await importModel([{ name: 'archive-without-extension', bytes: zip }]);
    expect(wrapper.numOutputs).toBe(3);
    wrapper.dispose();
    model.dispose();
  });

  it('says so when a .zip cannot be read', async () => {
    await expect(importModel([{ name: 'model.zip', bytes: strToU8('not a zip at all') }])).rejects.toThrow(
      /^'model\.zip' is not a readable zip file/,
    );
  });
});
