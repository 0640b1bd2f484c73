/**
 * Bootstrap confidence intervals for the scalar metrics of a scored test set, and paired intervals
 * for the change candidate − baseline.
 *
 * Method: the percentile bootstrap. Each resample draws n rows with replacement from the n test
 * rows (a multinomial draw: a count per row, its weight); every metric is computed on every
 * resample, and the interval at confidence 1 − α is the α/2 and 1 − α/2 percentiles of those
 * values (linear interpolation between order statistics, numpy.percentile's default, as
 * scipy.stats.bootstrap(method='percentile') computes them). The point estimate is the metric on
 * the test set itself, not the mean of the resamples.
 *
 * Why not BCa: its acceleration needs a jackknife (n leave-one-out recomputations of every metric,
 * quadratic for roc_auc on 100,000 rows); its corrections matter for small, skewed samples, and at
 * test-set sizes percentile and BCa intervals agree to within the resampling noise; and percentile
 * intervals are simple to explain and to check (numpy on the same resampled rows gives the same
 * numbers). The intervals describe the sampling noise of the test set only, not that of training.
 *
 * Paired: the candidate and the baseline are scored on the same resampled rows (the same weights),
 * and the difference is taken per resample, so the interval of the change leaves out the
 * variation both models share (hard rows are hard for both). This needs the baseline scored on
 * the candidate's test rows: the same row indexes with the same truth; otherwise no paired
 * interval is given and `unavailable` says why. A change is significant when its interval
 * excludes 0; a model against itself gives exactly [0, 0].
 *
 * Speed: no resample is materialized. A resample is a count per row (its weight), and every
 * metric follows from sums over the rows in O(n) (O(n·k) for k classes' one-vs-rest roc_auc):
 * a weighted confusion matrix for accuracy, balanced accuracy and precision/recall/F1; the
 * weighted sum of −ln p for log loss; roc_auc as the weighted Mann-Whitney statistic over the
 * rows sorted once by score (ties count one half, exactly as metrics.ts); weighted sums for
 * regression, r2's total sum of squares about a value of y near its mean (exactly in two passes
 * when it nearly cancels). With integer weights each metric equals metrics.ts on the resample
 * written out row by row (to the rounding of sums), with its conventions: class support,
 * zero_division=0, macro over the classes present, r2's constant-truth rule. Two-class tasks
 * also get `precision`, `recall` and `f1` of the positive class, which, as roc_auc's, is the
 * Scored's own (positiveClassIndex of metrics.ts) unless `positive` names another index.
 *
 * The resamples are drawn and summed 4 at a time (LANES), a byte of one 32-bit word per row
 * each, so every row's data and every position of a sorted order is read once per 4 resamples,
 * and the candidate and a paired baseline are summed from the same words. roc_auc's sorted rows
 * are cut into stretches of one class (a tie of both kinds apart): a stretch's counts are summed
 * without looking at the class, the 4 bytes at once in the halves of two numbers, and only its
 * sums update U (see AucClass).
 * The scores are sorted by a radix sort on their bits. Each lane's sums are the same numbers
 * weightedMetrics gives on its counts.
 *
 * Degenerate resamples: a resample where a metric is undefined (roc_auc when it holds one class
 * only, r2 with fewer than two rows) is left out for that metric and counted in `skipped`; an
 * interval from fewer than 90% of the resamples is marked `unreliable`.
 *
 * Random numbers: xoshiro128** seeded by splitmix32 from `seed`; the resamples' counts are drawn
 * as Poisson counts conditioned on their total (exactly multinomial; see Resampler), 4 resamples
 * from each random word; the same seed gives the same intervals on every machine
 * (resampleCounts lists the counts drawn).
 */
import { UserError } from '../errors.js';
import type { ChangeIntervals } from './gates.js';
import { LOG_LOSS_EPS, MAPE_EPS, positiveClassIndex } from './metrics.js';
import type { Scored } from './score.js';

export interface BootstrapSettings {
  /** Resamples drawn; 0 turns the bootstrap off (callers skip it). */
  resamples: number;
  /** Confidence level of the intervals, in (0, 1). */
  confidence: number;
  /** Seed of the random draws: a whole number. */
  seed: number;
}

/** Fixed defaults, so that reports are reproducible. */
export const DEFAULT_BOOTSTRAP: BootstrapSettings = { resamples: 1000, confidence: 0.95, seed: 20_240_917 };
/** An interval computed from fewer than this share of the resamples is marked unreliable. */
export const MIN_USABLE_SHARE = 0.9;
/** The most resamples allowed (each is a pass over the rows). */
export const MAX_RESAMPLES = 100_000;

export interface MetricInterval {
  /** The metric on the test set itself; null when undefined there. */
  estimate: number | null;
  /** Interval ends; null when no resample gave a value. */
  lower: number | null;
  upper: number | null;
  /** Resamples where the metric was undefined, left out. */
  skipped: number;
  /** Fewer than {@link MIN_USABLE_SHARE} of the resamples gave a value. */
  unreliable: boolean;
}

export interface DifferenceInterval extends MetricInterval {
  /** The interval excludes 0. */
  significant: boolean;
}

/** The paired intervals of candidate − baseline (the shape gates read). */
export interface PairedDifferences extends ChangeIntervals {
  differences: Record<string, DifferenceInterval>;
}

export interface BootstrapResult {
  method: 'percentile';
  resamples: number;
  confidence: number;
  seed: number;
  /** Test rows resampled. */
  rows: number;
  /** Index of the positive class of a binary task's precision, recall and f1; null otherwise. */
  positive: number | null;
  /** The candidate's metrics (count left out). */
  metrics: Record<string, MetricInterval>;
  /** Candidate − baseline on the same resampled rows; null without a baseline. */
  paired: PairedDifferences | null;
}

/**
 * The intervals the reports mark less reliable (the metric undefined on too many resamples): the
 * candidate's metrics by name, then the paired changes as "<name> change".
 */
export function unreliableIntervals(bootstrap: BootstrapResult): Array<readonly [string, MetricInterval]> {
  return [
    ...Object.entries(bootstrap.metrics).filter(([, i]) => i.unreliable),
    ...Object.entries(bootstrap.paired?.differences ?? {})
      .filter(([, i]) => i.unreliable)
      .map(([name, i]) => [`${name} change`, i] as const),
  ];
}

// ---------------------------------------------------------------------------------------------
// Random numbers

function splitmix32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const TWO_32 = 4294967296;
const INV_TWO_32 = 1 / TWO_32;
const TWO_40 = 2 ** 40;

/** xoshiro128** (Blackman and Vigna): 32 random bits per call. */
class Xoshiro128 {
  /** The state, in a typed array so that its words stay 32-bit integers. */
  readonly s = new Int32Array(4);

  constructor(seed: number, stream: number) {
    this.reset(seed, stream);
  }

  /** Starts stream number `stream` (a whole number below 2^32) of `seed` afresh. */
  reset(seed: number, stream: number): void {
    const low = splitmix32((seed >>> 0) ^ Math.imul(stream, 0x9e3779b9));
    const high = splitmix32((Math.floor(seed / TWO_32) >>> 0) ^ 0x6a09e667);
    for (let i = 0; i < 4; i++) this.s[i] = low() ^ high();
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1; // the all-zero state is a fixed point
  }

