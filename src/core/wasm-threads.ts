/** The most XNNPACK threads tfjs-backend-wasm 4.22 pre-creates workers for. */
export const MAX_WASM_THREADS = 8;

/** `?threads=N` from the page URL: a whole number from 1 to MAX_WASM_THREADS, or why not. */
export function parseWasmThreads(value: string | null): { threads?: number; error?: string } {
  if (value === null) return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS)
    return { error: `Ignored ?threads=${value}: use a whole number from 1 to ${MAX_WASM_THREADS}.` };
  return { threads: n };
}

/** More threads than this bought little in tfjs's own measurements, and each is a worker with its own wasm instance. */
export const DEFAULT_MAX_WASM_THREADS = 4;

/**
 * How many threads the wasm backend's matrix products use: all reported cores but one, which is
 * left to the page, up to DEFAULT_MAX_WASM_THREADS; `asked` (the URL's ?threads=) overrides.
 * Measured on 2 cores (npm run bench -- --wasm-threads 2): a second thread trains the big teacher
 * 40% faster and the full distillation step 2.7 times as fast, but it takes the page's core, and
 * the page's chart updates then ran past 50 ms; so 2 cores get 1 thread. tfjs's own rule is half
 * the reported cores, which is 1 on 2 cores too.
 */
export function chooseWasmThreads(reportedCores: number, asked?: number): number {
  if (asked) return Math.min(asked, MAX_WASM_THREADS);
  const cores = Number.isFinite(reportedCores) && reportedCores > 0 ? Math.floor(reportedCores) : 1;
  return Math.max(1, Math.min(DEFAULT_MAX_WASM_THREADS, cores - 1));
}
