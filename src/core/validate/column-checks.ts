/**
 * Streaming checks of one column against its schema: every value is checked as it
 * is read; counts and a few sample rows per check are kept, and `finish` turns the
 * counts into anomalies using each check's `mostly` tolerance.
 */
import { Kind, ValueClassifier, parseIsoUtc } from '../data/values.js';
import { resolveCheck, resolveDomain } from '../schema/schema.js';
import type { ColumnSchema, ColumnTypeName, ResolvedCheck, Severity } from '../schema/schema.js';
import type { Anomaly, AnomalyKind, Sample } from './anomalies.js';

/** Gives the current value's text when a check needs it (decoding is deferred until then). */
export interface ValueText {
  text(): string;
}

const MAX_SAMPLE_TEXT = 200;

export interface TallyState {
  count: number;
  samples: Sample[];
  /** What explains the tally beyond its samples (the first one said). */
  note?: string;
}

/** A count of failing values and the first few of them. */
export class Tally {
  count = 0;
  samples: Sample[] = [];
  /** What explains the tally beyond its samples (the first one said). */
  note: string | null = null;
  constructor(
    private readonly limit: number,
    /** Sample texts longer than this are cut (a tally whose samples are rendered later keeps them whole). */
    private readonly maxText = MAX_SAMPLE_TEXT,
  ) {}
  add(file: string, row: number, line: number, value: ValueText | string): void {
    this.count++;
    if (this.samples.length < this.limit) {
      const text = typeof value === 'string' ? value : value.text();
      this.samples.push({ file, row, line, value: clip(text, this.maxText) });
    }
  }
  /** Counts one failing value found out of order (when merging readers): the samples stay the earliest. */
  offer(sample: Sample, files: readonly string[]): void {
    this.count++;
    this.samples = [...this.samples, sample]
      .sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.row - b.row)
      .slice(0, this.limit);
  }
  toState(): TallyState {
    return this.note === null
      ? { count: this.count, samples: this.samples }
      : { count: this.count, samples: this.samples, note: this.note };
  }
  /** Adds another shard's tally; samples stay the earliest by file order, then row. */
  absorb(other: TallyState, files: readonly string[]): void {
    this.count += other.count;
    this.note ??= other.note ?? null;
    if (other.samples.length === 0) return;
    this.samples = [...this.samples, ...other.samples]
      .sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.row - b.row)
      .slice(0, this.limit);
  }
}

export const TALLY_NAMES = ['wrongType', 'belowMin', 'aboveMax', 'notInDomain', 'nan', 'infinity', 'nulls', 'duplicates'] as const;

/**
 * A checker's counts, for merging the work of parallel readers and of shards. The samples of
 * `duplicates` hold the repeated value itself (rendered with where it was first seen by `finish`,
 * once every reader's first places are known).
 */
export interface CheckerState {
  checked: number;
  tallies: Record<TallyName, TallyState>;
  /** Values of a unique column, with where each was first seen: [value, file index * 2^32 + row, line]. */
  unique: Array<[string, number, number]> | null;
}

export type TallyName = (typeof TALLY_NAMES)[number];

const FILE_STRIDE = 4294967296;

const UNSEEN = 0;
const PASSES = 1;
const FAILS = 2;

export class ColumnChecker {
  readonly type: ResolvedCheck<ColumnTypeName>;
  private readonly min?: ResolvedCheck<number>;
  private readonly max?: ResolvedCheck<number>;
  private readonly minText?: string;
  private readonly maxText?: string;
  private readonly domain?: ResolvedCheck<Set<string>>;
  private readonly maxNulls: ResolvedCheck<number>;
  /** First place of each value of a unique column (file index * 2^32 + row), and its line. */
  private readonly unique: Map<string, number> | null;
  private readonly uniqueLines: Map<string, number> | null;
  private readonly severity: Severity;
  private readonly mostly: number;
  /** Precomputed for the per-value path. */
  private readonly numeric: boolean;
  private readonly acceptedKinds: number;
  private readonly ranged: boolean;
  private readonly minValue: number;
  private readonly maxValue: number;
  private readonly allowNaN: boolean;
  private readonly allowInfinity: boolean;
  /** What `passesNumber` lets through: the number kinds the type takes (0 when a domain or unique check needs every value), within these bounds. */
  private readonly plainKinds: number;
  private readonly plainMin: number;
  private readonly plainMax: number;
  /** `passesString`'s verdict per interner slot: UNSEEN, PASSES or FAILS. */
  private slotVerdicts = new Uint8Array(0);
  checked = 0;
  readonly wrongType: Tally;
  readonly belowMin: Tally;
  readonly aboveMax: Tally;
  readonly notInDomain: Tally;
  readonly nan: Tally;
  readonly infinity: Tally;
  readonly nulls: Tally;
  readonly duplicates: Tally;

