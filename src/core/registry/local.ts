/**
 * The local model registry: a folder that needs no server (`.mlops/registry/` by default).
 *
 * Layout under the root:
 *
 *   blobs/sha256/<hex>                      every registered file's bytes, named by their sha256; stored once
 *                                           however many versions (or models) hold the same bytes
 *   models/<model>/versions/<n>.json        version n of the model, immutable: its files (path, digest, size),
 *                                           model card, blessing and creation time, written as canonical JSON
 *                                           (sorted keys, no spaces); the version's digest is the sha256 of
 *                                           exactly these bytes
 *   models/<model>/aliases.json             the current aliases: { "<alias>": <version>, ... }
 *   models/<model>/alias-history.jsonl      every alias change, one JSON object a line, appended only:
 *                                           { "alias", "version" (null when unset), "previous", "at" }
 *   models/<model>/aliases.lock             present only while a process updates the aliases
 *
 * Crash safety: every file is written to a temporary file (a name starting with `.tmp-`) in the folder it
 * belongs to, flushed to disk, and then renamed or hard-linked into place, so a reader sees the whole file or
 * no file. Blobs and version records are never rewritten. The alias history is the source of truth for the
 * aliases: a change is appended to it first, then aliases.json is rewritten from the whole history, so a crash
 * between the two is repaired by the next change (and a line torn by a crash is skipped).
 *
 * Concurrency (several processes, one root): a version number is claimed by hard-linking the fully written
 * record to `versions/<n>.json`, which fails with EEXIST when another process took n first; the claimer then
 * tries n + 1. No lock is needed, numbers are distinct and none is lost. Alias changes read, change and write,
 * so they are serialized by `aliases.lock`, created exclusively ('wx') with the holder's pid, host and a token;
 * waiters retry with jittered backoff. A lock older than 30 s whose process is gone (or, from another host,
 * just older than 30 s) is broken, under a second exclusive lock so that two breakers never remove a fresh lock.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, readFile, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
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

/** Where the local registry lives when nothing says otherwise (relative to the project). */
export const DEFAULT_LOCAL_REGISTRY = '.mlops/registry';

/** The format of a version record, kept in the record. */
const RECORD_SCHEMA = 1;
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const VERSION_FILE = /^(\d+)\.json$/;

export interface LockOptions {
  /** A lock older than this whose process is gone is broken. Default 30 s. */
  staleMs?: number;
  /** Give up waiting for the lock after this long, with a UserError. Default 60 s. */
  timeoutMs?: number;
}

export interface LocalRegistryOptions {
  lock?: LockOptions;
}

/** What versions/<n>.json holds. */
interface VersionRecord {
  schema: number;
  model: string;
  version: number;
  createdAt: string;
  files: RegisteredFile[];
  card: Record<string, unknown> | null;
  blessing: Record<string, unknown> | null;
}

/** One line of alias-history.jsonl. */
interface StoredAliasEvent extends AliasEvent {
  previous: number | null;
}

export class LocalRegistry implements Registry {
  readonly kind = 'local' as const;

  constructor(
    readonly root: string,
    private readonly options: LocalRegistryOptions = {},
  ) {}

  async register(
    model: string,
    dir: string,
    metadata: { card: Record<string, unknown> | null; blessing: Record<string, unknown> | null },
  ): Promise<ModelVersion> {
    checkName(model, 'model');
    const sources = await modelFiles(dir);
    const blobDir = join(this.root, 'blobs', 'sha256');
    await mkdir(blobDir, { recursive: true });
    const files: RegisteredFile[] = [];
    for (const source of sources) {
      const { digest, size } = await storeBlob(blobDir, source.absolute);
      files.push({ path: source.path, digest, size });
    }
    const versionsDir = this.versionsDir(model);
    await mkdir(versionsDir, { recursive: true });
    const createdAt = new Date().toISOString();
    const base = { schema: RECORD_SCHEMA, model, createdAt, files, card: metadata.card, blessing: metadata.blessing };
    let bytes = '';
    const version = await claimNextVersion(versionsDir, (n) => (bytes = stableJson({ ...base, version: n } satisfies VersionRecord)));
    return this.toModelVersion({ ...base, version }, bytes);
  }

  async list(model: string): Promise<ModelVersion[]> {
    checkName(model, 'model');
    const numbers = await versionNumbers(this.versionsDir(model));
    return Promise.all(numbers.map((n) => this.readVersion(model, n)));
  }

