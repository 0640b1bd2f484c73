/**
 * Online monitoring in the server (core/serve/monitor.ts), against a training profile built
 * the way train builds it (scanData on a CSV, plus the `_prediction` column): the drift
 * statistics equal drift-check's on the same rows (expected values computed here from the raw
 * arrays and drift-check's own functions, never from the monitor's bins); shifts are flagged
 * and an unshifted sample is not; windows by time (injected clock) and by count; no verdict
 * below the minimum; feedback joins labels to predictions by request id (accuracy and R² by
 * hand, unknown ids, eviction by cap and TTL); the registry text passes `promtool check
 * metrics` with hostile feature names; feedback bodies are read or refused naming the field.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { Kind } from '../src/core/data/values.js';
import { columnFromProfile, exactNumeric } from '../src/core/drift/columns.js';
import { DEFAULT_METHOD_OPTIONS, METHODS } from '../src/core/drift/methods.js';
import { NATURAL_LOG, binCounts, jensenShannon, psi, quantileEdges, sorted } from '../src/core/drift/stats.js';
import type { SignatureFeature } from '../src/core/model/model.js';
import {
  ColumnProfileBuilder,
  PREDICTION_COLUMN,
  PROFILE_FORMAT,
  TRAINING_PROFILE_FILE,
  loadTrainingProfile,
} from '../src/core/profile/profile.js';
import type { DatasetProfile } from '../src/core/profile/profile.js';
import { HttpError } from '../src/core/serve/decode.js';
import { ServeMetrics } from '../src/core/serve/metrics.js';
import type { Prediction } from '../src/core/serve/model.js';
import { MonitorMetrics, OnlineMonitor, parseFeedback } from '../src/core/serve/monitor.js';
import type { MonitorOptions, MonitoredModel } from '../src/core/serve/monitor.js';
import { recordsToTable } from '../src/core/serve/records.js';
import { scanData } from '../src/core/validate/scan.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { prng } from './support/random.js';

afterAll(removeTempDirs);

const FEATURES: SignatureFeature[] = [
  { name: 'bill', type: 'number' },
  { name: 'island', type: 'string' },
];
const CLASSES = ['Adelie', 'Gentoo'];
const TRAIN_ROWS = 20_000;

interface Row {
  bill: number | null;
  island: string | null;
}

/** A seeded generator of rows: bill ~ N(mean, 5) with 2% missing, islands by `shares` with 5% missing. */
function generator(seed: number) {
  const uniform = prng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return (n: number, mean = 45, shares: Record<string, number> = { Biscoe: 0.5, Dream: 0.3, Torgersen: 0.2 }): Row[] => {
    const names = Object.keys(shares);
    return Array.from({ length: n }, () => {
      const bill = uniform() < 0.02 ? null : Math.round((mean + 5 * normal()) * 100) / 100;
      let island: string | null = null;
      if (uniform() >= 0.05) {
        let u = uniform();
        island = names[names.length - 1]!;
        for (const name of names) {
          if (u < shares[name]!) {
            island = name;
            break;
          }
          u -= shares[name]!;
        }
      }
      return { bill, island };
    });
  };
}

/** The "model": Gentoo above 45 mm. */
const classify = (row: Row): string => (row.bill !== null && row.bill > 45 ? 'Gentoo' : 'Adelie');

const training = generator(1)(TRAIN_ROWS);
let profile: DatasetProfile;

beforeAll(async () => {
  // The profile as train writes it: scanData over the training file, then the model's predictions on its rows.
  const dir = await makeTempDir('mlops-monitor-');
  const file = join(dir, 'train.csv');
  const lines = training.map((r) => `${r.bill ?? ''},${r.island ?? 'NA'},${classify(r)}`);
  await writeFile(file, `bill,island,species\n${lines.join('\n')}\n`);
  const scanned = (await scanData([file], { threads: 0 })).profile;
  const predictions = new ColumnProfileBuilder(PREDICTION_COLUMN);
  for (const r of training) predictions.add(Kind.String, 0, classify(r));
  profile = { ...scanned, columns: [...scanned.columns, predictions.toState()] };
});

const MODEL: MonitoredModel = { version: '3', features: FEATURES, task: 'classification', classes: CLASSES };

/** A fake clock, in milliseconds. */
function clock(start = 1_700_000_000_000) {
  const c = { now: start, read: () => c.now };
  return c;
}

