/**
 * Online monitoring inside the server: for each served model version, the drift of every
 * feature and of the predictions over a rolling window of recent requests, measured against
 * the training profile (profile.json, which train stores in every model directory), and the
 * rolling accuracy (classifiers) or R² (regressors) of the predictions whose true labels come
 * back later (feedback joined on the request id). Prometheus gauges, computed at scrape time.
 *
 * Statistics: the same as drift-check's (core/drift/stats.ts and methods.ts) on a profile
 * reference, so a number on a dashboard is the number `drift-check` gives for the same rows
 * with `method_options.psi.bins: reference-deciles` (drift-check's default PSI bins are
 * Evidently's Sturges bins over both sides, which move with every window; a server needs its
 * bins fixed before the first request):
 * - number features: PSI over the reference's decile bins. The edges are the training
 *   sketch's 10%, ..., 90% quantiles (KLL, duplicates dropped: methods.ts's `psi` on a
 *   profile), the reference shares its CDF steps at those edges, the window's the exact
 *   counts; bins (-inf, e1], (e1, e2], ..., (e_last, inf). Missing values (null, NaN, what
 *   the model gets as missing) are a bucket of their own, counted for the null share and
 *   left out of the PSI, as drift-check leaves them out.
 * - text features: the Jensen-Shannon distance (natural log, scipy's and Evidently's base)
 *   over the training's most frequent categories (up to `maxCategories`, default 50) plus
 *   "other", with missing apart. A category the training never had falls in "other": with
 *   at most `maxCategories` training categories that is exactly drift-check's value (a
 *   category absent from the reference adds b ln 2 to the divergence however it is split);
 *   past that, the tail is one bin.
 * - the prediction: the Jensen-Shannon distance over the classes (+ "other") for a
 *   classifier, PSI over the deciles of the training predictions for a regressor, against
 *   the `_prediction` column of the profile (the model's predictions on its training rows).
 * - drift: at or over the threshold (drift-check's rule, `isDrift`); defaults are
 *   drift-check's own (`METHODS.psi` and `METHODS.jensenshannon`: 0.1 each). The drift share
 *   is the drifted share of the features that have a statistic.
 * - null shares: missing / rows in the window; in training (null + NaN + infinity) / rows of
 *   the column, the cells the model saw as missing (drift-check counts infinities apart).
 *
 * Not enough data: with fewer than `minRows` rows in the window (default 1,000) every
 * window statistic is NaN ("not enough data"; the series stay, so dashboards show a gap
 * and alerts do not fire). The default is 1,000 and not lower because both statistics
 * grow with sampling noise: an unshifted feature's PSI over 10 bins averages about 9 / n
 * for a window of n rows; at 100 rows 40% of healthy features reach PSI 0.1 and 56% reach
 * JS 0.1 (all of them with 50 categories); at 1,000 rows, none and 0.5%.
 *
 * Windows, by time and by count. Rows are counted in buckets: a bucket holds the rows of
 * one `bucketSeconds` slot (default 60 s) and at most a tenth of `windowRows`; a slot with
 * more rows gets several buckets. The window is the newest buckets whose slot is among
 * the last ceil(windowSeconds / bucketSeconds) (default 60, an hour), taken newest first
 * while their rows add up to at most `windowRows` (default 10,000). So a row leaves the
 * window between windowSeconds - bucketSeconds and windowSeconds after it came, and the
 * row cap is approximate to one bucket: a full window holds more than 90% of windowRows
 * and never more. Feedback (labels) has a window of its own, built the same way on the
 * time the labels arrive and the number of labelled rows: the rolling accuracy is that
 * of the labels learned in the last hour, whenever their predictions were made.
 *
 * Cost and memory. `observe` costs O(features) per row: for a number a binary search in
 * at most 9 edges, for a text one Map lookup, then one increment in a Uint32Array; no
 * allocation per row (a request allocates only its Map entry when remembered for feedback).
 * Measured on two modest cores: 0.7 us for a one-record request of 10 features, 2.7 us for
 * 50, plus about 1 us to remember the request for feedback: under 2% of a 0.2 ms request.
 * Buckets are kept in a ring of ceil(windowSeconds / bucketSeconds) + 10 + 2 (default 72)
 * arrays of one count per bin (at most 11 per number feature, maxCategories + 2 per text
 * feature, classes + 1 or 11 for the prediction), 4 bytes each, allocated on first use and
 * then reused: 100 text features of 50 categories take 72 x 5,200 x 4 bytes = 1.5 MB.
 * Statistics are computed at scrape time (a sum over the buckets and one PSI or JS per
 * feature, 0.1 to 0.3 ms), cached until the next row, label or bucket change.
 *
 * Feedback memory. Predictions are remembered by request id for `rememberRows` rows (default
 * 100,000) and `rememberSeconds` (default 24 h), the oldest requests evicted first: a ring of
 * 29 bytes per row (2.9 MB, allocated at the first remembered request) and one Map entry
 * per request (about 100 bytes with a UUID id; at most one per row: 10 MB more when every
 * request is of one record). Ids longer than MAX_ID_LENGTH and requests of more rows than
 * the memory are not remembered; a request id seen again answers for the newer request. A
 * row is labelled once: later labels for it count as invalid. A label outside the class
 * list is a wrong prediction, not an invalid label (the model cannot predict a class it
 * never saw). A detached monitor takes its memory with it: labels for its requests are then
 * unknown ids.
 *
 * Wiring: one `MonitorMetrics` per registry registers the gauges and the feedback counter
 * once; the server attaches an `OnlineMonitor` per served version (stable, canary candidate)
 * and detaches the one it swaps out, whose series then disappear.
 */
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import {
  DelimitedTokenizer,
  FIELD_ESCAPED_QUOTES,
  FIELD_MALFORMED,
  FIELD_QUOTED,
  FIELD_UNTERMINATED,
  unescapeQuotes,
} from '../data/delimited.js';
import type { Table, TableColumn } from '../data/table.js';
import { DEFAULT_NULL_VALUES, Kind, ValueClassifier } from '../data/values.js';
import { cdfOf, columnFromProfile, quantileOf } from '../drift/columns.js';
import type { NumericValues } from '../drift/columns.js';
import { METHODS, isDrift } from '../drift/methods.js';
import { NATURAL_LOG, PSI_BINS, jensenShannon, psi } from '../drift/stats.js';
import type { SignatureFeature } from '../model/model.js';
import { FrequentItems } from '../sketch/index.js';
import { PREDICTION_COLUMN, PROFILE_FORMAT, columnTotal } from '../profile/profile.js';
import type { ColumnProfileState, DatasetProfile } from '../profile/profile.js';
import { HttpError } from './decode.js';
import { parseJsonBody } from './http.js';
import { describeJsonType } from './records.js';
import type { Prediction, ServedModel } from './model.js';

/** Default options (see the header for why minRows is 1,000). */
export const MONITOR_DEFAULTS = {
  windowSeconds: 3600,
  windowRows: 10_000,
  bucketSeconds: 60,
  minRows: 1000,
  minLabelledRows: 100,
  maxCategories: 50,
  rememberRows: 100_000,
  rememberSeconds: 86_400,
} as const;

