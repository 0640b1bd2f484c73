/**
 * The `signing:` section of mlops.yaml, and how it becomes a signer (register) and a
 * verification policy (deploy, serve):
 *
 *   signing:
 *     mode: auto            # auto | keyless | key | off. auto: keyless when the job may ask for an OIDC
 *                           # token (id-token: write), else key when a key is given, else off
 *     key: keys/mlops.key   # mode key: PEM private key (or MLOPS_SIGNING_KEY holds the PEM);
 *                           # passphrase in MLOPS_SIGNING_KEY_PASSPHRASE
 *     fulcio_url: ...       # default Sigstore's public-good instance
 *     rekor_url: ...        # false: no transparency log (an instance that timestamps instead)
 *     tsa_url: ...          # an RFC 3161 timestamp authority (GitHub's private instance: required)
 *     verify:
 *       required: [production]   # environments (aliases) whose deploys and serves refuse an unverified
 *                                # version; true: all, false: none (then a failure is a warning).
 *                                # Default: [production] when there is a signer to trust (below, or on
 *                                # GitHub this repository's workflows), else none
 *       identities:              # keyless signers accepted (certificate SAN, * as a wildcard)
 *         - https://github.com/acme/penguins/.github/workflows/mlops-cd.yml@refs/heads/main
 *       repositories:            # keyless: the repositories whose workflow runs may sign (the
 *         - https://github.com/acme/penguins   # certificate's source repository, * as a wildcard)
 *       issuer: https://token.actions.githubusercontent.com   # the default
 *
 * With nothing under verify naming a signer, a run on GitHub trusts keyless signatures made by
 * workflow runs of its own repository (identities: ['*'], repositories: [this repository]): the
 * register job of the same repository signs, and deploy and serve in it verify with no setup.
 *       public_keys: [keys/mlops.pub]                          # key signers accepted
 *       trusted_root: trusted_root.json                        # default: public-good, through TUF
 *       transparency_log: true                                 # require a Rekor entry (keyless); default true
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { SigningSettings } from './schema.js';
import type { SigningConfig } from './sign.js';
import { GITHUB_ACTIONS_ISSUER } from './common.js';
import type { VerificationPolicy } from './verify.js';

export { SignatureVerifySettings, SigningSettings } from './schema.js';

const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export interface SettingsContext {
  env: NodeJS.ProcessEnv;
  /** Resolves a path of the settings (relative to mlops.yaml). Default: as given. */
  resolvePath?: (path: string) => string;
}

/**
 * The signer register uses, or null when signing is off; `note` says why auto chose what it
 * chose (for the step's log), or is null.
 */
export async function signingConfigFrom(
  settings: SigningSettings,
  context: SettingsContext,
): Promise<{ config: SigningConfig | null; note: string | null }> {
  const { env } = context;
  const resolve = context.resolvePath ?? ((p: string) => p);
  const canKeyless = Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) || Boolean(env.SIGSTORE_ID_TOKEN);
  const hasKey = Boolean(settings.key || env.MLOPS_SIGNING_KEY);
  let mode = settings.mode;
  let note: string | null = null;
  if (mode === 'auto') {
    mode = canKeyless ? 'keyless' : hasKey ? 'key' : 'off';
    if (mode === 'off') {
      note =
        env.GITHUB_ACTIONS === 'true'
          ? 'The version is not signed: the job cannot ask for an OIDC token. Add `permissions: id-token: write` to the register job to sign keylessly.'
          : 'The version is not signed (no OIDC token and no signing key). Give signing.key to sign with a key pair.';
    }
  }
  if (mode === 'off') return { config: null, note };
  if (mode === 'keyless') {
    const rekorURL = settings.rekor_url === false ? null : settings.rekor_url;
    return { config: { mode: 'keyless', fulcioURL: settings.fulcio_url, rekorURL, tsaURL: settings.tsa_url, env }, note };
  }
  let privateKey = env.MLOPS_SIGNING_KEY ?? '';
  if (settings.key) {
    try {
      privateKey = await readFile(resolve(settings.key), 'utf8');
    } catch (error) {
      throw new UserError(
        `cannot read the signing key ${settings.key}: ${(error as Error).message}`,
        'Give the path of a PEM private key (signing.key).',
      );
    }
  }
  if (!privateKey)
    throw new UserError(
      'signing mode is key, but no key is given',
      'Set signing.key to a PEM private key, or put the PEM in MLOPS_SIGNING_KEY.',
    );
  return {
    config: { mode: 'key', privateKey, passphrase: env.MLOPS_SIGNING_KEY_PASSPHRASE, rekorURL: settings.rekor_url || undefined },
    note,
  };
}

