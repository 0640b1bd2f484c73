/**
 * report in process: the fork-safe reporter posts the comment a pull request run of
 * evaluate saved (comment.json), on a workflow_run event, against the GitHub API
 * emulator (requests and responses checked against GitHub's OpenAPI description). A
 * saved comment is untrusted: it is posted only on a pull request whose head commit
 * is the triggering run's.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SAVED_COMMENT_FORMAT, contractPath, writeContract } from '../src/core/contracts/index.js';
import type { SavedComment } from '../src/core/contracts/index.js';
import { report } from '../src/steps/report.js';
import { STEPS, PIPELINE } from '../src/steps/index.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';

const REPO = { owner: 'octo', repo: 'ml' };
const HEAD = 'c0ffee'.padEnd(40, '0');

let emulator: GitHubEmulator;
let dir: string;

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  dir = await makeTempDir('mlops-step-report-');
});

afterAll(async () => {
  await emulator.close();
  await removeTempDirs();
});

function ok(result: InProcessResult): InProcessResult {
  if (result.failed) throw new Error(`${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
}

/** What evaluate saves on a pull request run (see step-evaluate.test.ts for the real thing). */
function savedComment(overrides: Partial<SavedComment> = {}): SavedComment {
  return {
    format: SAVED_COMMENT_FORMAT,
    pullRequest: 12,
    headSha: HEAD,
    key: 'penguins',
    header: '## Evaluation: penguins: ✅ blessed',
    sections: [
      { title: 'Metrics', body: '| `accuracy` | 0.97 |' },
      { title: 'Training', body: 'Trainer: `mlp on wasm`.', fold: true },
    ],
    footer: '[Workflow run and artifacts](https://github.com/octo/ml/actions/runs/4242)',
    ...overrides,
  };
}

/** A folder holding a saved comment (as evaluate writes it beside its reports). */
async function savedIn(name: string, overrides: Partial<SavedComment> = {}): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  await writeContract('savedComment', folder, savedComment(overrides));
  return folder;
}

/** A workflow_run event for a run that built `headSha`, written where GITHUB_EVENT_PATH points. */
async function workflowRunEvent(headSha: string): Promise<string> {
  const path = join(dir, `workflow-run-${headSha.slice(0, 8)}.json`);
  await writeFile(
    path,
    JSON.stringify({
      action: 'completed',
      workflow_run: { id: 4242, head_sha: headSha, event: 'pull_request', conclusion: 'success', pull_requests: [] },
      repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
    }),
  );
  return path;
}

async function reportFrom(from: string, options: { headSha?: string | null; token?: string; env?: Record<string, string> } = {}) {
  const headSha = options.headSha === undefined ? HEAD : options.headSha;
  return runStepInProcess(report, {
    cwd: dir,
    inputs: { from, token: options.token ?? 'write-token' },
    env: {
      GITHUB_API_URL: emulator.url,
      GITHUB_REPOSITORY: 'octo/ml',
      GITHUB_EVENT_NAME: 'workflow_run',
      ...(headSha ? { GITHUB_EVENT_PATH: await workflowRunEvent(headSha) } : {}),
      ...options.env,
    },
    onGitHub: true,
  });
}

