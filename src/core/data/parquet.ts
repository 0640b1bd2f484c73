/**
 * Reading Parquet files of flat columns, one batch of rows at a time (never more than one
 * row group's worth, and at most `batchRows` rows), into the value model every reader of this
 * project shares (values.ts): a kind per cell (null, integer, number, NaN, infinity, boolean,
 * datetime, string), its number (booleans 0/1, datetimes epoch milliseconds) and its text.
 *
 * The library, chosen by measurement. One file written by DuckDB 1.5.6: 1 M rows x 20 doubles
 * (4 decimals) + 5 dictionary strings, 1% nulls, snappy, 131 MB, 9 row groups. Each reader
 * streamed it row group by row group and touched every value (summed the numbers, counted texts
 * and nulls; all four agree on the sums). The 2 cores were shared with other work, so CPU seconds
 * (user + system) decide, not wall time; peak RSS of the process; two runs each; Node 20. The
 * last row is this module as committed (65,536-row batches, a 1 MB read window per column).
 * The file: DuckDB `COPY (SELECT CASE WHEN random() < 0.01 THEN NULL ELSE round(random() * 1000 - 500,
 * 4) END AS x0, ... x19, CASE WHEN random() < 0.01 THEN NULL ELSE ['alpha', ..., 'eta'][...] END AS
 * c0, ... c4 FROM range(1000000)) TO 'bench.parquet' (FORMAT parquet, COMPRESSION snappy)`.
 *
 *   reader                                           rows/CPU-s       peak RSS    installed  in one ncc bundle
 *   hyparquet 1.33 parquetRead, a row group a time   130-145 k        333-359 MB  0.9 MB     yes, pure JS
 *   parquet-wasm 0.8 (Rust) -> Arrow IPC -> arrow    217-236 k        315-343 MB  27 MB      .wasm copied beside
 *   DuckDB @duckdb/node-api 1.5.6, fetchChunk        166-180 k        204-214 MB  70 MB      no: native addon
 *   hyparquet page decoders + flat assembly (here)   477-480 k        167-172 MB  0.9 MB     yes (506 KB with writer)
 *
 * hyparquet's row API builds every value through its nested-column assembler (a JS array per
 * page, a definition level per value even without nulls): two thirds of its time went there
 * and into the garbage it leaves. Its page-level pieces (footer and page-header parsing,
 * RLE/bit-packing, PLAIN, DELTA_*, BYTE_STREAM_SPLIT) are fast, and a flat column needs no
 * assembly: definition levels of 0/1 go into a Uint8Array and values straight into typed
 * arrays, which is what this module does. Compression: snappy in this project's WebAssembly
 * (below), zstd and LZ4 through hyparquet-compressors (zstd in pure JS); gzip and brotli through
 * node:zlib (7.1 s against hyparquet-compressors' 17.6 s on the gzip copy of the file).
 *
 * The pages most files are made of decode in WebAssembly (pages.wat, wasm-pages.ts): snappy
 * straight into the module's memory, definition levels, dictionary indices, and PLAIN doubles and
 * integers (data pages v1 and v2) spread out to a kind and a number a row, in one pass, where hyparquet's
 * decoders and a JavaScript copy took four (and hysnappy, the snappy of hyparquet-compressors,
 * instantiates its module again for each page and copies its output out). When WebAssembly is not
 * there, the JavaScript decoders read every page, with the same results (tests compare the two).
 * Maintenance (registry): hyparquet 1.33.0 on 2026-11-08, 20+ releases in 2026; parquet-wasm
 * 0.8.0 on 2026-09-19; @duckdb/node-api 1.5.6-r.1 on 2026-09-29. hyparquet is pinned exactly to
 * 1.31.5, the version hyparquet-writer (predict's Parquet output) pins, so the bundle holds one
 * copy, and because this module imports `hyparquet/src/*.js`, which the package exports but does
 * not promise to keep stable: update it deliberately, with test/parquet.test.ts.
 *
 * End to end, validate-data (scanData, no schema) on 8 M rows of the same shape: the 1.05 GB
 * snappy Parquet file in 23.7 s with 2 reader threads (338 k rows/s, 306 MB peak RSS) or 41.4 s
 * on one (193 k rows/s, 197 MB); the 1.68 GB CSV of the same rows in 64-67 s (120-124 k rows/s).
 * The profiles of the Parquet file and of its CSV are identical.
 *
 * Types (the Parquet logical or converted type first, else the physical one):
 * - INT32, INT64, INT(8/16/32/64, signed or not) -> integer. Beyond +/-2^53 an INT64 is rounded to
 *   the nearest double, as the CSV path reads "9007199254740993".
 * - FLOAT, DOUBLE, FLOAT16 -> number; NaN and infinities are the NaN and infinity kinds, as the
 *   CSV path reads "nan" and "inf". A FLOAT reads as the shortest decimal that gives the same
 *   float (0.1f is 0.1, not 0.10000000149011612), as DuckDB, Arrow and pandas print it.
 * - DECIMAL(p, s) (INT32, INT64, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY) -> number (integer when s is
 *   0), the double nearest the exact decimal, as the CSV path reads "1234.56".
 * - BOOLEAN -> boolean.
 * - DATE -> datetime, text "2024-01-02". TIMESTAMP (MILLIS, MICROS, NANOS; and legacy INT96) ->
 *   datetime, text ISO 8601 with the unit's digits ("2024-01-02T03:04:05.123456"), with "Z" when
 *   adjusted to UTC; the number is epoch milliseconds (the sub-millisecond digits stay in the text).
 * - STRING / UTF8, ENUM, JSON, UUID, TIME -> text. As for JSON Lines strings, the configured null
 *   values ("", "NA", ...) read as null and ISO dates as datetimes; other text stays text (a
 *   string "12" is text here where a CSV cell 12 is an integer: Parquet says what it is).
 * - BYTE_ARRAY without an annotation: read as text when it is UTF-8 (older writers leave strings
 *   unannotated), an error naming the column when it is not.
 * - Refused when the file is opened, naming the column: lists, structs and maps ("not supported:
 *   column tags is a list"), INTERVAL, BSON, GEOMETRY/GEOGRAPHY, FIXED_LEN_BYTE_ARRAY without a
 *   type. Compressions: snappy, gzip, zstd, brotli, LZ4 (LZO refused); encodings: PLAIN,
 *   dictionary, RLE, DELTA_*, BYTE_STREAM_SPLIT; data pages v1 and v2. Encrypted files refused.
 *
 * Memory: a batch of `batchRows` rows of the columns read, and per column the window of the
 * file being read (1 MB, or one page when larger) and the page being decoded; never a whole
 * row group. validate-data reads a large file's columns on several threads (parallel.ts).
 */
import { isUtf8 } from 'node:buffer';
import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parquetMetadata } from 'hyparquet';
import type { ColumnMetaData, CompressionCodec, DataReader, FileMetaData, PageHeader, SchemaElement } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { deltaBinaryUnpack, deltaByteArray, deltaLengthByteArray } from 'hyparquet/src/delta.js';
import { byteStreamSplit, readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { compressors } from 'hyparquet-compressors';
import { UserError } from '../errors.js';
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier } from './values.js';
import { PlainType, wasmPages } from './wasm-pages.js';
import type { WasmPages } from './wasm-pages.js';

/** How a Parquet column's values read: the value model's types. */
export type ParquetValueType = 'integer' | 'number' | 'boolean' | 'datetime' | 'text';

export interface ParquetColumn {
  readonly name: string;
  readonly type: ParquetValueType;
  /** The column's type in Parquet, for people: "INT64", "DECIMAL(10,2)", "TIMESTAMP(MICROS, UTC)", "STRING". */
  readonly parquetType: string;
}

