/**
 * Evaluation metrics for classifiers and regressors, computed as scikit-learn computes them, so a
 * number here can be checked against `sklearn.metrics` on the same predictions. Metric names are
 * snake_case: they are the keys users write in gates.
 *
 * Conventions (scikit-learn's, unless marked "differs"):
 * - Precision, recall and F1 use `zero_division=0`: a class never predicted has precision 0, a
 *   class absent from y_true has recall 0, and F1 = 2·tp / (2·tp + fp + fn) is 0 when that
 *   denominator is 0 (sklearn >= 1.3 computes F1 this way, from counts).
 * - Macro averages are the unweighted mean over the classes present in y_true or y_pred (sklearn's
 *   default `labels = unique_labels(y_true, y_pred)`): a class in `classes` that appears in neither
 *   is listed in `per_class` with zeros but does not count in the macro averages.
 * - Weighted averages weight each class by its support (rows of that class in y_true).
 * - `balanced_accuracy` is the mean recall over the classes present in y_true (`adjusted=False`).
 * - The positive class of a two-class task (positiveClassIndex): the class set by the user
 *   (evaluate.positive_class), which must be one of the two; else the one class whose label is,
 *   in this order, `1`, `true`, `yes` or `positive` (USUAL_POSITIVE_LABELS, letter case ignored;
 *   scikit-learn's default `pos_label` is 1); else the second of the two labels sorted as training
 *   sorts classes (numbers in numeric order first, then text), the class sklearn's roc_auc_score
 *   takes as positive. Its label is `positive_class` (absent, not null, with more or fewer
 *   classes). A setting is checked against the classes whatever their number. Differs: sklearn
 *   raises an error for text labels without a pos_label; a setting written as a number names the
 *   class of that number (`1.0` names `1`).
 * - `precision`, `recall` and `f1` are the positive class's (`average='binary'` with that
 *   `pos_label`, zero_division=0 as above). Null with more or fewer than two classes (sklearn
 *   raises an error); the macro and weighted averages are there for every task.
 * - `roc_auc`: with two classes, the AUC of the positive class from its own column of scores
 *   (the ROC and precision-recall curves of evaluate use the same class and column); with more,
 *   the one-vs-rest macro average (`multi_class='ovr', average='macro'`). Ties count
 *   one half (average ranks, the Mann-Whitney U statistic), which equals sklearn's trapezoidal
 *   area under the ROC curve. Null without scores or when undefined: fewer than two classes, or
 *   y_true holding only one class. Differs: with more than two classes, classes without both
 *   positive and negative rows are left out of the average (sklearn raises an error), and the
 *   scores are not required to sum to 1.
 * - `log_loss` is the mean of −ln p(true class), p clipped to [1e-15, 1 − 1e-15] (sklearn's
 *   `eps=1e-15` up to 1.2; from 1.5 sklearn clips at the float64 machine epsilon instead, which
 *   only matters for probabilities below 1e-15). Rows are not renormalized to sum to 1 (as sklearn
 *   >= 1.5; before that sklearn renormalized). Null without scores, or when the scores are not
 *   probabilities (ranking scores such as decision_function's rank rows for roc_auc only).
 * - `r2` = 1 − SS_res / SS_tot; for a constant y_true (SS_tot = 0) it is 1 when the predictions are
 *   perfect and 0 otherwise (sklearn's `force_finite=True` default); null with fewer than 2 rows
 *   (sklearn returns NaN with a warning). Constant y_true is detected exactly, not by floating-point
 *   accident.
 * - `mape` is a fraction, not a percentage: mean of |y − ŷ| / max(|y|, ε), ε = 2.220446049250313e-16
 *   (float64 machine epsilon), so a row with y = 0 and an error gives a huge value, as in sklearn.
 * - `rmse` is the square root of `mse` (sklearn's root_mean_squared_error).
 */
import { UserError } from '../errors.js';
import { compareLabels } from '../model/preprocess.js';