  next(): number {
    const s = this.s;
    const b = s[1]!;
    const t = b << 9;
    let r = Math.imul(b, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    s[2]! ^= s[0]!;
    s[3]! ^= b;
    s[1] = b ^ s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = (s[3]! << 11) | (s[3]! >>> 21);
    return r >>> 0;
  }

  /**
   * A whole number in [0, m), every one equally likely: Lemire's multiply-shift with rejection,
   * exact in doubles while m <= 2^21; above, from 53 bits (a bias below m / 2^53).
   */
  below(m: number): number {
    if (m <= 2 ** 21) {
      const threshold = (TWO_32 - m) % m;
      for (;;) {
        const product = this.next() * m;
        const value = Math.floor(product * INV_TWO_32);
        if (product - value * TWO_32 >= threshold) return value;
      }
    }
    const uniform = (this.next() * 2 ** 21 + (this.next() >>> 11)) / 2 ** 53;
    return Math.floor(uniform * m);
  }
}

/** P(X <= k) for X ~ Poisson(1), k = 0..19; the last set to 1 (P(X > 19) is below 1e-18). */
const POISSON_CDF: number[] = (() => {
  const cdf: number[] = [];
  let term = Math.exp(-1);
  let sum = 0;
  for (let k = 0; k < 20; k++) {
    sum += term;
    cdf.push(Math.min(sum, 1));
    term /= k + 1;
  }
  cdf[cdf.length - 1] = 1;
  return cdf;
})();

/** A byte of POISSON_BY_BYTE whose interval straddles a step of the CDF (no count is this large). */
const STRADDLES = 0x80;

/** The Poisson(1) draw of each top byte of a uniform, or STRADDLES when the byte's interval straddles a step of the CDF. */
const POISSON_BY_BYTE: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const k = POISSON_CDF.findIndex((c) => v / 256 < c);
    table[v] = (v + 1) / 256 <= POISSON_CDF[k]! ? k : STRADDLES;
  }
  return table;
})();

/** The Poisson(1) draw of a uniform whose top byte is `byte`, refined with 32 more bits (resolution 2^-40). */
function poissonRefined(byte: number, random: Xoshiro128): number {
  const u = (byte * TWO_32 + random.next()) / TWO_40;
  let k = 0;
  while (k < POISSON_CDF.length - 1 && u >= POISSON_CDF[k]!) k++;
  return k;
}

/** Resamples drawn together: one byte each of a 32-bit word per row. */
const LANES = 4;
/** The most times a row is counted in one resample (a byte); see Resampler. */
const MOST_COUNT = 255;

/**
 * Independent Poisson(1) counts, LANES per row: byte g of words[i] is row i's count in resample g,
 * from the 4 bytes of one 32-bit word of `bulk` (refined from `exact` when a byte straddles a step
 * of the CDF: afterwards, in row order, so that the loop has no branch to mispredict). Writes each
 * resample's total into totals[g] and the OR of its counts (each below 20, so below 32 and at
 * least the largest) into ors[g]. `rows` and `draws`: room for n numbers each.
 */
function poissonFill(
  words: Uint32Array,
  bulk: Xoshiro128,
  exact: Xoshiro128,
  totals: Int32Array,
  ors: Int32Array,
  rows: Int32Array,
  draws: Int32Array,
): void {
  const n = words.length;
  const table = POISSON_BY_BYTE;
  const state = bulk.s;
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let bits = 0;
  let straddling = 0;
  for (let i = 0; i < n; i++) {
    // xoshiro128**, inline; its 4 bytes give row i's count in each of the 4 resamples.
    const t = b << 9;
    let word = Math.imul(b, 5);
    word = Math.imul((word << 7) | (word >>> 25), 9);
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    const k0 = table[word & 255]!;
    const k1 = table[(word >>> 8) & 255]!;
    const k2 = table[(word >>> 16) & 255]!;
    const k3 = table[word >>> 24]!;
    const packed = k0 | (k1 << 8) | (k2 << 16) | (k3 << 24);
    words[i] = packed;
    bits |= packed;
    t0 += k0;
    t1 += k1;
    t2 += k2;
    t3 += k3;
    // The row and its random word are kept; the next row overwrites them unless a byte straddles.
    const marks = packed & (STRADDLES * 0x01010101);
    rows[straddling] = i;
    draws[straddling] = word;
    straddling += (marks | -marks) >>> 31;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  bits &= ~(STRADDLES * 0x01010101);
  for (let m = 0; m < straddling; m++) {
    const i = rows[m]!;
    const word = draws[m]!;
    let packed = words[i]!;
    for (let g = 0; g < LANES; g++) {
      const shift = 8 * g;
      if (((packed >>> shift) & 255) !== STRADDLES) continue;
      const k = poissonRefined((word >>> shift) & 255, exact);
      packed = (packed & ~(255 << shift)) | (k << shift);
      bits |= k << shift;
      if (g === 0) t0 += k - STRADDLES;
      else if (g === 1) t1 += k - STRADDLES;
      else if (g === 2) t2 += k - STRADDLES;
      else t3 += k - STRADDLES;
    }
    words[i] = packed;
  }
  totals[0] = t0;
  totals[1] = t1;
  totals[2] = t2;
  totals[3] = t3;
  for (let g = 0; g < LANES; g++) ors[g] = (bits >>> (8 * g)) & 255;
}

/**
 * Resampling of n rows with replacement, LANES resamples at a time: `next(words)` sets byte g of
 * words[i] (bits 8g to 8g + 7) to how many times row i is drawn in resample g of the batch, the
 * counts of each resample following the multinomial distribution of n draws.
 *
 * Drawn as Poisson(1) counts per row, made exact by conditioning: given their total T, Poisson
 * counts of equal rates are the counts of T balls thrown uniformly at random, so adding n − T
 * balls uniformly (T < n), or taking away T − n balls chosen uniformly among those thrown
 * (T > n: a row with probability proportional to its count, by rejection), leaves n uniform
 * throws. A Poisson count takes 8 random bits by table (3% of bytes straddle a step of the CDF
 * and draw 32 bits more), and one random word gives a row's counts in the 4 resamples, written in
 * row order: several times faster than n random draws and increments. A count is at most 255
 * (a ball that would make it 256 is thrown again: a row drawn 256 times has a probability below
 * 10^-500, far below the 10^-18 of a Poisson count above 19, which the table leaves out too).
 * Random bits: xoshiro128**, two streams per batch of LANES resamples, seeded by splitmix32 from
 * the seed and the batch's number.
 */
export class Resampler {
  private readonly seed: number;
  private readonly bulk: Xoshiro128;
  private readonly exact: Xoshiro128;
  private readonly totals = new Int32Array(LANES);
  private readonly ors = new Int32Array(LANES);
  /** Rows with a count to refine, and their random words (see poissonFill). */
  private rows = new Int32Array(0);
  private draws = new Int32Array(0);

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new UserError(`the bootstrap seed is ${String(seed)}, not a whole number`);
    this.seed = seed;
    this.bulk = new Xoshiro128(seed, 0);
    this.exact = new Xoshiro128(seed, 1);
  }

  /**
   * Fills words (one per row) with batch number `batch`: resamples LANES·batch to LANES·batch + 3.
   * Each batch draws from streams of its own (2·batch and 2·batch + 1 of the seed), so a batch
   * is the same whichever thread draws it, and in whatever order.
   */
  fill(batch: number, words: Uint32Array): void {
    const n = words.length;
    if (n === 0) return;
    const exact = this.exact;
    this.bulk.reset(this.seed, 2 * batch);
    exact.reset(this.seed, 2 * batch + 1);
    if (this.rows.length < n) {
      this.rows = new Int32Array(n);
      this.draws = new Int32Array(n);
    }
    poissonFill(words, this.bulk, exact, this.totals, this.ors, this.rows, this.draws);
    for (let g = 0; g < LANES; g++) {
      const shift = 8 * g;
      const one = 2 ** shift;
      let total = this.totals[g]!;
      let most = this.ors[g]!;
      // Condition on the total: throw n − T more balls, or take T − n of them away.
      while (total < n) {
        const row = exact.below(n);
        const k = ((words[row]! >>> shift) & 255) + 1;
        if (k > MOST_COUNT) continue;
        words[row] = words[row]! + one;
        if (k > most) most = k;
        total++;
      }
      while (total > n) {
        const row = exact.below(n);
        const k = (words[row]! >>> shift) & 255;
        if (k > 0 && exact.below(most) < k) {
          words[row] = words[row]! - one;
          total--;
        }
      }
    }
  }
}

