import { create } from 'zustand';

/**
 * The browser storage the studio writes to (IndexedDB: the model library and the run history):
 * its errors as sentences that say what to do, whether the browser may evict it, and how full it is.
 */

export { explainStorage } from '../storage/storage-errors';

export interface StorageInfo {
  /** null: not asked yet, or the browser cannot say. */
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
}

/** Whether persistence was asked for on this page (the request, once made). */
const usePersistenceAsked = create<{ asked: Promise<void> | null }>()(() => ({ asked: null }));

export const useStorageInfo = create<StorageInfo>()(() => ({ persisted: null, usage: null, quota: null }));

/** The parts of navigator.storage used here (absent in Node and some browsers). */
interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}
const manager = (): StorageManagerLike | undefined =>
  typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManagerLike | undefined);

/** Reads whether storage is persistent (without asking) and the usage estimate. */
export async function refreshStorageInfo(m: StorageManagerLike | undefined = manager()): Promise<void> {
  if (!m) return;
  const persisted = (await m.persisted?.().catch(() => null)) ?? null;
  const estimate = await m.estimate?.().catch(() => undefined);
  useStorageInfo.setState({ persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null });
}

/**
 * Asks once per page, when the user first saves something (a run or a library model), for storage
 * the browser will not evict under pressure; the answer is shown with the library. A refusal is fine.
 */
export function askPersistenceOnce(m: StorageManagerLike | undefined = manager()): Promise<void> {
  const before = usePersistenceAsked.getState().asked;
  if (before) return before;
  const asked = (async () => {
    if (!m) return;
    if (!(await m.persisted?.().catch(() => false))) await m.persist?.().catch(() => false);
    await refreshStorageInfo(m);
  })();
  usePersistenceAsked.setState({ asked });
  return asked;
}

/** For tests: forget that persistence was asked for. */
export function resetPersistenceAsked(): void {
  usePersistenceAsked.setState({ asked: null });
}

function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(bytes >= 1e7 ? 0 : 1)} MB`;
}

/** One line for the page: "Storage: persistent · 12 MB of 2.1 GB used". */
export function storageLine(info: StorageInfo): string {
  const kind =
    info.persisted === true
      ? 'persistent'
      : info.persisted === false
        ? 'may be cleared by the browser when space is low'
        : 'the browser does not say whether it may clear it';
  const used =
    info.usage !== null && info.quota !== null && info.quota > 0 ? ` · ${megabytes(info.usage)} of ${megabytes(info.quota)} used` : '';
  return `Storage: ${kind}${used}`;
}