/** One column of a batch. Its arrays are reused: a batch is valid until the next one is asked for. */
export interface ParquetColumnBatch {
  readonly column: ParquetColumn;
  /** The kind (values.ts `Kind`) of each row's value. */
  readonly kinds: Uint8Array;
  /** Each row's number: integers and numbers as read, booleans 0/1, datetimes epoch ms; NaN for nulls and texts. */
  readonly values: Float64Array;
  /** Text columns: each row's index in `texts` (-1 for null); null for other columns. */
  readonly codes: Int32Array | null;
  /** Text columns: the texts the codes point into (the column chunk's dictionary first); null otherwise. */
  readonly texts: readonly string[] | null;
  /** The text of row `row` as the CSV of the same data would hold it; null for a null. */
  text(row: number): string | null;
}

export interface ParquetBatch {
  /** Rows in this batch. */
  readonly rows: number;
  /** Rows of the file before this batch. */
  readonly firstRow: number;
  readonly rowGroup: number;
  readonly columns: readonly ParquetColumnBatch[];
}

export interface ParquetReadOptions {
  /** Text values read as null (default: values.ts DEFAULT_NULL_VALUES), as for the other formats. */
  nullValues?: readonly string[];
  /** Read only these columns (default: all). */
  columns?: ReadonlySet<string> | null;
  /** Read only the columns at these positions (0-based, in file order; with `columns`, both must hold). */
  columnIndexes?: ReadonlySet<number> | null;
  /** Rows per batch at most (default 65,536; a batch never spans two row groups). */
  batchRows?: number;
  /** How messages name the file (default: its path). */
  name?: string;
  /**
   * The file's footer as an earlier open read it (`ParquetFile.footer`), used again when the file
   * still has that size: a reader thread opens the file once per column it is given.
   */
  footer?: ParquetFooter;
}

/** A Parquet file's footer, as read, with the file's size then. */
export interface ParquetFooter {
  readonly size: number;
  readonly metadata: FileMetaData;
}

export const DEFAULT_BATCH_ROWS = 65536;

const MAGIC = 0x31524150; // "PAR1", little-endian
const MAGIC_ENCRYPTED = 0x45524150; // "PARE"
/** Bytes read from a column chunk at once (more when a page is larger). */
const WINDOW_BYTES = 1 << 20;
const REWRITE_HINT =
  "Rewrite the file with plain columns, for example with DuckDB: COPY (SELECT ... FROM 'in.parquet') TO 'out.parquet' (FORMAT parquet).";

type TimeUnit = 'MILLIS' | 'MICROS' | 'NANOS';

/** How a column's physical values become the value model's. */
type Conversion =
  | { to: 'int'; unsigned: boolean }
  | { to: 'float32' }
  | { to: 'float64' }
  | { to: 'float16' }
  | { to: 'boolean' }
  | { to: 'decimal'; scale: number }
  | { to: 'date' }
  | { to: 'timestamp'; unit: TimeUnit; utc: boolean }
  | { to: 'int96' }
  | { to: 'time'; unit: TimeUnit }
  | { to: 'text'; checked: boolean }
  | { to: 'uuid' };

interface ColumnPlan {
  column: ParquetColumn;
  /** Index among the file's leaf columns (the row group's column chunks). */
  leaf: number;
  element: SchemaElement;
  optional: boolean;
  conversion: Conversion;
}

/** Values of the present (non-null) rows of a page or dictionary, converted. */
interface Values {
  numbers: Float64Array | null;
  /** Datetimes finer than milliseconds: nanoseconds within the millisecond. */
  sub: Int32Array | null;
  texts: string[] | null;
}

interface DecodedPage {
  rows: number;
  /** 1 where the row holds a value; null when every row does. */
  present: Uint8Array | null;
  /** Dictionary-encoded: each present value's dictionary index. */
  indices: Int32Array | null;
  values: Values | null;
  /** Decoded a row at a time (WasmPages.plainPage): each row's kind and number, nulls included. */
  rowKinds: Uint8Array | null;
  rowValues: Float64Array | null;
}

/** A column's arrays for a page's rows decoded a row at a time, or its dictionary indices, reused page after page. */
class PageRows {
  kinds = new Uint8Array(0);
  values = new Float64Array(0);
  private codes = new Int32Array(0);
  /** The column's last window of the file (a compressed column's next window is read into it). */
  window: Buffer | null = null;

  /** An array for `count` dictionary indices (valid until the next call). */
  indices(count: number): Int32Array {
    if (this.codes.length < count) this.codes = new Int32Array(count);
    return this.codes.subarray(0, count);
  }

  /** Holds `kinds` and `values` (of one length), copied. */
  hold(kinds: Uint8Array, values: Float64Array): void {
    if (this.kinds.length < kinds.length) {
      this.kinds = new Uint8Array(kinds.length);
      this.values = new Float64Array(kinds.length);
    }
    this.kinds.set(kinds);
    this.values.set(values);
  }
}

/**
 * Opens a Parquet file, reads its footer and checks its columns (flat, of types this reader
 * knows); read it with `batches()`.
 */
