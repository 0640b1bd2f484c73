/**
 * The WebAssembly build of Parquet page decoding (pages.wat), as a thread holds it: snappy
 * decompression, the definition levels of flat columns, dictionary indices, and PLAIN doubles and
 * integers spread out to a kind and a number a row. Each call lays out its input and output in the module's memory and
 * reads them out before returning (or returns views of them, valid until the next call), so the
 * column cursors of a thread share one instance without holding anything in it.
 */
import { Kind } from './values.js';
import { WasmModule } from '../wasm.js';
import { WASM_BYTES } from './pages-wasm.js';

interface PagesExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  setCodes(nullKind: number, integer: number, number: number, nan: number, infinity: number): void;
  snappy(src: number, srcLen: number, dst: number, dstLen: number): number;
  levels(src: number, end: number, rows: number, dst: number): number;
  indices(src: number, end: number, width: number, count: number, dst: number): number;
  expand(present: number, rows: number, src: number, type: number, kinds: number, values: number): void;
}

/** The PLAIN physical values `plainPage` reads, with how many bytes each takes. */
export const PlainType = {
  Double: 0,
  Int32: 1,
  Uint32: 2,
  Int64: 3,
  Uint64: 4,
} as const;
export type PlainType = (typeof PlainType)[keyof typeof PlainType];
const WIDTHS = [8, 4, 4, 8, 8];

/** A page's rows, as `plainPage` decoded them: views of the module's memory, valid until its next call. */
export interface PlainRows {
  kinds: Uint8Array;
  values: Float64Array;
}

/** A page that does not decode, with what is wrong (the caller names the file and column). */
export class PageError extends Error {}

const WASM_PAGE = 65536;
/** Where the caller's layout starts: after the bit table. */
const BASE = 2048;
/** Room left after each output (writers may write up to 16 bytes past their end) and after snappy's input (read past). */
const SLACK = 16;

const SNAPPY_ERRORS: Record<number, string> = {
  [-1]: "its snappy data's length preamble is bad or does not match the page's size",
  [-2]: 'a snappy copy reaches before the start of the page',
  [-3]: 'its snappy data ends inside an element or makes a page of another size',
};

function align(offset: number): number {
  return (offset + 15) & ~15;
}

export class WasmPages {
  private readonly exports: PagesExports;
  private bytes: Uint8Array;

  constructor(exports: PagesExports) {
    this.exports = exports;
    exports.setCodes(Kind.Null, Kind.Integer, Kind.Number, Kind.NaN, Kind.Infinity);
    this.bytes = new Uint8Array(exports.memory.buffer);
  }

  /** Grows the memory to hold `end` bytes. */
  private reserve(end: number): Uint8Array {
    const have = this.exports.memory.buffer.byteLength;
    if (end > have) {
      this.exports.memory.grow(Math.ceil((Math.max(end, have + (have >>> 1)) - have) / WASM_PAGE));
      this.bytes = new Uint8Array(this.exports.memory.buffer);
    }
    return this.bytes;
  }

  /** Decompresses the snappy block [input, input + length) of the memory to [output, output + size). */
  private unsnappy(input: number, length: number, output: number, size: number): void {
    const status = this.exports.snappy(input, length, output, size);
    if (status !== 0) throw new PageError(SNAPPY_ERRORS[status] ?? `snappy status ${status}`);
  }

  /** The snappy block `data` decompressed to `size` bytes (a new array). */
  snappy(data: Uint8Array, size: number): Uint8Array {
    const input = BASE;
    const output = align(input + data.length + SLACK);
    const bytes = this.reserve(output + size + SLACK);
    bytes.set(data, input);
    this.unsnappy(input, data.length, output, size);
    return bytes.slice(output, output + size);
  }

