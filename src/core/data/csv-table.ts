/// <reference path="./papaparse-min.d.ts" />
import Papa from 'papaparse/papaparse.min.js';
import { looksNumeric } from './cells';
import { checkFileSize, DataError } from './errors';

export type CsvDelimiter = ',' | ';' | '\t';
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/** A delimited text file read into cells, with enough bookkeeping to point at any cell by line. */
export interface CsvTable {
  file: string;
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  /** From the header, or col1..colM without one; always unique. */
  columns: string[];
  /** Data rows only: no header, no blank lines. Cells are as written (not trimmed). */
  rows: string[][];
  /** The 1-based line in the file on which each data row starts (the header, if any, is line 1). */
  lines: number[];
}

export interface CsvReadOptions {
  /** Named in messages. */
  file?: string;
  /** Detected when absent. */
  delimiter?: CsvDelimiter;
  /** Detected when absent. */
  hasHeader?: boolean;
  /** Read only the first this many data rows (for a preview of a large file). */
  maxRows?: number;
}

const SAMPLE_ROWS = 30;
// A preview parses a few more raw rows than it shows, so that blank lines do not cut it short.
const PREVIEW_SLACK = 100;

export function readCsvTable(input: string, options: CsvReadOptions = {}): CsvTable {
  const file = options.file ?? 'CSV file';
  checkFileSize(input.length, file);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.trim() === '') throw new DataError('the file is empty', { file });
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const preview = options.maxRows === undefined ? 0 : options.maxRows + 1 + PREVIEW_SLACK;
  const parsed = Papa.parse(text, { delimiter, worker: false, preview });

  const { rows, lines } = withLineNumbers(parsed.data, parsed.meta.linebreak);
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const row = quoteError.row === undefined ? undefined : lineOfRawRow(parsed.data, quoteError.row, parsed.meta.linebreak);
    const detail =
      quoteError.code === 'MissingQuotes' ? 'a quoted field is never closed (missing ")' : `bad quotes (${quoteError.message})`;
    throw new DataError(detail, { file, row });
  }
  if (rows.length === 0) throw new DataError('the file is empty', { file });

  const hasHeader = options.hasHeader ?? detectHeader(rows.slice(0, SAMPLE_ROWS));
  const width = rows[0].length;
  const checkUntil = options.maxRows === undefined ? rows.length : Math.min(rows.length, options.maxRows + 1);
  for (let i = 1; i < checkUntil; i++) {
    if (rows[i].length !== width) {
      const like = hasHeader ? 'the header' : 'the first row';
      throw new DataError(`has ${rows[i].length} field${rows[i].length === 1 ? '' : 's'}, expected ${width} (like ${like})`, {
        file,
        row: lines[i],
      });
    }
  }
  dropTrailingEmptyColumn(rows, checkUntil);

  const columns = hasHeader ? uniqueNames(rows[0]) : rows[0].map((_, j) => `col${j + 1}`);
  const start = hasHeader ? 1 : 0;
  const end = options.maxRows === undefined ? rows.length : Math.min(rows.length, start + options.maxRows);
  if (hasHeader && rows.length === 1) throw new DataError('the file has a header but no data rows', { file });
  return { file, delimiter, hasHeader, columns, rows: rows.slice(start, end), lines: lines.slice(start, end) };
}

/** Picks the delimiter that splits the first rows into the same number (2 or more) of mostly numeric fields. */
export function detectDelimiter(text: string): CsvDelimiter {
  let best: { d: CsvDelimiter; score: number[] } | undefined;
  for (const d of CSV_DELIMITERS) {
    const sample = Papa.parse(text, { delimiter: d, worker: false, preview: SAMPLE_ROWS }).data.filter((r) => !isBlank(r));
    if (sample.length === 0 || sample[0].length < 2) continue;
    const width = sample[0].length;
    const consistent = sample.every((r) => r.length === width) ? 1 : 0;
    const cells = sample.slice(1).flat();
    const numericShare = cells.length ? cells.filter(looksNumeric).length / cells.length : 0;
    const score = [consistent, numericShare, width];
    if (!best || compareScores(score, best.score) > 0) best = { d, score };
  }
  return best?.d ?? ',';
}

/**
 * A header is a first row with a name where the rest of the column holds numbers. Looking at each
 * column (not the whole row) lets a text label column sit beside numeric features either way.
 */
export function detectHeader(sample: string[][]): boolean {
  if (sample.length === 0) return false;
  const [first, ...rest] = sample;
  const named = (s: string) => s.trim() !== '' && !looksNumeric(s);
  // A lone row of names is a header with no data below it, which is reported as such.
  if (rest.length === 0) return first.every(named);
  const numericBelow = first.some((cell, j) => {
    const below = rest.map((r) => r[j] ?? '').filter((s) => s.trim() !== '');
    return named(cell) && below.length > 0 && below.every(looksNumeric);
  });
  const anyNumberBelow = rest.some((r) => r.some(looksNumeric));
  return numericBelow || (first.every(named) && anyNumberBelow);
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function isBlank(row: string[]): boolean {
  return row.length === 1 && row[0].trim() === '';
}

/** Quoted fields may span lines, so a row's line is the count of line breaks before it, not its index. */
function withLineNumbers(data: string[][], linebreak: string): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  for (const r of data) {
    if (!isBlank(r)) {
      rows.push(r);
      lines.push(line);
    }
    line += 1 + embeddedBreaks(r, linebreak);
  }
  return { rows, lines };
}

function lineOfRawRow(data: string[][], index: number, linebreak: string): number {
  let line = 1;
  for (let i = 0; i < index && i < data.length; i++) line += 1 + embeddedBreaks(data[i], linebreak);
  return line;
}

function embeddedBreaks(row: string[], linebreak: string): number {
  const mark = linebreak === '\r' ? '\r' : '\n';
  let count = 0;
  for (const cell of row) for (let i = cell.indexOf(mark); i >= 0; i = cell.indexOf(mark, i + 1)) count++;
  return count;
}

/** Some exporters end every line with a delimiter; that phantom column would otherwise be all empty cells. */
function dropTrailingEmptyColumn(rows: string[][], checked: number): void {
  const width = rows[0].length;
  if (width < 2) return;
  for (let i = 0; i < checked; i++) if (rows[i][width - 1].trim() !== '') return;
  for (const r of rows) if (r.length === width) r.pop();
}

function uniqueNames(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, j) => {
    let name = raw.trim() || `col${j + 1}`;
    if (seen.has(name)) name = `${name} (${j + 1})`;
    seen.add(name);
    return name;
  });
}
