import { describe, expect, it } from 'vitest';
import {
  cellKey,
  parseNumberList,
  runCount,
  seedsFrom,
  summariseCell,
  sweepCells,
  sweepErrors,
  sweepEta,
  sweepRuns,
  sweepSamples,
  sweepUnits,
  validateSweep,
  type SweepRunResult,
  type SweepSpec,
} from './sweep';

const spec: SweepSpec = { temperatures: [1, 4], alphas: [0.5, 0.9], studentPresets: ['mlp-64'], seeds: [1, 2] };

const run = (distilled: number, scratch: number, seed = 1): SweepRunResult => ({
  studentPreset: 'mlp-64',
  temperature: 4,
  alpha: 0.9,
  seed,
  distilled,
  scratch,
  teacher: 0.98,
});

describe('parseNumberList', () => {
  it('reads commas, semicolons and spaces', () => {
    expect(parseNumberList('1, 2,4 ;8')).toEqual([1, 2, 4, 8]);
    expect(parseNumberList(' 0.5 ')).toEqual([0.5]);
  });

  it('names the token it cannot read', () => {
    expect(() => parseNumberList('1, two, 4', 'Temperatures')).toThrow('Temperatures: "two" is not a number.');
    expect(() => parseNumberList('1, 2x')).toThrow('"2x" is not a number');
    expect(() => parseNumberList(' , ', 'Alphas')).toThrow('Alphas is empty');
  });
});

describe('sweepErrors', () => {
  it('accepts a sound grid', () => {
    expect(sweepErrors(spec)).toEqual({});
    expect(() => validateSweep(spec)).not.toThrow();
  });

  it('explains each bad field', () => {
    expect(sweepErrors({ ...spec, temperatures: [] }).temperatures).toBe('Temperatures: give at least one value.');
    expect(sweepErrors({ ...spec, temperatures: [0] }).temperatures).toBe('Temperatures: 0 is out of range (from 0.1 to 100).');
    expect(sweepErrors({ ...spec, alphas: [0.5, 1.5] }).alphas).toBe('Alphas: 1.5 is out of range (from 0 to 1).');
    expect(sweepErrors({ ...spec, alphas: [0.5, 0.5] }).alphas).toBe('Alphas: 0.5 is given twice.');
    expect(sweepErrors({ ...spec, studentPresets: [] }).studentPresets).toBe('Student presets: pick at least one.');
    expect(sweepErrors({ ...spec, seeds: [1.5] }).seeds).toMatch(/whole numbers/);
    expect(sweepErrors({ ...spec, seeds: seedsFrom(1, 21) }).seeds).toBe('Seeds per cell: at most 20.');
  });

  it('caps the number of runs', () => {
    const big = { ...spec, temperatures: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], alphas: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] };
    expect(runCount(big)).toBe(220);
    expect(sweepErrors(big).total).toBe('That is 220 runs; a sweep may have at most 200. Drop some values or seeds.');
    expect(() => validateSweep(big)).toThrow('220 runs');
  });
});

