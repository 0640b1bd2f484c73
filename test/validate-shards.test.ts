/**
 * Sharded validation equals one run: seven files validated in one run, and as three
 * shards (each with mergeable: true) merged afterwards, give the same report.md,
 * validation.json and profile (timings and the list of shards aside). The data is built
 * so that the dataset-level checks decide differently on the whole than on any shard:
 * repeats of a unique column across shards (one whose first place is two shards back), a
 * null fraction that only the whole exceeds (a shard whose files lack the column), a
 * `mostly` tolerance one shard breaks and the whole keeps, row bounds; with hostile
 * column names (`__proto__`, HTML, pipes, a workflow command) in the schema and not.
 * Every column holds fewer values than a quantile sketch keeps exactly (256), so the
 * quantiles are equal too; beyond that a merged sketch keeps the error bound of one pass,
 * not its bits (workflow-sharded.test.ts checks that bound on the example's 630 rows).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_NULL_VALUES } from '../src/core/data/values.js';
import { loadSchema } from '../src/core/schema/schema.js';
import type { DataSchema } from '../src/core/schema/schema.js';
import { mergeValidationShards, validateDataFiles } from '../src/core/validate/validate.js';
import type { ValidateDataResult } from '../src/core/validate/validate.js';
import { validateData } from '../src/steps/validate-data.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { runStepInProcess } from './support/step-context.js';
import { HOSTILE_NAMES } from './support/validate-data.js';

afterAll(removeTempDirs);

const SAMPLE_ROWS = 3;
const NULL_VALUES = DEFAULT_NULL_VALUES;
const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csv = (rows: string[][]) => `${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`;

/** Unique columns, one of them named `__proto__`; a|b has a tolerance; note may be absent (required: false). */
const SCHEMA = `version: 1
dataset:
  min_rows: 40
  max_rows: 70
columns:
  id: { type: integer, unique: true, nullable: false }
  "__proto__": { type: string, unique: true }
  "a|b": { type: number, min: { value: 0, mostly: 0.9 } }
  note: { type: string, required: false, max_null_fraction: 0.3 }
  "<script>alert(1)</script>": { type: string, domain: [A, B, C], mostly: 0.95 }
`;
const GRADE = '<script>alert(1)</script>';
const HEADER = ['id', '__proto__', 'a|b', 'note', GRADE];

/** Rows of the base layout: ids from `first`, keys k<id>, a|b positive, a note, a grade. */
function rows(first: number, count: number, change: (row: string[], i: number) => void = () => {}): string[][] {
  return Array.from({ length: count }, (_, i) => {
    const id = first + i;
    const row = [String(id), `k${id}`, (id * 1.25).toFixed(2), `note ${id}`, 'ABC'[id % 3]!];
    change(row, i);
    return row;
  });
}

/**
 * The files, in reading order, and the shards as slices of them: [01, 02] [03, 04] [05, 06, 07].
 * Shard 1: 30 rows (2 null notes, 4 negative a|b: 13% > 10%). Shard 2: 20 rows with no note
 * column at all, and an empty file. Shard 3: 25 rows, 3 notes missing. Whole: 75 rows, 25
 * notes missing (33% > 30%), 4 of 75 a|b negative (5%, within the tolerance).
 */
