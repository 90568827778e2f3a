import * as tf from '@tensorflow/tfjs';
import type { HintTerm } from './experiment';
import { deriveSeed } from './rng';

/**
 * FitNets hints: a student layer's output, mapped by a learned linear regressor, is pulled towards a
 * teacher layer's output. The two sub-models share their layers (and weights) with the full models,
 * so they must never be disposed themselves; only the regressor is ours to free.
 */
export interface HintModels {
  /** The student with two outputs: the hinted layer's features and the logits, from one forward pass. */
  student: tf.LayersModel;
  /** The teacher's features for a batch, flattened, without gradients. */
  teacherFeatures(x: tf.Tensor2D): tf.Tensor2D;
  /** The regressor applied to the student's features, flattened. */
  map(features: tf.Tensor): tf.Tensor2D;
  kernel: tf.Variable;
  bias: tf.Variable;
  dispose(): void;
}

/** A layer as people pick it: its index, name and output width. */
export interface LayerChoice {
  index: number;
  name: string;
  width: number;
}

function flatWidth(shape: tf.Shape | tf.Shape[]): number {
  const s = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
  return s.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
}

/** Layers whose output can serve as a hint: all but the last (the logits). */
export function hintableLayers(model: tf.LayersModel): LayerChoice[] {
  return model.layers
    .slice(0, -1)
    .map((layer, index) => ({ index, name: `${layer.name} (${layer.getClassName()})`, width: flatWidth(layer.outputShape) }));
}

function pickLayer(model: tf.LayersModel, index: number, who: string): tf.layers.Layer {
  const last = model.layers.length - 2;
  if (last < 0) throw new Error(`The ${who} has no inner layer to take a hint from (it maps inputs straight to logits).`);
  if (!Number.isInteger(index) || index < 0 || index > last) {
    throw new Error(`The ${who} hint layer must be one of its inner layers, 0 to ${last}, got ${index}.`);
  }
  return model.layers[index];
}

const flat = (t: tf.Tensor): tf.Tensor2D => tf.reshape(t, [t.shape[0], -1]);

export function hintModels(term: HintTerm, teacher: tf.LayersModel | null, student: tf.LayersModel, seed: number): HintModels {
  if (!teacher) throw new Error('Hints need a teacher whose layers can be read (a layers model): this teacher is a graph model.');
  const tLayer = pickLayer(teacher, term.teacherLayer, 'teacher');
  const sLayer = pickLayer(student, term.studentLayer, 'student');
  const teacherFeatureModel = tf.model({ inputs: teacher.inputs, outputs: tLayer.output as tf.SymbolicTensor });
  const twoHeaded = tf.model({ inputs: student.inputs, outputs: [sLayer.output as tf.SymbolicTensor, student.outputs[0]] });
  const ds = flatWidth(sLayer.outputShape);
  const dt = flatWidth(tLayer.outputShape);
  // tf.variable keeps its initial value alive unless it is made inside a tidy.
  const kernel = tf.tidy(() =>
    tf.variable(tf.initializers.glorotUniform({ seed: deriveSeed(seed, 0x41a7) }).apply([ds, dt]) as tf.Tensor2D),
  );
  const bias = tf.tidy(() => tf.variable(tf.zeros([dt])));
  return {
    student: twoHeaded,
    teacherFeatures: (x) => tf.tidy(() => flat(teacherFeatureModel.predict(x, { batchSize: x.shape[0] }) as tf.Tensor)),
    map: (features) => tf.tidy(() => tf.add(tf.matMul(flat(features), kernel), bias)),
    kernel,
    bias,
    dispose: () => tf.dispose([kernel, bias]),
  };
}
