/**
 * `npm run bench`: the workloads of issue 6 on every tfjs backend, in headless Chromium, in a
 * dedicated worker of the app's own build (src/worker/bench.worker.ts, started by the page at
 * `?bench=1`), then the default recipe end to end through the studio's UI. Needs a build first:
 * npm run bench builds into .bench/dist and passes --dist. See the README's "Benchmark" section.
 *
 *   npm run bench -- [--json FILE] [--backends webgpu,webgl,wasm,cpu] [--windows N] [--skip-recipe]
 *                    [--window-ms MS] [--recipe-backend NAME] [--dist DIR] [--port N] [--wasm-threads N]
 *   npm run bench -- --soak N [--soak-backend NAME] [--json FILE]
 *
 * Soak mode (--soak N): instead of the workloads, N epochs of a tiny distillation (Two moons, a
 * small MLP teacher, student and scratch control) in the bench worker on one backend (default
 * wasm), reporting tf.memory().numTensors and the JS heap (Chromium's performance.memory) at the
 * start and end: a long run must not grow.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { isBackendName, type BackendName } from '../src/core/backend-names';
import { WORKLOAD_NAMES, type BackendReport, type BenchRequest, type WorkloadName } from '../src/core/bench/types';
import type { BenchPageApi, SoakReport } from '../src/bench/bench-page';
import { CHROMIUM_PATH, WEBGPU_FLAGS } from '../e2e/chromium';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'webgpu,webgl,wasm,cpu' },
    windows: { type: 'string', default: '5' },
    'window-ms': { type: 'string', default: '500' },
    'skip-recipe': { type: 'boolean', default: false },
    'recipe-backend': { type: 'string' },
    'student-epochs': { type: 'string', default: '20' },
    /** Train the default teacher (Large MLP 1200-1200, 10 epochs) in the UI first, as the first issue's recipe does. */
    'train-teacher': { type: 'boolean', default: false },
    'backend-timeout': { type: 'string', default: '360' },
    json: { type: 'string' },
    dist: { type: 'string' },
    port: { type: 'string', default: '4180' },
    /** XNNPACK threads for the wasm backend (default: tfjs's choice). */
    'wasm-threads': { type: 'string' },
    soak: { type: 'string' },
    'soak-backend': { type: 'string', default: 'wasm' },
  },
});

/**
 * On a software WebGPU adapter (SwiftShader) a CNN step or a 1000-row inference takes 5-15 s:
 * fewer windows there, and one warm-up step (it compiles every shader the later steps use).
 */
const SOFTWARE_WEBGPU_WINDOWS = 3;
const base = `http://localhost:${values.port}`;
const windows = positive(values.windows, '--windows');
const windowMs = positive(values['window-ms'], '--window-ms');
const backendTimeoutMs = positive(values['backend-timeout'], '--backend-timeout') * 1000;
const backends = values.backends.split(',').map((b) => b.trim());
const recipeBackend = values['recipe-backend'];
for (const b of [...backends, ...(recipeBackend ? [recipeBackend] : [])])
  if (!isBackendName(b)) throw new Error(`Unknown backend "${b}" (webgpu, webgl, wasm or cpu).`);

