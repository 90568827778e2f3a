import { describe, expect, it } from 'vitest';
import { MAX_CHART_POINTS, createSeriesBuffer, type ChartSeries } from './series';

describe('createSeriesBuffer', () => {
  it('commits once per frame however many batches arrive, downsampled', () => {
    const commits: ChartSeries[] = [];
    const frames: Array<() => void> = [];
    const buffer = createSeriesBuffer(
      (s) => commits.push(s),
      (cb) => frames.push(cb),
    );
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
    const buffer = createSeriesBuffer(
      (s) => commits.push(s),
      (cb) => cb(),
    );
    buffer.addTeacher([{ step: 1, loss: 2 }]);
    buffer.addDistill([{ step: 1, total: 1, soft: 1, hard: 1, scratch: 1 }]);
    buffer.resetDistill();
    expect(commits.at(-1)).toEqual({ teacherLoss: [{ step: 1, loss: 2 }], distillLoss: [] });
  });

  it('commits an unchanged series as the same array, so its chart does not redraw', () => {
    const commits: ChartSeries[] = [];
    const frames: Array<() => void> = [];
    const buffer = createSeriesBuffer(
      (c) => commits.push(c),
      (cb) => frames.push(cb),
    );
    buffer.addTeacher([{ step: 1, loss: 2 }]);
    frames.shift()?.();
    buffer.addDistill([{ step: 1, total: 1, soft: 1, hard: 1, scratch: 1 }]);
    frames.shift()?.();
    expect(commits[1].teacherLoss).toBe(commits[0].teacherLoss);
    expect(commits[1].distillLoss).not.toBe(commits[0].distillLoss);
    buffer.resetDistill();
    buffer.resetDistill();
    frames.shift()?.();
    expect(commits[2].distillLoss).toEqual([]);
    expect(commits[2].teacherLoss).toBe(commits[0].teacherLoss);
    buffer.resetDistill();
    frames.shift()?.();
    expect(commits[3].distillLoss).toBe(commits[2].distillLoss);
  });
});
