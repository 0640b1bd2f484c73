/**
 * Prometheus metrics of the server (`GET /metrics`), in a registry of its own (never
 * prom-client's global one): requests by route, status and model version; prediction
 * errors and latency by version; records predicted; which versions are served.
 *
 * `promtool check metrics` passes: only counters end in `_total`. prom-client's default
 * Node.js metrics include three gauges that do (`nodejs_active_handles_total`,
 * `nodejs_active_requests_total`, `nodejs_active_resources_total`); they are dropped,
 * as the gauges by type (`nodejs_active_handles` etc.) carry the same numbers
 * (`sum(mlops_serve_nodejs_active_handles)` is the total).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServedModel } from './model.js';

const PREFIX = 'mlops_serve_';
/** prom-client's default gauges whose names end in `_total` (only counters may). */
const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'status' | 'version'>;
  private readonly errors: Counter<'version' | 'kind'>;
  private readonly latency: Histogram<'version'>;
  private readonly predicted: Counter<'version'>;
  private readonly served: Gauge<'model' | 'version' | 'digest' | 'role'>;
  private readonly swaps: Counter<'result'>;
  private readonly refusals: Counter<'reason'>;
  private readonly logDrops: Counter<'reason'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    for (const name of GAUGES_NAMED_TOTAL) this.registry.removeSingleMetric(`${PREFIX}${name}`);
    this.requests = new Counter({
      name: 'mlops_serve_requests_total',
      help: 'HTTP requests by route, status code and model version ("none" when no model answered).',
      labelNames: ['route', 'status', 'version'],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'mlops_serve_prediction_errors_total',
      help: 'Prediction requests that failed, by model version ("none" when refused before a model took it) and kind (client: 4xx, server: 5xx).',
      labelNames: ['version', 'kind'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'mlops_serve_prediction_duration_seconds',
      help: 'Time to answer a prediction request, from its first byte to the response, by model version.',
      labelNames: ['version'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.predicted = new Counter({
      name: 'mlops_serve_predictions_total',
      help: 'Records predicted, by model version.',
      labelNames: ['version'],
      registers: [this.registry],
    });
    this.served = new Gauge({
      name: 'mlops_serve_model_info',
      help: 'The served model versions (1 while served): role stable or candidate.',
      labelNames: ['model', 'version', 'digest', 'role'],
      registers: [this.registry],
    });
    this.refusals = new Counter({
      name: 'mlops_serve_rejected_requests_total',
      help: 'Requests refused with a 4xx, by reason (too_many_rows, body_too_large, bad_body, invalid_input, missing_value, no_finite_prediction, unsupported_media_type, timeout, headers_too_large, bad_http, not_found, method_not_allowed, unauthorized, ...).',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.logDrops = new Counter({
      name: 'mlops_serve_prediction_log_dropped_total',
      help: 'Prediction log lines not written, by reason: queue_full (the disk is behind) or request_cap (records of one request past the log cap).',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.swaps = new Counter({
      name: 'mlops_serve_model_loads_total',
      help: 'Model loads (startup, alias moves, admin calls), by result.',
      labelNames: ['result'],
      registers: [this.registry],
    });
  }

  /** A request refused with a 4xx (any route, parser errors included), by reason. */
  refused(reason: string): void {
    this.refusals.inc({ reason });
  }

  /** Prediction log lines not written, by reason (queue_full, request_cap). */
  logDropped(reason: string, count: number): void {
    this.logDrops.inc({ reason }, count);
  }

  request(route: string, status: number, version: string): void {
    this.requests.inc({ route, status: String(status), version });
  }

  prediction(version: string, status: number, seconds: number, records: number): void {
    this.latency.observe({ version }, seconds);
    if (status >= 400) this.errors.inc({ version, kind: status >= 500 ? 'server' : 'client' });
    else this.predicted.inc({ version }, records);
  }

  /** A prediction request refused before a model took it (a bad body, 413, 415): a client error of no version. */
  rejected(status: number): void {
    this.errors.inc({ version: 'none', kind: status >= 500 ? 'server' : 'client' });
  }

  load(ok: boolean): void {
    this.swaps.inc({ result: ok ? 'ok' : 'failed' });
  }

  setServed(stable: ServedModel, candidate: ServedModel | null): void {
    this.served.reset();
    for (const [model, role] of [
      [stable, 'stable'],
      [candidate, 'candidate'],
    ] as const) {
      if (!model) continue;
      const { name, version, digest } = model.identity;
      this.served.set({ model: name, version: String(version), digest, role }, 1);
    }
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
