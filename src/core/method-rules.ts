import type { DistilMethod, SoftTargets, TransferData } from './experiment';

/** The "Method" and "Soft targets" options as the page names them (accessible names: keep them stable). */
export const METHOD_LABELS: Record<DistilMethod, string> = {
  hinton: 'Hinton KD',
  dkd: 'Decoupled KD (DKD)',
  'born-again': 'Born-again',
  mutual: 'Mutual learning',
};

export const SOFT_TARGET_LABELS: Record<SoftTargets, string> = {
  teacher: "Teacher's",
  shuffled: 'Shuffled non-target classes',
  smoothed: 'Label smoothing',
};

/**
 * Why DKD's or the ablations' settings cannot run with the others, or null. Both split the teacher's
 * distribution at each row's true class, so they need every row's label from the training set; and
 * the ablations are ablations of Hinton's loss. Checked before a run (a refusal inside the optimiser's
 * gradient closure would strand its tensors) and by the page, which disables what this refuses.
 */
export function methodConflict(
  method: DistilMethod | undefined,
  softTargets: SoftTargets | undefined,
  transfer: { labelledFraction: number; data?: { kind: TransferData['kind'] } },
): string | null {
  const ablation = softTargets !== undefined && softTargets !== 'teacher';
  if (ablation && method !== undefined && method !== 'hinton')
    return `Soft targets "${SOFT_TARGET_LABELS[softTargets]}" apply to Hinton KD only, and Method is "${METHOD_LABELS[method]}".`;
  const what = method === 'dkd' ? `Method "${METHOD_LABELS.dkd}"` : ablation ? `Soft targets "${SOFT_TARGET_LABELS[softTargets]}"` : null;
  if (what === null) return null;
  if (transfer.labelledFraction < 1)
    return `${what} needs every row's true label, and Labelled fraction is ${Math.round(transfer.labelledFraction * 100)}%: set it to All (100%).`;
  if (transfer.data && transfer.data.kind !== 'training')
    return `${what} needs the training set's true labels, and Transfer data is not "Training set".`;
  return null;
}
