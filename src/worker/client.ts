import type { Calibration } from '../core/calibrate';
import type { BackendName } from '../core/backend-names';
import type { FaultInjection } from '../core/faults';
import type { SizeSweepSpec } from '../core/size-sweep';
import type { SweepSpec } from '../core/sweep';
import type {
  DataSource,
  DistillRunConfig,
  EnsembleCombine,
  ExportFormat,
  ExportQuantization,
  ExportTarget,
  FromWorker,
  OnnxChoice,
  TeacherRunConfig,
  ToWorker,
} from './protocol';

/** The one place the page talks to the training worker. */
export interface WorkerClient {
  trainTeacher(config: TeacherRunConfig): number;
  /** Trains `size` teachers of `config` with seeds 1..size, which become the teacher combined as `combine` says. */
  trainEnsemble(config: TeacherRunConfig, size: number, combine: EnsembleCombine): number;
  /** `keep`: the name and data-set label the worker saves the distilled student under, in the model library, when the run ends. */
  distill(config: DistillRunConfig, keep: { name: string; dataset: string }): number;
  sweep(base: DistillRunConfig, spec: SweepSpec): number;
  /** "Find the smallest student" (protocol's sizeSweep). */
  sizeSweep(base: DistillRunConfig, spec: SizeSweepSpec): number;
  pause(runId: number): void;
  resume(runId: number): void;
  stop(runId: number): void;
  /** Returns the request id that the answer will carry. */
  loadData(source: DataSource): number;
  previewCsv(file: File): number;
  /** `onnx`: the person's answer to a teacherQuestion about these same files. */
  loadTeacher(files: File[], onnx?: OnnxChoice): number;
  /** The current teacher joins the ensemble's members. */
  addToEnsemble(): number;
  removeFromEnsemble(index: number): number;
  /** The members become the teacher (answered with teacherLoaded or teacherFailed). */
  combineMembers(combine: EnsembleCombine): number;
  loadShippedTeacher(url: string, label: string): number;
  loadStudent(files: File[]): number;
  /** `format`: absent = TF.js. */
  exportModel(target: ExportTarget, quantization: ExportQuantization, zip: boolean, format?: ExportFormat): number;
  getExample(index: number): number;
  /** Try it: every model's logits for one row, scaled as the models see it. */
  predict(features: Float32Array): number;
  /** Ends the worker and starts a new one, which initialises again (backend choice included); `onRestart` is told why. */
  restart(reason: string): void;
}

export interface ClientOptions {
  backend?: BackendName;
  /** XNNPACK threads asked for in the URL (?threads=N); otherwise the worker chooses. */
  wasmThreads?: number;
  dataUrl: string;
  /** Read at every (re)start: a restarted worker reuses what the first one measured. */
  calibration: () => Calibration | null;
  /** TEST-ONLY (?inject=): given to the first worker only, so a restarted one runs normally. */
  inject?: FaultInjection;
  /** Receives every message of the current run (older runs' late messages are dropped here). */
  onMessage(msg: FromWorker): void;
  /** The worker stopped (an uncaught error, an unreadable message) or was restarted on request: a new one is already starting. */
  onRestart(reason: string): void;
  /** A worker failed before it ever answered (its script did not load or start): not restarted again, since it would fail the same way. */
  onDead(reason: string): void;
  /** The worker has not answered for `silentSeconds` (null: it answers again). It is not killed: it may be busy with a long kernel. */
  onSilence?(silentSeconds: number | null): void;
  heartbeat?: { pingEveryMs: number; silentAfterMs: number };
}

/**
 * The page pings every few seconds; the worker answers between training steps. Only a long
 * silence is reported: a step on a software-emulated GPU can block the worker for many seconds.
 */
export const HEARTBEAT = { pingEveryMs: 5_000, silentAfterMs: 60_000 };

