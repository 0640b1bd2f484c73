/**
 * The OCI store of the model registry: models kept in any OCI distribution registry
 * (ghcr.io, Docker Hub, Harbor, a CNCF distribution registry), one repository per model
 * (`<namespace>/<model>`). It keeps bytes; what references mean, how numbers are
 * claimed and how pulls are verified is the registry's (core/registry/registry.ts).
 *
 * Layout of a model's repository:
 *
 *   tag v1, v2, ...        a version, immutable: a ModelPack OCI image manifest (artifactType
 *                          MODEL_ARTIFACT_TYPE) whose config blob (MODEL_CONFIG_MEDIA_TYPE) is a ModelPack
 *                          model config ({ descriptor, config, modelfs }, valid against ModelPack's
 *                          config schema), with one raw layer per file (titled with its path, annotated
 *                          with org.cncf.model.filepath; the model card a doc layer), and our own record
 *                          { model, version, createdAt, files: [{ path, digest, size }], card, blessing }
 *                          as one more layer of our own media type (VERSION_RECORD_MEDIA_TYPE, untitled, so
 *                          tools that pull titled layers as files leave it out). Versions written before
 *                          kept the record as the config blob, and are read as they are. The version's
 *                          digest is the manifest's digest, and its uri oci://<registry>/<namespace>/<model>@<digest>.
 *   other tags             aliases (production, staging, ...): moving tags that point at the very manifest
 *                          bytes of a version, so an alias and its version share one digest. An unset alias
 *                          points at a small "unset" manifest (tags cannot be deleted portably: deleting a
 *                          manifest by digest would delete the version itself).
 *   tag alias-history      a small manifest whose config blob is the JSON list of alias events
 *                          [{ alias, version, previous, at }], oldest first (registries keep no tag history).
 *   tag version-ledger     the same kind of manifest holding [{ version, digest, at }]: each version's digest
 *                          when register created it, so a vN tag overwritten later is found out (tags can be
 *                          moved by anyone who may push; the ledger is not a signature: a writer who rewrites
 *                          both is not caught by it).
 *
 * Blobs are content-addressed: a file already in the repository (the same bytes registered before) is found
 * with a HEAD and not uploaded again.
 *
 * Concurrency. Registries have no conditional PUT, so createVersion claims a number optimistically: it uploads
 * the version's config, PUTs its manifest under vN right after a HEAD finds vN absent, waits a short settle
 * time and re-reads vN; when vN is not its own manifest (another writer won the race), it answers null and the registry tries n + 1. Every
 * manifest carries a random writer id, so two writers never produce the same bytes. A writer whose PUT lands
 * later than the settle time after a competitor's re-read could still overwrite that competitor's version:
 * the settle time (default 300 ms) is chosen to be far longer than a PUT takes. A manifest PUT the registry
 * refuses with 400 DIGEST_INVALID while writers race is tried again (putManifestRacing), a version's after the
 * HEAD again. Aliases are last-writer-wins,
 * as tags are in every OCI registry: the compare-and-swap checks where the tag points, then moves it, and the
 * alias history is read, changed and written back, so two alias moves at the same moment can lose one
 * history event (never the alias itself). `atomicAliases` is false for this store.
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../../core/errors.js';
import { stableJson } from '../../core/lineage.js';
import { ForeignVersionError } from '../../ports/model-store.js';
import type { BlobSource, LedgerEntry, ModelStore, StoredAliasEvent, StoredVersion, VersionRecord } from '../../ports/model-store.js';
import { parseLedger } from './folder-store.js';
import {
  MODEL_ARTIFACT_TYPE,
  FILEPATH_ANNOTATION,
  MODEL_CONFIG_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  OciClient,
  RegistryError,
  TITLE_ANNOTATION,
  buildManifest,
  layerMediaType,
  type OciAuth,
} from './oci-client.js';
import { ociSignatureStore, type SignatureStore } from '../../core/signing/attest.js';

/** The tag that holds the alias history. */
export const ALIAS_HISTORY_TAG = 'alias-history';
/** artifactType and config media type of the alias history manifest. */
export const ALIAS_HISTORY_ARTIFACT_TYPE = 'application/vnd.mlops-actions.alias-history.v1+json';
/** The tag that holds the version ledger. */
export const LEDGER_TAG = 'version-ledger';
/** artifactType and config media type of the version ledger manifest. */
export const LEDGER_ARTIFACT_TYPE = 'application/vnd.mlops-actions.version-ledger.v1+json';
/** artifactType of the manifest an unset alias points at. */
export const ALIAS_UNSET_ARTIFACT_TYPE = 'application/vnd.mlops-actions.alias-unset.v1+json';
/** The OCI empty descriptor's media type and content ({}). */
const EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
const EMPTY_BLOB = Buffer.from('{}');
/** A random id per version written, so concurrent writers never produce identical manifests. */
const WRITER_ANNOTATION = 'dev.mlops-actions.writer';

