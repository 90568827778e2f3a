import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreOfMass, mnistFromDrawing } from '../src/core/data/mnist-drawing';
import type { RgbaImage } from '../src/core/data/image-resize';
import type { ImportedModel } from '../src/core/model-io';
import { shippedTeacher } from './mnist-wasm';

/** A black pad of `size`² pixels with white round-capped strokes of `width` through the points, as a canvas draws them. */
function pad(strokes: [number, number][][], size = 280, width = 18): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.min(...strokes.flatMap((s) => s.slice(1).map((b, k) => distanceToSegment([x + 0.5, y + 0.5], s[k], b))));
      // One pixel of soft edge, as a canvas anti-aliases.
      const ink = Math.max(0, Math.min(1, width / 2 + 0.5 - d));
      const p = (y * size + x) * 4;
      data[p] = data[p + 1] = data[p + 2] = Math.round(255 * ink);
    }
  }
  return { width: size, height: size, data };
}

function distanceToSegment([px, py]: [number, number], [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function ring(cx: number, cy: number, rx: number, ry: number): [number, number][] {
  return Array.from({ length: 41 }, (_, i) => [cx + rx * Math.cos((i / 40) * 2 * Math.PI), cy + ry * Math.sin((i / 40) * 2 * Math.PI)]);
}

/** The rows and columns of a 28×28 field that hold ink. */
function extent(field: Float32Array): { rows: number; cols: number } {
  const rows = new Set<number>();
  const cols = new Set<number>();
  field.forEach((v, i) => {
    if (v > 0.05) {
      rows.add(Math.floor(i / 28));
      cols.add(i % 28);
    }
  });
  return { rows: rows.size, cols: cols.size };
}

describe('a drawn digit preprocessed as MNIST was made', () => {
  it('gives nothing for an empty pad', () => {
    expect(mnistFromDrawing(pad([]))).toBeNull();
  });

  it('fits the stroke into 20×20 keeping its aspect, with the centre of mass at the centre of the 28×28 field', () => {
    const tall = mnistFromDrawing(
      pad([
        [
          [60, 40],
          [70, 240],
        ],
      ]),
    );
    const wide = mnistFromDrawing(pad([ring(200, 200, 60, 30)]));
    if (!tall || !wide) throw new Error('expected both drawings to give a digit');
    expect(extent(tall).rows).toBe(20);
    expect(extent(tall).cols).toBeLessThan(8);
    expect(extent(wide).cols).toBe(20);
    expect(extent(wide).rows).toBeGreaterThanOrEqual(11);
    expect(extent(wide).rows).toBeLessThanOrEqual(13);
    for (const field of [tall, wide]) {
      const c = centreOfMass(field, 28, 28);
      expect(Math.abs(c.x - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(c.y - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.max(...field)).toBeLessThanOrEqual(1);
    }
  });

  it('gives the same digit whether it is drawn large in the middle or small in a corner', () => {
    const large = mnistFromDrawing(pad([ring(140, 140, 60, 90)], 280, 24));
    const small = mnistFromDrawing(pad([ring(50, 50, 20, 30)], 280, 8));
    if (!large || !small) throw new Error('expected both drawings to give a digit');
    let diff = 0;
    large.forEach((v, i) => {
      diff += Math.abs(v - small[i]);
    });
    expect(diff / large.reduce((a, b) => a + b, 0)).toBeLessThan(0.2);
  });

  describe('read by the shipped MNIST teacher', () => {
    let teacher: ImportedModel;
    beforeAll(async () => {
      await tf.setBackend('cpu');
      teacher = await shippedTeacher('mnist-cnn');
    });
    afterAll(() => teacher.dispose());

    it('reads a vertical stroke as 1 and a ring as 0', () => {
      const one = mnistFromDrawing(
        pad([
          [
            [140, 40],
            [136, 240],
          ],
        ]),
      );
      const zero = mnistFromDrawing(pad([ring(140, 140, 65, 95)]));
      if (!one || !zero) throw new Error('expected both drawings to give a digit');
      const before = tf.memory().numTensors;
      const predicted = tf.tidy(
        () =>
          teacher
            .predictLogits(tf.tensor2d([...one, ...zero], [2, 784]))
            .argMax(1)
            .arraySync() as number[],
      );
      expect(predicted).toEqual([1, 0]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
