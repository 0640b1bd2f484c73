/**
 * The alert relay: Alertmanager's webhook notifications (payload version "4", shaped as
 * its webhook_config documentation gives them) posted to a real relay server on loopback,
 * which sends repository_dispatch events through the REST adapter (Octokit) to the GitHub
 * emulator, itself checked against GitHub's OpenAPI description. Also: the emulator's
 * dispatch limits, the `mlops alert-relay` command in process, and the caller template
 * that the dispatch starts.
 */
import { afterAll, afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join, sep } from 'node:path';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { GitHubRestAdapter } from '../src/adapters/github/github-api.js';
import { addAlertRelayCommand } from '../src/commands/alert-relay.js';
import {
  AlertRelay,
  DEFAULT_ALERTNAMES,
  DEFAULT_COOLDOWN_MS,
  DEFAULT_EVENT_TYPE,
  DispatchLedger,
  buildClientPayload,
  dispatchProblems,
  formatDuration,
  parseDuration,
} from '../src/core/monitor/alert-relay.js';
import { parseAlertmanagerWebhook } from '../src/core/monitor/alertmanager.js';
import { AlertRelayServer } from '../src/core/monitor/relay-server.js';
import { GitHubApiError } from '../src/ports/github.js';
import { ROOT, makeTempDir, removeTempDirs, runCli } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { OciRegistry, registryUnavailable } from './support/oci-registry.js';
import { ResultsService } from './support/results-service.js';
import { runWorkflow } from './support/workflow-runner.js';

const REPO = { owner: 'octo', repo: 'ml' };
/** Distinctive tokens, so any leak into an answer or a log line is found. */
const GITHUB_TOKEN = 'ghs_relayTestToken4f1c9a0b7e2d6c5b';
const RELAY_TOKEN = 'relay-bearer-7c3e91a05b2f4d68';
/** As Alertmanager (0.25) keys a group of the retrain route of monitoring/alertmanager/alertmanager.yml (group_by: [job, model]). */
const GROUP_KEY =
  '{}/{alertname=~"MlopsServe(FeatureDrift|DatasetDrift|PredictionDrift|AccuracyLow|R2Low)"}:{job="mlops-serve", model="penguins"}';
const EXTERNAL_URL = 'http://alertmanager.example.org:9093';
const GENERATOR_URL = 'http://prometheus.example.org:9090/graph?g0.expr=mlops_feature_psi+%3E+0.25&g0.tab=1';

type Json = Record<string, unknown>;

/** One alert as Alertmanager sends it in a webhook notification. */
function alert(options: {
  alertname?: string;
  model?: string;
  version?: string;
  feature?: string;
  status?: 'firing' | 'resolved';
  startsAt?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}): Json {
  const alertname = options.alertname ?? 'MlopsServeFeatureDrift';
  const model = options.model ?? 'penguins';
  const labels: Record<string, string> = {
    alertname,
    model,
    version: options.version ?? '7',
    severity: 'warning',
    job: 'mlops-serve',
    instance: 'serve-0:8080',
    ...(options.feature ? { feature: options.feature } : {}),
    ...options.labels,
  };
  return {
    status: options.status ?? 'firing',
    labels,
    annotations: {
      summary: `${alertname}: ${options.feature ?? 'data'} of ${model} drifted`,
      description: 'PSI 0.31 over the last hour, above 0.25.',
      ...options.annotations,
    },
    startsAt: options.startsAt ?? '2026-11-30T03:12:45.123456789Z',
    endsAt: options.status === 'resolved' ? '2026-11-30T05:00:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: GENERATOR_URL,
    fingerprint: '1a30ba71cca2921f',
  };
}

/** A webhook notification (version 4) of a group of alerts, as Alertmanager posts it. */
function notification(alerts: Json[], overrides: Json = {}): Json {
  return {
    receiver: 'mlops-retrain',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: { job: 'mlops-serve', model: 'penguins' },
    commonLabels: { model: 'penguins', job: 'mlops-serve' },
    commonAnnotations: {},
    externalURL: EXTERNAL_URL,
    version: '4',
    groupKey: GROUP_KEY,
    truncatedAlerts: 0,
    ...overrides,
  };
}

/** Every answer body and log line of the whole file: checked for the tokens at the end. */
const transcript: string[] = [];

interface Relay {
  url: string;
  logs: string[];
  clock: { now: number };
  server: AlertRelayServer;
}

let emulator: GitHubEmulator;
const servers: AlertRelayServer[] = [];

beforeEach(async () => {
  emulator = await GitHubEmulator.start({ tokens: { [GITHUB_TOKEN]: 'write', 'read-only-token': 'read' } });
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await emulator.close();
});

afterAll(async () => {
  await removeTempDirs();
  // The tokens never left the relay: not in one answer, not in one log line.
  expect(transcript.length).toBeGreaterThan(0);
  for (const text of transcript) {
    expect(text).not.toContain(GITHUB_TOKEN);
    expect(text).not.toContain(RELAY_TOKEN);
  }
});

