/**
 * A catalogue of malformed inputs (CSV files, image archives, model files), each sent to the worker's
 * own message routing (router.ts) as the page sends it, each checked for the refusal it answers, the
 * error behind it, and for leaving everything that was loaded before (data set, data tensors, teacher,
 * students, uploaded student, run state) exactly as it was: same objects, same values, no tensor
 * leaked, no large allocation on the way to refusing.
 */
import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataError } from '../core/data/errors';
import { makeToyDataset } from '../core/data/toy';
import { ModelIoError } from '../core/model-io/errors';
import { OnnxError } from '../core/onnx';
import {
  customOpOnnx,
  externalDataOnnx,
  int64InputOnnx,
  mlpOnnx,
  nanOnnx,
  opsetOnnx,
  randomMlpWeights,
} from '../core/onnx/test-onnx-models';
import { exportModel } from '../core/model-io/export';
import type { ExportedModel } from '../core/model-io/types';
import { buildModel } from '../core/models';
import { disposeTensors } from '../core/tensors';
import { useCpuBackend } from '../core/test-setup';
import { loadDataSource } from './data-sources';
import type { DataSource, FromWorker, ToWorker } from './protocol';
import { createRouter } from './router';
import { dropStudents, dropTeacher, session, adoptDataset } from './session';
import { loadUploadedStudent, loadUploadedTeacher } from './teachers';

// The router answers with a sentence (errorText of what was thrown); the errors themselves are
// recorded here, where it turns them into that sentence, so each entry can check the error's class too.
const thrown = vi.hoisted((): unknown[] => []);
vi.mock('../core/backend', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../core/backend')>();
  return {
    ...actual,
    errorText: (e: unknown) => {
      thrown.push(e);
      return actual.errorText(e);
    },
  };
});

// ---------------------------------------------------------------------------------------------
// The loaded state every entry starts from: a 2-feature, 3-class toy set, an uploaded teacher
// (2-16-3), two students, and an uploaded student (2-4-3).

const SHAPE = { numFeatures: 2, numClasses: 3 };
const toy = () => makeToyDataset({ kind: 'spiral', size: 60, noise: 0.1, classes: 3, seed: 5 });

let teacherExport: ExportedModel;
let studentExport: ExportedModel;
let float16Export: ExportedModel;
let uint8Export: ExportedModel;
let twoOutputsExport: ExportedModel;
let rank3OutputExport: ExportedModel;
let softmaxReshapeExport: ExportedModel;
let imageInputExport: ExportedModel;
let wideInputExport: ExportedModel;
let fiveClassExport: ExportedModel;

async function exportAndDispose(model: tf.LayersModel, options: Parameters<typeof exportModel>[1] = {}): Promise<ExportedModel> {
  const exported = await exportModel(model, options);
  model.dispose();
  return exported;
}

const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });

beforeAll(async () => {
  await useCpuBackend();
  const mlp = (hidden: number[], seed: number, shape = SHAPE) =>
    buildModel({ kind: 'mlp', hidden, activation: 'relu', dropout: 0 }, shape, seed);
  teacherExport = await exportAndDispose(mlp([16], 11));
  studentExport = await exportAndDispose(mlp([4], 12));
  float16Export = await exportAndDispose(mlp([16], 13), { quantization: 'float16' });
  uint8Export = await exportAndDispose(mlp([16], 14), { quantization: 'uint8' });
  wideInputExport = await exportAndDispose(mlp([8], 15, { numFeatures: 4, numClasses: 3 }));
  fiveClassExport = await exportAndDispose(mlp([8], 16, { numFeatures: 2, numClasses: 5 }));

  const input = tf.input({ shape: [2] });
  const hidden = tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: glorot(1) }).apply(input) as tf.SymbolicTensor;
  const a = tf.layers.dense({ units: 3, kernelInitializer: glorot(2) }).apply(hidden) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 3, kernelInitializer: glorot(3) }).apply(hidden) as tf.SymbolicTensor;
  twoOutputsExport = await exportAndDispose(tf.model({ inputs: input, outputs: [a, b] }));

  rank3OutputExport = await exportAndDispose(
    tf.sequential({
      layers: [tf.layers.reshape({ targetShape: [2, 1], inputShape: [2] }), tf.layers.dense({ units: 3, kernelInitializer: glorot(4) })],
    }),
  );
  softmaxReshapeExport = await exportAndDispose(
    tf.sequential({
      layers: [
        tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [2], kernelInitializer: glorot(5) }),
        tf.layers.reshape({ targetShape: [3] }),
      ],
    }),
  );
  imageInputExport = await exportAndDispose(
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [1, 2, 1], filters: 2, kernelSize: 1, kernelInitializer: glorot(6) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, kernelInitializer: glorot(7) }),
      ],
    }),
  );
});

function freeSession(): void {
  dropStudents();
  dropTeacher();
  session.studentInit?.model.dispose();
  session.studentInit = null;
  if (session.data) disposeTensors(session.data);
  session.data = null;
  session.dataset = null;
  session.run = null;
  session.loading = false;
}

let baselineTensors: number;

beforeEach(async () => {
  freeSession();
  baselineTensors = tf.memory().numTensors;
  adoptDataset(toy());
  await loadUploadedTeacher(files(modelFiles(teacherExport)));
  session.students = {
    distilled: buildModel({ kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 }, SHAPE, 21),
    scratch: buildModel({ kind: 'mlp', hidden: [4], activation: 'relu', dropout: 0 }, SHAPE, 22),
  };
  await loadUploadedStudent(files(modelFiles(studentExport)));
});

afterEach(() => vi.unstubAllGlobals());

afterAll(() => {
  freeSession();
  // The last entry's session is freed completely (each entry checks its own leaks; known-bug entries may leak).
  expect(tf.memory().numTensors).toBe(baselineTensors);
});

// ---------------------------------------------------------------------------------------------
// What "left intact" means, checked rather than assumed.

interface Snapshot {
  dataset: unknown;
  data: unknown;
  dataTensors: tf.Tensor[];
  dataValues: (Float32Array | Int32Array | Uint8Array)[];
  teacher: unknown;
  teacherResult: unknown;
  teacherResultCopy: unknown;
  teacherLayers: unknown;
  teacherWeights: Float32Array[];
  teacherLogits: Float32Array;
  students: unknown;
  distilled: unknown;
  scratch: unknown;
  studentWeights: Float32Array[][];
  studentInit: unknown;
  studentInitModel: unknown;
  studentInitWeights: Float32Array[];
  run: unknown;
  loading: boolean;
  backend: unknown;
  numTensors: number;
  numBytes: number;
}

const values = (m: tf.LayersModel): Float32Array[] => m.getWeights().map((w) => w.dataSync().slice() as Float32Array);

function snapshot(): Snapshot {
  const { dataset, data, teacher, students, studentInit } = session;
  if (!dataset || !data || !teacher?.layers || !students || !studentInit?.model.layersModel)
    throw new Error('the session is not fully loaded');
  const dataTensors = [data.xTrain, data.yTrain, data.xTest, data.yTest];
  const out = teacher.layers.predict(data.xTest);
  const logits = Array.isArray(out) ? out[0] : out;
  const teacherLogits = logits.dataSync().slice() as Float32Array;
  tf.dispose(out);
  const memory = tf.memory();
  return {
    dataset,
    data,
    dataTensors,
    dataValues: dataTensors.map((t) => t.dataSync().slice()),
    teacher,
    teacherResult: teacher.result,
    teacherResultCopy: structuredClone(teacher.result),
    teacherLayers: teacher.layers,
    teacherWeights: values(teacher.layers),
    teacherLogits,
    students,
    distilled: students.distilled,
    scratch: students.scratch,
    studentWeights: [values(students.distilled), values(students.scratch)],
    studentInit,
    studentInitModel: studentInit.model,
    studentInitWeights: values(studentInit.model.layersModel),
    run: session.run,
    loading: session.loading,
    backend: session.backend,
    numTensors: memory.numTensors,
    numBytes: memory.numBytes,
  };
}

