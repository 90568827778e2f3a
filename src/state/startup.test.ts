import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetSummary } from '../core/data/types';
import type { Dropped, FromWorker, TeacherResult, ToWorker } from '../worker/protocol';

/** The browser's Worker, played by the test: what the page sends, and what the worker says. */
class FakeWorker {
  static all: FakeWorker[] = [];
  sent: ToWorker[] = [];
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(msg: ToWorker) {
    this.sent.push(msg);
  }
  terminate() {}
  say(msg: FromWorker) {
    this.onmessage?.({ data: msg });
  }
  last<T extends ToWorker['type']>(type: T): Extract<ToWorker, { type: T }> | undefined {
    return this.sent.filter((m): m is Extract<ToWorker, { type: T }> => m.type === type).at(-1);
  }
}

const mnist: DatasetSummary = {
  name: 'MNIST',
  family: 'mnist',
  numFeatures: 784,
  numClasses: 10,
  classNames: [],
  trainCount: 100,
  testCount: 10,
};
const backend = { name: 'cpu' as const, reason: 'r', detail: 'hardware', attempts: [] };
const teacher: TeacherResult = {
  testAccuracy: 0.99,
  agreement: 1,
  params: 1,
  bytes: 4,
  latencyMsPerSample: null,
  description: 'CNN',
  source: 'shipped',
  exportable: true,
  hintLayers: null,
};
const NOTHING: Dropped = { teacher: false, students: false, uploadedStudent: false };

async function page() {
  vi.resetModules();
  const startup = await import('./startup');
  const { useStudio } = await import('./store');
  const { useWorkerSession } = await import('./worker-session');
  const runActions = await import('./run-actions');
  return { ...startup, ...runActions, useStudio, session: () => useWorkerSession.getState() };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWorker.all = [];
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the studio, started against a fake worker', () => {
  it('opens on MNIST with its shipped teacher, through the start-up states', async () => {
    const { startStudio, useStudio, session } = await page();
    startStudio('', '');
    const worker = FakeWorker.all[0];
    expect(worker.sent[0]).toMatchObject({ type: 'init' });
    expect(session().startup.name).toBe('startingWorker');
    worker.say({ type: 'ready', backend, dataset: mnist });
    const load = worker.last('loadShippedTeacher');
    expect(load).toMatchObject({ url: '/models/mnist-cnn/model.json' });
    expect(session().startup.name).toBe('loadingTeacher');
    worker.say({ type: 'teacherLoaded', requestId: load?.requestId ?? -1, teacher, dropped: NOTHING });
    expect(session().startup.name).toBe('studioReady');
    expect(useStudio.getState()).toMatchObject({ teacher, teacherDescriptor: { kind: 'shipped', id: 'mnist-cnn' }, teacherRequest: null });
  });

  it('?inject= reaches the worker in test builds only through TEST_HOOKS (on here, in vitest)', async () => {
    const { startStudio } = await page();
    startStudio('?inject=worker-crash', '');
    expect(FakeWorker.all[0].sent[0]).toMatchObject({ type: 'init', inject: { kind: 'worker-crash' } });
  });

  it('a worker that dies is replaced, and what was loaded comes back: the alert says what was lost', async () => {
    const { startStudio, startDistill, useStudio, session } = await page();
    startStudio('', '');
    const first = FakeWorker.all[0];
    first.say({ type: 'ready', backend, dataset: mnist });
    first.say({ type: 'teacherLoaded', requestId: first.last('loadShippedTeacher')?.requestId ?? -1, teacher, dropped: NOTHING });
    startDistill();
    expect(first.last('distill')?.keep).toEqual({ name: 'MLP 64 · T 4 · α 0.9 · seed 1', dataset: 'MNIST' });
    first.onerror?.({ message: 'boom', preventDefault: () => {} });
    expect(useStudio.getState()).toMatchObject({ run: null, teacher: null, backend: null });
    expect(useStudio.getState().incident).toContain('The training worker stopped (boom). It was restarted; the run in progress was lost');
    const second = FakeWorker.all[1];
    expect(session().startup.name).toBe('startingWorker');
    second.say({ type: 'ready', backend, dataset: mnist });
    expect(second.last('loadShippedTeacher')).toMatchObject({ url: '/models/mnist-cnn/model.json' });
  });

  it('every subscriber of a message hears it, and a stale answer reaches none', async () => {
    const { startStudio, session } = await page();
    startStudio('', '');
    const worker = FakeWorker.all[0];
    const heard: string[] = [];
    session().bus.on('teacherFailed', () => heard.push('a'));
    session().bus.on('teacherFailed', () => heard.push('b'));
    worker.say({ type: 'ready', backend, dataset: mnist });
    const id = worker.last('loadShippedTeacher')?.requestId ?? -1;
    worker.say({ type: 'teacherFailed', requestId: id + 1, message: 'stale' });
    expect(heard).toEqual([]);
    worker.say({ type: 'teacherFailed', requestId: id, message: 'no such file' });
    expect(heard).toEqual(['a', 'b']);
  });

  it('a finished distillation goes to the run history with the student the worker saved; no export is asked for', async () => {
    const { startStudio, startDistill, session } = await page();
    startStudio('', '');
    const worker = FakeWorker.all[0];
    worker.say({ type: 'ready', backend, dataset: mnist });
    worker.say({ type: 'teacherLoaded', requestId: worker.last('loadShippedTeacher')?.requestId ?? -1, teacher, dropped: NOTHING });
    startDistill();
    const distill = worker.last('distill');
    if (!distill) throw new Error('Distill sent nothing');
    const finished: unknown[] = [];
    session().bus.on('runFinished', (e) => finished.push(e));
    const model = { ...teacher, description: 'MLP' };
    worker.say({
      type: 'distillDone',
      runId: distill.runId,
      results: { teacher, distilled: model, scratch: model, config: distill.config },
      student: { libraryId: 12, bytes: 400 },
    });
    expect(finished).toMatchObject([
      { run: { dataset: 'MNIST', experiment: { data: { kind: 'mnist' } } }, student: { libraryId: 12, bytes: 400 } },
    ]);
    expect(worker.last('exportModel')).toBeUndefined();
  });
});
