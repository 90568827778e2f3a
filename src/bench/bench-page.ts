import {
  isWorkloadName,
  WORKLOAD_NAMES,
  type BackendReport,
  type BenchMessage,
  type BenchRequest,
  type SoakRequest,
  type SoakResult,
} from '../core/bench/types';

/**
 * The page side of `npm run bench` (scripts/bench.ts opens the built app at `?bench=1`): instead
 * of the studio, it offers `window.distillBench.run(request)`, which runs one backend's workloads
 * in a fresh dedicated worker of the app's own build and resolves with its report. Progress goes
 * to the console (relayed by Playwright) and onto the page for anyone watching.
 */

export interface BenchPageApi {
  /** Never rejects: a backend that fails, crashes or runs out of time is a report that says so. */
  run(request: BenchRequest, timeoutMs: number): Promise<BackendReport>;
  /** Soak mode: N epochs of a tiny distillation in a fresh worker; never rejects either. */
  soak(request: SoakRequest, timeoutMs: number): Promise<SoakReport>;
}

export interface SoakReport {
  backend: SoakRequest['backend'];
  result: SoakResult | null;
  /** The page's own heap (performance.memory), for comparison: the training runs in the worker. */
  pageHeapBytes: { start: number; end: number } | null;
  /**
   * JS memory of the page and its workers, wasm memory included (performance.measureUserAgentSpecificMemory,
   * cross-origin isolated pages only), before the first epoch and after the last. Null where unavailable, and why.
   */
  agentMemoryBytes: { start: number; end: number } | null;
  agentMemoryMissing?: string;
  error?: string;
}

declare global {
  interface Window {
    distillBench?: BenchPageApi;
  }
}

const log = document.createElement('pre');
log.setAttribute('aria-label', 'Benchmark log');
document.getElementById('root')?.replaceChildren(log);

function say(text: string): void {
  console.log(`[bench] ${text}`);
  log.textContent += `${text}\n`;
}

function run(request: BenchRequest, timeoutMs: number): Promise<BackendReport> {
  const start = performance.now();
  const report: BackendReport = {
    backend: request.backend,
    initialised: false,
    detail: '',
    timing: request.timing,
    results: {},
    errors: {},
    measurements: {},
    seconds: 0,
  };
  const worker = new Worker(new URL('../worker/bench.worker.ts', import.meta.url), { type: 'module', name: `bench-${request.backend}` });
  return new Promise<BackendReport>((resolve) => {
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.terminate();
      if (error) {
        report.error = error;
        say(`${request.backend}: ${error}`);
        // Workloads that never ran are null, with the reason, rather than missing.
        for (const name of request.only ?? WORKLOAD_NAMES) if (!(name in report.results)) report.errors[name] = error;
      }
      report.seconds = (performance.now() - start) / 1000;
      resolve(report);
    };
    const timer = setTimeout(() => finish(`timed out after ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    worker.onerror = (e) => finish(`the bench worker crashed: ${e.message || 'no message'}`);
    worker.onmessage = (event: MessageEvent<BenchMessage>) => {
      const msg = event.data;
      switch (msg.type) {
        case 'backend':
          report.initialised = msg.ok;
          report.detail = msg.detail;
          say(`${msg.backend}: ${msg.ok ? 'initialised' : 'FAILED to initialise'} (${msg.detail})`);
          break;
        case 'progress':
          say(msg.text);
          break;
        case 'workload': {
          const o = msg.outcome;
          if (!isWorkloadName(o.name)) break;
          report.results[o.name] = o.ok ? o.measurement.rate : null;
          if (o.ok) report.measurements[o.name] = o.measurement;
          else report.errors[o.name] = o.error;
          say(
            `${request.backend} ${o.name}: ${o.ok ? `${o.measurement.rate.toFixed(1)} (${o.measurement.msPerStep.toFixed(1)} ms/step, ${o.measurement.stepsPerWindow} steps x ${o.measurement.windowRates.length} windows)` : `FAILED: ${o.error}`}`,
          );
          break;
        }
        case 'failed':
          finish(msg.error);
          break;
        case 'done':
          finish();
          break;
      }
    };
    worker.postMessage(request);
  });
}

const pageHeap = (): number | null => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;

type MemoryMeasure = () => Promise<{ bytes: number }>;
/** The page's and its workers' JS memory, or why it is not known (the API needs a cross-origin isolated page). */
async function agentMemory(): Promise<number | string> {
  const measure = (performance as unknown as { measureUserAgentSpecificMemory?: MemoryMeasure }).measureUserAgentSpecificMemory;
  if (!measure) return 'measureUserAgentSpecificMemory is not available';
  if (!self.crossOriginIsolated) return 'the page is not cross-origin isolated';
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 30 s'), 30_000));
  return Promise.race([
    measure.call(performance).then(
      (m) => m.bytes,
      (e: unknown) => String(e),
    ),
    timeout,
  ]);
}

function soak(request: SoakRequest, timeoutMs: number): Promise<SoakReport> {
  const heapStart = pageHeap();
  const worker = new Worker(new URL('../worker/bench.worker.ts', import.meta.url), { type: 'module', name: `soak-${request.backend}` });
  return new Promise<SoakReport>((resolve) => {
    let result: SoakResult | null = null;
    let memoryStart: number | string = 'not measured';
    const finish = async (error?: string) => {
      clearTimeout(timer);
      // Measured while the worker still lives (its models freed by now), then it goes.
      const memoryEnd = error ? 'not measured' : await agentMemory();
      worker.terminate();
      if (error) say(`${request.backend} soak: ${error}`);
      const heapEnd = pageHeap();
      resolve({
        backend: request.backend,
        result,
        pageHeapBytes: heapStart !== null && heapEnd !== null ? { start: heapStart, end: heapEnd } : null,
        agentMemoryBytes: typeof memoryStart === 'number' && typeof memoryEnd === 'number' ? { start: memoryStart, end: memoryEnd } : null,
        ...((typeof memoryStart === 'string' || typeof memoryEnd === 'string') && {
          agentMemoryMissing: [memoryStart, memoryEnd].filter((m) => typeof m === 'string').join('; '),
        }),
        ...(error && { error }),
      });
    };
    const timer = setTimeout(() => void finish(`timed out after ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    worker.onerror = (e) => void finish(`the bench worker crashed: ${e.message || 'no message'}`);
    worker.onmessage = async (event: MessageEvent<BenchMessage>) => {
      const msg = event.data;
      if (msg.type === 'progress') say(msg.text);
      else if (msg.type === 'backend' && !msg.ok) void finish(`${msg.backend} failed to initialise`);
      else if (msg.type === 'backend') {
        // The worker waits, engine loaded and backend up, while the start is measured.
        memoryStart = await agentMemory();
        worker.postMessage({ kind: 'go' });
      } else if (msg.type === 'soak') result = msg.result;
      else if (msg.type === 'failed') void finish(msg.error);
      else if (msg.type === 'done') void finish();
    };
    worker.postMessage(request);
  });
}

window.distillBench = { run, soak };
say('benchmark page ready');
