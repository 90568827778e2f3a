/**
 * What the service worker (src/pwa/sw.ts) and the page (src/pwa/register.ts) say to each other.
 * The page imports only types from here, and the service worker only what it bundles itself.
 */

/** Page → service worker: "are you ready?" (the service worker tops its cache up if it is not). */
export interface StatusQuery {
  type: 'distill-sw:status?';
}

/** Service worker → page. Byte counts weigh the progress by size (the MNIST file is a third of it). */
export type SwMessage =
  | { type: 'distill-sw:progress'; done: number; total: number }
  | { type: 'distill-sw:ready' }
  | { type: 'distill-sw:failed'; message: string }
  | { type: 'distill-sw:status'; ready: boolean; done: number; total: number };
