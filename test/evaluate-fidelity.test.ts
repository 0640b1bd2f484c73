/**
 * The conversion fidelity check as pure functions (core/evaluate/fidelity.ts): compareFidelity
 * on hand-made predictions (label agreement, the largest difference and where, near ties, NaN
 * from the graph, label-only classifiers, regression's difference relative above 1, every
 * reason at once), referenceOf on hand-made tables (which rows, every malformed file), and
 * the figures the reports show. Expected values are worked out by hand in the comments.
 */
import { describe, expect, test } from '@jest/globals';
import type { Table, TableColumn } from '../src/core/data/table.js';
import { UserError } from '../src/core/errors.js';
import { DEFAULT_FIDELITY_TOLERANCE, compareFidelity, fidelityFigures, referenceOf } from '../src/core/evaluate/fidelity.js';
import type { ReferencePredictions } from '../src/core/evaluate/fidelity.js';
import type { ModelSignature } from '../src/core/model/model.js';

const FILE = 'model/reference-predictions.csv';
const strict = DEFAULT_FIDELITY_TOLERANCE;

/** Two classes, three rows; reference probabilities of class b 0.2, 0.7, 0.55 (labels a, b, b). */
const binary = (): Extract<ReferencePredictions, { task: 'classification' }> => ({
  task: 'classification',
  rows: 3,
  alignedWith: 'reference file',
  classes: ['a', 'b'],
  labels: [0, 1, 1],
  scores: [
    [0.8, 0.2],
    [0.3, 0.7],
    [0.45, 0.55],
  ],
});

describe('compareFidelity: classification', () => {
  test('the same predictions: every label agrees, difference 0, passed', () => {
    const result = compareFidelity(binary(), Float64Array.from([0.8, 0.2, 0.3, 0.7, 0.45, 0.55]), strict, FILE);
    expect(result).toEqual({
      file: FILE,
      task: 'classification',
      rows: 3,
      alignedWith: 'reference file',
      tolerance: strict,
      labelAgreement: 1,
      differingLabels: 0,
      maxDifference: 0,
      nonFiniteRows: 0,
      maxDifferenceAt: { row: 1, column: 'score:a', reference: 0.8, model: 0.8 },
      passed: true,
      reasons: [],
    });
  });

  test('float32 rounding within 1e-4 passes; the largest difference and where it is are reported', () => {
    // Differences 0, 0, 3e-5 (row 2, both classes), 0, 5e-5 (row 3, score:a).
    const result = compareFidelity(binary(), Float64Array.from([0.8, 0.2, 0.30003, 0.69997, 0.45005, 0.54995]), strict, FILE);
    expect(result.passed).toBe(true);
    expect(result.maxDifference).toBeCloseTo(5e-5, 12);
    expect(result.maxDifferenceAt).toEqual({ row: 3, column: 'score:a', reference: 0.45, model: 0.45005 });
  });

  test('a flipped label and a moved probability: both reasons, with rows, and the near tie counted', () => {
    // Row 3: the graph gives a 0.50003 and b 0.49996: label a against b, a near tie (0.00007 <= 1e-4),
    // and probabilities 0.05003 (a) and 0.05004 (b) away from the reference's.
    const result = compareFidelity(binary(), Float64Array.from([0.8, 0.2, 0.3, 0.7, 0.50003, 0.49996]), strict, FILE);
    expect(result.passed).toBe(false);
    expect(result.labelAgreement).toBeCloseTo(2 / 3, 12);
    expect(result.differingLabels).toBe(1);
    expect(result.maxDifference).toBeCloseTo(0.05004, 12);
    expect(result.reasons).toEqual([
      `the ONNX graph's labels agree with ${FILE} on 66.67% of 3 rows (1 differ: row 3; 1 of them near ties, the graph's top two probabilities within 0.0001), ` +
        'below the minimum 100%; check the export (converter options, opset, input types: float32 against float64), or loosen evaluate.fidelity in mlops.yaml',
      `the ONNX graph's probabilities differ from ${FILE} by up to 0.05 (row 3, score:b: 0.49996 against 0.55), above the maximum 0.0001; ` +
        'check the export (converter options, opset, input types: float32 against float64), or loosen evaluate.fidelity in mlops.yaml',
    ]);
  });

  test('a looser tolerance lets the same predictions pass', () => {
    const result = compareFidelity(
      binary(),
      Float64Array.from([0.8, 0.2, 0.3, 0.7, 0.50003, 0.49996]),
      { maxDifference: 0.06, minLabelAgreement: 0.6 },
      FILE,
    );
    expect(result).toMatchObject({ passed: true, reasons: [], tolerance: { maxDifference: 0.06, minLabelAgreement: 0.6 } });
  });

  test('ties go to the first class, as numpy argmax and scikit-learn predict', () => {
    const reference: ReferencePredictions = { ...binary(), rows: 1, labels: [0], scores: [[0.5, 0.5]] };
    expect(compareFidelity(reference, Float64Array.from([0.5, 0.5]), strict, FILE).labelAgreement).toBe(1);
  });

  test('NaN from the graph fails, whatever the tolerance; no difference is reported', () => {
    const result = compareFidelity(
      binary(),
      Float64Array.from([0.8, 0.2, NaN, NaN, 0.45, 0.55]),
      { maxDifference: 1, minLabelAgreement: 0 },
      FILE,
    );
    expect(result).toMatchObject({ passed: false, maxDifference: null, maxDifferenceAt: null, nonFiniteRows: 1, differingLabels: 1 });
    expect(result.reasons).toEqual([
      `the ONNX graph's probabilities are not numbers on 1 rows (row 2); check the export (converter options, opset, input types: float32 against float64), or loosen evaluate.fidelity in mlops.yaml`,
    ]);
    expect(fidelityFigures(result).cells[2]).toBe('not a number on 1 rows');
  });

  test('a classifier giving labels only is judged on its labels', () => {
    const reference: ReferencePredictions = { ...binary(), scores: null };
    // One-hot "probabilities": labels a, b, a against a, b, b.
    const result = compareFidelity(reference, Float64Array.from([1, 0, 0, 1, 1, 0]), strict, FILE);
    expect(result).toMatchObject({ maxDifference: null, maxDifferenceAt: null, differingLabels: 1, passed: false });
    expect(result.reasons).toHaveLength(1);
    expect(fidelityFigures(result).measured).toBe('labels');
  });

  test('the figures the reports show', () => {
    const result = compareFidelity(binary(), Float64Array.from([0.8, 0.2, 0.3, 0.7, 0.50003, 0.49996]), strict, FILE);
    expect(fidelityFigures(result)).toEqual({
      headers: ['Rows compared', 'Label agreement', 'Max difference', 'Tolerance', 'Result'],
      cells: ['3 (reference file rows)', '66.67% (1 row differs)', '0.05', 'labels ≥ 100%, difference ≤ 0.0001', 'fail'],
      at: { row: 3, column: 'score:b' },
      measured: 'labels and probabilities',
    });
  });
});

