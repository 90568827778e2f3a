/**
 * Issue 13's reproduction: on MNIST-10k, an ensemble of 3 MLP teachers (the studio's default teacher
 * preset and settings, seeds 1-3) against each member, combined both ways; then the default student
 * distilled from the ensemble and from its best member, 3 seeds each (mean ± sd of test accuracy),
 * with the scratch control of the same seeds. On the wasm backend in Node, with the app's kernel fixes.
 *
 *   nice npx tsx scripts/reproduce-ensemble.ts [--teacher-epochs N] [--student-epochs N] [--combine mean-log-prob|mean-prob]
 *
 * Needs public/data/mnist-10k.bin (`npm run data`).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeMnist } from '../src/core/data/mnist';
import { ensembleTeacher } from '../src/core/ensemble';
import type { EnsembleCombine } from '../src/core/experiment';
import { installWasmKernelFixes } from '../src/core/kernels/install';
import { accuracy } from '../src/core/metrics';
import { buildModel } from '../src/core/models';
import { studentPreset, teacherPreset } from '../src/core/presets';
import { predictorTeacher, type TeacherModel } from '../src/core/teacher-model';
import { disposeTensors, toTensors, type DataTensors } from '../src/core/tensors';
import { type DistillConfig, distill, trainModel } from '../src/core/trainer';
import { DEFAULT_CONFIG, distillRunConfig, teacherRunConfig } from '../src/state/config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEEDS = [1, 2, 3];

const { values: args } = parseArgs({
  options: {
    'teacher-epochs': { type: 'string' },
    'student-epochs': { type: 'string' },
    combine: { type: 'string', default: DEFAULT_CONFIG.ensembleCombine },
  },
});
const teacherSettings = teacherRunConfig({
  ...DEFAULT_CONFIG,
  teacherEpochs: Number(args['teacher-epochs'] ?? DEFAULT_CONFIG.teacherEpochs),
});
const studentSettings = distillRunConfig({
  ...DEFAULT_CONFIG,
  studentEpochs: Number(args['student-epochs'] ?? DEFAULT_CONFIG.studentEpochs),
});
const combine = args.combine as EnsembleCombine;
if (combine !== 'mean-log-prob' && combine !== 'mean-prob') throw new Error(`--combine: mean-log-prob or mean-prob, got ${combine}`);

const started = Date.now();
const clock = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n - 1). */
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
const meanSd = (xs: number[]) => `${(mean(xs) * 100).toFixed(2)} ± ${(sd(xs) * 100).toFixed(2)}%`;

async function testAccuracy(teacher: TeacherModel, data: DataTensors): Promise<number> {
  const logits = await teacher.logits(data.xTest);
  const acc = accuracy(logits, data.yTest);
  const [value] = await acc.data();
  tf.dispose([logits, acc]);
  return value;
}

async function trainTeacher(seed: number, dataset: ReturnType<typeof decodeMnist>, data: DataTensors): Promise<tf.LayersModel> {
  const model = buildModel(teacherPreset(teacherSettings.preset).spec, dataset, seed);
  for await (const ev of trainModel({ model, data, config: { ...teacherSettings, seed } })) {
    if (ev.kind === 'epoch') console.log(`  teacher seed ${seed}, epoch ${ev.summary.epoch}: ${pct(ev.summary.testAccuracy)} (${clock()})`);
  }
  return model;
}

/** The default student distilled from `teacher` (and, with `control`, its scratch twin): last-epoch test accuracies. */
async function distilFrom(
  teacher: TeacherModel,
  seed: number,
  dataset: ReturnType<typeof decodeMnist>,
  data: DataTensors,
  control: boolean,
): Promise<{ distilled: number; scratch: number | null }> {
  const spec = studentPreset(studentSettings.studentPreset).spec;
  const distilled = buildModel(spec, dataset, seed);
  const scratch = control ? buildModel(spec, dataset, seed) : null;
  const config: DistillConfig = {
    epochs: studentSettings.epochs,
    batchSize: studentSettings.batchSize,
    learningRate: studentSettings.learningRate,
    seed,
    ...studentSettings.loss,
    transfer: studentSettings.transfer,
  };
  try {
    let last: { distilledAccuracy: number; scratchAccuracy: number } | null = null;
    for await (const ev of distill({ teacher, distilled, scratch, data, config, imageShape: dataset.imageShape })) {
      if (ev.kind === 'epoch') last = ev.summary;
    }
    if (!last) throw new Error('The run reported no epoch.');
    return { distilled: last.distilledAccuracy, scratch: control ? last.scratchAccuracy : null };
  } finally {
    distilled.dispose();
    scratch?.dispose();
  }
}

