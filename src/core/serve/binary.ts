/**
 * The Open Inference Protocol's binary tensor data extension over HTTP/REST, as Triton
 * defines it (extension "binary_tensor_data", triton-inference-server/server
 * docs/protocol/extension_binary_data.md) and as its Python client speaks it
 * (tritonclient.http, which sends every input and asks for every output in binary unless
 * told otherwise). Pure functions; the server wires them to the request and the answer.
 *
 * A request body is the JSON inference request followed by raw tensor bytes. The
 * `Inference-Header-Content-Length` header gives the JSON's length in bytes; an input
 * whose `parameters` carry `binary_data_size: N` has no `data`, its N bytes follow the JSON,
 * in the order the inputs are listed, with nothing after the last. Elements are
 * little-endian, row major, unpadded, in the datatype's native size: BOOL one byte (0 or
 * 1), FP16 an IEEE half, BYTES a 4-byte little-endian length and then that many bytes.
 * An answer uses the same layout: an output is sent in binary when the request's output
 * entry says `parameters.binary_data: true`, or when it says nothing and the request's
 * `parameters.binary_data_output` is true (an entry's `binary_data` wins either way). That
 * is the extension's wording and KServe's; Triton's own server ignores
 * `binary_data_output` for an output the request lists without `binary_data`. The
 * Python client always sets one or the other, so both readings answer it alike.
 *
 * - `decodeBinaryRequest(raw, header)`: the JSON request with every binary input's bytes
 *   turned into the `data` array the JSON protocol carries (numbers, booleans, texts) and
 *   `binary_data_size` removed, ready for `decodeOip`. Without the header the body is
 *   plain JSON, and an input that declares `binary_data_size` is refused.
 * - `binaryOutputsWanted(request)`: which outputs the client wants in binary.
 * - `encodeBinaryResponse(response, wanted)`: the answer's body, header length and
 *   headers (`Content-Type: application/octet-stream` and the header length, as Triton
 *   answers), or null when every output goes as JSON.
 *
 * Where we differ from Triton, so a request means one thing: BYTES elements must
 * be UTF-8 text (the model takes texts); a BOOL byte other than 0 or 1, an INT64 or
 * UINT64 beyond ±(2^53 − 1) (a JSON number cannot hold it exactly) and an infinite float
 * are refused; a float NaN becomes null, the JSON protocol's missing value, imputed like
 * any other missing value. Every refusal is a 400 that names the input and says what to
 * change. The header length, the sizes and the shapes are untrusted: nothing is
 * allocated from a declared size before it has been checked against the bytes present.
 */
import { HttpError, short } from './decode.js';
import { parseJsonBody } from './http.js';
import { describeJsonType } from './records.js';

/** The request and answer header giving the JSON's length in bytes (lower case, as Node reads headers). */
export const INFERENCE_HEADER = 'inference-header-content-length';

/** The Content-Type of a body carrying binary tensors, request or answer (Triton's). */
export const BINARY_CONTENT_TYPE = 'application/octet-stream';

/** The OIP v2 datatypes the extension carries here. */
export type OipDatatype =
  'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';

/** An output tensor of an OIP answer; `data` may be a typed array (BigInt64Array for INT64) when the output goes in binary. */
export interface ResponseTensor {
  name: string;
  shape: readonly number[];
  datatype: string;
  data: ArrayLike<unknown>;
  parameters?: Record<string, unknown>;
}

/** An OIP answer: `{model_name, model_version, id, outputs}` (any other field is kept as it is). */
export interface InferResponse {
  outputs: readonly ResponseTensor[];
  [field: string]: unknown;
}

/** A binary answer: the body, the JSON's length in bytes, and the headers to send with it. */
export interface BinaryResponse {
  body: Buffer;
  headerLength: number;
  headers: Record<string, string>;
}

/** A value a binary element cannot be, and why. */
class Refused {
  constructor(readonly why: string) {}
}

