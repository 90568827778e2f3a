import type { PersistStorage } from 'zustand/middleware';

/**
 * localStorage for zustand's `persist`, written as `{ state, version }` under the studio's keys.
 * Earlier versions wrote the bare value (the config, the data set, the calibration) under the same key:
 * such an entry is read as `{ [field]: value }`, so a returning visitor keeps what they had. `restore` checks
 * whatever is read (a damaged value gives the defaults), as does unreadable JSON or a browser without storage.
 */
export function legacyJsonStorage<S>(field: keyof S & string, restore: (saved: Record<string, unknown>) => S): PersistStorage<S> {
  return {
    getItem(name) {
      const text = readItem(name);
      if (text === null) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return null;
      }
      const saved = isStorageValue(parsed) ? parsed.state : { [field]: parsed };
      return { state: restore(isRecord(saved) ? saved : {}), version: 0 };
    },
    setItem(name, value) {
      const text = JSON.stringify(value);
      // persist writes after every change of the store, a run's metrics ten times a second: only a changed value reaches the disk.
      if (readItem(name) !== text) writeItem(name, text);
    },
    removeItem(name) {
      try {
        localStorage.removeItem(name);
      } catch {
        // no storage: nothing to forget
      }
    },
  };
}

/** The persist format; anything else under the key is the bare value an older version wrote. */
function isStorageValue(x: unknown): x is { state: unknown } {
  return typeof x === 'object' && x !== null && 'state' in x && 'version' in x && Object.keys(x).length === 2;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A saved field, or undefined. */
export function savedField(saved: Record<string, unknown>, field: string): unknown {
  return Object.hasOwn(saved, field) ? saved[field] : undefined;
}

function readItem(name: string): string | null {
  try {
    return localStorage.getItem(name);
  } catch {
    return null; // no localStorage (Node, storage turned off): as if nothing was saved
  }
}

function writeItem(name: string, text: string): void {
  try {
    localStorage.setItem(name, text);
  } catch {
    // full or refused: the studio works on, it only forgets the settings at the next visit
  }
}
