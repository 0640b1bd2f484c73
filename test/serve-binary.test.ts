/**
 * The OIP binary tensor data extension in process: request bodies built byte for byte as
 * Triton's Python client builds them decode to the values sent (every datatype, texts
 * with empty and multi-byte elements, JSON and binary inputs mixed) and feed the JSON
 * decoder; every malformed or hostile body is a 400 that says what is wrong; the answer's
 * layout reads back as the client reads it.
 */
import {
  BINARY_CONTENT_TYPE,
  binaryOutputsWanted,
  decodeBinaryRequest,
  encodeBinaryResponse,
  numberToHalf,
} from '../src/core/serve/binary.js';
import type { InferResponse } from '../src/core/serve/binary.js';
import { HttpError, decodeOip } from '../src/core/serve/decode.js';

// ---------------------------------------------------------------------------------------------
// The client, as tritonclient.http builds a request (triton-inference-server/client,
// src/python/library/tritonclient/http/):
// - `InferInput.set_data_from_numpy(binary_data=True)` (_infer_input.py) keeps
//   `input_tensor.tobytes()` (native little-endian, row major; numpy bool is one byte 0/1,
//   float16 an IEEE half), or for BYTES `serialize_byte_tensor` (tritonclient/utils): each
//   element as struct.pack("<I", len) + its bytes, a str encoded as UTF-8; and sets
//   parameters {"binary_data_size": len(raw)}.
// - `InferInput._get_tensor` gives {"name", "shape", "datatype"}, then "parameters" when
//   set, then "data" only when there are no raw bytes.
// - `InferRequestedOutput(name, binary_data=True)._get_tensor` (_requested_output.py) gives
//   {"name", "parameters": {"binary_data": <bool>}}.
// - `_get_inference_request` (_utils.py): {"id"?, "inputs", "outputs"?, "parameters"?};
//   without requested outputs it sets parameters {"binary_data_output": true}; the JSON is
//   `rapidjson.dumps` (compact, non-ASCII escaped as \uXXXX), json_size = len(json), the
//   body the JSON then each input's raw bytes in input order, and the header
//   Inference-Header-Content-Length: json_size only when some input has raw bytes.
// ---------------------------------------------------------------------------------------------

type Datatype =
  'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';

interface ClientInput {
  name: string;
  shape: number[];
  datatype: string;
  /** Raw bytes (binary_data=True); else `data` goes in the JSON. */
  raw?: Buffer;
  data?: unknown[];
}

/** numpy's `tobytes()` of values of a datatype (FP16 given as its bit patterns), or `serialize_byte_tensor` for BYTES. */
function numpyBytes(datatype: Datatype, values: ReadonlyArray<number | bigint | boolean | string | Uint8Array>): Buffer {
  if (datatype === 'BYTES') {
    const parts = values.map((v) => (typeof v === 'string' ? new TextEncoder().encode(v) : (v as Uint8Array)));
    const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts) {
      view.setUint32(at, p.length, true);
      out.set(p, at + 4);
      at += 4 + p.length;
    }
    return Buffer.from(out);
  }
  const size = { BOOL: 1, UINT8: 1, INT8: 1, UINT16: 2, INT16: 2, FP16: 2, UINT32: 4, INT32: 4, FP32: 4, UINT64: 8, INT64: 8, FP64: 8 }[
    datatype
  ];
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((v, j) => {
    const at = j * size;
    switch (datatype) {
      case 'BOOL':
        return view.setUint8(at, v ? 1 : 0);
      case 'UINT8':
        return view.setUint8(at, v as number);
      case 'INT8':
        return view.setInt8(at, v as number);
      case 'UINT16':
      case 'FP16':
        return view.setUint16(at, v as number, true);
      case 'INT16':
        return view.setInt16(at, v as number, true);
      case 'UINT32':
        return view.setUint32(at, v as number, true);
      case 'INT32':
        return view.setInt32(at, v as number, true);
      case 'FP32':
        return view.setFloat32(at, v as number, true);
      case 'FP64':
        return view.setFloat64(at, v as number, true);
      case 'UINT64':
        return view.setBigUint64(at, BigInt(v as number | bigint), true);
      case 'INT64':
        return view.setBigInt64(at, BigInt(v as number | bigint), true);
    }
  });
  return Buffer.from(view.buffer);
}

/** `rapidjson.dumps`: compact, every non-ASCII UTF-16 unit escaped, so the JSON is ASCII and len(json) is its byte length. */
function rapidjsonDumps(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The body and Inference-Header-Content-Length (as the header's text, or undefined when the client sends none). */
function clientRequest(
  inputs: ClientInput[],
  options: { id?: string; outputs?: Array<{ name: string; binary_data?: boolean }> } = {},
): { body: Buffer; header: string | undefined } {
  const request: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  if (options.id) request.id = options.id;
  request.inputs = inputs.map((input) => {
    const tensor: Record<string, unknown> = { name: input.name, shape: input.shape, datatype: input.datatype };
    if (input.raw) tensor.parameters = { binary_data_size: input.raw.length };
    else tensor.data = input.data;
    return tensor;
  });
  if (options.outputs) request.outputs = options.outputs.map((o) => ({ name: o.name, parameters: { binary_data: o.binary_data ?? true } }));
  else parameters.binary_data_output = true;
  if (Object.keys(parameters).length > 0) request.parameters = parameters;
  const json = rapidjsonDumps(request);
  const raws = inputs.flatMap((input) => (input.raw ? [input.raw] : []));
  if (raws.length === 0) return { body: Buffer.from(json, 'ascii'), header: undefined };
  return { body: Buffer.concat([Buffer.from(json, 'ascii'), ...raws]), header: String(json.length) };
}

/** The first binary input's `data` after decoding a one-input client request. */
function roundTrip(datatype: Datatype, shape: number[], values: Parameters<typeof numpyBytes>[1]): unknown {
  const { body, header } = clientRequest([{ name: 'x', shape, datatype, raw: numpyBytes(datatype, values) }]);
  const request = decodeBinaryRequest(body, header) as { inputs: Array<Record<string, unknown>> };
  return request.inputs[0]!.data;
}

/** The HttpError `fn` throws, which must be a 400. */
function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    return error as HttpError;
  }
  throw new Error('expected a 400, but nothing was thrown');
}