async function dataset(dir: string): Promise<{ files: string[]; shards: string[][] }> {
  await mkdir(join(dir, 'data'), { recursive: true });
  const files: Array<[string, string]> = [
    [
      '01-base.csv',
      csv([
        HEADER,
        ...rows(1, 15, (r, i) => {
          if (i === 3 || i === 9) r[3] = '';
        }),
      ]),
    ],
    [
      '02-more.csv',
      csv([
        HEADER,
        ...rows(16, 15, (r, i) => {
          if (i < 4) r[2] = String(-i - 1); // below the minimum: 4 in this shard's 30 rows
          if (i === 5) r[0] = '1'; // a repeat within shard 1
          if (i === 6) r[0] = '2';
          if (i === 7) r[1] = 'k3'; // __proto__ repeats within shard 1
          if (i === 8) r[4] = 'Z'; // outside the domain
        }),
      ]),
    ],
    [
      // No note column (required: false): its rows are nulls of note in the whole only.
      '03-no-note.csv',
      csv([
        ['id', '__proto__', 'a|b', GRADE],
        ...rows(31, 20, (r, i) => {
          if (i === 2 || i === 4) r[0] = '5'; // 5 is in shard 1: both places here repeat it
          if (i === 6) r[0] = '7';
          if (i === 8) r[1] = 'k12'; // __proto__ across shards
          if (i === 9) r[4] = 'Q';
        }).map((r) => [r[0]!, r[1]!, r[2]!, r[4]!]),
      ]),
    ],
    ['04-empty.csv', ''],
    [
      '05-keys.jsonl',
      rows(51, 10, (r, i) => {
        if (i === 1) r[0] = '16'; // a repeat of shard 1's id 16
      })
        .map((r, i) => {
          const record: Record<string, unknown> = { id: Number(r[0]), ['__proto__']: r[1], 'a|b': Number(r[2]), [GRADE]: r[4] };
          if (i !== 2 && i !== 7) record.note = r[3]; // two rows lack the key: nulls
          return JSON.stringify(record);
        })
        .join('\n') + '\n',
    ],
    [
      // Two malformed rows, an extra column.
      '06-malformed.csv',
      csv([
        [...HEADER, 'extra'],
        ...rows(61, 10, (r, i) => {
          if (i === 0) r[0] = '31'; // shard 2's first id
          if (i === 4) r[3] = 'NA';
          r.push(`x${i}`);
          if (i === 5) r.push('one too many');
          if (i === 6) r.pop();
        }),
      ]),
    ],
    [
      // A repeated header name, and hostile column names the schema does not know.
      '07-hostile.csv',
      csv([
        [...HEADER, GRADE, ...HOSTILE_NAMES.slice(1)],
        ...rows(71, 5, (r, i) => {
          r.push('A', ...HOSTILE_NAMES.slice(1).map((name, j) => `${name}${i + j}`));
          if (i === 2) r[1] = 'k1';
        }),
      ]),
    ],
  ];
  for (const [name, text] of files) await writeFile(join(dir, 'data', name), text);
  const names = files.map(([name]) => join('data', name));
  return { files: names, shards: [names.slice(0, 2), names.slice(2, 4), names.slice(4)] };
}

interface ResultsJson {
  valid: boolean;
  rows: number;
  files: string[];
  anomalies: Array<{ kind: string; column?: string; file?: string; unexpectedCount?: number; samples: Array<{ value: string }> }>;
  columns: unknown[];
  shards?: unknown;
}

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

/** Numbers that are not whole rounded to 12 significant digits: one pass and a merge of moments differ in the last bits. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

/** The report without its timing ("… 0.0 MB in 0.1 s."): the rest must be equal. */
const untimed = (report: string) => report.replace(/ MB in [\d.]+ s\./, ' MB in (time) s.');

/** A profile without the sketches' internal layout (their quantiles and histograms are compared in validation.json). */
function comparableProfile(profile: { columns: Array<Record<string, unknown>> }): unknown {
  return rounded({
    ...profile,
    columns: profile.columns.map((c) => {
      const numeric = c.numeric as Record<string, unknown> | null;
      if (!numeric) return c;
      const { sketch, ...rest } = numeric;
      return { ...c, numeric: { ...rest, n: (sketch as { n: number }).n } };
    }),
  });
}

