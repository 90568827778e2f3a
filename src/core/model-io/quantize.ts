import type * as tf from '@tensorflow/tfjs';
import { encodeFloat16 } from './float16';
import { BYTES_PER_VALUE, sizeFromShape } from './manifest';
import type { WeightQuantization } from './types';

type Entry = tf.io.WeightsManifestEntry;

export interface AffineUint8 {
  /** Stored bytes; tfjs decodes value = q * scale + min. */
  q: Uint8Array<ArrayBuffer>;
  scale: number;
  min: number;
}

/**
 * Per-tensor affine uint8 quantization. When the range spans zero, min is nudged onto the grid so
 * that 0 stays exactly 0 (zero biases, ReLU dead units), as tfjs's converter does; the nudge moves
 * the range by at most scale/2, so every value is still within scale/2 of its decoded value.
 */
export function quantizeUint8(values: Float32Array): AffineUint8 {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const q = new Uint8Array(values.length);
  if (!(hi > lo)) return { q, scale: 1, min: values.length > 0 ? lo : 0 };
  const scale = (hi - lo) / 255;
  const min = lo < 0 && hi > 0 ? -Math.round(-lo / scale) * scale : lo;
  for (let i = 0; i < values.length; i++) {
    q[i] = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
  }
  return { q, scale, min };
}

/**
 * Re-encodes the float32 weights of a saved model as float16 or uint8, returning the manifest
 * entries tfjs's decodeWeights expects and the packed bytes. Other dtypes are copied unchanged.
 */
export function quantizeWeights(
  specs: readonly Entry[],
  data: ArrayBuffer,
  dtype: WeightQuantization,
): { specs: Entry[]; data: Uint8Array<ArrayBuffer> } {
  const parts: Uint8Array[] = [];
  const outSpecs: Entry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype === 'string' || spec.quantization)
      throw new Error(`Cannot quantize weight '${spec.name}' (${spec.quantization ? 'already quantized' : 'string'}).`);
    const length = sizeFromShape(spec.shape) * BYTES_PER_VALUE[spec.dtype];
    const raw = new Uint8Array(data, offset, length);
    offset += length;
    if (spec.dtype !== 'float32') {
      parts.push(raw);
      outSpecs.push({ ...spec });
      continue;
    }
    // slice() copies into an aligned buffer: a Float32Array view needs a 4-byte offset.
    const values = new Float32Array(raw.slice().buffer);
    if (dtype === 'float16') {
      parts.push(new Uint8Array(encodeFloat16(values).buffer));
      outSpecs.push({ ...spec, quantization: { dtype: 'float16' } });
    } else {
      const { q, scale, min } = quantizeUint8(values);
      parts.push(q);
      outSpecs.push({ ...spec, quantization: { dtype: 'uint8', scale, min } });
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return { specs: outSpecs, data: out };
}
