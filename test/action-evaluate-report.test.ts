/**
 * The fork-safe reporter from its bundle (dist/report/index.js), run as the GitHub
 * runner runs it: INPUT_* in, the workflow_run event file, GITHUB_OUTPUT, warning
 * annotations, exit status and failure messages, against the GitHub API emulator.
 * What it does in every case (several saved comments, malformed and hostile ones,
 * the saving by evaluate) is proven in process by step-report.test.ts and
 * step-evaluate.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SAVED_COMMENT_FORMAT, writeContract } from '../src/core/contracts/index.js';
import { BUNDLES, hasStackTrace, makeTempDir, removeTempDirs, runAction } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';

const REPO = { owner: 'octo', repo: 'ml' };
const HEAD = 'c0ffee'.padEnd(40, '0');

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

const workflowRunEvent = (headSha: string): object => ({
  action: 'completed',
  workflow_run: { id: 4242, head_sha: headSha, event: 'pull_request', conclusion: 'success', pull_requests: [] },
  repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
});

let dir: string;
let emulator: GitHubEmulator;

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  dir = await makeTempDir('mlops-report-');
  // As mlops-report.yml downloads the reports artifact: one folder per artifact.
  for (const [folder, pullRequest] of [
    ['mlops-evaluation-a1', 12],
    ['other-pull-request', 13],
  ] as const) {
    await mkdir(join(dir, folder), { recursive: true });
    await writeContract('savedComment', join(dir, folder), {
      format: SAVED_COMMENT_FORMAT,
      pullRequest,
      headSha: HEAD,
      key: 'penguins',
      header: '## Evaluation: penguins: ✅ blessed',
      sections: [{ title: 'Training', body: 'Trainer: `mlp on wasm`.', fold: true }],
      footer: '',
    });
  }
});

afterAll(async () => {
  await emulator.close();
  await removeTempDirs();
});

const reportFrom = (from: string, headSha = HEAD) =>
  runAction(BUNDLES.report, {
    cwd: dir,
    inputs: { from, token: 'write-token' },
    event: workflowRunEvent(headSha),
    env: { GITHUB_API_URL: emulator.url, GITHUB_EVENT_NAME: 'workflow_run' },
  });

describe('report (dist/report/index.js)', () => {
  test('posts the saved comment from INPUT_FROM, writes comment-url to GITHUB_OUTPUT, and updates in place the next time', async () => {
    emulator.addIssue(REPO, 12, { head: { sha: HEAD, repo: 'someone/ml', ref: 'patch-1' } });
    const first = ok(await reportFrom(join(dir, 'mlops-evaluation-a1')));
    expect(first.outputs['comment-url']).toMatch(/\/pull\/12#issuecomment-\d+$/);
    expect(emulator.commentsOn(REPO, 12)).toHaveLength(1);
    const second = ok(await reportFrom('mlops-evaluation-a1'));
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(emulator.commentsOn(REPO, 12)).toHaveLength(1);
    emulator.assertClean();
  });

  test('a pull request that moved on is a warning annotation (exit 0); a saved comment of another commit fails the step with its reason', async () => {
    emulator.addIssue(REPO, 13, { head: { sha: 'd'.repeat(40), repo: 'someone/ml', ref: 'patch-2' } });
    const moved = await reportFrom(join(dir, 'other-pull-request'));
    expect(moved.code).toBe(0);
    expect(
      moved.annotations.some((a) => a.command === 'warning' && a.message.includes(`Pull request #13 is at commit ${'d'.repeat(40)}`)),
    ).toBe(true);
    const wrongRun = await reportFrom(join(dir, 'mlops-evaluation-a1'), 'e'.repeat(40));
    expect(wrongRun.code).not.toBe(0);
    expect(wrongRun.stdout).toContain('::error::report: the saved comment is for commit');
    expect(wrongRun.stdout).toContain('not posted');
    expect(hasStackTrace(wrongRun.stdout + wrongRun.stderr)).toBe(false);
    expect(emulator.commentsOn(REPO, 13)).toHaveLength(0);
    emulator.assertClean();
  });

  test('nothing saved: nothing to post, an empty comment-url, exit 0', async () => {
    const missing = ok(await reportFrom(join(dir, 'nowhere')));
    expect(missing.stdout).toContain('Nothing to post');
    expect(missing.outputs['comment-url']).toBe('');
  });
});
