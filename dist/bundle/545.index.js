export const id = 545;
export const ids = [545];
export const modules = {

/***/ 90545:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  g: () => (/* binding */ buildContext)
});

// UNUSED EXPORTS: runEnvironmentFrom

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/core/config/config.ts
var config_config = __webpack_require__(45390);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/lineage.ts
var lineage = __webpack_require__(60654);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
;// CONCATENATED MODULE: ./src/core/process/user-command.ts
/**
 * The one way a user's command runs (a trainer, a deploy command, a verify command):
 * the shell GitHub's `run:` steps use (`bash --noprofile --norc -eo pipefail`), its
 * output forwarded line by line, and one environment policy: the command sees the
 * environment a `run:` step would, minus every secret of the runner's and ours
 * (step inputs, the Actions runtime and OIDC tokens, the workflow token, registry and
 * deploy secrets), except the ones the user names.
 */


/** Names never passed on unless named: ours and the runner's secrets and service endpoints. */
const WITHHELD = [
    /^INPUT_/,
    /^ACTIONS_/,
    /^GITHUB_TOKEN$/,
    /^GH_TOKEN$/,
    /^MLOPS_(DEPLOY_SECRET|ADMIN_TOKEN|REGISTRY_TOKEN|REGISTRY_USERNAME|REGISTRY_PASSWORD)$/,
];
/** True when `name` is withheld from user commands unless the user names it. */
function isWithheld(name) {
    return WITHHELD.some((pattern) => pattern.test(name));
}
/**
 * The environment a user's command gets: `base` without withheld names (those in
 * `pass` excepted), then `extra` (our MLOPS_* variables for the command).
 */
function userCommandEnvironment(base, extra, pass = []) {
    const env = {};
    for (const [name, value] of Object.entries(base)) {
        if (value === undefined)
            continue;
        if (isWithheld(name) && !pass.includes(name))
            continue;
        env[name] = value;
    }
    return { ...env, ...extra };
}
/** Runs the command; resolves when it exits 0, else a UserError saying how it ended. */
function runUserCommand(job) {
    return new Promise((resolvePromise, reject) => {
        const child = (0,external_node_child_process_.spawn)('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', job.command], {
            env: job.env,
            cwd: job.cwd,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const forward = (stream) => {
            let buffered = '';
            stream.on('data', (chunk) => {
                buffered += chunk.toString('utf8');
                const lines = buffered.split(/\r?\n/);
                buffered = lines.pop() ?? '';
                for (const line of lines)
                    if (line)
                        job.onLine(line);
            });
            stream.on('end', () => {
                if (buffered)
                    job.onLine(buffered);
                buffered = '';
            });
        };
        forward(child.stdout);
        forward(child.stderr);
        child.on('error', (error) => reject(new errors/* UserError */.y(`cannot run the ${job.what}: ${error.message}`, 'bash must be on the PATH.')));
        child.on('close', (status, signal) => status === 0
            ? resolvePromise()
            : reject(new errors/* UserError */.y(`the ${job.what} failed (${signal ? `signal ${signal}` : `exit ${status}`})`, 'Its output is in the log above.')));
    });
}

// EXTERNAL MODULE: ./src/core/workspace.ts
var core_workspace = __webpack_require__(28742);
// EXTERNAL MODULE: ./src/ports/storage.ts
var storage = __webpack_require__(33029);
// EXTERNAL MODULE: ./src/adapters/github/github-api.ts
var github_api = __webpack_require__(97134);
// EXTERNAL MODULE: ./src/adapters/local/storage.ts
var local_storage = __webpack_require__(60629);
// EXTERNAL MODULE: ./src/adapters/registry.ts + 3 modules
var registry = __webpack_require__(27994);
;// CONCATENATED MODULE: ./src/adapters/context.ts
/**
 * Builds a StepContext from an environment (a runner's or a terminal's): the one place
 * that reads environment variables for steps. The GitHub and local runners differ
 * only in their StepIO and in whether the Actions runtime (cache, artifacts) is there.
 */












/** The run environment from a runner's (or terminal's) variables. */
function runEnvironmentFrom(env, onGitHub, cwd) {
    const repository = (0,github_api/* repositoryOf */._M)(env.GITHUB_REPOSITORY);
    let event = null;
    return {
        onGitHub,
        repository,
        sha: env.GITHUB_SHA || null,
        ref: env.GITHUB_REF || null,
        refName: env.GITHUB_REF_NAME || null,
        eventName: env.GITHUB_EVENT_NAME || null,
        runId: env.GITHUB_RUN_ID || null,
        runAttempt: env.GITHUB_RUN_ATTEMPT || null,
        runUrl: (0,lineage/* runUrl */.Vp)(env),
        event() {
            event ??= readEvent(env.GITHUB_EVENT_PATH);
            return event;
        },
        async commit() {
            return env.GITHUB_SHA || (await (0,lineage/* gitCommit */.om)({ ...env, GITHUB_SHA: '' }, cwd));
        },
    };
}
async function readEvent(path) {
    if (!path || !(0,external_node_fs_.existsSync)(path))
        return null;
    try {
        const value = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
        return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
    }
    catch (error) {
        throw new errors/* UserError */.y(`the event file ${path} is not valid JSON (${error.message})`);
    }
}
/** Loads mlops.yaml (checked whole) and builds the context a step runs with. */
async function buildContext(options) {
    const { io, env, cwd } = options;
    const config = await (0,config_config/* loadConfig */.Z9)(options.configPath || undefined, cwd, options.configSchema);
    const workspace = core_workspace/* Workspace */.a.of(config, cwd);
    const runEnv = runEnvironmentFrom(env, io.onGitHub, cwd);
    const runtime = io.onGitHub && (0,storage/* actionsRuntimeAvailable */.v)(env);
    const secret = (name) => env[name] || undefined;
    return {
        io,
        env: runEnv,
        config,
        workspace,
        secret,
        github(token) {
            if (!runEnv.repository)
                return null;
            return (0,github_api/* gitHubFromEnvironment */.l1)(env, token || undefined);
        },
        registry(location, token) {
            return (0,registry/* openRegistry */.M)(config, workspace, secret, location || undefined, token || undefined);
        },
        async runCache(name) {
            // GitHub's storage clients are large: loaded only on a runner (a chunk of their own in the bundle).
            if (runtime)
                return new (await Promise.all(/* import() */[__webpack_require__.e(838), __webpack_require__.e(685), __webpack_require__.e(463)]).then(__webpack_require__.bind(__webpack_require__, 25463))).GitHubRunCache();
            return new local_storage/* LocalRunCache */.zT((0,external_node_path_.join)(workspace.dir('cache'), name));
        },
        async artifacts() {
            if (!runtime)
                return null;
            return new (await Promise.all(/* import() */[__webpack_require__.e(838), __webpack_require__.e(685), __webpack_require__.e(463)]).then(__webpack_require__.bind(__webpack_require__, 25463))).GitHubArtifactStore();
        },
        async runCommand(job) {
            await runUserCommand({
                command: job.command,
                what: job.what,
                cwd: job.cwd ?? cwd,
                env: userCommandEnvironment(env, job.env, job.pass),
                onLine: (line) => io.info(`  ${line}`),
            });
        },
    };
}


/***/ }),

/***/ 97134:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _M: () => (/* binding */ repositoryOf),
/* harmony export */   l1: () => (/* binding */ gitHubFromEnvironment),
/* harmony export */   rK: () => (/* binding */ DEFAULT_API_URL),
/* harmony export */   vO: () => (/* binding */ GitHubRestAdapter)
/* harmony export */ });
/* unused harmony exports parseRepository, toGitHubApiError */
/* harmony import */ var _octokit_rest__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(11303);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(74296);
/* harmony import */ var _ports_github_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7533);



/** Where the REST API is when GITHUB_API_URL does not say (GitHub Enterprise Server sets it). */
const DEFAULT_API_URL = 'https://api.github.com';
const noop = () => { };
/** The GitHub port over @octokit/rest. */
class GitHubRestAdapter {
    octokit;
    constructor(options) {
        this.octokit = new _octokit_rest__WEBPACK_IMPORTED_MODULE_2__/* .Octokit */ .E({
            auth: options.token,
            baseUrl: (options.baseUrl ?? DEFAULT_API_URL).replace(/\/+$/, ''),
            log: { debug: noop, info: noop, warn: console.warn.bind(console), error: noop, ...options.log },
        });
    }
    async *listIssueComments(ref, issueNumber) {
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
                if (page.done)
                    return;
                for (const comment of page.value.data)
                    yield toComment(comment);
            }
        }
        finally {
            await iterator.return?.();
        }
    }
    async createIssueComment(ref, issueNumber, body) {
        const { data } = await call(`POST /repos/${ref.owner}/${ref.repo}/issues/${issueNumber}/comments`, () => this.octokit.rest.issues.createComment({ owner: ref.owner, repo: ref.repo, issue_number: issueNumber, body }));
        return toComment(data);
    }
    async updateIssueComment(ref, commentId, body) {
        const { data } = await call(`PATCH /repos/${ref.owner}/${ref.repo}/issues/comments/${commentId}`, () => this.octokit.rest.issues.updateComment({ owner: ref.owner, repo: ref.repo, comment_id: commentId, body }));
        return toComment(data);
    }
    async *listIssues(ref, options) {
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
                if (page.done)
                    return;
                // This endpoint lists pull requests too; they carry pull_request.
                for (const issue of page.value.data)
                    if (!issue.pull_request)
                        yield toIssue(issue);
            }
        }
        finally {
            await iterator.return?.();
        }
    }
    async createIssue(ref, issue) {
        const { data } = await call(`POST /repos/${ref.owner}/${ref.repo}/issues`, () => this.octokit.rest.issues.create({ owner: ref.owner, repo: ref.repo, title: issue.title, body: issue.body, labels: issue.labels }));
        return toIssue(data);
    }
    async updateIssue(ref, issueNumber, changes) {
        const { data } = await call(`PATCH /repos/${ref.owner}/${ref.repo}/issues/${issueNumber}`, () => this.octokit.rest.issues.update({ owner: ref.owner, repo: ref.repo, issue_number: issueNumber, ...changes }));
        return toIssue(data);
    }
    async getPullRequest(ref, number) {
        const { data } = await call(`GET /repos/${ref.owner}/${ref.repo}/pulls/${number}`, () => this.octokit.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: number }));
        return {
            number: data.number,
            state: data.state === 'closed' ? 'closed' : 'open',
            headSha: data.head.sha,
            headRepo: data.head.repo?.full_name ?? null,
        };
    }
    async dispatchWorkflow(ref, workflow, gitRef, inputs) {
        await call(`POST /repos/${ref.owner}/${ref.repo}/actions/workflows/${workflow}/dispatches`, () => this.octokit.rest.actions.createWorkflowDispatch({ owner: ref.owner, repo: ref.repo, workflow_id: workflow, ref: gitRef, inputs }));
    }
    async repositoryDispatch(ref, eventType, clientPayload) {
        await call(`POST /repos/${ref.owner}/${ref.repo}/dispatches`, () => this.octokit.rest.repos.createDispatchEvent({
            owner: ref.owner,
            repo: ref.repo,
            event_type: eventType,
            client_payload: clientPayload,
        }));
    }
    async createDeployment(ref, deployment) {
        const response = await call(`POST /repos/${ref.owner}/${ref.repo}/deployments`, () => this.octokit.rest.repos.createDeployment({
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
        }));
        if (response.status !== 201 || !('id' in response.data)) {
            const message = response.data.message ?? `HTTP ${response.status}`;
            throw new _ports_github_js__WEBPACK_IMPORTED_MODULE_1__/* .GitHubApiError */ .O(`GitHub did not create the deployment: ${message}`, response.status, undefined, [], 'POST deployments');
        }
        const data = response.data;
        return {
            id: data.id,
            environment: data.environment,
            sha: data.sha,
            payload: typeof data.payload === 'string' ? { raw: data.payload } : data.payload,
            createdAt: data.created_at,
        };
    }
    async createDeploymentStatus(ref, deploymentId, status) {
        await call(`POST /repos/${ref.owner}/${ref.repo}/deployments/${deploymentId}/statuses`, () => this.octokit.rest.repos.createDeploymentStatus({
            owner: ref.owner,
            repo: ref.repo,
            deployment_id: deploymentId,
            state: status.state,
            ...(status.description !== undefined ? { description: status.description.slice(0, 140) } : {}),
            ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
            ...(status.logUrl ? { log_url: status.logUrl } : {}),
        }));
    }
}
/**
 * The port and repository of the workflow run: the repository from GITHUB_REPOSITORY,
 * the API root from GITHUB_API_URL, the token from the `token` input when given, else
 * GITHUB_TOKEN. Null without a token (the caller skips what needs the API).
 */
