import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelStats, type ModelSpec } from './model-spec';
import { buildModel } from './models';
import { STUDENT_PRESETS, TEACHER_PRESETS } from './presets';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

const mnist = { numFeatures: 784, numClasses: 10, imageShape: [28, 28, 1] as [number, number, number] };

function weights(model: tf.LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

describe('model specs', () => {
  it('counts the parameters tfjs counts, for every preset', () => {
    for (const p of [...TEACHER_PRESETS, ...STUDENT_PRESETS]) {
      const model = buildModel(p.spec, mnist, 1);
      expect(modelStats(p.spec, mnist).params, p.id).toBe(model.countParams());
      model.dispose();
    }
  });

  it('gives the published sizes of the default teacher and student', () => {
    const teacher = modelStats({ kind: 'mlp', hidden: [1200, 1200], activation: 'relu', dropout: 0.5 }, mnist);
    expect(teacher.params).toBe(784 * 1200 + 1200 + 1200 * 1200 + 1200 + 1200 * 10 + 10); // 2,395,210
    expect(teacher.bytes).toBe(teacher.params * 4);
    const student = modelStats({ kind: 'mlp', hidden: [64], activation: 'relu', dropout: 0 }, mnist);
    expect(student.params).toBe(50890);
    expect(student.flopsPerSample).toBe(2 * (784 * 64 + 64 * 10));
  });

  it('counts convolution FLOPs per output pixel', () => {
    const spec: ModelSpec = { kind: 'cnn', filters: [16], kernelSize: 3, dense: 10, dropout: 0 };
    // conv 3x3x1x16 over 28x28 (same padding), pool to 14x14x16, dense 3136->10, dense 10->10
    expect(modelStats(spec, mnist).flopsPerSample).toBe(2 * 9 * 16 * 784 + 2 * 3136 * 10 + 2 * 10 * 10);
  });

  it('builds the same weights from the same seed, other weights from another', () => {
    const spec = STUDENT_PRESETS[0].spec;
    const [a, b, c] = [buildModel(spec, mnist, 42), buildModel(spec, mnist, 42), buildModel(spec, mnist, 43)];
    expect(weights(a)).toEqual(weights(b));
    expect(weights(a)).not.toEqual(weights(c));
    for (const m of [a, b, c]) m.dispose();
  });

  it('outputs logits of the right shape for MLPs and CNNs', () => {
    for (const spec of [STUDENT_PRESETS[0].spec, TEACHER_PRESETS[2].spec]) {
      const model = buildModel(spec, mnist, 1);
      const out = model.predict(tf.zeros([2, 784])) as tf.Tensor;
      expect(out.shape).toEqual([2, 10]);
      out.dispose();
      model.dispose();
    }
  });

  it('refuses impossible specs with a message', () => {
    expect(() => buildModel({ kind: 'mlp', hidden: [0], activation: 'relu', dropout: 0 }, mnist, 1)).toThrow(
      /Layer width must be a whole number/,
    );
    expect(() => buildModel({ kind: 'mlp', hidden: [8], activation: 'relu', dropout: 1 }, mnist, 1)).toThrow(/Dropout must be in \[0, 1\)/);
    expect(() =>
      buildModel({ kind: 'cnn', filters: [4], kernelSize: 3, dense: 8, dropout: 0 }, { numFeatures: 4, numClasses: 2 }, 1),
    ).toThrow(/needs image data/);
  });
});
