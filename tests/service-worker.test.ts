import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSP_HEADER } from '../src/pwa/headers';
import type { SwMessage } from '../src/pwa/protocol';

/**
 * The real service worker (src/pwa/sw.ts with workbox, bundled as the build bundles it) run in a
 * fake service worker scope: in-memory caches, a network that is a map of URL to body (or down),
 * events dispatched by hand. Only `self.__WB_MANIFEST` is filled in by the test instead of the build.
 */

const ORIGIN = 'https://studio.test';
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

interface Entry {
  url: string;
  revision: string | null;
  bytes: number;
}

/** As the build lists them: hashed assets without a revision, the rest with one. */
const MANIFEST: Entry[] = [
  { url: 'index.html', revision: 'r-page', bytes: 1000 },
  { url: 'assets/index-abc.js', revision: null, bytes: 3000 },
  { url: 'assets/distill.worker-def.js', revision: null, bytes: 4000 },
  { url: 'data/mnist-10k.bin', revision: 'r-mnist', bytes: 2000 },
];

let swSource = '';

beforeAll(async () => {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL('../src/pwa/sw.ts', import.meta.url)), formats: ['iife'], name: 'sw' },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result) as Rolldown.RolldownOutput;
  swSource = output.output[0].code;
  expect(swSource.split('self.__WB_MANIFEST').length).toBe(2);
}, 60_000);

class FakeCache {
  readonly entries = new Map<string, { body: ArrayBuffer; init: ResponseInit }>();
  private static key(request: RequestInfo | URL, ignoreSearch = false): string {
    const url = new URL(request instanceof Request ? request.url : String(request));
    if (ignoreSearch) url.search = '';
    return url.href;
  }
  async match(request: RequestInfo | URL, options?: CacheQueryOptions): Promise<Response | undefined> {
    const wanted = FakeCache.key(request, options?.ignoreSearch);
    for (const [url, hit] of this.entries)
      if (FakeCache.key(url, options?.ignoreSearch) === wanted) return new Response(hit.body.slice(0), hit.init);
    return undefined;
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    const init = { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) };
    this.entries.set(FakeCache.key(request), { body: await response.arrayBuffer(), init });
  }
  async keys(request?: RequestInfo | URL, options?: CacheQueryOptions): Promise<Request[]> {
    const all = [...this.entries.keys()];
    const wanted = request === undefined ? null : FakeCache.key(request, options?.ignoreSearch);
    return all.filter((url) => wanted === null || FakeCache.key(url, options?.ignoreSearch) === wanted).map((url) => new Request(url));
  }
  async delete(request: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(FakeCache.key(request));
  }
}

/** Requests as a browser makes them for a page or a worker script (Node's Request cannot be built with mode 'navigate'). */
class PageRequest extends Request {
  override get mode(): RequestMode {
    return 'navigate';
  }
  override get destination(): RequestDestination {
    return 'document';
  }
}
class WorkerScriptRequest extends Request {
  override get destination(): RequestDestination {
    return 'worker';
  }
}

class FakeFetchEvent {
  readonly type = 'fetch';
  readonly preloadResponse = undefined;
  answer: Promise<Response> | null = null;
  constructor(
    readonly request: Request,
    private readonly pending: Promise<unknown>[],
  ) {}
  respondWith(response: Promise<Response> | Response): void {
    this.answer = Promise.resolve(response);
  }
  waitUntil(promise: Promise<unknown>): void {
    this.pending.push(promise);
  }
}

type Listener = (event: unknown) => void;

function network(): Map<string, string> {
  return new Map([
    [`${ORIGIN}/index.html`, '<!doctype html><title>Distill Studio</title>'],
    [`${ORIGIN}/`, '<!doctype html><title>Distill Studio</title>'],
    [`${ORIGIN}/assets/index-abc.js`, 'console.log("app")'],
    [`${ORIGIN}/assets/distill.worker-def.js`, 'console.log("worker")'],
    [`${ORIGIN}/data/mnist-10k.bin`, 'pixels'],
  ]);
}

