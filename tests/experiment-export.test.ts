import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOY_KINDS } from '../src/core/data/toy';
import { ensembleTeacher, LOG_PROB_FLOOR } from '../src/core/ensemble';
import { DEFAULT_LOSS, DEFAULT_TRANSFER, type ExperimentConfig } from '../src/core/experiment';
import { SHIPPED_RECIPES } from '../src/core/experiment-export/architectures';
import { toPyTorchScript } from '../src/core/experiment-export/pytorch';
import { toTorchdistillYaml } from '../src/core/experiment-export/torchdistill';
import { parseExperiment } from '../src/core/experiment-validate';
import { specLayers } from '../src/core/model-spec';
import {
  cnnLogitsTf,
  cnnNchwOnnx,
  mlpLogitsTf,
  mlpOnnx,
  randomCnnWeights,
  randomMlpWeights,
  softmaxOnnx,
} from '../src/core/onnx/test-onnx-models';
import { studentPreset, teacherPreset } from '../src/core/presets';
import { SHIPPED_TEACHERS } from '../src/core/shipped';

/**
 * The exports are checked by Python itself: each script must parse, and its CONFIG, read back with
 * ast.literal_eval, must hold the experiment's values exactly. python3 is required: without it these
 * tests fail (they never skip), since an export nobody has parsed is not tested.
 */

type Shape = [numFeatures: number, numClasses: number, imageShape?: [number, number, number]];
const MNIST_SHAPE: Shape = [784, 10, [28, 28, 1]];

const mnistDefault: ExperimentConfig = {
  version: 1,
  data: { kind: 'mnist' },
  teacher: { kind: 'shipped', id: 'mnist-cnn' },
  student: { kind: 'preset', preset: 'mlp-64' },
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
  optimiser: { name: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10 },
  seed: 1,
};
const iris: ExperimentConfig = {
  ...mnistDefault,
  data: { kind: 'iris', seed: 3 },
  teacher: { kind: 'shipped', id: 'iris-mlp' },
  student: { kind: 'preset', preset: 'mlp-16' },
  optimiser: { name: 'adam', learningRate: 0.01, batchSize: 16, epochs: 100 },
};
const moons: ExperimentConfig = {
  ...mnistDefault,
  data: { kind: 'toy', toy: 'moons', size: 1000, noise: 0.1, seed: 1 },
  teacher: { kind: 'preset', preset: 'mlp-256', epochs: 40, batchSize: 32, learningRate: 0.01, seed: 5 },
  student: { kind: 'preset', preset: 'linear' },
};
const spiral: ExperimentConfig = { ...moons, data: { kind: 'toy', toy: 'spiral', size: 900, noise: 0.2, classes: 4, seed: 2 } };
const ODD_NAME = 'we"ird \\ name\t é 😀 \u2028 \'q\' """.csv';
const oddCsv: ExperimentConfig = {
  ...mnistDefault,
  data: {
    kind: 'csv',
    fileName: ODD_NAME,
    testFileName: 'C:\\data\\test "set".csv',
    labelColumn: 4,
    normalisation: '0-1',
    testFraction: 0.3,
    seed: 11,
  },
  teacher: { kind: 'preset', preset: 'mlp-256', epochs: 20, batchSize: 32, learningRate: 0.005, seed: 2 },
  loss: { temperature: 2.5, alpha: 0.25, scaleByT2: false, logitMse: 0, hint: null },
  seed: 4294967295,
};
const allTerms: ExperimentConfig = {
  ...mnistDefault,
  teacher: { kind: 'preset', preset: 'cnn-32-64', epochs: 3, batchSize: 128, learningRate: 0.002, seed: 9 },
  student: { kind: 'preset', preset: 'mlp-32' },
  loss: { temperature: 20, alpha: 0.7, scaleByT2: true, logitMse: 0.05, hint: { weight: 0.5, teacherLayer: 6, studentLayer: 0 } },
  transfer: { labelledFraction: 0.03, omitClass: 3, jitter: 2 },
  optimiser: { name: 'adam', learningRate: 1e-7, batchSize: 100, epochs: 7 },
  seed: 123,
};
const uploaded: ExperimentConfig = {
  ...mnistDefault,
  data: { kind: 'images', fileName: 'pets.zip', width: 16, height: 16, channels: 1, testFraction: 0.2, seed: 1 },
  teacher: { kind: 'uploaded', fileName: 'teacher "v2".zip' },
  student: { kind: 'uploaded', fileName: 'student.zip' },
};

const CASES: [string, ExperimentConfig, Shape][] = [
  ['MNIST, shipped CNN teacher, mlp-64 student, defaults', mnistDefault, MNIST_SHAPE],
  ['Iris', iris, [4, 3]],
  ['toy moons', moons, [2, 2]],
  ['toy spiral (no scikit-learn needed)', spiral, [2, 4]],
  ['CSV with an odd file name', oddCsv, [4, 5]],
  ['hint + logit MSE + 3% labels + no 3s + jitter 2', allTerms, MNIST_SHAPE],
  ['images with uploaded teacher and student', uploaded, [256, 2, [16, 16, 1]]],
];

/** Parses an exported script and prints its facts as JSON (see its docstring). */
const READ_SCRIPT = fileURLToPath(new URL('./export-facts.py', import.meta.url));

const YAML_SCRIPT = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))))';

interface ScriptFacts {
  config: Record<string, unknown> & { resolved: Record<string, unknown> };
  imports: string[];
  missing: string[];
  functions: string[];
  docstring: string;
}

