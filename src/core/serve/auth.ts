/**
 * The admin API's credentials: a bearer token, or (for reload only) a signed webhook:
 * `X-Mlops-Timestamp: <unix seconds>` and `X-Mlops-Signature-256: sha256=<hex>`, the
 * HMAC-SHA256 with the same secret of `<timestamp>.<raw body>` (GitHub's scheme, with a
 * timestamp inside what is signed, as Stripe and Slack sign theirs). The server takes a
 * signature only within REPLAY_WINDOW_SECONDS of its timestamp and only once, so a
 * recorded reload cannot be sent again to roll a server back. Compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-mlops-signature-256';
export const TIMESTAMP_HEADER = 'x-mlops-timestamp';
/** How far a signed reload's timestamp may be from the server's clock, either way. */
export const REPLAY_WINDOW_SECONDS = 300;

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

/** The headers that sign a reload body at `timestamp` (unix seconds; default now). */
export function signReload(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signBody(`${timestamp}.${body}`, secret) };
}

/**
 * Checks a signed reload: the timestamp within the window of `now` (unix seconds), the
 * signature that of `<timestamp>.<body>`, and not seen before (`seen`: signature ->
 * when it expires; pruned here, at most `maxSeen` kept). Returns null when it is good,
 * else why not.
 */
export function checkSignedReload(
  headers: { timestamp: string | string[] | undefined; signature: string | string[] | undefined },
  body: Buffer,
  secret: string,
  seen: Map<string, number>,
  now = Date.now() / 1000,
  maxSeen = 10_000,
): string | null {
  const { timestamp, signature } = headers;
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp.trim()))
    return `a signed reload needs ${TIMESTAMP_HEADER} (unix seconds), signed with the body as "<timestamp>.<body>"`;
  const at = Number(timestamp.trim());
  if (Math.abs(now - at) > REPLAY_WINDOW_SECONDS)
    return `the signed reload's timestamp is ${Math.round(now - at)} s from the server's clock (at most ${REPLAY_WINDOW_SECONDS} s): a stale or replayed request`;
  const signed = Buffer.concat([Buffer.from(`${timestamp.trim()}.`, 'utf8'), body]);
  if (typeof signature !== 'string' || !signatureMatches(signature, signed, secret))
    return 'the signature does not match the timestamp and body';
  const key = signature.trim().toLowerCase();
  for (const [k, expires] of seen) if (expires < now) seen.delete(k);
  if (seen.has(key)) return 'this signed reload was already taken: a replayed request';
  if (seen.size >= maxSeen) seen.delete(seen.keys().next().value!);
  seen.set(key, at + REPLAY_WINDOW_SECONDS);
  return null;
}

/** True when the signature header is the body's HMAC-SHA256 with the secret. */
export function signatureMatches(header: string | undefined, body: Buffer, secret: string): boolean {
  if (!header || !/^sha256=[0-9a-fA-F]{64}$/.test(header.trim())) return false;
  const expected = Buffer.from(signBody(body, secret).slice(7), 'hex');
  const given = Buffer.from(header.trim().slice(7).toLowerCase(), 'hex');
  return timingSafeEqual(expected, given);
}
