import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../core/data/types';
import type { DistillResults } from '../worker/protocol';
import { DEFAULT_CONFIG, distillRunConfig } from './config';
import { CELL_PAGE, openCell, requestThumbnails, showMoreOfCell, useGallery } from './gallery-store';
import { useStudio } from './store';
import { fakeWorkerClient } from './test-worker-client';
import { studioBus, useWorkerSession } from './worker-session';

const dataset: DatasetSummary = {
  name: 'tiny',
  family: 'toy-blobs',
  numFeatures: 2,
  numClasses: 3,
  classNames: ['a', 'b', 'c'],
  trainCount: 0,
  testCount: 9,
};

let asked: number[] = [];
let nextId = 0;
const client = fakeWorkerClient({
  getExample: (index) => {
    asked.push(index);
    return ++nextId;
  },
});

const model = { testAccuracy: 1, agreement: 1, params: 1, bytes: 4, latencyMsPerSample: null, description: 'm' };
const results: DistillResults = {
  teacher: { ...model, source: 'trained', exportable: true, hintLayers: null },
  distilled: model,
  scratch: model,
  config: distillRunConfig(DEFAULT_CONFIG, 'preset'),
};

const example = (requestId: number, index: number) => ({
  type: 'example' as const,
  requestId,
  index,
  features: Float32Array.from([index, 1]),
  label: 0,
});

beforeEach(() => {
  asked = [];
  nextId = 0;
  useStudio.setState({ dataset, results: null });
  useGallery.setState({ cell: null, cellShown: CELL_PAGE, thumbnails: new Map(), pending: new Map() });
  useWorkerSession.setState({ client });
});
afterEach(() => useWorkerSession.setState({ client: null }));

describe('gallery store', () => {
  it('asks the worker once per test row and keeps the features of its own answers only', () => {
    requestThumbnails([4, 7]);
    requestThumbnails([7, 2]); // 7 is already on its way
    expect(asked).toEqual([4, 7, 2]);
    expect(useGallery.getState().thumbnails.get(4)).toEqual({ state: 'loading' });

    studioBus().emit('example', example(99, 4)); // another store's request
    expect(useGallery.getState().thumbnails.get(4)).toEqual({ state: 'loading' });
    studioBus().emit('example', example(1, 4));
    studioBus().emit('exampleFailed', { type: 'exampleFailed', requestId: 3, index: 2, message: 'No such row.' });
    const { thumbnails, pending } = useGallery.getState();
    const four = thumbnails.get(4);
    expect(four?.state === 'ready' && Array.from(four.example.features)).toEqual([4, 1]);
    expect(thumbnails.get(2)).toEqual({ state: 'failed', message: 'No such row.' });
    expect([...pending.values()]).toEqual([7]);

    requestThumbnails([4]);
    expect(asked).toEqual([4, 7, 2]); // fetched rows are kept
  });

  it('says so when the worker has not started', () => {
    useWorkerSession.setState({ client: null });
    requestThumbnails([0]);
    expect(useGallery.getState().thumbnails.get(0)).toEqual({ state: 'failed', message: 'The training worker has not started.' });
  });

  it('closes the cell and its pages with a new run, and forgets the rows with a new data set', () => {
    requestThumbnails([1]);
    studioBus().emit('example', example(1, 1));
    openCell({ model: 'distilled', trueClass: 2, predicted: 0 });
    showMoreOfCell();
    expect(useGallery.getState()).toMatchObject({ cell: { model: 'distilled', trueClass: 2, predicted: 0 }, cellShown: 2 * CELL_PAGE });

    useStudio.setState({ results });
    expect(useGallery.getState()).toMatchObject({ cell: null, cellShown: CELL_PAGE });
    expect(useGallery.getState().thumbnails.size).toBe(1);

    useStudio.setState({ dataset: { ...dataset, name: 'other' } });
    expect(useGallery.getState().thumbnails.size).toBe(0);
  });
});
