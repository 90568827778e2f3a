/**
 * The headers every document of the studio carries: the preview server sends them (vite.config.ts),
 * the built page repeats the CSP in a <meta>, and the service worker re-adds them to a page it
 * replays from its cache (src/pwa/sw.ts). One list, so the three never drift apart.
 */

/** Cross-origin isolation lets the wasm backend use threads; every asset comes from our own origin. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Nothing but our own files runs, and nothing is sent anywhere but our own origin: no inline
 * script, no eval ('wasm-unsafe-eval' only lets WebAssembly compile: tfjs's and ONNX Runtime's
 * .wasm, both served from 'self'), connect-src 'self'. Blob workers (and the scripts they import)
 * are tfjs-backend-wasm's threads, made by tfjs from its own code, never from uploads; ONNX
 * Runtime's threads (only when the page is cross-origin isolated) start from its own .mjs, 'self'.
 * Blob/data images are the page's own canvases and downloads.
 */
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** frame-ancestors only works as a header, not in a <meta>. */
export const CSP_HEADER = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** What a document needs, served or replayed. */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = { ...ISOLATION_HEADERS, 'Content-Security-Policy': CSP_HEADER };