/** A body of a JSON request (given as an object, written as UTF-8) and raw bytes, with its header. */
function body(request: unknown, ...raws: Buffer[]): { body: Buffer; header: string } {
  const json = Buffer.from(JSON.stringify(request), 'utf8');
  return { body: Buffer.concat([json, ...raws]), header: String(json.length) };
}

const MAX = Number.MAX_SAFE_INTEGER;

describe('decodeBinaryRequest: bodies as tritonclient.http builds them', () => {
  test('the extension document example (UINT32 [2, 2] and BOOL [3], 19 bytes after the JSON) decodes to its values', () => {
    const { body: raw, header } = clientRequest(
      [
        { name: 'input0', shape: [2, 2], datatype: 'UINT32', raw: numpyBytes('UINT32', [1, 2, 3, 4]) },
        { name: 'input1', shape: [3], datatype: 'BOOL', raw: numpyBytes('BOOL', [true, false, true]) },
      ],
      { outputs: [{ name: 'output0' }] },
    );
    // The layout the client sends: the JSON, then 16 + 3 bytes.
    expect(raw.length).toBe(Number(header) + 19);
    expect(raw.subarray(0, Number(header)).toString('ascii')).toBe(
      '{"inputs":[{"name":"input0","shape":[2,2],"datatype":"UINT32","parameters":{"binary_data_size":16}},' +
        '{"name":"input1","shape":[3],"datatype":"BOOL","parameters":{"binary_data_size":3}}],' +
        '"outputs":[{"name":"output0","parameters":{"binary_data":true}}]}',
    );
    expect(decodeBinaryRequest(raw, header)).toEqual({
      inputs: [
        { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] },
        { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, true] },
      ],
      outputs: [{ name: 'output0', parameters: { binary_data: true } }],
    });
  });

  const fp16 = {
    bits: [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x2e66, 0x8000, 0x3555],
    // By hand: 1, -2, the largest half, the smallest subnormal 2^-24, the smallest normal 2^-14,
    // 0.1 as a half (1 + 614/1024) * 2^-4, negative zero, (1 + 341/1024) * 2^-2.
    values: [1, -2, 65504, 2 ** -24, 2 ** -14, 0.0999755859375, -0, 0.333251953125],
  };
  test.each<[Datatype, number[], Parameters<typeof numpyBytes>[1], unknown[]]>([
    ['BOOL', [2, 2], [true, false, false, true], [true, false, false, true]],
    ['UINT8', [3], [0, 255, 7], [0, 255, 7]],
    ['UINT16', [2], [0, 65535], [0, 65535]],
    ['UINT32', [3], [0, 4294967295, 65536], [0, 4294967295, 65536]],
    ['UINT64', [3], [0n, 2n ** 53n - 1n, 2n ** 32n], [0, MAX, 2 ** 32]],
    ['INT8', [3], [-128, 127, -1], [-128, 127, -1]],
    ['INT16', [2], [-32768, 32767], [-32768, 32767]],
    ['INT32', [3], [-2147483648, 2147483647, 0], [-2147483648, 2147483647, 0]],
    ['INT64', [2, 2], [-(2n ** 53n - 1n), 2n ** 53n - 1n, -1n, 0n], [-MAX, MAX, -1, 0]],
    ['FP16', [8], fp16.bits, fp16.values],
    // float32 rounds: 0.1 becomes 0.100000001490116…, 1e-45 the smallest subnormal float32.
    ['FP32', [2, 2], [0.1, -3.5, 3.4028234663852886e38, 1e-45], [Math.fround(0.1), -3.5, 3.4028234663852886e38, 1.401298464324817e-45]],
    ['FP64', [4], [0.1, -1e308, 5e-324, -0], [0.1, -1e308, 5e-324, -0]],
    ['BYTES', [2, 3], ['', 'a', 'héllo', '日本語', '🙂', '\ufeffbom'], ['', 'a', 'héllo', '日本語', '🙂', '\ufeffbom']],
  ])('%s %j decodes to the values the client sent', (datatype, shape, values, expected) => {
    const data = roundTrip(datatype, shape, values) as unknown[];
    expect(data).toEqual(expected);
    // Signed zeros survive (toEqual tells -0 from 0 only through Object.is).
    expected.forEach((v, j) => expect(Object.is(data[j], v)).toBe(true));
  });

  test('BYTES: empty and multi-byte elements, the client bytes written out by hand', () => {
    const raw = numpyBytes('BYTES', ['', 'é', '🙂', '']);
    expect(raw.toString('hex')).toBe(['00000000', '02000000c3a9', '04000000f09f9982', '00000000'].join(''));
    expect(roundTrip('BYTES', [4], ['', 'é', '🙂', ''])).toEqual(['', 'é', '🙂', '']);
    expect(roundTrip('BYTES', [1, 1], [''])).toEqual(['']);
  });

  test('a float NaN is a missing value (null), as JSON would send it', () => {
    expect(roundTrip('FP32', [3], [1, NaN, 2])).toEqual([1, null, 2]);
    expect(roundTrip('FP64', [2], [NaN, 0.5])).toEqual([null, 0.5]);
    expect(roundTrip('FP16', [2], [0x7e00, 0x3c00])).toEqual([null, 1]);
  });

  test('an empty tensor (the client sends binary_data_size 0) decodes to no values', () => {
    expect(roundTrip('FP32', [0], [])).toEqual([]);
    expect(roundTrip('BYTES', [0, 3], [])).toEqual([]);
  });

  test('JSON and binary inputs mixed: only the binary ones take bytes, in order, and the result feeds decodeOip', () => {
    const { body: raw, header } = clientRequest(
      [
        { name: 'x', shape: [3], datatype: 'FP64', raw: numpyBytes('FP64', [1.5, NaN, -2]) },
        { name: 'c', shape: [3, 1], datatype: 'BYTES', data: ['red', 'blue', 'ü'] },
        { name: 'flag', shape: [3], datatype: 'BOOL', raw: numpyBytes('BOOL', [true, false, true]) },
        { name: 'n', shape: [3], datatype: 'INT32', data: [1, 2, 3] },
        { name: 's', shape: [3], datatype: 'BYTES', raw: numpyBytes('BYTES', ['p', '', 'qé']) },
      ],
      { id: 'req-ü' },
    );
    const request = decodeBinaryRequest(raw, header);
    expect(request).toEqual({
      id: 'req-ü',
      inputs: [
        { name: 'x', shape: [3], datatype: 'FP64', data: [1.5, null, -2] },
        { name: 'c', shape: [3, 1], datatype: 'BYTES', data: ['red', 'blue', 'ü'] },
        { name: 'flag', shape: [3], datatype: 'BOOL', data: [true, false, true] },
        { name: 'n', shape: [3], datatype: 'INT32', data: [1, 2, 3] },
        { name: 's', shape: [3], datatype: 'BYTES', data: ['p', '', 'qé'] },
      ],
      parameters: { binary_data_output: true },
    });
    const decoded = decodeOip(request);
    expect(decoded.id).toBe('req-ü');
    expect(decoded.records.map((r) => ({ ...r }))).toEqual([
      { x: 1.5, c: 'red', flag: true, n: 1, s: 'p' },
      { x: null, c: 'blue', flag: false, n: 2, s: '' },
      { x: -2, c: 'ü', flag: true, n: 3, s: 'qé' },
    ]);
  });

  test('a request of JSON inputs only has no header; it is read as plain JSON and may still ask for binary outputs', () => {
    const { body: raw, header } = clientRequest([{ name: 'x', shape: [2], datatype: 'FP32', data: [1, 2] }]);
    expect(header).toBeUndefined();
    const request = decodeBinaryRequest(raw, header);
    expect(request).toEqual({
      inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1, 2] }],
      parameters: { binary_data_output: true },
    });
    expect(binaryOutputsWanted(request)('prediction')).toBe(true);
  });

  test('the header length counts bytes, not characters (a client that writes raw UTF-8 in the JSON)', () => {
    const request = { id: '日本', inputs: [{ name: 'x', shape: [1], datatype: 'INT8', parameters: { binary_data_size: 1 } }] };
    const { body: raw, header } = body(request, Buffer.from([0xfe]));
    expect(Number(header)).toBe(JSON.stringify(request).length + 4); // two 3-byte characters
    expect(decodeBinaryRequest(raw, header)).toMatchObject({ id: '日本', inputs: [{ data: [-2] }] });
    expect(decodeBinaryRequest(raw, Number(header))).toMatchObject({ inputs: [{ data: [-2] }] });
  });

  test("an input's other parameters are kept; only binary_data_size goes", () => {
    const request = { inputs: [{ name: 'x', shape: [1], datatype: 'UINT8', parameters: { binary_data_size: 1, content_type: 'np' } }] };
    const { body: raw, header } = body(request, Buffer.from([9]));
    expect(decodeBinaryRequest(raw, header)).toEqual({
      inputs: [{ name: 'x', shape: [1], datatype: 'UINT8', parameters: { content_type: 'np' }, data: [9] }],
    });
  });
});

