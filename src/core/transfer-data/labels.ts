import type { TransferData } from '../experiment';

/** The Transfer data select's options (accessible names: keep them stable). No tfjs here: the page imports it. */
export const TRANSFER_DATA_LABELS: Record<TransferData['kind'], string> = {
  training: 'Training set',
  gaussian: 'Gaussian noise',
  synthesised: 'Synthesised from the teacher',
  mixup: 'Mixup of the training set',
};
