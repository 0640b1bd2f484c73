// Benchmark (not a test): the quantile sketch behind every column profile (KLL, with the k the
// profiles use), through the built bundle: time per value added, and rank error against the exact
// quantiles, at the sizes validate-data sketches. A column of the short-number benchmark (5.7 M
// rows) puts 2.85 M values into each of two reader threads' sketches, and 5.7 M into one thread's.
// Two ways of adding the same values, side by side: one at a time (`update`: DataSketches' policy
// throughout), and as column profiles add them (`BatchedSketch`: from 65,536 values on, level 0
// takes up to 2,048 values at once and sorts them together).
//   npm run build && node bench/sketch.mjs
//   node bench/sketch.mjs --sizes 100000,1000000 --seeds 4      (a quicker look)
// Options: --sizes N,N,... (values per sketch; default 1000000,2850000,5700000), --seeds N (sketches
// per size and kind of data, each with its own coin-flip seed; default 12), --dist DIR (the built
// bundle, default dist).
// Rank error of one sketch: over the 999 quantiles q = 0.001 .. 0.999, the distance from q to the
// exact rank range of the value the sketch returns for q; the largest, and the root mean square.
// The table gives the largest over all seeds and the mean root mean square, beside the bound the
// profiles document (99% confidence).
// Peer, in the same run: NumPy's exact quantiles (np.quantile of the same 999 q, on the whole
// column held in memory) on the same values, when a Python with NumPy is found (BENCH_PYTHON,
// python3, /usr/bin/python3).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({ options: { sizes: { type: 'string' }, seeds: { type: 'string' }, dist: { type: 'string' } } });
const sizes = (opts.sizes ?? '1000000,2850000,5700000').split(',').map((text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1000) throw new Error(`--sizes: "${text}" is not a whole number >= 1000`);
  return n;
});
const seeds = Number(opts.seeds ?? 12);
if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds: "${opts.seeds}" is not a whole number >= 1`);
const bundlePath = resolve(opts.dist ?? 'dist', 'bundle/index.js');
const bundle = await import(pathToFileURL(bundlePath).href);
if (typeof bundle.benchmarkHooks !== 'function') throw new Error(`${bundlePath} has no benchmarkHooks(): rebuild (npm run build)`);
const { KllSketch, BatchedSketch, KLL_K } = await bundle.benchmarkHooks();
if (typeof KllSketch !== 'function' || typeof BatchedSketch !== 'function') {
  throw new Error(`${bundlePath}: benchmarkHooks() gives no KllSketch and BatchedSketch: rebuild (npm run build)`);
}

/** The two ways, each building a sketch of data[0, n) with a coin-flip seed. */
const WAYS = {
  'one at a time': (data, seed) => {
    const sketch = new KllSketch(KLL_K, seed);
    for (let i = 0; i < data.length; i++) sketch.update(data[i]);
    return sketch;
  },
  'as profiles add them': (data, seed) => {
    const batched = new BatchedSketch(seed);
    for (let i = 0; i < data.length; i++) batched.add(data[i]);
    return batched.flush();
  },
};

/** Seeded xorshift32 uniforms in (0, 1). */
function uniforms(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 2 ** 32;
  };
}

const KINDS = {
  'normal, 4 decimals': (n) => {
    const u = uniforms(1);
    return Float64Array.from({ length: n }, () => Math.round(Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()) * 1e4) / 1e4);
  },
  uniform: (n) => {
    const u = uniforms(2);
    return Float64Array.from({ length: n }, () => u() * 1000 - 500);
  },
  'ascending (an id column)': (n) => Float64Array.from({ length: n }, (_, i) => i),
  'epoch milliseconds over 10 minutes, in no order': (n) => {
    const u = uniforms(4);
    return Float64Array.from({ length: n }, () => 1.7e12 + Math.floor(u() * 6e5));
  },
  'five values': (n) => {
    const u = uniforms(3);
    return Float64Array.from({ length: n }, () => Math.floor(u() * 5));
  },
};

const QUANTILES = Array.from({ length: 999 }, (_, i) => (i + 1) / 1000);

/** Largest and root mean square rank error of `sketch` against the sorted data. */
function rankErrors(sketch, sorted) {
  const n = sorted.length;
  const countBelow = (x, inclusive) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < x || (inclusive && sorted[mid] === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let largest = 0;
  let squares = 0;
  for (const q of QUANTILES) {
    const v = sketch.quantile(q);
    const error = Math.max(0, countBelow(v, false) / n - q, q - countBelow(v, true) / n);
    largest = Math.max(largest, error);
    squares += error * error;
  }
  return { largest, rms: Math.sqrt(squares / QUANTILES.length) };
}

let python = null;
for (const candidate of [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3']) {
  if (!candidate) continue;
  try {
    execFileSync(candidate, ['-c', 'import numpy'], { stdio: 'ignore' });
    python = candidate;
    break;
  } catch {
    /* not this one */
  }
}
const NUMPY = `
import sys, time, numpy as np
x = np.fromfile(sys.argv[1], dtype='<f8')
qs = np.arange(1, 1000) / 1000
best = None
for _ in range(3):
    t = time.perf_counter(); np.quantile(x, qs); t = time.perf_counter() - t
    best = t if best is None or t < best else best
