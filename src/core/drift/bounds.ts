/**
 * How far a statistic computed from a stored profile's sketches may be from the one the
 * data would give: the range of values the sketches' error guarantees allow, worst case.
 * A verdict is "near its threshold" when that range holds values on both sides of it.
 *
 * The guarantees used:
 * - KLL (numbers): every CDF value (the share of values <= x, or < x) is within eps of the
 *   truth, eps = 2.296 / k^0.9723 (DataSketches' 99%-confidence normalized rank error,
 *   0.0105 at k = 256); min, max, count, mean and std are exact. A side still holding every
 *   value has eps = 0 (it is exact).
 * - Frequent items (categories): every count may fall short of the truth by at most the
 *   summary's maxError, never exceed it; the total is exact.
 *
 * The bounds, per statistic:
 * - KS: D moves by at most eps_ref + eps_cur (each CDF by its eps); the p-value range is
 *   that of D's range.
 * - Wasserstein (normalized): a sketch's quantile at u is a value whose true rank is within
 *   eps of u, so its error is at most Q(u + eps) - Q(u - eps) (clamped to [0, 1]); the
 *   distance moves by at most the integral of that over u, per sketched side, over the
 *   reference std. Long tails make it wide: it is a worst case, not a typical error.
 * - Binned Jensen-Shannon and PSI: a bin's share is a difference of two CDF values, so it
 *   moves by at most 2 eps (eps for the first and last bins, whose outer edges are the exact
 *   min and max); category shares move as their counts may. Each term of the sum (a
 *   ln(2a / (a + b)) + b ln(2b / (a + b)) for JS, (a - b) ln(a / b) for PSI) is jointly
 *   convex, 0 where a = b and growing away from it, so over a box of shares its largest
 *   value is at a corner and its smallest at the corner nearest the diagonal (0 when the box
 *   meets it); the statistic's range is the sum of those (the shares summing to 1 is not
 *   used: wider than the truth, never narrower).
 * - Chi-square (goodness of fit): n_cur Σ (c - r)^2 / r over shares, bounded term by term
 *   as above; the p-value range is that of the statistic (df unchanged).
 * - z-test: at the corners of the two proportions' ranges (z is monotone in each).
 */
import { chiSquareSf, normalSf } from './special.js';
import { emptyShare, ksAsymptoticPValue } from './stats.js';

/** The range of a statistic (and of its p-value, for tests) allowed by the sketches' errors. */
export interface StatisticRange {
  statistic: [number, number];
  pValue: [number, number] | null;
}

/** An interval of shares per element: [low_i, high_i]. */
export interface ShareBox {
  low: Float64Array;
  high: Float64Array;
}

/** A box of zero width (exact shares). */
export function exactBox(shares: Float64Array): ShareBox {
  return { low: shares, high: shares };
}

/** The range of `f` over [aLo, aHi] x [bLo, bHi], for f jointly convex, 0 on a = b and growing away from it. */
function termRange(f: (a: number, b: number) => number, aLo: number, aHi: number, bLo: number, bHi: number): [number, number] {
  const high = Math.max(f(aLo, bLo), f(aLo, bHi), f(aHi, bLo), f(aHi, bHi));
  let low = 0;
  if (aLo > bHi) low = f(aLo, bHi);
  else if (aHi < bLo) low = f(aHi, bLo);
  return [low, high];
}

function sumRange(f: (a: number, b: number) => number, a: ShareBox, b: ShareBox): [number, number] {
  let low = 0;
  let high = 0;
  for (let i = 0; i < a.low.length; i++) {
    const [l, h] = termRange(f, a.low[i]!, a.high[i]!, b.low[i]!, b.high[i]!);
    low += l;
    high += h;
  }
  return [low, high];
}

const jsTerm = (a: number, b: number): number => {
  const m = (a + b) / 2;
  return (a > 0 ? a * Math.log(a / m) : 0) + (b > 0 ? b * Math.log(b / m) : 0);
};

/** Range of the Jensen-Shannon distance (logarithm to `base`) over boxes of shares. */
export function jensenShannonRange(p: ShareBox, q: ShareBox, base: number): [number, number] {
  const [low, high] = sumRange(jsTerm, p, q);
  const distance = (d: number) => Math.sqrt(Math.max(0, d / 2 / Math.log(base)));
  return [distance(low), distance(high)];
}

