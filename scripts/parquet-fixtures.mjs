#!/usr/bin/env node
/**
 * Writes the Parquet test fixtures (test/fixtures/parquet/) with two independent writers:
 * DuckDB (C++, `COPY ... TO ... (FORMAT parquet)` through @duckdb/node-api) and the Rust
 * `parquet` crate inside parquet-wasm (fed Arrow tables built with apache-arrow). Both get
 * the same values, written to values.json for the tests to compare with. Beside each file
 * of flat columns, DuckDB writes the CSV of the same rows (read back from the Parquet file),
 * with timestamps in ISO 8601 as the Parquet reader shows them (`2024-01-02T03:04:05.123`,
 * a `Z` for UTC-adjusted ones), so the tests can compare the CSV and Parquet paths.
 *
 * Run: npm run fixtures:parquet (needs the devDependencies; the outputs are committed).
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  Bool,
  DateDay,
  Decimal,
  Field,
  RecordBatch,
  Schema,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Struct,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Utf8,
  makeData,
  makeVector,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import * as prettier from 'prettier';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'parquet');

/**
 * The values both writers get, column by column (12 rows). Numbers JSON cannot hold are
 * strings: 64-bit integers, decimals (exact text), and "NaN" / "Infinity" / "-Infinity".
 */
const COLUMNS = {
  i32: { duck: 'INTEGER', values: [0, 1, -1, 2147483647, -2147483648, null, 42, 7, null, 100, -5, 3] },
  i64: {
    duck: 'BIGINT',
    values: [
      '0',
      '9007199254740993',
      '-9223372036854775808',
      '9223372036854775807',
      null,
      '123456789012',
      '-1',
      '5',
      null,
      '8',
      '9007199254740992',
      '10',
    ],
  },
  f32: { duck: 'FLOAT', values: [0.1, -1.5, 3.4028235e38, null, 1e-7, 2.5, 0, null, 100.25, -0.1, 3.14159, 1] },
  f64: {
    duck: 'DOUBLE',
    values: [
      0.1,
      1e-300,
      -2.5,
      'NaN',
      'Infinity',
      '-Infinity',
      null,
      1,
      123456.789,
      -0.000001,
      2.2250738585072014e-308,
      1.7976931348623157e308,
    ],
  },
  flag: { duck: 'BOOLEAN', values: [true, false, null, true, true, false, false, null, true, false, true, true] },
  name: {
    duck: 'VARCHAR',
    values: ['alpha', 'naïve café', '日本語', '', 'NA', 'with, comma', 'with "quote"', null, 'line\nbreak', 'x', 'y', 'z'],
  },
  cat: { duck: 'VARCHAR', values: ['red', 'green', 'blue', 'red', null, 'red', 'green', 'blue', 'blue', 'red', 'green', null] },
  code: { duck: 'VARCHAR', values: ['12', '007', '3.5', 'x1', null, '12', '1e3', 'true', '2024-01-02', '-4', 'abc', '0'] },
  day: {
    duck: 'DATE',
    values: [
      '2024-01-02',
      '1970-01-01',
      '1969-12-31',
      '2000-02-29',
      null,
      '1900-01-01',
      '2099-12-31',
      '2024-06-30',
      '2024-01-02',
      null,
      '2010-10-10',
      '1999-09-09',
    ],
  },
  ts_ms: {
    duck: 'TIMESTAMP_MS',
    values: [
      '2024-01-02 03:04:05.123',
      '1970-01-01 00:00:00.000',
      '1969-12-31 23:59:59.999',
      null,
      '2000-02-29 12:00:00.500',
      '1900-01-01 00:00:00.001',
      '2099-12-31 23:59:59.999',
      '2024-01-02 03:04:05.123',
      null,
      '2010-10-10 10:10:10.010',
      '1999-09-09 09:09:09.009',
      '2024-06-30 00:00:00.000',
    ],
  },
  ts_us: {
    duck: 'TIMESTAMP',
    values: [
      '2024-01-02 03:04:05.123456',
      '1970-01-01 00:00:00.000000',
      '1969-12-31 23:59:59.999999',
      null,
      '2000-02-29 12:00:00.500001',
      '1900-01-01 00:00:00.000001',
      '2099-12-31 23:59:59.999999',
      '2024-01-02 03:04:05.123456',
      null,
      '2010-10-10 10:10:10.010010',
      '1999-09-09 09:09:09.000009',
      '2024-06-30 00:00:00.000000',
    ],
  },
  ts_tz: {
    duck: 'TIMESTAMPTZ',
    values: [
      '2024-01-02 03:04:05.123456',
      '1970-01-01 00:00:00.000000',
      null,
      '2000-02-29 12:00:00.000000',
      '2024-01-02 03:04:05.123456',
      '1999-12-31 23:59:59.999999',
      null,
      '2021-03-04 05:06:07.080900',
      '2024-01-02 03:04:05.123456',
      '1980-05-06 07:08:09.101112',
      '2030-01-01 00:00:00.000001',
      '2024-06-30 00:00:00.000000',
    ],
  },
  ts_ns: {
    duck: 'TIMESTAMP_NS',
    values: [
      '2024-01-02 03:04:05.123456789',
      '1970-01-01 00:00:00.000000001',
      '1969-12-31 23:59:59.999999999',
      null,
      '2000-02-29 12:00:00.500000001',
      '1900-01-01 00:00:00.000000001',
      '2200-12-31 23:59:59.999999999',
      '2024-01-02 03:04:05.123456789',
      null,
      '1677-09-23 00:00:00.000000001',
      '2262-04-10 23:59:59.999999999',
      '1970-01-01 00:00:00.000000000',
    ],
  },
  dec_small: {
    duck: 'DECIMAL(4,1)',
    scale: 1,
    precision: 4,
    values: ['1.5', '-0.5', '999.9', null, '0.0', '-999.9', '12.3', '1.5', null, '0.1', '7.0', '-7.5'],
  },
  dec: {
    duck: 'DECIMAL(10,2)',
    scale: 2,
    precision: 10,
    values: ['1234.56', '-0.01', '0.00', null, '99999999.99', '-99999999.99', '0.10', '1234.56', null, '42.00', '3.14', '-2.50'],
  },
  dec_wide: {
    duck: 'DECIMAL(20,4)',
    scale: 4,
    precision: 20,
    values: [
      '1234567890.1234',
      '-1.0000',
      null,
      '0.0001',
      '12345678901234.5678',
      '-12345678901234.5678',
      '0.0000',
      '1234567890.1234',
      null,
      '99.9900',
      '-0.0001',
      '5.5000',
    ],
  },
  all_null: { duck: 'INTEGER', values: Array(12).fill(null) },
  no_null: { duck: 'INTEGER', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
};
const ROWS = 12;

/** A SQL literal for a value of a column. */
function sqlLiteral(value, duckType) {
  if (value === null) return `CAST(NULL AS ${duckType})`;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return `CAST(${String(value)} AS ${duckType})`;
  return `CAST('${String(value).replace(/'/g, "''")}' AS ${duckType})`;
}

/** `SELECT ... UNION ALL ...` of the columns (in order) over the given rows. */
function valuesQuery(columns, rows) {
  const selects = [];
  for (const r of rows) {
    const cells = Object.entries(columns).map(([name, c]) => `${sqlLiteral(c.values[r], c.duck)} AS "${name}"`);
    selects.push(`SELECT ${r} AS __row, ${cells.join(', ')}`);
  }
  const names = Object.keys(columns).map((n) => `"${n}"`);
  return `SELECT ${names.join(', ')} FROM (${selects.join(' UNION ALL ')}) ORDER BY __row`;
}

/**
 * The SELECT that writes a Parquet file's rows as CSV: timestamps in ISO 8601 with the
 * precision of their unit (and a Z when adjusted to UTC), everything else as DuckDB writes it.
 */
async function csvSelect(connection, parquetPath) {
  const schema = await connection.runAndReadAll(`SELECT * FROM parquet_schema('${parquetPath}')`);
  const items = schema
    .getRowObjects()
    .filter((row) => row.type !== null)
    .map((row) => {
      const name = `"${String(row.name).replace(/"/g, '""')}"`;
      const timestamp = /^TimestampType\(isAdjustedToUTC=(\d)/.exec(String(row.logical_type ?? ''));
      if (!timestamp) return name;
      const unit = /MILLIS=MilliSeconds/.test(row.logical_type) ? '%g' : /NANOS=NanoSeconds/.test(row.logical_type) ? '%n' : '%f';
      return `strftime(${name}, '%Y-%m-%dT%H:%M:%S.${unit}${timestamp[1] === '1' ? 'Z' : ''}') AS ${name}`;
    });
  return `SELECT ${items.join(', ')} FROM read_parquet('${parquetPath}')`;
}

async function duckdbFixtures(connection) {
  await connection.run(`SET TimeZone = 'UTC'`);
  const all = [...Array(ROWS).keys()];
  const types = valuesQuery(COLUMNS, all);
  const file = (name) => join(OUT, name);
  // Every type, with no nulls, some, or all; one row group (DuckDB cuts row groups at 2,048-row vectors at the
  // least: the row-group fixture below has several).
  await connection.run(`COPY (${types}) TO '${file('duckdb-types.parquet')}' (FORMAT parquet, COMPRESSION snappy)`);
  for (const codec of ['gzip', 'zstd', 'uncompressed'])
    await connection.run(`COPY (${types}) TO '${file(`duckdb-${codec}.parquet`)}' (FORMAT parquet, COMPRESSION ${codec})`);
  // Several row groups: 5,000 rows (row i: id i % 100, level low/mid/high by i % 3, score (i % 100) / 4 or null when
  // i % 7 is 0) in groups of 2,048.
  await connection.run(
    `COPY (SELECT (i % 100)::INTEGER AS id, ['low','mid','high'][1 + i % 3] AS level, CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 100) / 4 END::DOUBLE AS score FROM range(5000) t(i))
     TO '${file('duckdb-rowgroups.parquet')}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048)`,
  );
  // Column names that are properties of every JavaScript object.
  await connection.run(
    `COPY (SELECT * FROM (VALUES (1, 'a', 1.5, true), (2, 'b', NULL, false), (3, NULL, 2.5, NULL)) t("__proto__", "constructor", "toString", "hasOwnProperty"))
     TO '${file('duckdb-names.parquet')}' (FORMAT parquet)`,
  );
  // Zero rows, two columns.
  await connection.run(`COPY (SELECT 1::INTEGER AS id, 'x' AS label WHERE false) TO '${file('duckdb-empty.parquet')}' (FORMAT parquet)`);
  // Nested columns: a list, and a struct.
  await connection.run(
    `COPY (SELECT 1 AS id, [1, 2, 3] AS tags UNION ALL SELECT 2, []) TO '${file('duckdb-list.parquet')}' (FORMAT parquet)`,
  );
  await connection.run(
    `COPY (SELECT 1 AS id, {'a': 1, 'b': 'x'} AS point UNION ALL SELECT 2, {'a': 2, 'b': NULL}) TO '${file('duckdb-struct.parquet')}' (FORMAT parquet)`,
  );
  // Binary without a type (DuckDB BLOB): one column of UTF-8 bytes, one that is not UTF-8.
  await connection.run(
    `COPY (SELECT 'abc'::BLOB AS text_blob, '\\xFF\\x00'::BLOB AS raw UNION ALL SELECT encode('d€f'), '\\x80'::BLOB) TO '${file('duckdb-blob.parquet')}' (FORMAT parquet)`,
  );
  // A data set in two files, for globs.
  await mkdir(file('parts'), { recursive: true });
  await connection.run(
    `COPY (SELECT i AS id, ['a','b'][1 + i % 2] AS label, i / 2 AS half FROM range(0, 6) t(i)) TO '${file('parts/part-0.parquet')}' (FORMAT parquet)`,
  );
  await connection.run(
    `COPY (SELECT i AS id, ['a','b'][1 + i % 2] AS label, i / 2 AS half FROM range(6, 10) t(i)) TO '${file('parts/part-1.parquet')}' (FORMAT parquet)`,
  );
}

/** An Arrow vector of a column of COLUMNS for the Rust writer. */
function arrowColumn(name, column) {
  const v = column.values;
  switch (column.duck) {
    case 'INTEGER':
      return vectorFromArray(v, new Int32());
    case 'BIGINT':
      return int64Vector(
        new Int64(),
        v.map((x) => (x === null ? null : BigInt(x))),
      );
    case 'FLOAT':
      return vectorFromArray(v, new Float32());
    case 'DOUBLE':
      return vectorFromArray(
        v.map((x) => (typeof x === 'string' ? Number(x) : x)),
        new Float64(),
      );
    case 'BOOLEAN':
      return vectorFromArray(v, new Bool());
    case 'VARCHAR':
      return vectorFromArray(v, new Utf8());
    case 'DATE':
      return vectorFromArray(
        v.map((x) => (x === null ? null : new Date(`${x}T00:00:00Z`))),
        new DateDay(),
      );
    case 'TIMESTAMP_MS':
      return vectorFromArray(
        v.map((x) => (x === null ? null : Date.parse(`${x.replace(' ', 'T')}Z`))),
        new TimestampMillisecond(),
      );
    case 'TIMESTAMP_NS': {
      const nanos = v.map((x) => {
        if (x === null) return null;
        const [whole, fraction] = x.split('.');
        return BigInt(Date.parse(`${whole.replace(' ', 'T')}Z`)) * 1000000n + BigInt(fraction.padEnd(9, '0'));
      });
      return int64Vector(new TimestampNanosecond(), nanos);
    }
    case 'TIMESTAMP':
    case 'TIMESTAMPTZ': {
      // Microseconds since the epoch, given as 64-bit integers (Arrow's builder would read numbers as milliseconds).
      const type = new TimestampMicrosecond(column.duck === 'TIMESTAMPTZ' ? 'UTC' : null);
      return int64Vector(
        type,
        v.map((x) => (x === null ? null : micro(x))),
      );
    }
    default:
      if (column.duck.startsWith('DECIMAL')) {
        const words = v.map((x) => (x === null ? null : decimalWords(x, column.scale)));
        return vectorFromArray(words, new Decimal(column.scale, column.precision, 128));
      }
      throw new Error(`no Arrow type for ${name} (${column.duck})`);
  }
}

/** Microseconds since the epoch of "YYYY-MM-DD HH:MM:SS.ffffff" (UTC). */
function micro(text) {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(Date.parse(`${whole.replace(' ', 'T')}Z`)) * 1000n + BigInt(fraction.padEnd(6, '0'));
}

/** A vector of a 64-bit type from bigints (null for missing), built from its buffers. */
function int64Vector(type, values) {
  const data = new BigInt64Array(values.length);
  const validity = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((x, i) => {
    if (x === null) nullCount++;
    else {
      data[i] = x;
      validity[i >> 3] |= 1 << (i & 7);
    }
  });
  return makeVector(makeData({ type, length: values.length, nullCount, nullBitmap: validity, data }));
}

/** A decimal's unscaled value as the four little-endian 32-bit words of a 128-bit integer. */
function decimalWords(text, scale) {
  const negative = text.startsWith('-');
  const [int, frac = ''] = text.replace('-', '').split('.');
  let unscaled = BigInt(int + frac.padEnd(scale, '0'));
  if (negative) unscaled = -unscaled;
  const words = new Uint32Array(4);
  let rest = BigInt.asUintN(128, unscaled);
  for (let i = 0; i < 4; i++) {
    words[i] = Number(rest & 0xffffffffn);
    rest >>= 32n;
  }
  return words;
}

function writeRust(table, { compression, rowGroupRows, version = 'V1', encodings = null }) {
  let builder = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression[compression])
    .setMaxRowGroupSize(rowGroupRows)
    .setWriterVersion(parquetWasm.WriterVersion[version])
    .setCreatedBy('parquet-rs (parquet-wasm), test fixture');
  if (encodings) {
    builder = builder.setDictionaryEnabled(false);
    for (const [column, encoding] of Object.entries(encodings)) builder = builder.setColumnEncoding(column, parquetWasm.Encoding[encoding]);
  }
  const wasmTable = parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream'));
  return parquetWasm.writeParquet(wasmTable, builder.build());
}

async function rustFixtures() {
  // Every column nullable except no_null, which the Rust writer then marks REQUIRED (no definition levels).
  const vectors = Object.entries(COLUMNS).map(([name, column]) => [name, arrowColumn(name, column)]);
  const schema = new Schema(vectors.map(([name, vector]) => new Field(name, vector.type, name !== 'no_null')));
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: ROWS, nullCount: 0, children: vectors.map(([, vector]) => vector.data[0]) }),
  );
  const table = new Table([batch]);
  // Row groups of 5 rows; dictionary encoding is on for every column by default.
  await writeFile(join(OUT, 'rust-types.parquet'), writeRust(table, { compression: 'SNAPPY', rowGroupRows: 5 }));
  for (const codec of ['GZIP', 'ZSTD', 'UNCOMPRESSED'])
    await writeFile(join(OUT, `rust-${codec.toLowerCase()}.parquet`), writeRust(table, { compression: codec, rowGroupRows: 5 }));
  // Data pages v2 (levels outside the compressed values).
  await writeFile(join(OUT, 'rust-v2.parquet'), writeRust(table, { compression: 'SNAPPY', rowGroupRows: 5, version: 'V2' }));
  // No dictionaries: delta and byte-stream-split encodings.
  const encodings = {
    i32: 'DELTA_BINARY_PACKED',
    i64: 'DELTA_BINARY_PACKED',
    no_null: 'DELTA_BINARY_PACKED',
    f32: 'BYTE_STREAM_SPLIT',
    f64: 'BYTE_STREAM_SPLIT',
    name: 'DELTA_BYTE_ARRAY',
    code: 'DELTA_BYTE_ARRAY',
    cat: 'DELTA_LENGTH_BYTE_ARRAY',
  };
  await writeFile(join(OUT, 'rust-delta.parquet'), writeRust(table, { compression: 'SNAPPY', rowGroupRows: 7, encodings }));
  // Nested: a list, and a struct.
  const id = vectorFromArray([1, 2], new Int32());
  const list = new Table({ id, tags: vectorFromArray([[1, 2], []], new List(new Field('item', new Int32(), true))) });
  await writeFile(join(OUT, 'rust-list.parquet'), writeRust(list, { compression: 'SNAPPY', rowGroupRows: 1024 }));
  const point = vectorFromArray(
    [
      { a: 1, b: 'x' },
      { a: 2, b: null },
    ],
    new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)]),
  );
  await writeFile(join(OUT, 'rust-struct.parquet'), writeRust(new Table({ id, point }), { compression: 'SNAPPY', rowGroupRows: 1024 }));
}

