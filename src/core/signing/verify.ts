/**
 * Verifying a model version's attestation before it is loaded: one path for every caller
 * (deploy, serve) and every environment. Production and tests differ only in the trusted
 * root they pass (Sigstore's public-good root from its TUF repository, a root JSON file for
 * a private instance, or a test authority's) and in the keys they trust.
 *
 * Checks, in order, each failing with a SignatureError whose `reason` says which:
 *   1. the bundle is a Sigstore bundle holding a DSSE envelope of an in-toto statement;
 *   2. the signer is one the policy accepts: a certificate (keyless) when the policy names
 *      identities, a public key it lists when it names keys (`untrusted` otherwise);
 *   3. a keyless signature has a transparency log entry (or a trusted timestamp): its
 *      certificate lives 10 minutes, and only the log proves it signed within them (`no-log`);
 *   4. the cryptography, by @sigstore/verify against the trusted root: the certificate chains to
 *      a trusted CA and was valid when the log (or TSA) recorded the signature, its SCT is from a
 *      trusted CT log (when the root names CT logs), the log entry's signed timestamp and inclusion proof verify against a trusted log
 *      key and the entry is for this very envelope, and the envelope's signature verifies
 *      (`untrusted`, `invalid`);
 *   5. the identity: the certificate's OIDC issuer equals the expected one (default GitHub
 *      Actions') and its SAN (the workflow that signed: https://github.com/OWNER/REPO/.github/
 *      workflows/FILE@REF) matches one of the policy's patterns (`identity`, showing expected
 *      and found);
 *   6. the statement: our predicate type, and a subject named after the model whose digest is the
 *      digest of the version being loaded (`tampered` otherwise: the bytes to be loaded are not
 *      the bytes that were signed).
 * No bundle at all is `missing`. Identity patterns are exact strings in which `*` stands for
 * any run of characters (`https://github.com/acme/penguins/.github/workflows/mlops-cd.yml@refs/heads/*`).
 */
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { Verifier, VerificationError, toSignedEntity, toTrustMaterial, type KeyFinderFunc, type Signer } from '@sigstore/verify';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { GITHUB_ACTIONS_ISSUER, SignatureError, type SignatureFailure } from './common.js';
import { keyId } from './sign.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, subjectDigests, type EvaluationStatement } from './statement.js';
import type { StoredBundle } from '../../ports/registry.js';

export { GITHUB_ACTIONS_ISSUER, SignatureError, type SignatureFailure } from './common.js';

/** Whom to trust. At least one of `identities` and `publicKeys`. */
export interface VerificationPolicy {
  /**
   * The roots of trust for keyless signatures (CAs, CT logs, transparency logs, timestamp
   * authorities), and for the log entry of a key signature that has one. Required for keyless.
   */
  trustedRoot?: TrustedRoot;
  /** Keyless: the accepted signer identities (certificate SAN), `*` as a wildcard. */
  identities?: readonly string[];
  /** Keyless: the certificate's OIDC issuer. Default GITHUB_ACTIONS_ISSUER. */
  issuer?: string;
  /**
   * Keyless: the accepted source repositories (the certificate's SourceRepositoryURI extension,
   * `https://github.com/OWNER/REPO`), `*` as a wildcard; empty or absent: any. A reusable
   * workflow signs as itself (its own file in the certificate's SAN) for every caller, so the
   * repository it ran for is what binds a signature to one project.
   */
  repositories?: readonly string[];
  /** Keyless: require a transparency log entry (default true; false for an instance that timestamps with a TSA only). */
  requireTransparencyLog?: boolean;
  /** Key: the accepted public keys (PEM). */
  publicKeys?: readonly string[];
}

/** Who signed, as verified. */
export type VerifiedSigner =
  | {
      kind: 'keyless';
      /** The certificate's SAN: for GitHub Actions, the workflow file and ref that signed. */
      identity: string;
      issuer: string;
      /** From the certificate's Fulcio extensions (GitHub Actions), when present. */
      sourceRepository: string | null;
      sourceRef: string | null;
      sourceCommit: string | null;
      runUrl: string | null;
    }
  | { kind: 'key'; keyId: string };

export interface VerifiedAttestation {
  statement: EvaluationStatement;
  signer: VerifiedSigner;
  /** When the transparency log integrated the signature (ISO 8601), or null without a log entry. */
  loggedAt: string | null;
  logIndex: string | null;
}

export type { StoredBundle };

/** What is being loaded: the model and the digest of the version about to be loaded. */
export interface VerificationSubject {
  model: string;
  /** sha256:<hex> of the version (its manifest, or its record in a folder registry). */
  digest: string;
  /** For messages: "penguins v3". */
  label?: string;
}

