import { describe, expect, test } from '@jest/globals';
import {
  classificationMetrics,
  downsampleCurve,
  precisionRecallCurve,
  regressionMetrics,
  rocCurve,
  sliceMetrics,
} from '../src/core/evaluate/metrics.js';
import type { ClassificationMetrics } from '../src/core/evaluate/metrics.js';
import { slicesOf } from '../src/core/evaluate/scoring.js';
import type { Table, TableColumn } from '../src/core/data/table.js';
import { prng } from './support/random.js';
import { userErrorOf } from './support/errors.js';

/*
 * Every expected value here is worked out by hand (the working is in the comments) or copied from a
 * published scikit-learn documentation example (named where used), never from the code under test.
 */

/** Binary probability rows [1 - p, p] from positive-class probabilities. */
const binaryScores = (p: number[]): number[][] => p.map((v) => [1 - v, v]);

function expectPerClass(m: ClassificationMetrics, expected: Array<[string, number, number, number, number]>): void {
  expect(m.per_class.map((c) => c.class)).toEqual(expected.map((e) => e[0]));
  m.per_class.forEach((c, i) => {
    const [, support, precision, recall, f1] = expected[i]!;
    expect(c.support).toBe(support);
    expect(c.precision).toBeCloseTo(precision, 12);
    expect(c.recall).toBeCloseTo(recall, 12);
    expect(c.f1).toBeCloseTo(f1, 12);
  });
}