describe('K shards merged equal one run over the same files', () => {
  let dir: string;
  let schema: DataSchema;
  let single: ValidateDataResult;
  let merged: ValidateDataResult;
  let shardResults: ValidateDataResult[];
  let shardDirs: string[];

  beforeAll(async () => {
    dir = await makeTempDir('mlops-shards-');
    await writeFile(join(dir, 'schema.yaml'), SCHEMA);
    schema = await loadSchema(join(dir, 'schema.yaml'), 'schema.yaml');
    const { files, shards } = await dataset(dir);
    const common = {
      baseDir: dir,
      schema,
      schemaFile: 'schema.yaml',
      format: 'auto' as const,
      sampleRows: SAMPLE_ROWS,
      failOn: 'error' as const,
    };
    await mkdir(join(dir, 'single'));
    single = await validateDataFiles({ ...common, files, outputDir: join(dir, 'single') });
    shardDirs = [];
    shardResults = [];
    for (const [index, shardFiles] of shards.entries()) {
      const outputDir = join(dir, 'shards', `shard-${index + 1}`);
      await mkdir(outputDir, { recursive: true });
      shardResults.push(await validateDataFiles({ ...common, files: shardFiles, outputDir, mergeable: true }));
      shardDirs.push(outputDir);
    }
    await mkdir(join(dir, 'merged'));
    merged = await mergeValidationShards({
      shards: [join(dir, 'shards', 'shard-*')],
      shown: (path) => path.slice(dir.length + 1),
      schema,
      schemaFile: 'schema.yaml',
      nullValues: NULL_VALUES,
      sampleRows: SAMPLE_ROWS,
      failOn: 'error',
      outputDir: join(dir, 'merged'),
    });
  });

  test('the report is the same, word for word (the time aside)', async () => {
    const one = await readFile(join(dir, 'single', 'report.md'), 'utf8');
    const many = await readFile(join(dir, 'merged', 'report.md'), 'utf8');
    expect(untimed(many)).toBe(untimed(one));
    expect(many).toBe(merged.report);
    expect([merged.valid, merged.errors, merged.warnings]).toEqual([single.valid, single.errors, single.warnings]);
    expect(merged.errors).toBeGreaterThan(0);
  });

  test('validation.json is the same (moments to 12 digits), plus the list of shards', async () => {
    const one = await readJson<ResultsJson>(join(dir, 'single', 'validation.json'));
    const { shards, ...many } = await readJson<ResultsJson>(join(dir, 'merged', 'validation.json'));
    expect(rounded(many)).toEqual(rounded(one));
    expect(shards).toEqual([
      { from: join('shards', 'shard-1'), files: 2, rows: 30 },
      { from: join('shards', 'shard-2'), files: 2, rows: 20 },
      { from: join('shards', 'shard-3'), files: 3, rows: 25 },
    ]);
  });

  test('the profile is the same: counts, moments, distinct and frequent values, column order', async () => {
    const one = await readJson<{ columns: Array<Record<string, unknown>> }>(join(dir, 'single', 'profile.json'));
    const many = await readJson<{ columns: Array<Record<string, unknown>> }>(join(dir, 'merged', 'profile.json'));
    expect(comparableProfile(many)).toEqual(comparableProfile(one));
    expect(many.columns.slice(0, 5).map((c) => c.name)).toEqual(HEADER);
  });

  test('the whole is judged as a whole: what no shard saw is found, what one shard broke may pass', async () => {
    const kinds = (r: ValidateDataResult) => r.scan.anomalies.map((a) => `${a.kind}${a.column !== undefined ? `/${a.column}` : ''}`);
    const whole = kinds(merged);
    // The null fraction of note: 25 of 75 rows (20 of them in files without the column) > 30%; no shard exceeds it.
    const nulls = merged.scan.anomalies.find((a) => a.kind === 'too_many_nulls')!;
    expect(nulls).toMatchObject({ column: 'note', unexpectedCount: 25, checked: 75 });
    for (const shard of shardResults) expect(kinds(shard)).not.toContain('too_many_nulls/note');
    // a|b: 4 of 30 below 0 in shard 1 (13% > 10%), 4 of 75 in the whole (within mostly: 0.9).
    expect(kinds(shardResults[0]!)).toContain('below_min/a|b');
    expect(whole).not.toContain('below_min/a|b');
    // Row bounds: every shard has fewer than 40 rows; the whole has more than 70.
    for (const shard of shardResults) expect(kinds(shard)).toContain('too_few_rows');
    expect(whole).toContain('too_many_rows');
    expect(whole).not.toContain('too_few_rows');
  });

  test('repeats across shards are found, and each sample names the first place in the whole data set', () => {
    const ids = merged.scan.anomalies.find((a) => a.kind === 'duplicate_value' && a.column === 'id')!;
    // 1, 2 (shard 1); 5, 5, 7 (shard 2, first seen in shard 1); 16 (shard 3, from shard 1); 31 (shard 3, from shard 2).
    expect(ids.unexpectedCount).toBe(7);
    expect(ids.samples.map((s) => s.value)).toEqual([
      '1 (first at row 1 of data/01-base.csv)',
      '2 (first at row 2 of data/01-base.csv)',
      '5 (first at row 5 of data/01-base.csv)',
    ]);
    // Shard 2 alone saw a repeat of 5 whose first place was its own row 3.
    const shardIds = shardResults[1]!.scan.anomalies.find((a) => a.kind === 'duplicate_value' && a.column === 'id')!;
    expect(shardIds.samples[0]!.value).toBe('5 (first at row 3 of data/03-no-note.csv)');
    const keys = merged.scan.anomalies.find((a) => a.kind === 'duplicate_value' && a.column === '__proto__')!;
    expect(keys.samples.map((s) => s.value)).toEqual([
      'k3 (first at row 3 of data/01-base.csv)',
      'k12 (first at row 12 of data/01-base.csv)',
      'k1 (first at row 1 of data/01-base.csv)',
    ]);
    expect(
      shardResults.some((r) => r.scan.anomalies.some((a) => a.column === '__proto__' && a.samples.some((s) => /k12|k1 /.test(s.value)))),
    ).toBe(false);
  });

  test('a shard writes shard.json and one file of values per unique column', async () => {
    expect((await readdir(shardDirs[0]!)).sort()).toEqual([
      'profile.json',
      'report.md',
      'shard.json',
      'unique-0.jsonl',
      'unique-1.jsonl',
      'validation.json',
    ]);
    const lines = (await readFile(join(shardDirs[0]!, 'unique-0.jsonl'), 'utf8')).trim().split('\n');
    // Shard 1's distinct ids: 30 rows, two of them repeats.
    expect(lines).toHaveLength(28);
    expect(JSON.parse(lines[0]!)).toEqual(['1', 1, 2]);
  });
});