/**
 * Verifies the signatures stored for a version and returns the first that passes every check.
 * None stored: `missing`. One stored: its failure. Several, none passing: each one's failure.
 */
export function verifyVersionSignatures(
  subject: VerificationSubject,
  bundles: readonly StoredBundle[],
  policy: VerificationPolicy,
): VerifiedAttestation {
  const label = subject.label ?? `${subject.model}@${subject.digest}`;
  if (bundles.length === 0) {
    throw new SignatureError(
      'missing',
      `${label} has no signature`,
      'Register it again with signing on (the register job needs `id-token: write` for keyless signing), or set signing verification to not required for this environment.',
    );
  }
  const failures: SignatureError[] = [];
  for (const bundle of bundles) {
    try {
      return verifyAttestation(bundle, subject, policy);
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0]!;
  const reasons = new Set(failures.map((f) => f.reason));
  throw new SignatureError(
    reasons.size === 1 ? failures[0]!.reason : 'invalid',
    `none of the ${failures.length} signatures of ${label} verifies:\n${failures.map((f, i) => `  - ${bundles[i]!.source}: ${f.message}`).join('\n')}`,
    failures[0]!.hint,
  );
}

/** Verifies one bundle for `subject` under `policy` (see the checks at the top). */
export function verifyAttestation(stored: StoredBundle, subject: VerificationSubject, policy: VerificationPolicy): VerifiedAttestation {
  const where = stored.source;
  const label = subject.label ?? `${subject.model}@${subject.digest}`;
  checkPolicy(policy);

  // 1. A bundle with a DSSE envelope of an in-toto statement.
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(JSON.parse(stored.bytes.toString('utf8')));
  } catch (error) {
    throw new SignatureError(
      'invalid',
      `${where} is not a Sigstore bundle: ${(error as Error).message}`,
      'Sign the version again with register.',
    );
  }
  if (bundle.content.$case !== 'dsseEnvelope' || bundle.content.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new SignatureError('invalid', `${where} does not hold an in-toto attestation (a DSSE envelope of ${IN_TOTO_PAYLOAD_TYPE})`);
  }
  let statement: EvaluationStatement;
  try {
    statement = parseStatement(bundle.content.dsseEnvelope.payload, where);
  } catch (error) {
    throw new SignatureError('invalid', (error as UserError).message, (error as UserError).hint);
  }

  // 2-4. The signer and the cryptography.
  const entity = toSignedEntity(bundle);
  const tlogEntries = bundle.verificationMaterial.tlogEntries;
  let verified: VerifiedSigner;
  if (entity.key.$case === 'certificate') {
    const identities = policy.identities ?? [];
    if (identities.length === 0) {
      throw new SignatureError(
        'untrusted',
        `${where} is a keyless signature by ${entity.key.certificate.subjectAltName ?? 'an unnamed identity'}, but only keys are trusted here`,
        'Add the signing workflow to the accepted identities, or sign with one of the trusted keys.',
      );
    }
    if (!policy.trustedRoot)
      throw new UserError(
        'verifying a keyless signature needs a trusted root',
        'Use the public-good root (the default) or give a trusted root JSON file.',
      );
    const timestamps = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? [];
    if (tlogEntries.length === 0 && timestamps.length === 0) {
      const certificate = entity.key.certificate;
      const expired = certificate.notAfter.getTime() < Date.now();
      throw new SignatureError(
        'no-log',
        `${where} has no transparency log entry: its certificate was valid only from ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()}${expired ? ' (it has expired)' : ''}, and nothing proves the signature was made in that time`,
        'Keyless signatures must be entered in Rekor when signed; sign the version again (register does this).',
      );
    }
    const requireLog = policy.requireTransparencyLog ?? true;
    if (requireLog && tlogEntries.length === 0) {
      throw new SignatureError(
        'no-log',
        `${where} has no transparency log entry (only a timestamp), and the policy requires one`,
        "Signatures made by an instance without a public log (GitHub's for private repositories) verify with transparency_log: false.",
      );
    }
    // SCTs are required when the root names CT logs (the public-good instance does; GitHub's private one does not).
    const ctlogThreshold = policy.trustedRoot.ctlogs.length > 0 ? 1 : 0;
    const signer = runVerifier(
      policy.trustedRoot,
      undefined,
      { ctlogThreshold, tlogThreshold: requireLog ? 1 : 0, timestampThreshold: 1 },
      entity,
      where,
    );
    verified = checkIdentity(signer, policy, where);
  } else {
    const hint = entity.key.hint;
    const keys = (policy.publicKeys ?? []).map((pem) => publicKey(pem));
    if (keys.length === 0) {
      throw new SignatureError(
        'untrusted',
        `${where} is signed with a key (id ${hint || 'not given'}), but only keyless signatures by ${(policy.identities ?? []).join(', ')} are trusted here`,
        "Verify with the signer's public key, or sign keylessly from the workflow.",
      );
    }
    const candidates = hint ? keys.filter((k) => keyId(k) === hint) : keys;
    if (candidates.length === 0) {
      throw new SignatureError(
        'untrusted',
        `${where} is signed with key ${hint}, which is not a trusted key (trusted: ${keys.map((k) => keyId(k)).join(', ')})`,
        'Verify with the public key the version was signed with, or sign it again with a trusted key.',
      );
    }
    verified = { kind: 'key', keyId: keyId(verifyWithKeys(candidates, policy.trustedRoot ?? EMPTY_ROOT, entity, where)) };
  }

  // 6. The statement is about these bytes.
  const digests = subjectDigests(statement, subject.model);
  if (!digests.includes(subject.digest)) {
    const named = statement.subject.map((s) => `${s.name}@sha256:${s.digest.sha256 ?? '?'}`).join(', ');
    throw new SignatureError(
      'tampered',
      `${label} is not what was signed: the attestation in ${where} is for ${named}, but the version being loaded has digest ${subject.digest}`,
      'The version was changed after it was signed (or the signature belongs to another version). Do not load it; register the model again from a trusted build.',
    );
  }

  const entry = tlogEntries[0];
  return {
    statement,
    signer: verified,
    loggedAt: entry ? new Date(Number(entry.integratedTime) * 1000).toISOString() : null,
    logIndex: entry ? entry.logIndex : null,
  };
}

