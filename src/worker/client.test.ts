import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorkerClient, type ClientOptions } from './client';
import type { FromWorker, ToWorker } from './protocol';

/** A stand-in for the browser's Worker: records what the page sends, and lets the test speak for the worker. */
class FakeWorker {
  static all: FakeWorker[] = [];
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(msg: ToWorker) {
    this.sent.push(msg);
  }
  terminate() {
    this.terminated = true;
  }
  say(msg: FromWorker) {
    this.onmessage?.({ data: msg });
  }
  crash(message: string) {
    this.onerror?.({ message, preventDefault: () => {} });
  }
  /** Answers every ping sent so far. */
  pong() {
    for (const m of this.sent) if (m.type === 'ping') this.say({ type: 'pong', id: m.id });
  }
}

function client(extra: Partial<ClientOptions> = {}) {
  const events: string[] = [];
  const c = createWorkerClient({
    dataUrl: '/data.bin',
    calibration: () => null,
    inject: { kind: 'worker-crash' },
    onMessage: (m) => events.push(`message ${m.type}`),
    onRestart: (why) => events.push(`restart: ${why}`),
    onDead: (why) => events.push(`dead: ${why}`),
    onSilence: (s) => events.push(`silence ${s}`),
    heartbeat: { pingEveryMs: 1000, silentAfterMs: 10_000 },
    ...extra,
  });
  return { c, events };
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

describe('the worker client', () => {
  it("restarts a worker that crashed, without the test-only injection, and drops the old run's messages", () => {
    const { c, events } = client();
    const first = FakeWorker.all[0];
    expect(first.sent[0]).toMatchObject({ type: 'init', inject: { kind: 'worker-crash' } });
    first.say({ type: 'initFailed', message: 'x' }); // it spoke: it was alive
    const run = c.distill({} as never, { name: 'run', dataset: 'MNIST' });
    first.crash('Uncaught Error: boom');
    expect(first.terminated).toBe(true);
    expect(events).toEqual(['message initFailed', 'restart: Uncaught Error: boom']);
    const second = FakeWorker.all[1];
    expect(second.sent[0]).toEqual({ type: 'init', backend: undefined, dataUrl: '/data.bin', calibration: null });
    second.say({ type: 'stopped', runId: run }); // a late message of the lost run
    expect(events).toHaveLength(2);
    second.onmessageerror?.();
    expect(events.at(-1)).toBe('restart: a message from the worker could not be read');
  });

  it('does not restart a worker that failed before it ever answered', () => {
    const { events } = client();
    FakeWorker.all[0].crash('Failed to load the worker script');
    expect(events).toEqual(['dead: Failed to load the worker script']);
    expect(FakeWorker.all).toHaveLength(1);
  });

  it('reports a long silence once, without killing the worker, and its end when it answers again', () => {
    const { c, events } = client();
    const w = FakeWorker.all[0];
    for (let i = 0; i < 9; i++) {
      vi.advanceTimersByTime(1000);
      w.pong(); // busy but answering: never silent
    }
    expect(events).toEqual([]);
    vi.advanceTimersByTime(11_000); // no answer for 10 s after a ping
    expect(events).toEqual(['silence 10']);
    vi.advanceTimersByTime(5_000);
    expect(events).toEqual(['silence 10']);
    expect(w.terminated).toBe(false);
    w.pong();
    expect(events).toEqual(['silence 10', 'silence null']);
    // The user's answer: restart it.
    c.restart('restarted from the page');
    expect(w.terminated).toBe(true);
    expect(events.at(-1)).toBe('restart: restarted from the page');
    expect(FakeWorker.all).toHaveLength(2);
  });
});

describe('a worker that keeps dying', () => {
  it('is restarted three times a minute at most', () => {
    const { events } = client();
    for (let i = 0; i < 4; i++) {
      const w = FakeWorker.all[i];
      w.say({ type: 'pong', id: 0 });
      w.crash(`crash ${i + 1}`);
    }
    expect(events).toEqual(['restart: crash 1', 'restart: crash 2', 'restart: crash 3', 'dead: crash 4']);
    expect(FakeWorker.all).toHaveLength(4);
  });
});
