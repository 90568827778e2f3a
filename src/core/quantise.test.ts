import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from './model-io/export';
import { loadExported } from './model-io/reload';
import { imageModel, randomRows, smallMlp } from './model-io/test-fixtures';
import { quantizeUint8 } from './model-io/quantize';
import { fakeQuantise, fakeQuantiseValues, quantAwareStep, quantisedValues, uint8Bytes } from './quantise';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

/** Weights spread over a wide range with a zero and ties, so rounding and the zero nudge both matter. */
function scramble(model: tf.LayersModel, seed: number): void {
  const weights = model.getWeights().map((w, i) => {
    const r = tf.randomNormal(w.shape, 0, 0.3 + i, 'float32', seed + i);
    const values = r.dataSync().slice() as Float32Array;
    r.dispose();
    values[0] = 0;
    return tf.tensor(values, w.shape);
  });
  model.setWeights(weights);
  tf.dispose(weights);
}

describe('fakeQuantise per tensor', () => {
  it('gives exactly the weights of the exported uint8 model loaded back by tfjs', async () => {
    for (const [model, seed] of [
      [smallMlp(5), 3],
      [imageModel(4), 9],
    ] as const) {
      scramble(model, seed);
      const reloaded = await loadExported(await exportModel(model, { quantization: 'uint8' }));
      const original = model.getWeights();
      const loaded = reloaded.getWeights();
      for (let i = 0; i < original.length; i++) {
        const fq = fakeQuantise(original[i]);
        expect(Array.from(fq.dataSync())).toEqual(Array.from(loaded[i].dataSync()));
        // and the model's answers are the reloaded model's, bit for bit
        fq.dispose();
      }
      const x = randomRows(7, 4, 2);
      const swapped = model.getWeights().map((w) => fakeQuantise(w));
      model.setWeights(swapped);
      if (model.inputs[0].shape.length === 2) {
        const a = model.predict(x) as tf.Tensor;
        const b = reloaded.predict(x) as tf.Tensor;
        expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
        tf.dispose([a, b]);
      }
      tf.dispose([x, ...swapped]);
      model.dispose();
      reloaded.dispose();
    }
  });

  it('keeps zero exactly zero and every value within half a step', () => {
    const values = Float32Array.from([-1.3, 0, 0.2, 2.7, 1e-9, -0.5]);
    const { values: out, grids } = fakeQuantiseValues(values, [6]);
    expect(out[1]).toBe(0);
    for (let i = 0; i < values.length; i++) expect(Math.abs(out[i] - values[i])).toBeLessThanOrEqual(grids[0].scale / 2 + 1e-7);
  });
});

describe('fakeQuantise gradient', () => {
  it('is the straight-through one: dy inside the range, 0 where clipped', () => {
    const x = tf.tensor1d([-2, -0.5, 0, 0.3, 0.9, 1.5]);
    const dy = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    const g = tf.grad((t: tf.Tensor) => fakeQuantise(t, { range: [-1, 1] }))(x, dy);
    expect(Array.from(g.dataSync())).toEqual([0, 2, 3, 4, 5, 0]);
    const own = tf.grad((t: tf.Tensor) => fakeQuantise(t))(x, dy);
    expect(Array.from(own.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    tf.dispose([x, dy, g, own]);
  });

  it('clips values outside a given range to its ends', () => {
    const x = tf.tensor1d([-2, 0, 2]);
    const y = fakeQuantise(x, { range: [-1, 1] });
    const v = y.dataSync();
    expect(v[0]).toBeCloseTo(-1, 2);
    expect(v[1]).toBe(0);
    expect(v[2]).toBeCloseTo(1, 2);
    tf.dispose([x, y]);
  });

  it('leaks no tensors', () => {
    const x = tf.tensor2d([
      [0.1, -0.4],
      [0.7, 0.2],
    ]);
    const before = tf.memory().numTensors;
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(fakeQuantise(t, { perChannel: true }))))(x);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.tidy(() => {
      fakeQuantise(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('fakeQuantise per channel', () => {
  it('uses one grid per output channel (last axis), as computed by hand', () => {
    // kernel [2 inputs, 2 units]: channel 0 holds 0 and 2.55, channel 1 holds -1 and 1.
    const values = Float32Array.from([0, -1, 2.55, 1]);
    const { values: out, grids } = fakeQuantiseValues(values, [2, 2], { perChannel: true });
    expect(grids[0].scale).toBe(Math.fround(2.55) / 255);
    expect(grids[0].min).toBe(0);
    const scale1 = 2 / 255;
    const min1 = -Math.round(1 / scale1) * scale1; // 0 nudged onto the grid: -128 steps
    expect(grids[1].scale).toBe(scale1);
    expect(grids[1].min).toBe(min1);
    expect(out[0]).toBe(0);
    expect(out[2]).toBe(Math.fround(255 * grids[0].scale));
    expect(out[1]).toBe(Math.fround(min1));
    expect(out[3]).toBe(Math.fround(Math.min(255, Math.round((1 - min1) / scale1)) * scale1 + min1));
    // a bias (rank 1) keeps one grid
    expect(fakeQuantiseValues(Float32Array.from([0, 1, 2]), [3], { perChannel: true }).grids).toHaveLength(1);
  });
});

describe('uint8Bytes', () => {
  it("per tensor stores the TF.js export's bytes, scale and min; per channel decodes to the per-channel fake quantisation", () => {
    const values = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 4)));
    const tfjs = quantizeUint8(values);
    const own = uint8Bytes(values, [6, 4]);
    expect(Array.from(own.q)).toEqual(Array.from(tfjs.q));
    expect(own.grids).toEqual([{ scale: tfjs.scale, min: tfjs.min }]);
    const pc = uint8Bytes(values, [6, 4], { perChannel: true });
    expect(pc.grids).toHaveLength(4);
    const fq = fakeQuantiseValues(values, [6, 4], { perChannel: true }).values;
    pc.q.forEach((q, i) => {
      const g = pc.grids[i % 4];
      expect(Math.fround(q * g.scale + g.min)).toBe(fq[i]);
    });
  });
});

describe('quantAwareStep', () => {
  it('lets the loss see the uint8 weights and updates the float shadow weights', async () => {
    const w = tf.variable(tf.tensor1d([0.123, -0.777, 0.5, 0.0031]));
    const floatBefore = Float32Array.from(w.dataSync());
    const [q] = await quantisedValues([w]);
    const expectedQ = fakeQuantiseValues(floatBefore, [4]).values;
    let seen: Float32Array | null = null;
    const opt = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    const loss = tf.tidy(() =>
      quantAwareStep(
        opt,
        () => {
          seen = w.dataSync().slice() as Float32Array;
          return tf.sum(tf.mul(w, tf.tensor1d([1, 2, 3, 4])));
        },
        [w],
        [w],
        [q],
      ),
    );
    expect(Array.from(seen ?? [])).toEqual(Array.from(expectedQ));
    // SGD on the float values, gradient [1,2,3,4] taken at the quantised point
    const after = w.dataSync();
    for (let i = 0; i < 4; i++) expect(after[i]).toBeCloseTo(floatBefore[i] - 0.1 * (i + 1), 6);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, q]);
    opt.dispose();
  });
});
