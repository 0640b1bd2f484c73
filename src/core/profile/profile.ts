/**
 * Column profiles: counts per value kind, moments, a KLL quantile sketch, a
 * HyperLogLog distinct estimate and a frequent-items summary. Every part is
 * mergeable, so the profile of two shards merges into the profile of both, and
 * later steps (drift checks) compare stored profiles without the raw data.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FrequentItems, HyperLogLog, KllSketch, hashNumber, hashNumbers, hashString } from '../sketch/index.js';
import type { FrequentItemsState, HllState, KllState } from '../sketch/index.js';
import { KIND_NAMES, Kind } from '../data/values.js';
import { NumberCounts } from './number-counts.js';
import type { KindName } from '../data/values.js';

export const PROFILE_FORMAT = 'mlops-profile/v1';
/** The file in a model directory holding the profile of its training data (train writes it, drift-check reads it). */
export const TRAINING_PROFILE_FILE = 'profile.json';
/** The column of a training profile (and of serve's prediction log) that holds the model's own predictions. */
export const PREDICTION_COLUMN = '_prediction';
/** KLL accuracy parameter: normalized rank error about 1% at 99% confidence. */
export const KLL_K = 256;
/** Distinct values kept exactly before the frequent-items summary starts to approximate. */
export const FREQUENT_CAPACITY = 1024;
const DATETIME_SALT = 0x5bd1e995;
/** Numbers a column's quantile sketch is given together (`KllSketch.updateBatch`). */
const SKETCH_BATCH = 2048;

export type KindCounts = Record<KindName, number>;

export interface ColumnProfileState {
  name: string;
  counts: KindCounts;
  numeric: { count: number; mean: number; m2: number; min: number; max: number; sketch: KllState } | null;
  distinct: HllState;
  top: FrequentItemsState;
  /** False when numbers had too many distinct values to count: `top` then holds only non-numeric values. */
  numbersInTop: boolean;
  lengths: { count: number; sum: number; min: number; max: number } | null;
  datetime: { min: number; max: number } | null;
}

export interface DatasetProfile {
  format: typeof PROFILE_FORMAT;
  rows: number;
  files: string[];
  columns: ColumnProfileState[];
}

/**
 * A column's quantile sketch (KLL with k = KLL_K), given its numbers one at a time: it holds them
 * back and hands them over together (`KllSketch.updateBatch`), up to SKETCH_BATCH at once, each
 * batch first to `onBatch` when given (the column profile's other summaries of its numbers).
 */
export class BatchedSketch {
  private readonly sketch: KllSketch;
  /** Numbers not yet in the sketch; the buffer grows up to SKETCH_BATCH. */
  private pending = new Float64Array(16);
  private count = 0;

  /** @param seed the sketch's coin-flip seed (KllSketch's default when left out). */
  constructor(
    seed?: number,
    private readonly onBatch: ((values: Float64Array, count: number) => void) | null = null,
  ) {
    this.sketch = new KllSketch(KLL_K, seed);
  }

  add(value: number): void {
    if (this.count === this.pending.length) this.flush();
    this.pending[this.count++] = value;
  }

  /** Adds values[from, to), in order (as `add` would one at a time). */
  addRange(values: Float64Array, from: number, to: number): void {
    let pending = this.pending;
    let count = this.count;
    for (let i = from; i < to; i++) {
      if (count === pending.length) {
        this.count = count;
        this.flush();
        pending = this.pending;
        count = 0;
      }
      pending[count++] = values[i]!;
    }
    this.count = count;
  }

  /** The sketch, with every number added so far. */
  flush(): KllSketch {
    if (this.count > 0) this.onBatch?.(this.pending, this.count);
    this.sketch.updateBatch(this.pending, this.count);
    this.count = 0;
    if (this.pending.length < SKETCH_BATCH) this.pending = new Float64Array(Math.min(SKETCH_BATCH, 4 * this.pending.length));
    return this.sketch;
  }
}

/** The hashes of a batch of numbers (`ColumnProfileBuilder.summarize`), shared by every column. */
let batchHashes = new Uint32Array(SKETCH_BATCH);

export class ColumnProfileBuilder {
  readonly counts = new Float64Array(KIND_NAMES.length);
  private n = 0;
  /** Sums of (value - shift) and its square: shifting by the first value keeps them accurate without a division per value. */
  private shift = 0;
  private sum = 0;
  private sumSquares = 0;
  private min = Infinity;
  private max = -Infinity;
  /** A column's numbers wait here in batches; each batch goes to `summarize`, then to the quantile sketch. */
  private readonly quantiles = new BatchedSketch(undefined, (values, count) => this.summarize(values, count));
  private readonly hll = new HyperLogLog(12);
  private readonly top = new FrequentItems(FREQUENT_CAPACITY);
  private readonly numberCounts = new NumberCounts(FREQUENT_CAPACITY);
  private lenCount = 0;
  private lenSum = 0;
  private lenMin = Infinity;
  private lenMax = -Infinity;
  private dtMin = Infinity;
  private dtMax = -Infinity;

