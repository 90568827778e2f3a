import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architectureOf, captureCheckpoint, captureWeights, modelFrom, restoreModel, restoreWeights } from './checkpoint';
import { makeToyDataset } from './data/toy';
import { buildModel } from './models';
import { toTensors, disposeTensors } from './tensors';
import { distill, trainModel } from './trainer';
import { predictorTeacher } from './teacher-model';
import { secondCpuBackend, useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);
afterAll(useCpuBackend);

const dataset = makeToyDataset({ kind: 'moons', size: 120, noise: 0.1, seed: 3 });
const mlp = { kind: 'mlp' as const, hidden: [8, 6], activation: 'relu' as const, dropout: 0.1 };

async function predictions(model: tf.LayersModel, x: tf.Tensor2D): Promise<Float32Array> {
  const out = model.predict(x) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

async function trainSome(model: tf.LayersModel, epochs = 2): Promise<void> {
  const data = toTensors(dataset);
  for await (const _ of trainModel({ model, data, config: { epochs, batchSize: 16, learningRate: 0.05, seed: 1 } })) void _;
  disposeTensors(data);
}

describe('checkpoint', () => {
  it('restores into a rebuilt model with identical predictions, leaking no tensor', async () => {
    const model = buildModel(mlp, dataset, 7);
    await trainSome(model);
    const x = tf.tensor2d(dataset.test.x, [dataset.test.n, 2]);
    const before = tf.memory().numTensors;
    const snapshots = await captureWeights(model);
    expect(snapshots.map((s) => s.shape)).toEqual([[2, 8], [8], [8, 6], [6], [6, 2], [2]]);
    expect(snapshots.every((s) => s.values instanceof Float32Array)).toBe(true);
    const restored = await restoreModel(model, snapshots);
    expect(await predictions(restored, x)).toEqual(await predictions(model, x));
    // The copy owns its memory: training the original further does not change it.
    const copy = Float32Array.from(snapshots[0].values);
    await trainSome(model, 1);
    expect(snapshots[0].values).toEqual(copy);
    restored.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('moves a model to another backend through its checkpoint: nothing of it stays on the old one', async () => {
    const other = await secondCpuBackend('cpu-checkpoint');
    await tf.setBackend(other);
    const model = buildModel(mlp, dataset, 9);
    await trainSome(model);
    const x: [Float32Array, [number, number]] = [dataset.test.x, [dataset.test.n, 2]];
    const xOld = tf.tensor2d(...x);
    const expected = await predictions(model, xOld);
    const checkpoint = await captureCheckpoint(2, { student: model });
    const architecture = architectureOf(model);
    model.dispose();
    xOld.dispose();
    const old = tf.engine().findBackend(other);
    expect(old?.numDataIds()).toBe(0);

    await tf.setBackend('cpu');
    const moved = await modelFrom(architecture, checkpoint.models.student);
    const xNew = tf.tensor2d(...x);
    expect(await predictions(moved, xNew)).toEqual(expected);
    expect(old?.numDataIds()).toBe(0);
    // It trains on, on the new backend.
    await trainSome(moved, 1);
    expect(old?.numDataIds()).toBe(0);
    moved.dispose();
    xNew.dispose();
  });

  it('refuses a checkpoint of another architecture, leaking nothing', async () => {
    const a = buildModel(mlp, dataset, 1);
    const b = buildModel({ ...mlp, hidden: [5] }, dataset, 1);
    const snapshots = await captureWeights(a);
    const before = tf.memory().numTensors;
    expect(() => restoreWeights(b, snapshots)).toThrow(/weights/);
    expect(() => restoreWeights(b, snapshots.slice(0, 4))).toThrow(/shape/);
    await expect(modelFrom(architectureOf(b), snapshots)).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });

  it('resumes a distillation from a checkpoint at the next epoch, with the step numbers it would have had', async () => {
    const data = toTensors(dataset);
    const teacher = buildModel(mlp, dataset, 2);
    const student = buildModel({ ...mlp, hidden: [4] }, dataset, 3);
    const config = { epochs: 4, batchSize: 32, learningRate: 0.05, seed: 5, temperature: 2, alpha: 0.5, logEvery: 1 };
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const steps: number[] = [];
    for await (const e of distill({
      teacher: predictorTeacher(teacher),
      teacherLayers: teacher,
      distilled: student,
      scratch: null,
      data,
      config: { ...config, startEpoch: 3 },
    })) {
      if (e.kind === 'epoch') epochs.push(e.summary.epoch);
      if (e.kind === 'losses') steps.push(...e.points.map((p) => p.step));
    }
    const perEpoch = Math.ceil(dataset.train.n / 32);
    expect(epochs).toEqual([3, 4]);
    expect(steps[0]).toBe(2 * perEpoch + 1);
    expect(steps.at(-1)).toBe(4 * perEpoch);
    expect(tf.memory().numTensors).toBe(before);
    const bad = distill({
      teacher: predictorTeacher(teacher),
      teacherLayers: teacher,
      distilled: student,
      scratch: null,
      data,
      config: { ...config, startEpoch: 5 },
    });
    await expect(bad.next()).rejects.toThrow(/first epoch must be a whole number from 1 to 4/);
    teacher.dispose();
    student.dispose();
    disposeTensors(data);
  });
});