/** A scope with the service worker started in it. Caches may be handed over from a previous one (the same browser, a new build). */
function startServiceWorker(manifest: Entry[], net = network(), caches = new Map<string, FakeCache>()) {
  const listeners = new Map<string, Listener[]>();
  const told: SwMessage[] = [];
  const fetched: { url: string; cache: RequestCache }[] = [];
  const calls = { skipWaiting: 0, claim: 0 };
  const state = { online: true, headers: { ...ISOLATION } as Record<string, string> };

  const cacheStorage = {
    async open(name: string) {
      const cache = caches.get(name) ?? new FakeCache();
      caches.set(name, cache);
      return cache;
    },
    async keys() {
      return [...caches.keys()];
    },
    async has(name: string) {
      return caches.has(name);
    },
    async delete(name: string) {
      return caches.delete(name);
    },
    async match(request: RequestInfo | URL, options?: MultiCacheQueryOptions) {
      for (const [name, cache] of caches) {
        if (options?.cacheName && name !== options.cacheName) continue;
        const hit = await cache.match(request, options);
        if (hit) return hit;
      }
      return undefined;
    },
  };
  const self = {
    __WB_MANIFEST: manifest,
    location: new URL(`${ORIGIN}/sw.js`),
    registration: { scope: `${ORIGIN}/` },
    caches: cacheStorage,
    clients: {
      async matchAll() {
        return [{ postMessage: (m: SwMessage) => told.push(m) }];
      },
      async claim() {
        calls.claim++;
      },
    },
    async skipWaiting() {
      calls.skipWaiting++;
    },
    addEventListener(type: string, listener: Listener) {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
  };
  async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    fetched.push({ url: request.url, cache: request.cache });
    if (!state.online) throw new TypeError('Failed to fetch');
    const url = new URL(request.url);
    const body = net.get(url.origin + url.pathname); // a server ignores the query, as vite preview does
    return body === undefined ? new Response('no', { status: 404 }) : new Response(body, { headers: state.headers });
  }

  // The bundle reads these as globals, as a service worker does.
  const run = new Function('self', 'location', 'registration', 'caches', 'clients', 'fetch', 'FetchEvent', swSource);
  run(self, self.location, self.registration, cacheStorage, self.clients, fetch, FakeFetchEvent);

  async function settle(pending: Promise<unknown>[]): Promise<void> {
    // Work started inside waitUntil may itself call waitUntil.
    for (let seen = -1; seen !== pending.length; ) {
      seen = pending.length;
      await Promise.all(pending);
    }
  }

  async function dispatch(type: 'install' | 'activate'): Promise<void> {
    const pending: Promise<unknown>[] = [];
    const event = { type, waitUntil: (p: Promise<unknown>) => void pending.push(p) };
    for (const l of listeners.get(type) ?? []) l(event);
    await settle(pending);
  }

  /** The response the worker gives, or null when it lets the request through to the network. */
  async function request(req: Request): Promise<Response | null> {
    const pending: Promise<unknown>[] = [];
    const event = new FakeFetchEvent(req, pending);
    for (const l of listeners.get('fetch') ?? []) l(event);
    const answer = event.answer === null ? null : await event.answer;
    await settle(pending);
    return answer;
  }

  async function message(data: unknown): Promise<unknown[]> {
    const replies: unknown[] = [];
    const pending: Promise<unknown>[] = [];
    const event = {
      type: 'message',
      data,
      source: { postMessage: (m: unknown) => replies.push(m) },
      waitUntil: (p: Promise<unknown>) => void pending.push(p),
    };
    for (const l of listeners.get('message') ?? []) l(event);
    await settle(pending);
    return replies;
  }

  /** Every URL in the caches, without workbox's revision parameter. */
  const cachedUrls = () => [...caches.values()].flatMap((c) => [...c.entries.keys()]).map((u) => u.replace(/\?__WB_REVISION__=.*$/, ''));

  return { caches, told, fetched, calls, state, dispatch, request, message, cachedUrls };
}

async function installed(net = network()) {
  const sw = startServiceWorker(MANIFEST, net);
  await sw.dispatch('install');
  await sw.dispatch('activate');
  sw.fetched.length = 0;
  return sw;
}

const listed = MANIFEST.map((e) => `${ORIGIN}/${e.url}`).sort();

