/**
 * KLL quantile sketch (Karnin, Lang & Liberty, "Optimal Quantile Approximation in Streams", 2016),
 * with the level layout and compaction policy of Apache DataSketches: a stack of "compactors"
 * (levels), where an item at level h stands for 2^h input values. Level 0 takes raw values
 * unsorted. Once the sketch holds its total capacity, the lowest level at or over its own capacity
 * is compacted: sorted, its smallest item kept back if the count is odd, and every other remaining
 * item (odd or even positions, by a coin flip) merged into the level above with twice the weight.
 * Level h has capacity max(8, round(k * (2/3)^(levels - h - 1))), so the sketch holds at most about
 * 3k values plus 8 per level.
 *
 * Guarantees:
 * - `n`, `min` and `max` are exact; the total weight of the retained items is exactly `n`.
 * - The estimated rank of any value (`cdf`, and the rank behind `quantile`) is within eps * n of
 *   the true rank, eps ~ 2.296 / k^0.9723 with 99% confidence (DataSketches' empirical bound:
 *   ~1.05% at k = 256, ~1.33% at k = 200); typical errors are several times smaller.
 * - Deterministic: the coin flips come from a xorshift32 generator seeded in the constructor and
 *   carried in the serialized state, so equal input sequences (and equal merge sequences) yield
 *   identical sketches.
 * - Mergeable: merging sketches of two streams gives a sketch of the combined stream with the
 *   same error guarantee (for the smaller k of the two).
 */

import { WasmModule } from '../wasm.js';
import { WASM_BYTES as RADIX_WASM } from './radix-wasm.js';

/** Minimum capacity of any level (DataSketches' M). */
const M = 8;
const MAX_K = 65535;
const MAX_LEVELS = 60;
const DEFAULT_SEED = 0x9e3779b9;
/** Up to this length level 0 is sorted by insertion sort; longer, by radix. */
const INSERTION_SORT_MAX = 64;
/** `updateBatch` adds values one at a time until the sketch holds this many: a small sketch is DataSketches', value for value. */
export const BATCH_FROM = 1 << 16;

/** Plain-JSON state of a {@link KllSketch}; `levels[h]` holds the items of weight 2^h. */
export interface KllState {
  k: number;
  n: number;
  min: number | null;
  max: number | null;
  levels: number[][];
  rng: number;
}

interface SortedView {
  n: number;
  values: Float64Array;
  /** cum[i] = total weight of values[0..i]. */
  cum: Float64Array;
}

/** Capacity of `level` in a sketch with `numLevels` levels: max(M, round(k * (2/3)^depth)). */
function levelCapacity(k: number, numLevels: number, level: number): number {
  const depth = numLevels - level - 1;
  return Math.max(M, Math.round((k * 2 ** depth) / 3 ** depth));
}

/** Scratch of `radixSort`, grown to the longest prefix sorted so far. */
let radixKeys = new Uint32Array(0);
let radixKeysOut = new Uint32Array(0);
let radixValuesOut = new Float64Array(0);
let radixRunKeys = new Uint32Array(0);
let radixRunKeysOut = new Uint32Array(0);
let radixRunValues = new Float64Array(0);
/** The three digits' counts, one after another (11, 11 and 10 bits). */
const RADIX_COUNTS = new Int32Array(3 << 11);
/** Runs of values with equal high words up to this long are ordered by insertion; longer, by their low words. */
const RUN_INSERTION_MAX = 16;

/** Scratch of `updateBatch`, shared by every sketch: level 0 with the batch, and two buffers the items moved up alternate between. */
let batchValues: Float64Array = new Float64Array(0);
let batchMerged: Float64Array = new Float64Array(0);
let batchMergedOther: Float64Array = new Float64Array(0);

/** `a`, or a larger array when it holds fewer than `size` (its contents are not kept). */
function atLeast(a: Float64Array, size: number): Float64Array {
  return a.length >= size ? a : new Float64Array(Math.max(size, 2 * a.length));
}

