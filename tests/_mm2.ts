import * as tf from '@tensorflow/tfjs';
import { useWasm } from './mnist-wasm';
await useWasm();
const x = tf.randomNormal([128, 1200]);
const W = tf.randomNormal([1200, 1200]);
const xt = tf.transpose(x);
async function time(label: string, f: () => tf.Tensor, n = 30) {
  for (let i = 0; i < 3; i++) tf.dispose(f());
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = f(); await r.data(); r.dispose(); }
  console.log(label.padEnd(40), ((performance.now() - t0) / n).toFixed(2), 'ms');
}
for (let round = 0; round < 2; round++) {
  await time('W·transpose(x)', () => tf.tidy(() => tf.matMul(W, tf.transpose(x))));
  await time('W·(xt+0)', () => tf.tidy(() => tf.matMul(W, tf.add(xt, 0))));
  await time('W·xt cached', () => tf.matMul(W, xt));
  await time('matMul(W, x, false, true)', () => tf.matMul(W, x, false, true));
  await time('x·(W+0) fresh', () => tf.tidy(() => tf.matMul(x, tf.add(W, 0))));
  await time('x·W cached', () => tf.matMul(x, W));
}
