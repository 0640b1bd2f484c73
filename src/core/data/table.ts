/**
 * A data set read into memory, column by column, for training and evaluation.
 * Numbers live in Float64Arrays (NaN for a missing or non-numeric cell); a column
 * that holds any text also keeps its texts (null for missing). Reads CSV, TSV and
 * JSON Lines (gzip too) with the same tokenizer and value rules as validate-data, and
 * Parquet through parquet.ts, whose typed values map onto the same kinds: a Parquet file
 * reads into the same table as the CSV of its rows.
 */
import {
  DelimitedTokenizer,
  FIELD_ESCAPED_QUOTES,
  FIELD_MALFORMED,
  UNTERMINATED_QUOTE_HINT,
  openingQuote,
  tokenizeChunks,
  unescapeQuotes,
  unterminatedField,
  unterminatedQuoteMessage,
} from './delimited.js';
import type { RecordSink } from './delimited.js';
import { openParquet } from './parquet.js';
import type { ParquetColumnBatch } from './parquet.js';
import { detectFormat, openSource } from './source.js';
import type { DataFormat } from './source.js';
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier, decodeText } from './values.js';
import { UserError } from '../errors.js';

export interface TableColumn {
  name: string;
  /** The number in each row; NaN where the cell is missing or not a number. */
  numbers: Float64Array;
  /** The text of each row when the column holds any non-numeric value, else null. */
  texts: Array<string | null> | null;
  /** Rows holding a value (not null). */
  present: number;
  /** Rows holding a number (integers and decimals; NaN/infinity excluded). */
  numeric: number;
}

export interface Table {
  rows: number;
  columns: TableColumn[];
  files: string[];
}

export interface ReadTableOptions {
  format?: DataFormat | 'auto';
  nullValues?: readonly string[];
}

/** Distinct texts a column shares one string each for (see ColumnBuilder.intern). */
const INTERN_MAX = 65_536;

class ColumnBuilder {
  numbers = new Float64Array(1024);
  texts: Array<string | null> | null = null;
  present = 0;
  numeric = 0;
  /** One string per distinct text (the first INTERN_MAX of them). */
  private readonly known = new Map<string, string>();
  constructor(readonly name: string) {}

  /**
   * The column's own copy of `text`: a category repeated over a million rows is then
   * one string, not a million (100,000 rows x 5 text columns: 12 MB less heap).
   */
  private intern(text: string): string {
    const known = this.known.get(text);
    if (known !== undefined) return known;
    if (this.known.size < INTERN_MAX) this.known.set(text, text);
    return text;
  }

  /**
   * Sets one cell. NaN and infinities count as missing numbers. Once a column holds
   * text, its numeric cells read as their canonical text (`007` and `7.0` as `7`), as
   * validate-data's domains do, so the same value always encodes the same way.
   */
  set(row: number, kind: Kind, value: number, text: () => string): void {
    this.reserve(row + 1);
    if (kind === Kind.Null || kind === Kind.NaN || kind === Kind.Infinity) {
      this.numbers[row] = NaN;
      if (this.texts) this.texts[row] = null;
      return;
    }
    this.present++;
    if (kind === Kind.Integer || kind === Kind.Number) {
      this.numeric++;
      this.numbers[row] = value;
      if (this.texts) this.texts[row] = this.intern(String(value));
      return;
    }
    this.setText(row, kind === Kind.Boolean ? (value ? 'true' : 'false') : text());
  }

  /** Sets rows `first`... from a batch of a Parquet column, as `set` would cell by cell. */
  setBatch(first: number, batch: ParquetColumnBatch): void {
    const { kinds, values } = batch;
    const count = kinds.length;
    this.reserve(first + count);
    const numbers = this.numbers;
    for (let i = 0; i < count; i++) {
      const kind = kinds[i]!;
      const row = first + i;
      if (kind === Kind.Null || kind === Kind.NaN || kind === Kind.Infinity) {
        numbers[row] = NaN;
        if (this.texts) this.texts[row] = null;
      } else if (kind === Kind.Integer || kind === Kind.Number) {
        this.present++;
        this.numeric++;
        numbers[row] = values[i]!;
        if (this.texts) this.texts[row] = this.intern(String(values[i]));
      } else {
        this.present++;
        this.setText(row, batch.text(i)!);
      }
    }
  }

  /** Room for `rows` rows (new rows missing). */
  private reserve(rows: number): void {
    if (rows <= this.numbers.length) return;
    let length = this.numbers.length * 2;
    while (length < rows) length *= 2;
    const grown = new Float64Array(length);
    grown.set(this.numbers);
    grown.fill(NaN, this.numbers.length);
    this.numbers = grown;
  }

  private setText(row: number, text: string): void {
    this.numbers[row] = NaN;
    if (!this.texts) {
      // The first text: earlier rows keep their numbers as text.
      this.texts = [];
      for (let r = 0; r < row; r++) this.texts[r] = Number.isNaN(this.numbers[r]!) ? null : this.intern(String(this.numbers[r]));
    }
    this.texts[row] = this.intern(text);
  }

