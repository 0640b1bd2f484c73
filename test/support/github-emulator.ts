/**
 * A local stand-in for GitHub's REST API: a real HTTP server on 127.0.0.1 that
 * keeps issues and comments in memory and answers as GitHub does (pagination with
 * Link headers, tokens with read or write permission, GitHub's error shapes).
 *
 * Every request and every response is checked against GitHub's published OpenAPI
 * description (@octokit/openapi, dereferenced): the operation is found by method
 * and path template, path and query parameters and the JSON body are validated
 * against its schemas, and the response body against the schema of its status. A
 * request that does not match is answered 500 at once; every mismatch is recorded
 * in `violations`, and `assertClean()` fails a test with all of them.
 *
 * Statuses GitHub sends from every endpoint though the description does not list
 * them for each operation (401, 403, 404) are checked against the Basic Error schema
 * the description gives for them elsewhere; any other undocumented status is a violation.
 *
 * Where GitHub itself checks a body against the limits the description states and
 * answers the documented 422 (a repository dispatch: event_type of 1 to 100 characters,
 * client_payload an object of at most 10 top-level properties and under 64 KB), the
 * emulator answers that 422 as GitHub does (after authentication, as GitHub does),
 * rather than a 500 and a violation: a client must handle it. `failNext` makes an
 * operation fail the way GitHub sometimes does (a 502, a 422 "endpoint has been spammed").
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** What a token may do on the emulated repositories. */
export type Permission = 'read' | 'write';

/** A token's permission, and optionally the account it acts as (default: github-actions[bot], as GITHUB_TOKEN does). */
export type TokenGrant = Permission | { permission: Permission; login?: string };

export interface EmulatorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface EmulatorOptions {
  /** Accepted tokens (sent as `Authorization: token X` or `Bearer X`). Default: { 'write-token': 'write', 'read-token': 'read' }. */
  tokens?: Record<string, TokenGrant>;
  /** The longest comment body accepted before a 422. Default: GitHub's 65,536 characters. */
  commentLimit?: number;
  /**
   * Changes each emulated response before it is validated and sent (return a new one
   * or edit it in place): a way to prove that response validation catches a wrong field.
   */
  mutateResponse?: (response: EmulatorResponse, context: { operationId: string; method: string; path: string }) => EmulatorResponse | void;
}

export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  /** The parsed JSON body (the raw text when it is not JSON; undefined when empty). */
  body: unknown;
  status: number;
  /** The OpenAPI operation it matched, e.g. issues/list-comments. */
  operationId?: string;
}

export interface Violation {
  /** `METHOD /path?query` of the request. */
  request: string;
  operationId?: string;
  /** What did not match: the operation itself, a parameter, the request body, the response status or body, or the emulator. */
  part: 'operation' | 'path' | 'query' | 'request body' | 'response status' | 'response body' | 'emulator';
  message: string;
}

/** One mismatch, before it is tied to its request. */
type Problem = Pick<Violation, 'part' | 'message'>;

export interface SeedOptions {
  /** The author's login. Default: a human contributor, octocat. */
  login?: string;
}

/** A comment as the emulator stores it. */
export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

const DEFAULT_TOKENS: Record<string, TokenGrant> = { 'write-token': 'write', 'read-token': 'read' };
const BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' } as const;
const DEFAULT_SEED_LOGIN = 'octocat';

/** The operations this emulator answers; the OpenAPI description keeps the schemas of these only. */
const OPERATIONS = [
  'issues/list-comments',
  'issues/create-comment',
  'issues/get-comment',
  'issues/update-comment',
  'issues/list-for-repo',
  'issues/create',
  'issues/update',
  'actions/create-workflow-dispatch',
  'repos/create-deployment',
  'repos/create-deployment-status',
  'repos/create-dispatch-event',
  'pulls/get',
] as const;
export type OperationId = (typeof OPERATIONS)[number];

/** An issue or pull request as the emulator stores it. */
export interface StoredIssue {
  owner: string;
  repo: string;
  number: number;
  pullRequest: boolean;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  login: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** A pull request's head: commit, repository (owner/repo; null for a deleted fork) and branch. */
  head?: { sha: string; repo: string | null; ref: string };
}

/** A workflow that can be dispatched, and the dispatches it received. */
export interface StoredWorkflow {
  owner: string;
  repo: string;
  /** Its file name, e.g. mlops-ct.yml. */
  file: string;
  id: number;
  /** The inputs its workflow_dispatch trigger declares. */
  inputs: string[];
  dispatches: Array<{ ref: string; inputs: Record<string, unknown> }>;
}

/** A repository_dispatch event GitHub accepted (answered 204). */
export interface StoredRepositoryDispatch {
  owner: string;
  repo: string;
  eventType: string;
  /** The client_payload as sent ({} when none was). */
  clientPayload: Record<string, unknown>;
  /** The account whose token sent it. */
  login: string;
  createdAt: string;
}

/** An answer `failNext` gives instead of the operation's own. */
export interface InjectedFailure {
  status: number;
  /** The JSON body. Default: GitHub's Basic Error shape with a message for the status. */
  body?: unknown;
}

export interface StoredDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environmentUrl: string;
  logUrl: string;
  createdAt: string;
}

export interface StoredDeployment {
  id: number;
  owner: string;
  repo: string;
  ref: string;
  sha: string;
  environment: string;
  description: string;
  payload: Record<string, unknown>;
  autoMerge: boolean;
  requiredContexts: string[] | null;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  login: string;
  createdAt: string;
  statuses: StoredDeploymentStatus[];
}

interface Caller {
  login: string;
  permission: Permission;
}

interface HandlerContext {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  caller: Caller;
  operation: Operation;
}

