/**
 * The two-sample statistics of the drift check, on exact samples (sorted finite
 * numbers) or category counts. Each matches its reference implementation:
 *
 * - `ksTwoSample`: scipy.stats.ks_2samp(method='auto'): the statistic with ties
 *   handled as scipy does (ECDFs compared after every value, ties included), an exact
 *   p-value when both samples have at most 10,000 values (Hodges' lattice-path counts:
 *   the m = n closed form, else the "outer" probability recursion), else kstwo.sf(D,
 *   round(m n / (m + n))). Exact p-values agree with scipy 1.17 to 1e-12.
 * - `chiSquareGoodnessOfFit` (the default "chisquare"): Evidently's chi_stat_test,
 *   scipy.stats.chisquare(f_obs = current counts, f_exp = reference counts × n_current /
 *   n_reference) over every category of either side, df = k - 1. A category the
 *   reference lacks has an expected count of 0: with current values in it the statistic
 *   is infinite and p = 0 (scipy's result, so Evidently's): a value never seen in the
 *   reference is drift, however rare. One category on both sides: statistic 0, p = 1
 *   (scipy gives p = NaN, which Evidently reads as no drift).
 * - `chiSquareHomogeneity` (option `test: contingency`): Pearson's chi-square on the 2 × k
 *   table of reference and current counts (scipy.stats.chi2_contingency(correction=False)),
 *   df = k - 1. It treats both sides as samples, so a new category weighs no more than a
 *   lost one: two disjoint high-cardinality ID columns of 500 + 500 rows get p ~ 0.49.
 * - `twoProportionZTest`: Evidently's proportions_diff_z_test: pooled proportion,
 *   z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2)), two-sided normal p-value; p = 1 when
 *   both samples hold the same single value.
 * - `wassersteinNorm`: Evidently's wasserstein_distance_norm: scipy's
 *   wasserstein_distance (the area between the ECDFs) divided by max(std of reference
 *   (population, ddof 0), 0.001).
 * - `jensenShannon`: scipy.spatial.distance.jensenshannon(p, q, base): each vector
 *   normalized to sum 1, sqrt of the JS divergence. The drift test uses base e
 *   (`NATURAL_LOG`), scipy's default and so Evidently's (its jensenshannon test passes
 *   base=None): the distance is then in [0, sqrt(ln 2)] = [0, 0.8326]; base 2 (a drift
 *   setting) gives values 1.2011x larger (1 / sqrt(ln 2)), in [0, 1]. The function's own
 *   default stays base 2 for its other caller, the canary check (core/deploy/canary.ts,
 *   whose limit is documented in base 2). Empty bins count as 0 (as in Evidently 0.7.21,
 *   whose jensenshannon test does not fill them).
 * - `psi`: population stability index Σ (r - c) ln(r / c) over bins, with shares of 0
 *   raised to `PSI_FLOOR` = 0.0001 (Evidently's floor) so that a bin empty on one side
 *   adds a large but finite term.
 */
import { chiSquareSf, kolmogorovNSf, normalSf } from './special.js';

export interface TestResult {
  statistic: number;
  /** The p-value for hypothesis tests; null for distances. */
  pValue: number | null;
}

/** Samples up to this size (both) get an exact KS p-value (scipy's MAX_AUTO_N). */
export const KS_EXACT_MAX_N = 10_000;
/** Share given to an empty bin in PSI (Evidently's value). */
export const PSI_FLOOR = 0.0001;
/** Floor of the reference standard deviation in the normalized Wasserstein distance (Evidently's value). */
export const WASSERSTEIN_STD_FLOOR = 0.001;

