/**
 * Conversion fidelity: does the ONNX graph predict what the original framework predicted?
 * A trainer may leave `reference-predictions.csv` in the model directory, written with the
 * original framework (scikit-learn, XGBoost, PyTorch...): the feature columns the model takes,
 * then `y_pred` and, for classifiers, one `score:<class>` column per class (`y_true` may be
 * there too; it is not read). Evaluate scores the graph on the same rows and compares row by
 * row; the blessing fails beyond the tolerance, as a gate on metrics would.
 *
 * Rows: the file's own rows when it holds every feature column of the model's signature;
 * with no feature column at all, the test data's rows in order (the counts must be equal);
 * some feature columns but not all is an error (which ones are missing is named).
 *
 * The figures, and their defaults (every label equal, differences at most 1e-4):
 * - label agreement: the share of rows where the graph's label (its most probable class, the
 *   first on ties, as numpy's argmax and scikit-learn's predict) equals `y_pred`;
 * - max difference: classification, the largest |graph − reference| over every probability
 *   of every row; regression, the largest |graph − reference| / max(1, |reference|), an
 *   absolute difference up to 1 and a relative one above, since a graph computing in float32
 *   carries about 7 significant digits whatever the target's units. A classifier that gives
 *   labels only (signature.probabilities false) is judged on its labels.
 * One pure function (compareFidelity) judges and returns every reason it failed, as
 * gates.ts does for metrics; reading the file is referenceOf, pure over a read table.
 */
import type { Table, TableColumn } from '../data/table.js';
import { UserError } from '../errors.js';
import type { ModelSignature } from '../model/model.js';
import { SCORE_PREFIX } from './predictions.js';
import { argmax, labelOf } from './score.js';

// Type aliases, not interfaces: they are written as the FidelityCheck contract (loose objects).
export type FidelityTolerance = {
  /** The largest difference allowed (see the module comment for what is measured). */
  maxDifference: number;
  /** The smallest share of rows whose labels must agree, from 0 to 1. */
  minLabelAgreement: number;
};

export const DEFAULT_FIDELITY_TOLERANCE: FidelityTolerance = { maxDifference: 1e-4, minLabelAgreement: 1 };

/** Which rows the graph was scored on: the reference file's own, or the test data's in order. */
export type FidelityRows = 'reference file' | 'test data';

/** The reference predictions as read: one entry per row of the file, classes in the model's order. */
export type ReferencePredictions =
  | { task: 'classification'; rows: number; alignedWith: FidelityRows; classes: string[]; labels: number[]; scores: number[][] | null }
  | { task: 'regression'; rows: number; alignedWith: FidelityRows; values: number[] };

export type FidelityResult = {
  /** The reference file as people see it. */
  file: string;
  task: 'classification' | 'regression';
  /** Rows compared, and which rows they were. */
  rows: number;
  alignedWith: FidelityRows;
  /** Classification: the share of rows with the same label (0 to 1), and how many differ; null for regression. */
  labelAgreement: number | null;
  differingLabels: number | null;
  /** The largest difference (see the module comment); null when there are no probabilities to compare, or the graph gave NaN. */
  maxDifference: number | null;
  /** Rows where the graph gave NaN or infinity (each fails the check). */
  nonFiniteRows: number;
  /** Where the largest difference is: 1-based data row, column, and both values. */
  maxDifferenceAt: { row: number; column: string; reference: number; model: number } | null;
  tolerance: FidelityTolerance;
  passed: boolean;
  /** Why it failed, one sentence per failed condition; empty when it passed. */
  reasons: string[];
};

const listed = (items: readonly string[], max = 10): string =>
  `${items.slice(0, max).join(', ')}${items.length > max ? `, … (${items.length} in all)` : ''}`;

const HINT_FILE =
  'reference-predictions.csv holds, per row, the feature columns the model takes (or none: then its rows are the test data rows, in order), ' +
  "then y_pred (the original framework's prediction) and, for classifiers, one score:<class> column per class (predict_proba).";

