/**
 * A workflow contract test harness: runs a workflow file the way GitHub's runner
 * would, as far as a test without GitHub can.
 *
 * The file is checked with GitHub's own parser (@actions/workflow-parser; any error
 * throws) and read as YAML. Jobs run one at a time in `needs` order; `strategy.matrix`
 * expands (axes, include, exclude); `${{ }}` is evaluated with @actions/expressions
 * against the contexts github, inputs, secrets, vars, env, steps, needs, matrix,
 * strategy, job, runner (and jobs, for workflow_call outputs), with success(),
 * failure(), always() and cancelled() for `if:` at step and job level.
 *
 * Steps that use one of the project's actions (`./actions/<name>`, `./`, or
 * `<actionRepository>[/actions/<name>]@<ref>`) run the bundle their action.yml names,
 * with the runner's environment contract: INPUT_* from `with:` and the action's
 * defaults, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV / GITHUB_PATH /
 * GITHUB_EVENT_PATH files, GITHUB_API_URL (the GitHub emulator), and the Actions
 * runtime (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL) of a ResultsService for
 * JavaScript actions only. `run:` steps run with `bash --noprofile --norc -eo pipefail`
 * in the workspace, without the Actions runtime, as the runner does. Other actions
 * (actions/checkout, actions/setup-node, ...) are recorded as skipped, never faked.
 * Jobs whose environment is listed in `protectedEnvironments` wait for approval: they
 * are reported `waiting` and not run, and the jobs that need them are skipped.
 * A job that calls a reusable workflow (`uses: ./.github/workflows/x.yml` or
 * `<actionRepository>/.github/workflows/x.yml@ref`) runs its jobs with the call's
 * `with:` and `secrets:` (or `secrets: inherit`); its outputs are the called
 * workflow's `on.workflow_call.outputs`.
 *
 * Permissions of called workflows, checked before any job starts, as GitHub does when it
 * creates the run: a called workflow's `permissions:`, top level and per job, must fit
 * within what the calling job grants (the caller job's `permissions:`, else the caller
 * workflow's, else what its own caller granted it), scope by scope, write > read > none,
 * whatever the calling job's `if:` says. Any excess fails the run with no job started;
 * `WorkflowResult.errors` holds GitHub's message ("... is requesting 'contents: read', but
 * is only allowed 'contents: none'"). Where no `permissions:` is declared anywhere, the
 * harness assumes the repository's default token is the restrictive one (contents and
 * packages read, metadata read, nothing else): GitHub's default for new repositories and
 * organizations, and the only one a template may rely on, since a permissive default is
 * a setting users may not have.
 *
 * GITHUB_TOKEN: `github.token` and `secrets.GITHUB_TOKEN` are the write token when the
 * job's effective `permissions:` grant any write, the read token otherwise (also when
 * none is declared anywhere: the restrictive default above); steps see it only where the
 * workflow passes it (`with:`/`env:`), as on GitHub.
 */
import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { ROOT, cleanEnv, inputVariable, parseAnnotations, parseGitHubOutput } from './action-runner.js';
import type { Annotation } from './action-runner.js';
import type { ResultsService } from './results-service.js';

// ---------------------------------------------------------------- public types

export interface WorkflowRunOptions {
  /** The workflow file, absolute or relative to `root`. */
  workflow: string;
  /** The checked-out repository the jobs work in (GITHUB_WORKSPACE, cwd of every step). */
  workspace: string;
  /** Where the project's actions (action.yml, actions/*), bundles and reusable workflows are. Default: this repository. */
  root?: string;
  /** `owner/repo` under which users reference the project's actions and workflows. Default: OWNER/mlops-actions. */
  actionRepository?: string;
  /** The triggering event's name (github.event_name). Default: push. */
  eventName?: string;
  /** The webhook payload (github.event, GITHUB_EVENT_PATH). Default: a minimal one for the event. */
  event?: Record<string, unknown>;
  /** Inputs of workflow_call / workflow_dispatch; the workflow's defaults fill the rest. */
  inputs?: Record<string, string | number | boolean>;
  /** Secrets (GITHUB_TOKEN is added from the tokens). */
  secrets?: Record<string, string>;
  /** Configuration variables (the vars context). */
  vars?: Record<string, string>;
  /** The repository, `owner/name`. Default: octo/ml. */
  repository?: string;
  /** github.ref. Default: refs/heads/main (refs/pull/<n>/merge for pull_request events with a number). */
  ref?: string;
  /** github.sha. Default: 40 zeros. */
  sha?: string;
  /** github.run_id (also the label of the run in the ResultsService). Default: 1000. */
  runId?: number;
  /** The API the steps' GITHUB_API_URL points at (a GitHubEmulator's url). Default: https://api.github.com. */
  apiUrl?: string;
  /** The Actions results service for artifacts and caches. Without it, JavaScript actions get no Actions runtime. */
  results?: ResultsService;
  /** GITHUB_TOKEN by permission. Default: { write: 'write-token', read: 'read-token' } (the GitHubEmulator's defaults). */
  tokens?: { write: string; read: string };
  /** Environments that need an approval: their jobs are reported `waiting`, not run. */
  protectedEnvironments?: string[];
  /** Extra variables for every step's process (after the inherited environment is cleaned). */
  env?: Record<string, string>;
  /**
   * GitHub's OIDC token service: for a job whose permissions grant `id-token: write`, the
   * variables that let its steps request a token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN), as
   * the runner sets them; jobs without that grant get none. Without it, no job gets them.
   */
  oidc?: (claims: { repository: string; ref: string; sha: string; runId: string }) => Record<string, string>;
  /** Runs only these top-level jobs (and reports the others skipped). Default: all. */
  jobs?: string[];
  /** The longest one step may run. Default: 120 s. */
  stepTimeoutMs?: number;
  /**
   * As on GitHub, where every job starts on a fresh runner: each job (each matrix cell) gets
   * its own copy of `workspace`, as it was before the run, in a folder under this one; only
   * artifacts, caches, registries and outputs carry anything from job to job. Without it,
   * every job works in `workspace` itself.
   */
  jobWorkspaces?: string;
}