describe('decodeBinaryRequest refuses with a 400 that says what is wrong', () => {
  const one = { inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } }] };
  const eight = Buffer.alloc(8);

  test.each(['abc', '-1', '1.5', '1e3', '', '0x10', '12, 12', ' 12'])('a header length of %j is not a whole number', (value) => {
    const { body: raw } = body(one, eight);
    expect(refusal(() => decodeBinaryRequest(raw, value)).message).toMatch(
      /^Inference-Header-Content-Length must be the length in bytes of the JSON request at the start of the body \(a whole number\), got "/,
    );
  });

  test.each([-1, 1.5, NaN, Infinity])('a header length of the number %p is not a whole number', (value) => {
    const { body: raw } = body(one, eight);
    expect(refusal(() => decodeBinaryRequest(raw, value)).message).toMatch(/must be .* \(a whole number\)/);
  });

  test('a header given twice', () => {
    const { body: raw, header } = body(one, eight);
    expect(refusal(() => decodeBinaryRequest(raw, [header, header])).message).toMatch(/given 2 times; give it once/);
  });

  test('a header length of 0', () => {
    const { body: raw } = body(one, eight);
    expect(refusal(() => decodeBinaryRequest(raw, '0')).message).toMatch(/is 0, but the body must start with the JSON inference request/);
  });

  test('a header length larger than the body, however large', () => {
    const { body: raw } = body(one, eight);
    for (const value of [String(raw.length + 1), '99999999999999999999999', String(2 ** 53)])
      expect(refusal(() => decodeBinaryRequest(raw, value)).message).toBe(
        `Inference-Header-Content-Length is ${value}, but the body has only ${raw.length} bytes; it must give the length in bytes of the JSON request at the start of the body`,
      );
  });

  test('a header that is not UTF-8, not JSON, or not an object', () => {
    const notUtf8 = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(refusal(() => decodeBinaryRequest(notUtf8, '3')).message).toMatch(
      /^the JSON request \(the first 3 bytes .*\) is not valid UTF-8/,
    );
    // A header length one short cuts the JSON.
    const { body: raw, header } = body(one, eight);
    expect(refusal(() => decodeBinaryRequest(raw, String(Number(header) - 1))).message).toMatch(
      /is not valid JSON \(.*\); is Inference-Header-Content-Length the length of the JSON alone, in bytes\?$/,
    );
    const array = body([one]);
    expect(refusal(() => decodeBinaryRequest(array.body, array.header)).message).toMatch(
      /must be a JSON object with "inputs", got an array/,
    );
  });

  test('inputs that are not an array of objects, and parameters that are not an object', () => {
    const a = body({ inputs: { x: 1 } });
    expect(refusal(() => decodeBinaryRequest(a.body, a.header)).message).toBe('inputs: expected an array of tensors, got an object');
    const b = body({ inputs: [7] });
    expect(refusal(() => decodeBinaryRequest(b.body, b.header)).message).toMatch(/^inputs\[0\]: expected a tensor object/);
    const c = body({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', parameters: [8] }] });
    expect(refusal(() => decodeBinaryRequest(c.body, c.header)).message).toBe('inputs[0] (x): parameters must be an object, got an array');
  });

  test('bytes after the JSON that the inputs do not declare, or fewer than they declare', () => {
    const short = body(one, Buffer.alloc(6));
    expect(refusal(() => decodeBinaryRequest(short.body, short.header)).message).toBe(
      'the body has 6 bytes after the JSON request; the inputs declare 8 in parameters.binary_data_size (inputs[0] (x): 8). ' +
        "Each binary input's bytes follow the JSON in the order the inputs are listed, with nothing after the last",
    );
    const long = body(one, Buffer.alloc(9));
    expect(refusal(() => decodeBinaryRequest(long.body, long.header)).message).toMatch(
      /^the body has 9 bytes after the JSON request; the inputs declare 8 /,
    );
    const none = body({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }, Buffer.alloc(4));
    expect(refusal(() => decodeBinaryRequest(none.body, none.header)).message).toMatch(
      /^the body has 4 bytes after the JSON request; the inputs declare 0 in parameters.binary_data_size \(no input has parameters.binary_data_size\)/,
    );
  });

  test('a huge binary_data_size is refused against the bytes present, before anything is read', () => {
    for (const size of [1e15, MAX]) {
      const { body: raw, header } = body(
        { inputs: [{ name: 'x', shape: [1], datatype: 'FP64', parameters: { binary_data_size: size } }] },
        eight,
      );
      expect(refusal(() => decodeBinaryRequest(raw, header)).message).toMatch(
        new RegExp(`^the body has 8 bytes after the JSON request; the inputs declare ${size} `),
      );
    }
    // Two sizes whose sum passes 2^53 are still no match for the bytes present.
    const two = body(
      {
        inputs: [
          { name: 'a', shape: [1], datatype: 'UINT8', parameters: { binary_data_size: MAX } },
          { name: 'b', shape: [1], datatype: 'UINT8', parameters: { binary_data_size: MAX } },
        ],
      },
      Buffer.alloc(2),
    );
    expect(refusal(() => decodeBinaryRequest(two.body, two.header)).message).toMatch(/the inputs declare more than 9007199254740991 /);
  });

  test.each([-8, 1.5, '8', 2 ** 53 + 2, null, true])('a binary_data_size of %p is not a length in bytes', (size) => {
    const { body: raw, header } = body(
      { inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: size } }] },
      eight,
    );
    expect(refusal(() => decodeBinaryRequest(raw, header)).message).toMatch(
      /^inputs\[0\] \(x\): parameters.binary_data_size must be the tensor's length in bytes \(a whole number ≥ 0\), got /,
    );
  });

  test('both data and binary_data_size on one input', () => {
    const { body: raw, header } = body(
      { inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [1, 2], parameters: { binary_data_size: 8 } }] },
      eight,
    );
    expect(refusal(() => decodeBinaryRequest(raw, header)).message).toBe(
      'inputs[0] (x): gives both "data" and parameters.binary_data_size; send the tensor once, in "data" (JSON) or as binary_data_size bytes after the JSON request',
    );
  });

  test.each(['BF16', 'FP8', 'fp32', 7])('a datatype of %p is unknown', (datatype) => {
    const { body: raw, header } = body({ inputs: [{ name: 'x', shape: [2], datatype, parameters: { binary_data_size: 8 } }] }, eight);
    expect(refusal(() => decodeBinaryRequest(raw, header)).message).toMatch(
      /^inputs\[0\] \(x\): datatype must be one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES, got /,
    );
  });

  test('a byte count that is not a whole number of elements', () => {
    const { body: raw, header } = body(
      { inputs: [{ name: 'x', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 6 } }] },
      Buffer.alloc(6),
    );
    expect(refusal(() => decodeBinaryRequest(raw, header)).message).toBe(
      'inputs[0] (x): binary_data_size 6 is not a multiple of 4, the size of one FP32 value',
    );
  });

  test("a byte count that does not match the shape's element count", () => {
    const { body: raw, header } = body(
      { inputs: [{ name: 'x', shape: [3], datatype: 'FP32', parameters: { binary_data_size: 8 } }] },
      eight,
    );
    expect(refusal(() => decodeBinaryRequest(raw, header)).message).toBe(
      'inputs[0] (x): its 8 bytes hold 2 FP32 values, but the shape [3] needs 3',
    );
  });

  test('shapes whose product overflows, for fixed-size and BYTES inputs, are refused against the bytes present', () => {
    const huge = [MAX, MAX, MAX];
    const fixed = body({ inputs: [{ name: 'x', shape: huge, datatype: 'FP64', parameters: { binary_data_size: 8 } }] }, eight);
    expect(refusal(() => decodeBinaryRequest(fixed.body, fixed.header)).message).toBe(
      `inputs[0] (x): its 8 bytes hold 1 FP64 values, but the shape ${JSON.stringify(huge)} needs more than 9007199254740991`,
    );
    // So many dimensions that the product is Infinity.
    const many = Array.from({ length: 40 }, () => MAX);
    const texts = body({ inputs: [{ name: 's', shape: many, datatype: 'BYTES', parameters: { binary_data_size: 8 } }] }, eight);
    expect(refusal(() => decodeBinaryRequest(texts.body, texts.header)).message).toMatch(
      /^inputs\[0\] \(s\): the shape .* needs more than 9007199254740991 BYTES elements, each a 4-byte length and then its bytes, but binary_data_size is only 8 bytes$/,
    );
    // A zero dimension makes any other dimension harmless: no elements.
    const empty = body({ inputs: [{ name: 'x', shape: [0, MAX], datatype: 'FP64', parameters: { binary_data_size: 0 } }] });
    expect(decodeBinaryRequest(empty.body, empty.header)).toMatchObject({ inputs: [{ data: [] }] });
  });

  test.each([[[-1]], [[1.5]], [[1e300]], ['2'], [[[2]]]])('a shape of %j is not an array of whole numbers', (shape) => {
    const { body: raw, header } = body({ inputs: [{ name: 'x', shape, datatype: 'FP32', parameters: { binary_data_size: 8 } }] }, eight);
    expect(refusal(() => decodeBinaryRequest(raw, header)).message).toMatch(
      /^inputs\[0\] \(x\): shape must be an array of whole numbers ≥ 0, got /,
    );
  });

  const bytesInput = (shape: number[], raw: Buffer) =>
    body(
      {
        inputs: [
          { name: 'ok', shape: [1], datatype: 'UINT8', parameters: { binary_data_size: 1 } },
          { name: 's', shape, datatype: 'BYTES', parameters: { binary_data_size: raw.length } },
        ],
      },
      Buffer.from([1]),
      raw,
    );

  test("a BYTES element whose length runs past the input's bytes", () => {
    const raw = Buffer.concat([numpyBytes('BYTES', ['ab']), Buffer.from([10, 0, 0, 0, 0x61, 0x62, 0x63])]);
    const { body: all, header } = bytesInput([2], raw);
    expect(refusal(() => decodeBinaryRequest(all, header)).message).toBe(
      "inputs[1] (s): element 1 gives its length as 10 bytes, but only 3 of the input's 13 bytes are left; each BYTES element is a 4-byte little-endian length and then that many bytes",
    );
  });

  test('a BYTES length prefix that huge (0xffffffff) runs past the bytes too', () => {
    const { body: all, header } = bytesInput([1], Buffer.from([0xff, 0xff, 0xff, 0xff, 0x61]));
    expect(refusal(() => decodeBinaryRequest(all, header)).message).toMatch(
      /^inputs\[1\] \(s\): element 0 gives its length as 4294967295 bytes, but only 1 /,
    );
  });

  test('BYTES bytes that end inside a length prefix, or go on after the last element', () => {
    const cut = bytesInput([2], Buffer.concat([numpyBytes('BYTES', ['abcd']), Buffer.from([1, 0])]));
    expect(refusal(() => decodeBinaryRequest(cut.body, cut.header)).message).toBe(
      "inputs[1] (s): its 10 bytes end after 1 of the 2 elements the shape [2] needs (element 1's 4-byte length is cut off)",
    );
    const extra = bytesInput([1], numpyBytes('BYTES', ['a', 'b']));
    expect(refusal(() => decodeBinaryRequest(extra.body, extra.header)).message).toBe(
      'inputs[1] (s): 5 bytes are left after the 1 elements of the shape [1]; binary_data_size must cover exactly those elements',
    );
  });

  test('a BYTES element that is not UTF-8 is named', () => {
    const { body: all, header } = bytesInput([2], numpyBytes('BYTES', ['ok', Uint8Array.from([0xc3, 0x28])]));
    expect(refusal(() => decodeBinaryRequest(all, header)).message).toBe(
      'inputs[1] (s): element 1 is not valid UTF-8; this server takes BYTES as UTF-8 text',
    );
  });

  test('INT64 and UINT64 values beyond ±(2^53 − 1)', () => {
    for (const [datatype, value] of [
      ['INT64', 2n ** 53n],
      ['INT64', -(2n ** 63n)],
      ['UINT64', 2n ** 64n - 1n],
    ] as const) {
      const { body: raw, header } = body(
        { inputs: [{ name: 'id', shape: [2], datatype, parameters: { binary_data_size: 16 } }] },
        numpyBytes(datatype, [1n, value]),
      );
      expect(refusal(() => decodeBinaryRequest(raw, header)).message).toBe(
        `inputs[0] (id): value 1 is ${value}, beyond ±9007199254740991, the whole numbers a JSON request carries exactly; send such values as FP64 or as BYTES text`,
      );
    }
  });

  test('a BOOL byte other than 0 or 1', () => {
    const { body: raw, header } = body(
      { inputs: [{ name: 'b', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } }] },
      Buffer.from([1, 0, 2]),
    );
    expect(refusal(() => decodeBinaryRequest(raw, header)).message).toBe(
      'inputs[0] (b): value 2 is the byte 2; a BOOL is one byte, 0 (false) or 1 (true)',
    );
  });

  test('infinite floats, FP16 included', () => {
    for (const [datatype, values] of [
      ['FP32', [1, -Infinity]],
      ['FP64', [1, Infinity]],
      ['FP16', [0x3c00, 0x7c00]],
    ] as const) {
      const raw = numpyBytes(datatype, values);
      const { body: all, header } = body(
        { inputs: [{ name: 'v', shape: [2], datatype, parameters: { binary_data_size: raw.length } }] },
        raw,
      );
      expect(refusal(() => decodeBinaryRequest(all, header)).message).toMatch(
        /^inputs\[0\] \(v\): value 1 is -?Infinity, which the model cannot take; send finite numbers \(NaN is taken as a missing value\)$/,
      );
    }
  });

  test('binary_data_size in a body without the header', () => {
    const raw = Buffer.from(
      JSON.stringify({
        inputs: [
          { name: 'x', shape: [1], datatype: 'FP32', data: [1] },
          { name: 'y', shape: [1], datatype: 'FP32', parameters: { binary_data_size: 4 } },
        ],
      }),
    );
    expect(refusal(() => decodeBinaryRequest(raw, undefined)).message).toBe(
      'inputs[1] (y): parameters.binary_data_size says its bytes follow the JSON, but the request has no Inference-Header-Content-Length header; send that header with the JSON\'s length in bytes, or send the values in "data"',
    );
    // And a plain body that is not JSON gets the JSON reader's answer.
    expect(refusal(() => decodeBinaryRequest(Buffer.from('{'), undefined)).message).toMatch(/^the body is not valid JSON/);
  });
});

