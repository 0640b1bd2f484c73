/**
 * Reads data files into a drift `Side` with little memory: readTable keeps a row-aligned
 * Float64Array per column plus a string per row for any column holding text (for 1 M rows
 * and 5 categorical columns, hundreds of MB of strings); here numbers go to per-column
 * arrays of finite values only (sized from the file size once the first rows are read), and each text value is counted once per distinct value
 * through a byte-keyed interner (no string is made for a value already seen). Same
 * tokenizer, value rules and error messages as readTable and validate-data.
 */
import { stat } from 'node:fs/promises';
import {
  DelimitedTokenizer,
  FIELD_ESCAPED_QUOTES,
  FIELD_MALFORMED,
  openingQuote,
  tokenizeChunks,
  unescapeQuotes,
  UNTERMINATED_QUOTE_HINT,
  unterminatedField,
  unterminatedQuoteMessage,
} from '../data/delimited.js';
import type { RecordSink } from '../data/delimited.js';
import { openParquet } from '../data/parquet.js';
import { detectFormat, openSource } from '../data/source.js';
import type { DataFormat } from '../data/source.js';
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier, decodeText } from '../data/values.js';
import { UserError } from '../errors.js';
import { StringInterner } from '../profile/string-interner.js';
import { exactNumeric } from './columns.js';
import type { Side, SideColumn } from './columns.js';

/** Distinct texts per column decoded once and counted by slot; more go through a Map. */
const INTERNED = 4096;

class ColumnReader {
  seen = 0;
  missing = 0;
  infinite = 0;
  textCount = 0;
  /** Numbers written with a fraction or an exponent ("1.0", "2e3"): pandas reads such a column as float64. */
  decimals = 0;
  /** Finite numbers; grown to the estimated row count at once, so that no column is held twice. */
  private values = new Float64Array(1024);
  private numberCount = 0;
  private interner: StringInterner | null = null;
  private slotCounts: Float64Array | null = null;
  private overflow: Map<string, number> | null = null;
  /** typedTexts' counts by dictionary code, and the codes in the order first seen in a batch. */
  private codeCounts = new Float64Array(0);
  private codeOrder = new Int32Array(0);

  constructor(
    readonly name: string,
    /** The estimated number of rows of the whole side (all files), or 0 while unknown. */
    private readonly estimate: () => number,
  ) {}

  number(value: number): void {
    if (this.numberCount === this.values.length) this.grow(1);
    this.values[this.numberCount++] = value;
  }

  /** Room for `more` numbers past those held. */
  private grow(more: number): void {
    const grown = new Float64Array(Math.max(Math.ceil(this.values.length * 1.5), this.estimate(), this.numberCount + more));
    grown.set(this.values.subarray(0, this.numberCount));
    this.values = grown;
  }

  /** A batch of a Parquet integer or number column: the same as number() (and counts) per cell, in one loop. */
  typedNumbers(kinds: Uint8Array, values: Float64Array, rows: number, float: boolean): void {
    this.seen += rows;
    if (this.numberCount + rows > this.values.length) this.grow(rows);
    const out = this.values;
    let count = this.numberCount;
    let decimals = 0;
    let missing = 0;
    let infinite = 0;
    for (let i = 0; i < rows; i++) {
      const kind = kinds[i]!;
      if (kind === Kind.Integer || kind === Kind.Number) {
        out[count++] = values[i]!;
        if (float || kind === Kind.Number) decimals++;
      } else if (kind === Kind.Null || kind === Kind.NaN) missing++;
      else if (kind === Kind.Infinity) infinite++;
      else throw new Error(`drift: a cell of kind ${kind} in the number column ${this.name}`);
    }
    this.numberCount = count;
    this.decimals += decimals;
    this.missing += missing;
    this.infinite += infinite;
  }

  /**
   * A batch of a Parquet text column: each text counted by its code, added to the counts in
   * the order texts are first seen (as text() per cell would).
   */
  typedTexts(kinds: Uint8Array, values: Float64Array, codes: Int32Array, texts: readonly string[], rows: number): void {
    this.seen += rows;
    if (this.codeCounts.length < texts.length) {
      this.codeCounts = new Float64Array(texts.length * 2);
      this.codeOrder = new Int32Array(texts.length * 2);
    }
    const counts = this.codeCounts;
    const order = this.codeOrder;
    let distinct = 0;
    for (let i = 0; i < rows; i++) {
      const kind = kinds[i]!;
      if (kind === Kind.Null || kind === Kind.NaN) this.missing++;
      else if (kind === Kind.Integer || kind === Kind.Number) {
        this.number(values[i]!);
        if (kind === Kind.Number) this.decimals++;
      } else if (kind === Kind.Infinity) this.infinite++;
      else {
        const code = codes[i]!;
        if (counts[code] === 0) order[distinct++] = code;
        counts[code]! += 1;
      }
    }
    for (let k = 0; k < distinct; k++) {
      const code = order[k]!;
      const count = counts[code]!;
      counts[code] = 0;
      this.textCount += count;
      this.textOverflow(texts[code]!, count);
    }
  }

