import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetSummary } from '../../core/data/types';
import { useLayout } from '../../state/layout-store';
import { INITIAL_STUDIO, useStudio, type StudioState } from '../../state/store';
import type { TeacherResult } from '../../worker/protocol';
import { ResultsTable } from '../ResultsTable';
import { FOUR_ROW_DATASET, FOUR_ROW_RESULTS } from '../test-run';
import ExplorerView from '../views/ExplorerView';
import EnsembleBody from './EnsembleBody';
import { EnsemblePanel } from './EnsemblePanel';
import { TeacherPanel } from './TeacherPanel';
import TeacherQuestion from './TeacherQuestion';

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('../test-live-stores')).liveZustand(await original()));

const dataset: DatasetSummary = { ...FOUR_ROW_DATASET, name: 'moons', family: 'toy-moons', trainCount: 80 };
const backend = { name: 'cpu' as const, reason: 'test', detail: '', attempts: [] };
const member = (n: number, accuracy: number): TeacherResult => ({
  testAccuracy: accuracy,
  agreement: 1,
  params: 100 * n,
  bytes: 400 * n,
  latencyMsPerSample: 0.5,
  description: `MLP 64 seed ${n}`,
  source: 'trained',
  exportable: true,
  hintLayers: null,
});
const ensemble: TeacherResult = {
  ...member(0, 0.955),
  description: 'Ensemble of 3 teachers',
  source: 'ensemble',
  kind: 'ensemble',
  combine: 'mean-log-prob',
  members: [member(1, 0.91), member(2, 0.925), member(3, 0.9)],
};
const onnx = new File([new Uint8Array([8])], 'net.onnx');

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&#x27;/g, "'");

