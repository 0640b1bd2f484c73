/**
 * Gates on a candidate model's metrics, with the semantics of TensorFlow Model Analysis'
 * thresholds: a value bound (`lower` <= candidate <= `upper`, TFMA's GenericValueThreshold) and a
 * change bound against the baseline model (TFMA's GenericChangeThreshold), where
 * diff = candidate − baseline and relative = diff / |baseline|:
 * - direction `higher` (higher is better): pass iff diff >= absolute and relative >= relative;
 * - direction `lower` (lower is better): pass iff diff <= absolute and relative <= relative.
 * So `{ metric: accuracy, change: { absolute: -0.01 } }` lets accuracy fall by at most 0.01, and
 * `{ metric: log_loss, change: { relative: 0.05 } }` lets log loss rise by at most 5%. Relative
 * bounds are fractions (0.05 = 5%).
 *
 * The candidate is blessed when every gate passes. Every failing reason is reported, as a sentence
 * a user can act on. A metric missing (or null, or NaN) fails its gate. Without a baseline (the
 * first model) change bounds are skipped, with a note on the check. A baseline of 0 makes the
 * relative change undefined: a relative bound then fails, an absolute bound alone still works.
 *
 * Change bounds allow for floating-point rounding of the difference (a relative tolerance of
 * 1e-12), so 0.84 against 0.85 passes `absolute: -0.01` although 0.84 − 0.85 is −0.010000000000000009
 * in floating point. Value bounds compare exactly.
 *
 * Significance (ours; TFMA's change thresholds judge the point difference only): `significant:
 * true` on a change bound judges the worse end of the paired bootstrap interval of the change
 * (bootstrap.ts) instead of the point difference: its lower end for direction `higher`, its upper
 * end for `lower`, against the same absolute and relative bounds. So
 * `{ metric: accuracy, change: { absolute: 0, significant: true } }` passes when the lower end
 * of the interval of the change is at least 0 (with a small positive bound such as 0.001: above
 * 0, a significant improvement), and `{ absolute: -0.01, significant: true }` when accuracy fell
 * by at most 0.01 at that confidence (non-inferiority). It is a key of `change` rather than of the gate because it
 * qualifies the change bounds only (value bounds judge the candidate alone) and reads as one
 * sentence: the change must be at least 0, significantly. Without a paired interval (no
 * bootstrap, a metrics-file baseline, rows that do not pair, or a metric undefined on every
 * resample) such a gate fails, saying why; an interval from fewer than 90% of the resamples is
 * judged with a note.
 */
import { UserError } from '../errors.js';

export type Direction = 'higher' | 'lower';

export interface ChangeBound {
  /** Bound on candidate − baseline: a minimum for direction `higher`, a maximum for `lower`. */
  absolute?: number;
  /** Bound on (candidate − baseline) / |baseline|, a fraction: a minimum for `higher`, a maximum for `lower`. */
  relative?: number;
  /** Judge the worse end of the paired interval of the change instead of the point difference (see the module comment). */
  significant?: boolean;
}

/** Paired intervals of candidate − baseline per metric (bootstrap.ts), for change bounds with `significant`. */
export interface ChangeIntervals {
  /** The confidence level of the intervals (0.95). */
  confidence: number;
  /** Why there are no paired intervals (one sentence); null when there are. */
  unavailable: string | null;
  differences: Readonly<Record<string, { lower: number | null; upper: number | null; skipped?: number; unreliable?: boolean }>>;
}

export interface Gate {
  metric: string;
  /** Which way is better; default from the metric name (see {@link defaultDirection}). */
  direction?: Direction;
  /** The candidate must be at least this. */
  lower?: number;
  /** The candidate must be at most this. */
  upper?: number;
  /** Bounds on the change against the baseline model. */
  change?: ChangeBound;
}

