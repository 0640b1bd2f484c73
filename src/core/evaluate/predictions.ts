/**
 * A predictions file from any framework, scored as evaluate scores a model: columns `y_true`
 * and `y_pred`, for classification optionally one `score:<class>` column of probabilities per
 * class, or for a two-class task one column `score` or `probability` of the positive class,
 * and any other columns (slices, features a baseline model takes) kept for later.
 *
 * The task comes, in this order, from the `task` setting, from the model card beside the
 * predictions, or from the file (inferTask below). Integer-valued regression is never taken
 * for classification silently: any number with a fraction in y_true or y_pred means
 * regression, and whole numbers only are ambiguous, said in one log line with how to set it.
 *
 * Conventions:
 * - Labels are compared as text; a number is its shortest text (`1.0` reads as `1`).
 * - Classes: those of the model card in its order, else the labels sorted (numbers in numeric
 *   order first, then text). A two-class task's positive class is the one set (`positiveClass`),
 *   else the usual choice (`1`, `true`, `yes`, `positive`, else the second sorted label: see
 *   positiveClassIndex in metrics.ts); one log line names it.
 * - Probabilities: each in [0, 1] (a slack of 1e-6 for float32 rounding) and each row summing
 *   to 1 within 1e-3, as scikit-learn's predict_proba gives them. A score column must name a
 *   label (or a class of the card); a class y_pred predicts must have a score column; a class
 *   only y_true holds gets probability 0 (a class the model never saw: always wrong).
 * - One score column instead (two classes only, never beside `score:<class>` columns): `score`
 *   holds the positive class's score, any real number (a probability, decision_function, a
 *   logit); `probability` holds its probability, in [0, 1]. roc_auc is computed from either;
 *   log_loss only when every value is in [0, 1] (the other class's probability is 1 − p). For
 *   regression these names are ordinary columns, and they do not make the task classification.
 * - Rows without y_true or y_pred are left out, with a warning.
 * - Rows are counted from 1 at the first data row, with the file's line (rows.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { readTable } from '../data/table.js';
import type { Table, TableColumn } from '../data/table.js';
import { UserError } from '../errors.js';
import { positiveClassIndex, regressionMetrics } from './metrics.js';
import { linesOfRows, rowLabel } from './rows.js';
import { fullMetrics, labelOf } from './score.js';
import type { Scored } from './score.js';
import type { Evaluated } from './scoring.js';

export type Task = 'classification' | 'regression';
export type TaskSetting = 'auto' | Task;

/** Each probability may stray this far outside [0, 1] (float32 rounding). */
export const PROBABILITY_SLACK = 1e-6;
/** Each row's probabilities must sum to 1 within this. */
export const PROBABILITY_SUM_TOLERANCE = 1e-3;
/** At most this many distinct whole numbers in y_true and y_pred are read as classes when nothing else tells. */
export const MAX_INFERRED_CLASSES = 20;

export const SCORE_PREFIX = 'score:';
/** The names of a single score column: the positive class's score of a two-class task. */
export const SINGLE_SCORE_COLUMNS = ['score', 'probability'] as const;

/** What a model card says of the task, and where it is (for messages). */
export interface CardTask {
  task: Task;
  classes: string[] | null;
  source: string;
}

export interface PredictionsRequest {
  file: string;
  /** The file as people see it (relative to the working directory). */
  shown: string;
  task: TaskSetting;
  /** Where `task` was set, for messages: "the task input", "evaluate.task in mlops.yaml". */
  taskSetBy: string;
  card: CardTask | null;
  log: { info(message: string): void; warning(message: string): void };
  /** The positive class of a two-class task, by label (evaluate.positive_class); null or absent for the usual choice. */
  positiveClass?: string | null;
}

export interface ScoredPredictions extends Evaluated {
  /** The whole file: y_true, y_pred, scores, and any other column (slices, features). */
  table: Table;
  /** The y_true column (the truth a baseline is scored against, row by row). */
  truth: TableColumn;
  /** How the task was chosen, one sentence. */
  taskReason: string;
}

const HINT_FORMAT =
  'A predictions file has one row per test row with columns y_true (the truth) and y_pred (the prediction), ' +
  'and for classification optionally one score:<class> column of probabilities per class ' +
  "(or, for two classes, one column score or probability of the positive class's score).";

