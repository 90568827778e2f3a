/**
 * Seeded random mutations of valid .onnx files (truncated, bytes flipped, spans deleted, duplicated or
 * spliced in from another model, lengths and varints overwritten), a fixed number of them, fed to
 * readOnnxInfo and, when it accepts them, to onnxQuestion: every call either answers or throws an
 * OnnxError whose message starts with the file name and reads as words; nothing else escapes and no
 * call takes long. A sample of the accepted ones also goes through ONNX Runtime (loadOnnxTeacher), which
 * must refuse with an OnnxError too. Each iteration is reproducible from its index.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, deriveSeed, type Rng } from '../rng';
import { useCpuBackend } from '../test-setup';
import { loadOnnxTeacher, OnnxError, onnxQuestion, readOnnxInfo, setOrtWasmPaths } from './index';
import { bytesField, concatBytes, intField, stringField } from './test-protobuf-writer';
import {
  cnnNchwOnnx,
  customOpOnnx,
  int64InputOnnx,
  mlpOnnx,
  randomCnnWeights,
  randomMlpWeights,
  softmaxOnnx,
  twoOutputsOnnx,
} from './test-onnx-models';

const SEED = 1313;
/** Fixed, not bounded by the clock, so that what the fuzz finds does not depend on the machine's speed or load. */
const ITERATIONS = 2000;
/** Accepted mutants also run through ONNX Runtime, every this many iterations (a session costs milliseconds). */
const ORT_EVERY = 5;
/** Reading a model this small takes well under a millisecond: anything near this is a hang in the making. */
const MAX_CALL_MS = 500;
const MAX_MESSAGE_LENGTH = 1000;
/** JavaScript's own error texts: inside an OnnxError they tell the person nothing about the file. */
const INTERNAL_TEXT =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not an object|undefined is not|null is not|Maximum call stack|Invalid typed array length|Invalid array length|Cannot convert|of undefined|of null|RangeError|TypeError/;

const FILE = 'fuzz.onnx';
/** Was a bug: an op name with a control character in it reached the message as is. */
const CONTROL_CHARACTER = /\p{Cc}/u;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

interface Base {
  name: string;
  bytes: Uint8Array;
  dataset: { numFeatures: number; imageShape?: [number, number, number] };
  classes: number;
}

const mlp = randomMlpWeights(6, 5, 3, 1);
const cnn = randomCnnWeights({ height: 4, width: 4, channels: 1, filters: 2, classes: 3 }, 2);
const BASES: Base[] = [
  { name: 'mlp', bytes: mlpOnnx(mlp), dataset: { numFeatures: 6 }, classes: 3 },
  { name: 'fixed-batch mlp', bytes: mlpOnnx(mlp, { batch: 4 }), dataset: { numFeatures: 6 }, classes: 3 },
  { name: 'softmax', bytes: softmaxOnnx(mlp), dataset: { numFeatures: 6 }, classes: 3 },
  { name: 'two outputs', bytes: twoOutputsOnnx(mlp), dataset: { numFeatures: 6 }, classes: 3 },
  { name: 'cnn', bytes: cnnNchwOnnx(cnn), dataset: { numFeatures: 16, imageShape: [4, 4, 1] }, classes: 3 },
  { name: 'custom op', bytes: customOpOnnx(mlp), dataset: { numFeatures: 6 }, classes: 3 },
  { name: 'int64 input', bytes: int64InputOnnx(mlp), dataset: { numFeatures: 6 }, classes: 3 },
];

/** Bytes that break varints and lengths in telling ways. */
const ODD_BYTES = [0x00, 0xff, 0x80, 0x7f, 0x01, 0x08, 0x0a, 0x12, 0x3a, 0x42, 0x0b, 0x0c, 0x0e, 0x0f];

