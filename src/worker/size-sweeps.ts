import { METHOD_LABELS, methodConflict } from '../core/method-rules';
import { buildModel } from '../core/models';
import { measureBatchLatency } from '../core/size-latency';
import { sizeSweepError, sizeSweepRuns, type SizeSweepSpec } from '../core/size-sweep';
import { sweepEta } from '../core/sweep';
import { archSize, findStudentArch, type StudentArch, type StudentArchId } from '../core/student-archs';
import type { DistillConfig, DistillEpoch } from '../core/trainer';
import type { DistillRunConfig, FromWorker } from './protocol';
import type { RunControl } from './run-driver';
import { requireData, session } from './session';
import { distilQuietly, NO_TEACHER, pauseBetweenRuns } from './sweeps';

/** Losses are not shown during a sweep: read them rarely, since each read is a device sync. */
const SWEEP_LOG_EVERY = 100;

type Post = (msg: FromWorker) => void;

/**
 * "Find the smallest student": every (student, seed) of `spec` distilled beside its scratch control
 * at `base`'s temperature, alpha, loss extras, optimiser and transfer set, one after another. Each
 * finished run is posted with the student's sizes and the distilled student's latency on this
 * device; progress and the end go as a grid sweep's (sweepProgress, sweepDone), so the run bar and
 * the sweep engine's pause, resume and stop work alike. Stopping keeps the runs already reported.
 */
export async function runSizeSweep(control: RunControl, base: DistillRunConfig, spec: SizeSweepSpec, post: Post): Promise<void> {
  const { dataset, data } = requireData();
  const problem = sizeSweepError(spec, dataset);
  if (problem) throw new Error(problem);
  if (!session.teacher) throw new Error(NO_TEACHER);
  const method = base.loss.method?.method;
  if (method === 'born-again' || method === 'mutual')
    throw new Error(
      `Find the smallest student distils one student per architecture with Hinton KD or DKD, and Method is "${METHOD_LABELS[method]}".`,
    );
  const conflict = methodConflict(method, base.loss.softTargets, base.transfer);
  if (conflict) throw new Error(conflict);
  const runs = sizeSweepRuns(spec);
  // Each run trains two students; weigh a run by its parameters so the estimate is not fooled by linear going first.
  const weight = (id: StudentArchId) => 2 * archSize(archOf(id).spec, dataset).params;
  const unitsTotal = runs.reduce((a, r) => a + weight(r.student), 0);
  let unitsDone = 0;
  let activeSeconds = 0;
  let samplesDone = 0;
  let runsDone = 0;
  const progress = (current: { fraction: number; units: number; seconds: number; samples: number }) => {
    const elapsedSeconds = activeSeconds + current.seconds;
    const samplesPerSec = elapsedSeconds > 0 ? (samplesDone + current.samples) / elapsedSeconds : 0;
    post({
      type: 'sweepProgress',
      runId: control.runId,
      progress: {
        runsDone,
        runsTotal: runs.length,
        elapsedSeconds,
        etaSeconds: sweepEta(elapsedSeconds, unitsDone + current.fraction * current.units, unitsTotal),
        samplesPerSec,
      },
    });
  };
  progress({ fraction: 0, units: 0, seconds: 0, samples: 0 });
  const clock = { now: () => performance.now() };

  for (const { student, seed } of runs) {
    if (control.paused && !control.stopRequested) await pauseBetweenRuns(control, post);
    if (control.stopRequested) break;
    const arch = archOf(student);
    const units = weight(student);
    const distilled = buildModel(arch.spec, dataset, seed);
    const scratch = buildModel(arch.spec, dataset, seed);
    let seconds = 0;
    let samples = 0;
    let final: DistillEpoch | null = null;
    let latency: { batch1: number; batch128: number } | null = null;
    try {
      const run = { distilled, scratch, config: distillConfig(base, seed), label: `${arch.label}, seed ${seed}` };
      final = await distilQuietly(control, post, run, (m) => {
        seconds = m.seconds;
        samples = m.samples;
        progress({ fraction: m.fraction, units, seconds, samples });
      });
      if (final) latency = await measureBatchLatency(distilled, data.xTest, clock);
    } finally {
      distilled.dispose();
      scratch.dispose();
    }
    if (!final || !latency) break;
    const size = archSize(arch.spec, dataset);
    unitsDone += units;
    activeSeconds += seconds;
    samplesDone += samples;
    runsDone++;
    post({
      type: 'sizeSweepRun',
      runId: control.runId,
      result: {
        student,
        seed,
        distilled: final.distilledAccuracy,
        scratch: final.scratchAccuracy,
        teacher: final.teacherAccuracy,
        params: size.params,
        bytes: { float32: size.bytesFloat32, float16: size.bytesFloat16, uint8: size.bytesUint8 },
        latency,
      },
    });
    progress({ fraction: 0, units: 0, seconds: 0, samples: 0 });
  }
  post({
    type: 'sweepDone',
    runId: control.runId,
    outcome: runsDone === runs.length ? 'finished' : 'cancelled',
    runsDone,
    runsTotal: runs.length,
  });
}

function archOf(id: StudentArchId): StudentArch {
  const arch = findStudentArch(id);
  if (!arch) throw new Error(`Unknown student "${id}".`);
  return arch;
}

function distillConfig(base: DistillRunConfig, seed: number): DistillConfig {
  const { temperature, alpha, scaleByT2, logitMse, method, softTargets } = base.loss;
  return {
    epochs: base.epochs,
    batchSize: base.batchSize,
    learningRate: base.learningRate,
    seed,
    logEvery: SWEEP_LOG_EVERY,
    temperature,
    alpha,
    scaleByT2,
    logitMse,
    // A hint names a layer of one architecture: across architectures it has no meaning.
    hint: null,
    transfer: base.transfer,
    // The same method and soft targets as the run it stands for: DKD or an ablation is compared across sizes too.
    ...(method && { method }),
    ...(softTargets && { softTargets }),
  };
}
