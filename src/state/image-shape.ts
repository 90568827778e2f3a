/** Parses "28x28x1" (or with × or commas) into an image shape; null when empty. */
export function parseImageShape(text: string): [number, number, number] | null | 'invalid' {
  const t = text.trim();
  if (!t) return null;
  const parts = t.split(/[x×,\s]+/i).map(Number);
  if (parts.length === 2) parts.push(1);
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p) || p < 1)) return 'invalid';
  return [parts[0], parts[1], parts[2]];
}
