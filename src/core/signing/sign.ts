/**
 * Signing a statement (statement.ts) into a Sigstore bundle: a DSSE envelope (payload type
 * application/vnd.in-toto+json) with its verification material, serialised as the bundle v0.3
 * JSON (`application/vnd.dev.sigstore.bundle.v0.3+json`) that cosign, sigstore-js, sigstore-go
 * and GitHub's artifact attestations read. Built on @sigstore/sign (the signer of npm provenance
 * and actions/attest), so no signature format is ours.
 *
 * Two ways to sign:
 * - keyless: an ephemeral P-256 key is certified by Fulcio for the caller's OIDC identity (on a
 *   GitHub runner, the workflow's token, asked for with audience `sigstore`; this needs
 *   `permissions: id-token: write` on the job), the envelope is signed, and the signature is
 *   entered in Rekor, whose signed entry and inclusion proof go into the bundle: the proof that
 *   the 10-minute certificate was valid when it signed. The bundle carries the certificate.
 *   Fulcio and Rekor URLs default to Sigstore's public-good instance. An instance without a public
 *   log (GitHub's own, for private repositories, whose entries must not be public) timestamps with an
 *   RFC 3161 TSA instead: `rekorURL: null` and `tsaURL`.
 * - key: a private key from a PEM file (a laptop, or a CI that keeps a key as a secret). The
 *   bundle carries a public-key hint (the key id: hex sha256 of the public key's DER SPKI) and no
 *   certificate; a Rekor entry is added only when a Rekor URL is given.
 *
 * What the core does not do: read process.env on its own (the environment is passed in) or
 * decide whether to sign (the step's config does).
 */
import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Signer, type Witness } from '@sigstore/sign';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { UserError } from '../errors.js';
import { IN_TOTO_PAYLOAD_TYPE, serializeStatement, type Statement } from './statement.js';

/** Sigstore's public-good instance: where keyless signing goes unless told otherwise. */
export const PUBLIC_FULCIO_URL = 'https://fulcio.sigstore.dev';
export const PUBLIC_REKOR_URL = 'https://rekor.sigstore.dev';
/** The audience Fulcio expects in an OIDC token. */
export const SIGSTORE_AUDIENCE = 'sigstore';
export { BUNDLE_MEDIA_TYPE } from './common.js';

export interface KeylessSigning {
  mode: 'keyless';
  /** Default PUBLIC_FULCIO_URL. */
  fulcioURL?: string;
  /**
   * Default PUBLIC_REKOR_URL; null: no transparency log (an instance that timestamps with a TSA
   * instead, such as GitHub's own for private repositories: then `tsaURL` is required).
   */
  rekorURL?: string | null;
  /** An RFC 3161 timestamp authority to countersign too (none by default). */
  tsaURL?: string;
  /**
   * The OIDC token to certify. Default: asked of the runner (ACTIONS_ID_TOKEN_REQUEST_URL and
   * ACTIONS_ID_TOKEN_REQUEST_TOKEN in `env`, audience `sigstore`), else SIGSTORE_ID_TOKEN in `env`.
   */
  identityToken?: string;
  /** Where the runner's variables are read. Default process.env (read by the caller, passed here). */
  env?: NodeJS.ProcessEnv;
  /** Per request to Fulcio and Rekor. Default 30 s. */
  timeoutMs?: number;
}

export interface KeySigning {
  mode: 'key';
  /** The private key, PEM (PKCS#8 or SEC1; ECDSA P-256, Ed25519 or RSA). */
  privateKey: string;
  /** For an encrypted PEM. */
  passphrase?: string;
  /** Also enter the signature in this Rekor (off by default: a laptop's signature stays private). */
  rekorURL?: string;
  timeoutMs?: number;
}

export type SigningConfig = KeylessSigning | KeySigning;

export interface SignedStatement {
  /** The bundle, as its v0.3 JSON object. */
  bundle: SerializedBundle;
  /** The bundle's bytes as stored (JSON, one line). */
  bytes: Buffer;
}

/** Signs `statement` as a DSSE envelope into a Sigstore bundle. */
export async function signStatement(statement: Statement, config: SigningConfig): Promise<SignedStatement> {
  const timeout = config.timeoutMs ?? 30_000;
  let signer: Signer;
  const witnesses: Witness[] = [];
  if (config.mode === 'keyless') {
    const env = config.env ?? {};
    signer = new FulcioSigner({
      fulcioBaseURL: config.fulcioURL ?? PUBLIC_FULCIO_URL,
      identityProvider: {
        getToken: () => (config.identityToken ? Promise.resolve(config.identityToken) : identityTokenFrom(env, timeout)),
      },
      timeout,
      retry: 2,
    });
    if (config.rekorURL !== null) {
      const rekorBaseURL = config.rekorURL ?? PUBLIC_REKOR_URL;
      witnesses.push(new RekorWitness({ rekorBaseURL, entryType: 'dsse', fetchOnConflict: true, timeout, retry: 2 }));
    } else if (!config.tsaURL) {
      throw new UserError(
        'keyless signing without a transparency log needs a timestamp authority',
        'A keyless certificate lives 10 minutes: a Rekor entry or an RFC 3161 timestamp must prove when it signed. Give rekor_url or tsa_url.',
      );
    }
    if (config.tsaURL) witnesses.push(new TSAWitness({ tsaBaseURL: config.tsaURL, timeout, retry: 2 }));
  } else {
    signer = new KeySigner(loadPrivateKey(config.privateKey, config.passphrase));
    if (config.rekorURL)
      witnesses.push(new RekorWitness({ rekorBaseURL: config.rekorURL, entryType: 'dsse', fetchOnConflict: true, timeout, retry: 2 }));
  }
  const builder = new DSSEBundleBuilder({ signer, witnesses, certificateChain: false });
  let bundle;
  try {
    bundle = await builder.create({ data: serializeStatement(statement), type: IN_TOTO_PAYLOAD_TYPE });
  } catch (error) {
    throw signingError(error, config);
  }
  const json = bundleToJSON(bundle);
  return { bundle: json, bytes: Buffer.from(JSON.stringify(json), 'utf8') };
}

