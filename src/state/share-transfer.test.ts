import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../core/experiment-validate';
import { DEFAULT_CONFIG, type StudioConfig } from './config';
import { currentExperiment } from './experiment';
import { settingsFromExperiment } from './share';

const data = { descriptor: { kind: 'toy', toy: 'moons', size: 400, noise: 0.2, seed: 3 } as const, summary: null };
const teacher = { descriptor: { kind: 'shipped', id: 'moons-mlp' } as const, canHint: false };

/** config → experiment → JSON text → parsed → config. */
function roundTrip(config: StudioConfig) {
  const experiment = currentExperiment(config, data, teacher, { source: 'preset' });
  if (!experiment) throw new Error('no experiment');
  const parsed = parseExperiment(JSON.parse(JSON.stringify(experiment)));
  return { experiment, parsed, back: settingsFromExperiment(parsed, { ...DEFAULT_CONFIG, seed: 77 }).config };
}

describe('Transfer data in the experiment JSON and links', () => {
  it.each<Partial<StudioConfig>>([
    { transferData: 'gaussian' },
    { transferData: 'mixup', mixupAlpha: 0.4 },
    { transferData: 'synthesised', synthPerClass: 12, synthSteps: 30 },
  ])('round-trips %o', (changes) => {
    const config = { ...DEFAULT_CONFIG, ...changes };
    const { parsed, back } = roundTrip(config);
    expect(back).toEqual(config);
    expect(parsed.transfer.data?.kind).toBe(config.transferData);
  });

  it('writes no transfer.data for the training set, so such an experiment reads as before', () => {
    const { experiment, back } = roundTrip(DEFAULT_CONFIG);
    expect('data' in experiment.transfer).toBe(false);
    expect(back).toEqual(DEFAULT_CONFIG);
  });

  it('an experiment without it puts a page that had Gaussian noise back on the training set', () => {
    const { parsed } = roundTrip(DEFAULT_CONFIG);
    expect(settingsFromExperiment(parsed, { ...DEFAULT_CONFIG, transferData: 'gaussian' }).config.transferData).toBe('training');
  });

  it.each([
    [{ data: { kind: 'noise' } }, /^transfer\.data\.kind must be one of "training", "gaussian", "mixup", "synthesised", got "noise"$/],
    [{ data: { kind: 'mixup', alpha: 0 } }, /^transfer\.data\.alpha must be a number from 0.05 to 10, got 0$/],
    [{ data: { kind: 'mixup' } }, /^transfer\.data\.alpha must be/],
    [{ data: { kind: 'gaussian', alpha: 1 } }, /^transfer\.data\.alpha is not a known field \(expected kind\)$/],
    [{ data: { kind: 'synthesised', perClass: 0, steps: 10 } }, /^transfer\.data\.perClass must be a whole number from 1 to 1000, got 0$/],
    [{ data: { kind: 'synthesised', perClass: 5, steps: 2.5 } }, /^transfer\.data\.steps must be a whole number from 1 to 5000, got 2.5$/],
    [{ data: 'gaussian' }, /^transfer\.data must be an object, got "gaussian"$/],
    [
      { data: { kind: 'gaussian' }, labelledFraction: 0.1 },
      /^transfer\.data\.kind "gaussian" replaces the training rows: transfer\.labelledFraction must be 1/,
    ],
    [
      { data: { kind: 'mixup', alpha: 1 }, omitClass: 1 },
      /^transfer\.data\.kind "mixup" replaces the training rows: transfer\.omitClass must be null/,
    ],
  ])('refuses %o naming the path', (transfer, message) => {
    const { experiment } = roundTrip(DEFAULT_CONFIG);
    const bad = { ...experiment, transfer: { ...experiment.transfer, ...transfer } };
    expect(() => parseExperiment(JSON.parse(JSON.stringify(bad)))).toThrow(message);
  });

  it('refuses synthesis from a teacher without gradients here', () => {
    const { experiment } = roundTrip({ ...DEFAULT_CONFIG, transferData: 'synthesised' });
    const onnx = { ...experiment, teacher: { kind: 'onnx', fileName: 'net.onnx', sha256: 'a'.repeat(64) } };
    expect(() => parseExperiment(JSON.parse(JSON.stringify(onnx)))).toThrow(
      /needs a TensorFlow.js layers teacher, got teacher.kind "onnx"/,
    );
  });
});
