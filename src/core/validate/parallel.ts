/**
 * Parallel reading of delimited and Parquet files. For a delimited file the main thread
 * reads the file, finds whole records with the same tokenizer and hands each block of
 * records, with the row and line it starts at, to a reader thread. A Parquet file is
 * shared out by columns, one at a time to whichever reader is free: it opens the file (its
 * footer read once per reader) and reads that column, all rows, so every column is profiled in
 * row order by one reader, as on one thread. Readers profile and check their rows; at the end
 * their states merge with the main thread's (profiles are mergeable, tallies add up). Workers
 * run this same bundle (see threads.ts).
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { DelimitedTokenizer } from '../data/delimited.js';
import { openParquet } from '../data/parquet.js';
import type { ParquetFooter } from '../data/parquet.js';
import { READER_ROLE, threadScript } from '../threads.js';
import { DatasetState } from './dataset-state.js';
import type { ColumnScan, ReaderSettings, ReaderState } from './dataset-state.js';

/** Reader threads can be started: an entry registered the script they run (see threads.ts). */
export function parallelReadingAvailable(): boolean {
  return threadScript() !== null;
}

type ToReader =
  | { type: 'file'; fileIndex: number; file: string; delimiter: number; header: string[] }
  | {
      type: 'chunk';
      fileIndex: number;
      /** Whole records that come before the block's (what the last block left over, completed), or null. */
      head: ArrayBuffer | null;
      buffer: ArrayBuffer;
      byteOffset: number;
      length: number;
      baseRow: number;
      baseLine: number;
    }
  | { type: 'parquet'; fileIndex: number; file: string; path: string; columns: ParquetShare }
  | { type: 'finish' };

/** Parquet columns to read: [position in the file, name read as]. */
export type ParquetShare = Array<[number, string]>;
/** A reader is done with a message; a block's memory comes back with it, to be read into again. */
type FromReader = { type: 'done'; buffer?: ArrayBuffer } | { type: 'state'; state: ReaderState } | { type: 'error'; message: string };

/** The reader thread's loop. */
export function runReaderThread(): void {
  const port = parentPort!;
  const state = new DatasetState((workerData as { settings: ReaderSettings }).settings);
  const headers = new Map<number, { columns: ColumnScan[]; delimiter: number }>();
  /** Each Parquet file's footer, read with its first column and used again for the next ones. */
  const footers = new Map<number, ParquetFooter>();
  // Messages are handled one after another, also those that read a Parquet file (asynchronously).
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: ToReader) => {
    queue = queue.then(() => handle(message));
  });
  const handle = async (message: ToReader): Promise<void> => {
    try {
      if (message.type === 'parquet') {
        state.files[message.fileIndex] = message.file;
        const parquet = await openParquet(message.path, {
          nullValues: state.settings.nullValues,
          name: message.file,
          columnIndexes: new Set(message.columns.map(([index]) => index)),
          footer: footers.get(message.fileIndex),
        });
        footers.set(message.fileIndex, parquet.footer);
        await state.readParquet(
          message.fileIndex,
          parquet,
          message.columns.map(([, name]) => name),
        );
        port.postMessage({ type: 'done' } satisfies FromReader);
      } else if (message.type === 'file') {
        state.files[message.fileIndex] = message.file;
        headers.set(message.fileIndex, { columns: message.header.map((name) => state.columnFor(name)), delimiter: message.delimiter });
      } else if (message.type === 'chunk') {
        const { columns, delimiter } = headers.get(message.fileIndex)!;
        const tokenizer = new DelimitedTokenizer(delimiter);
        tokenizer.line = message.baseLine;
        const sink = state.recordSink(message.fileIndex, columns, message.baseRow + 1);
        if (message.head !== null) {
          const head = Buffer.from(message.head);
          sink.readRecords(tokenizer, head, 0, head.length, true);
        }
        const buf = Buffer.from(message.buffer, message.byteOffset, message.length);
        sink.readRecords(tokenizer, buf, 0, buf.length, true);
        // Nothing holds on to the block once readRecords returns (the sink has read its records).
        port.postMessage({ type: 'done', buffer: message.buffer } satisfies FromReader, [message.buffer]);
      } else {
        port.postMessage({ type: 'state', state: state.toState() } satisfies FromReader);
      }
    } catch (error) {
      port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies FromReader);
    }
  };
}

interface Reader {
  worker: Worker;
  inFlight: number;
}

