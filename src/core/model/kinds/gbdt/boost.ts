/**
 * Histogram gradient boosting for the gbdt kind: our own implementation, after
 * scikit-learn's HistGradientBoostingClassifier/Regressor (and LightGBM).
 *
 * Conventions:
 * - The trees see the encoded layout of the shared preprocessing (pre.width columns, in
 *   `encodeFeatures` order), except that numeric columns hold their raw values (float32,
 *   NaN for missing: the trees route missing values themselves) instead of the
 *   standardized, mean-filled ones. Text columns are its one-hot blocks (unknown slot
 *   included), each a 0/1 column. The exported graph builds the same layout (export.ts).
 * - Losses, as scikit-learn's: squared error for regression (on the standardized target;
 *   hessian 1), log loss for two classes (one tree per iteration on the log-odds of the
 *   second class), softmax log loss for more (one tree per class per iteration, all from
 *   the gradients at the start of the iteration; hessian p (1 - p)). The initial
 *   prediction is the mean, the prior log-odds, or the log class priors.
 * - Trees grow best-first (the leaf whose best split gains most is split next) up to
 *   max_leaf_nodes leaves and max_depth; a split needs min_samples_leaf rows and a
 *   hessian sum of 1e-3 on each side and a positive gain
 *   G_L^2 / (H_L + l2) + G_R^2 / (H_R + l2) - G^2 / (H + l2); a leaf's value is
 *   -learning_rate * G / (H + l2), as scikit-learn's.
 * - Missing values: each split tries them on both sides and keeps the better (scikit-
 *   learn's two scans, including "all values left, missing right"); where a node has no
 *   missing value they go to the side with more training rows.
 * - Native categorical columns (bins.ts, columns.ts) split by a set of categories going
 *   left, found as scikit-learn's `_find_best_bin_to_split_category` does (after
 *   LightGBM, and Fisher's "On Grouping for Maximum Homogeneity"): the categories with a
 *   hessian sum of at least MIN_CAT_SUPPORT (10, scaled by rows / hessian sum) are sorted
 *   by G / (H + MIN_CAT_SUPPORT) (the smoothed ratio) and scanned from both ends up to the
 *   middle; the categories below the support, and those absent from the node, go right.
 *   Missing values (the missing slot: missing, never seen, and beyond max_bins) are a
 *   category of their own; where a node has none they go to the side with more training
 *   rows, as for numbers. Ties of the ratio go to the lower bin (scikit-learn's qsort
 *   leaves them in no set order).
 * - Each split node records its gain (the loss reduction above), for gain importance.
 * - Histograms: (gradient, hessian, count) per bin in one Float64Array per live leaf, from
 *   a pool reused across trees; only the smaller child is counted, the larger is its
 *   parent's minus it (in the parent's buffer). Each row's histogram positions are
 *   computed once (bins.ts `slots`), so counting a row is a run of adds at precomputed
 *   positions. A text column's one-hot block is counted with one update per row (its hot
 *   column's value-1 bin; value-0 bins by subtraction from the node's totals), not one
 *   per column. Rows are partitioned in one index array, by a column-major bin column.
 *   No allocation per row; gradients and predictions are typed arrays. A large node's rows
 *   are counted in two halves summed bin by bin, the second half on a helper thread when
 *   there is one (threads.ts): a rule of the data alone, so one thread and two give the
 *   same trees.
 * - Early stopping, as scikit-learn's rule on the validation loss: stop when none of the
 *   last n_iter_no_change iterations improved on the loss n_iter_no_change + 1 iterations
 *   back by more than tol. Unlike scikit-learn, the model keeps the iterations up to the
 *   best validation loss (scikit-learn keeps them all), and at least one. Without
 *   validation rows every iteration runs.
 * - Deterministic: no sampling; ties between splits go to the first column, then the
 *   lowest bin; ties between leaves to the one made first.
 */
import type { Binned } from './bins.js';

