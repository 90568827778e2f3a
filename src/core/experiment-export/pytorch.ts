import type { ExperimentConfig } from '../experiment';
import { parseExperiment } from '../experiment-validate';
import { describeSpec } from '../model-spec';
import { checkExportShape, studentSpecOf, teacherMembersOf, teacherSpecOf, teacherTrainingOf } from './architectures';
import { dataCode, DEFAULT_TEST_FRACTION } from './pytorch-data';
import { PYTHON } from './python-sources';
import { pythonLiteral, type Plain } from './quote';

/**
 * The experiment as one runnable Python 3 file for PyTorch: same data rules, same architectures layer
 * for layer, same loss terms, transfer set and optimiser, with the scratch control.
 *
 * The config goes through parseExperiment first, so a hand-edited or hand-built config is refused
 * here with the validator's message rather than written into a script that fails (or, worse, runs
 * something else) later. numFeatures, numClasses and imageShape are the loaded data's: the experiment
 * alone cannot say them for uploaded files.
 */
export function toPyTorchScript(
  c: ExperimentConfig,
  numFeatures: number,
  numClasses: number,
  imageShape?: [number, number, number],
): string {
  const config = parseExperiment(c);
  checkExportShape(config, { numFeatures, numClasses, imageShape });
  const data = dataCode(config.data);
  const needsSklearn = data.imports.some((i) => i.includes('sklearn'));
  const teacher = teacherParts(config);
  const needs = [
    'numpy',
    'torch',
    ...(data.imports.some((i) => i.includes('torchvision')) ? ['torchvision'] : []),
    ...(needsSklearn ? ['scikit-learn'] : []),
    ...(teacher.onnx ? ['onnxruntime for the ONNX teacher (or its logits precomputed, see get_teacher)'] : []),
  ];
  const imports = [
    ...new Set([
      'import argparse',
      'import copy',
      'import math',
      'import random',
      ...teacher.imports,
      ...data.imports.filter((i) => i.startsWith('import ') && !i.includes('torchvision')),
    ]),
  ].sort();
  const thirdParty = [
    'import numpy as np',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    ...data.imports.filter((i) => !imports.includes(i)),
  ];
  const parts = [
    docstring(config, data.about, needs),
    `${imports.join('\n')}\n\n${thirdParty.join('\n')}`,
    `# Every hyper-parameter of the experiment; the code below only reads it. The keys are the studio's\n# experiment JSON, plus "resolved": the data's shape and the architectures the presets stand for.\nCONFIG = ${pythonLiteral(configLiteral(config, numFeatures, numClasses, imageShape))}`,
    PYTHON.parseArgs,
    PYTHON.dataHelpers,
    data.code,
    PYTHON.models,
    ...teacher.parts,
    config.student.kind === 'uploaded' ? PYTHON.student.uploaded : PYTHON.student.built,
    PYTHON.distilMethods,
    PYTHON.quantAware,
    PYTHON.repeats,
    PYTHON.transferData,
    PYTHON.training,
    PYTHON.bornAgainMutual,
    PYTHON.main,
  ];
  return `${parts.join('\n\n\n')}\n`;
}

function configLiteral(c: ExperimentConfig, numFeatures: number, numClasses: number, imageShape?: [number, number, number]): Plain {
  const testFraction =
    c.data.kind === 'iris' || c.data.kind === 'toy' ? DEFAULT_TEST_FRACTION : c.data.kind === 'mnist' ? null : c.data.testFraction;
  return {
    ...(c as unknown as Record<string, Plain>),
    resolved: {
      numFeatures,
      numClasses,
      imageShape: imageShape ?? null,
      testFraction,
      teacherSpec: teacherSpecOf(c.teacher) as Plain,
      teacherTraining: teacherTrainingOf(c.teacher) as Plain,
      ...(c.teacher.kind === 'ensemble' ? { teacherMembers: teacherMembersOf(c.teacher) as Plain } : {}),
      studentSpec: studentSpecOf(c.student) as Plain,
    },
  };
}