type Mutation = (b: Uint8Array, rng: Rng) => Uint8Array;
const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, rng) => b.slice(0, int(rng, b.length)),
  flipBytes: (b, rng) => {
    const out = b.slice();
    for (let k = 0; k < 1 + int(rng, 8); k++) out[int(rng, out.length)] = int(rng, 256);
    return out;
  },
  oddByte: (b, rng) => {
    const out = b.slice();
    out[int(rng, out.length)] = pick(rng, ODD_BYTES);
    return out;
  },
  flipBit: (b, rng) => {
    const out = b.slice();
    out[int(rng, out.length)] ^= 1 << int(rng, 8);
    return out;
  },
  deleteSpan: (b, rng) => {
    const i = int(rng, b.length);
    return concatBytes([b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + int(rng, 40)))]);
  },
  duplicateSpan: (b, rng) => {
    const i = int(rng, b.length);
    const j = Math.min(b.length, i + 1 + int(rng, 200));
    return concatBytes([b.subarray(0, j), b.subarray(i, j), b.subarray(j)]);
  },
  splice: (b, rng) => {
    const other = pick(rng, BASES).bytes;
    const i = int(rng, b.length);
    const from = int(rng, other.length);
    return concatBytes([b.subarray(0, i), other.subarray(from, Math.min(other.length, from + 1 + int(rng, 300))), b.subarray(i)]);
  },
  insertRandom: (b, rng) => {
    const i = int(rng, b.length);
    const junk = Uint8Array.from({ length: 1 + int(rng, 16) }, () => int(rng, 256));
    return concatBytes([b.subarray(0, i), junk, b.subarray(i)]);
  },
  appendField: (b, rng) =>
    concatBytes([
      b,
      pick(rng, [
        intField(1, -1),
        intField(8, 2 ** 40),
        bytesField(7, Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f)),
        stringField(7, ''),
        bytesField(8, concatBytes([stringField(1, ''), intField(2, 99)])),
        intField(7, 3),
      ]),
    ]),
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

function mutated(base: Base, rng: Rng): { bytes: Uint8Array; applied: string[] } {
  let bytes = base.bytes;
  const applied: string[] = [];
  for (let k = 0; k < pick(rng, [1, 1, 1, 2, 3]); k++) {
    const name = pick(rng, MUTATION_NAMES);
    applied.push(name);
    bytes = MUTATIONS[name](bytes, rng);
  }
  return { bytes, applied };
}

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
  byKind: Record<string, number>;
  questions: number;
  ortRuns: number;
  ortLoaded: number;
  escaped: Outcome[];
  unreadable: Outcome[];
  slowCalls: Outcome[];
  tensorsBefore: number;
  tensorsAfter: number;
}

/** Classifies what a call threw: an OnnxError with a readable message starting with the file name, or an escape. */
function judge(e: unknown, r: FuzzResults, outcome: (error: string) => Outcome): void {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (!(e instanceof OnnxError) || e.message.trim() === '') {
    r.escaped.push(outcome(text.slice(0, 400)));
    return;
  }
  r.refused++;
  // What kind of refusal: the message up to its details, numbers and names blurred.
  const kind = e.message
    .slice(FILE.length + 2)
    .split(/[(:]/)[0]
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .trim();
  r.byKind[kind] = (r.byKind[kind] ?? 0) + 1;
  if (
    !e.message.startsWith(`${FILE}: `) ||
    INTERNAL_TEXT.test(e.message) ||
    CONTROL_CHARACTER.test(e.message) ||
    e.message.length > MAX_MESSAGE_LENGTH
  ) {
    r.unreadable.push(outcome(text.slice(0, 400)));
  }
}

async function fuzz(): Promise<FuzzResults> {
  const start = performance.now();
  const r: FuzzResults = {
    iterations: 0,
    accepted: 0,
    refused: 0,
    byKind: {},
    questions: 0,
    ortRuns: 0,
    ortLoaded: 0,
    escaped: [],
    unreadable: [],
    slowCalls: [],
    tensorsBefore: tf.memory().numTensors,
    tensorsAfter: 0,
  };
  let slowest = 0;
  const xTrain = tf.tensor2d(
    Float32Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i)),
    [8, 6],
  );
  const xTest = tf.tensor2d(
    Float32Array.from({ length: 3 * 6 }, (_, i) => Math.cos(i)),
    [3, 6],
  );
  for (let i = 0; i < ITERATIONS; i++, r.iterations++) {
    const rng = createRng(deriveSeed(SEED, i));
    const base = pick(rng, BASES);
    const { bytes, applied } = mutated(base, rng);
    const outcome = (error: string): Outcome => ({ iteration: i, base: base.name, mutations: applied, error });
    const t0 = performance.now();
    try {
      const info = readOnnxInfo(bytes, FILE);
      r.accepted++;
      try {
        if (onnxQuestion(info, base.dataset, {}) !== null) r.questions++;
      } catch (e) {
        judge(e, r, outcome);
      }
    } catch (e) {
      judge(e, r, outcome);
      continue;
    } finally {
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > MAX_CALL_MS) r.slowCalls.push(outcome(`${ms.toFixed(0)} ms`));
    }
    if (i % ORT_EVERY === 0 && base.dataset.numFeatures === 6) {
      r.ortRuns++;
      try {
        const teacher = await loadOnnxTeacher(
          bytes,
          { xTrain, xTest, numClasses: base.classes },
          { fileName: FILE, choice: { output: 'logits' } },
        );
        r.ortLoaded++;
        await teacher.dispose();
      } catch (e) {
        judge(e, r, outcome);
      }
    }
  }
  tf.dispose([xTrain, xTest]);
  r.tensorsAfter = tf.memory().numTensors;
  console.log(
    `onnx fuzz: ${r.iterations} iterations in ${(performance.now() - start).toFixed(0)} ms; accepted ${r.accepted} (questions ${r.questions}), ` +
      `refused ${r.refused} ${JSON.stringify(r.byKind)}; through ONNX Runtime ${r.ortRuns} (loaded ${r.ortLoaded}); escaped (not an OnnxError) ${r.escaped.length}; ` +
      `unreadable messages ${r.unreadable.length}; slowest read ${slowest.toFixed(1)} ms`,
  );
  for (const [what, list] of [
    ['escaped', r.escaped],
    ['unreadable messages', r.unreadable],
    ['slow calls', r.slowCalls],
  ] as const) {
    if (list.length) console.log(`onnx fuzz, ${what} (first 8):`, JSON.stringify(list.slice(0, 8), null, 1));
  }
  return r;
}

