/**
 * A real OCI registry for tests: Debian's `docker-registry` (the CNCF distribution
 * registry) serving a temporary folder on 127.0.0.1, optionally behind htpasswd basic
 * auth. `OciRegistry.start()` returns null when the binary is not installed, and
 * `registryUnavailable()` says why, so a suite can be skipped with the reason in its title.
 *
 * `BearerProxy` puts a token service in front of such a registry: the bearer
 * challenge flow (as ghcr.io and Docker Hub answer) and tag list pagination (which this
 * registry version does not do), both as the distribution spec describes them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const INSTALL_HINT = 'apt-get install -y docker-registry apache2-utils';

/** The first executable called `name` on PATH or in the usual folders, else null. */
function findExecutable(name: string): string | null {
  const folders = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'];
  for (const folder of folders) {
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Why a registry (with htpasswd auth when `auth`) cannot be started here, or null when it can.
 * On CI (CI=true) a missing registry is not a reason to skip: it throws, and the run fails.
 */
export function registryUnavailable(options: { auth?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): string | null {
  let why: string | null = null;
  if (!findExecutable('docker-registry')) why = `docker-registry is not installed (enable with: ${INSTALL_HINT})`;
  else if (options.auth && !findExecutable('htpasswd'))
    why = `htpasswd is not installed, needed for basic auth (enable with: ${INSTALL_HINT})`;
  if (why && env.CI === 'true') throw new Error(`CI must run the OCI registry tests, but ${why}`);
  return why;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface OciRegistryOptions {
  /** Basic auth through an htpasswd file (bcrypt, made with `htpasswd -Bbn`). */
  auth?: { username: string; password: string };
}

/** A running `docker-registry serve` on 127.0.0.1 with its own temporary storage. */
export class OciRegistry {
  private output = '';

  private constructor(
    /** 127.0.0.1:<port> */
    readonly host: string,
    /** The registry's storage root (the filesystem driver's rootdirectory). */
    readonly storage: string,
    private readonly folder: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts a registry, or returns null when docker-registry (or htpasswd, for auth) is not installed. */
  static async start(options: OciRegistryOptions = {}): Promise<OciRegistry | null> {
    const binary = findExecutable('docker-registry');
    const htpasswd = options.auth ? findExecutable('htpasswd') : null;
    if (!binary || (options.auth && !htpasswd)) return null;
    const folder = await mkdtemp(join(tmpdir(), 'oci-registry-'));
    try {
      let authSection = '';
      if (options.auth) {
        const line = execFileSync(htpasswd!, ['-Bbn', options.auth.username, options.auth.password], { encoding: 'utf8' });
        await writeFile(join(folder, 'htpasswd'), line.trim() + '\n');
        authSection = ['auth:', '  htpasswd:', '    realm: mlops-test', `    path: ${JSON.stringify(join(folder, 'htpasswd'))}`].join('\n');
      }
      // A free port can be taken between finding it and the registry binding it: try a few.
      for (let attempt = 0; ; attempt++) {
        const port = await freePort();
        const config = [
          'version: 0.1',
          'log:',
          '  level: error',
          '  accesslog:',
          '    disabled: true',
          'storage:',
          '  filesystem:',
          `    rootdirectory: ${JSON.stringify(join(folder, 'storage'))}`,
          '  delete:',
          '    enabled: true',
          'http:',
          `  addr: 127.0.0.1:${port}`,
          `  secret: ${randomBytes(16).toString('hex')}`,
          authSection,
        ].join('\n');
        await writeFile(join(folder, 'config.yml'), config + '\n');
        // REGISTRY_* variables override the configuration file: leave them out.
        const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('REGISTRY_')));
        const child = spawn(binary, ['serve', join(folder, 'config.yml')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const registry = new OciRegistry(`127.0.0.1:${port}`, join(folder, 'storage'), folder, child);
        child.stdout!.on('data', (chunk: Buffer) => registry.record(chunk));
        child.stderr!.on('data', (chunk: Buffer) => registry.record(chunk));
        if (await registry.ready()) return registry;
        await registry.kill();
        if (attempt >= 4) throw new Error(`docker-registry did not start:\n${registry.output}`);
      }
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  private record(chunk: Buffer): void {
    this.output = (this.output + chunk.toString('utf8')).slice(-8000);
  }

  /** Waits until GET /v2/ answers (any status: 401 with auth); false when the process exits first. */
  private async ready(): Promise<boolean> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return false;
      try {
        const res = await fetch(`http://${this.host}/v2/`);
        await res.body?.cancel();
        return true;
      } catch {
        await sleep(50);
      }
    }
    return false;
  }

  private async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** Where the registry keeps a blob's bytes. */
  blobDataPath(digest: string): string {
    const hex = digest.replace(/^sha256:/, '');
    return join(this.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  }

  /** What the registry printed (errors only), for failing tests. */
  get log(): string {
    return this.output;
  }

  /** Stops the registry and deletes its storage. */
  async stop(): Promise<void> {
    await this.kill();
    await rm(this.folder, { recursive: true, force: true });
  }
}

export interface BearerProxyOptions {
  /** Accepted credentials at the token service: username -> password and what it may do. */
  users?: Record<string, { password: string; push: boolean }>;
  /** Tokens accepted as the password with any username, as ghcr.io takes GITHUB_TOKEN. */
  tokens?: Record<string, { push: boolean }>;
  /** Answer tag lists in pages of `n` with a Link header (the registry behind ignores `n`). */
  paginateTags?: boolean;
  /** The token service the challenge names (default: this proxy's own /token): another origin's, to test where credentials go. */
  realm?: string;
  /** Errors to answer instead of the registry: the next `times` requests of `method` whose path matches (after `before`, if any). */
  faults?: ProxyFault[];
}

/** An error answer the proxy gives in the registry's place (BearerProxyOptions.faults). */
export interface ProxyFault {
  method: string;
  path: RegExp;
  status: number;
  code: string;
  message: string;
  times: number;
  /** Run before answering (say, a competing writer's request to the registry). */
  before?: () => Promise<void>;
}

/**
 * A token service and a reverse proxy in front of an anonymous registry: /v2/ requests
 * without a valid bearer token get a 401 with `WWW-Authenticate: Bearer realm=...,
 * service=...,scope=...`; GET /token checks basic credentials and hands out a token for
 * the scope. A valid token without the scope a request needs gets a 403 DENIED, as ghcr.io answers.
 */
export class BearerProxy {
  readonly service = 'mlops-test-registry';
  /** Every request: "GET /token repository:m/x:pull", "HEAD /v2/m/x/blobs/... 200". */
  readonly requests: string[] = [];
  private readonly tokens = new Map<string, Set<string>>();

  private constructor(
    private readonly server: Server,
    private readonly upstream: string,
    private readonly options: BearerProxyOptions,
  ) {}

  static async start(upstream: string, options: BearerProxyOptions): Promise<BearerProxy> {
    const server = createServer();
    const proxy = new BearerProxy(server, upstream, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      proxy.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** 127.0.0.1:<port> */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The Authorization header of every token request (null when none was sent), in order. */
  readonly tokenAuthorizations: (string | null)[] = [];

  /** The token requests made so far. */
  get tokenRequests(): string[] {
    return this.requests.filter((r) => r.startsWith('GET /token'));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    if (url.pathname === '/token') return this.token(req, res, url);

    // What the request needs: pull for reads, pull and push for writes.
    const name = url.pathname.match(/^\/v2\/(.+?)\/(?:blobs|manifests|tags)\//)?.[1];
    const needed = name ? `repository:${name}:${req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'pull,push'}` : null;
    const token = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const granted = token ? this.tokens.get(token) : undefined;
    if (!granted) {
      this.requests.push(`${req.method} ${url.pathname} 401`);
      const scope = needed ? `,scope="${needed}"` : '';
      const errors = { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] };
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer realm="${this.options.realm ?? `http://${this.host}/token`}",service="${this.service}"${scope}`,
      });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(errors));
      req.resume();
      return;
    }
    if (
      needed &&
      !needed
        .split(':')[2]!
        .split(',')
        .every((action) => granted.has(`${name}:${action}`))
    ) {
      this.requests.push(`${req.method} ${url.pathname} 403`);
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        req.method === 'HEAD'
          ? undefined
          : JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }),
      );
      req.resume();
      return;
    }
    const fault = this.options.faults?.find((f) => f.times > 0 && f.method === req.method && f.path.test(url.pathname));
    if (fault) {
      fault.times--;
      req.resume();
      await fault.before?.();
      this.requests.push(`${req.method} ${url.pathname} ${fault.status} (injected)`);
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: fault.code, message: fault.message }] }));
      return;
    }
    if (this.options.paginateTags && req.method === 'GET' && url.pathname.endsWith('/tags/list')) return this.tagPage(res, url, name!);
    await this.forward(req, res, url);
  }

  /** GET /token?service=...&scope=repository:<name>:pull,push with basic credentials (or none: an anonymous token for pull). */
  private token(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const scope = url.searchParams.get('scope') ?? '';
    this.requests.push(`GET /token ${scope}`);
    this.tokenAuthorizations.push(req.headers.authorization ?? null);
    const basic = req.headers.authorization?.match(/^Basic (.+)$/)?.[1];
    const [username, password] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s) : [];
    const named = username !== undefined ? this.options.users?.[username] : undefined;
    const user = named?.password === password ? named : password !== undefined ? this.options.tokens?.[password] : undefined;
    if (!user || url.searchParams.get('service') !== this.service) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
      return;
    }
    const grants = new Set<string>();
    const [, name, actions] = scope.split(':');
    for (const action of (actions ?? '').split(','))
      if (action === 'pull' || (action === 'push' && user.push)) grants.add(`${name}:${action}`);
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, grants);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  }

  /** Pages of the upstream tag list, as the distribution spec pages: sorted, `n` and `last`, a Link to the next page. */
  private async tagPage(res: ServerResponse, url: URL, name: string): Promise<void> {
    const upstream = await fetch(`http://${this.upstream}/v2/${name}/tags/list`);
    const all = (((await upstream.json()) as { tags?: string[] }).tags ?? []).sort();
    const n = Number(url.searchParams.get('n') ?? all.length) || all.length;
    const last = url.searchParams.get('last');
    const rest = last ? all.filter((tag) => tag > last) : all;
    const page = rest.slice(0, n);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (rest.length > n) headers.link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(page[page.length - 1]!)}>; rel="next"`;
    this.requests.push(`GET ${url.pathname}${url.search} 200`);
    res.writeHead(200, headers).end(JSON.stringify({ name, tags: page }));
  }

  /** Passes the request to the registry (keeping the Host header, so upload Locations point at the proxy). */
  private async forward(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const headers = { ...req.headers };
    delete headers.authorization;
    const [hostname, port] = this.upstream.split(':');
    await new Promise<void>((resolve, reject) => {
      const upstream = httpRequest(
        { hostname, port: Number(port), method: req.method, path: `${url.pathname}${url.search}`, headers },
        (answer) => {
          this.requests.push(`${req.method} ${url.pathname} ${answer.statusCode}`);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res).on('finish', resolve).on('error', reject);
        },
      );
      upstream.on('error', reject);
      req.pipe(upstream);
    });
  }
}
