import { create } from 'zustand';
import type { BackendInfo } from '../core/backend';
import type { Calibration } from '../core/calibrate';
import { parseWasmThreads } from '../core/wasm-threads';
import { isBackendName } from '../core/backend-names';
import type { DatasetSummary } from '../core/data/types';
import type { DataDescriptor, ExperimentConfig, TeacherDescriptor } from '../core/experiment';
import type { DistillEpoch, TeacherEpoch } from '../core/trainer';
import type { SweepSpec } from '../core/sweep';
import { createWorkerClient, type WorkerClient } from '../worker/client';
import type { CsvPreview } from '../core/data/csv';
import { defaultShippedTeacher, shippedTeachersFor } from '../core/shipped';
import { assertNever, type DataSource, type DistillResults, type ExportedFiles, type ExportQuantization, type ExportTarget, type FromWorker, type ProgressReport, type TeacherResult } from '../worker/protocol';
import { DEFAULT_CONFIG, distillRunConfig, fitToData, restoreConfig, settingError, teacherRunConfig, type NumericSetting, type StudioConfig } from './config';
import { saveFiles } from './download';
import { deleteFromLibrary, listLibrary, readFromLibrary, saveToLibrary, type LibraryListing } from './library';
import { currentExperiment, describeSource } from './experiment';
import { parseData } from '../core/experiment-validate';
import { parseInjection } from '../core/faults';
import { readSharedExperiment, settingsFromExperiment, shareHash, type SharedExperiment } from './share';
import { formatPercent } from './format';
import { createSeriesBuffer, type ChartSeries } from './series';
import { boundaryMessage, resetBoundaries } from './boundary-store';
import { defaultRunName, type FinishedDistill } from './run-record';

export type RunKind = 'teacher' | 'distill' | 'sweep';

/** Cleared epochs are always this one array: clearing what is already clear redraws no chart. */
const NO_EPOCHS: DistillEpoch[] = [];

export interface RunState {
  id: number;
  kind: RunKind;
  status: 'running' | 'paused' | 'stopping';
}

export interface StudioState extends ChartSeries {
  config: StudioConfig;
  /** Settings whose typed value is not valid yet, with the reason. */
  invalid: Partial<Record<NumericSetting, string>>;
  backend: BackendInfo | null;
  dataset: DatasetSummary | null;
  /** Set when the worker could not start: nothing can run. */
  fatal: string | null;
  /** The last run's error, shown until the next run starts. */
  error: string | null;
  notice: string | null;
  run: RunState | null;
  progress: ProgressReport | null;
  teacher: TeacherResult | null;
  teacherEpochs: TeacherEpoch[];
  distillEpochs: DistillEpoch[];
  results: DistillResults | null;
  /** The loaded data set and teacher as an experiment names them (uploaded files by name). */
  dataDescriptor: DataDescriptor;
  teacherDescriptor: TeacherDescriptor | null;
  /** A data set being loaded or previewed, with its progress. */
  dataRequest: { id: number; label: string; done: number; total: number; descriptor?: DataDescriptor } | null;
  dataError: string | null;
  csvPreview: { requestId: number; file: File; fileName: string; preview: CsvPreview } | null;
  /** A teacher being loaded from files or from the shipped ones. */
  teacherRequest: { id: number; label: string; descriptor: TeacherDescriptor } | null;
  teacherError: string | null;
  /** A student uploaded as a model file, and whether the next run starts from it rather than the preset. */
  uploadedStudent: { description: string; params: number; fileName: string } | null;
  studentSource: 'preset' | 'uploaded';
  studentRequest: { id: number; label: string; fileName: string } | null;
  studentError: string | null;
  exportRequest: { id: number; label: string; purpose: 'download' | { libraryName: string } | 'run' } | null;
  /** Models saved in this browser (IndexedDB), newest first. */
  library: LibraryListing[];
  libraryError: string | null;
  exportError: string | null;
  /** The last download: what it weighed and what the reloaded bytes scored. */
  lastExport: Omit<ExportedFiles, 'files'> & { fileNames: string[] } | null;
  /** A fault the studio recovered from (a backend that failed mid-run, a worker restarted): what happened and what was done. Shown until the next run or dismissed. */
  incident: string | null;
  /** Seconds the worker has not answered the page's heartbeat, when that is long (null: it answers). */
  workerSilent: number | null;
}

