import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { useCpuBackend } from '../test-setup';
import { loadOnnxTeacher, OnnxError, setOrtWasmPaths } from './index';
import {
  cnnLogitsTf,
  cnnNchwOnnx,
  customOpOnnx,
  externalDataOnnx,
  int64InputOnnx,
  mlpLogitsTf,
  mlpOnnx,
  nanOnnx,
  onnxModel,
  opsetOnnx,
  randomCnnWeights,
  randomMlpWeights,
  softmaxOnnx,
  twoOutputsOnnx,
} from './test-onnx-models';

const randomRows = (rows: number, features: number, seed: number): tf.Tensor2D => {
  const rng = createRng(seed);
  return tf.tensor2d(
    Float32Array.from({ length: rows * features }, () => rng() * 2 - 1),
    [rows, features],
  );
};

const maxDiff = (a: Float32Array | ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** What a message from the load says, or 'loaded'. */
async function refusal(promise: Promise<{ dispose(): Promise<void> }>): Promise<string> {
  try {
    await (await promise).dispose();
    return 'loaded';
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxError);
    return (e as Error).message;
  }
}

beforeAll(async () => {
  await useCpuBackend();
  // Node: ONNX Runtime finds its own wasm next to its module; one thread keeps test runs light.
  setOrtWasmPaths(null, { numThreads: 1 });
});

