import { describe, expect, it } from 'vitest';
import { budgetStudent, sizeSweepError, sizeSweepRuns, studentFront, studentPoints, type SizeSweepResult } from './size-sweep';
import type { StudentArchId } from './student-archs';

const MOONS = { numFeatures: 2, numClasses: 2 };

function result(student: StudentArchId, seed: number, distilled: number, params: number, batch1: number): SizeSweepResult {
  return {
    student,
    seed,
    distilled,
    scratch: distilled - 0.01,
    teacher: 0.99,
    params,
    bytes: { float32: params * 4, float16: params * 2, uint8: params + 16 },
    latency: { batch1, batch128: batch1 / 10 },
  };
}

describe('size sweep', () => {
  it('runs one seed across every student before the next seed', () => {
    expect(sizeSweepRuns({ students: ['linear', 'mlp-8'], seeds: [1, 2] })).toEqual([
      { student: 'linear', seed: 1 },
      { student: 'mlp-8', seed: 1 },
      { student: 'linear', seed: 2 },
      { student: 'mlp-8', seed: 2 },
    ]);
  });

  it('refuses unknown, repeated or image-only students, bad seeds and more runs than a sweep may have', () => {
    expect(sizeSweepError({ students: ['linear', 'mlp-8'], seeds: [1] }, MOONS)).toBeNull();
    expect(sizeSweepError({ students: ['mlp-7' as StudentArchId], seeds: [1] }, MOONS)).toBe('Unknown student "mlp-7".');
    expect(sizeSweepError({ students: ['cnn-8-16'], seeds: [1] }, MOONS)).toBe('CNN 8-16 needs image data.');
    expect(sizeSweepError({ students: ['linear', 'linear'], seeds: [1] }, MOONS)).toBe('A student is given twice.');
    expect(sizeSweepError({ students: ['linear'], seeds: [0.5] }, MOONS)).toMatch(/whole numbers/);
    const all: StudentArchId[] = [
      'linear',
      'mlp-8',
      'mlp-16',
      'mlp-32',
      'mlp-64',
      'mlp-128',
      'mlp-256',
      'mlp-512',
      'mlp-8-8',
      'mlp-16-16',
      'mlp-32-32',
    ];
    expect(sizeSweepError({ students: all, seeds: Array.from({ length: 19 }, (_, i) => i) }, MOONS)).toBe(
      'That is 209 runs; a sweep may have at most 200.',
    );
  });

  it('averages a student over its seeds and takes its median latency', () => {
    const [p] = studentPoints([result('mlp-8', 1, 0.8, 50, 3), result('mlp-8', 2, 0.9, 50, 1), result('mlp-8', 3, 0.85, 50, 2)]);
    expect(p.seeds).toBe(3);
    expect(p.distilled).toBeCloseTo(0.85, 12);
    expect(p.latency.batch1).toBe(2);
  });

  it('draws the front by the chosen measure: parameters and latency can disagree', () => {
    // mlp-16 is larger but faster (as a device with fast wide kernels may measure).
    const points = studentPoints([result('linear', 1, 0.8, 10, 5), result('mlp-8', 1, 0.85, 50, 6), result('mlp-16', 1, 0.9, 100, 1)]);
    expect(studentFront(points, 'params').map((p) => p.student)).toEqual(['linear', 'mlp-8', 'mlp-16']);
    expect(studentFront(points, 'batch1').map((p) => p.student)).toEqual(['mlp-16']);
  });

  it('picks within Max KB at the chart byte measure, and within Max ms per sample', () => {
    const points = studentPoints([result('linear', 1, 0.8, 256, 0.5), result('mlp-8', 1, 0.85, 512, 2), result('mlp-16', 1, 0.9, 1024, 1)]);
    // float32: 1 KB, 2 KB, 4 KB.
    expect(budgetStudent(points, 'params', { maxKb: 2 })?.student).toBe('mlp-8');
    // uint8: 0.27, 0.52, 1.02 KB.
    expect(budgetStudent(points, 'uint8', { maxKb: 2 })?.student).toBe('mlp-16');
    expect(budgetStudent(points, 'params', { maxMs: 1 })?.student).toBe('mlp-16');
    expect(budgetStudent(points, 'batch128', { maxMs: 0.06 })?.student).toBe('linear');
    expect(budgetStudent(points, 'params', { maxKb: 0.5 })).toBeNull();
  });
});