function positive(s: string, name: string): number {
  const n = Number(s);
  if (!(n > 0)) throw new Error(`${name} must be a positive number, got "${s}".`);
  return n;
}

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const round = (x: number) => Math.round(x * 10) / 10;

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(base).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not start on ${base}`);
}

const launch = () => chromium.launch({ executablePath: CHROMIUM_PATH, args: [...WEBGPU_FLAGS] });

async function openBenchPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (msg) => msg.text().startsWith('[bench]') && console.log(`  ${msg.text().slice(8)}`));
  page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
  await page.goto(`${base}/?bench=1`);
  await page.waitForFunction(() => 'distillBench' in window, undefined, { timeout: 60_000 });
  return page;
}

/** Whether WebGPU here is a software adapter, asked of the page before the worker runs. */
async function webGpuIsSoftware(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    interface Adapter {
      isFallbackAdapter?: boolean;
      info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
    }
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    if (!adapter) return false;
    const name = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].join(' ');
    return Boolean(adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter || /swiftshader|llvmpipe|software/i.test(name));
  });
}

function failedReport(request: BenchRequest, error: string): BackendReport {
  const errors: Partial<Record<WorkloadName, string>> = {};
  for (const name of WORKLOAD_NAMES) errors[name] = error;
  return {
    backend: request.backend,
    initialised: false,
    detail: '',
    timing: request.timing,
    results: {},
    errors,
    measurements: {},
    error,
    seconds: 0,
  };
}

async function runBackends(): Promise<{ reports: BackendReport[]; notes: string[] }> {
  const browser = await launch();
  const notes: string[] = [];
  const reports: BackendReport[] = [];
  try {
    let page = await openBenchPage(browser);
    for (const name of backends) {
      const backend: BackendName = isBackendName(name) ? name : 'cpu';
      let n = windows;
      let warmupSteps = 2;
      if (backend === 'webgpu' && (await webGpuIsSoftware(page).catch(() => false))) {
        n = Math.min(windows, SOFTWARE_WEBGPU_WINDOWS);
        warmupSteps = 1;
        notes.push(
          `webgpu: software adapter here (SwiftShader): ${n} windows instead of ${windows}, 1 warm-up step instead of 2, to keep the bench short.`,
        );
        console.log(notes[notes.length - 1]);
      }
      const request: BenchRequest = {
        backend,
        timing: { windows: n, warmupSteps, minWarmupMs: 300, targetWindowMs: windowMs },
        ...(values['wasm-threads'] ? { wasmThreads: positive(values['wasm-threads'], '--wasm-threads') } : {}),
      };
      console.log(`${backend}: ${n} windows of ~${windowMs} ms after ${warmupSteps} warm-up step(s) (load ${load().join(' ')})`);
      const report = await page
        .evaluate(
          ({ request, timeoutMs }) => {
            const api: BenchPageApi | undefined = window.distillBench;
            if (!api) throw new Error('the bench page is not ready');
            return api.run(request, timeoutMs);
          },
          { request, timeoutMs: backendTimeoutMs },
        )
        .catch((e: unknown) => failedReport(request, `the page failed: ${e instanceof Error ? e.message : String(e)}`));
      reports.push(report);
      if (report.error?.startsWith('the page failed')) page = await openBenchPage(browser); // e.g. a crashed GPU process took the page
    }
  } finally {
    await browser.close();
  }
  return { reports, notes };
}

async function cell(page: Page, row: string, column: number): Promise<string> {
  return (
    (await page
      .getByRole('table', { name: 'Results' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: row }) })
      .getByRole('cell')
      .nth(column)
      .textContent()) ?? ''
  );
}

/** The default recipe through the UI: shipped MNIST teacher ready at start, 20 student epochs, timed from the click on Distill. */
async function runRecipe() {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const query = new URLSearchParams({
      ...(recipeBackend && { backend: recipeBackend }),
      ...(values['wasm-threads'] && { threads: values['wasm-threads'] }),
    }).toString();
    await page.goto(query ? `${base}/?${query}` : base);
    const status = page.getByRole('status', { name: 'Backend' });
    await status.getByText(/Backend: \w+/).waitFor({ timeout: 120_000 });
    await page
      .getByText(/Ready: MNIST /)
      .first()
      .waitFor({ timeout: 300_000 });
    let teacherSeconds: number | null = null;
    if (values['train-teacher']) {
      await page.getByText('Train a teacher here').click();
      const teacherStart = Date.now();
      await page.getByRole('button', { name: 'Train teacher' }).click();
      await page
        .getByText(/Ready: MLP in-1200-1200-out/)
        .first()
        .waitFor({ timeout: 3 * 3600_000 });
      teacherSeconds = (Date.now() - teacherStart) / 1000;
      console.log(`recipe: default teacher trained in ${teacherSeconds.toFixed(1)} s`);
    }
    const teacher =
      (await page
        .getByText(/Ready: /)
        .first()
        .textContent()) ?? '';
    await page.getByLabel('Student epochs', { exact: true }).fill(values['student-epochs']);
    const backendStatus = (await status.textContent()) ?? '';
    console.log(
      `recipe: ${teacher.trim()}; ${values['student-epochs']} student epochs; ${backendStatus.slice(0, 120)} (load ${load().join(' ')})`,
    );
    const loadBefore = load();
    const start = Date.now();
    await page.getByRole('button', { name: 'Distill', exact: true }).click();
    const timer = setInterval(() => console.log(`  [recipe ${Math.round((Date.now() - start) / 1000)} s]`), 30_000);
    try {
      await page
        .getByText('Distillation finished.')
        .first()
        .waitFor({ timeout: 20 * 60_000 });
    } finally {
      clearInterval(timer);
    }
    const seconds = (Date.now() - start) / 1000;
    const accuracy = {
      teacher: await cell(page, 'Teacher', 0),
      distilled: await cell(page, 'Distilled student', 0),
      scratch: await cell(page, 'Scratch student', 0),
    };
    console.log(`recipe: ${seconds.toFixed(1)} s; accuracy ${JSON.stringify(accuracy)}`);
    return {
      seconds,
      teacherSeconds,
      backendStatus,
      teacher: teacher.trim(),
      studentEpochs: Number(values['student-epochs']),
      accuracy,
      loadBefore,
      loadAfter: load(),
    };
  } finally {
    await browser.close();
  }
}

function summary(reports: BackendReport[]) {
  const out: Record<string, Record<WorkloadName, number | null>> = {};
  const errors: Record<string, Partial<Record<WorkloadName, string>> | string> = {};
  const details: Record<string, unknown> = {};
  for (const r of reports) {
    const row = {} as Record<WorkloadName, number | null>;
    for (const name of WORKLOAD_NAMES) row[name] = r.results[name] == null ? null : round(r.results[name]);
    out[r.backend] = row;
    if (!r.initialised) errors[r.backend] = `backend failed: ${r.error ?? r.detail}`;
    else if (Object.keys(r.errors).length) errors[r.backend] = r.errors;
    details[r.backend] = {
      initialised: r.initialised,
      detail: r.detail,
      windows: r.timing.windows,
      seconds: round(r.seconds),
      ms_per_step: Object.fromEntries(Object.entries(r.measurements).map(([k, m]) => [k, round(m.msPerStep)])),
      steps_per_window: Object.fromEntries(Object.entries(r.measurements).map(([k, m]) => [k, m.stepsPerWindow])),
      window_rates: Object.fromEntries(Object.entries(r.measurements).map(([k, m]) => [k, m.windowRates.map(round)])),
    };
  }
  return { backends: out, errors, details };
}

/** Soak mode: one backend, N epochs, the tensor count and heap at the start and end. */
async function runSoakMode(epochs: number): Promise<void> {
  const backend = values['soak-backend'];
  if (!isBackendName(backend)) throw new Error(`Unknown --soak-backend "${backend}" (webgpu, webgl, wasm or cpu).`);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000)
    throw new Error(`--soak must be a whole number of epochs from 1 to 1000, got ${epochs}.`);
  // Chromium otherwise answers measureUserAgentSpecificMemory only at its next scheduled GC (up to 20 s).
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...WEBGPU_FLAGS, '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  let report: SoakReport;
  const start = Date.now();
  try {
    const page = await openBenchPage(browser);
    console.log(`soak: ${epochs} epochs of a tiny distillation on ${backend} (load ${load().join(' ')})`);
    report = await page.evaluate(
      ({ backend, epochs, timeoutMs }) => {
        const api: BenchPageApi | undefined = window.distillBench;
        if (!api) throw new Error('the bench page is not ready');
        return api.soak({ kind: 'soak', backend, epochs }, timeoutMs);
      },
      { backend, epochs, timeoutMs: backendTimeoutMs },
    );
  } finally {
    await browser.close();
  }
  const r = report.result;
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  if (r) {
    console.log(
      `soak: ${r.epochs} epochs in ${r.seconds.toFixed(1)} s; tensors ${r.numTensors.start} at the start, ${r.numTensors.min}-${r.numTensors.max} at every epoch's end, ${r.numTensors.end} at the end; tensor bytes ${r.numBytes.start} -> ${r.numBytes.end}`,
    );
    const agent = report.agentMemoryBytes;
    const fmt = (b: number | null | undefined) => (b == null ? '?' : mb(b));
    console.log(
      `soak: JS memory of the page and its workers ${agent ? `${fmt(agent.start)} -> ${fmt(agent.end)}` : `not reported (${report.agentMemoryMissing ?? 'unknown'})`}; worker heap ${r.heapBytes ? `${mb(r.heapBytes.start)} -> ${mb(r.heapBytes.end)}` : 'not exposed in workers'}; page heap ${report.pageHeapBytes ? `${mb(report.pageHeapBytes.start)} -> ${mb(report.pageHeapBytes.end)}` : 'not reported'}`,
    );
  }
  if (report.error) console.log(`soak: FAILED: ${report.error}`);
  const grew = r ? r.numTensors.end !== r.numTensors.start || r.numTensors.max !== r.numTensors.min : true;
  const result = {
    soak: report,
    tensors_constant: r ? !grew : null,
    machine: {
      cores: cpus().length,
      load_at_end: load(),
      total_seconds: round((Date.now() - start) / 1000),
      date: new Date().toISOString(),
    },
  };
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  if (report.error || grew) process.exitCode = 1;
}

