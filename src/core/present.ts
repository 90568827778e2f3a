/** The value, or a thrown error naming what was missing: a non-null assertion that fails loudly instead of passing `undefined` on. */
export function present<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`Expected ${what} to be present, got ${value}.`);
  return value;
}
