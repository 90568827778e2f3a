import { boundaryGrid, MAX_BOUNDARY_CLASSES, predictGrid, type BoundaryGrid } from '../core/boundary';
import type { Dataset } from '../core/data/types';
import type { TeacherModel } from '../core/teacher-model';
import type { BoundaryPoints, FromWorker } from './protocol';
import { session } from './session';

type Post = (msg: FromWorker) => void;

/** More points than this hide the boundary under them, and only make the message bigger. */
export const MAX_BOUNDARY_POINTS = 2000;
/** Fast epochs would otherwise send grids faster than the page can usefully repaint them. */
const MIN_INTERVAL_MS = 250;

export function hasBoundaries(dataset: Dataset): boolean {
  return dataset.numFeatures === 2 && !dataset.imageShape && dataset.numClasses <= MAX_BOUNDARY_CLASSES;
}

// One grid per data set: the teacher's and every run's boundaries are drawn over the same cells.
const grids = new WeakMap<Dataset, BoundaryGrid>();
function gridOf(dataset: Dataset): BoundaryGrid {
  let grid = grids.get(dataset);
  if (!grid) {
    grid = boundaryGrid(dataset.train.x, dataset.train.n);
    grids.set(dataset, grid);
  }
  return grid;
}

/** The training points, evenly thinned to at most `max`. */
export function boundaryPoints(dataset: Dataset, max = MAX_BOUNDARY_POINTS): BoundaryPoints {
  const { x, y, n } = dataset.train;
  const count = Math.min(n, max);
  const points: BoundaryPoints = { x: new Float32Array(count * 2), labels: new Uint8Array(count) };
  for (let i = 0; i < count; i++) {
    const row = Math.floor((i * n) / count);
    points.x[i * 2] = x[row * 2];
    points.x[i * 2 + 1] = x[row * 2 + 1];
    points.labels[i] = y[row];
  }
  return points;
}

/**
 * The current teacher's boundary and the points to draw over it, on 2-D data. A failure here only
 * costs the picture, so it is logged rather than failing the teacher load that came before it.
 */
export async function postTeacherBoundary(post: Post): Promise<void> {
  const { dataset, teacher } = session;
  if (!dataset || !teacher || !hasBoundaries(dataset)) return;
  try {
    const grid = gridOf(dataset);
    const prediction = await predictGrid(teacher.model, grid.points, grid.size);
    post({ type: 'teacherBoundary', box: grid.box, size: grid.size, teacher: prediction, points: boundaryPoints(dataset) });
  } catch (e) {
    console.warn('Could not compute the teacher decision boundary:', e);
  }
}

/** Resolves to `loaded`'s result once the new teacher's boundary is posted. */
export async function withTeacherBoundary<T>(loaded: Promise<T>, post: Post): Promise<T> {
  const result = await loaded;
  await postTeacherBoundary(post);
  return result;
}

/**
 * For a distillation on 2-D data: a function to call after each epoch (0 = before training) that
 * posts both students' boundaries, at most every MIN_INTERVAL_MS except for the first and last
 * epochs. The teacher is frozen, so its grid goes with the first message only. Undefined otherwise.
 */
export function boundaryTracker(
  runId: number,
  dataset: Dataset,
  models: { teacher: TeacherModel; distilled: TeacherModel; scratch: TeacherModel },
  epochs: number,
  post: Post,
  now: () => number = () => performance.now(),
): ((epoch: number) => Promise<void>) | undefined {
  if (!hasBoundaries(dataset)) return undefined;
  const { box, size, points } = gridOf(dataset);
  let last = -Infinity;
  let teacherSent = false;
  return async (epoch) => {
    if (epoch !== 0 && epoch !== epochs && now() - last < MIN_INTERVAL_MS) return;
    last = now();
    const teacher = teacherSent ? undefined : await predictGrid(models.teacher, points, size);
    const distilled = await predictGrid(models.distilled, points, size);
    const scratch = await predictGrid(models.scratch, points, size);
    teacherSent = true;
    post({ type: 'boundaries', runId, epoch, epochs, box, size, ...(teacher && { teacher }), distilled, scratch });
  };
}
