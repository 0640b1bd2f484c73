/**
 * The server's limits and refusals, in process against src (no bundle): `/metrics`
 * passes `promtool check metrics` and counts the start-up load and refused bodies;
 * a request carries at most `maxRows` records in both protocols; records with no
 * value, "NaN"/"Infinity" texts and numbers that overflow to Infinity get a 400 that
 * names them; a missing feature is refused where the training data never lacked it
 * (`--missing reject`, the default) and imputed under `--missing impute`; every
 * refusal is counted by reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from '../src/core/data/table.js';
import type { ModelSignature } from '../src/core/model/model.js';
import type { DatasetProfile } from '../src/core/profile/profile.js';
import { DEFAULT_MAX_ROWS, HttpError, decodeOip, decodeTfServing } from '../src/core/serve/decode.js';
import { ServedModel } from '../src/core/serve/model.js';
import { PredictionLog } from '../src/core/serve/prediction-log.js';
import { InferenceServer } from '../src/core/serve/server.js';
import type { ModelSource } from '../src/core/serve/source.js';

const SIGNATURE: ModelSignature = {
  features: [
    { name: 'x', type: 'number' },
    { name: 'c', type: 'string' },
  ],
  target: { name: 'y', task: 'classification', classes: ['a', 'b'] },
  probabilities: true,
};

/** A training profile in which x had missing values and c had none (only the counts matter here). */
const PROFILE = {
  format: 'mlops-profile/v1',
  rows: 10,
  files: ['train.csv'],
  columns: [
    { name: 'x', counts: { null: 2, integer: 8 } },
    { name: 'c', counts: { null: 0, string: 10 } },
    { name: 'y', counts: { null: 1, string: 9 } },
  ],
} as unknown as DatasetProfile;

/** A served model that answers 0.25/0.75 for every row. */
function fakeModel(profile: DatasetProfile | null = PROFILE): ServedModel {
  const model = {
    algorithm: 'fake',
    signature: SIGNATURE,
    predict: async (_table: Table, rows: readonly number[]) =>
      Float64Array.from({ length: rows.length * 2 }, (_, i) => (i % 2 ? 0.75 : 0.25)),
    dispose: () => undefined,
  };
  return new ServedModel({ name: 'm', version: 1, digest: 'sha256:1', uri: 'local://m/1' }, { model, card: null }, profile);
}

const MAX_ROWS = 5;
let server: InferenceServer;
let base: string;

beforeAll(async () => {
  server = new InferenceServer({
    source: { name: 'm' } as unknown as ModelSource,
    initial: fakeModel(),
    follow: null,
    pollSeconds: 0,
    adminToken: null,
    maxBodyBytes: 4096,
    maxRows: MAX_ROWS,
  });
  const port = await server.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.close(1000);
});

interface Answer {
  status: number;
  json: { error?: string; predictions?: unknown[]; outputs?: Array<{ shape: number[] }> };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Answer['json'] };
}
const tfs = (body: unknown) => post('/v1/models/m:predict', body);
const oip = (body: unknown) => post('/v2/models/m/infer', body);
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i, c: 'u' }));
const tensors = (n: number) => ({
  inputs: [
    { name: 'x', shape: [n], datatype: 'FP64', data: Array.from({ length: n }, (_, i) => i) },
    { name: 'c', shape: [n], datatype: 'BYTES', data: Array.from({ length: n }, () => 'v') },
  ],
});

