import ortWebgpuMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWebgpuWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { OrtWasmPaths } from '../core/onnx/ort-runtime';

/**
 * Where ONNX Runtime's files are served from the app's own origin (Vite emits them as assets and
 * gives their hashed URLs here: no CDN, so the CSP and offline use hold). Only URLs: nothing of ORT
 * is fetched until an ONNX teacher is loaded. The one place that names these files, for the
 * service worker's caching rules to match (vite.config.ts, src/pwa).
 */
export const ORT_WASM_PATHS: OrtWasmPaths = {
  mjs: ortMjs,
  wasm: ortWasm,
  // The WebGPU build, used only when the studio runs tfjs on WebGPU (a GPU measured faster there).
  webgpu: { mjs: ortWebgpuMjs, wasm: ortWebgpuWasm },
};
