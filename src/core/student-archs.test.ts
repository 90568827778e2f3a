import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from './models';
import { STUDENT_PRESETS } from './presets';
import { archSize, findStudentArch, isStudentArchId, MLP_WIDTHS, STUDENT_ARCHS } from './student-archs';

const MNIST = { numFeatures: 784, numClasses: 10, imageShape: [28, 28, 1] as [number, number, number] };

describe('student architectures', () => {
  it('counts parameters and weight tensors as tfjs does, for every architecture', () => {
    for (const arch of STUDENT_ARCHS) {
      const model = buildModel(arch.spec, MNIST, 1);
      try {
        const size = archSize(arch.spec, MNIST);
        expect(size.params, arch.id).toBe(model.countParams());
        expect(size.tensors, arch.id).toBe(model.getWeights().length);
      } finally {
        model.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(0);
  });

  it('sizes the 784-64-10 student at 4, 2 and 1 byte a weight, with uint8 min and scale per tensor', () => {
    const size = archSize((findStudentArch('mlp-64') ?? STUDENT_ARCHS[0]).spec, MNIST);
    expect(size.params).toBe(784 * 64 + 64 + 64 * 10 + 10);
    expect(size.bytesFloat32).toBe(50_890 * 4);
    expect(size.bytesFloat16).toBe(50_890 * 2);
    expect(size.bytesUint8).toBe(50_890 + 4 * 8);
  });

  it('has widths 8 to 512 with one and two hidden layers, linear and the CNNs, each id once', () => {
    for (const w of MLP_WIDTHS) {
      expect(findStudentArch(`mlp-${w}`)?.spec).toMatchObject({ hidden: [w] });
      expect(findStudentArch(`mlp-${w}-${w}`)?.spec).toMatchObject({ hidden: [w, w] });
    }
    expect(findStudentArch('linear')?.spec).toMatchObject({ hidden: [] });
    expect(STUDENT_ARCHS.filter((a) => a.spec.kind === 'cnn').length).toBeGreaterThanOrEqual(2);
    expect(new Set(STUDENT_ARCHS.map((a) => a.id)).size).toBe(STUDENT_ARCHS.length);
    expect(isStudentArchId('mlp-7')).toBe(false);
  });

  it('keeps the presets: the same id means the same model', () => {
    for (const preset of STUDENT_PRESETS) expect(findStudentArch(preset.id)?.spec).toEqual(preset.spec);
  });
});