/** Row i's count in lane `lane` of a batch of resamples (see Resampler). */
const laneCount = (words: Uint32Array, i: number, lane: number): number => (words[i]! >>> (8 * lane)) & 255;

/** The resamples bootstrapMetrics draws for n rows with `seed`, in its order: counts per row, one array each. */
export function* resampleCounts(n: number, resamples: number, seed: number): Generator<Int32Array> {
  const rng = new Resampler(seed);
  const words = new Uint32Array(n);
  for (let r = 0; r < resamples; r++) {
    const lane = r % LANES;
    if (lane === 0) rng.fill(r / LANES, words);
    const counts = new Int32Array(n);
    for (let i = 0; i < n; i++) counts[i] = laneCount(words, i, lane);
    yield counts;
  }
}

// ---------------------------------------------------------------------------------------------
// Prepared sets: what every resample reuses

/**
 * One class's rows in increasing score order, cut into pieces whose sums are all its AUC needs
 * (see aucSums): a piece is a stretch of positions of one kind, at most {@link PIECE} long.
 * NEGATIVE and POSITIVE pieces hold rows of the other classes or of this one; a run of equal
 * scores holding both (a tie) is ordered positives first and cut into TIE_POSITIVE pieces, the
 * first marked TIE_FIRST, then TIE_NEGATIVE pieces.
 */
interface AucClass {
  /** The rows, position by position. */
  rows: Int32Array;
  /** Where each piece ends (one past its last position). */
  ends: Int32Array;
  /** Each piece's kind. */
  kinds: Uint8Array;
}
const NEGATIVE = 0;
const POSITIVE = 1;
const TIE_NEGATIVE = 2;
const TIE_POSITIVE = 3;
const TIE_FIRST = 4;
/**
 * The most positions in a piece: counts are bytes (see Resampler), so a piece's 4 sums fit the
 * 16-bit halves of two 32-bit words (256 · 255 < 2^16).
 */
const PIECE = 256;

interface PreparedClassification {
  task: 'classification';
  n: number;
  k: number;
  names: string[];
  /** yTrue·k + yPred per row: its confusion-matrix cell. */
  cell: Int32Array;
  /** −ln p(true class) per row, clipped as metrics.ts; null without scores or when they are not probabilities. */
  nll: Float64Array | null;
  /** One entry per class whose one-vs-rest AUC is taken (the positive class when binary); empty without scores. */
  auc: AucClass[];
  /** roc_auc is among the names (the rows have scores). */
  hasAuc: boolean;
  /** The positive class of a two-class task; -1 otherwise. */
  positive: number;
  /** How many sums its metrics follow from: the confusion matrix (k²), the log loss sum, then per AUC class U, positives, negatives. */
  stats: number;
}

interface PreparedRegression {
  task: 'regression';
  n: number;
  names: string[];
  y: Float64Array;
  absError: Float64Array;
  sqError: Float64Array;
  ape: Float64Array;
  /** y minus a value of y near its mean (sums of squares about it lose no precision). */
  deviation: Float64Array;
  /** deviation · deviation. */
  deviationSquared: Float64Array;
  /** How many sums its metrics follow from: weight, |e|, e², |e|/|y|, deviation, deviation². */
  stats: number;
}

/** A scored set made ready for weighted metrics (see {@link prepareScored}). */
export type PreparedScored = PreparedClassification | PreparedRegression;

const CLASSIFICATION_NAMES = [
  'accuracy',
  'balanced_accuracy',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
] as const;
const BINARY_NAMES = ['precision', 'recall', 'f1'] as const;
const REGRESSION_NAMES = ['mae', 'mse', 'rmse', 'r2', 'mape'] as const;
const REGRESSION_STATS = 6;

function badRow(what: string, i: number, value: unknown, expected: string, hint?: string): UserError {
  const shown = typeof value === 'number' ? String(value) : value === undefined || value === null ? 'missing' : `a ${typeof value}`;
  return new UserError(`${what}[${i}] (row ${i + 1}) is ${shown}, not ${expected}`, hint);
}

/**
 * Checks a scored set and computes what every resample reuses (per-row errors, score orders).
 * `positive`: the index of the positive class of a two-class task (its precision, recall, f1 and
 * roc_auc); default the Scored's own (positiveClassIndex of its `positiveClass`, as metrics.ts).
 * Throws a UserError on no rows, a class index out of range, or a value or score that is not finite.
 */
