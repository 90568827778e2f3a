import { readCell } from './cells';

/** Class labels as written in a file, mapped to indices 0..k-1 and back. */
export interface ClassIndex {
  /** Index → the label as first written in the file. */
  names: string[];
  /** The index of a label, or -1 for one not seen when the index was built. */
  indexOf(label: string): number;
}

/**
 * Sorted so the same labels always give the same indices, whatever order the rows come in; text sorts
 * by code unit, not by locale, so every browser agrees. When every label is a number they sort as
 * numbers ("2" before "10") and "1" and "1.0" are one class.
 */
export function buildClassIndex(labels: readonly string[]): ClassIndex {
  const trimmed = labels.map((s) => s.trim());
  const numeric = trimmed.length > 0 && trimmed.every((s) => readCell(s).kind === 'number');
  const keyOf = (s: string): string => (numeric && readCell(s).kind === 'number' ? String(Number(s)) : s);
  const firstSpelling = new Map<string, string>();
  for (const s of trimmed) if (!firstSpelling.has(keyOf(s))) firstSpelling.set(keyOf(s), s);
  const keys = [...firstSpelling.keys()];
  keys.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const position = new Map(keys.map((k, i) => [k, i]));
  return {
    names: keys.map((k) => firstSpelling.get(k) ?? k),
    indexOf: (label) => position.get(keyOf(label.trim())) ?? -1,
  };
}
