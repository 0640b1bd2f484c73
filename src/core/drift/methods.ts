/**
 * The column tests, as a registry of small named strategies (Evidently's design): each
 * says which column kinds it serves, its default threshold, whether drift means a p-value
 * below the threshold or a distance at or above it, and how to compute it. A numeric
 * pair may be exact on both sides (sorted samples: the exact statistics of stats.ts) or
 * have a sketch on one side (a stored profile that outgrew its sketch): then the same
 * statistic is computed on the step functions the sketches give, the result is marked
 * approximate, and it carries the range the sketches' error allows (bounds.ts).
 *
 * Bins, as Evidently 0.7.21's `get_binned_data` (legacy/calculations/stattests/utils.py),
 * which its jensenshannon (feel_zeroes=False), psi and kl_div tests call: a numeric column
 * whose reference has more than 20 distinct values (`reference.nunique() > 20`, nulls and
 * infinities dropped before) is binned by `np.histogram_bin_edges(concat(reference,
 * current), bins="sturges")` and `np.histogram(side, edges)[0] / len(side)`; any other
 * column (categorical, or numeric with at most 20 distinct reference values) by the share
 * of each value of either side. Those tests' `n_bins` argument (30) is not used by it. JS
 * leaves empty bins at 0; PSI (and KL) replace each side's zero shares by a small share
 * (stats.ts, `psi`). Here: `binnedShares` below, exactly that (numpy's edges and bin
 * inclusion reproduced bit for bit, stats.ts), from sketches the same edges (min, max and
 * count are exact) and shares from the CDF just below each edge.
 *
 * The other binning kept, as an option: PSI over the reference's deciles
 * (`method_options.psi.bins: reference-deciles`), the one the online monitor of `mlops
 * serve` uses: its edges are fixed before any request arrives, which Sturges' (from the
 * min, max and size of both sides together) cannot be. The 30 equal-width bins Jensen-
 * Shannon used before are gone: no one needs them.
 *
 * Sketch accuracy, measured by bench/drift.mjs on 1,000,000 + 1,000,000 rows (20 numeric
 * columns, 6 of them shifted by 0.05 to 0.5 std; KLL k = 256 as the profiles use), largest
 * |sketch - exact| over the columns: KS statistic 0.0054 from two profiles, 0.0078 from a
 * profile against data; normalized Wasserstein 0.0094 and 0.022. Categorical counts are exact
 * while the frequent-items summary is exact (up to 2 x 1,024 distinct values per column).
 * Sketch p-values use the asymptotic KS distribution.
 */
import { binBox, chiSquareRange, countBox, jensenShannonRange, ksRange, psiRange, quantileSpread, zRange } from './bounds.js';
import type { ShareBox, StatisticRange } from './bounds.js';
import { cdfBelowOf, cdfOf, quantileOf, rankError, stepPoints, valueCounts } from './columns.js';
import type { NumericValues } from './columns.js';
import {
  binCounts,
  chiSquareGoodnessOfFit,
  chiSquareHomogeneity,
  histogramCounts,
  jensenShannon,
  ksAsymptoticPValue,
  ksExactPValue,
  ksStatistic,
  KS_EXACT_MAX_N,
  NATURAL_LOG,
  PER_VALUE_MAX_DISTINCT,
  psi,
  PSI_BINS,
  quantileEdges,
  sturgesEdges,
  twoProportionZTest,
  wasserstein,
  WASSERSTEIN_STD_FLOOR,
} from './stats.js';

/** How a column is tested: numbers, categories, or free text (not tested by default: see compute.ts). */
export type ColumnKind = 'numeric' | 'categorical' | 'text';

export type Pair =
  | {
      kind: 'numeric';
      reference: NumericValues;
      current: NumericValues;
      /** Both sides hold integers only (pandas int64): numpy's Sturges width is then at least 1. */
      integerDtype?: boolean;
    }
  | {
      kind: 'categorical';
      /** Categories, in a stable order. */
      keys: string[];
      reference: Float64Array;
      current: Float64Array;
      /** False when a side's counts come from an approximate summary. */
      exact: boolean;
      /** How much each count of a side may fall short of the truth (0 when exact). */
      maxError?: { reference: number; current: number };
    };

