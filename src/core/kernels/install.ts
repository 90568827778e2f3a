import { installFusedAdam } from './fused-adam';
import { installWasmConvGradients } from './wasm-conv-grad';
import { installWasmConvInputGradient } from './wasm-conv-input-grad';
import { installWasmGatherFix } from './wasm-gather';
import { installWasmMatMulFix } from './wasm-matmul';

/**
 * Every fix to tfjs-backend-wasm 4.22's kernel registry: fast transposed matMuls, the missing conv
 * filter gradient, conv input gradients on XNNPACK, row gathers as slice copies, Adam's update in
 * one SIMD pass (used by fused-adam's `adam`, the optimiser every trainer here makes). Safe to call more
 * than once; the page's worker, the scripts and the Node tests all install the same set. Call it after
 * importing tfjs-backend-wasm: a kernel to replace that is not registered throws. On a tfjs other than
 * the one these were written for, nothing is installed and internalsStatus (core/tfjs-internals) says so.
 */
export function installWasmKernelFixes(): void {
  installWasmMatMulFix();
  installWasmConvGradients();
  installWasmConvInputGradient();
  installWasmGatherFix();
  installFusedAdam();
}
