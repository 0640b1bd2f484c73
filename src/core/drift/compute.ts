/**
 * The drift check of two sides (data or profiles): per column, the kind, the test (by
 * Evidently's rule unless configured), its verdict, and the change in the null share as a
 * signal of its own; then dataset drift from the share of drifted feature columns.
 * Nothing about one column (NaN, infinities, no values, one value, a column on one side
 * only, a test that does not fit it) stops the others: each gets a status.
 *
 * What is counted. When the model's features are known (its card's signature, train.features
 * in mlops.yaml, or the `columns` given), those are the feature columns: one the current data
 * lacks is drift (status `missing-in-current`, `drifted`, counted in the share, listed in
 * `missingFeatures`: the model would get no values for it), and every other column of the
 * data (not the target, the prediction or log bookkeeping) is compared too, as role `other`
 * in `others`, shown and never counted. When they are not known, every column is a feature
 * and `others` is empty. Evidently compares the columns of the current data's definition;
 * a column the current data lacks is not among them.
 *
 * The null share. Evidently drops nulls before testing, so a rise in nulls is invisible
 * there. Here it is reported per column (`nullDrift`) and listed apart
 * (`nullShareDriftedColumns`), and a column counts as drifted (in `drifted`, the drift
 * share and the dataset verdict) only for its values, unless the settings ask for nulls
 * too (`null_share_in_drift_share: true`): by default the drift share is Evidently's.
 *
 * Too few current rows. Below `min_current_rows` (default 30, see config.ts) the dataset
 * verdict is "not enough data" and `drifted` is false; the column tests still run and are
 * shown, for information. Evidently has no such floor.
 *
 * Column kinds. Evidently 0.7.21's `infer_column_type` (evidently/core/datasets.py, read at
 * tag v0.7.21), on each pandas column: float dtype: numerical; int dtype: categorical when
 * `nunique() <= INTEGER_CARDINALITY_LIMIT` (10), else numerical; string or object dtype
 * whose first and last non-null values are strings: text when `nunique() > count() * 0.5`
 * (more than half of the non-null values distinct), else categorical; bool and category:
 * categorical; datetime: datetime (not tested); anything else unknown (not tested). The
 * preset takes each column's type from the current dataset (core/report.py,
 * `Context.data_definition` is `_input_data[0]`'s; metrics/column_statistics.py,
 * `ValueDriftCalculation` reads `current_data.column(c).type`), and DataDriftPreset tests
 * numerical, categorical and text columns (presets/drift.py, `generate_metrics`), counting
 * all three in the drifted share (legacy/calculations/data_drift.py,
 * `_get_all_columns_for_drift`).
 *
 * Ours, from the values, as Evidently from the current data. A dtype is not in our files;
 * what pandas would read is: int64 when every cell is a whole-number literal ("12", not
 * "12.0" or "1e3") and none is missing (one empty cell makes the column float64), recorded
 * by the reader as `integerDtype` (a profile: every cell counted as an integer). So: a
 * column is categorical when most of its values (both sides) are text or booleans, or
 * when the current data is of integers with at most `INTEGER_CATEGORICAL_MAX_UNIQUE` (10)
 * distinct values; otherwise numeric. Where we differ: a column mixing numbers and some
 * texts is numeric here with its texts left out (pandas makes it an object column:
 * categorical or text there). New values in the current data are new categories
 * (chi-square then gives p = 0). Separately, the test rule (methods.ts) treats numeric
 * columns with at most 5 distinct values over both sides with the categorical tests, as
 * Evidently's `_get_default_stattest` does.
 *
 * Text, as Evidently: a column of strings (texts at least as many as numbers, and not only
 * booleans) whose current data has more distinct values than half its non-null values is
 * kind `text`. Evidently tests text with a domain classifier (text_content_drift.py: TF-IDF
 * and SGDClassifier, ROC AUC against a threshold or random classifiers), which is not
 * reproduced here: such a column is reported with status `skipped` and a note, its null
 * share still shown, and it is left out of the drift share (where Evidently counts its
 * classifier's verdict: with text columns the shares differ). To test one, set its `method`
 * in the drift settings (it is then tested as categorical), or its `kind`. From a profile
 * whose summary had to approximate, the distinct count is the HyperLogLog estimate.
 * `kind:` in the settings overrides all of this.
 *
 * From stored profiles: exact where the sketches still hold every value (columns.ts), else
 * the tests' values come with the range their error allows (bounds.ts): `errorBound` (how far
 * the statistic may be off, 0 when exact) and `nearThreshold` (a verdict that a value within
 * that range would flip).
 */
