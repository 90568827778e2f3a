/**
 * The studio's service worker (built by vite-plugin-pwa in injectManifest mode, see vite.config.ts):
 * after one visit, the app, its data sets and its shipped teachers work with the network off.
 *
 * - install: workbox precaches every file of the build (workbox-build writes the list into this file;
 *   the bench page is left out). A file whose revision is unchanged since the last build is kept,
 *   not downloaded again. The page is told the progress by bytes.
 * - activate: workbox drops what the new list no longer has; open pages are taken over at once.
 * - fetch: the page itself (any query) is network-first, so an online visit gets a new build, with
 *   the precached copy as the fallback; every other listed file is cache-first. ONNX Runtime's
 *   files are not listed: they are cached on first use (ort-cache.ts), cache-first after that, one
 *   copy per file (an older build's copy goes when a new one is stored). Nothing else is
 *   intercepted. Documents and workers carry the isolation headers (documents the CSP too) even
 *   when replayed from the cache (sw-responses.ts).
 */
import { PrecacheController, PrecacheRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import type { StatusQuery, SwMessage } from './protocol';
import { PrecacheProgress, type SizedEntry } from './sw-progress';
import { isAppShell, withRequiredHeaders } from './sw-responses';
import { isOrtFile, ORT_CACHE, staleCopies } from './ort-cache';
import { errorText } from '../core/error-text';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry & SizedEntry> };

const entries = self.__WB_MANIFEST;
const scope = new URL('./', self.location.href).href; // sw.js sits at the root of the app
const progress = new PrecacheProgress(entries, scope);

async function tell(message: SwMessage): Promise<void> {
  const clients = await self.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  for (const client of clients) client.postMessage(message);
}

const failed = (e: unknown): SwMessage => ({ type: 'distill-sw:failed', message: errorText(e) });

const precache = new PrecacheController({
  plugins: [
    {
      handlerWillRespond: async ({ request, response }) => withRequiredHeaders(request, response),
      handlerDidComplete: async ({ request, event, error }) => {
        if (event.type === 'install' && !error) await tell(progress.completed(request.url));
      },
    },
  ],
});
precache.addToCacheList(entries);

// The page first (routes match in the order they are registered), then the precached files.
const shell = new URL('index.html', scope).href;
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && isAppShell(url, scope),
  new NetworkOnly({
    plugins: [
      { handlerDidError: async () => precache.matchPrecache(shell) },
      { handlerWillRespond: async ({ request, response }) => withRequiredHeaders(request, response) },
    ],
  }),
);
// A listed file asked for with a query is not the listed file: it goes to the network.
registerRoute(new PrecacheRoute(precache, { ignoreURLParametersMatching: [], cleanURLs: false }));
// ONNX Runtime's loaders and wasm, stored when an ONNX teacher first asks for them (workbox stores 200s only).
registerRoute(
  ({ url }) => isOrtFile(url, scope),
  new CacheFirst({
    cacheName: ORT_CACHE,
    plugins: [
      {
        cacheDidUpdate: async ({ cacheName, request }) => {
          const cache = await caches.open(cacheName);
          const urls = (await cache.keys()).map((r) => r.url);
          for (const url of staleCopies(urls, request.url)) await cache.delete(url);
        },
      },
      { handlerWillRespond: async ({ request, response }) => withRequiredHeaders(request, response) },
    ],
  }),
);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await tell(progress.start());
      await precache.install(event);
      await self.skipWaiting();
    })().catch(async (e: unknown) => {
      await tell(failed(e));
      throw e; // the install fails; the next visit tries again, keeping what was fetched
    }),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await precache.activate(event);
      // The hand-written service worker before this one kept its copies in caches of this name.
      for (const name of await caches.keys()) if (name.startsWith('distill-studio-')) await caches.delete(name);
      await self.clients.claim();
      await tell({ type: 'distill-sw:ready' });
    })(),
  );
});

/** Absolute URLs of listed files that the cache lacks. */
async function missing(): Promise<string[]> {
  const cache = await caches.open(precache.strategy.cacheName);
  const lacking: string[] = [];
  for (const [url, key] of precache.getURLsToCacheKeys()) if (!(await cache.match(key))) lacking.push(url);
  return lacking;
}

/** Fetches what the cache lacks (the browser evicted it), as the install would have. */
async function topUp(urls: readonly string[]): Promise<void> {
  const cache = await caches.open(precache.strategy.cacheName);
  for (const url of urls) {
    const response = await fetch(url, { cache: 'reload', credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${new URL(url).pathname}: HTTP ${response.status}`);
    await cache.put(precache.getCacheKeyForURL(url) ?? url, response);
  }
}

self.addEventListener('message', (event) => {
  if ((event.data as Partial<StatusQuery> | null)?.type !== 'distill-sw:status?') return;
  event.waitUntil(
    (async () => {
      const lacking = await missing();
      event.source?.postMessage(progress.status(lacking));
      if (lacking.length > 0)
        await topUp(lacking).then(
          () => tell({ type: 'distill-sw:ready' }),
          (e: unknown) => tell(failed(e)),
        );
    })(),
  );
});
