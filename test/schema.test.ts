import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kind, ValueClassifier } from '../src/core/data/values.js';
import { UserError } from '../src/core/errors.js';
import { ColumnProfileBuilder, PROFILE_FORMAT } from '../src/core/profile/profile.js';
import type { DatasetProfile } from '../src/core/profile/profile.js';
import { DEFAULT_MAX_DOMAIN_SIZE, inferSchema } from '../src/core/schema/infer.js';
import { loadSchema, parseSchema, resolveCheck, resolveDomain, schemaToYaml } from '../src/core/schema/schema.js';
import type { DataSchema } from '../src/core/schema/schema.js';
import { scanData } from '../src/core/validate/scan.js';
import { userErrorOf } from './support/errors.js';

const userErrorMessage = (fn: () => unknown): string => userErrorOf(fn).message;

/** A data set profile from rows of text (null = the column's key is absent: counted as null). */
function profileOf(columns: Record<string, Array<string | null>>): DatasetProfile {
  const classifier = new ValueClassifier();
  const names = Object.keys(columns);
  const rows = columns[names[0]!]!.length;
  return {
    format: PROFILE_FORMAT,
    rows,
    files: ['data.csv'],
    columns: names.map((name) => {
      const builder = new ColumnProfileBuilder(name);
      for (const text of columns[name]!) {
        if (text === null) {
          builder.addNulls(1);
          continue;
        }
        const kind = classifier.classifyText(text);
        builder.add(kind, classifier.value, kind === Kind.String || kind === Kind.Datetime ? text : null);
      }
      return builder.toState();
    }),
  };
}

