import { TOY_KINDS, TOY_MAX_CLASSES, TOY_MAX_POINTS } from './data/toy';
import {
  type DataDescriptor,
  ENSEMBLE_MAX_MEMBERS,
  ENSEMBLE_MIN_MEMBERS,
  type EnsembleCombine,
  type ExperimentConfig,
  type HintTerm,
  type LossTerms,
  type MethodSettings,
  type OnnxLayout,
  MAX_REPEATS,
  type OptimiserConfig,
  type QuantAwareSettings,
  type StudentDescriptor,
  type TeacherDescriptor,
  type TransferData,
  type TransferSet,
} from './experiment';
import { STUDENT_PRESETS, TEACHER_PRESETS, teacherPreset, type StudentPresetId, type TeacherPresetId } from './presets';
import { isStudentArchId } from './student-archs';
import { SHIPPED_TEACHERS } from './shipped';

/**
 * Reads an experiment from untrusted JSON (a pasted file, a shared URL) and checks every field, so
 * that a bad value is refused here, naming its path, instead of surfacing as NaN losses or a
 * confusing error deep in training or in an exported script.
 *
 * Unknown keys are rejected, not ignored: a misspelt "temprature" would otherwise silently run
 * with the default, and the experiment would not be the one its file describes.
 */
export function parseExperiment(json: unknown): ExperimentConfig {
  const o = record(json, '', ['version', 'data', 'teacher', 'student', 'loss', 'transfer', 'optimiser', 'seed'], ['quantAware', 'repeats']);
  if (o.version !== 1) throw new Error(`version must be 1, got ${show(o.version)}`);
  const config: ExperimentConfig = {
    version: 1,
    data: parseData(o.data),
    teacher: parseTeacher(o.teacher),
    student: parseStudent(o.student),
    loss: parseLoss(o.loss),
    transfer: parseTransfer(o.transfer),
    optimiser: parseOptimiser(o.optimiser),
    seed: seed(o.seed, 'seed'),
    // Absent in experiments written before these options, and whenever they are off.
    ...(o.quantAware !== undefined && { quantAware: parseQuantAware(o.quantAware) }),
    ...(o.repeats !== undefined && { repeats: int(o.repeats, 'repeats', 1, MAX_REPEATS) }),
  };
  checkCombination(config);
  return config;
}

/** Validated JSON with a fixed key order (see orderKeys), 2-space indent: the same experiment always gives the same text. */
export function experimentToJson(c: ExperimentConfig): string {
  return JSON.stringify(orderKeys(parseExperiment(c)), null, 2);
}

const FIRST_KEYS = ['version', 'kind', 'data', 'teacher', 'student', 'loss', 'transfer', 'optimiser'];

/** `version` and `kind` first, the top level in reading order, everything else alphabetical. */
function orderKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(orderKeys);
  if (typeof v !== 'object' || v === null) return v;
  const rank = (k: string) => (FIRST_KEYS.includes(k) ? FIRST_KEYS.indexOf(k) : FIRST_KEYS.length);
  const keys = Object.keys(v).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, orderKeys((v as Record<string, unknown>)[k])]));
}

type Obj = Record<string, unknown>;

function show(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** An object with exactly these keys (optional ones may be absent or undefined). */
function record(v: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`${path || 'the experiment'} must be an object, got ${show(v)}`);
  const o = v as Obj;
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k)) {
      throw new Error(`${at(path, k)} is not a known field (expected ${[...required, ...optional].join(', ')})`);
    }
  }
  return o;
}

function num(v: unknown, path: string, rule: string, ok: (n: number) => boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new Error(`${path} must be ${rule}, got ${show(v)}`);
  return v;
}

const int = (v: unknown, path: string, min: number, max: number): number =>
  num(
    v,
    path,
    max === Infinity ? `a whole number at least ${min}` : `a whole number from ${min} to ${max}`,
    (n) => Number.isInteger(n) && n >= min && n <= max,
  );
