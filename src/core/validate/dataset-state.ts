/**
 * What one reader accumulates over the rows it reads: per column a profile and,
 * given a schema, its checks; per file a tally of malformed rows. The main thread
 * holds one; each parallel reader holds another, and their states merge.
 */
import {
  FIELD_ESCAPED_QUOTES,
  FIELD_MALFORMED,
  FIELD_QUOTED,
  openingQuote,
  unescapeQuotes,
  unterminatedField,
  unterminatedQuoteMessage,
} from '../data/delimited.js';
import type { DelimitedTokenizer, RecordSink } from '../data/delimited.js';
import { ParquetCellText } from '../data/parquet.js';
import type { ParquetColumnBatch, ParquetFile } from '../data/parquet.js';
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier, decodeText, digitsValue, joinDigits, plainDecimal } from '../data/values.js';
import { UserError } from '../errors.js';
import { ColumnProfileBuilder } from '../profile/profile.js';
import { StringInterner } from '../profile/string-interner.js';
import { hashString } from '../sketch/index.js';
import type { ColumnProfileState } from '../profile/profile.js';
import type { DataSchema } from '../schema/schema.js';
import { schemaColumn } from '../schema/schema.js';
import { ColumnChecker, Tally } from './column-checks.js';
import { SCAN_FULL, SCAN_HARD, UNREAD, wasmRecords } from './wasm-records.js';
import type { WasmRecords } from './wasm-records.js';
import type { CheckerState, TallyState, ValueText } from './column-checks.js';

export interface ReaderSettings {
  schema: DataSchema | null;
  nullValues: readonly string[];
  sampleLimit: number;
}

/** A column across all files: its profile and its checks. */
export class ColumnScan {
  readonly profile: ColumnProfileBuilder;
  readonly interner = new StringInterner();
  /** Values (nulls included) read in the current file. */
  seenInFile = 0;
  constructor(
    readonly name: string,
    readonly checker: ColumnChecker | null,
  ) {
    this.profile = new ColumnProfileBuilder(name);
  }
}

/** The current CSV field, decoded only when a check or the profile asks. */
class FieldText implements ValueText {
  buf: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;
  flags = 0;
  cached: string | null = null;
  set(buf: Buffer, start: number, end: number, flags: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.flags = flags;
    this.cached = null;
  }
  text(): string {
    if (this.cached === null) {
      const raw = decodeText(this.buf, this.start, this.end);
      this.cached = this.flags & FIELD_ESCAPED_QUOTES ? unescapeQuotes(raw) : raw;
    }
    return this.cached;
  }
}

class StringText implements ValueText {
  value = '';
  text(): string {
    return this.value;
  }
}

export interface ReaderState {
  columns: Array<{ name: string; profile: ColumnProfileState; checker: CheckerState | null }>;
  malformed: Array<{ file: string; tally: TallyState }>;
}

export class DatasetState {
  readonly columns = new Map<string, ColumnScan>();
  readonly classifier: ValueClassifier;
  /** Files in reading order; checkers and samples refer to them by index. */
  readonly files: string[] = [];
  readonly malformed = new Map<string, Tally>();
  private readonly stringText = new StringText();

  constructor(readonly settings: ReaderSettings) {
    this.classifier = new ValueClassifier(settings.nullValues ?? DEFAULT_NULL_VALUES);
    // Schema columns come first, in schema order, so reports follow the schema.
    if (settings.schema) for (const name of Object.keys(settings.schema.columns)) this.columnFor(name);
  }

  columnFor(name: string): ColumnScan {
    let column = this.columns.get(name);
    if (!column) {
      column = new ColumnScan(name, this.checkerFor(name));
      this.columns.set(name, column);
    }
    return column;
  }

  private checkerFor(name: string): ColumnChecker | null {
    const columnSchema = this.settings.schema ? schemaColumn(this.settings.schema, name) : undefined;
    if (!columnSchema) return null;
    try {
      return new ColumnChecker(name, columnSchema, this.settings.sampleLimit, this.files);
    } catch (error) {
      throw new UserError(`schema: ${(error as Error).message}`, 'Fix the schema file.');
    }
  }

