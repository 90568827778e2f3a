import { RateMeter } from '../core/eta';
import { TEST_HOOKS } from '../core/test-hooks';
import type { Progress } from '../core/trainer';
import type { FromWorker, LossBatch, ProgressReport } from './protocol';

/** Sends at most this many metrics messages a second. */
const MESSAGES_PER_SECOND = 10;
/** Gives the event loop a turn at least this often, so that pause and stop are heard. */
const YIELD_EVERY_MS = 30;

const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
/** A macrotask turn without setTimeout's 4 ms clamp. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

type Post = (msg: FromWorker) => void;

/** One run's control state: the worker's message handler flips it, the driver obeys it. */
export class RunControl {
  paused = false;
  stopRequested = false;
  private wake: (() => void) | null = null;

  constructor(readonly runId: number) {}

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  waitWhilePaused(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      if (!this.paused) resolve();
    });
  }
}

type RunEvent<Point, Epoch> =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'losses'; points: Point[] }
  | { kind: 'epoch'; summary: Epoch };

/**
 * Pulls events from a trainer, batches losses and progress into at most ten messages a second,
 * and honours pause and stop between steps. Returns false when the run was stopped.
 */
export async function drive<Point, Epoch>(
  control: RunControl,
  events: AsyncGenerator<RunEvent<Point, Epoch>>,
  post: Post,
  wrap: {
    losses: (points: Point[]) => LossBatch;
    epoch: (summary: Epoch) => FromWorker;
    /** Awaited while the trainer is held between epochs, so it sees the models exactly as they were at the epoch's end. */
    afterEpoch?: (summary: Epoch) => Promise<void>;
    /** TEST-ONLY: called at each epoch's first training step; what it throws fails the run there (fault injection). */
    epochStarts?: (epoch: number) => void;
  },
): Promise<boolean> {
  const meter = new RateMeter(() => performance.now());
  meter.start();
  let progress: Progress | null = null;
  let points: Point[] = [];
  let lastPost = 0;
  let lastTurn = performance.now();
  let epochStarted = 0;
  const flush = () => {
    if (!progress) return;
    const samplesPerSec = meter.update(progress.samplesDone);
    const report: ProgressReport = {
      ...progress,
      samplesPerSec,
      etaSeconds: meter.etaSeconds(progress.samplesDone, progress.samplesTotal),
      elapsedSeconds: meter.elapsedMs() / 1000,
    };
    post({ type: 'metrics', runId: control.runId, progress: report, losses: points.length ? wrap.losses(points) : null });
    points = [];
    lastPost = performance.now();
  };
  for await (const event of events) {
    switch (event.kind) {
      case 'progress':
        progress = event.progress;
        if ((progress.phase === 'teacher' || progress.phase === 'distill') && progress.epoch !== epochStarted) {
          epochStarted = progress.epoch;
          if (TEST_HOOKS) wrap.epochStarts?.(epochStarted);
        }
        break;
      case 'losses':
        points.push(...event.points);
        break;
      case 'epoch':
        flush();
        post(wrap.epoch(event.summary));
        await wrap.afterEpoch?.(event.summary);
        break;
    }
    const now = performance.now();
    if (now - lastPost >= 1000 / MESSAGES_PER_SECOND) flush();
    if (now - lastTurn >= YIELD_EVERY_MS) {
      await nextTurn();
      lastTurn = performance.now();
    }
    if (control.paused && !control.stopRequested) {
      flush();
      meter.stop();
      post({ type: 'paused', runId: control.runId });
      await control.waitWhilePaused();
      meter.start();
      if (!control.stopRequested) post({ type: 'resumed', runId: control.runId });
    }
    if (control.stopRequested) return false; // leaving the loop calls events.return(): the trainer frees its tensors
  }
  flush();
  return true;
}
