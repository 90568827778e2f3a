/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { errorText, selectBackend, type BackendInfo } from '../core/backend';
import { decodeMnist } from '../core/data/mnist';
import { summarizeDataset, type Dataset } from '../core/data/types';
import { describeSpec } from '../core/model-spec';
import { buildModel } from '../core/models';
import { studentPreset, teacherPreset } from '../core/presets';
import { evaluateModel, type Clock } from '../core/results';
import { toTensors, type DataTensors } from '../core/tensors';
import { distill, trainModel } from '../core/trainer';
import { workerBackendEnv } from './backends';
import { assertNever, type DistillRunConfig, type FromWorker, type TeacherRunConfig, type TeacherResult, type ToWorker } from './protocol';
import { RunControl, drive } from './run-driver';

declare const self: DedicatedWorkerGlobalScope;

const clock: Clock = { now: () => performance.now() };
const post = (msg: FromWorker) => self.postMessage(msg);

/** Everything the worker holds between runs. The page never sees tensors, only numbers. */
const session: {
  backend: BackendInfo | null;
  dataset: Dataset | null;
  data: DataTensors | null;
  teacher: { model: tf.LayersModel; result: TeacherResult } | null;
  students: { distilled: tf.LayersModel; scratch: tf.LayersModel } | null;
  run: RunControl | null;
} = { backend: null, dataset: null, data: null, teacher: null, students: null, run: null };

async function init(msg: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  try {
    session.backend = await selectBackend(workerBackendEnv, msg.backend);
    const response = await fetch(msg.dataUrl);
    if (!response.ok) throw new Error(`Could not load the MNIST data (${msg.dataUrl}): HTTP ${response.status}.`);
    session.dataset = decodeMnist(await response.arrayBuffer());
    session.data = toTensors(session.dataset);
    post({ type: 'ready', backend: session.backend, dataset: summarizeDataset(session.dataset) });
  } catch (e) {
    post({ type: 'initFailed', message: errorText(e) });
  }
}

function requireData(): { dataset: Dataset; data: DataTensors } {
  if (!session.dataset || !session.data) throw new Error('The data set is not loaded yet.');
  return { dataset: session.dataset, data: session.data };
}

async function runTeacher(control: RunControl, config: TeacherRunConfig): Promise<void> {
  const { dataset, data } = requireData();
  const preset = teacherPreset(config.preset);
  if (preset.spec.kind === 'cnn' && tf.getBackend() === 'wasm') {
    throw new Error('The CNN teacher cannot train on wasm: tfjs 4.22 has no Conv2DBackpropFilter kernel there. Open the page with ?backend=webgl or ?backend=cpu, or pick an MLP teacher.');
  }
  const model = buildModel(preset.spec, dataset, config.seed);
  let keep = false;
  try {
    const finished = await drive(control, trainModel({ model, data, config }), post, {
      losses: (points) => ({ kind: 'teacher', points }),
      epoch: (summary) => ({ type: 'teacherEpoch', runId: control.runId, summary }),
    });
    if (!finished) {
      post({ type: 'stopped', runId: control.runId });
      return;
    }
    const result = { ...(await evaluateModel(model, model, data.xTest, data.yTest, clock)), description: describeSpec(preset.spec) };
    session.teacher?.model.dispose();
    session.teacher = { model, result };
    keep = true;
    post({ type: 'teacherDone', runId: control.runId, teacher: result });
  } finally {
    if (!keep) model.dispose(); // a stopped or failed teacher never replaces the one the user had
  }
}

async function runDistill(control: RunControl, config: DistillRunConfig): Promise<void> {
  const { dataset, data } = requireData();
  const teacher = session.teacher;
  if (!teacher) throw new Error('Train a teacher first: distillation needs one.');
  const spec = studentPreset(config.studentPreset).spec;
  // Same seed, same initial weights: the scratch control starts exactly where the distilled student does.
  const distilled = buildModel(spec, dataset, config.seed);
  const scratch = buildModel(spec, dataset, config.seed);
  let keep = false;
  try {
    const finished = await drive(control, distill({ teacher: teacher.model, distilled, scratch, data, config }), post, {
      losses: (points) => ({ kind: 'distill', points }),
      epoch: (summary) => ({ type: 'distillEpoch', runId: control.runId, summary }),
    });
    if (!finished) {
      post({ type: 'stopped', runId: control.runId });
      return;
    }
    const description = describeSpec(spec);
    const [d, s] = [await evaluateModel(distilled, teacher.model, data.xTest, data.yTest, clock), await evaluateModel(scratch, teacher.model, data.xTest, data.yTest, clock)];
    session.students?.distilled.dispose();
    session.students?.scratch.dispose();
    session.students = { distilled, scratch };
    keep = true;
    post({
      type: 'distillDone',
      runId: control.runId,
      results: { teacher: teacher.result, distilled: { ...d, description }, scratch: { ...s, description }, config },
    });
  } finally {
    if (!keep) {
      distilled.dispose();
      scratch.dispose();
    }
  }
}

async function startRun(runId: number, work: (control: RunControl) => Promise<void>): Promise<void> {
  if (session.run) {
    post({ type: 'error', runId, message: 'Another run is still going: stop it first.' });
    return;
  }
  const control = new RunControl(runId);
  session.run = control;
  try {
    await work(control);
  } catch (e) {
    post({ type: 'error', runId, message: errorText(e), detail: e instanceof Error ? e.stack : undefined });
  } finally {
    session.run = null;
  }
}

function control(runId: number): RunControl | null {
  return session.run && session.run.runId === runId ? session.run : null;
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      void init(msg);
      break;
    case 'trainTeacher':
      void startRun(msg.runId, (c) => runTeacher(c, msg.config));
      break;
    case 'distill':
      void startRun(msg.runId, (c) => runDistill(c, msg.config));
      break;
    case 'pause':
      control(msg.runId)?.pause();
      break;
    case 'resume':
      control(msg.runId)?.resume();
      break;
    case 'stop':
      control(msg.runId)?.stop();
      break;
    default:
      assertNever(msg);
  }
};