/** The task of a predictions file: the setting, else the card, else inferTask. */
export function chooseTask(
  setting: TaskSetting,
  setBy: string,
  card: CardTask | null,
  infer: () => { task: Task; reason: string; ambiguous: boolean },
): { task: Task; reason: string; ambiguous: boolean } {
  if (setting !== 'auto') return { task: setting, reason: `${setting}, as ${setBy} sets`, ambiguous: false };
  if (card) return { task: card.task, reason: `${card.task}, as the model card ${card.source} says`, ambiguous: false };
  return infer();
}

/** Whether a column holds text at `row` that is not a number. */
const isText = (column: TableColumn, row: number): boolean =>
  column.texts !== null && column.texts[row] !== null && Number.isNaN(column.numbers[row]!);

/**
 * The task told by the file itself: score columns mean classification; a number with a
 * fraction in y_true or y_pred means regression; text labels mean classification; whole
 * numbers only are ambiguous: classification for at most MAX_INFERRED_CLASSES distinct values,
 * else regression.
 */
export function inferTask(
  yTrue: TableColumn,
  yPred: TableColumn,
  scoreColumns: number,
  rows: readonly number[],
): { task: Task; reason: string; ambiguous: boolean } {
  if (scoreColumns > 0) return { task: 'classification', reason: 'classification, from its score:<class> columns', ambiguous: false };
  for (const column of [yPred, yTrue]) {
    for (const r of rows) {
      const v = column.numbers[r]!;
      if (Number.isFinite(v) && !Number.isInteger(v))
        return { task: 'regression', reason: `regression, since ${column.name} holds numbers with fractions (${v})`, ambiguous: false };
    }
  }
  for (const column of [yTrue, yPred]) {
    const row = rows.find((r) => isText(column, r));
    if (row !== undefined)
      return {
        task: 'classification',
        reason: `classification, since ${column.name} holds text labels ("${column.texts![row]}")`,
        ambiguous: false,
      };
  }
  const distinct = new Set<number>();
  for (const r of rows) {
    distinct.add(yTrue.numbers[r]!);
    distinct.add(yPred.numbers[r]!);
  }
  const task = distinct.size <= MAX_INFERRED_CLASSES ? 'classification' : 'regression';
  return {
    task,
    reason:
      `${task}, since y_true and y_pred hold whole numbers only, ${distinct.size} distinct ` +
      `(${task === 'classification' ? 'at most' : 'more than'} ${MAX_INFERRED_CLASSES} read as classes)`,
    ambiguous: true,
  };
}

/** Numbers first, in numeric order; then text in code-point order. */
export function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const aNum = a.trim() !== '' && Number.isFinite(na);
  const bNum = b.trim() !== '' && Number.isFinite(nb);
  if (aNum && bNum) return na - nb;
  if (aNum !== bNum) return aNum ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const list = (items: readonly string[], max = 10): string =>
  items.length === 0 ? '(none)' : `${items.slice(0, max).join(', ')}${items.length > max ? `, … (${items.length} in all)` : ''}`;

