/**
 * A local stand-in for GitHub's Actions results service: the Twirp JSON endpoints
 * that @actions/artifact (ArtifactService) and @actions/cache (cache service v2,
 * CacheService) call, on 127.0.0.1, with the blobs in Azurite, the Azure Storage
 * emulator, so uploads and downloads go through the clients' real code paths (the
 * Azure SDK's block uploads, the signed-URL downloads).
 *
 * Requests are checked against the services' protobuf messages as the JSON wire
 * format carries them (proto field names, snake_case; int64 as decimal strings;
 * wrapper types as bare values): an unknown field, a value of the wrong type, a
 * missing field the service needs, a runtime token that is not one of ours or IDs
 * that are not the token's are recorded in `violations` and answered with Twirp's
 * `invalid_argument` (400, which the clients do not retry), so a broken client fails
 * where it breaks. `assertClean()` fails a test with every violation.
 *
 * Semantics follow the service: an artifact name is unique within a workflow run,
 * only finalized artifacts are listed, finalize checks the uploaded blob's size and
 * digest; cache entries are immutable (a second CreateCacheEntry for a key and version
 * in the same scope is `already_exists`), visible once finalized, looked up by exact
 * key then by prefix, key first and then each restore key, newest first, within the
 * version and the scopes the token may read (the job's ref, then the default branch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const AZURITE_BLOB = join(ROOT, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');

/** Azurite's well-known development account (published in Azure's documentation). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const CONTAINER = 'actions-results';

const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService';
const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService';

/** Cache scope permissions in the token's `ac` claim: 1 read, 2 write, 3 both. */
const READ = 1;
const WRITE = 2;

// ---------------------------------------------------------------- wire schemas

/** A field of a protobuf message as proto3 JSON carries it. */
type FieldType =
  | 'string'
  | 'bool'
  | 'int32'
  | 'int64'
  | 'timestamp'
  | 'StringValue'
  | 'Int64Value'
  | 'repeated string'
  | { message: MessageSchema; repeated?: boolean };

interface MessageSchema {
  name: string;
  fields: Record<string, FieldType>;
}

const CACHE_SCOPE: MessageSchema = {
  name: 'github.actions.results.entities.v1.CacheScope',
  fields: { scope: 'string', permission: 'int64' },
};
const CACHE_METADATA: MessageSchema = {
  name: 'github.actions.results.entities.v1.CacheMetadata',
  fields: { repository_id: 'int64', scope: { message: CACHE_SCOPE, repeated: true } },
};

interface MethodSchema {
  request: MessageSchema;
  /** Fields the service needs although proto3 makes every field optional. */
  required: string[];
}

const BACKEND_IDS = { workflow_run_backend_id: 'string', workflow_job_run_backend_id: 'string' } as const;

