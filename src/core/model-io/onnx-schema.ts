import protobuf from 'protobufjs/light.js';

/**
 * The ONNX messages the student export writes, as a protobufjs JSON schema: field numbers and types
 * copied from onnx/onnx.proto (ONNX 1.14), only the fields used. protobufjs encodes them.
 */
const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'AttributeType', id: 20 },
          },
          nested: {
            AttributeType: { values: { UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7 } },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            data_type: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            raw_data: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: {
          fields: { tensor_type: { type: 'Tensor', id: 1 } },
          nested: { Tensor: { fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } } },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: { type: 'int64', id: 1 }, dim_param: { type: 'string', id: 2 } },
            },
          },
        },
      },
    },
  },
};

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
export const ONNX_FLOAT16 = 10;
/** AttributeProto.AttributeType values used here. */
export const ATTR_FLOAT = 1;
export const ATTR_INT = 2;
export const ATTR_INTS = 7;

let modelType: protobuf.Type | null = null;

/** A plain constructor for each message type, set before anything resolves: else protobufjs compiles one with new Function. */
function giveConstructors(ns: protobuf.NamespaceBase): void {
  for (const child of ns.nestedArray) {
    if (child instanceof protobuf.Type) {
      // A function, not a class: protobufjs replaces its prototype, which a class's is read-only.
      child.ctor = function onnxMessage() {} as unknown as protobuf.Constructor<object>;
    }
    if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) giveConstructors(child);
  }
}

/** The ModelProto message type built from the schema, without compiling code (Root.fromJSON would, when it resolves the fields). */
export function buildOnnxModelType(): protobuf.Type {
  const root = new protobuf.Root();
  root.addJSON(SCHEMA.nested);
  giveConstructors(root);
  return root.resolveAll().lookupType('onnx.ModelProto');
}

/** The ModelProto message type, built on first use. */
export function onnxModelType(): protobuf.Type {
  modelType ??= buildOnnxModelType();
  return modelType;
}

type Scalar = 'int64' | 'int32' | 'float' | 'string' | 'bytes';

function writeScalar(w: protobuf.Writer, type: Scalar, v: unknown): void {
  switch (type) {
    case 'int64':
    case 'int32':
      w[type](Number(v));
      return;
    case 'float':
      w.float(Number(v));
      return;
    case 'string':
      w.string(String(v));
      return;
    case 'bytes':
      w.bytes(v as Uint8Array);
      return;
  }
}

function scalarOf(field: protobuf.Field): Scalar {
  if (field.resolvedType instanceof protobuf.Enum) return 'int32';
  const t = field.type;
  if (t === 'int64' || t === 'int32' || t === 'float' || t === 'string' || t === 'bytes') return t;
  throw new Error(`The ONNX schema's field ${field.name} has the type ${t}, which encodeMessage does not write.`);
}

/**
 * Writes `value` as `type` field by field from protobufjs's reflection (field numbers, wire types,
 * nested types: all from the schema) with its Writer. Not Type.encode: that one compiles an
 * encoder with new Function, which the page's Content-Security-Policy (no 'unsafe-eval') refuses.
 */
function encodeMessage(type: protobuf.Type, value: Record<string, unknown>, w: protobuf.Writer): void {
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined || v === null) continue;
    field.resolve();
    const items = field.repeated ? (v as unknown[]) : [v];
    const nested = field.resolvedType;
    if (nested instanceof protobuf.Type) {
      for (const item of items) {
        w.uint32(((field.id << 3) | 2) >>> 0).fork();
        encodeMessage(nested, item as Record<string, unknown>, w);
        w.ldelim();
      }
      continue;
    }
    const scalar = scalarOf(field);
    // One field per item: onnx.proto is proto2, whose repeated numbers are unpacked unless marked (none here is).
    for (const item of items) {
      w.uint32(((field.id << 3) | protobuf.types.basic[scalar]) >>> 0);
      writeScalar(w, scalar, item);
    }
  }
}

/** ModelProto bytes of a plain object laid out as the schema's messages (snake_case field names). */
export function encodeOnnxModel(model: Record<string, unknown>): Uint8Array {
  const w = protobuf.Writer.create();
  encodeMessage(onnxModelType(), model, w);
  // In Node the Writer answers a Buffer, maybe a view into a shared pool: a plain copy of just these bytes.
  return Uint8Array.from(w.finish());
}
