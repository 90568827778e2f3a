import * as tf from '@tensorflow/tfjs';
import { errorText, type BackendEnv, type BackendInfo } from '../core/backend';
import {
  architectureOf,
  captureCheckpoint,
  disposeQuietly,
  modelFrom,
  type Architecture,
  type Checkpoint,
  type WeightSnapshot,
} from '../core/checkpoint';
import { backendFailure, InjectedBackendFailure } from '../core/faults';
import { describeSpec } from '../core/model-spec';
import { TEST_HOOKS } from '../core/test-hooks';
import { toStudentModel } from '../core/model-io';
import { hintableLayers } from '../core/hint';
import { buildModel } from '../core/models';
import { studentPreset, teacherPreset } from '../core/presets';
import { evaluateModel, latenciesOf, type Clock } from '../core/results';
import { predictLogits } from '../core/metrics';
import { predictorTeacher } from '../core/teacher-model';
import type { DataTensors } from '../core/tensors';
import { distill, trainModel, type DistillConfig } from '../core/trainer';
import {
  MAX_TEST_OUTPUT_ROWS,
  type DistillResults,
  type DistillRunConfig,
  type FromWorker,
  type RepeatResult,
  type TeacherResult,
  type TeacherRunConfig,
  type TestOutputs,
} from './protocol';
import { boundaryTracker, postTeacherBoundary } from './boundaries';
import { saveRunStudent } from './run-student';
import { synthesisPhase } from './synthesis';
import type { SynthesisedSet } from '../core/transfer-data/synthesise';
import { compareQuantised, makeFloatTwin } from './quant-compare';
import { distillEarlierSeed, overRepeats, repeatCount } from './repeats';
import { drive, type RunControl } from './run-driver';
import { fallBack, type FallbackOutcome } from './fallback';
import { dropStudents, requireData, session, setTeacher, type SessionTeacher } from './session';

const clock: Clock = { now: () => performance.now() };

type Post = (msg: FromWorker) => void;

/** How a run meets a failing backend. */
export interface RunFaults {
  /** Where to fall back to when the backend fails mid-run; without it, such a failure ends the run. */
  env?: BackendEnv;
  /** TEST-ONLY (?inject=backend-failure@N): the run fails as a broken backend would at the start of this epoch. */
  failAtEpoch?: number;
}

/** The drive() hook that throws the injected failure, once; none outside test builds. */
function injector(faults: RunFaults): ((epoch: number) => void) | undefined {
  if (!TEST_HOOKS) return undefined;
  let at = faults.failAtEpoch;
  if (at === undefined) return undefined;
  return (epoch) => {
    if (epoch !== at) return;
    at = undefined;
    throw new InjectedBackendFailure(epoch);
  };
}

/**
 * Runs `attempt` and, when the backend fails under it (see backendFailure), falls back to the next
 * backend that works, moves the session there, has `rebuild` make the run's models again from its
 * last checkpoint (`checkpointEpoch` epochs done), tells the page, and runs `attempt` again.
 * With no backend left, throws one sentence that says what happened and what is kept.
 */
async function withFallback<T>(
  what: string,
  /** What a resumed run starts afresh, for the message. */
  reset: string,
  faults: RunFaults,
  post: Post,
  checkpointEpoch: () => number,
  attempt: () => Promise<T>,
  rebuild: () => Promise<void>,
): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      const failure = backendFailure(e);
      if (!failure || !faults.env) throw e;
      const failed = session.backend?.name ?? 'the backend';
      const done = checkpointEpoch();
      const at = `${failed} failed at epoch ${done + 1} (${failure.reason})`;
      let outcome: FallbackOutcome;
      try {
        outcome = await fallBack(faults.env, failure);
        await rebuild();
      } catch (f) {
        const kept =
          done > 0
            ? `The epochs it finished are shown; the teacher, the data and earlier results are kept.`
            : 'The teacher, the data and earlier results are kept.';
        throw new Error(`${at}, and the ${what} could not go on: ${errorText(f)} ${kept}`);
      }
      const message = `${at}; continued on ${outcome.backend.name} from ${done > 0 ? `the end of epoch ${done}` : 'the start'} (${reset} reset there).${outcome.lost.length ? ` Not moved: ${outcome.lost.join('; ')}.` : ''}`;
      const backend: BackendInfo = { ...outcome.backend, reason: message };
      session.backend = backend;
      post({ type: 'backendChanged', backend, message, dropped: outcome.dropped });
    }
  }
}