/** The main thread's side: a few reader threads, at most `depth` blocks queued on each. */
export class ReaderPool {
  private readonly readers: Reader[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  /** Each reader's final state, by reader: merged in this fixed order, so results do not depend on timing. */
  private readonly states: Array<ReaderState | undefined> = [];
  private received = 0;
  private nextReader = 0;
  /** Blocks' memory the readers handed back. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    size: number,
    settings: ReaderSettings,
    private readonly depth = 2,
  ) {
    const script = threadScript();
    if (!script) throw new Error('parallel reading needs setThreadScript() from the entry');
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { workerData: { role: READER_ROLE, settings } });
      const reader: Reader = { worker, inFlight: 0 };
      worker.on('message', (message: FromReader) => {
        if (message.type === 'done') {
          reader.inFlight--;
          if (message.buffer && this.spare.length < MAX_SPARE_BLOCKS) this.spare.push(message.buffer);
        } else if (message.type === 'state') {
          this.states[i] = message.state;
          this.received++;
        } else this.failure = new Error(`a data reader failed: ${message.message}`);
        this.notify();
      });
      worker.on('error', (error) => {
        this.failure = error;
        this.notify();
      });
      this.readers.push(reader);
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async waitFor(condition: () => boolean): Promise<void> {
    while (!condition()) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.failure) throw this.failure;
  }

  startFile(fileIndex: number, file: string, delimiter: number, header: string[]): void {
    for (const { worker } of this.readers) worker.postMessage({ type: 'file', fileIndex, file, delimiter, header } satisfies ToReader);
  }

  /**
   * Hands the whole records in buf[start, end) to the next reader in turn (waiting
   * while it is full), after the whole records of `head` when given (a small buffer, copied).
   * A buffer that owns its memory is moved, not copied: do not use it after.
   */
  async dispatch(
    fileIndex: number,
    buf: Buffer,
    start: number,
    end: number,
    baseRow: number,
    baseLine: number,
    head: Buffer | null = null,
  ): Promise<void> {
    // Blocks go round the readers in turn, so each reader sees the same rows on every run.
    const reader = this.readers[this.nextReader++ % this.readers.length]!;
    await this.waitFor(() => reader.inFlight < this.depth);
    const owned = ownsMemory(buf);
    const headCopy = head === null ? null : copyOf(head, 0, head.length);
    const buffer = owned ? (buf.buffer as ArrayBuffer) : copyOf(buf, start, end);
    const byteOffset = owned ? start : 0;
    const message: ToReader = { type: 'chunk', fileIndex, head: headCopy, buffer, byteOffset, length: end - start, baseRow, baseLine };
    reader.inFlight++;
    reader.worker.postMessage(message, headCopy === null ? [message.buffer] : [message.buffer, headCopy]);
  }

  /** Memory for a block of `size` bytes: one a reader handed back when there is one that size, else new. */
  block(size: number): Buffer {
    for (let i = this.spare.length - 1; i >= 0; i--) {
      if (this.spare[i]!.byteLength === size) return Buffer.from(this.spare.splice(i, 1)[0]!);
    }
    return Buffer.allocUnsafeSlow(size);
  }

  /** Readers in the pool. */
  get size(): number {
    return this.readers.length;
  }

  /**
   * Reads a Parquet file's columns on the readers, a column at a time to whichever reader is free,
   * in the order given (the largest first), and waits until all are read. A column is read whole,
   * in row order, by one reader, so what is read does not depend on which reader reads it.
   */
  async readParquet(fileIndex: number, file: string, path: string, columns: ParquetShare): Promise<void> {
    for (const column of columns) {
      await this.waitFor(() => this.readers.some((r) => r.inFlight === 0));
      const reader = this.readers.find((r) => r.inFlight === 0)!;
      reader.inFlight++;
      reader.worker.postMessage({ type: 'parquet', fileIndex, file, path, columns: [column] } satisfies ToReader);
    }
    await this.waitFor(() => this.readers.every((r) => r.inFlight === 0));
  }

  /** Waits for every block, collects each reader's state and stops the threads. */
  async finish(): Promise<ReaderState[]> {
    try {
      for (const { worker } of this.readers) worker.postMessage({ type: 'finish' } satisfies ToReader);
      await this.waitFor(() => this.received === this.readers.length);
      return this.states as ReaderState[];
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.readers.map(({ worker }) => worker.terminate()));
  }
}

/** Blocks' memory kept to be read into again (about what the readers hold at once). */
const MAX_SPARE_BLOCKS = 8;

/** True when buf's memory is its own: it can be moved to a reader thread as it is. */
export function ownsMemory(buf: Buffer): boolean {
  return buf.byteOffset === 0 && buf.buffer.byteLength === buf.length && buf.buffer instanceof ArrayBuffer;
}

/** A copy of buf[start, end) in memory of its own (to move to a reader thread). */
function copyOf(buf: Buffer, start: number, end: number): ArrayBuffer {
  const buffer = new ArrayBuffer(end - start);
  new Uint8Array(buffer).set(buf.subarray(start, end));
  return buffer;
}
