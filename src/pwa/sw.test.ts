import { beforeEach, describe, expect, it } from 'vitest';
import { offlineText } from './OfflineStatus';
import { CACHE_PREFIX, HASH_HEADER, type PrecacheManifest, type SwMessage } from './protocol';
import { applySwMessage, getOfflineState, type OfflineState } from './register';
import { createServiceWorker, withHeaders, type CacheLike, type ExtendableEventLike, type FetchEventLike, type MessageEventLike, type SwScope } from './sw';

const ORIGIN = 'https://studio.test';
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const MANIFEST: PrecacheManifest = {
  version: 'v2',
  entries: [
    { url: './', size: 1000, hash: 'h-page' },
    { url: 'assets/index-abc.js', size: 3000, hash: 'h-app' },
    { url: 'assets/distill.worker-def.js', size: 4000, hash: 'h-worker' },
    { url: 'data/mnist-10k.bin', size: 2000, hash: 'h-mnist' },
  ],
  documentHeaders: { ...ISOLATION, 'Content-Security-Policy': "default-src 'self'" },
};

class FakeCache implements CacheLike {
  readonly entries = new Map<string, { body: ArrayBuffer; init: ResponseInit }>();
  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    const hit = this.entries.get(String(request instanceof Request ? request.url : request));
    return hit ? new Response(hit.body.slice(0), hit.init) : undefined;
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    const init = { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) };
    this.entries.set(String(request instanceof Request ? request.url : request), { body: await response.arrayBuffer(), init });
  }
  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
}

type Listener = (event: never) => void;

/** A service worker scope with in-memory caches and a network that is a map of URL to body (or down). */
function fakeScope(network: Map<string, string>) {
  const caches = new Map<string, FakeCache>();
  const listeners = new Map<string, Listener>();
  const told: SwMessage[] = [];
  const fetched: { url: string; cache?: RequestCache }[] = [];
  const calls = { skipWaiting: 0, claim: 0 };
  const state = { online: true, headers: { ...ISOLATION } as Record<string, string> };
  const scope: SwScope = {
    location: { href: `${ORIGIN}/sw.js` },
    caches: {
      async open(name) {
        let cache = caches.get(name);
        if (!cache) caches.set(name, (cache = new FakeCache()));
        return cache;
      },
      async keys() {
        return [...caches.keys()];
      },
      async delete(name) {
        return caches.delete(name);
      },
    },
    clients: {
      async matchAll() {
        return [{ postMessage: (m: unknown) => told.push(m as SwMessage) }];
      },
      async claim() {
        calls.claim++;
      },
    },
    async fetch(input) {
      const request = input as Request;
      fetched.push({ url: request.url, cache: request.cache });
      if (!state.online) throw new TypeError('Failed to fetch');
      const url = new URL(request.url);
      const body = network.get(url.origin + url.pathname); // a server ignores the query, as vite preview does
      return body === undefined ? new Response('no', { status: 404 }) : new Response(body, { headers: state.headers });
    },
    async skipWaiting() {
      calls.skipWaiting++;
    },
    addEventListener(type: string, listener: Listener) {
      listeners.set(type, listener);
    },
  };

  function extendable<E extends ExtendableEventLike>(extra: Omit<E, 'waitUntil'>): { event: E; done: () => Promise<unknown[]> } {
    const pending: Promise<unknown>[] = [];
    const event = { ...extra, waitUntil: (p: Promise<unknown>) => void pending.push(p) } as E;
    return { event, done: () => Promise.all(pending) };
  }

  async function dispatch(type: 'install' | 'activate'): Promise<void> {
    const { event, done } = extendable<ExtendableEventLike>({});
    (listeners.get(type) as (e: ExtendableEventLike) => void)(event);
    await done();
  }

  /** The response the worker gives, or null when it lets the request through to the network. */
  async function request(url: string, init: { mode?: RequestMode; destination?: RequestDestination; method?: string } = {}): Promise<Response | null> {
    let answer: Promise<Response> | Response | null = null;
    const req = { url, method: init.method ?? 'GET', mode: init.mode ?? 'cors', destination: init.destination ?? '', cache: 'default' } as Request;
    const event: FetchEventLike = { request: req, respondWith: (r) => void (answer = r), waitUntil: () => undefined };
    (listeners.get('fetch') as (e: FetchEventLike) => void)(event);
    return answer === null ? null : await answer;
  }

  async function message(data: unknown): Promise<unknown[]> {
    const replies: unknown[] = [];
    const { event, done } = extendable<MessageEventLike>({ data, source: { postMessage: (m: unknown) => replies.push(m) } });
    (listeners.get('message') as (e: MessageEventLike) => void)(event);
    await done();
    return replies;
  }

  return { scope, caches, told, fetched, calls, state, dispatch, request, message };
}

