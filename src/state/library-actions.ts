import type { ExportedFiles, ExportFormat, ExportQuantization, ExportTarget } from '../worker/protocol';
import { deleteFromLibrary, listLibrary, readFromLibrary, saveToLibrary } from './library';
import { uploadStudent, uploadTeacher } from './load-actions';
import { useStudio } from './store';
import { workerClient } from './worker-session';
import { errorText } from '../core/error-text';

/** Saving models: as a download, or in this browser's model library (IndexedDB). */

const set = useStudio.setState;
const get = useStudio.getState;

/** `format`: TF.js (the default), ONNX (checked in ONNX Runtime by the worker) or C source. */
export function exportModel(target: ExportTarget, quantization: ExportQuantization, zip: boolean, format: ExportFormat = 'tfjs'): void {
  const client = workerClient();
  if (!client || get().run) return;
  const id = client.exportModel(target, quantization, zip, format);
  set({
    exportRequest: { id, label: `Saving the ${target === 'teacher' ? 'teacher' : 'student'}`, purpose: 'download' },
    exportError: null,
  });
}

/** Saves the student or teacher in this browser's model library under `name` (float32, as model.json + weights). */
export function saveModelToLibrary(target: ExportTarget, name: string): void {
  const client = workerClient();
  if (!client || get().run) return;
  const id = client.exportModel(target, 'none', false);
  set({ exportRequest: { id, label: `Saving "${name}" to the library`, purpose: { libraryName: name } }, exportError: null });
}

/** The files the worker exported for saveModelToLibrary, written to the library. */
export async function keepInLibrary(name: string, exported: ExportedFiles, dataset: string): Promise<void> {
  try {
    await saveToLibrary({
      name,
      role: exported.target === 'teacher' ? 'teacher' : 'student',
      dataset,
      createdAt: Date.now(),
      bytes: exported.bytes,
      files: exported.files,
    });
    set({ notice: `Saved "${name}" in this browser's model library.` });
    await refreshLibrary();
  } catch (e) {
    set({ libraryError: errorText(e) });
  }
}

export async function refreshLibrary(): Promise<void> {
  try {
    // Runs' students belong to their runs (the Runs view), not to the library panel.
    set({ library: (await listLibrary()).filter((m) => !m.run), libraryError: null });
  } catch (e) {
    set({ libraryError: errorText(e) });
  }
}

/** Loads a saved model back, as the teacher or as the students' starting point, through the same checks as an upload. */
export async function loadFromLibrary(id: number, as: 'teacher' | 'student'): Promise<void> {
  try {
    const files = await readFromLibrary(id);
    if (as === 'teacher') uploadTeacher(files);
    else uploadStudent(files);
  } catch (e) {
    set({ libraryError: errorText(e) });
  }
}

export async function removeFromLibrary(id: number): Promise<void> {
  try {
    await deleteFromLibrary(id);
    await refreshLibrary();
  } catch (e) {
    set({ libraryError: errorText(e) });
  }
}
