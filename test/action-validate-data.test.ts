/**
 * The validate-data action, proven from its bundle: dist/validate-data/index.js run
 * as the GitHub runner runs it, then judged by what it wrote (outputs, job summary,
 * annotations, exit code, report files). Expected values come from the data the
 * tests write, never from an earlier run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { BUNDLES, ROOT, hasStackTrace, makeTempDir, removeTempDirs, runAction } from './support/action-runner.js';
import type { ActionResult, Annotation } from './support/action-runner.js';
import { codeSpans } from './support/markdown.js';

const EXAMPLE = join(ROOT, 'examples', 'penguins');
const PENGUINS_TEXT = readFileSync(join(EXAMPLE, 'data', 'penguins.csv'), 'utf8');
/** The example's lines (no quoting in this file, so a line is a record). */
const PENGUIN_LINES = PENGUINS_TEXT.replace(/\n$/, '').split('\n');
const HEADER = PENGUIN_LINES[0]!.split(',');
const NULL_TEXTS = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'Null', 'None', '#N/A']);

afterAll(removeTempDirs);

/** A fresh copy of the example project (without any earlier run's .mlops folder). */
async function project(): Promise<string> {
  const dir = await makeTempDir('mlops-penguins-');
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  return dir;
}

function at(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

/** Per column: values that are not null, in comma-split lines (short lines lack trailing fields). */
function nonNullCounts(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(HEADER.map((name) => [name, 0]));
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    HEADER.forEach((name, i) => {
      const value = fields[i];
      if (value !== undefined && !NULL_TEXTS.has(value)) counts[name]!++;
    });
  }
  return counts;
}

function setField(lines: string[], line: number, column: string, value: string): string {
  const fields = lines[line - 1]!.split(',');
  const index = HEADER.indexOf(column);
  // The test only means something if the value it replaces was there.
  expect(NULL_TEXTS.has(fields[index]!)).toBe(false);
  fields[index] = value;
  return fields.join(',');
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

async function results(
  dir: string,
  run: ActionResult,
): Promise<{
  valid: boolean;
  errors: number;
  warnings: number;
  rows: number;
  anomalies: AnomalyJson[];
  columns: Array<Record<string, unknown>>;
}> {
  return JSON.parse(await readFile(at(dir, run.outputs.results!), 'utf8'));
}

function errorsAndWarnings(run: ActionResult): { errors: Annotation[]; warnings: Annotation[] } {
  return { errors: run.annotations.filter((a) => a.command === 'error'), warnings: run.annotations.filter((a) => a.command === 'warning') };
}

// ---------------------------------------------------------------------------
// Markdown as GitHub reads it: table rows split at unescaped pipes, then code spans.

/** The cells of a table row `| a | b |` (a pipe escaped with a backslash stays in its cell, unescaped). */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let cell = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\' && inner[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

/** Tables of a Markdown document: runs of lines that start with a pipe. */
function tables(markdown: string): string[][][] {
  const found: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      if (!current) found.push((current = []));
      current.push(cells(line));
    } else current = null;
  }
  return found;
}

// ---------------------------------------------------------------------------

