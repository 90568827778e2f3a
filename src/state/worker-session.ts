import { create } from 'zustand';
import type { WorkerClient } from '../worker/client';
import { createStudioBus, type StudioBus } from './bus';
import { createSeriesBuffer } from './series';
import { IDLE, type StartupState } from './startup-machine';
import { useStudio } from './store';

/**
 * What the page holds to talk to the worker, in one store rather than in module variables: the
 * client (null until startStudio), the bus its messages go out on, where start-up stands, and the
 * loss series buffered outside React. Not for rendering: panels read useStudio.
 */
export interface WorkerSession {
  client: WorkerClient | null;
  bus: StudioBus;
  startup: StartupState;
  series: ReturnType<typeof createSeriesBuffer>;
}

export const useWorkerSession = create<WorkerSession>()(() => ({
  client: null,
  bus: createStudioBus(),
  startup: IDLE,
  series: createSeriesBuffer((s) => useStudio.setState(s)),
}));

/** The bus every store subscribes to for worker messages. */
export function studioBus(): StudioBus {
  return useWorkerSession.getState().bus;
}

export function workerClient(): WorkerClient | null {
  return useWorkerSession.getState().client;
}

/** Asks the worker for test row `index`; the request id its answer carries, or null before the worker started. */
export function requestExample(index: number): number | null {
  return workerClient()?.getExample(index) ?? null;
}
