import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DistillEpoch } from '../core/trainer';
import type { DatasetSummary } from '../core/data/types';
import type { TeacherResult } from '../worker/protocol';
import { useLayout } from '../state/layout-store';
import { INITIAL_STUDIO, useStudio } from '../state/store';
import { EmptyChartHint } from './EmptyChartHint';
import { AdvancedSection } from './panels/AdvancedSection';
import { TeacherPanel } from './panels/TeacherPanel';
import { RunBar } from './RunBar';

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('./test-live-stores')).liveZustand(await original()));

const dataset: DatasetSummary = {
  name: 'tiny',
  family: 'toy-blobs',
  numFeatures: 2,
  numClasses: 3,
  classNames: ['a', 'b', 'c'],
  trainCount: 80,
  testCount: 20,
};
const teacher: TeacherResult = {
  testAccuracy: 0.9712,
  agreement: 1,
  params: 10,
  bytes: 40,
  latencyMsPerSample: null,
  description: 'Tiny MLP',
  source: 'trained',
  exportable: true,
  hintLayers: null,
};
const backend = { name: 'cpu' as const, reason: 'test', detail: '', attempts: [] };

/** How often a button with exactly this text is on the page. */
const buttons = (html: string, name: string) => html.split(`>${name}</button>`).length - 1;
const page = () =>
  renderToStaticMarkup(
    <>
      <RunBar />
      <TeacherPanel />
    </>,
  );

beforeEach(() => useStudio.setState({ ...INITIAL_STUDIO, backend, dataset }));

describe('run bar', () => {
  it('holds Train teacher while there is no teacher, and the teacher panel does not', () => {
    const html = page();
    expect(buttons(html, 'Train teacher')).toBe(1);
    expect(buttons(renderToStaticMarkup(<RunBar />), 'Train teacher')).toBe(1);
    expect(buttons(html, 'Distill')).toBe(1);
    expect(html).toContain('Then press Train teacher, in the run bar at the top.');
  });

  it('leaves Train teacher to the teacher panel once there is a teacher', () => {
    useStudio.setState({ teacher });
    const html = page();
    expect(buttons(html, 'Train teacher')).toBe(1);
    expect(buttons(renderToStaticMarkup(<RunBar />), 'Train teacher')).toBe(0);
    expect(buttons(html, 'Distill')).toBe(1);
    expect(html).toContain('97.12% · Tiny MLP');
  });

  it('names each stage of the pipeline with a link to its panel', () => {
    const html = renderToStaticMarkup(<RunBar />);
    for (const [panel, name] of [
      ['panel-data', 'Data'],
      ['panel-teacher', 'Teacher'],
      ['panel-student', 'Student'],
    ])
      expect(html).toContain(`<a href="#${panel}">${name}</a>`);
    expect(html).toContain('tiny · 3 classes');
  });
});

describe('advanced panels and empty charts', () => {
  it('an advanced panel is a named region whose heading button says whether it is open', () => {
    useLayout.setState({ open: { ...useLayout.getState().open, sweep: false } });
    const closed = renderToStaticMarkup(
      <AdvancedSection panel="sweep" title="Sweep" blurb="A grid.">
        body
      </AdvancedSection>,
    );
    expect(closed).toMatch(/aria-expanded="false"/);
    expect(closed).toMatch(/hidden="">body</);
    useLayout.setState({ open: { ...useLayout.getState().open, sweep: true } });
    const open = renderToStaticMarkup(
      <AdvancedSection panel="sweep" title="Sweep" blurb="A grid.">
        body
      </AdvancedSection>,
    );
    expect(open).toMatch(/aria-expanded="true"/);
    expect(open).not.toContain('hidden=""');
    expect(open).not.toContain('A grid.');
  });

  it('an empty chart says what will appear and how, and the hint goes with the first epoch', () => {
    useStudio.setState({ teacher });
    expect(renderToStaticMarkup(<EmptyChartHint chart="accuracy">chart</EmptyChartHint>)).toContain(
      'Press Distill: after each epoch, the test accuracy',
    );
    useStudio.setState({ teacher: null });
    expect(renderToStaticMarkup(<EmptyChartHint chart="loss">chart</EmptyChartHint>)).toContain(
      'Train or upload a teacher, then press Distill',
    );
    const epoch: DistillEpoch = {
      epoch: 1,
      teacherAccuracy: 0.9,
      distilledAccuracy: 0.8,
      scratchAccuracy: 0.7,
      distilledAgreement: 0.8,
      scratchAgreement: 0.7,
      distilledKL: 0.1,
      scratchKL: 0.2,
    };
    useStudio.setState({ distillEpochs: [epoch] });
    expect(renderToStaticMarkup(<EmptyChartHint chart="accuracy">chart</EmptyChartHint>)).not.toContain('chart-hint');
  });
});