describe('classificationMetrics: hand-computed', () => {
  test('a 3-class example: confusion matrix, per-class, macro and weighted', () => {
    /*
     * classes a, b, c; 10 rows.
     *   yTrue: a a a a b b b c c c      supports a=4, b=3, c=3
     *   yPred: a a b c b b a c c b
     * Confusion matrix (rows true, columns predicted):
     *   a: [2, 1, 1]
     *   b: [1, 2, 0]
     *   c: [0, 1, 2]
     * Predicted totals (column sums): a=3, b=4, c=3. Correct (diagonal): 6 → accuracy 0.6.
     * precision: a 2/3, b 2/4 = 1/2, c 2/3
     * recall:    a 2/4 = 1/2, b 2/3, c 2/3
     * f1 = 2tp / (2tp + fp + fn): a 4/(4+1+2) = 4/7, b 4/(4+2+1) = 4/7, c 4/(4+1+1) = 2/3
     * precision_macro = (2/3 + 1/2 + 2/3)/3 = 11/18; recall_macro = (1/2 + 2/3 + 2/3)/3 = 11/18
     * balanced_accuracy = mean recall over classes in y_true = 11/18
     * f1_macro = (4/7 + 4/7 + 2/3)/3 = (24/21 + 14/21)/3 = 38/63
     * precision_weighted = (4·2/3 + 3·1/2 + 3·2/3)/10 = (8/3 + 3/2 + 2)/10 = (37/6)/10 = 37/60
     * recall_weighted = (4·1/2 + 3·2/3 + 3·2/3)/10 = 6/10 (always equals accuracy)
     * f1_weighted = (4·4/7 + 3·4/7 + 3·2/3)/10 = (4 + 2)/10 = 0.6
     */
    const a = 0;
    const b = 1;
    const c = 2;
    const m = classificationMetrics({
      classes: ['a', 'b', 'c'],
      yTrue: [a, a, a, a, b, b, b, c, c, c],
      yPred: [a, a, b, c, b, b, a, c, c, b],
    });
    expect(m.count).toBe(10);
    expect(m.confusion_matrix).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [0, 1, 2],
    ]);
    expect(m.accuracy).toBeCloseTo(0.6, 12);
    expectPerClass(m, [
      ['a', 4, 2 / 3, 1 / 2, 4 / 7],
      ['b', 3, 1 / 2, 2 / 3, 4 / 7],
      ['c', 3, 2 / 3, 2 / 3, 2 / 3],
    ]);
    expect(m.precision_macro).toBeCloseTo(11 / 18, 12);
    expect(m.recall_macro).toBeCloseTo(11 / 18, 12);
    expect(m.balanced_accuracy).toBeCloseTo(11 / 18, 12);
    expect(m.f1_macro).toBeCloseTo(38 / 63, 12);
    expect(m.precision_weighted).toBeCloseTo(37 / 60, 12);
    expect(m.recall_weighted).toBeCloseTo(0.6, 12);
    expect(m.f1_weighted).toBeCloseTo(0.6, 12);
    expect(m.roc_auc).toBeNull();
    expect(m.log_loss).toBeNull();
  });

  test('3-class one-vs-rest ROC AUC (with a tie) and log loss', () => {
    /*
     * yTrue: a a b b c c; scores (a, b, c):
     *   r0 a [0.7, 0.2, 0.1]   r1 a [0.4, 0.4, 0.2]
     *   r2 b [0.3, 0.5, 0.2]   r3 b [0.5, 0.3, 0.2]
     *   r4 c [0.2, 0.2, 0.6]   r5 c [0.2, 0.6, 0.2]
     * AUC = (pairs positive > negative + 0.5 · ties) / (positives · negatives), 2 · 4 = 8 pairs each:
     *   a: positives 0.7, 0.4 vs negatives 0.3, 0.5, 0.2, 0.2 → 4 + 3 = 7 → 7/8 = 0.875
     *   b: positives 0.5, 0.3 vs negatives 0.2, 0.4, 0.2, 0.6 → 3 + 2 = 5 → 5/8 = 0.625
     *   c: positives 0.6, 0.2 vs negatives 0.1, 0.2, 0.2, 0.2 → 4 + (1 + 3 · 0.5) = 6.5 → 0.8125
     *   macro = (0.875 + 0.625 + 0.8125)/3 = 2.3125/3
     * log loss = −(ln 0.7 + ln 0.4 + ln 0.5 + ln 0.3 + ln 0.6 + ln 0.2)/6
     */
    const scores = [
      [0.7, 0.2, 0.1],
      [0.4, 0.4, 0.2],
      [0.3, 0.5, 0.2],
      [0.5, 0.3, 0.2],
      [0.2, 0.2, 0.6],
      [0.2, 0.6, 0.2],
    ];
    const m = classificationMetrics({ classes: ['a', 'b', 'c'], yTrue: [0, 0, 1, 1, 2, 2], yPred: [0, 0, 1, 0, 2, 1], scores });
    expect(m.roc_auc).toBeCloseTo(2.3125 / 3, 12);
    const expectedLogLoss = -(Math.log(0.7) + Math.log(0.4) + Math.log(0.5) + Math.log(0.3) + Math.log(0.6) + Math.log(0.2)) / 6;
    expect(m.log_loss).toBeCloseTo(expectedLogLoss, 12);
    expect(m.log_loss).toBeCloseTo(0.881725, 5); // −ln(0.00504)/6

    // Float64Array rows work the same.
    const typed = classificationMetrics({
      classes: ['a', 'b', 'c'],
      yTrue: [0, 0, 1, 1, 2, 2],
      yPred: [0, 0, 1, 0, 2, 1],
      scores: scores.map((r) => Float64Array.from(r)),
    });
    expect(typed.roc_auc).toBeCloseTo(2.3125 / 3, 12);

    // A fourth class with no rows in y_true has no AUC: it is left out of the average.
    const withEmptyClass = classificationMetrics({
      classes: ['a', 'b', 'c', 'd'],
      yTrue: [0, 0, 1, 1, 2, 2],
      yPred: [0, 0, 1, 0, 2, 1],
      scores: scores.map((r) => [...r, 0]),
    });
    expect(withEmptyClass.roc_auc).toBeCloseTo(2.3125 / 3, 12);
  });

  test('binary ROC AUC with tied scores: concordant pairs plus half the ties', () => {
    /*
     * yTrue:  0    0    1    1    0    1    0    1
     * p(1):  0.1  0.4  0.4  0.8  0.6  0.6  0.6  0.2
     * positives 0.4, 0.8, 0.6, 0.2; negatives 0.1, 0.4, 0.6, 0.6 (16 pairs)
     *   0.4: beats 0.1, ties 0.4, loses 0.6 0.6 → 1.5
     *   0.8: beats all four                     → 4
     *   0.6: beats 0.1 0.4, ties 0.6 0.6         → 3
     *   0.2: beats 0.1                           → 1
     * AUC = 9.5/16 = 0.59375
     */
    const p = [0.1, 0.4, 0.4, 0.8, 0.6, 0.6, 0.6, 0.2];
    const yTrue = [0, 0, 1, 1, 0, 1, 0, 1];
    const m = classificationMetrics({ classes: ['no', 'yes'], yTrue, yPred: p.map((v) => (v >= 0.5 ? 1 : 0)), scores: binaryScores(p) });
    expect(m.roc_auc).toBeCloseTo(0.59375, 12);
    // The same AUC as the trapezoidal area under the curve (ties make diagonal steps).
    const curve = rocCurve(yTrue, p);
    let area = 0;
    for (let i = 1; i < curve.length; i++) area += ((curve[i]!.fpr - curve[i - 1]!.fpr) * (curve[i]!.tpr + curve[i - 1]!.tpr)) / 2;
    expect(area).toBeCloseTo(0.59375, 12);
  });

  test("binary AUC uses the positive class's own column (here pos, the second sorted label: scores[i][1])", () => {
    // Scores that do not sum to 1: only column 1 counts. Positives 0.9, 0.8 beat negatives 0.1, 0.2 → 1.
    // (metrics-binary.test.ts covers how the positive class is chosen.)
    const m = classificationMetrics({
      classes: ['neg', 'pos'],
      yTrue: [0, 1, 0, 1],
      yPred: [0, 1, 0, 1],
      scores: [
        [0.9, 0.1],
        [0.9, 0.9],
        [0.0, 0.2],
        [0.5, 0.8],
      ],
    });
    expect(m.roc_auc).toBe(1);
    expect(m.positive_class).toBe('pos');
  });

  test('a class never predicted gets precision 0 (zero_division=0) and counts in the averages', () => {
    /*
     * classes a b c; yTrue a a b b c c; yPred a a a b a b (c never predicted)
     * confusion: a [2,0,0], b [1,1,0], c [1,1,0]; predicted totals a 4, b 2, c 0
     * precision a 2/4, b 1/2, c 0/0 → 0; recall a 2/2, b 1/2, c 0/2 = 0
     * f1 a 4/(4+2+0) = 2/3, b 2/(2+1+1) = 1/2, c 0/(0+0+2) = 0
     * macro: precision (1/2 + 1/2 + 0)/3 = 1/3, recall (1 + 1/2 + 0)/3 = 1/2, f1 (2/3 + 1/2)/3 = 7/18
     * supports are equal (2 each), so weighted = macro; accuracy 3/6
     */
    const m = classificationMetrics({ classes: ['a', 'b', 'c'], yTrue: [0, 0, 1, 1, 2, 2], yPred: [0, 0, 0, 1, 0, 1] });
    expectPerClass(m, [
      ['a', 2, 1 / 2, 1, 2 / 3],
      ['b', 2, 1 / 2, 1 / 2, 1 / 2],
      ['c', 2, 0, 0, 0],
    ]);
    expect(m.accuracy).toBeCloseTo(0.5, 12);
    expect(m.balanced_accuracy).toBeCloseTo(0.5, 12);
    expect(m.precision_macro).toBeCloseTo(1 / 3, 12);
    expect(m.recall_macro).toBeCloseTo(1 / 2, 12);
    expect(m.f1_macro).toBeCloseTo(7 / 18, 12);
    expect(m.precision_weighted).toBeCloseTo(1 / 3, 12);
    expect(m.recall_weighted).toBeCloseTo(1 / 2, 12);
    expect(m.f1_weighted).toBeCloseTo(7 / 18, 12);
  });

  test('a class in neither y_true nor y_pred is listed with zeros but left out of macro averages (sklearn default labels)', () => {
    // The same rows as above with a fourth class d that never occurs: macro averages stay over a, b, c.
    const m = classificationMetrics({ classes: ['a', 'b', 'c', 'd'], yTrue: [0, 0, 1, 1, 2, 2], yPred: [0, 0, 0, 1, 0, 1] });
    expect(m.per_class[3]).toEqual({ class: 'd', support: 0, precision: 0, recall: 0, f1: 0 });
    expect(m.precision_macro).toBeCloseTo(1 / 3, 12);
    expect(m.recall_macro).toBeCloseTo(1 / 2, 12);
    expect(m.f1_macro).toBeCloseTo(7 / 18, 12);
    expect(m.confusion_matrix).toEqual([
      [2, 0, 0, 0],
      [1, 1, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  test('single-class y_true: roc_auc null, balanced accuracy defined', () => {
    /*
     * classes no yes; yTrue no no no no; yPred no yes no no
     * confusion: no [3, 1], yes [0, 0]; predicted totals no 3, yes 1
     * no:  precision 3/3 = 1, recall 3/4, f1 6/(6+0+1) = 6/7
     * yes: precision 0/1 = 0, recall 0/0 → 0, f1 0/(0+1+0) = 0
     * balanced_accuracy = recall of the only class in y_true = 3/4
     * macro over both classes (yes was predicted): precision 1/2, recall 3/8, f1 3/7
     * weighted (supports 4 and 0): precision 1, recall 3/4, f1 6/7
     * log loss = −(ln 0.9 + ln 0.4 + ln 0.8 + ln 0.7)/4 (p(no) of each row)
     */
    const m = classificationMetrics({
      classes: ['no', 'yes'],
      yTrue: [0, 0, 0, 0],
      yPred: [0, 1, 0, 0],
      scores: binaryScores([0.1, 0.6, 0.2, 0.3]),
    });
    expect(m.roc_auc).toBeNull();
    expect(m.balanced_accuracy).toBeCloseTo(0.75, 12);
    expect(m.accuracy).toBeCloseTo(0.75, 12);
    expectPerClass(m, [
      ['no', 4, 1, 3 / 4, 6 / 7],
      ['yes', 0, 0, 0, 0],
    ]);
    expect(m.precision_macro).toBeCloseTo(1 / 2, 12);
    expect(m.recall_macro).toBeCloseTo(3 / 8, 12);
    expect(m.f1_macro).toBeCloseTo(3 / 7, 12);
    expect(m.precision_weighted).toBeCloseTo(1, 12);
    expect(m.recall_weighted).toBeCloseTo(3 / 4, 12);
    expect(m.f1_weighted).toBeCloseTo(6 / 7, 12);
    expect(m.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.8) + Math.log(0.7)) / 4, 12);

    // Multi-class with only one class in y_true: no class has both positives and negatives.
    const multi = classificationMetrics({
      classes: ['a', 'b', 'c'],
      yTrue: [1, 1, 1],
      yPred: [1, 0, 1],
      scores: [
        [0.1, 0.8, 0.1],
        [0.5, 0.3, 0.2],
        [0.2, 0.7, 0.1],
      ],
    });
    expect(multi.roc_auc).toBeNull();
    expect(multi.balanced_accuracy).toBeCloseTo(2 / 3, 12);

    // One class in all: everything is right, AUC undefined.
    const one = classificationMetrics({ classes: ['only'], yTrue: [0, 0], yPred: [0, 0], scores: [[1], [1]] });
    expect(one.roc_auc).toBeNull();
    expect(one.accuracy).toBe(1);
    expect(one.f1_macro).toBe(1);
  });

  test('perfect predictions', () => {
    // p(true class) = 1 everywhere, clipped to 1 − 1e-15: log loss = −ln(1 − 1e-15) ≈ 1e-15.
    const m = classificationMetrics({
      classes: ['a', 'b', 'c'],
      yTrue: [0, 1, 2, 2, 1, 0],
      yPred: [0, 1, 2, 2, 1, 0],
      scores: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0, 0, 1],
        [0, 1, 0],
        [1, 0, 0],
      ],
    });
    for (const key of [
      'accuracy',
      'balanced_accuracy',
      'precision_macro',
      'recall_macro',
      'f1_macro',
      'precision_weighted',
      'recall_weighted',
      'f1_weighted',
      'roc_auc',
    ] as const) {
      expect({ key, value: m[key] }).toEqual({ key, value: 1 });
    }
    expect(m.log_loss).toBeGreaterThan(0);
    expect(m.log_loss).toBeCloseTo(1e-15, 17);
    expect(m.confusion_matrix).toEqual([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 2],
    ]);
  });

  test('worst predictions', () => {
    // Every row wrong, every positive scored below every negative; p(true class) = 0 is clipped to
    // 1e-15: log loss = −ln(1e-15) = 15 ln 10.
    const m = classificationMetrics({
      classes: ['no', 'yes'],
      yTrue: [0, 0, 1, 1],
      yPred: [1, 1, 0, 0],
      scores: binaryScores([1, 1, 0, 0]),
    });
    expect(m.accuracy).toBe(0);
    expect(m.balanced_accuracy).toBe(0);
    expect(m.f1_macro).toBe(0);
    expect(m.precision_weighted).toBe(0);
    expect(m.roc_auc).toBe(0);
    expect(m.log_loss).toBeCloseTo(15 * Math.LN10, 9);
    expect(m.confusion_matrix).toEqual([
      [0, 2],
      [2, 0],
    ]);
  });

  test('log loss clips probabilities to [1e-15, 1 − 1e-15]', () => {
    // Row 1: p(true) = 0 → 1e-15 → 15 ln 10; row 2: p(true) = 0.5 → ln 2; row 3: p(true) = 1e-300 → 1e-15.
    const m = classificationMetrics({
      classes: ['a', 'b'],
      yTrue: [0, 1, 1],
      yPred: [1, 0, 0],
      scores: [
        [0, 1],
        [0.5, 0.5],
        [1, 1e-300],
      ],
    });
    expect(m.log_loss).toBeCloseTo((15 * Math.LN10 + Math.LN2 + 15 * Math.LN10) / 3, 9);
  });

  test('agrees with brute-force pair counting on random data with many ties', () => {
    const random = prng(42);
    for (let trial = 0; trial < 20; trial++) {
      const n = 30 + Math.floor(random() * 60);
      const yTrue = Array.from({ length: n }, () => (random() < 0.4 ? 1 : 0));
      yTrue[0] = 0;
      yTrue[1] = 1;
      const p = Array.from({ length: n }, () => Math.floor(random() * 8) / 8); // 8 levels: many ties
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (yTrue[i] !== 1 || yTrue[j] !== 0) continue;
          pairs++;
          if (p[i]! > p[j]!) wins += 1;
          else if (p[i] === p[j]) wins += 0.5;
        }
      }
      const m = classificationMetrics({ classes: ['0', '1'], yTrue, yPred: yTrue, scores: binaryScores(p) });
      expect(m.roc_auc).toBeCloseTo(wins / pairs, 12);
    }
  });
});

