/**
 * deploy in process, on a project with a local registry holding v1 and v2 (blessed)
 * and v3 (registered without a blessing): the registry, command and http targets,
 * refusal of unblessed versions, rollback (asked for, and after a failed deploy),
 * protected environments, the environments section checked at load, GitHub's
 * environment names, the environment of user commands, and the GitHub Deployment it
 * records, against the GitHub API emulator (requests and responses checked against
 * GitHub's OpenAPI description).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildContext } from '../src/adapters/context.js';
import { BLESSING_FORMAT } from '../src/core/contracts/index.js';
import type { Blessing } from '../src/core/contracts/index.js';
import { UserError } from '../src/core/errors.js';
import type { Registry } from '../src/ports/registry.js';
import { deploy } from '../src/steps/deploy.js';
import { PROJECT_CONFIG } from '../src/steps/index.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
import { RecordingIO, runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';

const REPO = { owner: 'octo', repo: 'ml' };
/** The test versions are not signed: for tests about something else, production is left unverified. */
const UNVERIFIED = 'signing:\n  verify:\n    required: false\n';
const SHA = 'a'.repeat(40);

let emulator: GitHubEmulator;

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
});

afterAll(async () => {
  await emulator.close();
  await removeTempDirs();
});

function blessing(blessed: boolean): Blessing {
  return {
    format: BLESSING_FORMAT,
    blessed,
    reasons: blessed ? [] : ['accuracy 0.5 is below 0.9'],
    checks: [],
    model: { name: 'penguins', source: 'model' },
    metrics: { accuracy: blessed ? 0.95 : 0.5 },
    baseline: null,
    evaluatedAt: '2026-12-01T00:00:00.000Z',
  };
}

/** The registry of a project, as the step opens it. */
async function registryOf(dir: string): Promise<Registry> {
  const ctx = await buildContext({ io: new RecordingIO({}), env: {}, cwd: dir, configSchema: PROJECT_CONFIG, configPath: '' });
  return ctx.registry();
}

/** A project (mlops.yaml with `yaml` added) whose registry holds v1 and v2 (blessed) and v3 (no blessing). */
async function project(yaml = ''): Promise<{ dir: string; registry: Registry }> {
  const dir = await makeTempDir('mlops-step-deploy-');
  const base = 'version: 1\nmodel:\n  name: penguins\n';
  await writeFile(join(dir, 'mlops.yaml'), base);
  const registry = await registryOf(dir);
  for (const [version, metadata] of [
    [1, { card: null, blessing: blessing(true) }],
    [2, { card: null, blessing: blessing(true) }],
    [3, { card: null, blessing: null }],
  ] as const) {
    const model = join(dir, `model-${version}`);
    await mkdir(model, { recursive: true });
    await writeFile(join(model, 'model.json'), JSON.stringify({ trained: version }));
    expect((await registry.register('penguins', model, metadata)).version).toBe(version);
  }
  // Written after the versions are registered: some tests give settings that do not load.
  await writeFile(join(dir, 'mlops.yaml'), base + yaml);
  return { dir, registry };
}

/** Runs deploy in `dir` (locally unless `github` is given: then as on a runner, against the emulator). */
function run(
  dir: string,
  inputs: Record<string, string>,
  options: { github?: { token: string }; env?: Record<string, string> } = {},
): Promise<InProcessResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env };
  if (options.github)
    Object.assign(env, { GITHUB_API_URL: emulator.url, GITHUB_REPOSITORY: 'octo/ml', GITHUB_SHA: SHA, GITHUB_RUN_ID: '777' });
  return runStepInProcess(deploy, {
    cwd: dir,
    inputs: { ...inputs, ...(options.github ? { token: options.github.token } : {}) },
    env,
    onGitHub: options.github !== undefined,
  });
}

