/**
 * A minimal Protocol Buffers wire-format codec: enough to read, rewrite and write ONNX
 * files with no protobuf library and no generated code.
 *
 * Convention (the protobuf encoding spec): a message is a run of fields, each a varint
 * tag (field number << 3 | wire type) then its payload: a varint (wire type 0), 8
 * little-endian bytes (1), a varint length and that many bytes (2: strings, bytes,
 * embedded messages, packed repeated scalars) or 4 little-endian bytes (5). Groups
 * (wire types 3 and 4, deprecated, unused by ONNX) are rejected.
 *
 * Decoding is lossless: a message decodes to its fields in file order, each with its
 * number, wire type, payload bytes and the exact bytes it was read from (`raw`, views
 * into the input, nothing is copied). Encoding writes a field's `raw` bytes back as they
 * are, so fields nobody models, and every field left untouched, survive a rewrite byte for
 * byte. To change a field, replace it with a new one (built by the writers below, which
 * have no `raw`). Repeated scalars read the same packed or not, as parsers must.
 */

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;
export type WireType = typeof WIRE_VARINT | typeof WIRE_I64 | typeof WIRE_LEN | typeof WIRE_I32;

export interface Field {
  readonly number: number;
  readonly wire: WireType;
  /** The payload: a varint's bytes, 8 or 4 little-endian bytes, or a length-delimited field's contents. */
  readonly data: Uint8Array;
  /** The bytes the field was decoded from (tag, length, payload), written back unchanged by encodeMessage. */
  readonly raw?: Uint8Array;
}

/** A message: its fields, in order. */
export type Message = readonly Field[];

/** Bytes that are not a well-formed protobuf message (where and why in the message). */
export class ProtoError extends Error {
  override readonly name = 'ProtoError';
}

// ---------------------------------------------------------------------------------------
// Decoding

/** The fields of a message. Throws ProtoError for bytes that are not a well-formed message. */
export function decodeMessage(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  const end = bytes.length;
  let pos = 0;
  while (pos < end) {
    const start = pos;
    let tag = 0;
    let scale = 1;
    for (;;) {
      if (pos >= end) throw new ProtoError(`truncated field tag at byte ${start}`);
      const b = bytes[pos++]!;
      tag += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
      if (pos - start >= 5) throw new ProtoError(`field tag too long at byte ${start}`);
    }
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    if (number === 0 || number > 0x1fffffff) throw new ProtoError(`invalid field number ${number} at byte ${start}`);
    let dataStart = pos;
    switch (wire) {
      case WIRE_VARINT: {
        for (;;) {
          if (pos >= end) throw new ProtoError(`truncated varint (field ${number}) at byte ${dataStart}`);
          if (bytes[pos++]! < 0x80) break;
          if (pos - dataStart >= 10) throw new ProtoError(`varint longer than 10 bytes (field ${number}) at byte ${dataStart}`);
        }
        break;
      }
      case WIRE_I64:
        pos += 8;
        break;
      case WIRE_I32:
        pos += 4;
        break;
      case WIRE_LEN: {
        let length = 0;
        let lscale = 1;
        for (;;) {
          if (pos >= end) throw new ProtoError(`truncated length (field ${number}) at byte ${dataStart}`);
          const b = bytes[pos++]!;
          length += (b & 0x7f) * lscale;
          if (b < 0x80) break;
          lscale *= 128;
          if (pos - dataStart >= 10) throw new ProtoError(`length varint too long (field ${number}) at byte ${dataStart}`);
        }
        dataStart = pos;
        pos += length;
        break;
      }
      default:
        throw new ProtoError(`unsupported wire type ${wire} (field ${number}) at byte ${start}`);
    }
    if (pos > end)
      throw new ProtoError(
        `field ${number} at byte ${start} runs past the end (${pos - end} bytes missing): the data is truncated or not protobuf`,
      );
    fields.push({ number, wire: wire as WireType, data: bytes.subarray(dataStart, pos), raw: bytes.subarray(start, pos) });
  }
  return fields;
}

