import type { WasmMemory } from '../tfjs-internals';
import { wasmApi } from './wasm-api';
import { SIMD_ADAM_SHARED_WASM, SIMD_ADAM_WASM } from './simd-adam.wasm';

/**
 * Adam's update as one WebAssembly SIMD loop over the tfjs wasm backend's own memory: see
 * simd-adam.wat for the arguments and the formula (the bytes are assembled from it by a script).
 */
export type SimdAdam = (
  w: number,
  g: number,
  m: number,
  v: number,
  wOut: number,
  mOut: number,
  vOut: number,
  bytes: number,
  beta1: number,
  keep1: number,
  beta2: number,
  keep2: number,
  step: number,
  unbias2: number,
  eps: number,
) => void;

const isSimdAdam = (f: unknown): f is SimdAdam => typeof f === 'function';

/** The module's bytes for `memory`: a shared memory (threaded tfjs builds) must be imported as shared. */
export function simdAdamBytes(memory: WasmMemory): Uint8Array {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer ? SIMD_ADAM_SHARED_WASM : SIMD_ADAM_WASM;
}

/** The compiled function over `memory`, or null where WebAssembly SIMD is missing. */
export function instantiateSimdAdam(memory: WasmMemory): SimdAdam | null {
  const bytes = simdAdamBytes(memory);
  if (!wasmApi.validate(bytes)) return null;
  const { adam } = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } }).exports;
  if (!isSimdAdam(adam)) throw new Error('simd-adam.wasm exports no adam function.');
  return adam;
}