/** Only fixed text and validated ids here: file names from the user go into CONFIG, escaped, never raw into the docstring. */
function docstring(c: ExperimentConfig, about: string[], needs: string[]): string {
  const teacher = teacherSpecOf(c.teacher);
  const student = studentSpecOf(c.student);
  const teacherLine =
    c.teacher.kind === 'onnx' || c.teacher.kind === 'teachable-machine' || c.teacher.kind === 'ensemble'
      ? TEACHER_LINES[c.teacher.kind]
      : c.teacher.kind === 'uploaded' || !teacher
        ? 'Teacher: uploaded to the studio; pass your own checkpoint with --teacher-checkpoint (see get_teacher).'
        : c.teacher.kind === 'shipped'
          ? `Teacher: the studio's shipped "${c.teacher.id}", ${describeSpec(teacher)}. Its TensorFlow.js weights do not load here, so this script trains the same architecture with the same recipe (or loads --teacher-checkpoint).`
          : `Teacher: preset "${c.teacher.preset}", ${describeSpec(teacher)}, trained here (or loaded with --teacher-checkpoint).`;
  const studentLine = student
    ? `Student: ${describeSpec(student)}. The scratch control is the same student from the same initial weights, trained on hard labels alone.`
    : 'Student: uploaded to the studio; define it in build_student().';
  return [
    '"""Knowledge distillation experiment exported from Distill Studio.',
    '',
    'Distill Studio ran this experiment in the browser with TensorFlow.js; this script runs it again with',
    'PyTorch. Weights start Glorot-uniform as in the studio but from other random numbers, so expect',
    "accuracies close to the studio's, not equal to them.",
    '',
    ...about,
    ...wrap(teacherLine),
    ...wrap(studentLine),
    ...methodLines(c),
    ...transferDataLines(c),
    ...(c.quantAware ? wrap(quantLine(c.quantAware)) : []),
    ...(c.repeats && c.repeats > 1
      ? wrap(
          `Repeats: seeds ${c.seed} to ${c.seed + c.repeats - 1}, each seed's result, mean +/- sd and the paired distilled - scratch difference with its 95% Student-t interval, as the studio reports them.`,
        )
      : []),
    '',
    `Needs: Python 3, ${needs.join(', ')}.`,
    'Run:   python3 this_file.py --help',
    '"""',
  ].join('\n');
}

/** Fixed text from validated fields. */
function quantLine(q: NonNullable<ExperimentConfig['quantAware']>): string {
  const scheme = q.perChannel ? 'per output channel' : 'per tensor';
  const base = `Train for uint8: the distilled student's weights and biases fake-quantised (affine uint8, ${scheme}, straight-through gradient) in its last ${q.lastEpochs} epoch${q.lastEpochs === 1 ? '' : 's'}, as the studio trains them.`;
  return q.activations
    ? `${base} Quantised activations are not implemented here: the script stops and says so (set quantAware.activations to false).`
    : base;
}

/** Transfer data other than the training set (fixed text from validated fields). */
function transferDataLines(c: ExperimentConfig): string[] {
  const d = c.transfer.data;
  switch (d?.kind) {
    case undefined:
    case 'training':
      return [];
    case 'gaussian':
      return wrap(
        'Transfer data: Gaussian noise. Each batch is drawn from N(mean, std) of the training set, feature by feature; the teacher labels it and its arg-max is the hard label. The scratch control keeps the real rows.',
      );
    case 'mixup':
      return wrap(
        `Transfer data: mixup of the training set, lambda ~ Beta(${d.alpha}, ${d.alpha}) per batch; teacher and student see the same mixture, and the hard term is lambda * CE(y) + (1 - lambda) * CE(y[perm]).`,
      );
    case 'synthesised':
      return wrap(
        `Transfer data: synthesised from the teacher, ${d.perClass} inputs per class, ${d.steps} Adam steps per batch of 64 (a short DeepInversion loop: confidence, same-class diversity, total variation for images, BatchNorm statistics when the teacher has BatchNorm layers). The studio shows the images forming in a grid; this script prints the terms instead. It needs a teacher with gradients (trained here or loaded from a checkpoint).`,
      );
  }
}

