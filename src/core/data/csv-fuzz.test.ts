/**
 * Seeded random mutations of valid CSV files, a fixed number of them, fed to the parser: every call
 * either returns a well-formed data set or throws a DataError with a message; nothing else escapes (no
 * TypeError, RangeError, …) and no call takes long. The same cases run every time, on any machine:
 * each iteration is reproducible from its index.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, deriveSeed, type Rng } from '../rng';
import { CSV_MAX_CLASSES, csvToDataset, previewCsv, type CsvDatasetOptions } from './csv';
import { DataError } from './errors';
import type { Dataset } from './types';

const SEED = 20240611;
/** Fixed, not bounded by the clock: a slow or busy machine must test the same files as a fast one. */
const ITERATIONS = 2000;
/** One parse of a file under ~200 KB: anything near this is a hang in the making. */
const MAX_CALL_MS = 1000;
/** A wall-clock limit on a shared machine: a call over it is timed this many times in all, and only its best time counts. */
const TIMINGS = 3;
const MAX_TEXT = 200_000;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

// Valid files of several shapes: header or not, text or numeric labels, three delimiters, quotes, image rows.
const BASES: { name: string; text: string; imageShape?: [number, number, number] }[] = [
  {
    name: 'fruit.csv',
    text: `${[
      'weight,colour,sugar,label',
      ...Array.from({ length: 16 }, (_, i) => `${100 + i * 7},${(i % 5) / 5},${i * 1.25},${['apple', 'pear', 'plum'][i % 3]}`),
    ].join('\n')}\n`,
  },
  {
    name: 'numbers.csv',
    text: `${Array.from({ length: 14 }, (_, i) => `${i * 0.5};${-i};${(i * 37) % 11};${i % 2}`).join('\r\n')}\r\n`,
  },
  {
    name: 'quoted.tsv',
    text: [
      '"a"\t"b c"\t"class"',
      ...Array.from({ length: 12 }, (_, i) => `"${i}"\t${i * 3e-3}\t"${i % 3 === 0 ? 'x, y' : 'z "q"'.replace('"q"', '""q""')}"`),
    ].join('\n'),
  },
  {
    name: 'images.csv',
    text: [
      'p1,p2,p3,p4,label',
      ...Array.from({ length: 10 }, (_, i) => `${i % 256},${(i * 3) % 256},${(i * 7) % 256},${255 - i},${i % 2 ? 'dark' : 'light'}`),
    ].join('\n'),
    imageShape: [2, 2, 1],
  },
];

const ODD_CHARS = [
  ',',
  ';',
  '\t',
  '"',
  "'",
  '\n',
  '\r',
  '\r\n',
  '\0',
  '\uFEFF',
  ' ',
  '\\',
  '-',
  '+',
  '.',
  'e',
  'E',
  '0',
  '9',
  'a',
  'é',
  '😀',
  '\uD800',
  '\u2028',
  '#',
  '%',
];
const ODD_CELLS = [
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'inf',
  '1e999',
  '-1e999',
  '1e300',
  '3.5e38',
  '1e-320',
  '-0',
  '0x1F',
  '1_000',
  '1,5',
  '',
  ' ',
  '""',
  '"',
  '9'.repeat(400),
  '.',
  '-',
  'e5',
  '١٢٣',
  'null',
  'undefined',
  'true',
];

type Mutation = (text: string, rng: Rng) => string;

const lines = (t: string) => t.split(/\r?\n|\r/);

