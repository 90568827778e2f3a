import { describe, expect, it } from 'vitest';
import { DEFAULT_LOSS } from '../core/experiment';
import { formatWeight, lossFormula } from './loss-formula';

describe('lossFormula', () => {
  it('writes Hinton’s two terms with T² for the defaults', () => {
    expect(lossFormula(DEFAULT_LOSS)).toEqual({
      symbolic: 'loss = α · T² · KL(p_teacher(T) ‖ p_student(T)) + (1 − α) · CE(y, p_student)',
      substituted: '= 0.9 · 16 · KL + 0.1 · CE',
    });
  });

  it('writes DKD’s weighted pair, and the ablated targets, in place of the KL', () => {
    const dkd = lossFormula({ ...DEFAULT_LOSS, method: { method: 'dkd', dkdAlpha: 1, dkdBeta: 8, generations: 3 } });
    expect(dkd.symbolic).toBe('loss = α · T² · (α_TCKD · TCKD + β_NCKD · NCKD) + (1 − α) · CE(y, p_student)');
    expect(dkd.substituted).toBe('= 0.9 · 16 · (1 · TCKD + 8 · NCKD) + 0.1 · CE');
    expect(lossFormula({ ...DEFAULT_LOSS, softTargets: 'shuffled' }).symbolic).toBe(
      'loss = α · T² · KL(q_shuffled(T) ‖ p_student(T)) + (1 − α) · CE(y, p_student)',
    );
    expect(lossFormula({ ...DEFAULT_LOSS, softTargets: 'smoothed' }).symbolic).toContain('KL(q_smoothed(T) ‖ p_student(T))');
  });

  it('drops T² when the switch is off', () => {
    const f = lossFormula({ ...DEFAULT_LOSS, temperature: 2, scaleByT2: false });
    expect(f.symbolic).toBe('loss = α · KL(p_teacher(T) ‖ p_student(T)) + (1 − α) · CE(y, p_student)');
    expect(f.substituted).toBe('= 0.9 · KL + 0.1 · CE');
  });

  it('adds the logit MSE and hint terms only when they weigh something', () => {
    const f = lossFormula({
      ...DEFAULT_LOSS,
      temperature: 2.5,
      alpha: 0.7,
      logitMse: 0.5,
      hint: { weight: 0.1, teacherLayer: 3, studentLayer: 0 },
    });
    expect(f.symbolic).toBe(
      'loss = α · T² · KL(p_teacher(T) ‖ p_student(T)) + (1 − α) · CE(y, p_student) + λ_logits · MSE(z_teacher, z_student) + λ_hint · MSE(W · h_student, h_teacher)',
    );
    expect(f.substituted).toBe('= 0.7 · 6.25 · KL + 0.3 · CE + 0.5 · MSE + 0.1 · hint');
    expect(lossFormula({ ...DEFAULT_LOSS, hint: { weight: 0, teacherLayer: 3, studentLayer: 0 } }).substituted).toBe(
      '= 0.9 · 16 · KL + 0.1 · CE',
    );
  });
});

describe('formatWeight', () => {
  it('hides floating-point noise', () => {
    expect(formatWeight(1 - 0.9)).toBe('0.1');
    expect(formatWeight(0.1 * 0.1)).toBe('0.01');
    expect(formatWeight(16)).toBe('16');
    expect(formatWeight(0)).toBe('0');
  });
});
