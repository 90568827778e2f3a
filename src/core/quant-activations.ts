import * as tf from '@tensorflow/tfjs';
import { fakeQuantiseValues, type Uint8Grid, uint8Grid } from './quantise';

/**
 * Fake-quantised activations: each hidden layer's output (after its activation) moved onto a
 * per-tensor affine uint8 grid fixed by a range [lo, hi] learned in training, exactly as the C int8
 * export does it (core/model-io/export-c.ts ds_fq): q = floor((x − min) / scale + 0.5) clamped to
 * 0..255, x = q * scale + min, all in float32. Half-up rounding (not tf.round's half-to-even) so
 * that the C, which has no half-to-even in C99's <math.h> without fenv, computes the same q.
 */

/** A hidden output's range, [lo, hi]; its grid is uint8Grid(lo, hi) (0 exactly on the grid when lo < 0 < hi). */
export type ActivationRange = [number, number];

/** How a step changes the values: a layer with weights, an activation of its own, or neither (pooling, reshape, dropout). */
export type StepKind = 'weighted' | 'activation' | 'other';

/**
 * True where a chain's step output is fake-quantised: each weighted or activation step before the
 * last weighted one (the logits stay float), unless an activation follows it (the range is taken
 * after the activation). Max pooling, reshapes and dropout keep values on the grid, so nothing else
 * needs a point. Used for layers (trainer) and for export plan steps (C) alike, so both agree.
 */
export function activationPoints(kinds: readonly StepKind[]): boolean[] {
  const lastWeighted = kinds.lastIndexOf('weighted');
  return kinds.map((kind, i) => {
    if (kind === 'other' || i >= lastWeighted) return false;
    return kinds.slice(i + 1).find((k) => k !== 'other') !== 'activation';
  });
}

export function layerKind(layer: tf.layers.Layer): StepKind {
  const cls = layer.getClassName();
  if (cls === 'Dense' || cls === 'Conv2D') return 'weighted';
  if (cls === 'Activation' || cls === 'ReLU') return 'activation';
  return 'other';
}

/** The layers of a one-input, one-output chain (InputLayer left out), or an error naming what is not. */
export function chainLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const fail = (why: string) => new Error(`Quantise activations needs a student that is a chain of layers: ${why}.`);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw fail('it has more than one input or output');
  let previous: tf.SymbolicTensor = model.inputs[0];
  const layers: tf.layers.Layer[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const node = layer.inboundNodes;
    if (node.length !== 1 || node[0].inputTensors.length !== 1 || node[0].inputTensors[0] !== previous)
      throw fail(`layer '${layer.name}' does not simply follow the one before it`);
    layers.push(layer);
    previous = layer.output as tf.SymbolicTensor;
  }
  return layers;
}

/** How many hidden outputs of `model` are quantised. */
export function countActivationPoints(model: tf.LayersModel): number {
  return activationPoints(chainLayers(model).map(layerKind)).filter(Boolean).length;
}

/**
 * x fake-quantised on `grid`, with the straight-through gradient inside the grid's range
 * [min, min + 255 * scale] and 0 outside (as TF's fake_quant_with_min_max_vars: the clipped values
 * no longer follow the input).
 */
export function fakeQuantiseActivation(x: tf.Tensor, grid: Uint8Grid): tf.Tensor {
  const scale = Math.fround(grid.scale);
  const min = Math.fround(grid.min);
  const hi = Math.fround(min + 255 * scale);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args;
    if (!(input instanceof tf.Tensor) || typeof save !== 'function') throw new Error('fakeQuantiseActivation takes a tensor.');
    const q = tf.clipByValue(tf.floor(tf.add(tf.div(tf.sub(input, min), scale), 0.5)), 0, 255);
    save([input]);
    return {
      value: tf.add(tf.mul(q, scale), min),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(dy, tf.cast(tf.logicalAnd(tf.greaterEqual(saved[0], min), tf.lessEqual(saved[0], hi)), 'float32')),
    };
  });
  return op(x);
}

