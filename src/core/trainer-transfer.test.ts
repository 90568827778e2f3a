import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './data/types';
import type { ModelSpec } from './model-spec';
import { buildModel } from './models';
import { createRng } from './rng';
import { disposeTensors, toTensors, type DataTensors } from './tensors';
import { blobs } from './test-data';
import { useCpuBackend } from './test-setup';
import {
  distill,
  trainModel,
  type DistillConfig,
  type DistillEpoch,
  type DistillLossPoint,
  type Progress,
  type TrainerEvent,
} from './trainer';
import { transferRows } from './transfer';
import { present } from './present';
import { predictorTeacher } from './teacher-model';

/** 6x6x1 images: a bright 2x2 square in the quadrant of the class, on noise. */
function squares(n: number, seed: number): { x: Float32Array; y: Int32Array; n: number } {
  const rng = createRng(seed);
  const x = new Float32Array(n * 36);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    y[i] = c;
    const top = c < 2 ? 1 : 3;
    const left = c % 2 === 0 ? 1 : 3;
    for (let p = 0; p < 36; p++) x[i * 36 + p] = rng() * 0.2;
    for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) x[i * 36 + (top + dy) * 6 + left + dx] += 1;
  }
  return { x, y, n };
}

const blobSet: Dataset = {
  name: 'blobs',
  numFeatures: 8,
  numClasses: 4,
  classNames: ['a', 'b', 'c', 'd'],
  train: blobs(256, 1),
  test: blobs(128, 2),
};
const imageShape: [number, number, number] = [6, 6, 1];
const imageSet: Dataset = {
  name: 'squares',
  numFeatures: 36,
  numClasses: 4,
  classNames: ['tl', 'tr', 'bl', 'br'],
  imageShape,
  train: squares(96, 3),
  test: squares(48, 4),
};
const teacherSpec: ModelSpec = { kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0.2 };
const studentSpec: ModelSpec = { kind: 'mlp', hidden: [6], activation: 'relu', dropout: 0 };
const dropStudentSpec: ModelSpec = { kind: 'mlp', hidden: [6], activation: 'relu', dropout: 0.1 };
const base: DistillConfig = { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 5, temperature: 4, alpha: 0.9 };

let data: DataTensors;
let teacher: tf.LayersModel;
let imageData: DataTensors;
let imageTeacher: tf.LayersModel;

async function collect(gen: AsyncGenerator<TrainerEvent<DistillLossPoint, DistillEpoch>>) {
  const points: DistillLossPoint[] = [];
  const epochs: DistillEpoch[] = [];
  const progress: Progress[] = [];
  for await (const ev of gen) {
    if (ev.kind === 'losses') points.push(...ev.points);
    else if (ev.kind === 'epoch') epochs.push(ev.summary);
    else progress.push(ev.progress);
  }
  return { points, epochs, progress };
}

const weights = (m: tf.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/** Builds a distilled student and (optionally) a control from the same seed, runs, returns everything, frees the models. */
async function run(opts: {
  config: DistillConfig;
  scratch?: boolean;
  spec?: ModelSpec;
  images?: boolean;
  d?: DataTensors;
  withLayers?: boolean;
}) {
  const set = opts.images ? imageSet : blobSet;
  const spec = opts.spec ?? studentSpec;
  const t = opts.images ? imageTeacher : teacher;
  const distilled = buildModel(spec, set, 21);
  const scratch = opts.scratch === false ? null : buildModel(spec, set, 21);
  try {
    const out = await collect(
      distill({
        teacher: predictorTeacher(t),
        teacherLayers: opts.withLayers === false ? null : t,
        distilled,
        scratch,
        data: opts.d ?? (opts.images ? imageData : data),
        config: opts.config,
        imageShape: opts.images ? imageShape : undefined,
      }),
    );
    return { ...out, distilled: weights(distilled), scratch: scratch ? weights(scratch) : null };
  } finally {
    distilled.dispose();
    scratch?.dispose();
  }
}

beforeAll(async () => {
  await useCpuBackend();
  data = toTensors(blobSet);
  teacher = buildModel(teacherSpec, blobSet, 1);
  for await (const _ of trainModel({ model: teacher, data, config: { epochs: 6, batchSize: 32, learningRate: 0.01, seed: 1 } }));
  imageData = toTensors(imageSet);
  imageTeacher = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, imageSet, 2);
  for await (const _ of trainModel({
    model: imageTeacher,
    data: imageData,
    config: { epochs: 6, batchSize: 16, learningRate: 0.01, seed: 2 },
  }));
});

