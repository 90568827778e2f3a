import { create } from 'zustand';
import type { BoundaryBox, GridPrediction } from '../core/boundary';
import type { BoundaryPoints, FromWorker } from '../worker/protocol';
import { studioBus } from './worker-session';

export type BoundaryMessage = Extract<FromWorker, { type: 'teacherBoundary' | 'boundaries' }>;

export interface StudentBoundary {
  prediction: GridPrediction;
  epoch: number;
  epochs: number;
}

/** The latest decision boundaries on 2-D data. Grids are replaced whole, never edited, so a change of reference means a repaint. */
export interface BoundaryState {
  grid: { box: BoundaryBox; size: number } | null;
  points: BoundaryPoints | null;
  teacher: GridPrediction | null;
  distilled: StudentBoundary | null;
  scratch: StudentBoundary | null;
}

const empty: BoundaryState = { grid: null, points: null, teacher: null, distilled: null, scratch: null };

export const useBoundaries = create<BoundaryState>()(() => empty);

export function boundaryMessage(msg: BoundaryMessage): void {
  switch (msg.type) {
    case 'teacherBoundary':
      // A new teacher: students drawn against the old one no longer belong next to it.
      useBoundaries.setState({
        grid: { box: msg.box, size: msg.size },
        points: msg.points,
        teacher: msg.teacher,
        distilled: null,
        scratch: null,
      });
      break;
    case 'boundaries':
      useBoundaries.setState((s) => ({
        grid: s.grid?.size === msg.size && sameBox(s.grid.box, msg.box) ? s.grid : { box: msg.box, size: msg.size },
        teacher: msg.teacher ?? s.teacher,
        distilled: { prediction: msg.distilled, epoch: msg.epoch, epochs: msg.epochs },
        scratch: { prediction: msg.scratch, epoch: msg.epoch, epochs: msg.epochs },
      }));
      break;
  }
}

/** A new data set: its boundaries come with its teacher. */
export function resetBoundaries(): void {
  useBoundaries.setState(empty);
}

studioBus().on('teacherBoundary', boundaryMessage);
studioBus().on('boundaries', boundaryMessage);
studioBus().on('dataLoaded', resetBoundaries);

function sameBox(a: BoundaryBox, b: BoundaryBox): boolean {
  return a.xMin === b.xMin && a.xMax === b.xMax && a.yMin === b.yMin && a.yMax === b.yMax;
}