describe('the service worker (workbox, in a fake scope)', () => {
  it('precaches every listed file, bypassing the HTTP cache for revisioned ones, tells the progress by bytes, then takes over', async () => {
    const sw = startServiceWorker(MANIFEST);
    await sw.dispatch('install');
    expect(sw.cachedUrls().sort()).toEqual(listed);
    expect(sw.fetched.filter((f) => f.url.endsWith('mnist-10k.bin')).map((f) => f.cache)).toEqual(['reload']);
    const progress = sw.told.filter((m) => m.type === 'distill-sw:progress');
    expect(progress[0]).toEqual({ type: 'distill-sw:progress', done: 0, total: 10_000 });
    expect(progress.at(-1)).toEqual({ type: 'distill-sw:progress', done: 10_000, total: 10_000 });
    expect(progress).toHaveLength(MANIFEST.length + 1);
    expect(sw.calls.skipWaiting).toBe(1);
  });

  it('on activation deletes the old hand-written worker caches (only ours), claims the pages and says it is ready', async () => {
    const caches = new Map([
      ['distill-studio-0123abcd', new FakeCache()],
      ['someone-else', new FakeCache()],
    ]);
    const sw = startServiceWorker(MANIFEST, network(), caches);
    await sw.dispatch('install');
    await sw.dispatch('activate');
    expect([...caches.keys()]).not.toContain('distill-studio-0123abcd');
    expect([...caches.keys()]).toContain('someone-else');
    expect(sw.calls.claim).toBe(1);
    expect(sw.told.at(-1)).toEqual({ type: 'distill-sw:ready' });
  });

  it('a new build downloads only the files whose revision changed, and drops what it no longer lists', async () => {
    const first = await installed();
    const next = MANIFEST.filter((e) => e.url !== 'assets/index-abc.js').map((e) =>
      e.url === 'index.html' ? { ...e, revision: 'r-page-2' } : e,
    );
    next.push({ url: 'assets/index-xyz.js', revision: null, bytes: 3000 });
    const net = network();
    net.set(`${ORIGIN}/assets/index-xyz.js`, 'console.log("app 2")');
    const sw = startServiceWorker(next, net, first.caches);
    await sw.dispatch('install');
    expect(sw.fetched.map((f) => f.url).sort()).toEqual([`${ORIGIN}/assets/index-xyz.js`, `${ORIGIN}/index.html`]);
    await sw.dispatch('activate');
    expect(sw.cachedUrls().sort()).toEqual(next.map((e) => `${ORIGIN}/${e.url}`).sort());
  });

  it('fails the install when a file cannot be fetched, says so, and keeps what it got for the next try', async () => {
    const net = network();
    net.delete(`${ORIGIN}/data/mnist-10k.bin`);
    const sw = startServiceWorker(MANIFEST, net);
    await expect(sw.dispatch('install')).rejects.toThrow(/mnist-10k\.bin.*404/);
    const failed = sw.told.at(-1);
    expect(failed?.type).toBe('distill-sw:failed');
    expect(failed?.type === 'distill-sw:failed' && failed.message).toMatch(/mnist-10k\.bin.*404/);
    expect(sw.calls.skipWaiting).toBe(0);

    net.set(`${ORIGIN}/data/mnist-10k.bin`, 'pixels');
    sw.fetched.length = 0;
    await sw.dispatch('install');
    expect(sw.fetched.map((f) => f.url)).toEqual([`${ORIGIN}/data/mnist-10k.bin`]);
  });

  it('serves the page from the network when online, and the saved copy, whatever the query, when not', async () => {
    const sw = await installed();
    const online = await sw.request(new PageRequest(`${ORIGIN}/?backend=wasm`));
    expect(sw.fetched.map((f) => f.url)).toEqual([`${ORIGIN}/?backend=wasm`]);
    expect(await online?.text()).toContain('Distill Studio');

    sw.state.online = false;
    const offline = await sw.request(new PageRequest(`${ORIGIN}/?backend=wasm&bench=1`));
    expect(offline?.status).toBe(200);
    expect(await offline?.text()).toContain('Distill Studio');
    expect(offline?.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(offline?.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(offline?.headers.get('Content-Security-Policy')).toBe(CSP_HEADER);
  });

  it('adds the isolation headers and the CSP to a page that lacks them (a host that omits them, or an old copy), and the isolation headers to the worker script', async () => {
    const net = network();
    const sw = startServiceWorker(MANIFEST, net);
    sw.state.headers = { 'Content-Type': 'text/html' };
    await sw.dispatch('install');
    await sw.dispatch('activate');
    const fresh = await sw.request(new PageRequest(`${ORIGIN}/`));
    expect(fresh?.headers.get('Content-Security-Policy')).toBe(CSP_HEADER);

    sw.state.online = false;
    const page = await sw.request(new PageRequest(`${ORIGIN}/index.html`));
    expect(page?.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(page?.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(page?.headers.get('Content-Security-Policy')).toBe(CSP_HEADER);
    expect(page?.headers.get('Content-Type')).toBe('text/html');

    const worker = await sw.request(new WorkerScriptRequest(`${ORIGIN}/assets/distill.worker-def.js`));
    expect(await worker?.text()).toBe('console.log("worker")');
    expect(worker?.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(worker?.headers.has('Content-Security-Policy')).toBe(false);
    const script = await sw.request(new Request(`${ORIGIN}/assets/index-abc.js`));
    expect(script?.headers.has('Cross-Origin-Embedder-Policy')).toBe(false);
  });

  it('serves listed files from the cache without the network, and fetches one the browser evicted', async () => {
    const sw = await installed();
    sw.state.online = false;
    expect(await (await sw.request(new Request(`${ORIGIN}/data/mnist-10k.bin`)))?.text()).toBe('pixels');
    expect(await (await sw.request(new Request(`${ORIGIN}/assets/index-abc.js`)))?.text()).toBe('console.log("app")');
    expect(sw.fetched).toEqual([]);

    sw.state.online = true;
    for (const cache of sw.caches.values()) for (const key of cache.entries.keys()) if (key.includes('mnist')) cache.entries.delete(key);
    expect(await (await sw.request(new Request(`${ORIGIN}/data/mnist-10k.bin`)))?.text()).toBe('pixels');
    expect(sw.fetched.map((f) => f.url)).toEqual([`${ORIGIN}/data/mnist-10k.bin`]);
  });

  it('leaves alone other methods, other origins, files it does not list, listed files with a query and other pages', async () => {
    const sw = await installed();
    expect(await sw.request(new Request(`${ORIGIN}/data/mnist-10k.bin`, { method: 'POST', body: 'x' }))).toBeNull();
    expect(await sw.request(new Request('https://elsewhere.test/data/mnist-10k.bin'))).toBeNull();
    expect(await sw.request(new Request(`${ORIGIN}/assets/unknown.js`))).toBeNull();
    expect(await sw.request(new Request(`${ORIGIN}/data/mnist-10k.bin?v=2`))).toBeNull();
    expect(await sw.request(new PageRequest(`${ORIGIN}/models/elsewhere.html`))).toBeNull();
    expect(sw.fetched).toEqual([]);
  });

  it('answers a status query, and tops up a cache the browser partly evicted', async () => {
    const sw = await installed();
    expect(await sw.message({ type: 'distill-sw:status?' })).toEqual([
      { type: 'distill-sw:status', ready: true, done: 10_000, total: 10_000 },
    ]);

    for (const cache of sw.caches.values()) cache.entries.delete(`${ORIGIN}/assets/index-abc.js`);
    expect(await sw.message({ type: 'distill-sw:status?' })).toEqual([
      { type: 'distill-sw:status', ready: false, done: 7000, total: 10_000 },
    ]);
    expect(sw.fetched.map((f) => f.url)).toEqual([`${ORIGIN}/assets/index-abc.js`]);
    expect(sw.told.at(-1)).toEqual({ type: 'distill-sw:ready' });
    expect(await sw.message({ type: 'distill-sw:status?' })).toEqual([
      { type: 'distill-sw:status', ready: true, done: 10_000, total: 10_000 },
    ]);
    expect(await sw.message({ type: 'something else' })).toEqual([]);
  });
});