describe('report (the fork-safe reporter)', () => {
  test('is a step of its own (an action and `mlops report`), not part of the pipeline', () => {
    expect(STEPS.report).toBe(report);
    expect(PIPELINE).not.toContain(report);
    expect(report.inputs.token!.actionDefault).toBe('${{ github.token }}');
    expect(Object.keys(report.outputs)).toEqual(['comment-url']);
  });

  test('posts the saved comment on its pull request, and updates it in place the next time', async () => {
    emulator.addIssue(REPO, 12, { head: { sha: HEAD, repo: 'someone/ml', ref: 'patch-1' } });
    const saved = await savedIn('evaluate');
    const first = ok(await reportFrom(saved));
    expect(first.outputs['comment-url']).toMatch(/\/pull\/12#issuecomment-\d+$/);
    const comments = emulator.commentsOn(REPO, 12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- mlops-actions:pr-report:penguins -->');
    expect(comments[0]!.body).toContain('<summary>Training</summary>');
    const again = ok(await reportFrom(contractPath('savedComment', saved)));
    expect(again.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(emulator.commentsOn(REPO, 12)).toHaveLength(1);
    emulator.assertClean();
  });

  test('a folder of downloaded artifacts (one folder each, as mlops-report.yml lays them out): every saved comment', async () => {
    emulator.addIssue(REPO, 14, { head: { sha: HEAD, repo: 'someone/ml', ref: 'patch-4' } });
    await savedIn(join('downloaded', 'mlops-evaluation-linear-a1'), { pullRequest: 14, key: 'linear' });
    await savedIn(join('downloaded', 'mlops-evaluation-mlp-a1'), { pullRequest: 14, key: 'mlp' });
    await mkdir(join(dir, 'downloaded', 'mlops-validation-a1'), { recursive: true }); // no comment in it
    const result = ok(await reportFrom(join(dir, 'downloaded')));
    const urls = result.outputs['comment-url']!.split('\n');
    expect(urls).toHaveLength(2);
    const bodies = emulator.commentsOn(REPO, 14).map((c) => c.body);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain('pr-report:linear');
    expect(bodies[1]).toContain('pr-report:mlp');
    emulator.assertClean();
  });

  test('not posted when the pull request has moved on (a warning), nor when the saved comment names another commit (an error)', async () => {
    emulator.addIssue(REPO, 13, { head: { sha: 'd'.repeat(40), repo: 'someone/ml', ref: 'patch-2' } });
    // A run that claims another pull request: that pull request's head is not the run's commit.
    const other = await savedIn('other', { pullRequest: 13 });
    const moved = await reportFrom(other);
    // A newer push is an expected race: a warning, not a failed run, and nothing posted.
    expect(moved.failed).toBe(false);
    expect(moved.io.warnings().some((w) => w.includes(`Pull request #13 is at commit ${'d'.repeat(40)}`))).toBe(true);
    expect(moved.outputs['comment-url']).toBe('');
    const wrongRun = await reportFrom(await savedIn('evaluate'), { headSha: 'e'.repeat(40) });
    expect(wrongRun.error?.message).toMatch(/the saved comment is for commit c0ffee0+, but the triggering run built e{40}: not posted/);
    expect(emulator.commentsOn(REPO, 13)).toHaveLength(0);
    emulator.assertClean();
  });

  test('a malformed saved comment, a hostile one, or the wrong event: clear errors; a missing one: nothing to post', async () => {
    const bad = join(dir, 'bad-comment.json');
    await writeFile(bad, JSON.stringify({ format: 'mlops-comment/v1', pullRequest: '12; rm -rf /', headSha: HEAD }));
    const malformed = await reportFrom(bad);
    expect(malformed.error?.message).toContain('bad-comment.json is not a saved comment of evaluate');
    expect(malformed.error?.message).toContain('pullRequest');
    const notJson = join(dir, 'not-json.json');
    await writeFile(notJson, '{ "format": ');
    expect((await reportFrom(notJson)).error?.message).toMatch(/not-json\.json: not valid JSON/);
    const wrongEvent = await reportFrom(await savedIn('evaluate'), { headSha: null });
    expect(wrongEvent.error?.message).toMatch(/workflow_run/);
    const noToken = await reportFrom(await savedIn('evaluate'), { token: ' ' });
    expect(noToken.error?.message).toMatch(/no token to comment with/);
    const missing = ok(await reportFrom(join(dir, 'nowhere')));
    expect(missing.io.log).toContain('Nothing to post');
    expect(missing.outputs['comment-url']).toBe('');
    for (const r of [malformed, wrongEvent, noToken]) expect(r.error?.name).toBe('UserError');
  });

  test('from defaults to evaluate’s folder beside mlops.yaml', async () => {
    const project = await makeTempDir('mlops-step-report-project-');
    await writeFile(join(project, 'mlops.yaml'), 'version: 1\nmodel:\n  name: penguins\n');
    const result = ok(
      await runStepInProcess(report, {
        cwd: project,
        inputs: { token: 'write-token' },
        env: { GITHUB_REPOSITORY: 'octo/ml', GITHUB_API_URL: emulator.url, GITHUB_EVENT_PATH: await workflowRunEvent(HEAD) },
      }),
    );
    expect(result.io.log).toContain(`No saved comment in ${join('.mlops', 'evaluate')}`);
  });
});
