import { CACHE_PREFIX, HASH_HEADER, type PrecacheManifest, type SwMessage } from './protocol';

/**
 * The studio's service worker: after one visit, the app, its data sets and its shipped teachers
 * work with the network off.
 *
 * - install: every file the build lists (src/pwa/vite-plugin.ts) goes into a cache named after the
 *   build's hash: copied from the previous build's cache when its content hash is unchanged, else
 *   fetched (revalidated, never stale from the HTTP cache); the page is told the progress by bytes.
 * - activate: caches of other builds are deleted and open pages are taken over at once.
 * - fetch: same-origin GETs only. The page itself is network-first (an online visit gets a new
 *   build) with the cached copy as fallback; every other listed file is cache-first. Nothing else
 *   is intercepted. Responses that start a document or a worker carry the cross-origin isolation
 *   headers (and the CSP for documents) even when replayed from the cache, so the page stays
 *   crossOriginIsolated offline and the wasm backend keeps its threads.
 *
 * Typed against a minimal scope, not the WebWorker lib, so that it type-checks with the app and
 * unit tests drive it with fakes (src/pwa/sw.test.ts).
 */

export interface ExtendableEventLike {
  waitUntil(promise: Promise<unknown>): void;
}

export interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}

export interface MessageEventLike extends ExtendableEventLike {
  readonly data: unknown;
  readonly source: { postMessage(message: unknown): void } | null;
}

export interface CacheLike {
  match(request: RequestInfo | URL): Promise<Response | undefined>;
  put(request: RequestInfo | URL, response: Response): Promise<void>;
  keys(): Promise<ReadonlyArray<Request>>;
}

export interface SwScope {
  readonly location: { readonly href: string };
  readonly caches: {
    open(name: string): Promise<CacheLike>;
    keys(): Promise<string[]>;
    delete(name: string): Promise<boolean>;
  };
  readonly clients: {
    matchAll(options: { includeUncontrolled: boolean; type: 'window' }): Promise<ReadonlyArray<{ postMessage(message: unknown): void }>>;
    claim(): Promise<void>;
  };
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
}

/** Files fetched at once while precaching. */
const PARALLEL = 4;

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(runners);
}

/**
 * The response with `headers` added where missing. Opaque and error responses pass unchanged
 * (their headers cannot be read or set); so does one that already carries them all.
 */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  if (response.type !== 'basic' && response.type !== 'default') return response;
  const missing = Object.keys(headers).filter((name) => !response.headers.has(name));
  if (missing.length === 0 && !response.redirected) return response;
  const merged = new Headers(response.headers);
  for (const name of missing) merged.set(name, headers[name] as string);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
}

