import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunRecord, SizeSweepRecord } from '../../state/run-record';
import { RunRow } from './RunRow';
import { SizeSweepRunRow } from './RunsViewSizeSweep';
import SizeSweepRunDetail from './RunsViewSizeSweepDetail';

const model = (testAccuracy: number) => ({
  description: 'MLP 64',
  testAccuracy,
  agreement: 1,
  params: 1,
  bytes: 4,
  latencyMsPerSample: null,
});

const repeated = {
  version: 1,
  kind: 'distill',
  id: 1,
  name: 'MLP 64 · T 4 · α 0.9 · seeds 4–5',
  createdAt: 0,
  dataset: 'Two moons',
  studentLabel: 'MLP 64',
  experiment: null,
  config: { epochs: 1, loss: { temperature: 4, alpha: 0.9 } },
  epochs: [],
  loss: [],
  results: { teacher: model(0.97), distilled: model(0.9), scratch: model(0.91) },
  repeats: [
    { seed: 4, teacher: 0.97, distilled: 0.95, scratch: 0.9 },
    { seed: 5, teacher: 0.97, distilled: 0.9, scratch: 0.91 },
  ],
  student: { status: 'saved', libraryId: 1 },
} as unknown as RunRecord;

const result = (student: 'linear' | 'mlp-8', distilled: number) => ({
  student,
  seed: 1,
  distilled,
  scratch: distilled - 0.1,
  teacher: 0.97,
  params: student === 'linear' ? 6 : 42,
  bytes: { float32: 24, float16: 12, uint8: 22 },
  latency: { batch1: 0.02, batch128: 0.001 },
});

const sweep: SizeSweepRecord = {
  version: 1,
  kind: 'size-sweep',
  id: 2,
  name: 'Size sweep · 2 students × 1 seed',
  createdAt: 0,
  dataset: 'Two moons',
  context: 'Two moons, teacher MLP',
  spec: { students: ['linear', 'mlp-8'], seeds: [1] },
  results: [result('linear', 0.85), result('mlp-8', 0.96)],
  status: 'finished',
};

describe('the Runs view', () => {
  it("shows a repeated run's seeds as stored: each seed's accuracies and its difference", () => {
    const html = renderToStaticMarkup(
      <table>
        <tbody>
          <RunRow run={repeated} selected={false} onSelect={() => {}} />
        </tbody>
      </table>,
    );
    expect(html).toContain('<summary>Seeds (2)</summary>');
    expect(html).toContain(`aria-label="Seeds of run ${repeated.name}"`);
    expect(html).toContain('<th scope="row">4</th><td>95.00%</td><td>90.00%</td><td>97.00%</td><td>+5.00</td>');
    expect(html).toContain('<th scope="row">5</th><td>90.00%</td><td>91.00%</td><td>97.00%</td><td>−1.00</td>');
  });

  it('lists a size sweep with its best students, and draws its chart and table again from the record', () => {
    const row = renderToStaticMarkup(
      <table>
        <tbody>
          <SizeSweepRunRow run={sweep} />
        </tbody>
      </table>,
    );
    expect(row).toContain('Size sweep, 2 of 2 runs');
    expect(row).toContain('<td>96.00%<div class="row-detail">best of 2</div></td><td>86.00%</td><td>97.00%</td>');
    expect(row).toContain('Show chart');
    const detail = renderToStaticMarkup(<SizeSweepRunDetail run={sweep} />);
    expect(detail).toContain('aria-label="Accuracy vs size"');
    expect(detail.match(/class="size-point/g)).toHaveLength(2);
    expect(detail).toContain('<th scope="row">Linear</th><td>1</td><td>85.00%</td><td>75.00%</td><td>6</td>');
  });
});