export async function openParquet(path: string, options: ParquetReadOptions = {}): Promise<ParquetFile> {
  const name = options.name ?? path;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read data file ${name}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error))}`,
      'Check the path (relative paths start at the working directory, or at mlops.yaml for paths in it).',
    );
  }
  try {
    const size = (await handle.stat()).size;
    if (size === 0)
      throw new UserError(
        `${name}: the file is empty (0 bytes), not a Parquet file`,
        'Write the file again; a Parquet file with no rows still holds its schema.',
      );
    const metadata = options.footer?.size === size ? options.footer.metadata : await readFooter(handle, size, name);
    return new ParquetFile(handle, size, metadata, name, options);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/**
 * Bytes [position, position + length) of the file, read now (into `into` when it is long enough,
 * else a new buffer; shorter at the end of the file). Pages are read this way: blocking reads, from
 * the page cache mostly, measured faster on reader threads (which have nothing else to do) than
 * asynchronous ones, whose copy runs on another thread of the two cores and comes back through
 * the event loop.
 */
function readAtNow(fd: number, position: number, length: number, into: Buffer | null): Buffer {
  const buf = into !== null && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const bytesRead = readSync(fd, buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

async function readFooter(handle: FileHandle, size: number, name: string): Promise<FileMetaData> {
  const head = await readAt(handle, 0, Math.min(4, size));
  const tail = await readAt(handle, Math.max(0, size - 8), Math.min(8, size));
  const startsRight = head.length === 4 && head.readUInt32LE(0) === MAGIC;
  const endsRight = tail.length === 8 && tail.readUInt32LE(4) === MAGIC;
  if (tail.length === 8 && tail.readUInt32LE(4) === MAGIC_ENCRYPTED)
    throw new UserError(`${name}: the Parquet file is encrypted, which is not supported`, 'Write it without encryption for this step.');
  if (!startsRight) {
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    throw new UserError(
      `${name}: not a Parquet file (${gzip ? 'it is gzip-compressed' : 'it does not start with the bytes PAR1'})`,
      gzip
        ? 'Parquet compresses inside the file: decompress it (gunzip) and read the .parquet file itself.'
        : 'Name the file by its format (.csv, .tsv, .jsonl, .parquet), or set the format (input `format`, flag --format).',
    );
  }
  if (!endsRight || size < 12)
    throw new UserError(
      `${name}: the Parquet file is truncated: it does not end with its footer (the bytes PAR1)`,
      'The file was cut short (a copy or download that stopped, or a writer that did not finish); write or copy it again.',
    );
  const length = tail.readUInt32LE(0);
  if (length + 12 > size)
    throw new UserError(
      `${name}: the Parquet footer says it is ${length} bytes long, more than the file holds: the file is truncated or corrupt`,
      'Write or copy the file again.',
    );
  const footer = await readAt(handle, size - 8 - length, length + 8);
  try {
    return parquetMetadata(footer, { geoparquet: false });
  } catch (error) {
    throw new UserError(
      `${name}: the Parquet footer cannot be read (${(error as Error).message}): the file is corrupt`,
      'Write or copy the file again.',
    );
  }
}

/** The top-level columns of the schema: flat ones planned, anything nested refused. */
function planColumns(metadata: FileMetaData, name: string): ColumnPlan[] {
  const schema = metadata.schema;
  const root = schema[0];
  if (!root) throw new UserError(`${name}: the Parquet file has no schema`);
  const plans: ColumnPlan[] = [];
  let index = 1;
  let leaf = 0;
  for (let child = 0; child < (root.num_children ?? 0); child++) {
    const element = schema[index];
    if (!element) throw new UserError(`${name}: the Parquet schema is cut short: the file is corrupt`);
    if ((element.num_children ?? 0) > 0 || element.repetition_type === 'REPEATED') {
      const what = nestedKind(element);
      throw new UserError(
        `${name}: not supported: column ${element.name} is a ${what} (only flat columns are read)`,
        `Flatten it or leave it out before writing, for example with DuckDB: SELECT * EXCLUDE (${element.name}) or ${what === 'struct' ? `${element.name}.field AS ${element.name}_field` : `unnest(${element.name})`}. ${REWRITE_HINT}`,
      );
    }
    const conversion = conversionOf(element, name);
    plans.push({
      column: { name: element.name, type: valueType(conversion), parquetType: describeType(element) },
      leaf,
      element,
      optional: element.repetition_type !== 'REQUIRED',
      conversion,
    });
    index++;
    leaf++;
  }
  return plans;
}

function nestedKind(element: SchemaElement): string {
  const logical = element.logical_type?.type;
  if (logical === 'LIST' || element.converted_type === 'LIST' || element.repetition_type === 'REPEATED') return 'list';
  if (logical === 'MAP' || element.converted_type === 'MAP' || element.converted_type === 'MAP_KEY_VALUE') return 'map';
  if (logical === 'VARIANT') return 'variant';
  return 'struct';
}

function unsupported(element: SchemaElement, name: string, what: string): never {
  throw new UserError(
    `${name}: not supported: column ${element.name} is ${what}`,
    `Convert or leave out the column before writing. ${REWRITE_HINT}`,
  );
}

function conversionOf(element: SchemaElement, name: string): Conversion {
  const logical = element.logical_type;
  const converted = element.converted_type;
  const physical = element.type;
  if (logical?.type === 'DECIMAL' || converted === 'DECIMAL') {
    const scale = logical?.type === 'DECIMAL' ? logical.scale : (element.scale ?? 0);
    return { to: 'decimal', scale };
  }
  if (logical?.type === 'TIMESTAMP') return { to: 'timestamp', unit: logical.unit, utc: logical.isAdjustedToUTC };
  if (converted === 'TIMESTAMP_MILLIS') return { to: 'timestamp', unit: 'MILLIS', utc: true };
  if (converted === 'TIMESTAMP_MICROS') return { to: 'timestamp', unit: 'MICROS', utc: true };
  if (logical?.type === 'TIME') return { to: 'time', unit: logical.unit };
  if (converted === 'TIME_MILLIS') return { to: 'time', unit: 'MILLIS' };
  if (converted === 'TIME_MICROS') return { to: 'time', unit: 'MICROS' };
  if (logical?.type === 'DATE' || converted === 'DATE') return { to: 'date' };
  if (logical?.type === 'INTERVAL' || converted === 'INTERVAL') unsupported(element, name, 'an INTERVAL');
  if (logical?.type === 'BSON' || converted === 'BSON') unsupported(element, name, 'BSON');
  if (logical?.type === 'GEOMETRY' || logical?.type === 'GEOGRAPHY')
    unsupported(element, name, `a ${logical.type.toLowerCase()} (binary WKB)`);
  if (logical?.type === 'UUID') return { to: 'uuid' };
  if (logical?.type === 'FLOAT16') return { to: 'float16' };
  const unsigned =
    (logical?.type === 'INTEGER' && !logical.isSigned) ||
    converted === 'UINT_8' ||
    converted === 'UINT_16' ||
    converted === 'UINT_32' ||
    converted === 'UINT_64';
  switch (physical) {
    case 'BOOLEAN':
      return { to: 'boolean' };
    case 'INT32':
    case 'INT64':
      return { to: 'int', unsigned };
    case 'INT96':
      return { to: 'int96' };
    case 'FLOAT':
      return { to: 'float32' };
    case 'DOUBLE':
      return { to: 'float64' };
    case 'BYTE_ARRAY': {
      const annotated =
        logical?.type === 'STRING' ||
        logical?.type === 'ENUM' ||
        logical?.type === 'JSON' ||
        converted === 'UTF8' ||
        converted === 'ENUM' ||
        converted === 'JSON';
      return { to: 'text', checked: !annotated };
    }
    case 'FIXED_LEN_BYTE_ARRAY':
      return unsupported(element, name, 'binary (FIXED_LEN_BYTE_ARRAY without a type)');
    default:
      return unsupported(element, name, `of a type this reader does not know (${String(physical)})`);
  }
}

function valueType(conversion: Conversion): ParquetValueType {
  switch (conversion.to) {
    case 'int':
      return 'integer';
    case 'decimal':
      return conversion.scale === 0 ? 'integer' : 'number';
    case 'float32':
    case 'float64':
    case 'float16':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
    case 'timestamp':
    case 'int96':
      return 'datetime';
    default:
      return 'text';
  }
}

function describeType(element: SchemaElement): string {
  const logical = element.logical_type;
  if (logical?.type === 'DECIMAL') return `DECIMAL(${logical.precision},${logical.scale})`;
  if (element.converted_type === 'DECIMAL') return `DECIMAL(${element.precision ?? '?'},${element.scale ?? 0})`;
  if (logical?.type === 'TIMESTAMP' || logical?.type === 'TIME')
    return `${logical.type}(${logical.unit}${logical.isAdjustedToUTC ? ', UTC' : ''})`;
  if (logical?.type === 'INTEGER') return `INT(${logical.bitWidth}, ${logical.isSigned ? 'signed' : 'unsigned'})`;
  if (logical) return logical.type;
  if (element.converted_type) return element.converted_type;
  return String(element.type);
}

export class ParquetFile {
  /** The columns read, in file order. */
  readonly columns: readonly ParquetColumn[];
  /** Every column of the file (those not asked for too). */
  readonly allColumns: readonly ParquetColumn[];
  readonly rows: number;
  readonly rowGroups: number;
  private readonly plans: ColumnPlan[];
  private readonly allPlans: ColumnPlan[];
  private read = 0;
  private decoded = 0;
  private closed = false;
  private readonly classifier: ValueClassifier;
  private readonly nullValues: Set<string>;
  private readonly batchRows: number;
  /** @internal This thread's WebAssembly page decoder (null when it cannot be used: the JavaScript decoders read every page). */
  readonly pages: WasmPages | null = wasmPages();

  constructor(
    private readonly handle: FileHandle,
    /** Bytes on disk. */
    readonly size: number,
    readonly metadata: FileMetaData,
    /** How messages name the file. */
    readonly name: string,
    options: ParquetReadOptions,
  ) {
    const all = planColumns(metadata, name);
    this.allPlans = all;
    this.allColumns = all.map((p) => p.column);
    this.plans = all.filter(
      (p, i) => (!options.columns || options.columns.has(p.column.name)) && (!options.columnIndexes || options.columnIndexes.has(i)),
    );
    this.columns = this.plans.map((p) => p.column);
    this.rows = metadata.row_groups.reduce((sum, group) => sum + Number(group.num_rows), 0);
    this.rowGroups = metadata.row_groups.length;
    const nullValues = options.nullValues ?? DEFAULT_NULL_VALUES;
    this.classifier = new ValueClassifier(nullValues);
    this.nullValues = new Set(nullValues);
    this.batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
    for (const group of metadata.row_groups) {
      for (const plan of this.plans) {
        const meta = group.columns[plan.leaf]?.meta_data;
        if (!meta)
          throw new UserError(
            `${name}: a row group has no data for column ${plan.column.name}: the file is corrupt`,
            'Write or copy the file again.',
          );
        if (meta.codec === 'LZO' || (meta.codec !== 'UNCOMPRESSED' && !decompressorOf(meta.codec)))
          throw new UserError(
            `${name}: column ${plan.column.name} is compressed with ${meta.codec}, which is not supported`,
            "Rewrite the file with snappy, zstd or gzip, for example with DuckDB: COPY (SELECT * FROM 'in.parquet') TO 'out.parquet' (FORMAT parquet, COMPRESSION zstd).",
          );
      }
    }
  }

  /** Bytes on disk of each column (all row groups), in file order: how much reading each one takes. */
  columnBytes(): number[] {
    return this.allPlans.map((plan) =>
      this.metadata.row_groups.reduce((sum, group) => sum + Number(group.columns[plan.leaf]?.meta_data?.total_compressed_size ?? 0), 0),
    );
  }

  /** Bytes read from disk so far. */
  bytesRead(): number {
    return this.read;
  }

  /** Bytes of pages after decompression so far. */
  bytesDecoded(): number {
    return this.decoded;
  }

  /** The footer as read, to open the file again without reading it (`ParquetReadOptions.footer`). */
  get footer(): ParquetFooter {
    return { size: this.size, metadata: this.metadata };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  /** The rows in batches, row group by row group; the file is closed at the end (or when the loop stops early). */
  async *batches(): AsyncGenerator<ParquetBatch> {
    try {
      const columns = this.plans.map((plan) => new ColumnBatch(plan.column, this.batchRows));
      const pageRows = this.plans.map(() => new PageRows());
      let firstRow = 0;
      for (let g = 0; g < this.metadata.row_groups.length; g++) {
        const group = this.metadata.row_groups[g]!;
        const groupRows = Number(group.num_rows);
        const cursors = this.plans.map((plan, c) => new ColumnCursor(this, plan, group.columns[plan.leaf]!.meta_data!, g, pageRows[c]!));
        for (let done = 0; done < groupRows;) {
          const rows = Math.min(this.batchRows, groupRows - done);
          for (let c = 0; c < cursors.length; c++) cursors[c]!.fill(columns[c]!, rows);
          yield { rows, firstRow, rowGroup: g, columns };
          done += rows;
          firstRow += rows;
        }
      }
    } finally {
      await this.close();
    }
  }

  /** @internal */
  readBytes(position: number, length: number, into: Buffer | null): Buffer {
    const buf = readAtNow(this.handle.fd, position, length, into);
    this.read += buf.length;
    return buf;
  }

  /** @internal */
  countDecoded(bytes: number): void {
    this.decoded += bytes;
  }

  /** @internal The kind and number of a text value: null values, ISO dates, else text (as for JSON Lines strings). */
  classifyText(text: string): Kind {
    if (this.nullValues.has(text)) return Kind.Null;
    if (text.length >= 10 && text.charCodeAt(4) === 45 && this.classifier.classifyText(text) === Kind.Datetime) return Kind.Datetime;
    return Kind.String;
  }

  /** @internal */
  get classifiedValue(): number {
    return this.classifier.value;
  }
}

/** One column's arrays for a batch, reused batch after batch. */
class ColumnBatch implements ParquetColumnBatch {
  kinds: Uint8Array;
  values: Float64Array;
  codes: Int32Array | null;
  texts: string[] | null = null;
  /** Nanoseconds within the millisecond of datetimes finer than milliseconds. */
  sub: Int32Array | null = null;
  conversion: Conversion | null = null;
  private readonly capacity: number;

  constructor(
    readonly column: ParquetColumn,
    capacity: number,
  ) {
    this.capacity = capacity;
    this.kinds = new Uint8Array(capacity);
    this.values = new Float64Array(capacity);
    this.codes = column.type === 'text' ? new Int32Array(capacity) : null;
  }

  /** Sizes the arrays to `rows` rows (views of the reused buffers). */
  resize(rows: number): void {
    if (this.kinds.length === rows) return;
    this.kinds = new Uint8Array(this.kinds.buffer, 0, rows);
    this.values = new Float64Array(this.values.buffer, 0, rows);
    if (this.codes) this.codes = new Int32Array(this.codes.buffer, 0, rows);
    if (this.sub) this.sub = new Int32Array(this.sub.buffer, 0, rows);
  }

  subArray(): Int32Array {
    if (!this.sub) this.sub = new Int32Array(this.capacity);
    if (this.sub.length !== this.kinds.length) this.sub = new Int32Array(this.sub.buffer, 0, this.kinds.length);
    return this.sub;
  }

  text(row: number): string | null {
    const kind = this.kinds[row]!;
    if (kind === Kind.Null) return null;
    if (this.codes) return this.texts![this.codes[row]!]!;
    const value = this.values[row]!;
    switch (kind) {
      case Kind.Boolean:
        return value ? 'true' : 'false';
      case Kind.Datetime:
        return datetimeText(value, this.sub ? this.sub[row]! : 0, this.conversion!);
      case Kind.NaN:
        return 'NaN';
      case Kind.Infinity:
        return value > 0 ? 'Infinity' : '-Infinity';
      default:
        return String(value);
    }
  }
}

/** ISO 8601 text of a datetime: a date, or a timestamp with its unit's fraction digits and Z when adjusted to UTC. */
function datetimeText(ms: number, subNanos: number, conversion: Conversion): string {
  const iso = isoOf(ms);
  if (conversion.to === 'date') return iso.slice(0, iso.indexOf('T'));
  const unit = conversion.to === 'timestamp' ? conversion.unit : 'NANOS';
  const utc = conversion.to === 'timestamp' && conversion.utc;
  const base = iso.slice(0, -1); // without the Z: ...T03:04:05.123
  const extra =
    unit === 'MILLIS'
      ? ''
      : String(subNanos)
          .padStart(6, '0')
          .slice(0, unit === 'MICROS' ? 3 : 6);
  return `${base}${extra}${utc ? 'Z' : ''}`;
}

/** toISOString, also for years past 9999 (which JavaScript writes +YYYYYY). */
function isoOf(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return String(ms);
  return date.toISOString();
}

/** `HH:MM:SS` with the unit's fraction digits, for a time of day. */
function timeText(value: number, unit: TimeUnit): string {
  const perSecond = unit === 'MILLIS' ? 1e3 : unit === 'MICROS' ? 1e6 : 1e9;
  const digits = unit === 'MILLIS' ? 3 : unit === 'MICROS' ? 6 : 9;
  const seconds = Math.floor(value / perSecond);
  const fraction = value - seconds * perSecond;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}.${String(fraction).padStart(digits, '0')}`;
}

