import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG, type StudioConfig } from '../../state/config';
import { useStudio } from '../../state/store';
import { MethodFields } from './MethodFields';

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('../test-live-stores')).liveZustand(await original()));

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');
const render = (config: Partial<StudioConfig>) => {
  useStudio.setState({ config: { ...DEFAULT_CONFIG, ...config } });
  return text(renderToStaticMarkup(<MethodFields />));
};

beforeEach(() => useStudio.setState({ run: null, teacher: null, studentSource: 'preset' }));

describe('MethodFields: Mutual learning', () => {
  it('says before a run why mutual learning would be refused', () => {
    expect(render({ method: 'mutual', jitter: 2 })).toContain(
      'Method "Mutual learning" with Jitter is not supported: set Jitter (pixels) to 0.',
    );
    expect(render({ method: 'mutual', logitMse: 0.5 })).toContain('Method "Mutual learning" with a Logit MSE weight is not supported');
  });

  it('says nothing when it can run, or when another method is chosen', () => {
    expect(render({ method: 'mutual' })).not.toContain('Mutual learning"');
    expect(render({ method: 'hinton', jitter: 2 })).not.toContain('Mutual learning"');
  });
});
