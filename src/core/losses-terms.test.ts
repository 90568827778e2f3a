import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  hardCrossEntropy,
  logitMse,
  maskedCrossEntropy,
  softTargetKL,
  studentLoss,
  type LossParts,
  type StudentLossWeights,
} from './losses';
import { createRng } from './rng';
import { useCpuBackend } from './test-setup';
import { present } from './present';

beforeAll(useCpuBackend);

const read = (x: tf.Tensor) => x.dataSync()[0];
const disposeParts = (p: LossParts) => tf.dispose([p.total, p.soft, p.hard, ...(p.mse ? [p.mse] : []), ...(p.hint ? [p.hint] : [])]);

const teacher = [
  [2.0, 1.0, 0.1],
  [-1.0, 3.0, 0.5],
  [0.3, -0.2, 1.7],
  [1.1, 1.0, -2.0],
];
const student = [
  [0.5, 0.2, 0.3],
  [0.0, 1.0, -1.0],
  [-0.4, 0.9, 0.2],
  [2.0, -1.0, 0.0],
];
const labels = [0, 1, 2, 1];

/** Plain-JS, double-precision reference for the per-row cross-entropy. */
function ceRow(z: number[], y: number): number {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
  return lse - z[y];
}

const base: StudentLossWeights = { temperature: 3, alpha: 0.6, scaleByT2: true, logitMse: 0, hintWeight: 0 };

describe('studentLoss: the T^2 switch', () => {
  it('multiplies the soft term by exactly T^2 when on, and leaves the raw KL when off', () => {
    for (const T of [0.5, 2, 3, 4, 7.5]) {
      const t = tf.tensor2d(teacher);
      const s = tf.tensor2d(student);
      const y = tf.tensor1d(labels, 'int32');
      const on = studentLoss({ teacherLogits: t, studentLogits: s, labels: y }, { ...base, temperature: T, scaleByT2: true });
      const off = studentLoss({ teacherLogits: t, studentLogits: s, labels: y }, { ...base, temperature: T, scaleByT2: false });
      const kl = softTargetKL(t, s, T);
      expect(read(off.soft)).toBe(read(kl));
      expect(read(off.soft)).toBeGreaterThan(0);
      // T^2 is a power of two for T = 0.5, 2, 4: the float32 product is exact; otherwise one rounding.
      if ([0.5, 2, 4].includes(T)) expect(read(on.soft)).toBe(read(off.soft) * T * T);
      else expect(read(on.soft) / read(off.soft) / (T * T)).toBeCloseTo(1, 6);
      // The hard term does not care.
      expect(read(on.hard)).toBe(read(off.hard));
      // And the total follows: alpha * soft + (1 - alpha) * hard.
      expect(read(off.total)).toBeCloseTo(0.6 * read(off.soft) + 0.4 * read(off.hard), 5);
      disposeParts(on);
      disposeParts(off);
      tf.dispose([t, s, y, kl]);
    }
  });
});

describe('logitMse', () => {
  it('matches a hand computation', () => {
    // s - t = [[-1, 0], [-2, 2]]: squares 1, 0, 4, 4; mean 9/4.
    const t = tf.tensor2d([
      [1, 2],
      [3, -1],
    ]);
    const s = tf.tensor2d([
      [0, 2],
      [1, 1],
    ]);
    expect(read(logitMse(t, s))).toBe(2.25);
    expect(read(logitMse(s, t))).toBe(2.25);
    expect(read(logitMse(t, t))).toBe(0);
    // The 4 x 3 case: mean of 12 squared differences, summed by hand in doubles.
    let sum = 0;
    teacher.forEach((row, i) => {
      row.forEach((v, j) => {
        sum += (student[i][j] - v) ** 2;
      });
    });
    expect(read(logitMse(tf.tensor2d(teacher), tf.tensor2d(student)))).toBeCloseTo(sum / 12, 6);
  });

  it('enters studentLoss weighted, and is reported unweighted', () => {
    const parts = studentLoss(
      { teacherLogits: tf.tensor2d(teacher), studentLogits: tf.tensor2d(student), labels: tf.tensor1d(labels, 'int32') },
      { ...base, logitMse: 0.25 },
    );
    let sum = 0;
    teacher.forEach((row, i) => {
      row.forEach((v, j) => {
        sum += (student[i][j] - v) ** 2;
      });
    });
    expect(read(present(parts.mse, 'the MSE term'))).toBeCloseTo(sum / 12, 6);
    expect(read(parts.total)).toBeCloseTo(0.6 * read(parts.soft) + 0.4 * read(parts.hard) + 0.25 * (sum / 12), 5);
    disposeParts(parts);
  });
});

