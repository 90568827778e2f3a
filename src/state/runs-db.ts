import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StoredRun } from './run-record';
import { parseStoredRun } from './run-validate';
import { explainStorage } from './storage';
import { errorText } from '../core/error-text';

/**
 * Finished runs live in their own database, not as a second store of the model library's: each can
 * change its schema on its own, and a library upgrade blocked by another open tab (or a library
 * that fails to open) does not take the run history with it. The price is that a run and its
 * student are written in two transactions, so a run may point at a student that is gone; loading
 * it then says so.
 */
export const RUNS_DB = 'distill-studio-runs';

/** What the history needs from storage: small enough to fake in tests. */
/** A record before storage gives it its id. */
export type NewRun = StoredRun extends infer R ? (R extends StoredRun ? Omit<R, 'id'> : never) : never;

export interface RunsBackend {
  getAll(): Promise<{ key: number; value: unknown }[]>;
  /** Stores a new record and returns the id it was given. */
  add(record: NewRun): Promise<number>;
  put(record: StoredRun): Promise<void>;
  delete(id: number): Promise<void>;
}

interface RunsSchema extends DBSchema {
  runs: { key: number; value: StoredRun };
}

export function idbRunsBackend(): RunsBackend {
  let db: Promise<IDBPDatabase<RunsSchema>> | null = null;
  const open = () => {
    if (typeof indexedDB === 'undefined')
      return Promise.reject(new Error('this browser keeps no data for pages (IndexedDB is not available)'));
    if (!db) {
      db = openDB<RunsSchema>(RUNS_DB, 1, {
        upgrade(database) {
          database.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
        },
      });
      // A failed open is not kept: the next action tries again.
      db.catch(() => (db = null));
    }
    return db;
  };
  return {
    async getAll() {
      const d = await open();
      const tx = d.transaction('runs');
      const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
      return keys.map((key, i) => ({ key, value: values[i] }));
    },
    async add(record) {
      return (await open()).add('runs', record as StoredRun);
    },
    async put(record) {
      await (await open()).put('runs', record);
    },
    async delete(id) {
      await (await open()).delete('runs', id);
    },
  };
}

export { explainStorage } from './storage';

export interface RunList {
  /** Newest first. */
  runs: StoredRun[];
  /** One sentence per record that could not be read. */
  skipped: string[];
}

export async function listRuns(backend: RunsBackend): Promise<RunList> {
  let all: { key: number; value: unknown }[];
  try {
    all = await backend.getAll();
  } catch (e) {
    throw explainStorage(e, 'read the run history');
  }
  const runs: StoredRun[] = [];
  const skipped: string[] = [];
  for (const { key, value } of all) {
    try {
      runs.push(parseStoredRun(value));
    } catch (e) {
      skipped.push(`Skipped stored run #${key}: it is damaged or from another version (${errorText(e)}).`);
    }
  }
  runs.sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  return { runs, skipped };
}

export async function addRun<R extends StoredRun>(backend: RunsBackend, record: Omit<R, 'id'> & NewRun): Promise<R> {
  try {
    return { ...record, id: await backend.add(record) } as R;
  } catch (e) {
    throw explainStorage(e, `keep the run "${record.name}"`);
  }
}

export async function updateRun(backend: RunsBackend, record: StoredRun): Promise<void> {
  try {
    await backend.put(record);
  } catch (e) {
    throw explainStorage(e, `update the run "${record.name}"`);
  }
}

export async function deleteRun(backend: RunsBackend, record: StoredRun): Promise<void> {
  try {
    await backend.delete(record.id);
  } catch (e) {
    throw explainStorage(e, `delete the run "${record.name}"`);
  }
}
