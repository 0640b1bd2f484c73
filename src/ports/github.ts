/**
 * What steps see of GitHub's API: the few calls they make, in their own terms.
 * The REST adapter speaks Octokit; tests run it against an emulator checked
 * against GitHub's OpenAPI description. Steps and core code depend only on this port.
 */

/** A repository, as in `owner/repo`. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** A comment on an issue or pull request (the conversation tab, not a review comment). */
export interface IssueComment {
  id: number;
  /** The Markdown as stored ('' when GitHub omits it). */
  body: string;
  /** The author's login; null for a deleted account. */
  author: string | null;
  /** The comment's page on GitHub (its html_url). */
  url: string;
}

/** An issue (not a pull request). */
export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  url: string;
  /** The author's login; null for a deleted account. */
  author: string | null;
}

export interface PullRequest {
  number: number;
  state: 'open' | 'closed';
  headSha: string;
  /** owner/repo of the head branch; null when its fork was deleted. */
  headRepo: string | null;
}

/** A GitHub Deployment: one release of a ref to an environment. */
export interface Deployment {
  id: number;
  environment: string;
  /** The commit SHA it deploys. */
  sha: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

export type DeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface GitHubPort {
  /** Every comment on the issue or pull request, oldest first, across all pages. */
  listIssueComments(ref: RepoRef, issueNumber: number): AsyncIterable<IssueComment>;
  createIssueComment(ref: RepoRef, issueNumber: number, body: string): Promise<IssueComment>;
  /** Replaces the body of a comment (its id is unique across the repository). */
  updateIssueComment(ref: RepoRef, commentId: number, body: string): Promise<IssueComment>;

  /** Issues (pull requests left out) carrying every one of `labels`, newest first, across all pages. */
  listIssues(ref: RepoRef, options: { labels: string[]; state: 'open' | 'closed' | 'all' }): AsyncIterable<Issue>;
  createIssue(ref: RepoRef, issue: { title: string; body: string; labels: string[] }): Promise<Issue>;
  updateIssue(ref: RepoRef, issueNumber: number, changes: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<Issue>;

  /** A pull request's number, state, and head commit and repository. */
  getPullRequest(ref: RepoRef, number: number): Promise<PullRequest>;

  /** Starts a workflow that has a workflow_dispatch trigger, on a branch or tag. */
  dispatchWorkflow(ref: RepoRef, workflow: string, gitRef: string, inputs: Record<string, string>): Promise<void>;

  /**
   * Sends a repository_dispatch event (POST /repos/{owner}/{repo}/dispatches, answered 204):
   * it starts the workflows of the default branch whose `on.repository_dispatch.types` list
   * `eventType`, with `github.event.client_payload` set to `clientPayload`. GitHub refuses
   * (422) an event type over 100 characters and a payload over the limits in
   * REPOSITORY_DISPATCH_LIMITS. The token needs contents: write on the repository.
   */
  repositoryDispatch(ref: RepoRef, eventType: string, clientPayload: Record<string, unknown>): Promise<void>;

  /** Creates a deployment of `sha` to `environment` (never merging the default branch in, no required status checks). */
  createDeployment(
    ref: RepoRef,
    deployment: {
      sha: string;
      environment: string;
      description: string;
      payload: Record<string, unknown>;
      productionEnvironment?: boolean;
      transientEnvironment?: boolean;
    },
  ): Promise<Deployment>;
  createDeploymentStatus(
    ref: RepoRef,
    deploymentId: number,
    status: { state: DeploymentState; description?: string; environmentUrl?: string; logUrl?: string },
  ): Promise<void>;
}

/**
 * GitHub's limits on a repository_dispatch event, from its REST API description
 * (repos/create-dispatch-event): `event_type` 1 to 100 characters; `client_payload` an
 * object of at most 10 top-level properties whose JSON is under 64 KB (GitHub answers
 * 422 "client_payload is too large" beyond it).
 */
export const REPOSITORY_DISPATCH_LIMITS = {
  eventTypeLength: 100,
  payloadProperties: 10,
  payloadBytes: 64 * 1024,
} as const;

/** One entry of the `errors` list GitHub sends with a 422. */
export interface GitHubValidationDetail {
  resource?: string;
  field?: string;
  code: string;
  message?: string;
}

/**
 * GitHub answered with an error status (or could not be reached: status 0).
 * Adapters throw this and nothing else for API failures, so callers can branch on `status`.
 */
export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError';
  constructor(
    message: string,
    /** The HTTP status; 0 when no response came back. */
    readonly status: number,
    /** GitHub's `documentation_url` for the failed call, when it sent one. */
    readonly documentationUrl?: string,
    /** The `errors` of a 422 validation failure. */
    readonly errors: GitHubValidationDetail[] = [],
    /** The call that failed, as `METHOD /path`. */
    readonly request?: string,
  ) {
    super(message);
  }

  /** True for GitHub's 422 when a comment or issue body is over its size limit. */
  get isBodyTooLong(): boolean {
    if (this.status !== 422) return false;
    const texts = [this.message, ...this.errors.map((e) => `${e.field ?? ''} ${e.message ?? ''}`)];
    return texts.some((text) => /too long/i.test(text));
  }
}
