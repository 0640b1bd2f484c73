/**
 * deploy's http target and canary strategy, proven from the deploy bundle against a
 * real `mlops serve` process on loopback (the built CLI) and the GitHub API emulator:
 * a direct deploy through the signed reload webhook, a canary promoted, and a canary
 * rolled back when the candidate fails live traffic. The rollback, a wrong secret and
 * the canary's wiring are proven in process in step-deploy.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUNDLES,
  cleanEnv,
  copyTrainedExample,
  hasStackTrace,
  removeTempDirs,
  runAction,
  runCli,
  EXAMPLE,
} from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { generateSigningKeyPair } from '../src/core/signing/sign.js';
const REPO = { owner: 'octo', repo: 'ml' };
const SECRET = 'canary-secret-0123456789';

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

let dir: string;
let emulator: GitHubEmulator;
let server: { url: string; child: ChildProcess; output: () => string };
let records: Array<Record<string, string>>;

/** Raw feature records from the test data, as a client would send them. */
function testRecords(): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(join(EXAMPLE, 'data', 'penguins-test.csv'), 'utf8')
    .trim()
    .split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])));
}

async function status(): Promise<{ stable: { version: number }; candidate: { version: number } | null; weight: number }> {
  const response = await fetch(`${server.url}/admin/status`, { headers: { authorization: `Bearer ${SECRET}` } });
  return (await response.json()) as { stable: { version: number }; candidate: { version: number } | null; weight: number };
}