describe('classificationMetrics: scikit-learn documentation examples', () => {
  test('confusion_matrix docstring: y_true [2,0,2,2,0,1], y_pred [0,0,2,2,0,2]', () => {
    const m = classificationMetrics({ classes: ['0', '1', '2'], yTrue: [2, 0, 2, 2, 0, 1], yPred: [0, 0, 2, 2, 0, 2] });
    expect(m.confusion_matrix).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });

  test('confusion_matrix docstring: labels ["ant", "bird", "cat"]', () => {
    // y_true = ["cat", "ant", "cat", "cat", "ant", "bird"], y_pred = ["ant", "ant", "cat", "cat", "ant", "cat"]
    const classes = ['ant', 'bird', 'cat'];
    const idx = (names: string[]): number[] => names.map((n) => classes.indexOf(n));
    const m = classificationMetrics({
      classes,
      yTrue: idx(['cat', 'ant', 'cat', 'cat', 'ant', 'bird']),
      yPred: idx(['ant', 'ant', 'cat', 'cat', 'ant', 'cat']),
    });
    expect(m.confusion_matrix).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
  });

  test('confusion_matrix docstring, binary: tn, fp, fn, tp of [0,1,0,1] vs [1,1,1,0] are 0, 2, 1, 1', () => {
    const m = classificationMetrics({ classes: ['0', '1'], yTrue: [0, 1, 0, 1], yPred: [1, 1, 1, 0] });
    expect(m.confusion_matrix.flat()).toEqual([0, 2, 1, 1]);
  });

  test('precision_score / recall_score / f1_score docstrings: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1]', () => {
    // precision: macro 0.22…, weighted 0.22…, per class [0.66…, 0, 0]
    // recall: macro 0.33…, per class [1, 0, 0]; f1: macro 0.26…, weighted 0.26…, per class [0.8, 0, 0]
    const m = classificationMetrics({ classes: ['0', '1', '2'], yTrue: [0, 1, 2, 0, 1, 2], yPred: [0, 2, 1, 0, 0, 1] });
    expect(m.precision_macro).toBeCloseTo(2 / 9, 12);
    expect(m.precision_weighted).toBeCloseTo(2 / 9, 12);
    expect(m.recall_macro).toBeCloseTo(1 / 3, 12);
    expect(m.f1_macro).toBeCloseTo(4 / 15, 12);
    expect(m.f1_weighted).toBeCloseTo(4 / 15, 12);
    expect(m.per_class.map((c) => c.precision)).toEqual([2 / 3, 0, 0]);
    expect(m.per_class.map((c) => c.recall)).toEqual([1, 0, 0]);
    expect(m.per_class.map((c) => c.f1)).toEqual([0.8, 0, 0]);
  });

  test('precision_recall_fscore_support docstring: cat/dog/pig gives macro and weighted (0.22…, 0.33…, 0.26…)', () => {
    // y_true = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'], y_pred = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog']
    const classes = ['cat', 'dog', 'pig'];
    const idx = (names: string[]): number[] => names.map((n) => classes.indexOf(n));
    const m = classificationMetrics({
      classes,
      yTrue: idx(['cat', 'dog', 'pig', 'cat', 'dog', 'pig']),
      yPred: idx(['cat', 'pig', 'dog', 'cat', 'cat', 'dog']),
    });
    // The docstring prints them truncated ("0.22...", "0.33...", "0.26..."); the exact values are
    // 2/9, 1/3 and 4/15 (the same rows as the 0/1/2 example above, with cat = 0, dog = 1, pig = 2).
    const truncated = (x: number): number => Math.floor(x * 100) / 100;
    expect([m.precision_macro, m.recall_macro, m.f1_macro].map(truncated)).toEqual([0.22, 0.33, 0.26]);
    expect([m.precision_weighted, m.recall_weighted, m.f1_weighted].map(truncated)).toEqual([0.22, 0.33, 0.26]);
    expect(m.f1_macro).toBeCloseTo(4 / 15, 12);
  });

  test('accuracy_score docstring: y_pred [0,2,1,3], y_true [0,1,2,3] → 0.5', () => {
    expect(classificationMetrics({ classes: ['0', '1', '2', '3'], yTrue: [0, 1, 2, 3], yPred: [0, 2, 1, 3] }).accuracy).toBe(0.5);
  });

  test('balanced_accuracy_score docstring: y_true [0,1,0,0,1,0], y_pred [0,1,0,0,0,1] → 0.625', () => {
    const m = classificationMetrics({ classes: ['0', '1'], yTrue: [0, 1, 0, 0, 1, 0], yPred: [0, 1, 0, 0, 0, 1] });
    expect(m.balanced_accuracy).toBeCloseTo(0.625, 12);
  });

  test('roc_auc_score docstring (older releases): y [0,0,1,1], scores [0.1,0.4,0.35,0.8] → 0.75', () => {
    const m = classificationMetrics({
      classes: ['0', '1'],
      yTrue: [0, 0, 1, 1],
      yPred: [0, 0, 0, 1],
      scores: binaryScores([0.1, 0.4, 0.35, 0.8]),
    });
    expect(m.roc_auc).toBeCloseTo(0.75, 12);
  });

  test('log_loss docstring: ["spam","ham","ham","spam"] with [[.1,.9],[.9,.1],[.8,.2],[.35,.65]] → 0.21616…', () => {
    // Labels sort as ham, spam, so ham = 0 and spam = 1.
    const m = classificationMetrics({
      classes: ['ham', 'spam'],
      yTrue: [1, 0, 0, 1],
      yPred: [1, 0, 0, 1],
      scores: [
        [0.1, 0.9],
        [0.9, 0.1],
        [0.8, 0.2],
        [0.35, 0.65],
      ],
    });
    expect(m.log_loss).toBeCloseTo(0.21616, 5);
  });
});

