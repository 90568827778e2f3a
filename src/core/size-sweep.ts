import type { ModelShape } from './model-spec';
import { budgetPick, paretoFront } from './pareto';
import { MAX_SEEDS_PER_CELL, MAX_SWEEP_RUNS } from './sweep';
import { archFits, findStudentArch, type StudentArchId } from './student-archs';

/**
 * "Find the smallest student": the sweep over student architectures at one temperature and alpha
 * (the current settings'), each student distilled and trained from scratch over the seeds. Plain
 * data and arithmetic: the page and the worker share it. The worker runs it with the sweep engine
 * (queued, cancellable, partial results kept) and counts it against MAX_SWEEP_RUNS as a grid sweep.
 */

export interface SizeSweepSpec {
  students: StudentArchId[];
  seeds: number[];
}

/** One finished (student, seed): test accuracies as fractions, sizes, and the distilled student's latency on this device. */
export interface SizeSweepResult {
  student: StudentArchId;
  seed: number;
  distilled: number;
  scratch: number;
  teacher: number;
  params: number;
  bytes: { float32: number; float16: number; uint8: number };
  /** Milliseconds per sample (median of interleaved repeats). */
  latency: { batch1: number; batch128: number };
}

export function sizeSweepRunCount(spec: SizeSweepSpec): number {
  return spec.students.length * spec.seeds.length;
}

/** The first problem with a spec, or null when it can run on data of `shape`. */
export function sizeSweepError(spec: SizeSweepSpec, shape: ModelShape): string | null {
  if (spec.students.length === 0) return 'Pick at least one student.';
  for (const id of spec.students) {
    const arch = findStudentArch(id);
    if (!arch) return `Unknown student "${id}".`;
    if (!archFits(arch, shape)) return `${arch.label} needs image data.`;
  }
  if (new Set(spec.students).size !== spec.students.length) return 'A student is given twice.';
  if (spec.seeds.length === 0) return 'Give at least one seed.';
  if (spec.seeds.length > MAX_SEEDS_PER_CELL) return `At most ${MAX_SEEDS_PER_CELL} seeds.`;
  if (spec.seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 4294967295)) return 'Seeds are whole numbers from 0 to 4294967295.';
  if (new Set(spec.seeds).size !== spec.seeds.length) return 'A seed is given twice.';
  const runs = sizeSweepRunCount(spec);
  if (runs > MAX_SWEEP_RUNS) return `That is ${runs} runs; a sweep may have at most ${MAX_SWEEP_RUNS}.`;
  return null;
}

/** One seed across every student before the next seed: a cancelled sweep has every student once rather than a few many times. */
export function sizeSweepRuns(spec: SizeSweepSpec): { student: StudentArchId; seed: number }[] {
  return spec.seeds.flatMap((seed) => spec.students.map((student) => ({ student, seed })));
}

export type SizeMeasure = 'params' | 'float32' | 'float16' | 'uint8' | 'batch1' | 'batch128';

export const SIZE_MEASURES: readonly { id: SizeMeasure; label: string }[] = [
  { id: 'params', label: 'Parameters' },
  { id: 'float32', label: 'Bytes (float32)' },
  { id: 'float16', label: 'Bytes (float16)' },
  { id: 'uint8', label: 'Bytes (uint8)' },
  { id: 'batch1', label: 'Latency at batch 1' },
  { id: 'batch128', label: 'Latency at batch 128' },
];

/** A student over its seeds: mean accuracies, its sizes, and the median of its seeds' latencies. */
export interface StudentPoint {
  student: StudentArchId;
  seeds: number;
  distilled: number;
  scratch: number;
  params: number;
  bytes: SizeSweepResult['bytes'];
  latency: SizeSweepResult['latency'];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const mid = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One point per student that has a result, in the order first seen. */
export function studentPoints(results: readonly SizeSweepResult[]): StudentPoint[] {
  const by = new Map<StudentArchId, SizeSweepResult[]>();
  for (const r of results) by.set(r.student, [...(by.get(r.student) ?? []), r]);
  return [...by.values()].map((rs) => ({
    student: rs[0].student,
    seeds: rs.length,
    distilled: mean(rs.map((r) => r.distilled)),
    scratch: mean(rs.map((r) => r.scratch)),
    params: rs[0].params,
    bytes: rs[0].bytes,
    latency: { batch1: mid(rs.map((r) => r.latency.batch1)), batch128: mid(rs.map((r) => r.latency.batch128)) },
  }));
}

export function sizeOf(point: StudentPoint, measure: SizeMeasure): number {
  if (measure === 'params') return point.params;
  if (measure === 'batch1' || measure === 'batch128') return point.latency[measure];
  return point.bytes[measure];
}

/** The distilled students' front under `measure`. */
export function studentFront(points: readonly StudentPoint[], measure: SizeMeasure): StudentPoint[] {
  return paretoFront(points.map((p) => ({ point: p, size: sizeOf(p, measure), accuracy: p.distilled }))).map((f) => f.point);
}

/** The byte measure a "Max KB" limit reads: the chart's, when it shows bytes; else float32's (the download's default). */
export function budgetByteMeasure(measure: SizeMeasure): 'float32' | 'float16' | 'uint8' {
  return measure === 'float16' || measure === 'uint8' ? measure : 'float32';
}

/** The latency a "Max ms per sample" limit reads: the chart's, when it shows latency; else batch 1 (one sample at a time, as a device sees it). */
export function budgetBatch(measure: SizeMeasure): 'batch1' | 'batch128' {
  return measure === 'batch128' ? 'batch128' : 'batch1';
}

/** The distilled student a budget picks (see budgetPick), limits in KB (1024 bytes) and ms per sample. */
export function budgetStudent(
  points: readonly StudentPoint[],
  measure: SizeMeasure,
  limits: { maxKb?: number; maxMs?: number },
): StudentPoint | null {
  const bytes = budgetByteMeasure(measure);
  const batch = budgetBatch(measure);
  const picked = budgetPick(
    points.map((point) => ({ point, accuracy: point.distilled, bytes: point.bytes[bytes], msPerSample: point.latency[batch] })),
    { maxBytes: limits.maxKb === undefined ? undefined : limits.maxKb * 1024, maxMsPerSample: limits.maxMs },
  );
  return picked?.point ?? null;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A result read back from storage, or null when it is not one (another version, edited by hand). */
export function parseSizeSweepResult(v: unknown): SizeSweepResult | null {
  if (!isObj(v) || !isObj(v.bytes) || !isObj(v.latency)) return null;
  const { student, seed, distilled, scratch, teacher, params, bytes, latency } = v;
  if (typeof student !== 'string' || !findStudentArch(student)) return null;
  const numbers = [seed, distilled, scratch, teacher, params, bytes.float32, bytes.float16, bytes.uint8, latency.batch1, latency.batch128];
  if (!numbers.every(isNum)) return null;
  return {
    student: student as StudentArchId,
    seed: seed as number,
    distilled: distilled as number,
    scratch: scratch as number,
    teacher: teacher as number,
    params: params as number,
    bytes: { float32: bytes.float32 as number, float16: bytes.float16 as number, uint8: bytes.uint8 as number },
    latency: { batch1: latency.batch1 as number, batch128: latency.batch128 as number },
  };
}
