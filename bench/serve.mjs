// Benchmark (not a test): single-record predictions against `mlops serve` on loopback,
// with autocannon. The example model (penguins MLP) registered twice in a fresh registry:
//   1. a fixed rate of 500 requests/s: p50/p99 latency (target: p99 under 10 ms);
//   2. as fast as it goes: requests/s;
//   3. 500 requests/s while POST /admin/reload swaps the model twice: failed requests (target: 0).
//   npm run build && node bench/serve.mjs        (SERVE_BENCH_CLI=path/to/index.js for another build)
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';

const cli = resolve(process.env.SERVE_BENCH_CLI ?? 'dist/cli/index.js');
const mainCli = resolve('dist/cli/index.js');
if (!existsSync(cli)) throw new Error('build first: npm run build');
const DURATION = Number(process.env.SERVE_BENCH_SECONDS ?? 10);
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

const token = randomBytes(24).toString('hex');
const server = spawn(process.execPath, [cli, 'serve', '--config', 'mlops.yaml', '--port', '0', '--poll', '0'], {
  cwd: dir,
  env: { ...process.env, MLOPS_ADMIN_TOKEN: token },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolveUrl, reject) => {
  let out = '';
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(out);
    if (match) resolveUrl(match[1]);
  });
  server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
});

const body = JSON.stringify({
  instances: [{ island: 'Biscoe', bill_length_mm: 45.2, bill_depth_mm: 14.8, flipper_length_mm: 212, body_mass_g: 5200, sex: 'female' }],
});
const request = { method: 'POST', path: '/v1/models/penguins:predict', headers: { 'content-type': 'application/json' }, body };
const cannon = (options) => autocannon({ url, connections: 10, duration: DURATION, requests: [request], ...options });
const row = (name, r) => ({
  name,
  requests: r.requests.total,
  rps: Math.round(r.requests.average),
  p50: r.latency.p50,
  p99: r.latency.p99,
  max: r.latency.max,
  failed: r.non2xx + r.errors + r.timeouts,
});

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
/** The server's own view (from the first byte of a request to its answer), in ms with decimals. */
const serverSide = async () => {
  const stats = Object.values((await admin('/admin/status')).stats);
  await admin('/admin/reset-stats', {});
  return stats.length === 1 ? `${stats[0].latency_ms.p50} / ${stats[0].latency_ms.p99}` : '';
};

await cannon({ duration: 2 }); // warm-up
await serverSide();
const results = [];
results.push({ ...row('500 requests/s', await cannon({ overallRate: 500 })), server: await serverSide() });
results.push({ ...row('max throughput', await cannon({})), server: await serverSide() });

const reload = async (ref) => (await admin('/admin/reload', { ref })).stable.version;
const swaps = [];
const swapping = cannon({ overallRate: 500 });
setTimeout(async () => swaps.push(await reload('2')), (DURATION * 1000) / 3);
setTimeout(async () => swaps.push(await reload('1')), (DURATION * 2000) / 3);
results.push({ ...row('500 requests/s, 2 model swaps', await swapping), server: '' });

server.kill('SIGTERM');
console.log(`\nserve: single-record TF Serving predict, penguins MLP, ${DURATION} s per run, 10 connections, node ${process.version}`);
console.log('| run | requests | requests/s | p50 ms | p99 ms | max ms | server-side p50 / p99 ms | failed |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of results)
  console.log(`| ${r.name} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.server} | ${r.failed} |`);
console.log(`\nswaps during the third run: stable became v${swaps.join(', then v')}`);
console.log('targets: p99 under 10 ms at 500 requests/s; no failed request during a swap (client and server share the 2 cores)');
