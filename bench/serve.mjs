// Benchmark (not a test): single-record predictions against `mlops serve` on loopback, with
// autocannon (10 connections), once per ONNX Runtime: MLOPS_ONNX_RUNTIME=node (onnxruntime-node,
// native), then web (onnxruntime-web, WebAssembly), set in the server process. The example model
// (penguins MLP, trained by train and exported to ONNX) registered twice in a fresh registry.
// Per runtime:
//   1. a fixed rate of 500 requests/s: p50/p99 latency (target: p99 at most 5 ms on node, 10 ms on web);
//   2. as fast as it goes: requests/s;
//   3. 500 requests/s while POST /admin/reload swaps the model twice: failed requests (target: 0);
//   4. maximal requests back to back (the most records the defaults take: 10,000 rows, or as many
//      as fit in the 1 MB body limit) while a health check is polled every 10 ms and single records
//      come at 200 requests/s: the health check's slowest answer (target: under 50 ms) and p99 of the
//      single records (target: under 20 ms);
//   5. online monitoring's cost: the server's CPU time per request flat out (which bounds its
//      throughput) with monitoring on (the default) against a second server started with
//      --no-monitor, nine alternated runs each (target: at most 10% more with it on).
//   npm run build && npm run bench:serve
// Environment: SERVE_BENCH_CLI=path/to/index.js (another build of the CLI), SERVE_BENCH_SECONDS
// (per run, default 10), SERVE_BENCH_RUNTIMES=node,web (the runtimes, in order).
// Latencies: autocannon's (whole milliseconds, client side, corrected for coordinated omission at a
// fixed rate) and the server's own (from the first byte of a request to its answer, GET /admin/status).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';

const cli = resolve(process.env.SERVE_BENCH_CLI ?? 'dist/cli/index.js');
const mainCli = resolve('dist/cli/index.js');
if (!existsSync(cli) || !existsSync(mainCli)) throw new Error('build first: npm run build');
const DURATION = Number(process.env.SERVE_BENCH_SECONDS ?? 10);
const RUNTIMES = (process.env.SERVE_BENCH_RUNTIMES ?? 'node,web').split(',').map((r) => r.trim());
const RATE = 500;
const CONNECTIONS = 10;
/** p99 at RATE requests/s, in ms, by runtime. */
const P99_TARGET_MS = { node: 5, web: 10 };

const dir = resolve('bench/data/serve-project');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
cpSync('examples/penguins', dir, { recursive: true, filter: (src) => !src.includes('.mlops') });
const quiet = { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] };
execFileSync(process.execPath, [mainCli, 'train', '--config', 'mlops.yaml', '--epochs', '40'], quiet);
execFileSync(
  process.execPath,
  [mainCli, 'register', '--config', 'mlops.yaml', '--allow-unblessed', 'true', '--alias', 'production'],
  quiet,
);
execFileSync(process.execPath, [mainCli, 'train', '--config', 'mlops.yaml', '--epochs', '10', '--seed', '7'], quiet);
execFileSync(process.execPath, [mainCli, 'register', '--config', 'mlops.yaml', '--allow-unblessed', 'true'], quiet);

const body = JSON.stringify({
  instances: [{ island: 'Biscoe', bill_length_mm: 45.2, bill_depth_mm: 14.8, flipper_length_mm: 212, body_mass_g: 5200, sex: 'female' }],
});
const request = { method: 'POST', path: '/v1/models/penguins:predict', headers: { 'content-type': 'application/json' }, body };

/** Starts the server on the runtime; resolves with its URL, the backend its start-up line names, and the process. */
async function startServer(runtime, token, extra = []) {
  const server = spawn(process.execPath, [cli, 'serve', '--config', 'mlops.yaml', '--port', '0', '--poll', '0', ...extra], {
    cwd: dir,
    env: { ...process.env, MLOPS_ADMIN_TOKEN: token, MLOPS_ONNX_RUNTIME: runtime },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stderr.on('data', (chunk) => (output += chunk));
  const started = await new Promise((resolveStart, reject) => {
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /\(sha256:[0-9a-f]+, ([^)]+)\).*listening on (http:\/\/\S+)/.exec(output);
      if (match) resolveStart({ backend: match[1], url: match[2] });
    });
    server.on('exit', (code) => reject(new Error(`serve (MLOPS_ONNX_RUNTIME=${runtime}) exited with ${code}:\n${output.trim()}`)));
  });
  return { ...started, server };
}