/** One regression tree: node 0 is the root; a leaf has feature -1. */
export interface Tree {
  feature: number[];
  /** The split's bin: rows with bin <= threshold (and not missing) go left. */
  binThreshold: number[];
  /** The split's float32 value: x <= threshold goes left (+Infinity: every value left, missing right). */
  threshold: number[];
  missingLeft: boolean[];
  left: number[];
  right: number[];
  /** The leaf's value (learning rate applied); 0 for a split node. */
  value: number[];
  /**
   * A native categorical split's categories: entry b is 1 when bin b goes left (the entry
   * after the last category is the missing slot, equal to missingLeft); null for other nodes.
   */
  categories: Array<Uint8Array | null>;
  /** The split's gain (G_L^2 / (H_L + l2) + G_R^2 / (H_R + l2) - G^2 / (H + l2)); 0 for a leaf. */
  gain: number[];
}

export type Objective = 'squared_error' | 'log_loss' | 'softmax';

/** A fitted ensemble: `outputs` raw scores per row (1, or one per class for softmax). */
export interface Ensemble {
  objective: Objective;
  outputs: number;
  width: number;
  /** The initial raw score of each output. */
  base: number[];
  /** Iteration-major: trees[iteration * outputs + output]. */
  trees: Tree[];
}

export interface BoostParams {
  learningRate: number;
  maxIter: number;
  maxLeafNodes: number;
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2: number;
  nIterNoChange: number;
  tol: number;
}

export interface BoostData {
  binned: Binned;
  /** Class indices (log_loss, softmax) or targets (squared_error). */
  y: Int32Array | Float32Array;
  classes: number;
  validation: { bins: Uint8Array; y: Int32Array | Float32Array } | null;
}

export interface BoostResult {
  ensemble: Ensemble;
  iterations: number;
  best: number;
  stoppedEarly: boolean;
  /** Threads that counted histograms (1: this one alone), how many fills the helper shared, and how many there were. */
  threads: number;
  sharedFills: number;
  fills: number;
}

/** What helper threads read (shared memory): see threads.ts. */
export interface FillShared {
  slots: Int32Array;
  perRow: number;
  rows: Uint32Array;
  /** Gradients and hessians of every output (grow takes one output's part of each). */
  grad: Float64Array;
  hess: Float64Array;
  /** Every histogram, one after another (histSize numbers each). */
  histograms: Float64Array;
  histSize: number;
}

/** Helper threads for boost: started on shared memory, stopped when the fit ends. */
export interface FillHelperPool extends FillHelpers {
  readonly threads: number;
  readonly sharedFills: number;
  stop(): void;
}

/** Starts helper threads on `shared`, or gives null (no thread script, or one thread asked for). */
export type StartHelpers = (shared: FillShared) => FillHelperPool | null;

/** The most memory set aside up front for histograms that helper threads can fill. */
const MOST_SHARED_HISTOGRAM_BYTES = 256 * 1024 * 1024;

/** A typed array on shared memory (readable by helper threads; as fast to use as any). */
function sharedArray<T>(Type: new (buffer: SharedArrayBuffer) => T, bytesPer: number, length: number): T {
  return new Type(new SharedArrayBuffer(Math.max(1, length) * bytesPer));
}

const MIN_HESSIAN = 1e-3;
/** scikit-learn's (LightGBM's cat_smooth): the least hessian sum of a category sorted for a split, and the ratio's smoothing. */
const MIN_CAT_SUPPORT = 10;

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  gLeft: number;
  hLeft: number;
  cLeft: number;
  /** A categorical split's bins going left (missing slot last); null for a threshold. */
  categories: Uint8Array | null;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  c: number;
  hist: Float64Array | null;
  split: Split | null;
}