/**
 * Reads one column chunk page by page (a window of the file at a time) and fills batches from
 * it. Dictionary values are converted once; a text chunk's texts hold the dictionary first, then
 * the values of plain pages of the current batch.
 */
class ColumnCursor {
  private position: number;
  private readonly end: number;
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  private dictionary: Values | null = null;
  private page: DecodedPage | null = null;
  private pageRow = 0;
  private pageValue = 0;
  private rowsRead = 0;
  /** Text columns: dictionary entries, then this batch's plain values; with each entry's kind and number. */
  private readonly texts: string[] = [];
  private textKinds = new Uint8Array(256);
  private textValues = new Float64Array(256);
  private dictionaryTexts = 0;

  constructor(
    private readonly file: ParquetFile,
    private readonly plan: ColumnPlan,
    private readonly meta: ColumnMetaData,
    private readonly rowGroup: number,
    private readonly pageRows: PageRows,
  ) {
    const data = Number(meta.data_page_offset);
    const dictionary = Number(meta.dictionary_page_offset ?? 0);
    this.position = dictionary > 0 && dictionary < data ? dictionary : data;
    this.end = this.position + Number(meta.total_compressed_size);
    if (this.end > file.size - 8)
      throw new UserError(
        `${file.name}: column ${plan.column.name} of row group ${rowGroup + 1} lies past the end of the file: the file is truncated or corrupt`,
        'Write or copy the file again.',
      );
  }