describe('compareFidelity: regression', () => {
  const values = (...v: number[]): ReferencePredictions => ({ task: 'regression', rows: v.length, alignedWith: 'test data', values: v });

  test('the difference is absolute up to 1 and relative above', () => {
    // 1000 against 1000.05: 0.05 / 1000 = 5e-5; 0.5 against 0.50005: 5e-5 absolute. Both pass.
    const close = compareFidelity(values(1000, 0.5), Float64Array.from([1000.05, 0.50005]), strict, FILE);
    expect(close.passed).toBe(true);
    expect(close.maxDifference).toBeCloseTo(5e-5, 9);
    expect(close).toMatchObject({ labelAgreement: null, differingLabels: null, alignedWith: 'test data' });
    // 0.5 against 0.5002: 2e-4 absolute: fails; 1000 against 1000.2 would be 2e-4 relative too.
    const far = compareFidelity(values(1000, 0.5), Float64Array.from([1000.2, 0.5002]), strict, FILE);
    expect(far.passed).toBe(false);
    expect(far.maxDifference).toBeCloseTo(2e-4, 9);
    expect(far.reasons[0]).toMatch(
      /^the ONNX graph's predictions differ from model\/reference-predictions\.csv by up to 0\.0002 \(row [12]: /,
    );
    expect(fidelityFigures(far)).toMatchObject({
      cells: ['2 (test data rows)', '—', '0.0002', 'difference ≤ 0.0001', 'fail'],
      measured: 'predicted values (relative above 1)',
    });
  });

  test('NaN from the graph fails with the rows named', () => {
    const result = compareFidelity(values(1, 2, 3), Float64Array.from([1, NaN, Infinity]), strict, FILE);
    expect(result).toMatchObject({ passed: false, maxDifference: null, nonFiniteRows: 2 });
    expect(result.reasons[0]).toMatch(/prediction is not a number on 2 rows \(rows 2, 3\)/);
  });
});