function expectUnchanged(before: Snapshot): void {
  const memory = tf.memory();
  // No leak: every tensor made on the way to the refusal was freed.
  expect(memory.numTensors, 'tensors after the refusal').toBe(before.numTensors);
  expect(memory.numBytes, 'tensor bytes after the refusal').toBe(before.numBytes);
  const after = snapshot();
  expect(after.dataset, 'data set object').toBe(before.dataset);
  expect(after.data, 'data tensors object').toBe(before.data);
  after.dataTensors.forEach((t, i) => {
    expect(t, `data tensor ${i}`).toBe(before.dataTensors[i]);
    expect(t.isDisposed, `data tensor ${i} disposed`).toBe(false);
  });
  expect(after.dataValues, 'data tensor values').toEqual(before.dataValues);
  expect(after.teacher, 'teacher object').toBe(before.teacher);
  expect(after.teacherResult, 'teacher result object').toBe(before.teacherResult);
  expect(after.teacherResult, 'teacher result values').toEqual(before.teacherResultCopy);
  expect(after.teacherLayers, 'teacher model').toBe(before.teacherLayers);
  expect(after.teacherWeights, 'teacher weights').toEqual(before.teacherWeights);
  expect(after.teacherLogits, 'teacher logits on the test split').toEqual(before.teacherLogits);
  expect(after.students, 'students object').toBe(before.students);
  expect(after.distilled, 'distilled student').toBe(before.distilled);
  expect(after.scratch, 'scratch student').toBe(before.scratch);
  expect(after.studentWeights, 'student weights').toEqual(before.studentWeights);
  expect(after.studentInit, 'uploaded student object').toBe(before.studentInit);
  expect(after.studentInitModel, 'uploaded student model').toBe(before.studentInitModel);
  expect(after.studentInitWeights, 'uploaded student weights').toEqual(before.studentInitWeights);
  expect(after.run, 'run').toBe(before.run);
  expect(after.loading, 'loading flag').toBe(before.loading);
  expect(after.backend, 'backend').toBe(before.backend);
}

/** The most tensor bytes held at once while `work` runs (tfjs's own profile only samples after kernels). */
async function peakTensorBytes(work: () => Promise<void>): Promise<number> {
  const engine = tf.engine() as unknown as { trackTensor: (...args: unknown[]) => void; state: { numBytes: number } };
  const original = engine.trackTensor;
  const start = engine.state.numBytes;
  let peak = start;
  engine.trackTensor = function (this: unknown, ...args: unknown[]) {
    original.apply(this, args);
    peak = Math.max(peak, engine.state.numBytes);
  };
  try {
    await work();
  } finally {
    engine.trackTensor = original;
  }
  return peak - start;
}

/** A refused file may cost a few small tensors (a probe batch, a tiny model), never a large allocation. */
const MAX_PEAK_BYTES = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Fixture builders (everything in memory and small).

type Bytes = string | Uint8Array;
interface NamedBytes {
  name: string;
  bytes: Bytes;
}

const asBytes = (b: Bytes): Uint8Array => (typeof b === 'string' ? strToU8(b) : b);
const fileOf = (name: string, bytes: Bytes): File => new File([asBytes(bytes) as Uint8Array<ArrayBuffer>], name);
const files = (list: NamedBytes[]): File[] => list.map((f) => fileOf(f.name, f.bytes));

/** A file that claims a size it does not have, and fails loudly if anything reads it. */
class HugeFile extends File {
  constructor(
    name: string,
    private readonly claimed: number,
  ) {
    super(['1,2,a\n'], name);
  }
  override get size(): number {
    return this.claimed;
  }
  override text(): Promise<string> {
    throw new Error(`${this.name} was read despite its size`);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error(`${this.name} was read despite its size`);
  }
}

function modelFiles(exported: ExportedModel): NamedBytes[] {
  return [
    { name: 'model.json', bytes: exported.modelJson },
    { name: exported.weightsFileName, bytes: exported.weights },
  ];
}

interface EditableJson {
  modelTopology: { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  weightsManifest: { paths: unknown; weights: Record<string, unknown>[] }[];
  [key: string]: unknown;
}

/** The teacher's files with model.json edited (and the weights replaced, if given). */
function editedModel(edit: (json: EditableJson) => void, weights?: Uint8Array, exported: ExportedModel = teacherExport): NamedBytes[] {
  const json: EditableJson = JSON.parse(exported.modelJson);
  edit(json);
  return [
    { name: 'model.json', bytes: JSON.stringify(json) },
    { name: exported.weightsFileName, bytes: weights ?? exported.weights },
  ];
}

/** The teacher's weights with one float set (index into the float32 values, manifest order). */
function weightsWith(index: number, value: number, exported: ExportedModel = teacherExport): Uint8Array {
  const copy = exported.weights.slice();
  new Float32Array(copy.buffer)[index] = value;
  return copy;
}

const FLOAT = { type: 'DT_FLOAT' };
const dims = (shape: number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
const constNode = (name: string, shape: number[]) => ({
  name,
  op: 'Const',
  attr: { dtype: FLOAT, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(shape) } } },
});

/** A graph model y = x W + b (x: [?, nIn]); `edit` changes its nodes or manifest before it is written. */
function graphModel(
  nIn = 2,
  nOut = 3,
  edit: (doc: { modelTopology: { node: Record<string, unknown>[] }; weightsManifest: { weights: unknown[] }[] }) => void = () => {},
): NamedBytes[] {
  const doc = {
    format: 'graph-model',
    generatedBy: '2.15.0',
    convertedBy: 'by hand',
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: FLOAT, shape: { shape: dims([-1, nIn]) } } },
        constNode('W', [nIn, nOut]),
        constNode('b', [nOut]),
        { name: 'MatMul', op: 'MatMul', input: ['x', 'W'], attr: { T: FLOAT, transpose_a: { b: false }, transpose_b: { b: false } } },
        { name: 'Add', op: 'AddV2', input: ['MatMul', 'b'], attr: { T: FLOAT } },
      ] as Record<string, unknown>[],
      library: {},
      versions: { producer: 1, minConsumer: 0 },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'W', shape: [nIn, nOut], dtype: 'float32' },
          { name: 'b', shape: [nOut], dtype: 'float32' },
        ] as unknown[],
      },
    ],
  };
  edit(doc);
  const w = Float32Array.from({ length: nIn * nOut + nOut }, (_, i) => ((i * 7) % 5) / 5 - 0.4);
  return [
    { name: 'model.json', bytes: JSON.stringify(doc) },
    { name: 'group1-shard1of1.bin', bytes: new Uint8Array(w.buffer) },
  ];
}

function zipOf(entries: Record<string, Bytes>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, asBytes(v)])));
}

/** A model.json whose topology nests Sequential models `depth` deep (written by hand: JSON.stringify recurses). */
function deeplyNestedModelJson(depth: number): string {
  const open = '{"class_name":"Sequential","config":{"name":"s","layers":['.repeat(depth);
  const close = ']}}'.repeat(depth);
  return `{"modelTopology":${open}{"class_name":"Dense","config":{"units":1}}${close},"weightsManifest":[]}`;
}

