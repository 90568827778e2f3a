import type { SwMessage } from './protocol';

/** A precached file as the build lists it (vite.config.ts adds the size to workbox's entry). */
export interface SizedEntry {
  /** Relative to the service worker's scope. */
  url: string;
  bytes: number;
}

/**
 * How far the precache is, by bytes, in the messages the page shows (src/pwa/register.ts): the
 * MNIST file is a third of the build, so a count of files would run ahead of the download.
 */
export class PrecacheProgress {
  readonly total: number;
  private readonly sizes: Map<string, number>;
  private done = 0;

  constructor(entries: readonly SizedEntry[], scope: string) {
    this.sizes = new Map(entries.map((e) => [new URL(e.url, scope).href, e.bytes]));
    this.total = [...this.sizes.values()].reduce((a, b) => a + b, 0);
  }

  /** An install begins: every file is counted as it is found in the cache or fetched. */
  start(): SwMessage {
    this.done = 0;
    return { type: 'distill-sw:progress', done: 0, total: this.total };
  }

  /** One file (an absolute URL) is in the cache. */
  completed(url: string): SwMessage {
    this.done = Math.min(this.total, this.done + (this.sizes.get(url) ?? 0));
    return { type: 'distill-sw:progress', done: this.done, total: this.total };
  }

  /** The answer to the page's status query, given the absolute URLs the cache lacks. */
  status(missing: readonly string[]): SwMessage {
    const lacking = missing.reduce((sum, url) => sum + (this.sizes.get(url) ?? 0), 0);
    return { type: 'distill-sw:status', ready: missing.length === 0, done: this.total - lacking, total: this.total };
  }
}
