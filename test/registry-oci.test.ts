/**
 * The OCI store against a real docker-registry on loopback: what only it has. The
 * manifest layout (a ModelPack artifact, one titled layer per file, the config JSON,
 * annotations), blobs found by HEAD and not uploaded twice, the reserved alias-history
 * tag, the manifest an unset alias points at, and the client's own check of a tampered
 * blob. What every store must do is proven for this one by registry-contract.test.ts.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MODEL_ARTIFACT_TYPE,
  FILEPATH_ANNOTATION,
  MODEL_CONFIG_MEDIA_TYPE,
  OciClient,
  TITLE_ANNOTATION,
  sha256Digest,
  type PushedBlob,
} from '../src/adapters/registry/oci-client.js';
import { ALIAS_UNSET_ARTIFACT_TYPE, OciStore, VERSION_RECORD_MEDIA_TYPE } from '../src/adapters/registry/oci-store.js';
import { registryAuth } from '../src/adapters/registry.js';
import { ModelRegistry } from '../src/core/registry/registry.js';
import { BearerProxy, OciRegistry as TestRegistry, registryUnavailable } from './support/oci-registry.js';
import type { ProxyFault } from './support/oci-registry.js';
import { testBlessing, testCard, userError, writeTree } from './support/registry.js';

const NAMESPACE = 'acme';

/**
 * What ModelPack's config schema (model-spec, schema/config-schema.json) asks of a model config,
 * as its rules read: exactly `descriptor`, `config` and `modelfs`; no other keys at any level it
 * closes; the types it names; `modelfs.type` "layers" and at least one diffId. Returns each
 * breach ([] when none). No ModelPack validator is packaged for Debian or npm, so the rules are
 * checked here as the spec states them.
 */
function modelPackConfigProblems(value: unknown): string[] {
  const problems: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const closed = (where: string, v: Record<string, unknown>, allowed: Record<string, string>) => {
    for (const [key, item] of Object.entries(v)) {
      const type = allowed[key];
      if (!type) problems.push(`${where}.${key} is not allowed`);
      else if (type === 'string[]' ? !Array.isArray(item) || item.some((x) => typeof x !== 'string') : typeof item !== type)
        problems.push(`${where}.${key} is not ${type}`);
    }
  };
  if (!isObject(value)) return ['not an object'];
  for (const key of ['descriptor', 'config', 'modelfs']) if (!(key in value)) problems.push(`${key} is required`);
  closed('config', value, { descriptor: 'object', config: 'object', modelfs: 'object' });
  const s = 'string';
  if (isObject(value.descriptor)) {
    closed('descriptor', value.descriptor, {
      createdAt: s,
      authors: 'string[]',
      family: s,
      name: s,
      docURL: s,
      sourceURL: s,
      datasetsURL: 'string[]',
      version: s,
      revision: s,
      vendor: s,
      licenses: 'string[]',
      title: s,
      description: s,
    });
    if (typeof value.descriptor.createdAt === 'string' && Number.isNaN(Date.parse(value.descriptor.createdAt)))
      problems.push('descriptor.createdAt is not a date-time');
    if (value.descriptor.name === '') problems.push('descriptor.name is empty');
  }
  if (isObject(value.config))
    closed('config.config', value.config, {
      architecture: s,
      format: s,
      paramSize: s,
      precision: s,
      quantization: s,
      transformerConfig: 'object',
      capabilities: 'object',
    });
  if (isObject(value.modelfs)) {
    closed('modelfs', value.modelfs, { type: s, diffIds: 'string[]' });
    if (value.modelfs.type !== 'layers') problems.push('modelfs.type is not "layers"');
    if (!Array.isArray(value.modelfs.diffIds) || value.modelfs.diffIds.length === 0)
      problems.push('modelfs.diffIds needs at least one item');
  }
  return problems;
}

