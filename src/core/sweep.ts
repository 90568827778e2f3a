import type { SoftTargets } from './experiment';
import { STUDENT_PRESETS, type StudentPresetId } from './presets';

/**
 * A sweep: a grid of temperature × alpha (× soft targets) (× student preset), several seeds per
 * cell, each run compared with its scratch control. Plain data and arithmetic: the page and the
 * worker share it.
 */

export interface SweepSpec {
  temperatures: number[];
  alphas: number[];
  studentPresets: StudentPresetId[];
  seeds: number[];
  /** The soft-target ablations side by side; absent: every run uses the base settings' soft targets. */
  softTargets?: SoftTargets[];
}

export interface SweepCell {
  studentPreset: StudentPresetId;
  temperature: number;
  alpha: number;
  /** Present only in a sweep over soft targets. */
  softTargets?: SoftTargets;
}

export const SOFT_TARGET_IDS: readonly SoftTargets[] = ['teacher', 'shuffled', 'smoothed'];

/** One finished (cell, seed) run: test accuracies as fractions. */
export interface SweepRunResult extends SweepCell {
  seed: number;
  distilled: number;
  scratch: number;
  teacher: number;
  /** Mutual learning's student 2 (the cell's distilled value is student 1's). */
  peer?: number;
}

export interface SweepProgress {
  runsDone: number;
  runsTotal: number;
  /** Training time so far, pauses excluded. */
  elapsedSeconds: number;
  /** Null until one run's worth of work has given a rate. */
  etaSeconds: number | null;
  /** Student-training samples a second (both students' samples count, as in a single run). */
  samplesPerSec: number;
}

/** Enough for a real grid, few enough that a mistyped list cannot queue a night of work. */
export const MAX_SWEEP_RUNS = 200;
export const MAX_SEEDS_PER_CELL = 20;
export const TEMPERATURE_RANGE = { min: 0.1, max: 100 } as const;

export type SweepField = 'temperatures' | 'alphas' | 'studentPresets' | 'seeds' | 'softTargets';
export type SweepErrors = Partial<Record<SweepField | 'total', string>>;

/** "1, 2; 4 8" → [1, 2, 4, 8]. Throws naming the first token that is not a number. */
export function parseNumberList(text: string, what = 'The list'): number[] {
  const tokens = text.split(/[\s,;]+/).filter((t) => t !== '');
  if (tokens.length === 0) throw new Error(`${what} is empty: give at least one number.`);
  return tokens.map((token) => {
    const value = Number(token);
    if (!Number.isFinite(value)) throw new Error(`${what}: "${token}" is not a number.`);
    return value;
  });
}

function duplicate(values: readonly (number | string)[]): number | string | undefined {
  return values.find((v, i) => values.indexOf(v) !== i);
}

function listError(values: number[], what: string, min: number, max: number, integer = false): string | undefined {
  if (values.length === 0) return `${what}: give at least one value.`;
  const bad = values.find((v) => !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v)));
  if (bad !== undefined) return `${what}: ${bad} is out of range (${integer ? 'whole numbers ' : ''}from ${min} to ${max}).`;
  const twice = duplicate(values);
  if (twice !== undefined) return `${what}: ${twice} is given twice.`;
  return undefined;
}

export function runCount(spec: SweepSpec): number {
  return spec.temperatures.length * spec.alphas.length * (spec.softTargets?.length ?? 1) * spec.studentPresets.length * spec.seeds.length;
}

/** Every problem with a spec, by field; empty when it can run. */
export function sweepErrors(spec: SweepSpec): SweepErrors {
  const errors: SweepErrors = {};
  const t = listError(spec.temperatures, 'Temperatures', TEMPERATURE_RANGE.min, TEMPERATURE_RANGE.max);
  if (t) errors.temperatures = t;
  const a = listError(spec.alphas, 'Alphas', 0, 1);
  if (a) errors.alphas = a;
  const unknown = spec.studentPresets.find((id) => !STUDENT_PRESETS.some((p) => p.id === id));
  if (spec.studentPresets.length === 0) errors.studentPresets = 'Student presets: pick at least one.';
  else if (unknown !== undefined) errors.studentPresets = `Student presets: unknown preset "${unknown}".`;
  else if (duplicate(spec.studentPresets) !== undefined)
    errors.studentPresets = `Student presets: "${duplicate(spec.studentPresets)}" is given twice.`;
  if (spec.softTargets !== undefined) {
    const unknownTargets = spec.softTargets.find((t) => !SOFT_TARGET_IDS.includes(t));
    if (spec.softTargets.length === 0) errors.softTargets = 'Soft targets: pick at least one.';
    else if (unknownTargets !== undefined) errors.softTargets = `Soft targets: unknown option "${unknownTargets}".`;
    else if (duplicate(spec.softTargets) !== undefined)
      errors.softTargets = `Soft targets: "${duplicate(spec.softTargets)}" is given twice.`;
  }
  if (spec.seeds.length > MAX_SEEDS_PER_CELL) errors.seeds = `Seeds per cell: at most ${MAX_SEEDS_PER_CELL}.`;
  else {
    const s = listError(spec.seeds, 'Seeds', 0, 4294967295, true);
    if (s) errors.seeds = s;
  }
  const runs = runCount(spec);
  if (runs > MAX_SWEEP_RUNS) errors.total = `That is ${runs} runs; a sweep may have at most ${MAX_SWEEP_RUNS}. Drop some values or seeds.`;
  return errors;
}

