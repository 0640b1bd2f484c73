/**
 * The folder store of the model registry: a folder that needs no server
 * (`.mlops/registry/` by default). It keeps bytes; what references mean, how numbers
 * are claimed and how pulls are verified is the registry's (core/registry/registry.ts).
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
 *   models/<model>/aliases.lock             present only while a process changes an alias
 *   models/<model>/ledger.jsonl             every version's digest when it was registered, one JSON object a
 *                                           line, appended only: { "version", "digest", "at" }
 *
 * Crash safety: every file is written to a temporary file (a name starting with `.tmp-`) in the folder it
 * belongs to, flushed to disk, and then renamed or hard-linked into place, so a reader sees the whole file or
 * no file. Blobs and version records are never rewritten. The alias history is the source of truth for the
 * aliases (they are read from it): a change is appended to it first, then aliases.json (a copy for people and
 * other tools) is rewritten from the whole history, so a crash between the two is repaired by the next change
 * (and a line torn by a crash is skipped).
 *
 * Concurrency (several processes, one root): a version number is created by hard-linking the fully written
 * record to `versions/<n>.json`, which fails with EEXIST when another process took n first (createVersion
 * answers null, and the registry tries n + 1): no lock is needed, numbers are distinct and none is lost. An
 * alias compare-and-swap reads, checks, appends and rewrites under `aliases.lock`, created exclusively ('wx')
 * with the holder's pid, host and a token; waiters retry with jittered backoff. A lock older than 30 s whose
 * process is gone (or, from another host, just older than 30 s) is broken, under a second exclusive lock so
 * that two breakers never remove a fresh lock.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { stableJson } from '../../core/lineage.js';
import type { BlobSource, LedgerEntry, ModelStore, StoredAliasEvent, StoredVersion, VersionRecord } from '../../ports/model-store.js';
import { folderSignatureStore, type SignatureStore } from '../../core/signing/attest.js';

/** Where the folder registry lives when nothing says otherwise (relative to the project). */
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

export interface FolderStoreOptions {
  lock?: LockOptions;
}

export class FolderStore implements ModelStore {
  readonly kind = 'local' as const;
  readonly reservedAliases: Readonly<Record<string, string>> = {};
  readonly atomicAliases = true;
  /** Beside the versions: models/<model>/signatures/ (core/signing/folder.ts). */
  readonly signatures: SignatureStore;

  constructor(
    readonly root: string,
    private readonly options: FolderStoreOptions = {},
  ) {
    this.signatures = folderSignatureStore(root);
  }

  get location(): string {
    return this.root;
  }

  where(): string {
    return `the registry at ${this.root}`;
  }

  async models(): Promise<string[]> {
    const models: string[] = [];
    for (const name of await listDir(join(this.root, 'models'))) {
      if ((await this.listVersions(name)).length > 0) models.push(name);
    }
    return models;
  }

  async listVersions(model: string): Promise<number[]> {
    return versionNumbers(this.versionsDir(model));
  }

  async readVersion(model: string, n: number): Promise<StoredVersion | null> {
    const path = this.versionFile(model, n);
    const bytes = await readIfExists(path);
    if (bytes === null) return null;
    return this.stored(parseRecord(bytes, path, model, n), bytes);
  }

  async createVersion(record: VersionRecord): Promise<StoredVersion | null> {
    const versionsDir = this.versionsDir(record.model);
    await mkdir(versionsDir, { recursive: true });
    const bytes = stableJson({ schema: RECORD_SCHEMA, ...record });
    const created = await createFileOnce(join(versionsDir, `${record.version}.json`), bytes);
    return created ? this.stored(record, bytes) : null;
  }

  async putBlob(_model: string, source: BlobSource): Promise<void> {
    const blobDir = join(this.root, 'blobs', 'sha256');
    await mkdir(blobDir, { recursive: true });
    const blob = this.blobPath(source.digest);
    if (await exists(blob)) return;
    const temp = tempName(blobDir);
    try {
      const copied = await copyHashing(source.absolute, temp);
      if (copied.digest !== source.digest || copied.size !== source.size) {
        throw new UserError(
          `${source.absolute} changed while it was being registered`,
          'Register the model once whatever writes it has finished.',
        );
      }
      try {
        await link(temp, blob); // never replaces a blob another process stored meanwhile
      } catch (error) {
        if (!isCode(error, 'EEXIST')) await rename(temp, blob); // no hard links: rename (same bytes either way)
      }
    } finally {
      await rm(temp, { force: true });
    }
  }

  async getBlob(_model: string, digest: string, target: string): Promise<{ digest: string; size: number; source: string } | null> {
    const blob = this.blobPath(digest);
    try {
      return { ...(await copyHashing(blob, target)), source: blob };
    } catch (error) {
      if (isCode(error, 'ENOENT')) {
        await rm(target, { force: true });
        return null;
      }
      throw error;
    }
  }

