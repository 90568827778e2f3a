import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { deleteFromLibrary, listLibrary, readFromLibrary, saveToLibrary } from './library-db';

const bytes = (...values: number[]) => new Uint8Array(values).buffer;

describe('the model library in IndexedDB', () => {
  it('keeps entries with their files, lists them newest first without the files, and deletes them', async () => {
    const older = await saveToLibrary({
      name: 'older',
      role: 'teacher',
      dataset: 'Iris',
      createdAt: 1,
      bytes: 3,
      files: [{ name: 'model.json', bytes: bytes(1, 2, 3) }],
    });
    const newer = await saveToLibrary({
      name: 'newer',
      role: 'student',
      dataset: 'Iris',
      createdAt: 2,
      bytes: 2,
      files: [{ name: 'w.bin', bytes: bytes(4, 5) }],
      run: true,
    });
    expect(newer).not.toBe(older);

    const listed = await listLibrary();
    expect(listed.map((m) => m.name)).toEqual(['newer', 'older']);
    expect(listed[0]).toEqual({ id: newer, name: 'newer', role: 'student', dataset: 'Iris', createdAt: 2, bytes: 2, run: true });

    const [file] = await readFromLibrary(older);
    expect(file.name).toBe('model.json');
    expect(Array.from(new Uint8Array(await file.arrayBuffer()))).toEqual([1, 2, 3]);

    await deleteFromLibrary(older);
    expect((await listLibrary()).map((m) => m.id)).toEqual([newer]);
    await expect(readFromLibrary(older)).rejects.toThrow('That model is no longer in the library.');
  });
});
