import { hackEnabled } from './versions';

/** A global object with a navigator: `globalThis` in a worker, a fake in tests. */
export interface NavigatorGlobal {
  navigator: { readonly hardwareConcurrency: number };
}

/**
 * tfjs-backend-wasm 4.22 caps XNNPACK's thread pool at half of navigator.hardwareConcurrency, which
 * its emscripten start-up reads (`_emscripten_num_logical_cores`) while the backend initialises: on
 * 2 cores no setting gives more than 1 thread. So while `initialise` runs, the navigator reports at
 * least `cores` (an own property shadowing the prototype's getter), removed again before this
 * returns. The navigator must let its property be redefined. Off on another tfjs: `initialise` runs untouched and tfjs's cap applies.
 */
export async function withReportedCores<T>(global: NavigatorGlobal, cores: number, initialise: () => Promise<T>): Promise<T> {
  const nav = global.navigator;
  if (!hackEnabled('wasm-thread-count') || nav.hardwareConcurrency >= cores) return initialise();
  // A browser's navigator has no own hardwareConcurrency (the getter is on Navigator.prototype); anything else is put back as it was.
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => cores });
  try {
    return await initialise();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else Reflect.deleteProperty(nav, 'hardwareConcurrency');
  }
}