  async readLedger(model: string): Promise<LedgerEntry[]> {
    return parseLedger((await readIfExists(join(this.modelDir(model), 'ledger.jsonl')))?.split('\n') ?? []);
  }

  async appendLedger(model: string, entry: LedgerEntry): Promise<void> {
    await mkdir(this.modelDir(model), { recursive: true });
    await appendLine(join(this.modelDir(model), 'ledger.jsonl'), JSON.stringify(entry));
  }

  async readAliases(model: string): Promise<Record<string, number>> {
    return foldHistory(await this.readHistory(model));
  }

  async readHistory(model: string): Promise<StoredAliasEvent[]> {
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

  /** Under the alias lock: checks where the alias points (from the history), appends the change, rewrites aliases.json. */
  async compareAndSwapAlias(
    model: string,
    change: StoredAliasEvent,
  ): Promise<{ swapped: true } | { swapped: false; current: number | null }> {
    const dir = this.modelDir(model);
    await mkdir(dir, { recursive: true });
    return withFileLock(
      join(dir, 'aliases.lock'),
      async () => {
        const aliases = foldHistory(await this.readHistory(model));
        const current = aliases[change.alias] ?? null;
        if (current !== change.previous) return { swapped: false as const, current };
        await appendLine(join(dir, 'alias-history.jsonl'), JSON.stringify(change));
        if (change.version === null) delete aliases[change.alias];
        else aliases[change.alias] = change.version;
        await writeFileAtomic(join(dir, 'aliases.json'), `${JSON.stringify(sortKeys(aliases), null, 2)}\n`);
        return { swapped: true as const };
      },
      this.options.lock,
    );
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

  private stored(record: VersionRecord, bytes: string): StoredVersion {
    return {
      record,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      uri: `local://${record.model}/${record.version}`,
    };
  }
}

// ---- the concurrency-critical helpers, exported so that they can be exercised on their own ----

/**
 * Creates `path` holding `data` only if no file has that name: a fully written temporary file is hard-linked to
 * it, which fails with EEXIST when the name is taken (then false, and nothing is changed). Never overwrites.
 */
export async function createFileOnce(path: string, data: string): Promise<boolean> {
  const dir = dirname(path);
  const temp = tempName(dir);
  try {
    await writeDurably(temp, data);
    try {
      await link(temp, path);
    } catch (error) {
      if (isCode(error, 'EEXIST')) return false;
      if (isCode(error, 'EPERM') || isCode(error, 'ENOTSUP') || isCode(error, 'ENOSYS')) {
        throw new UserError(
          `cannot create ${path}: the file system does not support hard links (${(error as Error).message})`,
          'Keep the local registry on a local disk (ext4, APFS, NTFS, ...), or use an OCI registry.',
        );
      }
      throw error;
    }
    await syncDir(dir);
    return true;
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

/** A stored record, checked to be the record of `model` v`version` (file paths and digests are checked by the registry). */
function parseRecord(bytes: string, path: string, model: string, version: number): VersionRecord {
  let record: Partial<VersionRecord>;
  try {
    record = JSON.parse(bytes) as Partial<VersionRecord>;
  } catch {
    throw new UserError(`${path} is not valid JSON`, 'Version records are never rewritten: restore it from a backup.');
  }
  if (
    record === null ||
    typeof record !== 'object' ||
    record.model !== model ||
    record.version !== version ||
    typeof record.createdAt !== 'string' ||
    !Array.isArray(record.files)
  ) {
    throw new UserError(
      `${path} is not the version record of ${model} v${version}`,
      'Version records are never rewritten: restore it from a backup.',
    );
  }
  return {
    model,
    version,
    createdAt: record.createdAt,
    files: record.files,
    card: record.card ?? null,
    blessing: record.blessing ?? null,
  };
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- aliases ----

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

/** Ledger entries from JSON texts (lines of the folder's ledger.jsonl, items of the OCI ledger); what is not an entry is skipped. */
export function parseLedger(items: readonly unknown[]): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const item of items) {
    let raw: unknown = item;
    if (typeof item === 'string') {
      if (!item.trim()) continue;
      try {
        raw = JSON.parse(item);
      } catch {
        continue; // a line torn by a crash while it was appended
      }
    }
    const entry = raw as Partial<LedgerEntry> | null;
    if (
      entry &&
      typeof entry.version === 'number' &&
      Number.isSafeInteger(entry.version) &&
      typeof entry.digest === 'string' &&
      DIGEST_PATTERN.test(entry.digest) &&
      typeof entry.at === 'string'
    )
      entries.push({ version: entry.version, digest: entry.digest, at: entry.at });
  }
  return entries;
}