export function prepareScored(scored: Scored, positive?: number): PreparedScored {
  const n = scored.yTrue.length;
  if (n === 0) throw new UserError('there are no rows to resample', 'Evaluate on at least one row.');
  if (scored.yPred.length !== n) throw new UserError(`yTrue has ${n} rows but yPred has ${scored.yPred.length}`);
  if (scored.task === 'regression') {
    const y = new Float64Array(n);
    const absError = new Float64Array(n);
    const sqError = new Float64Array(n);
    const ape = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = scored.yTrue[i];
      const p = scored.yPred[i];
      if (typeof t !== 'number' || !Number.isFinite(t)) throw badRow('yTrue', i, t, 'a finite number');
      if (typeof p !== 'number' || !Number.isFinite(p)) throw badRow('yPred', i, p, 'a finite number');
      const e = t - p;
      y[i] = t;
      absError[i] = Math.abs(e);
      sqError[i] = e * e;
      ape[i] = Math.abs(e) / Math.max(Math.abs(t), MAPE_EPS);
      sum += t;
    }
    // The value of y nearest the mean: every resample's mean is near it, and a constant y gives deviations of exactly 0.
    const mean = sum / n;
    let center = y[0]!;
    for (let i = 1; i < n; i++) if (Math.abs(y[i]! - mean) < Math.abs(center - mean)) center = y[i]!;
    const deviation = y.map((v) => v - center);
    const deviationSquared = deviation.map((d) => d * d);
    return {
      task: 'regression',
      n,
      names: [...REGRESSION_NAMES],
      y,
      absError,
      sqError,
      ape,
      deviation,
      deviationSquared,
      stats: REGRESSION_STATS,
    };
  }

  const k = scored.classes.length;
  if (k === 0) throw new UserError('classes is empty: a classifier needs at least one class');
  let positiveIndex = -1;
  if (k === 2) {
    positiveIndex = positive ?? positiveClassIndex(scored.classes, scored.positiveClass)!;
    if (!(Number.isInteger(positiveIndex) && positiveIndex >= 0 && positiveIndex < 2)) {
      throw new UserError(`the positive class index is ${String(positive)}, not 0 or 1 (there are 2 classes)`);
    }
  }
  const cell = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = scored.yTrue[i];
    const p = scored.yPred[i];
    const expected = `a class index from 0 to ${k - 1}`;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= k) throw badRow('yTrue', i, t, expected);
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p >= k) throw badRow('yPred', i, p, expected);
    cell[i] = t * k + p;
  }
  const names: string[] = [...CLASSIFICATION_NAMES];
  if (k === 2) names.push(...BINARY_NAMES);
  const scores = scored.scores;
  let nll: Float64Array | null = null;
  const auc: AucClass[] = [];
  if (scores.length > 0) {
    if (scores.length !== n) throw new UserError(`scores has ${scores.length} rows but yTrue has ${n}`);
    for (let i = 0; i < n; i++) {
      const row = scores[i];
      if (!row || row.length !== k) {
        throw new UserError(
          `scores[${i}] (row ${i + 1}) has ${row ? `${row.length} probabilities` : 'none'} but there are ${k} classes`,
          'Give one probability per class, in the order of the classes.',
        );
      }
      for (let c = 0; c < k; c++) {
        const v = row[c];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new UserError(
            `scores[${i}] (row ${i + 1}) has ${typeof v === 'number' ? String(v) : 'a missing value'} for class ${c}, not a finite number`,
            'Remove or fix the rows with NaN, Infinity or missing scores.',
          );
        }
      }
    }
    names.push('roc_auc');
    if (k === 2) auc.push(aucClass(scored, positiveIndex));
    else if (k > 2) for (let c = 0; c < k; c++) auc.push(aucClass(scored, c));
    // Ranking scores (probabilities: false) have no log loss.
    if (scored.probabilities !== false) {
      names.push('log_loss');
      nll = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const p = Math.min(Math.max(scores[i]![scored.yTrue[i]!]!, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
        nll[i] = -Math.log(p);
      }
    }
  }
  return {
    task: 'classification',
    n,
    k,
    names,
    cell,
    nll,
    auc,
    hasAuc: scores.length > 0,
    positive: positiveIndex,
    stats: k * k + 1 + 3 * auc.length,
  };
}

/**
 * The rows in increasing order of `values` (finite numbers), rows with first[row] = 1 before the
 * others among equal values, and then by row: an LSD radix sort on the values' bits, 16 at a time
 * (stable, exact, and many times faster than a sort calling a comparison).
 */
function sortedRows(values: Float64Array, first: Uint8Array): Int32Array {
  const n = values.length;
  // Each value as two 32-bit words whose unsigned order is the order of the numbers.
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < n; i++) {
    view.setFloat64(0, values[i]! + 0); // + 0: −0 as 0
    const h = view.getUint32(0);
    const l = view.getUint32(4);
    const negative = h >>> 31 === 1;
    high[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    low[i] = negative ? ~l >>> 0 : l;
  }
  // The order of the last key first: the first rows, then the others.
  let from = new Int32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) if (first[i] === 1) from[at++] = i;
  for (let i = 0; i < n; i++) if (first[i] !== 1) from[at++] = i;
  let to = new Int32Array(n);
  const count = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? low : high;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let j = 0; j < n; j++) count[((key[from[j]!]! >>> shift) & 0xffff) + 1]!++;
    if (count[((key[from[0]!]! >>> shift) & 0xffff) + 1] === n) continue; // one digit for all: nothing moves
    for (let d = 1; d <= 65536; d++) count[d]! += count[d - 1]!;
    for (let j = 0; j < n; j++) {
      const row = from[j]!;
      to[count[(key[row]! >>> shift) & 0xffff]!++] = row;
    }
    [from, to] = [to, from];
  }
  return from;
}

function aucClass(scored: Extract<Scored, { task: 'classification' }>, c: number): AucClass {
  const n = scored.yTrue.length;
  const values = new Float64Array(n);
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = scored.scores[i]![c]!;
    positive[i] = scored.yTrue[i] === c ? 1 : 0;
  }
  const isPositive = (row: number): boolean => positive[row] === 1;
  // By score; within a run of equal scores, the class's rows first.
  const order = sortedRows(values, positive);
  const ends: number[] = [];
  const kinds: number[] = [];
  const cut = (end: number, kind: number): void => {
    ends.push(end);
    kinds.push(kind);
  };
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    let split = start; // the run's first negative
    while (split < end && isPositive(order[split]!)) split++;
    if (split > start && split < end) {
      // A tie of both kinds: its positives, then its negatives, in pieces of their own.
      for (let at = start; at < split; at += PIECE) cut(Math.min(split, at + PIECE), TIE_POSITIVE | (at === start ? TIE_FIRST : 0));
      for (let at = split; at < end; at += PIECE) cut(Math.min(end, at + PIECE), TIE_NEGATIVE);
    } else {
      // One kind: the run joins the piece before when that is of the same kind and not full.
      const kind = split > start ? POSITIVE : NEGATIVE;
      for (let at = start; at < end;) {
        const last = ends.length - 1;
        const previousStart = last > 0 ? ends[last - 1]! : 0;
        if (last >= 0 && kinds[last] === kind && ends[last] === at && at - previousStart < PIECE) {
          const grown = Math.min(end, previousStart + PIECE);
          ends[last] = grown;
          at = grown;
        } else {
          const piece = Math.min(end, at + PIECE);
          cut(piece, kind);
          at = piece;
        }
      }
    }
    start = end;
  }
  return { rows: order, ends: Int32Array.from(ends), kinds: Uint8Array.from(kinds) };
}

// ---------------------------------------------------------------------------------------------
// Weighted metrics: sums over the rows, then the metrics from the sums

/** Copies of the confusion matrix summed into in turn, so that rows of one cell do not wait on each other. */
const CONFUSION_COPIES = 8;

/** Scratch room accumulate needs for `prepared`. */
function scratchFor(prepared: PreparedScored): Float64Array {
  return new Float64Array(prepared.task === 'classification' ? CONFUSION_COPIES * prepared.k * prepared.k : 0);
}