  private where(): string {
    return `${this.file.name}: column ${this.plan.column.name}, row group ${this.rowGroup + 1}`;
  }

  /** Fills `rows` rows of `out` from the chunk. */
  fill(out: ColumnBatch, rows: number): void {
    out.resize(rows);
    out.conversion = this.plan.conversion;
    if (out.codes) {
      this.texts.length = this.dictionaryTexts;
      out.texts = this.texts;
    }
    let filled = 0;
    while (filled < rows) {
      if (this.page === null || this.pageRow >= this.page.rows) this.nextDataPage();
      const take = Math.min(rows - filled, this.page!.rows - this.pageRow);
      this.copy(out, filled, take);
      filled += take;
    }
    this.rowsRead += rows;
  }

  private copy(out: ColumnBatch, at: number, count: number): void {
    const page = this.page!;
    const rowEnd = this.pageRow + count;
    if (page.rowKinds !== null) {
      out.kinds.set(page.rowKinds.subarray(this.pageRow, rowEnd), at);
      out.values.set(page.rowValues!.subarray(this.pageRow, rowEnd), at);
      this.pageRow = rowEnd;
      return;
    }
    const present = page.present;
    const kinds = out.kinds;
    const values = out.values;
    const type = this.plan.column.type;
    const source = page.indices ? this.dictionary! : page.values!;
    const indices = page.indices;
    let v = this.pageValue;
    if (type === 'text') {
      const codes = out.codes!;
      const direct = indices === null ? source.texts! : null;
      // A dictionary index points into the dictionary's texts (a plain page's texts are added after them).
      const size = this.dictionaryTexts;
      for (let row = this.pageRow, i = at; row < rowEnd; row++, i++) {
        if (present !== null && present[row] === 0) {
          kinds[i] = Kind.Null;
          values[i] = NaN;
          codes[i] = -1;
          continue;
        }
        let code: number;
        if (direct === null) {
          code = indices![v++]!;
          if (code >>> 0 >= size) throw this.corrupt(`dictionary index ${code} out of range`);
        } else code = this.addText(direct[v++]!);
        codes[i] = code;
        kinds[i] = this.textKinds[code]!;
        values[i] = this.textValues[code]!;
      }
    } else {
      const numbers = source.numbers!;
      const sub = source.sub;
      const outSub = sub ? out.subArray() : null;
      for (let row = this.pageRow, i = at; row < rowEnd; row++, i++) {
        if (present !== null && present[row] === 0) {
          kinds[i] = Kind.Null;
          values[i] = NaN;
          continue;
        }
        const index = indices === null ? v++ : indices[v++]!;
        if (index >>> 0 >= numbers.length) throw this.corrupt(`dictionary index ${index} out of range`);
        const value = numbers[index]!;
        values[i] = value;
        if (outSub) outSub[i] = sub![index]!;
        if (type === 'integer') kinds[i] = Kind.Integer;
        else if (type === 'number')
          kinds[i] = value !== value ? Kind.NaN : value === Infinity || value === -Infinity ? Kind.Infinity : Kind.Number;
        else kinds[i] = type === 'boolean' ? Kind.Boolean : Kind.Datetime;
      }
    }
    this.pageValue = v;
    this.pageRow = rowEnd;
  }

  /** Appends a text to the chunk's texts (classified once) and returns its code. */
  private addText(text: string): number {
    const code = this.texts.length;
    this.texts.push(text);
    if (code >= this.textKinds.length) {
      const kinds = new Uint8Array(this.textKinds.length * 2);
      kinds.set(this.textKinds);
      this.textKinds = kinds;
      const values = new Float64Array(this.textValues.length * 2);
      values.set(this.textValues);
      this.textValues = values;
    }
    const kind = this.file.classifyText(text);
    this.textKinds[code] = kind;
    this.textValues[code] = kind === Kind.Datetime ? this.file.classifiedValue : NaN;
    return code;
  }

  private corrupt(what: string): UserError {
    return new UserError(`${this.where()}: ${what}: the file is corrupt`, 'Write or copy the file again.');
  }

  /** Bytes [position, position + length) of the chunk, from the window (read again when they are not in it). */
  private bytes(position: number, length: number): Buffer {
    if (position < this.windowStart || position + length > this.windowStart + this.window.length) {
      const wanted = Math.min(Math.max(length, WINDOW_BYTES), this.end - position);
      if (wanted < length) throw this.corrupt('a page runs past the end of its column chunk');
      // Compressed pages are decompressed before the next read: their column's window is reused.
      // Uncompressed pages are read in place (their values may be views), so each window is new.
      this.window = this.file.readBytes(position, wanted, this.meta.codec === 'UNCOMPRESSED' ? null : this.pageRows.window);
      this.pageRows.window = this.window;
      this.windowStart = position;
      if (this.window.length < length)
        throw new UserError(`${this.where()}: the file ends inside this column: it is truncated`, 'Write or copy the file again.');
    }
    const at = position - this.windowStart;
    return this.window.subarray(at, at + length);
  }

  private nextPage(): { header: PageHeader; data: Buffer } | null {
    if (this.position >= this.end) return null;
    let want = Math.min(this.end - this.position, 64 * 1024);
    for (;;) {
      const buf = this.bytes(this.position, want);
      const reader: DataReader = { view: new DataView(buf.buffer, buf.byteOffset, buf.length), offset: 0 };
      let header: PageHeader;
      try {
        header = parquetHeader(reader);
      } catch (error) {
        // A header longer than what was read (large statistics): read more, up to the chunk's end.
        if (error instanceof RangeError && want < this.end - this.position) {
          want = Math.min(this.end - this.position, want * 4);
          continue;
        }
        throw this.corrupt(`a page header cannot be read (${(error as Error).message})`);
      }
      const start = this.position + reader.offset;
      if (!(header.compressed_page_size >= 0) || start + header.compressed_page_size > this.end)
        throw this.corrupt('a page runs past the end of its column chunk');
      const data = this.bytes(start, header.compressed_page_size);
      this.position = start + header.compressed_page_size;
      return { header, data };
    }
  }

