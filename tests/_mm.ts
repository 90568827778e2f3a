import * as tf from '@tensorflow/tfjs';
import { useWasm } from './mnist-wasm';
await useWasm();
const x = tf.randomNormal([128, 1200]);
const W = tf.randomNormal([1200, 1200]);
async function time(label: string, f: () => tf.Tensor, n = 30) {
  for (let i = 0; i < 3; i++) tf.dispose(f());
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = f(); await r.data(); r.dispose(); }
  console.log(label.padEnd(40), ((performance.now() - t0) / n).toFixed(2), 'ms');
}
await time('x·W, same W (cached pack)', () => tf.matMul(x, W));
await time('add(W,0) only', () => tf.add(W, 0));
await time('x·(W+0), fresh W (repack)', () => tf.tidy(() => tf.matMul(x, tf.add(W, 0))));
await time('transpose(W)', () => tf.transpose(W));
await time('(Wᵀ·xᵀ)ᵀ fresh W', () => tf.tidy(() => tf.transpose(tf.matMul(tf.transpose(tf.add(W, 0)), tf.transpose(x)))));
await time('Wᵀ·xᵀ raw, cached', () => tf.tidy(() => tf.matMul(W, tf.transpose(x))));
const W2 = tf.randomNormal([1200, 1200]);
let flip = false;
await time('x·W alternating two fixed Ws', () => { flip = !flip; return tf.matMul(x, flip ? W : W2); });
const pool = Array.from({ length: 6 }, () => tf.randomNormal([1200, 1200]));
let k = 0;
await time('x·W cycling six fixed Ws', () => tf.matMul(x, pool[k++ % 6]));
await time('dy·Wᵀ via transpose(W) fresh pack', () => tf.tidy(() => tf.matMul(x, tf.transpose(W))));
await time('W·xᵀ (A=W), B fresh', () => tf.tidy(() => tf.matMul(W, tf.transpose(x))));
const xt = tf.transpose(x);
await time('W·xᵀ (A=W), B fixed', () => tf.matMul(W, xt));
console.log('---');
await time('add(xt,0) only', () => tf.add(xt, 0));
await time('W·(xt+0): B small fresh', () => tf.tidy(() => tf.matMul(W, tf.add(xt, 0))));
await time('(x+0)·W: A fresh, B cached', () => tf.tidy(() => tf.matMul(tf.add(x, 0), W)));
const small = tf.randomNormal([1200, 16]);
await time('W·(s+0) N=16 fresh', () => tf.tidy(() => tf.matMul(W, tf.add(small, 0))));
await time('W·s N=16 cached', () => tf.matMul(W, small));