describe('inferSchema', () => {
  const data = {
    id: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    age: ['34', '', '51', '29', '', '42', '38', '61', '19', '45'],
    weight: ['70.5', '81.25', '65', '90', '55.5', '77', '68.75', '85', '60', '72'],
    species: ['Adelie', 'Gentoo', 'Adelie', 'Chinstrap', 'Gentoo', 'Adelie', 'Adelie', 'Gentoo', 'Chinstrap', 'Adelie'],
    name: ['ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jo'],
    active: ['true', 'false', 'true', 'true', 'NA', 'false', 'true', 'true', 'false', 'true'],
    seen: [
      '2024-01-05',
      '2023-12-31',
      '2024-02-29',
      '2024-01-01',
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-06',
      '2024-01-07',
      '2024-01-08',
    ],
    score: ['1.5', 'NaN', '2', 'inf', '3', '4', '5', '6', '7', '8'],
    empty: ['', '', '', '', '', '', '', '', '', ''],
  };
  const schema = inferSchema(profileOf(data));

  test('types', () => {
    const types = Object.fromEntries(Object.entries(schema.columns).map(([name, c]) => [name, c.type]));
    expect(types).toEqual({
      id: 'integer',
      age: 'integer',
      weight: 'number',
      species: 'string',
      name: 'string',
      active: 'boolean',
      seen: 'datetime',
      score: 'number',
      empty: 'string',
    });
  });

  test('nullable: false without nulls; max_null_fraction (twice the seen fraction, rounded up) with them', () => {
    expect(schema.columns.id!.nullable).toBe(false);
    expect(schema.columns.id!.max_null_fraction).toBeUndefined();
    expect(schema.columns.weight!.nullable).toBe(false);
    // age: 2 nulls of 10 -> 0.4; active: 1 of 10 -> 0.2; empty: all -> capped at 1.
    expect(schema.columns.age!.nullable).toBeUndefined();
    expect(schema.columns.age!.max_null_fraction).toBe(0.4);
    expect(schema.columns.active!.max_null_fraction).toBe(0.2);
    expect(schema.columns.empty!.max_null_fraction).toBe(1);
  });

  test('max_null_fraction rounds up, never down', () => {
    // 1 null of 7 rows: 2/7 = 0.285714... -> 0.286.
    const s = inferSchema(profileOf({ x: ['1', '2', '', '4', '5', '6', '7'] }));
    expect(s.columns.x!.max_null_fraction).toBe(0.286);
  });

  test('numeric min and max are the observed extremes; datetimes as ISO text', () => {
    expect(schema.columns.id).toMatchObject({ min: 1, max: 10 });
    expect(schema.columns.age).toMatchObject({ min: 19, max: 61 });
    expect(schema.columns.weight).toMatchObject({ min: 55.5, max: 90 });
    expect(schema.columns.seen).toMatchObject({ min: '2023-12-31T00:00:00.000Z', max: '2024-02-29T00:00:00.000Z' });
    // Strings and booleans get no bounds.
    expect(schema.columns.name!.min).toBeUndefined();
    expect(schema.columns.active!.max).toBeUndefined();
  });

  test('NaN and infinities seen in a number column are allowed', () => {
    expect(schema.columns.score).toMatchObject({ type: 'number', allow_nan: true, allow_infinity: true, min: 1.5, max: 8 });
    expect(schema.columns.weight!.allow_nan).toBeUndefined();
    expect(schema.columns.weight!.allow_infinity).toBeUndefined();
  });

  test('domain only for low-cardinality strings, sorted', () => {
    expect(schema.columns.species!.domain).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    // Every name is distinct: not categorical.
    expect(schema.columns.name!.domain).toBeUndefined();
    expect(schema.columns.id!.domain).toBeUndefined();
    expect(schema.columns.active!.domain).toBeUndefined();
  });

  test('maxDomainSize bounds the domain', () => {
    const values = Array.from({ length: 60 }, (_, i) => `c${i % 25}`);
    expect(inferSchema(profileOf({ c: values })).columns.c!.domain).toBeUndefined();
    expect(DEFAULT_MAX_DOMAIN_SIZE).toBeLessThan(25);
    const wide = inferSchema(profileOf({ c: values }), { maxDomainSize: 25 });
    expect(wide.columns.c!.domain).toHaveLength(25);
    expect(inferSchema(profileOf({ c: ['a', 'a', 'b', 'b', 'c', 'c'] }), { maxDomainSize: 2 }).columns.c!.domain).toBeUndefined();
  });

  test('row bounds: a tenth and ten times the rows seen', () => {
    expect(schema.version).toBe(1);
    expect(schema.dataset).toEqual({ min_rows: 1, max_rows: 100, unexpected_columns: 'warning' });
    const big = inferSchema({ ...profileOf({ x: ['1'] }), rows: 12_345 });
    expect(big.dataset.min_rows).toBe(1234);
    expect(big.dataset.max_rows).toBe(123_450);
  });

  test('YAML round trip: schemaToYaml then parseSchema gives the same schema', () => {
    const yaml = schemaToYaml(schema, 'Inferred from data.csv\nEdit freely.');
    expect(yaml.startsWith('# Inferred from data.csv\n# Edit freely.\n')).toBe(true);
    expect(parseSchema(yaml, 'schema.yaml')).toEqual(schema);
  });

  test('YAML round trip keeps strings that look like other YAML types as strings', () => {
    const tricky: DataSchema = {
      version: 1,
      dataset: {},
      columns: {
        c: { type: 'string', domain: ['true', 'null', '1', '1e3', '2024-01-01', 'yes', '~', '- x', '#hash', 'a: b', ''] },
        '@odd name: #1': { type: 'number', min: -1.5e-7, max: 1e21 },
      },
    };
    expect(parseSchema(schemaToYaml(tricky), 'schema.yaml')).toEqual(tricky);
  });
});

