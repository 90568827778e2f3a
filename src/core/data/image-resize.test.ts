import { describe, expect, it } from 'vitest';
import { resampleTaps, resizeInto, type RgbaImage } from './image-resize';

const rgba = (width: number, height: number, px: (x: number, y: number) => [number, number, number, number]): RgbaImage => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(px(x, y), (y * width + x) * 4);
  return { width, height, data };
};

describe('resampleTaps', () => {
  it('averages the covered pixels when shrinking, with fractional edges', () => {
    expect(resampleTaps(4, 2)).toEqual([
      { index: [0, 1], weight: [0.5, 0.5] },
      { index: [2, 3], weight: [0.5, 0.5] },
    ]);
    const t = resampleTaps(3, 2);
    expect(t[0].index).toEqual([0, 1]);
    expect(t[0].weight.map((w) => +w.toFixed(6))).toEqual([0.666667, 0.333333]);
  });

  it('interpolates between pixel centres when enlarging, clamped at the edges', () => {
    expect(resampleTaps(2, 4)).toEqual([
      { index: [0, 1], weight: [1, 0] },
      { index: [0, 1], weight: [0.75, 0.25] },
      { index: [0, 1], weight: [0.25, 0.75] },
      { index: [1, 1], weight: [0.75, 0.25] },
    ]);
  });

  it('is the identity at the same size', () => {
    expect(resampleTaps(3, 3)).toEqual([0, 1, 2].map((i) => ({ index: [i], weight: [1] })));
  });
});

describe('resizeInto', () => {
  it('shrinks 2×2 to 1×1 by averaging and drops alpha', () => {
    const img = rgba(2, 2, (x, y) => [x * 255, y * 255, 0, x === 0 ? 0 : 255]);
    const out = new Float32Array(3);
    resizeInto(img, 1, 1, 3, out, 0);
    expect([...out]).toEqual([0.5, 0.5, 0]);
  });

  it('writes grayscale as BT.601 luma in 0..1 at the given offset', () => {
    const img = rgba(1, 1, () => [255, 0, 0, 255]);
    const out = new Float32Array(3).fill(-1);
    resizeInto(img, 1, 1, 1, out, 1);
    expect(out[0]).toBe(-1);
    expect(out[1]).toBeCloseTo(0.299, 6);
    expect(out[2]).toBe(-1);
  });

  it('keeps white at exactly 1 and enlarges a 1×1 image to a flat 3×2', () => {
    const out = new Float32Array(6);
    resizeInto(
      rgba(1, 1, () => [255, 255, 255, 255]),
      3,
      2,
      1,
      out,
      0,
    );
    expect([...out]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('lays pixels out row-major, channels last', () => {
    const img = rgba(2, 1, (x) => [x === 0 ? 255 : 0, x === 0 ? 0 : 255, 0, 255]);
    const out = new Float32Array(6);
    resizeInto(img, 2, 1, 3, out, 0);
    expect([...out]).toEqual([1, 0, 0, 0, 1, 0]);
  });
});
