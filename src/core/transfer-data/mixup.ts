import type { Rng } from '../rng';
import { permutation } from '../rng';
import { standardNormal } from './gaussian';

/**
 * "Mixup of the training set" (Zhang et al. 2018, used as "function matching" by Beyer et al. 2022):
 * each batch is mixed with a shuffled copy of itself, x' = λ·x + (1−λ)·x[perm], λ ~ Beta(α, α), and
 * teacher and student both see x'. Plain numbers here; the trainer mixes on the backend.
 */

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); below shape 1 by boosting: Gamma(k+1)·U^(1/k). */
export function gammaSample(shape: number, rng: Rng): number {
  if (!(shape > 0)) throw new Error(`A Gamma shape must be positive, got ${shape}.`);
  if (shape < 1) return gammaSample(shape + 1, rng) * (1 - rng()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = standardNormal(rng);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(a: number, b: number, rng: Rng): number {
  const x = gammaSample(a, rng);
  const y = gammaSample(b, rng);
  // Both can underflow to 0 for tiny shapes: then either end is as likely.
  return x + y > 0 ? x / (x + y) : rng() < a / (a + b) ? 1 : 0;
}

export function validateMixupAlpha(alpha: number): void {
  if (!(alpha >= 0.05 && alpha <= 10)) throw new Error(`Mixup alpha must be from 0.05 to 10, got ${alpha}.`);
}

/** One batch's mixing: the weight of the batch itself, and which row each row is mixed with. */
export interface MixPlan {
  lambda: number;
  perm: Int32Array;
}

export function mixPlan(rows: number, alpha: number, rng: Rng): MixPlan {
  const lambda = betaSample(alpha, alpha, rng);
  return { lambda, perm: permutation(rows, rng) };
}

/** x' = λ·x + (1−λ)·x[perm] on plain rows, `features` wide (the reference the trainer's tensors are tested against). */
export function mixRows(x: Float32Array, features: number, plan: MixPlan): Float32Array {
  const out = new Float32Array(x.length);
  const { lambda, perm } = plan;
  for (let r = 0; r < perm.length; r++) {
    const p = perm[r];
    for (let f = 0; f < features; f++) out[r * features + f] = lambda * x[r * features + f] + (1 - lambda) * x[p * features + f];
  }
  return out;
}
