import { describe, expect, it } from 'vitest';
import { bucketMean } from './downsample';

describe('bucketMean', () => {
  it('returns short series unchanged', () => {
    const pts = [{ step: 1, loss: 2 }];
    expect(bucketMean(pts, 5)).toEqual(pts);
  });

  it('averages buckets so that the result has at most max points', () => {
    const pts = [...Array(10)].map((_, i) => ({ step: i + 1, loss: i * 2 }));
    const out = bucketMean(pts, 5);
    expect(out).toEqual([
      { step: 1.5, loss: 1 },
      { step: 3.5, loss: 5 },
      { step: 5.5, loss: 9 },
      { step: 7.5, loss: 13 },
      { step: 9.5, loss: 17 },
    ]);
  });

  it('covers every point exactly once with uneven buckets', () => {
    const pts = [...Array(1001)].map((_, i) => ({ v: 1, i }));
    const out = bucketMean(pts, 300);
    expect(out).toHaveLength(300);
    expect(out.every((p) => p.v === 1)).toBe(true);
    expect(out[0].i).toBeLessThan(out[299].i);
  });
});