/** The sums every metric follows from, into `stats` (prepared.stats numbers), with row i counted weights[i] times. */
function accumulate(prepared: PreparedScored, weights: Int32Array, stats: Float64Array, scratch: Float64Array): void {
  const n = prepared.n;
  if (prepared.task === 'regression') {
    const { absError, sqError, ape, deviation, deviationSquared } = prepared;
    let total = 0;
    let absSum = 0;
    let sqSum = 0;
    let apeSum = 0;
    let deviationSum = 0;
    let spread = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      total += w;
      absSum += w * absError[i]!;
      sqSum += w * sqError[i]!;
      apeSum += w * ape[i]!;
      deviationSum += w * deviation[i]!;
      spread += w * deviationSquared[i]!;
    }
    stats[0] = total;
    stats[1] = absSum;
    stats[2] = sqSum;
    stats[3] = apeSum;
    stats[4] = deviationSum;
    stats[5] = spread;
    return;
  }
  const { cell, nll, auc, k } = prepared;
  const kk = k * k;
  scratch.fill(0);
  let lossSum = 0;
  if (nll) {
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      scratch[(i & (CONFUSION_COPIES - 1)) * kk + cell[i]!]! += w;
      lossSum += w * nll[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) scratch[(i & (CONFUSION_COPIES - 1)) * kk + cell[i]!]! += weights[i]!;
  }
  for (let cellIndex = 0; cellIndex < kk; cellIndex++) {
    let count = 0;
    for (let copy = 0; copy < CONFUSION_COPIES; copy++) count += scratch[copy * kk + cellIndex]!;
    stats[cellIndex] = count;
  }
  stats[kk] = lossSum;
  for (let c = 0; c < auc.length; c++) aucSums(auc[c]!, weights, stats, kk + 1 + 3 * c);
}

/**
 * The weighted Mann-Whitney statistic of one class into stats[at…at+2]: U (each positive beats
 * the negatives scoring below it, and ties with the negatives of equal score: ½ each), the
 * positives, the negatives. Piece by piece (see AucClass): a positive piece adds its weight times
 * the negatives below; a negative piece adds to the negatives below; a tie's negatives add ½ of
 * their weight times the tie's positives (whose own pieces came first).
 */
function aucSums(auc: AucClass, weights: Int32Array, stats: Float64Array, at: number): void {
  const { rows, ends, kinds } = auc;
  let u = 0;
  let below = 0; // the negatives so far
  let positives = 0;
  let tie = 0; // the positives of the current tie
  for (let piece = 0, j = 0; piece < ends.length; piece++) {
    const end = ends[piece]!;
    let sum = 0;
    for (; j < end; j++) sum += weights[rows[j]!]!;
    const kind = kinds[piece]!;
    if ((kind & POSITIVE) !== 0) {
      u += sum * below;
      positives += sum;
      if (kind !== POSITIVE) tie = (kind & TIE_FIRST) !== 0 ? sum : tie + sum;
    } else {
      if (kind === TIE_NEGATIVE) u += (tie * sum) / 2;
      below += sum;
    }
  }
  stats[at] = u;
  stats[at + 1] = positives;
  stats[at + 2] = below;
}

/**
 * Scratch room accumulateLanes needs for `prepared`: the confusion matrices of the lanes, in two
 * copies summed into by turns (the rows of one cell then wait less on each other).
 */
function laneScratchFor(prepared: PreparedScored): Int32Array {
  return new Int32Array(prepared.task === 'classification' ? 2 * prepared.k * prepared.k * LANES : 0);
}

/** Rows of a regression summed per lane in turn, while they stay in the fastest cache. */
const REGRESSION_BLOCK = 1024;

/**
 * accumulate for the LANES resamples of a batch (see Resampler), each of n rows: lane g's sums
 * into stats[g · prepared.stats …]. Every row's data is read once for the batch, and each lane's
 * sums are taken in the order accumulate takes them, so they are the same numbers.
 */
function accumulateLanes(prepared: PreparedScored, words: Uint32Array, stats: Float64Array, scratch: Int32Array): void {
  const n = prepared.n;
  const size = prepared.stats;
  if (prepared.task === 'regression') {
    const { absError, sqError, ape, deviation, deviationSquared } = prepared;
    for (let g = 0; g < LANES; g++) {
      stats[g * size] = n; // every resample has n rows
      for (let s = 1; s < REGRESSION_STATS; s++) stats[g * size + s] = 0;
    }
    for (let start = 0; start < n; start += REGRESSION_BLOCK) {
      const end = Math.min(n, start + REGRESSION_BLOCK);
      for (let g = 0, at = 0; g < LANES; g++, at += size) {
        const shift = 8 * g;
        let absSum = stats[at + 1]!;
        let sqSum = stats[at + 2]!;
        let apeSum = stats[at + 3]!;
        let deviationSum = stats[at + 4]!;
        let spread = stats[at + 5]!;
        for (let i = start; i < end; i++) {
          const w = (words[i]! >>> shift) & 255;
          absSum += w * absError[i]!;
          sqSum += w * sqError[i]!;
          apeSum += w * ape[i]!;
          deviationSum += w * deviation[i]!;
          spread += w * deviationSquared[i]!;
        }
        stats[at + 1] = absSum;
        stats[at + 2] = sqSum;
        stats[at + 3] = apeSum;
        stats[at + 4] = deviationSum;
        stats[at + 5] = spread;
      }
    }
    return;
  }
  const { cell, nll, auc, k } = prepared;
  const kk = k * k;
  const half = kk * LANES;
  scratch.fill(0);
  let loss0 = 0;
  let loss1 = 0;
  let loss2 = 0;
  let loss3 = 0;
  // The confusion matrices, [copy][cell][lane], and the log loss sums.
  for (let i = 0; i < n; i++) {
    const c = words[i]!;
    const w0 = c & 255;
    const w1 = (c >>> 8) & 255;
    const w2 = (c >>> 16) & 255;
    const w3 = c >>> 24;
    const at = (i & 1) * half + cell[i]! * LANES;
    scratch[at]! += w0;
    scratch[at + 1]! += w1;
    scratch[at + 2]! += w2;
    scratch[at + 3]! += w3;
    if (nll) {
      const v = nll[i]!;
      loss0 += w0 * v;
      loss1 += w1 * v;
      loss2 += w2 * v;
      loss3 += w3 * v;
    }
  }
  for (let g = 0; g < LANES; g++) {
    for (let cellIndex = 0; cellIndex < kk; cellIndex++) {
      stats[g * size + cellIndex] = scratch[cellIndex * LANES + g]! + scratch[half + cellIndex * LANES + g]!;
    }
  }
  stats[kk] = loss0;
  stats[size + kk] = loss1;
  stats[2 * size + kk] = loss2;
  stats[3 * size + kk] = loss3;
  for (let c = 0; c < auc.length; c++) aucLanes(auc[c]!, words, stats, kk + 1 + 3 * c, size);
}

