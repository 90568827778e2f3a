import type { Dataset, DataSplit } from './types';

/**
 * The compact MNIST-10k file served by the app (built by scripts/prepare-data.ts):
 *   bytes 0..3  magic "MN10"
 *   bytes 4..7  uint32 LE: number of training rows
 *   bytes 8..11 uint32 LE: number of test rows
 *   then labels (uint8, train rows then test rows), then pixels (uint8, 784 per row, same order).
 */
export const MNIST_MAGIC = 'MN10';
const HEADER = 12;
const PIXELS = 784;

export function encodeMnist(
  train: { pixels: Uint8Array; labels: Uint8Array },
  test: { pixels: Uint8Array; labels: Uint8Array },
): Uint8Array {
  const nTrain = train.labels.length;
  const nTest = test.labels.length;
  const out = new Uint8Array(HEADER + (nTrain + nTest) * (PIXELS + 1));
  for (let i = 0; i < 4; i++) out[i] = MNIST_MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(4, nTrain, true);
  view.setUint32(8, nTest, true);
  out.set(train.labels, HEADER);
  out.set(test.labels, HEADER + nTrain);
  const pix = HEADER + nTrain + nTest;
  out.set(train.pixels, pix);
  out.set(test.pixels, pix + nTrain * PIXELS);
  return out;
}

export function decodeMnist(buffer: ArrayBuffer): Dataset {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < HEADER || String.fromCharCode(...bytes.subarray(0, 4)) !== MNIST_MAGIC) {
    throw new Error('MNIST file: not a Distill Studio MNIST file (bad header). Rebuild it with `npm run data`.');
  }
  const view = new DataView(buffer);
  const nTrain = view.getUint32(4, true);
  const nTest = view.getUint32(8, true);
  const expected = HEADER + (nTrain + nTest) * (PIXELS + 1);
  if (bytes.length !== expected) {
    throw new Error(`MNIST file: expected ${expected} bytes for ${nTrain}+${nTest} digits, got ${bytes.length}.`);
  }
  const labelsAt = HEADER;
  const pixelsAt = HEADER + nTrain + nTest;
  const split = (first: number, n: number): DataSplit => {
    const y = new Int32Array(n);
    const x = new Float32Array(n * PIXELS);
    for (let i = 0; i < n; i++) {
      const label = bytes[labelsAt + first + i];
      if (label > 9) throw new Error(`MNIST file: row ${first + i} has label ${label}, expected 0-9.`);
      y[i] = label;
    }
    const src = bytes.subarray(pixelsAt + first * PIXELS, pixelsAt + (first + n) * PIXELS);
    for (let i = 0; i < src.length; i++) x[i] = src[i] / 255;
    return { x, y, n };
  };
  return {
    name: 'MNIST-10k',
    numFeatures: PIXELS,
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    imageShape: [28, 28, 1],
    train: split(0, nTrain),
    test: split(nTrain, nTest),
  };
}
