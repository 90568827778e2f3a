import { describe, expect, it } from 'vitest';
import { csvToDataset, defaultLabelColumn, previewCsv, type CsvDatasetOptions } from './csv';
import { errorOf } from './error-of';

const byFraction = { kind: 'fraction', testFraction: 0.5, seed: 1 } as const;
const opts = (o: Partial<CsvDatasetOptions> = {}): CsvDatasetOptions => ({
  fileName: 'd.csv',
  normalisation: 'none',
  test: byFraction,
  ...o,
});

// Four rows per class so a 50 % split puts two of each on each side.
const FRUIT = `weight,colour,label
150,0.9,apple
170,0.8,apple
160,0.7,apple
180,0.95,apple
120,0.2,pear
130,0.1,pear
110,0.3,pear
125,0.25,pear
`;

describe('previewCsv', () => {
  it('returns the first rows, the columns, the format and the proposed label column', () => {
    const p = previewCsv('a;b;Class;z\n1;2;x;3\n4;5;y;6\n7;8;x;9\n', 2);
    expect(p).toEqual({
      columns: ['a', 'b', 'Class', 'z'],
      rows: [
        ['1', '2', 'x', '3'],
        ['4', '5', 'y', '6'],
      ],
      delimiter: ';',
      hasHeader: true,
      labelColumn: 2,
    });
  });

  it('proposes label, class, target (any case) before falling back to the last column', () => {
    expect(defaultLabelColumn(['target', 'x', 'CLASS'])).toBe(2);
    expect(defaultLabelColumn(['Label', 'class'])).toBe(0);
    expect(defaultLabelColumn(['a', 'b', 'c'])).toBe(2);
  });
});

describe('csvToDataset', () => {
  it('maps text labels to sorted class indices and splits by class', () => {
    const d = csvToDataset(FRUIT, opts());
    expect(d.classNames).toEqual(['apple', 'pear']);
    expect([d.numFeatures, d.numClasses, d.train.n, d.test.n]).toEqual([2, 2, 4, 4]);
    expect(d.featureNames).toEqual(['weight', 'colour']);
    expect([...d.test.y].sort()).toEqual([0, 0, 1, 1]);
    expect(d.name).toBe('d.csv');
    // Without scaling each row is as written: find one of them.
    const rows = Array.from({ length: d.train.n }, (_, i) => [d.train.x[2 * i], d.train.x[2 * i + 1], d.train.y[i]]);
    const all = [...rows, ...Array.from({ length: d.test.n }, (_, i) => [d.test.x[2 * i], d.test.x[2 * i + 1], d.test.y[i]])];
    expect(all).toContainEqual([125, Math.fround(0.25), 1]);
  });

  it('is deterministic for a seed', () => {
    expect(csvToDataset(FRUIT, opts()).test.x).toEqual(csvToDataset(FRUIT, opts()).test.x);
  });

  it('sorts numeric labels as numbers and names classes as written', () => {
    const text = 'x,label\n1,10\n2,2\n3,10\n4,2\n5,1.0\n6,1\n';
    const d = csvToDataset(text, opts({ test: { kind: 'fraction', testFraction: 0.5, seed: 2 } }));
    expect(d.classNames).toEqual(['1.0', '2', '10']);
  });

  it('takes the label column by name (any case) or by index, leaving the others as features', () => {
    const text = 'kind,x,y\na,1,2\nb,3,4\na,5,6\nb,7,8\n';
    expect(csvToDataset(text, opts({ labelColumn: 'KIND' })).featureNames).toEqual(['x', 'y']);
    expect(csvToDataset(text, opts({ labelColumn: 0 })).classNames).toEqual(['a', 'b']);
  });

  it('standardises with training-split statistics only (checked by hand)', () => {
    const train = 'x,c,label\n1,7,a\n3,7,b\n';
    const test = 'x,c,label\n5,9,a\n';
    const d = csvToDataset(train, opts({ normalisation: 'standardise', test: { kind: 'file', text: test, fileName: 't.csv' } }));
    // Training x: mean 2, population sd 1, so 1 → -1, 3 → 1 and the test's 5 → 3. Column c is constant: 0, and (9-7)/1 = 2.
    expect([...d.train.x]).toEqual([-1, 0, 1, 0]);
    expect([...d.test.x]).toEqual([3, 2]);
    expect(d.scaling).toEqual({ kind: 'standardise', offset: [2, 7], scale: [1, 1] });
  });

  it('scales to 0..1 by the training min and max', () => {
    const train = 'x,label\n2,a\n4,b\n10,a\n';
    const d = csvToDataset(train, opts({ normalisation: '0-1', test: { kind: 'file', text: 'x,label\n6,b\n' } }));
    expect([...d.train.x]).toEqual([0, 0.25, 1]);
    expect([...d.test.x]).toEqual([0.5]);
  });

  it('matches test columns by name, in any order', () => {
    const d = csvToDataset('x,y,label\n1,2,a\n3,4,b\n', opts({ test: { kind: 'file', text: 'label,y,x\nb,20,10\n' } }));
    expect([...d.test.x]).toEqual([10, 20]);
    expect([...d.test.y]).toEqual([1]);
  });

  it('keeps an image shape whose size matches the features', () => {
    const text = 'p1,p2,p3,p4,label\n0,1,2,3,a\n4,5,6,7,b\n0,0,0,0,a\n1,1,1,1,b\n';
    expect(csvToDataset(text, opts({ imageShape: [2, 2, 1] })).imageShape).toEqual([2, 2, 1]);
  });
});