describe('maskedCrossEntropy', () => {
  const s = () => tf.tensor2d(student);
  const y = () => tf.tensor1d(labels, 'int32');

  it('equals the cross-entropy of the labelled rows alone', () => {
    const mask = [1, 0, 1, 0];
    const masked = read(maskedCrossEntropy(y(), s(), tf.tensor1d(mask)));
    const ofRows = read(hardCrossEntropy(tf.tensor1d([labels[0], labels[2]], 'int32'), tf.tensor2d([student[0], student[2]])));
    expect(masked).toBeCloseTo(ofRows, 6);
    expect(masked).toBeCloseTo((ceRow(student[0], labels[0]) + ceRow(student[2], labels[2])) / 2, 5);
    // One labelled row: its own cross-entropy.
    expect(read(maskedCrossEntropy(y(), s(), tf.tensor1d([0, 0, 0, 1])))).toBeCloseTo(ceRow(student[3], labels[3]), 5);
  });

  it('equals plain cross-entropy with every row labelled, and is 0 with none', () => {
    expect(read(maskedCrossEntropy(y(), s(), tf.ones([4]) as tf.Tensor1D))).toBeCloseTo(read(hardCrossEntropy(y(), s())), 6);
    expect(read(maskedCrossEntropy(y(), s(), tf.zeros([4]) as tf.Tensor1D))).toBe(0);
  });

  it('ignores the labels of unlabelled rows entirely', () => {
    const mask = tf.tensor1d([1, 0, 1, 0]);
    const a = read(maskedCrossEntropy(y(), s(), mask));
    const b = read(maskedCrossEntropy(tf.tensor1d([0, 2, 2, 0], 'int32'), s(), mask));
    expect(a).toBe(b);
  });

  it('is what studentLoss reports as the hard term given a mask', () => {
    const parts = studentLoss(
      { teacherLogits: tf.tensor2d(teacher), studentLogits: s(), labels: y(), labelMask: tf.tensor1d([0, 1, 1, 0]) },
      base,
    );
    expect(read(parts.hard)).toBeCloseTo((ceRow(student[1], labels[1]) + ceRow(student[2], labels[2])) / 2, 5);
    expect(read(parts.total)).toBeCloseTo(0.6 * read(parts.soft) + 0.4 * read(parts.hard), 5);
    disposeParts(parts);
    const none = studentLoss(
      { teacherLogits: tf.tensor2d(teacher), studentLogits: s(), labels: y(), labelMask: tf.zeros([4]) as tf.Tensor1D },
      base,
    );
    expect(read(none.hard)).toBe(0);
    expect(read(none.total)).toBeCloseTo(0.6 * read(none.soft), 6);
    disposeParts(none);
  });
});

