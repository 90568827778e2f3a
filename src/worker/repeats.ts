import type * as tf from '@tensorflow/tfjs';
import { disposeQuietly } from '../core/checkpoint';
import type { Dataset } from '../core/data/types';
import type { DistillConfig, DistillEpoch } from '../core/trainer';
import { distill } from '../core/trainer';
import type { FromWorker, RepeatResult } from './protocol';
import { drive, type RunControl } from './run-driver';
import { requireData, session } from './session';

type Post = (msg: FromWorker) => void;

/** How many seeds a run goes over (1..10; anything else as 1, as an old saved config has none). */
export function repeatCount(repeats: number | undefined): number {
  return repeats !== undefined && Number.isInteger(repeats) && repeats >= 1 && repeats <= 10 ? repeats : 1;
}

/**
 * `post` with the metrics of seed `index` of `repeats` reported over the whole run: samples done and
 * in all, elapsed time and time left counted over every seed, so that the progress bar and the ETA
 * do not start again at each seed. Other messages pass unchanged.
 */
export function overRepeats(post: Post, index: number, repeats: number, elapsedBefore: number): Post {
  if (repeats === 1) return post;
  return (msg) => {
    if (msg.type !== 'metrics') return post(msg);
    const p = msg.progress;
    const samplesDone = index * p.samplesTotal + p.samplesDone;
    const samplesTotal = repeats * p.samplesTotal;
    const etaSeconds = p.samplesPerSec > 0 ? (samplesTotal - samplesDone) / p.samplesPerSec : p.etaSeconds;
    post({ ...msg, progress: { ...p, samplesDone, samplesTotal, etaSeconds, elapsedSeconds: elapsedBefore + p.elapsedSeconds } });
  };
}

/**
 * One earlier seed of a repeated run: both students made by `make` (the same initial weights),
 * distilled as the last seed will be, their test accuracies taken from the last epoch, and freed.
 * Null when the run was stopped. Its epochs and losses are posted as a run's (the page starts its
 * charts again at each repeatDone); no boundaries, and no fallback to another backend (a failure
 * ends the run).
 */
export async function distillEarlierSeed(
  control: RunControl,
  config: DistillConfig,
  dataset: Dataset,
  make: () => Promise<tf.LayersModel>,
  post: Post,
): Promise<RepeatResult | null> {
  const teacher = session.teacher;
  if (!teacher) throw new Error('The teacher is gone: load or train it again.');
  const distilled = await make();
  let scratch: tf.LayersModel | null = null;
  session.liveStudents = () => ({ distilled, scratch: scratch ?? distilled });
  try {
    scratch = await make();
    let last: DistillEpoch | null = null;
    const run = distill({
      teacher: teacher.model,
      teacherLayers: teacher.layers,
      distilled,
      scratch,
      data: requireData().data,
      config,
      imageShape: dataset.imageShape,
    });
    const finished = await drive(control, run, post, {
      losses: (points) => ({ kind: 'distill', points }),
      epoch: (summary) => {
        last = summary;
        return { type: 'distillEpoch', runId: control.runId, summary };
      },
    });
    if (!finished) return null;
    const summary = last as DistillEpoch | null;
    if (!summary) throw new Error('The run reported no epoch.');
    return { seed: config.seed, teacher: summary.teacherAccuracy, distilled: summary.distilledAccuracy, scratch: summary.scratchAccuracy };
  } finally {
    session.liveStudents = null;
    disposeQuietly(distilled, ...(scratch ? [scratch] : []));
  }
}
