/**
 * A small client for the OCI distribution API (the registry HTTP API that ghcr.io,
 * Docker Hub and the CNCF distribution registry speak): blobs, manifests and tags
 * of one repository, over Node's global `fetch`.
 *
 * - Blobs are pushed monolithically (POST an upload, then PUT its bytes with the
 *   digest) after a HEAD that skips blobs the registry already holds; a file is
 *   hashed, then streamed from disk, never loaded whole.
 * - Everything read back is verified against its digest: a blob or manifest whose
 *   bytes do not hash to the digest asked for is an error, and a file is written
 *   aside and renamed only once verified.
 * - Authentication: anonymous, HTTP basic, or the bearer token flow (a 401 with
 *   `WWW-Authenticate: Bearer realm=...,service=...,scope=...` is answered by asking
 *   the realm for a token, with the credentials as basic auth; tokens are cached per
 *   scope). A `{ token }` (a registry's own token) is sent as the password. Credentials
 *   go to the registry itself and to a token service on the registry's own origin only:
 *   a realm on another origin is asked anonymously. The workflow token
 *   (`{ workflowToken }`, GITHUB_TOKEN) is GitHub's: it is used for ghcr.io only, and
 *   sent only to https://ghcr.io (its registry and its token service), never elsewhere.
 * - Registry errors (`{"errors":[{"code","message"}]}`) become UserErrors naming the
 *   status and code, with a hint.
 *
 * Media types follow the CNCF ModelPack specification: an OCI image manifest with
 * `artifactType` MODEL_ARTIFACT_TYPE, a MODEL_CONFIG_MEDIA_TYPE config, and one raw
 * layer per file, titled with its path (`org.opencontainers.image.title`).
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UserError } from '../../core/errors.js';

/** An OCI image manifest: what a model version is stored as. */
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** An OCI image index (a list of manifests); accepted when reading. */
export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** Docker's manifest and manifest list; accepted when reading. */
export const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** ModelPack: the `artifactType` of a model manifest. */
export const MODEL_ARTIFACT_TYPE = 'application/vnd.cncf.model.manifest.v1+json';
/** ModelPack: the manifest's config blob (a JSON description of the model). */
export const MODEL_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.model.config.v1+json';
/** ModelPack: a weight file, stored as is (not archived, not compressed). */
export const MODEL_WEIGHT_MEDIA_TYPE = 'application/vnd.cncf.model.weight.v1.raw';
/** ModelPack: a file that goes with the weights (topology, tokenizer, preprocessing), stored as is. */
export const MODEL_WEIGHT_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.model.weight.config.v1.raw';
/** ModelPack: documentation (README, model card), stored as is. */
export const MODEL_DOC_MEDIA_TYPE = 'application/vnd.cncf.model.doc.v1.raw';
/**
 * The layer type this suite gives every file of a model directory that is not a weight
 * file (model.json, preprocessing, the model card, the blessing): ModelPack's type for
 * the files that accompany the weights, so ModelPack-aware tools keep them with the model.
 */
export const MODEL_FILE_MEDIA_TYPE = MODEL_WEIGHT_CONFIG_MEDIA_TYPE;
/** The annotation that names a layer's file (its path in the model directory), as ORAS does. */
export const TITLE_ANNOTATION = 'org.opencontainers.image.title';
/** ModelPack's annotation for a layer's path in the model directory. */
export const FILEPATH_ANNOTATION = 'org.cncf.model.filepath';

/** Every manifest type this client reads (sent as Accept). */
export const MANIFEST_MEDIA_TYPES = [
  OCI_MANIFEST_MEDIA_TYPE,
  OCI_INDEX_MEDIA_TYPE,
  DOCKER_MANIFEST_MEDIA_TYPE,
  DOCKER_MANIFEST_LIST_MEDIA_TYPE,
];

const WEIGHT_EXTENSIONS = /\.(bin|safetensors|onnx|gguf|pt|pth|ckpt|h5|keras|pb|tflite|npz|npy|pkl|joblib)$/i;

/** Documentation of a model directory: its model card and README. */
const DOC_FILES = /(^|\/)(model-card\.json|model_card\.md|README(\.md|\.txt)?)$/i;

