/** Bad input that once crashed or misled: odd column names, wrong encodings, unterminated quotes. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { link, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { refuseOverwritingInput } from '../src/core/data/paths.js';
import { openSource } from '../src/core/data/source.js';
import { readTable } from '../src/core/data/table.js';
import { readSide } from '../src/core/drift/read.js';
import { UserError } from '../src/core/errors.js';
import { parseSchema, schemaToYaml } from '../src/core/schema/schema.js';
import { inferSchema } from '../src/core/schema/infer.js';
import { Tally } from '../src/core/validate/column-checks.js';
import { scanData } from '../src/core/validate/scan.js';

let dir: string;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bad-input-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dataFile(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, `${++counter}-${name}`);
  await writeFile(path, content);
  return path;
}

const PROTO_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'value'];
const PROTO_CSV = `${PROTO_NAMES.join(',')}\n1,a,x,true,1.5\n2,b,y,false,2.5\n3,a,x,true,3.5\n4,b,y,false,4.5\n`;

describe('column names that are Object.prototype properties', () => {
  test('validate without a schema profiles every column', async () => {
    const file = await dataFile('proto.csv', PROTO_CSV);
    const result = await scanData([file], { threads: 0, schema: null });
    expect(result.anomalies).toEqual([]);
    expect(result.profile.columns.map((c) => c.name)).toEqual(PROTO_NAMES);
  });

  test('a schema naming them parses, with __proto__ as a real column', () => {
    const schema = parseSchema(
      'columns:\n  constructor:\n    type: integer\n  toString:\n    type: string\n  __proto__:\n    type: string\n  hasOwnProperty:\n    type: boolean\n  value:\n    type: number\n',
      'schema.yaml',
    );
    expect(Object.keys(schema.columns)).toEqual(PROTO_NAMES);
    expect(Object.hasOwn(schema.columns, '__proto__')).toBe(true);
    expect(schema.columns['__proto__']).toEqual({ type: 'string' });
  });

  test('a bad __proto__ column is reported with its path, like any other', () => {
    expect(() => parseSchema('columns:\n  __proto__:\n    type: text\n', 'schema.yaml')).toThrow(
      /schema\.yaml: not a valid data schema:[\s\S]*columns\.__proto__\.type/,
    );
  });

  test('validate with a schema naming them passes, and a missing one is reported', async () => {
    const file = await dataFile('proto.csv', PROTO_CSV);
    const yaml =
      'columns:\n  constructor:\n    type: integer\n    min: 1\n  toString:\n    type: string\n    domain: [a, b]\n  __proto__:\n    type: string\n    domain: [x, y]\n  hasOwnProperty:\n    type: boolean\n  value:\n    type: number\n';
    const result = await scanData([file], { threads: 0, schema: parseSchema(yaml, 'schema.yaml') });
    expect(result.anomalies).toEqual([]);
    // As reader threads receive it: structured clone gives the columns Object.prototype back.
    const cloned = structuredClone(parseSchema(yaml, 'schema.yaml'));
    expect(Object.getPrototypeOf(cloned.columns)).not.toBeNull();
    expect((await scanData([file], { threads: 0, schema: cloned })).anomalies).toEqual([]);

    // A schema without them: they are unexpected columns, nothing crashes.
    const other = await scanData([file], { threads: 0, schema: parseSchema('columns:\n  value:\n    type: number\n', 'schema.yaml') });
    expect(other.anomalies.filter((a) => a.kind === 'unexpected_column').map((a) => a.column)).toEqual(PROTO_NAMES.slice(0, 4));

    // A schema column absent from data is missing, even when its name is a prototype property.
    const missing = await dataFile('value-only.csv', 'value\n1\n');
    const absent = await scanData([missing], { threads: 0, schema: parseSchema(yaml, 'schema.yaml') });
    expect(absent.anomalies.filter((a) => a.kind === 'missing_column').map((a) => a.column)).toEqual(PROTO_NAMES.slice(0, 4));
  });

  test('infer-schema keeps them all, and the data passes the round trip through YAML', async () => {
    const file = await dataFile('proto.csv', PROTO_CSV);
    const scan = await scanData([file], { threads: 0, schema: null });
    const schema = inferSchema(scan.profile);
    expect(Object.keys(schema.columns)).toEqual(PROTO_NAMES);
    expect(schema.columns['__proto__']).toMatchObject({ type: 'string', nullable: false });
    const yaml = schemaToYaml(schema);
    expect(yaml).toContain('__proto__:');
    const loaded = parseSchema(yaml, 'schema.yaml');
    expect(loaded).toEqual(schema);
    const again = await scanData([file], { threads: 0, schema: loaded });
    expect(again.anomalies).toEqual([]);
  });
});

describe('UTF-16, UTF-32 and other encodings', () => {
  const text = 'id,name,score\n1,Zoë,0.5\n2,Ana,0.75\n';
  const utf16be = (t: string) => Buffer.from(t, 'utf16le').swap16();
  const utf16: [string, Buffer][] = [
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
    ['UTF-16LE without a BOM', Buffer.from(text, 'utf16le')],
    ['UTF-16BE without a BOM', utf16be(text)],
  ];

  test.each(utf16)('%s is read as the same text by validate-data, table reading and drift-check, gzipped too', async (what, bytes) => {
    for (const [name, content] of [
      ['data.csv', bytes],
      ['data.csv.gz', gzipSync(bytes)],
    ] as const) {
      const file = await dataFile(name, content);
      const scanned = await scanData([file], { threads: 0, schema: null });
      expect(scanned.anomalies).toEqual([]);
      expect(scanned.rows).toBe(2);
      expect(scanned.profile.columns.map((c) => c.name)).toEqual(['id', 'name', 'score']);
      const table = await readTable([file]);
      expect(table.columns.map((c) => c.name)).toEqual(['id', 'name', 'score']);
      expect(table.columns[1]!.texts).toEqual(['Zoë', 'Ana']);
      expect(Array.from(table.columns[2]!.numbers)).toEqual([0.5, 0.75]);
      const side = await readSide([file]);
      expect([...side.columns.keys()]).toEqual(['id', 'name', 'score']);
      expect(side.columns.get('name')!.texts.get('Zoë')).toBe(1);
      const opened = await openSource(file);
      for await (const chunk of opened.chunks) void chunk; // a gzip file's encoding is known once its first bytes are out
      expect(opened.encoding).toMatch(new RegExp(`^${what.slice(0, 8)}`));
    }
  });

  test('UTF-16 split into odd-sized chunks (a character cut in two) decodes whole', async () => {
    const long = 'a,b\n' + Array.from({ length: 200 }, (_, i) => `${i},ÿ€😀${i}\n`).join('');
    const file = await dataFile('long.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(long, 'utf16le')]));
    const opened = await openSource(file, 7);
    const parts: Buffer[] = [];
    for await (const chunk of opened.chunks) parts.push(chunk);
    expect(Buffer.concat(parts).toString('utf8')).toBe(long);
  });

  const utf32: [string, Buffer, RegExp][] = [
    ['UTF-32LE with a BOM', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0, 0x0a, 0, 0, 0]), /UTF-32LE/],
    ['UTF-32BE with a BOM', Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61, 0, 0, 0, 0x0a]), /UTF-32BE/],
  ];

  test.each(utf32)('%s: every reader says which encoding and what to do', async (what, bytes, encoding) => {
    for (const [name, content] of [
      ['data.csv', bytes],
      ['data.csv.gz', gzipSync(bytes)],
    ] as const) {
      const file = await dataFile(name, content);
      const readers = [() => scanData([file], { threads: 0, schema: null }), () => readTable([file]), () => readSide([file])];
      for (const read of readers) {
        const error = await read().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(UserError);
        const { message, hint } = error as UserError;
        expect(message).toContain(file);
        expect(message).toMatch(encoding);
        expect(message).toContain('must be UTF-8 or UTF-16');
        expect(hint).toContain('iconv -f UTF-32 -t UTF-8');
      }
    }
  });

  test('Latin-1 text (not UTF-8) is refused by every reader with the byte, its offset and its line', async () => {
    // "Zoë" in Latin-1: 0xEB alone is not UTF-8. Offset of the byte: the header (14 bytes) + "1,Zo".
    const latin1 = Buffer.from('id,name,score\n1,Zo\u00eb,0.5\n2,Ana,0.75\n', 'latin1');
    const offset = latin1.indexOf(0xeb);
    for (const [name, content, line] of [
      ['latin1.csv', latin1, ' (line 2)'],
      ['latin1.csv.gz', gzipSync(latin1), ''],
    ] as const) {
      const file = await dataFile(name, content);
      const readers = [() => scanData([file], { threads: 0, schema: null }), () => readTable([file]), () => readSide([file])];
      for (const read of readers) {
        const error = await read().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(UserError);
        const { message, hint } = error as UserError;
        expect(message).toContain(`${file}: not UTF-8 text: the byte 0xEB at byte ${offset}${line} is not valid UTF-8`);
        expect(message).toContain('Latin-1 or Windows-1252');
        expect(hint).toContain('iconv -f WINDOWS-1252 -t UTF-8');
      }
    }
  });

  test('a bad byte past the first chunk is found at its offset; a character cut by a chunk boundary is not one', async () => {
    const good = 'a,b\n' + Array.from({ length: 300 }, (_, i) => `${i},é€😀\n`).join('');
    const file = await dataFile('late.csv', Buffer.concat([Buffer.from(good), Buffer.from([0x31, 0x2c, 0xff, 0x0a])]));
    for (const size of [1, 2, 3, 5, 1 << 20]) {
      const opened = await openSource(file, size);
      const error = await (async () => {
        for await (const chunk of opened.chunks) void chunk;
      })().then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as UserError).message).toContain(
        `the byte 0xFF at byte ${(Buffer.byteLength(good) + 2).toLocaleString('en-US')} (line 302)`,
      );
    }
    const clean = await dataFile('clean.csv', good);
    for (const size of [1, 2, 3, 5]) {
      const opened = await openSource(clean, size);
      const parts: Buffer[] = [];
      for await (const chunk of opened.chunks) parts.push(chunk);
      expect(Buffer.concat(parts).toString('utf8')).toBe(good);
    }
  });

  test('read into memory handed in (allocate): the same bytes and the same error at the same offset', async () => {
    const good = 'a,b\n' + Array.from({ length: 300 }, (_, i) => `${i},é€😀\n`).join('');
    const clean = await dataFile('given.csv', good);
    const bad = await dataFile('given-bad.csv', Buffer.concat([Buffer.from(good), Buffer.from([0x31, 0x2c, 0xff, 0x0a])]));
    for (const size of [1, 3, 64, Buffer.byteLength(good), 1 << 20]) {
      let given = 0;
      const allocate = (n: number) => {
        expect(n).toBe(size);
        given++;
        return Buffer.alloc(n, 0x78); // stale bytes, as in memory read into before
      };
      const opened = await openSource(clean, size, clean, allocate);
      const parts: Buffer[] = [];
      for await (const chunk of opened.chunks) parts.push(Buffer.from(chunk));
      expect(Buffer.concat(parts).toString('utf8')).toBe(good);
      expect(opened.bytesRead()).toBe(Buffer.byteLength(good));
      expect(given).toBe(Math.floor(Buffer.byteLength(good) / size) + 1);
      const failing = await openSource(bad, size, bad, allocate);
      const error = await (async () => {
        for await (const chunk of failing.chunks) void chunk;
      })().then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as UserError).message).toContain(
        `the byte 0xFF at byte ${(Buffer.byteLength(good) + 2).toLocaleString('en-US')} (line 302)`,
      );
    }
  });

  test('UTF-8 with a BOM still reads, the BOM left out of the first column name', async () => {
    const file = await dataFile('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const result = await scanData([file], { threads: 0, schema: null });
    expect(result.anomalies).toEqual([]);
    expect(result.profile.columns.map((c) => c.name)).toEqual(['id', 'name', 'score']);
    const table = await readTable([file]);
    expect(table.columns.map((c) => c.name)).toEqual(['id', 'name', 'score']);
  });

  test('plain text with a few NUL bytes is not taken for UTF-16', async () => {
    const file = await dataFile('nul.csv', 'a,b\n1,x\u0000y\n2,z\n');
    const result = await scanData([file], { threads: 0, schema: null });
    expect(result.rows).toBe(2);
  });
});

describe('an unterminated quote', () => {
  // Line 3 opens a quote at column 3 that never closes: lines 3 to 5 become one field.
  const csv = 'id,name,score\n1,Ana,0.5\n2,"Zoë,0.75\n3,Bo,0.25\n4,Cy,0.1\n';
  const where = /unterminated quote starting at line 3 \(column 3\) of .*\.csv/;

  test('validate-data reports it as a malformed row, with line and column', async () => {
    const file = await dataFile('open-quote.csv', csv);
    {
      const result = await scanData([file], { threads: 0, schema: null });
      const malformed = result.anomalies.filter((a) => a.kind === 'malformed_row');
      expect(malformed).toHaveLength(1);
      expect(malformed[0]!.file).toBe(file);
      expect(malformed[0]!.message).toMatch(where);
      expect(malformed[0]!.message).toContain(file);
      expect(malformed[0]!.samples).toHaveLength(1);
      expect(malformed[0]!.samples[0]).toMatchObject({ row: 2, line: 3 });
      expect(malformed[0]!.samples[0]!.value).toMatch(where);
    }
  });

  test('the column counts characters, and the line counts newlines inside earlier quoted fields', async () => {
    const file = await dataFile('later.csv', 'id,note,name\n1,"two\nlines",ok\n2,"é\nmoré","open\n3,x,y\n');
    const result = await scanData([file], { threads: 0, schema: null });
    const malformed = result.anomalies.filter((a) => a.kind === 'malformed_row');
    expect(malformed[0]!.message).toMatch(/unterminated quote starting at line 5 \(column 7\)/);
  });

  test('in the header, it is reported too', async () => {
    const file = await dataFile('header.csv', 'id,"name,score\n1,Ana,0.5\n');
    const result = await scanData([file], { threads: 0, schema: null });
    const malformed = result.anomalies.filter((a) => a.kind === 'malformed_row');
    expect(malformed).toHaveLength(1);
    expect(malformed[0]!.message).toMatch(/unterminated quote starting at line 1 \(column 4\)/);
  });

  test('drift-check reading fails saying where', async () => {
    const file = await dataFile('open-quote.csv', csv);
    const error = await readSide([file]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(where);
    expect((error as UserError).message).not.toMatch(/fields where the header has/);
  });

  test('table reading (train, evaluate) fails saying where', async () => {
    const file = await dataFile('open-quote.csv', csv);
    const error = await readTable([file]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(where);
    expect((error as UserError).hint).toContain('""');
  });

  test("a reader thread's note survives the merge of tallies", () => {
    const merged = new Tally(5);
    merged.absorb({ count: 1, samples: [], note: 'unterminated quote starting at line 9 (column 1) of f.csv' }, ['f.csv']);
    merged.absorb({ count: 2, samples: [] }, ['f.csv']);
    expect(merged.toState()).toEqual({ count: 3, samples: [], note: 'unterminated quote starting at line 9 (column 1) of f.csv' });
  });

  test('a closed quote with a newline inside is fine', async () => {
    const file = await dataFile('closed.csv', 'id,name\n1,"two\nlines"\n2,x\n');
    const result = await scanData([file], { threads: 0, schema: null });
    expect(result.anomalies).toEqual([]);
    expect((await readTable([file])).rows).toBe(2);
  });
});

describe('JSON Lines with keys that come and go', () => {
  test('a key only in the first rows is missing (NaN, null) in every later row, however many', async () => {
    const lines = ['{"a": 1, "t": "x", "b": 0}'];
    for (let i = 1; i <= 2000; i++) lines.push(i === 1500 ? '{"b": 1500, "t": "y"}' : `{"b": ${i}}`);
    const table = await readTable([await dataFile('sparse.jsonl', `${lines.join('\n')}\n`)]);
    expect(table.rows).toBe(2001);
    const column = (name: string) => table.columns.find((c) => c.name === name)!;
    for (const c of table.columns) expect(c.numbers.length).toBe(2001);
    expect(column('a').numbers[0]).toBe(1);
    expect(Number.isNaN(column('a').numbers[1500])).toBe(true);
    expect(Number.isNaN(column('a').numbers[2000])).toBe(true);
    expect(column('b').numbers[2000]).toBe(2000);
    const t = column('t').texts!;
    expect(t.length).toBe(2001);
    expect([t[0], t[1], t[1500], t[2000]]).toEqual(['x', null, 'y', null]);
  });
});

describe('an output that is an input', () => {
  test('the same file by path, hard link or symbolic link is refused; another file or a new one is not', async () => {
    const input = await dataFile('input.csv', 'a\n1\n');
    const other = await dataFile('other.csv', 'a\n1\n');
    const hard = join(dir, 'hard.csv');
    const soft = join(dir, 'soft.csv');
    await link(input, hard);
    await symlink(input, soft);
    for (const output of [input, hard, soft, join(dir, '.', `${counter - 1}-input.csv`)]) {
      await expect(refuseOverwritingInput(output, [other, input])).rejects.toThrow(
        /is the input .*input\.csv: writing it would replace the data being read/,
      );
    }
    await expect(refuseOverwritingInput(other, [input])).resolves.toBeUndefined();
    await expect(refuseOverwritingInput(join(dir, 'new.csv'), [input])).resolves.toBeUndefined();
  });
});
