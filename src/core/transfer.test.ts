import { describe, expect, it } from 'vitest';
import { DEFAULT_TRANSFER, type TransferSet } from './experiment';
import type { Rng } from './rng';
import { jitterImages, transferRows, validateTransfer } from './transfer';

/** 50 rows over 6 classes: counts 20, 13, 7, 1, 9, 0, interleaved so that class is not index order. */
function makeLabels(): Int32Array {
  const counts = [20, 13, 7, 1, 9, 0];
  const out: number[] = [];
  const left = counts.slice();
  while (left.some((c) => c > 0)) {
    for (let c = 0; c < left.length; c++) {
      if (left[c] > 0) {
        out.push(c);
        left[c]--;
      }
    }
  }
  return Int32Array.from(out);
}
const labels = makeLabels();
const countOf = (ys: ArrayLike<number>, c: number) => Array.from(ys).filter((y) => y === c).length;
const t = (over: Partial<TransferSet>): TransferSet => ({ ...DEFAULT_TRANSFER, ...over });

describe('transferRows', () => {
  it('drops the omitted class and keeps every other row, in index order', () => {
    expect(labels).toHaveLength(50);
    const { rows, labelled, labelledMask } = transferRows(labels, 6, t({ omitClass: 1 }), 3);
    expect(rows).toHaveLength(50 - 13);
    expect(Array.from(rows).some((r) => labels[r] === 1)).toBe(false);
    expect(Array.from(rows)).toEqual([...labels.keys()].filter((i) => labels[i] !== 1));
    // Fraction 1: every transfer row is labelled.
    expect(Array.from(labelled)).toEqual(Array.from(rows));
    expect(Array.from(labelledMask)).toEqual(Array(rows.length).fill(1));
  });

  it('keeps every row, labelled, by default', () => {
    const { rows, labelled, labelledMask } = transferRows(labels, 6, DEFAULT_TRANSFER, 3);
    expect(Array.from(rows)).toEqual([...labels.keys()]);
    expect(Array.from(labelled)).toEqual([...labels.keys()]);
    expect(labelledMask.every((m) => m === 1)).toBe(true);
  });

  it('labels round(count * f) rows of each class, at least one per class present', () => {
    for (const f of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9]) {
      for (const omitClass of [null, 0, 4]) {
        const { rows, labelled, labelledMask } = transferRows(labels, 6, t({ labelledFraction: f, omitClass }), 11);
        const labelledLabels = Array.from(labelled, (r) => labels[r]);
        for (let c = 0; c < 6; c++) {
          const count = c === omitClass ? 0 : countOf(labels, c);
          const expected = count === 0 ? 0 : Math.max(1, Math.round(count * f));
          expect(countOf(labelledLabels, c), `f=${f}, omit=${omitClass}, class ${c}`).toBe(expected);
        }
        // labelled is a sorted subset of rows, and the mask marks exactly those entries.
        const rowSet = new Set(rows);
        expect(labelled.every((r) => rowSet.has(r))).toBe(true);
        expect(Array.from(labelled)).toEqual(Array.from(labelled).sort((a, b) => a - b));
        expect(labelledMask).toHaveLength(rows.length);
        expect(Array.from(rows).filter((_, i) => labelledMask[i] === 1)).toEqual(Array.from(labelled));
        expect(labelledMask.every((m) => m === 0 || m === 1)).toBe(true);
      }
    }
  });

  it('is the same for a seed and differs for another', () => {
    const a = transferRows(labels, 6, t({ labelledFraction: 0.5 }), 42);
    const b = transferRows(labels, 6, t({ labelledFraction: 0.5 }), 42);
    const c = transferRows(labels, 6, t({ labelledFraction: 0.5 }), 43);
    expect(Array.from(a.labelled)).toEqual(Array.from(b.labelled));
    expect(Array.from(a.labelledMask)).toEqual(Array.from(b.labelledMask));
    expect(Array.from(a.labelled)).not.toEqual(Array.from(c.labelled));
    // Same sizes per class, whatever the seed.
    expect(a.labelled.length).toBe(c.labelled.length);
    // The rows themselves do not depend on the seed.
    expect(Array.from(a.rows)).toEqual(Array.from(c.rows));
  });

  it('picks different rows across seeds: every row of a class gets labelled by some seed', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 60; seed++) for (const r of transferRows(labels, 6, t({ labelledFraction: 0.2 }), seed).labelled) seen.add(r);
    expect(seen.size).toBe(50);
  });

  it('refuses an empty transfer set', () => {
    expect(() => transferRows(Int32Array.from([2, 2, 2]), 3, t({ omitClass: 2 }), 1)).toThrow(
      'The transfer set is empty: every training row belongs to the omitted class.',
    );
    expect(() => transferRows(new Int32Array(0), 3, DEFAULT_TRANSFER, 1)).toThrow(/The transfer set is empty/);
  });
});

