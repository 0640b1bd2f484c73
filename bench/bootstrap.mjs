// Benchmark (not a test): bootstrap confidence intervals of evaluate (src/core/evaluate/bootstrap.ts),
// 1,000 resamples of 100,000 test rows, against the target of 2 s per evaluation.
//   npm run bench:bootstrap                  (no build needed: the module is transpiled here)
//   BENCH_ROWS=20000 BENCH_RESAMPLES=500 node bench/bootstrap.mjs
//   PY_RESAMPLES=20 node bench/bootstrap.mjs   (resamples of the Python side; 0 skips it)
// Data (seeded, generated in memory): a binary classifier with float32 scores (and a baseline with
// noisier ones), a 5-class classifier with scores (and a baseline), a regressor (and a baseline).
// For each, the candidate alone and candidate + paired baseline are timed: the first (cold) run, as
// evaluate runs it, with its CPU time, and the best of 3. A reference loop (10^8 additions) is timed
// first: on a shared machine every figure scales with how busy it is, and that loop shows by how much.
// The peer, in the same run: the naive bootstrap in Python, each resample written out with numpy
// (rows drawn with replacement) and every metric computed by scikit-learn; it runs PY_RESAMPLES
// resamples (default 20) of the candidate and is scaled to 1,000 (printed as such). python3 with
// numpy and scikit-learn; skipped with a note when absent (PYTHON=... picks the interpreter).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const RESAMPLES = Number(process.env.BENCH_RESAMPLES ?? 1000);
const PY_RESAMPLES = Number(process.env.PY_RESAMPLES ?? 20);
const TARGET_MS = 2000;
const SEED = 7;

/**
 * The module, its threaded form and the project files they import (the entry too: it starts the
 * helper threads' loop), transpiled one by one (types dropped) into bench/data/ (so packages resolve).
 * A small script there registers itself as the helper threads' script, as the bundle does.
 */
async function loadBootstrap() {
  mkdirSync('bench/data', { recursive: true });
  const out = mkdtempSync(resolve('bench/data/bootstrap-build-'));
  const pending = [resolve('src/core/evaluate/bootstrap-threads.ts'), resolve('src/entry.ts')];
  const done = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: file,
    });
    const target = join(out, relative(resolve('src'), file).replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    for (const [, spec] of outputText.matchAll(/(?:from |import\()'(\.{1,2}\/[^']+)\.js'/g))
      pending.push(resolve(dirname(file), `${spec}.ts`));
  }
  const entry = join(out, 'bench-entry.js');
  writeFileSync(
    entry,
    "import { startBundle } from './entry.js';\nstartBundle(import.meta.url);\nexport * from './core/evaluate/bootstrap-threads.js';\n",
  );
  const module = await import(pathToFileURL(entry).href);
  return { module, cleanup: () => rmSync(out, { recursive: true, force: true }) };
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

/** A classifier's scored rows: true classes, and softmax scores of a signal of strength `skill`, as float32 (as models give them). */
function classification(k, yTrue, skill, seed) {
  const { normal } = generator(seed);
  const scores = [];
  const yPred = [];
  for (const t of yTrue) {
    const z = Array.from({ length: k }, (_, c) => normal() + (c === t ? skill : 0));
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => Math.fround(v / sum));
    scores.push(p);
    yPred.push(p.indexOf(Math.max(...p)));
  }
  const classes = Array.from({ length: k }, (_, c) => `class_${c}`);
  return { task: 'classification', classes, rows: yTrue.map((_, i) => i), yTrue, yPred, scores };
}

function datasets() {
  const { uniform, normal } = generator(SEED);
  const binaryTruth = Array.from({ length: ROWS }, () => (uniform() < 0.3 ? 1 : 0));
  const multiTruth = Array.from({ length: ROWS }, () => Math.floor(uniform() * 5));
  const x = Array.from({ length: ROWS }, () => normal());
  const yReg = x.map((v) => 50 + 10 * v + 3 * normal());
  const regression = (noise, seed) => {
    const g = generator(seed);
    return { task: 'regression', rows: yReg.map((_, i) => i), yTrue: yReg, yPred: x.map((v) => 50 + 10 * v + noise * g.normal()) };
  };
  return [
    { name: 'binary, scores', candidate: classification(2, binaryTruth, 1.6, 11), baseline: classification(2, binaryTruth, 1.4, 12) },
    { name: '5 classes, scores', candidate: classification(5, multiTruth, 1.8, 13), baseline: classification(5, multiTruth, 1.6, 14) },
    { name: 'regression', candidate: regression(1, 15), baseline: regression(1.5, 16) },
  ];
}

/** Wall time, and the CPU time of this process (its helper threads included). */
async function time(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, value };
}

const PYTHON_SCRIPT = String.raw`
import json, sys, time
import numpy as np
from sklearn import metrics as m
data = json.load(open(sys.argv[1]))
resamples = int(sys.argv[2])
rng = np.random.default_rng(7)
out = {}
for case in data:
    c = case['candidate']
    y = np.asarray(c['yTrue']); p = np.asarray(c['yPred'])
    s = np.asarray(c['scores']) if c['task'] == 'classification' else None
    n = len(y)
    start = time.perf_counter()
    for _ in range(resamples):
        i = rng.integers(0, n, n)
        yt, yp = y[i], p[i]
        if c['task'] == 'classification':
            k = len(c['classes']); labels = list(range(k))
            m.accuracy_score(yt, yp); m.balanced_accuracy_score(yt, yp)
            for avg in ('macro', 'weighted'):
                m.precision_score(yt, yp, average=avg, zero_division=0)
                m.recall_score(yt, yp, average=avg, zero_division=0)
                m.f1_score(yt, yp, average=avg, zero_division=0)
            si = s[i]
            if k == 2:
                m.precision_score(yt, yp, zero_division=0); m.recall_score(yt, yp, zero_division=0); m.f1_score(yt, yp, zero_division=0)
                m.roc_auc_score(yt, si[:, 1])
            else:
                m.roc_auc_score(yt, si / si.sum(axis=1, keepdims=True), multi_class='ovr', labels=labels)
            m.log_loss(yt, si / si.sum(axis=1, keepdims=True), labels=labels)
        else:
            m.mean_absolute_error(yt, yp); mse = m.mean_squared_error(yt, yp); np.sqrt(mse)
            m.r2_score(yt, yp); m.mean_absolute_percentage_error(yt, yp)
    out[case['name']] = (time.perf_counter() - start) * 1000
print(json.dumps(out))
`;

