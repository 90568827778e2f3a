import * as tf from '@tensorflow/tfjs';
import { architectureOf } from './checkpoint';
import type { LossTerms, TransferSet } from './experiment';
import { accuracy } from './metrics';
import { removeFinalSoftmax } from './model-io/student';
import { deriveSeed } from './rng';
import { predictorTeacher, type TeacherModel } from './teacher-model';
import type { DataTensors } from './tensors';
import { distill, readScalars, type DistillConfig, type DistillEpoch, type DistillLossPoint, type TrainerEvent } from './trainer';

/**
 * Born-again networks (Furlanello et al. 2018): students with the teacher's own architecture, each
 * from fresh seeded weights. Generation 1 is distilled from the teacher, generation g from
 * generation g − 1, with the run's loss; the last generation is the distilled student. The scratch
 * control (same architecture, generation 1's initial weights, labels only) trains beside generation 1.
 */

export const MAX_GENERATIONS = 5;

/** One finished generation: its test accuracy, beside the original teacher's. */
export interface GenerationResult {
  generation: number;
  testAccuracy: number;
  teacherAccuracy: number;
}

/**
 * The trainer's events with epochs, steps and progress counted over all generations, and one
 * 'generation' event as each generation ends; its `model` is the generator's, readable only until
 * the next event is pulled.
 */
export type BornAgainEvent =
  | TrainerEvent<DistillLossPoint, DistillEpoch>
  | { kind: 'generation'; result: GenerationResult; model: tf.LayersModel };

/** What a born-again run needs of the experiment, as a run would send it. */
interface BornAgainRun {
  loss: Pick<LossTerms, 'hint' | 'method' | 'softTargets'>;
  transfer: TransferSet;
  studentSource: 'preset' | 'uploaded';
  repeats?: number;
  quantAware?: unknown;
}

/**
 * Null when born-again can run with these settings and this teacher, else the sentence that says
 * which two settings do not go together. `teacherKind`: how the teacher is held (absent: a layers model).
 */
export function bornAgainRefusal(run: BornAgainRun, teacherKind: string | undefined, hasLayers: boolean): string | null {
  if (!hasLayers || (teacherKind !== undefined && teacherKind !== 'layers')) {
    const what =
      teacherKind === 'onnx'
        ? 'an ONNX model'
        : teacherKind === 'ensemble'
          ? 'an ensemble'
          : teacherKind === 'teachable-machine'
            ? 'a Teachable Machine model'
            : 'a graph model';
    return `Method "Born-again" needs a TensorFlow.js layers teacher, whose architecture the students copy: this teacher is ${what}. Train or load a layers teacher, or pick another method.`;
  }
  const generations = run.loss.method?.generations ?? 0;
  if (!Number.isInteger(generations) || generations < 1 || generations > MAX_GENERATIONS)
    return `Generations must be a whole number from 1 to ${MAX_GENERATIONS}, got ${generations}.`;
  if (run.studentSource === 'uploaded')
    return 'Method "Born-again" trains students of the teacher\'s architecture, so an uploaded student is not used: pick a preset student or another method.';
  if (run.loss.softTargets !== undefined && run.loss.softTargets !== 'teacher')
    return 'Method "Born-again" distils from the teacher\'s own soft targets: the Soft targets ablations apply to Hinton KD only.';
  if (run.loss.hint)
    return 'Method "Born-again" cannot take a FitNets hint: the hint names layers of the preset student. Turn the hint off.';
  if (run.transfer.data?.kind === 'synthesised')
    return 'Method "Born-again" with Transfer data "Synthesised from the teacher" is not supported: each generation would need its own synthesis. Pick another transfer data.';
  if ((run.repeats ?? 1) > 1) return 'Method "Born-again" with Repeats above 1 is not supported: set Repeats to 1.';
  if (run.quantAware) return 'Method "Born-again" with Train for uint8 is not supported: Train for uint8 works with Hinton KD and DKD.';
  return null;
}

/**
 * A new student with `teacher`'s architecture and fresh weights drawn from `seed` (every seeded
 * initialiser of the topology reseeded, so no generation repeats the teacher's or another's start),
 * its final softmax, if any, made linear so that it gives logits. Owned by the caller.
 */
