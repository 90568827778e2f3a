import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types';
import { studentPlan, type PlanActivation, type PlanStep, type PlanWeights } from './export-plan';
import { type ActivationRange, activationPoints, type StepKind } from '../quant-activations';
import { uint8Bytes, uint8Grid } from '../quantise';

/**
 * How a raw row (as the data file stores it) becomes what the student was trained on:
 * 'pixels' is MNIST's and image archives' bytes 0..255 → 0..1; 'per-feature' is a CSV's or Iris's
 * fitted FeatureScaling, x' = (x − offset[j]) / scale[j]; 'none' feeds the row as it is (toy data).
 */
export type CInputScaling = { kind: 'none' } | { kind: 'pixels' } | { kind: 'per-feature'; offset: number[]; scale: number[] };

/** The scaling the studio applied to `dataset`'s rows (MNIST and image archives have no FeatureScaling: their loaders divide bytes by 255). */
export function inputScalingOf(dataset: Pick<Dataset, 'scaling' | 'imageShape'>): CInputScaling {
  const s = dataset.scaling;
  if (s && s.kind !== 'none') return { kind: 'per-feature', offset: s.offset, scale: s.scale };
  if (!s && dataset.imageShape) return { kind: 'pixels' };
  return { kind: 'none' };
}

export interface CExportOptions {
  /** 'uint8': each weight tensor stored as bytes with its own scale and minimum (tfjs's per-tensor uint8 scheme), dequantised in the loop. */
  weights?: 'float32' | 'uint8';
  /** With uint8: one scale and minimum per output channel (a Dense kernel's units, a Conv2D's filters); biases keep one. */
  perChannel?: boolean;
  /**
   * With uint8: each hidden output rounded to its uint8 grid with these ranges, in order (the ranges
   * a student trained with "Quantise activations" learned: core/quant-activations.ts).
   */
  activationRanges?: readonly ActivationRange[] | null;
  scaling?: CInputScaling;
  /** One line on what the student is, for the header comment. */
  description?: string;
}

export interface CExport {
  header: string;
  source: string;
  /** Bytes of the static const weights (and scaling constants): flash, beside the code. */
  weightBytes: number;
  /** The two activation buffers (static float arrays): RAM. */
  ramBytes: number;
  /** An upper bound on the code, from `size` on x86-64 (gcc -O2); the target's compiler decides. */
  codeBytesEstimate: number;
}

/**
 * An upper bound on the code: `size` of distill_student.o minus its weights was 370 B (MLP 64, float32) and
 * 488 B (int8) with gcc -O2 on x86-64; a CNN adds its loops. tests/export-c.test.ts checks the bound.
 */
export const C_CODE_BYTES_ESTIMATE = 2000;

function float(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`A weight is ${v}: only finite weights can be written as C.`);
  const f = Math.fround(v);
  if (f === 0) return '0.0f';
  // 9 significant digits give back the same float32.
  const text = f.toPrecision(9);
  return `${text.includes('e') || text.includes('.') ? text : `${text}.0`}f`;
}

function list(values: ArrayLike<number>, format: (v: number) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i += 8)
    parts.push(
      `  ${Array.from(values)
        .slice(i, i + 8)
        .map(format)
        .join(', ')}`,
    );
  return parts.join(',\n');
}

interface Writer {
  decls: string[];
  calls: string[];
  weightBytes: number;
  count: number;
}

function tensor(wr: Writer, weights: PlanWeights | null, mode: 'float32' | 'uint8', what: string, perChannel: boolean): string {
  if (!weights) return 'NULL';
  const id = `w${wr.count++}`;
  const comment = `/* ${what} [${weights.shape.join(', ')}] */`;
  if (mode === 'float32') {
    wr.decls.push(`${comment}\nstatic const float ${id}_v[${weights.values.length}] = {\n${list(weights.values, float)}\n};`);
    wr.decls.push(`static const ds_tensor ${id} = { ${id}_v };`);
    wr.weightBytes += weights.values.length * 4;
  } else {
    const { q, grids } = uint8Bytes(weights.values, weights.shape, { perChannel });
    wr.decls.push(`${comment}\nstatic const unsigned char ${id}_q[${q.length}] = {\n${list(q, String)}\n};`);
    wr.decls.push(
      `static const float ${id}_s[${grids.length}] = {\n${list(
        grids.map((g) => g.scale),
        float,
      )}\n};\nstatic const float ${id}_m[${grids.length}] = {\n${list(
        grids.map((g) => g.min),
        float,
      )}\n};`,
    );
    wr.decls.push(`static const ds_tensor ${id} = { ${id}_q, ${id}_s, ${id}_m, ${grids.length} };`);
    wr.weightBytes += q.length + 8 * grids.length;
  }
  return `&${id}`;
}

