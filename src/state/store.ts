import { create } from 'zustand';
import type { BackendInfo } from '../core/backend';
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
import { formatPercent } from './format';
import { createSeriesBuffer, type ChartSeries } from './series';

export type RunKind = 'teacher' | 'distill' | 'sweep';

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
  exportRequest: { id: number; label: string; purpose: 'download' | { libraryName: string } } | null;
  /** Models saved in this browser (IndexedDB), newest first. */
  library: LibraryListing[];
  libraryError: string | null;
  exportError: string | null;
  /** The last download: what it weighed and what the reloaded bytes scored. */
  lastExport: Omit<ExportedFiles, 'files'> & { fileNames: string[] } | null;
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
  distillEpochs: [],
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
      loadShippedTeacher();
      break;
    case 'initFailed':
      set({ fatal: msg.message });
      break;
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
      set({ teacher: msg.teacher, teacherDescriptor: trainedTeacher, run: null, progress: null, results: null, distillEpochs: [], lastExport: null, notice: `Teacher ready: ${formatPercent(msg.teacher.testAccuracy)} on the test set.` });
      series.resetDistill();
      break;
    case 'sweepRun':
    case 'sweepProgress':
      onSweepMessage(msg);
      break;
    case 'sweepDone':
      onSweepMessage(msg); // first, so the sweep store hears "done" before it sees the run end
      set({ run: null, notice: msg.outcome === 'finished' ? 'Sweep finished.' : `Sweep cancelled after ${msg.runsDone} of ${msg.runsTotal} runs. The finished runs are kept.` });
      break;
    case 'distillDone':
      set({ results: msg.results, run: null, progress: null, notice: 'Distillation finished.' });
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
      set({ dataset: msg.dataset, dataDescriptor: get().dataRequest?.descriptor ?? { kind: 'mnist' }, dataRequest: null, dataError: null, csvPreview: null, teacher: null, teacherDescriptor: null, uploadedStudent: null, studentSource: 'preset', results: null, teacherEpochs: [], distillEpochs: [], lastExport: null, notice: `Loaded ${msg.dataset.name}.` });
      loadShippedTeacher();
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
      set({ teacher: msg.teacher, teacherDescriptor: get().teacherRequest?.descriptor ?? null, teacherRequest: null, teacherError: null, results: null, distillEpochs: [], lastExport: null, notice: `Teacher ready: ${msg.teacher.description}, ${formatPercent(msg.teacher.testAccuracy)} on the test set.` });
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
      set({ exportRequest: null, exportError: msg.message });
      break;
    default:
      assertNever(msg);
  }
}

/** Starts the worker once; the URL's ?backend= forces a backend. */
export function startStudio(search: string = location.search): void {
  if (client) return;
  const forced = new URLSearchParams(search).get('backend');
  client = createWorkerClient({
    backend: isBackendName(forced) ? forced : undefined,
    dataUrl: `${import.meta.env.BASE_URL}data/mnist-10k.bin`,
    onMessage: handle,
    onCrash: (message) => set({ fatal: `The training worker stopped: ${message}. Reload the page to start it again.`, run: null }),
  });
  if (forced && !isBackendName(forced)) set({ notice: `Ignored ?backend=${forced}: use webgpu, webgl, wasm or cpu.` });
  void refreshLibrary();
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
  set({ run: { id, kind: 'teacher', status: 'running' }, teacherEpochs: [], error: null, notice: null, progress: null });
}

/** Queues a sweep in the worker from the current settings; null when nothing could start. */
export function startSweep(spec: SweepSpec): number | null {
  const s = get();
  if (!client || !canStart(s) || !s.teacher) return null;
  const id = client.sweep(distillRunConfig(s.config, 'preset'), spec);
  set({ run: { id, kind: 'sweep', status: 'running' }, error: null, notice: null, progress: null });
  return id;
}

export function startDistill(): void {
  const s = get();
  if (!client || !canStart(s) || !s.teacher) return;
  series.resetDistill();
  const id = client.distill(s.dataset ? fitToData(distillRunConfig(s.config, s.studentSource), s.dataset, s.teacher.hintLayers !== null) : distillRunConfig(s.config, s.studentSource));
  set({ run: { id, kind: 'distill', status: 'running' }, distillEpochs: [], results: null, error: null, notice: null, progress: null });
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

export async function refreshLibrary(): Promise<void> {
  try {
    set({ library: await listLibrary(), libraryError: null });
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
