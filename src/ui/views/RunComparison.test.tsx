import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../state/run-record';
import { RunComparison } from './RunComparison';

const run = (id: number, distilled: number, scratch: number) =>
  ({
    id,
    name: `run ${id}`,
    studentLabel: 'MLP 64',
    config: { epochs: 3, loss: { temperature: 4, alpha: 0.9 } },
    results: { teacher: { testAccuracy: 0.98 }, distilled: { testAccuracy: distilled }, scratch: { testAccuracy: scratch } },
  }) as unknown as RunRecord;

describe('RunComparison', () => {
  it('has one row per run with the gain in points, signed, and — when unknown', () => {
    const html = renderToStaticMarkup(<RunComparison runs={[run(1, 0.93, 0.9), run(2, 0.8, 0.85), run(3, 0.9, NaN)]} />);
    expect(html).toContain('<caption>Run comparison</caption>');
    expect(html).toContain(
      '<th scope="row">run 1</th><td>4</td><td>0.9</td><td>MLP 64</td><td>3</td><td>93.00%</td><td>90.00%</td><td>+3.00 pts</td><td>98.00%</td>',
    );
    expect(html).toContain('<td>80.00%</td><td>85.00%</td><td>−5.00 pts</td>');
    expect(html).toContain('<td>—</td><td>—</td>');
  });
});