// A valid 3-class CSV: 12 rows, header x,y,label.
const CSV_ROWS = Array.from({ length: 12 }, (_, i) => `${(i * 0.37).toFixed(2)},${((i * 1.3) % 2).toFixed(2)},${'abc'[i % 3]}`);
const CSV_OK = `${['x,y,label', ...CSV_ROWS].join('\n')}\n`;
/** The valid CSV with data row `row` (1-based, the header is line 1) replaced. */
const csvWithRow = (row: number, text: string): string => ['x,y,label', ...CSV_ROWS.map((r, i) => (i + 2 === row ? text : r))].join('\n');

function csvSource(text: string | File, o: Partial<Extract<DataSource, { kind: 'csv' }>> = {}): DataSource {
  return {
    kind: 'csv',
    file: typeof text === 'string' ? fileOf('data.csv', text) : text,
    labelColumn: 2,
    normalisation: 'standardise',
    testFraction: 0.25,
    seed: 1,
    ...o,
  };
}

function zipSource(bytes: Uint8Array | File, o: Partial<Extract<DataSource, { kind: 'images' }>> = {}): DataSource {
  return {
    kind: 'images',
    file: bytes instanceof File ? bytes : fileOf('pets.zip', bytes),
    width: 4,
    height: 4,
    channels: 1,
    testFraction: 0.5,
    seed: 1,
    ...o,
  };
}

const png = (n: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, n]);
/** Two classes of two (fake) images each, laid out as the importer expects. */
const petEntries = (): Record<string, Bytes> => ({ 'cat/1.png': png(1), 'cat/2.png': png(2), 'dog/1.jpg': png(3), 'dog/2.jpeg': png(4) });

/** A small ONNX MLP's weights (inputs × 4 hidden × classes); the data set's shape unless said. */
const onnxWeights = (inputs = SHAPE.numFeatures, classes = SHAPE.numClasses) => randomMlpWeights(inputs, 4, classes, 3);

// ---------------------------------------------------------------------------------------------
// The catalogue.

type Kind = 'csv' | 'zip' | 'model' | 'student';

interface BadInput {
  name: string;
  kind: Kind;
  /** csv/zip: the data source the page sends; model/student: the files chosen. */
  input: () => DataSource | File[];
  /** The message, whole (string) or matched (RegExp). */
  expected: RegExp | string;
  /** Defaults: DataError for csv/zip, ModelIoError for model/student. */
  errorClass?: new (
    ...args: never[]
  ) => Error;
  /** Browser image decoding, stubbed for entries that get as far as decoding. */
  browserDecode?: boolean;
  /** A known bug: the entry is expected to fail until it is fixed (see the report). */
  bug?: string;
}

