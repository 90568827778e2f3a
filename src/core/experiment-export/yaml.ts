import { yamlScalar, type Plain } from './quote';

/**
 * Just enough YAML for a config file, written by hand (no dependency): block mappings and lists,
 * numbers-only lists in flow style, every string double-quoted and ASCII-escaped (quoteAscii), so a
 * file name with quotes, colons, '#' or unicode cannot change the document's structure.
 */
export function toYaml(v: { [key: string]: Plain | undefined }, indent = 0): string {
  return mappingLines(v, indent).join('\n') + '\n';
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words YAML 1.1 (PyYAML) would read as booleans or null, not as the key's text. */
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

function key(k: string): string {
  return PLAIN_KEY.test(k) && !RESERVED.has(k.toLowerCase()) ? k : yamlScalar(k);
}

function isScalar(v: Plain): v is null | boolean | number | string {
  return v === null || typeof v !== 'object';
}

/** A value that fits on its key's line: a scalar, an empty collection, or a list of numbers. */
function inline(v: Plain): string | null {
  if (isScalar(v)) return yamlScalar(v);
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? `[${v.map((x) => yamlScalar(x as number)).join(', ')}]` : null;
  return Object.values(v).every((x) => x === undefined) ? '{}' : null;
}

function mappingLines(v: { [key: string]: Plain | undefined }, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    const one = inline(x);
    if (one !== null) lines.push(`${pad}${key(k)}: ${one}`);
    else lines.push(`${pad}${key(k)}:`, ...valueLines(x, indent + 2));
  }
  return lines;
}

function valueLines(v: Plain, indent: number): string[] {
  if (!Array.isArray(v)) return mappingLines(v as { [key: string]: Plain | undefined }, indent);
  const pad = ' '.repeat(indent);
  return v.flatMap((item) => {
    const one = inline(item);
    if (one !== null) return [`${pad}- ${one}`];
    // The item's own lines sit two deeper; its first line moves up onto the dash.
    const inner = valueLines(item, indent + 2);
    return [`${pad}- ${inner[0].slice(indent + 2)}`, ...inner.slice(1)];
  });
}
