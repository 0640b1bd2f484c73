/**
 * What deploy says to a serving endpoint over HTTP: a signed reload webhook (any
 * server, or `mlops serve`), and the admin API of `mlops serve` for canaries.
 * The webhook is signed (serve/auth.ts): `X-Mlops-Timestamp: <unix seconds>` and
 * `X-Mlops-Signature-256: sha256=<HMAC-SHA256 of "<timestamp>.<raw body>" with the shared secret>`.
 */
import { UserError } from '../errors.js';
import { signReload } from '../serve/auth.js';
import type { VersionStats } from './canary.js';

const TIMEOUT_MS = 120_000;

export interface ServedVersion {
  version: number | null;
  digest: string | null;
}

export interface ServerStatus {
  stable: ServedVersion | null;
  candidate: ServedVersion | null;
  weight: number;
  stats: Record<string, VersionStats>;
}

export class ServeClient {
  constructor(
    /** The server's root, e.g. http://127.0.0.1:8501. */
    readonly url: string,
    private readonly secret: string,
  ) {}

  /** POSTs the release to the reload webhook, signed; any 2xx is success. */
  async reload(payload: Record<string, unknown>, path = '/admin/reload'): Promise<unknown> {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.secret) Object.assign(headers, signReload(body, this.secret));
    return this.send('POST', path, body, headers);
  }

  async status(): Promise<ServerStatus> {
    const raw = (await this.admin('GET', '/admin/status')) as Record<string, unknown>;
    const served = (v: unknown): ServedVersion | null =>
      v && typeof v === 'object'
        ? {
            version: typeof (v as { version?: unknown }).version === 'number' ? (v as { version: number }).version : null,
            digest: typeof (v as { digest?: unknown }).digest === 'string' ? (v as { digest: string }).digest : null,
          }
        : null;
    const stats: Record<string, VersionStats> = {};
    for (const [version, s] of Object.entries((raw.stats ?? {}) as Record<string, Record<string, unknown>>)) {
      const latency = (s.latency_ms ?? {}) as Record<string, unknown>;
      const predicted = (s.predictions ?? {}) as { classes?: unknown; mean?: unknown; std?: unknown };
      const classes = predicted.classes;
      stats[version] = {
        requests: Number(s.requests ?? 0),
        errors: Number(s.errors ?? 0),
        p50: typeof latency.p50 === 'number' ? latency.p50 : null,
        p99: typeof latency.p99 === 'number' ? latency.p99 : null,
        ...(classes && typeof classes === 'object' ? { classes: classes as Record<string, number> } : {}),
        ...(typeof predicted.mean === 'number' ? { mean: predicted.mean } : {}),
        ...(typeof predicted.std === 'number' ? { std: predicted.std } : {}),
      };
    }
    return { stable: served(raw.stable), candidate: served(raw.candidate), weight: Number(raw.weight ?? 0), stats };
  }

  async setCandidate(ref: string, weight: number): Promise<void> {
    await this.admin('POST', '/admin/candidate', { ref, weight });
  }
  async promote(): Promise<void> {
    await this.admin('POST', '/admin/promote', {});
  }
  async dropCandidate(): Promise<void> {
    await this.admin('POST', '/admin/rollback', {});
  }
  async resetStats(): Promise<void> {
    await this.admin('POST', '/admin/reset-stats', {});
  }

  /** True when GET `path` answers 2xx (for mlops serve, KServe and Triton: /v2/models/<model>/ready). */
  async ready(path: string): Promise<boolean> {
    try {
      const response = await fetch(new URL(path, this.url), {
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  private admin(method: string, path: string, payload?: unknown): Promise<unknown> {
    if (!this.secret)
      throw new UserError(
        `the admin API of ${this.url} needs a token`,
        'Set the `secret` input (or MLOPS_DEPLOY_SECRET) to the admin token the server was started with.',
      );
    const headers: Record<string, string> = { authorization: `Bearer ${this.secret}` };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return this.send(method, path, payload === undefined ? undefined : JSON.stringify(payload), headers);
  }

  private async send(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<unknown> {
    const target = new URL(path, this.url);
    let response: Response;
    try {
      response = await fetch(target, { method, body, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new UserError(
        `cannot reach ${target.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
        'Check the url of the environment (is the server running and reachable from the runner?).',
      );
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const message = json && typeof json === 'object' && 'error' in json ? String((json as { error: unknown }).error) : text.slice(0, 300);
      const hint =
        response.status === 401 || response.status === 403
          ? 'The server refused the credentials: the `secret` must equal the admin token (or webhook secret) the server was started with.'
          : response.status === 404 && path.startsWith('/admin')
            ? 'The server has no admin API: start `mlops serve` with --admin-token.'
            : undefined;
      throw new UserError(`${method} ${target.pathname} on ${target.origin} answered ${response.status}: ${message}`, hint);
    }
    return json;
  }
}
