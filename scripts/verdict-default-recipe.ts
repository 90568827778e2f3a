/**
 * Issue 14's figure: the studio's default recipe (DEFAULT_CONFIG: the 784-64-10 student, T = 4,
 * alpha = 0.9, 20 epochs, learning rate 0.003) on MNIST-10k with the teacher MNIST loads by default
 * (the shipped CNN), over 5 seeds: each seed's test accuracies, mean ± sd, the paired difference
 * distilled − scratch with its 95% Student-t interval, and the verdict, as the Repeats table says it.
 * On the wasm backend in Node, with the app's kernel fixes.
 *
 *   nice npx tsx scripts/verdict-default-recipe.ts [--seeds 5] [--student-epochs N]
 *
 * Needs public/data/mnist-10k.bin (`npm run data`).
 */
import { parseArgs } from 'node:util';
import { buildModel } from '../src/core/models';
import { studentPreset } from '../src/core/presets';
import { type SeedAccuracies, summariseRepeats } from '../src/core/stats';
import { type DistillEpoch, distill } from '../src/core/trainer';
import { DEFAULT_CONFIG, distillRunConfig } from '../src/state/config';
import { mnistWithShippedCnn } from '../tests/mnist-wasm';

const { values: args } = parseArgs({ options: { seeds: { type: 'string', default: '5' }, 'student-epochs': { type: 'string' } } });
const run = distillRunConfig({ ...DEFAULT_CONFIG, studentEpochs: Number(args['student-epochs'] ?? DEFAULT_CONFIG.studentEpochs) });
const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => DEFAULT_CONFIG.seed + i);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const pts = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)}`;

const { dataset, data, teacher, says, dispose } = await mnistWithShippedCnn();
console.log(
  `${says}\n` +
    `student ${run.studentPreset}, ${run.epochs} epochs, batch ${run.batchSize}, lr ${run.learningRate}, T = ${run.loss.temperature}, alpha = ${run.loss.alpha}; seeds ${seeds.join(', ')}`,
);
const rows: SeedAccuracies[] = [];
try {
  for (const seed of seeds) {
    const spec = studentPreset(run.studentPreset).spec;
    const distilled = buildModel(spec, dataset, seed);
    const scratch = buildModel(spec, dataset, seed);
    let last: DistillEpoch | undefined;
    try {
      for await (const ev of distill({
        teacher,
        distilled,
        scratch,
        data,
        config: { epochs: run.epochs, batchSize: run.batchSize, learningRate: run.learningRate, seed, ...run.loss, transfer: run.transfer },
        imageShape: dataset.imageShape,
      })) {
        if (ev.kind === 'epoch') last = ev.summary;
      }
    } finally {
      distilled.dispose();
      scratch.dispose();
    }
    if (!last) throw new Error('The run reported no epoch.');
    rows.push({ seed, teacher: last.teacherAccuracy, distilled: last.distilledAccuracy, scratch: last.scratchAccuracy });
    console.log(`  seed ${seed}: distilled ${pct(last.distilledAccuracy)}, scratch ${pct(last.scratchAccuracy)} (${elapsed()})`);
  }
} finally {
  dispose();
}

const s = summariseRepeats(rows);
console.log('\n| Seed | Teacher | Distilled | Scratch | Distilled − scratch (points) |\n| ---- | ------- | --------- | ------- | ---- |');
for (const r of rows)
  console.log(`| ${r.seed} | ${pct(r.teacher)} | ${pct(r.distilled)} | ${pct(r.scratch)} | ${pts(r.distilled - r.scratch)} |`);
const ms = (m: { mean: number; sd: number }) => `${(m.mean * 100).toFixed(2)} ± ${(m.sd * 100).toFixed(2)}%`;
console.log(
  `| mean ± sd | ${ms(s.teacher)} | ${ms(s.distilled)} | ${ms(s.scratch)} | ${pts(s.difference.mean)} ± ${(s.difference.sd * 100).toFixed(2)} |`,
);
const i = s.difference.interval;
console.log(
  `\nPaired difference distilled − scratch: ${pts(s.difference.mean)} points, 95% interval ${i ? `[${pts(i.low)}, ${pts(i.high)}]` : 'none'} (Student's t, ${rows.length - 1} df). Verdict: ${s.text}. Total ${elapsed()}.`,
);
