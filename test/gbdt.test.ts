/**
 * The gbdt kind: binning (float32 edges route values exactly as their bins; category
 * indices are their own bins), training (binary, multi-class and regression targets learn;
 * the same data gives the same bytes; early stopping; bad input as UserErrors and
 * parameter errors naming the key), native categorical splits (a set of categories found
 * in one split, missing values as a category of their own, the rarest beyond max_bins
 * with them; native text never makes the one-hot encoding), gain importance (shares summing
 * to 1, informative features above noise, the same for the same data, shown beside
 * permutation importance in the report), and the exported graph, with text one-hot and native:
 * onnxruntime-node and onnxruntime-web predict from the raw columns what the TypeScript
 * trees predict, within 1e-5, on tables with NaN, infinities, missing, never-seen and
 * hostile categories and hostile column names; the label output is the most probable
 * class (int64 or string); the graph stays under ai.onnx.ml opset 2; onnx's checker
 * accepts every graph (full check; skipped with the reason when Python's onnx is missing,
 * an error on CI).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type * as OrtWeb from 'onnxruntime-web';
import type { Table } from '../src/core/data/table.js';
import { UserError } from '../src/core/errors.js';
import { MODEL_KINDS, kindParams } from '../src/core/model/kinds.js';
import type { FitJob } from '../src/core/model/model.js';
import { encodeFeatures, encodeTarget, fitPreprocessor, labelledRows } from '../src/core/model/preprocess.js';
import type { Preprocessor } from '../src/core/model/preprocess.js';
import { binOf, binTraining, categoryEdges, fitEdges } from '../src/core/model/kinds/gbdt/bins.js';
import { boost } from '../src/core/model/kinds/gbdt/boost.js';
import { fitGbdt, gbdtGainImportance, trainGbdt } from '../src/core/model/kinds/gbdt/index.js';
import type { GbdtParams } from '../src/core/model/kinds/gbdt/index.js';
import { categoryPositions, predictEnsemble } from '../src/core/model/kinds/gbdt/export.js';
import type { ModelCard } from '../src/core/contracts/index.js';
import { cardSections } from '../src/core/evaluate/markdown-report.js';
import { inspectOnnx } from '../src/core/onnx/graph.js';
import { parseTrainParams } from '../src/core/train/params.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { checkModels, onnxPython } from './support/onnx-python.js';
import { graphFeeds, loadOrtWeb, makeTable } from './support/onnx-reference.js';
import type { Cell } from './support/onnx-reference.js';
import { prng } from './support/random.js';

let web: typeof OrtWeb;
beforeAll(async () => {
  web = await loadOrtWeb();
});
afterAll(removeTempDirs);

const py = onnxPython();
const withPython = ('python' in py ? test : test.skip) as typeof test;
const skipped = 'missing' in py ? `(skipped: ${py.missing}) ` : '';

const TOLERANCE = 1e-5;
const EXPORTED: Array<{ name: string; bytes: Uint8Array }> = [];

function params(overrides: Record<string, unknown> = {}): GbdtParams {
  return kindParams('gbdt', overrides) as GbdtParams;
}

/** A fit job on `table`: the first 80% of rows train, the rest validate (as train splits). */
function makeJob(table: Table, target: string, overrides: Record<string, unknown> = {}, task?: 'classification' | 'regression') {
  const all = Array.from({ length: table.rows }, (_, i) => i);
  const cut = Math.floor(table.rows * 0.8);
  const pre = fitPreprocessor(table, all.slice(0, cut), { target, task });
  const train = labelledRows(pre, table, all.slice(0, cut));
  const validation = labelledRows(pre, table, all.slice(cut));
  const epochs: number[] = [];
  const job: FitJob<GbdtParams> = {
    preprocess: pre,
    train: { x: encodeFeatures(pre, table, train), y: encodeTarget(pre, table, train) },
    validation: { x: encodeFeatures(pre, table, validation), y: encodeTarget(pre, table, validation) },
    rows: { table, train, validation },
    params: params(overrides),
    seed: 7,
    onEpoch: (log) => epochs.push(log.epoch),
  };
  return { job, pre, epochs };
}

const HOSTILE = ['__proto__', 'a b', 'x.y', 'ünï ✓ 日本', 'mlops/features', 'constructor'] as const;

/**
 * `n` rows: numbers with missing values (and infinities in the scored rows), a text
 * column with missing values, and a target of `kind` depending on all of them.
 */
