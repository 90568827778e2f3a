import { describe, expect, it } from 'vitest';
import { DEFAULT_LOSS, DEFAULT_TRANSFER, type ExperimentConfig } from '../core/experiment';
import { experimentToJson, parseExperiment } from '../core/experiment-validate';
import { DEFAULT_CONFIG, type StudioConfig } from './config';
import { currentExperiment } from './experiment';
import { readSharedExperiment, settingsFromExperiment, shareHash } from './share';

const data = { descriptor: { kind: 'mnist' } as const, summary: null };
const teacher = { descriptor: { kind: 'shipped', id: 'mnist-cnn' } as const, canHint: true };

const experimentOf = (config: StudioConfig) => currentExperiment(config, data, teacher, { source: 'preset' }) as ExperimentConfig;

const base: ExperimentConfig = {
  version: 1,
  data: { kind: 'mnist' },
  teacher: { kind: 'shipped', id: 'mnist-cnn' },
  student: { kind: 'preset', preset: 'mlp-64' },
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
  optimiser: { name: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10 },
  seed: 42,
};

describe('Train for uint8 and Repeats in the experiment JSON and links', () => {
  it('round trip: settings → experiment → JSON → experiment → settings', () => {
    const config: StudioConfig = {
      ...DEFAULT_CONFIG,
      studentEpochs: 6,
      trainForUint8: true,
      quantLastEpochs: 2,
      quantScheme: 'per-channel',
      quantActivations: true,
      repeats: 4,
    };
    const experiment = experimentOf(config);
    expect(experiment.quantAware).toEqual({ lastEpochs: 2, perChannel: true, activations: true });
    expect(experiment.repeats).toBe(4);
    const json = experimentToJson(experiment);
    expect(JSON.parse(json)).toMatchObject({ quantAware: { activations: true, lastEpochs: 2, perChannel: true }, repeats: 4 });
    const back = parseExperiment(JSON.parse(json));
    expect(back).toEqual(experiment);
    const { config: restored } = settingsFromExperiment(back, DEFAULT_CONFIG);
    for (const key of ['trainForUint8', 'quantLastEpochs', 'quantScheme', 'quantActivations', 'repeats', 'studentEpochs'] as const)
      expect(restored[key], key).toEqual(config[key]);
  });

  it('a share link carries them', () => {
    const experiment = { ...base, quantAware: { lastEpochs: 3, perChannel: false, activations: false }, repeats: 2 };
    const shared = readSharedExperiment(shareHash(experiment));
    expect(shared).toEqual({ experiment });
    const { config } = settingsFromExperiment(experiment, { ...DEFAULT_CONFIG, quantScheme: 'per-channel', repeats: 7 });
    expect(config).toMatchObject({
      trainForUint8: true,
      quantLastEpochs: 3,
      quantScheme: 'per-tensor',
      quantActivations: false,
      repeats: 2,
    });
  });

  it('off, they are left out, and an experiment without them turns them off', () => {
    const experiment = experimentOf(DEFAULT_CONFIG);
    expect(experiment).not.toHaveProperty('quantAware');
    expect(experiment).not.toHaveProperty('repeats');
    expect(experimentToJson(experiment)).not.toMatch(/quantAware|repeats/);
    const { config } = settingsFromExperiment(base, { ...DEFAULT_CONFIG, trainForUint8: true, repeats: 5 });
    expect(config.trainForUint8).toBe(false);
    expect(config.repeats).toBe(1);
  });

  it('refuses bad values and combinations, naming the field', () => {
    const q = { lastEpochs: 3, perChannel: false, activations: false };
    expect(() => parseExperiment({ ...base, repeats: 11 })).toThrow('repeats must be a whole number from 1 to 10, got 11');
    expect(() => parseExperiment({ ...base, repeats: 1.5 })).toThrow('repeats must be a whole number from 1 to 10');
    expect(() => parseExperiment({ ...base, quantAware: { ...q, perChannel: 'yes' } })).toThrow(
      'quantAware.perChannel must be true or false, got "yes"',
    );
    expect(() => parseExperiment({ ...base, quantAware: { ...q, bits: 4 } })).toThrow('quantAware.bits is not a known field');
    expect(() => parseExperiment({ ...base, quantAware: { ...q, lastEpochs: 11 } })).toThrow(
      'quantAware.lastEpochs must be at most optimiser.epochs (10), got 11',
    );
    expect(() =>
      parseExperiment({
        ...base,
        quantAware: q,
        loss: { ...DEFAULT_LOSS, method: { method: 'mutual', dkdAlpha: 1, dkdBeta: 8, generations: 2 } },
      }),
    ).toThrow('quantAware (Train for uint8) trains one distilled student: it needs loss.method "hinton" or "dkd", got "mutual"');
    expect(() =>
      parseExperiment({
        ...base,
        quantAware: { ...q, activations: true },
        loss: { ...DEFAULT_LOSS, hint: { weight: 1, teacherLayer: 2, studentLayer: 0 } },
      }),
    ).toThrow('quantAware.activations (Quantise activations) cannot be combined with loss.hint');
  });
});
