/**
 * The contract test of sharded validation: the caller template workflows/validate-sharded.yml
 * calling .github/workflows/mlops-validate-sharded.yml runs on a pull request of the example
 * project, every job on a fresh copy of the checkout, our steps from their dist/ bundles,
 * artifacts through the real client (the results service stand-in), the comment through the
 * GitHub API emulator. The plan splits the example's four data files into three shards; the
 * merged report, results and comment must be one runner's over the same files.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cp, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { validateData } from '../src/steps/validate-data.js';
import { ROOT, makeTempDir, removeTempDirs } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { ResultsService } from './support/results-service.js';
import { runStepInProcess } from './support/step-context.js';
import { cells, NULL_TEXTS } from './support/validate-data.js';
import { checkCallPermissions, runWorkflow } from './support/workflow-runner.js';
import type { WorkflowResult } from './support/workflow-runner.js';

const REPO = { owner: 'octo', repo: 'ml' };
const HEAD = 'cd34'.padEnd(40, '0');
const PR = 31;
const TEMPLATE = join('workflows', 'validate-sharded.yml');

let emulator: GitHubEmulator;
let results: ResultsService;

async function project(): Promise<string> {
  const dir = await makeTempDir('mlops-sharded-');
  await cp(join(ROOT, 'examples', 'penguins'), dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  return dir;
}

const explain = (result: WorkflowResult): string =>
  Object.values(result.jobs)
    .flatMap((j) => [j, ...(j.cells ?? [])])
    .map(
      (j) =>
        `${j.id}: ${j.status}${j.reason ? ` (${j.reason})` : ''}\n${j.steps
          .map((s) => `  ${s.id} ${s.status} ${s.reason ?? ''}\n${s.stdout.slice(-3000)}${s.stderr.slice(-2000)}`)
          .join('')}`,
    )
    .join('\n');

/** The report without its timing ("… 0.0 MB in 0.1 s."). */
const untimed = (report: string) => report.replace(/ MB in [\d.]+ s\./, ' MB in (time) s.');

/** Numbers that are not whole, to 12 significant digits (a merge of moments and one pass differ in the last bits). */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

/**
 * The Columns table with its median cells blanked. A merged quantile sketch (KLL) keeps the
 * error bound of one pass over the rows, not its bits, once a column has more values than the
 * sketch keeps (256 here): medians are checked against the data instead (sketchesWithinBound).
 */
function withoutMedians(report: string): string {
  let columns = false;
  return report
    .split('\n')
    .map((line) => {
      if (line.startsWith('### ')) columns = line === '### Columns';
      if (!columns || !line.startsWith('|') || line.startsWith('| ---')) return line;
      const row = cells(line);
      row[8] = '(median)';
      return row.join(' | ');
    })
    .join('\n');
}

interface ColumnResult {
  name: string;
  quantiles: Record<string, number> | null;
  histogram: Array<{ high: number; count: number }> | null;
}

/** validation.json without what comes from the quantile sketches. */
function withoutSketches(results: Record<string, unknown>): unknown {
  const columns = (results.columns as Array<Record<string, unknown>>).map(({ quantiles: _q, histogram: _h, ...rest }) => rest);
  return rounded({ ...results, columns });
}

/**
 * Every quantile and histogram edge of `columns` within 2% of its rank in the data (the
 * sketch's bound is about 1% at 99% confidence): the data's values read from the CSV files.
 */
async function sketchesWithinBound(dir: string, files: string[], columns: ColumnResult[]): Promise<void> {
  const values = new Map<string, number[]>();
  for (const file of files) {
    const [header, ...lines] = (await readFile(join(dir, file), 'utf8')).trimEnd().split('\n');
    const names = header!.split(',');
    for (const line of lines)
      line.split(',').forEach((text, i) => {
        if (NULL_TEXTS.has(text)) return;
        const list = values.get(names[i]!) ?? [];
        list.push(Number(text));
        values.set(names[i]!, list);
      });
  }
  for (const column of columns) {
    if (!column.quantiles) continue;
    const data = values.get(column.name)!;
    const n = data.length;
    const rank = (v: number) => [data.filter((x) => x < v).length / n, data.filter((x) => x <= v).length / n];
    for (const [name, value] of Object.entries(column.quantiles)) {
      const q = Number(name.slice(1)) / 100;
      const [below, atOrBelow] = rank(value);
      expect([column.name, name, below! <= q + 0.02 && atOrBelow! >= q - 0.02]).toEqual([column.name, name, true]);
    }
    let cumulative = 0;
    for (const bin of column.histogram!) {
      cumulative += bin.count;
      expect(Math.abs(cumulative - data.filter((x) => x <= bin.high).length)).toBeLessThanOrEqual(0.02 * n);
    }
  }
}

let result: WorkflowResult;
let started = 0;
let elapsed = 0;

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  results = await ResultsService.start();
  emulator.addIssue(REPO, PR, { head: { sha: HEAD, repo: 'octo/ml', ref: 'feature' } });
  started = performance.now();
  result = await runWorkflow({
    workflow: join(ROOT, TEMPLATE),
    workspace: await project(),
    jobWorkspaces: await makeTempDir('mlops-sharded-jobs-'),
    eventName: 'pull_request',
    ref: `refs/pull/${PR}/merge`,
    sha: HEAD,
    runId: 7001,
    event: {
      action: 'synchronize',
      number: PR,
      pull_request: {
        number: PR,
        head: { ref: 'feature', sha: HEAD, repo: { full_name: 'octo/ml' } },
        base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo/ml' } },
      },
      repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
    },
    apiUrl: emulator.url,
    results,
  });
  elapsed = performance.now() - started;
}, 180_000);

