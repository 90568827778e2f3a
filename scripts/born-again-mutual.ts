/**
 * Issue 15's figures for Born-again and Mutual learning on MNIST-10k, wasm backend in Node, with
 * the app's kernel fixes and the studio's default loss (T = 4, alpha = 0.9, learning rate 0.003,
 * batch 128). Born-again: students with the shipped CNN teacher's architecture, G generations, each
 * distilled from the one before, the scratch control beside generation 1. Mutual learning: two
 * mlp-64 students (784-64-10) from different seeds, the scratch control beside them.
 *
 *   nice npx tsx scripts/born-again-mutual.ts [--method born-again|mutual|both] [--epochs 20] [--generations 2] [--seed 1] [--alpha 0.9] [--temperature 4]
 *
 * Needs public/data/mnist-10k.bin (`npm run data`).
 */
import type * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { bornAgain, bornAgainStudent, generationSeed } from '../src/core/born-again';
import { buildModel } from '../src/core/models';
import { mutual, peerSeed } from '../src/core/mutual';
import { studentPreset } from '../src/core/presets';
import type { DistillConfig } from '../src/core/trainer';
import { DEFAULT_CONFIG } from '../src/state/config';
import { mnistWithShippedCnn, shippedTeacher } from '../tests/mnist-wasm';

const { values: args } = parseArgs({
  options: {
    method: { type: 'string', default: 'both' },
    epochs: { type: 'string', default: '20' },
    generations: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    alpha: { type: 'string', default: String(DEFAULT_CONFIG.alpha) },
    temperature: { type: 'string', default: String(DEFAULT_CONFIG.temperature) },
  },
});
const config: DistillConfig = {
  epochs: Number(args.epochs),
  batchSize: DEFAULT_CONFIG.batchSize,
  learningRate: DEFAULT_CONFIG.learningRate,
  seed: Number(args.seed),
  temperature: Number(args.temperature),
  alpha: Number(args.alpha),
};
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const pts = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)}`;

const { dataset, data, teacher, says, dispose } = await mnistWithShippedCnn();
console.log(`${says}; ${config.epochs} epochs per model, seed ${config.seed}, T ${config.temperature}, alpha ${config.alpha}`);

if (args.method === 'born-again' || args.method === 'both') {
  const imported = await shippedTeacher('mnist-cnn');
  const layers = imported.layersModel;
  if (!layers) throw new Error('The shipped CNN is not a layers model.');
  const scratch = await bornAgainStudent(layers, generationSeed(config.seed, 1));
  let last: tf.LayersModel | null = null;
  let scratchAccuracy = Number.NaN;
  for await (const e of bornAgain({
    teacher,
    teacherLayers: layers,
    scratch,
    data,
    config,
    generations: Number(args.generations),
    imageShape: dataset.imageShape,
    handOver: (m) => {
      last = m;
    },
  })) {
    if (e.kind === 'epoch') {
      if (e.summary.generation === 1) scratchAccuracy = e.summary.scratchAccuracy;
      console.log(
        `  gen ${e.summary.generation} epoch ${e.summary.epoch}: distilled ${pct(e.summary.distilledAccuracy)}, scratch ${pct(e.summary.scratchAccuracy)} (${elapsed()})`,
      );
    } else if (e.kind === 'generation') {
      const r = e.result;
      console.log(
        `born-again generation ${r.generation}: ${pct(r.testAccuracy)} (teacher ${pct(r.teacherAccuracy)}, ${pts(r.testAccuracy - r.teacherAccuracy)} points)`,
      );
    }
  }
  console.log(
    `born-again scratch control (teacher's architecture, labels only, ${config.epochs} epochs): ${pct(scratchAccuracy)} (${elapsed()})`,
  );
  (last as tf.LayersModel | null)?.dispose();
  scratch.dispose();
  imported.dispose();
}

if (args.method === 'mutual' || args.method === 'both') {
  const spec = studentPreset('mlp-64').spec;
  const first = buildModel(spec, dataset, config.seed);
  const second = buildModel(spec, dataset, peerSeed(config.seed));
  const scratch = buildModel(spec, dataset, config.seed);
  let final = null;
  for await (const e of mutual({ first, second, scratch, reference: teacher, data, config })) {
    if (e.kind === 'epoch') {
      final = e.summary;
      console.log(
        `  epoch ${e.summary.epoch}: student 1 ${pct(e.summary.distilledAccuracy)}, peer ${pct(e.summary.peerAccuracy ?? Number.NaN)}, scratch ${pct(e.summary.scratchAccuracy)} (${elapsed()})`,
      );
    }
  }
  if (final)
    console.log(
      `mutual learning, mlp-64 x 2: student 1 ${pct(final.distilledAccuracy)}, peer ${pct(final.peerAccuracy ?? Number.NaN)}, scratch ${pct(final.scratchAccuracy)} (teacher for reference ${pct(final.teacherAccuracy)}) (${elapsed()})`,
    );
  for (const m of [first, second, scratch]) m.dispose();
}
dispose();
