/**
 * Literals that Python 3 and YAML both read back exactly. File names come from the user, so they are
 * never written into code or comments raw: only through quoteAscii, inside a double-quoted string.
 */

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A double-quoted, ASCII-only string literal, like JSON's with ensure_ascii, except that a character
 * beyond U+FFFF is written as one \UXXXXXXXX: Python would read JSON's surrogate pair "\ud83d\ude00"
 * as two lone surrogates, not as the emoji. \u, \U, \", \\, \n, \r and \t mean the same in Python
 * string literals and YAML double-quoted scalars.
 */
export function quoteAscii(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (SHORT_ESCAPES[ch]) out += SHORT_ESCAPES[ch];
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain | undefined };

function finite(n: number): number {
  if (!Number.isFinite(n)) throw new Error(`Cannot write ${n} as a literal.`);
  return n;
}

/** A Python literal that ast.literal_eval reads back as `v` (null → None, booleans → True/False). */
export function pythonLiteral(v: Plain, indent = ''): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  // String(n) is always a valid Python number: "4", "0.9", "1e-7", "1.5e+21".
  if (typeof v === 'number') return String(finite(v));
  if (typeof v === 'string') return quoteAscii(v);
  const inner = `${indent}    `;
  if (Array.isArray(v)) {
    // Short lists of numbers (widths, shapes) read best on one line.
    if (v.every((x) => typeof x === 'number')) return `[${v.map((x) => pythonLiteral(x)).join(', ')}]`;
    return v.length === 0 ? '[]' : `[\n${v.map((x) => `${inner}${pythonLiteral(x, inner)},\n`).join('')}${indent}]`;
  }
  const entries = Object.entries(v).filter((e): e is [string, Plain] => e[1] !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${quoteAscii(k)}: ${pythonLiteral(x, inner)},\n`).join('')}${indent}}`;
}

/**
 * A YAML scalar that PyYAML's safe_load reads back as `v`. PyYAML follows YAML 1.1, where a float
 * needs a dot and a signed exponent ("1e-7" would load as a string), so exponents are rewritten.
 */
export function yamlScalar(v: null | boolean | number | string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return quoteAscii(v);
  const s = String(finite(v));
  const m = /^(-?\d+)(\.\d+)?e([+-])(\d+)$/.exec(s);
  return m ? `${m[1]}${m[2] ?? '.0'}e${m[3]}${m[4]}` : s;
}