/** Buckets per row cap: a bucket holds at most windowRows / 10 rows, the cap's precision. */
const BUCKETS_PER_CAP = 10;
/** Request ids longer than this are not remembered (and refused in feedback). */
export const MAX_ID_LENGTH = 256;
/** Labels longer than this are refused in feedback. */
export const MAX_LABEL_LENGTH = 1024;
/** Labels one feedback body may carry. */
export const MAX_FEEDBACK_ITEMS = 100_000;
/** Problems listed in one answer or error message. */
const MAX_PROBLEMS = 10;

export type DriftStatistic = 'psi' | 'jensenshannon';

export interface MonitorOptions {
  /** The time window in seconds (default 3600). */
  windowSeconds?: number;
  /** The row cap of the window (default 10,000; approximate to a tenth of it, see the header). */
  windowRows?: number;
  /** The time slot of a bucket in seconds (default 60). */
  bucketSeconds?: number;
  /** Fewer rows in the window: every window statistic is NaN (default 1,000). */
  minRows?: number;
  /** Fewer labelled rows in the feedback window: accuracy and R² are NaN (default 100). */
  minLabelledRows?: number;
  /** Drift thresholds (default: drift-check's, 0.1 for both). */
  thresholds?: Partial<Record<DriftStatistic, number>>;
  /** Training categories of a text feature with bins of their own (default 50). */
  maxCategories?: number;
  /** Predictions remembered for feedback, in rows (default 100,000; 0 remembers none). */
  rememberRows?: number;
  /** How long a prediction is remembered for feedback, in seconds (default 86,400). */
  rememberSeconds?: number;
  /** Texts that mean "missing" in labels, as in training (default: DEFAULT_NULL_VALUES). */
  nullValues?: readonly string[];
  /** Milliseconds since the epoch (default Date.now); tests inject their own. */
  clock?: () => number;
}

/** What the monitor needs of a served model. */
export interface MonitoredModel {
  /** The `version` label of the server's metrics (String(identity.version)); no comma. */
  version: string;
  features: readonly SignatureFeature[];
  task: 'classification' | 'regression';
  classes: readonly string[];
}

export interface FeatureSnapshot {
  name: string;
  statistic: DriftStatistic;
  /** NaN below minRows or when the window has no values of the feature. */
  value: number;
  /** Null when there is no verdict (value NaN). */
  drifted: boolean | null;
  threshold: number;
  /** NaN below minRows. */
  nullShare: number;
  trainingNullShare: number;
}

export interface MonitorSnapshot {
  version: string;
  windowRows: number;
  enoughData: boolean;
  /** Null when drift monitoring is off (see `OnlineMonitor.driftReason`). */
  features: FeatureSnapshot[] | null;
  /** Drifted share of the features with a statistic; NaN without a verdict. */
  driftShare: number;
  prediction: { statistic: DriftStatistic; value: number; drifted: boolean | null } | null;
  labelled: { rows: number; accuracy: number | null; r2: number | null };
}

/** One label of feedback: for `row` of the request (null: its only record). */
export interface RowLabel {
  row: number | null;
  label: unknown;
}

export type LabelValue = string | number | boolean;

/** One label as parsed from a feedback body. */
export interface FeedbackItem {
  id: string;
  row: number | null;
  label: LabelValue;
}

export interface FeedbackOutcome {
  matched: number;
  unknownId: number;
  invalid: number;
  /** What was wrong, for the first few invalid labels and unknown ids. */
  problems: string[];
}

// ---------------------------------------------------------------------------------------------
// Buckets

/**
 * A ring of count buckets (see the header): each holds the rows of one time slot, up to
 * `rowsPerBucket`. Arrays are allocated on first use and reused when the ring wraps.
 */
class BucketRing<A extends Uint32Array | Float64Array> {
  private readonly arrays: Array<A | undefined>;
  private readonly slots: Float64Array;
  private readonly rowCounts: Float64Array;
  private newest = -1;
  private size = 0;

  constructor(
    readonly width: number,
    readonly capacity: number,
    readonly rowsPerBucket: number,
    private readonly make: (width: number) => A,
    private readonly init: (array: A) => void,
  ) {
    this.arrays = new Array<A | undefined>(capacity);
    this.slots = new Float64Array(capacity);
    this.rowCounts = new Float64Array(capacity);
  }

  /** The ring index of the bucket that takes the next row in time slot `slot`. */
  bucketFor(slot: number): number {
    if (this.size > 0) {
      const i = this.newest;
      // A clock that went back adds to the newest bucket; slots never decrease along the ring.
      if (this.rowCounts[i]! < this.rowsPerBucket && this.slots[i]! >= slot) return i;
      slot = Math.max(slot, this.slots[i]!);
    }
    const i = (this.newest + 1) % this.capacity;
    let array = this.arrays[i];
    if (!array) {
      array = this.make(this.width);
      this.arrays[i] = array;
    }
    this.init(array);
    this.slots[i] = slot;
    this.rowCounts[i] = 0;
    this.newest = i;
    if (this.size < this.capacity) this.size++;
    return i;
  }

  array(i: number): A {
    return this.arrays[i]!;
  }

  addRow(i: number): void {
    this.rowCounts[i]!++;
  }

  /**
   * Visits the buckets of the window, newest first: slots from `firstSlot` on, while their
   * rows add up to at most `maxRows`. Returns the rows of the window.
   */
  window(firstSlot: number, maxRows: number, visit: (array: A) => void): number {
    let rows = 0;
    for (let k = 0, i = this.newest; k < this.size; k++, i = (i - 1 + this.capacity) % this.capacity) {
      if (this.slots[i]! < firstSlot) break;
      const n = this.rowCounts[i]!;
      if (rows + n > maxRows) break;
      rows += n;
      visit(this.arrays[i]!);
    }
    return rows;
  }
}

/** Ring capacity: every bucket the window can hold (one per slot plus the full ones) and the one being filled. */
function ringCapacity(timeSlots: number, rowsPerBucket: number, maxRows: number): number {
  return timeSlots + Math.ceil(maxRows / rowsPerBucket) + 2;
}

// ---------------------------------------------------------------------------------------------
// Feedback memory

/**
 * Predictions of recent requests by id (see the header for the bounds): a ring of rows
 * in sequence order; a request's id, time and row count sit at its first row's slot, and
 * eviction walks the ring from the oldest request (never iterating the Map, whose deleted
 * entries V8 would scan again on every walk).
 */
class PredictionMemory {
  private values: Float64Array | null = null;
  private labelled: Uint8Array | null = null;
  private times: Float64Array | null = null;
  private counts: Uint32Array | null = null;
  private ids: Array<string | undefined> | null = null;
  /** Request id -> sequence number of its first row. */
  private readonly starts = new Map<string, number>();
  /** Sequence number of the next row, and of the oldest remembered request's first row. */
  private next = 0;
  private tail = 0;

