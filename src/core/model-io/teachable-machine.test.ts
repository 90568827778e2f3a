import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { isTeachableMachine, loadTeachableMachine } from './teachable-machine';
import type { ModelFile } from './types';

beforeAll(useCpuBackend);

const SIZE = 8;
const LABELS = ['Dog', 'CAT', 'bird'];

/** A tiny stand-in for a Teachable Machine image model: [null, 8, 8, 3] → flatten → dense softmax, seeded. */
function tinyTmModel(classes = LABELS.length): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [SIZE, SIZE, 3] }),
      tf.layers.dense({
        units: classes,
        activation: 'softmax',
        kernelInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 7 }),
        biasInitializer: tf.initializers.randomNormal({ stddev: 0.3, seed: 8 }),
      }),
    ],
  });
}

/** The export as Teachable Machine writes it: model.json, weights.bin and metadata.json. */
async function tmFiles(model: tf.LayersModel, metadata: object = { labels: LABELS, imageSize: SIZE, modelName: 'tm-my-image-model' }) {
  let files: ModelFile[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const doc = {
        format: 'layers-model',
        generatedBy: 'TensorFlow.js tfjs-layers v1.3.1',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      files = [
        { name: 'model.json', bytes: strToU8(JSON.stringify(doc)) },
        { name: 'weights.bin', bytes: new Uint8Array(artifacts.weightData as ArrayBuffer) },
        { name: 'metadata.json', bytes: strToU8(JSON.stringify(metadata)) },
      ];
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

/** Seeded pixels in [0, 1], as the data sets hold them. */
function pixels(n: number, width: number, seed: number): number[][] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: n }, () => Array.from({ length: width }, next));
}

/** Bilinear resize with half-pixel centres of one h×w×c image (row-major, channels last), by hand. */
function resizeByHand(img: number[], [h, w, c]: number[], [height, width]: number[]): number[] {
  const at = (y: number, x: number, ch: number) => img[(y * w + x) * c + ch];
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max(((y + 0.5) * h) / height - 0.5, 0), h - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, h - 1);
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max(((x + 0.5) * w) / width - 0.5, 0), w - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, w - 1);
      for (let ch = 0; ch < c; ch++) {
        const top = at(y0, x0, ch) + (at(y0, x1, ch) - at(y0, x0, ch)) * (sx - x0);
        const bottom = at(y1, x0, ch) + (at(y1, x1, ch) - at(y1, x0, ch)) * (sx - x0);
        out.push(top + (bottom - top) * (sy - y0));
      }
    }
  }
  return out;
}

/** log softmax(flat · W + b) for each image given as [8·8·3] values in [-1, 1], by hand. */
function logProbsByHand(model: tf.LayersModel, inputs: number[][]): number[][] {
  const [kernel, bias] = model.getWeights();
  const W = kernel.arraySync() as number[][];
  const b = bias.arraySync() as number[];
  return inputs.map((row) => {
    const z = b.map((bj, j) => bj + row.reduce((sum, v, i) => sum + v * W[i][j], 0));
    const max = Math.max(...z);
    const lse = max + Math.log(z.reduce((sum, v) => sum + Math.exp(v - max), 0));
    return z.map((v) => v - lse);
  });
}

describe('isTeachableMachine', () => {
  it('is true for model.json + weights.bin + metadata.json with labels, loose or zipped', async () => {
    const model = tinyTmModel();
    const files = await tmFiles(model);
    expect(isTeachableMachine(files)).toBe(true);
    expect(isTeachableMachine([{ name: 'tm.zip', bytes: zipSync(Object.fromEntries(files.map((f) => [`tm/${f.name}`, f.bytes]))) }])).toBe(
      true,
    );
    expect(isTeachableMachine(files.filter((f) => f.name !== 'metadata.json'))).toBe(false);
    expect(isTeachableMachine(await tmFiles(model, { imageSize: SIZE }))).toBe(false);
    expect(isTeachableMachine(files.filter((f) => f.name !== 'model.json'))).toBe(false);
    model.dispose();
  });
});