/**
 * Reads the reference predictions out of the file's table (see the module comment for the
 * rows); `testRows` is the row count of the test data (null without test data), `locate` words
 * a 0-based data row for a message ("row 3 (line 4)").
 */
export async function referenceOf(
  table: Table,
  signature: ModelSignature,
  shown: string,
  testRows: number | null,
  locate: (row: number) => Promise<string>,
): Promise<ReferencePredictions> {
  const names = new Set(table.columns.map((c) => c.name));
  const features = signature.features.map((f) => f.name);
  const missing = features.filter((f) => !names.has(f));
  let alignedWith: FidelityRows = 'reference file';
  if (missing.length > 0 && missing.length < features.length)
    throw new UserError(
      `${shown} lacks feature columns the model takes: ${listed(missing)} (it has ${listed([...names])})`,
      `${HINT_FILE} Write every feature column, or none.`,
    );
  if (missing.length === features.length && features.length > 0) {
    alignedWith = 'test data';
    if (testRows === null)
      throw new UserError(
        `${shown} has no feature columns, so its rows must be the test data's rows, but there is no test data`,
        'Set the `data` input or data.test in mlops.yaml to the test data the reference predictions were made on, or write the feature columns into the file.',
      );
    if (testRows !== table.rows)
      throw new UserError(
        `${shown} has no feature columns, so its rows are the test data's rows in order, but it has ${table.rows} rows and the test data ${testRows}`,
        'Write the predictions for every test row, in the order of the test data, or write the feature columns into the file (then any rows will do).',
      );
  }
  const yPred = table.columns.find((c) => c.name === 'y_pred');
  if (!yPred) throw new UserError(`${shown} has no column y_pred (its columns: ${listed([...names])})`, HINT_FILE);
  const target = signature.target;
  const scoreColumns = table.columns.filter((c) => c.name.startsWith(SCORE_PREFIX));
  const firstBad = async (column: TableColumn, bad: (row: number) => boolean, what: string): Promise<void> => {
    for (let r = 0; r < table.rows; r++) {
      if (!bad(r)) continue;
      const value = labelOf(column, r);
      throw new UserError(
        `${shown}, ${await locate(r)}, column ${column.name} ${value === null ? 'is empty' : `holds "${value}"`}: expected ${what}`,
        HINT_FILE,
      );
    }
  };

  if (target.task === 'regression') {
    if (scoreColumns.length > 0)
      throw new UserError(
        `${shown} has score columns (${listed(scoreColumns.map((c) => c.name))}), but the model is a regressor`,
        'Score columns are class probabilities: leave them out for a regressor.',
      );
    await firstBad(yPred, (r) => !Number.isFinite(yPred.numbers[r]!), "a number (the original model's prediction)");
    return { task: 'regression', rows: table.rows, alignedWith, values: Array.from(yPred.numbers) };
  }

  const classes = target.classes;
  const index = new Map(classes.map((c, i) => [c, i]));
  await firstBad(yPred, (r) => labelOf(yPred, r) === null, `a class (one of ${listed(classes)})`);
  const unknown = [...new Set(Array.from({ length: table.rows }, (_, r) => labelOf(yPred, r)!).filter((l) => !index.has(l)))];
  if (unknown.length > 0)
    throw new UserError(
      `${shown}: y_pred holds classes the model does not know: ${listed(unknown)} (its classes: ${listed(classes)})`,
      'Write the labels as the model names its classes (model-card.json signature.target.classes), for example 1 rather than 1.0.',
    );
  const strangers = scoreColumns.map((c) => c.name.slice(SCORE_PREFIX.length)).filter((c) => !index.has(c));
  if (strangers.length > 0)
    throw new UserError(
      `${shown}: score columns for classes the model does not know: ${listed(strangers.map((c) => SCORE_PREFIX + c))} (its classes: ${listed(classes)})`,
      'Name each score column score:<class>, with the class as the model names it.',
    );
  const labels = Array.from({ length: table.rows }, (_, r) => index.get(labelOf(yPred, r)!)!);
  if (!signature.probabilities) return { task: 'classification', rows: table.rows, alignedWith, classes, labels, scores: null };
  const byClass = classes.map((c) => scoreColumns.find((s) => s.name === SCORE_PREFIX + c));
  const unscored = classes.filter((_, i) => byClass[i] === undefined);
  if (unscored.length > 0)
    throw new UserError(
      `${shown}: no score column for the classes ${listed(unscored)} (the model gives probabilities for ${listed(classes)})`,
      `${HINT_FILE} Write score:<class> for every class.`,
    );
  for (const column of byClass) await firstBad(column!, (r) => !Number.isFinite(column!.numbers[r]!), 'a probability from 0 to 1');
  const scores = Array.from({ length: table.rows }, (_, r) => byClass.map((c) => c!.numbers[r]!));
  return { task: 'classification', rows: table.rows, alignedWith, classes, labels, scores };
}

