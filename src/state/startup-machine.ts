import type { ExperimentConfig } from '../core/experiment';
import type { DataSource } from '../worker/protocol';
import { builtInSource } from './experiment';
import type { SharedExperiment } from './share';

/**
 * Start-up and worker restart as one typed state machine, pure: `transition(state, event)` gives the
 * next state and the effects to carry out (startup.ts carries them out and feeds back the events).
 *
 *   idle --start--> startingWorker(plan) --workerReady--> loadingData(teacher) --dataLoaded--> loadingTeacher --teacherSettled--> studioReady
 *                                             \--(MNIST: already loaded)--------------------> loadingTeacher
 *   any started state --workerRestarted(what was loaded)--> startingWorker(reload)
 *   any state --workerFailed--> failed (final, unless the client restarts a worker that had answered)
 *
 * The plan says what to open once the worker is ready: a shared link, else the last visit's data set,
 * or, after a restart, what the dead worker held. A data set the user loads later also brings its
 * shipped teacher (studioReady --dataLoaded--> loadingTeacher).
 */

/** What a restarted worker loads again: the built-in data set and the shipped teacher that were loaded. */
export interface Reload {
  data: DataSource | null;
  teacher: string | undefined;
}

export type StartPlan = { kind: 'shared'; shared: SharedExperiment } | { kind: 'lastData' } | { kind: 'reload'; reload: Reload };

export type StartupState =
  | { name: 'idle' }
  | { name: 'startingWorker'; plan: StartPlan }
  /** `teacher`: the shipped teacher to load once the data set is in (a shared link's, or the one before a restart). */
  | { name: 'loadingData'; teacher: string | undefined }
  | { name: 'loadingTeacher' }
  | { name: 'studioReady' }
  | { name: 'failed'; reason: string };

export type StartupEvent =
  | { type: 'start'; shared: SharedExperiment | null }
  /** `lastData`: the built-in data set remembered from the last visit. */
  | { type: 'workerReady'; lastData: DataSource | null }
  | { type: 'dataLoaded' }
  | { type: 'dataFailed' }
  /** The shipped teacher is in, failed, or there was none to load. */
  | { type: 'teacherSettled' }
  | { type: 'workerRestarted'; reload: Reload }
  | { type: 'workerFailed'; reason: string };

export type StartupEffect =
  | { type: 'applyShared'; experiment: ExperimentConfig }
  | { type: 'sharedLinkFailed'; error: string }
  | { type: 'loadData'; source: DataSource; label: string }
  /** `id` undefined: the default shipped teacher for the data set. */
  | { type: 'loadShippedTeacher'; id: string | undefined };

export interface Step {
  state: StartupState;
  effects: StartupEffect[];
}

export const IDLE: StartupState = { name: 'idle' };

type StateName = StartupState['name'];
type EventType = StartupEvent['type'];
type Handler<S extends StateName, E extends EventType> = (
  state: Extract<StartupState, { name: S }>,
  event: Extract<StartupEvent, { type: E }>,
) => Step;

/** The transition table: an event a state does not list leaves it as it is. */
type Table = { [S in StateName]: { [E in EventType]?: Handler<S, E> } };

const stay = (state: StartupState): Step => ({ state, effects: [] });
const restart = (_: StartupState, e: Extract<StartupEvent, { type: 'workerRestarted' }>): Step => ({
  state: { name: 'startingWorker', plan: { kind: 'reload', reload: e.reload } },
  effects: [],
});
const fail = (_: StartupState, e: Extract<StartupEvent, { type: 'workerFailed' }>): Step => ({
  state: { name: 'failed', reason: e.reason },
  effects: [],
});
const teacherFor = (id: string | undefined): Step => ({ state: { name: 'loadingTeacher' }, effects: [{ type: 'loadShippedTeacher', id }] });

/** MNIST is loaded by the worker's init; any other built-in set is loaded, then its teacher. */
function openData(source: DataSource | null, teacher: string | undefined, label: string, before: StartupEffect[] = []): Step {
  if (source && source.kind !== 'mnist')
    return { state: { name: 'loadingData', teacher }, effects: [...before, { type: 'loadData', source, label }] };
  const next = teacherFor(teacher);
  return { state: next.state, effects: [...before, ...next.effects] };
}

function openPlan(plan: StartPlan, lastData: DataSource | null): Step {
  switch (plan.kind) {
    case 'reload':
      return openData(plan.reload.data, plan.reload.teacher, 'Reloading the data set after the restart');
    case 'lastData':
      return openData(lastData, undefined, 'Reopening the last data set');
    case 'shared': {
      const { shared } = plan;
      if ('error' in shared) return openData(null, undefined, '', [{ type: 'sharedLinkFailed', error: shared.error }]);
      const e = shared.experiment;
      const teacher = e.teacher.kind === 'shipped' ? e.teacher.id : undefined;
      return openData(builtInSource(e.data), teacher, "Loading the shared experiment's data set", [{ type: 'applyShared', experiment: e }]);
    }
  }
}

const TABLE: Table = {
  idle: {
    start: (_, e) => stay({ name: 'startingWorker', plan: e.shared ? { kind: 'shared', shared: e.shared } : { kind: 'lastData' } }),
    workerFailed: fail,
  },
  startingWorker: {
    workerReady: (s, e) => openPlan(s.plan, e.lastData),
    workerRestarted: restart,
    workerFailed: fail,
  },
  loadingData: {
    dataLoaded: (s) => teacherFor(s.teacher),
    dataFailed: () => stay({ name: 'studioReady' }),
    workerRestarted: restart,
    workerFailed: fail,
  },
  loadingTeacher: {
    teacherSettled: () => stay({ name: 'studioReady' }),
    dataLoaded: () => teacherFor(undefined),
    workerRestarted: restart,
    workerFailed: fail,
  },
  studioReady: {
    dataLoaded: () => teacherFor(undefined),
    workerRestarted: restart,
    workerFailed: fail,
  },
  failed: {
    // The client restarts only a worker that had answered (one whose init failed, say): a new one gets the usual reload.
    workerRestarted: restart,
  },
};

export function transition(state: StartupState, event: StartupEvent): Step {
  const handler: Handler<StateName, EventType> | undefined = pick(TABLE[state.name], event.type);
  return handler ? handler(state, event) : stay(state);
}

/** The table's handler for `type`, widened: each row is typed for its own state, and `state.name` picked the row. */
function pick(row: Table[StateName], type: EventType): Handler<StateName, EventType> | undefined {
  return (row as { [E in EventType]?: Handler<StateName, EventType> })[type];
}