function network(): Map<string, string> {
  return new Map([
    [`${ORIGIN}/`, '<!doctype html><title>Distill Studio</title>'],
    [`${ORIGIN}/assets/index-abc.js`, 'console.log("app")'],
    [`${ORIGIN}/assets/distill.worker-def.js`, 'console.log("worker")'],
    [`${ORIGIN}/data/mnist-10k.bin`, 'pixels'],
  ]);
}

async function installed(net = network()) {
  const sw = fakeScope(net);
  createServiceWorker(sw.scope, MANIFEST);
  await sw.dispatch('install');
  await sw.dispatch('activate');
  sw.fetched.length = 0;
  return sw;
}

describe('service worker', () => {
  it('precaches every listed file, revalidated with the server, tells the progress by bytes, then takes over', async () => {
    const sw = fakeScope(network());
    createServiceWorker(sw.scope, MANIFEST);
    await sw.dispatch('install');
    const cache = sw.caches.get(`${CACHE_PREFIX}v2`);
    expect([...(cache?.entries.keys() ?? [])].sort()).toEqual([...network().keys()].sort());
    expect(sw.fetched.every((f) => f.cache === 'no-cache')).toBe(true);
    const progress = sw.told.filter((m) => m.type === 'distill-sw:progress');
    expect(progress[0]).toMatchObject({ done: 0, total: 10_000 });
    expect(progress.at(-1)).toMatchObject({ done: 10_000, total: 10_000 });
    expect(sw.calls.skipWaiting).toBe(1);
  });

  it('on activation deletes the caches of other builds (only ours), claims the pages and says it is ready', async () => {
    const sw = fakeScope(network());
    await sw.scope.caches.open(`${CACHE_PREFIX}v1`);
    await sw.scope.caches.open('someone-else');
    createServiceWorker(sw.scope, MANIFEST);
    await sw.dispatch('install');
    await sw.dispatch('activate');
    expect([...sw.caches.keys()].sort()).toEqual([`${CACHE_PREFIX}v2`, 'someone-else']);
    expect(sw.calls.claim).toBe(1);
    expect(sw.told.at(-1)).toEqual({ type: 'distill-sw:ready', version: 'v2' });
  });

  it('a new build copies the files whose hash is unchanged from the previous cache and downloads only the rest', async () => {
    const sw = await installed();
    const next: PrecacheManifest = {
      ...MANIFEST,
      version: 'v3',
      entries: MANIFEST.entries.map((e) => (e.url === 'assets/index-abc.js' ? { ...e, hash: 'h-app-2' } : e)),
    };
    createServiceWorker(sw.scope, next);
    await sw.dispatch('install');
    expect(sw.fetched.map((f) => f.url)).toEqual([`${ORIGIN}/assets/index-abc.js`]);
    expect(sw.caches.get(`${CACHE_PREFIX}v3`)?.entries.size).toBe(4);
    expect(new Headers(sw.caches.get(`${CACHE_PREFIX}v3`)?.entries.get(`${ORIGIN}/data/mnist-10k.bin`)?.init.headers).get(HASH_HEADER)).toBe('h-mnist');
  });

  it('fails the install when a file cannot be fetched, and keeps what it got for the next try', async () => {
    const net = network();
    net.delete(`${ORIGIN}/data/mnist-10k.bin`);
    const sw = fakeScope(net);
    createServiceWorker(sw.scope, MANIFEST);
    await expect(sw.dispatch('install')).rejects.toThrow('/data/mnist-10k.bin: HTTP 404');
    expect(sw.told.at(-1)).toMatchObject({ type: 'distill-sw:failed', message: '/data/mnist-10k.bin: HTTP 404' });
    expect(sw.calls.skipWaiting).toBe(0);

    net.set(`${ORIGIN}/data/mnist-10k.bin`, 'pixels');
    sw.fetched.length = 0;
    await sw.dispatch('install');
    expect(sw.fetched.map((f) => f.url)).toEqual([`${ORIGIN}/data/mnist-10k.bin`]);
  });

  it('serves the page from the network when online, and the saved copy, whatever the query, when not', async () => {
    const sw = await installed();
    const online = await sw.request(`${ORIGIN}/?backend=wasm`, { mode: 'navigate', destination: 'document' });
    expect(sw.fetched).toHaveLength(1);
    expect(await online?.text()).toContain('Distill Studio');

    sw.state.online = false;
    const offline = await sw.request(`${ORIGIN}/?backend=wasm&bench=1`, { mode: 'navigate', destination: 'document' });
    expect(offline?.status).toBe(200);
    expect(await offline?.text()).toContain('Distill Studio');
    expect(offline?.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(offline?.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });

  it('re-adds the isolation headers and the CSP to a page that lacks them (a host that omits them, or an old copy)', async () => {
    const sw = fakeScope(network());
    sw.state.headers = { 'Content-Type': 'text/html' };
    createServiceWorker(sw.scope, MANIFEST);
    await sw.dispatch('install');
    sw.state.online = false;
    const page = await sw.request(`${ORIGIN}/index.html`, { mode: 'navigate', destination: 'document' });
    expect(page?.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(page?.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(page?.headers.get('Content-Security-Policy')).toBe("default-src 'self'");
    expect(page?.headers.get('Content-Type')).toBe('text/html');

    const worker = await sw.request(`${ORIGIN}/assets/distill.worker-def.js`, { destination: 'worker' });
    expect(worker?.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(worker?.headers.has('Content-Security-Policy')).toBe(false);
  });

  it('serves listed files from the cache without the network, and fetches one the browser evicted', async () => {
    const sw = await installed();
    sw.state.online = false;
    expect(await (await sw.request(`${ORIGIN}/data/mnist-10k.bin`))?.text()).toBe('pixels');
    expect(await (await sw.request(`${ORIGIN}/assets/index-abc.js`, { destination: 'script' }))?.text()).toBe('console.log("app")');
    expect(sw.fetched).toEqual([]);

    sw.state.online = true;
    sw.caches.get(`${CACHE_PREFIX}v2`)?.entries.delete(`${ORIGIN}/data/mnist-10k.bin`);
    expect(await (await sw.request(`${ORIGIN}/data/mnist-10k.bin`))?.text()).toBe('pixels');
    expect(sw.fetched.map((f) => f.url)).toEqual([`${ORIGIN}/data/mnist-10k.bin`]);
  });

  it('leaves alone other methods, other origins, files it does not list and listed files with a query', async () => {
    const sw = await installed();
    expect(await sw.request(`${ORIGIN}/data/mnist-10k.bin`, { method: 'POST' })).toBeNull();
    expect(await sw.request('https://elsewhere.test/data/mnist-10k.bin')).toBeNull();
    expect(await sw.request(`${ORIGIN}/assets/unknown.js`)).toBeNull();
    expect(await sw.request(`${ORIGIN}/data/mnist-10k.bin?v=2`)).toBeNull();
    expect(await sw.request(`${ORIGIN}/models/elsewhere.html`, { mode: 'navigate' })).toBeNull();
  });

  it('answers a status query, and tops up a cache the browser partly evicted', async () => {
    const sw = await installed();
    expect(await sw.message({ type: 'distill-sw:status?' })).toEqual([{ type: 'distill-sw:status', version: 'v2', ready: true, done: 10_000, total: 10_000 }]);

    sw.caches.get(`${CACHE_PREFIX}v2`)?.entries.delete(`${ORIGIN}/assets/index-abc.js`);
    expect(await sw.message({ type: 'distill-sw:status?' })).toEqual([{ type: 'distill-sw:status', version: 'v2', ready: false, done: 7000, total: 10_000 }]);
    expect(sw.fetched.map((f) => f.url)).toEqual([`${ORIGIN}/assets/index-abc.js`]);
    expect(sw.told.at(-1)).toEqual({ type: 'distill-sw:ready', version: 'v2' });
    expect(await sw.message({ type: 'something else' })).toEqual([]);
  });

  it('withHeaders leaves opaque and complete responses as they are', () => {
    const error = Response.error();
    expect(withHeaders(error, ISOLATION)).toBe(error);
    const complete = new Response('x', { headers: ISOLATION });
    expect(withHeaders(complete, ISOLATION)).toBe(complete);
  });
});

describe('offline status line', () => {
  const base: OfflineState = { phase: 'preparing', percent: 0, online: true, controlled: false, error: null };
  beforeEach(() => applySwMessage({ type: 'distill-sw:status', version: 'v', ready: false, done: 0, total: 1 }));

  it('follows the service worker: progress by bytes, then ready, and a new build caching does not undo ready', () => {
    applySwMessage({ type: 'distill-sw:progress', version: 'v', done: 250, total: 1000 });
    expect(getOfflineState()).toMatchObject({ phase: 'preparing', percent: 25 });
    applySwMessage({ type: 'distill-sw:ready', version: 'v' });
    expect(getOfflineState().phase).toBe('ready');
    applySwMessage({ type: 'distill-sw:progress', version: 'w', done: 1, total: 1000 });
    applySwMessage({ type: 'distill-sw:failed', version: 'w', message: 'HTTP 500' });
    expect(getOfflineState().phase).toBe('ready');
  });

  it('reports a failed caching', () => {
    applySwMessage({ type: 'distill-sw:failed', version: 'v', message: '/data/mnist-10k.bin: HTTP 404' });
    expect(getOfflineState()).toMatchObject({ phase: 'failed', error: '/data/mnist-10k.bin: HTTP 404' });
  });

  it('says what the user can count on', () => {
    expect(offlineText({ ...base, percent: 42 })).toBe('Preparing offline use… 42%');
    expect(offlineText({ ...base, phase: 'ready' })).toBe('Available offline');
    expect(offlineText({ ...base, phase: 'ready', online: false, controlled: true })).toBe('Offline: using the saved copy');
    expect(offlineText({ ...base, online: false })).toBe('Offline');
    expect(offlineText({ ...base, phase: 'failed' })).toMatch(/^Not yet available offline/);
    expect(offlineText({ ...base, phase: 'off' })).toBe('');
  });
});