function dataTable(n: number, kind: 'binary' | 'multi' | 'int-multi' | 'regression', seed = 1, extra = false): Table {
  const random = prng(seed);
  const cols: Record<string, Cell[]> = {
    [HOSTILE[0]]: [],
    [HOSTILE[1]]: [],
    [HOSTILE[2]]: [],
    [HOSTILE[3]]: [],
    [HOSTILE[4]]: [],
    [HOSTILE[5]]: [],
    y: [],
  };
  const cats = ['red', 'green', 'blue', 'teal', '7'];
  for (let i = 0; i < n; i++) {
    const a = random() < 0.1 ? null : random() * 10 - 5;
    const b = random() < 0.05 ? null : Math.round(random() * 20);
    const c = random() < 0.1 ? null : cats[Math.floor(random() * cats.length)]!;
    const d = random() * 3;
    const e = random() < 0.5 ? 'yes' : 'no';
    const noise = random() - 0.5;
    const score = (a ?? 4) + (b === null ? -3 : b / 4) + (c === 'red' ? 3 : c === null ? -2 : 0) + d * d - 4 + noise;
    cols[HOSTILE[0]]!.push(a);
    cols[HOSTILE[1]]!.push(b);
    cols[HOSTILE[2]]!.push(c);
    cols[HOSTILE[3]]!.push(d);
    cols[HOSTILE[4]]!.push(e);
    cols[HOSTILE[5]]!.push(random() < 0.2 ? null : random());
    const y =
      kind === 'regression'
        ? score * 100 + 1000
        : kind === 'binary'
          ? score > 0
            ? 'pos'
            : 'neg'
          : kind === 'multi'
            ? score < -2
              ? 'low'
              : score < 2
                ? 'mid'
                : 'high'
            : score < -2
              ? 10
              : score < 2
                ? -3
                : 42;
    cols.y!.push(y);
  }
  if (extra) {
    // Scored rows only: infinities, NaN, a category never seen, missing everything.
    const rows: Array<Record<string, Cell>> = [
      {
        [HOSTILE[0]]: Infinity,
        [HOSTILE[1]]: -Infinity,
        [HOSTILE[2]]: 'never-seen',
        [HOSTILE[3]]: NaN,
        [HOSTILE[4]]: '',
        [HOSTILE[5]]: null,
      },
      { [HOSTILE[0]]: null, [HOSTILE[1]]: null, [HOSTILE[2]]: null, [HOSTILE[3]]: null, [HOSTILE[4]]: null, [HOSTILE[5]]: null },
      { [HOSTILE[0]]: -1e30, [HOSTILE[1]]: 1e30, [HOSTILE[2]]: 'red', [HOSTILE[3]]: 1.5, [HOSTILE[4]]: 'maybe', [HOSTILE[5]]: 0.5 },
    ];
    for (const row of rows) {
      for (const name of HOSTILE) cols[name]!.push(row[name] ?? null);
      cols.y!.push(null);
    }
  }
  return makeTable(cols);
}

async function ortPredict(bytes: Uint8Array, pre: Preprocessor, table: Table, rows: readonly number[]) {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(graphFeeds(ort as unknown as typeof OrtWeb, pre, table, rows) as unknown as ort.InferenceSession.FeedsType);
  } finally {
    await session.release();
  }
}

async function webPredict(bytes: Uint8Array, pre: Preprocessor, table: Table, rows: readonly number[]) {
  const session = await web.InferenceSession.create(bytes);
  try {
    return await session.run(graphFeeds(web, pre, table, rows));
  } finally {
    await session.release();
  }
}

/** The largest difference between the TypeScript trees' predictions and each runtime's (probabilities, or standardized values). */
async function runtimeGaps(bytes: Uint8Array, pre: Preprocessor, expected: Float64Array, table: Table, rows: readonly number[]) {
  const gaps: Record<string, number> = {};
  for (const [name, out] of [
    ['node', await ortPredict(bytes, pre, table, rows)],
    ['web', await webPredict(bytes, pre, table, rows)],
  ] as const) {
    const got = (pre.target.task === 'regression' ? out.variable!.data : out.probabilities!.data) as Float32Array;
    const scale = pre.target.task === 'regression' ? pre.target.std : 1;
    expect(got.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!) / scale);
    gaps[name] = worst;
  }
  return gaps;
}

/** The graph's exact bytes hold this operator attribute string (BRANCH_EQ, ...). */
const holds = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text));

/** Category names no encoding may trip on. */
const HOSTILE_CATEGORIES = [
  '__proto__',
  'constructor',
  'a b',
  'x,y',
  '"quoted"',
  'ünï ✓ 日本',
  '0',
  '-1.5',
  'NaN',
  ' ',
  'mlops/f0/category',
  'toString',
];

/**
 * `n` rows: `city`, 40 categories (hostile names first), 8% missing; half the categories
 * are "good", and missing values behave as good ones; `noise`, a number; `y` from whether
 * the city is good (5% of labels flipped) as classes, or as a number with noise. `extra`
 * adds scored rows: a never-seen city, "", missing, and each hostile name.
 */
