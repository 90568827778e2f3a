/**
 * A minimal protobuf wire-format reader: enough to walk an ONNX file's messages field by field
 * without a generated parser. Every read is bounds-checked, so malformed bytes end in a WireError
 * (never a RangeError, a huge allocation or a loop that does not end).
 */

import { strFromU8 } from 'fflate';

/** Malformed protobuf: the caller turns it into an OnnxError saying where. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export interface WireField {
  field: number;
  wire: number;
  /** The value of a varint field (int64 values past 2^53 lose precision; negative ones come out negative). */
  value: number;
  /** Where a length-delimited field's bytes (or a fixed field's) lie: [start, end). */
  start: number;
  end: number;
}

const MAX_FIELD = 2 ** 29 - 1;

/** Reads a varint at `pos` (not past `end`); returns [value, next position]. */
export function readVarint(buf: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireError('a number runs past the end', pos);
    const byte = buf[pos++];
    if (i === 9) {
      // The tenth byte carries bit 63: only an int64 written as negative sets it.
      if (byte > 1) throw new WireError('a number is longer than 64 bits', pos - 1);
      if (byte === 1) return [value - 2 ** 64, pos];
      return [value, pos];
    }
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, pos];
  }
  throw new WireError('a number is longer than 64 bits', pos);
}

/** Calls `visit` for each field of the message in buf[start, end). */
export function forEachField(buf: Uint8Array, start: number, end: number, visit: (f: WireField) => void): void {
  let pos = start;
  while (pos < end) {
    const at = pos;
    const [key, afterKey] = readVarint(buf, pos, end);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field < 1 || field > MAX_FIELD) throw new WireError(`field number ${field}`, at);
    pos = afterKey;
    let value = 0;
    let fieldStart = pos;
    switch (wire) {
      case WIRE_VARINT:
        [value, pos] = readVarint(buf, pos, end);
        fieldStart = pos;
        break;
      case WIRE_FIXED64:
        pos += 8;
        break;
      case WIRE_FIXED32:
        pos += 4;
        break;
      case WIRE_BYTES: {
        const [length, afterLength] = readVarint(buf, pos, end);
        if (length < 0 || afterLength + length > end) throw new WireError('a field runs past the end of its message', at);
        fieldStart = afterLength;
        pos = afterLength + length;
        break;
      }
      default:
        throw new WireError(`wire type ${wire}, which ONNX does not use`, at);
    }
    if (pos > end) throw new WireError('a field runs past the end of its message', at);
    visit({ field, wire, value, start: fieldStart, end: pos });
  }
}

/** Varints of a repeated scalar field, packed (one length-delimited field) or not (one field each). */
export function readVarints(buf: Uint8Array, f: WireField, into: number[]): void {
  if (f.wire === WIRE_VARINT) {
    into.push(f.value);
    return;
  }
  if (f.wire !== WIRE_BYTES) throw new WireError(`wire type ${f.wire} where numbers belong`, f.start);
  let pos = f.start;
  while (pos < f.end) {
    const [v, next] = readVarint(buf, pos, f.end);
    into.push(v);
    pos = next;
  }
}

/** How many values a packed varint field holds, without decoding them. */
export function countPackedVarints(buf: Uint8Array, f: WireField): number {
  if (f.wire === WIRE_VARINT) return 1;
  let n = 0;
  for (let i = f.start; i < f.end; i++) if (buf[i] < 0x80) n++;
  return n;
}

export const readString = (buf: Uint8Array, f: WireField): string => strFromU8(buf.subarray(f.start, f.end));