/** Sends rows through the request path (records -> Table) and the monitor, as the server will. */
function observe(monitor: OnlineMonitor, rows: readonly Row[], id: string | null = null): void {
  const records = rows.map((r) => ({ bill: r.bill, island: r.island }));
  const { table } = recordsToTable(FEATURES, records);
  const predictions: Prediction[] = rows.map((r) => ({ label: classify(r), probabilities: [] }));
  monitor.observe(
    table,
    rows.map((_, i) => i),
    predictions,
    id,
  );
}

type Labels = Record<string, string>;

/** The value of a series, read through prom-client's JSON (collect callbacks run). */
async function read(registry: Registry, name: string, labels: Labels): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return match?.value;
}

async function series(registry: Registry, name: string): Promise<Array<{ labels: Labels; value: number }>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).map((v) => ({ labels: v.labels as Labels, value: v.value }));
}

/** Counts of each value, over the union of both sides' keys (drift-check's categorical pair). */
function countPair(reference: readonly (string | null)[], current: readonly (string | null)[]): [number[], number[]] {
  const keys = [...new Set([...reference, ...current].filter((k): k is string => k !== null))];
  const count = (values: readonly (string | null)[]) => keys.map((k) => values.filter((v) => v === k).length);
  return [count(reference), count(current)];
}

const finite = (rows: readonly Row[]) => Float64Array.from(rows.filter((r) => r.bill !== null).map((r) => r.bill!));

function setup(options: MonitorOptions = {}, model: MonitoredModel = MODEL, withProfile: DatasetProfile | null = profile) {
  const registry = new Registry();
  const metrics = new MonitorMetrics(registry);
  const monitor = new OnlineMonitor(model, withProfile, { minRows: 1000, ...options });
  metrics.attach(monitor);
  return { registry, metrics, monitor };
}

