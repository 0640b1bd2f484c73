import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '../src/core/errors.js';
import { columnTotal } from '../src/core/profile/profile.js';
import type { ColumnProfileState } from '../src/core/profile/profile.js';
import { summarizeColumn } from '../src/core/profile/summary.js';
import { parseSchema } from '../src/core/schema/schema.js';
import { ANOMALY_KINDS } from '../src/core/validate/anomalies.js';
import type { Anomaly, AnomalyKind } from '../src/core/validate/anomalies.js';
import { firstRecordEnd, scanData } from '../src/core/validate/scan.js';
import type { ScanOptions, ScanResult } from '../src/core/validate/scan.js';

let dir: string;
let fileCounter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scan-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a data file (text or bytes) under a fresh sub-name and returns its path. */
async function dataFile(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, `${++fileCounter}-${name}`);
  await writeFile(path, content);
  return path;
}

const csvOf = (lines: string[]): string => `${lines.join('\n')}\n`;

function scan(files: string[], schemaYaml?: string, options: ScanOptions = {}): Promise<ScanResult> {
  return scanData(files, { threads: 0, schema: schemaYaml === undefined ? null : parseSchema(schemaYaml, 'schema.yaml'), ...options });
}

function ofKind(result: ScanResult, kind: AnomalyKind): Anomaly[] {
  return result.anomalies.filter((a) => a.kind === kind);
}

/** The single anomaly of `kind` (fails when there are none or several). */
function one(result: ScanResult, kind: AnomalyKind, column?: string): Anomaly {
  const found = ofKind(result, kind).filter((a) => column === undefined || a.column === column);
  expect(found.map((a) => `${a.kind}:${a.column ?? ''}`)).toEqual([`${kind}:${column ?? found[0]?.column ?? ''}`]);
  return found[0]!;
}

function column(result: ScanResult, name: string): ColumnProfileState {
  const found = result.profile.columns.find((c) => c.name === name);
  expect(found).toBeDefined();
  return found!;
}

const sampleRows = (a: Anomaly) => a.samples.map((s) => ({ row: s.row, line: s.line, value: s.value }));

describe('empty_file', () => {
  test('a zero-byte file', async () => {
    const file = await dataFile('empty.csv', '');
    const result = await scan([file], 'columns:\n  a:\n    type: integer\n');
    const a = one(result, 'empty_file');
    expect(a).toMatchObject({ severity: 'error', file });
    expect(result.rows).toBe(0);
    expect(result.profile.columns).toEqual([]);
    // Nothing to say about columns of a file with no header.
    expect(ofKind(result, 'missing_column')).toEqual([]);
  });

  test('a header and no rows', async () => {
    const file = await dataFile('header.csv', 'a,b\n');
    const result = await scan([file], 'columns:\n  a:\n    type: integer\n  b:\n    type: string\n');
    expect(one(result, 'empty_file')).toMatchObject({ severity: 'error', file });
    expect(result.rows).toBe(0);
    expect(result.anomalies).toHaveLength(1);
  });

  test('only blank lines', async () => {
    const file = await dataFile('blank.csv', '\n\r\n\n');
    const result = await scan([file]);
    expect(one(result, 'empty_file')).toMatchObject({ severity: 'error', file });
  });

  test('an empty JSON Lines file', async () => {
    const file = await dataFile('empty.jsonl', '\n\n');
    const result = await scan([file], 'columns:\n  a:\n    type: integer\n');
    expect(one(result, 'empty_file')).toMatchObject({ severity: 'error', file });
    expect(result.rows).toBe(0);
  });
});

describe('malformed_row', () => {
  test('ragged rows: too few and too many fields', async () => {
    const file = await dataFile('ragged.csv', csvOf(['a,b,c', '1,2,3', '4,5', '6,7,8,9', '10,11,12']));
    const result = await scan([file]);
    const a = one(result, 'malformed_row');
    expect(a).toMatchObject({ severity: 'error', file, unexpectedCount: 2 });
    expect(a.samples.map((s) => [s.file, s.row, s.line])).toEqual([
      [file, 2, 3],
      [file, 3, 4],
    ]);
    expect(a.samples[0]!.value).toContain('2 fields where the header has 3');
    expect(a.samples[1]!.value).toContain('4 fields where the header has 3');
    expect(result.rows).toBe(4);
    // The short row leaves c empty: a null.
    expect(column(result, 'c').counts).toMatchObject({ integer: 3, null: 1 });
    expect(columnTotal(column(result, 'a'))).toBe(4);
  });

  test('bad quoting', async () => {
    const file = await dataFile('quotes.csv', csvOf(['a,b', '"ok",1', '"x"y,2', '3,"never closed']));
    const result = await scan([file]);
    const a = one(result, 'malformed_row');
    expect(a.unexpectedCount).toBe(2);
    expect(a.samples.map((s) => s.row)).toEqual([2, 3]);
    expect(a.samples.map((s) => s.line)).toEqual([3, 4]);
    expect(a.samples[0]!.value).toContain('bad quoting');
  });

  test('bad JSON lines and lines that are not objects', async () => {
    const file = await dataFile('bad.jsonl', ['{"a": 1}', '', '{"a": 2, "b": ', '[1, 2]', '"text"', 'null', '{"a": 3}'].join('\n') + '\n');
    const result = await scan([file]);
    const a = one(result, 'malformed_row');
    expect(a).toMatchObject({ severity: 'error', file, unexpectedCount: 4 });
    // Rows count non-blank lines; the blank line 2 is skipped but counted in line numbers.
    expect(a.samples.map((s) => [s.row, s.line])).toEqual([
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ]);
    expect(a.samples[0]!.value).toMatch(/not JSON/);
    expect(a.samples[1]!.value).toMatch(/not a JSON object/);
    expect(result.rows).toBe(6);
    // Malformed rows lack the key: nulls for them.
    expect(column(result, 'a').counts).toMatchObject({ integer: 2, null: 4 });
  });
});