const MUTATIONS: Record<string, Mutation> = {
  flipChar: (t, rng) => {
    if (!t) return t;
    const i = int(rng, t.length);
    const c = rng() < 0.5 ? String.fromCharCode(int(rng, 256)) : pick(rng, ODD_CHARS);
    return t.slice(0, i) + c + t.slice(i + 1);
  },
  flipBits: (t, rng) => {
    if (!t) return t;
    const i = int(rng, t.length);
    return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ (1 << int(rng, 16))) + t.slice(i + 1);
  },
  truncate: (t, rng) => t.slice(0, int(rng, t.length + 1)),
  duplicateLine: (t, rng) => {
    const ls = lines(t);
    const i = int(rng, ls.length);
    ls.splice(i, 0, ls[i]);
    return ls.join('\n');
  },
  repeatLine: (t, rng) => {
    const ls = lines(t);
    const i = int(rng, ls.length);
    ls.splice(i, 0, ...Array.from({ length: 1 + int(rng, 400) }, () => ls[i]));
    return ls.join('\n');
  },
  deleteLine: (t, rng) => {
    const ls = lines(t);
    ls.splice(int(rng, ls.length), 1);
    return ls.join('\n');
  },
  swapLines: (t, rng) => {
    const ls = lines(t);
    const i = int(rng, ls.length);
    const j = int(rng, ls.length);
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return ls.join('\n');
  },
  insertDelimiter: (t, rng) => {
    const i = int(rng, t.length + 1);
    return t.slice(0, i) + pick(rng, [',', ';', '\t', ',,', ';;;']) + t.slice(i);
  },
  insertQuote: (t, rng) => {
    const i = int(rng, t.length + 1);
    return t.slice(0, i) + pick(rng, ['"', '""', '"\n"', '"a,b"']) + t.slice(i);
  },
  replaceCell: (t, rng) => {
    const ls = lines(t);
    const i = int(rng, ls.length);
    const d = pick(rng, [',', ';', '\t']);
    const cells = ls[i].split(d);
    cells[int(rng, cells.length)] = pick(rng, ODD_CELLS);
    ls[i] = cells.join(d);
    return ls.join('\n');
  },
  hugeNumber: (t, rng) =>
    t.replace(/\d+(\.\d+)?/, () =>
      pick(rng, ['1e308', '1.7976931348623157e308', '123456789012345678901234567890', '3.4028235e38', '1e39']),
    ),
  lineEnds: (t, rng) => t.replace(/\r?\n|\r/g, pick(rng, ['\r', '\r\n', '\n\n', '\n \n', '\u2028'])),
  bom: (t, rng) => (rng() < 0.5 ? `\uFEFF${t}` : `${t.slice(0, t.length >> 1)}\uFEFF${t.slice(t.length >> 1)}`),
  delimiterSwap: (t, rng) => {
    const from = pick(rng, [',', ';', '\t']);
    return t.split(from).join(pick(rng, [',', ';', '\t', ' ', '|']));
  },
  trailingDelimiters: (t, rng) =>
    lines(t)
      .map((l) => (rng() < 0.7 ? `${l},` : l))
      .join('\n'),
  manyLabels: (t, rng) =>
    lines(t)
      .map((l, i) => (i > 0 && rng() < 0.8 ? l.replace(/[^,;\t]*$/, `class${i}`) : l))
      .join('\n'),
  manyColumns: (t, rng) => {
    const extra = ','.repeat(1 + int(rng, 300));
    return lines(t)
      .map((l) => (rng() < 0.9 ? extra + l : l))
      .join('\n');
  },
  unicodeJunk: (t, rng) => {
    const i = int(rng, t.length + 1);
    const junk = Array.from({ length: 1 + int(rng, 30) }, () => String.fromCharCode(int(rng, 0x10000))).join('');
    return t.slice(0, i) + junk + t.slice(i);
  },
  removeNewlines: (t) => t.replace(/\r?\n|\r/g, ''),
  onlyHeader: (t) => lines(t)[0],
  empty: () => '',
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

function mutate(text: string, rng: Rng): { text: string; applied: string[] } {
  const applied: string[] = [];
  let t = text;
  // Mostly one or two edits, so that many files stay close enough to valid to reach the later checks.
  const n = pick(rng, [1, 1, 1, 2, 2, 3, 4]);
  for (let k = 0; k < n; k++) {
    const name = pick(rng, MUTATION_NAMES);
    applied.push(name);
    t = MUTATIONS[name](t, rng);
    if (t.length > MAX_TEXT) t = t.slice(0, MAX_TEXT);
  }
  return { text: t, applied };
}

/** What every accepted data set must satisfy (finiteness is counted separately: see the bad-inputs catalogue's 1e300 entry). */
function checkDataset(d: Dataset): void {
  expect(d.numFeatures).toBeGreaterThanOrEqual(1);
  expect(d.numClasses).toBeGreaterThanOrEqual(2);
  expect(d.numClasses).toBeLessThanOrEqual(CSV_MAX_CLASSES);
  expect(d.classNames).toHaveLength(d.numClasses);
  for (const split of [d.train, d.test]) {
    expect(split.n).toBeGreaterThanOrEqual(1);
    expect(split.x).toHaveLength(split.n * d.numFeatures);
    expect(split.y).toHaveLength(split.n);
    for (const y of split.y) expect(y >= 0 && y < d.numClasses).toBe(true);
  }
}

const allFinite = (d: Dataset): boolean => [d.train.x, d.test.x].every((x) => x.every(Number.isFinite));

interface Leak {
  iteration: number;
  mutations: string[];
  call: string;
  error: string;
  input: string;
}

interface FuzzResults {
  iterations: number;
  accepted: number;
  refused: number;
  previews: number;
  previewRefused: number;
  /** Anything thrown that is not a DataError with a message (including a broken invariant of an accepted data set). */
  escaped: Leak[];
  slowCalls: string[];
  /** Accepted data sets whose features hold Infinity or NaN. */
  nonFinite: string[];
}

