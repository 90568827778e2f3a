import type * as tf from '@tensorflow/tfjs';
import type { TeacherModel } from '../core/teacher-model';
import type { ImportedModel } from '../core/model-io';
import type { BackendInfo, BackendName } from '../core/backend';
import type { Dataset } from '../core/data/types';
import { disposeTensors, toTensors, type DataTensors } from '../core/tensors';
import type { Dropped, TeacherResult } from './protocol';
import type { RunControl } from './run-driver';

export interface SessionTeacher {
  /** Gives logits (an uploaded model that outputs probabilities is wrapped to give their logs). */
  model: TeacherModel;
  /** Present when the teacher is a layers model, so it can be exported and give hints. */
  layers: tf.LayersModel | null;
  /** An ensemble's members, in the order of result.members: their test logits go to the explorer. */
  members?: TeacherModel[];
  result: TeacherResult;
  dispose(): void;
  /**
   * The same teacher built again on the active backend from what JS memory holds (its files, or
   * its weights), for a move to another backend after a failure; absent when it cannot be.
   */
  recreate?: () => Promise<SessionTeacher>;
}

/** Everything the worker holds between messages. The page never sees tensors, only numbers. */
export interface Session {
  backend: BackendInfo | null;
  dataset: Dataset | null;
  data: DataTensors | null;
  teacher: SessionTeacher | null;
  students: { distilled: tf.LayersModel; scratch: tf.LayersModel } | null;
  /** The students of the distillation under way (a getter: a backend fallback replaces them), for Try it to read between steps; null between runs. */
  liveStudents: (() => { distilled: tf.LayersModel; scratch: tf.LayersModel }) | null;
  /** An uploaded student: each run copies it twice, so both students start from its weights. */
  studentInit: { model: ImportedModel; description: string; reimport?: () => Promise<ImportedModel> } | null;
  run: RunControl | null;
  /** A data set, teacher or student is being loaded, or a model saved: runs and other loads wait, since they touch the same models and tensors. */
  loading: boolean;
  /** Backends that failed mid-run in this worker: a later fallback skips them. */
  failedBackends: BackendName[];
  /** Teachers kept as an ensemble's members (ensembles.ts). The list owns them, even the one that is also the teacher. */
  ensembleMembers: SessionTeacher[];
}

export const session: Session = {
  backend: null,
  dataset: null,
  data: null,
  teacher: null,
  students: null,
  liveStudents: null,
  studentInit: null,
  run: null,
  loading: false,
  failedBackends: [],
  ensembleMembers: [],
};

export function requireData(): { dataset: Dataset; data: DataTensors } {
  if (!session.dataset || !session.data) throw new Error('The data set is not loaded yet.');
  return { dataset: session.dataset, data: session.data };
}

export function dropStudents(): void {
  session.students?.distilled.dispose();
  session.students?.scratch.dispose();
  session.students = null;
}

export function dropTeacher(): void {
  if (session.teacher && !session.ensembleMembers.includes(session.teacher)) session.teacher.dispose(); // a member is the list's to free
  session.teacher = null;
}

/** Replaces the teacher; the old one is freed only now, once the new one is known to be good. Returns what went. */
export function setTeacher(teacher: SessionTeacher): Dropped {
  const dropped: Dropped = { teacher: session.teacher !== null, students: session.students !== null, uploadedStudent: false };
  dropTeacher();
  dropStudents(); // they were distilled from the old teacher
  session.teacher = teacher;
  return dropped;
}

/** Makes `dataset` current. Models fitted to the previous data set no longer fit, so they go; returns which did. */
export function adoptDataset(dataset: Dataset): Dropped {
  const data = toTensors(dataset);
  const dropped: Dropped = {
    teacher: session.teacher !== null,
    students: session.students !== null,
    uploadedStudent: session.studentInit !== null,
  };
  if (session.data) disposeTensors(session.data);
  dropStudents();
  dropTeacher();
  for (const member of session.ensembleMembers) member.dispose(); // fitted to the previous data set too
  session.ensembleMembers = [];
  session.studentInit?.model.dispose();
  session.studentInit = null;
  session.dataset = dataset;
  session.data = data;
  return dropped;
}