/** The value of varint bytes (unsigned, up to 64 bits). */
function readVarint(data: Uint8Array, pos: number): { value: bigint; next: number } {
  // Fast path: values below 2^28 fit in plain numbers.
  let value = 0;
  let i = pos;
  for (let shift = 0; shift < 28; shift += 7) {
    if (i >= data.length) throw new ProtoError('truncated varint');
    const b = data[i++]!;
    value |= (b & 0x7f) << shift;
    if (b < 0x80) return { value: BigInt(value >>> 0), next: i };
  }
  let big = BigInt(value >>> 0);
  for (let shift = 28n; ; shift += 7n) {
    if (i >= data.length) throw new ProtoError('truncated varint');
    if (shift > 63n) throw new ProtoError('varint longer than 10 bytes');
    const b = data[i++]!;
    big |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return { value: BigInt.asUintN(64, big), next: i };
  }
}

function expectWire(field: Field, wire: WireType, what: string): void {
  if (field.wire !== wire) throw new ProtoError(`field ${field.number} has wire type ${field.wire}, expected ${wire} (${what})`);
}

/** An unsigned 64-bit value (varint, or fixed64). */
export function fieldUint64(field: Field): bigint {
  if (field.wire === WIRE_I64) return new DataView(field.data.buffer, field.data.byteOffset, 8).getBigUint64(0, true);
  expectWire(field, WIRE_VARINT, 'integer');
  return readVarint(field.data, 0).value;
}

/** A signed 64-bit value (int64, int32 and enums: negative values are sign-extended varints). */
export function fieldInt64(field: Field): bigint {
  return BigInt.asIntN(64, fieldUint64(field));
}

/** A signed integer as a number (int32, enums; int64 values beyond 2^53 lose precision). */
export function fieldInt(field: Field): number {
  return Number(fieldInt64(field));
}

/** A float (wire type 5). */
export function fieldFloat(field: Field): number {
  expectWire(field, WIRE_I32, 'float');
  return new DataView(field.data.buffer, field.data.byteOffset, 4).getFloat32(0, true);
}

/** A double (wire type 1). */
export function fieldDouble(field: Field): number {
  expectWire(field, WIRE_I64, 'double');
  return new DataView(field.data.buffer, field.data.byteOffset, 8).getFloat64(0, true);
}

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** A string (UTF-8; invalid sequences read as U+FFFD). */
export function fieldString(field: Field): string {
  expectWire(field, WIRE_LEN, 'string');
  return utf8Decoder.decode(field.data);
}

/** A bytes field's contents (a view, not a copy). */
export function fieldBytes(field: Field): Uint8Array {
  expectWire(field, WIRE_LEN, 'bytes');
  return field.data;
}

/** An embedded message's fields. */
export function fieldMessage(field: Field): Field[] {
  expectWire(field, WIRE_LEN, 'message');
  return decodeMessage(field.data);
}

/** Every field numbered `number`, in order. */
export function fieldsNumbered(message: Message, number: number): Field[] {
  return message.filter((f) => f.number === number);
}

/** The last field numbered `number` (a non-repeated field's value: the last one wins), or undefined. */
export function lastField(message: Message, number: number): Field | undefined {
  for (let i = message.length - 1; i >= 0; i--) if (message[i]!.number === number) return message[i];
  return undefined;
}

/** Every value of a repeated varint field, packed or not (unsigned; see BigInt.asIntN for signed). */
export function repeatedVarints(message: Message, number: number): bigint[] {
  const out: bigint[] = [];
  for (const field of message) {
    if (field.number !== number) continue;
    if (field.wire === WIRE_LEN) {
      for (let pos = 0; pos < field.data.length;) {
        const { value, next } = readVarint(field.data, pos);
        out.push(value);
        pos = next;
      }
    } else out.push(fieldUint64(field));
  }
  return out;
}

/** Every value of a repeated float field, packed or not. */
export function repeatedFloats(message: Message, number: number): number[] {
  const out: number[] = [];
  for (const field of message) {
    if (field.number !== number) continue;
    if (field.wire === WIRE_LEN) {
      if (field.data.length % 4 !== 0) throw new ProtoError(`packed floats (field ${number}) of ${field.data.length} bytes`);
      const view = new DataView(field.data.buffer, field.data.byteOffset, field.data.length);
      for (let pos = 0; pos < field.data.length; pos += 4) out.push(view.getFloat32(pos, true));
    } else out.push(fieldFloat(field));
  }
  return out;
}

