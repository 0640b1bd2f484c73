import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { GitHubRestAdapter, gitHubFromEnvironment } from '../src/adapters/github/github-api.js';
import { UserError } from '../src/core/errors.js';
import {
  COMMENT_LIMIT,
  MARKER_RESERVE,
  commentMarker,
  fitComment,
  ownCommentTest,
  publishPrComment,
  splitMarkdownSections,
  upsertStickyComment,
  type CommentSection,
} from '../src/core/report/pr-comment.js';
import { GitHubApiError, type IssueComment } from '../src/ports/github.js';
import { GitHubEmulator } from './support/github-emulator.js';

const REF = { owner: 'octo', repo: 'ml' };
const PR = 7;
const KEY = 'validate-data';
const MARKER = commentMarker(KEY);
const BOT = 'github-actions[bot]';

/** A pull_request event payload as the runner writes it (the parts we read). */
function prEvent(headRepo = 'octo/ml', number = PR): object {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      head: { ref: 'feature', sha: 'a'.repeat(40), repo: { full_name: headRepo } },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo/ml' } },
    },
    repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
  };
}

class RecordingLog {
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  warning(message: string): void {
    this.warnings.push(message);
  }
  info(message: string): void {
    this.infos.push(message);
  }
}

async function collect(iterable: AsyncIterable<IssueComment>): Promise<IssueComment[]> {
  const all: IssueComment[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}

let sectionCount = 0;

/** A Markdown table of `rows` rows and a code fence, as report sections hold them; every body is different. */
function tableSection(title: string, rows: number): CommentSection {
  const id = ++sectionCount;
  const lines = ['| column | value |', '| --- | ---: |'];
  for (let i = 0; i < rows; i++) lines.push(`| \`s${id}_col_${i}\` | ${i * 1.5} |`);
  return { title, body: `${lines.join('\n')}\n\n\`\`\`text\nsample ${id}\n\`\`\`` };
}

let emulator: GitHubEmulator;
let github: GitHubRestAdapter;

beforeEach(async () => {
  emulator = await GitHubEmulator.start();
  emulator.addIssue(REF, PR);
  github = new GitHubRestAdapter({ token: 'write-token', baseUrl: emulator.url });
});

afterEach(async () => {
  await emulator.close();
});

const writes = (): string[] => emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.status}`);

describe('the sticky pull request comment, against the GitHub emulator', () => {
  test('creates the comment, then edits the same comment on the next run', async () => {
    const log = new RecordingLog();
    const first = await publishPrComment(github, REF, prEvent(), KEY, '## Report\n\nfirst run', log);
    expect(first).toMatchObject({ posted: true, action: 'created', pullRequest: PR });
    const second = await publishPrComment(github, REF, prEvent(), KEY, '## Report\n\nsecond run', log);
    expect(second).toMatchObject({ posted: true, action: 'updated' });
    if (!first.posted || !second.posted) throw new Error('not posted');
    expect(second.comment.id).toBe(first.comment.id);

    const stored = emulator.commentsOn(REF, PR);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).toBe(`${MARKER}\n## Report\n\nsecond run`);
    expect(stored[0]!.login).toBe(BOT);
    expect(first.comment).toMatchObject({ author: BOT, url: `https://github.com/octo/ml/pull/${PR}#issuecomment-${first.comment.id}` });
    expect(writes()).toEqual(['POST 201', 'PATCH 200']);
    expect(log.infos.join('\n')).toMatch(/Created the report comment on pull request #7.*\n.*Updated/);
    expect(log.warnings).toEqual([]);
    emulator.assertClean();
  });

  test('leaves the comment alone when the report did not change', async () => {
    const first = await upsertStickyComment(github, REF, PR, KEY, 'same report');
    const before = emulator.commentsOn(REF, PR)[0]!.updatedAt;
    const again = await upsertStickyComment(github, REF, PR, KEY, 'same report');
    expect(first.action).toBe('created');
    expect(again).toEqual({ action: 'unchanged', comment: first.comment });
    expect(writes()).toEqual(['POST 201']);
    expect(emulator.commentsOn(REF, PR)[0]!.updatedAt).toBe(before);
    emulator.assertClean();
  });

  test("a person's comment holding the marker is never taken over: ours is created beside it", async () => {
    const [planted] = emulator.seedComments(REF, PR, [`${MARKER}\nI pasted the marker`], { login: 'outsider' });
    const result = await upsertStickyComment(github, REF, PR, KEY, 'the real report');
    expect(result.action).toBe('created');
    expect(writes()).toEqual(['POST 201']);
    expect(emulator.commentsOn(REF, PR).find((c) => c.id === planted!.id)!.body).toBe(`${MARKER}\nI pasted the marker`);
    // With an explicit author, only that login's comment is ours.
    const again = await upsertStickyComment(github, REF, PR, KEY, 'the real report, again', ownCommentTest('outsider'));
    expect(again).toMatchObject({ action: 'updated', comment: { id: planted!.id } });
    emulator.assertClean();
  });

  test('finds its comment on page 3, where a client reading only the first page would not look', async () => {
    emulator.seedComments(
      REF,
      PR,
      Array.from({ length: 75 }, (_, i) => `review comment ${i}`),
    );
    const [ours] = emulator.seedComments(REF, PR, [`${MARKER}\nold report`], { login: BOT });
    emulator.seedComments(REF, PR, ['later 1', 'later 2', 'later 3', 'later 4', 'later 5']);

    // What one unpaginated request sees: GitHub's default page of 30, and a Link to more.
    const page1 = await fetch(`${emulator.url}/repos/octo/ml/issues/${PR}/comments`, { headers: { authorization: 'token read-token' } });
    const firstPage = (await page1.json()) as Array<{ body: string }>;
    expect(firstPage).toHaveLength(30);
    expect(firstPage.some((c) => c.body.includes(MARKER))).toBe(false);
    const link = page1.headers.get('link')!;
    expect(link).toBe(
      `<${emulator.url}/repos/octo/ml/issues/${PR}/comments?page=2>; rel="next", <${emulator.url}/repos/octo/ml/issues/${PR}/comments?page=3>; rel="last"`,
    );
    const page3 = (await (
      await fetch(`${emulator.url}/repos/octo/ml/issues/${PR}/comments?page=3`, { headers: { authorization: 'token read-token' } })
    ).json()) as Array<{
      id: number;
    }>;
    expect(page3.map((c) => c.id)).toContain(ours!.id);

    const result = await upsertStickyComment(github, REF, PR, KEY, 'new report');
    expect(result.action).toBe('updated');
    expect(result.comment.id).toBe(ours!.id);
    expect(emulator.commentsOn(REF, PR)).toHaveLength(81);
    expect(writes()).toEqual(['PATCH 200']);
    emulator.assertClean();
  });

  test('pages through more than 100 comments (per_page=100) and stops at the first marked one', async () => {
    emulator.seedComments(
      REF,
      PR,
      Array.from({ length: 230 }, (_, i) => `comment ${i}`),
    );
    const [first] = emulator.seedComments(REF, PR, [`${MARKER}\nfirst copy`], { login: BOT });
    const [second] = emulator.seedComments(REF, PR, [`${MARKER}\nsecond copy`], { login: BOT });
    emulator.seedComments(
      REF,
      PR,
      Array.from({ length: 80 }, (_, i) => `after ${i}`),
    );

    const all = await collect(github.listIssueComments(REF, PR));
    expect(all).toHaveLength(312);
    expect(all.map((c) => c.id)).toEqual(emulator.commentsOn(REF, PR).map((c) => c.id));
    expect(all[0]).toMatchObject({ author: 'octocat', body: 'comment 0' });
    expect(emulator.requests.map((r) => r.query.page)).toEqual([undefined, '2', '3', '4']);
    expect(emulator.requests.every((r) => r.query.per_page === '100')).toBe(true);

    emulator.requests.length = 0;
    const result = await upsertStickyComment(github, REF, PR, KEY, 'fresh');
    expect(result.comment.id).toBe(first!.id);
    expect(emulator.commentsOn(REF, PR).find((c) => c.id === second!.id)!.body).toBe(`${MARKER}\nsecond copy`);
    expect(emulator.requests.map((r) => `${r.method} ${r.query.page ?? 1}`)).toEqual(['GET 1', 'GET 2', 'GET 3', 'PATCH 1']);
    emulator.assertClean();
  });

  test('a read-only token: not posted, and a warning naming `pull-requests: write`', async () => {
    const readOnly = new GitHubRestAdapter({ token: 'read-token', baseUrl: emulator.url });
    const log = new RecordingLog();
    const result = await publishPrComment(readOnly, REF, prEvent(), KEY, '## Report', log);
    expect(result).toEqual({ posted: false, reason: 'no permission to comment (403)' });
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain('permissions: pull-requests: write');
    expect(log.warnings[0]).toContain('Resource not accessible by integration');
    expect(log.warnings[0]).toContain('workflow_run');
    expect(writes()).toEqual(['POST 403']);
    expect(emulator.commentsOn(REF, PR)).toEqual([]);

    // Editing an existing comment is refused the same way (PATCH documents no 403; GitHub sends one anyway).
    emulator.seedComments(REF, PR, [`${MARKER}\nold`], { login: BOT });
    const again = await publishPrComment(readOnly, REF, prEvent(), KEY, '## Report', log);
    expect(again.posted).toBe(false);
    expect(writes()).toEqual(['POST 403', 'PATCH 403']);
    emulator.assertClean();
  });

  test('a pull request from a fork: not posted, nothing written, the fork-safe pattern named', async () => {
    const log = new RecordingLog();
    const result = await publishPrComment(github, REF, prEvent('someone/ml'), KEY, '## Report', log);
    expect(result).toEqual({ posted: false, reason: 'pull request from a fork' });
    expect(log.warnings[0]).toMatch(/someone\/ml/);
    expect(log.warnings[0]).toContain('workflow_run');
    expect(log.warnings[0]).toContain('pull-requests: write');
    expect(writes()).toEqual([]);
    expect(emulator.requests).toEqual([]);

    // pull_request_target runs with the base repository's token, so it may comment.
    const target = await publishPrComment(github, REF, prEvent('someone/ml'), KEY, '## Report', log, { eventName: 'pull_request_target' });
    expect(target.posted).toBe(true);
    emulator.assertClean();
  });

  test('reads the pull request from issue_comment events and skips other events', async () => {
    const log = new RecordingLog();
    const push = await publishPrComment(github, REF, { ref: 'refs/heads/main', commits: [] }, KEY, 'x', log);
    expect(push).toEqual({ posted: false, reason: 'not a pull request event' });
    const onIssue = await publishPrComment(github, REF, { issue: { number: PR } }, KEY, 'x', log);
    expect(onIssue).toEqual({ posted: false, reason: 'not a pull request event' });
    const onPr = await publishPrComment(
      github,
      REF,
      { issue: { number: PR, pull_request: { url: 'x' } }, comment: { id: 1 } },
      KEY,
      'x',
      log,
    );
    expect(onPr).toMatchObject({ posted: true, action: 'created', pullRequest: PR });
    expect(emulator.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    emulator.assertClean();
  });

  test('a body over 65,536 characters is GitHub 422; one fitted by fitComment is posted', async () => {
    const error = await github.createIssueComment(REF, PR, 'x'.repeat(70_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    const apiError = error as GitHubApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.isBodyTooLong).toBe(true);
    expect(apiError.message).toContain('body is too long (maximum is 65536 characters)');
    expect(apiError.documentationUrl).toBe('https://docs.github.com/rest/issues/comments#create-an-issue-comment');
    expect(apiError.errors[0]).toMatchObject({ resource: 'IssueComment', code: 'custom', field: 'body' });

    const sections = Array.from({ length: 12 }, (_, i) => tableSection(`Column group ${i}`, 400));
    const body = fitComment(sections, { header: '## Data validation\n\n**3 errors**', footer: '_mlops-actions_' });
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT - MARKER_RESERVE);
    const result = await publishPrComment(github, REF, prEvent(), KEY, body, new RecordingLog());
    expect(result.posted).toBe(true);
    const stored = emulator.commentsOn(REF, PR)[0]!.body;
    expect(stored.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(stored).toContain('The full report is in the job summary and in the report artifact');
    expect(writes()).toEqual(['POST 422', 'POST 201']);
    emulator.assertClean();
  });

  test('a 422 "body is too long" is retried once at a smaller size', async () => {
    await emulator.close();
    // A GitHub that counts more strictly than we do: 40,000 characters.
    emulator = await GitHubEmulator.start({ commentLimit: 40_000 });
    emulator.addIssue(REF, PR);
    github = new GitHubRestAdapter({ token: 'write-token', baseUrl: emulator.url });
    const sections = Array.from({ length: 10 }, (_, i) => tableSection(`Part ${i}`, 250));
    const body = fitComment(sections, { header: '## Report' });
    expect(body.length).toBeGreaterThan(40_000);

    const log = new RecordingLog();
    const result = await publishPrComment(github, REF, prEvent(), KEY, body, log);
    expect(result).toMatchObject({ posted: true, action: 'created' });
    expect(writes()).toEqual(['POST 422', 'POST 201']);
    expect(log.infos[0]).toMatch(/too long; retrying with at most \d+ characters/);
    const stored = emulator.commentsOn(REF, PR)[0]!.body;
    expect(stored.length).toBeLessThanOrEqual(40_000);
    expect(stored).toContain('<details><summary>Part 0</summary>');
    expect(stored).toMatch(/Left out to fit GitHub's limit on comment size: .*Part 9/);
    expect(stored.split('```').length % 2).toBe(1);

    // Sections given as such are refitted the same way.
    const again = await publishPrComment(github, REF, prEvent(), 'other', { sections, header: '## Report' }, log);
    expect(again.posted).toBe(true);
    emulator.assertClean();
  });

  test('other API errors propagate as GitHubApiError', async () => {
    const stranger = new GitHubRestAdapter({ token: 'no-such-token', baseUrl: emulator.url });
    await expect(publishPrComment(stranger, REF, prEvent(), KEY, 'x', new RecordingLog())).rejects.toMatchObject({
      name: 'GitHubApiError',
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    });
    await expect(github.updateIssueComment(REF, 123, 'x')).rejects.toMatchObject({ status: 404 });
    await expect(collect(github.listIssueComments(REF, 999))).rejects.toMatchObject({ status: 404 });
    emulator.assertClean();
  });

  test('gitHubFromEnvironment reads the repository, the API URL and the token', async () => {
    expect(gitHubFromEnvironment({ GITHUB_REPOSITORY: 'octo/ml' })).toBeNull();
    const env = { GITHUB_REPOSITORY: 'octo/ml', GITHUB_API_URL: emulator.url, GITHUB_TOKEN: 'read-token' };
    const fromEnv = gitHubFromEnvironment(env)!;
    expect(fromEnv.repo).toEqual(REF);
    await expect(fromEnv.github.createIssueComment(REF, PR, 'x')).rejects.toMatchObject({ status: 403 });
    const fromInput = gitHubFromEnvironment(env, 'write-token')!;
    await expect(fromInput.github.createIssueComment(REF, PR, 'x')).resolves.toMatchObject({ body: 'x', author: BOT });
    expect(() => gitHubFromEnvironment({ GITHUB_TOKEN: 't' })).toThrow(UserError);
    expect(() => gitHubFromEnvironment({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'not a repo' })).toThrow(/owner\/repo/);
    emulator.assertClean();
  });
});

describe('fitComment', () => {
  const hostile = [
    '</summary></details><script>alert(1)</script>',
    '@everyone #1 **bold** `tick` | pipe',
    'x\n## injected heading',
    '<img src=x onerror=alert(1)>',
  ];

  test('keeps sections whole, folds long ones, escapes titles and stays under the limit', () => {
    const sections: CommentSection[] = [
      { title: hostile[0]!, body: tableSection('a', 20).body, fold: true },
      { title: hostile[1]!, body: 'short and open' },
      ...Array.from({ length: 8 }, (_, i) => ({ ...tableSection(hostile[(i % 2) + 2]!, 300), title: `${hostile[(i % 2) + 2]} ${i}` })),
    ];
    const limit = 30_000;
    const text = fitComment(sections, { header: '## Report', footer: '<sub>mlops-actions</sub>', limit });
    expect(text.length).toBeLessThanOrEqual(limit - MARKER_RESERVE);

    const kept = sections.filter((s) => text.includes(s.body));
    const dropped = sections.filter((s) => !text.includes(s.body));
    expect(kept.length).toBeGreaterThan(2);
    expect(dropped.length).toBeGreaterThan(0);
    // Whole sections from the start are kept; the rest are dropped whole (no partial table row of them).
    expect(sections.slice(0, kept.length)).toEqual(kept);
    for (const section of dropped) expect(text).not.toContain(section.body.split('\n')[2]!);
    expect(text.split('```').length % 2).toBe(1);
    expect(text.match(/<details>/g)!.length).toBe(text.match(/<\/details>/g)!.length);

    expect(text).not.toContain('<script>');
    expect(text).not.toContain('<img');
    expect(text).toContain('<summary>&lt;/summary&gt;&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;</summary>');
    expect(text).not.toMatch(/^## injected heading/m);
    expect(text).not.toContain('@everyone');
    expect(text).toContain('### '); // the short section is open, under a heading
    expect(text).toMatch(/<details><summary>&lt;img src=x onerror=alert\(1\)&gt; 1<\/summary>\n\n\| column/);
    expect(text).toMatch(
      /> \[!NOTE\]\n> Left out to fit GitHub's limit on comment size: .*\. The full report is in the job summary and in the report artifact\.$/m,
    );
    expect(text).toContain('<summary>x↵## injected heading 0</summary>');
    expect(text.endsWith('in the report artifact.\n\n<sub>mlops-actions</sub>')).toBe(true);
  });

  test('returns everything, unfolded when short, when it fits', () => {
    const text = fitComment(
      [
        { title: 'Summary', body: '| a |\n| --- |\n| 1 |' },
        { title: 'Log', body: 'line', fold: true },
      ],
      { header: '# Title' },
    );
    expect(text).toBe('# Title\n\n### Summary\n\n| a |\n| --- |\n| 1 |\n\n<details><summary>Log</summary>\n\nline\n\n</details>');
  });

  test('never exceeds the limit, even when only the note fits', () => {
    for (const limit of [1_000, 5_000, 20_000, COMMENT_LIMIT]) {
      const text = fitComment(
        Array.from({ length: 30 }, (_, i) => tableSection(`s${i}`, 50 + i * 10)),
        { header: `## Header\n\n${'word '.repeat(200)}`, limit },
      );
      expect(text.length).toBeLessThanOrEqual(limit - MARKER_RESERVE);
    }
  });

  test('finished Markdown splits at top-level headings and <details>, never inside a fence or a fold', () => {
    const markdown = [
      '# Report',
      'verdict',
      '## Numbers',
      '```sh',
      '# not a heading',
      '```',
      '<details><summary>&lt;b&gt; Log</summary>',
      '',
      '## inside the fold',
      '</details>',
      '### Last ###',
      'end',
    ].join('\n');
    const { header, sections } = splitMarkdownSections(markdown);
    expect(header).toBe('# Report\nverdict');
    expect(sections.map((s) => s.name)).toEqual(['Numbers', '<b> Log', 'Last']);
    expect(sections[0]!.text).toBe('## Numbers\n```sh\n# not a heading\n```');
    expect(sections[1]!.text).toContain('## inside the fold\n</details>');
  });

  test('commentMarker is a hidden HTML comment with a clean key', () => {
    expect(commentMarker('validate-data')).toBe('<!-- mlops-actions:pr-report:validate-data -->');
    expect(commentMarker('Evaluate / Model--A <x> -->')).toBe('<!-- mlops-actions:pr-report:evaluate-model-a-x- -->');
    expect(() => commentMarker('***')).toThrow(UserError);
  });
});

describe("the emulator checks traffic against GitHub's OpenAPI description", () => {
  test('a request with a wrong field type is answered 500 and recorded', async () => {
    const response = await fetch(`${emulator.url}/repos/octo/ml/issues/${PR}/comments`, {
      method: 'POST',
      headers: { authorization: 'Bearer write-token', 'content-type': 'application/json' },
      body: JSON.stringify({ body: 123 }),
    });
    expect(response.status).toBe(500);
    expect(emulator.violations).toEqual([
      expect.objectContaining({ part: 'request body', operationId: 'issues/create-comment', message: '/body must be string' }),
    ]);
    expect(emulator.commentsOn(REF, PR)).toEqual([]);
    expect(() => emulator.assertClean()).toThrow(/\/body must be string/);
  });

  test('wrong query parameters and unknown operations are recorded', async () => {
    const headers = { authorization: 'token read-token' };
    expect((await fetch(`${emulator.url}/repos/octo/ml/issues/${PR}/comments?per_page=lots`, { headers })).status).toBe(500);
    expect((await fetch(`${emulator.url}/repos/octo/ml/issues/${PR}/comments?perPage=100`, { headers })).status).toBe(500);
    expect((await fetch(`${emulator.url}/repos/octo/ml/no/such/path`, { headers })).status).toBe(500);
    expect(emulator.violations.map((v) => `${v.part}: ${v.message}`)).toEqual([
      'query: /per_page must be integer',
      'query: perPage is not a query parameter of issues/list-comments',
      "operation: no operation in GitHub's description matches GET /repos/octo/ml/no/such/path",
    ]);
  });

  test('a response missing a required field is recorded', async () => {
    await emulator.close();
    emulator = await GitHubEmulator.start({
      mutateResponse: (response) => {
        if (response.status === 201) delete (response.body as Record<string, unknown>).user;
      },
    });
    emulator.addIssue(REF, PR);
    github = new GitHubRestAdapter({ token: 'write-token', baseUrl: emulator.url });
    const comment = await github.createIssueComment(REF, PR, 'hello');
    expect(comment.author).toBeNull();
    expect(emulator.violations).toEqual([
      expect.objectContaining({
        part: 'response body',
        operationId: 'issues/create-comment',
        message: "(root) must have required property 'user'",
      }),
    ]);
    expect(() => emulator.assertClean()).toThrow(/required property 'user'/);
  });

  test('a status the operation does not document is recorded', async () => {
    await emulator.close();
    emulator = await GitHubEmulator.start({ mutateResponse: (response) => ({ ...response, status: 418 }) });
    emulator.addIssue(REF, PR);
    github = new GitHubRestAdapter({ token: 'write-token', baseUrl: emulator.url });
    await expect(github.createIssueComment(REF, PR, 'hello')).rejects.toMatchObject({ status: 418 });
    expect(emulator.violations.map((v) => v.message)).toEqual(['issues/create-comment does not document status 418']);
  });

  test('pages carry RFC 8288 prev, next, last and first links', async () => {
    emulator.seedComments(
      REF,
      PR,
      Array.from({ length: 25 }, (_, i) => `c${i}`),
    );
    const response = await fetch(`${emulator.url}/repos/octo/ml/issues/${PR}/comments?per_page=10&page=2`, {
      headers: { authorization: 'token read-token' },
    });
    const base = `${emulator.url}/repos/octo/ml/issues/${PR}/comments?per_page=10`;
    expect(response.headers.get('link')).toBe(
      `<${base}&page=1>; rel="prev", <${base}&page=3>; rel="next", <${base}&page=3>; rel="last", <${base}&page=1>; rel="first"`,
    );
    expect(((await response.json()) as unknown[]).length).toBe(10);
    emulator.assertClean();
  });
});
