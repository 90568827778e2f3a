/**
 * A Teachable Machine export as the teacher, through the worker's routing: its classes matched to
 * the data set's by name (another order, another case), its logits on the data set computed with
 * progress, a distillation from it, and a refusal that keeps the teacher.
 */
import * as tf from '@tensorflow/tfjs';
import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../core/data/types';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import { createRng } from '../core/rng';
import { useCpuBackend } from '../core/test-setup';
import type { FromWorker, ToWorker } from './protocol';
import { createRouter } from './router';
import { adoptDataset, dropStudents, dropTeacher, session } from './session';

/** 6×6 RGB images; the model was "trained" on 4×4 images, so the worker resizes them. */
const SIDE = 6;
const TM_SIDE = 4;
const LABELS = ['Dog', 'CAT', 'bird'];

function images(n: number, seed: number): { x: Float32Array; y: Int32Array; n: number } {
  const rng = createRng(seed);
  return {
    x: Float32Array.from({ length: n * SIDE * SIDE * 3 }, () => rng()),
    y: Int32Array.from({ length: n }, (_, i) => i % 3),
    n,
  };
}

const dataset: Dataset = {
  name: 'pets',
  numFeatures: SIDE * SIDE * 3,
  numClasses: 3,
  classNames: ['bird', 'cat', 'dog'],
  imageShape: [SIDE, SIDE, 3],
  train: images(40, 1),
  test: images(12, 2),
};

/** An export as Teachable Machine writes it: a softmax layers model on 4×4×3 images, its weights, and metadata.json. */
async function tmFiles(): Promise<File[]> {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [TM_SIDE, TM_SIDE, 3] }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 7 }) }),
    ],
  });
  let files: File[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const doc = {
        format: 'layers-model',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      files = [
        new File([JSON.stringify(doc)], 'model.json'),
        new File([new Uint8Array(artifacts.weightData as ArrayBuffer)], 'weights.bin'),
        new File([strToU8(JSON.stringify({ labels: LABELS, modelName: 'pets' })) as Uint8Array<ArrayBuffer>], 'metadata.json'),
      ];
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return files;
}

const route = createRouter({
  backends: { probe: async () => ({ available: false, software: false, detail: 'no backends in this test' }), activate: async () => false },
  planWasmThreads: () => {},
});

async function send(msg: ToWorker): Promise<FromWorker[]> {
  const answers: FromWorker[] = [];
  await route(msg, (m) => answers.push(m));
  return answers;
}

beforeAll(async () => {
  await useCpuBackend();
  adoptDataset(dataset);
});

afterAll(() => {
  dropStudents();
  dropTeacher();
});

describe('a Teachable Machine teacher in the worker', () => {
  it('loads with its classes matched by name and its logits computed with progress, and is distilled from', async () => {
    const answers = await send({ type: 'loadTeacher', requestId: 1, files: await tmFiles() });
    const loaded = answers.find((m) => m.type === 'teacherLoaded');
    if (loaded?.type !== 'teacherLoaded') throw new Error(JSON.stringify(answers));
    expect(answers.filter((m) => m.type === 'teacherProgress').at(-1)).toMatchObject({ done: 52, total: 52 });
    expect(loaded.teacher).toMatchObject({
      kind: 'teachable-machine',
      source: 'uploaded',
      exportable: false,
      hintLayers: null,
      params: TM_SIDE * TM_SIDE * 3 * 3 + 3,
      descriptor: { kind: 'teachable-machine', fileName: 'model.json' },
    });
    expect(loaded.teacher.description).toMatch(/^Uploaded model\.json \(Teachable Machine/);

    // The model's columns (Dog, CAT, bird) come back in the data set's order (bird, cat, dog).
    const teacher = session.teacher;
    if (!teacher) throw new Error('no teacher');
    const x = tf.tensor2d(dataset.test.x, [dataset.test.n, dataset.numFeatures]);
    const logits = await teacher.model.logits(x); // another tensor than xTest: the model runs
    const probs = tf.softmax(logits);
    const sums = Array.from(tf.sum(probs, 1).dataSync());
    sums.forEach((s) => {
      expect(s).toBeCloseTo(1, 5);
    });
    tf.dispose([x, logits, probs]);

    const run = await send({
      type: 'distill',
      runId: 2,
      config: {
        studentPreset: 'mlp-16',
        studentSource: 'preset',
        epochs: 1,
        batchSize: 16,
        learningRate: 0.01,
        seed: 1,
        loss: DEFAULT_LOSS,
        transfer: DEFAULT_TRANSFER,
      },
      keep: { name: 'from tm', dataset: 'pets' },
    });
    const done = run.find((m) => m.type === 'distillDone');
    if (done?.type !== 'distillDone') throw new Error(JSON.stringify(run.filter((m) => m.type === 'error')));
    expect(done.results.teacher.testAccuracy).toBe(loaded.teacher.testAccuracy);
    expect(done.results.testOutputs?.teacher).toHaveLength(dataset.test.n * 3);
  });

  it('refuses an export whose classes are not the data set’s, keeping the teacher', async () => {
    const before = session.teacher;
    const files = await tmFiles();
    files[2] = new File([JSON.stringify({ labels: ['Dog', 'CAT', 'fish'] })], 'metadata.json');
    const answers = await send({ type: 'loadTeacher', requestId: 3, files });
    const failed = answers.find((m) => m.type === 'teacherFailed');
    expect(failed?.type === 'teacherFailed' && failed.message).toMatch(/fish/);
    expect(session.teacher).toBe(before);
  });
});
