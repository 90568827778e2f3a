import * as tf from '@tensorflow/tfjs';
import { useWasm } from './mnist-wasm';
await useWasm();
async function time(label: string, f: () => tf.Tensor, n = 30) {
  for (let i = 0; i < 3; i++) tf.dispose(f());
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = f(); await r.data(); r.dispose(); }
  console.log(label.padEnd(40), ((performance.now() - t0) / n).toFixed(3), 'ms');
}
for (const shape of [[128, 1200], [1200, 128], [128, 784], [784, 128], [1200, 1200], [784, 1200], [128, 10], [1200, 10]]) {
  const t = tf.randomNormal(shape);
  await time(`transpose [${shape}]`, () => tf.transpose(t));
  t.dispose();
}