const nonNegative = (v: unknown, path: string) => num(v, path, 'a number at least 0', (n) => n >= 0);
const seed = (v: unknown, path: string) => int(v, path, 0, 4294967295);
const fraction = (v: unknown, path: string) => num(v, path, 'a number above 0 and below 1', (n) => n > 0 && n < 1);
const learningRate = (v: unknown, path: string) => num(v, path, 'a number above 0 and below 10', (n) => n > 0 && n < 10);
const batchSize = (v: unknown, path: string) => int(v, path, 1, 4096);
const epochs = (v: unknown, path: string) => int(v, path, 1, 1000);

function oneOf<T extends string | number>(v: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T))
    throw new Error(`${path} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(v)}`);
  return v as T;
}

function fileName(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${path} must be a non-empty file name, got ${show(v)}`);
  return v;
}

const DATA_KINDS = ['mnist', 'iris', 'toy', 'csv', 'images'] as const;

/** One data descriptor on its own (a remembered data set). */
export function parseData(v: unknown): DataDescriptor {
  const kind = oneOf(
    record(
      v,
      'data',
      ['kind'],
      [
        'seed',
        'toy',
        'size',
        'noise',
        'classes',
        'fileName',
        'testFileName',
        'labelColumn',
        'normalisation',
        'imageShape',
        'testFraction',
        'width',
        'height',
        'channels',
      ],
    ).kind,
    'data.kind',
    DATA_KINDS,
  );
  switch (kind) {
    case 'mnist':
      record(v, 'data', ['kind']);
      return { kind };
    case 'iris':
      return { kind, seed: seed(record(v, 'data', ['kind', 'seed']).seed, 'data.seed') };
    case 'toy': {
      const o = record(v, 'data', ['kind', 'toy', 'size', 'noise', 'seed'], ['classes']);
      const toy = oneOf(o.toy, 'data.toy', TOY_KINDS);
      const classes = o.classes === undefined ? undefined : int(o.classes, 'data.classes', 2, TOY_MAX_CLASSES);
      const k = toy === 'spiral' || toy === 'blobs' ? (classes ?? 3) : 2;
      const size = int(o.size, 'data.size', 2 * k, TOY_MAX_POINTS);
      const noise = nonNegative(o.noise, 'data.noise');
      return { kind, toy, size, noise, ...(classes === undefined ? {} : { classes }), seed: seed(o.seed, 'data.seed') };
    }
    case 'csv': {
      const o = record(
        v,
        'data',
        ['kind', 'fileName', 'labelColumn', 'normalisation', 'testFraction', 'seed'],
        ['testFileName', 'imageShape'],
      );
      return {
        kind,
        fileName: fileName(o.fileName, 'data.fileName'),
        ...(o.testFileName === undefined ? {} : { testFileName: fileName(o.testFileName, 'data.testFileName') }),
        labelColumn: int(o.labelColumn, 'data.labelColumn', 0, Infinity),
        normalisation: oneOf(o.normalisation, 'data.normalisation', ['none', '0-1', 'standardise'] as const),
        ...(o.imageShape === undefined ? {} : { imageShape: imageShape(o.imageShape, 'data.imageShape') }),
        testFraction: fraction(o.testFraction, 'data.testFraction'),
        seed: seed(o.seed, 'data.seed'),
      };
    }
    case 'images': {
      const o = record(v, 'data', ['kind', 'fileName', 'width', 'height', 'channels', 'testFraction', 'seed']);
      return {
        kind,
        fileName: fileName(o.fileName, 'data.fileName'),
        // 256: the studio's IMAGE_MAX_SIDE (data/image-zip.ts), not imported so that this file stays free of the zip reader.
        width: int(o.width, 'data.width', 1, 256),
        height: int(o.height, 'data.height', 1, 256),
        channels: oneOf(o.channels, 'data.channels', [1, 3] as const),
        testFraction: fraction(o.testFraction, 'data.testFraction'),
        seed: seed(o.seed, 'data.seed'),
      };
    }
  }
}

function imageShape(v: unknown, path: string): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3) throw new Error(`${path} must be [height, width, channels], got ${show(v)}`);
  return [int(v[0], `${path}[0]`, 1, Infinity), int(v[1], `${path}[1]`, 1, Infinity), int(v[2], `${path}[2]`, 1, Infinity)];
}

const TEACHER_IDS = TEACHER_PRESETS.map((p) => p.id);
const STUDENT_IDS = STUDENT_PRESETS.map((p) => p.id);
const SHIPPED_IDS = SHIPPED_TEACHERS.map((t) => t.id);

const TEACHER_KINDS = ['shipped', 'preset', 'uploaded', 'onnx', 'teachable-machine', 'ensemble'] as const;
const MEMBER_KINDS = TEACHER_KINDS.filter((k) => k !== 'ensemble');
const TEACHER_FIELDS = [
  'id',
  'preset',
  'epochs',
  'batchSize',
  'learningRate',
  'seed',
  'fileName',
  'sha256',
  'input',
  'output',
  'layout',
  'combine',
  'members',
];
const ONNX_LAYOUTS: readonly OnnxLayout[] = ['flat', 'nhwc', 'nchw'];
const ENSEMBLE_COMBINES: readonly EnsembleCombine[] = ['mean-log-prob', 'mean-prob'];

/** `path` is where the descriptor sits ("teacher", or "teacher.members[1]" for an ensemble's member). */
function parseTeacher(v: unknown, path = 'teacher'): TeacherDescriptor {
  const member = path !== 'teacher';
  const kind = record(v, path, ['kind'], TEACHER_FIELDS).kind;
  // An ensemble of ensembles would be one flat ensemble with other weights: refused, so that each member is one model.
  if (member && kind === 'ensemble') throw new Error(`${path}.kind must not be "ensemble": an ensemble's members are single teachers`);
  oneOf(kind, `${path}.kind`, member ? MEMBER_KINDS : TEACHER_KINDS);
  switch (kind as TeacherDescriptor['kind']) {
    case 'shipped':
      return { kind: 'shipped', id: oneOf(record(v, path, ['kind', 'id']).id, `${path}.id`, SHIPPED_IDS) };
    case 'uploaded':
      return { kind: 'uploaded', fileName: fileName(record(v, path, ['kind', 'fileName']).fileName, `${path}.fileName`) };
    case 'teachable-machine':
      return { kind: 'teachable-machine', fileName: fileName(record(v, path, ['kind', 'fileName']).fileName, `${path}.fileName`) };
    case 'onnx': {
      const o = record(v, path, ['kind', 'fileName', 'sha256'], ['input', 'output', 'layout']);
      return {
        kind: 'onnx',
        fileName: fileName(o.fileName, `${path}.fileName`),
        sha256: sha256(o.sha256, `${path}.sha256`),
        ...(o.input === undefined ? {} : { input: ioName(o.input, `${path}.input`) }),
        ...(o.output === undefined ? {} : { output: ioName(o.output, `${path}.output`) }),
        ...(o.layout === undefined ? {} : { layout: oneOf(o.layout, `${path}.layout`, ONNX_LAYOUTS) }),
      };
    }
    case 'ensemble': {
      const o = record(v, path, ['kind', 'combine', 'members']);
      const combine = oneOf(o.combine, `${path}.combine`, ENSEMBLE_COMBINES);
      const members = o.members;
      if (!Array.isArray(members) || members.length < ENSEMBLE_MIN_MEMBERS || members.length > ENSEMBLE_MAX_MEMBERS) {
        const got = Array.isArray(members) ? `${members.length} members` : show(members);
        throw new Error(`${path}.members must be a list of ${ENSEMBLE_MIN_MEMBERS} to ${ENSEMBLE_MAX_MEMBERS} teachers, got ${got}`);
      }
      return { kind: 'ensemble', combine, members: members.map((m, i) => parseTeacher(m, `${path}.members[${i}]`)) };
    }
    case 'preset': {
      const o = record(v, path, ['kind', 'preset', 'epochs', 'batchSize', 'learningRate', 'seed']);
      return {
        kind: 'preset',
        preset: oneOf(o.preset, `${path}.preset`, TEACHER_IDS) as TeacherPresetId,
        epochs: epochs(o.epochs, `${path}.epochs`),
        batchSize: batchSize(o.batchSize, `${path}.batchSize`),
        learningRate: learningRate(o.learningRate, `${path}.learningRate`),
        seed: seed(o.seed, `${path}.seed`),
      };
    }
  }
}

