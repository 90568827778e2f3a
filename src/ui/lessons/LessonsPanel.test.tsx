import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TeacherResult } from '../../worker/protocol';
import { distillRunConfig } from '../../state/config';
import { lessonConfig, useLessons } from '../../state/lesson-store';
import { lessonById } from '../../core/lessons/lessons';
import { INITIAL_STUDIO, useStudio } from '../../state/store';
import { LessonsPanel } from './LessonsPanel';

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('../test-live-stores')).liveZustand(await original()));

const model = { agreement: 0.9, params: 10, bytes: 40, latencyMsPerSample: null };
const teacher: TeacherResult = {
  ...model,
  testAccuracy: 0.978,
  description: 'MNIST CNN',
  source: 'shipped',
  exportable: true,
  hintLayers: null,
};
const few = lessonById('few-labels');
if (!few) throw new Error('no lesson');
const render = () => renderToStaticMarkup(<LessonsPanel onClose={() => {}} />);

describe('the lessons panel', () => {
  beforeEach(() => {
    useStudio.setState({
      ...INITIAL_STUDIO,
      config: lessonConfig(few),
      teacher,
      backend: { name: 'wasm', detail: '', reason: '', attempts: [] },
    });
    useLessons.setState({ open: true, lessonId: null, step: 0, setup: 'idle', message: null });
  });

  it('is not there until opened', () => {
    useLessons.setState({ open: false });
    expect(render()).toBe('');
  });

  it('lists the four lessons as buttons', () => {
    const html = render();
    for (const title of [
      'Distilled vs scratch',
      'What temperature does',
      'Learning from the teacher with 3% of the labels',
      'The missing digit',
    ])
      expect(html).toContain(`>${title}</button>`);
  });

  it('shows the step, the set-up and, once a run matches, the live comparison beside the quoted figures', () => {
    useLessons.setState({ lessonId: 'few-labels', step: 1, setup: 'ready' });
    let html = render();
    expect(html).toContain('Step 2 of 3: Run it');
    expect(html).toContain('Set up: MNIST-10k, MNIST CNN, T = 4, alpha 0.9, 20 student epochs, 3% of the labels.');
    expect(html).toContain('scratch student 80.05%');
    expect(html).toContain('press &quot;Run this experiment&quot;; its figures appear here');
    expect(html).toMatch(/<button type="button" class="primary">Run this experiment<\/button>/);
    useStudio.setState({
      results: {
        teacher,
        distilled: { ...model, testAccuracy: 0.9, description: 'S' },
        scratch: { ...model, testAccuracy: 0.7, description: 'S' },
        config: distillRunConfig({ ...lessonConfig(few), studentEpochs: 2 }),
      },
    });
    html = render();
    expect(html).toContain('Your distilled student: 90.00%; the scratch one: 70.00%');
  });

  it('cannot run before the studio is set up', () => {
    useLessons.setState({ lessonId: 'few-labels', step: 0, setup: 'loading' });
    const html = render();
    expect(html).toContain('Setting the studio up');
    expect(html).toMatch(/<button type="button" class="primary" disabled="">Run this experiment<\/button>/);
  });
});
