/**
 * validate-data in process: the step's run(ctx) on copies of the example project, judged
 * by what it said (outputs, summary, annotations, failure) and the files it wrote.
 * Expected values come from the data the tests write, never from an earlier run. The
 * runner's contract (INPUT_*, GITHUB_OUTPUT, the summary file, exit status) is proven
 * on the bundle by action-validate-data.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../src/core/errors.js';
import { validateData } from '../src/steps/validate-data.js';
import { removeTempDirs } from './support/action-runner.js';
import { codeSpans } from './support/markdown.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult, RecordedAnnotation } from './support/step-context.js';
import {
  cells,
  HEADER,
  HOSTILE_NAMES,
  hostileProject,
  NULL_TEXTS,
  nonNullCounts,
  PENGUIN_LINES,
  penguinsProject,
  setField,
  tables,
  withExtraColumn,
} from './support/validate-data.js';

afterAll(removeTempDirs);

function at(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

interface AnomalyJson {
  kind: string;
  severity: string;
  column?: string;
  file?: string;
  message: string;
  unexpectedCount?: number;
  checked?: number;
  samples: Array<{ file: string; row: number; line: number; value: string }>;
}

interface ResultsJson {
  valid: boolean;
  errors: number;
  warnings: number;
  failOn: string;
  rows: number;
  anomalies: AnomalyJson[];
  columns: Array<Record<string, unknown>>;
}

async function results(dir: string, run: InProcessResult): Promise<ResultsJson> {
  return JSON.parse(await readFile(at(dir, run.outputs.results!), 'utf8')) as ResultsJson;
}

function validate(dir: string, inputs: Record<string, string> = {}): Promise<InProcessResult> {
  return runStepInProcess(validateData, { cwd: dir, inputs });
}

const errorsOf = (run: InProcessResult): RecordedAnnotation[] => run.io.annotations.filter((a) => a.level === 'error');
const warningsOf = (run: InProcessResult): RecordedAnnotation[] => run.io.annotations.filter((a) => a.level === 'warning');

describe('validate-data in process', () => {
  test('passes on the example and writes its report, profile and results', async () => {
    const dir = await penguinsProject();
    const run = await validate(dir);

    expect(run.error).toBeNull();
    expect(run.failed).toBe(false);
    expect(run.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '0' });
    expect(run.io.annotations).toEqual([]);
    // Default output folder: .mlops/validate-data beside mlops.yaml (here the working directory), shown relative to it.
    expect(run.outputs.report).toBe(join('.mlops', 'validate-data', 'report.md'));
    for (const name of ['report', 'profile', 'results']) expect(existsSync(at(dir, run.outputs[name]!))).toBe(true);

    const report = await readFile(at(dir, run.outputs.report!), 'utf8');
    expect(report).toContain('✅ passed');
    expect(run.io.summary).toContain(report.trim());

    const rows = PENGUIN_LINES.length - 1;
    const nonNull = nonNullCounts(PENGUIN_LINES);
    const json = await results(dir, run);
    expect(json).toMatchObject({ valid: true, errors: 0, warnings: 0, failOn: 'error', rows });
    expect(json.anomalies).toEqual([]);
    expect(json.columns.map((c) => c.name)).toEqual(HEADER);
    for (const column of json.columns) {
      const name = column.name as string;
      expect({ name, count: column.count, nulls: column.nulls }).toEqual({ name, count: nonNull[name], nulls: rows - nonNull[name]! });
    }
    // Numeric statistics against a plain computation over the file.
    const masses = PENGUIN_LINES.slice(1)
      .map((line) => line.split(',')[HEADER.indexOf('body_mass_g')]!)
      .filter((v) => !NULL_TEXTS.has(v))
      .map(Number);
    const mass = json.columns.find((c) => c.name === 'body_mass_g')!;
    expect(mass.type).toBe('integer');
    expect(mass.min).toBe(Math.min(...masses));
    expect(mass.max).toBe(Math.max(...masses));
    const mean = masses.reduce((a, b) => a + b, 0) / masses.length;
    expect(Math.abs((mass.mean as number) - mean) / mean).toBeLessThan(1e-12);
    const species = json.columns.find((c) => c.name === 'species')!;
    expect(species.distinct).toBe(new Set(PENGUIN_LINES.slice(1).map((l) => l.split(',')[0])).size);

    const profile = JSON.parse(await readFile(at(dir, run.outputs.profile!), 'utf8'));
    expect(profile.format).toBe('mlops-profile/v1');
    expect(profile.rows).toBe(rows);
    expect(profile.columns.map((c: { name: string }) => c.name)).toEqual(HEADER);
    expect(run.io.summary).toContain(`${rows} rows`);
    // Paths the step reports are the project's, never this machine's.
    expect(JSON.stringify(run.outputs)).not.toContain(dir);
  });

  describe('broken data', () => {
    const FILE = 'data/broken.csv';
    // Value mutations of single lines of the example (line numbers count the header as line 1).
    const MUTATIONS = [
      { line: 10, column: 'bill_length_mm', value: 'forty', kind: 'wrong_type' },
      { line: 20, column: 'body_mass_g', value: '9999', kind: 'above_max' },
      { line: 30, column: 'flipper_length_mm', value: '100', kind: 'below_min' },
      { line: 40, column: 'species', value: 'Dodo', kind: 'not_in_domain' },
      { line: 70, column: 'bill_depth_mm', value: 'NaN', kind: 'nan' },
      { line: 80, column: 'bill_length_mm', value: 'inf', kind: 'infinity' },
    ] as const;
    const SHORT_LINE = 50; // 5 of 7 fields
    const LONG_LINE = 60; // 8 of 7 fields

    let dir: string;
    let lines: string[];
    let run: InProcessResult;
    beforeAll(async () => {
      dir = await penguinsProject();
      lines = [...PENGUIN_LINES];
      for (const m of MUTATIONS) lines[m.line - 1] = setField(lines, m.line, m.column, m.value);
      lines[SHORT_LINE - 1] = lines[SHORT_LINE - 1]!.split(',').slice(0, 5).join(',');
      lines[LONG_LINE - 1] = `${lines[LONG_LINE - 1]},extra`;
      await writeFile(join(dir, FILE), `${lines.join('\n')}\n`);
      run = await validate(dir, { data: FILE });
    });

    test('fails the step with valid=false and the error and warning counts', () => {
      expect(run.error).toBeNull();
      expect(run.failed).toBe(true);
      expect(run.outputs).toMatchObject({ valid: 'false', errors: String(MUTATIONS.length + 1), warnings: '0' });
      expect(run.io.failed).toMatch(/^Data validation failed: 7 errors, 0 warnings \(fail-on: error\)\. See .*report\.md\.$/);
    });

    test('reports each value anomaly with its count, values checked and the offending row and line', async () => {
      const json = await results(dir, run);
      expect(json.valid).toBe(false);
      expect(json.rows).toBe(lines.length - 1);
      const nonNull = nonNullCounts(lines);
      for (const m of MUTATIONS) {
        const found = json.anomalies.filter((a) => a.kind === m.kind && a.column === m.column);
        expect(found).toHaveLength(1);
        const anomaly = found[0]!;
        // Range and domain checks see the values of the right type; type, NaN and infinity checks see every non-null value.
        const untyped = MUTATIONS.filter((o) => o.column === m.column && ['wrong_type', 'nan', 'infinity'].includes(o.kind)).length;
        const checked = ['below_min', 'above_max', 'not_in_domain'].includes(m.kind) ? nonNull[m.column]! - untyped : nonNull[m.column]!;
        expect({
          kind: anomaly.kind,
          severity: anomaly.severity,
          unexpectedCount: anomaly.unexpectedCount,
          checked: anomaly.checked,
        }).toEqual({ kind: m.kind, severity: 'error', unexpectedCount: 1, checked });
        expect(anomaly.samples).toEqual([{ file: FILE, row: m.line - 1, line: m.line, value: m.value }]);
      }
      const malformed = json.anomalies.filter((a) => a.kind === 'malformed_row');
      expect(malformed).toHaveLength(1);
      expect(malformed[0]!.unexpectedCount).toBe(2);
      expect(malformed[0]!.file).toBe(FILE);
      expect(malformed[0]!.samples.map((s) => [s.row, s.line])).toEqual([
        [SHORT_LINE - 1, SHORT_LINE],
        [LONG_LINE - 1, LONG_LINE],
      ]);
      expect(malformed[0]!.samples[0]!.value).toContain('5 fields');
      expect(malformed[0]!.samples[1]!.value).toContain('8 fields');
      // Nothing else: the short row's two nulls stay within the schema's null tolerance.
      expect(json.anomalies).toHaveLength(MUTATIONS.length + 1);
    });

    test('annotates the data file at the offending line of each anomaly', () => {
      expect(warningsOf(run)).toEqual([]);
      const located = errorsOf(run).filter((a) => a.where?.file !== undefined);
      expect(located).toHaveLength(MUTATIONS.length + 1);
      for (const m of MUTATIONS) {
        const annotation = located.find((a) => a.where?.title === `validate-data: ${m.kind} in ${m.column}`);
        expect(annotation).toBeDefined();
        expect(annotation!.where).toMatchObject({ file: FILE, line: m.line });
        expect(annotation!.message).toContain(m.column);
      }
      const malformed = located.find((a) => a.where?.title === 'validate-data: malformed_row');
      expect(malformed?.where).toMatchObject({ file: FILE, line: SHORT_LINE });
      // The annotated file exists relative to the workspace, where GitHub resolves it.
      expect(existsSync(join(dir, FILE))).toBe(true);
    });

    test('the job summary and report list every anomaly kind with its sample rows', async () => {
      const report = await readFile(at(dir, run.outputs.report!), 'utf8');
      expect(run.io.summary).toContain(report.trim());
      expect(report).toMatch(/❌ 7 errors, 0 warnings/);
      for (const kind of [...MUTATIONS.map((m) => m.kind), 'malformed_row']) expect(report).toContain(`\`${kind}\``);
      for (const m of MUTATIONS) expect(report).toContain(`row ${m.line - 1} (line ${m.line}): \`${m.value}\``);
      const anomalyTable = tables(report)[0]!;
      expect(anomalyTable.length - 2).toBe(MUTATIONS.length + 1);
    });
  });

  describe('file-level problems', () => {
    const cases: Array<{
      name: string;
      file: string;
      text: () => string;
      errors: number;
      warnings: number;
      kinds: string[];
      column?: string;
    }> = [
      {
        name: 'a missing column',
        file: 'data/no-sex.csv',
        text: () => `${PENGUIN_LINES.map((l) => l.split(',').slice(0, 6).join(',')).join('\n')}\n`,
        errors: 1,
        warnings: 0,
        kinds: ['missing_column'],
        column: 'sex',
      },
      {
        name: 'an extra column',
        file: 'data/extra.csv',
        text: withExtraColumn,
        errors: 0,
        warnings: 1,
        kinds: ['unexpected_column'],
        column: 'ring_id',
      },
      { name: 'an empty file', file: 'data/empty.csv', text: () => '', errors: 2, warnings: 0, kinds: ['empty_file', 'too_few_rows'] },
      {
        name: 'a header without rows',
        file: 'data/header.csv',
        text: () => `${PENGUIN_LINES[0]}\n`,
        errors: 2,
        warnings: 0,
        kinds: ['empty_file', 'too_few_rows'],
      },
    ];

    test.each(cases)('$name', async ({ file, text, errors, warnings, kinds, column }) => {
      const dir = await penguinsProject();
      await writeFile(join(dir, file), text());
      const run = await validate(dir, { data: file });
      expect(run.error).toBeNull();
      expect(run.outputs).toMatchObject({ errors: String(errors), warnings: String(warnings), valid: String(errors === 0) });
      expect(run.failed).toBe(errors !== 0);
      const json = await results(dir, run);
      expect(json.anomalies.map((a) => a.kind).sort()).toEqual([...kinds].sort());
      const first = json.anomalies[0]!;
      if (column !== undefined) expect(first.column).toBe(column);
      if (first.kind !== 'too_few_rows') expect(first.file).toBe(file);
      // Annotations on the file (no line: the problem is the whole file).
      const fileAnnotations = run.io.annotations.filter((a) => a.where?.file !== undefined);
      expect(fileAnnotations.map((a) => [a.level, a.where!.file, a.where!.line])).toEqual(
        json.anomalies.filter((a) => a.file !== undefined).map((a) => [a.severity, file, undefined]),
      );
      for (const kind of kinds) expect(run.io.summary).toContain(`\`${kind}\``);
      if (column !== undefined) expect(run.io.summary).toContain(`\`${column}\``);
    });

    test('several data files in one run: the input takes one per line', async () => {
      const dir = await penguinsProject();
      await writeFile(join(dir, 'data', 'extra.csv'), withExtraColumn());
      const run = await validate(dir, { data: '  data/penguins.csv\n\n data/extra.csv \n' });
      expect(run.failed).toBe(false);
      expect(run.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '1' });
      const json = await results(dir, run);
      expect(json.rows).toBe(2 * (PENGUIN_LINES.length - 1));
      expect(json.anomalies.map((a) => [a.kind, a.column, a.file])).toEqual([['unexpected_column', 'ring_id', 'data/extra.csv']]);
      const ring = json.columns.find((c) => c.name === 'ring_id')!;
      expect(ring.count).toBe(PENGUIN_LINES.length - 1);
    });
  });

  describe('where inputs and paths come from', () => {
    test('data.path and data.schema of mlops.yaml are relative to its folder, not to the working directory', async () => {
      const dir = await penguinsProject();
      await mkdir(join(dir, 'ml'));
      // The example's mlops.yaml, moved one folder down: its paths now climb back up.
      const config = await readFile(join(dir, 'mlops.yaml'), 'utf8');
      await writeFile(
        join(dir, 'ml', 'mlops.yaml'),
        config.replace(/path: data\//, 'path: ../data/').replace(/schema: schema\.yaml/, 'schema: ../schema.yaml'),
      );
      expect(await readFile(join(dir, 'ml', 'mlops.yaml'), 'utf8')).toContain('../schema.yaml');
      const run = await validate(dir, { config: 'ml/mlops.yaml' });
      expect(run.error).toBeNull();
      expect(run.outputs).toMatchObject({ valid: 'true', errors: '0' });
      // Default output beside mlops.yaml; the schema was found (no structure-only warning).
      expect(run.outputs.report).toBe(join('ml', '.mlops', 'validate-data', 'report.md'));
      expect(run.io.warnings()).toEqual([]);
      expect((await results(dir, run)).rows).toBe(PENGUIN_LINES.length - 1);
    });

    test('without a schema only the structure is checked, with a warning saying how to write one', async () => {
      const dir = await penguinsProject();
      await writeFile(join(dir, 'mlops.yaml'), 'version: 1\ndata:\n  path: data/penguins.csv\n');
      const run = await validate(dir);
      expect(run.failed).toBe(false);
      expect(run.io.warnings()).toEqual([expect.stringContaining('mlops infer-schema')]);
      expect((await results(dir, run)).anomalies).toEqual([]);
    });

    test('data.format of mlops.yaml applies when the input is not set; the input wins over it', async () => {
      const dir = await penguinsProject();
      // Comma-separated data in a .txt file: only an explicit format reads it.
      await writeFile(join(dir, 'data', 'penguins.txt'), `${PENGUIN_LINES.join('\n')}\n`);
      await writeFile(join(dir, 'mlops.yaml'), 'version: 1\ndata:\n  path: data/penguins.txt\n  schema: schema.yaml\n  format: csv\n');
      const fromConfig = await validate(dir);
      expect(fromConfig.error).toBeNull();
      expect(fromConfig.outputs).toMatchObject({ valid: 'true', errors: '0' });
      const fromInput = await validate(dir, { format: 'tsv' });
      // Read as TSV, each line is one field: every schema column but the first is missing.
      expect(fromInput.outputs.valid).toBe('false');
      expect((await results(dir, fromInput)).anomalies.map((a) => a.kind)).toContain('missing_column');
    });

    test('output-dir is relative to the working directory; a folder that cannot be written is an error before any reading', async () => {
      const dir = await penguinsProject();
      const run = await validate(dir, { 'output-dir': 'reports/data' });
      expect(run.outputs.report).toBe(join('reports', 'data', 'report.md'));
      expect(existsSync(join(dir, 'reports', 'data', 'validation.json'))).toBe(true);

      const refused = await validate(dir, { 'output-dir': '/proc/mlops-reports' });
      expect(refused.error).toBeInstanceOf(UserError);
      expect(refused.error!.message).toContain('output-dir');
      expect(refused.error!.message).toContain('/proc/mlops-reports');
      expect(refused.io.logs.some((l) => l.startsWith('── Reading'))).toBe(false);
    });

    test('artifact-name outside a GitHub Actions job step: the reports stay where they are, and the log says so', async () => {
      const dir = await penguinsProject();
      const run = await validate(dir, { 'artifact-name': 'data-reports' });
      expect(run.failed).toBe(false);
      expect(run.io.log).toContain(
        `artifact-name is set but this is not a GitHub Actions job step: the reports stay in ${join('.mlops', 'validate-data')}.`,
      );
    });
  });

  describe('fail-on', () => {
    test('never: broken data keeps the step green with valid=true, still counting and annotating', async () => {
      const dir = await penguinsProject();
      const lines = [...PENGUIN_LINES];
      lines[9] = setField(lines, 10, 'species', 'Dodo');
      lines[19] = setField(lines, 20, 'island', 'Atlantis');
      await writeFile(join(dir, 'data', 'bad.csv'), `${lines.join('\n')}\n`);
      const run = await validate(dir, { data: 'data/bad.csv', 'fail-on': 'never' });
      expect(run.failed).toBe(false);
      expect(run.outputs).toMatchObject({ valid: 'true', errors: '2', warnings: '0' });
      expect(errorsOf(run).map((a) => [a.where?.title, a.where?.line])).toEqual([
        ['validate-data: not_in_domain in species', 10],
        ['validate-data: not_in_domain in island', 20],
      ]);
      expect(run.io.log).not.toContain('Data validation failed');
      expect((await results(dir, run)).valid).toBe(true);
    });

    test('warning: data with only warnings fails the step; clean data passes', async () => {
      const dir = await penguinsProject();
      await writeFile(join(dir, 'data', 'extra.csv'), withExtraColumn());
      const failing = await validate(dir, { data: 'data/extra.csv', 'fail-on': 'warning' });
      expect(failing.failed).toBe(true);
      expect(failing.outputs).toMatchObject({ valid: 'false', errors: '0', warnings: '1' });
      expect(failing.io.failed).toMatch(/0 errors, 1 warnings? \(fail-on: warning\)/);

      const passing = await validate(dir, { 'fail-on': 'warning' });
      expect(passing.failed).toBe(false);
      expect(passing.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '0' });
    });

    test('validate.fail_on in mlops.yaml applies when the input is not set', async () => {
      const dir = await penguinsProject();
      const config = await readFile(join(dir, 'mlops.yaml'), 'utf8');
      expect(config).toMatch(/fail_on: error/);
      await writeFile(join(dir, 'mlops.yaml'), config.replace(/fail_on: error/, 'fail_on: warning'));
      await writeFile(join(dir, 'data', 'extra.csv'), withExtraColumn());
      const run = await validate(dir, { data: 'data/extra.csv' });
      expect(run.failed).toBe(true);
      expect(run.outputs.valid).toBe('false');
      expect(run.io.failed).toContain('(fail-on: warning)');
    });
  });

  describe('user errors name what is wrong', () => {
    async function errorOf(dir: string, inputs: Record<string, string>): Promise<string> {
      const run = await validate(dir, inputs);
      expect(run.error).toBeInstanceOf(UserError);
      return run.error!.message;
    }

    test('a bad input value names the input and its allowed values, and sets no output', async () => {
      const dir = await penguinsProject();
      const run = await validate(dir, { 'fail-on': 'sometimes' });
      expect(run.error).toBeInstanceOf(UserError);
      const message = run.error!.message;
      expect(message).toContain('fail-on');
      expect(message).toContain('sometimes');
      expect(message).toMatch(/error, warning,? (or )?never/);
      expect(run.outputs).toEqual({});
    });

    test('a bad format value names the input too', async () => {
      const message = await errorOf(await penguinsProject(), { format: 'xlsx' });
      expect(message).toContain('format');
      expect(message).toContain('xlsx');
      expect(message).toMatch(/auto, csv, tsv,? (or )?jsonl/);
    });

    test('a missing data file names the path', async () => {
      const message = await errorOf(await penguinsProject(), { data: 'data/missing.csv' });
      expect(message).toContain('data/missing.csv');
      expect(message).toMatch(/no such file/i);
    });

    test('a glob that matches nothing names the glob', async () => {
      const message = await errorOf(await penguinsProject(), { data: 'data/*.parquet' });
      expect(message).toContain('*.parquet');
    });

    test('no data at all: says where to set it', async () => {
      const dir = await penguinsProject();
      await writeFile(join(dir, 'mlops.yaml'), 'version: 1\n');
      const message = await errorOf(dir, {});
      expect(message).toBe('no data to validate');
    });

    test('a broken mlops.yaml names each bad key by its path', async () => {
      const dir = await penguinsProject();
      await writeFile(
        join(dir, 'mlops.yaml'),
        [
          'version: 1',
          'data:',
          '  path: data/penguins.csv',
          '  schema: schema.yaml',
          '  shema: typo.yaml',
          'validate:',
          '  sample_rows: lots',
          '',
        ].join('\n'),
      );
      const message = await errorOf(dir, {});
      expect(message).toContain('mlops.yaml');
      expect(message).toMatch(/shema/);
      expect(message).toMatch(/data/);
      expect(message).toContain('validate.sample_rows');
    });

    test('an explicit config that does not exist names the path', async () => {
      const message = await errorOf(await penguinsProject(), { config: 'ci/mlops.yaml' });
      expect(message).toContain('ci/mlops.yaml');
    });

    test('a broken schema names the column and key', async () => {
      const dir = await penguinsProject();
      await writeFile(join(dir, 'bad-schema.yaml'), 'version: 1\ncolumns:\n  species:\n    type: text\n');
      const message = await errorOf(dir, { schema: 'bad-schema.yaml' });
      expect(message).toContain('bad-schema.yaml');
      expect(message).toContain('columns.species.type');
    });
  });

  test('hostile column names and values are escaped in the job summary', async () => {
    const dir = await hostileProject();
    const run = await validate(dir, { data: 'hostile.csv', schema: 'schema.yaml', 'output-dir': 'out' });
    expect(run.failed).toBe(true);
    expect(run.outputs.report).toBe(join('out', 'report.md'));
    // The name with a line break reaches the annotation whole (the runner's adapter escapes it; see the bundle test).
    expect(run.io.annotations.some((a) => a.level === 'warning' && a.message.includes('evil\n::error::injected'))).toBe(true);
    const summary = run.io.summary;
    expect(summary.length).toBeGreaterThan(0);

    // Every table row has as many cells as its header.
    const found = tables(summary);
    expect(found.length).toBe(2);
    for (const table of found) for (const row of table) expect(row.length).toBe(table[0]!.length);

    // Outside code spans: no HTML but <br>, no live @mention.
    for (const line of summary.split('\n')) {
      const parts = line.startsWith('|') ? cells(line) : [line];
      for (const part of parts) {
        const { outside } = codeSpans(part);
        expect(outside.replace(/<br>/g, '')).not.toMatch(/<[A-Za-z!/]/);
        expect(outside).not.toMatch(/(^|[^\w`])@[A-Za-z0-9]/);
      }
    }

    // The columns table names every column exactly, as one code span each.
    const columnsTable = found[1]!;
    const shownNames = columnsTable.slice(2).map((row) => {
      const { outside, spans } = codeSpans(row[0]!);
      expect(outside).toBe('\u0000');
      return spans[0];
    });
    // (A line break shows as ↵, keeping the name on its table row.)
    expect([...shownNames].sort()).toEqual(HOSTILE_NAMES.map((n) => n.replace(/\n/g, '↵')).sort());

    // Sample values come back verbatim from their code spans.
    const anomalies = found[0]!.slice(2);
    const samples = anomalies.flatMap((row) => codeSpans(row[5]!).spans);
    for (const value of ['<script>x()</script>', '<img src=x onerror=alert(3)>', '`x`', '```', '@admin']) expect(samples).toContain(value);
    // The missing column is named in a sentence: entities and escapes, read back as the name.
    const missing = anomalies.find((row) => row[1] === '`missing_column`')!;
    expect(codeSpans(missing[2]!).spans).toEqual(['| missing <script>alert(4)</script> @here']);
    expect(missing[3]).not.toContain('<script');
    expect(missing[3]).toContain('&lt;script&gt;');
  });
});
