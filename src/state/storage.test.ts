import { beforeEach, describe, expect, it } from 'vitest';
import { askPersistenceOnce, explainStorage, refreshStorageInfo, resetPersistenceAsked, storageLine, useStorageInfo } from './storage';

describe('storage errors', () => {
  it('explains a full storage, however the browser reports it', () => {
    const full = /Could not save "m": this browser's storage for the site is full\. Delete old runs/;
    expect(explainStorage(new DOMException('quota', 'QuotaExceededError'), 'save "m"').message).toMatch(full);
    // A write refused for lack of space aborts its transaction: the request fails as an AbortError.
    expect(explainStorage(new DOMException('Quota exceeded.', 'AbortError'), 'save "m"').message).toMatch(full);
    expect(explainStorage(new DOMException('The transaction was aborted', 'AbortError'), 'save "m"').message).toMatch(
      /aborted the write .* If the site's storage is full/,
    );
    expect(explainStorage(new DOMException('x', 'SecurityError'), 'save "m"').message).toMatch(/private window/);
    expect(explainStorage('odd', 'save "m"').message).toBe('Could not save "m": odd');
  });
});

describe('persistent storage', () => {
  beforeEach(() => {
    resetPersistenceAsked();
    useStorageInfo.setState({ persisted: null, usage: null, quota: null });
  });

  function fakeManager(grant: boolean) {
    const calls: string[] = [];
    let persisted = false;
    return {
      calls,
      persist: async () => {
        calls.push('persist');
        persisted = grant;
        return grant;
      },
      persisted: async () => persisted,
      estimate: async () => ({ usage: 12_500_000, quota: 2_100_000_000 }),
    };
  }

  it('asks once, at the first save, and shows the answer with usage and quota', async () => {
    const m = fakeManager(true);
    await askPersistenceOnce(m);
    await askPersistenceOnce(m);
    expect(m.calls).toEqual(['persist']);
    expect(storageLine(useStorageInfo.getState())).toBe('Storage: persistent · 13 MB of 2.1 GB used');
  });

  it('says when the browser may clear it, and what it cannot tell', async () => {
    await askPersistenceOnce(fakeManager(false));
    expect(storageLine(useStorageInfo.getState())).toBe('Storage: may be cleared by the browser when space is low · 13 MB of 2.1 GB used');
    useStorageInfo.setState({ persisted: null, usage: null, quota: null });
    await refreshStorageInfo({});
    expect(storageLine(useStorageInfo.getState())).toBe('Storage: the browser does not say whether it may clear it');
  });
});
