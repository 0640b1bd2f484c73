// Benchmark (not a test): model quality of the built-in trainer, with its default parameters, against
// scikit-learn on the same train/test split of real, freely licensed tabular data sets. Prints figures.
//   node bench/quality.mjs                      the default models, as users get them
//   node bench/quality.mjs --params FILE        the same with a params file (YAML or JSON) passed to every
//                                               train run: to measure a candidate change of the defaults
//   node bench/quality.mjs --only NAME[,NAME]   some data sets only (penguins, seattle-weather, gapminder, cars)
//   node bench/quality.mjs --with-cars          adds auto-mpg (regression), whose license is not an open one
//   node bench/quality.mjs --algorithms gbdt    some of our kinds only (default: mlp,linear,gbdt); gbdt is compared
//                                               with scikit-learn's HistGradientBoosting (defaults), mlp and linear
//                                               with its MLP and linear model
//   node bench/quality.mjs --cli FILE           another build of the CLI than dist/cli/index.js (say, one compiled
//                                               from the sources with tsc, to measure a change before building dist)
// Data sets: penguins, seattle-weather, gapminder and cars (vega-datasets), and scikit-learn's bundled
// breast_cancer, wine, iris, diabetes and digits (written from sklearn.datasets, which reads files it ships).
// The splits are written once under bench/data/quality/<name>/ and reused; delete a folder to write it again.
// Our side runs the CLI bundle (`train`, then `evaluate` on the test file); scikit-learn's side runs
// bench/sklearn_quality.py on the same files. Data sets come from files already here (the penguins example
// and the vega-datasets npm package): nothing is downloaded.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
process.chdir(fileURLToPath(new URL('..', import.meta.url)));

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return null;
  if (!args[i + 1] || args[i + 1].startsWith('--')) throw new Error(`${name} needs a value`);
  return args[i + 1];
};
const paramsFile = option('--params');
const only = option('--only')?.split(',') ?? null;
const withCars = args.includes('--with-cars') || (only?.includes('cars') ?? false);
const ALGORITHMS = option('--algorithms')?.split(',') ?? ['mlp', 'linear', 'gbdt'];
for (const a of ALGORITHMS) if (!['mlp', 'linear', 'gbdt'].includes(a)) throw new Error(`unknown algorithm ${a} in --algorithms`);
if (paramsFile && !existsSync(paramsFile)) throw new Error(`no params file ${paramsFile}`);
const CLI = option('--cli') ?? 'dist/cli/index.js';
if (!existsSync(CLI)) throw new Error(CLI === 'dist/cli/index.js' ? 'build first: npm run build' : `no CLI at ${CLI}`);

const SPLIT_SEED = 20240611;
const TEST_SHARE = 0.2;
const dir = 'bench/data/quality';
const vegaDir = 'node_modules/vega-datasets';
const datapackage = JSON.parse(readFileSync(join(vegaDir, 'datapackage.json'), 'utf8'));

/** The license of a vega-datasets file, as its datapackage.json names it. */
function vegaLicense(file) {
  const resource = datapackage.resources.find((r) => r.path === file);
  if (!resource) throw new Error(`${file} is not in vega-datasets' datapackage.json`);
  const names = (resource.licenses ?? []).map((l) => l.name ?? l.title).filter(Boolean);
  return names.length > 0 ? names.join('; ') : 'no license stated';
}

/** mulberry32, as the trainer uses: a small seeded generator. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Records of a simple CSV file (RFC 4180 quoting; no embedded newlines in these files). */
function readCsv(path) {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  const split = (line) => {
    const out = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        out.push(field);
        field = '';
      } else field += c;
    }
    out.push(field);
    return out;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => Object.fromEntries(split(line).map((v, i) => [header[i], v])));
}

