/**
 * Signatures beside a version in an OCI registry, where cosign, oras, regctl and GitHub's
 * artifact attestations look for them: OCI 1.1 referrers.
 *
 * A bundle is stored as its own manifest whose `subject` is the version's manifest, laid out as
 * cosign lays out its new bundle format (`cosign attest --new-bundle-format`):
 *
 *   { "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
 *     "artifactType": "application/vnd.dev.sigstore.bundle.v0.3+json",
 *     "config": { "mediaType": "application/vnd.oci.empty.v1+json", "digest": <sha256 of {}>, "size": 2 },
 *     "layers": [{ "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "digest", "size" }],
 *     "subject": { "mediaType", "digest", "size" of the version's manifest },
 *     "annotations": { "dev.sigstore.bundle.content": "dsse-envelope",
 *                      "dev.sigstore.bundle.predicateType": <predicate type>,
 *                      "org.opencontainers.image.created": <time> } }
 *
 * pushed by its digest (no tag of its own).
 *
 * Finding it (OCI distribution spec 1.1, "Listing Referrers" and "Unavailable Referrers API"):
 * a registry with the referrers API lists it at GET /v2/<name>/referrers/<subject digest>. A
 * registry without (ghcr.io, Docker's distribution 2.x) gets the referrers tag schema: the client
 * that pushes a manifest with a subject keeps an image index under the tag
 * `<algorithm>-<encoded>` of the subject digest (`sha256-<64 hex>`: the algorithm truncated to 32
 * characters, the encoded part to 64, any character a tag may not hold replaced by `-`), listing a
 * descriptor of every referrer: its media type, digest and size, `artifactType` (the manifest's, or
 * else its config's media type) and all of its annotations. Pushing: pull the index at that tag (404:
 * start from an empty index; anything but an image index: refuse), add the descriptor unless listed,
 * push the index back. Reading: ask the referrers API; on 404 (or no API), read the index at the tag.
 * We read both and merge them, so a registry that gained the API later still shows what was listed
 * under the tag before.
 *
 * The tag index can be rewritten by anyone who may push, so it is only a hint: every referrer it
 * names is fetched and must itself name the version as its subject, and the bundle is verified
 * (verify.ts) before anything is trusted. Concurrent pushes can lose an index entry (the spec's
 * race); attachBundle re-reads the index after writing it and adds its entry again if it was lost.
 *
 * The client is any object with the methods of adapters/registry/oci-client.ts's OciClient used
 * here (structural, so the core does not import the adapter).
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import { BUNDLE_MEDIA_TYPE } from './common.js';
import { EVALUATION_PREDICATE_TYPE } from './statement.js';
import type { StoredBundle } from './verify.js';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** The OCI empty descriptor: media type and content. */
export const OCI_EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
const EMPTY_BLOB = Buffer.from('{}');
/** Annotations cosign writes on a bundle referrer. */
export const BUNDLE_CONTENT_ANNOTATION = 'dev.sigstore.bundle.content';
export const BUNDLE_PREDICATE_TYPE_ANNOTATION = 'dev.sigstore.bundle.predicateType';
const CREATED_ANNOTATION = 'org.opencontainers.image.created';

/** The OciClient methods used here. */
export interface ReferrerClient {
  /** registry/repository, for messages. */
  readonly name: string;
  pushBlob(source: Buffer): Promise<{ digest: string; size: number }>;
  getBlob(digest: string): Promise<Buffer>;
  putManifest(reference: string, manifest: object | Buffer, mediaType?: string): Promise<string>;
  getManifest(reference: string): Promise<{ manifest: Record<string, unknown>; digest: string; mediaType: string; bytes: Buffer }>;
  headManifest(reference: string): Promise<string | null>;
}

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/**
 * A registry's referrers API (GET /v2/<name>/referrers/<digest>): the referrers listed, or null
 * when the registry does not offer the API (it answered 404).
 */
export interface ReferrersApi {
  list(subjectDigest: string): Promise<OciDescriptor[] | null>;
}

