/**
 * What an .onnx file holds, read from its protobuf bytes (ModelProto) without running it: inputs,
 * outputs, opset, ops, parameter count and weight size. Refuses, with an OnnxError saying what and
 * where, what ONNX Runtime could not run from one file: something that is not an ONNX model, weights
 * stored in another file (external data), an opset it does not know, a model without inputs or outputs.
 */
import { inFile, OnnxError, quote } from './onnx-error';
import { describeNotOnnx } from './not-onnx-hint';
import {
  countPackedVarints,
  forEachField,
  readString,
  readVarints,
  WIRE_BYTES,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_VARINT,
  type WireField,
  WireError,
} from './protobuf-reader';
import type { OnnxIo, OnnxModelInfo } from './types';

/**
 * The newest ai.onnx opset ONNX Runtime 1.30 runs: it refuses 27 and later at session creation
 * ("Current official support for domain ai.onnx is till opset 26", measured with a model stamped 27).
 */
export const MAX_ONNX_OPSET = 26;
/** ONNX Runtime's kernels start at opset 7; older models must be converted (onnx.version_converter). */
export const MIN_ONNX_OPSET = 7;
/** Graphs inside graphs (If / Loop / Scan bodies) deeper than this are refused rather than followed. */
const MAX_GRAPH_DEPTH = 32;

/** TensorProto.DataType → the name used in messages and OnnxIo.elemType. */
const ELEM_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
  23: 'float4e2m1',
};
/** Bytes per element of each data type (sub-byte types rounded up: only sizes shown to people depend on it). */
const ELEM_BYTES: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  14: 8,
  15: 16,
  16: 2,
};
/** Initializers that hold shapes, indices or flags rather than weights. */
const NOT_WEIGHTS = new Set([6, 7, 8, 9, 12, 13]);

/** Ops that leave a tensor's values as they are: a Softmax before them still means probabilities. */
const PASS_THROUGH = new Set(['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Cast']);

const elemTypeName = (t: number): string => ELEM_TYPES[t] ?? `type ${t}`;

interface Tensor {
  name: string;
  dataType: number;
  elements: number;
  bytes: number;
  external: boolean;
  location: string;
}

interface Graph {
  inputs: OnnxIo[];
  outputs: OnnxIo[];
  initializers: Tensor[];
  /** Names of initializers and sparse initializers: graph inputs with these names are not model inputs. */
  constants: Set<string>;
  /** Output name → the node producing it: its op type and first input. */
  producers: Map<string, { op: string; input: string | undefined }>;
}

/** Walks the bytes, with the path of the message being read so that a failure can say where. */
class OnnxReader {
  private path: string[] = [];
  readonly ops = new Set<string>();
  /** Tensors anywhere (subgraphs, Constant nodes) whose data lives in another file. */
  readonly external: { name: string; location: string }[] = [];

  constructor(readonly buf: Uint8Array) {}

  where(): string {
    if (!this.path.length) return 'the model';
    // Deep inside subgraphs the whole path is noise: its start and its end say where.
    const p = this.path.length > 8 ? [...this.path.slice(0, 4), '…', ...this.path.slice(-3)] : this.path;
    return p.join('.');
  }

  private within<T>(label: string, read: () => T): T {
    this.path.push(label);
    const out = read();
    this.path.pop();
    return out;
  }

  private expectWire(f: WireField, wire: number, what: string): void {
    if (f.wire !== wire) throw new WireError(`${what} has wire type ${f.wire}, not ${wire}`, f.start);
  }

