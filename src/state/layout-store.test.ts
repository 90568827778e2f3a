import { beforeAll, describe, expect, it } from 'vitest';

/** A Map-backed localStorage, installed before the store module reads it. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const storage = new MemoryStorage();
let layout: typeof import('./layout-store');

beforeAll(async () => {
  // A value from an older or hand-edited page: one good entry, one wrong type, one unknown panel.
  storage.setItem('distill-studio-layout', JSON.stringify({ state: { open: { sweep: true, loss: 'yes', lessons: true } }, version: 1 }));
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
  layout = await import('./layout-store');
});

describe('layout store', () => {
  it('keeps only known panels with boolean values from storage', () => {
    expect(layout.useLayout.getState().open).toEqual({
      ensemble: false,
      loss: false,
      transfer: false,
      sweep: true,
      experiment: false,
      export: false,
      library: false,
    });
  });

  it('remembers an opened panel in storage', () => {
    layout.togglePanel('export');
    expect(JSON.parse(storage.getItem('distill-studio-layout') ?? 'null').state.open.export).toBe(true);
    layout.openPanel('export'); // already open: stays open
    expect(layout.useLayout.getState().open.export).toBe(true);
    layout.togglePanel('export');
    expect(JSON.parse(storage.getItem('distill-studio-layout') ?? 'null').state.open.export).toBe(false);
  });

  it('restoreOpen ignores anything that is not an object of booleans', () => {
    expect(layout.restoreOpen(null)).toEqual(layout.restoreOpen({ open: 'all' }));
    expect(Object.values(layout.restoreOpen(42)).every((v) => v === false)).toBe(true);
  });
});
