/**
 * Seeded random mutations of valid model files (model.json of layers and graph models, their weights,
 * zips of them), a fixed number of them, fed to importModel: every call either returns a model
 * (disposed at once) or throws a ModelIoError with a message; nothing else escapes, no tensor is left
 * behind, and no call takes long. The same cases run every time, on any machine: each iteration is
 * reproducible from its index.
 */
import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, deriveSeed, type Rng } from '../rng';
import { useCpuBackend } from '../test-setup';
import { ModelIoError } from './errors';
import { exportModel } from './export';
import { importModel } from './import';
import { imageModel, smallMlp, softmaxMlp, tinyGraphModel } from './test-fixtures';
import type { ModelFile } from './types';

const SEED = 7071;
/** Fixed, not bounded by the clock, so that what the fuzz finds does not depend on the machine's speed or load. */
const ITERATIONS = 1000;
/** One import of a model this small: anything near this is a hang in the making. */
const MAX_CALL_MS = 2000;
/** A wall-clock limit on a shared machine: an import over it is timed this many times in all, and only its best time counts. */
const TIMINGS = 3;

/**
 * Numbers written into the topology (units, shapes, kernel sizes…), middle-sized ones included: each
 * weight a layer asks for is checked against what the manifest holds before it is allocated, so 1e5..1e9
 * units are refused without allocating (a call that allocated gigabytes would show as a slow call).
 */
const TOPOLOGY_NUMBERS = [0, -1, 1, 2, 3, 4, 8, 0.5, 1.5, 64, 1e5, 1e6, 5e6, 1e7, 1e8, 1e9, 3e9, 2 ** 33, 1e20, -1e20, 1e308];
/** Numbers written into the manifest: anything goes, sizes are checked against the bytes before allocation. */
const MANIFEST_NUMBERS = [0, -1, 1, 2, 3, 0.5, 1e9, 2 ** 31, 2 ** 53, 1e20, 1e308, -0];
const ODD_VALUES: unknown[] = [null, true, false, 0, -1, '', 'x', '3', [], {}, [1, 2], { a: 1 }, [[[]]], 'float32', 'model.json'];
const CLASS_NAMES = [
  'Dense',
  'Conv2D',
  'Flatten',
  'Softmax',
  'Activation',
  'InputLayer',
  'Sequential',
  'Model',
  'Functional',
  'Reshape',
  'Dropout',
  'Lambda',
  'Foo',
  '',
  '__proto__',
  'constructor',
  'toString',
];
const DTYPES: unknown[] = ['float32', 'int32', 'bool', 'string', 'complex64', 'float16', 'uint8', 'float64', 7, null];
const OPS = [
  'Const',
  'Placeholder',
  'MatMul',
  'AddV2',
  'Softmax',
  'Identity',
  'Exp',
  'Sum',
  'RealDiv',
  'Relu',
  'Reshape',
  'NoOp',
  'While',
  'Enter',
  'MyOp',
  '',
];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

type Json = unknown;
type Path = (string | number)[];

interface Base {
  name: string;
  json: Json;
  weights: Uint8Array;
  weightsName: string;
}

let BASES: Base[] = [];

beforeAll(async () => {
  await useCpuBackend();
  const fromLayers = async (name: string, model: tf.LayersModel, quantization?: 'uint8' | 'float16'): Promise<Base> => {
    const e = await exportModel(model, quantization ? { quantization } : {});
    model.dispose();
    return { name, json: JSON.parse(e.modelJson), weights: e.weights, weightsName: e.weightsFileName };
  };
  const [graphJson, graphBin] = tinyGraphModel([1, 2, 3, 4, 5, 6], [0.5, -0.5], 'softmax');
  BASES = [
    await fromLayers('mlp', smallMlp(1)),
    await fromLayers('softmax mlp', softmaxMlp(2)),
    await fromLayers('uint8 mlp', smallMlp(3), 'uint8'),
    await fromLayers('float16 mlp', smallMlp(4), 'float16'),
    await fromLayers('image cnn', imageModel(5)),
    { name: 'graph', json: JSON.parse(new TextDecoder().decode(graphJson.bytes)), weights: graphBin.bytes, weightsName: graphBin.name },
  ];
});

/** Every path to a value in the tree (bounded, so the walk itself cannot blow up). */
function allPaths(root: Json, under: Path = []): Path[] {
  const out: Path[] = [];
  const walk = (v: Json, path: Path, depth: number) => {
    if (out.length > 5000 || depth > 60) return;
    out.push(path);
    if (Array.isArray(v)) for (const [i, c] of v.entries()) walk(c, [...path, i], depth + 1);
    else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k], depth + 1);
  };
  walk(get(root, under), under, 0);
  return out;
}