export interface MethodResult {
  statistic: number;
  pValue: number | null;
  /** True when computed from a sketch rather than the data. */
  approximate: boolean;
  note?: string;
  /** When approximate: the range of the statistic (and p-value) the sketches' error allows; absent when exact or not bounded. */
  range?: StatisticRange;
}

export const PSI_BINNINGS = ['sturges', 'reference-deciles'] as const;
export type PsiBinning = (typeof PSI_BINNINGS)[number];

/** Settings of individual tests (drift.method_options in mlops.yaml). */
export interface MethodOptions {
  /** Logarithm base of the Jensen-Shannon distance: e (scipy's and Evidently's default) or, e.g., 2. */
  jensenshannonBase: number;
  /** The chi-square test: goodness of fit against the reference shares (Evidently's) or the 2 x k contingency test. */
  chisquareTest: ChiSquareTest;
  /** PSI's bins for numeric columns: Evidently's (Sturges over both sides, per value up to 20 distinct) or the reference's deciles. */
  psiBins: PsiBinning;
}

export const CHISQUARE_TESTS = ['goodness-of-fit', 'contingency'] as const;
export type ChiSquareTest = (typeof CHISQUARE_TESTS)[number];

export const DEFAULT_METHOD_OPTIONS: MethodOptions = {
  jensenshannonBase: NATURAL_LOG,
  chisquareTest: 'goodness-of-fit',
  psiBins: 'sturges',
};

export interface DriftMethod {
  name: MethodName;
  title: string;
  kinds: readonly ColumnKind[];
  defaultThreshold: number;
  /** `p-value`: drift when p < threshold (<= for KS, as Evidently); `distance`: drift when the statistic >= threshold. */
  direction: 'p-value' | 'distance';
  compute(pair: Pair, options?: MethodOptions): MethodResult;
}

