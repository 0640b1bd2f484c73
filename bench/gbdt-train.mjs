// Benchmark (not a test): training time and peak memory of the gbdt kind against scikit-learn's
// HistGradientBoostingClassifier, in the same run, on the same CSV file.
//   node bench/gbdt-train.mjs              (build first: npm run build)
//   node bench/gbdt-train.mjs --cli FILE   another build of the CLI than dist/cli/index.js (say, one compiled
//                                          from the sources with tsc, to time a change before building dist)
// Data: 100,000 rows x 20 numeric columns (5% missing in five of them) + 5 text columns (8 to 40 categories),
// a binary target depending on both; written once to bench/data/gbdt-train-100k.csv (seeded).
// Both sides run 100 boosting iterations with early stopping off and otherwise default parameters; ours counts
// histograms on two threads on two cores or more (as train runs by default), and once more on one
// (MLOPS_GBDT_THREADS=1, its fit time alone; the trees are the same), scikit-learn's on every core (OpenMP) and on
// one. Ours fits on 80% of the rows (train's default validation_split holds out 20%, scored each iteration);
// scikit-learn's fit on 80% too (the same share).
// Figures: wall time of the whole command and of the fit alone, CPU time (user + system, every thread) of the
// whole command and of scikit-learn's fit, the load average before and after (on a shared machine the wall times
// follow the load: compare CPU times there), and the peak resident memory of each process (GNU time's maximum
// RSS), against the CSV's size and above a bare `node -e 0` (Node's own floor).
// Targets: fit time <= 3x scikit-learn's; peak memory <= 3x the CSV.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const dir = 'bench/data';
mkdirSync(dir, { recursive: true });
const csv = join(dir, 'gbdt-train-100k.csv');
const ROWS = 100_000;
const NUMERIC = 20;
const CATEGORIES = [8, 12, 20, 30, 40];
const ITERATIONS = 100;

if (!existsSync(csv)) {
  let seed = 11;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const weights = Array.from({ length: NUMERIC }, () => rand() * 2 - 1);
  const effects = CATEGORIES.map((k) => Array.from({ length: k }, () => rand() * 2 - 1));
  const header = [...Array.from({ length: NUMERIC }, (_, i) => `x${i}`), ...CATEGORIES.map((_, i) => `c${i}`), 'y'];
  const lines = [header.join(',')];
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: NUMERIC }, () => rand() * 4 - 2);
    const c = CATEGORIES.map((k) => Math.floor(rand() * k));
    let score = x.reduce((s, v, i) => s + (i % 3 === 0 ? Math.sin(v * 2) : v * weights[i]), 0) + x[1] * x[2];
    score += c.reduce((s, v, i) => s + effects[i][v], 0) + (rand() - 0.5) * 2;
    const cells = x.map((v, i) => (i < 5 && rand() < 0.05 ? '' : v.toFixed(5)));
    lines.push([...cells, ...c.map((v, i) => `c${i}_${v}`), score > 0 ? 1 : 0].join(','));
  }
  writeFileSync(csv, lines.join('\n') + '\n');
}
const cliAt = process.argv.indexOf('--cli');
const CLI = cliAt > 0 ? process.argv[cliAt + 1] : 'dist/cli/index.js';
if (!CLI || !existsSync(CLI)) throw new Error(cliAt > 0 ? `no CLI at ${CLI ?? '(--cli needs a file)'}` : 'build first: npm run build');
if (!existsSync('/usr/bin/time')) throw new Error('this benchmark reads peak memory from GNU time (/usr/bin/time): apt-get install time');
const csvBytes = statSync(csv).size;