describe('loadTeachableMachine', () => {
  it('resizes grey images to the model input, tiles them to RGB, scales to [-1, 1] and puts the columns in the data set order', async () => {
    const model = tinyTmModel();
    const files = await tmFiles(model);
    const before = tf.memory().numTensors;
    // The data set's classes in another order and case than metadata.json's.
    const classNames = ['bird', 'cat', 'DOG'];
    const teacher = await loadTeachableMachine(files, { classNames, imageShape: [4, 4, 1] });
    expect(teacher.description).toBe('Teachable Machine "tm-my-image-model", 8×8×3 images, 3 classes');
    expect(teacher.params).toBe(SIZE * SIZE * 3 * 3 + 3);
    expect(teacher.bytes).toBe(files.reduce((s, f) => s + f.bytes.byteLength, 0));
    // 70 rows: more than one chunk of 64.
    const rows = pixels(70, 16, 3);
    const x = tf.tensor2d(rows);
    const logits = await teacher.model.logits(x);
    expect(logits.shape).toEqual([70, 3]);
    const got = logits.arraySync();
    const inputs = rows.map((r) =>
      resizeByHand(r, [4, 4, 1], [SIZE, SIZE])
        .flatMap((v) => [v, v, v])
        .map((v) => v * 2 - 1),
    );
    const byLabel = logProbsByHand(model, inputs);
    // Data set class j is metadata label [bird → 2, cat → 1, dog → 0].
    const want = byLabel.map((r) => [r[2], r[1], r[0]]);
    for (const [i, row] of want.entries()) for (const [j, v] of row.entries()) expect(got[i][j]).toBeCloseTo(v, 4);
    tf.dispose([x, logits]);
    teacher.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('takes RGB images of the model size as they are (no resize), only scaled', async () => {
    const model = tinyTmModel();
    const teacher = await loadTeachableMachine(await tmFiles(model), { classNames: ['dog', 'cat', 'bird'], imageShape: [SIZE, SIZE, 3] });
    const rows = pixels(5, SIZE * SIZE * 3, 4);
    const x = tf.tensor2d(rows);
    const logits = await teacher.model.logits(x);
    const want = logProbsByHand(
      model,
      rows.map((r) => r.map((v) => v * 2 - 1)),
    );
    const got = logits.arraySync();
    for (const [i, row] of want.entries()) for (const [j, v] of row.entries()) expect(got[i][j]).toBeCloseTo(v, 4);
    tf.dispose([x, logits]);
    teacher.model.dispose();
    model.dispose();
  });

  it.each([
    ['metadata.json without labels', { imageSize: SIZE }, ['bird', 'cat', 'dog'], 'metadata.json has no "labels" list of class names'],
    [
      'class names that do not match, on both sides',
      { labels: ['Dog', 'CAT', 'horse'] },
      ['bird', 'cat', 'dog'],
      'The Teachable Machine model\'s classes do not match the data set\'s (names compared ignoring case): the data set has "bird", which the model does not; the model has "horse", which the data set does not.',
    ],
    [
      'a label twice',
      { labels: ['Dog', 'dog', 'cat'] },
      ['cat', 'dog', 'bird'],
      'metadata.json names the class "dog" twice (ignoring case).',
    ],
    [
      'more labels than the model has outputs',
      { labels: ['Dog', 'CAT', 'bird', 'fish'] },
      ['bird', 'cat', 'dog', 'fish'],
      'The model gives 3 outputs per image, and metadata.json names 4 classes.',
    ],
  ])('refuses %s, saying what, with no tensor left behind', async (_name, metadata, classNames, message) => {
    const model = tinyTmModel();
    const files = await tmFiles(model, metadata);
    const before = tf.memory().numTensors;
    await expect(loadTeachableMachine(files, { classNames, imageShape: [4, 4, 1] })).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses a data set without images, and files without metadata.json', async () => {
    const model = tinyTmModel();
    const files = await tmFiles(model);
    const before = tf.memory().numTensors;
    await expect(loadTeachableMachine(files, { classNames: ['bird', 'cat', 'dog'] })).rejects.toThrow(
      'A Teachable Machine model takes images, and this data set has no image shape',
    );
    await expect(
      loadTeachableMachine(
        files.filter((f) => f.name !== 'metadata.json'),
        { classNames: ['bird', 'cat', 'dog'], imageShape: [4, 4, 1] },
      ),
    ).rejects.toThrow('No metadata.json among the files');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