function gitHubFromEnvironment(env = process.env, token) {
    const auth = token?.trim() || env.GITHUB_TOKEN?.trim();
    if (!auth)
        return null;
    const repo = parseRepository(env.GITHUB_REPOSITORY);
    const baseUrl = env.GITHUB_API_URL?.trim() || DEFAULT_API_URL;
    return { github: new GitHubRestAdapter({ token: auth, baseUrl }), repo };
}
/** `owner/repo` as a RepoRef, or null when it is not of that form. */
function repositoryOf(value) {
    const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value?.trim() ?? '');
    return match ? { owner: match[1], repo: match[2] } : null;
}
/** `owner/repo` as a RepoRef. */
function parseRepository(value) {
    const repo = repositoryOf(value);
    if (!repo) {
        throw new _core_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .y(value
            ? `GITHUB_REPOSITORY is ${JSON.stringify(value)}, not owner/repo.`
            : 'GITHUB_REPOSITORY is not set, so the repository to talk to is unknown.', 'The runner sets it; outside GitHub Actions set GITHUB_REPOSITORY=owner/repo.');
    }
    return repo;
}
function toIssue(data) {
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
function toComment(data) {
    return { id: data.id, body: data.body ?? '', author: data.user?.login ?? null, url: data.html_url };
}
/** Runs an Octokit call, turning its RequestError (or a network failure) into a GitHubApiError. */
async function call(request, fn) {
    try {
        return await fn();
    }
    catch (error) {
        throw toGitHubApiError(error, request);
    }
}
function isRequestError(error) {
    return error instanceof Error && error.name === 'HttpError' && typeof error.status === 'number';
}
/** Maps what Octokit throws to a GitHubApiError; anything else passes through. */
function toGitHubApiError(error, request) {
    if (error instanceof _ports_github_js__WEBPACK_IMPORTED_MODULE_1__/* .GitHubApiError */ .O || !isRequestError(error))
        return error;
    if (!error.response) {
        const cause = error.message || 'no response';
        return new _ports_github_js__WEBPACK_IMPORTED_MODULE_1__/* .GitHubApiError */ .O(`GitHub API ${request} got no response: ${cause}`, 0, undefined, [], request);
    }
    const data = (typeof error.response.data === 'object' && error.response.data !== null ? error.response.data : {});
    const message = typeof data.message === 'string' && data.message ? data.message : `HTTP ${error.status}`;
    const raw = Array.isArray(data.errors) ? data.errors : [];
    const errors = raw.filter(isDetail);
    const details = raw
        .map((e) => (typeof e === 'string' ? e : isDetail(e) ? (e.message ?? [e.resource, e.field, e.code].filter(Boolean).join(' ')) : ''))
        .filter(Boolean);
    const text = details.length > 0 ? `${message}: ${details.join('; ')}` : message;
    const documentationUrl = typeof data.documentation_url === 'string' ? data.documentation_url : undefined;
    return new _ports_github_js__WEBPACK_IMPORTED_MODULE_1__/* .GitHubApiError */ .O(`GitHub API ${request} failed (${error.status}): ${text}`, error.status, documentationUrl, errors, request);
}
function isDetail(value) {
    return typeof value === 'object' && value !== null && typeof value.code === 'string';
}


/***/ }),

/***/ 60629:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CS: () => (/* binding */ listFiles),
/* harmony export */   zT: () => (/* binding */ LocalRunCache)
/* harmony export */ });
/* unused harmony export LocalArtifactStore */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);



/** A run cache in a folder: one sub-folder per key, written aside and renamed into place. */
class LocalRunCache {
    root;
    constructor(root) {
        this.root = root;
    }
    get description() {
        return `local cache ${this.root}`;
    }
    async restore(key, dir) {
        const entry = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.root, safeKey(key));
        try {
            if (!(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(entry)).isDirectory())
                return false;
        }
        catch {
            return false;
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(dir, { recursive: true, force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.cp)(entry, dir, { recursive: true });
        return true;
    }
    async save(key, dir) {
        const entry = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(this.root, safeKey(key));
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(entry);
            return false; // immutable: the first save wins
        }
        catch {
            // not there yet
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(this.root, { recursive: true });
        const staging = `${entry}.partial-${process.pid}`;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(staging, { recursive: true, force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.cp)(dir, staging, { recursive: true });
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(staging, entry);
            return true;
        }
        catch {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(staging, { recursive: true, force: true }); // another process saved it first
            return false;
        }
    }
}
/** Artifacts as folders under a root. */
class LocalArtifactStore {
    root;
    constructor(root) {
        this.root = root;
    }
    get description() {
        return `local folder ${this.root}`;
    }
    async upload(name, dir) {
        const target = join(this.root, artifactName(name));
        await rm(target, { recursive: true, force: true });
        await mkdir(this.root, { recursive: true });
        await cp(dir, target, { recursive: true });
        return { location: target };
    }
}
function safeKey(key) {
    return key.replace(/[^A-Za-z0-9._-]/g, '_');
}
/** Every file under `dir`, as absolute paths. */
async function listFiles(dir) {
    const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(e.parentPath, e.name));
}


/***/ }),

/***/ 27994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  M: () => (/* binding */ openRegistry)
});

// UNUSED EXPORTS: registryAuth

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/core/config/config.ts
var config_config = __webpack_require__(45390);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/registry/registry.ts
var registry = __webpack_require__(96252);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: ./src/core/lineage.ts
var lineage = __webpack_require__(60654);
;// CONCATENATED MODULE: ./src/adapters/registry/folder-store.ts
/**
 * The folder store of the model registry: a folder that needs no server
 * (`.mlops/registry/` by default). It keeps bytes; what references mean, how numbers
 * are claimed and how pulls are verified is the registry's (core/registry/registry.ts).
 *
 * Layout under the root:
 *
 *   blobs/sha256/<hex>                      every registered file's bytes, named by their sha256; stored once
 *                                           however many versions (or models) hold the same bytes
 *   models/<model>/versions/<n>.json        version n of the model, immutable: its files (path, digest, size),
 *                                           model card, blessing and creation time, written as canonical JSON
 *                                           (sorted keys, no spaces); the version's digest is the sha256 of
 *                                           exactly these bytes
 *   models/<model>/aliases.json             the current aliases: { "<alias>": <version>, ... }
 *   models/<model>/alias-history.jsonl      every alias change, one JSON object a line, appended only:
 *                                           { "alias", "version" (null when unset), "previous", "at" }
 *   models/<model>/aliases.lock             present only while a process changes an alias
 *
 * Crash safety: every file is written to a temporary file (a name starting with `.tmp-`) in the folder it
 * belongs to, flushed to disk, and then renamed or hard-linked into place, so a reader sees the whole file or
 * no file. Blobs and version records are never rewritten. The alias history is the source of truth for the
 * aliases (they are read from it): a change is appended to it first, then aliases.json (a copy for people and
 * other tools) is rewritten from the whole history, so a crash between the two is repaired by the next change
 * (and a line torn by a crash is skipped).
 *
 * Concurrency (several processes, one root): a version number is created by hard-linking the fully written
 * record to `versions/<n>.json`, which fails with EEXIST when another process took n first (createVersion
 * answers null, and the registry tries n + 1): no lock is needed, numbers are distinct and none is lost. An
 * alias compare-and-swap reads, checks, appends and rewrites under `aliases.lock`, created exclusively ('wx')
 * with the holder's pid, host and a token; waiters retry with jittered backoff. A lock older than 30 s whose
 * process is gone (or, from another host, just older than 30 s) is broken, under a second exclusive lock so
 * that two breakers never remove a fresh lock.
 */