describe('validateTransfer', () => {
  it('accepts sensible settings', () => {
    expect(() => validateTransfer(DEFAULT_TRANSFER, 10, false)).not.toThrow();
    expect(() => validateTransfer({ labelledFraction: 0.01, omitClass: 9, jitter: 4 }, 10, true)).not.toThrow();
    expect(() => validateTransfer({ labelledFraction: 1, omitClass: 0, jitter: 0 }, 2, false)).not.toThrow();
  });

  it('refuses jitter on data that are not images', () => {
    expect(() => validateTransfer(t({ jitter: 1 }), 10, false)).toThrow('Jitter shifts images: this data set has no image shape.');
  });

  it('refuses a jitter that is not a whole number of pixels from 0 to 4', () => {
    for (const jitter of [5, -1, 1.5, Number.NaN]) {
      expect(() => validateTransfer(t({ jitter }), 10, true)).toThrow(
        `Jitter must be a whole number of pixels from 0 to 4, got ${jitter}.`,
      );
    }
  });

  it('refuses an omitted class that is not one of the classes', () => {
    for (const omitClass of [10, -1, 2.5, Number.NaN]) {
      expect(() => validateTransfer(t({ omitClass }), 10, false)).toThrow(
        `The omitted class must be one of the 10 classes, got ${omitClass}.`,
      );
    }
  });

  it('refuses a labelled fraction outside (0, 1]', () => {
    for (const labelledFraction of [0, -0.5, 1.01, Number.NaN]) {
      expect(() => validateTransfer(t({ labelledFraction }), 10, false)).toThrow(
        `The labelled fraction must be above 0 and at most 1, got ${labelledFraction}.`,
      );
    }
  });
});

/** An rng that yields values making jitterImages draw the given shifts (dy, dx per row, in that order). */
function shifts(maxShift: number, pairs: [number, number][]): Rng {
  const values = pairs.flat().map((s) => (s + maxShift + 0.5) / (2 * maxShift + 1));
  let k = 0;
  return () => {
    if (k >= values.length) throw new Error('the fake rng ran out');
    return values[k++];
  };
}

/** Reference shift in plain loops: out[y][x][c] = in[y - dy][x - dx][c], zero outside. */
function shiftRef(img: number[], [h, w, c]: [number, number, number], dy: number, dx: number): number[] {
  const out = Array(h * w * c).fill(0);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        const sy = y - dy;
        const sx = x - dx;
        if (sy >= 0 && sy < h && sx >= 0 && sx < w) out[(y * w + x) * c + ch] = img[(sy * w + sx) * c + ch];
      }
  return out;
}

