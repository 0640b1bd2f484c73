/**
 * Parquet files written by two independent writers (DuckDB, and the Rust parquet crate inside
 * parquet-wasm; scripts/parquet-fixtures.mjs) read into the value model, into the same table
 * and profile as the CSV of the same rows, and refused with a clear message when they cannot be.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openParquet, shortestFloat32 } from '../src/core/data/parquet.js';
import type { ParquetReadOptions } from '../src/core/data/parquet.js';
import { expandPaths } from '../src/core/data/paths.js';
import { DATA_FORMATS, detectFormat, openSource } from '../src/core/data/source.js';
import { readTable } from '../src/core/data/table.js';
import type { Table } from '../src/core/data/table.js';
import { DEFAULT_NULL_VALUES, Kind, KIND_NAMES } from '../src/core/data/values.js';
import { readSide } from '../src/core/drift/read.js';
import { checkDrift } from '../src/core/drift/compute.js';
import { parseDriftSettings } from '../src/core/drift/config.js';
import type { KindName } from '../src/core/data/values.js';
import { UserError } from '../src/core/errors.js';
import { inferSchema } from '../src/core/schema/infer.js';
import { parseSchema } from '../src/core/schema/schema.js';
import { outputFormatOf, predictTable } from '../src/core/serve/batch.js';
import type { ServedModel } from '../src/core/serve/model.js';
import { scanData } from '../src/core/validate/scan.js';
import type { ScanResult } from '../src/core/validate/scan.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'parquet');
const fixture = (name: string) => join(FIXTURES, name);

/** The values the fixture script gave both writers (values.json). */
const given = JSON.parse(readFileSync(fixture('values.json'), 'utf8')) as {
  rows: number;
  columns: Record<string, { type: string; values: Array<string | number | boolean | null> }>;
};

/** The typed files of flat columns: both writers, every compression, data pages v1 and v2, dictionary and delta encodings. */
const TYPED_FILES = [
  'duckdb-types.parquet', // snappy
  'duckdb-gzip.parquet',
  'duckdb-zstd.parquet',
  'duckdb-uncompressed.parquet',
  'rust-types.parquet', // snappy, dictionaries for every column, 3 row groups
  'rust-gzip.parquet',
  'rust-zstd.parquet',
  'rust-uncompressed.parquet',
  'rust-v2.parquet', // data pages v2
  'rust-delta.parquet', // DELTA_BINARY_PACKED, DELTA_(LENGTH_)BYTE_ARRAY, BYTE_STREAM_SPLIT
];

interface Cell {
  kind: KindName;
  value: number | null;
  text: string | null;
}

/** Every cell of a file by column, through the batch API. */
async function cells(path: string, options: ParquetReadOptions = {}): Promise<Map<string, Cell[]>> {
  const file = await openParquet(path, options);
  const out = new Map<string, Cell[]>(file.columns.map((c) => [c.name, []]));
  for await (const batch of file.batches()) {
    for (const column of batch.columns) {
      const list = out.get(column.column.name)!;
      for (let i = 0; i < batch.rows; i++) {
        const kind = KIND_NAMES[column.kinds[i]!]!;
        const value = column.values[i]!;
        list.push({ kind, value: kind === 'null' || kind === 'string' ? null : value, text: column.text(i) });
      }
    }
  }
  return out;
}