describe('binaryOutputsWanted', () => {
  const ask = (request: unknown) => binaryOutputsWanted(request);

  test('the client without requested outputs asks for every output in binary (binary_data_output)', () => {
    const { body: raw, header } = clientRequest([{ name: 'x', shape: [1], datatype: 'FP32', raw: numpyBytes('FP32', [1]) }]);
    const wanted = ask(decodeBinaryRequest(raw, header));
    expect([wanted('label'), wanted('probabilities')]).toEqual([true, true]);
  });

  test("the client's requested outputs say each for itself; an output not listed is JSON", () => {
    const { body: raw, header } = clientRequest([{ name: 'x', shape: [1], datatype: 'FP32', raw: numpyBytes('FP32', [1]) }], {
      outputs: [{ name: 'label' }, { name: 'probabilities', binary_data: false }],
    });
    const wanted = ask(decodeBinaryRequest(raw, header));
    expect([wanted('label'), wanted('probabilities'), wanted('other')]).toEqual([true, false, false]);
  });

  test("binary_data_output holds for outputs that do not say, an output's binary_data overrides it", () => {
    const wanted = ask({
      inputs: [],
      parameters: { binary_data_output: true },
      outputs: [{ name: 'a' }, { name: 'b', parameters: { binary_data: false } }, { name: 'c', parameters: { classification: 2 } }],
    });
    expect([wanted('a'), wanted('b'), wanted('c'), wanted('d')]).toEqual([true, false, true, true]);
    const off = ask({ parameters: { binary_data_output: false }, outputs: [{ name: 'a', parameters: { binary_data: true } }] });
    expect([off('a'), off('b')]).toEqual([true, false]);
  });

  test('a request that asks nothing, or is not an object, wants JSON', () => {
    expect(ask({ inputs: [] })('a')).toBe(false);
    expect(ask([1])('a')).toBe(false);
    expect(ask(null)('a')).toBe(false);
  });

  test('parameters that are not true or false are a 400', () => {
    expect(refusal(() => ask({ parameters: { binary_data_output: 'true' } })).message).toBe(
      'parameters.binary_data_output: expected true or false, got "true"',
    );
    expect(refusal(() => ask({ outputs: [{ name: 'a', parameters: { binary_data: 1 } }] })).message).toBe(
      'outputs[0].parameters.binary_data: expected true or false, got 1',
    );
    expect(refusal(() => ask({ parameters: [true] })).message).toBe('parameters: expected an object, got an array');
    expect(refusal(() => ask({ outputs: [{ name: 'a', parameters: 'binary' }] })).message).toBe(
      'outputs[0].parameters: expected an object, got a string',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The client reading an answer, as tritonclient.http's InferResult does (_infer_result.py):
// `__init__` reads Inference-Header-Content-Length bytes as the JSON, keeps the rest as one
// buffer, and gives each output with parameters.binary_data_size its offset in output order;
// `as_numpy` slices that output's bytes and reads them with np.frombuffer (or, for BYTES,
// `deserialize_bytes_tensor`: a 4-byte little-endian length, then the bytes, to the end),
// then reshapes to the output's shape. FP16 comes back here as its bit patterns.
// ---------------------------------------------------------------------------------------------

interface ClientResult {
  json: {
    outputs: Array<{ name: string; shape: number[]; datatype: string; data?: unknown[]; parameters?: Record<string, unknown> }>;
  } & Record<string, unknown>;
  asNumpy(name: string): { shape: number[]; values: unknown[] };
}

function clientResult(bodyBytes: Buffer, headerLength: string): ClientResult {
  const length = parseInt(headerLength, 10);
  const json = JSON.parse(bodyBytes.subarray(0, length).toString('utf8')) as ClientResult['json'];
  const buffer = bodyBytes.subarray(length);
  const offsets = new Map<string, number>();
  let index = 0;
  for (const output of json.outputs) {
    const size = output.parameters?.binary_data_size;
    if (size !== undefined) {
      offsets.set(output.name, index);
      index += size as number;
    }
  }
  return {
    json,
    asNumpy(name) {
      const output = json.outputs.find((o) => o.name === name)!;
      const size = output.parameters?.binary_data_size as number | undefined;
      let values: unknown[];
      if (size === undefined) values = output.data!;
      else {
        const bytes = buffer.subarray(offsets.get(name)!, offsets.get(name)! + size);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        values = [];
        if (output.datatype === 'BYTES') {
          for (let at = 0; at < bytes.length;) {
            const n = view.getUint32(at, true);
            values.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + n)));
            at += 4 + n;
          }
        } else {
          const width = {
            BOOL: 1,
            UINT8: 1,
            INT8: 1,
            UINT16: 2,
            INT16: 2,
            FP16: 2,
            UINT32: 4,
            INT32: 4,
            FP32: 4,
            UINT64: 8,
            INT64: 8,
            FP64: 8,
          }[output.datatype as Exclude<Datatype, 'BYTES'>];
          for (let at = 0; at < bytes.length; at += width) {
            const read: Record<string, () => unknown> = {
              BOOL: () => view.getUint8(at) !== 0,
              UINT8: () => view.getUint8(at),
              INT8: () => view.getInt8(at),
              UINT16: () => view.getUint16(at, true),
              FP16: () => view.getUint16(at, true),
              INT16: () => view.getInt16(at, true),
              UINT32: () => view.getUint32(at, true),
              INT32: () => view.getInt32(at, true),
              FP32: () => view.getFloat32(at, true),
              FP64: () => view.getFloat64(at, true),
              UINT64: () => view.getBigUint64(at, true),
              INT64: () => view.getBigInt64(at, true),
            };
            values.push(read[output.datatype]!());
          }
        }
      }
      // reshape: the element count must match the shape.
      expect(values.length).toBe(output.shape.reduce((a, d) => a * d, 1));
      return { shape: output.shape, values };
    },
  };
}

describe('encodeBinaryResponse', () => {
  const response = (): InferResponse => ({
    model_name: 'penguins',
    model_version: '3',
    id: 'req-1',
    outputs: [
      { name: 'label', shape: [3], datatype: 'INT64', data: [1, -1, 2] },
      { name: 'probabilities', shape: [3, 2], datatype: 'FP32', data: [0.25, 0.75, 0.1, 0.9, 1, 0] },
      { name: 'prediction', shape: [3, 1], datatype: 'FP64', data: [0.1, -2.5, 1e300] },
      { name: 'species', shape: [3], datatype: 'BYTES', data: ['Adélie', '', 'Gentoo'] },
    ],
  });

  test('null when no output is wanted in binary', () => {
    expect(encodeBinaryResponse(response(), () => false)).toBeNull();
  });

  test('every output in binary: the layout, headers and values as the client reads them', () => {
    const encoded = encodeBinaryResponse(response(), () => true)!;
    expect(encoded.headers).toEqual({
      'Content-Type': BINARY_CONTENT_TYPE,
      'Inference-Header-Content-Length': String(encoded.headerLength),
    });
    expect(BINARY_CONTENT_TYPE).toBe('application/octet-stream');
    const result = clientResult(encoded.body, encoded.headers['Inference-Header-Content-Length']!);
    expect(result.json).toEqual({
      model_name: 'penguins',
      model_version: '3',
      id: 'req-1',
      outputs: [
        { name: 'label', shape: [3], datatype: 'INT64', parameters: { binary_data_size: 24 } },
        { name: 'probabilities', shape: [3, 2], datatype: 'FP32', parameters: { binary_data_size: 24 } },
        { name: 'prediction', shape: [3, 1], datatype: 'FP64', parameters: { binary_data_size: 24 } },
        { name: 'species', shape: [3], datatype: 'BYTES', parameters: { binary_data_size: 4 + 7 + 4 + 4 + 6 } },
      ],
    });
    expect(encoded.body.length).toBe(encoded.headerLength + 24 + 24 + 24 + 25);
    expect(result.asNumpy('label').values).toEqual([1n, -1n, 2n]);
    expect(result.asNumpy('probabilities')).toEqual({ shape: [3, 2], values: [0.25, 0.75, Math.fround(0.1), Math.fround(0.9), 1, 0] });
    expect(result.asNumpy('prediction').values).toEqual([0.1, -2.5, 1e300]);
    expect(result.asNumpy('species').values).toEqual(['Adélie', '', 'Gentoo']);
    // The label bytes written out by hand: 1, -1, 2 as little-endian int64.
    expect(encoded.body.subarray(encoded.headerLength, encoded.headerLength + 24).toString('hex')).toBe(
      '0100000000000000' + 'ffffffffffffffff' + '0200000000000000',
    );
  });

  test('only the outputs wanted go in binary, their bytes in output order; the others keep their JSON data', () => {
    const wanted = binaryOutputsWanted({
      outputs: [
        { name: 'species', parameters: { binary_data: true } },
        { name: 'probabilities', parameters: { binary_data: true } },
        { name: 'label' },
      ],
    });
    const encoded = encodeBinaryResponse(response(), wanted)!;
    const result = clientResult(encoded.body, String(encoded.headerLength));
    expect(result.json.outputs.map((o) => [o.name, o.data !== undefined, o.parameters?.binary_data_size])).toEqual([
      ['label', true, undefined],
      ['probabilities', false, 24],
      ['prediction', true, undefined],
      ['species', false, 25],
    ]);
    expect(encoded.body.length).toBe(encoded.headerLength + 24 + 25);
    expect(result.asNumpy('label').values).toEqual([1, -1, 2]);
    expect(result.asNumpy('species').values).toEqual(['Adélie', '', 'Gentoo']);
    // probabilities (declared first in the outputs) come before species in the bytes.
    expect(encoded.body.readFloatLE(encoded.headerLength)).toBe(0.25);
  });

  test('the header length counts bytes of multi-byte JSON; other parameters are kept; typed arrays are taken', () => {
    const encoded = encodeBinaryResponse(
      {
        model_name: '企鹅',
        model_version: '1',
        id: 'ü',
        outputs: [
          { name: 'label', shape: [2], datatype: 'INT64', data: BigInt64Array.from([5n, -7n]), parameters: { note: 'é' } },
          { name: 'p', shape: [2], datatype: 'FP32', data: Float32Array.from([0.5, 2]) },
        ],
      },
      () => true,
    )!;
    const json = JSON.stringify({
      model_name: '企鹅',
      model_version: '1',
      id: 'ü',
      outputs: [
        { name: 'label', shape: [2], datatype: 'INT64', parameters: { note: 'é', binary_data_size: 16 } },
        { name: 'p', shape: [2], datatype: 'FP32', parameters: { binary_data_size: 8 } },
      ],
    });
    expect(encoded.headerLength).toBe(Buffer.byteLength(json));
    expect(encoded.headerLength).toBeGreaterThan(json.length);
    const result = clientResult(encoded.body, String(encoded.headerLength));
    expect(result.json.model_name).toBe('企鹅');
    expect(result.asNumpy('label').values).toEqual([5n, -7n]);
    expect(result.asNumpy('p').values).toEqual([0.5, 2]);
  });

  test.each<[Datatype, unknown[], unknown[]]>([
    ['BOOL', [true, false], [true, false]],
    ['UINT8', [0, 255], [0, 255]],
    ['UINT16', [0, 65535], [0, 65535]],
    ['UINT32', [0, 4294967295], [0, 4294967295]],
    ['UINT64', [0, 2 ** 60], [0n, 2n ** 60n]],
    ['INT8', [-128, 127], [-128, 127]],
    ['INT16', [-32768, 32767], [-32768, 32767]],
    ['INT32', [-2147483648, 2147483647], [-2147483648, 2147483647]],
    ['INT64', [-(2 ** 62), 2n ** 63n - 1n], [-(2n ** 62n), 2n ** 63n - 1n]],
    ['FP16', [1, 0.1], [0x3c00, 0x2e66]],
    ['FP32', [-0.5, 3], [-0.5, 3]],
    ['FP64', [Math.PI, -0], [Math.PI, -0]],
    ['BYTES', ['日本語', '🙂'], ['日本語', '🙂']],
  ])('%s values read back as the client reads them', (datatype, data, expected) => {
    const encoded = encodeBinaryResponse({ outputs: [{ name: 'o', shape: [1, 2], datatype, data }] }, () => true)!;
    expect(clientResult(encoded.body, String(encoded.headerLength)).asNumpy('o')).toEqual({ shape: [1, 2], values: expected });
  });

  test('FP16 answers round to the nearest half, ties to even (bit patterns worked out by hand)', () => {
    const cases: Array<[number, number]> = [
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65519, 0x7bff],
      [65520, 0x7c00], // halfway to 65536 rounds to even: infinity
      [1e6, 0x7c00],
      [-Infinity, 0xfc00],
      [NaN, 0x7e00],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000], // halfway between 0 and 2^-24: even is 0
      [1.5 * 2 ** -24, 0x0002], // halfway between 1 and 2 (subnormal units): even is 2
      [2 ** -14, 0x0400],
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and 1 + 2^-10: even fraction 0
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between fractions 1 and 2: even is 2
      [0.1, 0x2e66],
      [-0, 0x8000],
      [1 / 3, 0x3555],
    ];
    for (const [value, bits] of cases) expect([value, numberToHalf(value)]).toEqual([value, bits]);
  });

  test("data that does not fit the output's shape or datatype is the server's fault: an Error, not a 400", () => {
    const fails = (output: InferResponse['outputs'][number]) => {
      try {
        encodeBinaryResponse({ outputs: [output] }, () => true);
      } catch (error) {
        expect(error).not.toBeInstanceOf(HttpError);
        return (error as Error).message;
      }
      throw new Error('expected an Error');
    };
    expect(fails({ name: 'o', shape: [3], datatype: 'FP32', data: [1, 2] })).toBe('output "o": 2 values where the shape [3] needs 3');
    expect(fails({ name: 'o', shape: [2], datatype: 'INT64', data: [1, 1.5] })).toBe('output "o": INT64 cannot hold value 1 (1.5)');
    expect(fails({ name: 'o', shape: [1], datatype: 'UINT8', data: [256] })).toBe('output "o": UINT8 cannot hold value 0 (256)');
    expect(fails({ name: 'o', shape: [1], datatype: 'BYTES', data: [3] })).toBe(
      'output "o": value 0 (3) is not a BYTES element (a string or bytes)',
    );
    expect(fails({ name: 'o', shape: [1], datatype: 'BF16', data: [1] })).toMatch(/^output "o": datatype "BF16" is not one of BOOL, /);
  });

  test('a decoded request and an encoded answer go end to end through decodeOip', () => {
    const { body: raw, header } = clientRequest([{ name: 'x', shape: [2, 1], datatype: 'FP32', raw: numpyBytes('FP32', [0.5, 1.5]) }], {
      outputs: [{ name: 'prediction' }],
    });
    const request = decodeBinaryRequest(raw, header);
    const decoded = decodeOip(request);
    expect(decoded.outputs).toEqual(['prediction']);
    const values = decoded.records.map((r) => (r.x as number) * 2);
    const encoded = encodeBinaryResponse(
      { model_name: 'm', model_version: '1', id: 'x', outputs: [{ name: 'prediction', shape: [2], datatype: 'FP64', data: values }] },
      binaryOutputsWanted(request),
    )!;
    expect(clientResult(encoded.body, String(encoded.headerLength)).asNumpy('prediction').values).toEqual([1, 3]);
  });
});