  constructor(
    readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  get requests(): number {
    return this.starts.size;
  }

  /** Starts remembering `count` rows of request `id`; returns the first row's sequence number, or -1 when not remembered. */
  begin(id: string, count: number, now: number): number {
    if (count === 0 || count > this.capacity || id.length > MAX_ID_LENGTH) return -1;
    if (!this.values) {
      this.values = new Float64Array(this.capacity);
      this.labelled = new Uint8Array(this.capacity);
      this.times = new Float64Array(this.capacity);
      this.counts = new Uint32Array(this.capacity);
      this.ids = new Array<string | undefined>(this.capacity);
    }
    this.evict(now, this.next + count - this.capacity);
    const start = this.next;
    this.next += count;
    const slot = start % this.capacity;
    this.ids![slot] = id;
    this.times![slot] = now;
    this.counts![slot] = count;
    for (let j = 0; j < count; j++) this.labelled![(start + j) % this.capacity] = 0;
    // An id seen again: the newer request answers to it (the older one's rows wait for eviction).
    this.starts.set(id, start);
    return start;
  }

  /** Drops the oldest requests while their first row is before `before` (to be overwritten) or their time is past the TTL. */
  private evict(now: number, before: number): void {
    const ids = this.ids!;
    while (this.tail < this.next) {
      const slot = this.tail % this.capacity;
      if (this.tail >= before && now - this.times![slot]! <= this.ttlMs) break;
      const id = ids[slot]!;
      if (this.starts.get(id) === this.tail) this.starts.delete(id);
      ids[slot] = undefined;
      this.tail += this.counts![slot]!;
    }
  }

  /** The request's first row (sequence number), its rows and time, or null when not remembered. */
  find(id: string, now: number): { start: number; rows: number; time: number } | null {
    if (this.starts.size === 0) return null;
    this.evict(now, this.next - this.capacity);
    const start = this.starts.get(id);
    if (start === undefined) return null;
    const slot = start % this.capacity;
    return { start, rows: this.counts![slot]!, time: this.times![slot]! };
  }

  set(start: number, row: number, value: number): void {
    this.values![(start + row) % this.capacity] = value;
  }

  value(start: number, row: number): number {
    return this.values![(start + row) % this.capacity]!;
  }

  /** Marks a row labelled; false when it already was. */
  label(start: number, row: number): boolean {
    const slot = (start + row) % this.capacity;
    if (this.labelled![slot]) return false;
    this.labelled![slot] = 1;
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference bins

interface NumericBins {
  kind: 'numeric';
  name: string;
  edges: Float64Array;
  /** Reference shares of the edges.length + 1 bins. */
  reference: Float64Array;
  offset: number;
  trainingNullShare: number;
}

interface CategoryBins {
  kind: 'categorical';
  name: string;
  /** Category -> bin; "other" is bin `categories.size`. */
  categories: Map<string, number>;
  /** Reference counts of the categories.size + 1 bins. */
  reference: Float64Array;
  offset: number;
  trainingNullShare: number;
}

type Bins = NumericBins | CategoryBins;

/** Bins of a bin set, missing excluded. */
function valueBins(bins: Bins): number {
  return bins.kind === 'numeric' ? bins.edges.length + 1 : bins.categories.size + 1;
}

/** The reference's decile edges, as methods.ts's `psi` takes them from a profile (duplicates dropped). */
function decileEdges(values: NumericValues): Float64Array {
  const edges: number[] = [];
  for (let k = 1; k < PSI_BINS; k++) {
    const e = quantileOf(values, k / PSI_BINS);
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  return Float64Array.from(edges);
}

/** The reference's shares in (-inf, e1], ..., (e_last, inf), from its CDF (methods.ts's binSharesFromCdf). */
function referenceShares(values: NumericValues, edges: Float64Array): Float64Array {
  const out = new Float64Array(edges.length + 1);
  let previous = 0;
  for (let i = 0; i < edges.length; i++) {
    const f = cdfOf(values, edges[i]!);
    out[i] = Math.max(0, f - previous);
    previous = f;
  }
  out[edges.length] = Math.max(0, 1 - previous);
  return out;
}

/** Cells the model saw as missing in training: null, NaN and infinities. */
function trainingNullShare(state: ColumnProfileState): number {
  const rows = columnTotal(state);
  return rows > 0 ? (state.counts.null + state.counts.nan + state.counts.infinity) / rows : NaN;
}

/** Bins of a number feature, or the reason it cannot have any. */
function numericBins(state: ColumnProfileState, offset: number): NumericBins | string {
  const numeric = columnFromProfile(state).numeric;
  if (!numeric) return 'no numbers in the training data';
  const edges = decileEdges(numeric);
  return {
    kind: 'numeric',
    name: state.name,
    edges,
    reference: referenceShares(numeric, edges),
    offset,
    trainingNullShare: trainingNullShare(state),
  };
}

/** Bins of a text feature: its most frequent training values (numbers as their text, as drift-check counts them), then "other". */
function categoryBins(state: ColumnProfileState, offset: number, maxCategories: number): CategoryBins | string {
  const column = columnFromProfile(state);
  const counts = new Map(column.texts);
  for (const [key, count] of column.numeric?.counts ?? []) counts.set(key, (counts.get(key) ?? 0) + count);
  const total = column.textCount + (column.numeric?.n ?? 0);
  if (total === 0) return 'no values in the training data';
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, maxCategories);
  const categories = new Map<string, number>();
  const reference = new Float64Array(top.length + 1);
  let kept = 0;
  top.forEach(([key, count], i) => {
    categories.set(key, i);
    reference[i] = count;
    kept += count;
  });
  reference[top.length] = Math.max(0, total - kept);
  return { kind: 'categorical', name: state.name, categories, reference, offset, trainingNullShare: trainingNullShare(state) };
}

/** The prediction's bins: the classes (from the `_prediction` column's counts) or the deciles of the training predictions. */
function predictionBins(state: ColumnProfileState, model: MonitoredModel, offset: number): Bins | string {
  if (model.task === 'regression') return numericBins(state, offset);
  const top = FrequentItems.fromJSON(state.top);
  const categories = new Map<string, number>();
  const reference = new Float64Array(model.classes.length + 1);
  let kept = 0;
  model.classes.forEach((label, i) => {
    categories.set(label, i);
    reference[i] = top.get(label);
    kept += reference[i]!;
  });
  const total = top.total;
  if (total === 0) return 'no predictions in the training profile';
  reference[model.classes.length] = Math.max(0, total - kept);
  return { kind: 'categorical', name: PREDICTION_COLUMN, categories, reference, offset, trainingNullShare: trainingNullShare(state) };
}

/** A number or text reference bin: the bin of `value` among `edges` ((-inf, e1], ..., (e_last, inf)). */
function binOf(edges: Float64Array, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function statisticOf(bins: Bins): DriftStatistic {
  return bins.kind === 'numeric' ? 'psi' : 'jensenshannon';
}

// ---------------------------------------------------------------------------------------------
// The monitor

interface ReferenceBins {
  features: Bins[];
  featureIndex: number[];
  prediction: Bins | null;
  /** Counts per row of the traffic buckets: every bin set's value bins and its missing bin. */
  width: number;
  skipped: Array<{ feature: string; reason: string }>;
  driftReason: string | null;
  predictionReason: string | null;
  labelShift: number;
}

/** The bins of every feature the profile has, and of the prediction, laid out one after the other. */
function referenceBins(model: MonitoredModel, profile: DatasetProfile | null, maxCategories: number, reason?: string): ReferenceBins {
  const out: ReferenceBins = {
    features: [],
    featureIndex: [],
    prediction: null,
    width: 0,
    skipped: [],
    driftReason: null,
    predictionReason: null,
    labelShift: NaN,
  };
  if (!profile) out.driftReason = reason ?? 'no training profile';
  else if (profile.format !== PROFILE_FORMAT || !Array.isArray(profile.columns))
    out.driftReason = `the training profile is not in format ${PROFILE_FORMAT}`;
  if (!profile || out.driftReason !== null) {
    out.predictionReason = out.driftReason;
    return out;
  }
  const readable = (make: () => Bins | string): Bins | string => {
    try {
      return make();
    } catch (error) {
      return `its training profile cannot be read (${(error as Error).message})`;
    }
  };
  const byName = new Map<string, ColumnProfileState>();
  for (const column of profile.columns) byName.set(column.name, column);
  model.features.forEach((feature, index) => {
    const state = byName.get(feature.name);
    const bins = !state
      ? 'not in the training profile'
      : readable(() => (feature.type === 'number' ? numericBins(state, out.width) : categoryBins(state, out.width, maxCategories)));
    if (typeof bins === 'string') {
      out.skipped.push({ feature: feature.name, reason: bins });
      return;
    }
    out.features.push(bins);
    out.featureIndex.push(index);
    out.width += valueBins(bins) + 1;
  });
  const state = byName.get(PREDICTION_COLUMN);
  const bins = state ? readable(() => predictionBins(state, model, out.width)) : `no ${PREDICTION_COLUMN} column in the training profile`;
  if (typeof bins === 'string') out.predictionReason = bins;
  else {
    out.prediction = bins;
    out.width += valueBins(bins) + 1;
  }
  const mean = state?.numeric?.mean;
  if (model.task === 'regression' && typeof mean === 'number' && Number.isFinite(mean)) out.labelShift = mean;
  return out;
}

/** Label window layout: rows, correct, Σd, Σd², Σ(y - ŷ)², min y, max y (d = y - shift). */
const L_ROWS = 0;
const L_CORRECT = 1;
const L_SUM = 2;
const L_SUM2 = 3;
const L_RES2 = 4;
const L_MIN = 5;
const L_MAX = 6;
const LABEL_WIDTH = 7;

function positive(name: string, value: number, integer: boolean): number {
  if (!(value > 0 && Number.isFinite(value)) || (integer && !Number.isInteger(value)))
    throw new RangeError(`OnlineMonitor: ${name} must be a positive ${integer ? 'whole number' : 'number'}, got ${value}`);
  return value;
}

/** The drift and feedback monitor of one served model version (see the header). */
export class OnlineMonitor {
  readonly version: string;
  readonly task: 'classification' | 'regression';
  /** Why drift monitoring is off (no or unreadable profile), or null when it is on. */
  readonly driftReason: string | null;
  /** Features not monitored, and why (not in the profile, no training values). */
  readonly skipped: ReadonlyArray<{ feature: string; reason: string }>;
  /** Why prediction drift is not monitored, or null. */
  readonly predictionReason: string | null;
  readonly thresholds: Readonly<Record<DriftStatistic, number>>;

  private readonly features: Bins[];
  /** Index in the model's features of each monitored feature. */
  private readonly featureIndex: number[];
  private readonly prediction: Bins | null;
  private readonly width: number;
  private readonly traffic: BucketRing<Uint32Array>;
  private readonly labels: BucketRing<Float64Array>;
  private readonly memory: PredictionMemory;
  private readonly bucketMs: number;
  private readonly timeSlots: number;
  private readonly windowRows: number;
  private readonly minRows: number;
  private readonly minLabelledRows: number;
  private readonly clock: () => number;
  private readonly classifier: ValueClassifier;
  private readonly classIndex = new Map<string, number>();
  /** Table columns of the current request, by monitored feature (reused). */
  private readonly columns: Array<TableColumn | undefined>;
  private readonly scratch: Float64Array;
  /** Labels of regressors are summed less this (the mean training prediction, else the first label), for accurate sums of squares. */
  private labelShift: number;
  private mutations = 0;
  private cached: { key: string; snapshot: MonitorSnapshot } | null = null;

  /** A monitor of a served model; `profile` null turns drift monitoring off (feedback still works). */
  static forServedModel(model: ServedModel, profile: DatasetProfile | null, options: MonitorOptions = {}, reason?: string): OnlineMonitor {
    const monitored = {
      version: String(model.identity.version),
      features: model.signature.features,
      task: model.task,
      classes: model.classes,
    };
    return new OnlineMonitor(monitored, profile, options, reason);
  }

  /**
   * `profile`: the parsed training profile, or null (drift monitoring off; `reason` says
   * why, e.g. `loadTrainingProfile`'s reason). Throws a RangeError for invalid options.
   */
  constructor(model: MonitoredModel, profile: DatasetProfile | null, options: MonitorOptions = {}, reason?: string) {
    if (model.version.length === 0 || model.version.includes(','))
      throw new RangeError(
        `OnlineMonitor: the version label must be a non-empty text without commas, got ${JSON.stringify(model.version)}`,
      );
    this.version = model.version;
    this.task = model.task;
    // An option left undefined takes its default.
    const setting = (key: keyof typeof MONITOR_DEFAULTS): number => options[key] ?? MONITOR_DEFAULTS[key];
    const windowSeconds = positive('windowSeconds', setting('windowSeconds'), false);
    const bucketSeconds = positive('bucketSeconds', setting('bucketSeconds'), false);
    this.windowRows = positive('windowRows', setting('windowRows'), true);
    this.minRows = positive('minRows', setting('minRows'), true);
    this.minLabelledRows = positive('minLabelledRows', setting('minLabelledRows'), true);
    const maxCategories = positive('maxCategories', setting('maxCategories'), true);
    const rememberRows = setting('rememberRows');
    if (!(rememberRows >= 0 && Number.isInteger(rememberRows)))
      throw new RangeError(`OnlineMonitor: rememberRows must be a whole number from 0, got ${rememberRows}`);
    const rememberSeconds = positive('rememberSeconds', setting('rememberSeconds'), false);
    this.thresholds = {
      psi: options.thresholds?.psi ?? METHODS.psi.defaultThreshold,
      jensenshannon: options.thresholds?.jensenshannon ?? METHODS.jensenshannon.defaultThreshold,
    };
    this.clock = options.clock ?? Date.now;
    this.classifier = new ValueClassifier(options.nullValues ?? DEFAULT_NULL_VALUES);
    model.classes.forEach((c, i) => this.classIndex.set(c, i));
    this.bucketMs = bucketSeconds * 1000;
    this.timeSlots = Math.ceil(windowSeconds / bucketSeconds);

    // Reference bins, fixed from here on.
    const reference = referenceBins(model, profile, maxCategories, reason);
    this.features = reference.features;
    this.featureIndex = reference.featureIndex;
    this.prediction = reference.prediction;
    this.width = reference.width;
    this.skipped = reference.skipped;
    this.driftReason = reference.driftReason;
    this.predictionReason = reference.predictionReason;
    this.labelShift = reference.labelShift;
    this.columns = new Array<TableColumn | undefined>(this.features.length);
    this.scratch = new Float64Array(this.width);

    const rowsPerBucket = Math.max(1, Math.ceil(this.windowRows / BUCKETS_PER_CAP));
    const capacity = ringCapacity(this.timeSlots, rowsPerBucket, this.windowRows);
    this.traffic = new BucketRing<Uint32Array>(
      this.width,
      capacity,
      rowsPerBucket,
      (n) => new Uint32Array(n),
      (a) => a.fill(0),
    );
    this.labels = new BucketRing<Float64Array>(
      LABEL_WIDTH,
      capacity,
      rowsPerBucket,
      (n) => new Float64Array(n),
      (a) => {
        a.fill(0);
        a[L_MIN] = Infinity;
        a[L_MAX] = -Infinity;
      },
    );
    this.memory = new PredictionMemory(rememberRows, rememberSeconds * 1000);
  }

  /** True when feature and prediction drift are monitored. */
  get driftEnabled(): boolean {
    return this.driftReason === null;
  }

  /** Requests remembered for feedback now. */
  get rememberedRequests(): number {
    return this.memory.requests;
  }

  /**
   * Counts rows of a request in the window and remembers their predictions under
   * `requestId` for feedback. `table` holds the model's feature columns (as records.ts
   * builds them), `rows` the rows predicted and `predictions[i]` the prediction of
   * `rows[i]`. Never throws on data: a missing column counts as missing values.
   */
  observe(table: Table, rows: readonly number[], predictions: readonly Prediction[], requestId: string | null = null): void {
    const n = Math.min(rows.length, predictions.length);
    if (n === 0) return;
    const now = this.clock();
    this.mutations++;
    const features = this.features;
    const columns = this.columns;
    for (let f = 0; f < features.length; f++) {
      const name = features[f]!.name;
      const at = this.featureIndex[f]!;
      const guess = table.columns[at];
      columns[f] = guess && guess.name === name ? guess : table.columns.find((c) => c.name === name);
    }
    const slot = Math.floor(now / this.bucketMs);
    const prediction = this.prediction;
    const classIndex = this.classIndex;
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      const bucket = this.traffic.bucketFor(slot);
      this.traffic.addRow(bucket);
      const counts = this.traffic.array(bucket);
      for (let f = 0; f < features.length; f++) {
        const bins = features[f]!;
        const column = columns[f];
        if (bins.kind === 'numeric') {
          const v = column ? column.numbers[row]! : NaN;
          counts[bins.offset + (v === v ? binOf(bins.edges, v) : bins.edges.length + 1)]!++;
        } else {
          const other = bins.categories.size;
          let bin: number;
          if (!column) bin = other + 1;
          else if (column.texts) {
            const text = column.texts[row];
            bin = text === null || text === undefined ? other + 1 : (bins.categories.get(text) ?? other);
          } else {
            const v = column.numbers[row]!;
            bin = v === v ? (bins.categories.get(String(v)) ?? other) : other + 1;
          }
          counts[bins.offset + bin]!++;
        }
      }
      if (prediction) {
        const p = predictions[i]!;
        if (prediction.kind === 'numeric') {
          const v = 'value' in p ? p.value : NaN;
          counts[prediction.offset + (Number.isFinite(v) ? binOf(prediction.edges, v) : prediction.edges.length + 1)]!++;
        } else {
          const label = 'label' in p ? p.label : null;
          const other = prediction.categories.size;
          counts[prediction.offset + (label === null ? other + 1 : (prediction.categories.get(label) ?? other))]!++;
        }
      }
    }
    if (requestId !== null && this.memory.capacity > 0) {
      const start = this.memory.begin(requestId, n, now);
      if (start >= 0) {
        for (let i = 0; i < n; i++) {
          const p = predictions[i]!;
          this.memory.set(start, i, 'value' in p ? p.value : (classIndex.get(p.label) ?? -1));
        }
      }
    }
  }

  /** When the prediction of request `id` was made (ms), or null when it is not remembered. */
  rememberedAt(id: string): number | null {
    return this.memory.find(id, this.clock())?.time ?? null;
  }

  /**
   * True labels of the records of request `id`: one value per record in order, or
   * `{row, label}` pairs (row null: the request's only record). Labels of classifiers
   * compare as text with the classes (numbers by their canonical text: 1.0 is "1");
   * labels of regressors must be numbers.
   */
  feedback(id: string, labels: ReadonlyArray<LabelValue | RowLabel>): FeedbackOutcome {
    const out: FeedbackOutcome = { matched: 0, unknownId: 0, invalid: 0, problems: [] };
    const now = this.clock();
    const request = this.memory.find(id, now);
    if (!request) {
      out.unknownId = labels.length;
      if (labels.length > 0) out.problems.push(`id ${quote(id)}: no recent prediction has this request id`);
      return out;
    }
    const problem = (message: string) => {
      out.invalid++;
      if (out.problems.length < MAX_PROBLEMS) out.problems.push(message);
    };
    labels.forEach((entry, i) => {
      const pair = entry !== null && typeof entry === 'object' ? (entry as RowLabel) : null;
      let row = pair ? pair.row : i;
      const label = pair ? pair.label : entry;
      const where = `id ${quote(id)}${row === null ? '' : `, row ${row}`}`;
      if (row === null) {
        if (request.rows !== 1) return problem(`${where}: the request had ${request.rows} records; give the row of the label`);
        row = 0;
      }
      if (!(Number.isInteger(row) && row >= 0 && row < request.rows))
        return problem(`${where}: the request had ${request.rows} record${request.rows === 1 ? '' : 's'} (rows 0 to ${request.rows - 1})`);
      const parsed = this.task === 'classification' ? this.classLabel(label) : this.numericLabel(label);
      if (typeof parsed === 'string') return problem(`${where}: ${parsed}`);
      if (!this.memory.label(request.start, row)) return problem(`${where}: already labelled (the first label counts)`);
      const predicted = this.memory.value(request.start, row);
      const bucket = this.labels.bucketFor(Math.floor(now / this.bucketMs));
      this.labels.addRow(bucket);
      const stats = this.labels.array(bucket);
      stats[L_ROWS]!++;
      if (this.task === 'classification') {
        if (parsed.value === predicted && predicted >= 0) stats[L_CORRECT]!++;
      } else {
        const y = parsed.value;
        if (Number.isNaN(this.labelShift)) this.labelShift = y;
        const d = y - this.labelShift;
        stats[L_SUM]! += d;
        stats[L_SUM2]! += d * d;
        stats[L_RES2]! += (y - predicted) ** 2;
        if (y < stats[L_MIN]!) stats[L_MIN] = y;
        if (y > stats[L_MAX]!) stats[L_MAX] = y;
      }
      out.matched++;
      this.mutations++;
    });
    return out;
  }

  /** A classifier's label as its class index (-1: not a class), or what is wrong with it. */
  private classLabel(label: unknown): { value: number } | string {
    let text: string;
    if (typeof label === 'number') {
      if (!Number.isFinite(label)) return `the label ${label} is not a class`;
      text = String(label);
    } else if (typeof label === 'boolean') text = label ? 'true' : 'false';
    else if (typeof label === 'string') {
      const kind = this.classifier.classifyText(label);
      if (kind === Kind.Null || kind === Kind.NaN) return `the label ${quote(label)} means "missing"; leave the record out instead`;
      text =
        kind === Kind.Integer || kind === Kind.Number
          ? String(this.classifier.value)
          : kind === Kind.Boolean
            ? this.classifier.value
              ? 'true'
              : 'false'
            : label;
    } else return `expected a label (a text, a number or a boolean), got ${describeJsonType(label)}`;
    return { value: this.classIndex.get(text) ?? -1 };
  }

  /** A regressor's label as its number, or what is wrong with it. */
  private numericLabel(label: unknown): { value: number } | string {
    if (typeof label === 'number') return Number.isFinite(label) ? { value: label } : `expected a finite number, got ${label}`;
    if (typeof label === 'string') {
      const kind = this.classifier.classifyText(label);
      if (kind === Kind.Integer || kind === Kind.Number) return { value: this.classifier.value };
      return `expected a number, got the text ${quote(label)}`;
    }
    return `expected a number, got ${describeJsonType(label)}`;
  }

  /** The window's statistics now (cached until the next row, label or bucket change). */
  snapshot(): MonitorSnapshot {
    const now = this.clock();
    const slot = Math.floor(now / this.bucketMs);
    const key = `${this.mutations}:${slot}`;
    if (this.cached?.key === key) return this.cached.snapshot;
    const snapshot = this.compute(slot);
    this.cached = { key, snapshot };
    return snapshot;
  }

  private compute(slot: number): MonitorSnapshot {
    const firstSlot = slot - this.timeSlots + 1;
    const sum = this.scratch;
    sum.fill(0);
    const width = this.width;
    const rows = this.traffic.window(firstSlot, this.windowRows, (counts) => {
      for (let j = 0; j < width; j++) sum[j]! += counts[j]!;
    });
    const enoughData = rows >= this.minRows;
    let features: FeatureSnapshot[] | null = null;
    let driftShare = NaN;
    let prediction: MonitorSnapshot['prediction'] = null;
    if (this.driftEnabled) {
      let compared = 0;
      let drifted = 0;
      features = this.features.map((bins) => {
        const result = this.judge(bins, sum, enoughData);
        if (result.drifted !== null) {
          compared++;
          if (result.drifted) drifted++;
        }
        const missing = sum[bins.offset + valueBins(bins)]!;
        return {
          name: bins.name,
          ...result,
          nullShare: enoughData ? missing / rows : NaN,
          trainingNullShare: bins.trainingNullShare,
        };
      });
      driftShare = enoughData && compared > 0 ? drifted / compared : NaN;
      if (this.prediction) {
        const { statistic, value, drifted: verdict } = this.judge(this.prediction, sum, enoughData);
        prediction = { statistic, value, drifted: verdict };
      }
    }
    return {
      version: this.version,
      windowRows: rows,
      enoughData,
      features,
      driftShare,
      prediction,
      labelled: this.labelledStats(firstSlot),
    };
  }

  /** The statistic of one bin set over the window's counts, and its verdict. */
  private judge(bins: Bins, sum: Float64Array, enoughData: boolean): Omit<FeatureSnapshot, 'name' | 'nullShare' | 'trainingNullShare'> {
    const statistic = statisticOf(bins);
    const threshold = this.thresholds[statistic];
    if (!enoughData) return { statistic, value: NaN, drifted: null, threshold };
    const current = sum.subarray(bins.offset, bins.offset + valueBins(bins));
    const value =
      statistic === 'psi' ? psi(bins.reference, current).statistic : jensenShannon(bins.reference, current, NATURAL_LOG).statistic;
    const drifted = Number.isNaN(value) ? null : isDrift(METHODS[statistic], value, null, threshold);
    return { statistic, value, drifted, threshold };
  }

  private labelledStats(firstSlot: number): MonitorSnapshot['labelled'] {
    const t = new Float64Array(LABEL_WIDTH);
    t[L_MIN] = Infinity;
    t[L_MAX] = -Infinity;
    const rows = this.labels.window(firstSlot, this.windowRows, (s) => {
      for (let j = 0; j < L_MIN; j++) t[j]! += s[j]!;
      if (s[L_MIN]! < t[L_MIN]!) t[L_MIN] = s[L_MIN]!;
      if (s[L_MAX]! > t[L_MAX]!) t[L_MAX] = s[L_MAX]!;
    });
    const enough = rows >= this.minLabelledRows;
    if (this.task === 'classification') return { rows, accuracy: enough ? t[L_CORRECT]! / rows : NaN, r2: null };
    let r2 = NaN;
    if (enough && rows >= 2) {
      // scikit-learn's r2_score (force_finite): a constant y_true (exactly: min = max) gives 1 for perfect predictions, else 0.
      if (t[L_MIN] === t[L_MAX]) r2 = t[L_RES2] === 0 ? 1 : 0;
      else r2 = 1 - t[L_RES2]! / Math.max(t[L_SUM2]! - (t[L_SUM]! * t[L_SUM]!) / rows, Number.MIN_VALUE);
    }
    return { rows, accuracy: null, r2 };
  }

  /** The monitored features, in signature order (for status pages). */
  get monitoredFeatures(): string[] {
    return this.features.map((b) => b.name);
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

// ---------------------------------------------------------------------------------------------
// Prometheus

type FeedbackResult = 'matched' | 'unknown_id' | 'invalid';
const FEEDBACK_RESULTS: readonly FeedbackResult[] = ['matched', 'unknown_id', 'invalid'];
/** The version label of feedback that matched no served version. */
export const NO_VERSION = 'none';

/**
 * The monitoring gauges and the feedback counter on a registry (create once per registry),
 * filled at scrape time from the attached monitors. Series (values NaN without a verdict):
 *
 *   mlops_serve_feature_drift{version,feature,statistic}     PSI or Jensen-Shannon
 *   mlops_serve_feature_drifted{version,feature}             1 at or over the threshold, else 0
 *   mlops_serve_feature_null_share{version,feature}          in the window
 *   mlops_serve_feature_training_null_share{version,feature}
 *   mlops_serve_drift_share{version}                         drifted share of the features
 *   mlops_serve_prediction_drift{version,statistic}
 *   mlops_serve_monitor_window_rows{version}
 *   mlops_serve_rolling_accuracy{version}                    classifiers
 *   mlops_serve_rolling_r2{version}                          regressors
 *   mlops_serve_rolling_labelled_rows{version}
 *   mlops_serve_feedback_total{version,result}               counter; version "none" for unknown ids
 *
 * Feature and prediction series exist only for monitors with drift on. Label values are
 * escaped by prom-client; a version label holds no comma, so prom-client's series keys
 * (label values joined with commas) stay distinct whatever a feature's name.
 */
export class MonitorMetrics {
  private readonly attached = new Map<string, OnlineMonitor>();
  private readonly feedbackCounter: Counter<'version' | 'result'>;

  constructor(registry: Registry) {
    const snapshots = () => [...this.attached.values()].map((m) => m.snapshot());
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      fill: (g: Gauge<L>, s: MonitorSnapshot) => void,
    ) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const s of snapshots()) fill(this, s);
        },
      });
    gauge(
      'mlops_serve_feature_drift',
      'Drift of a feature over the monitoring window against the training profile: PSI (number features) or Jensen-Shannon distance, natural log (text features); NaN without enough data.',
      ['version', 'feature', 'statistic'],
      (g, s) => s.features?.forEach((f) => g.set({ version: s.version, feature: f.name, statistic: f.statistic }, f.value)),
    );
    gauge(
      'mlops_serve_feature_drifted',
      'Whether a feature drifted (1: its statistic is at or over its threshold, 0: not; NaN without enough data).',
      ['version', 'feature'],
      (g, s) => s.features?.forEach((f) => g.set({ version: s.version, feature: f.name }, f.drifted === null ? NaN : f.drifted ? 1 : 0)),
    );
    gauge(
      'mlops_serve_feature_null_share',
      'Share of missing values of a feature in the monitoring window (NaN without enough data).',
      ['version', 'feature'],
      (g, s) => s.features?.forEach((f) => g.set({ version: s.version, feature: f.name }, f.nullShare)),
    );
    gauge(
      'mlops_serve_feature_training_null_share',
      'Share of missing values of a feature in the training data (null, NaN and infinite cells).',
      ['version', 'feature'],
      (g, s) => s.features?.forEach((f) => g.set({ version: s.version, feature: f.name }, f.trainingNullShare)),
    );
    gauge(
      'mlops_serve_drift_share',
      'Share of the monitored features that drifted in the monitoring window (NaN without enough data).',
      ['version'],
      (g, s) => {
        if (s.features) g.set({ version: s.version }, s.driftShare);
      },
    );
    gauge(
      'mlops_serve_prediction_drift',
      "Drift of the model's predictions against its predictions on the training rows: Jensen-Shannon distance over the classes, or PSI (regression); NaN without enough data.",
      ['version', 'statistic'],
      (g, s) => {
        if (s.prediction) g.set({ version: s.version, statistic: s.prediction.statistic }, s.prediction.value);
      },
    );
    gauge('mlops_serve_monitor_window_rows', 'Rows in the monitoring window.', ['version'], (g, s) =>
      g.set({ version: s.version }, s.windowRows),
    );
    gauge(
      'mlops_serve_rolling_accuracy',
      'Accuracy of the predictions labelled by feedback in the window (classifiers; NaN below the minimum of labelled rows).',
      ['version'],
      (g, s) => {
        if (s.labelled.accuracy !== null) g.set({ version: s.version }, s.labelled.accuracy);
      },
    );
    gauge(
      'mlops_serve_rolling_r2',
      'R² of the predictions labelled by feedback in the window (regressors; NaN below the minimum of labelled rows).',
      ['version'],
      (g, s) => {
        if (s.labelled.r2 !== null) g.set({ version: s.version }, s.labelled.r2);
      },
    );
    gauge('mlops_serve_rolling_labelled_rows', 'Rows labelled by feedback in the window.', ['version'], (g, s) =>
      g.set({ version: s.version }, s.labelled.rows),
    );
    this.feedbackCounter = new Counter({
      name: 'mlops_serve_feedback_total',
      help: 'Labels received as feedback, by model version and result: matched (joined to a prediction), unknown_id (no recent prediction has the id; version "none"), invalid.',
      labelNames: ['version', 'result'],
      registers: [registry],
    });
    this.feedbackCounter.inc({ version: NO_VERSION, result: 'unknown_id' }, 0);
  }

