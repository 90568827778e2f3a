import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** Cross-origin isolation lets the wasm backend use threads; every asset comes from our own origin. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  worker: {
    format: 'es',
    // tfjs-backend-wasm hands its threaded module's source to pthread workers as text (Function
    // toString). Minifying breaks that text (renamed names, inlined scopes: "_scriptDir is not
    // defined"), so the worker bundle is left unminified; it loads after the page, off the main thread.
    rolldownOptions: { output: { minify: false } },
  },
  server: { port: 5173, headers: isolation },
  preview: { port: 4173, strictPort: true, headers: isolation },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
