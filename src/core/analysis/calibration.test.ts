import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { softTargetKL } from '../losses';
import { useCpuBackend } from '../test-setup';
import { entropy, entropyBits, expectedCalibrationError, meanKL, reliabilityBins, softmaxRows } from './calibration';

beforeAll(useCpuBackend);

/** Deterministic logits in [-scale, scale) so that failures reproduce. */
function lcgLogits(count: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 * scale - scale;
  });
}

describe('softmaxRows', () => {
  it('gives rows that sum to 1, unchanged by adding a constant, even for huge logits', () => {
    const small = softmaxRows([0, 1, 2], 3);
    const huge = softmaxRows([1000, 1001, 1002], 3);
    const e = [1, Math.E, Math.E ** 2];
    const z = e[0] + e[1] + e[2];
    e.forEach((v, i) => {
      expect(small[i]).toBeCloseTo(v / z, 6);
      expect(huge[i]).toBeCloseTo(v / z, 6);
    });
  });

  it('divides the logits by the temperature', () => {
    const hot = softmaxRows([2, 4, -2, 0, 6, 2], 3, 2);
    const direct = softmaxRows([1, 2, -1, 0, 3, 1], 3);
    hot.forEach((v, i) => {
      expect(v).toBeCloseTo(direct[i], 6);
    });
  });

  it('rejects a non-positive temperature', () => {
    expect(() => softmaxRows([1, 2], 2, 0)).toThrow('Temperature must be a positive number, got 0.');
  });
});

describe('reliabilityBins and expectedCalibrationError', () => {
  // 3 classes, 5 bins: (0,.2] (.2,.4] (.4,.6] (.6,.8] (.8,1]
  //   row  probabilities        label  top  conf  bin  right
  //   0    .90 .05 .05          0      0    .90   4    yes
  //   1    .85 .10 .05          1      0    .85   4    no
  //   2    .10 .70 .20          1      1    .70   3    yes
  //   3    .30 .30 .40          2      2    .40   1    yes   (on an edge: stays in (.2,.4])
  //   4    .50 .45 .05          1      0    .50   2    no
  //   5    .20 .60 .20          1      1    .60   2    yes   (on an edge: stays in (.4,.6])
  // bin 1: n=1 conf .40  acc 1    |gap| .60   weight 1/6 -> .1
  // bin 2: n=2 conf .55  acc .5   |gap| .05   weight 2/6 -> .0166667
  // bin 3: n=1 conf .70  acc 1    |gap| .30   weight 1/6 -> .05
  // bin 4: n=2 conf .875 acc .5   |gap| .375  weight 2/6 -> .125
  // ECE = .1 + 1/60 + .05 + .125 = 7/24 ≈ 0.2916667
  const probs = Float32Array.from([0.9, 0.05, 0.05, 0.85, 0.1, 0.05, 0.1, 0.7, 0.2, 0.3, 0.3, 0.4, 0.5, 0.45, 0.05, 0.2, 0.6, 0.2]);
  const labels = Int32Array.from([0, 1, 1, 2, 1, 1]);

  it('bins rows by top-class probability with count, mean confidence and accuracy', () => {
    const bins = reliabilityBins(probs, labels, 3, 5);
    expect(bins.map((b) => b.count)).toEqual([0, 1, 2, 1, 2]);
    expect(bins.map((b) => [b.lower, b.upper])).toEqual([
      [0, 0.2],
      [0.2, 0.4],
      [0.4, 0.6],
      [0.6, 0.8],
      [0.8, 1],
    ]);
    expect(bins[0].confidence).toBeNaN();
    expect(bins[0].accuracy).toBeNaN();
    expect(bins.slice(1).map((b) => b.accuracy)).toEqual([1, 0.5, 1, 0.5]);
    [0.4, 0.55, 0.7, 0.875].forEach((c, i) => {
      expect(bins[i + 1].confidence).toBeCloseTo(c, 6);
    });
  });

  it('matches the hand-computed ECE', () => {
    const bins = reliabilityBins(probs, labels, 3, 5);
    expect(expectedCalibrationError(bins, 6)).toBeCloseTo(7 / 24, 6);
    expect(expectedCalibrationError(bins)).toBeCloseTo(7 / 24, 6);
  });

  it('is 0 when each bin is right as often as it is confident', () => {
    // conf .75 right 3 times in 4; conf .5 (a tie, top class 0) right 1 in 2; conf 1 always right.
    const p = Float32Array.from([0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.5, 0.5, 0.5, 0.5, 0, 1]);
    const y = Int32Array.from([0, 0, 0, 1, 0, 1, 1]);
    const bins = reliabilityBins(p, y, 2);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 2, 0, 0, 4, 0, 1]);
    expect(expectedCalibrationError(bins, 7)).toBe(0);
  });

  it('rejects labels that do not match the rows', () => {
    expect(() => reliabilityBins(probs, labels.subarray(1), 3)).toThrow('probabilities has 6 rows but labels has 5 entries.');
    expect(() => reliabilityBins(probs, Int32Array.from([0, 1, 1, 3, 1, 1]), 3)).toThrow('labels[3] = 3 is not a class index in [0, 2].');
    expect(() => reliabilityBins(probs, labels, 3, 0)).toThrow('bins must be a positive integer, got 0.');
    expect(() => expectedCalibrationError([], 0)).toThrow('n must be positive, got 0.');
  });
});

