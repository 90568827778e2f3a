import type * as tf from '@tensorflow/tfjs';
import { evaluateModelAccuracy } from './evaluate';
import { exportModel, type ExportOptions } from './export';
import { loadExported } from './reload';
import type { ExportedModel, WeightQuantization } from './types';

export interface ExportReport {
  quantization: WeightQuantization | 'none';
  /** model.json plus weights. */
  bytes: number;
  weightBytes: number;
  /** Weight bytes of the same model saved as float32, for the "×½, ×¼" comparison. */
  float32WeightBytes: number;
  /** Test accuracy of the model as reloaded from the exported bytes (after dequantization). */
  testAccuracy: number;
}

/**
 * Exports `model` (quantized or not), loads the export back the way a user of the files would,
 * and measures it on the test split, so the page can show what quantization costs in accuracy.
 */
export async function exportAndMeasure(
  model: tf.LayersModel,
  xTest: tf.Tensor2D,
  yTest: tf.Tensor1D,
  options: ExportOptions = {},
): Promise<{ exported: ExportedModel; report: ExportReport }> {
  const exported = await exportModel(model, options);
  const reloaded = await loadExported(exported);
  try {
    const testAccuracy = await evaluateModelAccuracy(reloaded, xTest, yTest);
    const float32WeightBytes = reloaded.countParams() * 4;
    return {
      exported,
      report: {
        quantization: options.quantization ?? 'none',
        bytes: exported.bytes,
        weightBytes: exported.weights.byteLength,
        float32WeightBytes,
        testAccuracy,
      },
    };
  } finally {
    reloaded.dispose();
  }
}
