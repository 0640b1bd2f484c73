/**
 * deploy's runner contract, proven from its bundle (dist/deploy/index.js) on the
 * example project with the local registry: INPUT_* in, GITHUB_OUTPUT and the step
 * summary out, the GitHub Deployment recorded with the token input (against the GitHub
 * API emulator, requests and responses checked against GitHub's OpenAPI description),
 * a warning annotation, a refusal's exit status and message, the runner's environment
 * kept from the deploy command, and the CLI's flags. Every behaviour of deploy is
 * proven in process in step-deploy.test.ts; mlops serve in action-deploy-serve.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLES, copyTrainedExample, hasStackTrace, removeTempDirs, runAction, runCli } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';
import { GitHubEmulator } from './support/github-emulator.js';
const REPO = { owner: 'octo', repo: 'ml' };

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

let dir: string;
let emulator: GitHubEmulator;

async function aliases(): Promise<string> {
  return ok(await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: dir })).stdout;
}

beforeAll(async () => {
  emulator = await GitHubEmulator.start();
  dir = await copyTrainedExample('mlops-deploy-');
  // v1 blessed, v2 registered without a blessing.
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

describe('deploy (dist/deploy/index.js)', () => {
  test('inputs in, outputs and summary out: v1 to staging, the alias moves, a GitHub Deployment goes in_progress then success', async () => {
    const result = ok(
      await runAction(BUNDLES.deploy, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', environment: 'staging', version: '1', 'deploy-target': 'registry', token: 'write-token' },
        env: { GITHUB_API_URL: emulator.url },
      }),
    );
    expect(result.outputs).toMatchObject({ version: '1', 'rolled-back': 'false', 'environment-url': '' });
    expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await aliases()).toMatch(/^v1 .*\[staging\]$/m);
    const [deployment] = emulator.deployments(REPO);
    expect(deployment).toMatchObject({ environment: 'staging', sha: '0'.repeat(40), productionEnvironment: false });
    expect(deployment!.payload).toMatchObject({ model: 'penguins', version: 1, digest: result.outputs.digest });
    expect(deployment!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(result.outputs['deployment-id']).toBe(String(deployment!.id));
    expect(result.summary).toContain('## Deployed: penguins v1 to staging');
    emulator.assertClean();
  });

  test('a refusal: exit status 1, the message and hint in the log, no stack trace, nothing moves', async () => {
    const refused = await runAction(BUNDLES.deploy, { cwd: dir, inputs: { config: 'mlops.yaml', environment: 'staging' } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('penguins v2 is not evaluated');
    expect(refused.stdout).toContain('force: true');
    expect(hasStackTrace(refused.stdout + refused.stderr)).toBe(false);
    expect(await aliases()).toMatch(/^v1 .*\[staging\]$/m);
  });

  test('the deploy command sees none of the runner’s secrets or inputs; a read-only token is a warning annotation', async () => {
    const out = join(dir, 'env-seen.txt');
    const result = ok(
      await runAction(BUNDLES.deploy, {
        cwd: dir,
        inputs: {
          config: 'mlops.yaml',
          environment: 'edge',
          version: '1',
          'deploy-target': 'command',
          command: `env > ${out}`,
          secret: 'secret-deploy-input',
          token: 'read-token',
        },
        env: {
          GITHUB_API_URL: emulator.url,
          ACTIONS_RUNTIME_TOKEN: 'secret-runtime-token',
          ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/',
          MLOPS_DEPLOY_SECRET: 'secret-deploy-env',
        },
      }),
    );
    const seen = readFileSync(out, 'utf8');
    for (const secret of ['secret-runtime-token', 'read-token', 'secret-deploy-input', 'secret-deploy-env'])
      expect(seen).not.toContain(secret);
    expect(seen).not.toMatch(/^INPUT_/m);
    expect(seen).toContain('MLOPS_MODEL_VERSION=1');
    expect(result.outputs['deployment-id']).toBe('');
    expect(result.annotations.some((a) => a.command === 'warning' && a.message.includes('deployments: write'))).toBe(true);
    emulator.assertClean();
  });
});

describe('mlops deploy (CLI)', () => {
  test('flags in (--deploy-target, --approve): a protected environment needs --approve true', async () => {
    const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
    await writeFile(join(dir, 'mlops-protected.yaml'), `${config}\nenvironments:\n  production:\n    protected: true\n`);
    const args = [
      'deploy',
      '--config',
      'mlops-protected.yaml',
      '--environment',
      'production',
      '--version',
      '1',
      '--deploy-target',
      'registry',
    ];
    const refused = await runCli(args, { cwd: dir });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('environment production is protected');
    expect(refused.stderr).toContain('--approve true');
    const approved = ok(await runCli([...args, '--approve', 'true'], { cwd: dir }));
    expect(approved.stderr).toContain('version: 1');
    expect(await aliases()).toMatch(/^v1 .*\bproduction\b/m);
  });
});
