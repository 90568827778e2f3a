import type { LossTerms, TransferSet } from './experiment';

/** Which settings mutual learning can run with. No tfjs here: the page's Method fields ask it too. */

/** What mutual learning needs of the experiment, as a run would send it. */
interface MutualRun {
  loss: Pick<LossTerms, 'hint' | 'logitMse' | 'softTargets'>;
  transfer: TransferSet;
  studentSource: 'preset' | 'uploaded';
  repeats?: number;
  quantAware?: unknown;
}

/** Null when mutual learning can run with these settings, else the sentence that names the two settings that do not go together. */
export function mutualRefusal(run: MutualRun): string | null {
  const m = 'Method "Mutual learning"';
  if (run.loss.softTargets !== undefined && run.loss.softTargets !== 'teacher')
    return `${m} uses no teacher, so Soft targets must be "Teacher's" (the ablations change a teacher's targets): pick Hinton KD for the ablations.`;
  const t = run.transfer;
  if (t.data !== undefined && t.data.kind !== 'training') return `${m} trains on the training set: Transfer data must be "Training set".`;
  if (t.labelledFraction !== 1) return `${m} needs every label: set Labelled fraction to All (100%).`;
  if (t.omitClass !== null) return `${m} with a class left out of the transfer set is not supported: leave no class out.`;
  if (t.jitter !== 0) return `${m} with Jitter is not supported: set Jitter (pixels) to 0.`;
  if (run.loss.hint) return `${m} cannot take a FitNets hint: there is no teacher to read a layer of. Turn the hint off.`;
  if (run.loss.logitMse > 0) return `${m} with a Logit MSE weight is not supported: there are no teacher logits. Set it to 0.`;
  if (run.studentSource === 'uploaded')
    return `${m} needs two students from different seeds: an uploaded student gives both the same start. Pick a preset student.`;
  if ((run.repeats ?? 1) > 1) return `${m} with Repeats above 1 is not supported: set Repeats to 1.`;
  if (run.quantAware) return `${m} with Train for uint8 is not supported: Train for uint8 works with Hinton KD and DKD.`;
  return null;
}
