import type * as tf from '@tensorflow/tfjs';
import {
  bornAgain,
  bornAgainRefusal,
  bornAgainStudent,
  generationSeed,
  type BornAgainEvent,
  type GenerationResult,
} from '../core/born-again';
import { disposeQuietly } from '../core/checkpoint';
import { describeSpec } from '../core/model-spec';
import { buildModel } from '../core/models';
import { mutual, mutualRefusal, peerSeed } from '../core/mutual';
import { studentPreset } from '../core/presets';
import { evaluateModel, latenciesOf, type Clock } from '../core/results';
import { predictorTeacher } from '../core/teacher-model';
import type { DistillConfig, DistillEpoch, DistillLossPoint, TrainerEvent } from '../core/trainer';
import type { DistillResults, DistillRunConfig, FromWorker } from './protocol';
import { boundaryTracker } from './boundaries';
import { drive, type RunControl } from './run-driver';
import { saveRunStudent } from './run-student';
import { runDistill, testOutputs, trainerConfig, type KeepStudent, type RunFaults } from './runs';
import { dropStudents, requireData, session, type SessionTeacher } from './session';

/**
 * The distillation run by its method: born-again and mutual learning train other models than
 * Hinton KD's one student (generations of the teacher's architecture; two peers), so they run
 * here; every other method goes to runDistill. Neither moves to another backend when this one
 * fails mid-run: such a failure ends the run with its error, and what was there before is kept.
 */
export function runMethod(
  control: RunControl,
  config: DistillRunConfig,
  keepAs: KeepStudent,
  post: Post,
  faults: RunFaults,
): Promise<void> {
  switch (config.loss.method?.method) {
    case 'born-again':
      return runBornAgain(control, config, keepAs, post);
    case 'mutual':
      return runMutual(control, config, keepAs, post);
    default:
      return runDistill(control, config, keepAs, post, faults);
  }
}

type Post = (msg: FromWorker) => void;

const clock: Clock = { now: () => performance.now() };

function requireTeacher(): SessionTeacher {
  if (!session.teacher) throw new Error('Train a teacher first: distillation needs one.');
  return session.teacher;
}

/** The trainer's events, with each finished generation told to the page on the way (a sweep tells it no one). */
export async function* tellingGenerations(
  events: AsyncGenerator<BornAgainEvent>,
  runId: number,
  generations: number,
  post: Post,
  done: GenerationResult[],
): AsyncGenerator<TrainerEvent<DistillLossPoint, DistillEpoch>> {
  for await (const event of events) {
    if (event.kind === 'generation') {
      done.push(event.result);
      post({ type: 'generationDone', runId, generations, result: event.result });
    } else yield event;
  }
}

/** The results every method reports: each model measured on the test set, their latencies together. */
async function measure(
  teacher: SessionTeacher,
  models: { distilled: tf.LayersModel; scratch: tf.LayersModel; peer?: tf.LayersModel },
  descriptions: { distilled: string; scratch: string; peer?: string },
  config: DistillRunConfig,
): Promise<DistillResults> {
  const { data } = requireData();
  const list = [models.distilled, models.scratch, ...(models.peer ? [models.peer] : [])];
  const latency = await latenciesOf([teacher.model, ...list.map((m) => predictorTeacher(m))], data.xTest, clock);
  const measured = [];
  for (const [i, m] of list.entries())
    measured.push({ ...(await evaluateModel(m, teacher.model, data.xTest, data.yTest)), ...latency[i + 1] });
  const results: DistillResults = {
    teacher: { ...teacher.result, ...latency[0] },
    distilled: { ...measured[0], description: descriptions.distilled },
    scratch: { ...measured[1], description: descriptions.scratch },
    config,
    testOutputs: await testOutputs(teacher, models.distilled, models.scratch, data),
  };
  if (measured[2]) results.peer = { ...measured[2], description: descriptions.peer ?? '' };
  return results;
}

/** Keeps the run's students in the session (as runDistill does), saves the distilled one in the library, and says the run is done. */
async function finish(
  control: RunControl,
  results: DistillResults,
  students: { distilled: tf.LayersModel; scratch: tf.LayersModel },
  keepAs: KeepStudent,
  post: Post,
): Promise<void> {
  const { dataset } = requireData();
  dropStudents();
  session.students = students;
  const student = await saveRunStudent(students.distilled, keepAs, dataset);
  post({ type: 'distillDone', runId: control.runId, results, student });
}

