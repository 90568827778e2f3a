import { onnx } from './onnx-proto/onnx-pb.js';

/**
 * The ONNX messages the student export writes are encoded by onnx-proto/onnx-pb.js, a protobufjs
 * static module generated (`npm run gen:onnx`) from onnx-proto/onnx-subset.proto: the fields of
 * onnx/onnx.proto (ONNX 1.14) that the export uses, with their numbers and types. A static module
 * is plain code: the page's Content-Security-Policy (no 'unsafe-eval') refuses the encoders that
 * protobufjs otherwise compiles at run time with new Function.
 */

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
export const ONNX_FLOAT16 = 10;
/** AttributeProto.AttributeType values used here. */
export const ATTR_FLOAT = 1;
export const ATTR_INT = 2;
export const ATTR_INTS = 7;

/** ModelProto bytes of a model laid out as onnx.proto's messages (snake_case field names, as in the .proto). */
export function encodeOnnxModel(model: onnx.IModelProto): Uint8Array {
  // In Node the Writer answers a Buffer, maybe a view into a shared pool: a plain copy of just these bytes.
  return Uint8Array.from(onnx.ModelProto.encode(model).finish());
}

/** What a ModelProto's bytes hold, read by the same static module (for tests and checks). */
export function decodeOnnxModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
