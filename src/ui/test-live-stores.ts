import { useSyncExternalStore } from 'react';
import type { StateCreator } from 'zustand';

type Zustand = typeof import('zustand');

/**
 * zustand whose React binding reads each store as it is now. A server render (renderToStaticMarkup) reads a
 * store's initial state (React's server snapshot), so the tests that set the real stores and then render a
 * view mock zustand with this; nothing else about the stores changes:
 *
 *   vi.mock('zustand', async (original) => (await import('../test-live-stores')).liveZustand(await original()));
 */
export function liveZustand(zustand: Zustand) {
  const bind = <T>(initializer: StateCreator<T>) => {
    const store = zustand.create<T>()(initializer);
    function useLiveStore(): T;
    function useLiveStore<U>(select: (s: T) => U): U;
    // biome-ignore lint/correctness/noComponentHookFactories: a stand-in for zustand's create, itself a hook factory: one hook per store, made once with the store
    function useLiveStore<U>(select?: (s: T) => U): T | U {
      const snapshot = () => (select ? select(store.getState()) : store.getState());
      return useSyncExternalStore(store.subscribe, snapshot, snapshot);
    }
    return Object.assign(useLiveStore, store);
  };
  // The studio's stores are made with create<State>()(initializer): the curried form.
  return { ...zustand, create: () => bind };
}
