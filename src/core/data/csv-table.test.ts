import { describe, expect, it } from 'vitest';
import { detectHeader, readCsvTable } from './csv-table';
import { errorOf } from './error-of';
import { MAX_DATA_FILE_BYTES } from './errors';

describe('readCsvTable: format detection', () => {
  it.each([
    ['comma', 'a,b,label\n1,2,x\n3,4,y\n', ','],
    ['semicolon', 'a;b;label\n1.5;2;x\n3;4;y\n', ';'],
    ['tab', 'a\tb\tlabel\n1\t2\tx\n3\t4\ty\n', '\t'],
    ['semicolon with commas in text labels', 'a;b;label\n1;2;big, red\n3;4;small, blue\n', ';'],
  ])('detects a %s delimiter', (_name, text, delimiter) => {
    const t = readCsvTable(text, { file: 'd.csv' });
    expect(t.delimiter).toBe(delimiter);
    expect(t.columns).toEqual(['a', 'b', 'label']);
    expect(t.rows.length).toBe(2);
  });

  it('takes a first row of names above numbers as a header, even beside a text label column', () => {
    expect(readCsvTable('len,width,species\n5.1,3.5,setosa\n4.9,3,setosa\n').hasHeader).toBe(true);
    expect(
      detectHeader([
        ['x', 'y'],
        ['1', '2'],
      ]),
    ).toBe(true);
  });

  it('sees no header when the first row is data, and names the columns col1..', () => {
    const t = readCsvTable('5.1,3.5,setosa\n4.9,3,versicolor\n');
    expect(t.hasHeader).toBe(false);
    expect(t.columns).toEqual(['col1', 'col2', 'col3']);
    expect(t.rows).toEqual([
      ['5.1', '3.5', 'setosa'],
      ['4.9', '3', 'versicolor'],
    ]);
    expect(t.lines).toEqual([1, 2]);
  });

  it('lets the caller override delimiter and header', () => {
    const t = readCsvTable('1,2;3\n4,5;6\n', { delimiter: ';', hasHeader: false });
    expect(t.rows).toEqual([
      ['1,2', '3'],
      ['4,5', '6'],
    ]);
  });

  it('strips a byte-order mark, handles CRLF, and drops a trailing delimiter on every line', () => {
    const t = readCsvTable('\ufeffx,y,label,\r\n1,2,a,\r\n3,4,b,\r\n');
    expect(t.columns).toEqual(['x', 'y', 'label']);
    expect(t.rows).toEqual([
      ['1', '2', 'a'],
      ['3', '4', 'b'],
    ]);
  });

  it('makes empty and repeated header names unique', () => {
    expect(readCsvTable('x,,x,label\n1,2,3,a\n').columns).toEqual(['x', 'col2', 'x (3)', 'label']);
  });

  it('numbers rows by the line a person sees, past blank lines and multi-line quoted fields', () => {
    const t = readCsvTable('x,note,label\n1,plain,a\n\n2,"two\nlines",b\n3,ok,c\n');
    expect(t.lines).toEqual([2, 4, 6]);
  });

  it('reads only the first rows for a preview', () => {
    const t = readCsvTable('x,label\n1,a\n2,b\n3,c\n4,d\n', { maxRows: 2 });
    expect(t.rows).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
  });
});

describe('readCsvTable: bad files', () => {
  it('refuses an empty file', () => {
    expect(() => readCsvTable('', { file: 'e.csv' })).toThrow('e.csv: the file is empty');
    expect(() => readCsvTable('\ufeff \n\n', { file: 'e.csv' })).toThrow('e.csv: the file is empty');
  });

  it('refuses a header without data', () => {
    expect(() => readCsvTable('x,y,label\n', { file: 'h.csv' })).toThrow('h.csv: the file has a header but no data rows');
  });

  it('names the row and field count of a ragged row', () => {
    const e = errorOf(() => readCsvTable('x,y,label\n1,2,a\n\n3,b\n', { file: 'r.csv' }));
    expect(e.message).toBe('r.csv, row 4: has 2 fields, expected 3 (like the header)');
    expect([e.file, e.row]).toEqual(['r.csv', 4]);
    expect(() => readCsvTable('1,2,a\n3,4,b,9\n', { file: 'r.csv' })).toThrow(
      'r.csv, row 2: has 4 fields, expected 3 (like the first row)',
    );
  });

  it('points at an unclosed quote', () => {
    expect(() => readCsvTable('x,label\n1,a\n2,"b\n3,c\n', { file: 'q.csv' })).toThrow(
      'q.csv, row 3: a quoted field is never closed (missing ")',
    );
  });

  it('refuses text over the size limit before parsing it', () => {
    const big = 'x'.repeat(MAX_DATA_FILE_BYTES + 1);
    expect(() => readCsvTable(big, { file: 'big.csv' })).toThrow('big.csv: the file is 50.0 MB, over the 50 MB limit');
  });
});
