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
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
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
    chunks: readChunks(chunks, name),
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
