import * as tf from '@tensorflow/tfjs';
import { instantiateSimdAdam, type SimdAdam } from './simd-adam-module';
import { wasmApi, type WasmMemory } from './wasm-api';
import { WASM } from './wasm-kernel-scope';

/**
 * Adam in one pass over each weight, on wasm. tfjs's AdamOptimizer runs 14 element-wise kernels per
 * variable, each a full pass over memory and a new tensor: about 14 ms of the big teacher's 85 ms
 * step on 2.4 million weights. Here the update is one SIMD loop (simd-adam-module.ts) over the
 * backend's own memory, writing the new weight and both moments at once. A loop in JavaScript was
 * tried first and was slower than tfjs's kernels (15.4 ms). Other backends keep tfjs's update.
 */
export const FUSED_ADAM_KERNEL = 'DistillStudioFusedAdam';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  wasm?: { asm?: { memory?: unknown } };
}

function isWasmBackend(b: unknown): b is WasmBackendLike {
  return typeof b === 'object' && b !== null && 'makeOutput' in b && 'typedArrayFromHeap' in b;
}

/** The memory of a threaded wasm build (created in JS and imported, so not among its exports): see provideWasmMemory. */
let providedMemory: WasmMemory | null = null;
let compiled: { memory: WasmMemory; adam: SimdAdam | null } | null = null;

/** Threaded tfjs builds import their memory instead of exporting it: the worker hands it over here. */
export function provideWasmMemory(memory: WasmMemory): void {
  providedMemory = memory;
}

/** The SIMD update over this backend's memory; null where that memory or WebAssembly SIMD is not to be had. */
function simdAdam(backend: WasmBackendLike): SimdAdam | null {
  const exported = backend.wasm?.asm?.memory;
  const memory = exported instanceof wasmApi.Memory ? exported : providedMemory;
  if (!memory) return null;
  if (compiled?.memory !== memory) compiled = { memory, adam: instantiateSimdAdam(memory) };
  return compiled.adam;
}

/** value, gradient, m, v → new value, new m, new v; `c1`, `c2` are Adam's bias corrections (1 − beta^t). */
const fusedAdam: tf.KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const { value, gradient, m, v } = inputs;
  if (!isWasmBackend(backend)) throw new Error('Fused Adam needs the wasm backend.');
  const adam = simdAdam(backend);
  if (!adam) throw new Error('Fused Adam: the wasm memory or WebAssembly SIMD is not available.');
  if (!value || !gradient || !m || !v) throw new Error('Fused Adam: expected a value, a gradient and both moments.');
  for (const t of [value, gradient, m, v]) {
    if (t.dtype !== 'float32') throw new Error(`Fused Adam: expected float32 tensors, got ${t.dtype}.`);
    if (t.shape.join() !== value.shape.join()) throw new Error(`Fused Adam: shape [${t.shape}] differs from the weight's [${value.shape}].`);
  }
  const [lr, beta1, beta2, epsilon, c1, c2] = ['lr', 'beta1', 'beta2', 'epsilon', 'c1', 'c2'].map((k) => Number(attrs[k]));
  const outs = [value, m, v].map((t) => backend.makeOutput([...t.shape], 'float32'));
  // Views taken after makeOutput: an allocation can grow the heap and detach older views.
  const views = [value, gradient, m, v, ...outs].map((t) => backend.typedArrayFromHeap(t));
  const n = views[0].length;
  const whole = n - (n % 4);
  const step = lr / c1;
  const unbias2 = 1 / c2;
  const [w0, g0, m0, v0, w1, m1, v1] = views.map((a) => a.byteOffset);
  adam(w0, g0, m0, v0, w1, m1, v1, whole * 4, beta1, 1 - beta1, beta2, 1 - beta2, step, unbias2, epsilon);
  // The last 0-3 elements, the same formula in JavaScript.
  const [w, g, mm, vv, wOut, mOut, vOut] = views;
  for (let i = whole; i < n; i++) {
    mOut[i] = beta1 * mm[i] + (1 - beta1) * g[i];
    vOut[i] = beta2 * vv[i] + (1 - beta2) * g[i] * g[i];
    wOut[i] = w[i] - (step * mOut[i]) / (Math.sqrt(vOut[i] * unbias2) + epsilon);
  }
  return outs;
};

/** Registers the fused kernel for wasm; safe to call more than once. */
export function installFusedAdam(): void {
  if (!tf.getKernel(FUSED_ADAM_KERNEL, WASM)) tf.registerKernel({ kernelName: FUSED_ADAM_KERNEL, backendName: WASM, kernelFunc: fusedAdam });
}

/** Whether the active backend runs the fused update: wasm, the kernel installed, its memory and SIMD at hand. */
export function fusedAdamActive(): boolean {
  if (!tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend())) return false;
  const backend = tf.backend();
  return isWasmBackend(backend) && simdAdam(backend) !== null;
}

type AdamGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** The private state of tfjs's AdamOptimizer that the fused update reads and writes, as tfjs keeps it. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * tfjs's Adam, with its state, serialisation and results (to float rounding), whose update runs as
 * the fused kernel where that is active. Its private fields are used as tfjs 4.22 names them.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: AdamGradients): void {
    if (!fusedAdamActive()) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // tfjs's accBeta after t steps is beta^(t+1): the corrections from the step count, with nothing read back.
    const c1 = Math.fround(1 - s.beta1 ** (this.iterations + 1));
    const c2 = Math.fround(1 - s.beta2 ** (this.iterations + 1));
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        const attrs = { lr: s.learningRate, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon, c1, c2 };
        const [newValue, newM, newV] = tf.engine().runKernel(FUSED_ADAM_KERNEL, { value, gradient, m, v }, attrs) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      // Kept as tfjs keeps them, for a step that runs tfjs's own update (after a change of backend).
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }
}

/** Adam as tf.train.adam(learningRate) makes it, with the fused update on wasm. */
export function adam(learningRate: number): tf.AdamOptimizer {
  return new FusedAdamOptimizer(learningRate, 0.9, 0.999);
}
