/// <reference lib="webworker" />
import { chooseWasmThreads } from '../core/wasm-threads';
import { planWasmThreads, workerBackendEnv } from './backends';
import type { ToWorker } from './protocol';
import { createRouter } from './router';

// The worker entry: this worker's backends and cores, then every message to the router (router.ts).
declare const self: DedicatedWorkerGlobalScope;

const route = createRouter({
  backends: workerBackendEnv,
  planWasmThreads: (requested) => planWasmThreads(chooseWasmThreads(navigator.hardwareConcurrency, requested)),
});

self.onmessage = (event: MessageEvent<ToWorker>) => {
  void route(event.data, (msg, transfer) => self.postMessage(msg, transfer ?? []));
};