describe('drift statistics', () => {
  test("equal drift-check's on the same rows (PSI from the profile's sketch, JS natural log, null shares)", async () => {
    const c = clock();
    const { registry, monitor } = setup({ clock: c.read });
    // A mild shift, and a category the training never had.
    const window = generator(2)(3000, 46, { Biscoe: 0.45, Dream: 0.3, Torgersen: 0.2, Atlantis: 0.05 });
    for (let i = 0; i < window.length; i += 7) observe(monitor, window.slice(i, i + 7), `r${i}`);
    const v = { version: '3' };

    // PSI exactly as drift-check computes it over the reference's deciles, with the training profile as the reference.
    const billColumn = columnFromProfile(profile.columns.find((col) => col.name === 'bill')!);
    const expectedPsi = METHODS.psi.compute(
      { kind: 'numeric', reference: billColumn.numeric!, current: exactNumeric(finite(window))! },
      { ...DEFAULT_METHOD_OPTIONS, psiBins: 'reference-deciles' },
    );
    const psiGauge = await read(registry, 'mlops_serve_feature_drift', { ...v, feature: 'bill', statistic: 'psi' });
    expect(psiGauge).toBeCloseTo(expectedPsi.statistic, 12);
    // And within the sketch's error of the exact PSI on the raw training rows (deciles of the data itself).
    const trainSorted = sorted(finite(training));
    const edges = quantileEdges(trainSorted);
    const exactPsi = psi(binCounts(trainSorted, edges), binCounts(sorted(finite(window)), edges)).statistic;
    expect(Math.abs(psiGauge! - exactPsi)).toBeLessThan(0.01);

    // Jensen-Shannon over every category of either side (drift-check's pair), from the raw values.
    const [refIslands, curIslands] = countPair(
      training.map((r) => r.island),
      window.map((r) => r.island),
    );
    const expectedJs = jensenShannon(refIslands, curIslands, NATURAL_LOG).statistic;
    expect(await read(registry, 'mlops_serve_feature_drift', { ...v, feature: 'island', statistic: 'jensenshannon' })).toBeCloseTo(
      expectedJs,
      12,
    );

    // The prediction: JS over the classes, training predictions against the window's.
    const [refPred, curPred] = countPair(training.map(classify), window.map(classify));
    expect(await read(registry, 'mlops_serve_prediction_drift', { ...v, statistic: 'jensenshannon' })).toBeCloseTo(
      jensenShannon(refPred, curPred, NATURAL_LOG).statistic,
      12,
    );

    // Null shares, window and training.
    const share = (rows: readonly Row[], key: keyof Row) => rows.filter((r) => r[key] === null).length / rows.length;
    expect(await read(registry, 'mlops_serve_feature_null_share', { ...v, feature: 'bill' })).toBeCloseTo(share(window, 'bill'), 12);
    expect(await read(registry, 'mlops_serve_feature_null_share', { ...v, feature: 'island' })).toBeCloseTo(share(window, 'island'), 12);
    expect(await read(registry, 'mlops_serve_feature_training_null_share', { ...v, feature: 'bill' })).toBeCloseTo(
      share(training, 'bill'),
      12,
    );
    expect(await read(registry, 'mlops_serve_feature_training_null_share', { ...v, feature: 'island' })).toBeCloseTo(
      share(training, 'island'),
      12,
    );
    expect(await read(registry, 'mlops_serve_monitor_window_rows', v)).toBe(3000);
  });

  test('a shifted number and a shifted category drift; an unshifted sample does not', async () => {
    const generate = generator(3);
    const verdicts = async (rows: Row[]) => {
      const { registry, monitor } = setup();
      observe(monitor, rows);
      const drifted = await series(registry, 'mlops_serve_feature_drifted');
      return {
        bill: drifted.find((s) => s.labels.feature === 'bill')!.value,
        island: drifted.find((s) => s.labels.feature === 'island')!.value,
        share: (await read(registry, 'mlops_serve_drift_share', { version: '3' }))!,
        psi: (await read(registry, 'mlops_serve_feature_drift', { feature: 'bill' }))!,
        js: (await read(registry, 'mlops_serve_feature_drift', { feature: 'island' }))!,
      };
    };
    const same = await verdicts(generate(5000));
    expect(same).toMatchObject({ bill: 0, island: 0, share: 0 });
    expect(same.psi).toBeLessThan(0.02);
    expect(same.js).toBeLessThan(0.03);

    const shiftedNumber = await verdicts(generate(5000, 48)); // +0.6 standard deviations
    expect(shiftedNumber).toMatchObject({ bill: 1, island: 0, share: 0.5 });
    expect(shiftedNumber.psi).toBeGreaterThan(0.1);

    const shiftedCategory = await verdicts(generate(5000, 45, { Biscoe: 0.2, Dream: 0.3, Torgersen: 0.5 }));
    expect(shiftedCategory).toMatchObject({ bill: 0, island: 1, share: 0.5 });
    expect(shiftedCategory.js).toBeGreaterThan(0.1);
  });

  test("thresholds default to drift-check's and can be set", () => {
    const { monitor } = setup();
    expect(monitor.thresholds).toEqual({ psi: METHODS.psi.defaultThreshold, jensenshannon: METHODS.jensenshannon.defaultThreshold });
    const strict = new OnlineMonitor(MODEL, profile, { thresholds: { psi: 0.2 } });
    expect(strict.thresholds).toEqual({ psi: 0.2, jensenshannon: 0.1 });
    // Options left undefined take their defaults; invalid ones are refused.
    expect(() => new OnlineMonitor(MODEL, profile, { minRows: undefined, windowSeconds: undefined })).not.toThrow();
    expect(() => new OnlineMonitor(MODEL, profile, { windowRows: 0 })).toThrow(
      'OnlineMonitor: windowRows must be a positive whole number, got 0',
    );
  });
});