type Element = number | boolean | null;

/** A datatype of fixed element size: how to read one element of a request and write one of an answer. */
interface FixedWidth {
  bytes: number;
  /** The element at byte `at` as the JSON protocol carries it, or why it cannot be carried. */
  read(buf: Buffer, at: number): Element | Refused;
  /** Writes one element; false when the value is not one of this datatype. */
  write(buf: Buffer, at: number, value: unknown): boolean;
}

const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const MAX_EXACT_BIG = BigInt(MAX_EXACT);

/** A whole-number datatype of 1, 2 or 4 bytes. */
function integer(bytes: 1 | 2 | 4, signed: boolean): FixedWidth {
  const bits = bytes * 8;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return {
    bytes,
    read: (buf, at) => (signed ? buf.readIntLE(at, bytes) : buf.readUIntLE(at, bytes)),
    write(buf, at, value) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) return false;
      if (signed) buf.writeIntLE(value, at, bytes);
      else buf.writeUIntLE(value, at, bytes);
      return true;
    },
  };
}

function integer64(signed: boolean): FixedWidth {
  const min = signed ? -(2n ** 63n) : 0n;
  const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  return {
    bytes: 8,
    read(buf, at) {
      const value = signed ? buf.readBigInt64LE(at) : buf.readBigUInt64LE(at);
      if (value > MAX_EXACT_BIG || value < -MAX_EXACT_BIG)
        return new Refused(
          `${value}, beyond ±${MAX_EXACT}, the whole numbers a JSON request carries exactly; send such values as FP64 or as BYTES text`,
        );
      return Number(value);
    },
    write(buf, at, value) {
      let big: bigint;
      if (typeof value === 'bigint') big = value;
      else if (typeof value === 'number' && Number.isInteger(value)) big = BigInt(value);
      else return false;
      if (big < min || big > max) return false;
      if (signed) buf.writeBigInt64LE(big, at);
      else buf.writeBigUInt64LE(big, at);
      return true;
    },
  };
}

/** A float as the JSON protocol carries it: NaN is a missing value (null); infinities are refused. */
function finite(value: number): Element | Refused {
  if (Number.isNaN(value)) return null;
  if (!Number.isFinite(value))
    return new Refused(`${value}, which the model cannot take; send finite numbers (NaN is taken as a missing value)`);
  return value;
}

/** A float datatype: FP16 (an IEEE half), FP32 or FP64. */
function float(bytes: 2 | 4 | 8): FixedWidth {
  const read = (buf: Buffer, at: number) =>
    bytes === 2 ? halfToNumber(buf.readUInt16LE(at)) : bytes === 4 ? buf.readFloatLE(at) : buf.readDoubleLE(at);
  return {
    bytes,
    read: (buf, at) => finite(read(buf, at)),
    write(buf, at, value) {
      if (typeof value !== 'number') return false;
      if (bytes === 2) buf.writeUInt16LE(numberToHalf(value), at);
      else if (bytes === 4) buf.writeFloatLE(value, at);
      else buf.writeDoubleLE(value, at);
      return true;
    },
  };
}

/** An IEEE 754 half (binary16) from its bits. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The bits of the IEEE 754 half nearest to `value` (ties to even; beyond 65504 rounds to infinity as IEEE does). */
export function numberToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= 65520) return sign | 0x7c00;
  // Subnormal: a multiple of 2^-24 (a result of 1024 is the smallest normal, 0x0400).
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24);
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  else if (2 ** (exponent + 1) <= a) exponent++;
  let fraction = roundHalfEven((a / 2 ** exponent - 1) * 1024);
  if (fraction === 1024) {
    fraction = 0;
    exponent++;
  }
  return sign | ((exponent + 15) << 10) | fraction;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Every datatype but BYTES, by name: its element size and how to read and write one element. */
