/**
 * What the signing modules share with the code that only stores, names or reports signatures: the
 * error of a refused signature and two names. Kept apart from sign.ts and verify.ts, which load
 * Sigstore's libraries (about a megabyte of code): those are imported only when a version is
 * signed or verified, so every other command starts without them.
 */
import { UserError } from '../errors.js';

/** The issuer of GitHub Actions' OIDC tokens, as Fulcio writes it into certificates. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/** The bundle media type sign.ts writes. */
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** Why a version's signature was refused. */
export type SignatureFailure =
  /** No signature is stored beside the version. */
  | 'missing'
  /** The statement is for other bytes than the version being loaded. */
  | 'tampered'
  /** Signed by a workflow (or issuer) the policy does not accept. */
  | 'identity'
  /** Signed by a CA, log or key the trusted root and policy do not trust. */
  | 'untrusted'
  /** A keyless signature without a transparency log entry (or timestamp) proving when it was made. */
  | 'no-log'
  /** Not a bundle, not our statement, or a signature or log entry that does not verify. */
  | 'invalid';

export class SignatureError extends UserError {
  constructor(
    readonly reason: SignatureFailure,
    message: string,
    hint?: string,
  ) {
    super(message, hint);
  }
}