/** Every value of a repeated double field, packed or not. */
export function repeatedDoubles(message: Message, number: number): number[] {
  const out: number[] = [];
  for (const field of message) {
    if (field.number !== number) continue;
    if (field.wire === WIRE_LEN) {
      if (field.data.length % 8 !== 0) throw new ProtoError(`packed doubles (field ${number}) of ${field.data.length} bytes`);
      const view = new DataView(field.data.buffer, field.data.byteOffset, field.data.length);
      for (let pos = 0; pos < field.data.length; pos += 8) out.push(view.getFloat64(pos, true));
    } else out.push(fieldDouble(field));
  }
  return out;
}

/** Every value of a repeated string field. */
export function repeatedStrings(message: Message, number: number): string[] {
  return fieldsNumbered(message, number).map(fieldString);
}

// ---------------------------------------------------------------------------------------
// Encoding

function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeVarintNumber(out: Uint8Array, pos: number, value: number): number {
  while (value >= 128) {
    out[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  out[pos++] = value;
  return pos;
}

/** The varint bytes of a value: non-negative, or negative as its 64-bit two's complement (10 bytes). */
export function encodeVarint(value: number | bigint): Uint8Array {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new RangeError(`not an integer: ${value}`);
    if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
      const out = new Uint8Array(varintSize(value));
      writeVarintNumber(out, 0, value);
      return out;
    }
    value = BigInt(value);
  }
  if (value < -(2n ** 63n) || value >= 2n ** 64n) throw new RangeError(`varint out of the 64-bit range: ${value}`);
  let v = BigInt.asUintN(64, value);
  const bytes: number[] = [];
  while (v >= 128n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Uint8Array.from(bytes);
}

/** The bytes of a message: each field's `raw` bytes when it has them, else its tag (and length) and payload. */
export function encodeMessage(fields: Message): Uint8Array {
  let size = 0;
  for (const f of fields) {
    if (f.raw) size += f.raw.length;
    else size += varintSize(f.number * 8 + f.wire) + (f.wire === WIRE_LEN ? varintSize(f.data.length) : 0) + f.data.length;
  }
  const out = new Uint8Array(size);
  let pos = 0;
  for (const f of fields) {
    if (f.raw) {
      out.set(f.raw, pos);
      pos += f.raw.length;
      continue;
    }
    pos = writeVarintNumber(out, pos, f.number * 8 + f.wire);
    if (f.wire === WIRE_LEN) pos = writeVarintNumber(out, pos, f.data.length);
    out.set(f.data, pos);
    pos += f.data.length;
  }
  return out;
}

/** A varint field (int32, int64, uint64, bool, enum; negative values as 10-byte two's complement). */
export function varintField(number: number, value: number | bigint | boolean): Field {
  return { number, wire: WIRE_VARINT, data: encodeVarint(typeof value === 'boolean' ? (value ? 1 : 0) : value) };
}

/** A float field (wire type 5). */
export function floatField(number: number, value: number): Field {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setFloat32(0, value, true);
  return { number, wire: WIRE_I32, data };
}

/** A double field (wire type 1). */
export function doubleField(number: number, value: number): Field {
  const data = new Uint8Array(8);
  new DataView(data.buffer).setFloat64(0, value, true);
  return { number, wire: WIRE_I64, data };
}

/** A bytes field (the array is referenced, not copied). */
export function bytesField(number: number, data: Uint8Array): Field {
  return { number, wire: WIRE_LEN, data };
}

/** A string field, UTF-8. */
export function stringField(number: number, text: string): Field {
  return { number, wire: WIRE_LEN, data: utf8Encoder.encode(text) };
}

/** An embedded message field. */
export function messageField(number: number, message: Message): Field {
  return { number, wire: WIRE_LEN, data: encodeMessage(message) };
}

/** A packed repeated varint field. */
export function packedVarintField(number: number, values: ReadonlyArray<number | bigint>): Field {
  const parts = values.map((v) => encodeVarint(v));
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    data.set(p, pos);
    pos += p.length;
  }
  return { number, wire: WIRE_LEN, data };
}

/** A packed repeated float field. */
export function packedFloatField(number: number, values: ArrayLike<number>): Field {
  const data = new Uint8Array(values.length * 4);
  const view = new DataView(data.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { number, wire: WIRE_LEN, data };
}
