/**
 * Binary classifiers scored as their users expect: the positive class (set, else `1`, `true`,
 * `yes`, `positive`, else the second sorted label), its precision, recall and F1 beside the
 * macro and weighted ones, and ROC AUC and curves from its own scores.
 *
 * Values marked "scikit-learn" are computed by scikit-learn in a python3 process the test
 * starts, on the same rows: skipped (with the reason in the test's name) when python3 or
 * scikit-learn is missing, an error on CI. The rest are worked out by hand in the comments.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table, TableColumn } from '../src/core/data/table.js';
import { CLASSIFICATION_METRIC_NAMES, classificationMetrics, downsampleCurve, positiveClassIndex } from '../src/core/evaluate/metrics.js';
import type { ClassificationMetrics } from '../src/core/evaluate/metrics.js';
import { scorePredictions } from '../src/core/evaluate/predictions.js';
import { fullMetrics, scalarMetrics } from '../src/core/evaluate/score.js';
import type { Scored } from '../src/core/evaluate/score.js';
import { curvesOf, scoreModel, slicesOf } from '../src/core/evaluate/scoring.js';
import type { TabularModel } from '../src/core/model/model.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { userErrorOf } from './support/errors.js';
import { prng } from './support/random.js';

afterAll(async () => {
  await removeTempDirs();
});

// ---------------------------------------------------------------------------------------------
// scikit-learn, run on the same rows

/**
 * Runs `code` (Python; reads JSON from stdin, prints JSON) with scikit-learn. Returns the reason
 * when python3 or scikit-learn is missing; on CI that is an error instead.
 */
function runSklearn(code: string, input: unknown): { value: unknown } | { missing: string } {
  const probe = 'import json, sys, warnings\nimport numpy as np\nimport sklearn.metrics as skm\nwarnings.filterwarnings("ignore")\n';
  // The first Python on the PATH, else Debian's (python3-sklearn installs there).
  const reasons: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const run = spawnSync(python, ['-c', probe + code], { input: JSON.stringify(input), encoding: 'utf8' });
    if (run.error || (run.status !== 0 && /ModuleNotFoundError|No module named/.test(run.stderr))) {
      reasons.push(
        run.error
          ? `${python} could not be started (${run.error.message})`
          : `${python} has no scikit-learn (${run.stderr.trim().split('\n').at(-1)})`,
      );
      continue;
    }
    if (run.status !== 0) throw new Error(`${python} failed: ${run.stderr}`);
    return { value: JSON.parse(run.stdout) as unknown };
  }
  const reason = reasons.join('; ');
  if (process.env.CI === 'true') throw new Error(`The scikit-learn comparisons must run on CI: ${reason}`);
  return { missing: reason };
}

const close = (actual: number | null, expected: number | null): void => {
  if (expected === null) return expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
};

/** One binary task: labels as text, the positive class's score per row. */
interface BinaryCase {
  name: string;
  /** The classes in the model's order (the order of score columns). */
  classes: [string, string];
  yTrue: string[];
  yPred: string[];
  /** The positive class's score per row. */
  score: number[];
  /** The positive class set by the user, or null for the usual choice. */
  setting: string | null;
  /** The positive class expected. */
  positive: string;
  /**
   * How scikit-learn is called: `default` passes whole-number labels and no pos_label (its
   * default pos_label=1), `explicit` passes the labels as text and pos_label.
   */
  sklearn: 'default' | 'explicit';
}

/**
 * `n` rows of a noisy classifier: a row is positive with probability `rate`; its score is a
 * uniform draw, raised by `skill` for positives and clipped to [0.01, 0.99] (so log loss never
 * meets the clipping, where sklearn versions differ); predicted positive at `threshold`.
 */
