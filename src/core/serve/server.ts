/**
 * The inference server, on Node's own http module. It speaks TF Serving's REST API
 * and the Open Inference Protocol v2, turns raw feature values into the model's
 * feature columns (records.ts; the preprocessing is inside the ONNX graph), follows a
 * registry alias (swapping models without failing a request), runs canaries, and
 * exposes Prometheus metrics and a prediction log.
 *
 * Routes (`{name}` is the served model's name; `/versions/{v}` picks the stable or
 * candidate version directly, bypassing the canary split):
 *   POST /v1/models/{name}[/versions/{v}]:predict   {"instances": [...]} | {"inputs": {...}}
 *   GET  /v1/models/{name}[/versions/{v}]           model status
 *   GET  /v1/models/{name}[/versions/{v}]/metadata  signature
 *   GET  /v2, /v2/health/live, /v2/health/ready
 *   GET  /v2/models/{name}[/versions/{v}][/ready]   metadata, readiness
 *   POST /v2/models/{name}[/versions/{v}]/infer     typed tensors: one per feature, or a graph's one [rows, k] tensor
 *   GET  /metrics                                   Prometheus text
 *   /admin/...                                      only with an admin token (see handleAdmin)
 *
 * Inputs (decode.ts): every model takes its features by name (BYTES tensors for string
 * features); a graph that takes every feature as one [rows, k] tensor also takes that
 * tensor, by the graph input's name (or as TF Serving's unnamed rows).
 *
 * What the server answers (`outputSpecs`): for a classifier, `label` (INT64 when every
 * class is a whole number, else BYTES) and `probabilities` ([rows, classes] in the order
 * of `classes`, FP32 as the graph computes them; left out for a model that gives labels
 * only); for a regressor `prediction` ([rows]) and, when the graph names its output
 * otherwise (skl2onnx and onnxmltools: `variable`), the same values under the graph's
 * name and shape ([rows, 1]). TF Serving rows: `{"label", "probabilities"}` or the value
 * per record; TF Serving columns: `{"label": [...], "probabilities": [...]}` or the values.
 * Labels are JSON numbers when they travel as INT64. `GET /v2/models/{name}` lists the
 * graph's own inputs (names, datatypes, shapes) and these outputs, with the graph's
 * datatypes and shapes where it has an output of that name; platform onnxruntime_onnx;
 * and, beyond the protocol, `features` (the signature's, in the order of a one-tensor
 * input's columns) and `classes`. A record the model answers NaN or an infinity for
 * (JSON holds neither; a graph that does not impute gives NaN for a missing value) is a
 * 400 naming it.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, createServer, maxHeaderSize } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Table } from '../data/table.js';
import { describeError } from '../errors.js';
import { bearerMatches, checkSignedReload, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './auth.js';
import { INFERENCE_HEADER, binaryOutputsWanted, decodeBinaryRequest, encodeBinaryResponse } from './binary.js';
import type { InferResponse } from './binary.js';
import { ModelSlots } from './canary.js';
import { MonitorMetrics, OnlineMonitor, parseFeedback } from './monitor.js';
import type { MonitorOptions } from './monitor.js';
import { DEFAULT_MAX_ROWS, HttpError, decodeOip, decodeTfServing, requestTable, sliceRecords, truncate } from './decode.js';
import type { DecodedRecords, MissingPolicy, OipRequest, TfServingRequest } from './decode.js';
import { DEFAULT_MAX_BODY_BYTES, listenOn, parseJsonBody, readBody, sendJson } from './http.js';
import { ServeMetrics } from './metrics.js';
import { isFinitePrediction } from './model.js';
import type { Prediction, ServedModel } from './model.js';
import type { PredictionLog } from './prediction-log.js';
import type { ModelSource } from './source.js';
import { ServeStats } from './stats.js';

export interface ServerOptions {
  source: ModelSource;
  /** The first stable model (already loaded). */
  initial: ServedModel;
  /** The alias to follow, or null. */
  follow: string | null;
  /** Seconds between checks of the alias; 0 never checks (reload still re-resolves it). */
  pollSeconds: number;
  /** The admin token; null: no admin API at all (every /admin route is 404). */
  adminToken: string | null;
  maxBodyBytes?: number;
  /** The most records (rows) one prediction request may carry; more get 413. */
  maxRows?: number;
  /** Texts that mean "missing" (data.null_values of mlops.yaml), as in training. */
  nullValues?: readonly string[];
  /** A missing feature value: `reject` (400, unless the training data had missing values there; the default) or `impute`. */
  missing?: MissingPolicy;
  /** Seconds a client has to send a whole request (headers and body); slower ones get 408. Default 30. */
  requestTimeoutSeconds?: number;
  log?: PredictionLog | null;
  /** Online monitoring of each served version against its training profile (monitor.ts); null: off. Default: on, with its defaults. */
  monitor?: MonitorOptions | null;
  /** Where the server tells what it does (loads, swaps, errors). */
  logger?: (line: string) => void;
}

const API_VERSION = '0.1.0';

/**
 * Rows scored at a time: a large batch is scored slice by slice, letting other requests
 * and health checks through between slices.
 */