describe('duplicate_header', () => {
  test('a repeated name is reported and renamed; an empty name gets a position name', async () => {
    const file = await dataFile('dup.csv', csvOf(['a,b,a,', '1,x,3,4', '2,y,5,6']));
    const result = await scan([file]);
    const a = one(result, 'duplicate_header');
    expect(a).toMatchObject({ severity: 'error', column: 'a', file });
    expect(a.message).toContain('position 3');
    expect(result.profile.columns.map((c) => c.name)).toEqual(['a', 'b', 'a (column 3)', '(column 4)']);
    expect(column(result, 'a (column 3)').numeric).toMatchObject({ min: 3, max: 5 });
    expect(column(result, 'a').numeric).toMatchObject({ min: 1, max: 2 });
  });
});

describe('missing_column and unexpected_column', () => {
  const schema = (extra = '') =>
    [
      'columns:',
      '  id:',
      '    type: integer',
      '  name:',
      '    type: string',
      '  opt:',
      '    type: string',
      '    required: false',
      '  soft:',
      '    type: string',
      '    severity: warning',
      extra,
    ].join('\n');

  test('a schema column absent from the file', async () => {
    const file = await dataFile('cols.csv', csvOf(['id', '1', '2']));
    const result = await scan([file], schema());
    expect(one(result, 'missing_column', 'name')).toMatchObject({ severity: 'error', file });
    // Per-column severity applies; required: false is not reported.
    expect(one(result, 'missing_column', 'soft')).toMatchObject({ severity: 'warning', file });
    expect(
      ofKind(result, 'missing_column')
        .map((a) => a.column)
        .sort(),
    ).toEqual(['name', 'soft']);
  });

  test('a column the schema lacks is a warning by default', async () => {
    const file = await dataFile('extra.csv', csvOf(['id,name,soft,extra', '1,a,b,c']));
    const result = await scan([file], schema());
    expect(one(result, 'unexpected_column')).toMatchObject({ severity: 'warning', column: 'extra', file });
    expect(result.anomalies).toHaveLength(1);
  });

  test.each<[string, 'error' | 'warning' | null]>([
    ['error', 'error'],
    ['warning', 'warning'],
    ['ignore', null],
  ])('dataset.unexpected_columns: %s', async (policy, severity) => {
    const file = await dataFile('extra.csv', csvOf(['id,name,soft,extra', '1,a,b,c']));
    const result = await scan([file], `dataset:\n  unexpected_columns: ${policy}\n${schema()}`);
    const found = ofKind(result, 'unexpected_column');
    if (severity === null) expect(found).toEqual([]);
    else expect(found.map((a) => [a.column, a.severity])).toEqual([['extra', severity]]);
  });

  test('JSON Lines: keys are the columns', async () => {
    const file = await dataFile('cols.jsonl', '{"id": 1, "extra": true}\n{"id": 2}\n');
    const result = await scan([file], schema());
    expect(one(result, 'missing_column', 'name')).toMatchObject({ severity: 'error' });
    expect(one(result, 'unexpected_column')).toMatchObject({ column: 'extra', severity: 'warning' });
  });
});