async function startRelay(
  options: {
    token?: string | null;
    githubToken?: string;
    cooldownMs?: number;
    dryRun?: boolean;
    ledger?: DispatchLedger;
    maxBodyBytes?: number;
    alertnames?: string[];
    matchers?: Record<string, string>;
  } = {},
): Promise<Relay> {
  const logs: string[] = [];
  const clock = { now: Date.parse('2026-11-30T03:15:00Z') };
  const githubToken = options.githubToken ?? GITHUB_TOKEN;
  const log = (line: string) => {
    logs.push(line);
    transcript.push(line);
  };
  const relay = new AlertRelay({
    github: options.dryRun ? null : new GitHubRestAdapter({ token: githubToken, baseUrl: emulator.url }),
    repo: REPO,
    eventType: DEFAULT_EVENT_TYPE,
    selector: { alertnames: options.alertnames ?? DEFAULT_ALERTNAMES, matchers: options.matchers ?? {} },
    cooldownMs: options.cooldownMs ?? DEFAULT_COOLDOWN_MS,
    ledger: options.ledger ?? DispatchLedger.inMemory(),
    now: () => clock.now,
    logger: log,
  });
  const server = new AlertRelayServer({
    relay,
    token: options.token === undefined ? RELAY_TOKEN : options.token,
    maxBodyBytes: options.maxBodyBytes,
    secrets: [githubToken],
    logger: log,
  });
  servers.push(server);
  const port = await server.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, logs, clock, server };
}

interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** POSTs to /alertmanager as Alertmanager does (JSON, with the bearer token unless told otherwise). */
async function post(
  relay: Relay,
  body: unknown,
  options: { authorization?: string | null; contentType?: string; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    'user-agent': 'Alertmanager/0.28.1',
  };
  const authorization = options.authorization === undefined ? `Bearer ${RELAY_TOKEN}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const response = await fetch(`${relay.url}/alertmanager`, { method: 'POST', headers, body: options.raw ?? JSON.stringify(body) });
  return answerOf(response);
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  transcript.push(text);
  expect(response.headers.get('content-type')).toBe('application/json');
  return { status: response.status, body: JSON.parse(text) as Json, headers: response.headers };
}

const dispatches = () => emulator.repositoryDispatches(REPO);

describe('a firing drift alert starts retraining', () => {
  test('one repository_dispatch with the event type and a payload of 10 properties naming the alert, model, version and features', async () => {
    const relay = await startRelay();
    const answer = await post(
      relay,
      notification([
        alert({ feature: 'island', startsAt: '2026-11-30T03:14:00Z' }),
        alert({ feature: 'bill_length_mm', startsAt: '2026-11-30T03:12:45.123456789Z' }),
        alert({ alertname: 'MlopsServePredictionDrift', startsAt: '2026-11-30T03:13:00Z', annotations: { features: 'sex, island' } }),
      ]),
    );
    expect(answer).toMatchObject({ status: 200, body: { dispatched: 1, skipped: [] } });
    expect(dispatches()).toHaveLength(1);
    const [sent] = dispatches();
    expect(sent).toMatchObject({ eventType: 'mlops-retrain', login: 'github-actions[bot]' });
    expect(sent!.clientPayload).toEqual({
      alertname: 'MlopsServeFeatureDrift', // the first to start
      alertnames: ['MlopsServeFeatureDrift', 'MlopsServePredictionDrift'],
      model: 'penguins',
      version: '7',
      features: ['bill_length_mm', 'island', 'sex'],
      startsAt: '2026-11-30T03:12:45.123456789Z',
      groupKey: GROUP_KEY,
      externalURL: EXTERNAL_URL,
      generatorURL: GENERATOR_URL,
      summary: 'MlopsServeFeatureDrift: bill_length_mm of penguins drifted',
    });
    expect(Object.keys(sent!.clientPayload)).toHaveLength(10);
    expect(
      relay.logs.some((l) =>
        /dispatched mlops-retrain to octo\/ml: MlopsServeFeatureDrift, MlopsServePredictionDrift \(model "penguins"\)/.test(l),
      ),
    ).toBe(true);
    emulator.assertClean();
  });

  test('alerts of two models in one group: one dispatch per model', async () => {
    const relay = await startRelay();
    const answer = await post(relay, notification([alert({ model: 'penguins' }), alert({ model: 'iris', version: '3' })]));
    expect(answer.body).toEqual({ dispatched: 2, skipped: [] });
    expect(dispatches().map((d) => [d.clientPayload.model, d.clientPayload.version])).toEqual([
      ['iris', '3'],
      ['penguins', '7'],
    ]);
    emulator.assertClean();
  });

  test('the same group again within the cooldown (Alertmanager repeats it every repeat_interval) is skipped; after it, it dispatches again', async () => {
    const relay = await startRelay();
    const body = notification([alert({ feature: 'island' })]);
    expect((await post(relay, body)).body).toEqual({ dispatched: 1, skipped: [] });
    relay.clock.now += 4 * 3600_000; // Alertmanager's default repeat_interval
    const repeat = await post(relay, body);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({
      dispatched: 0,
      skipped: ['MlopsServeFeatureDrift (model "penguins"): dispatched 4h ago for this alert group; cooldown 6h'],
    });
    expect(dispatches()).toHaveLength(1);
    relay.clock.now += 2 * 3600_000;
    expect((await post(relay, body)).body).toEqual({ dispatched: 1, skipped: [] });
    expect(dispatches()).toHaveLength(2);
    // Another group (another route or group_by value) is not held back by this one's cooldown.
    expect((await post(relay, notification([alert({})], { groupKey: '{}:{alertname="MlopsServeFeatureDrift"}' }))).body).toMatchObject({
      dispatched: 1,
    });
  });

  test('the same notification twice at once (a retry racing, or two Alertmanagers of a cluster): one dispatch', async () => {
    const relay = await startRelay();
    const body = notification([alert({})]);
    const answers = await Promise.all([post(relay, body), post(relay, body), post(relay, body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.dispatched).sort()).toEqual([0, 0, 1]);
    expect(dispatches()).toHaveLength(1);
  });

  test('with a state file, a restarted relay keeps the cooldown', async () => {
    const file = join(await makeTempDir('mlops-relay-'), 'state', 'relay.json');
    const first = await startRelay({ ledger: await DispatchLedger.open(file) });
    expect((await post(first, notification([alert({})]))).body).toMatchObject({ dispatched: 1 });
    const state = JSON.parse(await readFile(file, 'utf8')) as Json;
    expect(state).toEqual({ format: 'mlops-alert-relay-state/1', dispatched: { [`${GROUP_KEY}\npenguins`]: '2026-11-30T03:15:00.000Z' } });
    const restarted = await startRelay({ ledger: await DispatchLedger.open(file) });
    restarted.clock.now += 3600_000;
    expect((await post(restarted, notification([alert({})]))).body).toMatchObject({
      dispatched: 0,
      skipped: [expect.stringContaining('cooldown 6h')],
    });
    expect(dispatches()).toHaveLength(1);
  });
});

describe('what is acknowledged and not dispatched', () => {
  test('a resolved notification', async () => {
    const relay = await startRelay();
    const answer = await post(relay, notification([alert({ status: 'resolved' }), alert({ status: 'resolved', feature: 'island' })]));
    expect(answer).toMatchObject({
      status: 200,
      body: { dispatched: 0, skipped: ['resolved notification (2 alerts): acknowledged, nothing to retrain'] },
    });
    expect(dispatches()).toEqual([]);
  });

  test('an alert whose name is not selected, and a resolved alert inside a firing group', async () => {
    const relay = await startRelay();
    const answer = await post(
      relay,
      notification([alert({ alertname: 'MlopsServeLatencyHigh' }), alert({ status: 'resolved', feature: 'island' })], { status: 'firing' }),
    );
    expect(answer.body).toEqual({
      dispatched: 0,
      skipped: [
        'MlopsServeLatencyHigh (model "penguins"): alertname not selected for retraining',
        'MlopsServeFeatureDrift (model "penguins"): resolved',
      ],
    });
    expect(dispatches()).toEqual([]);
  });

  test('label matchers: only alerts carrying the labels are selected', async () => {
    const relay = await startRelay({ matchers: { severity: 'critical' } });
    const answer = await post(
      relay,
      notification([alert({}), alert({ alertname: 'MlopsServeAccuracyLow', labels: { severity: 'critical' } })]),
    );
    expect(answer.body).toEqual({
      dispatched: 1,
      skipped: ['MlopsServeFeatureDrift (model "penguins"): label severity is "warning", not "critical"'],
    });
    expect(dispatches()[0]!.clientPayload.alertname).toBe('MlopsServeAccuracyLow');
  });
});

describe('authentication', () => {
  test('a missing or wrong bearer token is a 401 and dispatches nothing; the right one passes', async () => {
    const relay = await startRelay();
    const body = notification([alert({})]);
    const missing = await post(relay, body, { authorization: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatch(/Authorization: Bearer/);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="mlops-alert-relay"');
    for (const authorization of [
      'Bearer not-the-token',
      `Basic ${Buffer.from(`x:${RELAY_TOKEN}`).toString('base64')}`,
      `Bearer ${RELAY_TOKEN}x`,
    ]) {
      const wrong = await post(relay, body, { authorization });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: 'the Authorization header does not carry the relay token' });
    }
    expect(dispatches()).toEqual([]);
    expect((await post(relay, body)).status).toBe(200);
    expect(dispatches()).toHaveLength(1);
  });

  test('without a relay token, no Authorization is needed', async () => {
    const relay = await startRelay({ token: null });
    expect((await post(relay, notification([alert({})]), { authorization: null })).body).toMatchObject({ dispatched: 1 });
  });
});

describe('bad requests get JSON errors that say what is wrong', () => {
  test('malformed JSON, not UTF-8, no body: 400', async () => {
    const relay = await startRelay();
    const broken = await post(relay, null, { raw: '{"version": "4", "alerts": [' });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatch(/^the body is not valid JSON: /);
    const latin1 = await fetch(`${relay.url}/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${RELAY_TOKEN}`, 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]),
    });
    expect(await answerOf(latin1)).toMatchObject({ status: 400, body: { error: 'the body is not valid UTF-8' } });
    expect((await post(relay, null, { raw: '' })).body).toEqual({
      error: "the request has no body: send Alertmanager's webhook notification (JSON)",
    });
  });

  test.each([
    ['an array', [], '(the body): expected an Alertmanager webhook notification (a JSON object), got an array'],
    ['another payload version', notification([alert({})], { version: '3' }), 'version: expected "4"'],
    ['no groupKey', notification([alert({})], { groupKey: undefined }), 'groupKey: missing (expected a string)'],
    ['alerts not an array', notification([], { alerts: { 0: alert({}) } }), 'alerts: expected an array of alerts, got an object'],
    ['an unknown status', notification([alert({})], { status: 'pending' }), 'status: expected "firing" or "resolved", got "pending"'],
    [
      'a label that is not a string',
      notification([alert({}), alert({ labels: { version: 7 as unknown as string } })]),
      'alerts[1].labels.version: expected a string, got a number (7)',
    ],
    ['an alert without labels', notification([{ ...alert({}), labels: undefined }]), 'alerts[0].labels: missing'],
    ['a negative truncatedAlerts', notification([alert({})], { truncatedAlerts: -1 }), 'truncatedAlerts: expected a whole number >= 0'],
  ])('%s: 400 naming the field', async (_, body, message) => {
    const relay = await startRelay();
    const answer = await post(relay, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(`not an Alertmanager webhook notification: ${message}`);
    expect(dispatches()).toEqual([]);
  });

  test('a body over the limit is a 413, whether Content-Length says so or the chunks pass it', async () => {
    const relay = await startRelay({ maxBodyBytes: 64 * 1024 });
    const big = notification(
      Array.from({ length: 400 }, (_, i) => alert({ feature: `f${i}`, annotations: { description: 'x'.repeat(200) } })),
    );
    const declared = await post(relay, big);
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatch(/over the limit of 65536 bytes/);
    // Chunked, without Content-Length: refused as soon as the bytes pass the limit.
    const chunked = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${relay.url}/alertmanager`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${RELAY_TOKEN}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      const chunk = JSON.stringify(big).slice(0, 16 * 1024);
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    transcript.push(chunked.text);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.text).error).toMatch(/over the limit/);
    expect(dispatches()).toEqual([]);
  });

  test('another content type is a 415, another method a 405, another path a 404', async () => {
    const relay = await startRelay();
    const form = await post(relay, notification([alert({})]), { contentType: 'application/x-www-form-urlencoded' });
    expect(form).toMatchObject({ status: 415, body: { error: expect.stringMatching(/send application\/json/) } });
    const get = await fetch(`${relay.url}/alertmanager`);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await answerOf(get)).toMatchObject({ status: 405 });
    expect(await answerOf(await fetch(`${relay.url}/api/v2/alerts`, { method: 'POST', body: '{}' }))).toMatchObject({
      status: 404,
      body: { error: expect.stringContaining('/alertmanager') },
    });
    expect(await answerOf(await fetch(`${relay.url}/healthz`))).toMatchObject({ status: 200, body: { ok: true } });
  });
});

