import { describe, expect, it } from 'vitest';
import { DEFAULT_LOSS, DEFAULT_TRANSFER, type ExperimentConfig } from './experiment';
import { experimentToJson, parseExperiment } from './experiment-validate';

const mnist: ExperimentConfig = {
  version: 1,
  data: { kind: 'mnist' },
  teacher: { kind: 'shipped', id: 'mnist-cnn' },
  student: { kind: 'preset', preset: 'mlp-64' },
  loss: { ...DEFAULT_LOSS, hint: { weight: 0.5, teacherLayer: 6, studentLayer: 0 } },
  transfer: DEFAULT_TRANSFER,
  optimiser: { name: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10 },
  seed: 42,
};
const iris: ExperimentConfig = {
  ...mnist,
  data: { kind: 'iris', seed: 1 },
  teacher: { kind: 'preset', preset: 'mlp-256', epochs: 50, batchSize: 16, learningRate: 0.01, seed: 1 },
};
const csv: ExperimentConfig = {
  ...mnist,
  data: {
    kind: 'csv',
    fileName: 'a "b" \\ é.csv',
    testFileName: 't.csv',
    labelColumn: 3,
    normalisation: 'standardise',
    imageShape: [2, 2, 1],
    testFraction: 0.25,
    seed: 3,
  },
  teacher: { kind: 'uploaded', fileName: 'teacher.zip' },
  student: { kind: 'uploaded', fileName: 'student.zip' },
  transfer: { labelledFraction: 0.5, omitClass: 7, jitter: 4 },
};
const toy: ExperimentConfig = {
  ...mnist,
  data: { kind: 'toy', toy: 'spiral', size: 500, noise: 0.1, classes: 3, seed: 1 },
  teacher: { kind: 'shipped', id: 'spiral-mlp' },
};
const images: ExperimentConfig = {
  ...mnist,
  data: { kind: 'images', fileName: 'pets.zip', width: 32, height: 24, channels: 3, testFraction: 0.2, seed: 9 },
  teacher: { kind: 'preset', preset: 'cnn-32-64', epochs: 5, batchSize: 32, learningRate: 0.001, seed: 2 },
};

const SHA = 'ab'.repeat(32);
const onnx: ExperimentConfig = {
  ...csv,
  teacher: { kind: 'onnx', fileName: 'resnet.onnx', sha256: SHA, input: 'pixels', output: 'logits', layout: 'nchw' },
  loss: DEFAULT_LOSS,
};
const teachable: ExperimentConfig = { ...images, teacher: { kind: 'teachable-machine', fileName: 'model.json' }, loss: DEFAULT_LOSS };
const ensemble: ExperimentConfig = {
  ...mnist,
  loss: DEFAULT_LOSS,
  teacher: {
    kind: 'ensemble',
    combine: 'mean-prob',
    members: [
      { kind: 'shipped', id: 'mnist-cnn' },
      { kind: 'preset', preset: 'mlp-256', epochs: 3, batchSize: 32, learningRate: 0.001, seed: 2 },
      { kind: 'onnx', fileName: 'm.onnx', sha256: SHA },
      { kind: 'uploaded', fileName: 'teacher.zip' },
      { kind: 'teachable-machine', fileName: 'model.json' },
    ],
  },
};

/** A deep copy of `c` with the value at `path` replaced (undefined deletes it). */
function withValue(c: ExperimentConfig, path: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
  const keys = path.split('.');
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  if (value === undefined) delete o[keys[keys.length - 1]];
  else o[keys[keys.length - 1]] = value;
  return copy;
}

