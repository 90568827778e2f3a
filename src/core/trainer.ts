import * as tf from '@tensorflow/tfjs';
import { adam } from './kernels/fused-adam';
import { DEFAULT_TRANSFER, type HintTerm, type MethodSettings, type SoftTargets, type TransferSet } from './experiment';
import { hintModels } from './hint';
import { methodConflict } from './method-rules';
import { hardCrossEntropy, softTargetKL, studentLoss, validateLossWeights, type DistillLossConfig } from './losses';
import { accuracy, agreement, classAccuracy, predictLogits } from './metrics';
import { reseedDropout } from './models';
import type { TeacherModel } from './teacher-model';
import { ActivationQuantTraining, setQuantTrained } from './quant-activations';
import { quantAwareStep, quantisedValues } from './quantise';
import { createRng, deriveSeed, permutation } from './rng';
import { ablatedTargets } from './soft-targets';
import { minimizeStep, trainableVariables, type DataTensors } from './tensors';
import { jitterImages, transferRows, validateTransfer } from './transfer';
import { mixLossParts, transferSource, validateTransferData, type SourceBatch, type TransferSource } from './transfer-data/source';
import type { SynthesisedSet } from './transfer-data/synthesise';

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
  /**
   * The first epoch to run (default 1): a run resumed from a checkpoint goes on with the same
   * batch order, dropout seeds and step numbers as if it had not stopped (only the optimiser starts afresh).
   */
  startEpoch?: number;
}

export interface DistillConfig extends TrainConfig, DistillLossConfig {
  /** Multiply the soft term by T^2 (default true). */
  scaleByT2?: boolean;
  /** Weight of the logit MSE term (default 0: off). */
  logitMse?: number;
  hint?: HintTerm | null;
  /** Default: the whole training set, labelled, no jitter. */
  transfer?: TransferSet;
  /** Train for uint8: the distilled student's last `lastEpochs` epochs see its weights fake-quantised (core/quantise.ts). */
  quantAware?: QuantAware;
  /** Absent: Hinton KD. With 'dkd' the soft term is dkdAlpha·TCKD + dkdBeta·NCKD (core/dkd.ts). */
  method?: MethodSettings;
  /** Absent or 'teacher': the teacher's soft targets; else an ablation of them (core/soft-targets.ts). */
  softTargets?: SoftTargets;
}

export interface QuantAware {
  lastEpochs: number;
  /** One uint8 grid per output channel instead of per tensor. */
  perChannel: boolean;
  /**
   * Hidden outputs fake-quantised too (per tensor, ranges observed in the float epochs, then frozen:
   * core/quant-activations.ts), as the C int8 export computes them.
   */
  activations: boolean;
}

/** The first epoch trained for uint8 (Infinity: none). */
function quantFrom(config: DistillConfig): number {
  const q = config.quantAware;
  if (!q) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(q.lastEpochs) || q.lastEpochs < 1 || q.lastEpochs > config.epochs)
    throw new Error(`Quantise last N epochs must be a whole number from 1 to ${config.epochs}, got ${q.lastEpochs}.`);
  if (q.activations && (config.hint?.weight ?? 0) > 0)
    throw new Error('Quantise activations cannot be combined with a hint term (FitNets): turn one of them off.');
  return config.epochs - q.lastEpochs + 1;
}

/** 'synthesise': inputs synthesised from the teacher (transfer data), samples counting optimisation steps. */
export type Phase = 'teacher' | 'synthesise' | 'teacher-logits' | 'distill' | 'evaluate';

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
  /** Logit MSE and FitNets hint MSE, unweighted, when those terms are on. */
  mse?: number;
  hint?: number;
  /** Decoupled KD's target-class and non-target terms, before their weights (times T² as soft is). */
  tckd?: number;
  nckd?: number;
  /** The scratch student's cross-entropy on its batch (NaN without a control). */
  scratch: number;
  /** Mutual learning: the peer student's loss and its two parts, as total, soft and hard above. */
  peerTotal?: number;
  peerSoft?: number;
  peerHard?: number;
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
  /** Test-set KL(teacher || student) at the run's temperature (no T^2). */
  distilledKL: number;
  scratchKL: number;
  /** With a class left out of the transfer set: each student's test accuracy on that class. */
  omitted?: { classIndex: number; distilledAccuracy: number; scratchAccuracy: number };
  /** Born-again: the generation this epoch belongs to (1-based); agreement and KL are then with its own teacher, generation − 1. */
  generation?: number;
  /** Mutual learning: the peer student's test accuracy. */
  peerAccuracy?: number;
}

