/**
 * Scoring for evaluate: a model (loaded from its directory through the model seam) on test
 * rows into full metrics plus the scored rows, which slices and curves are computed from.
 * Predictions files are read by predictions.ts. ONNX Runtime is loaded only when a model is
 * scored (loadModelDir imports the loader then), so a predictions file needs none of it.
 */
import type { ModelCard } from '../contracts/index.js';
import type { Table, TableColumn } from '../data/table.js';
import { UserError } from '../errors.js';
import type { TabularModel } from '../model/model.js';
import { fullMetrics, scalarMetrics, scoreRows, subsetMetrics } from './score.js';
import type { Scored } from './score.js';
import { downsampleCurve, positiveClassIndex, precisionRecallCurve, rocCurve, sliceMetrics } from './metrics.js';
import type { ClassificationMetrics, RegressionMetrics } from './metrics.js';
import type { EvaluationReportData } from './report-model.js';

/** The most points kept per curve in reports. */
const CURVE_POINTS = 200;

export interface Evaluated {
  metrics: ClassificationMetrics | RegressionMetrics;
  scored: Scored;
}

/** A model directory, loaded (its graph and card); ONNX Runtime is imported on the first call. */
export async function loadModelDir(dir: string, log: (line: string) => void): Promise<{ model: TabularModel; card: ModelCard | null }> {
  const { loadModel } = await import('../model/model-io.js');
  return loadModel(dir, log);
}

export interface ScoreModelOptions {
  /** The rows to score; default every row of the table. */
  rows?: readonly number[];
  /** The truth, aligned with the table's rows (a predictions file's y_true); default the model's target column. */
  truth?: TableColumn;
  /**
   * The positive class of a two-class task, by label (evaluate.positive_class); null or absent
   * for the usual choice (positiveClassIndex in metrics.ts). The Scored returned carries it, so
   * curvesOf and slicesOf take the same class.
   */
  positiveClass?: string | null;
}

/**
 * Scores `model` on rows of `table`. A test row of a class the model never saw stays in (a
 * wrong prediction) and is reported through `warn`. A positive class that is not one of the
 * classes is a UserError.
 */
export async function scoreModel(
  model: TabularModel,
  table: Table,
  shownModel: string,
  warn: (message: string) => void,
  options: ScoreModelOptions = {},
): Promise<Evaluated> {
  const rows = options.rows ?? Array.from({ length: table.rows }, (_, i) => i);
  const target = model.signature.target;
  const scored = await scoreRows(model, table, rows, { unseenClasses: true, truth: options.truth, positiveClass: options.positiveClass });
  const known = target.task === 'classification' ? target.classes.length : 0;
  if (scored.task === 'classification' && scored.classes.length > known) {
    const unseen = scored.classes.slice(known);
    const count = scored.yTrue.filter((y) => y >= known).length;
    warn(
      `${count} test rows have a class the model ${shownModel} never saw in training (${unseen.join(', ')}); they count as wrong predictions.`,
    );
  }
  if (scored.rows.length === 0)
    throw new UserError(
      `no test rows have a usable target "${options.truth?.name ?? target.name}" for ${shownModel}`,
      'Check the test data and the target column.',
    );
  return { metrics: fullMetrics(scored), scored };
}

/**
 * ROC and precision-recall curves: one for the positive class when binary (the class the
 * Scored carries, else the usual choice: the class of roc_auc and `precision`), else one per
 * class (one-vs-rest).
 */
export function curvesOf(scored: Scored): EvaluationReportData['curves'] {
  if (scored.task !== 'classification' || scored.scores.length === 0) return [];
  const positive = positiveClassIndex(scored.classes, scored.positiveClass);
  const targets = positive !== null ? [positive] : scored.classes.map((_, i) => i);
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
function sliceValue(column: TableColumn, row: number): string {
  if (column.texts) return column.texts[row] ?? '(missing)';
  const value = column.numbers[row]!;
  return Number.isNaN(value) ? '(missing)' : String(value);
}

/**
 * The candidate's scalar metrics per value of each slicing column (values in sorted order),
 * computed by sliceMetrics over the scored rows, as fullMetrics computes the whole (the
 * positive class and kind of scores the Scored carries).
 */
export function slicesOf(
  table: Table,
  scored: Scored,
  columns: readonly string[],
  source: { shown: string; predictions: boolean } = { shown: table.files.join(', '), predictions: false },
): EvaluationReportData['slices'] {
  const out: EvaluationReportData['slices'] = [];
  for (const name of columns) {
    const column = table.columns.find((c) => c.name === name);
    if (!column) {
      const names = table.columns.map((c) => c.name);
      throw new UserError(
        `slice column "${name}" is not a column of ${source.shown} (its columns: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''})`,
        source.predictions
          ? "With a predictions file, slices are read from the file itself: add the column beside y_true and y_pred (each test row's value), or remove it from the `slices` input / evaluate.slices in mlops.yaml."
          : 'Check the name against the test data, or remove it from the `slices` input / evaluate.slices in mlops.yaml.',
      );
    }
    const groups = new Map<string, number[]>();
    scored.rows.forEach((row, i) => {
      const value = sliceValue(column, row);
      const indexes = groups.get(value);
      if (indexes) indexes.push(i);
      else groups.set(value, [i]);
    });
    const sorted = new Map([...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    const results = sliceMetrics(sorted, (indexes) => subsetMetrics(scored, indexes));
    for (const r of results) out.push({ column: name, value: r.slice, count: r.count, metrics: scalarMetrics(r.metrics) });
  }
  return out;
}
