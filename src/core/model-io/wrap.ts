import * as tf from '@tensorflow/tfjs';
import { errorText } from '../error-text';
import { ModelIoError, clip, formatShape, libraryDetail } from './errors';
import type { ImportedModel } from './types';

/** What a loaded model must provide for the studio to use it. */
export interface Predictor {
  kind: 'layers' | 'graph';
  /** Per-sample input shape, fully known. */
  inputShape: number[];
  /** True when the structure says the output is a softmax. */
  structuralSoftmax: boolean;
  /** Raw outputs for a batch shaped [n, ...inputShape]. */
  run(x: tf.Tensor): tf.Tensor;
  dispose(): void;
  layersModel?: tf.LayersModel;
}

const PROBE_ROWS = 8;
const BATCH = 1000;
const PROB_FLOOR = 1e-7;

/** Turns tfjs's run-time errors into the studio's named ones. */
export function runError(e: unknown): ModelIoError {
  if (e instanceof ModelIoError) return e;
  const message = errorText(e);
  // tfjs 4.x says "Unknown op 'X'"; older versions said "Op is not supported: X".
  const op = /Unknown op '([^']+)'/.exec(message) ?? /Op is not supported: (\S+)/.exec(message);
  if (op)
    return new ModelIoError(
      'unknown-op',
      `Unknown operation '${clip(op[1])}': this graph model uses an op that TensorFlow.js cannot run, so the studio cannot use it.`,
    );
  if (/executeAsync/.test(message)) {
    return new ModelIoError(
      'unsupported-model',
      'This graph model uses dynamic control flow (it needs executeAsync); the studio runs models synchronously and cannot use it.',
    );
  }
  const detail = libraryDetail(e);
  return new ModelIoError(
    'load-failed',
    detail === undefined
      ? 'The model failed on a test input: its structure has fields of the wrong type or missing, so TensorFlow.js cannot run it.'
      : `The model failed on a test input: ${detail}`,
  );
}

/** Rows non-negative and summing to 1 within 1e-3: a softmax that the structure did not show. */
async function looksLikeProbabilities(out: tf.Tensor2D): Promise<boolean> {
  if (out.shape[1] < 2) return false;
  const stats = tf.tidy(() => tf.stack([tf.min(out), tf.max(tf.abs(tf.sub(tf.sum(out, 1), 1)))]));
  const [minValue, maxDeviation] = await stats.data();
  stats.dispose();
  return minValue >= 0 && maxDeviation <= 1e-3;
}

/** Runs seeded random inputs through the model to learn its output width and whether it emits probabilities. */
async function probe(p: Predictor): Promise<{ numOutputs: number; probabilities: boolean }> {
  let out: tf.Tensor;
  try {
    out = tf.tidy(() => {
      const o: unknown = p.run(tf.randomUniform([PROBE_ROWS, ...p.inputShape], 0, 1, 'float32', 7));
      // A graph whose output depends on itself computes nothing: tfjs then returns undefined.
      if (!(o instanceof tf.Tensor))
        throw new ModelIoError(
          'unsupported-model',
          'The model computed no output for a test input: its graph does not lead from the input to the output.',
        );
      return o;
    });
  } catch (e) {
    throw runError(e);
  }
  try {
    if (out.rank !== 2 || out.shape[0] !== PROBE_ROWS) {
      throw new ModelIoError(
        'unsupported-model',
        `The model's output has shape ${formatShape([null, ...out.shape.slice(1)])}; the studio needs one vector of class scores per sample ([batch, classes]).`,
      );
    }
    const out2 = out as tf.Tensor2D;
    const probabilities = p.structuralSoftmax || (await looksLikeProbabilities(out2));
    return { numOutputs: out2.shape[1], probabilities };
  } finally {
    out.dispose();
  }
}

/** The uniform wrapper: flat rows in, logits out, in batches, whatever the model's input shape. */
export async function wrapPredictor(p: Predictor): Promise<ImportedModel> {
  const { numOutputs, probabilities } = await probe(p);
  const inputSize = p.inputShape.reduce((a, b) => a * b, 1);
  let disposed = false;
  return {
    kind: p.kind,
    inputShape: p.inputShape,
    numOutputs,
    outputsProbabilities: probabilities,
    layersModel: p.layersModel,
    predictLogits(x: tf.Tensor2D): tf.Tensor2D {
      if (x.shape[1] !== inputSize) {
        throw new ModelIoError(
          'input-mismatch',
          `The model expects inputs of shape ${formatShape(p.inputShape)} (${inputSize} values) but got rows of ${x.shape[1]} values.`,
        );
      }
      if (x.shape[0] === 0) return tf.zeros([0, numOutputs]);
      return tf.tidy(() => {
        const parts: tf.Tensor2D[] = [];
        for (let start = 0; start < x.shape[0]; start += BATCH) {
          const size = Math.min(BATCH, x.shape[0] - start);
          const rows = size === x.shape[0] ? x : tf.slice(x, [start, 0], [size, inputSize]);
          const out = p.run(tf.reshape(rows, [size, ...p.inputShape])) as tf.Tensor2D;
          // log p is a valid logit vector: softmax(log p) = p, so losses built on logits see the same distribution.
          parts.push(probabilities ? tf.log(tf.clipByValue(out, PROB_FLOOR, 1)) : out);
        }
        return parts.length === 1 ? parts[0] : tf.concat(parts, 0);
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      p.dispose();
    },
  };
}
