import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { BackendInfo } from '../core/backend';
import { isBackendName } from '../core/backend-names';
import type { DatasetSummary } from '../core/data/types';
import type { DistillEpoch, TeacherEpoch } from '../core/trainer';
import { createWorkerClient, type WorkerClient } from '../worker/client';
import { assertNever, type DistillResults, type FromWorker, type ProgressReport, type TeacherResult } from '../worker/protocol';
import { DEFAULT_CONFIG, distillRunConfig, settingError, teacherRunConfig, type NumericSetting, type StudioConfig } from './config';
import { formatPercent } from './format';
import { createSeriesBuffer, type ChartSeries } from './series';

export type RunKind = 'teacher' | 'distill';

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
};

export const useStudio = create<StudioState>()(
  persist(() => ({ ...initial, config: DEFAULT_CONFIG }), {
    name: 'distill-studio-config',
    version: 1,
    partialize: (s) => ({ config: s.config }),
    merge: (persisted, current) => ({ ...current, config: { ...DEFAULT_CONFIG, ...(persisted as { config?: Partial<StudioConfig> } | undefined)?.config } }),
  }),
);

const set = useStudio.setState;
const get = useStudio.getState;
const series = createSeriesBuffer((s) => set(s));
let client: WorkerClient | null = null;

function handle(msg: FromWorker): void {
  switch (msg.type) {
    case 'ready':
      set({ backend: msg.backend, dataset: msg.dataset });
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
      set({ teacher: msg.teacher, run: null, progress: null, notice: `Teacher ready: ${formatPercent(msg.teacher.testAccuracy)} on the test digits.` });
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
  return !s.run && !s.fatal && s.backend !== null && Object.keys(s.invalid).length === 0;
}

export function trainTeacher(): void {
  const s = get();
  if (!client || !canStart(s)) return;
  series.resetTeacher();
  const id = client.trainTeacher(teacherRunConfig(s.config));
  set({ run: { id, kind: 'teacher', status: 'running' }, teacherEpochs: [], error: null, notice: null, progress: null });
}

export function startDistill(): void {
  const s = get();
  if (!client || !canStart(s) || !s.teacher) return;
  series.resetDistill();
  const id = client.distill(distillRunConfig(s.config));
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
