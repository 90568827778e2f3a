import { describe, expect, it } from 'vitest';
import { makeToyDataset, TOY_KINDS, type ToyKind } from './toy';
import type { Dataset } from './types';

const classCounts = (d: Dataset): number[] => {
  const counts = new Array<number>(d.numClasses).fill(0);
  for (const y of [...d.train.y, ...d.test.y]) counts[y]++;
  return counts;
};

describe('toy 2-D sets', () => {
  it.each(TOY_KINDS)('%s: same seed, same points and split; another seed, other points', (kind: ToyKind) => {
    const a = makeToyDataset({ kind, size: 200, noise: 0.1, seed: 42 });
    const b = makeToyDataset({ kind, size: 200, noise: 0.1, seed: 42 });
    const c = makeToyDataset({ kind, size: 200, noise: 0.1, seed: 43 });
    expect(b.train.x).toEqual(a.train.x);
    expect(b.test.y).toEqual(a.test.y);
    expect(c.train.x).not.toEqual(a.train.x);
  });

  it.each(TOY_KINDS)('%s: 2 features, sizes add up, 20 %% test, classes balanced', (kind: ToyKind) => {
    const d = makeToyDataset({ kind, size: 301, noise: 0.05, seed: 1 });
    expect(d.numFeatures).toBe(2);
    expect(d.featureNames).toEqual(['x', 'y']);
    expect(d.train.n + d.test.n).toBe(301);
    expect(d.test.n).toBe(60);
    expect(d.train.x.length).toBe(d.train.n * 2);
    const counts = classCounts(d);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect([...d.train.x, ...d.test.x].every(Number.isFinite)).toBe(true);
  });

  it('spiral and blobs take a class count; the others are always binary', () => {
    const s = makeToyDataset({ kind: 'spiral', size: 500, noise: 0.1, classes: 5, seed: 3 });
    expect(s.numClasses).toBe(5);
    expect(s.classNames).toEqual(['0', '1', '2', '3', '4']);
    expect(classCounts(s)).toEqual([100, 100, 100, 100, 100]);
    expect(s.name).toBe('Spiral (5 classes)');
    expect(makeToyDataset({ kind: 'blobs', size: 40, noise: 0, classes: 4, seed: 3 }).numClasses).toBe(4);
    expect(makeToyDataset({ kind: 'moons', size: 40, noise: 0, classes: 7, seed: 3 }).numClasses).toBe(2);
  });

  it('without noise the shapes are exact: circles at radius 1 and 0.5, XOR by quadrant', () => {
    const circles = makeToyDataset({ kind: 'circles', size: 100, noise: 0, seed: 9 });
    const xor = makeToyDataset({ kind: 'xor', size: 100, noise: 0, seed: 9 });
    for (const split of [circles.train, circles.test]) {
      for (let i = 0; i < split.n; i++) {
        expect(Math.hypot(split.x[2 * i], split.x[2 * i + 1])).toBeCloseTo(split.y[i] === 0 ? 1 : 0.5, 5);
      }
    }
    for (let i = 0; i < xor.train.n; i++) {
      const sameSign = xor.train.x[2 * i] * xor.train.x[2 * i + 1] > 0;
      expect(xor.train.y[i]).toBe(sameSign ? 0 : 1);
    }
  });

  it('noise spreads the points by about its standard deviation', () => {
    const clean = makeToyDataset({ kind: 'circles', size: 2000, noise: 0, seed: 5 });
    const noisy = makeToyDataset({ kind: 'circles', size: 2000, noise: 0.2, seed: 5 });
    let sq = 0;
    for (let i = 0; i < noisy.train.x.length; i++) sq += (noisy.train.x[i] - clean.train.x[i]) ** 2;
    expect(Math.sqrt(sq / noisy.train.x.length)).toBeCloseTo(0.2, 1);
  });

  it('refuses sizes, class counts and noise it cannot honour', () => {
    expect(() => makeToyDataset({ kind: 'spiral', size: 5, noise: 0, classes: 3, seed: 1 })).toThrow(
      'Spiral: the size must be a whole number from 6 to 100000, got 5',
    );
    expect(() => makeToyDataset({ kind: 'blobs', size: 50, noise: 0, classes: 1, seed: 1 })).toThrow(
      'Gaussian blobs: the number of classes must be a whole number from 2 to 10, got 1',
    );
    expect(() => makeToyDataset({ kind: 'moons', size: 50, noise: -1, seed: 1 })).toThrow('Two moons: the noise must be 0 or more, got -1');
  });
});
