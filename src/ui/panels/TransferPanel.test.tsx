import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG, type StudioConfig } from '../../state/config';
import { useStudio } from '../../state/store';
import { TransferPanel } from './TransferPanel';

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('../test-live-stores')).liveZustand(await original()));

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
const render = (config: Partial<StudioConfig>) => {
  useStudio.setState({ config: { ...DEFAULT_CONFIG, ...config } });
  return renderToStaticMarkup(<TransferPanel />);
};
/** The <select> (or <input>) labelled `label`, as markup. */
function control(html: string, label: string): string {
  const id = new RegExp(`<label for="([^"]+)">${label}</label>`).exec(html)?.[1];
  expect(id, label).toBeTruthy();
  return new RegExp(`<(select|input)[^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? '';
}

beforeEach(() => useStudio.setState({ run: null, teacher: null }));

describe('TransferPanel: Transfer data', () => {
  it('offers the four options by their names, the training set chosen, the row options enabled', () => {
    const html = render({});
    expect(html).toMatch(
      /<option value="training" selected="">Training set<\/option><option value="gaussian">Gaussian noise<\/option><option value="synthesised">Synthesised from the teacher<\/option><option value="mixup">Mixup of the training set<\/option>/,
    );
    expect(control(html, 'Labelled fraction')).not.toContain('disabled');
    expect(html).not.toContain('Mixup alpha');
  });

  it('generated data disables the labelled fraction and the omitted class, saying why', () => {
    const html = render({ transferData: 'gaussian' });
    expect(control(html, 'Labelled fraction')).toContain('disabled');
    expect(control(html, 'Omit class')).toContain('disabled');
    expect(text(html)).toContain('"Gaussian noise" replaces the training rows: it uses every class and all labels, with no jitter.');
  });

  it('shows the fields of the chosen option', () => {
    expect(render({ transferData: 'mixup' })).toContain('Mixup alpha');
    const synth = render({ transferData: 'synthesised' });
    expect(synth).toContain('Synthesised per class');
    expect(synth).toContain('Synthesis steps');
    expect(synth).not.toContain('Mixup alpha');
  });
});
