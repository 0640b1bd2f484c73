/**
 * The parallel reader, proven from the CLI bundle: the same ~8 MB CSV read on one
 * thread and by reader threads must give the same profile and the same anomalies,
 * down to the sample rows and their line numbers. The generator knows every value
 * it wrote, so the counts and the bad rows are checked against it too.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { hasStackTrace, makeTempDir, removeTempDirs, runCli } from './support/action-runner.js';
import { prng } from './support/random.js';

const SINGLE = { MLOPS_READER_THREADS: '0' };
const PARALLEL = { MLOPS_READER_THREADS: '2', MLOPS_PARALLEL_MIN_BYTES: '0' };
const SAMPLE_LIMIT = 5;
/** Leading rows with no anomaly: the schema is inferred from them. */
const CLEAN_ROWS = 3000;
const TARGET_BYTES = 8_000_000;

const HEADER = ['id', 'x', 'n', 'cat', 'flag', 'note'] as const;
type Column = (typeof HEADER)[number];

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

interface Bad {
  kind: string;
  column?: Column;
  /** The raw field written. */
  text: string;
}

/** Anomalies planted at fractions of the file (kept clear of the clean head). */
const PLANTED: Array<{ kind: string; column?: Column; text: string; at: number[] }> = [
  { kind: 'wrong_type', column: 'x', text: 'abc', at: [0.11, 0.23, 0.41, 0.52, 0.58, 0.77, 0.93] },
  { kind: 'above_max', column: 'x', text: '1e6', at: [0.15, 0.62, 0.81] },
  { kind: 'nan', column: 'x', text: 'NaN', at: [0.2, 0.7] },
  { kind: 'above_max', column: 'n', text: '5000', at: [0.12, 0.33, 0.55, 0.66, 0.88, 0.95] },
  { kind: 'below_min', column: 'n', text: '-7', at: [0.44, 0.71] },
  { kind: 'wrong_type', column: 'n', text: '1.5', at: [0.3, 0.85] },
  { kind: 'not_in_domain', column: 'cat', text: 'Z', at: [0.13, 0.27, 0.49, 0.53, 0.61, 0.74, 0.99] },
  { kind: 'wrong_type', column: 'flag', text: 'maybe', at: [0.5] },
  { kind: 'malformed_row', text: '', at: [0.35, 0.65] },
  // The id of an earlier row: three far before (across the file's middle), four a few rows before. More than
  // the five samples kept, so the samples must be the earliest duplicates, wherever they were found.
  { kind: 'duplicate_value', column: 'id', text: '', at: [0.9, 0.8, 0.6, 0.46, 0.97, 0.98, 0.987] },
];
const DUPLICATE_OF: Record<number, number> = { 0.9: 0.05, 0.8: 0.2, 0.6: 0.4, 0.46: 0.459, 0.97: 0.965, 0.98: 0.975, 0.987: 0.983 };

interface Truth {
  rows: number;
  nulls: Record<Column, number>;
  numbers: Record<'x' | 'n', number[]>;
  /** Per anomaly key (kind/column): every (row, line, value) planted, in row order. */
  planted: Map<string, Array<{ row: number; line: number; value: string }>>;
  nonNull: Record<Column, number>;
}

interface Generated {
  header: string;
  records: string[];
  truth: Truth;
}