/** Where the folder registry lives when nothing says otherwise (relative to the project). */
const DEFAULT_LOCAL_REGISTRY = '.mlops/registry';
/** The format of a version record, kept in the record. */
const RECORD_SCHEMA = 1;
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const VERSION_FILE = /^(\d+)\.json$/;
class FolderStore {
    root;
    options;
    kind = 'local';
    reservedAliases = {};
    atomicAliases = true;
    constructor(root, options = {}) {
        this.root = root;
        this.options = options;
    }
    get location() {
        return this.root;
    }
    where() {
        return `the registry at ${this.root}`;
    }
    async models() {
        const models = [];
        for (const name of await listDir((0,external_node_path_.join)(this.root, 'models'))) {
            if ((await this.listVersions(name)).length > 0)
                models.push(name);
        }
        return models;
    }
    async listVersions(model) {
        return versionNumbers(this.versionsDir(model));
    }
    async readVersion(model, n) {
        const path = this.versionFile(model, n);
        const bytes = await readIfExists(path);
        if (bytes === null)
            return null;
        return this.stored(parseRecord(bytes, path, model, n), bytes);
    }
    async createVersion(record) {
        const versionsDir = this.versionsDir(record.model);
        await (0,promises_.mkdir)(versionsDir, { recursive: true });
        const bytes = (0,lineage/* stableJson */._Y)({ schema: RECORD_SCHEMA, ...record });
        const created = await createFileOnce((0,external_node_path_.join)(versionsDir, `${record.version}.json`), bytes);
        return created ? this.stored(record, bytes) : null;
    }
    async putBlob(_model, source) {
        const blobDir = (0,external_node_path_.join)(this.root, 'blobs', 'sha256');
        await (0,promises_.mkdir)(blobDir, { recursive: true });
        const blob = this.blobPath(source.digest);
        if (await exists(blob))
            return;
        const temp = tempName(blobDir);
        try {
            const copied = await copyHashing(source.absolute, temp);
            if (copied.digest !== source.digest || copied.size !== source.size) {
                throw new errors/* UserError */.y(`${source.absolute} changed while it was being registered`, 'Register the model once whatever writes it has finished.');
            }
            try {
                await (0,promises_.link)(temp, blob); // never replaces a blob another process stored meanwhile
            }
            catch (error) {
                if (!isCode(error, 'EEXIST'))
                    await (0,promises_.rename)(temp, blob); // no hard links: rename (same bytes either way)
            }
        }
        finally {
            await (0,promises_.rm)(temp, { force: true });
        }
    }
    async getBlob(_model, digest, target) {
        const blob = this.blobPath(digest);
        try {
            return { ...(await copyHashing(blob, target)), source: blob };
        }
        catch (error) {
            if (isCode(error, 'ENOENT')) {
                await (0,promises_.rm)(target, { force: true });
                return null;
            }
            throw error;
        }
    }
    async readAliases(model) {
        return foldHistory(await this.readHistory(model));
    }
    async readHistory(model) {
        const text = await readIfExists((0,external_node_path_.join)(this.modelDir(model), 'alias-history.jsonl'));
        if (text === null)
            return [];
        const events = [];
        for (const line of text.split('\n')) {
            if (!line.trim())
                continue;
            try {
                const event = JSON.parse(line);
                if (typeof event.alias !== 'string' || typeof event.at !== 'string')
                    continue;
                events.push({
                    alias: event.alias,
                    version: typeof event.version === 'number' ? event.version : null,
                    previous: typeof event.previous === 'number' ? event.previous : null,
                    at: event.at,
                });
            }
            catch {
                // a line torn by a crash while it was appended: the change never took effect
            }
        }
        return events;
    }
    /** Under the alias lock: checks where the alias points (from the history), appends the change, rewrites aliases.json. */
    async compareAndSwapAlias(model, change) {
        const dir = this.modelDir(model);
        await (0,promises_.mkdir)(dir, { recursive: true });
        return withFileLock((0,external_node_path_.join)(dir, 'aliases.lock'), async () => {
            const aliases = foldHistory(await this.readHistory(model));
            const current = aliases[change.alias] ?? null;
            if (current !== change.previous)
                return { swapped: false, current };
            await appendLine((0,external_node_path_.join)(dir, 'alias-history.jsonl'), JSON.stringify(change));
            if (change.version === null)
                delete aliases[change.alias];
            else
                aliases[change.alias] = change.version;
            await writeFileAtomic((0,external_node_path_.join)(dir, 'aliases.json'), `${JSON.stringify(sortKeys(aliases), null, 2)}\n`);
            return { swapped: true };
        }, this.options.lock);
    }
    // ---- internals ----
    modelDir(model) {
        return (0,external_node_path_.join)(this.root, 'models', model);
    }
    versionsDir(model) {
        return (0,external_node_path_.join)(this.modelDir(model), 'versions');
    }
    versionFile(model, version) {
        return (0,external_node_path_.join)(this.versionsDir(model), `${version}.json`);
    }
    blobPath(digest) {
        if (!DIGEST_PATTERN.test(digest))
            throw new errors/* UserError */.y(`"${digest}" is not a sha256 digest`, 'The version record was edited by hand; restore it.');
        return (0,external_node_path_.join)(this.root, 'blobs', 'sha256', digest.slice('sha256:'.length));
    }
    stored(record, bytes) {
        return {
            record,
            digest: `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`,
            uri: `local://${record.model}/${record.version}`,
        };
    }
}
// ---- the concurrency-critical helpers, exported so that they can be exercised on their own ----
/**
 * Creates `path` holding `data` only if no file has that name: a fully written temporary file is hard-linked to
 * it, which fails with EEXIST when the name is taken (then false, and nothing is changed). Never overwrites.
 */
async function createFileOnce(path, data) {
    const dir = (0,external_node_path_.dirname)(path);
    const temp = tempName(dir);
    try {
        await writeDurably(temp, data);
        try {
            await (0,promises_.link)(temp, path);
        }
        catch (error) {
            if (isCode(error, 'EEXIST'))
                return false;
            if (isCode(error, 'EPERM') || isCode(error, 'ENOTSUP') || isCode(error, 'ENOSYS')) {
                throw new errors/* UserError */.y(`cannot create ${path}: the file system does not support hard links (${error.message})`, 'Keep the local registry on a local disk (ext4, APFS, NTFS, ...), or use an OCI registry.');
            }
            throw error;
        }
        await syncDir(dir);
        return true;
    }
    finally {
        await (0,promises_.rm)(temp, { force: true });
    }
}
/** Writes `data` to `path` through a temporary file in the same folder and a rename: all or nothing. */
async function writeFileAtomic(path, data) {
    const temp = tempName((0,external_node_path_.dirname)(path));
    try {
        await writeDurably(temp, data);
        await (0,promises_.rename)(temp, path);
    }
    catch (error) {
        await (0,promises_.rm)(temp, { force: true });
        throw error;
    }
}
/**
 * Runs `fn` holding the lock file `lockPath` (created with 'wx'; it holds pid, host, time and a token).
 * Waiters retry with jittered exponential backoff; a stale lock (see LockOptions) is broken; after
 * `timeoutMs` a UserError names the holder and the file to delete.
 */