  model(): { irVersion: number | null; graph: Graph | null; opsets: Map<string, number> } {
    let irVersion: number | null = null;
    let graph: Graph | null = null;
    const opsets = new Map<string, number>();
    forEachField(this.buf, 0, this.buf.length, (f) => {
      switch (f.field) {
        case 1:
          this.expectWire(f, WIRE_VARINT, 'ir_version');
          irVersion = f.value;
          break;
        case 2:
        case 3:
        case 4:
        case 6:
          this.expectWire(f, WIRE_BYTES, 'a producer or doc string');
          break;
        case 5:
          this.expectWire(f, WIRE_VARINT, 'model_version');
          break;
        case 7:
          this.expectWire(f, WIRE_BYTES, 'graph');
          graph = this.within('graph', () => this.graph(f, 0));
          break;
        case 8: {
          this.expectWire(f, WIRE_BYTES, 'opset_import');
          const o = this.within(`opset_import[${opsets.size}]`, () => this.opset(f));
          opsets.set(o.domain, o.version);
          break;
        }
        case 14:
        case 20:
        case 25:
          this.expectWire(f, WIRE_BYTES, 'a metadata, training or function entry');
          break;
      }
    });
    return { irVersion, graph, opsets };
  }

  private opset(m: WireField): { domain: string; version: number } {
    let domain = '';
    let version = 0;
    forEachField(this.buf, m.start, m.end, (f) => {
      if (f.field === 1 && f.wire === WIRE_BYTES) domain = readString(this.buf, f);
      else if (f.field === 2 && f.wire === WIRE_VARINT) version = f.value;
    });
    return { domain, version };
  }

  private graph(m: WireField, depth: number): Graph {
    if (depth > MAX_GRAPH_DEPTH) throw new WireError(`graphs nested more than ${MAX_GRAPH_DEPTH} deep`, m.start);
    const g: Graph = { inputs: [], outputs: [], initializers: [], constants: new Set(), producers: new Map() };
    let nodes = 0;
    forEachField(this.buf, m.start, m.end, (f) => {
      if (f.field === 1) {
        this.expectWire(f, WIRE_BYTES, 'node');
        this.within(`node[${nodes++}]`, () => this.node(f, depth, g));
      } else if (f.field === 5) {
        this.expectWire(f, WIRE_BYTES, 'initializer');
        const t = this.within(`initializer[${g.initializers.length}]`, () => this.tensor(f));
        g.initializers.push(t);
        g.constants.add(t.name);
      } else if (f.field === 15) {
        this.expectWire(f, WIRE_BYTES, 'sparse_initializer');
        // SparseTensorProto: values (1) is a TensorProto carrying the name.
        forEachField(this.buf, f.start, f.end, (s) => {
          if (s.field === 1 && s.wire === WIRE_BYTES) g.constants.add(this.within('sparse_initializer', () => this.tensor(s)).name);
        });
      } else if (f.field === 11 || f.field === 12) {
        this.expectWire(f, WIRE_BYTES, f.field === 11 ? 'input' : 'output');
        const list = f.field === 11 ? g.inputs : g.outputs;
        list.push(this.within(`${f.field === 11 ? 'input' : 'output'}[${list.length}]`, () => this.valueInfo(f)));
      }
    });
    return g;
  }

  private node(m: WireField, depth: number, g: Graph): void {
    let op = '';
    let domain = '';
    const outputs: string[] = [];
    let input: string | undefined;
    let attributes = 0;
    forEachField(this.buf, m.start, m.end, (f) => {
      if (f.field === 1 && f.wire === WIRE_BYTES) input ??= readString(this.buf, f);
      else if (f.field === 2 && f.wire === WIRE_BYTES) outputs.push(readString(this.buf, f));
      else if (f.field === 4 && f.wire === WIRE_BYTES) op = readString(this.buf, f);
      else if (f.field === 7 && f.wire === WIRE_BYTES) domain = readString(this.buf, f);
      else if (f.field === 5) {
        this.expectWire(f, WIRE_BYTES, 'attribute');
        this.within(`attribute[${attributes++}]`, () => this.attribute(f, depth));
      }
    });
    const name = domain === '' || domain === 'ai.onnx' ? op : `${domain}:${op}`;
    this.ops.add(name);
    for (const o of outputs) g.producers.set(o, { op: name, input });
  }