  malformedTally(file: string): Tally {
    let tally = this.malformed.get(file);
    if (!tally) {
      tally = new Tally(this.settings.sampleLimit);
      this.malformed.set(file, tally);
    }
    return tally;
  }

  /**
   * A sink for delimited records of one file, numbering rows from `firstRow`.
   * `header` maps field positions to columns.
   */
  recordSink(fileIndex: number, header: ColumnScan[], firstRow: number): ColumnBatchSink {
    return new ColumnBatchSink(this, fileIndex, header, firstRow);
  }

  /** One JSON Lines record (already parsed). */
  jsonRecord(fileIndex: number, record: Array<[string, unknown]>, row: number, line: number, seen: Set<string>): void {
    const classifier = this.classifier;
    const stringText = this.stringText;
    for (const [name, value] of record) {
      const column = this.columnFor(name);
      seen.add(name);
      column.seenInFile++;
      let kind: Kind;
      let number = 0;
      let text: string;
      if (value === null || value === undefined) {
        kind = Kind.Null;
        text = '';
      } else if (typeof value === 'number') {
        kind = !Number.isFinite(value) ? Kind.Infinity : Number.isInteger(value) ? Kind.Integer : Kind.Number;
        number = value;
        text = String(value);
      } else if (typeof value === 'boolean') {
        kind = Kind.Boolean;
        number = value ? 1 : 0;
        text = String(value);
      } else if (typeof value === 'string') {
        kind = classifier.classifyText(value);
        number = classifier.value;
        // A JSON string stays a string unless it is a null token or a date.
        if (kind !== Kind.Null && kind !== Kind.Datetime) kind = Kind.String;
        text = value;
      } else {
        kind = Kind.String;
        text = JSON.stringify(value);
      }
      stringText.value = text;
      column.profile.add(kind, number, kind === Kind.String || kind === Kind.Datetime ? text : null);
      column.checker?.check(kind, number, stringText, fileIndex, row, line);
    }
    // A key a row lacks is a null there: take samples for the columns whose nulls are checked.
    const file = this.files[fileIndex]!;
    let keys: Set<string> | null = null;
    for (const column of this.columns.values()) {
      const checker = column.checker;
      if (checker === null || !checker.tracksNulls || checker.nulls.samples.length >= this.settings.sampleLimit) continue;
      keys ??= new Set(record.map(([name]) => name));
      if (!keys.has(column.name)) checker.nulls.add(file, row, line, '(key absent)');
    }
  }

  /**
   * Reads an opened Parquet file into the state, batch by batch: its columns (those it was
   * opened with) go by `names`, in order. Returns the rows read; `onBatch` hears the rows so far.
   */
  async readParquet(
    fileIndex: number,
    parquet: ParquetFile,
    names: readonly string[],
    onBatch: (rows: number) => void = () => {},
  ): Promise<number> {
    const header = names.map((name) => this.columnFor(name));
    const cell = new ParquetCellText();
    let rows = 0;
    for await (const batch of parquet.batches()) {
      for (let c = 0; c < header.length; c++) this.parquetColumn(fileIndex, header[c]!, batch.columns[c]!, batch.firstRow + 1, cell);
      rows += batch.rows;
      onBatch(rows);
    }
    return rows;
  }