/** Range of PSI over boxes of shares; a share of 0 at a box's end takes the side's small share, as in the statistic. */
export function psiRange(r: ShareBox, c: ShareBox, rPoint: ArrayLike<number>, cPoint: ArrayLike<number>): [number, number] {
  const rFill = emptyShare(rPoint);
  const cFill = emptyShare(cPoint);
  const term = (a: number, b: number) => {
    const x = a > 0 ? a : rFill;
    const y = b > 0 ? b : cFill;
    return (x - y) * Math.log(x / y);
  };
  return sumRange(term, r, c);
}

/** Range of the goodness-of-fit chi-square statistic: `currentTotal` × Σ (c - r)^2 / r over boxes of shares, and of its p-value. */
export function chiSquareRange(r: ShareBox, c: ShareBox, currentTotal: [number, number], df: number): StatisticRange {
  const term = (a: number, b: number) => (b === 0 ? (a > 0 ? Infinity : 0) : (a - b) ** 2 / b);
  const [low, high] = sumRange(term, c, r);
  const statistic: [number, number] = [currentTotal[0] * low, currentTotal[1] * high];
  const p = (x: number) => (df <= 0 ? 1 : x === Infinity ? 0 : chiSquareSf(x, df));
  return { statistic, pValue: [p(statistic[1]), p(statistic[0])] };
}

/** Range of Evidently's two-proportion z statistic and p-value for proportions in [p1Lo, p1Hi] and [p2Lo, p2Hi]. */
export function zRange(p1: [number, number], n1: number, p2: [number, number], n2: number): StatisticRange {
  const z = (a: number, b: number) => {
    const pooled = (a * n1 + b * n2) / (n1 + n2);
    const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
    return variance === 0 ? 0 : (a - b) / Math.sqrt(variance);
  };
  const corners = [z(p1[0], p2[0]), z(p1[0], p2[1]), z(p1[1], p2[0]), z(p1[1], p2[1])];
  const overlap = p1[0] <= p2[1] && p2[0] <= p1[1];
  const low = overlap ? 0 : Math.min(...corners.map(Math.abs));
  const high = Math.max(...corners.map(Math.abs));
  const p = (x: number) => Math.min(1, 2 * normalSf(x));
  return { statistic: [Math.min(...corners), Math.max(...corners)], pValue: [p(high), p(low)] };
}

/** Range of the KS statistic when each side's CDF is within its eps, and of its (asymptotic) p-value. */
export function ksRange(d: number, eps: number, n1: number, n2: number): StatisticRange {
  const low = Math.max(0, d - eps);
  const high = Math.min(1, d + eps);
  return { statistic: [low, high], pValue: [ksAsymptoticPValue(n1, n2, high), ksAsymptoticPValue(n1, n2, low)] };
}

/** Steps of u in the Wasserstein bound's integral. */
const QUANTILE_STEPS = 1000;

/**
 * ∫_0^1 Q(min(u + eps, 1)) - Q(max(u - eps, 0)) du for a side's quantile function (its
 * sketch's): the most the side's sketch error can move the Wasserstein distance.
 */
export function quantileSpread(quantile: (u: number) => number, eps: number): number {
  if (eps <= 0) return 0;
  let total = 0;
  for (let i = 0; i < QUANTILE_STEPS; i++) {
    const u = (i + 0.5) / QUANTILE_STEPS;
    total += quantile(Math.min(1, u + eps)) - quantile(Math.max(0, u - eps));
  }
  return total / QUANTILE_STEPS;
}

/** Share boxes of counts that may each fall short by up to `maxError` (a pruned frequent-items summary), over the counts' own total. */
export function countBox(counts: ArrayLike<number>, maxError: number): ShareBox {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const n = counts.length;
  const low = Float64Array.from(counts, (v) => v / (total + n * maxError));
  const high = Float64Array.from(counts, (v) => Math.min(1, (v + maxError) / total));
  return { low, high };
}

/** Share boxes of bins from CDF differences each within eps (the first and last bins, bounded by exact min and max, within eps). */
export function binBox(shares: Float64Array, eps: number): ShareBox {
  const n = shares.length;
  const width = (i: number) => (n === 1 ? 0 : i === 0 || i === n - 1 ? eps : 2 * eps);
  return {
    low: Float64Array.from(shares, (s, i) => Math.max(0, s - width(i))),
    high: Float64Array.from(shares, (s, i) => Math.min(1, s + width(i))),
  };
}
