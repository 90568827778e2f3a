import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * A teacher's logits on a data set, kept so that an ONNX teacher (slow to run over a whole data set)
 * is computed once: in memory for this worker's life, and in IndexedDB across reloads. Keyed by
 * what decides them: the model's bytes, the data's bytes and how the model is fed. Storage is a
 * convenience here, never a reason to fail: every IndexedDB error reads as "not cached" (or is
 * dropped on write), and is logged once. No DOM or worker globals (it compiles under both).
 */

export interface CachedLogits {
  train: Float32Array;
  test: Float32Array;
}

export interface LogitsKeyParts {
  /** sha256 of the model file. */
  model: string;
  /** sha256 of the data set's training and test inputs. */
  data: string;
  /** How the model is fed and read (input, output, layout): another choice gives other logits. */
  choice: { input?: string; output?: string; layout?: string };
}

export function logitsCacheKey({ model, data, choice }: LogitsKeyParts): string {
  return `${model}|${data}|${choice.input ?? ''}|${choice.output ?? ''}|${choice.layout ?? ''}`;
}

interface LogitsSchema extends DBSchema {
  logits: {
    key: string;
    value: { key: string; train: Float32Array; test: Float32Array; savedAt: number };
    indexes: { savedAt: number };
  };
}

/** Its own database, so that the model library's schema (opened by the page too) never has to change for it. */
const DB_NAME = 'distill-studio-logits';
/** Kept in memory: a few data set × model pairs, the ones a session switches between. */
const MEMORY_ENTRIES = 4;
/** Kept in IndexedDB: the oldest go first, so that the cache cannot fill the site's storage. */
export const STORED_ENTRIES = 8;

const memory = new Map<string, CachedLogits>();
let db: Promise<IDBPDatabase<LogitsSchema>> | null = null;
let warned = false;

function open(): Promise<IDBPDatabase<LogitsSchema>> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available here'));
  db ??= openDB<LogitsSchema>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('logits', { keyPath: 'key' }).createIndex('savedAt', 'savedAt');
    },
  });
  db.catch(() => {
    db = null;
  });
  return db;
}

function quietly(action: string, e: unknown): void {
  if (warned) return;
  warned = true;
  console.warn(`The teacher logits cache could not ${action} (the logits are computed instead):`, e);
}

function remember(key: string, value: CachedLogits): void {
  memory.delete(key);
  memory.set(key, value);
  while (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
}

/** The cached logits under `key`, from memory or IndexedDB; null when there are none or storage fails. */
export async function readCachedLogits(key: string): Promise<CachedLogits | null> {
  const inMemory = memory.get(key);
  if (inMemory) {
    remember(key, inMemory); // most recently used
    return inMemory;
  }
  try {
    const entry = await (await open()).get('logits', key);
    if (!entry || !(entry.train instanceof Float32Array) || !(entry.test instanceof Float32Array)) return null;
    const value = { train: entry.train, test: entry.test };
    remember(key, value);
    return value;
  } catch (e) {
    quietly('read', e);
    return null;
  }
}

/** Keeps `value` under `key` in memory and, when it can, in IndexedDB (dropping the oldest beyond STORED_ENTRIES). */
export async function writeCachedLogits(key: string, value: CachedLogits, now = Date.now()): Promise<void> {
  remember(key, value);
  try {
    const database = await open();
    const tx = database.transaction('logits', 'readwrite');
    await tx.store.put({ key, train: value.train, test: value.test, savedAt: now });
    // Oldest first, keys only: the logits themselves are not read back just to count them.
    const keys = await tx.store.index('savedAt').getAllKeys();
    for (const stale of keys.slice(0, Math.max(0, keys.length - STORED_ENTRIES))) await tx.store.delete(stale);
    await tx.done;
  } catch (e) {
    quietly('save', e);
  }
}

/** TEST-ONLY: forgets what is in memory (as a new worker would), leaving IndexedDB as it is. */
export function forgetCachedLogitsInMemory(): void {
  memory.clear();
}