function ok(result: InProcessResult): InProcessResult {
  if (result.failed) throw new Error(`deploy failed: ${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
}

/** What the step failed with: its thrown error's message and hint, or what it failed the step with. */
function failure(result: InProcessResult): string {
  expect(result.failed).toBe(true);
  if (result.error) return result.error instanceof UserError ? result.error.describe() : result.error.message;
  return result.io.failed!;
}

async function aliasesOf(registry: Registry): Promise<Record<string, number>> {
  return registry.aliases('penguins');
}

describe('registry target', () => {
  let dir: string;
  let registry: Registry;
  beforeAll(async () => {
    ({ dir, registry } = await project());
  });

  test('deploys v1 to staging: the alias moves and a GitHub Deployment goes in_progress then success', async () => {
    const before = emulator.deployments(REPO).length;
    const result = ok(await run(dir, { environment: 'staging', version: '1' }, { github: { token: 'write-token' } }));
    expect(result.outputs).toMatchObject({ version: '1', 'rolled-back': 'false', 'environment-url': '' });
    expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await aliasesOf(registry)).staging).toBe(1);
    const deployments = emulator.deployments(REPO).slice(before);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({
      environment: 'staging',
      autoMerge: false,
      requiredContexts: [],
      sha: SHA,
      productionEnvironment: false,
    });
    expect(deployments[0]!.payload).toMatchObject({ model: 'penguins', version: 1, digest: result.outputs.digest, rollback: false });
    expect(deployments[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(deployments[0]!.statuses[1]).toMatchObject({ logUrl: 'https://github.com/octo/ml/actions/runs/777' });
    expect(result.outputs['deployment-id']).toBe(String(deployments[0]!.id));
    expect(result.io.summary).toContain('## Deployed: penguins v1 to staging');
    expect(result.io.summary).toContain('| Blessed | yes |');
    emulator.assertClean();
  });

  test('the newest version is the default; an unblessed one is refused unless forced', async () => {
    const refused = await run(dir, { environment: 'staging' });
    expect(refused.error).toBeInstanceOf(UserError);
    expect(failure(refused)).toContain('penguins v3 is not evaluated (registered without a blessing): deploy refuses it');
    expect(failure(refused)).toContain('force: true');
    expect((await aliasesOf(registry)).staging).toBe(1);

    const forced = ok(await run(dir, { environment: 'staging', force: 'true' }));
    expect(forced.outputs.version).toBe('3');
    expect(forced.io.summary).toContain('| Blessed | no |');
  });

  test('rollback puts the environment back on the version before its current one', async () => {
    ok(await run(dir, { environment: 'staging', version: '2' }));
    const back = ok(await run(dir, { environment: 'staging', rollback: 'true' }));
    expect(back.outputs).toMatchObject({ version: '3', 'rolled-back': 'true' });
    expect(back.io.log).toContain('Rolling staging back from v2 to v3.');
    const again = ok(await run(dir, { environment: 'staging', rollback: 'true' }));
    expect(again.outputs.version).toBe('2');
    expect((await registry.aliasHistory('penguins', 'staging')).map((e) => e.version)).toEqual([1, 3, 2, 3, 2]);
  });

  test('a version whose stored bytes no longer match their digests is refused before anything moves', async () => {
    const own = await project();
    const v2 = await own.registry.resolve('penguins', '2');
    const blob = join(own.dir, '.mlops', 'registry', 'blobs', 'sha256', v2.files[0]!.digest.slice('sha256:'.length));
    await writeFile(blob, '{"trained": "something else"}');
    const result = await run(own.dir, { environment: 'production', version: '2', approve: 'true' });
    expect(failure(result)).toMatch(/^model\.json of penguins v2 is corrupt in the registry: expected sha256:/);
    expect((await aliasesOf(own.registry)).production).toBeUndefined();
    // The untouched version deploys, verified.
    const fine = ok(await run(own.dir, { environment: 'production', version: '1', approve: 'true' }));
    expect(fine.io.log).toContain('Verified penguins v1: its 1 files match their digests.');
  });

  test('rollback of an environment with no history is a clear error', async () => {
    const result = await run(dir, { environment: 'qa', rollback: 'true' });
    expect(failure(result)).toContain('environment qa of penguins has no earlier version to roll back to');
    expect((await aliasesOf(registry)).qa).toBeUndefined();
  });

  test('a read-only token: the deploy still happens, with a warning naming deployments: write', async () => {
    const result = ok(await run(dir, { environment: 'dev', version: '1' }, { github: { token: 'read-token' } }));
    expect(result.outputs.version).toBe('1');
    expect(result.outputs['deployment-id']).toBe('');
    expect(result.io.warnings().some((w) => w.includes('deployments: write'))).toBe(true);
    expect((await aliasesOf(registry)).dev).toBe(1);
    emulator.assertClean();
  });

  test('github-deployment false, or a local run: no GitHub Deployment', async () => {
    const before = emulator.deployments(REPO).length;
    ok(await run(dir, { environment: 'dev', version: '2', 'github-deployment': 'false' }, { github: { token: 'write-token' } }));
    ok(await run(dir, { environment: 'dev', version: '1' }, { env: { GITHUB_API_URL: emulator.url, GITHUB_TOKEN: 'write-token' } }));
    expect(emulator.deployments(REPO)).toHaveLength(before);
  });

  test('bad inputs: each is refused before anything moves, naming what to fix', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'input environment: which environment?'],
      [{ environment: 'prod<script>' }, 'is not allowed'],
      [{ environment: ' -staging' }, 'is not allowed'],
      [{ environment: 'staging', version: '99' }, '99'],
      [{ environment: 'staging', 'deploy-target': 'http' }, 'input url: the http target needs the serving endpoint'],
      [{ environment: 'staging', 'deploy-target': 'ftp' }, 'input deploy-target: "ftp" (input) is not one of registry, http, command'],
      [{ environment: 'staging', 'deploy-target': 'command' }, 'input command: the command target needs a deploy command'],
      [{ environment: 'staging', strategy: 'canary' }, 'canary needs the http target'],
      [
        { environment: 'staging', 'deploy-target': 'http', url: 'ftp://example.com' },
        'input url: "ftp://example.com" is not an http(s) URL',
      ],
      [
        { environment: 'staging', 'deploy-target': 'http', url: 'http://127.0.0.1:9', strategy: 'canary', 'canary-weight': '0' },
        'input canary-weight: 0 (input) is below 1',
      ],
      [
        { environment: 'staging', 'deploy-target': 'http', url: 'http://127.0.0.1:9', strategy: 'canary', 'bake-time': 'soon' },
        'input bake-time: "soon" (input) is not a number',
      ],
      [{ environment: 'staging', rollback: 'yes' }, 'input rollback: "yes" (input) is not true or false'],
      [{ environment: 'staging', 'deploy-target': 'command', command: 'true', 'command-env': 'GITHUB TOKEN' }, 'input command-env'],
      [{ environment: 'staging', model: 'Penguins' }, 'model name "Penguins" is not allowed'],
    ];
    const before = await aliasesOf(registry);
    for (const [inputs, message] of cases) {
      const result = await run(dir, inputs);
      expect(result.error).toBeInstanceOf(UserError);
      expect(failure(result)).toContain(message);
    }
    expect(await aliasesOf(registry)).toEqual(before);
  });
});

describe('command target', () => {
  let dir: string;
  let registry: Registry;
  beforeAll(async () => {
    ({ dir, registry } = await project());
  });

  test('runs the deploy command with the pulled model; a failing verify rolls back to the previous version', async () => {
    const log = join(dir, 'deploy-log.txt');
    const command = `echo "$MLOPS_ENVIRONMENT $MLOPS_MODEL $MLOPS_MODEL_VERSION $MLOPS_ROLLBACK $(cat "$MLOPS_MODEL_DIR/model.json")" >> ${log}`;
    const first = ok(await run(dir, { environment: 'edge', version: '1', 'deploy-target': 'command', command }));
    expect(readFileSync(log, 'utf8')).toBe('edge penguins 1 false {"trained":1}\n');
    expect(first.io.summary).toContain('| Target | command |');

    const failed = await run(dir, {
      environment: 'edge',
      version: '2',
      'deploy-target': 'command',
      command,
      'verify-command': 'echo unhealthy; exit 3',
    });
    expect(failed.error).toBeNull();
    expect(failed.failed).toBe(true);
    expect(failed.outputs).toMatchObject({ version: '1', 'rolled-back': 'true' });
    expect(failed.io.failed).toContain('the verify command failed (exit 3)');
    expect(failed.io.failed).toContain('rolled back to v1');
    expect(failed.io.log).toContain('  unhealthy');
    expect(failed.io.summary).toContain('Deploy failed');
    expect(readFileSync(log, 'utf8')).toBe(
      'edge penguins 1 false {"trained":1}\nedge penguins 2 false {"trained":2}\nedge penguins 1 true {"trained":1}\n',
    );
    expect((await aliasesOf(registry)).edge).toBe(1);
  });

  test('a failing deploy command with nothing to go back to: failed, not rolled back, the alias unset', async () => {
    const result = await run(dir, { environment: 'fresh', version: '1', 'deploy-target': 'command', command: 'exit 2' });
    expect(result.io.failed).toContain('the deploy command failed (exit 2)');
    expect(result.outputs).toMatchObject({ version: '', digest: '', 'rolled-back': 'false' });
    expect((await aliasesOf(registry)).fresh).toBeUndefined();
  });

  test('the deploy and verify commands get our variables, but none of the runner’s or our secrets unless named', async () => {
    const out = join(dir, 'env-seen.txt');
    const secrets = {
      ACTIONS_RUNTIME_TOKEN: 'secret-runtime-token',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/',
      GITHUB_TOKEN: 'secret-workflow-token',
      INPUT_SECRET: 'secret-input',
      MLOPS_DEPLOY_SECRET: 'secret-deploy',
      MLOPS_REGISTRY_TOKEN: 'secret-registry',
      MY_SETTING: 'plain-setting',
    };
    ok(
      await run(
        dir,
        { environment: 'edge2', version: '1', 'deploy-target': 'command', command: `env > ${out}`, 'verify-command': `env >> ${out}` },
        { env: secrets },
      ),
    );
    const seen = readFileSync(out, 'utf8');
    for (const value of Object.values(secrets).filter((v) => v.startsWith('secret') || v.startsWith('http')))
      expect(seen).not.toContain(value);
    expect(seen).toContain('MY_SETTING=plain-setting');
    for (const line of ['MLOPS_MODEL=penguins', 'MLOPS_MODEL_VERSION=1', 'MLOPS_ENVIRONMENT=edge2', 'MLOPS_ROLLBACK=false'])
      expect(seen.split('\n').filter((l) => l === line)).toHaveLength(2);
    expect(seen).toMatch(/^MLOPS_MODEL_DIGEST=sha256:[0-9a-f]{64}$/m);
    expect(seen).toContain('MLOPS_MODEL_URI=local://penguins/1');
    expect(seen).toMatch(/^MLOPS_MODEL_DIR=.+\/model$/m);

    // Named in command-env (or environments.<name>.command_env): passed on.
    ok(
      await run(
        dir,
        {
          environment: 'edge2',
          version: '2',
          'deploy-target': 'command',
          command: `env > ${out}`,
          'command-env': 'GITHUB_TOKEN\nMLOPS_DEPLOY_SECRET',
        },
        { env: secrets },
      ),
    );
    const named = readFileSync(out, 'utf8');
    expect(named).toContain('GITHUB_TOKEN=secret-workflow-token');
    expect(named).toContain('MLOPS_DEPLOY_SECRET=secret-deploy');
    expect(named).not.toContain('secret-runtime-token');
    expect(named).not.toContain('secret-registry');
  });

  test('command and command_env from the environment’s settings', async () => {
    const out = join(dir, 'settings-seen.txt');
    await writeFile(
      join(dir, 'mlops-edge.yaml'),
      `version: 1\nmodel:\n  name: penguins\nenvironments:\n  edge3:\n    target: command\n    command: env > ${out}\n    command_env: [GITHUB_TOKEN]\n`,
    );
    ok(await run(dir, { config: 'mlops-edge.yaml', environment: 'edge3', version: '1' }, { env: { GITHUB_TOKEN: 'named-token' } }));
    expect(readFileSync(out, 'utf8')).toContain('GITHUB_TOKEN=named-token');
  });
});

describe('http target with a plain webhook receiver', () => {
  interface Received {
    path: string;
    body: Record<string, unknown>;
    signature: string | undefined;
    timestamp: string | undefined;
    raw: Buffer;
  }
  let dir: string;
  let url: string;
  let server: ReturnType<typeof createServer>;
  const received: Received[] = [];
  let fail = false;
  const signed = (r: Received, secret: string): boolean =>
    r.timestamp !== undefined &&
    Math.abs(Number(r.timestamp) - Date.now() / 1000) < 60 &&
    r.signature === `sha256=${createHmac('sha256', secret).update(`${r.timestamp}.${r.raw.toString()}`).digest('hex')}`;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
        received.push({
          path: req.url ?? '',
          body,
          signature: req.headers['x-mlops-signature-256'] as string | undefined,
          timestamp: req.headers['x-mlops-timestamp'] as string | undefined,
          raw,
        });
        res.writeHead(fail && body.rollback !== true ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ dir } = await project(`environments:\n  hook:\n    target: http\n    url: ${url}\n    webhook_path: /hooks/model\n`));
  });
  afterAll(() => {
    server.close();
  });

  test('posts the release signed with the shared secret; a receiver that fails gets the previous version back', async () => {
    const deployVersion = (version: string) => run(dir, { environment: 'hook', version, secret: 'hook-secret' });
    const first = ok(await deployVersion('1'));
    expect(first.outputs).toMatchObject({ version: '1', 'environment-url': url });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      path: '/hooks/model',
      body: { model: 'penguins', version: 1, environment: 'hook', rollback: false, uri: 'local://penguins/1' },
    });
    // The release names the exact bytes: ref is the version's digest.
    expect(received[0]!.body.ref).toBe(received[0]!.body.digest);
    expect(received[0]!.body.ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(signed(received[0]!, 'hook-secret')).toBe(true);
    // No readiness route on a plain receiver: none is asked for.
    expect(first.io.log).not.toContain('/ready');
    expect(first.io.summary).toContain(`| Target | http \`${url}\` |`);

    fail = true;
    const failed = await deployVersion('2');
    fail = false;
    expect(failed.io.failed).toContain('answered 500');
    expect(failed.outputs).toMatchObject({ version: '1', 'rolled-back': 'true' });
    expect(received.slice(1).map((r) => [r.body.version, r.body.rollback, signed(r, 'hook-secret')])).toEqual([
      [2, false, true],
      [1, true, true],
    ]);
  });

  test('the secret: the input wins; else MLOPS_DEPLOY_SECRET; else the webhook goes unsigned', async () => {
    received.length = 0;
    ok(await run(dir, { environment: 'hook', version: '2' }, { env: { MLOPS_DEPLOY_SECRET: 'environment-secret' } }));
    ok(
      await run(dir, { environment: 'hook', version: '1', secret: 'input-secret' }, { env: { MLOPS_DEPLOY_SECRET: 'environment-secret' } }),
    );
    ok(await run(dir, { environment: 'hook', version: '2' }));
    expect(received).toHaveLength(3);
    expect(signed(received[0]!, 'environment-secret')).toBe(true);
    expect(signed(received[1]!, 'input-secret')).toBe(true);
    expect(received[2]!.signature).toBeUndefined();
  });

  test('an endpoint nobody answers: the deploy fails with the address and nothing moves', async () => {
    const { dir: other, registry } = await project();
    const result = await run(other, { environment: 'staging', version: '1', 'deploy-target': 'http', url: 'http://127.0.0.1:9' });
    expect(result.io.failed).toContain('cannot reach http://127.0.0.1:9');
    expect((await aliasesOf(registry)).staging).toBeUndefined();
  });
});

