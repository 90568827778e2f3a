import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import {
  isRegisteredClass,
  layerBuildWatchable,
  setDropoutSeed,
  withLayerBuildWatched,
  type LayerBuildWatch,
  type MadeWeight,
} from './layers';
import { simulateTfjsVersions } from './versions';

beforeAll(useCpuBackend);
afterEach(() => simulateTfjsVersions(null));

interface Seen {
  asked: [string, string, readonly (number | null)[]][];
  made: MadeWeight[];
  failed: [unknown, string][];
}

function recorder(): { watch: LayerBuildWatch; seen: Seen } {
  const seen: Seen = { asked: [], made: [], failed: [] };
  const watch: LayerBuildWatch = {
    beforeWeight: (layer, weight, shape) => seen.asked.push([layer, weight, [...shape]]),
    madeWeight: (w) => seen.made.push(w),
    layerFailed: (layer, className) => seen.failed.push([layer, className]),
  };
  return { watch, seen };
}

const prototypeMethods = () => [Reflect.get(tf.layers.Layer.prototype, 'addWeight'), Reflect.get(tf.layers.Layer.prototype, 'apply')];

/** Contract: Layer.prototype.addWeight and apply, through which load-layers.ts watches a model being built. */
describe("tfjs-layers' Layer.prototype", () => {
  it('makes every weight of a layer through addWeight (name, shape), as the layer is applied', async () => {
    const before = prototypeMethods();
    const { watch, seen } = recorder();
    const layer = tf.layers.dense({ units: 3, name: 'contract_dense', kernelInitializer: 'ones', biasInitializer: 'ones' });
    const out = withLayerBuildWatched([], watch, () => layer.apply(tf.input({ shape: [2] })));
    expect(out).toBeInstanceOf(tf.SymbolicTensor);
    expect(seen.asked).toEqual([
      ['contract_dense', 'kernel', [2, 3]],
      ['contract_dense', 'bias', [3]],
    ]);
    expect(seen.made).toHaveLength(2);
    // Made as zeros, whatever the initializer said.
    expect(Array.from(await layer.getWeights()[0].data())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(prototypeMethods()).toEqual(before);
    layer.dispose();
  });

  it('names the layer whose apply throws, and refuses a weight before it is made', () => {
    const { watch, seen } = recorder();
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'contract_conv' });
    expect(() => withLayerBuildWatched([], watch, () => conv.apply(tf.input({ shape: [4] })))).toThrow();
    expect(seen.failed).toEqual([['contract_conv', 'Conv2D']]);
    const refusing: LayerBuildWatch = {
      ...watch,
      beforeWeight: () => {
        throw new Error('too big');
      },
    };
    const dense = tf.layers.dense({ units: 3 });
    expect(() => withLayerBuildWatched([], refusing, () => dense.apply(tf.input({ shape: [2] })))).toThrow('too big');
    expect(dense.weights).toEqual([]);
  });
});

/** Contract: tfjs's class registry, through which a model's layers are made from their configs. */
describe("tfjs's class registry", () => {
  it('holds the built-in layers by class name (own keys only)', () => {
    expect(['Dense', 'Conv2D', 'Dropout', 'Sequential', 'Model'].filter(isRegisteredClass)).toEqual([
      'Dense',
      'Conv2D',
      'Dropout',
      'Sequential',
      'Model',
    ]);
    expect(['NoSuchLayer', '__proto__', 'toString'].filter(isRegisteredClass)).toEqual([]);
  });

  it("builds each layer of a model.json through its class's fromConfig (which names a layer with a bad config), and is restored", async () => {
    const registry = tf.serialization.SerializationMap.getMap().classNameMap;
    const entry = registry.Dense;
    const { watch, seen } = recorder();
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'Dense', config: { name: 'bad_dense', units: 2, activation: 'no-such-activation', batch_input_shape: [null, 3] } },
        ],
      },
    };
    const built = withLayerBuildWatched(['Dense'], watch, () => tf.models.modelFromJSON({ modelTopology: topology }));
    await expect(built).rejects.toThrow();
    expect(seen.failed[0]).toEqual(['bad_dense', 'Dense']);
    expect(registry.Dense).toBe(entry);
  });
});

/** Contract: Dropout's private `seed`, read on every call (models.ts reseeds it each step). */
describe("tfjs-layers' Dropout", () => {
  async function mask(layer: tf.layers.Layer): Promise<number[]> {
    const ones = tf.ones([64]);
    const out = layer.apply(ones, { training: true });
    ones.dispose();
    if (!(out instanceof tf.Tensor)) throw new Error('Dropout gave no tensor');
    const values = Array.from(await out.data());
    out.dispose();
    return values;
  }

  it('draws its mask from the seed it holds when called', async () => {
    const layer = tf.layers.dropout({ rate: 0.5 });
    expect(setDropoutSeed(layer, 1)).toBe(true);
    const first = await mask(layer);
    expect(await mask(layer)).toEqual(first);
    setDropoutSeed(layer, 2);
    expect(await mask(layer)).not.toEqual(first);
    setDropoutSeed(layer, 1);
    expect(await mask(layer)).toEqual(first);
  });

  it('is refused where the field is gone, and left alone on another tfjs-layers', () => {
    const layer = tf.layers.dropout({ rate: 0.5, seed: 9 });
    simulateTfjsVersions({ 'tfjs-layers': '5.0.0' });
    expect(setDropoutSeed(layer, 1)).toBe(false);
    expect(layerBuildWatchable()).toBe(false);
    expect(Reflect.get(layer, 'seed')).toBe(9);
    simulateTfjsVersions(null);
    Reflect.deleteProperty(layer, 'seed');
    expect(() => setDropoutSeed(layer, 1)).toThrow("tfjs's Dropout layer has no seed field any more");
  });
});