const FIXED: Record<Exclude<OipDatatype, 'BYTES'>, FixedWidth> = {
  BOOL: {
    bytes: 1,
    read(buf, at) {
      const byte = buf[at]!;
      if (byte === 0 || byte === 1) return byte === 1;
      return new Refused(`the byte ${byte}; a BOOL is one byte, 0 (false) or 1 (true)`);
    },
    write(buf, at, value) {
      if (typeof value !== 'boolean') return false;
      buf[at] = value ? 1 : 0;
      return true;
    },
  },
  UINT8: integer(1, false),
  UINT16: integer(2, false),
  UINT32: integer(4, false),
  UINT64: integer64(false),
  INT8: integer(1, true),
  INT16: integer(2, true),
  INT32: integer(4, true),
  INT64: integer64(true),
  FP16: float(2),
  FP32: float(4),
  FP64: float(8),
};

const DATATYPES: readonly OipDatatype[] = [...(Object.keys(FIXED) as OipDatatype[]), 'BYTES'];

function isDatatype(value: unknown): value is OipDatatype {
  return typeof value === 'string' && (DATATYPES as readonly string[]).includes(value);
}

/** Strict UTF-8 that keeps a leading U+FEFF as text (it is part of an element, not a byte order mark). */
const utf8Element = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(message: string): HttpError {
  return new HttpError(400, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** How messages name input `i`: `inputs[2] (age)`. */
function inputLabel(i: number, name: unknown): string {
  return typeof name === 'string' ? `inputs[${i}] (${name.length > 60 ? `${name.slice(0, 60)}…` : name})` : `inputs[${i}]`;
}

/** Whole numbers ≥ 0 that a JSON number holds exactly. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The element count of a shape, as a double: exact up to 2^53, Infinity or inexact beyond (never NaN). */
function elementCount(shape: readonly number[]): number {
  if (shape.includes(0)) return 0;
  return shape.reduce((product, d) => product * d, 1);
}

function describeCount(count: number): string {
  return count <= MAX_EXACT ? String(count) : `more than ${MAX_EXACT}`;
}

/** The JSON's length from the header: a whole number of bytes, at least 1 and at most the body. */
function headerBytes(header: string | readonly string[] | number, bodyLength: number): number {
  if (Array.isArray(header))
    throw bad(
      `Inference-Header-Content-Length is given ${header.length} times; give it once, the length in bytes of the JSON request at the start of the body`,
    );
  const text = String(header);
  const length = typeof header === 'number' ? header : /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(length) || length < 0)
    throw bad(
      `Inference-Header-Content-Length must be the length in bytes of the JSON request at the start of the body (a whole number), got ${short(text)}`,
    );
  if (length === 0)
    throw bad(
      'Inference-Header-Content-Length is 0, but the body must start with the JSON inference request; give the length of that JSON in bytes',
    );
  if (length > bodyLength)
    throw bad(
      `Inference-Header-Content-Length is ${text}, but the body has only ${bodyLength} bytes; it must give the length in bytes of the JSON request at the start of the body`,
    );
  return length;
}

/** The JSON request at the start of a binary body, which must be an object. */
function parseHeader(bytes: Buffer): Record<string, unknown> {
  const where = `the JSON request (the first ${bytes.length} bytes of the body, per Inference-Header-Content-Length)`;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw bad(`${where} is not valid UTF-8; is Inference-Header-Content-Length the length of the JSON alone, in bytes?`);
  }
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (error) {
    const message = error instanceof RangeError ? 'it is nested too deeply' : (error as Error).message.slice(0, 200);
    throw bad(`${where} is not valid JSON (${message}); is Inference-Header-Content-Length the length of the JSON alone, in bytes?`);
  }
  if (!isObject(request)) throw bad(`${where} must be a JSON object with "inputs", got ${describeJsonType(request)}`);
  return request;
}

/** A binary input as declared in the JSON request, checked but not yet read. */
interface Declared {
  input: Record<string, unknown>;
  parameters: Record<string, unknown>;
  label: string;
  size: number;
  datatype: OipDatatype;
  shape: number[];
}