  /**
   * The column of `rows` rows: rows never set are missing. Spare room of at most an
   * eighth is kept as it is (a view), not copied: copying every column at once would
   * double the table's numbers at the end of reading.
   */
  finish(rows: number): TableColumn {
    let numbers = this.numbers;
    if (numbers.length < rows) {
      numbers = new Float64Array(rows).fill(NaN);
      numbers.set(this.numbers);
    } else if (numbers.length > rows) numbers = numbers.length - rows <= rows >> 3 ? numbers.subarray(0, rows) : numbers.slice(0, rows);
    const texts = this.texts ? Array.from({ length: rows }, (_, r) => this.texts![r] ?? null) : null;
    return { name: this.name, numbers, texts, present: this.present, numeric: this.numeric };
  }
}

/** Reads files (one table: the same columns in each, by name) into memory. */
export async function readTable(files: readonly string[], options: ReadTableOptions = {}): Promise<Table> {
  if (files.length === 0) throw new UserError('no data files to read');
  const classifier = new ValueClassifier(options.nullValues ?? DEFAULT_NULL_VALUES);
  const builders = new Map<string, ColumnBuilder>();
  const builder = (name: string): ColumnBuilder => {
    let b = builders.get(name);
    if (!b) {
      b = new ColumnBuilder(name);
      b.numbers.fill(NaN);
      builders.set(name, b);
    }
    return b;
  };
  let rows = 0;
  for (const file of files) {
    const format = detectFormat(file, options.format);
    if (format === 'parquet') {
      const parquet = await openParquet(file, { nullValues: options.nullValues });
      const names = new Set<string>();
      const targets = parquet.columns.map((column) => {
        if (names.has(column.name))
          throw new UserError(`${file}: the file has two columns named "${column.name}"`, 'Give every column a unique name.');
        names.add(column.name);
        return builder(column.name);
      });
      for await (const batch of parquet.batches()) {
        batch.columns.forEach((column, c) => targets[c]!.setBatch(rows, column));
        rows += batch.rows;
      }
      continue;
    }
    const source = await openSource(file);
    if (format === 'jsonl') {
      let pending: Buffer | null = null;
      let line = 0;
      const handle = (buf: Buffer, start: number, end: number) => {
        line++;
        const text = decodeText(buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end);
        if (text.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          throw new UserError(
            `${file}:${line}: not JSON (${(error as Error).message})`,
            'Run validate-data on this file to find every bad line.',
          );
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${file}:${line}: not a JSON object`);
        for (const [name, cell] of Object.entries(value as Record<string, unknown>)) {
          const b = builder(name);
          if (cell === null || cell === undefined) b.set(rows, Kind.Null, 0, () => '');
          else if (typeof cell === 'number') b.set(rows, Number.isFinite(cell) ? Kind.Number : Kind.Infinity, cell, () => String(cell));
          else if (typeof cell === 'boolean') b.set(rows, Kind.Boolean, cell ? 1 : 0, () => String(cell));
          else if (typeof cell === 'string') {
            const kind = classifier.classifyText(cell);
            b.set(rows, kind === Kind.Null ? Kind.Null : Kind.String, 0, () => cell);
          } else b.set(rows, Kind.String, 0, () => JSON.stringify(cell));
        }
        rows++;
      };
      for await (const chunk of source.chunks) {
        const buf: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
        let start = 0;
        for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
          handle(buf, start, nl);
          start = nl + 1;
        }
        pending = start < buf.length ? buf.subarray(start) : null;
      }
      if (pending) handle(pending, 0, pending.length);
      continue;
    }
    const tokenizer = new DelimitedTokenizer(format === 'tsv' ? 9 : 44);
    let header: ColumnBuilder[] | null = null;
    const sink: RecordSink = {
      record(buf, starts, ends, flags, count, line) {
        const text = (i: number) => {
          const raw = decodeText(buf, starts[i]!, ends[i]!);
          return flags[i]! & FIELD_ESCAPED_QUOTES ? unescapeQuotes(raw) : raw;
        };
        const open = unterminatedField(flags, count);
        if (open >= 0) {
          throw new UserError(
            `${file}: ${unterminatedQuoteMessage(file, openingQuote(buf, starts, flags, open, line))}`,
            `${UNTERMINATED_QUOTE_HINT} Run validate-data on this file to find every malformed row.`,
          );
        }
        if (header === null) {
          header = [];
          for (let i = 0; i < count; i++) header.push(builder(text(i)));
          return;
        }
        for (let i = 0; i < count; i++) {
          if (flags[i]! & FIELD_MALFORMED) {
            throw new UserError(
              `${file}:${line}: a quoted field is not closed properly`,
              'Run validate-data on this file to find every malformed row.',
            );
          }
        }
        if (count !== header.length) {
          throw new UserError(
            `${file}:${line}: ${count} fields where the header has ${header.length}`,
            'Run validate-data on this file to find every malformed row.',
          );
        }
        for (let i = 0; i < count; i++) {
          const kind = classifier.classify(buf, starts[i]!, ends[i]!);
          header[i]!.set(rows, kind, classifier.value, () => text(i));
        }
        rows++;
      },
    };
    await tokenizeChunks(source.chunks, tokenizer, sink);
  }
  if (rows === 0) throw new UserError(`no data rows in ${files.join(', ')}`);
  return { rows, columns: [...builders.values()].map((b) => b.finish(rows)), files: [...files] };
}

export function tableColumn(table: Table, name: string, what = 'column'): TableColumn {
  const column = table.columns.find((c) => c.name === name);
  if (!column) {
    const names = table.columns.map((c) => c.name);
    throw new UserError(
      `${what} "${name}" is not in ${table.files.join(', ')}`,
      `Columns there: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.`,
    );
  }
  return column;
}