/** sklearn's clipping bound for log loss (its `eps=1e-15` default up to version 1.2). */
export const LOG_LOSS_EPS = 1e-15;
/** float64 machine epsilon, sklearn's floor on |y| in the MAPE. */
export const MAPE_EPS = 2.220446049250313e-16;
/**
 * The labels taken as the positive class of a two-class task when none is set, in this order
 * (letter case ignored): the first of them that names exactly one of the two classes wins.
 */
export const USUAL_POSITIVE_LABELS = ['1', 'true', 'yes', 'positive'] as const;

/** The scalar metrics of a classifier (the keys gates may name). */
export const CLASSIFICATION_METRIC_NAMES = [
  'accuracy',
  'balanced_accuracy',
  'precision',
  'recall',
  'f1',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'roc_auc',
  'log_loss',
  'count',
] as const;

/** The scalar metrics of a regressor (the keys gates may name). */
export const REGRESSION_METRIC_NAMES = ['mae', 'mse', 'rmse', 'r2', 'mape', 'count'] as const;

export interface ClassMetrics {
  class: string;
  /** Rows of this class in y_true. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationMetrics {
  count: number;
  accuracy: number;
  balanced_accuracy: number;
  /** Of the positive class (`positive_class`); null unless there are exactly two classes. */
  precision: number | null;
  /** Of the positive class; null unless there are exactly two classes. */
  recall: number | null;
  /** Of the positive class; null unless there are exactly two classes. */
  f1: number | null;
  /**
   * The label of the positive class (see the module comment); only with two classes. Absent, not
   * null, otherwise, so that readers taking a metrics object's numbers and nulls never take it.
   */
  positive_class?: string;
  precision_macro: number;
  recall_macro: number;
  f1_macro: number;
  precision_weighted: number;
  recall_weighted: number;
  f1_weighted: number;
  /** Null without scores, or when undefined (see the module comment). */
  roc_auc: number | null;
  /** Null without scores. */
  log_loss: number | null;
  /** One entry per class, in `classes` order. */
  per_class: ClassMetrics[];
  /** `confusion_matrix[t][p]`: rows of true class t predicted as p, in `classes` order. */
  confusion_matrix: number[][];
}

export interface ClassificationInput {
  /** Class names; yTrue and yPred hold indexes into this list. */
  classes: readonly string[];
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
  /** `scores[i]`: the predicted probability of each class (in `classes` order) for row i. */
  scores?: ArrayLike<ArrayLike<number>>;
  /**
   * Whether `scores` are probabilities (the default). False for ranking scores (decision_function,
   * logits): roc_auc is computed from them, log_loss is null.
   */
  probabilities?: boolean;
  /** The positive class of a two-class task, by label; null or absent for the usual choice (positiveClassIndex). */
  positiveClass?: string | null;
}

export interface RegressionMetrics {
  count: number;
  mae: number;
  mse: number;
  rmse: number;
  /** Null with fewer than 2 rows. */
  r2: number | null;
  /** A fraction (0.05 = 5%). */
  mape: number;
}

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Rows scoring at or above this are predicted positive; Infinity for the first point (0, 0). */
  threshold: number;
}

export interface PrPoint {
  precision: number;
  recall: number;
  /** Rows scoring at or above this are predicted positive; Infinity for the last point (recall 0). */
  threshold: number;
}

export interface SliceResult<T> {
  slice: string;
  count: number;
  metrics: T;
}

// ---------------------------------------------------------------------------------------------
// Input checks

function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return `the text "${value}"`;
  if (value === null || value === undefined) return 'missing';
  return `a ${typeof value}`;
}

function where(name: string, i: number): string {
  return `${name}[${i}] (row ${i + 1})`;
}

function checkNotEmpty(name: string, values: ArrayLike<unknown>): void {
  if (values.length === 0) throw new UserError(`${name} is empty: there are no rows to evaluate`, 'Evaluate on at least one row.');
}

function checkSameLength(aName: string, a: ArrayLike<unknown>, bName: string, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw new UserError(
      `${aName} has ${a.length} rows but ${bName} has ${b.length}`,
      `Give exactly one ${bName} value per ${aName} value.`,
    );
  }
}

function checkFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new UserError(
        `${where(name, i)} is ${describeValue(v)}, not a finite number`,
        'Remove or fix the rows with NaN, Infinity or missing values.',
      );
    }
  }
}

function checkClassIndexes(name: string, values: ArrayLike<number>, classes: readonly string[]): void {
  const k = classes.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= k) {
      throw new UserError(
        `${where(name, i)} is ${describeValue(v)}, not a class index (a whole number from 0 to ${k - 1} for the ${k} classes)`,
        `Classes are numbered in the order given: ${classes.slice(0, 10).join(', ')}${k > 10 ? ', …' : ''}.`,
      );
    }
  }
}

function checkClasses(classes: readonly string[]): void {
  if (!Array.isArray(classes) || classes.length === 0) throw new UserError('classes is empty: a classifier needs at least one class');
  const seen = new Set<string>();
  for (let i = 0; i < classes.length; i++) {
    const name = classes[i];
    if (typeof name !== 'string') throw new UserError(`classes[${i}] is ${describeValue(name)}, not a class name`);
    if (seen.has(name)) throw new UserError(`classes lists "${name}" twice`, 'Each class name must appear once.');
    seen.add(name);
  }
}

function checkScores(scores: ArrayLike<ArrayLike<number>>, n: number, classes: readonly string[]): void {
  if (scores.length !== n) {
    throw new UserError(`scores has ${scores.length} rows but yTrue has ${n}`, 'Give one probability vector per row.');
  }
  const k = classes.length;
  for (let i = 0; i < n; i++) {
    const row = scores[i];
    if (row === null || row === undefined || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new UserError(`${where('scores', i)} is ${describeValue(row)}, not a list of ${k} class probabilities`);
    }
    if (row.length !== k) {
      throw new UserError(
        `${where('scores', i)} has ${row.length} probabilities but there are ${k} classes`,
        `Give one probability per class, in the order ${classes.slice(0, 10).join(', ')}${k > 10 ? ', …' : ''}.`,
      );
    }
    for (let c = 0; c < k; c++) {
      const v = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new UserError(
          `${where('scores', i)} has ${describeValue(v)} for class "${classes[c]}", not a finite number`,
          'Remove or fix the rows with NaN, Infinity or missing scores.',
        );
      }
    }
  }
}

/** Labels of a binary curve: true/false or 1/0. */
function binaryLabels(yTrue: ArrayLike<boolean | number>): Uint8Array {
  const out = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    const v = yTrue[i];
    if (v === true || v === 1) out[i] = 1;
    else if (v === false || v === 0) out[i] = 0;
    else
      throw new UserError(
        `${where('yTrue', i)} is ${describeValue(v)}, not a binary label`,
        'Give true/false or 1/0 (1 = the positive class).',
      );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ranking

/**
 * Area under the ROC curve from the Mann-Whitney U statistic: the share of (positive, negative)
 * pairs where the positive scores higher, ties counting one half. Null without both positives and
 * negatives.
 */
function binaryAuc(positive: ArrayLike<number>, score: (i: number) => number, n: number): number | null {
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i]!;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = score(i);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  // Sum of the (1-based, tie-averaged) ranks of the positives.
  let rankSum = 0;
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    let positivesInGroup = 0;
    for (let j = start; j < end; j++) positivesInGroup += positive[order[j]!]!;
    rankSum += positivesInGroup * ((start + 1 + end) / 2);
    start = end;
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

interface CurveStep {
  threshold: number;
  /** Positives scoring >= threshold. */
  tps: number;
  /** Negatives scoring >= threshold. */
  fps: number;
}

/** Cumulative counts at each distinct score, from the highest score down (sklearn's _binary_clf_curve). */
function binaryCurveSteps(labels: Uint8Array, scores: ArrayLike<number>): { steps: CurveStep[]; positives: number; negatives: number } {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const steps: CurveStep[] = [];
  let tps = 0;
  let fps = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    if (labels[i] === 1) tps++;
    else fps++;
    const next = order[j + 1];
    if (next === undefined || scores[next] !== scores[i]) steps.push({ threshold: scores[i]!, tps, fps });
  }
  return { steps, positives: tps, negatives: fps };
}