const initial: Omit<StudioState, 'config'> = {
  invalid: {},
  backend: null,
  dataset: null,
  fatal: null,
  error: null,
  notice: null,
  run: null,
  progress: null,
  teacher: null,
  teacherEpochs: [],
  distillEpochs: NO_EPOCHS,
  results: null,
  teacherLoss: [],
  distillLoss: [],
  dataDescriptor: { kind: 'mnist' },
  teacherDescriptor: null,
  dataRequest: null,
  dataError: null,
  csvPreview: null,
  teacherRequest: null,
  teacherError: null,
  uploadedStudent: null,
  studentSource: 'preset',
  studentRequest: null,
  studentError: null,
  exportRequest: null,
  exportError: null,
  library: [],
  libraryError: null,
  lastExport: null,
  incident: null,
  workerSilent: null,
};

const CONFIG_KEY = 'distill-studio-config';

/** The settings from the last visit, over the defaults (a missing or damaged entry gives the defaults). */
function savedConfig(): StudioConfig {
  try {
    return restoreConfig(JSON.parse(localStorage.getItem(CONFIG_KEY) ?? 'null'));
  } catch {
    return DEFAULT_CONFIG;
  }
}

export const useStudio = create<StudioState>()(() => ({ ...initial, config: savedConfig() }));

// Only the settings persist, and only when they change: not on every one of the ten metric updates a second.
useStudio.subscribe((s, prev) => {
  if (s.config !== prev.config) localStorage.setItem(CONFIG_KEY, JSON.stringify(s.config));
});

const set = useStudio.setState;
const get = useStudio.getState;
const series = createSeriesBuffer((s) => set(s));
let client: WorkerClient | null = null;
export type SweepMessage = Extract<FromWorker, { type: 'sweepRun' | 'sweepProgress' | 'sweepDone' }>;
/** Sweep results live in their own store (sweep-store.ts), which registers here: one worker, one dispatch. */
let onSweepMessage: (msg: SweepMessage) => void = () => {};
export function listenForSweeps(listener: (msg: SweepMessage) => void): void {
  onSweepMessage = listener;
}
export type ExampleMessage = Extract<FromWorker, { type: 'example' | 'exampleFailed' }>;
/** The explorer's examples go to its own store (explorer-store.ts), as sweeps do. */
let onExampleMessage: (msg: ExampleMessage) => void = () => {};
export function listenForExamples(listener: (msg: ExampleMessage) => void): void {
  onExampleMessage = listener;
}
/** Asks the worker for test row `index`; the request id its answer carries, or null before the worker started. */
export function requestExample(index: number): number | null {
  return client ? client.getExample(index) : null;
}
/** The file whose preview is on its way: kept here, since Files are not sent back by the worker. */
let pendingPreview: File | null = null;

/** The teacher a running teacher run will become, as an experiment names it. */
let trainedTeacher: TeacherDescriptor | null = null;

/** The file that names an upload: model.json or the .zip, else the first. */
function mainFileName(files: File[]): string {
  return files.find((f) => /\.(json|zip)$/i.test(f.name))?.name ?? files[0]?.name ?? 'model';
}

/** A data error, and the reassurance that what the user had is still there. */
function nothingChanged(message: string): string {
  return `${message} Nothing was changed: ${get().dataset?.name ?? 'the previous data set'} is still loaded.`;
}

