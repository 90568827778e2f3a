/**
 * The reproduction the studio must show (issue "Distillation methods and experiments"), on MNIST-10k
 * with the shipped CNN teacher and the 784-64-10 student at T = 4, alpha = 0.9, 20 epochs, on wasm:
 * distillation beats the scratch control on average over three seeds, and a student that never saw
 * a 3 still recognises many 3s from the teacher's soft targets alone.
 * Our PyTorch reference on this split: scratch 93.90 ± 0.18, distilled 94.33 ± 0.27.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bestBias } from '../src/core/analysis/bias';
import type { Dataset } from '../src/core/data/types';
import type { ImportedModel } from '../src/core/model-io';
import { predictLogits } from '../src/core/metrics';
import { buildModel } from '../src/core/models';
import { studentPreset } from '../src/core/presets';
import { disposeTensors, toTensors, type DataTensors } from '../src/core/tensors';
import { distill, type DistillConfig, type DistillEpoch } from '../src/core/trainer';
import { predictorTeacher } from '../src/core/teacher-model';
import { mnist10k, shippedTeacher, wasmBackend } from './mnist-wasm';

const RECIPE: DistillConfig = { epochs: 20, batchSize: 128, learningRate: 0.003, seed: 1, temperature: 4, alpha: 0.9 };
const RUN_TIMEOUT = 240_000;

let dataset: Dataset;
let data: DataTensors;
let teacher: ImportedModel;

beforeAll(async () => {
  await wasmBackend();
  dataset = mnist10k();
  data = toTensors(dataset);
  teacher = await shippedTeacher('mnist-cnn');
}, RUN_TIMEOUT);

afterAll(() => {
  teacher?.dispose();
  if (data) disposeTensors(data);
});

/** The last epoch's summary, and the distilled student's test logits. */
async function run(config: DistillConfig): Promise<{ last: DistillEpoch; logits: Float32Array }> {
  const spec = studentPreset('mlp-64').spec;
  const distilled = buildModel(spec, dataset, config.seed);
  const scratch = buildModel(spec, dataset, config.seed);
  let last: DistillEpoch | undefined;
  try {
    const predictor = { predict: (x: tf.Tensor2D) => teacher.predictLogits(x) };
    for await (const ev of distill({
      teacher: predictorTeacher(predictor),
      distilled,
      scratch,
      data,
      config,
      imageShape: dataset.imageShape,
    })) {
      if (ev.kind === 'epoch') last = ev.summary;
    }
    if (!last) throw new Error('The run reported no epoch.');
    const logits = tf.tidy(() => predictLogits(distilled, data.xTest));
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    return { last, logits: values };
  } finally {
    distilled.dispose();
    scratch.dispose();
  }
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

it(
  'distilled beats scratch in test accuracy, averaged over seeds 1-3',
  async () => {
    const runs: DistillEpoch[] = [];
    for (const seed of [1, 2, 3]) runs.push((await run({ ...RECIPE, seed })).last);
    const distilled = runs.map((r) => r.distilledAccuracy);
    const scratch = runs.map((r) => r.scratchAccuracy);
    console.log(
      `reproduction: distilled ${distilled.map(pct).join(' / ')} (mean ${pct(mean(distilled))}); scratch ${scratch.map(pct).join(' / ')} (mean ${pct(mean(scratch))})`,
    );
    expect(runs[0].teacherAccuracy).toBeGreaterThan(0.975);
    expect(mean(distilled)).toBeGreaterThan(mean(scratch));
  },
  3 * RUN_TIMEOUT,
);

it(
  'a student that never saw a 3 recognises 3s from soft targets alone, most of them once its 3-logit is raised',
  async () => {
    const { last, logits } = await run({ ...RECIPE, transfer: { labelledFraction: 1, omitClass: 3, jitter: 0 } });
    const omitted = last.omitted;
    if (!omitted) throw new Error('No omitted-class summary.');
    const corrected = bestBias(logits, dataset.test.y, dataset.numClasses, 3);
    console.log(
      `no 3s: distilled ${pct(omitted.distilledAccuracy)} of the 3s (${pct(last.distilledAccuracy)} overall); scratch ${pct(omitted.scratchAccuracy)} (${pct(last.scratchAccuracy)} overall); ` +
        `with the 3-logit raised by ${corrected.bias}: ${pct(corrected.onClass)} of the 3s (${pct(corrected.overall)} overall)`,
    );
    expect(omitted.scratchAccuracy).toBe(0); // it never had a reason to predict a 3
    expect(omitted.distilledAccuracy).toBeGreaterThan(0.1);
    expect(corrected.onClass).toBeGreaterThan(0.7);
    expect(corrected.overall).toBeGreaterThan(last.distilledAccuracy);
  },
  RUN_TIMEOUT,
);
