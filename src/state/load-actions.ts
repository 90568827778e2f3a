import { defaultShippedTeacher, shippedTeachersFor } from '../core/shipped';
import type { DataSource, OnnxChoice } from '../worker/protocol';
import { describeSource } from './experiment';
import { useStudio } from './store';
import { workerClient } from './worker-session';

/** Loading what a run needs: the data set, the teacher, the student's starting point. */

const set = useStudio.setState;
const get = useStudio.getState;

/** The file that names an upload: the .onnx, model.json or the .zip, else the first. */
function mainFileName(files: File[]): string {
  return (
    files.find((f) => /\.onnx$/i.test(f.name))?.name ??
    files.find((f) => /^model\.json$/i.test(f.name))?.name ??
    files.find((f) => /\.(json|zip)$/i.test(f.name))?.name ??
    files[0]?.name ??
    'model'
  );
}

/** Loads a data set in the worker; the current one stays until the new one has parsed. */
export function loadData(source: DataSource, label: string): void {
  requestData(source, label);
}

/** loadData, saying whether a request went out (start-up waits for its answer). */
export function requestData(source: DataSource, label: string): boolean {
  const client = workerClient();
  if (!client || get().run) return false;
  const id = client.loadData(source);
  set({ dataRequest: { id, label, done: 0, total: 0, descriptor: describeSource(source) }, dataError: null });
  return true;
}

/** A CSV file chosen or dropped: preview it first, so the label column can be picked. */
export function previewCsvFile(file: File): void {
  const client = workerClient();
  if (!client || get().run) return;
  const id = client.previewCsv(file);
  set({ dataRequest: { id, label: `Reading ${file.name}`, done: 0, total: 0, file }, dataError: null, csvPreview: null });
}

export function cancelCsvPreview(): void {
  // A preview still being read is forgotten too: its answer will find no request.
  set((s) => ({ csvPreview: null, ...(s.dataRequest?.file && { dataRequest: null }) }));
}

/** A shipped teacher that fits the current data set, if any (the studio opens with one ready). */
export function loadShippedTeacher(id?: string): void {
  requestShippedTeacher(id);
}

/** loadShippedTeacher, saying whether a request went out (none when no shipped teacher fits). */
export function requestShippedTeacher(id: string | undefined): boolean {
  const client = workerClient();
  const { dataset, run, backend } = get();
  if (!client || run || !dataset) return false;
  const software = /software/i.test(backend?.detail ?? '');
  const teacher =
    shippedTeachersFor(dataset.family, dataset.numClasses).find((t) => t.id === id) ??
    defaultShippedTeacher(dataset.family, dataset.numClasses, software);
  if (!teacher) return false;
  const requestId = client.loadShippedTeacher(`${import.meta.env.BASE_URL}${teacher.path}`, teacher.label);
  set({
    teacherRequest: { id: requestId, label: `Loading ${teacher.label}`, descriptor: { kind: 'shipped', id: teacher.id } },
    teacherError: null,
  });
  return true;
}

/**
 * model.json with its .bin shards, a .zip, an .onnx model or a Teachable Machine export: checked against the data set
 * in the worker before it replaces the teacher. `onnx`: the person's answer to the worker's question about these files.
 */
export function uploadTeacher(files: File[], onnx?: OnnxChoice): void {
  const client = workerClient();
  if (!client || get().run || files.length === 0) return;
  const id = client.loadTeacher(files, onnx);
  set({
    teacherRequest: {
      id,
      label: `Loading ${files.map((f) => f.name).join(', ')}`,
      descriptor: { kind: 'uploaded', fileName: mainFileName(files) },
      files,
    },
    teacherError: null,
    teacherQuestion: null,
  });
}

/** The person's answer to the worker's question: the same files again, with the input, output and layout picked. */
export function answerTeacherQuestion(choice: OnnxChoice): void {
  const question = get().teacherQuestion;
  if (question) uploadTeacher(question.files, choice);
}

/** Drops the files waiting for an answer; the teacher in use, if any, stays. */
export function cancelTeacherQuestion(): void {
  set({ teacherQuestion: null });
}

/** A layers model file as the student's architecture and initial weights. */
export function uploadStudent(files: File[]): void {
  const client = workerClient();
  if (!client || get().run || files.length === 0) return;
  const id = client.loadStudent(files);
  set({
    studentRequest: { id, label: `Loading ${files.map((f) => f.name).join(', ')}`, fileName: mainFileName(files) },
    studentError: null,
  });
}

export function chooseStudentSource(source: 'preset' | 'uploaded'): void {
  set({ studentSource: source });
}
