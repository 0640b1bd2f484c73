/**
 * The sticky pull request comment: one comment per report key, found again by a
 * hidden marker and edited in place on every run, sized to GitHub's limit without
 * ever cutting a section (so tables and code fences stay whole). Written against
 * the GitHub port only. Also the fork-safe reporter's use case: posting the comments
 * pull request runs saved (comment.json), after checking they belong to the
 * triggering run.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FILE_NAMES, readContract } from '../contracts/index.js';
import type { SavedComment } from '../contracts/index.js';
import { UserError } from '../errors.js';
import { escapeHtml, escapeText, truncate } from '../markdown.js';
import { GitHubApiError, type GitHubPort, type IssueComment, type RepoRef } from '../../ports/github.js';

/** GitHub's limit on a comment body, in characters (counted here as JavaScript string length, which is never less). */
export const COMMENT_LIMIT = 65_536;
/** Room `fitComment` leaves for the marker line `upsertStickyComment` puts first (a marker is at most 98 characters with its newline). */
export const MARKER_RESERVE = 128;
/** A section folds into `<details>` when its body is longer than this many characters... */
export const FOLD_CHARS = 2_000;
/** ...or lines. */
export const FOLD_LINES = 30;

const MAX_KEY_LENGTH = 64;
const MAX_TITLE_LENGTH = 200;
const MAX_NAMED_OMISSIONS = 10;
const NOTE_START = '> [!NOTE]\n> Left out to fit';

/** A part of the comment that is kept or left out whole. */
export interface CommentSection {
  title: string;
  /** Markdown; shown as is. */
  body: string;
  /** true: always inside `<details>`; false: never; unset: when longer than FOLD_CHARS or FOLD_LINES. */
  fold?: boolean;
}

export interface FitOptions {
  /** Markdown before the sections (a heading and the verdict); always kept. */
  header: string;
  /** Markdown after the sections; always kept. */
  footer?: string;
  /** The most characters the comment may have, marker included. Default: COMMENT_LIMIT. */
  limit?: number;
}

/** The hidden HTML comment that identifies the sticky comment of `key` (lower-cased; other than a-z 0-9 . _ - becomes -). */
export function commentMarker(key: string): string {
  const clean = key
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, MAX_KEY_LENGTH);
  if (!/[a-z0-9]/.test(clean)) {
    throw new UserError(
      `The comment key ${JSON.stringify(key)} has no letter or digit.`,
      'Use a key such as the step name: validate-data.',
    );
  }
  return `<!-- mlops-actions:pr-report:${clean} -->`;
}

/**
 * One comment body of at most `limit - MARKER_RESERVE` characters: the header, the
 * sections (long or `fold: true` ones inside `<details>`), the footer. When they do
 * not fit, sections are dropped whole from the end and a note names them and points
 * to the job summary and the report artifact.
 */
export function fitComment(sections: CommentSection[], options: FitOptions): string {
  return fitBlocks(options.header, sections.map(renderSection), options.footer ?? '', options.limit ?? COMMENT_LIMIT, false);
}

/**
 * Creates, updates or leaves alone our comment holding `key`'s marker (the first
 * one, searching every page); `isOwn` tells our comments from others' (default: a bot's).
 */
export async function upsertStickyComment(
  github: GitHubPort,
  ref: RepoRef,
  issueNumber: number,
  key: string,
  body: string,
  isOwn: (comment: IssueComment) => boolean = ownCommentTest(),
): Promise<{ action: 'created' | 'updated' | 'unchanged'; comment: IssueComment }> {
  const marker = commentMarker(key);
  const text = withMarker(marker, body);
  for await (const comment of github.listIssueComments(ref, issueNumber)) {
    // Only our own comment: anyone can paste the marker into a comment of theirs.
    if (!comment.body.includes(marker) || !isOwn(comment)) continue;
    if (comment.body === text) return { action: 'unchanged', comment };
    return { action: 'updated', comment: await github.updateIssueComment(ref, comment.id, text) };
  }
  return { action: 'created', comment: await github.createIssueComment(ref, issueNumber, text) };
}

/** Which comments are ours: by `author` when given, else by any bot account. */
export function ownCommentTest(author?: string): (comment: IssueComment) => boolean {
  return author ? (comment) => comment.author === author : (comment) => comment.author !== null && comment.author.endsWith('[bot]');
}

/** What `publishPrComment` posts: finished Markdown, or sections it fits itself. */
export type CommentContent = string | ({ sections: CommentSection[] } & FitOptions);

export interface PublishLog {
  warning(message: string): void;
  info(message: string): void;
}

