/** Human-facing statistics derived from a column profile (what reports and profile.json show). */
import { FrequentItems, HyperLogLog, KllSketch } from '../sketch/index.js';
import { columnTotal } from './profile.js';
import type { ColumnProfileState, DatasetProfile } from './profile.js';

export type ColumnType = 'integer' | 'number' | 'boolean' | 'datetime' | 'string';

export const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
export const HISTOGRAM_BINS = 10;

export interface ColumnSummary {
  name: string;
  type: ColumnType | 'empty';
  count: number;
  nulls: number;
  nullFraction: number;
  distinct: number;
  distinctExact: boolean;
  mean: number | null;
  std: number | null;
  min: number | string | null;
  max: number | string | null;
  quantiles: Record<string, number> | null;
  histogram: Array<{ low: number; high: number; count: number }> | null;
  top: Array<{ value: string; count: number }>;
  nan: number;
  infinity: number;
}

/**
 * The narrowest type that holds every non-null value: integer, then number
 * (integers, decimals, NaN and infinities), boolean, datetime, else string.
 */
export function inferColumnType(column: ColumnProfileState): ColumnType | 'empty' {
  const c = column.counts;
  const nonNull = columnTotal(column) - c.null;
  if (nonNull === 0) return 'empty';
  if (c.string > 0) return 'string';
  const numeric = c.integer + c.number + c.nan + c.infinity;
  if (numeric === nonNull) return c.number + c.nan + c.infinity > 0 ? 'number' : 'integer';
  if (c.boolean === nonNull) return 'boolean';
  if (c.datetime === nonNull) return 'datetime';
  return 'string';
}

export function summarizeColumn(column: ColumnProfileState): ColumnSummary {
  const total = columnTotal(column);
  const nulls = column.counts.null;
  const top = FrequentItems.fromJSON(column.top);
  const distinctExact = top.exact && column.numbersInTop;
  // An estimate can overshoot a little; there are never more distinct values than values.
  const distinct = distinctExact
    ? top.size
    : Math.min(Math.round(HyperLogLog.fromJSON(column.distinct).estimate()), total - column.counts.null);
  const type = inferColumnType(column);
  let quantiles: Record<string, number> | null = null;
  let histogram: ColumnSummary['histogram'] = null;
  let mean: number | null = null;
  let std: number | null = null;
  let min: number | string | null = null;
  let max: number | string | null = null;
  if (column.numeric) {
    const { count, m2 } = column.numeric;
    mean = column.numeric.mean;
    std = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
    min = column.numeric.min;
    max = column.numeric.max;
    const sketch = KllSketch.fromJSON(column.numeric.sketch);
    const values = sketch.quantiles([...QUANTILES]);
    quantiles = {};
    QUANTILES.forEach((q, i) => (quantiles![`p${Math.round(q * 100)}`] = values[i]!));
    histogram = buildHistogram(sketch, column.numeric.min, column.numeric.max, count);
  } else if (column.datetime) {
    min = new Date(column.datetime.min).toISOString();
    max = new Date(column.datetime.max).toISOString();
  }
  return {
    name: column.name,
    type,
    count: total - nulls,
    nulls,
    nullFraction: total > 0 ? nulls / total : 0,
    distinct,
    distinctExact,
    mean,
    std,
    min,
    max,
    quantiles,
    histogram,
    top: top.top(10).map(([value, count]) => ({ value, count })),
    nan: column.counts.nan,
    infinity: column.counts.infinity,
  };
}

/** Equal-width bins between min and max, counted from the sketch's CDF. */
function buildHistogram(sketch: KllSketch, min: number, max: number, count: number): ColumnSummary['histogram'] {
  if (min === max) return [{ low: min, high: max, count }];
  const width = (max - min) / HISTOGRAM_BINS;
  const bins: Array<{ low: number; high: number; count: number }> = [];
  let previous = 0;
  for (let i = 0; i < HISTOGRAM_BINS; i++) {
    const low = min + i * width;
    const high = i === HISTOGRAM_BINS - 1 ? max : min + (i + 1) * width;
    const cumulative = i === HISTOGRAM_BINS - 1 ? count : Math.round(sketch.cdf(high) * count);
    bins.push({ low, high, count: Math.max(0, cumulative - previous) });
    previous = Math.max(previous, cumulative);
  }
  return bins;
}

export function summarizeProfile(profile: DatasetProfile): ColumnSummary[] {
  return profile.columns.map(summarizeColumn);
}
