/**
 * Signed models, offline. Keyless signing runs the production signer (@sigstore/sign over HTTP)
 * against a local Sigstore authority on loopback (test/support/sigstore-authority.ts: an OIDC
 * issuer speaking for GitHub Actions, a Fulcio-style CA with a CT log, a Rekor-style log), and
 * verification runs the production path with that authority's trusted root: only the root and
 * the signer's URLs differ from production. Key-pair signing needs no service.
 *
 * Covered: the statement (predicate contents, deterministic bytes); sign and verify round trips
 * (keyless, key pair, key pair logged in Rekor); a tampered model, a wrong identity, a missing
 * signature, an untrusted CA, an untrusted key, an altered envelope, a keyless signature without
 * a log entry (and with an expired certificate); storage beside the version in a folder registry
 * and, against a real docker-registry on loopback, as OCI referrers found through the referrers
 * tag schema (and through the referrers API when a registry offers it), seen by skopeo.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OciClient } from '../src/adapters/registry/oci-client.js';
import { OciStore } from '../src/adapters/registry/oci-store.js';
import { FolderStore } from '../src/adapters/registry/folder-store.js';
import { parseContract } from '../src/core/contracts/index.js';
import { UserError } from '../src/core/errors.js';
import { ModelRegistry } from '../src/core/registry/registry.js';
import { checkBeforeLoad, folderSignatureStore, ociSignatureStore, signVersion, type SignatureStore } from '../src/core/signing/attest.js';
import { attachFolderBundle, findFolderBundles, signatureFolder } from '../src/core/signing/folder.js';
import {
  BUNDLE_CONTENT_ANNOTATION,
  BUNDLE_PREDICATE_TYPE_ANNOTATION,
  OCI_EMPTY_MEDIA_TYPE,
  OCI_INDEX_MEDIA_TYPE,
  attachBundle,
  findBundles,
  httpReferrersApi,
  referrersTag,
} from '../src/core/signing/oci.js';
import { signingConfigFrom, SigningSettings, verificationRequired } from '../src/core/signing/settings.js';
import {
  BUNDLE_MEDIA_TYPE,
  generateSigningKeyPair,
  identityTokenFrom,
  keyId,
  signStatement,
  type KeylessSigning,
  type SigningConfig,
} from '../src/core/signing/sign.js';
import {
  EVALUATION_PREDICATE_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  evaluationStatement,
  parseStatement,
  serializeStatement,
} from '../src/core/signing/statement.js';
import {
  GITHUB_ACTIONS_ISSUER,
  SignatureError,
  githubWorkflowIdentity,
  identityMatches,
  trustedRootFromJSON,
  verifyVersionSignatures,
  type SignatureFailure,
  type StoredBundle,
  type VerificationPolicy,
} from '../src/core/signing/verify.js';
import type { ModelVersion } from '../src/ports/registry.js';
import { OciRegistry, registryUnavailable } from './support/oci-registry.js';
import { testBlessing, testCard, writeTree } from './support/registry.js';
import { SigstoreAuthority } from './support/sigstore-authority.js';

const run = promisify(execFile);
const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

const REPOSITORY = 'acme/penguins';
const IDENTITY = githubWorkflowIdentity(REPOSITORY, 'mlops-cd.yml', 'refs/heads/main');

/** A model directory as train leaves it, and the card and blessing that go with it. */
function modelFixture(onnx: string) {
  const files = {
    'model.onnx': onnx,
    'profile.json': '{"format":"mlops-profile/v1","rows":344,"columns":[]}\n',
    'metrics.json': '{"accuracy":0.97}\n',
  };
  const card = testCard({
    model: {
      format: 'onnx',
      file: 'model.onnx',
      sha256: sha256(onnx).slice(7),
      bytes: onnx.length,
      producer: 'test',
      opsets: { '': 17 },
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }],
    },
    run: { id: '4242', attempt: '1', url: 'https://github.com/acme/penguins/actions/runs/4242' },
    hashes: { data: 'cd'.repeat(32) },
  });
  const blessing = parseContract(
    'blessing',
    {
      ...testBlessing(),
      checks: [{ metric: 'accuracy', value: 0.97, threshold: 0.9, passed: true }],
      metrics: { accuracy: 0.97, f1: 0.96 },
      model: { name: 'penguins', source: '.mlops/train/model', digest: sha256(onnx) },
    },
    'a test blessing',
  );
  return { files, card, blessing };
}

async function expectSignatureError(promise: Promise<unknown> | (() => unknown), reason: SignatureFailure): Promise<SignatureError> {
  let caught: unknown = null;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SignatureError);
  expect({ reason: (caught as SignatureError).reason, message: (caught as SignatureError).message }).toEqual({
    reason,
    message: expect.any(String),
  });
  return caught as SignatureError;
}

