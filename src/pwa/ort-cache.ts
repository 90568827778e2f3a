/**
 * ONNX Runtime's files are cached on first use, not precached: its wasm binaries (14 MB, and 27 MB
 * for the WebGPU build) would triple the download every visitor's install makes, for a feature few
 * use. The first ONNX teacher loaded online puts them in a cache of their own (sw.ts, CacheFirst);
 * from then on ONNX teachers load offline too. Plain URL code, without workbox or service worker
 * types, so that unit tests call it directly (src/pwa/sw.test.ts).
 */

/** Where the service worker keeps them. Not 'distill-studio-…': sw.ts deletes caches of that old name on activation. */
export const ORT_CACHE = 'onnx-runtime-files';

/** Vite's names for ORT's loaders and binaries (src/worker/ort-assets.ts), e.g. assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm. */
const ORT_FILE = /^assets\/ort-wasm-simd-threaded[\w.-]*\.(?:wasm|mjs)$/;

/** The glob vite.config.ts gives workbox-build to leave these files out of the precache list. */
export const ORT_PRECACHE_IGNORE = 'assets/ort-wasm-simd-threaded*';

/** True for one of ORT's files served by this app: `scope` is the service worker's scope, ending in '/'. */
export function isOrtFile(url: URL, scope: string): boolean {
  const href = url.origin + url.pathname;
  return href.startsWith(scope) && ORT_FILE.test(href.slice(scope.length));
}

/** The file's name without Vite's content hash: the same for every build's copy of one file. */
export function ortStem(url: URL): string {
  const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  return name.replace(/-[\w-]{8}(\.(?:wasm|mjs))$/, '$1');
}

/** Cached copies that `fresh` replaces: the same file from an earlier build (another hash). */
export function staleCopies(cachedUrls: readonly string[], fresh: string): string[] {
  const stem = ortStem(new URL(fresh));
  return cachedUrls.filter((url) => url !== fresh && ortStem(new URL(url)) === stem);
}
