import * as tf from '@tensorflow/tfjs';
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

/** A teacher that keeps its logits on some fixed tensors (a data set's splits) and frees them with `dispose`. */
export interface KnownRowsTeacher extends TeacherModel {
  dispose(): void;
}

/**
 * `model` with its logits on each of `known` (the data set's xTrain and xTest) computed once, in
 * chunks of `chunkRows` (`onRows(done, total)` after each), and answered from then on for those very
 * tensors; any other rows still go to `model`. For teachers too slow to run again on every
 * distillation (a Teachable Machine model resizes every image first). `model` stays the caller's.
 */
export async function withKnownRows(
  model: TeacherModel,
  known: tf.Tensor2D[],
  onRows?: (done: number, total: number) => void,
  chunkRows = 512,
): Promise<KnownRowsTeacher> {
  const total = known.reduce((sum, x) => sum + x.shape[0], 0);
  const answers: tf.Tensor2D[] = [];
  let done = 0;
  try {
    for (const x of known) {
      const parts: tf.Tensor2D[] = [];
      try {
        for (let start = 0; start < x.shape[0]; start += chunkRows) {
          const rows = Math.min(chunkRows, x.shape[0] - start);
          const slice = x.slice([start, 0], [rows, x.shape[1]]);
          try {
            parts.push(await model.logits(slice));
          } finally {
            slice.dispose();
          }
          done += rows;
          onRows?.(done, total);
        }
        if (parts.length === 0)
          answers.push(await model.logits(x)); // no rows: the model still says how many classes
        else answers.push(parts.length === 1 ? (parts.pop() as tf.Tensor2D) : (tf.concat(parts, 0) as tf.Tensor2D));
      } finally {
        for (const p of parts) p.dispose();
      }
    }
  } catch (e) {
    for (const a of answers) a.dispose();
    throw e;
  }
  return {
    async logits(x) {
      const i = known.indexOf(x);
      return i >= 0 ? answers[i].clone() : model.logits(x);
    },
    dispose() {
      for (const a of answers) a.dispose();
    },
  };
}