export interface PublishOptions {
  /**
   * GITHUB_EVENT_NAME. For `pull_request_target` the token can write even when the
   * pull request comes from a fork, so forks are not skipped.
   */
  eventName?: string;
  /**
   * The login that posts the comment (the token's user). Default: any bot account
   * (`github-actions[bot]` for the workflow token): a person's comment holding the
   * marker is never taken over.
   */
  author?: string;
}

export type PublishResult =
  | { posted: true; action: 'created' | 'updated' | 'unchanged'; comment: IssueComment; pullRequest: number }
  | { posted: false; reason: string };

/**
 * Posts (or updates) the sticky report comment on the event's pull request.
 * Permission problems (a 403, a pull request from a fork) are warnings naming the
 * fix, not errors: the report is still in the job summary. A 422 "body is too long"
 * is retried once at half the size. Other API errors propagate as GitHubApiError.
 */
export async function publishPrComment(
  github: GitHubPort,
  ref: RepoRef,
  event: unknown,
  key: string,
  body: CommentContent,
  log: PublishLog,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const pr = pullRequestOf(event);
  if (!pr) return { posted: false, reason: 'not a pull request event' };
  if (pr.fork !== null && options.eventName !== 'pull_request_target') {
    log.warning(forkWarning(pr.number, pr.fork));
    return { posted: false, reason: 'pull request from a fork' };
  }
  const marker = commentMarker(key);
  let text = typeof body === 'string' ? body : fitComment(body.sections, body);
  if (withMarker(marker, text).length > COMMENT_LIMIT) text = shrink(body, COMMENT_LIMIT);
  const post = async (): Promise<PublishResult> => {
    const result = await upsertStickyComment(github, ref, pr.number, key, text, ownCommentTest(options.author));
    log.info(`${capitalize(result.action)} the report comment on pull request #${pr.number}: ${result.comment.url}`);
    return { posted: true, pullRequest: pr.number, ...result };
  };
  try {
    try {
      return await post();
    } catch (error) {
      if (!(error instanceof GitHubApiError && error.isBodyTooLong)) throw error;
      const limit = Math.floor(withMarker(marker, text).length / 2);
      log.info(`GitHub refused the ${text.length}-character comment as too long; retrying with at most ${limit} characters.`);
      text = shrink(body, limit);
      return await post();
    }
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 403) {
      const rateLimited = /rate limit/i.test(error.message);
      log.warning(rateLimited ? rateLimitWarning(pr.number, error) : permissionWarning(pr.number, error));
      return { posted: false, reason: rateLimited ? 'rate limited (403)' : 'no permission to comment (403)' };
    }
    throw error;
  }
}

/** The pull request a run is for (its number and head commit), from a pull_request event; null for other events. */
export function pullRequestHead(event: unknown): { number: number; headSha: string | null } | null {
  const pr = record(record(event)?.pull_request);
  if (!pr || !isNumber(pr.number)) return null;
  const sha = record(pr.head)?.sha;
  return { number: pr.number, headSha: typeof sha === 'string' ? sha : null };
}

export interface SavedCommentsRequest {
  /** A comment.json, a folder holding one, or a folder of downloaded artifacts each holding one (several models). */
  from: string;
  /** The webhook payload of the run: a workflow_run event. */
  event: Record<string, unknown> | null;
  /** The GitHub API, asked for only when there is a comment to post; null without a token. */
  github(): { github: GitHubPort; repo: RepoRef } | null;
  log: PublishLog;
  /** How paths are shown to people. */
  shown(path: string): string;
}