const CREATED_ANNOTATION = 'org.opencontainers.image.created';
const SOURCE_ANNOTATION = 'org.opencontainers.image.source';
const REVISION_ANNOTATION = 'org.opencontainers.image.revision';

const VERSION_TAG = /^v(\d+)$/;
/** Tries of a version's manifest PUT the registry refuses while racing writers link the same blobs (createVersion). */
const MANIFEST_ATTEMPTS = 4;

export interface OciStoreOptions {
  /** host or host:port, without a scheme (ghcr.io, localhost:5000). */
  registry: string;
  /** Repositories are `<namespace>/<model>` (for ghcr.io: the owner, e.g. acme). */
  namespace: string;
  /** Speak plain http (a local registry). Default false. */
  insecure?: boolean;
  /** Credentials, as for OciClient (a workflow token is used for ghcr.io only). Default: anonymous. */
  auth?: OciAuth | null;
  /** How long a writer waits after claiming a version tag before checking it still holds it. Default 300 ms. */
  settleMs?: number;
  /** Environment read for the source annotation (GITHUB_SERVER_URL, GITHUB_REPOSITORY). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export class OciStore implements ModelStore {
  readonly kind = 'oci' as const;
  readonly reservedAliases: Readonly<Record<string, string>> = {
    [ALIAS_HISTORY_TAG]: 'the OCI registry keeps the alias history under that tag',
    [LEDGER_TAG]: "the OCI registry keeps the versions' ledger under that tag",
  };
  readonly atomicAliases = false;
  /**
   * As referrers of the version's manifest, found through the distribution spec's tag schema
   * (a `sha256-<hex>` index tag, as cosign reads it): ghcr.io offers no referrers API.
   */
  readonly signatures: SignatureStore = ociSignatureStore((model) => this.client(model));
  readonly registry: string;
  readonly namespace: string;
  private readonly clients = new Map<string, OciClient>();

  constructor(private readonly options: OciStoreOptions) {
    this.registry = options.registry;
    this.namespace = options.namespace.replace(/^\/+|\/+$/g, '');
    if (!this.namespace) {
      throw new UserError(
        'the OCI registry needs a namespace',
        'Give the owner or path the model repositories live under (for example acme).',
      );
    }
    // Validates the registry and namespace now rather than at the first request.
    new OciClient({ registry: options.registry, repository: `${this.namespace}/model`, insecure: options.insecure });
  }

  get location(): string {
    return `oci://${this.registry}/${this.namespace}`;
  }

  where(model: string): string {
    return this.client(model).name;
  }

  async models(): Promise<null> {
    return null; // the catalog API is not offered by ghcr.io and most hosted registries
  }

  /** The repository of a model. */
  repository(model: string): string {
    return `${this.namespace}/${model}`;
  }

  async listVersions(model: string): Promise<number[]> {
    return versionNumbers(await this.client(model).listTags());
  }

  async readVersion(model: string, n: number): Promise<StoredVersion | null> {
    const client = this.client(model);
    if ((await client.headManifest(`v${n}`)) === null) return null;
    return this.readManifest(client, model, n);
  }

