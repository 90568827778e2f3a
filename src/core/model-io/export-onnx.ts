import type * as tf from '@tensorflow/tfjs';
import { encodeFloat16 } from './float16';
import { studentPlan, type PlanActivation, type PlanShape, type PlanWeights, type StudentPlan } from './export-plan';
import { ATTR_INT, ATTR_INTS, ONNX_FLOAT, ONNX_FLOAT16, ONNX_INT64, encodeOnnxModel } from './onnx-schema';

export const ONNX_OPSET = 13;
/** IR version 7 is the one that came with opset 13. */
const IR_VERSION = 7;

export interface OnnxExportOptions {
  /** float16 initializers (each Cast to float32, so that the graph computes in float32), else float32. */
  weights?: 'float32' | 'float16';
  /** Stored as the model's doc_string. */
  description?: string;
}

interface Attribute {
  name: string;
  type: number;
  i?: number;
  f?: number;
  ints?: number[];
}

interface Node {
  op_type: string;
  name: string;
  input: string[];
  output: string[];
  attribute: Attribute[];
}

interface Tensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

const ints = (name: string, values: number[]): Attribute => ({ name, type: ATTR_INTS, ints: values });

/** Builds the graph node by node; tensor names are made unique by a counter. */
class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private count = 0;

  constructor(private readonly weightType: 'float32' | 'float16') {}

  name(base: string): string {
    return `${base}_${++this.count}`;
  }

  node(op: string, input: string[], attribute: Attribute[] = []): string {
    const output = this.name(op.toLowerCase());
    this.nodes.push({ op_type: op, name: `${op}_${this.nodes.length}`, input, output: [output], attribute });
    return output;
  }

  /** A float weight; with float16 weights, stored as float16 and Cast to float32 for the graph. */
  weight(base: string, values: Float32Array, dims: number[]): string {
    const name = this.name(base);
    if (this.weightType === 'float32') {
      this.initializers.push({
        name,
        dims,
        data_type: ONNX_FLOAT,
        raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
      });
      return name;
    }
    const half = encodeFloat16(values);
    this.initializers.push({ name, dims, data_type: ONNX_FLOAT16, raw_data: new Uint8Array(half.buffer) });
    return this.node('Cast', [name], [{ name: 'to', type: ATTR_INT, i: ONNX_FLOAT }]);
  }

  int64s(base: string, values: number[]): string {
    const name = this.name(base);
    const raw = new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
    this.initializers.push({ name, dims: [values.length], data_type: ONNX_INT64, raw_data: raw });
    return name;
  }
}

/** TF's [kh, kw, cin, cout] kernel as ONNX's [cout, cin, kh, kw]. */
function convKernel(w: PlanWeights): Float32Array {
  const [kh, kw, cin, cout] = w.shape;
  const out = new Float32Array(w.values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = w.values[((y * kw + x) * cin + i) * cout + o];
  return out;
}

function activate(g: GraphBuilder, x: string, activation: PlanActivation): string {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return g.node('Relu', [x]);
    case 'sigmoid':
      return g.node('Sigmoid', [x]);
    case 'tanh':
      return g.node('Tanh', [x]);
  }
}

/** Pads [top, left, bottom, right] so that ONNX's output size is TF's. */
function pads(inH: number, inW: number, outH: number, outW: number, k: [number, number], s: [number, number], pad: [number, number]) {
  const bottom = Math.max((outH - 1) * s[0] + k[0] - inH, 0) - pad[0];
  const right = Math.max((outW - 1) * s[1] + k[1] - inW, 0) - pad[1];
  return [pad[0], pad[1], Math.max(bottom, 0), Math.max(right, 0)];
}

/**
 * The graph keeps images as ONNX wants them (NCHW); the plan's shapes are TF's (NHWC), so reshapes
 * go through NHWC with a Transpose on each side, and Flatten sees TF's order.
 */
function reshape(g: GraphBuilder, x: string, from: PlanShape, to: PlanShape): string {
  let y = from.kind === 'image' ? g.node('Transpose', [x], [ints('perm', [0, 2, 3, 1])]) : x;
  const dims = to.kind === 'flat' ? [-1, to.size] : [-1, to.h, to.w, to.c];
  y = g.node('Reshape', [y, g.int64s('shape', dims)]);
  return to.kind === 'image' ? g.node('Transpose', [y], [ints('perm', [0, 3, 1, 2])]) : y;
}

function buildGraph(plan: StudentPlan, g: GraphBuilder): string {
  let x = 'input';
  let shape: PlanShape = { kind: 'flat', size: plan.inputs };
  for (const step of plan.steps) {
    switch (step.op) {
      case 'dense': {
        const inputs = [x, g.weight('kernel', step.kernel.values, step.kernel.shape)];
        if (step.bias) inputs.push(g.weight('bias', step.bias.values, step.bias.shape));
        x = activate(g, g.node('Gemm', inputs), step.activation);
        shape = { kind: 'flat', size: step.units };
        break;
      }
      case 'conv2d': {
        const [kh, kw, cin, cout] = step.kernel.shape;
        const inputs = [x, g.weight('kernel', convKernel(step.kernel), [cout, cin, kh, kw])];
        if (step.bias) inputs.push(g.weight('bias', step.bias.values, step.bias.shape));
        const { input, output } = step;
        const attrs = [
          ints('kernel_shape', step.kernelSize),
          ints('strides', step.strides),
          ints('pads', pads(input.h, input.w, output.h, output.w, step.kernelSize, step.strides, step.pad)),
        ];
        x = activate(g, g.node('Conv', inputs, attrs), step.activation);
        shape = { kind: 'image', ...output };
        break;
      }
      case 'maxpool': {
        const { input, output } = step;
        x = g.node(
          'MaxPool',
          [x],
          [
            ints('kernel_shape', step.poolSize),
            ints('strides', step.strides),
            ints('pads', pads(input.h, input.w, output.h, output.w, step.poolSize, step.strides, step.pad)),
          ],
        );
        shape = { kind: 'image', ...output };
        break;
      }
      case 'activation':
        x = activate(g, x, step.activation);
        break;
      case 'reshape':
        x = reshape(g, x, shape, step.to);
        shape = step.to;
        break;
    }
  }
  g.nodes.push({ op_type: 'Identity', name: 'logits', input: [x], output: ['logits'], attribute: [] });
  return 'logits';
}

const valueInfo = (name: string, width: number) => ({
  name,
  type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim: [{ dim_param: 'N' }, { dim_value: width }] } } },
});

/**
 * A TF.js student as ONNX ModelProto bytes (opset 13, float32 in and out): input 'input' [N, features]
 * (the flat rows the studio feeds), output 'logits' [N, classes]. Refuses, naming the layer, what it
 * cannot write (ExportPlanError).
 */
export function exportOnnx(model: tf.LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  const plan = studentPlan(model);
  const g = new GraphBuilder(options.weights ?? 'float32');
  buildGraph(plan, g);
  return encodeOnnxModel({
    ir_version: IR_VERSION,
    producer_name: 'Distill Studio',
    producer_version: '1',
    doc_string: options.description ?? '',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'distill_student',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('input', plan.inputs)],
      output: [valueInfo('logits', plan.outputs)],
    },
  });
}
