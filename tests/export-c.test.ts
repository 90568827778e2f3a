import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyScaling, fitScaling } from '../src/core/data/normalise';
import { buildModel } from '../src/core/models';
import type { ModelSpec } from '../src/core/model-spec';
import { createRng } from '../src/core/rng';
import { useCpuBackend } from '../src/core/test-setup';
import { C_CODE_BYTES_ESTIMATE, exportC, inputScalingOf, type CExport } from '../src/core/model-io/export-c';
import { exportModel } from '../src/core/model-io/export';
import { loadExported } from '../src/core/model-io/reload';
import { quantisedLogits, quantTrainedOf } from '../src/core/quant-activations';
import { predictorTeacher } from '../src/core/teacher-model';
import { disposeTensors, toTensors } from '../src/core/tensors';
import { blobs } from '../src/core/test-data';
import { distill } from '../src/core/trainer';

beforeAll(useCpuBackend);

const dir = mkdtempSync(join(tmpdir(), 'distill-c-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads rows of DISTILL_STUDENT_INPUTS numbers from stdin and prints each row's logits. */
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

let builds = 0;

/** Compiles the two files with the system cc (C99, every warning an error) and runs them over raw rows. */
function runC(c: CExport, raw: Float32Array, features: number): { logits: Float32Array; objectText: number } {
  const at = join(dir, `b${++builds}`);
  execFileSync('mkdir', ['-p', at]);
  writeFileSync(join(at, 'distill_student.h'), c.header);
  writeFileSync(join(at, 'distill_student.c'), c.source);
  writeFileSync(join(at, 'main.c'), MAIN);
  const flags = ['-std=c99', '-Wall', '-Werror', '-O2'];
  execFileSync('cc', [...flags, '-c', 'distill_student.c', '-o', 'distill_student.o'], { cwd: at });
  execFileSync('cc', [...flags, 'main.c', 'distill_student.o', '-o', 'predict', '-lm'], { cwd: at });
  const size = execFileSync('size', ['distill_student.o'], { cwd: at, encoding: 'utf8' }).split('\n')[1].trim().split(/\s+/);
  const rows: string[] = [];
  for (let i = 0; i < raw.length; i += features) rows.push(Array.from(raw.slice(i, i + features), (v) => v.toPrecision(9)).join(' '));
  const out = execFileSync(join(at, 'predict'), { input: `${rows.join('\n')}\n`, encoding: 'utf8' });
  return { logits: Float32Array.from(out.trim().split(/\s+/), Number), objectText: Number(size[0]) };
}

async function tfLogits(model: tf.LayersModel, scaled: Float32Array, features: number): Promise<Float32Array> {
  const x = tf.tensor2d(scaled, [scaled.length / features, features]);
  const y = model.predict(x) as tf.Tensor;
  const values = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return values;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

function argmaxes(logits: Float32Array, classes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < logits.length; i += classes) {
    const row = Array.from(logits.slice(i, i + classes));
    out.push(row.indexOf(Math.max(...row)));
  }
  return out;
}

/** 100 rows of pixel bytes, as an MNIST-like file stores them, and the 0..1 values the studio feeds. */
function pixelRows(features: number, seed: number): { raw: Float32Array; scaled: Float32Array } {
  const rng = createRng(seed);
  const raw = Float32Array.from({ length: 100 * features }, () => Math.floor(rng() * 256));
  return { raw, scaled: raw.map((v) => v / 255) };
}

describe('exportC: distill_student.c compiled with cc gives the TF.js student’s logits from raw rows', () => {
  it('an MLP on CSV-like data with per-feature standardisation done inside the C (float32, 100 rows, ≤1e-4)', async () => {
    const features = 6;
    const rng = createRng(3);
    const raw = Float32Array.from({ length: 100 * features }, (_, i) => (i % features) * 40 + rng() * 10 - 3);
    const split = { x: raw.slice(), y: new Int32Array(100), n: 100 };
    const scaling = fitScaling(split, features, 'standardise');
    applyScaling(split, features, scaling);
    const model = buildModel(
      { kind: 'mlp', hidden: [16, 8], activation: 'sigmoid', dropout: 0 },
      { numFeatures: features, numClasses: 3 },
      1,
    );
    const c = exportC(model, { scaling: inputScalingOf({ scaling }), description: 'MLP 6-16-8-3' });
    expect(c.header).toContain('#define DISTILL_STUDENT_INPUTS 6');
    expect(c.header).toContain('#define DISTILL_STUDENT_OUTPUTS 3');
    expect(c.header).toContain('void distill_student_predict(const float *input, float *logits);');
    expect(c.source).not.toMatch(/malloc|#include <(?!math\.h)/);
    const { logits } = runC(c, raw, features);
    expect(maxDiff(logits, await tfLogits(model, split.x, features))).toBeLessThanOrEqual(1e-4);
    expect(c.weightBytes).toBe(model.countParams() * 4 + features * 8);
    expect(c.ramBytes).toBe(2 * 16 * 4);
    model.dispose();
  });

  it('a CNN on pixel bytes (the C divides by 255 as the MNIST loader does): float32 logits ≤1e-4, and its size', async () => {
    const shape = { numFeatures: 10 * 9, numClasses: 4, imageShape: [10, 9, 1] as [number, number, number] };
    const model = buildModel({ kind: 'cnn', filters: [4, 6], kernelSize: 3, dense: 12, dropout: 0.25 }, shape, 2);
    const { raw, scaled } = pixelRows(shape.numFeatures, 4);
    const scaling = inputScalingOf({ imageShape: shape.imageShape });
    expect(scaling).toEqual({ kind: 'pixels' });
    const c = exportC(model, { scaling });
    expect(c.header).toContain('#define DISTILL_STUDENT_INPUT_SCALE (1.0f / 255.0f)');
    const { logits, objectText } = runC(c, raw, shape.numFeatures);
    expect(maxDiff(logits, await tfLogits(model, scaled, shape.numFeatures))).toBeLessThanOrEqual(1e-4);
    expect(c.ramBytes).toBe(2 * 10 * 9 * 4 * 4); // the first conv's output, 10×9×4, is the largest
    // `size`'s text counts the const weights too: what is left is the code, under the bound the header quotes.
    const code = objectText - c.weightBytes;
    expect(code).toBeGreaterThan(100);
    expect(code).toBeLessThan(C_CODE_BYTES_ESTIMATE);
    model.dispose();
  });

  it('int8 weights (uint8 with a scale and minimum per tensor, dequantised in the loop) match the studio’s uint8 evaluation', async () => {
    const shape = { numFeatures: 8 * 8, numClasses: 5, imageShape: [8, 8, 1] as [number, number, number] };
    const specs: ModelSpec[] = [
      { kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0 },
      { kind: 'cnn', filters: [3], kernelSize: 3, dense: 10, dropout: 0 },
    ];
    for (const spec of specs) {
      const model = buildModel(spec, shape, 6);
      // The studio's uint8 evaluation: the model reloaded from its uint8 TF.js export.
      const reloaded = await loadExported(await exportModel(model, { quantization: 'uint8' }));
      const { raw, scaled } = pixelRows(shape.numFeatures, 9);
      const c = exportC(model, { weights: 'uint8', scaling: { kind: 'pixels' } });
      expect(c.source).toContain('unsigned char');
      expect(c.weightBytes).toBeLessThan(model.countParams() * 1.1 + 100);
      const { logits } = runC(c, raw, shape.numFeatures);
      const expected = await tfLogits(reloaded, scaled, shape.numFeatures);
      expect(maxDiff(logits, expected)).toBeLessThanOrEqual(1e-4);
      expect(argmaxes(logits, 5)).toEqual(argmaxes(expected, 5));
      // and not the float32 model's: the weights really are 8-bit
      expect(maxDiff(logits, await tfLogits(model, scaled, shape.numFeatures))).toBeGreaterThan(1e-4);
      model.dispose();
      reloaded.dispose();
    }
  });

  it('int8 per output channel (a scale and minimum per unit or filter) matches the studio’s per-channel evaluation', async () => {
    const shape = { numFeatures: 8 * 8, numClasses: 5, imageShape: [8, 8, 1] as [number, number, number] };
    const specs: ModelSpec[] = [
      { kind: 'mlp', hidden: [32], activation: 'relu', dropout: 0 },
      { kind: 'cnn', filters: [3], kernelSize: 3, dense: 10, dropout: 0 },
    ];
    for (const spec of specs) {
      const model = buildModel(spec, shape, 6);
      // Units of very different scales: one grid per tensor would waste most of its 256 steps on the small ones.
      model.setWeights(
        model.getWeights().map((w) => tf.tidy(() => (w.rank >= 2 ? tf.mul(w, tf.linspace(0.05, 3, w.shape[w.rank - 1])) : w.clone()))),
      );
      const { raw, scaled } = pixelRows(shape.numFeatures, 9);
      const x = tf.tensor2d(scaled, [100, shape.numFeatures]);
      const expectedT = quantisedLogits(model, x, { perChannel: true, activationRanges: null });
      const perTensorT = quantisedLogits(model, x, { perChannel: false, activationRanges: null });
      const [expected, perTensor] = [expectedT.dataSync() as Float32Array, perTensorT.dataSync() as Float32Array];
      const c = exportC(model, { weights: 'uint8', perChannel: true, scaling: { kind: 'pixels' } });
      expect(c.header).toContain('per output channel');
      const { logits } = runC(c, raw, shape.numFeatures);
      expect(maxDiff(logits, expected)).toBeLessThanOrEqual(1e-4);
      expect(argmaxes(logits, 5)).toEqual(argmaxes(expected, 5));
      // and not the per-tensor grid's answers: the scales really are per channel
      expect(maxDiff(logits, perTensor)).toBeGreaterThan(1e-3);
      tf.dispose([x, expectedT, perTensorT]);
      model.dispose();
    }
  });

  it('a student trained with Quantise activations: the trainer’s fake-quantised forward is the C int8 forward (100 rows, ≤1e-4, same argmax)', async () => {
    const dataset = {
      name: 'blobs',
      numFeatures: 8,
      numClasses: 4,
      classNames: ['a', 'b', 'c', 'd'],
      train: blobs(256, 1),
      test: blobs(100, 2),
    };
    const data = toTensors(dataset);
    const teacherModel = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, dataset, 1);
    for (const perChannel of [false, true]) {
      const student = buildModel({ kind: 'mlp', hidden: [24, 12], activation: 'relu', dropout: 0 }, dataset, 7);
      for await (const _ of distill({
        teacher: predictorTeacher(teacherModel),
        distilled: student,
        scratch: null,
        data,
        config: {
          epochs: 3,
          batchSize: 32,
          learningRate: 0.01,
          seed: 5,
          temperature: 4,
          alpha: 0.9,
          quantAware: { lastEpochs: 1, perChannel, activations: true },
        },
      })) {
        // the run's events are not needed
      }
      const trained = quantTrainedOf(student);
      expect(trained?.perChannel).toBe(perChannel);
      expect(trained?.activationRanges).toHaveLength(2);
      if (!trained) throw new Error('the trainer kept no scheme with the student');
      const raw = (await data.xTest.data()) as Float32Array;
      const expectedT = quantisedLogits(student, data.xTest, trained);
      const floatT = student.predict(data.xTest) as tf.Tensor;
      const c = exportC(student, { weights: 'uint8', perChannel, activationRanges: trained.activationRanges });
      expect(c.source).toContain('ds_fq(');
      expect(c.header).toContain('Activations: each hidden output rounded to its uint8 grid');
      const { logits } = runC(c, raw, dataset.numFeatures);
      const expected = expectedT.dataSync() as Float32Array;
      expect(logits).toHaveLength(100 * 4);
      expect(maxDiff(logits, expected)).toBeLessThanOrEqual(1e-4);
      expect(argmaxes(logits, 4)).toEqual(argmaxes(expected, 4));
      // the activations really are rounded: the C without them gives other logits
      const weightsOnly = runC(exportC(student, { weights: 'uint8', perChannel }), raw, dataset.numFeatures).logits;
      expect(maxDiff(weightsOnly, expected)).toBeGreaterThan(1e-3);
      expect(maxDiff(logits, floatT.dataSync() as Float32Array)).toBeGreaterThan(1e-3);
      tf.dispose([expectedT, floatT]);
      student.dispose();
    }
    teacherModel.dispose();
    disposeTensors(data);
  });

  it('rows fed as they are when the studio did not scale them (toy data), and a layer it cannot write refused by name', () => {
    expect(inputScalingOf({})).toEqual({ kind: 'none' });
    expect(inputScalingOf({ scaling: { kind: 'none', offset: [0], scale: [1] } })).toEqual({ kind: 'none' });
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 3, inputShape: [2] }), tf.layers.layerNormalization({ name: 'norm' })],
    });
    expect(() => exportC(model)).toThrow(/Layer 'norm' \(LayerNormalization\) cannot be exported/);
    model.dispose();
  });
});
