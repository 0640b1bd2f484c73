/**
 * Signing wired into the steps, in process: register signs each version (with a key, and
 * keylessly with a runner's OIDC token against a local Sigstore authority), deploy verifies
 * before anything moves (refusing where required: production by default once there is a signer
 * to trust), and serving loads only a version that verifies. The cases: signed, unsigned, signed
 * by an untrusted key, a signature moved onto another version, a workflow of another repository,
 * and signing that fails after the version is registered (no alias moves).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildContext } from '../src/adapters/context.js';
import { writeContract } from '../src/core/contracts/index.js';
import { UserError } from '../src/core/errors.js';
import { isWithheld, userCommandEnvironment } from '../src/core/process/user-command.js';
import { ModelSource } from '../src/core/serve/source.js';
import { generateSigningKeyPair } from '../src/core/signing/sign.js';
import { referrersTag } from '../src/core/signing/oci.js';
import { SigningSettings } from '../src/core/signing/settings.js';
import { loadGuard, type TrustContext } from '../src/core/signing/trust.js';
import type { Registry } from '../src/ports/registry.js';
import { deploy } from '../src/steps/deploy.js';
import { PROJECT_CONFIG } from '../src/steps/index.js';
import { register } from '../src/steps/register.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';
import { testBlessing, testCard, writeTree } from './support/registry.js';
import { SigstoreAuthority } from './support/sigstore-authority.js';
import { RecordingIO, runStepInProcess, type InProcessResult } from './support/step-context.js';

const PATH = process.env.PATH ?? '/usr/bin:/bin';
const GRAPH = join(import.meta.dirname, 'fixtures', 'onnx', 'sklearn-gbdt', 'model.onnx');
const trusted = generateSigningKeyPair();
const stranger = generateSigningKeyPair();
let authority: SigstoreAuthority;

beforeAll(async () => {
  authority = await SigstoreAuthority.start();
});

afterAll(async () => {
  await authority?.close();
  await removeTempDirs();
});

/** A project as train and evaluate leave it, with keys/trusted.{key,pub}, keys/stranger.key and the authority's trusted root. */
async function project(signing: string): Promise<string> {
  const dir = await makeTempDir('mlops-signing-steps-');
  await writeFile(join(dir, 'mlops.yaml'), `version: 1\nmodel:\n  name: penguins\n${signing}`);
  await writeTree(join(dir, 'keys'), {
    'trusted.key': trusted.privateKey,
    'trusted.pub': trusted.publicKey,
    'stranger.key': stranger.privateKey,
  });
  await writeFile(join(dir, 'trusted_root.json'), JSON.stringify(authority.trustedRoot()));
  await trainedModel(dir, 1);
  return dir;
}

/** Puts a distinct trained model and its blessing where train and evaluate leave them. */
async function trainedModel(dir: string, n: number): Promise<void> {
  const modelDir = join(dir, '.mlops', 'train', 'model');
  // A real graph (scikit-learn's, exported to ONNX), so a served version loads; `n` makes each model's bytes distinct.
  await writeTree(modelDir, { 'model.onnx': await readFile(GRAPH), 'notes.txt': `model ${n}` });
  await writeContract('modelCard', modelDir, testCard({ trainedAt: '2026-12-01T00:00:00.000Z' }));
  await mkdir(join(dir, '.mlops', 'evaluate'), { recursive: true });
  await writeContract('blessing', join(dir, '.mlops', 'evaluate'), testBlessing(true));
}

const failureOf = (result: InProcessResult): string => {
  expect(result.failed).toBe(true);
  if (result.error) return result.error instanceof UserError ? result.error.describe() : result.error.message;
  return result.io.failed!;
};

