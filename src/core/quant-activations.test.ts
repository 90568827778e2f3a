import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './models';
import {
  ActivationQuantTraining,
  activationPoints,
  calibrateRanges,
  chainForward,
  chainLayers,
  fakeQuantiseActivation,
  fakeQuantiseActivationValues,
  layerKind,
  updateRanges,
} from './quant-activations';
import { uint8Grid } from './quantise';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

const mlp = () => buildModel({ kind: 'mlp', hidden: [6, 5], activation: 'relu', dropout: 0.2 }, { numFeatures: 4, numClasses: 3 }, 3);
const rows = (n: number, seed: number) => tf.randomNormal([n, 4], 0, 1, 'float32', seed) as tf.Tensor2D;

describe('activationPoints', () => {
  it('quantises each hidden output after its activation, never the logits', () => {
    const w = 'weighted' as const;
    const a = 'activation' as const;
    const o = 'other' as const;
    // MLP with dropout: dense, dropout, dense, dropout, dense (logits)
    expect(activationPoints([w, o, w, o, w])).toEqual([true, false, true, false, false]);
    // CNN: reshape, conv, pool, conv, pool, flatten, dense, dense
    expect(activationPoints([o, w, o, w, o, o, w, w])).toEqual([false, true, false, true, false, false, true, false]);
    // a linear dense with its own activation layer: the point moves after the activation
    expect(activationPoints([w, a, w])).toEqual([false, true, false]);
    expect(activationPoints([w])).toEqual([false]);
  });

  it('reads layer kinds from a built student', () => {
    const m = mlp();
    expect(chainLayers(m).map(layerKind)).toEqual(['weighted', 'other', 'weighted', 'other', 'weighted']);
    m.dispose();
  });
});

