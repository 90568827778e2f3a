/**
 * Issue 14's export figures for the default student (DEFAULT_CONFIG: 784-64-10, distilled from the
 * shipped MNIST CNN on MNIST-10k): the ONNX export's largest difference from TF.js on the test set
 * (float32 and float16 weights), and the C export's flash and RAM (float32 and int8), with the C run
 * from the raw pixel bytes over the whole test set. `nice npx tsx scripts/export-figures.ts [--student-epochs N]`.
 * Needs public/data/mnist-10k.bin (`npm run data`) and a C compiler (cc, and `size`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type * as tf from '@tensorflow/tfjs';
import { exportModel, loadExported } from '../src/core/model-io';
import { exportC, inputScalingOf } from '../src/core/model-io/export-c';
import { exportOnnx } from '../src/core/model-io/export-onnx';
import { checkOnnxExport } from '../src/core/model-io/onnx-check';
import { buildModel } from '../src/core/models';
import { studentPreset } from '../src/core/presets';
import { predictorTeacher } from '../src/core/teacher-model';
import { disposeTensors, toTensors } from '../src/core/tensors';
import { distill } from '../src/core/trainer';
import { DEFAULT_CONFIG, distillRunConfig } from '../src/state/config';
import { mnist10k, shippedTeacher, wasmBackend } from '../tests/mnist-wasm';

const { values: args } = parseArgs({ options: { 'student-epochs': { type: 'string' } } });
const run = distillRunConfig({ ...DEFAULT_CONFIG, studentEpochs: Number(args['student-epochs'] ?? DEFAULT_CONFIG.studentEpochs) });
await wasmBackend();
const dataset = mnist10k();
const data = toTensors(dataset);
const imported = await shippedTeacher('mnist-cnn');
const teacher = predictorTeacher({ predict: (x) => imported.predictLogits(x) });
const spec = studentPreset(run.studentPreset).spec;
const distilled = buildModel(spec, dataset, run.seed);
const scratch = buildModel(spec, dataset, run.seed);
for await (const ev of distill({
  teacher,
  distilled,
  scratch,
  data,
  config: {
    epochs: run.epochs,
    batchSize: run.batchSize,
    learningRate: run.learningRate,
    seed: run.seed,
    ...run.loss,
    transfer: run.transfer,
  },
  imageShape: dataset.imageShape,
})) {
  if (ev.kind === 'epoch') console.log(`epoch ${ev.summary.epoch}: distilled ${(ev.summary.distilledAccuracy * 100).toFixed(2)}%`);
}
console.log(`${dataset.name}, student ${run.studentPreset} (${distilled.countParams()} parameters), ${run.epochs} epochs\n`);

async function atPrecision(quantization: 'none' | 'float16' | 'uint8'): Promise<tf.LayersModel> {
  return quantization === 'none' ? distilled : loadExported(await exportModel(distilled, { quantization }));
}

console.log('| ONNX weights | File | Largest difference from TF.js (test set) | ONNX test accuracy |\n| --- | --- | --- | --- |');
for (const q of ['none', 'float16'] as const) {
  const bytes = exportOnnx(distilled, { weights: q === 'none' ? 'float32' : 'float16' });
  const reference = await atPrecision(q);
  const check = await checkOnnxExport(bytes, reference, data.xTest, data.yTest);
  console.log(
    `| ${q === 'none' ? 'float32' : q} | ${bytes.byteLength} B | ${check.maxAbsDiff.toExponential(2)} | ${(check.testAccuracy * 100).toFixed(2)}% |`,
  );
  if (reference !== distilled) reference.dispose();
}

const dir = mkdtempSync(join(tmpdir(), 'distill-c-figures-'));
const MAIN = `#include <stdio.h>
#include "distill_student.h"
int main(void) {
  float in[DISTILL_STUDENT_INPUTS], out[DISTILL_STUDENT_OUTPUTS];
  for (;;) {
    int i;
    for (i = 0; i < DISTILL_STUDENT_INPUTS; i++) if (scanf("%f", &in[i]) != 1) return 0;
    distill_student_predict(in, out);
    for (i = 0; i < DISTILL_STUDENT_OUTPUTS; i++) printf("%.9g%c", out[i], i + 1 < DISTILL_STUDENT_OUTPUTS ? ' ' : '\\n');
  }
}
`;
// The raw rows as the MNIST file stores them: pixel bytes (the loader divided them by 255).
const raw = Array.from({ length: dataset.test.n }, (_, i) =>
  Array.from(dataset.test.x.subarray(i * dataset.numFeatures, (i + 1) * dataset.numFeatures), (v) => Math.round(v * 255)).join(' '),
).join('\n');
console.log(
  '\n| C weights | Weights (flash) | Code (x86-64 gcc -O2, `size` text − weights) | RAM (2 buffers) | Largest difference from TF.js | C test accuracy |\n| --- | --- | --- | --- | --- | --- |',
);
try {
  for (const q of ['none', 'uint8'] as const) {
    const c = exportC(distilled, { weights: q === 'none' ? 'float32' : 'uint8', scaling: inputScalingOf(dataset) });
    const at = join(dir, q);
    execFileSync('mkdir', ['-p', at]);
    writeFileSync(join(at, 'distill_student.h'), c.header);
    writeFileSync(join(at, 'distill_student.c'), c.source);
    writeFileSync(join(at, 'main.c'), MAIN);
    const flags = ['-std=c99', '-Wall', '-Werror', '-O2'];
    execFileSync('cc', [...flags, '-c', 'distill_student.c'], { cwd: at });
    execFileSync('cc', [...flags, 'main.c', 'distill_student.o', '-o', 'predict', '-lm'], { cwd: at });
    const text = Number(execFileSync('size', ['distill_student.o'], { cwd: at, encoding: 'utf8' }).split('\n')[1].trim().split(/\s+/)[0]);
    const logits = Float32Array.from(
      execFileSync(join(at, 'predict'), { input: `${raw}\n`, encoding: 'utf8', maxBuffer: 1 << 28 })
        .trim()
        .split(/\s+/),
      Number,
    );
    const reference = await atPrecision(q);
    const out = reference.predict(data.xTest) as tf.Tensor;
    const expected = await out.data();
    out.dispose();
    if (reference !== distilled) reference.dispose();
    const labels = dataset.test.y;
    const classes = dataset.numClasses;
    let maxDiff = 0;
    let correct = 0;
    for (let i = 0; i < dataset.test.n; i++) {
      let best = 0;
      for (let j = 0; j < classes; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(logits[i * classes + j] - expected[i * classes + j]));
        if (logits[i * classes + j] > logits[i * classes + best]) best = j;
      }
      if (best === labels[i]) correct++;
    }
    console.log(
      `| ${q === 'none' ? 'float32' : 'int8'} | ${c.weightBytes} B | ${text - c.weightBytes} B | ${c.ramBytes} B | ${maxDiff.toExponential(2)} | ${((correct / dataset.test.n) * 100).toFixed(2)}% |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  distilled.dispose();
  scratch.dispose();
  imported.dispose();
  disposeTensors(data);
}
