import * as tf from '@tensorflow/tfjs';

/** Unit tests run the engine in Node on the tfjs CPU backend. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * A second CPU backend under another name, with every CPU kernel: lets Node tests move tensors
 * from one backend to another as a switch from webgpu to wasm would (tensors stay where they were made).
 */
export async function secondCpuBackend(name: string): Promise<string> {
  if (!tf.findBackendFactory(name)) {
    await tf.ready();
    const cpu = tf.findBackend('cpu');
    if (!cpu) throw new Error('the cpu backend is not registered');
    const Backend = cpu.constructor as new () => tf.KernelBackend;
    tf.registerBackend(name, () => new Backend());
    tf.copyRegisteredKernels('cpu', name);
  }
  return name;
}
