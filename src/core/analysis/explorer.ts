import type { FeatureScaling } from '../data/types';

/**
 * Helpers for looking at one test example at a time: which one to show next, and how to show
 * its features (as pixels or as the numbers the file had).
 */

/**
 * The first index after `from` (wrapping round, `from` itself last) whose prediction is not its
 * label; null when every prediction is right.
 */
export function nextMistake(predictions: ArrayLike<number>, labels: ArrayLike<number>, from: number): number | null {
  const n = Math.min(predictions.length, labels.length);
  if (n === 0) return null;
  const start = ((Math.trunc(from) % n) + n) % n;
  for (let step = 1; step <= n; step++) {
    const i = (start + step) % n;
    if (predictions[i] !== labels[i]) return i;
  }
  return null;
}

/**
 * RGBA pixels for a canvas from one image row (h × w × c, channels last). Values in 0..1 (how the
 * data loaders scale images) map straight to 0..255; anything else, e.g. a standardised CSV, is
 * stretched from its own min..max so that the picture is still visible.
 */
export function imageToRgba(
  features: ArrayLike<number>,
  [height, width, channels]: readonly [number, number, number],
): Uint8ClampedArray<ArrayBuffer> {
  const pixels = height * width;
  if (features.length !== pixels * channels)
    throw new Error(`An image of ${height}×${width}×${channels} needs ${pixels * channels} values, got ${features.length}.`);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < features.length; i++) {
    min = Math.min(min, features[i]);
    max = Math.max(max, features[i]);
  }
  const unit = min >= 0 && max <= 1;
  const lo = unit ? 0 : min;
  const span = unit ? 1 : max > min ? max - min : 1;
  const byte = (v: number) => Math.round(((v - lo) / span) * 255);
  const out = new Uint8ClampedArray(pixels * 4);
  // Three or more channels read as RGB (a fourth is ignored); anything else as grey from the first channel.
  const rgb = channels >= 3;
  for (let p = 0; p < pixels; p++) {
    const base = p * channels;
    out[p * 4] = byte(features[base]);
    out[p * 4 + 1] = byte(features[base + (rgb ? 1 : 0)]);
    out[p * 4 + 2] = byte(features[base + (rgb ? 2 : 0)]);
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** The values as the file had them, undoing x' = (x − offset) / scale; unchanged without scaling. */
export function unscaleFeatures(features: ArrayLike<number>, scaling?: FeatureScaling): number[] {
  const values = Array.from(features);
  if (!scaling || scaling.kind === 'none') return values;
  return values.map((v, j) => v * (scaling.scale[j] ?? 1) + (scaling.offset[j] ?? 0));
}

/** Row `index` of a flat row-major [rows, numClasses] array, without copying. */
export function rowOf(values: Float32Array, numClasses: number, index: number): Float32Array {
  return values.subarray(index * numClasses, (index + 1) * numClasses);
}