function handle(msg: FromWorker): void {
  switch (msg.type) {
    case 'ready':
      set({ backend: msg.backend, dataset: msg.dataset });
      if (msg.backend.calibration) localStorage.setItem(CALIBRATION_KEY, JSON.stringify(msg.backend.calibration));
      if (reloadAfterRestart) reloadWhatWasLoaded(reloadAfterRestart);
      else if (sharedOnStart) openShared(sharedOnStart);
      else reopenLastData();
      break;
    case 'initFailed':
      set({ fatal: msg.message });
      break;
    case 'backendChanged':
      // What could not move to the new backend is gone from the worker: stop offering it.
      set({
        backend: msg.backend,
        incident: msg.message,
        ...(msg.dropped.teacher && { teacher: null, teacherDescriptor: null }),
        ...(msg.dropped.uploadedStudent && { uploadedStudent: null, studentSource: 'preset' as const }),
      });
      break;
    case 'pong':
      break; // the client keeps them
    case 'metrics':
      set({ progress: msg.progress });
      if (msg.losses?.kind === 'teacher') series.addTeacher(msg.losses.points);
      else if (msg.losses?.kind === 'distill') series.addDistill(msg.losses.points);
      break;
    case 'teacherEpoch':
      set((s) => ({ teacherEpochs: [...s.teacherEpochs, msg.summary] }));
      break;
    case 'distillEpoch':
      set((s) => ({ distillEpochs: [...s.distillEpochs, msg.summary] }));
      break;
    case 'teacherDone':
      // The worker dropped the students distilled from the previous teacher.
      set({ teacher: msg.teacher, teacherDescriptor: trainedTeacher, run: null, progress: null, results: null, distillEpochs: NO_EPOCHS, lastExport: null, notice: `Teacher ready: ${formatPercent(msg.teacher.testAccuracy)} on the test set.` });
      series.resetDistill();
      break;
    case 'sweepRun':
    case 'sweepProgress':
      onSweepMessage(msg);
      break;
    case 'example':
    case 'exampleFailed':
      onExampleMessage(msg);
      break;
    case 'sweepDone':
      onSweepMessage(msg); // first, so the sweep store hears "done" before it sees the run end
      set({ run: null, notice: msg.outcome === 'finished' ? 'Sweep finished.' : `Sweep cancelled after ${msg.runsDone} of ${msg.runsTotal} runs. The finished runs are kept.` });
      break;
    case 'teacherBoundary':
    case 'boundaries':
      boundaryMessage(msg);
      break;
    case 'distillDone':
      set({ results: msg.results, run: null, progress: null, notice: 'Distillation finished.' });
      keepRun(msg.results);
      break;
    case 'paused':
    case 'resumed':
      set((s) => (s.run ? { run: { ...s.run, status: msg.type === 'paused' ? 'paused' : 'running' } } : {}));
      break;
    case 'stopped':
      set({ run: null, progress: null, notice: 'Run stopped. Everything from before it is kept.' });
      break;
    case 'error':
      set({ run: null, progress: null, error: msg.message });
      break;
    case 'dataLoaded':
      if (msg.requestId !== get().dataRequest?.id) break;
      series.resetTeacher();
      series.resetDistill();
      resetBoundaries();
      set({ dataset: msg.dataset, dataDescriptor: get().dataRequest?.descriptor ?? { kind: 'mnist' }, dataRequest: null, dataError: null, csvPreview: null, teacher: null, teacherDescriptor: null, uploadedStudent: null, studentSource: 'preset', results: null, teacherEpochs: [], distillEpochs: NO_EPOCHS, lastExport: null, notice: `Loaded ${msg.dataset.name}.` });
      loadShippedTeacher(takeWantedTeacher());
      break;
    case 'dataFailed':
      if (msg.requestId !== get().dataRequest?.id) break;
      set({ dataRequest: null, dataError: nothingChanged(msg.message) });
      break;
    case 'dataProgress':
      set((s) => (s.dataRequest?.id === msg.requestId ? { dataRequest: { ...s.dataRequest, done: msg.done, total: msg.total } } : {}));
      break;
    case 'csvPreview':
      if (msg.requestId !== get().dataRequest?.id || !pendingPreview) break;
      set({ dataRequest: null, dataError: null, csvPreview: { requestId: msg.requestId, file: pendingPreview, fileName: msg.fileName, preview: msg.preview } });
      break;
    case 'csvPreviewFailed':
      if (msg.requestId !== get().dataRequest?.id) break;
      set({ dataRequest: null, dataError: nothingChanged(msg.message) });
      break;
    case 'teacherLoaded':
      if (msg.requestId !== get().teacherRequest?.id) break;
      set({ teacher: msg.teacher, teacherDescriptor: get().teacherRequest?.descriptor ?? null, teacherRequest: null, teacherError: null, results: null, distillEpochs: NO_EPOCHS, lastExport: null, notice: `Teacher ready: ${msg.teacher.description}, ${formatPercent(msg.teacher.testAccuracy)} on the test set.` });
      series.resetDistill();
      break;
    case 'teacherFailed':
      if (msg.requestId !== get().teacherRequest?.id) break;
      set({ teacherRequest: null, teacherError: `${msg.message} ${get().teacher ? 'The previous teacher is still in use.' : ''}`.trim() });
      break;
    case 'studentLoaded':
      if (msg.requestId !== get().studentRequest?.id) break;
      set({ uploadedStudent: { description: msg.description, params: msg.params, fileName: get().studentRequest?.fileName ?? 'student model' }, studentSource: 'uploaded', studentRequest: null, studentError: null, notice: `Student loaded: ${msg.description}. Both students will start from its weights.` });
      break;
    case 'studentFailed':
      if (msg.requestId !== get().studentRequest?.id) break;
      set({ studentRequest: null, studentError: msg.message });
      break;
    case 'exported': {
      const request = get().exportRequest;
      if (msg.requestId !== request?.id) break;
      if (request.purpose === 'run') {
        void keepRunStudent(msg.requestId, msg.exported);
        set({ exportRequest: null, exportError: null });
        break;
      }
      if (request.purpose !== 'download') {
        void keepInLibrary(request.purpose.libraryName, msg.exported);
        set({ exportRequest: null, exportError: null });
        break;
      }
      saveFiles(msg.exported.files);
      set({ exportRequest: null, exportError: null, lastExport: { target: msg.exported.target, quantization: msg.exported.quantization, bytes: msg.exported.bytes, testAccuracy: msg.exported.testAccuracy, fileNames: msg.exported.files.map((f) => f.name) } });
      break;
    }
    case 'exportFailed':
      if (msg.requestId !== get().exportRequest?.id) break;
      if (runStudents.has(msg.requestId)) {
        // The run is kept without its student; the Runs view says why.
        runStudents.get(msg.requestId)?.reject(new Error(msg.message));
        runStudents.delete(msg.requestId);
        set({ exportRequest: null });
        break;
      }
      set({ exportRequest: null, exportError: msg.message });
      break;
    default:
      assertNever(msg);
  }
}