import { cdfOf, distinctValues, linearQuantileOf, valueCounts } from './columns.js';
import type { NumericValues, Side, SideColumn } from './columns.js';
import { DEFAULT_DRIFT_SHARE, DEFAULT_MIN_CURRENT_ROWS, DEFAULT_NULL_SHARE_THRESHOLD, methodOptions } from './config.js';
import type { ColumnSettings, DriftSettings } from './config.js';
import { METHODS, defaultMethod, INTEGER_CATEGORICAL_MAX_UNIQUE, isDrift, NUMERIC_AS_CATEGORICAL_MAX_UNIQUE } from './methods.js';
import type { ColumnKind, DriftMethod, MethodName, MethodResult, Pair } from './methods.js';
import { PER_VALUE_MAX_DISTINCT } from './stats.js';

export const DRIFT_REPORT_FORMAT = 'mlops-drift/v1';
/** Bars per distribution chart; categories past this are summed into one "other" bar. */
export const CHART_BARS = 10;
/** Whole-number columns with at most this many distinct values (both sides together) are drawn one bar per value. */
export const VALUE_BARS = 20;
/** Quantiles of a side's summary. */
export const SUMMARY_QUANTILES = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1] as const;
/** Most frequent values in a side's summary. */
export const SUMMARY_CATEGORIES = 10;
/** Evidently's text rule: a string column with more distinct values than this share of its non-null values is text. */
export const TEXT_DISTINCT_SHARE = 0.5;
/** The column of a model's predictions in prediction logs and training profiles. */
import { PREDICTION_COLUMN } from '../profile/profile.js';
export { PREDICTION_COLUMN };
/** Prediction-log bookkeeping, never compared. */
export const LOG_COLUMNS = ['_time', '_model', '_version', '_request_id', '_row', '_cut'] as const;

export type ColumnStatus =
  | 'tested'
  | 'skipped'
  | 'missing-in-reference'
  | 'missing-in-current'
  | 'no-values-in-reference'
  | 'no-values-in-current'
  | 'method-does-not-fit';

/** `other`: a column of the data that is not a model feature (compared and shown, never counted). */
export type ColumnRole = 'feature' | 'prediction' | 'target' | 'other';

export interface SideCounts {
  rows: number;
  /** Values the test used (finite numbers, or category values). */
  values: number;
  /** Null and NaN cells. */
  missing: number;
  infinite: number;
  nullShare: number;
}

export interface Distribution {
  /** Bar labels: a category or value, or a bin's lower edge. */
  labels: string[];
  reference: number[];
  current: number[];
  /** True when the labels are numeric bins (lower edges); false for categories and for whole numbers drawn one bar per value. */
  binned: boolean;
}

/** One side of a column at a glance. */
export interface ColumnSummary {
  /** The numbers' quantiles at 0, 0.05, 0.25, 0.5, 0.75, 0.95 and 1 (linear interpolation, numpy's default; a sketch's estimates); empty without numbers. */
  quantiles: number[];
  /** The numbers' mean, or null without numbers. */
  mean: number | null;
  /** The most frequent values (up to 10) of a categorical or text column, with their share of the non-missing values; empty for numeric columns. */
  topCategories: Array<{ value: string; share: number }>;
}

