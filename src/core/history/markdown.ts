/**
 * The history section of the pull request comment: the candidate against the production
 * model and against the last N evaluations of the default branch, as a Mermaid
 * `xychart-beta` line chart of one metric (with the interval bounds as two more lines when
 * there are intervals, and production as a flat line) and a compact table.
 *
 * Everything from the registry is data: metric names, commits, dates and aliases go
 * through `code` in the table and `mermaidLabel` in the chart (markdown-report.ts's rules),
 * and the chart's numbers are written as plain decimals (Mermaid's grammar has no exponent).
 * Mermaid draws no legend, so the colours are set (plotColorPalette, one per line in
 * order) and named under the chart.
 */
import { mermaidLabel } from '../evaluate/markdown-report.js';
import { code, formatNumber, table } from '../markdown.js';
import { HISTORY_LAST, metricInterval, metricValue, readIntervals } from './history.js';
import type { HistoryRecord, MetricInterval } from './history.js';

export interface HistorySectionInput {
  /** The model's history (readHistory), oldest first; every version, so that production is found outside the window too. */
  records: readonly HistoryRecord[];
  /** The candidate of the pull request: its metrics (any object; numbers are read) and intervals when the evaluation has them. */
  candidate: { metrics: object; intervals?: unknown };
  /** The metric to chart (historyMetric: the first gate's, else accuracy or rmse). */
  metric: string;
  /**
   * The version the candidate is judged against (the baseline alias's version). undefined:
   * the version the alias `production` points at, if any; null: none.
   */
  productionVersion?: number | null;
  /** How many evaluations to show (default HISTORY_LAST, 10). */
  last?: number;
}

export interface HistorySection {
  title: string;
  body: string;
  fold: boolean;
}

const COLOURS = { value: '#0969da', bound: '#8c959f', production: '#1a7f37' } as const;

/** The section, whole: a sentence, the chart (with two points or more) and the table. */
export function historySection(input: HistorySectionInput): HistorySection {
  const { records, metric } = input;
  const last = input.last ?? HISTORY_LAST;
  const name = code(metric, 40, false);
  const evaluated = records.filter((r) => metricValue(r.metrics, metric) !== null);
  const window = evaluated.slice(-Math.max(1, last));
  const left = records.filter((r) => r.version >= (window[0]?.version ?? Infinity) && metricValue(r.metrics, metric) === null).length;
  const production = findProduction(records, input.productionVersion);
  const productionValue = production ? metricValue(production.metrics, metric) : null;
  const candidateValue = metricValue(input.candidate.metrics as Record<string, unknown>, metric);
  const candidateInterval = metricInterval(readIntervals(input.candidate.intervals), metric);
  const title = 'History';

  const sentences: string[] = [];
  sentences.push(
    candidateValue === null
      ? `The candidate has no ${name}.`
      : `Candidate ${name}: **${formatNumber(candidateValue)}**${candidateInterval ? ` (interval ${intervalText(candidateInterval)})` : ''}.`,
  );
  if (typeof input.productionVersion === 'number' && !production) {
    sentences.push(`Production v${input.productionVersion} is not among the versions read.`);
  } else if (production) {
    sentences.push(
      productionValue === null
        ? `Production v${production.version} has no ${name}.`
        : `Production v${production.version}: ${formatNumber(productionValue)}${
            candidateValue !== null ? `, change ${signed(candidateValue - productionValue)}` : ''
          }.`,
    );
  }
  if (window.length > 0) {
    const values = window.map((r) => metricValue(r.metrics, metric)!);
    sentences.push(
      (window.length === 1
        ? `Last evaluation (v${window[0]!.version}): ${formatNumber(values[0])}`
        : `Last ${window.length} evaluations (v${window[0]!.version} to v${window.at(-1)!.version}): ` +
          `${formatNumber(Math.min(...values))} to ${formatNumber(Math.max(...values))}`) +
        (left > 0 ? `; ${left} version${left === 1 ? '' : 's'} without ${name} left out.` : '.'),
    );
  } else {
    sentences.push(
      records.length === 0
        ? 'No version of this model in the registry yet: the history starts with the first registration.'
        : `No registered version has ${name} yet.`,
    );
  }

  const parts = [sentences.join(' ')];
  const points = [
    ...window.map((r) => ({
      label: `v${r.version}`,
      value: metricValue(r.metrics, metric)!,
      interval: metricInterval(r.intervals, metric),
    })),
    ...(candidateValue !== null ? [{ label: 'PR', value: candidateValue, interval: candidateInterval }] : []),
  ];
  if (points.length >= 2) parts.push(chart(metric, points, production && productionValue !== null ? productionValue : null));

  const rows: string[][] = [];
  const shown = production && !window.includes(production) ? [production, ...window] : window;
  for (const record of shown) {
    const value = metricValue(record.metrics, metric);
    const interval = metricInterval(record.intervals, metric);
    rows.push([
      `v${record.version}${record.blessed === false ? ' ❌' : ''}`,
      record.commit === null ? '' : code(shortCommit(record.commit), 12),
      dateCell(record.evaluatedAt ?? record.createdAt),
      formatNumber(value),
      interval ? intervalText(interval) : '',
      record.aliases.map((alias) => code(alias, 30)).join(' '),
    ]);
  }
  if (candidateValue !== null || rows.length > 0)
    rows.push(['**PR**', '', '', formatNumber(candidateValue), candidateInterval ? intervalText(candidateInterval) : '', 'candidate']);
  if (shown.some((r) => r.blessed === false)) parts.push('❌: registered without being blessed.');
  if (rows.length > 1)
    parts.push(
      table(['Version', 'Commit', 'Evaluated', code(metric, 40), 'Interval', 'Aliases'], rows, [
        'left',
        'left',
        'left',
        'right',
        'left',
        'left',
      ]),
    );
  return { title, body: parts.join('\n\n'), fold: false };
}

