/**
 * The contract test of the reusable workflows: the caller templates users copy
 * (workflows/*.yml) and the reusable workflows they call (.github/workflows/mlops-*.yml)
 * run job by job on the example project, every step of ours from its dist/ bundle with
 * the runner's environment contract, against the GitHub API emulator (checked against
 * GitHub's OpenAPI description) and the Actions results service stand-in (the real
 * artifact and cache clients, blobs in Azurite). Third-party steps are skipped.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cp } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { ROOT, makeTempDir, removeTempDirs, runCli } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { ResultsService } from './support/results-service.js';
import { runWorkflow } from './support/workflow-runner.js';
import type { JobResult, WorkflowResult } from './support/workflow-runner.js';

const REPO = { owner: 'octo', repo: 'ml' };
const HEAD = 'ab12'.padEnd(40, '0');

let emulator: GitHubEmulator;
let results: ResultsService;

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  results = await ResultsService.start();
});

afterAll(async () => {
  await emulator.close();
  await results.stop();
  await removeTempDirs();
});

async function project(): Promise<string> {
  const dir = await makeTempDir('mlops-contract-');
  await cp(join(ROOT, 'examples', 'penguins'), dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  return dir;
}

const explain = (result: WorkflowResult): string =>
  Object.values(result.jobs)
    .map(
      (j) =>
        `${j.id}: ${j.status}${j.reason ? ` (${j.reason})` : ''}\n${j.steps
          .map((s) => `  ${s.id} ${s.status} ${s.reason ?? ''}\n${s.stdout.slice(-3000)}${s.stderr.slice(-2000)}`)
          .join('')}`,
    )
    .join('\n');

const statuses = (result: WorkflowResult): Record<string, string> =>
  Object.fromEntries(Object.values(result.jobs).map((j) => [j.id, j.status]));

const stepOf = (job: JobResult | undefined, uses: string) => {
  const found = job?.steps.find((s) => s.uses?.includes(uses));
  if (!found) throw new Error(`no step using ${uses} in ${job?.id}`);
  return found;
};

describe('pull request: workflows/pull-request.yml calling mlops-ci.yml', () => {
  let result: WorkflowResult;
  let workspace: string;
  beforeAll(async () => {
    emulator.addIssue(REPO, 21, { head: { sha: HEAD, repo: 'octo/ml', ref: 'feature' } });
    workspace = await project();
    result = await runWorkflow({
      workflow: join(ROOT, 'workflows', 'pull-request.yml'),
      workspace,
      eventName: 'pull_request',
      ref: 'refs/pull/21/merge',
      sha: HEAD,
      runId: 5001,
      event: {
        action: 'opened',
        number: 21,
        pull_request: {
          number: 21,
          head: { ref: 'feature', sha: HEAD, repo: { full_name: 'octo/ml' } },
          base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo/ml' } },
        },
        repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
      },
      apiUrl: emulator.url,
      results,
    });
  }, 300_000);

  test('validate, train and evaluate succeed; the candidate is blessed', () => {
    if (result.conclusion !== 'success') throw new Error(explain(result));
    expect(statuses(result)).toEqual({
      'mlops / validate': 'success',
      'mlops / train': 'success',
      'mlops / evaluate': 'success',
      mlops: 'success',
    });
    expect(result.outputs).toEqual({});
    expect(result.jobs.mlops!.outputs).toMatchObject({ valid: 'true', blessed: 'true' });
    expect(JSON.parse(result.jobs.mlops!.outputs.metrics!).accuracy).toBeGreaterThan(0.9);
  });

  test('the model and the validation report go from job to job as artifacts, through the real clients', () => {
    const names = results
      .artifacts('5001')
      .map((a) => a.name)
      .sort();
    expect(names).toEqual(['mlops-evaluation-1', 'mlops-model-1', 'mlops-validation-1']);
    const evaluate = stepOf(result.jobs['mlops / evaluate'], 'actions/evaluate');
    expect(evaluate.stdout).toContain('Downloaded the model from artifact "mlops-model-1"');
    expect(evaluate.stdout).toContain('Downloaded validate-data\'s reports from artifact "mlops-validation-1"');
    results.assertClean();
  });

  test('one comment on the pull request, with the evaluation, the data validation and the training', () => {
    const comments = emulator.commentsOn(REPO, 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Evaluation: penguins');
    expect(comments[0]!.body).toContain('Data validation');
    expect(comments[0]!.body).toContain('Training');
    expect(result.jobs.mlops!.outputs['comment-url']).toMatch(/\/pull\/21#issuecomment-\d+$/);
    emulator.assertClean();
  });

  test('third-party steps are recorded as skipped, never faked', () => {
    const checkout = result.jobs['mlops / train']!.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout).toMatchObject({ kind: 'third-party', status: 'skipped' });
  });

  test('the fork-safe reporter (workflows/pr-report.yml calling mlops-report.yml) posts the saved comment in place', async () => {
    // actions/download-artifact is third-party and skipped: the folder it would fill is laid out as it lays it out.
    const reporter = await makeTempDir('mlops-reporter-');
    await cp(join(workspace, '.mlops', 'evaluate'), join(reporter, 'mlops-report', 'mlops-evaluation-1'), { recursive: true });
    const before = emulator.commentsOn(REPO, 21)[0]!;
    const report = await runWorkflow({
      workflow: join(ROOT, 'workflows', 'pr-report.yml'),
      workspace: reporter,
      eventName: 'workflow_run',
      ref: 'refs/heads/main',
      sha: 'b'.repeat(40),
      runId: 5009,
      event: {
        action: 'completed',
        workflow_run: { id: 5001, head_sha: HEAD, event: 'pull_request', conclusion: 'success', pull_requests: [] },
        repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
      },
      apiUrl: emulator.url,
      results,
    });
    if (report.conclusion !== 'success') throw new Error(explain(report));
    const job = report.jobs['report / comment']!;
    expect(job.steps.map((s) => [s.kind, s.status])).toEqual([
      ['third-party', 'skipped'],
      ['run', 'success'],
      ['action', 'success'],
    ]);
    const comments = emulator.commentsOn(REPO, 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.id).toBe(before.id);
    expect(stepOf(job, 'actions/evaluate').outputs['comment-url']).toContain(`issuecomment-${before.id}`);
    emulator.assertClean();
  }, 120_000);
});

describe('main: workflows/main.yml calling mlops-cd.yml', () => {
  let result: WorkflowResult;
  let workspace: string;
  beforeAll(async () => {
    workspace = await project();
    result = await runWorkflow({
      workflow: join(ROOT, 'workflows', 'main.yml'),
      workspace,
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: 'c'.repeat(40),
      runId: 5002,
      apiUrl: emulator.url,
      results,
      protectedEnvironments: ['production'],
    });
  }, 300_000);

  test('build registers v1, staging deploys it, production waits for a reviewer', () => {
    expect(statuses(result)).toEqual({
      'mlops / build': 'success',
      'mlops / staging': 'success',
      'mlops / production': 'waiting',
      mlops: 'waiting',
    });
    expect(result.conclusion).toBe('waiting');
    expect(result.jobs['mlops / build']!.outputs.version).toBe('1');
    expect(result.jobs['mlops / staging']!.environment).toMatchObject({ name: 'staging' });
  });

  test('the staging deploy is a GitHub Deployment of the pushed commit, and the staging alias points at v1', async () => {
    const deployments = emulator.deployments(REPO).filter((d) => d.sha === 'c'.repeat(40));
    expect(deployments.map((d) => [d.environment, d.statuses.map((s) => s.state)])).toEqual([['staging', ['in_progress', 'success']]]);
    const list = await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: workspace });
    expect(list.stdout).toMatch(/^v1 .*\[staging\]$/m);
    emulator.assertClean();
  });

  test('once approved, the production job deploys the same version', async () => {
    const approved = await runWorkflow({
      workflow: join(ROOT, 'workflows', 'main.yml'),
      workspace,
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: 'c'.repeat(40),
      runId: 5003,
      apiUrl: emulator.url,
      results,
    });
    if (approved.conclusion !== 'success') throw new Error(explain(approved));
    // The second run trains from the cache and registers v2 (the same model); production gets it after staging.
    expect(stepOf(approved.jobs['mlops / build'], 'actions/train').outputs['cache-hit']).toBe('true');
    expect(approved.jobs['mlops / production']!.outputs.url).toBe('');
    const list = await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: workspace });
    expect(list.stdout).toMatch(/^v2 .*\[(production, staging|staging, production)\]$/m);
  }, 300_000);
});

describe('schedule: mlops-ct.yml', () => {
  const run = async (current: string, runId: number) => {
    const workspace = await project();
    return runWorkflow({
      workflow: join(ROOT, '.github', 'workflows', 'mlops-ct.yml'),
      workspace,
      eventName: 'schedule',
      ref: 'refs/heads/main',
      sha: 'd'.repeat(40),
      runId,
      inputs: { reference: 'data/penguins.csv', current },
      apiUrl: emulator.url,
      results,
      protectedEnvironments: ['production'],
    });
  };

  test('drifted production data: one drift issue, retraining, staging, and production waiting for approval', async () => {
    const result = await run('data/penguins-production.csv', 5101);
    expect(statuses(result)).toEqual({ drift: 'success', retrain: 'success', staging: 'success', production: 'waiting' });
    expect(result.outputs.drifted).toBe('true');
    expect(JSON.parse(result.outputs['drifted-columns']!)).toContain('island');
    expect(result.outputs.version).toBe('1');
    const issues = emulator.issuesOf(REPO).filter((i) => i.labels.includes('drift'));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.state).toBe('open');
    // The reports, HTML included, are an artifact of the run.
    expect(results.artifacts('5101').map((a) => a.name)).toContain('drift-penguins');
    emulator.assertClean();
  }, 300_000);

  test('production data like the training data: no retraining, and the drift issue is closed', async () => {
    const result = await run('data/penguins-production-ok.csv', 5102);
    expect(statuses(result)).toEqual({ drift: 'success', retrain: 'skipped', staging: 'skipped', production: 'skipped' });
    expect(result.outputs.drifted).toBe('false');
    const issues = emulator.issuesOf(REPO).filter((i) => i.labels.includes('drift'));
    expect(issues.map((i) => i.state)).toEqual(['closed']);
    emulator.assertClean();
  }, 300_000);
});
