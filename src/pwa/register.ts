import type { StatusQuery, SwMessage } from './protocol';
import { errorText } from '../core/error-text';

/**
 * Registers /sw.js (production builds only: the dev server's hot reload and a cache do not mix) and
 * keeps what the page knows about offline use: how far the caching is, whether the browser is
 * online, whether a service worker serves the page. OfflineStatus shows it.
 */

export type OfflinePhase = 'off' | 'unsupported' | 'preparing' | 'ready' | 'failed';

export interface OfflineState {
  /** off: a dev server; unsupported: no service workers here (an old browser, some private modes). */
  phase: OfflinePhase;
  /** 0–100 while preparing, by bytes. */
  percent: number;
  online: boolean;
  /** A service worker answers this page's requests (so it was loaded, or can reload, offline). */
  controlled: boolean;
  error: string | null;
}

function isSwMessage(data: unknown): data is SwMessage {
  const type = (data as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('distill-sw:') && type !== 'distill-sw:status?';
}

let state: OfflineState = {
  phase: 'off',
  percent: 0,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  controlled: typeof navigator !== 'undefined' && 'serviceWorker' in navigator && navigator.serviceWorker.controller !== null,
  error: null,
};
const listeners = new Set<() => void>();

function set(patch: Partial<OfflineState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function getOfflineState(): OfflineState {
  return state;
}

export function subscribeOffline(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What the page does with a message from the service worker (exported for the unit test). */
export function applySwMessage(message: SwMessage): void {
  switch (message.type) {
    case 'distill-sw:progress':
      // A new build caching in the background does not make a ready copy less ready.
      if (state.phase !== 'ready')
        set({ phase: 'preparing', percent: message.total > 0 ? Math.floor((100 * message.done) / message.total) : 0 });
      break;
    case 'distill-sw:status':
      if (message.ready) set({ phase: 'ready', percent: 100, error: null });
      else set({ phase: 'preparing', percent: message.total > 0 ? Math.floor((100 * message.done) / message.total) : 0 });
      break;
    case 'distill-sw:ready':
      set({ phase: 'ready', percent: 100, error: null });
      break;
    case 'distill-sw:failed':
      if (state.phase !== 'ready') set({ phase: 'failed', error: message.message });
      break;
  }
}

function ask(worker: ServiceWorker | null): void {
  worker?.postMessage({ type: 'distill-sw:status?' } satisfies StatusQuery);
}

export function registerServiceWorker(): void {
  window.addEventListener('online', () => set({ online: true }));
  window.addEventListener('offline', () => set({ online: false }));
  set({ online: navigator.onLine });
  if (!import.meta.env.PROD) return;
  if (!('serviceWorker' in navigator)) {
    set({ phase: 'unsupported' });
    return;
  }
  const container = navigator.serviceWorker;
  set({ phase: 'preparing', controlled: container.controller !== null });
  container.addEventListener('message', (event: MessageEvent) => {
    if (isSwMessage(event.data)) applySwMessage(event.data);
  });
  container.addEventListener('controllerchange', () => {
    set({ controlled: container.controller !== null });
    ask(container.controller);
  });
  container.startMessages();

  const base = new URL(import.meta.env.BASE_URL, location.href);
  const start = () => {
    container
      .register(new URL('sw.js', base), { scope: base.pathname })
      .then(async () => {
        const registration = await container.ready;
        ask(registration.active);
      })
      .catch((e: unknown) => set({ phase: 'failed', error: errorText(e) }));
  };
  // After the page's own loads, so that caching the build does not slow the first start.
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
