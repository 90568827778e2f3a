import { cellKey, sweepEta, sweepRuns, sweepUnits, validateSweep, type SweepCell, type SweepSpec } from '../core/sweep';
import type * as tf from '@tensorflow/tfjs';
import { distill, type DistillConfig, type DistillEpoch, type DistillLossPoint, type TrainerEvent } from '../core/trainer';
import type { DistillRunConfig, FromWorker } from './protocol';
import { drive, type RunControl } from './run-driver';
import { requireData, session } from './session';
import { cellTraining, refuseMethods, studentsPerRun } from './sweep-methods';

/** Losses are not shown during a sweep: read them rarely, since each read is a device sync. */
const SWEEP_LOG_EVERY = 100;

type Post = (msg: FromWorker) => void;

export const NO_TEACHER = 'A sweep needs a teacher: train or load one first.';

/**
 * Runs every (cell, seed) of `spec` one after another, from `base`'s optimiser, loss extras and
 * transfer set, and reports each finished run. Students always come from presets (an uploaded
 * student has one width, and the sweep is over widths). Stopping keeps the runs already reported.
 */
export async function runSweep(control: RunControl, base: DistillRunConfig, spec: SweepSpec, post: Post): Promise<void> {
  validateSweep(spec);
  const { dataset, data } = requireData();
  const teacher = session.teacher;
  if (!teacher) throw new Error(NO_TEACHER);
  refuseMethods(base, spec, teacher);
  const runs = sweepRuns(spec);
  const perRun = studentsPerRun(base);
  const unitsTotal = sweepUnits(spec, perRun);
  let unitsDone = 0;
  let activeSeconds = 0;
  let samplesDone = 0;
  let runsDone = 0;
  // The scratch control sees neither T nor alpha (nor any soft term), so one per (preset, seed) serves
  // every cell of that preset and seed: the first cell trains it beside its distilled student, the
  // others train the distilled student alone. That halves the work of a sweep.
  const scratchAccuracy = new Map<string, number>();
  const progress = (current: { fraction: number; units: number; seconds: number; samples: number }) => {
    const done = unitsDone + current.fraction * current.units;
    const elapsedSeconds = activeSeconds + current.seconds;
    // Over the whole sweep, logits and evaluation included: a single run's meter never settles on short runs.
    const samplesPerSec = elapsedSeconds > 0 ? (samplesDone + current.samples) / elapsedSeconds : 0;
    post({
      type: 'sweepProgress',
      runId: control.runId,
      progress: { runsDone, runsTotal: runs.length, elapsedSeconds, etaSeconds: sweepEta(elapsedSeconds, done, unitsTotal), samplesPerSec },
    });
  };
  progress({ fraction: 0, units: 0, seconds: 0, samples: 0 });

  for (const { cell, seed } of runs) {
    if (control.paused && !control.stopRequested) await pauseBetweenRuns(control, post);
    if (control.stopRequested) break;
    const controlKey = `${cell.studentPreset}|${seed}`;
    const withScratch = !scratchAccuracy.has(controlKey);
    const units = perRun + (withScratch ? 1 : 0);
    let seconds = 0;
    let samples = 0;
    let final: QuietEnd | null = null;
    let values: { distilled: number; peer?: number } = { distilled: Number.NaN };
    const training = await cellTraining({ base, cell, seed, config: distillConfig(base, cell, seed), withScratch, teacher, dataset, data });
    try {
      final = await driveQuietly(control, post, training.events, `${cellKey(cell)}, seed ${seed}`, (m) => {
        seconds = m.seconds;
        samples = m.samples;
        progress({ fraction: m.fraction, units, seconds, samples });
      });
      if (final) {
        const peer = training.peerAccuracy?.(final.last);
        values = { distilled: training.distilledAccuracy(final.last), ...(peer !== undefined && { peer }) };
      }
    } finally {
      training.dispose();
    }
    if (!final) break;
    if (withScratch) scratchAccuracy.set(controlKey, final.scratchAccuracy);
    unitsDone += units;
    activeSeconds += seconds;
    samplesDone += samples;
    runsDone++;
    post({
      type: 'sweepRun',
      runId: control.runId,
      result: {
        ...cell,
        seed,
        ...values,
        scratch: scratchAccuracy.get(controlKey) as number,
        teacher: final.last.teacherAccuracy,
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

/** One run of a sweep: its two students (no scratch when another run already trained it) and the trainer's settings. */
export interface QuietRun {
  distilled: tf.LayersModel;
  scratch: tf.LayersModel | null;
  config: DistillConfig;
  /** Names the run in an error. */
  label: string;
}

/**
 * Distils one run of a sweep with the session's teacher and data. Only pause and resume reach the
 * page (the per-run metrics and epochs would mix into the single-run charts); the run's metrics go
 * to `onMetrics`. Returns the last epoch's summary, or null when stopped; frees neither student.
 */
export async function distilQuietly(
  control: RunControl,
  post: Post,
  run: QuietRun,
  onMetrics: (m: { fraction: number; seconds: number; samples: number }) => void,
): Promise<DistillEpoch | null> {
  const { dataset, data } = requireData();
  const teacher = session.teacher;
  if (!teacher) throw new Error(NO_TEACHER);
  const events = distill({
    teacher: teacher.model,
    teacherLayers: teacher.layers,
    distilled: run.distilled,
    scratch: run.scratch,
    data,
    config: run.config,
    imageShape: dataset.imageShape,
  });
  return (await driveQuietly(control, post, events, run.label, onMetrics))?.last ?? null;
}

/** How a quiet run ended: its last epoch's summary, and the control's last measured accuracy (NaN: no control). */
export interface QuietEnd {
  last: DistillEpoch;
  /** Born-again trains the control beside generation 1 only: later epochs measure none. */
  scratchAccuracy: number;
}

/** Drives a run's events with only pause and resume reaching the page; null when stopped. */
async function driveQuietly(
  control: RunControl,
  post: Post,
  events: AsyncGenerator<TrainerEvent<DistillLossPoint, DistillEpoch>>,
  label: string,
  onMetrics: (m: { fraction: number; seconds: number; samples: number }) => void,
): Promise<QuietEnd | null> {
  let last: DistillEpoch | null = null;
  let scratchAccuracy = Number.NaN;
  const relay: Post = (msg) => {
    if (msg.type === 'paused' || msg.type === 'resumed') post(msg);
    else if (msg.type === 'metrics') {
      const p = msg.progress;
      onMetrics({ fraction: p.samplesDone / Math.max(1, p.samplesTotal), seconds: p.elapsedSeconds, samples: p.samplesDone });
    }
  };
  const finished = await drive(control, events, relay, {
    losses: (points) => ({ kind: 'distill', points }),
    epoch: (summary) => {
      last = summary;
      if (!Number.isNaN(summary.scratchAccuracy)) scratchAccuracy = summary.scratchAccuracy;
      return { type: 'distillEpoch', runId: control.runId, summary };
    },
  });
  if (!finished) return null;
  if (!last) throw new Error(`The run for ${label} ended without an evaluation.`);
  return { last, scratchAccuracy };
}

function distillConfig(base: DistillRunConfig, cell: SweepCell, seed: number): DistillConfig {
  const { scaleByT2, logitMse, hint, method } = base.loss;
  const softTargets = cell.softTargets ?? base.loss.softTargets;
  return {
    epochs: base.epochs,
    batchSize: base.batchSize,
    learningRate: base.learningRate,
    seed,
    logEvery: SWEEP_LOG_EVERY,
    temperature: cell.temperature,
    alpha: cell.alpha,
    scaleByT2,
    logitMse,
    hint,
    transfer: base.transfer,
    ...(method && { method }),
    ...(softTargets && { softTargets }),
  };
}

/** A pause that lands between two runs (drive only hears it between steps). */
export async function pauseBetweenRuns(control: RunControl, post: Post): Promise<void> {
  post({ type: 'paused', runId: control.runId });
  await control.waitWhilePaused();
  if (!control.stopRequested) post({ type: 'resumed', runId: control.runId });
}