const METHODS: Record<string, MethodSchema> = {
  [`${ARTIFACT_SERVICE}/CreateArtifact`]: {
    request: {
      name: 'CreateArtifactRequest',
      fields: { ...BACKEND_IDS, name: 'string', expires_at: 'timestamp', version: 'int32', mime_type: 'StringValue' },
    },
    required: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name', 'version'],
  },
  [`${ARTIFACT_SERVICE}/FinalizeArtifact`]: {
    request: { name: 'FinalizeArtifactRequest', fields: { ...BACKEND_IDS, name: 'string', size: 'int64', hash: 'StringValue' } },
    required: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name', 'size'],
  },
  [`${ARTIFACT_SERVICE}/ListArtifacts`]: {
    request: { name: 'ListArtifactsRequest', fields: { ...BACKEND_IDS, name_filter: 'StringValue', id_filter: 'Int64Value' } },
    required: ['workflow_run_backend_id', 'workflow_job_run_backend_id'],
  },
  [`${ARTIFACT_SERVICE}/GetSignedArtifactURL`]: {
    request: { name: 'GetSignedArtifactURLRequest', fields: { ...BACKEND_IDS, name: 'string' } },
    required: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name'],
  },
  [`${ARTIFACT_SERVICE}/DeleteArtifact`]: {
    request: { name: 'DeleteArtifactRequest', fields: { ...BACKEND_IDS, name: 'string' } },
    required: ['workflow_run_backend_id', 'workflow_job_run_backend_id', 'name'],
  },
  [`${CACHE_SERVICE}/CreateCacheEntry`]: {
    request: { name: 'CreateCacheEntryRequest', fields: { metadata: { message: CACHE_METADATA }, key: 'string', version: 'string' } },
    required: ['key', 'version'],
  },
  [`${CACHE_SERVICE}/FinalizeCacheEntryUpload`]: {
    request: {
      name: 'FinalizeCacheEntryUploadRequest',
      fields: { metadata: { message: CACHE_METADATA }, key: 'string', size_bytes: 'int64', version: 'string' },
    },
    required: ['key', 'size_bytes', 'version'],
  },
  [`${CACHE_SERVICE}/GetCacheEntryDownloadURL`]: {
    request: {
      name: 'GetCacheEntryDownloadURLRequest',
      fields: { metadata: { message: CACHE_METADATA }, key: 'string', restore_keys: 'repeated string', version: 'string' },
    },
    required: ['key', 'version'],
  },
};

