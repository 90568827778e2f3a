import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../core/experiment';
import { IDLE, transition, type StartupEvent, type StartupState } from './startup-machine';

const iris = { kind: 'iris' as const, seed: 1 };
const experiment = (data: ExperimentConfig['data'], teacher: ExperimentConfig['teacher']): ExperimentConfig => ({
  version: 1,
  data,
  teacher,
  student: { kind: 'preset', preset: 'mlp-64' },
  loss: { temperature: 4, alpha: 0.9, scaleByT2: true, logitMse: 0, hint: null },
  transfer: { labelledFraction: 1, omitClass: null, jitter: 0 },
  optimiser: { name: 'adam', learningRate: 0.001, batchSize: 64, epochs: 1 },
  seed: 1,
});

/** Runs events from `state`, collecting the states passed and every effect. */
function run(state: StartupState, ...events: StartupEvent[]) {
  const names: string[] = [];
  const effects = [];
  for (const event of events) {
    const step = transition(state, event);
    state = step.state;
    names.push(state.name);
    effects.push(...step.effects);
  }
  return { state, names, effects };
}

describe('the start-up machine', () => {
  it('a first visit: worker, MNIST already loaded, its default shipped teacher, ready', () => {
    const { names, effects } = run(
      IDLE,
      { type: 'start', shared: null },
      { type: 'workerReady', lastData: null },
      { type: 'teacherSettled' },
    );
    expect(names).toEqual(['startingWorker', 'loadingTeacher', 'studioReady']);
    expect(effects).toEqual([{ type: 'loadShippedTeacher', id: undefined }]);
  });

  it('a return visit reopens the last built-in data set, then loads its teacher', () => {
    const { names, effects } = run(
      IDLE,
      { type: 'start', shared: null },
      { type: 'workerReady', lastData: iris },
      { type: 'dataLoaded' },
      { type: 'teacherSettled' },
    );
    expect(names).toEqual(['startingWorker', 'loadingData', 'loadingTeacher', 'studioReady']);
    expect(effects).toEqual([
      { type: 'loadData', source: iris, label: 'Reopening the last data set' },
      { type: 'loadShippedTeacher', id: undefined },
    ]);
  });

  it('a last data set that fails to load leaves the studio ready on MNIST', () => {
    const { state } = run(IDLE, { type: 'start', shared: null }, { type: 'workerReady', lastData: iris }, { type: 'dataFailed' });
    expect(state).toEqual({ name: 'studioReady' });
  });

  it('a shared link wins over the last data set: its settings, its data set, then the teacher it names', () => {
    const e = experiment(iris, { kind: 'shipped', id: 'iris-mlp' });
    const { names, effects } = run(
      IDLE,
      { type: 'start', shared: { experiment: e } },
      { type: 'workerReady', lastData: { kind: 'toy', toy: 'spiral', size: 100, noise: 0, seed: 1 } },
      { type: 'dataLoaded' },
    );
    expect(names).toEqual(['startingWorker', 'loadingData', 'loadingTeacher']);
    expect(effects).toEqual([
      { type: 'applyShared', experiment: e },
      { type: 'loadData', source: iris, label: "Loading the shared experiment's data set" },
      { type: 'loadShippedTeacher', id: 'iris-mlp' },
    ]);
  });

  it('a shared link on MNIST, or naming files, goes straight to the teacher', () => {
    const e = experiment({ kind: 'mnist' }, { kind: 'uploaded', fileName: 't.zip' });
    expect(run(IDLE, { type: 'start', shared: { experiment: e } }, { type: 'workerReady', lastData: iris }).effects).toEqual([
      { type: 'applyShared', experiment: e },
      { type: 'loadShippedTeacher', id: undefined },
    ]);
  });

  it('a damaged shared link says so and opens the default teacher', () => {
    const { state, effects } = run(
      IDLE,
      { type: 'start', shared: { error: 'The link is damaged.' } },
      { type: 'workerReady', lastData: iris },
    );
    expect(state.name).toBe('loadingTeacher');
    expect(effects).toEqual([
      { type: 'sharedLinkFailed', error: 'The link is damaged.' },
      { type: 'loadShippedTeacher', id: undefined },
    ]);
  });

  it.each<StartupState>([
    { name: 'startingWorker', plan: { kind: 'lastData' } },
    { name: 'loadingData', teacher: 'x' },
    { name: 'loadingTeacher' },
    { name: 'studioReady' },
  ])('a worker restart from %o reloads what was loaded: the data set, then the same shipped teacher', (from) => {
    const reload = { data: iris, teacher: 'iris-mlp' };
    const { names, effects } = run(
      from,
      { type: 'workerRestarted', reload },
      { type: 'workerReady', lastData: null },
      { type: 'dataLoaded' },
      { type: 'teacherSettled' },
    );
    expect(names).toEqual(['startingWorker', 'loadingData', 'loadingTeacher', 'studioReady']);
    expect(effects).toEqual([
      { type: 'loadData', source: iris, label: 'Reloading the data set after the restart' },
      { type: 'loadShippedTeacher', id: 'iris-mlp' },
    ]);
  });

  it('a restart on MNIST (loaded by the worker itself) reloads only the teacher, and ignores the last visit', () => {
    const { effects } = run(
      { name: 'studioReady' },
      { type: 'workerRestarted', reload: { data: { kind: 'mnist' }, teacher: 'mnist-cnn' } },
      { type: 'workerReady', lastData: iris },
    );
    expect(effects).toEqual([{ type: 'loadShippedTeacher', id: 'mnist-cnn' }]);
  });

  it('a data set the user loads later brings its default teacher', () => {
    const { names, effects } = run({ name: 'studioReady' }, { type: 'dataLoaded' }, { type: 'teacherSettled' });
    expect(names).toEqual(['loadingTeacher', 'studioReady']);
    expect(effects).toEqual([{ type: 'loadShippedTeacher', id: undefined }]);
  });

  it('a worker that fails to start ends start-up: a late ready loads nothing', () => {
    const { state, effects } = run(
      IDLE,
      { type: 'start', shared: null },
      { type: 'workerFailed', reason: 'no WebAssembly' },
      { type: 'workerReady', lastData: iris },
      { type: 'dataLoaded' },
    );
    expect(state).toEqual({ name: 'failed', reason: 'no WebAssembly' });
    expect(effects).toEqual([]);
  });

  it('a failed worker that the client restarts (it had answered) starts over with the usual reload', () => {
    const { names, effects } = run(
      { name: 'failed', reason: 'init failed' },
      { type: 'workerRestarted', reload: { data: iris, teacher: undefined } },
      { type: 'workerReady', lastData: null },
    );
    expect(names).toEqual(['startingWorker', 'loadingData']);
    expect(effects).toEqual([{ type: 'loadData', source: iris, label: 'Reloading the data set after the restart' }]);
  });

  it('events a state does not expect change nothing', () => {
    expect(transition(IDLE, { type: 'dataLoaded' })).toEqual({ state: IDLE, effects: [] });
    expect(transition({ name: 'studioReady' }, { type: 'start', shared: null })).toEqual({ state: { name: 'studioReady' }, effects: [] });
    expect(transition({ name: 'loadingData', teacher: undefined }, { type: 'teacherSettled' }).state.name).toBe('loadingData');
  });
});