export async function runTeacher(control: RunControl, config: TeacherRunConfig, post: Post, faults: RunFaults = {}): Promise<void> {
  const teacher = await trainTeacher(control, config, post, faults);
  if (!teacher) {
    post({ type: 'stopped', runId: control.runId });
    return;
  }
  const dropped = setTeacher(teacher);
  await postTeacherBoundary(post);
  post({ type: 'teacherDone', runId: control.runId, teacher: teacher.result, dropped });
}

/**
 * Trains and measures one teacher of `config` (moving to another backend if this one fails), and
 * hands it over without adopting it (runTeacher adopts it; an ensemble run keeps several); null
 * when the run was stopped, having freed it.
 */
export async function trainTeacher(
  control: RunControl,
  config: TeacherRunConfig,
  post: Post,
  faults: RunFaults = {},
): Promise<SessionTeacher | null> {
  const { dataset } = requireData();
  const preset = teacherPreset(config.preset);
  let model = buildModel(preset.spec, dataset, config.seed);
  const architecture = architectureOf(model);
  // Per-epoch copies of the weights in JS memory, only where a failed backend can be replaced.
  let checkpoint: Checkpoint<'teacher'> | null = faults.env ? await captureCheckpoint(0, { teacher: model }).catch(disposing(model)) : null;
  const epochStarts = injector(faults);
  let keep = false;
  try {
    const result = await withFallback(
      'teacher training',
      "the optimiser's state was",
      faults,
      post,
      () => checkpoint?.epoch ?? 0,
      async () => {
        const { data } = requireData();
        const startEpoch = (checkpoint?.epoch ?? 0) + 1;
        if (startEpoch <= config.epochs) {
          const finished = await drive(control, trainModel({ model, data, config: { ...config, startEpoch } }), post, {
            losses: (points) => ({ kind: 'teacher', points }),
            epoch: (summary) => ({ type: 'teacherEpoch', runId: control.runId, summary }),
            afterEpoch: faults.env
              ? async (summary) => {
                  checkpoint = await captureCheckpoint(summary.epoch, { teacher: model });
                }
              : undefined,
            epochStarts,
          });
          if (!finished) return null;
        }
        const measured: TeacherResult = {
          ...(await evaluateModel(model, predictorTeacher(model), data.xTest, data.yTest)),
          description: describeSpec(preset.spec),
          source: 'trained',
          kind: 'layers',
          exportable: true,
          hintLayers: hintableLayers(model),
          descriptor: {
            kind: 'preset',
            preset: config.preset,
            epochs: config.epochs,
            batchSize: config.batchSize,
            learningRate: config.learningRate,
            seed: config.seed,
          },
        };
        return measured;
      },
      async () => {
        disposeQuietly(model);
        model = await modelFrom(architecture, (checkpoint as Checkpoint<'teacher'>).models.teacher);
      },
    );
    if (!result) return null;
    const final = checkpoint?.models.teacher;
    const trained = model;
    keep = true;
    return {
      model: predictorTeacher(trained),
      layers: trained,
      result,
      dispose: () => trained.dispose(),
      recreate: final && trainedTeacher(architecture, final, result),
    };
  } finally {
    if (!keep) disposeQuietly(model); // a stopped or failed teacher never replaces the one the user had
  }
}

/** After a backend switch: a trained teacher made again from its architecture and final weights (held in JS memory). */
function trainedTeacher(architecture: Architecture, weights: WeightSnapshot[], result: TeacherResult): () => Promise<SessionTeacher> {
  const recreate = async (): Promise<SessionTeacher> => {
    const model = await modelFrom(architecture, weights);
    return { model: predictorTeacher(model), layers: model, result, dispose: () => model.dispose(), recreate };
  };
  return recreate;
}

/** For a promise's catch: frees `models` (the run never started), then rethrows. */
function disposing(...models: tf.LayersModel[]): (e: unknown) => never {
  return (e) => {
    disposeQuietly(...models);
    throw e;
  };
}

