import * as tf from '@tensorflow/tfjs';
import { strFromU8 } from 'fflate';
import type { TeacherModel } from '../teacher-model';
import { ModelIoError, clip, formatShape } from './errors';
import { importModel } from './import';
import { basename, looksLikeModelJson } from './manifest';
import type { ImportedModel, ModelFile } from './types';
import { expandZips } from './zip';

/**
 * Teachable Machine (teachablemachine.withgoogle.com) image-project exports as teachers: a TF.js
 * layers model (model.json + weights.bin) that takes RGB images scaled to [-1, 1], usually
 * 224×224, and ends in a softmax, plus a metadata.json whose `labels` name its output columns.
 */

/** The data set as the model must answer it: its class names in its own order, and its image shape [h, w, c]. */
export interface TeachableMachineData {
  classNames: readonly string[];
  imageShape?: readonly [number, number, number];
}

export interface TeachableMachineTeacher {
  model: TeacherModel & { dispose(): void };
  description: string;
  params: number;
  bytes: number;
}

/** Rows resized per step: 64 images of 224×224×3 are 38 MB of floats, where a whole data set at once would be gigabytes. */
const CHUNK_ROWS = 64;

const isMetadata = (f: ModelFile) => basename(f.name).toLowerCase() === 'metadata.json';

function parseJson(f: ModelFile): unknown {
  try {
    return JSON.parse(strFromU8(f.bytes));
  } catch {
    return undefined;
  }
}

/** A metadata.json with `labels` beside a model.json: a Teachable Machine export (loose files or one .zip). */
export function isTeachableMachine(files: readonly ModelFile[]): boolean {
  let all: ModelFile[];
  try {
    all = expandZips(files);
  } catch {
    return false;
  }
  const metadata = all.find(isMetadata);
  if (!metadata) return false;
  const labels = (parseJson(metadata) as { labels?: unknown } | undefined)?.labels;
  if (!Array.isArray(labels)) return false;
  return all.some((f) => !isMetadata(f) && basename(f.name).toLowerCase().endsWith('.json') && looksLikeModelJson(parseJson(f)));
}

/** The labels of metadata.json, each a non-empty name, no two the same ignoring case. */
function readLabels(files: readonly ModelFile[]): { labels: string[]; modelName: string | null } {
  const metadata = files.find(isMetadata);
  if (!metadata) {
    throw new ModelIoError('output-mismatch', 'No metadata.json among the files: a Teachable Machine export names its classes there.');
  }
  const doc = parseJson(metadata);
  if (typeof doc !== 'object' || doc === null) throw new ModelIoError('not-json', 'metadata.json is not valid JSON.');
  const { labels, modelName } = doc as { labels?: unknown; modelName?: unknown };
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string' && l.trim() !== '')) {
    throw new ModelIoError(
      'output-mismatch',
      'metadata.json has no "labels" list of class names (at least two, none empty): the model\'s classes cannot be matched to the data set\'s.',
    );
  }
  const seen = new Set<string>();
  for (const label of labels as string[]) {
    const key = nameKey(label);
    if (seen.has(key)) throw new ModelIoError('output-mismatch', `metadata.json names the class "${clip(label)}" twice (ignoring case).`);
    seen.add(key);
  }
  return { labels: labels as string[], modelName: typeof modelName === 'string' ? modelName : null };
}

const nameKey = (name: string) => name.trim().toLowerCase();

/**
 * For each of the data set's classes, the model's output column of the same name (ignoring case and
 * order). Every name must match: an unmatched one on either side means the model answers another question.
 */
export function classColumns(labels: readonly string[], classNames: readonly string[]): number[] {
  const byName = new Map(labels.map((l, i) => [nameKey(l), i]));
  const known = new Set(classNames.map(nameKey));
  const missing = classNames.filter((c) => !byName.has(nameKey(c)));
  const extra = labels.filter((l) => !known.has(nameKey(l)));
  if (missing.length > 0 || extra.length > 0) {
    const list = (names: string[]) => names.map((n) => `"${clip(n)}"`).join(', ');
    const parts = [
      ...(missing.length > 0 ? [`the data set has ${list(missing)}, which the model does not`] : []),
      ...(extra.length > 0 ? [`the model has ${list(extra)}, which the data set does not`] : []),
    ];
    throw new ModelIoError(
      'output-mismatch',
      `The Teachable Machine model's classes do not match the data set's (names compared ignoring case): ${parts.join('; ')}.`,
    );
  }
  return classNames.map((c) => byName.get(nameKey(c)) as number);
}

