import { createRng, deriveSeed, type Rng } from '../rng';
import { DataError } from './errors';
import { splitByFraction } from './rows';
import type { Dataset } from './types';

export type ToyKind = 'spiral' | 'moons' | 'circles' | 'xor' | 'blobs';

export interface ToyOptions {
  kind: ToyKind;
  /** Total points, shared out evenly between the classes. */
  size: number;
  /** Standard deviation of the Gaussian jitter added to each coordinate; 0 gives the clean shape. */
  noise: number;
  /** Spiral arms or blobs; moons, circles and XOR always have 2. */
  classes?: number;
  seed: number;
  /** Default 0.2. */
  testFraction?: number;
}

export const TOY_KINDS: readonly ToyKind[] = ['spiral', 'moons', 'circles', 'xor', 'blobs'];
export const TOY_MAX_POINTS = 100_000;
export const TOY_MAX_CLASSES = 10;

const LABELS: Record<ToyKind, string> = {
  spiral: 'Spiral',
  moons: 'Two moons',
  circles: 'Circles',
  xor: 'XOR',
  blobs: 'Gaussian blobs',
};

/** A point of class `c`, the `i`-th of `m` in that class, before jitter; coordinates stay within about [-1.5, 1.5]. */
type Shape = (c: number, i: number, m: number, k: number, rng: Rng) => [number, number];

const SHAPES: Record<ToyKind, Shape> = {
  spiral: (c, i, m, k) => {
    const r = (i + 0.5) / m;
    // One turn: arms a third of the radius apart, so the default noise (0.1) blurs the edges without
    // merging the arms (1.75 turns merged them: even a large teacher stayed near 55%).
    const t = (2 * Math.PI * c) / k + 2 * Math.PI * r;
    return [r * Math.sin(t), r * Math.cos(t)];
  },
  moons: (c, i, m) => {
    const t = (Math.PI * (i + 0.5)) / m;
    // scikit-learn's make_moons, shifted so the pair is centred on the origin.
    return c === 0 ? [Math.cos(t) - 0.5, Math.sin(t) - 0.25] : [0.5 - Math.cos(t), 0.25 - Math.sin(t)];
  },
  circles: (c, i, m) => {
    const t = (2 * Math.PI * (i + 0.5)) / m;
    const r = c === 0 ? 1 : 0.5;
    return [r * Math.cos(t), r * Math.sin(t)];
  },
  xor: (c, _i, _m, _k, rng) => {
    // Class 0 in the quadrants where x·y > 0, class 1 elsewhere; picking the quadrant per point keeps classes equal in size.
    const flip = rng() < 0.5 ? -1 : 1;
    const a = 0.05 + 0.95 * rng();
    const b = 0.05 + 0.95 * rng();
    return c === 0 ? [flip * a, flip * b] : [flip * a, -flip * b];
  },
  blobs: (c, _i, _m, k, rng) => {
    // Centres evenly round a circle, so every k gives separable but touching clusters.
    const angle = (2 * Math.PI * c) / k;
    return [Math.cos(angle) + 0.25 * gaussian(rng), Math.sin(angle) + 0.25 * gaussian(rng)];
  },
};

function gaussian(rng: Rng): number {
  const u = 1 - rng(); // (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function classCount(o: ToyOptions): number {
  if (o.kind !== 'spiral' && o.kind !== 'blobs') return 2;
  const k = o.classes ?? 3;
  if (!Number.isInteger(k) || k < 2 || k > TOY_MAX_CLASSES) {
    throw new DataError(`${LABELS[o.kind]}: the number of classes must be a whole number from 2 to ${TOY_MAX_CLASSES}, got ${k}`);
  }
  return k;
}

/** A 2-D toy set; the same options (seed included) always give the same points and the same split. */
export function makeToyDataset(options: ToyOptions): Dataset {
  const { kind, size, noise, seed, testFraction = 0.2 } = options;
  const label = LABELS[kind];
  const k = classCount(options);
  if (!Number.isInteger(size) || size < 2 * k || size > TOY_MAX_POINTS) {
    throw new DataError(`${label}: the size must be a whole number from ${2 * k} to ${TOY_MAX_POINTS}, got ${size}`);
  }
  if (!(noise >= 0 && Number.isFinite(noise))) {
    throw new DataError(`${label}: the noise must be 0 or more, got ${noise}`);
  }
  const rng = createRng(deriveSeed(seed, 1));
  const x = new Float32Array(size * 2);
  const y = new Int32Array(size);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const m = Math.floor(size / k) + (c < size % k ? 1 : 0);
    for (let i = 0; i < m; i++, row++) {
      const [px, py] = SHAPES[kind](c, i, m, k, rng);
      x[row * 2] = px + noise * gaussian(rng);
      x[row * 2 + 1] = py + noise * gaussian(rng);
      y[row] = c;
    }
  }
  const { train, test } = splitByFraction(x, y, 2, testFraction, deriveSeed(seed, 2));
  const classNames = Array.from({ length: k }, (_, c) => String(c));
  return {
    name: kind === 'spiral' || kind === 'blobs' ? `${label} (${k} classes)` : label,
    numFeatures: 2,
    numClasses: k,
    classNames,
    featureNames: ['x', 'y'],
    train,
    test,
  };
}