function sha256(v: unknown, path: string): string {
  if (typeof v !== 'string' || !/^[0-9a-fA-F]{64}$/.test(v))
    throw new Error(`${path} must be 64 hexadecimal digits (a SHA-256), got ${show(v)}`);
  return v.toLowerCase();
}

/** An ONNX graph input or output name: any non-empty text. */
function ioName(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`${path} must be the non-empty name of a model input or output, got ${show(v)}`);
  return v;
}

function parseStudent(v: unknown): StudentDescriptor {
  const kind = oneOf(record(v, 'student', ['kind'], ['preset', 'fileName']).kind, 'student.kind', ['preset', 'uploaded'] as const);
  if (kind === 'uploaded') return { kind, fileName: fileName(record(v, 'student', ['kind', 'fileName']).fileName, 'student.fileName') };
  const preset = record(v, 'student', ['kind', 'preset']).preset;
  // An architecture "Use this student" set (core/student-archs); else the presets, as the message names them.
  if (isStudentArchId(preset)) return { kind, preset };
  return { kind, preset: oneOf(preset, 'student.preset', STUDENT_IDS) as StudentPresetId };
}

function parseLoss(v: unknown): LossTerms {
  const o = record(v, 'loss', ['temperature', 'alpha', 'scaleByT2', 'logitMse', 'hint'], ['method', 'softTargets']);
  if (typeof o.scaleByT2 !== 'boolean') throw new Error(`loss.scaleByT2 must be true or false, got ${show(o.scaleByT2)}`);
  return {
    temperature: num(o.temperature, 'loss.temperature', 'a positive number at most 1000', (n) => n > 0 && n <= 1000),
    alpha: num(o.alpha, 'loss.alpha', 'a number from 0 to 1', (n) => n >= 0 && n <= 1),
    scaleByT2: o.scaleByT2,
    logitMse: nonNegative(o.logitMse, 'loss.logitMse'),
    hint: o.hint === null ? null : parseHint(o.hint),
    // Absent stays absent: an experiment saved before these options reads back exactly as it was.
    ...(o.method !== undefined && { method: parseMethod(o.method) }),
    ...(o.softTargets !== undefined && {
      softTargets: oneOf(o.softTargets, 'loss.softTargets', ['teacher', 'shuffled', 'smoothed'] as const),
    }),
  };
}

