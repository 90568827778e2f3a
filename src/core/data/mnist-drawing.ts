import { type RgbaImage, resizeInto } from './image-resize';

/** MNIST's digits were size-normalised to fit a 20×20 box, then centred by their centre of mass in a 28×28 field. */
const FIELD = 28;
const BOX = 20;
/** Ink fainter than this (0..1) is the pad's background, not part of the digit's bounding box. */
const INK_THRESHOLD = 0.05;

/**
 * A digit drawn light on dark (as MNIST stores them) turned into a 28×28 MNIST row (0..1, row-major).
 * Preprocessed as LeCun et al. made the data set: the stroke's bounding box is scaled, keeping its aspect
 * ratio, to fit 20×20 with area averaging (anti-aliased), then moved so that its centre of mass sits at the
 * centre of the 28×28 field. Without this a digit drawn small or off-centre is misread. Null when nothing is drawn.
 */
export function mnistFromDrawing(image: RgbaImage): Float32Array | null {
  const box = inkBounds(image);
  if (!box) return null;
  const w = box.right - box.left + 1;
  const h = box.bottom - box.top + 1;
  const scale = BOX / Math.max(w, h);
  const sw = Math.max(1, Math.round(w * scale));
  const sh = Math.max(1, Math.round(h * scale));
  const small = new Float32Array(sw * sh);
  resizeInto(crop(image, box.left, box.top, w, h), sw, sh, 1, small, 0);

  const { x: cx, y: cy } = centreOfMass(small, sw, sh);
  const dx = Math.round(FIELD / 2 - cx);
  const dy = Math.round(FIELD / 2 - cy);
  const out = new Float32Array(FIELD * FIELD);
  for (let y = 0; y < sh; y++) {
    const fy = y + dy;
    if (fy < 0 || fy >= FIELD) continue;
    for (let x = 0; x < sw; x++) {
      const fx = x + dx;
      if (fx >= 0 && fx < FIELD) out[fy * FIELD + fx] = small[y * sw + x];
    }
  }
  return out;
}

/** The ink of one RGBA pixel, 0..1: its brightness (the pad draws white on black). */
function inkAt(image: RgbaImage, x: number, y: number): number {
  const p = (y * image.width + x) * 4;
  return (0.299 * image.data[p] + 0.587 * image.data[p + 1] + 0.114 * image.data[p + 2]) / 255;
}

function inkBounds(image: RgbaImage): { left: number; top: number; right: number; bottom: number } | null {
  let left = image.width;
  let top = image.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (inkAt(image, x, y) <= INK_THRESHOLD) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return right < 0 ? null : { left, top, right, bottom };
}

function crop(image: RgbaImage, left: number, top: number, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 4;
    data.set(image.data.subarray(from, from + width * 4), y * width * 4);
  }
  return { width, height, data };
}

/** Centre of mass in pixel coordinates, a pixel's mass sitting at its centre (x + 0.5, y + 0.5). */
export function centreOfMass(values: Float32Array, width: number, height: number): { x: number; y: number } {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return mass > 0 ? { x: mx / mass, y: my / mass } : { x: width / 2, y: height / 2 };
}
