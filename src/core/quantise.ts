import * as tf from '@tensorflow/tfjs';

/**
 * Fake quantisation: weights moved onto the affine uint8 grid the export stores them on, while
 * training still sees float32. Per tensor it is exactly the scheme of the studio's uint8 export
 * (core/model-io/quantize.ts writes q, scale and min into model.json; tfjs decodes q * scale + min
 * into a Float32Array), so a student trained with it is, after export, the model it was trained as.
 */

/** One affine uint8 grid: value = q * scale + min, q in 0..255. */
export interface Uint8Grid {
  scale: number;
  min: number;
}

/**
 * The grid for the range [lo, hi], as the export computes it: when the range spans zero, min is
 * nudged onto the grid so that 0 stays exactly 0. A degenerate range stores everything as min.
 */
export function uint8Grid(lo: number, hi: number): Uint8Grid {
  if (!(hi > lo)) return { scale: 1, min: Number.isFinite(lo) ? lo : 0 };
  const scale = (hi - lo) / 255;
  return { scale, min: lo < 0 && hi > 0 ? -Math.round(-lo / scale) * scale : lo };
}

function range(values: Float32Array, start: number, step: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < values.length; i += step) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Writes into `out` the decoded uint8 values of values[start], values[start + step], … on `grid`
 * (clamped to 0..255, as the export does), and into `mask` 1 where the value lies inside [lo, hi]
 * (the straight-through gradient passes there) and 0 where it was clipped.
 */
function quantiseStrided(
  values: Float32Array,
  start: number,
  step: number,
  bounds: [number, number],
  out: Float32Array,
  mask: Float32Array | null,
  bytes: Uint8Array | null = null,
): Uint8Grid {
  const grid = uint8Grid(bounds[0], bounds[1]);
  const { scale, min } = grid;
  for (let i = start; i < values.length; i += step) {
    const q = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
    // A Float32Array store rounds the double q * scale + min as tfjs's decodeWeights does.
    out[i] = q * scale + min;
    if (bytes) bytes[i] = q;
    if (mask) mask[i] = values[i] >= bounds[0] && values[i] <= bounds[1] ? 1 : 0;
  }
  return grid;
}

export interface FakeQuantOptions {
  /**
   * One grid per output channel (the last axis: a Dense kernel's units, a Conv2D kernel's filters)
   * instead of one per tensor. Tensors of rank 0 or 1 (biases) keep one grid. The tfjs export is
   * per tensor only; per channel is the scheme for exports that store a scale per channel.
   */
  perChannel?: boolean;
  /** A fixed range (e.g. an activation's running min/max) instead of the values' own min and max. */
  range?: [number, number];
}

export interface FakeQuantised {
  values: Float32Array;
  /** 1 where the straight-through gradient passes (inside the range), 0 where the value was clipped. */
  mask: Float32Array;
  /** One grid per tensor, or one per channel. */
  grids: Uint8Grid[];
}

/** The values of a tensor of shape `shape` (row-major) as the uint8 export would give them back. */
export function fakeQuantiseValues(values: Float32Array, shape: readonly number[], options: FakeQuantOptions = {}): FakeQuantised {
  const out = new Float32Array(values.length);
  const mask = new Float32Array(values.length);
  const channels = options.perChannel && shape.length >= 2 ? shape[shape.length - 1] : 1;
  const grids: Uint8Grid[] = [];
  for (let c = 0; c < channels; c++) {
    grids.push(quantiseStrided(values, c, channels, options.range ?? range(values, c, channels), out, mask));
  }
  return { values: out, mask, grids };
}

/**
 * The bytes an export stores for these values (q, with value = q * scale + min on each grid): one
 * grid per tensor, or per output channel (channel c = index mod channels, row-major last axis).
 */
export function uint8Bytes(
  values: Float32Array,
  shape: readonly number[],
  options: FakeQuantOptions = {},
): { q: Uint8Array; grids: Uint8Grid[] } {
  const out = new Float32Array(values.length);
  const q = new Uint8Array(values.length);
  const channels = options.perChannel && shape.length >= 2 ? shape[shape.length - 1] : 1;
  const grids: Uint8Grid[] = [];
  for (let c = 0; c < channels; c++)
    grids.push(quantiseStrided(values, c, channels, options.range ?? range(values, c, channels), out, null, q));
  return { q, grids };
}

/**
 * Fake quantisation as a differentiable op: the forward pass gives the uint8 values, the gradient
 * is the straight-through one (dy where the input lay inside the range, 0 where it was clipped).
 * Reads the input back synchronously (dataSync): meant for weights and tests, not for big activations.
 */
export function fakeQuantise(x: tf.Tensor, options: FakeQuantOptions = {}): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0];
    if (!(input instanceof tf.Tensor)) throw new Error('fakeQuantise takes a tensor.');
    const { values, mask } = fakeQuantiseValues(input.dataSync() as Float32Array, input.shape, options);
    // The mask stays in JS until a gradient asks for it: a tensor kept with save() would outlive tf.grad.
    return { value: tf.tensor(values, input.shape), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor(mask, input.shape)) };
  });
  return op(x);
}

/**
 * The uint8 values of each variable, read back asynchronously (one read per step, outside the
 * step's tidy). Owned by the caller.
 */
export async function quantisedValues(vars: readonly tf.Variable[], options: FakeQuantOptions = {}): Promise<tf.Tensor[]> {
  const data = await Promise.all(vars.map((v) => v.data()));
  return vars.map((v, i) => tf.tensor(fakeQuantiseValues(data[i] as Float32Array, v.shape, options).values, v.shape));
}

/**
 * One optimiser step whose loss sees `weights` holding `quantised` (the uint8 values), while the
 * update is applied to the float values they held before (the shadow weights): the gradient is
 * taken at the quantised point and passed straight through. For weights quantised over their own
 * range nothing is clipped, so the straight-through mask is all ones and the gradient with respect
 * to the quantised value is the gradient with respect to the float one. `vars` may include
 * variables that are not quantised (a hint's projection).
 */
export function quantAwareStep(
  optimizer: tf.Optimizer,
  loss: () => tf.Scalar,
  vars: tf.Variable[],
  weights: readonly tf.Variable[],
  quantised: readonly tf.Tensor[],
): tf.Scalar {
  const floats = weights.map((w) => tf.clone(w));
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    weights.forEach((w, i) => {
      w.assign(quantised[i]);
    });
    result = optimizer.computeGradients(loss, vars);
  } finally {
    weights.forEach((w, i) => {
      w.assign(floats[i]);
    });
    tf.dispose(floats);
  }
  optimizer.applyGradients(result.grads);
  tf.dispose(Object.values(result.grads));
  return result.value;
}