describe('GitHub failures are 502s, so Alertmanager retries', () => {
  test('a 5xx from GitHub: 502 with the reason, nothing recorded, and the retry dispatches', async () => {
    const relay = await startRelay();
    emulator.failNext('repos/create-dispatch-event', { status: 502 });
    const body = notification([alert({})]);
    const failed = await post(relay, body);
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({
      error:
        'GitHub did not take the repository dispatch: MlopsServeFeatureDrift (model "penguins"): GitHub API POST /repos/octo/ml/dispatches failed (502): Server Error',
      dispatched: 0,
      skipped: [],
    });
    expect(dispatches()).toEqual([]);
    const retried = await post(relay, body);
    expect(retried.body).toEqual({ dispatched: 1, skipped: [] });
    expect(dispatches()).toHaveLength(1);
    emulator.assertClean();
  });

  test("a 422 from GitHub (the endpoint's documented refusal): 502 with GitHub's words", async () => {
    const relay = await startRelay();
    emulator.failNext('repos/create-dispatch-event', {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'Dispatch', code: 'custom', message: 'the endpoint has been spammed' }],
        documentation_url: 'https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event',
      },
    });
    const answer = await post(relay, notification([alert({})]));
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatch(/failed \(422\): Validation Failed: the endpoint has been spammed$/);
    emulator.assertClean();
  });

  test('a token GitHub refuses (401) or that may only read (403): 502, the token itself never shown', async () => {
    const refused = await startRelay({ githubToken: 'ghs_notAcceptedToken0000000000' });
    const unauthorized = await post(refused, notification([alert({})]));
    expect(unauthorized.status).toBe(502);
    expect(unauthorized.body.error).toMatch(/failed \(401\): Bad credentials/);
    expect(JSON.stringify(unauthorized.body)).not.toContain('ghs_notAcceptedToken');
    expect(refused.logs.join('\n')).not.toContain('ghs_notAcceptedToken');
    const readOnly = await startRelay({ githubToken: 'read-only-token' });
    expect((await post(readOnly, notification([alert({})]))).body.error).toMatch(/failed \(403\): Resource not accessible by integration/);
  });

  test('a GitHub answer that quotes the token is redacted in the answer and the log', async () => {
    const relay = await startRelay();
    emulator.failNext('repos/create-dispatch-event', { status: 503, body: { message: `upstream refused token ${GITHUB_TOKEN}` } });
    const answer = await post(relay, notification([alert({})]));
    expect(answer.status).toBe(502);
    expect(answer.body.error).toContain('upstream refused token [redacted]');
    expect(relay.logs.some((l) => l.includes('[redacted]'))).toBe(true);
  });
});

