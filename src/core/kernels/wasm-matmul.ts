import type * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from '../tfjs-internals';
import { KernelScope } from './wasm-kernel-scope';

/**
 * tfjs-backend-wasm 4.22 sends a matMul to XNNPACK only when neither operand is transposed; with
 * either flag it runs a scalar loop about 10x slower. Every dense layer's backward pass sets one
 * (dW = xᵀ·dy, dX = dy·Wᵀ), so these wrappers turn a transposed call into explicit transposes
 * (cheap, native) plus the flag-free kernel. Batched calls (batch > 1) take the stock loop with or
 * without flags, so for them this changes nothing but the copies.
 */

const size = (t: tf.TensorInfo) => t.shape.reduce((p, d) => p * d, 1);

type Plan = 'direct' | 'swapped';

/**
 * Picks the cheaper of op(a)·op(b) and (op(b)ᵀ·op(a)ᵀ)ᵀ, counting elements copied: transposes,
 * plus XNNPACK's packing of its right operand (repacked on every call here: in a backward pass it
 * is always a fresh tensor). For dy·Wᵀ the swapped form moves only dy and the small product, not W.
 */
function plan(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): Plan {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const batch = Math.max(size(a) / (a.shape[ra - 1] * a.shape[ra - 2]), size(b) / (b.shape[rb - 1] * b.shape[rb - 2]));
  const direct = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0) + size(b);
  const swapped = (transposeB ? 0 : size(b)) + (transposeA ? 0 : size(a)) + size(a) + batch * m * n;
  return swapped < direct ? 'swapped' : 'direct';
}

function batchMatMulWithoutFlags(original: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs = {} }) => {
    const { a, b } = inputs;
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    // Anything else (no flags, other dtypes, empty) goes through untouched, errors included.
    if ((!transposeA && !transposeB) || a?.dtype !== 'float32' || b?.dtype !== 'float32' || !size(a) || !size(b))
      return original({ inputs, backend, attrs });
    const flagless = { ...attrs, transposeA: false, transposeB: false };
    const scope = new KernelScope(backend);
    try {
      if (plan(a, b, transposeA, transposeB) === 'direct') {
        const left = transposeA ? scope.transposeLast2(a) : a;
        const right = transposeB ? scope.transposeLast2(b) : b;
        return scope.keep(scope.track(original({ inputs: { a: left, b: right }, backend, attrs: flagless })));
      }
      const left = transposeB ? b : scope.transposeLast2(b);
      const right = transposeA ? a : scope.transposeLast2(a);
      const productT = scope.track(original({ inputs: { a: left, b: right }, backend, attrs: flagless }));
      return scope.keep(scope.transposeLast2(productT));
    } finally {
      scope.dispose();
    }
  };
}

/**
 * The fused kernel adds its bias along the output's last axis and applies its activation after, so
 * only the direct form is valid here: transpose the flagged operands and run it without flags.
 */
function fusedMatMulWithoutFlags(original: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs = {} }) => {
    const { a, b } = inputs;
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    if ((!transposeA && !transposeB) || a?.dtype !== 'float32' || b?.dtype !== 'float32' || !size(a) || !size(b))
      return original({ inputs, backend, attrs });
    const scope = new KernelScope(backend);
    try {
      const left = transposeA ? scope.transposeLast2(a) : a;
      const right = transposeB ? scope.transposeLast2(b) : b;
      const flagless = { ...attrs, transposeA: false, transposeB: false };
      return scope.keep(scope.track(original({ inputs: { ...inputs, a: left, b: right }, backend, attrs: flagless })));
    } finally {
      scope.dispose();
    }
  };
}

/** Re-registers the wasm BatchMatMul and _FusedMatMul kernels; safe to call more than once. */
export function installWasmMatMulFix(): void {
  replaceWasmKernel('BatchMatMul', batchMatMulWithoutFlags);
  replaceWasmKernel('_FusedMatMul', fusedMatMulWithoutFlags);
}