/**
 * aucSums for the LANES resamples of a batch: lane g's U, positives and negatives into
 * stats[g · size + at …]. A piece's counts are summed for the 4 lanes at once, two lanes in each
 * 16-bit half of two words (a piece is short enough not to carry over); the piece then updates
 * each lane as aucSums does. Counts are whole numbers, so U is exact and equal to aucSums's.
 */
function aucLanes(auc: AucClass, words: Uint32Array, stats: Float64Array, at: number, size: number): void {
  const { rows, ends, kinds } = auc;
  const n = rows.length;
  let u0 = 0;
  let u1 = 0;
  let u2 = 0;
  let u3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (let piece = 0, j = 0; piece < ends.length; piece++) {
    const end = ends[piece]!;
    let even = 0; // lanes 0 and 2
    let odd = 0; // lanes 1 and 3
    for (; j < end; j++) {
      const c = words[rows[j]!]!;
      even += c & 0xff00ff;
      odd += (c >>> 8) & 0xff00ff;
    }
    const s0 = even & 0xffff;
    const s1 = odd & 0xffff;
    const s2 = even >>> 16;
    const s3 = odd >>> 16;
    const kind = kinds[piece]!;
    if (kind === NEGATIVE) {
      b0 += s0;
      b1 += s1;
      b2 += s2;
      b3 += s3;
    } else if (kind === POSITIVE) {
      u0 += s0 * b0;
      u1 += s1 * b1;
      u2 += s2 * b2;
      u3 += s3 * b3;
    } else if (kind === TIE_NEGATIVE) {
      u0 += (t0 * s0) / 2;
      u1 += (t1 * s1) / 2;
      u2 += (t2 * s2) / 2;
      u3 += (t3 * s3) / 2;
      b0 += s0;
      b1 += s1;
      b2 += s2;
      b3 += s3;
    } else {
      u0 += s0 * b0;
      u1 += s1 * b1;
      u2 += s2 * b2;
      u3 += s3 * b3;
      const first = (kind & TIE_FIRST) !== 0;
      t0 = first ? s0 : t0 + s0;
      t1 = first ? s1 : t1 + s1;
      t2 = first ? s2 : t2 + s2;
      t3 = first ? s3 : t3 + s3;
    }
  }
  stats[at] = u0;
  stats[at + 1] = n - b0;
  stats[at + 2] = b0;
  stats[size + at] = u1;
  stats[size + at + 1] = n - b1;
  stats[size + at + 2] = b1;
  stats[2 * size + at] = u2;
  stats[2 * size + at + 1] = n - b2;
  stats[2 * size + at + 2] = b2;
  stats[3 * size + at] = u3;
  stats[3 * size + at + 1] = n - b3;
  stats[3 * size + at + 2] = b3;
}

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);

/**
 * The metrics from their sums at stats[o …], into `out` in `prepared.names` order (NaN where
 * undefined), as metrics.ts computes them. `weightOf(i)`: row i's weight, for the rare exact
 * recomputation of a regression's spread.
 */
function finish(prepared: PreparedScored, stats: Float64Array, o: number, out: Float64Array, weightOf: (i: number) => number): void {
  if (prepared.task === 'regression') {
    const total = stats[o]!;
    const sqSum = stats[o + 2]!;
    const mse = sqSum / total;
    let r2 = NaN;
    if (total >= 2) {
      // Σw(y − c)² − (Σw(y − c))² / W; when it nearly cancels (y about constant), exactly, in two passes.
      const spread = stats[o + 5]!;
      let ssTot = spread - (stats[o + 4]! * stats[o + 4]!) / total;
      if (!(ssTot > 1e-9 * spread)) ssTot = exactSpread(prepared, weightOf, total);
      r2 = ssTot === 0 ? (sqSum === 0 ? 1 : 0) : 1 - sqSum / ssTot;
    }
    out[0] = stats[o + 1]! / total;
    out[1] = mse;
    out[2] = Math.sqrt(mse);
    out[3] = r2;
    out[4] = stats[o + 3]! / total;
    return;
  }
  const { k, positive, nll } = prepared;
  let total = 0;
  let correct = 0;
  let presentCount = 0;
  let inTrueCount = 0;
  let pMacro = 0;
  let rMacro = 0;
  let fMacro = 0;
  let balanced = 0;
  let pWeighted = 0;
  let rWeighted = 0;
  let fWeighted = 0;
  let tpPositive = 0;
  let supportPositive = 0;
  let predictedPositive = 0;
  for (let c = 0; c < k; c++) {
    let support = 0;
    let predicted = 0;
    for (let p = 0; p < k; p++) support += stats[o + c * k + p]!;
    for (let t = 0; t < k; t++) predicted += stats[o + t * k + c]!;
    const tp = stats[o + c * k + c]!;
    total += support;
    correct += tp;
    // Per class as metrics.ts: precision, recall, F1; macro over the classes present; weighted by support.
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * tp, support + predicted);
    if (support > 0 || predicted > 0) {
      presentCount++;
      pMacro += precision;
      rMacro += recall;
      fMacro += f1;
    }
    if (support > 0) {
      inTrueCount++;
      balanced += recall;
    }
    pWeighted += precision * support;
    rWeighted += recall * support;
    fWeighted += f1 * support;
    if (c === positive) {
      tpPositive = tp;
      supportPositive = support;
      predictedPositive = predicted;
    }
  }
  let j = 0;
  out[j++] = correct / total;
  out[j++] = balanced / inTrueCount;
  out[j++] = pMacro / presentCount;
  out[j++] = rMacro / presentCount;
  out[j++] = fMacro / presentCount;
  out[j++] = pWeighted / total;
  out[j++] = rWeighted / total;
  out[j++] = fWeighted / total;
  if (k === 2) {
    out[j++] = ratio(tpPositive, predictedPositive);
    out[j++] = ratio(tpPositive, supportPositive);
    out[j++] = ratio(2 * tpPositive, supportPositive + predictedPositive);
  }
  if (prepared.hasAuc) {
    // One-vs-rest macro AUC over the classes with both positives and negatives; NaN when none has.
    let sum = 0;
    let defined = 0;
    for (let c = 0, at = o + k * k + 1; c < prepared.auc.length; c++, at += 3) {
      const positives = stats[at + 1]!;
      const negatives = stats[at + 2]!;
      if (positives > 0 && negatives > 0) {
        sum += stats[at]! / (positives * negatives);
        defined++;
      }
    }
    out[j++] = defined === 0 ? NaN : sum / defined;
  }
  if (nll) out[j++] = stats[o + k * k]! / total;
}

/** Σw(y − ȳ)² in two passes, 0 when every row drawn has the same y (metrics.ts's constant truth). */
function exactSpread(prepared: PreparedRegression, weightOf: (i: number) => number, total: number): number {
  const { n, y } = prepared;
  let first = NaN;
  let constant = true;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = weightOf(i);
    if (w === 0) continue;
    if (Number.isNaN(first)) first = y[i]!;
    else if (y[i] !== first) constant = false;
    sum += w * y[i]!;
  }
  if (constant) return 0;
  const mean = sum / total;
  let spread = 0;
  for (let i = 0; i < n; i++) spread += weightOf(i) * (y[i]! - mean) ** 2;
  return spread;
}