  constructor(
    readonly name: string,
    readonly schema: ColumnSchema,
    sampleLimit: number,
    /** The files being read, in order (shared, grows as files are opened). */
    private readonly files: readonly string[],
  ) {
    this.severity = schema.severity ?? 'error';
    this.mostly = schema.mostly ?? 1;
    this.type = resolveCheck(schema.type, schema)! as ResolvedCheck<ColumnTypeName>;
    const min = resolveCheck(schema.min, schema);
    const max = resolveCheck(schema.max, schema);
    if (min) ({ check: this.min, text: this.minText } = boundFor(min, this.type.value, name, 'min'));
    if (max) ({ check: this.max, text: this.maxText } = boundFor(max, this.type.value, name, 'max'));
    const domain = resolveDomain(schema);
    if (domain) {
      const classifier = new ValueClassifier([]);
      const canonical = domain.value.map((entry) => {
        const kind = classifier.classifyText(entry);
        return canonicalText(kind, classifier.value, { text: () => entry });
      });
      this.domain = { ...domain, value: new Set(canonical) };
    }
    const nullCheck = resolveCheck(schema.max_null_fraction, schema);
    this.maxNulls = nullCheck ?? { value: schema.nullable === false ? 0 : 1, mostly: 1, severity: this.severity };
    if (schema.nullable === false && nullCheck === undefined) this.maxNulls = { value: 0, mostly: 1, severity: this.severity };
    const type = this.type.value;
    this.numeric = type === 'number' || type === 'integer';
    const kinds: Record<ColumnTypeName, Kind[]> = {
      string: [Kind.Integer, Kind.Number, Kind.NaN, Kind.Infinity, Kind.Boolean, Kind.Datetime, Kind.String],
      number: [Kind.Integer, Kind.Number],
      integer: [Kind.Integer],
      boolean: [Kind.Boolean],
      datetime: [Kind.Datetime],
    };
    this.acceptedKinds = kinds[type].reduce<number>((bits, kind) => bits | (1 << kind), 0);
    this.ranged = (this.numeric || type === 'datetime') && (this.min !== undefined || this.max !== undefined);
    this.minValue = this.min?.value ?? -Infinity;
    this.maxValue = this.max?.value ?? Infinity;
    this.allowNaN = schema.allow_nan === true;
    this.allowInfinity = schema.allow_infinity === true;
    this.unique = schema.unique ? new Map() : null;
    this.uniqueLines = schema.unique ? new Map() : null;
    const numberKinds = (1 << Kind.Integer) | (1 << Kind.Number);
    this.plainKinds = this.domain === undefined && this.unique === null ? this.acceptedKinds & numberKinds : 0;
    this.plainMin = this.ranged ? this.minValue : -Infinity;
    this.plainMax = this.ranged ? this.maxValue : Infinity;
    this.wrongType = new Tally(sampleLimit);
    this.belowMin = new Tally(sampleLimit);
    this.aboveMax = new Tally(sampleLimit);
    this.notInDomain = new Tally(sampleLimit);
    this.nan = new Tally(sampleLimit);
    this.infinity = new Tally(sampleLimit);
    this.nulls = new Tally(sampleLimit);
    // Samples keep the whole repeated value: finish() renders it with its first place.
    this.duplicates = new Tally(sampleLimit, Infinity);
  }

  /** Whether nulls are limited (so null rows are sampled). */
  get tracksNulls(): boolean {
    return this.maxNulls.value < 1;
  }

