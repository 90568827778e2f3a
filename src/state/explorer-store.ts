import { create } from 'zustand';
import type { FeatureScaling } from '../core/data/types';
import type { FromWorker } from '../worker/protocol';
import { useStudio } from './store';
import { requestExample, studioBus } from './worker-session';

export interface ExplorerExample {
  index: number;
  /** As the models see them (scaled). */
  features: Float32Array;
  label: number;
  featureNames?: string[];
  scaling?: FeatureScaling;
}

export interface ExplorerState {
  /** The test row shown, 0-based (the page counts from 1). */
  index: number;
  /** The temperature the page re-softmaxes the logits at; starts at the run's T. */
  temperature: number;
  /** The features of `index`, once the worker sent them. */
  example: ExplorerExample | null;
  /** The request whose answer is awaited: older answers are dropped. */
  pending: number | null;
  error: string | null;
}

export const EXPLORER_T_MIN = 0.5;
export const EXPLORER_T_MAX = 20;

export function clampTemperature(t: number): number {
  return Math.min(EXPLORER_T_MAX, Math.max(EXPLORER_T_MIN, t));
}

const runTemperature = () => clampTemperature(useStudio.getState().results?.config.loss.temperature ?? 1);

export const useExplorer = create<ExplorerState>()(() => ({
  index: 0,
  temperature: runTemperature(),
  example: null,
  pending: null,
  error: null,
}));

const set = useExplorer.setState;
const get = useExplorer.getState;

// A new run starts at its own T; a new data set also at its first row, and the old row's features no longer apply.
useStudio.subscribe((s, prev) => {
  if (s.dataset !== prev.dataset) set({ index: 0, example: null, pending: null, error: null });
  if (s.results !== prev.results && s.results) set({ temperature: runTemperature() });
});

type ExampleMessage = Extract<FromWorker, { type: 'example' | 'exampleFailed' }>;

function exampleMessage(msg: ExampleMessage): void {
  if (msg.requestId !== get().pending) return;
  if (msg.type === 'exampleFailed') {
    set({ pending: null, error: msg.message });
    return;
  }
  const { index, features, label, featureNames, scaling } = msg;
  set({ pending: null, error: null, example: { index, features, label, featureNames, scaling } });
}

studioBus().on('example', exampleMessage);
studioBus().on('exampleFailed', exampleMessage);

/** Shows test row `index`: the page's numbers at once, the features when the worker sends them. */
export function showExample(index: number): void {
  const pending = requestExample(index);
  set({ index, pending, error: pending === null ? 'The training worker has not started.' : null });
}

/** Fetches the current row's features when they are missing (first view, or after a change of data set). */
export function ensureExample(): void {
  const { index, example, pending } = get();
  if (pending === null && example?.index !== index) showExample(index);
}

export function setExplorerTemperature(t: number): void {
  set({ temperature: clampTemperature(t) });
}
