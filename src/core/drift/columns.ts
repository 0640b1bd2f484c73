/**
 * One side (reference or current) of the drift check, column by column, in the least
 * memory that still allows exact statistics: the finite numbers of a column in one
 * sorted Float64Array (no row alignment is needed for marginal distributions, so no
 * NaN placeholders), text values as counts per distinct value, and the counts of
 * missing (null, NaN) and infinite cells. A side can also come from a stored profile
 * (mlops-profile/v1): then numbers are a KLL sketch and texts a frequent-items summary.
 * A profile is as exact as its sketches: while the KLL sketch still holds every value
 * (nothing compacted yet: n <= k, 256 in profiles) its values are the data and the side
 * is built from them exactly as from a file; while the frequent-items summary never had to
 * prune (at most 2 x 1,024 distinct values) its counts are exact.
 */
import { FrequentItems, HyperLogLog, KllSketch } from '../sketch/index.js';
import type { ColumnProfileState, DatasetProfile } from '../profile/profile.js';
import { columnTotal } from '../profile/profile.js';
import { lowerBound, sortFinite, upperBound } from './stats.js';

/** The finite numbers of a column: exact (sorted) or a quantile sketch. */
export interface NumericValues {
  n: number;
  /** All values, ascending, when exact. */
  sorted: Float64Array | null;
  /** The sketch, when the side is a profile. */
  sketch: KllSketch | null;
  mean: number;
  /** Population standard deviation (ddof 0). */
  std: number;
  min: number;
  max: number;
  /** Distinct values: exact from data; from a profile, exact up to `DISTINCT_CAP` (Infinity past it). */
  distinct: number;
  /** Counts per value (keyed by String(value)) when there are at most `DISTINCT_CAP` distinct values. */
  counts: Map<string, number> | null;
}

export interface SideColumn {
  name: string;
  /** Rows of this side (cells of the column, present or not). */
  rows: number;
  /** Null and NaN cells. */
  missing: number;
  /** +/-Infinity cells (left out of the tests, reported). */
  infinite: number;
  numeric: NumericValues | null;
  /** Counts of text (and boolean) values. */
  texts: Map<string, number>;
  textCount: number;
  /** False when counts come from a frequent-items summary that had to approximate. */
  textsExact: boolean;
  /** How much any count of `texts` (and of the numbers' `counts`, from a profile) may fall short of the truth: 0 when exact. */
  textsMaxError?: number;
  /**
   * Every cell a whole-number literal ("12", not "12.0"), none missing, NaN or infinite, no
   * text: a column pandas reads as int64 (it matters to numpy's Sturges bins, see stats.ts).
   */
  integerDtype?: boolean;
  /** Distinct non-missing values (numbers and texts), when not exact: a profile's HyperLogLog estimate. */
  distinctEstimate?: number;
}

export interface Side {
  source: 'data' | 'profile';
  /** Files read, or the profile's own file list. */
  files: string[];
  rows: number;
  columns: Map<string, SideColumn>;
  /** What reading noticed and got past (a half-written last line of a log being written, ...). */
  notes?: string[];
}

/** Distinct numbers are counted exactly up to this many (enough for Evidently's "<= 5 unique" rule and small charts). */
export const DISTINCT_CAP = 1024;

/** The cumulative share of values <= x. */
export function cdfOf(values: NumericValues, x: number): number {
  if (values.sorted) return upperBound(values.sorted, x) / values.n;
  return values.sketch ? values.sketch.cdf(x) : NaN;
}

/** The share of values < x. */
export function cdfBelowOf(values: NumericValues, x: number): number {
  if (values.sorted) return lowerBound(values.sorted, x) / values.n;
  return values.sketch ? values.sketch.cdf(x, false) : NaN;
}

/**
 * The normalized rank error of a side's CDF: 0 when exact, else the KLL sketch's
 * (DataSketches' 99%-confidence bound, about 0.0105 at k = 256).
 */
export function rankError(values: NumericValues): number {
  if (values.sorted) return 0;
  return values.sketch ? KllSketch.normalizedRankError(values.sketch.k) : 1;
}

/** The q-quantile (exact: lower value at rank ceil(q n); sketch: its estimate). */
export function quantileOf(values: NumericValues, q: number): number {
  if (values.sorted) {
    const n = values.sorted.length;
    return values.sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  }
  return values.sketch ? values.sketch.quantile(q) : NaN;
}

/** The q-quantile as numpy.quantile and pandas (linear interpolation between ranks) when exact; the sketch's estimate otherwise. */
export function linearQuantileOf(values: NumericValues, q: number): number {
  if (values.sorted) {
    const s = values.sorted;
    const pos = q * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, s.length - 1);
    return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
  }
  return values.sketch ? values.sketch.quantile(q) : NaN;
}