function parseMethod(v: unknown): MethodSettings {
  const o = record(v, 'loss.method', ['method', 'dkdAlpha', 'dkdBeta', 'generations']);
  return {
    method: oneOf(o.method, 'loss.method.method', ['hinton', 'dkd', 'born-again', 'mutual'] as const),
    dkdAlpha: num(o.dkdAlpha, 'loss.method.dkdAlpha', 'a number from 0 to 100', (n) => n >= 0 && n <= 100),
    dkdBeta: num(o.dkdBeta, 'loss.method.dkdBeta', 'a number from 0 to 100', (n) => n >= 0 && n <= 100),
    generations: int(o.generations, 'loss.method.generations', 1, 5),
  };
}

function parseHint(v: unknown): HintTerm {
  const o = record(v, 'loss.hint', ['weight', 'teacherLayer', 'studentLayer']);
  return {
    weight: nonNegative(o.weight, 'loss.hint.weight'),
    teacherLayer: int(o.teacherLayer, 'loss.hint.teacherLayer', 0, Infinity),
    studentLayer: int(o.studentLayer, 'loss.hint.studentLayer', 0, Infinity),
  };
}

function parseTransfer(v: unknown): TransferSet {
  const o = record(v, 'transfer', ['labelledFraction', 'omitClass', 'jitter'], ['data']);
  return {
    labelledFraction: num(o.labelledFraction, 'transfer.labelledFraction', 'a number above 0 and at most 1', (n) => n > 0 && n <= 1),
    omitClass:
      o.omitClass === null
        ? null
        : num(o.omitClass, 'transfer.omitClass', 'null or a whole number at least 0', (n) => Number.isInteger(n) && n >= 0),
    jitter: int(o.jitter, 'transfer.jitter', 0, 4),
    ...(o.data !== undefined && { data: parseTransferData(o.data) }),
  };
}