export interface GateCheck {
  metric: string;
  direction: Direction;
  /** The candidate's value; null when missing or not a number. */
  candidate: number | null;
  /** The baseline's value; null without a baseline or when missing there. */
  baseline: number | null;
  /** candidate − baseline, when both are known. */
  diff: number | null;
  /** diff / |baseline|, when both are known and the baseline is not 0. */
  relative: number | null;
  passed: boolean;
  /** Why the gate failed: one sentence per failed condition; empty when passed. */
  reasons: string[];
  /** What was not checked and why (e.g. change bounds without a baseline). */
  notes: string[];
  /** The paired interval of the change, when a `significant` change bound judged it. */
  interval?: { confidence: number; lower: number; upper: number };
}

export interface Blessing {
  /** True when every gate passed (also when there are no gates). */
  blessed: boolean;
  /** Every failing reason of every gate, in gate order. */
  reasons: string[];
  checks: GateCheck[];
}

/** A bound that can be compared with: a number, not NaN (a bad bound is reported separately). */
const usable = (bound: number | undefined): bound is number => typeof bound === 'number' && !Number.isNaN(bound);

const LOWER_IS_BETTER = new Set(['log_loss', 'mae', 'mse', 'rmse', 'mape']);
const TOLERANCE = 1e-12;

/** Lower is better for log_loss, mae, mse, rmse, mape and names ending in `_loss` or `_error`; higher for the rest. */
export function defaultDirection(metric: string): Direction {
  return LOWER_IS_BETTER.has(metric) || metric.endsWith('_loss') || metric.endsWith('_error') ? 'lower' : 'higher';
}

/** A number for a sentence: up to 6 significant digits, no floating-point noise. */
function fmt(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const rounded = Number(value.toPrecision(6));
  return String(rounded === 0 ? 0 : rounded);
}

/** A fraction as a signed percentage with 3 significant digits: -0.036 → "-3.6%". */
function percent(fraction: number): string {
  const value = Number((fraction * 100).toPrecision(3));
  if (value === 0) return '0%';
  return `${value > 0 ? '+' : ''}${value}%`;
}

/** A relative bound as written in a sentence: -0.01 → "-1%". */
function percentBound(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}

type Lookup = { kind: 'ok'; value: number } | { kind: 'missing' } | { kind: 'nan' } | { kind: 'invalid'; value: unknown };

function lookup(metrics: Record<string, unknown>, metric: string): Lookup {
  const value = Object.hasOwn(metrics, metric) ? metrics[metric] : undefined;
  if (value === undefined || value === null) return { kind: 'missing' };
  if (typeof value !== 'number') return { kind: 'invalid', value };
  if (Number.isNaN(value)) return { kind: 'nan' };
  return { kind: 'ok', value };
}

function available(metrics: Record<string, unknown>): string {
  const names = Object.keys(metrics).filter((name) => typeof metrics[name] === 'number');
  if (names.length === 0) return 'it has no metrics';
  return `it has ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`;
}

/** The sentence describing a change: "f1_macro fell by 0.031 (-3.6%) against the baseline 0.861". */
function describeChange(metric: string, diff: number, relative: number | null, baseline: number): string {
  const rel = relative === null ? '' : ` (${percent(relative)})`;
  if (diff === 0) return `${metric} did not change against the baseline ${fmt(baseline)}`;
  return `${metric} ${diff < 0 ? 'fell' : 'rose'} by ${fmt(Math.abs(diff))}${rel} against the baseline ${fmt(baseline)}`;
}

/** "allows" for a bound that tolerates getting worse, "requires" for one that demands an improvement. */
function verb(higher: boolean, bound: number): string {
  return (higher ? bound <= 0 : bound >= 0) ? 'allows' : 'requires';
}

/**
 * Checks the candidate's metrics against every gate, and against the baseline's metrics for change
 * bounds (`baseline` null: no baseline model yet, change bounds skipped). `intervals`: the paired
 * intervals of the changes, which change bounds with `significant` judge (without them such a
 * bound fails). Never throws on missing or bad values: they fail their gate with a reason.
 */