/** Writes rows until the file reaches about `bytes`, planting the anomalies above. */
function generate(bytes: number): Generated {
  const random = prng(20240531);
  const header = HEADER.join(',');
  // Rows from the approximate row length; the exact count is fixed before planting.
  const estimatedRows = Math.round(bytes / 35);
  const plan = new Map<number, Bad & { dupOf?: number }>();
  for (const p of PLANTED) {
    for (const f of p.at) {
      const row = Math.floor(f * estimatedRows);
      if (row <= CLEAN_ROWS || plan.has(row)) throw new Error(`planting collides at row ${row}`);
      plan.set(row, {
        kind: p.kind,
        column: p.column,
        text: p.text,
        dupOf: DUPLICATE_OF[f] !== undefined ? Math.floor(DUPLICATE_OF[f]! * estimatedRows) : undefined,
      });
    }
  }
  const words = ['ok', 'fine', 'check later', 'see notes', 'n/a', 'good'];
  const cats = ['A', 'A', 'B', 'C', 'C', 'C', 'D', 'E'];
  const truth: Truth = {
    rows: 0,
    nulls: { id: 0, x: 0, n: 0, cat: 0, flag: 0, note: 0 },
    nonNull: { id: 0, x: 0, n: 0, cat: 0, flag: 0, note: 0 },
    numbers: { x: [], n: [] },
    planted: new Map(),
  };
  const plant = (key: string, row: number, line: number, value: string) => {
    if (!truth.planted.has(key)) truth.planted.set(key, []);
    truth.planted.get(key)!.push({ row, line, value });
  };
  const records: string[] = [];
  let line = 2;
  let size = header.length + 1;
  const floor = Math.floor;
  for (let row = 1; row <= estimatedRows; row++) {
    const bad = plan.get(row);
    const fields: Record<Column, string> = { id: `u${row}`, x: '', n: '', cat: '', flag: '', note: '' };
    // x: a number with two decimals, 3% missing ('' or NA), 1% quoted; the first rows hold the extremes.
    const r = random();
    if (row === 1) fields.x = '-100.00';
    else if (row === 2) fields.x = '100.00';
    else if (r < 0.015) fields.x = '';
    else if (r < 0.03) fields.x = 'NA';
    else fields.x = (random() * 200 - 100).toFixed(2);
    if (fields.x !== '' && fields.x !== 'NA' && random() < 0.01) fields.x = quote(fields.x);
    fields.n = String(row === 1 ? 0 : row === 2 ? 1000 : floor(random() * 1001));
    fields.cat = cats[floor(random() * cats.length)]!;
    if (random() < 0.01) fields.cat = quote(fields.cat);
    fields.flag = random() < 0.5 ? 'true' : 'false';
    const kindOfNote = random();
    if (kindOfNote < 0.05) fields.note = '';
    else if (kindOfNote < 0.25) {
      // Quoted: embedded commas, newlines and doubled quotes.
      const variants = [`row ${row}, with a comma`, `two\nlines ${row}`, `she said "hi" at ${row}`, `all, of "it"\nat ${row}\n`];
      fields.note = quote(variants[floor(random() * variants.length)]!);
    } else fields.note = words[floor(random() * words.length)]!;

    let written: Column[] = [...HEADER];
    if (bad) {
      if (bad.kind === 'duplicate_value') fields.id = `u${bad.dupOf}`;
      else if (bad.kind === 'malformed_row') written = ['id', 'x', 'n', 'cat'];
      else fields[bad.column!] = bad.text;
    }
    const text = written.map((c) => fields[c]).join(',');
    // Truth, from the fields as written.
    for (const c of HEADER) {
      const raw = written.includes(c) ? fields[c] : '';
      const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
      const isNull = !written.includes(c) || (!raw.startsWith('"') && (raw === '' || raw === 'NA'));
      if (isNull) truth.nulls[c]++;
      else truth.nonNull[c]++;
      // Every number is profiled, whatever the schema says of the column (1.5 in the integer column too).
      if ((c === 'x' || c === 'n') && !isNull && /^-?\d+(\.\d+)?(e\d+)?$/.test(value)) truth.numbers[c].push(Number(value));
    }
    if (bad) {
      if (bad.kind === 'malformed_row') plant('malformed_row/', row, line, text);
      else if (bad.kind === 'duplicate_value') plant('duplicate_value/id', row, line, `${fields.id} (first at row ${bad.dupOf})`);
      else plant(`${bad.kind}/${bad.column}`, row, line, bad.text);
    }
    // Ragged rows leave flag empty: the schema (flag never missing in the clean head) reports them.
    if (bad?.kind === 'malformed_row') plant('too_many_nulls/flag', row, line, '(null)');
    records.push(text);
    line += 1 + (text.match(/\n/g)?.length ?? 0);
    size += text.length + 1;
    truth.rows = row;
  }
  if (Math.abs(size - bytes) > bytes * 0.25) throw new Error(`generated ${size} bytes, wanted about ${bytes}`);
  return { header, records, truth };
}