describe('parseSchema', () => {
  test('minimal schema gets defaults', () => {
    const s = parseSchema('columns:\n  a:\n    type: integer\n', 'schema.yaml');
    expect(s).toEqual({ version: 1, dataset: {}, columns: { a: { type: 'integer' } } });
  });

  test('plain and object forms of checks', () => {
    const s = parseSchema(
      [
        'columns:',
        '  age:',
        '    type: integer',
        '    mostly: 0.95',
        '    severity: warning',
        '    min: 0',
        '    max: {value: 120, mostly: 0.9, severity: error}',
        '    max_null_fraction: {value: 0.1, severity: warning}',
        '  kind:',
        '    type: {value: string, severity: warning}',
        '    domain: {values: [a, b], mostly: 0.5}',
        '  flag:',
        '    type: boolean',
        '    domain: [x, y]',
        '',
      ].join('\n'),
      'schema.yaml',
    );
    const age = s.columns.age!;
    expect(age.min).toBe(0);
    expect(age.max).toEqual({ value: 120, mostly: 0.9, severity: 'error' });
    // Plain checks take the column defaults; object checks override them.
    expect(resolveCheck(age.min, age)).toEqual({ value: 0, mostly: 0.95, severity: 'warning' });
    expect(resolveCheck(age.max, age)).toEqual({ value: 120, mostly: 0.9, severity: 'error' });
    expect(resolveCheck(age.max_null_fraction, age)).toEqual({ value: 0.1, mostly: 0.95, severity: 'warning' });
    expect(resolveCheck(age.type, age)).toEqual({ value: 'integer', mostly: 0.95, severity: 'warning' });
    const kind = s.columns.kind!;
    expect(resolveCheck(kind.type, kind)).toEqual({ value: 'string', mostly: 1, severity: 'warning' });
    expect(resolveDomain(kind)).toEqual({ value: ['a', 'b'], mostly: 0.5, severity: 'error' });
    expect(resolveDomain(s.columns.flag!)).toEqual({ value: ['x', 'y'], mostly: 1, severity: 'error' });
    expect(resolveCheck(undefined, age)).toBeUndefined();
  });

  test.each<[string, string, string[]]>([
    [
      'unknown type',
      'columns:\n  age:\n    type: int\n',
      ['columns.age.type', '"integer"', '"number"', '"boolean"', '"string"', '"datetime"'],
    ],
    ['mostly above 1', 'columns:\n  age:\n    type: integer\n    min: {value: 0, mostly: 2}\n', ['columns.age.min.mostly', '<=1']],
    [
      'bad severity',
      'columns:\n  age:\n    type: integer\n    min: {value: 0, severity: fatal}\n',
      ['columns.age.min.severity', '"error"', '"warning"'],
    ],
    ['nullable not boolean', 'columns:\n  age:\n    type: integer\n    nullable: "no"\n', ['columns.age.nullable', 'boolean']],
    ['negative min_rows', 'dataset:\n  min_rows: -1\ncolumns: {}\n', ['dataset.min_rows', '>=0']],
    ['fractional max_rows', 'dataset:\n  max_rows: 2.5\ncolumns: {}\n', ['dataset.max_rows', 'int']],
    [
      'bad unexpected_columns',
      'dataset:\n  unexpected_columns: maybe\ncolumns: {}\n',
      ['dataset.unexpected_columns', '"error"', '"warning"', '"ignore"'],
    ],
    ['max_null_fraction above 1', 'columns:\n  a:\n    type: string\n    max_null_fraction: 1.5\n', ['columns.a.max_null_fraction']],
    ['domain not a list', 'columns:\n  a:\n    type: string\n    domain: abc\n', ['columns.a.domain']],
    ['wrong version', 'version: 2\ncolumns: {}\n', ['version', '1']],
    ['columns missing', 'dataset: {}\n', ['columns']],
    ['column without type', 'columns:\n  a:\n    nullable: false\n', ['columns.a.type']],
  ])('%s: UserError naming the key path and what is allowed', (_name, yaml, needles) => {
    const message = userErrorMessage(() => parseSchema(yaml, 'my-schema.yaml'));
    expect(message).toContain('my-schema.yaml');
    for (const needle of needles) expect(message).toContain(needle);
  });

  test.each<[string, string, string, string]>([
    ['in a column', 'columns:\n  age:\n    type: integer\n    minimum: 0\n', 'minimum', 'columns.age'],
    ['in dataset', 'dataset:\n  rows: 5\ncolumns: {}\n', 'rows', 'dataset'],
    ['in an object check', 'columns:\n  age:\n    type: integer\n    min: {value: 0, tolerance: 0.1}\n', 'tolerance', 'columns.age.min'],
  ])('unknown key %s is rejected, naming the key and where', (_name, yaml, key, where) => {
    const message = userErrorMessage(() => parseSchema(yaml, 'schema.yaml'));
    expect(message).toContain(`"${key}"`);
    expect(message).toContain(where);
  });

  test('unknown key at the top level is rejected', () => {
    expect(userErrorMessage(() => parseSchema('colums:\n  a:\n    type: string\ncolumns: {}\n', 'schema.yaml'))).toContain('"colums"');
  });

  test('invalid YAML is a UserError naming the file', () => {
    const message = userErrorMessage(() => parseSchema('columns: [\n', 'bad.yaml'));
    expect(message).toContain('bad.yaml');
    expect(message).toContain('not valid YAML');
  });

  test('several problems are all listed', () => {
    const message = userErrorMessage(() =>
      parseSchema('columns:\n  a:\n    type: int\n  b:\n    type: string\n    unique: "yes"\n', 'schema.yaml'),
    );
    expect(message).toContain('columns.a.type');
    expect(message).toContain('columns.b.unique');
  });

  test('loadSchema of a missing file is a UserError naming it', async () => {
    const missing = join(tmpdir(), `no-such-schema-${process.pid}-${Date.now()}.yaml`);
    await expect(loadSchema(missing)).rejects.toThrow(UserError);
    await expect(loadSchema(missing)).rejects.toThrow(missing);
  });
});

