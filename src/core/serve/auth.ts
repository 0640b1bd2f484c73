/**
 * The admin API's credentials: a bearer token, or (for reload only) an HMAC-SHA256
 * signature of the raw body with the same secret, as GitHub signs webhooks
 * (`X-Mlops-Signature-256: sha256=<hex>`). Both compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-mlops-signature-256';

/** Equal strings, in time that does not depend on where they differ (hashes first: equal lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** True when `Authorization: Bearer <token>` carries the token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match) return false;
  return constantTimeEqual(match[1]!, token);
}

/** `sha256=<hex>` of the body with the secret. */
export function signBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when the signature header is the body's HMAC-SHA256 with the secret. */
export function signatureMatches(header: string | undefined, body: Buffer, secret: string): boolean {
  if (!header || !/^sha256=[0-9a-fA-F]{64}$/.test(header.trim())) return false;
  const expected = Buffer.from(signBody(body, secret).slice(7), 'hex');
  const given = Buffer.from(header.trim().slice(7).toLowerCase(), 'hex');
  return timingSafeEqual(expected, given);
}
