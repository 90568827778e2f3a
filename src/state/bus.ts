import mitt, { type Emitter } from 'mitt';
import type { FromWorker, SavedStudent } from '../worker/protocol';
import type { FinishedDistill } from './run-record';

/**
 * Worker messages as typed events, one per message type: any store subscribes to the ones it needs
 * (`bus.on('sweepRun', ...)`), and a second subscriber adds to the first instead of replacing it.
 * Answers to a request the studio no longer waits for are dropped before they reach the bus.
 */
export type WorkerEvents = { [T in FromWorker['type']]: FromWorker & { type: T } };

/** Events the page derives from worker messages, for stores that need more than the message. */
export type PageEvents = {
  /** A distillation finished: what the run history keeps, and the student the worker already saved. */
  runFinished: { run: FinishedDistill; student: SavedStudent };
};

export type StudioEvents = WorkerEvents & PageEvents;
export type StudioBus = Emitter<StudioEvents>;

export function createStudioBus(): StudioBus {
  return mitt<StudioEvents>();
}

/** Hands a worker message to its subscribers, typed by its `type`. */
export function emitWorkerMessage<T extends FromWorker['type']>(bus: StudioBus, type: T, msg: StudioEvents[T]): void {
  bus.emit(type, msg);
}
