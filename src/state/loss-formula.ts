import type { LossTerms } from '../core/experiment';

/** The distillation loss written out in plain text, in symbols and with the numbers of a configuration. */
export interface LossFormula {
  /** E.g. "loss = α · T² · KL(p_teacher(T) ‖ p_student(T)) + (1 − α) · CE(y, p_student)". */
  symbolic: string;
  /** E.g. "= 0.9 · 16 · KL + 0.1 · CE". */
  substituted: string;
}

/** Short and exact enough to read: 1 − 0.9 is 0.1 here, not 0.09999999999999998. */
export function formatWeight(x: number): string {
  return String(Number(x.toPrecision(6)));
}

export function lossFormula(loss: LossTerms): LossFormula {
  const { temperature: t, alpha, scaleByT2, logitMse, hint } = loss;
  const dkd = loss.method?.method === 'dkd' ? loss.method : null;
  // The soft term: Hinton's KL, DKD's weighted pair, or the KL from ablated targets.
  const targets = loss.softTargets === 'shuffled' || loss.softTargets === 'smoothed' ? `q_${loss.softTargets}(T)` : 'p_teacher(T)';
  const soft = dkd ? '(α_TCKD · TCKD + β_NCKD · NCKD)' : `KL(${targets} ‖ p_student(T))`;
  const softValue = dkd ? `(${formatWeight(dkd.dkdAlpha)} · TCKD + ${formatWeight(dkd.dkdBeta)} · NCKD)` : 'KL';
  const symbolic = [`loss = α · ${scaleByT2 ? 'T² · ' : ''}${soft}`, '(1 − α) · CE(y, p_student)'];
  const substituted = [
    `= ${formatWeight(alpha)} · ${scaleByT2 ? `${formatWeight(t * t)} · ` : ''}${softValue}`,
    `${formatWeight(1 - alpha)} · CE`,
  ];
  if (logitMse > 0) {
    symbolic.push('λ_logits · MSE(z_teacher, z_student)');
    substituted.push(`${formatWeight(logitMse)} · MSE`);
  }
  if (hint && hint.weight > 0) {
    symbolic.push('λ_hint · MSE(W · h_student, h_teacher)');
    substituted.push(`${formatWeight(hint.weight)} · hint`);
  }
  return { symbolic: symbolic.join(' + '), substituted: substituted.join(' + ') };
}