describe('studentLoss: all terms', () => {
  const mapped = [
    [0.1, -0.2, 0.3, 0.0, 1.0],
    [1.5, 0.5, -0.5, 0.2, 0.0],
    [0.0, 0.0, 2.0, -1.0, 0.3],
    [-0.7, 0.4, 0.4, 0.9, -0.1],
  ];
  const target = [
    [0.0, 0.0, 0.5, 0.5, 0.5],
    [1.0, 1.0, 0.0, 0.0, 0.0],
    [0.2, -0.3, 1.0, -1.0, 0.0],
    [0.0, 0.0, 0.0, 1.0, 1.0],
  ];

  it('computes the hint term as the mean squared difference of the mapped and target features', () => {
    let sum = 0;
    mapped.forEach((row, i) => {
      row.forEach((v, j) => {
        sum += (v - target[i][j]) ** 2;
      });
    });
    const parts = studentLoss(
      {
        teacherLogits: tf.tensor2d(teacher),
        studentLogits: tf.tensor2d(student),
        labels: tf.tensor1d(labels, 'int32'),
        hint: { mapped: tf.tensor2d(mapped), target: tf.tensor2d(target) },
      },
      { ...base, hintWeight: 2 },
    );
    expect(read(present(parts.hint, 'the hint term'))).toBeCloseTo(sum / 20, 6);
    expect(parts.mse).toBeUndefined();
    expect(read(parts.total)).toBeCloseTo(0.6 * read(parts.soft) + 0.4 * read(parts.hard) + 2 * (sum / 20), 5);
    disposeParts(parts);
  });

  it('leaves a term out (and does not report it) when its weight is 0 or, for the hint, when there are no features', () => {
    const inputs = { teacherLogits: tf.tensor2d(teacher), studentLogits: tf.tensor2d(student), labels: tf.tensor1d(labels, 'int32') };
    const withHint = { ...inputs, hint: { mapped: tf.tensor2d(mapped), target: tf.tensor2d(target) } };
    const off = studentLoss(withHint, { ...base, logitMse: 0, hintWeight: 0 });
    expect(off.mse).toBeUndefined();
    expect(off.hint).toBeUndefined();
    expect(read(off.total)).toBeCloseTo(0.6 * read(off.soft) + 0.4 * read(off.hard), 6);
    const noFeatures = studentLoss(inputs, { ...base, hintWeight: 3 });
    expect(noFeatures.hint).toBeUndefined();
    expect(read(noFeatures.total)).toBe(read(off.total));
    disposeParts(off);
    disposeParts(noFeatures);
  });

  it('is the weighted sum of its reported parts, for random weights', () => {
    const rng = createRng(99);
    for (let trial = 0; trial < 25; trial++) {
      const w: StudentLossWeights = {
        temperature: 0.5 + rng() * 10,
        alpha: rng(),
        scaleByT2: rng() < 0.5,
        logitMse: rng() < 0.2 ? 0 : rng() * 3,
        hintWeight: rng() < 0.2 ? 0 : rng() * 3,
      };
      const useMask = rng() < 0.5;
      const mask = [1, rng() < 0.5 ? 1 : 0, 0, 1];
      const parts = studentLoss(
        {
          teacherLogits: tf.tensor2d(teacher),
          studentLogits: tf.tensor2d(student),
          labels: tf.tensor1d(labels, 'int32'),
          labelMask: useMask ? tf.tensor1d(mask) : undefined,
          hint: { mapped: tf.tensor2d(mapped), target: tf.tensor2d(target) },
        },
        w,
      );
      const soft = read(parts.soft);
      const hard = read(parts.hard);
      const mse = parts.mse ? read(parts.mse) : 0;
      const hint = parts.hint ? read(parts.hint) : 0;
      expect(parts.mse === undefined, `trial ${trial}`).toBe(w.logitMse === 0);
      expect(parts.hint === undefined, `trial ${trial}`).toBe(w.hintWeight === 0);
      const expected = w.alpha * soft + (1 - w.alpha) * hard + w.logitMse * mse + w.hintWeight * hint;
      expect(Math.abs(read(parts.total) - expected), `trial ${trial}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
      // The soft term carries T^2 exactly when asked to.
      const kl = softTargetKL(tf.tensor2d(teacher), tf.tensor2d(student), w.temperature);
      expect(soft / read(kl) / (w.scaleByT2 ? w.temperature ** 2 : 1), `trial ${trial}`).toBeCloseTo(1, 5);
      kl.dispose();
      disposeParts(parts);
    }
  });

  it('has gradients w.r.t. the student logits that match central differences, with every term on', () => {
    const w: StudentLossWeights = { temperature: 2.5, alpha: 0.7, scaleByT2: true, logitMse: 0.3, hintWeight: 1.5 };
    const t = tf.tensor2d(teacher);
    const y = tf.tensor1d(labels, 'int32');
    const mask = tf.tensor1d([1, 0, 1, 1]);
    const hint = { mapped: tf.tensor2d(mapped), target: tf.tensor2d(target) };
    const f = (s: tf.Tensor2D) => studentLoss({ teacherLogits: t, studentLogits: s, labels: y, labelMask: mask, hint }, w).total;
    const analytic = tf
      .grad((s: tf.Tensor) => f(s as tf.Tensor2D))(tf.tensor2d(student))
      .arraySync() as number[][];
    const h = 1e-2;
    let checked = 0;
    for (let i = 0; i < student.length; i++) {
      for (let j = 0; j < student[0].length; j++) {
        const plus = student.map((r) => r.slice());
        const minus = student.map((r) => r.slice());
        plus[i][j] += h;
        minus[i][j] -= h;
        const numeric = (read(f(tf.tensor2d(plus))) - read(f(tf.tensor2d(minus)))) / (2 * h);
        expect(Math.abs(analytic[i][j] - numeric), `d/ds[${i}][${j}]: ${analytic[i][j]} vs ${numeric}`).toBeLessThan(
          1e-2 * Math.abs(numeric) + 2e-3,
        );
        checked++;
      }
    }
    expect(checked).toBe(12);

    // And the closed form: alpha T (q_T - p_T) / B + (1 - alpha) m (q - onehot) / sum(m) + 2 logitMse (s - t) / (B C).
    const sm = (z: number[], T: number) => {
      const e = z.map((v) => Math.exp(v / T));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    };
    const m = [1, 0, 1, 1];
    const B = 4;
    const C = 3;
    for (let i = 0; i < B; i++) {
      const qT = sm(student[i], w.temperature);
      const pT = sm(teacher[i], w.temperature);
      const q = sm(student[i], 1);
      for (let j = 0; j < C; j++) {
        const closed =
          (w.alpha * w.temperature * (qT[j] - pT[j])) / B +
          ((1 - w.alpha) * m[i] * (q[j] - (labels[i] === j ? 1 : 0))) / 3 +
          (2 * w.logitMse * (student[i][j] - teacher[i][j])) / (B * C);
        expect(analytic[i][j]).toBeCloseTo(closed, 5);
      }
    }
  });

  it('sends gradients through the hint features to the mapped side only, scaled by the hint weight', () => {
    const w: StudentLossWeights = { ...base, hintWeight: 1.5 };
    const t = tf.tensor2d(teacher);
    const s = tf.tensor2d(student);
    const y = tf.tensor1d(labels, 'int32');
    const target = tf.tensor2d([
      [0, 0],
      [1, 1],
    ]);
    const g = tf.grad(
      (mm: tf.Tensor) =>
        studentLoss(
          {
            teacherLogits: t.slice(0, 2),
            studentLogits: s.slice(0, 2),
            labels: y.slice(0, 2),
            hint: { mapped: mm as tf.Tensor2D, target },
          },
          w,
        ).total,
    );
    const grad = g(
      tf.tensor2d([
        [1, 2],
        [0, 1],
      ]),
    ).arraySync() as number[][];
    // d/dm of 1.5 * mean((m - t)^2) = 1.5 * 2 (m - t) / 4
    expect(grad[0][0]).toBeCloseTo(0.75, 6);
    expect(grad[0][1]).toBeCloseTo(1.5, 6);
    expect(grad[1][0]).toBeCloseTo(-0.75, 6);
    expect(grad[1][1]).toBeCloseTo(0, 6);
  });

  it('refuses negative (or NaN) weights with a clear message', () => {
    const inputs = { teacherLogits: tf.tensor2d(teacher), studentLogits: tf.tensor2d(student), labels: tf.tensor1d(labels, 'int32') };
    expect(() => studentLoss(inputs, { ...base, logitMse: -1 })).toThrow('Loss weights must not be negative (logit MSE -1, hint 0).');
    expect(() => studentLoss(inputs, { ...base, hintWeight: -0.5 })).toThrow('Loss weights must not be negative (logit MSE 0, hint -0.5).');
    expect(() => studentLoss(inputs, { ...base, hintWeight: Number.NaN })).toThrow(/Loss weights must not be negative/);
    expect(() => studentLoss(inputs, { ...base, alpha: -0.1 })).toThrow(/Alpha must be between 0 and 1/);
    expect(() => studentLoss(inputs, { ...base, temperature: -2 })).toThrow(/Temperature must be positive/);
  });

  it('frees every intermediate tensor: only the reported parts remain', () => {
    const inputs = {
      teacherLogits: tf.tensor2d(teacher),
      studentLogits: tf.tensor2d(student),
      labels: tf.tensor1d(labels, 'int32'),
      labelMask: tf.tensor1d([1, 0, 1, 1]),
      hint: { mapped: tf.tensor2d(mapped), target: tf.tensor2d(target) },
    };
    const before = tf.memory().numTensors;
    const parts = studentLoss(inputs, { ...base, logitMse: 1, hintWeight: 1 });
    expect(tf.memory().numTensors).toBe(before + 5);
    disposeParts(parts);
    expect(tf.memory().numTensors).toBe(before);
  });
});
