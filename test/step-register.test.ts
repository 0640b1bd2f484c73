/**
 * register in process, on a project whose train and evaluate outputs are in place
 * (a model directory with its card, and a blessing): the version, its outputs and
 * summary (with the card's lineage), the alias, the blessing gate, every bad input,
 * the registry section of mlops.yaml checked at load, and an OCI registry with basic
 * auth (a real docker-registry on loopback, skipped with the reason where it is not
 * installed).
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FolderStore } from '../src/adapters/registry/folder-store.js';
import { writeContract } from '../src/core/contracts/index.js';
import { loadModel } from '../src/core/model/model-io.js';
import { ModelRegistry } from '../src/core/registry/registry.js';
import { register } from '../src/steps/register.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { BearerProxy, OciRegistry as TestRegistry, registryUnavailable } from './support/oci-registry.js';
import { testBlessing, testCard, writeTree } from './support/registry.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessOptions } from './support/step-context.js';

afterAll(removeTempDirs);

const DATA_SHA = 'cd'.repeat(32);

/** A project as train and evaluate leave it: mlops.yaml, .mlops/train/model (with its card), .mlops/evaluate/blessing.json. */
async function project(options: { yaml?: string; blessed?: boolean | null } = {}): Promise<string> {
  const dir = await makeTempDir('mlops-step-register-');
  await writeFile(join(dir, 'mlops.yaml'), options.yaml ?? 'version: 1\nmodel:\n  name: penguins\n');
  const modelDir = join(dir, '.mlops', 'train', 'model');
  await writeTree(modelDir, { 'model.json': '{"format":"layers-model"}', 'weights.bin': Buffer.from([1, 2, 3, 4]) });
  await writeContract(
    'modelCard',
    modelDir,
    testCard({
      data: { target: 'species', files: [{ path: 'data/penguins.csv', sha256: DATA_SHA }] },
      run: { url: 'https://github.com/acme/penguins/actions/runs/7' },
      trainedAt: '2026-12-01T00:00:00.000Z',
    }),
  );
  const blessed = options.blessed === undefined ? true : options.blessed;
  if (blessed !== null) {
    const evaluateDir = join(dir, '.mlops', 'evaluate');
    await mkdir(evaluateDir, { recursive: true });
    await writeContract('blessing', evaluateDir, testBlessing(blessed));
  }
  return dir;
}

const run = (cwd: string, inputs: Record<string, string> = {}, extra: Partial<InProcessOptions> = {}) =>
  runStepInProcess(register, { cwd, inputs, ...extra });