  private nextDataPage(): void {
    for (;;) {
      const next = this.nextPage();
      if (next === null)
        throw this.corrupt(`the column chunk ends after ${this.rowsRead + (this.page?.rows ?? 0)} rows, before the row group's last row`);
      const { header, data } = next;
      try {
        if (header.type === 'DICTIONARY_PAGE') {
          this.readDictionary(header, data);
          continue;
        }
        if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
          this.page = header.type === 'DATA_PAGE' ? this.readDataPage(header, data) : this.readDataPageV2(header, data);
          this.pageRow = 0;
          this.pageValue = 0;
          if (this.page.rows === 0) continue;
          return;
        }
        // Index pages and pages of types added later carry no rows.
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw this.corrupt(`a page cannot be decoded (${(error as Error).message})`);
      }
    }
  }

  private decompress(data: Buffer, size: number): Uint8Array {
    const codec = this.meta.codec;
    if (codec === 'UNCOMPRESSED') return data;
    const pages = this.file.pages;
    const out = codec === 'SNAPPY' && pages !== null ? pages.snappy(data, size) : decompressorOf(codec)!(data, size);
    if (out.length !== size) throw this.corrupt(`a page decompresses to ${out.length} bytes where its header says ${size}`);
    this.file.countDecoded(size);
    return out;
  }

  private readDictionary(header: PageHeader, data: Buffer): void {
    const page = this.decompress(data, header.uncompressed_page_size);
    const count = header.dictionary_page_header?.num_values ?? 0;
    const reader = readerOf(page);
    const values = this.decodeValues(reader, page, 'PLAIN', count);
    if (values.texts) {
      this.texts.length = 0;
      for (const text of values.texts) this.addText(text);
      this.dictionaryTexts = this.texts.length;
    }
    this.dictionary = values;
  }

  private readDataPage(header: PageHeader, data: Buffer): DecodedPage {
    const info = header.data_page_header;
    if (!info) throw this.corrupt('a data page has no header');
    const rows = info.num_values;
    const optional = this.plan.optional;
    if (optional && info.definition_level_encoding !== 'RLE')
      throw this.unsupportedEncoding(`${info.definition_level_encoding} definition levels`);
    const pages = this.file.pages;
    const plain = pages === null ? -1 : this.plainType(info.encoding);
    // Doubles and integers: their levels read and spread out to rows in WebAssembly.
    if (plain >= 0) return this.plainPage(data, header.uncompressed_page_size, true, rows, optional ? 'inline' : null, plain as PlainType);
    const page = this.decompress(data, header.uncompressed_page_size);
    const reader = readerOf(page);
    let present: Uint8Array | null = null;
    let count = rows;
    if (optional) {
      if (pages !== null) {
        const length = reader.view.getUint32(reader.offset, true);
        const start = reader.offset + 4;
        if (length > page.length - start) throw this.corrupt("a page's definition levels run past its end");
        ({ present, count } = pages.levels(page, start, start + length, rows));
        reader.offset = start + length;
      } else {
        present = new Uint8Array(rows);
        readRleBitPackedHybrid(reader, 1, present);
        count = countOnes(present);
      }
      if (count === rows) present = null;
    }
    return this.values(reader, page, info.encoding, rows, present, count);
  }

  /**
   * A page of PLAIN doubles or integers decoded a row at a time (`WasmPages.plainPage`), held in the
   * column's arrays: `stored` as in the file (`compressed` with the column's codec or not), `size`
   * bytes decompressed. Snappy is decompressed in WebAssembly, other codecs here first.
   */
  private plainPage(
    stored: Buffer,
    size: number,
    compressed: boolean,
    rows: number,
    levels: 'inline' | Uint8Array | null,
    type: PlainType,
  ): DecodedPage {
    const snappy = compressed && size > 0 && this.meta.codec === 'SNAPPY';
    let input: Uint8Array = stored;
    if (snappy) this.file.countDecoded(size);
    else if (size === 0) input = stored.subarray(0, 0);
    else if (compressed) input = this.decompress(stored, size);
    const decoded = this.file.pages!.plainPage(input, snappy, size, rows, levels, type);
    this.pageRows.hold(decoded.kinds, decoded.values);
    return { rows, present: null, indices: null, values: null, rowKinds: this.pageRows.kinds, rowValues: this.pageRows.values };
  }

  /** How `WasmPages.plainPage` reads this column's values in pages of `encoding`, or -1 when it does not. */
  private plainType(encoding: string): number {
    if (encoding !== 'PLAIN') return -1;
    const conversion = this.plan.conversion;
    switch (this.meta.type) {
      case 'DOUBLE':
        return conversion.to === 'float64' ? PlainType.Double : -1;
      case 'INT32':
        return conversion.to === 'int' ? (conversion.unsigned ? PlainType.Uint32 : PlainType.Int32) : -1;
      case 'INT64':
        return conversion.to === 'int' ? (conversion.unsigned ? PlainType.Uint64 : PlainType.Int64) : -1;
      default:
        return -1;
    }
  }

  private readDataPageV2(header: PageHeader, data: Buffer): DecodedPage {
    const info = header.data_page_header_v2;
    if (!info) throw this.corrupt('a data page has no header');
    const levels = info.repetition_levels_byte_length + info.definition_levels_byte_length;
    const rows = info.num_values;
    const pages = this.file.pages;
    const plain = pages === null ? -1 : this.plainType(info.encoding);
    if (plain >= 0) {
      // As for version 1 pages, with the levels apart and not compressed, and the values compressed or not.
      const levelBytes =
        this.plan.optional && info.num_nulls > 0
          ? data.subarray(info.repetition_levels_byte_length, info.repetition_levels_byte_length + info.definition_levels_byte_length)
          : null;
      const size = header.uncompressed_page_size - levels;
      return this.plainPage(data.subarray(levels), size, info.is_compressed !== false, rows, levelBytes, plain as PlainType);
    }
    let present: Uint8Array | null = null;
    if (this.plan.optional && info.num_nulls > 0) {
      present = new Uint8Array(rows);
      const reader: DataReader = {
        view: new DataView(data.buffer, data.byteOffset + info.repetition_levels_byte_length, info.definition_levels_byte_length),
        offset: 0,
      };
      readRleBitPackedHybrid(reader, 1, present, info.definition_levels_byte_length);
    }
    const compressed = data.subarray(levels);
    const size = header.uncompressed_page_size - levels;
    const page = info.is_compressed === false || size === 0 ? compressed : this.decompress(compressed, size);
    const count = present ? countOnes(present) : rows - info.num_nulls;
    return this.values(readerOf(page), page, info.encoding, rows, present, count);
  }

  private values(
    reader: DataReader,
    page: Uint8Array,
    encoding: string,
    rows: number,
    present: Uint8Array | null,
    count: number,
  ): DecodedPage {
    if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
      if (!this.dictionary) throw this.corrupt('a dictionary-encoded page comes before any dictionary');
      const width = count > 0 ? page[reader.offset++]! : 0;
      const pages = this.file.pages;
      let indices: Int32Array;
      if (width > 0 && pages !== null) {
        indices = this.pageRows.indices(count);
        pages.indices(page, reader.offset, page.length, width, indices);
      } else {
        indices = new Int32Array(count);
        if (width > 0) readRleBitPackedHybrid(reader, width, indices, page.length - reader.offset);
      }
      return { rows, present, indices, values: null, rowKinds: null, rowValues: null };
    }
    return { rows, present, indices: null, values: this.decodeValues(reader, page, encoding, count), rowKinds: null, rowValues: null };
  }

  private unsupportedEncoding(encoding: string): UserError {
    return new UserError(`${this.where()}: the encoding ${encoding} is not supported`, REWRITE_HINT);
  }

  /** `count` values encoded with `encoding`, converted to the value model. */
  private decodeValues(reader: DataReader, page: Uint8Array, encoding: string, count: number): Values {
    const physical = this.meta.type;
    const conversion = this.plan.conversion;
    if (count === 0) return emptyValues(conversion);
    switch (encoding) {
      case 'PLAIN':
        switch (physical) {
          case 'BOOLEAN': {
            const numbers = new Float64Array(count);
            const start = reader.offset;
            for (let i = 0; i < count; i++) numbers[i] = (page[start + (i >> 3)]! >> (i & 7)) & 1;
            return { numbers, sub: null, texts: null };
          }
          case 'INT32':
            return this.fromInt32(aligned(page, reader.offset, count * 4, Int32Array));
          case 'INT64':
            return this.fromInt64(aligned(page, reader.offset, count * 8, Int32Array));
          case 'INT96':
            return this.fromInt96(page, reader.offset, count);
          case 'FLOAT':
            return this.fromFloats(aligned(page, reader.offset, count * 4, Float32Array));
          case 'DOUBLE':
            return this.fromFloats(aligned(page, reader.offset, count * 8, Float64Array));
          case 'BYTE_ARRAY':
            return this.fromBytes(plainByteArrays(page, reader.offset, count));
          case 'FIXED_LEN_BYTE_ARRAY':
            return this.fromBytes(fixedByteArrays(page, reader.offset, count, this.plan.element.type_length ?? 0));
        }
        break;
      case 'RLE':
        if (physical === 'BOOLEAN') {
          const bits = new Uint8Array(count);
          readRleBitPackedHybrid(reader, 1, bits);
          return { numbers: Float64Array.from(bits), sub: null, texts: null };
        }
        break;
      case 'DELTA_BINARY_PACKED':
        if (physical === 'INT32') {
          const out = new Int32Array(count);
          deltaBinaryUnpack(reader, count, out);
          return this.fromInt32(out);
        }
        if (physical === 'INT64') {
          const out = new BigInt64Array(count);
          deltaBinaryUnpack(reader, count, out);
          return this.fromInt64(new Int32Array(out.buffer));
        }
        break;
      case 'DELTA_LENGTH_BYTE_ARRAY':
      case 'DELTA_BYTE_ARRAY': {
        const out = new Array<Uint8Array>(count);
        if (encoding === 'DELTA_BYTE_ARRAY') deltaByteArray(reader, count, out);
        else deltaLengthByteArray(reader, count, out);
        return this.fromBytes(out);
      }
      case 'BYTE_STREAM_SPLIT': {
        const out = byteStreamSplit(reader, count, physical, this.plan.element.type_length);
        if (out instanceof Float32Array || out instanceof Float64Array) return this.fromFloats(out);
        if (out instanceof Int32Array) return this.fromInt32(out);
        if (out instanceof BigInt64Array) return this.fromInt64(new Int32Array(out.buffer, out.byteOffset, out.length * 2));
        return this.fromBytes(out as Uint8Array[]);
      }
    }
    throw this.unsupportedEncoding(`${encoding} (for ${physical})`);
  }

  private fromInt32(raw: Int32Array): Values {
    const conversion = this.plan.conversion;
    const count = raw.length;
    const numbers = new Float64Array(count);
    switch (conversion.to) {
      case 'int':
        if (conversion.unsigned) for (let i = 0; i < count; i++) numbers[i] = raw[i]! >>> 0;
        else numbers.set(raw);
        return { numbers, sub: null, texts: null };
      case 'decimal': {
        const scale = 10 ** conversion.scale;
        for (let i = 0; i < count; i++) numbers[i] = conversion.scale === 0 ? raw[i]! : raw[i]! / scale;
        return { numbers, sub: null, texts: null };
      }
      case 'date':
        for (let i = 0; i < count; i++) numbers[i] = raw[i]! * 86400000;
        return { numbers, sub: null, texts: null };
      case 'time':
        return { numbers: null, sub: null, texts: Array.from(raw, (v) => timeText(v, conversion.unit)) };
      default:
        throw this.mismatch('INT32');
    }
  }

  /** 64-bit integers given as pairs of 32-bit words (little-endian: low word first). */
  private fromInt64(words: Int32Array): Values {
    const conversion = this.plan.conversion;
    const count = words.length >> 1;
    const numbers = new Float64Array(count);
    switch (conversion.to) {
      case 'int':
        for (let i = 0; i < count; i++) {
          const hi = words[2 * i + 1]!;
          numbers[i] = (conversion.unsigned ? hi >>> 0 : hi) * 4294967296 + (words[2 * i]! >>> 0);
        }
        return { numbers, sub: null, texts: null };
      case 'decimal': {
        const scale = conversion.scale;
        for (let i = 0; i < count; i++) {
          const hi = words[2 * i + 1]!;
          const lo = words[2 * i]! >>> 0;
          if (hi >= -0x200000 && hi < 0x200000) {
            const unscaled = hi * 4294967296 + lo;
            numbers[i] = scale === 0 ? unscaled : scale <= 22 ? unscaled / 10 ** scale : Number(decimalText(BigInt(unscaled), scale));
          } else numbers[i] = Number(decimalText((BigInt(hi) << 32n) | BigInt(lo), scale));
        }
        return { numbers, sub: null, texts: null };
      }
      case 'timestamp': {
        const unit = conversion.unit;
        if (unit === 'MILLIS') {
          for (let i = 0; i < count; i++) numbers[i] = words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0);
          return { numbers, sub: null, texts: null };
        }
        const sub = new Int32Array(count);
        for (let i = 0; i < count; i++) {
          const hi = words[2 * i + 1]!;
          const lo = words[2 * i]! >>> 0;
          if (unit === 'MICROS') {
            const micros = hi * 4294967296 + lo; // exact for some 285,000 years around 1970
            const ms = Math.floor(micros / 1000);
            numbers[i] = ms;
            sub[i] = (micros - ms * 1000) * 1000;
          } else {
            // Nanoseconds pass 2^53 after 1970 + 104 days: hi * 2^32 = hi * 4294 * 10^6 + hi * 967296, each part exact.
            const rest = hi * 967296 + lo;
            let ms = hi * 4294 + Math.floor(rest / 1e6);
            let nanos = rest - Math.floor(rest / 1e6) * 1e6;
            if (nanos < 0) {
              ms -= 1;
              nanos += 1e6;
            } else if (nanos >= 1e6) {
              ms += 1;
              nanos -= 1e6;
            }
            numbers[i] = ms;
            sub[i] = nanos;
          }
        }
        return { numbers, sub, texts: null };
      }
      case 'time':
        return {
          numbers: null,
          sub: null,
          texts: Array.from({ length: count }, (_, i) => timeText(words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0), conversion.unit)),
        };
      default:
        throw this.mismatch('INT64');
    }
  }

  /** Legacy INT96 timestamps: nanoseconds of the day (8 bytes), then the Julian day (4 bytes). */
  private fromInt96(page: Uint8Array, offset: number, count: number): Values {
    if (this.plan.conversion.to !== 'int96') throw this.mismatch('INT96');
    const view = new DataView(page.buffer, page.byteOffset + offset, count * 12);
    const numbers = new Float64Array(count);
    const sub = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const nanosOfDay = view.getUint32(i * 12 + 4, true) * 4294967296 + view.getUint32(i * 12, true);
      const day = view.getInt32(i * 12 + 8, true);
      const msOfDay = Math.floor(nanosOfDay / 1e6);
      numbers[i] = (day - 2440588) * 86400000 + msOfDay;
      sub[i] = nanosOfDay - msOfDay * 1e6;
    }
    return { numbers, sub, texts: null };
  }

  private fromFloats(raw: Float32Array | Float64Array): Values {
    const conversion = this.plan.conversion;
    if (conversion.to === 'float64') return { numbers: raw instanceof Float64Array ? raw : Float64Array.from(raw), sub: null, texts: null };
    if (conversion.to !== 'float32') throw this.mismatch(raw instanceof Float32Array ? 'FLOAT' : 'DOUBLE');
    const numbers = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) numbers[i] = shortestFloat32(raw[i]!);
    return { numbers, sub: null, texts: null };
  }

  /** Byte-array values: texts, decimals, UUIDs or half floats. */
  private fromBytes(raw: ByteValues | Uint8Array[]): Values {
    const conversion = this.plan.conversion;
    const list = Array.isArray(raw) ? byteValuesOf(raw) : raw;
    const { buf, starts, ends } = list;
    const count = starts.length;
    switch (conversion.to) {
      case 'text': {
        const texts = new Array<string>(count);
        for (let i = 0; i < count; i++) {
          if (conversion.checked && !isUtf8(buf.subarray(starts[i]!, ends[i]!)))
            throw new UserError(
              `${this.where()}: not supported: the column holds binary values (BYTE_ARRAY that is not UTF-8 text)`,
              `Leave the column out, or write it as text (for example hex or base64) before reading. ${REWRITE_HINT}`,
            );
          texts[i] = buf.toString('utf8', starts[i]!, ends[i]!);
        }
        return { numbers: null, sub: null, texts };
      }
      case 'decimal': {
        const numbers = new Float64Array(count);
        for (let i = 0; i < count; i++) numbers[i] = decimalFromBytes(buf, starts[i]!, ends[i]!, conversion.scale);
        return { numbers, sub: null, texts: null };
      }
      case 'uuid': {
        const texts = new Array<string>(count);
        for (let i = 0; i < count; i++) {
          const hex = buf.toString('hex', starts[i]!, ends[i]!);
          texts[i] = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        }
        return { numbers: null, sub: null, texts };
      }
      case 'float16': {
        const numbers = new Float64Array(count);
        for (let i = 0; i < count; i++) numbers[i] = float16(buf[starts[i]!]! | (buf[starts[i]! + 1]! << 8));
        return { numbers, sub: null, texts: null };
      }
      default:
        throw this.mismatch(String(this.meta.type));
    }
  }

  private mismatch(physical: string): UserError {
    return this.corrupt(`${physical} values where the schema says ${this.plan.column.parquetType}`);
  }
}

