import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { provideWasmMemory } from '../core/kernels/fused-adam';

/**
 * tfjs-backend-wasm 4.22 caps XNNPACK's thread pool at navigator.hardwareConcurrency / 2, read
 * by its C++ start-up while the backend initialises: on a 2-core machine no setting gives more
 * than 1 thread. To measure (and use) more, the worker reports enough cores for that moment
 * only; its own navigator is restored at once. Must wrap the wasm backend's first initialisation.
 */
export async function withWasmThreads<T>(threads: number, initialise: () => Promise<T>): Promise<T> {
  setThreadsCount(threads);
  const nav = self.navigator;
  const needed = threads * 2;
  if (nav.hardwareConcurrency >= needed) return capturingMemory(initialise);
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => needed });
  try {
    return await capturingMemory(initialise);
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * A threaded tfjs build creates its heap (a shared WebAssembly.Memory) in JavaScript and imports
 * it, so the heap is not among the module's exports; the fused Adam kernel needs it to run its
 * SIMD loop there. While the backend starts, the shared memory it creates is noted and handed over.
 */
async function capturingMemory<T>(initialise: () => Promise<T>): Promise<T> {
  const Original = WebAssembly.Memory;
  let heap: WebAssembly.Memory | null = null;
  const Noting = function (descriptor: WebAssembly.MemoryDescriptor) {
    const memory = new Original(descriptor);
    if (descriptor.shared) heap = memory;
    return memory;
  } as unknown as typeof WebAssembly.Memory;
  Noting.prototype = Original.prototype;
  WebAssembly.Memory = Noting;
  try {
    return await initialise();
  } finally {
    WebAssembly.Memory = Original;
    if (heap) provideWasmMemory(heap);
  }
}
