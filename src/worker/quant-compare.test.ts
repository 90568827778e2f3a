import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModelAccuracy } from '../core/model-io';
import { randomRows, smallMlp } from '../core/model-io/test-fixtures';
import { calibrateRanges, quantisedLogits, setQuantTrained, type QuantTrained } from '../core/quant-activations';
import { fakeQuantise } from '../core/quantise';
import { useCpuBackend } from '../core/test-setup';
import { DEFAULT_CONFIG, distillRunConfig } from '../state/config';
import { compareQuantised, makeFloatTwin } from './quant-compare';

beforeAll(useCpuBackend);

describe('quant-compare', () => {
  it('makes a float twin only when the run trains for uint8, with the same weights', async () => {
    const distilled = smallMlp(3);
    expect(await makeFloatTwin(distillRunConfig(DEFAULT_CONFIG), distilled)).toBeNull();
    const twin = await makeFloatTwin(distillRunConfig({ ...DEFAULT_CONFIG, trainForUint8: true }), distilled);
    if (!twin) throw new Error('no twin');
    expect(twin).not.toBe(distilled);
    expect(twin.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(distilled.getWeights().map((w) => Array.from(w.dataSync())));
    twin.dispose();
    distilled.dispose();
  });

  it('measures float32 and both uint8 rows from exports loaded back', async () => {
    const twin = smallMlp(4);
    const distilled = smallMlp(5);
    const xTest = randomRows(300, 4, 8);
    const yTest = tf.tidy(
      () => tf.argMax(tf.matMul(xTest, tf.tensor2d([1, -1, 0.5, 0, 2, 1, -1, 0.3, 0, 0.2, 1, -2], [4, 3])), 1).toInt() as tf.Tensor1D,
    );
    const before = tf.memory().numTensors;
    const q = await compareQuantised(twin, distilled, { xTrain: xTest, yTrain: yTest, xTest, yTest }, 2);
    expect(tf.memory().numTensors).toBe(before);
    // by hand: the uint8 models are the float ones with fake-quantised weights (exactly the exported weights)
    const onGrid = (m: tf.LayersModel) => {
      const copy = smallMlp(9);
      const weights = m.getWeights().map((w) => fakeQuantise(w));
      copy.setWeights(weights);
      tf.dispose(weights);
      return copy;
    };
    const [twinQ, distilledQ] = [onGrid(twin), onGrid(distilled)];
    expect(q).toEqual({
      float32: await evaluateModelAccuracy(twin, xTest, yTest),
      uint8AfterTraining: await evaluateModelAccuracy(twinQ, xTest, yTest),
      uint8TrainedForIt: await evaluateModelAccuracy(distilledQ, xTest, yTest),
      lastEpochs: 2,
      perChannel: false,
      activations: false,
    });
    for (const m of [twin, distilled, twinQ, distilledQ]) m.dispose();
    tf.dispose([xTest, yTest]);
  });

  it('per channel with activations: both uint8 rows use that scheme (the C arithmetic), the twin calibrated on the training rows', async () => {
    const twin = smallMlp(4);
    const distilled = smallMlp(5);
    const xTest = randomRows(300, 4, 8);
    const xTrain = randomRows(200, 4, 3);
    const yTest = tf.tidy(() => tf.argMax(tf.matMul(xTest, tf.randomNormal([4, 3], 0, 1, 'float32', 2)), 1).toInt() as tf.Tensor1D);
    const trained: QuantTrained = { perChannel: true, activationRanges: await calibrateRanges(distilled, xTrain) };
    setQuantTrained(distilled, trained);
    const before = tf.memory().numTensors;
    const q = await compareQuantised(twin, distilled, { xTrain, yTrain: yTest, xTest, yTest }, 3);
    expect(tf.memory().numTensors).toBe(before);
    const byHand = async (m: tf.LayersModel, scheme: QuantTrained) => {
      const logits = quantisedLogits(m, xTest, scheme);
      const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), yTest), 'float32')).dataSync()[0]);
      logits.dispose();
      return acc;
    };
    expect(q).toEqual({
      float32: await evaluateModelAccuracy(twin, xTest, yTest),
      uint8AfterTraining: await byHand(twin, { perChannel: true, activationRanges: await calibrateRanges(twin, xTrain) }),
      uint8TrainedForIt: await byHand(distilled, trained),
      lastEpochs: 3,
      perChannel: true,
      activations: true,
    });
    for (const m of [twin, distilled]) m.dispose();
    tf.dispose([xTest, xTrain, yTest]);
  });
});
