/**
 * The HTTP side of the alert relay, on Node's own http module.
 *
 *   POST /alertmanager   Alertmanager's webhook notification (webhook_configs url)
 *   GET  /healthz        {"ok": true}
 *
 * Answers are JSON. A notification is answered 200 `{"dispatched": n, "skipped": [...]}`
 * (resolved ones too: acknowledged), 400 when it is not valid JSON or not Alertmanager's
 * shape (the message names the field), 401 without the bearer token (when one is set),
 * 413 over the body limit, 415 for another content type, and 502 `{"error", "dispatched",
 * "skipped"}` when GitHub fails: Alertmanager retries 5xx answers and drops 4xx ones, so
 * only GitHub's failures ask for a retry.
 *
 * Secrets (the GitHub token, the bearer token) never appear in an answer or a log line:
 * every text that leaves the server goes through `redact`, and log lines quote what the
 * client sent with JSON.stringify, so a label with a newline cannot forge a log line.
 */
import { STATUS_CODES, createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describeError } from '../errors.js';
import { bearerMatches } from '../serve/auth.js';
import { HttpError } from '../serve/decode.js';
import { listenOn, parseJsonBody, readBody } from '../serve/http.js';
import { WebhookPayloadError, parseAlertmanagerWebhook } from './alertmanager.js';
import { DispatchFailedError, type AlertRelay } from './alert-relay.js';

/** Alertmanager's notifications are small; 1 MiB holds about a thousand alerts. */
export const DEFAULT_RELAY_MAX_BODY_BYTES = 1024 * 1024;
export const RELAY_PATH = '/alertmanager';

export interface RelayServerOptions {
  relay: AlertRelay;
  /** The bearer token Alertmanager must send (`http_config.authorization`); null: no authentication. */
  token: string | null;
  maxBodyBytes?: number;
  /** Texts never to send or log (tokens); each occurrence becomes [redacted]. */
  secrets?: readonly string[];
  /** Seconds a client has to send a whole request. Default 30. */
  requestTimeoutSeconds?: number;
  logger?: (line: string) => void;
}

export class AlertRelayServer {
  private readonly http: Server;
  private readonly logger: (line: string) => void;
  private readonly secrets: string[];
  private readonly maxBodyBytes: number;

  constructor(private readonly options: RelayServerOptions) {
    this.logger = options.logger ?? (() => {});
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_RELAY_MAX_BODY_BYTES;
    // Very short secrets would turn ordinary text into [redacted]; tokens are long.
    this.secrets = [...(options.secrets ?? []), ...(options.token ? [options.token] : [])].filter((s) => s.length >= 6);
    const timeout = Math.round((options.requestTimeoutSeconds ?? 30) * 1000);
    this.http = createServer({ connectionsCheckingInterval: Math.min(30_000, Math.max(100, timeout / 4)) }, (req, res) => {
      void this.handle(req, res);
    });
    this.http.requestTimeout = timeout;
    this.http.headersTimeout = Math.min(15_000, timeout);
    this.http.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.clientError(error, socket));
  }

  /** Starts listening; resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    await listenOn(this.http, port, host);
    return (this.http.address() as AddressInfo).port;
  }

  /** Stops accepting; requests in flight finish (a dispatch under way completes), then connections close. */
  async close(graceMs = 10_000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    const timer = setTimeout(() => this.http.closeAllConnections(), graceMs);
    const sweep = setInterval(() => this.http.closeIdleConnections(), 20);
    await closed;
    clearInterval(sweep);
    clearTimeout(timer);
  }

  /** `text` with every secret replaced. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const method = req.method ?? 'GET';
    let note = '';
    try {
      if (path === '/healthz') {
        if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${path} takes GET`, { Allow: 'GET, HEAD' });
        this.send(res, 200, { ok: true });
        return;
      }
      if (path !== RELAY_PATH) throw new HttpError(404, `no route ${path}: Alertmanager's webhook_configs url ends in ${RELAY_PATH}`);
      if (method !== 'POST') throw new HttpError(405, `${RELAY_PATH} takes POST (Alertmanager's webhook notifications)`, { Allow: 'POST' });
      if (this.options.token !== null && !bearerMatches(req.headers.authorization, this.options.token)) {
        throw new HttpError(
          401,
          req.headers.authorization
            ? 'the Authorization header does not carry the relay token'
            : "this relay needs Authorization: Bearer <token> (Alertmanager's http_config.authorization.credentials_file)",
          { 'WWW-Authenticate': 'Bearer realm="mlops-alert-relay"' },
        );
      }
      const type = (req.headers['content-type'] ?? 'application/json').split(';', 1)[0]!.trim().toLowerCase();
      if (type !== 'application/json')
        throw new HttpError(415, `Content-Type ${JSON.stringify(type)} is not supported: send application/json, as Alertmanager does`);
      const body = await readBody(req, this.maxBodyBytes, 'lower max_alerts in the receiver, or raise --max-body');
      const webhook = parseWebhook(body);
      note = ` group ${JSON.stringify(webhook.groupKey)}, ${webhook.alerts.length} alert(s), ${webhook.status}`;
      const result = await this.options.relay.handle(webhook);
      note += `: dispatched ${result.dispatched}, skipped ${result.skipped.length}`;
      this.send(res, 200, result);
    } catch (error) {
      if (error instanceof DispatchFailedError) {
        note += `: ${error.message}`;
        this.send(res, 502, { error: error.message, ...error.result });
      } else if (error instanceof HttpError) {
        note += `: ${error.message}`;
        this.send(res, error.status, { error: error.message }, error.headers);
      } else {
        // Details go to the log, not to the client.
        note += `: ${describeError(error)}`;
        this.send(res, 500, { error: "internal error; the relay's log has the details" });
      }
    } finally {
      this.logger(this.redact(`${method} ${JSON.stringify(path).slice(1, -1)} ${res.statusCode}${note}`));
    }
  }

  private send(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = this.redact(JSON.stringify(value));
    // An unread body (refused before it was read) is not drained: the connection closes after the answer.
    const unread = !res.req.complete;
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      ...(unread ? { Connection: 'close' } : {}),
      ...headers,
    });
    res.end(body);
    if (unread) res.once('finish', () => res.req.socket?.destroySoon?.());
  }

  /** Requests Node's HTTP parser refuses, answered as JSON too. */
  private clientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const pending = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify({ error: `the request is not valid HTTP (${error.code ?? 'parse error'})` });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
}

function parseWebhook(body: Buffer) {
  if (body.length === 0) throw new HttpError(400, "the request has no body: send Alertmanager's webhook notification (JSON)");
  const value = parseJsonBody(body);
  try {
    return parseAlertmanagerWebhook(value);
  } catch (error) {
    if (error instanceof WebhookPayloadError) throw new HttpError(400, `not an Alertmanager webhook notification: ${error.message}`);
    throw error;
  }
}