function parseTransferData(v: unknown): TransferData {
  const path = 'transfer.data';
  const kind = oneOf(record(v, path, ['kind'], ['alpha', 'perClass', 'steps']).kind, `${path}.kind`, TRANSFER_DATA_KINDS);
  switch (kind) {
    case 'training':
    case 'gaussian':
      record(v, path, ['kind']);
      return { kind };
    case 'mixup': {
      const o = record(v, path, ['kind', 'alpha']);
      return { kind, alpha: num(o.alpha, `${path}.alpha`, 'a number from 0.05 to 10', (n) => n >= 0.05 && n <= 10) };
    }
    case 'synthesised': {
      const o = record(v, path, ['kind', 'perClass', 'steps']);
      return { kind, perClass: int(o.perClass, `${path}.perClass`, 1, 1000), steps: int(o.steps, `${path}.steps`, 1, 5000) };
    }
  }
}

const TRANSFER_DATA_KINDS = ['training', 'gaussian', 'mixup', 'synthesised'] as const;

function parseOptimiser(v: unknown): OptimiserConfig {
  const o = record(v, 'optimiser', ['name', 'learningRate', 'batchSize', 'epochs']);
  return {
    name: oneOf(o.name, 'optimiser.name', ['adam'] as const),
    learningRate: learningRate(o.learningRate, 'optimiser.learningRate'),
    batchSize: batchSize(o.batchSize, 'optimiser.batchSize'),
    epochs: epochs(o.epochs, 'optimiser.epochs'),
  };
}

/** Classes of the data sets whose class count the descriptor alone decides. */
function knownClassCount(d: DataDescriptor): number | null {
  if (d.kind === 'mnist') return 10;
  if (d.kind === 'iris') return 3;
  if (d.kind === 'toy') return d.toy === 'spiral' || d.toy === 'blobs' ? (d.classes ?? 3) : 2;
  return null;
}

const hasImages = (d: DataDescriptor) => d.kind === 'mnist' || d.kind === 'images' || (d.kind === 'csv' && d.imageShape !== undefined);

