import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../models';
import { readOnnxInfo } from '../onnx/read-onnx-info';
import { createRng } from '../rng';
import { useCpuBackend } from '../test-setup';
import { ExportPlanError } from './export-plan';
import { exportOnnx, ONNX_OPSET } from './export-onnx';
import { exportModel } from './export';
import { decodeOnnxModel, encodeOnnxModel } from './onnx-schema';
import protobuf from 'protobufjs';
import generated from './onnx-proto/onnx-pb.js?raw';
import proto from './onnx-proto/onnx-subset.proto?raw';
import { loadExported } from './reload';
import { checkOnnxExport, onnxLogits } from './onnx-check';

beforeAll(useCpuBackend);

function rows(n: number, features: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * features }, () => rng());
}

async function tfLogits(model: tf.LayersModel, x: Float32Array, features: number): Promise<Float32Array> {
  const input = tf.tensor2d(x, [x.length / features, features]);
  const out = model.predict(input) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  tf.dispose([input, out]);
  return values;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('exportOnnx: a TF.js student as ONNX bytes that ONNX Runtime runs to the same logits', () => {
  it('an MLP student (tanh hidden layers, biases), read back by readOnnxInfo', async () => {
    const model = buildModel({ kind: 'mlp', hidden: [16, 8], activation: 'tanh', dropout: 0.2 }, { numFeatures: 5, numClasses: 3 }, 3);
    const bytes = exportOnnx(model);
    const info = readOnnxInfo(bytes, 'student.onnx');
    expect(info.opset).toBe(ONNX_OPSET);
    expect(info.inputs).toHaveLength(1);
    expect(info.inputs).toEqual([{ name: 'input', elemType: 'float32', dims: ['N', 5] }]);
    expect(info.outputs).toEqual([{ name: 'logits', elemType: 'float32', dims: ['N', 3] }]);
    expect(info.params).toBe(model.countParams());
    const x = rows(40, 5, 1);
    const d = maxDiff(await onnxLogits(bytes, x, 5), await tfLogits(model, x, 5));
    expect(d).toBeLessThanOrEqual(1e-4);
    model.dispose();
  });

  it('a CNN student (reshape, conv same padding, max pool, flatten, dense) on 8×6 images, checked as the worker does', async () => {
    const shape = { numFeatures: 8 * 6 * 2, numClasses: 4, imageShape: [8, 6, 2] as [number, number, number] };
    const model = buildModel({ kind: 'cnn', filters: [3, 5], kernelSize: 3, dense: 7, dropout: 0 }, shape, 5);
    const bytes = exportOnnx(model);
    const xTest = tf.tensor2d(rows(30, shape.numFeatures, 2), [30, shape.numFeatures]);
    const yTest = tf.tensor1d(
      Array.from({ length: 30 }, (_, i) => i % 4),
      'int32',
    );
    const predicted = tf.tidy(() => (model.predict(xTest) as tf.Tensor2D).argMax(1).equal(yTest).mean());
    const tfAccuracy = (await predicted.data())[0];
    const check = await checkOnnxExport(bytes, model, xTest, yTest);
    expect(check.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(check.testAccuracy).toBeCloseTo(tfAccuracy, 6);
    tf.dispose([xTest, yTest, predicted]);
    model.dispose();
  });

  it('a conv with valid padding and stride 2 and an odd-sized image ("same" pads more at the end, as in TF)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.reshape({ targetShape: [7, 5, 1], inputShape: [35] }),
        tf.layers.conv2d({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', activation: 'sigmoid' }),
        tf.layers.conv2d({ filters: 3, kernelSize: [2, 1], padding: 'valid' }),
        tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const x = rows(9, 35, 4);
    expect(maxDiff(await onnxLogits(exportOnnx(model), x, 35), await tfLogits(model, x, 35))).toBeLessThanOrEqual(1e-4);
    model.dispose();
  });

  it('float16 weights: float16 initializers Cast to float32, the logits of the TF.js model reloaded from its float16 export', async () => {
    const model = buildModel({ kind: 'mlp', hidden: [64], activation: 'relu', dropout: 0 }, { numFeatures: 20, numClasses: 3 }, 9);
    const float32 = exportOnnx(model);
    const half = exportOnnx(model, { weights: 'float16' });
    expect(readOnnxInfo(half, 's.onnx').ops).toContain('Cast');
    expect(half.byteLength).toBeLessThan(float32.byteLength * 0.75);
    const reloaded = await loadExported(await exportModel(model, { quantization: 'float16' }));
    const x = rows(20, 20, 5);
    const a = await onnxLogits(half, x, 20);
    expect(maxDiff(a, await tfLogits(reloaded, x, 20))).toBeLessThanOrEqual(1e-5);
    // and not the float32 model's logits: the weights really are float16
    expect(maxDiff(a, await tfLogits(model, x, 20))).toBeGreaterThan(1e-6);
    model.dispose();
    reloaded.dispose();
  });

  it("writes without compiling code (the page's CSP has no 'unsafe-eval'), bytes protobufjs reads back from the .proto", () => {
    const model = buildModel(
      { kind: 'cnn', filters: [2], kernelSize: 3, dense: 4, dropout: 0 },
      { numFeatures: 16, numClasses: 2, imageShape: [4, 4, 1] },
      1,
    );
    const realFunction = globalThis.Function;
    let bytes: Uint8Array;
    globalThis.Function = function refused(): never {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
    } as unknown as FunctionConstructor;
    try {
      bytes = exportOnnx(model, { weights: 'float16' });
    } finally {
      globalThis.Function = realFunction;
    }
    // The generated module is plain code: nothing in it compiles code at run time.
    expect(generated).not.toMatch(/new Function|\beval\(|Function\(/);
    // The reference: protobufjs's own reflection, parsed from the checked-in .proto (its compiled decoder and encoder).
    const type = protobuf.parse(proto, { keepCase: true }).root.lookupType('onnx.ModelProto');
    const plain = (m: protobuf.Message) => type.toObject(m, { longs: Number, bytes: Array, defaults: false });
    const decoded = type.decode(bytes);
    // The static module reads back every field it wrote, and protobufjs, from the .proto alone, writes the very same bytes.
    expect(encodeOnnxModel(decodeOnnxModel(bytes))).toEqual(bytes);
    expect(Uint8Array.from(type.encode(decoded).finish())).toEqual(bytes);
    expect(plain(decoded).graph.node.map((n: { op_type: string }) => n.op_type)).toContain('Conv');
    expect(readOnnxInfo(bytes, 's.onnx').ops).toEqual(expect.arrayContaining(['Conv', 'MaxPool', 'Gemm', 'Cast', 'Transpose', 'Reshape']));
    model.dispose();
  });

  it('refuses a layer it cannot write, naming it', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3], name: 'hidden' }),
        tf.layers.batchNormalization({ name: 'bn' }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    expect(() => exportOnnx(model)).toThrow(ExportPlanError);
    expect(() => exportOnnx(model)).toThrow(/Layer 'bn' \(BatchNormalization\) cannot be exported/);
    const softplus = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation: 'softplus', name: 'out' })] });
    expect(() => exportOnnx(softplus)).toThrow(/Layer 'out' uses the activation 'softplus'/);
    model.dispose();
    softplus.dispose();
  });
});