  /** Serves the monitor's series from the next scrape on; replaces a monitor of the same version label. */
  attach(monitor: OnlineMonitor): void {
    this.attached.set(monitor.version, monitor);
    this.feedbackCounter.inc({ version: monitor.version, result: 'matched' }, 0);
    this.feedbackCounter.inc({ version: monitor.version, result: 'invalid' }, 0);
  }

  /** Removes a version's monitor and every series of it (a swapped-out version). */
  detach(monitor: OnlineMonitor | string): void {
    const version = typeof monitor === 'string' ? monitor : monitor.version;
    if (typeof monitor !== 'string' && this.attached.get(version) !== monitor) return;
    this.attached.delete(version);
    for (const result of FEEDBACK_RESULTS) this.feedbackCounter.remove({ version, result });
  }

  get monitors(): OnlineMonitor[] {
    return [...this.attached.values()];
  }

  /**
   * Joins labels (parseFeedback's items) to the attached monitors by request id (the
   * monitor with the most recent prediction of that id) and counts the results.
   */
  feedback(items: readonly FeedbackItem[]): FeedbackOutcome {
    const byId = new Map<string, RowLabel[]>();
    for (const item of items) {
      let list = byId.get(item.id);
      if (!list) byId.set(item.id, (list = []));
      list.push({ row: item.row, label: item.label });
    }
    const total: FeedbackOutcome = { matched: 0, unknownId: 0, invalid: 0, problems: [] };
    for (const [id, labels] of byId) {
      let best: OnlineMonitor | null = null;
      let bestTime = -Infinity;
      for (const monitor of this.attached.values()) {
        const time = monitor.rememberedAt(id);
        if (time !== null && time > bestTime) {
          best = monitor;
          bestTime = time;
        }
      }
      let outcome: FeedbackOutcome;
      if (best) outcome = best.feedback(id, labels);
      else
        outcome = {
          matched: 0,
          unknownId: labels.length,
          invalid: 0,
          problems: [`id ${quote(id)}: no recent prediction has this request id`],
        };
      const version = best?.version ?? NO_VERSION;
      if (outcome.matched > 0) this.feedbackCounter.inc({ version, result: 'matched' }, outcome.matched);
      if (outcome.invalid > 0) this.feedbackCounter.inc({ version, result: 'invalid' }, outcome.invalid);
      if (outcome.unknownId > 0) this.feedbackCounter.inc({ version: NO_VERSION, result: 'unknown_id' }, outcome.unknownId);
      total.matched += outcome.matched;
      total.unknownId += outcome.unknownId;
      total.invalid += outcome.invalid;
      for (const p of outcome.problems) if (total.problems.length < MAX_PROBLEMS) total.problems.push(p);
    }
    return total;
  }
}