const unavailable = registryUnavailable();
const title = 'OCI store against a real docker-registry';
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
  const card = testCard();
  const blessing = testBlessing();
  const store = () => new OciStore({ registry: server.host, namespace: NAMESPACE, insecure: true, settleMs: 100 });
  const registry = () => new ModelRegistry(store());

  beforeAll(async () => {
    server = (await TestRegistry.start())!;
    work = await mkdtemp(join(tmpdir(), 'registry-oci-'));
    modelDir = join(work, 'model');
    await writeTree(modelDir, files);
  });

  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('registers two versions: the manifest layout and annotations, and no file blob uploaded twice', async () => {
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
    expect([v1.version, v2.version]).toEqual([1, 2]);
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
    expect(v2.files).toEqual(v1.files);

    // Second register of identical files: every file blob already existed; only the new record (v2, no
    // blessing), its ModelPack config and the ledger's new list (v1 and v2) were uploaded.
    const fileDigests = new Set(v1.files.map((f) => f.digest));
    const fileBlobs = second.filter((b) => fileDigests.has(b.digest));
    expect(fileBlobs).toHaveLength(4);
    expect(fileBlobs.every((b) => b.existed)).toBe(true);
    const ledgerClient = new OciClient({ registry: server.host, repository: `${NAMESPACE}/penguins`, insecure: true });
    const ledger = await ledgerClient.getManifest('version-ledger');
    const ledgerList = (ledger.manifest as { config: { digest: string } }).config.digest;
    expect(JSON.parse((await ledgerClient.getBlob(ledgerList)).toString('utf8'))).toEqual([
      { version: 1, digest: v1.digest, at: v1.createdAt },
      { version: 2, digest: v2.digest, at: v2.createdAt },
    ]);
    expect(second.filter((b) => !b.existed).map((b) => b.digest)).toEqual([
      expect.not.stringMatching(ledgerList),
      expect.not.stringMatching(ledgerList),
      ledgerList,
    ]);

    // The manifest: a ModelPack artifact, one titled layer per file (path annotated as ModelPack asks), a ModelPack
    // config, our own record as a layer of our own type, annotations.
    const client = new OciClient({ registry: server.host, repository: `${NAMESPACE}/penguins`, insecure: true });
    const fetched = await client.getManifest('v1');
    expect(fetched.digest).toBe(v1.digest);
    const manifest = fetched.manifest as {
      artifactType: string;
      config: { mediaType: string; digest: string };
      layers: { digest: string; mediaType: string; annotations?: Record<string, string> }[];
      annotations: Record<string, string>;
    };
    expect(manifest.artifactType).toBe(MODEL_ARTIFACT_TYPE);
    expect(manifest.config.mediaType).toBe(MODEL_CONFIG_MEDIA_TYPE);
    const fileLayers = manifest.layers.slice(0, -1);
    expect(fileLayers.map((l) => l.annotations?.[TITLE_ANNOTATION])).toEqual(v1.files.map((f) => f.path));
    expect(fileLayers.map((l) => l.annotations?.[FILEPATH_ANNOTATION])).toEqual(v1.files.map((f) => f.path));
    expect(fileLayers.map((l) => l.mediaType)).toEqual([
      'application/vnd.cncf.model.weight.config.v1.raw',
      'application/vnd.cncf.model.weight.v1.raw',
      'application/vnd.cncf.model.weight.config.v1.raw',
      'application/vnd.cncf.model.weight.config.v1.raw',
    ]);
    const recordLayer = manifest.layers.at(-1)!;
    expect(recordLayer.mediaType).toBe(VERSION_RECORD_MEDIA_TYPE);
    expect(recordLayer.annotations).toBeUndefined(); // untitled: tools that pull titled layers as files leave it out
    expect(manifest.annotations['org.opencontainers.image.created']).toBe(v1.createdAt);
    expect(manifest.annotations['org.opencontainers.image.revision']).toBe(card.git!.commit);
    expect(manifest.annotations['org.opencontainers.image.source']).toBe('https://github.com/acme/penguins');
    const record = JSON.parse((await client.getBlob(recordLayer.digest)).toString()) as Record<string, unknown>;
    expect(record).toEqual({ model: 'penguins', version: 1, createdAt: v1.createdAt, files: v1.files, card, blessing });
    const config = JSON.parse((await client.getBlob(manifest.config.digest)).toString()) as Record<string, unknown>;
    expect(config).toEqual({
      descriptor: {
        name: 'penguins',
        version: 'v1',
        createdAt: v1.createdAt,
        sourceURL: 'https://github.com/acme/penguins',
        revision: card.git!.commit,
      },
      config: { architecture: 'mlp' }, // the card's trainer
      modelfs: { type: 'layers', diffIds: v1.files.map((f) => f.digest) },
    });
    expect(modelPackConfigProblems(config)).toEqual([]);
  });

  test('a version written before the ModelPack config (its record as the config blob) is read as it was', async () => {
    const client = new OciClient({ registry: server.host, repository: `${NAMESPACE}/older`, insecure: true });
    const data = Buffer.from('weights of an older version');
    const blob = await client.pushBlob(data);
    const files = [{ path: 'weights.bin', digest: blob.digest, size: blob.size }];
    const legacy = { model: 'older', version: 1, createdAt: '2026-01-01T00:00:00.000Z', files, card: null, blessing: null };
    const config = await client.pushBlob(Buffer.from(JSON.stringify(legacy)));
    await client.putManifest('v1', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: MODEL_ARTIFACT_TYPE,
      config: { mediaType: MODEL_CONFIG_MEDIA_TYPE, digest: config.digest, size: config.size },
      layers: [
        {
          mediaType: 'application/vnd.cncf.model.weight.v1.raw',
          digest: blob.digest,
          size: blob.size,
          annotations: { [TITLE_ANNOTATION]: 'weights.bin' },
        },
      ],
    });
    const version = await registry().resolve('older', '1');
    expect(version).toMatchObject({ model: 'older', version: 1, files, card: null, blessing: null });
    const out = join(work, 'older-out');
    await registry().pull('older', '1', out);
    expect(await readFile(join(out, 'weights.bin'))).toEqual(data);
  });

  test('the ModelPack config of a model card and an ONNX graph: format onnx, the card a doc layer', async () => {
    const dir = join(work, 'onnx-model');
    await writeTree(dir, { 'model.onnx': randomBytes(512), 'model-card.json': JSON.stringify(card), 'README.md': '# penguins\n' });
    const version = await registry().register('graph', dir, { card, blessing });
    const client = new OciClient({ registry: server.host, repository: `${NAMESPACE}/graph`, insecure: true });
    const manifest = (await client.getManifest(version.digest)).manifest as {
      config: { digest: string };
      layers: { mediaType: string; annotations?: Record<string, string> }[];
    };
    expect(Object.fromEntries(manifest.layers.map((l) => [l.annotations?.[TITLE_ANNOTATION] ?? '(record)', l.mediaType]))).toEqual({
      'README.md': 'application/vnd.cncf.model.doc.v1.raw',
      'model-card.json': 'application/vnd.cncf.model.doc.v1.raw',
      'model.onnx': 'application/vnd.cncf.model.weight.v1.raw',
      '(record)': VERSION_RECORD_MEDIA_TYPE,
    });
    const config = JSON.parse((await client.getBlob(manifest.config.digest)).toString()) as { config: unknown };
    expect(config.config).toEqual({ format: 'onnx', architecture: 'mlp' });
    expect(modelPackConfigProblems(config)).toEqual([]);
  });

  test('alias-history is the tag of the alias history, never an alias; an unset alias points at the unset manifest', async () => {
    const reg = registry();
    expect((await userError(reg.setAlias('penguins', 'alias-history', 1))).message).toMatch(
      /"alias-history" cannot be an alias: the OCI registry keeps the alias history under that tag/,
    );
    expect((await userError(reg.resolve('penguins', 'alias-history'))).message).toMatch(/no alias "alias-history"/);
    await reg.setAlias('penguins', 'canary', 1);
    await reg.unsetAlias('penguins', 'canary');
    const client = new OciClient({ registry: server.host, repository: `${NAMESPACE}/penguins`, insecure: true });
    expect((await client.getManifest('canary')).manifest.artifactType).toBe(ALIAS_UNSET_ARTIFACT_TYPE);
    expect(await reg.aliases('penguins')).not.toHaveProperty('canary');
    expect((await reg.aliasHistory('penguins', 'canary')).map((e) => e.version)).toEqual([1, null]);
  });

  test('a model with no versions: the hint names the registry and says to register first', async () => {
    const error = await userError(registry().resolve('nothing-here', '1'));
    expect(error.message).toMatch(/has no versions in .*\/acme\/nothing-here/);
    expect(error.hint).toContain(`oci://${server.host}/${NAMESPACE}`);
    expect(error.hint).toMatch(/register "nothing-here" first/);
  });

  test("a blob tampered with in the registry's storage fails the client's own digest check, leaving no output", async () => {
    const reg = registry();
    const dir = join(work, 'tamper-model');
    await writeTree(dir, { 'weights.bin': randomBytes(64 * 1024), 'meta/info.json': '{"tamper":true}' });
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

  test('a foreign vN tag (an image pushed by another tool) is left out of the list with a note, never failing it; register goes past it', async () => {
    const reg = registry();
    const dir = join(work, 'foreign-model');
    await writeTree(dir, { 'weights.bin': randomBytes(1024) });
    await reg.register('mixed', dir, { card: null, blessing: null });
    // Another tool pushes an ordinary image under the tag v2.
    const client = new OciClient({ registry: server.host, repository: `${NAMESPACE}/mixed`, insecure: true });
    const config = await client.pushBlob(Buffer.from('{}'));
    await client.putManifest('v2', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
      layers: [],
    });
    const notes: string[] = [];
    const listed = await reg.list('mixed', (n, reason) => notes.push(`v${n}: ${reason}`));
    expect(listed.map((v) => v.version)).toEqual([1]);
    expect(notes).toEqual([
      expect.stringMatching(/^v2: .*mixed@v2 is not a model version registered by this tool: its artifactType is undefined$/),
    ]);
    // Resolving the foreign tag by number stays an error naming it.
    expect((await userError(reg.resolve('mixed', '2'))).message).toMatch(/not a model version registered by this tool/);
    expect((await reg.register('mixed', dir, { card: null, blessing: null })).version).toBe(3);
  });

  describe('a manifest PUT refused as the registry does while writers link the same blobs (400 DIGEST_INVALID)', () => {
    const digestInvalid = (tag: string, times: number, before?: () => Promise<void>): ProxyFault => ({
      method: 'PUT',
      path: new RegExp(`/manifests/${tag}$`),
      status: 400,
      code: 'DIGEST_INVALID',
      message: 'provided digest did not match uploaded content',
      times,
      before,
    });
    const through = async (faults: ProxyFault[], run: (reg: ModelRegistry, proxy: BearerProxy) => Promise<void>) => {
      const proxy = await BearerProxy.start(server.host, { users: { ci: { password: 'ci-secret', push: true } }, faults });
      try {
        const auth = { username: 'ci', password: 'ci-secret' };
        await run(
          new ModelRegistry(new OciStore({ registry: proxy.host, namespace: 'racing', insecure: true, settleMs: 20, auth })),
          proxy,
        );
      } finally {
        await proxy.close();
      }
    };
    const injected = (proxy: BearerProxy, tag: string) =>
      proxy.requests.filter((r) => r.endsWith(`/manifests/${tag} 400 (injected)`)).length;

    test('createVersion puts the manifest again, after checking the tag: the version is created', async () => {
      await through([digestInvalid('v1', 2)], async (reg, proxy) => {
        const version = await reg.register('twice', modelDir, { card, blessing });
        expect(version.version).toBe(1);
        expect(injected(proxy, 'v1')).toBe(2);
        expect((await reg.resolve('twice', 'v1')).digest).toBe(version.digest);
      });
    });

    test('a competitor that takes the tag between two tries keeps it: this writer moves to the next number', async () => {
      // The competitor registers straight on the registry while this writer's first PUT is refused.
      const competitor = new ModelRegistry(new OciStore({ registry: server.host, namespace: 'racing', insecure: true, settleMs: 20 }));
      let theirs = '';
      const before = async () => {
        theirs = (await competitor.register('contest', modelDir, { card: null, blessing: null })).digest;
      };
      await through([digestInvalid('v1', 1, before)], async (reg, proxy) => {
        const mine = await reg.register('contest', modelDir, { card, blessing });
        expect(injected(proxy, 'v1')).toBe(1);
        expect(mine.version).toBe(2);
        expect((await reg.resolve('contest', 'v1')).digest).toBe(theirs);
      });
    });

    test('the ledger, an alias and its history are put again too', async () => {
      const faults = [digestInvalid('version-ledger', 1), digestInvalid('production', 1), digestInvalid('alias-history', 1)];
      await through(faults, async (reg, proxy) => {
        const version = await reg.register('lists', modelDir, { card, blessing });
        await reg.setAlias('lists', 'production', version.version);
        for (const tag of ['version-ledger', 'production', 'alias-history']) expect(injected(proxy, tag)).toBe(1);
        expect(await reg.aliases('lists')).toEqual({ production: 1 });
        expect((await reg.aliasHistory('lists', 'production')).map((event) => event.version)).toEqual([1]);
        expect((await reg.list('lists')).map((v) => v.version)).toEqual([1]);
      });
    });

    test('other errors are not tried again, nor DIGEST_INVALID past four tries: a UserError naming the code', async () => {
      const manifestInvalid: ProxyFault = { ...digestInvalid('v1', 1), code: 'MANIFEST_INVALID', message: 'manifest invalid' };
      await through([manifestInvalid], async (reg, proxy) => {
        expect((await userError(reg.register('refused', modelDir, { card, blessing }))).message).toContain('400 MANIFEST_INVALID');
        expect(injected(proxy, 'v1')).toBe(1);
        expect(await reg.list('refused')).toEqual([]);
      });
      await through([digestInvalid('v1', 4)], async (reg, proxy) => {
        expect((await userError(reg.register('exhausted', modelDir, { card, blessing }))).message).toContain('400 DIGEST_INVALID');
        expect(injected(proxy, 'v1')).toBe(4);
        expect(await reg.list('exhausted')).toEqual([]);
      });
    });
  });
});

