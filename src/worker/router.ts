import { errorText, selectBackend, type BackendEnv } from '../core/backend';
import { previewCsv } from '../core/data/csv';
import { checkFileSize } from '../core/data/errors';
import { summarizeDataset } from '../core/data/types';
import { TEST_HOOKS } from '../core/test-hooks';
import { postTeacherBoundary, withTeacherBoundary } from './boundaries';
import { loadDataSource } from './data-sources';
import { testExample } from './examples';
import { exportTarget } from './export';
import { addToEnsemble, ensembleMemberResults, removeFromEnsemble, runTrainEnsemble, useEnsemble } from './ensembles';
import { InjectedFaults } from './injected-faults';
import { assertNever, type DataSource, type FromWorker, type ToWorker } from './protocol';
import { RunControl } from './run-driver';
import { runMethod } from './method-runs';
import { runTeacher, type RunFaults } from './runs';
import { session, adoptDataset } from './session';
import { runSizeSweep } from './size-sweeps';
import { runSweep } from './sweeps';
import { loadShippedTeacher, loadUploadedStudent, loadUploadedTeacher } from './teachers';
import { transferables, tryItPredictions } from './try-it';

/**
 * The training worker's message handling, without worker globals: distill.worker.ts feeds it the
 * page's messages, and tests feed it theirs in Node (bad-inputs.test.ts drives this very routing).
 */

/** Sends a message to the page; `transfer` moves those buffers instead of copying them. */
export type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

/** What only the worker itself provides. */
export interface WorkerPlatform {
  /** The backends this worker can use; also where a run falls back to when its backend fails. */
  backends: BackendEnv;
  /** Called once, before the first backend starts: the page's ?threads=, or undefined to choose from the cores. */
  planWasmThreads(requested: number | undefined): void;
}

/** Handles one message; resolves when everything it started is done (a run, when the run ends). */
export type Route = (msg: ToWorker, post: Post) => Promise<void>;

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

async function preview(requestId: number, file: File, post: Post): Promise<void> {
  try {
    checkFileSize(file.size, file.name);
    post({ type: 'csvPreview', requestId, fileName: file.name, preview: previewCsv(await file.text(), 8, { fileName: file.name }) });
  } catch (e) {
    post({ type: 'csvPreviewFailed', requestId, message: errorText(e) });
  }
}

/** Teacher loading and export touch the models a run uses, so they wait for runs (and runs for them). */
async function exclusive(post: Post, fail: (message: string) => FromWorker, work: () => Promise<FromWorker>): Promise<void> {
  if (session.run || session.loading) {
    post(fail(session.run ? 'Stop the current run first.' : 'Wait for the current loading or saving to finish.'));
    return;
  }
  session.loading = true;
  try {
    const msg = await work();
    if (msg.type === 'exported')
      post(
        msg,
        msg.exported.files.map((f) => f.bytes),
      );
    else post(msg);
  } catch (e) {
    post(fail(errorText(e)));
  } finally {
    session.loading = false;
  }
}

