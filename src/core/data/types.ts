/** One split of a classification data set, features flattened row-major. */
export interface DataSplit {
  /** n × numFeatures values, row after row, already scaled for the model (MNIST: 0..1). */
  x: Float32Array;
  /** n class indices in 0..numClasses-1. */
  y: Int32Array;
  n: number;
}

export interface Dataset {
  name: string;
  numFeatures: number;
  numClasses: number;
  classNames: string[];
  /** Height, width, channels when the features are an image (lets CNNs reshape them). */
  imageShape?: [number, number, number];
  train: DataSplit;
  test: DataSplit;
}

export interface DatasetSummary {
  name: string;
  numFeatures: number;
  numClasses: number;
  classNames: string[];
  imageShape?: [number, number, number];
  trainCount: number;
  testCount: number;
}

export function summarizeDataset(d: Dataset): DatasetSummary {
  return {
    name: d.name,
    numFeatures: d.numFeatures,
    numClasses: d.numClasses,
    classNames: d.classNames,
    imageShape: d.imageShape,
    trainCount: d.train.n,
    testCount: d.test.n,
  };
}