const ACT: Record<PlanActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

function stepCall(wr: Writer, step: PlanStep, mode: 'float32' | 'uint8', perChannel: boolean, from: string, to: string): boolean {
  switch (step.op) {
    case 'dense': {
      const k = tensor(wr, step.kernel, mode, `dense kernel, ${step.activation}`, perChannel);
      const b = tensor(wr, step.bias, mode, 'dense bias', perChannel);
      wr.calls.push(`  ds_dense(${from}, ${to}, ${k}, ${b}, ${step.inputs}, ${step.units}, ${ACT[step.activation]});`);
      return true;
    }
    case 'conv2d': {
      const k = tensor(wr, step.kernel, mode, `conv kernel (kh, kw, in, out), ${step.activation}`, perChannel);
      const b = tensor(wr, step.bias, mode, 'conv bias', perChannel);
      const { input: i, output: o } = step;
      wr.calls.push(
        `  ds_conv2d(${from}, ${to}, ${k}, ${b}, ${i.h}, ${i.w}, ${i.c}, ${o.h}, ${o.w}, ${o.c}, ${step.kernelSize.join(', ')}, ${step.strides.join(', ')}, ${step.pad.join(', ')}, ${ACT[step.activation]});`,
      );
      return true;
    }
    case 'maxpool': {
      const { input: i, output: o } = step;
      wr.calls.push(
        `  ds_maxpool(${from}, ${to}, ${i.h}, ${i.w}, ${i.c}, ${o.h}, ${o.w}, ${step.poolSize.join(', ')}, ${step.strides.join(', ')}, ${step.pad.join(', ')});`,
      );
      return true;
    }
    case 'activation':
      if (step.activation !== 'linear') wr.calls.push(`  ds_activate(${from}, ${step.size}, ${ACT[step.activation]});`);
      return false;
    case 'reshape':
      // Row-major channels-last values are already in the order any reshape or flatten gives.
      return false;
  }
}

function stepKind(step: PlanStep): StepKind {
  if (step.op === 'dense' || step.op === 'conv2d') return 'weighted';
  return step.op === 'activation' ? 'activation' : 'other';
}

function stepOutputSize(step: PlanStep): number {
  switch (step.op) {
    case 'dense':
      return step.units;
    case 'conv2d':
    case 'maxpool':
      return step.output.h * step.output.w * step.output.c;
    case 'activation':
      return step.size;
    case 'reshape':
      return step.to.kind === 'flat' ? step.to.size : step.to.h * step.to.w * step.to.c;
  }
}

const WEIGHT_TYPE = {
  float32: `typedef struct { const float *v; } ds_tensor;
static float ds_w(const ds_tensor *t, int i) { return t->v[i]; }`,
  uint8: `/* int8 weights: each tensor's bytes q with a scale and minimum per tensor (channels 1, TF.js's uint8 scheme) or per
   output channel (the last axis: channel = i % channels), w = q * scale + min. */
typedef struct { const unsigned char *q; const float *scale; const float *min; int channels; } ds_tensor;
static float ds_w(const ds_tensor *t, int i) {
  int c = t->channels == 1 ? 0 : i % t->channels;
  return (float)t->q[i] * t->scale[c] + t->min[c];
}`,
};