async function startRun(runId: number, post: Post, work: (control: RunControl) => Promise<void>): Promise<void> {
  if (session.run || session.loading) {
    post({
      type: 'error',
      runId,
      message: session.run ? 'Another run is still going: stop it first.' : 'Wait for the current loading or saving to finish.',
    });
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

/** The worker's routing over the one session (session.ts). What 'init' says is kept here, not in module state. */
export function createRouter(platform: WorkerPlatform): Route {
  let mnistUrl = '';
  let faults: InjectedFaults | null = null;

  /** How runs meet a failing backend: fall back through the worker's backends (and, in test builds, an injected failure). */
  function runFaults(): RunFaults {
    if (TEST_HOOKS && faults) return { env: platform.backends, failAtEpoch: faults.takeFailAtEpoch() };
    return { env: platform.backends };
  }

  async function init(msg: Extract<ToWorker, { type: 'init' }>, post: Post): Promise<void> {
    try {
      mnistUrl = msg.dataUrl;
      let backends = platform.backends;
      if (TEST_HOOKS) {
        faults = new InjectedFaults(msg.inject ?? null);
        backends = faults.backends(backends);
      }
      platform.planWasmThreads(msg.wasmThreads);
      session.backend = await selectBackend(backends, msg.backend, { remembered: msg.calibration, clock: () => performance.now() });
      const dataset = await loadDataSource({ kind: 'mnist' }, mnistUrl, () => {});
      adoptDataset(dataset);
      post({ type: 'ready', backend: session.backend, dataset: summarizeDataset(dataset, 'mnist') });
    } catch (e) {
      post({ type: 'initFailed', message: errorText(e) });
    }
  }

  /** A bad file leaves everything as it was: the new data set only replaces the old one once it parsed. */
  async function loadData(requestId: number, source: DataSource, post: Post): Promise<void> {
    if (session.run || session.loading || !session.data) {
      const why = session.run
        ? 'Stop the current run before changing the data set.'
        : session.data
          ? 'Wait for the current loading or saving to finish.'
          : 'The studio is still starting.';
      post({ type: 'dataFailed', requestId, message: why });
      return;
    }
    session.loading = true;
    try {
      const dataset = await loadDataSource(source, mnistUrl, (done, total) => post({ type: 'dataProgress', requestId, done, total }));
      const dropped = adoptDataset(dataset);
      post({ type: 'dataLoaded', requestId, dataset: summarizeDataset(dataset, familyOf(source)), dropped });
    } catch (e) {
      post({ type: 'dataFailed', requestId, message: errorText(e) });
    } finally {
      session.loading = false;
    }
  }

  return async (msg, post) => {
    switch (msg.type) {
      case 'init':
        return init(msg, post);
      case 'ping':
        post({ type: 'pong', id: msg.id });
        return;
      case 'loadData':
        return loadData(msg.requestId, msg.source, post);
      case 'previewCsv':
        return preview(msg.requestId, msg.file, post);
      case 'loadTeacher':
        return exclusive(
          post,
          (message) => ({ type: 'teacherFailed', requestId: msg.requestId, message }),
          async () => {
            const outcome = await loadUploadedTeacher(msg.files, { requestId: msg.requestId, onnx: msg.onnx, post });
            if ('question' in outcome)
              return { type: 'teacherQuestion', requestId: msg.requestId, fileName: outcome.fileName, question: outcome.question };
            await postTeacherBoundary(post);
            return { type: 'teacherLoaded', requestId: msg.requestId, ...outcome };
          },
        );
      case 'loadShippedTeacher':
        return exclusive(
          post,
          (message) => ({ type: 'teacherFailed', requestId: msg.requestId, message }),
          async () => ({
            type: 'teacherLoaded',
            requestId: msg.requestId,
            ...(await withTeacherBoundary(loadShippedTeacher(msg.url, msg.label), post)),
          }),
        );
      case 'loadStudent':
        return exclusive(
          post,
          (message) => ({ type: 'studentFailed', requestId: msg.requestId, message }),
          async () => ({ type: 'studentLoaded', requestId: msg.requestId, ...(await loadUploadedStudent(msg.files)) }),
        );
      case 'exportModel':
        return exclusive(
          post,
          (message) => ({ type: 'exportFailed', requestId: msg.requestId, message }),
          async () => ({
            type: 'exported',
            requestId: msg.requestId,
            exported: await exportTarget(msg.target, msg.quantization, msg.zip, msg.format),
          }),
        );
      case 'trainTeacher':
        return startRun(msg.runId, post, (c) => runTeacher(c, msg.config, post, runFaults()));
      case 'distill':
        if (TEST_HOOKS) faults?.maybeCrash();
        return startRun(msg.runId, post, (c) => runMethod(c, msg.config, msg.keep, post, runFaults()));
      case 'sweep':
        return startRun(msg.runId, post, (c) => runSweep(c, msg.base, msg.spec, post));
      case 'sizeSweep':
        return startRun(msg.runId, post, (c) => runSizeSweep(c, msg.base, msg.spec, post));
      case 'trainEnsemble':
        return startRun(msg.runId, post, (c) => runTrainEnsemble(c, msg.config, msg.size, msg.combine, post, runFaults()));
      case 'addToEnsemble':
      case 'removeFromEnsemble': {
        const { requestId } = msg;
        // A refusal lists the members as they still are, with the reason.
        return exclusive(
          post,
          (message) => ({ type: 'ensembleMembers', requestId, members: ensembleMemberResults(), message }),
          async () => (msg.type === 'addToEnsemble' ? addToEnsemble(requestId) : removeFromEnsemble(requestId, msg.index)),
        );
      }
      case 'useEnsemble':
        return exclusive(
          post,
          (message) => ({ type: 'teacherFailed', requestId: msg.requestId, message }),
          async () => ({
            type: 'teacherLoaded',
            requestId: msg.requestId,
            ...(await withTeacherBoundary(useEnsemble(msg.combine, post), post)),
          }),
        );
      case 'pause':
        control(msg.runId)?.pause();
        return;
      case 'resume':
        control(msg.runId)?.resume();
        return;
      case 'stop':
        control(msg.runId)?.stop();
        return;
      case 'getExample': {
        const answer = testExample(msg.requestId, msg.index);
        if (answer.type === 'example') post(answer, [answer.features.buffer]);
        else post(answer);
        return;
      }
      case 'predict': {
        const answer = await tryItPredictions(msg.requestId, msg.features);
        post(answer, transferables(answer));
        return;
      }
      default:
        assertNever(msg);
    }
  };
}
