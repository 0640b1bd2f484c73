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
 * - `psi`: population stability index Σ (r - c) ln(r / c) over bins or categories, with
 *   Evidently's treatment of empty ones (get_binned_data's `feel_zeroes`): on each side the
 *   shares of 0 (only those) become 0.0001 (`PSI_FLOOR`), or the side's smallest non-zero
 *   share / 10^6 when that is 0.0001 or less, so a bin empty on one side adds a large but
 *   finite term. Nothing is renormalized afterwards (as there).
 * - `sturgesEdges` and `histogramCounts`: numpy's `histogram_bin_edges(x, bins="sturges")`
 *   and `histogram(x, edges)`, bit for bit: width = ptp / (log2(size) + 1), at least 1 when
 *   the data are integers (numpy 2.1 and later), bins = ceil((max - min) / width) (1 when
 *   the width is 0; a constant gets [v - 0.5, v + 0.5]), edges = linspace(min, max, bins + 1)
 *   computed as numpy does (i × step + min, the last edge max itself); bins [e_i, e_i+1)
 *   with the last one closed. Evidently bins numeric columns so for Jensen-Shannon and PSI
 *   (methods.ts says when).
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

/** Scratch of sortFinite, kept for the next column (a column's worth of garbage per sort otherwise). */
let scratch = new Float64Array(0);
let radixCounts: Uint32Array | null = null;
/** sortFinite reads a double's low 32 bits as the first of two 32-bit words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Sorts finite doubles (no NaN) ascending in place, in the order of Float64Array.prototype.sort
 * (-0 before +0): an LSD radix sort on the raw bits, 16 bits a pass (passes where every value has
 * the same digit are skipped), then the negatives (last, by ascending magnitude) reversed to the
 * front. Bit for bit the result of sort(), three to four times faster on 1 M values (sort() was
 * half of a drift check's time at 1 M rows).
 */
export function sortFinite(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 1024 || !LITTLE_ENDIAN) return a.sort();
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, Math.ceil(scratch.length * 1.25)));
  const tmp = scratch.subarray(0, n);
  const counts = (radixCounts ??= new Uint32Array(4 * 65536));
  counts.fill(0);
  const u = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const lo = u[2 * i]!;
    const hi = u[2 * i + 1]!;
    counts[lo & 0xffff]!++;
    counts[65536 + (lo >>> 16)]!++;
    counts[131072 + (hi & 0xffff)]!++;
    counts[196608 + (hi >>> 16)]!++;
  }
  let src: Float64Array = a;
  let dst: Float64Array = tmp;
  for (let p = 0; p < 4; p++) {
    const o = p * 65536;
    let trivial = false;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[o + b]!;
      if (c === n) {
        trivial = true;
        break;
      }
      counts[o + b] = sum;
      sum += c;
    }
    if (trivial) continue;
    const su = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
    const word = p >> 1;
    const shift = (p & 1) * 16;
    for (let i = 0; i < n; i++) {
      const d = (su[2 * i + word]! >>> shift) & 0xffff;
      dst[counts[o + d]!++] = src[i]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  const su = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (su[2 * m + 1]! >>> 31) hi = m;
    else lo = m + 1;
  }
  const negatives = n - lo;
  if (src === a) {
    if (negatives === 0) return a;
    tmp.set(a);
    src = tmp;
  }
  for (let i = 0; i < negatives; i++) a[i] = src[n - 1 - i]!;
  a.set(src.subarray(0, lo), negatives);
  return a;
}

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

/** The asymptotic p-value: kstwo.sf(d, round(n1 n2 / (n1 + n2))), as scipy's 'asymp' mode (numpy rounds half to even). */
export function ksAsymptoticPValue(n1: number, n2: number, d: number): number {
  const en = roundHalfEven((n1 * n2) / (n1 + n2));
  return kolmogorovNSf(Math.max(1, en), d);
}

/** Rounds to the nearest integer, halves to the even one, as numpy's round: 5000.5 -> 5000, 5001.5 -> 5002. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
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

/** Evidently's share for the empty bins of one side: 0.0001, or the smallest non-zero share / 10^6 when that is 0.0001 or less. */
export function emptyShare(shares: ArrayLike<number>): number {
  let smallest = Infinity;
  for (let i = 0; i < shares.length; i++) if (shares[i]! !== 0 && shares[i]! < smallest) smallest = shares[i]!;
  return smallest <= PSI_FLOOR ? smallest / 1e6 : PSI_FLOOR;
}

/** Shares of a count (or share) vector, its zeros replaced by `emptyShare` (Evidently's get_binned_data, feel_zeroes). */
export function psiShares(values: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  const shares = Float64Array.from(values, (v) => v / total);
  const fill = emptyShare(shares);
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = fill;
  return shares;
}

/** PSI of two count (or share) vectors over the same bins; empty bins get Evidently's small share (`emptyShare`). */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): TestResult {
  let sr = 0;
  let sc = 0;
  for (let i = 0; i < reference.length; i++) sr += reference[i]!;
  for (let i = 0; i < current.length; i++) sc += current[i]!;
  if (!(sr > 0) || !(sc > 0)) return { statistic: NaN, pValue: null };
  const r = psiShares(reference);
  const c = psiShares(current);
  let value = 0;
  for (let i = 0; i < r.length; i++) value += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
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

/** The first index in [from, length) whose value is >= x (ascending array). */
export function lowerBound(values: Float64Array, x: number, from = 0): number {
  let lo = from;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Reference values (distinct, finite) up to which Evidently's get_binned_data counts each
 * value of a numeric column instead of binning it (it bins when the reference has more).
 */
export const PER_VALUE_MAX_DISTINCT = 20;

/**
 * numpy.histogram_bin_edges(x, bins="sturges") of `size` values from `min` to `max`;
 * `integers`: x has an integer dtype (then numpy 2.1 and later make the width at least 1).
 */
export function sturgesEdges(min: number, max: number, size: number, integers = false): Float64Array {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  let width = (max - min) / (Math.log2(size) + 1);
  let bins = 1;
  if (width) {
    if (integers && width < 1) width = 1;
    bins = Math.ceil((last - first) / width);
  }
  // numpy.linspace(first, last, bins + 1): i × step + first, the last edge exactly `last`.
  const edges = new Float64Array(bins + 1);
  const delta = last - first;
  const step = delta / bins;
  for (let i = 0; i < bins; i++) edges[i] = step === 0 ? (i / bins) * delta + first : i * step + first;
  edges[bins] = last;
  return edges;
}

/**
 * numpy.histogram(x, edges) of an ascending sample: counts in [e0, e1), [e1, e2), ...,
 * [e_last-1, e_last] (the last bin closed); values outside [e0, e_last] are not counted.
 */
export function histogramCounts(sortedValues: Float64Array, edges: ArrayLike<number>): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(Math.max(0, bins));
  // numpy's cumulative counts: searchsorted(left) at every edge but the last, searchsorted(right) there.
  let previous = bins >= 1 ? lowerBound(sortedValues, edges[0]!) : 0;
  for (let b = 0; b < bins; b++) {
    const next = b === bins - 1 ? upperBound(sortedValues, edges[bins]!) : lowerBound(sortedValues, edges[b + 1]!);
    counts[b] = next - previous;
    previous = next;
  }
  return counts;
}
