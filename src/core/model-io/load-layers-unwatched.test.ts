import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { internalsStatus, simulateTfjsVersions } from '../tfjs-internals';
import { ModelIoError } from './errors';
import { exportModel } from './export';
import { importModel } from './import';
import { exportedFiles } from './reload';
import { jsonFile, randomRows, smallMlp } from './test-fixtures';

beforeAll(useCpuBackend);
afterEach(() => simulateTfjsVersions(null));

/** On a tfjs-layers the build watch was not written for, models load without it: same weights, coarser checks. */
describe('loading a layers model with the build watch off', () => {
  it('loads the same model, and says the watch is off', async () => {
    simulateTfjsVersions({ 'tfjs-layers': '5.0.0' });
    expect(internalsStatus().disabled.map((d) => d.feature)).toContain('layer-build-watch');
    const model = smallMlp(4);
    const exported = await exportModel(model);
    const imported = await importModel(exportedFiles(exported));
    const x = randomRows(5, 4);
    const [want, got] = [model.predict(x), imported.predictLogits(x)];
    if (!(want instanceof tf.Tensor)) throw new Error('one output expected');
    expect(Array.from(await got.data())).toEqual(Array.from(await want.data()));
    tf.dispose([x, want, got]);
    imported.dispose();
    model.dispose();
  });

  it('still refuses a manifest that does not match the layers (checked after the build), leaving no tensor', async () => {
    const model = smallMlp(5);
    const exported = await exportModel(model);
    model.dispose();
    simulateTfjsVersions({ 'tfjs-layers': '5.0.0' });
    const json = JSON.parse(exported.modelJson);
    json.weightsManifest[0].weights[0].shape = [8, 4];
    const before = tf.memory().numTensors;
    const error = await importModel([jsonFile('model.json', json), { name: exported.weightsFileName, bytes: exported.weights }]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelIoError);
    expect(error instanceof ModelIoError && error.code).toBe('weight-mismatch');
    expect(tf.memory().numTensors).toBe(before);
  });
});
