/**
 * The OCI model registry: models kept in any OCI distribution registry (ghcr.io, Docker
 * Hub, Harbor, a CNCF distribution registry), one repository per model
 * (`<namespace>/<model>`).
 *
 * Layout of a model's repository:
 *
 *   tag v1, v2, ...        a version, immutable: a ModelPack-style OCI image manifest (artifactType
 *                          MODEL_ARTIFACT_TYPE) whose config blob (MODEL_CONFIG_MEDIA_TYPE) is the JSON
 *                          { model, version, createdAt, files: [{ path, digest, size }], card, blessing }
 *                          and with one raw layer per file, titled with its path. The version's digest is
 *                          the manifest's digest, and its uri oci://<registry>/<namespace>/<model>@<digest>.
 *   other tags             aliases (production, staging, ...): moving tags that point at the very manifest
 *                          bytes of a version, so an alias and its version share one digest. An unset alias
 *                          points at a small "unset" manifest (tags cannot be deleted portably: deleting a
 *                          manifest by digest would delete the version itself).
 *   tag alias-history      a small manifest whose config blob is the JSON list of alias events
 *                          [{ alias, version, previous, at }], oldest first (registries keep no tag history).
 *
 * Blobs are content-addressed: a file already in the repository (the same bytes registered before) is found
 * with a HEAD and not uploaded again.
 *
 * Concurrency. Registries have no conditional PUT, so a version number is claimed optimistically: the
 * writer lists the tags, takes n = max(vN) + 1, PUTs its manifest under vN only when a HEAD finds vN absent,
 * waits a short settle time and re-reads vN; when vN is not its own manifest (another writer won the race),
 * it tries n + 1, a bounded number of times. Every manifest carries a random writer id, so two writers never
 * produce the same bytes. A writer whose PUT lands later than the settle time after a competitor's re-read
 * could still overwrite that competitor's version: the settle time (default 300 ms) is chosen to be far longer
 * than a PUT takes. Aliases are last-writer-wins, as tags are in every OCI registry, and the alias history is
 * read, changed and written back, so two alias moves at the same moment can lose one history event (never
 * the alias itself).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  NAME_PATTERN,
  type AliasEvent,
  type ModelVersion,
  type PullOptions,
  type RegisteredFile,
  type Registry,
} from '../../ports/registry.js';
import { UserError } from '../errors.js';
import { hashFile, stableJson } from '../lineage.js';
import {
  MODEL_ARTIFACT_TYPE,
  MODEL_CONFIG_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  OciClient,
  TITLE_ANNOTATION,
  buildManifest,
  layerMediaType,
  type FetchedManifest,
  type OciAuth,
} from './oci-client.js';
import {
  VERSION_REF,
  checkAliasName,
  checkName,
  checkPullTarget,
  describeAliases,
  describeNumbers,
  isCode,
  modelFiles,
  sleep,
  selectFiles,
} from './shared.js';

/** The tag that holds the alias history. */
export const ALIAS_HISTORY_TAG = 'alias-history';
/** artifactType and config media type of the alias history manifest. */
export const ALIAS_HISTORY_ARTIFACT_TYPE = 'application/vnd.mlops-actions.alias-history.v1+json';
/** artifactType of the manifest an unset alias points at. */
export const ALIAS_UNSET_ARTIFACT_TYPE = 'application/vnd.mlops-actions.alias-unset.v1+json';
/** The OCI empty descriptor's media type and content ({}). */
const EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
const EMPTY_BLOB = Buffer.from('{}');
/** A random id per register call, so concurrent writers never produce identical manifests. */
const WRITER_ANNOTATION = 'dev.mlops-actions.writer';

const CREATED_ANNOTATION = 'org.opencontainers.image.created';
const SOURCE_ANNOTATION = 'org.opencontainers.image.source';
const REVISION_ANNOTATION = 'org.opencontainers.image.revision';

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const VERSION_TAG = /^v(\d+)$/;

