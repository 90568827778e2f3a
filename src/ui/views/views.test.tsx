import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetSummary } from '../../core/data/types';
import type { DistillResults, TestOutputs } from '../../worker/protocol';
import { DEFAULT_CONFIG, distillRunConfig } from '../../state/config';
import { useStudio } from '../../state/store';
import AnalysisView from './AnalysisView';
import { ExampleFeatures } from './ExampleDisplay';
import ExplorerView from './ExplorerView';

// A server render reads the stores' current state: the studio holds a run on three classes and four
// test rows, the distilled student wrong on row 3 only.
const model = { testAccuracy: 1, agreement: 1, params: 1, bytes: 4, latencyMsPerSample: null, description: 'm' };
const testOutputs: TestOutputs = {
  numClasses: 3,
  labels: Int32Array.from([0, 1, 2, 1]),
  teacher: Float32Array.from([4, 1, 0, 0, 4, 1, 0, 1, 4, 1, 4, 0]),
  distilled: Float32Array.from([3, 1, 0, 0, 3, 1, 3, 0, 1, 0, 3, 0]),
  scratch: Float32Array.from([2, 1, 0, 1, 2, 0, 0, 1, 2, 2, 1, 0]),
};
const config = distillRunConfig({ ...DEFAULT_CONFIG, temperature: 4 }, 'preset');
const results: DistillResults = {
  teacher: { ...model, source: 'trained', exportable: true, hintLayers: null },
  distilled: model,
  scratch: model,
  config,
  testOutputs,
};
const dataset: DatasetSummary = {
  name: 'tiny',
  family: 'toy-blobs',
  numFeatures: 2,
  numClasses: 3,
  classNames: ['a', 'b', 'c'],
  trainCount: 0,
  testCount: 4,
};

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
