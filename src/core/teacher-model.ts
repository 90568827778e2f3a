import type * as tf from '@tensorflow/tfjs';
import { predictLogits, type Predictor } from './metrics';

/**
 * A frozen teacher as the trainer, the results and the views see it: logits for any rows. Async
 * because some teachers do not run on tfjs (ONNX Runtime) or combine several that may not.
 */
export interface TeacherModel {
  /** Logits [rows, classes] for `x`, a new tensor the caller disposes; `x` is left as it was. */
  logits(x: tf.Tensor2D): Promise<tf.Tensor2D>;
}

/** A tfjs model (or a wrapped upload) as a teacher: its logits, computed in batches. */
export function predictorTeacher(model: Predictor): TeacherModel {
  return { logits: async (x) => predictLogits(model, x) };
}