describe('classificationMetrics: bad input', () => {
  const ok = { classes: ['a', 'b'], yTrue: [0, 1], yPred: [0, 1] };

  test('empty input', () => {
    expect(userErrorOf(() => classificationMetrics({ classes: ['a', 'b'], yTrue: [], yPred: [] })).message).toMatch(/yTrue is empty/);
  });

  test('length mismatch', () => {
    expect(userErrorOf(() => classificationMetrics({ ...ok, yPred: [0] })).message).toBe('yTrue has 2 rows but yPred has 1');
    const scores = userErrorOf(() => classificationMetrics({ ...ok, scores: [[0.5, 0.5]] }));
    expect(scores.message).toBe('scores has 1 rows but yTrue has 2');
  });

  test('class index out of range, negative, fractional or NaN names the row', () => {
    expect(userErrorOf(() => classificationMetrics({ ...ok, yPred: [0, 2] })).message).toMatch(
      /^yPred\[1\] \(row 2\) is 2, not a class index \(a whole number from 0 to 1 for the 2 classes\)/,
    );
    expect(userErrorOf(() => classificationMetrics({ ...ok, yTrue: [-1, 0] })).message).toMatch(/^yTrue\[0\] \(row 1\) is -1/);
    expect(userErrorOf(() => classificationMetrics({ ...ok, yTrue: [0, 0.5] })).message).toMatch(/^yTrue\[1\] \(row 2\) is 0.5/);
    expect(userErrorOf(() => classificationMetrics({ ...ok, yTrue: [NaN, 0] })).message).toMatch(/^yTrue\[0\] \(row 1\) is NaN/);
  });

  test('NaN or Infinity in scores names the row and class', () => {
    const nan = userErrorOf(() =>
      classificationMetrics({
        ...ok,
        scores: [
          [0.5, 0.5],
          [0.2, NaN],
        ],
      }),
    );
    expect(nan.message).toBe('scores[1] (row 2) has NaN for class "b", not a finite number');
    const inf = userErrorOf(() =>
      classificationMetrics({
        ...ok,
        scores: [
          [Infinity, 0.5],
          [0.2, 0.8],
        ],
      }),
    );
    expect(inf.message).toBe('scores[0] (row 1) has Infinity for class "a", not a finite number');
  });

  test('a score row of the wrong length', () => {
    expect(userErrorOf(() => classificationMetrics({ ...ok, scores: [[0.5, 0.5], [1]] })).message).toBe(
      'scores[1] (row 2) has 1 probabilities but there are 2 classes',
    );
  });

  test('no classes, or a class named twice', () => {
    expect(userErrorOf(() => classificationMetrics({ classes: [], yTrue: [0], yPred: [0] })).message).toMatch(/classes is empty/);
    expect(userErrorOf(() => classificationMetrics({ classes: ['a', 'a'], yTrue: [0], yPred: [0] })).message).toBe(
      'classes lists "a" twice',
    );
  });
});

