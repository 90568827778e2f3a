import * as tf from '@tensorflow/tfjs';
import { distillationLoss, hardCrossEntropy, validateLossConfig, type DistillLossConfig } from './losses';
import { accuracy, agreement, predictLogits, type Predictor } from './metrics';
import { reseedDropout } from './models';
import { createRng, deriveSeed, permutation } from './rng';
import { minimizeStep, trainableVariables, type DataTensors } from './tensors';

/**
 * The training and distillation loops, as async generators of events. They know nothing of who
 * watches: the caller pulls events, and pausing is simply not pulling; stopping is `return()`,
 * which runs the `finally` blocks that free every tensor the loop made.
 */

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Loss values are read from the backend every this many steps (each read is a device sync). */
  logEvery?: number;
}

export type DistillConfig = TrainConfig & DistillLossConfig;

export type Phase = 'teacher' | 'teacher-logits' | 'distill' | 'evaluate';

export interface Progress {
  phase: Phase;
  /** 1-based epoch in progress. */
  epoch: number;
  epochs: number;
  /** Samples processed so far in this run, over all models being trained, and in all. */
  samplesDone: number;
  samplesTotal: number;
}

export interface TeacherLossPoint {
  step: number;
  loss: number;
}

export interface DistillLossPoint {
  step: number;
  /** The distilled student's loss and its two parts (soft = T^2 * KL, hard = CE). */
  total: number;
  soft: number;
  hard: number;
  /** The scratch student's cross-entropy on the same batch. */
  scratch: number;
}

export interface TeacherEpoch {
  epoch: number;
  testAccuracy: number;
}

export interface DistillEpoch {
  epoch: number;
  teacherAccuracy: number;
  distilledAccuracy: number;
  scratchAccuracy: number;
  distilledAgreement: number;
  scratchAgreement: number;
}

export type TrainerEvent<Point, Epoch> =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'losses'; points: Point[] }
  | { kind: 'epoch'; summary: Epoch };