  async createVersion(record: VersionRecord): Promise<StoredVersion | null> {
    const client = this.client(record.model);
    const tag = `v${record.version}`;
    const annotations: Record<string, string> = {
      [CREATED_ANNOTATION]: record.createdAt,
      [WRITER_ANNOTATION]: randomBytes(8).toString('hex'),
    };
    const source = sourceUrl(this.options.env ?? process.env);
    if (source) annotations[SOURCE_ANNOTATION] = source;
    const revision = cardCommit(record.card);
    if (revision) annotations[REVISION_ANNOTATION] = revision;
    const config = {
      model: record.model,
      version: record.version,
      createdAt: record.createdAt,
      files: record.files,
      card: record.card,
      blessing: record.blessing,
    };
    const recordBlob = await client.pushBlob(Buffer.from(stableJson(config)));
    const configBlob = await client.pushBlob(Buffer.from(stableJson(modelPackConfig(record, { source, revision }))));
    const layers = [
      ...record.files.map((file) => ({
        digest: file.digest,
        size: file.size,
        mediaType: layerMediaType(file.path),
        annotations: { [TITLE_ANNOTATION]: file.path, [FILEPATH_ANNOTATION]: file.path },
      })),
      { digest: recordBlob.digest, size: recordBlob.size, mediaType: VERSION_RECORD_MEDIA_TYPE },
    ];
    const manifest = buildManifest({ config: configBlob, layers, annotations });
    // Everything is uploaded before the tag is checked, so that the check and the PUT are back to back: the
    // shorter that window, the less likely a competitor's PUT of the same tag lands unseen.
    const digest = await putManifestRacing(
      client,
      tag,
      Buffer.from(JSON.stringify(manifest)),
      OCI_MANIFEST_MEDIA_TYPE,
      async () => (await client.headManifest(tag)) === null,
    );
    if (digest === null) return null;
    // Give a competitor's PUT of the same tag that was already under way the time to land, then check.
    const settleMs = this.options.settleMs ?? 300;
    await sleep(settleMs * (1 + Math.random() * 0.5));
    if ((await client.headManifest(tag)) !== digest) return null;
    return { record: config, digest, uri: this.uri(record.model, digest) };
  }

  async putBlob(model: string, source: BlobSource): Promise<void> {
    await this.client(model).pushBlob({ path: source.absolute, digest: source.digest, size: source.size });
  }

  async getBlob(model: string, digest: string, target: string): Promise<{ digest: string; size: number; source: string } | null> {
    const client = this.client(model);
    const pulled = await client.tryPullBlobToFile(digest, target);
    return pulled && { ...pulled, source: `${client.name}@${digest}` };
  }

  async readAliases(model: string): Promise<Record<string, number>> {
    const client = this.client(model);
    const tags = await client.listTags();
    const byDigest = await versionDigests(client, tags);
    // An alias still on the manifest a version was registered with, after its vN tag was overwritten, names that
    // version (which the registry then refuses as rewritten) rather than vanishing.
    if (tags.includes(LEDGER_TAG))
      for (const e of await this.readLedger(model)) if (!byDigest.has(e.digest)) byDigest.set(e.digest, e.version);
    const result: Record<string, number> = {};
    for (const tag of tags) {
      // Versions, our own lists, and the referrers tags where signatures are indexed (sha256-<hex>) are not aliases.
      if (VERSION_TAG.test(tag) || tag === ALIAS_HISTORY_TAG || tag === LEDGER_TAG || REFERRERS_TAG.test(tag)) continue;
      const digest = await client.headManifest(tag);
      const version = digest === null ? undefined : byDigest.get(digest);
      if (version !== undefined) result[tag] = version;
    }
    return result;
  }

