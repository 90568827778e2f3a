import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { reliabilityBins } from '../../core/analysis/calibration';
import { PerClassBars } from './PerClassBars';
import { ProbabilityBars } from './ProbabilityBars';
import { ReliabilityDiagram } from './ReliabilityDiagram';

// The SVG needs a measured container, so on the server only the caption and the text alternative render; those are what is checked.

describe('analysis charts, server-rendered', () => {
  it('PerClassBars lists every class and model in its hidden table, with — for a class with no rows', () => {
    const html = renderToStaticMarkup(
      <PerClassBars
        title="Per-class accuracy"
        classNames={['a', 'b']}
        series={[
          { name: 'Teacher', accuracy: [1, 0.5] },
          { name: 'Distilled student', accuracy: [0.75, NaN] },
        ]}
      />,
    );
    expect(html).toContain('<figcaption');
    expect(html).toContain('<table class="visually-hidden"><caption>Per-class accuracy</caption>');
    expect(html).toContain('<th scope="row">a</th><td>100.0%</td><td>75.0%</td>');
    expect(html).toContain('<th scope="row">b</th><td>50.0%</td><td>—</td>');
  });

  it('ReliabilityDiagram puts the ECE in the title', () => {
    // Two rows at confidence .9, one right: |.5 − .9| = .4 -> ECE 40.0%.
    const bins = reliabilityBins(Float32Array.from([0.9, 0.1, 0.9, 0.1]), Int32Array.from([0, 1]), 2);
    const html = renderToStaticMarkup(<ReliabilityDiagram name="Distilled student" bins={bins} />);
    expect(html).toContain('Distilled student — ECE 40.0%');
    expect(html).toContain('<th scope="row">0.8–0.9</th><td>2</td><td>90.0%</td><td>50.0%</td>');
  });

  it('ProbabilityBars shows each model’s entropy in bits', () => {
    const html = renderToStaticMarkup(
      <ProbabilityBars
        title="Test example 3"
        classNames={['a', 'b', 'c', 'd']}
        label={1}
        models={[
          { name: 'Teacher', probabilities: [0.25, 0.25, 0.25, 0.25] },
          { name: 'Student', probabilities: [0, 1, 0, 0] },
        ]}
      />,
    );
    expect(html).toContain('true class b; entropy Teacher 2.00 bits, Student 0.00 bits (at most 2.00 bits)');
    expect(html).toContain('<th scope="row">b (true class)</th><td>25.0%</td><td>100.0%</td>');
  });
});