export function evaluateGates(
  candidate: Record<string, number | null>,
  baseline: Record<string, number | null> | null,
  gates: readonly Gate[],
  intervals: ChangeIntervals | null = null,
): Blessing {
  const checks = gates.map((gate) => checkGate(gate, candidate, baseline, intervals));
  return { blessed: checks.every((c) => c.passed), reasons: checks.flatMap((c) => c.reasons), checks };
}

function checkGate(
  gate: Gate,
  candidate: Record<string, unknown>,
  baseline: Record<string, unknown> | null,
  intervals: ChangeIntervals | null,
): GateCheck {
  const { metric } = gate;
  const direction = gate.direction ?? defaultDirection(metric);
  const reasons: string[] = [];
  const notes: string[] = [];
  const check: GateCheck = {
    metric,
    direction,
    candidate: null,
    baseline: null,
    diff: null,
    relative: null,
    passed: false,
    reasons,
    notes,
  };

  for (const [name, bound] of [
    ['lower', gate.lower],
    ['upper', gate.upper],
    ['change.absolute', gate.change?.absolute],
    ['change.relative', gate.change?.relative],
  ] as const) {
    if (bound !== undefined && (typeof bound !== 'number' || Number.isNaN(bound))) {
      reasons.push(`the gate on ${metric} has ${name} ${typeof bound === 'number' ? 'NaN' : String(bound)}, not a number; fix the gate`);
    }
  }

  const c = lookup(candidate, metric);
  if (c.kind === 'missing') reasons.push(`${metric} is missing from the candidate model's metrics (${available(candidate)})`);
  else if (c.kind === 'nan') reasons.push(`${metric} is NaN for the candidate model`);
  else if (c.kind === 'invalid') reasons.push(`${metric} is not a number for the candidate model (got ${JSON.stringify(c.value)})`);
  if (c.kind === 'nan') check.candidate = NaN;

  if (c.kind === 'ok') {
    const value = c.value;
    check.candidate = value;
    if (usable(gate.lower) && !(value >= gate.lower)) reasons.push(`${metric} ${fmt(value)} is below the minimum ${fmt(gate.lower)}`);
    if (usable(gate.upper) && !(value <= gate.upper)) reasons.push(`${metric} ${fmt(value)} is above the maximum ${fmt(gate.upper)}`);
  }

  const absolute = gate.change?.absolute;
  const relativeBound = gate.change?.relative;
  if (absolute !== undefined || relativeBound !== undefined) {
    if (baseline === null) {
      notes.push(`change bounds on ${metric} skipped: no baseline (this is the first model)`);
    } else {
      const b = lookup(baseline, metric);
      if (b.kind === 'missing') {
        reasons.push(`${metric} is missing from the baseline model's metrics, so its change cannot be checked (${available(baseline)})`);
      } else if (b.kind === 'nan') {
        check.baseline = NaN;
        reasons.push(`${metric} is NaN for the baseline model, so its change cannot be checked`);
      } else if (b.kind === 'invalid') {
        reasons.push(`${metric} is not a number for the baseline model (got ${JSON.stringify(b.value)}), so its change cannot be checked`);
      } else {
        check.baseline = b.value;
        if (c.kind === 'ok') checkChange(check, metric, direction, c.value, b.value, gate.change!, intervals);
      }
    }
  }

  check.passed = reasons.length === 0;
  return check;
}