export const METHOD_NAMES = ['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

const exact = (v: NumericValues): v is NumericValues & { sorted: Float64Array } => v.sorted !== null;

/** max |F_r - F_c| over every step point of both sides (exact when both are exact). */
function ksOnSteps(r: NumericValues, c: NumericValues): number {
  let d = 0;
  for (const points of [stepPoints(r), stepPoints(c)]) {
    for (let i = 0; i < points.length; i++) {
      const x = points[i]!;
      if (i + 1 < points.length && points[i + 1] === x) continue;
      const diff = Math.abs(cdfOf(r, x) - cdfOf(c, x));
      if (diff > d) d = diff;
    }
  }
  return d;
}

/** ∫ |F_r - F_c| dx over the union of the step points. */
function wassersteinOnSteps(r: NumericValues, c: NumericValues): number {
  const a = stepPoints(r);
  const b = stepPoints(c);
  const all = new Float64Array(a.length + b.length);
  all.set(a);
  all.set(b, a.length);
  all.sort();
  let area = 0;
  for (let i = 0; i + 1 < all.length; i++) {
    const x = all[i]!;
    const width = all[i + 1]! - x;
    if (width > 0) area += Math.abs(cdfOf(r, x) - cdfOf(c, x)) * width;
  }
  return area;
}

/** Shares of each side in the bins (-inf, e1], ..., (e_last, inf), from the CDFs. */
function binSharesFromCdf(v: NumericValues, edges: readonly number[]): Float64Array {
  const out = new Float64Array(edges.length + 1);
  let previous = 0;
  edges.forEach((e, i) => {
    const f = cdfOf(v, e);
    out[i] = Math.max(0, f - previous);
    previous = f;
  });
  out[edges.length] = Math.max(0, 1 - previous);
  return out;
}

/** Shares of a side in numpy's histogram bins [e0, e1), ..., [e_last-1, e_last], from the CDF just below each edge. */
function histogramSharesFromCdf(v: NumericValues, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const out = new Float64Array(bins);
  let previous = cdfBelowOf(v, edges[0]!);
  for (let b = 0; b < bins; b++) {
    const next = b === bins - 1 ? cdfOf(v, edges[bins]!) : cdfBelowOf(v, edges[b + 1]!);
    out[b] = Math.max(0, next - previous);
    previous = next;
  }
  return out;
}

/** A side's shares over bins or values with the box its error allows. */
interface Binned {
  reference: Float64Array;
  current: Float64Array;
  /** Null when both sides are exact. */
  boxes: { reference: ShareBox; current: ShareBox } | null;
  note?: string;
}

/**
 * Evidently's get_binned_data for a numeric pair (see the header): per value when the
 * reference has at most 20 distinct values, else numpy's Sturges bins over both sides.
 * Returned as counts (exact sides) or shares (sketches); the tests normalize.
 */
export function binnedShares(pair: Extract<Pair, { kind: 'numeric' }>): Binned {
  const { reference: r, current: c } = pair;
  const both = exact(r) && exact(c);
  let note: string | undefined;
  if (r.distinct <= PER_VALUE_MAX_DISTINCT) {
    const rc = valueCounts(r);
    const cc = valueCounts(c);
    if (rc && cc) {
      const keys = [...new Set([...rc.keys(), ...cc.keys()])];
      return {
        reference: Float64Array.from(keys, (k) => rc.get(k) ?? 0),
        current: Float64Array.from(keys, (k) => cc.get(k) ?? 0),
        boxes: null,
        note: `${r.distinct} distinct reference values: shares per value`,
      };
    }
    note = `${r.distinct} distinct reference values, but the profile keeps no counts per value: Sturges bins`;
  }
  const edges = sturgesEdges(Math.min(r.min, c.min), Math.max(r.max, c.max), r.n + c.n, pair.integerDtype === true);
  if (both) return { reference: histogramCounts(r.sorted!, edges), current: histogramCounts(c.sorted!, edges), boxes: null, note };
  const reference = exact(r) ? histogramCounts(r.sorted, edges).map((v) => v / r.n) : histogramSharesFromCdf(r, edges);
  const current = exact(c) ? histogramCounts(c.sorted, edges).map((v) => v / c.n) : histogramSharesFromCdf(c, edges);
  return {
    reference,
    current,
    boxes: { reference: binBox(reference, rankError(r)), current: binBox(current, rankError(c)) },
    note,
  };
}

function categoricalOnly(pair: Pair, name: string): Extract<Pair, { kind: 'categorical' }> {
  if (pair.kind !== 'categorical') throw new Error(`${name} needs a categorical column`);
  return pair;
}

function numericOnly(pair: Pair, name: string): Extract<Pair, { kind: 'numeric' }> {
  if (pair.kind !== 'numeric') throw new Error(`${name} needs a numeric column`);
  return pair;
}

/** Share boxes of a categorical pair whose counts come from pruned summaries; null when exact. */
function categoricalBoxes(p: Extract<Pair, { kind: 'categorical' }>): { reference: ShareBox; current: ShareBox } | null {
  if (p.exact) return null;
  return { reference: countBox(p.reference, p.maxError?.reference ?? 0), current: countBox(p.current, p.maxError?.current ?? 0) };
}

const sumOf = (values: ArrayLike<number>) => {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
};

const sharesOf = (values: ArrayLike<number>) => {
  const total = sumOf(values);
  return Float64Array.from(values, (v) => v / total);
};

export const METHODS: Record<MethodName, DriftMethod> = {
  ks: {
    name: 'ks',
    title: 'Kolmogorov-Smirnov',
    kinds: ['numeric'],
    defaultThreshold: 0.05,
    direction: 'p-value',
    compute(pair) {
      const { reference: r, current: c } = numericOnly(pair, 'ks');
      if (exact(r) && exact(c)) {
        const d = ksStatistic(r.sorted, c.sorted);
        const p = Math.max(r.n, c.n) <= KS_EXACT_MAX_N ? ksExactPValue(r.n, c.n, d) : null;
        return { statistic: d, pValue: p ?? ksAsymptoticPValue(r.n, c.n, d), approximate: false };
      }
      const d = ksOnSteps(r, c);
      return {
        statistic: d,
        pValue: ksAsymptoticPValue(r.n, c.n, d),
        approximate: true,
        range: ksRange(d, rankError(r) + rankError(c), r.n, c.n),
      };
    },
  },
  chisquare: {
    name: 'chisquare',
    title: 'chi-square',
    kinds: ['categorical'],
    defaultThreshold: 0.05,
    direction: 'p-value',
    compute(pair, options = DEFAULT_METHOD_OPTIONS) {
      const p = categoricalOnly(pair, 'chisquare');
      const contingency = options.chisquareTest === 'contingency';
      const result = (contingency ? chiSquareHomogeneity : chiSquareGoodnessOfFit)(p.reference, p.current);
      let note = contingency ? 'contingency test (chi2_contingency)' : undefined;
      if (!contingency && result.statistic === Infinity) {
        const fresh = p.keys.filter((_, i) => p.reference[i] === 0 && p.current[i]! > 0).length;
        note = `${fresh} ${fresh === 1 ? 'category' : 'categories'} not in the reference: expected count 0, statistic infinite, p = 0`;
      }
      const boxes = categoricalBoxes(p);
      let range: StatisticRange | undefined;
      if (boxes && !contingency) {
        const n = sumOf(p.current);
        range = chiSquareRange(boxes.reference, boxes.current, [n, n + p.keys.length * (p.maxError?.current ?? 0)], result.df);
      }
      return { statistic: result.statistic, pValue: result.pValue, approximate: !p.exact, note, range };
    },
  },
  z: {
    name: 'z',
    title: 'two-proportion z-test',
    kinds: ['categorical'],
    defaultThreshold: 0.05,
    direction: 'p-value',
    compute(pair) {
      const p = categoricalOnly(pair, 'z');
      // The first category (the reference's most frequent) against all others.
      const n1 = sumOf(p.reference);
      const n2 = sumOf(p.current);
      const result = twoProportionZTest(p.reference[0] ?? 0, n1, p.current[0] ?? 0, n2);
      const note = p.keys.length > 2 ? `${p.keys.length} categories: the first against the rest` : undefined;
      const boxes = categoricalBoxes(p);
      const range =
        boxes && p.keys.length > 0
          ? zRange([boxes.reference.low[0]!, boxes.reference.high[0]!], n1, [boxes.current.low[0]!, boxes.current.high[0]!], n2)
          : undefined;
      return { statistic: result.statistic, pValue: result.pValue, approximate: !p.exact, note, range };
    },
  },
  wasserstein: {
    name: 'wasserstein',
    title: 'Wasserstein distance (normed)',
    kinds: ['numeric'],
    defaultThreshold: 0.1,
    direction: 'distance',
    compute(pair) {
      const { reference: r, current: c } = numericOnly(pair, 'wasserstein');
      const both = exact(r) && exact(c);
      const norm = Math.max(r.std, WASSERSTEIN_STD_FLOOR);
      const distance = (both ? wasserstein(r.sorted!, c.sorted!) : wassersteinOnSteps(r, c)) / norm;
      if (both) return { statistic: distance, pValue: null, approximate: false };
      const spread = (quantileSpread((u) => quantileOf(r, u), rankError(r)) + quantileSpread((u) => quantileOf(c, u), rankError(c))) / norm;
      return {
        statistic: distance,
        pValue: null,
        approximate: true,
        range: { statistic: [Math.max(0, distance - spread), distance + spread], pValue: null },
      };
    },
  },
  jensenshannon: {
    name: 'jensenshannon',
    title: 'Jensen-Shannon distance',
    kinds: ['numeric', 'categorical'],
    defaultThreshold: 0.1,
    direction: 'distance',
    compute(pair, options = DEFAULT_METHOD_OPTIONS) {
      const base = options.jensenshannonBase;
      const binned: Binned =
        pair.kind === 'categorical'
          ? { reference: pair.reference, current: pair.current, boxes: categoricalBoxes(pair) }
          : binnedShares(pair);
      const statistic = jensenShannon(binned.reference, binned.current, base).statistic;
      const approximate = pair.kind === 'categorical' ? !pair.exact : !(exact(pair.reference) && exact(pair.current));
      const range: StatisticRange | undefined = binned.boxes
        ? { statistic: jensenShannonRange(binned.boxes.reference, binned.boxes.current, base), pValue: null }
        : undefined;
      return { statistic, pValue: null, approximate, note: binned.note, range };
    },
  },
  psi: {
    name: 'psi',
    title: 'population stability index',
    kinds: ['numeric', 'categorical'],
    defaultThreshold: 0.1,
    direction: 'distance',
    compute(pair, options = DEFAULT_METHOD_OPTIONS) {
      let binned: Binned;
      if (pair.kind === 'categorical') binned = { reference: pair.reference, current: pair.current, boxes: categoricalBoxes(pair) };
      else if (options.psiBins === 'sturges') binned = binnedShares(pair);
      else binned = decileShares(pair);
      const statistic = psi(binned.reference, binned.current).statistic;
      const approximate = pair.kind === 'categorical' ? !pair.exact : !(exact(pair.reference) && exact(pair.current));
      let range: StatisticRange | undefined;
      if (binned.boxes) {
        const r = sharesOf(binned.reference);
        const c = sharesOf(binned.current);
        range = { statistic: psiRange(binned.boxes.reference, binned.boxes.current, r, c), pValue: null };
      }
      return { statistic, pValue: null, approximate, note: binned.note, range };
    },
  },
};

/** PSI over the reference's deciles (the `reference-deciles` option): bins (-inf, e1], ..., (e9, inf). */
function decileShares(pair: Extract<Pair, { kind: 'numeric' }>): Binned {
  const { reference: r, current: c } = pair;
  const note = 'bins: reference deciles';
  if (exact(r) && exact(c)) {
    const edges = quantileEdges(r.sorted, PSI_BINS);
    return { reference: binCounts(r.sorted, edges), current: binCounts(c.sorted, edges), boxes: null, note };
  }
  const edges: number[] = [];
  for (let k = 1; k < PSI_BINS; k++) {
    const e = quantileOf(r, k / PSI_BINS);
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  const reference = binSharesFromCdf(r, edges);
  const current = binSharesFromCdf(c, edges);
  return { reference, current, boxes: { reference: binBox(reference, rankError(r)), current: binBox(current, rankError(c)) }, note };
}

/** True when the statistic means drift under the method's direction and threshold. */
export function isDrift(method: DriftMethod, statistic: number, pValue: number | null, threshold: number): boolean {
  if (method.direction === 'p-value') {
    if (pValue === null || Number.isNaN(pValue)) return false;
    return method.name === 'ks' ? pValue <= threshold : pValue < threshold;
  }
  return !Number.isNaN(statistic) && statistic >= threshold;
}

/** Evidently's cut between "small" and "large" reference data. */
export const SMALL_REFERENCE_ROWS = 1000;
/** Integer columns with at most this many distinct values in the current data are categorical (Evidently 0.7.21's INTEGER_CARDINALITY_LIMIT; see compute.ts). */
export const INTEGER_CATEGORICAL_MAX_UNIQUE = 10;
/** Numeric columns with at most this many distinct values (both sides) get the categorical tests (Evidently's _get_default_stattest). */
export const NUMERIC_AS_CATEGORICAL_MAX_UNIQUE = 5;

/**
 * The default test for a column, by Evidently's rule: with a reference of at most 1000
 * values, KS for numeric columns with more than 5 distinct values, else chi-square for more
 * than 2 categories and the z-test for 2 or fewer; with a larger reference, the normalized
 * Wasserstein distance for numeric columns and Jensen-Shannon for categorical ones (numeric
 * with at most 5 distinct values included). `unique` counts the distinct values of both
 * sides together (as Evidently does); `referenceValues` the reference's non-missing values.
 */
export function defaultMethod(kind: ColumnKind, referenceValues: number, unique: number): MethodName {
  const categorical = kind === 'categorical' || unique <= NUMERIC_AS_CATEGORICAL_MAX_UNIQUE;
  if (referenceValues <= SMALL_REFERENCE_ROWS) {
    if (!categorical) return 'ks';
    return unique > 2 ? 'chisquare' : 'z';
  }
  return categorical ? 'jensenshannon' : 'wasserstein';
}