/** Born-again and mutual learning say what the script trains instead of one student (fixed text from validated fields). */
function methodLines(c: ExperimentConfig): string[] {
  const m = c.loss.method;
  if (m?.method === 'born-again')
    return wrap(
      `Method: born-again (Furlanello et al. 2018), ${m.generations} generation${m.generations === 1 ? '' : 's'} of students with the teacher's architecture, each distilled from the one before; the student above is not used. Needs a preset or shipped teacher, whose architecture this script builds.`,
    );
  if (m?.method === 'mutual')
    return wrap(
      "Method: mutual learning (Zhang et al. 2018), two students of the architecture above from different seeds, each learning from the labels and the other's soft targets; no teacher is trained or used.",
    );
  return [];
}

function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

const SHIPPED_ORIGIN = `    # The studio's shipped teacher is a TensorFlow.js model; this trains the same architecture by the
    # recipe that trained it (scripts/train-teachers.ts), on this script's training split.
`;

/** Fixed text (file names stay in CONFIG, escaped). */
const TEACHER_LINES = {
  onnx: 'Teacher: the ONNX model named in CONFIG["teacher"], run with onnxruntime (pip install onnxruntime) from the same .onnx file, beside this script or given with --teacher-onnx; without onnxruntime, pass its logits precomputed with --teacher-logits.',
  'teachable-machine':
    'Teacher: a Teachable Machine model (TensorFlow.js), which does not run here: pass its logits precomputed with --teacher-logits (see get_teacher).',
  ensemble:
    'Teacher: an ensemble, its members in CONFIG["teacher"]["members"], each trained, loaded or run as its kind says, combined as the studio combines them (see Ensemble).',
} as const;

interface TeacherParts {
  parts: string[];
  imports: string[];
  onnx: boolean;
}

/** add_teacher_arguments() and get_teacher() for the teacher's kind, with the helpers and imports they use. */
function teacherParts(c: ExperimentConfig): TeacherParts {
  const t = c.teacher;
  const onnxParts = [PYTHON.onnxRunner];
  const onnxImports = ['import hashlib', 'import os'];
  switch (t.kind) {
    case 'shipped':
    case 'preset':
      return { parts: [PYTHON.teacher.args, trainedTeacher(t.kind === 'shipped')], imports: [], onnx: false };
    case 'uploaded':
      return { parts: [PYTHON.teacher.args, PYTHON.teacher.uploaded], imports: [], onnx: false };
    case 'onnx':
      return {
        parts: [PYTHON.teacherLogits, ...onnxParts, PYTHON.teacherNumpy, PYTHON.teacher.onnx],
        imports: onnxImports,
        onnx: true,
      };
    case 'teachable-machine':
      return { parts: [PYTHON.teacherLogits, PYTHON.teacherNumpy, PYTHON.teacher.teachable], imports: ['import hashlib'], onnx: false };
    case 'ensemble': {
      const onnx = t.members.some((m) => m.kind === 'onnx');
      return {
        parts: [PYTHON.teacherLogits, ...(onnx ? onnxParts : []), PYTHON.teacherNumpy, PYTHON.teacher.ensemble],
        imports: onnxImports,
        onnx,
      };
    }
  }
}

function trainedTeacher(shipped: boolean): string {
  if (!shipped) return PYTHON.teacher.trained;
  // A shipped teacher's script says where its recipe comes from, first thing in get_teacher().
  const def = 'def get_teacher(data, args):\n';
  if (!PYTHON.teacher.trained.startsWith(def)) throw new Error(`python/teacher_trained.py must start with "${def.trim()}"`);
  return def + SHIPPED_ORIGIN + PYTHON.teacher.trained.slice(def.length);
}