  async readHistory(model: string): Promise<StoredAliasEvent[]> {
    const parsed = await readListTag(this.client(model), ALIAS_HISTORY_TAG, 'alias history');
    const events: StoredAliasEvent[] = [];
    for (const raw of parsed as Partial<StoredAliasEvent>[]) {
      if (typeof raw?.alias !== 'string' || typeof raw.at !== 'string') continue;
      events.push({
        alias: raw.alias,
        version: typeof raw.version === 'number' ? raw.version : null,
        previous: typeof raw.previous === 'number' ? raw.previous : null,
        at: raw.at,
      });
    }
    return events;
  }

  async readLedger(model: string): Promise<LedgerEntry[]> {
    return parseLedger(await readListTag(this.client(model), LEDGER_TAG, 'version ledger'));
  }

  /**
   * Read-modify-write of the ledger tag, then read back: an entry lost to another register writing
   * the ledger at the same moment is appended again (up to 5 tries, with jittered waits).
   */
  async appendLedger(model: string, entry: LedgerEntry): Promise<void> {
    const client = this.client(model);
    for (let attempt = 0; attempt < 5; attempt++) {
      const entries = await this.readLedger(model);
      if (entries.some((e) => e.version === entry.version)) return;
      await writeListTag(client, LEDGER_TAG, LEDGER_ARTIFACT_TYPE, [...entries, entry], entry.at);
      await sleep((this.options.settleMs ?? 300) * (0.5 + Math.random()));
      if ((await this.readLedger(model)).some((e) => e.version === entry.version && e.digest === entry.digest)) return;
    }
    throw new UserError(
      `${client.name}: version ${entry.version} was registered, but its entry could not be written to the ledger (${LEDGER_TAG}) in 5 tries`,
      'Many registers of this model ran at once. The version is usable; it is not checked against the ledger until it has an entry.',
    );
  }

  /** Checks where the tag points, moves it (to the version's manifest bytes, or to the unset manifest), then appends to the history. */
  async compareAndSwapAlias(
    model: string,
    change: StoredAliasEvent,
  ): Promise<{ swapped: true } | { swapped: false; current: number | null }> {
    const client = this.client(model);
    const current = await aliasVersion(client, change.alias);
    if (current !== change.previous) return { swapped: false, current };
    if (change.version !== null) {
      const fetched = await client.getManifest(`v${change.version}`);
      await putManifestRacing(client, change.alias, fetched.bytes, fetched.mediaType);
    } else {
      const empty = await client.pushBlob(EMPTY_BLOB);
      const unset = buildManifest({
        artifactType: ALIAS_UNSET_ARTIFACT_TYPE,
        config: { digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE },
        layers: [{ digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE }],
      });
      await putManifestRacing(client, change.alias, Buffer.from(JSON.stringify(unset)), OCI_MANIFEST_MEDIA_TYPE);
    }
    await this.appendHistory(client, model, change);
    return { swapped: true };
  }

  // ---- internals ----

  private client(model: string): OciClient {
    let client = this.clients.get(model);
    if (!client) {
      client = new OciClient({
        registry: this.options.registry,
        repository: this.repository(model),
        insecure: this.options.insecure,
        auth: this.options.auth ?? null,
      });
      this.clients.set(model, client);
    }
    return client;
  }

  private uri(model: string, digest: string): string {
    return `oci://${this.registry}/${this.repository(model)}@${digest}`;
  }