export function createServiceWorker(sw: SwScope, manifest: PrecacheManifest): void {
  const cacheName = CACHE_PREFIX + manifest.version;
  const scope = new URL('./', sw.location.href).href; // sw.js sits at the root of the app
  const sizes = new Map(manifest.entries.map((e) => [new URL(e.url, scope).href, e.size]));
  const hashes = new Map(manifest.entries.map((e) => [new URL(e.url, scope).href, e.hash]));
  const totalBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  const appShell = new URL('./', scope).href;
  const appShellAliases = new Set([appShell, new URL('index.html', scope).href]);
  const workerHeaders = Object.fromEntries(Object.entries(manifest.documentHeaders).filter(([name]) => name.toLowerCase().startsWith('cross-origin-')));

  async function tell(message: SwMessage): Promise<void> {
    const clients = await sw.clients.matchAll({ includeUncontrolled: true, type: 'window' });
    for (const client of clients) client.postMessage(message);
  }

  async function missing(cache: CacheLike): Promise<string[]> {
    const have = new Set((await cache.keys()).map((r) => r.url));
    return [...sizes.keys()].filter((url) => !have.has(url));
  }

  /** Fills the cache with whatever of the list it lacks (all of it on install); rejects if any file fails. */
  let filling: Promise<void> | null = null;
  function fill(): Promise<void> {
    filling ??= (async () => {
      const cache = await sw.caches.open(cacheName);
      const todo = await missing(cache);
      let done = totalBytes - todo.reduce((sum, url) => sum + (sizes.get(url) ?? 0), 0);
      await tell({ type: 'distill-sw:progress', version: manifest.version, done, total: totalBytes });
      const previous = (await sw.caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== cacheName);
      await eachLimited(todo, PARALLEL, async (url) => {
        const hash = hashes.get(url) as string;
        let response: Response | undefined;
        // Unchanged since a build already kept: copied, not downloaded again.
        for (const name of previous) {
          const hit = await (await sw.caches.open(name)).match(url);
          if (hit?.headers.get(HASH_HEADER) === hash) {
            response = hit;
            break;
          }
        }
        if (!response) {
          // 'no-cache': revalidated with the server (a 304 reuses the HTTP cache's copy), never taken stale.
          response = await sw.fetch(new Request(url, { cache: 'no-cache', credentials: 'same-origin' }));
          if (!response.ok) throw new Error(`${new URL(url).pathname}: HTTP ${response.status}`);
        }
        // Kept with its hash; a clean copy also drops the redirected flag, which would keep it from answering a navigation.
        const headers = new Headers(response.headers);
        headers.set(HASH_HEADER, hash);
        await cache.put(url, new Response(response.body, { status: response.status, statusText: response.statusText, headers }));
        done += sizes.get(url) ?? 0;
        await tell({ type: 'distill-sw:progress', version: manifest.version, done, total: totalBytes });
      });
    })().finally(() => {
      filling = null;
    });
    return filling;
  }

  function failed(e: unknown): Promise<void> {
    return tell({ type: 'distill-sw:failed', version: manifest.version, message: e instanceof Error ? e.message : String(e) });
  }

  sw.addEventListener('install', (event) => {
    event.waitUntil(
      fill().then(
        () => sw.skipWaiting(),
        async (e: unknown) => {
          await failed(e);
          throw e; // the install fails; the next visit tries again, keeping what was fetched
        },
      ),
    );
  });

  sw.addEventListener('activate', (event) => {
    event.waitUntil(
      (async () => {
        const names = await sw.caches.keys();
        await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== cacheName).map((n) => sw.caches.delete(n)));
        await sw.clients.claim();
        await tell({ type: 'distill-sw:ready', version: manifest.version });
      })(),
    );
  });

  sw.addEventListener('message', (event) => {
    if ((event.data as { type?: unknown } | null)?.type !== 'distill-sw:status?') return;
    event.waitUntil(
      (async () => {
        const cache = await sw.caches.open(cacheName);
        const lacking = await missing(cache);
        const done = totalBytes - lacking.reduce((sum, url) => sum + (sizes.get(url) ?? 0), 0);
        event.source?.postMessage({ type: 'distill-sw:status', version: manifest.version, ready: lacking.length === 0, done, total: totalBytes } satisfies SwMessage);
        // The browser may have evicted part of the cache: top it up.
        if (lacking.length > 0) await fill().then(() => tell({ type: 'distill-sw:ready', version: manifest.version }), failed);
      })(),
    );
  });

  async function fromCache(key: string): Promise<Response | undefined> {
    const cache = await sw.caches.open(cacheName);
    return cache.match(key);
  }

  /** The page: the network first (so an online visit gets a new build), else the copy kept at install. */
  async function page(request: Request): Promise<Response> {
    try {
      return withHeaders(await sw.fetch(request), manifest.documentHeaders);
    } catch (e) {
      const cached = await fromCache(appShell);
      if (!cached) throw e;
      return withHeaders(cached, manifest.documentHeaders);
    }
  }

  /** A listed file: from the cache, else (evicted by the browser) from the network; the page's next status query tops the cache up. */
  async function file(request: Request, key: string): Promise<Response> {
    const response = (await fromCache(key)) ?? (await sw.fetch(request));
    if (request.destination === 'worker' || request.destination === 'sharedworker') return withHeaders(response, workerHeaders);
    if (request.mode === 'navigate') return withHeaders(response, manifest.documentHeaders);
    return response;
  }

  sw.addEventListener('fetch', (event) => {
    const { request } = event;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (!url.href.startsWith(scope)) return; // other origins, or outside the app
    const bare = url.origin + url.pathname;
    // The page answers to any query (?backend=wasm, ?bench=1): one copy of it, whatever the search.
    if (request.mode === 'navigate' && appShellAliases.has(bare)) {
      event.respondWith(page(request));
      return;
    }
    if (url.search === '' && sizes.has(url.href)) event.respondWith(file(request, url.href));
    // Anything else goes to the network as if there were no service worker.
  });
}