export async function bornAgainStudent(teacher: tf.LayersModel, seed: number): Promise<tf.LayersModel> {
  const topology = architectureOf(teacher) as unknown;
  let n = 0;
  const reseed = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(reseed);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (typeof record.class_name === 'string' && typeof record.config === 'object' && record.config !== null && 'seed' in record.config)
        (record.config as Record<string, unknown>).seed = deriveSeed(seed, 0xb0a, ++n);
      for (const value of Object.values(record)) reseed(value);
    }
  };
  reseed(topology);
  // A teacher that outputs probabilities: the student must give logits, as the trainer expects.
  const output = teacher.outputs[0].sourceLayer;
  const config = output.getConfig();
  if (config.activation === 'softmax' || output.getClassName() === 'Softmax') removeFinalSoftmax(topology, output.name);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology as tf.io.ModelArtifacts['modelTopology'] }));
}

/** The seed of generation g's initial weights (generation 1's is also the scratch control's). */
export function generationSeed(seed: number, generation: number): number {
  return deriveSeed(seed, 0xba, generation);
}

export interface BornAgainArgs {
  teacher: TeacherModel;
  /** The teacher as a layers model: its architecture is every generation's. */
  teacherLayers: tf.LayersModel;
  /** The control, built as generation 1 is (bornAgainStudent(teacherLayers, generationSeed(seed, 1))); null: none. */
  scratch: tf.LayersModel | null;
  data: DataTensors;
  config: DistillConfig;
  generations: number;
  imageShape?: [number, number, number];
  /** Takes the last generation when the run ends well: from then on it is the caller's to free. */
  handOver: (distilled: tf.LayersModel) => void;
}

/** Generation 1 from the teacher, then each from the one before, with the run's loss (distill()). */
export async function* bornAgain(args: BornAgainArgs): AsyncGenerator<BornAgainEvent> {
  const { teacher, teacherLayers, data, config, generations } = args;
  if (!Number.isInteger(generations) || generations < 1 || generations > MAX_GENERATIONS)
    throw new Error(`Generations must be a whole number from 1 to ${MAX_GENERATIONS}, got ${generations}.`);
  if (config.hint) throw new Error('Method "Born-again" cannot take a FitNets hint.');
  const teacherAccuracy = await testAccuracy(teacher, data);
  let previous: tf.LayersModel | null = null;
  let current: tf.LayersModel | null = null;
  let stepOffset = 0;
  let samplesOffset = 0;
  let samplesTotal = 0;
  try {
    for (let g = 1; g <= generations; g++) {
      current = await bornAgainStudent(teacherLayers, generationSeed(config.seed, g));
      const scratch = g === 1 ? args.scratch : null;
      const run = distill({
        teacher: previous ? predictorTeacher(previous) : teacher,
        teacherLayers: null,
        distilled: current,
        scratch,
        data,
        config,
        imageShape: args.imageShape,
      });
      let lastStep = 0;
      let generationSamples = 0;
      for await (const event of run) {
        if (event.kind === 'progress') {
          const p = event.progress;
          // Generation 1 trains the control too: the others take half its samples each.
          if (g === 1 && samplesTotal === 0) samplesTotal = p.samplesTotal + ((generations - 1) * p.samplesTotal) / (scratch ? 2 : 1);
          generationSamples = p.samplesTotal;
          yield {
            kind: 'progress',
            progress: {
              ...p,
              epoch: (g - 1) * config.epochs + p.epoch,
              epochs: generations * config.epochs,
              samplesDone: samplesOffset + p.samplesDone,
              samplesTotal,
            },
          };
        } else if (event.kind === 'losses') {
          lastStep = event.points.at(-1)?.step ?? lastStep;
          yield { kind: 'losses', points: event.points.map((p) => ({ ...p, step: p.step + stepOffset })) };
        } else {
          const s = event.summary;
          yield { kind: 'epoch', summary: { ...s, epoch: (g - 1) * config.epochs + s.epoch, teacherAccuracy, generation: g } };
        }
      }
      stepOffset += lastStep;
      samplesOffset += generationSamples;
      yield {
        kind: 'generation',
        result: { generation: g, testAccuracy: await testAccuracy(predictorTeacher(current), data), teacherAccuracy },
        model: current,
      };
      previous?.dispose();
      previous = current;
      current = null;
    }
    const last = previous as tf.LayersModel;
    previous = null;
    args.handOver(last);
  } finally {
    previous?.dispose();
    current?.dispose();
  }
}

async function testAccuracy(model: TeacherModel, data: DataTensors): Promise<number> {
  const logits = await model.logits(data.xTest);
  const acc = tf.tidy(() => accuracy(logits, data.yTest));
  logits.dispose();
  const [value] = await readScalars([acc]);
  return value;
}