/** The inputs that declare `binary_data_size`, in order, each checked on its own (throws naming the first at fault). */
function declaredInputs(request: Record<string, unknown>): Declared[] {
  const inputs = request.inputs;
  if (!Array.isArray(inputs)) throw bad(`inputs: expected an array of tensors, got ${describeJsonType(inputs)}`);
  const declared: Declared[] = [];
  inputs.forEach((input: unknown, i) => {
    if (!isObject(input))
      throw bad(`inputs[${i}]: expected a tensor object {name, shape, datatype, data or parameters}, got ${describeJsonType(input)}`);
    const parameters = input.parameters;
    if (parameters === undefined) return;
    const label = inputLabel(i, input.name);
    if (!isObject(parameters)) throw bad(`${label}: parameters must be an object, got ${describeJsonType(parameters)}`);
    if (!has(parameters, 'binary_data_size')) return;
    const size = parameters.binary_data_size;
    if (!isCount(size))
      throw bad(`${label}: parameters.binary_data_size must be the tensor's length in bytes (a whole number ≥ 0), got ${short(size)}`);
    if (has(input, 'data'))
      throw bad(
        `${label}: gives both "data" and parameters.binary_data_size; send the tensor once, in "data" (JSON) or as binary_data_size bytes after the JSON request`,
      );
    const datatype = input.datatype;
    if (!isDatatype(datatype)) throw bad(`${label}: datatype must be one of ${DATATYPES.join(', ')}, got ${short(datatype)}`);
    const shape = input.shape;
    if (!Array.isArray(shape) || !shape.every(isCount))
      throw bad(`${label}: shape must be an array of whole numbers ≥ 0, got ${short(shape)}`);
    declared.push({ input, parameters, label, size, datatype, shape: shape as number[] });
  });
  return declared;
}

/** One binary input's bytes as a `data` array; throws naming the input and element at fault. */
function readTensor(bytes: Buffer, tensor: Declared): Element[] | string[] {
  const { label, datatype, shape } = tensor;
  const count = elementCount(shape);
  const shapeText = short(shape);
  if (datatype === 'BYTES') return readTexts(bytes, count, label, shapeText);
  const { bytes: width, read } = FIXED[datatype];
  if (bytes.length % width !== 0)
    throw bad(`${label}: binary_data_size ${bytes.length} is not a multiple of ${width}, the size of one ${datatype} value`);
  const values = bytes.length / width;
  if (count !== values)
    throw bad(
      `${label}: its ${bytes.length} bytes hold ${values} ${datatype} values, but the shape ${shapeText} needs ${describeCount(count)}`,
    );
  const data = new Array<Element>(values);
  for (let j = 0; j < values; j++) {
    const value = read(bytes, j * width);
    if (value instanceof Refused) throw bad(`${label}: value ${j} is ${value.why}`);
    data[j] = value;
  }
  return data;
}

/** BYTES elements (a 4-byte little-endian length, then the bytes) as UTF-8 texts. */
function readTexts(bytes: Buffer, count: number, label: string, shapeText: string): string[] {
  // Every element takes at least its 4-byte length: a shape needing more cannot fit, whatever it claims.
  if (count > bytes.length / 4)
    throw bad(
      `${label}: the shape ${shapeText} needs ${describeCount(count)} BYTES elements, each a 4-byte length and then its bytes, but binary_data_size is only ${bytes.length} bytes`,
    );
  const texts = new Array<string>(count);
  let at = 0;
  for (let j = 0; j < count; j++) {
    if (bytes.length - at < 4)
      throw bad(
        `${label}: its ${bytes.length} bytes end after ${j} of the ${count} elements the shape ${shapeText} needs (element ${j}'s 4-byte length is cut off)`,
      );
    const length = bytes.readUInt32LE(at);
    at += 4;
    if (length > bytes.length - at)
      throw bad(
        `${label}: element ${j} gives its length as ${length} bytes, but only ${bytes.length - at} of the input's ${bytes.length} bytes are left; each BYTES element is a 4-byte little-endian length and then that many bytes`,
      );
    try {
      texts[j] = utf8Element.decode(bytes.subarray(at, at + length));
    } catch {
      throw bad(`${label}: element ${j} is not valid UTF-8; this server takes BYTES as UTF-8 text`);
    }
    at += length;
  }
  if (at !== bytes.length)
    throw bad(
      `${label}: ${bytes.length - at} bytes are left after the ${count} elements of the shape ${shapeText}; binary_data_size must cover exactly those elements`,
    );
  return texts;
}

