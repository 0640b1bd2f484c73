/** Scoring a model on rows of a table: predictions, and the metrics of the evaluate step. */
import { classificationMetrics, regressionMetrics } from '../evaluate/metrics.js';
import type { ClassificationMetrics, RegressionMetrics } from '../evaluate/metrics.js';
import type { Table } from '../data/table.js';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { predictEncoded } from './model.js';
import { encodeFeatures, encodeTarget, labelledRows } from './preprocess.js';
import type { Preprocessor } from './preprocess.js';

export type Scored =
  | { task: 'classification'; classes: string[]; rows: number[]; yTrue: number[]; yPred: number[]; scores: number[][] }
  | { task: 'regression'; rows: number[]; yTrue: number[]; yPred: number[] };

/** Predicts the labelled rows among `rows` (rows without a known label are left out). */
export async function scoreRows(model: LayersModel, pre: Preprocessor, table: Table, rows: readonly number[]): Promise<Scored> {
  const kept = labelledRows(pre, table, rows);
  const x = encodeFeatures(pre, table, kept);
  const output = await predictEncoded(model, pre, x, kept.length);
  const target = encodeTarget(pre, table, kept);
  if (pre.target.task === 'regression') {
    const { mean, std } = pre.target;
    return { task: 'regression', rows: kept, yTrue: Array.from(target, (v) => v * std + mean), yPred: Array.from(output) };
  }
  const k = pre.target.classes.length;
  const scores: number[][] = [];
  const yPred: number[] = [];
  for (let i = 0; i < kept.length; i++) {
    const row = Array.from(output.subarray(i * k, (i + 1) * k));
    scores.push(row);
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c]! > row[best]!) best = c;
    yPred.push(best);
  }
  return { task: 'classification', classes: pre.target.classes, rows: kept, yTrue: Array.from(target), yPred, scores };
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