function checkCurveInput(yTrue: ArrayLike<boolean | number>, scores: ArrayLike<number>): Uint8Array {
  checkNotEmpty('yTrue', yTrue);
  checkSameLength('yTrue', yTrue, 'scores', scores);
  const labels = binaryLabels(yTrue);
  checkFinite('scores', scores);
  return labels;
}

// ---------------------------------------------------------------------------------------------
// Classification

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);

const listed = (items: readonly string[]): string =>
  `${items
    .slice(0, 10)
    .map((c) => `"${c}"`)
    .join(', ')}${items.length > 10 ? `, … (${items.length} in all)` : ''}`;

/** The number a label writes, or null for text (labels compare so: `1.0` and `1` are the same number). */
const asNumber = (text: string): number | null => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : null);

/**
 * The index in `classes` of the positive class of a two-class task (see the module comment):
 * `setting` when given (null, absent or blank: not given), else the usual choice. Null unless
 * there are exactly two classes. A setting that names none of the classes is a UserError listing
 * them, whatever their number.
 */
export function positiveClassIndex(classes: readonly string[], setting?: string | null): number | null {
  if (setting !== undefined && setting !== null && setting.trim() !== '') {
    let found = classes.indexOf(setting);
    if (found < 0) {
      const number = asNumber(setting);
      if (number !== null) found = classes.findIndex((c) => asNumber(c) === number);
    }
    if (found < 0) {
      const folded = classes.find((c) => c.toLowerCase() === setting.trim().toLowerCase());
      throw new UserError(
        `the positive class "${setting}" is not one of the classes (${listed(classes)})` +
          (folded !== undefined ? `; did you mean "${folded}"?` : ''),
        'Set evaluate.positive_class in mlops.yaml (or the positive-class input) to one of the class labels, written exactly as the data writes them; ' +
          `or leave it unset for the usual choice (a class named ${USUAL_POSITIVE_LABELS.join(', ')}, else the second in sorted order).`,
      );
    }
    return classes.length === 2 ? found : null;
  }
  if (classes.length !== 2) return null;
  for (const usual of USUAL_POSITIVE_LABELS) {
    const matching = [0, 1].filter((c) => classes[c]!.trim().toLowerCase() === usual || (usual === '1' && asNumber(classes[c]!) === 1));
    if (matching.length === 1) return matching[0]!;
  }
  return compareLabels(classes[0]!, classes[1]!) > 0 ? 0 : 1;
}

/**
 * Accuracy, balanced accuracy, per-class, positive-class and averaged precision/recall/F1, ROC
 * AUC, log loss and the confusion matrix, with scikit-learn's conventions (see the module
 * comment). Throws a UserError on empty or mismatched input, a class index out of range, a
 * non-finite score, or a positive class that is not one of the classes.
 */
