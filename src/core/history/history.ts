/**
 * A model's history: every registered version with the commit it was trained from, when
 * it was evaluated, whether it was blessed, its test metrics (and their intervals, when
 * the evaluation computed them) and the aliases pointing at it.
 *
 * Where it lives: in the model registry, beside the models. Each version already carries
 * its model card (git.commit, trainedAt) and its blessing (test metrics, evaluatedAt), so
 * reading the history is `registry.list(model)`: no server, no extra write permission (a
 * git ref would need `contents: write` in a job that runs model code), and the same for a
 * folder registry and an OCI registry. A version registered without a blessing is listed
 * with no metrics.
 *
 * Everything here is read defensively: cards and blessings come from whoever registered
 * them. Metric names are kept as own properties (Object.fromEntries), so a name such as
 * `__proto__` is a name like any other; intervals that are not two finite numbers in order
 * are left out.
 */
import { UserError } from '../errors.js';
import { ModelRegistry } from '../registry/registry.js';
import type { ModelVersion, Registry } from '../../ports/registry.js';

/** How many versions the pull request comment shows. */
export const HISTORY_LAST = 10;

/** A confidence interval of a metric (the evaluation's bootstrap interval). */
export interface MetricInterval {
  lower: number;
  upper: number;
}

export interface HistoryRecord {
  model: string;
  version: number;
  /** The version's content digest (sha256:<hex>). */
  digest: string;
  /** When the version was registered. */
  createdAt: string;
  /** The commit the model was trained from (the model card's git.commit), or null. */
  commit: string | null;
  /** When the model was trained (the model card's trainedAt), or null. */
  trainedAt: string | null;
  /** When the blessing was written, or null without a blessing. */
  evaluatedAt: string | null;
  /** The blessing's verdict, or null when the version was registered without one. */
  blessed: boolean | null;
  /** The blessing's test metrics that are numbers ({} without a blessing). */
  metrics: Record<string, number>;
  /** The blessing's interval per metric, where it has one. */
  intervals: Record<string, MetricInterval>;
  /** The aliases pointing at this version, sorted. */
  aliases: string[];
  /** Why the stored card or blessing could not be read (they are then left out). */
  problems: string[];
}

export interface ReadHistoryOptions {
  /** Only the last N versions (every version without it). */
  last?: number;
  /** Told about each version the registry left out (a tag or record another tool wrote). */
  onForeign?: (version: number, reason: string) => void;
}

/** The versions of `model`, oldest first, as history records; [] for a model with no versions. */
export async function readHistory(
  registry: Pick<Registry, 'list' | 'aliases'>,
  model: string,
  options: ReadHistoryOptions = {},
): Promise<HistoryRecord[]> {
  const { last } = options;
  if (last !== undefined && (!Number.isSafeInteger(last) || last < 1))
    throw new UserError(`the number of versions to show must be a whole number of at least 1, not ${last}`);
  const versions = await registry.list(model, options.onForeign);
  if (versions.length === 0) return [];
  const aliases = await registry.aliases(model);
  const window = last === undefined ? versions : versions.slice(-last);
  return window.map((version) => historyRecord(version, aliases));
}

/** One version as a history record; `aliases` maps every alias of the model to its version. */
export function historyRecord(version: ModelVersion, aliases: Readonly<Record<string, number>>): HistoryRecord {
  const { card, blessing } = version;
  const commit = card?.git?.commit;
  return {
    model: version.model,
    version: version.version,
    digest: version.digest,
    createdAt: version.createdAt,
    commit: typeof commit === 'string' && commit !== '' ? commit : null,
    trainedAt: typeof card?.trainedAt === 'string' ? card.trainedAt : null,
    evaluatedAt: blessing ? blessing.evaluatedAt : null,
    blessed: blessing ? blessing.blessed : null,
    metrics: blessing ? numericMetrics(blessing.metrics) : {},
    intervals: blessing ? readIntervals((blessing as Record<string, unknown>).intervals) : {},
    aliases: Object.entries(aliases)
      .filter(([, n]) => n === version.version)
      .map(([alias]) => alias)
      .sort(),
    problems: [...version.problems],
  };
}

/** The metrics of an object that are finite numbers, as own properties. */
export function numericMetrics(metrics: unknown): Record<string, number> {
  if (!isPlainObject(metrics)) return {};
  return Object.fromEntries(
    Object.entries(metrics).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])),
  );
}

/**
 * Intervals per metric, `{ [metric]: { lower, upper } }`, read from anything: entries that
 * are not two finite numbers with lower <= upper are left out (and so is everything else).
 */
