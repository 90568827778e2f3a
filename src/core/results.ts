import * as tf from '@tensorflow/tfjs';
import { accuracy, agreement, predictLogits } from './metrics';

/** What the results table shows for one model. */
export interface ModelResult {
  testAccuracy: number;
  /** Fraction of test rows on which the model picks the teacher's class (1 for the teacher). */
  agreement: number;
  params: number;
  bytes: number;
  /** Median inference time per sample on the current backend, batch = the whole test set. */
  latencyMsPerSample: number;
}

export interface Clock {
  now(): number;
}

/** Median per-sample inference time over `reps` timed passes, after one warm-up pass. */
export async function measureLatency(model: tf.LayersModel, x: tf.Tensor2D, clock: Clock, reps = 3): Promise<number> {
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

/** Accuracy, agreement with `teacher`, size and latency of `model` on the test split. */
export async function evaluateModel(model: tf.LayersModel, teacher: tf.LayersModel, xTest: tf.Tensor2D, yTest: tf.Tensor1D, clock: Clock): Promise<ModelResult> {
  const scalars = tf.tidy(() => {
    const logits = predictLogits(model, xTest);
    const teacherLogits = model === teacher ? logits : predictLogits(teacher, xTest);
    return tf.stack([accuracy(logits, yTest), agreement(logits, teacherLogits)]);
  });
  const [testAccuracy, agree] = await scalars.data();
  scalars.dispose();
  const params = model.countParams();
  return { testAccuracy, agreement: agree, params, bytes: params * 4, latencyMsPerSample: await measureLatency(model, xTest, clock) };
}