  /** Follows what an attribute can hold that matters here: subgraphs (their ops) and tensors (external data). */
  private attribute(m: WireField, depth: number): void {
    forEachField(this.buf, m.start, m.end, (f) => {
      if (f.wire !== WIRE_BYTES) return;
      if (f.field === 6 || f.field === 11) this.within('graph', () => this.graph(f, depth + 1));
      else if (f.field === 5 || f.field === 10) this.within('tensor', () => this.tensor(f));
    });
  }

  private tensor(m: WireField): Tensor {
    const dims: number[] = [];
    let dataType = 0;
    let name = '';
    let bytes = 0;
    let dataLocation = 0;
    let location = '';
    forEachField(this.buf, m.start, m.end, (f) => {
      switch (f.field) {
        case 1:
          readVarints(this.buf, f, dims);
          break;
        case 2:
          this.expectWire(f, WIRE_VARINT, 'data_type');
          dataType = f.value;
          break;
        case 4: // float_data: packed floats, or one fixed32 each
          bytes += f.wire === WIRE_FIXED32 ? 4 : f.end - f.start;
          break;
        case 10: // double_data
        case 11: // uint64_data
          bytes += f.wire === WIRE_FIXED64 ? 8 : f.end - f.start;
          break;
        case 5: // int32_data holds int32, int16, int8, uint8, bool, float16… each as a varint
          bytes += countPackedVarints(this.buf, f) * (ELEM_BYTES[dataType] ?? 4);
          break;
        case 7: // int64_data
          bytes += countPackedVarints(this.buf, f) * 8;
          break;
        case 8:
          if (f.wire === WIRE_BYTES) name = readString(this.buf, f);
          break;
        case 9:
          this.expectWire(f, WIRE_BYTES, 'raw_data');
          bytes += f.end - f.start;
          break;
        case 13:
          // external_data: StringStringEntryProto { key 1, value 2 }; the 'location' entry names the file.
          if (f.wire === WIRE_BYTES) {
            let key = '';
            let value = '';
            forEachField(this.buf, f.start, f.end, (e) => {
              if (e.wire !== WIRE_BYTES) return;
              if (e.field === 1) key = readString(this.buf, e);
              else if (e.field === 2) value = readString(this.buf, e);
            });
            if (key === 'location') location = value;
          }
          break;
        case 14:
          if (f.wire === WIRE_VARINT) dataLocation = f.value;
          break;
      }
    });
    const external = dataLocation === 1;
    if (external) this.external.push({ name, location });
    const elements = dims.reduce((n, d) => n * Math.max(0, d), 1);
    return { name, dataType, elements, bytes, external, location };
  }

  private valueInfo(m: WireField): OnnxIo {
    let name = '';
    let elemType = 'unknown';
    let dims: (number | string | null)[] = [];
    forEachField(this.buf, m.start, m.end, (f) => {
      if (f.field === 1 && f.wire === WIRE_BYTES) name = readString(this.buf, f);
      else if (f.field === 2 && f.wire === WIRE_BYTES) {
        // TypeProto: tensor_type 1, sequence_type 4, map_type 5, sparse_tensor_type 8, optional_type 9.
        forEachField(this.buf, f.start, f.end, (t) => {
          if (t.wire !== WIRE_BYTES) return;
          if (t.field === 1) [elemType, dims] = this.tensorType(t);
          else if (t.field === 4) elemType = 'sequence';
          else if (t.field === 5) elemType = 'map';
          else if (t.field === 8) elemType = 'sparse tensor';
          else if (t.field === 9) elemType = 'optional';
        });
      }
    });
    return { name, elemType, dims };
  }