  async resolve(model: string, ref: string): Promise<ModelVersion> {
    checkName(model, 'model');
    const wanted = ref.trim();
    const number = VERSION_REF.exec(wanted);
    if (number) {
      const version = Number(number[1]);
      const found = Number.isSafeInteger(version) ? await this.tryReadVersion(model, version) : null;
      if (found) return found;
      throw await this.unknownRef(model, wanted, `version ${number[1]}`);
    }
    if (wanted.startsWith('sha256:')) {
      if (!DIGEST_PATTERN.test(wanted)) {
        throw new UserError(
          `"${wanted}" is not a version digest of model "${model}"`,
          'A digest is sha256: followed by 64 lower-case hex digits (the digest a register printed).',
        );
      }
      for (const n of await versionNumbers(this.versionsDir(model))) {
        const found = await this.tryReadVersion(model, n);
        if (found?.digest === wanted) return found;
      }
      throw await this.unknownRef(model, wanted, `a version with digest ${wanted}`);
    }
    if (NAME_PATTERN.test(wanted)) {
      const version = (await this.aliases(model))[wanted];
      if (version !== undefined) {
        const found = await this.tryReadVersion(model, version);
        if (found) return found;
        throw new UserError(
          `alias "${wanted}" of model "${model}" points at version ${version}, which is not in the registry at ${this.root}`,
          `Point it at an existing version (setAlias ${wanted} <version>) or restore ${this.versionFile(model, version)}.`,
        );
      }
    }
    throw await this.unknownRef(model, wanted, `alias "${wanted}"`);
  }

  async setAlias(model: string, alias: string, version: number): Promise<void> {
    checkName(model, 'model');
    checkAliasName(alias);
    if (!Number.isSafeInteger(version) || version < 1 || !(await this.tryReadVersion(model, version))) {
      throw await this.unknownRef(model, String(version), `version ${version}`);
    }
    await this.changeAlias(model, alias, version);
  }

  async unsetAlias(model: string, alias: string): Promise<void> {
    checkName(model, 'model');
    checkAliasName(alias);
    await this.changeAlias(model, alias, null);
  }

  async aliases(model: string): Promise<Record<string, number>> {
    checkName(model, 'model');
    const text = await readIfExists(join(this.modelDir(model), 'aliases.json'));
    if (text === null) return {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      const aliases: Record<string, number> = {};
      for (const [name, version] of Object.entries(parsed)) if (typeof version === 'number') aliases[name] = version;
      return aliases;
    } catch {
      throw new UserError(
        `${join(this.modelDir(model), 'aliases.json')} is not a JSON object of alias -> version`,
        'Restore it, or delete it: the next alias change rebuilds it from alias-history.jsonl.',
      );
    }
  }

  async aliasHistory(model: string, alias: string): Promise<AliasEvent[]> {
    checkName(model, 'model');
    checkName(alias, 'alias');
    return (await this.readHistory(model)).filter((e) => e.alias === alias).map(({ alias: a, version, at }) => ({ alias: a, version, at }));
  }

  async pull(model: string, ref: string, dir: string, options: PullOptions = {}): Promise<ModelVersion> {
    const version = await this.resolve(model, ref);
    await checkPullTarget(dir);
    const parent = dirname(dir);
    await mkdir(parent, { recursive: true });
    const staging = join(parent, `.${basename(dir)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(staging);
      for (const file of selectFiles(version, options)) {
        const target = join(staging, ...file.path.split('/'));
        await mkdir(dirname(target), { recursive: true });
        const blob = this.blobPath(file.digest);
        let copied: { digest: string; size: number };
        try {
          copied = await copyHashing(blob, target);
        } catch (error) {
          if (isCode(error, 'ENOENT')) {
            throw new UserError(
              `${file.path} of ${model} v${version.version} is missing from the registry: ${blob} does not exist`,
              'The registry folder was changed by hand or only partly copied; restore the blob from a backup, or register the model again.',
            );
          }
          throw error;
        }
        if (copied.digest !== file.digest || copied.size !== file.size) {
          throw new UserError(
            `${file.path} of ${model} v${version.version} is corrupt in the registry: expected ${file.digest} (${file.size} bytes), found ${copied.digest} (${copied.size} bytes) in ${blob}`,
            'The stored file was modified after it was registered. Do not deploy this version; restore the blob from a backup, or register the model again.',
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

  private modelDir(model: string): string {
    return join(this.root, 'models', model);
  }
  private versionsDir(model: string): string {
    return join(this.modelDir(model), 'versions');
  }
  private versionFile(model: string, version: number): string {
    return join(this.versionsDir(model), `${version}.json`);
  }
  private blobPath(digest: string): string {
    if (!DIGEST_PATTERN.test(digest))
      throw new UserError(`"${digest}" is not a sha256 digest`, 'The version record was edited by hand; restore it.');
    return join(this.root, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }

  private toModelVersion(record: VersionRecord, bytes: string): ModelVersion {
    return {
      model: record.model,
      version: record.version,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      createdAt: record.createdAt,
      files: record.files.map(({ path, digest, size }) => ({ path, digest, size })),
      card: record.card,
      blessing: record.blessing,
      uri: `local://${record.model}/${record.version}`,
    };
  }