export type JobStatus = 'success' | 'failure' | 'skipped' | 'waiting';
export type StepStatus = 'success' | 'failure' | 'skipped';

export interface StepResult {
  /** The step's id, or `__<n>` as GitHub names steps without one. */
  id: string;
  name: string;
  kind: 'action' | 'run' | 'third-party';
  uses?: string;
  /** skipped: its `if:` was false, or it is a third-party action (see `reason`). */
  status: StepStatus;
  /** steps.<id>.outcome and .conclusion (conclusion is success for a failure under continue-on-error). */
  outcome: StepStatus;
  conclusion: StepStatus;
  reason?: string;
  /** The evaluated `with:` (with the action's defaults, for our actions). */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  annotations: Annotation[];
}

export interface JobResult {
  /** The job id; jobs of a called workflow are `<caller> / <callee>`. */
  id: string;
  status: JobStatus;
  reason?: string;
  outputs: Record<string, string>;
  /** The environment's name and its URL (evaluated after the steps), when the job has one. */
  environment?: { name: string; url?: string };
  /** The GITHUB_TOKEN the job got. */
  permission?: 'read' | 'write';
  steps: StepResult[];
  /** The folder the job worked in (its own copy, with `jobWorkspaces`). */
  workspace?: string;
  /** One result per matrix cell, for a job with a matrix (then `steps` is empty). */
  cells?: (JobResult & { matrix: Record<string, unknown> })[];
}

export interface WorkflowResult {
  /** failure when any job failed; waiting when none failed and one waits for approval; else success. */
  conclusion: 'success' | 'failure' | 'waiting';
  /** Every job by id, in the order they ran (called workflows' jobs as `<caller> / <callee>`). */
  jobs: Record<string, JobResult>;
  /** The workflow_call outputs, evaluated from the jobs' outputs. */
  outputs: Record<string, string>;
  /** What GitHub refuses before any job starts (then `jobs` is empty and the conclusion failure); else empty. */
  errors: string[];
}

// ---------------------------------------------------------------- expressions

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Contexts = Record<string, Json>;

interface StatusFunctions {
  success: () => boolean;
  failure: () => boolean;
}

const CONTEXT_NAMES = ['github', 'inputs', 'secrets', 'vars', 'env', 'steps', 'needs', 'matrix', 'strategy', 'job', 'jobs', 'runner'];
const STATUS_NAMES = ['success', 'failure', 'always', 'cancelled'];

function toData(value: Json): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

function toJson(value: data.ExpressionData): Json {
  switch (value.kind) {
    case data.Kind.String:
      return (value as data.StringData).value;
    case data.Kind.Number:
      return (value as data.NumberData).value;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Null:
      return null;
    case data.Kind.Array:
      return (value as data.Array).values().map(toJson);
    default:
      return Object.fromEntries((value as data.Dictionary).pairs().map((p) => [p.key, toJson(p.value)]));
  }
}

function evaluateExpression(expression: string, contexts: Contexts, status?: StatusFunctions): data.ExpressionData {
  const lexed = new Lexer(expression).lex();
  const functions = [...STATUS_NAMES.map((name) => ({ name, minArgs: 0, maxArgs: 0 })), { name: 'hashFiles', minArgs: 1, maxArgs: 255 }];
  const tree = new Parser(lexed.tokens, CONTEXT_NAMES, functions).parse();
  const definitions = new Map<string, FunctionDefinition>();
  const define = (name: string, call: () => data.ExpressionData, max = 0) =>
    definitions.set(name.toLowerCase(), { name, minArgs: 0, maxArgs: max, call });
  define('success', () => new data.BooleanData(status ? status.success() : true));
  define('failure', () => new data.BooleanData(status ? status.failure() : false));
  define('always', () => new data.BooleanData(true));
  define('cancelled', () => new data.BooleanData(false));
  define('hashFiles', () => new data.StringData(''), 255);
  const context = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({ key, value: toData(value) })));
  return new Evaluator(tree, context, definitions).evaluate();
}

const WHOLE = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/;
const EMBEDDED = /\$\{\{([\s\S]*?)\}\}/g;

/** A YAML value with `${{ }}` evaluated: one whole expression keeps its type; embedded ones are joined as strings. */
function evaluateValue(value: unknown, contexts: Contexts): Json {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole && !whole[1]!.includes('}}')) return toJson(evaluateExpression(whole[1]!, contexts));
    return value.replace(EMBEDDED, (_, expr: string) => evaluateExpression(expr, contexts).coerceString());
  }
  if (Array.isArray(value)) return value.map((item) => evaluateValue(item, contexts));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateValue(v, contexts)]));
  return (value ?? null) as Json;
}

