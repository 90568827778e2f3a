import type { DistillLossPoint, TeacherLossPoint } from '../core/trainer';
import { bucketMean } from './downsample';

/** Points charts draw at most; the full series stays in these buffers, outside React. */
export const MAX_CHART_POINTS = 150;

/** Redrawing the charts costs tens of milliseconds: four times a second reads as live and keeps the page responsive. */
export const CHART_COMMIT_MS = 250;

/** Waits CHART_COMMIT_MS, then for the next frame. */
export function throttledFrame(cb: () => void): void {
  setTimeout(() => requestAnimationFrame(cb), CHART_COMMIT_MS);
}

export interface ChartSeries {
  teacherLoss: TeacherLossPoint[];
  distillLoss: DistillLossPoint[];
}

/**
 * Collects loss points as they stream in and hands a downsampled copy to `commit` once per
 * `schedule` tick, so a burst of messages costs one render.
 */
export function createSeriesBuffer(commit: (series: ChartSeries) => void, schedule: (cb: () => void) => void = throttledFrame) {
  let teacher: TeacherLossPoint[] = [];
  let distill: DistillLossPoint[] = [];
  // A series that did not change is committed as the same array, so that its chart does not redraw.
  let shown: ChartSeries = { teacherLoss: [], distillLoss: [] };
  let teacherChanged = false;
  let distillChanged = false;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    shown = {
      teacherLoss: teacherChanged ? bucketMean(teacher, MAX_CHART_POINTS) : shown.teacherLoss,
      distillLoss: distillChanged ? bucketMean(distill, MAX_CHART_POINTS) : shown.distillLoss,
    };
    teacherChanged = distillChanged = false;
    commit(shown);
  };
  const request = () => {
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };
  return {
    addTeacher(points: TeacherLossPoint[]) {
      teacher.push(...points);
      teacherChanged = true;
      request();
    },
    addDistill(points: DistillLossPoint[]) {
      distill.push(...points);
      distillChanged = true;
      request();
    },
    resetTeacher() {
      teacherChanged ||= teacher.length > 0 || shown.teacherLoss.length > 0;
      teacher = [];
      request();
    },
    resetDistill() {
      distillChanged ||= distill.length > 0 || shown.distillLoss.length > 0;
      distill = [];
      request();
    },
    /** What the chart will show once the next commit lands: a finished run is kept before that. */
    distillSnapshot(): DistillLossPoint[] {
      return bucketMean(distill, MAX_CHART_POINTS);
    },
  };
}