describe('validate-data action (dist/validate-data/index.js)', () => {
  test('passes on the bundled example and writes its report, profile and results', async () => {
    const dir = await project();
    const run = await runAction(BUNDLES.validateData, { inputs: {}, cwd: dir });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '0' });
    expect(run.annotations).toEqual([]);
    // Default output folder: .mlops/validate-data beside mlops.yaml (here the working directory).
    expect(at(dir, run.outputs.report!)).toBe(join(dir, '.mlops', 'validate-data', 'report.md'));
    for (const name of ['report', 'profile', 'results']) expect(existsSync(at(dir, run.outputs[name]!))).toBe(true);

    const report = await readFile(at(dir, run.outputs.report!), 'utf8');
    expect(report).toContain('✅ passed');
    expect(run.summary).toContain(report.trim());

    const rows = PENGUIN_LINES.length - 1;
    const nonNull = nonNullCounts(PENGUIN_LINES);
    const json = await results(dir, run);
    expect(json).toMatchObject({ valid: true, errors: 0, warnings: 0, rows });
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
    expect(run.summary).toContain(`${rows} rows`);
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

    function brokenLines(): string[] {
      const lines = [...PENGUIN_LINES];
      for (const m of MUTATIONS) lines[m.line - 1] = setField(lines, m.line, m.column, m.value);
      lines[SHORT_LINE - 1] = lines[SHORT_LINE - 1]!.split(',').slice(0, 5).join(',');
      lines[LONG_LINE - 1] = `${lines[LONG_LINE - 1]},extra`;
      return lines;
    }

    let dir: string;
    let lines: string[];
    let run: ActionResult;
    beforeAll(async () => {
      dir = await project();
      lines = brokenLines();
      await writeFile(join(dir, FILE), `${lines.join('\n')}\n`);
      run = await runAction(BUNDLES.validateData, { inputs: { data: FILE }, cwd: dir });
    });

    test('fails the step with valid=false and the error and warning counts', async () => {
      expect(run.code).not.toBe(0);
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ valid: 'false', errors: String(MUTATIONS.length + 1), warnings: '0' });
      const failure = run.annotations.filter((a) => Object.keys(a.properties).length === 0);
      expect(failure).toHaveLength(1);
      expect(failure[0]!.message).toMatch(/^Data validation failed: 7 errors, 0 warnings/);
      expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
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
        }).toEqual({
          kind: m.kind,
          severity: 'error',
          unexpectedCount: 1,
          checked,
        });
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
      const { errors, warnings } = errorsAndWarnings(run);
      expect(warnings).toEqual([]);
      const located = errors.filter((a) => a.properties.file !== undefined);
      expect(located).toHaveLength(MUTATIONS.length + 1);
      for (const m of MUTATIONS) {
        const annotation = located.find((a) => a.properties.title === `validate-data: ${m.kind} in ${m.column}`);
        expect(annotation).toBeDefined();
        expect(annotation!.properties).toMatchObject({ file: FILE, line: String(m.line) });
        expect(annotation!.message).toContain(m.column);
      }
      const malformed = located.find((a) => a.properties.title === 'validate-data: malformed_row');
      expect(malformed?.properties).toMatchObject({ file: FILE, line: String(SHORT_LINE) });
      // The annotated file exists relative to the workspace, where GitHub resolves it.
      expect(existsSync(join(dir, FILE))).toBe(true);
    });

    test('the job summary and report list every anomaly kind with its sample rows', async () => {
      const report = await readFile(at(dir, run.outputs.report!), 'utf8');
      expect(run.summary).toContain(report.trim());
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
        text: () => `${PENGUIN_LINES.map((l, i) => `${l},${i === 0 ? 'ring_id' : `R${i}`}`).join('\n')}\n`,
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
      const dir = await project();
      await writeFile(join(dir, file), text());
      const run = await runAction(BUNDLES.validateData, { inputs: { data: file }, cwd: dir });
      expect(run.outputs).toMatchObject({ errors: String(errors), warnings: String(warnings), valid: String(errors === 0) });
      expect(run.code).toBe(errors === 0 ? 0 : 1);
      const json = await results(dir, run);
      expect(json.anomalies.map((a) => a.kind).sort()).toEqual([...kinds].sort());
      const first = json.anomalies[0]!;
      if (column !== undefined) expect(first.column).toBe(column);
      if (first.kind !== 'too_few_rows') expect(first.file).toBe(file);
      // Annotations on the file (no line: the problem is the whole file).
      const fileAnnotations = run.annotations.filter((a) => a.properties.file !== undefined);
      expect(fileAnnotations.map((a) => [a.command, a.properties.file, a.properties.line])).toEqual(
        json.anomalies.filter((a) => a.file !== undefined).map((a) => [a.severity, file, undefined]),
      );
      for (const kind of kinds) expect(run.summary).toContain(`\`${kind}\``);
      if (column !== undefined) expect(run.summary).toContain(`\`${column}\``);
    });

    test('several data files in one run: the input takes one per line', async () => {
      const dir = await project();
      await writeFile(
        join(dir, 'data', 'extra.csv'),
        `${PENGUIN_LINES.map((l, i) => `${l},${i === 0 ? 'ring_id' : `R${i}`}`).join('\n')}\n`,
      );
      const run = await runAction(BUNDLES.validateData, { inputs: { data: '  data/penguins.csv\n\n data/extra.csv \n' }, cwd: dir });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '1' });
      const json = await results(dir, run);
      expect(json.rows).toBe(2 * (PENGUIN_LINES.length - 1));
      expect(json.anomalies.map((a) => [a.kind, a.column, a.file])).toEqual([['unexpected_column', 'ring_id', 'data/extra.csv']]);
      const ring = json.columns.find((c) => c.name === 'ring_id')!;
      expect(ring.count).toBe(PENGUIN_LINES.length - 1);
    });
  });

  describe('fail-on', () => {
    test('never: broken data keeps the step green with valid=true, still counting and annotating', async () => {
      const dir = await project();
      const lines = [...PENGUIN_LINES];
      lines[9] = setField(lines, 10, 'species', 'Dodo');
      lines[19] = setField(lines, 20, 'island', 'Atlantis');
      await writeFile(join(dir, 'data', 'bad.csv'), `${lines.join('\n')}\n`);
      const run = await runAction(BUNDLES.validateData, { inputs: { data: 'data/bad.csv', 'fail-on': 'never' }, cwd: dir });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ valid: 'true', errors: '2', warnings: '0' });
      const { errors } = errorsAndWarnings(run);
      expect(errors.map((a) => [a.properties.title, a.properties.line])).toEqual([
        ['validate-data: not_in_domain in species', '10'],
        ['validate-data: not_in_domain in island', '20'],
      ]);
      expect(run.stdout).not.toContain('Data validation failed');
      expect((await results(dir, run)).valid).toBe(true);
    });

    test('warning: data with only warnings fails the step; clean data passes', async () => {
      const dir = await project();
      await writeFile(
        join(dir, 'data', 'extra.csv'),
        `${PENGUIN_LINES.map((l, i) => `${l},${i === 0 ? 'ring_id' : `R${i}`}`).join('\n')}\n`,
      );
      const failing = await runAction(BUNDLES.validateData, { inputs: { data: 'data/extra.csv', 'fail-on': 'warning' }, cwd: dir });
      expect(failing.code).toBe(1);
      expect(failing.outputs).toMatchObject({ valid: 'false', errors: '0', warnings: '1' });
      expect(failing.annotations.find((a) => Object.keys(a.properties).length === 0)?.message).toMatch(
        /0 errors, 1 warnings? \(fail-on: warning\)/,
      );

      const passing = await runAction(BUNDLES.validateData, { inputs: { 'fail-on': 'warning' }, cwd: dir });
      expect(passing.code).toBe(0);
      expect(passing.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '0' });
    });

    test('validate.fail_on in mlops.yaml applies when the input is not set', async () => {
      const dir = await project();
      const config = await readFile(join(dir, 'mlops.yaml'), 'utf8');
      await writeFile(join(dir, 'mlops.yaml'), config.replace(/fail_on: error/, 'fail_on: warning'));
      await writeFile(
        join(dir, 'data', 'extra.csv'),
        `${PENGUIN_LINES.map((l, i) => `${l},${i === 0 ? 'ring_id' : `R${i}`}`).join('\n')}\n`,
      );
      const run = await runAction(BUNDLES.validateData, { inputs: { data: 'data/extra.csv' }, cwd: dir });
      expect(run.code).toBe(1);
      expect(run.outputs.valid).toBe('false');
    });
  });

  describe('user errors fail with a message, never a stack trace', () => {
    function failureOf(run: ActionResult): string {
      expect(run.code).toBe(1);
      expect(hasStackTrace(run.stdout)).toBe(false);
      expect(hasStackTrace(run.stderr)).toBe(false);
      const failures = run.annotations.filter((a) => a.command === 'error' && Object.keys(a.properties).length === 0);
      expect(failures).toHaveLength(1);
      return failures[0]!.message;
    }

    test('a bad input value names the input and its allowed values', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.validateData, { inputs: { 'fail-on': 'sometimes' }, cwd: dir });
      const message = failureOf(run);
      expect(message).toContain('fail-on');
      expect(message).toContain('sometimes');
      expect(message).toMatch(/error, warning,? (or )?never/);
      expect(run.outputs).toEqual({});
    });

    test('a bad format value names the input too', async () => {
      const dir = await project();
      const message = failureOf(await runAction(BUNDLES.validateData, { inputs: { format: 'xlsx' }, cwd: dir }));
      expect(message).toContain('format');
      expect(message).toContain('xlsx');
      expect(message).toMatch(/auto, csv, tsv,? (or )?jsonl/);
    });

    test('a missing data file names the path', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.validateData, { inputs: { data: 'data/missing.csv' }, cwd: dir });
      const message = failureOf(run);
      expect(message).toContain('data/missing.csv');
      expect(message).toMatch(/no such file/i);
    });

    test('a glob that matches nothing names the glob', async () => {
      const dir = await project();
      const message = failureOf(await runAction(BUNDLES.validateData, { inputs: { data: 'data/*.parquet' }, cwd: dir }));
      expect(message).toContain('*.parquet');
    });

    test('a broken mlops.yaml names each bad key by its path', async () => {
      const dir = await project();
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
      const message = failureOf(await runAction(BUNDLES.validateData, { inputs: {}, cwd: dir }));
      expect(message).toContain('mlops.yaml');
      expect(message).toMatch(/shema/);
      expect(message).toMatch(/data/);
      expect(message).toContain('validate.sample_rows');
    });

    test('an explicit config that does not exist names the path', async () => {
      const dir = await project();
      const message = failureOf(await runAction(BUNDLES.validateData, { inputs: { config: 'ci/mlops.yaml' }, cwd: dir }));
      expect(message).toContain('ci/mlops.yaml');
    });

    test('a broken schema names the column and key', async () => {
      const dir = await project();
      await writeFile(join(dir, 'bad-schema.yaml'), 'version: 1\ncolumns:\n  species:\n    type: text\n');
      const message = failureOf(await runAction(BUNDLES.validateData, { inputs: { schema: 'bad-schema.yaml' }, cwd: dir }));
      expect(message).toContain('bad-schema.yaml');
      expect(message).toContain('columns.species.type');
    });
  });

  test('hostile column names and values are escaped in the job summary', async () => {
    const dir = await makeTempDir('mlops-hostile-');
    // The last name tries to start a workflow command of its own on a new line.
    const names = [
      'id',
      '<script>alert(1)</script>',
      'a|b',
      '`tick`',
      '@octocat',
      '**bold** _it_',
      '<img src=x onerror=alert(2)>',
      'evil\n::error::injected',
    ];
    const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const rows = [
      ['1', '<script>x()</script>', 'p|q', '`x`', '@admin', '[link](https://example.com)', '<b>bold</b>', 'a\n::warning::value'],
      ['2', '<img src=x onerror=alert(3)>', '|||', '```', '@org/team', '# heading', '| --- |', 'b'],
      ['3', '&lt;script&gt;', 'x\\|y', 'a ` b', '@@', '<!-- c -->', '<script', 'c'],
    ];
    await writeFile(join(dir, 'hostile.csv'), [names, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n');
    const schemaNames = {
      id: '{ type: integer }',
      '<script>alert(1)</script>': '{ type: integer }',
      '`tick`': '{ type: string, domain: [ok] }',
      '@octocat': '{ type: integer }',
      '**bold** _it_': '{ type: string, domain: [ok] }',
      '<img src=x onerror=alert(2)>': '{ type: integer }',
      '| missing <script>alert(4)</script> @here': '{ type: string }',
    };
    await writeFile(
      join(dir, 'schema.yaml'),
      `version: 1\ncolumns:\n${Object.entries(schemaNames)
        .map(([name, spec]) => `  ${JSON.stringify(name)}: ${spec}`)
        .join('\n')}\n`,
    );
    const run = await runAction(BUNDLES.validateData, {
      inputs: { data: 'hostile.csv', schema: 'schema.yaml', 'output-dir': 'out' },
      cwd: dir,
    });
    expect(run.code).toBe(1);
    expect(run.outputs.report).toBe(join('out', 'report.md'));
    // No name or value started a workflow command of its own.
    expect(run.stdout).not.toMatch(/^::(error|warning)::(injected|value)/m);
    expect(run.annotations.filter((a) => a.message === 'injected' || a.message === 'value')).toEqual([]);
    expect(run.annotations.some((a) => a.command === 'warning' && a.message.includes('evil\n::error::injected'))).toBe(true);
    const summary = run.summary;
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
    expect([...shownNames].sort()).toEqual(names.map((n) => n.replace(/\n/g, '↵')).sort());

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

  describe('the root action (dist/main/index.js)', () => {
    test('step: validate-data runs the step', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.main, { inputs: { step: 'validate-data' }, cwd: dir });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '0' });
      expect(existsSync(at(dir, run.outputs.report!))).toBe(true);
      expect(run.summary).toContain('Data validation');
    });

    test('step: validate-data passes the other inputs on', async () => {
      const dir = await project();
      await mkdir(join(dir, 'elsewhere'));
      await writeFile(join(dir, 'elsewhere', 'empty.csv'), '');
      const run = await runAction(BUNDLES.main, {
        inputs: { step: 'validate-data', data: 'elsewhere/empty.csv', 'output-dir': 'reports' },
        cwd: dir,
      });
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ valid: 'false', errors: '2', report: join('reports', 'report.md') });
    });

    test('step: an unknown step fails with a clear message naming the steps', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.main, { inputs: { step: 'serve' }, cwd: dir });
      expect(run.code).toBe(1);
      expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
      const failures = run.annotations.filter((a) => a.command === 'error');
      expect(failures).toHaveLength(1);
      expect(failures[0]!.message).toContain('"serve"');
      expect(failures[0]!.message).toContain('validate-data, train, evaluate, register, deploy, drift-check');
      expect(run.outputs).toEqual({});
    });

    test('step: train runs the train bundle', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.main, { inputs: { step: 'train', epochs: '3' }, cwd: dir });
      expect(run.code).toBe(0);
      expect(run.outputs.backend).toBe('wasm');
      expect(existsSync(join(dir, run.outputs['model-dir']!, 'model.json'))).toBe(true);
    });

    test('no step fails naming the input', async () => {
      const dir = await project();
      const run = await runAction(BUNDLES.main, { inputs: {}, cwd: dir });
      expect(run.code).toBe(1);
      expect(run.annotations.find((a) => a.command === 'error')?.message).toMatch(/step/);
    });
  });
});
