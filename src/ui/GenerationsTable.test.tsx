import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GenerationResult } from '../core/born-again';
import { reduceStudio } from '../state/reducers';
import { INITIAL_STUDIO, type StudioState, useStudio } from '../state/store';
import type { DistillResults, FromWorker } from '../worker/protocol';
import { GenerationsTable } from './GenerationsTable';
import { ResultsTable } from './ResultsTable';
import { FOUR_ROW_RESULTS } from './test-run';

vi.mock('zustand', async (original) => (await import('./test-live-stores')).liveZustand(await original()));

const GENERATIONS: GenerationResult[] = [
  { generation: 1, testAccuracy: 0.97, teacherAccuracy: 0.98 },
  { generation: 2, testAccuracy: 0.985, teacherAccuracy: 0.98 },
];
const generationDone = (result: GenerationResult): FromWorker => ({ type: 'generationDone', runId: 3, generations: 2, result });

describe('generationDone', () => {
  it('collects the generations in order, a new run starting again at generation 1', () => {
    let state: StudioState = { ...useStudio.getState() };
    for (const g of GENERATIONS) state = { ...state, ...reduceStudio(state, generationDone(g)) };
    expect(state.generationRows).toEqual(GENERATIONS);
    state = { ...state, ...reduceStudio(state, generationDone({ ...GENERATIONS[0], testAccuracy: 0.5 })) };
    expect(state.generationRows.map((g) => g.testAccuracy)).toEqual([0.5]);
  });
});

describe('GenerationsTable', () => {
  beforeEach(() => useStudio.setState({ ...INITIAL_STUDIO }));

  it('is absent for a run without generations', () => {
    useStudio.setState({ results: FOUR_ROW_RESULTS });
    expect(renderToStaticMarkup(<GenerationsTable />)).toBe('');
  });

  it("shows each generation's test accuracy and its difference from the teacher's, in points", () => {
    useStudio.setState({ results: { ...FOUR_ROW_RESULTS, generations: GENERATIONS } });
    const html = renderToStaticMarkup(<GenerationsTable />);
    expect(html).toContain('<caption id="generations-title">Generations</caption>');
    expect(html).toContain('<th scope="row">1</th><td>97.00%</td><td>−1.00</td>');
    expect(html).toContain('<th scope="row">2</th><td>98.50%</td><td>+0.50</td>');
  });

  it('shows the generations finished so far while the run goes on', () => {
    useStudio.setState({ run: { id: 3, kind: 'distill', status: 'running' }, generationRows: GENERATIONS.slice(0, 1) });
    const html = renderToStaticMarkup(<GenerationsTable />);
    expect(html).toContain('<th scope="row">1</th>');
    expect(html).not.toContain('<th scope="row">2</th>');
  });
});

describe('ResultsTable with mutual learning', () => {
  beforeEach(() => useStudio.setState({ ...INITIAL_STUDIO }));

  it('shows the peer student as its own row, and no such row otherwise', () => {
    useStudio.setState({ results: FOUR_ROW_RESULTS });
    expect(renderToStaticMarkup(<ResultsTable />)).not.toContain('Peer student');
    const peer = { ...FOUR_ROW_RESULTS.distilled, testAccuracy: 0.4321, description: 'MLP 64, student 2 of 2' };
    useStudio.setState({ results: { ...FOUR_ROW_RESULTS, peer } as DistillResults });
    const html = renderToStaticMarkup(<ResultsTable />);
    expect(html).toMatch(/<th scope="row">Peer student<div class="row-detail">MLP 64, student 2 of 2<\/div><\/th><td>43\.21%<\/td>/);
  });
});