async function bench(runtime) {
  const token = randomBytes(24).toString('hex');
  const { url, backend, server } = await startServer(runtime, token);
  try {
    const cannon = (options) => autocannon({ url, connections: CONNECTIONS, duration: DURATION, requests: [request], ...options });
    const admin = async (path, payload) => {
      const response = await fetch(`${url}${path}`, {
        method: payload === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      const status = await response.json();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(status)}`);
      return status;
    };
    /** The server's own p50 / p99 since the last call, in ms with decimals. */
    const serverSide = async () => {
      const stats = Object.values((await admin('/admin/status')).stats);
      await admin('/admin/reset-stats', {});
      return stats.length === 1 ? stats[0].latency_ms : null;
    };
    const row = (name, r, server) => ({
      runtime: backend,
      name,
      requests: r.requests.total,
      rps: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
      server: server ? `${server.p50} / ${server.p99}` : '',
      failed: r.non2xx + r.errors + r.timeouts,
    });

    await cannon({ duration: 2 }); // warm-up
    await serverSide();
    const results = [];
    const fixed = row(`${RATE} requests/s`, await cannon({ overallRate: RATE }), await serverSide());
    const target = P99_TARGET_MS[runtime];
    fixed.target = target === undefined ? '' : `p99 ≤ ${target} ms: ${fixed.p99 <= target ? 'met' : 'MISSED'}`;
    results.push(fixed);
    results.push({ ...row('max throughput', await cannon({}), await serverSide()), target: '' });

    const swaps = [];
    const reload = (ref) =>
      admin('/admin/reload', { ref }).then(
        (status) => swaps.push(`v${status.stable.version}`),
        (error) => swaps.push(`no swap (${error.message})`),
      );
    const swapping = cannon({ overallRate: RATE });
    const timers = [setTimeout(() => reload('2'), (DURATION * 1000) / 3), setTimeout(() => reload('1'), (DURATION * 2000) / 3)];
    const swapped = row(`${RATE} requests/s, 2 model swaps`, await swapping, null);
    timers.forEach(clearTimeout);
    const ok = swapped.failed === 0 && swaps.length === 2 && swaps.every((s) => s.startsWith('v'));
    swapped.target = `0 failed: ${ok ? 'met' : 'MISSED'}`;
    swapped.name += ` (stable became ${swaps.join(', then ') || '?'})`;
    results.push(swapped);
    results.push(await duringMaximal(url, cannon, backend));
    results.push(await monitoringCost(runtime, backend));
    return results;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r()));
  }
}

/** The largest prediction request the defaults take: full records, up to 10,000 or 1 MB. */
function maximalBody() {
  const record = JSON.parse(body).instances[0];
  const limit = 1024 * 1024;
  const one = JSON.stringify(record).length + 1;
  const rows = Math.min(10_000, Math.floor((limit - 20) / one));
  const text = JSON.stringify({ instances: Array.from({ length: rows }, () => record) });
  if (Buffer.byteLength(text) > limit) throw new Error('the maximal body is over 1 MB');
  return { text, rows };
}

/** Run 4: maximal requests back to back, a health check every 10 ms, single records at 200/s. */
async function duringMaximal(url, cannon, backend) {
  const maximal = maximalBody();
  const until = Date.now() + DURATION * 1000;
  let batches = 0;
  const big = (async () => {
    while (Date.now() < until) {
      const response = await fetch(`${url}/v1/models/penguins:predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: maximal.text,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`maximal request: ${response.status}`);
      batches++;
    }
  })();
  const health = (async () => {
    const latencies = [];
    while (Date.now() < until) {
      const start = performance.now();
      const response = await fetch(`${url}/v2/health/ready`);
      await response.arrayBuffer();
      latencies.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 10));
    }
    return latencies;
  })();
  const singles = await cannon({ overallRate: 200 });
  const [latencies] = await Promise.all([health, big]);
  const slowest = Math.max(...latencies);
  const r = {
    runtime: backend,
    name: `${batches} maximal requests (${maximal.rows} rows, ${(Buffer.byteLength(maximal.text) / 1024).toFixed(0)} KB) + singles at 200/s; health: ${latencies.length} checks, slowest ${slowest.toFixed(1)} ms`,
    requests: singles.requests.total,
    rps: Math.round(singles.requests.average),
    p50: singles.latency.p50,
    p99: singles.latency.p99,
    max: singles.latency.max,
    server: '',
    failed: singles.non2xx + singles.errors + singles.timeouts,
  };
  r.target = `health < 50 ms: ${slowest < 50 ? 'met' : 'MISSED'}; singles p99 < 20 ms: ${r.p99 < 20 ? 'met' : 'MISSED'}`;
  return r;
}