function emptyValues(conversion: Conversion): Values {
  return valueType(conversion) === 'text'
    ? { numbers: null, sub: null, texts: [] }
    : {
        numbers: new Float64Array(0),
        sub: conversion.to === 'timestamp' || conversion.to === 'int96' ? new Int32Array(0) : null,
        texts: null,
      };
}

function readerOf(page: Uint8Array): DataReader {
  return { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
}

function countOnes(bits: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) n += bits[i]!;
  return n;
}

type TypedArrayOf<T> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/** A typed array over `bytes` bytes of `page` from `offset`, copied when the offset is not aligned to the element size. */
function aligned<T>(page: Uint8Array, offset: number, bytes: number, type: TypedArrayOf<T>): T {
  if (offset + bytes > page.length) throw new RangeError(`values run past the end of the page (${offset + bytes} > ${page.length} bytes)`);
  const at = page.byteOffset + offset;
  if (at % type.BYTES_PER_ELEMENT === 0) return new type(page.buffer, at, bytes / type.BYTES_PER_ELEMENT);
  const copy = new Uint8Array(bytes);
  copy.set(page.subarray(offset, offset + bytes));
  return new type(copy.buffer, 0, bytes / type.BYTES_PER_ELEMENT);
}

/** Byte-array values as ranges of one buffer (no object per value). */
interface ByteValues {
  buf: Buffer;
  starts: Int32Array;
  ends: Int32Array;
}

