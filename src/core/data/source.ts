/**
 * Opening data files: format from the name, gzip from the content, bytes as a stream. Parquet
 * files are binary and read by parquet.ts (`openParquet`), not through `openSource`.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';

export const DATA_FORMATS = ['csv', 'tsv', 'jsonl', 'parquet'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

const EXTENSIONS: Record<string, DataFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
  pq: 'parquet',
};

/**
 * The format of a file from its name (`.csv`, `.tsv`, `.jsonl`, each optionally `.gz`; `.parquet`
 * or `.pq`), unless given.
 */
export function detectFormat(path: string, format: DataFormat | 'auto' = 'auto'): DataFormat {
  if (format !== 'auto') return format;
  const parts = path.toLowerCase().split('/').pop()!.split('.');
  if (parts.at(-1) === 'gz') parts.pop();
  const found = Object.hasOwn(EXTENSIONS, parts.at(-1) ?? '') ? EXTENSIONS[parts.at(-1)!] : undefined;
  if (!found) {
    throw new UserError(
      `${path}: cannot tell the format from the file name`,
      'Name the file .csv, .tsv or .jsonl (optionally .gz), or .parquet, or set the format (input `format`, flag --format).',
    );
  }
  return found;
}

export interface OpenedSource {
  size: number;
  gzip: boolean;
  /** The file's text encoding as found: `UTF-8`, or UTF-16 (read as UTF-8) with how it was recognised. */
  encoding: string;
  /** Decompressed bytes, as UTF-8. */
  chunks: AsyncIterable<Buffer>;
  /** Bytes read from disk so far (compressed bytes for gzip). */
  bytesRead(): number;
}

const CHUNK_SIZE = 1 << 20;
/** "PAR1", the first and last bytes of a Parquet file. */
const PARQUET_MAGIC = 0x31524150;

/**
 * Opens the data file at `path`; messages name it `name` (how people know it: relative to their
 * working directory). `chunkSize` is the size of the pieces read (and decompressed) at once.
 * Every reader gets UTF-8: UTF-16 text (as Excel's "Unicode Text" and Windows tools write it)
 * is decoded on the way, and bytes that are not UTF-8 stop the read with their offset.
 */
