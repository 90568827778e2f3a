import type { DataSplit } from './data/types';
import { createRng } from './rng';

/** Four Gaussian blobs in 8 dimensions: learnable in a few epochs on the CPU backend (trainer tests). */
export function blobs(n: number, seed: number): DataSplit {
  const rng = createRng(seed);
  const x = new Float32Array(n * 8);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    y[i] = c;
    for (let j = 0; j < 8; j++) {
      const centre = j % 4 === c ? 2 : 0;
      x[i * 8 + j] = centre + (rng() + rng() + rng() - 1.5) * 1.2;
    }
  }
  return { x, y, n };
}
