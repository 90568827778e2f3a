/**
 * How a data set's rows go into an ONNX model's input: which input and output (the person picks when
 * there are several), and the layout, worked out from the input's declared shape against the data
 * set's: [N, F] as is, [N, H, W, C] channels-last (as the rows are stored), [N, C, H, W] channels-first
 * (each row transposed). Pure: no ONNX Runtime here.
 */
import { clipName, inFile, OnnxError, quote } from './onnx-error';
import type { OnnxChoice, OnnxDatasetShape, OnnxIo, OnnxLayout, OnnxModelInfo, OnnxQuestion } from './types';

const LAYOUT_NAMES: Record<OnnxLayout, string> = { flat: 'flat', nhwc: 'NHWC', nchw: 'NCHW' };

/** A declared dim the data set must match: a positive number. Symbolic, unknown (null) and -1/0 dims match anything. */
const isFixed = (d: number | string | null): d is number => typeof d === 'number' && d > 0;

export const formatDims = (dims: OnnxIo['dims']): string =>
  `[${dims
    .slice(0, 8)
    .map((d) => (d === null ? '?' : clipName(String(d))))
    .join(', ')}${dims.length > 8 ? ', …' : ''}]`;

function describeDataset(ds: OnnxDatasetShape): string {
  const features = `${ds.numFeatures} feature${ds.numFeatures === 1 ? '' : 's'} per row`;
  return ds.imageShape ? `${features} (images ${ds.imageShape.join('×')}, height×width×channels)` : features;
}

/** The per-sample dims each layout needs for this data set (channels-first and -last only for images). */
function layoutTargets(ds: OnnxDatasetShape): [OnnxLayout, number[]][] {
  const out: [OnnxLayout, number[]][] = [['flat', [ds.numFeatures]]];
  if (ds.imageShape) {
    const [h, w, c] = ds.imageShape;
    out.push(['nhwc', [h, w, c]], ['nchw', [c, h, w]]);
  }
  return out;
}

const fits = (sample: OnnxIo['dims'], target: number[]): boolean =>
  sample.length === target.length && sample.every((d, i) => !isFixed(d) || d === target[i]);

/** Whether rows in channels-last and channels-first order are the same numbers (one channel, or one pixel). */
function ordersAgree(ds: OnnxDatasetShape): boolean {
  if (!ds.imageShape) return true;
  const [h, w, c] = ds.imageShape;
  return c === 1 || h * w === 1;
}

/** The order of the numbers fed: the rows' own, or each image transposed to channels-first. */
const rowOrder = (layout: OnnxLayout, ds: OnnxDatasetShape): 'rows' | 'channels-first' =>
  layout === 'nchw' && !ordersAgree(ds) ? 'channels-first' : 'rows';

/**
 * The layouts `input` could take the rows in. Several when the declared dims fit both image orders
 * (e.g. H = W = C), or when they fit neither but hold as many elements per sample as a row (then the
 * rows are reshaped into the declared dims, kept in their order or channels first).
 */
export function candidateLayouts(input: OnnxIo, ds: OnnxDatasetShape): OnnxLayout[] {
  if (input.dims.length < 2) return [];
  const sample = input.dims.slice(1);
  // Layouts that feed the same numbers in the same shape are one answer, not a question: e.g. one
  // channel with dims all fixed. With one channel but H, W, C symbolic, [H, W, 1] and [1, H, W] differ.
  const distinct = new Map<string, OnnxLayout>();
  for (const [layout, target] of layoutTargets(ds)) {
    if (!fits(sample, target)) continue;
    const key = `${rowOrder(layout, ds)} ${(sample.every(isFixed) ? sample : target).join(',')}`;
    if (!distinct.has(key)) distinct.set(key, layout);
  }
  if (distinct.size) return [...distinct.values()];
  if (sample.every(isFixed) && sample.reduce((n, d) => n * d, 1) === ds.numFeatures) {
    return ordersAgree(ds) ? ['flat'] : ['nhwc', 'nchw'];
  }
  return [];
}

/** What the rows become for `layout`: the per-sample dims fed, and whether each row is transposed to channels-first. */
export interface OnnxFeed {
  sampleDims: number[];
  channelsFirst: boolean;
}

export function feedFor(input: OnnxIo, layout: OnnxLayout, ds: OnnxDatasetShape): OnnxFeed {
  const sample = input.dims.slice(1);
  const channelsFirst = layout === 'nchw' && !ordersAgree(ds);
  // Declared dims all fixed (e.g. [N, 1, 28, 28], or a reshape the person chose): feed exactly those.
  if (sample.every(isFixed)) return { sampleDims: sample, channelsFirst };
  // Otherwise the dims of the layout, or of another with the rows in the same order, that fit the declared ones.
  const sameOrder = layoutTargets(ds).filter(([l]) => rowOrder(l, ds) === rowOrder(layout, ds));
  const target = [...sameOrder.filter(([l]) => l === layout), ...sameOrder].find(([, t]) => fits(sample, t));
  return { sampleDims: target ? target[1] : [ds.numFeatures], channelsFirst };
}

