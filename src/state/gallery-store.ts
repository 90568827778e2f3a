import { create } from 'zustand';
import type { FromWorker } from '../worker/protocol';
import type { ModelKey } from './analysis';
import type { ExplorerExample } from './explorer-store';
import { useStudio } from './store';
import { requestExample, studioBus } from './worker-session';

/** One confusion-matrix cell of one model: the test rows of true class `trueClass` it predicts as `predicted`. */
export interface GalleryCell {
  model: ModelKey;
  trueClass: number;
  predicted: number;
}

/** A test row as a gallery shows it: its features once the worker has sent them. */
export type Thumbnail = { state: 'loading' } | { state: 'ready'; example: ExplorerExample } | { state: 'failed'; message: string };

export interface GalleryState {
  /** The cell whose examples are shown; null when no cell is open. */
  cell: GalleryCell | null;
  /** How many of the open cell's examples are shown. */
  cellShown: number;
  /** How many of the largest disagreements are shown. */
  disagreementsShown: number;
  /** By test row; kept while the data set stays, since a test row does not change with the run. */
  thumbnails: ReadonlyMap<number, Thumbnail>;
  /** getExample request id → test row: answers to other stores' requests are not ours. */
  pending: ReadonlyMap<number, number>;
}

/** Enough to see what a cell's mistakes have in common, without fetching hundreds of rows from the worker. */
export const CELL_PAGE = 24;
export const DISAGREEMENT_PAGE = 12;

const FIRST_VIEW = { cell: null, cellShown: CELL_PAGE, disagreementsShown: DISAGREEMENT_PAGE } as const;

export const useGallery = create<GalleryState>()(() => ({ ...FIRST_VIEW, thumbnails: new Map(), pending: new Map() }));

const set = useGallery.setState;
const get = useGallery.getState;

// A new run's matrices are other matrices: the open cell and the pages go. A new data set has other test rows.
useStudio.subscribe((s, prev) => {
  if (s.dataset !== prev.dataset) set({ ...FIRST_VIEW, thumbnails: new Map(), pending: new Map() });
  else if (s.results !== prev.results) set(FIRST_VIEW);
});

type ExampleMessage = Extract<FromWorker, { type: 'example' | 'exampleFailed' }>;

function exampleMessage(msg: ExampleMessage): void {
  const { pending, thumbnails } = get();
  const index = pending.get(msg.requestId);
  if (index === undefined) return;
  const stillPending = new Map(pending);
  stillPending.delete(msg.requestId);
  const next = new Map(thumbnails);
  if (msg.type === 'exampleFailed') next.set(index, { state: 'failed', message: msg.message });
  else {
    const { features, label, featureNames, scaling } = msg;
    next.set(index, { state: 'ready', example: { index, features, label, featureNames, scaling } });
  }
  set({ pending: stillPending, thumbnails: next });
}

studioBus().on('example', exampleMessage);
studioBus().on('exampleFailed', exampleMessage);

/** Asks the worker for the rows not yet fetched (or being fetched). */
export function requestThumbnails(indices: readonly number[]): void {
  const { thumbnails, pending } = get();
  const missing = indices.filter((i) => !thumbnails.has(i));
  if (missing.length === 0) return;
  const nextThumbnails = new Map(thumbnails);
  const nextPending = new Map(pending);
  for (const index of missing) {
    const requestId = requestExample(index);
    if (requestId === null) nextThumbnails.set(index, { state: 'failed', message: 'The training worker has not started.' });
    else {
      nextThumbnails.set(index, { state: 'loading' });
      nextPending.set(requestId, index);
    }
  }
  set({ thumbnails: nextThumbnails, pending: nextPending });
}

export function openCell(cell: GalleryCell): void {
  set({ cell, cellShown: CELL_PAGE });
}

export function closeCell(): void {
  set({ cell: null });
}

export function showMoreOfCell(): void {
  set({ cellShown: get().cellShown + CELL_PAGE });
}

export function showMoreDisagreements(): void {
  set({ disagreementsShown: get().disagreementsShown + DISAGREEMENT_PAGE });
}
