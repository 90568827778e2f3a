import { describe, expect, it } from 'vitest';
import type { FeatureScaling } from '../core/data/types';
import type { DistillEpoch } from '../core/trainer';
import { fakeWorkerClient } from './test-worker-client';
import type { Dropped, TryItLogits } from '../worker/protocol';
import { unscaleFeatures } from '../core/analysis/explorer';
import { imageRow, pixelUnit, scaleRow, tryItMode } from './try-it-input';
import { clearTryIt, ensureTryIt, reduceTryIt, TRY_IT_EMPTY, tryInput, useTryIt, type TryItState } from './try-it-store';
import { studioBus, useWorkerSession } from './worker-session';

const epoch = (n: number): DistillEpoch => ({
  epoch: n,
  teacherAccuracy: 1,
  distilledAccuracy: 0.9,
  scratchAccuracy: 0.8,
  distilledAgreement: 0.9,
  scratchAgreement: 0.8,
  distilledKL: 0.1,
  scratchKL: 0.2,
});
const NOTHING: Dropped = { teacher: false, students: false, uploadedStudent: false };
const scaling: FeatureScaling = { kind: 'standardise', offset: [1, 10], scale: [2, 5] };
const logits: TryItLogits = { teacher: Float32Array.from([2, 1]), distilled: null, scratch: null };
const example = {
  type: 'example' as const,
  requestId: 4,
  index: 7,
  features: Float32Array.from([0.5, -1]),
  label: 1,
  featureNames: ['a', 'b'],
  scaling,
};
const withInput: TryItState = { ...TRY_IT_EMPTY, input: { features: Float32Array.from([1, 2]), source: { kind: 'drawing' } }, logits };

describe('Try it, as a pure function of (state, message)', () => {
  it('takes only the test example it asked for as the input, learns the columns from it, and asks about it', () => {
    const waiting = { ...TRY_IT_EMPTY, examplePending: 4 };
    const step = reduceTryIt(waiting, example);
    expect(step.predict).toBe(true);
    expect(step.patch).toMatchObject({
      examplePending: null,
      error: null,
      input: { features: example.features, source: { kind: 'example', index: 7, label: 1 } },
      columns: { featureNames: ['a', 'b'], scaling, pixelUnit: 255 },
    }); // unscaled, the row reads 2, 5: not 0..1
    // The explorer's answers travel on the same bus: not ours.
    expect(reduceTryIt(waiting, { ...example, requestId: 3 })).toEqual({ patch: null, predict: false });
    expect(reduceTryIt(waiting, { type: 'exampleFailed', requestId: 4, index: 7, message: 'no such row' })).toEqual({
      patch: { examplePending: null, error: 'no such row' },
      predict: false,
    });
    expect(reduceTryIt(waiting, { type: 'exampleFailed', requestId: 5, index: 7, message: 'no such row' }).patch).toBeNull();
  });

  it('shows the answer to the latest question only', () => {
    const asked = { ...withInput, pending: 9, logits: null };
    expect(reduceTryIt(asked, { type: 'predictions', requestId: 8, logits }).patch).toBeNull();
    expect(reduceTryIt(asked, { type: 'predictions', requestId: 9, logits })).toEqual({
      patch: { pending: null, error: null, logits, answers: 1 },
      predict: false,
    });
    expect(reduceTryIt(asked, { type: 'predictFailed', requestId: 9, message: 'bad row' })).toEqual({
      patch: { pending: null, error: 'bad row' },
      predict: false,
    });
    expect(reduceTryIt(asked, { type: 'predictFailed', requestId: 2, message: 'bad row' }).patch).toBeNull();
  });

  it('asks again whenever the models change, after every epoch too, but only when there is an input', () => {
    const changes = [
      {
        type: 'teacherLoaded',
        requestId: 1,
        teacher: {
          testAccuracy: 1,
          agreement: 1,
          params: 1,
          bytes: 1,
          latencyMsPerSample: null,
          description: 'd',
          source: 'shipped',
          exportable: true,
          hintLayers: null,
        },
        dropped: NOTHING,
      },
      { type: 'stopped', runId: 3 },
      { type: 'error', runId: 3, message: 'broke' },
    ] as const;
    for (const msg of changes) {
      expect(reduceTryIt(withInput, msg)).toEqual({ patch: null, predict: true });
      expect(reduceTryIt(TRY_IT_EMPTY, msg)).toEqual({ patch: null, predict: false });
    }
    expect(reduceTryIt(withInput, { type: 'distillEpoch', runId: 3, summary: epoch(1) })).toEqual({ patch: null, predict: true });
  });

  it('forgets everything with a new data set or a new worker', () => {
    const mnist = { name: 'MNIST', family: 'mnist', numFeatures: 784, numClasses: 10, classNames: [], trainCount: 1, testCount: 1 };
    expect(reduceTryIt(withInput, { type: 'dataLoaded', requestId: 1, dataset: mnist, dropped: NOTHING })).toEqual({
      patch: TRY_IT_EMPTY,
      predict: false,
    });
    expect(
      reduceTryIt(withInput, { type: 'ready', backend: { name: 'cpu', reason: 'r', detail: 'hardware', attempts: [] }, dataset: mnist }),
    ).toEqual({ patch: TRY_IT_EMPTY, predict: false });
  });
});

