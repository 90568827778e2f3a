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
}

export interface Clock {
  now(): number;
}

/** Rows per timed pass: enough to fill a batch, few enough to stay quick on a software GPU. */
export const LATENCY_ROWS = 512;

/** Median per-sample inference time over `reps` timed passes, after one warm-up pass. */
export async function measureLatency(model: TeacherModel, x: tf.Tensor2D, clock: Clock, reps = 3): Promise<number> {
  const run = async () => {
    const out = await model.logits(x);
    try {
      await out.data();
    } finally {
      out.dispose();
    }
  };
  await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = clock.now();
    await run();
    times.push(clock.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] / x.shape[0];
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

/** `result` with the model's latency measured on the first LATENCY_ROWS test rows (a copy, so a teacher that knows the test set still runs). */
export async function withLatency<R extends ModelResult>(result: R, model: TeacherModel, xTest: tf.Tensor2D, clock: Clock): Promise<R> {
  const rows = tf.slice(xTest, [0, 0], [Math.min(LATENCY_ROWS, xTest.shape[0]), xTest.shape[1]]);
  try {
    return { ...result, latencyMsPerSample: await measureLatency(model, rows, clock) };
  } finally {
    rows.dispose();
  }
}