function checkChange(
  check: GateCheck,
  metric: string,
  direction: Direction,
  value: number,
  base: number,
  change: ChangeBound,
  intervals: ChangeIntervals | null,
): void {
  const { reasons } = check;
  const diff = value - base;
  if (Number.isNaN(diff)) {
    reasons.push(`the change of ${metric} cannot be computed (candidate ${fmt(value)}, baseline ${fmt(base)})`);
    return;
  }
  const relative = base === 0 ? null : diff / Math.abs(base);
  check.diff = diff;
  check.relative = relative;
  const higher = direction === 'higher';
  const scale = Math.max(1, Math.abs(value), Math.abs(base));
  const tolerance = Number.isFinite(scale) ? TOLERANCE * scale : 0;
  let what = describeChange(metric, diff, relative, base);

  // The difference judged: the point difference, or the worse end of the paired interval.
  let judged = diff;
  let by = '';
  if (change.significant === true) {
    const interval = pairedInterval(metric, intervals);
    if (typeof interval === 'string') {
      reasons.push(
        `no paired interval: ${interval}; the gate on ${metric} requires a significant change (change.significant), so it cannot be checked`,
      );
      return;
    }
    const { lower, upper, confidence } = interval;
    check.interval = { confidence, lower, upper };
    judged = higher ? lower : upper;
    const level = `${Number((confidence * 100).toPrecision(6))}%`;
    what = `${what}, ${level} paired interval [${fmt(lower)}, ${fmt(upper)}]`;
    by = ` at the interval's ${higher ? 'lower' : 'upper'} end`;
    if (interval.note) check.notes.push(interval.note);
  }

  if (usable(change.absolute)) {
    const bound = change.absolute;
    const ok = higher ? judged >= bound - tolerance : judged <= bound + tolerance;
    if (!ok) reasons.push(`${what}; the gate ${verb(higher, bound)} a change of at ${higher ? 'least' : 'most'} ${fmt(bound)}${by}`);
  }
  if (usable(change.relative)) {
    const bound = change.relative;
    if (relative === null) {
      reasons.push(
        `${metric}: relative change undefined: baseline is 0, so the gate's relative bound (at ${higher ? 'least' : 'most'} ` +
          `${percentBound(bound)}) cannot be checked; use an absolute bound for this metric`,
      );
    } else {
      const judgedRelative = judged / Math.abs(base);
      const relTolerance = tolerance / Math.abs(base);
      const ok = higher ? judgedRelative >= bound - relTolerance : judgedRelative <= bound + relTolerance;
      if (!ok) {
        reasons.push(
          `${what}; the gate ${verb(higher, bound)} a relative change of at ${higher ? 'least' : 'most'} ${percentBound(bound)}${by}`,
        );
      }
    }
  }
}

/** The paired interval of `metric`'s change, or why there is none. */
function pairedInterval(
  metric: string,
  intervals: ChangeIntervals | null,
): string | { lower: number; upper: number; confidence: number; note: string | null } {
  if (intervals === null) return 'no bootstrap intervals were computed for this evaluation';
  if (intervals.unavailable !== null) return intervals.unavailable;
  const interval = Object.hasOwn(intervals.differences, metric) ? intervals.differences[metric] : undefined;
  if (!interval) return `the bootstrap gives no interval for ${metric}`;
  const { lower, upper } = interval;
  if (typeof lower !== 'number' || typeof upper !== 'number' || Number.isNaN(lower) || Number.isNaN(upper)) {
    return `the change of ${metric} was undefined on every resample`;
  }
  const note = interval.unreliable
    ? `the paired interval of ${metric} is less reliable: ${metric} was undefined on ${interval.skipped ?? 'many'} resamples (more than 10%)`
    : null;
  return { lower, upper, confidence: intervals.confidence, note };
}

// ---------------------------------------------------------------------------------------------
// Parsing

const GATE_KEYS = ['metric', 'direction', 'lower', 'upper', 'change'] as const;
const CHANGE_KEYS = ['absolute', 'relative', 'significant'] as const;
const EXAMPLE = '{ metric: accuracy, lower: 0.8, change: { absolute: -0.01 } }';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describeGot(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function number(value: unknown, at: string, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.push(`${at} must be a finite number, got ${describeGot(value)}`);
    return undefined;
  }
  return value;
}