  /**
   * The fast path for a value of kind Integer or Number: when it passes every check, counts it
   * and returns true, as `check` would; otherwise counts nothing and returns false, and `check`
   * must see it (for a tally and its sample).
   */
  passesNumber(kind: Kind, value: number): boolean {
    if ((this.plainKinds & (1 << kind)) === 0 || value < this.plainMin || value > this.plainMax) return false;
    this.checked++;
    return true;
  }

  /**
   * `passesNumber` for values[from, to), all of one kind (Integer or Number): counts those that
   * pass up to the first that does not, and returns its index (`to` when all pass).
   */
  passesNumbers(kind: Kind, values: Float64Array, from: number, to: number): number {
    if ((this.plainKinds & (1 << kind)) === 0) return from;
    const min = this.plainMin;
    const max = this.plainMax;
    let i = from;
    while (i < to) {
      const value = values[i]!;
      if (value < min || value > max) break;
      i++;
    }
    this.checked += i - from;
    return i;
  }

  /**
   * The fast path for a string the column's interner holds in `slot`, whose text is `text`: when
   * it passes every check, counts it and returns true, as `check` would; otherwise counts nothing
   * and returns false, and `check` must see it. Without a unique check, whether a string passes
   * depends on its text alone, so each slot's verdict is worked out once.
   */
  passesString(slot: number, text: string): boolean {
    if (slot >= this.slotVerdicts.length) {
      const grown = new Uint8Array(Math.max(slot + 1, 2 * this.slotVerdicts.length, 64));
      grown.set(this.slotVerdicts);
      this.slotVerdicts = grown;
    }
    let verdict = this.slotVerdicts[slot]!;
    if (verdict === UNSEEN) verdict = this.slotVerdicts[slot] = this.stringPasses(text) ? PASSES : FAILS;
    if (verdict !== PASSES) return false;
    this.checked++;
    return true;
  }

  /**
   * Whether a string whose text is `text` passes every check by its text alone (there is no
   * unique check), counting nothing: a caller that lets it through counts it (`checked`).
   */
  stringPasses(text: string): boolean {
    return (
      (this.acceptedKinds & (1 << Kind.String)) !== 0 && this.unique === null && (this.domain === undefined || this.domain.value.has(text))
    );
  }

  /** Checks one value (`value` is the number for numeric kinds, epoch ms for datetimes). */
  check(kind: Kind, value: number, text: ValueText, fileIndex: number, row: number, line: number): void {
    if (kind === Kind.Null) {
      if (this.tracksNulls) this.nulls.add(this.files[fileIndex]!, row, line, '(null)');
      return;
    }
    this.checked++;
    if (this.numeric && (kind === Kind.NaN || kind === Kind.Infinity)) {
      if (kind === Kind.NaN ? !this.allowNaN : !this.allowInfinity)
        (kind === Kind.NaN ? this.nan : this.infinity).add(this.files[fileIndex]!, row, line, text);
      return;
    }
    // Which kinds each type takes: a bit per kind.
    if ((this.acceptedKinds & (1 << kind)) === 0) {
      this.wrongType.add(this.files[fileIndex]!, row, line, text);
      return;
    }
    if (this.ranged) {
      if (value < this.minValue) this.belowMin.add(this.files[fileIndex]!, row, line, text);
      if (value > this.maxValue) this.aboveMax.add(this.files[fileIndex]!, row, line, text);
    }
    if (this.domain !== undefined && !this.domain.value.has(canonicalText(kind, value, text))) {
      this.notInDomain.add(this.files[fileIndex]!, row, line, text);
    }
    if (this.unique !== null) {
      const key = text.text();
      const first = this.unique.get(key);
      if (first === undefined) {
        this.unique.set(key, fileIndex * FILE_STRIDE + row);
        this.uniqueLines!.set(key, line);
      } else this.duplicates.add(this.files[fileIndex]!, row, line, key);
    }
  }

  private location(encoded: number): string {
    const fileIndex = Math.floor(encoded / FILE_STRIDE);
    const row = encoded - fileIndex * FILE_STRIDE;
    return this.files.length > 1 ? `row ${row} of ${this.files[fileIndex]}` : `row ${row}`;
  }