/** The same arithmetic on plain numbers (float32 at each operation, as the C and the tensor version do). */
export function fakeQuantiseActivationValues(values: Float32Array, grid: Uint8Grid): Float32Array {
  const f = Math.fround;
  const scale = f(grid.scale);
  const min = f(grid.min);
  return values.map((v) => {
    const q = Math.min(255, Math.max(0, Math.floor(f(f(f(v - min) / scale) + 0.5))));
    return f(f(q * scale) + min);
  });
}

export interface ActivationForward {
  /** One range per point, in order: the outputs there are fake-quantised. Null: float forward. */
  ranges: readonly ActivationRange[] | null;
  /** When given, receives each point's batch [min, max] as one tensor [2 × points] (kept: the caller disposes it). */
  observe?: (minMax: tf.Tensor1D) => void;
}

/**
 * The student's forward pass layer by layer, so that hidden outputs can be observed and
 * fake-quantised; with ranges null and nothing observed it computes exactly what model.apply does.
 */
export function chainForward(model: tf.LayersModel, x: tf.Tensor, training: boolean, quant: ActivationForward): tf.Tensor {
  const layers = chainLayers(model);
  const points = activationPoints(layers.map(layerKind));
  const seen: tf.Tensor[] = [];
  let at = 0;
  let h = x;
  layers.forEach((layer, i) => {
    h = layer.apply(h, { training }) as tf.Tensor;
    if (!points[i]) return;
    if (quant.observe) seen.push(tf.min(h), tf.max(h));
    const range = quant.ranges?.[at];
    if (quant.ranges && !range)
      throw new Error(`The student has more hidden outputs than the ${quant.ranges.length} activation ranges given.`);
    if (range) h = fakeQuantiseActivation(h, uint8Grid(range[0], range[1]));
    at++;
  });
  if (quant.observe && seen.length > 0) quant.observe(tf.keep(tf.stack(seen) as tf.Tensor1D));
  return h;
}

/** Exponential moving average of batch minima and maxima (TF's MovingAverageQuantizer keeps one the same way). */
export const RANGE_EMA_DECAY = 0.99;

/**
 * Folds batches' [min0, max0, min1, max1, …] into the running ranges, in order; the first batch
 * starts them. Pure: returns new ranges.
 */
export function updateRanges(
  ranges: readonly ActivationRange[] | null,
  batches: readonly Float32Array[],
  decay = RANGE_EMA_DECAY,
): ActivationRange[] | null {
  let out = ranges ? ranges.map((r): ActivationRange => [r[0], r[1]]) : null;
  for (const b of batches) {
    const batch = Array.from({ length: b.length / 2 }, (_, i): ActivationRange => [b[2 * i], b[2 * i + 1]]);
    out = out ? out.map((r, i) => [decay * r[0] + (1 - decay) * batch[i][0], decay * r[1] + (1 - decay) * batch[i][1]]) : batch;
  }
  return out;
}

/**
 * Ranges observed on `x` in inference mode, batch by batch in order, as an EMA: post-training
 * calibration (for a student not trained for it), and the start of QAT when no float epoch came before.
 */
export async function calibrateRanges(model: tf.LayersModel, x: tf.Tensor2D, batchSize = 128): Promise<ActivationRange[] | null> {
  const batches: Float32Array[] = [];
  for (let start = 0; start < x.shape[0]; start += batchSize) {
    let observed: tf.Tensor1D | null = null;
    tf.tidy(() => {
      chainForward(model, tf.slice(x, start, Math.min(batchSize, x.shape[0] - start)), false, {
        ranges: null,
        observe: (t) => {
          observed = t;
        },
      });
    });
    if (observed) {
      const t: tf.Tensor1D = observed;
      batches.push((await t.data()) as Float32Array);
      t.dispose();
    }
  }
  return updateRanges(null, batches);
}