/**
 * The scalar metrics of `prepared` with row i counted weights[i] times (whole numbers >= 0):
 * what classificationMetrics / regressionMetrics give on the rows written out that many times,
 * plus `count` (the sum of the weights). Null where a metric is undefined.
 */
export function weightedMetrics(prepared: PreparedScored, weights: ArrayLike<number>): Record<string, number | null> {
  if (weights.length !== prepared.n) throw new UserError(`${weights.length} weights for ${prepared.n} rows`);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(Number.isInteger(w) && w >= 0 && w < 2 ** 31)) throw new UserError(`weights[${i}] is ${String(w)}, not a whole number >= 0`);
    total += w;
  }
  if (total === 0) throw new UserError('every weight is 0: there are no rows to compute metrics on');
  const out = new Float64Array(prepared.names.length);
  const counts = Int32Array.from(weights);
  const stats = new Float64Array(prepared.stats);
  accumulate(prepared, counts, stats, scratchFor(prepared));
  finish(prepared, stats, 0, out, (i) => counts[i]!);
  const metrics: Record<string, number | null> = { count: total };
  prepared.names.forEach((name, j) => (metrics[name] = Number.isNaN(out[j]!) ? null : out[j]!));
  return metrics;
}

// ---------------------------------------------------------------------------------------------
// Intervals

/** The q-quantile of sorted values, linear between order statistics (numpy.percentile's default). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a === b ? a : a + (h - lo) * (b - a);
}

function intervalOf(values: Float64Array, estimate: number | null, confidence: number): MetricInterval {
  let count = 0;
  for (let r = 0; r < values.length; r++) if (!Number.isNaN(values[r])) count++;
  const usable = new Float64Array(count);
  for (let r = 0, j = 0; r < values.length; r++) if (!Number.isNaN(values[r])) usable[j++] = values[r]!;
  usable.sort();
  const skipped = values.length - usable.length;
  const unreliable = usable.length < MIN_USABLE_SHARE * values.length;
  if (usable.length === 0) return { estimate, lower: null, upper: null, skipped, unreliable };
  const alpha = 1 - confidence;
  return { estimate, lower: quantile(usable, alpha / 2), upper: quantile(usable, 1 - alpha / 2), skipped, unreliable };
}

function checkSettings(settings: BootstrapSettings): void {
  const { resamples, confidence, seed } = settings;
  if (!Number.isInteger(resamples) || resamples < 1 || resamples > MAX_RESAMPLES) {
    throw new UserError(
      `the bootstrap's resamples is ${String(resamples)}, not a whole number from 1 to ${MAX_RESAMPLES}`,
      'Use 1000 or more for intervals worth reading (0 turns the bootstrap off).',
    );
  }
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new UserError(`the bootstrap's confidence is ${String(confidence)}, not a level between 0 and 1`, 'Use 0.95 for 95% intervals.');
  }
  if (!Number.isSafeInteger(seed)) throw new UserError(`the bootstrap's seed is ${String(seed)}, not a whole number`);
}

/** Why `baseline` cannot be paired with `candidate` row by row; null when it can. */
export function pairingProblem(candidate: Scored, baseline: Scored): string | null {
  if (candidate.task !== baseline.task) return `the baseline was scored as ${baseline.task} and the candidate as ${candidate.task}`;
  const n = candidate.rows.length;
  if (baseline.rows.length !== n) {
    return `the baseline was scored on ${baseline.rows.length} rows and the candidate on ${n} (rows without a usable target differ)`;
  }
  let differentRows = 0;
  let differentTruth = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    if (candidate.rows[i] !== baseline.rows[i]) {
      differentRows++;
      if (first < 0) first = i;
      continue;
    }
    const same =
      candidate.task === 'classification' && baseline.task === 'classification'
        ? candidate.classes[candidate.yTrue[i]!] === baseline.classes[baseline.yTrue[i]!]
        : candidate.yTrue[i] === baseline.yTrue[i];
    if (!same) {
      differentTruth++;
      if (first < 0) first = i;
    }
  }
  if (differentRows > 0)
    return `the baseline was scored on other rows than the candidate (${differentRows} of ${n} differ, the first at scored row ${first + 1})`;
  if (differentTruth > 0)
    return `the baseline's truth differs from the candidate's on ${differentTruth} of ${n} rows (the first at scored row ${first + 1})`;
  return null;
}

export interface BootstrapOptions extends Partial<BootstrapSettings> {
  /**
   * Index of the positive class of a two-class candidate (its precision, recall, f1 and roc_auc);
   * default the Scored's own, as metrics.ts takes it. The baseline's is the class of the same label.
   */
  positive?: number;
}

/** The baseline's index of the candidate's positive class (by label); undefined: the baseline's own choice. */
function samePositive(mine: PreparedScored, candidate: Scored, baseline: Scored): number | undefined {
  if (mine.task !== 'classification' || candidate.task !== 'classification' || baseline.task !== 'classification') return undefined;
  if (mine.k !== 2 || baseline.classes.length !== 2) return undefined;
  const index = baseline.classes.indexOf(candidate.classes[mine.positive]!);
  return index < 0 ? undefined : index;
}

let warmedUp = false;

/**
 * Runs every loop of this module once on a few rows, once per process. The engine optimizes a
 * long loop while it runs (on-stack replacement); when the code after the loop has not run yet,
 * that optimized code lacks type feedback for it and is thrown away at every return, so each
 * resample would run unoptimized (several times slower). Having run everything once first avoids it.
 */
function warmUp(): void {
  if (warmedUp) return;
  warmedUp = true;
  const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const yTrue = [0, 1, 2, 1, 0, 2, 1, 0, 1];
  const yPred = [0, 1, 1, 1, 2, 2, 0, 0, 1];
  const three = rows.map((i) => [0.2 + (i % 3) / 10, 0.3, 0.5 - (i % 3) / 10]);
  const multi: Scored = { task: 'classification', classes: ['a', 'b', 'c'], rows, yTrue, yPred, scores: three };
  const binary: Scored = {
    task: 'classification',
    classes: ['a', 'b'],
    rows,
    yTrue: yTrue.map((y) => y % 2),
    yPred: yPred.map((y) => y % 2),
    scores: three.map((s) => [s[0]!, 1 - s[0]!]),
  };
  const regression: Scored = { task: 'regression', rows, yTrue: yTrue.map((y) => y * 1.5), yPred: yPred.map((y) => y + 0.25) };
  for (const scored of [multi, binary, regression]) bootstrapMetrics(scored, scored, { resamples: 3, seed: 1 });
}

/**
 * What the resamples of one bootstrap need: the prepared sets and which metrics pair up. Plain
 * data, so that it can be sent to another thread (see bootstrap-threads.ts).
 */
export interface ResamplePlan {
  mine: PreparedScored;
  theirs: PreparedScored | null;
  resamples: number;
  seed: number;
  /** Each paired metric's index among mine.names, and among theirs.names. */
  myIndex: number[];
  theirIndex: number[];
}

