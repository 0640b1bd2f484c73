/**
 * The prediction log: one flat JSON object per predicted record (the raw feature
 * values under their column names, then `_time`, `_model`, `_version`,
 * `_prediction`), as JSON Lines that drift-check reads as production data.
 *
 * Writes never wait on the disk: records are queued and one writer appends them in
 * batches. The file is rotated by size between whole lines (`log.jsonl` becomes
 * `log.jsonl.1`, `.1` becomes `.2`, ... up to `keep` files), so every file holds only
 * complete lines. If the disk falls far behind, new records are dropped and counted
 * rather than held in memory without bound.
 *
 * Bounded whatever clients send: a request's records are sampled (`sample`), at most
 * `maxRowsPerRequest` of them are written (a 10,000-row batch would otherwise outweigh
 * every other client in what drift-check reads), and a text value longer than
 * `maxValueChars` is cut and marked (the value ends in "…", and `_cut` lists the
 * fields cut). Records not written for the cap or a full queue are counted by reason
 * (`onDrop`, which the server turns into a Prometheus counter and a warning line).
 */
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface PredictionLogOptions {
  path: string;
  /** Fraction of records written, 0 to 1 (default 1). */
  sample?: number;
  /** Rotate when the file would grow past this many bytes (default 10 MB). */
  maxBytes?: number;
  /** Rotated files kept beside the current one (default 5). */
  keep?: number;
  /** Queued bytes past which records are dropped (default 16 MB). */
  maxPendingBytes?: number;
  /** Records of one request written at most (default 1,000); the rest are dropped (reason `request_cap`). */
  maxRowsPerRequest?: number;
  /** Texts longer than this many characters are cut and marked (default 1,000). */
  maxValueChars?: number;
  random?: () => number;
  onError?: (error: Error) => void;
  /** Records dropped, by reason: `queue_full` (the disk is behind) or `request_cap`. */
  onDrop?: (reason: DropReason, count: number) => void;
}

export type DropReason = 'queue_full' | 'request_cap';

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_KEEP = 5;
export const DEFAULT_LOG_MAX_ROWS_PER_REQUEST = 1000;
export const DEFAULT_LOG_MAX_VALUE_CHARS = 1000;
/** The key listing the fields whose text was cut. */
export const CUT_KEY = '_cut';

export class PredictionLog {
  private handle: FileHandle | null = null;
  private size = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** Records sampled but not written because the queue was full. */
  dropped = 0;
  /** Records sampled but not written because their request had more than maxRowsPerRequest. */
  droppedByCap = 0;
  private readonly maxRowsPerRequest: number;
  private readonly maxValueChars: number;
  /** Told of records dropped (the server counts them in a metric and warns). */
  onDrop: ((reason: DropReason, count: number) => void) | null;
  /** Records written (sampled and queued). */
  written = 0;
  private readonly sample: number;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly maxPendingBytes: number;
  private readonly random: () => number;

  private constructor(private readonly options: PredictionLogOptions) {
    this.sample = options.sample ?? 1;
    this.maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.keep = Math.max(1, options.keep ?? DEFAULT_LOG_KEEP);
    this.maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;
    this.random = options.random ?? Math.random;
    this.maxRowsPerRequest = options.maxRowsPerRequest ?? DEFAULT_LOG_MAX_ROWS_PER_REQUEST;
    this.maxValueChars = options.maxValueChars ?? DEFAULT_LOG_MAX_VALUE_CHARS;
    this.onDrop = options.onDrop ?? null;
  }

  static async open(options: PredictionLogOptions): Promise<PredictionLog> {
    const log = new PredictionLog(options);
    await mkdir(dirname(options.path), { recursive: true });
    await log.countRotated();
    await log.openFile();
    return log;
  }

  get path(): string {
    return this.options.path;
  }

  /** Rotated files there are now: <path>.1 ... <path>.<rotated>. */
  private rotated = 0;

  private async countRotated(): Promise<void> {
    let n = 0;
    while (n < this.keep && existsSync(`${this.options.path}.${n + 1}`)) n++;
    this.rotated = n;
  }

  private async openFile(): Promise<void> {
    this.handle = await open(this.options.path, 'a');
    this.size = (await stat(this.options.path)).size;
  }

  /** True when this record should be logged (the sample). */
  sampled(): boolean {
    return this.sample >= 1 || (this.sample > 0 && this.random() < this.sample);
  }

  /**
   * Logs the records of one request: `entry(i)` builds record i's entry (a flat object);
   * sampling and the per-request cap decide which are built at all.
   */
  writeRequest(records: number, entry: (i: number) => Record<string, unknown>): void {
    if (this.closed) return;
    let written = 0;
    let capped = 0;
    for (let i = 0; i < records; i++) {
      if (!this.sampled()) continue;
      if (written >= this.maxRowsPerRequest) {
        capped++;
        continue;
      }
      written++;
      this.write(entry(i));
    }
    if (capped > 0) {
      this.droppedByCap += capped;
      this.onDrop?.('request_cap', capped);
    }
  }

  /** Queues one entry (already sampled); never blocks. Long texts are cut (see the header). */
  write(entry: Record<string, unknown>): void {
    if (this.closed) return;
    let cut: string[] | null = null;
    for (const key of Object.keys(entry)) {
      const value = entry[key];
      if (typeof value === 'string' && value.length > this.maxValueChars) {
        entry[key] = `${value.slice(0, this.maxValueChars)}…`;
        (cut ??= []).push(key);
      }
    }
    if (cut) entry[CUT_KEY] = cut;
    const line = `${JSON.stringify(entry)}\n`;
    if (this.pendingBytes + line.length > this.maxPendingBytes) {
      this.dropped++;
      this.onDrop?.('queue_full', 1);
      return;
    }
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.written++;
    if (!this.flushing) this.flushing = this.drain().finally(() => (this.flushing = null));
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const lines = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      try {
        await this.append(lines);
      } catch (error) {
        this.options.onError?.(error as Error);
      }
    }
  }

  /** Appends whole lines, rotating between lines when the file would pass maxBytes. */
  private async append(lines: string[]): Promise<void> {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.from(line, 'utf8');
      if (this.size + chunkBytes > 0 && this.size + chunkBytes + bytes.length > this.maxBytes) {
        await this.writeAll(Buffer.concat(chunk));
        chunk = [];
        chunkBytes = 0;
        await this.rotate();
      }
      chunk.push(bytes);
      chunkBytes += bytes.length;
    }
    if (chunkBytes > 0) await this.writeAll(Buffer.concat(chunk));
  }

  private async writeAll(buffer: Buffer): Promise<void> {
    if (buffer.length === 0) return;
    if (!this.handle) await this.openFile();
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await this.handle!.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
    this.size += buffer.length;
  }

  private async rotate(): Promise<void> {
    const path = this.options.path;
    await this.handle?.close();
    this.handle = null;
    // Rename only the files there are (<path>.1 ... <path>.<rotated>), oldest first.
    const top = Math.min(this.rotated, this.keep);
    if (top === this.keep) await rm(`${path}.${this.keep}`, { force: true });
    for (let i = Math.min(top, this.keep - 1); i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`);
    await rename(path, `${path}.1`);
    this.rotated = Math.min(top + 1, this.keep);
    await this.openFile();
  }

  /** Waits until everything queued so far is on disk. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Flushes and closes; later writes are ignored. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.handle?.close();
    this.handle = null;
  }
}