describe('value checks', () => {
  test('wrong_type keeps the bad values as samples', async () => {
    const file = await dataFile('types.csv', csvOf(['n', '1', 'x', '2.5', '3', 'true', '', '4']));
    const result = await scan([file], 'columns:\n  n:\n    type: integer\n');
    const a = one(result, 'wrong_type', 'n');
    expect(a).toMatchObject({ severity: 'error', unexpectedCount: 3, checked: 6, unexpectedFraction: 0.5, mostly: 1 });
    expect(sampleRows(a)).toEqual([
      { row: 2, line: 3, value: 'x' },
      { row: 3, line: 4, value: '2.5' },
      { row: 5, line: 6, value: 'true' },
    ]);
    expect(a.samples.every((s) => s.file === file)).toBe(true);
    expect(result.anomalies).toHaveLength(1);
  });

  test.each<[string, string[], string[]]>([
    ['number', ['1', '2.5', '-1e3', 'x', 'true'], ['x', 'true']],
    ['boolean', ['true', 'False', '1', 'yes', 'TRUE'], ['1', 'yes']],
    ['datetime', ['2024-01-01', '2024-01-01T10:00:00Z', '5', 'tomorrow', '2024-02-03'], ['5', 'tomorrow']],
  ])('wrong_type for a %s column', async (type, values, bad) => {
    const file = await dataFile('types.csv', csvOf(['v', ...values]));
    const result = await scan([file], `columns:\n  v:\n    type: ${type}\n`);
    const a = one(result, 'wrong_type', 'v');
    expect(a.unexpectedCount).toBe(bad.length);
    expect(a.checked).toBe(values.length);
    expect(a.samples.map((s) => s.value)).toEqual(bad);
  });

  test('a string column accepts every kind of value', async () => {
    const file = await dataFile('strings.csv', csvOf(['s', '1', 'true', '2024-01-01', 'x', '1.5']));
    const result = await scan([file], 'columns:\n  s:\n    type: string\n');
    expect(result.anomalies).toEqual([]);
  });

  test('too_many_nulls with nullable: false', async () => {
    const file = await dataFile('nulls.csv', csvOf(['id,v', '1,a', '2,', '3,NA', '4,b', '5,c']));
    const result = await scan([file], 'columns:\n  id:\n    type: integer\n  v:\n    type: string\n    nullable: false\n');
    const a = one(result, 'too_many_nulls', 'v');
    expect(a).toMatchObject({ severity: 'error', unexpectedCount: 2, checked: 5, unexpectedFraction: 0.4 });
    expect(sampleRows(a)).toEqual([
      { row: 2, line: 3, value: '(null)' },
      { row: 3, line: 4, value: '(null)' },
    ]);
  });

  test('too_many_nulls with max_null_fraction: above fails, at the limit passes', async () => {
    // One column: an empty line would be a blank line (skipped), so nulls are written NA.
    const file = await dataFile('nulls.csv', csvOf(['v', '1', 'NA', '3', 'NA', '5']));
    const over = await scan([file], 'columns:\n  v:\n    type: integer\n    max_null_fraction: 0.2\n');
    expect(one(over, 'too_many_nulls', 'v')).toMatchObject({ unexpectedCount: 2, checked: 5 });
    const at = await scan([file], 'columns:\n  v:\n    type: integer\n    max_null_fraction: 0.4\n');
    expect(at.anomalies).toEqual([]);
    const warn = await scan([file], 'columns:\n  v:\n    type: integer\n    max_null_fraction: {value: 0.1, severity: warning}\n');
    expect(one(warn, 'too_many_nulls', 'v').severity).toBe('warning');
  });

  test('nulls are allowed when nothing is said', async () => {
    const file = await dataFile('nulls.csv', csvOf(['v', 'NA', 'NA', '3']));
    expect((await scan([file], 'columns:\n  v:\n    type: integer\n')).anomalies).toEqual([]);
  });

  test('below_min and above_max', async () => {
    const file = await dataFile('range.csv', csvOf(['v', '-5', '0', '50', '100', '101', '200', 'abc', 'NA']));
    const result = await scan([file], 'columns:\n  v:\n    type: integer\n    min: 0\n    max: 100\n');
    const below = one(result, 'below_min', 'v');
    // Values checked against bounds: the 6 integers (the wrong-typed "abc" and the null are not).
    expect(below).toMatchObject({ severity: 'error', unexpectedCount: 1, checked: 6 });
    expect(sampleRows(below)).toEqual([{ row: 1, line: 2, value: '-5' }]);
    const above = one(result, 'above_max', 'v');
    expect(above).toMatchObject({ unexpectedCount: 2, checked: 6 });
    expect(above.samples.map((s) => s.value)).toEqual(['101', '200']);
    expect(one(result, 'wrong_type', 'v').unexpectedCount).toBe(1);
  });

  test('datetime bounds', async () => {
    const file = await dataFile('dates.csv', csvOf(['d', '2023-12-31', '2024-01-01', '2024-06-30T12:00:00Z', '2025-01-01T00:00:00Z']));
    const result = await scan([file], "columns:\n  d:\n    type: datetime\n    min: '2024-01-01'\n    max: '2024-12-31T23:59:59Z'\n");
    expect(one(result, 'below_min', 'd').samples.map((s) => s.value)).toEqual(['2023-12-31']);
    expect(one(result, 'above_max', 'd').samples.map((s) => s.value)).toEqual(['2025-01-01T00:00:00Z']);
  });

  test('datetime bounds written as plain YAML dates (unquoted) work the same', async () => {
    const file = await dataFile('dates.csv', csvOf(['d', '2023-12-31', '2024-01-01']));
    const result = await scan([file], 'columns:\n  d:\n    type: datetime\n    min: 2024-01-01\n');
    expect(one(result, 'below_min', 'd').samples.map((s) => s.value)).toEqual(['2023-12-31']);
  });

  test('a bound that does not fit the type is a UserError naming the key', async () => {
    const file = await dataFile('range.csv', csvOf(['v', '1']));
    await expect(scan([file], "columns:\n  v:\n    type: integer\n    min: 'zero'\n")).rejects.toThrow(/columns\.v\.min/);
    await expect(scan([file], "columns:\n  v:\n    type: integer\n    min: 'zero'\n")).rejects.toBeInstanceOf(UserError);
  });

  test('not_in_domain', async () => {
    const file = await dataFile('domain.csv', csvOf(['s', 'a', 'b', 'c', 'NA', 'd', 'a', '"a "']));
    const result = await scan([file], 'columns:\n  s:\n    type: string\n    domain: [a, b]\n');
    const a = one(result, 'not_in_domain', 's');
    expect(a).toMatchObject({ severity: 'error', unexpectedCount: 3, checked: 6 });
    expect(sampleRows(a)).toEqual([
      { row: 3, line: 4, value: 'c' },
      { row: 5, line: 6, value: 'd' },
      { row: 7, line: 8, value: 'a ' },
    ]);
  });

  test('nan', async () => {
    const file = await dataFile('nan.csv', csvOf(['x', '1', 'NaN', '2.5', 'nan', '3']));
    const result = await scan([file], 'columns:\n  x:\n    type: number\n');
    const a = one(result, 'nan', 'x');
    expect(a).toMatchObject({ severity: 'error', unexpectedCount: 2, checked: 5 });
    expect(a.samples.map((s) => [s.row, s.value])).toEqual([
      [2, 'NaN'],
      [4, 'nan'],
    ]);
    const allowed = await scan([file], 'columns:\n  x:\n    type: number\n    allow_nan: true\n');
    expect(allowed.anomalies).toEqual([]);
  });

  test('infinity', async () => {
    const file = await dataFile('inf.csv', csvOf(['x', '1', 'inf', '-Infinity', '1e999', '2']));
    const result = await scan([file], 'columns:\n  x:\n    type: number\n    max: 10\n');
    const a = one(result, 'infinity', 'x');
    expect(a).toMatchObject({ severity: 'error', unexpectedCount: 3, checked: 5 });
    expect(a.samples.map((s) => s.value)).toEqual(['inf', '-Infinity', '1e999']);
    // Infinities are not also counted as above the maximum.
    expect(ofKind(result, 'above_max')).toEqual([]);
    const allowed = await scan([file], 'columns:\n  x:\n    type: number\n    allow_infinity: true\n');
    expect(allowed.anomalies).toEqual([]);
  });

  test('duplicate_value in a unique column', async () => {
    const file = await dataFile('unique.csv', csvOf(['id', '10', '20', '10', '30', '20', '10', 'NA']));
    const result = await scan([file], 'columns:\n  id:\n    type: integer\n    unique: true\n');
    const a = one(result, 'duplicate_value', 'id');
    expect(a).toMatchObject({ severity: 'error', unexpectedCount: 3, checked: 6 });
    expect(a.samples.map((s) => s.row)).toEqual([3, 5, 6]);
    expect(a.samples[0]!.value).toContain('10');
    expect(a.samples[0]!.value).toContain('row 1');
    expect(a.samples[1]!.value).toContain('row 2');
  });

  test('too_few_rows and too_many_rows', async () => {
    const file = await dataFile('rows.csv', csvOf(['x', '1', '2', '3']));
    const few = await scan([file], 'dataset:\n  min_rows: 4\ncolumns:\n  x:\n    type: integer\n');
    const a = one(few, 'too_few_rows');
    expect(a.severity).toBe('error');
    expect(a.column).toBeUndefined();
    expect(a.message).toContain('3');
    const many = await scan([file], 'dataset:\n  max_rows: 2\ncolumns:\n  x:\n    type: integer\n');
    expect(one(many, 'too_many_rows').severity).toBe('error');
    const fits = await scan([file], 'dataset:\n  min_rows: 3\n  max_rows: 3\ncolumns:\n  x:\n    type: integer\n');
    expect(fits.anomalies).toEqual([]);
  });

  test('every anomaly kind but unreadable_file is exercised above', () => {
    // A guard: a new kind in anomalies.ts should get a test here.
    expect(Object.keys(ANOMALY_KINDS).sort()).toEqual(
      [
        'above_max',
        'below_min',
        'duplicate_header',
        'duplicate_value',
        'empty_file',
        'infinity',
        'malformed_row',
        'missing_column',
        'nan',
        'not_in_domain',
        'too_few_rows',
        'too_many_nulls',
        'too_many_rows',
        'unexpected_column',
        'unreadable_file',
        'wrong_type',
      ].sort(),
    );
  });
});

