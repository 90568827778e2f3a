import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { precacheServiceWorker } from './src/pwa/vite-plugin.js';

/** Cross-origin isolation lets the wasm backend use threads; every asset comes from our own origin. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Nothing but our own files runs, and nothing is sent anywhere but our own origin: no inline
 * script, no eval ('wasm-unsafe-eval' only lets WebAssembly compile), connect-src 'self'. Blob
 * workers (and the scripts they import) are tfjs-backend-wasm's threads, made by tfjs from its own code, never from uploads; blob/data images are the page's own canvases and downloads.
 */
const CSP_DIRECTIVES = [
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
const CSP_HEADER = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** The built page carries its policy in a <meta> too, so any static host serves it with the policy. The dev server has none: its hot reload injects inline scripts. */
const cspMeta: Plugin = {
  name: 'csp-meta',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_DIRECTIVES.join('; ') }, injectTo: 'head-prepend' }],
};

/** Test-only code (fault injection, the benchmark page) is compiled in for vitest and `--mode e2e` builds only: see src/core/test-hooks.ts. */
const withTestHooks = (mode: string) => mode === 'e2e' || mode === 'test';

export default defineConfig(({ mode }) => ({
  define: { __TEST_HOOKS__: JSON.stringify(withTestHooks(mode)) },
  plugins: [
    react(),
    cspMeta,
    // Offline use (src/pwa): /sw.js precaches the whole build; the benchmark page is left out.
    precacheServiceWorker({ documentHeaders: { ...isolation, 'Content-Security-Policy': CSP_HEADER }, exclude: [/^assets\/bench[.-]/] }),
  ],
  worker: {
    format: 'es',
    // tfjs-backend-wasm hands its threaded module's source to pthread workers as text (Function
    // toString). Minifying breaks that text (renamed names, inlined scopes: "_scriptDir is not
    // defined"), so the worker bundle is not minified; it loads after the page, off the main thread.
    // 'dce-only' still removes dead code, so `if (TEST_HOOKS)` branches (false here in the product
    // build) and what only they use are dropped; with `false` they stayed in as `if (false) {...}`.
    // The threaded module's text comes out the same either way (diffed when this was set).
    rolldownOptions: { output: { minify: 'dce-only' } },
  },
  server: { port: 5173, headers: isolation },
  preview: { port: 4173, strictPort: true, headers: { ...isolation, 'Content-Security-Policy': CSP_HEADER } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
}));