const ok = (result: InProcessResult, what: string): InProcessResult => {
  if (result.failed) throw new Error(`${what} failed: ${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
};

async function registryOf(dir: string): Promise<Registry> {
  const ctx = await buildContext({ io: new RecordingIO({}), env: {}, cwd: dir, configSchema: PROJECT_CONFIG, configPath: '' });
  return ctx.registry();
}

const registerIn = (dir: string, env: Record<string, string> = {}, inputs: Record<string, string> = {}, onGitHub = false) =>
  runStepInProcess(register, { cwd: dir, inputs, env: { PATH, ...env }, onGitHub });

const deployIn = (dir: string, inputs: Record<string, string>, env: Record<string, string> = {}, onGitHub = false) =>
  runStepInProcess(deploy, { cwd: dir, inputs: { 'github-deployment': 'false', ...inputs }, env: { PATH, ...env }, onGitHub });

const KEY_SIGNING = 'signing:\n  mode: key\n  key: keys/trusted.key\n  verify:\n    public_keys: [keys/trusted.pub]\n';

describe('with a key pair (a laptop, or a runner without OIDC)', () => {
  let dir: string;
  let registry: Registry;
  beforeAll(async () => {
    dir = await project(KEY_SIGNING);
    registry = await registryOf(dir);
  });

  test('register signs the version before the alias moves; the summary and the signature output say where it is', async () => {
    const result = ok(await registerIn(dir, {}, { alias: 'staging' }), 'register');
    const where = join(dir, '.mlops', 'registry', 'models', 'penguins', 'signatures', referrersTag(result.outputs.digest!));
    expect(result.outputs.signature!.startsWith(`${where}/`)).toBe(true);
    expect(await readdir(where)).toHaveLength(1);
    expect(result.io.summary).toMatch(/Signed with a key: an in-toto statement of its evaluation/);
  });

  test('deploy to production verifies the signature, then moves the alias; the summary names the key', async () => {
    const result = ok(await deployIn(dir, { environment: 'production', version: '1' }), 'deploy');
    expect((await registry.aliases('penguins')).production).toBe(1);
    expect(result.io.log).toMatch(/penguins v1's signature verified: signed by the key [0-9a-f]{16,}/);
    expect(result.io.summary).toMatch(/\| Signature \| penguins v1&#39;s signature verified\\: signed by the key [0-9a-f]{64}\\. \|/);
  });

  test('an unsigned version is refused for production, nothing moves; staging takes it with a warning', async () => {
    // v2 registered with signing off (the verify policy unchanged).
    await writeFile(join(dir, 'mlops.yaml'), `version: 1\nmodel:\n  name: penguins\n${KEY_SIGNING.replace('mode: key', 'mode: off')}`);
    await trainedModel(dir, 2);
    const off = ok(await registerIn(dir), 'register');
    await writeFile(join(dir, 'mlops.yaml'), `version: 1\nmodel:\n  name: penguins\n${KEY_SIGNING}`);
    expect(off.outputs).toMatchObject({ version: '2', signature: '' });
    expect(off.io.log).toMatch(/register: The version is not signed/);

    const refused = await deployIn(dir, { environment: 'production', version: '2' });
    expect(failureOf(refused)).toMatch(/penguins v2 has no signature/);
    expect(failureOf(refused)).toMatch(/id-token: write/);
    expect((await registry.aliases('penguins')).production).toBe(1);

    const staging = ok(await deployIn(dir, { environment: 'staging', version: '2' }), 'deploy');
    expect((await registry.aliases('penguins')).staging).toBe(2);
    expect(staging.io.warnings().join('\n')).toMatch(/penguins v2 is not verified: penguins v2 has no signature/);
  });

  test('a signature moved onto another version is refused (it names other bytes)', async () => {
    const v1 = await registry.resolve('penguins', '1');
    const v2 = await registry.resolve('penguins', '2');
    const signatures = join(dir, '.mlops', 'registry', 'models', 'penguins', 'signatures');
    await cp(join(signatures, referrersTag(v1.digest)), join(signatures, referrersTag(v2.digest)), { recursive: true });
    expect(await readdir(join(signatures, referrersTag(v2.digest)))).toHaveLength(1);
    const refused = await deployIn(dir, { environment: 'production', version: '2' });
    expect(failureOf(refused)).toMatch(/penguins v2/);
    expect(failureOf(refused)).toMatch(
      /penguins v2 is not what was signed: the attestation in .* is for penguins@sha256:[0-9a-f]{64}, but the version being loaded has digest sha256:/,
    );
    expect((await registry.aliases('penguins')).production).toBe(1);
  });

  test('a version signed with a key nobody trusts is refused', async () => {
    const other = await project('signing:\n  mode: key\n  key: keys/stranger.key\n  verify:\n    public_keys: [keys/trusted.pub]\n');
    ok(await registerIn(other), 'register');
    const refused = await deployIn(other, { environment: 'production', version: '1' });
    expect(failureOf(refused)).toMatch(/is signed with key [0-9a-f]{64}, which is not a trusted key/);
    expect((await (await registryOf(other)).aliases('penguins')).production).toBeUndefined();
  });

  test('serving production loads only a version that verifies; a version number is loaded with a warning', async () => {
    const context: TrustContext = {
      section: SigningSettings.parse({ verify: { public_keys: [join(dir, 'keys', 'trusted.pub')] } }),
      secret: () => undefined,
      onGitHub: false,
      githubRepository: null,
    };
    const warnings: string[] = [];
    const production = new ModelSource(registry, 'penguins', await makeTempDir('mlops-signing-serve-'), {
      guard: await loadGuard(registry.signatures, context, 'production'),
      warn: (m) => warnings.push(m),
    });
    // v1 is signed with the trusted key and loads; v2 carries v1's signature (moved there above) and is refused.
    expect((await production.load('1')).identity.version).toBe(1);
    const refused = await production.load('2').catch((e: Error) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).message).toMatch(/penguins v2/);
    // Unsigned, and not required for a server pinned to a version number: loaded with a warning.
    const unsigned = await project('signing:\n  mode: off\n');
    ok(await registerIn(unsigned), 'register');
    const unsignedRegistry = await registryOf(unsigned);
    const pinned = new ModelSource(unsignedRegistry, 'penguins', await makeTempDir('mlops-signing-serve-'), {
      guard: await loadGuard(unsignedRegistry.signatures, context, null),
      warn: (m) => warnings.push(m),
    });
    expect((await pinned.load('1')).identity.version).toBe(1);
    expect(warnings.join('\n')).toMatch(/penguins v1 is not verified: penguins v1 has no signature/);
    const following = new ModelSource(unsignedRegistry, 'penguins', await makeTempDir('mlops-signing-serve-'), {
      guard: await loadGuard(unsignedRegistry.signatures, context, 'production'),
      warn: (m) => warnings.push(m),
    });
    await expect(following.load('1')).rejects.toThrow(/penguins v1 has no signature/);
  });
});

describe('keylessly on a runner (a local Sigstore authority stands in for Fulcio and Rekor)', () => {
  const REPOSITORY = 'acme/penguins';
  const keyless = () =>
    `signing:\n  fulcio_url: ${authority.fulcioURL}\n  rekor_url: ${authority.rekorURL}\n  verify:\n    trusted_root: trusted_root.json\n`;
  const runner = (repository: string) => ({
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: repository,
    GITHUB_SHA: 'a'.repeat(40),
    ...(authority.runnerEnv({ repository, sha: 'a'.repeat(40) }) as Record<string, string>),
  });

  test('register with id-token: write signs keylessly; deploy in the same repository verifies with no identity configured', async () => {
    const dir = await project(keyless());
    const registered = ok(await registerIn(dir, runner(REPOSITORY), {}, true), 'register');
    expect(registered.outputs.signature).not.toBe('');
    expect(registered.io.summary).toMatch(/Signed keylessly/);
    const result = ok(await deployIn(dir, { environment: 'production', version: '1' }, { ...runner(REPOSITORY) }, true), 'deploy');
    expect(result.io.log).toMatch(/signature verified: signed by https:\/\/github\.com\/acme\/penguins\/\.github\/workflows\//);

    // The same signature, deployed from another repository's run, names a repository it does not trust.
    const fork = await deployIn(dir, { environment: 'production', version: '1' }, { ...runner('mallory/penguins') }, true);
    expect(failureOf(fork)).toMatch(
      /another repository: expected https:\/\/github\.com\/mallory\/penguins, found https:\/\/github\.com\/acme\/penguins/,
    );
  });

  test('without id-token: write the version is not signed, and the warning says how to sign it', async () => {
    const dir = await project(keyless());
    const result = ok(await registerIn(dir, { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: REPOSITORY }, {}, true), 'register');
    expect(result.outputs.signature).toBe('');
    expect(result.io.warnings().join('\n')).toMatch(/id-token: write/);
    const refused = await deployIn(dir, { environment: 'production', version: '1' }, { GITHUB_REPOSITORY: REPOSITORY }, true);
    expect(failureOf(refused)).toMatch(/has no signature/);
  });

  test('signing that fails after the version is registered is an error, and the alias does not move', async () => {
    const dir = await project(`signing:\n  mode: keyless\n  fulcio_url: http://127.0.0.1:9\n  rekor_url: ${authority.rekorURL}\n`);
    const result = await registerIn(dir, runner(REPOSITORY), { alias: 'staging' }, true);
    expect(failureOf(result)).toMatch(/penguins v1 was registered \(sha256:[0-9a-f]{64}\) but could not be signed/);
    expect(failureOf(result)).toMatch(/no alias was moved/);
    expect(await (await registryOf(dir)).aliases('penguins')).toEqual({});
  });
});

