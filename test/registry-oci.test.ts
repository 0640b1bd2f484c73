import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../src/core/errors.js';
import { OciRegistry } from '../src/core/registry/oci.js';
import {
  MODEL_ARTIFACT_TYPE,
  MODEL_CONFIG_MEDIA_TYPE,
  OciClient,
  TITLE_ANNOTATION,
  sha256Digest,
  type PushedBlob,
} from '../src/core/registry/oci-client.js';
import { OciRegistry as TestRegistry, registryUnavailable } from './support/oci-registry.js';

const NAMESPACE = 'acme';

/** The UserError a promise rejects with. */
async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** Writes a model directory with nested files; returns the files' contents by path. */
async function writeModel(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [path, data] of Object.entries(files)) {
    const target = join(dir, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
  }
}

/** Every file under dir, path -> bytes. */
async function readTree(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = join(entry.parentPath, entry.name);
    out[
      absolute
        .slice(dir.length + 1)
        .split('\\')
        .join('/')
    ] = await readFile(absolute);
  }
  return out;
}

const unavailable = registryUnavailable();
const title = 'OCI model registry against a real docker-registry';
(unavailable ? describe.skip : describe)(unavailable ? `${title} (skipped: ${unavailable})` : title, () => {
  let server: TestRegistry;
  let work: string;
  let modelDir: string;
  const files = {
    'model.json': '{"format":"layers-model"}',
    'group1-shard1of1.bin': randomBytes(200 * 1024),
    'assets/vocab/tokens.txt': 'a\nb\nc\n',
    'preprocessing/scaler.json': '{"mean":[1,2]}',
  };
  const card = { name: 'penguins', git: { commit: '0123456789abcdef0123456789abcdef01234567' }, metrics: { accuracy: 0.97 } };
  const blessing = { blessed: true };
  const registry = () => new OciRegistry({ registry: server.host, namespace: NAMESPACE, insecure: true, settleMs: 100 });

  beforeAll(async () => {
    server = (await TestRegistry.start())!;
    work = await mkdtemp(join(tmpdir(), 'registry-oci-'));
    modelDir = join(work, 'model');
    await writeModel(modelDir, files);
  });

  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('registers two versions: numbers, digests, uri, manifest layout, and no blob uploaded twice', async () => {
    const reg = registry();
    const spy = jest.spyOn(OciClient.prototype, 'pushBlob');
    let v1, v2;
    let second: PushedBlob[];
    const env = { ...process.env };
    process.env.GITHUB_SERVER_URL = 'https://github.com';
    process.env.GITHUB_REPOSITORY = 'acme/penguins';
    try {
      v1 = await reg.register('penguins', modelDir, { card, blessing });
      spy.mockClear();
      v2 = await reg.register('penguins', modelDir, { card, blessing: null });
      second = await Promise.all(spy.mock.results.map((r) => r.value as Promise<PushedBlob>));
    } finally {
      spy.mockRestore();
      process.env = env;
    }
    expect(v1.version).toBe(1);
    expect(v2.version).toBe(2);
    expect(v1.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(v2.digest).not.toBe(v1.digest);
    expect(v1.uri).toBe(`oci://${server.host}/${NAMESPACE}/penguins@${v1.digest}`);
    expect(v1.files.map((f) => f.path)).toEqual([
      'assets/vocab/tokens.txt',
      'group1-shard1of1.bin',
      'model.json',
      'preprocessing/scaler.json',
    ]);
    for (const file of v1.files) {
      const data = files[file.path as keyof typeof files];
      expect(file.digest).toBe(sha256Digest(data));
      expect(file.size).toBe(Buffer.byteLength(data));
    }
    expect(v1.card).toEqual(card);
    expect(v1.blessing).toEqual(blessing);
    expect(v2.blessing).toBeNull();
    expect(v2.files).toEqual(v1.files);

    // Second register of identical files: every file blob already existed; only the new config blob was uploaded.
    const fileDigests = new Set(v1.files.map((f) => f.digest));
    const fileBlobs = second.filter((b) => fileDigests.has(b.digest));
    expect(fileBlobs).toHaveLength(4);
    expect(fileBlobs.every((b) => b.existed)).toBe(true);
    expect(second.filter((b) => !b.existed)).toHaveLength(1);

    // The manifest: a ModelPack artifact, one titled layer per file, config JSON, annotations.
    const client = new OciClient({ registry: server.host, repository: `${NAMESPACE}/penguins`, insecure: true });
    const fetched = await client.getManifest('v1');
    expect(fetched.digest).toBe(v1.digest);
    const manifest = fetched.manifest as {
      artifactType: string;
      config: { mediaType: string; digest: string };
      layers: { digest: string; annotations: Record<string, string> }[];
      annotations: Record<string, string>;
    };
    expect(manifest.artifactType).toBe(MODEL_ARTIFACT_TYPE);
    expect(manifest.config.mediaType).toBe(MODEL_CONFIG_MEDIA_TYPE);
    expect(manifest.layers.map((l) => l.annotations[TITLE_ANNOTATION])).toEqual(v1.files.map((f) => f.path));
    expect(manifest.annotations['org.opencontainers.image.created']).toBe(v1.createdAt);
    expect(manifest.annotations['org.opencontainers.image.revision']).toBe(card.git.commit);
    expect(manifest.annotations['org.opencontainers.image.source']).toBe('https://github.com/acme/penguins');
    const config = JSON.parse((await client.getBlob(manifest.config.digest)).toString()) as Record<string, unknown>;
    expect(config).toEqual({ model: 'penguins', version: 1, createdAt: v1.createdAt, files: v1.files, card, blessing });
  });

  test('lists versions oldest first and resolves by number, v-number, digest and alias', async () => {
    const reg = registry();
    const versions = await reg.list('penguins');
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const [v1, v2] = versions as [(typeof versions)[0], (typeof versions)[0]];
    expect(await reg.resolve('penguins', '1')).toEqual(v1);
    expect(await reg.resolve('penguins', 'v2')).toEqual(v2);
    expect(await reg.resolve('penguins', v1.digest)).toEqual(v1);
    await reg.setAlias('penguins', 'production', 1);
    expect(await reg.resolve('penguins', 'production')).toEqual(v1);
    expect(await reg.list('nothing-here')).toEqual([]);
  });

  test('aliases move and unset; aliases() and aliasHistory() follow', async () => {
    const reg = registry();
    await reg.setAlias('penguins', 'staging', 2);
    expect(await reg.aliases('penguins')).toEqual({ production: 1, staging: 2 });
    await reg.setAlias('penguins', 'production', 2);
    expect(await reg.aliases('penguins')).toEqual({ production: 2, staging: 2 });
    expect((await reg.resolve('penguins', 'production')).version).toBe(2);
    // Setting an alias to where it already points records nothing.
    await reg.setAlias('penguins', 'production', 2);
    await reg.unsetAlias('penguins', 'staging');
    expect(await reg.aliases('penguins')).toEqual({ production: 2 });

    const history = await reg.aliasHistory('penguins', 'production');
    expect(history.map((e) => e.version)).toEqual([1, 2]);
    expect(history.every((e) => typeof e.at === 'string' && !Number.isNaN(Date.parse(e.at)))).toBe(true);
    expect((await reg.aliasHistory('penguins', 'staging')).map((e) => e.version)).toEqual([2, null]);
    expect(await reg.aliasHistory('penguins', 'champion')).toEqual([]);

    const gone = await userError(reg.resolve('penguins', 'staging'));
    expect(gone.message).toMatch(/no alias "staging"/);
    expect(gone.hint).toMatch(/production -> v2/);
    expect((await userError(reg.unsetAlias('penguins', 'staging'))).message).toMatch(/no alias "staging" to unset/);

    for (const bad of ['v3', '42', 'alias-history']) {
      expect((await userError(reg.setAlias('penguins', bad, 1))).message).toMatch(/cannot be an alias/);
    }
    expect((await userError(reg.setAlias('penguins', 'Production', 1))).message).toMatch(/not a valid alias name/);
    expect((await userError(reg.setAlias('penguins', 'canary', 9))).message).toMatch(/no version 9/);
  });

  test('pull round trip is byte-identical; a non-empty target is refused', async () => {
    const reg = registry();
    const target = join(work, 'pulled', 'production');
    const version = await reg.pull('penguins', 'production', target);
    expect(version.version).toBe(2);
    const tree = await readTree(target);
    expect(Object.keys(tree).sort()).toEqual(Object.keys(files).sort());
    for (const [path, data] of Object.entries(files)) expect(tree[path]!.equals(Buffer.from(data))).toBe(true);
    expect(await readdir(join(work, 'pulled'))).toEqual(['production']);

    const refused = await userError(reg.pull('penguins', '1', target));
    expect(refused.message).toMatch(/not an empty folder/);
    // An empty target folder is fine.
    const empty = join(work, 'pulled', 'empty');
    await mkdir(empty);
    await reg.pull('penguins', 'v1', empty);
    expect(Object.keys(await readTree(empty)).sort()).toEqual(Object.keys(files).sort());
  });

  test('unknown models, versions, digests and aliases fail with what exists', async () => {
    const reg = registry();
    const noModel = await userError(reg.resolve('nothing-here', '1'));
    expect(noModel.message).toMatch(/has no versions/);
    expect(noModel.hint).toMatch(/register "nothing-here" first/);

    const noVersion = await userError(reg.resolve('penguins', 'v7'));
    expect(noVersion.message).toMatch(/no version 7/);
    expect(noVersion.hint).toMatch(/v1-v2/);
    expect(noVersion.hint).toMatch(/production -> v2/);

    const digest = sha256Digest('not a manifest');
    expect((await userError(reg.resolve('penguins', digest))).message).toContain(`a version with digest ${digest}`);
    expect((await userError(reg.resolve('penguins', 'sha256:abc'))).message).toMatch(/not a version digest/);
    expect((await userError(reg.resolve('penguins', 'champion'))).message).toMatch(/no alias "champion"/);
    expect((await userError(reg.resolve('penguins', 'alias-history'))).message).toMatch(/no alias "alias-history"/);
    expect((await userError(reg.register('Penguins', modelDir, { card: null, blessing: null }))).message).toMatch(/not a valid model name/);
    expect((await userError(reg.register('penguins', join(work, 'missing'), { card: null, blessing: null }))).message).toMatch(
      /does not exist/,
    );
  });

  test('a blob tampered with in the registry storage fails the pull clearly and leaves no output', async () => {
    const reg = registry();
    const dir = join(work, 'tamper-model');
    await writeModel(dir, { 'weights.bin': randomBytes(64 * 1024), 'meta/info.json': '{"tamper":true}' });
    const version = await reg.register('tampered', dir, { card: null, blessing: null });
    const weights = version.files.find((f) => f.path === 'weights.bin')!;
    const blob = server.blobDataPath(weights.digest);
    const data = await readFile(blob);
    data[data.length >> 1]! ^= 0xff;
    await writeFile(blob, data);

    const parent = join(work, 'tamper-out');
    await mkdir(parent);
    const failed = await userError(reg.pull('tampered', '1', join(parent, 'model')));
    expect(failed.message).toContain('weights.bin');
    expect(failed.message).toContain(weights.digest);
    expect(failed.message).toMatch(/does not match its digest/);
    expect(failed.hint).toMatch(/corrupt or was tampered with/);
    expect(await readdir(parent)).toEqual([]);
  });

  test('concurrent registers on separate instances get distinct versions 1..5, none lost', async () => {
    const dirs = await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        const dir = join(work, `concurrent-${i}`);
        await writeModel(dir, { 'model.json': `{"writer":${i}}`, 'shared/weights.bin': 'same bytes for all' });
        return dir;
      }),
    );
    const results = await Promise.all(dirs.map((dir) => registry().register('racing', dir, { card: null, blessing: null })));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    const listed = await registry().list('racing');
    expect(listed.map((v) => v.version)).toEqual([1, 2, 3, 4, 5]);
    // Every register's own version survived: its digest is what the registry holds under its number.
    for (const result of results) expect(listed[result.version - 1]!.digest).toBe(result.digest);
    const writers = await Promise.all(listed.map(async (v) => (await readTree(await pullTo(v.version)))['model.json']?.toString()));
    expect(new Set(writers).size).toBe(5);

    async function pullTo(version: number): Promise<string> {
      const target = join(work, 'racing-pulled', String(version));
      await registry().pull('racing', String(version), target);
      return target;
    }
  }, 60_000);
});