const INT64 = /^-?\d+$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function isInt64(value: unknown): boolean {
  return (typeof value === 'string' && INT64.test(value)) || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** Every way `value` is not a proto3 JSON encoding of `schema`. */
function checkMessage(value: unknown, schema: MessageSchema, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected a JSON object (${schema.name})`];
  const problems: string[] = [];
  for (const [field, fieldValue] of Object.entries(value)) {
    const type = schema.fields[field];
    const path = at ? `${at}.${field}` : field;
    if (type === undefined) {
      problems.push(`${path}: unknown field of ${schema.name} (fields: ${Object.keys(schema.fields).join(', ')})`);
      continue;
    }
    problems.push(...checkField(fieldValue, type, path));
  }
  return problems;
}

function checkField(value: unknown, type: FieldType, path: string): string[] {
  if (typeof type === 'object') {
    if (!type.repeated) return checkMessage(value, type.message, path);
    if (!Array.isArray(value)) return [`${path}: expected an array of ${type.message.name}`];
    return value.flatMap((item, i) => checkMessage(item, type.message, `${path}[${i}]`));
  }
  const ok = ((): boolean => {
    switch (type) {
      case 'string':
      case 'StringValue':
        return typeof value === 'string';
      case 'bool':
        return typeof value === 'boolean';
      case 'int32':
        return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31;
      case 'int64':
      case 'Int64Value':
        return isInt64(value);
      case 'timestamp':
        return typeof value === 'string' && RFC3339.test(value);
      case 'repeated string':
        return Array.isArray(value) && value.every((item) => typeof item === 'string');
    }
  })();
  return ok ? [] : [`${path}: ${JSON.stringify(value)} is not a valid ${type}`];
}

// ---------------------------------------------------------------- state

export interface Violation {
  /** `Service/Method` (or the path when it is not one). */
  request: string;
  message: string;
}

export interface RecordedCall {
  service: string;
  method: string;
  body: unknown;
  status: number;
  /** The Twirp error code when the answer was an error. */
  error?: string;
}

export interface StoredArtifact {
  id: number;
  name: string;
  runBackendId: string;
  jobBackendId: string;
  /** The workflow run label given to `env()`. */
  run: string;
  /** The job label given to `env()`. */
  job: string;
  mimeType?: string;
  expiresAt?: string;
  finalized: boolean;
  size?: number;
  digest?: string;
  createdAt: Date;
  blob: string;
}

export interface StoredCacheEntry {
  id: number;
  key: string;
  version: string;
  /** The ref the entry was saved from (its cache scope). */
  scope: string;
  finalized: boolean;
  size?: number;
  createdAt: Date;
  blob: string;
}

export interface JobEnvOptions {
  /** A label for the workflow run: jobs of one run share artifacts; another run sees none of them. Default "run-1". */
  run?: string;
  /** A label for the job within the run. Default "job-1". */
  job?: string;
  /** The ref the job runs on: its cache scope (written and read). Default refs/heads/main. */
  ref?: string;
}

interface Identity {
  runBackendId: string;
  jobBackendId: string;
  /** Cache scopes by ref with their permission bits, in lookup order. */
  scopes: { scope: string; permission: number }[];
}

class TwirpError extends Error {
  constructor(
    readonly code: 'invalid_argument' | 'unauthenticated' | 'not_found' | 'already_exists' | 'failed_precondition' | 'internal',
    message: string,
    /** True when the request itself broke the contract (recorded as a violation). */
    readonly violation = false,
  ) {
    super(message);
  }
  get status(): number {
    return { invalid_argument: 400, unauthenticated: 401, not_found: 404, already_exists: 409, failed_precondition: 412, internal: 500 }[
      this.code
    ];
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------- the service

export class ResultsService {
  /** The service's root URL (what ACTIONS_RESULTS_URL is set to). */
  readonly url: string;
  readonly violations: Violation[] = [];
  readonly calls: RecordedCall[] = [];

  private readonly secret = randomBytes(32);
  private readonly runIds = new Map<string, string>();
  private readonly jobIds = new Map<string, string>();
  private readonly storedArtifacts: StoredArtifact[] = [];
  private readonly entries: StoredCacheEntry[] = [];
  private nextArtifactId = 1001;
  private nextEntryId = 5001;

  private constructor(
    private readonly server: Server,
    private readonly azurite: ChildProcess,
    private readonly folder: string,
    /** Azurite's blob endpoint for the dev account, http://127.0.0.1:PORT/devstoreaccount1. */
    readonly blobEndpoint: string,
    private readonly container: ContainerClient,
    private readonly credential: StorageSharedKeyCredential,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Starts Azurite (in a temporary folder, on a free loopback port) and the service on 127.0.0.1. */
  static async start(): Promise<ResultsService> {
    const folder = await mkdtemp(join(tmpdir(), 'results-service-'));
    let azurite: ChildProcess | undefined;
    try {
      azurite = spawn(
        process.execPath,
        [
          AZURITE_BLOB,
          '--blobHost',
          '127.0.0.1',
          '--blobPort',
          '0',
          '--location',
          folder,
          '--silent',
          '--skipApiVersionCheck',
          '--loose',
          '--disableTelemetry',
          '--disableProductStyleUrl',
        ],
        { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AZURITE_ACCOUNTS: '' } },
      );
      const port = await azuritePort(azurite);
      const blobEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
      const credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_KEY);
      const container = new BlobServiceClient(blobEndpoint, credential).getContainerClient(CONTAINER);
      await container.create();
      const server = createServer();
      await new Promise<void>((done, fail) => {
        server.once('error', fail);
        server.listen(0, '127.0.0.1', () => done());
      });
      const service = new ResultsService(server, azurite, folder, blobEndpoint, container, credential);
      server.on('request', (req: IncomingMessage, res: ServerResponse) => void service.handle(req, res));
      return service;
    } catch (error) {
      if (azurite) await stopProcess(azurite);
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops the service and Azurite and removes Azurite's folder. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
    await stopProcess(this.azurite);
    await rm(this.folder, { recursive: true, force: true });
  }

  /**
   * The variables the runner gives a JavaScript action's step for the Actions runtime:
   * a runtime token for this run and job, the results service URL, and cache service v2.
   */
  env(options: JobEnvOptions = {}): Record<string, string> {
    const run = options.run ?? 'run-1';
    const job = options.job ?? 'job-1';
    const ref = options.ref ?? 'refs/heads/main';
    const runId = this.idFor(this.runIds, run);
    const jobId = this.idFor(this.jobIds, `${run}\u0000${job}`);
    const scopes = [{ Scope: ref, Permission: READ | WRITE }];
    if (ref !== 'refs/heads/main') scopes.push({ Scope: 'refs/heads/main', Permission: READ });
    const now = Math.floor(Date.now() / 1000);
    const token = this.sign({
      scp: `Actions.ExampleScope Actions.Results:${runId}:${jobId}`,
      ac: JSON.stringify(scopes),
      iss: 'vstoken.actions.githubusercontent.com',
      aud: 'vso:results-service',
      nbf: now - 60,
      iat: now,
      exp: now + 6 * 3600,
    });
    return { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: `${this.url}/`, ACTIONS_CACHE_SERVICE_V2: 'True' };
  }

  /** Artifacts (finalized or not), oldest first; only those of one run label when given. */
  artifacts(run?: string): StoredArtifact[] {
    return this.storedArtifacts.filter((a) => run === undefined || a.run === run).map((a) => ({ ...a }));
  }

  /** Cache entries (finalized or not), oldest first. */
  cacheEntries(): StoredCacheEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** The bytes of a stored blob (an artifact's zip, a cache entry's archive). */
  async readBlob(blob: string): Promise<Buffer> {
    return this.container.getBlockBlobClient(blob).downloadToBuffer();
  }

  /** Throws with every recorded violation, when there is any. */
  assertClean(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `- ${v.request}: ${v.message}`);
    throw new Error(`The results service saw ${this.violations.length} violation(s) of its contract:\n${lines.join('\n')}`);
  }

  // ------------------------------------------------------------ requests

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const match = /^\/twirp\/([\w.]+)\/(\w+)$/.exec(url.pathname);
    const label = match ? `${match[1]}/${match[2]}` : `${req.method} ${url.pathname}`;
    const call: RecordedCall = { service: match?.[1] ?? '', method: match?.[2] ?? '', body: undefined, status: 0 };
    this.calls.push(call);
    const send = (status: number, body: unknown): void => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const raw = await readBody(req);
      if (req.method !== 'POST') throw new TwirpError('invalid_argument', `Twirp routes take POST, not ${req.method}`, true);
      const schema = METHODS[label];
      if (!match || !schema) throw new TwirpError('invalid_argument', `no such Twirp method: ${url.pathname}`, true);
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (type !== 'application/json')
        throw new TwirpError('invalid_argument', `content-type ${JSON.stringify(type)}: this service speaks Twirp JSON`, true);
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw new TwirpError('invalid_argument', `the body is not JSON: ${raw.slice(0, 200)}`, true);
      }
      call.body = body;
      const identity = this.authenticate(req);
      const problems = checkMessage(body, schema.request, '');
      const fields = body as Record<string, unknown>;
      for (const field of schema.required) {
        if (fields[field] === undefined || fields[field] === '') problems.push(`${field}: missing (the service needs it)`);
      }
      if (problems.length > 0) throw new TwirpError('invalid_argument', problems.join('; '), true);
      send(200, await this.route(match[2]!, fields, identity));
    } catch (error) {
      const twirp = error instanceof TwirpError ? error : new TwirpError('internal', `results service failed: ${String(error)}`, true);
      if (twirp.violation) this.violations.push({ request: label, message: twirp.message });
      call.error = twirp.code;
      send(twirp.status, { code: twirp.code, msg: twirp.message });
    }
  }

  private route(method: string, body: Record<string, unknown>, identity: Identity): Promise<object> {
    switch (method) {
      case 'CreateArtifact':
        return this.createArtifact(body, identity);
      case 'FinalizeArtifact':
        return this.finalizeArtifact(body, identity);
      case 'ListArtifacts':
        return this.listArtifacts(body, identity);
      case 'GetSignedArtifactURL':
        return this.signedArtifactUrl(body, identity);
      case 'DeleteArtifact':
        return this.deleteArtifact(body, identity);
      case 'CreateCacheEntry':
        return this.createCacheEntry(body, identity);
      case 'FinalizeCacheEntryUpload':
        return this.finalizeCacheEntry(body, identity);
      case 'GetCacheEntryDownloadURL':
        return this.cacheDownloadUrl(body, identity);
      default:
        throw new TwirpError('invalid_argument', `no such method ${method}`, true);
    }
  }

  // ------------------------------------------------------------ artifacts

  private async createArtifact(body: Record<string, unknown>, who: Identity): Promise<object> {
    this.checkIds(body, who);
    const name = String(body.name);
    const problem = artifactNameProblem(name);
    if (problem) throw new TwirpError('invalid_argument', problem, true);
    if (body.version !== 7)
      throw new TwirpError('invalid_argument', `version ${String(body.version)}: this service speaks artifact version 7`, true);
    const existing = this.storedArtifacts.find((a) => a.runBackendId === who.runBackendId && a.name === name);
    if (existing?.finalized) {
      throw new TwirpError('already_exists', `an artifact with this name already exists on the workflow run: ${name}`);
    }
    const artifact: StoredArtifact = existing ?? {
      id: this.nextArtifactId++,
      name,
      runBackendId: who.runBackendId,
      jobBackendId: who.jobBackendId,
      run: this.labelOf(this.runIds, who.runBackendId),
      job: this.labelOf(this.jobIds, who.jobBackendId).split('\u0000')[1] ?? '',
      finalized: false,
      createdAt: new Date(),
      blob: `artifacts/${who.runBackendId}/${randomUUID()}.zip`,
    };
    artifact.mimeType = typeof body.mime_type === 'string' ? body.mime_type : undefined;
    artifact.expiresAt = typeof body.expires_at === 'string' ? body.expires_at : undefined;
    if (!existing) this.storedArtifacts.push(artifact);
    return { ok: true, signed_upload_url: this.sas(artifact.blob, 'cw') };
  }

  private async finalizeArtifact(body: Record<string, unknown>, who: Identity): Promise<object> {
    this.checkIds(body, who);
    const name = String(body.name);
    const artifact = this.storedArtifacts.find((a) => a.runBackendId === who.runBackendId && a.name === name && !a.finalized);
    if (!artifact) throw new TwirpError('not_found', `no artifact ${name} being uploaded in this workflow run`, true);
    const blob = await this.blobOrNull(artifact.blob);
    if (!blob) throw new TwirpError('failed_precondition', `artifact ${name}: nothing was uploaded to its signed URL`, true);
    const size = Number(body.size);
    if (size !== blob.length)
      throw new TwirpError('invalid_argument', `artifact ${name}: size ${size} but the blob holds ${blob.length} bytes`, true);
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    if (body.hash !== undefined && body.hash !== digest) {
      throw new TwirpError('invalid_argument', `artifact ${name}: hash ${String(body.hash)} but the blob's is ${digest}`, true);
    }
    Object.assign(artifact, { finalized: true, size, digest });
    return { ok: true, artifact_id: String(artifact.id) };
  }

  private async listArtifacts(body: Record<string, unknown>, who: Identity): Promise<object> {
    this.checkIds(body, who);
    const listed = this.storedArtifacts.filter(
      (a) =>
        a.finalized &&
        a.runBackendId === who.runBackendId &&
        (body.name_filter === undefined || a.name === body.name_filter) &&
        (body.id_filter === undefined || String(a.id) === String(body.id_filter)),
    );
    return {
      artifacts: listed.map((a) => ({
        workflow_run_backend_id: a.runBackendId,
        workflow_job_run_backend_id: a.jobBackendId,
        database_id: String(a.id),
        name: a.name,
        size: String(a.size ?? 0),
        created_at: a.createdAt.toISOString(),
        ...(a.digest ? { digest: a.digest } : {}),
      })),
    };
  }

  private async signedArtifactUrl(body: Record<string, unknown>, who: Identity): Promise<object> {
    const artifact = this.findArtifact(body, who);
    return { signed_url: this.sas(artifact.blob, 'r') };
  }

  private async deleteArtifact(body: Record<string, unknown>, who: Identity): Promise<object> {
    const artifact = this.findArtifact(body, who);
    this.storedArtifacts.splice(this.storedArtifacts.indexOf(artifact), 1);
    await this.container.getBlockBlobClient(artifact.blob).deleteIfExists();
    return { ok: true, artifact_id: String(artifact.id) };
  }

  private findArtifact(body: Record<string, unknown>, who: Identity): StoredArtifact {
    // Artifacts are readable by every job of their run: the IDs in the request name the artifact's job.
    if (body.workflow_run_backend_id !== who.runBackendId) {
      throw new TwirpError(
        'invalid_argument',
        `workflow_run_backend_id ${String(body.workflow_run_backend_id)} is not the token's run`,
        true,
      );
    }
    const artifact = this.storedArtifacts.find(
      (a) =>
        a.finalized && a.runBackendId === who.runBackendId && a.jobBackendId === body.workflow_job_run_backend_id && a.name === body.name,
    );
    if (!artifact) throw new TwirpError('not_found', `artifact ${String(body.name)} not found`);
    return artifact;
  }

  // ------------------------------------------------------------ cache

  private async createCacheEntry(body: Record<string, unknown>, who: Identity): Promise<object> {
    const { key, version } = this.cacheKey(body);
    const scope = who.scopes.find((s) => s.permission & WRITE)?.scope;
    if (!scope) throw new TwirpError('invalid_argument', 'the token may not write to any cache scope', true);
    if (this.entries.some((e) => e.key === key && e.version === version && e.scope === scope)) {
      throw new TwirpError('already_exists', `cache entry with the same key, version, and scope already exists: ${key}`);
    }
    const entry: StoredCacheEntry = {
      id: this.nextEntryId++,
      key,
      version,
      scope,
      finalized: false,
      createdAt: new Date(),
      blob: `caches/${randomUUID()}.tar`,
    };
    this.entries.push(entry);
    return { ok: true, signed_upload_url: this.sas(entry.blob, 'cw'), message: '' };
  }

  private async finalizeCacheEntry(body: Record<string, unknown>, who: Identity): Promise<object> {
    const { key, version } = this.cacheKey(body);
    const scope = who.scopes.find((s) => s.permission & WRITE)?.scope;
    const entry = this.entries.find((e) => e.key === key && e.version === version && e.scope === scope && !e.finalized);
    if (!entry) throw new TwirpError('not_found', `no cache entry ${key} being uploaded`, true);
    const blob = await this.blobOrNull(entry.blob);
    if (!blob) throw new TwirpError('failed_precondition', `cache entry ${key}: nothing was uploaded to its signed URL`, true);
    const size = Number(body.size_bytes);
    if (size !== blob.length)
      throw new TwirpError('invalid_argument', `cache entry ${key}: size_bytes ${size} but the blob holds ${blob.length} bytes`, true);
    Object.assign(entry, { finalized: true, size });
    return { ok: true, entry_id: String(entry.id), message: '' };
  }

  private async cacheDownloadUrl(body: Record<string, unknown>, who: Identity): Promise<object> {
    const { key, version } = this.cacheKey(body);
    const restoreKeys = (body.restore_keys as string[] | undefined) ?? [];
    for (const restoreKey of restoreKeys) this.checkCacheKey(restoreKey);
    const readable = who.scopes.filter((s) => s.permission & READ).map((s) => s.scope);
    const found = lookup(this.entries, [key, ...restoreKeys], version, readable);
    if (!found) return { ok: false, signed_download_url: '', matched_key: '' };
    return { ok: true, signed_download_url: this.sas(found.blob, 'r'), matched_key: found.key };
  }

  private cacheKey(body: Record<string, unknown>): { key: string; version: string } {
    const key = String(body.key);
    const version = String(body.version);
    this.checkCacheKey(key);
    if (!/^[0-9a-f]{64}$/.test(version))
      throw new TwirpError('invalid_argument', `version ${JSON.stringify(version)} is not a SHA-256 in hex`, true);
    return { key, version };
  }

  private checkCacheKey(key: string): void {
    if (key.length > 512) throw new TwirpError('invalid_argument', `cache key longer than 512 characters: ${key.slice(0, 40)}...`, true);
    if (key.includes(',')) throw new TwirpError('invalid_argument', `cache key with a comma: ${key}`, true);
  }

  // ------------------------------------------------------------ helpers

  private checkIds(body: Record<string, unknown>, who: Identity): void {
    if (body.workflow_run_backend_id !== who.runBackendId || body.workflow_job_run_backend_id !== who.jobBackendId) {
      throw new TwirpError(
        'invalid_argument',
        `backend IDs ${String(body.workflow_run_backend_id)}:${String(body.workflow_job_run_backend_id)} are not the runtime token's ${who.runBackendId}:${who.jobBackendId}`,
        true,
      );
    }
  }

  private authenticate(req: IncomingMessage): Identity {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) throw new TwirpError('unauthenticated', 'no bearer runtime token', true);
    const [header, payload, signature] = match[1]!.split('.');
    const expected = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature ?? '', 'base64url');
    if (!header || !payload || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new TwirpError('unauthenticated', 'the runtime token was not issued by this service', true);
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp: string; ac: string; exp: number };
    if (claims.exp * 1000 < Date.now()) throw new TwirpError('unauthenticated', 'the runtime token has expired', true);
    const results = claims.scp.split(' ').find((s) => s.startsWith('Actions.Results:'));
    const [, runBackendId, jobBackendId] = (results ?? '').split(':');
    const scopes = (JSON.parse(claims.ac) as { Scope: string; Permission: number }[]).map((s) => ({
      scope: s.Scope,
      permission: s.Permission,
    }));
    return { runBackendId: runBackendId!, jobBackendId: jobBackendId!, scopes };
  }

  private sign(claims: object): string {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  private sas(blob: string, permissions: string): string {
    const query = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName: blob,
        permissions: BlobSASPermissions.parse(permissions),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + 3600_000),
        protocol: SASProtocol.HttpsAndHttp,
      },
      this.credential,
    );
    return `${this.container.getBlockBlobClient(blob).url}?${query.toString()}`;
  }

  private async blobOrNull(blob: string): Promise<Buffer | null> {
    const client = this.container.getBlockBlobClient(blob);
    if (!(await client.exists())) return null;
    return client.downloadToBuffer();
  }

  private idFor(ids: Map<string, string>, label: string): string {
    let id = ids.get(label);
    if (!id) ids.set(label, (id = randomUUID()));
    return id;
  }

  private labelOf(ids: Map<string, string>, id: string): string {
    for (const [label, value] of ids) if (value === id) return label;
    return '';
  }
}