describe('environments', () => {
  test('a protected environment needs approve true locally; on GitHub its protection rules decide', async () => {
    // Unsigned test versions: on GitHub production requires a signature by default (signing-steps covers that).
    const { dir, registry } = await project('environments:\n  production:\n    protected: true\n' + UNVERIFIED);
    const refused = await run(dir, { environment: 'production', version: '1' });
    expect(failure(refused)).toContain('environment production is protected');
    expect(failure(refused)).toContain('--approve true');
    expect((await aliasesOf(registry)).production).toBeUndefined();
    const approved = ok(await run(dir, { environment: 'production', version: '1', approve: 'true' }));
    expect(approved.outputs.version).toBe('1');
    expect((await aliasesOf(registry)).production).toBe(1);
    ok(await run(dir, { environment: 'production', version: '2' }, { github: { token: 'write-token' } }));
    expect((await aliasesOf(registry)).production).toBe(2);
  });

  test('the whole environments section is checked at load: a typo under production fails a staging deploy', async () => {
    const { dir, registry } = await project('environments:\n  staging:\n    target: registry\n  production:\n    stratgy: canary\n');
    const result = await run(dir, { environment: 'staging', version: '1' });
    expect(failure(result)).toContain('invalid settings');
    expect(failure(result)).toContain('environments.production');
    expect(failure(result)).toContain('stratgy');
    expect((await aliasesOf(registry)).staging).toBeUndefined();
  });

  test('invalid environment settings name the key', async () => {
    const { dir } = await project('environments:\n  staging:\n    target: ftp\n');
    const result = await run(dir, { environment: 'staging' });
    expect(failure(result)).toContain('environments.staging.target');
  });

  test('GitHub’s names: Production is production (alias, settings, production flag); spaces become "-" in the alias', async () => {
    const { dir, registry } = await project('environments:\n  production:\n    environment_url: https://models.example.com\n' + UNVERIFIED);
    const before = emulator.deployments(REPO).length;
    const result = ok(await run(dir, { environment: 'Production', version: '1' }, { github: { token: 'write-token' } }));
    expect(result.outputs['environment-url']).toBe('https://models.example.com');
    expect((await aliasesOf(registry)).production).toBe(1);
    const [deployment] = emulator.deployments(REPO).slice(before);
    expect(deployment).toMatchObject({ environment: 'Production', productionEnvironment: true });
    expect(deployment!.statuses.at(-1)).toMatchObject({ state: 'success', environmentUrl: 'https://models.example.com' });
    // The same environment, however it is written.
    ok(await run(dir, { environment: 'production', version: '2' }));
    const back = ok(await run(dir, { environment: 'PRODUCTION', rollback: 'true' }));
    expect(back.outputs.version).toBe('1');

    ok(await run(dir, { environment: 'EU west', version: '2' }));
    expect((await aliasesOf(registry))['eu-west']).toBe(2);
    emulator.assertClean();
  });

  test('two keys naming one environment are refused at load', async () => {
    const { dir } = await project('environments:\n  production: {}\n  Production:\n    protected: true\n');
    const result = await run(dir, { environment: 'staging', version: '1' });
    expect(failure(result)).toContain('"Production" and "production" name the same environment');
  });
});

