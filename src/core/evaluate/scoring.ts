/**
 * Scoring for evaluate: a model directory on test rows, or a predictions file from any
 * framework, into full metrics plus the scored rows (which slices and curves are computed
 * from). Models are loaded and scored by core/train; this module only adapts their result.
 */
import { readTable, tableColumn } from '../data/table.js';
import type { Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { loadModel } from '../model/model-io.js';
import { inferTask, labelOf } from '../model/preprocess.js';
import { fullMetrics, scalarMetrics, scoreRows } from './score.js';
import type { Scored } from './score.js';
import { classificationMetrics, downsampleCurve, precisionRecallCurve, regressionMetrics, rocCurve, sliceMetrics } from './metrics.js';
import type { ClassificationMetrics, RegressionMetrics } from './metrics.js';
import type { EvaluationReportData } from './report-model.js';

/** The most points kept per curve in reports. */
const CURVE_POINTS = 200;

export interface Evaluated {
  metrics: ClassificationMetrics | RegressionMetrics;
  scored: Scored;
}

/**
 * Scores the model in `dir` on every row of `table`. A test row of a class the model never
 * saw stays in (a wrong prediction) and is reported through `warn`.
 */
export async function scoreModel(dir: string, table: Table, shownDir: string, warn: (message: string) => void): Promise<Evaluated> {
  const loaded = await loadModel(dir);
  const rows = Array.from({ length: table.rows }, (_, i) => i);
  let scored: Scored;
  try {
    scored = await scoreRows(loaded.model, loaded.preprocess, table, rows, true);
  } finally {
    loaded.model.dispose();
  }
  const target = loaded.preprocess.target;
  const known = target.task === 'classification' ? target.classes.length : 0;
  if (scored.task === 'classification' && scored.classes.length > known) {
    const unseen = scored.classes.slice(known);
    const count = scored.yTrue.filter((y) => y >= known).length;
    warn(
      `${count} test rows have a class the model ${shownDir} never saw in training (${unseen.join(', ')}); they count as wrong predictions.`,
    );
  }
  if (scored.rows.length === 0)
    throw new UserError(`no test rows have a usable target "${target.name}"`, 'Check the test data and the target column.');
  return { metrics: fullMetrics(scored), scored };
}

/** Predictions from any framework: y_true, y_pred and optional score:<class> columns. */
export async function scorePredictions(path: string, shownPath: string): Promise<Evaluated> {
  const table = await readTable([path], { format: 'auto' });
  const yTrue = tableColumn(table, 'y_true', 'predictions column');
  const yPred = tableColumn(table, 'y_pred', 'predictions column');
  const scoreColumns = table.columns.filter((c) => c.name.startsWith('score:'));
  const rows = Array.from({ length: table.rows }, (_, i) => i).filter((r) => labelOf(yTrue, r) !== null && labelOf(yPred, r) !== null);
  // Classification for text labels, score columns, or a few whole-number labels (0/1); else regression.
  const classification =
    yTrue.texts !== null || yPred.texts !== null || scoreColumns.length > 0 || inferTask(yTrue, rows) === 'classification';
  if (!classification) {
    const truth = rows.map((r) => yTrue.numbers[r]!);
    const predicted = rows.map((r) => yPred.numbers[r]!);
    return { metrics: regressionMetrics(truth, predicted), scored: { task: 'regression', rows, yTrue: truth, yPred: predicted } };
  }
  const labels = new Set<string>();
  for (const r of rows) {
    labels.add(labelOf(yTrue, r)!);
    labels.add(labelOf(yPred, r)!);
  }
  for (const c of scoreColumns) labels.add(c.name.slice('score:'.length));
  const classes = [...labels].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  const truth = rows.map((r) => index.get(labelOf(yTrue, r)!)!);
  const predicted = rows.map((r) => index.get(labelOf(yPred, r)!)!);
  let scores: number[][] | undefined;
  if (scoreColumns.length > 0) {
    if (scoreColumns.length !== classes.length) {
      throw new UserError(
        `${shownPath}: score columns for ${scoreColumns.length} classes, but the labels name ${classes.length}: ${classes.join(', ')}`,
        'Give one score:<class> column per class, or none.',
      );
    }
    const byClass = classes.map((c) => scoreColumns.find((s) => s.name === `score:${c}`)!);
    scores = rows.map((r) => byClass.map((c) => c.numbers[r]!));
  }
  return {
    metrics: classificationMetrics({ classes, yTrue: truth, yPred: predicted, scores }),
    scored: { task: 'classification', classes, rows, yTrue: truth, yPred: predicted, scores: scores ?? [] },
  };
}

/** ROC and precision-recall curves: one for the positive class when binary, else one per class (one-vs-rest). */
export function curvesOf(scored: Scored): EvaluationReportData['curves'] {
  if (scored.task !== 'classification' || scored.scores.length === 0) return [];
  const k = scored.classes.length;
  const targets = k === 2 ? [1] : scored.classes.map((_, i) => i);
  const curves: EvaluationReportData['curves'] = [];
  for (const c of targets) {
    const positives = scored.yTrue.map((y) => y === c);
    if (!positives.some(Boolean) || positives.every(Boolean)) continue; // undefined for this class
    const scores = scored.scores.map((s) => s[c]!);
    curves.push({
      class: scored.classes[c]!,
      roc: downsampleCurve(rocCurve(positives, scores), CURVE_POINTS),
      pr: downsampleCurve(precisionRecallCurve(positives, scores), CURVE_POINTS),
    });
  }
  return curves;
}

/** The value of `row` in a slicing column as reports show it; `(missing)` for an empty cell. */
function sliceValue(column: ReturnType<typeof tableColumn>, row: number): string {
  if (column.texts) return column.texts[row] ?? '(missing)';
  const value = column.numbers[row]!;
  return Number.isNaN(value) ? '(missing)' : String(value);
}

/**
 * The candidate's scalar metrics per value of each slicing column (values in sorted order),
 * computed by sliceMetrics over the scored rows.
 */
export function slicesOf(table: Table, scored: Scored, columns: readonly string[]): EvaluationReportData['slices'] {
  const out: EvaluationReportData['slices'] = [];
  for (const name of columns) {
    const column = tableColumn(table, name, 'slice column');
    const groups = new Map<string, number[]>();
    scored.rows.forEach((row, i) => {
      const value = sliceValue(column, row);
      const indexes = groups.get(value);
      if (indexes) indexes.push(i);
      else groups.set(value, [i]);
    });
    const sorted = new Map([...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    const results = sliceMetrics(sorted, (indexes) =>
      scored.task === 'classification'
        ? classificationMetrics({
            classes: scored.classes,
            yTrue: indexes.map((i) => scored.yTrue[i]!),
            yPred: indexes.map((i) => scored.yPred[i]!),
            scores: scored.scores.length > 0 ? indexes.map((i) => scored.scores[i]!) : undefined,
          })
        : regressionMetrics(
            indexes.map((i) => scored.yTrue[i]!),
            indexes.map((i) => scored.yPred[i]!),
          ),
    );
    for (const r of results) out.push({ column: name, value: r.slice, count: r.count, metrics: scalarMetrics(r.metrics) });
  }
  return out;
}