const KERNELS: Record<'act' | 'activate' | 'fq' | 'dense' | 'conv2d' | 'maxpool', string> = {
  act: `static float ds_act(float x, int act) {
  switch (act) {
    case 1: return x > 0.0f ? x : 0.0f;
    case 2: return 1.0f / (1.0f + expf(-x));
    case 3: return tanhf(x);
    default: return x;
  }
}`,
  activate: `static void ds_activate(float *x, int n, int act) {
  int i;
  for (i = 0; i < n; i++) x[i] = ds_act(x[i], act);
}`,
  fq: `/* A hidden output on its uint8 grid (the range learned in training): q = floor((x - min) / scale + 0.5) in 0..255,
   x = q * scale + min, as the studio's fake quantisation computes it. The buffers stay float. */
static void ds_fq(float *x, int n, float scale, float min) {
  int i;
  for (i = 0; i < n; i++) {
    float q = floorf((x[i] - min) / scale + 0.5f);
    if (q < 0.0f) q = 0.0f;
    if (q > 255.0f) q = 255.0f;
    x[i] = q * scale + min;
  }
}`,
  dense: `/* y[o] = act(b[o] + sum_i x[i] * k[i][o]), k stored [inputs][units] as in TF.js. */
static void ds_dense(const float *x, float *y, const ds_tensor *k, const ds_tensor *b, int inputs, int units, int act) {
  int i, o;
  for (o = 0; o < units; o++) {
    float acc = b ? ds_w(b, o) : 0.0f;
    for (i = 0; i < inputs; i++) acc += x[i] * ds_w(k, i * units + o);
    y[o] = ds_act(acc, act);
  }
}`,
  conv2d: `/* Images are row-major, channels last (h, w, c); outside the image reads as 0 (TF's padding). */
static void ds_conv2d(const float *x, float *y, const ds_tensor *k, const ds_tensor *b, int ih, int iw, int ic, int oh, int ow,
                      int oc, int kh, int kw, int sh, int sw, int pt, int pl, int act) {
  int oy, ox, o, ky, kx, c;
  for (oy = 0; oy < oh; oy++)
    for (ox = 0; ox < ow; ox++)
      for (o = 0; o < oc; o++) {
        float acc = b ? ds_w(b, o) : 0.0f;
        for (ky = 0; ky < kh; ky++) {
          int iy = oy * sh - pt + ky;
          if (iy < 0 || iy >= ih) continue;
          for (kx = 0; kx < kw; kx++) {
            int ix = ox * sw - pl + kx;
            if (ix < 0 || ix >= iw) continue;
            for (c = 0; c < ic; c++) acc += x[(iy * iw + ix) * ic + c] * ds_w(k, ((ky * kw + kx) * ic + c) * oc + o);
          }
        }
        y[(oy * ow + ox) * oc + o] = ds_act(acc, act);
      }
}`,
  maxpool: `/* Padding never wins the max (TF's 'same' pooling ignores it). */
static void ds_maxpool(const float *x, float *y, int ih, int iw, int c, int oh, int ow, int ph, int pw, int sh, int sw, int pt, int pl) {
  int oy, ox, ch, ky, kx;
  for (oy = 0; oy < oh; oy++)
    for (ox = 0; ox < ow; ox++)
      for (ch = 0; ch < c; ch++) {
        float m = -INFINITY;
        for (ky = 0; ky < ph; ky++) {
          int iy = oy * sh - pt + ky;
          if (iy < 0 || iy >= ih) continue;
          for (kx = 0; kx < pw; kx++) {
            int ix = ox * sw - pl + kx;
            float v;
            if (ix < 0 || ix >= iw) continue;
            v = x[(iy * iw + ix) * c + ch];
            if (v > m) m = v;
          }
        }
        y[(oy * ow + ox) * c + ch] = m;
      }
}`,
};

function scalingDoc(scaling: CInputScaling): { define: string; doc: string; code: string; decls: string[]; bytes: number } {
  const loop = (expr: string) => `  for (i = 0; i < DISTILL_STUDENT_INPUTS; i++) ds_a[i] = ${expr};`;
  switch (scaling.kind) {
    case 'none':
      return {
        define: '1.0f',
        doc: 'the raw row is fed as it is (the studio did not scale this data set)',
        code: loop('input[i]'),
        decls: [],
        bytes: 0,
      };
    case 'pixels':
      return {
        define: '(1.0f / 255.0f)',
        doc: 'pixel bytes 0..255, one per value, row-major (height, width, channels); the model sees value / 255',
        code: loop('input[i] / 255.0f'),
        decls: [],
        bytes: 0,
      };
    case 'per-feature':
      return {
        define: '1.0f',
        doc: "each feature as the file stores it; the studio's per-feature scaling (fitted on the training split) is done here: (x - ds_offset[j]) / ds_scale[j]",
        code: loop('(input[i] - ds_offset[i]) / ds_scale[i]'),
        decls: [
          `static const float ds_offset[${scaling.offset.length}] = {\n${list(scaling.offset, float)}\n};`,
          `static const float ds_scale[${scaling.scale.length}] = {\n${list(scaling.scale, float)}\n};`,
        ],
        bytes: scaling.offset.length * 8,
      };
  }
}

/**
 * distill_student.h and distill_student.c for a TF.js student: C99, no malloc, only <math.h>; static
 * const weights (float32, or uint8 with a scale and minimum per tensor), two static activation buffers.
 * `distill_student_predict(input, logits)` takes the raw row and does the studio's scaling itself.
 */
