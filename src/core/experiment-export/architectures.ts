import type { ExperimentConfig, StudentDescriptor, TeacherDescriptor } from '../experiment';
import { specLayers, validateSpec, type ModelShape, type ModelSpec } from '../model-spec';
import { studentPreset, teacherPreset } from '../presets';

/** How a teacher is trained when an exported script has to train it itself. */
export interface TeacherTraining {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

const mlp = (hidden: number[], dropout = 0): ModelSpec => ({ kind: 'mlp', hidden, activation: 'relu', dropout });

/**
 * The shipped teachers' architectures and recipes, as scripts/train-teachers.ts trains them (its
 * RECIPES; core cannot import scripts). tests/experiment-export.test.ts checks the layers against
 * public/models/<id>/model.json, so a retrained teacher with another shape fails there, not silently here.
 */
export const SHIPPED_RECIPES: Readonly<Record<string, { spec: ModelSpec; training: TeacherTraining }>> = {
  'mnist-cnn': { spec: teacherPreset('cnn-32-64').spec, training: { epochs: 11, batchSize: 64, learningRate: 0.001, seed: 1 } },
  'mnist-mlp-1200': { spec: mlp([1200, 1200], 0.3), training: { epochs: 15, batchSize: 128, learningRate: 0.001, seed: 1 } },
  'iris-mlp': { spec: mlp([32]), training: { epochs: 150, batchSize: 16, learningRate: 0.01, seed: 1 } },
  'spiral-mlp': { spec: mlp([64, 64]), training: { epochs: 300, batchSize: 32, learningRate: 0.01, seed: 1 } },
  'moons-mlp': { spec: mlp([32, 32]), training: { epochs: 100, batchSize: 32, learningRate: 0.01, seed: 1 } },
  'circles-mlp': { spec: mlp([32, 32]), training: { epochs: 100, batchSize: 32, learningRate: 0.01, seed: 1 } },
  'xor-mlp': { spec: mlp([32, 32]), training: { epochs: 100, batchSize: 32, learningRate: 0.01, seed: 1 } },
  'blobs-mlp': { spec: mlp([32]), training: { epochs: 50, batchSize: 32, learningRate: 0.01, seed: 1 } },
};

/** The teacher's spec, or null for an uploaded model (its architecture is in the user's file, not the experiment). */
export function teacherSpecOf(t: TeacherDescriptor): ModelSpec | null {
  if (t.kind === 'preset') return teacherPreset(t.preset).spec;
  if (t.kind === 'shipped') return shippedRecipe(t.id).spec;
  return null;
}

export function teacherTrainingOf(t: TeacherDescriptor): TeacherTraining | null {
  if (t.kind === 'preset') return { epochs: t.epochs, batchSize: t.batchSize, learningRate: t.learningRate, seed: t.seed };
  if (t.kind === 'shipped') return shippedRecipe(t.id).training;
  return null;
}

/** Each ensemble member's architecture and recipe where the script builds it; null for a file (uploaded, ONNX, Teachable Machine). */
export function teacherMembersOf(t: TeacherDescriptor): ({ spec: ModelSpec; training: TeacherTraining } | null)[] | null {
  if (t.kind !== 'ensemble') return null;
  return t.members.map((m) => {
    const spec = teacherSpecOf(m);
    const training = teacherTrainingOf(m);
    return spec && training ? { spec, training } : null;
  });
}

export function studentSpecOf(s: StudentDescriptor): ModelSpec | null {
  return s.kind === 'preset' ? studentPreset(s.preset).spec : null;
}

function shippedRecipe(id: string): { spec: ModelSpec; training: TeacherTraining } {
  const r = SHIPPED_RECIPES[id];
  if (!r) throw new Error(`No architecture known for the shipped teacher "${id}".`);
  return r;
}

/**
 * Checks what the exporters are told about the data (which the experiment alone cannot say for
 * uploaded files) against the experiment, so that a script is never written for a shape its models
 * or transfer set cannot take.
 */
export function checkExportShape(c: ExperimentConfig, shape: ModelShape): void {
  const { numFeatures, numClasses, imageShape } = shape;
  if (!Number.isInteger(numFeatures) || numFeatures < 1)
    throw new Error(`numFeatures must be a whole number at least 1, got ${numFeatures}`);
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error(`numClasses must be a whole number at least 2, got ${numClasses}`);
  if (imageShape) {
    const [h, w, ch] = imageShape;
    if (![h, w, ch].every((v) => Number.isInteger(v) && v >= 1) || h * w * ch !== numFeatures) {
      throw new Error(`imageShape ${JSON.stringify(imageShape)} must be three whole numbers whose product is numFeatures (${numFeatures})`);
    }
  }
  if (c.transfer.omitClass !== null && c.transfer.omitClass >= numClasses) {
    throw new Error(`transfer.omitClass must be one of the ${numClasses} classes (0 to ${numClasses - 1}), got ${c.transfer.omitClass}`);
  }
  if (c.transfer.jitter > 0 && !imageShape) throw new Error('transfer.jitter shifts images: the data has no imageShape');
  const teacher = teacherSpecOf(c.teacher);
  const student = studentSpecOf(c.student);
  if (teacher) validateSpec(teacher, shape);
  if (c.teacher.kind === 'ensemble') {
    for (const m of c.teacher.members) {
      const spec = teacherSpecOf(m);
      if (spec) validateSpec(spec, shape);
    }
  }
  if (student) validateSpec(student, shape);
  const hint = c.loss.hint;
  if (hint && hint.weight > 0) {
    checkHintLayer(teacher, shape, hint.teacherLayer, 'loss.hint.teacherLayer', 'teacher');
    checkHintLayer(student, shape, hint.studentLayer, 'loss.hint.studentLayer', 'student');
  }
}

/** A hint reads an inner layer (any but the logits), as src/core/hint.ts does. */
function checkHintLayer(spec: ModelSpec | null, shape: ModelShape, index: number, path: string, who: string): void {
  if (!spec) return;
  const inner = specLayers(spec, shape).length;
  if (inner === 0) throw new Error(`${path}: the ${who} has no inner layer to hint (a linear model)`);
  if (index >= inner) throw new Error(`${path} must be one of the ${who}'s inner layers, 0 to ${inner - 1}, got ${index}`);
}