/** Fits the ensemble; `onIteration` after each iteration (losses: mean over rows). */
export function boost(
  data: BoostData,
  objective: Objective,
  params: BoostParams,
  onIteration: (iteration: number, loss: number, valLoss: number | null) => void,
  startHelpers: StartHelpers | null = null,
): BoostResult {
  const { binned, y } = data;
  const n = binned.rows;
  const K = objective === 'softmax' ? data.classes : 1;
  const base = initialScores(objective, y, data.classes);
  const raw = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) raw[i * K + k] = base[k]!;
  const val = data.validation && data.validation.y.length > 0 ? data.validation : null;
  const nVal = val ? val.y.length : 0;
  const rawVal = new Float64Array(nVal * K);
  for (let i = 0; i < nVal; i++) for (let k = 0; k < K; k++) rawVal[i * K + k] = base[k]!;
  // Live histograms: at most one per leaf, the one being filled, and the second half's part.
  const histSize = binned.totalSlots * 3;
  const mostHistograms = params.maxLeafNodes + 3;
  const threaded = startHelpers !== null && mostHistograms * histSize * 8 <= MOST_SHARED_HISTOGRAM_BYTES;
  const grad = threaded ? sharedArray(Float64Array, 8, n * K) : new Float64Array(n * K);
  const hess = threaded ? sharedArray(Float64Array, 8, n * K) : new Float64Array(n * K);
  const rows = threaded ? sharedArray(Uint32Array, 4, n) : new Uint32Array(n);
  const scratch = new Uint32Array(n);
  const probs = new Float64Array(K);
  const pool: Float64Array[] = [];
  let histograms: Float64Array | null = null;
  let taken = 0;
  const room: HistogramRoom = {
    take: () => {
      if (!histograms) return new Float64Array(histSize);
      if (taken >= mostHistograms) throw new Error(`gbdt: more than ${mostHistograms} histograms live at once`);
      return histograms.subarray(taken * histSize, ++taken * histSize);
    },
  };
  let helpers: FillHelperPool | null = null;
  if (threaded) {
    histograms = sharedArray(Float64Array, 8, mostHistograms * histSize);
    helpers = startHelpers({ slots: binned.slots, perRow: binned.perRow, rows, grad, hess, histograms, histSize });
    if (!helpers) histograms = null;
  }
  try {
    return boostWith(data, objective, params, onIteration, { raw, rawVal, grad, hess, rows, scratch, probs, pool, room, helpers, base, K });
  } finally {
    helpers?.stop();
  }
}

interface BoostBuffers {
  raw: Float64Array;
  rawVal: Float64Array;
  grad: Float64Array;
  hess: Float64Array;
  rows: Uint32Array;
  scratch: Uint32Array;
  probs: Float64Array;
  pool: Float64Array[];
  room: HistogramRoom;
  helpers: FillHelperPool | null;
  base: number[];
  K: number;
}

function boostWith(
  data: BoostData,
  objective: Objective,
  params: BoostParams,
  onIteration: (iteration: number, loss: number, valLoss: number | null) => void,
  buffers: BoostBuffers,
): BoostResult {
  const { binned, y } = data;
  const n = binned.rows;
  const width = binned.width;
  const { raw, rawVal, grad, hess, rows, scratch, probs, pool, room, helpers, base, K } = buffers;
  const val = data.validation && data.validation.y.length > 0 ? data.validation : null;
  const nVal = val ? val.y.length : 0;
  const grower = new Grower(binned, params, pool, rows, scratch, room, helpers);

  const trees: Tree[] = [];
  const valHistory: number[] = [];
  if (val) valHistory.push(meanLoss(objective, rawVal, val.y, K, probs));
  let best = 0;
  let bestLoss = valHistory[0] ?? Infinity;
  let stoppedEarly = false;
  let iterations = 0;
  // The gradients at the current scores; the same pass gives the training loss there.
  let loss = gradients(objective, raw, y, K, grad, hess, probs);
  for (let it = 1; it <= params.maxIter; it++) {
    for (let k = 0; k < K; k++) {
      const tree = grower.grow(
        grad.subarray(k * n, (k + 1) * n),
        hess.subarray(k * n, (k + 1) * n),
        objective === 'squared_error',
        (start, end, value) => {
          for (let i = start; i < end; i++) {
            const at = rows[i]! * K + k;
            raw[at] = raw[at]! + value;
          }
        },
      );
      trees.push(tree);
      if (val) for (let i = 0; i < nVal; i++) rawVal[i * K + k] = rawVal[i * K + k]! + leafValue(tree, val.bins, i * width, binned.nBins);
    }
    iterations = it;
    let valLoss: number | null = null;
    let stop = false;
    if (val) {
      valLoss = meanLoss(objective, rawVal, val.y, K, probs);
      valHistory.push(valLoss);
      if (valLoss < bestLoss) {
        bestLoss = valLoss;
        best = it;
      }
      if (params.nIterNoChange > 0 && valHistory.length > params.nIterNoChange) {
        const reference = valHistory[valHistory.length - 1 - params.nIterNoChange]!;
        let improved = false;
        for (let j = valHistory.length - params.nIterNoChange; j < valHistory.length; j++)
          if (valHistory[j]! < reference - params.tol) improved = true;
        stop = !improved;
      }
    } else best = it;
    // The loss after this iteration: from the next iteration's gradients when there is one.
    loss = stop || it === params.maxIter ? meanLoss(objective, raw, y, K, probs) : gradients(objective, raw, y, K, grad, hess, probs);
    onIteration(it, loss, valLoss);
    if (!Number.isFinite(loss)) break;
    if (stop) {
      stoppedEarly = true;
      break;
    }
  }
  // At least one iteration, as scikit-learn (a graph needs a tree).
  best = Math.max(1, Math.min(best, iterations));
  trees.length = best * K;
  return {
    ensemble: { objective, outputs: K, width, base, trees },
    iterations,
    best,
    stoppedEarly,
    threads: helpers ? helpers.threads : 1,
    sharedFills: helpers ? helpers.sharedFills : 0,
    fills: grower.fills,
  };
}