export class GitHubEmulator {
  /** The API root to give a client as its base URL, e.g. http://127.0.0.1:PORT. */
  readonly url: string;
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];

  private readonly tokens: Record<string, TokenGrant>;
  private readonly commentLimit: number;
  private readonly mutateResponse: EmulatorOptions['mutateResponse'];
  private readonly issues = new Map<string, StoredIssue>();
  private readonly workflows: StoredWorkflow[] = [];
  private readonly deploymentStore: StoredDeployment[] = [];
  private readonly dispatchStore: StoredRepositoryDispatch[] = [];
  private readonly failures: Array<{ operationId: string; failure: InjectedFailure }> = [];
  private nextDeploymentId = 3_100_000_001;
  private nextStatusId = 7_200_000_001;
  private nextRunId = 9_800_000_001;
  private readonly comments = new Map<number, StoredComment>();
  private nextCommentId = 1_900_000_001;
  private readonly userIds = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    options: EmulatorOptions,
  ) {
    const address = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
    this.tokens = options.tokens ?? DEFAULT_TOKENS;
    this.commentLimit = options.commentLimit ?? GITHUB_COMMENT_LIMIT;
    this.mutateResponse = options.mutateResponse;
  }

  /** Loads the OpenAPI description (once per process), then listens on 127.0.0.1 on a free port. */
  static async start(options: EmulatorOptions = {}): Promise<GitHubEmulator> {
    loadDescription();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const emulator = new GitHubEmulator(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      emulator.handle(req, res).catch((error: unknown) => {
        emulator.violations.push({ request: `${req.method} ${req.url}`, part: 'emulator', message: String(error) });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: `GitHub emulator failed: ${String(error)}` }));
      });
    });
    return emulator;
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** Adds an issue, or a pull request (the default), that comments can go on. */
  addIssue(
    ref: RepoRef,
    number: number,
    options: {
      pullRequest?: boolean;
      title?: string;
      body?: string;
      labels?: string[];
      state?: 'open' | 'closed';
      login?: string;
      head?: { sha: string; repo: string | null; ref: string };
    } = {},
  ): StoredIssue {
    const key = issueKey(ref, number);
    const existing = this.issues.get(key);
    if (existing) return existing;
    const now = timestamp();
    const issue: StoredIssue = {
      owner: ref.owner,
      repo: ref.repo,
      number,
      pullRequest: options.pullRequest ?? true,
      title: options.title ?? `#${number}`,
      body: options.body ?? '',
      state: options.state ?? 'open',
      labels: options.labels ?? [],
      login: options.login ?? DEFAULT_SEED_LOGIN,
      createdAt: now,
      updatedAt: now,
      closedAt: options.state === 'closed' ? now : null,
      ...(options.head ? { head: options.head } : {}),
    };
    this.issues.set(key, issue);
    return issue;
  }

  /** Issues (not pull requests) of a repository, lowest number first. */
  issuesOf(ref: RepoRef): StoredIssue[] {
    return [...this.issues.values()].filter((i) => sameRepo(i, ref) && !i.pullRequest).sort((a, b) => a.number - b.number);
  }

  /** Declares a workflow with a workflow_dispatch trigger taking `inputs`. */
  addWorkflow(ref: RepoRef, file: string, inputs: string[] = []): StoredWorkflow {
    const workflow: StoredWorkflow = {
      owner: ref.owner,
      repo: ref.repo,
      file,
      id: 161_000_000 + this.workflows.length,
      inputs,
      dispatches: [],
    };
    this.workflows.push(workflow);
    return workflow;
  }

  /** The repository_dispatch events a repository accepted, oldest first. */
  repositoryDispatches(ref: RepoRef): StoredRepositoryDispatch[] {
    return this.dispatchStore.filter((d) => sameRepo(d, ref));
  }

  /**
   * Answers the next `times` calls of an operation (e.g. repos/create-dispatch-event) with
   * `failure` instead, after authentication, as GitHub fails: a 5xx (which GitHub can send
   * from any endpoint, so it is not checked against the description), or a documented
   * status (checked as any other answer).
   */
  failNext(operationId: OperationId, failure: InjectedFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ operationId, failure });
  }

  /** Deployments of a repository, oldest first, with their statuses. */
  deployments(ref: RepoRef): StoredDeployment[] {
    return this.deploymentStore.filter((d) => sameRepo(d, ref));
  }

  private nextIssueNumber(ref: RepoRef): number {
    let max = 0;
    for (const issue of this.issues.values()) if (sameRepo(issue, ref)) max = Math.max(max, issue.number);
    return max + 1;
  }

  /** Adds comments in this order (oldest first), creating the pull request when needed; returns them. */
  seedComments(ref: RepoRef, issueNumber: number, bodies: string[], options: SeedOptions = {}): StoredComment[] {
    this.addIssue(ref, issueNumber);
    return bodies.map((body) => this.storeComment(ref, issueNumber, body, options.login ?? DEFAULT_SEED_LOGIN));
  }

  /** The comments on an issue or pull request, oldest first. */
  commentsOn(ref: RepoRef, issueNumber: number): StoredComment[] {
    return [...this.comments.values()].filter((c) => sameRepo(c, ref) && c.issueNumber === issueNumber).sort((a, b) => a.id - b.id);
  }

  /** Throws with every recorded violation, when there is any. */
  assertClean(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `- ${v.request}${v.operationId ? ` (${v.operationId})` : ''}: ${v.part}: ${v.message}`);
    throw new Error(`The GitHub emulator saw ${this.violations.length} violation(s) of GitHub's OpenAPI description:\n${lines.join('\n')}`);
  }

  private storeComment(ref: RepoRef, issueNumber: number, body: string, login: string): StoredComment {
    const now = timestamp();
    const comment: StoredComment = {
      id: this.nextCommentId++,
      owner: ref.owner,
      repo: ref.repo,
      issueNumber,
      body,
      login,
      createdAt: now,
      updatedAt: now,
    };
    this.comments.set(comment.id, comment);
    return comment;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const query = parseQuery(url.searchParams);
    const label = `${method} ${url.pathname}${url.search}`;
    const recorded: RecordedRequest = { method, path: url.pathname, query, body: parseJsonOrText(raw), status: 0 };
    this.requests.push(recorded);
    const send = (response: EmulatorResponse): void => {
      recorded.status = response.status;
      const headers = { 'content-type': 'application/json; charset=utf-8', ...standardHeaders(), ...response.headers };
      res.writeHead(response.status, headers);
      res.end(response.body === undefined ? '' : JSON.stringify(response.body));
    };
    /** Records the problems and answers 500 at once, so a client bug fails where it happens. */
    const reject = (problems: Problem[], operationId?: string): void => {
      for (const problem of problems) this.violations.push({ request: label, operationId, ...problem });
      send({
        status: 500,
        body: {
          message: "GitHub emulator: the request does not match GitHub's OpenAPI description",
          errors: problems.map((p) => `${p.part}: ${p.message}`),
        },
      });
    };

    const found = findOperation(method, url.pathname);
    if (!found.operation) return reject([{ part: 'operation', message: found.problem }]);
    const operation = found.operation;
    recorded.operationId = operation.operationId;
    // A body GitHub checks itself gets GitHub's 422 (after authentication), not a violation.
    const refusal = isJson(raw) ? GITHUB_BODY_CHECKS[operation.operationId]?.(recorded.body, operation) : undefined;
    const problems = validateRequest(operation, found.params, query, raw).filter((p) => !(refusal && p.part === 'request body'));
    if (problems.length > 0) return reject(problems, operation.operationId);
    if (!isEmulated(operation.operationId)) {
      const message = `${operation.operationId} is in GitHub's description but this emulator does not implement it`;
      return reject([{ part: 'emulator', message }], operation.operationId);
    }

    let response = this.authorize(req, method, operation);
    let injected = false;
    if (!response) {
      const index = this.failures.findIndex((f) => f.operationId === operation.operationId);
      if (index >= 0) {
        const { failure } = this.failures.splice(index, 1)[0]!;
        response = { status: failure.status, body: failure.body ?? injectedBody(failure.status, operation) };
        injected = failure.status >= 500;
      }
    }
    if (!response && refusal) response = refusal;
    if (!response) {
      const context: HandlerContext = {
        params: coerceAll(found.params, operation.parameters('path')),
        query: coerceAll(query, operation.parameters('query')),
        body: recorded.body,
        caller: this.callerOf(req)!,
        operation,
      };
      response = this.route(operation.operationId, context);
    }
    if (this.mutateResponse) {
      response = this.mutateResponse(response, { operationId: operation.operationId, method, path: url.pathname }) ?? response;
    }
    // GitHub's server errors come from any endpoint and are described nowhere: an injected one is not checked.
    for (const problem of injected ? [] : validateResponse(operation, response)) {
      this.violations.push({ request: label, operationId: operation.operationId, ...problem });
    }
    send(response);
  }

  private callerOf(req: IncomingMessage): Caller | null {
    const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const grant = match ? this.tokens[match[1]!] : undefined;
    if (grant === undefined) return null;
    return typeof grant === 'string'
      ? { permission: grant, login: BOT.login }
      : { permission: grant.permission, login: grant.login ?? BOT.login };
  }

  /** GitHub's 401 without a valid token, its 403 for a read-only token that writes; undefined when allowed. */
  private authorize(req: IncomingMessage, method: string, operation: Operation): EmulatorResponse | undefined {
    const caller = this.callerOf(req);
    if (!caller) {
      const message = req.headers.authorization ? 'Bad credentials' : 'Requires authentication';
      return { status: 401, body: { message, documentation_url: 'https://docs.github.com/rest', status: '401' } };
    }
    if (method !== 'GET' && caller.permission !== 'write') {
      return {
        status: 403,
        body: { message: 'Resource not accessible by integration', documentation_url: operation.docsUrl, status: '403' },
      };
    }
    return undefined;
  }

  private route(operationId: OperationId, ctx: HandlerContext): EmulatorResponse {
    const ref = { owner: String(ctx.params.owner), repo: String(ctx.params.repo) };
    switch (operationId) {
      case 'issues/list-comments': {
        const issue = this.issues.get(issueKey(ref, Number(ctx.params.issue_number)));
        if (!issue) return notFound(ctx.operation);
        const since = typeof ctx.query.since === 'string' ? Date.parse(ctx.query.since) : NaN;
        const all = this.commentsOn(ref, issue.number).filter((c) => Number.isNaN(since) || Date.parse(c.updatedAt) >= since);
        const perPage = pageSize(ctx.query.per_page);
        const page = typeof ctx.query.page === 'number' && ctx.query.page >= 1 ? ctx.query.page : 1;
        const pageItems = all.slice((page - 1) * perPage, page * perPage);
        const path = `/repos/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}/issues/${String(ctx.params.issue_number)}/comments`;
        const link = linkHeader(this.url, path, ctx, Math.max(1, Math.ceil(all.length / perPage)), page);
        return { status: 200, body: pageItems.map((c) => this.commentJson(c)), headers: link ? { link } : {} };
      }
      case 'issues/create-comment': {
        const issue = this.issues.get(issueKey(ref, Number(ctx.params.issue_number)));
        if (!issue) return notFound(ctx.operation);
        const body = (ctx.body as { body: string }).body;
        const invalid = this.checkBody(body, ctx.operation);
        if (invalid) return invalid;
        const comment = this.storeComment(ref, issue.number, body, ctx.caller.login);
        const json = this.commentJson(comment);
        return { status: 201, body: json, headers: { location: json.url } };
      }
      case 'issues/get-comment': {
        const comment = this.findComment(ref, ctx.params.comment_id);
        return comment ? { status: 200, body: this.commentJson(comment) } : notFound(ctx.operation);
      }
      case 'issues/update-comment': {
        const comment = this.findComment(ref, ctx.params.comment_id);
        if (!comment) return notFound(ctx.operation);
        const body = (ctx.body as { body: string }).body;
        const invalid = this.checkBody(body, ctx.operation);
        if (invalid) return invalid;
        comment.body = body;
        comment.updatedAt = timestamp();
        return { status: 200, body: this.commentJson(comment) };
      }
      case 'issues/list-for-repo': {
        const state = typeof ctx.query.state === 'string' ? ctx.query.state : 'open';
        const wanted =
          typeof ctx.query.labels === 'string'
            ? ctx.query.labels
                .split(',')
                .map((l) => l.trim())
                .filter(Boolean)
            : [];
        // GitHub lists pull requests here too (marked with pull_request); newest first by default.
        const all = [...this.issues.values()]
          .filter((i) => sameRepo(i, ref) && (state === 'all' || i.state === state))
          .filter((i) => wanted.every((l) => i.labels.some((have) => have.toLowerCase() === l.toLowerCase())))
          .sort((a, b) => (ctx.query.direction === 'asc' ? a.number - b.number : b.number - a.number));
        const perPage = pageSize(ctx.query.per_page);
        const page = typeof ctx.query.page === 'number' && ctx.query.page >= 1 ? ctx.query.page : 1;
        const items = all.slice((page - 1) * perPage, page * perPage);
        const path = `/repos/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}/issues`;
        const link = linkHeader(this.url, path, ctx, Math.max(1, Math.ceil(all.length / perPage)), page);
        return { status: 200, body: items.map((i) => this.issueJson(i)), headers: link ? { link } : {} };
      }
      case 'issues/create': {
        const input = ctx.body as { title: string | number; body?: string | null; labels?: Array<string | { name?: string }> };
        const title = String(input.title);
        if (title.trim() === '') return validationFailed(ctx.operation, { resource: 'Issue', code: 'missing_field', field: 'title' });
        const body = input.body ?? '';
        if (body.length > this.commentLimit) {
          return validationFailed(ctx.operation, {
            resource: 'Issue',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${this.commentLimit} characters)`,
          });
        }
        const labels = (input.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);
        const issue = this.addIssue(ref, this.nextIssueNumber(ref), { pullRequest: false, title, body, labels, login: ctx.caller.login });
        const json = this.issueJson(issue);
        return { status: 201, body: json, headers: { location: String(json.url) } };
      }
      case 'issues/update': {
        const issue = this.issues.get(issueKey(ref, Number(ctx.params.issue_number)));
        if (!issue) return notFound(ctx.operation);
        const input = ctx.body as { title?: string | number | null; body?: string | null; state?: 'open' | 'closed' };
        if (input.body !== undefined && input.body !== null && input.body.length > this.commentLimit) {
          return validationFailed(ctx.operation, {
            resource: 'Issue',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${this.commentLimit} characters)`,
          });
        }
        if (input.title !== undefined && input.title !== null) issue.title = String(input.title);
        if (input.body !== undefined) issue.body = input.body ?? '';
        if (input.state !== undefined && input.state !== issue.state) {
          issue.state = input.state;
          issue.closedAt = input.state === 'closed' ? timestamp() : null;
        }
        issue.updatedAt = timestamp();
        return { status: 200, body: this.issueJson(issue) };
      }
      case 'actions/create-workflow-dispatch': {
        const id = String(ctx.params.workflow_id);
        const workflow = this.workflows.find((w) => sameRepo(w, ref) && (w.file === id || String(w.id) === id));
        if (!workflow) return notFound(ctx.operation);
        const input = ctx.body as { ref: string; inputs?: Record<string, unknown> };
        const given = input.inputs ?? {};
        const unexpected = Object.keys(given).filter((name) => !workflow.inputs.includes(name));
        if (unexpected.length > 0) {
          return {
            status: 422,
            body: {
              message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}`,
              documentation_url: ctx.operation.docsUrl,
              status: '422',
            },
          };
        }
        workflow.dispatches.push({ ref: input.ref, inputs: given });
        if ((ctx.body as { return_run_details?: boolean }).return_run_details) {
          const runId = this.nextRunId++;
          return {
            status: 200,
            body: {
              workflow_run_id: runId,
              run_url: `${this.url}/repos/${ref.owner}/${ref.repo}/actions/runs/${runId}`,
              html_url: `https://github.com/${ref.owner}/${ref.repo}/actions/runs/${runId}`,
            },
          };
        }
        return { status: 204 };
      }
      case 'repos/create-dispatch-event': {
        // The body passed GITHUB_BODY_CHECKS (GitHub's own 422s) before it got here.
        const input = ctx.body as { event_type: string; client_payload?: Record<string, unknown> };
        this.dispatchStore.push({
          owner: ref.owner,
          repo: ref.repo,
          eventType: input.event_type,
          clientPayload: input.client_payload ?? {},
          login: ctx.caller.login,
          createdAt: timestamp(),
        });
        return { status: 204 };
      }
      case 'pulls/get': {
        const issue = this.issues.get(issueKey(ref, Number(ctx.params.pull_number)));
        if (!issue || !issue.pullRequest) return notFound(ctx.operation);
        return { status: 200, body: this.pullJson(issue, ctx.operation) };
      }
      case 'repos/create-deployment': {
        const input = ctx.body as {
          ref: string;
          task?: string;
          auto_merge?: boolean;
          required_contexts?: string[];
          payload?: Record<string, unknown> | string;
          environment?: string;
          description?: string | null;
          transient_environment?: boolean;
          production_environment?: boolean;
        };
        const environment = input.environment ?? 'production';
        const deployment: StoredDeployment = {
          id: this.nextDeploymentId++,
          owner: ref.owner,
          repo: ref.repo,
          ref: input.ref,
          sha: /^[0-9a-f]{40}$/.test(input.ref) ? input.ref : 'a'.repeat(40),
          environment,
          description: input.description ?? '',
          payload:
            typeof input.payload === 'string' ? (JSON.parse(input.payload || '{}') as Record<string, unknown>) : (input.payload ?? {}),
          autoMerge: input.auto_merge ?? true,
          requiredContexts: input.required_contexts ?? null,
          productionEnvironment: input.production_environment ?? environment === 'production',
          transientEnvironment: input.transient_environment ?? false,
          login: ctx.caller.login,
          createdAt: timestamp(),
          statuses: [],
        };
        // GitHub merges the default branch into the ref unless auto_merge is false, and checks every
        // required status context unless required_contexts is []: both would surprise a model deploy.
        if (deployment.autoMerge)
          return { status: 409, body: { message: 'Conflict merging main into the ref.', documentation_url: ctx.operation.docsUrl } };
        if (deployment.requiredContexts === null || deployment.requiredContexts.length > 0)
          return {
            status: 409,
            body: { message: 'Conflict: Commit status checks failed for the ref.', documentation_url: ctx.operation.docsUrl },
          };
        this.deploymentStore.push(deployment);
        return { status: 201, body: this.deploymentJson(deployment) };
      }
      case 'repos/create-deployment-status': {
        const deployment = this.deploymentStore.find((d) => sameRepo(d, ref) && d.id === Number(ctx.params.deployment_id));
        if (!deployment) return notFound(ctx.operation);
        const input = ctx.body as { state: string; description?: string; environment_url?: string; log_url?: string; target_url?: string };
        if ((input.description ?? '').length > 140)
          return validationFailed(ctx.operation, {
            resource: 'DeploymentStatus',
            code: 'custom',
            field: 'description',
            message: 'description is too long (maximum is 140 characters)',
          });
        const status: StoredDeploymentStatus = {
          id: this.nextStatusId++,
          state: input.state,
          description: input.description ?? '',
          environmentUrl: input.environment_url ?? '',
          logUrl: input.log_url ?? input.target_url ?? '',
          createdAt: timestamp(),
        };
        deployment.statuses.push(status);
        return { status: 201, body: this.deploymentStatusJson(deployment, status, ctx.caller.login) };
      }
    }
  }

  private issueJson(issue: StoredIssue): Record<string, unknown> {
    const repoPath = `${issue.owner}/${issue.repo}`;
    const api = `${this.url}/repos/${repoPath}`;
    const url = `${api}/issues/${issue.number}`;
    const json: Record<string, unknown> = {
      id: 2_000_000_000 + issue.number,
      node_id: `I_kwDO${Buffer.from(`${repoPath}#${issue.number}`).toString('base64url')}`,
      url,
      repository_url: api,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `https://github.com/${repoPath}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
      number: issue.number,
      state: issue.state,
      state_reason: issue.state === 'closed' ? 'completed' : null,
      title: issue.title,
      body: issue.body === '' ? null : issue.body,
      user: this.userJson(issue.login),
      labels: issue.labels.map((name, i) => ({
        id: 5_000_000_000 + i,
        node_id: `LA_${Buffer.from(name).toString('base64url')}`,
        url: `${api}/labels/${encodeURIComponent(name)}`,
        name,
        description: null,
        color: 'ededed',
        default: false,
      })),
      assignee: null,
      assignees: [],
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: this.commentsOn(issue, issue.number).length,
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      author_association: issue.login === BOT.login ? 'NONE' : 'CONTRIBUTOR',
    };
    if (issue.pullRequest) {
      json.pull_request = {
        url: `${api}/pulls/${issue.number}`,
        html_url: `https://github.com/${repoPath}/pull/${issue.number}`,
        diff_url: `https://github.com/${repoPath}/pull/${issue.number}.diff`,
        patch_url: `https://github.com/${repoPath}/pull/${issue.number}.patch`,
      };
    }
    return json;
  }

  /**
   * A pull request as pulls/get answers: the fields we read set from the stored pull
   * request, every other required field filled from the schema (the full repository
   * objects alone have over 70), so the response still validates.
   */
  private pullJson(issue: StoredIssue, operation: Operation): Record<string, unknown> {
    const schema = jsonSchemaOf(record(record(operation.described?.responses)['200']))!;
    const json = skeleton(schema) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const api = `${this.url}/repos/${issue.owner}/${issue.repo}`;
    Object.assign(json, this.issueJson(issue), { url: `${api}/pulls/${issue.number}`, merged: false, draft: false });
    delete json.pull_request;
    delete json.comments_url;
    json.comments_url = `${api}/issues/${issue.number}/comments`;
    const head = issue.head ?? { sha: '0'.repeat(40), repo: `${issue.owner}/${issue.repo}`, ref: 'feature' };
    json.head.sha = head.sha;
    json.head.ref = head.ref;
    json.head.label = `${(head.repo ?? 'ghost/deleted').split('/')[0]}:${head.ref}`;
    if (head.repo === null) json.head.repo = null;
    else {
      json.head.repo.full_name = head.repo;
      json.head.repo.name = head.repo.split('/')[1];
      json.head.repo.owner.login = head.repo.split('/')[0];
      json.head.repo.fork = head.repo.toLowerCase() !== `${issue.owner}/${issue.repo}`.toLowerCase();
    }
    json.base.sha = 'b'.repeat(40);
    json.base.ref = 'main';
    json.base.repo.full_name = `${issue.owner}/${issue.repo}`;
    json.base.repo.name = issue.repo;
    json.base.repo.owner.login = issue.owner;
    return json;
  }

  private deploymentJson(d: StoredDeployment): Record<string, unknown> {
    const api = `${this.url}/repos/${d.owner}/${d.repo}`;
    return {
      url: `${api}/deployments/${d.id}`,
      id: d.id,
      node_id: `DE_${Buffer.from(String(d.id)).toString('base64url')}`,
      sha: d.sha,
      ref: d.ref,
      task: 'deploy',
      payload: d.payload,
      original_environment: d.environment,
      environment: d.environment,
      description: d.description || null,
      creator: this.userJson(d.login),
      created_at: d.createdAt,
      updated_at: d.createdAt,
      statuses_url: `${api}/deployments/${d.id}/statuses`,
      repository_url: api,
      transient_environment: d.transientEnvironment,
      production_environment: d.productionEnvironment,
    };
  }

  private deploymentStatusJson(d: StoredDeployment, s: StoredDeploymentStatus, login: string): Record<string, unknown> {
    const api = `${this.url}/repos/${d.owner}/${d.repo}`;
    return {
      url: `${api}/deployments/${d.id}/statuses/${s.id}`,
      id: s.id,
      node_id: `DES_${Buffer.from(String(s.id)).toString('base64url')}`,
      state: s.state,
      creator: this.userJson(login),
      description: s.description,
      environment: d.environment,
      // GitHub sends "" when no log_url was given, which the description's uri format rejects: the run page stands in.
      target_url: s.logUrl || `https://github.com/${d.owner}/${d.repo}/deployments`,
      created_at: s.createdAt,
      updated_at: s.createdAt,
      deployment_url: `${api}/deployments/${d.id}`,
      repository_url: api,
      ...(s.environmentUrl ? { environment_url: s.environmentUrl } : {}),
      ...(s.logUrl ? { log_url: s.logUrl } : {}),
    };
  }

  private findComment(ref: RepoRef, id: unknown): StoredComment | undefined {
    const comment = this.comments.get(Number(id));
    return comment && sameRepo(comment, ref) ? comment : undefined;
  }

  /** GitHub's 422s for a comment body: blank, or over the limit. */
  private checkBody(body: string, operation: Operation): EmulatorResponse | undefined {
    if (body.trim() === '') {
      return validationFailed(operation, { resource: 'IssueComment', code: 'missing_field', field: 'body' });
    }
    if (body.length > this.commentLimit) {
      return validationFailed(operation, {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${this.commentLimit} characters)`,
      });
    }
    return undefined;
  }

  private commentJson(comment: StoredComment): Record<string, unknown> & { url: string } {
    const issue = this.issues.get(issueKey(comment, comment.issueNumber));
    const repoPath = `${comment.owner}/${comment.repo}`;
    const api = `${this.url}/repos/${repoPath}`;
    const url = `${api}/issues/comments/${comment.id}`;
    return {
      id: comment.id,
      node_id: `IC_kwDO${Buffer.from(String(comment.id)).toString('base64url')}`,
      url,
      html_url: `https://github.com/${repoPath}/${issue?.pullRequest === false ? 'issues' : 'pull'}/${comment.issueNumber}#issuecomment-${comment.id}`,
      body: comment.body,
      user: this.userJson(comment.login),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      issue_url: `${api}/issues/${comment.issueNumber}`,
      author_association: comment.login === BOT.login ? 'NONE' : 'CONTRIBUTOR',
      performed_via_github_app: null,
      reactions: {
        url: `${url}/reactions`,
        total_count: 0,
        '+1': 0,
        '-1': 0,
        laugh: 0,
        confused: 0,
        heart: 0,
        hooray: 0,
        eyes: 0,
        rocket: 0,
      },
    };
  }

  private userJson(login: string): Record<string, unknown> {
    const bot = login === BOT.login;
    let id: number = BOT.id;
    if (!bot) {
      if (!this.userIds.has(login)) this.userIds.set(login, 583231 + this.userIds.size);
      id = this.userIds.get(login)!;
    }
    const users = `${this.url}/users/${encodeURIComponent(login)}`;
    return {
      login,
      id,
      node_id: Buffer.from(`${bot ? '03:Bot' : '04:User'}${id}`).toString('base64'),
      avatar_url: bot ? 'https://avatars.githubusercontent.com/in/15368?v=4' : `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url: users,
      html_url: bot ? 'https://github.com/apps/github-actions' : `https://github.com/${encodeURIComponent(login)}`,
      followers_url: `${users}/followers`,
      following_url: `${users}/following{/other_user}`,
      gists_url: `${users}/gists{/gist_id}`,
      starred_url: `${users}/starred{/owner}{/repo}`,
      subscriptions_url: `${users}/subscriptions`,
      organizations_url: `${users}/orgs`,
      repos_url: `${users}/repos`,
      events_url: `${users}/events{/privacy}`,
      received_events_url: `${users}/received_events`,
      type: bot ? 'Bot' : 'User',
      user_view_type: 'public',
      site_admin: false,
    };
  }
}

