import type * as tf from '@tensorflow/tfjs';
import { ModelIoError, clip } from './errors';
import { BYTES_PER_VALUE, basename, sizeFromShape } from './manifest';
import type { ModelFile } from './types';

/** Bytes of one weight, read from `data` at `offset` for strings (each value is length-prefixed). */
function entryByteLength(entry: tf.io.WeightsManifestEntry, data: Uint8Array, offset: number): number {
  const count = sizeFromShape(entry.shape);
  if (entry.quantization) return count * BYTES_PER_VALUE[entry.quantization.dtype];
  if (entry.dtype !== 'string') return count * BYTES_PER_VALUE[entry.dtype];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let length = 0;
  for (let i = 0; i < count; i++) {
    // Past the end the remaining lengths are unknowable; any answer above the data's size reports truncation.
    if (offset + length + 4 > data.byteLength) return length + 4 + data.byteLength;
    length += 4 + view.getUint32(offset + length, true);
  }
  return length;
}

/** Bytes a group's weights need, given the group's bytes (only strings look at them). */
export function groupByteLength(weights: readonly tf.io.WeightsManifestEntry[], data: Uint8Array): number {
  let offset = 0;
  for (const w of weights) offset += entryByteLength(w, data, offset);
  return offset;
}

function findShard(files: readonly ModelFile[], path: string): ModelFile | undefined {
  const want = basename(path);
  let decoded = want;
  try {
    decoded = decodeURIComponent(want);
  } catch {
    // A name with a stray '%' is simply compared as written.
  }
  return files.find((f) => basename(f.name) === want) ?? files.find((f) => basename(f.name) === decoded);
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function quoteAll(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => `'${clip(n)}'`);
  return shown.join(' + ') + (names.length > 8 ? ` + … (${names.length} in all)` : '');
}

/**
 * The weight bytes of every group, matched to the manifest's paths by file name and checked
 * against the manifest's sizes, as one buffer in manifest order (what tfjs's decodeWeights reads).
 */
export function collectWeightData(jsonName: string, manifest: tf.io.WeightsManifestConfig, files: readonly ModelFile[]): ArrayBuffer {
  const groups: Uint8Array[] = [];
  for (const group of manifest) {
    const shards = group.paths.map((path) => {
      const file = findShard(files, path);
      if (!file) {
        throw new ModelIoError(
          'missing-shard',
          `Missing weight file '${clip(basename(path))}': '${jsonName}' lists it in its weightsManifest. Choose it together with ${jsonName}.`,
        );
      }
      return file;
    });
    const data = concat(shards.map((s) => s.bytes));
    const needed = groupByteLength(group.weights, data);
    const names = quoteAll(shards.map((s) => basename(s.name)));
    const many = shards.length > 1;
    if (data.byteLength < needed) {
      throw new ModelIoError(
        'truncated-weights',
        `Weight file${many ? 's' : ''} ${names} ${many ? 'are' : 'is'} truncated: '${jsonName}' needs ${needed} bytes but ${many ? 'they hold' : 'the file holds'} ${data.byteLength}. Download or export the model again.`,
      );
    }
    if (data.byteLength > needed) {
      throw new ModelIoError(
        'extra-weights',
        `Weight file${many ? 's' : ''} ${names} ${many ? 'do' : 'does'} not match '${jsonName}': ${many ? 'they hold' : 'it holds'} ${data.byteLength} bytes but the manifest describes ${needed} ` +
          `(${data.byteLength - needed} extra). The weights are misaligned or belong to another model.`,
      );
    }
    groups.push(data);
  }
  // concat allocates exactly, so the buffer is the data with no offset to carry.
  return concat(groups).buffer;
}