describe('csvToDataset: messages that say what and where', () => {
  const cases: [string, string, Partial<CsvDatasetOptions>, string][] = [
    ['an empty file', '', {}, 'd.csv: the file is empty'],
    [
      'a non-numeric cell',
      'x,y,label\n1,2,a\n3,abc,b\n',
      {},
      'd.csv, row 3, column "y": "abc" is not a number (every column except the label must hold numbers)',
    ],
    [
      'a decimal comma',
      'x;label\n1,5;a\n2;b\n',
      {},
      'd.csv, row 2, column "x": "1,5" is not a number (use a dot for decimals, not a comma)',
    ],
    ['an empty cell', 'x,y,label\n1,2,a\n3, ,b\n', {}, 'd.csv, row 3, column "y": the cell is empty'],
    ['NaN', 'x,label\n1,a\nNaN,b\n', {}, 'd.csv, row 3, column "x": "NaN" is not a finite number'],
    ['Infinity', 'x,label\n-Infinity,a\n1,b\n', {}, 'd.csv, row 2, column "x": "-Infinity" is not a finite number'],
    ['an overflowing number', 'x,label\n1e999,a\n1,b\n', {}, 'd.csv, row 2, column "x": "1e999" is not a finite number'],
    ['an empty label', 'x,label\n1,a\n2,\n', {}, 'd.csv, row 3, column "label": the label is empty'],
    [
      'a single class',
      'x,label\n1,a\n2,a\n',
      {},
      'd.csv, column "label": every row has the same label ("a"); at least two classes are needed',
    ],
    [
      'a class with one row',
      'x,label\n1,a\n2,a\n3,b\n',
      {},
      'd.csv: class "b" has 1 example; each class needs at least 2 (one to train on, one to test on)',
    ],
    ['a missing label column', 'x,y\n1,a\n', { labelColumn: 'species' }, 'd.csv: label column "species" not found; the columns are: x, y'],
    [
      'a label index out of range',
      'x,y\n1,a\n',
      { labelColumn: 5 },
      'd.csv: label column index 5 is out of range; the file has 2 columns (0 to 1)',
    ],
    [
      'no feature columns',
      'label\n1\n2\n',
      {},
      'd.csv: no feature columns; the file needs at least one column besides the label column "label"',
    ],
    [
      'a wrong image shape',
      'a,b,c,label\n1,2,3,x\n4,5,6,y\n',
      { imageShape: [2, 2, 1] },
      'd.csv: image shape 2×2×1 needs 4 values per row, but the file has 3 feature columns',
    ],
    ['a ragged row', 'x,label\n1,a\n2\n', {}, 'd.csv, row 3: has 1 field, expected 2 (like the header)'],
  ];
  it.each(cases)('%s', (_name, text, o, message) => {
    expect(() => csvToDataset(text, opts(o))).toThrow(message);
  });

  it('fills the fields the UI can point at', () => {
    const e = errorOf(() => csvToDataset('x,y,label\n1,2,a\n3,abc,b\n', opts()));
    expect([e.file, e.row, e.column, e.detail]).toEqual(['d.csv', 3, 'y', expect.stringMatching(/^"abc" is not a number/)]);
  });

  it('too many different labels suggests the wrong label column was picked', () => {
    const text = `x,price\n${Array.from({ length: 300 }, (_, i) => `${i},${i}.5`).join('\n')}`;
    expect(() => csvToDataset(text, opts())).toThrow(
      'd.csv, column "price": 300 different labels; at most 256 classes are supported (is this the right label column?)',
    );
  });

  it('refuses a test file with labels unseen in training, naming the row', () => {
    const test = { kind: 'file', text: 'x,label\n1,a\n2,c\n', fileName: 't.csv' } as const;
    expect(() => csvToDataset('x,label\n1,a\n2,b\n', opts({ test }))).toThrow(
      't.csv, row 3, column "label": label "c" does not appear in the training file d.csv (its classes: a, b)',
    );
  });

  it('refuses a test file whose columns differ', () => {
    const train = 'x,y,label\n1,2,a\n3,4,b\n';
    const t = (text: string) => ({ kind: 'file', text, fileName: 't.csv' }) as const;
    expect(() => csvToDataset(train, opts({ test: t('x,label\n1,a\n') }))).toThrow(
      't.csv: no column "y" (the training file d.csv has one)',
    );
    expect(() => csvToDataset(train, opts({ test: t('x,y,z,label\n1,2,3,a\n') }))).toThrow(
      't.csv: an extra column "z" that the training file d.csv does not have',
    );
    expect(() => csvToDataset('1,2,a\n3,4,b\n', opts({ test: t('1,a\n') }))).toThrow('t.csv: 2 columns, but the training file d.csv has 3');
    expect(() => csvToDataset(train, opts({ test: t('') }))).toThrow('t.csv: the file is empty');
  });

  it('refuses a test fraction outside (0, 1)', () => {
    expect(() => csvToDataset(FRUIT, opts({ test: { kind: 'fraction', testFraction: 1, seed: 1 } }))).toThrow(
      'the test fraction must be between 0 and 1 (exclusive), got 1',
    );
  });
});