export function classificationMetrics(input: ClassificationInput): ClassificationMetrics {
  const { classes, yTrue, yPred, scores } = input;
  checkClasses(classes);
  const positive = positiveClassIndex(classes, input.positiveClass);
  checkNotEmpty('yTrue', yTrue);
  checkSameLength('yTrue', yTrue, 'yPred', yPred);
  checkClassIndexes('yTrue', yTrue, classes);
  checkClassIndexes('yPred', yPred, classes);
  const n = yTrue.length;
  const k = classes.length;
  if (scores !== undefined) checkScores(scores, n, classes);

  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) confusion[yTrue[i]!]![yPred[i]!]!++;

  const support = new Array<number>(k).fill(0);
  const predicted = new Array<number>(k).fill(0);
  let correct = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const count = confusion[t]![p]!;
      support[t]! += count;
      predicted[p]! += count;
      if (t === p) correct += count;
    }
  }

  const perClass: ClassMetrics[] = classes.map((name, c) => {
    const tp = confusion[c]![c]!;
    return {
      class: name,
      support: support[c]!,
      precision: ratio(tp, predicted[c]!),
      recall: ratio(tp, support[c]!),
      f1: ratio(2 * tp, support[c]! + predicted[c]!),
    };
  });

  const present = perClass.filter((_, c) => support[c]! > 0 || predicted[c]! > 0);
  const inTrue = perClass.filter((_, c) => support[c]! > 0);
  const mean = (rows: ClassMetrics[], key: 'precision' | 'recall' | 'f1'): number => rows.reduce((s, r) => s + r[key], 0) / rows.length;
  const weighted = (key: 'precision' | 'recall' | 'f1'): number => perClass.reduce((s, r) => s + r[key] * r.support, 0) / n;

  let rocAuc: number | null = null;
  let logLoss: number | null = null;
  if (scores !== undefined) {
    rocAuc = classificationAuc(classes.length, positive, yTrue, scores);
    if (input.probabilities !== false) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const p = Math.min(Math.max(scores[i]![yTrue[i]!]!, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
        total -= Math.log(p);
      }
      logLoss = total / n;
    }
  }
  const positiveMetrics = positive === null ? null : perClass[positive]!;

  return {
    count: n,
    accuracy: correct / n,
    balanced_accuracy: mean(inTrue, 'recall'),
    precision: positiveMetrics?.precision ?? null,
    recall: positiveMetrics?.recall ?? null,
    f1: positiveMetrics?.f1 ?? null,
    ...(positiveMetrics ? { positive_class: positiveMetrics.class } : {}),
    precision_macro: mean(present, 'precision'),
    recall_macro: mean(present, 'recall'),
    f1_macro: mean(present, 'f1'),
    precision_weighted: weighted('precision'),
    recall_weighted: weighted('recall'),
    f1_weighted: weighted('f1'),
    roc_auc: rocAuc,
    log_loss: logLoss,
    per_class: perClass,
    confusion_matrix: confusion,
  };
}

function classificationAuc(
  k: number,
  positiveClass: number | null,
  yTrue: ArrayLike<number>,
  scores: ArrayLike<ArrayLike<number>>,
): number | null {
  const n = yTrue.length;
  if (k < 2) return null;
  const positive = new Uint8Array(n);
  if (positiveClass !== null) {
    for (let i = 0; i < n; i++) positive[i] = yTrue[i] === positiveClass ? 1 : 0;
    return binaryAuc(positive, (i) => scores[i]![positiveClass]!, n);
  }
  let sum = 0;
  let defined = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) positive[i] = yTrue[i] === c ? 1 : 0;
    const auc = binaryAuc(positive, (i) => scores[i]![c]!, n);
    if (auc !== null) {
      sum += auc;
      defined++;
    }
  }
  return defined === 0 ? null : sum / defined;
}

// ---------------------------------------------------------------------------------------------
// Regression

/**
 * MAE, MSE, RMSE, R² and MAPE, with scikit-learn's conventions (see the module comment). Throws a
 * UserError on empty or mismatched input, or a value that is not a finite number.
 */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  checkNotEmpty('yTrue', yTrue);
  checkSameLength('yTrue', yTrue, 'yPred', yPred);
  checkFinite('yTrue', yTrue);
  checkFinite('yPred', yPred);
  const n = yTrue.length;
  let absSum = 0;
  let sqSum = 0;
  let apeSum = 0;
  let ySum = 0;
  let constant = true;
  const first = yTrue[0]!;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    const e = y - yPred[i]!;
    absSum += Math.abs(e);
    sqSum += e * e;
    apeSum += Math.abs(e) / Math.max(Math.abs(y), MAPE_EPS);
    ySum += y;
    if (y !== first) constant = false;
  }
  const mse = sqSum / n;
  let r2: number | null = null;
  if (n >= 2) {
    let ssTot = 0;
    if (!constant) {
      const mean = ySum / n;
      for (let i = 0; i < n; i++) ssTot += (yTrue[i]! - mean) ** 2;
    }
    if (ssTot === 0) r2 = sqSum === 0 ? 1 : 0;
    else r2 = 1 - sqSum / ssTot;
  }
  return { count: n, mae: absSum / n, mse, rmse: Math.sqrt(mse), r2, mape: apeSum / n };
}