/**
 * The layer media type for a file of a model directory: MODEL_WEIGHT_MEDIA_TYPE for weight files (by
 * extension), MODEL_DOC_MEDIA_TYPE for the model card and a README, else MODEL_FILE_MEDIA_TYPE.
 */
export function layerMediaType(path: string): string {
  if (WEIGHT_EXTENSIONS.test(path)) return MODEL_WEIGHT_MEDIA_TYPE;
  return DOC_FILES.test(path) ? MODEL_DOC_MEDIA_TYPE : MODEL_FILE_MEDIA_TYPE;
}

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface OciManifest {
  schemaVersion: 2;
  mediaType: typeof OCI_MANIFEST_MEDIA_TYPE;
  artifactType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}

export interface ManifestInput {
  /** The config blob; its media type defaults to MODEL_CONFIG_MEDIA_TYPE. */
  config: { digest: string; size: number; mediaType?: string };
  /** One per file: its blob, media type and `org.opencontainers.image.title` (the path). */
  layers: { digest: string; size: number; mediaType: string; annotations?: Record<string, string> }[];
  annotations?: Record<string, string>;
  /** Default: MODEL_ARTIFACT_TYPE. */
  artifactType?: string;
}

/**
 * A ModelPack-style OCI image manifest. Keys come in a fixed order and annotations
 * sorted by name, so the same input always serializes to the same bytes (and digest).
 */
export function buildManifest(input: ManifestInput): OciManifest {
  const descriptor = (d: { digest: string; size: number; mediaType: string; annotations?: Record<string, string> }, what: string) => {
    checkDigest(d.digest, what);
    if (!Number.isSafeInteger(d.size) || d.size < 0) throw new UserError(`${what}: size ${d.size} is not a whole number of bytes`);
    const out: OciDescriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
    const annotations = sortedAnnotations(d.annotations);
    if (annotations) out.annotations = annotations;
    return out;
  };
  const manifest: OciManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: input.artifactType ?? MODEL_ARTIFACT_TYPE,
    config: descriptor({ ...input.config, mediaType: input.config.mediaType ?? MODEL_CONFIG_MEDIA_TYPE }, 'manifest config'),
    layers: input.layers.map((layer, i) => descriptor(layer, `layer ${layer.annotations?.[TITLE_ANNOTATION] ?? i}`)),
  };
  const annotations = sortedAnnotations(input.annotations);
  if (annotations) manifest.annotations = annotations;
  return manifest;
}

function sortedAnnotations(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations || Object.keys(annotations).length === 0) return undefined;
  return Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The sha256 digest of bytes, as `sha256:<hex>`. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/**
 * Credentials: a username and password, a registry's own token (sent as the password), or
 * the workflow's GITHUB_TOKEN, which only ghcr.io ever receives.
 */
export type OciAuth = { username: string; password: string } | { token: string } | { workflowToken: string };

/** The one registry the workflow token (GITHUB_TOKEN) is for, and the only origin it is sent to. */
export const GITHUB_REGISTRY = 'ghcr.io';
const GITHUB_REGISTRY_ORIGIN = `https://${GITHUB_REGISTRY}`;

export interface OciClientOptions {
  /** host or host:port, without a scheme (ghcr.io, 127.0.0.1:5000). */
  registry: string;
  /** The repository inside the registry (owner/model). */
  repository: string;
  /** Speak plain http instead of https (a local registry). Default false. */
  insecure?: boolean;
  /**
   * Credentials; a token is sent as the password (the user name does not matter to ghcr.io).
   * A workflow token is ignored unless the registry is ghcr.io. Default: anonymous.
   */
  auth?: OciAuth | null;
  userAgent?: string;
}

export interface PushedBlob {
  digest: string;
  size: number;
  /** True when the registry already held the blob (HEAD answered), so nothing was uploaded. */
  existed: boolean;
}

export interface FetchedManifest {
  manifest: Record<string, unknown>;
  /** The digest of the exact bytes received (verified against the registry's Docker-Content-Digest). */
  digest: string;
  mediaType: string;
  /** The exact bytes received. */
  bytes: Buffer;
}