async function metricsText(): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('rows per request', () => {
  test(`TF Serving: ${MAX_ROWS} records are answered, ${MAX_ROWS + 1} get 413 naming the limit and the flag`, async () => {
    const at = await tfs({ instances: rows(MAX_ROWS) });
    expect(at.status).toBe(200);
    expect(at.json.predictions).toHaveLength(MAX_ROWS);
    const over = await tfs({ instances: rows(MAX_ROWS + 1) });
    expect(over.status).toBe(413);
    expect(over.json.error).toBe(
      `instances: ${MAX_ROWS + 1} records where a request may carry at most ${MAX_ROWS}; send fewer records per request (the server's limit is set by mlops serve --max-rows)`,
    );
    const columns = (n: number) => ({ inputs: { x: rows(n).map((r) => r.x), c: rows(n).map((r) => r.c) } });
    expect((await tfs(columns(MAX_ROWS))).status).toBe(200);
    const columnar = await tfs(columns(MAX_ROWS + 1));
    expect(columnar.status).toBe(413);
    expect(columnar.json.error).toMatch(/^inputs\.x: 6 records where a request may carry at most 5; .*--max-rows/);
  });

  test(`Open Inference Protocol: ${MAX_ROWS} rows are answered, ${MAX_ROWS + 1} get 413`, async () => {
    const at = await oip(tensors(MAX_ROWS));
    expect(at.status).toBe(200);
    expect(at.json.outputs![0]!.shape).toEqual([MAX_ROWS]);
    const over = await oip(tensors(MAX_ROWS + 1));
    expect(over.status).toBe(413);
    expect(over.json.error).toMatch(/^inputs\[0\]\.shape: 6 records where a request may carry at most 5; .*--max-rows\)$/);
  });

  test(`the default limit is ${DEFAULT_MAX_ROWS} records`, () => {
    const instances = Array.from({ length: DEFAULT_MAX_ROWS + 1 }, () => ({ x: 1 }));
    expect(decodeTfServing({ instances: instances.slice(1) }).records).toHaveLength(DEFAULT_MAX_ROWS);
    expect(() => decodeTfServing({ instances })).toThrow(HttpError);
    const data = instances.map(() => 1);
    expect(decodeOip({ inputs: [{ name: 'x', shape: [DEFAULT_MAX_ROWS], datatype: 'FP64', data: data.slice(1) }] }).records).toHaveLength(
      DEFAULT_MAX_ROWS,
    );
    try {
      decodeOip({ inputs: [{ name: 'x', shape: [DEFAULT_MAX_ROWS + 1], datatype: 'FP64', data }] });
      throw new Error('no error');
    } catch (error) {
      expect((error as HttpError).status).toBe(413);
    }
  });
});

