/// <reference lib="webworker" />
import { errorText, selectBackend, type BackendEnv } from '../core/backend';
import type { FaultInjection } from '../core/faults';
import { previewCsv } from '../core/data/csv';
import { checkFileSize } from '../core/data/errors';
import { summarizeDataset } from '../core/data/types';
import { chooseWasmThreads } from '../core/wasm-threads';
import { planWasmThreads, workerBackendEnv } from './backends';
import { withTeacherBoundary } from './boundaries';
import { loadDataSource } from './data-sources';
import { exportTarget } from './export';
import { testExample } from './examples';
import { assertNever, type DataSource, type FromWorker, type ToWorker } from './protocol';
import { RunControl } from './run-driver';
import { runDistill, runTeacher, type RunFaults } from './runs';
import { runSweep } from './sweeps';
import { session, useDataset } from './session';
import { loadShippedTeacher, loadUploadedStudent, loadUploadedTeacher } from './teachers';

declare const self: DedicatedWorkerGlobalScope;

const post = (msg: FromWorker) => self.postMessage(msg);
let mnistUrl = '';

// TEST-ONLY fault injection (?inject= in the page URL, passed in 'init'); see core/faults.ts.
let injection: FaultInjection | null = null;
/** How runs meet a failing backend: fall back through the worker's backends; an injected failure goes to the next run only. */
function runFaults(): RunFaults {
  const failAtEpoch = injection?.kind === 'backend-failure' ? injection.epoch : undefined;
  if (injection?.kind === 'backend-failure') injection = null;
  return { env: workerBackendEnv, failAtEpoch };
}
/** ?inject=pretend-hardware-gpu: the backend choice sees this machine's software GPUs as hardware, and measures them. */
function softwareAsHardware(env: BackendEnv): BackendEnv {
  return {
    ...env,
    probe: async (name) => {
      const p = await env.probe(name);
      return p.software ? { ...p, software: false, detail: `${p.detail} (treated as hardware: ?inject=pretend-hardware-gpu)` } : p;
    },
  };
}
/** ?inject=worker-crash: the next 'distill' makes the worker throw an uncaught error, as a crash would. */
function maybeCrash(): void {
  if (injection?.kind !== 'worker-crash') return;
  injection = null;
  setTimeout(() => {
    throw new Error('Injected worker crash (?inject=worker-crash, for tests).');
  });
}

async function init(msg: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  try {
    mnistUrl = msg.dataUrl;
    injection = msg.inject ?? null;
    planWasmThreads(chooseWasmThreads(navigator.hardwareConcurrency, msg.wasmThreads));
    const env = injection?.kind === 'pretend-hardware-gpu' ? softwareAsHardware(workerBackendEnv) : workerBackendEnv;
    session.backend = await selectBackend(env, msg.backend, { remembered: msg.calibration, clock: () => performance.now() });
    const dataset = await loadDataSource({ kind: 'mnist' }, mnistUrl, () => {});
    useDataset(dataset);
    post({ type: 'ready', backend: session.backend, dataset: summarizeDataset(dataset, 'mnist') });
  } catch (e) {
    post({ type: 'initFailed', message: errorText(e) });
  }
}

function familyOf(source: DataSource): string {
  switch (source.kind) {
    case 'mnist':
    case 'iris':
      return source.kind;
    case 'toy':
      return `toy-${source.toy}`;
    case 'csv':
    case 'images':
      return 'upload';
  }
}

/** A bad file leaves everything as it was: the new data set only replaces the old one once it parsed. */
async function loadData(requestId: number, source: DataSource): Promise<void> {
  if (session.run || session.loading || !session.data) {
    const why = session.run ? 'Stop the current run before changing the data set.' : session.data ? 'Wait for the current loading or saving to finish.' : 'The studio is still starting.';
    post({ type: 'dataFailed', requestId, message: why });
    return;
  }
  session.loading = true;
  try {
    const dataset = await loadDataSource(source, mnistUrl, (done, total) => post({ type: 'dataProgress', requestId, done, total }));
    const dropped = useDataset(dataset);
    post({ type: 'dataLoaded', requestId, dataset: summarizeDataset(dataset, familyOf(source)), dropped });
  } catch (e) {
    post({ type: 'dataFailed', requestId, message: errorText(e) });
  } finally {
    session.loading = false;
  }
}