// ---------------------------------------------------------------------------
// GitHub's behaviour

/** GitHub's limits on a repository dispatch (the description's, and its 64 KB payload limit). */
const DISPATCH_EVENT_TYPE_MAX = 100;
const DISPATCH_PAYLOAD_PROPERTIES_MAX = 10;
const DISPATCH_PAYLOAD_BYTES = 64 * 1024;

/**
 * Bodies GitHub checks itself, answering 422 with its own words (those of its answers seen
 * in the wild: "No more than 10 properties are allowed; 13 were supplied", "For
 * 'properties/client_payload', ... is not an object", "client_payload is too large").
 * Undefined when the body passes.
 */
const GITHUB_BODY_CHECKS: Record<string, (body: unknown, operation: Operation) => EmulatorResponse | undefined> = {
  'repos/create-dispatch-event': (body, operation) => {
    const refuse = (message: string): EmulatorResponse => ({
      status: 422,
      body: { message, documentation_url: operation.docsUrl, status: '422' },
    });
    const invalid = (detail: string) => refuse(`Invalid request.\n\n${detail}`);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid(`${JSON.stringify(body)} is not an object.`);
    const input = body as Record<string, unknown>;
    if (!Object.hasOwn(input, 'event_type')) return invalid('"event_type" wasn\'t supplied.');
    const eventType = input.event_type;
    if (typeof eventType !== 'string') return invalid(`For 'properties/event_type', ${JSON.stringify(eventType)} is not a string.`);
    if (eventType.length < 1) return invalid(`For 'properties/event_type', "" is too short (minimum is 1 character).`);
    if (eventType.length > DISPATCH_EVENT_TYPE_MAX)
      return invalid(
        `For 'properties/event_type', ${JSON.stringify(eventType)} is too long (maximum is ${DISPATCH_EVENT_TYPE_MAX} characters).`,
      );
    if (!Object.hasOwn(input, 'client_payload')) return undefined;
    const payload = input.client_payload;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return invalid(`For 'properties/client_payload', ${JSON.stringify(payload)} is not an object.`);
    const count = Object.keys(payload).length;
    if (count > DISPATCH_PAYLOAD_PROPERTIES_MAX)
      return invalid(`No more than ${DISPATCH_PAYLOAD_PROPERTIES_MAX} properties are allowed; ${count} were supplied.`);
    if (Buffer.byteLength(JSON.stringify(payload), 'utf8') >= DISPATCH_PAYLOAD_BYTES) return refuse('client_payload is too large');
    return undefined;
  },
};

