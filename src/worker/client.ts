import type { Calibration } from '../core/calibrate';
import type { BackendName } from '../core/backend-names';
import type { SweepSpec } from '../core/sweep';
import type { DataSource, DistillRunConfig, ExportQuantization, ExportTarget, FromWorker, TeacherRunConfig, ToWorker } from './protocol';

/** The one place the page talks to the training worker. */
export interface WorkerClient {
  trainTeacher(config: TeacherRunConfig): number;
  distill(config: DistillRunConfig): number;
  sweep(base: DistillRunConfig, spec: SweepSpec): number;
  pause(runId: number): void;
  resume(runId: number): void;
  stop(runId: number): void;
  /** Returns the request id that the answer will carry. */
  loadData(source: DataSource): number;
  previewCsv(file: File): number;
  loadTeacher(files: File[]): number;
  loadShippedTeacher(url: string, label: string): number;
  loadStudent(files: File[]): number;
  exportModel(target: ExportTarget, quantization: ExportQuantization, zip: boolean): number;
  getExample(index: number): number;
}

export interface ClientOptions {
  backend?: BackendName;
  dataUrl: string;
  calibration: Calibration | null;
  /** Receives every message of the current run (older runs' late messages are dropped here). */
  onMessage(msg: FromWorker): void;
  onCrash(message: string): void;
}

export function createWorkerClient(options: ClientOptions): WorkerClient {
  const worker = new Worker(new URL('./distill.worker.ts', import.meta.url), { type: 'module', name: 'distill' });
  let currentRun = 0;
  let lastRequest = 0;
  const send = (msg: ToWorker) => worker.postMessage(msg);
  const request = (make: (requestId: number) => ToWorker) => {
    lastRequest++;
    send(make(lastRequest));
    return lastRequest;
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const msg = event.data;
    if ('runId' in msg && msg.runId !== currentRun) return;
    options.onMessage(msg);
  };
  worker.onerror = (event) => options.onCrash(event.message || 'The training worker crashed.');
  send({ type: 'init', backend: options.backend, dataUrl: options.dataUrl, calibration: options.calibration });
  return {
    trainTeacher(config) {
      currentRun++;
      send({ type: 'trainTeacher', runId: currentRun, config });
      return currentRun;
    },
    distill(config) {
      currentRun++;
      send({ type: 'distill', runId: currentRun, config });
      return currentRun;
    },
    sweep(base, spec) {
      currentRun++;
      send({ type: 'sweep', runId: currentRun, base, spec });
      return currentRun;
    },
    pause: (runId) => send({ type: 'pause', runId }),
    resume: (runId) => send({ type: 'resume', runId }),
    stop: (runId) => send({ type: 'stop', runId }),
    loadData: (source) => request((requestId) => ({ type: 'loadData', requestId, source })),
    previewCsv: (file) => request((requestId) => ({ type: 'previewCsv', requestId, file })),
    loadTeacher: (files) => request((requestId) => ({ type: 'loadTeacher', requestId, files })),
    loadShippedTeacher: (url, label) => request((requestId) => ({ type: 'loadShippedTeacher', requestId, url, label })),
    loadStudent: (files) => request((requestId) => ({ type: 'loadStudent', requestId, files })),
    exportModel: (target, quantization, zip) => request((requestId) => ({ type: 'exportModel', requestId, target, quantization, zip })),
    getExample: (index) => request((requestId) => ({ type: 'getExample', requestId, index })),
  };
}