afterAll(() => {
  teacher.dispose();
  imageTeacher.dispose();
  disposeTensors(data);
  disposeTensors(imageData);
});

describe('distill without a control (scratch null)', () => {
  it('reports NaN for the control, counts one model in progress, and trains the distilled student exactly as with a control', async () => {
    for (const config of [base, { ...base, logitMse: 0.5, transfer: { labelledFraction: 0.5, omitClass: 1, jitter: 0 } }]) {
      const alone = await run({ config, scratch: false, spec: dropStudentSpec });
      const paired = await run({ config, scratch: true, spec: dropStudentSpec });
      const n = config.transfer ? 256 - 64 : 256;
      const steps = config.epochs * Math.ceil(n / config.batchSize);
      expect(alone.points).toHaveLength(steps);
      for (const p of alone.points) expect(p.scratch).toBeNaN();
      for (const p of paired.points) expect(Number.isFinite(p.scratch)).toBe(true);
      for (const e of alone.epochs) {
        expect(e.scratchAccuracy).toBeNaN();
        expect(e.scratchAgreement).toBeNaN();
        expect(e.scratchKL).toBeNaN();
        expect(Number.isFinite(e.distilledKL)).toBe(true);
        if (config.transfer) expect(e.omitted?.scratchAccuracy).toBeNaN();
      }
      expect(new Set(alone.progress.map((p) => p.samplesTotal))).toEqual(new Set([config.epochs * n]));
      expect(alone.progress.at(-1)?.samplesDone).toBe(config.epochs * n);
      expect(paired.progress.at(-1)?.samplesTotal).toBe(2 * config.epochs * n);
      // The control has no say in the distilled student: same losses, same weights, same summaries.
      expect(alone.points.map(({ scratch: _, ...p }) => p)).toEqual(paired.points.map(({ scratch: _, ...p }) => p));
      expect(alone.distilled).toEqual(paired.distilled);
      expect(alone.epochs.map((e) => [e.distilledAccuracy, e.distilledAgreement, e.distilledKL])).toEqual(
        paired.epochs.map((e) => [e.distilledAccuracy, e.distilledAgreement, e.distilledKL]),
      );
    }
  });
});

describe('distill with a labelled fraction', () => {
  const transfer = { labelledFraction: 0.1, omitClass: null, jitter: 0 };
  /** A copy of the blobs whose unlabelled rows have their features replaced by junk (same labels, so the same rows stay labelled). */
  function junkUnlabelled(seed: number): { d: DataTensors; labelled: Set<number> } {
    const { labelled } = transferRows(blobSet.train.y, 4, transfer, seed);
    const keep = new Set(labelled);
    const rng = createRng(77);
    const x = blobSet.train.x.map((v, i) => (keep.has(Math.floor(i / 8)) ? v : (rng() - 0.5) * 20));
    return { d: toTensors({ ...blobSet, train: { ...blobSet.train, x } }), labelled: keep };
  }

  it('trains the control on the labelled rows alone, for as many steps as the distilled student', async () => {
    const config = { ...base, transfer };
    const { d, labelled } = junkUnlabelled(config.seed);
    expect(labelled.size).toBe(4 * Math.round(64 * 0.1));
    const clean = await run({ config });
    const junk = await run({ config, d });
    disposeTensors(d);
    expect(clean.points).toHaveLength(2 * 8);
    for (const p of clean.points) expect(Number.isFinite(p.scratch)).toBe(true);
    // The control never sees an unlabelled row: junk there changes nothing for it.
    expect(junk.points.map((p) => p.scratch)).toEqual(clean.points.map((p) => p.scratch));
    expect(junk.scratch).toEqual(clean.scratch);
    expect(junk.epochs.map((e) => e.scratchAccuracy)).toEqual(clean.epochs.map((e) => e.scratchAccuracy));
    // The distilled student does learn from those rows (through the teacher), so the junk shows there.
    expect(junk.distilled).not.toEqual(clean.distilled);
    // Reproducible.
    const again = await run({ config });
    expect(again.points).toEqual(clean.points);
    expect(again.scratch).toEqual(clean.scratch);
  });

  it("masks the distilled student's hard term: with alpha = 0 the unlabelled rows have no effect at all", async () => {
    const config = { ...base, alpha: 0, transfer };
    const { d } = junkUnlabelled(config.seed);
    const clean = await run({ config, scratch: false });
    const junk = await run({ config, scratch: false, d });
    disposeTensors(d);
    expect(junk.points.map((p) => p.hard)).toEqual(clean.points.map((p) => p.hard));
    expect(junk.distilled).toEqual(clean.distilled);
    // The soft term is still computed on every row, junk included (it just has weight 0 here).
    expect(junk.points.map((p) => p.soft)).not.toEqual(clean.points.map((p) => p.soft));
  });

  it('with fraction 1, the control steps on the very batches of the distilled student (alpha = 0: identical weights)', async () => {
    const out = await run({ config: { ...base, alpha: 0, transfer: { labelledFraction: 1, omitClass: null, jitter: 0 } } });
    expect(out.scratch).toEqual(out.distilled);
    for (const p of out.points) expect(p.total).toBeCloseTo(p.scratch, 6);
  });
});

