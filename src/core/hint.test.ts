import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hintableLayers, hintModels } from './hint';
import { specLayers, type ModelShape, type ModelSpec } from './model-spec';
import { buildModel } from './models';
import { STUDENT_PRESETS, TEACHER_PRESETS } from './presets';
import { useCpuBackend } from './test-setup';
import { present } from './present';

beforeAll(useCpuBackend);

const mnist: ModelShape = { numFeatures: 784, numClasses: 10, imageShape: [28, 28, 1] };
const small: ModelShape = { numFeatures: 6, numClasses: 3 };
const flatValues = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('specLayers', () => {
  const specs: [string, ModelSpec][] = [
    ...[...TEACHER_PRESETS, ...STUDENT_PRESETS].map((p): [string, ModelSpec] => [p.id, p.spec]),
    ['mlp with dropout', { kind: 'mlp', hidden: [20, 10], activation: 'tanh', dropout: 0.5 }],
    ['cnn without dropout', { kind: 'cnn', filters: [4], kernelSize: 3, dense: 12, dropout: 0 }],
    ['cnn with dropout, odd sizes', { kind: 'cnn', filters: [3, 5], kernelSize: 5, dense: 7, dropout: 0.25 }],
  ];

  it.each(specs)('lists the same inner layers, in order and width, as the built model: %s', (_id, spec) => {
    const model = buildModel(spec, mnist, 1);
    const built = hintableLayers(model);
    const fromSpec = specLayers(spec, mnist);
    expect(fromSpec.map((l) => l.index)).toEqual(built.map((l) => l.index));
    expect(fromSpec.map((l) => l.width)).toEqual(built.map((l) => l.width));
    expect(fromSpec.map((l) => l.index)).toEqual([...fromSpec.keys()]);
    // The kinds match too: a dropout entry sits where tfjs has a Dropout layer, and so on.
    const kindOf = (name: string) =>
      /dropout/i.test(name)
        ? 'Dropout'
        : /max ?pool/i.test(name)
          ? 'MaxPooling2D'
          : /conv/i.test(name)
            ? 'Conv2D'
            : /flatten/i.test(name)
              ? 'Flatten'
              : /reshape/i.test(name)
                ? 'Reshape'
                : 'Dense';
    expect(fromSpec.map((l) => kindOf(l.name))).toEqual(built.map((l) => l.name.match(/\((\w+)\)$/)?.[1]));
    model.dispose();
  });

  it('has no inner layer for a linear model, and counts dropout layers', () => {
    expect(specLayers({ kind: 'mlp', hidden: [], activation: 'relu', dropout: 0 }, mnist)).toEqual([]);
    const linear = buildModel({ kind: 'mlp', hidden: [], activation: 'relu', dropout: 0 }, mnist, 1);
    expect(hintableLayers(linear)).toEqual([]);
    linear.dispose();
    expect(specLayers({ kind: 'mlp', hidden: [8, 4], activation: 'relu', dropout: 0.1 }, mnist).map((l) => l.width)).toEqual([8, 8, 4, 4]);
  });
});

