import * as tf from '@tensorflow/tfjs';
import { WASM } from '../tfjs-internals';

/**
 * Kernels written here are composed from the wasm backend's own kernels, run directly through
 * their kernelFuncs: going through tf ops instead would record them on the gradient tape and count
 * them as engine tensors. Their outputs are backend data only, so each must be freed by hand.
 */

function isKernelBackend(b: unknown): b is tf.KernelBackend {
  return typeof b === 'object' && b !== null && 'disposeData' in b && typeof b.disposeData === 'function';
}

/** Tracks the intermediates of one kernel call and frees all but the kept result, even on error. */
export class KernelScope {
  private readonly temps: tf.TensorInfo[] = [];
  private readonly backend: tf.KernelBackend;

  constructor(private readonly rawBackend: object) {
    if (!isKernelBackend(rawBackend)) throw new Error('A wasm kernel was called without a tfjs backend.');
    this.backend = rawBackend;
  }

  /** Runs a wasm kernel (whatever is registered now, so wrapped kernels are used too). */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, WASM);
    if (!kernel) throw new Error(`The wasm backend has no ${kernelName} kernel.`);
    return this.track(kernel.kernelFunc({ inputs, backend: this.rawBackend, attrs }));
  }

  track(out: tf.TensorInfo | tf.TensorInfo[]): tf.TensorInfo {
    if (Array.isArray(out)) {
      out.forEach((t) => {
        this.temps.push(t);
      });
      throw new Error('Expected a kernel with one output.');
    }
    this.temps.push(out);
    return out;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Swaps the last two axes: the matrix transpose of every matrix in a batch. */
  transposeLast2(x: tf.TensorInfo): tf.TensorInfo {
    const r = x.shape.length;
    const perm = x.shape.map((_, i) => i);
    perm[r - 2] = r - 1;
    perm[r - 1] = r - 2;
    return this.transpose(x, perm);
  }

  /** Hands `out` to the caller: it will not be freed with the rest. */
  keep(out: tf.TensorInfo): tf.TensorInfo {
    const i = this.temps.indexOf(out);
    if (i >= 0) this.temps.splice(i, 1);
    return out;
  }

  dispose(): void {
    for (const t of this.temps.splice(0)) this.backend.disposeData(t.dataId);
  }
}
