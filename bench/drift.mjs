// Benchmark (not a test): drift-check through the built action bundle, as the runner runs it.
//   node scripts/build.mjs drift-check cli && node bench/drift.mjs
//   BENCH_ROWS=200000 node bench/drift.mjs      (a quicker look)
//   node bench/drift.mjs --skip-accuracy --repeat 3   (only the timings, each run 3 times)
// Options: --repeat N (each timed run N times, interleaved; the best wall time is reported with the
// spread and the CPU seconds of the best run; default 2), --skip-accuracy (no sketch-accuracy
// runs), --dist DIR (the built bundle to run, default dist).
// Reference and current CSVs of BENCH_ROWS rows x 20 numeric + 5 categorical columns are
// generated once (seeded) under bench/data/drift/, with snappy Parquet copies of the same rows
// (written by DuckDB); the current data has 6 numeric columns
// shifted (0.05 to 0.5 std) and 1 categorical column re-weighted. Prints wall time and peak
// RSS of the exact check from CSV and from Parquet (all default tests), of the check of two stored profiles,
// and how far the sketch statistics (KS, normalized Wasserstein, PSI) are from the exact ones.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: { repeat: { type: 'string' }, 'skip-accuracy': { type: 'boolean' }, dist: { type: 'string' } },
});
const repeat = Number(opts.repeat ?? 2);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat: "${opts.repeat}" is not a whole number >= 1`);
const dist = resolve(opts.dist ?? 'dist');
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const dir = resolve('bench/data/drift');
mkdirSync(dir, { recursive: true });
const refCsv = join(dir, `reference-${rows}.csv`);
const curCsv = join(dir, `current-${rows}.csv`);
const refParquet = join(dir, `reference-${rows}.parquet`);
const curParquet = join(dir, `current-${rows}.parquet`);
const SHIFTS = [0, 0, 0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.15];

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

async function generate(file, seed, drifted) {
  const { uniform, normal } = generator(seed);
  const out = createWriteStream(file);
  const header = [...Array.from({ length: 20 }, (_, i) => `x${i}`), ...Array.from({ length: 5 }, (_, i) => `c${i}`)];
  out.write(`${header.join(',')}\n`);
  const levels = [3, 5, 12, 40, 200].map((n, j) => Array.from({ length: n }, (_, i) => `level_${j}_${i}`));
  for (let done = 0; done < rows;) {
    const lines = [];
    for (let r = 0; r < 5000 && done < rows; r++, done++) {
      const f = [];
      for (let i = 0; i < 20; i++) {
        if (uniform() < 0.01) f.push('');
        else {
          const z = normal() + (drifted ? SHIFTS[i] : 0);
          // Mixed scales and precisions, as real features have.
          f.push(
            i % 3 === 0 ? (z * 10 ** (i % 4)).toPrecision(8) : i % 3 === 1 ? (50 + 10 * z).toFixed(2) : String(Math.round(100 + 15 * z)),
          );
        }
      }
      for (let j = 0; j < 5; j++) {
        const n = levels[j].length;
        // Zipf-like weights; c1 is re-weighted in the current data.
        let k = Math.min(n - 1, Math.floor(n * uniform() ** (drifted && j === 1 ? 1.6 : 2)));
        if (uniform() < 0.01) f.push('');
        else f.push(levels[j][k]);
      }
      lines.push(f.join(','));
    }
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

/** Runs the action bundle with inputs; returns wall seconds, CPU seconds (user + system) and peak RSS (MB). */
function runAction(inputs, cwd) {
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env, GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'output.txt') };
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
    writeFileSync(env.GITHUB_STEP_SUMMARY, '');
    writeFileSync(env.GITHUB_OUTPUT, '');
    const bundle = join(dist, 'drift-check/index.js');
    const useTime = existsSync('/usr/bin/time');
    const started = performance.now();
    const child = useTime
      ? spawn('/usr/bin/time', ['-f', 'PEAK_KB=%M USER=%U SYS=%S', process.execPath, bundle], { env, cwd })
      : spawn(process.execPath, [bundle], { env, cwd });
    let peakKb = 0;
    const poll = useTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peakKb = Math.max(peakKb, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 20);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      const m = /PEAK_KB=(\d+) USER=([\d.]+) SYS=([\d.]+)/.exec(stderr);
      if (m) peakKb = Number(m[1]);
      if (code !== 0) return reject(new Error(`drift-check exited ${code}:\n${stdout}\n${stderr}`));
      resolvePromise({ seconds, cpu: m ? Number(m[2]) + Number(m[3]) : NaN, peakMb: peakKb / 1024 });
    });
  });
}

if (!existsSync(join(dist, 'drift-check/index.js')) || !existsSync(join(dist, 'cli/index.js')))
  throw new Error('build first: node scripts/build.mjs drift-check cli');
for (const [file, seed, drifted] of [
  [refCsv, 1, false],
  [curCsv, 2, true],
]) {
  if (!existsSync(file)) {
    console.log(`generating ${file}...`);
    await generate(file, seed, drifted);
  }
}
// The same rows as snappy Parquet (DuckDB, row order kept), for the check from Parquet.
for (const [csv, parquet] of [
  [refCsv, refParquet],
  [curCsv, curParquet],
]) {
  if (existsSync(parquet)) continue;
  console.log(`writing ${parquet}...`);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await db.connect();
  const partial = `${parquet}.partial`;
  rmSync(partial, { force: true });
  await connection.run('SET preserve_insertion_order = true');
  await connection.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${partial}' (FORMAT parquet, COMPRESSION snappy)`);
  connection.closeSync();
  renameSync(partial, parquet);
}
// Stored profiles of both sides, as validate-data writes them (once).
const profiles = {};
for (const [name, file] of [
  ['reference', refCsv],
  ['current', curCsv],
]) {
  const out = join(dir, `profile-${name}-${rows}`);
  if (!existsSync(join(out, 'profile.json'))) {
    console.log(`profiling ${file}...`);
    execFileSync(
      process.execPath,
      [join(dist, 'cli/index.js'), 'validate-data', '--data', file, '--output-dir', out, '--fail-on', 'never'],
      {
        stdio: 'ignore',
      },
    );
  }
  profiles[name] = join(out, 'profile.json');
}