/** The raw score a tree gives one binned row (bins at `offset`). */
function leafValue(tree: Tree, bins: Uint8Array, offset: number, nBins: Int32Array): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const f = tree.feature[node]!;
    const b = bins[offset + f]!;
    const categories = tree.categories[node];
    const left = categories ? categories[b] === 1 : b === nBins[f] ? tree.missingLeft[node]! : b <= tree.binThreshold[node]!;
    node = left ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

function initialScores(objective: Objective, y: Int32Array | Float32Array, classes: number): number[] {
  const n = y.length;
  if (objective === 'squared_error') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += y[i]!;
    return [n > 0 ? sum / n : 0];
  }
  const counts = new Float64Array(classes);
  for (let i = 0; i < n; i++) counts[y[i]!]!++;
  const eps = 1e-15;
  if (objective === 'log_loss') {
    const p = Math.min(1 - eps, Math.max(eps, counts[1]! / n));
    return [Math.log(p / (1 - p))];
  }
  const logs = Array.from(counts, (c) => Math.log(Math.max(eps, c / n)));
  const mean = logs.reduce((a, b) => a + b, 0) / classes;
  return logs.map((l) => l - mean);
}

/** Softmax of raw[offset .. offset + K) into out. */
function softmax(raw: Float64Array, offset: number, K: number, out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, raw[offset + k]!);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += out[k] = Math.exp(raw[offset + k]! - max);
  for (let k = 0; k < K; k++) out[k]! /= sum;
}

/**
 * Gradients and hessians (class-major: [k * n + i]) at the raw scores; returns the mean
 * loss there, the same number meanLoss gives (the same terms summed in the same order).
 */
function gradients(
  objective: Objective,
  raw: Float64Array,
  y: Int32Array | Float32Array,
  K: number,
  grad: Float64Array,
  hess: Float64Array,
  probs: Float64Array,
): number {
  const n = y.length;
  if (n === 0) return NaN;
  let sum = 0;
  if (objective === 'squared_error') {
    for (let i = 0; i < n; i++) {
      const d = raw[i]! - y[i]!;
      grad[i] = d;
      hess[i] = 1;
      sum += d ** 2;
    }
  } else if (objective === 'log_loss') {
    for (let i = 0; i < n; i++) {
      // sigmoid's p, and meanLoss's log(1 + e^-z) for the true class's margin z, from one exp.
      const x = raw[i]!;
      const e = Math.exp(x >= 0 ? -x : x);
      const p = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      grad[i] = p - y[i]!;
      hess[i] = p * (1 - p);
      const z = y[i] === 1 ? x : -x;
      sum += z >= 0 ? Math.log1p(e) : -z + Math.log1p(e);
    }
  } else {
    for (let i = 0; i < n; i++) {
      softmax(raw, i * K, K, probs);
      const label = y[i]!;
      for (let k = 0; k < K; k++) {
        const p = probs[k]!;
        grad[k * n + i] = p - (k === label ? 1 : 0);
        hess[k * n + i] = p * (1 - p);
      }
      sum -= Math.log(Math.max(1e-300, probs[label]!));
    }
  }
  return sum / n;
}