function validate(config: TrainConfig, n: number): void {
  const { epochs, batchSize, learningRate } = config;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000) throw new Error(`Epochs must be a whole number from 1 to 1000, got ${epochs}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 4096) throw new Error(`Batch size must be a whole number from 1 to 4096, got ${batchSize}.`);
  if (!(learningRate > 0 && learningRate < 10)) throw new Error(`Learning rate must be between 0 and 10, got ${learningRate}.`);
  if (n < 1) throw new Error('The training set is empty.');
}

/** Batches of one epoch: the same seed and epoch give the same order. */
function* epochBatches(n: number, batchSize: number, seed: number, epoch: number): Generator<Int32Array> {
  const order = permutation(n, createRng(deriveSeed(seed, 0x5eed, epoch)));
  for (let start = 0; start < n; start += batchSize) yield order.subarray(start, Math.min(start + batchSize, n));
}

/** Reads a list of scalars in one device sync, then frees them. */
async function readScalars(scalars: tf.Scalar[]): Promise<Float32Array> {
  if (scalars.length === 0) return new Float32Array(0);
  const stacked = tf.stack(scalars);
  tf.dispose(scalars);
  try {
    return (await stacked.data()) as Float32Array;
  } finally {
    stacked.dispose();
  }
}

function assertFinite(values: Float32Array, what: string, step: number): void {
  for (const v of values) {
    if (!Number.isFinite(v)) {
      throw new Error(`${what} became ${v} at step ${step}: training diverged. Lower the learning rate and run again.`);
    }
  }
}

export interface TrainArgs {
  model: tf.LayersModel;
  data: DataTensors;
  config: TrainConfig;
}

/** Trains `model` (in place) on hard labels: used for teachers. */
export async function* trainModel({ model, data, config }: TrainArgs): AsyncGenerator<TrainerEvent<TeacherLossPoint, TeacherEpoch>> {
  const n = data.xTrain.shape[0];
  validate(config, n);
  const logEvery = config.logEvery ?? 10;
  const optimizer = tf.train.adam(config.learningRate);
  const vars = trainableVariables(model);
  const pending: tf.Scalar[] = [];
  let step = 0;
  let firstPending = 1;
  const flush = async (): Promise<TeacherLossPoint[]> => {
    const values = await readScalars(pending.splice(0));
    assertFinite(values, 'Teacher loss', step);
    const points = Array.from(values, (loss, i) => ({ step: firstPending + i, loss }));
    firstPending = step + 1;
    return points;
  };
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      let batchNo = 0;
      for (const batch of epochBatches(n, config.batchSize, config.seed, epoch)) {
        step++;
        batchNo++;
        reseedDropout(model, deriveSeed(config.seed, 0xd0, step));
        const loss = tf.tidy(() => {
          const idx = tf.tensor1d(batch, 'int32');
          return minimizeStep(optimizer, () => hardCrossEntropy(tf.gather(data.yTrain, idx), model.apply(tf.gather(data.xTrain, idx), { training: true }) as tf.Tensor2D), vars);
        });
        pending.push(loss);
        if (pending.length >= logEvery) yield { kind: 'losses', points: await flush() };
        yield { kind: 'progress', progress: { phase: 'teacher', epoch, epochs: config.epochs, samplesDone: (epoch - 1) * n + Math.min(n, batchNo * config.batchSize), samplesTotal: config.epochs * n } };
      }
      if (pending.length > 0) yield { kind: 'losses', points: await flush() };
      const acc = tf.tidy(() => accuracy(predictLogits(model, data.xTest), data.yTest));
      const [testAccuracy] = await readScalars([acc]);
      yield { kind: 'epoch', summary: { epoch, testAccuracy } };
    }
  } finally {
    tf.dispose(pending);
    optimizer.dispose();
  }
}

export interface DistillArgs {
  /** Frozen; only its outputs (logits) are used. */
  teacher: Predictor;
  /** Trained with the distillation loss. */
  distilled: tf.LayersModel;
  /** The control: same initial weights and batch order, hard labels only. */
  scratch: tf.LayersModel;
  data: DataTensors;
  config: DistillConfig;
}

/**
 * Distils a frozen teacher into `distilled` while training `scratch` from the same start on hard
 * labels alone, step by step on the same batches. Teacher logits on the training set are computed
 * once and gathered per batch.
 */
export async function* distill({ teacher, distilled, scratch, data, config }: DistillArgs): AsyncGenerator<TrainerEvent<DistillLossPoint, DistillEpoch>> {
  const n = data.xTrain.shape[0];
  validate(config, n);
  const lossConfig = { temperature: config.temperature, alpha: config.alpha };
  validateLossConfig(lossConfig);
  const logEvery = config.logEvery ?? 10;
  const epochs = config.epochs;
  const samplesTotal = 2 * epochs * n;
  yield { kind: 'progress', progress: { phase: 'teacher-logits', epoch: 1, epochs, samplesDone: 0, samplesTotal } };
  const teacherTrainLogits = predictLogits(teacher, data.xTrain);
  const teacherTestLogits = predictLogits(teacher, data.xTest);
  const optDistilled = tf.train.adam(config.learningRate);
  const optScratch = tf.train.adam(config.learningRate);
  const varsDistilled = trainableVariables(distilled);
  const varsScratch = trainableVariables(scratch);
  const pending: tf.Scalar[] = [];
  let step = 0;
  let firstPending = 1;
  const flush = async (): Promise<DistillLossPoint[]> => {
    const values = await readScalars(pending.splice(0));
    assertFinite(values, 'Student loss', step);
    const points: DistillLossPoint[] = [];
    for (let i = 0; i < values.length; i += 4) {
      points.push({ step: firstPending + i / 4, total: values[i], soft: values[i + 1], hard: values[i + 2], scratch: values[i + 3] });
    }
    firstPending = step + 1;
    return points;
  };
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      let batchNo = 0;
      for (const batch of epochBatches(n, config.batchSize, config.seed, epoch)) {
        step++;
        batchNo++;
        const seed = deriveSeed(config.seed, 0xd1, step);
        reseedDropout(distilled, seed);
        reseedDropout(scratch, seed);
        const losses = tf.tidy(() => {
          const idx = tf.tensor1d(batch, 'int32');
          const xb = tf.gather(data.xTrain, idx);
          const yb = tf.gather(data.yTrain, idx);
          const tb = tf.gather(teacherTrainLogits, idx);
          let soft: tf.Scalar | undefined;
          let hard: tf.Scalar | undefined;
          const total = minimizeStep(
            optDistilled,
            () => {
              const parts = distillationLoss(tb, distilled.apply(xb, { training: true }) as tf.Tensor2D, yb, lossConfig);
              soft = tf.keep(parts.soft);
              hard = tf.keep(parts.hard);
              return parts.total;
            },
            varsDistilled,
          );
          const scratchLoss = minimizeStep(optScratch, () => hardCrossEntropy(yb, scratch.apply(xb, { training: true }) as tf.Tensor2D), varsScratch);
          return [total, soft as tf.Scalar, hard as tf.Scalar, scratchLoss];
        });
        pending.push(...losses);
        if (pending.length >= 4 * logEvery) yield { kind: 'losses', points: await flush() };
        const samplesDone = 2 * ((epoch - 1) * n + Math.min(n, batchNo * config.batchSize));
        yield { kind: 'progress', progress: { phase: 'distill', epoch, epochs, samplesDone, samplesTotal } };
      }
      if (pending.length > 0) yield { kind: 'losses', points: await flush() };
      yield { kind: 'progress', progress: { phase: 'evaluate', epoch, epochs, samplesDone: 2 * epoch * n, samplesTotal } };
      const summary = await evaluateEpoch(teacherTestLogits, distilled, scratch, data);
      yield { kind: 'epoch', summary: { epoch, ...summary } };
    }
  } finally {
    tf.dispose(pending);
    tf.dispose([teacherTrainLogits, teacherTestLogits]);
    optDistilled.dispose();
    optScratch.dispose();
  }
}

async function evaluateEpoch(teacherTestLogits: tf.Tensor2D, distilled: tf.LayersModel, scratch: tf.LayersModel, data: DataTensors): Promise<Omit<DistillEpoch, 'epoch'>> {
  const scalars = tf.tidy(() => {
    const d = predictLogits(distilled, data.xTest);
    const s = predictLogits(scratch, data.xTest);
    return [accuracy(teacherTestLogits, data.yTest), accuracy(d, data.yTest), accuracy(s, data.yTest), agreement(teacherTestLogits, d), agreement(teacherTestLogits, s)];
  });
  const [teacherAccuracy, distilledAccuracy, scratchAccuracy, distilledAgreement, scratchAgreement] = await readScalars(scalars);
  return { teacherAccuracy, distilledAccuracy, scratchAccuracy, distilledAgreement, scratchAgreement };
}
