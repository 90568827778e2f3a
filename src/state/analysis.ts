import { expectedCalibrationError, reliabilityBins, softmaxRows, type ReliabilityBin } from '../core/analysis/calibration';
import { argmaxRows, confusionDifference, confusionMatrix, perClassAccuracy } from '../core/analysis/confusion';
import type { TestOutputs } from '../worker/protocol';

export type ModelKey = 'teacher' | 'distilled' | 'scratch';

export const MODELS: readonly { key: ModelKey; name: string }[] = [
  { key: 'teacher', name: 'Teacher' },
  { key: 'distilled', name: 'Distilled student' },
  { key: 'scratch', name: 'Scratch student' },
];

export interface ModelAnalysis {
  predictions: Int32Array;
  confusion: number[][];
  perClass: number[];
  /** At T = 1: how the model is used once trained. */
  bins: ReliabilityBin[];
  ece: number;
}

export interface Analysis {
  models: Record<ModelKey, ModelAnalysis>;
  /** distilled − teacher: where the student parts from its teacher. */
  difference: number[][];
}

function analyseModel(logits: Float32Array, labels: Int32Array, numClasses: number): ModelAnalysis {
  const predictions = argmaxRows(logits, numClasses);
  const confusion = confusionMatrix(labels, predictions, numClasses);
  const bins = reliabilityBins(softmaxRows(logits, numClasses), labels, numClasses);
  return {
    predictions,
    confusion,
    perClass: perClassAccuracy(confusion),
    bins,
    ece: labels.length > 0 ? expectedCalibrationError(bins) : NaN,
  };
}

/** Everything the analysis section shows, from the logits the worker sent at the end of a run. */
export function analyse({ labels, numClasses, teacher, distilled, scratch }: TestOutputs): Analysis {
  const models = {
    teacher: analyseModel(teacher, labels, numClasses),
    distilled: analyseModel(distilled, labels, numClasses),
    scratch: analyseModel(scratch, labels, numClasses),
  };
  return { models, difference: confusionDifference(models.distilled.confusion, models.teacher.confusion) };
}

/** The data set's class names when they fit the outputs, else the class indices. */
export function classNamesFor(names: readonly string[] | undefined, numClasses: number): string[] {
  return names && names.length === numClasses ? [...names] : Array.from({ length: numClasses }, (_, i) => String(i));
}