const CATALOGUE: BadInput[] = [
  // ----- CSV -----
  { kind: 'csv', name: 'empty file', input: () => csvSource(''), expected: 'data.csv: the file is empty' },
  { kind: 'csv', name: 'only blank lines and spaces', input: () => csvSource('\n  \n\t\n\r\n'), expected: 'data.csv: the file is empty' },
  {
    kind: 'csv',
    name: 'header only (zero rows)',
    input: () => csvSource('x,y,label\n'),
    expected: 'data.csv: the file has a header but no data rows',
  },
  {
    kind: 'csv',
    name: 'one column (the label only)',
    input: () => csvSource('label\n0\n1\n2\n0\n1\n2\n', { labelColumn: 0 }),
    expected: 'data.csv: no feature columns; the file needs at least one column besides the label column "label"',
  },
  {
    kind: 'csv',
    name: 'ragged row (row 5 has 4 cells)',
    input: () => csvSource(csvWithRow(5, '1,2,3,a')),
    expected: 'data.csv, row 5: has 4 fields, expected 3 (like the header)',
  },
  {
    kind: 'csv',
    name: 'short row (row 9 has 2 cells)',
    input: () => csvSource(csvWithRow(9, '1,a')),
    expected: 'data.csv, row 9: has 2 fields, expected 3 (like the header)',
  },
  {
    kind: 'csv',
    name: 'non-numeric feature cell',
    input: () => csvSource(csvWithRow(4, '0.5,tall,b')),
    expected: 'data.csv, row 4, column "y": "tall" is not a number (every column except the label must hold numbers)',
  },
  {
    kind: 'csv',
    name: 'decimal comma in a semicolon file',
    input: () => csvSource(['x;y;label', ...CSV_ROWS.map((r) => r.replace(/,/g, ';'))].join('\n').replace('0.37;', '0,37;')),
    expected: 'data.csv, row 3, column "x": "0,37" is not a number (use a dot for decimals, not a comma)',
  },
  {
    kind: 'csv',
    name: 'NaN cell',
    input: () => csvSource(csvWithRow(6, 'NaN,1,a')),
    expected: 'data.csv, row 6, column "x": "NaN" is not a finite number',
  },
  {
    kind: 'csv',
    name: 'Infinity cell',
    input: () => csvSource(csvWithRow(7, '1,-Infinity,b')),
    expected: 'data.csv, row 7, column "y": "-Infinity" is not a finite number',
  },
  {
    kind: 'csv',
    name: 'number overflowing a double (1e999)',
    input: () => csvSource(csvWithRow(3, '1e999,1,a')),
    expected: 'data.csv, row 3, column "x": "1e999" is not a finite number',
  },
  {
    kind: 'csv',
    name: 'number overflowing float32 (1e300): the features would hold Infinity',
    input: () => csvSource(csvWithRow(3, '1e300,1,a')),
    expected: /^data\.csv, row 3, column "x": "1e300" (is not a finite number|is too large)/,
  },
  {
    kind: 'csv',
    name: 'empty feature cell',
    input: () => csvSource(csvWithRow(8, ',1,b')),
    expected: 'data.csv, row 8, column "x": the cell is empty',
  },
  {
    kind: 'csv',
    name: 'empty label cell',
    input: () => csvSource(csvWithRow(10, '1,1, ')),
    expected: 'data.csv, row 10, column "label": the label is empty',
  },
  {
    kind: 'csv',
    name: 'label column with one class only',
    input: () => csvSource(['x,y,label', ...CSV_ROWS.map((r) => r.replace(/[abc]$/, 'same'))].join('\n')),
    expected: 'data.csv, column "label": every row has the same label ("same"); at least two classes are needed',
  },
  {
    kind: 'csv',
    name: 'label column with more than 256 classes',
    input: () => csvSource(['x,y,price', ...Array.from({ length: 300 }, (_, i) => `${i},${i % 7},${i * 1.5}`)].join('\n')),
    expected: 'data.csv, column "price": 300 different labels; at most 256 classes are supported (is this the right label column?)',
  },
  {
    kind: 'csv',
    name: 'a class with a single row',
    input: () => csvSource(`${CSV_OK}1,1,lonely\n`),
    expected: 'data.csv: class "lonely" has 1 example; each class needs at least 2 (one to train on, one to test on)',
  },
  {
    kind: 'csv',
    name: 'BOM and CRLF line ends, bad cell on line 4',
    input: () => csvSource(`\uFEFF${csvWithRow(4, '1,oops,a').replace(/\n/g, '\r\n')}`),
    expected: 'data.csv, row 4, column "y": "oops" is not a number (every column except the label must hold numbers)',
  },
  {
    kind: 'csv',
    name: 'quoted field never closed',
    input: () => csvSource(csvWithRow(6, '1,"2,a')),
    expected: 'data.csv, row 6: a quoted field is never closed (missing ")',
  },
  {
    kind: 'csv',
    name: 'binary junk (a PNG renamed .csv)',
    input: () =>
      csvSource(
        new TextDecoder().decode(
          new Uint8Array([
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0xff, 0xfe, 0x0a, 0x01, 0x02,
          ]),
        ),
      ),
    // The page passes the label column from its preview; on junk the parser sees one column of text.
    expected: 'data.csv: label column index 2 is out of range; the file has 1 columns (0 to 0)',
  },
  {
    kind: 'csv',
    name: 'a 2 GB file (size checked before reading)',
    input: () => csvSource(new HugeFile('big.csv', 2 * 1024 ** 3)),
    expected: 'big.csv: the file is 2048.0 MB, over the 50 MB limit',
  },
  {
    kind: 'csv',
    name: 'a 2 GB test file',
    input: () => csvSource(CSV_OK, { testFile: new HugeFile('big-test.csv', 2 * 1024 ** 3) }),
    expected: 'big-test.csv: the file is 2048.0 MB, over the 50 MB limit',
  },
  {
    kind: 'csv',
    name: 'label column index out of range',
    input: () => csvSource(CSV_OK, { labelColumn: 7 }),
    expected: 'data.csv: label column index 7 is out of range; the file has 3 columns (0 to 2)',
  },
  {
    kind: 'csv',
    name: 'image shape that does not match the column count',
    input: () => csvSource(CSV_OK, { imageShape: [28, 28, 1] }),
    expected: 'data.csv: image shape 28×28×1 needs 784 values per row, but the file has 2 feature columns',
  },
  {
    kind: 'csv',
    name: 'huge image shape',
    input: () => csvSource(CSV_OK, { imageShape: [100000, 100000, 3] }),
    expected: 'data.csv: image shape 100000×100000×3 needs 30000000000 values per row, but the file has 2 feature columns',
  },
  {
    kind: 'csv',
    name: 'image shape with a zero',
    input: () => csvSource(CSV_OK, { imageShape: [2, 0, 1] }),
    expected: 'data.csv: image shape 2×0×1 must be three whole numbers above 0',
  },
  {
    kind: 'csv',
    name: 'test fraction of 1',
    input: () => csvSource(CSV_OK, { testFraction: 1 }),
    expected: 'the test fraction must be between 0 and 1 (exclusive), got 1',
  },
  {
    kind: 'csv',
    name: 'test file with different columns',
    input: () => csvSource(CSV_OK, { testFile: fileOf('test.csv', 'x,z,label\n1,2,a\n3,4,b\n') }),
    expected: 'test.csv: no column "y" (the training file data.csv has one)',
  },
  {
    kind: 'csv',
    name: 'test file with an extra column',
    input: () => csvSource(CSV_OK, { testFile: fileOf('test.csv', 'x,y,label,w\n1,2,a,0\n3,4,b,0\n') }),
    expected: 'test.csv: an extra column "w" that the training file data.csv does not have',
  },
  {
    kind: 'csv',
    name: 'test file without a header and with fewer columns',
    input: () => csvSource(CSV_OK, { testFile: fileOf('test.csv', '1,a\n3,b\n') }),
    expected: 'test.csv: 2 columns, but the training file data.csv has 3',
  },
  {
    kind: 'csv',
    name: 'test file with a label the training file lacks',
    input: () => csvSource(CSV_OK, { testFile: fileOf('test.csv', 'x,y,label\n1,2,a\n3,4,zebra\n') }),
    expected: 'test.csv, row 3, column "label": label "zebra" does not appear in the training file data.csv (its classes: a, b, c)',
  },
  {
    kind: 'csv',
    name: 'test file with the label column missing',
    input: () => csvSource(CSV_OK, { testFile: fileOf('test.csv', 'x,y\n1,2\n3,4\n') }),
    expected: 'test.csv: no column "label" (the training file data.csv has one)',
  },
  {
    kind: 'csv',
    name: 'empty test file',
    input: () => csvSource(CSV_OK, { testFile: fileOf('test.csv', '') }),
    expected: 'test.csv: the file is empty',
  },
  {
    kind: 'csv',
    name: 'test file with a header only',
    input: () => csvSource(CSV_OK, { testFile: fileOf('test.csv', 'x,y,label\n') }),
    expected: 'test.csv: the file has a header but no data rows',
  },
  {
    kind: 'csv',
    name: 'test file with a non-numeric cell',
    input: () => csvSource(CSV_OK, { testFile: fileOf('test.csv', 'x,y,label\n1,2,a\n3,?,b\n') }),
    expected: 'test.csv, row 3, column "y": "?" is not a number (every column except the label must hold numbers)',
  },

  // ----- image archives -----
  {
    kind: 'zip',
    name: 'not a zip (text)',
    input: () => zipSource(strToU8('cat,dog\n1,2\n')),
    expected: /^pets\.zip: not a readable \.zip archive \(.+\)$/,
  },
  { kind: 'zip', name: 'empty file', input: () => zipSource(new Uint8Array(0)), expected: 'pets.zip: the file is empty' },
  {
    kind: 'zip',
    name: 'truncated zip',
    input: () => zipSource(zipOf(petEntries()).slice(0, 60)),
    expected: /^pets\.zip: not a readable \.zip archive \(.+\)$/,
  },
  {
    kind: 'zip',
    name: 'empty zip (no entries)',
    input: () => zipSource(zipOf({})),
    expected: "pets.zip: no PNG or JPEG images found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)",
  },
  {
    kind: 'zip',
    name: 'only non-image entries',
    input: () => zipSource(zipOf({ 'cat/readme.txt': 'hi', 'dog/data.csv': '1,2', 'dog/photo.gif': png(1), 'model.json': '{}' })),
    expected: "pets.zip: no PNG or JPEG images found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)",
  },
  {
    kind: 'zip',
    name: 'images only in __MACOSX and hidden files',
    input: () => zipSource(zipOf({ '__MACOSX/cat/1.png': png(1), 'cat/.1.png': png(2), '.dog/2.png': png(3) })),
    expected: "pets.zip: no PNG or JPEG images found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)",
  },
  {
    kind: 'zip',
    name: 'no class folders (images at the top)',
    input: () => zipSource(zipOf({ '1.png': png(1), '2.png': png(2), '3.jpg': png(3) })),
    expected: "pets.zip: no class folders found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)",
  },
  {
    kind: 'zip',
    name: 'one class folder only',
    input: () => zipSource(zipOf({ 'cat/1.png': png(1), 'cat/2.png': png(2) })),
    expected: 'pets.zip: found only one class folder ("cat"); at least two classes are needed',
  },
  {
    kind: 'zip',
    name: 'a class with one image',
    input: () => zipSource(zipOf({ 'cat/1.png': png(1), 'cat/2.png': png(2), 'dog/1.png': png(3) })),
    expected: 'pets.zip: class "dog" has 1 image; each class needs at least 2 (one to train on, one to test on)',
  },
  {
    kind: 'zip',
    name: 'an image outside the class folders',
    input: () => zipSource(zipOf({ ...petEntries(), 'stray.png': png(9) })),
    expected: 'pets.zip: stray.png is not inside a class folder; put every image in the folder named after its class',
  },
  {
    kind: 'zip',
    name: 'nested split folders (train/, test/) instead of classes',
    input: () =>
      zipSource(
        zipOf({
          'data/train/cat/1.png': png(1),
          'data/train/dog/1.png': png(2),
          'data/test/cat/2.png': png(3),
          'data/test/dog/2.png': png(4),
        }),
      ),
    expected:
      'pets.zip: found split folders (test, train) instead of class folders; put one folder per class at the top (e.g. cat/1.png, dog/1.png) and let the test fraction make the split',
  },
  {
    kind: 'zip',
    name: 'target size 0',
    input: () => zipSource(zipOf(petEntries()), { width: 0 }),
    expected: 'pets.zip: image size 0×4 must be whole numbers from 1 to 256',
  },
  {
    kind: 'zip',
    name: 'target size over the limit',
    input: () => zipSource(zipOf(petEntries()), { width: 4096, height: 4096 }),
    expected: 'pets.zip: image size 4096×4096 must be whole numbers from 1 to 256',
  },
  {
    kind: 'zip',
    name: 'too many images for the memory limit',
    input: () =>
      zipSource(zipOf(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`${i % 2 ? 'cat' : 'dog'}/${i}.png`, png(i % 256)]))), {
        width: 256,
        height: 256,
        channels: 3,
      }),
    expected: 'pets.zip: 300 images at 256×256×3 would take 236 MB; the limit is 200 MB, so choose a smaller size or fewer images',
  },
  {
    kind: 'zip',
    name: 'a 2 GB archive (size checked before reading)',
    input: () => zipSource(new HugeFile('huge.zip', 2 * 1024 ** 3)),
    expected: 'huge.zip: the file is 2048.0 MB, over the 50 MB limit',
  },
  {
    kind: 'zip',
    name: 'a model archive uploaded as images',
    input: () => zipSource(zipOf({ 'model.json': teacherExport.modelJson, 'model.weights.bin': teacherExport.weights })),
    expected: "pets.zip: no PNG or JPEG images found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)",
  },
  {
    kind: 'zip',
    name: 'an image that the browser cannot decode',
    browserDecode: true,
    input: () =>
      zipSource(
        zipOf({ 'pets/cat/1.png': png(1), 'pets/cat/2.png': strToU8('not a png'), 'pets/dog/1.png': png(3), 'pets/dog/2.png': png(4) }),
      ),
    expected: 'pets/cat/1.png: could not be decoded as an image (The source image could not be decoded.)',
  },

  // ----- model files (as the teacher) -----
  {
    kind: 'model',
    name: 'model.json that is not JSON',
    input: () => files([{ name: 'model.json', bytes: '<html>404 Not Found</html>' }, modelFiles(teacherExport)[1]]),
    expected: /^'model\.json' is not valid JSON/,
  },
  {
    kind: 'model',
    name: 'JSON without modelTopology',
    input: () => files([{ name: 'model.json', bytes: '{"weightsManifest":[]}' }]),
    expected: `'model.json' is not a TensorFlow.js model: a model.json has "modelTopology" and "weightsManifest" fields.`,
  },
  {
    kind: 'model',
    name: 'modelTopology that is neither a layers nor a graph model',
    input: () => files([{ name: 'model.json', bytes: '{"modelTopology":{"hello":1},"weightsManifest":[]}' }]),
    expected: "'model.json' has a modelTopology that is neither a layers model nor a graph model.",
  },
  { kind: 'model', name: 'no files at all', input: () => [], expected: /^No model\.json among the files \(no files\)/ },
  {
    kind: 'model',
    name: 'only the .bin, no model.json',
    input: () => files([modelFiles(teacherExport)[1]]),
    expected: /^No model\.json among the files \(model\.weights\.bin\)\. Choose a TensorFlow\.js model\.json/,
  },
  {
    kind: 'model',
    name: 'missing shard',
    input: () => files([modelFiles(teacherExport)[0]]),
    expected: /^Missing weight file 'model\.weights\.bin': 'model\.json' lists it in its weightsManifest/,
  },
  {
    kind: 'model',
    name: 'missing second shard',
    input: () =>
      files([
        ...editedModel((j) => {
          j.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
        }).slice(0, 1),
        { name: 'group1-shard1of2.bin', bytes: teacherExport.weights.slice(0, 100) },
      ]),
    expected: /^Missing weight file 'group1-shard2of2\.bin': 'model\.json' lists it/,
  },
  {
    kind: 'model',
    name: 'truncated .bin',
    input: () => files(editedModel(() => {}, teacherExport.weights.slice(0, teacherExport.weights.byteLength - 5))),
    expected: new RegExp(
      `^Weight file 'model\\.weights\\.bin' is truncated: 'model\\.json' needs ${4 * 99} bytes but the file holds ${4 * 99 - 5}\\.`,
    ),
  },
  {
    kind: 'model',
    name: 'empty .bin',
    input: () => files(editedModel(() => {}, new Uint8Array(0))),
    expected: /^Weight file 'model\.weights\.bin' is truncated: .* the file holds 0\./,
  },
  {
    kind: 'model',
    name: '.bin longer than the manifest says (misaligned)',
    input: () => files(editedModel(() => {}, new Uint8Array([...teacherExport.weights, 1, 2, 3]))),
    expected: `Weight file 'model.weights.bin' does not match 'model.json': it holds ${4 * 99 + 3} bytes but the manifest describes ${4 * 99} (3 extra). The weights are misaligned or belong to another model.`,
  },
  {
    kind: 'model',
    name: 'manifest shape that does not match the weights count',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[0].shape = [2, 15];
        }),
      ),
    expected:
      /^Weight file 'model\.weights\.bin' does not match 'model\.json': it holds 396 bytes but the manifest describes 388 \(8 extra\)/,
  },
  {
    kind: 'model',
    name: 'manifest shape transposed (same count, wrong shape)',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[0].shape = [16, 2];
        }),
      ),
    expected:
      /^Weight '(.+)\/kernel' has shape \[16,2\] in 'model\.json' but layer '\1' expects \[2,16\]: the weightsManifest does not match the topology\.$/,
  },
  {
    kind: 'model',
    name: 'manifest names a weight the model does not have',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[1].name = 'renamed/bias';
        }),
      ),
    expected: /^'model\.json' has no weight '.+\/bias' \(shape \[16\]\) that layer '.+' needs/,
  },
  {
    kind: 'model',
    name: 'manifest lists a weight no layer has',
    input: () =>
      files(
        editedModel(
          (j) => {
            j.weightsManifest[0].weights.push({ name: 'ghost/w', shape: [1], dtype: 'float32' });
          },
          new Uint8Array([...teacherExport.weights, 0, 0, 0, 0]),
        ),
      ),
    expected: "'model.json' lists weight 'ghost/w' that no layer of the model has: its weightsManifest does not match its topology.",
  },
  {
    kind: 'model',
    name: 'negative dimension in the manifest',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[0].shape = [2, -16];
        }),
      ),
    expected: /^'model\.json' has a malformed weightsManifest: weight '.+\/kernel' has an invalid shape \[2,-16\]\.$/,
  },
  {
    kind: 'model',
    name: 'fractional dimension in the manifest',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[0].shape = [2, 15.5];
        }),
      ),
    expected: /has a malformed weightsManifest: weight '.+\/kernel' has an invalid shape \[2,15\.5\]/,
  },
  {
    kind: 'model',
    name: 'unsupported dtype in the manifest',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[0].dtype = 'float64';
        }),
      ),
    expected: /has a malformed weightsManifest: weight '.+\/kernel' has an unsupported dtype "float64"/,
  },
  {
    kind: 'model',
    name: 'weightsManifest that is not a list',
    input: () =>
      files(
        editedModel((j) => {
          (j as Record<string, unknown>).weightsManifest = { paths: ['model.weights.bin'] };
        }),
      ),
    expected: "'model.json' has a malformed weightsManifest: it is not a list of weight groups.",
  },
  {
    kind: 'model',
    name: 'weight group without paths',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].paths = 'model.weights.bin';
        }),
      ),
    expected: "'model.json' has a malformed weightsManifest: a weight group has no list of paths.",
  },
  {
    kind: 'model',
    name: 'unknown quantization',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[0].quantization = { dtype: 'int4', scale: 1, min: 0 };
        }),
      ),
    expected: /has a malformed weightsManifest: weight '.+\/kernel' has an unknown quantization/,
  },
  {
    kind: 'model',
    name: 'huge dimensions in the manifest (dense layer with 1e9 units), refused before allocating',
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.config.layers[0].config.units = 1e9;
          j.weightsManifest[0].weights[0].shape = [2, 1e9];
          j.weightsManifest[0].weights[1].shape = [1e9];
          j.weightsManifest[0].weights[2].shape = [1e9, 3];
        }),
      ),
    expected: /^Weight file 'model\.weights\.bin' is truncated: 'model\.json' needs 24000000012 bytes but the file holds 396\./,
  },
  {
    kind: 'model',
    name: 'dimensions whose product overflows (1e200 × 1e200)',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[0].shape = [1e200, 1e200];
        }),
      ),
    expected: /^Weight file 'model\.weights\.bin' is truncated: 'model\.json' needs .+ bytes but the file holds 396\./,
  },
  {
    kind: 'model',
    name: 'huge layer in the topology only (5e6 units), refused before allocating',
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.config.layers[0].config.units = 5e6;
        }),
      ),
    expected: /^Weight '(.+)\/kernel' has shape \[2,16\] in 'model\.json' but layer '\1' expects \[2,5000000\]/,
  },
  {
    kind: 'model',
    name: 'layer too large for any typed array (3e9 units) in the topology',
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.config.layers[0].config.units = 3e9;
        }),
      ),
    expected: /^(?!.*Invalid typed array length).*(3000000000|3e\+?9).*/,
  },
  {
    kind: 'model',
    name: 'unknown layer class',
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.config.layers[1].class_name = 'FancyDense';
        }),
      ),
    expected: /^Unknown layer 'FancyDense': this model uses a custom layer that the studio cannot load\./,
  },
  {
    kind: 'model',
    name: 'custom Keras Lambda layer',
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.config.layers.splice(1, 0, {
            class_name: 'Lambda',
            config: { name: 'lambda', function: ['4wEAAAA=', null, null] },
          });
        }),
      ),
    expected: /^Unknown layer 'Lambda': this model uses a custom layer/,
  },
  {
    kind: 'model',
    name: 'custom layer nested inside a Sequential layer',
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.config.layers.push({
            class_name: 'Sequential',
            config: { name: 'inner', layers: [{ class_name: 'MyAttention', config: { name: 'att' } }] },
          });
        }),
      ),
    expected: /^Unknown layer 'MyAttention'/,
  },
  {
    kind: 'model',
    name: 'topology nested 3000 deep',
    input: () => files([{ name: 'model.json', bytes: deeplyNestedModelJson(3000) }]),
    // Any ModelIoError that names the file is fine, as long as it is not a stack overflow's text.
    expected: /^(?!.*Maximum call stack).*model\.json/,
  },
  {
    kind: 'model',
    name: 'top-level class that is a layer (Dropout), not a model',
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.class_name = 'Dropout';
        }),
      ),
    expected: /model\.json/,
  },
  {
    kind: 'model',
    name: 'the same weight group listed twice',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest.push(structuredClone(j.weightsManifest[0]));
        }),
      ),
    expected: /^'model\.json' has a malformed weightsManifest: .*(twice|more than once|duplicate)/,
  },
  {
    kind: 'model',
    name: "layer class named '__proto__'",
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.config.layers[1].class_name = '__proto__';
        }),
      ),
    expected: /^Unknown layer '__proto__'/,
  },
  {
    kind: 'model',
    name: 'layer config with a value of the wrong type (units "3")',
    input: () =>
      files(
        editedModel((j) => {
          j.modelTopology.config.layers[1].config.units = '3';
        }),
      ),
    expected: /units/,
  },
  {
    kind: 'model',
    name: 'layers model.json that says format "graph-model"',
    input: () =>
      files(
        editedModel((j) => {
          j.format = 'graph-model';
        }),
      ),
    expected: /^(?!.*Cannot read properties).*model\.json/,
  },
  {
    kind: 'model',
    name: 'kernel stored as int32 where the layer holds float32',
    input: () =>
      files(
        editedModel((j) => {
          j.weightsManifest[0].weights[0].dtype = 'int32';
        }),
      ),
    expected: /'.+\/kernel'.*int32|int32.*'.+\/kernel'/,
  },
  {
    kind: 'model',
    name: 'float16 quantization on an int32 weight',
    input: () =>
      files(
        editedModel(
          (j) => {
            j.weightsManifest[0].weights[1].dtype = 'int32';
          },
          undefined,
          float16Export,
        ),
      ),
    expected: /\/bias\b.*float16|float16.*\/bias\b/,
  },
  {
    kind: 'model',
    name: 'NaN weights',
    input: () => files(editedModel(() => {}, weightsWith(50, NaN))),
    expected: /^The model's weights contain NaN in layer '.+' \(weight '.+\/kernel'\): it cannot be used\./,
  },
  {
    kind: 'model',
    name: 'Infinity weights',
    input: () => files(editedModel(() => {}, weightsWith(3, -Infinity))),
    expected: /^The model's weights contain Infinity in layer '.+' \(weight '.+\/kernel'\)/,
  },
  {
    kind: 'model',
    name: 'NaN in a float16-quantized weight',
    input: () => {
      const bin = float16Export.weights.slice();
      new Uint16Array(bin.buffer)[5] = 0x7e00;
      return files(editedModel(() => {}, bin, float16Export));
    },
    expected: /^The model's weights contain NaN in layer '.+' \(weight '.+\/kernel'\)/,
  },
  {
    kind: 'model',
    name: 'uint8 quantization with an infinite scale',
    input: () => {
      // JSON has no Infinity, but JSON.parse reads 1e999 as one: put it where the first weight's scale is.
      const json: EditableJson = JSON.parse(uint8Export.modelJson);
      json.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 123.25, min: 0 };
      return files([
        { name: 'model.json', bytes: JSON.stringify(json).replace('"scale":123.25', '"scale":1e999') },
        modelFiles(uint8Export)[1],
      ]);
    },
    expected: /^The model's weights contain Infinity in layer '.+' \(weight '.+\/kernel'\)/,
  },
  {
    kind: 'model',
    name: 'input shape that does not match the data',
    input: () => files(modelFiles(wideInputExport)),
    expected: 'The model expects inputs of shape [4] but the data set has 2 features per sample ([2]).',
  },
  {
    kind: 'model',
    name: 'output classes that do not match the data',
    input: () => files(modelFiles(fiveClassExport)),
    expected: 'The model outputs 5 classes (shape [batch,5]) but the data set has 3 classes (shape [batch,3]).',
  },
  {
    kind: 'model',
    name: 'image model for flat data',
    input: () => files(modelFiles(imageInputExport)),
    expected: 'The model expects images of shape [1,2,1] but the data set has flat rows of 2 features and no image shape.',
  },
  {
    kind: 'model',
    name: 'two outputs',
    input: () => files(modelFiles(twoOutputsExport)),
    expected: 'The model has 1 input(s) and 2 output(s); the studio needs exactly one of each.',
  },
  {
    kind: 'model',
    name: 'output that is not one vector per sample',
    input: () => files(modelFiles(rank3OutputExport)),
    expected: "The model's output has shape [?,2,3]; the studio needs one vector of class scores per sample ([batch, classes]).",
  },
  {
    kind: 'model',
    name: 'zip without model.json',
    input: () => [fileOf('model.zip', zipOf({ 'model.weights.bin': teacherExport.weights, 'notes.txt': 'hi' }))],
    expected: /^No model\.json among the files \(model\.weights\.bin, notes\.txt\)/,
  },
  {
    kind: 'model',
    name: 'zip with two model.json',
    input: () => [
      fileOf(
        'models.zip',
        zipOf({
          'a/model.json': teacherExport.modelJson,
          'b/model.json': studentExport.modelJson,
          'model.weights.bin': teacherExport.weights,
        }),
      ),
    ],
    expected: "Several files are named model.json ('a/model.json', 'b/model.json'): choose one model at a time.",
  },
  {
    kind: 'model',
    name: 'corrupt zip',
    input: () => [fileOf('model.zip', 'PK\x03\x04 this is not really a zip')],
    expected: /^'model\.zip' is not a readable zip file \(.+\)\.$/,
  },
  {
    kind: 'model',
    name: 'truncated zip',
    input: () => [
      fileOf('model.zip', zipOf({ 'model.json': teacherExport.modelJson, 'model.weights.bin': teacherExport.weights }).slice(0, 300)),
    ],
    expected: /^'model\.zip' is not a readable zip file \(.+\)\.$/,
  },
  {
    kind: 'model',
    name: 'two model JSONs under other names',
    input: () =>
      files([
        { name: 'teacher.json', bytes: teacherExport.modelJson },
        { name: 'student.json', bytes: studentExport.modelJson },
        modelFiles(teacherExport)[1],
      ]),
    expected: "Several files describe a model ('teacher.json', 'student.json'): choose one model at a time.",
  },
  {
    kind: 'model',
    name: 'graph model with an op TensorFlow.js cannot run',
    input: () =>
      files(
        graphModel(2, 3, (d) => {
          d.modelTopology.node[4].op = 'MyCustomOp';
        }),
      ),
    expected: /^Unknown operation 'MyCustomOp': this graph model uses an op that TensorFlow\.js cannot run/,
  },
  {
    kind: 'model',
    name: 'graph model whose constant has no weight',
    input: () =>
      files(
        graphModel(2, 3, (d) => {
          d.modelTopology.node.push({ name: 'orphan', op: 'Const', attr: {} });
        }),
      ),
    expected: "'model.json' has no weight for the graph's constant 'orphan': its weightsManifest does not match its graph.",
  },
  {
    kind: 'model',
    name: 'graph model with an unknown input size',
    input: () =>
      files(
        graphModel(2, 3, (d) => {
          d.modelTopology.node[0].attr = { dtype: FLOAT, shape: { shape: dims([-1, -1]) } };
        }),
      ),
    expected: "The graph model's input shape [?,?] has unknown sizes; the studio needs a fixed input size.",
  },
  {
    kind: 'model',
    name: 'graph model whose input does not match the data',
    input: () => files(graphModel(3, 3)),
    expected: 'The model expects inputs of shape [3] but the data set has 2 features per sample ([2]).',
  },

  // ----- ONNX models (as the teacher): the data set has 2 features and 3 classes -----
  {
    kind: 'model',
    name: 'ONNX file that is not ONNX',
    input: () => files([{ name: 'model.onnx', bytes: '<html>404 Not Found</html>' }]),
    expected: 'model.onnx: not an ONNX model (malformed protobuf at byte 0, in the model: wire type 4, which ONNX does not use)',
    errorClass: OnnxError,
  },
  {
    kind: 'model',
    name: 'ONNX file cut short',
    input: () => files([{ name: 'model.onnx', bytes: mlpOnnx(onnxWeights()).slice(0, 60) }]),
    expected: 'model.onnx: not an ONNX model (malformed protobuf at byte 24, in the model: a field runs past the end of its message)',
    errorClass: OnnxError,
  },
  {
    kind: 'model',
    name: 'ONNX with external-data weights',
    input: () => files([{ name: 'big.onnx', bytes: externalDataOnnx(onnxWeights()) }]),
    expected: /^big\.onnx: its weights are stored in another file \(external data: "w1" in "weights\.bin"\)\. Save the model as one file/,
    errorClass: OnnxError,
  },
  {
    kind: 'model',
    name: 'ONNX with an op ONNX Runtime does not have',
    input: () => files([{ name: 'custom.onnx', bytes: customOpOnnx(onnxWeights()) }]),
    expected:
      /^custom\.onnx: the model uses the op com\.example:MyOp, which ONNX Runtime Web cannot run \(.+\)\. Export it with standard ONNX ops\.$/,
    errorClass: OnnxError,
  },
  {
    kind: 'model',
    name: 'ONNX with an unsupported opset',
    input: () => files([{ name: 'future.onnx', bytes: opsetOnnx(onnxWeights(), 99) }]),
    expected:
      'future.onnx: ONNX opset 99 is not supported: ONNX Runtime 1.30 runs opsets 7 to 26. Export again with opset_version between 7 and 26 (e.g. 17).',
    errorClass: OnnxError,
  },
  {
    kind: 'model',
    name: 'ONNX whose input is int64',
    input: () => files([{ name: 'ids.onnx', bytes: int64InputOnnx(onnxWeights()) }]),
    expected: `ids.onnx: the model's input "ids" takes int64 values; only float32 inputs can be fed a data set's rows`,
    errorClass: OnnxError,
  },
  {
    kind: 'model',
    name: 'ONNX whose input takes 5 features',
    input: () => files([{ name: 'wide.onnx', bytes: mlpOnnx(onnxWeights(5, 3)) }]),
    expected: `wide.onnx: the model's input "input" has shape [N, 5], which does not fit the data set's 2 features per row: it needs [N, 2], or as many elements per sample`,
    errorClass: OnnxError,
  },
  {
    kind: 'model',
    name: 'ONNX with 5 classes',
    input: () => files([{ name: 'five.onnx', bytes: mlpOnnx(onnxWeights(2, 5)) }]),
    expected: `five.onnx: the model's output "logits" has shape [N, 5]; it must be [N, 3]: one score per class of the data set (3 classes)`,
    errorClass: OnnxError,
  },
  {
    kind: 'model',
    name: 'ONNX whose outputs are NaN',
    input: () => files([{ name: 'nan.onnx', bytes: nanOnnx(2, 3) }]),
    expected: /^nan\.onnx: the model's output "logits" is NaN or infinite for \d+ of the \d+ training rows \(the first: row \d+\)/,
    errorClass: OnnxError,
  },
  // ----- model files (as the student) -----
  {
    kind: 'student',
    name: 'graph model where a layers model is expected',
    input: () => files(graphModel(2, 3)),
    expected: /^A graph model is inference-only: it can be the teacher but not the student\./,
  },
  {
    kind: 'student',
    name: 'student with the wrong input size',
    input: () => files(modelFiles(wideInputExport)),
    expected: 'The model expects inputs of shape [4] but the data set has 2 features per sample ([2]).',
  },
  {
    kind: 'student',
    name: 'student with the wrong number of classes',
    input: () => files(modelFiles(fiveClassExport)),
    expected: 'The model outputs 5 classes (shape [batch,5]) but the data set has 3 classes (shape [batch,3]).',
  },
  {
    kind: 'student',
    name: 'student whose probabilities come through a Reshape',
    input: () => files(modelFiles(softmaxReshapeExport)),
    expected:
      /^The model outputs probabilities, but not through a softmax the studio can remove \(output layer '.+'\), so it cannot be trained as a student on logits\.$/,
  },
  {
    kind: 'student',
    name: 'student model.json that is not JSON',
    input: () => files([{ name: 'model.json', bytes: '{"modelTopology": ' }]),
    expected: /^'model\.json' is not valid JSON/,
  },
  {
    kind: 'student',
    name: 'student with a missing shard',
    input: () => files([modelFiles(studentExport)[0]]),
    expected: /^Missing weight file 'model\.weights\.bin'/,
  },
  {
    kind: 'student',
    name: 'student with NaN weights',
    input: () => files(editedModel(() => {}, weightsWith(0, NaN, studentExport), studentExport)),
    expected: /^The model's weights contain NaN in layer '.+' \(weight '.+\/kernel'\)/,
  },
  {
    kind: 'student',
    name: 'student with an unknown layer',
    input: () =>
      files(
        editedModel(
          (j) => {
            j.modelTopology.config.layers[0].class_name = 'QuantumDense';
          },
          undefined,
          studentExport,
        ),
      ),
    expected: /^Unknown layer 'QuantumDense'/,
  },
];