let work: string;
let authority: SigstoreAuthority;
let registryRoot: string;
let v1: ModelVersion;
let v2: ModelVersion;
let store: SignatureStore;
const keys = generateSigningKeyPair();

const keyless = (repository = REPOSITORY, on: SigstoreAuthority = authority): KeylessSigning => ({
  mode: 'keyless',
  fulcioURL: on.fulcioURL,
  rekorURL: on.rekorURL,
  env: on.runnerEnv({ repository, sha: '0123456789abcdef0123456789abcdef01234567' }),
});
const policy = (extra: Partial<VerificationPolicy> = {}): VerificationPolicy => ({
  trustedRoot: trustedRootFromJSON(authority.trustedRoot()),
  identities: [IDENTITY],
  ...extra,
});
const subjectOf = (version: ModelVersion) => ({
  model: version.model,
  digest: version.digest,
  label: `${version.model} v${version.version}`,
});

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'signing-'));
  authority = await SigstoreAuthority.start();
  registryRoot = join(work, 'registry');
  const registry = new ModelRegistry(new FolderStore(registryRoot));
  const first = modelFixture('onnx graph, first training');
  await writeTree(join(work, 'model1'), first.files);
  v1 = await registry.register('penguins', join(work, 'model1'), { card: first.card, blessing: first.blessing });
  const second = modelFixture('onnx graph, swapped in by someone');
  await writeTree(join(work, 'model2'), second.files);
  v2 = await registry.register('penguins', join(work, 'model2'), { card: second.card, blessing: second.blessing });
  store = folderSignatureStore(registryRoot);
});

afterAll(async () => {
  await authority?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the statement', () => {
  test('names the version as its subject and carries the evaluation, the judged model, the training profile and the source', async () => {
    const statement = evaluationStatement(v1);
    const profile = await readFile(join(work, 'model1', 'profile.json'));
    const onnx = await readFile(join(work, 'model1', 'model.onnx'));
    expect(statement).toEqual({
      _type: IN_TOTO_STATEMENT_TYPE,
      subject: [{ name: 'penguins', digest: { sha256: v1.digest.slice(7) } }],
      predicateType: EVALUATION_PREDICATE_TYPE,
      predicate: {
        model: { name: 'penguins', version: 1, registeredAt: v1.createdAt, file: 'model.onnx', digest: sha256(onnx) },
        evaluation: {
          blessed: true,
          reasons: [],
          checks: [{ metric: 'accuracy', value: 0.97, threshold: 0.9, passed: true }],
          metrics: { accuracy: 0.97, f1: 0.96 },
          modelDigest: sha256(onnx),
          baseline: null,
          evaluatedAt: '2026-01-01T00:00:00.000Z',
        },
        trainingData: {
          profile: { path: 'profile.json', digest: sha256(profile) },
          files: [{ path: 'data/penguins.csv', sha256: 'ab'.repeat(32) }],
          hash: 'cd'.repeat(32),
        },
        source: {
          commit: '0123456789abcdef0123456789abcdef01234567',
          ref: 'refs/heads/main',
          run: { id: '4242', attempt: '1', url: 'https://github.com/acme/penguins/actions/runs/4242' },
        },
      },
    });
    // The version digest is the sha256 of the folder registry's record file.
    expect(v1.digest).toBe(sha256(await readFile(join(registryRoot, 'models', 'penguins', 'versions', '1.json'))));
  });

  test('serialises to the same canonical bytes every time, and reads back', () => {
    const bytes = serializeStatement(evaluationStatement(v1));
    expect(serializeStatement(evaluationStatement({ ...v1 }))).toEqual(bytes);
    const text = bytes.toString('utf8');
    expect(text).not.toMatch(/\s"|":\s/);
    expect(text.indexOf('"_type"')).toBe(1);
    expect(text.indexOf('"predicate"')).toBeLessThan(text.indexOf('"predicateType"'));
    expect(parseStatement(bytes, 'test')).toEqual(evaluationStatement(v1));
  });

  test('a version registered without a blessing attests no evaluation', () => {
    const statement = evaluationStatement({ ...v1, blessing: null });
    expect(statement.predicate.evaluation).toBeNull();
    expect(() => evaluationStatement({ ...v1, digest: 'md5:abc' })).toThrow(UserError);
  });
});