export interface AttachOptions {
  /** The predicate type of the attested statement (an annotation). Default EVALUATION_PREDICATE_TYPE. */
  predicateType?: string;
  /** The creation time annotation. Default now. */
  created?: string;
  /** The registry's referrers API, when it can be asked; without it the tag schema is always kept. */
  referrers?: ReferrersApi;
}

export interface AttachedBundle {
  /** The digest of the referrer manifest holding the bundle. */
  digest: string;
  /** The referrers tag updated, or null when the registry's referrers API lists the referrer. */
  tag: string | null;
}

/** The referrers tag of a digest (the distribution spec's tag schema): sha256:abc... -> sha256-abc... */
export function referrersTag(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon <= 0) throw new UserError(`"${digest}" is not a digest`, 'A digest looks like sha256:<64 hex digits>.');
  const algorithm = digest.slice(0, colon).slice(0, 32);
  const encoded = digest.slice(colon + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^A-Za-z0-9_.-]/g, '-');
}

/** Stores `bundle` (its JSON bytes) as a referrer of the manifest `subjectDigest`, findable with or without a referrers API. */
export async function attachBundle(
  client: ReferrerClient,
  subjectDigest: string,
  bundle: Buffer,
  options: AttachOptions = {},
): Promise<AttachedBundle> {
  if ((await client.headManifest(subjectDigest)) === null) {
    throw new UserError(
      `${client.name}@${subjectDigest} does not exist: there is nothing to attach the signature to`,
      'Register the version first, then sign it.',
    );
  }
  const subjectManifest = await client.getManifest(subjectDigest);
  const subject: OciDescriptor = { mediaType: subjectManifest.mediaType, digest: subjectDigest, size: subjectManifest.bytes.length };
  const layer = await client.pushBlob(bundle);
  const empty = await client.pushBlob(EMPTY_BLOB);
  const annotations = sorted({
    [BUNDLE_CONTENT_ANNOTATION]: 'dsse-envelope',
    [BUNDLE_PREDICATE_TYPE_ANNOTATION]: options.predicateType ?? EVALUATION_PREDICATE_TYPE,
    [CREATED_ANNOTATION]: options.created ?? new Date().toISOString(),
  });
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: BUNDLE_MEDIA_TYPE,
    config: { mediaType: OCI_EMPTY_MEDIA_TYPE, digest: empty.digest, size: empty.size },
    layers: [{ mediaType: BUNDLE_MEDIA_TYPE, digest: layer.digest, size: layer.size }],
    subject,
    annotations,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = await client.putManifest(sha256Of(bytes), bytes, OCI_MANIFEST_MEDIA_TYPE);
  const descriptor: OciDescriptor = {
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    digest,
    size: bytes.length,
    artifactType: BUNDLE_MEDIA_TYPE,
    annotations,
  };

  const listed = options.referrers ? await options.referrers.list(subjectDigest) : null;
  if (listed?.some((d) => d.digest === digest)) return { digest, tag: null };

  const tag = referrersTag(subjectDigest);
  for (let attempt = 0; attempt < 5; attempt++) {
    const index = await readTagIndex(client, tag);
    if (!index.some((d) => d.digest === digest)) {
      await client.putManifest(
        tag,
        { schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [...index, descriptor] },
        OCI_INDEX_MEDIA_TYPE,
      );
    }
    // Another client may have rewritten the index from an older copy at the same moment: check ours is there.
    await sleep(50 * (attempt + 1) * (0.5 + Math.random()));
    if ((await readTagIndex(client, tag)).some((d) => d.digest === digest)) return { digest, tag };
  }
  throw new UserError(
    `${client.name}: the signature was pushed (${digest}), but it could not be listed under the referrers tag ${tag} in 5 tries`,
    'Other clients are rewriting the same referrers tag; sign again when they are done.',
  );
}

/**
 * The bundles stored as referrers of `subjectDigest`: from the referrers API when offered and the
 * referrers tag (merged), keeping those whose manifest names `subjectDigest` as its subject and whose
 * artifact type is a Sigstore bundle. Not verified: pass them to verifyVersionSignatures.
 */