function unknownKeys(object: Record<string, unknown>, allowed: readonly string[], at: string, problems: string[]): void {
  for (const key of Object.keys(object)) {
    if (!(allowed as readonly string[]).includes(key)) problems.push(`${at}.${key} is not a setting here; allowed: ${allowed.join(', ')}`);
  }
}

/**
 * Gates as written in a config file (a list of mappings). `where` names the list in messages
 * (`evaluate.gates`), so each problem names its key: `evaluate.gates[1].lower must be a finite
 * number, got "high"`. Every problem is reported at once in one UserError. null or undefined (no
 * gates written) gives an empty list. Each gate needs a metric and at least one bound.
 */
export function parseGates(value: unknown, where: string): Gate[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new UserError(`${where} must be a list of gates, got ${describeGot(value)}`, `Write each gate as a list item, e.g. - ${EXAMPLE}`);
  }
  const problems: string[] = [];
  const gates: Gate[] = [];
  value.forEach((item: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(item)) {
      problems.push(`${at} must be a mapping such as ${EXAMPLE}, got ${describeGot(item)}`);
      return;
    }
    unknownKeys(item, GATE_KEYS, at, problems);
    const gate: Gate = { metric: '' };
    if (typeof item.metric === 'string' && item.metric.trim() !== '') gate.metric = item.metric;
    else if (item.metric === undefined) problems.push(`${at}.metric is required: the name of a metric such as accuracy or f1_macro`);
    else problems.push(`${at}.metric must be a metric name such as accuracy or f1_macro, got ${describeGot(item.metric)}`);

    if (item.direction !== undefined) {
      if (item.direction === 'higher' || item.direction === 'lower') gate.direction = item.direction;
      else problems.push(`${at}.direction must be higher or lower, got ${describeGot(item.direction)}`);
    }
    const lower = number(item.lower, `${at}.lower`, problems);
    const upper = number(item.upper, `${at}.upper`, problems);
    if (lower !== undefined) gate.lower = lower;
    if (upper !== undefined) gate.upper = upper;
    if (lower !== undefined && upper !== undefined && lower > upper) {
      problems.push(`${at}.lower (${lower}) is greater than ${at}.upper (${upper}): no value can pass`);
    }

    if (item.change !== undefined) {
      if (!isPlainObject(item.change)) {
        problems.push(
          `${at}.change must be a mapping with absolute and/or relative, e.g. { absolute: -0.01 }, got ${describeGot(item.change)}`,
        );
      } else {
        unknownKeys(item.change, CHANGE_KEYS, `${at}.change`, problems);
        const absolute = number(item.change.absolute, `${at}.change.absolute`, problems);
        const relative = number(item.change.relative, `${at}.change.relative`, problems);
        if (item.change.absolute === undefined && item.change.relative === undefined) {
          problems.push(
            `${at}.change needs absolute or relative (or both), e.g. { absolute: -0.01 } or { relative: -0.02 }` +
              (item.change.significant !== undefined ? '; for a significant improvement: { absolute: 0, significant: true }' : ''),
          );
        }
        const significant = item.change.significant;
        if (significant !== undefined && typeof significant !== 'boolean') {
          problems.push(`${at}.change.significant must be true or false, got ${describeGot(significant)}`);
        }
        if (absolute !== undefined || relative !== undefined) {
          gate.change = {};
          if (absolute !== undefined) gate.change.absolute = absolute;
          if (relative !== undefined) gate.change.relative = relative;
          if (significant === true) gate.change.significant = true;
        }
      }
    }
    if (item.lower === undefined && item.upper === undefined && item.change === undefined) {
      problems.push(`${at} has no bound: give lower, upper or change`);
    }
    gates.push(gate);
  });
  if (problems.length > 0) {
    throw new UserError(
      problems.length === 1 ? `invalid gate: ${problems[0]}` : `invalid gates:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      `A gate is a mapping such as ${EXAMPLE}; relative bounds are fractions (-0.02 = -2%).`,
    );
  }
  return gates;
}
