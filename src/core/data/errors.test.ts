import { describe, expect, it } from 'vitest';
import { checkFileSize, DataError, MAX_DATA_FILE_BYTES } from './errors';

describe('DataError', () => {
  it('puts the place before the problem and keeps both', () => {
    const e = new DataError('the cell is empty', { file: 'a.csv', row: 3, column: 'x' });
    expect(e.message).toBe('a.csv, row 3, column "x": the cell is empty');
    expect(e.detail).toBe('the cell is empty');
    expect([e.file, e.row, e.column]).toEqual(['a.csv', 3, 'x']);
    expect(e).toBeInstanceOf(DataError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DataError');
  });

  it('has no prefix without a place', () => {
    expect(new DataError('bad').message).toBe('bad');
  });
});

describe('checkFileSize', () => {
  it('accepts the limit itself and refuses one byte more, saying the limit', () => {
    expect(() => checkFileSize(MAX_DATA_FILE_BYTES, 'a.csv')).not.toThrow();
    expect(() => checkFileSize(MAX_DATA_FILE_BYTES + 1, 'a.csv')).toThrow('a.csv: the file is 50.0 MB, over the 50 MB limit');
    expect(() => checkFileSize(60 * 1024 * 1024, 'big.zip')).toThrow('big.zip: the file is 60.0 MB, over the 50 MB limit');
  });
});