/** The body of an injected failure: GitHub's Basic Error (a Validation Error for a 422). */
function injectedBody(status: number, operation: Operation): Record<string, string> {
  const messages: Record<number, string> = {
    422: 'Validation Failed',
    500: 'Server Error',
    502: 'Server Error',
    503: 'Service Unavailable',
    504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
  };
  return { message: messages[status] ?? `HTTP ${status}`, documentation_url: operation.docsUrl, status: String(status) };
}

function isEmulated(operationId: string): operationId is OperationId {
  return (OPERATIONS as readonly string[]).includes(operationId);
}

function issueKey(ref: RepoRef, number: number): string {
  return `${ref.owner.toLowerCase()}/${ref.repo.toLowerCase()}#${number}`;
}

function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}

/**
 * The smallest value a JSON schema accepts: required properties only, first choices,
 * formats honoured. For filling the fields of large GitHub objects that no test reads.
 */
function skeleton(schema: Json): unknown {
  const choice = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (choice) return skeleton(choice.find((c) => c.type !== 'null') ?? choice[0]!);
  if (schema.allOf) return Object.assign({}, ...(schema.allOf as Json[]).map((s) => skeleton(s) as object));
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : (schema.type as string | undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = record(schema.properties);
      for (const name of (schema.required as string[] | undefined) ?? []) out[name] = skeleton(record(properties[name]));
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'string':
      return schema.format === 'uri'
        ? 'https://github.com/'
        : schema.format === 'date-time'
          ? '2026-01-01T00:00:00Z'
          : schema.format === 'email'
            ? 'octocat@github.com'
            : '';
    default:
      return null;
  }
}