describe('.onnx fuzz', () => {
  let results: FuzzResults;
  beforeAll(async () => {
    await useCpuBackend();
    setOrtWasmPaths(null, { numThreads: 1 });
    results = await fuzz();
  }, 120_000);

  it(`reads every mutated file to an answer quickly: no hang (${ITERATIONS} files)`, () => {
    expect(results.iterations).toBe(ITERATIONS);
    expect(results.slowCalls).toEqual([]);
    // The mutations must reach both outcomes, or the fuzz tests nothing.
    expect(results.accepted).toBeGreaterThan(ITERATIONS / 20);
    expect(results.refused).toBeGreaterThan(ITERATIONS / 4);
    expect(results.ortRuns).toBeGreaterThan(0);
  });

  it('accepts every mutated file or refuses it with an OnnxError (nothing else escapes, ONNX Runtime included)', () => {
    expect(results.escaped).toEqual([]);
  });

  it('refuses with messages a person can read (the file name first, no JavaScript error text or control characters, under 1000 characters)', () => {
    expect(results.unreadable).toEqual([]);
  });

  it('leaves no tensor behind', () => {
    expect(results.tensorsAfter).toBe(results.tensorsBefore);
  });
});

describe('.onnx graphs nested a thousand deep', () => {
  it('are refused with an OnnxError, not a stack overflow', () => {
    // An If node whose then_branch (attribute g) holds a graph with an If node… 1000 deep.
    let graph = concatBytes([stringField(2, 'leaf')]);
    for (let depth = 0; depth < 1000; depth++) {
      const attribute = concatBytes([stringField(1, 'then_branch'), bytesField(6, graph), intField(20, 5)]);
      const node = concatBytes([stringField(1, 'cond'), stringField(2, `y${depth}`), stringField(4, 'If'), bytesField(5, attribute)]);
      graph = bytesField(1, node);
    }
    const model = concatBytes([intField(1, 8), bytesField(7, graph), bytesField(8, concatBytes([stringField(1, ''), intField(2, 17)]))]);
    expect(() => readOnnxInfo(model, 'deep.onnx')).toThrow(OnnxError);
    expect(() => readOnnxInfo(model, 'deep.onnx')).toThrow(
      /^deep\.onnx: not an ONNX model \(malformed protobuf at byte \d+, in graph\.node\[0\]/,
    );
  });
});
