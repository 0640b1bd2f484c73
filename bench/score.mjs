// Benchmark (not a test): batch scoring, as evaluate and predict score a table, through the built
// bundle's benchmarkHooks() (the model loader and table reader the steps use).
//   npm run build && node bench/score.mjs
//   BENCH_ROWS=200000 node bench/score.mjs      (a quicker look)
// Models: the committed ONNX fixtures torch-mlp (PyTorch MLP, 13 features in one tensor, 3 classes),
// sklearn-gbdt (scikit-learn GradientBoosting, 40 trees of depth 3, 8 per-column inputs) and
// xgboost-regressor (50 trees), and an MLP trained by our own `train` (3 epochs) on 50,000 rows of
// the standard synthetic shape (20 numeric + 5 categorical columns, binary y), and a gbdt trained by our own
// `train` on the same rows (100 trees of up to 31 leaves, text columns native). For each model a
// BENCH_ROWS-row CSV of its feature columns is generated once (seeded) under bench/data/score/: a
// fixture's rows are its data.csv rows, resampled and jittered (0.1 std, kept within the column's
// range and decimals, missing cells kept). Each model is scored in a child process per runtime
// (MLOPS_ONNX_RUNTIME=node, then web): the CSV is read once (timed apart: not scoring), the model
// warmed up on its first 65,536 rows (one batch of predict), then model.predict(table, allRows) is
// timed 3 times; the best run gives rows/s.
// Peak RSS is the child's, table included. The peer, in the same run: scikit-learn's own
// predict_proba on the same rows (a float32 numpy array) for an equivalent
// GradientBoostingClassifier(n_estimators=40, max_depth=3) refitted on the fixture's data.csv
// (python3 with scikit-learn; skipped with a note when absent; PYTHON=... picks the interpreter).
// Delete bench/data/score/ to regenerate the data and retrain the model.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BUNDLE = resolve('dist/bundle/index.js');
const TARGETS = { node: 1_000_000, web: 300_000 };
const TIMED_RUNS = 3;
const WARMUP_ROWS = 65_536;
const SAMPLE = 5000; // predicted values each child hands back, to compare the runtimes

/** In a child process: read the CSV, load the model, time predict on every row. Prints one JSON line. */
async function child(modelDir, csv) {
  const bundle = await import(pathToFileURL(BUNDLE).href);
  if (typeof bundle.benchmarkHooks !== 'function') throw new Error('dist/bundle/index.js has no benchmarkHooks(): rebuild (npm run build)');
  const { loadModel, readTable } = await bundle.benchmarkHooks();
  let started = performance.now();
  const table = await readTable([csv], { format: 'auto' });
  const readSeconds = (performance.now() - started) / 1000;
  const readPeakKb = process.resourceUsage().maxRSS;
  started = performance.now();
  const logs = [];
  const { model } = await loadModel(modelDir, (line) => logs.push(line));
  const loadSeconds = (performance.now() - started) / 1000;
  const rows = Array.from({ length: table.rows }, (_, i) => i);
  // Warm-up: one batch of predict (it scores 65,536 rows per ONNX Runtime run).
  let out = await model.predict(table, rows.slice(0, WARMUP_ROWS));
  const seconds = [];
  for (let i = 0; i < TIMED_RUNS; i++) {
    started = performance.now();
    out = await model.predict(table, rows);
    seconds.push((performance.now() - started) / 1000);
  }
  let nan = 0;
  for (const v of out) if (Number.isNaN(v)) nan++;
  const result = {
    runtime: model.runtime,
    rows: table.rows,
    columns: table.columns.length,
    width: out.length / table.rows,
    features: model.signature.features.length,
    task: model.signature.target.task,
    readSeconds,
    readPeakMb: readPeakKb / 1024,
    loadSeconds,
    seconds,
    peakMb: process.resourceUsage().maxRSS / 1024,
    nan,
    sample: Array.from(out.subarray(0, SAMPLE)),
    logs,
  };
  model.dispose();
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
  process.exit(0);
}

