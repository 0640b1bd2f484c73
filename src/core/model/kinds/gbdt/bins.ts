/**
 * Binning for the gbdt kind: every encoded column (see boost.ts for the layout) becomes
 * small integers, the bins the histograms count.
 *
 * Conventions:
 * - Values are taken as float32 (Math.fround), as the exported graph receives them, so a
 *   split learnt here routes every float32 input the same way in ONNX Runtime.
 * - A column has `nBins` value bins (at most max_bins) and one more slot, index `nBins`,
 *   for missing values (NaN). Bin b holds the values x with edges[b - 1] < x <= edges[b]
 *   (edges[-1] = -infinity, edges[nBins - 1] = +infinity): "bin <= t" is exactly
 *   "x <= edges[t]", the BRANCH_LEQ test of the exported trees.
 * - Edges, as scikit-learn's _BinMapper: with at most max_bins distinct values, the
 *   midpoints between consecutive distinct values; otherwise the midpoint-method
 *   percentiles at 100 * q / max_bins (q = 1 .. max_bins - 1), duplicates dropped. Each
 *   edge is rounded to a float32 strictly below the next distinct value (when the
 *   rounded midpoint is not, the lower value itself), so the bins of the training values
 *   are as in float64. Unlike scikit-learn, every training row is used (no subsample of
 *   200,000) and infinities are ordinary values (scikit-learn rejects them).
 * - A native categorical column (columns.ts) holds category indices 0 .. k - 1 (NaN for
 *   missing): its k bins are the categories themselves (edges at b + 0.5, so `binOf` maps
 *   index b to bin b), and its splits are sets of bins (boost.ts), never thresholds.
 */

/** The binned training rows and how to bin other rows the same way. */
export interface Binned {
  rows: number;
  width: number;
  /** Column-major width x rows bin indices (column f of row i at f * rows + i: a split partitions rows by one column). */
  bins: Uint8Array;
  /**
   * Row-major rows x perRow: the histogram positions (slot x 3) each row counts in: one per
   * column outside one-hot groups, one per group (its hot column's value-1 bin). In shared
   * memory, read by the histogram helper thread (threads.ts).
   */
  slots: Int32Array;
  perRow: number;
  /** Value bins of each column (its missing slot is this index). */
  nBins: Int32Array;
  /** Each column's first histogram slot; a column has nBins + 1 slots. */
  offsets: Int32Array;
  totalSlots: number;
  /** Each column's edges (nBins - 1 float32 values, increasing). */
  edges: Float32Array[];
  /** The columns outside one-hot groups. */
  dense: Int32Array;
  /** One-hot groups (a text column's block: exactly one column is 1 in each row): first column and size. */
  groupStart: Int32Array;
  groupSize: Int32Array;
  /** 1 for a native categorical column (split by sets of categories), 0 otherwise. */
  categorical: Uint8Array;
}

/** A column's values for rows 0 .. n - 1 (float32-representable; NaN for missing). */
export type ColumnValues = (i: number) => number;

/** The edges of one column from its training values (see the header). `scratch` holds at least n values. */
export function fitEdges(values: ColumnValues, n: number, maxBins: number, scratch: Float32Array): Float32Array {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = values(i);
    if (!Number.isNaN(v)) scratch[m++] = v;
  }
  const sorted = scratch.subarray(0, m).sort();
  let distinct = 0;
  for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const raw: number[] = [];
  if (distinct <= maxBins) {
    for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) raw.push(edgeBetween(sorted[i - 1]!, sorted[i]!));
  } else {
    for (let q = 1; q < maxBins; q++) {
      const position = (q / maxBins) * (m - 1);
      const lo = sorted[Math.floor(position)]!;
      const hi = sorted[Math.ceil(position)]!;
      raw.push(lo === hi ? lo : edgeBetween(lo, hi));
    }
  }
  const edges: number[] = [];
  for (const e of raw) if (edges.length === 0 || e > edges.at(-1)!) edges.push(e);
  // The last edge must leave some value above it, or its bin would be empty.
  while (edges.length > 0 && m > 0 && edges.at(-1)! >= sorted[m - 1]!) edges.pop();
  return Float32Array.from(edges);
}

/** The edges of a native categorical column of k categories: b + 0.5 for b < k - 1, so category index b is bin b. */
export function categoryEdges(k: number): Float32Array {
  return Float32Array.from({ length: Math.max(0, k - 1) }, (_, b) => b + 0.5);
}

