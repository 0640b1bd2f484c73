/**
 * The column tests, as a registry of small named strategies (Evidently's design): each
 * says which column kinds it serves, its default threshold, whether drift means a p-value
 * below the threshold or a distance at or above it, and how to compute it. A numeric
 * pair may be exact on both sides (sorted samples: the exact statistics of stats.ts) or
 * have a sketch on one side (a stored profile): then the same statistic is computed on
 * the step functions the sketches give, and the result is marked approximate.
 *
 * Sketch accuracy, measured by bench/drift.mjs on 1,000,000 + 1,000,000 rows (20 numeric
 * columns, 6 of them shifted by 0.05 to 0.5 std; KLL k = 256 as the profiles use), largest
 * |sketch - exact| over the columns: KS statistic 0.0054 from two profiles, 0.0078 from a
 * profile against data; normalized Wasserstein 0.0094 and 0.022; PSI 0.0053 and 0.0085.
 * Categorical counts are exact while the frequent-items summary is exact (up to 1024
 * distinct values per column). Sketch p-values use the asymptotic KS distribution.
 */
import { cdfOf, quantileOf, stepPoints } from './columns.js';
import type { NumericValues } from './columns.js';
import {
  JS_BINS,
  PSI_BINS,
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
  psi,
  quantileEdges,
  twoProportionZTest,
  wasserstein,
  WASSERSTEIN_STD_FLOOR,
} from './stats.js';

export type ColumnKind = 'numeric' | 'categorical';

export type Pair =
  | { kind: 'numeric'; reference: NumericValues; current: NumericValues }
  | {
      kind: 'categorical';
      /** Categories, in a stable order. */
      keys: string[];
      reference: Float64Array;
      current: Float64Array;
      /** False when a side's counts come from an approximate summary. */
      exact: boolean;
    };

export interface MethodResult {
  statistic: number;
  pValue: number | null;
  /** True when computed from a sketch rather than the data. */
  approximate: boolean;
  note?: string;
}

/** Settings of individual tests (drift.method_options in mlops.yaml). */
export interface MethodOptions {
  /** Logarithm base of the Jensen-Shannon distance: e (scipy's and Evidently's default) or, e.g., 2. */
  jensenshannonBase: number;
  /** The chi-square test: goodness of fit against the reference shares (Evidently's) or the 2 x k contingency test. */
  chisquareTest: ChiSquareTest;
}

export const CHISQUARE_TESTS = ['goodness-of-fit', 'contingency'] as const;
export type ChiSquareTest = (typeof CHISQUARE_TESTS)[number];

export const DEFAULT_METHOD_OPTIONS: MethodOptions = { jensenshannonBase: NATURAL_LOG, chisquareTest: 'goodness-of-fit' };

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

function categoricalOnly(pair: Pair, name: string): Extract<Pair, { kind: 'categorical' }> {
  if (pair.kind !== 'categorical') throw new Error(`${name} needs a categorical column`);
  return pair;
}

function numericOnly(pair: Pair, name: string): Extract<Pair, { kind: 'numeric' }> {
  if (pair.kind !== 'numeric') throw new Error(`${name} needs a numeric column`);
  return pair;
}

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
      return { statistic: d, pValue: ksAsymptoticPValue(r.n, c.n, d), approximate: true };
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
      return { statistic: result.statistic, pValue: result.pValue, approximate: !p.exact, note };
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
      let n1 = 0;
      let n2 = 0;
      for (let i = 0; i < p.keys.length; i++) {
        n1 += p.reference[i]!;
        n2 += p.current[i]!;
      }
      const result = twoProportionZTest(p.reference[0] ?? 0, n1, p.current[0] ?? 0, n2);
      const note = p.keys.length > 2 ? `${p.keys.length} categories: the first against the rest` : undefined;
      return { statistic: result.statistic, pValue: result.pValue, approximate: !p.exact, note };
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
      const distance = both ? wasserstein(r.sorted!, c.sorted!) : wassersteinOnSteps(r, c);
      return { statistic: distance / Math.max(r.std, WASSERSTEIN_STD_FLOOR), pValue: null, approximate: !both };
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
      if (pair.kind === 'categorical') {
        return { statistic: jensenShannon(pair.reference, pair.current, base).statistic, pValue: null, approximate: !pair.exact };
      }
      const { reference: r, current: c } = pair;
      if (exact(r) && exact(c)) {
        const [a, b] = histogramCounts(r.sorted, c.sorted, JS_BINS);
        return { statistic: jensenShannon(a, b, base).statistic, pValue: null, approximate: false };
      }
      const lo = Math.min(r.min, c.min);
      const hi = Math.max(r.max, c.max);
      const edges = Array.from({ length: JS_BINS - 1 }, (_, i) => lo + ((hi - lo) * (i + 1)) / JS_BINS);
      return {
        statistic: jensenShannon(binSharesFromCdf(r, edges), binSharesFromCdf(c, edges), base).statistic,
        pValue: null,
        approximate: true,
      };
    },
  },
  psi: {
    name: 'psi',
    title: 'population stability index',
    kinds: ['numeric', 'categorical'],
    defaultThreshold: 0.1,
    direction: 'distance',
    compute(pair) {
      if (pair.kind === 'categorical')
        return { statistic: psi(pair.reference, pair.current).statistic, pValue: null, approximate: !pair.exact };
      const { reference: r, current: c } = pair;
      if (exact(r) && exact(c)) {
        const edges = quantileEdges(r.sorted, PSI_BINS);
        return { statistic: psi(binCounts(r.sorted, edges), binCounts(c.sorted, edges)).statistic, pValue: null, approximate: false };
      }
      const edges: number[] = [];
      for (let k = 1; k < PSI_BINS; k++) {
        const e = quantileOf(r, k / PSI_BINS);
        if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
      }
      return { statistic: psi(binSharesFromCdf(r, edges), binSharesFromCdf(c, edges)).statistic, pValue: null, approximate: true };
    },
  },
};

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
/** Whole-number columns with at most this many distinct reference values are categorical (Evidently 0.7.21's INTEGER_CARDINALITY_LIMIT; see compute.ts). */
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
