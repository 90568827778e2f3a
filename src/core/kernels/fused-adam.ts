import * as tf from '@tensorflow/tfjs';
import {
  addMissingWasmKernel,
  adamPrivateState,
  hackEnabled,
  isWasmBackend,
  reportFallback,
  WASM,
  wasmHeap,
  type WasmBackendLike,
  type WasmMemory,
} from '../tfjs-internals';
import { instantiateSimdAdam, type SimdAdam } from './simd-adam';

/**
 * Adam in one pass over each weight, on wasm. tfjs's AdamOptimizer runs 14 element-wise kernels per
 * variable, each a full pass over memory and a new tensor: about 14 ms of the big teacher's 85 ms
 * step on 2.4 million weights. Here the update is one SIMD loop (simd-adam.wat) over the backend's
 * own memory, writing the new weight and both moments at once. A loop in JavaScript was tried first
 * and was slower than tfjs's kernels (15.4 ms). Other backends keep tfjs's update.
 */
export const FUSED_ADAM_KERNEL = 'DistillStudioFusedAdam';

let compiled: { memory: WasmMemory; adam: SimdAdam | null } | null = null;

/** The SIMD update over this backend's memory, or why there is none. */
function simdAdam(backend: WasmBackendLike): SimdAdam | string {
  const memory = wasmHeap(backend);
  if (!memory) return "the wasm backend's memory was not found (a threaded build whose heap was not noted as it started)";
  if (compiled?.memory !== memory) compiled = { memory, adam: instantiateSimdAdam(memory) };
  return compiled.adam ?? "this browser's WebAssembly has no SIMD";
}

/** value, gradient, m, v → new value, new m, new v; `c1`, `c2` are Adam's bias corrections (1 − beta^t). */
const fusedAdam: tf.KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const { value, gradient, m, v } = inputs;
  if (!isWasmBackend(backend)) throw new Error('Fused Adam needs the wasm backend.');
  const adam = simdAdam(backend);
  if (typeof adam === 'string') throw new Error(`Fused Adam cannot run: ${adam}.`);
  if (!value || !gradient || !m || !v) throw new Error('Fused Adam: expected a value, a gradient and both moments.');
  for (const t of [value, gradient, m, v]) {
    if (t.dtype !== 'float32') throw new Error(`Fused Adam: expected float32 tensors, got ${t.dtype}.`);
    if (t.shape.join() !== value.shape.join())
      throw new Error(`Fused Adam: shape [${t.shape}] differs from the weight's [${value.shape}].`);
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

/** Registers the fused kernel for wasm; safe to call more than once; nothing on another tfjs (see internalsStatus). */
export function installFusedAdam(): void {
  addMissingWasmKernel(FUSED_ADAM_KERNEL, fusedAdam, 'fused-adam');
}

/**
 * Why the active backend cannot run the fused update, or null when it can. On wasm the reason is
 * also reported (internalsStatus), since tfjs's slower update then runs instead; on other backends
 * tfjs's update is the plan, not a fallback.
 */
function whyNotFused(): string | null {
  if (tf.getBackend() !== WASM) return 'the backend is not wasm';
  // On another tfjs the version check has said so already.
  if (!hackEnabled('fused-adam')) return 'off on this tfjs';
  const backend = tf.backend();
  const why = !tf.getKernel(FUSED_ADAM_KERNEL, WASM)
    ? 'its kernel was never installed (installWasmKernelFixes)'
    : !isWasmBackend(backend)
      ? 'the wasm backend lacks makeOutput or typedArrayFromHeap'
      : simdAdam(backend);
  if (typeof why !== 'string') return null;
  reportFallback('fused-adam', why);
  return why;
}

/** Whether the active backend runs the fused update: wasm, the kernel installed, its memory and SIMD at hand. */
export function fusedAdamActive(): boolean {
  return whyNotFused() === null;
}

type AdamGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/**
 * tfjs's Adam, with its state, serialisation and results (to float rounding), whose update runs as
 * the fused kernel where that is active (elsewhere, tfjs's own; on wasm, internalsStatus says why).
 * It keeps tfjs's private state (adamPrivateState) as tfjs's own update would.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: AdamGradients): void {
    if (!fusedAdamActive()) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = adamPrivateState(this);
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // tfjs's accBeta after t steps is beta^(t+1): the corrections from the step count, with nothing read back.
    const c1 = Math.fround(1 - this.beta1 ** (this.iterations + 1));
    const c2 = Math.fround(1 - this.beta2 ** (this.iterations + 1));
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const first = s.accumulatedFirstMoment[i] ?? {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        const second = s.accumulatedSecondMoment[i] ?? {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        s.accumulatedFirstMoment[i] = first;
        s.accumulatedSecondMoment[i] = second;
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = first.variable;
        const v = second.variable;
        const attrs = { lr: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, c1, c2 };
        const [newValue, newM, newV] = tf.engine().runKernel(FUSED_ADAM_KERNEL, { value, gradient, m, v }, attrs) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      // Kept as tfjs keeps them, for a step that runs tfjs's own update (after a change of backend).
      s.accBeta1.assign(tf.mul(s.accBeta1, this.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** Adam as tf.train.adam(learningRate) makes it, with the fused update on wasm. */
export function adam(learningRate: number): tf.AdamOptimizer {
  return new FusedAdamOptimizer(learningRate, 0.9, 0.999);
}