function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes the seeded 80/20 split of `records` (objects with `columns`) once; later runs reuse the files. */
function writeSplit(name, columns, records) {
  const train = join(dir, name, 'train.csv');
  const test = join(dir, name, 'test.csv');
  if (existsSync(train) && existsSync(test)) return { train, test, reused: true };
  const order = records.map((_, i) => i);
  const random = seededRandom(SPLIT_SEED);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const testCount = Math.round(records.length * TEST_SHARE);
  const testRows = new Set(order.slice(0, testCount));
  const text = (keep) =>
    [columns.join(','), ...records.filter((_, i) => keep(i)).map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n') + '\n';
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(
    train,
    text((i) => !testRows.has(i)),
  );
  writeFileSync(
    test,
    text((i) => testRows.has(i)),
  );
  return { train, test, reused: false };
}

const DATASETS = [
  {
    name: 'penguins',
    title: 'Palmer penguins',
    target: 'species',
    task: 'classification',
    // The example project's own split (every fifth bird held out), as `npm start` uses it; its license is
    // the one vega-datasets names for the same data (penguins.json), as the example's mlops.yaml says.
    license: vegaLicense('penguins.json'),
    prepare: () => ({ train: 'examples/penguins/data/penguins.csv', test: 'examples/penguins/data/penguins-test.csv', reused: true }),
  },
  {
    name: 'seattle-weather',
    title: 'Seattle weather (NOAA, 2012-2015)',
    target: 'weather',
    task: 'classification',
    license: vegaLicense('seattle-weather.csv'),
    prepare: () => {
      // The date becomes its month (seasons matter; the day itself would be a one-off category).
      const records = readCsv(join(vegaDir, 'data/seattle-weather.csv')).map((r) => ({ ...r, month: Number(r.date.slice(5, 7)) }));
      return writeSplit('seattle-weather', ['month', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'], records);
    },
  },
  {
    name: 'gapminder',
    title: 'Gapminder life expectancy (1955-2005)',
    target: 'life_expect',
    task: 'regression',
    license: vegaLicense('gapminder.json'),
    prepare: () => {
      // cluster is a region code (0-5): both sides read it as a number.
      const records = JSON.parse(readFileSync(join(vegaDir, 'data/gapminder.json'), 'utf8'));
      return writeSplit('gapminder', ['country', 'cluster', 'year', 'pop', 'fertility', 'life_expect'], records);
    },
  },
  {
    name: 'cars',
    title: 'Auto MPG (StatLib)',
    target: 'Miles_per_Gallon',
    task: 'regression',
    optIn: true,
    license: vegaLicense('cars.json'),
    prepare: () => {
      // Name dropped; rows without the target dropped; Year ("1970-01-01") becomes the model year.
      const records = JSON.parse(readFileSync(join(vegaDir, 'data/cars.json'), 'utf8'))
        .filter((r) => r.Miles_per_Gallon !== null && r.Miles_per_Gallon !== undefined)
        .map((r) => ({ ...r, Year: Number(String(r.Year).slice(0, 4)) }));
      const columns = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year', 'Origin', 'Miles_per_Gallon'];
      return writeSplit('cars', columns, records);
    },
  },
  ...[
    ['breast_cancer', 'Breast cancer Wisconsin (diagnostic)', 'classification'],
    ['wine', 'Wine recognition', 'classification'],
    ['iris', 'Iris', 'classification'],
    ['digits', 'Optical digits (8x8)', 'classification'],
    ['diabetes', 'Diabetes progression', 'regression'],
  ].map(([name, title, task]) => ({
    name,
    title,
    target: 'target',
    task,
    license: "scikit-learn's bundled copy (BSD-3-Clause package; see its dataset description)",
    prepare: () => sklearnDataset(name, task),
  })),
].filter((d) => (only ? only.includes(d.name) : !d.optIn || withCars));

/** One of scikit-learn's bundled data sets (class names as the target for classes), split once like the others. */
function sklearnDataset(name, task) {
  const train = join(dir, name, 'train.csv');
  if (existsSync(train) && existsSync(join(dir, name, 'test.csv'))) return { train, test: join(dir, name, 'test.csv'), reused: true };
  const python = findPython();
  if (!python) throw new Error(`the ${name} data set comes from scikit-learn, which is not installed`);
  const code = [
    'import json, sys',
    'from sklearn import datasets',
    'd = getattr(datasets, "load_" + sys.argv[1])()',
    'names = [str(n) for n in d.feature_names]',
    'classes = getattr(d, "target_names", None)',
    'rows = []',
    'for x, y in zip(d.data.tolist(), d.target.tolist()):',
    '    r = dict(zip(names, x))',
    '    r["target"] = str(classes[int(y)]) if sys.argv[2] == "classification" and classes is not None else y',
    '    rows.append(r)',
    'print(json.dumps({"columns": names + ["target"], "rows": rows}))',
  ].join('\n');
  const result = spawnSync(python, ['-c', code, name, task], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`loading ${name} from scikit-learn failed:\n${result.stderr}`);
  const { columns, rows } = JSON.parse(result.stdout);
  return writeSplit(name, columns, rows);
}
if (DATASETS.length === 0) throw new Error('no data set selected');

function countRows(path) {
  return (
    readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l !== '').length - 1
  );
}

async function cli(argv) {
  try {
    return (await run(process.execPath, [CLI, ...argv], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.split('\n').slice(-30).join('\n');
    throw new Error(`mlops ${argv.join(' ')} failed (exit ${error.code}):\n${output}`);
  }
}

const runLabel = paramsFile ? `params-${basename(paramsFile).replace(/\.[^.]+$/, '')}` : 'defaults';
const gates = join(dir, 'no-gates.json');

/** Trains one of our models with the defaults (or the params file) and scores it on the test file. */
async function ours(dataset, files, model) {
  const out = join(dir, 'runs', runLabel, `${dataset.name}-${model}`);
  rmSync(out, { recursive: true, force: true });
  const started = performance.now();
  await cli([
    'train',
    '--data',
    files.train,
    '--target',
    dataset.target,
    '--algorithm',
    model,
    '--cache',
    'false',
    '--output-dir',
    out,
    ...(paramsFile ? ['--params', paramsFile] : []),
  ]);
  const trainSeconds = (performance.now() - started) / 1000;
  const stdout = await cli([
    'evaluate',
    '--model-dir',
    join(out, 'model'),
    '--data',
    files.test,
    '--gates',
    gates,
    '--comment',
    'false',
    '--fail-on-unblessed',
    'false',
    '--output-dir',
    join(out, 'evaluate'),
  ]);
  let metrics;
  const evaluation = join(out, 'evaluate', 'evaluation.json');
  if (existsSync(evaluation)) metrics = JSON.parse(readFileSync(evaluation, 'utf8')).candidate.metrics;
  else {
    // The output lines: "metrics: {...}" (the candidate's).
    const line = stdout.split('\n').find((l) => /^\s*metrics: \{/.test(l));
    if (!line) throw new Error(`no metrics in the evaluate output of ${dataset.name} ${model}`);
    metrics = JSON.parse(line.replace(/^\s*metrics: /, ''));
  }
  const card = JSON.parse(readFileSync(join(out, 'model', 'model-card.json'), 'utf8'));
  if (card.task !== dataset.task) console.warn(`warning: our trainer took ${dataset.name} as ${card.task}, not ${dataset.task}`);
  return { metrics, card, trainSeconds };
}

/** The first interpreter that has scikit-learn: python3, then the system one. */
function findPython() {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', 'import sklearn'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

function sklearnSide(python, dataset, files) {
  const result = spawnSync(python, ['bench/sklearn_quality.py', files.train, files.test, dataset.target, dataset.task], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`bench/sklearn_quality.py failed on ${dataset.name}:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

/**
 * scikit-learn's HistGradientBoostingClassifier/Regressor with its defaults on the same files: numbers as read
 * (missing as NaN), text columns ordinal-encoded and declared categorical (its native category splits; values
 * never seen in training, and missing ones, as missing). Rows without a target are left out, as ours. Fitted
 * a second time as ours fits by default: 20% of the training file held out for early stopping (its own
 * validation_fraction, n_iter_no_change 10, tol 1e-7), so with the same share of rows to fit on.
 */
const HGB_SCRIPT = `
import csv, json, sys, time
import numpy as np, sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import accuracy_score, r2_score
NULL_VALUES = {"", "NA", "N/A", "null", "NULL", "Null", "None", "#N/A"}
train_path, test_path, target, task = sys.argv[1:]
def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f)]
    header = rows[0]
    body = [r for r in rows[1:] if any(cell != "" for cell in r)]
    t = header.index(target)
    body = [r for r in body if r[t] not in NULL_VALUES]
    return header, body
def number(text):
    try:
        return float(text)
    except ValueError:
        return None
header, train = read(train_path)
_, test = read(test_path)
t = header.index(target)
features = [j for j in range(len(header)) if j != t]
numeric = {j for j in features if all(r[j] in NULL_VALUES or number(r[j]) is not None for r in train)}
codes = {j: {v: i for i, v in enumerate(sorted({r[j] for r in train if r[j] not in NULL_VALUES}))} for j in features if j not in numeric}
def matrix(rows):
    x = np.empty((len(rows), len(features)))
    for k, j in enumerate(features):
        for i, r in enumerate(rows):
            v = r[j]
            if v in NULL_VALUES:
                x[i, k] = np.nan
            elif j in numeric:
                n = number(v)
                x[i, k] = np.nan if n is None else n
            else:
                x[i, k] = codes[j].get(v, np.nan)
    return x
x_train, x_test = matrix(train), matrix(test)
mask = [j not in numeric for j in features]
cat = mask if any(mask) else None
if task == "classification":
    model, name = HistGradientBoostingClassifier(categorical_features=cat, random_state=0), "HistGradientBoostingClassifier"
    y_train, y_test = np.array([r[t] for r in train]), np.array([r[t] for r in test])
else:
    model, name = HistGradientBoostingRegressor(categorical_features=cat, random_state=0), "HistGradientBoostingRegressor"
    y_train, y_test = np.array([float(r[t]) for r in train]), np.array([float(r[t]) for r in test])
started = time.perf_counter()
model.fit(x_train, y_train)
seconds = time.perf_counter() - started
predicted = model.predict(x_test)
out = {"sklearn": sklearn.__version__, "model": name, "fit_seconds": round(seconds, 3), "iterations": int(model.n_iter_)}
score = accuracy_score if task == "classification" else r2_score
out["accuracy" if task == "classification" else "r2"] = score(y_test, predicted)
held_out = model.set_params(early_stopping=True, validation_fraction=0.2, n_iter_no_change=10, tol=1e-7).fit(x_train, y_train)
out["held_out"] = {"accuracy" if task == "classification" else "r2": score(y_test, held_out.predict(x_test)), "iterations": int(held_out.n_iter_)}
print(json.dumps(out))
`;

function sklearnHgb(python, dataset, files) {
  const result = spawnSync(python, ['-c', HGB_SCRIPT, files.train, files.test, dataset.target, dataset.task], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`scikit-learn's HistGradientBoosting failed on ${dataset.name}:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

/** Which bundle produces the figures (checked again at the end: a rebuild during the run would mix two builds). */
const bundleHash = () => createHash('sha256').update(readFileSync(CLI)).digest('hex').slice(0, 12);
const bundleAtStart = bundleHash();
const python = findPython();
mkdirSync(dir, { recursive: true });
writeFileSync(gates, '[]\n');

const results = [];
for (const dataset of DATASETS) {
  const files = dataset.prepare();
  const rows = { train: countRows(files.train), test: countRows(files.test) };
  console.error(`${dataset.name}: ${rows.train} training rows, ${rows.test} test rows${files.reused ? '' : ' (split written)'}`);
  const mlp = ALGORITHMS.includes('mlp') ? await ours(dataset, files, 'mlp') : null;
  const linear = ALGORITHMS.includes('linear') ? await ours(dataset, files, 'linear') : null;
  const gbdt = ALGORITHMS.includes('gbdt') ? await ours(dataset, files, 'gbdt') : null;
  const sk = python && (mlp || linear) ? sklearnSide(python, dataset, files) : null;
  const hgb = python && gbdt ? sklearnHgb(python, dataset, files) : null;
  results.push({ dataset, files, rows, mlp, linear, gbdt, sk, hgb });
}

const metricName = (task) => (task === 'classification' ? 'accuracy' : 'r2');
const points = (v) => (v === null || v === undefined ? null : v * 100);
const fmt = (v) => (v === null ? 'n/a' : v.toFixed(1));
const gap = (a, b) => {
  if (a === null || b === null) return 'n/a';
  const g = a - b;
  return `${g >= 0 ? '+' : ''}${g.toFixed(1)}${g >= -2 ? '' : ' ✗'}`;
};

console.log(`\n## Model quality: ours (${paramsFile ? `with ${paramsFile}` : 'default parameters'}) against scikit-learn\n`);
console.log(`Command: node bench/quality.mjs${args.length > 0 ? ` ${args.join(' ')}` : ''}`);
// The commit too, when this is a git checkout.
const git = (argv) => spawnSync('git', argv, { encoding: 'utf8' });
const commit = git(['rev-parse', '--short', 'HEAD']);
const distChanged = commit.status === 0 && git(['status', '--porcelain', '--', 'dist']).stdout.trim() !== '';
console.log(
  `CLI bundle: ${CLI} sha256 ${bundleAtStart}` +
    (commit.status === 0 ? ` (commit ${commit.stdout.trim()}${distChanged ? ', dist/ has uncommitted changes' : ''})` : ''),
);
if (bundleHash() !== bundleAtStart)
  console.log(`**Warning:** ${CLI} changed during this run (now ${bundleHash()}): the figures may mix two builds; run again.`);
const firstOurs = results[0].mlp ?? results[0].linear ?? results[0].gbdt;
const skVersion = results[0].sk?.sklearn ?? results[0].hgb?.sklearn;
console.log(
  `Node ${process.version}; our backend: ${firstOurs.card.trainer?.backend ?? 'n/a'}; ` +
    (python ? `scikit-learn ${skVersion}${results[0].sk ? ` (${results[0].sk.reader})` : ''}` : 'scikit-learn: not installed'),
);
console.log('Scores on the held-out test file, in points: accuracy x 100 (classification) or R² x 100 (regression).');
console.log(
  'Gap = ours - scikit-learn, like for like (mlp with MLP, linear with the linear model, gbdt with HistGradientBoosting); ' +
    '✗ marks a gap beyond -2 points.\n',
);
const score = (side, m) => (side ? points(side.metrics[m]) : null);
const label = (r) =>
  `${r.dataset.title} (${r.rows.train + r.rows.test}: ${r.rows.train} train / ${r.rows.test} test; ${r.dataset.license})`;
if (ALGORITHMS.includes('mlp') || ALGORITHMS.includes('linear')) {
  console.log('| Data set (rows, license) | Task | Metric | Our mlp | Our linear | sklearn MLP | sklearn linear | Gap mlp | Gap linear |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const m = metricName(r.dataset.task);
    const ourMlp = score(r.mlp, m);
    const ourLinear = score(r.linear, m);
    const skMlp = r.sk && r.mlp ? points(r.sk.models.mlp[m]) : null;
    const skLinear = r.sk && r.linear ? points(r.sk.models.linear[m]) : null;
    console.log(
      `| ${label(r)} | ${r.dataset.task} | ${m === 'r2' ? 'R²' : m} | ${fmt(ourMlp)} | ${fmt(ourLinear)} | ${fmt(skMlp)} | ${fmt(skLinear)} | ` +
        `${gap(ourMlp, skMlp)} | ${gap(ourLinear, skLinear)} |`,
    );
  }
  if (python) {
    const names = [...new Set(results.flatMap((r) => [r.sk.models.mlp.model, r.sk.models.linear.model]))];
    console.log(`\nscikit-learn models: ${names.join(', ')}; other parameters default.\n`);
  }
}
if (ALGORITHMS.includes('gbdt')) {
  console.log(
    '| Data set (rows, license) | Task | Metric | Our gbdt | sklearn HistGradientBoosting | Gap gbdt | sklearn, 20% held out | ' +
      'Gap, 20% held out | our train wall s | sklearn fit s |',
  );
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const m = metricName(r.dataset.task);
    const ours = score(r.gbdt, m);
    const theirs = r.hgb ? points(r.hgb[m]) : null;
    const heldOut = r.hgb?.held_out ? points(r.hgb.held_out[m]) : null;
    console.log(
      `| ${label(r)} | ${r.dataset.task} | ${m === 'r2' ? 'R²' : m} | ${fmt(ours)} | ${fmt(theirs)} | ${gap(ours, theirs)} | ` +
        `${fmt(heldOut)} | ${gap(ours, heldOut)} | ${r.gbdt.trainSeconds.toFixed(1)} | ${r.hgb ? r.hgb.fit_seconds : 'n/a'} |`,
    );
  }
  if (python) {
    const categorical = results[0]?.gbdt?.card.params?.gbdt_categorical ?? 'one-hot';
    console.log(
      '\nscikit-learn: HistGradientBoostingClassifier/Regressor(random_state=0), other parameters default; text columns ' +
        'ordinal-encoded and declared categorical (native category splits). "20% held out": the same, fitted as ours fits by ' +
        'default, with 20% of the training file held out for early stopping (validation_fraction 0.2, n_iter_no_change 10, ' +
        `tol 1e-7). Ours: text columns ${categorical === 'native' ? 'split natively (gbdt_categorical: native)' : 'one-hot (train.max_categories)'}.\n`,
    );
  }
}

console.log('\n### Training runs\n');
console.log(
  '| Data set | Model | Fit rows / early-stopping rows | Epochs run (best) | Early stop | train wall s | sklearn iterations (converged) |',
);
console.log('| --- | --- | ---: | ---: | --- | ---: | ---: |');
for (const r of results) {
  for (const key of ALGORITHMS) {
    const { card, trainSeconds } = r[key];
    const sk = key === 'gbdt' ? (r.hgb ? { iterations: r.hgb.iterations, converged: true } : null) : r.sk?.models[key];
    console.log(
      `| ${r.dataset.name} | ${key} | ${card.data?.rows?.train ?? 'n/a'} / ${card.data?.rows?.validation ?? 'n/a'} | ` +
        `${card.epochs?.run ?? 'n/a'} (${card.epochs?.best ?? 'n/a'}) | ${card.epochs ? (card.epochs.stoppedEarly ? 'yes' : 'no') : 'n/a'} | ` +
        `${trainSeconds.toFixed(1)} | ${sk ? `${sk.iterations ?? 'n/a'}${key === 'gbdt' ? '' : ` (${sk.converged ? 'yes' : 'no'})`}` : 'n/a'} |`,
    );
  }
}
console.log(
  `\nSplit: ${Math.round((1 - TEST_SHARE) * 100)}/${Math.round(TEST_SHARE * 100)}, seed ${SPLIT_SEED} (penguins: the example project's own split), ` +
    `files under ${dir}/. Our trainer holds out validation_split (${firstOurs.card.params?.validation_split ?? 'n/a'}) ` +
    'of the training file for early stopping and fits on the rest; scikit-learn fits on the whole training file ' +
    '(HistGradientBoosting stops early on a split of its own only above 10,000 rows).',
);
if (!python) {
  console.log(
    '\nscikit-learn was not found (tried python3, then /usr/bin/python3), so only our figures are shown. To compare, install it:',
  );
  console.log('  apt-get install -y python3-sklearn python3-pandas      (Debian/Ubuntu; or: pip install scikit-learn pandas)');
}