/**
 * What a student trained for uint8 carries with it for its exports: the weight scheme and, with
 * quantised activations, the ranges. Kept beside the model object (not in its weights), so the
 * C export and the studio's uint8 evaluation use the scheme it was trained with.
 */
export interface QuantTrained {
  perChannel: boolean;
  activationRanges: ActivationRange[] | null;
}

const trained = new WeakMap<tf.LayersModel, QuantTrained>();

export function setQuantTrained(model: tf.LayersModel, q: QuantTrained): void {
  trained.set(model, q);
}

export function quantTrainedOf(model: tf.LayersModel): QuantTrained | null {
  return trained.get(model) ?? null;
}

/**
 * Logits of `model` as its uint8 export computes them: weights on the uint8 grid (per tensor or per
 * channel) and, with ranges, hidden outputs fake-quantised; inference mode. The model's own weights
 * are put back before returning. Owned by the caller.
 */
export function quantisedLogits(model: tf.LayersModel, x: tf.Tensor, q: QuantTrained): tf.Tensor2D {
  const saved = model.getWeights().map((w) => w.clone());
  const onGrid = saved.map((w) =>
    tf.tensor(fakeQuantiseValues(w.dataSync() as Float32Array, w.shape, { perChannel: q.perChannel }).values, w.shape),
  );
  try {
    model.setWeights(onGrid);
    return tf.tidy(() => {
      const parts: tf.Tensor[] = [];
      for (let start = 0; start < x.shape[0]; start += 2000)
        parts.push(chainForward(model, tf.slice(x, start, Math.min(2000, x.shape[0] - start)), false, { ranges: q.activationRanges }));
      return tf.concat(parts) as tf.Tensor2D;
    });
  } finally {
    model.setWeights(saved);
    tf.dispose([...saved, ...onGrid]);
  }
}

/**
 * The trainer's side of "Quantise activations": in the float epochs the forward pass observes each
 * hidden output's batch min and max (read once an epoch and folded into an EMA, no sync per step);
 * when the uint8 epochs start the ranges are frozen, so the last epochs train against the very grid
 * the export will use (calibrated on the training rows when no float epoch came before, e.g. a
 * resumed run or N = all epochs).
 */
export class ActivationQuantTraining {
  private observed: tf.Tensor1D[] = [];
  ranges: ActivationRange[] | null = null;
  frozen = false;

  constructor(private readonly model: tf.LayersModel) {
    chainLayers(model);
  }

  /** The distilled student's forward pass in training: observing before the freeze, fake-quantised after. */
  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    return this.frozen
      ? chainForward(this.model, x, training, { ranges: this.ranges })
      : chainForward(this.model, x, training, { ranges: null, observe: (t) => this.observed.push(t) });
  }

  /** Folds the epoch's observations into the ranges (one device read). */
  async endEpoch(): Promise<void> {
    const batches = this.observed.splice(0);
    try {
      this.ranges = updateRanges(this.ranges, (await Promise.all(batches.map((t) => t.data()))) as Float32Array[]);
    } finally {
      tf.dispose(batches);
    }
  }

  async freeze(xCalibration: tf.Tensor2D): Promise<ActivationRange[] | null> {
    if (this.frozen) return this.ranges;
    await this.endEpoch();
    if (!this.ranges) this.ranges = await calibrateRanges(this.model, xCalibration);
    this.frozen = true;
    return this.ranges;
  }

  dispose(): void {
    tf.dispose(this.observed.splice(0));
  }
}

/** Test accuracy of `model` as its uint8 export with scheme `q` computes it (quantisedLogits). */
export async function quantisedAccuracy(model: tf.LayersModel, x: tf.Tensor2D, y: tf.Tensor1D, q: QuantTrained): Promise<number> {
  const correct = tf.tidy(() => {
    const logits = quantisedLogits(model, x, q);
    return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(y, 'int32')), 'float32'));
  });
  try {
    return (await correct.data())[0];
  } finally {
    correct.dispose();
  }
}
