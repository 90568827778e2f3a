import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SizeSweepResult } from '../core/size-sweep';
import type { StudentArchId } from '../core/student-archs';
import { useSizeSweep } from '../state/size-sweep-store';
import { useStudio } from '../state/store';
import SizeSweepSection from './SizeSweep';

vi.mock('zustand', async (original) => (await import('./test-live-stores')).liveZustand(await original()));

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

function result(student: StudentArchId, distilled: number, params: number): SizeSweepResult {
  return {
    student,
    seed: 1,
    distilled,
    scratch: distilled,
    teacher: 0.95,
    params,
    bytes: { float32: params * 4, float16: params * 2, uint8: params + 16 },
    latency: { batch1: 0.02, batch128: 0.002 },
  };
}

beforeEach(() => {
  useStudio.setState({ run: null, dataset: null, teacher: null });
  useSizeSweep.setState({
    measure: 'params',
    maxKb: '',
    maxMs: '',
    sweep: {
      runId: 3,
      spec: { students: ['linear', 'mlp-8', 'mlp-16'], seeds: [1] },
      context: 'Two moons',
      results: [result('linear', 0.85, 6), result('mlp-8', 0.84, 42), result('mlp-16', 0.97, 82)],
      progress: null,
      status: 'finished',
    },
  });
});

describe('Smallest student, server-rendered', () => {
  it('has its controls by name, the chart, the teacher line and the front as a list', () => {
    const html = renderToStaticMarkup(<SizeSweepSection />);
    expect(html).toContain('>Find the smallest student</button>');
    expect(html).toContain('aria-label="Accuracy vs size"');
    expect(html).toMatch(/<label[^>]*>Size measure<\/label>/);
    for (const label of ['Parameters', 'Bytes (float32)', 'Bytes (float16)', 'Bytes (uint8)', 'Latency at batch 1', 'Latency at batch 128'])
      expect(html).toContain(`>${label}</option>`);
    expect(html).toMatch(/<label[^>]*>Max KB<\/label>/);
    expect(html).toMatch(/<label[^>]*>Max ms per sample<\/label>/);
    expect(html).toContain('>Use this student</button>');
    expect(text(html)).toContain('Teacher 95.00%');
    // mlp-8 is larger than linear and less accurate: off the front.
    const list = html.match(/<ol[^>]*aria-label="Pareto front"[^>]*>(.*?)<\/ol>/)?.[1] ?? '';
    expect(text(list).trim()).toBe('Linear: 6 parameters, distilled 85.00% MLP 16: 82 parameters, distilled 97.00%');
    expect(html.match(/class="size-point front"/g)).toHaveLength(2);
    expect(html.match(/class="size-point"/g)).toHaveLength(1);
    expect(text(html)).toContain('Set Max KB or Max ms per sample to pick a student.');
  });

  it('says the budget pick as a sentence', () => {
    useSizeSweep.setState({ maxKb: '0.2' });
    expect(text(renderToStaticMarkup(<SizeSweepSection />))).toContain(
      'Within 0.2 KB (float32): Linear, distilled 85.00% (scratch 85.00%).',
    );
    useSizeSweep.setState({ maxKb: '0.4', maxMs: '0.05' });
    expect(text(renderToStaticMarkup(<SizeSweepSection />))).toContain(
      'Within 0.4 KB (float32) and 50.0 µs per sample at batch 1: MLP 16, distilled 97.00% (scratch 97.00%).',
    );
    useSizeSweep.setState({ maxMs: '' });
    useSizeSweep.setState({ maxKb: '0.01' });
    expect(text(renderToStaticMarkup(<SizeSweepSection />))).toContain('No student tried fits within 0.01 KB (float32).');
  });
});