/** Whether doubles are stored low word first (the radix sort reads their high words). */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** Sorts a[0, len) ascending, stably (finite values; exported for its tests). */
export function sortPrefix(a: Float64Array, len: number): void {
  if (len > INSERTION_SORT_MAX) {
    // Already in order (a sorted column): nothing to do, found in one pass that a column in no
    // order leaves after a value or two.
    let ordered = 1;
    while (ordered < len && a[ordered - 1]! <= a[ordered]!) ordered++;
    if (ordered === len) return;
    if (!LITTLE_ENDIAN) (len === a.length ? a : a.subarray(0, len)).sort();
    else {
      const radix = radixModule.get();
      if (radix !== null) radix.sort(a, len);
      else radixSort(a, len);
    }
    return;
  }
  insertionSort(a, 0, len);
}

/** The exports of radix.wat. */
interface RadixExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  setCapacity(capacity: number): void;
  sort(len: number): number;
}

/** Where radix.wat's values start in its memory, and the bytes it needs per value of capacity. */
const WASM_VALUES_OFFSET = 24576;
const WASM_BYTES_PER_VALUE = 24;
const WASM_PAGE = 65536;

/**
 * `radixSort` in WebAssembly (radix.wat), about three times as fast on a level 0 of a few thousand
 * values: the same passes, so the same order. The values are copied into its memory and back.
 */
class WasmRadix {
  private values = new Float64Array(0);

  constructor(private readonly exports: RadixExports) {}

  sort(a: Float64Array, len: number): void {
    if (this.values.length < len) this.grow(len);
    const values = this.values;
    values.set(len === a.length ? a : a.subarray(0, len));
    // 1: runs of more than 16 values with equal high words are left in place, for their low words.
    if (this.exports.sort(len) !== 0) sortLongRuns(values, len);
    a.set(values.subarray(0, len));
  }

  private grow(len: number): void {
    const capacity = Math.max(len, 2 * this.values.length, 4096);
    const { memory } = this.exports;
    const pages = Math.ceil((WASM_VALUES_OFFSET + WASM_BYTES_PER_VALUE * capacity) / WASM_PAGE) - memory.buffer.byteLength / WASM_PAGE;
    if (pages > 0) memory.grow(pages);
    this.exports.setCapacity(capacity);
    this.values = new Float64Array(memory.buffer, WASM_VALUES_OFFSET, capacity);
  }
}

/** This thread's WebAssembly sort (null when the module cannot be instantiated, or after `useWasmSort(false)`). */
const radixModule = new WasmModule(RADIX_WASM, (exports) => new WasmRadix(exports as RadixExports));

/**
 * Whether `sortPrefix` sorts in WebAssembly (when it can run here); `false` makes it use the
 * JavaScript radix sort (its tests and `npm run bench:sketch` compare the two). Returns whether
 * the WebAssembly sort is in use.
 */
export function useWasmSort(on: boolean): boolean {
  return radixModule.use(on);
}

/**
 * Sorts a[0, len) ascending (finite values), stably: a radix sort on the high 32 bits of each
 * double (sign, exponent and 20 bits of mantissa, mapped so that their unsigned order is the
 * numbers' order); then each run of values whose high words are equal is ordered by the low
 * words, by insertion when short and by a second radix sort when long (numbers of a large
 * magnitude and a narrow range: epoch milliseconds, large ids). Values that are equal keep
 * their order. No branch depends on the order of the values but in the short runs: several times
 * faster than the native sort on a few thousand values, and what makes a large level-0
 * compaction cheap.
 */