  constructor(readonly name: string) {}

  /** Adds `count` nulls (for example, rows of a JSON Lines file that lack the key). */
  addNulls(count: number): void {
    this.counts[Kind.Null]! += count;
  }

  /**
   * Adds one value. `value` is the number for numeric kinds (0/1 for booleans,
   * epoch ms for datetimes); `text` is required for strings and datetimes.
   */
  add(kind: Kind, value: number, text: string | null, textHash = -1): void {
    if (kind === Kind.Integer || kind === Kind.Number) {
      this.addNumber(kind, value);
      return;
    }
    if (kind === Kind.String) {
      const s = text ?? '';
      this.addStrings(s, textHash >= 0 ? textHash : hashString(s), 1);
      return;
    }
    this.counts[kind]! += 1;
    switch (kind) {
      case Kind.Boolean: {
        const s = value ? 'true' : 'false';
        this.hll.addHash(hashString(s));
        this.top.add(s);
        return;
      }
      case Kind.Datetime: {
        this.hll.addHash((hashNumber(value) ^ DATETIME_SALT) >>> 0);
        this.top.add(text ?? new Date(value).toISOString());
        if (value < this.dtMin) this.dtMin = value;
        if (value > this.dtMax) this.dtMax = value;
        return;
      }
      case Kind.NaN:
      case Kind.Infinity: {
        this.top.add(Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity');
        return;
      }
      default:
        return;
    }
  }

  /** Adds one value of kind Integer or Number (`add`'s numeric path, called directly where the kind is known). */
  addNumber(kind: typeof Kind.Integer | typeof Kind.Number, value: number): void {
    this.counts[kind]! += 1;
    this.quantiles.add(value);
  }

  /** Adds values[from, to), numbers of one kind, in order (as `addNumber` one at a time). */
  addNumbers(kind: typeof Kind.Integer | typeof Kind.Number, values: Float64Array, from: number, to: number): void {
    this.counts[kind]! += to - from;
    this.quantiles.addRange(values, from, to);
  }

  /**
   * A batch of the column's numbers, in the order they came, into the moments, min and max, the
   * distinct count and the exact counts: the same operations in the same order as one number at
   * a time, so the same results, in loops that keep their running values in registers.
   */
  private summarize(values: Float64Array, count: number): void {
    if (this.n === 0) this.shift = values[0]!;
    this.n += count;
    const shift = this.shift;
    let sum = this.sum;
    let sumSquares = this.sumSquares;
    let min = this.min;
    let max = this.max;
    for (let i = 0; i < count; i++) {
      const value = values[i]!;
      const d = value - shift;
      sum += d;
      sumSquares += d * d;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    this.sum = sum;
    this.sumSquares = sumSquares;
    this.min = min;
    this.max = max;
    if (batchHashes.length < count) batchHashes = new Uint32Array(Math.max(count, SKETCH_BATCH));
    hashNumbers(values, count, batchHashes);
    this.hll.addHashes(batchHashes, count);
    if (!this.numberCounts.overflowed) this.numberCounts.addAll(values, batchHashes, count);
  }

  /** Adds `count` copies of one string whose hash is `textHash`: what `count` calls of `add(Kind.String, 0, text, textHash)` add. */
  addStrings(text: string, textHash: number, count: number): void {
    this.counts[Kind.String]! += count;
    this.hll.addHash(textHash);
    this.top.add(text, count);
    this.lenCount += count;
    this.lenSum += text.length * count;
    if (text.length < this.lenMin) this.lenMin = text.length;
    if (text.length > this.lenMax) this.lenMax = text.length;
  }

  /**
   * Whether `distinct` more texts fit in the frequent-items summary before it must prune: until
   * then the summary counts exactly, so its values may be added in any order (counted by text).
   */
  takesTexts(distinct: number): boolean {
    return this.top.size + distinct <= 2 * this.top.capacity;
  }

  toState(): ColumnProfileState {
    // Numbers still held back go into every summary first.
    const sketch = this.quantiles.flush();
    const top = FrequentItems.fromJSON(this.top.toJSON());
    if (!this.numberCounts.overflowed) for (const [value, count] of this.numberCounts.entries()) top.add(String(value), count);
    return {
      name: this.name,
      counts: countsRecord(this.counts),
      numeric:
        this.n > 0
          ? {
              count: this.n,
              mean: this.shift + this.sum / this.n,
              m2: Math.max(0, this.sumSquares - (this.sum * this.sum) / this.n),
              min: this.min,
              max: this.max,
              sketch: sketch.toJSON(),
            }
          : null,
      distinct: this.hll.toJSON(),
      top: top.toJSON(),
      numbersInTop: !this.numberCounts.overflowed,
      lengths: this.lenCount > 0 ? { count: this.lenCount, sum: this.lenSum, min: this.lenMin, max: this.lenMax } : null,
      datetime: this.dtMin <= this.dtMax ? { min: this.dtMin, max: this.dtMax } : null,
    };
  }
}

function countsRecord(counts: Float64Array): KindCounts {
  const out = {} as KindCounts;
  KIND_NAMES.forEach((name, i) => (out[name] = counts[i]!));
  return out;
}

/** Merges two column profiles of the same column (shards of one data set). */
export function mergeColumnStates(a: ColumnProfileState, b: ColumnProfileState): ColumnProfileState {
  const counts = {} as KindCounts;
  for (const name of KIND_NAMES) counts[name] = a.counts[name] + b.counts[name];
  let numeric = a.numeric ?? b.numeric;
  if (a.numeric && b.numeric) {
    // Chan et al.'s parallel update of mean and sum of squared deviations.
    const n = a.numeric.count + b.numeric.count;
    const delta = b.numeric.mean - a.numeric.mean;
    const sketch = KllSketch.fromJSON(a.numeric.sketch);
    sketch.merge(KllSketch.fromJSON(b.numeric.sketch));
    numeric = {
      count: n,
      mean: a.numeric.mean + (delta * b.numeric.count) / n,
      m2: a.numeric.m2 + b.numeric.m2 + (delta * delta * a.numeric.count * b.numeric.count) / n,
      min: Math.min(a.numeric.min, b.numeric.min),
      max: Math.max(a.numeric.max, b.numeric.max),
      sketch: sketch.toJSON(),
    };
  }
  const distinct = HyperLogLog.fromJSON(a.distinct);
  distinct.merge(HyperLogLog.fromJSON(b.distinct));
  const top = FrequentItems.fromJSON(a.top);
  top.merge(FrequentItems.fromJSON(b.top));
  const lengths =
    a.lengths && b.lengths
      ? {
          count: a.lengths.count + b.lengths.count,
          sum: a.lengths.sum + b.lengths.sum,
          min: Math.min(a.lengths.min, b.lengths.min),
          max: Math.max(a.lengths.max, b.lengths.max),
        }
      : (a.lengths ?? b.lengths);
  const datetime =
    a.datetime && b.datetime
      ? { min: Math.min(a.datetime.min, b.datetime.min), max: Math.max(a.datetime.max, b.datetime.max) }
      : (a.datetime ?? b.datetime);
  return {
    name: a.name,
    counts,
    numeric,
    distinct: distinct.toJSON(),
    top: top.toJSON(),
    numbersInTop: a.numbersInTop && b.numbersInTop,
    lengths,
    datetime,
  };
}

/** Merges two data set profiles: columns are matched by name, in first-seen order. */
export function mergeProfiles(a: DatasetProfile, b: DatasetProfile): DatasetProfile {
  const byName = new Map<string, ColumnProfileState>();
  for (const column of a.columns) byName.set(column.name, column);
  for (const column of b.columns) {
    const other = byName.get(column.name);
    if (other) {
      // A column missing from one side counts as null for that side's rows.
      byName.set(column.name, mergeColumnStates(other, column));
    } else {
      byName.set(column.name, withExtraNulls(column, a.rows));
    }
  }
  for (const column of a.columns) {
    if (!b.columns.some((c) => c.name === column.name)) byName.set(column.name, withExtraNulls(byName.get(column.name)!, b.rows));
  }
  return { format: PROFILE_FORMAT, rows: a.rows + b.rows, files: [...a.files, ...b.files], columns: [...byName.values()] };
}

function withExtraNulls(column: ColumnProfileState, rows: number): ColumnProfileState {
  return { ...column, counts: { ...column.counts, null: column.counts.null + rows } };
}

/** Total values of a column (rows it was seen in). */
export function columnTotal(column: ColumnProfileState): number {
  let total = 0;
  for (const name of KIND_NAMES) total += column.counts[name];
  return total;
}

/** The training profile of a model directory (profile.json), or null and why monitoring of drift is off. */
export async function loadTrainingProfile(dir: string): Promise<{ profile: DatasetProfile | null; reason: string | null }> {
  let text: string;
  try {
    text = await readFile(join(dir, TRAINING_PROFILE_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      profile: null,
      reason:
        code === 'ENOENT'
          ? `the model has no ${TRAINING_PROFILE_FILE} (models trained by an older version of train have none; retrain and register to monitor drift)`
          : `${TRAINING_PROFILE_FILE} cannot be read (${(error as Error).message})`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { profile: null, reason: `${TRAINING_PROFILE_FILE} is not valid JSON (${(error as Error).message.slice(0, 200)})` };
  }
  const profile = value as Partial<DatasetProfile> | null;
  if (!profile || typeof profile !== 'object' || profile.format !== PROFILE_FORMAT || !Array.isArray(profile.columns))
    return { profile: null, reason: `${TRAINING_PROFILE_FILE} is not a data profile (format ${PROFILE_FORMAT})` };
  return { profile: profile as DatasetProfile, reason: null };
}
