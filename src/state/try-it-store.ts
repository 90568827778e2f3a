import { create } from 'zustand';
import { unscaleFeatures } from '../core/analysis/explorer';
import type { FeatureScaling } from '../core/data/types';
import type { FromWorker, TryItLogits } from '../worker/protocol';
import type { WorkerEvents } from './bus';
import { pixelUnit } from './try-it-input';
import { studioBus, workerClient } from './worker-session';

/** Where the input the models are given came from. */
export type TryItSource =
  | { kind: 'example'; index: number; label: number }
  | { kind: 'drawing' }
  | { kind: 'point' }
  | { kind: 'row' }
  | { kind: 'image'; name: string };

export interface TryItInput {
  /** One row, scaled as the models see it. */
  features: Float32Array;
  source: TryItSource;
}

/** What the data set's rows mean, learnt from the first test example fetched: to show and edit values as the file had them. */
export interface TryItColumns {
  featureNames?: string[];
  scaling?: FeatureScaling;
  /** A full-bright pixel in the file's unit (image data sets). */
  pixelUnit: 1 | 255;
}

export interface TryItState {
  input: TryItInput | null;
  columns: TryItColumns | null;
  /** The getExample request whose answer becomes the input; older answers are dropped. */
  examplePending: number | null;
  /** The predict request whose answer is awaited; older answers are dropped. */
  pending: number | null;
  /** The latest answer, for the latest input asked about (while `pending`, an older input's). */
  logits: TryItLogits | null;
  /** How many answers have been shown: each one a refresh (an epoch, a new input). */
  answers: number;
  error: string | null;
}

export const TRY_IT_EMPTY: TryItState = {
  input: null,
  columns: null,
  examplePending: null,
  pending: null,
  logits: null,
  answers: 0,
  error: null,
};

/** The worker messages Try it listens to. */
export const TRY_IT_MESSAGES = [
  'example',
  'exampleFailed',
  'predictions',
  'predictFailed',
  'ready',
  'dataLoaded',
  'teacherLoaded',
  'teacherDone',
  'distillEpoch',
  'distillDone',
  'stopped',
  'error',
  'backendChanged',
] as const satisfies readonly FromWorker['type'][];

export type TryItMessage = WorkerEvents[(typeof TRY_IT_MESSAGES)[number]];

/** A message's effect: the patch, and whether the current input must be asked about again. */
export interface TryItStep {
  patch: Partial<TryItState> | null;
  predict: boolean;
}

const NOTHING: TryItStep = { patch: null, predict: false };

/** Try it's answer to each message, as a pure function. */
export function reduceTryIt(state: TryItState, msg: TryItMessage): TryItStep {
  switch (msg.type) {
    case 'example': {
      if (msg.requestId !== state.examplePending) return NOTHING;
      const { featureNames, scaling, features, index, label } = msg;
      return {
        patch: {
          examplePending: null,
          error: null,
          input: { features, source: { kind: 'example', index, label } },
          columns: { featureNames, scaling, pixelUnit: pixelUnit(unscaleFeatures(features, scaling)) },
        },
        predict: true,
      };
    }
    case 'exampleFailed':
      return msg.requestId === state.examplePending ? { patch: { examplePending: null, error: msg.message }, predict: false } : NOTHING;
    case 'predictions':
      return msg.requestId === state.pending
        ? { patch: { pending: null, error: null, logits: msg.logits, answers: state.answers + 1 }, predict: false }
        : NOTHING;
    case 'predictFailed':
      return msg.requestId === state.pending ? { patch: { pending: null, error: msg.message }, predict: false } : NOTHING;
    // A new data set (or a new worker, which starts on MNIST): the old input and answers mean nothing there.
    case 'ready':
    case 'dataLoaded':
      return { patch: TRY_IT_EMPTY, predict: false };
    // The models changed: a new teacher, students one epoch further, a run's end, or a move to another backend.
    case 'teacherLoaded':
    case 'teacherDone':
    case 'distillEpoch':
    case 'distillDone':
    case 'stopped':
    case 'error':
    case 'backendChanged':
      return { patch: null, predict: state.input !== null };
  }
}

export const useTryIt = create<TryItState>()(() => TRY_IT_EMPTY);

const set = useTryIt.setState;
const get = useTryIt.getState;

function askWorker(): void {
  const { input } = get();
  if (!input) return;
  const client = workerClient();
  if (!client) set({ error: 'The training worker has not started.' });
  else set({ pending: client.predict(input.features) });
}

export function applyTryItMessage(msg: TryItMessage): void {
  const { patch, predict } = reduceTryIt(get(), msg);
  if (patch) set(patch);
  if (predict) askWorker();
}

function listen<T extends (typeof TRY_IT_MESSAGES)[number]>(type: T): void {
  studioBus().on(type, applyTryItMessage);
}
for (const type of TRY_IT_MESSAGES) listen(type);

/** Gives the models test row `index` (0-based): its features come from the worker, then the predictions. */
export function tryTestExample(index: number): void {
  const client = workerClient();
  if (!client) {
    set({ error: 'The training worker has not started.' });
    return;
  }
  set({ examplePending: client.getExample(index), error: null });
}

/** Gives the models a row the page made (a drawing, a point, edited values, a picture). */
export function tryInput(input: TryItInput): void {
  set({ input, examplePending: null, error: null });
  askWorker();
}

/** An empty pad: nothing asked, nothing shown, until the next input. */
export function clearTryIt(): void {
  set({ input: null, pending: null, logits: null, error: null });
}

/** Starts on the first test example, so the table has answers before anyone draws or clicks. */
export function ensureTryIt(): void {
  const { input, examplePending } = get();
  if (!input && examplePending === null) tryTestExample(0);
}