  /** The counts and samples and, unless `withUnique` is false, the unique values (null then). */
  toState(withUnique = true): CheckerState {
    const tallies = {} as CheckerState['tallies'];
    for (const name of TALLY_NAMES) tallies[name] = this[name].toState();
    return {
      checked: this.checked,
      tallies,
      unique: this.unique && withUnique ? [...this.uniqueEntries()] : null,
    };
  }

  /**
   * Adds the counts of a checker of the same column that read other rows. `fileOffset`: where
   * the other checker's first file is in this one's files (a shard's files follow the shards before it).
   */
  absorb(other: CheckerState, fileOffset = 0): void {
    this.absorbCounts(other);
    if (other.unique) this.absorbUnique(other.unique, fileOffset);
  }

  /** Adds another checker's counts and samples (not its unique values). */
  absorbCounts(other: Omit<CheckerState, 'unique'>): void {
    this.checked += other.checked;
    for (const name of TALLY_NAMES) this[name].absorb(other.tallies[name], this.files);
  }

  /** Adds another reader's first places of a unique column's values ([value, file index * 2^32 + row, line], its files from `fileOffset` on). */
  absorbUnique(entries: Iterable<readonly [string, number, number]>, fileOffset = 0): void {
    if (!this.unique) return;
    const shift = fileOffset * FILE_STRIDE;
    for (const [key, otherWhere, line] of entries) {
      const where = otherWhere + shift;
      const mine = this.unique.get(key);
      if (mine === undefined) {
        this.unique.set(key, where);
        this.uniqueLines!.set(key, line);
        continue;
      }
      // The same value was first seen by two readers: the later place is a repeat.
      const mineLine = this.uniqueLines!.get(key) ?? 0;
      const [first, later, laterLine] = mine < where ? [mine, where, line] : [where, mine, mineLine];
      this.unique.set(key, first);
      this.uniqueLines!.set(key, first === where ? line : mineLine);
      const fileIndex = Math.floor(later / FILE_STRIDE);
      this.duplicates.offer(
        { file: this.files[fileIndex]!, row: later - fileIndex * FILE_STRIDE, line: laterLine, value: key },
        this.files,
      );
    }
  }

  /** The first place of every value of a unique column, as `absorbUnique` takes them (none for other columns). */
  *uniqueEntries(): Generator<[string, number, number]> {
    if (!this.unique) return;
    for (const [key, where] of this.unique) yield [key, where, this.uniqueLines!.get(key) ?? 0];
  }

  /** True when the column is declared unique (its values are kept). */
  get tracksUnique(): boolean {
    return this.unique !== null;
  }

  /** The duplicates' samples as reports show them: the value and where it was first seen (across every reader). */
  private duplicateSamples(): Sample[] {
    return this.duplicates.samples.map((sample) => {
      const first = this.unique?.get(sample.value);
      const where = first === undefined ? '' : ` (first at ${this.location(first)})`;
      return { ...sample, value: clip(`${sample.value}${where}`, MAX_SAMPLE_TEXT) };
    });
  }