// ---------------------------------------------------------------------------------------------

/** The worker's routing, on a platform without backends: uploads never start one. */
const route = createRouter({
  backends: { probe: async () => ({ available: false, software: false, detail: 'no backends in this test' }), activate: async () => false },
  planWasmThreads: () => {},
});

let requestId = 0;
/** The message the page sends for each kind of upload (store: loadData, uploadTeacher, uploadStudent). */
function uploadMessage(kind: Kind, input: DataSource | File[]): ToWorker {
  requestId += 1;
  switch (kind) {
    case 'csv':
    case 'zip':
      return { type: 'loadData', requestId, source: input as DataSource };
    case 'model':
      return { type: 'loadTeacher', requestId, files: input as File[] };
    case 'student':
      return { type: 'loadStudent', requestId, files: input as File[] };
  }
}

const REFUSAL: Record<Kind, FromWorker['type']> = {
  csv: 'dataFailed',
  zip: 'dataFailed',
  model: 'teacherFailed',
  student: 'studentFailed',
};

/** What the worker answers to the upload (progress aside), and the errors its routing turned into sentences on the way. */
async function uploadToTheWorker(kind: Kind, input: DataSource | File[]): Promise<{ answers: FromWorker[]; errors: unknown[] }> {
  const answers: FromWorker[] = [];
  thrown.length = 0;
  await route(uploadMessage(kind, input), (m) => {
    if (m.type !== 'dataProgress' && m.type !== 'teacherProgress') answers.push(m);
  });
  return { answers, errors: [...thrown] };
}