afterAll(async () => {
  await emulator.close();
  await results.stop();
  await removeTempDirs();
});

describe('sharded validation: workflows/validate-sharded.yml calling mlops-validate-sharded.yml', () => {
  test('GitHub accepts the call: the template grants what the called workflow asks for', () => {
    expect(checkCallPermissions(TEMPLATE)).toEqual([]);
    expect(checkCallPermissions(join('.github', 'workflows', 'mlops-validate-sharded.yml'))).toEqual([]);
  });

  test('plan splits the four files into three shards of consecutive files; each shard job reads its own', () => {
    const plan = result.jobs['validate / plan'];
    if (plan?.status !== 'success') throw new Error(explain(result));
    const shards = JSON.parse(plan.outputs.shards!) as Array<{ name: string; files: string; artifact: string }>;
    expect(shards.map((s) => s.files.split('\n'))).toEqual([
      ['data/penguins-production-ok.csv'],
      ['data/penguins-production.csv', 'data/penguins-test.csv'],
      ['data/penguins.csv'],
    ]);
    expect(plan.outputs.artifacts!.split('\n')).toEqual(['mlops-shard-1-a1', 'mlops-shard-2-a1', 'mlops-shard-3-a1']);
    expect(plan.steps.find((s) => s.id === 'plan')!.summary).toContain('4 files in 3 shards');

    const validate = result.jobs['validate / validate']!;
    expect(validate.cells!.map((c) => [c.status, (c.matrix.shard as { name: string }).name])).toEqual([
      ['success', '1'],
      ['success', '2'],
      ['success', '3'],
    ]);
    // A shard holds part of the rows: its own verdict (shard 2 alone has too many missing sex values) fails nothing.
    const second = validate.cells![1]!.steps.find((s) => s.uses?.includes('actions/validate-data'))!;
    expect(second.outputs).toMatchObject({ valid: 'true', shard: join('.mlops', 'validate-data', 'shard.json') });
    expect(Number(second.outputs.errors)).toBeGreaterThan(0);
    // Every job started from its own checkout: the merge can only have its shards from the artifacts.
    const workspaces = [result.jobs['validate / plan']!, ...validate.cells!, result.jobs['validate / merge']!].map((j) => j.workspace);
    expect(new Set(workspaces).size).toBe(5);
    expect(
      results
        .artifacts('7001')
        .map((a) => a.name)
        .sort(),
    ).toEqual(['mlops-shard-1-a1', 'mlops-shard-2-a1', 'mlops-shard-3-a1', 'mlops-validation-a1']);
    results.assertClean();
  });

  test('the merge judges the whole, as one runner reading every file would: the same report, results and verdict', async () => {
    const merge = result.jobs['validate / merge']!;
    const step = merge.steps.find((s) => s.id === 'merge')!;
    expect(step.stdout).toContain('Merged 3 shards (4 files)');
    // The example's data, all of it, has too many missing sex values: the run fails here, and only here.
    expect(merge.status).toBe('failure');
    expect(result.conclusion).toBe('failure');
    expect(merge.outputs).toMatchObject({ valid: 'false', errors: '3', warnings: '0' });
    expect(result.jobs.validate!.outputs).toMatchObject({ valid: 'false', errors: '3', artifact: 'mlops-validation-a1' });

    const single = await project();
    const one = await runStepInProcess(validateData, { cwd: single, inputs: { data: 'data/*.csv', 'output-dir': 'single' } });
    expect(one.outputs).toMatchObject({ valid: 'false', errors: '3', warnings: '0' });
    const mergedReport = await readFile(join(merge.workspace!, '.mlops', 'validate-data', 'report.md'), 'utf8');
    const singleReport = await readFile(join(single, 'single', 'report.md'), 'utf8');
    expect(withoutMedians(untimed(mergedReport))).toBe(withoutMedians(untimed(singleReport)));
    expect(step.summary).toContain(mergedReport.trim());
    const { shards, ...mergedResults } = JSON.parse(
      await readFile(join(merge.workspace!, '.mlops', 'validate-data', 'validation.json'), 'utf8'),
    ) as Record<string, unknown>;
    const singleResults = JSON.parse(await readFile(join(single, 'single', 'validation.json'), 'utf8')) as Record<string, unknown>;
    expect(withoutSketches(mergedResults)).toEqual(withoutSketches(singleResults));
    expect((shards as unknown[]).length).toBe(3);
    const files = mergedResults.files as string[];
    expect(files).toEqual([
      'data/penguins-production-ok.csv',
      'data/penguins-production.csv',
      'data/penguins-test.csv',
      'data/penguins.csv',
    ]);
    await sketchesWithinBound(single, files, mergedResults.columns as ColumnResult[]);
    await sketchesWithinBound(single, files, singleResults.columns as ColumnResult[]);
  });

  test('one comment on the pull request: the report, its column table folded', () => {
    const comments = emulator.commentsOn(REPO, PR);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body).toContain('<!-- mlops-actions:pr-report:validate-data -->');
    expect(body).toContain('## Data validation: ❌ 3 errors, 0 warnings');
    expect(body).toContain('`too_many_nulls`');
    expect(body).toContain('<details><summary>Columns</summary>');
    expect(result.jobs.validate!.outputs['comment-url']).toMatch(new RegExp(`/pull/${PR}#issuecomment-\\d+$`));
    emulator.assertClean();
  });

  test('the whole run is quick', () => {
    expect(elapsed).toBeLessThan(60_000);
  });
});
