import { exportAndMeasure, zipModel } from '../core/model-io';
import type { ExportedFiles, ExportQuantization, ExportTarget } from './protocol';
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

/** Saves a model in the worker (tf.io.withSaveHandler, no DOM) and measures the reloaded bytes on the test split. */
export async function exportTarget(target: ExportTarget, quantization: ExportQuantization, zip: boolean): Promise<ExportedFiles> {
  const { dataset, data } = requireData();
  const name = `${NAMES[target]}-${dataset.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}${quantization === 'none' ? '' : `-${quantization}`}`;
  const { exported, report } = await exportAndMeasure(modelFor(target), data.xTest, data.yTest, {
    name,
    quantization: quantization === 'none' ? undefined : quantization,
    metadata: { distillStudio: { dataset: dataset.name, classNames: dataset.classNames, target } },
  });
  const copy = (bytes: Uint8Array) => bytes.slice().buffer;
  const files = zip
    ? [{ name: `${name}.zip`, bytes: copy(zipModel(exported)) }]
    : [
        { name: 'model.json', bytes: copy(new TextEncoder().encode(exported.modelJson)) },
        { name: exported.weightsFileName, bytes: copy(exported.weights) },
      ];
  return { target, quantization, files, bytes: report.bytes, testAccuracy: report.testAccuracy };
}
