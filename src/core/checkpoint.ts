import * as tf from '@tensorflow/tfjs';

/**
 * Per-epoch checkpoints of the models a run trains, held as plain typed arrays in JS memory: a
 * copy that survives the backend it was read from (a lost GPU device, a wasm module out of
 * memory), so the run can go on from the end of the last whole epoch on another backend.
 * Optimiser state (Adam's moments) is not kept: a resumed run starts its optimiser afresh.
 */

export interface WeightSnapshot {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

export interface Checkpoint<K extends string = string> {
  /** Epochs finished when it was taken (0: the starting weights). */
  epoch: number;
  models: Record<K, WeightSnapshot[]>;
}

/** Every weight of `model` (trainable or not), in getWeights() order, read off the backend. */
export async function captureWeights(model: tf.LayersModel): Promise<WeightSnapshot[]> {
  const snapshots: WeightSnapshot[] = [];
  for (const w of model.weights) {
    const value = w.read();
    const dtype = value.dtype === 'int32' ? 'int32' : 'float32';
    if (value.dtype !== 'float32' && value.dtype !== 'int32') throw new Error(`Cannot checkpoint weight ${w.name}: dtype ${value.dtype}.`);
    // data() hands back a copy: the snapshot owns it, whatever happens to the backend afterwards.
    const values = (await value.data()) as Float32Array | Int32Array;
    snapshots.push({ name: w.originalName, shape: [...value.shape], dtype, values });
  }
  return snapshots;
}

export async function captureCheckpoint<K extends string>(epoch: number, models: Record<K, tf.LayersModel>): Promise<Checkpoint<K>> {
  const out = {} as Record<K, WeightSnapshot[]>;
  for (const key of Object.keys(models) as K[]) out[key] = await captureWeights(models[key]);
  return { epoch, models: out };
}

/** Writes `snapshots` into `model`, on whatever backend is active now; shapes must match one for one. */
export function restoreWeights(model: tf.LayersModel, snapshots: WeightSnapshot[]): void {
  const weights = model.weights;
  if (weights.length !== snapshots.length) throw new Error(`The checkpoint has ${snapshots.length} weights, the model ${weights.length}.`);
  weights.forEach((w, i) => {
    const s = snapshots[i];
    if (w.shape.length !== s.shape.length || w.shape.some((d, j) => d !== s.shape[j])) {
      throw new Error(`Checkpoint weight ${s.name} has shape [${s.shape}], the model's ${w.originalName} [${w.shape}].`);
    }
  });
  const tensors = snapshots.map((s) => tf.tensor(s.values, s.shape, s.dtype));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors); // setWeights copies into the model's variables
  }
}

/** A model's architecture alone, as model.json's topology: plain JSON, read from its configuration (no tensor). */
export type Architecture = tf.io.ModelArtifacts['modelTopology'];

export function architectureOf(model: tf.LayersModel): Architecture {
  const json = model.toJSON(null, false);
  return (typeof json === 'string' ? JSON.parse(json) : json) as Architecture;
}

/** A new model of `architecture` on the active backend, with `snapshots` as its weights. */
export async function modelFrom(architecture: Architecture, snapshots: WeightSnapshot[]): Promise<tf.LayersModel> {
  // A deep copy: loading may annotate the topology it is given.
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: JSON.parse(JSON.stringify(architecture)) as Architecture }));
  try {
    restoreWeights(model, snapshots);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** `model`'s architecture with the checkpoint's weights, on the active backend (the old model is only read for its configuration). */
export function restoreModel(model: tf.LayersModel, snapshots: WeightSnapshot[]): Promise<tf.LayersModel> {
  return modelFrom(architectureOf(model), snapshots);
}

/** Disposes tensors or models that may live on a backend that no longer works: a failure there changes nothing. */
export function disposeQuietly(...items: Array<{ dispose(): void } | null | undefined>): void {
  for (const item of items) {
    try {
      item?.dispose();
    } catch {
      // The backend is gone; its memory goes with it.
    }
  }
}
