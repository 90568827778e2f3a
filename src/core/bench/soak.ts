import * as tf from '@tensorflow/tfjs';
import { makeToyDataset } from '../data/toy';
import { buildModel } from '../models';
import { disposeTensors, toTensors } from '../tensors';
import { distill } from '../trainer';
import { predictorTeacher } from '../teacher-model';

/**
 * The soak workload: many epochs of a tiny distillation (Two moons, a few hundred rows, a small
 * MLP teacher and student with its scratch control), to show that a long run does not grow. The
 * tensor count is sampled at every epoch; the heap, where the caller can read it, at the start and end.
 */

export interface SoakOptions {
  epochs: number;
  /** Rows of the toy data set (default 200). */
  rows?: number;
  /** Bytes of JS heap in use, where the platform says (Chromium's performance.memory); null elsewhere. */
  heap?: () => number | null;
  /** Called after every epoch (e.g. to report progress); awaited. */
  onEpoch?: (epoch: number, numTensors: number) => void | Promise<void>;
  now?: () => number;
}

export interface SoakReport {
  epochs: number;
  /** tf.memory().numTensors before the run, at every epoch's end, and after. */
  numTensors: { start: number; end: number; min: number; max: number; perEpoch: number[] };
  numBytes: { start: number; end: number };
  /** JS heap bytes before and after, when the platform tells. */
  heapBytes: { start: number; end: number } | null;
  seconds: number;
}

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const now = o.now ?? (() => Date.now());
  const started = now();
  const dataset = makeToyDataset({ kind: 'moons', size: o.rows ?? 200, noise: 0.1, seed: 1 });
  const heapStart = o.heap?.() ?? null;
  const start = tf.memory();
  const data = toTensors(dataset);
  const teacher = buildModel({ kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0 }, dataset, 1);
  const student = { kind: 'mlp' as const, hidden: [8], activation: 'relu' as const, dropout: 0 };
  const distilled = buildModel(student, dataset, 2);
  const scratch = buildModel(student, dataset, 2);
  const perEpoch: number[] = [];
  try {
    const events = distill({
      teacher: predictorTeacher(teacher),
      teacherLayers: teacher,
      distilled,
      scratch,
      data,
      config: { epochs: o.epochs, batchSize: 32, learningRate: 0.01, seed: 3, temperature: 4, alpha: 0.9 },
    });
    for await (const event of events) {
      if (event.kind !== 'epoch') continue;
      const n = tf.memory().numTensors;
      perEpoch.push(n);
      await o.onEpoch?.(event.summary.epoch, n);
    }
  } finally {
    for (const m of [teacher, distilled, scratch]) m.dispose();
    disposeTensors(data);
  }
  const end = tf.memory();
  const heapEnd = o.heap?.() ?? null;
  return {
    epochs: perEpoch.length,
    numTensors: { start: start.numTensors, end: end.numTensors, min: Math.min(...perEpoch), max: Math.max(...perEpoch), perEpoch },
    numBytes: { start: start.numBytes, end: end.numBytes },
    heapBytes: heapStart !== null && heapEnd !== null ? { start: heapStart, end: heapEnd } : null,
    seconds: (now() - started) / 1000,
  };
}
