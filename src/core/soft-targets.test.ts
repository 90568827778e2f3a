import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { studentLoss } from './losses';
import { createRng } from './rng';
import { ablatedTargets, shuffledColumns, targetKL } from './soft-targets';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

const teacher = [
  [2.0, 1.0, 0.1, -0.5, 0.9],
  [-1.0, 3.0, 0.5, 0.2, -2.0],
  [0.3, -0.2, 1.7, 2.2, 0.0],
  [6.1, 1.0, -2.0, 0.4, 3.3],
];
const labels = Int32Array.from([0, 1, 2, 4]);

function softmax(z: number[], T: number): number[] {
  const m = Math.max(...z.map((v) => v / T));
  const e = z.map((v) => Math.exp(v / T - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
const entropy = (p: number[]) => -p.reduce((a, v) => a + (v > 0 ? v * Math.log(v) : 0), 0);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('shuffled non-target classes', () => {
  it("keeps each row's sum, entropy, multiset of values and target probability, and does move the others", () => {
    const T = 2;
    const t = tf.tensor2d(teacher);
    const q = ablatedTargets(t, labels, T, 'shuffled', createRng(7));
    const rows = q.arraySync();
    let moved = 0;
    rows.forEach((row, i) => {
      const p = softmax(teacher[i], T);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(entropy(row)).toBeCloseTo(entropy(p), 5);
      for (const [k, v] of sorted(row).entries()) expect(v).toBeCloseTo(sorted(p)[k], 6);
      expect(row[labels[i]]).toBeCloseTo(p[labels[i]], 6);
      moved += row.filter((v, c) => Math.abs(v - p[c]) > 1e-6).length;
    });
    expect(moved).toBeGreaterThan(4);
    tf.dispose([t, q]);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = shuffledColumns(labels, 5, createRng(3));
    expect(shuffledColumns(labels, 5, createRng(3))).toEqual(a);
    expect(shuffledColumns(labels, 5, createRng(4))).not.toEqual(a);
    // Every row is a permutation of 0..4 that fixes its label.
    for (let i = 0; i < labels.length; i++) {
      const row = Array.from(a.subarray(i * 5, i * 5 + 5));
      expect(sorted(row)).toEqual([0, 1, 2, 3, 4]);
      expect(row[labels[i]]).toBe(labels[i]);
    }
  });

  it('refuses a label outside the classes', () => {
    const t = tf.tensor2d(teacher);
    const before = tf.memory().numTensors;
    expect(() => ablatedTargets(t, Int32Array.from([0, 1, 2, 5]), 1, 'shuffled', createRng(1))).toThrow(/Label 5/);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});

describe('label smoothing with the teacher’s confidence', () => {
  it('exact values by hand: p_t kept, 1 − p_t split evenly', () => {
    // Logits ln 6, ln 3, ln 1 at T = 1: probabilities 0.6, 0.3, 0.1. Label 1: keeps 0.3, the others 0.35 each.
    const t = tf.tensor2d([[Math.log(6), Math.log(3), 0]]);
    const q = ablatedTargets(t, Int32Array.from([1]), 1, 'smoothed', createRng(1));
    const [row] = q.arraySync();
    expect(row[0]).toBeCloseTo(0.35, 6);
    expect(row[1]).toBeCloseTo(0.3, 6);
    expect(row[2]).toBeCloseTo(0.35, 6);
    // Label 0 at T = 1: 0.6 kept, 0.2 each.
    const q0 = ablatedTargets(t, Int32Array.from([0]), 1, 'smoothed', createRng(1));
    expect(q0.arraySync()[0].map((v) => Number(v.toFixed(6)))).toEqual([0.6, 0.2, 0.2]);
    tf.dispose([t, q, q0]);
  });
});

describe('the student’s soft term against ablated targets', () => {
  it('targetKL equals the hand KL(q || softmax(s/T)), and the teacher’s own targets give softTargetKL', () => {
    const T = 3;
    const s = [[0.5, -0.2, 0.1, 0.0, 1.0]];
    const q = [[0.4, 0.3, 0.2, 0.1, 0]];
    const ps = softmax(s[0], T);
    const hand = q[0].reduce((a, v, c) => a + (v > 0 ? v * Math.log(v / ps[c]) : 0), 0);
    const got = targetKL(tf.tensor2d(q), tf.tensor2d(s), T);
    expect(got.dataSync()[0]).toBeCloseTo(hand, 6);
    got.dispose();
  });

  it('studentLoss uses the given targets in place of the teacher’s', () => {
    const t = tf.tensor2d(teacher);
    const s = tf.zeros([4, 5]) as tf.Tensor2D;
    const y = tf.tensor1d(labels, 'int32');
    const q = ablatedTargets(t, labels, 2, 'smoothed', createRng(1));
    const w = { temperature: 2, alpha: 0.5, scaleByT2: true, logitMse: 0, hintWeight: 0 };
    const own = studentLoss({ teacherLogits: t, studentLogits: s, labels: y }, w);
    const ablated = studentLoss({ teacherLogits: t, studentLogits: s, labels: y, targets: q }, w);
    const kl = targetKL(q, s, 2);
    expect(ablated.soft.dataSync()[0]).toBeCloseTo(4 * kl.dataSync()[0], 5);
    expect(Math.abs(ablated.soft.dataSync()[0] - own.soft.dataSync()[0])).toBeGreaterThan(1e-3);
    tf.dispose([t, s, y, q, kl, own.total, own.soft, own.hard, ablated.total, ablated.soft, ablated.hard]);
  });

  it('leaks no tensor: both ablations and a gradient step through their loss', () => {
    const t = tf.tensor2d(teacher);
    const v = tf.variable(tf.zeros([4, 5]));
    const y = tf.tensor1d(labels, 'int32');
    const before = tf.memory().numTensors;
    for (const kind of ['shuffled', 'smoothed'] as const) {
      const q = ablatedTargets(t, labels, 4, kind, createRng(2));
      const w = { temperature: 4, alpha: 0.9, scaleByT2: true, logitMse: 0, hintWeight: 0 };
      const { value, grads } = tf.variableGrads(
        () => studentLoss({ teacherLogits: t, studentLogits: v as tf.Tensor2D, labels: y, targets: q }, w).total,
      );
      tf.dispose([q, value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, v, y]);
  });
});