describe('the grid', () => {
  it('lays cells out temperature-major, preset by preset', () => {
    const cells = sweepCells({ ...spec, studentPresets: ['mlp-64', 'linear'] }).map(cellKey);
    expect(cells).toEqual([
      'mlp-64|1|0.5',
      'mlp-64|1|0.9',
      'mlp-64|4|0.5',
      'mlp-64|4|0.9',
      'linear|1|0.5',
      'linear|1|0.9',
      'linear|4|0.5',
      'linear|4|0.9',
    ]);
  });

  it('runs every cell on one seed before the next seed', () => {
    const runs = sweepRuns(spec).map((r) => `${cellKey(r.cell)}#${r.seed}`);
    expect(runs).toEqual([
      'mlp-64|1|0.5#1',
      'mlp-64|1|0.9#1',
      'mlp-64|4|0.5#1',
      'mlp-64|4|0.9#1',
      'mlp-64|1|0.5#2',
      'mlp-64|1|0.9#2',
      'mlp-64|4|0.5#2',
      'mlp-64|4|0.9#2',
    ]);
    expect(runs).toHaveLength(runCount(spec));
  });

  it('puts soft targets side by side within each alpha, multiplies the runs, and keeps one control per preset and seed', () => {
    const withTargets: SweepSpec = { ...spec, temperatures: [4], alphas: [0.9], softTargets: ['teacher', 'shuffled', 'smoothed'] };
    expect(sweepCells(withTargets).map(cellKey)).toEqual(['mlp-64|4|0.9|teacher', 'mlp-64|4|0.9|shuffled', 'mlp-64|4|0.9|smoothed']);
    expect(runCount(withTargets)).toBe(6);
    expect(sweepUnits(withTargets)).toBe(6 + 2);
    // Without the axis, the cells and keys are as before it existed.
    expect(sweepCells(spec)[0]).toEqual({ studentPreset: 'mlp-64', temperature: 1, alpha: 0.5 });
  });

  it('refuses an empty, unknown or repeated soft-targets axis', () => {
    expect(sweepErrors({ ...spec, softTargets: [] }).softTargets).toBe('Soft targets: pick at least one.');
    expect(sweepErrors({ ...spec, softTargets: ['teacher', 'sorted' as 'teacher'] }).softTargets).toBe(
      'Soft targets: unknown option "sorted".',
    );
    expect(sweepErrors({ ...spec, softTargets: ['smoothed', 'smoothed'] }).softTargets).toBe('Soft targets: "smoothed" is given twice.');
    expect(sweepErrors({ ...spec, softTargets: ['smoothed'] })).toEqual({});
  });

  it('numbers seeds from the base seed', () => {
    expect(seedsFrom(7, 3)).toEqual([7, 8, 9]);
    expect(seedsFrom(4294967295, 2)).toEqual([4294967295, 0]);
  });
});

describe('summariseCell', () => {
  it('gives the mean and sample std of the gain', () => {
    // Gains 0.02, 0.04, 0.06: mean 0.04; squared deviations 4e-4 + 0 + 4e-4 over n - 1 = 2 → var 4e-4, std 0.02.
    const s = summariseCell([run(0.92, 0.9, 1), run(0.95, 0.91, 2), run(0.96, 0.9, 3)]);
    expect(s.n).toBe(3);
    expect(s.gain.mean).toBeCloseTo(0.04, 12);
    expect(s.gain.std).toBeCloseTo(0.02, 12);
    // Distilled 0.92, 0.95, 0.96: mean 0.943333; deviations -0.023333, 0.006667, 0.016667 → ss 8.6667e-4, var 4.3333e-4.
    expect(s.distilled.mean).toBeCloseTo(0.9433333333, 9);
    expect(s.distilled.std).toBeCloseTo(Math.sqrt(4.333333333e-4), 9);
    // Scratch 0.9, 0.91, 0.9: mean 0.903333; ss 6.6667e-5, var 3.3333e-5.
    expect(s.scratch.mean).toBeCloseTo(0.9033333333, 9);
    expect(s.scratch.std).toBeCloseTo(Math.sqrt(3.333333333e-5), 9);
  });

  it('has no std with one seed, and no mean with none', () => {
    const one = summariseCell([run(0.9, 0.95)]);
    expect(one.gain.mean).toBeCloseTo(-0.05, 12);
    expect(one.gain.std).toBeNull();
    const none = summariseCell([]);
    expect(none.n).toBe(0);
    expect(none.gain.mean).toBeNaN();
  });
});

describe('time left', () => {
  it('extrapolates the cost per unit of work', () => {
    expect(sweepEta(0, 0, 10)).toBeNull();
    expect(sweepEta(30, 3, 12)).toBeCloseTo(90);
    expect(sweepEta(30, 12, 12)).toBe(0);
  });

  it('counts one scratch control per preset and seed', () => {
    // 8 distilled runs + 2 scratch controls, 3 epochs of 1000 rows each.
    expect(sweepSamples(spec, 3, 1000)).toBe(10 * 3 * 1000);
  });
});
