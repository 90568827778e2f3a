import * as tf from '@tensorflow/tfjs';
import { architectureOf } from './checkpoint';
import { MAX_GENERATIONS } from './born-again-rules';
import { accuracy } from './metrics';
import { removeFinalSoftmax } from './model-io/student';
import { deriveSeed } from './rng';
import { predictorTeacher, type TeacherModel } from './teacher-model';
import type { DataTensors } from './tensors';
import { distill, readScalars, type DistillConfig, type DistillEpoch, type DistillLossPoint, type TrainerEvent } from './trainer';

export { bornAgainRefusal, MAX_GENERATIONS } from './born-again-rules';

/**
 * Born-again networks (Furlanello et al. 2018): students with the teacher's own architecture, each
 * from fresh seeded weights. Generation 1 is distilled from the teacher, generation g from
 * generation g − 1, with the run's loss; the last generation is the distilled student. The scratch
 * control (same architecture, generation 1's initial weights, labels only) trains beside generation 1.
 */

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