describe('register in process, folder registry', () => {
  test('registers the blessed model as version 1 with its card and blessing, points the alias at it, and summarizes the lineage', async () => {
    const dir = await project();
    const result = await run(dir, { alias: 'staging' });
    expect(result.error).toBeNull();
    expect(result.outputs).toEqual({
      version: '1',
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      uri: 'local://penguins/1',
      signature: '',
    });
    const summary = result.io.summary;
    expect(summary).toContain('## Registered: penguins version 1 (staging)');
    expect(summary).toContain('3 files, blessed.');
    expect(summary).toContain(`sha256 \`${DATA_SHA.slice(0, 16)}\``);
    expect(summary).toContain('- Commit: `0123456789abcdef0123456789abcdef01234567`');
    expect(summary).toContain('- Run: https\\://github\\.com/acme/penguins/actions/runs/7'); // escaped for markdown
    expect(summary).toContain('| `accuracy` | 0.97');
    expect(summary).toContain('mlops registry pull penguins 1 --output DIR`');
    expect(result.io.log).toContain('Registered penguins version 1');
    expect(result.io.log).toContain('staging now points at it');

    // What the registry holds: the card and blessing as contracts, the alias.
    const second = await run(dir);
    expect(second.outputs.version).toBe('2');
    const registry = new ModelRegistry(new FolderStore(join(dir, '.mlops', 'registry')));
    const staging = await registry.resolve('penguins', 'staging');
    expect(staging.version).toBe(1);
    expect(staging.digest).toBe(result.outputs.digest);
    expect(staging.card?.name).toBe('penguins');
    expect(staging.blessing?.blessed).toBe(true);
    expect(staging.problems).toEqual([]);
  });

  test('a folder holding a model.onnx made anywhere registers as it is; a model.onnx that does not load is refused before anything is stored', async () => {
    const dir = await project({ blessed: null });
    const exported = join(dir, 'exported');
    await mkdir(exported);
    await copyFile('test/fixtures/onnx/xgboost-regressor/model.onnx', join(exported, 'model.onnx'));
    const result = await run(dir, { 'model-dir': 'exported', 'allow-unblessed': 'true' });
    expect(result.error).toBeNull();
    expect(result.outputs.version).toBe('1');
    const registry = new ModelRegistry(new FolderStore(join(dir, '.mlops', 'registry')));
    const version = await registry.resolve('penguins', 'v1');
    expect(version.files.map((f) => f.path)).toEqual(['model.onnx']);
    const out = join(dir, 'pulled');
    await registry.pull('penguins', 'v1', out);
    const loaded = await loadModel(out);
    expect(loaded.model.signature.target.task).toBe('regression');
    loaded.model.dispose();
    await writeFile(join(exported, 'model.onnx'), 'not a graph');
    const broken = await run(dir, { 'model-dir': 'exported', 'allow-unblessed': 'true' });
    expect(broken.error?.message).toMatch(/model\.onnx is not an ONNX model/);
    expect(await registry.resolve('penguins', 'v2').catch(() => null)).toBeNull();
  });

  test('a blessing is bound to the model.onnx it judged: another model is refused; allow-unblessed registers it without that blessing, with a warning', async () => {
    const dir = await project({ blessed: null });
    const exported = join(dir, 'exported');
    await mkdir(exported);
    await copyFile('test/fixtures/onnx/xgboost-regressor/model.onnx', join(exported, 'model.onnx'));
    const bytes = await readFile(join(exported, 'model.onnx'));
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const bless = async (judged: string) => {
      const blessing = testBlessing(true);
      await writeContract('blessing', join(dir, '.mlops', 'evaluate'), { ...blessing, model: { ...blessing.model, digest: judged } });
    };
    await mkdir(join(dir, '.mlops', 'evaluate'), { recursive: true });
    const other = `sha256:${'0'.repeat(64)}`;
    await bless(other);
    const refused = await run(dir, { 'model-dir': 'exported' });
    expect(refused.error?.message).toBe(
      `the blessing at ${join('.mlops', 'evaluate', 'blessing.json')} judged model sha256:000000000000…, but exported holds ${digest.slice(0, 19)}…`,
    );
    expect(existsSync(join(dir, '.mlops', 'registry'))).toBe(false);
    const forced = await run(dir, { 'model-dir': 'exported', 'allow-unblessed': 'true' });
    expect(forced.error).toBeNull();
    expect(forced.io.warnings()).toEqual([
      expect.stringMatching(/^register: the blessing at .* judged model sha256:000000000000…, .*; registered without it$/),
    ]);
    const registry = new ModelRegistry(new FolderStore(join(dir, '.mlops', 'registry')));
    expect((await registry.resolve('penguins', 'v1')).blessing).toBeNull();
    // The blessing of these very bytes registers, and is stored with the version.
    await bless(digest);
    const bound = await run(dir, { 'model-dir': 'exported' });
    expect(bound.error).toBeNull();
    expect((await registry.resolve('penguins', 'v2')).blessing?.model.digest).toBe(digest);
  });

  test('a symbolic link in the model directory is refused, naming it and its target; nothing is stored', async () => {
    const dir = await project({ blessed: null });
    await symlink('/etc/hostname', join(dir, '.mlops', 'train', 'model', 'hostname'));
    const result = await run(dir, { 'allow-unblessed': 'true' });
    expect(result.error?.message).toBe(
      `the model directory ${join(dir, '.mlops', 'train', 'model')} holds a symbolic link: hostname -> /etc/hostname`,
    );
    expect(existsSync(join(dir, '.mlops', 'registry'))).toBe(false);
  });

  test('a model.onnx that is not the graph its card describes is refused, even unblessed', async () => {
    const dir = await project({ blessed: null });
    const modelDir = join(dir, '.mlops', 'train', 'model');
    await copyFile('test/fixtures/onnx/xgboost-regressor/model.onnx', join(modelDir, 'model.onnx'));
    const card = testCard({
      model: { format: 'onnx', file: 'model.onnx', sha256: 'ab'.repeat(32), bytes: 1, producer: 'x', opsets: {}, inputs: [], outputs: [] },
    });
    await writeContract('modelCard', modelDir, card);
    const result = await run(dir, { 'allow-unblessed': 'true' });
    expect(result.error?.message).toMatch(
      /^\.mlops[/\\]train[/\\]model[/\\]model\.onnx is not the graph its model card describes \(the card records sha256:abababababab…, the file is sha256:[0-9a-f]{12}…\)$/,
    );
    expect(existsSync(join(dir, '.mlops', 'registry'))).toBe(false);
  });

  test('refuses a model that is not blessed, naming the reasons', async () => {
    const dir = await project({ blessed: false });
    const result = await run(dir);
    expect(result.error?.message).toBe('the model is not blessed: accuracy 0.5 is below the minimum 0.9');
    expect(existsSync(join(dir, '.mlops', 'registry'))).toBe(false);
  });

  test('a registry folder that cannot be written is refused before anything is copied', async () => {
    const dir = await project();
    const result = await run(dir, { registry: '/proc/mlops-registry' });
    expect(result.error?.message).toMatch(
      /^the registry \(the `registry` input, or registry\.path in mlops\.yaml\): \/proc\/mlops-registry is on a system file system/,
    );
    await writeFile(join(dir, 'a-file'), 'not a folder');
    const blocked = await run(dir, { registry: 'a-file/registry' });
    expect(blocked.error?.message).toMatch(/cannot write to .*a-file\/registry \(a file is in the way\)/);
  });

  test('refuses a model that was not evaluated; allow-unblessed registers it anyway, said in the summary', async () => {
    const dir = await project({ blessed: null });
    const refused = await run(dir);
    expect(refused.error?.message).toBe(`no blessing at ${join('.mlops', 'evaluate', 'blessing.json')}: the model was not evaluated`);
    const elsewhere = await run(dir, { blessing: 'nowhere.json' });
    expect(elsewhere.error?.message).toBe('no blessing at nowhere.json: the model was not evaluated');
    const forced = await run(dir, { 'allow-unblessed': 'true' });
    expect(forced.error).toBeNull();
    expect(forced.io.summary).toContain(', no blessing.');
    const unblessed = await project({ blessed: false });
    const forcedUnblessed = await run(unblessed, { 'allow-unblessed': 'true' });
    expect(forcedUnblessed.io.summary).toContain('**not blessed**');
  });

  test('the inputs win over mlops.yaml: model name, model-dir, blessing and registry folder', async () => {
    const dir = await project({ yaml: 'version: 1\nmodel:\n  name: penguins\nregistry:\n  path: shared/registry\n' });
    const configured = await run(dir);
    expect(configured.error).toBeNull();
    expect(existsSync(join(dir, 'shared', 'registry', 'models', 'penguins', 'versions', '1.json'))).toBe(true);
    await writeTree(join(dir, 'other'), { 'weights.bin': 'other weights' });
    const given = await run(dir, { model: 'gentoo', 'model-dir': 'other', registry: 'elsewhere', 'allow-unblessed': 'true' });
    expect(given.error).toBeNull();
    expect(given.outputs.uri).toBe('local://gentoo/1');
    expect(existsSync(join(dir, 'elsewhere', 'models', 'gentoo', 'versions', '1.json'))).toBe(true);
    expect(given.io.summary).toContain('No model card: no lineage recorded.');
  });

  test('bad inputs fail before anything is registered, each naming what to fix', async () => {
    const dir = await project({ yaml: 'version: 1\n' });
    const noName = await run(dir);
    expect(noName.error?.message).toBe('no model name');
    expect((noName.error as { hint?: string }).hint).toMatch(/model\.name in mlops\.yaml/);
    expect((await run(dir, { model: 'Penguins' })).error?.message).toContain('"Penguins" is not a valid model name');
    expect((await run(dir, { model: 'penguins', alias: 'v3' })).error?.message).toMatch(/"v3" cannot be an alias/);
    expect((await run(dir, { model: 'penguins', alias: 'Staging' })).error?.message).toContain('"Staging" is not a valid alias name');
    expect((await run(dir, { model: 'penguins', 'allow-unblessed': 'maybe' })).error?.message).toMatch(
      /input allow-unblessed: "maybe" \(input\) is not true or false/,
    );
    expect((await run(dir, { model: 'penguins', 'model-dir': 'missing' })).error?.message).toBe('no model at missing');
    await writeFile(join(dir, 'broken.json'), '{"blessed": tru');
    expect((await run(dir, { model: 'penguins', blessing: 'broken.json' })).error?.message).toMatch(/^broken\.json: not valid JSON/);
    await writeFile(join(dir, 'odd.json'), '{"blessed": true}');
    expect((await run(dir, { model: 'penguins', blessing: 'odd.json' })).error?.message).toMatch(
      /^odd\.json is not a blessing of evaluate/,
    );
    expect((await run(dir, { model: 'penguins', registry: 'oci://no-namespace' })).error?.message).toMatch(
      /not of the form oci:\/\/host\/namespace/,
    );
    expect(existsSync(join(dir, '.mlops', 'registry'))).toBe(false);
  });

  test('credentials in the registry address are refused, and the password appears nowhere', async () => {
    const dir = await project();
    for (const registry of ['oci://user:hunter2-pw@127.0.0.1:5000/team', 'oci://user:pa/hunter2-pw@127.0.0.1:5000/team']) {
      const result = await run(dir, { 'allow-unblessed': 'true', registry });
      const error = result.error as { message: string; hint?: string };
      expect(error.message).toBe('registry "oci://***@127.0.0.1:5000/team" carries credentials in its address, which would end up in logs');
      expect(error.hint).toMatch(/MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD/);
      // Everything the step said, less the input as given.
      const { inputs: _, ...said } = result.io as unknown as Record<string, unknown>;
      expect(JSON.stringify({ message: error.message, hint: error.hint, said, outputs: result.outputs })).not.toContain('hunter2');
    }
    expect(existsSync(join(dir, '.mlops', 'registry'))).toBe(false);
  });

  test('a model card that does not fit the contract is refused, naming the file', async () => {
    const dir = await project();
    await writeFile(join(dir, '.mlops', 'train', 'model', 'model-card.json'), '{"metrics": {}}');
    const result = await run(dir);
    expect(result.error?.message).toMatch(/^\.mlops\/train\/model\/model-card\.json is not a model card/);
  });

  test('the registry section of mlops.yaml is checked at load: a misspelt key is rejected with its path', async () => {
    const dir = await project({ yaml: 'version: 1\nmodel:\n  name: penguins\nregistry:\n  pth: x\n' });
    const result = await run(dir);
    expect(result.error?.message).toMatch(/invalid settings/);
    expect(result.error?.message).toMatch(/registry/);
    expect(result.error?.message).toMatch(/pth/);
    const url = await project({ yaml: 'version: 1\nmodel:\n  name: penguins\nregistry:\n  url: ghcr.io/acme\n' });
    expect((await run(url)).error?.message).toMatch(/registry\.url/);
    const insecure = await project({ yaml: 'version: 1\nmodel:\n  name: penguins\nregistry:\n  insecure: "yes"\n' });
    expect((await run(insecure)).error?.message).toMatch(/registry\.insecure/);
  });
});