describe('windows', () => {
  test('by time: a bucket leaves the window when its slot is older than the window', async () => {
    const c = clock(0);
    const { registry, monitor } = setup({ clock: c.read, windowSeconds: 600, bucketSeconds: 60, minRows: 1 });
    const generate = generator(4);
    observe(monitor, generate(100, 80)); // t = 0: far off
    c.now = 59_000;
    observe(monitor, generate(50, 80)); // same slot, t = 59 s
    c.now = 300_000;
    observe(monitor, generate(400)); // t = 5 min: as in training
    const rows = () => read(registry, 'mlops_serve_monitor_window_rows', { version: '3' });
    const billDrifted = () => read(registry, 'mlops_serve_feature_drifted', { feature: 'bill' });
    c.now = 599_999;
    expect(await rows()).toBe(550);
    expect(await billDrifted()).toBe(1);
    // At 600 s the first slot (0 to 60 s) is 10 slots old: its rows leave, those of 59 s too (after 541 s).
    c.now = 600_000;
    expect(await rows()).toBe(400);
    expect(await billDrifted()).toBe(0);
    c.now = 300_000 + 600_000;
    expect(await rows()).toBe(0);
    expect(await read(registry, 'mlops_serve_drift_share', { version: '3' })).toBeNaN();
  });

  test('by count: the newest rows up to the cap, approximate to one bucket (a tenth of the cap), never above it', async () => {
    const c = clock();
    const { registry, monitor } = setup({ clock: c.read, windowRows: 1000, minRows: 1 });
    const generate = generator(5);
    observe(monitor, generate(2000, 80)); // old and shifted
    observe(monitor, generate(1000)); // newest: as in training
    const rows = () => read(registry, 'mlops_serve_monitor_window_rows', { version: '3' });
    expect(await rows()).toBe(1000);
    expect(await read(registry, 'mlops_serve_feature_drifted', { feature: 'bill' })).toBe(0);
    observe(monitor, generate(50));
    // 50 rows in the newest bucket and nine full buckets of 100: the tenth would pass the cap.
    expect(await rows()).toBe(950);
    observe(monitor, generate(50));
    expect(await rows()).toBe(1000);
  });

  test('below minRows every window statistic is NaN (not enough data)', async () => {
    const { registry, monitor } = setup({ minRows: 100 });
    const generate = generator(6);
    observe(monitor, generate(99));
    const v = { version: '3' };
    expect(await read(registry, 'mlops_serve_monitor_window_rows', v)).toBe(99);
    expect(await read(registry, 'mlops_serve_feature_drift', { ...v, feature: 'bill' })).toBeNaN();
    expect(await read(registry, 'mlops_serve_feature_drifted', { ...v, feature: 'island' })).toBeNaN();
    expect(await read(registry, 'mlops_serve_feature_null_share', { ...v, feature: 'bill' })).toBeNaN();
    expect(await read(registry, 'mlops_serve_drift_share', v)).toBeNaN();
    expect(await read(registry, 'mlops_serve_prediction_drift', v)).toBeNaN();
    expect(await read(registry, 'mlops_serve_feature_training_null_share', { ...v, feature: 'bill' })).toBeGreaterThan(0);
    expect(monitor.snapshot().enoughData).toBe(false);
    observe(monitor, generate(1));
    expect(monitor.snapshot().enoughData).toBe(true);
    expect(await read(registry, 'mlops_serve_feature_drift', { ...v, feature: 'bill' })).not.toBeNaN();
  });
});