const started = Date.now();
const loadAtStart = load();
console.log(
  `bench: ${cpus().length} cores, load ${loadAtStart.join(' ')}; backends ${backends.join(',')}; ${windows} windows${values['skip-recipe'] ? '; no recipe' : ''}`,
);
// Vite's own entry run by this Node directly: one child process, so that kill() stops the server.
const previewArgs = [
  'node_modules/vite/bin/vite.js',
  'preview',
  '--port',
  values.port,
  '--strictPort',
  ...(values.dist ? ['--outDir', values.dist] : []),
];
const server = spawn(process.execPath, previewArgs, { stdio: 'ignore' });
try {
  await waitForServer();
  if (values.soak !== undefined) await runSoakMode(Number(values.soak));
  else {
    const { reports, notes } = await runBackends();
    const recipe = values['skip-recipe'] ? null : await runRecipe();
    const result = {
      ...summary(reports),
      default_recipe_seconds: recipe ? round(recipe.seconds) : null,
      recipe,
      machine: {
        cores: cpus().length,
        load_at_start: loadAtStart,
        load_at_end: load(),
        batch: 128,
        matmul: 'tf.matMul of two 1024x1024 float32 matrices, no transposes: GFLOP/s = 2*1024^3 per call',
        units: 'samples per second (median window), except matmul_gflops',
        notes,
        total_seconds: round((Date.now() - started) / 1000),
        date: new Date().toISOString(),
      },
    };
    console.log(JSON.stringify({ backends: result.backends, default_recipe_seconds: result.default_recipe_seconds }, null, 2));
    if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`bench: done in ${result.machine.total_seconds} s, load ${load().join(' ')}`);
  }
} finally {
  server.kill();
}