/** Printable ASCII, newlines and (where `tabs`) tabs only. */
function isPrintableAscii(text: string, tabs = true): boolean {
  return [...text].every((ch) => ch === '\n' || (tabs && ch === '\t') || (ch >= ' ' && ch <= '~'));
}

let dir = '';
let hasYaml = false;

const NO_PYTHON = 'python3 is needed to check the exported scripts: install Python 3 and put python3 on PATH';

/** Every test that needs Python fails with NO_PYTHON when it is missing (a beforeAll error would mark them skipped). */
function python(args: string[]): string {
  try {
    return execFileSync('python3', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(NO_PYTHON);
    throw e;
  }
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text, 'utf8');
  return file;
}

beforeAll(() => {
  try {
    python(['-c', 'import yaml']);
    hasYaml = true;
  } catch {
    hasYaml = false;
  }
  dir = mkdtempSync(join(tmpdir(), 'experiment-export-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('finds python3', () => {
  expect(python(['--version'])).toMatch(/^Python 3\./);
});

describe('toPyTorchScript', () => {
  it.each(CASES)('%s: parses, and CONFIG holds the experiment', (_name, c, shape) => {
    const facts = JSON.parse(python([READ_SCRIPT, write('experiment.py', toPyTorchScript(c, ...shape))])) as ScriptFacts;
    const { resolved, ...experiment } = facts.config;
    // The whole experiment, key for key (None/True/False come back as null/true/false).
    expect(experiment).toEqual(parseExperiment(c));
    // The hyper-parameters one by one, so that a failure names the one that differs.
    const cfg = experiment as unknown as ExperimentConfig;
    expect(cfg.loss.temperature).toBe(c.loss.temperature);
    expect(cfg.loss.alpha).toBe(c.loss.alpha);
    expect(cfg.loss.scaleByT2).toBe(c.loss.scaleByT2);
    expect(cfg.loss.logitMse).toBe(c.loss.logitMse);
    expect(cfg.loss.hint).toEqual(c.loss.hint);
    expect(cfg.transfer).toEqual(c.transfer);
    expect(cfg.optimiser.learningRate).toBe(c.optimiser.learningRate);
    expect(cfg.optimiser.batchSize).toBe(c.optimiser.batchSize);
    expect(cfg.optimiser.epochs).toBe(c.optimiser.epochs);
    expect(cfg.seed).toBe(c.seed);
    expect(resolved.numFeatures).toBe(shape[0]);
    expect(resolved.numClasses).toBe(shape[1]);
    expect(resolved.imageShape).toEqual(shape[2] ?? null);
    if (c.student.kind === 'preset') expect(resolved.studentSpec).toEqual(studentPreset(c.student.preset).spec);
    else expect(resolved.studentSpec).toBeNull();
    // Every CONFIG["a"]["b"] the code reads exists.
    expect(facts.missing).toEqual([]);
    expect(facts.functions).toEqual(
      expect.arrayContaining(['parse_args', 'load_data', 'build_model', 'get_teacher', 'build_student', 'student_loss', 'distill', 'main']),
    );
    expect(facts.docstring).toMatch(/^Knowledge distillation experiment exported from Distill Studio\./);
  });

  it('imports torchvision and scikit-learn only where the data needs them', () => {
    const importsOf = (c: ExperimentConfig, shape: Shape) =>
      (JSON.parse(python([READ_SCRIPT, write('imports.py', toPyTorchScript(c, ...shape))])) as ScriptFacts).imports;
    const mnist = importsOf(mnistDefault, MNIST_SHAPE);
    expect(mnist).toEqual(expect.arrayContaining(['torch', 'numpy', 'torchvision']));
    expect(mnist).not.toContain('sklearn');
    expect(importsOf(iris, [4, 3])).toContain('sklearn');
    expect(importsOf(iris, [4, 3])).not.toContain('torchvision');
    expect(importsOf(moons, [2, 2])).toContain('sklearn');
    expect(importsOf(spiral, [2, 4])).not.toContain('sklearn');
    const csv = importsOf(oddCsv, [4, 5]);
    expect(csv).not.toContain('sklearn');
    expect(csv).not.toContain('torchvision');
  });

  it('keeps the odd file name exact, escaped as ASCII, out of the docstring and comments', () => {
    const script = toPyTorchScript(oddCsv, 4, 5);
    expect(isPrintableAscii(script)).toBe(true);
    const facts = JSON.parse(python([READ_SCRIPT, write('odd.py', script)])) as ScriptFacts;
    expect((facts.config.data as { fileName: string }).fileName).toBe(ODD_NAME);
    // Once, in CONFIG: never in the docstring or a comment, where it could end them.
    expect(script.split('ird \\\\ name').length).toBe(2);
    expect(script).toContain('"fileName": "we\\"ird \\\\ name\\t \\u00e9 \\U0001f600 \\u2028 \'q\' \\"\\"\\".csv"');
  });

  it('says where the data came from: MNIST-10k in the studio', () => {
    const facts = JSON.parse(python([READ_SCRIPT, write('mnist.py', toPyTorchScript(mnistDefault, ...MNIST_SHAPE))])) as ScriptFacts;
    expect(facts.docstring).toContain('MNIST-10k');
    expect(facts.docstring).toContain('torchvision');
  });

  it('stops with a clear message where the studio had an uploaded model', () => {
    const script = toPyTorchScript(uploaded, 256, 2, [16, 16, 1]);
    expect(script).toContain('raise SystemExit(\n            "The teacher was uploaded to the studio, so this script cannot rebuild it: "');
    expect(script).toContain('raise SystemExit("The student was uploaded to the studio: define its architecture in build_student()');
    expect(script).toContain('--teacher-checkpoint');
  });
});

describe('toTorchdistillYaml', () => {
  // PyYAML was importable where these tests were written (6.0.3), so the safe_load comparison ran;
  // the structural check below runs everywhere and is all that runs where PyYAML is missing.
  it.each(CASES)('%s: loads, with the experiment and the loss terms in it', (_name, c, shape) => {
    const text = toTorchdistillYaml(c, ...shape);
    checkYamlStructure(text, c);
    if (!hasYaml) return;
    const doc = JSON.parse(python(['-c', YAML_SCRIPT, write('config.yaml', text)]));
    const { resolved, ...experiment } = doc.distill_studio;
    expect(experiment).toEqual(parseExperiment(c));
    expect(resolved.numFeatures).toBe(shape[0]);
    const { loss, optimiser } = c;
    const terms = doc.train.criterion.kwargs.sub_terms;
    expect(doc.train.criterion.key).toBe('WeightedSumLoss');
    expect(terms.soft.criterion.key).toBe('KDLoss');
    expect(terms.soft.criterion.kwargs.temperature).toBe(loss.temperature);
    expect(terms.soft.criterion.kwargs.alpha).toBe(0);
    expect(terms.soft.weight).toBeCloseTo(loss.alpha * (loss.scaleByT2 ? loss.temperature ** 2 : 1), 10);
    expect(terms.hard.weight).toBeCloseTo(1 - loss.alpha, 10);
    expect(terms.logit_mse?.weight).toBe(loss.logitMse > 0 ? loss.logitMse : undefined);
    expect(terms.hint?.weight).toBe(loss.hint && loss.hint.weight > 0 ? loss.hint.weight : undefined);
    expect(doc.train.num_epochs).toBe(optimiser.epochs);
    expect(doc.train.train_data_loader.batch_size).toBe(optimiser.batchSize);
    expect(doc.train.optimizer).toEqual({ key: 'Adam', kwargs: { lr: optimiser.learningRate, betas: [0.9, 0.999], eps: 1e-7 } });
    const student = c.student.kind === 'preset' ? studentPreset(c.student.preset).spec : null;
    if (student?.kind === 'mlp') expect(doc.models.student_model.kwargs.hidden).toEqual(student.hidden);
  });

  it('describes the hint: hooked layers and a regressor of the right widths', () => {
    const text = toTorchdistillYaml(allTerms, ...MNIST_SHAPE);
    if (!hasYaml) {
      expect(text).toContain('module_path: "layers.6"');
      return;
    }
    const doc = JSON.parse(python(['-c', YAML_SCRIPT, write('hint.yaml', text)]));
    expect(doc.train.teacher.forward_hook.output).toEqual(['layers.6']);
    expect(doc.train.student.forward_hook.output).toEqual(['layers.0']);
    // Teacher layer 6 of cnn-32-64 on MNIST is its dense 128; student layer 0 of mlp-32 is its dense 32.
    expect(doc.train.student.adaptations.regressor).toEqual({ key: 'Linear', kwargs: { in_features: 32, out_features: 128 } });
    expect(doc.models.teacher_model).toEqual({
      key: 'distill_studio_cnn',
      kwargs: { num_features: 784, num_classes: 10, image_shape: [28, 28, 1], filters: [32, 64], kernel_size: 3, dense: 128, dropout: 0.3 },
      src_ckpt: null,
    });
  });

  it('keeps the odd file name exact', () => {
    const text = toTorchdistillYaml(oddCsv, 4, 5);
    expect(isPrintableAscii(text, false)).toBe(true);
    if (!hasYaml) return;
    const doc = JSON.parse(python(['-c', YAML_SCRIPT, write('odd.yaml', text)]));
    expect(doc.distill_studio.data.fileName).toBe(ODD_NAME);
    expect(doc.datasets.csv.splits.train.kwargs.path).toBe(ODD_NAME);
  });
});

const PYTHON_DIR = fileURLToPath(new URL('../src/core/experiment-export/python/', import.meta.url));
const PYTHON_FILES = readdirSync(PYTHON_DIR).filter((f) => f.endsWith('.py'));

function hasPython3(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Compiles every file with py_compile in one python3 process (one start-up, not one per file). */
const COMPILE_ALL = `
import json, os, py_compile, sys
errors = {}
for path in sys.argv[1:]:
    try:
        py_compile.compile(path, doraise=True)
        errors[os.path.basename(path)] = ''
    except py_compile.PyCompileError as e:
        errors[os.path.basename(path)] = str(e)
print(json.dumps(errors))
`;

let compiled: Record<string, string> | null | undefined;
/** Each Python file's compile error ('' when it compiles); null without python3. */
function compileErrors(): Record<string, string> | null {
  if (compiled === undefined) {
    compiled = hasPython3()
      ? (JSON.parse(
          execFileSync('python3', ['-c', COMPILE_ALL, ...PYTHON_FILES.map((f) => join(PYTHON_DIR, f))], {
            // The bytecode goes to a temporary folder, not into the source tree.
            env: { ...process.env, PYTHONPYCACHEPREFIX: join(dir, 'pycache') },
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        ) as Record<string, string>)
      : null;
  }
  return compiled;
}

describe('the Python parts of the export (src/core/experiment-export/python)', () => {
  it('are all used by python-sources.ts', () => {
    const sources = readFileSync(fileURLToPath(new URL('../src/core/experiment-export/python-sources.ts', import.meta.url)), 'utf8');
    expect(PYTHON_FILES.length).toBeGreaterThanOrEqual(10);
    expect(PYTHON_FILES.filter((f) => !sources.includes(`./python/${f}?raw`))).toEqual([]);
  });

  it.each(PYTHON_FILES)('%s compiles (python3 -m py_compile)', (file) => {
    const errors = compileErrors();
    if (!errors) {
      console.warn(`python3 is not on PATH: ${file} was not compiled. Install Python 3 to check the export's Python.`);
      return;
    }
    expect(errors[file], `${file} compiles`).toBe('');
  });

  it.each(TOY_KINDS.map((toy) => [toy]))('the %s toy set: the script parses and reads only what CONFIG has', (toy) => {
    const c: ExperimentConfig = { ...moons, data: { kind: 'toy', toy, size: 300, noise: 0.1, classes: 3, seed: 1 } };
    const facts = JSON.parse(python([READ_SCRIPT, write(`${toy}.py`, toPyTorchScript(c, 2, 3))])) as ScriptFacts;
    expect(facts.missing).toEqual([]);
    expect(facts.functions).toEqual(expect.arrayContaining(['toy_points', 'class_sizes', 'add_data_arguments', 'load_data']));
  });
});

/** What can be checked without a YAML parser: consistent two-space nesting, no tabs, the key values present. */
function checkYamlStructure(text: string, c: ExperimentConfig): void {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  let previous = 0;
  let opened = true;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    expect(line).not.toContain('\t');
    expect(indent % 2).toBe(0);
    // Deeper only right after a line that opens a block ("key:" with nothing after it), and by two.
    if (indent > previous) expect(opened && indent === previous + 2).toBe(true);
    opened = /:$/.test(line) || /^\s*- [^:]+:$/.test(line);
    previous = indent + (/^\s*- /.test(line) ? 2 : 0);
  }
  expect(text).toContain(`    temperature: ${c.loss.temperature}\n`);
  expect(text).toContain(`    alpha: ${c.loss.alpha}\n`);
  expect(text).toContain(`  num_epochs: ${c.optimiser.epochs}\n`);
  expect(text).toContain(`    batch_size: ${c.optimiser.batchSize}\n`);
  expect(text).toContain(`    labelledFraction: ${c.transfer.labelledFraction}\n`);
}

describe('the exporters refuse what does not validate', () => {
  const bad = { ...mnistDefault, loss: { ...DEFAULT_LOSS, temperature: -1 } };
  it.each([
    ['toPyTorchScript', () => toPyTorchScript(bad, ...MNIST_SHAPE)],
    ['toTorchdistillYaml', () => toTorchdistillYaml(bad, ...MNIST_SHAPE)],
  ])('%s calls parseExperiment first', (_name, run) => {
    expect(run).toThrow('loss.temperature must be a positive number at most 1000, got -1');
  });

  it.each([
    [
      'jitter on rows without an image shape',
      { ...oddCsv, transfer: { ...DEFAULT_TRANSFER, jitter: 1 } },
      [4, 5] as Shape,
      'transfer.jitter shifts images: it needs image data',
    ],
    [
      'an omitted class beyond the data',
      { ...oddCsv, transfer: { ...DEFAULT_TRANSFER, omitClass: 5 } },
      [4, 5] as Shape,
      'transfer.omitClass must be one of the 5 classes (0 to 4), got 5',
    ],
    [
      'a student hint layer beyond its inner layers',
      { ...allTerms, loss: { ...allTerms.loss, hint: { weight: 1, teacherLayer: 0, studentLayer: 1 } } },
      MNIST_SHAPE,
      "loss.hint.studentLayer must be one of the student's inner layers, 0 to 0, got 1",
    ],
    [
      'a teacher hint layer beyond its inner layers',
      { ...allTerms, loss: { ...allTerms.loss, hint: { weight: 1, teacherLayer: 8, studentLayer: 0 } } },
      MNIST_SHAPE,
      "loss.hint.teacherLayer must be one of the teacher's inner layers, 0 to 7, got 8",
    ],
    [
      'an image shape that does not match the features',
      allTerms,
      [784, 10, [28, 27, 1]] as Shape,
      'imageShape [28,27,1] must be three whole numbers whose product is numFeatures (784)',
    ],
  ])('and shapes that do not fit: %s', (_name, c, shape, message) => {
    expect(() => toPyTorchScript(c, ...shape)).toThrow(message);
    expect(() => toTorchdistillYaml(c, ...shape)).toThrow(message);
  });
});

describe('SHIPPED_RECIPES', () => {
  it.each(SHIPPED_TEACHERS.map((t) => [t.id, t] as const))('%s has the layers of its public/models model.json', (id, shipped) => {
    const recipe = SHIPPED_RECIPES[id];
    expect(recipe).toBeDefined();
    const json = JSON.parse(readFileSync(fileURLToPath(new URL(`../public/${shipped.path}`, import.meta.url)), 'utf8'));
    const topology = json.modelTopology.model_config ?? json.modelTopology;
    const layers = topology.config.layers as { class_name: string; config: Record<string, unknown> }[];
    const numFeatures = (layers[0].config.batch_input_shape as number[])[1];
    const reshape = layers.find((l) => l.class_name === 'Reshape');
    const shape = {
      numFeatures,
      numClasses: shipped.numClasses,
      imageShape: reshape?.config.target_shape as [number, number, number] | undefined,
    };
    const spec = recipe.spec;
    expect(layers.length).toBe(specLayers(spec, shape).length + 1);
    const units = layers.filter((l) => l.class_name === 'Dense').map((l) => l.config.units);
    const rates = layers.filter((l) => l.class_name === 'Dropout').map((l) => l.config.rate);
    if (spec.kind === 'mlp') {
      expect(units).toEqual([...spec.hidden, shipped.numClasses]);
      expect(rates).toEqual(spec.dropout > 0 ? spec.hidden.map(() => spec.dropout) : []);
    } else {
      expect(units).toEqual([spec.dense, shipped.numClasses]);
      expect(layers.filter((l) => l.class_name === 'Conv2D').map((l) => l.config.filters)).toEqual(spec.filters);
      expect(rates).toEqual(spec.dropout > 0 ? [spec.dropout] : []);
    }
  });
});

// ---- Issue 13: ONNX, Teachable Machine and ensemble teachers ----

const SHA = 'c0'.repeat(32);
const onnxCsv: ExperimentConfig = {
  ...oddCsv,
  data: { kind: 'csv', fileName: 'rows.csv', labelColumn: 4, normalisation: 'standardise', testFraction: 0.2, seed: 1 },
  teacher: { kind: 'onnx', fileName: 'teacher.onnx', sha256: SHA, input: 'input', output: 'logits', layout: 'flat' },
};
const tmImages: ExperimentConfig = {
  ...uploaded,
  teacher: { kind: 'teachable-machine', fileName: 'model.json' },
  student: mnistDefault.student,
};
const ensembleImages: ExperimentConfig = {
  ...tmImages,
  teacher: {
    kind: 'ensemble',
    combine: 'mean-prob',
    members: [
      { kind: 'preset', preset: 'mlp-256', epochs: 2, batchSize: 16, learningRate: 0.01, seed: 1 },
      { kind: 'onnx', fileName: 'member.onnx', sha256: SHA, layout: 'nhwc' },
      { kind: 'uploaded', fileName: 'm.zip' },
      { kind: 'teachable-machine', fileName: 'model.json' },
    ],
  },
};
const ensembleMoons: ExperimentConfig = {
  ...moons,
  teacher: {
    kind: 'ensemble',
    combine: 'mean-log-prob',
    members: [
      { kind: 'shipped', id: 'moons-mlp' },
      { kind: 'preset', preset: 'mlp-256', epochs: 40, batchSize: 32, learningRate: 0.01, seed: 2 },
    ],
  },
};
const NEW_TEACHERS: [string, ExperimentConfig, Shape][] = [
  ['an ONNX teacher on CSV rows', onnxCsv, [4, 3]],
  ['a Teachable Machine teacher', tmImages, [256, 2, [16, 16, 1]]],
  ['an ensemble of a preset, an ONNX, an uploaded and a Teachable Machine teacher', ensembleImages, [256, 2, [16, 16, 1]]],
  ['an ensemble of a shipped and a preset teacher', ensembleMoons, [2, 2]],
];

describe('toPyTorchScript with the teachers of issue 13', () => {
  it.each(NEW_TEACHERS)('%s: parses, CONFIG holds the experiment, and the code reads only what CONFIG has', (_name, c, shape) => {
    const facts = JSON.parse(python([READ_SCRIPT, write('teacher.py', toPyTorchScript(c, ...shape))])) as ScriptFacts;
    const { resolved, ...experiment } = facts.config;
    expect(experiment).toEqual(parseExperiment(c));
    expect(facts.missing).toEqual([]);
    expect(facts.functions).toEqual(expect.arrayContaining(['parse_args', 'add_teacher_arguments', 'get_teacher', 'distill', 'main']));
    expect(resolved.teacherSpec).toBeNull();
    const onnx = c.teacher.kind === 'onnx' || (c.teacher.kind === 'ensemble' && c.teacher.members.some((m) => m.kind === 'onnx'));
    expect(facts.imports.includes('onnxruntime')).toBe(onnx);
    // hashlib: an ONNX file's hash, and the rows' keys of precomputed logits (any teacher that is not a PyTorch model).
    expect(facts.imports.includes('hashlib')).toBe(c.teacher.kind !== 'preset' && c.teacher.kind !== 'shipped');
    if (c.teacher.kind === 'ensemble') {
      expect(resolved.teacherMembers).toEqual(
        c.teacher.members.map((m) =>
          m.kind === 'preset'
            ? {
                spec: teacherPreset(m.preset).spec,
                training: { epochs: m.epochs, batchSize: m.batchSize, learningRate: m.learningRate, seed: m.seed },
              }
            : m.kind === 'shipped'
              ? SHIPPED_RECIPES[m.id]
              : null,
        ),
      );
    } else expect(resolved.teacherMembers).toBeUndefined();
  });

  it('says how to supply an ONNX teacher without onnxruntime, and a Teachable Machine teacher', () => {
    const onnx = toPyTorchScript(onnxCsv, 4, 3);
    expect(onnx).toContain('pip install onnxruntime');
    expect(onnx).toContain('--teacher-onnx');
    expect(onnx).toContain('--teacher-logits');
    const tm = toPyTorchScript(tmImages, 256, 2, [16, 16, 1]);
    expect(tm).toContain('is a Teachable Machine model (TensorFlow.js), which this script cannot run with PyTorch');
    expect(tm).not.toContain('import onnxruntime');
    const ensemble = toPyTorchScript(ensembleImages, 256, 2, [16, 16, 1]);
    expect(ensemble).toContain('--member-onnx');
    expect(ensemble).toContain('--member-logits');
    // The ensemble combines as src/core/ensemble.ts does: log-probabilities floored at LOG_PROB_FLOOR.
    expect(LOG_PROB_FLOOR).toBe(-1e4);
    expect(ensemble).toContain('LOG_PROB_FLOOR = -1e4');
    expect(ensemble).toContain('torch.logsumexp(log_probs, dim=0) - math.log(len(self.members))');
  });
});

describe('toTorchdistillYaml with the teachers of issue 13', () => {
  it('names an ONNX teacher as a distill_studio_onnx model with its file, hash and layout', () => {
    const text = toTorchdistillYaml(onnxCsv, 4, 3);
    checkYamlStructure(text, onnxCsv);
    expect(text).toContain('key: "distill_studio_onnx"');
    expect(text).toContain(`sha256: "${SHA}"`);
    expect(text).toContain('layout: "flat"');
  });

  it.each([
    ['an ensemble', ensembleImages, 'an ensemble has no torchdistill model entry'],
    ['a Teachable Machine teacher', tmImages, 'a Teachable Machine model has no torchdistill model entry'],
  ])('refuses %s, pointing to the PyTorch export', (_name, c, message) => {
    expect(() => toTorchdistillYaml(c, 256, 2, [16, 16, 1])).toThrow(message);
    expect(() => toTorchdistillYaml(c, 256, 2, [16, 16, 1])).toThrow('Use the PyTorch export');
  });
});

/** Runs the exported script's numpy-only teacher code (tests/export-teacher-logits.py) and returns its JSON answer. */
const RUN_LOGITS = fileURLToPath(new URL('./export-teacher-logits.py', import.meta.url));

interface LogitsAnswer {
  logits?: number[][];
  probabilities?: boolean | null;
  layout?: string | null;
  exit?: string;
  stdout: string;
}

function runTeacherLogits(
  folder: string,
  c: ExperimentConfig,
  shape: Shape,
  mode: 'onnx' | 'table' | 'ensemble',
  input: { x_train: number[][]; x_test: number[][]; ask: number[][]; table?: number[][]; members?: number[][][] },
  env: NodeJS.ProcessEnv = process.env,
): LogitsAnswer {
  const script = join(folder, 'experiment.py');
  writeFileSync(script, toPyTorchScript(c, ...shape), 'utf8');
  writeFileSync(join(folder, 'input.json'), JSON.stringify(input), 'utf8');
  const stdout = execFileSync('python3', [RUN_LOGITS, script, mode, join(folder, 'input.json')], {
    encoding: 'utf8',
    env: { ...env, PYTHONPYCACHEPREFIX: join(dir, 'pycache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = stdout.trim().split('\n');
  return { ...(JSON.parse(lines[lines.length - 1]) as Omit<LogitsAnswer, 'stdout'>), stdout };
}

/** Rows of seeded values in [-1, 1]. */
function rows(n: number, width: number, seed: number): number[][] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
  return Array.from({ length: n }, () => Array.from({ length: width }, next));
}

function folderWith(name: string, files: Record<string, Uint8Array>): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(folder, file), bytes);
  return folder;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function expectClose(actual: number[][] | undefined, expected: number[][], digits = 4): void {
  expect(actual?.length).toBe(expected.length);
  for (const [i, row] of expected.entries()) for (const [j, v] of row.entries()) expect(actual?.[i][j]).toBeCloseTo(v, digits);
}

function hasOnnxRuntime(): boolean {
  try {
    execFileSync('python3', ['-c', 'import onnxruntime'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe("the exported script's ONNX teacher (run without PyTorch)", () => {
  const weights = randomMlpWeights(4, 6, 3, 7);
  const mlp = mlpOnnx(weights);
  const x_train = rows(6, 4, 1);
  const x_test = rows(4, 4, 2);
  // The data set's own rows (answered from the logits computed once) mixed with others (run again, as jittered images are).
  const input = { x_train, x_test, ask: [x_train[1], ...rows(3, 4, 3), x_test[2], x_train[1]] };
  const expected = () => {
    const x = tf.tensor2d(input.ask);
    const logits = mlpLogitsTf(x, weights);
    const out = { logits: logits.arraySync() as number[][], logProbs: tf.logSoftmax(logits).arraySync() as number[][] };
    tf.dispose([x, logits]);
    return out;
  };

  it('without onnxruntime, exits saying how to install it or pass precomputed logits', () => {
    // A stand-in onnxruntime that fails to import, first on the path: the branch runs whether or not the real one is installed.
    const fake = folderWith('no-ort', { 'onnxruntime.py': new TextEncoder().encode('raise ImportError("hidden by the test")\n') });
    const folder = folderWith('onnx-missing', { 'teacher.onnx': mlp });
    const answer = runTeacherLogits(
      folder,
      { ...onnxCsv, teacher: { ...onnxCsv.teacher, sha256: sha256(mlp) } } as ExperimentConfig,
      [4, 3],
      'onnx',
      input,
      {
        ...process.env,
        PYTHONPATH: fake,
      },
    );
    expect(answer.exit).toContain('the Python package onnxruntime is not installed');
    expect(answer.exit).toContain('pip install onnxruntime');
    expect(answer.exit).toContain('--teacher-logits FILE.npy');
  });

  // Checked where python3 has onnxruntime (pip install onnxruntime); elsewhere these say so and check nothing more.
  const ort = hasOnnxRuntime();
  if (!ort) console.warn('onnxruntime is not importable by python3: the exported ONNX teacher was checked only without it.');

  it('with onnxruntime, gives the logits of the same .onnx (an MLP on flat rows)', () => {
    if (!ort) return;
    const folder = folderWith('onnx-mlp', { 'teacher.onnx': mlp });
    const c = { ...onnxCsv, teacher: { kind: 'onnx', fileName: 'teacher.onnx', sha256: sha256(mlp) } } as ExperimentConfig;
    const answer = runTeacherLogits(folder, c, [4, 3], 'onnx', input);
    expect(answer.exit).toBeUndefined();
    expect(answer.layout).toBe('flat');
    expect(answer.probabilities).toBe(false);
    expectClose(answer.logits, expected().logits);
    expect(answer.stdout).not.toContain('warning');
  });

  it('says where to put the .onnx when it is not beside the script', () => {
    if (!ort) return;
    const answer = runTeacherLogits(folderWith('onnx-absent', {}), onnxCsv, [4, 3], 'onnx', input);
    expect(answer.exit).toMatch(
      /The ONNX model '.*teacher\.onnx' is not there: put 'teacher\.onnx' beside this script, or pass its path with --teacher-onnx\./,
    );
  });

  it('shapes flat rows as the model declares its sample ([2, 2] before a Flatten)', () => {
    if (!ort) return;
    const bytes = mlpOnnx(weights, { sampleDims: [2, 2] });
    const folder = folderWith('onnx-sample-dims', { 'teacher.onnx': bytes });
    const c = {
      ...onnxCsv,
      teacher: { kind: 'onnx', fileName: 'teacher.onnx', sha256: sha256(bytes), layout: 'flat' },
    } as ExperimentConfig;
    const answer = runTeacherLogits(folder, c, [4, 3], 'onnx', input);
    expect(answer.exit).toBeUndefined();
    expectClose(answer.logits, expected().logits);
  });

  it('takes the logs of a softmax output, and warns when the file is not the one the studio hashed', () => {
    if (!ort) return;
    const probs = softmaxOnnx(weights);
    const folder = folderWith('onnx-softmax', { 'teacher.onnx': probs });
    const c = { ...onnxCsv, teacher: { kind: 'onnx', fileName: 'teacher.onnx', sha256: SHA, output: 'probs' } } as ExperimentConfig;
    const answer = runTeacherLogits(folder, c, [4, 3], 'onnx', input);
    expect(answer.exit).toBeUndefined();
    expect(answer.probabilities).toBe(true);
    expectClose(answer.logits, expected().logProbs);
    expect(answer.stdout).toContain(`is not the model the studio used (SHA-256 ${sha256(probs)}, the studio's ${SHA})`);
  });

  it('feeds images channels-first to an NCHW model, with the layout given or worked out from its input', () => {
    if (!ort) return;
    const cnn = randomCnnWeights({ height: 4, width: 4, channels: 2, filters: 3, classes: 2 }, 5);
    const bytes = cnnNchwOnnx(cnn);
    const images = { x_train: rows(3, 32, 4), x_test: rows(2, 32, 5), ask: rows(4, 32, 6) };
    const x = tf.tensor2d(images.ask);
    const logits = cnnLogitsTf(x, cnn);
    const want = logits.arraySync() as number[][];
    tf.dispose([x, logits]);
    for (const layout of ['nchw', undefined] as const) {
      const folder = folderWith(`onnx-cnn-${layout ?? 'guessed'}`, { 'cnn.onnx': bytes });
      const c = {
        ...onnxCsv,
        data: { ...onnxCsv.data, imageShape: [4, 4, 2] },
        teacher: { kind: 'onnx', fileName: 'cnn.onnx', sha256: sha256(bytes), ...(layout ? { layout } : {}) },
      } as ExperimentConfig;
      const answer = runTeacherLogits(folder, c, [32, 2, [4, 4, 2]], 'onnx', images);
      expect(answer.layout).toBe('nchw');
      expectClose(answer.logits, want);
    }
  });

  it('answers precomputed logits for its own rows in any order, and refuses rows it has not seen (jitter)', () => {
    const table = rows(10, 3, 9);
    const all = [...input.x_train, ...input.x_test];
    const order = [7, 0, 9, 3];
    const folder = folderWith('table', {});
    const answer = runTeacherLogits(folder, onnxCsv, [4, 3], 'table', { ...input, ask: order.map((i) => all[i]), table });
    expectClose(
      answer.logits,
      order.map((i) => table[i]),
      5,
    );
    const shifted = runTeacherLogits(folder, onnxCsv, [4, 3], 'table', { ...input, ask: [all[0].map((v) => v + 0.5)], table });
    expect(shifted.exit).toContain('the teacher was asked about other rows (jitter shifts images), which precomputed logits cannot answer');
    const short = runTeacherLogits(folder, onnxCsv, [4, 3], 'table', { ...input, table: table.slice(1) });
    expect(short.exit).toContain('holds an array of shape (9, 3); expected (10, classes): training rows, then test rows');
    const narrow = runTeacherLogits(folder, onnxCsv, [4, 3], 'table', { ...input, table: rows(10, 2, 9) });
    expect(narrow.exit).toContain('holds an array of shape (10, 2); expected (10, 3): training rows, then test rows');
  });
});

function pythonHas(module: string): boolean {
  try {
    execFileSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe("the exported script's ensemble (run where python3 has PyTorch)", () => {
  const torch = pythonHas('torch');
  if (!torch) console.warn('PyTorch is not importable by python3: the exported ensemble was not run.');

  it.each(['mean-log-prob', 'mean-prob'] as const)('combines its members by %s exactly as core/ensemble.ts does', async (combine) => {
    if (!torch) return;
    // Logits of three members for four rows, one with a probability that underflows to 0 (floored at LOG_PROB_FLOOR).
    const members = [rows(4, 3, 21).map((r) => r.map((v) => v * 5)), rows(4, 3, 22), [[0, 20000, -20000], ...rows(3, 3, 23)]];
    const c = {
      ...ensembleMoons,
      data: { ...onnxCsv.data },
      teacher: {
        kind: 'ensemble',
        combine,
        members: ensembleImages.teacher.kind === 'ensemble' ? ensembleImages.teacher.members.slice(0, 3) : [],
      },
    } as ExperimentConfig;
    const folder = folderWith(`ensemble-${combine}`, {});
    const ask = rows(4, 4, 24);
    const answer = runTeacherLogits(folder, c, [4, 3], 'ensemble', { x_train: [], x_test: [], ask, members });
    const fixed = members.map((m) => ({ logits: async () => tf.tensor2d(m) }));
    const x = tf.tensor2d(ask);
    const want = await ensembleTeacher(fixed, combine).logits(x);
    expectClose(answer.logits, want.arraySync() as number[][], 4);
    tf.dispose([x, want]);
  });
});

/** A python3 that imports torch: python3 itself, else the system's (where PyTorch may be installed apart from pyenv's). */
function torchPython(): string | null {
  for (const exe of [process.env.PYTORCH_PYTHON, 'python3', '/usr/bin/python3'].filter((e): e is string => !!e)) {
    try {
      execFileSync(exe, ['-c', 'import torch'], { stdio: 'ignore' });
      return exe;
    } catch {
      // the next one
    }
  }
  return null;
}

describe("the exported script's born-again and mutual learning (run where a python3 has PyTorch)", () => {
  const exe = torchPython();
  if (!exe) console.warn('No python3 imports PyTorch: the exported born-again and mutual learning were not run.');
  // Spiral needs no scikit-learn; short runs: these check the method's flow, not its accuracy.
  const small: ExperimentConfig = {
    ...spiral,
    data: { kind: 'toy', toy: 'spiral', size: 600, noise: 0.2, classes: 3, seed: 2 },
    teacher: { kind: 'preset', preset: 'mlp-256', epochs: 2, batchSize: 64, learningRate: 0.01, seed: 1 },
    student: { kind: 'preset', preset: 'mlp-64' },
    optimiser: { name: 'adam', learningRate: 0.01, batchSize: 64, epochs: 2 },
  };
  const method = (m: 'born-again' | 'mutual', generations = 3) => ({ method: m, dkdAlpha: 1, dkdBeta: 8, generations });
  // Both scripts run at once (most of each run is PyTorch starting up).
  const run = (name: string, c: ExperimentConfig) =>
    new Promise<string>((done, fail) => {
      const script = write(name, toPyTorchScript(c, 2, 3));
      execFile(exe as string, [script], { encoding: 'utf8', timeout: 120_000 }, (e, out) => (e ? fail(e) : done(out)));
    });
  const percent = (text: string, re: RegExp) => Number(re.exec(text)?.[1]);
  let outputs: Promise<[string, string]> | null = null;
  beforeAll(() => {
    if (!exe) return;
    outputs = Promise.all([
      run('born_again.py', { ...small, loss: { ...DEFAULT_LOSS, method: method('born-again', 2) } }),
      run('mutual.py', { ...small, loss: { ...DEFAULT_LOSS, method: method('mutual') } }),
    ]);
    outputs.catch(() => undefined); // reported by the tests that await it
  });

  it('born-again distils generation 1 from the teacher and generation 2 from generation 1, and reports each', async () => {
    if (!outputs) return;
    const [out] = await outputs;
    expect(out).toContain('born-again generation 2 of 2, distilled from generation 1');
    const [, first, second] = out.split(/\nborn-again generation \d of 2/);
    // Each generation's teacher is the one before: generation 2's teacher scores what generation 1 scored.
    expect(percent(second, /teacher test accuracy (\d+\.\d+)%/)).toBe(percent(out, /\ngeneration 1: test accuracy (\d+\.\d+)%/));
    expect(percent(first, /teacher test accuracy (\d+\.\d+)%/)).toBe(percent(out, /points from the teacher's (\d+\.\d+)%/));
    expect(out).toMatch(/\ngeneration 2: test accuracy \d+\.\d+% \([+-]\d+\.\d+ points from the teacher's/);
    expect(out).toMatch(/scratch control \(the teacher's architecture, labels only\): \d+\.\d+%/);
  });

  it('mutual learning trains two students and the control, and no teacher', async () => {
    if (!outputs) return;
    const [, out] = await outputs;
    expect(out).not.toContain('teacher');
    expect(out).toMatch(/epoch 2\/2: student 1 \d+\.\d+% {2}peer \d+\.\d+% {2}scratch \d+\.\d+%/);
    expect(out).toMatch(/final test accuracy: student 1 \d+\.\d+%, peer student \d+\.\d+%, scratch control \d+\.\d+%/);
    expect(toPyTorchScript({ ...small, loss: { ...DEFAULT_LOSS, method: method('mutual') } }, 2, 3)).toContain('Method: mutual learning');
  });
});
