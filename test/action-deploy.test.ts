/**
 * deploy, proven from its bundle (dist/deploy/index.js) on the example project with
 * the local registry: the registry and command targets, refusal of unblessed
 * versions, rollback (asked for, and after a failed deploy), protected environments
 * from the CLI, and the GitHub Deployment it records, against the GitHub API
 * emulator (requests and responses checked against GitHub's OpenAPI description).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { BUNDLES, ROOT, hasStackTrace, makeTempDir, removeTempDirs, runAction, runCli } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';

const EXAMPLE = join(ROOT, 'examples', 'penguins');
const REPO = { owner: 'octo', repo: 'ml' };

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

let dir: string;
let emulator: GitHubEmulator;

/** The GitHub side of a run: the emulator's API root and a token that may write. */
const gitHubEnv = (): Record<string, string> => ({ GITHUB_API_URL: emulator.url, GITHUB_TOKEN: 'write-token' });

async function aliases(): Promise<string> {
  return ok(await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: dir })).stdout;
}

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  dir = await makeTempDir('mlops-deploy-');
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  ok(await runAction(BUNDLES.train, { cwd: dir, inputs: { config: 'mlops.yaml', epochs: '40' } }));
  ok(await runAction(BUNDLES.evaluate, { cwd: dir, inputs: { config: 'mlops.yaml', comment: 'false' } }));
  // v1 and v2 blessed (the same model twice), v3 registered without a blessing.
  ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops.yaml' } }));
  ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops.yaml' } }));
  ok(
    await runAction(BUNDLES.register, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', 'allow-unblessed': 'true', blessing: join(dir, 'no-such-blessing.json') },
    }),
  );
}, 180_000);

afterAll(async () => {
  await emulator.close();
  await removeTempDirs();
});

describe('deploy (dist/deploy/index.js), registry target', () => {
  test('deploys v1 to staging: the alias moves and a GitHub Deployment goes in_progress then success', async () => {
    const result = ok(
      await runAction(BUNDLES.deploy, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', environment: 'staging', version: '1', token: 'write-token' },
        env: gitHubEnv(),
      }),
    );
    expect(result.outputs).toMatchObject({ version: '1', 'rolled-back': 'false' });
    expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await aliases()).toMatch(/^v1 .*\[staging\]$/m);
    const [deployment] = emulator.deployments(REPO);
    expect(deployment).toMatchObject({
      environment: 'staging',
      autoMerge: false,
      requiredContexts: [],
      sha: '0'.repeat(40),
      productionEnvironment: false,
    });
    expect(deployment!.payload).toMatchObject({ model: 'penguins', version: 1, digest: result.outputs.digest });
    expect(deployment!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(result.outputs['deployment-id']).toBe(String(deployment!.id));
    expect(result.summary).toContain('## Deployed: penguins v1 to staging');
    emulator.assertClean();
  });

  test('the newest version is the default; an unblessed one is refused unless forced', async () => {
    const refused = await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'staging' } });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toContain('penguins v3 is not evaluated');
    expect(refused.stdout).toContain('force: true');
    expect(hasStackTrace(refused.stdout + refused.stderr)).toBe(false);
    expect(await aliases()).toMatch(/^v1 .*\[staging\]$/m);

    const forced = ok(
      await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'staging', force: 'true' } }),
    );
    expect(forced.outputs.version).toBe('3');
  });

  test('rollback puts the environment back on the version before its current one', async () => {
    ok(await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'staging', version: '2' } }));
    const back = ok(
      await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'staging', rollback: 'true' } }),
    );
    expect(back.outputs).toMatchObject({ version: '3', 'rolled-back': 'true' });
    const again = ok(
      await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'staging', rollback: 'true' } }),
    );
    expect(again.outputs.version).toBe('2');
    const history = ok(await runCli(['registry', 'history', 'penguins', 'staging', '--config', 'mlops.yaml'], { cwd: dir })).stdout;
    expect(
      history
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[1]),
    ).toEqual(['v1', 'v3', 'v2', 'v3', 'v2']);
  });

  test('rollback of an environment with no history is a clear error', async () => {
    const result = await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'qa', rollback: 'true' } });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('environment qa of penguins has no earlier version to roll back to');
  });

  test('a read-only token: the deploy still happens, with a warning naming deployments: write', async () => {
    const result = ok(
      await runAction(BUNDLES.deploy, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', environment: 'dev', version: '1', token: 'read-token' },
        env: { GITHUB_API_URL: emulator.url },
      }),
    );
    expect(result.outputs.version).toBe('1');
    expect(result.outputs['deployment-id']).toBe('');
    expect(result.annotations.some((a) => a.command === 'warning' && a.message.includes('deployments: write'))).toBe(true);
    emulator.assertClean();
  });

  test('bad inputs: no environment, a hostile environment name, an unknown version, bad settings', async () => {
    const none = await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml' } });
    expect(none.stdout).toContain('input environment');
    const hostile = await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'prod<script>' } });
    expect(hostile.code).not.toBe(0);
    expect(hostile.stdout).toContain('is not allowed');
    const unknown = await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'staging', version: '99' } });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout).toMatch(/99/);
    const noUrl = await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'staging', target: 'http' } });
    expect(noUrl.stdout).toContain('input url');
    const canaryNoHttp = await runAction(BUNDLES.deploy, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', environment: 'staging', strategy: 'canary' },
    });
    expect(canaryNoHttp.stdout).toContain('canary needs the http target');
    for (const r of [none, hostile, unknown, noUrl, canaryNoHttp]) {
      expect(r.code).not.toBe(0);
      expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
    }
  });
});

