import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { forgetCachedLogitsInMemory, logitsCacheKey, readCachedLogits, STORED_ENTRIES, writeCachedLogits } from './logits-cache';

const logits = (seed: number) => ({ train: Float32Array.from([seed, seed + 1, seed + 2]), test: Float32Array.from([-seed]) });

describe('the teacher logits cache', () => {
  it('keys on the model, the data and every part of the choice', () => {
    const base = { model: 'm', data: 'd', choice: { input: 'x', output: 'y', layout: 'nchw' } };
    const keys = new Set([
      logitsCacheKey(base),
      logitsCacheKey({ ...base, model: 'm2' }),
      logitsCacheKey({ ...base, data: 'd2' }),
      logitsCacheKey({ ...base, choice: { ...base.choice, input: 'x2' } }),
      logitsCacheKey({ ...base, choice: { ...base.choice, output: 'y2' } }),
      logitsCacheKey({ ...base, choice: { ...base.choice, layout: 'nhwc' } }),
      logitsCacheKey({ ...base, choice: {} }),
    ]);
    expect(keys.size).toBe(7);
    expect(logitsCacheKey(base)).toBe(logitsCacheKey({ ...base, choice: { layout: 'nchw', output: 'y', input: 'x' } }));
  });

  it('gives back what was written, from IndexedDB once memory is forgotten (a reload)', async () => {
    const key = logitsCacheKey({ model: 'a', data: 'b', choice: {} });
    expect(await readCachedLogits(key)).toBeNull();
    await writeCachedLogits(key, logits(1));
    forgetCachedLogitsInMemory();
    const back = await readCachedLogits(key);
    expect(back?.train).toEqual(Float32Array.from([1, 2, 3]));
    expect(back?.test).toEqual(Float32Array.from([-1]));
  });

  it(`keeps the ${STORED_ENTRIES} newest entries in IndexedDB and drops older ones`, async () => {
    const keys = Array.from({ length: STORED_ENTRIES + 2 }, (_, i) => logitsCacheKey({ model: `model ${i}`, data: 'same', choice: {} }));
    for (const [i, key] of keys.entries()) await writeCachedLogits(key, logits(i), Date.now() + 1000 + i); // newer than the other tests' entries
    forgetCachedLogitsInMemory();
    expect(await readCachedLogits(keys[0])).toBeNull();
    expect(await readCachedLogits(keys[1])).toBeNull();
    expect((await readCachedLogits(keys[2]))?.test).toEqual(Float32Array.from([-2]));
    expect((await readCachedLogits(keys[STORED_ENTRIES + 1]))?.test).toEqual(Float32Array.from([-(STORED_ENTRIES + 1)]));
  });
});
