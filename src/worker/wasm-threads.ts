import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

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
  if (nav.hardwareConcurrency >= needed) return initialise();
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => needed });
  try {
    return await initialise();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}
