/**
 * register, proven from its bundle (dist/register/index.js) after train and
 * evaluate on the example project: the runner's contract (inputs, outputs, the
 * summary, exit status and a failure message), several register bundles at once on
 * one registry (a folder, an OCI registry), evaluate's baseline from an alias, and the
 * `mlops registry` commands. The step's behaviour (the blessing gate, bad inputs,
 * mlops.yaml's registry section, credentials) is proven in process by
 * step-register.test.ts, and the registry's by registry-contract.test.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLES, ROOT, copyTrainedExample, hasStackTrace, removeTempDirs, runAction, runCli } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';
import { OciRegistry as TestRegistry, registryUnavailable } from './support/oci-registry.js';
const REGISTER = join(ROOT, 'dist', 'register', 'index.js');

afterAll(removeTempDirs);

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

const sha = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('register (dist/register/index.js), local registry', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyTrainedExample('mlops-register-');
  });

  test('registers the blessed model as version 1, with its card and blessing, and points an alias at it', async () => {
    const result = ok(await runAction(REGISTER, { cwd: dir, inputs: { config: 'mlops.yaml', alias: 'staging' } }));
    expect(result.outputs.version).toBe('1');
    expect(result.outputs.uri).toBe('local://penguins/1');
    expect(result.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.summary).toContain('Registered: penguins version 1 (staging)');
    // The lineage from the model card: the training data's hash.
    const dataHash = createHash('sha256')
      .update(readFileSync(join(dir, 'data', 'penguins.csv')))
      .digest('hex');
    expect(result.summary).toContain(`sha256 \`${dataHash.slice(0, 16)}\``);
    const shown = ok(await runCli(['registry', 'show', 'penguins', 'staging', '--config', 'mlops.yaml'], { cwd: dir }));
    const version = JSON.parse(shown.stdout) as {
      version: number;
      digest: string;
      files: Array<{ path: string; digest: string }>;
      card: { name: string };
      blessing: { blessed: boolean };
    };
    expect(version.version).toBe(1);
    expect(version.digest).toBe(result.outputs.digest);
    expect(version.card.name).toBe('penguins');
    expect(version.blessing.blessed).toBe(true);
    const weights = version.files.find((f) => f.path === 'model.onnx')!;
    expect(weights.digest).toBe(sha(readFileSync(join(dir, '.mlops', 'train', 'model', 'model.onnx'))));
  });

  test('versions count up; aliases move; history and pull work through the CLI', async () => {
    const second = ok(await runAction(REGISTER, { cwd: dir, inputs: { config: 'mlops.yaml' } }));
    expect(second.outputs.version).toBe('2');
    ok(await runCli(['registry', 'alias', 'penguins', 'staging', '2', '--config', 'mlops.yaml'], { cwd: dir }));
    const list = ok(await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: dir }));
    expect(list.stdout).toMatch(/^v1 {2}sha256:/m);
    expect(list.stdout).toMatch(/^v2 .*\[staging\]$/m);
    // Without the model name: model.name of mlops.yaml (in the working directory, or named by --config).
    expect(ok(await runCli(['registry', 'list', '--config', 'mlops.yaml'], { cwd: dir })).stdout).toBe(list.stdout);
    expect(ok(await runCli(['registry', 'list'], { cwd: dir })).stdout).toBe(list.stdout);
    const history = ok(await runCli(['registry', 'history', 'penguins', 'staging', '--config', 'mlops.yaml'], { cwd: dir }));
    expect(
      history.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[1]),
    ).toEqual(['v1', 'v2']);
    const out = join(dir, 'pulled');
    ok(await runCli(['registry', 'pull', 'penguins', 'v2', '-o', out, '--config', 'mlops.yaml'], { cwd: dir }));
    for (const file of readdirSync(join(dir, '.mlops', 'train', 'model'))) {
      expect(readFileSync(join(out, file)).equals(readFileSync(join(dir, '.mlops', 'train', 'model', file)))).toBe(true);
    }
  });

  test('a model that is not blessed: exit status 1 and the reasons, without a stack trace', async () => {
    await writeFile(join(dir, 'strict.yaml'), '- metric: accuracy\n  lower: 0.99999\n');
    await runAction(BUNDLES.evaluate, {
      cwd: dir,
      inputs: { config: 'mlops.yaml', comment: 'false', gates: 'strict.yaml', 'fail-on-unblessed': 'false' },
    });
    const refused = await runAction(REGISTER, { cwd: dir, inputs: { config: 'mlops.yaml' } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/the model is not blessed: accuracy .* is below the minimum 0\.99999/);
    expect(hasStackTrace(refused.stdout + refused.stderr)).toBe(false);
    // The versions below are registered with allow-unblessed (the blessing gate itself: step-register.test.ts).
    const forced = ok(await runAction(REGISTER, { cwd: dir, inputs: { config: 'mlops.yaml', 'allow-unblessed': 'true' } }));
    expect(forced.outputs.version).toBe('3');
  });

  test('several processes registering at once get distinct versions, and none is lost', async () => {
    const registry = join(dir, 'shared-registry');
    const runs = await Promise.all(
      Array.from({ length: 5 }, () =>
        runAction(REGISTER, { cwd: dir, inputs: { config: 'mlops.yaml', registry, 'allow-unblessed': 'true', alias: 'latest' } }),
      ),
    );
    const versions = runs.map((r) => Number(ok(r) && r.outputs.version)).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    const list = ok(await runCli(['registry', 'list', 'penguins', '--registry', registry], { cwd: dir }));
    expect(list.stdout.trim().split('\n')).toHaveLength(5);
    const history = ok(await runCli(['registry', 'history', 'penguins', 'latest', '--registry', registry], { cwd: dir }));
    expect(history.stdout.trim().split('\n')).toHaveLength(5);
  });

  test('evaluate takes its baseline from a registry alias, and the latest version while the alias does not exist', async () => {
    const withAlias = ok(
      await runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', comment: 'false', 'baseline-alias': 'staging', 'fail-on-unblessed': 'false' },
      }),
    );
    // staging points at a registered copy of this very model: the baseline scores exactly the same.
    expect(JSON.parse(withAlias.outputs['baseline-metrics']!)).toEqual(JSON.parse(withAlias.outputs.metrics!));
    expect(withAlias.stdout).toMatch(/Scoring the baseline: penguins at staging \(v2\)/);
    expect(withAlias.summary).toContain('staging = penguins v2 (local://penguins/2)');
    const missing = ok(
      await runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', comment: 'false', 'baseline-alias': 'production', 'fail-on-unblessed': 'false' },
      }),
    );
    // No model at production yet: the latest registered version (a copy of this very model) is the baseline.
    expect(JSON.parse(missing.outputs['baseline-metrics']!)).toEqual(JSON.parse(missing.outputs.metrics!));
    expect(missing.stdout).toMatch(/No penguins model at alias "production" yet: comparing with the latest registered version, v\d+\./);
  });

  test('an unknown version names what exists', async () => {
    const missing = await runCli(['registry', 'show', 'penguins', 'v99', '--config', 'mlops.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no version 99/);
    expect(missing.stderr).toMatch(/versions v1-v3/);
    expect(missing.stderr).toMatch(/staging/);
    expect(existsSync(join(dir, 'pulled-none'))).toBe(false);
  });
});

const ociUnavailable = registryUnavailable();
const ociTitle = 'register and evaluate with an OCI registry (a real docker-registry on loopback)';
(ociUnavailable ? describe.skip : describe)(ociUnavailable ? `${ociTitle} (skipped: ${ociUnavailable})` : ociTitle, () => {
  let registry: TestRegistry;
  let dir: string;
  beforeAll(async () => {
    registry = (await TestRegistry.start())!;
    dir = await copyTrainedExample('mlops-oci-');
    const config = readFileSync(join(dir, 'mlops.yaml'), 'utf8');
    await writeFile(join(dir, 'mlops.yaml'), `${config}registry:\n  url: oci://${registry.host}/acme\n  insecure: true\n`);
  });
  afterAll(async () => registry?.stop());

  test('several register processes at once on one OCI repository get distinct versions, none lost', async () => {
    const inputs = { config: 'mlops.yaml', 'allow-unblessed': 'true', registry: `oci://${registry.host}/race` };
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => runAction(REGISTER, { cwd: dir, inputs, env: { MLOPS_REGISTRY_INSECURE: 'true' } })),
    );
    const versions = runs.map((r) => Number(ok(r).outputs.version)).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4]);
    // Each version still holds the digest its writer was told.
    for (const run of runs) {
      const shown = ok(
        await runCli(['registry', 'show', 'penguins', `v${run.outputs.version}`, '--registry', `oci://${registry.host}/race`], {
          cwd: dir,
          env: { MLOPS_REGISTRY_INSECURE: 'true' },
        }),
      );
      expect((JSON.parse(shown.stdout) as { digest: string }).digest).toBe(run.outputs.digest);
    }
  });

  test('registers versions as OCI artifacts, moves an alias, and evaluate scores the model at the alias', async () => {
    const first = ok(
      await runAction(REGISTER, { cwd: dir, inputs: { config: 'mlops.yaml', 'allow-unblessed': 'true', alias: 'production' } }),
    );
    expect(first.outputs.version).toBe('1');
    expect(first.outputs.uri).toBe(`oci://${registry.host}/acme/penguins@${first.outputs.digest}`);
    expect(first.summary).toContain(`--registry oci://${registry.host}/acme`);
    const list = ok(await runCli(['registry', 'list', 'penguins', '--config', 'mlops.yaml'], { cwd: dir }));
    expect(list.stdout).toMatch(/^v1 .*\[production\]$/m);
    const out = join(dir, 'pulled');
    ok(await runCli(['registry', 'pull', 'penguins', 'production', '-o', out, '--config', 'mlops.yaml'], { cwd: dir }));
    const weights = readFileSync(join(dir, '.mlops', 'train', 'model', 'model.onnx'));
    expect(sha(readFileSync(join(out, 'model.onnx')))).toBe(sha(weights));
    const evaluated = ok(
      await runAction(BUNDLES.evaluate, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', comment: 'false', 'baseline-alias': 'production', 'fail-on-unblessed': 'false' },
      }),
    );
    expect(JSON.parse(evaluated.outputs['baseline-metrics']!)).toEqual(JSON.parse(evaluated.outputs.metrics!));
    expect(evaluated.summary).toContain(`production = penguins v1 (oci://${registry.host}/acme/penguins@`);
  });
});