/** A blob read from a file: the file is hashed first (unless `digest` is given), then streamed. */
export interface FileBlob {
  path: string;
  /** Checked against the file's size when given. */
  size?: number;
  /** sha256:<hex> of the file when already known. */
  digest?: string;
}

const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const REPOSITORY_PATTERN = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TOKEN_USERNAME = 'token';

function checkDigest(digest: string, what = 'digest'): void {
  if (!DIGEST_PATTERN.test(digest))
    throw new UserError(`${what}: "${digest}" is not a digest`, 'A digest looks like sha256:<64 lower-case hex digits>.');
}

function checkReference(reference: string): void {
  if (!DIGEST_PATTERN.test(reference) && !TAG_PATTERN.test(reference)) {
    throw new UserError(
      `"${reference}" is neither a tag nor a digest`,
      'A tag is up to 128 letters, digits, ".", "_" and "-" (not starting with "." or "-"); a digest is sha256:<hex>.',
    );
  }
}

function hashFor(digest: string): Hash {
  return createHash(digest.startsWith('sha512:') ? 'sha512' : 'sha256');
}

function algorithmOf(digest: string): string {
  return digest.slice(0, digest.indexOf(':'));
}

interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** Parses the first challenge of a WWW-Authenticate header (registries send one). */
export function parseChallenge(header: string | null): Challenge | null {
  const match = header?.match(/^\s*(\w+)\s*(.*)$/s);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return null;
  const params: Record<string, string> = {};
  for (const param of match[2]!.matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
  }
  return { scheme, params };
}

/** Waits before trying a read again after a server error. */
const RETRY_DELAYS_MS = [100, 300, 900];

interface RequestSpec {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** What the request does, for error messages ("push blob sha256:..."). */
  action: string;
  headers?: Record<string, string>;
  /** Makes the body; called again when the request is repeated after an auth challenge. */
  body?: () => Buffer | Readable;
  /** Whether the request needs push access (for picking a cached token). */
  push?: boolean;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** A registry's error answer: a UserError that keeps the HTTP status and the error code (DIGEST_INVALID, ...; "" when none). */
export class RegistryError extends UserError {
  constructor(
    message: string,
    hint: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message, hint);
  }
}

/** A client for one repository of an OCI registry. */
export class OciClient {
  readonly registry: string;
  readonly repository: string;
  private readonly base: string;
  private readonly origin: string;
  private readonly insecure: boolean;
  private readonly auth: OciAuth | null;
  private readonly userAgent: string;
  /** The scheme the registry asked for, once it has (credentials are not sent before). */
  private scheme: 'basic' | 'bearer' | null = null;
  private readonly tokens = new Map<string, CachedToken>();
  /** The scope the registry named for pull and for push requests. */
  private readonly scopes = new Map<'pull' | 'push', string>();

  constructor(options: OciClientOptions) {
    if (options.registry.includes('@')) {
      // Never echo it: the part before @ is a username and password.
      throw new UserError(
        'the registry address carries credentials (user:password@host)',
        'Give the registry as host or host:port, and the credentials as MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD (or MLOPS_REGISTRY_TOKEN).',
      );
    }
    if (/^[a-z]+:\/\//i.test(options.registry) || options.registry.includes('/') || options.registry.trim() === '') {
      throw new UserError(
        `registry "${options.registry}" is not a host name`,
        'Give the registry as host or host:port (ghcr.io, localhost:5000), without a scheme or path; use `insecure` for plain http.',
      );
    }
    if (!REPOSITORY_PATTERN.test(options.repository)) {
      throw new UserError(
        `repository "${options.repository}" is not a valid OCI repository name`,
        'Use lower-case letters, digits and separators (".", "_", "-"), path parts joined by "/" (owner/model).',
      );
    }
    this.registry = options.registry;
    this.repository = options.repository;
    this.insecure = options.insecure ?? false;
    this.origin = `${this.insecure ? 'http' : 'https'}://${options.registry}`;
    this.base = `${this.origin}/v2/${options.repository}`;
    const auth = options.auth ?? null;
    // The workflow token is GitHub's: no other registry ever sees it.
    this.auth = auth && 'workflowToken' in auth && options.registry !== GITHUB_REGISTRY ? null : auth;
    this.userAgent = options.userAgent ?? 'mlops-actions';
  }

