import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { installWasmConvGradients } from './wasm-conv-grad';
import { installWasmConvInputGradient } from './wasm-conv-input-grad';
import { installWasmGatherFix } from './wasm-gather';
import { installWasmMatMulFix } from './wasm-matmul';
import { maxDiff, trainAndDispose } from './test-training';

/**
 * The wasm kernels against the CPU backend computing the same thing. In Node the wasm backend
 * finds its .wasm binary next to its own script (node_modules/@tensorflow/tfjs-backend-wasm/dist),
 * so no setWasmPaths is needed here.
 */

type Backend = 'cpu' | 'wasm';
const TOLERANCE = 1e-4;

function values(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

const sizeOf = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
const randomTensor = (shape: number[], seed: number) => tf.tensor(values(sizeOf(shape), seed), shape);

/** Runs `f` on a backend from plain inputs and returns its outputs as arrays, freeing the tensors. */
async function on(backend: Backend, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const data = await Promise.all(list.map((t) => t.data<'float32'>()));
  tf.dispose(list);
  return data;
}

async function expectSameOnBoth(f: () => tf.Tensor | tf.Tensor[], label: string): Promise<void> {
  const [cpu, wasm] = [await on('cpu', f), await on('wasm', f)];
  expect(maxDiff(cpu, wasm), label).toBeLessThan(TOLERANCE);
}

function conv2dGrads(xShape: number[], filterShape: number[], stride: number, pad: 'same' | 'valid'): () => tf.Tensor[] {
  return () => {
    const x = randomTensor(xShape, 1);
    const w = randomTensor(filterShape, 2);
    const probe = (y: tf.Tensor) => tf.sum(tf.mul(y, randomTensor(y.shape, 3)));
    return tf.grads((a, b) => probe(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)))([x, w]);
  };
}

/** The input gradient alone (Conv2DBackpropInput), with a random upstream gradient as dy. */
type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];
type Pad = 'same' | 'valid' | number | ExplicitPad;

function conv2dInputGrad(xShape: number[], filterShape: number[], strides: number | [number, number], pad: Pad): () => tf.Tensor {
  return () => {
    const w = randomTensor(filterShape, 2) as tf.Tensor4D;
    const probe = (y: tf.Tensor) => tf.sum(tf.mul(y, randomTensor(y.shape, 3)));
    return tf.grad((a) => probe(tf.conv2d(a as tf.Tensor4D, w, strides, pad, 'NHWC', 1, typeof pad === 'number' ? 'floor' : undefined)))(
      randomTensor(xShape, 1),
    );
  };
}

/** Shapes of every call that reaches the stock wasm Conv2DBackpropInput (the slow scalar loop). */
const stockInputGradCalls: string[] = [];
function recordStockInputGrad(): void {
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm');
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    ...stock,
    kernelFunc: (args) => {
      stockInputGradCalls.push(`dy ${args.inputs.dy?.shape} filter ${args.inputs.filter?.shape}`);
      return stock.kernelFunc(args);
    },
  });
}

/** Records the flags every wasm matMul kernel call reaches the stock kernel with. */
const flagsSeen: string[] = [];
function recordStockFlags(kernelName: string): void {
  const stock = tf.getKernel(kernelName, 'wasm');
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    ...stock,
    kernelFunc: (args) => {
      flagsSeen.push(`${kernelName} ${args.attrs?.transposeA === true} ${args.attrs?.transposeB === true}`);
      return stock.kernelFunc(args);
    },
  });
}

describe('the stock wasm backend (before the fixes)', () => {
  it('cannot compute a conv2d filter gradient', async () => {
    await expect(on('wasm', conv2dGrads([1, 4, 4, 2], [2, 2, 2, 3], 1, 'valid'))).rejects.toThrow(/Conv2DBackpropFilter.*not registered/);
  });
});