export async function openSource(
  path: string,
  chunkSize = CHUNK_SIZE,
  name = path,
  /**
   * Where the pieces of a file that is not gzip are read into (`chunkSize` bytes each), instead
   * of new memory per piece: a reader that hands back the buffers it is done with saves the
   * system the work of mapping fresh memory for every piece.
   */
  allocate?: (size: number) => Buffer,
): Promise<OpenedSource> {
  let size: number;
  let gzip = false;
  let found: (FoundEncoding & { encoding: Utf16 }) | null = null;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError(`${name} is a directory, not a data file`, 'Give a file, or a glob such as data/*.csv.');
    size = info.size;
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(ENCODING_SNIFF_BYTES);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
      if (bytesRead >= 4 && head.readUInt32LE(0) === PARQUET_MAGIC && size >= 12) {
        const tail = Buffer.alloc(4);
        await handle.read(tail, 0, 4, size - 4);
        if (tail.readUInt32LE(0) === PARQUET_MAGIC)
          throw new UserError(
            `${name} is a Parquet file, read here as text (CSV, TSV or JSON Lines)`,
            "Name it .parquet (or set the format to parquet) where Parquet is read; elsewhere convert it, for example with DuckDB: COPY (SELECT * FROM 'data.parquet') TO 'data.csv'.",
          );
      }
      if (!gzip) found = usableEncoding(head.subarray(0, bytesRead), name);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read data file ${name}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`,
      'Check the path (relative paths start at the working directory, or at mlops.yaml for paths in it).',
    );
  }
  let raw: AsyncIterable<Buffer>;
  let bytesRead: () => number;
  if (allocate && !gzip) {
    const reading = { bytes: 0 };
    raw = readChunks(readInto(path, chunkSize, allocate, reading), name);
    bytesRead = () => reading.bytes;
  } else {
    const file = createReadStream(path, { highWaterMark: chunkSize });
    const stream = gzip ? file.pipe(createGunzip({ chunkSize })) : file;
    file.on('error', (error) => stream.destroy(error));
    raw = readChunks(stream, name);
    bytesRead = () => file.bytesRead;
  }
  const opened: OpenedSource = { size, gzip, encoding: found?.described ?? 'UTF-8', chunks: raw, bytesRead };
  // A gzip file's encoding shows once decompressed; its lines are not counted for messages.
  if (gzip) opened.chunks = sniffedChunks(raw, name, opened, null);
  else opened.chunks = found ? decodeUtf16(raw, found.encoding) : checkedUtf8(raw, name, path);
  return opened;
}

/** A file's bytes, `chunkSize` at a time, each read into a buffer from `allocate` (the last one cut to what was read). */
async function* readInto(
  path: string,
  chunkSize: number,
  allocate: (size: number) => Buffer,
  reading: { bytes: number },
): AsyncIterable<Buffer> {
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const buf = allocate(chunkSize);
      let filled = 0;
      while (filled < chunkSize) {
        const { bytesRead } = await handle.read(buf, filled, chunkSize - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      reading.bytes += filled;
      if (filled === 0) return;
      yield filled === chunkSize ? buf : buf.subarray(0, filled);
      if (filled < chunkSize) return;
    }
  } finally {
    await handle.close();
  }
}

async function* readChunks(stream: AsyncIterable<Buffer>, path: string): AsyncIterable<Buffer> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `${path}: could not be read to the end: ${message}`,
      'The file may be truncated or not valid gzip; check how it was written.',
    );
  }
}

/** How much of the start of a file is looked at to tell its encoding. */
const ENCODING_SNIFF_BYTES = 1024;

export type Utf16 = 'utf-16le' | 'utf-16be';

/** An encoding other than UTF-8 found at the start of a file: what it is, and how it was recognised. */
export interface FoundEncoding {
  encoding: Utf16 | 'utf-32le' | 'utf-32be';
  /** For people: "UTF-16LE (byte-order mark FF FE)". */
  described: string;
}

/**
 * The encoding of text that is not UTF-8 (nor ASCII) but UTF-16 or UTF-32, as
 * Excel's "Unicode Text" and Windows tools (PowerShell 5 `>`) write it, or
 * null. Byte-order marks first; UTF-16 without one shows as NUL bytes in most
 * odd (little-endian) or even (big-endian) positions, since CSV text is mostly
 * ASCII. A UTF-8 byte-order mark is not reported: readers skip it.
 */
export function detectEncoding(head: Buffer): FoundEncoding | null {
  const [b0, b1, b2, b3] = head;
  if (head.length >= 4 && b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0)
    return { encoding: 'utf-32le', described: 'UTF-32LE (byte-order mark FF FE 00 00)' };
  if (head.length >= 4 && b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
    return { encoding: 'utf-32be', described: 'UTF-32BE (byte-order mark 00 00 FE FF)' };
  if (head.length >= 2 && b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', described: 'UTF-16LE (byte-order mark FF FE)' };
  if (head.length >= 2 && b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', described: 'UTF-16BE (byte-order mark FE FF)' };
  const pairs = head.length >> 1;
  if (pairs < 2) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenNuls++;
    if (head[i + 1] === 0) oddNuls++;
  }
  if (oddNuls >= pairs * 0.4 && evenNuls <= pairs * 0.05)
    return { encoding: 'utf-16le', described: 'UTF-16LE (no byte-order mark: NUL bytes at odd positions)' };
  if (evenNuls >= pairs * 0.4 && oddNuls <= pairs * 0.05)
    return { encoding: 'utf-16be', described: 'UTF-16BE (no byte-order mark: NUL bytes at even positions)' };
  return null;
}

/** The encoding `head` (a file's first bytes) shows when it is one readers decode (UTF-16); null for UTF-8; a UserError for UTF-32. */
function usableEncoding(head: Buffer, name: string): (FoundEncoding & { encoding: Utf16 }) | null {
  const found = detectEncoding(head);
  if (found === null) return null;
  if (found.encoding === 'utf-16le' || found.encoding === 'utf-16be') return found as FoundEncoding & { encoding: Utf16 };
  throw new UserError(
    `${name}: the file is ${found.described} text; data files must be UTF-8 or UTF-16`,
    `Save it as UTF-8 ("CSV UTF-8" in Excel's Save As), or convert it: iconv -f UTF-32 -t UTF-8 ${name} > converted.csv`,
  );
}

