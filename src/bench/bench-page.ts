import { isWorkloadName, WORKLOAD_NAMES, type BackendReport, type BenchMessage, type BenchRequest } from '../core/bench/types';

/**
 * The page side of `npm run bench` (scripts/bench.ts opens the built app at `?bench=1`): instead
 * of the studio, it offers `window.distillBench.run(request)`, which runs one backend's workloads
 * in a fresh dedicated worker of the app's own build and resolves with its report. Progress goes
 * to the console (relayed by Playwright) and onto the page for anyone watching.
 */

export interface BenchPageApi {
  /** Never rejects: a backend that fails, crashes or runs out of time is a report that says so. */
  run(request: BenchRequest, timeoutMs: number): Promise<BackendReport>;
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
  const report: BackendReport = { backend: request.backend, initialised: false, detail: '', timing: request.timing, results: {}, errors: {}, measurements: {}, seconds: 0 };
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
          say(`${request.backend} ${o.name}: ${o.ok ? `${o.measurement.rate.toFixed(1)} (${o.measurement.msPerStep.toFixed(1)} ms/step, ${o.measurement.stepsPerWindow} steps x ${o.measurement.windowRates.length} windows)` : `FAILED: ${o.error}`}`);
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

window.distillBench = { run };
say('benchmark page ready');
