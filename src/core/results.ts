import * as tf from '@tensorflow/tfjs';
import { accuracy, agreement, predictLogits, type Predictor } from './metrics';

/** What the results table shows for one model. */
export interface ModelResult {
  testAccuracy: number;
  /** Fraction of test rows on which the model picks the teacher's class (1 for the teacher). */
  agreement: number;
  /** Null when the model's files do not say (an uploaded graph model). */
  params: number | null;
  bytes: number | null;
  /** Median inference time per sample on the current backend, batch = the whole test set. */
  latencyMsPerSample: number;
}

export interface Clock {
  now(): number;
}

/** Median per-sample inference time over `reps` timed passes, after one warm-up pass. */
export async function measureLatency(model: Predictor, x: tf.Tensor2D, clock: Clock, reps = 3): Promise<number> {
  const run = async () => {
    const out = predictLogits(model, x);
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

/** Accuracy, agreement with `teacher`, size and latency of a layers model on the test split. */
export function evaluateModel(model: tf.LayersModel, teacher: Predictor, xTest: tf.Tensor2D, yTest: tf.Tensor1D, clock: Clock): Promise<ModelResult> {
  const params = model.countParams();
  return evaluatePredictor(model, { params, bytes: params * 4 }, teacher, xTest, yTest, clock);
}

/** The same for any predictor (an uploaded graph model, say), whose size the caller knows best. */
export async function evaluatePredictor(model: Predictor, size: ModelSize, teacher: Predictor, xTest: tf.Tensor2D, yTest: tf.Tensor1D, clock: Clock): Promise<ModelResult> {
  const scalars = tf.tidy(() => {
    const logits = predictLogits(model, xTest);
    const teacherLogits = teacher === model ? logits : predictLogits(teacher, xTest);
    return tf.stack([accuracy(logits, yTest), agreement(logits, teacherLogits)]);
  });
  const [testAccuracy, agree] = await scalars.data();
  scalars.dispose();
  return { testAccuracy, agreement: agree, ...size, latencyMsPerSample: await measureLatency(model, xTest, clock) };
}
