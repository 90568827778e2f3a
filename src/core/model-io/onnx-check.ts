import * as tf from '@tensorflow/tfjs';
import { openOrtSession } from '../onnx/ort-runtime';
import { readOnnxInfo } from '../onnx/read-onnx-info';

const CHUNK = 256;

export interface OnnxCheck {
  /** Largest |ONNX logit − TF.js logit| over every test row and class. */
  maxAbsDiff: number;
  /** The ONNX model's own test accuracy (its argmax against the labels). */
  testAccuracy: number;
}

/** Runs exported ONNX bytes in ONNX Runtime (loaded lazily) over flat rows: logits row after row. */
export async function onnxLogits(bytes: Uint8Array, x: Float32Array, numFeatures: number): Promise<Float32Array> {
  const info = readOnnxInfo(bytes, 'student.onnx');
  const { ort, session } = await openOrtSession(bytes, info, 'student.onnx');
  try {
    const n = x.length / numFeatures;
    const parts: Float32Array[] = [];
    for (let start = 0; start < n; start += CHUNK) {
      const rows = Math.min(CHUNK, n - start);
      const input = new ort.Tensor('float32', x.slice(start * numFeatures, (start + rows) * numFeatures), [rows, numFeatures]);
      const out = await session.run({ [session.inputNames[0]]: input });
      parts.push(Float32Array.from(out[session.outputNames[0]].data as Float32Array));
    }
    const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all;
  } finally {
    await session.release();
  }
}

/** The exported bytes run over the test rows and compared with the TF.js model they came from. */
export async function checkOnnxExport(
  bytes: Uint8Array,
  model: tf.LayersModel,
  xTest: tf.Tensor2D,
  yTest: tf.Tensor1D,
): Promise<OnnxCheck> {
  const [n, numFeatures] = xTest.shape;
  const labels = await yTest.data();
  const onnx = await onnxLogits(bytes, await xTest.data<'float32'>(), numFeatures);
  const reference = tf.tidy(() => model.predict(xTest) as tf.Tensor2D);
  const expected = await reference.data<'float32'>();
  reference.dispose();
  const classes = expected.length / Math.max(n, 1);
  let maxAbsDiff = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 0; j < classes; j++) {
      const k = i * classes + j;
      const d = Math.abs(onnx[k] - expected[k]);
      // A NaN must not pass as 'no difference'.
      if (!(d <= maxAbsDiff)) maxAbsDiff = Number.isNaN(d) ? Infinity : d;
      if (onnx[k] > onnx[i * classes + best]) best = j;
    }
    if (best === labels[i]) correct++;
  }
  return { maxAbsDiff, testAccuracy: n === 0 ? 0 : correct / n };
}
