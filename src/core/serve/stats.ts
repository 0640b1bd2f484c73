/**
 * Per-version statistics since the last reset, for the admin status (what a canary
 * analysis compares): requests, failed requests, latency percentiles over the most
 * recent requests, and what the version predicted (a class histogram, or the mean).
 */
import type { Prediction } from './model.js';

/** Latencies kept per version for the percentiles: the most recent ones. */
export const LATENCY_WINDOW = 10_000;

export interface VersionStatsView {
  /** Prediction requests routed to this version. */
  requests: number;
  /** Of those, the ones that failed: a 4xx (the request did not fit this version) or a 5xx. */
  errors: number;
  /** Of the errors, the 5xx (the version failed to predict). */
  server_errors: number;
  /** Over the last LATENCY_WINDOW requests. */
  latency_ms: { p50: number | null; p99: number | null; mean: number | null };
  /** Records predicted, and what: a class histogram, or the mean value and its standard deviation. */
  predictions: { count: number; classes?: Record<string, number>; mean?: number | null; std?: number | null };
}

class VersionStats {
  requests = 0;
  errors = 0;
  serverErrors = 0;
  private latencies = new Float64Array(LATENCY_WINDOW);
  private latencyCount = 0;
  private latencySum = 0;
  predicted = 0;
  private classes = new Map<string, number>();
  private valueSum = 0;
  /** Welford's running mean and sum of squared deviations of predicted values. */
  private valueMean = 0;
  private valueM2 = 0;

  record(status: number, latencyMs: number, predictions: readonly Prediction[] | null): void {
    this.requests++;
    if (status >= 400) this.errors++;
    if (status >= 500) this.serverErrors++;
    this.latencies[this.latencyCount % LATENCY_WINDOW] = latencyMs;
    this.latencyCount++;
    this.latencySum += latencyMs;
    if (!predictions) return;
    for (const p of predictions) {
      this.predicted++;
      if ('label' in p) this.classes.set(p.label, (this.classes.get(p.label) ?? 0) + 1);
      else {
        this.valueSum += p.value;
        const delta = p.value - this.valueMean;
        this.valueMean += delta / this.predicted;
        this.valueM2 += delta * (p.value - this.valueMean);
      }
    }
  }

  view(task: 'classification' | 'regression' | null): VersionStatsView {
    const n = Math.min(this.latencyCount, LATENCY_WINDOW);
    const sorted = this.latencies.slice(0, n).sort();
    const quantile = (q: number) => (n === 0 ? null : round(sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]!));
    const predictions: VersionStatsView['predictions'] = { count: this.predicted };
    if (task === 'classification') predictions.classes = Object.fromEntries([...this.classes].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    if (task === 'regression') {
      predictions.mean = this.predicted > 0 ? this.valueSum / this.predicted : null;
      predictions.std = this.predicted > 1 ? Math.sqrt(this.valueM2 / (this.predicted - 1)) : null;
    }
    return {
      requests: this.requests,
      errors: this.errors,
      server_errors: this.serverErrors,
      latency_ms: {
        p50: quantile(0.5),
        p99: quantile(0.99),
        mean: this.latencyCount > 0 ? round(this.latencySum / this.latencyCount) : null,
      },
      predictions,
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export class ServeStats {
  private byVersion = new Map<string, VersionStats>();
  private tasks = new Map<string, 'classification' | 'regression'>();
  since = new Date();

  record(
    version: number,
    task: 'classification' | 'regression',
    status: number,
    latencyMs: number,
    predictions: readonly Prediction[] | null,
  ): void {
    const key = String(version);
    let stats = this.byVersion.get(key);
    if (!stats) this.byVersion.set(key, (stats = new VersionStats()));
    this.tasks.set(key, task);
    stats.record(status, latencyMs, predictions);
  }

  reset(): void {
    this.byVersion.clear();
    this.since = new Date();
  }

  view(): Record<string, VersionStatsView> {
    const out: Record<string, VersionStatsView> = {};
    for (const [key, stats] of this.byVersion) out[key] = stats.view(this.tasks.get(key) ?? null);
    return out;
  }
}
