/**
 * The mlops CLI, proven from its bundle (dist/cli/index.js): commands, help, schema
 * inference round trips, profile merging, exit codes and input formats.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { markdownToTerminal } from '../src/adapters/local/terminal.js';
import { validateData } from '../src/steps/validate-data.js';
import { ROOT, hasStackTrace, makeTempDir, removeTempDirs, runCli } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';

const EXAMPLE = join(ROOT, 'examples', 'penguins');
const PENGUINS_CSV = join(EXAMPLE, 'data', 'penguins.csv');
const PENGUINS_SCHEMA = join(EXAMPLE, 'schema.yaml');
const PENGUIN_LINES = readFileSync(PENGUINS_CSV, 'utf8').replace(/\n$/, '').split('\n');
const HEADER = PENGUIN_LINES[0]!.split(',');
const RECORDS = PENGUIN_LINES.slice(1).map((line) => line.split(','));
const NUMERIC = new Set(['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g']);

afterAll(removeTempDirs);

interface Profile {
  format: string;
  rows: number;
  files: string[];
  columns: Array<{
    name: string;
    counts: Record<string, number>;
    numeric: { count: number; mean: number; min: number; max: number } | null;
  }>;
}

/** Null count per column of the example, from its text (an empty field is a missing value). */
function penguinNulls(): Record<string, number> {
  return Object.fromEntries(HEADER.map((name, i) => [name, RECORDS.filter((r) => r[i] === '').length]));
}

