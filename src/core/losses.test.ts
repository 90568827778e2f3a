import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { distillationLoss, hardCrossEntropy, softTargetKL } from './losses';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

/** Independent reference in plain JS doubles. */
function softmax(z: number[], T = 1): number[] {
  const m = Math.max(...z.map((v) => v / T));
  const e = z.map((v) => Math.exp(v / T - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
function kl(p: number[], q: number[]): number {
  return p.reduce((acc, pi, i) => acc + (pi > 0 ? pi * Math.log(pi / q[i]) : 0), 0);
}
function refLoss(t: number[][], s: number[][], y: number[], T: number, alpha: number) {
  const soft = (T * T * t.reduce((acc, ti, i) => acc + kl(softmax(ti, T), softmax(s[i], T)), 0)) / t.length;
  const hard = -s.reduce((acc, si, i) => acc + Math.log(softmax(si)[y[i]]), 0) / s.length;
  return { soft, hard, total: alpha * soft + (1 - alpha) * hard };
}
const read = (x: tf.Tensor) => x.dataSync()[0];

const teacher = [
  [2.0, 1.0, 0.1],
  [-1.0, 3.0, 0.5],
];
const student = [
  [0.5, 0.2, 0.3],
  [0.0, 1.0, -1.0],
];
const labels = [0, 1];

describe('distillationLoss', () => {
  it('matches a hand computation of alpha*T^2*KL + (1-alpha)*CE', () => {
    for (const [T, alpha] of [
      [1, 0.5],
      [4, 0.9],
      [2.5, 0.3],
    ]) {
      const ref = refLoss(teacher, student, labels, T, alpha);
      const parts = distillationLoss(tf.tensor2d(teacher), tf.tensor2d(student), tf.tensor1d(labels, 'int32'), { temperature: T, alpha });
      expect(read(parts.soft)).toBeCloseTo(ref.soft, 5);
      expect(read(parts.hard)).toBeCloseTo(ref.hard, 5);
      expect(read(parts.total)).toBeCloseTo(ref.total, 5);
      tf.dispose([parts.soft, parts.hard, parts.total]);
    }
  });

  it('matches a known value: KL of softmax([1,0]) from softmax([0,0])', () => {
    // p = (e/(1+e), 1/(1+e)), q = (1/2, 1/2): KL = log 2 + p1 log p1 + p2 log p2
    const p1 = Math.E / (1 + Math.E);
    const expected = Math.log(2) + p1 * Math.log(p1) + (1 - p1) * Math.log(1 - p1);
    expect(read(softTargetKL(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]]), 1))).toBeCloseTo(expected, 6);
    expect(expected).toBeCloseTo(0.1109, 4);
  });

  it('is plain cross-entropy when alpha = 0', () => {
    const parts = distillationLoss(tf.tensor2d(teacher), tf.tensor2d(student), tf.tensor1d(labels, 'int32'), { temperature: 7, alpha: 0 });
    const ce = hardCrossEntropy(tf.tensor1d(labels, 'int32'), tf.tensor2d(student));
    expect(read(parts.total)).toBeCloseTo(read(ce), 6);
    expect(read(parts.total)).toBeCloseTo(refLoss(teacher, student, labels, 1, 0).hard, 5);
  });

  it('has a zero soft term when the student matches the teacher', () => {
    const parts = distillationLoss(tf.tensor2d(teacher), tf.tensor2d(teacher), tf.tensor1d(labels, 'int32'), { temperature: 3, alpha: 1 });
    expect(Math.abs(read(parts.soft))).toBeLessThan(1e-6);
    expect(Math.abs(read(parts.total))).toBeLessThan(1e-6);
  });

  it('scales the soft term by T^2', () => {
    const T = 5;
    const withFactor = read(
      distillationLoss(tf.tensor2d(teacher), tf.tensor2d(student), tf.tensor1d(labels, 'int32'), { temperature: T, alpha: 1 }).soft,
    );
    const rawKL = read(softTargetKL(tf.tensor2d(teacher), tf.tensor2d(student), T));
    expect(withFactor).toBeCloseTo(T * T * rawKL, 5);
    expect(rawKL).toBeGreaterThan(0);
  });

  it('stays finite and correct at T = 20 with logits of magnitude 100', () => {
    const t = [[100, -100, 50, 0]];
    const s = [[-100, 100, 0, -50]];
    const T = 20;
    const ref = refLoss(t, s, [0], T, 0.5);
    const parts = distillationLoss(tf.tensor2d(t), tf.tensor2d(s), tf.tensor1d([0], 'int32'), { temperature: T, alpha: 0.5 });
    const total = read(parts.total);
    expect(Number.isFinite(total)).toBe(true);
    expect(read(parts.soft)).toBeCloseTo(ref.soft, 2);
    expect(read(parts.hard)).toBeCloseTo(200, 3); // CE of logit gap 200 ≈ 200
    // At T = 1 the hard term alone would overflow a naive softmax: exp(100) in float32.
    expect(read(hardCrossEntropy(tf.tensor1d([1], 'int32'), tf.tensor2d(t)))).toBeCloseTo(200, 3);
  });

  it('has gradients that match finite differences', () => {
    const T = 3;
    const alpha = 0.7;
    const t = tf.tensor2d(teacher);
    const y = tf.tensor1d(labels, 'int32');
    const f = (s: tf.Tensor2D) => distillationLoss(t, s, y, { temperature: T, alpha }).total;
    const grad = tf.grad((s: tf.Tensor) => f(s as tf.Tensor2D))(tf.tensor2d(student));
    const analytic = grad.arraySync() as number[][];
    const h = 1e-3;
    for (let i = 0; i < student.length; i++) {
      for (let j = 0; j < student[0].length; j++) {
        const plus = student.map((r) => r.slice());
        const minus = student.map((r) => r.slice());
        plus[i][j] += h;
        minus[i][j] -= h;
        const numeric = (refLoss(teacher, plus, labels, T, alpha).total - refLoss(teacher, minus, labels, T, alpha).total) / (2 * h);
        expect(analytic[i][j]).toBeCloseTo(numeric, 4);
      }
    }
  });

  it('refuses a temperature or alpha out of range, saying which', () => {
    const args = [tf.tensor2d(teacher), tf.tensor2d(student), tf.tensor1d(labels, 'int32')] as const;
    expect(() => distillationLoss(...args, { temperature: 0, alpha: 0.5 })).toThrow(/Temperature must be positive/);
    expect(() => distillationLoss(...args, { temperature: 2, alpha: 1.5 })).toThrow(/Alpha must be between 0 and 1/);
  });

  it('frees every intermediate tensor', () => {
    const inputs = [tf.tensor2d(teacher), tf.tensor2d(student), tf.tensor1d(labels, 'int32')] as const;
    const before = tf.memory().numTensors;
    const parts = distillationLoss(...inputs, { temperature: 2, alpha: 0.5 });
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([parts.total, parts.soft, parts.hard]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
