/**
 * One streaming pass over data files that profiles every column and, given a
 * schema, checks every value. Memory stays flat in the files' length (sketches and
 * a few sample rows per check), except for columns declared `unique`. Large
 * files are read by several threads (delimited ones by blocks of records, Parquet
 * ones by columns). Parquet files are read batch by batch (parquet.ts), their typed
 * values fed to the same profile and checks without going through text; rows are
 * numbered from 1 and have no line (0).
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  DelimitedTokenizer,
  FIELD_ESCAPED_QUOTES,
  openingQuote,
  unescapeQuotes,
  unterminatedField,
  unterminatedQuoteMessage,
} from '../data/delimited.js';
import type { RecordSink } from '../data/delimited.js';
import { openParquet } from '../data/parquet.js';
import { detectFormat, openSource } from '../data/source.js';
import type { DataFormat } from '../data/source.js';
import { DEFAULT_NULL_VALUES, decodeText } from '../data/values.js';
import { UserError } from '../errors.js';
import { mergeColumnStates, PROFILE_FORMAT } from '../profile/profile.js';
import type { ColumnProfileState, DatasetProfile } from '../profile/profile.js';
import type { DataSchema } from '../schema/schema.js';
import { envCount } from '../threads.js';
import type { Anomaly } from './anomalies.js';
import type { ColumnChecker } from './column-checks.js';
import { DatasetState } from './dataset-state.js';
import type { ColumnBatchSink, ColumnScan, ReaderState } from './dataset-state.js';
import { judgeDataset } from './judge.js';
import { ownsMemory, parallelReadingAvailable, ReaderPool } from './parallel.js';
import type { ParquetShare } from './parallel.js';

export interface ScanProgress {
  file: string;
  fileIndex: number;
  files: number;
  bytesRead: number;
  fileSize: number;
  rows: number;
  elapsedMs: number;
}

export interface ScanOptions {
  schema?: DataSchema | null;
  format?: DataFormat | 'auto';
  nullValues?: readonly string[];
  /** Sample rows kept per anomaly. */
  sampleLimit?: number;
  onProgress?: (progress: ScanProgress) => void;
  /**
   * The folder relative file names are read from (default: this process's working
   * directory). Files keep their names as given in the profile, anomalies and messages.
   */
  baseDir?: string;
  /** Milliseconds between progress calls. */
  progressIntervalMs?: number;
  /** Reader threads for large delimited and Parquet files (default: one per core; 0 reads on this thread). */
  threads?: number;
  /** Files at least this large (bytes on disk) are read in parallel. */
  parallelMinBytes?: number;
  /** Keep what merging this scan with other shards' scans needs (ScanResult.shard). */
  mergeable?: boolean;
}

export interface ScanResult {
  profile: DatasetProfile;
  anomalies: Anomaly[];
  rows: number;
  /** Bytes of data read (after decompression). */
  bytes: number;
  elapsedMs: number;
  /** With `mergeable`: what a merge with other shards needs (see shards.ts); else null. */
  shard: ScanShard | null;
}

/** A scan before the dataset-level judgement: what shards.ts writes, and merges with other shards'. */
export interface ScanShard {
  /** Anomalies of single files, in file order. */
  fileAnomalies: Anomaly[];
  /** The schema columns' checkers (every row's counts and samples, and the values of unique columns), in schema order. */
  checkers: ColumnChecker[];
}

/** Records the main thread hands to a reader at once. */
const BLOCK_BYTES = 4 << 20;
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
export const DEFAULT_PARALLEL_MIN_BYTES = 32 << 20;