function sample(
  seed: number,
  n: number,
  [negative, positive]: [string, string],
  options: { rate?: number; skill?: number; threshold?: number; levels?: number } = {},
): { yTrue: string[]; yPred: string[]; score: number[] } {
  const { rate = 0.4, skill = 0.35, threshold = 0.5, levels = 0 } = options;
  const random = prng(seed);
  const yTrue: string[] = [];
  const yPred: string[] = [];
  const score: number[] = [];
  for (let i = 0; i < n; i++) {
    const isPositive = random() < rate;
    let s = Math.min(0.99, Math.max(0.01, random() * (1 - skill) + (isPositive ? skill : 0)));
    if (levels > 0) s = Math.max(0.01, Math.round(s * levels) / levels); // ties
    yTrue.push(isPositive ? positive : negative);
    yPred.push(s >= threshold ? positive : negative);
    score.push(s);
  }
  return { yTrue, yPred, score };
}

const CASES: BinaryCase[] = [
  {
    name: '{0, 1}: 1, sklearn default pos_label',
    classes: ['0', '1'],
    setting: null,
    positive: '1',
    sklearn: 'default',
    ...sample(1, 80, ['0', '1'], { levels: 10 }),
  },
  {
    name: '{1, 2}: 1 as sklearn default pos_label=1, not the second label',
    classes: ['1', '2'],
    setting: null,
    positive: '1',
    sklearn: 'default',
    ...sample(2, 60, ['2', '1']),
  },
  { name: '{-1, 1}: 1', classes: ['-1', '1'], setting: null, positive: '1', sklearn: 'default', ...sample(3, 60, ['-1', '1']) },
  {
    name: '{no, yes} in the model order yes, no: yes (index 0)',
    classes: ['yes', 'no'],
    setting: null,
    positive: 'yes',
    sklearn: 'explicit',
    ...sample(4, 70, ['no', 'yes']),
  },
  {
    name: '{false, true}: true',
    classes: ['false', 'true'],
    setting: null,
    positive: 'true',
    sklearn: 'explicit',
    ...sample(5, 50, ['false', 'true']),
  },
  {
    name: '{False, True}: True (letter case ignored)',
    classes: ['False', 'True'],
    setting: null,
    positive: 'True',
    sklearn: 'explicit',
    ...sample(6, 50, ['False', 'True']),
  },
  {
    name: '{cat, dog} with the positive class cat set',
    classes: ['cat', 'dog'],
    setting: 'cat',
    positive: 'cat',
    sklearn: 'explicit',
    ...sample(7, 64, ['dog', 'cat']),
  },
  {
    name: '{cat, dog} unset: dog, the second sorted label',
    classes: ['cat', 'dog'],
    setting: null,
    positive: 'dog',
    sklearn: 'explicit',
    ...sample(8, 64, ['cat', 'dog']),
  },
  {
    name: 'imbalanced: about 4% positives',
    classes: ['0', '1'],
    setting: null,
    positive: '1',
    sklearn: 'default',
    ...sample(9, 400, ['0', '1'], { rate: 0.04, threshold: 0.6 }),
  },
  {
    name: 'the positive class never predicted: precision 0 (zero_division=0)',
    classes: ['no', 'yes'],
    setting: null,
    positive: 'yes',
    sklearn: 'explicit',
    ...sample(10, 40, ['no', 'yes'], { threshold: 2 }),
  },
  {
    name: 'the positive class predicted for every row',
    classes: ['no', 'yes'],
    setting: null,
    positive: 'yes',
    sklearn: 'explicit',
    ...sample(11, 40, ['no', 'yes'], { threshold: 0 }),
  },
  {
    name: 'the positive class neither true nor predicted: zeros, roc_auc null',
    classes: ['no', 'yes'],
    setting: null,
    positive: 'yes',
    sklearn: 'explicit',
    ...sample(12, 30, ['no', 'yes'], { rate: 0, threshold: 2 }),
  },
];