/** `https://github.com/OWNER/REPO/.github/workflows/FILE@REF`: the identity GitHub Actions signs as. */
export function githubWorkflowIdentity(repository: string, workflow: string, ref: string, server = 'https://github.com'): string {
  const path = workflow.includes('/') ? workflow : `.github/workflows/${workflow}`;
  return `${server.replace(/\/+$/, '')}/${repository}/${path}@${ref}`;
}

/** Whether `identity` matches `pattern` (exact, with `*` matching any run of characters). */
export function identityMatches(pattern: string, identity: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(identity);
}

// ---- trusted roots ----

/** A trusted root from its JSON (Sigstore's `application/vnd.dev.sigstore.trustedroot+json`). */
export function trustedRootFromJSON(json: unknown, where = 'the trusted root'): TrustedRoot {
  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(json);
  } catch (error) {
    throw new UserError(`${where} is not a Sigstore trusted root: ${(error as Error).message}`);
  }
  if (root.certificateAuthorities.length === 0 && root.tlogs.length === 0) {
    throw new UserError(
      `${where} names no certificate authority and no transparency log`,
      'Give a trusted_root.json as Sigstore publishes it.',
    );
  }
  return root;
}

/** A trusted root read from a JSON file (for a private Sigstore instance, or GitHub's own). */
export async function readTrustedRoot(path: string): Promise<TrustedRoot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the trusted root ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`the trusted root ${path} is not JSON`);
  }
  return trustedRootFromJSON(json, path);
}

/**
 * Sigstore's public-good trusted root, through its TUF repository (the root of trust that
 * ships inside @sigstore/tuf, refreshed and cached at `cachePath`).
 */
export async function publicGoodTrustedRoot(options: { cachePath?: string; mirrorURL?: string } = {}): Promise<TrustedRoot> {
  try {
    return await getTrustedRoot({ cachePath: options.cachePath, mirrorURL: options.mirrorURL });
  } catch (error) {
    throw new UserError(
      `cannot fetch Sigstore's trusted root through TUF: ${(error as Error).message}`,
      'The machine needs to reach the TUF repository once (it is cached afterwards); offline, give a trusted root JSON file.',
    );
  }
}

// ---- internals ----

const EMPTY_ROOT: TrustedRoot = TrustedRoot.fromJSON({
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
});

function checkPolicy(policy: VerificationPolicy): void {
  if ((policy.identities ?? []).length === 0 && (policy.publicKeys ?? []).length === 0) {
    throw new UserError(
      'the signature policy trusts no one: it names neither signer identities nor public keys',
      'Give the workflow identity that signs (https://github.com/OWNER/REPO/.github/workflows/FILE@REF) or a public key.',
    );
  }
}

function publicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (error) {
    throw new UserError(
      `a trusted public key cannot be read: ${(error as Error).message}`,
      'Give the public key as PEM (-----BEGIN PUBLIC KEY-----).',
    );
  }
}