/** Starts the worker once; the URL's ?backend= forces a backend, and a #experiment= hash sets the studio up. */
export function startStudio(search: string = location.search, hash: string = location.hash): void {
  if (client) return;
  sharedOnStart = readSharedExperiment(hash);
  const params = new URLSearchParams(search);
  const forced = params.get('backend');
  // TEST-ONLY: ?inject=backend-failure@N or ?inject=worker-crash (core/faults.ts), for the first worker only.
  const inject = parseInjection(params.get('inject'));
  const threads = parseWasmThreads(params.get('threads'));
  client = createWorkerClient({
    backend: isBackendName(forced) ? forced : undefined,
    wasmThreads: threads.threads,
    dataUrl: `${import.meta.env.BASE_URL}data/mnist-10k.bin`,
    calibration: rememberedCalibration,
    inject: inject && !('error' in inject) ? inject : undefined,
    onMessage: handle,
    onRestart: workerRestarted,
    onDead: (message) => set({ fatal: `The training worker stopped: ${message}. Reload the page to start it again.`, run: null }),
    onSilence: (seconds) => set({ workerSilent: seconds }),
  });
  if (forced && !isBackendName(forced)) set({ notice: `Ignored ?backend=${forced}: use webgpu, webgl, wasm or cpu.` });
  if (inject && 'error' in inject) set({ notice: inject.error });
  if (threads.error) set({ notice: threads.error });
  void refreshLibrary();
}

