import { describe, expect, it } from 'vitest';
import { klPerRow, rankDisagreements } from './disagreement';

// Two classes. By hand, with p = softmax(teacher), q = softmax(student), KL = Σ p·ln(p/q):
//   row 0: p = (1/4, 3/4), q = (1/2, 1/2): 1/4·ln(1/2) + 3/4·ln(3/2) = 0.1308120
//   row 1: p = q: 0
//   row 2: p = (1/2, 1/2), q = (1/4, 3/4): 1/2·ln 2 + 1/2·ln(2/3) = 0.1438410
//   row 3: as row 0
//   row 4: p = (1, 0) (the teacher rules class 1 out), q = (1/2, 1/2): ln 2 = 0.6931472
const ln3 = Math.log(3);
const teacher = Float32Array.from([0, ln3, 1, 1, 0, 0, 0, ln3, 0, -1e9]);
const student = Float32Array.from([0, 0, 1, 1, 0, ln3, 0, 0, 0, 0]);

describe('klPerRow', () => {
  it('matches KL(teacher ‖ student) computed by hand, row by row', () => {
    const kl = Array.from(klPerRow(teacher, student, 2));
    const expected = [0.130812, 0, 0.143841, 0.130812, Math.LN2];
    expect(kl).toHaveLength(expected.length);
    for (const [i, v] of kl.entries()) expect(v, `row ${i}`).toBeCloseTo(expected[i], 5);
  });

  it('softens both models at T: logits twice as large at T = 2 give the T = 1 values', () => {
    const twice = (a: Float32Array) => a.map((v) => 2 * v);
    const atT2 = klPerRow(twice(teacher), twice(student), 2, 2);
    const atT1 = klPerRow(teacher, student, 2);
    for (const [i, v] of atT2.entries()) expect(v, `row ${i}`).toBeCloseTo(atT1[i], 5);
  });

  it('refuses logits of different shapes', () => {
    expect(() => klPerRow(teacher, student.subarray(2), 2)).toThrow(/same length/);
    expect(() => klPerRow(teacher.subarray(1), student.subarray(1), 2)).toThrow(/multiple of numClasses/);
  });
});

describe('rankDisagreements', () => {
  it('puts the largest KL first and keeps row order among equals', () => {
    const ranked = rankDisagreements(teacher, student, 2);
    expect(ranked.map((d) => d.index)).toEqual([4, 2, 0, 3, 1]);
    expect(ranked[0].kl).toBeCloseTo(Math.LN2, 6);
    expect(ranked[4].kl).toBe(0);
  });

  it('is empty for an empty test set', () => {
    expect(rankDisagreements(new Float32Array(0), new Float32Array(0), 3)).toEqual([]);
  });
});