function asString(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** An `if:` condition: bare or wrapped in `${{ }}`; without a status function it means `success() && (...)`. */
function evaluateCondition(condition: unknown, contexts: Contexts, status: StatusFunctions): boolean {
  if (condition === undefined || condition === null) return status.success();
  if (typeof condition === 'boolean') return condition && status.success();
  let text = String(condition).trim();
  const whole = WHOLE.exec(text);
  if (whole) text = whole[1]!.trim();
  const usesStatus = new RegExp(`\\b(${STATUS_NAMES.join('|')})\\s*\\(`, 'i').test(text);
  if (!usesStatus) text = `success() && (${text})`;
  return truthy(evaluateExpression(text, contexts, status));
}

// ---------------------------------------------------------------- workflow model

interface WorkflowFile {
  path: string;
  doc: Record<string, unknown>;
}

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a workflow with GitHub's parser (throwing on its errors) and as plain YAML. */
export function loadWorkflow(path: string): WorkflowFile {
  const content = readFileSync(path, 'utf8');
  const parsed = parseWorkflow({ name: path, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0) throw new Error(`${path} does not parse with @actions/workflow-parser:\n${errors.join('\n')}`);
  const doc = parseYaml(content) as unknown;
  if (!isMapping(doc)) throw new Error(`${path}: not a YAML mapping`);
  return { path, doc };
}

/** Job ids in an order where every job comes after the jobs it needs. */
export function orderJobs(jobs: Mapping): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, chain: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`jobs need each other in a cycle: ${[...chain, id].join(' -> ')}`);
    if (!(id in jobs)) throw new Error(`job ${chain.at(-1)} needs ${id}, which does not exist`);
    state.set(id, 'visiting');
    for (const need of needsOf(jobs[id])) visit(need, [...chain, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

function needsOf(job: unknown): string[] {
  const needs = isMapping(job) ? job.needs : undefined;
  if (needs === undefined) return [];
  return Array.isArray(needs) ? needs.map(String) : [String(needs)];
}

/** The matrix cells of a (evaluated) `strategy.matrix`: the axes' product, then exclude, then include. */
export function expandMatrix(matrix: Json): Record<string, Json>[] {
  if (!isMapping(matrix)) throw new Error(`strategy.matrix must be a mapping, got ${JSON.stringify(matrix)}`);
  const { include, exclude, ...axes } = matrix as Record<string, Json>;
  let cells: Record<string, Json>[] = [{}];
  for (const [axis, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) throw new Error(`matrix axis ${axis} must be a list`);
    cells = cells.flatMap((cell) => values.map((value) => ({ ...cell, [axis]: value })));
  }
  if (Object.keys(axes).length === 0) cells = [];
  const matches = (cell: Record<string, Json>, pattern: Record<string, Json>) =>
    Object.entries(pattern).every(([k, v]) => JSON.stringify(cell[k]) === JSON.stringify(v));
  for (const pattern of (exclude as Record<string, Json>[] | undefined) ?? []) cells = cells.filter((cell) => !matches(cell, pattern));
  const original = Object.keys(axes);
  for (const entry of (include as Record<string, Json>[] | undefined) ?? []) {
    // An include extends every cell whose original values it does not change; else it adds a cell.
    let extended = false;
    for (const cell of cells) {
      const conflicts = Object.entries(entry).some(([k, v]) => original.includes(k) && JSON.stringify(cell[k]) !== JSON.stringify(v));
      if (!conflicts) {
        Object.assign(cell, entry);
        extended = true;
      }
    }
    if (!extended) cells.push({ ...entry });
  }
  return cells;
}

// ---------------------------------------------------------------- permissions

export type PermissionLevel = 'none' | 'read' | 'write';
/** Every scope of GITHUB_TOKEN a workflow can set (metadata is always read and cannot be set). */
export const PERMISSION_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;
export type PermissionScope = (typeof PERMISSION_SCOPES)[number];
export type Grant = Record<PermissionScope, PermissionLevel>;

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, write: 2 };

/** The repository's default token as this harness assumes it: GitHub's restrictive default. */
export const RESTRICTED_DEFAULT: Readonly<Grant> = grantOf({ contents: 'read', packages: 'read' });

/** Every scope's level from a `permissions:` value (`read-all`, `write-all`, `{}` or a mapping; unset scopes are none). */
export function grantOf(permissions: unknown): Grant {
  const all = (level: PermissionLevel) => Object.fromEntries(PERMISSION_SCOPES.map((scope) => [scope, level])) as Grant;
  if (permissions === 'read-all') return all('read');
  if (permissions === 'write-all') return all('write');
  if (permissions === null || permissions === undefined) return all('none');
  if (!isMapping(permissions)) throw new Error(`permissions: ${JSON.stringify(permissions)} is not read-all, write-all or a mapping`);
  const grant = all('none');
  for (const [scope, level] of Object.entries(permissions)) {
    if (!(PERMISSION_SCOPES as readonly string[]).includes(scope)) throw new Error(`permissions: unknown scope ${scope}`);
    if (level !== 'none' && level !== 'read' && level !== 'write')
      throw new Error(`permissions: ${scope}: ${String(level)} is not read, write or none`);
    grant[scope as PermissionScope] = level;
  }
  return grant;
}

/**
 * GitHub's message when `requested` asks for more than `allowed` on any scope, else null:
 * "The workflow is requesting 'contents: read', but is only allowed 'contents: none'."
 * (`who`: "The workflow" or "The nested job 'x'").
 */
export function permissionExcess(requested: unknown, allowed: Grant, who = 'The workflow'): string | null {
  const asked = grantOf(requested);
  const over = PERMISSION_SCOPES.filter((scope) => RANK[asked[scope]] > RANK[allowed[scope]]);
  if (over.length === 0) return null;
  const list = (grant: Grant) => over.map((scope) => `${scope}: ${grant[scope]}`).join(', ');
  return `${who} is requesting '${list(asked)}', but is only allowed '${list(allowed)}'.`;
}

/** What a job of a workflow may give away: its own permissions, else its workflow's, else what the workflow was granted. */
function jobGrant(job: Mapping, doc: Mapping, inherited: Grant): Grant {
  if (job.permissions !== undefined) return grantOf(job.permissions);
  if (doc.permissions !== undefined) return grantOf(doc.permissions);
  return inherited;
}

// ---------------------------------------------------------------- the runner

interface Scope {
  /** The id prefix of jobs ('' at the top, '<caller> / ' inside a called workflow). */
  prefix: string;
  workflow: WorkflowFile;
  inputs: Record<string, Json>;
  secrets: Record<string, string>;
  /** permissions inherited from the caller's job or workflow (undefined: none declared). */
  permissions: unknown;
  depth: number;
}

interface JobRun {
  status: JobStatus;
  outputs: Record<string, string>;
}

export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowResult> {
  return new WorkflowRunner(options).run();
}

/**
 * The permission check GitHub makes before a run of `workflow` starts (see the module
 * header), without running anything: GitHub's messages, one per refused call; empty when
 * every call fits.
 */
export function checkCallPermissions(workflow: string, options: { root?: string; actionRepository?: string } = {}): string[] {
  const runner = new WorkflowRunner({ workflow, workspace: '', ...options });
  const path = isAbsolute(workflow) ? workflow : join(options.root ?? ROOT, workflow);
  return runner.checkCalls(loadWorkflow(path), RESTRICTED_DEFAULT, 0);
}

class WorkflowRunner {
  private readonly root: string;
  private readonly actionRepository: string;
  private readonly jobs: Record<string, JobResult> = {};
  private readonly github: Record<string, Json>;
  private readonly tokens: { write: string; read: string };
  private eventFile = '';
  private temp = '';

  constructor(private readonly options: WorkflowRunOptions) {
    this.root = options.root ?? ROOT;
    this.actionRepository = options.actionRepository ?? 'OWNER/mlops-actions';
    this.tokens = options.tokens ?? { write: 'write-token', read: 'read-token' };
    const repository = options.repository ?? 'octo/ml';
    const eventName = options.eventName ?? 'push';
    const event = options.event ?? defaultEvent(eventName, repository);
    const prNumber = isMapping(event.pull_request) ? Number(event.number ?? (event.pull_request as Mapping).number) : undefined;
    const ref = options.ref ?? (eventName.startsWith('pull_request') && prNumber ? `refs/pull/${prNumber}/merge` : 'refs/heads/main');
    const pr = isMapping(event.pull_request) ? (event.pull_request as { head?: { ref?: string }; base?: { ref?: string } }) : undefined;
    this.github = {
      event_name: eventName,
      event: event as Json,
      ref,
      ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      sha: options.sha ?? '0'.repeat(40),
      repository,
      repository_owner: repository.split('/')[0]!,
      run_id: String(options.runId ?? 1000),
      run_number: '1',
      run_attempt: '1',
      actor: 'octocat',
      triggering_actor: 'octocat',
      server_url: 'https://github.com',
      api_url: options.apiUrl ?? 'https://api.github.com',
      graphql_url: `${options.apiUrl ?? 'https://api.github.com'}/graphql`,
      workspace: options.workspace,
      head_ref: pr?.head?.ref ?? '',
      base_ref: pr?.base?.ref ?? '',
      retention_days: '90',
    };
  }

  async run(): Promise<WorkflowResult> {
    this.temp = await mkdtemp(join(tmpdir(), 'workflow-runner-'));
    try {
      this.eventFile = join(this.temp, 'event.json');
      await writeFile(this.eventFile, JSON.stringify(this.github.event));
      const path = isAbsolute(this.options.workflow) ? this.options.workflow : join(this.root, this.options.workflow);
      const workflow = loadWorkflow(path);
      const errors = this.checkCalls(workflow, RESTRICTED_DEFAULT, 0);
      if (errors.length > 0) return { conclusion: 'failure', jobs: {}, outputs: {}, errors };
      const inputs = withInputDefaults(workflow, this.options.inputs ?? {});
      const scope: Scope = { prefix: '', workflow, inputs, secrets: { ...this.options.secrets }, permissions: undefined, depth: 0 };
      const { runs, outputs } = await this.runJobs(scope, this.options.jobs);
      const statuses = [...Object.values(this.jobs).map((j) => j.status), ...[...runs.values()].map((r) => r.status)];
      const conclusion = statuses.includes('failure') ? 'failure' : statuses.includes('waiting') ? 'waiting' : 'success';
      return { conclusion, jobs: this.jobs, outputs, errors: [] };
    } finally {
      await rm(this.temp, { recursive: true, force: true });
    }
  }

  /**
   * GitHub's check before a run starts: every job that calls one of the project's (or the
   * repository's) reusable workflows, whatever its `if:`, grants the called workflow at most
   * its own permissions; the called workflow's top-level and per-job `permissions:` must fit,
   * and so on down the calls. Returns GitHub's messages, one per refused call.
   */
  checkCalls(workflow: WorkflowFile, granted: Grant, depth: number): string[] {
    const jobs = isMapping(workflow.doc.jobs) ? workflow.doc.jobs : {};
    const errors: string[] = [];
    for (const [id, raw] of Object.entries(jobs)) {
      if (!isMapping(raw) || typeof raw.uses !== 'string') continue;
      const path = this.reusableWorkflowPath(raw.uses, workflow.path);
      if (!path || depth >= 10) continue; // reported when the job runs
      const called = loadWorkflow(path);
      const grant = jobGrant(raw, workflow.doc, granted);
      const where = `${workflow.path} (job ${id}): Error calling workflow '${raw.uses}'.`;
      const problems: string[] = [];
      if (called.doc.permissions !== undefined) {
        const excess = permissionExcess(called.doc.permissions, grant);
        if (excess) problems.push(excess);
      }
      for (const [calledId, calledJob] of Object.entries(isMapping(called.doc.jobs) ? called.doc.jobs : {})) {
        if (!isMapping(calledJob) || calledJob.permissions === undefined) continue;
        const excess = permissionExcess(calledJob.permissions, grant, `The nested job '${calledId}'`);
        if (excess) problems.push(excess);
      }
      for (const problem of problems) errors.push(`${where} ${problem}`);
      if (problems.length === 0) errors.push(...this.checkCalls(called, grant, depth + 1));
    }
    return errors;
  }

  /** Runs the jobs of one workflow file; returns their results and its workflow_call outputs. */
  private async runJobs(scope: Scope, only?: string[]): Promise<{ runs: Map<string, JobRun>; outputs: Record<string, string> }> {
    const jobsDoc = scope.workflow.doc.jobs;
    if (!isMapping(jobsDoc)) throw new Error(`${scope.workflow.path}: no jobs`);
    const runs = new Map<string, JobRun>();
    for (const id of orderJobs(jobsDoc)) {
      const job = jobsDoc[id] as Mapping;
      const needs = needsOf(job);
      const key = `${scope.prefix}${id}`;
      if (only && !only.includes(id)) {
        runs.set(id, { status: 'skipped', outputs: {} });
        this.jobs[key] = { id: key, status: 'skipped', reason: 'not selected', outputs: {}, steps: [] };
        continue;
      }
      const needsContext: Record<string, Json> = {};
      for (const need of needs) {
        const run = runs.get(need)!;
        needsContext[need] = { result: run.status === 'waiting' ? 'skipped' : run.status, outputs: run.outputs };
      }
      const waitingNeed = needs.find((need) => runs.get(need)!.status === 'waiting');
      if (waitingNeed) {
        runs.set(id, { status: 'skipped', outputs: {} });
        this.jobs[key] = { id: key, status: 'skipped', reason: `needs ${waitingNeed}, which waits for approval`, outputs: {}, steps: [] };
        continue;
      }
      const ancestors = this.ancestors(id, jobsDoc);
      const status: StatusFunctions = {
        success: () => needs.every((need) => runs.get(need)!.status === 'success'),
        failure: () => ancestors.some((a) => runs.get(a)?.status === 'failure'),
      };
      const base = this.baseContexts(scope, {});
      if (!evaluateCondition(job.if, { ...base, needs: needsContext }, status)) {
        runs.set(id, { status: 'skipped', outputs: {} });
        this.jobs[key] = {
          id: key,
          status: 'skipped',
          reason: 'its if: is false (or a job it needs did not succeed)',
          outputs: {},
          steps: [],
        };
        continue;
      }
      const run = await this.runJob(scope, id, job, needsContext);
      runs.set(id, run);
    }
    const outputs: Record<string, string> = {};
    const on = scope.workflow.doc.on;
    const call = isMapping(on) && isMapping(on.workflow_call) ? on.workflow_call : undefined;
    if (call && isMapping(call.outputs)) {
      const jobs: Record<string, Json> = {};
      for (const [id, run] of runs) jobs[id] = { result: run.status, outputs: run.outputs };
      const contexts = { ...this.baseContexts(scope, {}), jobs };
      for (const [name, definition] of Object.entries(call.outputs)) {
        const value = isMapping(definition) ? definition.value : definition;
        outputs[name] = asString(evaluateValue(value, contexts));
      }
    }
    return { runs, outputs };
  }

  private ancestors(id: string, jobs: Mapping): string[] {
    const seen = new Set<string>();
    const walk = (job: string) => {
      for (const need of needsOf(jobs[job])) {
        if (seen.has(need)) continue;
        seen.add(need);
        walk(need);
      }
    };
    walk(id);
    return [...seen];
  }

  private baseContexts(scope: Scope, env: Record<string, string>): Contexts {
    return {
      github: this.github,
      inputs: scope.inputs,
      secrets: scope.secrets,
      vars: { ...this.options.vars },
      env,
      runner: { os: 'Linux', arch: 'X64', name: 'workflow-runner', temp: this.temp, tool_cache: join(this.temp, 'tool-cache') },
    };
  }

  /** One job: a matrix of cells, a called workflow, or steps. */
  private async runJob(scope: Scope, id: string, job: Mapping, needs: Record<string, Json>): Promise<JobRun> {
    const key = `${scope.prefix}${id}`;
    const base = { ...this.baseContexts(scope, {}), needs };
    const strategy = isMapping(job.strategy) ? job.strategy : undefined;
    if (strategy?.matrix !== undefined) {
      const cells = expandMatrix(evaluateValue(strategy.matrix, base));
      const result: JobResult = { id: key, status: 'success', outputs: {}, steps: [], cells: [] };
      this.jobs[key] = result;
      for (const [index, matrix] of cells.entries()) {
        const strategyContext = {
          'fail-fast': strategy['fail-fast'] !== false,
          'job-index': index,
          'job-total': cells.length,
          'max-parallel': cells.length,
        };
        const cell = await this.runCell(scope, id, job, needs, matrix, strategyContext);
        result.cells!.push({ ...cell, matrix });
        if (cell.status === 'failure') result.status = 'failure';
        else if (cell.status === 'waiting' && result.status !== 'failure') result.status = 'waiting';
        // GitHub merges matrix cells' outputs: the last cell that set a value wins.
        for (const [name, value] of Object.entries(cell.outputs)) if (value !== '') result.outputs[name] = value;
      }
      if (cells.length === 0) Object.assign(result, { status: 'failure', reason: 'the matrix has no cells' });
      return { status: result.status, outputs: result.outputs };
    }
    const result = await this.runCell(scope, id, job, needs, {}, {});
    this.jobs[key] = result;
    return { status: result.status, outputs: result.outputs };
  }

  private async runCell(
    scope: Scope,
    id: string,
    job: Mapping,
    needs: Record<string, Json>,
    matrix: Record<string, Json>,
    strategy: Record<string, Json>,
  ): Promise<JobResult> {
    const key = `${scope.prefix}${id}`;
    const contexts: Contexts = { ...this.baseContexts(scope, {}), needs, matrix, strategy };
    if (typeof job.uses === 'string') return this.callWorkflow(scope, key, job, contexts);

    const permission = effectivePermission(job.permissions ?? scope.workflow.doc.permissions ?? scope.permissions);
    const token = this.tokens[permission];
    const idToken = grantOf(job.permissions ?? scope.workflow.doc.permissions ?? scope.permissions)['id-token'] === 'write';
    const workspace = await this.jobWorkspace(key);
    const github = { ...this.github, job: id, token, workspace };
    const secrets = { ...scope.secrets, GITHUB_TOKEN: token };
    let environment: JobResult['environment'];
    if (job.environment !== undefined) {
      const env = isMapping(job.environment) ? job.environment : { name: job.environment };
      environment = { name: asString(evaluateValue(env.name, { ...contexts, github, secrets })) };
      if ((this.options.protectedEnvironments ?? []).includes(environment.name)) {
        return {
          id: key,
          status: 'waiting',
          reason: `environment ${environment.name} waits for approval`,
          outputs: {},
          environment,
          permission,
          steps: [],
        };
      }
    }
    const workflowEnv = stringMap(evaluateValue(scope.workflow.doc.env ?? {}, { ...contexts, github, secrets }));
    const jobEnv = { ...workflowEnv, ...stringMap(evaluateValue(job.env ?? {}, { ...contexts, github, secrets, env: workflowEnv })) };
    const defaults =
      isMapping(job.defaults) && isMapping(job.defaults.run)
        ? job.defaults.run
        : isMapping(scope.workflow.doc.defaults) && isMapping(scope.workflow.doc.defaults.run)
          ? scope.workflow.doc.defaults.run
          : {};

    const jobDir = await mkdtemp(join(this.temp, 'job-'));
    const files = { env: join(jobDir, 'env'), path: join(jobDir, 'path') };
    await writeFile(files.env, '');
    await writeFile(files.path, '');
    const steps: StepResult[] = [];
    const stepsContext: Record<string, Json> = {};
    let failed = false;
    const rawSteps = Array.isArray(job.steps) ? (job.steps as Mapping[]) : [];
    for (const [index, step] of rawSteps.entries()) {
      const stepId = typeof step.id === 'string' ? step.id : `__${index + 1}`;
      const addedEnv = parseGitHubOutput(await readFile(files.env, 'utf8'));
      const env = { ...jobEnv, ...addedEnv };
      const stepContexts: Contexts = {
        ...contexts,
        github: { ...github, action: stepId },
        secrets,
        env,
        steps: stepsContext,
        job: { status: failed ? 'failure' : 'success' },
      };
      const status: StatusFunctions = { success: () => !failed, failure: () => failed };
      const name =
        typeof step.name === 'string'
          ? asString(evaluateValue(step.name, stepContexts))
          : String(step.uses ?? step.run ?? stepId).split('\n')[0]!;
      const kind: StepResult['kind'] =
        typeof step.run === 'string' ? 'run' : this.localAction(String(step.uses)) ? 'action' : 'third-party';
      const skeleton: StepResult = {
        id: stepId,
        name,
        kind,
        ...(typeof step.uses === 'string' ? { uses: step.uses } : {}),
        status: 'skipped',
        outcome: 'skipped',
        conclusion: 'skipped',
        inputs: {},
        outputs: {},
        summary: '',
        stdout: '',
        stderr: '',
        exitCode: null,
        annotations: [],
      };
      let result: StepResult | undefined;
      let condition = false;
      try {
        condition = evaluateCondition(step.if, stepContexts, status);
      } catch (error) {
        result = { ...skeleton, status: 'failure', outcome: 'failure', conclusion: 'failure', reason: `if: ${(error as Error).message}` };
      }
      if (result) {
        // the condition could not be evaluated: the step fails
      } else if (!condition) {
        result = { ...skeleton, reason: 'its if: is false' };
      } else if (kind === 'third-party') {
        result = { ...skeleton, reason: 'third-party action: not run by this harness' };
      } else {
        const stepEnv = { ...env, ...stringMap(evaluateValue(step.env ?? {}, stepContexts)) };
        result = await this.runStep(step, skeleton, stepContexts, stepEnv, { ...files, jobKey: key, defaults, workspace, idToken });
      }
      if (result.outcome === 'failure') {
        const continueOnError = truthy(toData(evaluateValue(step['continue-on-error'] ?? false, stepContexts)));
        result.conclusion = continueOnError ? 'success' : 'failure';
        result.status = 'failure';
        if (!continueOnError) failed = true;
      }
      stepsContext[stepId] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
      steps.push(result);
    }
    const final: Contexts = {
      ...contexts,
      github,
      secrets,
      env: jobEnv,
      steps: stepsContext,
      job: { status: failed ? 'failure' : 'success' },
    };
    const outputs: Record<string, string> = {};
    for (const [name, value] of Object.entries(isMapping(job.outputs) ? job.outputs : {}))
      outputs[name] = asString(evaluateValue(value, final));
    if (environment && isMapping(job.environment) && job.environment.url !== undefined) {
      environment.url = asString(evaluateValue(job.environment.url, final));
    }
    return {
      id: key,
      status: failed ? 'failure' : 'success',
      outputs,
      ...(environment ? { environment } : {}),
      permission,
      workspace,
      steps,
    };
  }

  private workspaceCount = 0;

  /** The job's working folder: a fresh copy of the workspace with `jobWorkspaces`, else the workspace itself. */
  private async jobWorkspace(key: string): Promise<string> {
    if (!this.options.jobWorkspaces) return this.options.workspace;
    if (!this.pristine) {
      // The workspace as the run found it, before any job changed anything.
      this.pristine = join(this.options.jobWorkspaces, '.pristine');
      await rm(this.pristine, { recursive: true, force: true });
      await cp(this.options.workspace, this.pristine, { recursive: true });
    }
    const dir = join(
      this.options.jobWorkspaces,
      `${String(++this.workspaceCount).padStart(2, '0')}-${key.replace(/[^A-Za-z0-9._-]+/g, '_')}`,
    );
    await rm(dir, { recursive: true, force: true });
    await cp(this.pristine, dir, { recursive: true });
    return dir;
  }

  private pristine: string | undefined;

  /** A job that calls a reusable workflow: its jobs run under `<caller> / `. */
  private async callWorkflow(scope: Scope, key: string, job: Mapping, contexts: Contexts): Promise<JobResult> {
    const uses = String(job.uses);
    const path = this.reusableWorkflowPath(uses, scope.workflow.path);
    if (!path)
      return { id: key, status: 'failure', reason: `cannot run reusable workflow ${uses} (not this project's)`, outputs: {}, steps: [] };
    if (scope.depth >= 10) throw new Error(`${key}: reusable workflows nest deeper than GitHub's 10 levels`);
    const workflow = loadWorkflow(path);
    const on = workflow.doc.on;
    const call = isMapping(on) && isMapping(on.workflow_call) ? on.workflow_call : undefined;
    if (!call && !(on === 'workflow_call' || (Array.isArray(on) && on.includes('workflow_call')))) {
      return { id: key, status: 'failure', reason: `${uses} is not callable (no on: workflow_call)`, outputs: {}, steps: [] };
    }
    const given = isMapping(job.with) ? (evaluateValue(job.with, contexts) as Record<string, Json>) : {};
    const inputs = withInputDefaults(workflow, given as Record<string, string | number | boolean>);
    let secrets: Record<string, string>;
    if (job.secrets === 'inherit') secrets = { ...scope.secrets };
    else secrets = stringMap(evaluateValue(isMapping(job.secrets) ? job.secrets : {}, contexts));
    for (const [name, definition] of Object.entries(isMapping(call?.secrets) ? call.secrets : {})) {
      if (isMapping(definition) && definition.required === true && !(name in secrets)) {
        return { id: key, status: 'failure', reason: `required secret ${name} of ${uses} was not passed`, outputs: {}, steps: [] };
      }
    }
    const permissions = job.permissions ?? scope.workflow.doc.permissions ?? scope.permissions;
    const inner: Scope = { prefix: `${key} / `, workflow, inputs, secrets, permissions, depth: scope.depth + 1 };
    const { runs, outputs } = await this.runJobs(inner);
    const statuses = [...runs.values()].map((r) => r.status);
    const status: JobStatus = statuses.includes('failure') ? 'failure' : statuses.includes('waiting') ? 'waiting' : 'success';
    return { id: key, status, outputs, steps: [] };
  }

  /** `./.github/workflows/x.yml` is in the caller's repository; `<actionRepository>/.github/workflows/x.yml@ref` in the project's. */
  private reusableWorkflowPath(uses: string, caller: string): string | null {
    const local = /^\.\/(\.github\/workflows\/[^@/]+\.ya?ml)$/.exec(uses);
    const remote = new RegExp(`^${escapeRegExp(this.actionRepository)}/(\\.github/workflows/[^@/]+\\.ya?ml)@.+$`, 'i').exec(uses);
    const path = local ? join(dirname(caller), '..', '..', local[1]!) : remote ? join(this.root, remote[1]!) : null;
    return path && existsSync(path) ? path : null;
  }

  /** The action.yml of one of the project's actions, or null for anything else. */
  private localAction(uses: string): string | null {
    const repo = escapeRegExp(this.actionRepository);
    const match =
      /^\.\/(actions\/[\w.-]+)\/?$/.exec(uses) ??
      (/^\.\/?$/.test(uses) ? ['', ''] : null) ??
      new RegExp(`^${repo}(?:/(actions/[\\w.-]+))?@.+$`, 'i').exec(uses);
    if (!match) return null;
    const dir = join(this.root, match[1] ?? '');
    for (const name of ['action.yml', 'action.yaml']) if (existsSync(join(dir, name))) return join(dir, name);
    return null;
  }

  private async runStep(
    step: Mapping,
    result: StepResult,
    contexts: Contexts,
    env: Record<string, string>,
    job: { env: string; path: string; jobKey: string; defaults: Mapping; workspace: string; idToken: boolean },
  ): Promise<StepResult> {
    const stepDir = await mkdtemp(join(this.temp, 'step-'));
    const files = { output: join(stepDir, 'output'), summary: join(stepDir, 'summary.md'), state: join(stepDir, 'state') };
    for (const file of Object.values(files)) await writeFile(file, '');
    const github = contexts.github as Record<string, Json>;
    const extraPath = (await readFile(job.path, 'utf8')).split('\n').filter(Boolean).reverse();
    const runnerEnv: Record<string, string> = {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_WORKSPACE: job.workspace,
      GITHUB_REPOSITORY: String(github.repository),
      GITHUB_REPOSITORY_OWNER: String(github.repository_owner),
      GITHUB_SHA: String(github.sha),
      GITHUB_REF: String(github.ref),
      GITHUB_REF_NAME: String(github.ref_name),
      GITHUB_REF_TYPE: String(github.ref_type),
      GITHUB_HEAD_REF: String(github.head_ref),
      GITHUB_BASE_REF: String(github.base_ref),
      GITHUB_EVENT_NAME: String(github.event_name),
      GITHUB_EVENT_PATH: this.eventFile,
      GITHUB_RUN_ID: String(github.run_id),
      GITHUB_RUN_NUMBER: String(github.run_number),
      GITHUB_RUN_ATTEMPT: String(github.run_attempt),
      GITHUB_JOB: String(github.job),
      GITHUB_ACTION: result.id,
      GITHUB_ACTOR: String(github.actor),
      GITHUB_WORKFLOW: String(this.options.workflow),
      GITHUB_SERVER_URL: String(github.server_url),
      GITHUB_API_URL: String(github.api_url),
      GITHUB_GRAPHQL_URL: String(github.graphql_url),
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
      GITHUB_ENV: job.env,
      GITHUB_PATH: job.path,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'workflow-runner',
      RUNNER_TEMP: stepDir,
      RUNNER_TOOL_CACHE: join(this.temp, 'tool-cache'),
    };
    let command: string[];
    let cwd = job.workspace;
    const processEnv = cleanEnv({ ...this.options.env, ...runnerEnv, ...env });
    if (job.idToken && this.options.oidc) {
      const claims = {
        repository: String(github.repository),
        ref: String(github.ref),
        sha: String(github.sha),
        runId: String(github.run_id),
      };
      Object.assign(processEnv, this.options.oidc(claims));
    }
    if (extraPath.length > 0) processEnv.PATH = [...extraPath, processEnv.PATH ?? ''].join(':');
    if (result.kind === 'run') {
      const shell = String(step.shell ?? job.defaults.shell ?? 'bash');
      if (shell !== 'bash')
        return { ...result, status: 'failure', outcome: 'failure', reason: `shell ${shell}: this harness runs bash only` };
      const script = asString(evaluateValue(step.run, contexts));
      const file = join(stepDir, 'script.sh');
      await writeFile(file, script);
      const workingDirectory = step['working-directory'] ?? job.defaults['working-directory'];
      if (workingDirectory !== undefined) cwd = resolve(job.workspace, asString(evaluateValue(workingDirectory, contexts)));
      command = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', file];
    } else {
      const actionFile = this.localAction(String(step.uses))!;
      const action = parseYaml(readFileSync(actionFile, 'utf8')) as {
        runs?: { using?: string; main?: string };
        inputs?: Record<string, { default?: unknown }>;
      };
      const using = String(action.runs?.using ?? '');
      if (!/^node\d+$/.test(using) || !action.runs?.main) {
        return {
          ...result,
          status: 'failure',
          outcome: 'failure',
          reason: `${result.uses}: runs.using ${using} is not a JavaScript action`,
        };
      }
      const given = stringMap(evaluateValue(isMapping(step.with) ? step.with : {}, contexts));
      const declared = action.inputs ?? {};
      for (const name of Object.keys(given)) {
        if (!(name in declared)) result.annotations.push({ command: 'warning', properties: {}, message: `Unexpected input '${name}'` });
      }
      const inputs: Record<string, string> = {};
      for (const [name, definition] of Object.entries(declared)) {
        if (definition?.default !== undefined) inputs[name] = asString(evaluateValue(definition.default, contexts));
      }
      Object.assign(inputs, given);
      result.inputs = inputs;
      for (const [name, value] of Object.entries(inputs)) processEnv[inputVariable(name)] = value;
      if (this.options.results)
        Object.assign(processEnv, this.options.results.env({ run: String(github.run_id), job: job.jobKey, ref: String(github.ref) }));
      command = [process.execPath, join(dirname(actionFile), action.runs.main)];
    }
    await mkdir(cwd, { recursive: true });
    const run = await spawnProcess(command, cwd, processEnv, this.options.stepTimeoutMs ?? 120_000);
    const outputs = parseGitHubOutput(await readFile(files.output, 'utf8'));
    const summary = await readFile(files.summary, 'utf8');
    const outcome: StepStatus = run.code === 0 ? 'success' : 'failure';
    return {
      ...result,
      status: outcome,
      outcome,
      conclusion: outcome,
      ...(run.code !== 0 ? { reason: run.signal ? `killed by ${run.signal}` : `exit code ${run.code}` } : {}),
      outputs,
      summary,
      stdout: run.stdout,
      stderr: run.stderr,
      exitCode: run.code,
      annotations: [...result.annotations, ...parseAnnotations(run.stdout)],
    };
  }
}

/** The workflow's inputs (workflow_call or workflow_dispatch) with defaults and types applied; unknown or missing required inputs throw. */
function withInputDefaults(workflow: WorkflowFile, given: Record<string, string | number | boolean | Json>): Record<string, Json> {
  const on = workflow.doc.on;
  const trigger = isMapping(on)
    ? ((isMapping(on.workflow_call) ? on.workflow_call : undefined) ?? (isMapping(on.workflow_dispatch) ? on.workflow_dispatch : undefined))
    : undefined;
  const definitions = isMapping(trigger?.inputs) ? trigger.inputs : {};
  const inputs: Record<string, Json> = {};
  for (const name of Object.keys(given)) {
    if (!(name in definitions)) throw new Error(`${workflow.path}: input ${name} is not defined`);
  }
  for (const [name, raw] of Object.entries(definitions)) {
    const definition = isMapping(raw) ? raw : {};
    const type = String(definition.type ?? 'string');
    let value: Json = (given[name] ?? definition.default ?? null) as Json;
    if (value === null && definition.required === true) throw new Error(`${workflow.path}: required input ${name} was not given`);
    if (typeof value === 'string' && WHOLE.test(value)) value = evaluateValue(value, { github: {}, inputs: {} });
    if (value === null) value = type === 'boolean' ? false : type === 'number' ? 0 : '';
    if (type === 'boolean' && typeof value !== 'boolean') value = String(value) === 'true';
    if (type === 'number' && typeof value !== 'number') value = Number(value);
    if ((type === 'string' || type === 'choice' || type === 'environment') && typeof value !== 'string') value = asString(value);
    inputs[name] = value;
  }
  return inputs;
}

/** read or write, from a `permissions:` value (undefined: none declared, the restrictive default: read). */
function effectivePermission(permissions: unknown): 'read' | 'write' {
  if (permissions === undefined) return 'read';
  return Object.values(grantOf(permissions)).includes('write') ? 'write' : 'read';
}

function stringMap(value: Json): Record<string, string> {
  if (!isMapping(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asString(v as Json)]));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function defaultEvent(eventName: string, repository: string): Record<string, unknown> {
  const [owner, name] = repository.split('/');
  const repo = { full_name: repository, name, owner: { login: owner } };
  if (eventName.startsWith('pull_request')) {
    return {
      action: 'opened',
      number: 1,
      pull_request: { number: 1, head: { ref: 'feature', sha: '0'.repeat(40) }, base: { ref: 'main', sha: '1'.repeat(40) } },
      repository: repo,
    };
  }
  return { repository: repo, ref: 'refs/heads/main', after: '0'.repeat(40) };
}

function spawnProcess(
  command: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command[0]!, command.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}
