/**
 * Scoring a model on rows of a table: its predictions against the truth, and the metrics of
 * evaluate (and of train's own report). Whatever trained the model, what is compared comes
 * from its signature's target (`model.signature.target`):
 * - the truth is the target's column of the table (by name), or a column given instead (a
 *   predictions file's `y_true`, aligned row by row with the table);
 * - classification labels are compared as text, a number as its shortest text (`1.0` reads
 *   as `1`), so a label column of numbers and a class list of strings agree;
 * - regression values are in the target's units (no standardization).
 * Rows without a truth value are left out.
 */
import { classificationMetrics, regressionMetrics } from './metrics.js';
import type { ClassificationMetrics, RegressionMetrics } from './metrics.js';
import type { Table, TableColumn } from '../data/table.js';
import { tableColumn } from '../data/table.js';
import type { ModelTarget, TabularModel } from '../model/model.js';

/**
 * Predictions paired with the truth: `rows` of the table, class indices into `classes`, scores
 * empty without them. A classification also carries how its metrics are taken, so every
 * metric computed from it (whole, per slice, curves) agrees: `positiveClass`, the positive
 * class set by the user (null or absent: the usual choice, see positiveClassIndex in
 * metrics.ts), and `probabilities: false` when the scores only rank rows (no log loss).
 */
export type Scored =
  | {
      task: 'classification';
      classes: string[];
      rows: number[];
      yTrue: number[];
      yPred: number[];
      scores: number[][];
      positiveClass?: string | null;
      probabilities?: boolean;
    }
  | { task: 'regression'; rows: number[]; yTrue: number[]; yPred: number[] };

/** The label of a row as text, or null when missing. */
export function labelOf(column: TableColumn, row: number): string | null {
  if (column.texts) return column.texts[row] ?? null;
  const v = column.numbers[row]!;
  return Number.isNaN(v) ? null : String(v);
}

/** Rows of `rows` that hold a truth value for `target`: a label (classification) or a finite number (regression). */
export function labelledRows(target: ModelTarget, truth: TableColumn, rows: readonly number[]): number[] {
  return target.task === 'classification'
    ? rows.filter((r) => labelOf(truth, r) !== null)
    : rows.filter((r) => Number.isFinite(truth.numbers[r]!));
}

/** The index of the largest value of `row` (the first on ties, as numpy's argmax). */
export function argmax(values: ArrayLike<number>, from = 0, to = values.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (values[i]! > values[best]!) best = i;
  return best - from;
}

export interface ScoreOptions {
  /**
   * Evaluation: a row whose class the model never saw stays in, its class added to the list
   * (score 0) and every prediction for it wrong, so a test set with new classes cannot look
   * better than it is. Without it (training metrics) such rows are left out.
   */
  unseenClasses?: boolean;
  /** The truth, aligned with the table's rows; default the table's column named by the model's target. */
  truth?: TableColumn;
  /** The positive class of a two-class task, by label; null or absent for the usual choice. Kept on the Scored. */
  positiveClass?: string | null;
}

/** Predicts `rows` of `table` with `model` and pairs each prediction with the truth (see the module comment). */
export async function scoreRows(model: TabularModel, table: Table, rows: readonly number[], options: ScoreOptions = {}): Promise<Scored> {
  const target = model.signature.target;
  const truth = options.truth ?? tableColumn(table, target.name, 'target column');
  let kept = labelledRows(target, truth, rows);
  if (target.task === 'regression') {
    const output = await model.predict(table, kept);
    return { task: 'regression', rows: kept, yTrue: kept.map((r) => truth.numbers[r]!), yPred: Array.from(output) };
  }
  let classes = target.classes;
  if (options.unseenClasses) {
    const extra = [...new Set(kept.map((r) => labelOf(truth, r)!).filter((label) => !target.classes.includes(label)))].sort();
    classes = [...target.classes, ...extra];
  } else {
    const known = new Set(target.classes);
    kept = kept.filter((r) => known.has(labelOf(truth, r)!));
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const yTrue = kept.map((r) => index.get(labelOf(truth, r)!)!);
  const output = await model.predict(table, kept);
  const k = target.classes.length;
  const scores: number[][] = [];
  const yPred: number[] = [];
  for (let i = 0; i < kept.length; i++) {
    const row = Array.from(output.subarray(i * k, (i + 1) * k));
    yPred.push(argmax(row));
    for (let c = k; c < classes.length; c++) row.push(0); // the model gives unseen classes no probability
    scores.push(row);
  }
  // A classifier that gives labels only has one-hot "probabilities": no scores to rank or take the log of.
  return {
    task: 'classification',
    classes,
    rows: kept,
    yTrue,
    yPred,
    scores: model.signature.probabilities ? scores : [],
    positiveClass: options.positiveClass ?? null,
  };
}

export type FullMetrics = ClassificationMetrics | RegressionMetrics;

export interface MetricOptions {
  /** The positive class of a two-class task, by label; default the Scored's own (absent: the usual choice). */
  positiveClass?: string | null;
}

/** The metrics of `rows` (indexes into the Scored's rows; default all of them). */
function metricsOfRows(scored: Scored, rows: readonly number[] | null, options: MetricOptions): FullMetrics {
  const pick = <T>(values: T[]): T[] => (rows === null ? values : rows.map((i) => values[i]!));
  if (scored.task === 'regression') return regressionMetrics(pick(scored.yTrue), pick(scored.yPred));
  return classificationMetrics({
    classes: scored.classes,
    yTrue: pick(scored.yTrue),
    yPred: pick(scored.yPred),
    scores: scored.scores.length > 0 ? pick(scored.scores) : undefined,
    probabilities: scored.probabilities,
    positiveClass: options.positiveClass !== undefined ? options.positiveClass : scored.positiveClass,
  });
}

/** The metrics of every scored row (see metrics.ts); `options` overrides what the Scored carries. */
export function fullMetrics(scored: Scored, options: MetricOptions = {}): FullMetrics {
  return metricsOfRows(scored, null, options);
}

/** The metrics of some of the scored rows (indexes into `scored.rows`), taken as fullMetrics takes them: for slices. */
export function subsetMetrics(scored: Scored, indexes: readonly number[], options: MetricOptions = {}): FullMetrics {
  return metricsOfRows(scored, indexes, options);
}

/** The scalar metrics (what gates and reports compare): numbers and nulls only. */
export function scalarMetrics(metrics: FullMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value === 'number' || value === null) out[name] = value;
  }
  return out;
}