function pythonPeer(cases) {
  if (PY_RESAMPLES <= 0) return { note: 'Python side skipped (PY_RESAMPLES=0).' };
  const python = [process.env.PYTHON, 'python3', '/usr/bin/python3'].find(
    (p) => p && spawnSync(p, ['-c', 'import numpy, sklearn'], { stdio: 'ignore' }).status === 0,
  );
  if (!python) return { note: 'Python side skipped: no python3 with numpy and scikit-learn (set PYTHON=...).' };
  const dir = mkdtempSync(join(tmpdir(), 'bench-bootstrap-py-'));
  try {
    const input = join(dir, 'data.json');
    writeFileSync(input, JSON.stringify(cases.map((c) => ({ name: c.name, candidate: c.candidate }))));
    const script = join(dir, 'bootstrap.py');
    writeFileSync(script, PYTHON_SCRIPT);
    const run = spawnSync(python, [script, input, String(PY_RESAMPLES)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) return { note: `Python side failed: ${run.stderr.trim().split('\n').pop()}` };
    const version = spawnSync(python, ['-c', 'import sklearn, numpy; print(sklearn.__version__, numpy.__version__)'], { encoding: 'utf8' });
    const [sk, np] = version.stdout.trim().split(' ');
    return { ms: JSON.parse(run.stdout), note: `scikit-learn ${sk}, numpy ${np}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** How fast this machine is right now: 10^8 additions over a Float64Array (about 0.2 s on an idle 2 GHz core). */
function referenceLoop() {
  const values = new Float64Array(100_000).fill(1);
  let sum = 0;
  const start = performance.now();
  for (let r = 0; r < 1000; r++) for (let i = 0; i < values.length; i++) sum += values[i];
  return { ms: performance.now() - start, sum };
}
const { module, cleanup } = await loadBootstrap();
try {
  const { bootstrapOnThreads } = module;
  const cases = datasets();
  const cores = availableParallelism();
  console.log(
    `Bootstrap: ${RESAMPLES.toLocaleString('en-US')} resamples of ${ROWS.toLocaleString('en-US')} rows (Node ${process.version}, ${cores} cores); target ${seconds(TARGET_MS)}.`,
  );
  console.log(
    `Machine: reference loop (10^8 float additions) ${seconds(referenceLoop().ms)}; about 0.2 s on an idle 2 GHz core, longer when the machine is busy.`,
  );
  console.log('Each case on one thread, then on one thread per core as evaluate runs it (the same intervals: checked here).');
  const ours = {};
  for (const c of cases) {
    for (const paired of [false, true]) {
      const runOn = (threads) => () =>
        bootstrapOnThreads(c.candidate, paired ? c.baseline : null, { resamples: RESAMPLES, seed: SEED }, threads ? { threads } : {});
      const single = await time(runOn(1));
      const first = await time(runOn(undefined));
      const again = [await time(runOn(undefined)), await time(runOn(undefined))];
      if (JSON.stringify(first.value.result) !== JSON.stringify(single.value.result))
        throw new Error(`${c.name}: threads changed the intervals`);
      const best = Math.min(first.ms, ...again.map((t) => t.ms));
      if (!paired) ours[c.name] = single.ms;
      const verdict = first.ms <= TARGET_MS ? 'within' : 'OVER';
      const shown = Object.entries(first.value.result.metrics)
        .filter(([name]) => ['accuracy', 'roc_auc', 'r2'].includes(name))
        .map(([name, i]) => `${name} ${i.estimate.toFixed(4)} [${i.lower.toFixed(4)}, ${i.upper.toFixed(4)}]`)
        .join(', ');
      const { threads, helperBatches, batches } = first.value;
      console.log(
        `  ${c.name.padEnd(18)} ${paired ? 'candidate + paired baseline' : 'candidate alone            '}  one thread ${seconds(single.ms)}; ` +
          `${threads} threads first ${seconds(first.ms)} (cpu ${seconds(first.cpuMs)}, helpers drew ${helperBatches} of ${batches} batches), ` +
          `best of 3 ${seconds(best)}  (${verdict} the target)  ${shown}`,
      );
    }
  }
  const peer = pythonPeer(cases);
  if (!peer.ms) console.log(peer.note);
  else {
    console.log(`Naive Python bootstrap (${peer.note}): ${PY_RESAMPLES} resamples timed, scaled to ${RESAMPLES.toLocaleString('en-US')}:`);
    for (const c of cases) {
      const scaled = (peer.ms[c.name] * RESAMPLES) / PY_RESAMPLES;
      console.log(
        `  ${c.name.padEnd(18)} ${seconds(scaled)} (candidate alone); ours on one thread is ${(scaled / ours[c.name]).toFixed(0)}x faster`,
      );
    }
  }
} finally {
  cleanup();
}