export interface ColumnDrift {
  column: string;
  role: ColumnRole;
  status: ColumnStatus;
  kind: ColumnKind | null;
  method: MethodName | null;
  direction: DriftMethod['direction'] | null;
  threshold: number | null;
  statistic: number | null;
  pValue: number | null;
  /** The values moved (the test's verdict). */
  valueDrift: boolean;
  /** The null share rose by more than its threshold (a signal of its own). */
  nullDrift: boolean;
  /** valueDrift; or nullDrift too when the settings count it (null_share_in_drift_share); a model feature missing from the current data. */
  drifted: boolean;
  /** Computed from a stored profile's sketches (see methods.ts for the error). */
  approximate: boolean;
  /** How far the statistic may be from the data's (the sketches' worst case, bounds.ts): 0 when exact, null when not tested or not bounded. */
  errorBound: number | null;
  /** A value of the statistic within `errorBound` would flip the verdict. */
  nearThreshold: boolean;
  nullShare: { reference: number; current: number; change: number; threshold: number };
  reference: SideCounts | null;
  current: SideCounts | null;
  notes: string[];
  distribution: Distribution | null;
  summary: { reference: ColumnSummary | null; current: ColumnSummary | null };
}

export type DriftVerdict = 'drift' | 'no-drift' | 'not-enough-data';

export interface DriftReport {
  format: typeof DRIFT_REPORT_FORMAT;
  checkedAt: string;
  /** What the report is about (the model or project name). */
  subject: string;
  reference: { source: 'data' | 'profile'; description: string; files: string[]; rows: number };
  current: { source: 'data' | 'profile'; description: string; files: string[]; rows: number };
  driftShareThreshold: number;
  /** Drifted share of the compared feature columns. */
  driftShare: number;
  /** `not-enough-data` when the current side has fewer than `minCurrentRows` rows: then `drifted` is false whatever the columns say. */
  verdict: DriftVerdict;
  minCurrentRows: number;
  drifted: boolean;
  comparedFeatures: number;
  driftedColumns: string[];
  /** Model features the current data lacks (each drifted and counted). */
  missingFeatures: string[];
  /** Compared feature columns whose null share rose past its threshold, drifted or not. */
  nullShareDriftedColumns: string[];
  /** True when a null-share rise counts as drift (null_share_in_drift_share). */
  nullShareCounted: boolean;
  features: ColumnDrift[];
  /** Columns of the data that are not model features (when the features are known): compared, never counted. */
  others: ColumnDrift[];
  prediction: ColumnDrift | null;
  target: ColumnDrift | null;
}

export interface DriftOptions {
  settings: DriftSettings;
  /** Feature columns to compare, given by the user (they are then the known features; default: the model's, else every column). */
  columns?: readonly string[];
  /** The model's feature columns, when known (its card's signature, or train.features). */
  modelFeatures?: readonly string[] | null;
  target?: string | null;
  predictionColumn?: string | null;
  driftShare?: number;
  subject: string;
  referenceDescription: string;
  currentDescription: string;
  now?: Date;
}

/** A column's own settings (never an inherited property: a column may be called `__proto__`). */
function columnSettings(settings: DriftSettings, name: string): ColumnSettings {
  const columns = settings.columns;
  return columns && Object.hasOwn(columns, name) ? columns[name]! : {};
}

function countsOf(column: SideColumn, kind: ColumnKind): SideCounts {
  const numbers = column.numeric?.n ?? 0;
  const values = kind === 'numeric' ? numbers : numbers + column.textCount;
  return {
    rows: column.rows,
    values,
    missing: column.missing,
    infinite: column.infinite,
    nullShare: column.rows > 0 ? column.missing / column.rows : 0,
  };
}

/** Counts per value (String(value)) of the numbers of a column (none: empty); null from a sketch that keeps none. */
function numberCounts(values: NumericValues | null): Map<string, number> | null {
  return values ? valueCounts(values) : new Map();
}

