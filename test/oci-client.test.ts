import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.js';
import {
  MODEL_ARTIFACT_TYPE,
  MODEL_CONFIG_MEDIA_TYPE,
  MODEL_FILE_MEDIA_TYPE,
  MODEL_WEIGHT_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  OciClient,
  TITLE_ANNOTATION,
  buildManifest,
  layerMediaType,
  parseChallenge,
  sha256Digest,
  type OciAuth,
} from '../src/adapters/registry/oci-client.js';
import { BearerProxy, OciRegistry, registryUnavailable } from './support/oci-registry.js';

const REPOSITORY = 'models/penguins';

/** Pushes a config and one layer per file, then the manifest under `tag`. */
async function pushModel(client: OciClient, tag: string, files: Record<string, Buffer>, note = tag) {
  const config = Buffer.from(JSON.stringify({ descriptor: { name: 'penguins', note }, modelfs: { type: 'layers' } }));
  const configBlob = await client.pushBlob(config);
  const layers = [];
  for (const [path, data] of Object.entries(files)) {
    const blob = await client.pushBlob(data);
    layers.push({ digest: blob.digest, size: blob.size, mediaType: layerMediaType(path), annotations: { [TITLE_ANNOTATION]: path } });
  }
  const manifest = buildManifest({ config: configBlob, layers, annotations: { 'org.opencontainers.image.description': note } });
  const digest = await client.putManifest(tag, manifest);
  return { digest, manifest };
}

/** The UserError a promise rejects with. */
async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** Flips one byte in the middle of a file, keeping its size. */
async function corrupt(path: string): Promise<void> {
  const data = await readFile(path);
  const at = Math.floor(data.length / 2);
  data[at] = data[at]! ^ 0xff;
  await writeFile(path, data);
}

describe('manifest building and challenge parsing', () => {
  test('buildManifest makes a ModelPack-style OCI manifest with a stable serialization', () => {
    const config = { digest: sha256Digest('{}'), size: 2 };
    const layers = [
      { digest: sha256Digest('w'), size: 1, mediaType: MODEL_WEIGHT_MEDIA_TYPE, annotations: { [TITLE_ANNOTATION]: 'weights.bin' } },
    ];
    const a = buildManifest({ config, layers, annotations: { b: '2', a: '1' } });
    const b = buildManifest({ config, layers, annotations: { a: '1', b: '2' } });
    expect(a).toEqual({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      artifactType: MODEL_ARTIFACT_TYPE,
      config: { mediaType: MODEL_CONFIG_MEDIA_TYPE, digest: config.digest, size: 2 },
      layers: [
        { mediaType: MODEL_WEIGHT_MEDIA_TYPE, digest: layers[0]!.digest, size: 1, annotations: { [TITLE_ANNOTATION]: 'weights.bin' } },
      ],
      annotations: { a: '1', b: '2' },
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(layerMediaType('group1-shard1of1.bin')).toBe(MODEL_WEIGHT_MEDIA_TYPE);
    expect(layerMediaType('model.json')).toBe(MODEL_FILE_MEDIA_TYPE);
    expect(() => buildManifest({ config: { digest: 'sha256:abc', size: 2 }, layers: [] })).toThrow(UserError);
  });

  test('parseChallenge reads Basic and Bearer challenges', () => {
    expect(parseChallenge('Basic realm="registry"')).toEqual({ scheme: 'basic', params: { realm: 'registry' } });
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/m:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:o/m:pull,push' },
    });
    expect(parseChallenge(null)).toBeNull();
  });

  test('names and references are checked before any request', () => {
    expect(() => new OciClient({ registry: 'https://ghcr.io', repository: 'o/m' })).toThrow(/not a host name/);
    expect(() => new OciClient({ registry: 'ghcr.io', repository: 'Owner/Model' })).toThrow(/not a valid OCI repository name/);
  });
});

const suites: { title: string; auth?: { username: string; password: string } }[] = [
  { title: 'without authentication' },
  { title: 'with htpasswd basic authentication', auth: { username: 'alice', password: 'correct horse battery staple' } },
];