function cityTable(n: number, kind: 'binary' | 'multi' | 'regression', seed: number, extra = false) {
  const random = prng(seed);
  const cities = [...HOSTILE_CATEGORIES, ...Array.from({ length: 40 - HOSTILE_CATEGORIES.length }, (_, i) => `city ${i}`)];
  const good = new Set(cities.filter(() => random() < 0.5));
  const city: Cell[] = [];
  const noise: Cell[] = [];
  const y: Cell[] = [];
  for (let i = 0; i < n; i++) {
    const c = random() < 0.08 ? null : cities[Math.floor(random() * cities.length)]!;
    const isGood = c === null || good.has(c);
    const x = random();
    city.push(c);
    noise.push(x);
    const flip = random() < 0.05;
    y.push(
      kind === 'regression'
        ? (isGood ? 10 : -10) + x + random()
        : kind === 'binary'
          ? isGood !== flip
            ? 'hi'
            : 'lo'
          : isGood !== flip
            ? x < 0.5
              ? 'a'
              : 'b'
            : 'c',
    );
  }
  if (extra)
    for (const c of ['never-seen', '', null, ...HOSTILE_CATEGORIES]) {
      city.push(c);
      noise.push(0.3);
      y.push(null);
    }
  return { table: makeTable({ city, noise, y }), cities, good };
}

describe('binning', () => {
  test('bin <= t exactly when the float32 value <= edges[t], for values on, between and beside the edges', () => {
    const random = prng(3);
    const n = 5000;
    const values = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : Math.fround(random() ** 3 * 1e3 - 100)));
    for (const maxBins of [255, 16, 2]) {
      const edges = fitEdges((i) => values[i]!, n, maxBins, new Float32Array(n));
      expect(edges.length).toBeLessThanOrEqual(maxBins - 1);
      for (let k = 1; k < edges.length; k++) expect(edges[k]!).toBeGreaterThan(edges[k - 1]!);
      const probes = [...values, ...edges, ...Array.from(edges, (e) => Math.fround(e * (1 + 1e-7))), -Infinity, Infinity];
      const wrong: string[] = [];
      for (const v of probes) {
        const b = binOf(v, edges);
        if (Number.isNaN(v) ? b !== edges.length + 1 : edges.some((e, t) => b <= t !== v <= e)) wrong.push(`${v} in bin ${b}`);
      }
      expect(wrong).toEqual([]);
    }
  });

  test('a native categorical column: category index b is bin b, NaN the missing slot', () => {
    const edges = categoryEdges(5);
    expect(Array.from(edges)).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect([0, 1, 2, 3, 4, NaN].map((v) => binOf(v, edges))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(categoryEdges(1).length).toBe(0);
  });

  test('few distinct values: one bin each, the edges between them', () => {
    const values = [3, 1, 2, 2, NaN, 1, 3];
    const edges = fitEdges((i) => values[i]!, values.length, 255, new Float32Array(values.length));
    expect(Array.from(edges)).toEqual([1.5, 2.5]);
  });
});