test('the signing key, its passphrase and a ready OIDC token never reach a user command unless named', () => {
  const env = {
    MLOPS_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----',
    MLOPS_SIGNING_KEY_PASSPHRASE: 'hunter2',
    SIGSTORE_ID_TOKEN: 'eyJ.token',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example',
    HOME: '/home/runner',
  };
  for (const name of Object.keys(env)) expect([name, isWithheld(name)]).toEqual([name, name !== 'HOME']);
  expect(userCommandEnvironment(env, {})).toEqual({ HOME: '/home/runner' });
  expect(userCommandEnvironment(env, {}, ['MLOPS_SIGNING_KEY'])).toEqual({
    HOME: '/home/runner',
    MLOPS_SIGNING_KEY: env.MLOPS_SIGNING_KEY,
  });
});

test('an alias may not take the form of a referrers tag, where signatures are indexed', async () => {
  const dir = await project('signing:\n  mode: off\n');
  ok(await registerIn(dir), 'register');
  const registry = await registryOf(dir);
  const tag = `sha256-${'ab'.repeat(32)}`;
  await expect(registry.setAlias('penguins', tag, 1)).rejects.toThrow(/cannot be an alias: tags of that form index a version's signatures/);
  expect(await registry.aliases('penguins')).toEqual({});
});

test('a project that has not set up signing is not warned on every deploy: an unsigned version is noted in the log', async () => {
  const dir = await project('');
  ok(await registerIn(dir), 'register');
  const result = ok(await deployIn(dir, { environment: 'production', version: '1' }), 'deploy');
  expect(result.io.warnings()).toEqual([]);
  expect(result.io.log).toMatch(/penguins v1 is not verified: penguins v1 has no signature/);
  expect((await (await registryOf(dir)).aliases('penguins')).production).toBe(1);
});