for (const suite of suites) {
  const unavailable = registryUnavailable({ auth: suite.auth !== undefined });
  const title = `OCI client against a real docker-registry ${suite.title}`;
  (unavailable ? describe.skip : describe)(unavailable ? `${title} (skipped: ${unavailable})` : title, () => {
    let registry: OciRegistry;
    let work: string;
    const client = (auth: OciAuth | null | undefined = suite.auth, repository = REPOSITORY) =>
      new OciClient({ registry: registry.host, repository, insecure: true, auth });

    beforeAll(async () => {
      registry = (await OciRegistry.start({ auth: suite.auth }))!;
      work = await mkdtemp(join(tmpdir(), 'oci-client-'));
    });

    afterAll(async () => {
      await registry?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    test('pushes a blob once: a second push finds it with HEAD and uploads nothing', async () => {
      const oci = client();
      const data = randomBytes(1000);
      const first = await oci.pushBlob(data);
      expect(first).toEqual({ digest: sha256Digest(data), size: 1000, existed: false });
      expect(await oci.pushBlob(data)).toEqual({ ...first, existed: true });
      expect(await oci.blobSize(first.digest)).toBe(1000);
      expect(await oci.getBlob(first.digest)).toEqual(data);

      // A file is hashed, then streamed from disk.
      const file = join(work, 'weights.bin');
      const big = randomBytes(3 * 1024 * 1024 + 17);
      await writeFile(file, big);
      const fromFile = await oci.pushBlob({ path: file, size: big.length });
      expect(fromFile).toEqual({ digest: sha256Digest(big), size: big.length, existed: false });
      expect(await oci.pushBlob({ path: file })).toEqual({ ...fromFile, existed: true });
      expect((await oci.getBlob(fromFile.digest)).equals(big)).toBe(true);
      await expect(oci.pushBlob({ path: file, size: 5 })).rejects.toThrow(/not the 5 expected/);
    });

    test('pushes a config, two layers and a manifest under v1, and reads it back by tag and by digest', async () => {
      const oci = client();
      const files = { 'model.json': Buffer.from('{"format":"layers-model"}'), 'group1-shard1of1.bin': randomBytes(4096) };
      const { digest, manifest } = await pushModel(oci, 'v1', files);
      expect(digest).toBe(sha256Digest(JSON.stringify(manifest)));

      const byTag = await oci.getManifest('v1');
      expect(byTag.digest).toBe(digest);
      expect(byTag.mediaType).toBe(OCI_MANIFEST_MEDIA_TYPE);
      expect(byTag.manifest).toEqual(manifest);
      expect(byTag.manifest.artifactType).toBe(MODEL_ARTIFACT_TYPE);
      expect(byTag.bytes.toString()).toBe(JSON.stringify(manifest));

      const byDigest = await oci.getManifest(digest);
      expect(byDigest.bytes.equals(byTag.bytes)).toBe(true);
      expect(await oci.headManifest('v1')).toBe(digest);
      expect(await oci.headManifest(digest)).toBe(digest);

      for (const layer of manifest.layers) {
        const path = layer.annotations![TITLE_ANNOTATION]! as keyof typeof files;
        expect((await oci.getBlob(layer.digest)).equals(files[path])).toBe(true);
      }
      expect(manifest.layers.map((l) => l.mediaType)).toEqual([MODEL_FILE_MEDIA_TYPE, MODEL_WEIGHT_MEDIA_TYPE]);
      expect(JSON.parse((await oci.getBlob(manifest.config.digest)).toString())).toMatchObject({ descriptor: { name: 'penguins' } });

      // Pushing the same manifest again is idempotent: same bytes, same digest.
      expect(await oci.putManifest('v1', manifest)).toBe(digest);
    });

    test('lists more tags than the page size (this registry ignores n and answers with every tag at once)', async () => {
      const oci = client();
      const tags = ['t1', 't2', 't3', 't4', 't5'];
      for (const tag of tags) await pushModel(oci, tag, { 'model.json': Buffer.from(tag) });
      const listed = await oci.listTags({ pageSize: 2 });
      expect(listed).toEqual(expect.arrayContaining(tags));
      expect(listed).toEqual([...listed].sort());
      expect(await oci.listTags()).toEqual(listed);
    });

    test('moves a tag to another manifest, as an alias moves; the old manifest stays reachable by digest', async () => {
      const oci = client();
      const first = await pushModel(oci, 'production', { 'model.json': Buffer.from('first') }, 'first');
      const second = await pushModel(oci, 'staging', { 'model.json': Buffer.from('second') }, 'second');
      expect(await oci.headManifest('production')).toBe(first.digest);

      await oci.putManifest('production', second.manifest);
      expect(await oci.headManifest('production')).toBe(second.digest);
      expect((await oci.getManifest('production')).manifest).toEqual(second.manifest);
      expect((await oci.getManifest(first.digest)).manifest).toEqual(first.manifest);
      expect(await oci.listTags()).toEqual(expect.arrayContaining(['production', 'staging']));
    });

    test('pulls a blob into a file, verified, leaving nothing else beside it', async () => {
      const oci = client();
      const data = randomBytes(2 * 1024 * 1024 + 3);
      const { digest } = await oci.pushBlob(data);
      const folder = join(work, 'pull', 'model');
      const target = join(folder, 'weights.bin');
      expect(await oci.pullBlobToFile(digest, target)).toEqual({ digest, size: data.length });
      expect((await readFile(target)).equals(data)).toBe(true);
      expect(await readdir(folder)).toEqual(['weights.bin']);
    });

    test('a blob tampered with inside the registry storage fails getBlob and pullBlobToFile, and writes no file', async () => {
      const oci = client();
      const data = randomBytes(64 * 1024);
      const { digest } = await oci.pushBlob(data);
      await corrupt(registry.blobDataPath(digest));

      const got = await userError(oci.getBlob(digest));
      expect(got.message).toContain(digest);
      expect(got.message).toMatch(/does not match its digest/);
      expect(got.hint).toMatch(/corrupt or was tampered with/);

      const folder = join(work, 'tampered');
      await mkdir(folder, { recursive: true });
      const pulled = await userError(oci.pullBlobToFile(digest, join(folder, 'weights.bin')));
      expect(pulled.message).toContain(digest);
      expect(pulled.message).toMatch(/does not match its digest/);
      expect(await readdir(folder)).toEqual([]);
    });

    test('a manifest tampered with inside the registry storage fails getManifest, by tag and by digest', async () => {
      const oci = client();
      const { digest } = await pushModel(oci, 'tampered', { 'model.json': Buffer.from('x') }, 'aaaaaaaaaaaaaaaa');
      // Change the description annotation's value: still valid JSON, but other bytes.
      const path = registry.blobDataPath(digest);
      await writeFile(path, (await readFile(path, 'utf8')).replace('aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'));
      for (const reference of ['tampered', digest]) {
        const error = await userError(oci.getManifest(reference));
        expect(error.message).toMatch(new RegExp(`manifest ${digest} .* does not match its digest`));
      }
    });

    test('a missing tag, blob or repository is a clear error (or null / empty where asked)', async () => {
      const oci = client();
      const missing = await userError(oci.getManifest('v404'));
      expect(missing.message).toMatch(/get manifest v404 on 127\.0\.0\.1:\d+\/models\/penguins failed: 404 MANIFEST_UNKNOWN/);
      expect(missing.hint).toMatch(/No such tag or digest/);
      expect(await oci.headManifest('v404')).toBeNull();

      const blob = await userError(oci.getBlob(sha256Digest('never pushed')));
      expect(blob.message).toMatch(/404 BLOB_UNKNOWN/);
      expect(await oci.blobSize(sha256Digest('never pushed'))).toBeNull();

      expect(await client(suite.auth, 'models/nothing-yet').listTags()).toEqual([]);
      await expect(oci.getManifest('not a tag')).rejects.toThrow(/neither a tag nor a digest/);
    });

    test('deletes a manifest by digest, which drops the tags that point at it', async () => {
      const oci = client();
      const { digest } = await pushModel(oci, 'doomed', { 'model.json': Buffer.from('doomed') });
      expect(await oci.deleteManifest(digest)).toBe(true);
      expect(await oci.headManifest('doomed')).toBeNull();
      expect(await oci.headManifest(digest)).toBeNull();
      expect(await oci.listTags()).not.toContain('doomed');
      expect(await oci.deleteManifest(digest)).toBe(false);
    });

    if (suite.auth) {
      const auth = suite.auth;
      test('a wrong password is a clear authentication error', async () => {
        const error = await userError(client({ username: auth.username, password: 'wrong' }).listTags());
        expect(error.message).toMatch(/list tags on 127\.0\.0\.1:\d+\/models\/penguins failed: 401 UNAUTHORIZED/);
        expect(error.hint).toMatch(/rejected the credentials/);
      });

      test('no credentials is a clear error saying the registry needs them', async () => {
        const error = await userError(client(null).getManifest('v1'));
        expect(error.message).toMatch(/401 UNAUTHORIZED/);
        expect(error.hint).toMatch(/needs credentials/);
      });
    }
  });
}

const bearerUnavailable = registryUnavailable();
const bearerTitle = 'OCI client through a bearer token service (the ghcr.io challenge flow) in front of docker-registry';
(bearerUnavailable ? describe.skip : describe)(bearerUnavailable ? `${bearerTitle} (skipped: ${bearerUnavailable})` : bearerTitle, () => {
  let registry: OciRegistry;
  let proxy: BearerProxy;
  const client = (auth: OciAuth | null) => new OciClient({ registry: proxy.host, repository: REPOSITORY, insecure: true, auth });

  beforeAll(async () => {
    registry = (await OciRegistry.start())!;
    proxy = await BearerProxy.start(registry.host, {
      users: { ci: { password: 'ci-secret', push: true }, reader: { password: 'reader-secret', push: false } },
      tokens: { 'ghs-fake-github-token': { push: true } },
      paginateTags: true,
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  test('answers the Bearer challenge with a token from the realm, cached per scope', async () => {
    const oci = client({ username: 'ci', password: 'ci-secret' });
    const files = { 'model.json': Buffer.from('{}'), 'weights.bin': randomBytes(10_000) };
    const { digest, manifest } = await pushModel(oci, 'v1', files);
    expect((await oci.getManifest('v1')).digest).toBe(digest);
    expect((await oci.getBlob(manifest.layers[1]!.digest)).equals(files['weights.bin'])).toBe(true);

    // One token for pull (the first HEAD), one for push (the first POST), reused for everything after.
    expect(proxy.tokenRequests).toEqual([`GET /token repository:${REPOSITORY}:pull`, `GET /token repository:${REPOSITORY}:pull,push`]);
    expect(proxy.requests.filter((r) => r.endsWith(' 401'))).toHaveLength(2);
    expect(proxy.requests).toContain(`PUT /v2/${REPOSITORY}/manifests/v1 201`);
  });

  test("a registry's own token (MLOPS_REGISTRY_TOKEN) is sent as the password with any username", async () => {
    const oci = client({ token: 'ghs-fake-github-token' });
    expect(await oci.headManifest('v1')).toMatch(/^sha256:/);
    expect((await oci.pushBlob(Buffer.from('pushed with a token'))).existed).toBe(false);
  });

  test('a wrong password is refused by the token service with a clear error', async () => {
    const error = await userError(client({ username: 'ci', password: 'wrong' }).getManifest('v1'));
    expect(error.message).toMatch(
      /token service of 127\.0\.0\.1:\d+ .* refused a token for repository:models\/penguins:pull: 401 UNAUTHORIZED/,
    );
    expect(error.hint).toMatch(/rejected the credentials/);
  });

  test('without credentials the error says the registry needs them', async () => {
    const error = await userError(client(null).getManifest('v1'));
    expect(error.hint).toMatch(/needs credentials/);
  });

  test('a token without push access gets 403 DENIED with a hint about permissions', async () => {
    const oci = client({ username: 'reader', password: 'reader-secret' });
    expect(await oci.headManifest('v1')).toMatch(/^sha256:/);
    const error = await userError(oci.pushBlob(Buffer.from('not allowed')));
    expect(error.message).toMatch(/push blob sha256:[0-9a-f]{64} on 127\.0\.0\.1:\d+\/models\/penguins failed: 403 DENIED/);
    expect(error.hint).toMatch(/may not push to/);
  });

  test('the workflow token is for ghcr.io only: another registry never receives it, not even its own token service', async () => {
    const before = proxy.tokenAuthorizations.length;
    const error = await userError(client({ workflowToken: 'ghs-fake-github-token' }).getManifest('v1'));
    expect(proxy.tokenAuthorizations.slice(before)).toEqual([null]);
    expect(error.message).toMatch(/refused a token for repository:models\/penguins:pull: 401/);
    expect(error.hint).toMatch(/needs credentials: give a username and password, or a token/);
    expect(`${error.message} ${error.hint}`).not.toContain('ghs-fake-github-token');
  });

  describe('a Bearer challenge naming a token service on another origin', () => {
    let foreign: BearerProxy;
    let redirecting: BearerProxy;
    const secrets = ['ghs-fake-github-token', 'ci-secret', 'fake-registry-token'];
    beforeAll(async () => {
      // The foreign token service would hand out tokens to anyone who shows these credentials: it must never see them.
      foreign = await BearerProxy.start(registry.host, {
        users: { ci: { password: 'ci-secret', push: true } },
        tokens: { 'ghs-fake-github-token': { push: true }, 'fake-registry-token': { push: true } },
      });
      redirecting = await BearerProxy.start(registry.host, { realm: `http://${foreign.host}/token` });
    });
    afterAll(async () => {
      await redirecting?.close();
      await foreign?.close();
    });

    test.each<[string, OciAuth, RegExp]>([
      // The workflow token is not even held for a registry that is not ghcr.io.
      ['the workflow token', { workflowToken: 'ghs-fake-github-token' }, /needs credentials: give a username and password, or a token/],
      [
        'a username and password',
        { username: 'ci', password: 'ci-secret' },
        /credentials were not sent: .* named a token service on another origin/,
      ],
      ["a registry's own token", { token: 'fake-registry-token' }, /credentials were not sent: .* named a token service on another origin/],
    ])('%s is withheld: the token service is asked anonymously, and the error says why', async (_, auth, hint) => {
      const oci = new OciClient({ registry: redirecting.host, repository: REPOSITORY, insecure: true, auth });
      const error = await userError(oci.getManifest('v1'));
      expect(foreign.tokenRequests.length).toBeGreaterThan(0);
      expect(foreign.tokenAuthorizations.every((header) => header === null)).toBe(true);
      expect(error.message).toMatch(
        new RegExp(`token service of 127\\.0\\.0\\.1:\\d+ \\(http://${foreign.host.replace(/\./g, '\\.')}/token\\) refused`),
      );
      expect(error.hint).toMatch(hint);
      for (const secret of secrets) expect(`${error.message} ${error.hint}`).not.toContain(secret);
    });
  });

  test('credentials in the registry address are refused without echoing them', () => {
    let error: unknown;
    try {
      new OciClient({ registry: 'user:hunter2@127.0.0.1:5000', repository: REPOSITORY, insecure: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/carries credentials/);
    expect(`${(error as UserError).message} ${(error as UserError).hint}`).not.toContain('hunter2');
    expect((error as UserError).hint).toMatch(/MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD/);
  });

  test('follows tag list pages of n through the Link header', async () => {
    const oci = client({ username: 'ci', password: 'ci-secret' });
    for (const tag of ['a1', 'a2', 'a3', 'a4']) await pushModel(oci, tag, { 'model.json': Buffer.from(tag) });
    const before = proxy.requests.length;
    expect(await oci.listTags({ pageSize: 2 })).toEqual(['a1', 'a2', 'a3', 'a4', 'v1']);
    const pages = proxy.requests.slice(before).filter((r) => r.includes('/tags/list'));
    expect(pages).toEqual([
      `GET /v2/${REPOSITORY}/tags/list?n=2 200`,
      `GET /v2/${REPOSITORY}/tags/list?n=2&last=a2 200`,
      `GET /v2/${REPOSITORY}/tags/list?n=2&last=a4 200`,
    ]);
  });
});
