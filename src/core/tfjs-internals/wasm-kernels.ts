import * as tf from '@tensorflow/tfjs';
import { hackEnabled, type InternalFeature } from './versions';

/**
 * Changes to tfjs-backend-wasm's kernel registry. The registry calls are public, but what they rely on
 * is not: which kernels the backend has (and lacks), and what its kernelFuncs expect.
 */

export const WASM = 'wasm';

const INSTALLED = Symbol.for('distill-studio.wasm-kernel');

function mark(kernelFunc: tf.KernelFunc): tf.KernelFunc {
  Object.defineProperty(kernelFunc, INSTALLED, { value: true });
  return kernelFunc;
}

/** Whether the wasm kernel registered under `kernelName` is one of ours. */
export function isOurWasmKernel(kernelName: string): boolean {
  const config = tf.getKernel(kernelName, WASM);
  return config !== undefined && INSTALLED in config.kernelFunc;
}

/**
 * Replaces a stock wasm kernel with `make(original)`, keeping its setup and dispose functions (the
 * original kernelFunc needs the wasm bindings its setup makes). A second call does nothing; off on
 * another tfjs (see internalsStatus). Throws when the kernel is not registered: the wasm backend
 * was not imported first, or tfjs renamed or dropped it.
 */
export function replaceWasmKernel(kernelName: string, make: (original: tf.KernelFunc) => tf.KernelFunc): void {
  if (!hackEnabled('wasm-kernels')) return;
  const config = tf.getKernel(kernelName, WASM);
  if (!config)
    throw new Error(
      `Cannot replace the wasm ${kernelName} kernel: tfjs-backend-wasm has none registered (import it before installing the kernel fixes).`,
    );
  if (INSTALLED in config.kernelFunc) return;
  const kernelFunc = mark(make(config.kernelFunc));
  tf.unregisterKernel(kernelName, WASM);
  tf.registerKernel({ ...config, kernelFunc });
}

/**
 * Registers a kernel the wasm backend lacks. A second call does nothing; off on another tfjs (as
 * `feature`, the hack it belongs to). Throws when the backend has a kernel of that name of its own:
 * ours is then dead code, to be removed.
 */
export function addMissingWasmKernel(kernelName: string, kernelFunc: tf.KernelFunc, feature: InternalFeature = 'wasm-kernels'): void {
  if (!hackEnabled(feature)) return;
  const config = tf.getKernel(kernelName, WASM);
  if (config && INSTALLED in config.kernelFunc) return;
  if (config) throw new Error(`tfjs-backend-wasm now has a ${kernelName} kernel of its own: remove the studio's.`);
  tf.registerKernel({ kernelName, backendName: WASM, kernelFunc: mark(kernelFunc) });
}
