/** Backend names alone, without tfjs, so the page can read `?backend=` without loading the engine. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(s: string | null | undefined): s is BackendName {
  return BACKEND_NAMES.some((b) => b === s);
}