function notFound(operation: Operation): EmulatorResponse {
  return { status: 404, body: { message: 'Not Found', documentation_url: operation.docsUrl, status: '404' } };
}

function validationFailed(operation: Operation, error: Record<string, string>): EmulatorResponse {
  return { status: 422, body: { message: 'Validation Failed', errors: [error], documentation_url: operation.docsUrl, status: '422' } };
}

/** GitHub's page size: `per_page` (default 30) up to 100. */
function pageSize(value: unknown): number {
  if (typeof value !== 'number' || value < 1) return 30;
  return Math.min(100, Math.floor(value));
}

/** RFC 8288 links as GitHub sends them: prev, next, last, first (those that apply); undefined on a lone page. */
function linkHeader(base: string, path: string, ctx: HandlerContext, lastPage: number, page: number): string | undefined {
  const at = (n: number): string => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(ctx.query)) if (name !== 'page') search.set(name, String(value));
    search.set('page', String(n));
    return `<${base}${path}?${search.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}

function standardHeaders(): Record<string, string> {
  return {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
  };
}

/** GitHub's timestamps: ISO 8601 in UTC, whole seconds. */
function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isJson(raw: string): boolean {
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
}

function parseJsonOrText(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function parseQuery(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const previous = query[name];
    query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

// ---------------------------------------------------------------------------
// The OpenAPI description

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
}

interface Operation {
  method: string;
  template: string;
  operationId: string;
  docsUrl: string;
  /** The operation as described; kept for the emulated operations only. */
  described?: Json;
  validators: Map<string, ValidateFunction | null>;
  parameters(where: 'path' | 'query'): Parameter[];
}

interface PathEntry {
  template: string;
  pattern: RegExp;
  names: string[];
  /** Literal segments: a path matching several templates takes the most literal one (`issues/comments/{id}` over `{owner}/{repo}/issues/{number}`). */
  literals: number;
  operations: Map<string, Operation>;
}

interface Description {
  paths: PathEntry[];
  /** Schemas of statuses GitHub sends from any endpoint, taken from operations that do document them. */
  common: Map<number, Json>;
}

const DESCRIPTION_FILE = '@octokit/openapi/generated/api.github.com.deref.json';
/** Operations whose responses give the schema of GitHub-wide statuses, in order of preference. */
const COMMON_STATUS_SOURCES = ['users/get-authenticated', 'repos/get', 'issues/create-comment'];
const COMMON_STATUSES = [401, 403, 404];
/**
 * Statuses GitHub sends from an operation though its description leaves them out; they are
 * checked against the Basic Error schema. Workflow dispatch answers 422 "Unexpected inputs
 * provided" (and "Workflow does not have 'workflow_dispatch' trigger").
 */
const UNDOCUMENTED_BASIC_ERRORS: Record<string, number[]> = { 'actions/create-workflow-dispatch': [422] };

let description: Description | undefined;
let ajv: Ajv | undefined;

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
/** Where the reduced description is kept between test files (Jest loads this module afresh for each file). */
const CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.cache', 'mlops-tests');

/**
 * The description with what the emulator reads and nothing else: every path and method with its operationId
 * and docs link, and the emulated operations and the common statuses' sources whole. Parsing the 73 MB file
 * takes seconds, and every test file that starts an emulator would pay it: the first one writes the reduction
 * to node_modules/.cache, keyed by the description file (size, mtime) and the operations kept whole, and the
 * others read it from there. A missing, unreadable or broken cache file is computed again.
 */
function reducedDescription(): { paths: Record<string, Json> } {
  const file = createRequire(import.meta.url).resolve(DESCRIPTION_FILE);
  const { size, mtimeMs } = statSync(file);
  const key = createHash('sha256')
    .update(JSON.stringify([1, size, mtimeMs, OPERATIONS, COMMON_STATUS_SOURCES, METHODS]))
    .digest('hex')
    .slice(0, 16);
  const cached = join(CACHE_DIR, `github-description-${key}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as { paths: Record<string, Json> };
  } catch {
    // not cached yet (or a broken file): reduce the description again
  }
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Json> };
  const paths: Record<string, Json> = {};
  for (const [template, item] of Object.entries(spec.paths)) {
    const kept: Json = {};
    for (const [method, value] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const op = value as Json;
      const operationId = String(op.operationId);
      kept[method] =
        isEmulated(operationId) || COMMON_STATUS_SOURCES.includes(operationId)
          ? op
          : { operationId: op.operationId, externalDocs: op.externalDocs };
    }
    paths[template] = kept;
  }
  const reduced = { paths };
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(reduced));
    renameSync(partial, cached); // whole or not at all, for a test file of the other worker reading it
  } catch {
    // a read-only checkout: every test file reduces the description itself
  }
  return reduced;
}