function radixSort(a: Float64Array, len: number): void {
  if (radixKeys.length < len) {
    const size = Math.max(len, 2 * radixKeys.length);
    radixKeys = new Uint32Array(size);
    radixKeysOut = new Uint32Array(size);
    radixValuesOut = new Float64Array(size);
  }
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * len);
  const keys = radixKeys;
  for (let i = 0; i < len; i++) {
    const high = words[2 * i + 1]!;
    // Negative numbers: every bit flipped (larger magnitudes first); others: the sign bit set.
    keys[i] = (high ^ ((high >> 31) | 0x80000000)) >>> 0;
  }
  const [sorted, sortedKeys] = radixPasses(a, keys, radixValuesOut, radixKeysOut, len);
  // Runs of equal high words (rare in most data).
  for (let i = 1; i < len; i++) {
    if (sortedKeys[i] !== sortedKeys[i - 1]) continue;
    const start = i - 1;
    let end = i + 1;
    while (end < len && sortedKeys[end] === sortedKeys[start]) end++;
    if (end - start <= RUN_INSERTION_MAX) insertionSort(sorted, start, end);
    else sortRunByLowWords(sorted, start, end);
    i = end;
  }
  if (sorted !== a) a.set(sorted.subarray(0, len));
}

/** Orders each run of more than RUN_INSERTION_MAX values with equal high words in a[0, len), sorted by them, by its low words. */
function sortLongRuns(a: Float64Array, len: number): void {
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * len);
  for (let i = 1; i < len; i++) {
    const high = words[2 * i + 1]!;
    if (high !== words[2 * i - 1]!) continue;
    const start = i - 1;
    let end = i + 1;
    while (end < len && words[2 * end + 1]! === high) end++;
    if (end - start > RUN_INSERTION_MAX) sortRunByLowWords(a, start, end);
    i = end;
  }
}

/** Orders values[start, end), whose high words are equal, by their low words (reversed for negative numbers), stably. */
function sortRunByLowWords(values: Float64Array, start: number, end: number): void {
  const len = end - start;
  if (radixRunKeys.length < len) {
    const size = Math.max(len, 2 * radixRunKeys.length);
    radixRunKeys = new Uint32Array(size);
    radixRunKeysOut = new Uint32Array(size);
    radixRunValues = new Float64Array(size);
  }
  const run = radixRunValues;
  run.set(values.subarray(start, end));
  const words = new Uint32Array(run.buffer, run.byteOffset, 2 * len);
  const flip = words[1]! >> 31; // all ones for negative numbers
  const keys = radixRunKeys;
  for (let i = 0; i < len; i++) keys[i] = (words[2 * i]! ^ flip) >>> 0;
  const [sorted] = radixPasses(run, keys, values.subarray(start, end), radixRunKeysOut, len);
  if (sorted === run) values.set(run.subarray(0, len), start);
}

