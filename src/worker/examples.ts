import type { FromWorker } from './protocol';
import { session } from './session';

/** One test row for the explorer: a copy, so that its buffer can be transferred without touching the data set. */
export function testExample(requestId: number, index: number): Extract<FromWorker, { type: 'example' | 'exampleFailed' }> {
  const dataset = session.dataset;
  if (!dataset) return { type: 'exampleFailed', requestId, index, message: 'The data set is not loaded yet.' };
  const { test, numFeatures } = dataset;
  if (!(Number.isInteger(index) && index >= 0 && index < test.n)) {
    return { type: 'exampleFailed', requestId, index, message: `There is no test example ${index + 1}: the test set has ${test.n}.` };
  }
  return {
    type: 'example',
    requestId,
    index,
    features: test.x.slice(index * numFeatures, (index + 1) * numFeatures),
    label: test.y[index],
    featureNames: dataset.featureNames,
    scaling: dataset.scaling,
  };
}