  private tensorType(m: WireField): [string, (number | string | null)[]] {
    let elemType = 'unknown';
    const dims: (number | string | null)[] = [];
    forEachField(this.buf, m.start, m.end, (f) => {
      if (f.field === 1 && f.wire === WIRE_VARINT) elemType = elemTypeName(f.value);
      else if (f.field === 2 && f.wire === WIRE_BYTES) {
        forEachField(this.buf, f.start, f.end, (d) => {
          if (d.field !== 1 || d.wire !== WIRE_BYTES) return;
          let dim: number | string | null = null;
          forEachField(this.buf, d.start, d.end, (v) => {
            if (v.field === 1 && v.wire === WIRE_VARINT) dim = v.value < 0 ? null : v.value;
            else if (v.field === 2 && v.wire === WIRE_BYTES) dim = readString(this.buf, v);
          });
          dims.push(dim);
        });
      }
    });
    return [elemType, dims];
  }
}

/** Reads an .onnx file's description; throws OnnxError when ONNX Runtime could not run it from these bytes alone. */
export function readOnnxInfo(bytes: Uint8Array, fileName: string): OnnxModelInfo {
  const reader = new OnnxReader(bytes);
  let model: ReturnType<OnnxReader['model']>;
  try {
    model = reader.model();
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    throw new OnnxError(
      inFile(
        fileName,
        `not an ONNX model (${describeNotOnnx(bytes, `malformed protobuf at byte ${e.offset}, in ${reader.where()}: ${e.message}`)})`,
      ),
    );
  }
  const { graph, irVersion, opsets } = model;
  if (graph === null || irVersion === null) {
    const missing = graph === null ? 'no graph' : 'no IR version';
    throw new OnnxError(inFile(fileName, `not an ONNX model (${describeNotOnnx(bytes, missing)})`));
  }
  if (reader.external.length) {
    const first = reader.external[0];
    throw new OnnxError(
      inFile(
        fileName,
        `its weights are stored in another file (external data: ${quote(first.name)} in ${first.location ? quote(first.location) : 'an unnamed file'}` +
          `${reader.external.length > 1 ? ` and ${reader.external.length - 1} more` : ''}). Save the model as one file: ` +
          'onnx.save_model(model, path, save_as_external_data=False), or torch.onnx.export(..., external_data=False).',
      ),
    );
  }
  const opset = opsets.get('') ?? opsets.get('ai.onnx');
  if (opset === undefined)
    throw new OnnxError(inFile(fileName, 'the model declares no ai.onnx opset (opset_import), so ONNX Runtime cannot run it'));
  if (opset < MIN_ONNX_OPSET || opset > MAX_ONNX_OPSET) {
    throw new OnnxError(
      inFile(
        fileName,
        `ONNX opset ${opset} is not supported: ONNX Runtime 1.30 runs opsets ${MIN_ONNX_OPSET} to ${MAX_ONNX_OPSET}. ` +
          `Export again with opset_version between ${MIN_ONNX_OPSET} and ${MAX_ONNX_OPSET} (e.g. 17).`,
      ),
    );
  }
  const inputs = graph.inputs.filter((i) => !graph.constants.has(i.name));
  if (!inputs.length) throw new OnnxError(inFile(fileName, 'the model has no inputs (every graph input is a stored weight)'));
  if (!graph.outputs.length) throw new OnnxError(inFile(fileName, 'the model has no outputs'));
  const weights = graph.initializers.filter((t) => !NOT_WEIGHTS.has(t.dataType));
  const producers = graph.producers;
  const endsInSoftmax = (output: string): boolean => {
    // Through ops that pass values on unchanged (PyTorch exports sometimes end in an Identity or a Reshape).
    let name: string | undefined = output;
    for (let step = 0; step < 8 && name !== undefined; step++) {
      const node = producers.get(name);
      if (!node) return false;
      if (node.op === 'Softmax') return true;
      if (!PASS_THROUGH.has(node.op)) return false;
      name = node.input;
    }
    return false;
  };
  return {
    inputs,
    outputs: graph.outputs,
    opset,
    ops: [...reader.ops].sort(),
    params: weights.reduce((n, t) => n + t.elements, 0),
    weightBytes: graph.initializers.reduce((n, t) => n + t.bytes, 0),
    externalData: false,
    endsInSoftmax,
    fileName,
  };
}