export async function scanData(files: readonly string[], options: ScanOptions = {}): Promise<ScanResult> {
  if (files.length === 0)
    throw new UserError('no data files to read', 'Give a data path (input `data`, flag --data, or data.path in mlops.yaml).');
  const started = performance.now();
  const schema = options.schema ?? null;
  const settings = { schema, nullValues: options.nullValues ?? DEFAULT_NULL_VALUES, sampleLimit: options.sampleLimit ?? 5 };
  const state = new DatasetState(settings);
  const anomalies: Anomaly[] = [];
  const seenInAnyFile = new Set<string>();
  /** Rows of the files that have each column: the rows of the other files are nulls for it, as when profiles merge. */
  const rowsCovered = new Map<string, number>();
  const threads = options.threads ?? defaultThreads();
  const parallelMinBytes = options.parallelMinBytes ?? envCount('MLOPS_PARALLEL_MIN_BYTES') ?? DEFAULT_PARALLEL_MIN_BYTES;
  let pool: ReaderPool | null = null;
  let rows = 0;
  let bytes = 0;
  const interval = options.progressIntervalMs ?? 1000;
  let lastProgress = performance.now();
  /** Rows read so far in the current file, for progress lines. */
  const live = { rows: 0 };

  try {
    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      const file = files[fileIndex]!;
      state.files.push(file);
      const format = detectFormat(file, options.format);
      const path = options.baseDir ? resolve(options.baseDir, file) : file;
      const size = await fileSize(path);
      const parallel = format !== 'jsonl' && format !== 'parquet' && threads > 0 && parallelReadingAvailable() && size >= parallelMinBytes;
      /** Where the file's reading stands, for progress lines. */
      const reading = { bytesRead: () => 0, size };
      const progress = () => {
        const now = performance.now();
        if (options.onProgress && now - lastProgress >= interval) {
          lastProgress = now;
          options.onProgress({
            file,
            fileIndex,
            files: files.length,
            bytesRead: reading.bytesRead(),
            fileSize: reading.size,
            rows: rows + live.rows,
            elapsedMs: now - started,
          });
        }
      };
      for (const column of state.columns.values()) column.seenInFile = 0;
      const seen = new Set<string>();
      live.rows = 0;
      let fileRows = 0;
      let hasHeader = true;

      if (format === 'parquet') {
        const parallelParquet = threads > 0 && parallelReadingAvailable() && size >= parallelMinBytes;
        if (parallelParquet && pool === null) pool = new ReaderPool(threads, settings);
        const result = await readParquet(
          path,
          file,
          fileIndex,
          size,
          state,
          parallelParquet ? pool : null,
          anomalies,
          seen,
          live,
          reading,
          progress,
        );
        fileRows = result.rows;
        hasHeader = result.hasHeader;
        bytes += result.bytes;
      } else {
        const blocks = parallel ? (pool ??= new ReaderPool(threads, settings)) : null;
        const source = await openSource(path, parallel ? BLOCK_BYTES : undefined, file, blocks ? (size) => blocks.block(size) : undefined);
        reading.bytesRead = () => source.bytesRead();
        reading.size = source.size;
        const chunks = (async function* () {
          let first = true;
          for await (let chunk of source.chunks) {
            if (first) {
              first = false;
              if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
            }
            bytes += chunk.length;
            yield chunk;
            progress();
          }
        })();
        if (format === 'jsonl') {
          fileRows = await readJsonLines(chunks, file, state, fileIndex, seen, live);
          // Rows of this file that lacked a key hold nulls for it (their samples were taken row by row).
          for (const column of state.columns.values()) {
            if (seen.has(column.name) && column.seenInFile < fileRows) column.profile.addNulls(fileRows - column.seenInFile);
          }
        } else {
          const delimiter = format === 'tsv' ? 9 : 44;
          const result = await readDelimited(chunks, file, fileIndex, delimiter, state, parallel ? pool : null, anomalies, seen, live);
          fileRows = result.rows;
          hasHeader = result.hasHeader;
        }
      }
      rows += fileRows;
      for (const name of seen) {
        seenInAnyFile.add(name);
        rowsCovered.set(name, (rowsCovered.get(name) ?? 0) + fileRows);
      }

      if (!hasHeader) {
        anomalies.push({
          kind: 'empty_file',
          severity: 'error',
          file,
          message: 'The file is empty: no header and no rows.',
          expected: 'a header line and data rows',
          samples: [],
        });
        continue;
      }
      if (fileRows === 0)
        anomalies.push({
          kind: 'empty_file',
          severity: 'error',
          file,
          message: 'The file has no data rows.',
          expected: 'at least one data row',
          samples: [],
        });
      if (schema && (fileRows > 0 || format !== 'jsonl')) anomalies.push(...columnSetAnomalies(schema, seen, file));
    }

    // Merge what reader threads saw.
    const readerStates: ReaderState[] = pool ? await pool.finish() : [];
    pool = null;
    const profiles = new Map<string, ColumnProfileState>();
    for (const column of state.columns.values()) profiles.set(column.name, column.profile.toState());
    for (const reader of readerStates) {
      for (const column of reader.columns) {
        const mine = profiles.get(column.name);
        profiles.set(column.name, mine ? mergeColumnStates(mine, column.profile) : column.profile);
        if (column.checker) state.columnFor(column.name).checker?.absorb(column.checker);
      }
      for (const { file, tally } of reader.malformed) state.malformedTally(file).absorb(tally, state.files);
    }

    for (const [name, profile] of profiles) {
      const absent = rows - (rowsCovered.get(name) ?? 0);
      if (absent > 0 && seenInAnyFile.has(name)) profile.counts.null += absent;
    }

    for (const [file, tally] of state.malformed) {
      if (tally.count === 0) continue;
      const format = detectFormat(file, options.format);
      anomalies.push({
        kind: 'malformed_row',
        severity: 'error',
        file,
        message: `${tally.count} rows do not parse${tally.note === null ? '' : `; ${tally.note}`}.`,
        expected: format === 'jsonl' ? 'one JSON object per line' : 'as many fields as the header, with RFC 4180 quoting',
        unexpectedCount: tally.count,
        samples: tally.samples,
      });
    }
    const profile: DatasetProfile = {
      format: PROFILE_FORMAT,
      rows,
      files: [...files],
      columns: [...profiles.values()].filter((c) => seenInAnyFile.has(c.name)),
    };
    const checkers = [...state.columns.values()].flatMap((column) => (column.checker ? [column.checker] : []));
    const shard = options.mergeable ? { fileAnomalies: [...anomalies], checkers } : null;
    const judged = judgeDataset({ schema, profile, fileAnomalies: anomalies, checkers });
    return { profile, anomalies: judged, rows, bytes, elapsedMs: performance.now() - started, shard };
  } finally {
    await pool?.close();
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // openSource reports the problem
  }
}