/** What to load again in a restarted worker: the built-in data set and shipped teacher that were loaded. */
let reloadAfterRestart: { data: DataSource | null; teacher: string | undefined } | null = null;

/**
 * The worker stopped and a new one is starting (client.ts): what it held is gone. Whatever ran is
 * over; built-in data and a shipped teacher come back by themselves once it is ready, files have to
 * be given again, and the alert says which.
 */
function workerRestarted(reason: string): void {
  const s = get();
  const data = builtInSource(s.dataDescriptor);
  const teacher = s.teacherDescriptor;
  const again = [
    !data && 'fileName' in s.dataDescriptor && `the data file ${s.dataDescriptor.fileName}`,
    teacher?.kind === 'uploaded' && `the teacher ${teacher.fileName}`,
    teacher?.kind === 'preset' && 'the teacher trained here (train it again)',
    s.uploadedStudent && `the student ${s.uploadedStudent.fileName}`,
  ].filter((x): x is string => Boolean(x));
  reloadAfterRestart = { data, teacher: teacher?.kind === 'shipped' ? teacher.id : undefined };
  for (const pending of runStudents.values()) pending.reject(new Error('the training worker stopped before the student was saved'));
  runStudents.clear();
  pendingPreview = null;
  set({
    run: null,
    progress: null,
    backend: null,
    teacher: null,
    teacherDescriptor: null,
    uploadedStudent: null,
    studentSource: 'preset',
    dataRequest: null,
    csvPreview: null,
    teacherRequest: null,
    studentRequest: null,
    exportRequest: null,
    lastExport: null,
    workerSilent: null,
    notice: null,
    ...(!data && { dataDescriptor: { kind: 'mnist' } as DataDescriptor }),
    incident: [
      `The training worker stopped (${reason.replace(/\.$/, '')}). It was restarted; ${s.run ? 'the run in progress was lost' : 'no run was in progress'}, everything else is back.`,
      again.length > 0 ? `Files cannot be reloaded by the page: load ${again.join(', ')} again.` : '',
    ].filter(Boolean).join(' '),
  });
}

/** In the restarted worker: the data set (MNIST is already loaded) and then the shipped teacher, as before the restart. */
function reloadWhatWasLoaded(what: { data: DataSource | null; teacher: string | undefined }): void {
  reloadAfterRestart = null;
  wantedTeacher = what.teacher;
  if (what.data && what.data.kind !== 'mnist') loadData(what.data, 'Reloading the data set after the restart');
  else loadShippedTeacher(takeWantedTeacher());
}

/** The user's answer to a silent worker: end it and start a new one. */
export function restartWorker(): void {
  client?.restart('restarted from the page after it stopped answering');
}

export function dismissIncident(): void {
  set({ incident: null });
}

export function setSetting<K extends keyof StudioConfig>(key: K, value: StudioConfig[K]): void {
  set((s) => ({ config: { ...s.config, [key]: value } }));
}

export function setInvalid(key: NumericSetting, message: string | null): void {
  set((s) => {
    const invalid = { ...s.invalid };
    if (message) invalid[key] = message;
    else delete invalid[key];
    return { invalid };
  });
}

/** A number typed into a field: stored when valid, reported when not (the last valid value stays in use). */
export function enterNumber(key: NumericSetting, value: number): void {
  const message = settingError(key, value);
  setInvalid(key, message);
  if (!message) setSetting(key, value);
}

export function canStart(s: StudioState): boolean {
  const busy = s.run || s.dataRequest || s.teacherRequest || s.studentRequest || s.exportRequest;
  return !busy && !s.fatal && s.backend !== null && Object.keys(s.invalid).length === 0;
}

