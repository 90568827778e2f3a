/**
 * What the build tells the service worker (the precache manifest) and what the service worker and
 * the page say to each other. Shared by src/pwa/sw.ts, src/pwa/register.ts and src/pwa/vite-plugin.ts.
 * The page imports only types from here: a value shared with the service worker would become a
 * chunk that both import, and sw.js must stay a classic script (the build checks it).
 */

/** One file to keep for offline use: its URL relative to the service worker's scope, its size in bytes and a hash of its content. */
export interface PrecacheEntry {
  url: string;
  size: number;
  /** A new build reuses the previous build's copy of a file whose hash is unchanged (the data set, the teachers) instead of downloading it again. */
  hash: string;
}

export interface PrecacheManifest {
  /** A hash of every precached file and of the service worker itself: a new build gets a new cache. */
  version: string;
  entries: PrecacheEntry[];
  /**
   * Headers every navigation response must carry (cross-origin isolation and the CSP), re-added when
   * a response replayed from the cache or fetched from a host that omits them lacks them.
   */
  documentHeaders: Record<string, string>;
}

/** Every cache of ours starts with this; activation deletes those of other versions. */
export const CACHE_PREFIX = 'distill-studio-';

/** Each cached response carries its file's hash in this header, so that the next build can tell what it may reuse. */
export const HASH_HEADER = 'X-Distill-Precache-Hash';

/** Page → service worker: "are you ready?" (the service worker tops its cache up if it is not). */
export interface StatusQuery {
  type: 'distill-sw:status?';
}

/** Service worker → page. Byte counts weigh the progress by size (the MNIST file is a third of it). */
export type SwMessage =
  | { type: 'distill-sw:progress'; version: string; done: number; total: number }
  | { type: 'distill-sw:ready'; version: string }
  | { type: 'distill-sw:failed'; version: string; message: string }
  | { type: 'distill-sw:status'; version: string; ready: boolean; done: number; total: number };