/** Per case: scikit-learn's metrics on the same rows (see runSklearn). */
const SKLEARN_CODE = `
out = []
for case in json.load(sys.stdin):
    yt, yp, p, pos = case["yTrue"], case["yPred"], np.array(case["score"]), case["positive"]
    binary = {}
    if case["sklearn"] == "default":
        yt, yp, pos = [int(v) for v in yt], [int(v) for v in yp], int(pos)
    else:
        binary = {"pos_label": pos}
    r = {}
    for name, f in [("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)]:
        r[name] = float(f(yt, yp, average="binary", zero_division=0, **binary))
        for average in ["macro", "weighted"]:
            r[name + "_" + average] = float(f(yt, yp, average=average, zero_division=0))
    r["accuracy"] = float(skm.accuracy_score(yt, yp))
    y01 = np.array([1 if v == pos else 0 for v in yt])
    defined = 0 < y01.sum() < len(y01)
    r["roc_auc"] = float(skm.roc_auc_score(y01, p)) if defined else None
    r["roc_auc_labels"] = float(skm.roc_auc_score(yt, p)) if defined else None
    if defined:
        fpr, tpr, _ = skm.roc_curve(y01, p, drop_intermediate=False)
        r["roc"] = [fpr.tolist(), tpr.tolist()]
    r["log_loss"] = float(skm.log_loss(y01, p, labels=[0, 1]))
    out.append(r)
print(json.dumps(out))
`;

type SklearnResult = Record<string, number | null> & { roc?: [number[], number[]] };

const sk = runSklearn(SKLEARN_CODE, CASES);
const skipped = 'missing' in sk ? `(skipped: ${sk.missing}) ` : '';
const withSklearn = ('value' in sk ? test : test.skip) as typeof test;
const sklearnOf = (name: string): SklearnResult =>
  ((sk as { value: SklearnResult[] }).value as SklearnResult[])[CASES.findIndex((c) => c.name === name)]!;

/** The case as classificationMetrics takes it: class indexes and a probability row per class. */
function input(c: BinaryCase): Parameters<typeof classificationMetrics>[0] {
  const positive = c.classes.indexOf(c.positive);
  return {
    classes: c.classes,
    yTrue: c.yTrue.map((l) => c.classes.indexOf(l)),
    yPred: c.yPred.map((l) => c.classes.indexOf(l)),
    scores: c.score.map((s) => (positive === 0 ? [s, 1 - s] : [1 - s, s])),
    positiveClass: c.setting,
  };
}

const SCALARS = [
  'precision',
  'recall',
  'f1',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
  'accuracy',
  'roc_auc',
  'log_loss',
] as const;

describe('classificationMetrics of two classes against scikit-learn', () => {
  withSklearn.each(CASES.map((c) => [c.name, c] as const))(
    `${skipped}average='binary' with pos_label, macro, weighted, roc_auc_score and log_loss of the positive class: %s`,
    (name, c) => {
      const expected = sklearnOf(name);
      const m = classificationMetrics(input(c));
      expect(m.positive_class).toBe(c.positive);
      // Every case but the last has both classes in y_true (the sample is large enough).
      expect(new Set(c.yTrue).size).toBe(c.name.includes('neither') ? 1 : 2);
      for (const key of SCALARS) close(m[key], expected[key]!);
      // Where the positive class is the one sklearn's roc_auc_score takes itself (the greater
      // label), its AUC from the labels as they are is the same.
      const greater = c.sklearn === 'default' ? String(Math.max(...c.classes.map(Number))) : [...c.classes].sort()[1];
      if (c.positive === greater) close(m.roc_auc, expected.roc_auc_labels!);
    },
  );

  withSklearn(`${skipped}the ROC curve of evaluate is the positive class's, as sklearn's roc_curve`, () => {
    for (const c of CASES) {
      const expected = sklearnOf(c.name);
      if (!expected.roc) continue;
      const m = input(c);
      const scored: Scored = {
        task: 'classification',
        classes: c.classes,
        rows: c.yTrue.map((_, i) => i),
        yTrue: Array.from(m.yTrue),
        yPred: Array.from(m.yPred),
        scores: (m.scores as number[][]).map((r) => [...r]),
        positiveClass: c.setting,
      };
      const curves = curvesOf(scored);
      expect(curves.map((curve) => curve.class)).toEqual([c.positive]);
      // Reports keep at most 200 points, picked by index from the whole curve.
      const fpr = downsampleCurve(expected.roc[0], 200);
      const tpr = downsampleCurve(expected.roc[1], 200);
      const roc = curves[0]!.roc;
      expect(roc).toHaveLength(fpr.length);
      roc.forEach((point, i) => {
        close(point.fpr, fpr[i]!);
        close(point.tpr, tpr[i]!);
      });
    }
  });
});

