import type { BackendName } from '../backend-names';

/**
 * The benchmark's vocabulary, shared by the worker that runs it, the page that relays it and the
 * script that drives the page. Plain data, no tfjs, so the page can import it without the engine.
 */

/** The five training and inference workloads, in samples per second, and the matMul, in GFLOP/s. */
export const WORKLOAD_NAMES = ['teacher_train', 'distill_full', 'distill_cached', 'cnn_train', 'teacher_infer', 'matmul_gflops'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export function isWorkloadName(s: string): s is WorkloadName {
  return WORKLOAD_NAMES.some((w) => w === s);
}

export interface TimingOptions {
  /** Timed windows per workload; the median is reported. */
  windows: number;
  /** Untimed steps first: shader compilation, weight packing, first allocations, JIT. */
  warmupSteps: number;
  /** ...and warm-up goes on for at least this long, so that fast steps reach a steady state. */
  minWarmupMs: number;
  /** Each window runs as many steps as fit in about this long (at least one). */
  targetWindowMs: number;
}

export interface Measurement {
  /** Samples per second (GFLOP/s for the matMul): the median window. */
  rate: number;
  msPerStep: number;
  stepsPerWindow: number;
  /** Every window's rate, to show the spread. */
  windowRates: number[];
}

export type WorkloadOutcome = { name: WorkloadName; ok: true; measurement: Measurement } | { name: WorkloadName; ok: false; error: string };

export interface BenchRequest {
  backend: BackendName;
  timing: TimingOptions;
  /** Only these workloads (all when absent). */
  only?: WorkloadName[];
  /** XNNPACK threads for wasm (tfjs's default when absent): threads need a cross-origin isolated page. */
  wasmThreads?: number;
}

/** Soak mode (`npm run bench -- --soak N`): N epochs of a tiny distillation, to show a long run does not grow. */
export interface SoakRequest {
  kind: 'soak';
  backend: BackendName;
  epochs: number;
}

/** The soak's numbers (see core/bench/soak.ts); the heap is the worker's, where Chromium tells it. */
export interface SoakResult {
  epochs: number;
  numTensors: { start: number; end: number; min: number; max: number };
  numBytes: { start: number; end: number };
  heapBytes: { start: number; end: number } | null;
  seconds: number;
}

/** What the bench worker posts: one line of progress, one workload's outcome, or the end. */
export type BenchMessage =
  | { type: 'soak'; result: SoakResult }
  | { type: 'backend'; backend: BackendName; ok: boolean; detail: string }
  | { type: 'progress'; text: string }
  | { type: 'workload'; outcome: WorkloadOutcome }
  | { type: 'done' }
  | { type: 'failed'; error: string };

export interface BackendReport {
  backend: BackendName;
  /** False when the backend could not be made active: every workload is then null. */
  initialised: boolean;
  /** The device behind it (e.g. "software adapter: google swiftshader"), or why it failed. */
  detail: string;
  timing: TimingOptions;
  results: Partial<Record<WorkloadName, number | null>>;
  errors: Partial<Record<WorkloadName, string>>;
  measurements: Partial<Record<WorkloadName, Measurement>>;
  /** Set when the run as a whole failed (the worker crashed, or ran out of time). */
  error?: string;
  seconds: number;
}