interface Run {
  code: number | null;
  stderr: string;
  results: {
    valid: boolean;
    errors: number;
    warnings: number;
    rows: number;
    anomalies: Array<{
      kind: string;
      severity: string;
      column?: string;
      file?: string;
      unexpectedCount?: number;
      checked?: number;
      samples: Array<{ file: string; row: number; line: number; value: string }>;
    }>;
    columns: Array<{ name: string; distinct: number; count: number; nulls: number }>;
  };
  profile: {
    rows: number;
    columns: Array<{
      name: string;
      counts: Record<string, number>;
      numeric: { count: number; mean: number; min: number; max: number } | null;
    }>;
  };
}

async function validate(dir: string, data: string, env: Record<string, string>, out: string): Promise<Run> {
  const run = await runCli(['validate-data', '--data', data, '--schema', 'schema.yaml', '--output-dir', out], { cwd: dir, env });
  const read = async (name: string) => JSON.parse(await readFile(join(dir, out, name), 'utf8'));
  return { code: run.code, stderr: run.stderr, results: await read('validation.json'), profile: await read('profile.json') };
}

/** The profile: what must not depend on how the file was read (means are compared separately, within rounding). */
function profileDigest(run: Run) {
  return {
    rows: run.results.rows,
    profileRows: run.profile.rows,
    counts: Object.fromEntries(run.profile.columns.map((c) => [c.name, c.counts])),
    numeric: Object.fromEntries(
      run.profile.columns
        .filter((c) => c.numeric)
        .map((c) => [c.name, { count: c.numeric!.count, min: c.numeric!.min, max: c.numeric!.max }]),
    ),
    distinct: Object.fromEntries(run.results.columns.map((c) => [c.name, c.distinct])),
  };
}

/** The anomalies, with their samples (without the file name, which differs for the gzip copy). */
function anomalyDigest(run: Run) {
  return {
    errors: run.results.errors,
    warnings: run.results.warnings,
    anomalies: run.results.anomalies.map((a) => ({
      kind: a.kind,
      severity: a.severity,
      column: a.column,
      unexpectedCount: a.unexpectedCount,
      checked: a.checked,
      samples: a.samples.map((s) => ({ row: s.row, line: s.line, value: s.value })),
    })),
  };
}

function expectSameMeans(a: Run, b: Run): void {
  for (const column of a.profile.columns) {
    if (!column.numeric) continue;
    const other = b.profile.columns.find((c) => c.name === column.name)!.numeric!;
    expect(Math.abs(column.numeric.mean - other.mean)).toBeLessThanOrEqual(1e-9 * Math.abs(column.numeric.mean));
  }
}

