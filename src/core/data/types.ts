/** One split of a classification data set, features flattened row-major. */
export interface DataSplit {
  /** n × numFeatures values, row after row, already scaled for the model (MNIST: 0..1). */
  x: Float32Array;
  /** n class indices in 0..numClasses-1. */
  y: Int32Array;
  n: number;
}

/** How features were scaled: stored so that new inputs can be scaled the same way as the training data. */
export type Normalisation = 'none' | '0-1' | 'standardise';

/** x' = (x - offset[j]) / scale[j] for feature j; fitted on the training split only. */
export interface FeatureScaling {
  kind: Normalisation;
  offset: number[];
  scale: number[];
}

export interface Dataset {
  name: string;
  numFeatures: number;
  numClasses: number;
  classNames: string[];
  /** Height, width, channels when the features are an image (lets CNNs reshape them). */
  imageShape?: [number, number, number];
  /** One name per feature column, when the source had names (CSV header, Iris, toy x/y). */
  featureNames?: string[];
  /** The scaling already applied to `x`, when any. */
  scaling?: FeatureScaling;
  train: DataSplit;
  test: DataSplit;
}

export interface DatasetSummary {
  name: string;
  /** 'mnist', 'iris', 'toy-spiral', … or 'upload': lets shipped teachers be matched to the data. */
  family: string;
  numFeatures: number;
  numClasses: number;
  classNames: string[];
  imageShape?: [number, number, number];
  trainCount: number;
  testCount: number;
}

export function summarizeDataset(d: Dataset, family: string): DatasetSummary {
  return {
    name: d.name,
    family,
    numFeatures: d.numFeatures,
    numClasses: d.numClasses,
    classNames: d.classNames,
    imageShape: d.imageShape,
    trainCount: d.train.n,
    testCount: d.test.n,
  };
}