async function preview(requestId: number, file: File): Promise<void> {
  try {
    checkFileSize(file.size, file.name);
    post({ type: 'csvPreview', requestId, fileName: file.name, preview: previewCsv(await file.text(), 8, { fileName: file.name }) });
  } catch (e) {
    post({ type: 'csvPreviewFailed', requestId, message: errorText(e) });
  }
}

/** Teacher loading and export touch the models a run uses, so they wait for runs (and runs for them). */
async function exclusive(fail: (message: string) => FromWorker, work: () => Promise<FromWorker>): Promise<void> {
  if (session.run || session.loading) {
    post(fail(session.run ? 'Stop the current run first.' : 'Wait for the current loading or saving to finish.'));
    return;
  }
  session.loading = true;
  try {
    const msg = await work();
    if (msg.type === 'exported') self.postMessage(msg, msg.exported.files.map((f) => f.bytes));
    else post(msg);
  } catch (e) {
    post(fail(errorText(e)));
  } finally {
    session.loading = false;
  }
}

async function startRun(runId: number, work: (control: RunControl) => Promise<void>): Promise<void> {
  if (session.run || session.loading) {
    post({ type: 'error', runId, message: session.run ? 'Another run is still going: stop it first.' : 'Wait for the current loading or saving to finish.' });
    return;
  }
  const control = new RunControl(runId);
  session.run = control;
  try {
    await work(control);
  } catch (e) {
    post({ type: 'error', runId, message: errorText(e), detail: e instanceof Error ? e.stack : undefined });
  } finally {
    session.run = null;
  }
}

function control(runId: number): RunControl | null {
  return session.run && session.run.runId === runId ? session.run : null;
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      void init(msg);
      break;
    case 'ping':
      post({ type: 'pong', id: msg.id });
      break;
    case 'loadData':
      void loadData(msg.requestId, msg.source);
      break;
    case 'previewCsv':
      void preview(msg.requestId, msg.file);
      break;
    case 'loadTeacher':
      void exclusive((message) => ({ type: 'teacherFailed', requestId: msg.requestId, message }), async () => ({ type: 'teacherLoaded', requestId: msg.requestId, ...(await withTeacherBoundary(loadUploadedTeacher(msg.files), post)) }));
      break;
    case 'loadShippedTeacher':
      void exclusive((message) => ({ type: 'teacherFailed', requestId: msg.requestId, message }), async () => ({ type: 'teacherLoaded', requestId: msg.requestId, ...(await withTeacherBoundary(loadShippedTeacher(msg.url, msg.label), post)) }));
      break;
    case 'loadStudent':
      void exclusive((message) => ({ type: 'studentFailed', requestId: msg.requestId, message }), async () => ({ type: 'studentLoaded', requestId: msg.requestId, ...(await loadUploadedStudent(msg.files)) }));
      break;
    case 'exportModel':
      void exclusive((message) => ({ type: 'exportFailed', requestId: msg.requestId, message }), async () => ({ type: 'exported', requestId: msg.requestId, exported: await exportTarget(msg.target, msg.quantization, msg.zip) }));
      break;
    case 'trainTeacher':
      void startRun(msg.runId, (c) => runTeacher(c, msg.config, post, runFaults()));
      break;
    case 'distill':
      maybeCrash();
      void startRun(msg.runId, (c) => runDistill(c, msg.config, msg.keep, post, runFaults()));
      break;
    case 'sweep':
      void startRun(msg.runId, (c) => runSweep(c, msg.base, msg.spec, post));
      break;
    case 'pause':
      control(msg.runId)?.pause();
      break;
    case 'resume':
      control(msg.runId)?.resume();
      break;
    case 'stop':
      control(msg.runId)?.stop();
      break;
    case 'getExample': {
      const answer = testExample(msg.requestId, msg.index);
      if (answer.type === 'example') self.postMessage(answer, [answer.features.buffer]);
      else post(answer);
      break;
    }
    default:
      assertNever(msg);
  }
};
