/**
 * The two use cases of signing, for the steps to call:
 *
 * - `signVersion` (register, right after the version is created): the statement of the version
 *   (statement.ts), signed (sign.ts), stored beside the version (oci.ts or folder.ts).
 * - `checkBeforeLoad` (deploy and serve, before a model is loaded): the version's stored bundles
 *   verified (verify.ts) against the policy; a failure is an error where verification is
 *   required, and a warning to report where it is not.
 *
 * Where signatures live is a small port, SignatureStore, with one implementation per registry kind.
 */
import type { SerializedBundle } from '@sigstore/bundle';
import { attachFolderBundle, findFolderBundles } from './folder.js';
import { attachBundle, findBundles, type ReferrerClient, type ReferrersApi } from './oci.js';
import type { SigningConfig } from './sign.js';
import { evaluationStatement, type AttestedVersion, type EvaluationStatement } from './statement.js';
import type { SignatureStore } from '../../ports/registry.js';
import { SignatureError } from './common.js';
import type { VerificationPolicy, VerifiedAttestation } from './verify.js';

export type { SignatureStore } from '../../ports/registry.js';

/** Signatures in a folder registry's root (folder.ts). */
export function folderSignatureStore(root: string): SignatureStore {
  return {
    attach: (model, digest, bundle) => attachFolderBundle(root, model, digest, bundle),
    find: (model, digest) => findFolderBundles(root, model, digest),
  };
}

/**
 * Signatures as OCI referrers of the version's manifest (oci.ts). `clientFor` gives the client of
 * a model's repository (the OCI store's `<namespace>/<model>`); `referrersFor`, when given, its
 * referrers API.
 */
export function ociSignatureStore(
  clientFor: (model: string) => ReferrerClient,
  referrersFor?: (model: string) => ReferrersApi,
): SignatureStore {
  return {
    async attach(model, digest, bundle) {
      const client = clientFor(model);
      const attached = await attachBundle(client, digest, bundle, { referrers: referrersFor?.(model) });
      return `${client.name}@${attached.digest}`;
    },
    find: (model, digest) => findBundles(clientFor(model), digest, { referrers: referrersFor?.(model) }),
  };
}

export interface SignedVersion {
  statement: EvaluationStatement;
  bundle: SerializedBundle;
  /** Where the bundle was stored. */
  where: string;
}

/** Signs a registered version's attestation and stores it beside the version. */
export async function signVersion(version: AttestedVersion, store: SignatureStore, config: SigningConfig): Promise<SignedVersion> {
  const statement = evaluationStatement(version);
  // Sigstore's libraries load here, and in checkBeforeLoad, only when a version is signed or verified.
  const { signStatement } = await import('./sign.js');
  const signed = await signStatement(statement, config);
  const where = await store.attach(version.model, version.digest, signed.bytes);
  return { statement, bundle: signed.bundle, where };
}

export type LoadCheck =
  | { status: 'verified'; attestation: VerifiedAttestation }
  /** Not required here and not verified: `problem` says why (to show as a warning). */
  | { status: 'unverified'; problem: SignatureError };

/**
 * Verifies the version about to be loaded. Throws the SignatureError when `required`; otherwise
 * returns it as a problem to report. A policy of null (nobody to trust configured) is a failure of
 * its own: required, it throws with a hint naming the identity that signed. `policy` may be a
 * function, called only when there is a signature to check (reading a trusted root may need the
 * network).
 */
export async function checkBeforeLoad(
  version: { model: string; version: number; digest: string },
  store: SignatureStore,
  options: { required: boolean; policy: VerificationPolicy | null | (() => Promise<VerificationPolicy | null>) },
): Promise<LoadCheck> {
  const subject = { model: version.model, digest: version.digest, label: `${version.model} v${version.version}` };
  try {
    const bundles = await store.find(version.model, version.digest);
    if (bundles.length === 0 && typeof options.policy === 'function') {
      throw new SignatureError(
        'missing',
        `${subject.label} has no signature`,
        'register signs each version: keylessly on GitHub when its job has `permissions: id-token: write`, or with signing.key. Register the model again to get a signed version, or set signing.verify.required in mlops.yaml to leave this environment unverified.',
      );
    }
    const policy = typeof options.policy === 'function' ? await options.policy() : options.policy;
    if (!policy) {
      throw new SignatureError(
        bundles.length === 0 ? 'missing' : 'untrusted',
        bundles.length === 0
          ? `${subject.label} has no signature, and no signer is configured to trust`
          : `${subject.label} is signed, but no signer is configured to trust`,
        'Name the workflow that signs (signing.verify.identities) or the public key (signing.verify.public_keys).',
      );
    }
    const { verifyVersionSignatures } = await import('./verify.js');
    return { status: 'verified', attestation: verifyVersionSignatures(subject, bundles, policy) };
  } catch (error) {
    if (options.required) throw error;
    // Not required: whatever stopped the check (a trusted root that could not be fetched, too) is a warning.
    const problem =
      error instanceof SignatureError
        ? error
        : new SignatureError('untrusted', `the signature could not be checked: ${error instanceof Error ? error.message : String(error)}`);
    return { status: 'unverified', problem };
  }
}