function get(root: Json, path: Path): Json {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, Json>)[k] : undefined;
  return v;
}

function set(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const parent = get(root, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Record<string | number, Json>)[path[path.length - 1]] = value;
  return root;
}

function remove(root: Json, path: Path): Json {
  if (path.length === 0) return undefined;
  const parent = get(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
  else if (parent !== null && typeof parent === 'object') delete (parent as Record<string | number, Json>)[key];
  return root;
}

/** Paths whose last key is `key` (e.g. every 'shape', every 'dtype'). */
const pathsNamed = (root: Json, key: string): Path[] => allPaths(root).filter((p) => p[p.length - 1] === key);
const numberPaths = (root: Json, under: Path): Path[] => allPaths(root, under).filter((p) => typeof get(root, p) === 'number');

function nested(rng: Rng, depth: number): Json {
  let v: Json = pick(rng, [1, 'x', null, {}]);
  for (let i = 0; i < depth; i++) v = rng() < 0.5 ? [v] : { [pick(rng, ['layers', 'config', 'class_name', 'a', 'node'])]: v };
  return v;
}

function numbersToStrings(v: Json): Json {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(numbersToStrings);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, c]) => [k, numbersToStrings(c)]));
  return v;
}

type TreeMutation = (doc: Json, rng: Rng) => Json;

const TREE_MUTATIONS: Record<string, TreeMutation> = {
  deleteKey: (d, rng) => remove(d, pick(rng, allPaths(d))),
  changeType: (d, rng) => {
    const p = pick(rng, allPaths(d));
    const v = get(d, p);
    const next =
      typeof v === 'number' && rng() < 0.5
        ? String(v)
        : typeof v === 'string' && rng() < 0.5
          ? Number(v) || 0
          : structuredClone(pick(rng, ODD_VALUES));
    return set(d, p, next);
  },
  shape: (d, rng) => {
    const paths = [
      ...pathsNamed(d, 'shape'),
      ...pathsNamed(d, 'batch_input_shape'),
      ...pathsNamed(d, 'target_shape'),
      ...pathsNamed(d, 'kernel_size'),
    ];
    if (!paths.length) return d;
    const p = pick(rng, paths);
    const inManifest = p[0] === 'weightsManifest';
    const nums = inManifest ? MANIFEST_NUMBERS : TOPOLOGY_NUMBERS;
    const old = get(d, p);
    const len = Array.isArray(old) ? old.length : 1;
    const shapes: Json[] = [
      [],
      [pick(rng, nums)],
      Array.from({ length: len }, () => pick(rng, nums)),
      Array.from({ length: len + 1 }, () => pick(rng, nums)),
      [null, pick(rng, nums)],
      ['3'],
      5,
    ];
    return set(d, p, pick(rng, shapes));
  },
  dtype: (d, rng) => {
    const paths = pathsNamed(d, 'dtype');
    return paths.length ? set(d, pick(rng, paths), pick(rng, DTYPES)) : d;
  },
  paths: (d, rng) => {
    const paths = pathsNamed(d, 'paths');
    return paths.length
      ? set(
          d,
          pick(rng, paths),
          structuredClone(
            pick(rng, [
              [],
              ['other.bin'],
              [5],
              'model.weights.bin',
              ['../model.weights.bin'],
              ['%zz.bin'],
              ['a.bin', 'b.bin'],
              [null],
              ['model.json'],
            ]),
          ),
        )
      : d;
  },
  numbersToStrings: (d, rng) => {
    const p = pick(rng, allPaths(d));
    return set(d, p, numbersToStrings(get(d, p)));
  },
  nestedGarbage: (d, rng) => set(d, pick(rng, allPaths(d)), nested(rng, 1 + int(rng, 200))),
  className: (d, rng) => {
    const paths = pathsNamed(d, 'class_name');
    return paths.length ? set(d, pick(rng, paths), pick(rng, CLASS_NAMES)) : d;
  },
  topologyNumber: (d, rng) => {
    const paths = numberPaths(d, ['modelTopology']);
    return paths.length ? set(d, pick(rng, paths), pick(rng, TOPOLOGY_NUMBERS)) : d;
  },
  manifestNumber: (d, rng) => {
    const paths = numberPaths(d, ['weightsManifest']);
    return paths.length ? set(d, pick(rng, paths), pick(rng, MANIFEST_NUMBERS)) : d;
  },
  duplicateElement: (d, rng) => {
    const arrays = allPaths(d).filter((p) => Array.isArray(get(d, p)) && (get(d, p) as Json[]).length > 0);
    if (!arrays.length) return d;
    const a = get(d, pick(rng, arrays)) as Json[];
    a.splice(int(rng, a.length), 0, structuredClone(a[int(rng, a.length)]));
    return d;
  },
  swapElements: (d, rng) => {
    const arrays = allPaths(d).filter((p) => Array.isArray(get(d, p)) && (get(d, p) as Json[]).length > 1);
    if (!arrays.length) return d;
    const a = get(d, pick(rng, arrays)) as Json[];
    const i = int(rng, a.length);
    const j = int(rng, a.length);
    [a[i], a[j]] = [a[j], a[i]];
    return d;
  },
  rename: (d, rng) => {
    const paths = [...pathsNamed(d, 'name'), ...pathsNamed(d, 'op')];
    if (!paths.length) return d;
    const p = pick(rng, paths);
    return set(d, p, p[p.length - 1] === 'op' ? pick(rng, OPS) : pick(rng, ['', 'x', 'W', 'b', 'dense_Dense1/kernel', 'a/b/c', 'Softmax']));
  },
  rewire: (d, rng) => {
    // Graph inputs pointing anywhere, cycles included.
    const paths = pathsNamed(d, 'input');
    const names = pathsNamed(d, 'name').map((p) => get(d, p));
    return paths.length ? set(d, pick(rng, paths), [pick(rng, names), ...(rng() < 0.5 ? [pick(rng, names)] : [])]) : d;
  },
  format: (d, rng) => set(d, ['format'], pick(rng, ['graph-model', 'layers-model', 'keras', 5, undefined])),
  topClassName: (d, rng) => set(d, ['modelTopology', 'class_name'], pick(rng, CLASS_NAMES)),
};
const TREE_MUTATION_NAMES = Object.keys(TREE_MUTATIONS);

