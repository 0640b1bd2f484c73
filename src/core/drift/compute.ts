/**
 * The drift check of two sides (data or profiles): per column, the kind, the test (by
 * Evidently's rule unless configured), its verdict, and the change in the null share as a
 * signal of its own; then dataset drift from the share of drifted feature columns.
 * Nothing about one column (NaN, infinities, no values, one value, a column on one side
 * only, a test that does not fit it) stops the others: each gets a status.
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
 * Column kinds. A column is categorical when most of its values are text (or booleans),
 * or when it holds whole numbers with few distinct values: Evidently 0.7.21's
 * `infer_column_type` (evidently/core/datasets.py, read at tag v0.7.21) makes an integer
 * column with `nunique() <= INTEGER_CARDINALITY_LIMIT` (10) categorical and every float
 * column numeric. Ours: every number of the reference is a whole number, the reference has
 * at most `INTEGER_CATEGORICAL_MAX_UNIQUE` (10) distinct values, and every number of the
 * current data is whole too. Where we differ, and why: Evidently infers from the pandas
 * dtype of each dataset on its own and the drift test takes the current dataset's type
 * (`current_data.column(c).type`); a dtype is not in our files, so "integer" is "whole
 * numbers", counted on the reference (the baseline, and not a batch of one row); pandas
 * reads an integer column with one empty cell as float64, which Evidently then calls
 * numeric; a null here changes nothing. New values in the current data are new categories
 * (chi-square then gives p = 0). Separately, the test rule (methods.ts) treats numeric
 * columns with at most 5 distinct values over both sides with the categorical tests, as
 * Evidently's `_get_default_stattest` does. `kind:` in the settings overrides both.
 */
import { cdfOf } from './columns.js';
import type { NumericValues, Side, SideColumn } from './columns.js';
import { DEFAULT_DRIFT_SHARE, DEFAULT_MIN_CURRENT_ROWS, DEFAULT_NULL_SHARE_THRESHOLD, methodOptions } from './config.js';
import type { ColumnSettings, DriftSettings } from './config.js';
import { METHODS, defaultMethod, INTEGER_CATEGORICAL_MAX_UNIQUE, isDrift, NUMERIC_AS_CATEGORICAL_MAX_UNIQUE } from './methods.js';
import type { ColumnKind, DriftMethod, MethodName, Pair } from './methods.js';

export const DRIFT_REPORT_FORMAT = 'mlops-drift/v1';
/** Bars per distribution chart; categories past this are summed into one "other" bar. */
export const CHART_BARS = 10;
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

export type ColumnRole = 'feature' | 'prediction' | 'target';

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
  /** Bar labels: a category, or a bin's lower edge. */
  labels: string[];
  reference: number[];
  current: number[];
  /** True when the labels are numeric bins. */
  binned: boolean;
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
  /** valueDrift; or nullDrift too when the settings count it (null_share_in_drift_share). */
  drifted: boolean;
  /** Computed from a stored profile's sketches (see methods.ts for the error). */
  approximate: boolean;
  nullShare: { reference: number; current: number; change: number; threshold: number };
  reference: SideCounts | null;
  current: SideCounts | null;
  notes: string[];
  distribution: Distribution | null;
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
  /** Compared feature columns whose null share rose past its threshold, drifted or not. */
  nullShareDriftedColumns: string[];
  /** True when a null-share rise counts as drift (null_share_in_drift_share). */
  nullShareCounted: boolean;
  features: ColumnDrift[];
  prediction: ColumnDrift | null;
  target: ColumnDrift | null;
}

