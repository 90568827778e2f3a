import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { SweepRunResult } from '../core/sweep';
import { useSweep } from '../state/sweep-store';
import { cellIntervals, SweepHeatmap } from './SweepHeatmap';

vi.mock('zustand', async (original) => (await import('./test-live-stores')).liveZustand(await original()));

const run = (temperature: number, seed: number, distilled: number, scratch: number): SweepRunResult => ({
  studentPreset: 'mlp-64',
  temperature,
  alpha: 0.9,
  seed,
  distilled,
  scratch,
  teacher: 0.98,
});

// T = 1: gains +1, +2, +2 points (interval +0.23 to +3.10: excludes 0); T = 4: +1, −1 (straddles 0); T = 8: one seed.
const RESULTS = [
  run(1, 1, 0.95, 0.94),
  run(1, 2, 0.96, 0.94),
  run(1, 3, 0.97, 0.95),
  run(4, 1, 0.95, 0.94),
  run(4, 2, 0.94, 0.95),
  run(8, 1, 0.95, 0.94),
];

describe('sweep heatmap intervals', () => {
  it('a cell with two seeds or more gets the paired 95% interval, one seed none', () => {
    const intervals = cellIntervals(RESULTS);
    expect(intervals.get('mlp-64|1|0.9')?.low).toBeCloseTo(0.00232, 4);
    expect(intervals.get('mlp-64|1|0.9')?.high).toBeCloseTo(0.03101, 4);
    expect(intervals.get('mlp-64|4|0.9')?.low).toBeLessThan(0);
    expect(intervals.get('mlp-64|8|0.9')).toBeNull();
  });

  it('marks, and says to screen readers, only the cells whose interval excludes 0', () => {
    useSweep.setState({
      sweep: {
        runId: 1,
        spec: { temperatures: [1, 4, 8], alphas: [0.9], studentPresets: ['mlp-64'], seeds: [1, 2, 3] },
        context: 'test',
        results: RESULTS,
        progress: null,
        status: 'finished',
      },
    });
    const html = renderToStaticMarkup(<SweepHeatmap />);
    expect(html).toContain('[+0.23, +3.10]');
    expect(html.match(/the interval excludes 0/g)).toHaveLength(1);
    expect(html.match(/data-excludes-zero="false"/g)).toHaveLength(1);
    expect(html.match(/★/g)).toHaveLength(2); // the marked cell and the legend
  });

  it('puts a sweep over soft targets side by side within its alpha, each cell with its own results', () => {
    const ablated = (softTargets: 'teacher' | 'shuffled' | 'smoothed', distilled: number) => ({
      ...run(4, 1, distilled, 0.94),
      softTargets,
    });
    useSweep.setState({
      sweep: {
        runId: 2,
        spec: {
          temperatures: [4],
          alphas: [0.9],
          studentPresets: ['mlp-64'],
          seeds: [1],
          softTargets: ['teacher', 'shuffled', 'smoothed'],
        },
        context: 'test',
        results: [ablated('teacher', 0.95), ablated('shuffled', 0.93)],
        progress: null,
        status: 'cancelled',
      },
    });
    const html = renderToStaticMarkup(<SweepHeatmap />);
    const headers = [...html.matchAll(/<th scope="col">(.*?)<\/th>/g)].map((m) => m[1].replace(/<!-- -->/g, ''));
    expect(headers).toEqual([
      'Temperature \\ alpha',
      'α = 0.9, Teacher&#x27;s',
      'α = 0.9, Shuffled non-target classes',
      'α = 0.9, Label smoothing',
    ]);
    const cells = [...html.matchAll(/<td[^>]*data-state="([a-z-]+)"[^>]*>(.*?)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(cells).toEqual([
      ['done', '+1.00'],
      ['done', '−1.00'],
      ['not-run', 'not run'],
    ]);
    expect(html).toContain('Sweep cancelled after 2 of 3 runs');
  });
});