describe('parallel reading (dist/cli/index.js, MLOPS_READER_THREADS)', () => {
  let dir: string;
  let generated: Generated;
  let single: Run;
  let parallel: Run;

  beforeAll(async () => {
    dir = await makeTempDir('mlops-parallel-');
    generated = generate(TARGET_BYTES);
    const { header, records } = generated;
    await writeFile(join(dir, 'clean.csv'), `${[header, ...records.slice(0, CLEAN_ROWS)].join('\n')}\n`);
    const whole = `${[header, ...records].join('\n')}\n`;
    await writeFile(join(dir, 'data.csv'), whole);
    await writeFile(join(dir, 'data.csv.gz'), gzipSync(whole, { level: 1 }));

    // The schema: inferred from the clean head, then id declared unique.
    const inferred = await runCli(['infer-schema', 'clean.csv'], { cwd: dir, env: SINGLE });
    if (inferred.code !== 0) throw new Error(`infer-schema failed: ${inferred.stderr}`);
    const schema = parseYaml(inferred.stdout);
    schema.columns.id.unique = true;
    await writeFile(join(dir, 'schema.yaml'), toYaml(schema));

    [single, parallel] = await Promise.all([validate(dir, 'data.csv', SINGLE, 'single'), validate(dir, 'data.csv', PARALLEL, 'parallel')]);
  }, 60_000);

  afterAll(removeTempDirs);

  test('the generated file is big enough to be split into several blocks', async () => {
    const size = (await readFile(join(dir, 'data.csv'))).length;
    expect(size).toBeGreaterThan(7_000_000);
    expect(size).toBeLessThan(10_000_000);
  });

  test('the schema inferred from the clean head has the expected shape', async () => {
    const schema = parseYaml(await readFile(join(dir, 'schema.yaml'), 'utf8'));
    expect(schema.columns.x).toMatchObject({ type: 'number', min: -100, max: 100 });
    expect(schema.columns.n).toMatchObject({ type: 'integer', min: 0, max: 1000, nullable: false });
    expect(schema.columns.cat).toMatchObject({ type: 'string', domain: ['A', 'B', 'C', 'D', 'E'] });
    expect(schema.columns.flag).toMatchObject({ type: 'boolean', nullable: false });
    expect(schema.columns.id).toMatchObject({ type: 'string', unique: true });
    expect(schema.columns.note.type).toBe('string');
    expect(schema.columns.note.domain).toBeUndefined();
  });

  test('both runs fail on the planted anomalies (exit 1, no crash)', () => {
    for (const run of [single, parallel]) {
      expect(hasStackTrace(run.stderr)).toBe(false);
      expect(run.code).toBe(1);
      expect(run.results.valid).toBe(false);
    }
  });

  test('single-threaded results match what the generator wrote', () => {
    const { truth } = generated;
    expect(single.results.rows).toBe(truth.rows);
    const columns = Object.fromEntries(single.results.columns.map((c) => [c.name, c]));
    for (const c of HEADER) expect([c, columns[c]!.nulls, columns[c]!.count]).toEqual([c, truth.nulls[c], truth.nonNull[c]]);
    for (const c of ['x', 'n'] as const) {
      const numeric = single.profile.columns.find((p) => p.name === c)!.numeric!;
      const values = truth.numbers[c];
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const v of values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
      expect([c, numeric.count, numeric.min, numeric.max]).toEqual([c, values.length, min, max]);
      expect(Math.abs(numeric.mean - sum / values.length)).toBeLessThanOrEqual(1e-9 * Math.abs(sum / values.length));
    }
    // cat: A-E and the planted Z.
    expect(columns.cat!.distinct).toBe(6);
  });

  test.each(['single', 'parallel'] as const)(
    '%s: every planted anomaly, with its count, values checked and earliest sample rows and lines',
    (mode) => {
      const run = mode === 'single' ? single : parallel;
      const { truth } = generated;
      const typed = (c: Column) =>
        truth.nonNull[c] - ['wrong_type', 'nan', 'infinity'].reduce((n, k) => n + (truth.planted.get(`${k}/${c}`)?.length ?? 0), 0);
      const found = new Map(run.results.anomalies.map((a) => [`${a.kind}/${a.column ?? ''}`, a]));
      for (const [key, planted] of truth.planted) {
        const anomaly = found.get(key);
        expect([key, anomaly !== undefined]).toEqual([key, true]);
        const [kind, column] = key.split('/') as [string, Column | ''];
        expect([key, anomaly!.unexpectedCount]).toEqual([key, planted.length]);
        if (column !== '') {
          const checked = ['below_min', 'above_max', 'not_in_domain'].includes(kind)
            ? typed(column)
            : kind === 'too_many_nulls'
              ? truth.rows
              : truth.nonNull[column];
          expect([key, anomaly!.checked]).toEqual([key, checked]);
        }
        const expected = planted.slice(0, SAMPLE_LIMIT).map(({ row, line, value }) => ({
          row,
          line,
          value: kind === 'malformed_row' ? expect.stringContaining('4 fields where the header has 6') : value,
        }));
        expect([key, anomaly!.samples.map(({ row, line, value }) => ({ row, line, value }))]).toEqual([key, expected]);
      }
      // Nothing but the planted anomalies and the row count the clean head's bounds cannot hold.
      expect([...found.keys()].sort()).toEqual([...truth.planted.keys(), 'too_many_rows/'].sort());
    },
  );

  test('a known bad row: its row and line are right although quoted newlines come before it', () => {
    const { truth } = generated;
    const first = truth.planted.get('wrong_type/x')![0]!;
    // Lines run ahead of rows by the newlines inside quoted notes.
    expect(first.line).toBeGreaterThan(first.row + 1);
    for (const run of [single, parallel]) {
      const sample = run.results.anomalies.find((a) => a.kind === 'wrong_type' && a.column === 'x')!.samples[0]!;
      expect(sample).toEqual({ file: 'data.csv', row: first.row, line: first.line, value: 'abc' });
    }
    // And the line really holds that row: count the lines of the file text up to it.
    const text = [generated.header, ...generated.records].join('\n');
    const lineText = text.split('\n')[first.line - 1]!;
    expect(lineText.startsWith(`u${first.row},abc,`)).toBe(true);
  });

  test('one thread and two reader threads give identical profiles', () => {
    expect(profileDigest(parallel)).toEqual(profileDigest(single));
    expectSameMeans(single, parallel);
  });

  test('one thread and two reader threads give identical anomalies, down to sample rows and lines', () => {
    expect(anomalyDigest(parallel)).toEqual(anomalyDigest(single));
  });

  describe('a gzip copy read in parallel', () => {
    let gz: Run;
    beforeAll(async () => {
      gz = await validate(dir, 'data.csv.gz', PARALLEL, 'gzip');
    });

    test('gives the same profile', () => {
      expect(profileDigest(gz)).toEqual(profileDigest(single));
      expectSameMeans(single, gz);
    });

    test('gives the same anomalies', () => {
      expect(anomalyDigest(gz)).toEqual(anomalyDigest(single));
    });
  });

  test('two parallel runs of the same file write byte-identical profiles (blocks go to readers in a fixed order)', async () => {
    const again = await validate(dir, 'data.csv', PARALLEL, 'parallel-again');
    const first = await readFile(join(dir, 'parallel', 'profile.json'), 'utf8');
    const second = await readFile(join(dir, 'parallel-again', 'profile.json'), 'utf8');
    expect(again.results.rows).toBe(parallel.results.rows);
    expect(second === first).toBe(true);
  });

  test('a Parquet file read by reader threads, a column at a time to whichever is free: the same profile.json, byte for byte, and the same anomalies', async () => {
    await copyFile(join(import.meta.dirname, 'fixtures', 'parquet', 'rust-types.parquet'), join(dir, 'types.parquet'));
    await writeFile(
      join(dir, 'parquet-schema.yaml'),
      'columns:\n  cat: { type: string, domain: [red, green] }\n  i32: { type: integer, min: 0 }\n',
    );
    const read = async (env: Record<string, string>, out: string) => {
      const run = await runCli(['validate-data', '--data', 'types.parquet', '--schema', 'parquet-schema.yaml', '--output-dir', out], {
        cwd: dir,
        env,
      });
      expect(run.code).toBe(1);
      const results = JSON.parse(await readFile(join(dir, out, 'validation.json'), 'utf8'));
      return { profile: await readFile(join(dir, out, 'profile.json'), 'utf8'), anomalies: results.anomalies };
    };
    const one = await read(SINGLE, 'parquet-single');
    expect(one.anomalies.map((a: { kind: string }) => a.kind)).toEqual(expect.arrayContaining(['below_min', 'not_in_domain']));
    for (const out of ['parquet-parallel', 'parquet-parallel-again']) {
      const two = await read(PARALLEL, out);
      expect(two.profile === one.profile).toBe(true);
      expect(two.anomalies).toEqual(one.anomalies);
    }
  });

  test('an invalid MLOPS_READER_THREADS is a user error naming the variable', async () => {
    const run = await runCli(['validate-data', '--data', 'clean.csv', '--output-dir', 'bad-env'], {
      cwd: dir,
      env: { MLOPS_READER_THREADS: 'many' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('MLOPS_READER_THREADS');
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});