  /** registry/repository, as in an image reference. */
  get name(): string {
    return `${this.registry}/${this.repository}`;
  }

  // ---------------------------------------------------------------- blobs

  /** The size of the blob when the registry holds it (-1 when it does not say), else null. */
  async blobSize(digest: string): Promise<number | null> {
    checkDigest(digest);
    const res = await this.send({ method: 'HEAD', url: `${this.base}/blobs/${digest}`, action: `check blob ${digest}` });
    if (res.status === 404) return null;
    if (res.status !== 200) return this.fail(res, `check blob ${digest}`);
    return Number(res.headers.get('content-length') ?? -1);
  }

  /** Uploads a blob unless the registry already holds it. */
  async pushBlob(source: Buffer | FileBlob): Promise<PushedBlob> {
    let digest: string;
    let size: number;
    let body: () => Buffer | Readable;
    if (Buffer.isBuffer(source)) {
      digest = sha256Digest(source);
      size = source.length;
      body = () => source;
    } else {
      const path = source.path;
      try {
        size = (await stat(path)).size;
      } catch (error) {
        throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
      }
      if (source.size !== undefined && source.size !== size)
        throw new UserError(`${path} is ${size} bytes, not the ${source.size} expected`);
      if (source.digest !== undefined) checkDigest(source.digest);
      digest = source.digest ?? (await hashFile(path));
      body = () => createReadStream(path);
    }
    if ((await this.blobSize(digest)) !== null) return { digest, size, existed: true };

    const action = `push blob ${digest}`;
    const started = await this.send({
      method: 'POST',
      url: `${this.base}/blobs/uploads/`,
      action,
      push: true,
      headers: { 'content-length': '0' },
    });
    const location = started.headers.get('location');
    if (started.status !== 202 || !location) return this.fail(started, action);
    await started.body?.cancel();
    const upload = new URL(location, this.origin).href;
    const url = `${upload}${upload.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
    const res = await this.send({
      method: 'PUT',
      url,
      action,
      push: true,
      body,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    });
    if (res.status !== 201) return this.fail(res, action);
    await res.body?.cancel();
    const stored = res.headers.get('docker-content-digest');
    if (stored && stored !== digest) {
      throw new UserError(`the registry stored blob ${digest} as ${stored}`, 'The upload was changed on the way; push again.');
    }
    return { digest, size, existed: false };
  }

  /** The blob's bytes, verified against its digest. */
  async getBlob(digest: string): Promise<Buffer> {
    checkDigest(digest);
    const action = `get blob ${digest}`;
    const res = await this.send({ method: 'GET', url: `${this.base}/blobs/${digest}`, action });
    if (res.status !== 200) return this.fail(res, action);
    let data: Buffer;
    try {
      data = Buffer.from(await res.arrayBuffer());
    } catch (error) {
      throw new UserError(`${action} from ${this.name}: the download broke off: ${(error as Error).message}`, 'Try again.');
    }
    const actual = `${algorithmOf(digest)}:${hashFor(digest).update(data).digest('hex')}`;
    if (actual !== digest) throw this.corrupt(digest, actual, data.length);
    return data;
  }

  /**
   * Streams the blob into `path`, verifying its digest on the way: it is written to a
   * temporary file beside `path` and renamed only once verified, so `path` never holds
   * unverified bytes. Returns the size.
   */
  async pullBlobToFile(digest: string, path: string): Promise<{ digest: string; size: number }> {
    return (await this.pullBlob(digest, path, false))!;
  }

  /** As pullBlobToFile, but null (and no file) when the registry does not hold the blob. */
  async tryPullBlobToFile(digest: string, path: string): Promise<{ digest: string; size: number } | null> {
    return this.pullBlob(digest, path, true);
  }

  private async pullBlob(digest: string, path: string, missingIsNull: boolean): Promise<{ digest: string; size: number } | null> {
    checkDigest(digest);
    const action = `get blob ${digest}`;
    const res = await this.send({ method: 'GET', url: `${this.base}/blobs/${digest}`, action });
    if (res.status === 404 && missingIsNull) {
      const { code } = await readError(res);
      if (code === 'BLOB_UNKNOWN' || code === '') return null;
      return this.fail(res, action, { code, message: '' });
    }
    if (res.status !== 200 || !res.body) return this.fail(res, action);
    await mkdir(dirname(path), { recursive: true });
    const partial = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
    const hash = hashFor(digest);
    let size = 0;
    const hasher = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      try {
        await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), hasher, createWriteStream(partial, { flags: 'wx' }));
      } catch (error) {
        throw new UserError(`${action} from ${this.name} into ${path} failed: ${(error as Error).message}`, 'Try again.');
      }
      const actual = `${algorithmOf(digest)}:${hash.digest('hex')}`;
      if (actual !== digest) throw this.corrupt(digest, actual, size);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { digest, size };
  }

  // ------------------------------------------------------------ manifests

  /**
   * Stores a manifest under a tag (or under its digest) and returns the digest of the
   * exact bytes sent. An object is sent as JSON.stringify(manifest); pass a Buffer to
   * choose the bytes. Putting a tag again moves it.
   */
  async putManifest(reference: string, manifest: object | Buffer, mediaType: string = OCI_MANIFEST_MEDIA_TYPE): Promise<string> {
    checkReference(reference);
    const bytes = Buffer.isBuffer(manifest) ? manifest : Buffer.from(JSON.stringify(manifest));
    const digest = sha256Digest(bytes);
    if (DIGEST_PATTERN.test(reference) && reference !== digest) {
      throw new UserError(`the manifest's digest is ${digest}, not ${reference}`, 'Put a manifest under its own digest, or under a tag.');
    }
    const action = `put manifest ${reference}`;
    const res = await this.send({
      method: 'PUT',
      url: `${this.base}/manifests/${reference}`,
      action,
      push: true,
      body: () => bytes,
      headers: { 'content-type': mediaType },
    });
    if (res.status !== 201 && res.status !== 200) return this.fail(res, action);
    await res.body?.cancel();
    const stored = res.headers.get('docker-content-digest');
    if (stored && stored !== digest && algorithmOf(stored) === 'sha256') {
      throw new UserError(
        `the registry stored manifest ${reference} as ${stored}, not ${digest}`,
        'The registry changed the manifest; push again.',
      );
    }
    return digest;
  }

  /** A manifest by tag or digest, its bytes verified against the digest asked for and the one the registry reports. */
  async getManifest(reference: string): Promise<FetchedManifest> {
    checkReference(reference);
    const action = `get manifest ${reference}`;
    const res = await this.send({
      method: 'GET',
      url: `${this.base}/manifests/${reference}`,
      action,
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
    });
    if (res.status !== 200) return this.fail(res, action);
    const bytes = Buffer.from(await res.arrayBuffer());
    const expected = [DIGEST_PATTERN.test(reference) ? reference : null, res.headers.get('docker-content-digest')].filter(
      (d): d is string => d !== null && DIGEST_PATTERN.test(d),
    );
    for (const want of expected) {
      const actual = `${algorithmOf(want)}:${hashFor(want).update(bytes).digest('hex')}`;
      if (actual !== want) throw this.corrupt(want, actual, bytes.length, 'manifest');
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new UserError(`manifest ${reference} of ${this.name} is not JSON`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new UserError(`manifest ${reference} of ${this.name} is not a JSON object`);
    }
    const record = manifest as Record<string, unknown>;
    const contentType = res.headers.get('content-type')?.split(';')[0]?.trim();
    const mediaType = typeof record.mediaType === 'string' ? record.mediaType : contentType || OCI_MANIFEST_MEDIA_TYPE;
    return { manifest: record, digest: sha256Digest(bytes), mediaType, bytes };
  }

  /** The digest a tag points at (or the digest itself when it is stored), null when absent. */
  async headManifest(reference: string): Promise<string | null> {
    checkReference(reference);
    const action = `check manifest ${reference}`;
    const res = await this.send({
      method: 'HEAD',
      url: `${this.base}/manifests/${reference}`,
      action,
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
    });
    if (res.status === 404) return null;
    if (res.status !== 200) return this.fail(res, action);
    const digest = res.headers.get('docker-content-digest');
    if (digest && DIGEST_PATTERN.test(digest)) return digest;
    return (await this.getManifest(reference)).digest;
  }

  /**
   * Every tag of the repository, sorted; [] when nothing was pushed yet. Pages of
   * `pageSize` are asked for with `n` and followed through the Link header (a registry
   * that ignores `n` answers with every tag at once).
   */
  async listTags(options: { pageSize?: number } = {}): Promise<string[]> {
    const tags = new Set<string>();
    const seen = new Set<string>();
    let url: string | null = `${this.base}/tags/list${options.pageSize ? `?n=${options.pageSize}` : ''}`;
    while (url && !seen.has(url)) {
      seen.add(url);
      const res: Response = await this.send({ method: 'GET', url, action: 'list tags' });
      if (res.status === 404 && tags.size === 0) {
        const { code } = await readError(res);
        if (code === 'NAME_UNKNOWN') return [];
        return this.fail(res, 'list tags', { code, message: 'repository not found' });
      }
      if (res.status !== 200) return this.fail(res, 'list tags');
      const page = (await res.json()) as { tags?: unknown };
      if (page.tags !== null && page.tags !== undefined && !Array.isArray(page.tags))
        throw new UserError(`${this.name}: the tag list is not a list`);
      for (const tag of page.tags ?? []) if (typeof tag === 'string') tags.add(tag);
      const next = res.headers.get('link')?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
      url = next ? new URL(next[1]!, url).href : null;
    }
    return [...tags].sort();
  }

  /**
   * Deletes a manifest by digest (the registry drops the tags that point at it). True
   * when deleted, false when it was not there. Registries may refuse (405 UNSUPPORTED).
   */
  async deleteManifest(digest: string): Promise<boolean> {
    checkDigest(digest, 'delete manifest');
    const action = `delete manifest ${digest}`;
    const res = await this.send({ method: 'DELETE', url: `${this.base}/manifests/${digest}`, action, push: true });
    if (res.status === 404) {
      await res.body?.cancel();
      return false;
    }
    if (res.status !== 202 && res.status !== 200) return this.fail(res, action);
    await res.body?.cancel();
    return true;
  }

  // ------------------------------------------------------------ transport

  /**
   * Sends a request. Reads (GET, HEAD) that meet a passing server error (5xx, 429)
   * are tried again, up to three more times with growing waits: registries have such
   * moments, for example while another client commits the same blob.
   */
  private async send(spec: RequestSpec): Promise<Response> {
    const retriable = spec.method === 'GET' || spec.method === 'HEAD';
    for (let attempt = 0; ; attempt++) {
      const res = await this.sendOnce(spec);
      if (!retriable || attempt >= RETRY_DELAYS_MS.length || !(res.status >= 500 || res.status === 429)) return res;
      await res.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]! * (1 + Math.random() / 2)));
    }
  }

  /** Sends a request once, answering one auth challenge (401) by retrying with credentials or a token. */
  private async sendOnce(spec: RequestSpec): Promise<Response> {
    const res = await this.fetchFollowing(spec);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (!challenge) return res;
    if (challenge.scheme === 'basic') {
      if (!this.auth || this.scheme === 'basic') return res;
      this.scheme = 'basic';
      await res.body?.cancel();
    } else {
      const kind = spec.push ? 'push' : 'pull';
      const scope = challenge.params.scope ?? `repository:${this.repository}:${spec.push ? 'pull,push' : 'pull'}`;
      const realm = challenge.params.realm;
      if (!realm) return res;
      await res.body?.cancel();
      this.tokens.set(scope, await this.fetchToken(realm, challenge.params.service, scope));
      this.scopes.set(kind, scope);
      this.scheme = 'bearer';
    }
    return this.fetchFollowing(spec);
  }

  /** One request; GET and HEAD follow redirects, sending credentials only to the registry itself. */
  private async fetchFollowing(spec: RequestSpec): Promise<Response> {
    let url = spec.url;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': this.userAgent, ...spec.headers };
      const authorization = new URL(url).origin === this.origin ? this.authorization(spec.push ? 'push' : 'pull') : null;
      if (authorization) headers.authorization = authorization;
      const init: RequestInit & { duplex?: 'half' } = { method: spec.method, headers, redirect: 'manual' };
      if (spec.body) {
        const body = spec.body();
        init.body = (Buffer.isBuffer(body) ? body : Readable.toWeb(body)) as RequestInit['body'];
        init.duplex = 'half';
      }
      let res: Response;
      try {
        res = await fetch(url, init);
      } catch (error) {
        throw this.unreachable(url, error);
      }
      const location = res.headers.get('location');
      const redirect = [301, 302, 303, 307, 308].includes(res.status) && location && (spec.method === 'GET' || spec.method === 'HEAD');
      if (!redirect || hop >= 5) return res;
      await res.body?.cancel();
      url = new URL(location, url).href;
    }
  }

  private authorization(kind: 'pull' | 'push'): string | null {
    if (this.scheme === 'basic' && this.auth) return `Basic ${this.basicCredentials()}`;
    if (this.scheme === 'bearer') {
      for (const k of kind === 'pull' ? (['pull', 'push'] as const) : (['push'] as const)) {
        const scope = this.scopes.get(k);
        const cached = scope === undefined ? undefined : this.tokens.get(scope);
        if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
      }
    }
    return null;
  }

  private basicCredentials(): string {
    const auth = this.auth!;
    const [username, password] =
      'token' in auth
        ? [TOKEN_USERNAME, auth.token]
        : 'workflowToken' in auth
          ? [TOKEN_USERNAME, auth.workflowToken]
          : [auth.username, auth.password];
    return Buffer.from(`${username}:${password}`).toString('base64');
  }

  /** Asks the token service named by a Bearer challenge for a token for `scope`. */
  private async fetchToken(realm: string, service: string | undefined, scope: string): Promise<CachedToken> {
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new UserError(`${this.registry} named "${realm}" as its token service, which is not a URL`);
    }
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'application/json' };
    // Credentials only to a token service on the registry's own origin (for the workflow token: ghcr.io's own).
    const trusted =
      this.auth !== null && url.origin === this.origin && (!('workflowToken' in this.auth) || url.origin === GITHUB_REGISTRY_ORIGIN);
    const withheld = this.auth !== null && !trusted;
    if (this.auth && trusted) {
      if (url.protocol !== 'https:' && !this.insecure) {
        throw new UserError(
          `${this.registry} asks for credentials to be sent to ${url.origin} without TLS`,
          'Refusing to send them; set insecure only for a registry you trust on a private network.',
        );
      }
      headers.authorization = `Basic ${this.basicCredentials()}`;
    }
    let res: Response;
    try {
      res = await fetch(url, { headers });
    } catch (error) {
      throw this.unreachable(url.href, error);
    }
    if (res.status !== 200) {
      const { code, message } = await readError(res);
      const detail = code ? `${res.status} ${code}${message ? ` (${message})` : ''}` : `${res.status} ${res.statusText}`;
      throw new UserError(
        `the token service of ${this.registry} (${url.origin}${url.pathname}) refused a token for ${scope}: ${detail}`,
        withheld
          ? `The credentials were not sent: ${this.registry} named a token service on another origin (${url.origin}) than its own (${this.origin}), and credentials go to the registry's own origin only.`
          : res.status === 401 || res.status === 403
            ? this.credentialsHint(res.status, scope.endsWith('push'))
            : 'Try again later.',
      );
    }
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token =
      typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new UserError(`the token service of ${this.registry} answered without a token`);
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { token, expiresAt: Date.now() + Math.max(lifetime - 10, lifetime / 2) * 1000 };
  }

  private unreachable(url: string, error: unknown): UserError {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return new UserError(
      `cannot reach registry ${this.registry} (${new URL(url).origin}): ${reason}`,
      this.insecure
        ? 'Check the registry address and that the registry is running.'
        : 'Check the registry address; a registry that speaks plain http (a local one) needs insecure: true.',
    );
  }

  private corrupt(digest: string, actual: string, size: number, what = 'blob'): UserError {
    return new UserError(
      `${what} ${digest} from ${this.name} does not match its digest: the ${size} bytes received hash to ${actual}`,
      "The registry's copy is corrupt or was tampered with; do not use it. Push the content again from a trusted copy.",
    );
  }

  /** Throws the registry's error as a RegistryError: what failed, the status and error code, and a hint. */
  private async fail(res: Response, action: string, known?: { code: string; message: string }): Promise<never> {
    const { code, message } = known ?? (await readError(res));
    const detail = code
      ? `${res.status} ${code}${message ? ` (${message})` : ''}`
      : `${res.status} ${res.statusText || 'unexpected answer'}`;
    throw new RegistryError(`${action} on ${this.name} failed: ${detail}`, this.hint(res.status, code, action), res.status, code);
  }

  private hint(status: number, code: string, action: string): string {
    const push = /^(push|put|delete)/.test(action);
    if (status === 401 || status === 403 || code === 'UNAUTHORIZED' || code === 'DENIED') return this.credentialsHint(status, push);
    switch (code) {
      case 'MANIFEST_UNKNOWN':
        return `No such tag or digest in ${this.name}; list its tags to see what exists.`;
      case 'NAME_UNKNOWN':
        return `The repository ${this.name} does not exist (nothing was pushed to it yet), or the credentials cannot see it.`;
      case 'BLOB_UNKNOWN':
        return `${this.name} does not hold this blob: it was never pushed, or was garbage-collected.`;
      case 'MANIFEST_BLOB_UNKNOWN':
        return 'Push the config and every layer blob before the manifest that references them.';
      case 'MANIFEST_INVALID':
        return 'The registry rejected the manifest: check its mediaType, config and layer descriptors.';
      case 'DIGEST_INVALID':
        return 'The content did not match its digest on the way; push again.';
      case 'UNSUPPORTED':
        return 'The registry does not support this operation (deleting is often switched off).';
      case 'TOOMANYREQUESTS':
        return 'The registry is rate-limiting requests; wait and try again.';
    }
    if (status === 405) return 'The registry does not allow this operation (deleting is often switched off).';
    if (status === 429) return 'The registry is rate-limiting requests; wait and try again.';
    if (status >= 500) return 'The registry had a problem; try again later.';
    return `The registry refused to ${action}.`;
  }

  private credentialsHint(status: number, push: boolean): string {
    const ghcr = this.registry === 'ghcr.io';
    if (!this.auth) {
      return ghcr
        ? `${this.registry} needs credentials: pass GITHUB_TOKEN (with \`permissions: packages: ${push ? 'write' : 'read'}\` in the job) as the token.`
        : `${this.registry} needs credentials: give a username and password, or a token.`;
    }
    if (ghcr) {
      return push
        ? 'The job needs `permissions: packages: write`; for a package that already exists, its settings must also give this repository write access (Manage Actions access).'
        : "The job needs `permissions: packages: read`, and the package's settings must give this repository access.";
    }
    if (status === 401) return `${this.registry} rejected the credentials: check the username and password (or token).`;
    return `The credentials are valid but may not ${push ? 'push to' : 'read'} ${this.name}.`;
  }
}

/** The first error of a registry's JSON error body (`{"errors":[{"code","message"}]}`), if any. */
async function readError(res: Response): Promise<{ code: string; message: string }> {
  const text = res.status === 204 ? '' : await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[]; error?: unknown; details?: unknown };
    const first = body.errors?.[0];
    if (first) return { code: String(first.code ?? ''), message: typeof first.message === 'string' ? first.message : '' };
    if (typeof body.error === 'string') return { code: '', message: body.error };
  } catch {
    // not JSON: fall through
  }
  return { code: '', message: text.trim().slice(0, 200) };
}

/** sha256:<hex> of a file, read as a stream. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return `sha256:${hash.digest('hex')}`;
}