export type TrainerEvent<Point, Epoch> =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'losses'; points: Point[] }
  | { kind: 'epoch'; summary: Epoch };

export function validate(config: TrainConfig, n: number): void {
  const { epochs, batchSize, learningRate } = config;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000)
    throw new Error(`Epochs must be a whole number from 1 to 1000, got ${epochs}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 4096)
    throw new Error(`Batch size must be a whole number from 1 to 4096, got ${batchSize}.`);
  if (!(learningRate > 0 && learningRate < 10)) throw new Error(`Learning rate must be between 0 and 10, got ${learningRate}.`);
  if (n < 1) throw new Error('The training set is empty.');
  const start = config.startEpoch ?? 1;
  if (!Number.isInteger(start) || start < 1 || start > epochs)
    throw new Error(`The first epoch must be a whole number from 1 to ${epochs}, got ${start}.`);
}

/** Steps taken before `startEpoch`: every epoch has the same number of batches. */
export function stepsBefore(config: TrainConfig, n: number): number {
  return ((config.startEpoch ?? 1) - 1) * Math.ceil(n / config.batchSize);
}

/** Batches of one epoch: the same seed and epoch give the same order. */
export function* epochBatches(n: number, batchSize: number, seed: number, epoch: number): Generator<Int32Array> {
  const order = permutation(n, createRng(deriveSeed(seed, 0x5eed, epoch)));
  for (let start = 0; start < n; start += batchSize) yield order.subarray(start, Math.min(start + batchSize, n));
}

/** Reads a list of scalars in one device sync, then frees them. */
export async function readScalars(scalars: tf.Scalar[]): Promise<Float32Array> {
  if (scalars.length === 0) return new Float32Array(0);
  const stacked = tf.stack(scalars);
  tf.dispose(scalars);
  try {
    return (await stacked.data()) as Float32Array;
  } finally {
    stacked.dispose();
  }
}

export function assertFinite(values: Float32Array, what: string, step: number): void {
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
  const optimizer = adam(config.learningRate);
  const vars = trainableVariables(model);
  const pending: tf.Scalar[] = [];
  let step = stepsBefore(config, n);
  let firstPending = step + 1;
  const flush = async (): Promise<TeacherLossPoint[]> => {
    const values = await readScalars(pending.splice(0));
    assertFinite(values, 'Teacher loss', step);
    const points = Array.from(values, (loss, i) => ({ step: firstPending + i, loss }));
    firstPending = step + 1;
    return points;
  };
  try {
    for (let epoch = config.startEpoch ?? 1; epoch <= config.epochs; epoch++) {
      let batchNo = 0;
      for (const batch of epochBatches(n, config.batchSize, config.seed, epoch)) {
        step++;
        batchNo++;
        reseedDropout(model, deriveSeed(config.seed, 0xd0, step));
        const loss = tf.tidy(() => {
          const idx = tf.tensor1d(batch, 'int32');
          return minimizeStep(
            optimizer,
            () =>
              hardCrossEntropy(tf.gather(data.yTrain, idx), model.apply(tf.gather(data.xTrain, idx), { training: true }) as tf.Tensor2D),
            vars,
          );
        });
        pending.push(loss);
        if (pending.length >= logEvery) yield { kind: 'losses', points: await flush() };
        yield {
          kind: 'progress',
          progress: {
            phase: 'teacher',
            epoch,
            epochs: config.epochs,
            samplesDone: (epoch - 1) * n + Math.min(n, batchNo * config.batchSize),
            samplesTotal: config.epochs * n,
          },
        };
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
  teacher: TeacherModel;
  /** The teacher as a layers model, needed for a hint term (its inner layers); null for graph models. */
  teacherLayers?: tf.LayersModel | null;
  /** Trained with the distillation loss. */
  distilled: tf.LayersModel;
  /** The control: same initial weights, hard labels only; null to train no control (sweeps reuse one). */
  scratch: tf.LayersModel | null;
  data: DataTensors;
  config: DistillConfig;
  /**
   * With quantAware: the same student (same initial weights) trained alongside in float32 on the
   * same batches and loss, without fake quantisation or the hint term: the baseline that
   * post-training quantisation starts from. Null or absent: none.
   */
  floatTwin?: tf.LayersModel | null;
  /** Needed for jitter: how the features fold into an image. */
  imageShape?: [number, number, number];
  /**
   * With transfer data "synthesised": the inputs synthesised beforehand (the worker shows them forming),
   * owned by the run from then on. Absent: the trainer synthesises them itself, as 'synthesise' progress.
   */
  synthesised?: SynthesisedSet;
}

/** How many scalars each step logs, in order: total, soft, hard, [mse], [hint], [tckd, nckd], [scratch]. */
function logLayout(config: DistillConfig, hasScratch: boolean) {
  const mse = (config.logitMse ?? 0) > 0;
  const hint = (config.hint?.weight ?? 0) > 0;
  const dkd = config.method?.method === 'dkd';
  return { mse, hint, dkd, scratch: hasScratch, width: 3 + Number(mse) + Number(hint) + 2 * Number(dkd) + Number(hasScratch) };
}

function toPoint(values: Float32Array, at: number, step: number, layout: ReturnType<typeof logLayout>): DistillLossPoint {
  let k = at + 3;
  const point: DistillLossPoint = { step, total: values[at], soft: values[at + 1], hard: values[at + 2], scratch: Number.NaN };
  if (layout.mse) point.mse = values[k++];
  if (layout.hint) point.hint = values[k++];
  if (layout.dkd) {
    point.tckd = values[k++];
    point.nckd = values[k++];
  }
  if (layout.scratch) point.scratch = values[k++];
  return point;
}

/**
 * Distils a frozen teacher into `distilled` while training `scratch` from the same start on hard
 * labels alone. With the whole training set labelled, both step on the same batches; with a
 * labelled fraction, the control cycles through the labelled rows for as many steps. Teacher logits
 * on the training set are computed once and gathered per batch, unless jitter makes every batch new.
 */
export async function* distill({
  teacher,
  teacherLayers,
  distilled,
  scratch,
  data,
  config,
  floatTwin,
  imageShape,
  synthesised,
}: DistillArgs): AsyncGenerator<TrainerEvent<DistillLossPoint, DistillEpoch>> {
  const transfer = config.transfer ?? DEFAULT_TRANSFER;
  validate(config, data.xTrain.shape[0]);
  const weights = {
    temperature: config.temperature,
    alpha: config.alpha,
    scaleByT2: config.scaleByT2 ?? true,
    logitMse: config.logitMse ?? 0,
    hintWeight: config.hint?.weight ?? 0,
    ...(config.method?.method === 'dkd' && { dkd: { alpha: config.method.dkdAlpha, beta: config.method.dkdBeta } }),
  };
  validateLossWeights(weights);
  const conflict = methodConflict(config.method?.method, config.softTargets, transfer);
  if (conflict) throw new Error(conflict);
  const ablation = config.softTargets === 'teacher' ? undefined : config.softTargets;
  const firstQuantEpoch = quantFrom(config);
  const twin = config.quantAware ? (floatTwin ?? null) : null;
  const numClasses = distilled.outputs[0].shape[1] as number;
  validateTransfer(transfer, numClasses, imageShape !== undefined);
  validateTransferData(transfer);
  const yCpu = (await data.yTrain.data()) as Int32Array;
  const { rows, labelled, labelledMask } = transferRows(yCpu, numClasses, transfer, config.seed);
  // Generated or mixed inputs: the distilled student's batches come from `source`; the scratch control keeps the real rows.
  const dataKind = transfer.data?.kind ?? 'training';
  const generated = dataKind !== 'training';
  const n = transfer.data?.kind === 'synthesised' ? numClasses * transfer.data.perClass : rows.length;
  const allRows = rows.length === data.xTrain.shape[0];
  const masked = labelled.length !== rows.length;
  const lockstep = !masked && !generated;
  const logEvery = config.logEvery ?? 10;
  const epochs = config.epochs;
  const layout = logLayout(config, scratch !== null);
  const samplesTotal = (scratch ? 2 : 1) * epochs * n;
  yield {
    kind: 'progress',
    progress: {
      phase: 'teacher-logits',
      epoch: config.startEpoch ?? 1,
      epochs,
      samplesDone: (scratch ? 2 : 1) * ((config.startEpoch ?? 1) - 1) * n,
      samplesTotal,
    },
  };
  const xCpu = transfer.jitter > 0 ? ((await data.xTrain.data()) as Float32Array) : null;
  const hint = config.hint && weights.hintWeight > 0 ? hintModels(config.hint, teacherLayers ?? null, distilled, config.seed) : null;
  let teacherTrainLogits: tf.Tensor2D | null = null;
  let teacherTestLogits: tf.Tensor2D | null = null;
  const optDistilled = adam(config.learningRate);
  const optScratch = adam(config.learningRate);
  const varsDistilled = [...trainableVariables(distilled), ...(hint ? [hint.kernel, hint.bias] : [])];
  const varsScratch = scratch ? trainableVariables(scratch) : [];
  const quantVars = trainableVariables(distilled);
  const actQuant = config.quantAware?.activations ? new ActivationQuantTraining(distilled) : null;
  const optTwin = adam(config.learningRate);
  const varsTwin = twin ? trainableVariables(twin) : [];
  const scratchBatches = scratch && !lockstep ? cyclingBatches(labelled, config.batchSize, config.seed) : null;
  const pending: tf.Scalar[] = [];
  const startEpoch = config.startEpoch ?? 1;
  let step = stepsBefore(config, n);
  let firstPending = step + 1;
  const flush = async (): Promise<DistillLossPoint[]> => {
    const values = await readScalars(pending.splice(0));
    assertFinite(values, 'Student loss', step);
    const points: DistillLossPoint[] = [];
    for (let i = 0; i < values.length; i += layout.width) points.push(toPoint(values, i, firstPending + i / layout.width, layout));
    firstPending = step + 1;
    return points;
  };
  /** The batch's inputs: gathered on the backend, or shifted on the CPU when jittering. */
  const inputs = (batchRows: Int32Array, idx: tf.Tensor1D, rngSalt: number): tf.Tensor2D =>
    xCpu && imageShape
      ? tf.tensor2d(jitterImages(xCpu, batchRows, imageShape, transfer.jitter, createRng(deriveSeed(config.seed, 0x717e, rngSalt))), [
          batchRows.length,
          data.xTrain.shape[1],
        ])
      : tf.gather(data.xTrain, idx);
  let source: TransferSource | null = null;
  try {
    if (generated) {
      const making = transferSource({
        data: transfer.data ?? { kind: 'training' },
        tensors: data,
        teacher,
        teacherLayers: teacherLayers ?? null,
        synthesised,
        numClasses,
        imageShape,
        seed: config.seed,
      });
      let made = false;
      try {
        for (let r = await making.next(); ; r = await making.next()) {
          if (r.done) {
            source = r.value;
            made = true;
            break;
          }
          const { done, total } = r.value;
          yield { kind: 'progress', progress: { phase: 'synthesise', epoch: startEpoch, epochs, samplesDone: done, samplesTotal: total } };
        }
      } finally {
        if (!made) await making.return(null);
      }
    } else synthesised?.x.dispose();
    teacherTrainLogits = xCpu || generated ? null : await teacher.logits(data.xTrain);
    teacherTestLogits = await teacher.logits(data.xTest);
    for (let epoch = startEpoch; epoch <= epochs; epoch++) {
      let batchNo = 0;
      for (const positions of epochBatches(n, config.batchSize, config.seed, epoch)) {
        step++;
        batchNo++;
        const seed = deriveSeed(config.seed, 0xd1, step);
        reseedDropout(distilled, seed);
        if (scratch) reseedDropout(scratch, seed);
        if (twin) reseedDropout(twin, seed);
        const batchRows = allRows ? positions : positions.map((p) => rows[p]);
        const idx = tf.tensor1d(batchRows, 'int32');
        let xb: tf.Tensor2D;
        let got: SourceBatch | null = null;
        try {
          got = source ? await source.batch(positions, step) : null;
          xb = got ? got.x : inputs(batchRows, idx, step);
        } catch (e) {
          idx.dispose();
          throw e;
        }
        // A jittered batch is new to the teacher: asked for here, outside the tidy, since the answer may be async.
        let liveTeacher: tf.Tensor2D | null = null;
        let quantised: tf.Tensor[] | null = null;
        let losses: tf.Scalar[];
        try {
          liveTeacher = got ? got.teacherLogits : teacherTrainLogits ? null : await teacher.logits(xb);
          if (epoch >= firstQuantEpoch) {
            // The scheme (and frozen ranges) go with the student: its exports quantise as it was trained.
            const activationRanges = actQuant ? await actQuant.freeze(data.xTrain) : null;
            setQuantTrained(distilled, { perChannel: config.quantAware?.perChannel ?? false, activationRanges });
            quantised = await quantisedValues(quantVars, { perChannel: config.quantAware?.perChannel });
          }
          losses = tf.tidy(() => {
            const yb = got ? got.labels : tf.gather(data.yTrain, idx);
            const tb = liveTeacher ?? tf.gather(teacherTrainLogits as tf.Tensor2D, idx);
            const labelMask = !masked ? undefined : tf.tensor1d(Float32Array.from(positions, (p) => labelledMask[p]));
            // Seeded by the run's seed and step: the same run shuffles the same way every time.
            const targets = ablation
              ? ablatedTargets(
                  tb,
                  Int32Array.from(batchRows, (r) => yCpu[r]),
                  weights.temperature,
                  ablation,
                  createRng(deriveSeed(config.seed, 0x50f7, step)),
                )
              : undefined;
            const parts: tf.Scalar[] = [];
            const distilledLoss = () => {
              const [features, logits] = hint
                ? (hint.student.apply(xb, { training: true }) as tf.Tensor[])
                : [null, actQuant ? actQuant.forward(xb, true) : (distilled.apply(xb, { training: true }) as tf.Tensor)];
              const hintInputs = hint && features ? { mapped: hint.map(features), target: hint.teacherFeatures(xb) } : undefined;
              const lossOn = (labels: tf.Tensor1D) =>
                studentLoss(
                  { teacherLogits: tb, studentLogits: logits as tf.Tensor2D, labels, labelMask, hint: hintInputs, targets },
                  weights,
                );
              // Mixup: λ·CE(y) + (1−λ)·CE(y[perm]) as the hard term; the other terms are the same in both.
              const out = got?.mix ? mixLossParts(lossOn(yb), lossOn(got.mix.mixedWith), got.mix.lambda) : lossOn(yb);
              parts.push(
                ...[out.soft, out.hard, out.mse, out.hint, out.tckd, out.nckd]
                  .filter((t): t is tf.Scalar => t !== undefined)
                  .map((t) => tf.keep(t)),
              );
              return out.total;
            };
            const total = quantised
              ? quantAwareStep(optDistilled, distilledLoss, varsDistilled, quantVars, quantised)
              : minimizeStep(optDistilled, distilledLoss, varsDistilled);
            const logged = [total, ...parts];
            if (twin) {
              const twinLoss = () => {
                const studentLogits = twin.apply(xb, { training: true }) as tf.Tensor2D;
                const twinOn = (labels: tf.Tensor1D) =>
                  studentLoss({ teacherLogits: tb, studentLogits, labels, labelMask, targets }, { ...weights, hintWeight: 0 });
                return (got?.mix ? mixLossParts(twinOn(yb), twinOn(got.mix.mixedWith), got.mix.lambda) : twinOn(yb)).total;
              };
              minimizeStep(optTwin, twinLoss, varsTwin);
            }
            if (scratch) {
              const sRows = scratchBatches ? scratchBatches.next() : batchRows;
              const sIdx = scratchBatches ? tf.tensor1d(sRows, 'int32') : idx;
              const sx = scratchBatches ? inputs(sRows, sIdx, 0x5c000000 + step) : xb;
              const sy = scratchBatches ? tf.gather(data.yTrain, sIdx) : yb;
              logged.push(
                minimizeStep(optScratch, () => hardCrossEntropy(sy, scratch.apply(sx, { training: true }) as tf.Tensor2D), varsScratch),
              );
            }
            return logged;
          });
        } finally {
          tf.dispose([idx, xb, ...(liveTeacher ? [liveTeacher] : []), ...(quantised ?? [])]);
          if (got) tf.dispose([got.labels, ...(got.mix ? [got.mix.mixedWith] : [])]);
        }
        pending.push(...losses);
        if (pending.length >= layout.width * logEvery) yield { kind: 'losses', points: await flush() };
        const samplesDone = (scratch ? 2 : 1) * ((epoch - 1) * n + Math.min(n, batchNo * config.batchSize));
        yield { kind: 'progress', progress: { phase: 'distill', epoch, epochs, samplesDone, samplesTotal } };
      }
      if (pending.length > 0) yield { kind: 'losses', points: await flush() };
      if (actQuant && epoch < firstQuantEpoch) await actQuant.endEpoch();
      yield { kind: 'progress', progress: { phase: 'evaluate', epoch, epochs, samplesDone: (scratch ? 2 : 1) * epoch * n, samplesTotal } };
      const summary = await evaluateEpoch(teacherTestLogits, distilled, scratch, data, config.temperature, transfer.omitClass);
      yield { kind: 'epoch', summary: { epoch, ...summary } };
    }
  } finally {
    tf.dispose(pending);
    tf.dispose([teacherTestLogits, teacherTrainLogits].filter((t): t is tf.Tensor2D => t !== null));
    source?.dispose();
    hint?.dispose();
    optDistilled.dispose();
    optScratch.dispose();
    optTwin.dispose();
    actQuant?.dispose();
  }
}

/** Endless batches over `rows`, reshuffled (seeded) at every pass: the control's steps on a labelled fraction. */
function cyclingBatches(rows: Int32Array, batchSize: number, seed: number): { next(): Int32Array } {
  const size = Math.min(batchSize, rows.length);
  let pass = 0;
  let order = new Int32Array(0);
  let at = 0;
  return {
    next() {
      if (at + size > order.length) {
        order = permutation(rows.length, createRng(deriveSeed(seed, 0xc7c1e, ++pass))).map((p) => rows[p]);
        at = 0;
      }
      at += size;
      return order.subarray(at - size, at);
    },
  };
}

export async function evaluateEpoch(
  teacherTestLogits: tf.Tensor2D,
  distilled: tf.LayersModel,
  scratch: tf.LayersModel | null,
  data: DataTensors,
  temperature: number,
  omitClass: number | null,
): Promise<Omit<DistillEpoch, 'epoch'>> {
  const scalars = tf.tidy(() => {
    const d = predictLogits(distilled, data.xTest);
    const s = scratch ? predictLogits(scratch, data.xTest) : null;
    const nan = tf.scalar(Number.NaN);
    const onClass = (logits: tf.Tensor2D) => (omitClass === null ? nan : classAccuracy(logits, data.yTest, omitClass));
    return [
      accuracy(teacherTestLogits, data.yTest),
      accuracy(d, data.yTest),
      s ? accuracy(s, data.yTest) : nan,
      agreement(teacherTestLogits, d),
      s ? agreement(teacherTestLogits, s) : nan,
      softTargetKL(teacherTestLogits, d, temperature),
      s ? softTargetKL(teacherTestLogits, s, temperature) : nan,
      onClass(d),
      s ? onClass(s) : nan,
    ];
  });
  const v = await readScalars(scalars);
  const summary: Omit<DistillEpoch, 'epoch'> = {
    teacherAccuracy: v[0],
    distilledAccuracy: v[1],
    scratchAccuracy: v[2],
    distilledAgreement: v[3],
    scratchAgreement: v[4],
    distilledKL: v[5],
    scratchKL: v[6],
  };
  if (omitClass !== null) summary.omitted = { classIndex: omitClass, distilledAccuracy: v[7], scratchAccuracy: v[8] };
  return summary;
}