export interface OciRegistryOptions {
  /** host or host:port, without a scheme (ghcr.io, localhost:5000). */
  registry: string;
  /** Repositories are `<namespace>/<model>` (for ghcr.io: the owner, e.g. acme). */
  namespace: string;
  /** Speak plain http (a local registry). Default false. */
  insecure?: boolean;
  /** Credentials, as for OciClient. Default: anonymous. */
  auth?: OciAuth | null;
  /** How long a writer waits after claiming a version tag before checking it still holds it. Default 300 ms. */
  settleMs?: number;
  /** How many version numbers a register tries before giving up. Default 20. */
  maxAttempts?: number;
  /** Environment read for the source annotation (GITHUB_SERVER_URL, GITHUB_REPOSITORY). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** The config blob of a version manifest. */
interface VersionConfig {
  model: string;
  version: number;
  createdAt: string;
  files: RegisteredFile[];
  card: Record<string, unknown> | null;
  blessing: Record<string, unknown> | null;
}

interface StoredAliasEvent extends AliasEvent {
  previous: number | null;
}

export class OciRegistry implements Registry {
  readonly kind = 'oci' as const;
  readonly registry: string;
  readonly namespace: string;
  private readonly clients = new Map<string, OciClient>();

  constructor(private readonly options: OciRegistryOptions) {
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

  async register(
    model: string,
    dir: string,
    metadata: { card: Record<string, unknown> | null; blessing: Record<string, unknown> | null },
  ): Promise<ModelVersion> {
    const client = this.client(model);
    const sources = await modelFiles(dir);
    const files: RegisteredFile[] = [];
    const layers = [];
    for (const source of sources) {
      const hashed = await hashFile(source.absolute);
      const digest = `sha256:${hashed.sha256}`;
      const pushed = await client.pushBlob({ path: source.absolute, digest, size: hashed.bytes });
      files.push({ path: source.path, digest, size: pushed.size });
      layers.push({
        digest,
        size: pushed.size,
        mediaType: layerMediaType(source.path),
        annotations: { [TITLE_ANNOTATION]: source.path },
      });
    }
    const createdAt = new Date().toISOString();
    const annotations: Record<string, string> = {
      [CREATED_ANNOTATION]: createdAt,
      [WRITER_ANNOTATION]: randomBytes(8).toString('hex'),
    };
    const source = sourceUrl(this.options.env ?? process.env);
    if (source) annotations[SOURCE_ANNOTATION] = source;
    const revision = cardCommit(metadata.card);
    if (revision) annotations[REVISION_ANNOTATION] = revision;

    const maxAttempts = this.options.maxAttempts ?? 20;
    const settleMs = this.options.settleMs ?? 300;
    let n = Math.max(0, ...versionNumbers(await client.listTags())) + 1;
    const tried: number[] = [];
    for (let attempt = 0; attempt < maxAttempts; attempt++, n++) {
      const tag = `v${n}`;
      if ((await client.headManifest(tag)) !== null) continue;
      const config: VersionConfig = { model, version: n, createdAt, files, card: metadata.card, blessing: metadata.blessing };
      const configBlob = await client.pushBlob(Buffer.from(stableJson(config)));
      const manifest = buildManifest({ config: configBlob, layers, annotations });
      const bytes = Buffer.from(JSON.stringify(manifest));
      const digest = await client.putManifest(tag, bytes, OCI_MANIFEST_MEDIA_TYPE);
      tried.push(n);
      // Give a competitor's PUT of the same tag that was already under way the time to land, then check.
      await sleep(settleMs * (1 + Math.random() * 0.5));
      if ((await client.headManifest(tag)) === digest) return this.toModelVersion(config, digest);
    }
    throw new UserError(
      `could not register ${model} in ${client.name}: other writers took every version number tried (${tried.map((t) => `v${t}`).join(', ') || 'none free'}) in ${maxAttempts} attempts`,
      'Many registers of this model are running at once; run the register again.',
    );
  }

  async list(model: string): Promise<ModelVersion[]> {
    const client = this.client(model);
    const numbers = versionNumbers(await client.listTags());
    const versions = await Promise.all(numbers.map(async (n) => (await this.readVersion(client, model, `v${n}`, n)).version));
    return versions.sort((a, b) => a.version - b.version);
  }

  async resolve(model: string, ref: string): Promise<ModelVersion> {
    return (await this.resolveFull(model, ref)).version;
  }

  async setAlias(model: string, alias: string, version: number): Promise<void> {
    const client = this.client(model);
    checkOciAliasName(alias);
    const tag = `v${version}`;
    if (!Number.isSafeInteger(version) || version < 1 || (await client.headManifest(tag)) === null) {
      throw await this.unknownRef(model, String(version), `version ${version}`);
    }
    const fetched = await client.getManifest(tag);
    const previous = await this.aliasVersion(client, alias);
    await client.putManifest(alias, fetched.bytes, fetched.mediaType);
    if (previous !== version) await this.appendHistory(client, { alias, version, previous, at: new Date().toISOString() });
  }

  async unsetAlias(model: string, alias: string): Promise<void> {
    const client = this.client(model);
    checkOciAliasName(alias);
    const previous = await this.aliasVersion(client, alias);
    if (previous === null) {
      const current = await this.aliases(model);
      throw new UserError(
        `model "${model}" has no alias "${alias}" to unset`,
        Object.keys(current).length ? `Its aliases: ${describeAliases(current)}.` : 'It has no aliases yet.',
      );
    }
    const empty = await client.pushBlob(EMPTY_BLOB);
    const unset = buildManifest({
      artifactType: ALIAS_UNSET_ARTIFACT_TYPE,
      config: { digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE },
      layers: [{ digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE }],
    });
    await client.putManifest(alias, unset);
    await this.appendHistory(client, { alias, version: null, previous, at: new Date().toISOString() });
  }

  async aliases(model: string): Promise<Record<string, number>> {
    const client = this.client(model);
    const tags = await client.listTags();
    const byDigest = await this.versionDigests(client, tags);
    const result: Record<string, number> = {};
    for (const tag of tags) {
      if (VERSION_TAG.test(tag) || tag === ALIAS_HISTORY_TAG) continue;
      const digest = await client.headManifest(tag);
      const version = digest === null ? undefined : byDigest.get(digest);
      if (version !== undefined) result[tag] = version;
    }
    return result;
  }

  async aliasHistory(model: string, alias: string): Promise<AliasEvent[]> {
    const client = this.client(model);
    checkName(alias, 'alias');
    return (await this.readHistory(client))
      .filter((e) => e.alias === alias)
      .map(({ alias: a, version, at }) => ({ alias: a, version, at }));
  }

  async pull(model: string, ref: string, dir: string, options: PullOptions = {}): Promise<ModelVersion> {
    const client = this.client(model);
    const { version } = await this.resolveFull(model, ref);
    await checkPullTarget(dir);
    const parent = dirname(dir);
    await mkdir(parent, { recursive: true });
    const staging = join(parent, `.${basename(dir)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(staging);
      for (const file of selectFiles(version, options)) {
        const target = join(staging, ...file.path.split('/'));
        let pulled: { digest: string; size: number };
        try {
          pulled = await client.pullBlobToFile(file.digest, target);
        } catch (error) {
          if (error instanceof UserError) {
            throw new UserError(`${file.path} of ${model} v${version.version}: ${error.message}`, error.hint);
          }
          throw error;
        }
        if (pulled.size !== file.size) {
          throw new UserError(
            `${file.path} of ${model} v${version.version} is ${pulled.size} bytes in ${client.name}, not the ${file.size} registered`,
            'The version record and its blob disagree. Do not deploy this version; register the model again.',
          );
        }
      }
      await checkPullTarget(dir);
      await rmdir(dir).catch((error: unknown) => {
        if (!isCode(error, 'ENOENT')) throw error;
      });
      await rename(staging, dir);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    return version;
  }

  // ---- internals ----

  /** The repository of a model. */
  repository(model: string): string {
    return `${this.namespace}/${model}`;
  }

  private client(model: string): OciClient {
    checkName(model, 'model');
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

  private toModelVersion(config: VersionConfig, digest: string): ModelVersion {
    return {
      model: config.model,
      version: config.version,
      digest,
      createdAt: config.createdAt,
      files: config.files.map(({ path, digest: d, size }) => ({ path, digest: d, size })),
      card: config.card,
      blessing: config.blessing,
      uri: `oci://${this.registry}/${this.repository(config.model)}@${digest}`,
    };
  }

  private async resolveFull(model: string, ref: string): Promise<{ version: ModelVersion; fetched: FetchedManifest }> {
    const client = this.client(model);
    const wanted = ref.trim();
    const number = VERSION_REF.exec(wanted);
    if (number) {
      const n = Number(number[1]);
      if (Number.isSafeInteger(n) && n >= 1 && (await client.headManifest(`v${n}`)) !== null) {
        return this.readVersion(client, model, `v${n}`, n);
      }
      throw await this.unknownRef(model, wanted, `version ${number[1]}`);
    }
    if (wanted.startsWith('sha256:')) {
      if (!DIGEST_PATTERN.test(wanted)) {
        throw new UserError(
          `"${wanted}" is not a version digest of model "${model}"`,
          'A digest is sha256: followed by 64 lower-case hex digits (the digest a register printed).',
        );
      }
      if ((await client.headManifest(wanted)) !== null) {
        const found = await this.readVersion(client, model, wanted, null).catch(() => null);
        // Only a manifest that its version tag still points at is a version (not the alias history, not a
        // manifest that lost a register race).
        if (found && (await client.headManifest(`v${found.version.version}`)) === wanted) return found;
      }
      throw await this.unknownRef(model, wanted, `a version with digest ${wanted}`);
    }
    if (NAME_PATTERN.test(wanted) && wanted !== ALIAS_HISTORY_TAG) {
      const digest = await client.headManifest(wanted);
      if (digest !== null) {
        const byDigest = await this.versionDigests(client, await client.listTags());
        const n = byDigest.get(digest);
        if (n !== undefined) return this.readVersion(client, model, `v${n}`, n);
      }
    }
    throw await this.unknownRef(model, wanted, `alias "${wanted}"`);
  }

  /** Reads a version manifest and its config; `expected` is the version number the reference implies. */
  private async readVersion(
    client: OciClient,
    model: string,
    reference: string,
    expected: number | null,
  ): Promise<{ version: ModelVersion; fetched: FetchedManifest }> {
    const fetched = await client.getManifest(reference);
    const manifest = fetched.manifest as { artifactType?: unknown; config?: { mediaType?: unknown; digest?: unknown } };
    const bad = (why: string) =>
      new UserError(
        `${client.name}@${reference} is not a model version registered by this tool: ${why}`,
        'Versions are written only by register and never changed; re-tag or delete what was pushed by hand, or register the model again.',
      );
    if (manifest.artifactType !== MODEL_ARTIFACT_TYPE || manifest.config?.mediaType !== MODEL_CONFIG_MEDIA_TYPE) {
      throw bad(`its artifactType is ${String(manifest.artifactType)}`);
    }
    if (typeof manifest.config.digest !== 'string') throw bad('its config has no digest');
    let config: Partial<VersionConfig>;
    try {
      config = JSON.parse((await client.getBlob(manifest.config.digest)).toString('utf8')) as Partial<VersionConfig>;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw bad('its config is not JSON');
    }
    if (
      config.model !== model ||
      typeof config.version !== 'number' ||
      (expected !== null && config.version !== expected) ||
      typeof config.createdAt !== 'string' ||
      !Array.isArray(config.files)
    ) {
      throw bad(`its config does not describe ${model}${expected !== null ? ` v${expected}` : ''}`);
    }
    for (const file of config.files) {
      const parts = typeof file?.path === 'string' ? file.path.split('/') : [];
      if (
        !parts.length ||
        parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\')) ||
        !DIGEST_PATTERN.test(String(file.digest))
      ) {
        throw bad(`it lists a file with a bad path or digest (${JSON.stringify(file)})`);
      }
    }
    const full: VersionConfig = {
      model,
      version: config.version,
      createdAt: config.createdAt,
      files: config.files,
      card: config.card ?? null,
      blessing: config.blessing ?? null,
    };
    return { version: this.toModelVersion(full, fetched.digest), fetched };
  }

  /** digest -> version number of every version tag among `tags`. */
  private async versionDigests(client: OciClient, tags: string[]): Promise<Map<string, number>> {
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
  private async aliasVersion(client: OciClient, alias: string): Promise<number | null> {
    const digest = await client.headManifest(alias);
    if (digest === null) return null;
    return (await this.versionDigests(client, await client.listTags())).get(digest) ?? null;
  }

  private async readHistory(client: OciClient): Promise<StoredAliasEvent[]> {
    if ((await client.headManifest(ALIAS_HISTORY_TAG)) === null) return [];
    const fetched = await client.getManifest(ALIAS_HISTORY_TAG);
    const config = (fetched.manifest as { config?: { digest?: unknown } }).config;
    if (typeof config?.digest !== 'string') {
      throw new UserError(
        `${client.name}:${ALIAS_HISTORY_TAG} is not an alias history`,
        `The tag ${ALIAS_HISTORY_TAG} is kept by this tool; delete it or point it back at the history manifest.`,
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
        `the alias history of ${client.name} is not a JSON list`,
        `The tag ${ALIAS_HISTORY_TAG} is kept by this tool; delete it to start a new history.`,
      );
    }
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

  /** Read-modify-write of the alias-history tag (concurrent alias moves can lose an event: see the top). */
  private async appendHistory(client: OciClient, event: StoredAliasEvent): Promise<void> {
    const events = [...(await this.readHistory(client)), event];
    const config = await client.pushBlob(Buffer.from(JSON.stringify(events)));
    const empty = await client.pushBlob(EMPTY_BLOB);
    const manifest = buildManifest({
      artifactType: ALIAS_HISTORY_ARTIFACT_TYPE,
      config: { ...config, mediaType: ALIAS_HISTORY_ARTIFACT_TYPE },
      layers: [{ digest: empty.digest, size: empty.size, mediaType: EMPTY_MEDIA_TYPE }],
      annotations: { [CREATED_ANNOTATION]: event.at },
    });
    await client.putManifest(ALIAS_HISTORY_TAG, manifest);
  }

  /** The error for a reference that names nothing: what the model has, and how to refer to it. */
  private async unknownRef(model: string, ref: string, what: string): Promise<UserError> {
    const client = this.client(model);
    const numbers = versionNumbers(await client.listTags());
    if (numbers.length === 0) {
      return new UserError(
        `model "${model}" has no versions in ${client.name}, so "${ref}" names nothing`,
        `Check the model name and namespace (${this.namespace}), or register "${model}" first.`,
      );
    }
    const aliases = await this.aliases(model);
    const aliasText = Object.keys(aliases).length ? `aliases ${describeAliases(aliases)}` : 'no aliases';
    return new UserError(
      `model "${model}" has no ${what} in ${client.name}`,
      `It has versions ${describeNumbers(numbers)} and ${aliasText}. Refer to a version by number (3 or v3), alias or digest (sha256:...).`,
    );
  }
}

// ---- helpers ----

function versionNumbers(tags: string[]): number[] {
  const numbers: number[] = [];
  for (const tag of tags) {
    const match = VERSION_TAG.exec(tag);
    if (match && Number.isSafeInteger(Number(match[1])) && Number(match[1]) >= 1) numbers.push(Number(match[1]));
  }
  return numbers.sort((a, b) => a - b);
}

function sourceUrl(env: NodeJS.ProcessEnv): string | null {
  if (!env.GITHUB_REPOSITORY) return null;
  return `${(env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`;
}

function cardCommit(card: Record<string, unknown> | null): string | null {
  const git = card?.git;
  if (git && typeof git === 'object' && !Array.isArray(git)) {
    const commit = (git as Record<string, unknown>).commit;
    if (typeof commit === 'string' && commit) return commit;
  }
  return null;
}

/** Alias names as everywhere, and not the tag that keeps the alias history. */
function checkOciAliasName(alias: string): void {
  checkAliasName(alias);
  if (alias === ALIAS_HISTORY_TAG) {
    throw new UserError(
      `"${alias}" cannot be an alias: the OCI registry keeps the alias history under that tag`,
      'Choose another name, for example production or staging.',
    );
  }
}
