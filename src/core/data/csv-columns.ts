import { readCell } from './cells';
import type { CsvTable } from './csv-table';
import { DataError } from './errors';

const LABEL_NAMES = ['label', 'class', 'target'];

/** A column named label/class/target (any case, in that order of preference), else the last column. */
export function defaultLabelColumn(columns: readonly string[]): number {
  const lower = columns.map((c) => c.trim().toLowerCase());
  for (const name of LABEL_NAMES) {
    const j = lower.indexOf(name);
    if (j >= 0) return j;
  }
  return columns.length - 1;
}

/** A label column given by name (exact, then ignoring case) or by 0-based index. */
export function resolveLabelColumn(table: CsvTable, spec: string | number | undefined): number {
  const { columns, file } = table;
  if (spec === undefined) return defaultLabelColumn(columns);
  if (typeof spec === 'number') {
    if (Number.isInteger(spec) && spec >= 0 && spec < columns.length) return spec;
    throw new DataError(`label column index ${spec} is out of range; the file has ${columns.length} columns (0 to ${columns.length - 1})`, {
      file,
    });
  }
  const exact = columns.indexOf(spec);
  if (exact >= 0) return exact;
  const loose = columns.findIndex((c) => c.toLowerCase() === spec.trim().toLowerCase());
  if (loose >= 0) return loose;
  throw new DataError(`label column "${spec}" not found; the columns are: ${columns.join(', ')}`, { file });
}

/** Trimmed label of every row; an empty label is an error, not a class of its own. */
export function readLabels(table: CsvTable, column: number): string[] {
  return table.rows.map((r, i) => {
    const s = r[column].trim();
    if (s === '') throw new DataError('the label is empty', { file: table.file, row: table.lines[i], column: table.columns[column] });
    return s;
  });
}

/** The chosen columns as a row-major matrix; stops at the first cell that is not a finite number. */
export function readFeatures(table: CsvTable, featureColumns: readonly number[]): Float32Array {
  const m = featureColumns.length;
  const x = new Float32Array(table.rows.length * m);
  table.rows.forEach((r, i) => {
    featureColumns.forEach((j, k) => {
      const cell = readCell(r[j]);
      if (cell.kind === 'number') {
        x[i * m + k] = cell.value;
        return;
      }
      throw new DataError(badCellDetail(cell.kind, r[j]), { file: table.file, row: table.lines[i], column: table.columns[j] });
    });
  });
  return x;
}

function badCellDetail(kind: 'empty' | 'non-finite' | 'too-large' | 'text', raw: string): string {
  const shown = raw.trim().length > 40 ? `${raw.trim().slice(0, 40)}…` : raw.trim();
  if (kind === 'empty') return 'the cell is empty';
  if (kind === 'non-finite') return `"${shown}" is not a finite number`;
  if (kind === 'too-large') return `"${shown}" is too large for 32-bit floats (the largest is about 3.4e38)`;
  const hint = /^[+-]?\d+,\d+$/.test(shown)
    ? ' (use a dot for decimals, not a comma)'
    : ' (every column except the label must hold numbers)';
  return `"${shown}" is not a number${hint}`;
}

/**
 * Where each training column is in the test file: by name when both files have a header (so the
 * columns may come in another order), else by position.
 */
export function matchTestColumns(train: CsvTable, test: CsvTable): number[] {
  if (train.hasHeader && test.hasHeader) {
    const map = train.columns.map((name) => {
      const j = test.columns.indexOf(name);
      if (j < 0) throw new DataError(`no column "${name}" (the training file ${train.file} has one)`, { file: test.file });
      return j;
    });
    const extra = test.columns.find((name) => !train.columns.includes(name));
    if (extra !== undefined) {
      throw new DataError(`an extra column "${extra}" that the training file ${train.file} does not have`, { file: test.file });
    }
    return map;
  }
  if (test.columns.length !== train.columns.length) {
    throw new DataError(`${test.columns.length} columns, but the training file ${train.file} has ${train.columns.length}`, {
      file: test.file,
    });
  }
  return train.columns.map((_, j) => j);
}