/** A number for a sentence and a table: 3 significant digits, as JavaScript writes it (0.0001, 9.99e-7). */
function fmt(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** A predicted value in a sentence: 7 significant digits, enough to see two close values apart. */
const value = (v: number): string => String(Number(v.toPrecision(7)));

const percent = (share: number): string => `${Number((share * 100).toPrecision(4))}%`;

/** Row numbers for a sentence (1-based data rows), the first few. */
const rowList = (rows: readonly number[]): string =>
  `row${rows.length > 1 ? 's' : ''} ${listed(
    rows.map((r) => String(r + 1)),
    5,
  )}`;

/**
 * Compares the graph's predictions (`model`, as TabularModel.predict gives them for the same
 * rows in the same order) with the reference, against the tolerance; every failed condition
 * is a reason. Pure.
 */
export function compareFidelity(
  reference: ReferencePredictions,
  model: Float64Array,
  tolerance: FidelityTolerance,
  file: string,
): FidelityResult {
  const reasons: string[] = [];
  const base = { file, task: reference.task, rows: reference.rows, alignedWith: reference.alignedWith, tolerance };
  const graph = `the ONNX graph's`;
  const raise =
    'check the export (converter options, opset, input types: float32 against float64), or loosen evaluate.fidelity in mlops.yaml';
  let maxDifference: number | null = null;
  let at: FidelityResult['maxDifferenceAt'] = null;
  const nanRows: number[] = [];

  if (reference.task === 'regression') {
    for (let r = 0; r < reference.rows; r++) {
      const m = model[r]!;
      const ref = reference.values[r]!;
      if (!Number.isFinite(m)) {
        nanRows.push(r);
        continue;
      }
      const difference = Math.abs(m - ref) / Math.max(1, Math.abs(ref));
      if (maxDifference === null || difference > maxDifference) {
        maxDifference = difference;
        at = { row: r + 1, column: 'y_pred', reference: ref, model: m };
      }
    }
    if (nanRows.length > 0) {
      maxDifference = null;
      reasons.push(`${graph} prediction is not a number on ${nanRows.length} rows (${rowList(nanRows)}); ${raise}`);
    } else if (maxDifference !== null && maxDifference > tolerance.maxDifference) {
      reasons.push(
        `${graph} predictions differ from ${file} by up to ${fmt(maxDifference)} (row ${at!.row}: ${value(at!.model)} against ${value(at!.reference)}; ` +
          `relative to the value above 1), above the maximum ${fmt(tolerance.maxDifference)}; ${raise}`,
      );
    }
    return {
      ...base,
      labelAgreement: null,
      differingLabels: null,
      maxDifference,
      nonFiniteRows: nanRows.length,
      maxDifferenceAt: nanRows.length > 0 ? null : at,
      passed: reasons.length === 0,
      reasons,
    };
  }

  const k = reference.classes.length;
  const differing: number[] = [];
  let nearTies = 0;
  for (let r = 0; r < reference.rows; r++) {
    const row = model.subarray(r * k, (r + 1) * k);
    if (row.some((v) => !Number.isFinite(v))) {
      nanRows.push(r);
      differing.push(r);
      continue;
    }
    const label = argmax(row);
    const expected = reference.labels[r]!;
    if (label !== expected) {
      differing.push(r);
      if (row[label]! - row[expected]! <= tolerance.maxDifference) nearTies++;
    }
    if (reference.scores) {
      for (let c = 0; c < k; c++) {
        const difference = Math.abs(row[c]! - reference.scores[r]![c]!);
        if (maxDifference === null || difference > maxDifference) {
          maxDifference = difference;
          at = { row: r + 1, column: `${SCORE_PREFIX}${reference.classes[c]}`, reference: reference.scores[r]![c]!, model: row[c]! };
        }
      }
    }
  }
  const labelAgreement = reference.rows === 0 ? 1 : (reference.rows - differing.length) / reference.rows;
  if (nanRows.length > 0) {
    maxDifference = null;
    at = null;
    reasons.push(`${graph} probabilities are not numbers on ${nanRows.length} rows (${rowList(nanRows)}); ${raise}`);
  }
  if (labelAgreement < tolerance.minLabelAgreement) {
    const ties =
      nearTies > 0 ? `; ${nearTies} of them near ties, the graph's top two probabilities within ${fmt(tolerance.maxDifference)}` : '';
    reasons.push(
      `${graph} labels agree with ${file} on ${percent(labelAgreement)} of ${reference.rows} rows ` +
        `(${differing.length} differ: ${rowList(differing)}${ties}), below the minimum ${percent(tolerance.minLabelAgreement)}; ${raise}`,
    );
  }
  if (nanRows.length === 0 && maxDifference !== null && maxDifference > tolerance.maxDifference) {
    reasons.push(
      `${graph} probabilities differ from ${file} by up to ${fmt(maxDifference)} (row ${at!.row}, ${at!.column}: ${value(at!.model)} against ${value(at!.reference)}), ` +
        `above the maximum ${fmt(tolerance.maxDifference)}; ${raise}`,
    );
  }
  return {
    ...base,
    labelAgreement,
    differingLabels: differing.length,
    maxDifference,
    nonFiniteRows: nanRows.length,
    maxDifferenceAt: at,
    passed: reasons.length === 0,
    reasons,
  };
}

/**
 * The figures of a fidelity check as reports show them (Markdown and HTML alike), as plain
 * text made only of numbers and fixed words; the one text from a user's file, the column of
 * the largest difference, is apart (`at`) for each report to quote its own way.
 */
export function fidelityFigures(result: FidelityResult): {
  headers: [string, string, string, string, string];
  cells: [string, string, string, string, string];
  /** Where the largest difference is, shown after the difference: 1-based row and column. */
  at: { row: number; column: string } | null;
  /** What was compared: "labels and probabilities", "labels", "predicted values (relative above 1)". */
  measured: string;
} {
  const { tolerance } = result;
  const agreement =
    result.labelAgreement === null
      ? '—'
      : `${percent(result.labelAgreement)} (${result.differingLabels} ${result.differingLabels === 1 ? 'row differs' : 'rows differ'})`;
  const difference =
    result.nonFiniteRows > 0
      ? `not a number on ${result.nonFiniteRows} rows`
      : result.maxDifference === null
        ? '—'
        : fmt(result.maxDifference);
  const bounds = [
    ...(result.task === 'classification' ? [`labels ≥ ${percent(tolerance.minLabelAgreement)}`] : []),
    `difference ≤ ${fmt(tolerance.maxDifference)}`,
  ];
  const measured =
    result.task === 'regression'
      ? 'predicted values (relative above 1)'
      : result.maxDifference === null
        ? 'labels'
        : 'labels and probabilities';
  return {
    headers: ['Rows compared', 'Label agreement', 'Max difference', 'Tolerance', 'Result'],
    cells: [`${result.rows} (${result.alignedWith} rows)`, agreement, difference, bounds.join(', '), result.passed ? 'pass' : 'fail'],
    at:
      result.nonFiniteRows === 0 && result.maxDifferenceAt
        ? { row: result.maxDifferenceAt.row, column: result.maxDifferenceAt.column }
        : null,
    measured,
  };
}