/** A float32 edge e with lo <= e < hi: the rounded midpoint, or lo when rounding reaches hi. */
function edgeBetween(lo: number, hi: number): number {
  const mid = Math.fround(lo / 2 + hi / 2);
  return mid >= lo && mid < hi ? mid : lo;
}

/** The bin of `v` (float32) for `edges`: the missing slot for NaN. */
export function binOf(v: number, edges: Float32Array): number {
  if (Number.isNaN(v)) return edges.length + 1;
  let lo = 0;
  let hi = edges.length; // the answer is in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bins `n` rows of `columns` with `edges` into a Uint8Array, row-major (row i at i * width) or column-major (column f at f * n). */
export function binRows(
  columns: readonly ColumnValues[],
  n: number,
  edges: readonly Float32Array[],
  layout: 'rows' | 'columns' = 'rows',
): Uint8Array {
  const width = columns.length;
  const bins = new Uint8Array(n * width);
  for (let f = 0; f < width; f++) {
    const values = columns[f]!;
    const e = edges[f]!;
    if (layout === 'rows') for (let i = 0; i < n; i++) bins[i * width + f] = binOf(values(i), e);
    else for (let i = 0; i < n; i++) bins[f * n + i] = binOf(values(i), e);
  }
  return bins;
}

/**
 * Fits the edges of every column on the training rows and bins them. `groups` lists the
 * one-hot blocks ([first column, size]): their histograms are counted from the one hot
 * column of each row (one update per block instead of one per column). `categories`
 * gives, per column, the number of categories of a native categorical column, -1 for the
 * others (default: none is categorical).
 */
export function binTraining(
  columns: readonly ColumnValues[],
  n: number,
  maxBins: number,
  groups: ReadonlyArray<readonly [number, number]> = [],
  categories?: ArrayLike<number>,
): Binned {
  const width = columns.length;
  const scratch = new Float32Array(n);
  const grouped = new Uint8Array(width);
  for (const [start, size] of groups) grouped.fill(1, start, start + size);
  const categorical = Uint8Array.from({ length: width }, (_, f) => (categories && categories[f]! >= 0 ? 1 : 0));
  // A one-hot column holds 0 and 1: its edge is 0.5 when both occur (as fitEdges finds, without sorting).
  const edges = columns.map((values, f) => {
    if (categorical[f]) return categoryEdges(categories![f]!);
    if (!grouped[f]) return fitEdges(values, n, maxBins, scratch);
    let ones = 0;
    for (let i = 0; i < n; i++) if (values(i) === 1) ones++;
    return ones > 0 && ones < n ? Float32Array.of(0.5) : new Float32Array(0);
  });
  const nBins = Int32Array.from(edges, (e) => e.length + 1);
  const offsets = new Int32Array(width);
  let total = 0;
  for (let f = 0; f < width; f++) {
    offsets[f] = total;
    total += nBins[f]! + 1;
  }
  const bins = binRows(columns, n, edges, 'columns');
  const dense = Int32Array.from(Array.from({ length: width }, (_, j) => j).filter((j) => !grouped[j]));
  const perRow = dense.length + groups.length;
  // In shared memory, so that a histogram helper thread reads it as it is (boost.ts, threads.ts).
  const slots = new Int32Array(new SharedArrayBuffer(Math.max(1, n * perRow) * 4), 0, n * perRow);
  for (let i = 0; i < n; i++) {
    const at = i * perRow;
    for (let d = 0; d < dense.length; d++) slots[at + d] = (offsets[dense[d]!]! + bins[dense[d]! * n + i]!) * 3;
  }
  groups.forEach(([start, size], q) => {
    for (let j = start; j < start + size; j++) {
      // A column that is 1 in every training row has one bin: bin 0 holds its 1s.
      const slot = (offsets[j]! + (nBins[j]! > 1 ? 1 : 0)) * 3;
      const values = columns[j]!;
      for (let i = 0; i < n; i++) if (values(i) === 1) slots[i * perRow + dense.length + q] = slot;
    }
  });
  return {
    rows: n,
    width,
    bins,
    slots,
    perRow,
    nBins,
    offsets,
    totalSlots: total,
    edges,
    dense,
    groupStart: Int32Array.from(groups, ([start]) => start),
    groupSize: Int32Array.from(groups, ([, size]) => size),
    categorical,
  };
}