/**
 * A Teachable Machine image model as a teacher for `dataset`: its rows (images in [0, 1], channels
 * last) are tiled grey→RGB or averaged RGB→grey as the model wants, resized bilinearly to the
 * model's input size, scaled to [-1, 1], and its outputs' columns put in the data set's class order.
 */
export async function loadTeachableMachine(files: readonly ModelFile[], dataset: TeachableMachineData): Promise<TeachableMachineTeacher> {
  const all = expandZips(files);
  const { labels, modelName } = readLabels(all);
  const imageShape = dataset.imageShape;
  if (!imageShape) {
    throw new ModelIoError(
      'input-mismatch',
      'A Teachable Machine model takes images, and this data set has no image shape: load an image folder (.zip) or MNIST.',
    );
  }
  const columns = classColumns(labels, dataset.classNames);
  const model = await importModel(all.filter((f) => !isMetadata(f)));
  try {
    const [height, width, channels] = checkInput(model, imageShape);
    if (model.numOutputs !== labels.length) {
      throw new ModelIoError(
        'output-mismatch',
        `The model gives ${model.numOutputs} outputs per image, and metadata.json names ${labels.length} classes.`,
      );
    }
    const prepare = (x: tf.Tensor2D) => toModelInput(x, imageShape, [height, width, channels]);
    const order = tf.tensor1d(columns, 'int32');
    const teacher: TeacherModel & { dispose(): void } = {
      async logits(x) {
        const parts: tf.Tensor2D[] = [];
        try {
          for (let start = 0; start < x.shape[0]; start += CHUNK_ROWS) {
            const size = Math.min(CHUNK_ROWS, x.shape[0] - start);
            parts.push(tf.tidy(() => tf.gather(model.predictLogits(prepare(x.slice([start, 0], [size, -1]))), order, 1) as tf.Tensor2D));
            // Other work (progress, messages) runs between chunks.
            await tf.nextFrame();
          }
          return parts.length === 1 ? (parts.pop() as tf.Tensor2D) : tf.concat(parts, 0);
        } finally {
          tf.dispose(parts);
        }
      },
      dispose() {
        order.dispose();
        model.dispose();
      },
    };
    const name = modelName ? ` "${clip(modelName, 60)}"` : '';
    return {
      model: teacher,
      description: `Teachable Machine${name}, ${height}×${width}×${channels} images, ${labels.length} classes`,
      params: model.layersModel?.countParams() ?? 0,
      bytes: all.reduce((sum, f) => sum + f.bytes.byteLength, 0),
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** The model's per-image input [h, w, c] with c 1 or 3, checked against the data set's channels. */
function checkInput(model: ImportedModel, imageShape: readonly [number, number, number]): [number, number, number] {
  const shape = model.inputShape;
  if (shape.length !== 3 || !(shape[2] === 1 || shape[2] === 3) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ModelIoError(
      'input-mismatch',
      `The model's input is ${formatShape([null, ...shape])}; a Teachable Machine image model takes [batch, height, width, 3].`,
    );
  }
  if (imageShape[2] !== 1 && imageShape[2] !== 3) {
    throw new ModelIoError('input-mismatch', `The data set's images have ${imageShape[2]} channels; the model takes 1 or 3.`);
  }
  return [shape[0], shape[1], shape[2]];
}

/** Rows of [0, 1] pixels [n, h·w·c] as the model's flat input rows [n, H·W·C] in [-1, 1]. */
function toModelInput(x: tf.Tensor2D, from: readonly [number, number, number], to: readonly [number, number, number]): tf.Tensor2D {
  return tf.tidy(() => {
    const [h, w, c] = from;
    const [height, width, channels] = to;
    let images = x.reshape([x.shape[0], h, w, c]) as tf.Tensor4D;
    if (c === 1 && channels === 3) images = tf.tile(images, [1, 1, 1, 3]);
    else if (c === 3 && channels === 1) images = tf.mean(images, 3, true) as tf.Tensor4D;
    // Half-pixel centres: how a canvas (Teachable Machine's own preprocessing) samples a resized image.
    if (h !== height || w !== width) images = tf.image.resizeBilinear(images, [height, width], false, true);
    return images
      .mul(2)
      .sub(1)
      .reshape([x.shape[0], height * width * channels]) as tf.Tensor2D;
  });
}
