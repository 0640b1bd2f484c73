/**
 * drift-check on GitHub: one issue per subject kept open while drift lasts (found again
 * by the hidden marker its body starts with; a column named like the marker sits later,
 * in a code span), and the dispatch of a retraining workflow. A refused request (a
 * token without the permission) is a warning naming the permission, never a failed step:
 * the report is the result.
 */
import { GitHubApiError } from '../../ports/github.js';
import type { GitHubPort, RepoRef } from '../../ports/github.js';
import type { StepIO } from '../../ports/step-io.js';
import { escapeText } from '../markdown.js';
import type { DriftReport } from './compute.js';

/** Where progress and refusals are told. */
export type DriftLog = Pick<StepIO, 'info' | 'warning'>;

/** An issue or comment body is at most 65,536 characters; keep well under it. */
const MAX_BODY = 60_000;

/** The hidden first line of the drift issue of `subject`. */
export function issueMarker(subject: string): string {
  return `<!-- mlops-drift:${subject.replace(/--/g, '- -').replace(/>/g, '')} -->`;
}

function issueBody(marker: string, markdown: string, link: string | null): string {
  let body = markdown;
  if (body.length > MAX_BODY) {
    const cut = body.lastIndexOf('\n### ', MAX_BODY);
    body = `${body.slice(0, cut > 0 ? cut : MAX_BODY)}\n\n(The report is longer than an issue allows: see ${link ? `[the run](${link})` : 'the run'} for all of it.)\n`;
  }
  return `${marker}\n${body}`;
}

function permissionHint(error: GitHubApiError, permission: string): string {
  return error.status === 403 || error.status === 404
    ? ` The token may lack the permission: give the job \`permissions: ${permission}\` (and check the repository's Actions settings allow it).`
    : '';
}

export interface DriftIssueOptions {
  github: GitHubPort;
  repo: RepoRef;
  report: DriftReport;
  /** The Markdown report (the issue's body). */
  markdown: string;
  labels: readonly string[];
  /** The workflow run's page, or null. */
  runUrl: string | null;
  log: DriftLog;
}

/**
 * Opens the drift issue on drift (or updates the open one), and comments on and closes
 * it when drift is gone; with too few current rows for a verdict, leaves it as it is.
 * Returns the issue's number, or null when there is none.
 */
export async function updateDriftIssue(options: DriftIssueOptions): Promise<number | null> {
  const { github, repo, report, markdown, runUrl: link, log } = options;
  const labels = [...options.labels];
  const marker = issueMarker(report.subject);
  try {
    let open = null;
    for await (const issue of github.listIssues(repo, { labels, state: 'open' })) {
      if (issue.body.startsWith(marker)) {
        open = issue;
        break;
      }
    }
    if (report.verdict === 'not-enough-data') {
      // No verdict: an open issue stays as it is, none is opened.
      if (open) log.info(`Drift issue #${open.number} left open: not enough current data to tell.`);
      return open?.number ?? null;
    }
    if (report.drifted) {
      const body = issueBody(marker, markdown, link);
      if (open) {
        await github.updateIssue(repo, open.number, { body });
        log.info(`Updated drift issue #${open.number}: ${open.url}`);
        return open.number;
      }
      const created = await github.createIssue(repo, { title: `Data drift: ${report.subject}`, body, labels });
      log.info(`Opened drift issue #${created.number}: ${created.url}`);
      return created.number;
    }
    if (open) {
      await github.createIssueComment(
        repo,
        open.number,
        `Drift is gone: ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${report.driftShare.toFixed(3)}, below ${report.driftShareThreshold}), checked ${escapeText(report.checkedAt)}${link ? ` in [this run](${link})` : ''}. Closing.`,
      );
      await github.updateIssue(repo, open.number, { state: 'closed' });
      log.info(`Closed drift issue #${open.number}: drift is gone.`);
      return open.number;
    }
    return null;
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    log.warning(`The drift issue could not be updated: ${error.message}.${permissionHint(error, 'issues: write')}`);
    return null;
  }
}

/** Dispatches `workflow` (a file name or id) on `ref` with `inputs`; a refusal is a warning. */
export async function dispatchRetraining(
  github: GitHubPort,
  repo: RepoRef,
  workflow: string,
  ref: string,
  inputs: Record<string, string>,
  log: DriftLog,
): Promise<void> {
  try {
    await github.dispatchWorkflow(repo, workflow, ref, inputs);
    log.info(`Dispatched retraining: workflow ${workflow} on ${ref}.`);
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    log.warning(`The retraining workflow ${workflow} could not be dispatched: ${error.message}.${permissionHint(error, 'actions: write')}`);
  }
}