export function trainTeacher(): void {
  const s = get();
  if (!client || !canStart(s)) return;
  series.resetTeacher();
  const config = teacherRunConfig(s.config);
  const id = client.trainTeacher(config);
  trainedTeacher = { kind: 'preset', ...config };
  set({ run: { id, kind: 'teacher', status: 'running' }, teacherEpochs: [], error: null, notice: null, incident: null, progress: null });
}

/** Queues a sweep in the worker from the current settings; null when nothing could start. */
export function startSweep(spec: SweepSpec): number | null {
  const s = get();
  if (!client || !canStart(s) || !s.teacher) return null;
  const id = client.sweep(distillRunConfig(s.config, 'preset'), spec);
  set({ run: { id, kind: 'sweep', status: 'running' }, error: null, notice: null, incident: null, progress: null });
  return id;
}

export function startDistill(): void {
  const s = get();
  if (!client || !canStart(s) || !s.teacher) return;
  series.resetDistill();
  startedExperiment = experimentOf(s);
  const id = client.distill(s.dataset ? fitToData(distillRunConfig(s.config, s.studentSource), s.dataset, s.teacher.hintLayers !== null) : distillRunConfig(s.config, s.studentSource));
  set({ run: { id, kind: 'distill', status: 'running' }, distillEpochs: NO_EPOCHS, results: null, error: null, notice: null, incident: null, progress: null });
}

export function pauseRun(): void {
  const run = get().run;
  if (client && run?.status === 'running') client.pause(run.id);
}

export function resumeRun(): void {
  const run = get().run;
  if (client && run?.status === 'paused') client.resume(run.id);
}

export function stopRun(): void {
  const run = get().run;
  if (client && run) {
    client.stop(run.id);
    set({ run: { ...run, status: 'stopping' } });
  }
}

/** Loads a data set in the worker; the current one stays until the new one has parsed. */
export function loadData(source: DataSource, label: string): void {
  if (!client || get().run) return;
  const id = client.loadData(source);
  set({ dataRequest: { id, label, done: 0, total: 0, descriptor: describeSource(source) }, dataError: null });
}

/** A CSV file chosen or dropped: preview it first, so the label column can be picked. */
export function previewCsvFile(file: File): void {
  if (!client || get().run) return;
  pendingPreview = file;
  const id = client.previewCsv(file);
  set({ dataRequest: { id, label: `Reading ${file.name}`, done: 0, total: 0 }, dataError: null, csvPreview: null });
}

export function cancelCsvPreview(): void {
  pendingPreview = null;
  set({ csvPreview: null });
}

/** A shipped teacher that fits the current data set, if any (the studio opens with one ready). */
export function loadShippedTeacher(id?: string): void {
  const { dataset, run, backend } = get();
  if (!client || run || !dataset) return;
  const software = /software/i.test(backend?.detail ?? '');
  const teacher = shippedTeachersFor(dataset.family, dataset.numClasses).find((t) => t.id === id) ?? defaultShippedTeacher(dataset.family, dataset.numClasses, software);
  if (!teacher) return;
  const requestId = client.loadShippedTeacher(`${import.meta.env.BASE_URL}${teacher.path}`, teacher.label);
  set({ teacherRequest: { id: requestId, label: `Loading ${teacher.label}`, descriptor: { kind: 'shipped', id: teacher.id } }, teacherError: null });
}

/** model.json with its .bin shards, or a .zip: checked against the data set in the worker before it replaces the teacher. */
export function uploadTeacher(files: File[]): void {
  if (!client || get().run || files.length === 0) return;
  const id = client.loadTeacher(files);
  set({ teacherRequest: { id, label: `Loading ${files.map((f) => f.name).join(', ')}`, descriptor: { kind: 'uploaded', fileName: mainFileName(files) } }, teacherError: null });
}

export function exportModel(target: ExportTarget, quantization: ExportQuantization, zip: boolean): void {
  if (!client || get().run) return;
  const id = client.exportModel(target, quantization, zip);
  set({ exportRequest: { id, label: `Saving the ${target === 'teacher' ? 'teacher' : 'student'}`, purpose: 'download' }, exportError: null });
}

