import type * as tf from '@tensorflow/tfjs';
import { hackEnabled } from './versions';

/**
 * The wasm backend's heap. Kernels written here read and write tensors in place, at their addresses
 * in the backend's WebAssembly memory: makeOutput and typedArrayFromHeap are BackendWasm's own
 * methods, and the memory is its emscripten Module's `asm.memory` (single-threaded builds) or, in
 * threaded builds, a shared memory made in JavaScript and imported, so not exported: that one is
 * noted as the backend starts (withWasmHeapCapture).
 */

/** The parts of the WebAssembly JavaScript API used here: core is compiled without DOM or Node types, where TypeScript declares them. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface MemoryDescriptor {
  initial: number;
  maximum?: number;
  shared?: boolean;
}
type MemoryConstructor = new (descriptor: MemoryDescriptor) => WasmMemory;
/** A global object with a WebAssembly namespace: `globalThis` in a worker, a fake in tests. */
export interface WasmGlobal {
  WebAssembly: { Memory: MemoryConstructor };
}

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export function isWasmBackend(b: unknown): b is WasmBackendLike {
  return (
    typeof b === 'object' &&
    b !== null &&
    'makeOutput' in b &&
    typeof b.makeOutput === 'function' &&
    'typedArrayFromHeap' in b &&
    typeof b.typedArrayFromHeap === 'function'
  );
}

function isMemory(m: unknown): m is WasmMemory {
  return (
    typeof m === 'object' &&
    m !== null &&
    'buffer' in m &&
    (m.buffer instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && m.buffer instanceof SharedArrayBuffer))
  );
}

/** `backend.wasm.asm.memory`, read without trusting any level of it. */
function exportedMemory(backend: unknown): WasmMemory | null {
  const module = typeof backend === 'object' && backend !== null && 'wasm' in backend ? backend.wasm : null;
  const asm = typeof module === 'object' && module !== null && 'asm' in module ? module.asm : null;
  const memory = typeof asm === 'object' && asm !== null && 'memory' in asm ? asm.memory : null;
  return isMemory(memory) ? memory : null;
}

let capturedHeap: WasmMemory | null = null;

/** The memory `backend`'s tensors live in, or null where it cannot be found (then nothing may run over it). */
export function wasmHeap(backend: unknown): WasmMemory | null {
  return exportedMemory(backend) ?? capturedHeap;
}

/**
 * Runs `initialise` (the wasm backend's first start) with `global.WebAssembly.Memory` wrapped, so
 * that the shared memory a threaded build creates for its heap is noted for wasmHeap. The global
 * is restored before this returns. Off on another tfjs: `initialise` runs untouched.
 */
export async function withWasmHeapCapture<T>(global: WasmGlobal, initialise: () => Promise<T>): Promise<T> {
  if (!hackEnabled('wasm-heap-capture')) return initialise();
  const api = global.WebAssembly;
  const Original = api.Memory;
  let heap: WasmMemory | null = null;
  // A proxy of the constructor itself: what it makes is a real Memory, with the real prototype.
  api.Memory = new Proxy(Original, {
    construct(target, args: unknown[], newTarget) {
      const memory: WasmMemory = Reflect.construct(target, args, newTarget);
      const [descriptor] = args;
      if (typeof descriptor === 'object' && descriptor !== null && 'shared' in descriptor && descriptor.shared === true) heap = memory;
      return memory;
    },
  });
  try {
    return await initialise();
  } finally {
    api.Memory = Original;
    if (heap) capturedHeap = heap;
  }
}
