/** Scoring a model on rows of a table: predictions, and the metrics of the evaluate step. */
import { classificationMetrics, regressionMetrics } from './metrics.js';
import type { ClassificationMetrics, RegressionMetrics } from './metrics.js';
import type { Table } from '../data/table.js';
import type { TabularModel } from '../model/model.js';
import { tableColumn } from '../data/table.js';
import { encodeTarget, labelOf, labelledRows } from '../model/preprocess.js';
import type { Preprocessor } from '../model/preprocess.js';

export type Scored =
  | { task: 'classification'; classes: string[]; rows: number[]; yTrue: number[]; yPred: number[]; scores: number[][] }
  | { task: 'regression'; rows: number[]; yTrue: number[]; yPred: number[] };

/**
 * Predicts `rows`. Rows without a label are left out. With `unseenClasses`
 * (evaluation), a row whose class the model never saw stays in: its class is added
 * to the list (with score 0) and every prediction for it counts as wrong, so a
 * test set with new classes cannot look better than it is. Without it (training
 * metrics), such rows are left out. `pre` is the model's preprocessing (model.preprocess).
 */
export async function scoreRows(
  model: TabularModel,
  pre: Preprocessor,
  table: Table,
  rows: readonly number[],
  unseenClasses = false,
): Promise<Scored> {
  const target = pre.target;
  let kept: number[];
  let classes: string[] = target.task === 'classification' ? target.classes : [];
  let yTrue: number[];
  if (target.task === 'classification' && unseenClasses) {
    const column = tableColumn(table, target.name, 'target column');
    kept = rows.filter((r) => labelOf(column, r) !== null);
    const extra = [...new Set(kept.map((r) => labelOf(column, r)!).filter((label) => !target.classes.includes(label)))].sort();
    classes = [...target.classes, ...extra];
    const index = new Map(classes.map((c, i) => [c, i]));
    yTrue = kept.map((r) => index.get(labelOf(column, r)!)!);
  } else {
    kept = labelledRows(pre, table, rows);
    const encoded = encodeTarget(pre, table, kept);
    yTrue = target.task === 'regression' ? Array.from(encoded, (v) => v * target.std + target.mean) : Array.from(encoded);
  }
  const output = await model.predict(table, kept);
  if (target.task === 'regression') return { task: 'regression', rows: kept, yTrue, yPred: Array.from(output) };
  const k = target.classes.length;
  const scores: number[][] = [];
  const yPred: number[] = [];
  for (let i = 0; i < kept.length; i++) {
    const row = Array.from(output.subarray(i * k, (i + 1) * k));
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
    yPred.push(best);
    for (let c = k; c < classes.length; c++) row.push(0); // the model gives unseen classes no probability
    scores.push(row);
  }
  return { task: 'classification', classes, rows: kept, yTrue, yPred, scores };
}

export type FullMetrics = ClassificationMetrics | RegressionMetrics;

export function fullMetrics(scored: Scored): FullMetrics {
  return scored.task === 'classification'
    ? classificationMetrics({ classes: scored.classes, yTrue: scored.yTrue, yPred: scored.yPred, scores: scored.scores })
    : regressionMetrics(scored.yTrue, scored.yPred);
}

/** The scalar metrics (what gates and reports compare): numbers and nulls only. */
export function scalarMetrics(metrics: FullMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value === 'number' || value === null) out[name] = value;
  }
  return out;
}
