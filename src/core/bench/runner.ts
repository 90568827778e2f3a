import { errorText } from '../backend';
import { measure } from './measure';
import { WORKLOAD_NAMES, type TimingOptions, type WorkloadName, type WorkloadOutcome } from './types';
import { buildWorkload, ISSUE_SIZES, type BenchSizes } from './workloads';

export interface RunOptions {
  timing: TimingOptions;
  only?: WorkloadName[];
  sizes?: BenchSizes;
  now: () => number;
  /** Called as each workload finishes, so a caller that runs out of time still has the rest. */
  report(outcome: WorkloadOutcome): void;
  progress?(text: string): void;
}

/**
 * Runs the workloads one by one on the active backend. One that fails (a missing kernel, lost
 * device memory) is reported with its error and the others still run; its tensors are freed.
 */
export async function runWorkloads(o: RunOptions): Promise<WorkloadOutcome[]> {
  const outcomes: WorkloadOutcome[] = [];
  for (const name of o.only ?? WORKLOAD_NAMES) {
    o.progress?.(`${name}: running`);
    let outcome: WorkloadOutcome;
    try {
      const w = buildWorkload(name, o.sizes ?? ISSUE_SIZES);
      try {
        outcome = { name, ok: true, measurement: await measure(w, o.timing, o.now) };
      } finally {
        w.dispose();
      }
    } catch (e) {
      outcome = { name, ok: false, error: errorText(e) };
    }
    outcomes.push(outcome);
    o.report(outcome);
  }
  return outcomes;
}