type TextMutation = (t: string, rng: Rng) => string;
const TEXT_MUTATIONS: Record<string, TextMutation> = {
  flipChar: (t, rng) => {
    const i = int(rng, t.length);
    return t.slice(0, i) + pick(rng, ['{', '}', '[', ']', '"', ',', ':', '0', '-', 'e', '\\', '\0', '\uFEFF', 'null']) + t.slice(i + 1);
  },
  truncate: (t, rng) => t.slice(0, int(rng, t.length)),
  duplicateSpan: (t, rng) => {
    const i = int(rng, t.length);
    const j = Math.min(t.length, i + int(rng, 200));
    return t.slice(0, j) + t.slice(i, j) + t.slice(j);
  },
  deleteSpan: (t, rng) => {
    const i = int(rng, t.length);
    return t.slice(0, i) + t.slice(Math.min(t.length, i + 1 + int(rng, 50)));
  },
};

type FileMutation = (files: ModelFile[], rng: Rng) => ModelFile[];
const FILE_MUTATIONS: Record<string, FileMutation> = {
  dropWeights: (f) => f.filter((x) => x.name === 'model.json'),
  renameWeights: (f, rng) =>
    f.map((x) => (x.name === 'model.json' ? x : { ...x, name: pick(rng, ['other.bin', 'MODEL.WEIGHTS.BIN', `dir/${x.name}`, '']) })),
  truncateWeights: (f, rng) => f.map((x) => (x.name === 'model.json' ? x : { ...x, bytes: x.bytes.slice(0, int(rng, x.bytes.length)) })),
  extendWeights: (f, rng) =>
    f.map((x) =>
      x.name === 'model.json'
        ? x
        : { ...x, bytes: new Uint8Array([...x.bytes, ...Array.from({ length: 1 + int(rng, 16) }, () => int(rng, 256))]) },
    ),
  flipWeightBytes: (f, rng) =>
    f.map((x) => {
      if (x.name === 'model.json' || x.bytes.length === 0) return x;
      const b = x.bytes.slice();
      for (let k = 0; k < 1 + int(rng, 8); k++) b[int(rng, b.length)] = int(rng, 256);
      return { ...x, bytes: b };
    }),
  renameJson: (f, rng) =>
    f.map((x) => (x.name === 'model.json' ? { ...x, name: pick(rng, ['teacher.json', 'model.JSON', 'model.txt', 'a/model.json']) } : x)),
  duplicateJson: (f) => [...f, ...f.filter((x) => x.name === 'model.json').map((x) => ({ ...x, name: 'copy/model.json' }))],
  zip: (f) => [{ name: 'model.zip', bytes: zipSync(Object.fromEntries(f.map((x) => [x.name || 'unnamed', x.bytes]))) }],
  corruptZip: (f, rng) => {
    const z = zipSync(Object.fromEntries(f.map((x) => [x.name || 'unnamed', x.bytes])));
    for (let k = 0; k < 1 + int(rng, 6); k++) z[int(rng, z.length)] = int(rng, 256);
    return [{ name: rng() < 0.5 ? 'model.zip' : 'model.bin', bytes: rng() < 0.3 ? z.slice(0, int(rng, z.length)) : z }];
  },
};