/** Fields that are each fine alone but contradict one another (the same rules the studio applies). */
function parseQuantAware(v: unknown): QuantAwareSettings {
  const o = record(v, 'quantAware', ['lastEpochs', 'perChannel', 'activations']);
  return {
    lastEpochs: int(o.lastEpochs, 'quantAware.lastEpochs', 1, 1000),
    perChannel: bool(o.perChannel, 'quantAware.perChannel'),
    activations: bool(o.activations, 'quantAware.activations'),
  };
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${path} must be true or false, got ${show(v)}`);
  return v;
}

/** Train for uint8 against the run it is part of: its epochs, its method, a hint. */
function checkQuantAware(c: ExperimentConfig): void {
  const q = c.quantAware;
  if (!q) return;
  if (q.lastEpochs > c.optimiser.epochs)
    throw new Error(`quantAware.lastEpochs must be at most optimiser.epochs (${c.optimiser.epochs}), got ${q.lastEpochs}`);
  const method = c.loss.method?.method ?? 'hinton';
  if (method !== 'hinton' && method !== 'dkd')
    throw new Error(
      `quantAware (Train for uint8) trains one distilled student: it needs loss.method "hinton" or "dkd", got ${show(method)}`,
    );
  if (q.activations && c.loss.hint !== null)
    throw new Error('quantAware.activations (Quantise activations) cannot be combined with loss.hint: set one of them off');
}

function checkCombination(c: ExperimentConfig): void {
  checkQuantAware(c);
  const { data, teacher, transfer } = c;
  const made = transfer.data?.kind ?? 'training';
  if (made !== 'training') {
    const why = `transfer.data.kind ${show(made)} replaces the training rows`;
    if (transfer.labelledFraction !== 1) throw new Error(`${why}: transfer.labelledFraction must be 1, got ${transfer.labelledFraction}`);
    if (transfer.omitClass !== null) throw new Error(`${why}: transfer.omitClass must be null, got ${transfer.omitClass}`);
    if (transfer.jitter !== 0) throw new Error(`${why}: transfer.jitter must be 0, got ${transfer.jitter}`);
  }
  if (made === 'synthesised' && (teacher.kind === 'onnx' || teacher.kind === 'ensemble' || teacher.kind === 'teachable-machine')) {
    throw new Error(
      `transfer.data.kind "synthesised" optimises inputs through the teacher's gradients: it needs a TensorFlow.js layers teacher, got teacher.kind ${show(teacher.kind)}`,
    );
  }
  if (transfer.jitter > 0 && !hasImages(data)) {
    throw new Error(
      `transfer.jitter shifts images: it needs image data (mnist, images, or csv with imageShape), got data.kind ${show(data.kind)}`,
    );
  }
  const classes = knownClassCount(data);
  if (transfer.omitClass !== null && classes !== null && transfer.omitClass >= classes) {
    throw new Error(`transfer.omitClass must be one of the data set's ${classes} classes (0 to ${classes - 1}), got ${transfer.omitClass}`);
  }
  const teachers =
    teacher.kind === 'ensemble' ? teacher.members.map((m, i) => [m, `teacher.members[${i}]`] as const) : [[teacher, 'teacher'] as const];
  for (const [t, path] of teachers) checkTeacherFits(t, path, data, classes);
  // A hint reads a hidden layer of a TF.js layers model by index: an ONNX graph, an ensemble or a Teachable
  // Machine model (whose inputs are resized first) has no such layer to match.
  if (c.loss.hint !== null && (teacher.kind === 'onnx' || teacher.kind === 'ensemble' || teacher.kind === 'teachable-machine')) {
    throw new Error(`loss.hint needs a TensorFlow.js layers teacher, got teacher.kind ${show(teacher.kind)}: set loss.hint to null`);
  }
}

function checkTeacherFits(teacher: TeacherDescriptor, path: string, data: DataDescriptor, classes: number | null): void {
  if (teacher.kind === 'preset' && teacherPreset(teacher.preset).spec.kind === 'cnn' && !hasImages(data)) {
    throw new Error(
      `${path}.preset ${show(teacher.preset)} is a CNN: it needs image data (mnist, images, or csv with imageShape), got data.kind ${show(data.kind)}`,
    );
  }
  if (teacher.kind === 'teachable-machine' && !hasImages(data)) {
    throw new Error(
      `${path}.kind "teachable-machine" is an image model: it needs image data (mnist, images, or csv with imageShape), got data.kind ${show(data.kind)}`,
    );
  }
  if (teacher.kind === 'shipped') {
    const shipped = SHIPPED_TEACHERS.find((t) => t.id === teacher.id);
    const family = data.kind === 'toy' ? `toy-${data.toy}` : data.kind;
    if (shipped && (shipped.family !== family || (classes !== null && shipped.numClasses !== classes))) {
      throw new Error(
        `${path}.id ${show(teacher.id)} was trained on ${shipped.family} with ${shipped.numClasses} classes: it does not fit data.kind ${show(data.kind)}${classes === null ? '' : ` with ${classes} classes`}`,
      );
    }
  }
}
