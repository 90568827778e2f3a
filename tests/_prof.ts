import * as tf from '@tensorflow/tfjs';
import { useWasm } from './mnist-wasm';
import { buildWorkload } from '../src/core/bench/workloads';
await useWasm();
const w = buildWorkload('teacher_train');
for (let i = 0; i < 5; i++) tf.dispose(w.step());
const t0 = performance.now();
for (let i = 0; i < 20; i++) { const r = w.step(); await (Array.isArray(r) ? r[0] : r).data(); tf.dispose(r); }
console.log('step ms', ((performance.now() - t0) / 20).toFixed(1));
const info = await tf.profile(() => { const r = w.step(); return r; });
const by = new Map<string, { ms: number; n: number }>();
for (const k of info.kernels) { const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('')}`; const e = by.get(key) ?? { ms: 0, n: 0 }; e.ms += Number(k.kernelTimeMs); e.n++; by.set(key, e); }
const rows = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms);
let total = 0; for (const [, e] of rows) total += e.ms;
console.log('kernel total', total.toFixed(1));
for (const [k, e] of rows.slice(0, 25)) console.log(e.ms.toFixed(2).padStart(7), String(e.n).padStart(3), k);