  private async tryReadVersion(model: string, version: number): Promise<ModelVersion | null> {
    const path = this.versionFile(model, version);
    const bytes = await readIfExists(path);
    if (bytes === null) return null;
    return this.toModelVersion(parseRecord(bytes, path, model, version), bytes);
  }

  private async readVersion(model: string, version: number): Promise<ModelVersion> {
    const found = await this.tryReadVersion(model, version);
    if (!found) throw await this.unknownRef(model, `v${version}`, `version ${version}`);
    return found;
  }

  private async readHistory(model: string): Promise<StoredAliasEvent[]> {
    const text = await readIfExists(join(this.modelDir(model), 'alias-history.jsonl'));
    if (text === null) return [];
    const events: StoredAliasEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const event = JSON.parse(line) as Partial<StoredAliasEvent>;
        if (typeof event.alias !== 'string' || typeof event.at !== 'string') continue;
        events.push({
          alias: event.alias,
          version: typeof event.version === 'number' ? event.version : null,
          previous: typeof event.previous === 'number' ? event.previous : null,
          at: event.at,
        });
      } catch {
        // a line torn by a crash while it was appended: the change never took effect
      }
    }
    return events;
  }

  /** Appends the change to the history and rewrites aliases.json from it, holding the alias lock. */
  private async changeAlias(model: string, alias: string, version: number | null): Promise<void> {
    const dir = this.modelDir(model);
    await mkdir(dir, { recursive: true });
    await withFileLock(
      join(dir, 'aliases.lock'),
      async () => {
        const current = foldHistory(await this.readHistory(model));
        const previous = current[alias] ?? null;
        if (version === null && previous === null) {
          const names = Object.keys(current);
          throw new UserError(
            `model "${model}" has no alias "${alias}" to unset`,
            names.length ? `Its aliases: ${describeAliases(current)}.` : 'It has no aliases yet.',
          );
        }
        if (previous !== version) {
          const event: StoredAliasEvent = { alias, version, previous, at: new Date().toISOString() };
          await appendLine(join(dir, 'alias-history.jsonl'), JSON.stringify(event));
          if (version === null) delete current[alias];
          else current[alias] = version;
        }
        await writeFileAtomic(join(dir, 'aliases.json'), `${JSON.stringify(sortKeys(current), null, 2)}\n`);
      },
      this.options.lock,
    );
  }

  /** The error for a reference that names nothing: what the model has, and how to refer to it. */
  private async unknownRef(model: string, ref: string, what: string): Promise<UserError> {
    const numbers = await versionNumbers(this.versionsDir(model));
    if (numbers.length === 0) {
      const models = await listDir(join(this.root, 'models'));
      return new UserError(
        `model "${model}" has no versions in the registry at ${this.root}, so "${ref}" names nothing`,
        models.length
          ? `Models there: ${models.sort().join(', ')}. Check the model name, or register "${model}" first.`
          : `The registry is empty: register the model first.`,
      );
    }
    const aliases = await this.aliases(model);
    const aliasText = Object.keys(aliases).length ? `aliases ${describeAliases(aliases)}` : 'no aliases';
    return new UserError(
      `model "${model}" has no ${what} in the registry at ${this.root}`,
      `It has versions ${describeNumbers(numbers)} and ${aliasText}. Refer to a version by number (3 or v3), alias or digest (sha256:...).`,
    );
  }
}