describe('deploy, command target', () => {
  test('runs the deploy command with the pulled model; a failing verify rolls back to the previous version', async () => {
    const log = join(dir, 'deploy-log.txt');
    const command = `echo "$MLOPS_ENVIRONMENT $MLOPS_MODEL_VERSION $MLOPS_ROLLBACK $(test -f "$MLOPS_MODEL_DIR/model.json" && echo files)" >> ${log}`;
    ok(
      await runAction(BUNDLES.deploy, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', environment: 'edge', version: '1', target: 'command', command },
      }),
    );
    expect(readFileSync(log, 'utf8')).toBe('edge 1 false files\n');

    const failed = await runAction(BUNDLES.deploy, {
      cwd: dir,
      inputs: {
        config: 'mlops.yaml',
        environment: 'edge',
        version: '2',
        target: 'command',
        command,
        'verify-command': 'echo unhealthy; exit 3',
      },
    });
    expect(failed.code).not.toBe(0);
    expect(failed.outputs).toMatchObject({ version: '1', 'rolled-back': 'true' });
    expect(failed.stdout).toContain('the verify command failed (exit 3)');
    expect(failed.stdout).toContain('rolled back to v1');
    expect(failed.summary).toContain('Deploy failed');
    expect(readFileSync(log, 'utf8')).toBe('edge 1 false files\nedge 2 false files\nedge 1 true files\n');
    expect(await aliases()).toMatch(/^v1 .*\bedge\b/m);
  });

  test('the deploy command does not get the runner’s service tokens', async () => {
    const out = join(dir, 'env-seen.txt');
    ok(
      await runAction(BUNDLES.deploy, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', environment: 'edge2', version: '1', target: 'command', command: `env > ${out}` },
        env: { ACTIONS_RUNTIME_TOKEN: 'secret-runtime-token', ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/' },
      }),
    );
    const seen = readFileSync(out, 'utf8');
    expect(seen).not.toContain('secret-runtime-token');
    expect(seen).toContain('MLOPS_MODEL_VERSION=1');
  });
});

describe('deploy, http target with a plain webhook receiver', () => {
  test('posts the release signed with the shared secret; a receiver that fails gets the previous version back', async () => {
    const received: Array<{ path: string; body: Record<string, unknown>; signatureValid: boolean }> = [];
    let fail = false;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const expected = `sha256=${createHmac('sha256', 'hook-secret').update(raw).digest('hex')}`;
        const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        received.push({ path: req.url ?? '', body, signatureValid: req.headers['x-mlops-signature-256'] === expected });
        res.writeHead(fail && body.rollback !== true ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
      await writeFile(
        join(dir, 'mlops-hook.yaml'),
        `${config}\nenvironments:\n  hook:\n    target: http\n    url: ${url}\n    webhook_path: /hooks/model\n`,
      );
      const deploy = (version: string) =>
        runAction(BUNDLES.deploy, {
          cwd: dir,
          inputs: { config: 'mlops-hook.yaml', environment: 'hook', version, secret: 'hook-secret' },
        });
      const first = ok(await deploy('1'));
      expect(first.outputs.version).toBe('1');
      expect(received).toEqual([
        {
          path: '/hooks/model',
          body: expect.objectContaining({ model: 'penguins', version: 1, environment: 'hook', rollback: false, uri: 'local://penguins/1' }),
          signatureValid: true,
        },
      ]);
      // No readiness route on a plain receiver: none is asked for.
      expect(first.stdout).not.toContain('/ready');

      fail = true;
      const failed = await deploy('2');
      expect(failed.code).not.toBe(0);
      expect(failed.stdout).toContain('answered 500');
      expect(failed.outputs).toMatchObject({ version: '1', 'rolled-back': 'true' });
      expect(received.slice(1).map((r) => [r.body.version, r.body.rollback, r.signatureValid])).toEqual([
        [2, false, true],
        [1, true, true],
      ]);
    } finally {
      server.close();
    }
  });
});

describe('mlops deploy (CLI)', () => {
  test('an environment marked protected in mlops.yaml needs --approve true', async () => {
    const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
    await writeFile(join(dir, 'mlops-protected.yaml'), `${config}\nenvironments:\n  production:\n    protected: true\n`);
    const refused = await runCli(['deploy', '--config', 'mlops-protected.yaml', '--environment', 'production', '--version', '1'], {
      cwd: dir,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('environment production is protected');
    expect(refused.stderr).toContain('--approve true');
    const approved = ok(
      await runCli(['deploy', '--config', 'mlops-protected.yaml', '--environment', 'production', '--version', '1', '--approve', 'true'], {
        cwd: dir,
      }),
    );
    expect(approved.stderr).toContain('version: 1');
    expect(await aliases()).toMatch(/^v1 .*\bproduction\b/m);
  });

  test('invalid environment settings name the key', async () => {
    const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
    await writeFile(join(dir, 'mlops-bad.yaml'), `${config}\nenvironments:\n  staging:\n    target: ftp\n`);
    const result = await runCli(['deploy', '--config', 'mlops-bad.yaml', '--environment', 'staging'], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('invalid settings for environment staging');
    expect(result.stderr).toContain('target');
  });
});