describe('non-values', () => {
  test('reject (the default): a feature missing where the training data had missing values is taken; elsewhere a 400 naming it', async () => {
    const taken = await tfs({ instances: [{ x: null, c: 'u' }, { c: 'v' }, { x: 'NA', c: 'u' }] });
    expect(taken.status).toBe(200);
    expect(taken.json.predictions).toHaveLength(3);
    const before = sample(await metricsText(), 'mlops_serve_rejected_requests_total{reason="missing_value"}') ?? 0;
    const refused = await tfs({ instances: [{ x: 1, c: 'u' }, { x: 3 }, { x: 2, c: 'NA' }] });
    expect(refused.status).toBe(400);
    const fix = 'send a value, or start the server with --missing impute to have the model fill it in as in training';
    expect(refused.json.error).toBe(
      `instances[1].c: missing, and the training data never lacked c; ${fix}; instances[2].c: missing, and the training data never lacked c; ${fix}`,
    );
    const columns = await oip({ inputs: [{ name: 'x', shape: [2], datatype: 'FP64', data: [1, 2] }] });
    expect(columns.status).toBe(400);
    expect(columns.json.error).toBe(`c: no record has it, and the training data never lacked c; ${fix}`);
    const one = await oip({ inputs: [{ name: 'x', shape: [1], datatype: 'FP64', data: [1] }] });
    expect(one.json.error).toBe(`c: no record has it, and the training data never lacked c; ${fix}`);
    expect(sample(await metricsText(), 'mlops_serve_rejected_requests_total{reason="missing_value"}')).toBe(before + 3);
  });

  test('reject: a model without a training profile takes no missing value, and says why', async () => {
    const bare = new InferenceServer({
      source: { name: 'm' } as unknown as ModelSource,
      initial: fakeModel(null),
      follow: null,
      pollSeconds: 0,
      adminToken: null,
    });
    const url = `http://127.0.0.1:${await bare.listen(0, '127.0.0.1')}/v1/models/m:predict`;
    try {
      const response = await fetch(url, { method: 'POST', body: JSON.stringify({ instances: [{ x: null, c: 'u' }] }) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe(
        'instances[0].x: missing, and this model has no training profile to show it takes x missing; send a value, or start the server with --missing impute to have the model fill it in as in training',
      );
    } finally {
      await bare.close(1000);
    }
  });

  test('impute: every missing feature is filled in by the model, as in training', async () => {
    const lenient = new InferenceServer({
      source: { name: 'm' } as unknown as ModelSource,
      initial: fakeModel(null),
      follow: null,
      pollSeconds: 0,
      adminToken: null,
      missing: 'impute',
    });
    const url = `http://127.0.0.1:${await lenient.listen(0, '127.0.0.1')}/v1/models/m:predict`;
    try {
      const body = JSON.stringify({ instances: [{ x: null, c: 'u' }, { c: 'v' }, { x: 3 }, { x: 'NA', c: 'u' }] });
      const response = await fetch(url, { method: 'POST', body });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { predictions: unknown[] }).predictions).toHaveLength(4);
      // Records with no value at all are refused under either policy.
      const empty = await fetch(url, { method: 'POST', body: '{"instances":[{}]}' });
      expect(empty.status).toBe(400);
    } finally {
      await lenient.close(1000);
    }
  });

  test.each([
    [
      'an empty record',
      '{"instances":[{"x":1},{}]}',
      'instances[1]: the record has no value for any feature (x, c); send its feature values',
    ],
    [
      'an all-null record',
      '{"instances":[{"x":null,"c":null,"y":"a"}]}',
      'instances[0]: the record has no value for any feature (x, c); send its feature values',
    ],
    [
      'null texts only',
      '{"instances":[{"x":"NA","c":""}]}',
      'instances[0]: the record has no value for any feature (x, c); send its feature values',
    ],
    [
      '"NaN"',
      '{"instances":[{"x":"NaN","c":"u"}]}',
      'instances[0].x: "NaN" is not a value the model can take; send null or leave the feature out for a missing value',
    ],
    [
      '"Infinity"',
      '{"instances":[{"x":"-Infinity"}]}',
      'instances[0].x: "-Infinity" is not a value the model can take; send null or leave the feature out for a missing value',
    ],
    ['1e400', '{"instances":[{"x":1e400,"c":"u"}]}', 'instances[0].x: the number is too large for a double (it reads as Infinity)'],
    ['1e400 in a category', '{"inputs":{"c":[-1e400]}}', 'inputs.c[0]: the number is too large for a double (it reads as Infinity)'],
    ['1e308', '{"instances":[{"x":1e308,"c":"u"}]}', 'instances[0].x: 1e+308 is out of the range the model can take'],
  ])('TF Serving: %s gets 400 naming it', async (_what, body, message) => {
    const answer = await tfs(body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe(message);
  });

  test('Open Inference Protocol: a row of nulls and an overflowing number get 400 naming them', async () => {
    const body =
      '{"inputs":[{"name":"x","shape":[3],"datatype":"FP64","data":[1,null,1e999]},{"name":"c","shape":[3],"datatype":"BYTES","data":["u",null,"v"]}]}';
    const answer = await oip(body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe(
      'row 1 of inputs (data[1] of every input): the record has no value for any feature (x, c); send its feature values; inputs[0].data[2] (x): the number is too large for a double (it reads as Infinity)',
    );
  });
});

describe('/metrics', () => {
  test('counts the start-up load, and bodies refused before a model took them as prediction errors', async () => {
    const before = await metricsText();
    expect(sample(before, 'mlops_serve_model_loads_total{result="ok"}')).toBe(1);
    const refused = (text: string) => sample(text, 'mlops_serve_prediction_errors_total{version="none",kind="client"}') ?? 0;
    const start = refused(before);
    expect((await tfs('{"instances": [')).status).toBe(400); // not JSON
    expect((await tfs({ instances: 'x' })).status).toBe(400); // not the protocol
    expect((await oip(tensors(MAX_ROWS + 1))).status).toBe(413); // too many rows
    expect((await tfs({ instances: [{ c: 'u'.repeat(5000) }] })).status).toBe(413); // too large
    const gzip = await fetch(`${base}/v1/models/m:predict`, { method: 'POST', headers: { 'Content-Encoding': 'gzip' }, body: '{}' });
    expect(gzip.status).toBe(415);
    expect(refused(await metricsText())).toBe(start + 5);
  });

  const promtool = spawnSync('promtool', ['--version']).status === 0;
  if (!promtool && process.env.CI === 'true') throw new Error("promtool is missing on CI: install Debian's prometheus package");
  // Locally without promtool (apt-get install prometheus) the check is skipped.
  (promtool ? test : test.skip)('passes promtool check metrics (only counters end in _total)', async () => {
    await tfs({ instances: rows(2) });
    const text = await metricsText();
    expect(text).not.toMatch(/^mlops_serve_nodejs_active_\w+_total/m);
    expect(text).toMatch(/^mlops_serve_nodejs_active_handles\{/m);
    // promtool exits 0 when the text is valid, and prints what it finds wrong.
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, problems: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, problems: '' });
  });
});

/** Sends raw bytes and reads the whole answer (the server closes the connection). */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(text);
  });
}