function generator(seed) {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 2 ** 32;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

async function writeLines(file, header, rows, makeLine) {
  const out = createWriteStream(file);
  out.write(`${header.join(',')}\n`);
  for (let done = 0; done < rows;) {
    const lines = [];
    for (let r = 0; r < 5000 && done < rows; r++, done++) lines.push(makeLine(done));
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

/**
 * A fixture's rows, resampled and jittered, as a CSV of its feature columns (the target left out),
 * and when `binary` is given the same values as float32 row-major (for the peer).
 */
async function generateFromFixture(fixtureCsv, file, rows, seed, binary) {
  const lines = readFileSync(fixtureCsv, 'utf8').trim().split('\n');
  const header = lines[0].split(',').slice(0, -1); // the last column is the target
  const data = lines.slice(1).map((l) => l.split(',').slice(0, header.length));
  const stats = header.map((_, j) => {
    const cells = data.map((r) => r[j]).filter((c) => c !== '');
    const values = cells.map(Number);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    const decimals = Math.max(...cells.map((c) => (c.includes('.') ? c.length - c.indexOf('.') - 1 : 0)));
    return { min: Math.min(...values), max: Math.max(...values), std, decimals };
  });
  const { uniform, normal } = generator(seed);
  const floats = binary ? new Float32Array(rows * header.length) : null;
  await writeLines(file, header, rows, (r) => {
    const base = data[Math.floor(uniform() * data.length)];
    return base
      .map((cell, j) => {
        if (cell === '') {
          if (floats) floats[r * header.length + j] = NaN;
          return '';
        }
        const { min, max, std, decimals } = stats[j];
        const text = Math.min(max, Math.max(min, Number(cell) + 0.1 * std * normal())).toFixed(decimals);
        if (floats) floats[r * header.length + j] = Number(text);
        return text;
      })
      .join(',');
  });
  if (binary) await new Promise((r, j) => createWriteStream(binary).end(Buffer.from(floats.buffer), (e) => (e ? j(e) : r())));
}

/** The standard synthetic shape: 20 numeric + 5 categorical columns (1% missing), and a binary y when `target`. */
async function generateSynthetic(file, rows, seed, target) {
  const { uniform, normal } = generator(seed);
  const header = [...Array.from({ length: 20 }, (_, i) => `x${i}`), ...Array.from({ length: 5 }, (_, i) => `c${i}`)];
  const levels = [3, 5, 12, 40, 200].map((n, j) => Array.from({ length: n }, (_, i) => `level_${j}_${i}`));
  const effect = [0.8, -0.5, 0.3];
  await writeLines(file, target ? [...header, 'y'] : header, rows, () => {
    const f = [];
    let score = 0;
    for (let i = 0; i < 20; i++) {
      const z = normal();
      if (i < 6) score += (i % 2 ? -0.6 : 0.7) * z;
      if (uniform() < 0.01) f.push('');
      else
        f.push(
          i % 3 === 0 ? (z * 10 ** (i % 4)).toPrecision(6) : i % 3 === 1 ? (50 + 10 * z).toFixed(2) : String(Math.round(100 + 15 * z)),
        );
    }
    for (let j = 0; j < 5; j++) {
      const n = levels[j].length;
      const k = Math.min(n - 1, Math.floor(n * uniform() ** 2));
      if (j === 0) score += effect[k];
      f.push(uniform() < 0.01 ? '' : levels[j][k]);
    }
    if (target) f.push(score + 0.5 * normal() > 0.2 ? 1 : 0);
    return f.join(',');
  });
}

/** Runs this script as a child on one model and runtime; resolves with its result (or { error }). */
function score(modelDir, csv, runtime) {
  return new Promise((done) => {
    const env = { ...process.env, MLOPS_ONNX_RUNTIME: runtime };
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', modelDir, csv], { env });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) return done(JSON.parse(last));
      const why = `${stderr}\n${stdout}`.trim().split('\n').filter(Boolean);
      done({ error: `exit ${code}: ${why.slice(-3).join(' / ').slice(0, 400)}` });
    });
  });
}

const PEER = `
import json, sys, time
import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingClassifier
fixture, binary, features = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = np.loadtxt(fixture, delimiter=',', skiprows=1, dtype=np.float64)
X, y = data[:, :-1].astype(np.float32), data[:, -1].astype(int)
model = GradientBoostingClassifier(n_estimators=40, max_depth=3, random_state=0).fit(X, y)
rows = np.fromfile(binary, dtype=np.float32).reshape(-1, features)
model.predict_proba(rows)
seconds = []
for _ in range(${TIMED_RUNS}):
    t = time.perf_counter()
    model.predict_proba(rows)
    seconds.append(time.perf_counter() - t)
print(json.dumps({'version': sklearn.__version__, 'numpy': np.__version__, 'rows': int(rows.shape[0]), 'seconds': seconds}))
`;

/** scikit-learn's predict_proba on the GBDT rows, or { note } saying why not. */
function peer(fixtureCsv, binary, features) {
  const python = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const probe = spawnSync(python, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { note: `peer skipped: ${python} with scikit-learn and numpy not found` };
  const run = spawnSync(python, ['-c', PEER, fixtureCsv, binary, String(features)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  if (run.status !== 0) return { note: `peer failed: ${(run.stderr || run.stdout).trim().split('\n').pop()}` };
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

async function main() {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  if (!existsSync(BUNDLE) || !existsSync('dist/cli/index.js')) throw new Error('build first: npm run build');
  const bundle = await import(pathToFileURL(BUNDLE).href);
  if (typeof bundle.benchmarkHooks !== 'function') throw new Error('dist/bundle/index.js has no benchmarkHooks(): rebuild (npm run build)');
  const dir = 'bench/data/score';
  mkdirSync(dir, { recursive: true });
  const benchStarted = performance.now();
  const notes = [];

  const models = [
    { name: 'torch-mlp', kind: 'MLP (PyTorch)', fixture: 'test/fixtures/onnx/torch-mlp' },
    { name: 'sklearn-gbdt', kind: 'GBDT 40 trees (scikit-learn)', fixture: 'test/fixtures/onnx/sklearn-gbdt', peer: true },
    { name: 'xgboost-regressor', kind: 'GBDT 50 trees (XGBoost)', fixture: 'test/fixtures/onnx/xgboost-regressor' },
  ];
  for (const m of models) {
    m.dir = m.fixture;
    m.csv = join(dir, `${m.name}-${rows}.csv`);
    m.binary = m.peer ? join(dir, `${m.name}-${rows}.f32`) : null;
    if (!existsSync(m.csv) || (m.binary && !existsSync(m.binary))) {
      console.log(`generating ${m.csv}...`);
      await generateFromFixture(join(m.fixture, 'data.csv'), m.csv, rows, 11 + models.indexOf(m), m.binary);
    }
  }

  // An MLP trained by our own train (model.onnx with the preprocessing inside).
  const trainCsv = join(dir, 'train-50000.csv');
  const trainOut = join(dir, 'train-out');
  const trained = {
    name: 'train (ours)',
    kind: 'MLP, 20 numeric + 5 categorical',
    dir: join(trainOut, 'model'),
    csv: join(dir, `synthetic-${rows}.csv`),
  };
  try {
    if (!existsSync(join(trained.dir, 'model.onnx'))) {
      if (!existsSync(trainCsv)) await generateSynthetic(trainCsv, 50_000, 3, true);
      console.log(`training ${trained.dir} (3 epochs on ${trainCsv})...`);
      rmSync(trainOut, { recursive: true, force: true });
      execFileSync(
        process.execPath,
        ['dist/cli/index.js', 'train', '--data', trainCsv, '--target', 'y', '--epochs', '3', '--cache', 'false', '--output-dir', trainOut],
        { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
      );
    }
    if (!existsSync(trained.csv)) {
      console.log(`generating ${trained.csv}...`);
      await generateSynthetic(trained.csv, rows, 4, false);
    }
    models.push(trained);
  } catch (error) {
    const text = `${error.stderr ?? ''}\n${error.stdout ?? ''}\n${error.message}`.trim().split('\n').filter(Boolean);
    notes.push(`train (ours) skipped: train failed: ${text.slice(-2).join(' / ').slice(0, 300)}`);
  }

  // A gbdt trained by our own train on the same rows: 100 trees (max_iter 100, early stopping off), text native.
  const gbdtOut = join(dir, 'train-gbdt-out');
  const trainedGbdt = {
    name: 'train gbdt (ours)',
    kind: 'GBDT 100 trees of 31 leaves, 20 numeric + 5 categorical',
    dir: join(gbdtOut, 'model'),
    csv: trained.csv,
  };
  try {
    if (!existsSync(join(trainedGbdt.dir, 'model.onnx'))) {
      if (!existsSync(trainCsv)) await generateSynthetic(trainCsv, 50_000, 3, true);
      console.log(`training ${trainedGbdt.dir} (gbdt, 100 iterations on ${trainCsv})...`);
      rmSync(gbdtOut, { recursive: true, force: true });
      mkdirSync(gbdtOut, { recursive: true });
      const params = join(dir, 'train-gbdt-params.json');
      writeFileSync(params, JSON.stringify({ algorithm: 'gbdt', max_iter: 100, n_iter_no_change: 0 }));
      execFileSync(
        process.execPath,
        [
          'dist/cli/index.js',
          'train',
          '--data',
          trainCsv,
          '--target',
          'y',
          '--params',
          params,
          '--cache',
          'false',
          '--output-dir',
          gbdtOut,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
      );
    }
    if (!existsSync(trainedGbdt.csv)) {
      console.log(`generating ${trainedGbdt.csv}...`);
      await generateSynthetic(trainedGbdt.csv, rows, 4, false);
    }
    models.push(trainedGbdt);
  } catch (error) {
    const text = `${error.stderr ?? ''}\n${error.stdout ?? ''}\n${error.message}`.trim().split('\n').filter(Boolean);
    notes.push(`train gbdt (ours) skipped: train failed: ${text.slice(-2).join(' / ').slice(0, 300)}`);
  }

  const loadBefore = loadavg()[0];
  const results = [];
  for (const m of models) {
    for (const runtime of ['node', 'web']) {
      process.stdout.write(`scoring ${m.name} on ${runtime}... `);
      const r = await score(m.dir, m.csv, runtime);
      console.log(r.error ? 'failed' : `${(r.rows / Math.min(...r.seconds)).toFixed(0)} rows/s`);
      if (!r.error && r.runtime !== runtime) r.error = `asked for ${runtime}, ran on ${r.runtime}`;
      results.push({ model: m, runtime, ...r });
    }
  }
  const gbdt = models.find((m) => m.peer);
  let peerResult = { note: 'peer skipped' };
  if (gbdt) {
    console.log('peer: scikit-learn predict_proba...');
    peerResult = peer(join(gbdt.fixture, 'data.csv'), gbdt.binary, 8);
    if (peerResult.note) notes.push(peerResult.note);
  }
  const peerRate = peerResult.seconds ? peerResult.rows / Math.min(...peerResult.seconds) : null;

  // The runtimes should agree: largest |node - web| over the first predictions.
  const agreement = new Map();
  for (const m of models) {
    const [a, b] = ['node', 'web'].map((rt) => results.find((r) => r.model === m && r.runtime === rt));
    if (a?.sample && b?.sample) agreement.set(m, Math.max(...a.sample.map((v, i) => Math.abs(v - b.sample[i]))));
  }

  const n = (v) => Math.round(v).toLocaleString('en-US');
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  console.log(
    `\nscore: model.predict(table, all ${n(rows)} rows), best of ${TIMED_RUNS} after a warm-up batch, one child process per model and runtime; node ${process.version}, ${availableParallelism()} cores (${cpu}), 1-minute load average ${loadBefore.toFixed(1)} before scoring, ${loadavg()[0].toFixed(1)} after (other work on the machine skews the figures)`,
  );
  console.log(
    '| model | runtime | rows/s | target | of target | best / worst s | read CSV s | load s | peak RSS MB (after read) | peer rows/s | ours / peer |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const label = `${r.model.name}: ${r.model.kind}`;
    if (r.error) {
      console.log(`| ${label} | ${r.runtime} | failed | ${n(TARGETS[r.runtime])} | | | | | | | |`);
      notes.push(`${r.model.name} on ${r.runtime}: ${r.error}`);
      continue;
    }
    const rate = r.rows / Math.min(...r.seconds);
    const ratio = rate / TARGETS[r.runtime];
    const peerCols = r.model.peer && peerRate ? `${n(peerRate)} | ${(rate / peerRate).toFixed(2)}x` : ' | ';
    console.log(
      `| ${label} | ${r.runtime} | ${n(rate)} | ${n(TARGETS[r.runtime])} | ${ratio.toFixed(2)}x ${ratio >= 1 ? 'ok' : 'short'} | ${Math.min(...r.seconds).toFixed(3)} / ${Math.max(...r.seconds).toFixed(3)} | ${r.readSeconds.toFixed(2)} | ${r.loadSeconds.toFixed(2)} | ${r.peakMb.toFixed(0)} (${r.readPeakMb.toFixed(0)}) | ${peerCols} |`,
    );
    if (r.nan > 0) notes.push(`${r.model.name} on ${r.runtime}: ${r.nan} NaN predictions`);
  }
  if (peerRate)
    console.log(
      `\npeer: scikit-learn ${peerResult.version} (numpy ${peerResult.numpy}) GradientBoostingClassifier(n_estimators=40, max_depth=3) refitted on the fixture's data.csv, predict_proba on the same ${n(peerResult.rows)} x 8 rows as float32, best of ${TIMED_RUNS} after a warm-up: ${n(peerRate)} rows/s (${Math.min(...peerResult.seconds).toFixed(3)} s)`,
    );
  if (agreement.size > 0)
    console.log(
      `node vs web, largest |difference| over the first ${SAMPLE} rows' predictions: ${[...agreement].map(([m, d]) => `${m.name} ${d.toExponential(1)}`).join(', ')}`,
    );
  for (const note of notes) console.log(`note: ${note}`);
  console.log(
    `\ntargets: >= ${n(TARGETS.node)} rows/s on onnxruntime-node and >= ${n(TARGETS.web)} rows/s on onnxruntime-web, for an MLP and a tree ensemble (figures, not a test); the whole benchmark took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`,
  );
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();
