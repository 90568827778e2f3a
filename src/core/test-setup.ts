import * as tf from '@tensorflow/tfjs';

/** Unit tests run the engine in Node on the tfjs CPU backend. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
