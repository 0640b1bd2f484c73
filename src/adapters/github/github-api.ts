import { Octokit } from '@octokit/rest';
import { UserError } from '../../core/errors.js';
import {
  GitHubApiError,
  type Deployment,
  type DeploymentState,
  type GitHubPort,
  type GitHubValidationDetail,
  type Issue,
  type IssueComment,
  type PullRequest,
  type RepoRef,
} from '../../ports/github.js';

/** Where the REST API is when GITHUB_API_URL does not say (GitHub Enterprise Server sets it). */
export const DEFAULT_API_URL = 'https://api.github.com';

/** Octokit's logger; its `error` is silent by default because every failure reaches the caller as a GitHubApiError. */
export interface OctokitLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface GitHubRestOptions {
  token: string;
  /** The REST API root. Default: https://api.github.com. */
  baseUrl?: string;
  log?: Partial<OctokitLog>;
}

const noop = (): void => {};

/** The GitHub port over @octokit/rest. */
export class GitHubRestAdapter implements GitHubPort {
  private readonly octokit: Octokit;

  constructor(options: GitHubRestOptions) {
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl: (options.baseUrl ?? DEFAULT_API_URL).replace(/\/+$/, ''),
      log: { debug: noop, info: noop, warn: console.warn.bind(console), error: noop, ...options.log },
    });
  }

  async *listIssueComments(ref: RepoRef, issueNumber: number): AsyncIterable<IssueComment> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
      owner: ref.owner,
      repo: ref.repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    const iterator = pages[Symbol.asyncIterator]();
    try {
      for (;;) {
        const page = await call(`GET /repos/${ref.owner}/${ref.repo}/issues/${issueNumber}/comments`, () => iterator.next());
        if (page.done) return;
        for (const comment of page.value.data) yield toComment(comment);
      }
    } finally {
      await iterator.return?.();
    }
  }

  async createIssueComment(ref: RepoRef, issueNumber: number, body: string): Promise<IssueComment> {
    const { data } = await call(`POST /repos/${ref.owner}/${ref.repo}/issues/${issueNumber}/comments`, () =>
      this.octokit.rest.issues.createComment({ owner: ref.owner, repo: ref.repo, issue_number: issueNumber, body }),
    );
    return toComment(data);
  }

  async updateIssueComment(ref: RepoRef, commentId: number, body: string): Promise<IssueComment> {
    const { data } = await call(`PATCH /repos/${ref.owner}/${ref.repo}/issues/comments/${commentId}`, () =>
      this.octokit.rest.issues.updateComment({ owner: ref.owner, repo: ref.repo, comment_id: commentId, body }),
    );
    return toComment(data);
  }

  async *listIssues(ref: RepoRef, options: { labels: string[]; state: 'open' | 'closed' | 'all' }): AsyncIterable<Issue> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listForRepo, {
      owner: ref.owner,
      repo: ref.repo,
      state: options.state,
      labels: options.labels.join(','),
      per_page: 100,
    });
    const iterator = pages[Symbol.asyncIterator]();
    try {
      for (;;) {
        const page = await call(`GET /repos/${ref.owner}/${ref.repo}/issues`, () => iterator.next());
        if (page.done) return;
        // This endpoint lists pull requests too; they carry pull_request.
        for (const issue of page.value.data) if (!issue.pull_request) yield toIssue(issue);
      }
    } finally {
      await iterator.return?.();
    }
  }

  async createIssue(ref: RepoRef, issue: { title: string; body: string; labels: string[] }): Promise<Issue> {
    const { data } = await call(`POST /repos/${ref.owner}/${ref.repo}/issues`, () =>
      this.octokit.rest.issues.create({ owner: ref.owner, repo: ref.repo, title: issue.title, body: issue.body, labels: issue.labels }),
    );
    return toIssue(data);
  }

  async updateIssue(
    ref: RepoRef,
    issueNumber: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<Issue> {
    const { data } = await call(`PATCH /repos/${ref.owner}/${ref.repo}/issues/${issueNumber}`, () =>
      this.octokit.rest.issues.update({ owner: ref.owner, repo: ref.repo, issue_number: issueNumber, ...changes }),
    );
    return toIssue(data);
  }

  async getPullRequest(ref: RepoRef, number: number): Promise<PullRequest> {
    const { data } = await call(`GET /repos/${ref.owner}/${ref.repo}/pulls/${number}`, () =>
      this.octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: number }),
    );
    return {
      number: data.number,
      state: data.state === 'closed' ? 'closed' : 'open',
      headSha: data.head.sha,
      headRepo: data.head.repo?.full_name ?? null,
    };
  }

  async dispatchWorkflow(ref: RepoRef, workflow: string, gitRef: string, inputs: Record<string, string>): Promise<void> {
    await call(`POST /repos/${ref.owner}/${ref.repo}/actions/workflows/${workflow}/dispatches`, () =>
      this.octokit.rest.actions.createWorkflowDispatch({ owner: ref.owner, repo: ref.repo, workflow_id: workflow, ref: gitRef, inputs }),
    );
  }

  async repositoryDispatch(ref: RepoRef, eventType: string, clientPayload: Record<string, unknown>): Promise<void> {
    await call(`POST /repos/${ref.owner}/${ref.repo}/dispatches`, () =>
      this.octokit.rest.repos.createDispatchEvent({
        owner: ref.owner,
        repo: ref.repo,
        event_type: eventType,
        client_payload: clientPayload,
      }),
    );
  }

  async createDeployment(
    ref: RepoRef,
    deployment: {
      sha: string;
      environment: string;
      description: string;
      payload: Record<string, unknown>;
      productionEnvironment?: boolean;
      transientEnvironment?: boolean;
    },
  ): Promise<Deployment> {
    const response = await call(`POST /repos/${ref.owner}/${ref.repo}/deployments`, () =>
      this.octokit.rest.repos.createDeployment({
        owner: ref.owner,
        repo: ref.repo,
        ref: deployment.sha,
        environment: deployment.environment,
        description: deployment.description,
        payload: deployment.payload,
        // The default (true) merges the default branch into the ref, and the default contexts
        // require every status check to pass: neither belongs in a model release.
        auto_merge: false,
        required_contexts: [],
        ...(deployment.productionEnvironment !== undefined ? { production_environment: deployment.productionEnvironment } : {}),
        ...(deployment.transientEnvironment !== undefined ? { transient_environment: deployment.transientEnvironment } : {}),
      }),
    );
    if (response.status !== 201 || !('id' in response.data)) {
      const message = (response.data as { message?: string }).message ?? `HTTP ${response.status}`;
      throw new GitHubApiError(`GitHub did not create the deployment: ${message}`, response.status, undefined, [], 'POST deployments');
    }
    const data = response.data;
    return {
      id: data.id,
      environment: data.environment,
      sha: data.sha,
      payload: typeof data.payload === 'string' ? { raw: data.payload } : (data.payload as Record<string, unknown>),
      createdAt: data.created_at,
    };
  }

  async createDeploymentStatus(
    ref: RepoRef,
    deploymentId: number,
    status: { state: DeploymentState; description?: string; environmentUrl?: string; logUrl?: string },
  ): Promise<void> {
    await call(`POST /repos/${ref.owner}/${ref.repo}/deployments/${deploymentId}/statuses`, () =>
      this.octokit.rest.repos.createDeploymentStatus({
        owner: ref.owner,
        repo: ref.repo,
        deployment_id: deploymentId,
        state: status.state,
        ...(status.description !== undefined ? { description: status.description.slice(0, 140) } : {}),
        ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
        ...(status.logUrl ? { log_url: status.logUrl } : {}),
      }),
    );
  }
}

