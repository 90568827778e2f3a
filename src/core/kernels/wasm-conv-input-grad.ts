import * as tf from '@tensorflow/tfjs';
import { readConvGradAttrs, readShape4 } from './conv-attrs';
import { replaceWasmKernel } from '../tfjs-internals';
import { KernelScope } from './wasm-kernel-scope';

/**
 * The stock wasm Conv2DBackpropInput is a scalar C++ loop (~90 ms for the CNN student's second
 * layer at batch 128). The input gradient is itself a convolution, which the native (XNNPACK)
 * Conv2D kernel runs about 10x faster:
 *   dx[n, i, j, c] = Σ over (p, q, o) of dy'[n, i + p, j + q, o] · W[kh-1-p, kw-1-q, c, o]
 * where dy' is dy with (stride - 1) zeros inserted between its rows and columns, padded by
 * kh-1-top above (kw-1-left on the left) and by whatever makes the output exactly H×W below.
 * So: flip the filter in space, swap its channel axes, and run a stride-1 Conv2D.
 */

type Padding = [[number, number], [number, number], [number, number], [number, number]];

/** How one spatial axis of dy' is laid out: zeros around each element of dy, then conv padding. */
interface AxisPlan {
  /** Zeros before and after every element (they sum to stride - 1). */
  before: number;
  after: number;
  /** Conv2D padding of the result. */
  padLow: number;
  padHigh: number;
}

/**
 * dy' along one axis is dy with s-1 zeros between elements, padded by k-1-low in front and by
 * whatever makes the output exactly `size` long behind. Inserting zeros with PadV2 puts s-1 of
 * them around *every* element, last included, so the extra ones are taken out of that padding,
 * in front first. Null where the padding is too small for them (a 1x1 filter at stride 2 on an
 * odd size) or negative (explicit padding wider than the filter): the stock kernel does those.
 * (Cropping with Slice would be exact too, but wasm's Slice copies through JS: slower than stock.)
 */
function planAxis(size: number, k: number, s: number, outSize: number, low: number): AxisPlan | null {
  const front = k - 1 - low;
  const back = size + k - 1 - front - ((outSize - 1) * s + 1);
  const before = Math.max(0, Math.min(front, s - 1));
  const after = s - 1 - before;
  if (front < 0 || back < after) return null;
  return { before, after, padLow: front - before, padHigh: back - after };
}

/**
 * Inserts zeros around every row and column of NHWC `dy` with PadV2 on a 6-D view:
 * [n, oh, 1, ow, 1, c] → [n, oh, sh, ow, sw, c] is a reshape away from [n, oh·sh, ow·sw, c].
 */
function insertZeros(scope: KernelScope, dy: tf.TensorInfo, rows: AxisPlan, cols: AxisPlan): tf.TensorInfo {
  const [n, oh, ow, c] = dy.shape;
  const sh = rows.before + rows.after + 1;
  const sw = cols.before + cols.after + 1;
  const view = scope.reshape(dy, [n, oh, 1, ow, 1, c]);
  const paddings = [
    [0, 0],
    [0, 0],
    [rows.before, rows.after],
    [0, 0],
    [cols.before, cols.after],
    [0, 0],
  ];
  const spread = scope.run('PadV2', { x: view }, { paddings, constantValue: 0 });
  return scope.reshape(spread, [n, oh * sh, ow * sw, c]);
}

/**
 * The input gradient for NHWC tensors, or null where this formulation does not apply or does
 * not pay (see below; also a dy that does not match the forward conv): the caller then uses the
 * stock kernel, which handles those exactly.
 */
function viaConv2D(
  scope: KernelScope,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  inputShape: [number, number, number, number],
  attrs: tf.NamedAttrMap,
): tf.TensorInfo | null {
  const { strides, pad, dimRoundingMode } = readConvGradAttrs(attrs);
  const [kh, kw, inC, outC] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, [kh, kw, inC, outC], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  if (dy.shape.join() !== [inputShape[0], oh, ow, outC].join()) return null;
  const rows = planAxis(h, kh, sh, oh, top);
  const cols = planAxis(w, kw, sw, ow, left);
  if (!rows || !cols) return null;

  const spread = sh > 1 || sw > 1 ? insertZeros(scope, dy, rows, cols) : dy;
  // W[p, q, c, o] → W'[kh-1-p, kw-1-q, o, c]: a small tensor, so two copies cost nothing.
  const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = scope.transpose(flipped, [0, 1, 3, 2]);
  const paddings: Padding = [
    [0, 0],
    [rows.padLow, rows.padHigh],
    [cols.padLow, cols.padHigh],
    [0, 0],
  ];
  return scope.run('Conv2D', { x: spread, filter: swapped }, { strides: 1, dilations: 1, pad: paddings, dataFormat: 'NHWC' });
}

function fastConv2DBackpropInput(original: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs = {} }) => {
    const { dy, filter } = inputs;
    if (dy?.dtype !== 'float32' || filter?.dtype !== 'float32' || dy.shape.length !== 4 || filter.shape.length !== 4)
      return original({ inputs, backend, attrs });
    const { channelsLast } = readConvGradAttrs(attrs);
    const shape = readShape4(attrs, 'inputShape');
    // Work in NHWC: the native Conv2D takes nothing else.
    const [n, a, b, c] = shape;
    const nhwcShape: [number, number, number, number] = channelsLast ? shape : [n, b, c, a];
    if (nhwcShape.some((d) => d <= 0)) return original({ inputs, backend, attrs });
    const scope = new KernelScope(backend);
    try {
      const dys = channelsLast ? dy : scope.transpose(dy, [0, 2, 3, 1]);
      const dx = viaConv2D(scope, dys, filter, nhwcShape, attrs);
      if (!dx) return original({ inputs, backend, attrs });
      return scope.keep(channelsLast ? dx : scope.transpose(dx, [0, 3, 1, 2]));
    } finally {
      scope.dispose();
    }
  };
}

/** Re-registers the wasm Conv2DBackpropInput to run on XNNPACK's Conv2D; safe to call more than once. */
export function installWasmConvInputGradient(): void {
  replaceWasmKernel('Conv2DBackpropInput', fastConv2DBackpropInput);
}
