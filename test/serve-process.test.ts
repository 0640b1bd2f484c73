/**
 * `mlops serve` and `mlops predict` proven through the CLI bundle: a real server
 * process on loopback with models trained and registered by the train and register
 * bundles on the example project. Both REST protocols, malformed and hostile
 * requests, alias following with swaps under concurrent load, canary and admin API,
 * signed reloads, metrics, the prediction log through rotation, graceful shutdown;
 * and batch predictions that evaluate scores exactly as it scores the model itself.
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { FolderStore } from '../src/adapters/registry/folder-store.js';
import { ModelRegistry } from '../src/core/registry/registry.js';
import { BUNDLES, ROOT, cleanEnv, copyTrainedExample, makeTempDir, removeTempDirs, runAction, EXAMPLE } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';

/** The CLI bundle under test (SERVE_TEST_CLI may point at another build of it). */
const CLI = process.env.SERVE_TEST_CLI ?? BUNDLES.cli;
const TOKEN = 'test-admin-token-0123456789';
const FEATURES = ['island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex'];
const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];

jest.setTimeout(120_000);
afterAll(removeTempDirs);

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

function run(args: string[], cwd: string): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

interface Server {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, and the exit code. */
  stop: () => Promise<number | null>;
}

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

/** Starts `mlops serve` and waits for its "listening on http://host:port" line. */
async function startServer(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      output += c.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening:\n${output}`)));
  });
  const server: Server = {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
  servers.push(server);
  return server;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are checked field by field below
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text, version: response.headers.get('x-model-version'), headers: response.headers };
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null,
    headers: response.headers,
  };
}

/** Test rows of the example as typed JSON records (numbers as numbers, missing cells left out). */
function testRecords(): Array<Record<string, string | number>> {
  const [header, ...lines] = readFileSync(join(EXAMPLE, 'data', 'penguins-test.csv'), 'utf8')
    .trim()
    .split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const record: Record<string, string | number> = {};
    line.split(',').forEach((cell, i) => {
      if (cell === '') return;
      record[names[i]!] = FEATURES.slice(1, 5).includes(names[i]!) ? Number(cell) : cell;
    });
    return record;
  });
}

/** Parses a CSV without quoted fields (what predict writes for this data). */
function parseCsv(text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i]!, cell])));
}

let dir: string;
let registry: string;

beforeAll(async () => {
  const help = await run(['serve', '--help'], ROOT);
  if (help.code !== 0)
    throw new Error(`${CLI} has no serve command (is addServeCommands wired into src/cli.ts and the bundle rebuilt?)\n${help.stderr}`);
  // Two versions that predict differently: 40 epochs (the example as trained for these suites, without its
  // evaluation), and 3.
  dir = await copyTrainedExample('mlops-serve-');
  await rm(join(dir, '.mlops', 'evaluate'), { recursive: true });
  registry = join(dir, 'registry');
  await cp(join(dir, '.mlops', 'train', 'model'), join(dir, 'model-v1'), { recursive: true });
  ok(
    await runAction(BUNDLES.register, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', registry, 'allow-unblessed': 'true', alias: 'production' },
    }),
  );
  ok(await runAction(BUNDLES.train, { cwd: dir, inputs: { config: 'mlops.yaml', epochs: '3', seed: '7' } }));
  ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops.yaml', registry, 'allow-unblessed': 'true' } }));
});

describe('protocols, errors and hostile requests (no admin token)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer(['--config', 'mlops.yaml', '--registry', registry, '--poll', '0', '--max-body', '64kb'], dir);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  test('startup names the model, version and URL', () => {
    expect(server.output()).toMatch(
      /mlops serve: penguins v1 \(sha256:[0-9a-f]{12}, onnxruntime-(node|web)\), following production every 0s; listening on http:\/\/127\.0\.0\.1:\d+/,
    );
  });

  test('TF Serving rows, TF Serving columns and OIP tensors give the same predictions, equal to mlops predict on the file', async () => {
    const records = testRecords().slice(0, 12);
    const rows = await post(`${server.url}/v1/models/penguins:predict`, { instances: records });
    expect(rows.status).toBe(200);
    expect(rows.version).toBe('1');
    expect(rows.json.predictions).toHaveLength(12);
    for (const p of rows.json.predictions) {
      expect(CLASSES).toContain(p.label);
      expect(p.probabilities).toHaveLength(3);
      expect(p.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.label).toBe(CLASSES[p.probabilities.indexOf(Math.max(...p.probabilities))]);
    }
    const columns = Object.fromEntries(FEATURES.map((f) => [f, records.map((r) => r[f] ?? null)]));
    const columnar = await post(`${server.url}/v1/models/penguins:predict`, { inputs: columns });
    expect(columnar.status).toBe(200);
    expect(columnar.json.outputs.label).toEqual(rows.json.predictions.map((p: { label: string }) => p.label));
    expect(columnar.json.outputs.probabilities).toEqual(rows.json.predictions.map((p: { probabilities: number[] }) => p.probabilities));
    const tensors = FEATURES.map((f, i) => ({
      name: f,
      shape: [records.length],
      datatype: i === 0 || i === 5 ? 'BYTES' : i === 4 ? 'INT64' : 'FP64',
      data: records.map((r) => r[f] ?? null),
    }));
    const oip = await post(`${server.url}/v2/models/penguins/infer`, { id: 'req-1', inputs: tensors });
    expect(oip.status).toBe(200);
    expect(oip.json).toMatchObject({ model_name: 'penguins', model_version: '1', id: 'req-1' });
    expect(oip.json.outputs[0]).toEqual({ name: 'label', shape: [12], datatype: 'BYTES', data: columnar.json.outputs.label });
    expect(oip.json.outputs[1]).toMatchObject({ name: 'probabilities', shape: [12, 3], datatype: 'FP32' });
    expect(oip.json.outputs[1].data).toEqual(columnar.json.outputs.probabilities.flat());
    const only = await post(`${server.url}/v2/models/penguins/infer`, { inputs: tensors, outputs: [{ name: 'label' }] });
    expect(only.json.outputs.map((o: { name: string }) => o.name)).toEqual(['label']);

    // The batch command on the same rows of the file (read by the table reader) agrees to the last digit.
    const out = join(dir, 'first12.csv');
    const csv = readFileSync(join(EXAMPLE, 'data', 'penguins-test.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(0, 13)
      .join('\n');
    await writeFile(join(dir, 'first12-in.csv'), `${csv}\n`);
    ok(await run(['predict', '--input', 'first12-in.csv', '-o', out, '--config', 'mlops.yaml', '--registry', registry, '--ref', '1'], dir));
    const batch = parseCsv(await readFile(out, 'utf8'));
    expect(batch.map((r) => r.prediction)).toEqual(columnar.json.outputs.label);
    batch.forEach((r, i) => {
      CLASSES.forEach((c, k) => expect(Number(r[`probability_${c}`])).toBe(columnar.json.outputs.probabilities[i][k]));
    });
  });

  test('status, metadata and health answer as TF Serving and OIP clients expect', async () => {
    const status = await get(`${server.url}/v1/models/penguins`);
    expect(status.json).toEqual({
      model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }],
    });
    const metadata = await get(`${server.url}/v1/models/penguins/metadata`);
    expect(metadata.json.model_spec).toEqual({ name: 'penguins', signature_name: '', version: '1' });
    expect(Object.keys(metadata.json.metadata.signature_def.signature_def.serving_default.inputs)).toEqual(FEATURES);
    expect(metadata.json.classes).toEqual(CLASSES);
    const model = await get(`${server.url}/v2/models/penguins`);
    expect(model.json).toMatchObject({ name: 'penguins', versions: ['1'], platform: 'onnxruntime_onnx', features: FEATURES });
    // The graph's inputs: one per feature column, float32 or string [N, 1].
    expect(model.json.inputs).toEqual(
      FEATURES.map((name, i) => ({ name, datatype: i === 0 || i === 5 ? 'BYTES' : 'FP32', shape: [-1, 1] })),
    );
    expect(model.json.outputs).toEqual([
      { name: 'label', datatype: 'BYTES', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
    ]);
    for (const path of ['/v2/health/live', '/v2/health/ready', '/v2/models/penguins/ready', '/v2/models/penguins/versions/1/ready'])
      expect((await get(`${server.url}${path}`)).status).toBe(200);
    expect((await get(`${server.url}/v2/models/penguins/versions/2/ready`)).status).toBe(404);
  });

  test('wrong model names, routes and methods: 404 and 405 with a JSON error', async () => {
    for (const [method, path, status] of [
      ['POST', '/v1/models/other:predict', 404],
      ['POST', '/v2/models/other/infer', 404],
      ['GET', '/v1/models/other', 404],
      ['GET', '/nope', 404],
      ['GET', '/admin/status', 404],
      ['POST', '/admin/reload', 404],
      ['GET', '/v1/models/penguins:predict', 405],
      ['DELETE', '/v2/health/live', 405],
      ['POST', '/metrics', 405],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { method, body: method === 'POST' ? '{}' : undefined });
      expect([path, response.status]).toEqual([path, status]);
      expect(Object.keys((await response.json()) as object)).toEqual(['error']);
      if (status === 405) expect(response.headers.get('allow')).toBeTruthy();
    }
    const wrong = await post(`${server.url}/v1/models/other:predict`, { instances: [{}] });
    expect(wrong.json.error).toBe('no model "other": this server serves "penguins"');
  });

  test('malformed and hostile requests get a 4xx naming the problem; the server keeps answering', async () => {
    const predict = `${server.url}/v1/models/penguins:predict`;
    const infer = `${server.url}/v2/models/penguins/infer`;
    const cases: Array<[string, string | Uint8Array, number, RegExp]> = [
      [predict, '', 400, /no body/],
      [predict, '{"instances": [', 400, /not valid JSON/],
      [predict, 'null', 400, /must be a JSON object/],
      [predict, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 400, /not valid UTF-8/],
      [predict, `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 400, /must be a JSON object|nested too deeply/],
      [predict, `{"instances": [${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}]}`, 400, /instances\[0\]\.a: unknown feature/],
      [
        predict,
        JSON.stringify({ instances: [{ bill_length_mm: { x: 1 } }] }),
        400,
        /^instances\[0\]\.bill_length_mm: expected a number, got an object$/,
      ],
      [
        predict,
        JSON.stringify({ instances: [{ island: 'Dream' }, { island: 'Dream' }, { island: 'Dream' }, { bill_length_mm: 'twelve' }] }),
        400,
        /^instances\[3\]\.bill_length_mm: expected a number, got the text "twelve"$/,
      ],
      [predict, JSON.stringify({ instances: [{ body_mass_g: 1e308 }] }), 400, /instances\[0\]\.body_mass_g: 1e\+308 is out of the range/],
      // Non-values are refused, not imputed: NaN and infinity texts, numbers that overflow, records with no value.
      [
        predict,
        '{"instances": [{"bill_length_mm": "NaN", "island": "Dream"}]}',
        400,
        /^instances\[0\]\.bill_length_mm: "NaN" is not a value/,
      ],
      [predict, '{"instances": [{"body_mass_g": "-Infinity"}]}', 400, /^instances\[0\]\.body_mass_g: "-Infinity" is not a value/],
      [predict, '{"instances": [{"bill_length_mm": 1e999}]}', 400, /^instances\[0\]\.bill_length_mm: the number is too large for a double/],
      [
        predict,
        '{"instances": [{"island": "Dream"}, {"sex": "NA", "island": null}]}',
        400,
        /^instances\[1\]: the record has no value for any feature/,
      ],
      [
        predict,
        '{"instances": [{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}]}',
        400,
        /unknown feature "__proto__".*unknown feature "constructor"/,
      ],
      [
        predict,
        JSON.stringify({ inputs: { island: ['Dream', 'Biscoe'], sex: ['male'] } }),
        400,
        /inputs\.sex: 1 values where inputs\.island has 2/,
      ],
      [
        infer,
        JSON.stringify({ inputs: [{ name: 'island', shape: [3], datatype: 'BYTES', data: ['Dream'] }] }),
        400,
        /inputs\[0\]\.data: 1 values where the shape \[3\] needs 3/,
      ],
      [
        infer,
        JSON.stringify({ inputs: [{ name: 'body_mass_g', shape: [1], datatype: 'BOOL', data: [true] }] }),
        400,
        /expected a number, got a boolean/,
      ],
      [
        infer,
        JSON.stringify({ inputs: [{ name: 'nope', shape: [1], datatype: 'FP64', data: [1] }] }),
        400,
        /inputs\[0\]\.name: unknown feature "nope"/,
      ],
    ];
    for (const [url, body, status, message] of cases) {
      const response = await post(url, body);
      expect([String(body).slice(0, 40), response.status]).toEqual([String(body).slice(0, 40), status]);
      expect(response.json.error).toMatch(message);
    }
    // Features the training data had missing values in are taken missing (null, left out, null texts); island never was.
    for (const body of [
      '{"instances": [{"bill_length_mm": 40, "sex": "NA", "island": "Dream"}]}',
      JSON.stringify({ instances: [{ island: 'x'.repeat(50_000) }] }),
    ]) {
      const response = await post(predict, body);
      expect(response.status).toBe(200);
    }
    const noIsland = await post(predict, '{"instances": [{"bill_length_mm": 40, "sex": "NA", "island": null}]}');
    expect([noIsland.status, noIsland.json.error]).toEqual([
      400,
      'instances[0].island: missing, and the training data never lacked island; send a value, or start the server with --missing impute to have the model fill it in as in training',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await get(`${server.url}/v2/health/live`)).status).toBe(200);
  });

  test('bodies over --max-body get 413 without the server reading them; the server keeps answering', async () => {
    const big = JSON.stringify({ instances: Array.from({ length: 2000 }, () => ({ island: 'Dream', bill_length_mm: 40 })) });
    expect(big.length).toBeGreaterThan(64 * 1024);
    // Announced by Content-Length: answered before the body is sent (only the headers go out).
    const announced = await rawRequest(server.port, [
      `POST /v1/models/penguins:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`,
    ]);
    expect(announced).toMatch(/^HTTP\/1\.1 413 /);
    expect(announced).toContain('over the limit of 65536 bytes');
    // Chunked, with no length: refused once the bytes read pass the limit.
    const chunks = [`POST /v1/models/penguins:predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`];
    for (let i = 0; i < big.length; i += 8192) {
      const part = big.slice(i, i + 8192);
      chunks.push(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
    }
    const chunked = await rawRequest(server.port, chunks);
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
    expect((await post(`${server.url}/v1/models/penguins:predict`, { instances: [{ island: 'Dream' }] })).status).toBe(200);
  });
});