/** The cell a writer's value should read as (the type mapping of parquet.ts, written out by hand). */
function expectedCell(type: string, value: string | number | boolean | null): Cell {
  if (value === null) return { kind: 'null', value: null, text: null };
  if (type === 'INTEGER' || type === 'BIGINT') return { kind: 'integer', value: Number(value), text: String(Number(value)) };
  if (type === 'FLOAT' || type === 'DOUBLE') {
    const n = Number(value);
    if (Number.isNaN(n)) return { kind: 'nan', value: NaN, text: 'NaN' };
    if (!Number.isFinite(n)) return { kind: 'infinity', value: n, text: String(n) };
    return { kind: 'number', value: n, text: String(n) };
  }
  if (type === 'BOOLEAN') return { kind: 'boolean', value: value ? 1 : 0, text: String(value) };
  if (type.startsWith('DECIMAL')) return { kind: 'number', value: Number(value), text: String(Number(value)) };
  if (type === 'DATE') return { kind: 'datetime', value: Date.parse(`${value}T00:00:00Z`), text: String(value) };
  if (type.startsWith('TIMESTAMP')) {
    const text = `${String(value).replace(' ', 'T')}${type === 'TIMESTAMPTZ' ? 'Z' : ''}`;
    return { kind: 'datetime', value: Date.parse(`${text.slice(0, 23)}Z`), text };
  }
  // Text: the default null values read as null, ISO dates as datetimes, the rest stays text.
  const text = String(value);
  if (text === '' || text === 'NA') return { kind: 'null', value: null, text: null };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { kind: 'datetime', value: Date.parse(`${text}T00:00:00Z`), text };
  return { kind: 'string', value: null, text };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parquet-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reading what each writer was given', () => {
  test.each(TYPED_FILES)('%s', async (name) => {
    const read = await cells(fixture(name));
    expect([...read.keys()]).toEqual(Object.keys(given.columns));
    for (const [column, { type, values }] of Object.entries(given.columns)) {
      const expected = values.map((v) => expectedCell(type, v));
      expect({ column, cells: read.get(column) }).toEqual({ column, cells: expected });
    }
  });

  test('the column types, as the file states them', async () => {
    for (const name of ['duckdb-types.parquet', 'rust-types.parquet']) {
      const file = await openParquet(fixture(name));
      await file.close();
      const types = Object.fromEntries(file.columns.map((c) => [c.name, c.type]));
      expect(types).toEqual({
        i32: 'integer',
        i64: 'integer',
        f32: 'number',
        f64: 'number',
        flag: 'boolean',
        name: 'text',
        cat: 'text',
        code: 'text',
        day: 'datetime',
        ts_ms: 'datetime',
        ts_us: 'datetime',
        ts_tz: 'datetime',
        ts_ns: 'datetime',
        dec_small: 'number',
        dec: 'number',
        dec_wide: 'number',
        all_null: 'integer',
        no_null: 'integer',
      });
      const described = Object.fromEntries(file.columns.map((c) => [c.name, c.parquetType]));
      expect(described).toMatchObject({
        ts_ms: 'TIMESTAMP(MILLIS)',
        ts_us: 'TIMESTAMP(MICROS)',
        ts_tz: 'TIMESTAMP(MICROS, UTC)',
        ts_ns: 'TIMESTAMP(NANOS)',
        dec: 'DECIMAL(10,2)',
        dec_wide: 'DECIMAL(20,4)',
        day: 'DATE',
      });
    }
  });

  test('what the fixtures cover: physical types, encodings, compressions, nulls, row groups', async () => {
    const duck = await openParquet(fixture('duckdb-types.parquet'));
    await duck.close();
    const physical = Object.fromEntries(duck.metadata.schema.slice(1).map((e) => [e.name, e.type]));
    expect(physical).toMatchObject({ dec_small: 'INT32', dec: 'INT64', dec_wide: 'FIXED_LEN_BYTE_ARRAY', f32: 'FLOAT', i64: 'INT64' });
    const rust = await openParquet(fixture('rust-types.parquet'));
    await rust.close();
    expect(rust.rowGroups).toBe(3);
    // The Rust writer marks the non-nullable column REQUIRED (no definition levels).
    expect(rust.metadata.schema.find((e) => e.name === 'no_null')?.repetition_type).toBe('REQUIRED');
    expect(rust.metadata.row_groups[0]!.columns.find((c) => c.meta_data?.path_in_schema[0] === 'cat')!.meta_data!.encodings).toContain(
      'RLE_DICTIONARY',
    );
    expect(duck.metadata.row_groups[0]!.columns.find((c) => c.meta_data?.path_in_schema[0] === 'cat')!.meta_data!.encodings).toEqual([
      'PLAIN',
    ]);
    const codecs = new Set<string>();
    for (const name of TYPED_FILES) {
      const file = await openParquet(fixture(name));
      await file.close();
      for (const group of file.metadata.row_groups) for (const c of group.columns) codecs.add(c.meta_data!.codec);
    }
    expect([...codecs].sort()).toEqual(['GZIP', 'SNAPPY', 'UNCOMPRESSED', 'ZSTD']);
  });

  test('several row groups, read in batches smaller than a row group and across pages', async () => {
    const expected = Array.from({ length: 5000 }, (_, i) => ({
      id: i % 100,
      level: ['low', 'mid', 'high'][i % 3],
      score: i % 7 === 0 ? null : (i % 100) / 4,
    }));
    for (const batchRows of [65536, 1000, 7]) {
      const file = await openParquet(fixture('duckdb-rowgroups.parquet'), { batchRows });
      expect(file.rowGroups).toBe(3);
      const rows: Array<{ id: number; level: string | null; score: number | null }> = [];
      let batches = 0;
      for await (const batch of file.batches()) {
        batches++;
        expect(batch.rows).toBeLessThanOrEqual(batchRows);
        const [id, level, score] = batch.columns;
        for (let i = 0; i < batch.rows; i++)
          rows.push({ id: id!.values[i]!, level: level!.text(i), score: score!.kinds[i] === Kind.Null ? null : score!.values[i]! });
      }
      expect(rows).toEqual(expected);
      expect(batches).toBe(Math.ceil(2048 / batchRows) * 2 + Math.ceil(904 / batchRows));
    }
  });

  test('only the columns asked for', async () => {
    const read = await cells(fixture('rust-types.parquet'), { columns: new Set(['cat', 'no_null']) });
    expect([...read.keys()]).toEqual(['cat', 'no_null']);
    expect(read.get('no_null')!.map((c) => c.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test('opened again with the footer an earlier open read: the same values; a footer of another size is not used', async () => {
    const first = await openParquet(fixture('rust-types.parquet'));
    const footer = first.footer;
    await first.close();
    const again = await cells(fixture('rust-types.parquet'), { footer });
    expect(again).toEqual(await cells(fixture('rust-types.parquet')));
    // Another file's footer (another size) is not taken for this one's.
    const other = await openParquet(fixture('duckdb-types.parquet'));
    const stale = other.footer;
    await other.close();
    expect(stale.size).not.toBe(footer.size);
    expect(await cells(fixture('rust-types.parquet'), { footer: stale })).toEqual(again);
  });

  test('null values are the configured ones, as for the other formats', async () => {
    const read = await cells(fixture('duckdb-types.parquet'), { nullValues: ['x1'] });
    expect(read.get('name')!.slice(3, 5)).toEqual([
      { kind: 'string', value: null, text: '' },
      { kind: 'string', value: null, text: 'NA' },
    ]);
    expect(read.get('code')![3]).toEqual({ kind: 'null', value: null, text: null });
  });

  test('a float reads as the shortest decimal of the same float', () => {
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortestFloat32(Math.fround(3.4028235e38))).toBe(3.4028235e38);
    expect(shortestFloat32(Math.fround(123456789))).toBe(123456790);
    expect(shortestFloat32(Math.fround(16777216))).toBe(16777216);
    expect(shortestFloat32(Math.fround(-1e-7))).toBe(-1e-7);
  });
});

/** The table's columns without its file names. */
function columnsOf(table: Table) {
  return table.columns.map((c) => ({ ...c, numbers: Array.from(c.numbers) }));
}

describe('the same table as the CSV of the same rows', () => {
  test.each(['duckdb-types.parquet', 'rust-types.parquet', 'rust-delta.parquet'])('%s', async (name) => {
    const parquet = await readTable([fixture(name)]);
    const csv = await readTable([fixture('types.csv')]);
    expect(parquet.rows).toBe(csv.rows);
    // `code` holds numbers as strings: text in Parquet, numbers in CSV (the one documented difference).
    const without = (table: Table) => columnsOf(table).filter((c) => c.name !== 'code');
    expect(without(parquet)).toEqual(without(csv));
    const code = (table: Table) => table.columns.find((c) => c.name === 'code')!;
    expect(code(parquet).texts).toEqual(['12', '007', '3.5', 'x1', null, '12', '1e3', 'true', '2024-01-02', '-4', 'abc', '0']);
    expect(code(csv).texts).toEqual(['12', '7', '3.5', 'x1', null, '12', '1000', 'true', '2024-01-02', '-4', 'abc', '0']);
  });

  test('column names that are properties of every object', async () => {
    const parquet = await readTable([fixture('duckdb-names.parquet')]);
    const csv = await readTable([fixture('names.csv')]);
    expect(parquet.columns.map((c) => c.name)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(columnsOf(parquet)).toEqual(columnsOf(csv));
    expect(Array.from(parquet.columns[0]!.numbers)).toEqual([1, 2, 3]);
  });

  test('a data set of several files, by glob', async () => {
    const files = await expandPaths([join(FIXTURES, 'parts', '*.parquet')]);
    expect(files.map((f) => f.split('/').pop())).toEqual(['part-0.parquet', 'part-1.parquet']);
    const table = await readTable(files);
    expect(table.rows).toBe(10);
    expect(Array.from(table.columns[0]!.numbers)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(table.columns[1]!.texts).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(Array.from(table.columns[2]!.numbers)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
  });

  test('Parquet and CSV files in one data set', async () => {
    const both = await readTable([fixture('duckdb-types.parquet'), fixture('types.csv')]);
    expect(both.rows).toBe(24);
    const i64 = both.columns.find((c) => c.name === 'i64')!;
    expect(Array.from(i64.numbers.slice(0, 12))).toEqual(Array.from(i64.numbers.slice(12)));
  });
});

function scan(files: string[], schemaYaml?: string): Promise<ScanResult> {
  return scanData(files, { threads: 0, schema: schemaYaml === undefined ? null : parseSchema(schemaYaml, 'schema.yaml') });
}

describe('validate-data and infer-schema: the same profile as the CSV', () => {
  test.each(['duckdb-types.parquet', 'rust-types.parquet', 'rust-v2.parquet'])('%s', async (name) => {
    const parquet = await scan([fixture(name)]);
    const csv = await scan([fixture('types.csv')]);
    expect(parquet.rows).toBe(12);
    expect(parquet.anomalies).toEqual([]);
    const without = (r: ScanResult) => r.profile.columns.filter((c) => c.name !== 'code');
    expect(without(parquet)).toEqual(without(csv));
    // The documented difference: numbers written as strings are text in Parquet.
    const code = parquet.profile.columns.find((c) => c.name === 'code')!;
    expect(code.counts).toMatchObject({ string: 10, datetime: 1, null: 1, integer: 0, number: 0 });
    const withoutCode = (r: ScanResult) => {
      const schema = inferSchema(r.profile);
      delete schema.columns.code;
      return schema;
    };
    expect(withoutCode(parquet)).toEqual(withoutCode(csv));
  });

  test('checks find the same anomalies, with rows and no lines', async () => {
    const schema = `
columns:
  i32: { type: integer, min: 0, nullable: false }
  f64: { type: number }
  cat: { type: string, domain: [red, green] }
  day: { type: datetime, min: '2000-01-01' }
  name: { type: string, unique: true }
  flag: { type: boolean }
`;
    const parquet = await scan([fixture('rust-types.parquet')], schema);
    const csv = await scan([fixture('types.csv')], schema);
    // Samples show a value's text: the CSV's own spelling there, the canonical one for Parquet (which has no text).
    const spelled: Record<string, string> = { nan: 'NaN', inf: 'Infinity', '-inf': '-Infinity' };
    const shape = (r: ScanResult) =>
      r.anomalies
        .filter((a) => a.kind !== 'unexpected_column')
        .map((a) => ({
          kind: a.kind,
          column: a.column,
          count: a.unexpectedCount,
          samples: a.samples.map((s) => [s.row, spelled[s.value] ?? s.value]),
        }));
    expect(shape(parquet)).toEqual(shape(csv));
    expect(shape(parquet).map((a) => [a.kind, a.column, a.count])).toEqual([
      ['too_many_nulls', 'i32', 2],
      ['below_min', 'i32', 3],
      ['below_min', 'day', 4],
      ['not_in_domain', 'cat', 3],
      ['nan', 'f64', 1],
      ['infinity', 'f64', 2],
    ]);
    expect(parquet.anomalies.flatMap((a) => a.samples).every((s) => s.line === 0)).toBe(true);
  });

  test('columns shared out among readers give the same profile as one reader', async () => {
    // What reader threads do with a large file (parallel.ts): each opens the file and reads its columns, all rows.
    const { DatasetState } = await import('../src/core/validate/dataset-state.js');
    const { mergeColumnStates } = await import('../src/core/profile/profile.js');
    const path = fixture('rust-types.parquet');
    const settings = { schema: null, nullValues: DEFAULT_NULL_VALUES, sampleLimit: 5 };
    const main = new DatasetState(settings);
    const names = Object.keys(given.columns);
    for (const name of names) main.columnFor(name);
    const states = [];
    for (const share of [
      [0, 3, 5, 7, 9, 11, 13, 15, 17],
      [1, 2, 4, 6, 8, 10, 12, 14, 16],
    ]) {
      const reader = new DatasetState(settings);
      reader.files[0] = path;
      const parquet = await openParquet(path, { nullValues: settings.nullValues, columnIndexes: new Set(share) });
      expect(parquet.columns.map((c) => c.name)).toEqual(share.map((i) => names[i]));
      await reader.readParquet(
        0,
        parquet,
        share.map((i) => names[i]!),
      );
      states.push(reader.toState());
    }
    const merged = new Map(names.map((name) => [name, main.columnFor(name).profile.toState()]));
    for (const state of states)
      for (const column of state.columns) merged.set(column.name, mergeColumnStates(merged.get(column.name)!, column.profile));
    const single = await scan([path]);
    expect([...merged.values()]).toEqual(single.profile.columns);
  });

  test('column names that are properties of every object', async () => {
    const parquet = await scan([fixture('duckdb-names.parquet')]);
    const csv = await scan([fixture('names.csv')]);
    expect(parquet.profile.columns.map((c) => c.name)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(parquet.profile.columns).toEqual(csv.profile.columns);
  });

  test('a data set of several files, by glob', async () => {
    const files = await expandPaths([join(FIXTURES, 'parts', '*.parquet')]);
    const result = await scan(files);
    expect(result.rows).toBe(10);
    expect(result.profile.files).toEqual(files);
    expect(result.profile.columns.find((c) => c.name === 'id')!.numeric).toMatchObject({ count: 10, min: 0, max: 9 });
  });

  test('several row groups', async () => {
    const result = await scan([fixture('duckdb-rowgroups.parquet')]);
    expect(result.rows).toBe(5000);
    const score = result.profile.columns.find((c) => c.name === 'score')!;
    expect(score.counts.null).toBe(Math.ceil(5000 / 7));
    expect(score.counts.number).toBe(5000 - Math.ceil(5000 / 7));
    const level = result.profile.columns.find((c) => c.name === 'level')!;
    expect(level.counts.string).toBe(5000);
  });

  test('a file with no rows, and an empty (0-byte) file, are reported as empty files', async () => {
    const empty = join(dir, 'empty.parquet');
    await writeFile(empty, '');
    const result = await scan([fixture('duckdb-empty.parquet'), empty], 'columns:\n  id: { type: integer }\n  missing: { type: string }\n');
    expect(result.rows).toBe(0);
    const kinds = result.anomalies.map((a) => `${a.kind}:${(a.file ?? '').split('/').pop()}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['empty_file:duckdb-empty.parquet', 'empty_file:empty.parquet', 'missing_column:duckdb-empty.parquet']),
    );
    expect(result.profile.columns.map((c) => c.name)).toEqual(['id', 'label']);
  });
});

async function message(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return `${(error as UserError).message} | ${(error as UserError).hint ?? ''}`;
  }
  throw new Error('expected a UserError');
}

describe('drift-check reads Parquet as it reads the CSV of the same rows', () => {
  test.each(['duckdb-types.parquet', 'rust-types.parquet'])('%s', async (name) => {
    const parquet = await readSide([fixture(name)]);
    const csv = await readSide([fixture('types.csv')]);
    expect(parquet.rows).toBe(csv.rows);
    // `code` holds numbers as strings in Parquet (text there, numbers in the CSV), and a float column is never an
    // integer dtype (pandas reads Parquet floats as float64) while the CSV's whole numbers are.
    const skip = new Set(['code']);
    for (const [column, side] of csv.columns) {
      if (skip.has(column)) continue;
      const other = parquet.columns.get(column)!;
      expect([column, other.rows, other.missing, other.infinite, other.textCount]).toEqual([
        column,
        side.rows,
        side.missing,
        side.infinite,
        side.textCount,
      ]);
      expect([column, other.numeric?.n ?? 0, other.numeric?.min, other.numeric?.max]).toEqual([
        column,
        side.numeric?.n ?? 0,
        side.numeric?.min,
        side.numeric?.max,
      ]);
      expect([column, [...other.texts].sort()]).toEqual([column, [...side.texts].sort()]);
    }
    expect(parquet.columns.get('f64')!.integerDtype).toBe(false);
    expect(parquet.columns.get('i32')!.integerDtype).toBe(csv.columns.get('i32')!.integerDtype);
    // And the check itself: the same file on both sides is no drift.
    const report = checkDrift(parquet, csv, {
      settings: parseDriftSettings({}),
      subject: 'fixture',
      referenceDescription: name,
      currentDescription: 'types.csv',
    });
    expect(report.features.length).toBeGreaterThan(10);
  });
});

describe('drift-check reads Parquet batch by batch as it reads it cell by cell', () => {
  test.each([
    'duckdb-types.parquet',
    'rust-types.parquet',
    'duckdb-rowgroups.parquet',
    'duckdb-names.parquet',
    'rust-delta.parquet',
    'rust-v2.parquet',
    'duckdb-zstd.parquet',
  ])('%s: the same side, down to the sorted values and the order of the texts', async (name) => {
    const batchwise = await readSide([fixture(name)]);
    const cellwise = await readSide([fixture(name)], { batchwise: false });
    expect(batchwise.rows).toBeGreaterThan(0);
    expect([...batchwise.columns.keys()]).toEqual([...cellwise.columns.keys()]);
    for (const [column, side] of cellwise.columns) {
      const other = batchwise.columns.get(column)!;
      expect({ column, ...other, texts: [...other.texts] }).toEqual({ column, ...side, texts: [...side.texts] });
    }
    expect(batchwise).toEqual(cellwise);
  });
});

describe('errors', () => {
  test.each([
    ['duckdb-list.parquet', 'tags', 'list'],
    ['rust-list.parquet', 'tags', 'list'],
    ['duckdb-struct.parquet', 'point', 'struct'],
    ['rust-struct.parquet', 'point', 'struct'],
  ])('%s: a nested column is refused, named with its kind', async (name, column, kind) => {
    // One read at a time: a second read started beside the first could fail before anything awaits it.
    for (const read of [() => readTable([fixture(name)]), () => scan([fixture(name)])]) {
      const text = await message(read());
      expect(text).toContain(`${fixture(name)}: not supported: column ${column} is a ${kind}`);
    }
  });

  test('binary without a type: text when it is UTF-8, refused when it is not', async () => {
    const read = await cells(fixture('duckdb-blob.parquet'), { columns: new Set(['text_blob']) });
    expect(read.get('text_blob')!.map((c) => c.text)).toEqual(['abc', 'd€f']);
    const text = await message(readTable([fixture('duckdb-blob.parquet')]));
    expect(text).toContain('column raw, row group 1: not supported: the column holds binary values (BYTE_ARRAY that is not UTF-8 text)');
  });

  test('a truncated file', async () => {
    const path = join(dir, 'truncated.parquet');
    const bytes = await readFile(fixture('duckdb-types.parquet'));
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    const text = await message(readTable([path]));
    expect(text).toContain('truncated');
    expect(text).toContain(path);
  });

  test('a file that is not Parquet', async () => {
    const path = join(dir, 'data.parquet');
    await writeFile(path, 'a,b\n1,2\n');
    expect(await message(readTable([path]))).toContain(`${path}: not a Parquet file (it does not start with the bytes PAR1)`);
    const gz = join(dir, 'data.parquet.gz');
    await writeFile(gz, gzipSync(await readFile(fixture('duckdb-types.parquet'))));
    expect(await message(readTable([gz]))).toContain('gzip-compressed');
  });

  test('an empty (0-byte) file', async () => {
    const path = join(dir, 'zero.parquet');
    await writeFile(path, '');
    expect(await message(readTable([path]))).toContain('the file is empty (0 bytes)');
  });

  test('a file with no rows', async () => {
    expect(await message(readTable([fixture('duckdb-empty.parquet')]))).toContain('no data rows');
    const file = await openParquet(fixture('duckdb-empty.parquet'));
    expect(file.columns.map((c) => c.name)).toEqual(['id', 'label']);
    const batches = [];
    for await (const batch of file.batches()) batches.push(batch);
    expect(batches).toEqual([]);
  });

  test('a page that does not decode names the column and row group', async () => {
    const bytes = Buffer.from(await readFile(fixture('duckdb-uncompressed.parquet')));
    // Overwrite the first column's first page with noise (the footer stays readable).
    bytes.fill(0xff, 4, 60);
    const path = join(dir, 'corrupt.parquet');
    await writeFile(path, bytes);
    const text = await message(readTable([path]));
    expect(text).toMatch(/column i32, row group 1: .*corrupt/);
  });

  test('a Parquet file read as text says so', async () => {
    const path = join(dir, 'data.csv');
    await copyFile(fixture('duckdb-types.parquet'), path);
    expect(await message(openSource(path))).toContain(`${path} is a Parquet file, read here as text`);
  });
});

describe('formats', () => {
  test('by extension, or as set', () => {
    expect(DATA_FORMATS).toContain('parquet');
    expect(detectFormat('data/x.parquet')).toBe('parquet');
    expect(detectFormat('data/X.PQ')).toBe('parquet');
    expect(detectFormat('data/x.bin', 'parquet')).toBe('parquet');
    expect(() => detectFormat('data/x.constructor')).toThrow(UserError);
  });

  test('format: parquet reads a file of any name', async () => {
    const path = join(dir, 'export.dat');
    await copyFile(fixture('duckdb-names.parquet'), path);
    const table = await readTable([path], { format: 'parquet' });
    expect(table.rows).toBe(3);
  });
});

describe('predict writes Parquet when the output name says so', () => {
  test('outputFormatOf', () => {
    expect(outputFormatOf('out/predictions.parquet')).toBe('parquet');
    expect(outputFormatOf('p.PQ')).toBe('parquet');
    expect(outputFormatOf('p.csv')).toBe('csv');
  });

  test('the input columns and the predictions, read back', async () => {
    const table = await readTable([fixture('duckdb-types.parquet')]);
    // A stand-in classifier: "big" when i32 > 10 (missing counts as small).
    const model = {
      signature: { features: [{ name: 'i32', type: 'number' }] },
      task: 'classification',
      probabilities: true,
      classes: ['big', 'small'],
      predict: async (features: Table, rows: number[]) => {
        const column = features.columns[0]!;
        return rows.map((r) => {
          const big = column.numbers[r]! > 10;
          return { label: big ? 'big' : 'small', probabilities: big ? [0.9, 0.1] : [0.2, 0.8] };
        });
      },
    } as unknown as ServedModel;
    const { text, rows } = await predictTable(model, table, 'parquet');
    expect(rows).toBe(12);
    expect(Buffer.isBuffer(text)).toBe(true);
    const path = join(dir, 'predictions.parquet');
    await writeFile(path, text);
    const file = await openParquet(path);
    // Text columns are STRING; numeric ones INT64 when every value is a whole number within 2^53, else DOUBLE.
    const types: Record<string, string> = {
      i32: 'INT64',
      i64: 'DOUBLE',
      f32: 'DOUBLE',
      f64: 'DOUBLE',
      all_null: 'INT64',
      no_null: 'INT64',
    };
    for (const name of ['dec_small', 'dec', 'dec_wide']) types[name] = 'DOUBLE';
    for (const name of ['flag', 'name', 'cat', 'code', 'day', 'ts_ms', 'ts_us', 'ts_tz', 'ts_ns']) types[name] = 'STRING';
    expect(file.columns.map((c) => `${c.name}:${c.parquetType}`)).toEqual([
      ...table.columns.map((c) => `${c.name}:${types[c.name]}`),
      'prediction:STRING',
      'probability_big:DOUBLE',
      'probability_small:DOUBLE',
    ]);
    await file.close();
    const back = await readTable([path]);
    for (const column of table.columns) {
      const read = back.columns.find((c) => c.name === column.name)!;
      expect({ name: column.name, numbers: Array.from(read.numbers), texts: read.texts }).toEqual({
        name: column.name,
        numbers: Array.from(column.numbers),
        texts: column.texts,
      });
    }
    const prediction = back.columns.find((c) => c.name === 'prediction')!;
    expect(prediction.texts).toEqual([
      'small',
      'small',
      'small',
      'big',
      'small',
      'small',
      'big',
      'small',
      'small',
      'big',
      'small',
      'small',
    ]);
    expect(Array.from(back.columns.find((c) => c.name === 'probability_big')!.numbers)).toEqual(
      prediction.texts!.map((p) => (p === 'big' ? 0.9 : 0.2)),
    );
  });
});
