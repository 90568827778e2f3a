import type { LossTerms, TransferSet } from './experiment';

/** Which settings born-again can run with. No tfjs here: the page's Generations field asks it too. */

export const MAX_GENERATIONS = 5;

/** What a born-again run needs of the experiment, as a run would send it. */
interface BornAgainRun {
  loss: Pick<LossTerms, 'hint' | 'method' | 'softTargets'>;
  transfer: TransferSet;
  studentSource: 'preset' | 'uploaded';
  repeats?: number;
  quantAware?: unknown;
}

/**
 * Null when born-again can run with these settings and this teacher, else the sentence that says
 * which two settings do not go together. `teacherKind`: how the teacher is held (absent: a layers model).
 */
export function bornAgainRefusal(run: BornAgainRun, teacherKind: string | undefined, hasLayers: boolean): string | null {
  if (!hasLayers || (teacherKind !== undefined && teacherKind !== 'layers')) {
    const what =
      teacherKind === 'onnx'
        ? 'an ONNX model'
        : teacherKind === 'ensemble'
          ? 'an ensemble'
          : teacherKind === 'teachable-machine'
            ? 'a Teachable Machine model'
            : 'a graph model';
    return `Method "Born-again" needs a TensorFlow.js layers teacher, whose architecture the students copy: this teacher is ${what}. Train or load a layers teacher, or pick another method.`;
  }
  const generations = run.loss.method?.generations ?? 0;
  if (!Number.isInteger(generations) || generations < 1 || generations > MAX_GENERATIONS)
    return `Generations must be a whole number from 1 to ${MAX_GENERATIONS}, got ${generations}.`;
  if (run.studentSource === 'uploaded')
    return 'Method "Born-again" trains students of the teacher\'s architecture, so an uploaded student is not used: pick a preset student or another method.';
  if (run.loss.softTargets !== undefined && run.loss.softTargets !== 'teacher')
    return 'Method "Born-again" distils from the teacher\'s own soft targets: the Soft targets ablations apply to Hinton KD only.';
  if (run.loss.hint)
    return 'Method "Born-again" cannot take a FitNets hint: the hint names layers of the preset student. Turn the hint off.';
  if (run.transfer.data?.kind === 'synthesised')
    return 'Method "Born-again" with Transfer data "Synthesised from the teacher" is not supported: each generation would need its own synthesis. Pick another transfer data.';
  if ((run.repeats ?? 1) > 1) return 'Method "Born-again" with Repeats above 1 is not supported: set Repeats to 1.';
  if (run.quantAware) return 'Method "Born-again" with Train for uint8 is not supported: Train for uint8 works with Hinton KD and DKD.';
  return null;
}