/** Reader threads: MLOPS_READER_THREADS when set, else one per core (none on one core). */
function defaultThreads(): number {
  const fromEnv = envCount('MLOPS_READER_THREADS');
  if (fromEnv !== undefined) return fromEnv;
  const cores = availableParallelism();
  return cores > 1 ? cores : 0;
}

/** Missing and unexpected columns of one file. */
function columnSetAnomalies(schema: DataSchema, seen: Set<string>, file: string): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [name, columnSchema] of Object.entries(schema.columns)) {
    if (!seen.has(name) && columnSchema.required !== false) {
      anomalies.push({
        kind: 'missing_column',
        severity: columnSchema.severity ?? 'error',
        column: name,
        file,
        message: `Column "${name}" is in the schema but not in the file.`,
        expected: `a column named "${name}"`,
        samples: [],
      });
    }
  }
  const policy = schema.dataset.unexpected_columns ?? 'warning';
  if (policy !== 'ignore') {
    for (const name of seen) {
      if (!Object.hasOwn(schema.columns, name)) {
        anomalies.push({
          kind: 'unexpected_column',
          severity: policy,
          column: name,
          file,
          message: `Column "${name}" is not in the schema.`,
          expected: 'only the columns of the schema',
          samples: [],
        });
      }
    }
  }
  return anomalies;
}

