import * as tf from '@tensorflow/tfjs';
import { layerBuildWatchable, withLayerBuildWatched, type LayerBuildWatch, type MadeWeight } from '../tfjs-internals';
import { ModelIoError, clip, formatShape, libraryDetail } from './errors';
import { firstUnknownLayer, layerClassNames } from './layer-classes';
import { layerOfWeight, sizeFromShape } from './manifest';
import type { ModelJsonDoc } from './types';

export function unknownLayerError(className: string): ModelIoError {
  return new ModelIoError(
    'unknown-layer',
    `Unknown layer '${clip(className)}': this model uses a custom layer that the studio cannot load. Rebuild it from built-in Keras/TF.js layers, or export it as a graph model to use it as a teacher.`,
  );
}

function sameShape(a: readonly (number | null)[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Names, shapes and dtypes of the manifest against the weights the topology creates, for a message that names the culprit. */
function checkWeightsMatch(jsonName: string, model: tf.LayersModel, specs: readonly tf.io.WeightsManifestEntry[]): void {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const wanted = new Set<string>();
  for (const v of model.weights) {
    wanted.add(v.originalName);
    const spec = byName.get(v.originalName);
    const name = clip(v.originalName);
    const layer = clip(layerOfWeight(v.originalName));
    if (!spec) {
      throw new ModelIoError(
        'weight-mismatch',
        `'${jsonName}' has no weight '${name}' (shape ${formatShape(v.shape)}) that layer '${layer}' needs: its weightsManifest does not match its topology.`,
      );
    }
    if (!sameShape(v.shape, spec.shape)) {
      throw new ModelIoError(
        'weight-mismatch',
        `Weight '${name}' has shape ${formatShape(spec.shape)} in '${jsonName}' but layer '${layer}' expects ${formatShape(v.shape)}: the weightsManifest does not match the topology.`,
      );
    }
    if (spec.dtype !== v.dtype) {
      throw new ModelIoError(
        'weight-mismatch',
        `Weight '${name}' is ${spec.dtype} in '${jsonName}' but layer '${layer}' holds ${v.dtype} values: the weightsManifest does not match the topology.`,
      );
    }
  }
  const extra = specs.find((s) => !wanted.has(s.name));
  if (extra) {
    throw new ModelIoError(
      'weight-mismatch',
      `'${jsonName}' lists weight '${clip(extra.name)}' that no layer of the model has: its weightsManifest does not match its topology.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Building the topology without trusting it: every weight a layer asks for is checked against what
// the manifest holds before a byte is allocated, and made as zeros (the loaded values replace them).

type Weight = MadeWeight;

function isDimension(d: number | null): d is number {
  return typeof d === 'number' && Number.isSafeInteger(d) && d >= 0;
}

/**
 * The check run for each weight as a layer asks for it: a size the manifest cannot hold (the manifest's
 * sizes are already checked against the bytes) means the files do not match, whatever the layer is.
 */
function weightGuard(jsonName: string, specs: readonly tf.io.WeightsManifestEntry[]) {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const total = specs.reduce((n, s) => n + sizeFromShape(s.shape), 0);
  let left = total;
  return (layerName: string, weightName: string, shape: readonly (number | null)[]): void => {
    const layer = clip(layerName);
    if (!Array.isArray(shape) || !shape.every(isDimension)) {
      const shown = Array.isArray(shape) ? shape.map((d) => (typeof d === 'number' && Number.isFinite(d) ? d : null)) : [];
      throw new ModelIoError(
        'load-failed',
        `Layer '${layer}' in '${jsonName}' would have a weight '${clip(weightName)}' of shape ${formatShape(shown)}, which is not a valid size: check its config (units, filters, kernel size, input shape).`,
      );
    }
    const size = sizeFromShape(shape);
    if (size <= left) {
      left -= size;
      return;
    }
    // Weights are named '<layer>/<weight>'; when the manifest has that name, its shape is the clearest message.
    const guess = byName.get(`${layerName}/${weightName}`);
    if (guess) {
      throw new ModelIoError(
        'weight-mismatch',
        `Weight '${clip(guess.name)}' has shape ${formatShape(guess.shape)} in '${jsonName}' but layer '${layer}' expects ${formatShape(shape)}: the weightsManifest does not match the topology.`,
      );
    }
    throw new ModelIoError(
      'weight-mismatch',
      `Layer '${layer}' in '${jsonName}' needs a weight '${clip(weightName)}' of shape ${formatShape(shape)} (${size} values), more than the ${left} of the ${total} weight values in its weightsManifest that are left for it: the weightsManifest does not match the topology.`,
    );
  };
}

function disposeQuietly(items: readonly Weight[]): void {
  for (const item of items) {
    try {
      item.dispose();
    } catch {
      // Already disposed (with the model that owned it).
    }
  }
}

/** The layer whose construction or build threw, innermost first: what a message should point at. */
interface Culprit {
  /** The layer's name; undefined when its config has none (or not a string). */
  layer?: string;
  className: string;
}

/**
 * Runs `build` (synchronous) with tfjs's layer machinery watched (withLayerBuildWatched): each weight
 * is checked by `guard` and made as zeros, every weight made is listed in `made`, and the innermost
 * layer that throws is kept as the culprit. On a tfjs where that watch is off, `build` runs plain:
 * checkWeightsMatch still compares the built model with the manifest, but after allocating it.
 */
function watchedBuild<T>(
  classNames: readonly string[],
  guard: ReturnType<typeof weightGuard>,
  made: Weight[],
  build: () => T,
): { ok: true; result: T; culprit?: Culprit } | { ok: false; error: unknown; culprit?: Culprit } {
  let culprit = undefined as Culprit | undefined;
  const watch: LayerBuildWatch = {
    beforeWeight: guard,
    madeWeight: (weight) => made.push(weight),
    layerFailed: (layer, className) => {
      culprit ??= { layer: typeof layer === 'string' && layer !== '' ? clip(layer) : undefined, className: clip(className) };
    },
  };
  try {
    const result = layerBuildWatchable() ? withLayerBuildWatched(classNames, watch, build) : build();
    return { ok: true, result, culprit };
  } catch (error) {
    return { ok: false, error, culprit };
  }
}

function buildError(jsonName: string, e: unknown, culprit: Culprit | undefined): ModelIoError {
  if (e instanceof ModelIoError) return e;
  const detail = libraryDetail(e);
  const unknown = detail === undefined ? null : /Unknown layer: ([^.\s]+)/.exec(detail);
  if (unknown) return unknownLayerError(unknown[1]);
  const layer =
    culprit && (culprit.layer === undefined ? `a ${culprit.className} layer` : `layer '${culprit.layer}' (${culprit.className})`);
  const what = layer ? `${layer} of '${jsonName}'` : `the model in '${jsonName}' from its topology`;
  const why =
    detail ??
    (culprit
      ? 'its config has fields of the wrong type or missing, so TensorFlow.js cannot read it.'
      : "a layer's config has fields of the wrong type or missing, so TensorFlow.js cannot read it.");
  return new ModelIoError('load-failed', `Could not build ${what}: ${why}`);
}

/**
 * The model the topology describes, its weights zeros. tfjs builds each layer as it deserializes it,
 * and deserializing is synchronous inside modelFromJSON's call (it awaits only when given weights), so
 * the watch covers exactly the build. Whatever fails, the weights made so far are disposed.
 */
async function buildFromTopology(
  jsonName: string,
  doc: ModelJsonDoc,
  specs: readonly tf.io.WeightsManifestEntry[],
): Promise<tf.LayersModel> {
  const unknown = firstUnknownLayer(doc.modelTopology, jsonName);
  if (unknown !== undefined) throw unknownLayerError(unknown);
  const made: Weight[] = [];
  const config = { modelTopology: doc.modelTopology } as Parameters<typeof tf.models.modelFromJSON>[0];
  // modelFromJSON is async, so a failed build comes back as a rejected promise; the culprit was noted during the call.
  const watched = watchedBuild(layerClassNames(doc.modelTopology, jsonName), weightGuard(jsonName, specs), made, () =>
    tf.models.modelFromJSON(config),
  );
  let model: unknown;
  try {
    if (!watched.ok) throw watched.error;
    model = await watched.result;
  } catch (e) {
    disposeQuietly(made);
    throw buildError(jsonName, e, watched.culprit);
  }
  if (!(model instanceof tf.LayersModel)) {
    disposeQuietly(made);
    const what = model instanceof tf.layers.Layer ? `a single '${clip(model.getClassName())}' layer` : 'something else';
    throw new ModelIoError(
      'not-a-model',
      `The topology in '${jsonName}' describes ${what}, not a model: a layers model's topology is a Sequential or functional Model.`,
    );
  }
  return model;
}

/** Decoded weights, all or none: a failure half-way disposes the tensors already made. */
function decodeWeights(jsonName: string, weightData: ArrayBuffer, specs: tf.io.WeightsManifestEntry[]): tf.NamedTensorMap {
  try {
    return tf.tidy(() => tf.io.decodeWeights(weightData, specs));
  } catch (e) {
    const detail = libraryDetail(e);
    throw new ModelIoError('load-failed', `Could not decode the weights of '${jsonName}'${detail === undefined ? '.' : `: ${detail}`}`);
  }
}

/**
 * A layers model from model.json and its checked weight bytes. Instead of handing both to
 * tf.loadLayersModel at once, it builds the topology (checking each weight's size as it goes), checks
 * names, shapes and dtypes, then loads the weights, so that a mismatch gets a precise message and the
 * half-built model is disposed rather than leaked.
 */
export async function loadLayersModel(jsonName: string, doc: ModelJsonDoc, weightData: ArrayBuffer): Promise<tf.LayersModel> {
  const specs = doc.weightsManifest.flatMap((g) => g.weights);
  const modelSpecs = specs.filter((s) => s.group !== 'optimizer');
  const model = await buildFromTopology(jsonName, doc, modelSpecs);
  try {
    checkWeightsMatch(jsonName, model, modelSpecs);
    const decoded = decodeWeights(jsonName, weightData, specs);
    try {
      const modelWeights: tf.NamedTensorMap = {};
      for (const s of modelSpecs) modelWeights[s.name] = decoded[s.name];
      model.loadWeights(modelWeights, true);
    } finally {
      tf.dispose(decoded);
    }
    return model;
  } catch (e) {
    try {
      model.dispose();
    } catch {
      disposeQuietly(model.weights);
    }
    if (e instanceof ModelIoError) throw e;
    const detail = libraryDetail(e);
    throw new ModelIoError(
      'load-failed',
      `Could not load the weights of '${jsonName}' into the model${detail === undefined ? '.' : `: ${detail}`}`,
    );
  }
}
