/**
 * Issue 14's figure: "Train for uint8" on MNIST-10k with the default recipe's 784-64-10 student
 * (DEFAULT_CONFIG: T = 4, alpha = 0.9, 20 epochs, learning rate 0.003) and the teacher MNIST loads
 * by default (the shipped CNN). One run trains the student for uint8 in its last N epochs and a
 * float twin alongside (same start, batches and loss), as the studio's worker does; each accuracy
 * is measured from an export loaded back: float32 (the twin), uint8 after training (the twin
 * quantised), uint8 trained for it. On the wasm backend in Node, with the app's kernel fixes.
 *
 *   nice npx tsx scripts/quantisation-table.ts [--seeds 1] [--first-seed S] [--student-epochs N] [--last-epochs 3]
 *     [--scheme per-tensor|per-channel] [--activations]
 *
 * Per channel or with activations, both uint8 rows are the C int8 export's arithmetic (TF.js's uint8
 * files cannot hold them; worker/quant-compare.ts), and PTQ calibrates activation ranges on the training rows.
 *
 * Needs public/data/mnist-10k.bin (`npm run data`).
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { predictLogits } from '../src/core/metrics';
import { buildModel } from '../src/core/models';
import { calibrateRanges, quantisedLogits, quantTrainedOf, type QuantTrained } from '../src/core/quant-activations';
import { studentPreset } from '../src/core/presets';
import { distill } from '../src/core/trainer';
import { DEFAULT_CONFIG, distillRunConfig } from '../src/state/config';
import { compareQuantised } from '../src/worker/quant-compare';
import type { QuantComparison } from '../src/worker/protocol';
import { mnistWithShippedCnn } from '../tests/mnist-wasm';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1' },
    'first-seed': { type: 'string' },
    'student-epochs': { type: 'string' },
    'last-epochs': { type: 'string', default: '3' },
    scheme: { type: 'string', default: 'per-tensor' },
    activations: { type: 'boolean', default: false },
  },
});
const run = distillRunConfig({
  ...DEFAULT_CONFIG,
  studentEpochs: Number(args['student-epochs'] ?? DEFAULT_CONFIG.studentEpochs),
  trainForUint8: true,
  quantLastEpochs: Number(args['last-epochs']),
  quantScheme: args.scheme === 'per-channel' ? 'per-channel' : 'per-tensor',
  quantActivations: args.activations ?? false,
});
const quantAware = run.quantAware;
if (!quantAware) throw new Error('distillRunConfig dropped quantAware');
const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => Number(args['first-seed'] ?? DEFAULT_CONFIG.seed) + i);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)}`;

const { dataset, data, teacher, says, dispose } = await mnistWithShippedCnn();
console.log(
  `${says}\n` +
    `student ${run.studentPreset}, ${run.epochs} epochs (uint8 ${quantAware.perChannel ? 'per channel' : 'per tensor'}${quantAware.activations ? ' with activations' : ''} in the last ${quantAware.lastEpochs}), batch ${run.batchSize}, lr ${run.learningRate}, T = ${run.loss.temperature}, alpha = ${run.loss.alpha}; seeds ${seeds.join(', ')}`,
);
/** Test rows whose predicted class differs between float `a` and `b` quantised with scheme `q`. */
function changedRows(a: tf.LayersModel, b: tf.LayersModel, q: QuantTrained): number {
  const qb = quantisedLogits(b, data.xTest, q);
  const n = tf.tidy(() => {
    const pa = tf.argMax(predictLogits(a, data.xTest), 1);
    return tf.sum(tf.notEqual(pa, tf.argMax(qb, 1))).dataSync()[0];
  });
  qb.dispose();
  return n;
}

const rows: (QuantComparison & { seed: number })[] = [];
try {
  for (const seed of seeds) {
    const spec = studentPreset(run.studentPreset).spec;
    const distilled = buildModel(spec, dataset, seed);
    const twin = buildModel(spec, dataset, seed);
    try {
      for await (const _ of distill({
        teacher,
        distilled,
        scratch: null,
        floatTwin: twin,
        data,
        config: {
          epochs: run.epochs,
          batchSize: run.batchSize,
          learningRate: run.learningRate,
          seed,
          ...run.loss,
          transfer: run.transfer,
          quantAware,
        },
        imageShape: dataset.imageShape,
      })) {
        // events are not needed: the comparison is measured at the end
      }
      const q = await compareQuantised(twin, distilled, data, quantAware.lastEpochs);
      rows.push({ seed, ...q });
      // Finer than accuracy: test rows whose predicted class is not the float32 student's.
      const trained = quantTrainedOf(distilled) ?? { perChannel: false, activationRanges: null };
      const ptqScheme = {
        perChannel: trained.perChannel,
        activationRanges: trained.activationRanges ? await calibrateRanges(twin, data.xTrain) : null,
      };
      const ptqChanged = changedRows(twin, twin, ptqScheme);
      const qatChanged = changedRows(twin, distilled, trained);
      console.log(
        `  seed ${seed}: float32 ${pct(q.float32)}, uint8 PTQ ${pct(q.uint8AfterTraining)} (${ptqChanged} test rows change class), uint8 QAT ${pct(q.uint8TrainedForIt)} (${qatChanged} rows differ from float32) (${elapsed()})`,
      );
    } finally {
      distilled.dispose();
      twin.dispose();
    }
  }
} finally {
  dispose();
}

const mean = (f: (r: QuantComparison) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
console.log('\n| Weights | Test accuracy | vs float32 (points) |\n| --- | --- | --- |');
console.log(`| float32 | ${pct(mean((r) => r.float32))} | — |`);
console.log(
  `| uint8 after training (PTQ) | ${pct(mean((r) => r.uint8AfterTraining))} | ${pts(mean((r) => r.uint8AfterTraining - r.float32))} |`,
);
console.log(
  `| uint8 trained for it (QAT) | ${pct(mean((r) => r.uint8TrainedForIt))} | ${pts(mean((r) => r.uint8TrainedForIt - r.float32))} |`,
);
const gap = mean((r) => r.float32 - r.uint8TrainedForIt);
console.log(
  `\n${rows.length} seed${rows.length === 1 ? '' : 's'}, ${elapsed()}. Goal (QAT within 0.3 points of float32): ${gap <= 0.003 ? 'met' : 'not met'} (${pts(-gap)} points).`,
);