describe('feedback', () => {
  test('classification: rolling accuracy by hand; unknown ids, repeated and out-of-range rows counted', async () => {
    const { registry, metrics, monitor } = setup({ minLabelledRows: 1 });
    // Predictions: r1 -> Gentoo, Adelie, Gentoo; r2 -> Adelie.
    observe(
      monitor,
      [50, 40, 50].map((bill) => ({ bill, island: 'Dream' })),
      'r1',
    );
    observe(monitor, [{ bill: 40, island: 'Biscoe' }], 'r2');
    expect(await read(registry, 'mlops_serve_rolling_accuracy', { version: '3' })).toBeNaN();
    const items = parseFeedback({
      feedback: [
        { id: 'r1', labels: ['Gentoo', 'Gentoo', 'Gentoo'] }, // right, wrong, right
        { id: 'r2', label: 'Adelie' }, // right
        { id: 'nope', label: 'Adelie' },
        { id: 'r1', label: 'Adelie', row: 0 }, // already labelled
        { id: 'r1', label: 'Gentoo', row: 5 }, // no such record
      ],
    });
    const outcome = metrics.feedback(items);
    expect(outcome).toMatchObject({ matched: 4, unknownId: 1, invalid: 2 });
    expect(outcome.problems).toEqual([
      'id "r1", row 0: already labelled (the first label counts)',
      'id "r1", row 5: the request had 3 records (rows 0 to 2)',
      'id "nope": no recent prediction has this request id',
    ]);
    expect(await read(registry, 'mlops_serve_rolling_accuracy', { version: '3' })).toBe(3 / 4);
    expect(await read(registry, 'mlops_serve_rolling_labelled_rows', { version: '3' })).toBe(4);
    expect(await read(registry, 'mlops_serve_rolling_r2', { version: '3' })).toBeUndefined();
    const counts = await series(registry, 'mlops_serve_feedback_total');
    expect(counts.map((s) => [s.labels.version, s.labels.result, s.value]).sort()).toEqual(
      [
        ['3', 'invalid', 2],
        ['3', 'matched', 4],
        ['none', 'unknown_id', 1],
      ].sort(),
    );
    // Labels compare as text with the classes, numbers by their canonical text; other labels are wrong predictions.
    const numeric = new OnlineMonitor({ ...MODEL, classes: ['0', '1'] }, null, { minLabelledRows: 1 });
    const { table } = recordsToTable(FEATURES, [{}, {}, {}]);
    numeric.observe(
      table,
      [0, 1, 2],
      ['1', '0', '1'].map((label) => ({ label, probabilities: [] })),
      'n',
    );
    expect(numeric.feedback('n', [1, '0.0', 'cat'])).toMatchObject({ matched: 3, invalid: 0 });
    expect(numeric.snapshot().labelled.accuracy).toBe(2 / 3);
    expect(numeric.feedback('n', [{ row: null, label: 1 }]).problems).toEqual([
      'id "n": the request had 3 records; give the row of the label',
    ]);
  });

  test('regression: rolling R² by hand, labels from a CSV labels file', async () => {
    const regressionProfile: DatasetProfile = (() => {
      const p = new ColumnProfileBuilder(PREDICTION_COLUMN);
      for (let i = 0; i < 1000; i++) p.add(Kind.Number, i / 100, null);
      return { ...profile, columns: [...profile.columns.filter((c) => c.name !== PREDICTION_COLUMN), p.toState()] };
    })();
    const model: MonitoredModel = { version: '7', features: FEATURES, task: 'regression', classes: [] };
    const { registry, metrics, monitor } = setup({ minLabelledRows: 4 }, model, regressionProfile);
    const { table } = recordsToTable(FEATURES, [{}, {}, {}, {}]);
    const values = [2.5, 0, 2, 8];
    monitor.observe(
      table,
      [0, 1, 2, 3],
      values.map((value) => ({ value })),
      'q',
    );
    const csv = 'id,row,label,note\nq,0,3,first\nq,1,-0.5,\n"q",2,2,"a, quoted"\nq,3,7.0,\n';
    expect(metrics.feedback(parseFeedback(Buffer.from(csv), 'text/csv; charset=utf-8'))).toMatchObject({ matched: 4 });
    // y = 3, -0.5, 2, 7 (mean 2.875): SS_tot = 29.1875; SS_res = 0.25 + 0.25 + 0 + 1 = 1.5.
    expect(await read(registry, 'mlops_serve_rolling_r2', { version: '7' })).toBeCloseTo(1 - 1.5 / 29.1875, 12);
    expect(await read(registry, 'mlops_serve_rolling_accuracy', { version: '7' })).toBeUndefined();
    expect(await read(registry, 'mlops_serve_prediction_drift', { version: '7', statistic: 'psi' })).toBeNaN();
    // A constant y_true: 1 for perfect predictions, else 0 (scikit-learn's force_finite).
    const constant = new OnlineMonitor(model, null, { minLabelledRows: 1 });
    constant.observe(table, [0, 1], [{ value: 5 }, { value: 5 }], 'c');
    constant.feedback('c', [5, 5]);
    expect(constant.snapshot().labelled.r2).toBe(1);
    constant.observe(table, [0], [{ value: 4 }], 'd');
    constant.feedback('d', [5]);
    expect(constant.snapshot().labelled.r2).toBe(0);
    expect(constant.feedback('d', [{ row: 0, label: 'high' }]).problems).toEqual(['id "d", row 0: expected a number, got the text "high"']);
  });

  test('predictions are remembered up to the row cap and the TTL, oldest first', () => {
    const c = clock();
    const monitor = new OnlineMonitor(MODEL, profile, { clock: c.read, rememberRows: 10, rememberSeconds: 60, minLabelledRows: 1 });
    const three = [40, 50, 40].map((bill) => ({ bill, island: null }));
    for (const id of ['r1', 'r2', 'r3']) observe(monitor, three, id);
    c.now += 30_000;
    observe(monitor, three, 'r4'); // rows 9 to 11 of a memory of 10: r1 (rows 0 to 2) is overwritten
    expect(monitor.rememberedRequests).toBe(3);
    expect(monitor.feedback('r1', ['Adelie', 'Gentoo', 'Adelie'])).toMatchObject({ matched: 0, unknownId: 3 });
    expect(monitor.feedback('r2', ['Adelie', 'Gentoo', 'Adelie'])).toMatchObject({ matched: 3, unknownId: 0 });
    c.now += 30_001; // r3 is 60.001 s old, r4 30.001 s
    expect(monitor.feedback('r3', ['Adelie'])).toMatchObject({ unknownId: 1 });
    expect(monitor.rememberedRequests).toBe(1);
    expect(monitor.feedback('r4', [{ row: 1, label: 'Gentoo' }])).toMatchObject({ matched: 1 });
    // A request of more rows than the memory is not remembered; an id seen again replaces the earlier request.
    observe(
      monitor,
      Array.from({ length: 11 }, () => ({ bill: 40, island: null })),
      'big',
    );
    expect(monitor.rememberedAt('big')).toBeNull();
    observe(monitor, [{ bill: 50, island: null }], 'r4');
    expect(monitor.feedback('r4', [{ row: 2, label: 'Adelie' }]).problems).toEqual([
      'id "r4", row 2: the request had 1 record (rows 0 to 0)',
    ]);
    expect(monitor.snapshot().labelled).toEqual({ rows: 4, accuracy: 1, r2: null });
  });
});

