import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reduceStudio } from '../state/reducers';
import { INITIAL_STUDIO, type StudioState, useStudio } from '../state/store';
import type { DistillResults, FromWorker, RepeatResult } from '../worker/protocol';
import { RepeatsTable, repeatsSentence } from './RepeatsTable';

vi.mock('zustand', async (original) => (await import('./test-live-stores')).liveZustand(await original()));

const SEEDS: RepeatResult[] = [
  { seed: 1, teacher: 0.98, distilled: 0.95, scratch: 0.94 },
  { seed: 2, teacher: 0.98, distilled: 0.96, scratch: 0.94 },
  { seed: 3, teacher: 0.98, distilled: 0.97, scratch: 0.95 },
];

const repeatDone = (index: number, row: RepeatResult): FromWorker => {
  const { seed, ...result } = row;
  return { type: 'repeatDone', runId: 7, index, repeats: 3, seed, result };
};

describe('repeatDone', () => {
  it('collects the seeds in order, a new run starting again at index 0, and clears the curves between seeds but not after the last', () => {
    const epoch = { epoch: 1 } as never;
    let state: StudioState = { ...useStudio.getState(), distillEpochs: [epoch] };
    for (const [i, row] of SEEDS.entries()) {
      const patch = reduceStudio(state, repeatDone(i, row));
      state = { ...state, ...patch };
      if (i < 2) expect(state.distillEpochs).toEqual([]);
      state = { ...state, distillEpochs: [epoch] };
    }
    expect(state.repeatRows).toEqual(SEEDS);
    expect(state.distillEpochs).toEqual([epoch]);
    state = { ...state, ...reduceStudio(state, repeatDone(0, { ...SEEDS[0], seed: 11 })) };
    expect(state.repeatRows.map((r) => r.seed)).toEqual([11]);
  });
});

describe('RepeatsTable', () => {
  beforeEach(() => useStudio.setState({ ...INITIAL_STUDIO }));

  it('is absent for a run of one seed', () => {
    expect(renderToStaticMarkup(<RepeatsTable />)).toBe('');
  });

  it('shows each seed, mean ± sd, and the paired interval with the verdict (hand values: +1.67 ± 0.58, t(0.975, 2) = 4.303)', () => {
    useStudio.setState({ results: { repeats: SEEDS } as DistillResults });
    const html = renderToStaticMarkup(<RepeatsTable />);
    expect(html).toContain('<caption id="repeats-title">Repeats</caption>');
    for (const seed of ['1', '2', '3']) expect(html).toContain(`<th scope="row">${seed}</th>`);
    expect(html).toContain('96.00% ± 1.00');
    expect(html).toContain('+1.67 ± 0.58');
    expect(html).toContain('role="status"');
    expect(html).toContain('95% interval +0.23 to +3.10');
    expect(html).toContain('distillation helped');
  });

  it('during a run, shows the seeds finished so far', () => {
    useStudio.setState({
      run: { kind: 'distill' } as never,
      repeatRows: SEEDS.slice(0, 1),
      results: { repeats: SEEDS } as DistillResults,
    });
    const html = renderToStaticMarkup(<RepeatsTable />);
    expect(html).not.toContain('<th scope="row">2</th>');
    expect(html).toContain('no interval');
  });
});

describe('repeatsSentence', () => {
  it('says when no difference can be detected', () => {
    const rows = [
      { seed: 1, teacher: 1, distilled: 0.96, scratch: 0.95 },
      { seed: 2, teacher: 1, distilled: 0.94, scratch: 0.95 },
    ];
    expect(repeatsSentence(rows)).toMatch(/no detectable difference at 2 seeds\.$/);
  });
});