describe('wasm kernels after installWasmMatMulFix, installWasmConvGradients and installWasmConvInputGradient', () => {
  beforeAll(() => {
    recordStockFlags('BatchMatMul');
    recordStockFlags('_FusedMatMul');
    recordStockInputGrad();
    installWasmMatMulFix();
    installWasmConvGradients();
    installWasmConvInputGradient();
    installWasmGatherFix();
  });
  afterAll(() => tf.setBackend('cpu'));

  it('installs once: a second call changes nothing', () => {
    const names = ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'GatherV2'];
    const before = names.map((n) => tf.getKernel(n, 'wasm').kernelFunc);
    installWasmMatMulFix();
    installWasmConvGradients();
    installWasmConvInputGradient();
    installWasmGatherFix();
    expect(names.map((n) => tf.getKernel(n, 'wasm').kernelFunc)).toEqual(before);
  });

  it('matMul agrees with the CPU for every transpose combination, 2-D and batched', async () => {
    const cases: [number[], number[]][] = [
      [
        [5, 7],
        [7, 3],
      ],
      [
        [33, 65],
        [65, 17],
      ],
      [
        [3, 6, 4],
        [3, 4, 5],
      ],
      [
        [1, 6, 4],
        [3, 4, 5],
      ],
    ];
    flagsSeen.length = 0;
    for (const [aShape, bShape] of cases) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const swap = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
          const f = () =>
            tf.matMul(randomTensor(swap(aShape, transposeA), 4), randomTensor(swap(bShape, transposeB), 5), transposeA, transposeB);
          await expectSameOnBoth(f, `${aShape} x ${bShape}, transposeA ${transposeA}, transposeB ${transposeB}`);
        }
      }
    }
    // The point of the fix: no call reaches the stock kernel's scalar transposed path.
    expect(flagsSeen.length).toBeGreaterThan(0);
    expect(flagsSeen.every((f) => f === 'BatchMatMul false false')).toBe(true);
  });

  it('the fused matMul (bias, relu) agrees with the CPU when transposed', async () => {
    flagsSeen.length = 0;
    for (const [transposeA, transposeB] of [
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const f = () =>
        tf.fused.matMul({
          a: randomTensor(transposeA ? [9, 6] : [6, 9], 6),
          b: randomTensor(transposeB ? [4, 9] : [9, 4], 7),
          transposeA,
          transposeB,
          bias: randomTensor([4], 8),
          activation: 'relu',
        });
      await expectSameOnBoth(f, `fused transposeA ${transposeA} transposeB ${transposeB}`);
    }
    expect(flagsSeen).toContain('_FusedMatMul false false');
    expect(flagsSeen.every((f) => f.endsWith('false false'))).toBe(true);
  });

  it('dense layer gradients agree with the CPU', async () => {
    const f = () => {
      const x = randomTensor([16, 30], 9);
      const w = randomTensor([30, 20], 10);
      const b = randomTensor([20], 11);
      const loss = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.add(tf.matMul(xi, wi), bi))));
      return tf.grads(loss)([x, w, b]);
    };
    await expectSameOnBoth(f, 'dense grads');
  });

  it('conv2d gradients w.r.t. input and filter agree with the CPU', async () => {
    const cases: [number[], number[], number, 'same' | 'valid'][] = [
      [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
      [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'valid'],
      [[2, 8, 9, 3], [3, 3, 3, 5], 2, 'same'],
      [[2, 8, 9, 2], [3, 2, 2, 5], 2, 'valid'],
      [[3, 5, 6, 1], [2, 2, 1, 2], 2, 'same'],
      [[1, 6, 6, 4], [1, 1, 4, 3], 1, 'valid'],
    ];
    for (const [xShape, filterShape, stride, pad] of cases) {
      await expectSameOnBoth(conv2dGrads(xShape, filterShape, stride, pad), `x ${xShape} filter ${filterShape} stride ${stride} ${pad}`);
    }
  });

  it('the conv2d input gradient agrees with the CPU without the stock kernel (strides 1 and 2, same and valid)', async () => {
    const cases: [number[], number[], number | [number, number], Pad][] = [
      [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
      [[2, 7, 6, 3], [3, 3, 3, 4], 1, 'valid'],
      [[3, 10, 10, 16], [3, 3, 16, 32], 1, 'same'],
      [[2, 8, 9, 3], [3, 3, 3, 5], 2, 'same'],
      [[2, 9, 8, 3], [3, 3, 3, 5], 2, 'valid'],
      [[2, 8, 9, 2], [3, 2, 2, 5], 2, 'valid'],
      [[3, 5, 6, 1], [2, 2, 1, 2], 2, 'same'],
      [[2, 8, 8, 2], [1, 1, 2, 3], 2, 'valid'],
      [[2, 11, 7, 2], [5, 3, 2, 3], [3, 2], 'same'],
      [[2, 11, 11, 2], [2, 2, 2, 3], 3, 'same'],
      [[1, 6, 6, 4], [1, 1, 4, 3], 1, 'valid'],
      [[2, 9, 8, 2], [3, 3, 2, 3], 2, 1],
      [
        [2, 8, 9, 2],
        [3, 3, 2, 3],
        2,
        [
          [0, 0],
          [1, 2],
          [2, 0],
          [0, 0],
        ],
      ],
    ];
    stockInputGradCalls.length = 0;
    for (const [xShape, filterShape, strides, pad] of cases) {
      await expectSameOnBoth(
        conv2dInputGrad(xShape, filterShape, strides, pad),
        `x ${xShape} filter ${filterShape} strides ${strides} pad ${pad}`,
      );
    }
    // The point of the kernel: none of these reached the stock scalar loop.
    expect(stockInputGradCalls).toEqual([]);
  });

  it('the input gradient handles NCHW, and falls back to the stock kernel exactly where it must', async () => {
    const nchw = () => {
      const dy = randomTensor([2, 4, 3, 3], 13);
      const filter = randomTensor([3, 3, 3, 4], 12);
      const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 6, 5] };
      const out = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs);
      return Array.isArray(out) ? out : [out];
    };
    stockInputGradCalls.length = 0;
    await expectSameOnBoth(nchw, 'NCHW input gradient');
    expect(stockInputGradCalls).toEqual([]);
    // Padding wider than the filter, and a crop of the inserted zeros (1x1 at stride 2 on an odd
    // size), are left to the stock kernel, exactly.
    await expectSameOnBoth(conv2dInputGrad([1, 5, 5, 2], [2, 2, 2, 3], 1, 3), 'pad 3 with a 2x2 filter');
    await expectSameOnBoth(conv2dInputGrad([2, 9, 9, 2], [1, 1, 2, 3], 2, 'valid'), '1x1 filter, stride 2, odd size');
    expect(stockInputGradCalls).toHaveLength(2);
  });

  it('the filter gradient kernel handles NCHW like the CPU does', async () => {
    const f = () => {
      const x = randomTensor([2, 3, 6, 5], 12);
      const dy = randomTensor([2, 4, 3, 3], 13);
      const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
      const out = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs);
      return Array.isArray(out) ? out : [out];
    };
    await expectSameOnBoth(f, 'NCHW filter gradient');
  });

  it('a CNN training step (conv-pool-conv-pool-dense, Adam) gives the CPU loss and weights', async () => {
    await tf.setBackend('cpu');
    const reference = cnn(1);
    const initial = await Promise.all(reference.getWeights().map((w) => w.data<'float32'>()));
    reference.dispose();
    const step = (backend: Backend) => async () => {
      await tf.setBackend(backend);
      const model = cnn(1);
      model.setWeights(initial.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
      return trainAndDispose(
        model,
        tf.train.adam(1e-3),
        randomTensor([8, 10, 10, 1], 14),
        tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32'),
        2,
      );
    };
    const cpu = await step('cpu')();
    const wasm = await step('wasm')();
    expect(Number.isFinite(cpu.losses[0])).toBe(true);
    expect(Math.abs(wasm.losses[0] - cpu.losses[0])).toBeLessThan(TOLERANCE);
    expect(Math.abs(wasm.losses[1] - cpu.losses[1])).toBeLessThan(TOLERANCE);
    expect(maxDiff(cpu.weights, wasm.weights)).toBeLessThan(TOLERANCE);
    // The step did move the weights (by about the learning rate), so the comparison means something.
    expect(maxDiff(initial, wasm.weights)).toBeGreaterThan(1e-3);
  });

  it('gathers rows like the CPU: any rank, int32 values, repeated and unsorted indices, other axes through the stock kernel', async () => {
    const idx = [3, 0, 3, 2, 1];
    const cases: Array<() => tf.Tensor> = [
      () => tf.gather(randomTensor([4, 5], 1), tf.tensor1d(idx, 'int32')),
      () => tf.gather(randomTensor([4, 3, 2], 2), tf.tensor1d(idx, 'int32')),
      () => tf.gather(randomTensor([4], 3), tf.tensor1d(idx, 'int32')),
      () => tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2], 'int32'), tf.tensor1d(idx, 'int32')),
      () =>
        tf.gather(
          randomTensor([4, 5], 4),
          tf.tensor2d(
            [
              [1, 2],
              [3, 0],
            ],
            [2, 2],
            'int32',
          ),
        ),
      () => tf.gather(randomTensor([4, 5], 5), tf.tensor1d(idx, 'int32'), -2),
      () => tf.gather(randomTensor([4, 5], 6), tf.tensor1d([4, 0, 2], 'int32'), 1),
      () =>
        tf.gather(
          randomTensor([2, 4, 5], 7),
          tf.tensor2d(
            [
              [0, 3],
              [1, 1],
            ],
            [2, 2],
            'int32',
          ),
          1,
          1,
        ),
    ];
    for (const [i, f] of cases.entries()) {
      const [cpu, wasm] = [await on('cpu', f), await on('wasm', f)];
      expect(Array.from(wasm[0]), `case ${i}`).toEqual(Array.from(cpu[0]));
    }
    await tf.setBackend('wasm');
    expect(() => tf.tidy(() => tf.gather(randomTensor([4, 5], 1), tf.tensor1d([1, 4], 'int32')))).toThrow(
      'GatherV2: the index value 4 is not in [0, 3]',
    );
  });

  it('leaks no tensors and no backend memory', async () => {
    await tf.setBackend('wasm');
    const run = () => {
      tf.tidy(() => {
        tf.matMul(randomTensor([6, 4], 1), randomTensor([5, 6], 2), true, true);
        tf.matMul(randomTensor([8, 6], 1), randomTensor([5, 6], 2), false, true);
        tf.fused.matMul({ a: randomTensor([1, 6, 4], 1), b: randomTensor([1, 6, 5], 2), transposeA: true, bias: randomTensor([5], 3) });
        conv2dGrads([2, 8, 9, 2], [3, 2, 2, 5], 2, 'valid')();
        conv2dInputGrad([2, 9, 8, 3], [3, 3, 3, 5], 2, 'valid')();
        conv2dInputGrad([2, 9, 9, 2], [1, 1, 2, 3], 2, 'valid')();
        conv2dInputGrad([2, 7, 7, 3], [3, 3, 3, 4], 1, 'same')();
        tf.gather(randomTensor([6, 3], 4), tf.tensor1d([5, 0, 5], 'int32'));
      });
    };
    run();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  });
});

function cnn(seed: number): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 10 + k });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [10, 10, 1],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 5, kernelInitializer: init(3) }),
    ],
  });
}