export interface DriftOptions {
  settings: DriftSettings;
  /** Feature columns to compare (default: every column of either side, minus prediction and target). */
  columns?: readonly string[];
  target?: string | null;
  predictionColumn?: string | null;
  driftShare?: number;
  subject: string;
  referenceDescription: string;
  currentDescription: string;
  now?: Date;
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

/** Counts per value (String(value)) of the numbers of a column; built from the sorted values when not kept. */
function numberCounts(values: NumericValues | null): Map<string, number> | null {
  if (!values) return new Map();
  if (values.counts) return values.counts;
  if (!values.sorted) return null;
  const out = new Map<string, number>();
  const s = values.sorted;
  for (let i = 0; i < s.length;) {
    let j = i + 1;
    while (j < s.length && s[j] === s[i]) j++;
    out.set(String(s[i]), j - i);
    i = j;
  }
  return out;
}

function categoryCounts(column: SideColumn): Map<string, number> | null {
  const numbers = numberCounts(column.numeric);
  if (numbers === null) return null;
  const out = new Map(column.texts);
  for (const [k, v] of numbers) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

function categoricalPair(ref: Map<string, number>, cur: Map<string, number>, exact: boolean): Extract<Pair, { kind: 'categorical' }> {
  const keys = [...new Set([...ref.keys(), ...cur.keys()])];
  keys.sort((a, b) => (ref.get(b) ?? 0) - (ref.get(a) ?? 0) || (cur.get(b) ?? 0) - (cur.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  return {
    kind: 'categorical',
    keys,
    reference: Float64Array.from(keys, (k) => ref.get(k) ?? 0),
    current: Float64Array.from(keys, (k) => cur.get(k) ?? 0),
    exact,
  };
}

function shares(values: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return Array.from(values, (v) => (total > 0 ? v / total : 0));
}

function numericDistribution(r: NumericValues, c: NumericValues): Distribution {
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
    nullShare: { reference: 0, current: 0, change: 0, threshold: 0 },
    reference: null,
    current: null,
    notes,
    distribution: null,
  };
}

/** True when every value is a whole number (null when the side keeps neither its values nor their counts). */
function wholeNumbers(values: NumericValues): boolean | null {
  if (values.counts) return [...values.counts.keys()].every((k) => Number.isInteger(Number(k)));
  if (values.sorted) return values.sorted.every((v) => Number.isInteger(v));
  return null;
}

/** Evidently's integer rule (see the header): whole numbers on both sides, at most 10 distinct in the reference. */
function fewWholeNumbers(ref: NumericValues | null, cur: NumericValues | null): boolean {
  if (!ref || !cur || ref.distinct > INTEGER_CATEGORICAL_MAX_UNIQUE) return false;
  return wholeNumbers(ref) === true && wholeNumbers(cur) === true;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** Compares one column of both sides. */
export function compareColumn(
  name: string,
  role: ColumnRole,
  ref: SideColumn | undefined,
  cur: SideColumn | undefined,
  settings: DriftSettings,
): ColumnDrift {
  const own: ColumnSettings = settings.columns?.[name] ?? {};
  if (own.skip) return emptyColumn(name, role, 'skipped', ['skipped in the drift settings']);
  if (!ref) return emptyColumn(name, role, 'missing-in-reference', ['not in the reference data']);
  if (!cur) return emptyColumn(name, role, 'missing-in-current', ['not in the current data']);
  const notes: string[] = [];
  const numbers = (ref.numeric?.n ?? 0) + (cur.numeric?.n ?? 0);
  const texts = ref.textCount + cur.textCount;
  const wholeFew = texts === 0 && fewWholeNumbers(ref.numeric, cur.numeric);
  const kind: ColumnKind = own.kind ?? (texts > 0 && texts >= numbers ? 'categorical' : wholeFew ? 'categorical' : 'numeric');
  if (!own.kind && wholeFew) notes.push(`whole numbers, ${plural(ref.numeric!.distinct, 'distinct value')} in the reference: categorical`);
  if (kind === 'numeric' && texts > 0) notes.push(`${plural(texts, 'non-numeric value')} left out`);
  if (ref.infinite + cur.infinite > 0)
    notes.push(
      `infinite values left out: ${ref.infinite.toLocaleString('en-US')} in reference, ${cur.infinite.toLocaleString('en-US')} in current`,
    );
  const refCounts = countsOf(ref, kind);
  const curCounts = countsOf(cur, kind);
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
  };
  if (refCounts.values === 0) return { ...base, status: 'no-values-in-reference', notes: [...notes, 'no values in the reference data'] };
  if (curCounts.values === 0) return { ...base, status: 'no-values-in-current', notes: [...notes, 'no values in the current data'] };

  // Distinct values of both sides together (Evidently's rule counts them so).
  const refCategories = kind === 'categorical' || ref.numeric?.counts ? categoryCounts(ref) : null;
  const curCategories = kind === 'categorical' || cur.numeric?.counts ? categoryCounts(cur) : null;
  const unique =
    refCategories && curCategories && (kind === 'categorical' || (ref.numeric?.counts && cur.numeric?.counts))
      ? new Set([...refCategories.keys(), ...curCategories.keys()]).size
      : Infinity;
  const byRule = defaultMethod(kind, refCounts.values, unique);
  let methodName: MethodName = own.method ?? settings.method ?? byRule;
  let threshold = own.threshold ?? (own.method === undefined && settings.method !== undefined ? settings.threshold : undefined);
  if (!own.method && settings.method && !METHODS[settings.method].kinds.includes(kind)) {
    notes.push(`${settings.method} does not serve ${kind} columns: ${byRule} by the default rule`);
    methodName = byRule;
    threshold = own.threshold;
  }
  const method = METHODS[methodName];
  if (!method.kinds.includes(kind) && !(kind === 'numeric' && unique <= NUMERIC_AS_CATEGORICAL_MAX_UNIQUE)) {
    return {
      ...base,
      status: 'method-does-not-fit',
      method: methodName,
      notes: [...notes, `${methodName} serves ${method.kinds.join(' and ')} columns; this one is ${kind}`],
    };
  }
  const categoricalWanted =
    !method.kinds.includes('numeric') || kind === 'categorical' || (unique <= NUMERIC_AS_CATEGORICAL_MAX_UNIQUE && methodName === byRule);
  let pair: Pair;
  if (categoricalWanted) {
    const r = refCategories ?? categoryCounts(ref);
    const c = curCategories ?? categoryCounts(cur);
    if (!r || !c) {
      return {
        ...base,
        status: 'method-does-not-fit',
        method: methodName,
        notes: [...notes, 'the profile keeps no value counts for this column'],
      };
    }
    pair = categoricalPair(r, c, ref.textsExact && cur.textsExact);
  } else {
    pair = { kind: 'numeric', reference: ref.numeric!, current: cur.numeric! };
  }
  const effectiveThreshold = threshold ?? method.defaultThreshold;
  const result = method.compute(pair, methodOptions(settings));
  if (result.note) notes.push(result.note);
  if (pair.kind === 'numeric' && ref.numeric!.distinct === 1) notes.push('one value in the reference');
  if (pair.kind === 'categorical' && pair.keys.length === 1) notes.push('one value on both sides');
  const valueDrift = isDrift(method, result.statistic, result.pValue, effectiveThreshold);
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
    notes,
    distribution: pair.kind === 'numeric' ? numericDistribution(pair.reference, pair.current) : categoricalDistribution(pair),
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
  const names =
    options.columns && options.columns.length > 0
      ? [...options.columns]
      : [...new Set([...reference.columns.keys(), ...current.columns.keys()])].filter((n) => !ignored.has(n));
  const features = names.map((n) => compareColumn(n, 'feature', reference.columns.get(n), current.columns.get(n), settings));
  const compared = features.filter((f) => f.reference !== null && f.current !== null && f.status !== 'method-does-not-fit');
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
    nullShareDriftedColumns,
    nullShareCounted: settings.null_share_in_drift_share === true,
    features,
    prediction,
    target,
  };
}