describe('without a schema (the structure only)', () => {
  test('the merged report and results are one run’s too', async () => {
    const dir = await makeTempDir('mlops-shards-plain-');
    const { files, shards } = await dataset(dir);
    const common = {
      baseDir: dir,
      schema: null,
      schemaFile: null,
      format: 'auto' as const,
      sampleRows: SAMPLE_ROWS,
      failOn: 'error' as const,
    };
    await mkdir(join(dir, 'single'));
    const single = await validateDataFiles({ ...common, files, outputDir: join(dir, 'single') });
    const dirs: string[] = [];
    for (const [index, shardFiles] of shards.entries()) {
      dirs.push(join(dir, `shard-${index + 1}`));
      await mkdir(dirs.at(-1)!);
      await validateDataFiles({ ...common, files: shardFiles, outputDir: dirs.at(-1)!, mergeable: true });
    }
    await mkdir(join(dir, 'merged'));
    const merged = await mergeValidationShards({
      ...common,
      shards: dirs,
      shown: (p) => p,
      nullValues: NULL_VALUES,
      outputDir: join(dir, 'merged'),
    });
    expect(untimed(merged.report)).toBe(untimed(single.report));
    expect(merged.scan.anomalies.map((a) => a.kind)).toEqual([
      'empty_file',
      'malformed_row',
      'duplicate_header',
      'duplicate_header',
      'duplicate_header',
    ]);
    const { shards: list, ...results } = await readJson<ResultsJson>(join(dir, 'merged', 'validation.json'));
    expect(rounded(results)).toEqual(rounded(await readJson<ResultsJson>(join(dir, 'single', 'validation.json'))));
    expect(list).toHaveLength(3);
  });
});

