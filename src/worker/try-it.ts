import * as tf from '@tensorflow/tfjs';
import { errorText } from '../core/backend';
import { predictorTeacher, type TeacherModel } from '../core/teacher-model';
import type { FromWorker, TryItLogits } from './protocol';
import { session } from './session';

export type TryItAnswer = Extract<FromWorker, { type: 'predictions' | 'predictFailed' }>;

/**
 * Try it: the teacher's and both students' logits for one input row. During a distillation the
 * students are the ones in training, as they stand between two steps: they are only read (a
 * forward pass, no variable written), so the run goes on unaffected.
 */
export async function tryItPredictions(requestId: number, features: Float32Array): Promise<TryItAnswer> {
  const fail = (message: string): TryItAnswer => ({ type: 'predictFailed', requestId, message });
  const { dataset } = session;
  if (!dataset) return fail('The data set is not loaded yet.');
  if (!(features instanceof Float32Array) || features.length !== dataset.numFeatures) {
    return fail(`The input has ${features?.length ?? 0} values; the models of ${dataset.name} take ${dataset.numFeatures}.`);
  }
  if (!features.every(Number.isFinite)) return fail('Every input value must be a number.');
  const students = session.liveStudents?.() ?? session.students;
  const models: (TeacherModel | null)[] = [
    session.teacher?.model ?? null,
    students ? predictorTeacher(students.distilled) : null,
    students ? predictorTeacher(students.scratch) : null,
  ];
  const outputs: (tf.Tensor | null)[] = [];
  try {
    const row = tf.tensor2d(features, [1, features.length]);
    try {
      // All asked at once: the students answer at the call, before a slower teacher (ONNX Runtime) lets a training step in.
      const answers = await Promise.allSettled(models.map((model) => (model ? model.logits(row) : Promise.resolve(null))));
      for (const a of answers) outputs.push(a.status === 'fulfilled' ? a.value : null);
      const failed = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      row.dispose();
    }
    const [teacher, distilled, scratch] = await Promise.all(outputs.map((o) => (o ? (o.data() as Promise<Float32Array>) : null)));
    const logits: TryItLogits = { teacher, distilled, scratch };
    return { type: 'predictions', requestId, logits };
  } catch (e) {
    return fail(errorText(e));
  } finally {
    for (const o of outputs) o?.dispose();
  }
}

/** The buffers an answer can move to the page instead of copying. */
export function transferables(answer: TryItAnswer): ArrayBuffer[] {
  if (answer.type !== 'predictions') return [];
  const { teacher, distilled, scratch } = answer.logits;
  return [teacher, distilled, scratch].flatMap((l) => (l ? [l.buffer as ArrayBuffer] : []));
}
