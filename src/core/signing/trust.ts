/**
 * Signing and verification as the steps use them, from the `signing:` section of mlops.yaml:
 *
 * - `signRegistered` (register): signs the new version's attestation when a signer is available
 *   (keyless with the job's OIDC token, or a key), stores it beside the version, and says what
 *   it did; with no signer it says why the version is unsigned.
 * - `loadGuard` (deploy and serve): a check to call with each version before it is deployed or
 *   loaded. Where verification is required (production by default, once there is a signer to
 *   trust), a version that does not verify is refused; elsewhere a failure is a warning.
 *
 * The secrets these read (the OIDC request variables and the signing key) are named in
 * SIGNING_SECRETS, so user commands never receive them.
 */
import { UserError } from '../errors.js';
import type { ModelVersion } from '../../ports/registry.js';
import { checkBeforeLoad, signVersion, type LoadCheck, type SignatureStore, type SignedVersion } from './attest.js';
import { hasSignerToTrust, signingConfigFrom, SigningSettings, verificationPolicyFrom, verificationRequired } from './settings.js';
import type { VerificationPolicy } from './verify.js';

/** The variables signing reads: GitHub's OIDC token request, a ready token, and the signing key. */
export const SIGNING_SECRETS = [
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'SIGSTORE_ID_TOKEN',
  'MLOPS_SIGNING_KEY',
  'MLOPS_SIGNING_KEY_PASSPHRASE',
] as const;
export type SigningSecretName = (typeof SIGNING_SECRETS)[number];

export interface TrustContext {
  /** The `signing:` section of mlops.yaml (checked when the file was loaded), or undefined for the defaults. */
  section: SigningSettings | undefined;
  /** A signing secret, or undefined. */
  secret(name: SigningSecretName): string | undefined;
  onGitHub: boolean;
  /** owner/repo of the workflow run, or null outside one. */
  githubRepository: string | null;
  /** GitHub's address. Default https://github.com. */
  githubServer?: string;
  /** Resolves a path written in mlops.yaml. */
  resolvePath?: (path: string) => string;
  /** Where Sigstore's public-good trusted root is cached (TUF), when it is needed. */
  tufCachePath?: string;
}

/** The signing section, or its defaults when mlops.yaml has none. */
function signingSettings(section: SigningSettings | undefined): SigningSettings {
  return section ?? SigningSettings.parse({});
}

function envOf(context: TrustContext): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of SIGNING_SECRETS) {
    const value = context.secret(name);
    if (value) env[name] = value;
  }
  if (context.onGitHub) env.GITHUB_ACTIONS = 'true';
  return env;
}

export interface SigningOutcome {
  /** The signature made, or null when the version is not signed. */
  signed: SignedVersion | null;
  /** How it was signed ("keyless" or "key"), or null. */
  mode: 'keyless' | 'key' | null;
  /** Why it is not signed (for a notice), or null. */
  note: string | null;
}

/** Signs a version register has just created, when a signer is available. A signer that fails is an error. */
export async function signRegistered(version: ModelVersion, store: SignatureStore, context: TrustContext): Promise<SigningOutcome> {
  const settings = signingSettings(context.section);
  const { config, note } = await signingConfigFrom(settings, { env: envOf(context), resolvePath: context.resolvePath });
  if (!config) return { signed: null, mode: null, note: note ?? 'The version is not signed: signing.mode is off in mlops.yaml.' };
  const signed = await signVersion(version, store, config).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `${version.model} v${version.version} was registered (${version.digest}) but could not be signed: ${reason}`,
      config.mode === 'keyless'
        ? 'Keyless signing needs `permissions: id-token: write` on the register job and the Sigstore services reachable; no alias was moved. Register again once it is fixed, or set signing.mode: off.'
        : 'Check signing.key (a PEM private key) and MLOPS_SIGNING_KEY_PASSPHRASE; no alias was moved.',
    );
  });
  return { signed, mode: config.mode, note };
}

/** Checks a version before it is deployed to or loaded for an environment. */
export interface LoadGuard {
  /** Whether this guard refuses a version that does not verify (else it warns). */
  readonly required: boolean;
  /** Whether anybody is named to trust (or, on GitHub, the repository's own runs): else an unsigned version is only noted. */
  readonly trusting: boolean;
  /** Verifies `version`; throws where required, else returns the problem to warn about. */
  check(version: Pick<ModelVersion, 'model' | 'version' | 'digest'>): Promise<LoadCheck>;
}

/**
 * The guard for loading into `environment` (an alias such as production; null for none). The
 * policy (and Sigstore's trusted root, which may need the network) is read on the first check.
 */
export async function loadGuard(store: SignatureStore, context: TrustContext, environment: string | null): Promise<LoadGuard> {
  const settings = signingSettings(context.section);
  let policy: Promise<VerificationPolicy | null> | null = null;
  const hasSigner = hasSignerToTrust(settings, context.githubRepository);
  const required = verificationRequired(settings, environment, hasSigner);
  const readPolicy = () =>
    (policy ??= verificationPolicyFrom(settings, {
      env: {},
      resolvePath: context.resolvePath,
      tufCachePath: context.tufCachePath,
      githubRepository: context.githubRepository,
      githubServer: context.githubServer,
    }).catch((error: unknown) => {
      policy = null; // read again at the next check (a server keeps running)
      throw error;
    }));
  return {
    required,
    trusting: hasSigner,
    check: (version) => checkBeforeLoad(version, store, { required, policy: readPolicy }),
  };
}

/**
 * Whether an unverified check deserves a warning: a signature that does not verify always does; a
 * missing one only where somebody is trusted to sign (a project that has not set up signing is
 * not warned on every deploy).
 */
export function worthWarning(check: LoadCheck, guard: Pick<LoadGuard, 'trusting'>): boolean {
  return check.status === 'unverified' && (guard.trusting || check.problem.reason !== 'missing');
}

/** One line for a log or summary: who signed a verified version, or why it is not verified. */
export function describeCheck(check: LoadCheck, label: string): string {
  if (check.status === 'unverified') return `${label} is not verified: ${check.problem.message}`;
  const { signer, loggedAt } = check.attestation;
  const by =
    signer.kind === 'key'
      ? `the key ${signer.keyId}`
      : `${signer.identity}${signer.sourceCommit ? ` at ${signer.sourceCommit.slice(0, 12)}` : ''}${signer.runUrl ? ` (${signer.runUrl})` : ''}`;
  return `${label}'s signature verified: signed by ${by}${loggedAt ? `, logged ${loggedAt}` : ''}.`;
}
