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
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    commit({ teacherLoss: bucketMean(teacher, MAX_CHART_POINTS), distillLoss: bucketMean(distill, MAX_CHART_POINTS) });
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
      request();
    },
    addDistill(points: DistillLossPoint[]) {
      distill.push(...points);
      request();
    },
    resetTeacher() {
      teacher = [];
      request();
    },
    resetDistill() {
      distill = [];
      request();
    },
    /** What the chart will show once the next commit lands: a finished run is kept before that. */
    distillSnapshot(): DistillLossPoint[] {
      return bucketMean(distill, MAX_CHART_POINTS);
    },
  };
}