  /** Counts a text value given as bytes (decoded on first sight only). */
  textBytes(buf: Buffer, start: number, end: number, flags: number, decode: () => string): void {
    this.textCount++;
    if (!this.interner) {
      this.interner = new StringInterner(INTERNED);
      this.slotCounts = new Float64Array(this.interner.hashes.length);
    }
    const slot = this.interner.intern(buf, start, end, flags, decode);
    if (slot >= 0) this.slotCounts![slot]! += 1;
    else this.textOverflow(decode());
  }

  text(value: string): void {
    this.textCount++;
    this.textOverflow(value);
  }

  private textOverflow(value: string, count = 1): void {
    this.overflow ??= new Map();
    this.overflow.set(value, (this.overflow.get(value) ?? 0) + count);
  }

  finish(rows: number): SideColumn {
    // A view of the filled part: the unused tail (a few percent past the estimate) is not copied away.
    const values = this.values.subarray(0, this.numberCount);
    const texts = new Map<string, number>();
    if (this.interner) {
      const counts = this.slotCounts!;
      for (let slot = 0; slot < counts.length; slot++) if (counts[slot]! > 0) texts.set(this.interner.texts[slot]!, counts[slot]!);
    }
    for (const [text, count] of this.overflow ?? []) texts.set(text, (texts.get(text) ?? 0) + count);
    const missing = this.missing + (rows - this.seen);
    return {
      name: this.name,
      rows,
      missing,
      infinite: this.infinite,
      numeric: exactNumeric(values),
      texts,
      textCount: this.textCount,
      textsExact: true,
      integerDtype: this.numberCount > 0 && this.decimals === 0 && missing === 0 && this.infinite === 0 && this.textCount === 0,
    };
  }
}

export interface ReadSideOptions {
  format?: DataFormat | 'auto';
  nullValues?: readonly string[];
  /** Columns not to read at all (for example `_time` of prediction logs). */
  ignore?: ReadonlySet<string>;
  /** Reads only these columns when given. */
  only?: ReadonlySet<string> | null;
  /** How messages name a file (default: its path as given). */
  shown?: (path: string) => string;
  /**
   * Parquet number and dictionary text columns read a batch at a time (default true); false
   * reads them cell by cell, as other columns: the tests check that both give the same side.
   */
  batchwise?: boolean;
}