const mb = (f) => (statSync(f).size / 1e6).toFixed(0);
const exactDir = join(dir, 'out-exact');
const parquetDir = join(dir, 'out-exact-parquet');
const profileDir = join(dir, 'out-profiles');
const timed = [
  ['default tests, from CSV (exact)', { reference: refCsv, current: curCsv, 'output-dir': exactDir, issue: 'false' }],
  ['default tests, from Parquet (exact)', { reference: refParquet, current: curParquet, 'output-dir': parquetDir, issue: 'false' }],
  [
    'default tests, two stored profiles',
    { reference: profiles.reference, current: profiles.current, 'output-dir': profileDir, issue: 'false' },
  ],
];
// Interleaved, so load from other work on the machine hits every case alike.
const runs = timed.map(() => []);
for (let i = 0; i < repeat; i++) {
  for (const [k, [label, inputs]] of timed.entries()) {
    const r = await runAction(inputs, dir);
    console.log(`  ${label} (${i + 1}/${repeat}): ${r.seconds.toFixed(2)} s, ${r.cpu.toFixed(2)} CPU s, ${r.peakMb.toFixed(0)} MB`);
    runs[k].push(r);
  }
}
const results = timed.map(([label], k) => {
  const best = runs[k].reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return [
    label,
    { ...best, spread: Math.max(...runs[k].map((r) => r.seconds)) - best.seconds, peakMb: Math.max(...runs[k].map((r) => r.peakMb)) },
  ];
});

// Sketch accuracy: the same tests on exact data and on profiles, per numeric column.
const accuracy = [];
for (const method of opts['skip-accuracy'] ? [] : ['ks', 'wasserstein', 'psi']) {
  const config = join(dir, `mlops-${method}.yaml`);
  writeFileSync(config, `version: 1\ndrift:\n  method: ${method}\n`);
  const exact = join(dir, `acc-${method}-exact`);
  const sketch = join(dir, `acc-${method}-profiles`);
  const mixed = join(dir, `acc-${method}-mixed`);
  await runAction({ config, reference: refCsv, current: curCsv, 'output-dir': exact, issue: 'false' }, dir);
  await runAction({ config, reference: profiles.reference, current: profiles.current, 'output-dir': sketch, issue: 'false' }, dir);
  await runAction({ config, reference: profiles.reference, current: curCsv, 'output-dir': mixed, issue: 'false' }, dir);
  const stats = (d) => {
    const report = JSON.parse(readFileSync(join(d, 'drift.json'), 'utf8'));
    return new Map(report.features.filter((c) => c.kind === 'numeric' && c.method === method).map((c) => [c.column, c.statistic]));
  };
  const e = stats(exact);
  const worst = (m) => Math.max(...[...m].map(([k, v]) => Math.abs(v - e.get(k))));
  accuracy.push({ method, profiles: worst(stats(sketch)), mixed: worst(stats(mixed)), columns: e.size });
}

console.log(
  `\ndrift-check: reference ${rows.toLocaleString('en-US')} rows (CSV ${mb(refCsv)} MB, Parquet ${mb(refParquet)} MB), current ${rows.toLocaleString('en-US')} rows (CSV ${mb(curCsv)} MB, Parquet ${mb(curParquet)} MB), 20 numeric + 5 categorical columns; node ${process.version}, ${availableParallelism()} cores; best of ${repeat} (spread = slowest - best; CPU = user + system seconds of the best run)`,
);
console.log('| run | wall s | spread s | CPU s | peak RSS MB |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [label, r] of results)
  console.log(`| ${label} | ${r.seconds.toFixed(2)} | ${r.spread.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.peakMb.toFixed(0)} |`);
const report = JSON.parse(readFileSync(join(exactDir, 'drift.json'), 'utf8'));
console.log(
  `\nexact run: ${report.driftedColumns.length} of ${report.comparedFeatures} columns drifted: ${report.driftedColumns.join(', ')}`,
);
const fromParquet = JSON.parse(readFileSync(join(parquetDir, 'drift.json'), 'utf8'));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
console.log(
  `from Parquet: ${fromParquet.driftedColumns.length} of ${fromParquet.comparedFeatures} columns drifted${same(fromParquet.driftedColumns, report.driftedColumns) ? ' (the same columns as from CSV)' : `: ${fromParquet.driftedColumns.join(', ')} (NOT the same as from CSV)`}`,
);
if (accuracy.length) {
  console.log('\nsketch error (largest |sketch - exact| over the numeric columns):');
  console.log('| statistic | two profiles | profile vs data |');
  console.log('| --- | ---: | ---: |');
  for (const a of accuracy) console.log(`| ${a.method} (${a.columns} columns) | ${a.profiles.toFixed(4)} | ${a.mixed.toFixed(4)} |`);
}
const parquetRun = results[1][1];
console.log(
  `\ntargets: exact from CSV < 20 s and < 500 MB; exact from Parquet < 10 s (${parquetRun.seconds.toFixed(2)} s: ${parquetRun.seconds < 10 ? 'met' : 'MISSED'}); two profiles < 1 s; KS from sketches within 0.01 of exact`,
);