/** Reads, checks and scores a predictions file (see the module comment). */
export async function scorePredictions(request: PredictionsRequest): Promise<ScoredPredictions> {
  const { file, shown, log } = request;
  if (!existsSync(file) || !statSync(file).isFile())
    throw new UserError(
      `cannot read predictions ${shown}: ${existsSync(file) ? 'it is a folder, not a file' : 'no such file'}`,
      'Check the `predictions` input (relative to the working directory) or evaluate.predictions in mlops.yaml (relative to mlops.yaml).',
    );
  const table = await readTable([file], { format: 'auto' });
  const column = (name: string): TableColumn => {
    const found = table.columns.find((c) => c.name === name);
    if (!found)
      throw new UserError(
        `${shown} has no column ${name} (its columns: ${list(table.columns.map((c) => c.name))})`,
        `${HINT_FORMAT} Name the columns exactly so (lower case).`,
      );
    return found;
  };
  const yTrue = column('y_true');
  const yPred = column('y_pred');
  const scoreColumns = table.columns.filter((c) => c.name.startsWith(SCORE_PREFIX));
  const singleScores = table.columns.filter((c) => (SINGLE_SCORE_COLUMNS as readonly string[]).includes(c.name));

  const all = Array.from({ length: table.rows }, (_, i) => i);
  const rows = all.filter((r) => labelOf(yTrue, r) !== null && labelOf(yPred, r) !== null);
  const left = all.filter((r) => labelOf(yTrue, r) === null || labelOf(yPred, r) === null);
  if (rows.length === 0)
    throw new UserError(`${shown}: no row has both y_true and y_pred`, `${HINT_FORMAT} Fill in both for every row scored.`);
  if (left.length > 0) {
    const lines = await linesOfRows(file, left.slice(0, 5));
    log.warning(
      `${shown}: ${left.length} of ${table.rows} rows have no y_true or no y_pred and were left out ` +
        `(${left
          .slice(0, 5)
          .map((r) => rowLabel(r, lines))
          .join(', ')}${left.length > 5 ? ', …' : ''}).`,
    );
  }

  const chosen = chooseTask(request.task, request.taskSetBy, request.card, () => inferTask(yTrue, yPred, scoreColumns.length, rows));
  const howToSet = 'set `task` (evaluate.task in mlops.yaml, or the task input) to classification or regression';
  if (chosen.ambiguous) log.info(`Task of ${shown}: ${chosen.reason}; if that is wrong, ${howToSet}.`);
  else log.info(`Task of ${shown}: ${chosen.reason}.`);

  // A card that says classification while the file holds fractional predictions (and no
  // scores) is not this model's card, or the file is not a classifier's: say so, never score
  // 3.5 as a class.
  if (request.task === 'auto' && request.card?.task === 'classification' && scoreColumns.length === 0) {
    const row = rows.find((r) => Number.isFinite(yPred.numbers[r]!) && !Number.isInteger(yPred.numbers[r]!));
    if (row !== undefined)
      throw new UserError(
        `${shown}, ${rowLabel(row, await linesOfRows(file, [row]))}, column y_pred holds ${yPred.numbers[row]}, ` +
          `but the model card ${request.card.source} says the task is classification`,
        `If these are predicted values, ${howToSet}; if the card is not this model's, point model-dir at the right one.`,
      );
  }
  const scored =
    chosen.task === 'regression'
      ? await regressionOf(request, yTrue, yPred, scoreColumns, rows, chosen.reason, howToSet)
      : await classificationOf(request, yTrue, yPred, scoreColumns, singleScores, rows);
  return { ...scored, table, truth: yTrue, taskReason: chosen.reason };
}

async function regressionOf(
  request: PredictionsRequest,
  yTrue: TableColumn,
  yPred: TableColumn,
  scoreColumns: TableColumn[],
  rows: number[],
  reason: string,
  howToSet: string,
): Promise<Evaluated> {
  const { file, shown } = request;
  if (scoreColumns.length > 0)
    throw new UserError(
      `${shown} has score columns (${list(scoreColumns.map((c) => c.name))}), but the task is ${reason}`,
      `Score columns are class probabilities: for regression leave them out; for classification, ${howToSet}.`,
    );
  for (const column of [yTrue, yPred]) {
    const bad = rows.filter((r) => isText(column, r));
    if (bad.length > 0) {
      const lines = await linesOfRows(file, [bad[0]!]);
      throw new UserError(
        `${shown}, ${rowLabel(bad[0]!, lines)}, column ${column.name}: "${column.texts![bad[0]!]}" is not a number, ` +
          `but the task is ${reason}${bad.length > 1 ? ` (${bad.length - 1} more such rows)` : ''}`,
        `Regression needs numbers in y_true and y_pred; for class labels, ${howToSet}.`,
      );
    }
  }
  const truth = rows.map((r) => yTrue.numbers[r]!);
  const predicted = rows.map((r) => yPred.numbers[r]!);
  return { metrics: regressionMetrics(truth, predicted), scored: { task: 'regression', rows, yTrue: truth, yPred: predicted } };
}

