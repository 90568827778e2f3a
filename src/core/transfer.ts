import type { TransferSet } from './experiment';
import { createRng, deriveSeed, permutation, type Rng } from './rng';

/**
 * The transfer set: which training rows the students see, and which of those keep their labels.
 * Plain arrays, no tfjs.
 */
export interface TransferRows {
  /** Training-row indices in the transfer set (the omitted class is not among them). */
  rows: Int32Array;
  /** The subset of `rows` whose labels the students may use: the scratch control trains on these alone. */
  labelled: Int32Array;
  /** Per entry of `rows`: 1 when labelled, else 0 (the hard term's mask). */
  labelledMask: Float32Array;
}

export function validateTransfer(t: TransferSet, numClasses: number, isImage: boolean): void {
  if (!(t.labelledFraction > 0 && t.labelledFraction <= 1))
    throw new Error(`The labelled fraction must be above 0 and at most 1, got ${t.labelledFraction}.`);
  if (t.omitClass !== null && !(Number.isInteger(t.omitClass) && t.omitClass >= 0 && t.omitClass < numClasses)) {
    throw new Error(`The omitted class must be one of the ${numClasses} classes, got ${t.omitClass}.`);
  }
  if (!(Number.isInteger(t.jitter) && t.jitter >= 0 && t.jitter <= 4))
    throw new Error(`Jitter must be a whole number of pixels from 0 to 4, got ${t.jitter}.`);
  if (t.jitter > 0 && !isImage) throw new Error('Jitter shifts images: this data set has no image shape.');
}

/**
 * Drops the omitted class, then keeps the labels of a seeded, stratified `labelledFraction` of each
 * class (at least one row per class present), so even 1% of MNIST has every digit labelled.
 */
export function transferRows(labels: Int32Array, numClasses: number, t: TransferSet, seed: number): TransferRows {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((y, i) => {
    if (y !== t.omitClass) byClass[y].push(i);
  });
  const rows = Int32Array.from(byClass.flat().sort((a, b) => a - b));
  if (rows.length === 0) throw new Error('The transfer set is empty: every training row belongs to the omitted class.');
  const isLabelled = new Uint8Array(labels.length);
  byClass.forEach((members, c) => {
    if (members.length === 0) return;
    const keep = t.labelledFraction >= 1 ? members.length : Math.max(1, Math.round(members.length * t.labelledFraction));
    const order = permutation(members.length, createRng(deriveSeed(seed, 0x1abe1, c)));
    for (let k = 0; k < keep; k++) isLabelled[members[order[k]]] = 1;
  });
  const labelled = rows.filter((r) => isLabelled[r] === 1);
  const labelledMask = Float32Array.from(rows, (r) => isLabelled[r]);
  return { rows, labelled, labelledMask };
}

/**
 * Copies the given rows of `x` (flattened images, row-major [h, w, c]), each shifted by a random
 * whole number of pixels in [-maxShift, maxShift] along both axes, with zeros shifted in.
 */
export function jitterImages(
  x: Float32Array,
  rows: ArrayLike<number>,
  imageShape: [number, number, number],
  maxShift: number,
  rng: Rng,
): Float32Array {
  const [h, w, c] = imageShape;
  const size = h * w * c;
  const out = new Float32Array(rows.length * size);
  for (let k = 0; k < rows.length; k++) {
    const dy = Math.floor(rng() * (2 * maxShift + 1)) - maxShift;
    const dx = Math.floor(rng() * (2 * maxShift + 1)) - maxShift;
    if (Math.abs(dx) >= w || Math.abs(dy) >= h) continue; // shifted out entirely: a blank image
    const src = rows[k] * size;
    const dst = k * size;
    for (let yy = Math.max(0, dy); yy < Math.min(h, h + dy); yy++) {
      const from = src + ((yy - dy) * w + Math.max(0, -dx)) * c;
      const to = dst + (yy * w + Math.max(0, dx)) * c;
      out.set(x.subarray(from, from + (w - Math.abs(dx)) * c), to);
    }
  }
  return out;
}