  /**
   * The definition levels of a flat optional column (bit width 1, RLE/bit-packed hybrid) in
   * page[start, end), one byte a row (1 where it holds a value), with the rows that hold one.
   */
  levels(page: Uint8Array, start: number, end: number, rows: number): { present: Uint8Array; count: number } {
    const input = BASE;
    const output = align(input + (end - start));
    const bytes = this.reserve(output + rows + SLACK);
    bytes.set(page.subarray(start, end), input);
    const count = this.exports.levels(input, input + (end - start), rows, output);
    if (count < 0) throw new PageError('its definition levels end before its last row or hold a level above 1');
    return { present: bytes.slice(output, output + rows), count };
  }

  /** `out.length` dictionary indices of `width` bits (RLE/bit-packed hybrid) in page[start, end), into `out`. */
  indices(page: Uint8Array, start: number, end: number, width: number, out: Int32Array): void {
    const count = out.length;
    if (width > 32) throw new PageError(`its dictionary indices are ${width} bits wide (at most 32)`);
    const input = BASE;
    const output = align(input + (end - start) + SLACK);
    const bytes = this.reserve(output + 4 * count + SLACK);
    bytes.set(page.subarray(start, end), input);
    if (this.exports.indices(input, input + (end - start), width, count, output) < 0)
      throw new PageError('its dictionary indices end before its last value');
    out.set(new Int32Array(bytes.buffer, output, count));
  }

  /**
   * A data page of a flat column of PLAIN doubles or integers: `data` as stored (snappy when
   * `snappy`, else already decompressed), `size` bytes decompressed, `rows` rows. Definition levels
   * are `'inline'` at the page's start with their length first (data pages v1 of an optional
   * column), `levels` when given apart (data pages v2 with nulls), or none (every row holds a value).
   * Returns each row's kind and number.
   */
  plainPage(
    data: Uint8Array,
    snappy: boolean,
    size: number,
    rows: number,
    levels: 'inline' | Uint8Array | null,
    type: PlainType,
  ): PlainRows {
    const e = this.exports;
    const apart = levels instanceof Uint8Array ? levels : null;
    const levelsIn = BASE;
    const input = align(levelsIn + (apart?.length ?? 0) + SLACK);
    const page = snappy ? align(input + data.length + SLACK) : input;
    const present = align(page + size + SLACK);
    const kinds = align(present + rows + SLACK);
    const values = align(kinds + rows + SLACK);
    const bytes = this.reserve(values + 8 * rows + SLACK);
    bytes.set(data, input);
    if (snappy) this.unsnappy(input, data.length, page, size);
    else if (data.length !== size) throw new PageError(`it holds ${data.length} bytes where its header says ${size}`);
    let at = page;
    let count = rows;
    if (levels === 'inline') {
      if (size < 4) throw new PageError('it ends before its definition levels');
      const length = bytes[page]! | (bytes[page + 1]! << 8) | (bytes[page + 2]! << 16) | (bytes[page + 3]! << 24);
      if (length < 0 || length > size - 4) throw new PageError('its definition levels run past its end');
      count = e.levels(page + 4, page + 4 + length, rows, present);
      at = page + 4 + length;
    } else if (apart !== null) {
      bytes.set(apart, levelsIn);
      count = e.levels(levelsIn, levelsIn + apart.length, rows, present);
    }
    if (count < 0) throw new PageError('its definition levels end before its last row or hold a level above 1');
    if (count * WIDTHS[type]! > page + size - at) throw new PageError(`it ends before its ${count} values`);
    e.expand(count < rows ? present : 0, rows, at, type, kinds, values);
    return {
      kinds: bytes.subarray(kinds, kinds + rows),
      values: new Float64Array(bytes.buffer, values, rows),
    };
  }
}

const pagesModule = new WasmModule(WASM_BYTES, (exports) => new WasmPages(exports as PagesExports));

/** This thread's WebAssembly page decoder, or null when its module cannot be instantiated (or `useWasmPages(false)` turned it off). */
export function wasmPages(): WasmPages | null {
  return pagesModule.get();
}

/**
 * Whether Parquet files opened from now on decode their pages in WebAssembly where it can; `false`
 * makes them use the JavaScript decoders (the tests and benchmarks compare the two). Returns
 * whether it is in use.
 */
export function useWasmPages(on: boolean): boolean {
  return pagesModule.use(on);
}