describe('jitterImages', () => {
  // 3 x 4 x 1:
  //   1  2  3  4
  //   5  6  7  8
  //   9 10 11 12
  const grey = Float32Array.from({ length: 12 }, (_, i) => i + 1);

  it('shifts a 3x4x1 image by known amounts, filling with zeros', () => {
    const out = jitterImages(
      grey,
      [0, 0, 0, 0],
      [3, 4, 1],
      1,
      shifts(1, [
        [1, -1],
        [0, 1],
        [-1, 0],
        [1, 1],
      ]),
    );
    expect(Array.from(out.subarray(0, 12))).toEqual([0, 0, 0, 0, 2, 3, 4, 0, 6, 7, 8, 0]); // down 1, left 1
    expect(Array.from(out.subarray(12, 24))).toEqual([0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11]); // right 1
    expect(Array.from(out.subarray(24, 36))).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0]); // up 1
    expect(Array.from(out.subarray(36, 48))).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7]); // down 1, right 1
  });

  it('shifts a 2x2x2 image (two channels move together) and picks the requested rows', () => {
    // Two images: pixel (y, x) has channels [v, v + 1]. Image 0 = 1..8, image 1 = 11..18.
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18]);
    const out = jitterImages(
      x,
      [1, 0, 1],
      [2, 2, 2],
      1,
      shifts(1, [
        [0, 1],
        [-1, 0],
        [-1, -1],
      ]),
    );
    expect(out).toHaveLength(24);
    expect(Array.from(out.subarray(0, 8))).toEqual([0, 0, 11, 12, 0, 0, 15, 16]); // image 1, right 1
    expect(Array.from(out.subarray(8, 16))).toEqual([5, 6, 7, 8, 0, 0, 0, 0]); // image 0, up 1
    expect(Array.from(out.subarray(16, 24))).toEqual([17, 18, 0, 0, 0, 0, 0, 0]); // image 1, up 1, left 1
  });

  it('agrees with a plain reference for every shift up to 2 on a 3x4x2 image', () => {
    const img = Array.from({ length: 24 }, (_, i) => ((i * 7) % 13) + 1);
    const pairs: [number, number][] = [];
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) pairs.push([dy, dx]);
    const out = jitterImages(
      Float32Array.from(img),
      pairs.map(() => 0),
      [3, 4, 2],
      2,
      shifts(2, pairs),
    );
    pairs.forEach(([dy, dx], k) => {
      expect(Array.from(out.subarray(k * 24, (k + 1) * 24)), `dy ${dy} dx ${dx}`).toEqual(shiftRef(img, [3, 4, 2], dy, dx));
    });
  });

  it('copies the rows unchanged with a maximum shift of 0, and leaves the input alone', () => {
    const x = Float32Array.from([...grey, ...grey.map((v) => -v)]);
    const copy = x.slice();
    const rng = Math.random as Rng;
    const out = jitterImages(x, [1, 0], [3, 4, 1], 0, rng);
    expect(Array.from(out)).toEqual([...Array.from(grey, (v) => -v), ...Array.from(grey)]);
    expect(Array.from(x)).toEqual(Array.from(copy));
    // A zero shift drawn at maxShift 2 is a copy too.
    expect(Array.from(jitterImages(grey, [0], [3, 4, 1], 2, shifts(2, [[0, 0]])))).toEqual(Array.from(grey));
  });

  it('blanks an image shifted by its full height or width', () => {
    const out = jitterImages(
      grey,
      [0, 0],
      [3, 4, 1],
      4,
      shifts(4, [
        [3, 0],
        [0, -4],
      ]),
    );
    expect(Array.from(out)).toEqual(Array(24).fill(0));
  });

  // Was a bug: when the drawn horizontal shift dx exceeded the image width (possible: validateTransfer
  // allows jitter up to 4 whatever the image size, e.g. a [2, 2, c] or [3, 3, 1] image with jitter 4),
  // the copy's target offset lay past the end of `out` for the last image's last row, and
  // Float32Array.set threw "RangeError: offset is out of bounds" though it copied nothing. Expected: a blank image.
  it('blanks the last image when the shift exceeds the width (2x2x2 image, dx = 3)', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = jitterImages(x, [0], [2, 2, 2], 3, shifts(3, [[0, 3]]));
    expect(Array.from(out)).toEqual(Array(8).fill(0));
  });
});
