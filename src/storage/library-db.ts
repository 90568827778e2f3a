import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { explainStorage } from './storage-errors';

/**
 * The model library in this browser's IndexedDB. Both sides write to it: the page saves models the
 * user keeps, the worker saves each run's distilled student as the run finishes. So this file uses
 * neither DOM nor worker globals (it compiles under both). Asking for persistent storage is the
 * page's job (navigator.storage.persist exists only in windows).
 */

/** A model kept in this browser's IndexedDB: its files as saved by the worker, never sent anywhere. */
export interface LibraryEntry {
  id: number;
  name: string;
  role: 'teacher' | 'student';
  dataset: string;
  createdAt: number;
  bytes: number;
  files: { name: string; bytes: ArrayBuffer }[];
  /** A run's student, saved with it (see the Runs view): listed there, not in the library panel. */
  run?: boolean;
}

export type LibraryListing = Omit<LibraryEntry, 'files'>;

interface LibrarySchema extends DBSchema {
  models: { key: number; value: LibraryEntry };
}

let db: Promise<IDBPDatabase<LibrarySchema>> | null = null;
function open(): Promise<IDBPDatabase<LibrarySchema>> {
  db ??= openDB<LibrarySchema>('distill-studio', 1, {
    upgrade(database) {
      // No index on the files: IndexedDB would copy the blobs into the index.
      database.createObjectStore('models', { keyPath: 'id', autoIncrement: true });
    },
  });
  // A failed open is not kept: the next call tries again (storage may have been freed or allowed since).
  db.catch(() => {
    db = null;
  });
  return db;
}

export async function saveToLibrary(entry: Omit<LibraryEntry, 'id'>): Promise<number> {
  try {
    // The store assigns the id (autoIncrement), so the entry goes in without one.
    return await (await open()).add('models', entry as LibraryEntry);
  } catch (e) {
    throw explainStorage(e, `save "${entry.name}"`);
  }
}

export async function listLibrary(): Promise<LibraryListing[]> {
  try {
    const all = await (await open()).getAll('models');
    return all.map(({ files: _files, ...rest }) => rest).sort((a, b) => b.createdAt - a.createdAt);
  } catch (e) {
    throw explainStorage(e, 'read the model library');
  }
}

export async function readFromLibrary(id: number): Promise<File[]> {
  let entry: LibraryEntry | undefined;
  try {
    entry = await (await open()).get('models', id);
  } catch (e) {
    throw explainStorage(e, 'read the model from the library');
  }
  if (!entry) throw new Error('That model is no longer in the library.');
  return entry.files.map((f) => new File([f.bytes], f.name));
}

export async function deleteFromLibrary(id: number): Promise<void> {
  try {
    await (await open()).delete('models', id);
  } catch (e) {
    throw explainStorage(e, 'delete the model');
  }
}