describe('hintModels', () => {
  const teacherSpec: ModelSpec = { kind: 'mlp', hidden: [10, 8], activation: 'relu', dropout: 0.2 };
  const studentSpec: ModelSpec = { kind: 'mlp', hidden: [5], activation: 'relu', dropout: 0 };

  it('refuses a graph-model teacher and layers out of range, naming the range', () => {
    const teacher = buildModel(teacherSpec, small, 1); // layers: dense, dropout, dense, dropout, dense -> inner 0..3
    const student = buildModel(studentSpec, small, 2); // layers: dense, dense -> inner 0..0
    const before = tf.memory().numTensors;
    expect(() => hintModels({ weight: 1, teacherLayer: 0, studentLayer: 0 }, null, student, 1)).toThrow(
      /Hints need a teacher whose layers can be read \(a layers model\)/,
    );
    expect(() => hintModels({ weight: 1, teacherLayer: 4, studentLayer: 0 }, teacher, student, 1)).toThrow(
      'The teacher hint layer must be one of its inner layers, 0 to 3, got 4.',
    );
    expect(() => hintModels({ weight: 1, teacherLayer: -1, studentLayer: 0 }, teacher, student, 1)).toThrow(
      /teacher hint layer .* 0 to 3, got -1/,
    );
    expect(() => hintModels({ weight: 1, teacherLayer: 1.5, studentLayer: 0 }, teacher, student, 1)).toThrow(
      /teacher hint layer .* 0 to 3, got 1.5/,
    );
    expect(() => hintModels({ weight: 1, teacherLayer: 0, studentLayer: 1 }, teacher, student, 1)).toThrow(
      'The student hint layer must be one of its inner layers, 0 to 0, got 1.',
    );
    // Refusals allocate nothing.
    expect(tf.memory().numTensors).toBe(before);
    teacher.dispose();
    student.dispose();
  });

  it("builds a two-headed student whose logits are the student's own, and maps features to the teacher width", () => {
    const teacher = buildModel(teacherSpec, small, 1);
    const student = buildModel(studentSpec, small, 2);
    const h = hintModels({ weight: 1, teacherLayer: 2, studentLayer: 0 }, teacher, student, 7);
    expect(h.kernel.shape).toEqual([5, 8]);
    expect(h.bias.shape).toEqual([8]);
    const x = tf.randomNormal([9, 6], 0, 1, 'float32', 3) as tf.Tensor2D;
    const [features, logits] = h.student.predict(x) as tf.Tensor[];
    expect(features.shape).toEqual([9, 5]);
    expect(Array.from(logits.dataSync())).toEqual(Array.from((student.predict(x) as tf.Tensor).dataSync()));
    // The features are the student's first layer: relu(x W + b).
    const [w, b] = student.layers[0].getWeights();
    const direct = tf.relu(tf.add(tf.matMul(x, w), b));
    expect(Array.from(features.dataSync())).toEqual(Array.from(direct.dataSync()));
    // The teacher's features: the second dense layer's output (inference: dropout is the identity).
    const tf2 = h.teacherFeatures(x);
    expect(tf2.shape).toEqual([9, 8]);
    const t1 = tf.relu(tf.add(tf.matMul(x, teacher.layers[0].getWeights()[0]), teacher.layers[0].getWeights()[1]));
    const t2 = tf.relu(tf.add(tf.matMul(t1, teacher.layers[2].getWeights()[0]), teacher.layers[2].getWeights()[1]));
    const diff = tf.max(tf.abs(tf.sub(tf2, t2))).dataSync()[0];
    expect(diff).toBeLessThan(1e-5);
    const mapped = h.map(features);
    const expected = tf.add(tf.matMul(features, h.kernel), h.bias);
    expect(Array.from(mapped.dataSync())).toEqual(Array.from(expected.dataSync()));
    // The same seed gives the same regressor; another seed another.
    const again = hintModels({ weight: 1, teacherLayer: 2, studentLayer: 0 }, teacher, student, 7);
    const other = hintModels({ weight: 1, teacherLayer: 2, studentLayer: 0 }, teacher, student, 8);
    expect(Array.from(again.kernel.dataSync())).toEqual(Array.from(h.kernel.dataSync()));
    expect(Array.from(other.kernel.dataSync())).not.toEqual(Array.from(h.kernel.dataSync()));
    // w, b and the teacher's getWeights() are the models' own variables: not ours to free.
    tf.dispose([x, features, logits, direct, tf2, t1, t2, mapped, expected]);
    h.dispose();
    again.dispose();
    other.dispose();
    teacher.dispose();
    student.dispose();
  });

  it('flattens image features (CNN layers)', () => {
    const shape: ModelShape = { numFeatures: 16, numClasses: 2, imageShape: [4, 4, 1] };
    const teacher = buildModel({ kind: 'cnn', filters: [3], kernelSize: 3, dense: 6, dropout: 0 }, shape, 1);
    const student = buildModel({ kind: 'cnn', filters: [2], kernelSize: 3, dense: 4, dropout: 0 }, shape, 2);
    // teacher layer 1 = conv 4x4x3 (48), student layer 2 = max pool 2x2x2 (8)
    const h = hintModels({ weight: 1, teacherLayer: 1, studentLayer: 2 }, teacher, student, 1);
    expect(h.kernel.shape).toEqual([8, 48]);
    const x = tf.ones([3, 16]) as tf.Tensor2D;
    const [features] = h.student.predict(x) as tf.Tensor[];
    expect(features.shape).toEqual([3, 2, 2, 2]);
    const mapped = h.map(features);
    expect(mapped.shape).toEqual([3, 48]);
    expect(h.teacherFeatures(x).shape).toEqual([3, 48]);
    h.dispose();
    teacher.dispose();
    student.dispose();
  });

  it('trains the student and regressor by the hint loss and leaves the teacher untouched', () => {
    const teacher = buildModel(teacherSpec, small, 1);
    const student = buildModel(studentSpec, small, 2);
    const h = hintModels({ weight: 1, teacherLayer: 2, studentLayer: 0 }, teacher, student, 3);
    const teacherBefore = flatValues(teacher);
    const studentBefore = flatValues(student);
    const kernelBefore = Array.from(h.kernel.dataSync());
    const x = tf.randomNormal([16, 6], 0, 1, 'float32', 4) as tf.Tensor2D;
    const vars = [...student.trainableWeights.map((w) => w.read() as tf.Variable), h.kernel, h.bias];
    const opt = tf.train.adam(0.05);
    const losses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const loss = opt.minimize(
        () => {
          const [features] = h.student.apply(x, { training: true }) as tf.Tensor[];
          return tf.mean(tf.squaredDifference(h.map(features), h.teacherFeatures(x))) as tf.Scalar;
        },
        true,
        vars,
      );
      const scalar = present(loss, 'the loss');
      losses.push(scalar.dataSync()[0]);
      scalar.dispose();
    }
    expect(losses.at(-1)).toBeLessThan(losses[0] * 0.5);
    expect(flatValues(teacher)).toEqual(teacherBefore);
    expect(flatValues(student)).not.toEqual(studentBefore);
    expect(Array.from(h.kernel.dataSync())).not.toEqual(kernelBefore);
    opt.dispose();
    x.dispose();
    h.dispose();
    teacher.dispose();
    student.dispose();
  });

  it('never frees the shared weights: the full models still work after dispose', () => {
    const teacher = buildModel(teacherSpec, small, 1);
    const student = buildModel(studentSpec, small, 2);
    const teacherBefore = flatValues(teacher);
    const h = hintModels({ weight: 1, teacherLayer: 1, studentLayer: 0 }, teacher, student, 3);
    const x = tf.ones([2, 6]) as tf.Tensor2D;
    const outs = h.student.predict(x) as tf.Tensor[];
    const feats = h.teacherFeatures(x);
    const mapped = h.map(outs[0]);
    tf.dispose([x, ...outs, feats, mapped]);
    h.dispose();
    expect(h.kernel.isDisposed).toBe(true);
    expect(h.bias.isDisposed).toBe(true);
    for (const w of [...teacher.weights, ...student.weights]) expect(w.read().isDisposed).toBe(false);
    expect(flatValues(teacher)).toEqual(teacherBefore);
    const y = student.predict(tf.ones([1, 6])) as tf.Tensor;
    expect(y.shape).toEqual([1, 3]);
    y.dispose();
    teacher.dispose();
    student.dispose();
  });

  // Was a bug: `tf.variable(init)` registers a new tensor and left the initial value (the Glorot draw,
  // the zeros) alive and counted, so hintModels(...) + dispose() left 2 tensors behind per call, and
  // every distill() run with a hint leaked them. hintModels now builds its variables inside tf.tidy
  // (tidy does not track variables, and frees the initial values).
  it("frees exactly the regressor's tensors on dispose (numTensors back to where it was)", () => {
    const teacher = buildModel(teacherSpec, small, 1);
    const student = buildModel(studentSpec, small, 2);
    const before = tf.memory().numTensors;
    const h = hintModels({ weight: 1, teacherLayer: 1, studentLayer: 0 }, teacher, student, 3);
    // What it holds: the kernel and the bias, nothing else (the sub-models share the full models' weights).
    const held = tf.memory().numTensors - before;
    const x = tf.ones([2, 6]) as tf.Tensor2D;
    const outs = h.student.predict(x) as tf.Tensor[];
    const feats = h.teacherFeatures(x);
    const mapped = h.map(outs[0]);
    tf.dispose([x, ...outs, feats, mapped]);
    h.dispose();
    const after = tf.memory().numTensors;
    teacher.dispose();
    student.dispose();
    expect(after).toBe(before); // with the bug: before + 2
    expect(held).toBe(2); // with the bug: 4 (the two variables and their two initial values)
  });
});
