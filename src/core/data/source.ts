/** Opening data files: format from the name, gzip from the content, bytes as a stream. */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';

export const DATA_FORMATS = ['csv', 'tsv', 'jsonl'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

const EXTENSIONS: Record<string, DataFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
};

/** The format of a file from its name (`.csv`, `.tsv`, `.jsonl`, each optionally `.gz`), unless given. */
export function detectFormat(path: string, format: DataFormat | 'auto' = 'auto'): DataFormat {
  if (format !== 'auto') return format;
  const parts = path.toLowerCase().split('/').pop()!.split('.');
  if (parts.at(-1) === 'gz') parts.pop();
  const found = EXTENSIONS[parts.at(-1) ?? ''];
  if (!found) {
    throw new UserError(
      `${path}: cannot tell the format from the file name`,
      'Name the file .csv, .tsv or .jsonl (optionally .gz), or set the format (input `format`, flag --format).',
    );
  }
  return found;
}

export interface OpenedSource {
  size: number;
  gzip: boolean;
  /** Decompressed bytes. */
  chunks: AsyncIterable<Buffer>;
  /** Bytes read from disk so far (compressed bytes for gzip). */
  bytesRead(): number;
}

const CHUNK_SIZE = 1 << 20;

/** Opens a data file; `chunkSize` is the size of the pieces read (and decompressed) at once. */
/** Opens the data file at `path`; messages name it `name` (how people know it: relative to their working directory). */
export async function openSource(path: string, chunkSize = CHUNK_SIZE, name = path): Promise<OpenedSource> {
  let size: number;
  let gzip = false;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UserError(`${name} is a directory, not a data file`, 'Give a file, or a glob such as data/*.csv.');
    size = info.size;
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(ENCODING_SNIFF_BYTES);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
      if (!gzip) checkEncoding(head.subarray(0, bytesRead), name);
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
  const file = createReadStream(path, { highWaterMark: chunkSize });
  const chunks = gzip ? file.pipe(createGunzip({ chunkSize })) : file;
  file.on('error', (error) => chunks.destroy(error));
  return {
    size,
    gzip,
    chunks: gzip ? checkedChunks(readChunks(chunks, name), name) : readChunks(chunks, name),
    bytesRead: () => file.bytesRead,
  };
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

/**
 * The encoding of text that is not UTF-8 (nor ASCII) but UTF-16 or UTF-32, as
 * Excel's "Unicode Text" and Windows tools (PowerShell 5 `>`) write it, or
 * null. Byte-order marks first; UTF-16 without one shows as NUL bytes in most
 * odd (little-endian) or even (big-endian) positions, since CSV text is mostly
 * ASCII. A UTF-8 byte-order mark is not reported: readers skip it.
 */
export function detectUnsupportedEncoding(head: Buffer): string | null {
  const [b0, b1, b2, b3] = head;
  if (head.length >= 4 && b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return 'UTF-32LE (byte-order mark FF FE 00 00)';
  if (head.length >= 4 && b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return 'UTF-32BE (byte-order mark 00 00 FE FF)';
  if (head.length >= 2 && b0 === 0xff && b1 === 0xfe) return 'UTF-16LE (byte-order mark FF FE)';
  if (head.length >= 2 && b0 === 0xfe && b1 === 0xff) return 'UTF-16BE (byte-order mark FE FF)';
  const pairs = head.length >> 1;
  if (pairs < 2) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    if (head[i] === 0) evenNuls++;
    if (head[i + 1] === 0) oddNuls++;
  }
  if (oddNuls >= pairs * 0.4 && evenNuls <= pairs * 0.05) return 'UTF-16LE (no byte-order mark: NUL bytes at odd positions)';
  if (evenNuls >= pairs * 0.4 && oddNuls <= pairs * 0.05) return 'UTF-16BE (no byte-order mark: NUL bytes at even positions)';
  return null;
}

/** Throws a UserError naming file `name` when `head` (its first bytes) is UTF-16 or UTF-32 text. */
function checkEncoding(head: Buffer, name: string): void {
  const encoding = detectUnsupportedEncoding(head);
  if (encoding === null) return;
  const from = encoding.startsWith('UTF-32') ? 'UTF-32' : 'UTF-16';
  throw new UserError(
    `${name}: the file is ${encoding} text; data files must be UTF-8`,
    `Save it as UTF-8 ("CSV UTF-8" in Excel's Save As), or convert it: iconv -f ${from} -t UTF-8 ${name} > converted.csv`,
  );
}

/** Passes on decompressed chunks after checking the encoding of their first bytes. */
async function* checkedChunks(chunks: AsyncIterable<Buffer>, name: string): AsyncIterable<Buffer> {
  const held: Buffer[] = [];
  let heldBytes = 0;
  let checked = false;
  for await (const chunk of chunks) {
    if (checked) {
      yield chunk;
      continue;
    }
    held.push(chunk);
    heldBytes += chunk.length;
    if (heldBytes < ENCODING_SNIFF_BYTES) continue;
    const head = Buffer.concat(held);
    checkEncoding(head.subarray(0, ENCODING_SNIFF_BYTES), name);
    checked = true;
    yield* held;
    held.length = 0;
  }
  if (!checked) {
    checkEncoding(Buffer.concat(held), name);
    yield* held;
  }
}
