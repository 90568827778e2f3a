/**
 * Issue 15's reproduction: what does distillation transfer? The studio's default recipe (the
 * 784-64-10 student, T = 4, alpha = 0.9, 20 epochs, learning rate 0.003) on MNIST-10k with the
 * shipped CNN teacher, over 3 seeds, with one thing changed a row:
 *   real data (Hinton KD), Gaussian noise as transfer data, inputs synthesised from the teacher,
 *   shuffled non-target classes, label smoothing with the teacher's confidence, and DKD (α 1, β 8).
 * Each seed's scratch control (labels only, same start, real rows) is trained once and compared
 * with every row. On the wasm backend in Node, with the app's kernel fixes.
 *
 *   nice npx tsx scripts/dark-knowledge.ts [--seeds 3] [--student-epochs N] [--rows real,gaussian,...]
 *
 * Needs public/data/mnist-10k.bin (`npm run data`).
 */
import { parseArgs } from 'node:util';
import type * as tf from '@tensorflow/tfjs';
import { buildModel } from '../src/core/models';
import { studentPreset } from '../src/core/presets';
import { stat, type Stat } from '../src/core/sweep';
import { type DistillEpoch, distill } from '../src/core/trainer';
import { DEFAULT_CONFIG, distillRunConfig, type StudioConfig } from '../src/state/config';
import { mnistWithShippedCnn } from '../tests/mnist-wasm';

interface Row {
  id: string;
  name: string;
  settings: Partial<StudioConfig>;
}

const ROWS: Row[] = [
  { id: 'real', name: 'Real data (Hinton KD)', settings: {} },
  { id: 'gaussian', name: 'Gaussian noise', settings: { transferData: 'gaussian' } },
  { id: 'synthesised', name: 'Synthesised from the teacher', settings: { transferData: 'synthesised' } },
  { id: 'shuffled', name: 'Shuffled non-target classes', settings: { softTargets: 'shuffled' } },
  { id: 'smoothed', name: 'Label smoothing', settings: { softTargets: 'smoothed' } },
  { id: 'dkd', name: 'Decoupled KD (DKD)', settings: { method: 'dkd' } },
];

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    'student-epochs': { type: 'string' },
    rows: { type: 'string', default: ROWS.map((r) => r.id).join(',') },
  },
});
const epochs = Number(args['student-epochs'] ?? DEFAULT_CONFIG.studentEpochs);
const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => DEFAULT_CONFIG.seed + i);
const wanted = args.rows.split(',');
const rows = ROWS.filter((r) => wanted.includes(r.id));

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)}`;
const ms = (s: Stat) => `${(s.mean * 100).toFixed(2)} ± ${((s.std ?? 0) * 100).toFixed(2)}%`;

const { dataset, data, teacher, teacherLayers, says, dispose } = await mnistWithShippedCnn();
const base = { ...DEFAULT_CONFIG, studentEpochs: epochs };
console.log(
  `${says}\nstudent ${base.studentPreset}, ${epochs} epochs, batch ${base.batchSize}, lr ${base.learningRate}, T = ${base.temperature}, alpha = ${base.alpha}; seeds ${seeds.join(', ')}`,
);

const results = new Map<string, { seed: number; distilled: number }[]>();
const scratch = new Map<number, number>();
let teacherAccuracy = Number.NaN;
const failed = new Map<string, string>();
try {
  for (const seed of seeds) {
    for (const row of rows) {
      if (failed.has(row.id)) continue;
      const run = distillRunConfig({ ...base, ...row.settings, seed });
      const spec = studentPreset(run.studentPreset).spec;
      const distilled = buildModel(spec, dataset, seed);
      // One control per seed: it sees neither the soft targets nor the transfer data, only the real labelled rows.
      const control: tf.LayersModel | null = scratch.has(seed) ? null : buildModel(spec, dataset, seed);
      let last: DistillEpoch | undefined;
      try {
        for await (const ev of distill({
          teacher,
          teacherLayers,
          distilled,
          scratch: control,
          data,
          config: {
            epochs: run.epochs,
            batchSize: run.batchSize,
            learningRate: run.learningRate,
            seed,
            ...run.loss,
            transfer: run.transfer,
          },
          imageShape: dataset.imageShape,
        })) {
          if (ev.kind === 'epoch') last = ev.summary;
        }
      } catch (e) {
        // A row whose option cannot run here is reported as such, and the others go on.
        failed.set(row.id, e instanceof Error ? e.message : String(e));
        console.log(`  ${row.name}: not run (${failed.get(row.id)})`);
        continue;
      } finally {
        distilled.dispose();
        control?.dispose();
      }
      if (!last) throw new Error('The run reported no epoch.');
      teacherAccuracy = last.teacherAccuracy;
      if (control) scratch.set(seed, last.scratchAccuracy);
      results.set(row.id, [...(results.get(row.id) ?? []), { seed, distilled: last.distilledAccuracy }]);
      console.log(`  seed ${seed}, ${row.name}: distilled ${pct(last.distilledAccuracy)} (${elapsed()})`);
    }
    console.log(`  seed ${seed}: scratch ${pct(scratch.get(seed) ?? Number.NaN)}`);
  }
} finally {
  dispose();
}

const scratchStat = stat([...scratch.values()]);
console.log(`\nTeacher ${pct(teacherAccuracy)}; scratch control (labels only) ${ms(scratchStat)} over ${scratch.size} seeds.\n`);
console.log('| Transfer | Student accuracy (mean ± sd) | Seeds | vs scratch (points, paired) | vs Hinton KD (points, paired) |');
console.log('| -------- | ------------------ | ----- | ----------- | ----------- |');
const real = results.get('real') ?? [];
for (const row of ROWS) {
  const r = results.get(row.id);
  if (!r || !wanted.includes(row.id)) {
    console.log(`| ${row.name} | ${failed.has(row.id) ? 'not run' : 'not yet'} | | | |`);
    continue;
  }
  const vsScratch = stat(r.map((x) => x.distilled - (scratch.get(x.seed) ?? Number.NaN)));
  const paired = r.flatMap((x) => {
    const h = real.find((y) => y.seed === x.seed);
    return h ? [x.distilled - h.distilled] : [];
  });
  const vsHinton = row.id === 'real' || paired.length === 0 ? '—' : pts(stat(paired).mean);
  console.log(`| ${row.name} | ${ms(stat(r.map((x) => x.distilled)))} | ${r.length} | ${pts(vsScratch.mean)} | ${vsHinton} |`);
}
console.log(`\nTotal ${elapsed()}.`);
for (const [id, why] of failed) console.log(`${id}: ${why}`);