function categoryCounts(column: SideColumn): Map<string, number> | null {
  const numbers = numberCounts(column.numeric);
  if (numbers === null) return null;
  const out = new Map(column.texts);
  for (const [k, v] of numbers) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

function categoricalPair(
  ref: Map<string, number>,
  cur: Map<string, number>,
  refColumn: SideColumn,
  curColumn: SideColumn,
): Extract<Pair, { kind: 'categorical' }> {
  const keys = [...new Set([...ref.keys(), ...cur.keys()])];
  keys.sort((a, b) => (ref.get(b) ?? 0) - (ref.get(a) ?? 0) || (cur.get(b) ?? 0) - (cur.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  return {
    kind: 'categorical',
    keys,
    reference: Float64Array.from(keys, (k) => ref.get(k) ?? 0),
    current: Float64Array.from(keys, (k) => cur.get(k) ?? 0),
    exact: refColumn.textsExact && curColumn.textsExact,
    maxError: { reference: refColumn.textsMaxError ?? 0, current: curColumn.textsMaxError ?? 0 },
  };
}

function shares(values: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return Array.from(values, (v) => (total > 0 ? v / total : 0));
}

/** Whole numbers with at most VALUE_BARS distinct values over both sides: one bar per value, in order; else null. */
function valueDistribution(ref: Map<string, number> | null, cur: Map<string, number> | null): Distribution | null {
  if (!ref || !cur) return null;
  const keys = [...new Set([...ref.keys(), ...cur.keys()])];
  if (keys.length === 0 || keys.length > VALUE_BARS) return null;
  const values = keys.map(Number);
  if (!values.every((v) => Number.isInteger(v))) return null;
  const order = keys.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const r = shares(order.map((i) => ref.get(keys[i]!) ?? 0));
  const c = shares(order.map((i) => cur.get(keys[i]!) ?? 0));
  return { labels: order.map((i) => String(values[i])), reference: r, current: c, binned: false };
}

function numericDistribution(r: NumericValues, c: NumericValues): Distribution {
  // By value only with few distinct values on each side: counting every value of a million-row column as text
  // first would cost more than the whole test.
  const byValue = r.distinct <= VALUE_BARS && c.distinct <= VALUE_BARS ? valueDistribution(numberCounts(r), numberCounts(c)) : null;
  if (byValue) return byValue;
  const lo = Math.min(r.min, c.min);
  const hi = Math.max(r.max, c.max);
  if (!(hi > lo)) return { labels: [String(lo)], reference: [1], current: [1], binned: true };
  const edges = Array.from({ length: CHART_BARS - 1 }, (_, i) => lo + ((hi - lo) * (i + 1)) / CHART_BARS);
  const binShares = (v: NumericValues): number[] => {
    const out: number[] = [];
    let previous = 0;
    for (const e of edges) {
      const f = cdfOf(v, e);
      out.push(Math.max(0, f - previous));
      previous = f;
    }
    out.push(Math.max(0, 1 - previous));
    return out;
  };
  const labels = [lo, ...edges].map((e) => String(Number(e.toPrecision(4))));
  return { labels, reference: binShares(r), current: binShares(c), binned: true };
}

function categoricalDistribution(pair: Extract<Pair, { kind: 'categorical' }>): Distribution {
  const asMap = (counts: Float64Array) => new Map(pair.keys.map((k, i) => [k, counts[i]!]));
  const byValue = pair.keys.every((k) => NUMBER_TEXT.test(k)) ? valueDistribution(asMap(pair.reference), asMap(pair.current)) : null;
  if (byValue) return byValue;
  const r = shares(pair.reference);
  const c = shares(pair.current);
  const order = pair.keys.map((_, i) => i).sort((a, b) => r[b]! + c[b]! - (r[a]! + c[a]!) || a - b);
  const shown = order.slice(0, pair.keys.length > CHART_BARS ? CHART_BARS - 1 : CHART_BARS);
  const rest = order.slice(shown.length);
  const labels = shown.map((i) => pair.keys[i]!);
  const reference = shown.map((i) => r[i]!);
  const current = shown.map((i) => c[i]!);
  if (rest.length > 0) {
    labels.push(`(${rest.length} others)`);
    reference.push(rest.reduce((s, i) => s + r[i]!, 0));
    current.push(rest.reduce((s, i) => s + c[i]!, 0));
  }
  return { labels, reference, current, binned: false };
}

/** A number as String(value) writes it (category keys of numbers). */
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/;

/** One side at a glance: the numbers' quantiles and mean; the most frequent values of a categorical or text column. */
function summaryOf(column: SideColumn | undefined, kind: ColumnKind | null): ColumnSummary | null {
  if (!column) return null;
  const numeric = column.numeric;
  const quantiles = numeric ? SUMMARY_QUANTILES.map((q) => linearQuantileOf(numeric, q)) : [];
  const categorical = kind === null ? column.textCount > 0 && column.textCount >= (numeric?.n ?? 0) : kind !== 'numeric';
  let topCategories: ColumnSummary['topCategories'] = [];
  if (categorical) {
    const counts = categoryCounts(column) ?? column.texts;
    const total = (numeric?.n ?? 0) + column.textCount;
    topCategories = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, SUMMARY_CATEGORIES)
      .map(([value, count]) => ({ value, share: total > 0 ? count / total : 0 }));
  }
  return { quantiles, mean: numeric ? numeric.mean : null, topCategories };
}

function emptyColumn(column: string, role: ColumnRole, status: ColumnStatus, notes: string[] = []): ColumnDrift {
  return {
    column,
    role,
    status,
    kind: null,
    method: null,
    direction: null,
    threshold: null,
    statistic: null,
    pValue: null,
    valueDrift: false,
    nullDrift: false,
    drifted: false,
    approximate: false,
    errorBound: null,
    nearThreshold: false,
    nullShare: { reference: 0, current: 0, change: 0, threshold: 0 },
    reference: null,
    current: null,
    notes,
    distribution: null,
    summary: { reference: null, current: null },
  };
}

/** True when every value is a whole number (null when the side keeps neither its values nor their counts). */
function wholeNumbers(values: NumericValues): boolean | null {
  if (values.counts) return [...values.counts.keys()].every((k) => Number.isInteger(Number(k)));
  if (values.sorted) return values.sorted.every((v) => Number.isInteger(v));
  return null;
}

/** A column pandas would read as int64 (see the header); for a side built without that record, whole numbers with nothing missing. */
function integerTyped(column: SideColumn): boolean {
  if (column.integerDtype !== undefined) return column.integerDtype;
  const numeric = column.numeric;
  return numeric !== null && column.missing === 0 && column.infinite === 0 && column.textCount === 0 && wholeNumbers(numeric) === true;
}

/** Evidently's integer rule (see the header): the current data is of integers with at most 10 distinct values. */
function fewIntegers(cur: SideColumn): boolean {
  return cur.numeric !== null && cur.numeric.distinct <= INTEGER_CATEGORICAL_MAX_UNIQUE && integerTyped(cur);
}

/** True when a column holds some text that is not a boolean (pandas reads a column of true/false only as bool). */
function hasText(column: SideColumn): boolean {
  for (const key of column.texts.keys()) if (key !== 'true' && key !== 'false') return true;
  return column.textCount > 0 && !column.textsExact;
}

/** Evidently's text rule on the current data: more than half of the non-null values distinct. */
function textByRule(cur: SideColumn): { distinct: number; values: number; exact: boolean } | null {
  const values = (cur.numeric?.n ?? 0) + cur.textCount;
  const distinct = distinctValues(cur);
  return values > 0 && distinct.count > values * TEXT_DISTINCT_SHARE ? { distinct: distinct.count, values, exact: distinct.exact } : null;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The note on a verdict a value within the sketch's error would flip. */
export const NEAR_THRESHOLD_NOTE = "within the sketch's error of its threshold";

/** errorBound and nearThreshold of a result (see bounds.ts). */
function errorOf(
  result: MethodResult,
  method: DriftMethod,
  threshold: number,
): { errorBound: number | null; nearThreshold: boolean; between: [number, number] | null } {
  if (!result.approximate) return { errorBound: 0, nearThreshold: false, between: null };
  const range = result.range;
  if (!range) return { errorBound: null, nearThreshold: false, between: null };
  const [lo, hi] = range.statistic;
  const bound = Math.max(result.statistic - lo, hi - result.statistic, 0);
  const near =
    method.direction === 'p-value'
      ? range.pValue !== null && isDrift(method, NaN, range.pValue[0], threshold) !== isDrift(method, NaN, range.pValue[1], threshold)
      : isDrift(method, lo, null, threshold) !== isDrift(method, hi, null, threshold);
  return { errorBound: Number.isFinite(bound) ? bound : null, nearThreshold: near, between: [lo, hi] };
}

const short = (v: number) => String(Number(v.toPrecision(3)));

/** Compares one column of both sides. */
export function compareColumn(
  name: string,
  role: ColumnRole,
  ref: SideColumn | undefined,
  cur: SideColumn | undefined,
  settings: DriftSettings,
): ColumnDrift {
  const own = columnSettings(settings, name);
  if (own.skip) return emptyColumn(name, role, 'skipped', ['skipped in the drift settings']);
  const summary = { reference: summaryOf(ref, null), current: summaryOf(cur, null) };
  if (!ref) return { ...emptyColumn(name, role, 'missing-in-reference', ['not in the reference data']), summary };
  if (!cur) return { ...emptyColumn(name, role, 'missing-in-current', ['not in the current data']), summary };
  const notes: string[] = [];
  const numbers = (ref.numeric?.n ?? 0) + (cur.numeric?.n ?? 0);
  const texts = ref.textCount + cur.textCount;
  const strings = texts > 0 && texts >= numbers;
  const intFew = !strings && fewIntegers(cur);
  const text = !own.kind && strings && hasText(cur) ? textByRule(cur) : null;
  const kind: ColumnKind = own.kind ?? (text ? 'text' : strings || intFew ? 'categorical' : 'numeric');
  // A text column is tested only when asked (its `method`), then as categorical.
  const testKind: Exclude<ColumnKind, 'text'> = kind === 'text' ? 'categorical' : kind;
  if (!own.kind && intFew) notes.push(`integers, ${plural(cur.numeric!.distinct, 'distinct value')} in the current data: categorical`);
  if (text)
    notes.push(
      `text: ${text.exact ? '' : 'about '}${plural(text.distinct, 'distinct value')} in ${plural(text.values, 'current value')} (more than half distinct, Evidently's rule)`,
    );
  if (testKind === 'numeric' && texts > 0) notes.push(`${plural(texts, 'non-numeric value')} left out`);
  if (ref.infinite + cur.infinite > 0)
    notes.push(
      `infinite values left out: ${ref.infinite.toLocaleString('en-US')} in reference, ${cur.infinite.toLocaleString('en-US')} in current`,
    );
  const refCounts = countsOf(ref, testKind);
  const curCounts = countsOf(cur, testKind);
  const nullThreshold = own.null_share_threshold ?? settings.null_share_threshold ?? DEFAULT_NULL_SHARE_THRESHOLD;
  const change = curCounts.nullShare - refCounts.nullShare;
  const nullDrift = change > nullThreshold;
  const nullCounts = nullDrift && settings.null_share_in_drift_share === true;
  if (nullDrift) notes.push(`null share rose by ${(change * 100).toFixed(1)} points`);
  const base: ColumnDrift = {
    ...emptyColumn(name, role, 'tested', notes),
    kind,
    nullDrift,
    drifted: nullCounts,
    nullShare: { reference: refCounts.nullShare, current: curCounts.nullShare, change, threshold: nullThreshold },
    reference: refCounts,
    current: curCounts,
    summary: { reference: summaryOf(ref, kind), current: summaryOf(cur, kind) },
  };
  if (kind === 'text' && !own.method) {
    const r = categoryCounts(ref);
    const c = categoryCounts(cur);
    return {
      ...base,
      status: 'skipped',
      drifted: false,
      notes: [
        ...notes,
        "not tested: Evidently tests text with a domain classifier, which drift-check does not run; not counted in the drift share. To test it as categorical, set this column's `method` (chisquare, z, jensenshannon or psi) under drift.columns",
      ],
      distribution: r && c && r.size + c.size > 0 ? categoricalDistribution(categoricalPair(r, c, ref, cur)) : null,
    };
  }
  if (refCounts.values === 0) return { ...base, status: 'no-values-in-reference', notes: [...notes, 'no values in the reference data'] };
  if (curCounts.values === 0) return { ...base, status: 'no-values-in-current', notes: [...notes, 'no values in the current data'] };

  // Distinct values of both sides together (Evidently's rule counts them so).
  const refCategories = testKind === 'categorical' || ref.numeric?.counts ? categoryCounts(ref) : null;
  const curCategories = testKind === 'categorical' || cur.numeric?.counts ? categoryCounts(cur) : null;
  const unique =
    refCategories && curCategories && (testKind === 'categorical' || (ref.numeric?.counts && cur.numeric?.counts))
      ? new Set([...refCategories.keys(), ...curCategories.keys()]).size
      : Infinity;
  const byRule = defaultMethod(testKind, refCounts.values, unique);
  let methodName: MethodName = own.method ?? settings.method ?? byRule;
  let threshold = own.threshold ?? (own.method === undefined && settings.method !== undefined ? settings.threshold : undefined);
  if (kind === 'text') notes.push("tested as categorical: this column's method is set");
  if (!own.method && settings.method && !METHODS[settings.method].kinds.includes(testKind)) {
    notes.push(`${settings.method} does not serve ${testKind} columns: ${byRule} by the default rule`);
    methodName = byRule;
    threshold = own.threshold;
  }
  const method = METHODS[methodName];
  if (!method.kinds.includes(testKind) && !(testKind === 'numeric' && unique <= NUMERIC_AS_CATEGORICAL_MAX_UNIQUE)) {
    return {
      ...base,
      status: 'method-does-not-fit',
      method: methodName,
      notes: [...notes, `${methodName} serves ${method.kinds.join(' and ')} columns; this one is ${testKind}`],
    };
  }
  // Evidently's get_binned_data counts each value of a numeric column with at most 20 distinct reference values (methods.ts).
  const perValue =
    testKind === 'numeric' &&
    (methodName === 'jensenshannon' || (methodName === 'psi' && methodOptions(settings).psiBins === 'sturges')) &&
    ref.numeric!.distinct <= PER_VALUE_MAX_DISTINCT;
  const categoricalWanted =
    !method.kinds.includes('numeric') ||
    testKind === 'categorical' ||
    (unique <= NUMERIC_AS_CATEGORICAL_MAX_UNIQUE && methodName === byRule);
  let pair: Pair;
  if (categoricalWanted || perValue) {
    const r = perValue ? numberCounts(ref.numeric) : (refCategories ?? categoryCounts(ref));
    const c = perValue ? numberCounts(cur.numeric) : (curCategories ?? categoryCounts(cur));
    if (!r || !c) {
      return {
        ...base,
        status: 'method-does-not-fit',
        method: methodName,
        notes: [...notes, 'the profile keeps no value counts for this column'],
      };
    }
    if (perValue && !categoricalWanted)
      notes.push(`${plural(ref.numeric!.distinct, 'distinct reference value')}: shares per value (Evidently's binning)`);
    pair = categoricalPair(r, c, ref, cur);
  } else {
    pair = {
      kind: 'numeric',
      reference: ref.numeric!,
      current: cur.numeric!,
      integerDtype: ref.integerDtype === true && cur.integerDtype === true,
    };
  }
  const effectiveThreshold = threshold ?? method.defaultThreshold;
  const result = method.compute(pair, methodOptions(settings));
  if (result.note) notes.push(result.note);
  if (pair.kind === 'numeric' && ref.numeric!.distinct === 1) notes.push('one value in the reference');
  if (pair.kind === 'categorical' && pair.keys.length === 1) notes.push('one value on both sides');
  const valueDrift = isDrift(method, result.statistic, result.pValue, effectiveThreshold);
  const error = errorOf(result, method, effectiveThreshold);
  if (error.nearThreshold && error.between)
    notes.push(`${NEAR_THRESHOLD_NOTE}: the statistic may be anywhere in [${short(error.between[0])}, ${short(error.between[1])}]`);
  return {
    ...base,
    method: methodName,
    direction: method.direction,
    threshold: effectiveThreshold,
    statistic: result.statistic,
    pValue: result.pValue,
    valueDrift,
    drifted: valueDrift || nullCounts,
    approximate: result.approximate,
    errorBound: error.errorBound,
    nearThreshold: error.nearThreshold,
    notes,
    distribution: pair.kind === 'numeric' ? numericDistribution(pair.reference, pair.current) : categoricalDistribution(pair),
  };
}

/** A model feature the current data lacks: drift (the model gets no values for it). */
function missingFeature(name: string, ref: SideColumn | undefined): ColumnDrift {
  const notes = [`model feature not in the current data: the model gets no values for it${ref ? '' : ' (not in the reference either)'}`];
  return {
    ...emptyColumn(name, 'feature', 'missing-in-current', notes),
    drifted: true,
    summary: { reference: summaryOf(ref, null), current: null },
  };
}

/** The drift check of two sides. */
export function checkDrift(reference: Side, current: Side, options: DriftOptions): DriftReport {
  const settings = options.settings;
  const ignored = new Set<string>(LOG_COLUMNS);
  const predictionName =
    options.predictionColumn ?? settings.prediction_column ?? (reference.columns.has(PREDICTION_COLUMN) ? PREDICTION_COLUMN : null);
  const targetName = options.target ?? settings.target ?? null;
  const prediction =
    predictionName && reference.columns.has(predictionName) && current.columns.has(predictionName)
      ? compareColumn(predictionName, 'prediction', reference.columns.get(predictionName), current.columns.get(predictionName), settings)
      : null;
  const target =
    targetName && reference.columns.has(targetName) && current.columns.has(targetName)
      ? compareColumn(targetName, 'target', reference.columns.get(targetName), current.columns.get(targetName), settings)
      : null;
  if (predictionName) ignored.add(predictionName);
  if (targetName) ignored.add(targetName);
  ignored.add(PREDICTION_COLUMN);
  const known =
    options.columns && options.columns.length > 0
      ? [...new Set(options.columns)]
      : options.modelFeatures && options.modelFeatures.length > 0
        ? [...new Set(options.modelFeatures)]
        : null;
  const every = [...new Set([...reference.columns.keys(), ...current.columns.keys()])].filter((n) => !ignored.has(n));
  const names = known ?? every;
  const features = names.map((n) =>
    known && !current.columns.has(n) && !columnSettings(settings, n).skip
      ? missingFeature(n, reference.columns.get(n))
      : compareColumn(n, 'feature', reference.columns.get(n), current.columns.get(n), settings),
  );
  const knownSet = new Set(known ?? []);
  const others = known
    ? every
        .filter((n) => !knownSet.has(n))
        .map((n) => compareColumn(n, 'other', reference.columns.get(n), current.columns.get(n), settings))
    : [];
  const missingFeatures = features.filter((f) => f.status === 'missing-in-current' && f.drifted).map((f) => f.column);
  const compared = features.filter(
    (f) =>
      (f.status === 'missing-in-current' && f.drifted) ||
      (f.reference !== null && f.current !== null && f.status !== 'method-does-not-fit' && f.status !== 'skipped'),
  );
  const driftedColumns = compared.filter((f) => f.drifted).map((f) => f.column);
  const nullShareDriftedColumns = compared.filter((f) => f.nullDrift).map((f) => f.column);
  const driftShare = compared.length > 0 ? driftedColumns.length / compared.length : 0;
  const threshold = options.driftShare ?? settings.drift_share ?? DEFAULT_DRIFT_SHARE;
  const minCurrentRows = settings.min_current_rows ?? DEFAULT_MIN_CURRENT_ROWS;
  const verdict: DriftVerdict =
    current.rows < minCurrentRows ? 'not-enough-data' : compared.length > 0 && driftShare >= threshold ? 'drift' : 'no-drift';
  return {
    format: DRIFT_REPORT_FORMAT,
    checkedAt: (options.now ?? new Date()).toISOString(),
    subject: options.subject,
    reference: { source: reference.source, description: options.referenceDescription, files: reference.files, rows: reference.rows },
    current: { source: current.source, description: options.currentDescription, files: current.files, rows: current.rows },
    driftShareThreshold: threshold,
    driftShare,
    verdict,
    minCurrentRows,
    drifted: verdict === 'drift',
    comparedFeatures: compared.length,
    driftedColumns,
    missingFeatures,
    nullShareDriftedColumns,
    nullShareCounted: settings.null_share_in_drift_share === true,
    features,
    others,
    prediction,
    target,
  };
}