/** Mean loss: squared error, log loss or softmax log loss. */
function meanLoss(objective: Objective, raw: Float64Array, y: Int32Array | Float32Array, K: number, probs: Float64Array): number {
  const n = y.length;
  if (n === 0) return NaN;
  let sum = 0;
  if (objective === 'squared_error') {
    for (let i = 0; i < n; i++) sum += (raw[i]! - y[i]!) ** 2;
  } else if (objective === 'log_loss') {
    // log(1 + e^-z) for the true class, computed stably.
    for (let i = 0; i < n; i++) {
      const z = y[i] === 1 ? raw[i]! : -raw[i]!;
      sum += z >= 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
    }
  } else {
    for (let i = 0; i < n; i++) {
      softmax(raw, i * K, K, probs);
      sum -= Math.log(Math.max(1e-300, probs[y[i]!]!));
    }
  }
  return sum / n;
}

/** Adds rows[start, end) into hist at each row's slots (Binned.slots): gradient, hessian and count per slot, in row order. */
export function countSlots(
  hist: Float64Array,
  slots: Int32Array,
  perRow: number,
  rows: Uint32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
): void {
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const gi = g[r]!;
    const hi = h[r]!;
    const at = r * perRow;
    for (let k = 0; k < perRow; k++) {
      const s = slots[at + k]!;
      hist[s] = hist[s]! + gi;
      hist[s + 1] = hist[s + 1]! + hi;
      hist[s + 2]!++;
    }
  }
}

/** Room for histograms (one Float64Array of totalSlots x 3 each), taken one after another. */
export interface HistogramRoom {
  take(): Float64Array;
}

/**
 * A helper thread that counts the second half of a large node's rows (threads.ts). `count`
 * hands it the rows [start, end) to count into `part` (which it zeroes first) and returns false
 * when it cannot take them (not started yet); `wait` waits until it has counted them.
 */
export interface FillHelpers {
  count(part: Float64Array, start: number, end: number, g: Float64Array, h: Float64Array): boolean;
  wait(): void;
}

/**
 * Slot updates (rows x slots per row) from which a node's histogram is counted in two halves of
 * its rows, summed bin by bin: the first half into the histogram, the second into a part of its
 * own (on a helper thread when there is one). A fixed rule of the data alone, so the sums, and
 * the trees, are the same on one thread as on two.
 */
export const HALVES_MIN_UPDATES = 40_000;

/** Grows one tree at a time on the binned rows (buffers shared across trees). */
class Grower {
  private readonly n: number;
  /** Scratch of the categorical scan: the sorted categories' bins and ratios. */
  private readonly catBins = new Int32Array(257);
  private readonly catRatios = new Float64Array(257);
  /** Histograms filled (counted, not found by subtraction). */
  fills = 0;
  /** The second half's histogram of a large node (see fill). */
  private part: Float64Array | null = null;

  constructor(
    private readonly binned: Binned,
    private readonly params: BoostParams,
    private readonly pool: Float64Array[],
    private readonly rows: Uint32Array,
    private readonly scratch: Uint32Array,
    private readonly histograms: HistogramRoom,
    private readonly helpers: FillHelpers | null,
  ) {
    this.n = binned.rows;
  }

  private takeHist(): Float64Array {
    return this.pool.pop() ?? this.histograms.take();
  }