/** Reads the description (reduced, see above) once per process and keeps the path index and the emulated operations only. */
function loadDescription(): Description {
  if (description) return description;
  const spec = reducedDescription();
  const paths: PathEntry[] = [];
  const common = new Map<number, Json>();
  const sources = new Map<string, Json>();
  for (const [template, item] of Object.entries(spec.paths)) {
    const names: string[] = [];
    const source = template
      .split('/')
      .map((segment) =>
        segment.replace(/\{([^}]+)\}|[^{]+/g, (part, name?: string) => {
          if (name === undefined) return escapeRegExp(part);
          names.push(name);
          return '([^/]+)';
        }),
      )
      .join('/');
    const entry: PathEntry = {
      template,
      pattern: new RegExp(`^${source}$`),
      names,
      literals: template.split('/').filter((segment) => segment !== '' && !segment.includes('{')).length,
      operations: new Map(),
    };
    for (const [method, value] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const op = value as Json;
      const operationId = String(op.operationId);
      if (COMMON_STATUS_SOURCES.includes(operationId)) sources.set(operationId, op);
      entry.operations.set(method.toUpperCase(), makeOperation(method.toUpperCase(), template, op, isEmulated(operationId)));
    }
    paths.push(entry);
  }
  for (const status of COMMON_STATUSES) {
    for (const id of COMMON_STATUS_SOURCES) {
      const schema = jsonSchemaOf(record(record(sources.get(id)?.responses)[String(status)]));
      if (schema) {
        common.set(status, schema);
        break;
      }
    }
  }
  paths.sort((a, b) => b.literals - a.literals);
  description = { paths, common };
  return description;
}