/** Sorts a[start, end) by insertion (stable). */
function insertionSort(a: Float64Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= start && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * Sorts values[0, len) by keys[0, len) (unsigned), stably: LSD passes of 11, 11 and 10 bits, the
 * counts of all three taken in one go, a pass skipped where every key has the same digit. The
 * spare arrays take the other side of each pass. Returns the arrays holding the sorted values and
 * their keys (the given ones or the spares).
 */
function radixPasses(
  values: Float64Array,
  keys: Uint32Array,
  spareValues: Float64Array,
  spareKeys: Uint32Array,
  len: number,
): [Float64Array, Uint32Array] {
  const counts = RADIX_COUNTS;
  counts.fill(0);
  for (let i = 0; i < len; i++) {
    const key = keys[i]!;
    counts[key & 0x7ff]!++;
    counts[2048 + ((key >>> 11) & 0x7ff)]!++;
    counts[4096 + (key >>> 22)]!++;
  }
  let from = values;
  let fromKeys = keys;
  let to = spareValues;
  let toKeys = spareKeys;
  for (let pass = 0; pass < 3; pass++) {
    const shift = 11 * pass;
    const base = 2048 * pass;
    if (counts[base + ((fromKeys[0]! >>> shift) & 0x7ff)] === len) continue;
    let total = 0;
    for (let d = base; d < base + 2048; d++) {
      const c = counts[d]!;
      counts[d] = total;
      total += c;
    }
    for (let i = 0; i < len; i++) {
      const key = fromKeys[i]!;
      const at = counts[base + ((key >>> shift) & 0x7ff)]!++;
      toKeys[at] = key;
      to[at] = from[i]!;
    }
    const v = from;
    from = to;
    to = v;
    const k = fromKeys;
    fromKeys = toKeys;
    toKeys = k;
  }
  return [from, fromKeys];
}

export class KllSketch {
  private _k: number;
  /** xorshift32 state, never 0. */
  private rng: number;
  /** Level 0: unsorted values of weight 1, `n0` of them. */
  private buf0: Float64Array;
  private n0 = 0;
  /** `update` compacts before writing when `n0` reaches this, i.e. when the sketch is at full capacity. */
  private limit0 = 0;
  /** Count of values not in `buf0` (n = flushed + n0); kept off the hot path. */
  private flushed = 0;
  /** Min and max of all values except possibly those still in `buf0` (see `fold`). */
  private lo = Infinity;
  private hi = -Infinity;
  /** Levels h >= 1, each sorted ascending, `sz[h]` items of weight 2^h (index 0 is unused). */
  private lv: Float64Array[] = [new Float64Array(0)];
  private sz: number[] = [0];
  private caps: number[] = [];
  /** Number of levels `caps` was computed for (-1: stale). */
  private capsLevels = -1;
  private view: SortedView | null = null;

  /**
   * @param k accuracy parameter, integer in [8, 65535]: rank error ~ 2.3 / k, about 3k retained doubles.
   * @param seed seed of the coin-flip generator (any integer; used modulo 2^32).
   */
  constructor(k = 256, seed = DEFAULT_SEED) {
    if (!Number.isInteger(k) || k < M || k > MAX_K) {
      throw new RangeError(`KllSketch: k must be an integer in [${M}, ${MAX_K}], got ${k}`);
    }
    if (!Number.isInteger(seed)) throw new RangeError(`KllSketch: seed must be an integer, got ${seed}`);
    this._k = k;
    this.rng = seed >>> 0 || DEFAULT_SEED;
    this.buf0 = new Float64Array(k);
    this.refresh();
  }

  /** DataSketches' 99%-confidence bound on the normalized rank error of a sketch with this k. */
  static normalizedRankError(k: number): number {
    return 2.296 / k ** 0.9723;
  }

  get k(): number {
    return this._k;
  }
  /** Number of values added (exact). */
  get n(): number {
    return this.flushed + this.n0;
  }
  /** Smallest value added (exact); NaN when empty. */
  get min(): number {
    return this.n === 0 ? NaN : this.fold().lo;
  }
  /** Largest value added (exact); NaN when empty. */
  get max(): number {
    return this.n === 0 ? NaN : this.fold().hi;
  }
  /** Number of items the sketch currently retains. */
  get retained(): number {
    let r = this.n0;
    for (let h = 1; h < this.lv.length; h++) r += this.sz[h]!;
    return r;
  }

  /** Adds one value. Non-finite values (NaN, ±Infinity) are ignored. Amortized O(1), no allocation. */
  update(x: number): void {
    if (x - x !== 0) return;
    if (this.n0 >= this.limit0) this.compress();
    this.buf0[this.n0++] = x;
  }

  /**
   * Adds values[0, count), as `update` one at a time would, until the sketch holds BATCH_FROM
   * values. From there, the values join level 0 together and the sketch compresses once: a
   * compaction of level 0 then sorts them all (by radix) and moves half of them up, where
   * one at a time would have sorted and moved them some 14 at a time. Each compaction of a
   * level can move any rank by at most its weight, so fewer compactions of level 0 add less
   * error, not more; the higher levels keep their capacities. The result depends only on the
   * values and how they were batched, so it is deterministic too.
   */
  updateBatch(values: Float64Array, count: number): void {
    let i = 0;
    for (; i < count && this.n < BATCH_FROM; i++) this.update(values[i]!);
    if (i === count) return;
    // Level 0 and the finite rest of the batch, together.
    batchValues = atLeast(batchValues, this.n0 + count - i);
    const all = batchValues;
    all.set(this.buf0.subarray(0, this.n0));
    let pop = this.n0;
    for (; i < count; i++) {
      const x = values[i]!;
      if (x - x === 0) all[pop++] = x;
    }
    if (pop >= this.limit0 && pop >= this.caps[0]! && this.lv.length > 1) {
      this.compactBatch(all, pop);
      return;
    }
    // Below capacity, or level 0 below its own: level 0 takes them, and the sketch compresses as usual.
    if (pop > this.buf0.length) this.growLevel0(Math.max(pop, 2 * this.buf0.length));
    this.buf0.set(all.subarray(0, pop));
    this.n0 = pop;
    if (pop >= this.limit0) this.compress();
  }

  /**
   * Folds `other` into this sketch, which then summarizes both streams. The result has
   * k = min(this.k, other.k). `other` is not modified.
   */
  merge(other: KllSketch): void {
    if (!(other instanceof KllSketch)) throw new TypeError('KllSketch.merge: argument is not a KllSketch');
    if (other.n === 0) return;
    const o = other === this ? KllSketch.fromJSON(this.toJSON()) : other.fold();
    this.fold();
    const n0 = this.n0 + o.n0;
    if (n0 > this.buf0.length) this.growLevel0(n0);
    this.buf0.set(o.buf0.subarray(0, o.n0), this.n0);
    this.n0 = n0;
    this.flushed += o.flushed;
    if (o.lo < this.lo) this.lo = o.lo;
    if (o.hi > this.hi) this.hi = o.hi;
    while (this.lv.length < o.lv.length) this.addLevel();
    for (let h = 1; h < o.lv.length; h++) this.absorb(h, o.lv[h]!, 0, 1, o.sz[h]!);
    if (o._k < this._k) {
      this._k = o._k;
      this.capsLevels = -1;
    }
    this.refresh();
    this.compress();
  }

  /**
   * Estimated q-quantile: the smallest retained value whose estimated rank (fraction of values
   * <= it) is at least q. q = 0 gives the exact min, q = 1 the exact max; NaN when empty.
   * Throws a RangeError unless 0 <= q <= 1.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`KllSketch.quantile: q must be in [0, 1], got ${q}`);
    const n = this.n;
    if (n === 0) return NaN;
    if (q === 0) return this.fold().lo;
    if (q === 1) return this.fold().hi;
    const { values, cum } = this.sortedView();
    const target = q * n;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  }

  /** `quantile` of each of `qs` (the retained items are sorted once and cached). */
  quantiles(qs: number[]): number[] {
    return qs.map((q) => this.quantile(q));
  }

  /**
   * Estimated fraction of values <= x (with `inclusive` false: < x): 0 when empty or below
   * min, 1 when past max, NaN for NaN.
   */
  cdf(x: number, inclusive = true): number {
    if (Number.isNaN(x)) return NaN;
    const n = this.n;
    if (n === 0) return 0;
    const lo = this.fold().lo;
    if (inclusive ? x < lo : x <= lo) return 0;
    if (inclusive ? x >= this.hi : x > this.hi) return 1;
    const { values, cum } = this.sortedView();
    let a = 0;
    let b = values.length; // first index with values[i] > x (inclusive) or >= x
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (inclusive ? values[mid]! <= x : values[mid]! < x) a = mid + 1;
      else b = mid;
    }
    return a === 0 ? 0 : cum[a - 1]! / n;
  }

  /** True while every value added is still held, each with weight 1 (nothing compacted yet): the sketch is then the data. */
  get holdsAll(): boolean {
    return this.retained === this.n;
  }

  /** Plain-JSON state; `fromJSON(toJSON())` rebuilds an identical sketch (PRNG state included). -0 is written as 0. */
  toJSON(): KllState {
    const plain = (a: Float64Array, len: number): number[] => Array.from(a.subarray(0, len), (v) => v + 0);
    const levels = [plain(this.buf0, this.n0)];
    for (let h = 1; h < this.lv.length; h++) levels.push(plain(this.lv[h]!, this.sz[h]!));
    const empty = this.n === 0;
    this.fold();
    return {
      k: this._k,
      n: this.n,
      min: empty ? null : this.lo + 0,
      max: empty ? null : this.hi + 0,
      levels,
      rng: this.rng,
    };
  }

  /** Rebuilds a sketch from `toJSON()` output; throws an Error naming the first invalid field. */
  static fromJSON(state: unknown): KllSketch {
    const fail: (field: string, why: string) => never = (field, why) => {
      throw new Error(`KllSketch.fromJSON: "${field}" ${why}`);
    };
    if (typeof state !== 'object' || state === null || Array.isArray(state)) fail('state', 'must be an object');
    const { k, n, min, max, levels, rng } = state as Record<string, unknown>;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < M || k > MAX_K) {
      fail('k', `must be an integer in [${M}, ${MAX_K}]`);
    }
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) fail('n', 'must be a non-negative integer');
    if (typeof rng !== 'number' || !Number.isInteger(rng) || rng < 1 || rng > 0xffffffff) {
      fail('rng', 'must be an integer in [1, 2^32 - 1]');
    }
    if (n === 0) {
      if (min !== null) fail('min', 'must be null when n is 0');
      if (max !== null) fail('max', 'must be null when n is 0');
    } else {
      if (typeof min !== 'number' || !Number.isFinite(min)) fail('min', 'must be a finite number');
      if (typeof max !== 'number' || !Number.isFinite(max)) fail('max', 'must be a finite number');
      if (min > max) fail('min', 'must not exceed max');
    }
    const lo = n === 0 ? Infinity : (min as number);
    const hi = n === 0 ? -Infinity : (max as number);
    if (!Array.isArray(levels) || levels.length < 1 || levels.length > MAX_LEVELS) {
      fail('levels', `must be an array of 1 to ${MAX_LEVELS} arrays`);
    }
    const sk = new KllSketch(k, rng);
    let weight = 0;
    levels.forEach((level, h) => {
      if (!Array.isArray(level)) fail(`levels[${h}]`, 'must be an array of numbers');
      const items: unknown[] = level;
      const buf = new Float64Array(items.length);
      items.forEach((v, i) => {
        if (typeof v !== 'number' || !(v >= lo && v <= hi)) {
          fail(`levels[${h}][${i}]`, 'must be a number within [min, max]');
        }
        if (h > 0 && i > 0 && buf[i - 1]! > v) fail(`levels[${h}]`, 'must be sorted ascending');
        buf[i] = v + 0;
      });
      weight += buf.length * 2 ** h;
      if (h === 0) {
        sk.buf0 = buf;
        sk.n0 = buf.length;
      } else {
        sk.lv.push(buf);
        sk.sz.push(buf.length);
      }
    });
    if (weight !== n) fail('levels', `have total weight ${weight}, which does not match n = ${n}`);
    sk.flushed = n - sk.n0;
    sk.lo = lo + 0;
    sk.hi = hi + 0;
    sk.refresh();
    return sk;
  }

  /** Folds the values still in level 0 into `lo`/`hi` (idempotent). */
  private fold(): this {
    for (let i = 0; i < this.n0; i++) {
      const v = this.buf0[i]!;
      if (v < this.lo) this.lo = v;
      if (v > this.hi) this.hi = v;
    }
    return this;
  }

  /**
   * What `compress` does to a level 0 of `pop` values (all[0, pop), at least its capacity, the
   * sketch at full capacity), without holding them in the levels: level 0 is compacted, and the
   * items moved up go on up in scratch, merged with each level's items and compacted, for as long
   * as `compress` would compact that level next. The level where they stop keeps them; `compress`
   * then goes on as it would. The same coin flips, in the same order, give the same sketch; only
   * the levels' arrays stay small (a cascade through levels grown to hold it would keep them large).
   */
  private compactBatch(all: Float64Array, pop: number): void {
    sortPrefix(all, pop);
    if (all[0]! < this.lo) this.lo = all[0]!;
    if (all[pop - 1]! > this.hi) this.hi = all[pop - 1]!;
    const odd0 = pop & 1;
    let start = odd0 + this.coin();
    let carried = pop >>> 1;
    if (odd0 === 1) {
      // (A sketch read from JSON holds arrays of exactly its items, maybe none.)
      if (this.buf0.length === 0) this.growLevel0(16);
      this.buf0[0] = all[0]!;
    }
    this.n0 = odd0;
    this.flushed += pop - odd0;
    this.limit0 -= pop >>> 1;
    if (this.limit0 > this.buf0.length) this.growLevel0(this.limit0);
    // The items moved up: src[start], src[start + 2], ... (`carried` of them).
    let src = all;
    for (let h = 1; ; h++) {
      const s = this.sz[h]!;
      const total = s + carried;
      batchMerged = atLeast(batchMerged, total);
      batchMergedOther = atLeast(batchMergedOther, total);
      const out = src === batchMerged ? batchMergedOther : batchMerged;
      // Level h's items and the ones moved up, merged as `absorb` merges them (level h's first among equals).
      const level = this.lv[h]!;
      let a = 0;
      let o = 0;
      let j = start;
      const end = start + 2 * carried;
      while (a < s && j < end) {
        const d = level[a]!;
        const v = src[j]!;
        if (d <= v) {
          out[o++] = d;
          a++;
        } else {
          out[o++] = v;
          j += 2;
        }
      }
      while (a < s) out[o++] = level[a++]!;
      for (; j < end; j += 2) out[o++] = src[j]!;
      // `compress` compacts level h next only when the sketch is at capacity and level h is at or over
      // its own (every level below holds at most one item now). Otherwise level h keeps them.
      if (this.n0 < this.limit0 || total < this.caps[h]!) {
        if (total > level.length) this.lv[h] = new Float64Array(Math.max(total, 2 * level.length));
        this.lv[h]!.set(out.subarray(0, total));
        this.sz[h] = total;
        break;
      }
      // compact(h): a new level first when h is the top, as compact does.
      if (h === this.lv.length - 1) {
        this.sz[h] = total;
        this.addLevel();
        this.refresh();
      }
      const odd = total & 1;
      start = odd + this.coin();
      carried = total >>> 1;
      if (odd === 1) {
        if (this.lv[h]!.length === 0) this.lv[h] = new Float64Array(16);
        this.lv[h]![0] = out[0]!;
      }
      this.sz[h] = odd;
      this.limit0 += total - odd - (total >>> 1);
      if (this.limit0 > this.buf0.length) this.growLevel0(this.limit0);
      src = out;
    }
    this.compress();
  }

  /** Compacts levels (the lowest at or over capacity first) until the sketch is below total capacity. */
  private compress(): void {
    while (this.n0 >= this.limit0) {
      let h = 0;
      if (this.n0 < this.caps[0]!) {
        h = 1;
        while (this.sz[h]! < this.caps[h]!) h++;
      }
      this.compact(h);
    }
  }

  /**
   * Halves level h into level h + 1: sort (level 0 only; the others are kept sorted), keep the
   * smallest item back if the count is odd, and merge the items at every other remaining position
   * (odd or even, by a coin flip) into the level above.
   */
  private compact(h: number): void {
    if (h === this.lv.length - 1) {
      this.addLevel();
      this.refresh();
    }
    if (h === 0) {
      const pop = this.n0;
      const odd = pop & 1;
      sortPrefix(this.buf0, pop);
      if (this.buf0[0]! < this.lo) this.lo = this.buf0[0]!;
      if (this.buf0[pop - 1]! > this.hi) this.hi = this.buf0[pop - 1]!;
      this.absorb(1, this.buf0, odd + this.coin(), 2, pop >>> 1);
      this.n0 = odd;
      this.flushed += pop - odd;
      this.limit0 -= pop >>> 1;
    } else {
      const pop = this.sz[h]!;
      const odd = pop & 1;
      this.absorb(h + 1, this.lv[h]!, odd + this.coin(), 2, pop >>> 1);
      this.sz[h] = odd;
      this.limit0 += pop - odd - (pop >>> 1);
    }
    if (this.limit0 > this.buf0.length) this.growLevel0(this.limit0);
  }

  /** Merges the sorted items src[start], src[start + step], ... (`count` of them) into level h >= 1. */
  private absorb(h: number, src: Float64Array, start: number, step: number, count: number): void {
    const s = this.sz[h]!;
    const total = s + count;
    let dst = this.lv[h]!;
    if (total > dst.length) {
      const grown = new Float64Array(Math.max(total, 2 * dst.length));
      grown.set(dst.subarray(0, s));
      dst = this.lv[h] = grown;
    }
    let i = s - 1;
    let w = total - 1;
    let j = start + step * (count - 1);
    while (j >= start) {
      const v = src[j]!;
      if (i >= 0 && dst[i]! > v) dst[w--] = dst[i--]!;
      else {
        dst[w--] = v;
        j -= step;
      }
    }
    this.sz[h] = total;
  }

  private addLevel(): void {
    if (this.lv.length >= MAX_LEVELS) throw new Error('KllSketch: too many levels');
    this.lv.push(new Float64Array(16));
    this.sz.push(0);
  }

  private growLevel0(size: number): void {
    const b = new Float64Array(size);
    b.set(this.buf0.subarray(0, this.n0));
    this.buf0 = b;
  }

  /** Recomputes the level capacities (if the level count or k changed) and the level-0 fill limit. */
  private refresh(): void {
    const L = this.lv.length;
    if (this.capsLevels !== L) {
      this.caps.length = 0;
      for (let h = 0; h < L; h++) this.caps.push(levelCapacity(this._k, L, h));
      this.capsLevels = L;
    }
    let limit = 0;
    for (let h = 0; h < L; h++) limit += this.caps[h]! - (h === 0 ? 0 : this.sz[h]!);
    this.limit0 = limit;
    if (limit > this.buf0.length) this.growLevel0(limit);
  }

  /** One fair coin flip (0 or 1) from the xorshift32 generator. */
  private coin(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng >>> 31;
  }

  /** All retained items sorted, with cumulative weights; cached until the sketch changes. */
  private sortedView(): SortedView {
    const n = this.n;
    if (this.view !== null && this.view.n === n) return this.view;
    let values = this.buf0.slice(0, this.n0).sort();
    let weights = new Float64Array(values.length).fill(1);
    for (let h = 1; h < this.lv.length; h++) {
      const b = this.lv[h]!;
      const nb = this.sz[h]!;
      if (nb === 0) continue;
      const wb = 2 ** h;
      const na = values.length;
      const v = new Float64Array(na + nb);
      const w = new Float64Array(na + nb);
      let i = 0;
      let j = 0;
      for (let o = 0; o < na + nb; o++) {
        if (j >= nb || (i < na && values[i]! <= b[j]!)) {
          v[o] = values[i]!;
          w[o] = weights[i++]!;
        } else {
          v[o] = b[j++]!;
          w[o] = wb;
        }
      }
      values = v;
      weights = w;
    }
    for (let i = 1; i < weights.length; i++) weights[i] = weights[i]! + weights[i - 1]!;
    this.view = { n, values, cum: weights };
    return this.view;
  }
}
