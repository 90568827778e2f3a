/**
 * Teachers shipped with the app (public/models/), trained by scripts/train-teachers.ts with this
 * engine. Plain data: the page lists them without loading tfjs.
 */
export interface ShippedTeacher {
  id: string;
  label: string;
  /** The data-set family it was trained on (DatasetSummary.family). */
  family: string;
  numClasses: number;
  /** Relative to the app's base URL. */
  path: string;
  /** Minutes to evaluate on a software-emulated GPU: not the one to load at start there. */
  heavy?: boolean;
}

export const SHIPPED_TEACHERS: readonly ShippedTeacher[] = [
  {
    id: 'mnist-cnn',
    label: 'MNIST CNN 32-64 (shipped)',
    family: 'mnist',
    numClasses: 10,
    path: 'models/mnist-cnn/model.json',
    heavy: true,
  },
  {
    id: 'mnist-mlp-1200',
    label: 'MNIST MLP 1200-1200 (shipped)',
    family: 'mnist',
    numClasses: 10,
    path: 'models/mnist-mlp-1200/model.json',
  },
  { id: 'iris-mlp', label: 'Iris MLP 32 (shipped)', family: 'iris', numClasses: 3, path: 'models/iris-mlp/model.json' },
  { id: 'spiral-mlp', label: 'Spiral MLP 64-64 (shipped)', family: 'toy-spiral', numClasses: 3, path: 'models/spiral-mlp/model.json' },
  { id: 'moons-mlp', label: 'Two moons MLP 32-32 (shipped)', family: 'toy-moons', numClasses: 2, path: 'models/moons-mlp/model.json' },
  { id: 'circles-mlp', label: 'Circles MLP 32-32 (shipped)', family: 'toy-circles', numClasses: 2, path: 'models/circles-mlp/model.json' },
  { id: 'xor-mlp', label: 'XOR MLP 32-32 (shipped)', family: 'toy-xor', numClasses: 2, path: 'models/xor-mlp/model.json' },
  { id: 'blobs-mlp', label: 'Gaussian blobs MLP 32 (shipped)', family: 'toy-blobs', numClasses: 3, path: 'models/blobs-mlp/model.json' },
];

export function shippedTeachersFor(family: string, numClasses: number): ShippedTeacher[] {
  return SHIPPED_TEACHERS.filter((t) => t.family === family && t.numClasses === numClasses);
}

/** The teacher to load without asking: the first that fits, but a light one when the GPU is emulated in software. */
export function defaultShippedTeacher(family: string, numClasses: number, softwareDevice: boolean): ShippedTeacher | undefined {
  const fits = shippedTeachersFor(family, numClasses);
  return (softwareDevice ? fits.find((t) => !t.heavy) : undefined) ?? fits[0];
}