describe('an ONNX MLP teacher', () => {
  const w = randomMlpWeights(6, 8, 3, 1);
  let xTrain: tf.Tensor2D;
  let xTest: tf.Tensor2D;
  beforeAll(() => {
    xTrain = randomRows(300, 6, 2);
    xTest = randomRows(41, 6, 3);
  });
  afterAll(() => tf.dispose([xTrain, xTest]));

  it('gives the same logits as the same weights in TF.js ops, for the data set and for other rows', async () => {
    const before = tf.memory().numTensors;
    const progress: [number, number][] = [];
    const teacher = await loadOnnxTeacher(
      mlpOnnx(w),
      { xTrain, xTest, numClasses: 3 },
      { fileName: 'mlp.onnx', choice: {}, onProgress: (d, t) => progress.push([d, t]) },
    );
    expect(teacher.layout).toBe('flat');
    expect(teacher.outputsProbabilities).toBe(false);
    const expectTrain = mlpLogitsTf(xTrain, w);
    const expectTest = mlpLogitsTf(xTest, w);
    expect(maxDiff(teacher.trainLogits, expectTrain.dataSync())).toBeLessThan(1e-4);
    expect(maxDiff(teacher.testLogits, expectTest.dataSync())).toBeLessThan(1e-4);
    const fromTrain = await teacher.logits(xTrain);
    expect(fromTrain.shape).toEqual([300, 3]);
    expect(maxDiff(fromTrain.dataSync(), expectTrain.dataSync())).toBeLessThan(1e-4);
    const other = randomRows(5, 6, 9);
    const fromOther = await teacher.logits(other);
    const expectOther = mlpLogitsTf(other, w);
    expect(maxDiff(fromOther.dataSync(), expectOther.dataSync())).toBeLessThan(1e-4);
    tf.dispose([expectTrain, expectTest, fromTrain, other, fromOther, expectOther]);
    // 300 training rows in chunks of 256, then the 41 test rows.
    expect(progress).toEqual([
      [0, 341],
      [256, 341],
      [300, 341],
      [341, 341],
    ]);
    await teacher.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a custom-domain op by name', async () => {
    const message = await refusal(
      loadOnnxTeacher(customOpOnnx(w), { xTrain, xTest, numClasses: 3 }, { fileName: 'custom.onnx', choice: {} }),
    );
    expect(message).toMatch(/^custom\.onnx: the model uses the op com\.example:MyOp, which ONNX Runtime Web cannot run/);
  });

  it('answers overlapping requests for other rows one run at a time, each with its own rows', async () => {
    const teacher = await loadOnnxTeacher(mlpOnnx(w), { xTrain, xTest, numClasses: 3 }, { fileName: 'mlp.onnx', choice: {} });
    const a = randomRows(3, 6, 40);
    const b = randomRows(500, 6, 41);
    const [la, lb] = await Promise.all([teacher.logits(b), teacher.logits(a)]);
    const [ea, eb] = [mlpLogitsTf(b, w), mlpLogitsTf(a, w)];
    expect(maxDiff(la.dataSync(), ea.dataSync())).toBeLessThan(1e-4);
    expect(maxDiff(lb.dataSync(), eb.dataSync())).toBeLessThan(1e-4);
    tf.dispose([a, b, la, lb, ea, eb]);
    await teacher.dispose();
  });

  it('falls back to the wasm provider when WebGPU is asked for and cannot run (Node has no GPU)', async () => {
    const teacher = await loadOnnxTeacher(
      mlpOnnx(w),
      { xTrain, xTest, numClasses: 3 },
      { fileName: 'mlp.onnx', choice: {}, executionProvider: 'webgpu' },
    );
    expect(teacher.executionProvider).toBe('wasm');
    const expected = mlpLogitsTf(xTest, w);
    expect(maxDiff(teacher.testLogits, expected.dataSync())).toBeLessThan(1e-4);
    expected.dispose();
    await teacher.dispose();
  });

  it('runs a fixed batch size in chunks of that size, padding the last one', async () => {
    const small = xTrain.slice([0, 0], [10, 6]);
    const tiny = xTest.slice([0, 0], [3, 6]);
    const progress: number[] = [];
    const teacher = await loadOnnxTeacher(
      mlpOnnx(w, { batch: 4 }),
      { xTrain: small, xTest: tiny, numClasses: 3 },
      { fileName: 'fixed.onnx', choice: {}, onProgress: (done) => progress.push(done) },
    );
    expect(progress).toEqual([0, 4, 8, 10, 13]);
    const expected = mlpLogitsTf(small, w);
    expect(maxDiff(teacher.trainLogits, expected.dataSync())).toBeLessThan(1e-4);
    const expectedTest = mlpLogitsTf(tiny, w);
    expect(maxDiff(teacher.testLogits, expectedTest.dataSync())).toBeLessThan(1e-4);
    await teacher.dispose();
    tf.dispose([small, tiny, expected, expectedTest]);
  });

  it('takes cached logits without running the data set again, and refuses other rows once disposed', async () => {
    const before = tf.memory().numTensors;
    const cached = { train: new Float32Array(300 * 3).fill(0.5), test: new Float32Array(41 * 3).fill(-0.5) };
    const progress: number[] = [];
    const teacher = await loadOnnxTeacher(
      mlpOnnx(w),
      { xTrain, xTest, numClasses: 3 },
      { fileName: 'mlp.onnx', choice: {}, cached, onProgress: (d) => progress.push(d) },
    );
    expect(progress).toEqual([]);
    expect(teacher.trainLogits).toBe(cached.train);
    const t = await teacher.logits(xTest);
    expect(Array.from(t.dataSync().slice(0, 3))).toEqual([-0.5, -0.5, -0.5]);
    t.dispose();
    await teacher.dispose();
    const stillThere = await teacher.logits(xTrain);
    stillThere.dispose();
    const other = randomRows(2, 6, 5);
    await expect(teacher.logits(other)).rejects.toThrow(/^mlp\.onnx: the ONNX model was already released/);
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes again when the cache does not match the data set', async () => {
    const cached = { train: new Float32Array(5), test: new Float32Array(5) };
    const teacher = await loadOnnxTeacher(mlpOnnx(w), { xTrain, xTest, numClasses: 3 }, { fileName: 'mlp.onnx', choice: {}, cached });
    expect(teacher.trainLogits.length).toBe(900);
    expect(teacher.trainLogits).not.toBe(cached.train);
    await teacher.dispose();
  });

  it('turns a Softmax output into logits (log-probabilities), also for other rows', async () => {
    const teacher = await loadOnnxTeacher(softmaxOnnx(w), { xTrain, xTest, numClasses: 3 }, { fileName: 'soft.onnx', choice: {} });
    expect(teacher.outputsProbabilities).toBe(true);
    const expected = tf.tidy(() => tf.logSoftmax(mlpLogitsTf(xTrain, w)));
    expect(maxDiff(teacher.trainLogits, expected.dataSync())).toBeLessThan(1e-4);
    const other = randomRows(4, 6, 11);
    const got = await teacher.logits(other);
    const expectedOther = tf.tidy(() => tf.logSoftmax(mlpLogitsTf(other, w)));
    expect(maxDiff(got.dataSync(), expectedOther.dataSync())).toBeLessThan(1e-4);
    tf.dispose([expected, other, got, expectedOther]);
    await teacher.dispose();
  });

  it('detects probabilities from rows that sum to 1 when no Softmax node produces the output', async () => {
    const spec = {
      nodes: [
        { op: 'Softmax', inputs: ['input'], outputs: ['p'], attrs: { axis: 1 } },
        // Abs changes nothing here but is no pass-through op: only the rows' sums can tell.
        { op: 'Abs', inputs: ['p'], outputs: ['out'] },
      ],
      initializers: [],
      inputs: [{ name: 'input', dims: ['N', 6] }],
      outputs: [{ name: 'out', dims: ['N', 6] }],
    };
    const teacher = await loadOnnxTeacher(onnxModel(spec), { xTrain, xTest, numClasses: 6 }, { fileName: 'p.onnx', choice: {} });
    expect(teacher.outputsProbabilities).toBe(true);
    const expected = tf.logSoftmax(xTest);
    expect(maxDiff(teacher.testLogits, expected.dataSync())).toBeLessThan(1e-4);
    expected.dispose();
    await teacher.dispose();
    // Non-negative rows that do not sum to 1 are logits.
    const relu = await loadOnnxTeacher(
      onnxModel({ ...spec, nodes: [{ op: 'Relu', inputs: ['input'], outputs: ['out'] }] }),
      { xTrain, xTest, numClasses: 6 },
      { fileName: 'r.onnx', choice: {} },
    );
    expect(relu.outputsProbabilities).toBe(false);
    await relu.dispose();
  });

  it('asks for the output of a model with two, and refuses one that is not [N, classes]', async () => {
    const data = { xTrain, xTest, numClasses: 3 };
    const two = twoOutputsOnnx(w);
    expect(await refusal(loadOnnxTeacher(two, data, { fileName: 'two.onnx', choice: {} }))).toBe(
      "two.onnx: the model's output must be chosen first",
    );
    const teacher = await loadOnnxTeacher(two, data, { fileName: 'two.onnx', choice: { output: 'logits' } });
    const expected = mlpLogitsTf(xTrain, w);
    expect(maxDiff(teacher.trainLogits, expected.dataSync())).toBeLessThan(1e-4);
    expected.dispose();
    await teacher.dispose();
    expect(await refusal(loadOnnxTeacher(two, data, { fileName: 'two.onnx', choice: { output: 'hidden' } }))).toMatch(
      /^two\.onnx: the model's output "hidden" has shape \[N, 8\]; it must be \[N, 3\]: one score per class/,
    );
  });

  it('refuses a model whose other inputs the rows cannot fill, naming them', async () => {
    const twoInputs = onnxModel({
      nodes: [{ op: 'Add', inputs: ['a', 'b'], outputs: ['out'] }],
      initializers: [],
      inputs: [
        { name: 'a', dims: ['N', 6] },
        { name: 'b', dims: ['N', 6] },
      ],
      outputs: [{ name: 'out', dims: ['N', 6] }],
    });
    const data = { xTrain, xTest, numClasses: 6 };
    expect(await refusal(loadOnnxTeacher(twoInputs, data, { fileName: 'ab.onnx', choice: { input: 'b' } }))).toBe(
      'ab.onnx: the model also needs the input "a", which the data set\'s rows cannot fill (they go to "b"). Export a model with one input.',
    );
  });

  it('refuses an output whose actual shape is not [rows, classes] (declared symbolic), naming it', async () => {
    const relu = onnxModel({
      nodes: [{ op: 'Relu', inputs: ['input'], outputs: ['out'] }],
      initializers: [],
      inputs: [{ name: 'input', dims: ['N', 6] }],
      outputs: [{ name: 'out', dims: ['N', 'K'] }],
    });
    expect(await refusal(loadOnnxTeacher(relu, { xTrain, xTest, numClasses: 3 }, { fileName: 'r.onnx', choice: {} }))).toMatch(
      /^r\.onnx: the model's output "out" has shape \[256, 6\] for a batch of 256 rows; it must be \[256, 3\]/,
    );
  });

  it('refuses an int64 input, an unsupported opset and external data before running anything', async () => {
    const data = { xTrain, xTest, numClasses: 3 };
    expect(await refusal(loadOnnxTeacher(int64InputOnnx(w), data, { fileName: 'ids.onnx', choice: {} }))).toMatch(
      /^ids\.onnx: the model's input "ids" takes int64 values/,
    );
    expect(await refusal(loadOnnxTeacher(opsetOnnx(w), data, { fileName: 'new.onnx', choice: {} }))).toMatch(
      /^new\.onnx: ONNX opset 99 is not supported/,
    );
    expect(await refusal(loadOnnxTeacher(externalDataOnnx(w), data, { fileName: 'big.onnx', choice: {} }))).toMatch(
      /^big\.onnx: its weights are stored in another file/,
    );
  });
});

