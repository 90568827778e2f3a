import { describe, expect, it } from 'vitest';
import { loadIris } from './iris';

describe('Iris', () => {
  it('has 150 flowers, 4 features, 3 species, 120/30 split, 10 of each species in test', () => {
    const d = loadIris({ seed: 1 });
    expect([d.numFeatures, d.numClasses, d.train.n, d.test.n]).toEqual([4, 3, 120, 30]);
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.featureNames).toEqual(['sepal length', 'sepal width', 'petal length', 'petal width']);
    expect([0, 1, 2].map((c) => [...d.test.y].filter((y) => y === c).length)).toEqual([10, 10, 10]);
  });

  it('is standardised with training statistics: train mean 0, sd 1 per feature', () => {
    const d = loadIris({ seed: 7 });
    for (let j = 0; j < 4; j++) {
      const col = [...d.train.x].filter((_, i) => i % 4 === j);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      expect(mean).toBeCloseTo(0, 5);
      expect(sd).toBeCloseTo(1, 5);
    }
    expect(d.scaling?.kind).toBe('standardise');
  });

  it('gives the same split for a seed and another for another seed', () => {
    expect(loadIris({ seed: 3 }).test.x).toEqual(loadIris({ seed: 3 }).test.x);
    expect(loadIris({ seed: 3 }).test.x).not.toEqual(loadIris({ seed: 4 }).test.x);
  });

  it('keeps the first flower recognisable after scaling (setosa 5.1, 3.5, 1.4, 0.2)', () => {
    const d = loadIris({ seed: 2 });
    const all = [d.train, d.test];
    const s = d.scaling;
    if (!s) throw new Error('expected scaling');
    const raw = [5.1, 3.5, 1.4, 0.2].map((v, j) => Math.fround((v - s.offset[j]) / s.scale[j]));
    const found = all.some((sp) =>
      Array.from({ length: sp.n }, (_, i) => i).some((i) => raw.every((v, j) => Math.abs(sp.x[i * 4 + j] - v) < 1e-6) && sp.y[i] === 0),
    );
    expect(found).toBe(true);
  });
});