/** How long `call` takes, whether it returns or throws (what it gives was checked on its first run). */
function timeOf(call: () => unknown): number {
  const t0 = performance.now();
  try {
    call();
  } catch {
    // Its refusal was judged on the first run: only the time matters here.
  }
  return performance.now() - t0;
}

function fuzz(): FuzzResults {
  const start = performance.now();
  const r: FuzzResults = {
    iterations: 0,
    accepted: 0,
    refused: 0,
    previews: 0,
    previewRefused: 0,
    escaped: [],
    slowCalls: [],
    nonFinite: [],
  };
  let slowest = 0;
  for (let i = 0; i < ITERATIONS; i++, r.iterations++) {
    const rng = createRng(deriveSeed(SEED, i));
    const base = pick(rng, BASES);
    const { text, applied } = mutate(base.text, rng);
    const options: CsvDatasetOptions = {
      fileName: base.name,
      normalisation: pick(rng, ['none', '0-1', 'standardise'] as const),
      labelColumn: rng() < 0.7 ? undefined : pick(rng, [0, 3, 4, -1, 99, 1.5, 'label', 'class', 'nope']),
      imageShape:
        rng() < 0.8
          ? base.imageShape
          : (pick(rng, [undefined, [1, 1, 3], [0, 2, 2], [2, 2, 1]] as const)?.slice() as [number, number, number] | undefined),
      test:
        rng() < 0.75
          ? { kind: 'fraction', testFraction: pick(rng, [0.25, 0.5, 0.1, 0.9]), seed: i }
          : { kind: 'file', text: mutate(base.text, rng).text, fileName: 'test.csv' },
    };
    const preview = rng() < 0.3;
    const call = preview ? 'previewCsv' : `csvToDataset(${JSON.stringify({ ...options, test: options.test.kind })})`;
    const t0 = performance.now();
    try {
      if (preview) {
        const p = previewCsv(text, 8, { fileName: base.name });
        expect(p.columns.length).toBeGreaterThanOrEqual(1);
        expect(p.labelColumn >= 0 && p.labelColumn < p.columns.length).toBe(true);
        r.previews++;
      } else {
        const d = csvToDataset(text, options);
        checkDataset(d);
        r.accepted++;
        if (!allFinite(d)) {
          const all = text + (options.test.kind === 'file' ? `\n${options.test.text}` : '');
          r.nonFinite.push(
            `#${i} ${applied.join('+')}: ${all.match(/[^\s,;]*(?:e3[89]|e[4-9]\d|e[1-9]\d\d|\d{39,})[^\s,;]*/i)?.[0] ?? '?'}`,
          );
        }
      }
    } catch (e) {
      if (e instanceof DataError && e.message.trim() !== '') {
        if (preview) r.previewRefused++;
        else r.refused++;
      } else {
        r.escaped.push({
          iteration: i,
          mutations: applied,
          call,
          error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
          input: text.slice(0, 200),
        });
      }
    }
    const first = performance.now() - t0;
    const again = () => (preview ? previewCsv(text, 8, { fileName: base.name }) : csvToDataset(text, options));
    const times = first > MAX_CALL_MS ? [first, ...Array.from({ length: TIMINGS - 1 }, () => timeOf(again))] : [first];
    const ms = Math.min(...times);
    slowest = Math.max(slowest, ms);
    if (ms > MAX_CALL_MS) r.slowCalls.push(`iteration ${i} (${applied.join(', ')}): ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  }
  const elapsed = performance.now() - start;
  console.log(
    `CSV fuzz: ${r.iterations} iterations in ${elapsed.toFixed(0)} ms; data sets accepted ${r.accepted} (with non-finite features: ${r.nonFinite.length}), refused ${r.refused}; ` +
      `previews ${r.previews}, refused ${r.previewRefused}; escaped ${r.escaped.length}; slowest call ${slowest.toFixed(1)} ms`,
  );
  if (r.nonFinite.length) console.log('CSV fuzz: accepted with non-finite features (first 5):', r.nonFinite.slice(0, 5));
  if (r.escaped.length) console.log('CSV fuzz, escaped (first 10):', JSON.stringify(r.escaped.slice(0, 10), null, 1));
  return r;
}

describe('CSV parser fuzz', () => {
  let results: FuzzResults;
  beforeAll(() => {
    results = fuzz();
  }, 60_000);

  it(`returns a well-formed data set or throws a DataError for every mutated file (${ITERATIONS} files)`, () => {
    expect(results.iterations).toBe(ITERATIONS);
    expect(results.escaped).toEqual([]);
  });

  it('answers every file quickly: no hang', () => {
    expect(results.slowCalls).toEqual([]);
  });

  // Was a bug: readCell checked finiteness as a double, so 1e39 (finite as a double, not as a float32)
  // was accepted and became Infinity in the Float32Array of features.
  it('accepts only data sets whose features are all finite', () => {
    expect(results.nonFinite).toEqual([]);
  });
});