export function readIntervals(value: unknown): Record<string, MetricInterval> {
  if (!isPlainObject(value)) return {};
  const intervals: Array<[string, MetricInterval]> = [];
  for (const [metric, interval] of Object.entries(value)) {
    if (!isPlainObject(interval)) continue;
    const { lower, upper } = interval;
    if (typeof lower !== 'number' || typeof upper !== 'number' || !Number.isFinite(lower) || !Number.isFinite(upper)) continue;
    if (lower > upper) continue;
    intervals.push([metric, { lower, upper }]);
  }
  return Object.fromEntries(intervals);
}

/** A metric's value in a record (or any metrics object), or null when it has none. */
export function metricValue(metrics: Readonly<Record<string, unknown>>, metric: string): number | null {
  const value = Object.hasOwn(metrics, metric) ? metrics[metric] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A metric's interval in a record, or null. */
export function metricInterval(intervals: Readonly<Record<string, MetricInterval>>, metric: string): MetricInterval | null {
  return Object.hasOwn(intervals, metric) ? intervals[metric]! : null;
}

/** Every metric name of the records, in the order first seen. */
export function metricNames(records: readonly HistoryRecord[]): string[] {
  const names = new Set<string>();
  for (const record of records) for (const name of Object.keys(record.metrics)) names.add(name);
  return [...names];
}

/**
 * The metric a history shows by default: the first gate's, else accuracy for a
 * classifier and rmse for a regressor.
 */
export function historyMetric(task: 'classification' | 'regression', gates: ReadonlyArray<{ metric: string }> = []): string {
  return gates[0]?.metric ?? (task === 'regression' ? 'rmse' : 'accuracy');
}

/** The metric names the listing shows without --metric: the usual ones the records have, else the first few. */
const MAIN_METRICS = ['accuracy', 'f1_macro', 'roc_auc', 'log_loss', 'rmse', 'mae', 'r2'];
export function mainMetrics(records: readonly HistoryRecord[], max = 4): string[] {
  const names = metricNames(records).filter((name) => name !== 'count');
  const usual = MAIN_METRICS.filter((name) => names.includes(name));
  return (usual.length > 0 ? usual : names).slice(0, max);
}

/** One metric of two versions, side by side. */
export interface MetricComparison {
  metric: string;
  a: number | null;
  b: number | null;
  /** b − a, when both have the metric. */
  difference: number | null;
  aInterval: MetricInterval | null;
  bInterval: MetricInterval | null;
}

/** Every metric of either record, with b − a. */
export function compareRecords(a: HistoryRecord, b: HistoryRecord): MetricComparison[] {
  return metricNames([a, b]).map((metric) => {
    const va = metricValue(a.metrics, metric);
    const vb = metricValue(b.metrics, metric);
    return {
      metric,
      a: va,
      b: vb,
      difference: va !== null && vb !== null ? vb - va : null,
      aInterval: metricInterval(a.intervals, metric),
      bInterval: metricInterval(b.intervals, metric),
    };
  });
}

/** The records of two versions (by number, v3, alias or digest): the registry's errors name what exists. */
export async function resolveRecords(
  registry: Pick<Registry, 'resolve' | 'aliases'>,
  model: string,
  refs: readonly [string, string],
): Promise<[HistoryRecord, HistoryRecord]> {
  const [a, b] = [await registry.resolve(model, refs[0]), await registry.resolve(model, refs[1])];
  const aliases = await registry.aliases(model);
  return [historyRecord(a, aliases), historyRecord(b, aliases)];
}

/** The error for a model with no versions: where it was looked for, and the models there when the registry can list them. */
export async function noVersionsError(registry: Registry, model: string): Promise<UserError> {
  const store = registry instanceof ModelRegistry ? registry.store : null;
  const models = store ? await store.models() : null;
  const others = (models ?? []).filter((name) => name !== model).sort();
  return new UserError(
    `model "${model}" has no versions in ${store ? store.where(model) : `the registry ${registry.location}`}`,
    models === null
      ? `Check the model name and the registry (--registry, or registry in mlops.yaml), or register "${model}" first.`
      : others.length > 0
        ? `Models there: ${others.join(', ')}. Check the model name, or register "${model}" first.`
        : 'The registry is empty: register a model first (mlops register), or give another registry with --registry.',
  );
}

/** The error for a metric no version has, with the ones there are. */
export function unknownMetricError(model: string, metric: string, records: readonly HistoryRecord[]): UserError {
  const names = metricNames(records);
  return new UserError(
    `no version of ${model} has the metric "${metric}"`,
    names.length > 0
      ? `Metrics there: ${names
          .slice(0, 30)
          .map((name) => terminalText(name, 60))
          .join(', ')}${names.length > 30 ? ', …' : ''}.`
      : 'No version has test metrics: register models with the blessing evaluate writes.',
  );
}

/** Text safe for a terminal: control and bidirectional-override characters as '?', shortened to `max`. */
export function terminalText(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