function mutatedFiles(base: Base, rng: Rng): { files: ModelFile[]; applied: string[] } {
  const applied: string[] = [];
  let doc: Json = structuredClone(base.json);
  const n = pick(rng, [1, 1, 1, 2, 2, 3]);
  for (let k = 0; k < n; k++) {
    const name = pick(rng, TREE_MUTATION_NAMES);
    applied.push(name);
    doc = TREE_MUTATIONS[name](doc, rng);
  }
  let text = doc === undefined ? '' : JSON.stringify(doc);
  if (rng() < 0.15) {
    const name = pick(rng, Object.keys(TEXT_MUTATIONS));
    applied.push(`text:${name}`);
    text = TEXT_MUTATIONS[name](text, rng);
  }
  let files: ModelFile[] = [
    { name: 'model.json', bytes: strToU8(text) },
    { name: base.weightsName, bytes: base.weights },
  ];
  if (rng() < 0.2) {
    const name = pick(rng, Object.keys(FILE_MUTATIONS));
    applied.push(`file:${name}`);
    files = FILE_MUTATIONS[name](files, rng);
  }
  return { files, applied };
}

/** JavaScript's own error texts: inside a ModelIoError they tell the person nothing about the file. */
const INTERNAL_TEXT =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not an object|undefined is not|null is not|Maximum call stack|Invalid typed array length|Invalid array length|Cannot convert|of undefined|of null/;

interface Outcome {
  iteration: number;
  base: string;
  mutations: string[];
  error: string;
}

interface FuzzResults {
  iterations: number;
  accepted: number;
  refused: number;
  byCode: Record<string, number>;
  /** Anything thrown that is not a ModelIoError with a message. */
  escaped: Outcome[];
  /** ModelIoErrors whose message is JavaScript's own error text, or too long to read. */
  unreadable: Outcome[];
  /** Calls after which more tensors exist than before (the model, if any, disposed). */
  tensorLeaks: Outcome[];
  slowCalls: Outcome[];
  tensorsBefore: number;
  tensorsAfter: number;
}

const MAX_MESSAGE_LENGTH = 1000;

/** How long one more import of `files` takes, whether it succeeds or fails (what it gives was checked on the first). */
async function importTime(files: ModelFile[]): Promise<number> {
  const t0 = performance.now();
  try {
    (await importModel(files)).dispose();
  } catch {
    // Its refusal was judged on the first import: only the time matters here.
  }
  return performance.now() - t0;
}