describe('keyless signing with a local Sigstore authority', () => {
  test('round trip: the runner token is exchanged at Fulcio, logged in Rekor, stored beside the version and verified', async () => {
    authority.requests.length = 0;
    const signed = await signVersion(v1, store, keyless());
    expect(authority.requests).toEqual(['GET /oidc/token 200', 'POST /api/v2/signingCert 201', 'POST /api/v1/log/entries 201']);
    expect(signed.where).toBe(
      join(signatureFolder(registryRoot, 'penguins', v1.digest), `${sha256(JSON.stringify(signed.bundle)).slice(7)}.sigstore.json`),
    );
    expect(signed.bundle.mediaType).toBe(BUNDLE_MEDIA_TYPE);
    expect(signed.bundle.dsseEnvelope?.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(signed.bundle.verificationMaterial.certificate).toBeDefined();
    expect(signed.bundle.verificationMaterial.tlogEntries).toHaveLength(1);

    const check = await checkBeforeLoad(v1, store, { required: true, policy: policy() });
    expect(check.status).toBe('verified');
    if (check.status !== 'verified') return;
    expect(check.attestation.signer).toEqual({
      kind: 'keyless',
      identity: IDENTITY,
      issuer: GITHUB_ACTIONS_ISSUER,
      sourceRepository: 'https://github.com/acme/penguins',
      sourceRef: 'refs/heads/main',
      sourceCommit: '0123456789abcdef0123456789abcdef01234567',
      runUrl: 'https://github.com/acme/penguins/actions/runs/4242/attempts/1',
    });
    expect(check.attestation.statement).toEqual(evaluationStatement(v1));
    expect(check.attestation.loggedAt).not.toBeNull();
    expect(Math.abs(Date.parse(check.attestation.loggedAt!) - Date.now())).toBeLessThan(60_000);
  });

  test('identity patterns: * stands for any run of characters, nothing else is special', async () => {
    const pattern = 'https://github.com/acme/penguins/.github/workflows/mlops-cd.yml@refs/heads/*';
    expect(identityMatches(pattern, IDENTITY)).toBe(true);
    expect(identityMatches(pattern, 'https://github.com/acme/penguins/.github/workflows/mlops-cd.yml@refs/tags/v1')).toBe(false);
    expect(identityMatches('https://github.com/acme/penguins/.github/workflows/mlops-cd.yml', IDENTITY)).toBe(false);
    expect(identityMatches('https://github.com/acme/penguins/.github/workflows/mlops.cd.yml@*', IDENTITY)).toBe(false);
    const check = await checkBeforeLoad(v1, store, { required: true, policy: policy({ identities: [pattern] }) });
    expect(check.status).toBe('verified');
  });

  test('a tampered model: the signature of v1 put beside a version with other bytes is refused', async () => {
    const [bundle] = await store.find('penguins', v1.digest);
    await attachFolderBundle(registryRoot, 'penguins', v2.digest, bundle!.bytes);
    try {
      const error = await expectSignatureError(checkBeforeLoad(v2, store, { required: true, policy: policy() }), 'tampered');
      expect(error.message).toContain(`penguins v2 is not what was signed`);
      expect(error.message).toContain(`penguins@${v1.digest}`);
      expect(error.message).toContain(`has digest ${v2.digest}`);
      expect(error.hint).toMatch(/Do not load it/);
    } finally {
      await rm(signatureFolder(registryRoot, 'penguins', v2.digest), { recursive: true, force: true });
    }
  });

  test("a wrong identity: another repository's workflow signed it (expected and found are shown)", async () => {
    const signed = await signStatement(evaluationStatement(v1), keyless('mallory/penguins'));
    const error = await expectSignatureError(
      () => verifyVersionSignatures(subjectOf(v1), [{ source: 'forged.sigstore.json', bytes: signed.bytes }], policy()),
      'identity',
    );
    expect(error.message).toBe(
      `forged.sigstore.json was signed by the wrong identity: expected ${IDENTITY}, found https://github.com/mallory/penguins/.github/workflows/mlops-cd.yml@refs/heads/main`,
    );
    // Another issuer with the same workflow name is refused as well.
    await expectSignatureError(
      () => verifyVersionSignatures(subjectOf(v1), [{ source: 'x', bytes: signed.bytes }], policy({ issuer: 'https://gitlab.example' })),
      'identity',
    );
  });

  test('a missing signature: refused where required, reported where not', async () => {
    const error = await expectSignatureError(checkBeforeLoad(v2, store, { required: true, policy: policy() }), 'missing');
    expect(error.message).toBe('penguins v2 has no signature');
    expect(error.hint).toMatch(/id-token: write/);
    const check = await checkBeforeLoad(v2, store, { required: false, policy: policy() });
    expect(check.status).toBe('unverified');
    if (check.status === 'unverified') expect(check.problem.reason).toBe('missing');
    // Nobody configured to trust: required, that is an error too.
    await expectSignatureError(checkBeforeLoad(v1, store, { required: true, policy: null }), 'untrusted');
  });

  test('a bundle signed through another CA (an authority the trusted root does not name) is untrusted', async () => {
    const rogue = await SigstoreAuthority.start();
    try {
      const signed = await signStatement(evaluationStatement(v1), keyless(REPOSITORY, rogue));
      const error = await expectSignatureError(
        () => verifyVersionSignatures(subjectOf(v1), [{ source: 'rogue', bytes: signed.bytes }], policy()),
        'untrusted',
      );
      expect(error.message).toMatch(/^rogue: the signing certificate is not trusted/);
      // Verified against the rogue's own root, the same bundle passes: the root is what decides.
      expect(
        verifyVersionSignatures(
          subjectOf(v1),
          [{ source: 'rogue', bytes: signed.bytes }],
          policy({ trustedRoot: trustedRootFromJSON(rogue.trustedRoot()) }),
        ).signer.kind,
      ).toBe('keyless');
    } finally {
      await rogue.close();
    }
  });

  test('an envelope changed after signing (better metrics written in) does not verify', async () => {
    const signed = await signStatement(evaluationStatement(v1), keyless());
    const forged = evaluationStatement(v1);
    forged.predicate.evaluation!.metrics.accuracy = 0.999;
    const bundle = structuredClone(signed.bundle);
    bundle.dsseEnvelope!.payload = serializeStatement(forged).toString('base64');
    await expectSignatureError(
      () => verifyVersionSignatures(subjectOf(v1), [{ source: 'b', bytes: Buffer.from(JSON.stringify(bundle)) }], policy()),
      'invalid',
    );
  });

  test('a keyless signature without a transparency log entry is refused, saying when its certificate expired', async () => {
    const signed = await signStatement(evaluationStatement(v1), keyless());
    const stripped = { ...signed.bundle, verificationMaterial: { ...signed.bundle.verificationMaterial, tlogEntries: [] } };
    const error = await expectSignatureError(
      () => verifyVersionSignatures(subjectOf(v1), [{ source: 'b', bytes: Buffer.from(JSON.stringify(stripped)) }], policy()),
      'no-log',
    );
    expect(error.message).toMatch(/^b has no transparency log entry: its certificate was valid only from \S+ to \S+, and nothing proves/);

    // An authority whose clock is an hour behind issues certificates that have expired by now.
    const past = await SigstoreAuthority.start({ clock: new Date(Date.now() - 3600_000) });
    try {
      const old = await signStatement(evaluationStatement(v1), keyless(REPOSITORY, past));
      const pastPolicy = policy({ trustedRoot: trustedRootFromJSON(past.trustedRoot()) });
      const oldStripped = { ...old.bundle, verificationMaterial: { ...old.bundle.verificationMaterial, tlogEntries: [] } };
      const expired = await expectSignatureError(
        () => verifyVersionSignatures(subjectOf(v1), [{ source: 'old', bytes: Buffer.from(JSON.stringify(oldStripped)) }], pastPolicy),
        'no-log',
      );
      expect(expired.message).toContain('(it has expired)');
    } finally {
      await past.close();
    }
  });

  test('an instance without a public log: a TSA timestamp proves the signing time; verified where the policy allows it', async () => {
    const config: KeylessSigning = { ...keyless(), rekorURL: null, tsaURL: authority.tsaURL };
    authority.requests.length = 0;
    const signed = await signStatement(evaluationStatement(v1), config);
    expect(authority.requests).toEqual(['GET /oidc/token 200', 'POST /api/v2/signingCert 201', 'POST /api/v1/timestamp 201']);
    expect(signed.bundle.verificationMaterial.tlogEntries ?? []).toEqual([]);
    expect(signed.bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
    const stored = [{ source: 'tsa', bytes: signed.bytes }];
    const verified = verifyVersionSignatures(subjectOf(v1), stored, policy({ requireTransparencyLog: false }));
    expect(verified.signer.kind).toBe('keyless');
    expect(verified.loggedAt).toBeNull();
    const error = await expectSignatureError(() => verifyVersionSignatures(subjectOf(v1), stored, policy()), 'no-log');
    expect(error.message).toBe('tsa has no transparency log entry (only a timestamp), and the policy requires one');
    // Neither a log nor a timestamp authority: refused before anything is signed.
    await expect(signStatement(evaluationStatement(v1), { ...config, tsaURL: undefined })).rejects.toThrow(/needs a timestamp authority/);
  });

  test('several signatures: one that verifies is enough; when none does, each failure is listed', async () => {
    const good = (await store.find('penguins', v1.digest))[0]!;
    const bad: StoredBundle = { source: 'garbage.json', bytes: Buffer.from('{"mediaType":"nope"}') };
    expect(verifyVersionSignatures(subjectOf(v1), [bad, good], policy()).signer.kind).toBe('keyless');
    const foreign = await signStatement(evaluationStatement(v1), keyless('mallory/penguins'));
    const error = await expectSignatureError(
      () => verifyVersionSignatures(subjectOf(v1), [bad, { source: 'mallory', bytes: foreign.bytes }], policy()),
      'invalid',
    );
    expect(error.message).toMatch(
      /^none of the 2 signatures of penguins v1 verifies:\n {2}- garbage.json: garbage.json is not a Sigstore bundle.*\n {2}- mallory: mallory was signed by the wrong identity/,
    );
  });

  test('no OIDC token: the error says which permission the register job needs', async () => {
    await expect(identityTokenFrom({ GITHUB_ACTIONS: 'true' })).rejects.toMatchObject({
      message: 'keyless signing needs an OIDC token, and none is available',
      hint: expect.stringContaining('`permissions: id-token: write` to the register job'),
    });
    await expect(
      identityTokenFrom({ ...authority.runnerEnv({ repository: REPOSITORY }), ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' }),
    ).rejects.toThrow(/the runner refused an OIDC token \(401/);
    await expect(identityTokenFrom({ SIGSTORE_ID_TOKEN: 'a.b.c' })).resolves.toBe('a.b.c');
    // Fulcio refuses a token it cannot verify.
    const forged = {
      mode: 'keyless',
      fulcioURL: authority.fulcioURL,
      rekorURL: authority.rekorURL,
      identityToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln',
    } as const;
    await expect(signStatement(evaluationStatement(v1), forged)).rejects.toThrow(
      /^Fulcio \(http:\/\/127\.0\.0\.1:\d+\) refused to certify the signing key/,
    );
  });
});

describe('key-pair signing', () => {
  const keySigning = (privateKey = keys.privateKey, rekorURL?: string): SigningConfig => ({ mode: 'key', privateKey, rekorURL });

  test('round trip: the bundle names the key by its id and carries no certificate', async () => {
    const signed = await signVersion(v1, store, keySigning());
    expect(signed.bundle.verificationMaterial.publicKey).toEqual({ hint: keyId(keys.publicKey) });
    expect(signed.bundle.verificationMaterial.tlogEntries ?? []).toEqual([]); // protobuf JSON leaves an empty list out
    expect(keyId(keys.publicKey)).toBe(
      createHash('sha256')
        .update(
          Buffer.from(
            keys.publicKey
              .split('\n')
              .filter((l) => l && !l.startsWith('-----'))
              .join(''),
            'base64',
          ),
        )
        .digest('hex'),
    );
    const bundles = await findFolderBundles(registryRoot, 'penguins', v1.digest);
    expect(bundles).toHaveLength(2); // the keyless one and this one
    const verified = verifyVersionSignatures(subjectOf(v1), bundles, { publicKeys: [keys.publicKey] });
    expect(verified.signer).toEqual({ kind: 'key', keyId: keyId(keys.publicKey) });
    expect(verified.loggedAt).toBeNull();
  });

  test('an untrusted key, and a key signature where only keyless signers are trusted, are refused', async () => {
    const signed = await signStatement(evaluationStatement(v1), keySigning());
    const other = generateSigningKeyPair();
    const error = await expectSignatureError(
      () => verifyVersionSignatures(subjectOf(v1), [{ source: 'k', bytes: signed.bytes }], { publicKeys: [other.publicKey] }),
      'untrusted',
    );
    expect(error.message).toBe(
      `k is signed with key ${keyId(keys.publicKey)}, which is not a trusted key (trusted: ${keyId(other.publicKey)})`,
    );
    await expectSignatureError(
      () =>
        verifyVersionSignatures(subjectOf(v1), [{ source: 'k', bytes: signed.bytes }], {
          identities: [IDENTITY],
          trustedRoot: policy().trustedRoot,
        }),
      'untrusted',
    );
    // A bundle whose hint names the trusted key but whose signature was made by another key.
    const impostor = await signStatement(evaluationStatement(v1), keySigning(other.privateKey));
    const lying = structuredClone(impostor.bundle);
    lying.verificationMaterial.publicKey = { hint: keyId(keys.publicKey) };
    lying.dsseEnvelope!.signatures[0]!.keyid = keyId(keys.publicKey);
    await expectSignatureError(
      () =>
        verifyVersionSignatures(subjectOf(v1), [{ source: 'k', bytes: Buffer.from(JSON.stringify(lying)) }], {
          publicKeys: [keys.publicKey],
        }),
      'invalid',
    );
  });

  test('a key signature can be logged in Rekor too, and its entry is verified', async () => {
    const signed = await signStatement(evaluationStatement(v1), keySigning(keys.privateKey, authority.rekorURL));
    expect(signed.bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    const verified = verifyVersionSignatures(subjectOf(v1), [{ source: 'k', bytes: signed.bytes }], {
      publicKeys: [keys.publicKey],
      trustedRoot: policy().trustedRoot,
    });
    expect(verified.loggedAt).not.toBeNull();
    // Without a root naming the log, the entry cannot be checked: refused.
    await expectSignatureError(
      () => verifyVersionSignatures(subjectOf(v1), [{ source: 'k', bytes: signed.bytes }], { publicKeys: [keys.publicKey] }),
      'invalid',
    );
  });

  test('a key Sigstore verifiers do not all accept is refused when signing', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expect(signStatement(evaluationStatement(v1), keySigning(p384))).rejects.toThrow(/secp384r1/);
    await expect(signStatement(evaluationStatement(v1), keySigning('not a key'))).rejects.toThrow(/^the signing key cannot be read/);
  });
});

describe('settings', () => {
  test('auto signs keylessly when the job may ask for a token, with a key when one is given, else not (saying why)', async () => {
    const settings = SigningSettings.parse({});
    expect(settings.verify.required).toBeUndefined();
    expect((await signingConfigFrom(settings, { env: authority.runnerEnv({ repository: REPOSITORY }) })).config?.mode).toBe('keyless');
    expect((await signingConfigFrom(settings, { env: { MLOPS_SIGNING_KEY: keys.privateKey } })).config).toMatchObject({
      mode: 'key',
      privateKey: keys.privateKey,
    });
    const off = await signingConfigFrom(settings, { env: { GITHUB_ACTIONS: 'true' } });
    expect(off.config).toBeNull();
    expect(off.note).toMatch(/id-token: write/);
    // Unset, production is required once there is a signer to trust; with nobody to trust it is a warning.
    expect(verificationRequired(settings, 'production', true)).toBe(true);
    expect(verificationRequired(settings, 'Production', true)).toBe(true);
    expect(verificationRequired(settings, 'staging', true)).toBe(false);
    expect(verificationRequired(settings, 'production', false)).toBe(false);
    // Written by the project, it holds whoever is trusted.
    expect(verificationRequired(SigningSettings.parse({ verify: { required: ['production'] } }), 'production', false)).toBe(true);
    expect(verificationRequired(SigningSettings.parse({ verify: { required: true } }), null, false)).toBe(true);
    expect(verificationRequired(SigningSettings.parse({ verify: { required: false } }), 'production', true)).toBe(false);
    expect(() => SigningSettings.parse({ mode: 'sometimes' })).toThrow();
  });
});

const unavailable = registryUnavailable();
const title = 'signatures as OCI referrers in a real docker-registry';
(unavailable ? describe.skip : describe)(unavailable ? `${title} (skipped: ${unavailable})` : title, () => {
  let server: OciRegistry;
  let version: ModelVersion;
  let client: OciClient;
  const clientFor = (model: string) => new OciClient({ registry: server.host, repository: `acme/${model}`, insecure: true });

  beforeAll(async () => {
    server = (await OciRegistry.start())!;
    const registry = new ModelRegistry(new OciStore({ registry: server.host, namespace: 'acme', insecure: true, settleMs: 50 }));
    const fixture = modelFixture('onnx graph for the registry');
    await writeTree(join(work, 'model-oci'), fixture.files);
    version = await registry.register('penguins', join(work, 'model-oci'), { card: fixture.card, blessing: fixture.blessing });
    client = clientFor('penguins');
  });

  afterAll(async () => {
    await server?.stop();
  });

  test('the referrers tag schema: sha256:<hex> -> sha256-<hex>, truncated and cleaned as the spec says', () => {
    expect(referrersTag(`sha256:${'a'.repeat(64)}`)).toBe(`sha256-${'a'.repeat(64)}`);
    expect(referrersTag(`sha512:${'b'.repeat(128)}`)).toBe(`sha512-${'b'.repeat(64)}`);
    expect(
      referrersTag(
        `test+algorithm+using+algorithm+separators+and+lots+of+characters+to+excercise+overall+truncation:alsoSome=InTheEncodedSectionToShowHyphenReplacementAndLotsAndLotsOfCharactersToExcerciseEncodedTruncation`,
      ),
    ).toBe('test-algorithm-using-algorithm-s-alsoSome-InTheEncodedSectionToShowHyphenReplacementAndLotsAndLot');
  });

  test('attach and find: a referrer manifest with the version as subject, listed in the sha256-<hex> index, verified', async () => {
    const oci = ociSignatureStore(clientFor);
    const signed = await signVersion(version, oci, keyless());
    const referrer = signed.where.split('@')[1]!;
    const tag = referrersTag(version.digest);

    const manifest = (await client.getManifest(referrer)).manifest as Record<string, unknown>;
    const subjectBytes = (await client.getManifest(version.digest)).bytes;
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config: { mediaType: OCI_EMPTY_MEDIA_TYPE, digest: sha256('{}'), size: 2 },
      layers: [
        {
          mediaType: BUNDLE_MEDIA_TYPE,
          digest: sha256(JSON.stringify(signed.bundle)),
          size: Buffer.byteLength(JSON.stringify(signed.bundle)),
        },
      ],
      subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: version.digest, size: subjectBytes.length },
      annotations: {
        [BUNDLE_CONTENT_ANNOTATION]: 'dsse-envelope',
        [BUNDLE_PREDICATE_TYPE_ANNOTATION]: EVALUATION_PREDICATE_TYPE,
        'org.opencontainers.image.created': expect.any(String),
      },
    });
    const index = await client.getManifest(tag);
    expect(index.mediaType).toBe(OCI_INDEX_MEDIA_TYPE);
    expect(index.manifest).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX_MEDIA_TYPE,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: referrer,
          size: (await client.getManifest(referrer)).bytes.length,
          artifactType: BUNDLE_MEDIA_TYPE,
          annotations: manifest.annotations,
        },
      ],
    });

    const found = await oci.find('penguins', version.digest);
    expect(found).toEqual([{ source: `${client.name}@${referrer}`, bytes: Buffer.from(JSON.stringify(signed.bundle)) }]);
    const check = await checkBeforeLoad(version, oci, { required: true, policy: policy() });
    expect(check.status).toBe('verified');

    // A second signature (a key pair) joins the index; both are found.
    await signVersion(version, oci, { mode: 'key', privateKey: keys.privateKey });
    expect(((await client.getManifest(tag)).manifest.manifests as unknown[]).length).toBe(2);
    expect(await oci.find('penguins', version.digest)).toHaveLength(2);
    // The same bundle attached again is not listed twice.
    await attachBundle(client, version.digest, found[0]!.bytes, {
      created: (manifest.annotations as Record<string, string>)['org.opencontainers.image.created'],
    });
    expect(((await client.getManifest(tag)).manifest.manifests as unknown[]).length).toBe(2);
  });

  test('the index is only a hint: a listed referrer of another subject is ignored, and a tag that is not an index is an error', async () => {
    const other = `sha256:${'e'.repeat(64)}`;
    const stray = version.digest; // a manifest without a subject, listed as if it were a bundle referrer
    const tag = referrersTag(version.digest);
    const index = (await client.getManifest(tag)).manifest as { manifests: unknown[] };
    await client.putManifest(
      tag,
      {
        ...index,
        manifests: [
          ...index.manifests,
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: stray, size: 10, artifactType: BUNDLE_MEDIA_TYPE },
        ],
      },
      OCI_INDEX_MEDIA_TYPE,
    );
    expect(await findBundles(client, version.digest)).toHaveLength(2);
    expect(await findBundles(client, other)).toEqual([]);

    const bogus = clientFor('bogus');
    const fixture = modelFixture('bogus');
    await writeTree(join(work, 'model-bogus'), fixture.files);
    const reg = new ModelRegistry(new OciStore({ registry: server.host, namespace: 'acme', insecure: true, settleMs: 50 }));
    const bogusVersion = await reg.register('bogus', join(work, 'model-bogus'), { card: fixture.card, blessing: null });
    await bogus.putManifest(referrersTag(bogusVersion.digest), (await bogus.getManifest(bogusVersion.digest)).bytes);
    await expect(findBundles(bogus, bogusVersion.digest)).rejects.toThrow(/is not an image index of referrers/);
    await expect(attachBundle(bogus, `sha256:${'f'.repeat(64)}`, Buffer.from('{}'))).rejects.toThrow(
      /does not exist: there is nothing to attach the signature to/,
    );
  });

  test('a registry with the referrers API: no tag is written, and the API lists the signature', async () => {
    const api = await ReferrersApiProxy.start(server.host);
    try {
      expect(await httpReferrersApi(`http://${server.host}`, 'acme/penguins').list(version.digest)).toBeNull(); // distribution 2.x: 404
      const fixture = modelFixture('onnx graph behind a registry with the referrers API');
      await writeTree(join(work, 'model-api'), fixture.files);
      const reg = new ModelRegistry(new OciStore({ registry: api.host, namespace: 'acme', insecure: true, settleMs: 50 }));
      const v = await reg.register('modern', join(work, 'model-api'), { card: fixture.card, blessing: fixture.blessing });
      const apiClient = new OciClient({ registry: api.host, repository: 'acme/modern', insecure: true });
      const referrers = httpReferrersApi(`http://${api.host}`, 'acme/modern');
      const signed = await signStatement(evaluationStatement(v), keyless());
      const attached = await attachBundle(apiClient, v.digest, signed.bytes, { referrers });
      expect(attached.tag).toBeNull();
      expect(await apiClient.headManifest(referrersTag(v.digest))).toBeNull();
      const found = await findBundles(apiClient, v.digest, { referrers });
      expect(found.map((b) => b.bytes)).toEqual([signed.bytes]);
      expect(verifyVersionSignatures(subjectOf(v), found, policy()).signer.kind).toBe('keyless');
    } finally {
      await api.close();
    }
  });

  test('skopeo (an independent OCI client) sees the referrers tag and reads the index', async () => {
    const skopeo = await run('skopeo', ['--version']).catch(() => null);
    if (!skopeo) {
      if (process.env.CI === 'true') throw new Error("skopeo is missing on CI: install Debian's skopeo package");
      console.warn('skopeo is not installed (apt-get install skopeo): skipping its check');
      return;
    }
    const tag = referrersTag(version.digest);
    const repo = `docker://${server.host}/acme/penguins`;
    const tags = JSON.parse((await run('skopeo', ['list-tags', '--tls-verify=false', repo])).stdout) as { Tags: string[] };
    expect(tags.Tags).toContain(tag);
    const raw = JSON.parse((await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `${repo}:${tag}`])).stdout) as {
      mediaType: string;
      manifests: { artifactType: string }[];
    };
    expect(raw.mediaType).toBe(OCI_INDEX_MEDIA_TYPE);
    expect(raw.manifests.filter((m) => m.artifactType === BUNDLE_MEDIA_TYPE).length).toBeGreaterThanOrEqual(2);
  });
});