describe('merging refuses what would not be one run', () => {
  let dir: string;
  let schema: DataSchema;
  beforeAll(async () => {
    dir = await makeTempDir('mlops-shards-bad-');
    await writeFile(join(dir, 'schema.yaml'), SCHEMA);
    schema = await loadSchema(join(dir, 'schema.yaml'), 'schema.yaml');
    const { shards } = await dataset(dir);
    for (const [index, files] of [shards[0]!, shards[0]!, shards[1]!].entries()) {
      const outputDir = join(dir, `s${index}`);
      await mkdir(outputDir);
      await validateDataFiles({
        baseDir: dir,
        files,
        schema,
        schemaFile: 'schema.yaml',
        format: 'auto',
        sampleRows: SAMPLE_ROWS,
        failOn: 'never',
        outputDir,
        mergeable: true,
      });
    }
  });

  const merge = (shards: string[], overrides: Partial<Parameters<typeof mergeValidationShards>[0]> = {}) =>
    mergeValidationShards({
      shards: shards.map((s) => join(dir, s)),
      shown: (path) => path.slice(dir.length + 1),
      schema,
      schemaFile: 'schema.yaml',
      nullValues: NULL_VALUES,
      sampleRows: SAMPLE_ROWS,
      failOn: 'never',
      outputDir: join(dir, 'out'),
      ...overrides,
    });

  test('a file in two shards', async () => {
    await mkdir(join(dir, 'out'), { recursive: true });
    await expect(merge(['s0', 's1'])).rejects.toThrow(/data\/01-base\.csv is in two shards \(s0 and s1\)/);
  });

  test('another schema, other sample rows', async () => {
    const other = { ...schema, dataset: { min_rows: 1 } };
    await expect(merge(['s0', 's2'], { schema: other })).rejects.toThrow(/shard s0 was validated with another schema than this merge/);
    await expect(merge(['s0', 's2'], { sampleRows: 5 })).rejects.toThrow(/3 sample rows/);
  });

  test('a folder without shard.json, a glob that matches no shard', async () => {
    await expect(merge(['out'])).rejects.toThrow(/cannot read out\/shard\.json: no such file/);
    await expect(merge(['nothing-*'])).rejects.toThrow(/no shard matches/);
  });

  test('a damaged values file', async () => {
    await writeFile(join(dir, 's2', 'unique-0.jsonl'), '["1", 1, 2]\n{"not": "an entry"}\n');
    await expect(merge(['s0', 's2'])).rejects.toThrow(/s2\/unique-0\.jsonl line 2 is not \[value, place, line\]/);
  });
});

describe('validate-data in merge mode (the step, in process)', () => {
  test('input shards replaces data: it merges, reports and fails on the whole’s errors', async () => {
    const dir = await makeTempDir('mlops-shards-step-');
    await writeFile(join(dir, 'schema.yaml'), SCHEMA);
    const { shards } = await dataset(dir);
    for (const [index, files] of shards.entries()) {
      const run = await runStepInProcess(validateData, {
        cwd: dir,
        inputs: {
          data: files.join('\n'),
          schema: 'schema.yaml',
          mergeable: 'true',
          'output-dir': `shards/${index + 1}`,
          'fail-on': 'never',
        },
      });
      expect(run.error).toBeNull();
      expect(run.outputs.shard).toBe(join('shards', String(index + 1), 'shard.json'));
    }
    const run = await runStepInProcess(validateData, {
      cwd: dir,
      inputs: { shards: 'shards/*', schema: 'schema.yaml', 'output-dir': 'merged' },
    });
    expect(run.error).toBeNull();
    expect(run.failed).toBe(true);
    expect(run.io.failed).toMatch(/^Data validation failed: \d+ errors/);
    expect(run.outputs.valid).toBe('false');
    expect(run.outputs.report).toBe(join('merged', 'report.md'));
    expect(run.io.summaries.join('')).toContain('`too_many_nulls`');
    expect(run.io.logs.some((l) => /Merged 3 shards \(7 files\)/.test(l))).toBe(true);
    const one = await runStepInProcess(validateData, {
      cwd: dir,
      inputs: { data: shards.flat().join('\n'), schema: 'schema.yaml', 'output-dir': 'single' },
    });
    expect(one.outputs).toMatchObject({ valid: 'false', errors: run.outputs.errors, warnings: run.outputs.warnings });
    expect(untimed(await readFile(join(dir, 'merged', 'report.md'), 'utf8'))).toBe(
      untimed(await readFile(join(dir, 'single', 'report.md'), 'utf8')),
    );
  });

  test('data and shards together are refused', async () => {
    const dir = await makeTempDir('mlops-shards-step-');
    const run = await runStepInProcess(validateData, { cwd: dir, inputs: { data: 'a.csv', shards: 'shards/*' } });
    expect(run.error?.message).toMatch(/give either `data` \(read the files\) or `shards`/);
  });
});
