import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import AnalysisView from './AnalysisView';
import { ExampleFeatures } from './ExampleDisplay';
import ExplorerView from './ExplorerView';

// A server render reads a zustand store's initial state, so the studio store is replaced by a fixed one holding a run:
// three classes, four test rows, the distilled student wrong on row 3 only.
const state = vi.hoisted(() => {
  const model = { testAccuracy: 1, agreement: 1, params: 1, bytes: 4, description: 'm' };
  const testOutputs = {
    numClasses: 3,
    labels: Int32Array.from([0, 1, 2, 1]),
    teacher: Float32Array.from([4, 1, 0, 0, 4, 1, 0, 1, 4, 1, 4, 0]),
    distilled: Float32Array.from([3, 1, 0, 0, 3, 1, 3, 0, 1, 0, 3, 0]),
    scratch: Float32Array.from([2, 1, 0, 1, 2, 0, 0, 1, 2, 2, 1, 0]),
  };
  return {
    results: { teacher: model, distilled: model, scratch: model, config: { loss: { temperature: 4 } }, testOutputs },
    dataset: { name: 'tiny', family: 'toy-blobs', numFeatures: 2, numClasses: 3, classNames: ['a', 'b', 'c'], trainCount: 0, testCount: 4 },
  };
});

vi.mock('../../state/store', () => {
  const useStudio = Object.assign(<T,>(select: (s: typeof state) => T) => select(state), { getState: () => state, subscribe: () => () => {} });
  return { useStudio, listenForExamples: () => {}, requestExample: () => null };
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('result views, server-rendered', () => {
  it('AnalysisView shows four confusion matrices, per-class accuracy and each model’s ECE', () => {
    const html = renderToStaticMarkup(<AnalysisView />);
    expect(html.match(/<caption>Confusion matrix/g)).toHaveLength(4);
    expect(text(html)).toContain('Confusion matrix difference: distilled − teacher');
    expect(text(html)).toMatch(/ECE, at T = 1, 10 confidence bins\): teacher \d+\.\d%, distilled student \d+\.\d%, scratch student \d+\.\d%/);
    expect(html).toContain('Per-class test accuracy');
    expect(html).not.toContain('<details');
  });

  it('ExplorerView starts at example 1 at the run’s T, with each model’s entropy', () => {
    const html = text(renderToStaticMarkup(<ExplorerView />));
    expect(html).toContain('Test example 1: class a. Predicted: teacher a (right), distilled student a (right), scratch student a (right).');
    expect(html).toMatch(/Teacher entropy at T = 4: \d\.\d\d bits; distilled student: \d\.\d\d bits; scratch student: \d\.\d\d bits/);
    expect(html).toContain('Loading test example 1…');
  });

  it('AnalysisView folds the matrices away for more than 20 classes', () => {
    const saved = state.results.testOutputs;
    const k = 21;
    const labels = Int32Array.from({ length: k }, (_, i) => i);
    const logits = new Float32Array(k * k).map((_, j) => (j % (k + 1) === 0 ? 1 : 0));
    state.results.testOutputs = { numClasses: k, labels, teacher: logits, distilled: logits, scratch: logits };
    try {
      const html = renderToStaticMarkup(<AnalysisView />);
      expect(html).toContain('<summary>Show the confusion matrices (21 classes)</summary>');
      expect(html.match(/<caption>Confusion matrix/g)).toHaveLength(4);
    } finally {
      state.results.testOutputs = saved;
    }
  });

  it('ExampleFeatures lists the file’s values by name, and what the model sees', () => {
    const example = { index: 0, label: 0, features: Float32Array.from([0.5, -1]), featureNames: ['petal length', 'petal width'], scaling: { kind: 'standardise' as const, offset: [4, 1], scale: [2, 0.5] } };
    const html = text(renderToStaticMarkup(<ExampleFeatures example={example} caption="Test example 1: class a: feature values" />));
    expect(html).toContain('Feature Value As the model sees it');
    expect(html).toContain('petal length 5 0.5');
    expect(html).toContain('petal width 0.5 -1');
  });
});