/** Sends raw bytes on a socket, piece by piece, and returns what the server answered before closing. */
function rawRequest(port: number, pieces: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c: Buffer) => {
      answer += c.toString();
      if (/\r\n\r\n[\s\S]*\}/.test(answer)) socket.destroy();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', (error) => (answer ? resolve(answer) : reject(error)));
    socket.on('connect', async () => {
      for (const piece of pieces) {
        if (socket.destroyed) break;
        socket.write(piece);
        await new Promise((r) => setTimeout(r, 2));
      }
    });
  });
}

describe('online monitoring and feedback', () => {
  test('production records of one island drift against the training profile on /metrics; labels sent later give the rolling accuracy', async () => {
    const token = 'monitor-token-0123456789';
    const server = await startServer(['--config', 'mlops.yaml', '--registry', registry, '--poll', '0', '--monitor-min-rows', '100'], dir, {
      MLOPS_ADMIN_TOKEN: token,
    });
    try {
      // The example's production data: birds of one island only (drift), as typed records, with their true species.
      const [header, ...lines] = readFileSync(join(EXAMPLE, 'data', 'penguins-production.csv'), 'utf8')
        .trim()
        .split('\n');
      const names = header!.split(',');
      const rows = lines.map((line) => line.split(','));
      const records = rows.map((cells) =>
        Object.fromEntries(
          names.flatMap((name, i) =>
            name === 'species' || cells[i] === '' ? [] : [[name, FEATURES.slice(1, 5).includes(name) ? Number(cells[i]) : cells[i]]],
          ),
        ),
      );
      const answer = await post(`${server.url}/v1/models/penguins:predict`, { instances: records });
      expect(answer.status).toBe(200);
      const id = answer.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const metrics = (await get(`${server.url}/metrics`)).text;
      const value = (series: string) => {
        const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
        return line === undefined ? undefined : Number(line.slice(series.length + 1));
      };
      expect(value('mlops_serve_monitor_window_rows{version="1"}')).toBe(records.length);
      expect(value('mlops_serve_feature_drifted{version="1",feature="island"}')).toBe(1);
      expect(value('mlops_serve_feature_drift{version="1",feature="island",statistic="jensenshannon"}')).toBeGreaterThan(0.1);
      expect(value('mlops_serve_drift_share{version="1"}')).toBeGreaterThan(0);
      // Feedback takes the admin token on a server that has one.
      const labels = { id, labels: rows.map((cells) => cells[names.indexOf('species')]) };
      expect((await post(`${server.url}/v1/models/penguins:feedback`, labels)).status).toBe(401);
      const feedback = await post(`${server.url}/v1/models/penguins:feedback`, labels, { Authorization: `Bearer ${token}` });
      expect(feedback.json).toEqual({ matched: records.length, unknown_id: 0, invalid: 0, problems: [] });
      const correct = rows.filter((cells, i) => cells[names.indexOf('species')] === answer.json.predictions[i].label).length;
      const after = (await get(`${server.url}/metrics`)).text;
      const accuracy = after.split('\n').find((l) => l.startsWith('mlops_serve_rolling_accuracy{version="1"} '));
      expect(Number(accuracy!.split(' ')[1])).toBeCloseTo(correct / records.length, 10);
      // A labels file (CSV) for an unknown request: counted, not matched.
      const csv = await post(`${server.url}/v2/models/penguins/feedback`, 'id,label\nnope,Adelie\n', {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'text/csv',
      });
      expect(csv.json).toMatchObject({ matched: 0, unknown_id: 1 });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('following the alias', () => {
  test('moves of the alias are picked up and swapped in under concurrent load with no failed request; a bad version is not', async () => {
    const server = await startServer(['--config', 'mlops.yaml', '--registry', registry, '--poll', '0.2'], dir);
    const records = testRecords();
    const results: Array<{ status: number; version: string | null }> = [];
    let running = true;
    const worker = async (w: number) => {
      for (let i = w; running; i++) {
        const response = await post(`${server.url}/v1/models/penguins:predict`, { instances: [records[i % records.length]] }).catch(
          (error: Error) => ({
            status: 0,
            version: error.message,
          }),
        );
        results.push({ status: response.status, version: response.version });
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // The alias moves through the registry's library, in this process: `mlops registry alias` itself is proven
    // from the bundle by action-register.test.ts, and a process per move would only slow the load down.
    const alias = (version: string) => new ModelRegistry(new FolderStore(registry)).setAlias('penguins', 'production', Number(version));
    const servedVersion = async () => (await get(`${server.url}/v1/models/penguins`)).json.model_version_status[0].version as string;
    const waitFor = async (version: string) => {
      for (let i = 0; i < 100 && (await servedVersion()) !== version; i++) await new Promise((r) => setTimeout(r, 100));
      return servedVersion();
    };
    for (const version of ['2', '1', '2']) {
      await alias(version);
      expect(await waitFor(version)).toBe(version);
      await new Promise((r) => setTimeout(r, 300));
    }
    // A version that cannot load (its model files are not a model): logged, and v2 keeps serving.
    const broken = join(dir, 'broken-model');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'model.json'), '{"not": "a model"}');
    await writeFile(join(broken, 'preprocess.json'), '{}');
    await writeFile(join(broken, 'weights.bin'), '');
    const registered = await new ModelRegistry(new FolderStore(registry)).register('penguins', broken, { card: null, blessing: null });
    expect(registered.version).toBe(3);
    await alias('3');
    for (let i = 0; i < 50 && !/loading penguins .* failed/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 100));
    running = false;
    await Promise.all(workers);
    expect(server.output()).toMatch(/loading penguins sha256:[0-9a-f]+ failed: .*; still serving v2/);
    expect(await servedVersion()).toBe('2');
    const failed = results.filter((r) => r.status !== 200);
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThan(200);
    expect(new Set(results.map((r) => r.version))).toEqual(new Set(['1', '2']));
    expect(server.output()).toMatch(/serving penguins v2 .* instead of v1: production moved to v2/);
    expect(server.output()).toMatch(/serving penguins v1 .* instead of v2: production moved to v1/);
    await alias('1');
    expect(await server.stop()).toBe(0);
  });
});

describe('canary, admin API, metrics, prediction log, shutdown', () => {
  let server: Server;
  let logDir: string;
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const predictOne = (record: object) => post(`${server.url}/v1/models/penguins:predict`, { instances: [record] });
  let predicted = 0;

  beforeAll(async () => {
    logDir = await makeTempDir('mlops-serve-log-');
    server = await startServer(
      [
        '--config',
        'mlops.yaml',
        '--registry',
        registry,
        '--ref',
        '1',
        '--poll',
        '0',
        '--log',
        join(logDir, 'predictions.jsonl'),
        '--log-max-bytes',
        '4kb',
        '--log-keep',
        '1000',
        '--log-max-rows-per-request',
        '5000',
      ],
      dir,
      { MLOPS_ADMIN_TOKEN: TOKEN },
    );
  });

  test('without the token, or with a wrong one, the admin API answers 401', async () => {
    expect((await get(`${server.url}/admin/status`)).status).toBe(401);
    expect((await get(`${server.url}/admin/status`, { Authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await get(`${server.url}/admin/status`, { Authorization: TOKEN })).status).toBe(401);
    const refused = await post(`${server.url}/admin/promote`, {}, { Authorization: 'Bearer nope' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const status = await get(`${server.url}/admin/status`, auth);
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({
      model: 'penguins',
      stable: { version: 1, uri: 'local://penguins/1' },
      candidate: null,
      weight: 0,
      following: null,
    });
  });

  test('a candidate gets exactly its weight of requests; stats per version; weight, promote, rollback', async () => {
    const candidate = await post(`${server.url}/admin/candidate`, { ref: '2', weight: 25 }, auth);
    expect(candidate.status).toBe(200);
    expect(candidate.json).toMatchObject({ stable: { version: 1 }, candidate: { version: 2 }, weight: 25 });
    expect((await post(`${server.url}/admin/reset-stats`, {}, auth)).json.stats).toEqual({});
    const records = testRecords();
    const versions: string[] = [];
    for (let i = 0; i < 100; i++) {
      const response = await predictOne(records[i % records.length]!);
      expect(response.status).toBe(200);
      versions.push(response.version!);
    }
    predicted += 100;
    expect(versions.filter((v) => v === '2')).toHaveLength(25);
    // A request the candidate refuses counts as its error.
    let refusedBy = '';
    for (let i = 0; refusedBy !== '2'; i++) {
      const response = await predictOne({ nope: 1 });
      expect(response.status).toBe(400);
      refusedBy = response.version!;
    }
    const status = (await get(`${server.url}/admin/status`, auth)).json;
    expect(status.stats['1'].requests + status.stats['2'].requests).toBeGreaterThan(100);
    expect(status.stats['2']).toMatchObject({ errors: 1, server_errors: 0, predictions: { count: 25 } });
    expect(status.stats['1'].predictions.count).toBe(75);
    expect(Object.values(status.stats['2'].predictions.classes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(25);
    expect(status.stats['1'].latency_ms.p99).toBeGreaterThan(0);
    expect(status.stats['1'].latency_ms.p50).toBeLessThanOrEqual(status.stats['1'].latency_ms.p99);
    // Either version directly, bypassing the split.
    expect((await post(`${server.url}/v1/models/penguins/versions/2:predict`, { instances: [{ island: 'Dream' }] })).version).toBe('2');
    const pinned = await post(`${server.url}/v2/models/penguins/versions/1/infer`, {
      inputs: [
        { name: 'sex', shape: [1], datatype: 'BYTES', data: ['male'] },
        { name: 'island', shape: [1], datatype: 'BYTES', data: ['Dream'] },
      ],
    });
    expect([pinned.status, pinned.version]).toEqual([200, '1']);
    expect((await post(`${server.url}/v1/models/penguins/versions/7:predict`, { instances: [{}] })).status).toBe(404);
    predicted += 2;

    expect((await post(`${server.url}/admin/weight`, { weight: 101 }, auth)).status).toBe(400);
    expect((await post(`${server.url}/admin/weight`, { weight: 100 }, auth)).json.weight).toBe(100);
    for (let i = 0; i < 5; i++) expect((await predictOne(records[i]!)).version).toBe('2');
    predicted += 5;
    const promoted = await post(`${server.url}/admin/promote`, {}, auth);
    expect(promoted.json).toMatchObject({ stable: { version: 2 }, candidate: null, weight: 0 });
    expect((await post(`${server.url}/admin/promote`, {}, auth)).status).toBe(409);
    expect((await post(`${server.url}/admin/weight`, { weight: 5 }, auth)).status).toBe(409);
    await post(`${server.url}/admin/candidate`, { ref: 1, weight: 50 }, auth);
    const rolledBack = await post(`${server.url}/admin/rollback`, {}, auth);
    expect(rolledBack.json).toMatchObject({ stable: { version: 2 }, candidate: null, weight: 0 });
    for (let i = 0; i < 4; i++) expect((await predictOne(records[i]!)).version).toBe('2');
    predicted += 4;
    // A version that does not exist: 422, nothing changes.
    const missing = await post(`${server.url}/admin/candidate`, { ref: '99', weight: 10 }, auth);
    expect(missing.status).toBe(422);
    expect(missing.json.error).toMatch(/^cannot load 99: /);
    expect((await post(`${server.url}/admin/candidate`, { weight: 10 }, auth)).json.error).toMatch(/^ref: /);
    expect((await get(`${server.url}/admin/status`, auth)).json.candidate).toBeNull();
  });

  test('reload takes a bearer token or a body signed with the token at a time (HMAC-SHA256 of "<timestamp>.<body>"), once, naming a digest', async () => {
    const registered = new ModelRegistry(new FolderStore(registry));
    const digest1 = (await registered.resolve('penguins', '1')).digest;
    const sign = (body: string, at = Math.floor(Date.now() / 1000)) => ({
      'X-Mlops-Timestamp': String(at),
      'X-Mlops-Signature-256': `sha256=${createHmac('sha256', TOKEN).update(`${at}.${body}`).digest('hex')}`,
    });
    const body = JSON.stringify({ ref: digest1 });
    const headers = sign(body);
    const bad = await post(`${server.url}/admin/reload`, body, {
      ...headers,
      'X-Mlops-Signature-256': headers['X-Mlops-Signature-256'].replace(/.$/, (c) => (c === '0' ? '1' : '0')),
    });
    expect([bad.status, bad.json.error]).toEqual([401, 'the signature does not match the timestamp and body']);
    const tampered = await post(
      `${server.url}/admin/reload`,
      JSON.stringify({ ref: digest1.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }),
      headers,
    );
    expect(tampered.status).toBe(401);
    // The body alone signed, as before: refused, saying what is missing.
    const untimed = await post(`${server.url}/admin/reload`, body, {
      'X-Mlops-Signature-256': `sha256=${createHmac('sha256', TOKEN).update(body).digest('hex')}`,
    });
    expect([untimed.status, untimed.json.error]).toEqual([401, expect.stringMatching(/^a signed reload needs x-mlops-timestamp/)]);
    const stale = await post(`${server.url}/admin/reload`, body, sign(body, Math.floor(Date.now() / 1000) - 3600));
    expect([stale.status, stale.json.error]).toEqual([401, expect.stringMatching(/stale or replayed/)]);
    const signed = await post(`${server.url}/admin/reload`, body, headers);
    expect(signed.status).toBe(200);
    expect(signed.json.stable.version).toBe(1);
    // The same signed request again (recorded and replayed): refused.
    const replayed = await post(`${server.url}/admin/reload`, body, headers);
    expect([replayed.status, replayed.json.error]).toEqual([401, 'this signed reload was already taken: a replayed request']);
    // A signed reload names a digest, not a version number or alias that could mean other bytes later.
    const byNumber = JSON.stringify({ ref: '2' });
    const numbered = await post(`${server.url}/admin/reload`, byNumber, sign(byNumber));
    expect([numbered.status, numbered.json.error]).toEqual([
      400,
      expect.stringMatching(/^ref: a signed reload names the version by its digest/),
    ]);
    // A signature opens reload only.
    const candidateBody = JSON.stringify({ ref: '2' });
    const signedCandidate = await post(`${server.url}/admin/candidate`, candidateBody, sign(candidateBody));
    expect(signedCandidate.status).toBe(401);
    expect((await post(`${server.url}/admin/reload`, {}, auth)).json.error).toMatch(/follows no alias/);
    const reloaded = await post(`${server.url}/admin/reload`, { ref: '2' }, auth);
    expect(reloaded.json.stable.version).toBe(2);
    expect((await predictOne({ island: 'Dream' })).version).toBe('2');
    predicted += 1;
  });

  test('/metrics is Prometheus text with requests, errors and latency by version, and the served version', async () => {
    const metrics = await get(`${server.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = new Map<string, number>();
    for (const line of metrics.text.trim().split('\n')) {
      if (line === '') continue;
      if (line.startsWith('#')) {
        expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /);
        continue;
      }
      const match =
        /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+-]+|NaN|Nan|\+Inf|-Inf)$/.exec(line);
      expect([line, match !== null]).toEqual([line, true]);
      samples.set(match![1]!, Number(match![2]));
    }
    expect(samples.get('mlops_serve_requests_total{route="tfs_predict",status="200",version="1"}')).toBeGreaterThan(50);
    expect(samples.get('mlops_serve_requests_total{route="tfs_predict",status="200",version="2"}')).toBeGreaterThan(20);
    expect(samples.get('mlops_serve_prediction_errors_total{version="2",kind="client"}')).toBe(1);
    expect(samples.get('mlops_serve_prediction_duration_seconds_count{version="1"}')).toBeGreaterThan(50);
    expect(samples.get('mlops_serve_prediction_duration_seconds_bucket{le="+Inf",version="1"}')).toBe(
      samples.get('mlops_serve_prediction_duration_seconds_count{version="1"}'),
    );
    expect([...samples.keys()].filter((k) => k.startsWith('mlops_serve_model_info'))).toEqual([
      expect.stringMatching(/^mlops_serve_model_info\{model="penguins",version="2",digest="sha256:[0-9a-f]{64}",role="stable"\}$/),
    ]);
  });

  test('SIGTERM lets a request in flight finish; every prediction log line is a whole record, through rotation', async () => {
    const records = testRecords();
    const batch = Array.from({ length: 4000 }, (_, i) => records[i % records.length]!);
    const inFlight = post(`${server.url}/v1/models/penguins:predict`, { instances: batch });
    await new Promise((r) => setTimeout(r, 30));
    const code = await server.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.json.predictions).toHaveLength(4000);
    predicted += 4000;
    expect(code).toBe(0);
    const files = (await readdir(logDir)).filter((f) => f.startsWith('predictions.jsonl'));
    expect(files.length).toBeGreaterThan(10);
    let lines = 0;
    const versions = new Set<number>();
    for (const file of files) {
      const text = await readFile(join(logDir, file), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.slice(0, -1).split('\n')) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        const row = entry._row === undefined ? [] : ['_row'];
        expect(Object.keys(entry).filter((k) => k.startsWith('_'))).toEqual([
          '_time',
          '_model',
          '_version',
          '_request_id',
          ...row,
          '_prediction',
        ]);
        expect(
          Object.keys(entry)
            .filter((k) => !k.startsWith('_'))
            .every((k) => FEATURES.includes(k)),
        ).toBe(true);
        expect(new Date(entry._time as string).toISOString()).toBe(entry._time);
        expect(entry._model).toBe('penguins');
        expect(CLASSES).toContain(entry._prediction);
        versions.add(entry._version as number);
        lines++;
      }
    }
    expect(lines).toBe(predicted);
    expect(versions).toEqual(new Set([1, 2]));
  });
});

describe('mlops predict', () => {
  test('batch predictions of the test file score exactly as evaluate scores the model itself', async () => {
    const out = join(dir, 'predictions.csv');
    const model = join(dir, 'model-v1');
    const predicted = ok(
      await run(['predict', '--input', 'data/penguins-test.csv', '-o', out, '--model-dir', model, '--config', 'mlops.yaml'], dir),
    );
    expect(predicted.stderr).toMatch(/wrote .*predictions\.csv: 68 rows predicted by penguins v0/);
    const rows = parseCsv(await readFile(out, 'utf8'));
    expect(rows).toHaveLength(68);
    expect(Object.keys(rows[0]!)).toEqual(['species', ...FEATURES, 'prediction', ...CLASSES.map((c) => `probability_${c}`)]);
    // As evaluate's predictions input: y_true, y_pred, score:<class>, and the slice columns of mlops.yaml.
    const forEvaluate = [
      ['y_true', 'y_pred', ...CLASSES.map((c) => `score:${c}`), 'island', 'sex'].join(','),
      ...rows.map((r) => [r.species, r.prediction, ...CLASSES.map((c) => r[`probability_${c}`]), r.island, r.sex].join(',')),
    ].join('\n');
    await writeFile(join(dir, 'for-evaluate.csv'), `${forEvaluate}\n`);
    const fromModel = ok(
      await runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', 'model-dir': model, comment: 'false', 'fail-on-unblessed': 'false', 'output-dir': 'eval-model' },
      }),
    );
    const fromPredictions = ok(
      await runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: {
          config: 'mlops.yaml',
          predictions: 'for-evaluate.csv',
          comment: 'false',
          'fail-on-unblessed': 'false',
          'output-dir': 'eval-preds',
        },
      }),
    );
    const a = JSON.parse(fromModel.outputs.metrics!) as Record<string, number>;
    const b = JSON.parse(fromPredictions.outputs.metrics!) as Record<string, number>;
    expect(Object.keys(a).length).toBeGreaterThan(5);
    expect(b).toEqual(a);
  });

  test('writes JSON Lines by the output name, and a missing model is a clear error', async () => {
    const out = join(dir, 'predictions.jsonl');
    ok(
      await run(
        ['predict', '--input', 'data/penguins-test.csv', '-o', out, '--registry', registry, '--ref', '2', '--config', 'mlops.yaml'],
        dir,
      ),
    );
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(68);
    expect(CLASSES).toContain(lines[0]!.prediction);
    const missing = await run(['predict', '--input', 'data/penguins-test.csv', '-o', out, '--model-dir', 'nowhere'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere is not a model directory/);
  });
});