// ---------------------------------------------------------------------------------------------
// Feedback bodies

const JSON_TYPES = new Set(['application/json', 'text/json']);
const JSONL_TYPES = new Set([
  'application/x-ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
  'application/json-lines',
]);
const CSV_TYPES = new Set(['text/csv', 'application/csv']);
const TSV_TYPES = new Set(['text/tab-separated-values']);

/** Collects the labels of a body and what is wrong with its entries. */
class FeedbackSink {
  readonly items: FeedbackItem[] = [];
  readonly problems: string[] = [];
  problemCount = 0;

  constructor(private readonly maxItems: number) {}

  problem(message: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(message);
  }

  add(item: FeedbackItem): void {
    if (this.items.length >= this.maxItems)
      throw new HttpError(413, `more than ${this.maxItems} labels in one feedback body; send them in several requests`);
    this.items.push(item);
  }

  result(): FeedbackItem[] {
    if (this.problemCount > 0) {
      const more = this.problemCount > this.problems.length ? `; and ${this.problemCount - this.problems.length} more` : '';
      throw new HttpError(
        400,
        `${this.problemCount} malformed feedback ${this.problemCount === 1 ? 'entry' : 'entries'}: ${this.problems.join('; ')}${more}`,
      );
    }
    if (this.items.length === 0) throw new HttpError(400, 'the feedback holds no labels');
    return this.items;
  }
}

