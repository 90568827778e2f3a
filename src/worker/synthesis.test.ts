import { describe, expect, it } from 'vitest';
import { GridBuilder } from './synthesis';

describe('the synthesis grid', () => {
  it('puts each row in its class and column, scaled to uint8 from the range', () => {
    // 3 classes, 2 per class: rows 0..5 are classes 0,1,2,0,1,2; 2x1 grey images over the range [-1, 1].
    const b = new GridBuilder(3, 2, [2, 1, 1], { min: -1, max: 1 });
    b.put({ firstRow: 3, classes: Int32Array.from([0, 1]), x: Float32Array.from([-1, 1, 0, 0.5]) });
    const g = b.copy();
    expect([g.columns, g.width, g.height, g.channels]).toEqual([2, 1, 2, 1]);
    // Row 3 is class 0's second image (cell 1), row 4 class 1's second (cell 3).
    expect(Array.from(g.filled)).toEqual([0, 1, 0, 1, 0, 0]);
    expect(Array.from(g.pixels.subarray(2, 4))).toEqual([0, 255]);
    expect(Array.from(g.pixels.subarray(6, 8))).toEqual([128, 191]);
  });

  it('keeps at most eight columns and leaves rows beyond them out', () => {
    const b = new GridBuilder(1, 20, [1, 1, 1], { min: 0, max: 1 });
    b.put({ firstRow: 0, classes: new Int32Array(12), x: new Float32Array(12).fill(1) });
    expect(b.copy().filled).toEqual(new Uint8Array(8).fill(1));
  });
});