/** Sorts a copy (or the array itself with inPlace) ascending. */
export function sorted(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** The two-sided KS statistic of two ascending samples: max |F_a(x) - F_b(x)| over all x. */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const x = a[i]! <= b[j]! ? a[i]! : b[j]!;
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    const diff = Math.abs(i / n1 - j / n2);
    if (diff > d) d = diff;
  }
  // Once one sample is exhausted, its ECDF is 1; the largest gap left is at the current position.
  if (i < n1) d = Math.max(d, Math.abs(i / n1 - 1));
  if (j < n2) d = Math.max(d, Math.abs(1 - j / n2));
  return d;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** P(D_{n,n} >= h/n) by the alternating binomial sum in Horner form (scipy's _compute_prob_outside_square). */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * The share of lattice paths from (0, 0) to (m, n) that leave the band |x/m - y/n| < h / lcm
 * (scipy's _compute_outer_prob_inside_method): a column at a time, each cell the probability
 * that a random path to it has left the band.
 */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

/** The exact two-sided p-value of D for sample sizes n1, n2; null when the computation fails (then use the asymptotic one). */
export function ksExactPValue(n1: number, n2: number, d: number): number | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return p >= 0 && p <= 1 ? p : null;
}

/** The asymptotic p-value: kstwo.sf(d, round(n1 n2 / (n1 + n2))), as scipy's 'asymp' mode. */
export function ksAsymptoticPValue(n1: number, n2: number, d: number): number {
  const en = Math.round((n1 * n2) / (n1 + n2));
  return kolmogorovNSf(Math.max(1, en), d);
}

/** Two-sample KS on ascending samples of finite numbers (both non-empty). */
export function ksTwoSample(a: Float64Array, b: Float64Array): TestResult & { exact: boolean } {
  if (a.length === 0 || b.length === 0) throw new RangeError('ksTwoSample: empty sample');
  const d = ksStatistic(a, b);
  if (Math.max(a.length, b.length) <= KS_EXACT_MAX_N) {
    const p = ksExactPValue(a.length, b.length, d);
    if (p !== null) return { statistic: d, pValue: p, exact: true };
  }
  return { statistic: d, pValue: ksAsymptoticPValue(a.length, b.length, d), exact: false };
}

/**
 * Pearson's chi-square goodness of fit of the current counts to the reference shares
 * (scipy.stats.chisquare(current, reference × n_current / n_reference), Evidently's test).
 */
export function chiSquareGoodnessOfFit(reference: ArrayLike<number>, current: ArrayLike<number>): TestResult & { df: number } {
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < reference.length; i++) n1 += reference[i]!;
  for (let i = 0; i < current.length; i++) n2 += current[i]!;
  let chi2 = 0;
  let used = 0;
  for (let i = 0; i < reference.length; i++) {
    const observed = current[i]!;
    const expected = (reference[i]! * n2) / n1;
    if (reference[i] === 0 && observed === 0) continue; // a category neither side has is not a category
    used++;
    chi2 += expected === 0 ? Infinity : (observed - expected) ** 2 / expected;
  }
  const df = used - 1;
  if (n1 === 0 || n2 === 0 || df <= 0) return { statistic: 0, pValue: 1, df: Math.max(df, 0) };
  return { statistic: chi2, pValue: chi2 === Infinity ? 0 : chiSquareSf(chi2, df), df };
}

/** Pearson's chi-square test of homogeneity on two count vectors over the same categories (no continuity correction). */
export function chiSquareHomogeneity(reference: ArrayLike<number>, current: ArrayLike<number>): TestResult & { df: number } {
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < reference.length; i++) n1 += reference[i]!;
  for (let i = 0; i < current.length; i++) n2 += current[i]!;
  const total = n1 + n2;
  let chi2 = 0;
  let used = 0;
  for (let i = 0; i < reference.length; i++) {
    const column = reference[i]! + current[i]!;
    if (column === 0) continue; // a category neither sample has adds nothing and no degree of freedom
    used++;
    const e1 = (n1 * column) / total;
    const e2 = (n2 * column) / total;
    chi2 += (reference[i]! - e1) ** 2 / e1 + (current[i]! - e2) ** 2 / e2;
  }
  const df = used - 1;
  if (n1 === 0 || n2 === 0 || df <= 0) return { statistic: 0, pValue: 1, df: Math.max(df, 0) };
  return { statistic: chi2, pValue: chiSquareSf(chi2, df), df };
}

/**
 * Evidently's two-proportion z-test: `inFirst1` of `n1` reference values and `inFirst2` of
 * `n2` current values are the first category; the other values are the second.
 */
export function twoProportionZTest(inFirst1: number, n1: number, inFirst2: number, n2: number): TestResult {
  if (n1 === 0 || n2 === 0) return { statistic: 0, pValue: 1 };
  const p1 = inFirst1 / n1;
  const p2 = inFirst2 / n2;
  const pooled = (inFirst1 + inFirst2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { statistic: 0, pValue: 1 }; // one value in both samples
  const z = (p1 - p2) / Math.sqrt(variance);
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}

/** Population standard deviation (ddof 0), by a two-pass sum. */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / n);
}