const unavailable = registryUnavailable({ auth: true });
const ociTitle = 'register in process with an OCI registry (a real docker-registry on loopback)';
(unavailable ? describe.skip : describe)(unavailable ? `${ociTitle} (skipped: ${unavailable})` : ociTitle, () => {
  test('registry.url of mlops.yaml: the uri and the pull hint name the OCI registry', async () => {
    const server = (await TestRegistry.start())!;
    try {
      const dir = await project({
        yaml: `version: 1\nmodel:\n  name: penguins\nregistry:\n  url: oci://${server.host}/acme\n  insecure: true\n`,
      });
      const result = await run(dir, { alias: 'production' });
      expect(result.error).toBeNull();
      expect(result.outputs.uri).toBe(`oci://${server.host}/acme/penguins@${result.outputs.digest}`);
      expect(result.io.summary).toContain(`--registry oci://${server.host}/acme\``);
    } finally {
      await server.stop();
    }
  }, 30_000);

  test('basic auth from MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD; a wrong password fails clearly', async () => {
    const secured = (await TestRegistry.start({ auth: { username: 'ml', password: 's3cret' } }))!;
    try {
      const dir = await project();
      const inputs = { 'allow-unblessed': 'true', registry: `oci://${secured.host}/team` };
      const env = { MLOPS_REGISTRY_INSECURE: 'true', MLOPS_REGISTRY_USERNAME: 'ml', MLOPS_REGISTRY_PASSWORD: 's3cret' };
      const done = await run(dir, inputs, { env });
      expect(done.error).toBeNull();
      expect(done.outputs.uri).toMatch(new RegExp(`^oci://${secured.host.replace(/\./g, '\\.')}/team/penguins@sha256:`));
      const denied = await run(dir, inputs, { env: { ...env, MLOPS_REGISTRY_PASSWORD: 'wrong' } });
      expect(denied.error?.message).toMatch(/401|unauthori[sz]ed|credentials/i);
      expect((denied.error as { hint?: string }).hint).toMatch(/rejected the credentials/);
    } finally {
      await secured.stop();
    }
  }, 30_000);

  test('the workflow token never goes to a registry that is not ghcr.io; MLOPS_REGISTRY_USERNAME/PASSWORD win over it', async () => {
    const upstream = (await TestRegistry.start())!;
    // A Bearer token service that would accept the workflow token as ghcr.io does, if it were ever sent.
    const proxy = await BearerProxy.start(upstream.host, {
      users: { ml: { password: 's3cret', push: true } },
      tokens: { 'ghs-fake-workflow-token': { push: true }, 'ghs-fake-input-token': { push: true } },
    });
    try {
      const dir = await project();
      const inputs = { 'allow-unblessed': 'true', registry: `oci://${proxy.host}/team`, token: 'ghs-fake-input-token' };
      const env = { MLOPS_REGISTRY_INSECURE: 'true', GITHUB_TOKEN: 'ghs-fake-workflow-token' };
      const refused = await run(dir, inputs, { env });
      expect(refused.error?.message).toMatch(/refused a token .*: 401/);
      expect(proxy.tokenAuthorizations.length).toBeGreaterThan(0);
      expect(proxy.tokenAuthorizations.every((header) => header === null)).toBe(true);

      const done = await run(dir, inputs, { env: { ...env, MLOPS_REGISTRY_USERNAME: 'ml', MLOPS_REGISTRY_PASSWORD: 's3cret' } });
      expect(done.error).toBeNull();
      expect(done.outputs.uri).toMatch(/\/team\/penguins@sha256:/);
      const sent = proxy.tokenAuthorizations.filter((header): header is string => header !== null);
      expect(sent.length).toBeGreaterThan(0);
      for (const header of sent) expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString()).toBe('ml:s3cret');
    } finally {
      await proxy.close();
      await upstream.stop();
    }
  }, 30_000);
});
