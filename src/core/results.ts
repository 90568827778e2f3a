import * as tf from '@tensorflow/tfjs';
import { accuracy, agreement, predictLogits } from './metrics';
import type { TeacherModel } from './teacher-model';

/** What the results table shows for one model. */
export interface ModelResult {
  testAccuracy: number;
  /** Fraction of test rows on which the model picks the teacher's class (1 for the teacher). */
  agreement: number;
  /** Null when the model's files do not say (an uploaded graph model). */
  params: number | null;
  bytes: number | null;
  /** Median inference time per sample on the current backend (batch of LATENCY_ROWS); null until measured. */
  latencyMsPerSample: number | null;
  /** The interquartile range of the timings behind that median (ms per sample); absent in runs saved before it was measured. */
  latencySpread?: { q1: number; q3: number } | null;
}

export interface Clock {
  now(): number;
}

/** Rows per timed pass: enough to fill a batch, few enough to stay quick on a software GPU. */
export const LATENCY_ROWS = 512;
/** Timings per model: enough for a median and quartiles that one slow stretch of the device cannot move. */
export const LATENCY_REPEATS = 21;
/**
 * Passes per timing are added until one timing takes about this long: far above the clock's
 * resolution (0.1 ms without cross-origin isolation), and long enough that the scheduler's
 * interruptions on a busy machine average out within a timing instead of deciding it.
 */
const MIN_TIMING_MS = 20;
const MAX_PASSES_PER_TIMING = 256;

/** Passes of `model` that take about MIN_TIMING_MS, found by doubling until a run of them is timed well above the clock's resolution. */
async function passesPerTiming(model: TeacherModel, x: tf.Tensor2D, clock: Clock): Promise<number> {
  for (let n = 1; ; n *= 2) {
    const start = clock.now();
    for (let p = 0; p < n; p++) await pass(model, x);
    const took = clock.now() - start;
    if (took >= MIN_TIMING_MS / 4 || n >= MAX_PASSES_PER_TIMING)
      return Math.min(MAX_PASSES_PER_TIMING, Math.max(1, Math.ceil((MIN_TIMING_MS * n) / Math.max(took, 1e-9))));
  }
}

export interface LatencyStats {
  /** Median per-sample time over the timings. */
  msPerSample: number;
  /** Interquartile range of the per-sample times. */
  q1: number;
  q3: number;
}

/** The q-quantile of `sorted` (ascending), interpolated between neighbours. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

async function pass(model: TeacherModel, x: tf.Tensor2D): Promise<void> {
  const out = await model.logits(x);
  try {
    await out.data();
  } finally {
    out.dispose();
  }
}

/**
 * Per-sample latency of several models on the same rows, measured together so that they can be
 * compared: each model warmed up first (its first passes compile kernels and upload weights), then
 * timed pass by pass in turn (A B C, B C A, C A B, …: interleaved, and no model always after the
 * same one), so that a slow stretch of the device hits every model alike. Each timing sums about
 * 20 ms of one model's passes; the median of `repeats` timings is reported with its interquartile
 * range.
 */
export async function measureLatencies(
  models: readonly TeacherModel[],
  x: tf.Tensor2D,
  clock: Clock,
  repeats = LATENCY_REPEATS,
): Promise<LatencyStats[]> {
  const passes: number[] = [];
  for (const model of models) {
    await pass(model, x);
    passes.push(await passesPerTiming(model, x, clock));
  }
  const times: number[][] = models.map(() => []);
  const most = Math.max(...passes);
  for (let round = 0; round < repeats; round++) {
    // Pass by pass in turn, each pass timed on its own and summed per model: a slow stretch of the
    // device longer than a few passes hits every model alike (timing whole blocks of one model's
    // passes let it land on one model, and identical students came out up to 5× apart under load).
    const spent = models.map(() => 0);
    for (let p = 0; p < most; p++) {
      for (let k = 0; k < models.length; k++) {
        const i = (round + p + k) % models.length;
        if (p >= passes[i]) continue;
        const start = clock.now();
        await pass(models[i], x);
        spent[i] += clock.now() - start;
      }
    }
    for (const i of models.keys()) times[i].push(spent[i] / passes[i] / x.shape[0]);
  }
  return times.map((t) => {
    const sorted = [...t].sort((a, b) => a - b);
    return { msPerSample: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75) };
  });
}

/** Median per-sample inference time of one model (see measureLatencies). */
export async function measureLatency(model: TeacherModel, x: tf.Tensor2D, clock: Clock, reps = LATENCY_REPEATS): Promise<number> {
  const [stats] = await measureLatencies([model], x, clock, reps);
  return stats.msPerSample;
}

export interface ModelSize {
  params: number | null;
  bytes: number | null;
}

async function readPair(scalars: tf.Tensor1D): Promise<[number, number]> {
  try {
    const [a, b] = await scalars.data();
    return [a, b];
  } finally {
    scalars.dispose();
  }
}

/** Accuracy, agreement with `teacher` and size of a layers model on the test split. */
export async function evaluateModel(
  model: tf.LayersModel,
  teacher: TeacherModel,
  xTest: tf.Tensor2D,
  yTest: tf.Tensor1D,
): Promise<ModelResult> {
  const params = model.countParams();
  const teacherLogits = await teacher.logits(xTest);
  let scalars: tf.Tensor1D;
  try {
    scalars = tf.tidy(() => {
      const logits = predictLogits(model, xTest);
      return tf.stack([accuracy(logits, yTest), agreement(logits, teacherLogits)]) as tf.Tensor1D;
    });
  } finally {
    teacherLogits.dispose();
  }
  const [testAccuracy, agree] = await readPair(scalars);
  return { testAccuracy, agreement: agree, params, bytes: params * 4, latencyMsPerSample: null };
}

/** The teacher's own result (agreement with itself is 1 by definition); its size is what the caller knows of it. */
export async function evaluateTeacher(
  teacher: TeacherModel,
  size: ModelSize,
  xTest: tf.Tensor2D,
  yTest: tf.Tensor1D,
): Promise<ModelResult> {
  const logits = await teacher.logits(xTest);
  let scalars: tf.Tensor1D;
  try {
    scalars = tf.tidy(() => tf.stack([accuracy(logits, yTest), agreement(logits, logits)]) as tf.Tensor1D);
  } finally {
    logits.dispose();
  }
  const [testAccuracy, agree] = await readPair(scalars);
  return { testAccuracy, agreement: agree, ...size, latencyMsPerSample: null };
}

/** The latency fields of ModelResult. */
export type MeasuredLatency = Pick<ModelResult, 'latencyMsPerSample' | 'latencySpread'>;

/** Each model's latency fields, all measured together (measureLatencies) on the first LATENCY_ROWS test rows (a copy, so a teacher that knows the test set still runs). */
export async function latenciesOf(models: readonly TeacherModel[], xTest: tf.Tensor2D, clock: Clock): Promise<MeasuredLatency[]> {
  const rows = tf.slice(xTest, [0, 0], [Math.min(LATENCY_ROWS, xTest.shape[0]), xTest.shape[1]]);
  try {
    const stats = await measureLatencies(models, rows, clock);
    return stats.map((st) => ({ latencyMsPerSample: st.msPerSample, latencySpread: { q1: st.q1, q3: st.q3 } }));
  } finally {
    rows.dispose();
  }
}

/** `result` with the model's latency fields (latenciesOf, for one model). */
export async function withLatency<R extends ModelResult>(result: R, model: TeacherModel, xTest: tf.Tensor2D, clock: Clock): Promise<R> {
  const [measured] = await latenciesOf([model], xTest, clock);
  return { ...result, ...measured };
}
