import { describe, expect, it, vi } from 'vitest';
import { forgetCachedLogitsInMemory, logitsCacheKey, readCachedLogits, writeCachedLogits } from './logits-cache';

// No fake-indexeddb here: Node has no IndexedDB, as a browser that refuses storage has none that works.
describe('the teacher logits cache without storage', () => {
  it('never fails: a write is kept in memory only, a read after a reload finds nothing, and it warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const key = logitsCacheKey({ model: 'm', data: 'd', choice: { layout: 'flat' } });
    const value = { train: Float32Array.from([1, 2]), test: Float32Array.from([3]) };
    await expect(writeCachedLogits(key, value)).resolves.toBeUndefined();
    expect(await readCachedLogits(key)).toBe(value);
    forgetCachedLogitsInMemory();
    expect(await readCachedLogits(key)).toBeNull();
    expect(await readCachedLogits(key)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