print(best)
`;
const dir = resolve('bench/data/sketch');

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const pct = (x) => `${(100 * x).toFixed(3)}%`;

// Warm up: the first sketch of a run would otherwise time the compiler too.
for (const build of Object.values(WAYS)) build(KINDS.uniform(1_000_000), 1);

const bound = KllSketch.normalizedRankError(KLL_K);
const rows = [];
for (const n of sizes) {
  for (const [kind, make] of Object.entries(KINDS)) {
    const data = make(n);
    const sorted = Float64Array.from(data).sort();
    const ways = {};
    for (const [way, build] of Object.entries(WAYS)) {
      const times = [];
      let largest = 0;
      let rms = 0;
      let retained = 0;
      for (let seed = 1; seed <= seeds; seed++) {
        const started = process.hrtime.bigint();
        const sketch = build(data, seed * 7919);
        times.push(Number(process.hrtime.bigint() - started) / n);
        const errors = rankErrors(sketch, sorted);
        largest = Math.max(largest, errors.largest);
        rms += errors.rms / seeds;
        retained = Math.max(retained, sketch.retained);
      }
      ways[way] = { ns: median(times), largest, rms, retained };
    }
    let numpy = null;
    if (python) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `values-${process.pid}.f64`);
      writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      try {
        numpy = (Number(execFileSync(python, ['-c', NUMPY, file]).toString().trim()) * 1e9) / n;
      } finally {
        rmSync(file, { force: true });
      }
    }
    const row = { n, kind, ways, numpy };
    rows.push(row);
    for (const [way, r] of Object.entries(ways)) {
      process.stderr.write(
        `  ${n.toLocaleString('en-US')} ${kind}, ${way}: ${r.ns.toFixed(1)} ns/value, rank error ${pct(r.largest)} largest, ${pct(r.rms)} rms\n`,
      );
    }
    if (numpy !== null) process.stderr.write(`  ${n.toLocaleString('en-US')} ${kind}, NumPy exact: ${numpy.toFixed(1)} ns/value\n`);
  }
}

console.log(
  `\nquantile sketch of the column profiles: KLL, k = ${KLL_K} (documented bound ${pct(bound)} at 99% confidence); ${seeds} sketches (coin-flip seeds) per row and way; ` +
    `time per value is the median over them; NumPy: ${python ? 'np.quantile of the 999 q on the column in memory, best of 3' : 'not found'}; node ${process.version}`,
);
const [one, profiles] = Object.keys(WAYS);
console.log(
  `| values | data | ns/value ${one} | ns/value ${profiles} | NumPy exact ns/value | largest rank error ${one} | largest ${profiles} | rms ${one} | rms ${profiles} | items kept ${one} / ${profiles} |`,
);
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const a = r.ways[one];
  const b = r.ways[profiles];
  console.log(
    `| ${r.n.toLocaleString('en-US')} | ${r.kind} | ${a.ns.toFixed(1)} | ${b.ns.toFixed(1)} | ${r.numpy === null ? '' : r.numpy.toFixed(1)} | ${pct(a.largest)} | ${pct(b.largest)} | ${pct(a.rms)} | ${pct(b.rms)} | ${a.retained} / ${b.retained} |`,
  );
}
for (const way of Object.keys(WAYS)) {
  const worst = Math.max(...rows.map((r) => r.ways[way].largest));
  const meanRms = rows.reduce((sum, r) => sum + r.ways[way].rms, 0) / rows.length;
  console.log(
    `${way}: largest rank error of all ${rows.length * seeds} sketches ${pct(worst)} (bound ${pct(bound)}: ${worst <= bound ? 'within' : 'OVER'}), mean rms ${pct(meanRms)}`,
  );
}
