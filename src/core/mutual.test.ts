import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './data/types';
import { DEFAULT_TRANSFER } from './experiment';
import { accuracy, predictLogits } from './metrics';
import { buildModel } from './models';
import { mutual, mutualLosses, mutualRefusal, peerSeed, type MutualWeights } from './mutual';
import { predictorTeacher } from './teacher-model';
import { disposeTensors, toTensors, type DataTensors } from './tensors';
import { blobs } from './test-data';
import { useCpuBackend } from './test-setup';
import type { DistillConfig, DistillEpoch, DistillLossPoint } from './trainer';

/** Plain-JS reference: log-softmax of one row at temperature T. */
function logSoftmax(row: number[], T: number): number[] {
  const z = row.map((v) => v / T);
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return z.map((v) => v - lse);
}

/** loss of `own` against `other` held fixed: (1 − a)·CE + a·T²·KL(other ‖ own), batch mean, with its parts. */
function reference(own: number[][], other: number[][], labels: number[], w: MutualWeights) {
  let kl = 0;
  let ce = 0;
  own.forEach((row, i) => {
    const lq = logSoftmax(other[i], w.temperature);
    const lp = logSoftmax(row, w.temperature);
    kl += lq.reduce((s, v, k) => s + Math.exp(v) * (v - lp[k]), 0);
    ce -= logSoftmax(row, 1)[labels[i]];
  });
  const soft = (kl / own.length) * (w.scaleByT2 ? w.temperature ** 2 : 1);
  const hard = ce / own.length;
  return { total: w.alpha * soft + (1 - w.alpha) * hard, soft, hard };
}

const w: MutualWeights = { temperature: 3, alpha: 0.7, scaleByT2: true };
const A = [
  [2.0, -1.0, 0.5],
  [0.1, 0.3, -2.2],
  [-1.5, 2.5, 1.0],
  [0.0, 0.0, 3.0],
];
const B = [
  [1.0, 0.5, -0.5],
  [-0.7, 1.9, 0.2],
  [0.4, -0.3, 2.1],
  [2.2, -1.1, 0.0],
];
const Y = [0, 2, 1, 2];

beforeAll(useCpuBackend);

describe('mutualLosses', () => {
  it("gives each student its own loss against the other's soft targets, both ways, as a plain-JS computation does", async () => {
    const out = tf.tidy(() => {
      const t = mutualLosses(tf.tensor2d(A), tf.tensor2d(B), tf.tensor1d(Y, 'int32'), w);
      return [t.first.total, t.first.soft, t.first.hard, t.second.total, t.second.soft, t.second.hard];
    });
    const v = Array.from(await tf.stack(out).data());
    tf.dispose(out);
    const r1 = reference(A, B, Y, w);
    const r2 = reference(B, A, Y, w);
    const expected = [r1.total, r1.soft, r1.hard, r2.total, r2.soft, r2.hard];
    for (const [i, x] of v.entries()) expect(x).toBeCloseTo(expected[i], 5);
    // KL is not symmetric: the two soft terms differ on these logits, so a swap would be caught.
    expect(Math.abs(r1.soft - r2.soft)).toBeGreaterThan(1e-3);
  });

  it("steps each student along its own loss's gradient only (finite differences), the other's predictions held fixed", () => {
    const X = [
      [1, -0.5],
      [0.3, 0.8],
      [-1.2, 0.4],
      [0.6, 1.5],
    ];
    const W1 = [
      [0.5, -0.2, 0.1],
      [0.3, 0.7, -0.4],
    ];
    const W2 = [
      [-0.3, 0.6, 0.2],
      [0.1, -0.5, 0.9],
    ];
    const logits = (W: number[][]) => X.map((x) => W[0].map((_, k) => x[0] * W[0][k] + x[1] * W[1][k]));
    const v1 = tf.variable(tf.tensor2d(W1));
    const v2 = tf.variable(tf.tensor2d(W2));
    const x = tf.tensor2d(X);
    const y = tf.tensor1d(Y, 'int32');
    // The summed loss, as the trainer's one optimiser over both students minimises it.
    const { grads, value } = tf.variableGrads(() => {
      const t = mutualLosses(tf.matMul(x, v1), tf.matMul(x, v2), y, w);
      return tf.add(t.first.total, t.second.total) as tf.Scalar;
    }, [v1, v2]);
    const g1 = grads[v1.name].arraySync() as number[][];
    const g2 = grads[v2.name].arraySync() as number[][];
    const h = 1e-5;
    const fd = (W: number[][], loss: (W: number[][]) => number) =>
      W.map((row, i) =>
        row.map((_, j) => {
          const plus = W.map((r) => [...r]);
          const minus = W.map((r) => [...r]);
          plus[i][j] += h;
          minus[i][j] -= h;
          return (loss(plus) - loss(minus)) / (2 * h);
        }),
      );
    const fd1 = fd(W1, (W) => reference(logits(W), logits(W2), Y, w).total);
    const fd2 = fd(W2, (W) => reference(logits(W), logits(W1), Y, w).total);
    for (const [k, g] of fd1.flat().entries()) expect(g1.flat()[k]).toBeCloseTo(g, 3);
    for (const [k, g] of fd2.flat().entries()) expect(g2.flat()[k]).toBeCloseTo(g, 3);
    // Had the gradient flowed through the other's targets too, student 1's would differ from its own loss's.
    const both = fd(W1, (W) => reference(logits(W), logits(W2), Y, w).total + reference(logits(W2), logits(W), Y, w).total);
    expect(Math.max(...both.flat().map((g, k) => Math.abs(g - g1.flat()[k])))).toBeGreaterThan(1e-3);
    tf.dispose([v1, v2, x, y, value, ...Object.values(grads)]);
  });
});