async function withFileLock(lockPath, fn, options = {}) {
    const token = await acquireLock(lockPath, options);
    try {
        return await fn();
    }
    finally {
        await releaseLock(lockPath, token);
    }
}
const DEFAULT_STALE_MS = 30_000;
const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
async function acquireLock(lockPath, options) {
    const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
    const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const token = (0,external_node_crypto_.randomBytes)(8).toString('hex');
    const content = JSON.stringify({ pid: process.pid, host: (0,external_node_os_.hostname)(), at: new Date().toISOString(), token });
    const start = Date.now();
    let delay = 2;
    for (;;) {
        if (await createExclusive(lockPath, content))
            return token;
        const holder = await readHolder(lockPath);
        if (holder && isStale(holder, staleMs)) {
            await breakLock(lockPath, holder.raw, staleMs);
            continue;
        }
        if (Date.now() - start > timeoutMs) {
            const who = holder?.pid
                ? `process ${holder.pid}${holder.host ? ` on ${holder.host}` : ''} since ${holder.at ?? 'an unknown time'}`
                : 'another process';
            throw new errors/* UserError */.y(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${lockPath}, held by ${who}`, `If no other registry command is running, the lock was left behind: delete ${lockPath} and try again.`);
        }
        await sleep(delay * (0.5 + Math.random()));
        delay = Math.min(delay * 2, 200);
    }
}
async function releaseLock(lockPath, token) {
    const raw = await readIfExists(lockPath);
    // Only our own lock: if it was broken and taken by another process meanwhile, that one is not ours to remove.
    if (raw !== null && parseLock(raw)?.token === token)
        await (0,promises_.rm)(lockPath, { force: true });
}
/** Creates `path` with `content` only if it does not exist; false when it does. */
async function createExclusive(path, content) {
    let handle;
    try {
        handle = await (0,promises_.open)(path, 'wx');
    }
    catch (error) {
        if (isCode(error, 'EEXIST'))
            return false;
        throw error;
    }
    try {
        await handle.writeFile(content);
    }
    finally {
        await handle.close();
    }
    return true;
}
function parseLock(raw) {
    try {
        const parsed = JSON.parse(raw);
        return parsed && typeof parsed === 'object' ? parsed : null;
    }
    catch {
        return null;
    }
}
async function readHolder(lockPath) {
    try {
        const [raw, info] = await Promise.all([(0,promises_.readFile)(lockPath, 'utf8'), (0,promises_.stat)(lockPath)]);
        const parsed = parseLock(raw);
        return {
            raw,
            pid: typeof parsed?.pid === 'number' ? parsed.pid : null,
            host: typeof parsed?.host === 'string' ? parsed.host : null,
            at: typeof parsed?.at === 'string' ? parsed.at : null,
            ageMs: Date.now() - info.mtimeMs,
        };
    }
    catch (error) {
        if (isCode(error, 'ENOENT'))
            return null; // released meanwhile
        throw error;
    }
}
function isStale(holder, staleMs) {
    if (holder.ageMs <= staleMs)
        return false;
    // A holder on this host is stale only when its process is gone; from another host (a shared folder) or
    // without a readable pid (a crash between creating and writing the file) age alone decides.
    if (holder.pid !== null && holder.host === (0,external_node_os_.hostname)())
        return !processAlive(holder.pid);
    return true;
}
function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return isCode(error, 'EPERM'); // exists, owned by another user
    }
}
/**
 * Removes a stale lock whose content was `observed`, under `<lock>.break` so that two processes that both saw it
 * stale cannot remove each other's fresh lock: the second breaker finds different content and leaves it.
 */
async function breakLock(lockPath, observed, staleMs) {
    const breaker = `${lockPath}.break`;
    if (!(await createExclusive(breaker, String(process.pid)))) {
        const info = await (0,promises_.stat)(breaker).catch(() => null);
        if (info && Date.now() - info.mtimeMs > staleMs)
            await (0,promises_.rm)(breaker, { force: true }); // a breaker that crashed
        await sleep(5 + Math.random() * 10);
        return;
    }
    try {
        if ((await readIfExists(lockPath)) === observed)
            await (0,promises_.rm)(lockPath, { force: true });
    }
    finally {
        await (0,promises_.rm)(breaker, { force: true });
    }
}
// ---- files ----
/** Copies `from` to the new file `to` (flushed to disk), hashing the bytes as they go. */
async function copyHashing(from, to) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const out = await (0,promises_.open)(to, 'wx');
    try {
        for await (const chunk of (0,external_node_fs_.createReadStream)(from, { highWaterMark: 1 << 20 })) {
            const buffer = chunk;
            hash.update(buffer);
            size += buffer.length;
            await out.write(buffer);
        }
        await out.sync();
    }
    finally {
        await out.close();
    }
    return { digest: `sha256:${hash.digest('hex')}`, size };
}
async function appendLine(path, line) {
    const handle = await (0,promises_.open)(path, 'a+');
    try {
        const { size } = await handle.stat();
        let prefix = '';
        if (size > 0) {
            const last = Buffer.alloc(1);
            await handle.read(last, 0, 1, size - 1);
            if (last[0] !== 0x0a)
                prefix = '\n'; // the previous append was torn by a crash: start a fresh line
        }
        await handle.write(`${prefix}${line}\n`);
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
async function writeDurably(path, data) {
    const handle = await (0,promises_.open)(path, 'w');
    try {
        await handle.writeFile(data);
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
/** Flushes a folder's entries (a new name) to disk where the platform allows it. */
async function syncDir(dir) {
    try {
        const handle = await (0,promises_.open)(dir, 'r');
        try {
            await handle.sync();
        }
        finally {
            await handle.close();
        }
    }
    catch {
        // not supported here (Windows): the rename or link itself is still atomic
    }
}
function tempName(dir) {
    return (0,external_node_path_.join)(dir, `.tmp-${process.pid}-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`);
}
async function versionNumbers(versionsDir) {
    const numbers = [];
    for (const name of await listDir(versionsDir)) {
        const match = VERSION_FILE.exec(name);
        if (match)
            numbers.push(Number(match[1]));
    }
    return numbers.sort((a, b) => a - b);
}
async function listDir(dir) {
    try {
        return await (0,promises_.readdir)(dir);
    }
    catch (error) {
        if (isCode(error, 'ENOENT'))
            return [];
        throw error;
    }
}
async function readIfExists(path) {
    try {
        return await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        if (isCode(error, 'ENOENT'))
            return null;
        throw error;
    }
}
async function exists(path) {
    try {
        await (0,promises_.stat)(path);
        return true;
    }
    catch {
        return false;
    }
}
/** A stored record, checked to be the record of `model` v`version` (file paths and digests are checked by the registry). */
function parseRecord(bytes, path, model, version) {
    let record;
    try {
        record = JSON.parse(bytes);
    }
    catch {
        throw new errors/* UserError */.y(`${path} is not valid JSON`, 'Version records are never rewritten: restore it from a backup.');
    }
    if (record === null ||
        typeof record !== 'object' ||
        record.model !== model ||
        record.version !== version ||
        typeof record.createdAt !== 'string' ||
        !Array.isArray(record.files)) {
        throw new errors/* UserError */.y(`${path} is not the version record of ${model} v${version}`, 'Version records are never rewritten: restore it from a backup.');
    }
    return {
        model,
        version,
        createdAt: record.createdAt,
        files: record.files,
        card: record.card ?? null,
        blessing: record.blessing ?? null,
    };
}
function isCode(error, code) {
    return error?.code === code;
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
// ---- aliases ----
function foldHistory(events) {
    const current = {};
    for (const event of events) {
        if (event.version === null)
            delete current[event.alias];
        else
            current[event.alias] = event.version;
    }
    return current;
}
function sortKeys(record) {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
;// CONCATENATED MODULE: ./src/adapters/registry/oci-client.ts
/**
 * A small client for the OCI distribution API (the registry HTTP API that ghcr.io,
 * Docker Hub and the CNCF distribution registry speak): blobs, manifests and tags
 * of one repository, over Node's global `fetch`.
 *
 * - Blobs are pushed monolithically (POST an upload, then PUT its bytes with the
 *   digest) after a HEAD that skips blobs the registry already holds; a file is
 *   hashed, then streamed from disk, never loaded whole.
 * - Everything read back is verified against its digest: a blob or manifest whose
 *   bytes do not hash to the digest asked for is an error, and a file is written
 *   aside and renamed only once verified.
 * - Authentication: anonymous, HTTP basic, or the bearer token flow (a 401 with
 *   `WWW-Authenticate: Bearer realm=...,service=...,scope=...` is answered by asking
 *   the realm for a token, with the credentials as basic auth; tokens are cached per
 *   scope). A `{ token }` (a registry's own token) is sent as the password. Credentials
 *   go to the registry itself and to a token service on the registry's own origin only:
 *   a realm on another origin is asked anonymously. The workflow token
 *   (`{ workflowToken }`, GITHUB_TOKEN) is GitHub's: it is used for ghcr.io only, and
 *   sent only to https://ghcr.io (its registry and its token service), never elsewhere.
 * - Registry errors (`{"errors":[{"code","message"}]}`) become UserErrors naming the
 *   status and code, with a hint.
 *
 * Media types follow the CNCF ModelPack specification: an OCI image manifest with
 * `artifactType` MODEL_ARTIFACT_TYPE, a MODEL_CONFIG_MEDIA_TYPE config, and one raw
 * layer per file, titled with its path (`org.opencontainers.image.title`).
 */







/** An OCI image manifest: what a model version is stored as. */
const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** An OCI image index (a list of manifests); accepted when reading. */
const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** Docker's manifest and manifest list; accepted when reading. */
const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_MANIFEST_LIST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** ModelPack: the `artifactType` of a model manifest. */
const MODEL_ARTIFACT_TYPE = 'application/vnd.cncf.model.manifest.v1+json';
/** ModelPack: the manifest's config blob (a JSON description of the model). */
const MODEL_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.model.config.v1+json';
/** ModelPack: a weight file, stored as is (not archived, not compressed). */
const MODEL_WEIGHT_MEDIA_TYPE = 'application/vnd.cncf.model.weight.v1.raw';
/** ModelPack: a file that goes with the weights (topology, tokenizer, preprocessing), stored as is. */
const MODEL_WEIGHT_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.model.weight.config.v1.raw';
/** ModelPack: documentation (README, model card), stored as is. */
const MODEL_DOC_MEDIA_TYPE = 'application/vnd.cncf.model.doc.v1.raw';
/**
 * The layer type this suite gives every file of a model directory that is not a weight
 * file (model.json, preprocessing, the model card, the blessing): ModelPack's type for
 * the files that accompany the weights, so ModelPack-aware tools keep them with the model.
 */
const MODEL_FILE_MEDIA_TYPE = MODEL_WEIGHT_CONFIG_MEDIA_TYPE;
/** The annotation that names a layer's file (its path in the model directory), as ORAS does. */
const TITLE_ANNOTATION = 'org.opencontainers.image.title';
/** ModelPack's annotation for a layer's path in the model directory. */
const FILEPATH_ANNOTATION = 'org.cncf.model.filepath';
/** Every manifest type this client reads (sent as Accept). */
const MANIFEST_MEDIA_TYPES = [
    OCI_MANIFEST_MEDIA_TYPE,
    OCI_INDEX_MEDIA_TYPE,
    DOCKER_MANIFEST_MEDIA_TYPE,
    DOCKER_MANIFEST_LIST_MEDIA_TYPE,
];
const WEIGHT_EXTENSIONS = /\.(bin|safetensors|onnx|gguf|pt|pth|ckpt|h5|keras|pb|tflite|npz|npy|pkl|joblib)$/i;
/** The layer media type for a file of a model directory: MODEL_WEIGHT_MEDIA_TYPE for weight files (by extension), else MODEL_FILE_MEDIA_TYPE. */
function layerMediaType(path) {
    return WEIGHT_EXTENSIONS.test(path) ? MODEL_WEIGHT_MEDIA_TYPE : MODEL_FILE_MEDIA_TYPE;
}
/**
 * A ModelPack-style OCI image manifest. Keys come in a fixed order and annotations
 * sorted by name, so the same input always serializes to the same bytes (and digest).
 */
function buildManifest(input) {
    const descriptor = (d, what) => {
        checkDigest(d.digest, what);
        if (!Number.isSafeInteger(d.size) || d.size < 0)
            throw new errors/* UserError */.y(`${what}: size ${d.size} is not a whole number of bytes`);
        const out = { mediaType: d.mediaType, digest: d.digest, size: d.size };
        const annotations = sortedAnnotations(d.annotations);
        if (annotations)
            out.annotations = annotations;
        return out;
    };
    const manifest = {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST_MEDIA_TYPE,
        artifactType: input.artifactType ?? MODEL_ARTIFACT_TYPE,
        config: descriptor({ ...input.config, mediaType: input.config.mediaType ?? MODEL_CONFIG_MEDIA_TYPE }, 'manifest config'),
        layers: input.layers.map((layer, i) => descriptor(layer, `layer ${layer.annotations?.[TITLE_ANNOTATION] ?? i}`)),
    };
    const annotations = sortedAnnotations(input.annotations);
    if (annotations)
        manifest.annotations = annotations;
    return manifest;
}
function sortedAnnotations(annotations) {
    if (!annotations || Object.keys(annotations).length === 0)
        return undefined;
    return Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
/** The sha256 digest of bytes, as `sha256:<hex>`. */
function sha256Digest(data) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(data).digest('hex')}`;
}
/** The one registry the workflow token (GITHUB_TOKEN) is for, and the only origin it is sent to. */
const GITHUB_REGISTRY = 'ghcr.io';
const GITHUB_REGISTRY_ORIGIN = `https://${GITHUB_REGISTRY}`;
const oci_client_DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const REPOSITORY_PATTERN = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TOKEN_USERNAME = 'token';
function checkDigest(digest, what = 'digest') {
    if (!oci_client_DIGEST_PATTERN.test(digest))
        throw new errors/* UserError */.y(`${what}: "${digest}" is not a digest`, 'A digest looks like sha256:<64 lower-case hex digits>.');
}
function checkReference(reference) {
    if (!oci_client_DIGEST_PATTERN.test(reference) && !TAG_PATTERN.test(reference)) {
        throw new errors/* UserError */.y(`"${reference}" is neither a tag nor a digest`, 'A tag is up to 128 letters, digits, ".", "_" and "-" (not starting with "." or "-"); a digest is sha256:<hex>.');
    }
}
function hashFor(digest) {
    return (0,external_node_crypto_.createHash)(digest.startsWith('sha512:') ? 'sha512' : 'sha256');
}
function algorithmOf(digest) {
    return digest.slice(0, digest.indexOf(':'));
}
/** Parses the first challenge of a WWW-Authenticate header (registries send one). */
function parseChallenge(header) {
    const match = header?.match(/^\s*(\w+)\s*(.*)$/s);
    if (!match)
        return null;
    const scheme = match[1].toLowerCase();
    if (scheme !== 'basic' && scheme !== 'bearer')
        return null;
    const params = {};
    for (const param of match[2].matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
        params[param[1].toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
    }
    return { scheme, params };
}
/** Waits before trying a read again after a server error. */
const RETRY_DELAYS_MS = [100, 300, 900];
/** A client for one repository of an OCI registry. */
class OciClient {
    registry;
    repository;
    base;
    origin;
    insecure;
    auth;
    userAgent;
    /** The scheme the registry asked for, once it has (credentials are not sent before). */
    scheme = null;
    tokens = new Map();
    /** The scope the registry named for pull and for push requests. */
    scopes = new Map();
    constructor(options) {
        if (options.registry.includes('@')) {
            // Never echo it: the part before @ is a username and password.
            throw new errors/* UserError */.y('the registry address carries credentials (user:password@host)', 'Give the registry as host or host:port, and the credentials as MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD (or MLOPS_REGISTRY_TOKEN).');
        }
        if (/^[a-z]+:\/\//i.test(options.registry) || options.registry.includes('/') || options.registry.trim() === '') {
            throw new errors/* UserError */.y(`registry "${options.registry}" is not a host name`, 'Give the registry as host or host:port (ghcr.io, localhost:5000), without a scheme or path; use `insecure` for plain http.');
        }
        if (!REPOSITORY_PATTERN.test(options.repository)) {
            throw new errors/* UserError */.y(`repository "${options.repository}" is not a valid OCI repository name`, 'Use lower-case letters, digits and separators (".", "_", "-"), path parts joined by "/" (owner/model).');
        }
        this.registry = options.registry;
        this.repository = options.repository;
        this.insecure = options.insecure ?? false;
        this.origin = `${this.insecure ? 'http' : 'https'}://${options.registry}`;
        this.base = `${this.origin}/v2/${options.repository}`;
        const auth = options.auth ?? null;
        // The workflow token is GitHub's: no other registry ever sees it.
        this.auth = auth && 'workflowToken' in auth && options.registry !== GITHUB_REGISTRY ? null : auth;
        this.userAgent = options.userAgent ?? 'mlops-actions';
    }
    /** registry/repository, as in an image reference. */
    get name() {
        return `${this.registry}/${this.repository}`;
    }
    // ---------------------------------------------------------------- blobs
    /** The size of the blob when the registry holds it (-1 when it does not say), else null. */
    async blobSize(digest) {
        checkDigest(digest);
        const res = await this.send({ method: 'HEAD', url: `${this.base}/blobs/${digest}`, action: `check blob ${digest}` });
        if (res.status === 404)
            return null;
        if (res.status !== 200)
            return this.fail(res, `check blob ${digest}`);
        return Number(res.headers.get('content-length') ?? -1);
    }
    /** Uploads a blob unless the registry already holds it. */
    async pushBlob(source) {
        let digest;
        let size;
        let body;
        if (Buffer.isBuffer(source)) {
            digest = sha256Digest(source);
            size = source.length;
            body = () => source;
        }
        else {
            const path = source.path;
            try {
                size = (await (0,promises_.stat)(path)).size;
            }
            catch (error) {
                throw new errors/* UserError */.y(`cannot read ${path}: ${error.message}`);
            }
            if (source.size !== undefined && source.size !== size)
                throw new errors/* UserError */.y(`${path} is ${size} bytes, not the ${source.size} expected`);
            if (source.digest !== undefined)
                checkDigest(source.digest);
            digest = source.digest ?? (await hashFile(path));
            body = () => (0,external_node_fs_.createReadStream)(path);
        }
        if ((await this.blobSize(digest)) !== null)
            return { digest, size, existed: true };
        const action = `push blob ${digest}`;
        const started = await this.send({
            method: 'POST',
            url: `${this.base}/blobs/uploads/`,
            action,
            push: true,
            headers: { 'content-length': '0' },
        });
        const location = started.headers.get('location');
        if (started.status !== 202 || !location)
            return this.fail(started, action);
        await started.body?.cancel();
        const upload = new URL(location, this.origin).href;
        const url = `${upload}${upload.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
        const res = await this.send({
            method: 'PUT',
            url,
            action,
            push: true,
            body,
            headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        });
        if (res.status !== 201)
            return this.fail(res, action);
        await res.body?.cancel();
        const stored = res.headers.get('docker-content-digest');
        if (stored && stored !== digest) {
            throw new errors/* UserError */.y(`the registry stored blob ${digest} as ${stored}`, 'The upload was changed on the way; push again.');
        }
        return { digest, size, existed: false };
    }
    /** The blob's bytes, verified against its digest. */
    async getBlob(digest) {
        checkDigest(digest);
        const action = `get blob ${digest}`;
        const res = await this.send({ method: 'GET', url: `${this.base}/blobs/${digest}`, action });
        if (res.status !== 200)
            return this.fail(res, action);
        let data;
        try {
            data = Buffer.from(await res.arrayBuffer());
        }
        catch (error) {
            throw new errors/* UserError */.y(`${action} from ${this.name}: the download broke off: ${error.message}`, 'Try again.');
        }
        const actual = `${algorithmOf(digest)}:${hashFor(digest).update(data).digest('hex')}`;
        if (actual !== digest)
            throw this.corrupt(digest, actual, data.length);
        return data;
    }
    /**
     * Streams the blob into `path`, verifying its digest on the way: it is written to a
     * temporary file beside `path` and renamed only once verified, so `path` never holds
     * unverified bytes. Returns the size.
     */
    async pullBlobToFile(digest, path) {
        return (await this.pullBlob(digest, path, false));
    }
    /** As pullBlobToFile, but null (and no file) when the registry does not hold the blob. */
    async tryPullBlobToFile(digest, path) {
        return this.pullBlob(digest, path, true);
    }
    async pullBlob(digest, path, missingIsNull) {
        checkDigest(digest);
        const action = `get blob ${digest}`;
        const res = await this.send({ method: 'GET', url: `${this.base}/blobs/${digest}`, action });
        if (res.status === 404 && missingIsNull) {
            const { code } = await readError(res);
            if (code === 'BLOB_UNKNOWN' || code === '')
                return null;
            return this.fail(res, action, { code, message: '' });
        }
        if (res.status !== 200 || !res.body)
            return this.fail(res, action);
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
        const partial = (0,external_node_path_.join)((0,external_node_path_.dirname)(path), `.${(0,external_node_path_.basename)(path)}.${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.partial`);
        const hash = hashFor(digest);
        let size = 0;
        const hasher = new external_node_stream_.Transform({
            transform(chunk, _encoding, callback) {
                hash.update(chunk);
                size += chunk.length;
                callback(null, chunk);
            },
        });
        try {
            try {
                await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.fromWeb(res.body), hasher, (0,external_node_fs_.createWriteStream)(partial, { flags: 'wx' }));
            }
            catch (error) {
                throw new errors/* UserError */.y(`${action} from ${this.name} into ${path} failed: ${error.message}`, 'Try again.');
            }
            const actual = `${algorithmOf(digest)}:${hash.digest('hex')}`;
            if (actual !== digest)
                throw this.corrupt(digest, actual, size);
            await (0,promises_.rename)(partial, path);
        }
        catch (error) {
            await (0,promises_.rm)(partial, { force: true });
            throw error;
        }
        return { digest, size };
    }
    // ------------------------------------------------------------ manifests
    /**
     * Stores a manifest under a tag (or under its digest) and returns the digest of the
     * exact bytes sent. An object is sent as JSON.stringify(manifest); pass a Buffer to
     * choose the bytes. Putting a tag again moves it.
     */
    async putManifest(reference, manifest, mediaType = OCI_MANIFEST_MEDIA_TYPE) {
        checkReference(reference);
        const bytes = Buffer.isBuffer(manifest) ? manifest : Buffer.from(JSON.stringify(manifest));
        const digest = sha256Digest(bytes);
        if (oci_client_DIGEST_PATTERN.test(reference) && reference !== digest) {
            throw new errors/* UserError */.y(`the manifest's digest is ${digest}, not ${reference}`, 'Put a manifest under its own digest, or under a tag.');
        }
        const action = `put manifest ${reference}`;
        const res = await this.send({
            method: 'PUT',
            url: `${this.base}/manifests/${reference}`,
            action,
            push: true,
            body: () => bytes,
            headers: { 'content-type': mediaType },
        });
        if (res.status !== 201 && res.status !== 200)
            return this.fail(res, action);
        await res.body?.cancel();
        const stored = res.headers.get('docker-content-digest');
        if (stored && stored !== digest && algorithmOf(stored) === 'sha256') {
            throw new errors/* UserError */.y(`the registry stored manifest ${reference} as ${stored}, not ${digest}`, 'The registry changed the manifest; push again.');
        }
        return digest;
    }
    /** A manifest by tag or digest, its bytes verified against the digest asked for and the one the registry reports. */
    async getManifest(reference) {
        checkReference(reference);
        const action = `get manifest ${reference}`;
        const res = await this.send({
            method: 'GET',
            url: `${this.base}/manifests/${reference}`,
            action,
            headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
        });
        if (res.status !== 200)
            return this.fail(res, action);
        const bytes = Buffer.from(await res.arrayBuffer());
        const expected = [oci_client_DIGEST_PATTERN.test(reference) ? reference : null, res.headers.get('docker-content-digest')].filter((d) => d !== null && oci_client_DIGEST_PATTERN.test(d));
        for (const want of expected) {
            const actual = `${algorithmOf(want)}:${hashFor(want).update(bytes).digest('hex')}`;
            if (actual !== want)
                throw this.corrupt(want, actual, bytes.length, 'manifest');
        }
        let manifest;
        try {
            manifest = JSON.parse(bytes.toString('utf8'));
        }
        catch {
            throw new errors/* UserError */.y(`manifest ${reference} of ${this.name} is not JSON`);
        }
        if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
            throw new errors/* UserError */.y(`manifest ${reference} of ${this.name} is not a JSON object`);
        }
        const record = manifest;
        const contentType = res.headers.get('content-type')?.split(';')[0]?.trim();
        const mediaType = typeof record.mediaType === 'string' ? record.mediaType : contentType || OCI_MANIFEST_MEDIA_TYPE;
        return { manifest: record, digest: sha256Digest(bytes), mediaType, bytes };
    }
    /** The digest a tag points at (or the digest itself when it is stored), null when absent. */
    async headManifest(reference) {
        checkReference(reference);
        const action = `check manifest ${reference}`;
        const res = await this.send({
            method: 'HEAD',
            url: `${this.base}/manifests/${reference}`,
            action,
            headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
        });
        if (res.status === 404)
            return null;
        if (res.status !== 200)
            return this.fail(res, action);
        const digest = res.headers.get('docker-content-digest');
        if (digest && oci_client_DIGEST_PATTERN.test(digest))
            return digest;
        return (await this.getManifest(reference)).digest;
    }
    /**
     * Every tag of the repository, sorted; [] when nothing was pushed yet. Pages of
     * `pageSize` are asked for with `n` and followed through the Link header (a registry
     * that ignores `n` answers with every tag at once).
     */
    async listTags(options = {}) {
        const tags = new Set();
        const seen = new Set();
        let url = `${this.base}/tags/list${options.pageSize ? `?n=${options.pageSize}` : ''}`;
        while (url && !seen.has(url)) {
            seen.add(url);
            const res = await this.send({ method: 'GET', url, action: 'list tags' });
            if (res.status === 404 && tags.size === 0) {
                const { code } = await readError(res);
                if (code === 'NAME_UNKNOWN')
                    return [];
                return this.fail(res, 'list tags', { code, message: 'repository not found' });
            }
            if (res.status !== 200)
                return this.fail(res, 'list tags');
            const page = (await res.json());
            if (page.tags !== null && page.tags !== undefined && !Array.isArray(page.tags))
                throw new errors/* UserError */.y(`${this.name}: the tag list is not a list`);
            for (const tag of page.tags ?? [])
                if (typeof tag === 'string')
                    tags.add(tag);
            const next = res.headers.get('link')?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
            url = next ? new URL(next[1], url).href : null;
        }
        return [...tags].sort();
    }
    /**
     * Deletes a manifest by digest (the registry drops the tags that point at it). True
     * when deleted, false when it was not there. Registries may refuse (405 UNSUPPORTED).
     */
    async deleteManifest(digest) {
        checkDigest(digest, 'delete manifest');
        const action = `delete manifest ${digest}`;
        const res = await this.send({ method: 'DELETE', url: `${this.base}/manifests/${digest}`, action, push: true });
        if (res.status === 404) {
            await res.body?.cancel();
            return false;
        }
        if (res.status !== 202 && res.status !== 200)
            return this.fail(res, action);
        await res.body?.cancel();
        return true;
    }
    // ------------------------------------------------------------ transport
    /**
     * Sends a request. Reads (GET, HEAD) that meet a passing server error (5xx, 429)
     * are tried again, up to three more times with growing waits: registries have such
     * moments, for example while another client commits the same blob.
     */
    async send(spec) {
        const retriable = spec.method === 'GET' || spec.method === 'HEAD';
        for (let attempt = 0;; attempt++) {
            const res = await this.sendOnce(spec);
            if (!retriable || attempt >= RETRY_DELAYS_MS.length || !(res.status >= 500 || res.status === 429))
                return res;
            await res.body?.cancel();
            await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt] * (1 + Math.random() / 2)));
        }
    }
    /** Sends a request once, answering one auth challenge (401) by retrying with credentials or a token. */
    async sendOnce(spec) {
        const res = await this.fetchFollowing(spec);
        if (res.status !== 401)
            return res;
        const challenge = parseChallenge(res.headers.get('www-authenticate'));
        if (!challenge)
            return res;
        if (challenge.scheme === 'basic') {
            if (!this.auth || this.scheme === 'basic')
                return res;
            this.scheme = 'basic';
            await res.body?.cancel();
        }
        else {
            const kind = spec.push ? 'push' : 'pull';
            const scope = challenge.params.scope ?? `repository:${this.repository}:${spec.push ? 'pull,push' : 'pull'}`;
            const realm = challenge.params.realm;
            if (!realm)
                return res;
            await res.body?.cancel();
            this.tokens.set(scope, await this.fetchToken(realm, challenge.params.service, scope));
            this.scopes.set(kind, scope);
            this.scheme = 'bearer';
        }
        return this.fetchFollowing(spec);
    }
    /** One request; GET and HEAD follow redirects, sending credentials only to the registry itself. */
    async fetchFollowing(spec) {
        let url = spec.url;
        for (let hop = 0;; hop++) {
            const headers = { 'user-agent': this.userAgent, ...spec.headers };
            const authorization = new URL(url).origin === this.origin ? this.authorization(spec.push ? 'push' : 'pull') : null;
            if (authorization)
                headers.authorization = authorization;
            const init = { method: spec.method, headers, redirect: 'manual' };
            if (spec.body) {
                const body = spec.body();
                init.body = (Buffer.isBuffer(body) ? body : external_node_stream_.Readable.toWeb(body));
                init.duplex = 'half';
            }
            let res;
            try {
                res = await fetch(url, init);
            }
            catch (error) {
                throw this.unreachable(url, error);
            }
            const location = res.headers.get('location');
            const redirect = [301, 302, 303, 307, 308].includes(res.status) && location && (spec.method === 'GET' || spec.method === 'HEAD');
            if (!redirect || hop >= 5)
                return res;
            await res.body?.cancel();
            url = new URL(location, url).href;
        }
    }
    authorization(kind) {
        if (this.scheme === 'basic' && this.auth)
            return `Basic ${this.basicCredentials()}`;
        if (this.scheme === 'bearer') {
            for (const k of kind === 'pull' ? ['pull', 'push'] : ['push']) {
                const scope = this.scopes.get(k);
                const cached = scope === undefined ? undefined : this.tokens.get(scope);
                if (cached && cached.expiresAt > Date.now())
                    return `Bearer ${cached.token}`;
            }
        }
        return null;
    }
    basicCredentials() {
        const auth = this.auth;
        const [username, password] = 'token' in auth
            ? [TOKEN_USERNAME, auth.token]
            : 'workflowToken' in auth
                ? [TOKEN_USERNAME, auth.workflowToken]
                : [auth.username, auth.password];
        return Buffer.from(`${username}:${password}`).toString('base64');
    }
    /** Asks the token service named by a Bearer challenge for a token for `scope`. */
    async fetchToken(realm, service, scope) {
        let url;
        try {
            url = new URL(realm);
        }
        catch {
            throw new errors/* UserError */.y(`${this.registry} named "${realm}" as its token service, which is not a URL`);
        }
        if (service)
            url.searchParams.set('service', service);
        url.searchParams.set('scope', scope);
        const headers = { 'user-agent': this.userAgent, accept: 'application/json' };
        // Credentials only to a token service on the registry's own origin (for the workflow token: ghcr.io's own).
        const trusted = this.auth !== null && url.origin === this.origin && (!('workflowToken' in this.auth) || url.origin === GITHUB_REGISTRY_ORIGIN);
        const withheld = this.auth !== null && !trusted;
        if (this.auth && trusted) {
            if (url.protocol !== 'https:' && !this.insecure) {
                throw new errors/* UserError */.y(`${this.registry} asks for credentials to be sent to ${url.origin} without TLS`, 'Refusing to send them; set insecure only for a registry you trust on a private network.');
            }
            headers.authorization = `Basic ${this.basicCredentials()}`;
        }
        let res;
        try {
            res = await fetch(url, { headers });
        }
        catch (error) {
            throw this.unreachable(url.href, error);
        }
        if (res.status !== 200) {
            const { code, message } = await readError(res);
            const detail = code ? `${res.status} ${code}${message ? ` (${message})` : ''}` : `${res.status} ${res.statusText}`;
            throw new errors/* UserError */.y(`the token service of ${this.registry} (${url.origin}${url.pathname}) refused a token for ${scope}: ${detail}`, withheld
                ? `The credentials were not sent: ${this.registry} named a token service on another origin (${url.origin}) than its own (${this.origin}), and credentials go to the registry's own origin only.`
                : res.status === 401 || res.status === 403
                    ? this.credentialsHint(res.status, scope.endsWith('push'))
                    : 'Try again later.');
        }
        const body = (await res.json().catch(() => ({})));
        const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
        if (!token)
            throw new errors/* UserError */.y(`the token service of ${this.registry} answered without a token`);
        const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
        return { token, expiresAt: Date.now() + Math.max(lifetime - 10, lifetime / 2) * 1000 };
    }
    unreachable(url, error) {
        const cause = error.cause;
        const reason = cause?.code ?? cause?.message ?? error.message;
        return new errors/* UserError */.y(`cannot reach registry ${this.registry} (${new URL(url).origin}): ${reason}`, this.insecure
            ? 'Check the registry address and that the registry is running.'
            : 'Check the registry address; a registry that speaks plain http (a local one) needs insecure: true.');
    }
    corrupt(digest, actual, size, what = 'blob') {
        return new errors/* UserError */.y(`${what} ${digest} from ${this.name} does not match its digest: the ${size} bytes received hash to ${actual}`, "The registry's copy is corrupt or was tampered with; do not use it. Push the content again from a trusted copy.");
    }
    /** Throws the registry's error as a UserError: what failed, the status and error code, and a hint. */
    async fail(res, action, known) {
        const { code, message } = known ?? (await readError(res));
        const detail = code
            ? `${res.status} ${code}${message ? ` (${message})` : ''}`
            : `${res.status} ${res.statusText || 'unexpected answer'}`;
        throw new errors/* UserError */.y(`${action} on ${this.name} failed: ${detail}`, this.hint(res.status, code, action));
    }
    hint(status, code, action) {
        const push = /^(push|put|delete)/.test(action);
        if (status === 401 || status === 403 || code === 'UNAUTHORIZED' || code === 'DENIED')
            return this.credentialsHint(status, push);
        switch (code) {
            case 'MANIFEST_UNKNOWN':
                return `No such tag or digest in ${this.name}; list its tags to see what exists.`;
            case 'NAME_UNKNOWN':
                return `The repository ${this.name} does not exist (nothing was pushed to it yet), or the credentials cannot see it.`;
            case 'BLOB_UNKNOWN':
                return `${this.name} does not hold this blob: it was never pushed, or was garbage-collected.`;
            case 'MANIFEST_BLOB_UNKNOWN':
                return 'Push the config and every layer blob before the manifest that references them.';
            case 'MANIFEST_INVALID':
                return 'The registry rejected the manifest: check its mediaType, config and layer descriptors.';
            case 'DIGEST_INVALID':
                return 'The content did not match its digest on the way; push again.';
            case 'UNSUPPORTED':
                return 'The registry does not support this operation (deleting is often switched off).';
            case 'TOOMANYREQUESTS':
                return 'The registry is rate-limiting requests; wait and try again.';
        }
        if (status === 405)
            return 'The registry does not allow this operation (deleting is often switched off).';
        if (status === 429)
            return 'The registry is rate-limiting requests; wait and try again.';
        if (status >= 500)
            return 'The registry had a problem; try again later.';
        return `The registry refused to ${action}.`;
    }
    credentialsHint(status, push) {
        const ghcr = this.registry === 'ghcr.io';
        if (!this.auth) {
            return ghcr
                ? `${this.registry} needs credentials: pass GITHUB_TOKEN (with \`permissions: packages: ${push ? 'write' : 'read'}\` in the job) as the token.`
                : `${this.registry} needs credentials: give a username and password, or a token.`;
        }
        if (ghcr) {
            return push
                ? 'The job needs `permissions: packages: write`; for a package that already exists, its settings must also give this repository write access (Manage Actions access).'
                : "The job needs `permissions: packages: read`, and the package's settings must give this repository access.";
        }
        if (status === 401)
            return `${this.registry} rejected the credentials: check the username and password (or token).`;
        return `The credentials are valid but may not ${push ? 'push to' : 'read'} ${this.name}.`;
    }
}
/** The first error of a registry's JSON error body (`{"errors":[{"code","message"}]}`), if any. */
async function readError(res) {
    const text = res.status === 204 ? '' : await res.text().catch(() => '');
    try {
        const body = JSON.parse(text);
        const first = body.errors?.[0];
        if (first)
            return { code: String(first.code ?? ''), message: typeof first.message === 'string' ? first.message : '' };
        if (typeof body.error === 'string')
            return { code: '', message: body.error };
    }
    catch {
        // not JSON: fall through
    }
    return { code: '', message: text.trim().slice(0, 200) };
}
/** sha256:<hex> of a file, read as a stream. */
async function hashFile(path) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    try {
        for await (const chunk of (0,external_node_fs_.createReadStream)(path))
            hash.update(chunk);
    }
    catch (error) {
        throw new errors/* UserError */.y(`cannot read ${path}: ${error.message}`);
    }
    return `sha256:${hash.digest('hex')}`;
}