interface Point {
  label: string;
  value: number;
  interval: MetricInterval | null;
}

/** The line chart: the value, the interval bounds (where a point has no interval, at its value), production flat. */
function chart(metric: string, points: Point[], production: number | null): string {
  const withIntervals = points.some((p) => p.interval !== null);
  const series: Array<{ name: string; colour: string; values: number[] }> = [
    { name: metric, colour: COLOURS.value, values: points.map((p) => p.value) },
  ];
  if (withIntervals) {
    series.push({ name: 'lower', colour: COLOURS.bound, values: points.map((p) => p.interval?.lower ?? p.value) });
    series.push({ name: 'upper', colour: COLOURS.bound, values: points.map((p) => p.interval?.upper ?? p.value) });
  }
  if (production !== null) series.push({ name: 'production', colour: COLOURS.production, values: points.map(() => production) });
  const all = series.flatMap((s) => s.values);
  const range = axisRange(Math.min(...all), Math.max(...all));
  const legend = [
    `Blue: ${code(metric, 40, false)} per version, then the pull request (PR)`,
    ...(withIntervals ? ['grey: the interval bounds (at the value where a version has no interval)'] : []),
    ...(production !== null ? ['green: production'] : []),
  ];
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${series.map((s) => s.colour).join(', ')}"}}}}%%`,
    'xychart-beta',
    `  title ${mermaidLabel(`${metric} by version`, 60)}`,
    `  x-axis [${points.map((p) => mermaidLabel(p.label)).join(', ')}]`,
    `  y-axis ${mermaidLabel(metric, 40)}${range ? ` ${range[0]} --> ${range[1]}` : ''}`,
    ...series.map((s) => `  line ${mermaidLabel(s.name, 40)} [${s.values.map((v) => plain(v)).join(', ')}]`),
    '```',
    '',
    `${legend.join('; ')}.`,
  ].join('\n');
}

/**
 * The y-axis range: [min, max] with a 10% margin, rounded outwards to a step of a hundredth
 * of the range; null (Mermaid then picks one) when the written bounds would not enclose the values.
 */
function axisRange(min: number, max: number): [string, string] | null {
  const span = max - min;
  const margin = span > 0 ? span * 0.1 : Math.abs(max) * 0.05 || 1;
  const exponent = Math.floor(Math.log10(span + 2 * margin)) - 2;
  const step = 10 ** exponent;
  const digits = Math.min(20, Math.max(0, -exponent));
  const low = plain(Math.floor((min - margin) / step + 1e-9) * step, { maximumFractionDigits: digits });
  const high = plain(Math.ceil((max + margin) / step - 1e-9) * step, { maximumFractionDigits: digits });
  return Number(low) <= min && Number(high) >= max && Number(low) < Number(high) ? [low, high] : null;
}

/**
 * A number as Mermaid's grammar reads it: a plain decimal, never an exponent; 15 significant
 * digits by default (what a double holds: a value stays inside the axis range it was measured against).
 */
export function plain(value: number, digits: Intl.NumberFormatOptions = { maximumSignificantDigits: 15 }): string {
  const text = value.toLocaleString('en-US', { useGrouping: false, ...digits });
  return text === '-0' ? '0' : text;
}

function intervalText(interval: MetricInterval): string {
  return `${formatNumber(interval.lower)} to ${formatNumber(interval.upper)}`;
}

function signed(value: number): string {
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${formatNumber(Math.abs(value))}`;
}

/** The first 7 characters of a commit id; anything else as it is (the caller puts it in a code span). */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{7,64}$/i.test(commit) ? commit.slice(0, 7) : commit;
}

/** The day of an ISO timestamp; anything else in a code span. */
function dateCell(text: string): string {
  const day = /^(\d{4}-\d{2}-\d{2})(?:[T ]|$)/.exec(text);
  return day ? day[1]! : code(text, 20);
}

function findProduction(records: readonly HistoryRecord[], version: number | null | undefined): HistoryRecord | null {
  if (version === null) return null;
  if (version === undefined) return records.find((r) => r.aliases.includes('production')) ?? null;
  return records.find((r) => r.version === version) ?? null;
}
