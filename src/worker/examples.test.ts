import { afterEach, describe, expect, it } from 'vitest';
import type { Dataset } from '../core/data/types';
import { testExample } from './examples';
import { session } from './session';

const dataset: Dataset = {
  name: 'tiny',
  numFeatures: 2,
  numClasses: 2,
  classNames: ['a', 'b'],
  featureNames: ['x', 'y'],
  scaling: { kind: 'standardise', offset: [1, 2], scale: [3, 4] },
  train: { x: new Float32Array(0), y: new Int32Array(0), n: 0 },
  test: { x: Float32Array.from([1, 2, 3, 4, 5, 6]), y: Int32Array.from([0, 1, 1]), n: 3 },
};

describe('testExample', () => {
  afterEach(() => {
    session.dataset = null;
  });

  it('sends a copy of one test row with its label, names and scaling', () => {
    session.dataset = dataset;
    const answer = testExample(7, 1);
    expect(answer).toMatchObject({ type: 'example', requestId: 7, index: 1, label: 1, featureNames: ['x', 'y'], scaling: dataset.scaling });
    if (answer.type !== 'example') throw new Error('expected an example');
    expect(Array.from(answer.features)).toEqual([3, 4]);
    // Its own buffer: transferring it must not detach the data set.
    expect(answer.features.buffer).not.toBe(dataset.test.x.buffer);
  });

  it('says why when there is no such row or no data set', () => {
    session.dataset = dataset;
    expect(testExample(1, 3)).toEqual({
      type: 'exampleFailed',
      requestId: 1,
      index: 3,
      message: 'There is no test example 4: the test set has 3.',
    });
    expect(testExample(2, -1).type).toBe('exampleFailed');
    session.dataset = null;
    expect(testExample(3, 0)).toEqual({ type: 'exampleFailed', requestId: 3, index: 0, message: 'The data set is not loaded yet.' });
  });
});