/** Saves the student or teacher in this browser's model library under `name` (float32, as model.json + weights). */
export function saveModelToLibrary(target: ExportTarget, name: string): void {
  if (!client || get().run) return;
  const id = client.exportModel(target, 'none', false);
  set({ exportRequest: { id, label: `Saving "${name}" to the library`, purpose: { libraryName: name } }, exportError: null });
}

async function keepInLibrary(name: string, exported: ExportedFiles): Promise<void> {
  try {
    await saveToLibrary({
      name,
      role: exported.target === 'teacher' ? 'teacher' : 'student',
      dataset: get().dataset?.name ?? '',
      createdAt: Date.now(),
      bytes: exported.bytes,
      files: exported.files,
    });
    set({ notice: `Saved "${name}" in this browser's model library.` });
    await refreshLibrary();
  } catch (e) {
    set({ libraryError: e instanceof Error ? e.message : String(e) });
  }
}

/** Every finished distillation (runs-store.ts keeps them), with the autosave of its student: the library id, or why not. */
let onDistillFinished: (run: FinishedDistill, student: Promise<number>) => void = () => {};
export function listenForDistillations(listener: typeof onDistillFinished): void {
  onDistillFinished = listener;
}
/** The experiment as it was when Distill was pressed: settings may change while it runs. */
let startedExperiment: ExperimentConfig | null = null;
const runStudents = new Map<number, { name: string; resolve(libraryId: number): void; reject(e: unknown): void }>();

function keepRun(results: DistillResults): void {
  const s = get();
  const name = defaultRunName(results.config, startedExperiment);
  const student = new Promise<number>((resolve, reject) => {
    if (!client) return reject(new Error('the training worker is gone'));
    // Through exportRequest, so that nothing else starts in the worker (it would refuse) until the student is saved.
    const id = client.exportModel('distilled', 'none', false);
    runStudents.set(id, { name, resolve, reject });
    set({ exportRequest: { id, label: 'Saving the student with the run', purpose: 'run' } });
  });
  onDistillFinished({ results, epochs: s.distillEpochs, loss: series.distillSnapshot(), experiment: startedExperiment, dataset: s.dataset?.name ?? '' }, student);
}

async function keepRunStudent(requestId: number, exported: ExportedFiles): Promise<void> {
  const pending = runStudents.get(requestId);
  runStudents.delete(requestId);
  if (!pending) return;
  try {
    // `run: true` keeps it out of the library panel: it belongs to its run, and goes when the run is deleted.
    pending.resolve(await saveToLibrary({ name: pending.name, role: 'student', dataset: get().dataset?.name ?? '', createdAt: Date.now(), bytes: exported.bytes, files: exported.files, run: true }));
  } catch (e) {
    pending.reject(e);
  }
}

export async function refreshLibrary(): Promise<void> {
  try {
    set({ library: (await listLibrary()).filter((m) => !m.run), libraryError: null });
  } catch (e) {
    set({ libraryError: e instanceof Error ? e.message : String(e) });
  }
}

/** Loads a saved model back, as the teacher or as the students' starting point, through the same checks as an upload. */
export async function useFromLibrary(id: number, as: 'teacher' | 'student'): Promise<void> {
  try {
    const files = await readFromLibrary(id);
    if (as === 'teacher') uploadTeacher(files);
    else uploadStudent(files);
  } catch (e) {
    set({ libraryError: e instanceof Error ? e.message : String(e) });
  }
}

export async function removeFromLibrary(id: number): Promise<void> {
  try {
    await deleteFromLibrary(id);
    await refreshLibrary();
  } catch (e) {
    set({ libraryError: e instanceof Error ? e.message : String(e) });
  }
}

/** A layers model file as the student's architecture and initial weights. */
export function uploadStudent(files: File[]): void {
  if (!client || get().run || files.length === 0) return;
  const id = client.loadStudent(files);
  set({ studentRequest: { id, label: `Loading ${files.map((f) => f.name).join(', ')}`, fileName: mainFileName(files) }, studentError: null });
}

