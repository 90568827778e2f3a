/**
 * Issue 14's figure: "Find the smallest student" on MNIST-10k with the shipped CNN teacher
 * (public/models/mnist-cnn): students from linear to MLP-512 (core/student-archs), each distilled
 * and trained from scratch at the studio's default T, alpha and learning rate, one seed; their size
 * (parameters, bytes at float32/uint8), latency per sample at batch 1 and 128 (wasm in Node, as the Results table measures it), the
 * Pareto front of the distilled students by parameters, and the smallest student within 1 point of
 * the 784-64-10 one.
 *
 *   nice npx tsx scripts/size-frontier.ts [--epochs N] [--students linear,mlp-8,...|all] [--seed S]
 *
 * `--students all` runs every student the page's sweep offers (STUDENT_ARCHS: linear, MLPs of one and two
 * hidden layers, both CNNs); with 20 epochs on a contended 2-core machine, cnn-32-64 alone took 65 min.
 *
 * Needs public/data/mnist-10k.bin (`npm run data`).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildModel } from '../src/core/models';
import { paretoFront } from '../src/core/pareto';
import { measureBatchLatency } from '../src/core/size-latency';
import { archSize, findStudentArch, STUDENT_ARCHS } from '../src/core/student-archs';
import { type DistillEpoch, distill } from '../src/core/trainer';
import { DEFAULT_CONFIG, distillRunConfig } from '../src/state/config';
import { mnistWithShippedCnn } from '../tests/mnist-wasm';

const DEFAULT_STUDENTS = 'linear,mlp-8,mlp-16,mlp-32,mlp-64,mlp-128,mlp-256,mlp-512,mlp-32-32,mlp-128-128';
const { values: args } = parseArgs({
  options: { epochs: { type: 'string', default: '5' }, students: { type: 'string', default: DEFAULT_STUDENTS }, seed: { type: 'string' } },
});
const base = distillRunConfig({ ...DEFAULT_CONFIG, studentEpochs: Number(args.epochs) });
const seed = Number(args.seed ?? DEFAULT_CONFIG.seed);
const archs = (args.students === 'all' ? STUDENT_ARCHS.map((a) => a.id).join(',') : (args.students ?? DEFAULT_STUDENTS))
  .split(',')
  .map((id) => {
    const arch = findStudentArch(id.trim());
    if (!arch) throw new Error(`Unknown student "${id}".`);
    return arch;
  });

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const kb = (b: number) => `${(b / 1024).toFixed(1)}`;
const us = (ms: number) => `${(ms * 1000).toFixed(1)}`;

const { dataset, data, teacher, says, dispose } = await mnistWithShippedCnn();
console.log(
  `${says}\n` +
    `${base.epochs} epochs, batch ${base.batchSize}, lr ${base.learningRate}, T = ${base.loss.temperature}, alpha = ${base.loss.alpha}, seed ${seed}`,
);

interface Row {
  id: string;
  params: number;
  f32: number;
  u8: number;
  distilled: number;
  scratch: number;
  teacher: number;
  b1: number;
  b128: number;
}
const rows: Row[] = [];
try {
  for (const arch of archs) {
    const distilled = buildModel(arch.spec, dataset, seed);
    const scratch = buildModel(arch.spec, dataset, seed);
    let last: DistillEpoch | undefined;
    try {
      for await (const ev of distill({
        teacher,
        distilled,
        scratch,
        data,
        config: {
          epochs: base.epochs,
          batchSize: base.batchSize,
          learningRate: base.learningRate,
          seed,
          ...base.loss,
          transfer: base.transfer,
        },
        imageShape: dataset.imageShape,
      })) {
        if (ev.kind === 'epoch') last = ev.summary;
      }
      if (!last) throw new Error('The run reported no epoch.');
      const latency = await measureBatchLatency(distilled, data.xTest, performance);
      const size = archSize(arch.spec, dataset);
      rows.push({
        id: arch.id,
        params: size.params,
        f32: size.bytesFloat32,
        u8: size.bytesUint8,
        distilled: last.distilledAccuracy,
        scratch: last.scratchAccuracy,
        teacher: last.teacherAccuracy,
        b1: latency.batch1,
        b128: latency.batch128,
      });
      console.log(`  ${arch.id}: distilled ${pct(last.distilledAccuracy)}, scratch ${pct(last.scratchAccuracy)} (${elapsed()})`);
    } finally {
      distilled.dispose();
      scratch.dispose();
    }
  }
} finally {
  dispose();
}

const front = new Set(paretoFront(rows.map((r) => ({ ...r, size: r.params, accuracy: r.distilled }))).map((r) => r.id));
console.log(`\nTeacher: ${pct(rows[0]?.teacher ?? Number.NaN)}. Front: distilled students no smaller student beats (by parameters).`);
console.log(
  '| Student | Params | KB f32 | KB uint8 | Distilled | Scratch | µs/sample b1 | µs/sample b128 | Front |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
);
for (const r of rows)
  console.log(
    `| ${r.id} | ${r.params} | ${kb(r.f32)} | ${kb(r.u8)} | ${pct(r.distilled)} | ${pct(r.scratch)} | ${us(r.b1)} | ${us(r.b128)} | ${front.has(r.id) ? '●' : ''} |`,
  );
const ref = rows.find((r) => r.id === 'mlp-64');
if (ref) {
  const within = rows.filter((r) => r.distilled >= ref.distilled - 0.01).sort((a, b) => a.params - b.params)[0];
  console.log(
    `\n784-64-10 distilled: ${pct(ref.distilled)}. Smallest student within 1 point of it: ${within.id} (${within.params} parameters, ${pct(within.distilled)}, ${(ref.params / within.params).toFixed(1)}× fewer parameters). Total ${elapsed()}.`,
  );
}