async function classificationOf(
  request: PredictionsRequest,
  yTrue: TableColumn,
  yPred: TableColumn,
  scoreColumns: TableColumn[],
  singleScores: TableColumn[],
  rows: number[],
): Promise<Evaluated> {
  const { file, shown, card, log } = request;
  if (singleScores.length > 1)
    throw new UserError(
      `${shown} has both a score and a probability column; give the positive class's score in one of them`,
      'score holds any real score (roc_auc only unless every value is in [0, 1]); probability holds a probability from 0 to 1.',
    );
  const single = singleScores[0] ?? null;
  if (single && scoreColumns.length > 0)
    throw new UserError(
      `${shown} has both a ${single.name} column and score:<class> columns (${list(scoreColumns.map((c) => c.name))}); give one or the other`,
      `Either one score:<class> column per class, or, for a two-class task, one ${single.name} column of the positive class's score. ` +
        `If ${single.name} is not the model's score, rename it.`,
    );
  const truthLabels = new Set(rows.map((r) => labelOf(yTrue, r)!));
  const predictedLabels = new Set(rows.map((r) => labelOf(yPred, r)!));
  const labels = new Set([...truthLabels, ...predictedLabels]);
  // The card's classes order the report's when every predicted label is one of them (a label
  // only y_true holds is a class the model never saw); else the card is not this model's, or
  // names its classes otherwise, and the file's own labels are used.
  let cardClasses = card?.classes ?? [];
  const foreign = [...predictedLabels].filter((l) => !cardClasses.includes(l)).sort(compareLabels);
  if (cardClasses.length > 0 && foreign.length > 0) {
    log.warning(
      `${shown}: y_pred holds labels that are not classes of the model card ${card!.source} (${list(cardClasses)}): ${list(foreign)}; ` +
        "the file's own labels are used. Write the labels as the model names its classes.",
    );
    cardClasses = [];
  }
  const scoreClasses = scoreColumns.map((c) => c.name.slice(SCORE_PREFIX.length));

  if (scoreColumns.length > 0) {
    const known = new Set([...labels, ...cardClasses]);
    const strangers = scoreClasses.filter((c) => !known.has(c));
    if (strangers.length > 0)
      throw new UserError(
        `${shown}: score columns name classes that are not labels in y_true or y_pred${cardClasses.length > 0 ? ' nor classes of the model card' : ''}: ` +
          `${list(strangers.map((c) => SCORE_PREFIX + c))} (the labels are: ${list([...labels].sort(compareLabels))})`,
        'Name each score column score:<label>, with the label written exactly as in y_true and y_pred (case, spaces and numbers as 1, not 1.0).',
      );
    const withScores = new Set(scoreClasses);
    const unscored = [...predictedLabels].filter((c) => !withScores.has(c)).sort(compareLabels);
    if (unscored.length > 0)
      throw new UserError(
        `${shown}: y_pred predicts classes that have no score column: ${list(unscored)} (score columns: ${list(scoreColumns.map((c) => c.name))})`,
        'Write one score:<class> column per class the model knows (scikit-learn: one per model.classes_, from predict_proba), or no score columns at all.',
      );
    await checkProbabilities(file, shown, scoreColumns, rows);
  }

  const extra = [...new Set([...labels, ...scoreClasses])].filter((c) => !cardClasses.includes(c)).sort(compareLabels);
  const classes = [...cardClasses, ...extra];
  const index = new Map(classes.map((c, i) => [c, i]));
  const truth = rows.map((r) => index.get(labelOf(yTrue, r)!)!);
  const predicted = rows.map((r) => index.get(labelOf(yPred, r)!)!);
  const positiveClass = request.positiveClass?.trim() ? request.positiveClass : null;
  const positive = positiveClassIndex(classes, positiveClass);
  if (positive !== null) {
    log.info(
      positiveClass !== null
        ? `Positive class of ${shown}: ${classes[positive]}, as set.`
        : `Positive class of ${shown}: ${classes[positive]} (of ${classes.join(', ')}), the class of precision, recall, f1 and roc_auc; ` +
            'to choose the other, set evaluate.positive_class in mlops.yaml (or the positive-class input).',
    );
  }
  let scores: number[][] = [];
  let probabilities = true;
  if (single) {
    if (positive === null)
      throw new UserError(
        `${shown}: a ${single.name} column is the positive class's score of a two-class task, but there ${classes.length === 1 ? 'is 1 class' : `are ${classes.length} classes`} ` +
          `(${list(classes)})`,
        classes.length > 2
          ? `With more than two classes write one score:<class> column per class (scikit-learn: one per model.classes_, from predict_proba), or leave ${single.name} out.`
          : `Put the model card beside the file (its classes name both), or write one score:<class> column per class, or leave ${single.name} out.`,
      );
    const values = await singleScoreValues(file, shown, single, rows);
    probabilities = values.every((v) => v >= -PROBABILITY_SLACK && v <= 1 + PROBABILITY_SLACK);
    scores = values.map((v) => {
      const row = [0, 0];
      row[positive] = v;
      row[1 - positive] = probabilities ? 1 - v : -v;
      return row;
    });
    log.info(
      `${shown}: the ${single.name} column is read as the score of the positive class ${classes[positive]}` +
        (probabilities ? '.' : '; its values are not all in [0, 1], so roc_auc is computed from it and log_loss is not.'),
    );
  }
  if (!single && scoreColumns.length > 0) {
    const byClass = classes.map((c) => scoreColumns.find((s) => s.name === SCORE_PREFIX + c) ?? null);
    const unseen = classes.filter((_, i) => byClass[i] === null && truthLabels.has(classes[i]!));
    if (unseen.length > 0) {
      const count = truth.filter((t) => byClass[t] === null).length;
      log.warning(
        `${shown}: ${count} rows have a class in y_true with no score column (${list(unseen)}): the model gives it no probability, so they count as wrong predictions.`,
      );
    }
    scores = rows.map((r) => byClass.map((c) => (c === null ? 0 : c.numbers[r]!)));
  }
  const scored: Scored = { task: 'classification', classes, rows, yTrue: truth, yPred: predicted, scores, positiveClass, probabilities };
  return { metrics: fullMetrics(scored), scored };
}