// ---- the concurrency-critical helpers, exported so that they can be exercised on their own ----

/**
 * Claims the next free version number in `versionsDir` by hard-linking a fully written temporary file to
 * `<n>.json`: link fails with EEXIST when the number is taken, and then n + 1 is tried. `render(n)` gives the
 * file's content for number n. Returns the number claimed.
 */
export async function claimNextVersion(versionsDir: string, render: (n: number) => string): Promise<number> {
  const existing = await versionNumbers(versionsDir);
  let n = (existing.at(-1) ?? 0) + 1;
  const temp = tempName(versionsDir);
  try {
    for (;;) {
      await writeDurably(temp, render(n));
      try {
        await link(temp, join(versionsDir, `${n}.json`));
        await syncDir(versionsDir);
        return n;
      } catch (error) {
        if (isCode(error, 'EEXIST')) {
          n++;
          continue;
        }
        if (isCode(error, 'EPERM') || isCode(error, 'ENOTSUP') || isCode(error, 'ENOSYS')) {
          throw new UserError(
            `cannot create a version in ${versionsDir}: the file system does not support hard links (${(error as Error).message})`,
            'Keep the local registry on a local disk (ext4, APFS, NTFS, ...), or use an OCI registry.',
          );
        }
        throw error;
      }
    }
  } finally {
    await rm(temp, { force: true });
  }
}

/** Writes `data` to `path` through a temporary file in the same folder and a rename: all or nothing. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempName(dirname(path));
  try {
    await writeDurably(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Runs `fn` holding the lock file `lockPath` (created with 'wx'; it holds pid, host, time and a token).
 * Waiters retry with jittered exponential backoff; a stale lock (see LockOptions) is broken; after
 * `timeoutMs` a UserError names the holder and the file to delete.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = await acquireLock(lockPath, options);
  try {
    return await fn();
  } finally {
    await releaseLock(lockPath, token);
  }
}

const DEFAULT_STALE_MS = 30_000;
const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

interface LockHolder {
  raw: string;
  pid: number | null;
  host: string | null;
  at: string | null;
  ageMs: number;
}

async function acquireLock(lockPath: string, options: LockOptions): Promise<string> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const token = randomBytes(8).toString('hex');
  const content = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString(), token });
  const start = Date.now();
  let delay = 2;
  for (;;) {
    if (await createExclusive(lockPath, content)) return token;
    const holder = await readHolder(lockPath);
    if (holder && isStale(holder, staleMs)) {
      await breakLock(lockPath, holder.raw, staleMs);
      continue;
    }
    if (Date.now() - start > timeoutMs) {
      const who = holder?.pid
        ? `process ${holder.pid}${holder.host ? ` on ${holder.host}` : ''} since ${holder.at ?? 'an unknown time'}`
        : 'another process';
      throw new UserError(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${lockPath}, held by ${who}`,
        `If no other registry command is running, the lock was left behind: delete ${lockPath} and try again.`,
      );
    }
    await sleep(delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, 200);
  }
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  const raw = await readIfExists(lockPath);
  // Only our own lock: if it was broken and taken by another process meanwhile, that one is not ours to remove.
  if (raw !== null && parseLock(raw)?.token === token) await rm(lockPath, { force: true });
}

/** Creates `path` with `content` only if it does not exist; false when it does. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

function parseLock(raw: string): { pid?: unknown; host?: unknown; at?: unknown; token?: unknown } | null {
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

async function readHolder(lockPath: string): Promise<LockHolder | null> {
  try {
    const [raw, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const parsed = parseLock(raw);
    return {
      raw,
      pid: typeof parsed?.pid === 'number' ? parsed.pid : null,
      host: typeof parsed?.host === 'string' ? parsed.host : null,
      at: typeof parsed?.at === 'string' ? parsed.at : null,
      ageMs: Date.now() - info.mtimeMs,
    };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null; // released meanwhile
    throw error;
  }
}

function isStale(holder: LockHolder, staleMs: number): boolean {
  if (holder.ageMs <= staleMs) return false;
  // A holder on this host is stale only when its process is gone; from another host (a shared folder) or
  // without a readable pid (a crash between creating and writing the file) age alone decides.
  if (holder.pid !== null && holder.host === hostname()) return !processAlive(holder.pid);
  return true;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM'); // exists, owned by another user
  }
}

/**
 * Removes a stale lock whose content was `observed`, under `<lock>.break` so that two processes that both saw it
 * stale cannot remove each other's fresh lock: the second breaker finds different content and leaves it.
 */