/** CPU seconds a process has used (user + system), from /proc on Linux; null elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Run 5: what online monitoring costs. Requests/s on two cores shared with the client swing by
 * ±25% from run to run, so the figure is the server's CPU time per request (from /proc), on two
 * fresh servers, monitoring on (the default) and off (--no-monitor), 20,000 requests flat out
 * per run, nine runs each, alternated; the median of each side. Flat-out throughput is bound by
 * that CPU time, so the ratio is the throughput cost.
 */
async function monitoringCost(runtime, backend) {
  // Two fresh servers with the same history: one monitoring (the default), one not.
  const monitored = await startServer(runtime, randomBytes(24).toString('hex'));
  const off = await startServer(runtime, randomBytes(24).toString('hex'), ['--no-monitor']);
  try {
    const on = { url: monitored.url, pid: monitored.server.pid };
    const without = { url: off.url, pid: off.server.pid };
    const run = async (side) => {
      const before = cpuSeconds(side.pid);
      const r = await autocannon({ url: side.url, connections: CONNECTIONS, amount: 20_000, requests: [request] });
      const after = cpuSeconds(side.pid);
      return { cpu: before === null || after === null ? null : ((after - before) / r.requests.total) * 1e6, rps: r.requests.average };
    };
    await run(on); // warm-up
    await run(without);
    const a = [];
    const b = [];
    for (let i = 0; i < 9; i++) {
      if (i % 2) {
        a.push(await run(on));
        b.push(await run(without));
      } else {
        b.push(await run(without));
        a.push(await run(on));
      }
    }
    const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const byCpu = a.every((r) => r.cpu !== null) && b.every((r) => r.cpu !== null);
    const cost = byCpu
      ? median(a.map((r) => r.cpu)) / median(b.map((r) => r.cpu)) - 1
      : 1 - median(a.map((r) => r.rps)) / median(b.map((r) => r.rps));
    const what = byCpu
      ? `CPU per request, medians of 9 alternated runs: ${median(a.map((r) => r.cpu)).toFixed(0)} / ${median(b.map((r) => r.cpu)).toFixed(0)} µs`
      : `requests/s, medians of 9 alternated runs: ${Math.round(median(a.map((r) => r.rps)))} / ${Math.round(median(b.map((r) => r.rps)))}`;
    return {
      runtime: backend,
      name: `monitoring on / off, ${what}`,
      requests: '',
      rps: Math.round(median(a.map((r) => r.rps))),
      p50: '',
      p99: '',
      max: '',
      server: '',
      failed: '',
      target: `cost ${(cost * 100).toFixed(1)}% ≤ 10%: ${cost <= 0.1 ? 'met' : 'MISSED'}`,
    };
  } finally {
    for (const { server } of [monitored, off]) {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r()));
    }
  }
}

const results = [];
const unavailable = [];
for (const runtime of RUNTIMES) {
  try {
    results.push(...(await bench(runtime)));
  } catch (error) {
    unavailable.push(`${runtime}: ${error.message.split('\n').slice(0, 3).join(' ')}`);
  }
}

console.log(
  `\nserve: single-record TF Serving predict, penguins MLP (ONNX), ${DURATION} s per run, ${CONNECTIONS} connections, node ${process.version}`,
);
console.log('| runtime | run | requests | requests/s | p50 ms | p99 ms | max ms | server-side p50 / p99 ms | failed | target |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of results)
  console.log(
    `| ${r.runtime} | ${r.name} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.server} | ${r.failed} | ${r.target} |`,
  );
for (const line of unavailable) console.log(`\nnot measured: ${line}`);
console.log(
  `\ntargets: p99 at ${RATE} requests/s at most ${P99_TARGET_MS.node} ms on onnxruntime-node and ${P99_TARGET_MS.web} ms on onnxruntime-web; no failed request during a swap (client and server share the machine's cores)`,
);
