import type * as tf from '@tensorflow/tfjs';

/** Kernel attributes arrive untyped (NamedAttrMap): these read them with checks instead of casts. */

type Pad = tf.Conv2DBackpropFilterAttrs['pad'];
type Rounding = tf.Conv2DBackpropFilterAttrs['dimRoundingMode'];
export type Shape4 = [number, number, number, number];

export interface ConvGradAttrs {
  strides: [number, number];
  pad: Pad;
  channelsLast: boolean;
  dimRoundingMode: Rounding;
}

const isNumber = (v: unknown): v is number => typeof v === 'number';

function numbers(v: tf.Attribute | undefined, name: string, length: number): number[] {
  if (!Array.isArray(v) || v.length !== length || !v.every(isNumber))
    throw new Error(`Expected ${name} to be ${length} numbers, got ${JSON.stringify(v)}.`);
  return v;
}

export function readShape4(attrs: tf.NamedAttrMap, name: string): Shape4 {
  const [a, b, c, d] = numbers(attrs[name], name, 4);
  return [a, b, c, d];
}

function readPad(v: tf.Attribute | undefined): Pad {
  // Strings index like arrays, so comparing narrows no further than a literal return does.
  if (v === 'same') return 'same';
  if (v === 'valid') return 'valid';
  if (isNumber(v)) return v;
  if (Array.isArray(v) && v.length === 4) {
    const [n, h, w, c] = v.map((p, i) => numbers(p, `pad[${i}]`, 2));
    return [
      [n[0], n[1]],
      [h[0], h[1]],
      [w[0], w[1]],
      [c[0], c[1]],
    ];
  }
  throw new Error(`Unsupported conv padding ${JSON.stringify(v)}.`);
}

function readRounding(v: tf.Attribute | undefined): Rounding {
  if (v == null) return undefined;
  if (v === 'floor') return 'floor';
  if (v === 'round') return 'round';
  if (v === 'ceil') return 'ceil';
  throw new Error(`Unsupported dimRoundingMode ${JSON.stringify(v)}.`);
}

export function readConvGradAttrs(attrs: tf.NamedAttrMap): ConvGradAttrs {
  const s = attrs.strides;
  const [sh, sw] = isNumber(s) ? [s, s] : numbers(s, 'strides', 2);
  const format = attrs.dataFormat ?? 'NHWC';
  if (format !== 'NHWC' && format !== 'NCHW') throw new Error(`Unsupported data format ${JSON.stringify(format)}.`);
  return {
    strides: [sh, sw],
    pad: readPad(attrs.pad),
    channelsLast: format === 'NHWC',
    dimRoundingMode: readRounding(attrs.dimRoundingMode),
  };
}