export const SLICE_ROWS = 256;

/** A client's X-Request-Id is kept when it is this short and printable; else the server makes one. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** The largest feedback body (a labels file): 8 MB, or --max-body when larger. */
const FEEDBACK_MAX_BODY = 8 * 1024 * 1024;

/** Lets the event loop answer what is waiting (I/O included) before going on. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Route =
  | { kind: 'tfs'; action: 'predict' | 'feedback' | 'status' | 'metadata'; name: string; version: number | null }
  | { kind: 'oip'; action: 'infer' | 'feedback' | 'metadata' | 'ready'; name: string; version: number | null }
  | { kind: 'server'; action: 'live' | 'ready' | 'metadata' | 'metrics' }
  | { kind: 'admin'; action: string };

const TFS = /^\/v1\/models\/([^/:]+)(?:\/versions\/(\d{1,15}))?(:predict|:feedback|\/metadata)?$/;
const OIP = /^\/v2\/models\/([^/]+)(?:\/versions\/(\d{1,15}))?(\/infer|\/feedback|\/ready)?$/;
const ADMIN_ACTIONS: Record<string, 'GET' | 'POST'> = {
  status: 'GET',
  candidate: 'POST',
  weight: 'POST',
  promote: 'POST',
  rollback: 'POST',
  reload: 'POST',
  'reset-stats': 'POST',
};

/** The route of a path, and the method it takes; null when no route matches. */
function matchRoute(path: string): { route: Route; method: 'GET' | 'POST' } | null {
  let m = TFS.exec(path);
  if (m) {
    const name = decodeSegment(m[1]!);
    const version = m[2] ? Number(m[2]) : null;
    if (m[3] === ':predict') return { route: { kind: 'tfs', action: 'predict', name, version }, method: 'POST' };
    if (m[3] === ':feedback') return { route: { kind: 'tfs', action: 'feedback', name, version }, method: 'POST' };
    return { route: { kind: 'tfs', action: m[3] ? 'metadata' : 'status', name, version }, method: 'GET' };
  }
  m = OIP.exec(path);
  if (m) {
    const name = decodeSegment(m[1]!);
    const version = m[2] ? Number(m[2]) : null;
    if (m[3] === '/infer') return { route: { kind: 'oip', action: 'infer', name, version }, method: 'POST' };
    if (m[3] === '/feedback') return { route: { kind: 'oip', action: 'feedback', name, version }, method: 'POST' };
    return { route: { kind: 'oip', action: m[3] ? 'ready' : 'metadata', name, version }, method: 'GET' };
  }
  switch (path) {
    case '/v2':
      return { route: { kind: 'server', action: 'metadata' }, method: 'GET' };
    case '/v2/health/live':
      return { route: { kind: 'server', action: 'live' }, method: 'GET' };
    case '/v2/health/ready':
      return { route: { kind: 'server', action: 'ready' }, method: 'GET' };
    case '/metrics':
      return { route: { kind: 'server', action: 'metrics' }, method: 'GET' };
  }
  const admin = /^\/admin\/([a-z-]+)$/.exec(path);
  if (admin && admin[1]! in ADMIN_ACTIONS) return { route: { kind: 'admin', action: admin[1]! }, method: ADMIN_ACTIONS[admin[1]!]! };
  return null;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function routeLabel(route: Route | null): string {
  if (!route) return 'unknown';
  return route.kind === 'server' || route.kind === 'admin' ? `${route.kind}_${route.action}` : `${route.kind}_${route.action}`;
}

export class InferenceServer {
  readonly slots: ModelSlots;
  readonly stats = new ServeStats();
  readonly metrics = new ServeMetrics();
  /** The monitoring gauges and feedback counter (registered whether or not a model is monitored). */
  readonly monitoring: MonitorMetrics;
  private readonly monitors = new Map<ServedModel, OnlineMonitor>();
  /** Signed reloads taken within the replay window (signature -> when it expires). */
  private readonly seenSignatures = new Map<string, number>();
  readonly http: Server;
  private readonly maxBody: number;
  private readonly maxRows: number;
  private readonly log: PredictionLog | null;
  private readonly logger: (line: string) => void;
  private following: string | null;
  /** The alias's digest when last resolved: the server swaps only when the alias moves. */
  private lastSeenDigest: string | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private closing = false;
  private lastPollError = '';

  constructor(private readonly options: ServerOptions) {
    this.slots = new ModelSlots(options.initial);
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.log = options.log ?? null;
    this.logger = options.logger ?? (() => {});
    this.following = options.follow;
    this.monitoring = new MonitorMetrics(this.metrics.registry);
    if (options.follow && options.initial.identity.version > 0) this.lastSeenDigest = options.initial.identity.digest;
    this.servedChanged();
    this.metrics.load(true); // the start-up load, made before the server existed
    if (this.log) this.log.onDrop = (reason, count) => this.logDropped(reason, count);
    const timeout = Math.round((options.requestTimeoutSeconds ?? 30) * 1000);
    // Node checks for timed-out requests every connectionsCheckingInterval (30 s by default): check often enough to keep the limit.
    this.http = createServer(
      { connectionsCheckingInterval: Math.min(30_000, Math.max(100, timeout / 4)) },
      (req, res) => void this.handle(req, res),
    );
    this.http.requestTimeout = timeout;
    this.http.headersTimeout = Math.min(15_000, timeout);
    this.http.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.clientError(error, socket));
  }

  get name(): string {
    return this.options.source.name;
  }

  /** Starts listening; resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    await listenOn(this.http, port, host);
    this.schedulePoll();
    return (this.http.address() as AddressInfo).port;
  }

  private schedulePoll(): void {
    if (!this.following || this.options.pollSeconds <= 0 || this.closing) return;
    this.pollTimer = setTimeout(() => {
      void this.exclusive(() => this.checkAlias()).finally(() => this.schedulePoll());
    }, this.options.pollSeconds * 1000);
    this.pollTimer.unref();
  }

  /** Runs admin changes and alias checks one at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves the followed alias; when it has moved to another version, loads it and swaps. */
  private async checkAlias(): Promise<void> {
    const alias = this.following;
    if (!alias) return;
    try {
      const version = await this.options.source.resolve(alias);
      if (version.digest === this.lastSeenDigest) return;
      if (version.digest !== this.slots.stable.identity.digest) {
        await this.swapStable(version.digest, `${alias} moved to v${version.version}`);
      }
      this.lastSeenDigest = version.digest;
      this.lastPollError = '';
    } catch (error) {
      const message = describeError(error);
      if (message !== this.lastPollError)
        this.logger(`following ${alias}: ${message}; still serving v${this.slots.stable.identity.version}`);
      this.lastPollError = message;
    }
  }

  /** Loads `ref` and makes it the stable model; a failed load leaves the served model in place (and throws). */
  private async swapStable(ref: string, why: string): Promise<ServedModel> {
    const model = await this.loadModel(ref);
    const old = this.slots.stable.identity;
    this.slots.swapStable(model);
    this.servedChanged();
    this.logger(
      `serving ${this.name} v${model.identity.version} (${model.identity.digest.slice(0, 19)}) instead of v${old.version}: ${why}`,
    );
    return model;
  }

  private async loadModel(ref: string): Promise<ServedModel> {
    try {
      const model = await this.options.source.load(ref);
      this.metrics.load(true);
      return model;
    } catch (error) {
      this.metrics.load(false);
      this.logger(`loading ${this.name} ${ref} failed: ${describeError(error)}; still serving v${this.slots.stable.identity.version}`);
      throw error;
    }
  }

  /** Stops accepting, lets requests in flight finish (up to `graceMs`), flushes the log. */
  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    const drained = new Promise<void>((resolve) => (this.inFlight === 0 ? resolve() : this.idle.push(resolve)));
    const timer = setTimeout(() => this.http.closeAllConnections(), graceMs);
    await drained;
    // Connections of the last requests turn idle once their answers are flushed.
    const sweep = setInterval(() => this.http.closeIdleConnections(), 20);
    this.http.closeIdleConnections();
    await closed;
    clearInterval(sweep);
    clearTimeout(timer);
    await this.exclusive(async () => undefined);
    await this.log?.close();
    this.slots.retireAll();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    this.inFlight++;
    let label = 'unknown';
    let version = 'none';
    try {
      const path = (req.url ?? '/').split('?', 1)[0]!;
      const matched = matchRoute(path);
      label = routeLabel(matched?.route ?? null);
      if (matched?.route.kind === 'admin' && this.options.adminToken === null) throw new HttpError(404, `no route ${path}`);
      if (!matched) throw new HttpError(404, `no route ${path}`);
      if (req.method !== matched.method && !(matched.method === 'GET' && req.method === 'HEAD')) {
        throw new HttpError(405, `${path} takes ${matched.method}, not ${req.method}`, { Allow: matched.method });
      }
      if (this.closing) res.setHeader('Connection', 'close');
      const { route } = matched;
      if (route.kind === 'tfs' || route.kind === 'oip') {
        if (route.name !== this.name) throw new HttpError(404, `no model "${route.name}": this server serves "${this.name}"`);
        if (route.action === 'feedback') {
          await this.feedback(req, res);
          return;
        }
        if (route.action === 'predict' || route.action === 'infer') {
          const routed = { version: 'none' };
          try {
            await this.predict(req, res, route.kind, route.version, started, routed);
          } finally {
            version = routed.version;
          }
          return;
        }
        const model = this.pick(route.version);
        try {
          version = String(model.identity.version);
          if (route.kind === 'tfs') sendJson(res, 200, route.action === 'status' ? this.tfsStatus(route.version) : this.tfsMetadata(model));
          else if (route.action === 'ready') sendJson(res, 200, { name: this.name, ready: true });
          else sendJson(res, 200, this.oipMetadata(model, route.version));
        } finally {
          model.release();
        }
        return;
      }
      if (route.kind === 'server') {
        if (route.action === 'live') sendJson(res, 200, { live: true });
        else if (route.action === 'ready') sendJson(res, this.closing ? 503 : 200, { ready: !this.closing });
        else if (route.action === 'metadata')
          sendJson(res, 200, { name: 'mlops-serve', version: API_VERSION, extensions: ['binary_tensor_data'] });
        else {
          const { contentType, body } = await this.metrics.text();
          res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
        }
        return;
      }
      await this.handleAdmin(route.action, req, res);
    } catch (error) {
      this.sendError(res, error, label);
    } finally {
      if (!res.headersSent) this.sendError(res, new Error('no answer'), label);
      this.metrics.request(label, res.statusCode, version);
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /**
   * Requests Node's HTTP parser refuses before any handler sees them, answered as every
   * other error is (a JSON `{"error": ...}`), with the status Node itself would give.
   */
  private clientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const pending = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    let status = 400;
    let message = `the request is not valid HTTP (${error.code ?? error.message})`;
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      message = `the request headers are over the limit of ${maxHeaderSize} bytes`;
    } else if (error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') {
      status = 413;
      message = 'the chunk extensions of the request body are too large';
    } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      message = `the request was not complete within ${this.http.requestTimeout / 1000} s`;
    }
    const body = JSON.stringify({ error: message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    this.metrics.request('unparsed', status, 'none');
    this.metrics.refused(
      status === 408 ? 'timeout' : status === 431 ? 'headers_too_large' : status === 413 ? 'body_too_large' : 'bad_http',
    );
  }

  private sendError(res: ServerResponse, error: unknown, label: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      if (error.status < 500) this.metrics.refused(error.reason);
      sendJson(res, error.status, { error: error.message }, error.headers);
      if (error.headers.Connection === 'close') res.once('finish', () => res.req.socket?.destroySoon?.());
      return;
    }
    // The details (paths, the runtime's own words) go to the server's log, not to clients.
    this.logger(`${label}: ${describeError(error)}`);
    sendJson(res, 500, { error: `internal error (${label}); the server's log has the details` });
  }

  /** The stable model, or the served model of `version`, acquired (404 if that version is not served). */
  private pick(version: number | null): ServedModel {
    if (version === null) {
      const model = this.slots.stable;
      model.acquire();
      return model;
    }
    const model = this.slots.byVersion(version);
    if (!model)
      throw new HttpError(404, `version ${version} of "${this.name}" is not served (served: ${this.servedVersions().join(', ')})`);
    return model;
  }

  private servedVersions(): string[] {
    return this.slots.all().map((m) => String(m.identity.version));
  }

  /** A prediction request of either protocol; sets `routed.version` to the version that answers. */
  private async predict(
    req: IncomingMessage,
    res: ServerResponse,
    protocol: 'tfs' | 'oip',
    version: number | null,
    started: number,
    routed: { version: string },
  ): Promise<void> {
    let decoded: TfServingRequest | OipRequest;
    let binaryWanted: ((output: string) => boolean) | null = null;
    try {
      const raw = await readBody(req, this.maxBody);
      if (protocol === 'tfs') decoded = decodeTfServing(parseJsonBody(raw), this.maxRows);
      else {
        // The binary tensor extension when the request says so (Inference-Header-Content-Length), else JSON.
        const body = decodeBinaryRequest(raw, req.headers[INFERENCE_HEADER]);
        binaryWanted = binaryOutputsWanted(body);
        decoded = decodeOip(body, this.maxRows);
      }
    } catch (error) {
      // Refused before a model took it (bad body, 413, 415): still a failed prediction request.
      this.metrics.rejected(error instanceof HttpError ? error.status : 500);
      throw error;
    }
    let model: ServedModel;
    if (version === null) model = this.slots.route();
    else model = this.pick(version);
    routed.version = String(model.identity.version);
    let status = 500;
    let predictions: Prediction[] | null = null;
    try {
      const id = requestId(req, protocol === 'oip' ? (decoded as OipRequest).id : undefined);
      const { predictions: scored, records } = await this.score(model, decoded, id);
      predictions = scored;
      const headers: Record<string, string> = { 'X-Model-Version': String(model.identity.version) };
      // An OIP `id` may hold what a header cannot (line breaks, non-ASCII): it is then in the body only.
      if (REQUEST_ID.test(id)) headers['X-Request-Id'] = id;
      if (protocol === 'tfs') sendJson(res, 200, tfsResponse(model, predictions, (decoded as TfServingRequest).columnar), headers);
      else {
        const answer = oipResponse(model, predictions, { ...(decoded as OipRequest), id });
        const binary = binaryWanted && encodeBinaryResponse(answer, binaryWanted);
        if (binary) {
          res.writeHead(200, { ...binary.headers, 'Content-Length': binary.body.length, ...headers });
          res.end(binary.body);
        } else sendJson(res, 200, answer, headers);
      }
      status = 200;
      if (this.log) this.logPredictions(model, records, predictions, id);
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      if (error instanceof HttpError) error.headers['X-Model-Version'] = String(model.identity.version);
      throw error;
    } finally {
      model.release();
      const seconds = (performance.now() - started) / 1000;
      const label = String(model.identity.version);
      this.stats.record(model.identity.version, model.task, status, seconds * 1000, status === 200 ? predictions : null);
      this.metrics.prediction(label, status, seconds, decoded.records.length);
    }
  }

  private drops = { queue_full: 0, request_cap: 0, warnedAt: 0 };

  /** After any change of the served models: the served-versions gauge, and a monitor per served model (the ones swapped out detached). */
  private servedChanged(): void {
    this.metrics.setServed(this.slots.stable, this.slots.candidate);
    const served = new Set(this.slots.all());
    for (const [model, monitor] of this.monitors) {
      if (served.has(model)) continue;
      this.monitors.delete(model);
      if (!this.slots.all().some((m) => String(m.identity.version) === monitor.version)) this.monitoring.detach(monitor);
    }
    if (this.options.monitor === null) return;
    for (const model of served) {
      if (this.monitors.has(model)) continue;
      const monitor = OnlineMonitor.forServedModel(
        model,
        model.profile,
        { nullValues: this.options.nullValues, ...this.options.monitor },
        model.profileReason ?? undefined,
      );
      this.monitors.set(model, monitor);
      this.monitoring.attach(monitor);
      if (monitor.driftReason) this.logger(`v${model.identity.version}: no drift monitoring: ${monitor.driftReason}`);
    }
  }

  /** Counts prediction log lines not written, and says so in the server's log at most once a minute. */
  private logDropped(reason: 'queue_full' | 'request_cap', count: number): void {
    this.metrics.logDropped(reason, count);
    this.drops[reason] += count;
    const now = Date.now();
    if (now - this.drops.warnedAt < 60_000) return;
    const parts = [];
    if (this.drops.queue_full > 0) parts.push(`${this.drops.queue_full} because the disk fell behind`);
    if (this.drops.request_cap > 0) parts.push(`${this.drops.request_cap} past the per-request cap (--log-max-rows-per-request)`);
    this.logger(
      `warning: prediction log: ${parts.join(' and ')} not written since the last warning (mlops_serve_prediction_log_dropped_total)`,
    );
    this.drops = { queue_full: 0, request_cap: 0, warnedAt: now };
  }

  /**
   * Ground truth that arrived later (`POST .../feedback`): labels by request id (JSON, JSON
   * Lines, or a CSV/TSV labels file with id, label and optional row), joined with the
   * predictions the monitors remember; answers what matched. With an admin token, only
   * its holders may send labels (they move the accuracy gauges that alerts watch).
   */
  private async feedback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = this.options.adminToken;
    if (token !== null && !bearerMatches(req.headers.authorization, token))
      throw new HttpError(401, 'feedback needs Authorization: Bearer <admin token> on this server', {
        'WWW-Authenticate': 'Bearer realm="mlops-admin"',
      });
    const raw = await readBody(req, Math.max(this.maxBody, FEEDBACK_MAX_BODY));
    const outcome = this.monitoring.feedback(parseFeedback(raw, req.headers['content-type'] ?? null));
    sendJson(res, 200, { matched: outcome.matched, unknown_id: outcome.unknownId, invalid: outcome.invalid, problems: outcome.problems });
  }

  /**
   * Checks and scores a request SLICE_ROWS records at a time, yielding to other requests
   * (health checks included) between slices; the first slice at fault ends it with its
   * 400. Returns the predictions and the records as the model took them (by feature name).
   */
  private async score(
    model: ServedModel,
    decoded: DecodedRecords,
    id: string,
  ): Promise<{ predictions: Prediction[]; records: DecodedRecords['records'] }> {
    const policy = { nullValues: this.options.nullValues, missing: this.options.missing ?? 'reject' };
    const total = decoded.records.length;
    const predictions: Prediction[] = [];
    const records: DecodedRecords['records'] = [];
    const tables: Table[] = [];
    for (let start = 0; start < total; start += SLICE_ROWS) {
      if (start > 0) await yieldToEventLoop();
      const { table, request } = requestTable(model, sliceRecords(decoded, start, Math.min(total, start + SLICE_ROWS)), policy);
      const part = await model.predict(table, rowRange(0, table.rows));
      const infinite = part.findIndex((p) => !isFinitePrediction(p));
      if (infinite >= 0) throw new HttpError(400, noFinitePrediction(table, infinite, request.row(infinite)), {}, 'no_finite_prediction');
      for (const p of part) predictions.push(p);
      for (const r of request.records) records.push(r);
      tables.push(table);
    }
    // Only a request answered in full is monitored, as one request (feedback names it by its id).
    const monitor = this.monitors.get(model);
    if (monitor) {
      const table = tables.length === 1 ? tables[0]! : concatTables(tables);
      monitor.observe(table, rowRange(0, table.rows), predictions, id);
    }
    return { predictions, records };
  }

  private logPredictions(model: ServedModel, records: DecodedRecords['records'], predictions: Prediction[], id: string): void {
    const time = new Date().toISOString();
    const features = model.signature.features;
    const has = Object.prototype.hasOwnProperty;
    this.log!.writeRequest(predictions.length, (i) => {
      const record = records[i]!;
      const entry = Object.create(null) as Record<string, unknown>;
      for (const f of features) if (has.call(record, f.name)) entry[f.name] = record[f.name];
      entry._time = time;
      entry._model = model.identity.name;
      entry._version = model.identity.version;
      entry._request_id = id;
      if (predictions.length > 1) entry._row = i;
      const p = predictions[i]!;
      entry._prediction = 'label' in p ? p.label : p.value;
      return entry;
    });
  }

  private tfsStatus(version: number | null): object {
    const models = version === null ? this.slots.all() : this.slots.all().filter((m) => m.identity.version === version);
    return {
      model_version_status: models.map((m) => ({
        version: String(m.identity.version),
        state: 'AVAILABLE',
        status: { error_code: 'OK', error_message: '' },
      })),
    };
  }

  private tfsMetadata(model: ServedModel): object {
    const tensor = (t: { name: string; datatype: string; shape: readonly number[] }) => ({
      dtype: TF_DTYPES[t.datatype] ?? 'DT_INVALID',
      tensor_shape: { dim: t.shape.map((d) => ({ size: String(d) })) },
      name: t.name,
    });
    const inputs = Object.fromEntries(inputSpecs(model).map((t) => [t.name, tensor(t)]));
    const outputs = Object.fromEntries(outputSpecs(model).map((t) => [t.name, tensor(t)]));
    return {
      model_spec: { name: this.name, signature_name: '', version: String(model.identity.version) },
      metadata: {
        signature_def: {
          signature_def: { serving_default: { inputs, outputs, method_name: 'tensorflow/serving/predict' } },
        },
      },
      classes: model.task === 'classification' ? model.classes : undefined,
    };
  }

  private oipMetadata(model: ServedModel, version: number | null): object {
    const strip = ({ name, datatype, shape }: TensorSpec) => ({ name, datatype, shape: [...shape] });
    return {
      name: this.name,
      versions: version === null ? this.servedVersions() : [String(version)],
      platform: 'onnxruntime_onnx',
      inputs: inputSpecs(model).map(strip),
      outputs: outputSpecs(model).map(strip),
      features: model.signature.features.map((f) => f.name),
      classes: model.task === 'classification' ? model.classes : undefined,
    };
  }

  // ── admin ──────────────────────────────────────────────────────────────────

  /**
   * The admin API (Authorization: Bearer <token>; reload also takes a signed body).
   * Every answer but errors is the status (as GET /admin/status).
   */
  private async handleAdmin(action: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = this.options.adminToken!;
    const raw = req.method === 'POST' ? await readBody(req, 64 * 1024) : Buffer.alloc(0);
    const signature = req.headers[SIGNATURE_HEADER];
    const signed = action === 'reload' && typeof signature === 'string';
    const refused = signed
      ? checkSignedReload({ timestamp: req.headers[TIMESTAMP_HEADER], signature }, raw, token, this.seenSignatures)
      : bearerMatches(req.headers.authorization, token)
        ? null
        : 'the admin API needs Authorization: Bearer <admin token>';
    if (refused !== null) throw new HttpError(401, refused, { 'WWW-Authenticate': 'Bearer realm="mlops-admin"' });
    const body = parseJsonBody(raw, false);
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
      throw new HttpError(400, 'the body must be a JSON object');
    const fields = (body ?? {}) as Record<string, unknown>;
    switch (action) {
      case 'status':
        break;
      case 'reset-stats':
        this.stats.reset();
        break;
      case 'candidate': {
        const ref = refField(fields, true)!;
        const weight = fields.weight === undefined ? 0 : weightField(fields.weight);
        await this.exclusive(async () => {
          const model = await this.loadModel(ref).catch(loadFailed(ref));
          this.slots.setCandidate(model, weight);
          this.servedChanged();
          this.logger(`candidate ${this.name} v${model.identity.version} gets ${weight}% of requests`);
        });
        break;
      }
      case 'weight': {
        const weight = weightField(fields.weight);
        if (!this.slots.candidate) throw new HttpError(409, 'no candidate: POST /admin/candidate first');
        this.slots.setWeight(weight);
        this.logger(`candidate v${this.slots.candidate.identity.version} gets ${weight}% of requests`);
        break;
      }
      case 'promote':
        await this.exclusive(async () => {
          const candidate = this.slots.candidate;
          if (!candidate) throw new HttpError(409, 'no candidate to promote');
          this.slots.promote();
          this.servedChanged();
          this.logger(`promoted v${candidate.identity.version}: it is the stable version`);
        });
        break;
      case 'rollback':
        await this.exclusive(async () => {
          const candidate = this.slots.candidate;
          this.slots.rollback();
          this.servedChanged();
          if (candidate) this.logger(`rolled back candidate v${candidate.identity.version}`);
        });
        break;
      case 'reload': {
        const ref = refField(fields, false);
        // A signed reload names the exact bytes: a version number or an alias could mean another model by the time it arrives.
        if (signed && (ref === null || !/^sha256:[0-9a-f]{64}$/.test(ref)))
          throw new HttpError(400, 'ref: a signed reload names the version by its digest (sha256:...), as deploy sends it');
        await this.exclusive(async () => {
          if (ref !== null) {
            if (this.slots.stable.identity.digest !== (await this.digestOf(ref)))
              await this.swapStable(ref, 'reload').catch(loadFailed(ref));
            return;
          }
          if (!this.following) throw new HttpError(400, 'ref: which version? The server follows no alias, so reload needs a "ref"');
          const version = await this.options.source.resolve(this.following).catch(loadFailed(this.following));
          if (version.digest !== this.slots.stable.identity.digest)
            await this.swapStable(version.digest, `reload: ${this.following} is v${version.version}`).catch(loadFailed(this.following));
          this.lastSeenDigest = version.digest;
        });
        break;
      }
    }
    sendJson(res, 200, this.status());
  }

  private async digestOf(ref: string): Promise<string> {
    return (await this.options.source.resolve(ref).catch(loadFailed(ref))).digest;
  }

  /** What GET /admin/status answers. */
  status(): object {
    const view = (m: ServedModel | null) =>
      m && { version: m.identity.version, digest: m.identity.digest, uri: m.identity.uri, loaded_at: m.loadedAt.toISOString() };
    return {
      model: this.name,
      stable: view(this.slots.stable),
      candidate: view(this.slots.candidate),
      weight: this.slots.weight,
      following: this.following,
      poll_seconds: this.following ? this.options.pollSeconds : null,
      stats_since: this.stats.since.toISOString(),
      stats: this.stats.view(),
      monitoring: Object.fromEntries([...this.monitors.values()].map((m) => [m.version, m.snapshot()])),
    };
  }
}