describe('regressionMetrics', () => {
  test('hand-computed MAE, MSE, RMSE, R², MAPE', () => {
    /*
     * yTrue [1, 2, 3, 4], yPred [2, 2, 2, 6]: errors −1, 0, 1, −2
     * MAE = (1 + 0 + 1 + 2)/4 = 1; MSE = (1 + 0 + 1 + 4)/4 = 1.5; RMSE = √1.5
     * mean y = 2.5, SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5, SS_res = 6 → R² = 1 − 6/5 = −0.2
     * MAPE = (1/1 + 0/2 + 1/3 + 2/4)/4 = (11/6)/4 = 11/24
     */
    const m = regressionMetrics([1, 2, 3, 4], [2, 2, 2, 6]);
    expect(m.count).toBe(4);
    expect(m.mae).toBeCloseTo(1, 12);
    expect(m.mse).toBeCloseTo(1.5, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(m.r2).toBeCloseTo(-0.2, 12);
    expect(m.mape).toBeCloseTo(11 / 24, 12);
    // Float64Array input gives the same.
    expect(regressionMetrics(Float64Array.from([1, 2, 3, 4]), Float64Array.from([2, 2, 2, 6]))).toEqual(m);
  });

  test('scikit-learn docstrings: y_true [3, -0.5, 2, 7], y_pred [2.5, 0.0, 2, 8]', () => {
    // mean_absolute_error 0.5, mean_squared_error 0.375, root_mean_squared_error 0.612…,
    // r2_score 0.948…, mean_absolute_percentage_error 0.3273809523809524
    const m = regressionMetrics([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
    expect(m.mae).toBeCloseTo(0.5, 12);
    expect(m.mse).toBeCloseTo(0.375, 12);
    expect(m.rmse).toBeCloseTo(0.6123724356957945, 12);
    expect(m.r2).toBeCloseTo(0.9486081370449679, 12);
    expect(m.mape).toBeCloseTo(0.3273809523809524, 12);
  });

  test('MAPE with y = 0 divides by eps (mean_absolute_percentage_error docstring: 112589990684262.48)', () => {
    // y_true [1, 0, 2.4, 7], y_pred [1.2, 0.1, 2.4, 8]: (0.2/1 + 0.1/eps + 0 + 1/7)/4
    const m = regressionMetrics([1, 0, 2.4, 7], [1.2, 0.1, 2.4, 8]);
    expect(m.mape / 112589990684262.48).toBeCloseTo(1, 12);
    // Hand: y = 0 predicted exactly contributes 0; y = 0 predicted 1 contributes 1/eps.
    const eps = 2.220446049250313e-16;
    expect(regressionMetrics([0, 0, 4], [0, 1, 3]).mape / ((1 / eps + 1 / 4) / 3)).toBeCloseTo(1, 12);
  });

  test('r2_score docstring: constant y_true gives 1 when perfect, else 0 (force_finite); ordinary cases', () => {
    expect(regressionMetrics([1, 2, 3], [1, 2, 3]).r2).toBe(1);
    expect(regressionMetrics([1, 2, 3], [2, 2, 2]).r2).toBeCloseTo(0, 12);
    expect(regressionMetrics([1, 2, 3], [3, 2, 1]).r2).toBeCloseTo(-3, 12);
    expect(regressionMetrics([-2, -2, -2], [-2, -2, -2]).r2).toBe(1);
    expect(regressionMetrics([-2, -2, -2], [-2, -2, -2 + 1e-8]).r2).toBe(0);
    // A constant that is not exact in binary (its floating-point mean is off by an ulp) is still constant.
    expect(regressionMetrics([0.1, 0.1, 0.1], [0.2, 0.1, 0.1]).r2).toBe(0);
    expect(regressionMetrics([0.1, 0.1, 0.1], [0.1, 0.1, 0.1]).r2).toBe(1);
  });

  test('r2 is null with one row (undefined; sklearn returns NaN)', () => {
    const m = regressionMetrics([5], [4]);
    expect(m.r2).toBeNull();
    expect(m.mae).toBe(1);
    expect(m.mape).toBeCloseTo(0.2, 12);
  });

  test('bad input names the problem and the row', () => {
    expect(userErrorOf(() => regressionMetrics([], [])).message).toMatch(/yTrue is empty/);
    expect(userErrorOf(() => regressionMetrics([1, 2], [1])).message).toBe('yTrue has 2 rows but yPred has 1');
    expect(userErrorOf(() => regressionMetrics([1, NaN], [1, 2])).message).toBe('yTrue[1] (row 2) is NaN, not a finite number');
    expect(userErrorOf(() => regressionMetrics([1, 2, 3], [1, 2, -Infinity])).message).toBe(
      'yPred[2] (row 3) is -Infinity, not a finite number',
    );
  });
});

describe('rocCurve', () => {
  test('roc_curve docstring: y [1,1,2,2] (pos_label 2), scores [0.1,0.4,0.35,0.8]', () => {
    // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [inf, 0.8, 0.4, 0.35, 0.1]
    expect(rocCurve([false, false, true, true], [0.1, 0.4, 0.35, 0.8])).toEqual([
      { fpr: 0, tpr: 0, threshold: Infinity },
      { fpr: 0, tpr: 0.5, threshold: 0.8 },
      { fpr: 0.5, tpr: 0.5, threshold: 0.4 },
      { fpr: 0.5, tpr: 1, threshold: 0.35 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
  });

  test('equal scores form one step', () => {
    /*
     * The tied example above (positives 4, negatives 4), thresholds from high to low:
     *   >= 0.8: tp 1, fp 0 │ >= 0.6: tp 2, fp 2 │ >= 0.4: tp 3, fp 3 │ >= 0.2: tp 4, fp 3 │ >= 0.1: tp 4, fp 4
     */
    expect(rocCurve([0, 0, 1, 1, 0, 1, 0, 1], [0.1, 0.4, 0.4, 0.8, 0.6, 0.6, 0.6, 0.2])).toEqual([
      { fpr: 0, tpr: 0, threshold: Infinity },
      { fpr: 0, tpr: 0.25, threshold: 0.8 },
      { fpr: 0.5, tpr: 0.5, threshold: 0.6 },
      { fpr: 0.75, tpr: 0.75, threshold: 0.4 },
      { fpr: 0.75, tpr: 1, threshold: 0.2 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
  });

  test('bad input', () => {
    expect(userErrorOf(() => rocCurve([0, 0], [0.1, 0.2])).message).toMatch(/every row of yTrue is negative/);
    expect(userErrorOf(() => rocCurve([1, 1], [0.1, 0.2])).message).toMatch(/every row of yTrue is positive/);
    expect(userErrorOf(() => rocCurve([0, 2], [0.1, 0.2])).message).toBe('yTrue[1] (row 2) is 2, not a binary label');
    expect(userErrorOf(() => rocCurve([0, 1], [0.1])).message).toBe('yTrue has 2 rows but scores has 1');
    expect(userErrorOf(() => rocCurve([0, 1], [0.1, NaN])).message).toBe('scores[1] (row 2) is NaN, not a finite number');
    expect(userErrorOf(() => rocCurve([], [])).message).toMatch(/yTrue is empty/);
  });
});

describe('precisionRecallCurve', () => {
  test('precision_recall_curve docstring: y_true [0,0,1,1], scores [0.1,0.4,0.35,0.8]', () => {
    // precision [0.5, 0.666…, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8]
    const curve = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(curve.map((p) => p.threshold)).toEqual([0.1, 0.35, 0.4, 0.8, Infinity]);
    expect(curve.map((p) => p.recall)).toEqual([1, 1, 0.5, 0.5, 0]);
    const precision = curve.map((p) => p.precision);
    [0.5, 2 / 3, 0.5, 1, 1].forEach((v, i) => expect(precision[i]).toBeCloseTo(v, 12));
    // average_precision_score docstring, same data: 0.83…  AP = Σ (R_n − R_{n+1}) · P_n
    let ap = 0;
    for (let i = 0; i + 1 < curve.length; i++) ap += (curve[i]!.recall - curve[i + 1]!.recall) * curve[i]!.precision;
    expect(ap).toBeCloseTo(0.8333333333, 9);
  });

  test('equal scores form one step', () => {
    /*
     * The tied example (4 positives), thresholds from low to high:
     *   >= 0.1: tp 4, fp 4 → P 1/2, R 1      >= 0.2: tp 4, fp 3 → P 4/7, R 1
     *   >= 0.4: tp 3, fp 3 → P 1/2, R 3/4    >= 0.6: tp 2, fp 2 → P 1/2, R 1/2
     *   >= 0.8: tp 1, fp 0 → P 1, R 1/4      then P 1, R 0
     */
    const curve = precisionRecallCurve([0, 0, 1, 1, 0, 1, 0, 1], [0.1, 0.4, 0.4, 0.8, 0.6, 0.6, 0.6, 0.2]);
    expect(curve).toEqual([
      { precision: 0.5, recall: 1, threshold: 0.1 },
      { precision: 4 / 7, recall: 1, threshold: 0.2 },
      { precision: 0.5, recall: 0.75, threshold: 0.4 },
      { precision: 0.5, recall: 0.5, threshold: 0.6 },
      { precision: 1, recall: 0.25, threshold: 0.8 },
      { precision: 1, recall: 0, threshold: Infinity },
    ]);
  });

  test('booleans work as labels; no positives gives recall 1 (sklearn convention)', () => {
    expect(precisionRecallCurve([false, false], [0.3, 0.7])).toEqual([
      { precision: 0, recall: 1, threshold: 0.3 },
      { precision: 0, recall: 1, threshold: 0.7 },
      { precision: 1, recall: 0, threshold: Infinity },
    ]);
  });
});

describe('downsampleCurve', () => {
  test('keeps the first and last points and at most maxPoints', () => {
    const points = Array.from({ length: 101 }, (_, i) => i);
    const down = downsampleCurve(points, 11);
    expect(down).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const two = downsampleCurve(points, 2);
    expect(two).toEqual([0, 100]);
    const odd = downsampleCurve(
      Array.from({ length: 10 }, (_, i) => i),
      4,
    );
    expect(odd).toHaveLength(4);
    expect(odd[0]).toBe(0);
    expect(odd[3]).toBe(9);
    expect(new Set(odd).size).toBe(4);
  });

  test('short curves come back whole, as a copy', () => {
    const points = [{ x: 1 }, { x: 2 }];
    const out = downsampleCurve(points, 5);
    expect(out).toEqual(points);
    expect(out).not.toBe(points);
  });

  test('maxPoints below 2 is rejected', () => {
    expect(userErrorOf(() => downsampleCurve([1, 2, 3], 1)).message).toMatch(/at least 2 points/);
    expect(userErrorOf(() => downsampleCurve([1, 2, 3], 2.5)).message).toMatch(/at least 2 points/);
  });
});

describe('sliceMetrics', () => {
  test('computes per slice, in the map order, with counts', () => {
    const yTrue = [0, 1, 1, 0, 1];
    const yPred = [0, 1, 0, 0, 0];
    const rows = new Map([
      ['island=Biscoe', [0, 1, 2]],
      ['island=Dream', [3, 4]],
    ]);
    const out = sliceMetrics(rows, (idx) =>
      classificationMetrics({ classes: ['n', 'y'], yTrue: idx.map((i) => yTrue[i]!), yPred: idx.map((i) => yPred[i]!) }),
    );
    expect(out.map((s) => [s.slice, s.count])).toEqual([
      ['island=Biscoe', 3],
      ['island=Dream', 2],
    ]);
    expect(out[0]!.metrics.accuracy).toBeCloseTo(2 / 3, 12); // rows 0 1 2: right, right, wrong
    expect(out[1]!.metrics.accuracy).toBeCloseTo(1 / 2, 12); // rows 3 4: right, wrong
  });

  test('errors name the slice', () => {
    const error = userErrorOf(() => sliceMetrics(new Map([['a', [0]]]), () => regressionMetrics([NaN], [1])));
    expect(error.message).toBe('slice "a": yTrue[0] (row 1) is NaN, not a finite number');
    expect(userErrorOf(() => sliceMetrics(new Map([['empty', []]]), () => 1)).message).toBe('slice "empty" has no rows');
  });
});

describe("slicesOf (evaluate's slices, through sliceMetrics)", () => {
  const column = (name: string, numbers: number[], texts: Array<string | null> | null = null): TableColumn => ({
    name,
    numbers: Float64Array.from(numbers),
    texts,
    present: numbers.length,
    numeric: texts ? 0 : numbers.length,
  });
  // Six table rows; the scored rows are 0, 1, 2, 3, 5 (row 4 had no label).
  const table: Table = {
    rows: 6,
    files: ['test.csv'],
    columns: [
      column('island', [NaN, NaN, NaN, NaN, NaN, NaN], ['Dream', 'Biscoe', 'Dream', null, 'Biscoe', 'Biscoe']),
      column('year', [2008, 2007, 2008, NaN, 2007, 2007]),
    ],
  };
  const scored = { task: 'regression' as const, rows: [0, 1, 2, 3, 5], yTrue: [1, 2, 3, 4, 5], yPred: [1, 4, 2, 4, 5] };

  test('one slice per value, sorted, missing values as (missing), metrics of the scored rows in each', () => {
    const slices = slicesOf(table, scored, ['island', 'year']);
    expect(slices.map((s) => [s.column, s.value, s.count])).toEqual([
      ['island', '(missing)', 1],
      ['island', 'Biscoe', 2],
      ['island', 'Dream', 2],
      ['year', '(missing)', 1],
      ['year', '2007', 2],
      ['year', '2008', 2],
    ]);
    // Biscoe: scored rows 1 and 5 (indexes 1, 4): errors |2-4| = 2 and 0, MAE 1.
    expect(slices[1]!.metrics.mae).toBe(1);
    // Dream: scored rows 0 and 2 (indexes 0, 2): errors 0 and |3-2| = 1, MAE 0.5.
    expect(slices[2]!.metrics.mae).toBe(0.5);
    // Missing island: scored row 3 (index 3): exact, MAE 0; one row has no R².
    expect(slices[0]!.metrics).toMatchObject({ mae: 0, count: 1, r2: null });
  });

  test('a slice column that is not in the table is an error naming it, the file and its columns', () => {
    const error = userErrorOf(() => slicesOf(table, scored, ['sex']));
    expect(error.message).toBe('slice column "sex" is not a column of test.csv (its columns: island, year)');
    expect(error.hint).toMatch(/Check the name against the test data/);
    // For a predictions file the hint says the columns are read from the file itself.
    const predictions = userErrorOf(() => slicesOf(table, scored, ['sex'], { shown: 'predictions.csv', predictions: true }));
    expect(predictions.message).toBe('slice column "sex" is not a column of predictions.csv (its columns: island, year)');
    expect(predictions.hint).toMatch(/slices are read from the file itself: add the column beside y_true and y_pred/);
  });
});