describe('Try it on the bus', () => {
  it('asks for the first test example, then its predictions, then again after an epoch; the table follows the latest answer', () => {
    const sent: string[] = [];
    let id = 100;
    const client = fakeWorkerClient({
      getExample: (index) => {
        sent.push(`getExample ${index}`);
        return ++id;
      },
      predict: (features) => {
        sent.push(`predict ${Array.from(features).join(',')}`);
        return ++id;
      },
    });
    useWorkerSession.setState({ client });
    useTryIt.setState(TRY_IT_EMPTY);
    const bus = studioBus();

    ensureTryIt();
    ensureTryIt(); // already waiting: not asked twice
    expect(sent).toEqual(['getExample 0']);
    bus.emit('example', { ...example, requestId: 101 });
    expect(sent.at(-1)).toBe('predict 0.5,-1');
    bus.emit('predictions', { type: 'predictions', requestId: 102, logits });
    expect(useTryIt.getState()).toMatchObject({ pending: null, logits, answers: 1 });

    bus.emit('distillEpoch', { type: 'distillEpoch', runId: 1, summary: epoch(1) });
    expect(sent.at(-1)).toBe('predict 0.5,-1');
    expect(useTryIt.getState().pending).toBe(103);

    tryInput({ features: Float32Array.from([3, 4]), source: { kind: 'point' } });
    expect(sent.at(-1)).toBe('predict 3,4');
    bus.emit('predictions', { type: 'predictions', requestId: 103, logits: { ...logits, distilled: logits.teacher } });
    expect(useTryIt.getState().pending).toBe(104); // the older answer was dropped

    clearTryIt();
    bus.emit('distillEpoch', { type: 'distillEpoch', runId: 1, summary: epoch(2) });
    expect(sent).toHaveLength(4); // nothing to ask about
    expect(useTryIt.getState()).toMatchObject({ input: null, logits: null });
    useWorkerSession.setState({ client: null });
  });
});

describe('Try it inputs', () => {
  it('picks the way to give an input from the data set', () => {
    expect(tryItMode({ family: 'mnist', numFeatures: 784, imageShape: [28, 28, 1] })).toBe('draw');
    expect(tryItMode({ family: 'upload', numFeatures: 48, imageShape: [4, 4, 3] })).toBe('image');
    expect(tryItMode({ family: 'toy-moons', numFeatures: 2 })).toBe('plane');
    expect(tryItMode({ family: 'iris', numFeatures: 4 })).toBe('row');
  });

  it('scales edited values as the data set was scaled, and back', () => {
    expect(Array.from(scaleRow([3, 20], scaling))).toEqual([1, 2]);
    expect(unscaleFeatures(Float32Array.from([1, 2]), scaling)).toEqual([3, 20]);
    expect(Array.from(scaleRow([3, 20], undefined))).toEqual([3, 20]);
    expect(unscaleFeatures([3, 20], { kind: 'none', offset: [5, 5], scale: [2, 2] })).toEqual([3, 20]);
  });

  it('resizes a picture to the data set’s shape in 0..1, or in the file’s unit and scaling', () => {
    // 2×2 RGBA: white, black / black, white.
    const image = {
      width: 2,
      height: 2,
      data: Uint8ClampedArray.from([255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255]),
    };
    expect(Array.from(imageRow(image, [2, 2, 1], undefined, 1))).toEqual([1, 0, 0, 1].map((v) => expect.closeTo(v, 5)));
    expect(Array.from(imageRow(image, [1, 1, 3], undefined, 1))).toEqual([0.5, 0.5, 0.5].map((v) => expect.closeTo(v, 5)));
    const zeroOne: FeatureScaling = { kind: '0-1', offset: [0, 0, 0, 0], scale: [255, 255, 255, 255] };
    expect(Array.from(imageRow(image, [2, 2, 1], zeroOne, 255))).toEqual([1, 0, 0, 1].map((v) => expect.closeTo(v, 5)));
    expect(() => imageRow(image, [2, 2, 4], undefined, 1)).toThrow('4 channels');
    expect(pixelUnit([0, 0.5, 1])).toBe(1);
    expect(pixelUnit([0, 17, 255])).toBe(255);
  });
});
