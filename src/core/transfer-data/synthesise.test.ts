import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { useCpuBackend } from '../test-setup';
import {
  featureStats,
  sameClassMask,
  synthesise,
  synthesiseAll,
  synthesisObjective,
  teacherProbe,
  type SynthesisWeights,
} from './synthesise';

const H = 3;
const W = 3;
const D = H * W;
const C = 3;

/** 3x3x1 images → dense 4 → BatchNorm (running stats far from 0 and 1) → tanh → dense 3 (logits). Smooth, so finite differences apply. */
function tinyTeacher(): tf.LayersModel {
  const rng = createRng(21);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [D], units: 4 }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'tanh' }),
      tf.layers.dense({ units: C }),
    ],
  });
  for (const layer of model.layers) {
    layer.setWeights(
      layer.getWeights().map((w, i) => {
        const v = Float32Array.from({ length: w.size }, () => rng() * 2 - 1);
        const bn = layer.getClassName() === 'BatchNormalization';
        if (bn && i === 2)
          return tf.tensor(
            v.map((a) => a * 0.5),
            w.shape,
          ); // running mean
        if (bn && i === 3)
          return tf.tensor(
            v.map((a) => 0.5 + Math.abs(a)),
            w.shape,
          ); // running variance
        return tf.tensor(v, w.shape);
      }),
    );
  }
  return model;
}

/** The same objective in plain JS from the teacher's weights: an independent computation. */
function reference(model: tf.LayersModel, x: Float32Array, classes: Int32Array, w: SynthesisWeights) {
  const [k1, b1, gamma, beta, mm, mv, k2, b2] = model.layers.flatMap((l) => l.getWeights()).map((t) => Array.from(t.dataSync()));
  const rows = classes.length;
  const pre: number[][] = [];
  const logits: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const h = Array.from(
      { length: 4 },
      (_, j) => b1[j] + Array.from({ length: D }, (_, i) => x[r * D + i] * k1[i * 4 + j]).reduce((a, b) => a + b),
    );
    pre.push(h);
    const a = h.map((v, j) => Math.tanh(gamma[j] * ((v - mm[j]) / Math.sqrt(mv[j] + 1e-3)) + beta[j]));
    logits.push(Array.from({ length: C }, (_, c) => b2[c] + a.reduce((s, v, j) => s + v * k2[j * C + c], 0)));
  }
  const probs = logits.map((l) => {
    const m = Math.max(...l);
    const e = l.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b);
    return e.map((v) => v / z);
  });
  const confidence = -probs.reduce((s, p, r) => s + Math.log(p[classes[r]]), 0) / rows;
  let pairSum = 0;
  let pairs = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < rows; j++)
      if (i !== j && classes[i] === classes[j]) {
        pairSum += probs[i].reduce((s, v, c) => s + (v - probs[j][c]) ** 2, 0);
        pairs++;
      }
  const diversity = -pairSum / Math.max(1, pairs);
  let dy = 0;
  let dx = 0;
  for (let r = 0; r < rows; r++)
    for (let y = 0; y < H; y++)
      for (let xx = 0; xx < W; xx++) {
        const v = x[r * D + y * W + xx];
        if (y + 1 < H) dy += (x[r * D + (y + 1) * W + xx] - v) ** 2;
        if (xx + 1 < W) dx += (x[r * D + y * W + xx + 1] - v) ** 2;
      }
  const tv = dy / (rows * (H - 1) * W) + dx / (rows * H * (W - 1));
  let bn = 0;
  for (let j = 0; j < 4; j++) {
    const col = pre.map((h) => h[j]);
    const mean = col.reduce((a, b) => a + b) / rows;
    const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / rows;
    bn += (mean - mm[j]) ** 2 + (variance - mv[j]) ** 2;
  }
  const total = confidence + w.diversity * diversity + w.tv * tv + w.bn * bn;
  return { total, confidence, diversity, tv, bn };
}

const weights: SynthesisWeights = { diversity: 0.7, tv: 0.3, bn: 0.2 };
const classes = Int32Array.from([0, 1, 2, 0, 1, 0]);

beforeAll(useCpuBackend);

