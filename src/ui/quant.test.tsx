import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG, distillRunConfig, restoreConfig } from '../state/config';
import { INITIAL_STUDIO, useStudio } from '../state/store';
import { QuantAwareFields } from './panels/QuantAwareFields';
import { ResultsTable } from './ResultsTable';
import { FOUR_ROW_DATASET, FOUR_ROW_RESULTS } from './test-run';

// A server render reads a zustand store's initial state: the real stores, read as they are now (test-live-stores.ts).
vi.mock('zustand', async (original) => (await import('./test-live-stores')).liveZustand(await original()));

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

beforeEach(() => useStudio.setState({ ...INITIAL_STUDIO, dataset: FOUR_ROW_DATASET }));

describe('Train for uint8', () => {
  it('is a checkbox, off by default; on, it asks for N and the run config carries it (N capped at the epochs)', () => {
    let html = renderToStaticMarkup(<QuantAwareFields />);
    expect(text(html)).toContain('Train for uint8');
    expect(html).not.toContain('checked');
    expect(text(html)).not.toContain('Quantise last N epochs');
    expect(distillRunConfig(DEFAULT_CONFIG).quantAware).toBeUndefined();

    useStudio.setState({ config: { ...DEFAULT_CONFIG, trainForUint8: true, quantLastEpochs: 5, studentEpochs: 2 } });
    html = renderToStaticMarkup(<QuantAwareFields />);
    expect(html).toMatch(/type="checkbox"[^>]*checked/);
    expect(text(html)).toContain('Quantise last N epochs');
    expect(distillRunConfig(useStudio.getState().config).quantAware).toEqual({ lastEpochs: 2, perChannel: false, activations: false });
  });

  it('offers the Quantisation scheme and Quantise activations, which the run config carries (activations off beside a hint)', () => {
    useStudio.setState({ config: { ...DEFAULT_CONFIG, trainForUint8: true } });
    let html = renderToStaticMarkup(<QuantAwareFields />);
    expect(html).toMatch(/<label for="[^"]+">Quantisation scheme<\/label>/);
    expect(text(html)).toMatch(/Per tensor Per channel/);
    expect(html).toMatch(/<input type="checkbox"[^>]*>Quantise activations<\/label>/);
    useStudio.setState({ config: { ...DEFAULT_CONFIG, trainForUint8: true, quantScheme: 'per-channel', quantActivations: true } });
    expect(distillRunConfig(useStudio.getState().config).quantAware).toEqual({ lastEpochs: 3, perChannel: true, activations: true });
    html = renderToStaticMarkup(<QuantAwareFields />);
    expect(html).toMatch(/<input type="checkbox"[^>]*checked=""[^>]*>Quantise activations/);
    useStudio.setState({ config: { ...useStudio.getState().config, hintTeacherLayer: 1 } });
    html = renderToStaticMarkup(<QuantAwareFields />);
    expect(html).toMatch(/<input type="checkbox"[^>]*disabled=""[^>]*>Quantise activations/);
    expect(text(html)).toContain('Quantise activations cannot be combined with a FitNets hint');
    expect(distillRunConfig(useStudio.getState().config).quantAware).toEqual({ lastEpochs: 3, perChannel: true, activations: false });
  });

  it('is kept between visits, and a bad saved value falls back to the default', () => {
    expect(restoreConfig({ trainForUint8: true, quantLastEpochs: 4 })).toMatchObject({ trainForUint8: true, quantLastEpochs: 4 });
    expect(restoreConfig({ trainForUint8: 'yes', quantLastEpochs: 0 })).toMatchObject({ trainForUint8: false, quantLastEpochs: 3 });
    expect(restoreConfig({ quantScheme: 'per-channel', quantActivations: true })).toMatchObject({
      quantScheme: 'per-channel',
      quantActivations: true,
    });
    expect(restoreConfig({ quantScheme: 'per-row', quantActivations: 1 })).toMatchObject({
      quantScheme: 'per-tensor',
      quantActivations: false,
    });
  });
});

describe('Quantisation table', () => {
  it('shows float32, uint8 after training and uint8 trained for it, with the difference from float32', () => {
    useStudio.setState({ results: FOUR_ROW_RESULTS });
    expect(renderToStaticMarkup(<ResultsTable />)).not.toContain('Quantisation');
    useStudio.setState({
      results: {
        ...FOUR_ROW_RESULTS,
        quantisation: { float32: 0.975, uint8AfterTraining: 0.9612, uint8TrainedForIt: 0.9731, lastEpochs: 1 },
      },
    });
    const html = renderToStaticMarkup(<ResultsTable />);
    expect(html).toContain('<caption id="quantisation-title">Quantisation</caption>');
    const rows = text(html.slice(html.indexOf('quantisation-title')));
    expect(rows).toMatch(/float32 The student trained without fake quantisation, exported at float32\. 97\.50% —/);
    expect(rows).toMatch(/uint8 after training .* 96\.12% −1\.38 points/);
    expect(rows).toMatch(
      /uint8 trained for it The distilled student, trained for uint8 in its last 1 epoch, exported at uint8\. 97\.31% −0\.19 points/,
    );
    expect(rows).toContain('uint8 per tensor, weights only: each uint8 row is the TF.js uint8 export, loaded back.');
  });

  it('per channel with activations says TF.js cannot express it and that the rows are the C int8 arithmetic', () => {
    useStudio.setState({
      results: {
        ...FOUR_ROW_RESULTS,
        quantisation: {
          float32: 0.975,
          uint8AfterTraining: 0.9612,
          uint8TrainedForIt: 0.9731,
          lastEpochs: 2,
          perChannel: true,
          activations: true,
        },
      },
    });
    const html = renderToStaticMarkup(<ResultsTable />);
    const rows = text(html.slice(html.indexOf('quantisation-title')));
    expect(rows).toMatch(
      /uint8 after training The same student quantised after training \(exported at int8 \(as the C export computes it\)\)\./,
    );
    expect(rows).toContain('uint8 per channel, with activations quantised. TF.js');
    expect(rows).toContain('cannot express this scheme');
  });
});