describe('hostile label values are data', () => {
  test('quotes, newlines, braces and __proto__ pass through to the payload unchanged, and pollute nothing', async () => {
    const relay = await startRelay();
    const model = 'pen"guins\n{{ github.token }}';
    const raw = JSON.stringify(
      notification([
        alert({ model, version: "7'; rm -rf /", feature: '__proto__', labels: { constructor: 'x' } }),
        alert({ model, feature: 'island\r\nX-Injected: 1' }),
      ]),
    ).replace('"labels":{', '"labels":{"__proto__":{"polluted":"yes"},'); // JSON.parse keeps it as an own key
    const answer = await post(relay, null, { raw });
    expect(answer.status).toBe(400); // a label value must be a string: the object is refused, not merged
    expect(answer.body.error).toContain('alerts[0].labels.__proto__: expected a string, got an object');

    const asText = raw.replace('"__proto__":{"polluted":"yes"}', '"__proto__":"yes"');
    const accepted = await post(relay, null, { raw: asText });
    expect(accepted.body).toEqual({ dispatched: 1, skipped: [] });
    const payload = dispatches()[0]!.clientPayload;
    expect(payload.model).toBe(model);
    expect(payload.version).toBe("7'; rm -rf /");
    expect(payload.features).toEqual(['__proto__', 'island\r\nX-Injected: 1']);
    expect(({} as Json).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    // One notification, one line each: a newline in a label cannot forge a log line.
    for (const line of relay.logs) expect(line).not.toMatch(/[\r\n]/);
    emulator.assertClean();
  });

  test('a label named __proto__ is a label: parsed as an own property, matched like any other', () => {
    const webhook = parseAlertmanagerWebhook(
      JSON.parse(JSON.stringify(notification([alert({})])).replace('"labels":{', '"labels":{"__proto__":"p",')),
    );
    const labels = webhook.alerts[0]!.labels;
    expect(Object.hasOwn(labels, '__proto__')).toBe(true);
    expect(labels['__proto__' as keyof typeof labels]).toBe('p');
    expect(Object.getPrototypeOf(labels)).toBeNull();
  });

  test('huge label values and many features are cut so the payload stays within 10 properties and under 64 KB', async () => {
    const relay = await startRelay({ maxBodyBytes: 16 * 1024 * 1024 });
    const hostile = '\u0001'.repeat(5000); // six bytes of JSON each
    const alerts = Array.from({ length: 30 }, (_, i) => ({
      ...alert({
        feature: `${hostile}${i}`,
        labels: { alertname: 'MlopsServeDatasetDrift', model: hostile, version: hostile },
        annotations: { summary: hostile },
      }),
      generatorURL: hostile,
    }));
    const answer = await post(relay, notification(alerts, { groupKey: hostile, externalURL: hostile }));
    expect(answer.body).toEqual({ dispatched: 1, skipped: [] });
    const payload = dispatches()[0]!.clientPayload;
    expect(Object.keys(payload)).toHaveLength(10);
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(64 * 1024);
    expect((payload.features as string[]).length).toBe(20);
    expect((payload.model as string).length).toBe(100); // at full caps (200) the JSON would pass 60 KB: halved
    expect(payload.model).toBe(`${'\u0001'.repeat((payload.model as string).length - 1)}…`);
    emulator.assertClean();
  });
});

describe("the emulator refuses dispatches as GitHub does (repos/create-dispatch-event's limits)", () => {
  test('a valid dispatch is recorded; over 10 properties, a long event type or a large payload are 422s, not violations', async () => {
    const github = new GitHubRestAdapter({ token: GITHUB_TOKEN, baseUrl: emulator.url });
    await github.repositoryDispatch(REPO, 'mlops-retrain', { model: 'penguins' });
    expect(dispatches()).toEqual([expect.objectContaining({ eventType: 'mlops-retrain', clientPayload: { model: 'penguins' } })]);

    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}`, i]));
    const refusals = [
      [() => github.repositoryDispatch(REPO, 'mlops-retrain', eleven), 'No more than 10 properties are allowed; 11 were supplied.'],
      [() => github.repositoryDispatch(REPO, 'x'.repeat(101), {}), 'is too long (maximum is 100 characters)'],
      [() => github.repositoryDispatch(REPO, '', {}), 'is too short'],
      [() => github.repositoryDispatch(REPO, 'mlops-retrain', { big: 'x'.repeat(70_000) }), 'client_payload is too large'],
    ] as const;
    for (const [call, message] of refusals) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GitHubApiError);
      expect((error as GitHubApiError).status).toBe(422);
      expect((error as GitHubApiError).message).toContain(message);
    }
    expect(dispatches()).toHaveLength(1);
    emulator.assertClean();
  });

  test('dispatchProblems checks the same limits before sending', () => {
    expect(dispatchProblems('mlops-retrain', { a: 1 })).toEqual([]);
    expect(dispatchProblems('x'.repeat(101), Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}`, i])))).toEqual([
      'the event type must be 1 to 100 characters (it has 101)',
      'client_payload has 11 top-level properties; GitHub allows 10',
    ]);
  });
});