/**
 * Every resample's values: metric j of the candidate in resample r at mine[j · resamples + r],
 * and paired change j at diff[j · resamples + r] (NaN where undefined).
 */
export interface ResampleValues {
  mine: Float64Array;
  diff: Float64Array;
}

/** How many batches of LANES resamples `resamples` takes (see Resampler.fill). */
export const batchCount = (resamples: number): number => Math.ceil(resamples / LANES);

/**
 * Draws and sums the batches `claim()` hands out until it gives -1, writing their resamples'
 * values into `values`; calls `done()` after each. A batch's values depend on its number only,
 * so batches may be shared out between threads in any way: the values are the same.
 */
export function resampleBatches(plan: ResamplePlan, values: ResampleValues, claim: () => number, done?: () => void): void {
  warmUp();
  const { mine, theirs, resamples, myIndex, theirIndex } = plan;
  const n = mine.n;
  const rng = new Resampler(plan.seed);
  const words = new Uint32Array(n);
  const myStats = new Float64Array(LANES * mine.stats);
  const myScratch = laneScratchFor(mine);
  const theirStats = new Float64Array(theirs ? LANES * theirs.stats : 0);
  const theirScratch = theirs ? laneScratchFor(theirs) : myScratch;
  const myOut = new Float64Array(mine.names.length);
  const theirOut = new Float64Array(theirs ? theirs.names.length : 0);
  for (let batch = claim(); batch >= 0; batch = claim()) {
    const first = batch * LANES;
    rng.fill(batch, words);
    accumulateLanes(mine, words, myStats, myScratch);
    if (theirs) accumulateLanes(theirs, words, theirStats, theirScratch);
    for (let g = 0; g < LANES && first + g < resamples; g++) {
      const r = first + g;
      const weightOf = (i: number): number => laneCount(words, i, g);
      finish(mine, myStats, g * mine.stats, myOut, weightOf);
      for (let j = 0; j < myOut.length; j++) values.mine[j * resamples + r] = myOut[j]!;
      if (theirs) {
        finish(theirs, theirStats, g * theirs.stats, theirOut, weightOf);
        for (let j = 0; j < myIndex.length; j++) values.diff[j * resamples + r] = myOut[myIndex[j]!]! - theirOut[theirIndex[j]!]!;
      }
    }
    done?.();
  }
}

/** A bootstrap ready to resample: its plan, room for the values, and what turns them into the result. */
export interface BootstrapRun {
  plan: ResamplePlan;
  values: ResampleValues;
  /** The result, once every batch's values are in. */
  result(): BootstrapResult;
}

/**
 * Checks the settings, prepares both sets and takes the point estimates; the resamples are left
 * to resampleBatches. `room(length)` makes the value arrays (shared memory for other threads).
 */
export function startBootstrap(
  candidate: Scored,
  baseline: Scored | string | null,
  options: BootstrapOptions = {},
  room: (length: number) => Float64Array = (length) => new Float64Array(length),
): BootstrapRun {
  warmUp();
  const settings: BootstrapSettings = {
    resamples: options.resamples ?? DEFAULT_BOOTSTRAP.resamples,
    confidence: options.confidence ?? DEFAULT_BOOTSTRAP.confidence,
    seed: options.seed ?? DEFAULT_BOOTSTRAP.seed,
  };
  checkSettings(settings);
  const mine = prepareScored(candidate, options.positive);
  const { resamples, confidence, seed } = settings;
  const n = mine.n;

  const unavailable = typeof baseline === 'string' ? baseline : baseline === null ? null : pairingProblem(candidate, baseline);
  const theirs =
    baseline !== null && typeof baseline !== 'string' && unavailable === null
      ? prepareScored(baseline, samePositive(mine, candidate, baseline))
      : null;
  // Metrics both models have, in the candidate's order.
  const pairedNames = theirs ? mine.names.filter((name) => theirs.names.includes(name)) : [];
  const theirIndex = theirs ? pairedNames.map((name) => theirs.names.indexOf(name)) : [];
  const myIndex = pairedNames.map((name) => mine.names.indexOf(name));

  // The point estimates: every row once.
  const ones = new Int32Array(n).fill(1);
  const one = (): number => 1;
  const myEstimate = new Float64Array(mine.names.length);
  const estimateStats = new Float64Array(Math.max(mine.stats, theirs ? theirs.stats : 0));
  accumulate(mine, ones, estimateStats, scratchFor(mine));
  finish(mine, estimateStats, 0, myEstimate, one);
  const theirEstimate = new Float64Array(theirs ? theirs.names.length : 0);
  if (theirs) {
    accumulate(theirs, ones, estimateStats, scratchFor(theirs));
    finish(theirs, estimateStats, 0, theirEstimate, one);
  }

  const plan: ResamplePlan = { mine, theirs, resamples, seed, myIndex, theirIndex };
  const values: ResampleValues = { mine: room(mine.names.length * resamples), diff: room(pairedNames.length * resamples) };
  const result = (): BootstrapResult => {
    const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
    const valuesOf = (all: Float64Array, j: number): Float64Array => all.subarray(j * resamples, (j + 1) * resamples);
    const metrics: Record<string, MetricInterval> = {};
    mine.names.forEach((name, j) => (metrics[name] = intervalOf(valuesOf(values.mine, j), orNull(myEstimate[j]!), confidence)));
    let paired: PairedDifferences | null = null;
    if (baseline !== null) {
      const differences: Record<string, DifferenceInterval> = {};
      pairedNames.forEach((name, j) => {
        const estimate = orNull(myEstimate[myIndex[j]!]! - theirEstimate[theirIndex[j]!]!);
        const interval = intervalOf(valuesOf(values.diff, j), estimate, confidence);
        const significant = interval.lower !== null && interval.upper !== null && (interval.lower > 0 || interval.upper < 0);
        differences[name] = { ...interval, significant };
      });
      paired = { confidence, unavailable, differences };
    }
    return {
      method: 'percentile',
      resamples,
      confidence,
      seed,
      rows: n,
      positive: mine.task === 'classification' && mine.k === 2 ? mine.positive : null,
      metrics,
      paired,
    };
  };
  return { plan, values, result };
}

/**
 * Percentile intervals for every scalar metric of `candidate` (count left out) and, with a
 * `baseline` scored on the same rows, paired intervals of candidate − baseline (see the module
 * comment). `baseline` may instead be a reason why there is none to pair with (a metrics file).
 * On this thread; bootstrap-threads.ts shares the batches out between threads, with the same result.
 */
export function bootstrapMetrics(candidate: Scored, baseline: Scored | string | null, options: BootstrapOptions = {}): BootstrapResult {
  return resampleHere(startBootstrap(candidate, baseline, options));
}

/** Draws every batch of `run` on this thread, in order; its result. */
export function resampleHere(run: BootstrapRun): BootstrapResult {
  const batches = batchCount(run.plan.resamples);
  let next = 0;
  resampleBatches(run.plan, run.values, () => (next < batches ? next++ : -1));
  return run.result();
}
