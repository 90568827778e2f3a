import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { exportModel } from './export';
import { float32ToFloat16Bits } from './float16';
import { quantizeUint8 } from './quantize';
import { exportAndMeasure } from './quantize-report';
import { loadExported } from './reload';
import { randomRows, smallMlp } from './test-fixtures';

beforeAll(useCpuBackend);

/** tfjs's own float16 decoder, reached through decodeWeights. */
function tfjsDecodeFloat16(bits: Uint16Array): Float32Array {
  const map = tf.io.decodeWeights(bits.slice().buffer, [
    { name: 'h', shape: [bits.length], dtype: 'float32', quantization: { dtype: 'float16' } },
  ]);
  const values = map.h.dataSync() as Float32Array;
  map.h.dispose();
  return values;
}

function weightValues(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

describe('float16 encoding', () => {
  it('inverts tfjs decoding for every finite half and infinity', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const decoded = tfjsDecodeFloat16(all);
    for (let h = 0; h < 65536; h++) {
      if (Number.isNaN(decoded[h])) continue;
      if (float32ToFloat16Bits(decoded[h]) !== h)
        throw new Error(`half 0x${h.toString(16)} -> ${decoded[h]} -> 0x${float32ToFloat16Bits(decoded[h]).toString(16)}`);
    }
  });

  it('rounds to nearest, ties to even, and saturates', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even mantissa
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (up)
    expect(float32ToFloat16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-1e9)).toBe(0xfc00);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(float32ToFloat16Bits(NaN) & 0x3ff).not.toBe(0);
  });
});

describe('uint8 affine quantization', () => {
  it('keeps every value within scale/2 and zero exact when the range spans it', () => {
    const values = new Float32Array([-0.37, 0, 0.001, 0.5, 1.23, -0.2, 0.9]);
    const { q, scale, min } = quantizeUint8(values);
    expect(scale).toBeCloseTo((1.23 + 0.37) / 255, 6);
    values.forEach((v, i) => {
      expect(Math.abs(q[i] * scale + min - v)).toBeLessThanOrEqual(scale / 2 + 1e-7);
    });
    expect(q[1] * scale + min).toBeCloseTo(0, 12);
  });

  it('stores a constant tensor exactly', () => {
    const { q, scale, min } = quantizeUint8(new Float32Array([0.25, 0.25, 0.25]));
    expect([...q].map((v) => v * scale + min)).toEqual([0.25, 0.25, 0.25]);
  });
});

describe('quantized export', () => {
  it('float16: half the weight bytes, weights within 1e-3 relative, predictions within 1e-2', async () => {
    const model = smallMlp(5);
    const f32 = await exportModel(model);
    const f16 = await exportModel(model, { quantization: 'float16' });
    expect(f16.weights.byteLength).toBe(f32.weights.byteLength / 2);
    // The total is the halved weights plus model.json, which grows only by the quantization entries.
    expect(f16.bytes).toBe(f16.weights.byteLength + new TextEncoder().encode(f16.modelJson).byteLength);
    const json = JSON.parse(f16.modelJson);
    for (const w of json.weightsManifest[0].weights) expect(w.quantization).toEqual({ dtype: 'float16' });

    const reloaded = await loadExported(f16);
    const orig = weightValues(model);
    weightValues(reloaded).forEach((vals, i) => {
      vals.forEach((v, j) => {
        expect(Math.abs(v - orig[i][j])).toBeLessThanOrEqual(1e-3 * Math.abs(orig[i][j]) + 1e-7);
      });
    });
    const x = randomRows(50, 4);
    const [a, b] = [model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor];
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    const scale = tf.max(tf.abs(a)).dataSync()[0];
    expect(diff).toBeLessThan(1e-2 * scale);
    tf.dispose([x, a, b]);
    model.dispose();
    reloaded.dispose();
  });

  it('uint8: a quarter of the weight bytes, each weight within scale/2 of the original', async () => {
    const model = smallMlp(6);
    const f32 = await exportModel(model);
    const u8 = await exportModel(model, { quantization: 'uint8' });
    expect(u8.weights.byteLength).toBe(f32.weights.byteLength / 4);
    const specs = JSON.parse(u8.modelJson).weightsManifest[0].weights;
    const reloaded = await loadExported(u8);
    const orig = weightValues(model);
    weightValues(reloaded).forEach((vals, i) => {
      const { dtype, scale, min } = specs[i].quantization;
      expect(dtype).toBe('uint8');
      expect(typeof min).toBe('number');
      vals.forEach((v, j) => {
        expect(Math.abs(v - orig[i][j])).toBeLessThanOrEqual(scale / 2 + 1e-6 * Math.abs(orig[i][j]) + 1e-7);
      });
    });
    model.dispose();
    reloaded.dispose();
  });

  it('reports sizes and the accuracy of the reloaded export', async () => {
    const model = smallMlp(7);
    const x = randomRows(200, 4, 3);
    // Labels are the float32 model's own answers, so it scores 1 and quantization can only lose.
    const y = tf.tidy(() => tf.cast(tf.argMax(model.predict(x) as tf.Tensor2D, 1), 'float32') as tf.Tensor1D);
    const before = tf.memory().numTensors;
    const plain = await exportAndMeasure(model, x, y);
    const half = await exportAndMeasure(model, x, y, { quantization: 'float16' });
    const byte = await exportAndMeasure(model, x, y, { quantization: 'uint8' });
    expect(tf.memory().numTensors).toBe(before);
    expect(plain.report.testAccuracy).toBe(1);
    expect(half.report.testAccuracy).toBeGreaterThan(0.97);
    expect(byte.report.testAccuracy).toBeGreaterThan(0.9);
    expect(plain.report.float32WeightBytes).toBe(model.countParams() * 4);
    expect(half.report.weightBytes).toBe(plain.report.weightBytes / 2);
    expect(byte.report.weightBytes).toBe(plain.report.weightBytes / 4);
    expect(byte.report.quantization).toBe('uint8');
    tf.dispose([x, y]);
    model.dispose();
  });
});
