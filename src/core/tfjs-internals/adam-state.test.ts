import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { adamPrivateState } from './adam-state';

beforeAll(useCpuBackend);

/** Contract: the private state of tfjs's AdamOptimizer that fused Adam reads and writes (kernels/fused-adam.ts). */
describe("tfjs's AdamOptimizer", () => {
  it('keeps its moments per variable, in order, and beta1^(t+1), beta2^(t+1) as variables', async () => {
    const x = tf.variable(tf.tensor1d([1, -2]), true, 'contract_x');
    const optimizer = tf.train.adam(0.1, 0.9, 0.999);
    expect(adamPrivateState(optimizer).accumulatedFirstMoment).toEqual([]);
    optimizer.applyGradients([{ name: 'contract_x', tensor: tf.tensor1d([0.5, -1]) }]);
    const state = adamPrivateState(optimizer);
    expect(state.accumulatedFirstMoment.map((m) => m?.originalName)).toEqual(['contract_x/m']);
    expect(state.accumulatedSecondMoment.map((m) => m?.originalName)).toEqual(['contract_x/v']);
    const [m] = state.accumulatedFirstMoment;
    const [v] = state.accumulatedSecondMoment;
    if (!m || !v) throw new Error('no moments after a step');
    expect(Array.from(await m.variable.data())).toEqual([Math.fround(0.05), Math.fround(-0.1)]);
    expect((await v.variable.data())[1]).toBeCloseTo(0.001, 6);
    expect((await state.accBeta1.data())[0]).toBeCloseTo(0.81, 6);
    expect((await state.accBeta2.data())[0]).toBeCloseTo(0.999 ** 2, 6);
    // What tfjs saves is what fused Adam keeps: the moments under those names, after the step count.
    const saved = await optimizer.getWeights();
    expect(saved.map((w) => w.name)).toEqual(['iter', 'contract_x/m', 'contract_x/v']);
    saved[0].tensor.dispose();
    optimizer.dispose();
    x.dispose();
  });

  it('reads the running powers it is given on its next step (so a fused step may keep them)', async () => {
    const x = tf.variable(tf.tensor1d([0]), true, 'contract_y');
    const optimizer = tf.train.adam(1, 0.5, 0.5);
    const state = adamPrivateState(optimizer);
    // With accBeta = 0 the bias corrections are 1: w' = -lr · m' / (√v' + eps), m' = 0.5·g, v' = 0.5·g².
    state.accBeta1.assign(tf.scalar(0));
    state.accBeta2.assign(tf.scalar(0));
    optimizer.applyGradients([{ name: 'contract_y', tensor: tf.tensor1d([2]) }]);
    expect((await x.data())[0]).toBeCloseTo(-1 / Math.sqrt(2), 5);
    optimizer.dispose();
    x.dispose();
  });

  it('is refused, naming the field, where tfjs no longer has it', () => {
    const optimizer = tf.train.adam(0.1);
    const accBeta1 = adamPrivateState(optimizer).accBeta1;
    Reflect.deleteProperty(optimizer, 'accBeta1');
    expect(() => adamPrivateState(optimizer)).toThrow("tfjs's AdamOptimizer has no accBeta1 variable field any more");
    Reflect.set(optimizer, 'accBeta1', accBeta1);
    optimizer.dispose();
  });
});
