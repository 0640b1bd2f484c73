/**
 * The GitHub port's issue, workflow-dispatch and deployment calls, through the
 * REST adapter (Octokit) against the emulator, which checks every request and
 * response against GitHub's OpenAPI description.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { GitHubRestAdapter } from '../src/adapters/github/github-api.js';
import { GitHubApiError, type Issue } from '../src/ports/github.js';
import { GitHubEmulator } from './support/github-emulator.js';

const REF = { owner: 'octo', repo: 'ml' };

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}

let emulator: GitHubEmulator;
let github: GitHubRestAdapter;

beforeEach(async () => {
  emulator = await GitHubEmulator.start();
  github = new GitHubRestAdapter({ token: 'write-token', baseUrl: emulator.url });
});

afterEach(async () => {
  await emulator.close();
});

describe('issues', () => {
  test('create, list by label (pull requests left out, across pages), update and close', async () => {
    emulator.addIssue(REF, 1); // a pull request: never listed as an issue
    const created = await github.createIssue(REF, { title: 'Data drift: penguins', body: 'body <!-- m -->', labels: ['drift', 'mlops'] });
    expect(created).toMatchObject({ number: 2, state: 'open', labels: ['drift', 'mlops'], author: 'github-actions[bot]' });
    expect(created.url).toBe('https://github.com/octo/ml/issues/2');
    for (let i = 0; i < 120; i++) await github.createIssue(REF, { title: `other ${i}`, body: '', labels: i % 2 ? ['drift'] : [] });

    const drift = await collect<Issue>(github.listIssues(REF, { labels: ['drift'], state: 'open' }));
    expect(drift).toHaveLength(61);
    expect(drift.some((i) => i.number === 1)).toBe(false);
    expect(drift.at(-1)!.body).toBe('body <!-- m -->');
    const both = await collect<Issue>(github.listIssues(REF, { labels: ['drift', 'mlops'], state: 'open' }));
    expect(both.map((i) => i.number)).toEqual([2]);

    const updated = await github.updateIssue(REF, 2, { body: 'new body' });
    expect(updated.body).toBe('new body');
    const closed = await github.updateIssue(REF, 2, { state: 'closed' });
    expect(closed.state).toBe('closed');
    expect(await collect<Issue>(github.listIssues(REF, { labels: ['mlops'], state: 'open' }))).toEqual([]);
    expect((await collect<Issue>(github.listIssues(REF, { labels: ['mlops'], state: 'all' }))).map((i) => i.number)).toEqual([2]);
    emulator.assertClean();
  });

  test('a read-only token gets a GitHubApiError 403 on create', async () => {
    const reader = new GitHubRestAdapter({ token: 'read-token', baseUrl: emulator.url });
    const error = await reader.createIssue(REF, { title: 't', body: 'b', labels: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(403);
    emulator.assertClean();
  });
});

describe('pull requests', () => {
  test("reads a pull request's head commit and repository", async () => {
    emulator.addIssue(REF, 5, { head: { sha: 'e'.repeat(40), repo: 'someone/ml', ref: 'patch-1' } });
    expect(await github.getPullRequest(REF, 5)).toEqual({ number: 5, state: 'open', headSha: 'e'.repeat(40), headRepo: 'someone/ml' });
    emulator.addIssue(REF, 7, { pullRequest: false });
    expect(((await github.getPullRequest(REF, 7).catch((e: unknown) => e)) as GitHubApiError).status).toBe(404);
    emulator.assertClean();
  });
});

describe('workflow dispatch', () => {
  test('dispatches with inputs; an unknown workflow is a 404 and an undeclared input a 422', async () => {
    const workflow = emulator.addWorkflow(REF, 'mlops-ct.yml', ['reason', 'force']);
    await github.dispatchWorkflow(REF, 'mlops-ct.yml', 'main', { reason: 'drift', force: 'true' });
    expect(workflow.dispatches).toEqual([{ ref: 'main', inputs: { reason: 'drift', force: 'true' } }]);

    const missing = await github.dispatchWorkflow(REF, 'nope.yml', 'main', {}).catch((e: unknown) => e);
    expect((missing as GitHubApiError).status).toBe(404);
    const extra = await github.dispatchWorkflow(REF, 'mlops-ct.yml', 'main', { other: 'x' }).catch((e: unknown) => e);
    expect((extra as GitHubApiError).status).toBe(422);
    expect((extra as GitHubApiError).message).toContain('Unexpected inputs');
    emulator.assertClean();
  });
});

describe('deployments', () => {
  test('creates a deployment without auto-merge or required contexts, and moves it through its statuses', async () => {
    const sha = 'c'.repeat(40);
    const deployment = await github.createDeployment(REF, {
      sha,
      environment: 'staging',
      description: 'penguins v3',
      payload: { model: 'penguins', version: 3, digest: `sha256:${'d'.repeat(64)}` },
      productionEnvironment: false,
    });
    expect(deployment).toMatchObject({ environment: 'staging', sha, payload: { model: 'penguins', version: 3 } });
    await github.createDeploymentStatus(REF, deployment.id, { state: 'in_progress', logUrl: 'https://github.com/octo/ml/actions/runs/1' });
    await github.createDeploymentStatus(REF, deployment.id, {
      state: 'success',
      description: 'x'.repeat(200), // GitHub allows 140 characters: the adapter shortens
      environmentUrl: 'http://127.0.0.1:8501/v1/models/penguins',
      logUrl: 'https://github.com/octo/ml/actions/runs/1',
    });
    const [stored] = emulator.deployments(REF);
    expect(stored).toMatchObject({ autoMerge: false, requiredContexts: [], environment: 'staging', productionEnvironment: false });
    expect(stored!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(stored!.statuses[1]!.environmentUrl).toBe('http://127.0.0.1:8501/v1/models/penguins');
    expect(stored!.statuses[1]!.description).toHaveLength(140);

    const unknown = await github.createDeploymentStatus(REF, 42, { state: 'failure' }).catch((e: unknown) => e);
    expect((unknown as GitHubApiError).status).toBe(404);
    emulator.assertClean();
  });
});