describe('mostly and severity', () => {
  // 10 values; 1 or 3 below the minimum of 0.
  const values = (bad: number) => ['x', ...Array.from({ length: 10 }, (_, i) => (i < bad ? String(-1 - i) : String(i)))];

  test('mostly lets a check pass when enough values pass', async () => {
    const file = await dataFile('mostly.csv', csvOf(values(1)));
    const result = await scan([file], 'columns:\n  x:\n    type: integer\n    min: {value: 0, mostly: 0.9}\n');
    expect(result.anomalies).toEqual([]);
  });

  test('mostly fails the check when too few pass', async () => {
    const file = await dataFile('mostly.csv', csvOf(values(3)));
    const result = await scan([file], 'columns:\n  x:\n    type: integer\n    min: {value: 0, mostly: 0.9}\n');
    const a = one(result, 'below_min', 'x');
    expect(a).toMatchObject({ unexpectedCount: 3, checked: 10, mostly: 0.9, severity: 'error' });
    expect(a.unexpectedFraction).toBeCloseTo(0.3, 12);
  });

  test('a column-level mostly applies to its checks', async () => {
    const file = await dataFile('mostly.csv', csvOf(values(3)));
    expect((await scan([file], 'columns:\n  x:\n    type: integer\n    mostly: 0.7\n    min: 0\n')).anomalies).toEqual([]);
    expect(one(await scan([file], 'columns:\n  x:\n    type: integer\n    mostly: 0.71\n    min: 0\n'), 'below_min').mostly).toBe(0.71);
  });

  test('per-check severity warning, and column severity', async () => {
    const file = await dataFile('sev.csv', csvOf(values(3)));
    const result = await scan([file], 'columns:\n  x:\n    type: integer\n    min: {value: 0, severity: warning}\n    max: 5\n');
    expect(one(result, 'below_min', 'x').severity).toBe('warning');
    expect(one(result, 'above_max', 'x').severity).toBe('error');
    // Errors come before warnings.
    expect(result.anomalies.map((a) => a.severity)).toEqual(['error', 'warning']);
    const columnLevel = await scan([file], 'columns:\n  x:\n    type: integer\n    severity: warning\n    min: 0\n');
    expect(one(columnLevel, 'below_min', 'x').severity).toBe('warning');
  });
});