/**
 * The values of a single score column at `rows`: finite numbers, and for `probability` each in
 * [0, 1]; a UserError naming the file, row, line and value of the first that is not.
 */
async function singleScoreValues(file: string, shown: string, column: TableColumn, rows: readonly number[]): Promise<number[]> {
  const probability = column.name === 'probability';
  const fits = (v: number): boolean => Number.isFinite(v) && (!probability || (v >= -PROBABILITY_SLACK && v <= 1 + PROBABILITY_SLACK));
  const bad = rows.filter((r) => !fits(column.numbers[r]!));
  if (bad.length > 0) {
    const row = bad[0]!;
    const lines = await linesOfRows(file, [row]);
    const v = column.numbers[row]!;
    const text = column.texts?.[row] ?? null;
    const found = Number.isFinite(v) ? `holds ${v}` : text === null ? 'is empty' : `holds "${text}"`;
    throw new UserError(
      `${shown}, ${rowLabel(row, lines)}, column ${column.name} ${found}: expected ${probability ? 'a probability from 0 to 1' : 'a number'} ` +
        `(the positive class's score)${bad.length > 1 ? ` (${bad.length - 1} more such rows)` : ''}`,
      probability
        ? "Write the positive class's probability (scikit-learn: predict_proba(X)[:, 1]); for scores that are not probabilities (decision_function, logits), name the column score."
        : "Write the positive class's score as a number in every row (scikit-learn: predict_proba(X)[:, 1] or decision_function(X)), or leave the column out.",
    );
  }
  return rows.map((r) => column.numbers[r]!);
}

const PROBABILITY_HINT =
  "Write the model's class probabilities (scikit-learn: predict_proba), one score:<class> column per class, each row summing to 1. " +
  'Scores that are not probabilities (decision_function, logits) need a softmax first; or leave the score columns out.';

/** Every probability in [0, 1] and every row summing to 1 (see the module comment); a UserError at the first row that is not. */
async function checkProbabilities(file: string, shown: string, columns: TableColumn[], rows: readonly number[]): Promise<void> {
  let badValue: { row: number; column: TableColumn } | null = null;
  let badValues = 0;
  let badSum: { row: number; sum: number } | null = null;
  let badSums = 0;
  for (const r of rows) {
    let sum = 0;
    let valid = true;
    for (const c of columns) {
      const v = c.numbers[r]!;
      if (!(v >= -PROBABILITY_SLACK && v <= 1 + PROBABILITY_SLACK)) {
        valid = false;
        badValues++;
        badValue ??= { row: r, column: c };
      } else sum += v;
    }
    if (valid && Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
      badSums++;
      badSum ??= { row: r, sum };
    }
  }
  if (badValue) {
    const { row, column } = badValue;
    const lines = await linesOfRows(file, [row]);
    const text = column.texts?.[row] ?? (Number.isNaN(column.numbers[row]!) ? null : String(column.numbers[row]));
    const found = text === null ? 'is empty' : `holds ${Number.isNaN(column.numbers[row]!) ? `"${text}"` : text}`;
    throw new UserError(
      `${shown}, ${rowLabel(row, lines)}, column ${column.name} ${found}: expected a probability from 0 to 1` +
        `${badValues > 1 ? ` (${badValues - 1} more such values)` : ''}`,
      PROBABILITY_HINT,
    );
  }
  if (badSum) {
    const { row, sum } = badSum;
    const lines = await linesOfRows(file, [row]);
    const parts = columns.map((c) => `${c.name} ${c.numbers[row]}`).join(', ');
    throw new UserError(
      `${shown}, ${rowLabel(row, lines)}: the score columns sum to ${Number(sum.toPrecision(6))} (${parts}); ` +
        `expected the probabilities of a row to sum to 1 (within ${PROBABILITY_SUM_TOLERANCE})${badSums > 1 ? ` (${badSums - 1} more such rows)` : ''}`,
      PROBABILITY_HINT,
    );
  }
}