async function validate(
  dir: string,
  args: string[],
): Promise<{
  run: ProcessResult;
  profile: Profile;
  results: {
    valid: boolean;
    errors: number;
    warnings: number;
    rows: number;
    anomalies: Array<{ kind: string; column?: string; samples: Array<{ row: number; line: number; value: string }> }>;
  };
}> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const run = await runCli(['validate-data', ...args, '--output-dir', out], { cwd: dir });
  const profile = existsSync(join(out, 'profile.json')) ? JSON.parse(await readFile(join(out, 'profile.json'), 'utf8')) : null;
  const results = existsSync(join(out, 'validation.json')) ? JSON.parse(await readFile(join(out, 'validation.json'), 'utf8')) : null;
  return { run, profile, results };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('mlops CLI (dist/cli/index.js)', () => {
  test('--help lists the commands', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of [
      'validate-data',
      'infer-schema',
      'merge-profiles',
      'train',
      'evaluate',
      'register',
      'deploy',
      'drift-check',
      'report',
      'serve',
      'predict',
      'run',
    ])
      expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  test('validate-data --help lists every input of the step with its description', async () => {
    const run = await runCli(['validate-data', '--help']);
    expect(run.code).toBe(0);
    const help = collapse(run.stdout);
    const inputs = Object.entries(validateData.inputs);
    expect(inputs.length).toBeGreaterThanOrEqual(6);
    for (const [name, input] of inputs) {
      expect(help).toContain(`--${name} <`);
      expect(help).toContain(collapse(input.description));
    }
  });

  describe('infer-schema', () => {
    // A small file with every type the schema knows, nulls, NaN, infinity, and quoted fields.
    const RICH = [
      'id,score,ratio,active,when,color,comment,empty',
      '1,10,0.5,true,2024-01-31,red,"hello, world",',
      '2,-3,NaN,false,2024-02-01T10:00:00Z,blue,"say ""hi""",',
      '3,7,inf,TRUE,2024-03-15,red,"multi\nline",NA',
      '4,,1.25,false,2024-01-01,,plain,',
      '5,42,-2.5,true,2024-12-31,green,,',
      '6,0,3,false,2024-06-30,blue,x,',
      '7,5,2,true,2024-05-05,red,y,',
      '8,6,2,false,2024-05-06,blue,z,',
    ].join('\n');

    test('prints YAML that describes the data and validates it back with zero anomalies', async () => {
      const dir = await makeTempDir();
      await writeFile(join(dir, 'rich.csv'), `${RICH}\n`);
      const inferred = await runCli(['infer-schema', 'rich.csv'], { cwd: dir });
      expect(inferred.code).toBe(0);
      const schema = parseYaml(inferred.stdout) as { columns: Record<string, Record<string, unknown>>; dataset: Record<string, unknown> };
      expect(Object.keys(schema.columns)).toEqual(['id', 'score', 'ratio', 'active', 'when', 'color', 'comment', 'empty']);
      expect(Object.fromEntries(Object.entries(schema.columns).map(([name, c]) => [name, c.type]))).toEqual({
        id: 'integer',
        score: 'integer',
        ratio: 'number',
        active: 'boolean',
        when: 'datetime',
        color: 'string',
        comment: 'string',
        empty: 'string',
      });
      expect(schema.columns.id).toMatchObject({ nullable: false, min: 1, max: 8 });
      expect(schema.columns.score).toMatchObject({ min: -3, max: 42 });
      expect(schema.columns.ratio).toMatchObject({ min: -2.5, max: 3, allow_nan: true, allow_infinity: true });
      // red 3, blue 3, green 1 over 7 values: few distinct values, each seen twice on average: a domain.
      expect(schema.columns.color!.domain).toEqual(['blue', 'green', 'red']);
      expect(schema.columns.score!.nullable).not.toBe(false);
      expect(schema.columns.empty!.max_null_fraction).toBe(1);

      await writeFile(join(dir, 'rich.schema.yaml'), inferred.stdout);
      const { run, results } = await validate(dir, ['--data', 'rich.csv', '--schema', 'rich.schema.yaml']);
      expect(run.code).toBe(0);
      expect(results).toMatchObject({ valid: true, errors: 0, warnings: 0, rows: 8 });
      expect(results.anomalies).toEqual([]);
    });

    test('round trip on the example: infer, then validate the same file with zero errors', async () => {
      const dir = await makeTempDir();
      const inferred = await runCli(['infer-schema', PENGUINS_CSV], { cwd: dir });
      expect(inferred.code).toBe(0);
      const schema = parseYaml(inferred.stdout) as { columns: Record<string, { type: string; min?: number; max?: number }> };
      expect(Object.keys(schema.columns)).toEqual(HEADER);
      for (const name of NUMERIC) {
        const values = RECORDS.map((r) => r[HEADER.indexOf(name)]!)
          .filter((v) => v !== '')
          .map(Number);
        expect([name, schema.columns[name]!.min, schema.columns[name]!.max]).toEqual([name, Math.min(...values), Math.max(...values)]);
      }
      await writeFile(join(dir, 'schema.yaml'), inferred.stdout);
      const { run, results } = await validate(dir, ['--data', PENGUINS_CSV, '--schema', 'schema.yaml']);
      expect(run.code).toBe(0);
      expect(results).toMatchObject({ valid: true, errors: 0, warnings: 0, rows: RECORDS.length });
    });

    test('-o writes the schema to a file instead', async () => {
      const dir = await makeTempDir();
      const toStdout = await runCli(['infer-schema', PENGUINS_CSV], { cwd: dir });
      const toFile = await runCli(['infer-schema', PENGUINS_CSV, '-o', 'inferred.yaml'], { cwd: dir });
      expect(toFile.code).toBe(0);
      expect(toFile.stdout).toBe('');
      expect(toFile.stderr).toContain('inferred.yaml');
      expect(await readFile(join(dir, 'inferred.yaml'), 'utf8')).toBe(toStdout.stdout);
    });
  });

  describe('merge-profiles', () => {
    test('the profiles of two halves merge into the profile of the whole', async () => {
      const dir = await makeTempDir();
      const half = Math.floor(RECORDS.length / 2);
      await writeFile(join(dir, 'a.csv'), `${[PENGUIN_LINES[0], ...PENGUIN_LINES.slice(1, 1 + half)].join('\n')}\n`);
      await writeFile(join(dir, 'b.csv'), `${[PENGUIN_LINES[0], ...PENGUIN_LINES.slice(1 + half)].join('\n')}\n`);
      await mkdir(join(dir, 'a'));
      await mkdir(join(dir, 'b'));
      const a = await runCli(['validate-data', '--data', 'a.csv', '--schema', PENGUINS_SCHEMA, '--output-dir', 'a'], { cwd: dir });
      const b = await runCli(['validate-data', '--data', 'b.csv', '--schema', PENGUINS_SCHEMA, '--output-dir', 'b'], { cwd: dir });
      expect([a.code, b.code]).toEqual([0, 0]);
      const merged = await runCli(['merge-profiles', 'a/profile.json', 'b/profile.json', '-o', 'm.json'], { cwd: dir });
      expect(merged.code).toBe(0);
      expect(merged.stderr).toContain('m.json');
      const m = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as Profile;
      const whole = (await validate(dir, ['--data', PENGUINS_CSV])).profile;

      expect(m.format).toBe('mlops-profile/v1');
      expect(m.rows).toBe(RECORDS.length);
      const nulls = penguinNulls();
      expect(Object.fromEntries(m.columns.map((c) => [c.name, c.counts.null]))).toEqual(nulls);
      expect(Object.fromEntries(whole.columns.map((c) => [c.name, c.counts.null]))).toEqual(nulls);
      for (const column of m.columns) {
        const other = whole.columns.find((c) => c.name === column.name)!;
        expect([column.name, column.counts]).toEqual([other.name, other.counts]);
        if (NUMERIC.has(column.name)) {
          const values = RECORDS.map((r) => r[HEADER.indexOf(column.name)]!)
            .filter((v) => v !== '')
            .map(Number);
          const mean = values.reduce((s, v) => s + v, 0) / values.length;
          expect([column.name, column.numeric!.count, column.numeric!.min, column.numeric!.max]).toEqual([
            column.name,
            values.length,
            Math.min(...values),
            Math.max(...values),
          ]);
          expect(Math.abs(column.numeric!.mean - mean) / Math.abs(mean)).toBeLessThan(1e-9);
        }
      }
    });

    test('one run over shards with different columns gives the profile their merge gives', async () => {
      const dir = await makeTempDir();
      // Shard b has a column shard a lacks.
      await writeFile(join(dir, 'a.csv'), `${PENGUIN_LINES.slice(0, 101).join('\n')}\n`);
      await writeFile(
        join(dir, 'b.csv'),
        `${[`${PENGUIN_LINES[0]},ring_id`, ...PENGUIN_LINES.slice(101).map((l, i) => `${l},R${i}`)].join('\n')}\n`,
      );
      const a = await validate(dir, ['--data', 'a.csv']);
      const b = await validate(dir, ['--data', 'b.csv']);
      const both = await validate(dir, ['--data', 'a.csv', 'b.csv']);
      await writeFile(join(dir, 'pa.json'), JSON.stringify(a.profile));
      await writeFile(join(dir, 'pb.json'), JSON.stringify(b.profile));
      expect((await runCli(['merge-profiles', 'pa.json', 'pb.json', '-o', 'm.json'], { cwd: dir })).code).toBe(0);
      const m = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as Profile;
      expect(both.profile.rows).toBe(RECORDS.length);
      const ringMerged = m.columns.find((c) => c.name === 'ring_id')!;
      const ringBoth = both.profile.columns.find((c) => c.name === 'ring_id')!;
      // 100 rows of shard a have no ring_id: missing values in both views of the data.
      expect(ringMerged.counts.null).toBe(100);
      expect(ringBoth.counts).toEqual(ringMerged.counts);
    });

    test('a file that is not a profile is a user error (exit 2)', async () => {
      const dir = await makeTempDir();
      await writeFile(join(dir, 'x.json'), '{"rows": 3}');
      const run = await runCli(['merge-profiles', 'x.json', '-o', 'm.json'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('x.json');
      expect(hasStackTrace(run.stderr)).toBe(false);
      expect(existsSync(join(dir, 'm.json'))).toBe(false);
    });
  });

  test('run --config examples/penguins/mlops.yaml runs the whole loop, and prints every report', async () => {
    const dir = await makeTempDir();
    await cp(EXAMPLE, join(dir, 'examples', 'penguins'), { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
    const run = await runCli(['run', '--config', 'examples/penguins/mlops.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^## Data validation: ✅ passed/);
    const out = join(dir, 'examples', 'penguins', '.mlops');
    const report = await readFile(join(out, 'validate-data', 'report.md'), 'utf8');
    // The terminal gets the reports as plain text: no Markdown escapes or HTML entities.
    expect(run.stdout.startsWith(markdownToTerminal(report))).toBe(true);
    expect(run.stdout).not.toMatch(/\\-|&#39;|\\:/);
    expect(run.stdout).toContain(`${RECORDS.length} rows`);
    expect(run.stderr).toMatch(/valid: true/);
    expect(run.stdout).toContain('## Training: penguins');
    const evaluation = await readFile(join(out, 'evaluate', 'report.md'), 'utf8');
    expect(run.stdout).toContain(markdownToTerminal(evaluation));
    expect(run.stdout).not.toContain('```mermaid');
    expect(run.stderr).toMatch(/blessed: true/);
    // register, deploy to staging, and the drift check of the example's production-like data against the staging model.
    expect(run.stdout).toContain('## Registered: penguins version 1');
    expect(run.stdout).toContain('## Deployed: penguins v1 to staging');
    expect(run.stderr).toMatch(/━━ drift-check/);
    expect(run.stderr).toMatch(/drifted: true/);
    const drift = JSON.parse(await readFile(join(out, 'drift-check', 'drift.json'), 'utf8')) as { reference: unknown };
    expect(drift.reference).toMatchObject({ source: 'profile', description: 'profile of penguins version 1 (staging)', rows: 276 });
    // Paths in the stored profile are relative to the project, never the training machine's.
    expect(JSON.stringify(drift.reference)).not.toContain(dir);
  });

  test('run checks the whole mlops.yaml before any work: a typo under environments stops it with its key path', async () => {
    const dir = await makeTempDir();
    await cp(EXAMPLE, join(dir, 'examples', 'penguins'), { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
    const config = join(dir, 'examples', 'penguins', 'mlops.yaml');
    await writeFile(config, `${await readFile(config, 'utf8')}\nenvironments:\n  production:\n    protectd: true\n`);
    const run = await runCli(['run', '--config', 'examples/penguins/mlops.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/environments\.production/);
    expect(run.stderr).toMatch(/protectd/);
    expect(hasStackTrace(run.stderr)).toBe(false);
    // Nothing was trained or registered.
    expect(existsSync(join(dir, 'examples', 'penguins', '.mlops', 'train'))).toBe(false);
    expect(existsSync(join(dir, 'examples', 'penguins', '.mlops', 'registry'))).toBe(false);
  });

  test('registry list takes the model name from mlops.yaml when none is given', async () => {
    const dir = await makeTempDir();
    await cp(EXAMPLE, join(dir, 'examples', 'penguins'), { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
    const none = await runCli(['registry', 'list', '--config', 'examples/penguins/mlops.yaml'], { cwd: dir });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no versions of penguins yet');
    const bare = await runCli(['registry', 'list'], { cwd: await makeTempDir() });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/which model\?/);
    expect(bare.stderr).toMatch(/model\.name in mlops\.yaml/);
  });

  test('run stops at the first failing step', async () => {
    const dir = await makeTempDir();
    await cp(EXAMPLE, join(dir, 'examples', 'penguins'), { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
    const data = join(dir, 'examples', 'penguins', 'data', 'penguins.csv');
    await writeFile(data, (await readFile(data, 'utf8')).replace(/^Adelie,/m, 'Dodo,'));
    const run = await runCli(['run', '--config', 'examples/penguins/mlops.yaml'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/validate-data failed: the pipeline stops here/);
    expect(run.stdout).not.toContain('## Training');
  });

  describe('exit codes', () => {
    test('1 when validation fails', async () => {
      const dir = await makeTempDir();
      const lines = [...PENGUIN_LINES];
      lines[5] = lines[5]!.replace(/^Adelie/, 'Dodo');
      await writeFile(join(dir, 'bad.csv'), `${lines.join('\n')}\n`);
      const { run, results } = await validate(dir, ['--data', 'bad.csv', '--schema', PENGUINS_SCHEMA]);
      expect(run.code).toBe(1);
      expect(results).toMatchObject({ valid: false, errors: 1, warnings: 0 });
      expect(results.anomalies[0]).toMatchObject({
        kind: 'not_in_domain',
        column: 'species',
        samples: [{ row: 5, line: 6, value: 'Dodo' }],
      });
      expect(run.stdout).toContain('not_in_domain');
      expect(run.stderr).toContain('bad.csv:6');
    });

    test('0 when validation fails but --fail-on never', async () => {
      const dir = await makeTempDir();
      const lines = [...PENGUIN_LINES];
      lines[5] = lines[5]!.replace(/^Adelie/, 'Dodo');
      await writeFile(join(dir, 'bad.csv'), `${lines.join('\n')}\n`);
      const { run, results } = await validate(dir, ['--data', 'bad.csv', '--schema', PENGUINS_SCHEMA, '--fail-on', 'never']);
      expect(run.code).toBe(0);
      expect(results).toMatchObject({ valid: true, errors: 1 });
    });

    const userErrors: Array<{ name: string; args: string[]; says: string[] }> = [
      { name: 'a missing data file', args: ['validate-data', '--data', 'missing.csv'], says: ['missing.csv', 'no such file'] },
      { name: 'a missing schema file', args: ['validate-data', '--data', PENGUINS_CSV, '--schema', 'nope.yaml'], says: ['nope.yaml'] },
      { name: 'a missing config file', args: ['run', '--config', 'nowhere/mlops.yaml'], says: ['nowhere/mlops.yaml'] },
      {
        name: 'a bad --fail-on value',
        args: ['validate-data', '--data', PENGUINS_CSV, '--fail-on', 'sometimes'],
        says: ['sometimes', 'error', 'warning', 'never'],
      },
      { name: 'a bad --format value', args: ['validate-data', '--data', PENGUINS_CSV, '--format', 'xlsx'], says: ['xlsx', 'csv', 'jsonl'] },
      {
        name: 'a bad --max-domain-size value',
        args: ['infer-schema', PENGUINS_CSV, '--max-domain-size', '-3'],
        says: ['--max-domain-size', '-3'],
      },
      { name: 'an unknown flag', args: ['validate-data', '--no-such-flag'], says: ['--no-such-flag'] },
      { name: 'an unknown command', args: ['train-everything'], says: ['train-everything'] },
    ];
    test.each(userErrors)('2 on $name, with a message and no stack trace', async ({ args, says }) => {
      const run = await runCli(args);
      expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
      for (const text of says) expect(run.stderr).toContain(text);
      expect(run.code).toBe(2);
    });
  });

  describe('input formats', () => {
    function jsonLines(): string {
      return RECORDS.map((r) =>
        JSON.stringify(Object.fromEntries(HEADER.map((name, i) => [name, r[i] === '' ? null : NUMERIC.has(name) ? Number(r[i]) : r[i]]))),
      ).join('\n');
    }

    async function expectLikeTheCsv(dir: string, data: string): Promise<void> {
      const { run, results, profile } = await validate(dir, ['--data', data, '--schema', PENGUINS_SCHEMA]);
      expect(run.code).toBe(0);
      expect(results).toMatchObject({ valid: true, errors: 0, warnings: 0, rows: RECORDS.length });
      expect(Object.fromEntries(profile.columns.map((c) => [c.name, c.counts.null]))).toEqual(penguinNulls());
      const mass = profile.columns.find((c) => c.name === 'body_mass_g')!;
      const masses = RECORDS.map((r) => r[HEADER.indexOf('body_mass_g')]!)
        .filter((v) => v !== '')
        .map(Number);
      expect([mass.numeric!.count, mass.numeric!.min, mass.numeric!.max]).toEqual([
        masses.length,
        Math.min(...masses),
        Math.max(...masses),
      ]);
    }

    test('JSON Lines', async () => {
      const dir = await makeTempDir();
      await writeFile(join(dir, 'penguins.jsonl'), `${jsonLines()}\n`);
      await expectLikeTheCsv(dir, 'penguins.jsonl');
    });

    test('gzip CSV', async () => {
      const dir = await makeTempDir();
      await writeFile(join(dir, 'penguins.csv.gz'), gzipSync(readFileSync(PENGUINS_CSV)));
      await expectLikeTheCsv(dir, 'penguins.csv.gz');
    });

    test('gzip JSON Lines', async () => {
      const dir = await makeTempDir();
      await writeFile(join(dir, 'penguins.jsonl.gz'), gzipSync(`${jsonLines()}\n`));
      await expectLikeTheCsv(dir, 'penguins.jsonl.gz');
    });

    test('TSV', async () => {
      const dir = await makeTempDir();
      await writeFile(join(dir, 'penguins.tsv'), `${PENGUIN_LINES.map((l) => l.replace(/,/g, '\t')).join('\n')}\n`);
      await expectLikeTheCsv(dir, 'penguins.tsv');
    });

    test('a JSON Lines line that does not parse is reported at its line', async () => {
      const dir = await makeTempDir();
      const lines = jsonLines().split('\n');
      lines[9] = '{"species": "Adelie", "island":';
      await writeFile(join(dir, 'broken.jsonl.gz'), gzipSync(`${lines.join('\n')}\n`));
      const { run, results } = await validate(dir, ['--data', 'broken.jsonl.gz', '--schema', PENGUINS_SCHEMA]);
      expect(run.code).toBe(1);
      const malformed = results.anomalies.find((a) => a.kind === 'malformed_row')!;
      expect(malformed.samples.map((s) => [s.row, s.line])).toEqual([[10, 10]]);
      expect(run.stderr).toContain('broken.jsonl.gz:10');
    });
  });
});