describe('parseExperiment and experimentToJson', () => {
  it.each([mnist, iris, csv, toy, images, onnx, teachable, ensemble])(
    'round-trips $data.kind with a $teacher.kind teacher through JSON unchanged',
    (c) => {
      const text = experimentToJson(c);
      expect(parseExperiment(JSON.parse(text))).toEqual(c);
      expect(experimentToJson(parseExperiment(JSON.parse(text)))).toBe(text);
    },
  );

  it('writes a fixed key order with a 2-space indent, whatever order the keys came in', () => {
    const shuffled = JSON.parse(
      JSON.stringify({
        seed: mnist.seed,
        optimiser: { epochs: 10, batchSize: 64, learningRate: 0.001, name: 'adam' },
        transfer: mnist.transfer,
        loss: mnist.loss,
        student: mnist.student,
        teacher: mnist.teacher,
        data: mnist.data,
        version: 1,
      }),
    );
    const text = experimentToJson(shuffled);
    expect(text).toBe(experimentToJson(mnist));
    expect(Object.keys(JSON.parse(text))).toEqual(['version', 'data', 'teacher', 'student', 'loss', 'transfer', 'optimiser', 'seed']);
    expect(text.split('\n')[1]).toBe('  "version": 1,');
    // `kind` leads its object; the rest is alphabetical.
    expect(Object.keys(JSON.parse(experimentToJson(csv)).data)).toEqual([
      'kind',
      'fileName',
      'imageShape',
      'labelColumn',
      'normalisation',
      'seed',
      'testFileName',
      'testFraction',
    ]);
  });

  it('returns a fresh object, not the input', () => {
    const input = JSON.parse(JSON.stringify(mnist));
    const parsed = parseExperiment(input);
    input.loss.temperature = 99;
    expect(parsed.loss.temperature).toBe(4);
  });

  it('accepts an optional field given as undefined as if absent', () => {
    const c = { ...toy, data: { kind: 'toy', toy: 'moons', size: 100, noise: 0, classes: undefined, seed: 1 } };
    expect(parseExperiment({ ...c, teacher: { kind: 'shipped', id: 'moons-mlp' } }).data).toEqual({
      kind: 'toy',
      toy: 'moons',
      size: 100,
      noise: 0,
      seed: 1,
    });
  });

  it('refuses to write an invalid experiment', () => {
    expect(() => experimentToJson(withValue(mnist, 'seed', -1) as ExperimentConfig)).toThrow(
      'seed must be a whole number from 0 to 4294967295, got -1',
    );
  });
});

// Unknown keys are rejected (not ignored): a misspelt field would otherwise run silently with another value.
describe('parseExperiment refuses unknown keys', () => {
  it.each([
    [
      'extra',
      'extra is not a known field (expected version, data, teacher, student, loss, transfer, optimiser, seed, quantAware, repeats)',
    ],
    [
      'loss.temprature',
      'loss.temprature is not a known field (expected temperature, alpha, scaleByT2, logitMse, hint, method, softTargets)',
    ],
    ['data.seed', 'data.seed is not a known field (expected kind)'],
    ['loss.hint.layer', 'loss.hint.layer is not a known field (expected weight, teacherLayer, studentLayer)'],
    ['teacher.epochs', 'teacher.epochs is not a known field (expected kind, id)'],
  ])('%s', (path, message) => {
    expect(() => parseExperiment(withValue(mnist, path, 1))).toThrow(message);
  });
});

