import type { DistillLossPoint, TeacherLossPoint } from '../core/trainer';
import { bucketMean } from './downsample';

/** Points charts draw at most; the full series stays in these buffers, outside React. */
export const MAX_CHART_POINTS = 300;

export interface ChartSeries {
  teacherLoss: TeacherLossPoint[];
  distillLoss: DistillLossPoint[];
}

/**
 * Collects loss points as they stream in and hands a downsampled copy to `commit` at most once
 * per animation frame, so a burst of messages costs one render.
 */
export function createSeriesBuffer(commit: (series: ChartSeries) => void, schedule: (cb: () => void) => void = requestAnimationFrame) {
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
  };
}
