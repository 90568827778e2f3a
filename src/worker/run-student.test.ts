import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import { importModel } from '../core/model-io';
import { useCpuBackend } from '../core/test-setup';
import { listLibrary, readFromLibrary } from '../storage/library-db';
import type { DistillRunConfig, FromWorker, TeacherRunConfig } from './protocol';
import { RunControl } from './run-driver';
import { createRouter } from './router';
import { runDistill, runTeacher } from './runs';
import { session, adoptDataset } from './session';

const dataset = makeToyDataset({ kind: 'blobs', size: 120, noise: 0.5, classes: 3, seed: 3 });
const teacherConfig: TeacherRunConfig = { preset: 'mlp-256', epochs: 2, batchSize: 32, learningRate: 0.02, seed: 1 };
const config: DistillRunConfig = {
  studentPreset: 'mlp-16',
  studentSource: 'preset',
  epochs: 2,
  batchSize: 32,
  learningRate: 0.02,
  seed: 1,
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
};
const KEEP = { name: 'blobs run 1', dataset: 'Blobs (3 classes)' };

type Done = Extract<FromWorker, { type: 'distillDone' }>;

async function distilled(runId: number): Promise<Done> {
  const messages: FromWorker[] = [];
  await runDistill(new RunControl(runId), config, KEEP, (m) => messages.push(m));
  const done = messages.at(-1);
  if (done?.type !== 'distillDone') throw new Error(`The run ended with ${done?.type}`);
  return done;
}

beforeAll(async () => {
  await useCpuBackend();
  adoptDataset(dataset);
  await runTeacher(new RunControl(1), teacherConfig, () => {});
});

afterEach(() => {
  vi.unstubAllGlobals();
});

afterAll(() => {
  adoptDataset(makeToyDataset({ kind: 'blobs', size: 12, noise: 0.5, classes: 3, seed: 1 })); // frees the models
});

describe("the worker keeps each run's student", () => {
  // First: the library has not been opened yet, so the failing IndexedDB is the one the save meets.
  it('a storage failure costs the saved student only: the run still finishes, with its results and the reason', async () => {
    const refuse = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    vi.stubGlobal('indexedDB', { open: refuse });
    const done = await distilled(2);
    expect(done.results.distilled.testAccuracy).toBeGreaterThan(0);
    expect(done.student).toEqual({
      error: expect.stringMatching(/^Could not save "blobs run 1": this browser's storage for the site is full/),
    });
    expect(session.students).not.toBeNull();
  });

  it("saves the distilled student in the library before distillDone, as a run's student that loads back as a layers model", async () => {
    const before = tf.memory().numTensors;
    const done = await distilled(3);
    expect(tf.memory().numTensors).toBe(before); // the previous run's students went, this run's came: as many tensors
    if (!('libraryId' in done.student)) throw new Error(`Not saved: ${done.student.error}`);
    const { libraryId, bytes } = done.student;

    const listed = (await listLibrary()).find((m) => m.id === libraryId);
    expect(listed).toMatchObject({ name: KEEP.name, dataset: KEEP.dataset, role: 'student', run: true, bytes });

    const files = await readFromLibrary(libraryId);
    expect(files.map((f) => f.name)).toEqual(['model.json', 'distilled-student-gaussian-blobs-3-classes.weights.bin']);
    const stored = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    expect(stored.reduce((sum, f) => sum + f.bytes.byteLength, 0)).toBe(bytes);
    const loaded = await importModel(stored);
    try {
      expect(loaded.kind).toBe('layers');
      const model = loaded.layersModel;
      const student = session.students?.distilled;
      if (!model || !student) throw new Error('Missing model');
      // float32, so the reloaded student answers exactly as the one in the worker does.
      const x = tf.tensor2d(dataset.test.x.slice(0, 10 * dataset.numFeatures), [10, dataset.numFeatures]);
      const [a, b] = [model.predict(x) as tf.Tensor, student.predict(x) as tf.Tensor];
      expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
      tf.dispose([x, a, b]);
    } finally {
      loaded.dispose();
    }
  });

  it("through the worker's routing: a distill message's keep names the saved student, and the answer comes once it is stored", async () => {
    const route = createRouter({
      backends: { probe: async () => ({ available: false, software: false, detail: 'none here' }), activate: async () => false },
      planWasmThreads: () => {},
    });
    const messages: FromWorker[] = [];
    const keep = { name: 'routed run', dataset: 'Routed blobs' };
    await route({ type: 'distill', runId: 4, config, keep }, (m) => messages.push(m));
    const done = messages.at(-1);
    if (done?.type !== 'distillDone' || !('libraryId' in done.student))
      throw new Error(`Not saved: ${JSON.stringify(done?.type === 'distillDone' ? done.student : done?.type)}`);
    const { libraryId } = done.student;
    expect((await listLibrary()).find((m) => m.id === libraryId)).toMatchObject({ ...keep, run: true });
    expect(session.run).toBeNull(); // the run is over once distillDone is posted
  });
});
