import { isBackendName } from '../core/backend-names';
import { parseInjection, type FaultInjection } from '../core/faults';
import { TEST_HOOKS } from '../core/test-hooks';
import { parseWasmThreads } from '../core/wasm-threads';
import { createWorkerClient } from '../worker/client';
import { builtInSource } from './experiment';
import { refreshLibrary } from './library-actions';
import { forgetCalibration, useCalibration, useLastData } from './remembered';
import { reloadAfterRestart, restartPatch } from './restart';
import { readSharedExperiment } from './share';
import { dispatchStartup } from './startup-runner';
import { useStudio } from './store';
import { handleWorkerMessage } from './worker-messages';
import { useWorkerSession, workerClient } from './worker-session';
// Every store that listens on the bus, subscribed before the first message (a store imported only by a
// view that mounts later would miss what came before it).
import './boundary-store';
import './explorer-store';
import './runs-store';
import './sweep-store';
import './try-it-store';
import './gallery-store';
import './synth-store';

/** The studio's life: start, restart, and the worker's faults as the page shows them. */

const set = useStudio.setState;

/** Starts the worker once; the URL's ?backend= forces a backend, and a #experiment= hash sets the studio up. */
export function startStudio(search: string = location.search, hash: string = location.hash): void {
  if (workerClient()) return;
  const params = new URLSearchParams(search);
  const forced = params.get('backend');
  const threads = parseWasmThreads(params.get('threads'));
  const inject = TEST_HOOKS ? testInjection(params) : {};
  const client = createWorkerClient({
    backend: isBackendName(forced) ? forced : undefined,
    wasmThreads: threads.threads,
    dataUrl: `${import.meta.env.BASE_URL}data/mnist-10k.bin`,
    calibration: () => useCalibration.getState().calibration,
    inject: inject.fault,
    onMessage: handleWorkerMessage,
    onRestart: workerRestarted,
    onDead: (message) => {
      set({ fatal: `The training worker stopped: ${message}. Reload the page to start it again.`, run: null });
      dispatchStartup({ type: 'workerFailed', reason: message });
    },
    onSilence: (seconds) => set({ workerSilent: seconds }),
  });
  useWorkerSession.setState({ client });
  dispatchStartup({ type: 'start', shared: readSharedExperiment(hash) });
  if (forced && !isBackendName(forced)) set({ notice: `Ignored ?backend=${forced}: use webgpu, webgl, wasm or cpu.` });
  if (inject.error) set({ notice: inject.error });
  if (threads.error) set({ notice: threads.error });
  void refreshLibrary();
}

/** TEST-ONLY: ?inject=backend-failure@N or ?inject=worker-crash (core/faults.ts), for the first worker only. */
function testInjection(params: URLSearchParams): { fault?: FaultInjection; error?: string } {
  const inject = parseInjection(params.get('inject'));
  if (!inject) return {};
  return 'error' in inject ? { error: inject.error } : { fault: inject };
}

/** The worker stopped and a new one is starting (client.ts): the page lets go of what it held, and start-up reloads what it can. */
function workerRestarted(reason: string): void {
  const s = useStudio.getState();
  set(restartPatch(s, reason));
  dispatchStartup({ type: 'workerRestarted', reload: reloadAfterRestart(s) });
}

/** The user's answer to a silent worker: end it and start a new one. */
export function restartWorker(): void {
  workerClient()?.restart('restarted from the page after it stopped answering');
}

export function dismissIncident(): void {
  set({ incident: null });
}

/** Forgets the measured backend speeds and restarts, so the next start measures again. */
export function measureBackendsAgain(): void {
  forgetCalibration();
  location.reload();
}

// The built-in data set in use is remembered, so that a reload comes back to it (files cannot be: they are the user's).
useStudio.subscribe((s, prev) => {
  const data = s.dataDescriptor !== prev.dataDescriptor ? builtInSource(s.dataDescriptor) : null;
  if (data) useLastData.setState({ data });
});
