import * as tf from '@tensorflow/tfjs';
import { hardCrossEntropy } from '../losses';
import { minimizeStep, trainableVariables } from '../tensors';

/** For kernel tests: the largest absolute difference between two lists of arrays of the same sizes. */
export function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  const sizes = (l: Float32Array[]) => l.map((x) => x.length).join();
  if (sizes(a) !== sizes(b)) throw new Error(`Compared arrays differ in size: [${sizes(a)}] vs [${sizes(b)}].`);
  let worst = 0;
  a.forEach((x, k) => {
    x.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - b[k][i]));
    });
  });
  return worst;
}

/**
 * For kernel tests: `steps` hard-label training steps of `model` on one batch, each loss read back;
 * returns the losses and the final weights, and frees the optimiser, the model and the batch.
 */
export async function trainAndDispose(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  x: tf.Tensor,
  y: tf.Tensor1D,
  steps: number,
): Promise<{ losses: number[]; weights: Float32Array[] }> {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = tf.tidy(() =>
      minimizeStep(optimizer, () => hardCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor2D), trainableVariables(model)),
    );
    losses.push((await loss.data())[0]);
    loss.dispose();
  }
  const weights = await Promise.all(model.getWeights().map((w) => w.data<'float32'>()));
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return { losses, weights };
}
