/**
 * `mlops history`: a model's versions as a table for a terminal (or JSON), and two versions
 * compared metric by metric. Returns what to print; the CLI prints it. Text from the
 * registry (commits, aliases, metric names) is stripped of control characters before it
 * reaches a terminal, so a card cannot move the cursor or recolour the screen.
 */
import { UserError } from '../errors.js';
import { formatNumber } from '../markdown.js';
import type { Registry } from '../../ports/registry.js';
import {
  compareRecords,
  mainMetrics,
  metricInterval,
  metricNames,
  metricValue,
  noVersionsError,
  readHistory,
  resolveRecords,
  terminalText,
  unknownMetricError,
} from './history.js';
import type { HistoryRecord, MetricComparison, MetricInterval } from './history.js';
import { shortCommit } from './markdown.js';

export interface HistoryCommandOptions {
  /** Only the last N versions (every version without it). */
  last?: number;
  /** Show this metric (and its interval) instead of the main ones; it must be a metric some version has. */
  metric?: string;
  /** Two versions (numbers, v3, aliases or digests) to compare, every metric. */
  compare?: readonly [string, string];
  /** JSON instead of a table. */
  json?: boolean;
}

export interface HistoryOutput {
  /** What goes to standard output. */
  stdout: string;
  /** Notes for standard error: versions left out, cards or blessings that could not be read. */
  warnings: string[];
}

/** The listing or the comparison, as `mlops history` prints it. */
export async function historyCommand(registry: Registry, model: string, options: HistoryCommandOptions = {}): Promise<HistoryOutput> {
  const warnings: string[] = [];
  const all = await readHistory(registry, model, {
    onForeign: (version, reason) => warnings.push(`v${version} left out: ${reason}`),
  });
  if (all.length === 0) throw await noVersionsError(registry, model);
  if (options.metric !== undefined && !metricNames(all).includes(options.metric)) throw unknownMetricError(model, options.metric, all);

  if (options.compare) {
    const [a, b] = await resolveRecords(registry, model, options.compare);
    for (const record of [a, b]) warnings.push(...record.problems.map((p) => `v${record.version}: ${p}`));
    const rows = compareRecords(a, b).filter((row) => options.metric === undefined || row.metric === options.metric);
    const stdout = options.json ? `${JSON.stringify({ model, a, b, metrics: rows }, null, 2)}\n` : comparisonText(a, b, rows);
    return { stdout, warnings };
  }

  if (options.last !== undefined && (!Number.isSafeInteger(options.last) || options.last < 1))
    throw new UserError(`--last must be a whole number of at least 1, not ${options.last}`, 'For the last 10 versions: --last 10.');
  const records = options.last === undefined ? all : all.slice(-options.last);
  for (const record of records) warnings.push(...record.problems.map((p) => `v${record.version}: ${p}`));
  if (options.json) return { stdout: `${JSON.stringify({ model, versions: records }, null, 2)}\n`, warnings };
  return { stdout: listingText(records, options.metric === undefined ? mainMetrics(records) : [options.metric]), warnings };
}

/** The versions as aligned columns: version, commit, evaluated (else registered), blessed, aliases, then each metric with its interval. */
export function listingText(records: readonly HistoryRecord[], metrics: readonly string[]): string {
  const header = ['version', 'commit', 'evaluated', 'blessed', 'aliases', ...metrics.map((m) => terminalText(m, 30))];
  const rows = records.map((r) => [
    `v${r.version}`,
    r.commit === null ? '-' : terminalText(shortCommit(r.commit), 12),
    minute(r.evaluatedAt ?? r.createdAt) + (r.evaluatedAt === null ? ' (registered)' : ''),
    r.blessed === null ? 'no blessing' : r.blessed ? 'yes' : 'no',
    r.aliases.length > 0 ? r.aliases.map((a) => terminalText(a, 30)).join(', ') : '-',
    ...metrics.map((m) => valueText(metricValue(r.metrics, m), metricInterval(r.intervals, m))),
  ]);
  return columns([header, ...rows], [false, false, false, false, false, ...metrics.map(() => true)]);
}

/** Two versions: who they are, then every metric of either with b − a and the intervals. */
export function comparisonText(a: HistoryRecord, b: HistoryRecord, rows: readonly MetricComparison[]): string {
  const va = `v${a.version}`;
  const vb = `v${b.version}`;
  const who = (r: HistoryRecord) =>
    `v${r.version}${r.aliases.length > 0 ? ` (${r.aliases.map((x) => terminalText(x, 30)).join(', ')})` : ''}: ` +
    `commit ${r.commit === null ? 'unknown' : terminalText(shortCommit(r.commit), 12)}, ` +
    (r.evaluatedAt === null
      ? `registered ${minute(r.createdAt)}, no blessing`
      : `evaluated ${minute(r.evaluatedAt)}, ${r.blessed ? 'blessed' : 'not blessed'}`);
  const withIntervals = rows.some((row) => row.aInterval !== null || row.bInterval !== null);
  const header = ['metric', va, vb, `${vb} − ${va}`, ...(withIntervals ? [`${va} interval`, `${vb} interval`] : [])];
  const table = rows.map((row) => [
    terminalText(row.metric, 40),
    valueText(row.a, null),
    valueText(row.b, null),
    row.difference === null ? '-' : signed(row.difference),
    ...(withIntervals ? [intervalText(row.aInterval), intervalText(row.bInterval)] : []),
  ]);
  const body =
    rows.length > 0 ? columns([header, ...table], [false, true, true, true, false, false]) : 'Neither version has test metrics.\n';
  return `${who(a)}\n${who(b)}\n\n${body}`;
}

function valueText(value: number | null, interval: MetricInterval | null): string {
  if (value === null) return '-';
  return interval ? `${formatNumber(value)} [${formatNumber(interval.lower)}, ${formatNumber(interval.upper)}]` : formatNumber(value);
}

function intervalText(interval: MetricInterval | null): string {
  return interval ? `[${formatNumber(interval.lower)}, ${formatNumber(interval.upper)}]` : '-';
}

function signed(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : value < 0 ? `-${formatNumber(-value)}` : '0';
}

/** An ISO timestamp to the minute (2026-01-31 14:05); anything else as text. */
function minute(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(text);
  return match ? `${match[1]} ${match[2]}` : terminalText(text, 25);
}

/** Rows as columns separated by two spaces; `right[i]` right-aligns column i. */
function columns(rows: readonly string[][], right: readonly boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...(row[i] ?? '')].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const pad = ' '.repeat(widths[i]! - [...cell].length);
          return right[i] ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