function runVerifier(
  root: TrustedRoot,
  keys: KeyFinderFunc | undefined,
  thresholds: { ctlogThreshold: number; tlogThreshold: number; timestampThreshold: number },
  entity: ReturnType<typeof toSignedEntity>,
  where: string,
): Signer {
  try {
    return new Verifier(toTrustMaterial(root, keys), thresholds).verify(entity);
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    const detail = error.message;
    switch (error.code) {
      case 'SIGNATURE_ERROR':
        return fail(
          'invalid',
          `${where}: the signature does not verify (${detail}): the attestation was changed after it was signed`,
          'Do not load the version; sign it again.',
        );
      case 'CERTIFICATE_ERROR':
        return fail(
          'untrusted',
          `${where}: the signing certificate is not trusted (${detail}): it was not issued by a CA of the trusted root, or was not valid when it signed`,
          'Check that the trusted root is the one of the Sigstore instance that signed (public-good, or your own).',
        );
      case 'PUBLIC_KEY_ERROR':
        return fail(
          'untrusted',
          `${where}: the signing key is not trusted (${detail})`,
          'Verify with the public key the version was signed with.',
        );
      case 'TIMESTAMP_ERROR':
        return fail(
          'no-log',
          `${where}: no trusted timestamp proves when it was signed (${detail})`,
          'Sign the version again; keyless signing enters the signature in Rekor.',
        );
      default:
        return fail(
          'invalid',
          `${where}: the transparency log entry does not verify (${detail})`,
          'The entry is not signed by a log of the trusted root, or is not for this signature. Sign the version again.',
        );
    }
  }
}

/** The key among `keys` the signature verifies with (a bundle without a key hint may name any trusted key); else the last failure. */
function verifyWithKeys(keys: KeyObject[], root: TrustedRoot, entity: ReturnType<typeof toSignedEntity>, where: string): KeyObject {
  let failure: unknown = null;
  for (const key of keys) {
    const finder: KeyFinderFunc = () => ({ publicKey: key, validFor: () => true });
    try {
      // A key's log entry, when it has one, is still verified against the root's logs.
      runVerifier(root, finder, { ctlogThreshold: 0, tlogThreshold: 0, timestampThreshold: 0 }, entity, where);
      return key;
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

function fail(reason: SignatureFailure, message: string, hint?: string): never {
  throw new SignatureError(reason, message, hint);
}

const OID = {
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
};

function checkIdentity(signer: Signer, policy: VerificationPolicy, where: string): VerifiedSigner {
  const identity = signer.identity?.subjectAlternativeName ?? '';
  const issuer = signer.identity?.extensions?.issuer ?? '';
  const expectedIssuer = policy.issuer ?? GITHUB_ACTIONS_ISSUER;
  const identities = policy.identities ?? [];
  if (issuer !== expectedIssuer) {
    throw new SignatureError(
      'identity',
      `${where} was signed by an identity of another issuer: expected issuer ${expectedIssuer}, found ${issuer || 'none'} (identity ${identity || 'none'})`,
      'Only signatures made with the expected OIDC issuer (GitHub Actions by default) are accepted.',
    );
  }
  if (!identities.some((pattern) => identityMatches(pattern, identity))) {
    throw new SignatureError(
      'identity',
      `${where} was signed by the wrong identity: expected ${identities.join(' or ')}, found ${identity || 'none'}`,
      'Only the workflow allowed to register models may sign them; if this workflow is trusted, add its identity to the accepted identities.',
    );
  }
  const extension = (oid: string) => {
    const found = signer.identity?.oids?.find((o) => o.oid?.id.join('.') === oid);
    return found ? derString(Buffer.from(found.value)) : null;
  };
  const repositories = policy.repositories ?? [];
  const sourceRepository = extension(OID.sourceRepositoryUri);
  if (repositories.length > 0 && !repositories.some((pattern) => sourceRepository !== null && identityMatches(pattern, sourceRepository))) {
    throw new SignatureError(
      'identity',
      `${where} was signed by a workflow run of another repository: expected ${repositories.join(' or ')}, found ${sourceRepository ?? 'no source repository in the certificate'} (identity ${identity})`,
      'Only workflow runs of the repositories in signing.verify.repositories may sign; add the repository there if it is trusted.',
    );
  }
  return {
    kind: 'keyless',
    identity,
    issuer,
    sourceRepository,
    sourceRef: extension(OID.sourceRepositoryRef),
    sourceCommit: extension(OID.sourceRepositoryDigest),
    runUrl: extension(OID.runInvocationUri),
  };
}

/** The text of a Fulcio extension value: a DER UTF8String (tag 0x0c), or raw bytes (the deprecated extensions). */
function derString(value: Buffer): string {
  if (value[0] === 0x0c && value.length >= 2) {
    let length = value[1]!;
    let offset = 2;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      length = 0;
      for (let i = 0; i < bytes; i++) length = length * 256 + value[2 + i]!;
      offset = 2 + bytes;
    }
    return value.subarray(offset, offset + length).toString('utf8');
  }
  return value.toString('utf8');
}
