import type * as tf from '@tensorflow/tfjs';
import { captureWeights, restoreModel } from '../core/checkpoint';
import { exportAndMeasure } from '../core/model-io';
import { calibrateRanges, quantisedAccuracy, quantTrainedOf } from '../core/quant-activations';
import type { DataTensors } from '../core/tensors';
import type { DistillRunConfig, QuantComparison } from './protocol';

/**
 * With "Train for uint8", a copy of the distilled student's starting point that the trainer trains
 * alongside in float32 (core/trainer.ts floatTwin): post-training quantisation is measured on it,
 * so that both uint8 rows come from students that saw the same batches for the same epochs and
 * differ only in the fake quantisation. Null when the run does not train for uint8.
 */
export async function makeFloatTwin(config: DistillRunConfig, distilled: tf.LayersModel): Promise<tf.LayersModel | null> {
  if (!config.quantAware) return null;
  return restoreModel(distilled, await captureWeights(distilled));
}

/**
 * The three accuracies, with the scheme the distilled student was trained for. Per tensor without
 * activations, each uint8 row is a TF.js uint8 export loaded back (core/model-io exportAndMeasure), as
 * a user of the files would get it. TF.js's uint8 format holds one scale per tensor and float
 * activations, so per channel or with quantised activations the uint8 rows are the C int8 export's
 * arithmetic (core/quant-activations quantisedLogits; tests/export-c.test.ts checks the compiled C
 * gives the same logits); post-training quantisation calibrates the twin's activation ranges on the
 * training rows.
 */
export async function compareQuantised(
  twin: tf.LayersModel,
  distilled: tf.LayersModel,
  data: DataTensors,
  lastEpochs: number,
): Promise<QuantComparison> {
  const measure = async (model: tf.LayersModel, quantization?: 'uint8') =>
    (await exportAndMeasure(model, data.xTest, data.yTest, { quantization })).report.testAccuracy;
  const trained = quantTrainedOf(distilled) ?? { perChannel: false, activationRanges: null };
  const scheme = { perChannel: trained.perChannel, activations: trained.activationRanges !== null };
  if (!scheme.perChannel && !scheme.activations)
    return {
      float32: await measure(twin),
      uint8AfterTraining: await measure(twin, 'uint8'),
      uint8TrainedForIt: await measure(distilled, 'uint8'),
      lastEpochs,
      ...scheme,
    };
  const twinRanges = scheme.activations ? await calibrateRanges(twin, data.xTrain) : null;
  return {
    float32: await measure(twin),
    uint8AfterTraining: await quantisedAccuracy(twin, data.xTest, data.yTest, {
      perChannel: trained.perChannel,
      activationRanges: twinRanges,
    }),
    uint8TrainedForIt: await quantisedAccuracy(distilled, data.xTest, data.yTest, trained),
    lastEpochs,
    ...scheme,
  };
}