describe('entropy', () => {
  it('is log k for a uniform distribution over k classes, and log2 k bits', () => {
    for (const k of [2, 3, 10]) {
      const p = new Array(k).fill(1 / k);
      expect(entropy(p)).toBeCloseTo(Math.log(k), 12);
      expect(entropyBits(p)).toBeCloseTo(Math.log2(k), 12);
    }
  });

  it('treats 0·log 0 as 0', () => {
    expect(entropy([1, 0, 0])).toBe(0);
    expect(entropyBits(Float32Array.from([0.5, 0, 0.5]))).toBeCloseTo(1, 12);
  });
});

describe('meanKL', () => {
  const k = 5;
  const teacher = lcgLogits(20 * k, 1, 4);
  const student = lcgLogits(20 * k, 2, 3);

  /** Σ p·log(p/q) from probabilities built with plain exp and a sum: a second route to the same number. */
  function directKL(t: Float32Array, s: Float32Array, T: number): number {
    const probs = (z: Float32Array, r: number) => {
      const e = Array.from(z.subarray(r * k, (r + 1) * k), (v) => Math.exp(v / T));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    };
    let total = 0;
    for (let r = 0; r < t.length / k; r++) {
      const p = probs(t, r);
      const q = probs(s, r);
      total += p.reduce((acc, pi, i) => acc + pi * Math.log(pi / q[i]), 0);
    }
    return (total * k) / t.length;
  }

  it('matches KL computed from explicit probabilities', () => {
    for (const T of [1, 2, 4, 10]) expect(meanKL(teacher, student, k, T)).toBeCloseTo(directKL(teacher, student, T), 10);
  });

  it('matches softTargetKL from losses.ts on the tfjs CPU backend to 1e-5', () => {
    for (const T of [1, 2, 4, 10]) {
      const expected = tf.tidy(() => softTargetKL(tf.tensor2d(teacher, [20, k]), tf.tensor2d(student, [20, k]), T).dataSync()[0]);
      expect(Math.abs(meanKL(teacher, student, k, T) - expected)).toBeLessThan(1e-5);
    }
  });

  it('is 0 for identical logits and finite for huge ones', () => {
    expect(meanKL(teacher, teacher, k, 3)).toBeCloseTo(0, 12);
    expect(Number.isFinite(meanKL([1e4, 0], [0, 1e4], 2, 1))).toBe(true);
  });

  it('rejects logits of different lengths', () => {
    expect(() => meanKL(teacher, student.subarray(k), k, 1)).toThrow(
      'teacherLogits and studentLogits must have the same length, got 100 and 95.',
    );
  });
});
