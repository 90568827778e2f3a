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
    expect(distillRunConfig(DEFAULT_CONFIG)).toEqual({ studentPreset: 'mlp-64', studentSource: 'preset', epochs: 20, batchSize: 128, learningRate: 0.003, temperature: 4, alpha: 0.9, seed: 1 });
  });

  it('restores saved settings that are still valid and drops the rest', () => {
    expect(restoreConfig({ alpha: 0.5, temperature: 8, studentPreset: 'mlp-16', seed: 3 })).toEqual({ ...DEFAULT_CONFIG, alpha: 0.5, temperature: 8, studentPreset: 'mlp-16', seed: 3 });
    expect(restoreConfig({ alpha: 7, batchSize: 'big', teacherPreset: 'gone', learningRate: null })).toEqual(DEFAULT_CONFIG);
    expect(restoreConfig('garbage')).toEqual(DEFAULT_CONFIG);
    expect(restoreConfig(null)).toEqual(DEFAULT_CONFIG);
  });
});