/** The run's settings as the trainer takes them: one flat object. */
export function trainerConfig(c: DistillRunConfig): DistillConfig {
  const { loss, transfer } = c;
  return {
    epochs: c.epochs,
    batchSize: c.batchSize,
    learningRate: c.learningRate,
    seed: c.seed,
    ...loss,
    transfer,
    ...(c.quantAware ? { quantAware: c.quantAware } : {}),
  };
}

/** Every model's test logits, read once at the end of a run (not in the training loop). */
export async function testOutputs(
  teacher: SessionTeacher,
  distilled: tf.LayersModel,
  scratch: tf.LayersModel,
  data: DataTensors,
): Promise<TestOutputs | undefined> {
  const n = data.xTest.shape[0];
  if (n > MAX_TEST_OUTPUT_ROWS) return undefined;
  const logits = [await teacher.model.logits(data.xTest)];
  try {
    logits.push(...[distilled, scratch].map((m) => predictLogits(m, data.xTest)));
    for (const member of teacher.members ?? []) logits.push(await member.logits(data.xTest));
    const [t, d, s, ...members] = (await Promise.all(logits.map((l) => l.data()))) as Float32Array[];
    const outputs: TestOutputs = {
      numClasses: logits[0].shape[1],
      labels: (await data.yTest.data()) as Int32Array,
      teacher: t,
      distilled: d,
      scratch: s,
    };
    if (teacher.members) outputs.members = members;
    return outputs;
  } finally {
    tf.dispose(logits);
  }
}

/** Where the finished run's distilled student goes in the model library. */
export interface KeepStudent {
  name: string;
  dataset: string;
}