/** Sends predictions one record at a time until stopped; counts answers by model version and status. */
function traffic(): { stop: () => Promise<Record<string, number>> } {
  let running = true;
  const counts: Record<string, number> = {};
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const response = await fetch(`${server.url}/v1/models/penguins:predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: [records[i % records.length]] }),
      });
      await response.arrayBuffer();
      const key = `v${response.headers.get('x-model-version')} ${response.status}`;
      counts[key] = (counts[key] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return counts;
    },
  };
}

const deploy = (inputs: Record<string, string>) =>
  runAction(BUNDLES.deploy, {
    cwd: dir,
    inputs: {
      config: 'mlops.yaml',
      environment: 'production',
      'deploy-target': 'http',
      url: server.url,
      secret: SECRET,
      token: 'write-token',
      ...inputs,
    },
    env: { GITHUB_API_URL: emulator.url, GITHUB_RUN_ID: '777', GITHUB_SERVER_URL: 'https://github.com' },
  });

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  records = testRecords();
  dir = await copyTrainedExample('mlops-deploy-serve-');
  // Every version is signed with the project's key, and production (deploy, and the server following it) trusts only it.
  const keys = generateSigningKeyPair();
  await mkdir(join(dir, 'keys'));
  await writeFile(join(dir, 'keys', 'mlops.key'), keys.privateKey);
  await writeFile(join(dir, 'keys', 'mlops.pub'), keys.publicKey);
  const config = await readFile(join(dir, 'mlops.yaml'), 'utf8');
  // The latency check compares two p99s of a few milliseconds measured on a shared machine: a busy
  // moment doubles one of them. Its limit is wide here (the comparison itself is tested in canary.test.ts),
  // so these tests turn on what they are about: errors, shares, promotion and rollback.
  const canary = `\nenvironments:\n  production:\n    canary:\n      max_p99_ratio: 1000\n`;
  await writeFile(
    join(dir, 'mlops.yaml'),
    `${config}${canary}\nsigning:\n  key: keys/mlops.key\n  verify:\n    public_keys: [keys/mlops.pub]\n`,
  );
  await writeFile(join(dir, 'mlops-unsigned.yaml'), `${config}\nsigning:\n  mode: off\n`);
  ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops.yaml' } })); // v1
  ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops.yaml' } })); // v2
  // v3: a model that passed its offline evaluation but fails live traffic: its card says
  // `island` is a number, so every request naming an island is refused.
  const broken = join(dir, 'broken-model');
  await cp(join(dir, '.mlops', 'train', 'model'), broken, { recursive: true });
  const card = JSON.parse(await readFile(join(broken, 'model-card.json'), 'utf8')) as {
    signature: { features: Array<{ name: string; type: string }> };
  };
  card.signature.features = card.signature.features.map((f) => (f.name === 'island' ? { ...f, type: 'number' } : f));
  await writeFile(join(broken, 'model-card.json'), JSON.stringify(card));
  ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops.yaml', 'model-dir': broken } })); // v3
  ok(await runCli(['registry', 'alias', 'penguins', 'production', '1', '--config', 'mlops.yaml'], { cwd: dir }));

  const child = spawn(
    process.execPath,
    [BUNDLES.cli, 'serve', '--config', 'mlops.yaml', '--alias', 'production', '--port', '0', '--poll', '0', '--admin-token', SECRET],
    { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
  });
  server = { url, child, output: () => output };
}, 240_000);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await emulator.close();
  await removeTempDirs();
});

describe('deploy to mlops serve (dist/deploy/index.js and dist/cli/index.js)', () => {
  test('direct: the signed reload swaps the server to v2, verified; the GitHub Deployment carries the environment URL', async () => {
    expect((await status()).stable.version).toBe(1);
    const result = ok(await deploy({ version: '2' }));
    expect(result.outputs).toMatchObject({ version: '2', 'rolled-back': 'false', 'environment-url': server.url });
    expect(result.stdout).toContain(`Verified: ${server.url} is ready and serves v2`);
    expect(result.stdout).toMatch(/penguins v2's signature verified: signed by the key [0-9a-f]{64}/);
    expect((await status()).stable.version).toBe(2);
    const deployment = emulator.deployments(REPO).at(-1)!;
    expect(deployment).toMatchObject({ environment: 'production', productionEnvironment: true });
    expect(deployment.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(deployment.statuses[1]).toMatchObject({ environmentUrl: server.url, logUrl: 'https://github.com/octo/ml/actions/runs/777' });
    emulator.assertClean();
  });

  test('canary promoted: v1 takes its share of live traffic, passes every check and becomes stable', async () => {
    const load = traffic();
    const result = await deploy({ version: '1', strategy: 'canary', 'canary-weight': '50', 'bake-time': '3' });
    const counts = await load.stop();
    ok(result);
    expect(result.outputs).toMatchObject({ version: '1', 'rolled-back': 'false' });
    expect(result.summary).toContain('### Canary checks');
    expect(result.summary).not.toContain('**fail**');
    expect(counts['v1 200']).toBeGreaterThan(20);
    expect(counts['v2 200']).toBeGreaterThan(20);
    expect(Object.keys(counts).every((k) => k.endsWith(' 200'))).toBe(true);
    expect(await status()).toMatchObject({ stable: { version: 1 }, candidate: null });
    expect(ok(await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: dir })).stdout).toMatch(/^v1 .*production/m);
  }, 120_000);

  test('canary rolled back: v3 fails live requests, is removed, and the server stays on v1', async () => {
    const load = traffic();
    const result = await deploy({ version: '3', strategy: 'canary', 'canary-weight': '50', 'bake-time': '3' });
    const counts = await load.stop();
    expect(result.code).not.toBe(0);
    expect(result.outputs).toMatchObject({ version: '1', 'rolled-back': 'true' });
    expect(result.stdout).toContain('The canary of penguins v3 failed its checks and was rolled back');
    expect(result.stdout).toMatch(/error rate: candidate error rate 100\.00 %/);
    expect(result.summary).toContain('**fail**');
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
    expect(counts['v3 400']).toBeGreaterThan(10);
    expect(await status()).toMatchObject({ stable: { version: 1 }, candidate: null });
    // Traffic after the rollback is all served by v1.
    const after = traffic();
    await new Promise((r) => setTimeout(r, 300));
    const afterCounts = await after.stop();
    expect(Object.keys(afterCounts)).toEqual(['v1 200']);
    expect(
      emulator
        .deployments(REPO)
        .at(-1)!
        .statuses.map((s) => s.state),
    ).toEqual(['in_progress', 'failure']);
    expect(ok(await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: dir })).stdout).toMatch(/^v1 .*production/m);
    emulator.assertClean();
  }, 120_000);

  test('an unsigned version is refused for production before anything moves: the server keeps serving v1', async () => {
    const unsigned = ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops-unsigned.yaml' } }));
    expect(unsigned.outputs).toMatchObject({ version: '4', signature: '' });
    const before = emulator.deployments(REPO).length;
    const result = await deploy({ version: '4' });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/::error::deploy: penguins v4 has no signature/);
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
    expect(emulator.deployments(REPO)).toHaveLength(before); // refused before a deployment was recorded
    expect((await status()).stable.version).toBe(1);
    // The server following production refuses it too, were the alias moved by hand.
    ok(await runCli(['registry', 'alias', 'penguins', 'production', '4', '--config', 'mlops.yaml'], { cwd: dir }));
    const reload = await fetch(`${server.url}/admin/reload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: '{}', // re-resolve the alias it follows
    });
    expect(reload.ok).toBe(false);
    expect(await reload.text()).toMatch(/penguins v4 has no signature/);
    expect((await status()).stable.version).toBe(1);
    ok(await runCli(['registry', 'alias', 'penguins', 'production', '1', '--config', 'mlops.yaml'], { cwd: dir }));
    emulator.assertClean();
  }, 60_000);
});