describe('Prometheus', () => {
  const promtool = spawnSync('promtool', ['--version']).status === 0;
  if (!promtool && process.env.CI === 'true') throw new Error("promtool is missing on CI: install Debian's prometheus package");
  // Locally without promtool (apt-get install prometheus) the check is skipped.
  if (!promtool) console.warn('promtool is not installed: the promtool check metrics test is skipped (apt-get install prometheus)');

  const HOSTILE = [
    'quote"d',
    'back\\slash',
    'new\nline',
    '__proto__',
    'constructor',
    'x,statistic:psi',
    'a},b{="c"',
    'ünï cödé 🐧',
    ' ',
    'toString',
  ];
  const hostileFeatures: SignatureFeature[] = HOSTILE.map((name, i) => ({ name, type: i % 2 === 0 ? 'number' : 'string' }));

  /** A profile with those columns (the project's profile builder) and the prediction column. */
  function hostileProfile(): DatasetProfile {
    const generate = prng(7);
    const columns = hostileFeatures.map((f) => {
      const b = new ColumnProfileBuilder(f.name);
      for (let i = 0; i < 2000; i++) {
        if (f.type === 'number') b.add(Kind.Number, generate(), null);
        else b.add(Kind.String, 0, generate() < 0.5 ? 'a' : 'b');
      }
      return b.toState();
    });
    const p = new ColumnProfileBuilder(PREDICTION_COLUMN);
    for (let i = 0; i < 2000; i++) p.add(Kind.String, 0, CLASSES[i % 2]!);
    return { format: PROFILE_FORMAT, rows: 2000, files: [], columns: [...columns, p.toState()] };
  }

  function hostileRequest(monitor: OnlineMonitor, n: number, id: string) {
    const generate = prng(8);
    const records = Array.from({ length: n }, () => {
      const record = Object.create(null) as Record<string, unknown>; // a key may be __proto__
      for (const f of hostileFeatures) record[f.name] = f.type === 'number' ? generate() : generate() < 0.5 ? 'a' : 'c';
      return record;
    });
    const { table } = recordsToTable(hostileFeatures, records);
    monitor.observe(
      table,
      records.map((_, i) => i),
      records.map((_, i) => ({ label: CLASSES[i % 2]!, probabilities: [0.5, 0.5] })),
      id,
    );
  }

  (promtool ? test : test.skip)('the server registry passes promtool check metrics, hostile feature names included', async () => {
    const serve = new ServeMetrics();
    const metrics = new MonitorMetrics(serve.registry);
    const reference = hostileProfile();
    const stable = new OnlineMonitor({ version: '3', features: hostileFeatures, task: 'classification', classes: CLASSES }, reference, {
      minRows: 10,
    });
    const candidate = new OnlineMonitor({ version: '4', features: hostileFeatures, task: 'classification', classes: CLASSES }, reference, {
      minRows: 10,
    });
    metrics.attach(stable);
    metrics.attach(candidate);
    hostileRequest(stable, 50, 's');
    hostileRequest(candidate, 5, 'c'); // below minRows: NaN values
    metrics.feedback([{ id: 's', row: 0, label: 'Adelie' }]);
    const { body: text } = await serve.text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, problems: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, problems: '' });
    // Every name reaches the text escaped, and reads back as itself.
    expect(text).toContain('mlops_serve_feature_drifted{version="3",feature="new\\nline"}');
    expect(text).toContain('feature="quote\\"d"');
    expect(text).toContain('feature="back\\\\slash"');
    const drift = await series(serve.registry, 'mlops_serve_feature_drift');
    for (const version of ['3', '4'])
      expect(
        drift
          .filter((s) => s.labels.version === version)
          .map((s) => s.labels.feature)
          .sort(),
      ).toEqual([...HOSTILE].sort());
    expect(drift.find((s) => s.labels.version === '4')!.value).toBeNaN();
    expect(drift.find((s) => s.labels.version === '3' && s.labels.feature === 'x,statistic:psi')!.labels.statistic).toBe('jensenshannon');
    for (const name of [
      'mlops_serve_feature_drift',
      'mlops_serve_feature_drifted',
      'mlops_serve_feature_null_share',
      'mlops_serve_feature_training_null_share',
      'mlops_serve_drift_share',
      'mlops_serve_prediction_drift',
      'mlops_serve_monitor_window_rows',
      'mlops_serve_rolling_accuracy',
      'mlops_serve_rolling_labelled_rows',
    ])
      expect(text).toMatch(new RegExp(`^# TYPE ${name} gauge$`, 'm'));
    expect(text).toMatch(/^# TYPE mlops_serve_feedback_total counter$/m);
  });

  test('a detached version loses every series; the other keeps its own', async () => {
    const registry = new Registry();
    const metrics = new MonitorMetrics(registry);
    const stable = new OnlineMonitor(MODEL, profile, { minRows: 1 });
    const candidate = new OnlineMonitor({ ...MODEL, version: '4' }, profile, { minRows: 1 });
    metrics.attach(stable);
    metrics.attach(candidate);
    observe(stable, generator(9)(20), 'a');
    observe(candidate, generator(10)(20), 'b');
    metrics.feedback([
      { id: 'a', row: 0, label: 'Adelie' },
      { id: 'b', row: 0, label: 'Adelie' },
    ]);
    const versions = async () => {
      const out = new Set<string>();
      for (const metric of await registry.getMetricsAsJSON()) for (const v of metric.values) out.add(String(v.labels.version));
      return [...out].sort();
    };
    expect(await versions()).toEqual(['3', '4', 'none']);
    metrics.detach(stable);
    expect(await versions()).toEqual(['4', 'none']);
    expect(metrics.monitors.map((m) => m.version)).toEqual(['4']);
    // Labels of the detached version's requests are now unknown.
    expect(metrics.feedback([{ id: 'a', row: 1, label: 'Adelie' }])).toMatchObject({ unknownId: 1 });
  });

  test('without a training profile drift is off with a reason; window rows and feedback still work', async () => {
    const { registry, metrics, monitor } = setup({ minRows: 1, minLabelledRows: 1 }, MODEL, null);
    expect(monitor.driftEnabled).toBe(false);
    expect(monitor.driftReason).toBe('no training profile');
    observe(monitor, [{ bill: 50, island: 'Dream' }], 'x');
    metrics.feedback([{ id: 'x', row: null, label: 'Gentoo' }]);
    expect(await series(registry, 'mlops_serve_feature_drift')).toEqual([]);
    expect(await series(registry, 'mlops_serve_drift_share')).toEqual([]);
    expect(await read(registry, 'mlops_serve_monitor_window_rows', { version: '3' })).toBe(1);
    expect(await read(registry, 'mlops_serve_rolling_accuracy', { version: '3' })).toBe(1);
    // A feature the profile lacks is skipped, with its reason; the others are monitored.
    const partial = new OnlineMonitor({ ...MODEL, features: [...FEATURES, { name: 'depth', type: 'number' }] }, profile);
    expect(partial.skipped).toEqual([{ feature: 'depth', reason: 'not in the training profile' }]);
    expect(partial.monitoredFeatures).toEqual(['bill', 'island']);
    expect(() => new OnlineMonitor({ ...MODEL, version: '1,2' }, profile)).toThrow(/without commas/);
  });

  test('loadTrainingProfile reads profile.json of a model directory, or says why not', async () => {
    const dir = await makeTempDir('mlops-monitor-dir-');
    expect((await loadTrainingProfile(dir)).reason).toMatch(/^the model has no profile\.json/);
    await writeFile(join(dir, TRAINING_PROFILE_FILE), '{"format": "other"}');
    expect(await loadTrainingProfile(dir)).toEqual({
      profile: null,
      reason: 'profile.json is not a data profile (format mlops-profile/v1)',
    });
    await writeFile(join(dir, TRAINING_PROFILE_FILE), JSON.stringify(profile));
    const loaded = await loadTrainingProfile(dir);
    expect(loaded.reason).toBeNull();
    expect(new OnlineMonitor(MODEL, loaded.profile).monitoredFeatures).toEqual(['bill', 'island']);
  });
});