await tf.setBackend('wasm');
await tf.ready();
installWasmKernelFixes();
const buf = readFileSync(resolve(root, 'public/data/mnist-10k.bin'));
const dataset = decodeMnist(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const data = toTensors(dataset);
const t = teacherSettings;
const s = studentSettings;
console.log(
  `${dataset.name}: ${dataset.train.n} training rows, ${dataset.test.n} test rows; backend ${tf.getBackend()}\n` +
    `teachers: ${t.preset}, ${t.epochs} epochs, batch ${t.batchSize}, learning rate ${t.learningRate}, seeds ${SEEDS.join(', ')}\n` +
    `students: ${s.studentPreset}, ${s.epochs} epochs, batch ${s.batchSize}, learning rate ${s.learningRate}, T = ${s.loss.temperature}, alpha = ${s.loss.alpha}, seeds ${SEEDS.join(', ')}`,
);

const models: tf.LayersModel[] = [];
try {
  for (const seed of SEEDS) models.push(await trainTeacher(seed, dataset, data));
  const members = models.map((m) => predictorTeacher(m));
  const memberAccuracies = await Promise.all(members.map((m) => testAccuracy(m, data)));
  const ensembles = {
    'mean-log-prob': ensembleTeacher(members, 'mean-log-prob'),
    'mean-prob': ensembleTeacher(members, 'mean-prob'),
  } satisfies Record<EnsembleCombine, TeacherModel>;
  const ensembleAccuracy = {
    'mean-log-prob': await testAccuracy(ensembles['mean-log-prob'], data),
    'mean-prob': await testAccuracy(ensembles['mean-prob'], data),
  };
  const best = memberAccuracies.indexOf(Math.max(...memberAccuracies));
  console.log(`teachers trained (${clock()})`);

  const fromEnsemble: number[] = [];
  const fromBest: number[] = [];
  const scratch: number[] = [];
  for (const seed of SEEDS) {
    const e = await distilFrom(ensembles[combine], seed, dataset, data, true);
    fromEnsemble.push(e.distilled);
    if (e.scratch !== null) scratch.push(e.scratch);
    const b = await distilFrom(members[best], seed, dataset, data, false);
    fromBest.push(b.distilled);
    console.log(
      `  student seed ${seed}: from the ensemble ${pct(e.distilled)}, from member ${best + 1} ${pct(b.distilled)}, scratch ${pct(e.scratch ?? Number.NaN)} (${clock()})`,
    );
  }

  const rows: [string, string][] = [
    ...memberAccuracies.map((a, i): [string, string] => [`Teacher, member ${i + 1} (seed ${SEEDS[i]})`, pct(a)]),
    ['Teacher, ensemble (mean of log-probabilities)', pct(ensembleAccuracy['mean-log-prob'])],
    ['Teacher, ensemble (mean of probabilities)', pct(ensembleAccuracy['mean-prob'])],
    [`Student distilled from the ensemble (${combine}), seeds 1-3`, meanSd(fromEnsemble)],
    [`Student distilled from the best member (member ${best + 1}), seeds 1-3`, meanSd(fromBest)],
    ['Student from scratch (hard labels), seeds 1-3', meanSd(scratch)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n| ${'Model'.padEnd(width)} | Test accuracy |\n| ${'-'.repeat(width)} | ------------- |`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v.padStart(13)} |`);
  console.log(`\nTotal ${clock()}.`);
} finally {
  for (const m of models) m.dispose();
  disposeTensors(data);
}