describe('an inferred schema passes the data it came from', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'schema-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Scans `csv`, infers a schema, round-trips it through YAML and validates the same file with it. */
  async function roundTrip(name: string, csv: string) {
    const file = join(dir, name);
    await writeFile(file, csv);
    const first = await scanData([file], { threads: 0 });
    const schema = parseSchema(schemaToYaml(inferSchema(first.profile)), 'schema.yaml');
    const second = await scanData([file], { threads: 0, schema });
    return { schema, anomalies: second.anomalies.map((a) => ({ kind: a.kind, column: a.column, samples: a.samples.map((s) => s.value) })) };
  }

  test('a typical table', async () => {
    const csv = [
      'id,species,bill,mass,sex,flag,when,ratio',
      '1,Adelie,39.1,3750,male,true,2024-01-01,0.5',
      '2,Adelie,39.5,,female,false,2024-01-02T10:00:00Z,NaN',
      '3,Gentoo,46.1,4500,female,true,2024-01-03,inf',
      '4,Gentoo,50.0,5700,male,true,2024-01-04,-0.25',
      '5,Chinstrap,46.5,3500,NA,false,2024-01-05,1e-3',
      '6,"Chinstrap",49.5,3600,male,,2024-01-06,2',
    ].join('\n');
    const { schema, anomalies } = await roundTrip('typical.csv', csv);
    expect(schema.columns.species!.domain).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(anomalies).toEqual([]);
  });

  test('a categorical column mixing words with number-like codes (leading zeros, trailing zeros)', async () => {
    // "007" reads as the number 7 and "1.50" as 1.5; the domain must still hold the texts the file has.
    const rows = ['code'];
    for (const code of ['A1', '007', '1.50', 'B2', 'A1', '007', '1.50', 'B2']) rows.push(code);
    const { schema, anomalies } = await roundTrip('codes.csv', rows.join('\n'));
    expect(schema.columns.code!.type).toBe('string');
    expect(schema.columns.code!.domain).toHaveLength(4);
    expect(anomalies).toEqual([]);
  });

  test('a categorical column mixing words with boolean spellings', async () => {
    const rows = ['answer'];
    for (const v of ['yes', 'no', 'True', 'FALSE', 'yes', 'no', 'True', 'FALSE']) rows.push(v);
    const { schema, anomalies } = await roundTrip('answers.csv', rows.join('\n'));
    expect(schema.columns.answer!.type).toBe('string');
    expect(anomalies).toEqual([]);
  });

  test('a string column holding the words "nan" and "inf"', async () => {
    const rows = ['name'];
    for (const v of ['alpha', 'beta', 'nan', 'gamma', 'inf', 'delta']) rows.push(v);
    const { schema, anomalies } = await roundTrip('words.csv', rows.join('\n'));
    expect(schema.columns.name!.type).toBe('string');
    expect(anomalies).toEqual([]);
  });
});