const dataset: Dataset = {
  name: 'blobs',
  numFeatures: 8,
  numClasses: 4,
  classNames: ['a', 'b', 'c', 'd'],
  train: blobs(192, 1),
  test: blobs(96, 2),
};
const spec = { kind: 'mlp' as const, hidden: [8], activation: 'relu' as const, dropout: 0.1 };
const config: DistillConfig = { epochs: 2, batchSize: 32, learningRate: 0.01, seed: 4, temperature: 4, alpha: 0.9 };

describe('mutual', () => {
  let data: DataTensors;
  let teacher: tf.LayersModel;
  beforeAll(() => {
    data = toTensors(dataset);
    teacher = buildModel({ kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }, dataset, 9);
  });
  afterAll(() => {
    teacher.dispose();
    disposeTensors(data);
  });

  async function run(withScratch = true) {
    const first = buildModel(spec, dataset, config.seed);
    const second = buildModel(spec, dataset, peerSeed(config.seed));
    const scratch = withScratch ? buildModel(spec, dataset, config.seed) : null;
    const start = first.getWeights().flatMap((t) => Array.from(t.dataSync()));
    const points: DistillLossPoint[] = [];
    const epochs: DistillEpoch[] = [];
    for await (const e of mutual({ first, second, scratch, reference: predictorTeacher(teacher), data, config })) {
      if (e.kind === 'losses') points.push(...e.points);
      else if (e.kind === 'epoch') epochs.push(e.summary);
    }
    const weights = [first, second, scratch].map((m) => (m ? m.getWeights().flatMap((t) => Array.from(t.dataSync())) : []));
    const acc = tf.tidy(() => [first, second].map((m) => accuracy(predictLogits(m, data.xTest), data.yTest).dataSync()[0]));
    for (const m of [first, second, scratch]) m?.dispose();
    return { points, epochs, weights, start, acc };
  }

  it('trains both students from different starts, charts both, and gives the same numbers twice', async () => {
    const a = await run();
    const b = await run();
    expect(a.weights).toEqual(b.weights);
    expect(a.points).toEqual(b.points);
    expect(a.weights[0]).not.toEqual(a.start);
    expect(a.weights[0]).not.toEqual(a.weights[1]);
    expect(a.points).toHaveLength(2 * Math.ceil(192 / 32));
    for (const p of a.points) {
      expect(p.total).toBeCloseTo(config.alpha * p.soft + (1 - config.alpha) * p.hard, 4);
      expect(p.peerTotal).toBeCloseTo(config.alpha * (p.peerSoft ?? Number.NaN) + (1 - config.alpha) * (p.peerHard ?? Number.NaN), 4);
      expect(Number.isFinite(p.scratch)).toBe(true);
    }
    const last = a.epochs.at(-1);
    expect(last?.distilledAccuracy).toBeCloseTo(a.acc[0], 6);
    expect(last?.peerAccuracy).toBeCloseTo(a.acc[1], 6);
  });

  it('leaves no tensor behind, run to the end or stopped part-way', async () => {
    await run(false);
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
    const first = buildModel(spec, dataset, 1);
    const second = buildModel(spec, dataset, 2);
    const mid = tf.memory().numTensors;
    for await (const e of mutual({ first, second, scratch: null, reference: null, data, config: { ...config, logEvery: 2 } }))
      if (e.kind === 'losses') break;
    expect(tf.memory().numTensors).toBe(mid);
    first.dispose();
    second.dispose();
  });
});

describe('mutualRefusal', () => {
  const base = { loss: { hint: null, logitMse: 0 }, transfer: DEFAULT_TRANSFER, studentSource: 'preset' as const };
  it('accepts the defaults and refuses, naming both settings, what needs a teacher or other data', () => {
    expect(mutualRefusal(base)).toBeNull();
    expect(mutualRefusal({ ...base, loss: { ...base.loss, softTargets: 'shuffled' } })).toMatch(/Mutual learning.*Soft targets/);
    expect(mutualRefusal({ ...base, transfer: { ...DEFAULT_TRANSFER, data: { kind: 'gaussian' } } })).toMatch(
      /Mutual learning.*Transfer data/,
    );
    expect(mutualRefusal({ ...base, repeats: 2 })).toMatch(/Mutual learning.*Repeats/);
    expect(mutualRefusal({ ...base, quantAware: { lastEpochs: 1 } })).toMatch(/Mutual learning.*Train for uint8/);
  });
});