/** GitHub's artifact name rule: no `" : < > | * ? \ /` and no CR/LF; not empty. */
export function artifactNameProblem(name: string): string | null {
  if (name.trim() === '') return 'artifact name is empty';
  const bad = [...name].filter((c) => '":<>|*?\\/\r\n'.includes(c));
  return bad.length > 0 ? `artifact name ${JSON.stringify(name)} contains ${JSON.stringify(bad.join(''))}` : null;
}

/** The cache service's lookup: for each key in order, an exact match, then the newest prefix match; scopes in order. */
function lookup(entries: StoredCacheEntry[], keys: string[], version: string, scopes: string[]): StoredCacheEntry | undefined {
  for (const scope of scopes) {
    const candidates = entries.filter((e) => e.finalized && e.version === version && e.scope === scope);
    for (const key of keys) {
      const exact = candidates.find((e) => e.key === key);
      if (exact) return exact;
      const prefixed = candidates
        .filter((e) => e.key.startsWith(key))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
      if (prefixed[0]) return prefixed[0];
    }
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** Waits for Azurite's "successfully listens on http://127.0.0.1:PORT" line. */
function azuritePort(child: ChildProcess): Promise<number> {
  return new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listens on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Azurite exited with ${code} before listening:\n${output}`));
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timeout = sleep(5000).then(() => 'timeout' as const);
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
