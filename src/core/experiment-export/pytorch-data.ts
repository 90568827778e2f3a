import type { DataDescriptor } from '../experiment';
import { PYTHON } from './python-sources';

/**
 * The Python (./python/data_*.py) that loads each kind of data set as the studio prepares it (same split rule, same
 * scaling, same class order), and what it needs imported. Only the chosen kind's code goes into a
 * script, so torchvision and scikit-learn are imported only where the data needs them.
 */
export interface DataCode {
  imports: string[];
  /** Lines of the module docstring about where the data comes from. */
  about: string[];
  /**
   * Defines add_data_arguments(parser) (the data's paths, if any) and load_data(args) -> dict of
   * x_train, y_train, x_test, y_test (numpy; rows of features): files in ./python.
   */
  code: string;
}

/** The studio's default test share for data sets whose descriptor has none (Iris, toy sets). */
export const DEFAULT_TEST_FRACTION = 0.2;

export function dataCode(d: DataDescriptor): DataCode {
  switch (d.kind) {
    case 'mnist':
      return {
        imports: ['import torchvision'],
        about: [
          'Data: MNIST from torchvision (60,000 training and 10,000 test digits). The studio used',
          'MNIST-10k, the first 10,000 training digits split 8,000/2,000 (stratified); --mnist-10k takes',
          'the same number of digits by the same rule (not the same rows), so the accuracies compare.',
        ],
        code: PYTHON.data.mnist,
      };
    case 'iris':
      return {
        imports: ['from sklearn.datasets import load_iris'],
        about: [
          "Data: Fisher's Iris from scikit-learn, a seeded stratified 20% held out for testing, standardised",
          'with training-split statistics, as in the studio.',
        ],
        code: PYTHON.data.iris,
      };
    case 'toy':
      return {
        imports: TOY_SKLEARN[d.toy] ? [`from sklearn.datasets import ${TOY_SKLEARN[d.toy]}`] : [],
        about: [
          "Data: the studio's 2-D toy set, regenerated here with the same parameters (scikit-learn's make_* where it",
          'has one); the points are not the same draws as in the browser.',
        ],
        code: `${PYTHON.toyPoints[d.toy]}\n\n\n${PYTHON.data.toy}`,
      };
    case 'csv':
      return {
        imports: ['import csv', 'import io'],
        about: [
          'Data: the CSV file named in CONFIG["data"] (pass its path with --data), label column and',
          'normalisation as in the studio.',
        ],
        code: PYTHON.data.csv,
      };
    case 'images':
      return {
        imports: ['import os', 'import torchvision', 'from torchvision import transforms'],
        about: [
          'Data: the image archive named in CONFIG["data"], unzipped: pass the folder that holds one sub-folder',
          "per class with --data (torchvision's ImageFolder). Images are resized to the studio's size.",
        ],
        code: PYTHON.data.images,
      };
  }
}

const TOY_SKLEARN: Record<string, string | undefined> = { moons: 'make_moons', circles: 'make_circles', blobs: 'make_blobs' };
