import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bornAgain, bornAgainRefusal, bornAgainStudent, generationSeed, type BornAgainEvent, type GenerationResult } from './born-again';
import { architectureOf, captureWeights, modelFrom, type Architecture, type WeightSnapshot } from './checkpoint';
import type { Dataset } from './data/types';
import { DEFAULT_TRANSFER } from './experiment';
import { buildModel } from './models';
import { predictorTeacher } from './teacher-model';
import { disposeTensors, toTensors, type DataTensors } from './tensors';
import { blobs } from './test-data';
import { useCpuBackend } from './test-setup';
import { distill, trainModel, type DistillConfig, type DistillEpoch, type DistillLossPoint } from './trainer';

const dataset: Dataset = {
  name: 'blobs',
  numFeatures: 8,
  numClasses: 4,
  classNames: ['a', 'b', 'c', 'd'],
  train: blobs(192, 1),
  test: blobs(96, 2),
};
const config: DistillConfig = { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 7, temperature: 4, alpha: 0.9 };
let data: DataTensors;
let teacher: tf.LayersModel;

const weights = (m: tf.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

interface Outcome {
  points: DistillLossPoint[];
  epochs: DistillEpoch[];
  generations: GenerationResult[];
  /** Each generation's weights as it ended, and the architecture they fit. */
  snapshots: WeightSnapshot[][];
  architecture: Architecture | null;
  final: number[];
}

async function runBornAgain(generations: number, withScratch = true): Promise<Outcome> {
  const scratch = withScratch ? await bornAgainStudent(teacher, generationSeed(config.seed, 1)) : null;
  const out: Outcome = { points: [], epochs: [], generations: [], snapshots: [], architecture: null, final: [] };
  let last: tf.LayersModel | null = null;
  const events: AsyncGenerator<BornAgainEvent> = bornAgain({
    teacher: predictorTeacher(teacher),
    teacherLayers: teacher,
    scratch,
    data,
    config,
    generations,
    handOver: (m) => {
      last = m;
    },
  });
  for await (const e of events) {
    if (e.kind === 'losses') out.points.push(...e.points);
    else if (e.kind === 'epoch') out.epochs.push(e.summary);
    else if (e.kind === 'generation') {
      out.generations.push(e.result);
      out.snapshots.push(await captureWeights(e.model));
      out.architecture = architectureOf(e.model);
    }
  }
  const final = last as tf.LayersModel | null;
  if (!final) throw new Error('no generation was handed over');
  out.final = weights(final);
  final.dispose();
  scratch?.dispose();
  return out;
}

beforeAll(async () => {
  await useCpuBackend();
  data = toTensors(dataset);
  teacher = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, dataset, 3);
  for await (const _ of trainModel({ model: teacher, data, config: { epochs: 3, batchSize: 32, learningRate: 0.01, seed: 3 } })) {
    // trained only to have a teacher worth distilling
  }
});

afterAll(() => {
  teacher.dispose();
  disposeTensors(data);
});

describe('bornAgainStudent', () => {
  it("has the teacher's architecture with fresh weights: seeded, different from the teacher's and from another seed's", async () => {
    const a = await bornAgainStudent(teacher, 11);
    const b = await bornAgainStudent(teacher, 11);
    const c = await bornAgainStudent(teacher, 12);
    expect(a.layers.map((l) => l.getClassName())).toEqual(teacher.layers.map((l) => l.getClassName()));
    expect(a.countParams()).toBe(teacher.countParams());
    expect(weights(a)).toEqual(weights(b));
    expect(weights(a)).not.toEqual(weights(c));
    expect(weights(a)).not.toEqual(weights(teacher));
    for (const m of [a, b, c]) m.dispose();
  });

  it("gives logits when the teacher's last layer is a softmax", async () => {
    const probs = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 3,
          inputShape: [2],
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
      ],
    });
    const student = await bornAgainStudent(probs, 5);
    const out = student.predict(tf.tensor2d([[3, -2]])) as tf.Tensor;
    const sum = (await out.sum().data())[0];
    expect(Math.abs(sum - 1)).toBeGreaterThan(1e-3); // a softmax's rows would sum to 1
    tf.dispose(out);
    student.dispose();
    probs.dispose();
  });
});

