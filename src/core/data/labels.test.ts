import { describe, expect, it } from 'vitest';
import { readCell } from './cells';
import { buildClassIndex } from './labels';

describe('readCell', () => {
  it('tells numbers, empties, non-finite values and text apart', () => {
    expect(readCell(' -1.5e2 ')).toEqual({ kind: 'number', value: -150 });
    expect(readCell('.5')).toEqual({ kind: 'number', value: 0.5 });
    expect(readCell('  ')).toEqual({ kind: 'empty' });
    expect(['nan', 'Inf', '-infinity', '1e400'].map((s) => readCell(s).kind)).toEqual(Array(4).fill('non-finite'));
    // Number() would read these as 31, 0 and 1000.
    expect(['0x1f', '1,000', '1_000', 'abc'].map((s) => readCell(s).kind)).toEqual(Array(4).fill('text'));
  });
});

describe('buildClassIndex', () => {
  it('sorts text labels by code unit, whatever the row order', () => {
    const a = buildClassIndex(['dog', 'cat', 'Zebra', 'cat']);
    expect(a.names).toEqual(['Zebra', 'cat', 'dog']);
    expect(['cat', 'dog', 'Zebra', ' dog ', 'cow'].map(a.indexOf)).toEqual([1, 2, 0, 2, -1]);
  });

  it('sorts numeric labels as numbers and treats 1 and 1.0 as one class', () => {
    const b = buildClassIndex(['10', '2', '1.0', '1']);
    expect(b.names).toEqual(['1.0', '2', '10']);
    expect(['1', '1.00', '10', 'x'].map(b.indexOf)).toEqual([0, 0, 2, -1]);
  });
});