/** Reads files (CSV, TSV, JSON Lines, gzip too; Parquet) as one side of the drift check. */
export async function readSide(files: readonly string[], options: ReadSideOptions = {}): Promise<Side> {
  if (files.length === 0) throw new UserError('no data files to read');
  const classifier = new ValueClassifier(options.nullValues ?? DEFAULT_NULL_VALUES);
  const readers = new Map<string, ColumnReader>();
  // Rows per byte from what was read so far, times the bytes of all files: the size to grow a column to.
  let totalBytes = 0;
  for (const f of files)
    totalBytes += await stat(f).then(
      (s) => s.size,
      () => 0,
    );
  let bytesDone = 0;
  let rowsAtChunk = 0;
  let bytesAtChunk = 0;
  const estimate = () => (bytesAtChunk > 0 && rowsAtChunk > 0 ? Math.ceil((rowsAtChunk / bytesAtChunk) * totalBytes * 1.02) + 1024 : 0);
  const wanted = (name: string) => !options.ignore?.has(name) && (!options.only || options.only.has(name));
  const reader = (name: string): ColumnReader => {
    let r = readers.get(name);
    if (!r) {
      r = new ColumnReader(name, estimate);
      readers.set(name, r);
    }
    return r;
  };
  let rows = 0;
  const notes: string[] = [];
  for (const path of files) {
    const file = options.shown ? options.shown(path) : path;
    const format = detectFormat(path, options.format);
    if (format === 'parquet') {
      // Typed columns, row group by row group: a Parquet float column is never an integer dtype (as pandas reads it).
      const parquet = await openParquet(path, { nullValues: options.nullValues, name: file, columns: options.only ?? null });
      for await (const batch of parquet.batches()) {
        for (const col of batch.columns) {
          if (!wanted(col.column.name)) continue;
          const r = reader(col.column.name);
          const float = col.column.type === 'number';
          if (options.batchwise === false) {
            // Cell by cell, below.
          } else if (float || col.column.type === 'integer') {
            r.typedNumbers(col.kinds, col.values, batch.rows, float);
            continue;
          } else if (col.codes && col.texts) {
            r.typedTexts(col.kinds, col.values, col.codes, col.texts, batch.rows);
            continue;
          }
          for (let i = 0; i < batch.rows; i++) {
            r.seen++;
            const kind = col.kinds[i];
            if (kind === Kind.Integer || kind === Kind.Number) {
              r.number(col.values[i]!);
              if (float || kind === Kind.Number) r.decimals++;
            } else if (kind === Kind.Null || kind === Kind.NaN) r.missing++;
            else if (kind === Kind.Infinity) r.infinite++;
            else r.text(col.text(i)!);
          }
        }
        rows += batch.rows;
        rowsAtChunk = rows;
        bytesAtChunk = bytesDone + parquet.bytesRead();
      }
      bytesDone += parquet.size;
      continue;
    }
    const source = await openSource(path, undefined, file);
    if (format === 'jsonl') {
      let line = 0;
      const handle = (buf: Buffer, start: number, end: number, last = false) => {
        line++;
        const text = decodeText(buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end);
        if (text.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          // A log still being written (mlops serve --log) may end in half a line: no newline yet.
          if (last) {
            notes.push(`${file}:${line}: the last line is incomplete (no line break, not JSON: the file is still being written?); skipped`);
            return;
          }
          throw new UserError(
            `${file}:${line}: not JSON (${(error as Error).message})`,
            'Run validate-data on this file to find every bad line.',
          );
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          throw new UserError(
            `${file}:${line}: not a JSON object`,
            'Each line of a JSON Lines file must be one object: {"column": value, ...}.',
          );
        for (const [name, cell] of Object.entries(value as Record<string, unknown>)) {
          if (!wanted(name)) continue;
          const r = reader(name);
          r.seen++;
          if (cell === null || cell === undefined) r.missing++;
          else if (typeof cell === 'number') {
            if (Number.isFinite(cell)) {
              r.number(cell);
              if (!Number.isInteger(cell)) r.decimals++;
            } else r.infinite++;
          } else if (typeof cell === 'boolean') r.text(cell ? 'true' : 'false');
          else if (typeof cell === 'string') {
            const kind = classifier.classifyText(cell);
            if (kind === Kind.Null || kind === Kind.NaN) r.missing++;
            else if (kind === Kind.Infinity) r.infinite++;
            else if (kind === Kind.Integer || kind === Kind.Number) {
              r.number(classifier.value);
              if (kind === Kind.Number) r.decimals++;
            } else r.text(kind === Kind.Boolean ? (classifier.value ? 'true' : 'false') : cell);
          } else r.text(JSON.stringify(cell));
        }
        rows++;
      };
      let pending: Buffer | null = null;
      for await (const chunk of source.chunks) {
        const buf: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
        let start = 0;
        for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
          handle(buf, start, nl);
          start = nl + 1;
        }
        pending = start < buf.length ? buf.subarray(start) : null;
        bytesAtChunk = bytesDone + source.bytesRead();
        rowsAtChunk = rows;
      }
      if (pending) handle(pending, 0, pending.length, true);
      bytesDone += source.size;
      continue;
    }
    const tokenizer = new DelimitedTokenizer(format === 'tsv' ? 9 : 44);
    let header: Array<ColumnReader | null> | null = null;
    const sink: RecordSink = {
      record(buf, starts, ends, flags, count, line) {
        const text = (i: number) => {
          const raw = decodeText(buf, starts[i]!, ends[i]!);
          return flags[i]! & FIELD_ESCAPED_QUOTES ? unescapeQuotes(raw) : raw;
        };
        const open = unterminatedField(flags, count);
        if (open >= 0)
          throw new UserError(
            unterminatedQuoteMessage(file, openingQuote(buf, starts, flags, open, line)),
            `${UNTERMINATED_QUOTE_HINT} Run validate-data on this file to find every malformed row.`,
          );
        if (header === null) {
          header = [];
          const names = new Set<string>();
          for (let i = 0; i < count; i++) {
            const name = text(i);
            if (names.has(name))
              throw new UserError(`${file}:${line}: the header names column "${name}" twice`, 'Give every column a unique name.');
            names.add(name);
            header.push(wanted(name) ? reader(name) : null);
          }
          return;
        }
        if (count !== header.length) {
          throw new UserError(
            `${file}:${line}: ${count} fields where the header has ${header.length}`,
            'Run validate-data on this file to find every malformed row.',
          );
        }
        for (let i = 0; i < count; i++) {
          const r = header[i];
          if (!r) continue;
          if (flags[i]! & FIELD_MALFORMED)
            throw new UserError(
              `${file}:${line}: a quoted field is not closed properly`,
              'Run validate-data on this file to find every malformed row.',
            );
          r.seen++;
          const kind = classifier.classify(buf, starts[i]!, ends[i]!);
          switch (kind) {
            case Kind.Integer:
              r.number(classifier.value);
              break;
            case Kind.Number:
              r.number(classifier.value);
              r.decimals++;
              break;
            case Kind.Null:
            case Kind.NaN:
              r.missing++;
              break;
            case Kind.Infinity:
              r.infinite++;
              break;
            case Kind.Boolean:
              r.text(classifier.value ? 'true' : 'false');
              break;
            default:
              r.textBytes(buf, starts[i]!, ends[i]!, flags[i]! & FIELD_ESCAPED_QUOTES, () => text(i));
          }
        }
        rows++;
      },
    };
    await tokenizeChunks(source.chunks, tokenizer, sink, () => {
      bytesAtChunk = bytesDone + source.bytesRead();
      rowsAtChunk = rows;
    });
    bytesDone += source.size;
  }
  const columns = new Map<string, SideColumn>();
  for (const [name, r] of readers) columns.set(name, r.finish(rows));
  return { source: 'data', files: [...files], rows, columns, notes };
}