export async function findBundles(
  client: ReferrerClient,
  subjectDigest: string,
  options: { referrers?: ReferrersApi } = {},
): Promise<StoredBundle[]> {
  const descriptors = new Map<string, OciDescriptor>();
  const api = options.referrers ? await options.referrers.list(subjectDigest) : null;
  for (const d of api ?? []) descriptors.set(d.digest, d);
  for (const d of await readTagIndex(client, referrersTag(subjectDigest))) if (!descriptors.has(d.digest)) descriptors.set(d.digest, d);

  const bundles: StoredBundle[] = [];
  for (const descriptor of descriptors.values()) {
    if (!isBundleType(descriptor.artifactType)) continue;
    if ((await client.headManifest(descriptor.digest)) === null) continue; // listed, since deleted
    const fetched = await client.getManifest(descriptor.digest);
    const manifest = fetched.manifest as { subject?: { digest?: unknown }; artifactType?: unknown; layers?: unknown };
    if (manifest.subject?.digest !== subjectDigest || !isBundleType(manifest.artifactType)) continue;
    const layers = Array.isArray(manifest.layers) ? (manifest.layers as { mediaType?: unknown; digest?: unknown }[]) : [];
    for (const layer of layers) {
      if (!isBundleType(layer.mediaType) || typeof layer.digest !== 'string') continue;
      bundles.push({ source: `${client.name}@${descriptor.digest}`, bytes: await client.getBlob(layer.digest) });
    }
  }
  return bundles;
}

/**
 * The referrers API of a registry, asked with plain HTTP (anonymously, or with the given
 * Authorization header): a registry that answers 404 does not offer it (null); one that answers
 * 401/403 to this request is treated as not offering it, so the tag schema is used.
 * `base`: http(s)://host[:port]; `repository`: the repository inside the registry.
 */
export function httpReferrersApi(base: string, repository: string, options: { authorization?: string } = {}): ReferrersApi {
  return {
    async list(subjectDigest) {
      const found: OciDescriptor[] = [];
      let url: string | null = `${base.replace(/\/+$/, '')}/v2/${repository}/referrers/${subjectDigest}`;
      const seen = new Set<string>();
      while (url && !seen.has(url)) {
        seen.add(url);
        const headers: Record<string, string> = { accept: OCI_INDEX_MEDIA_TYPE };
        if (options.authorization) headers.authorization = options.authorization;
        let res: Response;
        try {
          res = await fetch(url, { headers });
        } catch {
          return null;
        }
        if (res.status !== 200) {
          await res.body?.cancel();
          return found.length > 0 ? found : null;
        }
        const index = (await res.json().catch(() => null)) as { manifests?: unknown } | null;
        if (!index || !Array.isArray(index.manifests)) return found.length > 0 ? found : null;
        found.push(...index.manifests.filter(isDescriptor));
        const next = res.headers.get('link')?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
        url = next ? new URL(next[1]!, url).href : null;
      }
      return found;
    },
  };
}

// ---- internals ----

async function readTagIndex(client: ReferrerClient, tag: string): Promise<OciDescriptor[]> {
  if ((await client.headManifest(tag)) === null) return [];
  const fetched = await client.getManifest(tag);
  const manifests = (fetched.manifest as { manifests?: unknown }).manifests;
  if (fetched.mediaType !== OCI_INDEX_MEDIA_TYPE || !Array.isArray(manifests)) {
    throw new UserError(
      `${client.name}:${tag} is not an image index of referrers (it is ${fetched.mediaType})`,
      `The tag ${tag} is the referrers tag of a version (the OCI distribution spec's tag schema); something else was pushed there. Delete it or point it back at the referrers index.`,
    );
  }
  return manifests.filter(isDescriptor);
}

function isDescriptor(value: unknown): value is OciDescriptor {
  const d = value as Partial<OciDescriptor> | null;
  return !!d && typeof d.digest === 'string' && typeof d.mediaType === 'string' && typeof d.size === 'number';
}

function isBundleType(type: unknown): boolean {
  return typeof type === 'string' && type.startsWith('application/vnd.dev.sigstore.bundle') && type.endsWith('+json');
}

function sorted(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sha256Of(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