  /** Reads the manifest tagged v`n` and its config, checked to describe `model` v`n`. */
  private async readManifest(client: OciClient, model: string, n: number): Promise<StoredVersion> {
    const reference = `v${n}`;
    const fetched = await client.getManifest(reference);
    const manifest = fetched.manifest as {
      artifactType?: unknown;
      config?: { mediaType?: unknown; digest?: unknown };
      layers?: Array<{ mediaType?: unknown; digest?: unknown }>;
    };
    const bad = (why: string) =>
      new ForeignVersionError(
        `${client.name}@${reference} is not a model version registered by this tool: ${why}`,
        'Versions are written only by register and never changed; re-tag or delete what was pushed by hand, or register the model again.',
      );
    if (manifest.artifactType !== MODEL_ARTIFACT_TYPE || manifest.config?.mediaType !== MODEL_CONFIG_MEDIA_TYPE) {
      throw bad(`its artifactType is ${String(manifest.artifactType)}`);
    }
    if (typeof manifest.config.digest !== 'string') throw bad('its config has no digest');
    // Our record: a layer of our own media type beside a ModelPack config, or (versions written before) the config itself.
    const recordLayer = (Array.isArray(manifest.layers) ? manifest.layers : []).find((l) => l?.mediaType === VERSION_RECORD_MEDIA_TYPE);
    const recordDigest = recordLayer ? recordLayer.digest : manifest.config.digest;
    if (typeof recordDigest !== 'string') throw bad('its record layer has no digest');
    let config: Partial<VersionRecord>;
    try {
      config = JSON.parse((await client.getBlob(recordDigest)).toString('utf8')) as Partial<VersionRecord>;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw bad(recordLayer ? 'its record is not JSON' : 'its config is not JSON');
    }
    if (
      config === null ||
      typeof config !== 'object' ||
      config.model !== model ||
      config.version !== n ||
      typeof config.createdAt !== 'string' ||
      !Array.isArray(config.files)
    ) {
      throw bad(`its config does not describe ${model} v${n}`);
    }
    const record: VersionRecord = {
      model,
      version: n,
      createdAt: config.createdAt,
      files: config.files,
      card: config.card ?? null,
      blessing: config.blessing ?? null,
    };
    return { record, digest: fetched.digest, uri: this.uri(model, fetched.digest) };
  }

  /** Read-modify-write of the alias-history tag (concurrent alias moves can lose an event: see the top). */
  private async appendHistory(client: OciClient, model: string, event: StoredAliasEvent): Promise<void> {
    await writeListTag(client, ALIAS_HISTORY_TAG, ALIAS_HISTORY_ARTIFACT_TYPE, [...(await this.readHistory(model)), event], event.at);
  }
}

// ---- helpers ----