/** The sentence of a refusal, or undefined for any other answer. */
function refusalText(answer: FromWorker | undefined): string | undefined {
  return answer?.type === 'dataFailed' || answer?.type === 'teacherFailed' || answer?.type === 'studentFailed' ? answer.message : undefined;
}

/** A browser that cannot decode the bytes it is given (createImageBitmap rejects, as Chrome does). */
function stubBrowserDecoding(): void {
  vi.stubGlobal('createImageBitmap', async () => {
    throw new Error('The source image could not be decoded.');
  });
}

describe('the catalogue', () => {
  it('has at least 40 entries across CSV, image archives and model files, with unique names', () => {
    const byKind = Object.fromEntries(
      (['csv', 'zip', 'model', 'student'] as Kind[]).map((k) => [k, CATALOGUE.filter((e) => e.kind === k).length]),
    );
    console.log(`bad-inputs catalogue: ${CATALOGUE.length} entries`, byKind, `${CATALOGUE.filter((e) => e.bug).length} known bugs`);
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOGUE.map((e) => `${e.kind}: ${e.name}`)).size).toBe(CATALOGUE.length);
    for (const k of ['csv', 'zip', 'model', 'student'] as Kind[]) expect(byKind[k]).toBeGreaterThan(0);
  });
});

const showBugs = Boolean((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.SHOW_BUGS);

describe.each(['csv', 'zip', 'model', 'student'] as Kind[])('a bad %s upload is refused with its message and changes nothing', (kind) => {
  for (const entry of CATALOGUE.filter((e) => e.kind === kind)) {
    // SHOW_BUGS=1 runs the known-bug entries as ordinary tests, to see how they fail.
    const test = entry.bug && !showBugs ? it.fails : it;
    test(entry.name, async () => {
      if (entry.browserDecode) stubBrowserDecoding();
      const before = snapshot();
      const input = entry.input();
      let answered: { answers: FromWorker[]; errors: unknown[] } = { answers: [], errors: [] };
      const peak = await peakTensorBytes(async () => {
        answered = await uploadToTheWorker(kind, input);
      });
      expect(
        answered.answers.map((m) => m.type),
        'the load was refused',
      ).toEqual([REFUSAL[kind]]);
      expect(answered.errors, 'one error behind the refusal').toHaveLength(1);
      const [error] = answered.errors;
      const errorClass = entry.errorClass ?? (kind === 'csv' || kind === 'zip' ? DataError : ModelIoError);
      expect(error, `${String(error)}`).toBeInstanceOf(errorClass);
      const message = refusalText(answered.answers[0]);
      expect(message, 'the refusal says what the error says').toBe((error as Error).message);
      if (typeof entry.expected === 'string') expect(message).toBe(entry.expected);
      else expect(message).toMatch(entry.expected);
      expect(peak, 'tensor bytes allocated on the way to the refusal').toBeLessThanOrEqual(MAX_PEAK_BYTES);
      expectUnchanged(before);
    });
  }
});

describe('the catalogue set-up', () => {
  it('loads the valid fixtures the bad ones are made from (so every refusal is due to the edit)', async () => {
    const before = tf.memory().numTensors;
    const dataset = await loadDataSource(csvSource(CSV_OK), 'unused:mnist', () => {});
    expect([dataset.numFeatures, dataset.numClasses, dataset.train.n + dataset.test.n]).toEqual([2, 3, 12]);
    const withTest = await loadDataSource(
      csvSource(CSV_OK, { testFile: fileOf('test.csv', 'x,y,label\n1,2,a\n3,4,b\n') }),
      'unused:mnist',
      () => {},
    );
    expect(withTest.test.n).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    // Teacher and student uploads of the untouched files succeed (beforeEach did both); a graph teacher too.
    const result = await loadUploadedTeacher(files(graphModel(2, 3)));
    if (!('teacher' in result)) throw new Error(`a question instead of a teacher: ${JSON.stringify(result)}`);
    expect(result.teacher.description).toMatch(/graph model/);
    // The untouched ONNX model the ONNX entries are made from loads too.
    const onnx = await loadUploadedTeacher(files([{ name: 'model.onnx', bytes: mlpOnnx(onnxWeights()) }]));
    expect('teacher' in onnx && onnx.teacher.kind).toBe('onnx');
    const student = await loadUploadedStudent(files(modelFiles(studentExport)));
    expect(student.params).toBe(2 * 4 + 4 + 4 * 3 + 3);
  });

  it('reaches decoding for the undecodable-image entry (the archive itself is fine)', async () => {
    const decoded: string[] = [];
    vi.stubGlobal('createImageBitmap', async () => {
      decoded.push('x');
      throw new Error('The source image could not be decoded.');
    });
    await expect(loadDataSource(zipSource(zipOf(petEntries())), 'unused:mnist', () => {})).rejects.toThrow(
      /^cat\/1\.png: could not be decoded as an image/,
    );
    expect(decoded).toHaveLength(1);
  });
});