  /**
   * One column of a batch of Parquet rows (the batch's first row is row `firstRow` of the file):
   * typed values go to the profile as they are, texts with their kind already known.
   */
  parquetColumn(fileIndex: number, column: ColumnScan, batch: ParquetColumnBatch, firstRow: number, cell: ParquetCellText): void {
    const profile = column.profile;
    const { kinds, values, codes, texts } = batch;
    const count = kinds.length;
    const checker = column.checker;
    if (codes !== null && this.parquetTexts(fileIndex, column, batch, firstRow, cell)) return;
    if (codes !== null) {
      // Each distinct text is hashed once per batch (a dictionary's texts are shared by its rows).
      const hashes = new Int32Array(texts!.length).fill(-1);
      for (let i = 0; i < count; i++) {
        const kind = kinds[i]! as Kind;
        if (kind === Kind.Null) profile.add(Kind.Null, 0, null);
        else {
          const code = codes[i]!;
          const text = texts![code]!;
          if (kind === Kind.String) {
            let hash = hashes[code]!;
            if (hash === -1) hash = hashes[code] = hashString(text) | 0;
            profile.add(kind, 0, text, hash >>> 0);
          } else profile.add(kind, values[i]!, text);
        }
      }
    } else if (batch.column.type === 'datetime') {
      for (let i = 0; i < count; i++) {
        const kind = kinds[i]! as Kind;
        profile.add(kind, values[i]!, kind === Kind.Datetime ? batch.text(i) : null);
      }
    } else {
      // Numbers, a run of one kind at a time: into the profile, then past the checks up to the first
      // that fails one (which `check` sees, then the run goes on after it).
      cell.column = batch;
      for (let i = 0; i < count;) {
        const kind = kinds[i]! as Kind;
        if (kind !== Kind.Number && kind !== Kind.Integer) {
          profile.add(kind, values[i]!, null);
          if (checker !== null) {
            cell.row = i;
            checker.check(kind, values[i]!, cell, fileIndex, firstRow + i, 0);
          }
          i++;
          continue;
        }
        let end = i + 1;
        while (end < count && kinds[end] === kind) end++;
        profile.addNumbers(kind, values, i, end);
        if (checker !== null) {
          for (let at = checker.passesNumbers(kind, values, i, end); at < end; at = checker.passesNumbers(kind, values, at + 1, end)) {
            cell.row = at;
            checker.check(kind, values[at]!, cell, fileIndex, firstRow + at, 0);
          }
        }
        i = end;
      }
      return;
    }
    if (checker === null) return;
    cell.column = batch;
    for (let i = 0; i < count; i++) {
      const kind = kinds[i]! as Kind;
      const value = values[i]!;
      // A number within the checks' bounds passes without its text (as in delimited reading).
      if (checker.passesNumber(kind, value)) continue;
      cell.row = i;
      checker.check(kind, value, cell, fileIndex, firstRow + i, 0);
    }
  }

  /**
   * A text column's batch whose values are all strings or nulls: each distinct text is counted,
   * hashed and checked once (its checks pass or not by its text alone without a unique check), and
   * the profile takes each text with its count when its frequent-items summary has room for them
   * all (it then counts exactly, so the order does not matter). Returns false, having done nothing,
   * when the batch holds other kinds or the summary has no room: the caller then reads it in order.
   */
  private parquetTexts(fileIndex: number, column: ColumnScan, batch: ParquetColumnBatch, firstRow: number, cell: ParquetCellText): boolean {
    const { kinds, codes, texts } = batch;
    const count = kinds.length;
    const tally = new Int32Array(texts!.length);
    let nulls = 0;
    for (let i = 0; i < count; i++) {
      const kind = kinds[i]!;
      if (kind === Kind.Null) nulls++;
      else if (kind === Kind.String) tally[codes![i]!]!++;
      else return false;
    }
    let distinct = 0;
    for (let code = 0; code < tally.length; code++) if (tally[code]! > 0) distinct++;
    const profile = column.profile;
    if (!profile.takesTexts(distinct)) return false;
    if (nulls > 0) profile.addNulls(nulls);
    for (let code = 0; code < tally.length; code++) {
      if (tally[code]! > 0) profile.addStrings(texts![code]!, hashString(texts![code]!), tally[code]!);
    }
    const checker = column.checker;
    if (checker === null) return true;
    // Each text's verdict once: 1 passes, 2 fails (and `check` sees each of its values).
    const verdicts = new Uint8Array(texts!.length);
    cell.column = batch;
    let passed = 0;
    for (let i = 0; i < count; i++) {
      const kind = kinds[i]! as Kind;
      if (kind === Kind.String) {
        const code = codes![i]!;
        let verdict = verdicts[code]!;
        if (verdict === 0) verdict = verdicts[code] = checker.stringPasses(texts![code]!) ? 1 : 2;
        if (verdict === 1) {
          passed++;
          continue;
        }
      }
      cell.row = i;
      checker.check(kind, NaN, cell, fileIndex, firstRow + i, 0);
    }
    checker.checked += passed;
    return true;
  }