describe('formats', () => {
  const header = ['id', 'name', 'score', 'ok', 'when', 'note'];
  const rows: Array<Array<string | number | boolean | null>> = [
    [1, 'Ann', 3.5, true, '2024-01-01', 'a, b'],
    [2, 'Bob', -1.25, false, '2024-01-02T10:00:00Z', null],
    [3, null, 1e-3, true, null, 'x'],
    [-4, 'Cy', 100, null, '2024-03-04', 'y'],
  ];
  const delimited = (sep: string) =>
    [
      header.join(sep),
      ...rows.map((r) =>
        r.map((v) => (v === null ? '' : typeof v === 'string' && v.includes(',') && sep === ',' ? `"${v}"` : String(v))).join(sep),
      ),
    ].join('\n') + '\n';
  const jsonl = rows.map((r) => JSON.stringify(Object.fromEntries(header.map((h, i) => [h, r[i]])))).join('\n') + '\n';

  test('CSV, TSV, JSON Lines and gzip-compressed CSV give the same profile counts', async () => {
    const files = {
      csv: await dataFile('data.csv', delimited(',')),
      tsv: await dataFile('data.tsv', delimited('\t')),
      jsonl: await dataFile('data.jsonl', jsonl),
      gz: await dataFile('data.csv.gz', gzipSync(delimited(','))),
    };
    const expected = {
      id: { null: 0, integer: 4, number: 0, nan: 0, infinity: 0, boolean: 0, datetime: 0, string: 0 },
      name: { null: 1, integer: 0, number: 0, nan: 0, infinity: 0, boolean: 0, datetime: 0, string: 3 },
      score: { null: 0, integer: 1, number: 3, nan: 0, infinity: 0, boolean: 0, datetime: 0, string: 0 },
      ok: { null: 1, integer: 0, number: 0, nan: 0, infinity: 0, boolean: 3, datetime: 0, string: 0 },
      when: { null: 1, integer: 0, number: 0, nan: 0, infinity: 0, boolean: 0, datetime: 3, string: 0 },
      note: { null: 1, integer: 0, number: 0, nan: 0, infinity: 0, boolean: 0, datetime: 0, string: 3 },
    };
    for (const [format, file] of Object.entries(files)) {
      const result = await scan([file]);
      expect({ format, rows: result.rows }).toEqual({ format, rows: 4 });
      expect({ format, names: result.profile.columns.map((c) => c.name) }).toEqual({ format, names: header });
      const counts = Object.fromEntries(result.profile.columns.map((c) => [c.name, c.counts]));
      expect({ format, counts }).toEqual({ format, counts: expected });
      const score = summarizeColumn(column(result, 'score'));
      expect({ format, min: score.min, max: score.max }).toEqual({ format, min: -1.25, max: 100 });
      expect(score.mean).toBeCloseTo((3.5 - 1.25 + 0.001 + 100) / 4, 12);
      const note = summarizeColumn(column(result, 'note'));
      expect({ format, top: note.top.map((t) => t.value).sort() }).toEqual({ format, top: ['a, b', 'x', 'y'] });
      expect({ format, anomalies: result.anomalies }).toEqual({ format, anomalies: [] });
    }
    // bytes counts decompressed data.
    expect((await scan([files.gz])).bytes).toBe(Buffer.byteLength(delimited(',')));
  });

  test('other extensions: .tab is TSV, .ndjson is JSON Lines; CRLF JSON Lines', async () => {
    const tab = await scan([await dataFile('data.tab', 'a\tb\n1\t2\n')]);
    expect(tab.profile.columns.map((c) => c.name)).toEqual(['a', 'b']);
    const nd = await scan([await dataFile('data.ndjson', '{"a": 1}\r\n{"a": 2}\r\n')]);
    expect(nd.rows).toBe(2);
    expect(nd.anomalies).toEqual([]);
    expect(column(nd, 'a').numeric).toMatchObject({ min: 1, max: 2 });
  });

  test('gzip is detected from the content, not the name', async () => {
    const file = await dataFile('plain-name.csv', gzipSync('a\n1\n2\n'));
    const result = await scan([file]);
    expect(result.rows).toBe(2);
    expect(column(result, 'a').numeric).toMatchObject({ min: 1, max: 2 });
  });

  test('the format option overrides the file name', async () => {
    const file = await dataFile('data.txt', 'a\tb\n1\t2\n');
    await expect(scan([file])).rejects.toBeInstanceOf(UserError);
    const result = await scan([file], undefined, { format: 'tsv' });
    expect(result.profile.columns.map((c) => c.name)).toEqual(['a', 'b']);
  });

  test('a truncated gzip file is a UserError naming the path', async () => {
    const whole = gzipSync('a,b\n' + '1,2\n'.repeat(10_000));
    const file = await dataFile('cut.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(scan([file])).rejects.toBeInstanceOf(UserError);
    await expect(scan([file])).rejects.toThrow(file);
  });

  test('a UTF-8 BOM is stripped from the first header name (CSV, gzip CSV, JSON Lines)', async () => {
    const bom = '\ufeff';
    const schema = 'columns:\n  id:\n    type: integer\n  v:\n    type: string\n';
    for (const [name, content] of [
      ['bom.csv', `${bom}id,v\n1,a\n`],
      ['bom.csv.gz', gzipSync(`${bom}id,v\n1,a\n`)],
      ['bom.jsonl', `${bom}{"id": 1, "v": "a"}\n`],
    ] as const) {
      const file = await dataFile(name, content);
      const result = await scan([file], schema);
      expect({ name, columns: result.profile.columns.map((c) => c.name) }).toEqual({ name, columns: ['id', 'v'] });
      expect({ name, anomalies: result.anomalies }).toEqual({ name, anomalies: [] });
    }
  });

  test('CRLF files and quoted line breaks give file line numbers', async () => {
    const file = await dataFile('crlf.csv', 'a,b\r\n1,"two\r\nlines"\r\nx,3\r\n4,5\r\n');
    const result = await scan([file], 'columns:\n  a:\n    type: integer\n  b:\n    type: string\n');
    const a = one(result, 'wrong_type', 'a');
    expect(sampleRows(a)).toEqual([{ row: 2, line: 4, value: 'x' }]);
    expect(summarizeColumn(column(result, 'b')).top.map((t) => t.value)).toContain('two\r\nlines');
  });

  test('quoted values with doubled quotes reach checks decoded', async () => {
    const file = await dataFile('q.csv', csvOf(['s', '"say ""hi"""', 'plain']));
    const result = await scan([file], "columns:\n  s:\n    type: string\n    domain: ['plain']\n");
    expect(one(result, 'not_in_domain', 's').samples.map((s) => s.value)).toEqual(['say "hi"']);
  });
});

describe('several files', () => {
  test('rows and nulls add up; samples name their file; rows are numbered per file', async () => {
    const a = await dataFile('part-a.csv', csvOf(['id,v', '1,x', '2,', '3,bad']));
    const b = await dataFile('part-b.csv', csvOf(['id,v', '4,', '5,bad', '6,y']));
    const result = await scan([a, b], 'columns:\n  id:\n    type: integer\n    unique: true\n  v:\n    type: string\n    domain: [x, y]\n');
    expect(result.rows).toBe(6);
    expect(result.profile.rows).toBe(6);
    expect(result.profile.files).toEqual([a, b]);
    expect(column(result, 'v').counts).toMatchObject({ null: 2, string: 4 });
    expect(column(result, 'id').counts.integer).toBe(6);
    const domain = one(result, 'not_in_domain', 'v');
    expect(domain.samples.map((s) => [s.file, s.row, s.line])).toEqual([
      [a, 3, 4],
      [b, 2, 3],
    ]);
    expect(ofKind(result, 'duplicate_value')).toEqual([]);
  });

  test('files with the same columns in a different order are matched by name', async () => {
    const a = await dataFile('o-a.csv', csvOf(['id,name', '1,x']));
    const b = await dataFile('o-b.csv', csvOf(['name,id', 'y,2']));
    const result = await scan([a, b], 'columns:\n  id:\n    type: integer\n  name:\n    type: string\n');
    expect(result.anomalies).toEqual([]);
    expect(column(result, 'id').numeric).toMatchObject({ count: 2, min: 1, max: 2 });
    expect(column(result, 'name').counts.string).toBe(2);
  });

  test('a duplicate across files names the first file and row', async () => {
    const a = await dataFile('u-a.csv', csvOf(['id', '1', '2']));
    const b = await dataFile('u-b.csv', csvOf(['id', '3', '2']));
    const result = await scan([a, b], 'columns:\n  id:\n    type: integer\n    unique: true\n');
    const dup = one(result, 'duplicate_value', 'id');
    expect(dup.samples).toHaveLength(1);
    expect(dup.samples[0]).toMatchObject({ file: b, row: 2, line: 3 });
    expect(dup.samples[0]!.value).toContain(`row 2 of ${a}`);
  });

  test('per-file anomalies name each file', async () => {
    const a = await dataFile('m-a.csv', csvOf(['id,v', '1,x']));
    const b = await dataFile('m-b.csv', csvOf(['id', '2']));
    const result = await scan([a, b], 'columns:\n  id:\n    type: integer\n  v:\n    type: string\n');
    expect(ofKind(result, 'missing_column').map((m) => [m.column, m.file])).toEqual([['v', b]]);
  });

  test('a column absent from one CSV file counts as null for that file rows', async () => {
    // As mergeProfiles does for shards: the column was not there, so its value is missing.
    const a = await dataFile('n-a.csv', csvOf(['id,v', '1,x', '2,y']));
    const b = await dataFile('n-b.csv', csvOf(['id', '3', '4', '5']));
    const result = await scan([a, b]);
    expect(result.rows).toBe(5);
    const v = column(result, 'v');
    expect(columnTotal(v)).toBe(5);
    expect(v.counts).toMatchObject({ string: 2, null: 3 });
  });

  test('JSON Lines: the same rows in one file or split in two give the same null counts', async () => {
    const lines = ['{"id": 1, "v": "x"}', '{"id": 2, "v": "y"}', '{"id": 3}', '{"id": 4}'];
    const whole = await scan([await dataFile('w.jsonl', lines.join('\n'))]);
    const split = await scan([
      await dataFile('s1.jsonl', lines.slice(0, 2).join('\n')),
      await dataFile('s2.jsonl', lines.slice(2).join('\n')),
    ]);
    expect(column(whole, 'v').counts).toMatchObject({ string: 2, null: 2 });
    expect(column(split, 'v').counts).toEqual(column(whole, 'v').counts);
  });

  test('a missing file is a UserError naming the path', async () => {
    const missing = join(dir, 'does-not-exist.csv');
    const ok = await dataFile('ok.csv', csvOf(['a', '1']));
    await expect(scan([ok, missing])).rejects.toBeInstanceOf(UserError);
    await expect(scan([ok, missing])).rejects.toThrow(missing);
  });

  test('no files at all is a UserError', async () => {
    await expect(scan([])).rejects.toBeInstanceOf(UserError);
  });
});

describe('JSON Lines values', () => {
  test('keys absent from some rows are nulls for those rows', async () => {
    const file = await dataFile('absent.jsonl', '{"a": 1, "b": "x"}\n{"a": 2}\n{"a": 3, "b": null}\n{"a": 4}\n');
    const result = await scan([file], 'columns:\n  a:\n    type: integer\n  b:\n    type: string\n    nullable: false\n');
    expect(column(result, 'b').counts).toMatchObject({ string: 1, null: 3 });
    const a = one(result, 'too_many_nulls', 'b');
    expect(a).toMatchObject({ unexpectedCount: 3, checked: 4 });
  });

  test('samples of rows lacking a key point at real rows (1-based) and lines', async () => {
    const file = await dataFile('absent.jsonl', '{"a": 1, "b": "x"}\n{"a": 2}\n{"a": 3, "b": "y"}\n{"a": 4}\n');
    const result = await scan([file], 'columns:\n  a:\n    type: integer\n  b:\n    type: string\n    nullable: false\n');
    const a = one(result, 'too_many_nulls', 'b');
    expect(a.samples.map((s) => [s.row, s.line])).toEqual([
      [2, 2],
      [4, 4],
    ]);
  });

  test('types from JSON: numbers, booleans, strings stay strings, nested values are strings', async () => {
    const file = await dataFile('types.jsonl', '{"n": 1, "f": 1.5, "b": true, "s": "12", "d": "2024-01-01", "o": {"k": 1}, "z": "NA"}\n');
    const result = await scan([file]);
    const kinds = Object.fromEntries(result.profile.columns.map((c) => [c.name, Object.entries(c.counts).find(([, n]) => n > 0)![0]]));
    expect(kinds).toEqual({ n: 'integer', f: 'number', b: 'boolean', s: 'string', d: 'datetime', o: 'string', z: 'null' });
  });

  test('a JSON number too large for a double (1e999) counts as infinity, as in CSV', async () => {
    const schema = 'columns:\n  x:\n    type: number\n';
    const jsonl = await scan([await dataFile('big.jsonl', '{"x": 1}\n{"x": 1e999}\n{"x": 2}\n')], schema);
    const csv = await scan([await dataFile('big.csv', 'x\n1\n1e999\n2\n')], schema);
    expect(column(csv, 'x').counts.infinity).toBe(1);
    expect(column(jsonl, 'x').counts).toEqual(column(csv, 'x').counts);
    expect(summarizeColumn(column(jsonl, 'x'))).toMatchObject({ mean: 1.5, max: 2 });
    expect(one(jsonl, 'infinity', 'x').unexpectedCount).toBe(1);
  });
});

describe('NaN and infinities never abort', () => {
  test('a column of only NaN and infinities profiles and validates', async () => {
    const file = await dataFile('odd.csv', csvOf(['x,y', 'NaN,1', 'inf,2', '-inf,3', '1e999,4', '-1e999,5', 'nan,6']));
    const result = await scan([file], 'columns:\n  x:\n    type: number\n    min: 0\n    max: 1\n  y:\n    type: integer\n');
    const x = column(result, 'x');
    expect(x.counts).toMatchObject({ nan: 2, infinity: 4 });
    expect(x.numeric).toBeNull();
    const summary = summarizeColumn(x);
    expect(summary).toMatchObject({ type: 'number', nan: 2, infinity: 4, mean: null });
    expect(one(result, 'nan', 'x').unexpectedCount).toBe(2);
    expect(one(result, 'infinity', 'x').unexpectedCount).toBe(4);
    expect(ofKind(result, 'below_min')).toEqual([]);
    expect(ofKind(result, 'above_max')).toEqual([]);
  });

  test('NaN and infinities mixed with numbers leave the moments finite', async () => {
    const file = await dataFile('mixed.csv', csvOf(['x', '1', 'NaN', '3', 'Infinity', '-inf', '5']));
    const result = await scan([file]);
    const s = summarizeColumn(column(result, 'x'));
    expect(s).toMatchObject({ count: 6, mean: 3, std: 2, min: 1, max: 5, nan: 1, infinity: 2 });
    expect(s.histogram!.reduce((a, b) => a + b.count, 0)).toBe(3);
  });
});

describe('samples', () => {
  test('at most sampleLimit samples, the earliest rows, while counts cover everything', async () => {
    const file = await dataFile('many.csv', csvOf(['x', ...Array.from({ length: 20 }, (_, i) => (i % 2 ? 'bad' : String(i)))]));
    const result = await scan([file], 'columns:\n  x:\n    type: integer\n');
    const a = one(result, 'wrong_type', 'x');
    expect(a.unexpectedCount).toBe(10);
    expect(a.samples.map((s) => s.row)).toEqual([2, 4, 6, 8, 10]);
    const two = await scan([file], 'columns:\n  x:\n    type: integer\n', { sampleLimit: 2 });
    expect(one(two, 'wrong_type', 'x').samples.map((s) => s.row)).toEqual([2, 4]);
  });

  test('long sample values are cut short', async () => {
    const long = 'z'.repeat(1000);
    const file = await dataFile('long.csv', csvOf(['x', long]));
    const result = await scan([file], 'columns:\n  x:\n    type: integer\n');
    const value = one(result, 'wrong_type', 'x').samples[0]!.value;
    expect(value.length).toBeLessThan(300);
    expect(long.startsWith(value.replace(/…$/, ''))).toBe(true);
  });
});

describe('large inputs', () => {
  test('records that straddle read chunks keep their rows and lines (file over 1 MB)', async () => {
    // A value near every chunk boundary: 60,000 rows of about 40 bytes (2.4 MB).
    const lines = ['id,text,n'];
    for (let i = 1; i <= 60_000; i++)
      lines.push(i === 45_000 ? `${i},"multi\nline, ""quoted""",bad` : `${i},"row ${i}, padded text",${i % 1000}`);
    const file = await dataFile('big.csv', csvOf(lines));
    const result = await scan(
      [file],
      'columns:\n  id:\n    type: integer\n    unique: true\n  text:\n    type: string\n  n:\n    type: integer\n',
    );
    expect(result.rows).toBe(60_000);
    const a = one(result, 'wrong_type', 'n');
    expect(sampleRows(a)).toEqual([{ row: 45_000, line: 45_001, value: 'bad' }]);
    expect(column(result, 'id').numeric).toMatchObject({ count: 60_000, min: 1, max: 60_000 });
    expect(result.anomalies).toHaveLength(1);
  });

  test('the same file with a short header: line numbers after a leading blank line', async () => {
    const file = await dataFile('short-header.csv', `\nh\n1\n1,2\n`);
    const a = one(await scan([file]), 'malformed_row');
    expect(a.samples.map((s) => [s.row, s.line])).toEqual([[2, 4]]);
  });

  test('a header longer than a read chunk after blank lines keeps line numbers right', async () => {
    const name = 'h'.repeat(1_200_000);
    const file = await dataFile('wide-header.csv', `\n${name}\n1\n1,2\n`);
    const result = await scan([file]);
    const a = one(result, 'malformed_row');
    // Line 1 blank, line 2 header, line 3 "1", line 4 "1,2".
    expect(a.samples.map((s) => [s.row, s.line])).toEqual([[2, 4]]);
  });
});

describe('firstRecordEnd (joining a block left over with the next chunk, for reader threads)', () => {
  const end = (tail: string, next: string) => firstRecordEnd(Buffer.from(tail), Buffer.from(next), 44);

  test('an unquoted tail ends at the first line feed', () => {
    expect(end('12,3.', '5,x\n4,5\n')).toBe(4);
    expect(end('12,3.5\r', '\n4,5\n')).toBe(1);
  });

  test('a quote open in the tail runs past line feeds until it closes', () => {
    expect(end('1,"a\n', 'b\nc",d\n2,e\n')).toBe(7);
    expect(end('1,"a', '""b\n"\n2\n')).toBe(6);
  });

  test('a quote still open after the lines tried, or no line feed at all: -1 (the two are joined whole)', () => {
    expect(end('1,"a', 'b\n'.repeat(100))).toBe(-1);
    expect(end('1,2', '3,4')).toBe(-1);
  });
});