/** The saved comments in `from`, in a stable order; [] when there are none. */
async function savedCommentFiles(from: string): Promise<string[]> {
  const file = FILE_NAMES.savedComment;
  if (from.endsWith('.json')) return existsSync(from) ? [from] : [];
  if (existsSync(join(from, file))) return [join(from, file)];
  if (!existsSync(from)) return [];
  return (await readdir(from, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && existsSync(join(from, e.name, file)))
    .map((e) => join(from, e.name, file))
    .sort();
}

/**
 * The reporter half of the fork-safe pattern: runs in the base repository on
 * workflow_run, with a token that may comment. A saved comment came from a pull
 * request's run and is untrusted: its pull request must exist and have the triggering
 * run's head commit, so one pull request's run cannot write on another's comment.
 * Returns the URLs of the comments posted (none when nothing was saved).
 */
export async function postSavedComments(request: SavedCommentsRequest): Promise<string[]> {
  const { from, log, shown } = request;
  const paths = await savedCommentFiles(from);
  if (paths.length === 0) {
    log.info(`No saved comment in ${shown(from)}: the run was not for a pull request, or its evaluation did not finish. Nothing to post.`);
    return [];
  }
  const run = record(request.event?.workflow_run);
  const runHeadSha = run?.head_sha;
  if (typeof runHeadSha !== 'string')
    throw new UserError(
      'report runs in a workflow triggered by workflow_run (the event has no workflow_run)',
      'See workflows in the README: mlops-report.yml.',
    );
  const github = request.github();
  if (!github)
    throw new UserError('no token to comment with', 'Set the `token` input or GITHUB_TOKEN (permissions: pull-requests: write).');
  const urls: string[] = [];
  for (const path of paths) {
    const saved = await readContract('savedComment', path, shown(path));
    if (!saved) throw new UserError(`${shown(path)} disappeared while it was being read`);
    const url = await postSavedComment(saved, runHeadSha, github, log);
    if (url) urls.push(url);
  }
  return urls;
}

async function postSavedComment(
  saved: SavedComment,
  runHeadSha: string,
  github: { github: GitHubPort; repo: RepoRef },
  log: PublishLog,
): Promise<string | null> {
  if (saved.headSha !== runHeadSha)
    throw new UserError(`the saved comment is for commit ${saved.headSha}, but the triggering run built ${runHeadSha}: not posted`);
  const pr = await github.github.getPullRequest(github.repo, saved.pullRequest);
  if (pr.headSha !== runHeadSha) {
    // Expected when a newer push came in meanwhile: its own run posts its own comment.
    log.warning(
      `Pull request #${saved.pullRequest} is at commit ${pr.headSha}, not the triggering run's ${runHeadSha}: the comment was not posted (the newer commit's run will post its own).`,
    );
    return null;
  }
  const result = await publishPrComment(
    github.github,
    github.repo,
    { pull_request: { number: saved.pullRequest } },
    saved.key,
    { header: saved.header, sections: saved.sections, footer: saved.footer },
    log,
    { eventName: 'workflow_run' },
  );
  return result.posted ? result.comment.url : null;
}

/**
 * Splits finished Markdown into a header and sections at top-level headings and
 * `<details>` blocks (never inside a code fence or a fold). When the text opens
 * with a heading, that first part is the header.
 */
export function splitMarkdownSections(markdown: string): { header: string; sections: Array<{ name: string; text: string }> } {
  const lines = markdown.split('\n');
  const parts: Array<{ name: string | null; lines: string[] }> = [{ name: null, lines: [] }];
  let fence: string | null = null;
  let depth = 0;
  for (const line of lines) {
    if (fence !== null) {
      if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(line)) fence = null;
      parts.at(-1)!.lines.push(line);
      continue;
    }
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (opening) {
      fence = opening[1]!;
      parts.at(-1)!.lines.push(line);
      continue;
    }
    if (depth === 0) {
      const heading = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
      const details = /^\s*<details\b/i.test(line);
      if (heading || details) {
        const name = heading
          ? (heading[1] ?? '')
          : decodeEntities(/<summary>(.*?)<\/summary>/i.exec(line)?.[1]?.replace(/<[^>]*>/g, '') ?? 'Details');
        parts.push({ name, lines: [] });
      }
    }
    depth += (line.match(/<details\b/gi) ?? []).length - (line.match(/<\/details>/gi) ?? []).length;
    if (depth < 0) depth = 0;
    parts.at(-1)!.lines.push(line);
  }
  // A report that opens with its title: the title and what follows it up to the next heading are the header.
  if (parts.length > 1 && parts[0]!.lines.join('').trim() === '') parts.shift();
  const [head, ...rest] = parts;
  return {
    header: head!.lines.join('\n').trim(),
    sections: rest.map((part) => ({ name: part.name ?? '', text: part.lines.join('\n').trim() })),
  };
}

interface Block {
  name: string;
  text: string;
}

function renderSection(section: CommentSection): Block {
  const body = section.body.trimEnd();
  const long = body.length > FOLD_CHARS || body.split('\n').length > FOLD_LINES;
  const title = truncate(section.title, MAX_TITLE_LENGTH);
  const text =
    (section.fold ?? long)
      ? `<details><summary>${escapeHtml(title)}</summary>\n\n${body}\n\n</details>`
      : `### ${escapeText(title, MAX_TITLE_LENGTH)}\n\n${body}`;
  return { name: section.title, text };
}