// EXTERNAL MODULE: ./src/ports/model-store.ts
var model_store = __webpack_require__(65629);
;// CONCATENATED MODULE: ./src/adapters/registry/oci-store.ts
/**
 * The OCI store of the model registry: models kept in any OCI distribution registry
 * (ghcr.io, Docker Hub, Harbor, a CNCF distribution registry), one repository per model
 * (`<namespace>/<model>`). It keeps bytes; what references mean, how numbers are
 * claimed and how pulls are verified is the registry's (core/registry/registry.ts).
 *
 * Layout of a model's repository:
 *
 *   tag v1, v2, ...        a version, immutable: a ModelPack-style OCI image manifest (artifactType
 *                          MODEL_ARTIFACT_TYPE) whose config blob (MODEL_CONFIG_MEDIA_TYPE) is the JSON
 *                          { model, version, createdAt, files: [{ path, digest, size }], card, blessing }
 *                          and with one raw layer per file, titled with its path. The version's digest is
 *                          the manifest's digest, and its uri oci://<registry>/<namespace>/<model>@<digest>.
 *   other tags             aliases (production, staging, ...): moving tags that point at the very manifest
 *                          bytes of a version, so an alias and its version share one digest. An unset alias
 *                          points at a small "unset" manifest (tags cannot be deleted portably: deleting a
 *                          manifest by digest would delete the version itself).
 *   tag alias-history      a small manifest whose config blob is the JSON list of alias events
 *                          [{ alias, version, previous, at }], oldest first (registries keep no tag history).
 *
 * Blobs are content-addressed: a file already in the repository (the same bytes registered before) is found
 * with a HEAD and not uploaded again.
 *
 * Concurrency. Registries have no conditional PUT, so createVersion claims a number optimistically: it uploads
 * the version's config, PUTs its manifest under vN right after a HEAD finds vN absent, waits a short settle
 * time and re-reads vN; when vN is not its own manifest (another writer won the race), it answers null and the registry tries n + 1. Every
 * manifest carries a random writer id, so two writers never produce the same bytes. A writer whose PUT lands
 * later than the settle time after a competitor's re-read could still overwrite that competitor's version:
 * the settle time (default 300 ms) is chosen to be far longer than a PUT takes. Aliases are last-writer-wins,
 * as tags are in every OCI registry: the compare-and-swap checks where the tag points, then moves it, and the
 * alias history is read, changed and written back, so two alias moves at the same moment can lose one
 * history event (never the alias itself). `atomicAliases` is false for this store.
 */





