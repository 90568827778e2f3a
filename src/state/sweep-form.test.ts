import { describe, expect, it } from 'vitest';
import { defaultSweepForm, restoreSweepForm, sweepFormSpec } from './sweep-form';

describe('the sweep form', () => {
  it('gives a spec with seeds counted from the studio seed, presets in menu order', () => {
    const form = { ...defaultSweepForm('mlp-64'), studentPresets: ['linear' as const, 'mlp-64' as const] };
    const { spec, errors } = sweepFormSpec(form, 7);
    expect(errors).toEqual({});
    expect(spec).toEqual({ temperatures: [1, 2, 4, 8], alphas: [0.5, 0.9], studentPresets: ['mlp-64', 'linear'], seeds: [7, 8] });
  });

  it('puts each problem on its field', () => {
    const { spec, errors } = sweepFormSpec(
      { temperatures: '1, x', alphas: '0.5, 2', studentPresets: [], seedsPerCell: '0', softTargets: [] },
      1,
    );
    expect(spec).toBeNull();
    expect(errors.temperatures).toBe('Temperatures: "x" is not a number.');
    expect(errors.seeds).toBe('Seeds per cell must be a whole number from 1 to 20.');
    expect(errors.studentPresets).toBe('Student presets: pick at least one.');
    expect(sweepFormSpec({ ...defaultSweepForm('mlp-64'), alphas: '0.5, 2' }, 1).errors.alphas).toBe(
      'Alphas: 2 is out of range (from 0 to 1).',
    );
  });

  it('restores what is still usable from a saved form', () => {
    const fallback = defaultSweepForm('mlp-32');
    expect(restoreSweepForm(null, fallback)).toBe(fallback);
    expect(restoreSweepForm({ temperatures: '2, 3', studentPresets: ['mlp-16', 'gone'], seedsPerCell: 5 }, fallback)).toEqual({
      temperatures: '2, 3',
      alphas: '0.5, 0.9',
      studentPresets: ['mlp-16'],
      seedsPerCell: '2',
      softTargets: [],
    });
    expect(restoreSweepForm({ softTargets: ['smoothed', 'gone', 'teacher'] }, fallback).softTargets).toEqual(['teacher', 'smoothed']);
  });

  it('adds a soft-targets axis, in menu order, only when some are ticked', () => {
    const form = { ...defaultSweepForm('mlp-64'), temperatures: '4', alphas: '0.9', seedsPerCell: '1' };
    expect(sweepFormSpec(form, 1).spec).not.toHaveProperty('softTargets');
    const { spec } = sweepFormSpec({ ...form, softTargets: ['smoothed', 'teacher', 'shuffled'] }, 1);
    expect(spec?.softTargets).toEqual(['teacher', 'shuffled', 'smoothed']);
  });
});