describe('the synthesis objective', () => {
  it('gives each term as an independent computation does', () => {
    const teacher = tinyTeacher();
    const rng = createRng(5);
    const x = Float32Array.from({ length: classes.length * D }, () => rng());
    const want = reference(teacher, x, classes, weights);
    const probe = teacherProbe(teacher);
    expect(probe.bn).toHaveLength(1);
    const got = tf.tidy(() => {
      const o = synthesisObjective(
        probe,
        tf.tensor2d(x, [classes.length, D]),
        tf.oneHot(tf.tensor1d(classes, 'int32'), C) as tf.Tensor2D,
        sameClassMask(classes),
        weights,
        [H, W, 1],
      );
      return Object.fromEntries(Object.entries(o).map(([k, t]) => [k, t.dataSync()[0]]));
    });
    for (const key of ['total', 'confidence', 'diversity', 'tv', 'bn'] as const) expect(got[key]).toBeCloseTo(want[key], 4);
    expect(want.bn).toBeGreaterThan(0.01); // the BatchNorm term is really in play
    expect(want.diversity).toBeLessThan(-1e-4);
    teacher.dispose();
  });

  it('has the gradient that finite differences give', () => {
    const teacher = tinyTeacher();
    const probe = teacherProbe(teacher);
    const rng = createRng(6);
    const x0 = Float32Array.from({ length: classes.length * D }, () => rng());
    const f = (x: Float32Array) => reference(teacher, x, classes, weights).total;
    const grad = tf.tidy(() => {
      const targets = tf.oneHot(tf.tensor1d(classes, 'int32'), C) as tf.Tensor2D;
      const same = sameClassMask(classes);
      const g = tf.grad((x: tf.Tensor) => synthesisObjective(probe, x as tf.Tensor2D, targets, same, weights, [H, W, 1]).total);
      return g(tf.tensor2d(x0, [classes.length, D])).dataSync();
    });
    const eps = 1e-4; // central differences in float64 (the reference is plain JS)
    for (let i = 0; i < x0.length; i += 5) {
      const up = Float32Array.from(x0);
      const down = Float32Array.from(x0);
      up[i] += eps;
      down[i] -= eps;
      const numeric = (f(up) - f(down)) / (2 * eps);
      expect(Math.abs(grad[i] - numeric)).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
    teacher.dispose();
  });

  it('refuses a teacher with two inputs', () => {
    const a = tf.input({ shape: [2] });
    const b = tf.input({ shape: [2] });
    const out = tf.layers.dense({ units: 2 }).apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor;
    const two = tf.model({ inputs: [a, b], outputs: out });
    expect(() => teacherProbe(two)).toThrow(/one input and one output/);
    two.dispose();
  });
});

describe('synthesise', () => {
  const stats = featureStats(
    Float32Array.from({ length: 40 * D }, (_, i) => (i % 7) / 6),
    40,
    D,
  );

  it('lowers the objective, stays in the range, is deterministic, and frees its tensors', async () => {
    const teacher = tinyTeacher();
    const before = tf.memory().numTensors;
    const args = {
      teacher,
      numClasses: C,
      stats,
      imageShape: [H, W, 1] as [number, number, number],
      perClass: 4,
      steps: 30,
      seed: 3,
      batchSize: 8,
      logEvery: 1,
      learningRate: 0.1,
    };
    const totals: number[] = [];
    let snapshots = 0;
    let set = null;
    for await (const e of synthesise(args)) {
      if (e.kind === 'step') {
        if (e.terms && e.done <= 30) totals.push(e.terms.total);
        if (e.done === 1) {
          const s = await e.snapshot();
          expect(s.x.length).toBe(8 * D);
          expect(Array.from(s.classes)).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
          snapshots++;
        }
        expect(e.total).toBe(2 * 30); // 12 rows in batches of 8: two batches
      } else set = e.set;
    }
    if (!set) throw new Error('no set');
    expect(snapshots).toBe(1);
    expect(set.x.shape).toEqual([12, D]);
    expect(totals).toHaveLength(30);
    expect(totals[29]).toBeLessThan(totals[0] - 0.05);
    const x = set.x.dataSync();
    for (let i = 0; i < x.length; i++) {
      expect(x[i]).toBeGreaterThanOrEqual(stats.min[i % D] - 1e-6);
      expect(x[i]).toBeLessThanOrEqual(stats.max[i % D] + 1e-6);
    }
    const again = await synthesiseAll(args);
    expect(Array.from(again.x.dataSync())).toEqual(Array.from(x));
    tf.dispose([set.x, again.x]);
    expect(tf.memory().numTensors).toBe(before);
    // Stopped part-way through the second batch.
    const gen = synthesise(args);
    for (let i = 0; i < 40; i++) await gen.next();
    await gen.return(undefined);
    expect(tf.memory().numTensors).toBe(before);
    teacher.dispose();
  });

  it('takes the log of a teacher that ends in a softmax', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, activation: 'softmax' })] });
    expect(teacherProbe(model).probabilities).toBe(true);
    model.dispose();
  });
});