  /** Anomalies from the counts; `total` is the number of rows the column was read in. */
  finish(total: number, nullCount: number): Anomaly[] {
    const anomalies: Anomaly[] = [];
    const column = this.name;
    const nullFraction = total > 0 ? nullCount / total : 0;
    if (nullFraction > this.maxNulls.value + 1e-12) {
      anomalies.push({
        kind: 'too_many_nulls',
        severity: this.maxNulls.severity,
        column,
        message: `${nullCount} of ${total} values (${percent(nullFraction)}) are missing; ${this.maxNulls.value === 0 ? 'none may be' : `at most ${percent(this.maxNulls.value)} may be`}.`,
        expected: this.maxNulls.value === 0 ? 'no missing values' : `null fraction <= ${this.maxNulls.value}`,
        unexpectedCount: nullCount,
        checked: total,
        unexpectedFraction: nullFraction,
        samples: this.nulls.samples,
      });
    }
    const valueCheck = (
      kind: AnomalyKind,
      tally: { count: number; samples: Sample[] },
      checked: number,
      rule: { mostly: number; severity: Severity },
      what: string,
      expected: string,
    ) => {
      if (tally.count === 0 || checked === 0) return;
      const fraction = tally.count / checked;
      if (1 - fraction >= rule.mostly - 1e-12) return;
      const tolerance = rule.mostly < 1 ? `; at least ${percent(rule.mostly)} must pass (mostly: ${rule.mostly})` : '';
      anomalies.push({
        kind,
        severity: rule.severity,
        column,
        message: `${tally.count} of ${checked} values (${percent(fraction)}) ${what}${tolerance}.`,
        expected,
        unexpectedCount: tally.count,
        checked,
        unexpectedFraction: fraction,
        mostly: rule.mostly,
        samples: tally.samples,
      });
    };
    const defaults = { mostly: this.mostly, severity: this.severity };
    const typeName = this.type.value;
    valueCheck('wrong_type', this.wrongType, this.checked, this.type, `are not of type ${typeName}`, `type ${typeName}`);
    const typed = this.checked - this.wrongType.count - this.nan.count - this.infinity.count;
    if (this.min) valueCheck('below_min', this.belowMin, typed, this.min, `are below the minimum ${this.minText}`, `>= ${this.minText}`);
    if (this.max) valueCheck('above_max', this.aboveMax, typed, this.max, `are above the maximum ${this.maxText}`, `<= ${this.maxText}`);
    if (this.domain) {
      const allowed = [...this.domain.value];
      const shown = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, … (${allowed.length} values)` : allowed.join(', ');
      valueCheck('not_in_domain', this.notInDomain, typed, this.domain, 'are outside the allowed values', `one of: ${shown}`);
    }
    valueCheck(
      'nan',
      this.nan,
      this.checked,
      defaults,
      'are NaN, which allow_nan does not permit',
      'no NaN (set allow_nan: true to permit)',
    );
    valueCheck(
      'infinity',
      this.infinity,
      this.checked,
      defaults,
      'are infinite, which allow_infinity does not permit',
      'finite values (set allow_infinity: true to permit)',
    );
    if (this.unique)
      valueCheck(
        'duplicate_value',
        { count: this.duplicates.count, samples: this.duplicateSamples() },
        this.checked,
        defaults,
        'repeat an earlier value in this unique column',
        'unique values',
      );
    return anomalies;
  }
}

function boundFor(
  check: ResolvedCheck<number | string>,
  type: string,
  column: string,
  key: string,
): { check: ResolvedCheck<number>; text: string } {
  if (type === 'datetime') {
    const ms = typeof check.value === 'string' ? parseIsoUtc(check.value) : check.value;
    if (Number.isNaN(ms))
      throw new Error(`columns.${column}.${key}: "${check.value}" is not a date or time (use ISO 8601, e.g. 2024-01-31)`);
    return { check: { ...check, value: ms }, text: String(check.value) };
  }
  if (typeof check.value !== 'number')
    throw new Error(`columns.${column}.${key}: expected a number for a ${type} column, found "${check.value}"`);
  return { check: check as ResolvedCheck<number>, text: String(check.value) };
}

/**
 * The text a domain compares: numbers by value (`007` and `7.0` match `7`), booleans
 * in lower case, NaN and infinities in one spelling, everything else as written. The
 * profile's frequent values use the same forms, so inferred domains match the data.
 */
export function canonicalText(kind: Kind, value: number, text: ValueText): string {
  switch (kind) {
    case Kind.Integer:
    case Kind.Number:
      return String(value);
    case Kind.Boolean:
      return value ? 'true' : 'false';
    case Kind.NaN:
      return 'NaN';
    case Kind.Infinity:
      return value > 0 ? 'Infinity' : '-Infinity';
    default:
      return text.text();
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function percent(fraction: number): string {
  const p = fraction * 100;
  if (p === 0 || p === 100) return `${p}%`;
  if (p < 0.01) return '<0.01%';
  return `${p < 10 ? p.toFixed(2) : p.toFixed(1)}%`;
}
