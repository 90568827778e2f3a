import { deleteFromLibrary as deleteEntry, saveToLibrary as saveEntry, type LibraryEntry } from '../storage/library-db';
import { askPersistenceOnce, refreshStorageInfo } from './storage';

// The library itself lives in src/storage (the worker writes runs' students to it too); the page adds
// what only a window can do: ask for persistent storage, and show how full it is.
export { listLibrary, readFromLibrary, type LibraryEntry, type LibraryListing } from '../storage/library-db';

export async function saveToLibrary(entry: Omit<LibraryEntry, 'id'>): Promise<number> {
  const id = await saveEntry(entry);
  // Once the user keeps something: ask for storage the browser will not evict under pressure.
  void askPersistenceOnce().then(() => refreshStorageInfo());
  return id;
}

export async function deleteFromLibrary(id: number): Promise<void> {
  await deleteEntry(id);
  void refreshStorageInfo();
}
