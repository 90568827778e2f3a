/**
 * Times training steps on the tfjs wasm backend in Node, before and after the kernel fixes in
 * src/core/kernels: `npx tsx scripts/bench-kernels.ts`. Single-threaded SIMD wasm, batch 128,
 * median of 5 windows after warm-up, each window ending in `await data()`.
 * `--skip-cpu` leaves out the CPU CNN (its Conv2DBackpropFilter alone takes ~20 s a step).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { cnnStudent, ISSUE_SIZES } from '../src/core/bench/workloads';
import { adam, installFusedAdam } from '../src/core/kernels/fused-adam';
import { installWasmConvGradients } from '../src/core/kernels/wasm-conv-grad';
import { installWasmConvInputGradient } from '../src/core/kernels/wasm-conv-input-grad';
import { installWasmMatMulFix } from '../src/core/kernels/wasm-matmul';
import { hardCrossEntropy } from '../src/core/losses';
import { buildModel } from '../src/core/models';
import { teacherPreset } from '../src/core/presets';
import { minimizeStep, trainableVariables } from '../src/core/tensors';

const BATCH = 128;
const WINDOWS = 5;

interface Bench {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  x: tf.Tensor;
  y: tf.Tensor1D;
}

function makeBench(model: tf.LayersModel, inputShape: number[], optimizer: tf.Optimizer = tf.train.adam(1e-3)): Bench {
  return {
    model,
    optimizer,
    x: tf.randomUniform([BATCH, ...inputShape], 0, 1, 'float32', 1),
    y: tf.tensor1d(
      Array.from({ length: BATCH }, (_, i) => i % 10),
      'int32',
    ),
  };
}

function step(b: Bench): tf.Scalar {
  return tf.tidy(() =>
    minimizeStep(
      b.optimizer,
      () => hardCrossEntropy(b.y, b.model.apply(b.x, { training: true }) as tf.Tensor2D),
      trainableVariables(b.model),
    ),
  );
}

/** Samples per second: the median over windows of `steps` training steps each. */
async function samplesPerSecond(b: Bench, steps: number, warmup: number): Promise<{ rate: number; msPerStep: number }> {
  for (let i = 0; i < warmup; i++) {
    const loss = step(b);
    await loss.data();
    loss.dispose();
  }
  const times: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    const t0 = performance.now();
    let loss = step(b);
    for (let i = 1; i < steps; i++) {
      loss.dispose();
      loss = step(b);
    }
    await loss.data();
    loss.dispose();
    times.push(performance.now() - t0);
  }
  const median = times.sort((p, q) => p - q)[Math.floor(WINDOWS / 2)];
  return { rate: (steps * BATCH * 1000) / median, msPerStep: median / steps };
}

function disposeBench(b: Bench): void {
  b.optimizer.dispose();
  b.model.dispose();
  tf.dispose([b.x, b.y]);
}

function teacher(): Bench {
  const shape = { numFeatures: 784, numClasses: 10 };
  return makeBench(buildModel(teacherPreset('mlp-1200').spec, shape, 1), [784]);
}

/** The same teacher with the studio's optimiser: Adam's update in one SIMD pass (kernels/fused-adam.ts). */
function teacherFusedAdam(): Bench {
  const shape = { numFeatures: 784, numClasses: 10 };
  return makeBench(buildModel(teacherPreset('mlp-1200').spec, shape, 1), [784], adam(1e-3));
}

/** The CNN student of the benchmark (conv3x3x16-pool-conv3x3x32-pool-dense10), from flat rows as the studio feeds it. */
function cnnBench(): Bench {
  return makeBench(cnnStudent(ISSUE_SIZES), [ISSUE_SIZES.imageSide * ISSUE_SIZES.imageSide]);
}

async function measure(label: string, make: () => Bench, steps: number, warmup = 2): Promise<void> {
  const b = make();
  try {
    const { rate, msPerStep } = await samplesPerSecond(b, steps, warmup);
    console.log(`${label.padEnd(52)} ${rate.toFixed(0).padStart(7)} samples/s  ${msPerStep.toFixed(1).padStart(7)} ms/step`);
  } finally {
    disposeBench(b);
  }
}

/** One kernel in isolation (ms, median of 5): where the remaining CNN time goes. */
async function kernelMs(label: string, f: () => tf.Tensor): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const r = f();
    await r.data();
    r.dispose();
    if (i >= 2) times.push(performance.now() - t0);
  }
  console.log(
    `${label.padEnd(52)} ${times
      .sort((p, q) => p - q)[2]
      .toFixed(1)
      .padStart(7)} ms`,
  );
}

function single(t: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (Array.isArray(t)) throw new Error('Expected one output.');
  return t;
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend did not initialise.');
  await tf.ready();
  console.log(
    `wasm: SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}; batch ${BATCH}`,
  );

  await measure('teacher 784-1200-1200-10, Adam, wasm before', teacher, 2);
  installWasmMatMulFix();
  installWasmConvGradients();
  await measure('teacher 784-1200-1200-10, Adam, wasm after', teacher, 5);
  installFusedAdam();
  await measure('teacher 784-1200-1200-10, fused Adam, wasm after', teacherFusedAdam, 5);
  // The CNN cannot train on stock wasm (no Conv2DBackpropFilter), so "before" here means with the
  // filter gradient added but the stock Conv2DBackpropInput; "after" adds the input-gradient kernel.
  await measure('CNN student conv16-conv32-dense10, Adam, wasm before', cnnBench, 5);

  const dy = tf.randomNormal([BATCH, 14, 14, 32], 0, 1, 'float32', 2) as tf.Tensor4D;
  const x = tf.randomNormal([BATCH, 14, 14, 16], 0, 1, 'float32', 3) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 16, 32], 0, 1, 'float32', 4) as tf.Tensor4D;
  const inputGrad = () => tf.conv2dTranspose(dy, w, [BATCH, 14, 14, 16], 1, 'same');
  await kernelMs('  conv2 forward (XNNPACK), wasm', () => tf.conv2d(x, w, 1, 'same'));
  const filterGrad = () =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape });
  await kernelMs('  conv2 Conv2DBackpropFilter (added), wasm', () => single(filterGrad()));
  await kernelMs('  conv2 Conv2DBackpropInput (stock), wasm', inputGrad);
  installWasmConvInputGradient();
  await kernelMs('  conv2 Conv2DBackpropInput (on Conv2D), wasm', inputGrad);
  await measure('CNN student conv16-conv32-dense10, Adam, wasm after', cnnBench, 5);
  tf.dispose([dy, x, w]);

  if (process.argv.includes('--skip-cpu')) return;
  await tf.setBackend('cpu');
  await measure('CNN student conv16-conv32-dense10, Adam, cpu', cnnBench, 1, 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