  /**
   * Counts rows[start, end) into hist. Columns outside one-hot groups: one update per row
   * and column. A one-hot group: one update per row, in the value-1 bin of its hot column;
   * each column's value-0 bin is then the node's totals minus its value-1 bin. A large node
   * is counted in two halves (see HALVES_MIN_UPDATES), the second on a helper thread if any.
   */
  private fill(hist: Float64Array, start: number, end: number, g: Float64Array, h: Float64Array): void {
    this.fills++;
    hist.fill(0);
    const { slots, perRow, offsets, groupStart, groupSize, nBins } = this.binned;
    const rows = this.rows;
    if ((end - start) * perRow < HALVES_MIN_UPDATES) countSlots(hist, slots, perRow, rows, start, end, g, h);
    else {
      const middle = start + ((end - start) >> 1);
      const part = (this.part ??= this.histograms.take());
      const helped = this.helpers?.count(part, middle, end, g, h) ?? false;
      countSlots(hist, slots, perRow, rows, start, middle, g, h);
      if (helped) this.helpers!.wait();
      else {
        part.fill(0);
        countSlots(part, slots, perRow, rows, middle, end, g, h);
      }
      for (let s = 0; s < hist.length; s++) hist[s]! += part[s]!;
    }
    if (groupStart.length === 0) return;
    let G = 0;
    let H = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      G += g[r]!;
      H += h[r]!;
    }
    const C = end - start;
    for (let q = 0; q < groupStart.length; q++) {
      const first = groupStart[q]!;
      for (let f = first; f < first + groupSize[q]!; f++) {
        if (nBins[f]! < 2) continue;
        const s0 = offsets[f]! * 3;
        const s1 = s0 + 3;
        hist[s0] = G - hist[s1]!;
        hist[s0 + 1] = H - hist[s1 + 1]!;
        hist[s0 + 2] = C - hist[s1 + 2]!;
      }
    }
  }

  /** The best split of a leaf, or null. */
  private bestSplit(leaf: Leaf): Split | null {
    const { minSamplesLeaf: msl, l2 } = this.params;
    const { nBins, offsets, width } = this.binned;
    const hist = leaf.hist!;
    const { g: G, h: H, c: C } = leaf;
    const parentScore = (G * G) / (H + l2);
    let best: Split | null = null;
    let bestGain = 0;
    const consider = (gain: number, feature: number, bin: number, missingLeft: boolean, gl: number, hl: number, cl: number) => {
      if (gain > bestGain) {
        bestGain = gain;
        best = { gain, feature, bin, missingLeft, gLeft: gl, hLeft: hl, cLeft: cl, categories: null };
      }
    };
    const categorical = this.binned.categorical;
    for (let f = 0; f < width; f++) {
      const nb = nBins[f]!;
      const o = offsets[f]! * 3;
      if (categorical[f]) {
        const found = this.bestCategorical(hist, o, nb, G, H, C, parentScore, bestGain);
        if (found) {
          bestGain = found.gain;
          best = { ...found, feature: f };
        }
        continue;
      }
      const ms = o + nb * 3;
      const gm = hist[ms]!;
      const hm = hist[ms + 1]!;
      const cm = hist[ms + 2]!;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      const last = cm > 0 ? nb - 1 : nb - 2; // with missing values: also "every value left, missing right"
      for (let t = 0; t <= last; t++) {
        const s = o + t * 3;
        gl += hist[s]!;
        hl += hist[s + 1]!;
        cl += hist[s + 2]!;
        // Missing right.
        const cr = C - cl;
        if (cl >= msl && cr >= msl) {
          const hr = H - hl;
          if (hl >= MIN_HESSIAN && hr >= MIN_HESSIAN) {
            const gr = G - gl;
            const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
            // No missing value here: they go where most rows go.
            consider(gain, f, t, cm > 0 ? false : cl >= cr, gl, hl, cl);
          }
        }
        // Missing left.
        if (cm > 0 && t < nb - 1) {
          const gl2 = gl + gm;
          const hl2 = hl + hm;
          const cl2 = cl + cm;
          const cr2 = C - cl2;
          const hr2 = H - hl2;
          if (cl2 >= msl && cr2 >= msl && hl2 >= MIN_HESSIAN && hr2 >= MIN_HESSIAN) {
            const gr2 = G - gl2;
            const gain = (gl2 * gl2) / (hl2 + l2) + (gr2 * gr2) / (hr2 + l2) - parentScore;
            consider(gain, f, t, true, gl2, hl2, cl2);
          }
        }
      }
    }
    return best;
  }

  /**
   * The best set split of a categorical column (histogram at `o`, nb category bins and
   * the missing slot) with a gain above `above`, or null (the module's header).
   */
  private bestCategorical(
    hist: Float64Array,
    o: number,
    nb: number,
    G: number,
    H: number,
    C: number,
    parentScore: number,
    above: number,
  ): Omit<Split, 'feature'> | null {
    const { minSamplesLeaf: msl, l2 } = this.params;
    const bins = this.catBins;
    const ratios = this.catRatios;
    const supportFactor = C / H;
    let used = 0;
    for (let b = 0; b <= nb; b++) {
      const s = o + b * 3;
      const hb = hist[s + 1]!;
      if (hist[s + 2]! > 0 && hb * supportFactor >= MIN_CAT_SUPPORT) {
        bins[used] = b;
        ratios[used] = hist[s]! / (hb + MIN_CAT_SUPPORT);
        used++;
      }
    }
    if (used <= 1) return null;
    const order = Array.from({ length: used }, (_, i) => i).sort((a, b) => ratios[a]! - ratios[b]! || bins[a]! - bins[b]!);
    let bestGain = above;
    let bestDirection = 0;
    let bestCount = 0;
    let bestG = 0;
    let bestH = 0;
    let bestC = 0;
    // From the low end, up to the middle; then from the high end, up to just before it.
    for (const direction of [1, -1]) {
      const middle = direction === 1 ? (used + 1) >> 1 : ((used + 1) >> 1) - 1;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let i = 0; i < middle; i++) {
        const s = o + bins[order[direction === 1 ? i : used - 1 - i]!]! * 3;
        gl += hist[s]!;
        hl += hist[s + 1]!;
        cl += hist[s + 2]!;
        if (cl < msl || hl < MIN_HESSIAN) continue;
        const cr = C - cl;
        const hr = H - hl;
        if (cr < msl || hr < MIN_HESSIAN) break;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestDirection = direction;
          bestCount = i + 1;
          bestG = gl;
          bestH = hl;
          bestC = cl;
        }
      }
    }
    if (bestDirection === 0) return null;
    const categories = new Uint8Array(nb + 1);
    for (let i = 0; i < bestCount; i++) categories[bins[order[bestDirection === 1 ? i : used - 1 - i]!]!] = 1;
    // The missing slot: its learnt side, or with more rows where the node has no missing value.
    if (hist[o + nb * 3 + 2]! === 0) categories[nb] = bestC >= C - bestC ? 1 : 0;
    return {
      gain: bestGain,
      bin: 0,
      missingLeft: categories[nb] === 1,
      gLeft: bestG,
      hLeft: bestH,
      cLeft: bestC,
      categories,
    };
  }

  /**
   * Grows a tree on gradients g and hessians h (by row); `constantHessian` when h is 1.
   * `onLeaf(start, end, value)` is called for each final leaf's rows (indices into the
   * row array passed to the constructor).
   */
  grow(g: Float64Array, h: Float64Array, constantHessian: boolean, onLeaf: (start: number, end: number, value: number) => void): Tree {
    const { maxLeafNodes, maxDepth, minSamplesLeaf, learningRate, l2 } = this.params;
    const { bins, nBins } = this.binned;
    const rows = this.rows;
    const n = this.n;
    for (let i = 0; i < n; i++) rows[i] = i;
    const tree: Tree = {
      feature: [],
      binThreshold: [],
      threshold: [],
      missingLeft: [],
      left: [],
      right: [],
      value: [],
      categories: [],
      gain: [],
    };
    const newNode = () => {
      tree.feature.push(-1);
      tree.binThreshold.push(0);
      tree.threshold.push(0);
      tree.missingLeft.push(false);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      tree.categories.push(null);
      tree.gain.push(0);
      return tree.feature.length - 1;
    };
    let G = 0;
    let H = 0;
    for (let i = 0; i < n; i++) {
      G += g[i]!;
      H += h[i]!;
    }
    if (constantHessian) H = n;
    const canSplit = (leaf: Leaf) => leaf.c >= 2 * minSamplesLeaf && (maxDepth === null || leaf.depth < maxDepth);
    const root: Leaf = { node: newNode(), start: 0, end: n, depth: 0, g: G, h: H, c: n, hist: null, split: null };
    const leaves: Leaf[] = [root];
    if (canSplit(root)) {
      root.hist = this.takeHist();
      this.fill(root.hist, 0, n, g, h);
      root.split = this.bestSplit(root);
    }
    while (leaves.length < maxLeafNodes) {
      let pick = -1;
      for (let j = 0; j < leaves.length; j++) {
        const s = leaves[j]!.split;
        if (s && (pick < 0 || s.gain > leaves[pick]!.split!.gain)) pick = j;
      }
      if (pick < 0) break;
      const parent = leaves[pick]!;
      const split = parent.split!;
      const f = split.feature;
      const missing = nBins[f]!;
      // Stable partition of the parent's rows.
      let l = parent.start;
      let r = 0;
      const column = f * n;
      const categories = split.categories;
      if (categories) {
        for (let i = parent.start; i < parent.end; i++) {
          const row = rows[i]!;
          if (categories[bins[column + row]!] === 1) rows[l++] = row;
          else this.scratch[r++] = row;
        }
      } else {
        for (let i = parent.start; i < parent.end; i++) {
          const row = rows[i]!;
          const b = bins[column + row]!;
          if (b === missing ? split.missingLeft : b <= split.bin) rows[l++] = row;
          else this.scratch[r++] = row;
        }
      }
      rows.set(this.scratch.subarray(0, r), l);
      const node = parent.node;
      tree.feature[node] = f;
      tree.binThreshold[node] = split.bin;
      tree.threshold[node] = categories ? 0 : split.bin < nBins[f]! - 1 ? this.binned.edges[f]![split.bin]! : Infinity;
      tree.missingLeft[node] = split.missingLeft;
      tree.categories[node] = categories;
      tree.gain[node] = split.gain;
      const leftNode = newNode();
      const rightNode = newNode();
      tree.left[node] = leftNode;
      tree.right[node] = rightNode;
      const depth = parent.depth + 1;
      const left: Leaf = {
        node: leftNode,
        start: parent.start,
        end: l,
        depth,
        g: split.gLeft,
        h: split.hLeft,
        c: split.cLeft,
        hist: null,
        split: null,
      };
      const right: Leaf = {
        node: rightNode,
        start: l,
        end: parent.end,
        depth,
        g: parent.g - split.gLeft,
        h: parent.h - split.hLeft,
        c: parent.c - split.cLeft,
        hist: null,
        split: null,
      };
      const splitLeft = canSplit(left);
      const splitRight = canSplit(right);
      const parentHist = parent.hist!;
      parent.hist = null;
      if (splitLeft || splitRight) {
        // Count the smaller child; the larger is the parent minus it, in the parent's buffer.
        const [small, large] = left.c <= right.c ? [left, right] : [right, left];
        const smallHist = this.takeHist();
        this.fill(smallHist, small.start, small.end, g, h);
        for (let s = 0; s < parentHist.length; s++) parentHist[s]! -= smallHist[s]!;
        small.hist = smallHist;
        large.hist = parentHist;
        for (const child of [left, right]) {
          if (canSplit(child)) child.split = this.bestSplit(child);
          if (!child.split) {
            this.pool.push(child.hist!);
            child.hist = null;
          }
        }
      } else this.pool.push(parentHist);
      leaves.splice(pick, 1, left, right);
    }
    for (const leaf of leaves) {
      if (leaf.hist) this.pool.push(leaf.hist);
      leaf.hist = null;
      const value = -learningRate * (leaf.g / (leaf.h + l2 + 1e-15));
      tree.value[leaf.node] = value;
      onLeaf(leaf.start, leaf.end, value);
    }
    return tree;
  }
}
