import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardCrossEntropy } from '../losses';
import { createRng } from '../rng';
import { minimizeStep, trainableVariables } from '../tensors';
import { internalsStatus, simulateTfjsVersions } from '../tfjs-internals';
import { adam, FUSED_ADAM_KERNEL, fusedAdamActive, installFusedAdam } from './fused-adam';
import { instantiateSimdAdam } from './simd-adam';
import { SIMD_ADAM_SHARED_WASM, SIMD_ADAM_WASM } from './simd-adam.wasm';
import { maxDiff, trainAndDispose } from './test-training';

/** The SIMD update (simd-adam.wat) against the formula, and the optimiser against tfjs's own Adam. */

describe('the SIMD Adam module', () => {
  it('is valid WebAssembly for a plain and for a shared memory', () => {
    expect(WebAssembly.validate(SIMD_ADAM_WASM)).toBe(true);
    expect(WebAssembly.validate(SIMD_ADAM_SHARED_WASM)).toBe(true);
    expect(instantiateSimdAdam(new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }))).toBeTypeOf('function');
  });

  it('computes the new weight and both moments as the formula says, four lanes at a time', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const update = instantiateSimdAdam(memory);
    if (!update) throw new Error('No WebAssembly SIMD in this Node.');
    const n = 12;
    const rng = createRng(5);
    const [w, g, m, v, wOut, mOut, vOut] = Array.from({ length: 7 }, (_, k) => new Float32Array(memory.buffer, k * 4 * n, n));
    for (const a of [w, g, m])
      a.forEach((_, i) => {
        a[i] = rng() * 2 - 1;
      });
    v.forEach((_, i) => {
      v[i] = rng();
    });
    const [lr, beta1, beta2, eps, c1, c2] = [0.01, 0.9, 0.999, 1e-7, 0.19, 0.002];
    // Only the first 8 elements: the function handles whole groups of four; the rest must stay untouched.
    update(0, 4 * n, 8 * n, 12 * n, 16 * n, 20 * n, 24 * n, 8 * 4, beta1, 1 - beta1, beta2, 1 - beta2, lr / c1, 1 / c2, eps);
    for (let i = 0; i < 8; i++) {
      const mi = beta1 * m[i] + (1 - beta1) * g[i];
      const vi = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      expect(mOut[i]).toBeCloseTo(mi, 6);
      expect(vOut[i]).toBeCloseTo(vi, 6);
      expect(wOut[i]).toBeCloseTo(w[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps), 5);
    }
    expect(Array.from(wOut.subarray(8))).toEqual([0, 0, 0, 0]);
  });
});

function model(seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  // 6·17 + 17 + 17·3 + 3 weights: sizes that are not multiples of four, so the scalar tail runs too.
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 17, inputShape: [6], activation: 'relu', kernelInitializer: init(seed) }),
      tf.layers.dense({ units: 3, kernelInitializer: init(seed + 1) }),
    ],
  });
}

function batch(seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const rng = createRng(seed);
  return {
    x: tf.tensor2d(
      Float32Array.from({ length: 32 * 6 }, () => rng() * 2 - 1),
      [32, 6],
    ),
    y: tf.tensor1d(
      Int32Array.from({ length: 32 }, () => Math.floor(rng() * 3)),
      'int32',
    ),
  };
}

/** Trains a fresh model for `steps` steps with `make`'s optimiser and returns its weights and the losses. */
async function train(
  backend: string,
  make: (lr: number) => tf.Optimizer,
  steps: number,
): Promise<{ weights: Float32Array[]; losses: number[] }> {
  await tf.setBackend(backend);
  const { x, y } = batch(3);
  return trainAndDispose(model(7), make(0.01), x, y, steps);
}

describe('fused Adam', () => {
  beforeAll(async () => {
    installFusedAdam();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs on wasm only', async () => {
    await tf.setBackend('wasm');
    expect(fusedAdamActive()).toBe(true);
    await tf.setBackend('cpu');
    expect(fusedAdamActive()).toBe(false);
    expect(tf.getKernel(FUSED_ADAM_KERNEL, 'cpu')).toBeUndefined();
  });

  it('takes the same steps as tfjs Adam on wasm, and as tfjs Adam on the CPU backend', async () => {
    const stock = await train('wasm', (lr) => tf.train.adam(lr), 25);
    const fused = await train('wasm', adam, 25);
    const cpu = await train('cpu', (lr) => tf.train.adam(lr), 25);
    expect(maxDiff(stock.weights, fused.weights)).toBeLessThan(1e-5);
    expect(maxDiff(cpu.weights, fused.weights)).toBeLessThan(1e-5);
    fused.losses.forEach((l, i) => {
      expect(l).toBeCloseTo(stock.losses[i], 5);
    });
    // And it learns: the loss falls.
    expect(fused.losses.at(-1)).toBeLessThan(fused.losses[0] * 0.8);
  });

  it('is tfjs Adam itself where the fused kernel does not run (cpu)', async () => {
    const stock = await train('cpu', (lr) => tf.train.adam(lr), 5);
    const fused = await train('cpu', adam, 5);
    expect(maxDiff(stock.weights, fused.weights)).toBe(0);
  });

  it('says why on wasm when it cannot run, and runs tfjs Adam instead', async () => {
    tf.unregisterKernel(FUSED_ADAM_KERNEL, 'wasm');
    try {
      expect(internalsStatus().disabled).toEqual([]);
      const stock = await train('wasm', (lr) => tf.train.adam(lr), 3);
      const fallback = await train('wasm', adam, 3);
      expect(maxDiff(stock.weights, fallback.weights)).toBe(0);
      expect(internalsStatus().disabled).toEqual([
        { feature: 'fused-adam', label: 'fused Adam on wasm', why: 'its kernel was never installed (installWasmKernelFixes)' },
      ]);
    } finally {
      simulateTfjsVersions(null);
      installFusedAdam();
    }
    await tf.setBackend('wasm');
    expect(fusedAdamActive()).toBe(true);
    expect(internalsStatus().message).toBeNull();
  });

  it('keeps no tensor per step, and frees its moments on dispose', async () => {
    await tf.setBackend('wasm');
    const net = model(1);
    const { x, y } = batch(2);
    const optimizer = adam(0.01);
    const vars = trainableVariables(net);
    const step = () => tf.dispose(tf.tidy(() => minimizeStep(optimizer, () => hardCrossEntropy(y, net.apply(x) as tf.Tensor2D), vars)));
    step(); // creates the moments: two per variable
    const after = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(after);
    const weights = await optimizer.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', ...vars.map((v) => `${v.name}/m`), ...vars.map((v) => `${v.name}/v`)]);
    expect(Array.from(await weights[0].tensor.data())).toEqual([6]);
    weights[0].tensor.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(after - 2 * vars.length - 2);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('refuses mismatched tensors with a message that says which', async () => {
    await tf.setBackend('wasm');
    const run = (g: tf.Tensor) =>
      tf.tidy(() =>
        tf
          .engine()
          .runKernel(
            FUSED_ADAM_KERNEL,
            { value: tf.zeros([2, 2]), gradient: g, m: tf.zeros([2, 2]), v: tf.zeros([2, 2]) },
            { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, c1: 0.1, c2: 0.001 },
          ),
      );
    expect(() => run(tf.zeros([2, 3]))).toThrow('Fused Adam: shape [2,3] differs from the weight');
    expect(() => run(tf.zeros([2, 2], 'int32'))).toThrow('Fused Adam: expected float32 tensors, got int32.');
  });
});