function pick(list: OnnxIo[], wanted: string | undefined, what: 'input' | 'output', fileName: string | undefined): OnnxIo | null {
  if (wanted !== undefined) {
    const found = list.find((io) => io.name === wanted);
    if (!found) {
      const names = list
        .slice(0, 10)
        .map((io) => quote(io.name))
        .join(', ');
      const more = list.length > 10 ? ` and ${list.length - 10} more` : '';
      throw new OnnxError(inFile(fileName, `the model has no ${what} named ${quote(wanted)} (its ${what}s: ${names}${more})`));
    }
    return found;
  }
  return list.length === 1 ? list[0] : null;
}

function checkInput(input: OnnxIo, ds: OnnxDatasetShape, fileName: string | undefined): void {
  if (input.elemType !== 'float32') {
    throw new OnnxError(
      inFile(
        fileName,
        `the model's input ${quote(input.name)} takes ${input.elemType} values; only float32 inputs can be fed a data set's rows`,
      ),
    );
  }
  if (input.dims.length === 0) {
    throw new OnnxError(inFile(fileName, `the model's input ${quote(input.name)} declares no shape, so its layout cannot be worked out`));
  }
  if (input.dims.length === 1) {
    throw new OnnxError(
      inFile(
        fileName,
        `the model's input ${quote(input.name)} has shape ${formatDims(input.dims)}: one dimension, no batch dimension for the rows`,
      ),
    );
  }
  if (candidateLayouts(input, ds).length === 0) {
    throw new OnnxError(
      inFile(
        fileName,
        `the model's input ${quote(input.name)} has shape ${formatDims(input.dims)}, which does not fit the data set's ` +
          `${describeDataset(ds)}: it needs [N, ${ds.numFeatures}]${ds.imageShape ? `, [N, ${ds.imageShape.join(', ')}] or [N, ${[ds.imageShape[2], ds.imageShape[0], ds.imageShape[1]].join(', ')}]` : ''}, or as many elements per sample`,
      ),
    );
  }
}

function checkChosenLayout(input: OnnxIo, layout: OnnxLayout, ds: OnnxDatasetShape, fileName: string | undefined): void {
  if (layout !== 'flat' && !ds.imageShape) {
    throw new OnnxError(
      inFile(fileName, `the ${LAYOUT_NAMES[layout]} layout needs an image data set; this one has ${describeDataset(ds)}`),
    );
  }
  const candidates = candidateLayouts(input, ds);
  const sample = input.dims.slice(1);
  // Dims that hold as many numbers as a row take them in either order (the choice is the order); otherwise
  // the layout must fit, or give the same numbers as one that does.
  const accepted =
    candidates.includes(layout) ||
    (sample.every(isFixed) && sample.reduce((n, d) => n * d, 1) === ds.numFeatures) ||
    candidates.some((l) => rowOrder(l, ds) === rowOrder(layout, ds));
  if (!accepted) {
    throw new OnnxError(
      inFile(
        fileName,
        `the model's input ${quote(input.name)} has shape ${formatDims(input.dims)}, which does not fit the ${LAYOUT_NAMES[layout]} layout ` +
          `of the data set's ${describeDataset(ds)}`,
      ),
    );
  }
}

/** The input, output and layout `choice` settles, when it settles them all. */
export interface OnnxFit {
  input: OnnxIo;
  output: OnnxIo;
  layout: OnnxLayout;
}

function settle(info: OnnxModelInfo, ds: OnnxDatasetShape, choice: OnnxChoice): { fit: Partial<OnnxFit>; question: OnnxQuestion | null } {
  const input = pick(info.inputs, choice.input, 'input', info.fileName);
  const output = pick(info.outputs, choice.output, 'output', info.fileName);
  const question: OnnxQuestion = {};
  if (!input) question.inputs = info.inputs;
  if (!output) question.outputs = info.outputs;
  let layout: OnnxLayout | undefined;
  if (input) {
    checkInput(input, ds, info.fileName);
    if (choice.layout) {
      checkChosenLayout(input, choice.layout, ds, info.fileName);
      layout = choice.layout;
    } else {
      const candidates = candidateLayouts(input, ds);
      if (candidates.length === 1) layout = candidates[0];
      else question.layouts = candidates;
    }
  }
  const asked = question.inputs || question.outputs || question.layouts;
  return { fit: { input: input ?? undefined, output: output ?? undefined, layout }, question: asked ? question : null };
}

/** What the person must pick before the model can run, or null; throws OnnxError when nothing the model takes fits the data set. */
export function onnxQuestion(info: OnnxModelInfo, dataset: OnnxDatasetShape, choice: OnnxChoice): OnnxQuestion | null {
  return settle(info, dataset, choice).question;
}

/** The input, output and layout to run with; throws OnnxError when `choice` leaves a question open. */
export function resolveOnnxFit(info: OnnxModelInfo, dataset: OnnxDatasetShape, choice: OnnxChoice): OnnxFit {
  const { fit, question } = settle(info, dataset, choice);
  if (question || !fit.input || !fit.output || !fit.layout) {
    const open = [question?.inputs && 'input', question?.outputs && 'output', question?.layouts && 'input layout']
      .filter(Boolean)
      .join(', ');
    throw new OnnxError(inFile(info.fileName, `the model's ${open} must be chosen first`));
  }
  return { input: fit.input, output: fit.output, layout: fit.layout };
}