/** Runs argv under GNU time: stdout, wall seconds, CPU seconds (user + system) and peak RSS in bytes. */
function timed(argv, env = process.env) {
  const run = spawnSync('/usr/bin/time', ['-f', 'mlops-bench %e %U %S %M', ...argv], {
    encoding: 'utf8',
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${run.status}):\n${run.stderr.split('\n').slice(-30).join('\n')}`);
  const line = run.stderr.split('\n').find((l) => l.startsWith('mlops-bench '));
  const [, wall, user, system, kb] = line.split(' ');
  return { stdout: run.stdout, stderr: run.stderr, wall: Number(wall), cpu: Number(user) + Number(system), peak: Number(kb) * 1024 };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loadBefore = load();
// Node's own floor: a bare process, measured the same way.
const bare = timed([process.execPath, '-e', '0']);

// Ours: the CLI's train command (reads the CSV, profiles it, fits, exports ONNX, scores the validation rows).
const out = join(dir, 'gbdt-train-run');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const params = join(out, 'params.json');
writeFileSync(params, JSON.stringify({ algorithm: 'gbdt', max_iter: ITERATIONS, n_iter_no_change: 0 }));
/** Ours: the CLI's train command into out/<name>, with env; its run and its model card. */
function trainOurs(name, env = process.env) {
  const where = join(out, name);
  const run = timed(
    [process.execPath, CLI, 'train', '--data', csv, '--target', 'y', '--params', params, '--cache', 'false', '--output-dir', where],
    env,
  );
  return { run, card: JSON.parse(readFileSync(join(where, 'model', 'model-card.json'), 'utf8')) };
}
const { run: ours, card } = trainOurs('ours');
const oursFit = (card.epochs?.trainingMs ?? NaN) / 1000;
const oursThreads = /Histograms on (\d+) threads/.exec(ours.stdout + ours.stderr)?.[1] ?? '1';
// Ours on one thread: the fit time alone (the same trees).
const oursOneFit = trainOurs('ours-1', { ...process.env, MLOPS_GBDT_THREADS: '1' }).card.epochs.trainingMs / 1000;
const oursAccuracy = card.metrics?.validation?.accuracy ?? card.metrics?.accuracy ?? null;

// scikit-learn: read with the csv module into float arrays (text ordinal-encoded, declared categorical), then fit.
const SKLEARN = `
import csv, json, sys, time, os
import numpy as np, sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
started = time.perf_counter()
with open(sys.argv[1], newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
n, width = len(rows), len(header) - 1
x = np.empty((n, width))
text = [j for j, name in enumerate(header[:-1]) if name.startswith("c")]
codes = {j: {} for j in text}
for i, r in enumerate(rows):
    for j in range(width):
        v = r[j]
        if j in codes:
            x[i, j] = codes[j].setdefault(v, len(codes[j]))
        else:
            x[i, j] = float(v) if v != "" else np.nan
y = np.array([int(r[-1]) for r in rows])
del rows
cut = int(n * 0.8)
read = time.perf_counter() - started
mask = [j in codes for j in range(width)]
model = HistGradientBoostingClassifier(max_iter=int(sys.argv[2]), early_stopping=False, categorical_features=mask, random_state=0)
fit_started, fit_cpu_started = time.perf_counter(), time.process_time()
model.fit(x[:cut], y[:cut])
fit, fit_cpu = time.perf_counter() - fit_started, time.process_time() - fit_cpu_started
accuracy = float((model.predict(x[cut:]) == y[cut:]).mean())
print(json.dumps({"sklearn": sklearn.__version__, "read": read, "fit": fit, "fit_cpu": fit_cpu, "iterations": int(model.n_iter_), "accuracy": accuracy, "threads": os.cpu_count()}))
`;
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0);
let sk = null;
let sk1 = null;
if (python) {
  const run = timed([python, '-c', SKLEARN, csv, String(ITERATIONS)]);
  sk = { ...JSON.parse(run.stdout.trim().split('\n').pop()), wall: run.wall, cpu: run.cpu, peak: run.peak };
  // One thread too: OpenMP's threads wait for each other, which costs much on a machine busy with other work.
  const one = timed([python, '-c', SKLEARN, csv, String(ITERATIONS)], { ...process.env, OMP_NUM_THREADS: '1' });
  sk1 = { ...JSON.parse(one.stdout.trim().split('\n').pop()), wall: one.wall, cpu: one.cpu, peak: one.peak };
}
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}x` : 'n/a');
const nodeVersion = execFileSync(process.execPath, ['--version'], { encoding: 'utf8' }).trim();
console.log(
  `\n## gbdt training: ${ROWS.toLocaleString('en')} rows x ${NUMERIC} numeric + ${CATEGORIES.length} text columns, ${ITERATIONS} iterations\n`,
);
console.log(
  `Command: node bench/gbdt-train.mjs; CSV ${mb(csvBytes)} (${csv}); Node ${nodeVersion}; ${python ? `scikit-learn ${sk.sklearn} (${sk.threads} cores)` : 'scikit-learn not installed'}\n`,
);
const v = (side, f) => (side ? f(side) : 'n/a');
console.log(
  `| | ours (gbdt, CLI train, ${oursThreads} thread${oursThreads === '1' ? '' : 's'}) | sklearn HGB, all cores | ours / sklearn | sklearn HGB, 1 thread | ours / sklearn 1 thread |`,
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const row = (name, mine, theirs, format) =>
  console.log(
    `| ${name} | ${format(mine)} | ${v(sk, (s) => format(theirs(s)))} | ${v(sk, (s) => ratio(mine, theirs(s)))} | ` +
      `${v(sk1, (s) => format(theirs(s)))} | ${v(sk1, (s) => ratio(mine, theirs(s)))} |`,
  );
row(
  'fit s',
  oursFit,
  (s) => s.fit,
  (x) => x.toFixed(2),
);
row(
  'fit s, ours on 1 thread',
  oursOneFit,
  (s) => s.fit,
  (x) => x.toFixed(2),
);
row(
  'whole command s',
  ours.wall,
  (s) => s.wall,
  (x) => x.toFixed(2),
);
row(
  'whole command CPU s (user + system)',
  ours.cpu,
  (s) => s.cpu,
  (x) => x.toFixed(2),
);
console.log(`| fit CPU s | n/a | ${v(sk, (s) => s.fit_cpu.toFixed(2))} | | ${v(sk1, (s) => s.fit_cpu.toFixed(2))} | |`);
row('peak RSS', ours.peak, (s) => s.peak, mb);
console.log(
  `| peak RSS above a bare \`node -e 0\` (${mb(bare.peak)}) | ${mb(ours.peak - bare.peak)} (${ratio(ours.peak - bare.peak, csvBytes)} the CSV) | | | | |`,
);
console.log(
  `| peak RSS / CSV size | ${ratio(ours.peak, csvBytes)} | ${v(sk, (s) => ratio(s.peak, csvBytes))} | | ${v(sk1, (s) => ratio(s.peak, csvBytes))} | |`,
);
console.log(`| iterations | ${card.epochs?.run ?? 'n/a'} | ${v(sk, (s) => s.iterations)} | | ${v(sk1, (s) => s.iterations)} | |`);
console.log(
  `| accuracy on the held-out 20% | ${oursAccuracy === null ? 'n/a' : oursAccuracy.toFixed(4)} | ${v(sk, (s) => s.accuracy.toFixed(4))} | | ` +
    `${v(sk1, (s) => s.accuracy.toFixed(4))} | |`,
);
console.log(
  `\nLoad average before: ${loadBefore}; at the end: ${load()} (${sk ? sk.threads : '?'} cores): on a busy machine the wall times are noisy ` +
    "(and OpenMP's threads wait for each other), so compare the CPU times.",
);
console.log(
  `\nTargets: fit time <= 3x scikit-learn's (${sk ? ratio(oursFit, sk.fit) : 'n/a'}), peak memory <= 3x the CSV (${ratio(ours.peak, csvBytes)}).`,
);
console.log(
  "Ours is one process doing all of train (read, profile, fit, export, validation metrics); its peak includes Node's own (~50 MB).",
);