function refField(fields: Record<string, unknown>, required: boolean): string | null {
  const ref = fields.ref;
  if (ref === undefined || ref === null) {
    if (required) throw new HttpError(400, 'ref: give the version to load: a number ("3"), an alias or a digest (sha256:...)');
    return null;
  }
  if (typeof ref === 'number' && Number.isInteger(ref) && ref > 0) return String(ref);
  if (typeof ref !== 'string' || ref.trim() === '' || ref.length > 200)
    throw new HttpError(400, 'ref: expected a version number ("3"), an alias or a digest (sha256:...)');
  return ref.trim();
}

function weightField(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100)
    throw new HttpError(
      400,
      `weight: expected a number from 0 to 100 (the candidate's percent of requests), got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  return value;
}

/** A failed load as the admin API answers it: 422 with the reason (the served models are unchanged). */
function loadFailed(ref: string): (error: unknown) => never {
  return (error: unknown) => {
    if (error instanceof HttpError) throw error;
    throw new HttpError(422, `cannot load ${ref}: ${describeError(error).split('\n')[0]}`);
  };
}

/**
 * The answer for a record the model gives NaN or an infinity for (JSON cannot carry them):
 * a graph that does not impute gives NaN for a missing value; else a value far outside
 * the training data may overflow.
 */
function noFinitePrediction(table: Table, row: number, where: string): string {
  const missing = table.columns.filter((c) => (c.texts ? c.texts[row] === null : Number.isNaN(c.numbers[row]!))).map((c) => c.name);
  if (missing.length > 0)
    return `${where}: the model gives no finite prediction for this record: it has no value for ${truncate(missing.join(', '))}, and this model does not fill in missing values; send every feature`;
  return `${where}: the model gives no finite prediction for this record; are its values far outside the training data?`;
}

/** The tables of a request's slices as one (the same columns, in the same order). */
function concatTables(tables: readonly Table[]): Table {
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const columns = tables[0]!.columns.map((first, c) => {
    const numbers = new Float64Array(rows);
    const anyTexts = tables.some((t) => t.columns[c]!.texts !== null);
    const texts: Array<string | null> | null = anyTexts ? [] : null;
    let at = 0;
    let present = 0;
    let numeric = 0;
    for (const t of tables) {
      const column = t.columns[c]!;
      numbers.set(column.numbers.subarray(0, t.rows), at);
      if (texts)
        for (let r = 0; r < t.rows; r++)
          texts.push(column.texts ? column.texts[r]! : Number.isNaN(column.numbers[r]!) ? null : String(column.numbers[r]));
      present += column.present;
      numeric += column.numeric;
      at += t.rows;
    }
    return { name: first.name, numbers, texts, present, numeric };
  });
  return { rows, columns, files: [] };
}

/** Rows start..end-1. */
function rowRange(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/** The request's id (answered as X-Request-Id, and OIP's `id`): the OIP request's `id`, else the client's X-Request-Id when usable, else a new one. */
function requestId(req: IncomingMessage, oipId: string | undefined): string {
  if (oipId !== undefined) return oipId;
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
  return randomUUID();
}

/** OIP v2 datatypes as TF Serving's metadata names them. */
const TF_DTYPES: Record<string, string> = {
  BOOL: 'DT_BOOL',
  UINT8: 'DT_UINT8',
  UINT16: 'DT_UINT16',
  UINT32: 'DT_UINT32',
  UINT64: 'DT_UINT64',
  INT8: 'DT_INT8',
  INT16: 'DT_INT16',
  INT32: 'DT_INT32',
  INT64: 'DT_INT64',
  FP16: 'DT_HALF',
  FP32: 'DT_FLOAT',
  FP64: 'DT_DOUBLE',
  BYTES: 'DT_STRING',
};

/** A tensor the server takes or gives: its name, OIP v2 datatype and shape (-1: any size). */
export interface TensorSpec {
  name: string;
  datatype: string;
  shape: readonly number[];
}

/** What an answer tensor holds. */
type OutputSpec = TensorSpec & { holds: 'label' | 'probabilities' | 'value' };

/** The model's inputs: its graph's (names, datatypes, shapes), or one per feature for a model without a graph. */
export function inputSpecs(model: ServedModel): TensorSpec[] {
  if (model.graph) return model.graph.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape }));
  return model.signature.features.map((f) => ({ name: f.name, datatype: f.type === 'number' ? 'FP64' : 'BYTES', shape: [-1] }));
}

/** The tensors a prediction answers with (see the header), described with the graph's datatype and shape where it has that output. */
export function outputSpecs(model: ServedModel): OutputSpec[] {
  const float = (name: string, fallback: string) => {
    const datatype = model.graphOutput(name)?.datatype;
    return datatype === 'FP32' || datatype === 'FP64' ? datatype : fallback;
  };
  const shapeOf = (name: string, fallback: number[]) => model.graphOutput(name)?.shape ?? fallback;
  const precision = model.graph ? 'FP32' : 'FP64';
  if (model.task === 'classification') {
    const specs: OutputSpec[] = [{ name: 'label', datatype: model.labelDatatype, shape: shapeOf('label', [-1]), holds: 'label' }];
    if (model.probabilities)
      specs.push({
        name: 'probabilities',
        datatype: float('probabilities', precision),
        shape: shapeOf('probabilities', [-1, model.classes.length]),
        holds: 'probabilities',
      });
    return specs;
  }
  const outputs = model.graph?.outputs ?? [];
  const own = outputs.length === 1 ? outputs[0]! : null;
  const datatype = own && (own.datatype === 'FP32' || own.datatype === 'FP64') ? own.datatype : precision;
  const specs: OutputSpec[] = [{ name: 'prediction', datatype, shape: [-1], holds: 'value' }];
  if (own && own.name !== 'prediction') specs.push({ name: own.name, datatype, shape: own.shape, holds: 'value' });
  return specs;
}

/** A label as answers carry it: a number when labels travel as INT64. */
function labelValue(model: ServedModel, label: string): string | number {
  return model.labelDatatype === 'INT64' ? Number(label) : label;
}

/** TF Serving's answer: row format gives `predictions`, columnar format `outputs`. */
export function tfsResponse(model: ServedModel, predictions: Prediction[], columnar: boolean): object {
  if (model.task === 'regression') {
    const values = predictions.map((p) => (p as { value: number }).value);
    return columnar ? { outputs: values } : { predictions: values };
  }
  const rows = predictions as Array<{ label: string; probabilities: number[] }>;
  const probabilities = model.probabilities;
  if (columnar) {
    const label = rows.map((p) => labelValue(model, p.label));
    return { outputs: probabilities ? { label, probabilities: rows.map((p) => p.probabilities) } : { label } };
  }
  return {
    predictions: rows.map((p) =>
      probabilities ? { label: labelValue(model, p.label), probabilities: p.probabilities } : { label: labelValue(model, p.label) },
    ),
  };
}

/** The Open Inference Protocol's answer: the tensors of `outputSpecs`, or those the request names. */
export function oipResponse(
  model: ServedModel,
  predictions: Prediction[],
  request: { id: string | undefined; outputs: string[] | null },
): InferResponse {
  const n = predictions.length;
  const specs = outputSpecs(model);
  if (request.outputs) {
    const unknown = request.outputs.filter((name) => !specs.some((t) => t.name === name));
    if (unknown.length > 0)
      throw new HttpError(
        400,
        `outputs: no output ${unknown.map((u) => `"${u}"`).join(', ')} (outputs: ${specs.map((t) => t.name).join(', ')})`,
      );
  }
  const chosen = request.outputs ? specs.filter((t) => request.outputs!.includes(t.name)) : specs;
  const outputs = chosen.map((spec) => {
    if (spec.holds === 'label')
      return {
        name: spec.name,
        shape: [n],
        datatype: spec.datatype,
        data: predictions.map((p) => labelValue(model, (p as { label: string }).label)),
      };
    if (spec.holds === 'probabilities')
      return {
        name: spec.name,
        shape: [n, model.classes.length],
        datatype: spec.datatype,
        data: predictions.flatMap((p) => (p as { probabilities: number[] }).probabilities),
      };
    return {
      name: spec.name,
      shape: spec.shape.length === 2 ? [n, 1] : [n],
      datatype: spec.datatype,
      data: predictions.map((p) => (p as { value: number }).value),
    };
  });
  return {
    model_name: model.identity.name,
    model_version: String(model.identity.version),
    id: request.id ?? randomUUID(),
    outputs,
  };
}