// ---------------------------------------------------------------------------------------------
// Curves

/**
 * The ROC curve of a binary classifier, as sklearn's `roc_curve(drop_intermediate=False)`: one
 * point per distinct score, from the highest down, after a first point (0, 0) with threshold
 * Infinity (sklearn >= 1.3; JSON writes it as null). Equal scores form one step. `yTrue` holds
 * true/false or 1/0 (1 = positive). Throws a UserError when y_true lacks positives or negatives
 * (the curve is undefined; sklearn returns NaN rates).
 */
export function rocCurve(yTrue: ArrayLike<boolean | number>, scores: ArrayLike<number>): RocPoint[] {
  const labels = checkCurveInput(yTrue, scores);
  const { steps, positives, negatives } = binaryCurveSteps(labels, scores);
  if (positives === 0 || negatives === 0) {
    throw new UserError(
      `cannot draw a ROC curve: every row of yTrue is ${positives === 0 ? 'negative' : 'positive'}`,
      'A ROC curve needs both positive and negative rows (roc_auc is null in this case).',
    );
  }
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  for (const s of steps) points.push({ fpr: s.fps / negatives, tpr: s.tps / positives, threshold: s.threshold });
  return points;
}

/**
 * The precision-recall curve of a binary classifier, as sklearn's `precision_recall_curve`: one
 * point per distinct score in increasing threshold order (recall decreasing), then a last point
 * (precision 1, recall 0) with threshold Infinity. Equal scores form one step. Without any
 * positive row recall is 1 at every threshold (sklearn's convention).
 */
export function precisionRecallCurve(yTrue: ArrayLike<boolean | number>, scores: ArrayLike<number>): PrPoint[] {
  const labels = checkCurveInput(yTrue, scores);
  const { steps, positives } = binaryCurveSteps(labels, scores);
  const points: PrPoint[] = [];
  for (let j = steps.length - 1; j >= 0; j--) {
    const s = steps[j]!;
    points.push({ precision: s.tps / (s.tps + s.fps), recall: positives === 0 ? 1 : s.tps / positives, threshold: s.threshold });
  }
  points.push({ precision: 1, recall: 0, threshold: Infinity });
  return points;
}

/**
 * At most `maxPoints` of `points`, evenly spaced by index, always keeping the first and the last
 * (for charts). Returns a copy; fewer points than the limit come back unchanged.
 */
export function downsampleCurve<T>(points: readonly T[], maxPoints: number): T[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new UserError(`maxPoints is ${describeValue(maxPoints)}; a curve needs at least 2 points (its first and last)`);
  }
  const n = points.length;
  if (n <= maxPoints) return points.slice();
  const out: T[] = [];
  for (let j = 0; j < maxPoints; j++) out.push(points[Math.round((j * (n - 1)) / (maxPoints - 1))]!);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Slices

/**
 * Metrics per slice: `compute` runs on the row indexes of each value of a slicing column, in the
 * map's order. A UserError from `compute` is rethrown naming the slice; an empty slice is rejected.
 */
export function sliceMetrics<T>(rowsByKey: ReadonlyMap<string, readonly number[]>, compute: (rowIndexes: number[]) => T): SliceResult<T>[] {
  const out: SliceResult<T>[] = [];
  for (const [slice, rows] of rowsByKey) {
    if (rows.length === 0) throw new UserError(`slice "${slice}" has no rows`, 'Leave out slice values without rows.');
    let metrics: T;
    try {
      metrics = compute(rows.slice());
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`slice "${slice}": ${error.message}`, error.hint);
      throw error;
    }
    out.push({ slice, count: rows.length, metrics });
  }
  return out;
}
