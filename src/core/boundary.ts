import * as tf from '@tensorflow/tfjs';
import type { TeacherModel } from './teacher-model';

/**
 * Decision boundaries of 2-D classifiers: the plane around the data cut into a size × size grid,
 * each cell's centre classified. Rows run top to bottom (y falling), columns left to right, so a
 * canvas can paint the cells in order.
 */

export interface BoundaryBox {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface BoundaryGrid {
  box: BoundaryBox;
  size: number;
  /** size * size rows of (x, y), row-major. */
  points: Float32Array;
}

export interface GridPrediction {
  /** The predicted class of each cell. */
  classes: Uint8Array;
  /** Softmax probability of that class: how sure the model is, for shading. */
  confidence: Float32Array;
}

/** Classes beyond this do not fit the Uint8Array the page receives. */
export const MAX_BOUNDARY_CLASSES = 256;

function span(values: Float32Array, offset: number, n: number, padding: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i * 2 + offset];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [-1, 1]; // no finite values: any window will do
  const range = hi - lo;
  if (range === 0) {
    // A feature that never varies still needs a window wide enough to see a boundary across it.
    const half = 0.5 * Math.max(1, Math.abs(lo));
    return [lo - half, hi + half];
  }
  return [lo - padding * range, hi + padding * range];
}

/** The bounding box of n 2-D points (padded by a fraction of its extent on every side) and the centres of its grid cells. */
export function boundaryGrid(xTrain: Float32Array, n: number, padding = 0.1, size = 64): BoundaryGrid {
  if (!Number.isInteger(size) || size < 1) throw new Error(`The grid size must be a whole number of at least 1, got ${size}.`);
  if (xTrain.length < n * 2) throw new Error(`Expected ${n} rows of 2 features, got ${xTrain.length} values.`);
  const [xMin, xMax] = span(xTrain, 0, n, padding);
  const [yMin, yMax] = span(xTrain, 1, n, padding);
  const points = new Float32Array(size * size * 2);
  const dx = (xMax - xMin) / size;
  const dy = (yMax - yMin) / size;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = (r * size + c) * 2;
      points[i] = xMin + (c + 0.5) * dx;
      points[i + 1] = yMax - (r + 0.5) * dy;
    }
  }
  return { box: { xMin, xMax, yMin, yMax }, size, points };
}

/** Classifies every cell of a grid made by boundaryGrid; the read is asynchronous so a GPU backend is not stalled. */
export async function predictGrid(model: TeacherModel, grid: Float32Array, size: number): Promise<GridPrediction> {
  const cells = size * size;
  if (grid.length !== cells * 2) throw new Error(`A ${size} × ${size} grid has ${cells * 2} values, got ${grid.length}.`);
  const x = tf.tensor2d(grid, [cells, 2]);
  let logits: tf.Tensor2D;
  try {
    logits = await model.logits(x);
  } finally {
    x.dispose();
  }
  let classes: tf.Tensor;
  let confidence: tf.Tensor;
  try {
    if (logits.shape[1] > MAX_BOUNDARY_CLASSES)
      throw new Error(`Decision boundaries support at most ${MAX_BOUNDARY_CLASSES} classes, got ${logits.shape[1]}.`);
    [classes, confidence] = tf.tidy(() => {
      const probs = tf.softmax(logits);
      return [tf.argMax(probs, 1), tf.max(probs, 1)];
    });
  } finally {
    logits.dispose();
  }
  try {
    const [c, p] = await Promise.all([classes.data(), confidence.data()]);
    return { classes: Uint8Array.from(c), confidence: p as Float32Array };
  } finally {
    classes.dispose();
    confidence.dispose();
  }
}