describe('a model whose positive class is index 0', () => {
  /*
   * Classes in the model's order yes, no: yes is the positive class (the usual labels). The
   * scores of "no" are unrelated to those of "yes" (a model free to give any numbers), so the AUC
   * of the wrong column would differ.
   *   yTrue  yes  no   yes  no   no   yes
   *   s(yes) 0.9  0.2  0.6  0.4  0.7  0.3
   *   s(no)  0.1  0.1  0.9  0.9  0.2  0.5
   * AUC of yes from s(yes): positives 0.9, 0.6, 0.3 against negatives 0.2, 0.4, 0.7:
   *   0.9 beats 3, 0.6 beats 2, 0.3 beats 1 → 6/9 = 2/3.
   * AUC of no from s(no): positives 0.1, 0.9, 0.2 against 0.1, 0.9, 0.5:
   *   0.1: ties 0.1 → 0.5; 0.9: beats 0.1 0.5, ties 0.9 → 2.5; 0.2: beats 0.1 → 1 → 4/9.
   * yPred yes no yes yes yes no: yes predicted 4 times, 2 right → precision 1/2; recall 2/3;
   * f1 = 2·2 / (2·2 + 2 + 1) = 4/7.
   */
  const classes = ['yes', 'no'];
  const yTrue = [0, 1, 0, 1, 1, 0];
  const yPred = [0, 1, 0, 0, 0, 1];
  const scores = [
    [0.9, 0.1],
    [0.2, 0.1],
    [0.6, 0.9],
    [0.4, 0.9],
    [0.7, 0.2],
    [0.3, 0.5],
  ];

  test("roc_auc, precision, recall and f1 are index 0's", () => {
    const m = classificationMetrics({ classes, yTrue, yPred, scores, probabilities: false });
    expect(m.positive_class).toBe('yes');
    expect(m.roc_auc).toBeCloseTo(2 / 3, 12);
    expect(m.precision).toBeCloseTo(1 / 2, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(4 / 7, 12);
    expect(m.log_loss).toBeNull(); // not probabilities
    // Setting "no" takes the other column: 4/9, and no's precision (2 predicted, 1 right), recall 1/3.
    const no = classificationMetrics({ classes, yTrue, yPred, scores, positiveClass: 'no' });
    expect(no.positive_class).toBe('no');
    expect(no.roc_auc).toBeCloseTo(4 / 9, 12);
    expect(no.precision).toBeCloseTo(1 / 2, 12);
    expect(no.recall).toBeCloseTo(1 / 3, 12);
  });

  test('scoreModel, curvesOf and slicesOf take the same class, set or not', async () => {
    // A model that reads its probabilities from two columns of the table.
    const column = (name: string, values: Array<number | string>): TableColumn => {
      const text = values.some((v) => typeof v === 'string');
      return {
        name,
        numbers: Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN)),
        texts: text ? values.map(String) : null,
        present: values.length,
        numeric: text ? 0 : values.length,
      };
    };
    const table: Table = {
      rows: 6,
      files: ['test.csv'],
      columns: [
        column(
          'y',
          yTrue.map((y) => classes[y]!),
        ),
        column(
          'p_yes',
          scores.map((s) => s[0]!),
        ),
        column(
          'p_no',
          scores.map((s) => s[1]!),
        ),
        column('island', ['a', 'a', 'a', 'b', 'b', 'b']),
      ],
    };
    const model: TabularModel = {
      algorithm: 'columns',
      signature: { features: [], target: { name: 'y', task: 'classification', classes }, probabilities: true },
      predict: async (t, rows) => {
        const out = new Float64Array(rows.length * 2);
        rows.forEach((r, i) => {
          out[2 * i] = t.columns[1]!.numbers[r]!;
          out[2 * i + 1] = t.columns[2]!.numbers[r]!;
        });
        return out;
      },
      dispose: () => undefined,
    };
    const usual = await scoreModel(model, table, 'model', () => undefined);
    const m = usual.metrics as ClassificationMetrics;
    expect(m.positive_class).toBe('yes');
    expect(m.roc_auc).toBeCloseTo(2 / 3, 12);
    expect(curvesOf(usual.scored).map((c) => c.class)).toEqual(['yes']);

    const set = await scoreModel(model, table, 'model', () => undefined, { positiveClass: 'no' });
    expect((set.metrics as ClassificationMetrics).positive_class).toBe('no');
    expect((set.metrics as ClassificationMetrics).roc_auc).toBeCloseTo(4 / 9, 12);
    expect(curvesOf(set.scored).map((c) => c.class)).toEqual(['no']);
    // fullMetrics on the same rows may be asked for the other class.
    expect((fullMetrics(set.scored, { positiveClass: null }) as ClassificationMetrics).positive_class).toBe('yes');

    /*
     * The model predicts the larger of its two scores: yes yes no no yes no. Slices by island:
     * a = rows 0 1 2 (true yes no yes, predicted yes yes no): "no" predicted once, wrongly, and
     * missed once → precision 0, recall 0; b = rows 3 4 5 (true no no yes, predicted no yes no):
     * "no" predicted twice, once right, true twice → precision 1/2, recall 1/2.
     */
    const slices = slicesOf(table, set.scored, ['island']);
    expect(slices.map((s) => [s.value, s.metrics.precision, s.metrics.recall])).toEqual([
      ['a', 0, 0],
      ['b', 0.5, 0.5],
    ]);

    const error = await scoreModel(model, table, 'model', () => undefined, { positiveClass: 'maybe' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('the positive class "maybe" is not one of the classes ("yes", "no")');
  });
});

describe('the positive class', () => {
  test.each([
    [['0', '1'], 1],
    [['1', '2'], 0], // 1 first: sklearn's default pos_label
    [['-1', '1'], 1],
    [['0', '1.0'], 1], // a number's label compares as the number
    [['yes', 'no'], 0],
    [['No', 'Yes'], 1],
    [['false', 'true'], 1],
    [['TRUE', 'FALSE'], 0],
    [['negative', 'positive'], 1],
    [['positive', 'negative'], 0],
    [['1', 'true'], 0], // 1 comes first in the list
    [['cat', 'dog'], 1], // the second sorted label
    [['dog', 'cat'], 0],
    [['10', '2'], 0], // numbers sort as numbers: 2 then 10
    [['ham', 'spam'], 1],
  ] as Array<[string[], number]>)('of %j is index %i', (classes, expected) => {
    expect(positiveClassIndex(classes)).toBe(expected);
    expect(positiveClassIndex(classes, null)).toBe(expected);
  });

  test('a setting names the class, a number as its number; more or fewer than two classes have none', () => {
    expect(positiveClassIndex(['cat', 'dog'], 'cat')).toBe(0);
    expect(positiveClassIndex(['0', '1'], '0')).toBe(0);
    expect(positiveClassIndex(['0', '1'], '1.0')).toBe(1);
    expect(positiveClassIndex(['a', 'b', 'c'])).toBeNull();
    expect(positiveClassIndex(['a', 'b', 'c'], 'b')).toBeNull();
    expect(positiveClassIndex(['a'])).toBeNull();
    expect(positiveClassIndex(['cat', 'dog'], '')).toBe(1); // blank: not set
  });

  test('a setting that is not a class is an error naming the classes and where it is set', () => {
    const error = userErrorOf(() => positiveClassIndex(['no', 'yes'], 'maybe'));
    expect(error.message).toBe('the positive class "maybe" is not one of the classes ("no", "yes")');
    expect(error.hint).toMatch(/evaluate\.positive_class in mlops\.yaml \(or the positive-class input\)/);
    expect(error.hint).toMatch(/1, true, yes, positive, else the second in sorted order/);
    expect(userErrorOf(() => positiveClassIndex(['no', 'yes'], 'Yes')).message).toBe(
      'the positive class "Yes" is not one of the classes ("no", "yes"); did you mean "yes"?',
    );
    // With three classes too: a misspelt setting is never ignored.
    expect(userErrorOf(() => classificationMetrics({ classes: ['a', 'b', 'c'], yTrue: [0], yPred: [0], positiveClass: 'd' })).message).toBe(
      'the positive class "d" is not one of the classes ("a", "b", "c")',
    );
  });

  test('more than two classes: precision, recall and f1 are null, not absent; positive_class is absent', () => {
    const m = classificationMetrics({ classes: ['a', 'b', 'c'], yTrue: [0, 1, 2], yPred: [0, 1, 1] });
    expect(m).toMatchObject({ precision: null, recall: null, f1: null });
    expect(m).not.toHaveProperty('positive_class');
    const scalars = scalarMetrics(m);
    for (const name of CLASSIFICATION_METRIC_NAMES) expect(scalars).toHaveProperty(name);
    expect(scalars).not.toHaveProperty('positive_class');
    expect(scalars).toMatchObject({ precision: null, recall: null, f1: null });
  });

  test('gates can name precision, recall and f1', () => {
    expect(CLASSIFICATION_METRIC_NAMES).toEqual(expect.arrayContaining(['precision', 'recall', 'f1']));
  });
});

describe('a predictions file with one score column, against scikit-learn', () => {
  const log = () => {
    const lines: string[] = [];
    return { lines, info: (m: string) => lines.push(m), warning: (m: string) => lines.push(`warning: ${m}`) };
  };

  async function scoreFile(header: string, c: BinaryCase, score: (s: number) => number, positiveClass: string | null = null) {
    const dir = await makeTempDir('mlops-metrics-binary-');
    const file = join(dir, 'p.csv');
    await writeFile(file, `y_true,y_pred,${header}\n${c.yTrue.map((y, i) => `${y},${c.yPred[i]},${score(c.score[i]!)}`).join('\n')}\n`);
    const lines = log();
    const scored = await scorePredictions({
      file,
      shown: 'p.csv',
      task: 'auto',
      taskSetBy: 'the task input',
      card: null,
      log: lines,
      positiveClass,
    });
    return { metrics: scored.metrics as ClassificationMetrics, lines: lines.lines };
  }

  withSklearn(`${skipped}a probability column of "yes": roc_auc and log_loss as sklearn's`, async () => {
    const c = CASES.find((x) => x.name.startsWith('{no, yes}'))!;
    const expected = sklearnOf(c.name);
    const { metrics, lines } = await scoreFile('probability', c, (s) => s);
    expect(metrics.positive_class).toBe('yes');
    for (const key of SCALARS) close(metrics[key], expected[key]!);
    expect(lines).toContain('p.csv: the probability column is read as the score of the positive class yes.');
  });

  withSklearn(`${skipped}a score column of decision values (any real): roc_auc as sklearn's, no log_loss`, async () => {
    const c = CASES.find((x) => x.name.startsWith('imbalanced'))!;
    const expected = sklearnOf(c.name);
    // The logit of the probability ranks rows as the probability does: the same AUC.
    const { metrics, lines } = await scoreFile('score', c, (s) => Math.log(s / (1 - s)));
    close(metrics.roc_auc, expected.roc_auc!);
    close(metrics.precision, expected.precision!);
    expect(metrics.log_loss).toBeNull();
    expect(lines).toContain(
      'p.csv: the score column is read as the score of the positive class 1; its values are not all in [0, 1], so roc_auc is computed from it and log_loss is not.',
    );
  });

  withSklearn(`${skipped}the positive class set: the score column is cat's`, async () => {
    const c = CASES.find((x) => x.name.startsWith('{cat, dog} with'))!;
    const expected = sklearnOf(c.name);
    const { metrics, lines } = await scoreFile('score', c, (s) => s, 'cat');
    expect(metrics.positive_class).toBe('cat');
    for (const key of SCALARS) close(metrics[key], expected[key]!);
    expect(lines).toContain('Positive class of p.csv: cat, as set.');
    await expect(scoreFile('score', c, (s) => s, 'bird')).rejects.toThrow(
      'the positive class "bird" is not one of the classes ("cat", "dog")',
    );
  });
});