describe('distill with an omitted class', () => {
  it("reports each student's accuracy on the class, and the control never predicts a class it never saw", async () => {
    const config = { ...base, epochs: 4, transfer: { labelledFraction: 1, omitClass: 2, jitter: 0 } };
    const out = await run({ config });
    expect(out.epochs).toHaveLength(4);
    for (const e of out.epochs) {
      expect(e.omitted?.classIndex).toBe(2);
      for (const v of [present(e.omitted).distilledAccuracy, present(e.omitted).scratchAccuracy, e.distilledAccuracy, e.scratchAccuracy]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    // The control's only signal about class 2 is the softmax pushing its logit down: after training it
    // never wins. (Not a law of nature, but with this seed and data it holds exactly.)
    expect(present(present(out.epochs.at(-1)).omitted).scratchAccuracy).toBe(0);
    // The control can be at most 3/4 right overall: a quarter of the test set is class 2.
    expect(present(out.epochs.at(-1)).scratchAccuracy).toBeLessThanOrEqual(0.75);
    // 192 of the 256 rows remain.
    expect(out.progress.at(-1)?.samplesTotal).toBe(2 * 4 * 192);
    expect(out.points).toHaveLength(4 * 6);
  });

  it('has no omitted entry when no class is left out', async () => {
    const out = await run({ config: { ...base, epochs: 1 } });
    expect(out.epochs[0].omitted).toBeUndefined();
  });
});

describe('distill with jitter', () => {
  const jitterConfig: DistillConfig = { ...base, batchSize: 16, transfer: { labelledFraction: 1, omitClass: null, jitter: 1 } };

  it('runs on images, gives the same numbers for the same seed, and others without jitter or with another seed', async () => {
    const a = await run({ config: jitterConfig, images: true });
    const b = await run({ config: jitterConfig, images: true });
    const still = await run({ config: { ...jitterConfig, transfer: { ...present(jitterConfig.transfer), jitter: 0 } }, images: true });
    const other = await run({ config: { ...jitterConfig, seed: 6 }, images: true });
    expect(a.points).toHaveLength(2 * 6);
    for (const p of a.points) for (const v of [p.total, p.soft, p.hard, p.scratch]) expect(Number.isFinite(v)).toBe(true);
    expect(a.points).toEqual(b.points);
    expect(a.distilled).toEqual(b.distilled);
    expect(a.scratch).toEqual(b.scratch);
    expect(a.epochs).toEqual(b.epochs);
    expect(still.points.map((p) => p.total)).not.toEqual(a.points.map((p) => p.total));
    expect(still.distilled).not.toEqual(a.distilled);
    expect(other.distilled).not.toEqual(a.distilled);
  });

  it('shows the teacher the same shifted images as the student (a teacher identical to the student has zero soft loss)', async () => {
    // The teacher is a copy of the student's initial weights: only if both see the same jittered batch is the KL 0.
    const twin = buildModel(studentSpec, imageSet, 21);
    const distilled = buildModel(studentSpec, imageSet, 21);
    const { points } = await collect(
      distill({
        teacher: predictorTeacher(twin),
        distilled,
        scratch: null,
        data: imageData,
        config: { ...jitterConfig, epochs: 1, alpha: 1, logEvery: 1, transfer: { labelledFraction: 1, omitClass: null, jitter: 2 } },
        imageShape,
      }),
    );
    expect(points[0].soft).toBeLessThan(1e-6);
    twin.dispose();
    distilled.dispose();
  });

  it('feeds the control the same shifted images in lockstep (alpha = 0: identical weights)', async () => {
    const out = await run({ config: { ...jitterConfig, alpha: 0 }, images: true });
    expect(out.scratch).toEqual(out.distilled);
  });

  it('refuses jitter without an image shape, and frees everything', async () => {
    const before = tf.memory().numTensors;
    await expect(run({ config: jitterConfig, images: false })).rejects.toThrow('Jitter shifts images: this data set has no image shape.');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('distill with logit MSE and a hint', () => {
  const hint = { weight: 0.5, teacherLayer: 0, studentLayer: 0 };

  it('reports both terms, unweighted, falling over training, and the total is their weighted sum', async () => {
    const config: DistillConfig = { ...base, epochs: 4, logitMse: 0.2, hint };
    const out = await run({ config, scratch: false });
    expect(out.points).toHaveLength(4 * 8);
    for (const p of out.points) {
      expect(Number.isFinite(p.mse)).toBe(true);
      expect(Number.isFinite(p.hint)).toBe(true);
      expect(p.total).toBeCloseTo(0.9 * p.soft + 0.1 * p.hard + 0.2 * present(p.mse) + 0.5 * present(p.hint), 4);
    }
    const first = out.points.slice(0, 8);
    const last = out.points.slice(-8);
    expect(mean(last.map((p) => present(p.mse)))).toBeLessThan(mean(first.map((p) => present(p.mse))) * 0.7);
    expect(mean(last.map((p) => present(p.hint)))).toBeLessThan(mean(first.map((p) => present(p.hint))) * 0.7);
    expect(mean(last.map((p) => p.total))).toBeLessThan(mean(first.map((p) => p.total)));
  });

  it('leaves the mse and hint fields out when those terms are off', async () => {
    const out = await run({ config: { ...base, epochs: 1, logitMse: 0, hint: { ...hint, weight: 0 } }, withLayers: false });
    for (const p of out.points) {
      expect('mse' in p).toBe(false);
      expect('hint' in p).toBe(false);
    }
  });

  it('refuses a hint without a layers-model teacher, or with a layer out of range', async () => {
    await expect(run({ config: { ...base, hint }, withLayers: false })).rejects.toThrow(/Hints need a teacher whose layers can be read/);
    await expect(run({ config: { ...base, hint: { ...hint, teacherLayer: 2 } } })).rejects.toThrow(
      'The teacher hint layer must be one of its inner layers, 0 to 1, got 2.',
    );
    await expect(run({ config: { ...base, hint: { ...hint, studentLayer: 1 } } })).rejects.toThrow(
      'The student hint layer must be one of its inner layers, 0 to 0, got 1.',
    );
  });

  it('refuses a negative logit-MSE or hint weight, naming it, and stays usable afterwards', async () => {
    await expect(run({ config: { ...base, logitMse: -1 } })).rejects.toThrow('Loss weights must not be negative (logit MSE -1, hint 0).');
    await expect(run({ config: { ...base, hint: { ...hint, weight: -0.5 } } })).rejects.toThrow(
      'Loss weights must not be negative (logit MSE 0, hint -0.5).',
    );
    // The engine still trains afterwards (the refusal came from inside a gradient computation).
    const out = await run({ config: { ...base, epochs: 1 }, scratch: false });
    expect(out.points).toHaveLength(8);
  });

  // Was a bug: a negative logitMse (or hint weight) was refused only at step 1, *inside* the
  // optimiser's gradient closure, after the student's forward pass had run. tfjs keeps clones of the
  // tensors each op saves for the backward pass and frees them only when the backward pass completes;
  // a throw in the closure abandons the tape, so those clones leaked (11 tensors here; the engine's
  // own tf.tidy cannot free kept tensors). distill now refuses them up front, before any tensor exists.
  it('frees everything when a negative logit-MSE weight is refused', async () => {
    const before = tf.memory().numTensors;
    await expect(run({ config: { ...base, logitMse: -1 } })).rejects.toThrow(/Loss weights must not be negative/);
    expect(tf.memory().numTensors).toBe(before); // with the bug: before + 11
  });

  // Was a bug: the teacher's train and test logits were computed before `hintModels(...)` was called,
  // and the try/finally that frees them started only after it, so when hintModels refused the hint
  // (graph-model teacher, layer out of range) those 2 tensors were never freed.
  it('frees the teacher logits when the hint is refused', async () => {
    const before = tf.memory().numTensors;
    await expect(run({ config: { ...base, hint }, withLayers: false })).rejects.toThrow(/Hints need a teacher/);
    expect(tf.memory().numTensors).toBe(before); // with the bug: before + 2
  });
});

describe('distill leaks no tensor', () => {
  const everything = (jitter: number): DistillConfig => ({
    ...base,
    batchSize: 16,
    logitMse: 0.2,
    scaleByT2: false,
    logEvery: 3,
    transfer: { labelledFraction: 0.3, omitClass: 3, jitter },
  });

  it('with jitter, a labelled fraction, an omitted class and logit MSE: at the end and when stopped with return()', async () => {
    const distilled = buildModel(dropStudentSpec, imageSet, 3);
    const scratch = buildModel(dropStudentSpec, imageSet, 3);
    const blobStudent = buildModel(studentSpec, blobSet, 4);
    const before = tf.memory().numTensors;
    await collect(
      distill({
        teacher: predictorTeacher(imageTeacher),
        teacherLayers: imageTeacher,
        distilled,
        scratch,
        data: imageData,
        config: everything(2),
        imageShape,
      }),
    );
    expect(tf.memory().numTensors).toBe(before);
    // Stopped at once, after the first event, and midway (with losses pending).
    for (const stopAfter of [1, 2, 7]) {
      const gen = distill({
        teacher: predictorTeacher(imageTeacher),
        teacherLayers: imageTeacher,
        distilled,
        scratch,
        data: imageData,
        config: everything(2),
        imageShape,
      });
      for (let i = 0; i < stopAfter; i++) await gen.next();
      await gen.return(undefined);
      expect(tf.memory().numTensors, `stopped after ${stopAfter} events`).toBe(before);
    }
    // A refused run (jitter on data with no image shape) leaks nothing either.
    await expect(
      collect(distill({ teacher: predictorTeacher(teacher), distilled: blobStudent, scratch: null, data, config: everything(1) })),
    ).rejects.toThrow(/Jitter shifts images/);
    expect(tf.memory().numTensors).toBe(before);
    blobStudent.dispose();
    distilled.dispose();
    scratch.dispose();
  });

  // Fails because of the hintModels leak (src/core/hint.ts: tf.variable(init) leaves the initial
  // kernel and bias tensors alive; see hint.test.ts): every run with a hint leaves 2 tensors behind.
  it('with a hint on as well (jitter, labelled fraction, omitted class): at the end and when stopped with return()', async () => {
    const distilled = buildModel(dropStudentSpec, imageSet, 3);
    const scratch = buildModel(dropStudentSpec, imageSet, 3);
    const config = { ...everything(2), hint: { weight: 0.5, teacherLayer: 0, studentLayer: 0 } };
    const before = tf.memory().numTensors;
    try {
      const gen = distill({
        teacher: predictorTeacher(imageTeacher),
        teacherLayers: imageTeacher,
        distilled,
        scratch,
        data: imageData,
        config,
        imageShape,
      });
      for (let i = 0; i < 7; i++) await gen.next();
      await gen.return(undefined);
      expect(tf.memory().numTensors).toBe(before); // with the bug: before + 2
      await collect(
        distill({
          teacher: predictorTeacher(imageTeacher),
          teacherLayers: imageTeacher,
          distilled,
          scratch,
          data: imageData,
          config,
          imageShape,
        }),
      );
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      distilled.dispose();
      scratch.dispose();
    }
  });
});

describe('distill is reproducible with every feature on', () => {
  it('gives identical loss points, summaries and weights for the same config, and others for another seed', async () => {
    const config: DistillConfig = {
      ...base,
      batchSize: 16,
      temperature: 3,
      alpha: 0.7,
      scaleByT2: false,
      logitMse: 0.1,
      hint: { weight: 0.3, teacherLayer: 0, studentLayer: 1 },
      transfer: { labelledFraction: 0.4, omitClass: 1, jitter: 1 },
    };
    const a = await run({ config, images: true, spec: dropStudentSpec });
    const b = await run({ config, images: true, spec: dropStudentSpec });
    const c = await run({ config: { ...config, seed: 99 }, images: true, spec: dropStudentSpec });
    expect(a.points).toHaveLength(2 * Math.ceil(72 / 16));
    for (const p of a.points) for (const v of [p.total, p.soft, p.hard, p.mse, p.hint, p.scratch]) expect(Number.isFinite(v)).toBe(true);
    expect(a.points).toEqual(b.points);
    expect(a.epochs).toEqual(b.epochs);
    expect(a.distilled).toEqual(b.distilled);
    expect(a.scratch).toEqual(b.scratch);
    expect(a.progress).toEqual(b.progress);
    expect(c.points).not.toEqual(a.points);
    expect(c.distilled).not.toEqual(a.distilled);
  });
});
