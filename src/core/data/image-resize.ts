/** A decoded image: 8-bit RGBA, row-major, as the browser's ImageData holds it. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** For one output pixel along one axis: which source pixels it reads and with what weights (they sum to 1). */
export interface Taps {
  index: number[];
  weight: number[];
}

/**
 * 1-D resampling weights. Shrinking averages the source pixels each output pixel covers (box filter):
 * plain bilinear would skip most pixels of a large photo and alias. Enlarging interpolates between
 * the two nearest pixel centres (bilinear).
 */
export function resampleTaps(srcLength: number, dstLength: number): Taps[] {
  const ratio = srcLength / dstLength;
  const taps: Taps[] = [];
  for (let o = 0; o < dstLength; o++) {
    if (ratio >= 1) {
      const from = o * ratio;
      const to = (o + 1) * ratio;
      const t: Taps = { index: [], weight: [] };
      for (let i = Math.floor(from); i < Math.min(srcLength, Math.ceil(to)); i++) {
        const overlap = Math.min(to, i + 1) - Math.max(from, i);
        if (overlap > 0) {
          t.index.push(i);
          t.weight.push(overlap / ratio);
        }
      }
      taps.push(t);
    } else {
      const centre = Math.max(0, (o + 0.5) * ratio - 0.5);
      const i0 = Math.min(srcLength - 1, Math.floor(centre));
      const i1 = Math.min(srcLength - 1, i0 + 1);
      const f = centre - i0;
      taps.push({ index: [i0, i1], weight: [1 - f, f] });
    }
  }
  return taps;
}

/**
 * Resizes to width × height and writes channels-last values in 0..1 into `out` at `offset`.
 * Alpha is dropped (the colour channels are used as they are); one channel means luma (ITU-R BT.601).
 */
export function resizeInto(img: RgbaImage, width: number, height: number, channels: 1 | 3, out: Float32Array, offset: number): void {
  const across = resampleTaps(img.width, width);
  const down = resampleTaps(img.height, height);
  // Separable: resample every source row across first, then the columns of that result down.
  const rows = new Float32Array(img.height * width * 3);
  for (let sy = 0; sy < img.height; sy++) {
    for (let x = 0; x < width; x++) {
      const { index, weight } = across[x];
      let r = 0;
      let g = 0;
      let b = 0;
      for (let t = 0; t < index.length; t++) {
        const p = (sy * img.width + index[t]) * 4;
        r += weight[t] * img.data[p];
        g += weight[t] * img.data[p + 1];
        b += weight[t] * img.data[p + 2];
      }
      const q = (sy * width + x) * 3;
      rows[q] = r;
      rows[q + 1] = g;
      rows[q + 2] = b;
    }
  }
  for (let y = 0; y < height; y++) {
    const { index, weight } = down[y];
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let t = 0; t < index.length; t++) {
        const q = (index[t] * width + x) * 3;
        r += weight[t] * rows[q];
        g += weight[t] * rows[q + 1];
        b += weight[t] * rows[q + 2];
      }
      const o = offset + (y * width + x) * channels;
      if (channels === 1) {
        out[o] = toUnit(0.299 * r + 0.587 * g + 0.114 * b);
      } else {
        out[o] = toUnit(r);
        out[o + 1] = toUnit(g);
        out[o + 2] = toUnit(b);
      }
    }
  }
}

/** Weights that sum to 1 only up to rounding could otherwise give 1.0000001 for white. */
function toUnit(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 1 : v / 255;
}