/** A request id, or what is wrong with it. */
function checkId(value: unknown): string | null {
  if (typeof value !== 'string') return `expected the request id as a text, got ${describeJsonType(value)}`;
  if (value.length === 0) return 'the request id is empty';
  if (value.length > MAX_ID_LENGTH) return `the request id has ${value.length} characters, more than ${MAX_ID_LENGTH}`;
  return null;
}

/** A label value, or what is wrong with it. */
function checkLabel(value: unknown): string | null {
  if (value === null || value === undefined) return 'a label is required (leave out records without one)';
  if (typeof value === 'string') {
    if (value.length === 0) return 'the label is empty';
    if (value.length > MAX_LABEL_LENGTH) return `the label has ${value.length} characters, more than ${MAX_LABEL_LENGTH}`;
    return null;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return null;
  return `expected a label (a text, a number or a boolean), got ${describeJsonType(value)}`;
}

/** A row number, or what is wrong with it. */
function checkRow(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return null;
  return `expected the record's index in its request (a whole number from 0), got ${typeof value === 'number' ? value : describeJsonType(value)}`;
}

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * One feedback entry ({id, labels} or {id, label, row?}) into the sink. `at(field)` names a
 * field of the entry in messages (`feedback[2].labels[0]`, `line 4, "label"`).
 */
function readEntry(entry: unknown, where: string, at: (field: string) => string, sink: FeedbackSink): void {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    sink.problem(`${where}: expected an object with "id" and "labels" (or "label"), got ${describeJsonType(entry)}`);
    return;
  }
  const e = entry as Record<string, unknown>;
  const idProblem = has(e, 'id') ? checkId(e.id) : 'the request id is missing';
  if (idProblem) sink.problem(`${at('id')}: ${idProblem}`);
  const hasLabels = has(e, 'labels');
  const hasLabel = has(e, 'label');
  if (hasLabels === hasLabel) {
    sink.problem(
      hasLabels
        ? `${where}: give "labels" or "label", not both`
        : `${where}: "labels" (one per record of the request, in order) or "label" (with "row") is missing`,
    );
    return;
  }
  if (hasLabels) {
    if (has(e, 'row')) sink.problem(`${at('row')}: "row" goes with "label"; "labels" give every record in order`);
    if (!Array.isArray(e.labels) || e.labels.length === 0) {
      sink.problem(
        `${at('labels')}: expected a non-empty array of labels, got ${Array.isArray(e.labels) ? 'an empty array' : describeJsonType(e.labels)}`,
      );
      return;
    }
    (e.labels as unknown[]).forEach((label, i) => {
      const problem = checkLabel(label);
      if (problem) sink.problem(`${at(`labels`)}[${i}]: ${problem}`);
      else if (!idProblem) sink.add({ id: e.id as string, row: i, label: label as LabelValue });
    });
    return;
  }
  const labelProblem = checkLabel(e.label);
  if (labelProblem) sink.problem(`${at('label')}: ${labelProblem}`);
  const row = has(e, 'row') && e.row !== null ? e.row : null;
  const rowProblem = row === null ? null : checkRow(row);
  if (rowProblem) sink.problem(`${at('row')}: ${rowProblem}`);
  if (!idProblem && !labelProblem && !rowProblem) sink.add({ id: e.id as string, row: row as number | null, label: e.label as LabelValue });
}

