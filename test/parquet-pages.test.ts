/**
 * Parquet page decoding in WebAssembly (pages.wat, wasm-pages.ts) against independent encoders
 * and hyparquet's decoders: snappy streams from hyparquet-writer's compressor and made by hand,
 * levels and dictionary indices from hyparquet-writer's RLE/bit-packed encoder, PLAIN pages of
 * each physical type; and every Parquet fixture, and a file of many pages, read batch by batch the
 * same with WebAssembly as with the JavaScript decoders.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { openParquet } from '../src/core/data/parquet.js';
import { Kind } from '../src/core/data/values.js';
import { PageError, PlainType, WasmPages, useWasmPages, wasmPages } from '../src/core/data/wasm-pages.js';
import { prng as random } from './support/random.js';

function bytesOf(values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** hyparquet-writer's RLE/bit-packed hybrid encoding of `values` at `width` bits. */
function hybrid(values: number[], width: number): Uint8Array {
  const writer = new ByteWriter();
  writeRleBitPackedHybrid(writer, values, width);
  return new Uint8Array(writer.getBuffer().slice(0, writer.offset));
}

let pages: WasmPages;
beforeAll(() => {
  const loaded = wasmPages();
  if (loaded === null) throw new Error('the WebAssembly page decoder did not load');
  pages = loaded;
});