describe('bornAgain', () => {
  it('distils generation 2 from generation 1 exactly: the same as distilling from a copy of generation 1 by hand, and not from the teacher', async () => {
    const run = await runBornAgain(2, false);
    expect(run.generations.map((g) => g.generation)).toEqual([1, 2]);
    const gen1 = await modelFrom(run.architecture as Architecture, run.snapshots[0]);
    const byHand = async (from: tf.LayersModel) => {
      const student = await bornAgainStudent(teacher, generationSeed(config.seed, 2));
      for await (const _ of distill({ teacher: predictorTeacher(from), distilled: student, scratch: null, data, config })) {
        // pulled to the end
      }
      const w = weights(student);
      student.dispose();
      return w;
    };
    expect(run.final).toEqual(await byHand(gen1));
    expect(run.final).not.toEqual(await byHand(teacher));
    gen1.dispose();
  });

  it('with one generation is a plain distillation into a teacher-shaped student, control and all', async () => {
    const run = await runBornAgain(1);
    const distilled = await bornAgainStudent(teacher, generationSeed(config.seed, 1));
    const scratch = await bornAgainStudent(teacher, generationSeed(config.seed, 1));
    const points: DistillLossPoint[] = [];
    const epochs: DistillEpoch[] = [];
    for await (const e of distill({ teacher: predictorTeacher(teacher), distilled, scratch, data, config })) {
      if (e.kind === 'losses') points.push(...e.points);
      else if (e.kind === 'epoch') epochs.push(e.summary);
    }
    expect(run.final).toEqual(weights(distilled));
    expect(run.points).toEqual(points);
    expect(run.epochs).toEqual(epochs.map((e) => ({ ...e, generation: 1 })));
    expect(run.generations[0].testAccuracy).toBeCloseTo(epochs.at(-1)?.distilledAccuracy ?? Number.NaN, 6);
    distilled.dispose();
    scratch.dispose();
  });

  it('counts epochs and steps over the generations, compares each with the original teacher, and gives the same numbers twice', async () => {
    const a = await runBornAgain(3);
    const b = await runBornAgain(3);
    expect(a.final).toEqual(b.final);
    expect(a.generations).toEqual(b.generations);
    expect(a.epochs.map((e) => [e.epoch, e.generation])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 3],
      [6, 3],
    ]);
    const steps = a.points.map((p) => p.step);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
    expect(new Set(a.epochs.map((e) => e.teacherAccuracy)).size).toBe(1);
    expect(a.generations.every((g) => g.teacherAccuracy === a.epochs[0].teacherAccuracy)).toBe(true);
    // The control trains beside generation 1 only.
    expect(a.epochs.slice(0, 2).every((e) => Number.isFinite(e.scratchAccuracy))).toBe(true);
    expect(a.epochs.slice(2).every((e) => Number.isNaN(e.scratchAccuracy))).toBe(true);
  });

  it('leaves no tensor behind, run to the end or stopped after a generation', async () => {
    await runBornAgain(1); // kernels and backend state warmed up
    const before = tf.memory().numTensors;
    await runBornAgain(2);
    expect(tf.memory().numTensors).toBe(before);
    const events = bornAgain({
      teacher: predictorTeacher(teacher),
      teacherLayers: teacher,
      scratch: null,
      data,
      config,
      generations: 3,
      handOver: () => {
        throw new Error('a stopped run hands nothing over');
      },
    });
    for await (const e of events) if (e.kind === 'generation') break;
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bornAgainRefusal', () => {
  const run = {
    loss: { hint: null, method: { method: 'born-again' as const, dkdAlpha: 1, dkdBeta: 8, generations: 2 } },
    transfer: DEFAULT_TRANSFER,
    studentSource: 'preset' as const,
  };

  it('accepts a layers teacher and refuses, naming both settings, what has no layers architecture here', () => {
    expect(bornAgainRefusal(run, 'layers', true)).toBeNull();
    expect(bornAgainRefusal(run, 'onnx', false)).toMatch(/Born-again.*layers teacher.*ONNX/);
    expect(bornAgainRefusal(run, 'ensemble', false)).toMatch(/Born-again.*ensemble/);
    expect(bornAgainRefusal(run, 'teachable-machine', true)).toMatch(/Born-again.*Teachable Machine/);
    expect(bornAgainRefusal({ ...run, repeats: 3 }, 'layers', true)).toMatch(/Born-again.*Repeats/);
    expect(bornAgainRefusal({ ...run, quantAware: { lastEpochs: 1 } }, 'layers', true)).toMatch(/Born-again.*Train for uint8/);
  });
});