/** Whether signing.verify names somebody to trust: keyless identities or repositories, or public keys. */
function namesSigners(settings: SigningSettings): boolean {
  const verify = settings.verify;
  return list(verify.identities).length > 0 || list(verify.repositories).length > 0 || list(verify.public_keys).length > 0;
}

/**
 * Whether there is a signer to trust: one named under signing.verify, or, with none named, the
 * repository of a run on GitHub (`githubRepository`), whose own workflow runs are then trusted
 * (verificationPolicyFrom builds exactly that policy).
 */
export function hasSignerToTrust(settings: SigningSettings, githubRepository: string | null | undefined): boolean {
  return namesSigners(settings) || Boolean(githubRepository);
}

/**
 * Whether loading into `environment` (an alias such as production; null: no environment) needs a
 * verified signature. Unset `required` means [production] when there is a signer to trust
 * (`hasSigner`), else nothing: with nobody named to trust, an unsigned production is a warning
 * until the project says whom to trust (or sets required itself).
 */
export function verificationRequired(settings: SigningSettings, environment: string | null, hasSigner: boolean): boolean {
  const required = settings.verify.required ?? (hasSigner ? ['production'] : []);
  if (typeof required === 'boolean') return required;
  return environment !== null && required.some((name) => name.toLowerCase() === environment.toLowerCase());
}

/**
 * The policy deploy and serve verify with, or null when it names nobody to trust. The trusted
 * root is read only when keyless identities are named: from `trusted_root`, else Sigstore's
 * public-good root through TUF (cached under `tufCachePath`).
 */
export async function verificationPolicyFrom(
  settings: SigningSettings,
  context: SettingsContext & {
    tufCachePath?: string;
    /** owner/repo of the workflow run on GitHub (its signers are trusted when nothing is named), or null. */
    githubRepository?: string | null;
    /** GitHub's address (GITHUB_SERVER_URL). Default https://github.com. */
    githubServer?: string;
  },
): Promise<VerificationPolicy | null> {
  const resolve = context.resolvePath ?? ((p: string) => p);
  const verify = settings.verify;
  let identities = list(verify.identities);
  let repositories = list(verify.repositories);
  if (!namesSigners(settings) && context.githubRepository) {
    identities = ['*'];
    repositories = [`${(context.githubServer ?? 'https://github.com').replace(/\/+$/, '')}/${context.githubRepository}`];
  } else if (identities.length === 0 && repositories.length > 0) {
    identities = ['*'];
  }
  const publicKeys: string[] = [];
  for (const path of list(verify.public_keys)) {
    try {
      publicKeys.push(await readFile(resolve(path), 'utf8'));
    } catch (error) {
      throw new UserError(
        `cannot read the public key ${path}: ${(error as Error).message}`,
        'signing.verify.public_keys lists PEM public key files.',
      );
    }
  }
  if (identities.length === 0 && publicKeys.length === 0) return null;
  let trustedRoot: VerificationPolicy['trustedRoot'];
  if (identities.length > 0 || verify.trusted_root) {
    // Sigstore's libraries load only here, where a root of trust is needed.
    const { publicGoodTrustedRoot, readTrustedRoot } = await import('./verify.js');
    trustedRoot = verify.trusted_root
      ? await readTrustedRoot(resolve(verify.trusted_root))
      : await publicGoodTrustedRoot({ cachePath: context.tufCachePath });
  }
  return {
    trustedRoot,
    identities,
    repositories,
    issuer: verify.issuer ?? GITHUB_ACTIONS_ISSUER,
    requireTransparencyLog: verify.transparency_log ?? true,
    publicKeys,
  };
}
