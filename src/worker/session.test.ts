import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import type { ModelSpec } from '../core/model-spec';
import { buildModel } from '../core/models';
import { importModel } from '../core/model-io';
import { exportModel } from '../core/model-io/export';
import { useCpuBackend } from '../core/test-setup';
import { predictorTeacher } from '../core/teacher-model';
import { session, setTeacher, adoptDataset, type SessionTeacher } from './session';
import { TEST_TEACHER_RESULT } from './test-teacher';

const dataset = makeToyDataset({ kind: 'moons', size: 40, noise: 0.1, seed: 2 });
const spec: ModelSpec = { kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 };
const result = TEST_TEACHER_RESULT;

function teacher(): SessionTeacher {
  const model = buildModel(spec, dataset, 1);
  return { model: predictorTeacher(model), layers: model, result, dispose: () => model.dispose() };
}
function students(): void {
  session.students = { distilled: buildModel(spec, dataset, 2), scratch: buildModel(spec, dataset, 3) };
}
async function uploadedStudent(): Promise<void> {
  const model = buildModel(spec, dataset, 4);
  const exported = await exportModel(model);
  model.dispose();
  session.studentInit = {
    model: await importModel([
      { name: 'model.json', bytes: new TextEncoder().encode(exported.modelJson) },
      { name: exported.weightsFileName, bytes: exported.weights },
    ]),
    description: 'Uploaded model.json',
  };
}

beforeAll(useCpuBackend);
afterAll(() => adoptDataset(makeToyDataset({ kind: 'moons', size: 10, noise: 0.1, seed: 1 })));

describe('what the session reports it dropped', () => {
  it('a new data set: exactly the models that were there, and none of them are left', async () => {
    expect(adoptDataset(dataset)).toEqual({ teacher: false, students: false, uploadedStudent: false }); // first data set
    session.teacher = teacher();
    expect(adoptDataset(dataset)).toEqual({ teacher: true, students: false, uploadedStudent: false });
    session.teacher = teacher();
    students();
    await uploadedStudent();
    const before = tf.memory().numTensors;
    expect(adoptDataset(dataset)).toEqual({ teacher: true, students: true, uploadedStudent: true });
    expect([session.teacher, session.students, session.studentInit]).toEqual([null, null, null]);
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('a new teacher: the previous teacher and its students, never the uploaded student', async () => {
    adoptDataset(dataset);
    await uploadedStudent();
    expect(setTeacher(teacher())).toEqual({ teacher: false, students: false, uploadedStudent: false });
    students();
    expect(setTeacher(teacher())).toEqual({ teacher: true, students: true, uploadedStudent: false });
    expect(session.students).toBeNull();
    expect(session.studentInit).not.toBeNull();
  });
});