/** Reads one CSV/TSV file (rows numbered from 1 in each file); with a pool, blocks of whole records go to reader threads. */
async function readDelimited(
  chunks: AsyncIterable<Buffer>,
  file: string,
  fileIndex: number,
  delimiter: number,
  state: DatasetState,
  pool: ReaderPool | null,
  anomalies: Anomaly[],
  seen: Set<string>,
  live: { rows: number },
): Promise<{ rows: number; hasHeader: boolean }> {
  const tokenizer = new DelimitedTokenizer(delimiter);
  let header: ColumnScan[] | null = null;
  let headerNames: string[] | null = null;
  const headerSink: RecordSink = {
    record(buf, starts, ends, flags, count, line) {
      const open = unterminatedField(flags, count);
      if (open >= 0) {
        // The header swallowed the whole file: say why, before the columns it made up.
        const tally = state.malformedTally(file);
        tally.note ??= unterminatedQuoteMessage(file, openingQuote(buf, starts, flags, open, line));
        tally.add(file, 0, line, `header: ${tally.note}`);
      }
      const raw: string[] = [];
      for (let i = 0; i < count; i++) {
        const text = decodeText(buf, starts[i]!, ends[i]!);
        raw.push(flags[i]! & FIELD_ESCAPED_QUOTES ? unescapeQuotes(text) : text);
      }
      headerNames = dedupeHeader(raw, file, anomalies);
    },
  };
  let rows = 0;
  let sink: ColumnBatchSink | null = null;
  let pending: Buffer | null = null;
  const handle = async (buf: Buffer, final: boolean): Promise<Buffer | null> => {
    let offset = 0;
    if (headerNames === null) {
      offset = tokenizer.tokenize(buf, 0, buf.length, final, headerSink, 1);
      // Keep only the unfinished header (blank lines before it are already counted).
      if (headerNames === null) return final ? null : buf.subarray(offset);
      const names: string[] = headerNames;
      for (const name of names) seen.add(name);
      header = names.map((name) => state.columnFor(name));
      pool?.startFile(fileIndex, file, delimiter, names);
      sink = state.recordSink(fileIndex, header, 1);
    }
    let consumed: number;
    if (pool) {
      const baseRow = rows;
      const baseLine = tokenizer.line;
      consumed = tokenizer.countRecords(buf, offset, buf.length, final);
      rows += tokenizer.counted;
      live.rows = rows;
      // The block's memory moves to the reader thread: keep a copy of the unfinished tail first.
      const tail = consumed < buf.length ? Buffer.from(buf.subarray(consumed)) : null;
      if (consumed > offset) await pool.dispatch(fileIndex, buf, offset, consumed, baseRow, baseLine);
      return tail;
    } else {
      const before = sink!.row;
      consumed = sink!.readRecords(tokenizer, buf, offset, buf.length, final);
      rows += sink!.row - before;
    }
    live.rows = rows;
    return consumed < buf.length ? buf.subarray(consumed) : null;
  };
  /** With a pool, once the header is read: `head` (whole records, or null), then the records of buf from `start`, as one block. */
  const handleBlock = async (head: Buffer | null, buf: Buffer, start: number): Promise<Buffer | null> => {
    const baseRow = rows;
    const baseLine = tokenizer.line;
    if (head !== null) {
      tokenizer.countRecords(head, 0, head.length, false);
      rows += tokenizer.counted;
    }
    const consumed = tokenizer.countRecords(buf, start, buf.length, false);
    rows += tokenizer.counted;
    live.rows = rows;
    const tail = consumed < buf.length ? Buffer.from(buf.subarray(consumed)) : null;
    await pool!.dispatch(fileIndex, buf, start, consumed, baseRow, baseLine, head);
    return tail;
  };
  const checkPending = () => {
    if (pending !== null && pending.length > MAX_RECORD_BYTES) {
      throw new UserError(
        `${file}: a record starting at line ${tokenizer.line} is longer than 256 MB`,
        'A quote is probably never closed; check the quoting near that line.',
      );
    }
  };
  for await (const chunk of chunks) {
    if (pool) {
      const left = pending?.length ?? 0;
      if (headerNames !== null && ownsMemory(chunk) && left <= JOIN_MAX_BYTES && left + chunk.length >= BLOCK_BYTES) {
        // The chunk becomes the block as it is (its memory moves to a reader thread, uncopied).
        // The unfinished record left over is joined to the chunk's start up to where it ends,
        // and that small piece goes first in the same block: the same records, the same block.
        const rest = pending === null ? 0 : firstRecordEnd(pending, chunk, delimiter);
        if (rest >= 0) {
          const head = pending === null ? null : Buffer.concat([pending, chunk.subarray(0, rest)]);
          pending = await handleBlock(head, chunk, rest);
          checkPending();
          continue;
        }
      }
      // A block of our own (its memory is handed to a reader thread), at least BLOCK_BYTES long.
      pending = Buffer.concat(pending === null ? [chunk] : [pending, chunk]);
      if (pending.length < BLOCK_BYTES) continue;
    } else pending = pending === null ? chunk : Buffer.concat([pending, chunk]);
    pending = await handle(pending, false);
    checkPending();
  }
  if (pending !== null) await handle(pending, true);
  return { rows, hasHeader: headerNames !== null };
}

/** Line feeds of the next chunk tried, at most, to find the end of an unfinished record. */
const JOIN_MAX_LINES = 64;
/** Longest unfinished record joined that way (a longer one is joined whole with the next chunk). */
const JOIN_MAX_BYTES = 64 * 1024;

/**
 * Where, in `next`, the unfinished record `tail` (what a block left over) ends: the offset
 * after the first line feed of `next` that completes it; -1 when none of the first lines does
 * (a quoted field running on), and the two are then joined whole.
 */
export function firstRecordEnd(tail: Buffer, next: Buffer, delimiter: number): number {
  let nl = next.indexOf(10);
  for (let tries = 0; nl >= 0 && tries < JOIN_MAX_LINES; tries++, nl = next.indexOf(10, nl + 1)) {
    const joined = Buffer.concat([tail, next.subarray(0, nl + 1)]);
    if (new DelimitedTokenizer(delimiter).countRecords(joined, 0, joined.length, false) === joined.length) return nl + 1;
  }
  return -1;
}