/**
 * A registry that offers the referrers API, made from one that does not: a proxy that records
 * every manifest pushed with a subject (answering with the OCI-Subject header, as the spec says)
 * and answers GET /v2/<name>/referrers/<digest> from them; everything else goes to the registry.
 */
class ReferrersApiProxy {
  private readonly referrers = new Map<string, Record<string, unknown>[]>();
  private constructor(
    private readonly server: Server,
    private readonly upstream: string,
  ) {}

  static async start(upstream: string): Promise<ReferrersApiProxy> {
    const server = createServer();
    const proxy = new ReferrersApiProxy(server, upstream);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      proxy.handle(req, res).catch((error: unknown) => res.writeHead(502).end(String(error)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    const listing = url.pathname.match(/^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/);
    if (req.method === 'GET' && listing) {
      const manifests = this.referrers.get(`${listing[1]}@${listing[2]}`) ?? [];
      res
        .writeHead(200, { 'content-type': OCI_INDEX_MEDIA_TYPE })
        .end(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const put = req.method === 'PUT' ? url.pathname.match(/^\/v2\/(.+)\/manifests\/[^/]+$/) : null;
    let subject: string | null = null;
    if (put) {
      const manifest = JSON.parse(body.toString('utf8')) as {
        subject?: { digest: string };
        artifactType?: string;
        mediaType: string;
        annotations?: Record<string, string>;
      };
      if (manifest.subject) {
        subject = manifest.subject.digest;
        const key = `${put[1]}@${subject}`;
        const list = this.referrers.get(key) ?? [];
        list.push({
          mediaType: manifest.mediaType,
          digest: sha256(body),
          size: body.length,
          artifactType: manifest.artifactType,
          annotations: manifest.annotations,
        });
        this.referrers.set(key, list);
      }
    }
    const [hostname, port] = this.upstream.split(':');
    await new Promise<void>((resolve, reject) => {
      const upstream = httpRequest(
        { hostname, port: Number(port), method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers },
        (answer) => {
          const headers = { ...answer.headers };
          if (subject && answer.statusCode === 201) headers['oci-subject'] = subject;
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(res).on('finish', resolve).on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}