describe("errors of Node's HTTP parser", () => {
  test.each([
    ['not HTTP', 'GARBAGE\r\n\r\n', 400, /^the request is not valid HTTP \(HPE_/],
    [
      'headers too large',
      `GET /v2 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      /^the request headers are over the limit of \d+ bytes$/,
    ],
    ['a bad Content-Length', 'POST /v1/models/m:predict HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n', 400, /not valid HTTP/],
  ])('%s: a JSON {"error": ...} body', async (_what, request, status, message) => {
    const answer = await rawRequest(request);
    const [head, body] = answer.split('\r\n\r\n', 2) as [string, string];
    expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toMatch(/\r\nContent-Type: application\/json\r\n/);
    const json = JSON.parse(body) as { error: string };
    expect(Object.keys(json)).toEqual(['error']);
    expect(json.error).toMatch(message);
    expect((await fetch(`${base}/v2/health/live`)).status).toBe(200);
  });
});

/** A server of its own for one test, closed after it. */
async function withServer<T>(
  options: Partial<ConstructorParameters<typeof InferenceServer>[0]>,
  run: (url: string, server: InferenceServer) => Promise<T>,
): Promise<T> {
  const own = new InferenceServer({
    source: { name: 'm' } as unknown as ModelSource,
    initial: fakeModel(),
    follow: null,
    pollSeconds: 0,
    adminToken: null,
    ...options,
  });
  const url = `http://127.0.0.1:${await own.listen(0, '127.0.0.1')}`;
  try {
    return await run(url, own);
  } finally {
    await own.close(1000);
  }
}

describe('bounded work', () => {
  test('a request not sent in time gets 408 with a JSON body, counted as a timeout; the server stays healthy', async () => {
    await withServer({ requestTimeoutSeconds: 0.3 }, async (url, own) => {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(url).port), '127.0.0.1');
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('error', reject);
        socket.on('close', () => resolve(text));
        // Headers, then only part of the promised body.
        socket.write('POST /v1/models/m:predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"instances":');
      });
      const [head, body] = answer.split('\r\n\r\n', 2) as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(body)).toEqual({ error: 'the request was not complete within 0.3 s' });
      expect((await fetch(`${url}/v2/health/live`)).status).toBe(200);
      const metrics = (await own.metrics.text()).body;
      expect(sample(metrics, 'mlops_serve_rejected_requests_total{reason="timeout"}')).toBe(1);
    });
  });

  test('a large batch is scored in slices: a health check sent while it is scored is answered before it ends', async () => {
    // A model that takes 20 µs of CPU per row: a 10,000-row batch is 200 ms of scoring, in slices of a few ms.
    const slow = fakeModel();
    const predict = slow.predict.bind(slow);
    let scoring: () => void = () => {};
    const started = new Promise<void>((resolve) => (scoring = resolve));
    slow.predict = async (table, rows) => {
      scoring();
      const until = performance.now() + rows.length * 0.02;
      while (performance.now() < until);
      return predict(table, rows);
    };
    await withServer({ initial: slow, maxBodyBytes: 4 * 1024 * 1024 }, async (url) => {
      const order: string[] = [];
      let answered = 0;
      const big = fetch(`${url}/v1/models/m:predict`, { method: 'POST', body: JSON.stringify({ instances: rows(DEFAULT_MAX_ROWS) }) }).then(
        async (r) => {
          order.push(`batch ${r.status}`); // when its head arrives, before its body is read
          answered = ((await r.json()) as { predictions: unknown[] }).predictions.length;
        },
      );
      // Once the batch is being scored (server and test share one thread: this runs only when the server yields), ask for health.
      await started;
      const health = fetch(`${url}/v2/health/ready`).then((r) => order.push(`health ${r.status}`));
      await Promise.all([big, health]);
      expect(order).toEqual(['health 200', 'batch 200']);
      expect(answered).toBe(DEFAULT_MAX_ROWS);
    });
  });

  test("X-Request-Id: the client's is kept, an unusable one replaced, an OIP id answered as it was sent", async () => {
    const given = await fetch(`${base}/v1/models/m:predict`, {
      method: 'POST',
      headers: { 'X-Request-Id': 'abc-123' },
      body: JSON.stringify({ instances: rows(1) }),
    });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const long = await fetch(`${base}/v1/models/m:predict`, {
      method: 'POST',
      headers: { 'X-Request-Id': 'x'.repeat(200) },
      body: JSON.stringify({ instances: rows(1) }),
    });
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const oipAnswer = await fetch(`${base}/v2/models/m/infer`, { method: 'POST', body: JSON.stringify({ id: 'req\n7', ...tensors(1) }) });
    expect(((await oipAnswer.json()) as { id: string }).id).toBe('req\n7');
    // A line break cannot travel in a header: the id is in the body only.
    expect(oipAnswer.headers.get('x-request-id')).toBeNull();
  });

  test('every refusal is counted by reason', async () => {
    const reason = async (name: string) => sample(await metricsText(), `mlops_serve_rejected_requests_total{reason="${name}"}`) ?? 0;
    const cases: Array<[string, () => Promise<Response | Answer | string>]> = [
      ['too_many_rows', () => tfs({ instances: rows(MAX_ROWS + 1) })],
      ['bad_body', () => tfs('{"instances": [')],
      ['invalid_input', () => tfs({ instances: [{ x: 'NaN', c: 'u' }] })],
      ['body_too_large', () => tfs({ instances: [{ c: 'u'.repeat(5000) }] })],
      ['not_found', () => fetch(`${base}/nope`)],
      ['method_not_allowed', () => fetch(`${base}/v1/models/m:predict`)],
      ['headers_too_large', () => rawRequest(`GET /v2 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)],
      ['bad_http', () => rawRequest('GARBAGE\r\n\r\n')],
    ];
    for (const [name, send] of cases) {
      const before = await reason(name);
      await send();
      expect({ name, count: await reason(name) }).toEqual({ name, count: before + 1 });
    }
  });
});

describe('the prediction log through the server', () => {
  test('records past the per-request cap are counted in mlops_serve_prediction_log_dropped_total and said in a warning line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlops-serve-limits-'));
    const lines: string[] = [];
    const log = await PredictionLog.open({ path: join(dir, 'log.jsonl'), maxRowsPerRequest: 2 });
    try {
      await withServer({ log, logger: (line) => lines.push(line) }, async (url, own) => {
        const answer = await fetch(`${url}/v1/models/m:predict`, { method: 'POST', body: JSON.stringify({ instances: rows(5) }) });
        expect(answer.status).toBe(200);
        const id = answer.headers.get('x-request-id');
        await log.flush();
        const logged = readFileSync(join(dir, 'log.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(logged.map((e) => [e._request_id, e._row])).toEqual([
          [id, 0],
          [id, 1],
        ]);
        const metrics = (await own.metrics.text()).body;
        expect(sample(metrics, 'mlops_serve_prediction_log_dropped_total{reason="request_cap"}')).toBe(3);
        expect(lines).toEqual([
          'warning: prediction log: 3 past the per-request cap (--log-max-rows-per-request) not written since the last warning (mlops_serve_prediction_log_dropped_total)',
        ]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Open Inference Protocol: the binary tensor data extension, as the Triton client sends it', () => {
  /** tritonclient.http: each input's bytes after the JSON (BYTES: a 4-byte little-endian length, then UTF-8), the JSON's length in a header. */
  function tritonBody(): { body: Buffer; headerLength: number } {
    const x = Buffer.from(new Float64Array([1.5, 2.5]).buffer);
    const texts = ['u', 'vé'].map((t) => Buffer.from(t, 'utf8'));
    const c = Buffer.concat(texts.flatMap((t) => [Buffer.from(new Uint32Array([t.length]).buffer), t]));
    const json = Buffer.from(
      JSON.stringify({
        inputs: [
          { name: 'x', shape: [2], datatype: 'FP64', parameters: { binary_data_size: x.length } },
          { name: 'c', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: c.length } },
        ],
        parameters: { binary_data_output: true },
      }),
    );
    return { body: Buffer.concat([json, x, c]), headerLength: json.length };
  }

  test('binary inputs are read and binary outputs answered; /v2 lists the extension', async () => {
    const { body, headerLength } = tritonBody();
    const response = await fetch(`${base}/v2/models/m/infer`, {
      method: 'POST',
      headers: { 'Inference-Header-Content-Length': String(headerLength) },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const bytes = Buffer.from(await response.arrayBuffer());
    const jsonLength = Number(response.headers.get('inference-header-content-length'));
    const head = JSON.parse(bytes.subarray(0, jsonLength).toString('utf8')) as {
      outputs: Array<{ name: string; datatype: string; shape: number[]; parameters: { binary_data_size: number }; data?: unknown }>;
    };
    expect(head.outputs.map((o) => [o.name, o.datatype, o.shape, o.data])).toEqual([
      ['label', 'BYTES', [2], undefined],
      ['probabilities', 'FP64', [2, 2], undefined],
    ]);
    let offset = jsonLength;
    const labelBytes = bytes.subarray(offset, (offset += head.outputs[0]!.parameters.binary_data_size));
    const labels: string[] = [];
    for (let at = 0; at < labelBytes.length;) {
      const n = labelBytes.readUInt32LE(at);
      labels.push(labelBytes.subarray(at + 4, at + 4 + n).toString('utf8'));
      at += 4 + n;
    }
    expect(labels).toEqual(['b', 'b']);
    const probabilities = bytes.subarray(offset, offset + head.outputs[1]!.parameters.binary_data_size);
    expect(
      Array.from(new Float64Array(probabilities.buffer.slice(probabilities.byteOffset, probabilities.byteOffset + probabilities.length))),
    ).toEqual([0.25, 0.75, 0.25, 0.75]);
    const metadata = (await (await fetch(`${base}/v2`)).json()) as { extensions: string[] };
    expect(metadata.extensions).toEqual(['binary_tensor_data']);
  });

  test('a binary body whose sizes do not add up is a 400 with a JSON body; the server stays healthy', async () => {
    const { body, headerLength } = tritonBody();
    const response = await fetch(`${base}/v2/models/m/infer`, {
      method: 'POST',
      headers: { 'Inference-Header-Content-Length': String(headerLength) },
      body: body.subarray(0, body.length - 3),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^the body has 25 bytes after the JSON request; the inputs declare 28 /,
    );
    expect((await fetch(`${base}/v2/health/live`)).status).toBe(200);
  });
});
