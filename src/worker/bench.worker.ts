/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { errorText } from '../core/backend';
import { runWorkloads } from '../core/bench/runner';
import { runSoak } from '../core/bench/soak';
import type { BenchMessage, BenchRequest, SoakRequest } from '../core/bench/types';
import { chooseWasmThreads } from '../core/wasm-threads';
import { planWasmThreads, workerBackendEnv } from './backends';

/**
 * The benchmark worker (scripts/bench.ts, through src/bench/bench-page.ts): one request, one
 * backend, forced with no fallback, then the workloads of src/core/bench one by one. The page
 * starts a fresh worker per backend, so no backend's state or failure leaks into the next.
 */

declare const self: DedicatedWorkerGlobalScope;
const post = (msg: BenchMessage) => self.postMessage(msg);

async function wasmDetail(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `SIMD ${simd ? 'on' : 'off'}, threaded build ${threads ? 'yes' : 'no'} (crossOriginIsolated ${self.crossOriginIsolated}), ${getThreadsCount()} thread(s), navigator.hardwareConcurrency ${navigator.hardwareConcurrency}`;
}

async function run({ backend, timing, only, wasmThreads }: BenchRequest): Promise<void> {
  const probe = await workerBackendEnv.probe(backend).catch((e: unknown) => ({ available: false, software: false, detail: errorText(e) }));
  let ok = false;
  let why = '';
  try {
    // Tried even when the probe says no: the report should say what tfjs itself did.
    planWasmThreads(chooseWasmThreads(navigator.hardwareConcurrency, wasmThreads));
    ok = await workerBackendEnv.activate(backend);
    if (!ok) why = 'tf.setBackend resolved false (the backend failed to initialise)';
  } catch (e) {
    why = errorText(e);
  }
  if (!ok) {
    post({ type: 'backend', backend, ok: false, detail: [why, probe.detail].filter(Boolean).join('; ') });
    post({ type: 'done' });
    return;
  }
  const extra = backend === 'wasm' ? await wasmDetail().catch((e: unknown) => errorText(e)) : '';
  post({ type: 'backend', backend, ok: true, detail: [probe.detail, extra].filter(Boolean).join('; ') });
  await runWorkloads({
    timing,
    only,
    now: () => performance.now(),
    report: (outcome) => post({ type: 'workload', outcome }),
    progress: (text) => post({ type: 'progress', text: `${backend} ${text}` }),
  });
  post({ type: 'done' });
}

/** Chromium's non-standard heap size, where this context has it. */
function heapBytes(): number | null {
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? memory.usedJSHeapSize : null;
}

async function soak({ backend, epochs }: SoakRequest): Promise<void> {
  const ok = await workerBackendEnv.activate(backend).catch(() => false);
  post({ type: 'backend', backend, ok, detail: ok ? '' : 'the backend failed to initialise' });
  if (!ok) return post({ type: 'done' });
  await new Promise<void>((resolve) => (goSignal = resolve)); // the page measures memory first
  const step = Math.max(1, Math.round(epochs / 10));
  const report = await runSoak({
    epochs,
    heap: heapBytes,
    now: () => performance.now(),
    onEpoch: (epoch, n) => {
      if (epoch % step === 0) post({ type: 'progress', text: `${backend} soak: epoch ${epoch}/${epochs}, ${n} tensors` });
    },
  });
  const { perEpoch: _perEpoch, ...numTensors } = report.numTensors;
  post({ type: 'soak', result: { ...report, numTensors } });
  post({ type: 'done' });
}

let goSignal: (() => void) | null = null;

self.onmessage = (event: MessageEvent<BenchRequest | SoakRequest | { kind: 'go' }>) => {
  const request = event.data;
  if ('kind' in request && request.kind === 'go') return goSignal?.();
  const work = 'kind' in request ? soak(request) : run(request);
  work.catch((e: unknown) => post({ type: 'failed', error: errorText(e) }));
};
