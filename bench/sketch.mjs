// Benchmark (not a test): the quantile sketch behind every column profile (KLL, with the k the
// profiles use), through the built bundle: time per value added, and rank error against the exact
// quantiles, at the sizes validate-data sketches. A column of the short-number benchmark (5.7 M
// rows) puts 2.85 M values into each of two reader threads' sketches, and 5.7 M into one thread's.
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
const { KllSketch, KLL_K } = await bundle.benchmarkHooks();
if (typeof KllSketch !== 'function') throw new Error(`${bundlePath}: benchmarkHooks() gives no KllSketch: rebuild (npm run build)`);

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
{
  const warm = KINDS.uniform(1_000_000);
  const sketch = new KllSketch(KLL_K);
  for (let i = 0; i < warm.length; i++) sketch.update(warm[i]);
}

const bound = KllSketch.normalizedRankError(KLL_K);
const rows = [];
for (const n of sizes) {
  for (const [kind, make] of Object.entries(KINDS)) {
    const data = make(n);
    const sorted = Float64Array.from(data).sort();
    const times = [];
    let largest = 0;
    let rms = 0;
    let retained = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const sketch = new KllSketch(KLL_K, seed * 7919);
      const started = process.hrtime.bigint();
      for (let i = 0; i < n; i++) sketch.update(data[i]);
      times.push(Number(process.hrtime.bigint() - started) / n);
      const errors = rankErrors(sketch, sorted);
      largest = Math.max(largest, errors.largest);
      rms += errors.rms / seeds;
      retained = Math.max(retained, sketch.retained);
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
    const row = { n, kind, ns: median(times), numpy, largest, rms, retained };
    rows.push(row);
    process.stderr.write(
      `  ${n.toLocaleString('en-US')} ${kind}: ${row.ns.toFixed(1)} ns/value${numpy === null ? '' : ` (NumPy exact ${numpy.toFixed(1)})`}, rank error ${pct(largest)} largest, ${pct(rms)} rms\n`,
    );
  }
}

console.log(
  `\nquantile sketch of the column profiles: KLL, k = ${KLL_K} (documented bound ${pct(bound)} at 99% confidence); ${seeds} sketches (coin-flip seeds) per row; ` +
    `time per value is the median over them; NumPy: ${python ? 'np.quantile of the 999 q on the column in memory, best of 3' : 'not found'}; node ${process.version}`,
);
console.log('| values | data | sketch ns/value | NumPy exact ns/value | largest rank error | rms rank error | items kept |');
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.n.toLocaleString('en-US')} | ${r.kind} | ${r.ns.toFixed(1)} | ${r.numpy === null ? '' : r.numpy.toFixed(1)} | ${pct(r.largest)} | ${pct(r.rms)} | ${r.retained} |`,
  );
}
const worst = Math.max(...rows.map((r) => r.largest));
console.log(
  `\nlargest rank error of all ${rows.length * seeds} sketches: ${pct(worst)} (bound ${pct(bound)}): ${worst <= bound ? 'within' : 'OVER'}`,
);