describe('snappy', () => {
  const rand = random(7);
  const doubles = new Float64Array(20000).map(() => Math.round((rand() * 1000 - 500) * 1e4) / 1e4);
  const inputs: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['one byte', bytesOf([42])],
    ['random bytes (long literals)', Uint8Array.from({ length: 100_000 }, () => Math.floor(rand() * 256))],
    ['a megabyte of zeros (copies of one byte back)', new Uint8Array(1 << 20)],
    ['doubles of 4 decimals', new Uint8Array(doubles.buffer)],
    ['text', new TextEncoder().encode('alpha,beta,gamma,delta\n'.repeat(3000) + 'epsilon')],
    ...[2, 3, 5, 7, 9, 12, 15, 17].map((period): [string, Uint8Array] => [
      `a pattern of period ${period} (overlapping copies)`,
      Uint8Array.from({ length: 5000 }, (_, i) => (i % period) * 31),
    ]),
    ['lengths 1-200 of random runs', Uint8Array.from({ length: 60_000 }, (_, i) => Math.floor(i / (1 + (i % 200))) & 255)],
  ];

  test.each(inputs)('%s decompresses to its bytes', (_name, input) => {
    const compressed = snappyCompress(input);
    expect(Buffer.from(pages.snappy(compressed, input.length)).equals(Buffer.from(input))).toBe(true);
  });

  test('copies with 2- and 4-byte offsets, and literal lengths in 1-4 bytes', () => {
    const literal = (text: string): number[] => {
      const n = text.length - 1;
      const head = n < 60 ? [n << 2] : n < 256 ? [60 << 2, n] : [61 << 2, n & 255, n >> 8];
      return [...head, ...Array.from(text, (c) => c.charCodeAt(0))];
    };
    const long = 'x'.repeat(300);
    // "abcdefgh", 20 bytes from 8 back (4-byte offset), 3 from 2 back (2-byte offset), 300 x's (2-byte length).
    const body = [...literal('abcdefgh'), (19 << 2) | 3, 8, 0, 0, 0, (2 << 2) | 2, 2, 0, ...literal(long)];
    const expected = 'abcdefgh' + 'abcdefghabcdefghabcd' + 'cdc' + long;
    const stream = bytesOf([...varint(expected.length), ...body]);
    expect(new TextDecoder().decode(pages.snappy(stream, expected.length))).toBe(expected);
  });

  test.each([
    ['its length says another size', [5, 0], 6, 'length preamble'],
    ['no length', [], 0, 'length preamble'],
    ['a copy before the start', [4, (0 << 2) | 1, 1], 4, 'before the start'],
    ['a copy of offset 0', [5, 0, 97, (0 << 2) | 1, 0], 5, 'before the start'],
    ['a literal past the input', [4, 3 << 2, 97], 4, 'ends inside an element'],
    ['more bytes than it says', [1, 1 << 2, 97, 98], 1, 'ends inside an element'],
    ['fewer bytes than it says', [3, 0, 97], 3, 'ends inside an element'],
    ['a 4-byte offset cut short', [5, 0, 97, (3 << 2) | 3, 1, 0], 5, 'ends inside an element'],
  ])('%s: refused', (_name, stream, size, message) => {
    expect(() => pages.snappy(bytesOf(stream as number[]), size as number)).toThrow(PageError);
    expect(() => pages.snappy(bytesOf(stream as number[]), size as number)).toThrow(message as string);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 128) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

describe('definition levels', () => {
  const rand = random(11);
  const patterns: Array<[string, (i: number) => number]> = [
    ['every row', () => 1],
    ['no row', () => 0],
    ['1% nulls', () => (rand() < 0.01 ? 0 : 1)],
    ['half', () => (rand() < 0.5 ? 0 : 1)],
    ['alternating', (i) => i & 1],
    ['runs of 13', (i) => Math.floor(i / 13) & 1],
  ];
  const cases = patterns.flatMap(([name, level]) =>
    [1, 7, 8, 9, 1000, 65537].map((rows): [string, number, (i: number) => number] => [name, rows, level]),
  );

  test.each(cases)('%s, %i rows: as hyparquet reads them', (_name, rows, level) => {
    const levels = Array.from({ length: rows }, (_, i) => level(i));
    const encoded = hybrid(levels, 1);
    const reference = new Uint8Array(rows);
    readRleBitPackedHybrid(
      { view: new DataView(encoded.buffer, encoded.byteOffset, encoded.length), offset: 0 },
      1,
      reference,
      encoded.length,
    );
    const { present, count } = pages.levels(encoded, 0, encoded.length, rows);
    expect(Array.from(present)).toEqual(Array.from(reference));
    expect(Array.from(present)).toEqual(levels);
    expect(count).toBe(levels.reduce((a, b) => a + b, 0));
  });

  test('runs past the last row are cut', () => {
    // An RLE run of 20 ones, then a bit-packed group of 8 (0b01010101): read as 25 rows.
    const { present, count } = pages.levels(bytesOf([40, 1, 3, 0x55]), 0, 4, 25);
    expect(Array.from(present)).toEqual([...Array(20).fill(1), 1, 0, 1, 0, 1]);
    expect(count).toBe(23);
  });

  test.each([
    ['levels that end before the last row', [16, 1], 9],
    ['a bit-packed run cut short', [5, 0xff], 16],
    ['a level of 2', [16, 2], 8],
    ['no bytes', [], 1],
  ])('%s: refused', (_name, encoded, rows) => {
    expect(() => pages.levels(bytesOf(encoded as number[]), 0, (encoded as number[]).length, rows as number)).toThrow(PageError);
  });
});

describe('dictionary indices', () => {
  const rand = random(13);
  const widths = [1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32];
  const cases = widths.flatMap((width) => [
    [width, 'random', 5001],
    [width, 'runs', 3000],
  ]) as Array<[number, string, number]>;

  /**
   * The hybrid encoding written here, a bit at a time: runs of 8 or more equal values as RLE runs,
   * the rest as bit-packed groups of 8 (hyparquet-writer's encoder loses bits past a width of 24).
   */
  function hybridByHand(values: number[], width: number): Uint8Array {
    const out: number[] = [];
    let i = 0;
    while (i < values.length) {
      let run = 1;
      while (i + run < values.length && values[i + run] === values[i]) run++;
      if (run >= 8) {
        out.push(...varint(run << 1));
        for (let b = 0; b < Math.ceil(width / 8); b++) out.push(Math.floor((values[i]! >>> 0) / 2 ** (8 * b)) & 255);
        i += run;
        continue;
      }
      const group = values.slice(i, i + 8).map((v) => v >>> 0);
      out.push(...varint(3)); // one group of 8
      const bits = new Uint8Array(width);
      let position = 0;
      for (let k = 0; k < 8; k++)
        for (let bit = 0; bit < width; bit++, position++)
          if (Math.floor((group[k] ?? 0) / 2 ** bit) % 2 === 1) bits[position >> 3]! |= 1 << (position & 7);
      out.push(...bits);
      i += 8;
    }
    return Uint8Array.from(out);
  }

  test.each(cases)('width %i, %s values: as written', (width, pattern, count) => {
    const top = 2 ** width;
    const values = Array.from(
      { length: count },
      (_, i) => (pattern === 'random' ? Math.floor(rand() * top) : Math.floor(i / 50) % top) | 0,
    );
    const encoded = width <= 24 ? hybrid(values, width) : hybridByHand(values, width);
    const out = new Int32Array(count);
    pages.indices(encoded, 0, encoded.length, width, out);
    expect(Array.from(out)).toEqual(values);
    if (width <= 24) {
      // hyparquet's decoder, too, keeps its bits in 32: past a width of 24 it is no reference.
      const reference = new Int32Array(count);
      readRleBitPackedHybrid(
        { view: new DataView(encoded.buffer, encoded.byteOffset, encoded.length), offset: 0 },
        width,
        reference,
        encoded.length,
      );
      expect(Array.from(out)).toEqual(Array.from(reference));
    }
  });

  test.each([
    ['a width over 32', [2, 1], 33, 1, 'at most 32'],
    ['indices that end early', [2, 1], 3, 5, 'end before'],
    ['a bit-packed run cut short', [3, 0xff], 3, 8, 'end before'],
  ])('%s: refused', (_name, encoded, width, count, message) => {
    const out = new Int32Array(count as number);
    expect(() => pages.indices(bytesOf(encoded as number[]), 0, (encoded as number[]).length, width as number, out)).toThrow(
      message as string,
    );
  });
});

describe('PLAIN pages spread out to rows', () => {
  /** A data page v1: definition levels (when given) with their length first, then the values. */
  function page(levels: number[] | null, values: Uint8Array): Uint8Array {
    const parts: number[] = [];
    if (levels !== null) {
      const encoded = hybrid(levels, 1);
      parts.push(encoded.length & 255, (encoded.length >> 8) & 255, (encoded.length >> 16) & 255, encoded.length >>> 24, ...encoded);
    }
    return Uint8Array.from([...parts, ...values]);
  }

  const doubles = [1.5, -0, 0, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, -1234.5678];
  const typed: Array<[string, PlainType, Uint8Array, number[]]> = [
    ['doubles', PlainType.Double, new Uint8Array(new Float64Array(doubles).buffer), doubles],
    [
      '32-bit integers',
      PlainType.Int32,
      new Uint8Array(new Int32Array([0, -1, 2147483647, -2147483648, 7]).buffer),
      [0, -1, 2147483647, -2147483648, 7],
    ],
    [
      'unsigned 32-bit integers',
      PlainType.Uint32,
      new Uint8Array(new Int32Array([0, -1, -2147483648]).buffer),
      [0, 4294967295, 2147483648],
    ],
    [
      '64-bit integers',
      PlainType.Int64,
      new Uint8Array(new BigInt64Array([0n, -1n, 9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n, 123456789012n]).buffer),
      [0, -1, 9007199254740992, -(2 ** 63), 2 ** 63, 123456789012],
    ],
    [
      'unsigned 64-bit integers',
      PlainType.Uint64,
      new Uint8Array(new BigUint64Array([0n, 2n ** 64n - 1n, 2n ** 53n + 3n]).buffer),
      [0, 2 ** 64, 2 ** 53 + 4],
    ],
  ];
  const kindOf = (type: PlainType, value: number): number =>
    type !== PlainType.Double ? Kind.Integer : Number.isNaN(value) ? Kind.NaN : Math.abs(value) === Infinity ? Kind.Infinity : Kind.Number;

  test.each(typed)('%s, every row holding one, snappy and not', (_name, type, raw, numbers) => {
    const data = page(null, raw);
    for (const snappy of [false, true]) {
      const rows = pages.plainPage(snappy ? snappyCompress(data) : data, snappy, data.length, numbers.length, null, type);
      expect(Array.from(rows.kinds)).toEqual(numbers.map((n) => kindOf(type, n)));
      expect(Array.from(rows.values)).toEqual(numbers);
      // -0 stays -0.
      expect(Array.from(rows.values).map((v) => Object.is(v, -0))).toEqual(numbers.map((n) => Object.is(n, -0)));
    }
  });

  test.each(
    typed.flatMap(([name, ...rest]) => [[`${name} (data page v1)`, ...rest, 1] as const, [`${name} (data page v2)`, ...rest, 2] as const]),
  )('%s between nulls', (_name, type, raw, numbers, version) => {
    // Nulls first, between every two values, and last.
    const levels = [0, ...numbers.flatMap((_, i) => (i === 0 ? [1] : [0, 1])), 0, 0];
    // Version 1: the levels, with their length, start the page; version 2: they come apart, not compressed.
    const data = version === 1 ? page(levels, raw) : raw;
    const rows = pages.plainPage(
      snappyCompress(data),
      true,
      data.length,
      levels.length,
      version === 1 ? 'inline' : hybrid(levels, 1),
      type,
    );
    let v = 0;
    const expectedKinds = levels.map((l) => (l === 0 ? Kind.Null : kindOf(type, numbers[v++]!)));
    v = 0;
    const expectedValues = levels.map((l) => (l === 0 ? NaN : numbers[v++]!));
    expect(Array.from(rows.kinds)).toEqual(expectedKinds);
    expect(Array.from(rows.values)).toEqual(expectedValues);
  });

  test.each([
    ['values cut short', () => page([1, 1, 1], new Uint8Array(16)), 3, 'ends before its 3 values'],
    ['levels longer than the page', () => Uint8Array.from([200, 0, 0, 0, 2, 1]), 2, 'levels run past its end'],
    ['levels that end early', () => page(null, Uint8Array.from([0, 0, 0, 0])), 2, 'definition levels end'],
  ])('%s: refused', (_name, make, rows, message) => {
    const data = make();
    expect(() => pages.plainPage(data, false, data.length, rows as number, 'inline', PlainType.Double)).toThrow(message as string);
  });

  test('a page of another size than its header says: refused', () => {
    expect(() => pages.plainPage(new Uint8Array(16), false, 24, 3, null, PlainType.Double)).toThrow('where its header says 24');
  });

  test('levels apart (data page v2) that end before the last row: refused', () => {
    expect(() => pages.plainPage(new Uint8Array(16), false, 16, 3, Uint8Array.from([4, 1]), PlainType.Double)).toThrow(
      'definition levels end',
    );
  });
});

describe('files read the same with WebAssembly as without', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pages-'));
  });
  afterAll(async () => {
    useWasmPages(true);
    await rm(dir, { recursive: true, force: true });
  });

  /** Every batch's arrays and texts, as read with or without WebAssembly. */
  async function read(path: string, wasm: boolean, batchRows?: number): Promise<string[]> {
    expect(useWasmPages(wasm)).toBe(wasm);
    const file = await openParquet(path, { batchRows });
    const out: string[] = [];
    for await (const batch of file.batches()) {
      for (const column of batch.columns) {
        const texts = Array.from({ length: batch.rows }, (_, i) => column.text(i));
        out.push(
          JSON.stringify([
            column.column.name,
            batch.firstRow,
            Array.from(column.kinds),
            Buffer.from(column.values.buffer, column.values.byteOffset, column.values.byteLength).toString('base64'),
            column.codes ? Array.from(column.codes) : null,
            texts,
          ]),
        );
      }
    }
    return out;
  }

  test('every fixture', async () => {
    const fixtures = join(import.meta.dirname, 'fixtures', 'parquet');
    const names = (await readdir(fixtures)).filter((n) => n.endsWith('.parquet') && !/list|struct|blob/.test(n));
    expect(names.length).toBeGreaterThanOrEqual(12);
    const spy = jest.spyOn(WasmPages.prototype, 'plainPage');
    try {
      for (const name of names) {
        const withWasm = await read(join(fixtures, name), true);
        expect({ name, batches: await read(join(fixtures, name), false) }).toEqual({ name, batches: withWasm });
      }
      // Pages of version 1 went through WebAssembly.
      expect(spy.mock.calls.map((call) => call[4])).toContain('inline');
    } finally {
      spy.mockRestore();
    }
  });

  test('a file of many snappy pages and row groups, read in batches that cut pages', async () => {
    const rand = random(3);
    const rows = 30_000;
    const nullable = <T>(make: (i: number) => T): Array<T | null> =>
      Array.from({ length: rows }, (_, i) => (rand() < 0.02 ? null : make(i)));
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'x', data: nullable(() => (rand() < 0.001 ? NaN : Math.round(rand() * 1e6) / 1e4)), type: 'DOUBLE' },
        { name: 'n', data: nullable((i) => BigInt(i) * 1000003n - 5000000000n), type: 'INT64' },
        { name: 'k', data: nullable((i) => i % 1000), type: 'INT32' },
        { name: 's', data: nullable((i) => ['alpha', 'beta', 'gamma', ''][i % 4]!), type: 'STRING' },
        { name: 'required', data: Array.from({ length: rows }, (_, i) => i * 0.5), type: 'DOUBLE', nullable: false },
      ],
      rowGroupSize: 7000,
      pageSize: 4096,
    });
    const path = join(dir, 'pages.parquet');
    await writeFile(path, new Uint8Array(buffer));
    const spy = jest.spyOn(WasmPages.prototype, 'plainPage');
    await read(path, true);
    // hyparquet-writer writes data pages v2: levels apart went through WebAssembly, on 2 columns of 14 pages each and one required.
    expect(spy.mock.calls.filter((call) => call[4] instanceof Uint8Array).length).toBeGreaterThanOrEqual(20);
    expect(spy.mock.calls.map((call) => call[4])).toContain(null);
    spy.mockRestore();
    for (const batchRows of [1000, 65536]) {
      const withWasm = await read(path, true, batchRows);
      // Row groups of 7,000, 7,000, 7,000, 7,000 and 2,000 rows; 5 columns.
      expect(withWasm.length).toBe(5 * (batchRows === 1000 ? 4 * 7 + 2 : 5));
      expect(await read(path, false, batchRows)).toEqual(withWasm);
    }
  });
});
