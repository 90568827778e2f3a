import type * as tf from '@tensorflow/tfjs';
import { exportAndMeasure, exportModel, zipModel, type ExportedModel } from '../core/model-io';
import type { ExportedFiles, ExportFormat, ExportQuantization, ExportTarget } from './protocol';
import { requireData, session } from './session';

const NAMES: Record<ExportTarget, string> = { distilled: 'distilled-student', scratch: 'scratch-student', teacher: 'teacher' };

function modelFor(target: ExportTarget) {
  if (target === 'teacher') {
    if (!session.teacher) throw new Error('There is no teacher to download yet.');
    if (!session.teacher.layers) throw new Error('This teacher is a graph model: it can be used here but not saved as a layers model.');
    return session.teacher.layers;
  }
  if (!session.students) throw new Error('Distil first: there is no student to download yet.');
  return session.students[target];
}

/** 'distilled-student-iris-float16': what the model is, on which data, how its weights are stored. */
export function exportName(target: ExportTarget, datasetName: string, quantization: ExportQuantization): string {
  return `${NAMES[target]}-${datasetName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}${quantization === 'none' ? '' : `-${quantization}`}`;
}

interface ExportLabel {
  name: string;
  datasetName: string;
  classNames: string[];
  target: ExportTarget;
}

function exportOptions(label: ExportLabel, quantization: ExportQuantization) {
  return {
    name: label.name,
    quantization: quantization === 'none' ? undefined : quantization,
    metadata: { distillStudio: { dataset: label.datasetName, classNames: label.classNames, target: label.target } },
  };
}

/** The export as files: one .zip, or model.json and its weights file, each in a buffer of its own (transferable). */
function filesOf(exported: ExportedModel, name: string, zip: boolean): { name: string; bytes: ArrayBuffer }[] {
  const copy = (bytes: Uint8Array) => bytes.slice().buffer;
  return zip
    ? [{ name: `${name}.zip`, bytes: copy(zipModel(exported)) }]
    : [
        { name: 'model.json', bytes: copy(new TextEncoder().encode(exported.modelJson)) },
        { name: exported.weightsFileName, bytes: copy(exported.weights) },
      ];
}

/** A float32 export of `model` as files, not measured (the run's student is saved as it is). */
export async function exportedFiles(
  model: tf.LayersModel,
  label: ExportLabel,
  zip: boolean,
): Promise<{ files: { name: string; bytes: ArrayBuffer }[]; bytes: number }> {
  const exported = await exportModel(model, exportOptions(label, 'none'));
  return { files: filesOf(exported, label.name, zip), bytes: exported.bytes };
}

/**
 * Saves a model in the worker (tf.io.withSaveHandler, no DOM) and measures the reloaded bytes on the test split;
 * 'onnx' and 'c' go through export-formats.ts, loaded only then.
 */
export async function exportTarget(
  target: ExportTarget,
  quantization: ExportQuantization,
  zip: boolean,
  format: ExportFormat = 'tfjs',
): Promise<ExportedFiles> {
  const { dataset, data } = requireData();
  if (format === 'onnx') return (await import('./export-formats')).exportOnnxFiles(modelFor(target), target, quantization, data, dataset);
  if (format === 'c') return (await import('./export-formats')).exportCFiles(modelFor(target), target, quantization, zip, data, dataset);
  const label: ExportLabel = {
    name: exportName(target, dataset.name, quantization),
    datasetName: dataset.name,
    classNames: dataset.classNames,
    target,
  };
  const { exported, report } = await exportAndMeasure(modelFor(target), data.xTest, data.yTest, exportOptions(label, quantization));
  return {
    target,
    quantization,
    format,
    files: filesOf(exported, label.name, zip),
    bytes: report.bytes,
    testAccuracy: report.testAccuracy,
  };
}
