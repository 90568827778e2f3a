import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { withReportedCores, withWasmHeapCapture } from '../core/tfjs-internals';

/**
 * Starts the wasm backend on `threads` threads. tfjs caps its thread pool at half the reported
 * cores, so the worker's navigator reports enough cores while the backend starts; and a threaded
 * build's heap is noted as it is made, for the fused Adam kernel (both in core/tfjs-internals).
 * Must wrap the wasm backend's first initialisation.
 */
export async function withWasmThreads<T>(threads: number, initialise: () => Promise<T>): Promise<T> {
  setThreadsCount(threads);
  return withReportedCores(self, threads * 2, () => withWasmHeapCapture(self, initialise));
}
