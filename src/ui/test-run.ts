import type { DatasetSummary } from '../core/data/types';
import { DEFAULT_CONFIG, distillRunConfig } from '../state/config';
import type { DistillResults, TestOutputs } from '../worker/protocol';

/**
 * A finished run for the render tests: three classes, four test rows. Predictions (argmax): teacher a b c b;
 * distilled a b a b, so the distilled student is wrong on row 3 only (true c, predicted a), where it also
 * strays furthest from its teacher.
 */
const testOutputs: TestOutputs = {
  numClasses: 3,
  labels: Int32Array.from([0, 1, 2, 1]),
  teacher: Float32Array.from([4, 1, 0, 0, 4, 1, 0, 1, 4, 1, 4, 0]),
  distilled: Float32Array.from([3, 1, 0, 0, 3, 1, 3, 0, 1, 0, 3, 0]),
  scratch: Float32Array.from([2, 1, 0, 1, 2, 0, 0, 1, 2, 2, 1, 0]),
};
const model = { testAccuracy: 1, agreement: 1, params: 1, bytes: 4, latencyMsPerSample: null, description: 'm' };

export const FOUR_ROW_RESULTS: DistillResults = {
  teacher: { ...model, source: 'trained', exportable: true, hintLayers: null },
  distilled: model,
  scratch: model,
  config: distillRunConfig(DEFAULT_CONFIG, 'preset'),
  testOutputs,
};

export const FOUR_ROW_DATASET: DatasetSummary = {
  name: 'tiny',
  family: 'toy-blobs',
  numFeatures: 2,
  numClasses: 3,
  classNames: ['a', 'b', 'c'],
  trainCount: 0,
  testCount: 4,
};