async function main() {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await duckdbFixtures(connection);
  await rustFixtures();
  // The CSV of the same rows, written by DuckDB from the Parquet files; both writers' files give the same CSV.
  const csv = async (parquet, out) =>
    connection.run(`COPY (${await csvSelect(connection, join(OUT, parquet))}) TO '${join(OUT, out)}' (FORMAT csv, HEADER)`);
  await csv('duckdb-types.parquet', 'types.csv');
  await csv('duckdb-names.parquet', 'names.csv');
  await csv('rust-types.parquet', 'rust-types.csv');
  const same = (await readFile(join(OUT, 'types.csv'), 'utf8')) === (await readFile(join(OUT, 'rust-types.csv'), 'utf8'));
  await rm(join(OUT, 'rust-types.csv'));
  if (!same) throw new Error("DuckDB reads different values from the two writers' files: compare their CSV exports");
  const values = Object.fromEntries(Object.entries(COLUMNS).map(([name, c]) => [name, { type: c.duck, values: c.values }]));
  const json = join(OUT, 'values.json');
  const options = { ...(await prettier.resolveConfig(json)), parser: 'json' };
  await writeFile(json, await prettier.format(JSON.stringify({ rows: ROWS, columns: values }), options));
  connection.closeSync();
  const files = (await readdir(OUT, { recursive: true })).filter((f) => f.endsWith('.parquet')).sort();
  console.log(`wrote ${files.length} Parquet files to ${OUT}`);
}

await main();
