import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { BackendInfo } from '../core/backend';
import type { DatasetSummary } from '../core/data/types';
import type { CsvPreview } from '../core/data/csv';
import type { GenerationResult } from '../core/born-again';
import type { DataDescriptor, ExperimentConfig, TeacherDescriptor } from '../core/experiment';
import type { DistillEpoch, TeacherEpoch } from '../core/trainer';
import type { DistillResults, ExportedFiles, OnnxQuestion, ProgressReport, RepeatResult, TeacherResult } from '../worker/protocol';
import { DEFAULT_CONFIG, restoreConfig, type NumericSetting, type StudioConfig } from './config';
import type { LibraryListing } from './library';
import { legacyJsonStorage, savedField } from './persist-storage';
import type { ChartSeries } from './series';

/**
 * The studio's state, as the panels read it. Worker messages change it through the reducers
 * (reducers.ts, dispatched by worker-messages.ts); the user changes it through the actions
 * (*-actions.ts). What the page needs to talk to the worker lives in worker-session.ts.
 */

export type RunKind = 'teacher' | 'distill' | 'sweep';

/** Cleared epochs are always this one array: clearing what is already clear redraws no chart. */
export const NO_EPOCHS: DistillEpoch[] = [];

export interface RunState {
  id: number;
  kind: RunKind;
  status: 'running' | 'paused' | 'stopping';
  /** A teacher run: the teacher it will become, as an experiment names it. */
  teacher?: TeacherDescriptor;
  /** A distillation: the experiment as it was when Distill was pressed (settings may change while it runs). */
  experiment?: ExperimentConfig | null;
  /** Train ensemble: how many teachers it trains, and those done so far (they replace the members only if the run ends well). */
  ensemble?: { size: number; trained: TeacherResult[] };
}

/** Computing an uploaded teacher's outputs on the data set (an ONNX model), with the worker's estimate of the time left. */
export interface TeacherProgress {
  done: number;
  total: number;
  etaSeconds: number | null;
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
  /** A repeated run's seeds finished so far (repeatDone), in order; the finished run's are in results.repeats. */
  repeatRows: RepeatResult[];
  /** A born-again run's generations finished so far (generationDone), in order; the finished run's are in results.generations. */
  generationRows: GenerationResult[];
  /** The loaded data set and teacher as an experiment names them (uploaded files by name). */
  dataDescriptor: DataDescriptor;
  teacherDescriptor: TeacherDescriptor | null;
  /** A data set being loaded or previewed, with its progress; a CSV preview keeps its file here (the worker sends back no Files). */
  dataRequest: { id: number; label: string; done: number; total: number; descriptor?: DataDescriptor; file?: File } | null;
  dataError: string | null;
  csvPreview: { requestId: number; file: File; fileName: string; preview: CsvPreview } | null;
  /** A teacher being loaded from files or from the shipped ones; uploaded files are kept until the answer, for a question to ask again with. */
  teacherRequest: {
    id: number;
    label: string;
    descriptor: TeacherDescriptor;
    files?: File[];
    progress?: TeacherProgress;
  } | null;
  teacherError: string | null;
  /** An uploaded model the worker cannot run before the person picks its input, output or layout: the files wait here (never persisted). */
  teacherQuestion: { files: File[]; fileName: string; question: OnnxQuestion } | null;
  /** The teachers an ensemble would combine, as the worker holds them (each with its test accuracy). */
  ensembleMembers: TeacherResult[];
  /** An add, remove or combine sent to the worker and not answered yet. */
  ensembleRequest: { id: number; label: string } | null;
  /** The worker's word on the last ensemble action (e.g. why it was refused). */
  ensembleMessage: string | null;
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
  lastExport: (Omit<ExportedFiles, 'files'> & { fileNames: string[] }) | null;
  /** A fault the studio recovered from (a backend that failed mid-run, a worker restarted): what happened and what was done. Shown until the next run or dismissed. */
  incident: string | null;
  /** Seconds the worker has not answered the page's heartbeat, when that is long (null: it answers). */
  workerSilent: number | null;
}

export const INITIAL_STUDIO: Omit<StudioState, 'config'> = {
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
  repeatRows: [],
  generationRows: [],
  teacherLoss: [],
  distillLoss: [],
  dataDescriptor: { kind: 'mnist' },
  teacherDescriptor: null,
  dataRequest: null,
  dataError: null,
  csvPreview: null,
  teacherRequest: null,
  teacherError: null,
  teacherQuestion: null,
  ensembleMembers: [],
  ensembleRequest: null,
  ensembleMessage: null,
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

export const CONFIG_KEY = 'distill-studio-config';

/** The settings from the last visit, over the defaults (a missing or damaged entry gives the defaults). */
export function restoreSavedConfig(saved: Record<string, unknown>): { config: StudioConfig } {
  try {
    return { config: restoreConfig(savedField(saved, 'config')) };
  } catch {
    return { config: DEFAULT_CONFIG };
  }
}

// Only the settings persist: the rest is this visit's.
export const useStudio = create<StudioState>()(
  persist(() => ({ ...INITIAL_STUDIO, config: DEFAULT_CONFIG }), {
    name: CONFIG_KEY,
    storage: legacyJsonStorage<{ config: StudioConfig }>('config', restoreSavedConfig),
    partialize: (s) => ({ config: s.config }),
  }),
);
