import * as tf from '@tensorflow/tfjs';
import { describeSpec } from '../core/model-spec';
import { toStudentModel } from '../core/model-io';
import { hintableLayers } from '../core/hint';
import { buildModel } from '../core/models';
import { studentPreset, teacherPreset } from '../core/presets';
import { evaluateModel, withLatency, type Clock } from '../core/results';
import { predictLogits, type Predictor } from '../core/metrics';
import type { DataTensors } from '../core/tensors';
import { distill, trainModel, type DistillConfig } from '../core/trainer';
import { MAX_TEST_OUTPUT_ROWS, type DistillRunConfig, type FromWorker, type TeacherResult, type TeacherRunConfig, type TestOutputs } from './protocol';
import { boundaryTracker, postTeacherBoundary } from './boundaries';
import { drive, type RunControl } from './run-driver';
import { dropStudents, requireData, session, setTeacher } from './session';

const clock: Clock = { now: () => performance.now() };

export async function runTeacher(control: RunControl, config: TeacherRunConfig, post: (msg: FromWorker) => void): Promise<void> {
  const { dataset, data } = requireData();
  const preset = teacherPreset(config.preset);
  if (preset.spec.kind === 'cnn' && tf.getBackend() === 'wasm' && !tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
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
    const result: TeacherResult = { ...(await evaluateModel(model, model, data.xTest, data.yTest)), description: describeSpec(preset.spec), source: 'trained', exportable: true, hintLayers: hintableLayers(model) };
    setTeacher({ predictor: model, layers: model, result, dispose: () => model.dispose() });
    keep = true;
    await postTeacherBoundary(post);
    post({ type: 'teacherDone', runId: control.runId, teacher: result });
  } finally {
    if (!keep) model.dispose(); // a stopped or failed teacher never replaces the one the user had
  }
}

/** The run's settings as the trainer takes them: one flat object. */
export function trainerConfig(c: DistillRunConfig): DistillConfig {
  const { loss, transfer } = c;
  return { epochs: c.epochs, batchSize: c.batchSize, learningRate: c.learningRate, seed: c.seed, ...loss, transfer };
}

/** Every model's test logits, read once at the end of a run (not in the training loop). */
async function testOutputs(teacher: Predictor, distilled: tf.LayersModel, scratch: tf.LayersModel, data: DataTensors): Promise<TestOutputs | undefined> {
  const n = data.xTest.shape[0];
  if (n > MAX_TEST_OUTPUT_ROWS) return undefined;
  const logits = [teacher, distilled, scratch].map((m) => predictLogits(m, data.xTest));
  try {
    const [t, d, s] = (await Promise.all(logits.map((l) => l.data()))) as Float32Array[];
    return { numClasses: logits[0].shape[1], labels: (await data.yTest.data()) as Int32Array, teacher: t, distilled: d, scratch: s };
  } finally {
    tf.dispose(logits);
  }
}

export async function runDistill(control: RunControl, config: DistillRunConfig, post: (msg: FromWorker) => void): Promise<void> {
  const { dataset, data } = requireData();
  const teacher = session.teacher;
  if (!teacher) throw new Error('Train a teacher first: distillation needs one.');
  const init = session.studentInit;
  if (config.studentSource === 'uploaded' && !init) throw new Error('Upload a student model first, or pick a preset.');
  const spec = studentPreset(config.studentPreset).spec;
  // Same initial weights for both: the scratch control starts exactly where the distilled student does.
  const [distilled, scratch] = init && config.studentSource === 'uploaded' ? [await toStudentModel(init.model), await toStudentModel(init.model)] : [buildModel(spec, dataset, config.seed), buildModel(spec, dataset, config.seed)];
  let keep = false;
  try {
    const boundaries = boundaryTracker(control.runId, dataset, { teacher: teacher.predictor, distilled, scratch }, config.epochs, post);
    await boundaries?.(0);
    const run = distill({ teacher: teacher.predictor, teacherLayers: teacher.layers, distilled, scratch, data, config: trainerConfig(config), imageShape: dataset.imageShape });
    const finished = await drive(control, run, post, {
      losses: (points) => ({ kind: 'distill', points }),
      epoch: (summary) => ({ type: 'distillEpoch', runId: control.runId, summary }),
      afterEpoch: boundaries && ((summary) => boundaries(summary.epoch)),
    });
    if (!finished) {
      post({ type: 'stopped', runId: control.runId });
      return;
    }
    const description = init && config.studentSource === 'uploaded' ? init.description : describeSpec(spec);
    // Latency for all three here, one after the other under the same conditions.
    const t = await withLatency(teacher.result, teacher.predictor, data.xTest, clock);
    const d = await withLatency(await evaluateModel(distilled, teacher.predictor, data.xTest, data.yTest), distilled, data.xTest, clock);
    const s = await withLatency(await evaluateModel(scratch, teacher.predictor, data.xTest, data.yTest), scratch, data.xTest, clock);
    dropStudents();
    session.students = { distilled, scratch };
    keep = true;
    post({
      type: 'distillDone',
      runId: control.runId,
      results: { teacher: t, distilled: { ...d, description }, scratch: { ...s, description }, config, testOutputs: await testOutputs(teacher.predictor, distilled, scratch, data) },
    });
  } finally {
    if (!keep) {
      distilled.dispose();
      scratch.dispose();
    }
  }
}