/**
 * Splits an OIP request body into the JSON request and its binary tensors. `header` is the
 * Inference-Header-Content-Length header as Node gives it (or a number); without it the body
 * is plain JSON (read as `parseJsonBody` reads it) and may declare no binary input. Returns the
 * request with each binary input's `data` filled in, in the order the inputs are listed, and
 * `binary_data_size` removed (its `parameters` too when nothing else is left), for `decodeOip`.
 * Throws a 400 HttpError that says what is wrong.
 */
export function decodeBinaryRequest(raw: Buffer, header: string | readonly string[] | number | undefined): unknown {
  if (header === undefined) {
    const body = parseJsonBody(raw);
    const inputs = isObject(body) && Array.isArray(body.inputs) ? body.inputs : [];
    inputs.forEach((input: unknown, i) => {
      if (isObject(input) && isObject(input.parameters) && has(input.parameters, 'binary_data_size'))
        throw bad(
          `${inputLabel(i, input.name)}: parameters.binary_data_size says its bytes follow the JSON, but the request has no Inference-Header-Content-Length header; send that header with the JSON's length in bytes, or send the values in "data"`,
        );
    });
    return body;
  }
  const length = headerBytes(header, raw.length);
  const request = parseHeader(raw.subarray(0, length));
  const declared = declaredInputs(request);
  const after = raw.length - length;
  // Checked before anything is read: the declared sizes must account for every byte present.
  const total = declared.reduce((sum, d) => sum + d.size, 0);
  if (total !== after) {
    const sizes = declared.length
      ? `(${declared
          .slice(0, 10)
          .map((d) => `${d.label}: ${d.size}`)
          .join(', ')}${declared.length > 10 ? ', …' : ''})`
      : '(no input has parameters.binary_data_size)';
    throw bad(
      `the body has ${after} bytes after the JSON request; the inputs declare ${describeCount(total)} in parameters.binary_data_size ${sizes}. Each binary input's bytes follow the JSON in the order the inputs are listed, with nothing after the last`,
    );
  }
  let at = length;
  for (const tensor of declared) {
    const data = readTensor(raw.subarray(at, at + tensor.size), tensor);
    at += tensor.size;
    delete tensor.parameters.binary_data_size;
    if (Object.keys(tensor.parameters).length === 0) delete tensor.input.parameters;
    tensor.input.data = data;
  }
  return request;
}

/**
 * Which outputs the client wants in binary (see the header): an output entry's
 * `parameters.binary_data`, else the request's `parameters.binary_data_output`, else JSON.
 * Works on a plain JSON request too (a JSON request may ask for a binary answer). Throws a
 * 400 when one of those parameters is not true or false; call it before the model runs.
 */
