/** What a text cell holds, told apart so that each kind of bad cell gets its own message. */
export type Cell =
  | { kind: 'number'; value: number }
  | { kind: 'empty' }
  | { kind: 'non-finite' }
  /** A finite decimal beyond float32's range: the feature matrix (Float32Array) would hold Infinity. */
  | { kind: 'too-large' }
  | { kind: 'text' };

// Decimal literals only: Number() would also accept '', ' ', '0x1f' and '1_000' in ways a person would not expect.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

export function readCell(raw: string): Cell {
  const s = raw.trim();
  if (s === '') return { kind: 'empty' };
  if (NON_FINITE.test(s)) return { kind: 'non-finite' };
  if (!DECIMAL.test(s)) return { kind: 'text' };
  const value = Number(s);
  // '1e999' is a well-formed literal that still overflows.
  if (!Number.isFinite(value)) return { kind: 'non-finite' };
  // Features are stored as float32: '1e39' is finite as a double but Infinity there. fround rounds as the
  // store will, so float32's own maximum written out ('3.4028235e38') is still accepted.
  if (!Number.isFinite(Math.fround(value))) return { kind: 'too-large' };
  return { kind: 'number', value };
}

/** True for cells that read as numbers, including NaN/Infinity spellings (they are values, not names). */
export function looksNumeric(raw: string): boolean {
  const k = readCell(raw).kind;
  return k === 'number' || k === 'non-finite' || k === 'too-large';
}
