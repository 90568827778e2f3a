import type * as tf from '@tensorflow/tfjs';
import { ModelIoError, clip } from './errors';
import { groupByteLength } from './shards';
import { layerOfWeight, sizeFromShape } from './manifest';

function float16Problem(bits: number): 'NaN' | 'Infinity' | null {
  if ((bits & 0x7c00) !== 0x7c00) return null;
  return (bits & 0x3ff) === 0 ? 'Infinity' : 'NaN';
}

function entryProblem(entry: tf.io.WeightsManifestEntry, bytes: Uint8Array): 'NaN' | 'Infinity' | null {
  const q = entry.quantization;
  if (q && q.dtype !== 'float16') {
    const scale = q.scale ?? NaN;
    const min = q.min ?? NaN;
    if (Number.isNaN(scale) || Number.isNaN(min)) return 'NaN';
    return Number.isFinite(scale) && Number.isFinite(min) ? null : 'Infinity';
  }
  if (q) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i + 1 < bytes.byteLength; i += 2) {
      const problem = float16Problem(view.getUint16(i, true));
      if (problem) return problem;
    }
    return null;
  }
  if (entry.dtype !== 'float32' && entry.dtype !== 'complex64') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let infinite = false;
  for (let i = 0; i + 3 < bytes.byteLength; i += 4) {
    const v = view.getFloat32(i, true);
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) infinite = true;
  }
  return infinite ? 'Infinity' : null;
}

/**
 * Refuses weights with NaN or infinite values before any tensor exists: such a teacher would turn
 * every distillation loss into NaN, which is far harder to trace back than this message.
 */
export function checkWeightsFinite(manifest: tf.io.WeightsManifestConfig, data: ArrayBuffer): void {
  const all = new Uint8Array(data);
  let offset = 0;
  for (const group of manifest) {
    for (const entry of group.weights) {
      const length = groupByteLength([entry], all.subarray(offset));
      const problem =
        entry.group === 'optimizer' || sizeFromShape(entry.shape) === 0 ? null : entryProblem(entry, all.subarray(offset, offset + length));
      if (problem) {
        throw new ModelIoError(
          'nan-weights',
          `The model's weights contain ${problem} in layer '${clip(layerOfWeight(entry.name))}' (weight '${clip(entry.name)}'): it cannot be used. Retrain or re-export it.`,
        );
      }
      offset += length;
    }
  }
}