describe('training', () => {
  test('registered with scikit-learn-like defaults and keys of its own', () => {
    expect(MODEL_KINDS.gbdt.name).toBe('gbdt');
    expect(params()).toEqual({
      gbdt_learning_rate: 0.1,
      max_iter: 100,
      max_leaf_nodes: 31,
      max_depth: null,
      min_samples_leaf: 20,
      l2_regularization: 0,
      max_bins: 255,
      n_iter_no_change: 10,
      tol: 1e-7,
      gbdt_categorical: 'native',
    });
  });

  test.each([
    ['binary', 0.9],
    ['multi', 0.85],
  ] as const)('%s classification learns (held-out accuracy above %d)', (kind, floor) => {
    const table = dataTable(3000, kind, 11);
    const { job, pre, epochs } = makeJob(table, 'y');
    const result = trainGbdt(job);
    expect(epochs.length).toBe(result.iterations);
    const rows = job.rows.validation;
    const probs = predictEnsemble(pre, result, table, rows);
    const classes = pre.target.task === 'classification' ? pre.target.classes : [];
    const y = job.validation!.y;
    let right = 0;
    for (let i = 0; i < rows.length; i++) {
      const p = probs.subarray(i * classes.length, (i + 1) * classes.length);
      if (p.indexOf(Math.max(...p)) === y[i]) right++;
    }
    expect(right / rows.length).toBeGreaterThan(floor);
  });

  test.each(['binary', 'multi', 'regression'] as const)(
    '%s: each iteration reports the mean training and validation loss of the trees so far',
    (kind) => {
      const table = dataTable(1200, kind, 41);
      const logs: Array<{ loss: number; valLoss: number | null }> = [];
      const { job, pre } = makeJob(table, 'y', { max_iter: 12, n_iter_no_change: 0 });
      job.onEpoch = (log) => logs.push({ loss: log.loss, valLoss: log.valLoss });
      const result = trainGbdt(job);
      expect(logs.length).toBe(12);
      // The kept trees (up to the best validation loss): their losses, from the TypeScript prediction.
      const meanLoss = (rows: readonly number[], y: Float32Array | Int32Array) => {
        const predicted = predictEnsemble(pre, result, table, rows);
        let sum = 0;
        if (pre.target.task === 'regression') {
          const { mean, std } = pre.target;
          for (let i = 0; i < rows.length; i++) sum += ((predicted[i]! - mean) / std - y[i]!) ** 2;
        } else {
          const C = pre.target.classes.length;
          for (let i = 0; i < rows.length; i++) sum -= Math.log(predicted[i * C + y[i]!]!);
        }
        return sum / rows.length;
      };
      const best = logs[result.best - 1]!;
      expect(best.loss).toBeCloseTo(meanLoss(job.rows.train, job.train.y as Float32Array | Int32Array), 6);
      expect(best.valLoss!).toBeCloseTo(meanLoss(job.rows.validation, job.validation!.y as Float32Array | Int32Array), 6);
      // Boosting lowers the training loss every iteration.
      for (let i = 1; i < logs.length; i++) expect(logs[i]!.loss).toBeLessThan(logs[i - 1]!.loss);
    },
  );

  test('regression learns (held-out R² above 0.9), in the target units', () => {
    const table = dataTable(3000, 'regression', 12);
    const { job, pre } = makeJob(table, 'y');
    const result = trainGbdt(job);
    const rows = job.rows.validation;
    const predicted = predictEnsemble(pre, result, table, rows);
    const actual = rows.map((r) => table.columns.find((c) => c.name === 'y')!.numbers[r]!);
    const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
    let ssRes = 0;
    let ssTot = 0;
    actual.forEach((v, i) => {
      ssRes += (v - predicted[i]!) ** 2;
      ssTot += (v - mean) ** 2;
    });
    expect(1 - ssRes / ssTot).toBeGreaterThan(0.9);
  });

  test('one-hot blocks counted one update per row grow the same trees as counting every column', () => {
    const table = dataTable(1500, 'multi', 8);
    const { job, pre } = makeJob(table, 'y');
    const x = job.train.x;
    const n = job.train.y.length;
    const columns = Array.from({ length: pre.width }, (_, j) => (i: number) => x[i * pre.width + j]!);
    const groups: Array<[number, number]> = [];
    let offset = 0;
    for (const f of pre.features) {
      if (f.kind === 'categorical') groups.push([offset, f.categories.length + 1]);
      offset += f.kind === 'numeric' ? 1 : f.categories.length + 1;
    }
    expect(groups.length).toBe(2);
    const settings = {
      learningRate: 0.1,
      maxIter: 20,
      maxLeafNodes: 31,
      maxDepth: null,
      minSamplesLeaf: 20,
      l2: 0,
      nIterNoChange: 0,
      tol: 1e-7,
    };
    const fit = (g: Array<[number, number]>) =>
      boost({ binned: binTraining(columns, n, 255, g), y: job.train.y, classes: 3, validation: null }, 'softmax', settings, () => {});
    // Same partitions (ties between mirror-image splits, "yes" <= 0.5 against "no" <= 0.5, may break either
    // way), so the same scores on every training row.
    const scores = (trees: ReturnType<typeof fit>['ensemble']['trees']) =>
      Array.from({ length: n }, (_, i) =>
        trees.map((tree) => {
          let node = 0;
          while (tree.feature[node]! >= 0)
            node = columns[tree.feature[node]!]!(i) <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
          return tree.value[node]!;
        }),
      );
    const grouped = scores(fit(groups).ensemble.trees);
    const plain = scores(fit([]).ensemble.trees);
    let worst = 0;
    grouped.forEach((row, i) => row.forEach((v, t) => (worst = Math.max(worst, Math.abs(v - plain[i]![t]!)))));
    expect(worst).toBeLessThan(1e-9);
  });

  test('the same data and parameters give the same graph, byte for byte', async () => {
    const table = dataTable(800, 'multi', 5);
    const a = await fitGbdt(makeJob(table, 'y').job);
    const b = await fitGbdt(makeJob(table, 'y').job);
    expect(Buffer.from(a.onnx).equals(Buffer.from(b.onnx))).toBe(true);
  });

  test('early stopping on a target of pure noise, keeping the best iterations', () => {
    const random = prng(9);
    const n = 2000;
    const table = makeTable({
      x: Array.from({ length: n }, () => random()),
      y: Array.from({ length: n }, () => (random() < 0.5 ? 'a' : 'b')),
    });
    const { job } = makeJob(table, 'y');
    const result = trainGbdt(job);
    expect(result.stoppedEarly).toBe(true);
    expect(result.iterations).toBeLessThan(100);
    expect(result.ensemble.trees.length).toBe(result.best);
    const off = trainGbdt(makeJob(table, 'y', { n_iter_no_change: 0, max_iter: 30 }).job);
    expect(off.iterations).toBe(30);
    expect(off.stoppedEarly).toBe(false);
  });

  test('max_leaf_nodes and max_depth bound every tree', () => {
    const table = dataTable(2000, 'regression', 4);
    const result = trainGbdt(makeJob(table, 'y', { max_leaf_nodes: 5, max_iter: 10 }).job);
    for (const tree of result.ensemble.trees) expect(tree.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(5);
    const shallow = trainGbdt(makeJob(table, 'y', { max_depth: 2, max_iter: 10 }).job);
    for (const tree of shallow.ensemble.trees) expect(tree.feature.length).toBeLessThanOrEqual(7);
  });

  test('native text reads the raw table only: the encoded rows (rows x one-hot width) are never made; one-hot reads them', () => {
    const table = dataTable(600, 'binary', 39);
    const reads = { native: 0, 'one-hot': 0 };
    for (const mode of ['native', 'one-hot'] as const) {
      const { job } = makeJob(table, 'y', { gbdt_categorical: mode, max_iter: 5 });
      const counted = (rows: { x: Float32Array; y: Int32Array | Float32Array }) => ({
        get x() {
          reads[mode]++;
          return rows.x;
        },
        y: rows.y,
      });
      const model = trainGbdt({ ...job, train: counted(job.train), validation: counted(job.validation!) });
      expect(model.ensemble.trees.length).toBe(5);
    }
    expect(reads).toEqual({ native: 0, 'one-hot': 2 });
  });

  test('fewer training rows than 2 x min_samples_leaf: a UserError saying so', async () => {
    const table = dataTable(40, 'binary', 2);
    const error = await fitGbdt(makeJob(table, 'y').job).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/at least 2 x min_samples_leaf = 40 training rows/);
    expect((error as UserError).hint).toMatch(/min_samples_leaf/);
  });

  test.each([
    ['max_bins', 256],
    ['max_bins', 1],
    ['gbdt_learning_rate', 0],
    ['max_leaf_nodes', 1],
    ['min_samples_leaf', 0],
    ['l2_regularization', -1],
    ['max_iter', 0],
    ['max_depth', 0],
  ])('%s: %d is out of range: an error naming the key', (key, value) => {
    let caught: unknown;
    try {
      parseTrainParams({ algorithm: 'gbdt', [key]: value }, 'train in mlops.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).message).toContain(key);
  });

  test('gbdt_categorical: native or one-hot; anything else is an error naming the key and the choices', () => {
    expect(parseTrainParams({ algorithm: 'gbdt', gbdt_categorical: 'one-hot' }, 'train in mlops.yaml').gbdt_categorical).toBe('one-hot');
    let caught: unknown;
    try {
      parseTrainParams({ algorithm: 'gbdt', gbdt_categorical: 'ordinal' }, 'train in mlops.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).message).toContain('gbdt_categorical');
    expect((caught as UserError).message).toMatch(/native.*one-hot/);
  });
});

describe('native categorical splits', () => {
  test('one split finds the set of categories behind the target, with missing values on their side', () => {
    const { table, cities, good } = cityTable(3000, 'binary', 31);
    const { job } = makeJob(table, 'y', { max_iter: 5 });
    const model = trainGbdt(job);
    const city = model.layout.features[0]!;
    expect(city.kind).toBe('categorical');
    const categories = city.kind === 'categorical' ? city.categories : [];
    expect([...categories].sort()).toEqual([...cities].sort());
    const root = model.ensemble.trees[0]!;
    expect(root.feature[0]).toBe(0);
    const set = root.categories[0]!;
    const left = new Set(categories.filter((_, b) => set[b] === 1));
    // The good cities and missing values on one side, the others on the other, whichever is left.
    const goodLeft = root.missingLeft[0]!;
    expect([...left].sort()).toEqual(categories.filter((c) => good.has(c) === goodLeft).sort());
    expect(set[categories.length]).toBe(goodLeft ? 1 : 0);
    // The one-hot encoding needs a split per category for the same.
    const oneHot = trainGbdt(makeJob(table, 'y', { max_iter: 5, gbdt_categorical: 'one-hot' }).job);
    expect(oneHot.layout.features[0]!.kind).toBe('one-hot');
    expect(oneHot.ensemble.trees[0]!.categories.every((c) => c === null)).toBe(true);
  });

  test('max_bins keeps the most frequent categories; the rest share the missing slot', () => {
    const { table } = cityTable(2000, 'regression', 32);
    const { job } = makeJob(table, 'y', { max_bins: 8, max_iter: 10 });
    const model = trainGbdt(job);
    const city = model.layout.features[0]!;
    expect(city.kind === 'categorical' ? city.categories.length : -1).toBe(8);
    // Every split of the city tests a set of at most 8 categories plus the missing slot.
    for (const tree of model.ensemble.trees) for (const set of tree.categories) if (set) expect(set.length).toBe(9);
  });

  test('a split of missing values against every category is one node in the graph', async () => {
    const random = prng(33);
    const n = 1500;
    const k: Cell[] = [];
    const y: Cell[] = [];
    for (let i = 0; i < n; i++) {
      const missing = random() < 0.3;
      k.push(missing ? null : ['p', 'q', 'r', 's'][Math.floor(random() * 4)]!);
      y.push((missing ? 5 : 0) + random());
    }
    for (const c of [null, '', 'p', 'never-seen']) {
      k.push(c);
      y.push(null);
    }
    const table = makeTable({ k, y });
    const { job, pre } = makeJob(table, 'y', { max_iter: 3, max_leaf_nodes: 2 });
    const model = trainGbdt(job);
    const root = model.ensemble.trees[0]!;
    expect(Array.from(root.categories[0]!)).toEqual(root.missingLeft[0] ? [0, 0, 0, 0, 1] : [1, 1, 1, 1, 0]);
    const bytes = (await fitGbdt(makeJob(table, 'y', { max_iter: 3, max_leaf_nodes: 2 }).job)).onnx;
    EXPORTED.push({ name: 'missing-split', bytes });
    expect(holds(bytes, 'BRANCH_EQ')).toBe(false);
    const rows = Array.from({ length: table.rows }, (_, i) => i);
    const gaps = await runtimeGaps(bytes, pre, predictEnsemble(pre, model, table, rows), table, rows);
    expect(gaps.node).toBeLessThanOrEqual(TOLERANCE);
    expect(gaps.web).toBeLessThanOrEqual(TOLERANCE);
  });

  test('a text column with no category in the training rows: every value is missing, in the graph too', async () => {
    const random = prng(37);
    const n = 400;
    const x = Array.from({ length: n }, () => random());
    // Text only in the last rows, which makeJob holds out of the preprocessing's fit.
    const t: Cell[] = Array.from({ length: n }, (_, i) => (i >= n * 0.9 ? ['u', 'v'][i % 2]! : null));
    const table = makeTable({ x, t, y: x.map((v) => v * 10 + random()) });
    const { job, pre } = makeJob(table, 'y', { max_iter: 5 });
    const model = trainGbdt(job);
    expect(model.layout.features[1]).toEqual({ name: 't', kind: 'categorical', categories: [], counts: [] });
    const bytes = (await fitGbdt(makeJob(table, 'y', { max_iter: 5 }).job)).onnx;
    EXPORTED.push({ name: 'no-category', bytes });
    const rows = Array.from({ length: n }, (_, i) => i);
    const gaps = await runtimeGaps(bytes, pre, predictEnsemble(pre, model, table, rows), table, rows);
    expect(gaps.node).toBeLessThanOrEqual(TOLERANCE);
    expect(gaps.web).toBeLessThanOrEqual(TOLERANCE);
  });

  test.each(['binary', 'multi', 'regression'] as const)(
    '%s: both ONNX Runtimes predict what the TypeScript trees predict (hostile, never-seen, empty and missing categories; max_bins 255 and 8)',
    async (kind) => {
      const { table } = cityTable(1500, kind, 34, true);
      const rows = Array.from({ length: table.rows }, (_, i) => i);
      for (const maxBins of [255, 8]) {
        const settings = { max_iter: 20, max_bins: maxBins };
        const { job, pre } = makeJob(table, 'y', settings);
        const model = trainGbdt(job);
        expect(model.ensemble.trees.some((tree) => tree.categories.some((c) => c !== null))).toBe(true);
        const bytes = (await fitGbdt(makeJob(table, 'y', settings).job)).onnx;
        EXPORTED.push({ name: `city-${kind}-${maxBins}`, bytes });
        const info = inspectOnnx(bytes, 'model.onnx');
        expect({ ...info.opsets }).toEqual({ '': 15, 'ai.onnx.ml': 2 });
        expect(holds(bytes, 'BRANCH_EQ')).toBe(false);
        const gaps = await runtimeGaps(bytes, pre, predictEnsemble(pre, model, table, rows), table, rows);
        expect(gaps.node).toBeLessThanOrEqual(TOLERANCE);
        expect(gaps.web).toBeLessThanOrEqual(TOLERANCE);
      }
    },
  );
  test('a many-valued text column: its splits are short chains of BRANCH_LEQ in the graph, positions chosen per column', async () => {
    // "shop" (60 values) drives the target by a hidden effect; "noise" (60 values, skewed counts) does not, but the trees split on it too.
    const random = prng(39);
    const n = 6000;
    const effect = Array.from({ length: 60 }, () => random() * 4 - 2);
    const shop: Cell[] = [];
    const noise: Cell[] = [];
    const y: Cell[] = [];
    for (let i = 0; i < n; i++) {
      const s = Math.floor(random() * 60);
      shop.push(random() < 0.02 ? null : `s${s}`);
      noise.push(random() < 0.02 ? '' : `n${Math.floor(60 * random() ** 2)}`);
      y.push(effect[s]! + random());
    }
    const table = makeTable({ shop, noise, y });
    const settings = { max_iter: 15 };
    const { job, pre } = makeJob(table, 'y', settings);
    const model = trainGbdt(job);
    const positions = categoryPositions(model.ensemble, model.layout);
    // Runs of neighbouring graph positions going the same way, per split, by column.
    const runs = (column: number, position: Int32Array | null) => {
      const counts: number[] = [];
      for (const tree of model.ensemble.trees)
        tree.categories.forEach((set, node) => {
          if (!set || tree.feature[node] !== column) return;
          const k = position ? position.length : set.length - 1;
          const at = new Int32Array(k);
          for (let c = 0; c < k; c++) at[position ? position[c]! : c] = c;
          let r = 1;
          for (let p = 1; p < k; p++) if (set[at[p]!] !== set[at[p - 1]!]) r++;
          counts.push(r);
        });
      return counts.reduce((a, b) => a + b, 0) / counts.length;
    };
    const [shopAt, noiseAt] = [0, 1].map((f) => model.layout.features.findIndex((feature) => feature.name === ['shop', 'noise'][f]));
    // In training order (most frequent first) the sets are scattered; by the score, a few runs each.
    const scattered = runs(shopAt!, null);
    expect(scattered).toBeGreaterThan(6);
    expect(runs(shopAt!, positions[shopAt!]!)).toBeLessThan(scattered / 2);
    // Each text column's positions are a permutation of its categories.
    for (const f of [shopAt!, noiseAt!]) {
      const position = Array.from(positions[f]!);
      expect(position.length).toBe(60);
      expect([...position].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, c) => c));
    }
    const bytes = (await fitGbdt(makeJob(table, 'y', settings).job)).onnx;
    EXPORTED.push({ name: 'many-values', bytes });
    expect(holds(bytes, 'BRANCH_EQ')).toBe(false);
    const rows = Array.from({ length: n }, (_, i) => i);
    const gaps = await runtimeGaps(bytes, pre, predictEnsemble(pre, model, table, rows), table, rows);
    expect(gaps.node).toBeLessThanOrEqual(TOLERANCE);
    expect(gaps.web).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('gain importance', () => {
  test('shares of the split gain per feature: they sum to 1, informative features above noise, one-hot blocks as their feature', async () => {
    const table = dataTable(2000, 'regression', 35);
    for (const mode of ['native', 'one-hot'] as const) {
      const { job, pre } = makeJob(table, 'y', { gbdt_categorical: mode });
      const gain = gbdtGainImportance(trainGbdt(job));
      expect(gain.method).toBe('gain');
      expect(gain.features.map((f) => f.name).sort()).toEqual(pre.features.map((f) => f.name).sort());
      expect(gain.features.reduce((sum, f) => sum + f.share, 0)).toBeCloseTo(1, 12);
      for (let i = 1; i < gain.features.length; i++) expect(gain.features[i]!.share).toBeLessThanOrEqual(gain.features[i - 1]!.share);
      const share = (name: string) => gain.features.find((f) => f.name === name)!.share;
      // "constructor" is pure noise; "__proto__" and "ünï ✓ 日本" drive the target.
      for (const informative of [HOSTILE[0], HOSTILE[3]]) expect(share(informative)).toBeGreaterThan(3 * share(HOSTILE[5]));
      expect(gain.features[0]!.splits).toBeGreaterThan(0);
    }
  });

  test('the same data and parameters give the same gain importance; fitGbdt returns it', async () => {
    const table = dataTable(1200, 'multi', 36);
    const a = await fitGbdt(makeJob(table, 'y').job);
    const b = await fitGbdt(makeJob(table, 'y').job);
    expect(a.gain).toEqual(b.gain);
    expect(a.gain).toEqual(gbdtGainImportance(trainGbdt(makeJob(table, 'y').job)));
  });

  test("the report's feature table shows each feature's gain share beside its permutation importance", () => {
    const table = dataTable(1200, 'regression', 38);
    const gain = gbdtGainImportance(trainGbdt(makeJob(table, 'y').job));
    const [first, second] = gain.features;
    const card = {
      importance: {
        method: 'permutation',
        metric: 'r2',
        rows: 240,
        repeats: 5,
        on: 'validation',
        features: [
          { name: second!.name, mean: 0.2, std: 0.01 },
          { name: first!.name, mean: 0.1, std: 0.02 },
        ],
        gain,
      },
    } as unknown as ModelCard;
    const body = cardSections(card).find((section) => section.title === 'Which features matter')!.body;
    expect(body).toContain('| # | Feature | Mean drop in r2 | Std | Gain share |');
    const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
    expect(body).toContain(`| 0.2 | 0.01 | ${percent(second!.share)} |`);
    expect(body).toContain(`| 0.1 | 0.02 | ${percent(first!.share)} |`);
    // Without gain importance (the networks), the table keeps its four columns.
    const { gain: _gain, ...permutation } = card.importance!;
    const plain = cardSections({ importance: permutation } as unknown as ModelCard)[0]!.body;
    expect(plain).toContain('| # | Feature | Mean drop in r2 | Std |\n');
  });
});

describe('export to ONNX', () => {
  test.each([
    ['binary', 'native'],
    ['multi', 'native'],
    ['int-multi', 'native'],
    ['regression', 'native'],
    ['binary', 'one-hot'],
    ['multi', 'one-hot'],
    ['int-multi', 'one-hot'],
    ['regression', 'one-hot'],
  ] as const)(
    '%s, text %s: both ONNX Runtimes predict what the TypeScript trees predict (NaN, infinities, unseen categories, hostile names)',
    async (kind, mode) => {
      const table = dataTable(1500, kind, 21, true);
      const settings = { max_iter: 40, gbdt_categorical: mode };
      const { job, pre } = makeJob(table, 'y', settings);
      const result = trainGbdt(job);
      const bytes = (await fitGbdt(makeJob(table, 'y', settings).job)).onnx;
      EXPORTED.push({ name: `${kind}-${mode}`, bytes });
      const rows = Array.from({ length: table.rows }, (_, i) => i);
      const expected = predictEnsemble(pre, result, table, rows);
      const out = await ortPredict(bytes, pre, table, rows);
      const gaps = await runtimeGaps(bytes, pre, expected, table, rows);
      expect(gaps.web).toBeLessThanOrEqual(TOLERANCE);
      const info = inspectOnnx(bytes, 'model.onnx');
      expect({ ...info.opsets }).toEqual({ '': 15, 'ai.onnx.ml': 2 });
      expect(info.metadata['mlops.algorithm']).toBe('gbdt');
      expect(info.inputs.map((i) => i.name)).toEqual(pre.features.map((f) => f.name));
      if (pre.target.task === 'regression') {
        const got = out.variable!.data as Float32Array;
        expect(out.variable!.dims).toEqual([rows.length, 1]);
        // In standardized units: the graph's output is float32, so in the target's units its precision scales with std.
        for (let i = 0; i < rows.length; i++) expect(Math.abs(got[i]! - expected[i]!) / pre.target.std).toBeLessThanOrEqual(TOLERANCE);
        expect(info.outputs.map((o) => o.name)).toEqual(['variable']);
      } else {
        const classes = pre.target.classes;
        const C = classes.length;
        const got = out.probabilities!.data as Float32Array;
        expect(out.probabilities!.dims).toEqual([rows.length, C]);
        for (let i = 0; i < rows.length * C; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThanOrEqual(TOLERANCE);
        const labels = Array.from(out.label!.data as ArrayLike<unknown>, (v) => String(v));
        expect(out.label!.type).toBe(kind === 'int-multi' ? 'int64' : 'string');
        for (let i = 0; i < rows.length; i++) {
          const p = Array.from(expected.subarray(i * C, (i + 1) * C));
          expect(labels[i]).toBe(classes[p.indexOf(Math.max(...p))]);
        }
        expect(info.outputs.map((o) => o.name)).toEqual(['label', 'probabilities']);
      }
    },
  );

  test('a feature named "label": the graph gives the probabilities only', async () => {
    const random = prng(4);
    const n = 300;
    const table = makeTable({
      label: Array.from({ length: n }, () => random()),
      y: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'a' : 'b')),
    });
    const { job, pre } = makeJob(table, 'y', { max_iter: 5 });
    const bytes = (await fitGbdt(job)).onnx;
    EXPORTED.push({ name: 'label-feature', bytes });
    expect(inspectOnnx(bytes, 'model.onnx').outputs.map((o) => o.name)).toEqual(['probabilities']);
    const out = await ortPredict(bytes, pre, table, [0, 1, 2]);
    expect(out.probabilities!.dims).toEqual([3, 2]);
  });

  withPython(`${skipped}onnx's checker accepts every graph exported above (full check)`, async () => {
    expect(EXPORTED.length).toBeGreaterThanOrEqual(17);
    const dir = await makeTempDir('mlops-gbdt-check-');
    const files = await Promise.all(
      EXPORTED.map(async ({ name, bytes }) => {
        const file = join(dir, `${name}.onnx`);
        await writeFile(file, bytes);
        return file;
      }),
    );
    const python = 'python' in py ? py.python : '';
    expect(checkModels(python, files)).toEqual(files.map(() => null));
  });
});