/** The Wasserstein-1 distance of two ascending samples: the area between their ECDFs (scipy.stats.wasserstein_distance). */
export function wasserstein(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return NaN;
  let i = 0;
  let j = 0;
  let area = 0;
  let x = Math.min(a[0]!, b[0]!);
  while (i < n1 || j < n2) {
    const next = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    area += Math.abs(i / n1 - j / n2) * (next - x);
    x = next;
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
  }
  return area;
}

/** Evidently's normalized Wasserstein distance: the distance over max(reference std, 0.001). */
export function wassersteinNorm(reference: Float64Array, current: Float64Array, referenceStd = populationStd(reference)): TestResult {
  return { statistic: wasserstein(reference, current) / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR), pValue: null };
}

/** The base of scipy's (and Evidently's) Jensen-Shannon distance by default. */
export const NATURAL_LOG = Math.E;

/** Jensen-Shannon distance of two non-negative vectors (each normalized to sum 1), with logarithms to `base` (pass NATURAL_LOG for scipy's default). */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): TestResult {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) sp += p[i]!;
  for (let i = 0; i < q.length; i++) sq += q[i]!;
  if (!(sp > 0) || !(sq > 0)) return { statistic: NaN, pValue: null };
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    if (a > 0) divergence += a * Math.log(a / m);
    if (b > 0) divergence += b * Math.log(b / m);
  }
  const js = Math.max(0, divergence / 2 / Math.log(base));
  return { statistic: Math.sqrt(js), pValue: null };
}

/** PSI of two count (or share) vectors over the same bins; shares of 0 become PSI_FLOOR. */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): TestResult {
  let sr = 0;
  let sc = 0;
  for (let i = 0; i < reference.length; i++) sr += reference[i]!;
  for (let i = 0; i < current.length; i++) sc += current[i]!;
  if (!(sr > 0) || !(sc > 0)) return { statistic: NaN, pValue: null };
  let value = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i]! / sr, PSI_FLOOR);
    const c = Math.max(current[i]! / sc, PSI_FLOOR);
    value += (r - c) * Math.log(r / c);
  }
  return { statistic: value, pValue: null };
}

/** The number of PSI bins: reference deciles. */
export const PSI_BINS = 10;

/**
 * Inner bin edges for PSI: the reference's 10%, 20%, ..., 90% quantiles (linear
 * interpolation, numpy's default), duplicates dropped. Bins are (-inf, e1], (e1, e2], ..., (e9, inf).
 */
export function quantileEdges(sortedReference: Float64Array, bins = PSI_BINS): number[] {
  const n = sortedReference.length;
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const pos = (k / bins) * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, n - 1);
    const value = sortedReference[lo]! + (sortedReference[hi]! - sortedReference[lo]!) * (pos - lo);
    if (edges.length === 0 || value > edges[edges.length - 1]!) edges.push(value);
  }
  return edges;
}

/** Counts of an ascending sample in the bins (-inf, e1], (e1, e2], ..., (e_last, inf). */
export function binCounts(sortedValues: Float64Array, edges: readonly number[]): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let start = 0;
  for (let b = 0; b < edges.length; b++) {
    const end = upperBound(sortedValues, edges[b]!, start);
    counts[b] = end - start;
    start = end;
  }
  counts[edges.length] = sortedValues.length - start;
  return counts;
}

/** The first index in [from, length) whose value is > x (ascending array). */
export function upperBound(values: Float64Array, x: number, from = 0): number {
  let lo = from;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of JS histogram bins for numeric columns (Evidently's n_bins). */
export const JS_BINS = 30;

/**
 * Equal-width edges over [min, max] of both samples (numpy.histogram_bin_edges(bins=30) of the
 * concatenation); the last bin is closed, as numpy's.
 */
export function histogramCounts(a: Float64Array, b: Float64Array, bins = JS_BINS): [Float64Array, Float64Array] {
  const lo = Math.min(a[0]!, b[0]!);
  const hi = Math.max(a[a.length - 1]!, b[b.length - 1]!);
  const count = (values: Float64Array): Float64Array => {
    const out = new Float64Array(bins);
    const width = (hi - lo) / bins;
    for (let i = 0; i < values.length; i++) {
      const k = width > 0 ? Math.min(bins - 1, Math.floor((values[i]! - lo) / width)) : 0;
      out[k]! += 1;
    }
    return out;
  };
  return [count(a), count(b)];
}
