import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useStudio } from '../../state/store';
import AnalysisView from './AnalysisView';
import { ExampleFeatures } from './ExampleDisplay';
import ExplorerView from './ExplorerView';
import { FOUR_ROW_DATASET, FOUR_ROW_RESULTS } from '../test-run';

const results = FOUR_ROW_RESULTS;
const dataset = FOUR_ROW_DATASET;

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('../test-live-stores')).liveZustand(await original()));

beforeEach(() => useStudio.setState({ results, dataset }));

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('result views, server-rendered', () => {
  it('AnalysisView shows four confusion matrices, per-class accuracy and each model’s ECE', () => {
    const html = renderToStaticMarkup(<AnalysisView />);
    expect(html.match(/<caption>Confusion matrix/g)).toHaveLength(4);
    expect(text(html)).toContain('Confusion matrix difference: distilled − teacher');
    expect(text(html)).toMatch(
      /ECE, at T = 1, 10 confidence bins\): teacher \d+\.\d%, distilled student \d+\.\d%, scratch student \d+\.\d%/,
    );
    expect(html).toContain('Per-class test accuracy');
    expect(html).not.toContain('<details');
  });

  it('ExplorerView starts at example 1 at the run’s T, with each model’s entropy', () => {
    const html = text(renderToStaticMarkup(<ExplorerView />));
    expect(html).toContain(
      'Test example 1: class a. Predicted: teacher a (right), distilled student a (right), scratch student a (right).',
    );
    expect(html).toMatch(/Teacher entropy at T = 4: \d\.\d\d bits; distilled student: \d\.\d\d bits; scratch student: \d\.\d\d bits/);
    expect(html).toContain('Loading test example 1…');
  });

  it('AnalysisView folds the matrices away for more than 20 classes', () => {
    const k = 21;
    const labels = Int32Array.from({ length: k }, (_, i) => i);
    const logits = new Float32Array(k * k).map((_, j) => (j % (k + 1) === 0 ? 1 : 0));
    useStudio.setState({
      results: { ...results, testOutputs: { numClasses: k, labels, teacher: logits, distilled: logits, scratch: logits } },
    });
    const html = renderToStaticMarkup(<AnalysisView />);
    expect(html).toContain('<summary>Show the confusion matrices (21 classes)</summary>');
    expect(html.match(/<caption>Confusion matrix/g)).toHaveLength(4);
  });

  it('ExampleFeatures lists the file’s values by name, and what the model sees', () => {
    const example = {
      index: 0,
      label: 0,
      features: Float32Array.from([0.5, -1]),
      featureNames: ['petal length', 'petal width'],
      scaling: { kind: 'standardise' as const, offset: [4, 1], scale: [2, 0.5] },
    };
    const html = text(renderToStaticMarkup(<ExampleFeatures example={example} caption="Test example 1: class a: feature values" />));
    expect(html).toContain('Feature Value As the model sees it');
    expect(html).toContain('petal length 5 0.5');
    expect(html).toContain('petal width 0.5 -1');
  });
});
