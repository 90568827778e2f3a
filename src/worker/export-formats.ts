import type * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import type { Dataset } from '../core/data/types';
import type { DataTensors } from '../core/tensors';
import { evaluateModelAccuracy, exportModel, loadExported } from '../core/model-io';
import { exportC, inputScalingOf } from '../core/model-io/export-c';
import { exportOnnx } from '../core/model-io/export-onnx';
import { checkOnnxExport } from '../core/model-io/onnx-check';
import { quantisedAccuracy, quantTrainedOf } from '../core/quant-activations';
import type { ExportedFiles, ExportQuantization, ExportTarget } from './protocol';

/**
 * The ONNX and C exports, imported by export.ts only when asked for (protobufjs and the writers stay out
 * of the worker's start). Each is measured against the TF.js model at the same weight precision: the
 * model itself for float32, else the model reloaded from its quantised TF.js export (what the studio's
 * own evaluation of that precision measures).
 */

const BASE: Record<ExportTarget, string> = { distilled: 'student', scratch: 'scratch-student', teacher: 'teacher' };

async function atPrecision<T>(model: tf.LayersModel, quantization: ExportQuantization, use: (m: tf.LayersModel) => Promise<T>): Promise<T> {
  if (quantization === 'none') return use(model);
  const reloaded = await loadExported(await exportModel(model, { quantization }));
  try {
    return await use(reloaded);
  } finally {
    reloaded.dispose();
  }
}

/** The bytes alone in a buffer of their own (transferable), whatever buffer the view was into. */
const copy = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** student.onnx, run in ONNX Runtime over the test set and compared with the TF.js model. */
export async function exportOnnxFiles(
  model: tf.LayersModel,
  target: ExportTarget,
  quantization: ExportQuantization,
  data: DataTensors,
  dataset: Dataset,
): Promise<ExportedFiles> {
  if (quantization === 'uint8')
    throw new Error('The ONNX export writes float32 or float16 weights: choose one of those (uint8 is for the TF.js and C exports).');
  const bytes = exportOnnx(model, {
    weights: quantization === 'float16' ? 'float16' : 'float32',
    description: `Distill Studio ${target} on ${dataset.name}; input: the data set's rows as the studio scales them; output: logits.`,
  });
  const onnxCheck = await atPrecision(model, quantization, (m) => checkOnnxExport(bytes, m, data.xTest, data.yTest));
  return {
    target,
    quantization,
    format: 'onnx',
    files: [{ name: `${BASE[target]}.onnx`, bytes: copy(bytes) }],
    bytes: bytes.byteLength,
    testAccuracy: onnxCheck.testAccuracy,
    onnxCheck,
  };
}

/** distill_student.h and .c (or a .zip of both); the test accuracy is the TF.js model's at the same precision, which the C reproduces. */
export async function exportCFiles(
  model: tf.LayersModel,
  target: ExportTarget,
  quantization: ExportQuantization,
  zip: boolean,
  data: DataTensors,
  dataset: Dataset,
): Promise<ExportedFiles> {
  if (quantization === 'float16')
    throw new Error('The C export writes float32 or int8 weights: choose float32 or uint8 (float16 is for the TF.js and ONNX exports).');
  // A student trained for uint8 per channel or with quantised activations is written in that scheme.
  const trained = quantization === 'uint8' ? quantTrainedOf(model) : null;
  const c = exportC(model, {
    weights: quantization === 'uint8' ? 'uint8' : 'float32',
    perChannel: trained?.perChannel,
    activationRanges: trained?.activationRanges,
    scaling: inputScalingOf(dataset),
    description: `The ${target === 'teacher' ? 'teacher' : 'student'} for ${dataset.name} (${dataset.classNames.length} classes: ${dataset.classNames.slice(0, 10).join(', ')})`,
  });
  const header = strToU8(c.header);
  const source = strToU8(c.source);
  const files = zip
    ? [{ name: 'distill_student.zip', bytes: copy(zipSync({ 'distill_student.h': header, 'distill_student.c': source }, { level: 6 })) }]
    : [
        { name: 'distill_student.h', bytes: copy(header) },
        { name: 'distill_student.c', bytes: copy(source) },
      ];
  const testAccuracy =
    trained && (trained.perChannel || trained.activationRanges)
      ? await quantisedAccuracy(model, data.xTest, data.yTest, trained)
      : await atPrecision(model, quantization, (m) => evaluateModelAccuracy(m, data.xTest, data.yTest));
  return {
    target,
    quantization,
    format: 'c',
    files,
    bytes: header.byteLength + source.byteLength,
    testAccuracy,
    cSize: { weightBytes: c.weightBytes, ramBytes: c.ramBytes, codeBytesEstimate: c.codeBytesEstimate },
  };
}
