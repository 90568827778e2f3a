import { describe, expect, it } from 'vitest';
import { cellPixels, classColour, planeAgreement } from './boundary-paint';

describe('cellPixels', () => {
  it('paints each cell in its class colour over white, stronger where the model is sure', () => {
    const pixels = cellPixels({ classes: Uint8Array.from([0, 1, 1, 0]), confidence: Float32Array.from([1, 1, 0.5, 0.75]) }, 2);
    expect(pixels).toHaveLength(16);
    const blend = (c: number, a: number) => 255 + (c - 255) * a;
    // Within rounding: Uint8ClampedArray rounds halves to even.
    const px = (i: number) => ({
      asExpected: (want: number[]) =>
        Array.from(pixels.slice(i * 4, i * 4 + 4)).forEach((v, j) => {
          expect(Math.abs(v - want[j])).toBeLessThanOrEqual(0.5);
        }),
    });
    const [r0, g0, b0] = classColour(0);
    const [r1, g1, b1] = classColour(1);
    px(0).asExpected([blend(r0, 0.75), blend(g0, 0.75), blend(b0, 0.75), 255]);
    px(1).asExpected([blend(r1, 0.75), blend(g1, 0.75), blend(b1, 0.75), 255]);
    px(2).asExpected([blend(r1, 0.15), blend(g1, 0.15), blend(b1, 0.15), 255]); // a coin toss: faint
    px(3).asExpected([blend(r0, 0.45), blend(g0, 0.45), blend(b0, 0.45), 255]);
  });

  it('cycles the palette past ten classes', () => {
    expect(classColour(12)).toEqual(classColour(2));
  });
});

describe('planeAgreement', () => {
  it('is the fraction of cells with the same class', () => {
    const a = { classes: Uint8Array.from([0, 1, 1, 0]), confidence: new Float32Array(4) };
    const b = { classes: Uint8Array.from([0, 1, 0, 0]), confidence: new Float32Array(4) };
    expect(planeAgreement(a, b)).toBe(0.75);
    expect(planeAgreement(a, a)).toBe(1);
  });
});
