import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { CSP_DIRECTIVES, DOCUMENT_HEADERS, ISOLATION_HEADERS } from './src/pwa/headers.js';
import { ORT_PRECACHE_IGNORE } from './src/pwa/ort-cache.js';

/** The built page carries its policy in a <meta> too, so any static host serves it with the policy. The dev server has none: its hot reload injects inline scripts. */
const cspMeta: Plugin = {
  name: 'csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_DIRECTIVES.join('; ') }, injectTo: 'head-prepend' },
  ],
};

/**
 * Offline use: /sw.js (src/pwa/sw.ts, workbox) precaches the whole build but the benchmark page and
 * ONNX Runtime's loaders and wasm binaries (41 MB with its WebGPU build), which it caches on first use.
 * The page registers it itself (src/pwa/register.ts): no registration script is injected (the CSP
 * allows no inline script) and the web manifest is public/manifest.webmanifest.
 */
const serviceWorker = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src/pwa',
  filename: 'sw.ts',
  injectRegister: false,
  manifest: false,
  injectManifest: {
    globPatterns: ['**/*'],
    globIgnores: ['**/*.map', 'assets/bench-*', 'assets/bench.*', ORT_PRECACHE_IGNORE],
    // The MNIST file (7.9 MB) and the worker bundle (4.5 MB) are the app: none is too big to keep.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
    // Workbox drops each entry's size once it has listed the files; the page's progress is by bytes.
    manifestTransforms: [(entries) => ({ manifest: entries.map((e) => ({ ...e, bytes: e.size })) })],
    // A classic script, as register.ts registers it.
    rollupFormat: 'iife',
  },
});

/** Test-only code (fault injection, the benchmark page) is compiled in for vitest and `--mode e2e` builds only: see src/core/test-hooks.ts. */
const withTestHooks = (mode: string) => mode === 'e2e' || mode === 'test';

export default defineConfig(({ mode }) => ({
  define: { __TEST_HOOKS__: JSON.stringify(withTestHooks(mode)) },
  plugins: [react(), cspMeta, serviceWorker],
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
  server: { port: 5173, headers: { ...ISOLATION_HEADERS } },
  preview: { port: 4173, strictPort: true, headers: { ...DOCUMENT_HEADERS } },
  // Only small assets are inlined (Vite's 4 KB): ONNX Runtime's and tfjs's .wasm files and ORT's .mjs loaders
  // stay files of their own, fetched from this origin when used (src/worker/ort-assets.ts, backends.ts).
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, assetsInlineLimit: (file) => (/\.(wasm|mjs)$/.test(file) ? false : undefined) },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
}));