async function fuzz(): Promise<FuzzResults> {
  const start = performance.now();
  const r: FuzzResults = {
    iterations: 0,
    accepted: 0,
    refused: 0,
    byCode: {},
    escaped: [],
    unreadable: [],
    tensorLeaks: [],
    slowCalls: [],
    tensorsBefore: tf.memory().numTensors,
    tensorsAfter: 0,
  };
  let slowest = 0;
  for (let i = 0; i < ITERATIONS; i++, r.iterations++) {
    const rng = createRng(deriveSeed(SEED, i));
    const base = pick(rng, BASES);
    const { files, applied } = mutatedFiles(base, rng);
    const outcome = (error: string): Outcome => ({ iteration: i, base: base.name, mutations: applied, error });
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    let result = 'accepted';
    try {
      const model = await importModel(files);
      r.accepted++;
      model.dispose();
    } catch (e) {
      result = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      if (e instanceof ModelIoError && e.message.trim() !== '') {
        r.refused++;
        r.byCode[e.code] = (r.byCode[e.code] ?? 0) + 1;
        if (INTERNAL_TEXT.test(e.message) || e.message.length > MAX_MESSAGE_LENGTH) r.unreadable.push(outcome(result.slice(0, 300)));
      } else {
        r.escaped.push(outcome(result));
      }
    }
    const times = [performance.now() - t0];
    while (times[0] > MAX_CALL_MS && times.length < TIMINGS) times.push(await importTime(files));
    const ms = Math.min(...times);
    slowest = Math.max(slowest, ms);
    if (ms > MAX_CALL_MS) r.slowCalls.push(outcome(`${times.map((t) => t.toFixed(0)).join(', ')} ms`));
    const left = tf.memory().numTensors - before;
    if (left !== 0) r.tensorLeaks.push(outcome(`${left} tensor(s) left after: ${result.slice(0, 200)}`));
  }
  r.tensorsAfter = tf.memory().numTensors;
  const elapsed = performance.now() - start;
  console.log(
    `model.json fuzz: ${r.iterations} iterations in ${elapsed.toFixed(0)} ms; accepted ${r.accepted}, refused ${r.refused} ${JSON.stringify(r.byCode)}; ` +
      `escaped (not a ModelIoError) ${r.escaped.length}; unreadable messages ${r.unreadable.length}; calls leaving tensors ${r.tensorLeaks.length}; slowest call ${slowest.toFixed(1)} ms`,
  );
  for (const [what, list] of [
    ['escaped', r.escaped],
    ['unreadable messages', r.unreadable],
    ['tensor leaks', r.tensorLeaks],
    ['slow calls', r.slowCalls],
  ] as const) {
    if (list.length) console.log(`model.json fuzz, ${what} (first 8):`, JSON.stringify(list.slice(0, 8), null, 1));
  }
  return r;
}

describe('model.json fuzz', () => {
  let results: FuzzResults;
  beforeAll(async () => {
    results = await fuzz();
  }, 60_000);

  it(`runs every mutated file to an answer quickly: no hang (${ITERATIONS} files)`, () => {
    expect(results.iterations).toBe(ITERATIONS);
    expect(results.slowCalls).toEqual([]);
  });

  // Was a bug: a top-level class that is a plain layer (e.g. 'Dropout') made the catch's model.dispose()
  // throw tfjs's "Cannot dispose Layer …", replacing the ModelIoError.
  it('imports every mutated file or refuses it with a ModelIoError (nothing else escapes)', () => {
    expect(results.escaped).toEqual([]);
  });

  // Was a bug: refused imports leaked what tfjs made before failing (a layers build failing half-way,
  // decodeWeights failing half-way, a graph failing after its weights were decoded), and a manifest
  // listing a weight twice leaked the shadowed copy.
  it('leaves no tensor behind, whether the import succeeds or fails', () => {
    expect(results.tensorLeaks).toEqual([]);
    expect(results.tensorsAfter).toBe(results.tensorsBefore);
  });

  // Was a bug: tfjs's own TypeErrors reached the person through 'load-failed' ModelIoErrors, and some
  // messages quoted the whole malformed config (thousands of characters).
  it('refuses with messages a person can read (no JavaScript error text, under 1000 characters)', () => {
    expect(results.unreadable).toEqual([]);
  });
});

describe('model.json nested thousands deep', () => {
  // Was a bug: layerClassNames recursed once per level, so ~3000 levels threw a bare RangeError.
  it('is refused with a ModelIoError wherever the nesting is', async () => {
    const escaped: string[] = [];
    const tensors = tf.memory().numTensors;
    for (const depth of [3000, 10_000]) {
      const layers = '{"class_name":"Sequential","config":{"name":"s","layers":['.repeat(depth) + ']}}'.repeat(depth);
      const arrays = '['.repeat(depth) + ']'.repeat(depth);
      const docs = [
        `{"modelTopology":${layers},"weightsManifest":[]}`,
        `{"modelTopology":{"class_name":"Sequential","config":${arrays}},"weightsManifest":[]}`,
        `{"modelTopology":{"class_name":"Sequential","config":{"layers":${arrays}}},"weightsManifest":[]}`,
        `{"format":"graph-model","modelTopology":{"node":${arrays}},"weightsManifest":[]}`,
        `{"modelTopology":{"class_name":"Sequential","config":{"layers":[]}},"weightsManifest":${arrays}}`,
      ];
      for (const [k, text] of docs.entries()) {
        try {
          (await importModel([{ name: 'model.json', bytes: strToU8(text) }])).dispose();
        } catch (e) {
          if (!(e instanceof ModelIoError))
            escaped.push(`depth ${depth}, doc ${k}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
        }
      }
    }
    console.log('deep nesting, escaped:', escaped);
    expect(escaped).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
