import type * as tf from '@tensorflow/tfjs';
import { ModelIoError, clip, quote } from './errors';
import { checkJsonDepth } from './layer-classes';
import type { ModelJsonDoc } from './types';

type Entry = tf.io.WeightsManifestEntry;

const DTYPES: readonly Entry['dtype'][] = ['float32', 'int32', 'bool', 'string', 'complex64'];
const QUANT_DTYPES = ['uint8', 'uint16', 'float16'] as const;

/** Bytes per stored value; strings have no fixed size and are measured from the data instead. */
export const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDtype(v: unknown): v is Entry['dtype'] {
  return DTYPES.some((d) => d === v);
}

function isQuantDtype(v: unknown): v is (typeof QUANT_DTYPES)[number] {
  return QUANT_DTYPES.some((d) => d === v);
}

export function basename(path: string): string {
  const parts = path.trim().replace(/\/+$/, '').split(/[\\/]/);
  return parts[parts.length - 1];
}

/** 'dense_Dense1/kernel' -> 'dense_Dense1': weights are named after their layer (or graph node). */
export function layerOfWeight(weightName: string): string {
  const cut = weightName.lastIndexOf('/');
  return cut > 0 ? weightName.slice(0, cut) : weightName;
}

export function sizeFromShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function bad(fileName: string, why: string): ModelIoError {
  return new ModelIoError('bad-manifest', `'${fileName}' has a malformed weightsManifest: ${why}.`);
}

function parseEntry(fileName: string, raw: unknown): Entry {
  if (!isRecord(raw) || typeof raw.name !== 'string') throw bad(fileName, 'a weight has no name');
  const name = raw.name;
  const shown = clip(name);
  const shape = raw.shape;
  if (!Array.isArray(shape) || !shape.every((d): d is number => Number.isInteger(d) && d >= 0)) {
    throw bad(fileName, `weight '${shown}' has an invalid shape ${quote(shape)}`);
  }
  if (!isDtype(raw.dtype)) throw bad(fileName, `weight '${shown}' has an unsupported dtype ${quote(raw.dtype)}`);
  const entry: Entry = { name, shape, dtype: raw.dtype };
  if (raw.group === 'model' || raw.group === 'optimizer') entry.group = raw.group;
  if (raw.quantization !== undefined) {
    const q = raw.quantization;
    if (!isRecord(q) || !isQuantDtype(q.dtype)) throw bad(fileName, `weight '${shown}' has an unknown quantization`);
    if (q.dtype !== 'float16' && (typeof q.scale !== 'number' || typeof q.min !== 'number')) {
      throw bad(fileName, `weight '${shown}' is quantized to ${q.dtype} without a scale and min`);
    }
    // What tfjs's decodeWeights accepts: float16 stands for float32 values only, uint8/uint16 for float32 or int32.
    const allowed: readonly Entry['dtype'][] = q.dtype === 'float16' ? ['float32'] : ['float32', 'int32'];
    if (!allowed.includes(raw.dtype)) {
      throw bad(
        fileName,
        `weight '${shown}' is ${raw.dtype} but quantized to ${q.dtype}, which only applies to ${allowed.join(' or ')} weights`,
      );
    }
    entry.quantization = {
      dtype: q.dtype,
      ...(typeof q.scale === 'number' ? { scale: q.scale } : {}),
      ...(typeof q.min === 'number' ? { min: q.min } : {}),
    };
  }
  return entry;
}

function parseManifest(fileName: string, raw: unknown): tf.io.WeightsManifestConfig {
  if (!Array.isArray(raw)) throw bad(fileName, 'it is not a list of weight groups');
  // tfjs decodes weights into a map by name: a second weight of the same name would replace the first
  // (whose tensor is then never freed), so the manifest would not say which one the model gets.
  const names = new Set<string>();
  return raw.map((group) => {
    if (!isRecord(group) || !Array.isArray(group.paths) || !group.paths.every((p): p is string => typeof p === 'string')) {
      throw bad(fileName, 'a weight group has no list of paths');
    }
    if (!Array.isArray(group.weights)) throw bad(fileName, `the group stored in ${clip(group.paths.join(', '))} has no list of weights`);
    const weights = group.weights.map((w) => parseEntry(fileName, w));
    for (const w of weights) {
      if (names.has(w.name)) throw bad(fileName, `weight '${clip(w.name)}' is listed more than once`);
      names.add(w.name);
    }
    return { paths: group.paths, weights };
  });
}

/** Whether parsed JSON looks like model.json at all (used to pick it out among other .json files). */
export function looksLikeModelJson(value: unknown): boolean {
  return isRecord(value) && isRecord(value.modelTopology) && Array.isArray(value.weightsManifest);
}

/** model.json text to a checked document; `fileName` only names the file in messages. */
export function parseModelJson(fileName: string, text: string): ModelJsonDoc {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ModelIoError('not-json', `'${fileName}' is not valid JSON, so it cannot be a TensorFlow.js model.json.`);
  }
  checkJsonDepth(fileName, value);
  if (!isRecord(value) || !isRecord(value.modelTopology) || value.weightsManifest === undefined) {
    throw new ModelIoError(
      'not-a-model',
      `'${fileName}' is not a TensorFlow.js model: a model.json has "modelTopology" and "weightsManifest" fields.`,
    );
  }
  const doc: ModelJsonDoc = { modelTopology: value.modelTopology, weightsManifest: parseManifest(fileName, value.weightsManifest) };
  if (typeof value.format === 'string') doc.format = value.format;
  if (typeof value.generatedBy === 'string') doc.generatedBy = value.generatedBy;
  if (typeof value.convertedBy === 'string') doc.convertedBy = value.convertedBy;
  if (isRecord(value.signature)) doc.signature = value.signature;
  if (isRecord(value.userDefinedMetadata)) doc.userDefinedMetadata = toObjectMap(value.userDefinedMetadata);
  return doc;
}

function toObjectMap(r: Record<string, unknown>): { [key: string]: object } {
  const out: { [key: string]: object } = {};
  for (const [k, v] of Object.entries(r)) if (typeof v === 'object' && v !== null) out[k] = v;
  return out;
}

/** Graph models come from the converter (GraphDef nodes); layers models carry a Keras config. */
export function modelKind(fileName: string, doc: ModelJsonDoc): 'layers' | 'graph' {
  const topo: Record<string, unknown> = { ...doc.modelTopology };
  if (doc.format === 'graph-model' || Array.isArray(topo.node)) return 'graph';
  if (doc.format === 'layers-model' || typeof topo.class_name === 'string' || isRecord(topo.model_config)) return 'layers';
  throw new ModelIoError('not-a-model', `'${fileName}' has a modelTopology that is neither a layers model nor a graph model.`);
}