describe('parseFeedback', () => {
  const fail = (body: unknown, type?: string): HttpError => {
    try {
      parseFeedback(body, type);
    } catch (error) {
      if (error instanceof HttpError) return error;
      throw error;
    }
    throw new Error('expected an HttpError');
  };

  test('reads JSON, JSON Lines and CSV/TSV labels files', () => {
    expect(parseFeedback(Buffer.from('{"id": "a", "labels": ["x", 2, true]}'), 'application/json')).toEqual([
      { id: 'a', row: 0, label: 'x' },
      { id: 'a', row: 1, label: 2 },
      { id: 'a', row: 2, label: true },
    ]);
    expect(
      parseFeedback({
        feedback: [
          { id: 'a', label: 'x' },
          { id: 'b', label: 1.5, row: 3 },
        ],
      }),
    ).toEqual([
      { id: 'a', row: null, label: 'x' },
      { id: 'b', row: 3, label: 1.5 },
    ]);
    expect(parseFeedback(Buffer.from('\uFEFF{"id":"a","label":"x"}\r\n\n{"id":"b","labels":["y"]}\n'), 'application/x-ndjson')).toEqual([
      { id: 'a', row: null, label: 'x' },
      { id: 'b', row: 0, label: 'y' },
    ]);
    expect(parseFeedback(Buffer.from('label,id\r\n"a ""b""",r1\r\n\r\nc,"r,2"\r\n'), 'text/csv')).toEqual([
      { id: 'r1', row: null, label: 'a "b"' },
      { id: 'r,2', row: null, label: 'c' },
    ]);
    expect(parseFeedback(Buffer.from('id\trow\tlabel\nr1\t2\tx\n'), 'text/tab-separated-values')).toEqual([
      { id: 'r1', row: 2, label: 'x' },
    ]);
  });

  test('names the entry or line and the field of every malformed entry', () => {
    expect(
      fail({
        feedback: [
          { id: 7, label: 'x' },
          { id: 'a', labels: ['x', null, { v: 1 }] },
          { id: 'a', label: 'x', row: -1 },
          { id: 'a' },
          { id: 'a', label: 'x', labels: ['x'] },
          'a',
        ],
      }).message,
    ).toBe(
      '7 malformed feedback entries: feedback[0].id: expected the request id as a text, got a number; ' +
        'feedback[1].labels[1]: a label is required (leave out records without one); ' +
        'feedback[1].labels[2]: expected a label (a text, a number or a boolean), got an object; ' +
        "feedback[2].row: expected the record's index in its request (a whole number from 0), got -1; " +
        'feedback[3]: "labels" (one per record of the request, in order) or "label" (with "row") is missing; ' +
        'feedback[4]: give "labels" or "label", not both; ' +
        'feedback[5]: expected an object with "id" and "labels" (or "label"), got a string',
    );
    expect(fail(Buffer.from('{"id":"a","label":"x"}\nnot json\n{"label":"x"}\n'), 'application/x-ndjson').message).toMatch(
      /^2 malformed feedback entries: line 2: not valid JSON \(.*\); line 3, "id": the request id is missing$/,
    );
    expect(fail(Buffer.from('id,label,row\n,x,1\nb,,2\nc,y,two\nd,"z"q,0\n'), 'text/csv').message).toBe(
      '4 malformed feedback entries: line 2, column "id": the request id is empty; line 3, column "label": the label is empty; ' +
        'line 4, column "row": expected a whole number from 0, got "two"; line 5, column "label": a quote is not closed, or text follows a closing quote',
    );
    expect(fail(Buffer.from('request,label\nr1,x\n'), 'text/csv').message).toBe(
      'line 1: the header of a labels file needs the columns "id" and "label" (and "row" for requests of several records); got "request", "label"',
    );
    expect(fail([{ id: 'a' }]).message).toMatch(/^the feedback must be a JSON object/);
    expect(fail({ labels: ['x'] }).message).toBe('1 malformed feedback entry: id: the request id is missing');
    expect(fail({ id: 'x'.repeat(300), label: 'y' }).message).toMatch(/id: the request id has 300 characters, more than 256/);
    expect(fail(Buffer.from('{"id": "a",'), 'application/json').message).toMatch(/^the body is not valid JSON/);
    expect(fail({ feedback: [] }).message).toBe('the feedback holds no labels');
  });

  test('refuses other content types (415) and bodies of too many labels (413)', () => {
    expect(fail(Buffer.from('x'), 'application/xml')).toMatchObject({ status: 415 });
    expect(() => parseFeedback({ id: 'a', labels: ['x', 'y', 'z'] }, null, { maxItems: 2 })).toThrow(
      expect.objectContaining({ status: 413 }) as Error,
    );
  });
});