/** Header, as many blocks from the start as fit, the omission note, the footer: at most `limit - MARKER_RESERVE` characters. */
function fitBlocks(header: string, allBlocks: Block[], footer: string, limit: number, earlierOmissions: boolean): string {
  const budget = Math.max(0, limit - MARKER_RESERVE);
  const blocks = allBlocks.filter((block) => block.text !== '');
  const join = (parts: string[]): string => parts.filter((part) => part !== '').join('\n\n');
  // Sizes are summed rather than joined, so trying every cut stays linear in the text.
  const prefix = [0];
  for (const block of blocks) prefix.push(prefix.at(-1)! + block.text.length);
  for (let kept = blocks.length; kept >= 0; kept--) {
    const note = omissionNote(
      blocks.slice(kept).map((block) => block.name),
      earlierOmissions,
    );
    const fixed = [header, note, footer].filter((part) => part !== '');
    const count = fixed.length + kept;
    const size = fixed.reduce((sum, part) => sum + part.length, 0) + prefix[kept]! + 2 * Math.max(0, count - 1);
    if (size <= budget) return join([header, ...blocks.slice(0, kept).map((block) => block.text), note, footer]);
  }
  // Not even the header fits: cut it at a line break, keep the note and the footer.
  const tail = join([
    omissionNote(
      blocks.map((block) => block.name),
      earlierOmissions,
    ),
    footer,
  ]);
  if (tail.length + 2 < budget) return join([cutAtLine(header, budget - tail.length - 2), tail]);
  return truncate(tail, budget);
}

function omissionNote(names: string[], earlierOmissions: boolean): string {
  if (names.length === 0 && !earlierOmissions) return '';
  const shown = names.slice(0, MAX_NAMED_OMISSIONS).map((name) => `“${escapeText(name || 'untitled', 80)}”`);
  if (names.length > MAX_NAMED_OMISSIONS) shown.push(`${names.length - MAX_NAMED_OMISSIONS} more`);
  if (earlierOmissions) shown.push('sections left out before');
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0]!;
  return `${NOTE_START} GitHub's limit on comment size: ${list}. The full report is in the job summary and in the report artifact.`;
}

function cutAtLine(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const lastBreak = cut.lastIndexOf('\n');
  return `${lastBreak > 0 ? cut.slice(0, lastBreak) : cut}…`;
}

/** The content again at a smaller limit: sections are refitted; finished Markdown is split at its headings first. */
function shrink(body: CommentContent, limit: number): string {
  if (typeof body !== 'string') {
    return fitComment(body.sections, { ...body, limit: Math.min(limit, body.limit ?? COMMENT_LIMIT) });
  }
  const { header, sections } = splitMarkdownSections(body);
  const earlier = sections.some((section) => section.text.includes(NOTE_START)) || header.includes(NOTE_START);
  const blocks = sections.map((section) => ({ name: section.name, text: withoutNote(section.text) }));
  return fitBlocks(withoutNote(header), blocks, '', limit, earlier);
}

function withoutNote(text: string): string {
  const at = text.indexOf(NOTE_START);
  if (at < 0) return text;
  const end = text.indexOf('\n\n', at);
  return (text.slice(0, at) + (end < 0 ? '' : text.slice(end + 2))).trim();
}

function withMarker(marker: string, body: string): string {
  return body.startsWith(marker) ? body : `${marker}\n${body}`;
}

/** The pull request an event is about, and the fork it comes from (null when from the same repository or unknown). */
function pullRequestOf(event: unknown): { number: number; fork: string | null } | null {
  const payload = record(event);
  const pr = record(payload?.pull_request);
  if (pr && isNumber(pr.number)) {
    const head = record(pr.head);
    const headRepo = head?.repo;
    const base = record(record(pr.base)?.repo)?.full_name ?? record(payload?.repository)?.full_name;
    if (headRepo === null) return { number: pr.number, fork: 'a deleted fork' };
    const headName = record(headRepo)?.full_name;
    const fork =
      typeof headName === 'string' && typeof base === 'string' && headName.toLowerCase() !== base.toLowerCase() ? headName : null;
    return { number: pr.number, fork };
  }
  const issue = record(payload?.issue);
  if (issue && isNumber(issue.number) && issue.pull_request) return { number: issue.number, fork: null };
  return null;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

const FORK_SAFE_PATTERN =
  'upload the report as an artifact (actions/upload-artifact) and post the comment from a second workflow triggered by `on: workflow_run`, which runs in the base repository and can have `permissions: pull-requests: write`';

function forkWarning(number: number, fork: string): string {
  return (
    `Pull request #${number} comes from ${fork.includes('/') ? `the fork ${fork}` : fork}, and a workflow run for a fork's pull request ` +
    `gets a read-only token, so the report was not posted as a comment (it is in the job summary). To comment on pull requests from forks, ` +
    `${FORK_SAFE_PATTERN}.`
  );
}

function permissionWarning(number: number, error: GitHubApiError): string {
  return (
    `Could not comment on pull request #${number}: ${error.message}. The report is in the job summary. ` +
    `Give the job \`permissions: pull-requests: write\` (a job's \`permissions:\` replaces the defaults, so keep \`contents: read\` beside it). ` +
    `If the pull request comes from a fork, its token is read-only whatever the workflow asks for: ${FORK_SAFE_PATTERN}.`
  );
}

function rateLimitWarning(number: number, error: GitHubApiError): string {
  return `Could not comment on pull request #${number}: ${error.message}. The report is in the job summary; the next run will post it.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}