function makeOperation(method: string, template: string, op: Json, keep: boolean): Operation {
  const described = keep ? op : undefined;
  return {
    method,
    template,
    operationId: String(op.operationId),
    docsUrl: String(record(op.externalDocs).url ?? 'https://docs.github.com/rest'),
    described,
    validators: new Map(),
    parameters(where) {
      const list = (described?.parameters ?? []) as Parameter[];
      return list.filter((p) => p.in === where);
    },
  };
}

function findOperation(method: string, path: string): { operation?: Operation; params: Record<string, string>; problem: string } {
  const { paths } = loadDescription();
  let otherMethods: string[] = [];
  for (const entry of paths) {
    const match = entry.pattern.exec(path);
    if (!match) continue;
    const operation = entry.operations.get(method);
    if (!operation) {
      otherMethods = [...entry.operations.keys()];
      continue;
    }
    const params: Record<string, string> = {};
    entry.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)));
    return { operation, params, problem: '' };
  }
  const problem =
    otherMethods.length > 0
      ? `${method} is not an operation of this path in GitHub's description (it has ${otherMethods.join(', ')})`
      : `no operation in GitHub's description matches ${method} ${path}`;
  return { params: {}, problem };
}

function validateRequest(
  operation: Operation,
  pathParams: Record<string, string>,
  query: Record<string, string | string[]>,
  raw: string,
): Problem[] {
  const problems: Problem[] = [];
  const op = operation.described;
  if (!op) return problems;
  for (const where of ['path', 'query'] as const) {
    const params = operation.parameters(where);
    const values = where === 'path' ? pathParams : query;
    const known = new Set(params.map((p) => p.name));
    for (const name of Object.keys(values)) {
      if (!known.has(name)) problems.push({ part: where, message: `${name} is not a ${where} parameter of ${operation.operationId}` });
    }
    const validate = validator(operation, where, () => ({
      type: 'object',
      properties: Object.fromEntries(params.map((p) => [p.name, toJsonSchema(p.schema ?? {})])),
      required: params.filter((p) => p.required || where === 'path').map((p) => p.name),
    }));
    const coerced = coerceAll(values, params);
    if (validate && !validate(coerced)) problems.push(...problemsOf(validate.errors, where));
  }
  const requestBody = record(op.requestBody);
  const schema = jsonSchemaOf(requestBody);
  if (raw === '') {
    if (requestBody.required) problems.push({ part: 'request body', message: 'the operation requires a JSON body and none was sent' });
  } else if (!schema) {
    problems.push({ part: 'request body', message: `${operation.operationId} takes no JSON body` });
  } else {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      problems.push({ part: 'request body', message: 'the body is not JSON' });
      return problems;
    }
    const validate = validator(operation, 'body', () => schema);
    if (validate && !validate(body)) problems.push(...problemsOf(validate.errors, 'request body'));
  }
  return problems;
}