/** The points where the side's CDF steps: every value (exact) or every retained sketch item. */
export function stepPoints(values: NumericValues): Float64Array {
  if (values.sorted) return values.sorted;
  if (!values.sketch) return new Float64Array(0);
  const items = values.sketch.toJSON().levels.flat();
  return Float64Array.from(items).sort();
}

/** Distinct non-missing values of a column (numbers and texts), and whether the count is exact. */
export function distinctValues(column: SideColumn): { count: number; exact: boolean } {
  const numbers = column.numeric?.distinct ?? 0;
  if (Number.isFinite(numbers) && column.textsExact) return { count: numbers + column.texts.size, exact: true };
  const values = (column.numeric?.n ?? 0) + column.textCount;
  return { count: Math.min(column.distinctEstimate ?? Infinity, values), exact: false };
}

/** Builds the numeric summary of exact values (sorts `values` in place). */
export function exactNumeric(values: Float64Array): NumericValues | null {
  const n = values.length;
  if (n === 0) return null;
  sortFinite(values);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  let distinct = 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && values[j] === values[i]) j++;
    distinct++;
    if (distinct <= DISTINCT_CAP) counts.set(String(values[i]), j - i);
    i = j;
  }
  return {
    n,
    sorted: values,
    sketch: null,
    mean,
    std: Math.sqrt(ss / n),
    min: values[0]!,
    max: values[n - 1]!,
    distinct,
    counts: distinct > DISTINCT_CAP ? null : counts,
  };
}

const NUMBER_KEY = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/;

/** One column of a stored profile as a side column (exact where its sketches still hold everything). */
export function columnFromProfile(state: ColumnProfileState): SideColumn {
  const rows = columnTotal(state);
  const top = FrequentItems.fromJSON(state.top);
  const items = top.top(top.size);
  const texts = new Map<string, number>();
  let numberCounts: Map<string, number> | null = state.numbersInTop ? new Map() : null;
  // The summary holds numbers (as String(value)) beside texts while there are few distinct numbers.
  const numericCount = state.counts.integer + state.counts.number;
  for (const [key, count] of items) {
    if (key === 'NaN' || key === 'Infinity' || key === '-Infinity') continue;
    if (numberCounts && numericCount > 0 && NUMBER_KEY.test(key)) numberCounts.set(key, count);
    else texts.set(key, count);
  }
  let numeric: NumericValues | null = null;
  if (state.numeric && state.numeric.count > 0) {
    const s = state.numeric;
    const sketch = KllSketch.fromJSON(s.sketch);
    if (sketch.holdsAll) {
      // Every value is still in the sketch: the numbers are the data.
      numeric = exactNumeric(Float64Array.from(s.sketch.levels[0]!));
    } else {
      if (numberCounts && numberCounts.size > DISTINCT_CAP) numberCounts = null;
      numeric = {
        n: s.count,
        sorted: null,
        sketch,
        mean: s.mean,
        std: Math.sqrt(s.m2 / s.count),
        min: s.min,
        max: s.max,
        distinct: numberCounts ? numberCounts.size : Infinity,
        counts: numberCounts,
      };
    }
  }
  const textCount = state.counts.string + state.counts.boolean + state.counts.datetime;
  const missing = state.counts.null + state.counts.nan;
  return {
    name: state.name,
    rows,
    missing,
    infinite: state.counts.infinity,
    numeric,
    texts,
    textCount,
    textsExact: top.exact,
    textsMaxError: top.maxError,
    integerDtype: state.counts.integer > 0 && state.counts.integer === rows,
    distinctEstimate: Math.round(HyperLogLog.fromJSON(state.distinct).estimate()),
  };
}

/** A stored profile as a side. */
export function sideFromProfile(profile: DatasetProfile): Side {
  const columns = new Map<string, SideColumn>();
  for (const state of profile.columns) columns.set(state.name, columnFromProfile(state));
  return { source: 'profile', files: profile.files, rows: profile.rows, columns };
}

/** Counts per value (String(value)) of a side: kept, or counted from the sorted values; null from a sketch that keeps none. */
export function valueCounts(v: NumericValues): Map<string, number> | null {
  if (v.counts) return v.counts;
  if (!v.sorted) return null;
  const out = new Map<string, number>();
  const s = v.sorted;
  for (let i = 0; i < s.length;) {
    let j = i + 1;
    while (j < s.length && s[j] === s[i]) j++;
    out.set(String(s[i]), j - i);
    i = j;
  }
  return out;
}