describe('parseExperiment names the field and the rule', () => {
  const cases: [string, ExperimentConfig, string, unknown, string][] = [
    ['version', mnist, 'version', 2, 'version must be 1, got 2'],
    ['temperature below range', mnist, 'loss.temperature', -1, 'loss.temperature must be a positive number at most 1000, got -1'],
    ['temperature zero', mnist, 'loss.temperature', 0, 'loss.temperature must be a positive number at most 1000, got 0'],
    ['temperature above range', mnist, 'loss.temperature', 1001, 'loss.temperature must be a positive number at most 1000, got 1001'],
    ['temperature as text', mnist, 'loss.temperature', '4', 'loss.temperature must be a positive number at most 1000, got "4"'],
    ['temperature NaN', mnist, 'loss.temperature', Number.NaN, 'loss.temperature must be a positive number at most 1000, got NaN'],
    ['alpha', mnist, 'loss.alpha', 1.5, 'loss.alpha must be a number from 0 to 1, got 1.5'],
    ['alpha missing', mnist, 'loss.alpha', undefined, 'loss.alpha must be a number from 0 to 1, got nothing (the field is missing)'],
    ['scaleByT2', mnist, 'loss.scaleByT2', 'yes', 'loss.scaleByT2 must be true or false, got "yes"'],
    ['logitMse', mnist, 'loss.logitMse', -0.1, 'loss.logitMse must be a number at least 0, got -0.1'],
    ['hint not an object', mnist, 'loss.hint', 3, 'loss.hint must be an object, got 3'],
    ['hint weight', mnist, 'loss.hint.weight', -1, 'loss.hint.weight must be a number at least 0, got -1'],
    [
      'hint teacher layer negative',
      mnist,
      'loss.hint.teacherLayer',
      -1,
      'loss.hint.teacherLayer must be a whole number at least 0, got -1',
    ],
    [
      'hint teacher layer fractional',
      mnist,
      'loss.hint.teacherLayer',
      1.5,
      'loss.hint.teacherLayer must be a whole number at least 0, got 1.5',
    ],
    ['hint student layer', mnist, 'loss.hint.studentLayer', '0', 'loss.hint.studentLayer must be a whole number at least 0, got "0"'],
    [
      'labelled fraction zero',
      mnist,
      'transfer.labelledFraction',
      0,
      'transfer.labelledFraction must be a number above 0 and at most 1, got 0',
    ],
    [
      'labelled fraction above 1',
      mnist,
      'transfer.labelledFraction',
      1.01,
      'transfer.labelledFraction must be a number above 0 and at most 1, got 1.01',
    ],
    ['omit class negative', mnist, 'transfer.omitClass', -1, 'transfer.omitClass must be null or a whole number at least 0, got -1'],
    ['omit class fractional', mnist, 'transfer.omitClass', 2.5, 'transfer.omitClass must be null or a whole number at least 0, got 2.5'],
    [
      'omit class beyond the classes',
      mnist,
      'transfer.omitClass',
      10,
      "transfer.omitClass must be one of the data set's 10 classes (0 to 9), got 10",
    ],
    ['jitter above 4', mnist, 'transfer.jitter', 5, 'transfer.jitter must be a whole number from 0 to 4, got 5'],
    ['jitter fractional', mnist, 'transfer.jitter', 1.5, 'transfer.jitter must be a whole number from 0 to 4, got 1.5'],
    [
      'jitter without images',
      iris,
      'transfer.jitter',
      1,
      'transfer.jitter shifts images: it needs image data (mnist, images, or csv with imageShape), got data.kind "iris"',
    ],
    ['optimiser name', mnist, 'optimiser.name', 'sgd', 'optimiser.name must be one of "adam", got "sgd"'],
    ['learning rate zero', mnist, 'optimiser.learningRate', 0, 'optimiser.learningRate must be a number above 0 and below 10, got 0'],
    ['learning rate 10', mnist, 'optimiser.learningRate', 10, 'optimiser.learningRate must be a number above 0 and below 10, got 10'],
    ['batch size zero', mnist, 'optimiser.batchSize', 0, 'optimiser.batchSize must be a whole number from 1 to 4096, got 0'],
    ['batch size too big', mnist, 'optimiser.batchSize', 4097, 'optimiser.batchSize must be a whole number from 1 to 4096, got 4097'],
    ['epochs zero', mnist, 'optimiser.epochs', 0, 'optimiser.epochs must be a whole number from 1 to 1000, got 0'],
    ['epochs too many', mnist, 'optimiser.epochs', 1001, 'optimiser.epochs must be a whole number from 1 to 1000, got 1001'],
    ['seed negative', mnist, 'seed', -1, 'seed must be a whole number from 0 to 4294967295, got -1'],
    ['seed too big', mnist, 'seed', 4294967296, 'seed must be a whole number from 0 to 4294967295, got 4294967296'],
    [
      'teacher kind',
      mnist,
      'teacher.kind',
      'remote',
      'teacher.kind must be one of "shipped", "preset", "uploaded", "onnx", "teachable-machine", "ensemble", got "remote"',
    ],
    [
      'shipped teacher id',
      mnist,
      'teacher.id',
      'cifar-resnet',
      'teacher.id must be one of "mnist-cnn", "mnist-mlp-1200", "iris-mlp", "spiral-mlp", "moons-mlp", "circles-mlp", "xor-mlp", "blobs-mlp", got "cifar-resnet"',
    ],
    [
      'shipped teacher for other data',
      iris,
      'teacher',
      { kind: 'shipped', id: 'mnist-cnn' },
      'teacher.id "mnist-cnn" was trained on mnist with 10 classes: it does not fit data.kind "iris" with 3 classes',
    ],
    ['teacher preset', iris, 'teacher.preset', 'resnet', 'teacher.preset must be one of "mlp-1200", "mlp-256", "cnn-32-64", got "resnet"'],
    [
      'cnn teacher without images',
      iris,
      'teacher.preset',
      'cnn-32-64',
      'teacher.preset "cnn-32-64" is a CNN: it needs image data (mnist, images, or csv with imageShape), got data.kind "iris"',
    ],
    ['teacher epochs', iris, 'teacher.epochs', 0, 'teacher.epochs must be a whole number from 1 to 1000, got 0'],
    ['teacher seed', iris, 'teacher.seed', 0.5, 'teacher.seed must be a whole number from 0 to 4294967295, got 0.5'],
    [
      'student preset',
      mnist,
      'student.preset',
      'mlp-100',
      'student.preset must be one of "mlp-64", "mlp-32", "mlp-16", "linear", got "mlp-100"',
    ],
    ['student file name', csv, 'student.fileName', '  ', 'student.fileName must be a non-empty file name, got "  "'],
    ['data kind', mnist, 'data.kind', 'cifar', 'data.kind must be one of "mnist", "iris", "toy", "csv", "images", got "cifar"'],
    ['iris seed', iris, 'data.seed', -2, 'data.seed must be a whole number from 0 to 4294967295, got -2'],
    ['toy kind', toy, 'data.toy', 'swirl', 'data.toy must be one of "spiral", "moons", "circles", "xor", "blobs", got "swirl"'],
    ['toy size', toy, 'data.size', 5, 'data.size must be a whole number from 6 to 100000, got 5'],
    ['toy noise', toy, 'data.noise', -1, 'data.noise must be a number at least 0, got -1'],
    ['toy classes', toy, 'data.classes', 11, 'data.classes must be a whole number from 2 to 10, got 11'],
    ['csv file name', csv, 'data.fileName', '', 'data.fileName must be a non-empty file name, got ""'],
    ['csv label column', csv, 'data.labelColumn', -1, 'data.labelColumn must be a whole number at least 0, got -1'],
    [
      'csv normalisation',
      csv,
      'data.normalisation',
      'minmax',
      'data.normalisation must be one of "none", "0-1", "standardise", got "minmax"',
    ],
    ['csv image shape', csv, 'data.imageShape', [8, 8], 'data.imageShape must be [height, width, channels], got an array'],
    ['csv image shape entry', csv, 'data.imageShape', [8, 0, 1], 'data.imageShape[1] must be a whole number at least 1, got 0'],
    ['csv test fraction', csv, 'data.testFraction', 1, 'data.testFraction must be a number above 0 and below 1, got 1'],
    ['image width', images, 'data.width', 0, 'data.width must be a whole number from 1 to 256, got 0'],
    ['image height', images, 'data.height', 257, 'data.height must be a whole number from 1 to 256, got 257'],
    ['image channels', images, 'data.channels', 2, 'data.channels must be one of 1, 3, got 2'],
  ];

  it.each(cases)('%s', (_name, base, path, value, message) => {
    expect(() => parseExperiment(withValue(base, path, value))).toThrow(message);
  });

  it('says what it got when the whole thing is not an object', () => {
    expect(() => parseExperiment(null)).toThrow('the experiment must be an object, got null');
    expect(() => parseExperiment([mnist])).toThrow('the experiment must be an object, got an array');
    expect(() => parseExperiment('{}')).toThrow('the experiment must be an object, got "{}"');
  });
});