/** The key id a bundle names for a public key: hex sha256 of its DER SubjectPublicKeyInfo. */
export function keyId(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256')
    .update(key.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}

/** A new ECDSA P-256 key pair as PEM (PKCS#8 private, SPKI public): what `key` signing takes and verifying trusts. */
export function generateSigningKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** Signs with a key held here: the hash follows the key (SHA-256 for ECDSA P-256 and RSA; none for Ed25519). */
class KeySigner implements Signer {
  private readonly publicKey: KeyObject;
  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
  }

  async sign(data: Buffer) {
    const algorithm = this.privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
    return {
      signature: cryptoSign(algorithm, data, this.privateKey),
      key: {
        $case: 'publicKey' as const,
        publicKey: this.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        hint: keyId(this.publicKey),
      },
    };
  }
}

function loadPrivateKey(pem: string, passphrase: string | undefined): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase });
  } catch (error) {
    const message = (error as Error).message;
    throw new UserError(
      `the signing key cannot be read: ${message}`,
      /passphrase|decrypt/i.test(message)
        ? 'The key is encrypted: give its passphrase (MLOPS_SIGNING_KEY_PASSPHRASE).'
        : 'Give a PEM private key (PKCS#8 or SEC1), e.g. from `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`.',
    );
  }
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const ok = type === 'ed25519' || type === 'rsa' || (type === 'ec' && (curve === 'prime256v1' || curve === 'P-256'));
  if (!ok) {
    throw new UserError(
      `the signing key is ${type}${curve ? ` (${curve})` : ''}, which Sigstore verifiers do not all accept`,
      'Use an ECDSA P-256 key (recommended), Ed25519 or RSA.',
    );
  }
  return key;
}

/**
 * The OIDC token for keyless signing: the runner's (a GitHub job with `id-token: write` has
 * ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN), else SIGSTORE_ID_TOKEN
 * (cosign's variable, for other CIs).
 */
export async function identityTokenFrom(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (url && requestToken) {
    const request = new URL(url);
    request.searchParams.set('audience', SIGSTORE_AUDIENCE);
    let res: Response;
    try {
      res = await fetch(request, {
        headers: { accept: 'application/json', authorization: `Bearer ${requestToken}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new UserError(
        `cannot ask the runner for an OIDC token: ${(error as Error).message}`,
        'Try again; the runner answers this request itself.',
      );
    }
    const body = (await res.json().catch(() => ({}))) as { value?: unknown };
    if (!res.ok || typeof body.value !== 'string' || !body.value) {
      throw new UserError(
        `the runner refused an OIDC token (${res.status} ${res.statusText})`,
        'The job needs `permissions: id-token: write` (give it to the register job only).',
      );
    }
    return body.value;
  }
  if (env.SIGSTORE_ID_TOKEN) return env.SIGSTORE_ID_TOKEN;
  throw new UserError(
    'keyless signing needs an OIDC token, and none is available',
    env.GITHUB_ACTIONS === 'true'
      ? 'Add `permissions: id-token: write` to the register job (only to it), so the runner can hand out a token for Sigstore.'
      : 'On a laptop, sign with a key pair (signing mode `key`); on another CI, put its OIDC token (audience sigstore) in SIGSTORE_ID_TOKEN.',
  );
}

/** @sigstore/sign's errors (InternalError with a code and a cause) as something a user can act on. */
function signingError(error: unknown, config: SigningConfig): Error {
  if (error instanceof UserError) return error;
  const { code, message, cause } = error as { code?: string; message?: string; cause?: unknown };
  if (cause instanceof UserError) return cause;
  const detail = [message, cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : null].filter(Boolean).join(': ');
  const fulcio = config.mode === 'keyless' ? (config.fulcioURL ?? PUBLIC_FULCIO_URL) : null;
  const rekor = config.mode === 'keyless' && config.rekorURL !== null ? (config.rekorURL ?? PUBLIC_REKOR_URL) : (config.rekorURL ?? null);
  const tsa = config.mode === 'keyless' ? (config.tsaURL ?? null) : null;
  switch (code) {
    case 'IDENTITY_TOKEN_READ_ERROR':
    case 'IDENTITY_TOKEN_PARSE_ERROR':
      return new UserError(
        `keyless signing could not get an OIDC token: ${detail}`,
        'Add `permissions: id-token: write` to the register job.',
      );
    case 'CA_CREATE_SIGNING_CERTIFICATE_ERROR':
      return new UserError(
        `Fulcio (${fulcio}) refused to certify the signing key: ${detail}`,
        'Check the Fulcio URL, and that the OIDC token is for audience sigstore and has not expired.',
      );
    case 'TLOG_CREATE_ENTRY_ERROR':
      return new UserError(`Rekor (${rekor}) refused the signature: ${detail}`, 'Check the Rekor URL and try again.');
    case 'TSA_CREATE_TIMESTAMP_ERROR':
      return new UserError(
        `the timestamp authority (${tsa}) refused to timestamp the signature: ${detail}`,
        'Check the TSA URL and try again.',
      );
  }
  return new UserError(`signing failed: ${detail || String(error)}`);
}