/** Born-again's generations over the session's data, from a layers teacher; `handOver` takes the last. */
export function generationsOf(
  teacher: SessionTeacher['model'],
  layers: tf.LayersModel,
  scratch: tf.LayersModel | null,
  config: DistillConfig,
  generations: number,
  handOver: (last: tf.LayersModel) => void,
): AsyncGenerator<BornAgainEvent> {
  const { dataset, data } = requireData();
  return bornAgain({ teacher, teacherLayers: layers, scratch, data, config, generations, imageShape: dataset.imageShape, handOver });
}

/** Born-again: generations 1..G of the teacher's architecture, each distilled from the one before; the control beside generation 1. */
async function runBornAgain(control: RunControl, config: DistillRunConfig, keepAs: KeepStudent, post: Post): Promise<void> {
  requireData(); // before any student is built
  const teacher = requireTeacher();
  const refusal = bornAgainRefusal(config, teacher.result.kind, teacher.layers !== null);
  if (refusal || !teacher.layers) throw new Error(refusal ?? 'Method "Born-again" needs a TensorFlow.js layers teacher.');
  const generations = config.loss.method?.generations ?? 1;
  const scratch = await bornAgainStudent(teacher.layers, generationSeed(config.seed, 1));
  let distilled: tf.LayersModel | null = null;
  let keep = false;
  try {
    const done: GenerationResult[] = [];
    const events = generationsOf(teacher.model, teacher.layers, scratch, trainerConfig(config), generations, (m) => {
      distilled = m;
    });
    const finished = await drive(control, tellingGenerations(events, control.runId, generations, post, done), post, {
      losses: (points) => ({ kind: 'distill', points }),
      epoch: (summary) => ({ type: 'distillEpoch', runId: control.runId, summary }),
    });
    const last = distilled as tf.LayersModel | null;
    if (!finished || !last) {
      post({ type: 'stopped', runId: control.runId });
      return;
    }
    const architecture = `Teacher's architecture (${teacher.result.description})`;
    const results = await measure(
      teacher,
      { distilled: last, scratch },
      { distilled: `${architecture}, generation ${generations}`, scratch: `${architecture}, from scratch` },
      config,
    );
    results.generations = done;
    keep = true;
    await finish(control, results, { distilled: last, scratch }, keepAs, post);
  } finally {
    if (!keep) disposeQuietly(scratch, ...(distilled ? [distilled] : []));
  }
}

/** Mutual learning: two students of the preset from different seeds, no teacher; the control beside them. */
async function runMutual(control: RunControl, config: DistillRunConfig, keepAs: KeepStudent, post: Post): Promise<void> {
  const { dataset, data } = requireData();
  const teacher = requireTeacher();
  const refusal = mutualRefusal(config);
  if (refusal) throw new Error(refusal);
  const spec = studentPreset(config.studentPreset).spec;
  const description = describeSpec(spec);
  const first = buildModel(spec, dataset, config.seed);
  const second = buildModel(spec, dataset, peerSeed(config.seed));
  const scratch = buildModel(spec, dataset, config.seed);
  session.liveStudents = () => ({ distilled: first, scratch });
  let keep = false;
  try {
    const boundaries = boundaryTracker(
      control.runId,
      dataset,
      { teacher: teacher.model, distilled: predictorTeacher(first), scratch: predictorTeacher(scratch) },
      config.epochs,
      post,
    );
    await boundaries?.(0);
    // The teacher only measures (accuracy, agreement, KL): it teaches neither student.
    const events = mutual({ first, second, scratch, reference: teacher.model, data, config: trainerConfig(config) });
    const finished = await drive(control, events, post, {
      losses: (points) => ({ kind: 'distill', points }),
      epoch: (summary) => ({ type: 'distillEpoch', runId: control.runId, summary }),
      afterEpoch: async (summary) => {
        await boundaries?.(summary.epoch);
      },
    });
    if (!finished) {
      post({ type: 'stopped', runId: control.runId });
      return;
    }
    const results = await measure(
      teacher,
      { distilled: first, scratch, peer: second },
      { distilled: `${description}, student 1 of 2`, scratch: description, peer: `${description}, student 2 of 2` },
      config,
    );
    keep = true;
    await finish(control, results, { distilled: first, scratch }, keepAs, post);
  } finally {
    session.liveStudents = null;
    second.dispose(); // the peer is measured, not kept: the session keeps one distilled student
    if (!keep) disposeQuietly(first, scratch);
  }
}
