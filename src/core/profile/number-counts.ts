/**
 * Exact counts of distinct numbers while there are few of them (an open-addressing
 * table on typed arrays: the profile's hot path, where a Map costs several times
 * more). Past `capacity` distinct values it gives up and counts nothing more.
 */
export class NumberCounts {
  private readonly keys: Float64Array;
  private readonly counts: Float64Array;
  private readonly used: Uint8Array;
  private readonly mask: number;
  size = 0;
  overflowed = false;

  constructor(readonly capacity: number) {
    let slots = 1;
    while (slots < capacity * 2) slots <<= 1;
    this.keys = new Float64Array(slots);
    this.counts = new Float64Array(slots);
    this.used = new Uint8Array(slots);
    this.mask = slots - 1;
  }

  /** Counts `value` (finite); `hash` is any 32-bit hash of it (the profile already has one). */
  add(value: number, hash: number): void {
    if (this.overflowed) return;
    let i = hash & this.mask;
    while (this.used[i] === 1) {
      if (this.keys[i] === value) {
        this.counts[i]! += 1;
        return;
      }
      i = (i + 1) & this.mask;
    }
    if (this.size === this.capacity) {
      this.overflowed = true;
      return;
    }
    this.used[i] = 1;
    this.keys[i] = value;
    this.counts[i] = 1;
    this.size++;
  }

  /** `add` of each of values[0, count), with its hash in hashes. */
  addAll(values: Float64Array, hashes: Uint32Array, count: number): void {
    for (let i = 0; i < count && !this.overflowed; i++) this.add(values[i]!, hashes[i]!);
  }

  /** [value, count] pairs (unordered). */
  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.used.length; i++) if (this.used[i] === 1) yield [this.keys[i]!, this.counts[i]!];
  }
}