function validateResponse(operation: Operation, response: EmulatorResponse): Problem[] {
  const op = operation.described;
  if (!op) return [];
  const documented = record(op.responses)[String(response.status)];
  let schema: Json | undefined;
  if (documented !== undefined) {
    schema = jsonSchemaOf(record(documented));
    if (!schema) {
      return response.body === undefined
        ? []
        : [{ part: 'response body', message: `status ${response.status} is documented without a JSON body` }];
    }
  } else {
    const common = loadDescription().common;
    schema =
      common.get(response.status) ??
      (UNDOCUMENTED_BASIC_ERRORS[operation.operationId]?.includes(response.status) ? common.get(404) : undefined);
    if (!schema) {
      return [{ part: 'response status', message: `${operation.operationId} does not document status ${response.status}` }];
    }
  }
  const validate = validator(operation, `response ${response.status}`, () => schema!);
  if (validate && !validate(response.body)) return problemsOf(validate.errors, 'response body');
  return [];
}

/** A compiled validator for a part of an operation, compiled on first use. */
function validator(operation: Operation, part: string, schema: () => Json): ValidateFunction | null {
  if (!operation.validators.has(part)) {
    ajv ??= makeAjv();
    operation.validators.set(part, ajv.compile(schema()));
  }
  return operation.validators.get(part) ?? null;
}

function makeAjv(): Ajv {
  const instance = new Ajv({ strict: false, allErrors: true, logger: false });
  const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;
  addFormats(instance);
  return instance;
}

function problemsOf(errors: ErrorObject[] | null | undefined, part: Violation['part']): Problem[] {
  return (errors ?? []).map((error) => ({
    part,
    message: `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}${error.keyword === 'enum' ? ` (${JSON.stringify(error.params)})` : ''}`,
  }));
}

/** The JSON schema of a request body or response, converted from OpenAPI 3.0. */
function jsonSchemaOf(holder: Json): Json | undefined {
  const schema = record(record(record(holder.content)['application/json']).schema);
  return Object.keys(schema).length > 0 ? toJsonSchema(schema) : undefined;
}

const DROPPED_KEYWORDS = new Set([
  'nullable',
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** OpenAPI 3.0 schema to JSON Schema: `nullable: true` becomes a null type (or a null branch); annotations go. */
function toJsonSchema(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(record(value)).map(([name, sub]) => [name, toJsonSchema(record(sub))]));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && typeof value === 'object' && value !== null) {
      out[key] = toJsonSchema(value as Json);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((sub) => toJsonSchema(record(sub)));
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

/** Query and path values arrive as text; the schema says what they are meant to be. Text that does not parse stays text (and fails). */
function coerceAll(values: Record<string, string | string[]>, params: Parameter[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const schema = params.find((p) => p.name === name)?.schema ?? {};
    out[name] = coerce(value, schema);
  }
  return out;
}

function coerce(value: string | string[], schema: Json): unknown {
  if (schema.type === 'array') {
    const items = Array.isArray(value) ? value : value.split(',');
    return items.map((item) => coerce(item, record(schema.items)));
  }
  if (Array.isArray(value)) return value;
  if (schema.type === 'integer' && /^-?\d+$/.test(value)) return Number(value);
  if (schema.type === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (schema.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