/** Throws the first problem; for the worker, which trusts nothing it is sent. */
export function validateSweep(spec: SweepSpec): void {
  const first = Object.values(sweepErrors(spec))[0];
  if (first) throw new Error(first);
}

/** `count` consecutive seeds from `base`, wrapping below 2^32. */
export function seedsFrom(base: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (base + i) % 4294967296);
}

export function cellKey(cell: SweepCell): string {
  const key = `${cell.studentPreset}|${cell.temperature}|${cell.alpha}`;
  return cell.softTargets === undefined ? key : `${key}|${cell.softTargets}`;
}

/** The grid, preset by preset, temperature-major, soft targets side by side within an alpha: the order the heatmap lays it out in. */
export function sweepCells(spec: SweepSpec): SweepCell[] {
  const targets: (SoftTargets | undefined)[] = spec.softTargets ?? [undefined];
  return spec.studentPresets.flatMap((studentPreset) =>
    spec.temperatures.flatMap((temperature) =>
      spec.alphas.flatMap((alpha) =>
        targets.map((softTargets) => ({ studentPreset, temperature, alpha, ...(softTargets !== undefined && { softTargets }) })),
      ),
    ),
  );
}

/**
 * The order runs go in: per preset, one seed across the whole grid before the next seed, so that
 * a cancelled sweep has every cell's first seed rather than a few cells complete.
 */
export function sweepRuns(spec: SweepSpec): { cell: SweepCell; seed: number }[] {
  return spec.studentPresets.flatMap((studentPreset) =>
    spec.seeds.flatMap((seed) => sweepCells({ ...spec, studentPresets: [studentPreset] }).map((cell) => ({ cell, seed }))),
  );
}

export interface Stat {
  mean: number;
  /** Sample standard deviation (n − 1); null with fewer than two values. */
  std: number | null;
}

export function stat(values: readonly number[]): Stat {
  if (values.length === 0) return { mean: Number.NaN, std: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length < 2) return { mean, std: null };
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (values.length - 1)) };
}

export interface CellSummary {
  n: number;
  /** Distilled minus scratch test accuracy, as a fraction. */
  gain: Stat;
  distilled: Stat;
  scratch: Stat;
}

export function summariseCell(results: readonly SweepRunResult[]): CellSummary {
  return {
    n: results.length,
    gain: stat(results.map((r) => r.distilled - r.scratch)),
    distilled: stat(results.map((r) => r.distilled)),
    scratch: stat(results.map((r) => r.scratch)),
  };
}

/**
 * Seconds left, from the work done so far. `units` weigh runs by cost: a run that also trains its
 * scratch control counts 2, one that reuses it counts 1.
 */
export function sweepEta(activeSeconds: number, unitsDone: number, unitsTotal: number): number | null {
  if (unitsDone <= 0 || activeSeconds <= 0) return null;
  return Math.max(0, (activeSeconds / unitsDone) * (unitsTotal - unitsDone));
}

/**
 * Work units of a whole sweep: one per student a run trains (born-again's generations, mutual
 * learning's two), plus one per (preset, seed) for its scratch control.
 */
export function sweepUnits(spec: SweepSpec, studentsPerRun = 1): number {
  return runCount(spec) * studentsPerRun + spec.studentPresets.length * spec.seeds.length;
}

/** Student-training samples of a whole sweep, in the units a run's samples/s counts. */
export function sweepSamples(spec: SweepSpec, epochs: number, trainCount: number): number {
  return sweepUnits(spec) * epochs * trainCount;
}