describe('NaN outputs', () => {
  it('are refused, saying how many rows of which split and the first one', async () => {
    const before = tf.memory().numTensors;
    const positive = tf.tidy(() => randomRows(20, 6, 4).abs() as tf.Tensor2D);
    const mixed = randomRows(30, 6, 5);
    const firstFeature = Array.from(mixed.dataSync()).filter((_, i) => i % 6 === 0);
    const negative = firstFeature.filter((v) => v < 0).length;
    const first = firstFeature.findIndex((v) => v < 0);
    expect(negative).toBeGreaterThan(0);
    const bad = nanOnnx(6, 3);
    expect(
      await refusal(loadOnnxTeacher(bad, { xTrain: mixed, xTest: positive, numClasses: 3 }, { fileName: 'nan.onnx', choice: {} })),
    ).toBe(
      `nan.onnx: the model's output "logits" is NaN or infinite for ${negative} of the 30 training rows (the first: row ${first}). ` +
        'Check that the model was exported in evaluation mode and takes the data set as it is (same scaling).',
    );
    expect(
      await refusal(loadOnnxTeacher(bad, { xTrain: positive, xTest: mixed, numClasses: 3 }, { fileName: 'nan.onnx', choice: {} })),
    ).toMatch(new RegExp(`for ${negative} of the 30 test rows \\(the first: row ${first}\\)`));
    tf.dispose([positive, mixed]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('an ONNX CNN teacher', () => {
  it.each([1, 3])('with NCHW input, BatchNormalization and MaxPool, %i channel(s), matches TF.js ops on NHWC rows', async (channels) => {
    const before = tf.memory().numTensors;
    const cw = randomCnnWeights({ height: 6, width: 4, channels, filters: 3, classes: 4 }, 20 + channels);
    const features = 6 * 4 * channels;
    const xTrain = randomRows(40, features, 21);
    const xTest = randomRows(7, features, 22);
    const teacher = await loadOnnxTeacher(
      cnnNchwOnnx(cw),
      { xTrain, xTest, numClasses: 4, imageShape: [6, 4, channels] },
      { fileName: 'cnn.onnx', choice: {} },
    );
    expect(teacher.layout).toBe('nchw');
    const expectTrain = cnnLogitsTf(xTrain, cw);
    const expectTest = cnnLogitsTf(xTest, cw);
    expect(maxDiff(teacher.trainLogits, expectTrain.dataSync())).toBeLessThan(1e-4);
    expect(maxDiff(teacher.testLogits, expectTest.dataSync())).toBeLessThan(1e-4);
    const other = randomRows(3, features, 23);
    const got = await teacher.logits(other);
    const expectOther = cnnLogitsTf(other, cw);
    expect(maxDiff(got.dataSync(), expectOther.dataSync())).toBeLessThan(1e-4);
    tf.dispose([xTrain, xTest, expectTrain, expectTest, other, got, expectOther]);
    await teacher.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with NHWC input feeds the rows as they are', async () => {
    const wi = randomMlpWeights(4 * 4 * 3, 5, 2, 30);
    const xTrain = randomRows(12, 48, 31);
    const xTest = randomRows(5, 48, 32);
    const teacher = await loadOnnxTeacher(
      mlpOnnx(wi, { sampleDims: [4, 4, 3] }),
      { xTrain, xTest, numClasses: 2, imageShape: [4, 4, 3] },
      { fileName: 'nhwc.onnx', choice: {} },
    );
    expect(teacher.layout).toBe('nhwc');
    const expected = mlpLogitsTf(xTrain, wi);
    expect(maxDiff(teacher.trainLogits, expected.dataSync())).toBeLessThan(1e-4);
    tf.dispose([xTrain, xTest, expected]);
    await teacher.dispose();
  });
});