/** The tag of the control a <label> with exactly this text names, or null: its accessible name, as e2e finds it. */
function labelled(html: string, name: string): string | null {
  const label = new RegExp(`<label for="([^"]+)">${name}</label>`).exec(html);
  if (!label) return null;
  const control = new RegExp(`<(\\w+)[^>]* id="${label[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).exec(html);
  return control?.[1] ?? null;
}

/** Whether the button whose text (its accessible name, hidden words included) is exactly `name` is there, and disabled. */
function button(html: string, name: string): 'enabled' | 'disabled' | 'absent' {
  for (const [, attributes, inner] of html.matchAll(/<button([^>]*)>(.*?)<\/button>/g)) {
    if (inner.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, '') === name) return attributes.includes('disabled') ? 'disabled' : 'enabled';
  }
  return 'absent';
}

beforeEach(() => useStudio.setState({ ...INITIAL_STUDIO, backend, dataset }));

describe('Teacher panel: ONNX uploads', () => {
  it('Upload teacher takes .onnx files and says which models it takes', () => {
    const html = renderToStaticMarkup(<TeacherPanel />);
    expect(labelled(html, 'Upload teacher')).toBe('input');
    expect(html).toMatch(/accept="[^"]*\.onnx[^"]*"/);
    expect(text(html)).toContain(
      'or an ONNX model (.onnx), e.g. from torch.onnx.export; or a Teachable Machine image export (model.json, weights.bin, metadata.json).',
    );
    expect(labelled(html, 'Model input')).toBeNull();
  });

  it('asks only what the worker asked, with Use these and Cancel', () => {
    const pending: NonNullable<StudioState['teacherQuestion']> = {
      files: [onnx],
      fileName: 'net.onnx',
      question: {
        inputs: [
          { name: 'pixels', elemType: 'float32', dims: ['batch', 1, 28, 28] },
          { name: 'mask', elemType: 'float32', dims: [null, 784] },
        ],
        layouts: ['nhwc', 'nchw'],
      },
    };
    useStudio.setState({ teacherQuestion: pending });
    // The panel loads the question's chunk (a server render shows its fallback); the question itself, rendered here.
    expect(text(renderToStaticMarkup(<TeacherPanel />))).toContain('Loading the question…');
    const html = renderToStaticMarkup(<TeacherQuestion pending={pending} disabled={false} />);
    expect(labelled(html, 'Model input')).toBe('select');
    expect(labelled(html, 'Input layout')).toBe('select');
    expect(labelled(html, 'Model output')).toBeNull();
    expect(text(html)).toContain('pixels (float32, batch × 1 × 28 × 28)');
    expect(text(html)).toContain('mask (float32, ? × 784)');
    expect(html).toContain('<option value="nhwc" selected="">NHWC</option>');
    expect(html).toContain('<option value="nchw">NCHW</option>');
    expect(button(html, 'Use these')).toBe('enabled');
    expect(button(html, 'Cancel')).toBe('enabled');
  });

  it('shows the teacher outputs being computed with the time left, and the teacher in use meanwhile', () => {
    useStudio.setState({
      teacher: member(1, 0.9),
      teacherRequest: {
        id: 3,
        label: 'Loading net.onnx',
        descriptor: { kind: 'uploaded', fileName: 'net.onnx' },
        progress: { done: 2500, total: 10000, etaSeconds: 75 },
      },
    });
    const html = renderToStaticMarkup(<TeacherPanel />);
    expect(html).toMatch(/<progress aria-label="Teacher outputs" max="10000" value="2500"/);
    expect(text(html)).toContain('Teacher outputs: 2,500 of 10,000 rows, about 1 min 15 s left');
  });
});

describe('Ensemble panel', () => {
  beforeEach(() => useLayout.setState({ open: { ...useLayout.getState().open, ensemble: true } }));

  it('is a disclosure named Ensemble, closed by default', () => {
    useLayout.setState({ open: { ...useLayout.getState().open, ensemble: false } });
    const html = renderToStaticMarkup(<EnsemblePanel />);
    expect(html).toMatch(/aria-expanded="false"[^>]*>.*Ensemble<\/button><\/h2>/);
  });

  it('without a teacher: nothing to add or combine, but an ensemble can be trained', () => {
    const html = renderToStaticMarkup(<EnsembleBody />);
    expect(button(html, 'Add teacher to ensemble')).toBe('disabled');
    expect(button(html, 'Use ensemble as teacher')).toBe('disabled');
    expect(button(html, 'Train ensemble')).toBe('enabled');
    expect(html).toContain('<caption>Ensemble members</caption>');
    expect(text(html)).toContain('No members yet');
    expect(labelled(html, 'Ensemble combines')).toBe('select');
    expect(html).toContain('<option value="mean-log-prob" selected="">Mean of log-probabilities</option>');
    expect(html).toContain('<option value="mean-prob">Mean of probabilities</option>');
    expect(labelled(html, 'Ensemble size')).toBe('input');
    expect(html).toMatch(/type="number"[^>]*min="2" max="8"[^>]*value="3"/);
  });

  it('lists each member with its test accuracy and a Remove member N button; 2 members can become the teacher', () => {
    useStudio.setState({ teacher: member(1, 0.91), ensembleMembers: [member(1, 0.91), member(2, 0.925)] });
    const html = renderToStaticMarkup(<EnsembleBody />);
    expect(text(html)).toContain('1 MLP 64 seed 1 91.00% Remove member 1');
    expect(text(html)).toContain('2 MLP 64 seed 2 92.50% Remove member 2');
    expect(button(html, 'Remove member 2')).toBe('enabled');
    expect(button(html, 'Add teacher to ensemble')).toBe('enabled');
    expect(button(html, 'Use ensemble as teacher')).toBe('enabled');
  });

  it('while Train ensemble runs, lists the teachers trained so far, with nothing to press', () => {
    useStudio.setState({
      teacher: member(9, 0.9),
      ensembleMembers: [member(9, 0.9)],
      run: { id: 2, kind: 'teacher', status: 'running', ensemble: { size: 3, trained: [member(1, 0.91)] } },
    });
    const html = renderToStaticMarkup(<EnsembleBody />);
    expect(text(html)).toContain('1 MLP 64 seed 1 91.00% Remove member 1');
    expect(text(html)).not.toContain('seed 9');
    for (const name of ['Remove member 1', 'Add teacher to ensemble', 'Use ensemble as teacher', 'Train ensemble'])
      expect(button(html, name)).toBe('disabled');
  });

  it('at 8 members says why no more can be added; a refusal from the worker is a status', () => {
    useStudio.setState({
      teacher: member(1, 0.9),
      ensembleMembers: Array.from({ length: 8 }, (_, i) => member(i + 1, 0.9)),
      ensembleMessage: 'This teacher is already a member.',
    });
    const html = renderToStaticMarkup(<EnsembleBody />);
    expect(button(html, 'Add teacher to ensemble')).toBe('disabled');
    expect(text(html)).toContain('An ensemble has at most 8 members.');
    expect(html).toContain('role="status">This teacher is already a member.</p>');
  });

  it('a bad ensemble size is explained and blocks Train ensemble', () => {
    useStudio.setState({ invalid: { ensembleSize: 'Ensemble size must be from 2 to 8.' } });
    const html = renderToStaticMarkup(<EnsembleBody />);
    expect(html).toContain('Ensemble size must be from 2 to 8.');
    expect(button(html, 'Train ensemble')).toBe('disabled');
  });
});

describe('Results and explorer with an ensemble teacher', () => {
  it('names the ensemble’s row and adds one row per member with its test accuracy', () => {
    useStudio.setState({ teacher: ensemble });
    const html = renderToStaticMarkup(<ResultsTable />);
    expect(html).toContain('<caption id="results-title">Results</caption>');
    const rows = text(html);
    expect(rows).toContain('Teacher (ensemble of 3, mean of log-probabilities) Ensemble of 3 teachers 95.50% 100.00%');
    // Each member's agreement is with the ensemble, the teacher.
    expect(rows).toContain('Member 1: MLP 64 seed 1 91.00% 100.00% 100 400 B 500.0 µs');
    expect(rows).toContain('Member 3: MLP 64 seed 3 90.00% 100.00% 300');
    expect(rows.indexOf('Member 3')).toBeLessThan(rows.indexOf('Distilled student'));
    useStudio.setState({ teacher: member(1, 0.91) });
    expect(text(renderToStaticMarkup(<ResultsTable />))).not.toContain('Member 1');
  });

  it('the explorer shows each member’s soft targets beside the ensemble’s', () => {
    const outputs = FOUR_ROW_RESULTS.testOutputs;
    if (!outputs) throw new Error('the four-row run has test outputs');
    const members = [Float32Array.from({ length: 12 }, () => 0), outputs.teacher];
    useStudio.setState({ dataset: FOUR_ROW_DATASET, results: { ...FOUR_ROW_RESULTS, testOutputs: { ...outputs, members } } });
    const html = text(renderToStaticMarkup(<ExplorerView />));
    expect(html).toContain('Soft targets of the ensemble and its members, test example 1 at T = 4');
    // Member 1's logits are all zero: a third each at any temperature; member 2 is the teacher itself.
    expect(html).toContain('Member 1 33.3% 33.3% 33.3% 1.58 bits');
    const ensembleRow = /Ensemble \(the teacher\) ([\d.]+% [\d.]+% [\d.]+%)/.exec(html)?.[1];
    expect(ensembleRow).toBeDefined();
    expect(html).toContain(`Member 2 ${ensembleRow}`);
    useStudio.setState({ results: FOUR_ROW_RESULTS });
    expect(text(renderToStaticMarkup(<ExplorerView />))).not.toContain('Member 1');
  });
});
