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

describe('Method and Soft targets in the experiment JSON and links', () => {
  it.each<Partial<StudioConfig>>([
    { method: 'dkd', dkdAlpha: 2, dkdBeta: 6.5 },
    { softTargets: 'shuffled' },
    { softTargets: 'smoothed', temperature: 2 },
    { method: 'born-again', generations: 4 },
    { method: 'mutual' },
  ])('round-trips %o', (changes) => {
    const config = { ...DEFAULT_CONFIG, ...changes };
    const { parsed, back } = roundTrip(config);
    expect(back).toEqual({ ...config, seed: config.seed });
    expect(parsed.loss.method?.method ?? 'hinton').toBe(config.method);
  });

  it('writes neither field for the defaults, so a Hinton KD experiment reads as before', () => {
    const { experiment, back } = roundTrip(DEFAULT_CONFIG);
    expect('method' in experiment.loss).toBe(false);
    expect('softTargets' in experiment.loss).toBe(false);
    expect(back).toEqual(DEFAULT_CONFIG);
  });

  it('an experiment without them resets a page that had DKD and an ablation to the defaults', () => {
    const { parsed } = roundTrip(DEFAULT_CONFIG);
    const page = { ...DEFAULT_CONFIG, method: 'dkd' as const, dkdBeta: 3, softTargets: 'smoothed' as const };
    const { config } = settingsFromExperiment(parsed, page);
    expect([config.method, config.dkdBeta, config.softTargets]).toEqual(['hinton', 8, 'teacher']);
  });

  it.each([
    [{ softTargets: 'sorted' }, /^loss\.softTargets must be one of "teacher", "shuffled", "smoothed", got "sorted"$/],
    [{ method: { method: 'fitnets', dkdAlpha: 1, dkdBeta: 8, generations: 3 } }, /^loss\.method\.method must be one of/],
    [
      { method: { method: 'dkd', dkdAlpha: -1, dkdBeta: 8, generations: 3 } },
      /^loss\.method\.dkdAlpha must be a number from 0 to 100, got -1$/,
    ],
    [
      { method: { method: 'dkd', dkdAlpha: 1, dkdBeta: 8, generations: 9 } },
      /^loss\.method\.generations must be a whole number from 1 to 5, got 9$/,
    ],
    [{ method: { method: 'dkd', dkdAlpha: 1, dkdBeta: 8 } }, /^loss\.method\.generations must be/],
    [{ method: { method: 'dkd', dkdAlpha: 1, dkdBeta: 8, generations: 3, gamma: 1 } }, /^loss\.method\.gamma is not a known field/],
    [{ method: 'dkd' }, /^loss\.method must be an object, got "dkd"$/],
  ])('refuses %o naming the path', (loss, message) => {
    const { experiment } = roundTrip(DEFAULT_CONFIG);
    const bad = { ...experiment, loss: { ...experiment.loss, ...loss } };
    expect(() => parseExperiment(JSON.parse(JSON.stringify(bad)))).toThrow(message);
  });
});
