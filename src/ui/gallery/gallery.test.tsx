import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CELL_PAGE, DISAGREEMENT_PAGE, useGallery } from '../../state/gallery-store';
import { useStudio } from '../../state/store';
import AnalysisView from '../views/AnalysisView';
import { FOUR_ROW_DATASET, FOUR_ROW_RESULTS } from '../test-run';

const results = FOUR_ROW_RESULTS;
const dataset = FOUR_ROW_DATASET;

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('../test-live-stores')).liveZustand(await original()));

beforeEach(() => {
  useStudio.setState({ results, dataset });
  useGallery.setState({
    cell: null,
    cellShown: CELL_PAGE,
    disagreementsShown: DISAGREEMENT_PAGE,
    thumbnails: new Map(),
    pending: new Map(),
  });
});

const buttons = (html: string) => [...html.matchAll(/<button[^>]*>/g)].map((m) => m[0]);
const attribute = (tag: string, name: string) => tag.match(new RegExp(`${name}="([^"]*)"`))?.[1];
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('confusion-cell buttons and galleries, server-rendered', () => {
  it('makes each cell of the three models’ matrices a button named by its count, one tab stop per matrix', () => {
    const cells = buttons(renderToStaticMarkup(<AnalysisView />)).filter((b) => b.includes('cm-cell'));
    expect(cells).toHaveLength(3 * 9); // not the difference matrix
    expect(cells.filter((b) => attribute(b, 'tabindex') === '0')).toHaveLength(3);
    const named = (name: string) => cells.find((b) => attribute(b, 'aria-label') === name);
    expect(named('Show the 1 example of true c predicted a (distilled student)')).toBeDefined();
    expect(named('Show the 2 examples of true b predicted b (teacher)')).toBeDefined();
    const empty = named('0 examples of true a predicted c (distilled student)');
    expect(empty && attribute(empty, 'aria-disabled')).toBe('true');
  });

  it('shows the open cell’s examples in a named region, its button pressed', () => {
    useGallery.setState({ cell: { model: 'distilled', trueClass: 2, predicted: 0 } });
    const html = renderToStaticMarkup(<AnalysisView />);
    const pressed = buttons(html).filter((b) => attribute(b, 'aria-pressed') === 'true');
    expect(pressed.map((b) => attribute(b, 'aria-label'))).toEqual(['Show the 1 example of true c predicted a (distilled student)']);
    expect(text(html)).toContain('Examples: true c, predicted a');
    const thumbs = buttons(html).filter((b) => b.includes('class="thumb"'));
    expect(thumbs.map((b) => attribute(b, 'aria-label'))).toContain(
      '#3: test example 3, true c, distilled student predicted a. Open it in the explorer',
    );
  });

  it('lists where the distilled student and the teacher disagree, the largest KL first', () => {
    const html = renderToStaticMarkup(<AnalysisView />);
    expect(text(html)).toContain('Where they disagree');
    const thumbs = buttons(html).filter((b) => b.includes('class="thumb"'));
    expect(thumbs).toHaveLength(4);
    expect(attribute(thumbs[0], 'aria-label')).toMatch(
      /^#3 · c vs a: test example 3, true c, the teacher says c, the distilled student a, KL \d\.\d\d nats\. Open it in the explorer$/,
    );
    expect(html).not.toContain('Show more');
  });
});
