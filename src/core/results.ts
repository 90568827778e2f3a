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
/** Timings per model, at least: enough for a median and quartiles. More follow while LATENCY_BUDGET_MS lasts. */
export const LATENCY_REPEATS = 21;
const MAX_TIMINGS = 2001;
/** How long the timings may go on past LATENCY_REPEATS rounds (each round times every model once). */
export const LATENCY_BUDGET_MS = 1500;
/**
 * Each timing is a block of one model's consecutive passes lasting about this long (at least one
 * pass): well above the clock's resolution (5 µs in the cross-origin isolated page), and short, so
 * that most timings fall between the scheduler's interruptions on a busy machine and the median is
 * an uninterrupted one. (Summing ~20 ms of passes per timing let nearly every timing catch an
 * interruption under load, and the medians of identical students moved with them.)
 */
const TIMING_MS = 0.25;
/**
 * A timing is the fastest of this many blocks of its model, taken in interleaved turns within a
 * round: on a machine loaded 8-10 times over its cores, most single blocks were interrupted at
 * times, and the median of single blocks moved with how many were (identical students 1.00-1.13
 * apart); all three of a timing's blocks are interrupted far less often.
 */
const BLOCKS_PER_TIMING = 3;
const MAX_PASSES_PER_TIMING = 256;

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
 * Warm-up passes per model. A handful is not enough: V8 optimises tfjs's JavaScript around a pass
 * gradually, and a small model's pass kept getting faster for its first ~100 passes (measured in Node
 * on wasm: 0.6 ms, then 0.4 ms around passes 40-80, then 0.07 ms from ~100 on). Timings that began
 * early caught that descent, and identical students came out 1.1-7× apart depending on which model
 * the descent happened to land on.
 */
export const WARMUP_PASSES = 200;
/** ...but a model whose passes are real work (a CNN teacher on 512 rows) stops warming after this much of its own time. */
export const WARMUP_MS = 400;

/**
 * Passes of every model in turn (rotating who goes first) until each has had WARMUP_PASSES or
 * WARMUP_MS; returns each model's settled cost per pass: the fast end (10th percentile) of its last
 * quarter of passes. Not their median: on a loaded machine a slow stretch could double one model's
 * median and halve its block length, and shorter blocks are interrupted less often than the other
 * model's longer ones, which moved identical students' medians apart.
 */
async function warmUp(models: readonly TeacherModel[], x: tf.Tensor2D, clock: Clock): Promise<number[]> {
  const took: number[][] = models.map(() => []);
  const spent = models.map(() => 0);
  const warm = (i: number) => took[i].length >= WARMUP_PASSES || spent[i] >= WARMUP_MS;
  for (let round = 0; !models.every((_, i) => warm(i)); round++) {
    for (let k = 0; k < models.length; k++) {
      const i = (round + k) % models.length;
      if (warm(i)) continue;
      const start = clock.now();
      await pass(models[i], x);
      const t = clock.now() - start;
      spent[i] += t;
      took[i].push(t);
    }
  }
  return took.map((t) =>
    quantile(
      [...t.slice(-Math.ceil(t.length / 4))].sort((a, b) => a - b),
      0.1,
    ),
  );
}

/**
 * Per-sample latency of several models on the same rows, measured together so that they can be
 * compared: all warmed up together first (their first passes compile kernels, upload weights and
 * let the JIT settle: see WARMUP_PASSES), then timed in turn, short blocks of one model's passes
 * (A B C, B C A, C A B, …: interleaved, and no model always after the same one), so that a slow
 * stretch of the device hits every model alike. Each timing is the fastest of BLOCKS_PER_TIMING
 * blocks. At least `repeats` timings each, more while `budgetMs` lasts; the median per sample is
 * reported with its interquartile range.
 */
export async function measureLatencies(
  models: readonly TeacherModel[],
  x: tf.Tensor2D,
  clock: Clock,
  repeats = LATENCY_REPEATS,
  budgetMs = LATENCY_BUDGET_MS,
): Promise<LatencyStats[]> {
  const perPass = await warmUp(models, x, clock);
  const passes = perPass.map((ms) => Math.min(MAX_PASSES_PER_TIMING, Math.max(1, Math.round(TIMING_MS / Math.max(ms, 1e-6)))));
  const times: number[][] = models.map(() => []);
  const started = clock.now();
  for (let round = 0; round < MAX_TIMINGS && (round < repeats || clock.now() - started < budgetMs); round++) {
    const best = models.map(() => Number.POSITIVE_INFINITY);
    for (let b = 0; b < BLOCKS_PER_TIMING; b++) {
      for (let k = 0; k < models.length; k++) {
        const i = (round + b + k) % models.length;
        const start = clock.now();
        for (let p = 0; p < passes[i]; p++) await pass(models[i], x);
        best[i] = Math.min(best[i], clock.now() - start);
      }
    }
    for (const i of models.keys()) times[i].push(best[i] / passes[i] / x.shape[0]);
  }
  return times.map((t) => {
    const sorted = [...t].sort((a, b) => a - b);
    return { msPerSample: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75) };
  });
}

/** Median per-sample inference time of one model (see measureLatencies). */
export async function measureLatency(
  model: TeacherModel,
  x: tf.Tensor2D,
  clock: Clock,
  reps = LATENCY_REPEATS,
  budgetMs = LATENCY_BUDGET_MS,
): Promise<number> {
  const [stats] = await measureLatencies([model], x, clock, reps, budgetMs);
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
