/// <reference lib="webworker" />
import { setOrtWasmPaths } from '../core/onnx/ort-runtime';
import { chooseWasmThreads } from '../core/wasm-threads';
import { planWasmThreads, workerBackendEnv } from './backends';
import type { ToWorker } from './protocol';
import { ORT_WASM_PATHS } from './ort-assets';
import { createRouter } from './router';

// The worker entry: this worker's backends and cores, then every message to the router (router.ts).
declare const self: DedicatedWorkerGlobalScope;

// Only the URLs: ONNX Runtime itself is imported when the first ONNX teacher loads (Node tests let it find its own files).
setOrtWasmPaths(ORT_WASM_PATHS);

const route = createRouter({
  backends: workerBackendEnv,
  planWasmThreads: (requested) => planWasmThreads(chooseWasmThreads(navigator.hardwareConcurrency, requested)),
});

self.onmessage = (event: MessageEvent<ToWorker>) => {
  void route(event.data, (msg, transfer) => self.postMessage(msg, transfer ?? []));
};