describe('referenceOf: reading the reference file', () => {
  const column = (name: string, cells: Array<string | number | null>): TableColumn => {
    const text = cells.some((c) => typeof c === 'string');
    return {
      name,
      numbers: Float64Array.from(cells, (c) => (typeof c === 'number' ? c : NaN)),
      texts: text ? cells.map((c) => (c === null ? null : String(c))) : null,
      present: cells.filter((c) => c !== null).length,
      numeric: cells.filter((c) => typeof c === 'number').length,
    };
  };
  const table = (...columns: TableColumn[]): Table => ({ rows: columns[0]!.numbers.length, columns, files: [FILE] });
  const classifier = (probabilities = true): ModelSignature => ({
    features: [
      { name: 'x', type: 'number' },
      { name: 'colour', type: 'string' },
    ],
    target: { name: 'y', task: 'classification', classes: ['0', '1'] },
    probabilities,
  });
  const locate = async (row: number) => `row ${row + 1}`;
  const failure = async (promise: Promise<unknown>): Promise<UserError> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof UserError) return error;
      throw error;
    }
    throw new Error('expected a UserError');
  };

  test("with every feature column: the file's own rows; scores in the model's class order, whatever the file's", async () => {
    const file = table(
      column('x', [1, 2]),
      column('colour', ['red', 'blue']),
      column('y_pred', [1, 0]),
      column('score:1', [0.9, 0.2]),
      column('score:0', [0.1, 0.8]),
    );
    expect(await referenceOf(file, classifier(), FILE, null, locate)).toEqual({
      task: 'classification',
      rows: 2,
      alignedWith: 'reference file',
      classes: ['0', '1'],
      labels: [1, 0],
      scores: [
        [0.1, 0.9],
        [0.8, 0.2],
      ],
    });
  });

  test('without feature columns: the test data rows, when the counts agree', async () => {
    const file = table(column('y_pred', [1, 0]), column('score:0', [0.1, 0.8]), column('score:1', [0.9, 0.2]));
    expect((await referenceOf(file, classifier(), FILE, 2, locate)).alignedWith).toBe('test data');
    expect((await failure(referenceOf(file, classifier(), FILE, 3, locate))).message).toBe(
      `${FILE} has no feature columns, so its rows are the test data's rows in order, but it has 2 rows and the test data 3`,
    );
    expect((await failure(referenceOf(file, classifier(), FILE, null, locate))).message).toBe(
      `${FILE} has no feature columns, so its rows must be the test data's rows, but there is no test data`,
    );
  });

  test('a label-only classifier needs no score columns', async () => {
    const file = table(column('x', [1]), column('colour', ['red']), column('y_pred', [1]));
    expect(await referenceOf(file, classifier(false), FILE, null, locate)).toMatchObject({ labels: [1], scores: null });
  });

  test('an empty label or a text probability is named by row and column', async () => {
    const emptyLabel = table(
      column('x', [1, 2]),
      column('colour', ['red', 'blue']),
      column('y_pred', [1, null]),
      column('score:0', [0, 1]),
      column('score:1', [1, 0]),
    );
    expect((await failure(referenceOf(emptyLabel, classifier(), FILE, null, locate))).message).toBe(
      `${FILE}, row 2, column y_pred is empty: expected a class (one of 0, 1)`,
    );
    const textScore = table(
      column('x', [1]),
      column('colour', ['red']),
      column('y_pred', [1]),
      column('score:0', ['low']),
      column('score:1', [1]),
    );
    expect((await failure(referenceOf(textScore, classifier(), FILE, null, locate))).message).toBe(
      `${FILE}, row 1, column score:0 holds "low": expected a probability from 0 to 1`,
    );
  });

  test('score columns on a regressor are refused', async () => {
    const regressor: ModelSignature = {
      features: [{ name: 'x', type: 'number' }],
      target: { name: 'y', task: 'regression' },
      probabilities: true,
    };
    const file = table(column('x', [1]), column('y_pred', [2.5]), column('score:0', [1]));
    expect((await failure(referenceOf(file, regressor, FILE, null, locate))).message).toBe(
      `${FILE} has score columns (score:0), but the model is a regressor`,
    );
  });
});
