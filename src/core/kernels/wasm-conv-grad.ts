import * as tf from '@tensorflow/tfjs';
import { readConvGradAttrs, readShape4 } from './conv-attrs';
import { addMissingWasmKernel } from '../tfjs-internals';
import { KernelScope } from './wasm-kernel-scope';

/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, so no conv layer can train there. The filter
 * gradient is itself a convolution, which the native (XNNPACK) Conv2D kernel runs fast:
 *   dW[i, j, c, o] = Σ over (n, y, x) of x[n, y·sh + i, x·sw + j, c] · dy[n, y, x, o]
 * is Conv2D with the roles swapped: input x as [c, H, W, n] (channels as the batch, the batch as
 * channels), filter dy as [y, x, n, o], dilated by the forward stride, giving [c, i, j, o].
 * (An im2col through GatherV2 was ~17x slower: the wasm Gather copies element by element.)
 */
const conv2DBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const { x, dy } = inputs;
  if (x?.dtype !== 'float32' || dy?.dtype !== 'float32') throw new Error('Conv2DBackpropFilter on wasm needs float32 x and dy.');
  const { strides, pad, channelsLast, dimRoundingMode } = readConvGradAttrs(attrs);
  const filterShape = readShape4(attrs, 'filterShape');
  const scope = new KernelScope(backend);
  try {
    const xs = channelsLast ? x : scope.transpose(x, [0, 2, 3, 1]);
    const dys = channelsLast ? dy : scope.transpose(dy, [0, 2, 3, 1]);
    const [n, h, w, inC] = xs.shape;
    const [kh, kw, , outC] = filterShape;
    const info = tf.backend_util.computeConv2DInfo([n, h, w, inC], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
    const { top, left } = info.padInfo;
    const dyShape = [n, oh, ow, outC];
    if (dys.shape.join() !== dyShape.join()) throw new Error(`Conv2DBackpropFilter: dy has shape ${dys.shape}, expected ${dyShape}.`);
    // Pad exactly as far as the patches reach, so that the result is kh×kw; rows or columns that
    // the forward conv never read (valid padding with a stride) make it larger and are cropped.
    const bottom = Math.max(0, (oh - 1) * sh + kh - h - top);
    const right = Math.max(0, (ow - 1) * sw + kw - w - left);

    const planes = scope.transpose(xs, [3, 1, 2, 0]);
    const dyFilter = scope.transpose(dys, [1, 2, 0, 3]);
    const paddings = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    let dw = scope.run('Conv2D', { x: planes, filter: dyFilter }, { strides: 1, dilations: [sh, sw], pad: paddings, dataFormat: 'NHWC' });
    if (dw.shape[1] !== kh || dw.shape[2] !== kw) dw = scope.run('Slice', { x: dw }, { begin: [0, 0, 0, 0], size: [inC, kh, kw, outC] });
    return scope.keep(scope.transpose(dw, [1, 2, 0, 3]));
  } finally {
    scope.dispose();
  }
};

/** Registers the conv gradient kernels the wasm backend lacks; does nothing for those it has. */
export function installWasmConvGradients(): void {
  addMissingWasmKernel('Conv2DBackpropFilter', conv2DBackpropFilter);
}