/** The tag that holds the alias history. */
const ALIAS_HISTORY_TAG = 'alias-history';
/** artifactType and config media type of the alias history manifest. */
const ALIAS_HISTORY_ARTIFACT_TYPE = 'application/vnd.mlops-actions.alias-history.v1+json';
/** artifactType of the manifest an unset alias points at. */
const ALIAS_UNSET_ARTIFACT_TYPE = 'application/vnd.mlops-actions.alias-unset.v1+json';
/** The OCI empty descriptor's media type and content ({}). */
const EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
const EMPTY_BLOB = Buffer.from('{}');
/** A random id per version written, so concurrent writers never produce identical manifests. */
const WRITER_ANNOTATION = 'dev.mlops-actions.writer';
const CREATED_ANNOTATION = 'org.opencontainers.image.created';
const SOURCE_ANNOTATION = 'org.opencontainers.image.source';
const REVISION_ANNOTATION = 'org.opencontainers.image.revision';
const VERSION_TAG = /^v(\d+)$/;
class OciStore {
    options;
    kind = 'oci';
    reservedAliases = {
        [ALIAS_HISTORY_TAG]: 'the OCI registry keeps the alias history under that tag',
    };
    atomicAliases = false;
    registry;
    namespace;
    clients = new Map();
    constructor(options) {
        this.options = options;
        this.registry = options.registry;
        this.namespace = options.namespace.replace(/^\/+|\/+$/g, '');
        if (!this.namespace) {
            throw new errors/* UserError */.y('the OCI registry needs a namespace', 'Give the owner or path the model repositories live under (for example acme).');
        }
        // Validates the registry and namespace now rather than at the first request.
        new OciClient({ registry: options.registry, repository: `${this.namespace}/model`, insecure: options.insecure });
    }
    get location() {
        return `oci://${this.registry}/${this.namespace}`;
    }
    where(model) {
        return this.client(model).name;
    }
    async models() {
        return null; // the catalog API is not offered by ghcr.io and most hosted registries
    }
    /** The repository of a model. */
    repository(model) {
        return `${this.namespace}/${model}`;
    }
    async listVersions(model) {
        return oci_store_versionNumbers(await this.client(model).listTags());
    }
    async readVersion(model, n) {
        const client = this.client(model);
        if ((await client.headManifest(`v${n}`)) === null)
            return null;
        return this.readManifest(client, model, n);
    }
    async createVersion(record) {
        const client = this.client(record.model);
        const tag = `v${record.version}`;
        const annotations = {
            [CREATED_ANNOTATION]: record.createdAt,
            [WRITER_ANNOTATION]: (0,external_node_crypto_.randomBytes)(8).toString('hex'),
        };
        const source = sourceUrl(this.options.env ?? process.env);
        if (source)
            annotations[SOURCE_ANNOTATION] = source;
        const revision = cardCommit(record.card);
        if (revision)
            annotations[REVISION_ANNOTATION] = revision;
        const config = {
            model: record.model,
            version: record.version,
            createdAt: record.createdAt,
            files: record.files,
            card: record.card,
            blessing: record.blessing,
        };
        const configBlob = await client.pushBlob(Buffer.from((0,lineage/* stableJson */._Y)(config)));
        const layers = record.files.map((file) => ({
            digest: file.digest,
            size: file.size,
            mediaType: layerMediaType(file.path),
            annotations: { [TITLE_ANNOTATION]: file.path, [FILEPATH_ANNOTATION]: file.path },
        }));
        const manifest = buildManifest({ config: configBlob, layers, annotations });
        // Everything is uploaded before the tag is checked, so that the check and the PUT are back to back: the
        // shorter that window, the less likely a competitor's PUT of the same tag lands unseen.
        if ((await client.headManifest(tag)) !== null)
            return null;
        const digest = await client.putManifest(tag, Buffer.from(JSON.stringify(manifest)), OCI_MANIFEST_MEDIA_TYPE);
        // Give a competitor's PUT of the same tag that was already under way the time to land, then check.
        const settleMs = this.options.settleMs ?? 300;
        await oci_store_sleep(settleMs * (1 + Math.random() * 0.5));
        if ((await client.headManifest(tag)) !== digest)
            return null;
        return { record: config, digest, uri: this.uri(record.model, digest) };
    }
    async putBlob(model, source) {
        await this.client(model).pushBlob({ path: source.absolute, digest: source.digest, size: source.size });
    }
    async getBlob(model, digest, target) {
        const client = this.client(model);
        const pulled = await client.tryPullBlobToFile(digest, target);
        return pulled && { ...pulled, source: `${client.name}@${digest}` };
    }
    async readAliases(model) {
        const client = this.client(model);
        const tags = await client.listTags();
        const byDigest = await versionDigests(client, tags);
        const result = {};
        for (const tag of tags) {
            if (VERSION_TAG.test(tag) || tag === ALIAS_HISTORY_TAG)
                continue;
            const digest = await client.headManifest(tag);
            const version = digest === null ? undefined : byDigest.get(digest);
            if (version !== undefined)
                result[tag] = version;
        }
        return result;
    }
    async readHistory(model) {
        const client = this.client(model);
        if ((await client.headManifest(ALIAS_HISTORY_TAG)) === null)
            return [];
        const fetched = await client.getManifest(ALIAS_HISTORY_TAG);
        const config = fetched.manifest.config;
        if (typeof config?.digest !== 'string') {
            throw new errors/* UserError */.y(`${client.name}:${ALIAS_HISTORY_TAG} is not an alias history`, `The tag ${ALIAS_HISTORY_TAG} is kept by this tool; delete it or point it back at the history manifest.`);
        }
        let parsed;
        try {
            parsed = JSON.parse((await client.getBlob(config.digest)).toString('utf8'));
        }
        catch (error) {
            if (error instanceof errors/* UserError */.y)
                throw error;
            parsed = null;
        }
        if (!Array.isArray(parsed)) {
            throw new errors/* UserError */.y(`the alias history of ${client.name} is not a JSON list`, `The tag ${ALIAS_HISTORY_TAG} is kept by this tool; delete it to start a new history.`);
        }
        const events = [];
        for (const raw of parsed) {
            if (typeof raw?.alias !== 'string' || typeof raw.at !== 'string')
                continue;
            events.push({
                alias: raw.alias,
                version: typeof raw.version === 'number' ? raw.version : null,
                previous: typeof raw.previous === 'number' ? raw.previous : null,
                at: raw.at,
            });
        }
        return events;
    }
    /** Checks where the tag points, moves it (to the version's manifest bytes, or to the unset manifest), then appends to the history. */
    async compareAndSwapAlias(model, change) {
        const client = this.client(model);
        const current = await aliasVersion(client, change.alias);
        if (current !== change.previous)
            return { swapped: false, current };
        if (change.version !== null) {
            const fetched = await client.getManifest(`v${change.version}`);
            await client.putManifest(change.alias, fetched.bytes, fetched.mediaType);
        }
        else {
            const empty = await client.pushBlob(EMPTY_BLOB);
            const unset = buildManifest({
                artifactType: ALIAS_UNSET_ARTIFACT_TYPE,
                config: { digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE },
                layers: [{ digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE }],
            });
            await client.putManifest(change.alias, unset);
        }
        await this.appendHistory(client, model, change);
        return { swapped: true };
    }
    // ---- internals ----
    client(model) {
        let client = this.clients.get(model);
        if (!client) {
            client = new OciClient({
                registry: this.options.registry,
                repository: this.repository(model),
                insecure: this.options.insecure,
                auth: this.options.auth ?? null,
            });
            this.clients.set(model, client);
        }
        return client;
    }
    uri(model, digest) {
        return `oci://${this.registry}/${this.repository(model)}@${digest}`;
    }
    /** Reads the manifest tagged v`n` and its config, checked to describe `model` v`n`. */
    async readManifest(client, model, n) {
        const reference = `v${n}`;
        const fetched = await client.getManifest(reference);
        const manifest = fetched.manifest;
        const bad = (why) => new model_store/* ForeignVersionError */.D(`${client.name}@${reference} is not a model version registered by this tool: ${why}`, 'Versions are written only by register and never changed; re-tag or delete what was pushed by hand, or register the model again.');
        if (manifest.artifactType !== MODEL_ARTIFACT_TYPE || manifest.config?.mediaType !== MODEL_CONFIG_MEDIA_TYPE) {
            throw bad(`its artifactType is ${String(manifest.artifactType)}`);
        }
        if (typeof manifest.config.digest !== 'string')
            throw bad('its config has no digest');
        let config;
        try {
            config = JSON.parse((await client.getBlob(manifest.config.digest)).toString('utf8'));
        }
        catch (error) {
            if (error instanceof errors/* UserError */.y)
                throw error;
            throw bad('its config is not JSON');
        }
        if (config === null ||
            typeof config !== 'object' ||
            config.model !== model ||
            config.version !== n ||
            typeof config.createdAt !== 'string' ||
            !Array.isArray(config.files)) {
            throw bad(`its config does not describe ${model} v${n}`);
        }
        const record = {
            model,
            version: n,
            createdAt: config.createdAt,
            files: config.files,
            card: config.card ?? null,
            blessing: config.blessing ?? null,
        };
        return { record, digest: fetched.digest, uri: this.uri(model, fetched.digest) };
    }
    /** Read-modify-write of the alias-history tag (concurrent alias moves can lose an event: see the top). */
    async appendHistory(client, model, event) {
        const events = [...(await this.readHistory(model)), event];
        const config = await client.pushBlob(Buffer.from(JSON.stringify(events)));
        const empty = await client.pushBlob(EMPTY_BLOB);
        const manifest = buildManifest({
            artifactType: ALIAS_HISTORY_ARTIFACT_TYPE,
            config: { ...config, mediaType: ALIAS_HISTORY_ARTIFACT_TYPE },
            layers: [{ digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE }],
            annotations: { [CREATED_ANNOTATION]: event.at },
        });
        await client.putManifest(ALIAS_HISTORY_TAG, manifest);
    }
}
// ---- helpers ----
function oci_store_versionNumbers(tags) {
    const numbers = [];
    for (const tag of tags) {
        const match = VERSION_TAG.exec(tag);
        if (match && Number.isSafeInteger(Number(match[1])) && Number(match[1]) >= 1)
            numbers.push(Number(match[1]));
    }
    return numbers.sort((a, b) => a - b);
}
/** digest -> version number of every version tag among `tags`. */
async function versionDigests(client, tags) {
    const map = new Map();
    const numbers = oci_store_versionNumbers(tags);
    const digests = await Promise.all(numbers.map((n) => client.headManifest(`v${n}`)));
    numbers.forEach((n, i) => {
        const digest = digests[i];
        if (digest)
            map.set(digest, n);
    });
    return map;
}
/** The version an alias tag points at now, or null (absent, or unset). */
async function aliasVersion(client, alias) {
    const digest = await client.headManifest(alias);
    if (digest === null)
        return null;
    return (await versionDigests(client, await client.listTags())).get(digest) ?? null;
}
function sourceUrl(env) {
    if (!env.GITHUB_REPOSITORY)
        return null;
    return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`;
}
function cardCommit(card) {
    const git = card && typeof card === 'object' ? card.git : undefined;
    if (git && typeof git === 'object' && !Array.isArray(git)) {
        const commit = git.commit;
        if (typeof commit === 'string' && commit)
            return commit;
    }
    return null;
}
function oci_store_sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

;// CONCATENATED MODULE: ./src/adapters/registry.ts
/**
 * Opens the model registry a project names: `oci://host/namespace` (an OCI registry
 * such as ghcr.io: ghcr.io/<owner>) or a folder, from the `registry` input, else
 * registry.url or registry.path in mlops.yaml, else the workspace's `registry` folder.
 * OCI credentials: MLOPS_REGISTRY_TOKEN (any registry), else MLOPS_REGISTRY_USERNAME and
 * MLOPS_REGISTRY_PASSWORD, else, for ghcr.io only, the workflow token (the `token` input,
 * else GITHUB_TOKEN), which the client sends to https://ghcr.io and nowhere else;
 * anonymous without them. Credentials in the address (oci://user:password@host) are
 * refused, and never echoed.
 */







function openRegistry(config, workspace, secret, location, token) {
    // Checked at load against RegistrySettings (the register step's section of mlops.yaml).
    const settings = (config.config.registry ?? {});
    const input = location ?? '';
    const url = input.startsWith('oci://') ? input : !input && typeof settings.url === 'string' ? settings.url : null;
    if (url) {
        // OCI names never hold @, so any @ marks credentials (user:pass@host, even with a / in the password).
        if (url.includes('@')) {
            throw new errors/* UserError */.y(`registry "${redactUserinfo(url)}" carries credentials in its address, which would end up in logs`, 'Use oci://host/namespace and give the credentials as the secrets MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD (or MLOPS_REGISTRY_TOKEN).');
        }
        const match = /^oci:\/\/([^/]+)\/(.+?)\/?$/.exec(url);
        if (!match)
            throw new errors/* UserError */.y(`registry "${url}" is not of the form oci://host/namespace`, 'For GitHub: oci://ghcr.io/<owner>.');
        const auth = registryAuth(match[1], secret, token);
        const insecure = settings.insecure === true || secret('MLOPS_REGISTRY_INSECURE') === 'true';
        return new registry/* ModelRegistry */.zN(new OciStore({ registry: match[1], namespace: match[2], insecure, auth }));
    }
    const root = input
        ? workspace.path(input)
        : typeof settings.path === 'string'
            ? (0,config_config/* configPath */.eQ)(config, settings.path)
            : (0,external_node_path_.join)(config.baseDir, DEFAULT_LOCAL_REGISTRY);
    return new registry/* ModelRegistry */.zN(new FolderStore(root));
}
/**
 * The credentials for the OCI registry at `host`: MLOPS_REGISTRY_TOKEN (any registry), else
 * MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD, else for ghcr.io only the workflow
 * token (`token`, the `token` input, else GITHUB_TOKEN); null (anonymous) without them.
 */
function registryAuth(host, secret, token) {
    const registryToken = secret('MLOPS_REGISTRY_TOKEN');
    if (registryToken)
        return { token: registryToken };
    const username = secret('MLOPS_REGISTRY_USERNAME');
    const password = secret('MLOPS_REGISTRY_PASSWORD');
    if (username && password)
        return { username, password };
    // The workflow token is GitHub's: for ghcr.io only, and after the registry's own credentials.
    const workflowToken = host === GITHUB_REGISTRY ? token || secret('GITHUB_TOKEN') : undefined;
    return workflowToken ? { workflowToken } : null;
}
/** oci://***@host/namespace: everything up to the last @ (the credentials) left out. */
function redactUserinfo(url) {
    return `oci://***@${url.slice(url.lastIndexOf('@') + 1)}`;
}


/***/ }),

/***/ 33029:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ artifactName),
/* harmony export */   v: () => (/* binding */ actionsRuntimeAvailable)
/* harmony export */ });
/** Artifact names may not contain these (GitHub's rule), nor CR/LF. */
function artifactName(name) {
    return name.replace(/["':<>|*?\\/\r\n]/g, '-');
}
/** True when the runner gave this step the Actions runtime (node actions get it; `run:` steps do not). */
function actionsRuntimeAvailable(env = process.env) {
    return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL));
}


/***/ })

};
