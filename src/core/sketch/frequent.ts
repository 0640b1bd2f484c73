/**
 * Frequent-items summary (Misra-Gries, in the mergeable form of Agarwal et al. 2012) that keeps
 * exact counts until the number of distinct keys outgrows it.
 *
 * Counters are kept for up to 2 * capacity keys. When an insert or merge takes the map past that,
 * it is pruned: the (capacity + 1)-th largest count d is subtracted from every counter, counters
 * <= 0 are dropped (leaving at most `capacity`), and d is added to `maxError`.
 *
 * Guarantees, for every key with true count f and reported count c (0 if not tracked):
 * - f - maxError <= c <= f; while `exact` (no prune has ever happened) c = f.
 * - maxError <= total / (capacity + 1), so any key with f > total / (capacity + 1) is tracked.
 * - `total` is always exact; results (`top`, `toJSON`) are deterministic: count desc, key asc.
 */

export interface FrequentItemsState {
  capacity: number;
  exact: boolean;
  maxError: number;
  total: number;
  items: Array<[string, number]>;
}

const MAX_CAPACITY = 1 << 24;

export class FrequentItems {
  readonly capacity: number;
  /** key -> slot in `keys` / `counts`. */
  private index = new Map<string, number>();
  private keys: string[] = [];
  private counts: Float64Array;
  private _exact = true;
  private _maxError = 0;
  private _total = 0;

  /** @param capacity integer in [1, 2^24]: counters kept after a prune (at most 2x before one). */
  constructor(capacity = 1024) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
      throw new RangeError(`FrequentItems: capacity must be an integer in [1, ${MAX_CAPACITY}], got ${capacity}`);
    }
    this.capacity = capacity;
    this.counts = new Float64Array(Math.min(2 * capacity + 1, 64));
  }

  /** Number of keys currently tracked. */
  get size(): number {
    return this.keys.length;
  }
  /** True while every count is exact (no prune has happened). */
  get exact(): boolean {
    return this._exact;
  }
  /** Upper bound on how much any reported count (or an untracked key's 0) underestimates the truth. */
  get maxError(): number {
    return this._maxError;
  }
  /** Sum of all counts added (exact). */
  get total(): number {
    return this._total;
  }

  /** Adds `count` (a positive finite number, normally an integer) occurrences of `key`. */
  add(key: string, count = 1): void {
    if (!(count > 0 && count - count === 0)) {
      throw new RangeError(`FrequentItems.add: count must be a positive finite number, got ${count}`);
    }
    this._total += count;
    const i = this.index.get(key);
    if (i !== undefined) this.counts[i] = this.counts[i]! + count;
    else {
      this.insert(key, count);
      if (this.keys.length > 2 * this.capacity) this.prune();
    }
  }

  /** Reported (lower-bound) count of `key`; 0 if not tracked. The true count is at most this + maxError. */
  get(key: string): number {
    const i = this.index.get(key);
    return i === undefined ? 0 : this.counts[i]!;
  }

  /**
   * Folds `other` into this summary (keeping this capacity): counters are added, then pruned if
   * more than 2 * capacity; maxError and total add up. `other` is not modified.
   */
  merge(other: FrequentItems): void {
    if (!(other instanceof FrequentItems)) throw new TypeError('FrequentItems.merge: argument is not a FrequentItems');
    const keys = other.keys.slice();
    const counts = other.counts.slice(0, keys.length);
    keys.forEach((key, j) => {
      const i = this.index.get(key);
      if (i !== undefined) this.counts[i] = this.counts[i]! + counts[j]!;
      else this.insert(key, counts[j]!);
    });
    this._total += other._total;
    this._maxError += other._maxError;
    this._exact &&= other._exact;
    if (this.keys.length > 2 * this.capacity) this.prune();
  }

  /** The `n` most frequent keys with their counts, by count desc then key asc (code-unit order). */
  top(n: number): Array<[string, number]> {
    const order = this.keys.map((_, i) => i);
    order.sort((a, b) => {
      const d = this.counts[b]! - this.counts[a]!;
      if (d !== 0) return d;
      const ka = this.keys[a]!;
      const kb = this.keys[b]!;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    return order.slice(0, Math.max(0, n)).map((i): [string, number] => [this.keys[i]!, this.counts[i]!]);
  }

  toJSON(): FrequentItemsState {
    return {
      capacity: this.capacity,
      exact: this._exact,
      maxError: this._maxError,
      total: this._total,
      items: this.top(this.keys.length),
    };
  }

  /** Rebuilds a summary from `toJSON()` output; throws an Error naming the invalid field. */
  static fromJSON(state: unknown): FrequentItems {
    const fail: (field: string, why: string) => never = (field, why) => {
      throw new Error(`FrequentItems.fromJSON: "${field}" ${why}`);
    };
    if (typeof state !== 'object' || state === null || Array.isArray(state)) fail('state', 'must be an object');
    const { capacity, exact, maxError, total, items } = state as Record<string, unknown>;
    if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
      fail('capacity', `must be an integer in [1, ${MAX_CAPACITY}]`);
    }
    if (typeof exact !== 'boolean') fail('exact', 'must be a boolean');
    if (typeof maxError !== 'number' || !(maxError >= 0 && maxError < Infinity)) {
      fail('maxError', 'must be a non-negative finite number');
    }
    if (exact && maxError !== 0) fail('maxError', 'must be 0 when exact');
    if (typeof total !== 'number' || !(total >= 0 && total < Infinity)) {
      fail('total', 'must be a non-negative finite number');
    }
    if (!Array.isArray(items)) fail('items', 'must be an array of [key, count] pairs');
    const fi = new FrequentItems(capacity);
    let sum = 0;
    items.forEach((item, i) => {
      const ok =
        Array.isArray(item) &&
        item.length === 2 &&
        typeof item[0] === 'string' &&
        typeof item[1] === 'number' &&
        item[1] > 0 &&
        item[1] < Infinity;
      if (!ok) fail(`items[${i}]`, 'must be a [string, positive number] pair');
      const [key, count] = item as [string, number];
      if (fi.index.has(key)) fail(`items[${i}]`, `repeats the key ${JSON.stringify(key)}`);
      fi.insert(key, count);
      sum += count;
    });
    if (fi.keys.length > 2 * fi.capacity) fail('items', 'holds more than 2 * capacity keys');
    if (sum > total * (1 + 1e-12)) fail('total', 'is smaller than the sum of the item counts');
    fi._exact = exact;
    fi._maxError = maxError;
    fi._total = total;
    return fi;
  }

  private insert(key: string, count: number): void {
    const i = this.keys.length;
    if (i === this.counts.length) {
      const grown = new Float64Array(2 * i);
      grown.set(this.counts);
      this.counts = grown;
    }
    this.index.set(key, i);
    this.keys.push(key);
    this.counts[i] = count;
  }

  /** Subtracts the (capacity + 1)-th largest count from all counters and drops those left <= 0. */
  private prune(): void {
    const n = this.keys.length;
    const d = this.counts.slice(0, n).sort()[n - 1 - this.capacity]!;
    const index = new Map<string, number>();
    let w = 0;
    for (let i = 0; i < n; i++) {
      const c = this.counts[i]! - d;
      if (c > 0) {
        const key = this.keys[i]!;
        this.keys[w] = key;
        this.counts[w] = c;
        index.set(key, w++);
      }
    }
    this.keys.length = w;
    this.index = index;
    this._maxError += d;
    this._exact = false;
  }
}