describe('which credentials the OCI registry gets (openRegistry)', () => {
  const secrets =
    (values: Record<string, string>) =>
    (name: string): string | undefined =>
      values[name];
  const all = {
    MLOPS_REGISTRY_TOKEN: 'fake-registry-token',
    MLOPS_REGISTRY_USERNAME: 'ml',
    MLOPS_REGISTRY_PASSWORD: 'fake-password',
    GITHUB_TOKEN: 'ghs-fake-env-token',
  };

  test("the registry's own token first, for any registry", () => {
    expect(registryAuth('registry.example.com', secrets(all), 'ghs-fake-input-token')).toEqual({ token: 'fake-registry-token' });
    expect(registryAuth('ghcr.io', secrets(all), 'ghs-fake-input-token')).toEqual({ token: 'fake-registry-token' });
  });

  test('a username and password win over the workflow token, on ghcr.io too', () => {
    const { MLOPS_REGISTRY_TOKEN: _, ...rest } = all;
    expect(registryAuth('ghcr.io', secrets(rest), 'ghs-fake-input-token')).toEqual({ username: 'ml', password: 'fake-password' });
    expect(registryAuth('registry.example.com', secrets(rest))).toEqual({ username: 'ml', password: 'fake-password' });
    // Half a pair is no pair.
    expect(registryAuth('registry.example.com', secrets({ MLOPS_REGISTRY_USERNAME: 'ml' }))).toBeNull();
  });

  test('the workflow token (the token input, else GITHUB_TOKEN) for ghcr.io only', () => {
    expect(registryAuth('ghcr.io', secrets({ GITHUB_TOKEN: 'ghs-fake-env-token' }), 'ghs-fake-input-token')).toEqual({
      workflowToken: 'ghs-fake-input-token',
    });
    expect(registryAuth('ghcr.io', secrets({ GITHUB_TOKEN: 'ghs-fake-env-token' }))).toEqual({ workflowToken: 'ghs-fake-env-token' });
    for (const host of ['registry.example.com', '127.0.0.1:5000', 'ghcr.io.example.com', 'ghcr.io:443']) {
      expect(registryAuth(host, secrets({ GITHUB_TOKEN: 'ghs-fake-env-token' }), 'ghs-fake-input-token')).toBeNull();
    }
  });
});