async function breakLock(lockPath: string, observed: string, staleMs: number): Promise<void> {
  const breaker = `${lockPath}.break`;
  if (!(await createExclusive(breaker, String(process.pid)))) {
    const info = await stat(breaker).catch(() => null);
    if (info && Date.now() - info.mtimeMs > staleMs) await rm(breaker, { force: true }); // a breaker that crashed
    await sleep(5 + Math.random() * 10);
    return;
  }
  try {
    if ((await readIfExists(lockPath)) === observed) await rm(lockPath, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

// ---- files ----

/** Stores a file's bytes as a blob unless one with the same digest exists; the copy is checked against the hash. */
async function storeBlob(blobDir: string, source: string): Promise<{ digest: string; size: number }> {
  const { sha256: hex, bytes: size } = await hashFile(source);
  const blob = join(blobDir, hex);
  if (await exists(blob)) return { digest: `sha256:${hex}`, size };
  const temp = tempName(blobDir);
  try {
    const copied = await copyHashing(source, temp);
    if (copied.digest !== `sha256:${hex}`) {
      throw new UserError(`${source} changed while it was being registered`, 'Register the model once whatever writes it has finished.');
    }
    try {
      await link(temp, blob); // never replaces a blob another process stored meanwhile
    } catch (error) {
      if (!isCode(error, 'EEXIST')) await rename(temp, blob); // no hard links: rename (same bytes either way)
    }
  } finally {
    await rm(temp, { force: true });
  }
  return { digest: `sha256:${hex}`, size };
}

/** Copies `from` to the new file `to` (flushed to disk), hashing the bytes as they go. */
async function copyHashing(from: string, to: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const out = await open(to, 'wx');
  try {
    for await (const chunk of createReadStream(from, { highWaterMark: 1 << 20 })) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      size += buffer.length;
      await out.write(buffer);
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

async function appendLine(path: string, line: string): Promise<void> {
  const handle = await open(path, 'a+');
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n'; // the previous append was torn by a crash: start a fresh line
    }
    await handle.write(`${prefix}${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (a new name) to disk where the platform allows it. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not supported here (Windows): the rename or link itself is still atomic
  }
}

function tempName(dir: string): string {
  return join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

async function versionNumbers(versionsDir: string): Promise<number[]> {
  const numbers: number[] = [];
  for (const name of await listDir(versionsDir)) {
    const match = VERSION_FILE.exec(name);
    if (match) numbers.push(Number(match[1]));
  }
  return numbers.sort((a, b) => a - b);
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return [];
    throw error;
  }
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function parseRecord(bytes: string, path: string, model: string, version: number): VersionRecord {
  let record: Partial<VersionRecord>;
  try {
    record = JSON.parse(bytes) as Partial<VersionRecord>;
  } catch {
    throw new UserError(`${path} is not valid JSON`, 'Version records are never rewritten: restore it from a backup.');
  }
  const files = Array.isArray(record.files) ? record.files : null;
  if (record.model !== model || record.version !== version || typeof record.createdAt !== 'string' || !files) {
    throw new UserError(
      `${path} is not the version record of ${model} v${version}`,
      'Version records are never rewritten: restore it from a backup.',
    );
  }
  for (const file of files) {
    const parts = typeof file?.path === 'string' ? file.path.split('/') : [];
    if (
      !parts.length ||
      parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\')) ||
      !DIGEST_PATTERN.test(String(file.digest))
    ) {
      throw new UserError(
        `${path} lists a file with a bad path or digest (${JSON.stringify(file)})`,
        'Version records are never rewritten: restore it from a backup.',
      );
    }
  }
  return {
    schema: typeof record.schema === 'number' ? record.schema : RECORD_SCHEMA,
    model,
    version,
    createdAt: record.createdAt,
    files,
    card: record.card ?? null,
    blessing: record.blessing ?? null,
  };
}

// ---- names and messages ----

function foldHistory(events: StoredAliasEvent[]): Record<string, number> {
  const current: Record<string, number> = {};
  for (const event of events) {
    if (event.version === null) delete current[event.alias];
    else current[event.alias] = event.version;
  }
  return current;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