export function binaryOutputsWanted(request: unknown): (outputName: string) => boolean {
  if (!isObject(request)) return () => false;
  let all = false;
  const parameters = request.parameters;
  if (parameters !== undefined) {
    if (!isObject(parameters)) throw bad(`parameters: expected an object, got ${describeJsonType(parameters)}`);
    if (has(parameters, 'binary_data_output')) {
      const value = parameters.binary_data_output;
      if (typeof value !== 'boolean') throw bad(`parameters.binary_data_output: expected true or false, got ${short(value)}`);
      all = value;
    }
  }
  const own = new Map<string, boolean>();
  if (Array.isArray(request.outputs))
    request.outputs.forEach((output: unknown, i) => {
      if (!isObject(output) || typeof output.name !== 'string' || output.parameters === undefined) return;
      const p = output.parameters;
      if (!isObject(p)) throw bad(`outputs[${i}].parameters: expected an object, got ${describeJsonType(p)}`);
      if (!has(p, 'binary_data')) return;
      if (typeof p.binary_data !== 'boolean')
        throw bad(`outputs[${i}].parameters.binary_data: expected true or false, got ${short(p.binary_data)}`);
      if (!own.has(output.name)) own.set(output.name, p.binary_data);
    });
  return (name) => own.get(name) ?? all;
}

/** One output's data as binary elements. Throws an Error (the server's fault, not the client's) when data and shape or datatype disagree. */
function writeTensor(output: ResponseTensor): Buffer {
  const { name, shape, datatype, data } = output;
  const where = `output "${name}"`;
  if (!Array.isArray(shape) || !shape.every(isCount))
    throw new Error(`${where}: the shape ${short(shape)} is not an array of whole numbers ≥ 0`);
  const count = elementCount(shape);
  if (data.length !== count)
    throw new Error(`${where}: ${data.length} values where the shape ${short(shape)} needs ${describeCount(count)}`);
  if (!isDatatype(datatype)) throw new Error(`${where}: datatype ${short(datatype)} is not one of ${DATATYPES.join(', ')}`);
  if (datatype === 'BYTES') {
    const elements = Array.from(data, (value, j) => {
      if (typeof value === 'string') return Buffer.from(value, 'utf8');
      if (value instanceof Uint8Array) return value;
      throw new Error(`${where}: value ${j} (${short(value)}) is not a BYTES element (a string or bytes)`);
    });
    const buf = Buffer.alloc(elements.reduce((sum, e) => sum + 4 + e.length, 0));
    let at = 0;
    for (const element of elements) {
      buf.writeUInt32LE(element.length, at);
      buf.set(element, at + 4);
      at += 4 + element.length;
    }
    return buf;
  }
  const { bytes, write } = FIXED[datatype];
  const buf = Buffer.alloc(count * bytes);
  for (let j = 0; j < count; j++) {
    const value = data[j];
    if (!write(buf, j * bytes, value)) throw new Error(`${where}: ${datatype} cannot hold value ${j} (${short(value)})`);
  }
  return buf;
}

/**
 * An OIP answer with the outputs `wanted` in binary: each carries `parameters:
 * {binary_data_size}` (other parameters kept) and no `data`, its bytes following the JSON in
 * the order of the outputs; the others keep their JSON `data`. Returns the body, the JSON's
 * length in bytes and the headers to answer with (Content-Type application/octet-stream and
 * Inference-Header-Content-Length), or null when no output is wanted in binary (answer JSON as
 * before).
 */
export function encodeBinaryResponse(response: InferResponse, wanted: (outputName: string) => boolean): BinaryResponse | null {
  const binary = response.outputs.map((output) => wanted(output.name));
  if (!binary.includes(true)) return null;
  const tensors: Buffer[] = [];
  const outputs = response.outputs.map((output, k) => {
    if (!binary[k]) return output;
    const bytes = writeTensor(output);
    tensors.push(bytes);
    const { data: _data, ...rest } = output;
    return { ...rest, parameters: { ...output.parameters, binary_data_size: bytes.length } };
  });
  const json = Buffer.from(JSON.stringify({ ...response, outputs }), 'utf8');
  return {
    body: Buffer.concat([json, ...tensors]),
    headerLength: json.length,
    headers: { 'Content-Type': BINARY_CONTENT_TYPE, 'Inference-Header-Content-Length': String(json.length) },
  };
}