  toState(): ReaderState {
    return {
      columns: [...this.columns.values()].map((c) => ({
        name: c.name,
        profile: c.profile.toState(),
        checker: c.checker?.toState() ?? null,
      })),
      malformed: [...this.malformed].map(([file, tally]) => ({ file, tally: tally.toState() })),
    };
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** The most digits a plain decimal may have to be read on the fast path (exact in a double). */
const PLAIN_DIGITS = 15;

/** Rows a sink holds back before reading them a column at a time; fewer for wide files (at most BATCH_FIELDS fields). */
const BATCH_ROWS = 2048;
const BATCH_FIELDS = 1 << 16;

/**
 * Delimited records, read a column at a time: well-formed records are held back (their fields'
 * offsets) until a batch is full or `readRecords` returns, then each column's values go through
 * its profile and checks in one loop. Each column sees its values in row order, as record by
 * record reading would give them, so profiles and samples are the same. A malformed record
 * (wrong field count, bad quoting) ends the batch and is read on its own, in its place.
 */
export class ColumnBatchSink implements RecordSink {
  row: number;
  private readonly width: number;
  private readonly capacity: number;
  /**
   * The thread's WebAssembly reader of the usual records (records.wat), or null: the JavaScript
   * path (`fastRecords`) then reads them. With it, the batch lives in its memory (the arrays below
   * are views of it, taken again whenever the sink starts a batch) and the bytes read are copied there.
   */
  private readonly wasm: WasmRecords | null;
  private starts: Int32Array;
  private ends: Int32Array;
  private flags: Uint8Array;
  /** Each held-back field's kind when it was read as a plain decimal on the way (its number in `values`), else UNREAD. */
  private kinds: Uint8Array;
  private values: Float64Array;
  private lines: Float64Array;
  private buf: Buffer | null = null;
  /** Records held back, and the row number of the first. */
  private held = 0;
  private firstRow = 0;
  private readonly file: string;
  private readonly field = new FieldText();
  private readonly decodeField = () => this.field.text();
  /** A column's held-back strings (interner slots, in row order), and their counts by slot while adding them. */
  private readonly slots: Int32Array;
  private readonly slotCounts: Float64Array;
  private readonly touched: Int32Array;

  constructor(
    private readonly state: DatasetState,
    private readonly fileIndex: number,
    private readonly header: ColumnScan[],
    firstRow: number,
  ) {
    this.row = firstRow - 1;
    this.width = header.length;
    this.capacity = Math.max(1, Math.min(BATCH_ROWS, Math.floor(BATCH_FIELDS / Math.max(1, this.width))));
    const wasm = wasmRecords();
    this.wasm = wasm !== null && this.capacity * this.width <= wasm.fieldsCapacity && this.capacity <= wasm.linesCapacity ? wasm : null;
    if (this.wasm !== null) {
      ({ starts: this.starts, ends: this.ends, flags: this.flags, kinds: this.kinds, values: this.values, lines: this.lines } = this.wasm);
    } else {
      this.starts = new Int32Array(this.capacity * this.width);
      this.ends = new Int32Array(this.capacity * this.width);
      this.flags = new Uint8Array(this.capacity * this.width);
      this.kinds = new Uint8Array(this.capacity * this.width);
      this.values = new Float64Array(this.capacity * this.width);
      this.lines = new Float64Array(this.capacity);
    }
    this.slots = new Int32Array(this.capacity);
    const interned = header.reduce((most, column) => Math.max(most, column.interner.texts.length), 0);
    this.slotCounts = new Float64Array(interned);
    this.touched = new Int32Array(interned);
    this.file = state.files[fileIndex]!;
  }

  record(buf: Buffer, starts: Int32Array, ends: Int32Array, flags: Uint8Array, count: number, line: number): void {
    const row = ++this.row;
    const width = this.width;
    let bad = count !== width;
    for (let i = 0; i < count && !bad; i++) if (flags[i]! & FIELD_MALFORMED) bad = true;
    if (bad) {
      this.flush();
      this.malformedRecord(buf, starts, ends, flags, count, line, row);
      return;
    }
    if (this.held > 0 && buf !== this.buf) this.flush();
    if (this.held === 0) {
      if (this.wasm !== null) this.takeWasm(this.wasm);
      this.buf = buf;
      this.firstRow = row;
    }
    // Copied field by field: a subarray per record would cost more than the copy.
    const base = this.held * width;
    const heldStarts = this.starts;
    const heldEnds = this.ends;
    const heldFlags = this.flags;
    const heldKinds = this.kinds;
    for (let i = 0; i < width; i++) {
      heldStarts[base + i] = starts[i]!;
      heldEnds[base + i] = ends[i]!;
      heldFlags[base + i] = flags[i]!;
      heldKinds[base + i] = UNREAD;
    }
    this.lines[this.held] = line;
    if (++this.held === this.capacity) this.flush();
  }

  /**
   * Reads the records of buf[start, end) as `tokenizer.tokenize` would (with this sink) and returns
   * where the first incomplete record begins; `tokenizer.line` moves on with them. Most records
   * take a faster path, which finds the fields and reads plain decimal numbers in one pass over
   * the bytes; a record it does not read (a quoted field with a doubled quote or a line break,
   * bad quoting, a wrong number of fields) goes to the tokenizer, one record at a time.
   */
  readRecords(tokenizer: DelimitedTokenizer, buf: Buffer, start: number, end: number, final: boolean): number {
    const wasm = this.wasm;
    if (wasm === null) return this.readFrom(tokenizer, buf, start, end, final);
    // The bytes go to the WebAssembly memory, and are read there (offsets into that copy).
    this.flush();
    wasm.take(this);
    const input = wasm.load(buf, start, end, this.state.classifier);
    this.viewWasm(wasm);
    return start + this.readFrom(tokenizer, input, 0, end - start, final);
  }

  /** Takes the WebAssembly memory for a batch, and views of it. */
  private takeWasm(wasm: WasmRecords): void {
    wasm.take(this);
    this.viewWasm(wasm);
  }

  /** The batch's arrays: views of the WebAssembly memory (new ones when it has grown). */
  private viewWasm(wasm: WasmRecords): void {
    ({ starts: this.starts, ends: this.ends, flags: this.flags, kinds: this.kinds, values: this.values, lines: this.lines } = wasm);
  }

  private readFrom(tokenizer: DelimitedTokenizer, buf: Buffer, start: number, end: number, final: boolean): number {
    let pos = start;
    while (pos < end) {
      const next =
        this.wasm !== null
          ? this.wasmRecords(this.wasm, tokenizer, buf, pos, end, final)
          : this.fastRecords(tokenizer, buf, pos, end, final);
      if (!this.stoppedAtHard) {
        pos = next;
        break;
      }
      const after = tokenizer.tokenize(buf, next, end, final, this, 1);
      if (after === next) {
        pos = next; // incomplete: the next call has the rest
        break;
      }
      pos = after;
    }
    this.flush();
    return pos;
  }

  /** Whether the last `fastRecords` stopped at a record it does not read (rather than at the end of the input or an incomplete record). */
  private stoppedAtHard = false;

  /** `fastRecords` in WebAssembly (records.wat): buf is the copy in its memory. */
  private wasmRecords(wasm: WasmRecords, tokenizer: DelimitedTokenizer, buf: Buffer, start: number, end: number, final: boolean): number {
    const { exports } = wasm;
    if (this.held > 0 && buf !== this.buf) this.flush();
    this.stoppedAtHard = false;
    let pos = start;
    for (;;) {
      const held = this.held;
      const status = exports.scan(pos, end, final ? 1 : 0, this.width, held, this.capacity, tokenizer.delimiter, tokenizer.line);
      const now = exports.stopHeld.value;
      if (now > held) {
        if (held === 0) {
          this.buf = buf;
          this.firstRow = this.row + 1;
        }
        this.row += now - held;
        this.held = now;
      }
      pos = exports.stopPos.value;
      tokenizer.line = exports.stopLine.value;
      if (status !== SCAN_FULL) {
        this.stoppedAtHard = status === SCAN_HARD;
        return pos;
      }
      this.flush();
    }
  }

  /**
   * `tokenize`'s rules for the usual records: fields end at the delimiter, records at a line feed
   * (a CR before it, or before the end of the input, is left out), a blank line is no record, a
   * delimiter ending the input adds an empty field, and a quoted field without doubled quotes or
   * line breaks is its text. A field that is a plain decimal (-?digits[.digits], at most 15
   * digits, no null token starting that way) is read on the way, as the classifier reads it.
   * Returns where it stopped: the end, an incomplete record, or (with `stoppedAtHard`) a record
   * it leaves to the tokenizer.
   */
  private fastRecords(tokenizer: DelimitedTokenizer, buf: Buffer, start: number, end: number, final: boolean): number {
    const { width, starts, ends, flags, kinds, values } = this;
    const delimiter = tokenizer.delimiter;
    const classifier = this.state.classifier;
    let pos = start;
    let line = tokenizer.line;
    this.stoppedAtHard = false;
    records: while (pos < end) {
      if (this.held > 0 && buf !== this.buf) this.flush();
      const recordStart = pos;
      const base = this.held * width;
      let count = 0;
      /** What ended the last field: the delimiter, a line feed, or -1 (the end of the input). */
      let b = 0;
      for (;;) {
        const fieldStart = pos;
        /** Where the field ends: at the delimiter or line feed after it, or the end of the input. */
        let e: number;
        if (pos < end && buf[pos] === QUOTE) {
          // A quoted field: read here only when it closes before the end, holds no doubled
          // quote nor line feed, and the delimiter or a line end follows it.
          const close = buf.indexOf(QUOTE, pos + 1);
          const after = close + 1;
          const next = after < end ? buf[after]! : -1;
          const lineFeed = buf.indexOf(LF, pos + 1);
          const lineEnd = next === CR && after + 1 < end && buf[after + 1] === LF;
          if (close < 0 || after >= end || (lineFeed >= 0 && lineFeed < close) || (next !== delimiter && next !== LF && !lineEnd)) {
            this.stoppedAtHard = true;
            pos = recordStart;
            break records;
          }
          if (count < width) {
            const j = base + count;
            starts[j] = pos + 1;
            ends[j] = close;
            flags[j] = FIELD_QUOTED;
            kinds[j] = UNREAD;
          }
          b = lineEnd ? LF : next;
          e = lineEnd ? after + 1 : after;
        } else {
          let i = pos;
          const negative = i < end && buf[i] === 45;
          if (negative) i++;
          const digitsStart = i;
          // Each part's digits as a 32-bit integer (exact up to 9 digits): the multiply-adds of
          // the integer unit are about twice as quick, one after another, as a double's.
          let wholeValue = 0;
          while (i < end && (b = buf[i]!) >= 48 && b <= 57) {
            wholeValue = (wholeValue * 10 + (b - 48)) | 0;
            i++;
          }
          const whole = i - digitsStart;
          let fraction = 0;
          let fractionValue = 0;
          let plain = whole > 0;
          if (plain && i < end && buf[i] === 46) {
            const fractionStart = ++i;
            while (i < end && (b = buf[i]!) >= 48 && b <= 57) {
              fractionValue = (fractionValue * 10 + (b - 48)) | 0;
              i++;
            }
            fraction = i - fractionStart;
            plain = fraction > 0; // "5." is a number, but not a plain one
          }
          e = i;
          // b is buf[i] (the loops above read the byte that stopped them): a field that is a plain
          // number ends right there. Past the end of the input there is nothing to search.
          if (b !== delimiter && b !== LF) while (e < end && (b = buf[e]!) !== delimiter && b !== LF) e++;
          if (e >= end) {
            if (!final) {
              pos = recordStart;
              break records;
            }
            b = -1;
          }
          // A CR before the line feed or the end of the input is not part of the field.
          const fieldEnd = b !== delimiter && e > fieldStart && buf[e - 1] === CR ? e - 1 : e;
          if (count < width) {
            const j = base + count;
            starts[j] = fieldStart;
            ends[j] = fieldEnd;
            flags[j] = 0;
            if (plain && i === fieldEnd && whole + fraction <= PLAIN_DIGITS && !classifier.mayBeNull(buf[fieldStart]!)) {
              kinds[j] = fraction > 0 ? Kind.Number : Kind.Integer;
              const mantissa =
                whole <= 9 && fraction <= 9 ? joinDigits(wholeValue, fractionValue, fraction) : digitsValue(buf, digitsStart, i);
              values[j] = plainDecimal(mantissa, fraction, negative);
            } else kinds[j] = UNREAD;
          }
        }
        count++;
        if (b !== delimiter) {
          pos = b === LF ? e + 1 : end;
          break;
        }
        pos = e + 1;
        if (pos >= end) {
          if (!final) {
            pos = recordStart;
            break records;
          }
          // A delimiter at the very end of the input: one more empty field.
          if (count < width) {
            starts[base + count] = pos;
            ends[base + count] = pos;
            flags[base + count] = 0;
            kinds[base + count] = UNREAD;
          }
          count++;
          b = -1;
          break;
        }
      }
      const recordLine = line;
      if (b === LF) line++;
      // A blank line (one empty unquoted field) is not a record.
      if (count === 1 && starts[base] === ends[base] && flags[base] === 0) continue;
      if (count !== width) {
        // The tokenizer reads it again, and reports it.
        this.stoppedAtHard = true;
        line = recordLine;
        pos = recordStart;
        break;
      }
      const row = ++this.row;
      if (this.held === 0) {
        this.buf = buf;
        this.firstRow = row;
      }
      this.lines[this.held] = recordLine;
      if (++this.held === this.capacity) this.flush();
    }
    tokenizer.line = line;
    return pos;
  }

  /** Reads the records held back, a column at a time. */
  flush(): void {
    const count = this.held;
    if (count === 0) return;
    this.held = 0;
    const buf = this.buf!;
    this.buf = null;
    const { width, starts, ends, flags, kinds, values, lines, field, fileIndex, firstRow, slots } = this;
    const classifier = this.state.classifier;
    for (let c = 0; c < width; c++) {
      const column = this.header[c]!;
      const { profile, checker, interner } = column;
      // A column's strings are held back (as interner slots) and counted by text, until a value
      // that must be added in its place (a boolean, date, NaN or a text not interned) comes.
      let counting = true;
      let strings = 0;
      for (let r = 0, j = c; r < count; r++, j += width) {
        const known = kinds[j]!;
        if (known !== UNREAD) {
          // A plain decimal, read on the way (Integer or Number). The branch below does the same
          // for a classified number; this one stays apart because folding the two was measured 2%
          // slower: the offsets of a plain number's text are read only when a check fails.
          const plain = known as typeof Kind.Integer | typeof Kind.Number;
          const value = values[j]!;
          profile.addNumber(plain, value);
          if (checker === null || checker.passesNumber(plain, value)) continue;
          field.set(buf, starts[j]!, ends[j]!, flags[j]!);
          checker.check(plain, value, field, fileIndex, firstRow + r, lines[r]!);
          continue;
        }
        const start = starts[j]!;
        const end = ends[j]!;
        const kind = classifier.classify(buf, start, end);
        const value = classifier.value;
        if (kind === Kind.Number || kind === Kind.Integer) {
          profile.addNumber(kind, value);
          if (checker === null || checker.passesNumber(kind, value)) continue;
          field.set(buf, start, end, flags[j]!);
        } else {
          field.set(buf, start, end, flags[j]!);
          const slot = kind === Kind.String ? interner.intern(buf, start, end, flags[j]!, this.decodeField) : -1;
          if (slot >= 0) {
            field.cached = interner.texts[slot]!;
            if (counting) slots[strings++] = slot;
            else profile.addStrings(field.cached, interner.hashes[slot]!, 1);
            if (checker === null || checker.passesString(slot, field.cached)) continue;
          } else {
            if (counting && kind !== Kind.Null) {
              counting = false;
              addInOrder(profile, interner, slots, strings);
            }
            profile.add(kind, value, kind === Kind.String || kind === Kind.Datetime ? field.text() : null);
          }
          if (checker === null) continue;
        }
        checker.check(kind, value, field, fileIndex, firstRow + r, lines[r]!);
      }
      if (counting && strings > 0) this.addCounted(profile, interner, strings);
    }
  }

  /**
   * Adds a column's held-back strings counted by text, when the frequent-items summary has room
   * for them all (it then counts exactly, and the order of adds does not matter); else in order.
   */
  private addCounted(profile: ColumnProfileBuilder, interner: StringInterner, strings: number): void {
    const { slots, slotCounts, touched } = this;
    let distinct = 0;
    for (let i = 0; i < strings; i++) {
      const slot = slots[i]!;
      const before = slotCounts[slot]!;
      slotCounts[slot] = before + 1;
      if (before === 0) touched[distinct++] = slot;
    }
    const counted = profile.takesTexts(distinct);
    for (let i = 0; i < distinct; i++) {
      const slot = touched[i]!;
      if (counted) profile.addStrings(interner.texts[slot]!, interner.hashes[slot]!, slotCounts[slot]!);
      slotCounts[slot] = 0;
    }
    if (!counted) addInOrder(profile, interner, slots, strings);
  }

  /** A record whose field count or quoting is wrong: its fields are read as they are, and the record is reported. */
  private malformedRecord(
    buf: Buffer,
    starts: Int32Array,
    ends: Int32Array,
    flags: Uint8Array,
    count: number,
    line: number,
    row: number,
  ): void {
    const { width, field, fileIndex, file } = this;
    const classifier = this.state.classifier;
    for (let i = 0; i < count && i < width; i++) {
      const column = this.header[i]!;
      const start = starts[i]!;
      const end = ends[i]!;
      field.set(buf, start, end, flags[i]!);
      const kind = classifier.classify(buf, start, end);
      const value = classifier.value;
      column.profile.add(kind, value, kind === Kind.String || kind === Kind.Datetime ? field.text() : null);
      column.checker?.check(kind, value, field, fileIndex, row, line);
    }
    for (let i = count; i < width; i++) {
      const column = this.header[i]!;
      column.profile.add(Kind.Null, 0, null);
      column.checker?.check(Kind.Null, 0, field, fileIndex, row, line);
    }
    const malformed = this.state.malformedTally(file);
    const open = unterminatedField(flags, count);
    let why = count !== width ? `${count} fields where the header has ${width}` : 'bad quoting';
    if (open >= 0) {
      const message = unterminatedQuoteMessage(file, openingQuote(buf, starts, flags, open, line));
      malformed.note ??= message;
      why = `${message} (${why})`;
    }
    const preview = decodeText(buf, starts[0]!, ends[count - 1]!);
    malformed.add(file, row, line, `${why}: ${preview.length > 120 ? `${preview.slice(0, 120)}…` : preview}`);
  }
}

/** Adds held-back strings (interner slots) one by one, in row order. */
function addInOrder(profile: ColumnProfileBuilder, interner: StringInterner, slots: Int32Array, strings: number): void {
  for (let i = 0; i < strings; i++) profile.addStrings(interner.texts[slots[i]!]!, interner.hashes[slots[i]!]!, 1);
}