/** UTF-16 chunks decoded to UTF-8 (a byte-order mark dropped; a character split between chunks kept whole). */
async function* decodeUtf16(chunks: AsyncIterable<Buffer>, encoding: Utf16): AsyncIterable<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield Buffer.from(rest, 'utf8');
}

/**
 * Passes chunks on after checking they are UTF-8 (Node's `isUtf8`, which runs at gigabytes a
 * second); the first bytes that are not stop the read with their offset, and their line when the
 * file can be read again (`path`, not gzip). A character split between chunks is checked whole.
 */
async function* checkedUtf8(chunks: AsyncIterable<Buffer>, name: string, path: string | null): AsyncIterable<Buffer> {
  let offset = 0;
  let carry: Buffer | null = null;
  for await (const chunk of chunks) {
    const whole: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const cut = completeLength(whole);
    if (!isUtf8(whole.subarray(0, cut))) await notUtf8(whole.subarray(0, cut), offset, name, path);
    offset += cut;
    carry = cut < whole.length ? Buffer.from(whole.subarray(cut)) : null;
    yield chunk;
  }
  if (carry && !isUtf8(carry)) await notUtf8(carry, offset, name, path);
}

/** The length of `buf` without a multi-byte UTF-8 sequence cut off at its end (at most 3 bytes left out). */
function completeLength(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = buf[n - back]!;
    if ((byte & 0xc0) !== 0x80) {
      // A lead byte `back` bytes from the end: is its sequence longer than what is left?
      const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return needs > back ? n - back : n;
    }
  }
  return n;
}

/** The offset in `buf` of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(buf: Buffer): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i]!;
    const needs = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (needs === 0 || i + needs > buf.length) return i;
    if (needs > 1 && !isUtf8(buf.subarray(i, i + needs))) return i;
    i += needs;
  }
  return -1;
}

async function notUtf8(buf: Buffer, base: number, name: string, path: string | null): Promise<never> {
  const at = Math.max(0, firstInvalidUtf8(buf));
  const offset = base + at;
  const byte = buf[at]!;
  const line = path ? await lineAt(path, offset) : null;
  const where = `byte ${offset.toLocaleString('en-US')}${line === null ? '' : ` (line ${line.toLocaleString('en-US')})`}`;
  throw new UserError(
    `${name}: not UTF-8 text: the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at ${where} is not valid UTF-8${byte >= 0x80 ? '; the file may be Latin-1 or Windows-1252 (as older Excel versions save CSV)' : ''}`,
    `Data files must be UTF-8 or UTF-16. Save it as UTF-8 ("CSV UTF-8" in Excel's Save As), or convert it: iconv -f WINDOWS-1252 -t UTF-8 ${name} > converted.csv (with its real encoding).`,
  );
}

/** The line (from 1) holding byte `offset` of the file at `path`, counted by reading it again up to there. */
async function lineAt(path: string, offset: number): Promise<number | null> {
  try {
    let line = 1;
    let seen = 0;
    for await (const chunk of createReadStream(path, {
      end: Math.max(0, offset - 1),
      highWaterMark: CHUNK_SIZE,
    }) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) line++;
      seen += chunk.length;
    }
    return offset === 0 || seen > 0 ? line : null;
  } catch {
    return null;
  }
}

/**
 * A gzip file's decompressed chunks: the first bytes tell the encoding (as for a plain file), then
 * the chunks are decoded from UTF-16 or checked as UTF-8.
 */
async function* sniffedChunks(
  chunks: AsyncIterable<Buffer>,
  name: string,
  opened: OpenedSource,
  path: string | null,
): AsyncIterable<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let heldBytes = 0;
  let done = false;
  while (heldBytes < ENCODING_SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    held.push(next.value);
    heldBytes += next.value.length;
  }
  const head = Buffer.concat(held);
  const found = usableEncoding(head.subarray(0, ENCODING_SNIFF_BYTES), name);
  if (found) opened.encoding = found.described;
  const all = (async function* () {
    yield* held;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
  yield* found ? decodeUtf16(all, found.encoding) : checkedUtf8(all, name, path);
}