/**
 * A stand-in for `mlops serve`'s admin API and readiness route (the real server is
 * proven with deploy in action-deploy-serve.test.ts): it keeps the stable and candidate
 * versions, and answers the candidate's statistics the test sets.
 */
class FakeServe {
  stable = 1;
  candidate: number | null = null;
  weight = 0;
  calls: string[] = [];
  /** The statistics reported for a candidate: healthy, or failing every request. */
  candidateFails = false;
  /** Accept reloads but keep serving what it served (a server that failed to swap). */
  ignoreReloads = false;
  readonly url: Promise<string>;
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () =>
      this.answer(
        req.method ?? '',
        req.url ?? '',
        req.headers.authorization,
        req.headers['x-mlops-signature-256'],
        req.headers['x-mlops-timestamp'],
        Buffer.concat(chunks).toString(),
        res,
      ),
    );
  });

  constructor(private readonly token: string) {
    this.url = new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}`)),
    );
  }

  close(): void {
    this.server.close();
  }

  private answer(
    method: string,
    path: string,
    authorization: string | undefined,
    signature: string | string[] | undefined,
    timestamp: string | string[] | undefined,
    body: string,
    res: ServerResponse,
  ): void {
    const send = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/v2/models/penguins/ready') return void send(200, {});
    const request = body ? (JSON.parse(body) as { ref?: string; weight?: number; version?: number }) : {};
    if (method === 'POST' && path === '/admin/reload') {
      // Signed as mlops serve checks it; the release names the version to serve.
      if (
        signature !==
        `sha256=${createHmac('sha256', this.token)
          .update(`${String(timestamp)}.${body}`)
          .digest('hex')}`
      )
        return void send(401, { error: 'bad signature' });
      this.calls.push(`${method} ${path}`);
      if (!this.ignoreReloads) this.stable = request.version!;
      return void send(200, {});
    }
    if (authorization !== `Bearer ${this.token}`) return void send(401, { error: 'unauthorized' });
    this.calls.push(`${method} ${path}`);
    switch (`${method} ${path}`) {
      case 'GET /admin/status': {
        const stats: Record<string, unknown> = {
          [String(this.stable)]: {
            requests: 900,
            errors: 0,
            latency_ms: { p50: 2, p99: 8 },
            predictions: { classes: { Adelie: 500, Gentoo: 400 } },
          },
        };
        if (this.candidate !== null)
          stats[String(this.candidate)] = this.candidateFails
            ? { requests: 100, errors: 100, latency_ms: { p50: 2, p99: 9 } }
            : { requests: 100, errors: 0, latency_ms: { p50: 2, p99: 9 }, predictions: { classes: { Adelie: 55, Gentoo: 45 } } };
        return void send(200, {
          stable: { version: this.stable, digest: null },
          candidate: this.candidate === null ? null : { version: this.candidate, digest: null },
          weight: this.weight,
          stats,
        });
      }
      case 'POST /admin/reset-stats':
        return void send(200, {});
      case 'POST /admin/candidate':
        this.candidate = Number(request.ref);
        this.weight = request.weight ?? 0;
        return void send(200, {});
      case 'POST /admin/promote':
        this.stable = this.candidate!;
        this.candidate = null;
        return void send(200, {});
      case 'POST /admin/rollback':
        this.candidate = null;
        return void send(200, {});
      default:
        return void send(404, { error: 'no route' });
    }
  }
}

describe('http target, canary strategy (against a stand-in of the admin API)', () => {
  const TOKEN = 'canary-secret-0123456789';
  let serve: FakeServe;
  let dir: string;
  let registry: Registry;
  beforeAll(async () => {
    serve = new FakeServe(TOKEN);
    ({ dir, registry } = await project(
      `environments:\n  production:\n    target: http\n    url: ${await serve.url}\n    strategy: canary\n    canary:\n      weight: 30\n      bake_seconds: 0.2\n      min_requests: 50\n`,
    ));
    await registry.setAlias('penguins', 'production', 1);
  });
  afterAll(() => serve.close());

  test('a healthy candidate bakes with the weight of the settings and is promoted; the alias moves', async () => {
    const result = ok(await run(dir, { environment: 'production', version: '2', secret: TOKEN }));
    expect(serve.calls.slice(0, 3)).toEqual(['GET /admin/status', 'POST /admin/reset-stats', 'POST /admin/candidate']);
    expect(serve.calls).toContain('POST /admin/promote');
    expect(serve.weight).toBe(30);
    expect(serve.stable).toBe(2);
    expect(result.outputs).toMatchObject({ version: '2', 'rolled-back': 'false' });
    expect(result.io.log).toContain('Canary: v2 gets 30 % of requests for 0.2 s.');
    expect(result.io.summary).toContain('### Canary checks');
    expect(result.io.summary).toContain('canary (30 % for 0.2 s)');
    expect(result.io.summary).not.toContain('**fail**');
    expect((await aliasesOf(registry)).production).toBe(2);
  });

  test('a failing candidate is dropped: the step fails, rolled back, the server and alias stay on the stable version', async () => {
    serve.calls = [];
    serve.candidateFails = true;
    const result = await run(dir, { environment: 'production', version: '1', secret: TOKEN, 'canary-weight': '50', 'bake-time': '0' });
    serve.candidateFails = false;
    expect(serve.weight).toBe(50);
    expect(serve.calls).toContain('POST /admin/rollback');
    expect(serve.calls).not.toContain('POST /admin/promote');
    expect(serve.stable).toBe(2);
    expect(result.io.failed).toMatch(
      /^The canary of penguins v1 failed its checks and was rolled back: error rate: candidate error rate 100\.00 %/,
    );
    expect(result.outputs).toMatchObject({ version: '2', 'rolled-back': 'true' });
    expect(result.io.summary).toContain('**fail**');
    expect((await aliasesOf(registry)).production).toBe(2);
  });

  test('a rollback skips the canary: the version before is reloaded directly, signed, and verified', async () => {
    serve.calls = [];
    const result = ok(await run(dir, { environment: 'production', rollback: 'true', secret: TOKEN }));
    expect(serve.calls).toEqual(['POST /admin/reload', 'GET /admin/status']);
    expect(serve.stable).toBe(1);
    expect(result.outputs).toMatchObject({ version: '1', 'rolled-back': 'true' });
    expect(result.io.log).toContain(`Verified: ${await serve.url} is ready and serves v1.`);
    expect((await aliasesOf(registry)).production).toBe(1);
  });

  test('a server still on the old version after the reload fails verification, and the deploy rolls back', async () => {
    serve.ignoreReloads = true;
    const result = await run(dir, { environment: 'production', version: '2', strategy: 'direct', secret: TOKEN });
    serve.ignoreReloads = false;
    expect(result.io.failed).toContain(`${await serve.url} serves v1, not v2, after the deploy`);
    expect(result.io.failed).toContain('(rolled back to v1)');
    expect(result.outputs).toMatchObject({ version: '1', 'rolled-back': 'true' });
    expect((await aliasesOf(registry)).production).toBe(1);
  });

  test('a wrong secret: the server refuses the signed reload, the deploy fails with the reason, nothing moves', async () => {
    const stable = serve.stable;
    const result = await run(dir, { environment: 'production', version: '2', strategy: 'direct', secret: 'not-the-secret' });
    expect(result.io.failed).toContain('answered 401');
    expect(result.io.failed).toContain('`secret` must equal the admin token');
    expect(result.io.log).toContain('Rolling back to v1 failed too');
    expect(result.outputs).toMatchObject({ version: '', 'rolled-back': 'false' });
    expect(serve.stable).toBe(stable);
    expect((await aliasesOf(registry)).production).toBe(1);
  });

  test('without the admin token the canary cannot start', async () => {
    const result = await run(dir, { environment: 'production', version: '1' });
    expect(result.io.failed).toContain('needs a token');
  });
});