export function chooseStudentSource(source: 'preset' | 'uploaded'): void {
  set({ studentSource: source });
}

/** The experiment the Distill button would run now, as one object (null while there is no teacher). */
export function experimentOf(s: Pick<StudioState, 'config' | 'dataDescriptor' | 'dataset' | 'teacherDescriptor' | 'teacher' | 'studentSource' | 'uploadedStudent'>): ExperimentConfig | null {
  return currentExperiment(
    s.config,
    { descriptor: s.dataDescriptor, summary: s.dataset },
    { descriptor: s.teacherDescriptor, canHint: s.teacher?.hintLayers != null },
    { source: s.studentSource, fileName: s.uploadedStudent?.fileName },
  );
}

/** A shared link read at start, applied once the worker is ready. */
let sharedOnStart: SharedExperiment | null = null;
/** The shipped teacher a shared experiment names, loaded once its data set is. */
let wantedTeacher: string | undefined;

function takeWantedTeacher(): string | undefined {
  const id = wantedTeacher;
  wantedTeacher = undefined;
  return id;
}

/** Built-in data as the worker loads it; null for files, which a link cannot carry. */
function builtInSource(d: DataDescriptor): DataSource | null {
  return d.kind === 'mnist' || d.kind === 'iris' || d.kind === 'toy' ? d : null;
}

/** Sets the studio up as a shared link says, then drops the hash so that a reload keeps later changes. */
function openShared(shared: SharedExperiment): void {
  sharedOnStart = null;
  history.replaceState(null, '', location.pathname + location.search);
  if ('error' in shared) {
    set({ error: `${shared.error} Nothing was changed.` });
    loadShippedTeacher();
    return;
  }
  const e = shared.experiment;
  const { config, todo } = settingsFromExperiment(e, get().config);
  set({ config, invalid: {}, studentSource: 'preset', notice: ['Opened the shared experiment.', ...todo].join(' ') });
  wantedTeacher = e.teacher.kind === 'shipped' ? e.teacher.id : undefined;
  const source = builtInSource(e.data);
  if (source && source.kind !== 'mnist') loadData(source, 'Loading the shared experiment\'s data set');
  else loadShippedTeacher(takeWantedTeacher());
}

/** A link that opens the studio set up for the current experiment. */
export function shareLink(experiment: ExperimentConfig): string {
  return `${location.origin}${location.pathname}${shareHash(experiment)}`;
}

const DATA_KEY = 'distill-studio-data';

// The built-in data set in use is remembered, so that a reload comes back to it (files cannot be: they are the user's).
useStudio.subscribe((s, prev) => {
  if (s.dataDescriptor !== prev.dataDescriptor && builtInSource(s.dataDescriptor)) localStorage.setItem(DATA_KEY, JSON.stringify(s.dataDescriptor));
});

/** At start: the built-in data set of the last visit (MNIST is already loaded), else the shipped teacher at once. */
function reopenLastData(): void {
  let saved: DataSource | null = null;
  try {
    saved = builtInSource(parseData(JSON.parse(localStorage.getItem(DATA_KEY) ?? 'null')));
  } catch {
    saved = null; // nothing saved, or saved by an older version: start on MNIST
  }
  if (saved && saved.kind !== 'mnist') loadData(saved, 'Reopening the last data set');
  else loadShippedTeacher();
}

const CALIBRATION_KEY = 'distill-studio-calibration';

/** The backend speeds measured on an earlier visit (the worker checks they are from this device). */
function rememberedCalibration(): Calibration | null {
  try {
    const saved = JSON.parse(localStorage.getItem(CALIBRATION_KEY) ?? 'null') as Calibration | null;
    return saved && typeof saved.deviceKey === 'string' && Array.isArray(saved.results) ? saved : null;
  } catch {
    return null;
  }
}

/** Forgets the measured backend speeds and restarts, so the next start measures again. */
export function measureBackendsAgain(): void {
  localStorage.removeItem(CALIBRATION_KEY);
  location.reload();
}