/**
 * The port and repository of the workflow run: the repository from GITHUB_REPOSITORY,
 * the API root from GITHUB_API_URL, the token from the `token` input when given, else
 * GITHUB_TOKEN. Null without a token (the caller skips what needs the API).
 */
export function gitHubFromEnvironment(env: NodeJS.ProcessEnv = process.env, token?: string): { github: GitHubPort; repo: RepoRef } | null {
  const auth = token?.trim() || env.GITHUB_TOKEN?.trim();
  if (!auth) return null;
  const repo = parseRepository(env.GITHUB_REPOSITORY);
  const baseUrl = env.GITHUB_API_URL?.trim() || DEFAULT_API_URL;
  return { github: new GitHubRestAdapter({ token: auth, baseUrl }), repo };
}

/** `owner/repo` as a RepoRef, or null when it is not of that form. */
export function repositoryOf(value: string | undefined): RepoRef | null {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value?.trim() ?? '');
  return match ? { owner: match[1]!, repo: match[2]! } : null;
}

/** `owner/repo` as a RepoRef. */
export function parseRepository(value: string | undefined): RepoRef {
  const repo = repositoryOf(value);
  if (!repo) {
    throw new UserError(
      value
        ? `GITHUB_REPOSITORY is ${JSON.stringify(value)}, not owner/repo.`
        : 'GITHUB_REPOSITORY is not set, so the repository to talk to is unknown.',
      'The runner sets it; outside GitHub Actions set GITHUB_REPOSITORY=owner/repo.',
    );
  }
  return repo;
}

interface RestComment {
  id: number;
  body?: string;
  html_url: string;
  user: { login: string } | null;
}

interface RestIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  user: { login: string } | null;
  labels: Array<string | { name?: string }>;
}

function toIssue(data: RestIssue): Issue {
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? '',
    state: data.state === 'closed' ? 'closed' : 'open',
    labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
    url: data.html_url,
    author: data.user?.login ?? null,
  };
}

function toComment(data: RestComment): IssueComment {
  return { id: data.id, body: data.body ?? '', author: data.user?.login ?? null, url: data.html_url };
}

/** Runs an Octokit call, turning its RequestError (or a network failure) into a GitHubApiError. */
async function call<T>(request: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toGitHubApiError(error, request);
  }
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { data?: unknown };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return error instanceof Error && error.name === 'HttpError' && typeof (error as { status?: unknown }).status === 'number';
}

/** Maps what Octokit throws to a GitHubApiError; anything else passes through. */
export function toGitHubApiError(error: unknown, request: string): unknown {
  if (error instanceof GitHubApiError || !isRequestError(error)) return error;
  if (!error.response) {
    const cause = error.message || 'no response';
    return new GitHubApiError(`GitHub API ${request} got no response: ${cause}`, 0, undefined, [], request);
  }
  const data = (typeof error.response.data === 'object' && error.response.data !== null ? error.response.data : {}) as {
    message?: unknown;
    documentation_url?: unknown;
    errors?: unknown;
  };
  const message = typeof data.message === 'string' && data.message ? data.message : `HTTP ${error.status}`;
  const raw: unknown[] = Array.isArray(data.errors) ? data.errors : [];
  const errors = raw.filter(isDetail);
  const details = raw
    .map((e) => (typeof e === 'string' ? e : isDetail(e) ? (e.message ?? [e.resource, e.field, e.code].filter(Boolean).join(' ')) : ''))
    .filter(Boolean);
  const text = details.length > 0 ? `${message}: ${details.join('; ')}` : message;
  const documentationUrl = typeof data.documentation_url === 'string' ? data.documentation_url : undefined;
  return new GitHubApiError(`GitHub API ${request} failed (${error.status}): ${text}`, error.status, documentationUrl, errors, request);
}

function isDetail(value: unknown): value is GitHubValidationDetail {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}
