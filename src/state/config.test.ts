import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, SETTING_RULES, distillRunConfig, restoreConfig, settingError, type NumericSetting } from './config';

describe('settings', () => {
  it('accepts every default', () => {
    for (const key of Object.keys(SETTING_RULES) as NumericSetting[]) expect(settingError(key, DEFAULT_CONFIG[key]), key).toBeNull();
  });

  it('explains what is wrong with a value', () => {
    expect(settingError('alpha', 1.5)).toBe('Alpha must be from 0 to 1.');
    expect(settingError('batchSize', 12.5)).toBe('Batch size must be a whole number.');
    expect(settingError('temperature', Number.NaN)).toBe('Temperature must be a number.');
    expect(settingError('studentEpochs', 0)).toBe('Student epochs must be from 1 to 200.');
  });

  it('hands the worker the distillation settings', () => {
    expect(distillRunConfig(DEFAULT_CONFIG)).toEqual({
      studentPreset: 'mlp-64',
      studentSource: 'preset',
      epochs: 20,
      batchSize: 128,
      learningRate: 0.003,
      seed: 1,
      loss: { temperature: 4, alpha: 0.9, scaleByT2: true, logitMse: 0, hint: null },
      transfer: { labelledFraction: 1, omitClass: null, jitter: 0 },
    });
  });

  it('restores saved settings that are still valid and drops the rest', () => {
    expect(restoreConfig({ alpha: 0.5, temperature: 8, studentPreset: 'mlp-16', seed: 3 })).toEqual({
      ...DEFAULT_CONFIG,
      alpha: 0.5,
      temperature: 8,
      studentPreset: 'mlp-16',
      seed: 3,
    });
    expect(restoreConfig({ alpha: 7, batchSize: 'big', teacherPreset: 'gone', learningRate: null })).toEqual(DEFAULT_CONFIG);
    expect(restoreConfig('garbage')).toEqual(DEFAULT_CONFIG);
    expect(restoreConfig(null)).toEqual(DEFAULT_CONFIG);
  });

  it('restores the loss terms and transfer set, refusing what the menus do not offer', () => {
    const saved = {
      scaleByT2: false,
      labelledFraction: 0.03,
      omitClass: 3,
      jitter: 2,
      logitMse: 1.5,
      hintTeacherLayer: 2,
      hintStudentLayer: 1,
      hintWeight: 0.5,
    };
    expect(restoreConfig(saved)).toEqual({ ...DEFAULT_CONFIG, ...saved });
    expect(
      restoreConfig({
        scaleByT2: 'yes',
        labelledFraction: 0.5,
        omitClass: -1,
        jitter: 9,
        logitMse: -1,
        hintTeacherLayer: 'x',
        hintStudentLayer: 1.5,
        hintWeight: -2,
      }),
    ).toEqual(DEFAULT_CONFIG);
    expect(distillRunConfig({ ...DEFAULT_CONFIG, ...saved }).loss.hint).toEqual({ weight: 0.5, teacherLayer: 2, studentLayer: 1 });
  });

  it('keeps the ensemble settings: a size from 2 to 8, a combine the select offers', () => {
    expect(DEFAULT_CONFIG).toMatchObject({ ensembleSize: 3, ensembleCombine: 'mean-log-prob' });
    expect(settingError('ensembleSize', 1)).toBe('Ensemble size must be from 2 to 8.');
    expect(settingError('ensembleSize', 2.5)).toBe('Ensemble size must be a whole number.');
    expect(restoreConfig({ ensembleSize: 5, ensembleCombine: 'mean-prob' })).toEqual({
      ...DEFAULT_CONFIG,
      ensembleSize: 5,
      ensembleCombine: 'mean-prob',
    });
    expect(restoreConfig({ ensembleSize: 9, ensembleCombine: 'median' })).toEqual(DEFAULT_CONFIG);
  });
});
