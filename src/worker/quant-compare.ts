import type * as tf from '@tensorflow/tfjs';
import { captureWeights, restoreModel } from '../core/checkpoint';
import { exportAndMeasure } from '../core/model-io';
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

/** The three accuracies, each from an export loaded back (core/model-io exportAndMeasure), as a user of the files would get them. */
export async function compareQuantised(
  twin: tf.LayersModel,
  distilled: tf.LayersModel,
  data: DataTensors,
  lastEpochs: number,
): Promise<QuantComparison> {
  const measure = async (model: tf.LayersModel, quantization?: 'uint8') =>
    (await exportAndMeasure(model, data.xTest, data.yTest, { quantization })).report.testAccuracy;
  return {
    float32: await measure(twin),
    uint8AfterTraining: await measure(twin, 'uint8'),
    uint8TrainedForIt: await measure(distilled, 'uint8'),
    lastEpochs,
  };
}