function plainByteArrays(page: Uint8Array, offset: number, count: number): ByteValues {
  const buf = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 4 > buf.length) throw new RangeError('a byte array runs past the end of the page');
    const length = buf.readUInt32LE(at);
    at += 4;
    if (at + length > buf.length) throw new RangeError('a byte array runs past the end of the page');
    starts[i] = at;
    at += length;
    ends[i] = at;
  }
  return { buf, starts, ends };
}

function fixedByteArrays(page: Uint8Array, offset: number, count: number, width: number): ByteValues {
  if (offset + count * width > page.length) throw new RangeError('fixed-length values run past the end of the page');
  const buf = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    starts[i] = offset + i * width;
    ends[i] = offset + (i + 1) * width;
  }
  return { buf, starts, ends };
}

function byteValuesOf(list: Uint8Array[]): ByteValues {
  const total = list.reduce((sum, b) => sum + b.length, 0);
  const buf = Buffer.allocUnsafe(total);
  const starts = new Int32Array(list.length);
  const ends = new Int32Array(list.length);
  let at = 0;
  list.forEach((bytes, i) => {
    buf.set(bytes, at);
    starts[i] = at;
    at += bytes.length;
    ends[i] = at;
  });
  return { buf, starts, ends };
}

/** A decimal stored as a big-endian two's-complement integer, as the double nearest its exact value. */
function decimalFromBytes(buf: Uint8Array, start: number, end: number, scale: number): number {
  // Sign-extension bytes carry no digits: skip them while the next byte keeps the sign.
  while (end - start > 6 && ((buf[start] === 0 && buf[start + 1]! < 0x80) || (buf[start] === 0xff && buf[start + 1]! >= 0x80))) start++;
  const length = end - start;
  if (length === 0) return 0;
  if (length <= 6) {
    let unscaled = 0;
    for (let i = start; i < end; i++) unscaled = unscaled * 256 + buf[i]!;
    if (buf[start]! >= 0x80) unscaled -= 2 ** (8 * length);
    return scale === 0 ? unscaled : scale <= 22 ? unscaled / 10 ** scale : Number(decimalText(BigInt(unscaled), scale));
  }
  let unscaled = 0n;
  for (let i = start; i < end; i++) unscaled = (unscaled << 8n) | BigInt(buf[i]!);
  if (buf[start]! >= 0x80) unscaled -= 1n << BigInt(8 * length);
  return Number(decimalText(unscaled, scale));
}

/** The decimal text of unscaled / 10^scale ("-12.3400"), which Number() rounds once, as the CSV path does. */
function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** The shortest decimal that reads back as the same 32-bit float (0.1f is 0.1). */
export function shortestFloat32(x: number): number {
  // Every whole number up to 2^24 is a float and prints as itself.
  if ((Number.isInteger(x) && Math.abs(x) <= 16777216) || !Number.isFinite(x)) return x;
  for (let digits = 1; digits < 9; digits++) {
    const y = Number(x.toPrecision(digits));
    if (Math.fround(y) === x) return y;
  }
  return Number(x.toPrecision(9));
}

function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

type Decompressor = (input: Uint8Array, outputLength: number) => Uint8Array;

/** Node's zlib for gzip and brotli (native); hyparquet-compressors for the rest. */
function decompressorOf(codec: CompressionCodec): Decompressor | undefined {
  switch (codec) {
    case 'GZIP':
      return (input) => gunzipSync(input);
    case 'BROTLI':
      return (input) => brotliDecompressSync(input);
    default:
      return compressors[codec];
  }
}

/** A cell's text as `ValueText` (for checks and samples), moved from cell to cell without allocating. */
export class ParquetCellText {
  column: ParquetColumnBatch | null = null;
  row = 0;
  text(): string {
    return this.column?.text(this.row) ?? '';
  }
}