/** The JSON list in the config blob of the manifest at `tag` (the alias history, the ledger); [] when the tag is absent. */
async function readListTag(client: OciClient, tag: string, what: string): Promise<unknown[]> {
  if ((await client.headManifest(tag)) === null) return [];
  const fetched = await client.getManifest(tag);
  const config = (fetched.manifest as { config?: { digest?: unknown } }).config;
  if (typeof config?.digest !== 'string') {
    throw new UserError(
      `${client.name}:${tag} is not a ${what}`,
      `The tag ${tag} is kept by this tool; delete it or point it back at the ${what} manifest.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse((await client.getBlob(config.digest)).toString('utf8'));
  } catch (error) {
    if (error instanceof UserError) throw error;
    parsed = null;
  }
  if (!Array.isArray(parsed)) {
    throw new UserError(
      `the ${what} of ${client.name} is not a JSON list`,
      `The tag ${tag} is kept by this tool; delete it to start a new ${what}.`,
    );
  }
  return parsed;
}

/** Writes `items` as the JSON list of the manifest at `tag`. */
async function writeListTag(client: OciClient, tag: string, artifactType: string, items: unknown[], at: string): Promise<void> {
  const config = await client.pushBlob(Buffer.from(JSON.stringify(items)));
  const empty = await client.pushBlob(EMPTY_BLOB);
  const manifest = buildManifest({
    artifactType,
    config: { ...config, mediaType: artifactType },
    layers: [{ digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE }],
    annotations: { [CREATED_ANNOTATION]: at },
  });
  await putManifestRacing(client, tag, Buffer.from(JSON.stringify(manifest)), OCI_MANIFEST_MEDIA_TYPE);
}

/**
 * PUTs a manifest at `tag`, as another writer may be doing with the same blobs. The
 * distribution registry checks a manifest's blobs by reading their links, and while another
 * writer links the same blob (writers of one version share its config and file blobs, every
 * list tag the empty blob) it can read a link half written and answer 400 DIGEST_INVALID; the
 * same PUT succeeds a moment later. So that answer is tried again, up to MANIFEST_ATTEMPTS
 * times, each time after `mayPut` (createVersion checks the tag is still free, so a retry never
 * overwrites a competitor that won meanwhile). The digest put, or null when `mayPut` says no.
 */
async function putManifestRacing(
  client: OciClient,
  tag: string,
  bytes: Buffer,
  mediaType: string,
  mayPut: () => Promise<boolean> = async () => true,
): Promise<string | null> {
  for (let attempt = 1; ; attempt++) {
    if (!(await mayPut())) return null;
    try {
      return await client.putManifest(tag, bytes, mediaType);
    } catch (error) {
      const racing = error instanceof RegistryError && error.status === 400 && error.code === 'DIGEST_INVALID';
      if (!racing || attempt >= MANIFEST_ATTEMPTS) throw error;
      await sleep(100 * attempt * (1 + Math.random()));
    }
  }
}

function versionNumbers(tags: string[]): number[] {
  const numbers: number[] = [];
  for (const tag of tags) {
    const match = VERSION_TAG.exec(tag);
    if (match && Number.isSafeInteger(Number(match[1])) && Number(match[1]) >= 1) numbers.push(Number(match[1]));
  }
  return numbers.sort((a, b) => a - b);
}

/** digest -> version number of every version tag among `tags`. */
async function versionDigests(client: OciClient, tags: string[]): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  const numbers = versionNumbers(tags);
  const digests = await Promise.all(numbers.map((n) => client.headManifest(`v${n}`)));
  numbers.forEach((n, i) => {
    const digest = digests[i];
    if (digest) map.set(digest, n);
  });
  return map;
}

/** The version an alias tag points at now, or null (absent, or unset). */
async function aliasVersion(client: OciClient, alias: string): Promise<number | null> {
  const digest = await client.headManifest(alias);
  if (digest === null) return null;
  return (await versionDigests(client, await client.listTags())).get(digest) ?? null;
}

/** The distribution spec's referrers tag of a digest (core/signing/oci.ts): where a version's signatures are indexed. */
const REFERRERS_TAG = /^sha256-[0-9a-f]{64}$/;

/** Our own record of a version (files, card, blessing), a layer of the version's manifest. */
export const VERSION_RECORD_MEDIA_TYPE = 'application/vnd.mlops-actions.version.v1+json';

/**
 * The ModelPack model config of a version (ModelPack's config schema: descriptor, config and
 * modelfs, nothing else): its name, version, creation time, source and revision, the format of
 * its graph, and the digests of its files' layers (raw layers: each diffId is the blob's digest).
 */
function modelPackConfig(
  record: Pick<VersionRecord, 'model' | 'version' | 'createdAt' | 'files' | 'card'>,
  origin: { source: string | null; revision: string | null },
): Record<string, unknown> {
  const descriptor: Record<string, unknown> = { name: record.model, version: `v${record.version}`, createdAt: record.createdAt };
  if (origin.source) descriptor.sourceURL = origin.source;
  if (origin.revision) descriptor.revision = origin.revision;
  const trainer =
    record.card && typeof record.card === 'object'
      ? (record.card as { trainer?: { algorithm?: unknown; model?: unknown } }).trainer
      : undefined;
  const architecture = trainer?.algorithm ?? trainer?.model;
  const config: Record<string, unknown> = {};
  if (record.files.some((f) => f.path.toLowerCase().endsWith('.onnx'))) config.format = 'onnx';
  if (typeof architecture === 'string' && architecture) config.architecture = architecture;
  return { descriptor, config, modelfs: { type: 'layers', diffIds: record.files.map((f) => f.digest) } };
}

function sourceUrl(env: NodeJS.ProcessEnv): string | null {
  if (!env.GITHUB_REPOSITORY) return null;
  return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`;
}

function cardCommit(card: unknown): string | null {
  const git = card && typeof card === 'object' ? (card as { git?: unknown }).git : undefined;
  if (git && typeof git === 'object' && !Array.isArray(git)) {
    const commit = (git as Record<string, unknown>).commit;
    if (typeof commit === 'string' && commit) return commit;
  }
  return null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