/** Header names, with repeats renamed (and reported) so every column has its own name. */
function dedupeHeader(raw: string[], file: string, anomalies: Anomaly[]): string[] {
  const names = new Set<string>();
  return raw.map((text, i) => {
    let name = text === '' ? `(column ${i + 1})` : text;
    if (names.has(name)) {
      anomalies.push({
        kind: 'duplicate_header',
        severity: 'error',
        column: name,
        file,
        message: `The header names column "${name}" more than once (again at position ${i + 1}); the repeat is read as "${name} (column ${i + 1})".`,
        expected: 'distinct column names',
        samples: [],
      });
      name = `${name} (column ${i + 1})`;
    }
    names.add(name);
    return name;
  });
}

/**
 * One Parquet file, batch by batch: each column's typed values go to its profile and checks.
 * With a pool, its columns are shared out among the reader threads (the largest first, each to
 * the next reader free), each read whole in row order. A file of 0 bytes is reported as empty
 * (as an empty CSV is); one that is not Parquet, or is truncated, stops the scan with what to do.
 */
async function readParquet(
  path: string,
  file: string,
  fileIndex: number,
  size: number,
  state: DatasetState,
  pool: ReaderPool | null,
  anomalies: Anomaly[],
  seen: Set<string>,
  live: { rows: number },
  reading: { bytesRead: () => number; size: number },
  progress: () => void,
): Promise<{ rows: number; hasHeader: boolean; bytes: number }> {
  if (size === 0) return { rows: 0, hasHeader: false, bytes: 0 };
  const parquet = await openParquet(path, { nullValues: state.settings.nullValues, name: file });
  reading.bytesRead = () => parquet.bytesRead();
  reading.size = parquet.size;
  const names = dedupeHeader(
    parquet.columns.map((c) => c.name),
    file,
    anomalies,
  );
  for (const name of names) {
    seen.add(name);
    state.columnFor(name);
  }
  if (pool !== null && names.length > 1 && parquet.rows > 0) {
    await parquet.close();
    // The costliest columns first, each to the next reader that is free, so that the last ones are
    // short. Text columns first: their dictionary codes take few bytes on disk, but every row still
    // goes through the profile and checks. Then the others, the largest first.
    const bytes = parquet.columnBytes();
    const text = parquet.columns.map((c) => (c.type === 'text' ? 1 : 0));
    const order: ParquetShare = names
      .map((_, i) => i)
      .sort((x, y) => text[y]! - text[x]! || bytes[y]! - bytes[x]! || x - y)
      .map((index) => [index, names[index]!]);
    await pool.readParquet(fileIndex, file, path, order);
    live.rows = parquet.rows;
    reading.bytesRead = () => parquet.size;
    progress();
    return { rows: parquet.rows, hasHeader: true, bytes: parquet.size };
  }
  const rows = await state.readParquet(fileIndex, parquet, names, (done) => {
    live.rows = done;
    progress();
  });
  return { rows, hasHeader: true, bytes: parquet.bytesRead() };
}

/** JSON Lines: one object per line; blank lines are skipped. Returns the rows read. */
async function readJsonLines(
  chunks: AsyncIterable<Buffer>,
  file: string,
  state: DatasetState,
  fileIndex: number,
  seen: Set<string>,
  live: { rows: number },
): Promise<number> {
  let pending: Buffer | null = null;
  let line = 0;
  let rows = 0;
  const malformed = state.malformedTally(file);
  const handle = (buf: Buffer, start: number, end: number) => {
    line++;
    const e = end > start && buf[end - 1] === 13 ? end - 1 : end;
    const text = decodeText(buf, start, e);
    if (text.trim() === '') return;
    rows++;
    const preview = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      malformed.add(file, rows, line, `not JSON (${(error as Error).message}): ${preview}`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      malformed.add(file, rows, line, `not a JSON object: ${preview}`);
      return;
    }
    state.jsonRecord(fileIndex, Object.entries(value as Record<string, unknown>), rows, line, seen);
    live.rows = rows;
  };
  for await (const chunk of chunks) {
    const buf: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    let nl = buf.indexOf(10, start);
    while (nl >= 0) {
      handle(buf, start, nl);
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    pending = start < buf.length ? buf.subarray(start) : null;
    if (pending !== null && pending.length > MAX_RECORD_BYTES) {
      throw new UserError(`${file}: line ${line + 1} is longer than 256 MB`, 'JSON Lines needs one object per line.');
    }
  }
  if (pending !== null) handle(pending, 0, pending.length);
  return rows;
}
