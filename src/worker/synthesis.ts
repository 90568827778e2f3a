import type { LayersModel } from '@tensorflow/tfjs';
import type { DataTensors } from '../core/tensors';
import type { TransferData } from '../core/experiment';
import { synthesisArgs } from '../core/transfer-data/source';
import { synthesise, type SynthesisedSet, type SynthesisSnapshot } from '../core/transfer-data/synthesise';
import type { Progress } from '../core/trainer';
import type { FromWorker, SynthGrid } from './protocol';
import { drive, type RunControl } from './run-driver';

type Post = (msg: FromWorker) => void;

/** Snapshots of the images at most this often (each is a device read and a message of pixels). */
const GRID_EVERY_MS = 250;
/** Columns of the grid: the first images of each class. */
const GRID_COLUMNS = 8;

/**
 * The image grid as it forms: the first GRID_COLUMNS images of each class as uint8 pixels, scaled
 * from the training set's range. Row i of the synthesised set is class i mod classes, the
 * (i div classes)-th image of it.
 */
export class GridBuilder {
  readonly grid: SynthGrid;
  private readonly lo: number;
  private readonly span: number;

  constructor(classes: number, perClass: number, imageShape: [number, number, number], range: { min: number; max: number }) {
    const [height, width, channels] = imageShape;
    const columns = Math.min(perClass, GRID_COLUMNS);
    this.grid = {
      classes,
      columns,
      width,
      height,
      channels: channels === 3 ? 3 : 1,
      pixels: new Uint8Array(classes * columns * height * width * (channels === 3 ? 3 : 1)),
      filled: new Uint8Array(classes * columns),
    };
    this.lo = range.min;
    this.span = range.max > range.min ? range.max - range.min : 1;
  }

  /** Copies the snapshot's rows that have a place in the grid. */
  put(s: SynthesisSnapshot): void {
    const { classes, columns, width, height, channels, pixels, filled } = this.grid;
    const size = width * height * channels;
    const features = s.x.length / s.classes.length;
    for (let k = 0; k < s.classes.length; k++) {
      const column = Math.floor((s.firstRow + k) / classes);
      if (column >= columns) continue;
      const cell = s.classes[k] * columns + column;
      for (let p = 0; p < size; p++) {
        const v = s.x[k * features + p];
        pixels[cell * size + p] = Math.max(0, Math.min(255, Math.round((255 * (v - this.lo)) / this.span)));
      }
      filled[cell] = 1;
    }
  }

  /** A copy to post (the builder keeps filling its own). */
  copy(): SynthGrid {
    return { ...this.grid, pixels: this.grid.pixels.slice(), filled: this.grid.filled.slice() };
  }
}

/**
 * "Synthesised from the teacher", before distillation: the synthesis run as a phase of the run
 * (pause, resume and stop as for training; progress and its ETA as 'metrics'), its terms and the
 * image grid as 'synthesis' messages. Null when stopped, having freed what it made.
 */
export async function synthesisPhase(
  control: RunControl,
  post: Post,
  args: {
    data: TransferData & { kind: 'synthesised' };
    tensors: DataTensors;
    teacherLayers: LayersModel | null;
    numClasses: number;
    imageShape?: [number, number, number];
    seed: number;
    epochs: number;
  },
): Promise<SynthesisedSet | null> {
  const settings = await synthesisArgs({ ...args, tensors: args.tensors });
  const range = { min: Math.min(...settings.stats.min), max: Math.max(...settings.stats.max) };
  const grid = args.imageShape ? new GridBuilder(args.numClasses, args.data.perClass, args.imageShape, range) : null;
  let set: SynthesisedSet | null = null;
  let lastGrid = Number.NEGATIVE_INFINITY;
  const runId = control.runId;
  async function* events(): AsyncGenerator<{ kind: 'progress'; progress: Progress }> {
    for await (const e of synthesise(settings)) {
      if (e.kind === 'done') {
        set = e.set;
        return;
      }
      const now = performance.now();
      const batchEnd = e.done % settings.steps === 0;
      let snapshot: SynthGrid | undefined;
      if (grid && (batchEnd || now - lastGrid >= GRID_EVERY_MS)) {
        grid.put(await e.snapshot());
        lastGrid = now;
        snapshot = grid.copy();
      }
      if (e.terms || snapshot)
        post({ type: 'synthesis', runId, done: e.done, total: e.total, terms: e.terms, ...(snapshot && { grid: snapshot }) });
      yield {
        kind: 'progress',
        progress: { phase: 'synthesise', epoch: 1, epochs: args.epochs, samplesDone: e.done, samplesTotal: e.total },
      };
    }
  }
  const finished = await drive(control, events(), post, {
    losses: () => ({ kind: 'distill', points: [] }),
    epoch: () => {
      throw new Error('The synthesis has no epochs.');
    },
  });
  const made = set as SynthesisedSet | null;
  if (!finished) {
    made?.x.dispose();
    return null;
  }
  if (!made) throw new Error('The synthesis ended without a set.');
  return made;
}