describe('parseExperiment: ONNX, Teachable Machine and ensemble teachers', () => {
  const member = (n: number) => ({ kind: 'preset', preset: 'mlp-256', epochs: 1, batchSize: 8, learningRate: 0.01, seed: n });
  const cases: [string, ExperimentConfig, string, unknown, string][] = [
    [
      'onnx without a hash',
      onnx,
      'teacher.sha256',
      undefined,
      'teacher.sha256 must be 64 hexadecimal digits (a SHA-256), got nothing (the field is missing)',
    ],
    ['onnx short hash', onnx, 'teacher.sha256', 'abc', 'teacher.sha256 must be 64 hexadecimal digits (a SHA-256), got "abc"'],
    [
      'onnx hash not hex',
      onnx,
      'teacher.sha256',
      'g'.repeat(64),
      `teacher.sha256 must be 64 hexadecimal digits (a SHA-256), got "${'g'.repeat(64)}"`,
    ],
    ['onnx layout', onnx, 'teacher.layout', 'NCHW', 'teacher.layout must be one of "flat", "nhwc", "nchw", got "NCHW"'],
    ['onnx input name', onnx, 'teacher.input', '', 'teacher.input must be the non-empty name of a model input or output, got ""'],
    ['onnx output name', onnx, 'teacher.output', 3, 'teacher.output must be the non-empty name of a model input or output, got 3'],
    ['onnx file name', onnx, 'teacher.fileName', '', 'teacher.fileName must be a non-empty file name, got ""'],
    [
      'onnx unknown field',
      onnx,
      'teacher.id',
      'x',
      'teacher.id is not a known field (expected kind, fileName, sha256, input, output, layout)',
    ],
    [
      'teachable machine file',
      teachable,
      'teacher.fileName',
      undefined,
      'teacher.fileName must be a non-empty file name, got nothing (the field is missing)',
    ],
    [
      'teachable machine without images',
      iris,
      'teacher',
      { kind: 'teachable-machine', fileName: 'model.json' },
      'teacher.kind "teachable-machine" is an image model: it needs image data (mnist, images, or csv with imageShape), got data.kind "iris"',
    ],
    [
      'ensemble combine',
      ensemble,
      'teacher.combine',
      'median',
      'teacher.combine must be one of "mean-log-prob", "mean-prob", got "median"',
    ],
    ['ensemble of one', ensemble, 'teacher.members', [member(1)], 'teacher.members must be a list of 2 to 8 teachers, got 1 members'],
    [
      'ensemble of nine',
      ensemble,
      'teacher.members',
      Array.from({ length: 9 }, (_, i) => member(i)),
      'teacher.members must be a list of 2 to 8 teachers, got 9 members',
    ],
    [
      'ensemble members not a list',
      ensemble,
      'teacher.members',
      { a: 1 },
      'teacher.members must be a list of 2 to 8 teachers, got an object',
    ],
    [
      'nested ensemble',
      ensemble,
      'teacher.members.1',
      { kind: 'ensemble', combine: 'mean-prob', members: [member(1), member(2)] },
      'teacher.members[1].kind must not be "ensemble": an ensemble\'s members are single teachers',
    ],
    [
      'member kind',
      ensemble,
      'teacher.members.0.kind',
      'remote',
      'teacher.members[0].kind must be one of "shipped", "preset", "uploaded", "onnx", "teachable-machine", got "remote"',
    ],
    ['member field', ensemble, 'teacher.members.1.seed', -1, 'teacher.members[1].seed must be a whole number from 0 to 4294967295, got -1'],
    [
      'member hash',
      ensemble,
      'teacher.members.2.sha256',
      'x',
      'teacher.members[2].sha256 must be 64 hexadecimal digits (a SHA-256), got "x"',
    ],
    [
      'member for other data',
      ensemble,
      'teacher.members.0.id',
      'iris-mlp',
      'teacher.members[0].id "iris-mlp" was trained on iris with 3 classes: it does not fit data.kind "mnist" with 10 classes',
    ],
    [
      'cnn member without images',
      { ...iris, teacher: { kind: 'ensemble', combine: 'mean-log-prob', members: [member(1), member(2)] } } as ExperimentConfig,
      'teacher.members.1.preset',
      'cnn-32-64',
      'teacher.members[1].preset "cnn-32-64" is a CNN: it needs image data (mnist, images, or csv with imageShape), got data.kind "iris"',
    ],
    [
      'hint with an ensemble',
      ensemble,
      'loss.hint',
      { weight: 1, teacherLayer: 0, studentLayer: 0 },
      'loss.hint needs a TensorFlow.js layers teacher, got teacher.kind "ensemble": set loss.hint to null',
    ],
    [
      'hint with an onnx teacher',
      onnx,
      'loss.hint',
      { weight: 1, teacherLayer: 0, studentLayer: 0 },
      'loss.hint needs a TensorFlow.js layers teacher, got teacher.kind "onnx": set loss.hint to null',
    ],
  ];

  it.each(cases)('%s', (_name, base, path, value, message) => {
    expect(() => parseExperiment(withValue(base, path, value))).toThrow(message);
  });

  it('accepts a student architecture beyond the presets (what "Use this student" sets)', () => {
    expect(parseExperiment(withValue(mnist, 'student.preset', 'mlp-128-128')).student).toEqual({ kind: 'preset', preset: 'mlp-128-128' });
  });

  it('keeps the optional ONNX fields optional and writes a hash in lower case', () => {
    const bare = { ...onnx, teacher: { kind: 'onnx', fileName: 'm.onnx', sha256: 'AB'.repeat(32) } };
    expect(parseExperiment(bare).teacher).toEqual({ kind: 'onnx', fileName: 'm.onnx', sha256: SHA });
  });

  it('accepts 2 and 8 members and keeps their order', () => {
    for (const n of [2, 8]) {
      const members = Array.from({ length: n }, (_, i) => member(i));
      const parsed = parseExperiment(withValue(ensemble, 'teacher.members', members)).teacher;
      expect(parsed.kind === 'ensemble' && parsed.members.map((m) => m.kind === 'preset' && m.seed)).toEqual(members.map((m) => m.seed));
    }
  });
});