describe('pure parts', () => {
  test('durations as Alertmanager writes them', () => {
    expect(parseDuration('6h')).toBe(6 * 3600_000);
    expect(parseDuration('1h30m')).toBe(5400_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('6 hours')).toBeNull();
    expect(parseDuration('')).toBeNull();
    expect(formatDuration(DEFAULT_COOLDOWN_MS)).toBe('6h');
    expect(formatDuration(5400_000 + 5000)).toBe('1h30m5s');
  });

  test('the payload of one alert without model, version or features', () => {
    const webhook = parseAlertmanagerWebhook(
      notification([alert({ alertname: 'MlopsServeDatasetDrift', labels: { model: '', version: '' } })]),
    );
    expect(buildClientPayload(webhook, webhook.alerts)).toMatchObject({
      alertname: 'MlopsServeDatasetDrift',
      model: '',
      version: '',
      features: [],
    });
  });
});

describe('mlops alert-relay (the command, in process)', () => {
  const env = { RELAY_TEST_TOKEN: RELAY_TOKEN, RELAY_TEST_GITHUB_TOKEN: GITHUB_TOKEN };

  /** Runs the command until SIGTERM; returns what it printed. */
  async function withCommand(args: string[], use: (url: string) => Promise<void>): Promise<{ stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    });
    Object.assign(process.env, env);
    try {
      const program = new Command('mlops').exitOverride();
      addAlertRelayCommand(program);
      const running = program.parseAsync(['node', 'mlops', 'alert-relay', '--port', '0', ...args]);
      let url: string | undefined;
      for (let i = 0; i < 200 && !url; i++) {
        url = /listening on (http:\/\/127\.0\.0\.1:\d+)\/alertmanager/.exec(out.join(''))?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 10));
      }
      if (!url) throw new Error(`the relay did not start:\n${out.join('')}${err.join('')}`);
      await use(url);
      process.emit('SIGTERM', 'SIGTERM');
      await running;
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      for (const name of Object.keys(env)) delete process.env[name];
    }
    transcript.push(out.join(''), err.join(''));
    return { stdout: out.join(''), stderr: err.join('') };
  }

  const postTo = async (url: string, body: unknown) =>
    answerOf(
      await fetch(`${url}/alertmanager`, {
        method: 'POST',
        headers: { authorization: `Bearer ${RELAY_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );

  test('dispatches with the GitHub token from the environment; logs name no token', async () => {
    const printed = await withCommand(
      [
        '--repo',
        'octo/ml',
        '--api-url',
        emulator.url,
        '--token-env',
        'RELAY_TEST_TOKEN',
        '--github-token-env',
        'RELAY_TEST_GITHUB_TOKEN',
        '--alert',
        'MlopsServeAccuracyLow',
      ],
      async (url) => {
        expect((await postTo(url, notification([alert({ alertname: 'MlopsServeAccuracyLow' })]))).body).toEqual({
          dispatched: 1,
          skipped: [],
        });
        expect((await postTo(url, notification([alert({})]))).body).toMatchObject({ dispatched: 0 });
      },
    );
    expect(printed.stdout).toMatch(/dispatching mlops-retrain to octo\/ml for MlopsServeAccuracyLow; cooldown 6h; bearer token required/);
    expect(printed.stderr).toMatch(/dispatched mlops-retrain to octo\/ml: MlopsServeAccuracyLow \(model "penguins"\)/);
    expect(printed.stderr).toMatch(/POST \/alertmanager 200 group .*: dispatched 1, skipped 0/);
    expect(dispatches()).toHaveLength(1);
    emulator.assertClean();
  });

  test('--dry-run prints the dispatch it would send and sends nothing', async () => {
    const printed = await withCommand(
      ['--repo', 'octo/ml', '--api-url', emulator.url, '--token-env', 'RELAY_TEST_TOKEN', '--dry-run'],
      async (url) => {
        expect((await postTo(url, notification([alert({ feature: 'island' })]))).body).toEqual({
          dispatched: 1,
          skipped: [],
          dryRun: true,
        });
      },
    );
    const line = printed.stdout.split('\n').find((l) => l.startsWith('dry run: POST /repos/octo/ml/dispatches '))!;
    expect(JSON.parse(line.slice('dry run: POST /repos/octo/ml/dispatches '.length))).toMatchObject({
      event_type: 'mlops-retrain',
      client_payload: { alertname: 'MlopsServeFeatureDrift', model: 'penguins', features: ['island'] },
    });
    expect(dispatches()).toEqual([]);
    expect(emulator.requests).toEqual([]);
  });

  test('a missing GitHub token is a clear error naming the variable, not its value', async () => {
    const program = new Command('mlops').exitOverride();
    addAlertRelayCommand(program);
    await expect(
      program.parseAsync(['node', 'mlops', 'alert-relay', '--repo', 'octo/ml', '--github-token-env', 'RELAY_TEST_UNSET']),
    ).rejects.toThrow('--github-token-env: the environment variable RELAY_TEST_UNSET is not set or empty');
  });
});

describe('the caller template workflows/nightly.yml', () => {
  /** Evaluates a workflow expression (`${{ ... }}`) with GitHub's expression library. */
  function evaluate(text: string, contexts: Json): unknown {
    const expression = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)![1]!;
    const tree = new Parser(new Lexer(expression).lex().tokens, Object.keys(contexts), []).parse();
    const context = new data.Dictionary(
      ...Object.entries(contexts).map(([key, value]) => ({
        key,
        value: JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData,
      })),
    );
    const result = new Evaluator(tree, context, new Map()).evaluate();
    return result.kind === data.Kind.Boolean ? (result as data.BooleanData).value : result.coerceString();
  }

  test('listens for the relay event type; a relayed alert retrains, the schedule only on drift, by hand when forced', async () => {
    const workflow = parseYaml(await readFile(join(ROOT, 'workflows', 'nightly.yml'), 'utf8')) as {
      'run-name': string;
      on: { repository_dispatch: { types: string[] } };
      jobs: { mlops: { with: { force: string } } };
    };
    expect(workflow.on.repository_dispatch.types).toEqual([DEFAULT_EVENT_TYPE]);
    const force = workflow.jobs.mlops.with.force;
    const payload = { alertname: 'MlopsServeFeatureDrift', model: 'penguins' };
    expect(evaluate(force, { github: { event_name: 'repository_dispatch', event: { client_payload: payload } }, inputs: {} })).toBe(true);
    expect(evaluate(force, { github: { event_name: 'schedule', event: {} }, inputs: {} })).toBe(false);
    expect(evaluate(force, { github: { event_name: 'workflow_dispatch', event: {} }, inputs: { force: true } })).toBe(true);
    expect(evaluate(force, { github: { event_name: 'workflow_dispatch', event: {} }, inputs: { force: false } })).toBe(false);
    const runName = workflow['run-name'];
    expect(evaluate(runName, { github: { event_name: 'repository_dispatch', event: { client_payload: payload } }, inputs: {} })).toBe(
      'mlops-nightly: MlopsServeFeatureDrift for penguins',
    );
    expect(evaluate(runName, { github: { event_name: 'schedule', event: {} }, inputs: {} })).toBe('mlops-nightly');
  });
});

const unavailable = registryUnavailable();
(unavailable ? describe.skip : describe)(
  `from alert to retraining: the relay's dispatch runs workflows/nightly.yml, which retrains though the repository's data has not drifted${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    test('drift check (no drift), retrain, staging, production waiting for approval', async () => {
      const oci = (await OciRegistry.start())!;
      const results = await ResultsService.start();
      try {
        // The model in production and staging, registered from the command line; production data like the training data.
        const workspace = await makeTempDir('mlops-relay-nightly-');
        await cp(join(ROOT, 'examples', 'penguins'), workspace, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
        // The retraining trains as many epochs as the model in production (40, not the example's 200): what is
        // checked here is that the dispatch retrains, not how well the network fits.
        const config = (await readFile(join(workspace, 'mlops.yaml'), 'utf8'))
          .replace('current: data/penguins-production.csv', 'current: data/penguins-production-ok.csv')
          .replace(/^ {2}epochs: 200$/m, '  epochs: 40');
        expect(config).toMatch(/^ {2}epochs: 40$/m);
        await writeFile(join(workspace, 'mlops.yaml'), `${config}registry:\n  url: oci://${oci.host}/relay\n  insecure: true\n`);
        for (const args of [
          ['train', '--config', 'mlops.yaml', '--epochs', '40'],
          ['evaluate', '--config', 'mlops.yaml'],
          ['register', '--config', 'mlops.yaml'],
          ['deploy', '--config', 'mlops.yaml', '--environment', 'staging', '--version', '1'],
          ['deploy', '--config', 'mlops.yaml', '--environment', 'production', '--version', '1'],
        ]) {
          const step = await runCli(args, { cwd: workspace });
          if (step.code !== 0) throw new Error(`mlops ${args.join(' ')}: ${step.stderr}`);
        }
        await rm(join(workspace, '.mlops'), { recursive: true, force: true }); // a checkout has no local outputs

        const relay = await startRelay();
        expect((await post(relay, notification([alert({ feature: 'island' })]))).body).toEqual({ dispatched: 1, skipped: [] });
        const [sent] = dispatches();

        const result = await runWorkflow({
          workflow: join(ROOT, 'workflows', 'nightly.yml'),
          workspace,
          jobWorkspaces: await makeTempDir('mlops-relay-jobs-'),
          eventName: 'repository_dispatch',
          event: {
            action: sent!.eventType,
            branch: 'main',
            client_payload: sent!.clientPayload,
            repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
          },
          ref: 'refs/heads/main',
          sha: 'e'.repeat(40),
          runId: 6101,
          apiUrl: emulator.url,
          tokens: { write: GITHUB_TOKEN, read: 'read-only-token' },
          results,
          protectedEnvironments: ['production'],
        });
        const statuses = Object.fromEntries(Object.values(result.jobs).map((j) => [j.id, j.status]));
        if (statuses['mlops / retrain'] !== 'success') {
          throw new Error(
            JSON.stringify(Object.values(result.jobs).map((j) => [j.id, j.status, j.reason, j.steps.map((st) => st.stderr.slice(-1500))])),
          );
        }
        expect(statuses).toEqual({
          'mlops / drift': 'success',
          'mlops / train': 'success',
          'mlops / evaluate': 'success',
          'mlops / retrain': 'success',
          'mlops / staging': 'success',
          'mlops / production': 'waiting',
          mlops: 'waiting',
        });
        expect(result.jobs.mlops!.outputs).toMatchObject({ drifted: 'false', version: '2' });
        expect(emulator.issuesOf(REPO)).toEqual([]); // no drift, no drift issue
        emulator.assertClean();
      } finally {
        await results.stop();
        await oci.stop();
      }
    }, 300_000);
  },
);

/** The Alertmanager binary (Debian's prometheus-alertmanager, or upstream's alertmanager), or null. */
function alertmanagerBinary(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['prometheus-alertmanager', 'alertmanager']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const binary = alertmanagerBinary();
if (!binary && process.env.CI === 'true') throw new Error("Alertmanager is missing on CI: install Debian's prometheus-alertmanager");
(binary ? describe : describe.skip)(
  `a real Alertmanager with monitoring/alertmanager/alertmanager.yml delivers to the relay${binary ? '' : ' (skipped: prometheus-alertmanager is not installed; apt-get install prometheus-alertmanager)'}`,
  () => {
    test('a drift alert is routed to the relay with the bearer token from credentials_file and dispatched; another alert is not', async () => {
      const relay = await startRelay();
      const dir = await makeTempDir('mlops-alertmanager-');
      await writeFile(join(dir, 'token'), `${RELAY_TOKEN}\n`, { mode: 0o600 });
      // The drop-in file as shipped, with the relay's address, the token file, and short waits for a test.
      const config = parseYaml(await readFile(join(ROOT, 'monitoring', 'alertmanager', 'alertmanager.yml'), 'utf8')) as {
        route: { group_wait: string; routes: Array<{ receiver: string; group_wait?: string }> };
        receivers: Array<{
          name: string;
          webhook_configs?: Array<{ url: string; http_config: { authorization: { credentials_file: string } } }>;
        }>;
      };
      config.route.group_wait = '1s';
      for (const route of config.route.routes) if (route.receiver === 'mlops-retrain') route.group_wait = '1s';
      const webhook = config.receivers.find((r) => r.name === 'mlops-retrain')!.webhook_configs![0]!;
      webhook.url = `${relay.url}/alertmanager`;
      webhook.http_config.authorization.credentials_file = join(dir, 'token');
      await writeFile(join(dir, 'alertmanager.yml'), JSON.stringify(config));
      const port = await freePort();
      const am = spawn(
        binary!,
        [
          `--config.file=${join(dir, 'alertmanager.yml')}`,
          `--storage.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--cluster.listen-address=',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      am.stdout.on('data', (c: Buffer) => (output += c.toString()));
      am.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<void>((resolve) => am.once('exit', () => resolve()));
      try {
        const api = `http://127.0.0.1:${port}`;
        await until('Alertmanager to be ready', async () => {
          if (am.exitCode !== null) throw new Error(`Alertmanager exited:\n${output}`);
          return (await fetch(`${api}/-/ready`).catch(() => null))?.ok ? true : undefined;
        });
        const startsAt = new Date(Date.now() - 60_000).toISOString();
        const labels = { job: 'mlops-serve', instance: 'serve-0:8080', model: 'penguins', version: '7', severity: 'warning' };
        const posted = await fetch(`${api}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([
            {
              labels: { ...labels, alertname: 'MlopsServeFeatureDrift', feature: 'island' },
              annotations: { summary: 'mlops-serve version 7: feature island drifted' },
              startsAt,
              generatorURL: GENERATOR_URL,
            },
            { labels: { ...labels, alertname: 'MlopsServeLatencyHigh', severity: 'critical' }, annotations: {}, startsAt },
          ]),
        });
        expect(posted.status).toBe(200);
        const [sent] = await until('the dispatch', () => (dispatches().length > 0 ? dispatches() : undefined));
        expect(sent!.eventType).toBe('mlops-retrain');
        expect(sent!.clientPayload).toMatchObject({
          alertname: 'MlopsServeFeatureDrift',
          alertnames: ['MlopsServeFeatureDrift'],
          model: 'penguins',
          version: '7',
          features: ['island'],
          generatorURL: GENERATOR_URL,
          summary: 'mlops-serve version 7: feature island drifted',
        });
        expect(sent!.clientPayload.groupKey).toBe(GROUP_KEY);
        expect(Date.parse(sent!.clientPayload.startsAt as string)).toBe(Date.parse(startsAt));
        expect(relay.logs.some((l) => l.startsWith('POST /alertmanager 200 group'))).toBe(true);
        expect(relay.logs.join('\n')).not.toContain('MlopsServeLatencyHigh'); // routed to people only
        expect(dispatches()).toHaveLength(1);
        emulator.assertClean();
      } finally {
        am.kill('SIGTERM');
        await exited;
      }
    }, 60_000);
  },
);