export function createWorkerClient(options: ClientOptions): WorkerClient {
  let worker: Worker;
  let currentRun = 0;
  let lastRequest = 0;
  /** When the oldest unanswered ping went out (null: the worker has spoken since). Timers of a hidden tab are slowed, so silence is counted from a ping, not from the last answer. */
  let waitingSince: number | null = null;
  let silent = false;
  let pings = 0;
  /** Whether the current worker has ever answered. */
  let alive = false;
  const beat = options.heartbeat ?? HEARTBEAT;
  const send = (msg: ToWorker) => worker.postMessage(msg);
  const request = (make: (requestId: number) => ToWorker) => {
    lastRequest++;
    send(make(lastRequest));
    return lastRequest;
  };
  const start = (inject?: FaultInjection) => {
    worker = new Worker(new URL('./distill.worker.ts', import.meta.url), { type: 'module', name: 'distill' });
    waitingSince = null;
    alive = false;
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      alive = true;
      heard();
      const msg = event.data;
      if (msg.type === 'pong') return;
      if ('runId' in msg && msg.runId !== currentRun) return;
      options.onMessage(msg);
    };
    worker.onerror = (event) => {
      event.preventDefault(); // handled here: the page says what happened
      crashed(event.message || 'an uncaught error in the worker');
    };
    worker.onmessageerror = () => crashed('a message from the worker could not be read');
    send({
      type: 'init',
      backend: options.backend,
      ...(options.wasmThreads && { wasmThreads: options.wasmThreads }),
      dataUrl: options.dataUrl,
      calibration: options.calibration(),
      ...(inject && { inject }),
    });
  };
  const heard = () => {
    waitingSince = null;
    if (silent) {
      silent = false;
      options.onSilence?.(null);
    }
  };
  let dead = false;
  /** When the last crashes happened: a worker that keeps dying is not restarted for ever. */
  const crashes: number[] = [];
  const crashed = (reason: string) => {
    const now = Date.now();
    crashes.push(now);
    const recent = crashes.filter((t) => now - t < 60_000).length;
    if (alive && recent <= 3) return restart(reason);
    worker.terminate();
    dead = true;
    options.onDead(reason);
  };
  const restart = (reason: string) => {
    worker.terminate();
    dead = false;
    currentRun++; // whatever the old worker was running is over
    if (silent) {
      silent = false;
      options.onSilence?.(null);
    }
    start();
    options.onRestart(reason);
  };
  setInterval(() => {
    if (dead) return;
    const now = Date.now();
    waitingSince ??= now;
    send({ type: 'ping', id: ++pings });
    const quiet = now - waitingSince;
    if (quiet >= beat.silentAfterMs && !silent) {
      silent = true;
      options.onSilence?.(Math.round(quiet / 1000));
    }
  }, beat.pingEveryMs);
  start(options.inject);
  return {
    trainTeacher(config) {
      currentRun++;
      send({ type: 'trainTeacher', runId: currentRun, config });
      return currentRun;
    },
    trainEnsemble(config, size, combine) {
      currentRun++;
      send({ type: 'trainEnsemble', runId: currentRun, config, size, combine });
      return currentRun;
    },
    distill(config, keep) {
      currentRun++;
      send({ type: 'distill', runId: currentRun, config, keep });
      return currentRun;
    },
    sweep(base, spec) {
      currentRun++;
      send({ type: 'sweep', runId: currentRun, base, spec });
      return currentRun;
    },
    sizeSweep(base, spec) {
      currentRun++;
      send({ type: 'sizeSweep', runId: currentRun, base, spec });
      return currentRun;
    },
    pause: (runId) => send({ type: 'pause', runId }),
    resume: (runId) => send({ type: 'resume', runId }),
    stop: (runId) => send({ type: 'stop', runId }),
    loadData: (source) => request((requestId) => ({ type: 'loadData', requestId, source })),
    previewCsv: (file) => request((requestId) => ({ type: 'previewCsv', requestId, file })),
    loadTeacher: (files, onnx) => request((requestId) => ({ type: 'loadTeacher', requestId, files, ...(onnx && { onnx }) })),
    addToEnsemble: () => request((requestId) => ({ type: 'addToEnsemble', requestId })),
    removeFromEnsemble: (index) => request((requestId) => ({ type: 'removeFromEnsemble', requestId, index })),
    combineMembers: (combine) => request((requestId) => ({ type: 'useEnsemble', requestId, combine })),
    loadShippedTeacher: (url, label) => request((requestId) => ({ type: 'loadShippedTeacher', requestId, url, label })),
    loadStudent: (files) => request((requestId) => ({ type: 'loadStudent', requestId, files })),
    exportModel: (target, quantization, zip, format) =>
      request((requestId) => ({
        type: 'exportModel',
        requestId,
        target,
        quantization,
        zip,
        ...(format && format !== 'tfjs' ? { format } : {}),
      })),
    getExample: (index) => request((requestId) => ({ type: 'getExample', requestId, index })),
    predict: (features) => request((requestId) => ({ type: 'predict', requestId, features })),
    restart,
  };
}