describe('fakeQuantiseActivation', () => {
  const grid = uint8Grid(-0.5, 2);

  it('rounds half up onto the grid and clips to it, as the plain-number (and C) arithmetic does', () => {
    const x = Float32Array.from([-3, -0.5, 0, grid.scale * 0.5 + grid.min, 0.123, 1.999, 2, 7]);
    const y = fakeQuantiseActivation(tf.tensor1d(x), grid);
    const got = y.dataSync();
    expect(Array.from(got)).toEqual(Array.from(fakeQuantiseActivationValues(x, grid)));
    expect(got[2]).toBe(0); // zero stays exactly zero
    expect(got[0]).toBeCloseTo(grid.min, 6);
    expect(got[7]).toBeCloseTo(grid.min + 255 * grid.scale, 5);
    for (const v of got) expect(Math.abs((v - grid.min) / grid.scale - Math.round((v - grid.min) / grid.scale))).toBeLessThan(1e-3);
    y.dispose();
  });

  it('has the straight-through gradient: dy inside the range, 0 outside (explicit values)', () => {
    const hi = Math.fround(Math.fround(grid.min) + 255 * Math.fround(grid.scale));
    const x = tf.tensor1d([-1, grid.min, 0.3, 1.5, hi, 2.5]);
    const dy = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    const g = tf.grad((t: tf.Tensor) => fakeQuantiseActivation(t, grid))(x, dy);
    expect(Array.from(g.dataSync())).toEqual([0, 2, 3, 4, 5, 0]);
    tf.dispose([x, dy, g]);
  });

  it("equals, by finite differences, the gradient of the range's clipping (what STE stands in for)", () => {
    const values = [-0.9, -0.2, 0.41, 1.07, 1.6, 2.4, 3];
    const w = [0.3, -1.2, 0.7, 2, -0.4, 1.1, 0.5];
    const ste = tf
      .grad((t: tf.Tensor) => tf.sum(tf.mul(fakeQuantiseActivation(t, grid), w)))(tf.tensor1d(values))
      .dataSync();
    const lo = grid.min;
    const hi = grid.min + 255 * grid.scale;
    const clipLoss = (v: number[]) => v.reduce((s, x, i) => s + w[i] * Math.min(hi, Math.max(lo, x)), 0);
    const h = 1e-4;
    values.forEach((_, i) => {
      const up = values.map((v, j) => (j === i ? v + h : v));
      const down = values.map((v, j) => (j === i ? v - h : v));
      expect(ste[i]).toBeCloseTo((clipLoss(up) - clipLoss(down)) / (2 * h), 4);
    });
  });

  it('leaks no tensors, with or without a gradient', () => {
    const x = tf.tensor1d([0.1, 0.7, 3]);
    const before = tf.memory().numTensors;
    tf.grad((t: tf.Tensor) => tf.sum(fakeQuantiseActivation(t, grid)))(x).dispose();
    tf.tidy(() => {
      fakeQuantiseActivation(x, grid);
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('ranges', () => {
  it('are an EMA of batch minima and maxima, started by the first batch (explicit values)', () => {
    const r = updateRanges(null, [Float32Array.from([-1, 2, 0, 4]), Float32Array.from([-3, 1, 1, 5])], 0.9);
    expect(r?.[0][0]).toBeCloseTo(0.9 * -1 + 0.1 * -3, 6);
    expect(r?.[0][1]).toBeCloseTo(0.9 * 2 + 0.1 * 1, 6);
    expect(r?.[1][0]).toBeCloseTo(0.1, 6);
    expect(r?.[1][1]).toBeCloseTo(4.1, 6);
    expect(updateRanges(null, [])).toBeNull();
  });

  it('are observed at each hidden output: the batch min/max of what the layer gives (inference mode)', async () => {
    const m = mlp();
    const x = rows(50, 1);
    const ranges = await calibrateRanges(m, x, 50);
    const hidden = tf.tidy(() => {
      const h1 = m.layers[0].apply(x) as tf.Tensor;
      const h2 = m.layers[2].apply(h1) as tf.Tensor;
      return [tf.min(h1), tf.max(h1), tf.min(h2), tf.max(h2)].map((t) => t.dataSync()[0]);
    });
    expect(ranges).toEqual([
      [hidden[0], hidden[1]],
      [hidden[2], hidden[3]],
    ]);
    x.dispose();
    m.dispose();
  });
});

describe('chainForward', () => {
  it('without ranges is model.apply exactly; with ranges each hidden output lies on its grid', () => {
    const m = mlp();
    const x = rows(20, 2);
    const a = m.apply(x, { training: false }) as tf.Tensor;
    const b = chainForward(m, x, false, { ranges: null });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const ranges: [number, number][] = [
      [0, 1.5],
      [0, 2],
    ];
    let seen: Float32Array | null = null;
    const apply = m.layers[4].apply.bind(m.layers[4]);
    m.layers[4].apply = (inputs, kwargs) => {
      if (inputs instanceof tf.Tensor) seen = inputs.dataSync() as Float32Array;
      return apply(inputs, kwargs);
    };
    const c = chainForward(m, x, false, { ranges });
    const g = uint8Grid(0, 2);
    expect(seen).not.toBeNull();
    for (const v of seen ?? []) expect(Math.abs(v / g.scale - Math.round(v / g.scale))).toBeLessThan(1e-3);
    tf.dispose([x, a, b, c]);
    m.dispose();
  });

  it('refuses a student that is not a chain', () => {
    const input = tf.input({ shape: [4] });
    const a = tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
    expect(() => chainLayers(m)).toThrow(/chain of layers/);
    m.dispose();
  });
});

describe('ActivationQuantTraining', () => {
  it('observes in training steps, folds once an epoch, freezes, and leaks nothing', async () => {
    const m = mlp();
    const x = rows(32, 3);
    const before = tf.memory().numTensors;
    const t = new ActivationQuantTraining(m);
    const opt = tf.train.sgd(0.01);
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = () => opt.minimize(() => tf.mean(tf.square(t.forward(x, true))) as tf.Scalar, false, vars)?.dispose();
    for (let i = 0; i < 3; i++) step();
    expect(t.ranges).toBeNull();
    await t.endEpoch();
    expect(t.ranges).toHaveLength(2);
    const frozen = await t.freeze(x);
    expect(t.frozen).toBe(true);
    step();
    expect(await t.freeze(x)).toBe(frozen);
    t.dispose();
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });

  it('calibrates on the given rows when no float epoch observed anything', async () => {
    const m = mlp();
    const x = rows(40, 4);
    const t = new ActivationQuantTraining(m);
    expect(await t.freeze(x)).toEqual(await calibrateRanges(m, x));
    t.dispose();
    x.dispose();
    m.dispose();
  });
});
