/**
 * Runs a data set's rows through an ONNX Runtime session in chunks: each chunk read from the tfjs
 * tensor (a slice, disposed at once), laid out as the model's input wants (channels-first when asked),
 * padded to a fixed batch size when the model has one, and its output checked to be [rows, classes].
 * One run at a time per session: ONNX Runtime's wasm sessions do not take overlapping runs.
 */
import type * as tf from '@tensorflow/tfjs';
import type { OnnxFeed } from './onnx-layout';
import { formatDims } from './onnx-layout';
import { inFile, OnnxError, quote } from './onnx-error';
import type { OrtRuntime } from './ort-runtime';

/** Rows per run when the batch dimension is free: big enough to amortise a run's overhead, small enough for any image size here. */
export const ONNX_CHUNK_ROWS = 256;

export interface RowRunnerConfig {
  input: string;
  output: string;
  feed: OnnxFeed;
  /** The model's batch size when its input declares a fixed one; null when dynamic. */
  fixedBatch: number | null;
  numClasses: number;
  fileName: string;
  imageShape?: [number, number, number];
}

/**
 * Rows are read from the tensor in blocks of about this many values (16 MB), then fed in chunks: each
 * read of a slice has a large fixed cost on the wasm backend (measured in the product build, MNIST-10k,
 * a loaded machine: 256-row slices took 11 of the 12 s spent on 8000 rows; 5120-row blocks take 2.4 s),
 * while reading the whole set at once would copy all of it.
 */
const READ_BLOCK_VALUES = 4 * 1024 * 1024;

async function readRows(x: tf.Tensor2D, start: number, rows: number): Promise<{ values: Float32Array; rows: number }> {
  const part = x.slice([start, 0], [rows, x.shape[1]]);
  try {
    return { values: (await part.data()) as Float32Array, rows };
  } finally {
    part.dispose();
  }
}

/** Copies `rows` rows of HWC images from `src` into `dst` as CHW. */
function toChannelsFirst(src: Float32Array, dst: Float32Array, rows: number, [h, w, c]: [number, number, number]): void {
  const size = h * w * c;
  for (let r = 0; r < rows; r++) {
    const base = r * size;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const from = base + (y * w + x) * c;
        for (let ch = 0; ch < c; ch++) dst[base + ch * h * w + y * w + x] = src[from + ch];
      }
    }
  }
}

export class OnnxRowRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private released = false;

  constructor(
    private readonly runtime: OrtRuntime,
    private readonly config: RowRunnerConfig,
  ) {}

  /** Logits-or-probabilities [rows, classes] of `x`'s rows, row-major; `onRows(done)` after each chunk. */
  run(x: tf.Tensor2D, onRows?: (done: number) => void): Promise<Float32Array> {
    const next = this.queue.then(() => this.runNow(x, onRows));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(x: tf.Tensor2D, onRows?: (done: number) => void): Promise<Float32Array> {
    if (this.released) throw new OnnxError(inFile(this.config.fileName, 'the ONNX model was already released'));
    const { feed, fixedBatch, numClasses } = this.config;
    const [n, features] = x.shape;
    const out = new Float32Array(n * numClasses);
    const chunk = fixedBatch ?? ONNX_CHUNK_ROWS;
    const blockRows = chunk * Math.max(1, Math.floor(READ_BLOCK_VALUES / Math.max(1, features) / chunk));
    for (let blockStart = 0; blockStart < n; blockStart += blockRows) {
      const block = await readRows(x, blockStart, Math.min(blockRows, n - blockStart));
      for (let at = 0; at < block.rows; at += chunk) {
        const rows = Math.min(chunk, block.rows - at);
        const values = block.values.subarray(at * features, (at + rows) * features);
        const batch = fixedBatch ?? rows;
        const input = new Float32Array(batch * features);
        if (feed.channelsFirst && this.config.imageShape) toChannelsFirst(values, input, rows, this.config.imageShape);
        else input.set(values);
        const scores = await this.runChunk(input, batch, rows);
        const start = blockStart + at;
        out.set(scores, start * numClasses);
        onRows?.(start + rows);
      }
    }
    return out;
  }

  private async runChunk(input: Float32Array, batch: number, rows: number): Promise<Float32Array> {
    const { ort, session } = this.runtime;
    const { fileName, numClasses, output } = this.config;
    const tensor = new ort.Tensor('float32', input, [batch, ...this.config.feed.sampleDims]);
    let results: Awaited<ReturnType<typeof session.run>>;
    try {
      results = await session.run({ [this.config.input]: tensor }, [output]);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw new OnnxError(
        inFile(fileName, `ONNX Runtime failed to run the model on a batch of ${batch} rows (${detail.replace(/\s+/g, ' ').slice(0, 300)})`),
      );
    } finally {
      tensor.dispose();
    }
    const result = results[output];
    try {
      const dims = [...result.dims];
      if (dims.length !== 2 || dims[0] !== batch || dims[1] !== numClasses) {
        throw new OnnxError(
          inFile(
            fileName,
            `the model's output ${quote(output)} has shape ${formatDims(dims)} for a batch of ${batch} rows; it must be [${batch}, ${numClasses}]: ` +
              `one score per class of the data set (${numClasses} classes)`,
          ),
        );
      }
      if (result.type !== 'float32') {
        throw new OnnxError(inFile(fileName, `the model's output ${quote(output)} gives ${result.type} values; float32 scores are needed`));
      }
      return (result.data as Float32Array).slice(0, rows * numClasses);
    } finally {
      result.dispose();
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue;
    await this.runtime.session.release();
  }
}