export function exportC(model: tf.LayersModel, options: CExportOptions = {}): CExport {
  const plan = studentPlan(model);
  const mode = options.weights ?? 'float32';
  const perChannel = mode === 'uint8' && (options.perChannel ?? false);
  const ranges = mode === 'uint8' ? (options.activationRanges ?? null) : null;
  const points = activationPoints(plan.steps.map(stepKind));
  if (ranges && ranges.length !== points.filter(Boolean).length)
    throw new Error(
      `The student has ${points.filter(Boolean).length} hidden outputs to quantise, but ${ranges.length} activation ranges were given.`,
    );
  const scaling = scalingDoc(options.scaling ?? { kind: 'none' });
  const wr: Writer = { decls: [...scaling.decls], calls: [], weightBytes: scaling.bytes, count: 0 };
  let largest = plan.inputs;
  let current = 'ds_a';
  let point = 0;
  plan.steps.forEach((step, i) => {
    const next = current === 'ds_a' ? 'ds_b' : 'ds_a';
    if (stepCall(wr, step, mode, perChannel, current, next)) current = next;
    largest = Math.max(largest, stepOutputSize(step));
    if (ranges && points[i]) {
      const { scale, min } = uint8Grid(ranges[point][0], ranges[point][1]);
      wr.calls.push(`  ds_fq(${current}, ${stepOutputSize(step)}, ${float(scale)}, ${float(min)});`);
      wr.weightBytes += 8;
      point++;
    }
  });
  const ramBytes = 2 * largest * 4;
  const used = new Set(plan.steps.map((s) => s.op));
  const kernels = (['act', 'activate', 'fq', 'dense', 'conv2d', 'maxpool'] as const).filter((k) => {
    if (k === 'act') return true;
    if (k === 'activate' || k === 'fq') return wr.calls.some((c) => c.includes(`ds_${k}(`));
    return used.has(k);
  });
  const summary = [
    `${options.description ?? 'A student'} distilled in Distill Studio.`,
    `Weights: ${mode === 'uint8' ? `int8 (uint8 with a scale and minimum per ${perChannel ? 'output channel' : 'tensor'})` : 'float32'}.`,
    ...(ranges ? ['Activations: each hidden output rounded to its uint8 grid (the ranges learned in training).'] : []),
    `Flash: ${wr.weightBytes} bytes of weights (static const) + the code (under ${C_CODE_BYTES_ESTIMATE} bytes with gcc -O2 on x86-64; \`size\` on your object file says).`,
    `RAM: ${ramBytes} bytes (two static float buffers of ${largest} values), no heap, a few words of stack.`,
  ];
  const header = `/*
 * distill_student.h: ${summary.join('\n * ')}
 *
 * Input: DISTILL_STUDENT_INPUTS floats, ${scaling.doc}.
 * Output: DISTILL_STUDENT_OUTPUTS logits (the largest is the predicted class).
 * Not reentrant: the activation buffers are static.
 */
#ifndef DISTILL_STUDENT_H
#define DISTILL_STUDENT_H

#define DISTILL_STUDENT_INPUTS ${plan.inputs}
#define DISTILL_STUDENT_OUTPUTS ${plan.outputs}
/* What one unit of the raw input is worth to the model (${options.scaling?.kind === 'per-feature' ? 'per-feature scaling: see distill_student.c' : 'the model sees input * DISTILL_STUDENT_INPUT_SCALE'}). */
#define DISTILL_STUDENT_INPUT_SCALE ${scaling.define}

#ifdef __cplusplus
extern "C" {
#endif

void distill_student_predict(const float *input, float *logits);

#ifdef __cplusplus
}
#endif

#endif
`;
  const source = `/* distill_student.c: ${summary[0]} Generated: edit the model, not this file. */
#include <math.h>
#include "distill_student.h"

#ifndef NULL
#define NULL ((void *)0)
#endif

${WEIGHT_TYPE[mode]}

${kernels.map((k) => KERNELS[k]).join('\n\n')}

${wr.decls.join('\n\n')}

static float ds_a[${largest}];
static float ds_b[${largest}];

void distill_student_predict(const float *input, float *logits) {
  int i;
${scaling.code}
${wr.calls.join('\n')}
  for (i = 0; i < DISTILL_STUDENT_OUTPUTS; i++) logits[i] = ${current}[i];
}
`;
  return { header, source, weightBytes: wr.weightBytes, ramBytes, codeBytesEstimate: C_CODE_BYTES_ESTIMATE };
}