export async function runDistill(
  control: RunControl,
  config: DistillRunConfig,
  keepAs: KeepStudent,
  post: Post,
  faults: RunFaults = {},
): Promise<void> {
  const { dataset } = requireData();
  if (!session.teacher) throw new Error('Train a teacher first: distillation needs one.');
  const init = session.studentInit;
  if (config.studentSource === 'uploaded' && !init) throw new Error('Upload a student model first, or pick a preset.');
  const spec = studentPreset(config.studentPreset).spec;
  const uploaded = init !== null && config.studentSource === 'uploaded';
  const description = init && uploaded ? init.description : describeSpec(spec);
  // Repeats: the earlier seeds one after another, each freed when done; the last seed runs below and is kept.
  const repeats = repeatCount(config.repeats);
  const runStart = performance.now();
  const sinceStart = () => (performance.now() - runStart) / 1000;
  const earlier: RepeatResult[] = [];
  for (let i = 0; i < repeats - 1; i++) {
    const seedConfig = { ...config, seed: config.seed + i };
    const make = async () => (init && uploaded ? toStudentModel(init.model) : buildModel(spec, dataset, seedConfig.seed));
    const done = await distillEarlierSeed(control, trainerConfig(seedConfig), dataset, make, overRepeats(post, i, repeats, sinceStart()));
    if (!done) {
      post({ type: 'stopped', runId: control.runId });
      return;
    }
    earlier.push(done);
    const { seed: _, ...result } = done;
    post({ type: 'repeatDone', runId: control.runId, index: i, repeats, seed: done.seed, result });
  }
  const seed = config.seed + repeats - 1;
  const lastPost = overRepeats(post, repeats - 1, repeats, sinceStart());
  // Same initial weights for both: the scratch control starts exactly where the distilled student does.
  let distilled: tf.LayersModel = init && uploaded ? await toStudentModel(init.model) : buildModel(spec, dataset, seed);
  let scratch: tf.LayersModel =
    init && uploaded ? await toStudentModel(init.model).catch(disposing(distilled)) : buildModel(spec, dataset, seed);
  const architecture = architectureOf(distilled);
  // Train for uint8: the post-training-quantisation baseline, trained alongside (lost if the backend fails over).
  let twin = await makeFloatTwin(config, distilled).catch(disposing(distilled, scratch));
  // Per-epoch copies of both students' weights in JS memory, only where a failed backend can be replaced.
  let checkpoint: Checkpoint<'distilled' | 'scratch'> | null = faults.env
    ? await captureCheckpoint(0, { distilled, scratch }).catch(disposing(distilled, scratch))
    : null;
  const epochStarts = injector(faults);
  session.liveStudents = () => ({ distilled, scratch });
  let boundaryStartSent = false;
  let keep = false;
  try {
    const results = await withFallback(
      'distillation',
      (config.loss.hint?.weight ?? 0) > 0 ? "the optimiser's state and the hint's projection were" : "the optimiser's state was",
      faults,
      post,
      () => checkpoint?.epoch ?? 0,
      async () => {
        const { data } = requireData();
        const teacher = session.teacher;
        if (!teacher) throw new Error('The teacher is gone: load or train it again.');
        const boundaries = boundaryTracker(
          control.runId,
          dataset,
          { teacher: teacher.model, distilled: predictorTeacher(distilled), scratch: predictorTeacher(scratch) },
          config.epochs,
          post,
        );
        if (!boundaryStartSent) {
          boundaryStartSent = true;
          await boundaries?.(0);
        }
        const startEpoch = (checkpoint?.epoch ?? 0) + 1;
        if (startEpoch <= config.epochs) {
          // Synthesised transfer data: made here, shown forming, then handed to the trainer (which owns it from then on).
          const wanted = config.transfer.data;
          let synthesised: SynthesisedSet | undefined;
          if (wanted?.kind === 'synthesised') {
            const made = await synthesisPhase(control, lastPost, {
              data: wanted,
              tensors: data,
              teacherLayers: teacher.layers,
              numClasses: dataset.numClasses,
              imageShape: dataset.imageShape,
              seed,
              epochs: config.epochs,
            });
            if (!made) return null;
            synthesised = made;
          }
          const run = distill({
            teacher: teacher.model,
            teacherLayers: teacher.layers,
            distilled,
            scratch,
            data,
            floatTwin: twin,
            config: { ...trainerConfig({ ...config, seed }), startEpoch },
            imageShape: dataset.imageShape,
            synthesised,
          });
          const finished = await drive(control, run, lastPost, {
            losses: (points) => ({ kind: 'distill', points }),
            epoch: (summary) => ({ type: 'distillEpoch', runId: control.runId, summary }),
            afterEpoch: async (summary) => {
              await boundaries?.(summary.epoch);
              if (faults.env) checkpoint = await captureCheckpoint(summary.epoch, { distilled, scratch });
            },
            epochStarts,
          });
          if (!finished) return null;
        }
        // Latency for all three measured together (warmed up, interleaved), so that they can be compared.
        const latency = await latenciesOf([teacher.model, predictorTeacher(distilled), predictorTeacher(scratch)], data.xTest, clock);
        const t = { ...teacher.result, ...latency[0] };
        const d = { ...(await evaluateModel(distilled, teacher.model, data.xTest, data.yTest)), ...latency[1] };
        const s = { ...(await evaluateModel(scratch, teacher.model, data.xTest, data.yTest)), ...latency[2] };
        const results: DistillResults = {
          teacher: t,
          distilled: { ...d, description },
          scratch: { ...s, description },
          config,
          testOutputs: await testOutputs(teacher, distilled, scratch, data),
        };
        if (twin && config.quantAware) results.quantisation = await compareQuantised(twin, distilled, data, config.quantAware.lastEpochs);
        if (repeats > 1)
          results.repeats = [...earlier, { seed, teacher: t.testAccuracy, distilled: d.testAccuracy, scratch: s.testAccuracy }];
        return results;
      },
      async () => {
        const saved = checkpoint as Checkpoint<'distilled' | 'scratch'>;
        disposeQuietly(distilled, scratch, twin);
        twin = null;
        distilled = await modelFrom(architecture, saved.models.distilled);
        scratch = distilled; // until the second is made: the finally below then frees the first once
        scratch = await modelFrom(architecture, saved.models.scratch);
      },
    );
    if (!results) {
      post({ type: 'stopped', runId: control.runId });
      return;
    }
    const last = results.repeats?.at(-1);
    if (last) {
      const { seed: _, ...result } = last;
      post({ type: 'repeatDone', runId: control.runId, index: repeats - 1, repeats, seed: last.seed, result });
    }
    dropStudents();
    session.students = { distilled, scratch };
    keep = true;
    // Saved before distillDone, while this run still holds the session: nothing else starts in between.
    const student = await saveRunStudent(distilled, keepAs, dataset);
    post({ type: 'distillDone', runId: control.runId, results, student });
  } finally {
    session.liveStudents = null;
    disposeQuietly(twin);
    if (!keep) disposeQuietly(distilled, ...(scratch === distilled ? [] : [scratch]));
  }
}