function jsonFeedback(body: unknown, sink: FeedbackSink): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new HttpError(
      400,
      `the feedback must be a JSON object {"id": ..., "labels": [...]} or {"feedback": [...]}, got ${describeJsonType(body)}`,
    );
  const b = body as Record<string, unknown>;
  if (has(b, 'feedback')) {
    if (!Array.isArray(b.feedback)) throw new HttpError(400, `feedback: expected an array of entries, got ${describeJsonType(b.feedback)}`);
    (b.feedback as unknown[]).forEach((entry, i) => readEntry(entry, `feedback[${i}]`, (field) => `feedback[${i}].${field}`, sink));
    return;
  }
  readEntry(b, 'the feedback', (field) => field, sink);
}

function jsonLinesFeedback(text: string, sink: FeedbackSink): void {
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      sink.problem(`line ${i + 1}: not valid JSON (${(error as Error).message.slice(0, 120)})`);
      return;
    }
    readEntry(value, `line ${i + 1}`, (field) => `line ${i + 1}, "${field}"`, sink);
  });
}

/** A labels file: a header with `id`, `label` and optionally `row` (other columns are ignored), a label per line. */
function delimitedFeedback(buf: Buffer, delimiter: number, sink: FeedbackSink): void {
  let start = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  let header: string[] | null = null;
  let idAt = -1;
  let labelAt = -1;
  let rowAt = -1;
  const tokenizer = new DelimitedTokenizer(delimiter);
  tokenizer.tokenize(buf, start, buf.length, true, {
    record(b, starts, ends, flags, count, line) {
      const fields: string[] = [];
      for (let i = 0; i < count; i++) {
        const text = b.toString('utf8', starts[i]!, ends[i]!);
        fields.push(flags[i]! & FIELD_ESCAPED_QUOTES ? unescapeQuotes(text) : text);
      }
      if (count === 1 && fields[0] === '' && !(flags[0]! & FIELD_QUOTED)) return; // a blank line
      let malformed = -1;
      for (let i = 0; i < count; i++) if (flags[i]! & (FIELD_MALFORMED | FIELD_UNTERMINATED)) malformed = i;
      if (!header) {
        header = fields.map((f) => f.trim());
        idAt = header.indexOf('id');
        labelAt = header.indexOf('label');
        rowAt = header.indexOf('row');
        if (idAt < 0 || labelAt < 0)
          throw new HttpError(
            400,
            `line ${line}: the header of a labels file needs the columns "id" and "label" (and "row" for requests of several records); got ${header.map((h) => JSON.stringify(h)).join(', ')}`,
          );
        return;
      }
      if (malformed >= 0) {
        sink.problem(
          `line ${line}, column "${header[malformed] ?? malformed + 1}": a quote is not closed, or text follows a closing quote`,
        );
        return;
      }
      const id = fields[idAt] ?? '';
      const label = fields[labelAt] ?? '';
      const rowText = rowAt >= 0 ? (fields[rowAt] ?? '').trim() : '';
      const idProblem = checkId(id);
      if (idProblem) sink.problem(`line ${line}, column "id": ${idProblem}`);
      const labelProblem = checkLabel(label);
      if (labelProblem) sink.problem(`line ${line}, column "label": ${labelProblem}`);
      let row: number | null = null;
      if (rowText !== '') {
        row = /^\d{1,15}$/.test(rowText) ? Number(rowText) : NaN;
        if (Number.isNaN(row)) sink.problem(`line ${line}, column "row": expected a whole number from 0, got ${quote(rowText)}`);
      }
      if (!idProblem && !labelProblem && !Number.isNaN(row)) sink.add({ id, row, label });
    },
  });
  if (!header) throw new HttpError(400, 'the labels file is empty: give a header with "id" and "label", then a label per line');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A feedback body into labels. `body` is the raw Buffer (read by `content-type`: JSON
 * when absent) or an already parsed JSON value. JSON: `{"id": "...", "labels": [...]}` (one
 * label per record of the request, in order) or `{"feedback": [{"id", "labels"} | {"id",
 * "label", "row"?}, ...]}`. JSON Lines: one such entry per line. CSV/TSV: a labels file with
 * the columns `id`, `label` and optional `row` (a labels file joined on the request id).
 * Throws HttpError 400 listing the malformed entries (entry or line, and field), 413 past
 * `maxItems` labels, 415 for another content type.
 */
export function parseFeedback(body: unknown, contentType?: string | null, options: { maxItems?: number } = {}): FeedbackItem[] {
  const sink = new FeedbackSink(options.maxItems ?? MAX_FEEDBACK_ITEMS);
  if (!Buffer.isBuffer(body)) {
    jsonFeedback(body, sink);
    return sink.result();
  }
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === '' || JSON_TYPES.has(media)) {
    jsonFeedback(parseJsonBody(body), sink);
    return sink.result();
  }
  const delimiter = CSV_TYPES.has(media) ? 44 : TSV_TYPES.has(media) ? 9 : -1;
  if (delimiter < 0 && !JSONL_TYPES.has(media))
    throw new HttpError(
      415,
      `feedback in ${JSON.stringify(media)} is not supported: send application/json, application/x-ndjson (JSON Lines) or text/csv (a labels file with id, label and row)`,
    );
  if (body.length === 0) throw new HttpError(400, 'the request has no body: send the labels');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError(400, 'the body is not valid UTF-8');
  }
  if (delimiter < 0) jsonLinesFeedback(text, sink);
  else delimitedFeedback(body, delimiter, sink);
  return sink.result();
}
