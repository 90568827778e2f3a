import { errorText } from './error-text';
/**
 * Faults a run can survive: a backend that fails mid-run (a lost GPU device, a missing kernel,
 * running out of memory) is told apart from the run's own errors (bad settings, divergence),
 * which no other backend would fix. Plain code, no tfjs: the page parses `?inject=` with it too.
 */

/** A backend failure, in a few words for the user ("device lost", "out of memory"). */
export interface BackendFailure {
  reason: string;
  /** The error as thrown, for the details. */
  message: string;
}

const PATTERNS: Array<[RegExp, string]> = [
  [/device (?:was |is |has been )?lost|GPUDevice.*lost|destroyed device/i, 'device lost'],
  [/context (?:was |is )?lost|CONTEXT_LOST/i, 'GPU context lost'],
  [/not registered for backend|kernel .* not (?:found|registered)|not yet implemented or not found in the registry/i, 'missing kernel'],
  [
    /out of memory|\bOOM\b|allocation failed|failed to allocate|memory access out of bounds|Array buffer allocation|Cannot enlarge memory|Aborted\(OOM\)/i,
    'out of memory',
  ],
  [
    /(?:webgl|webgpu|shader|GPUBuffer|GPUValidationError|texture).*(?:fail|error|invalid)|(?:fail|error).*(?:webgl|webgpu|shader|texture)/i,
    'GPU error',
  ],
];

/** The typed error that `?inject=backend-failure@N` throws (test-only): treated like a real backend failure. */
export class InjectedBackendFailure extends Error {
  constructor(epoch: number) {
    super(`Injected backend failure at the start of epoch ${epoch} (?inject=backend-failure@${epoch}, for tests).`);
    this.name = 'InjectedBackendFailure';
  }
}

/** The backend failure behind `e`, or null when `e` is the run's own error (another backend would fail the same way). */
export function backendFailure(e: unknown): BackendFailure | null {
  // By name rather than instanceof: only test builds throw it, so the class stays out of the product bundle.
  if (e instanceof Error && e.name === 'InjectedBackendFailure') return { reason: 'injected failure', message: e.message };
  const message = errorText(e);
  if (/diverged/i.test(message)) return null; // NaN losses: the settings, not the backend
  for (const [pattern, reason] of PATTERNS) if (pattern.test(message)) return { reason, message };
  return null;
}

// ---------------------------------------------------------------------------------------------
// TEST-ONLY fault injection: `?inject=backend-failure@N`, `?inject=worker-crash` or
// `?inject=pretend-hardware-gpu` (a software GPU is treated as a hardware one, so that the backend
// calibration runs on a machine without a GPU) in the page URL. The page parses it
// (state/store.ts) and passes it in the worker's init message; nothing else sets it. Kept to this
// type, this parser and three small checks in the worker.
// ---------------------------------------------------------------------------------------------
export type FaultInjection = { kind: 'backend-failure'; epoch: number } | { kind: 'worker-crash' } | { kind: 'pretend-hardware-gpu' };

/** `?inject=` as a fault to inject, or an error sentence when the value is not one. Null when absent. */
export function parseInjection(value: string | null): FaultInjection | { error: string } | null {
  if (value === null || value === '') return null;
  if (value === 'worker-crash') return { kind: 'worker-crash' };
  if (value === 'pretend-hardware-gpu') return { kind: 'pretend-hardware-gpu' };
  const m = /^backend-failure@(\d{1,4})$/.exec(value);
  if (m && Number(m[1]) >= 1) return { kind: 'backend-failure', epoch: Number(m[1]) };
  return { error: `Ignored ?inject=${value}: use backend-failure@N (N an epoch from 1), worker-crash or pretend-hardware-gpu.` };
}
