import { describe, expect, it } from 'vitest';
import { MAX_CHART_POINTS, createSeriesBuffer, type ChartSeries } from './series';

describe('createSeriesBuffer', () => {
  it('commits once per frame however many batches arrive, downsampled', () => {
    const commits: ChartSeries[] = [];
    const frames: Array<() => void> = [];
    const buffer = createSeriesBuffer((s) => commits.push(s), (cb) => frames.push(cb));
    for (let batch = 0; batch < 50; batch++) {
      buffer.addDistill([...Array(20)].map((_, i) => ({ step: batch * 20 + i + 1, total: 1, soft: 1, hard: 1, scratch: 2 })));
    }
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(commits).toHaveLength(1);
    expect(commits[0].distillLoss).toHaveLength(MAX_CHART_POINTS);
    expect(commits[0].distillLoss[0].scratch).toBe(2);
    expect(commits[0].teacherLoss).toEqual([]);
  });

  it('starts a series afresh on reset and keeps the other', () => {
    const commits: ChartSeries[] = [];
    const buffer = createSeriesBuffer((s) => commits.push(s), (cb) => cb());
    buffer.addTeacher([{ step: 1, loss: 2 }]);
    buffer.addDistill([{ step: 1, total: 1, soft: 1, hard: 1, scratch: 1 }]);
    buffer.resetDistill();
    expect(commits.at(-1)).toEqual({ teacherLoss: [{ step: 1, loss: 2 }], distillLoss: [] });
  });
});
