/**
 * The fork-safe reporter, from the evaluate bundle: a pull request run saves its
 * comment (comment.json beside the reports), and a workflow_run run in the base
 * repository posts it, after checking the pull request's head commit against the
 * triggering run's, against the GitHub API emulator.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { cp, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { BUNDLES, ROOT, hasStackTrace, makeTempDir, removeTempDirs, runAction } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';

const EXAMPLE = join(ROOT, 'examples', 'penguins');
const REPO = { owner: 'octo', repo: 'ml' };
const HEAD = 'c0ffee'.padEnd(40, '0');

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** A pull_request event from a fork: its run gets a read-only token and cannot comment. */
const forkEvent = {
  action: 'synchronize',
  number: 12,
  pull_request: {
    number: 12,
    head: { ref: 'patch-1', sha: HEAD, repo: { full_name: 'someone/ml' } },
    base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo/ml' } },
  },
  repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
};

const workflowRunEvent = (headSha: string): object => ({
  action: 'completed',
  workflow_run: { id: 4242, head_sha: headSha, event: 'pull_request', conclusion: 'success', pull_requests: [] },
  repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
});

let dir: string;
let emulator: GitHubEmulator;
let saved: string;

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  dir = await makeTempDir('mlops-report-');
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  ok(await runAction(BUNDLES.train, { cwd: dir, inputs: { config: 'mlops.yaml', epochs: '40' } }));
  const evaluated = ok(
    await runAction(BUNDLES.evaluate, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', token: 'read-token' },
      event: forkEvent,
      env: { GITHUB_API_URL: emulator.url, GITHUB_EVENT_NAME: 'pull_request' },
    }),
  );
  expect(evaluated.annotations.some((a) => a.command === 'warning' && a.message.includes('fork'))).toBe(true);
  saved = join(dir, '.mlops', 'evaluate');
}, 180_000);

afterAll(async () => {
  await emulator.close();
  await removeTempDirs();
});

describe('evaluate comment-from (the fork-safe reporter)', () => {
  test('the pull request run saves its comment beside the reports, with the pull request and head commit', () => {
    const comment = JSON.parse(readFileSync(join(saved, 'comment.json'), 'utf8')) as Record<string, unknown>;
    expect(comment).toMatchObject({ format: 'mlops-comment/v1', pullRequest: 12, headSha: HEAD, key: 'penguins' });
    expect(String(comment.header)).toContain('penguins');
    expect((comment.sections as unknown[]).length).toBeGreaterThan(1);
  });

  test('the workflow_run run posts it on the pull request, and updates it in place the next time', async () => {
    emulator.addIssue(REPO, 12, { head: { sha: HEAD, repo: 'someone/ml', ref: 'patch-1' } });
    const run = () =>
      runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: { 'comment-from': saved, token: 'write-token' },
        event: workflowRunEvent(HEAD),
        env: { GITHUB_API_URL: emulator.url, GITHUB_EVENT_NAME: 'workflow_run' },
      });
    const first = ok(await run());
    expect(first.outputs['comment-url']).toMatch(/\/pull\/12#issuecomment-\d+$/);
    const comments = emulator.commentsOn(REPO, 12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- mlops-actions:pr-report:penguins -->');
    expect(comments[0]!.body).toContain('Training');
    ok(await run());
    expect(emulator.commentsOn(REPO, 12)).toHaveLength(1);
    // As mlops-report.yml downloads them: one folder per artifact.
    const downloaded = join(dir, 'mlops-report');
    await cp(saved, join(downloaded, 'mlops-evaluation-1'), { recursive: true });
    const fromArtifacts = ok(
      await runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: { 'comment-from': downloaded, token: 'write-token' },
        event: workflowRunEvent(HEAD),
        env: { GITHUB_API_URL: emulator.url, GITHUB_EVENT_NAME: 'workflow_run' },
      }),
    );
    expect(fromArtifacts.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(emulator.commentsOn(REPO, 12)).toHaveLength(1);
    emulator.assertClean();
  });

  test('not posted when the pull request has moved on (a warning), nor when the saved comment names another commit (an error)', async () => {
    emulator.addIssue(REPO, 13, { head: { sha: 'd'.repeat(40), repo: 'someone/ml', ref: 'patch-2' } });
    const other = join(dir, 'other-comment.json');
    const comment = JSON.parse(readFileSync(join(saved, 'comment.json'), 'utf8')) as Record<string, unknown>;
    // A run that claims another pull request: that pull request's head is not the run's commit.
    await writeFile(other, JSON.stringify({ ...comment, pullRequest: 13 }));
    const moved = await runAction(BUNDLES.evaluate, {
      cwd: dir,
      inputs: { 'comment-from': other, token: 'write-token' },
      event: workflowRunEvent(HEAD),
      env: { GITHUB_API_URL: emulator.url, GITHUB_EVENT_NAME: 'workflow_run' },
    });
    // A newer push is an expected race: a warning, not a failed run, and nothing posted.
    expect(moved.code).toBe(0);
    expect(
      moved.annotations.some((a) => a.command === 'warning' && a.message.includes(`Pull request #13 is at commit ${'d'.repeat(40)}`)),
    ).toBe(true);
    const wrongRun = await runAction(BUNDLES.evaluate, {
      cwd: dir,
      inputs: { 'comment-from': saved, token: 'write-token' },
      event: workflowRunEvent('e'.repeat(40)),
      env: { GITHUB_API_URL: emulator.url, GITHUB_EVENT_NAME: 'workflow_run' },
    });
    expect(wrongRun.code).not.toBe(0);
    expect(wrongRun.stdout).toContain('not posted');
    expect(emulator.commentsOn(REPO, 13)).toHaveLength(0);
    emulator.assertClean();
  });

  test('a malformed saved comment, a hostile one, or the wrong event: clear errors; a missing one: nothing to post', async () => {
    const bad = join(dir, 'bad-comment.json');
    await writeFile(bad, JSON.stringify({ format: 'mlops-comment/v1', pullRequest: '12; rm -rf /', headSha: HEAD }));
    const malformed = await runAction(BUNDLES.evaluate, {
      cwd: dir,
      inputs: { 'comment-from': bad, token: 'write-token' },
      event: workflowRunEvent(HEAD),
      env: { GITHUB_API_URL: emulator.url },
    });
    expect(malformed.code).not.toBe(0);
    expect(malformed.stdout).toContain('is not a saved comment of evaluate');
    expect(malformed.stdout).toContain('pullRequest');
    const wrongEvent = await runAction(BUNDLES.evaluate, {
      cwd: dir,
      inputs: { 'comment-from': saved, token: 'write-token' },
      env: { GITHUB_API_URL: emulator.url },
    });
    expect(wrongEvent.code).not.toBe(0);
    expect(wrongEvent.stdout).toContain('workflow_run');
    const missing = ok(
      await runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: { 'comment-from': join(dir, 'nowhere'), token: 'write-token' },
        event: workflowRunEvent(HEAD),
        env: { GITHUB_API_URL: emulator.url },
      }),
    );
    expect(missing.stdout).toContain('Nothing to post');
    for (const r of [malformed, wrongEvent]) expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
  });
});
