import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dkdRows, dkdTerms } from './dkd';
import { softTargetKL, studentLoss, type StudentLossWeights } from './losses';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

const teacher = [
  [2.0, 1.0, 0.1, -0.5],
  [-1.0, 3.0, 0.5, 0.2],
  [0.3, -0.2, 1.7, 2.2],
  [6.1, 1.0, -2.0, 0.4],
];
const student = [
  [0.5, 0.2, 0.3, 0.1],
  [0.0, 1.0, -1.0, 0.7],
  [-0.4, 0.9, 0.2, -0.3],
  [2.0, -1.0, 0.0, 1.5],
];
const labels = [0, 1, 2, 3];

/** Plain double-precision references, written from the paper's definitions (not from dkd.ts). */
function softmax(z: number[], T: number): number[] {
  const m = Math.max(...z.map((v) => v / T));
  const e = z.map((v) => Math.exp(v / T - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
const kl = (p: number[], q: number[]) => p.reduce((a, pi, i) => a + (pi === 0 ? 0 : pi * Math.log(pi / q[i])), 0);
function refRow(t: number[], s: number[], y: number, T: number) {
  const pt = softmax(t, T);
  const ps = softmax(s, T);
  const tckd = kl([pt[y], 1 - pt[y]], [ps[y], 1 - ps[y]]);
  const others = (p: number[]) => {
    const rest = p.filter((_, i) => i !== y);
    const sum = rest.reduce((a, b) => a + b, 0);
    return rest.map((v) => v / sum);
  };
  return { tckd, nckd: kl(others(pt), others(ps)), kl: kl(pt, ps), pTarget: pt[y] };
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function refMeans(s: number[][], T: number) {
  const rows = teacher.map((t, i) => refRow(t, s[i], labels[i], T));
  return { tckd: mean(rows.map((r) => r.tckd)), nckd: mean(rows.map((r) => r.nckd)) };
}

const tensors = () => ({ t: tf.tensor2d(teacher), s: tf.tensor2d(student), y: tf.tensor1d(labels, 'int32') });

describe('DKD terms against a plain double-precision reference', () => {
  it('TCKD and NCKD per row, at several temperatures', () => {
    for (const T of [1, 2, 4, 10]) {
      const { t, s, y } = tensors();
      const rows = dkdRows(t, s, y, T);
      const tckd = rows.tckd.arraySync();
      const nckd = rows.nckd.arraySync();
      teacher.forEach((row, i) => {
        const ref = refRow(row, student[i], labels[i], T);
        expect(tckd[i]).toBeCloseTo(ref.tckd, 5);
        expect(nckd[i]).toBeCloseTo(ref.nckd, 5);
        expect(ref.tckd).toBeGreaterThan(0);
        expect(ref.nckd).toBeGreaterThan(0);
      });
      tf.dispose([t, s, y, rows.tckd, rows.nckd, rows.teacherTarget]);
    }
  });

  it('batch means times T² only when scaleByT2', () => {
    const T = 3;
    const { t, s, y } = tensors();
    const on = dkdTerms(t, s, y, T, true);
    const off = dkdTerms(t, s, y, T, false);
    const ref = refMeans(student, T);
    expect(off.tckd.dataSync()[0]).toBeCloseTo(ref.tckd, 5);
    expect(off.nckd.dataSync()[0]).toBeCloseTo(ref.nckd, 5);
    expect(on.tckd.dataSync()[0] / (T * T)).toBeCloseTo(ref.tckd, 5);
    expect(on.nckd.dataSync()[0] / (T * T)).toBeCloseTo(ref.nckd, 5);
    tf.dispose([t, s, y, on.tckd, on.nckd, off.tckd, off.nckd]);
  });

  it("the paper's decomposition: KL = TCKD + (1 − p_t) · NCKD, row by row", () => {
    for (const T of [1, 4]) {
      const { t, s, y } = tensors();
      const rows = dkdRows(t, s, y, T);
      const [tckd, nckd, pt] = [rows.tckd, rows.nckd, rows.teacherTarget].map((x) => x.arraySync() as number[]);
      teacher.forEach((row, i) => {
        const ref = refRow(row, student[i], labels[i], T);
        // The reference obeys it to double precision, and our float32 terms rebuild the KL tf computes.
        expect(ref.tckd + (1 - ref.pTarget) * ref.nckd).toBeCloseTo(ref.kl, 12);
        const one = softTargetKL(tf.tensor2d([row]), tf.tensor2d([student[i]]), T);
        expect(tckd[i] + (1 - pt[i]) * nckd[i]).toBeCloseTo(one.dataSync()[0], 5);
        one.dispose();
      });
      tf.dispose([t, s, y, rows.tckd, rows.nckd, rows.teacherTarget]);
    }
  });

  it('gradients with respect to the student logits match central finite differences of the reference', () => {
    const T = 2;
    const h = 1e-5;
    for (const term of ['tckd', 'nckd'] as const) {
      const { t, y } = tensors();
      const grad = tf.grad((s: tf.Tensor) => dkdTerms(t, s as tf.Tensor2D, y, T, false)[term]);
      const g = grad(tf.tensor2d(student)).arraySync() as number[][];
      let largest = 0;
      for (let i = 0; i < student.length; i++) {
        for (let j = 0; j < student[i].length; j++) {
          const plus = student.map((r) => r.slice());
          const minus = student.map((r) => r.slice());
          plus[i][j] += h;
          minus[i][j] -= h;
          const fd = (refMeans(plus, T)[term] - refMeans(minus, T)[term]) / (2 * h);
          expect(g[i][j]).toBeCloseTo(fd, 5);
          largest = Math.max(largest, Math.abs(fd));
        }
      }
      expect(largest).toBeGreaterThan(1e-3);
      tf.dispose([t, y]);
    }
  });

  it('stays finite with a confident teacher and large logits at T = 1', () => {
    const t = tf.tensor2d([[80, -40, 10, 0]]);
    const s = tf.tensor2d([[-30, 60, 5, 2]]);
    const y = tf.tensor1d([0], 'int32');
    const { tckd, nckd } = dkdTerms(t, s, y, 1, true);
    expect(Number.isFinite(tckd.dataSync()[0])).toBe(true);
    expect(Number.isFinite(nckd.dataSync()[0])).toBe(true);
    expect(tckd.dataSync()[0]).toBeGreaterThan(50);
    tf.dispose([t, s, y, tckd, nckd]);
  });
});

describe('studentLoss with DKD', () => {
  const w: StudentLossWeights = { temperature: 4, alpha: 0.7, scaleByT2: true, logitMse: 0, hintWeight: 0, dkd: { alpha: 1, beta: 8 } };

  it('soft = α·TCKD + β·NCKD, total = alpha·soft + (1 − alpha)·CE, both terms reported', () => {
    const { t, s, y } = tensors();
    const out = studentLoss({ teacherLogits: t, studentLogits: s, labels: y }, w);
    const ref = refMeans(student, 4);
    const tckd = out.tckd?.dataSync()[0] ?? Number.NaN;
    const nckd = out.nckd?.dataSync()[0] ?? Number.NaN;
    expect(tckd / 16).toBeCloseTo(ref.tckd, 5);
    expect(nckd / 16).toBeCloseTo(ref.nckd, 5);
    expect(out.soft.dataSync()[0]).toBeCloseTo(tckd + 8 * nckd, 4);
    expect(out.total.dataSync()[0]).toBeCloseTo(0.7 * out.soft.dataSync()[0] + 0.3 * out.hard.dataSync()[0], 4);
    tf.dispose([t, s, y, out.total, out.soft, out.hard, out.tckd ?? [], out.nckd ?? []]);
  });

  it('differs from Hinton KD, which reports no TCKD or NCKD', () => {
    const { t, s, y } = tensors();
    const dkd = studentLoss({ teacherLogits: t, studentLogits: s, labels: y }, w);
    const { dkd: _, ...hintonWeights } = w;
    const hinton = studentLoss({ teacherLogits: t, studentLogits: s, labels: y }, hintonWeights);
    expect(hinton.tckd).toBeUndefined();
    expect(Math.abs(dkd.soft.dataSync()[0] - hinton.soft.dataSync()[0])).toBeGreaterThan(1e-3);
    tf.dispose([t, s, y, dkd.total, dkd.soft, dkd.hard, dkd.tckd ?? [], dkd.nckd ?? [], hinton.total, hinton.soft, hinton.hard]);
  });

  it('refuses bad weights and unlabelled rows before allocating anything', () => {
    const { t, s, y } = tensors();
    const before = tf.memory().numTensors;
    expect(() => studentLoss({ teacherLogits: t, studentLogits: s, labels: y }, { ...w, dkd: { alpha: -1, beta: 8 } })).toThrow(
      /TCKD and NCKD weights/,
    );
    const mask = tf.ones([4]) as tf.Tensor1D;
    expect(() => studentLoss({ teacherLogits: t, studentLogits: s, labels: y, labelMask: mask }, w)).toThrow(/unlabelled rows/);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([t, s, y, mask]);
  });

  it('leaks no tensor: a gradient step through the loss and its parts returns to the baseline', () => {
    const { t, s, y } = tensors();
    const v = tf.variable(s);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => studentLoss({ teacherLogits: t, studentLogits: v, labels: y }, w).total);
    tf.dispose([value, ...Object.values(grads)]);
    const parts = studentLoss({ teacherLogits: t, studentLogits: s, labels: y }, w);
    tf.dispose([parts.total, parts.soft, parts.hard, parts.tckd ?? [], parts.nckd ?? []]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, s, y, v]);
  });
});
