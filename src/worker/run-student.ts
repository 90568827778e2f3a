import type * as tf from '@tensorflow/tfjs';
import { errorText } from '../core/backend';
import type { Dataset } from '../core/data/types';
import { saveToLibrary } from '../storage/library-db';
import { exportedFiles, exportName } from './export';
import type { SavedStudent } from './protocol';

/**
 * Keeps a finished run's distilled student in the model library (float32 model.json + weights, as a
 * download without quantization), marked as a run's student. The worker does it before it reports
 * the run done, so the page never has to fetch back what the worker just made. A failure is
 * returned, not thrown: the run's results stand without the saved student.
 */
export async function saveRunStudent(
  model: tf.LayersModel,
  keep: { name: string; dataset: string },
  dataset: Pick<Dataset, 'name' | 'classNames'>,
): Promise<SavedStudent> {
  try {
    const { files, bytes } = await exportedFiles(
      model,
      {
        name: exportName('distilled', dataset.name, 'none'),
        datasetName: dataset.name,
        classNames: dataset.classNames,
        target: 'distilled',
      },
      false,
    );
    const libraryId = await saveToLibrary({
      name: keep.name,
      role: 'student',
      dataset: keep.dataset,
      createdAt: Date.now(),
      bytes,
      files,
      run: true,
    });
    return { libraryId, bytes };
  } catch (e) {
    return { error: errorText(e) };
  }
}
