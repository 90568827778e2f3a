/**
 * Test-only: just enough of the protobuf wire format to write ONNX models in tests (varints,
 * length-delimited fields, fixed 32-bit floats). Product code never imports this.
 */
import { strToU8 } from 'fflate';

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A varint; negative numbers as 64-bit two's complement (ten bytes), as protobuf writes int64. */
export function varint(value: number): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Uint8Array.from(out);
}

const tag = (field: number, wire: number): Uint8Array => varint(field * 8 + wire);

export const intField = (field: number, value: number): Uint8Array => concatBytes([tag(field, 0), varint(value)]);

export const bytesField = (field: number, data: Uint8Array): Uint8Array => concatBytes([tag(field, 2), varint(data.length), data]);

export const stringField = (field: number, text: string): Uint8Array => bytesField(field, strToU8(text));

export const messageField = (field: number, parts: readonly Uint8Array[]): Uint8Array => bytesField(field, concatBytes(parts));

export function floatField(field: number, value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  return concatBytes([tag(field, 5), b]);
}

/** A packed repeated float field (how ONNX writers store float_data and attribute floats). */
export function packedFloats(field: number, values: ArrayLike<number>): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const view = new DataView(b.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytesField(field, b);
}

/** A packed repeated varint field (ints attributes, int64 dims). */
export const packedInts = (field: number, values: readonly number[]): Uint8Array => bytesField(field, concatBytes(values.map(varint)));

/** Float32 values as little-endian bytes (ONNX raw_data). */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const view = new DataView(b.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return b;
}
