/**
 * The model registry, written once over a store (ports/model-store.ts): what a
 * reference means (3, v3, an alias, a digest), how a version number is claimed when
 * several processes register at once, how an alias moves and its history is kept,
 * how a pull is staged and verified, which names are allowed, and what every error
 * says. The folder and OCI stores (adapters/registry/) only keep bytes.
 *
 * Version numbers: the next number is max + 1; the store creates it only if it is
 * free, else the registry lists again and tries the next one (bounded). Aliases: the
 * registry reads where the alias points and asks the store to move it from there
 * (compare and swap, with the history entry); when another process moved it first,
 * it retries from where it points now. Pulls go into a staging folder beside the
 * target, every file checked against its recorded digest and size, and the folder is
 * renamed into place only when all are: a target holds the whole version or nothing.
 *
 * The ledger: register records each new version's digest in the model's ledger (ports/model-store.ts),
 * and every read by number, alias or digest checks the version still has it, so a vN tag or record
 * overwritten later (by another tool, by hand) is refused everywhere a version is used (pull, deploy,
 * serve, a baseline) and left out of listings with a note. Versions older than the ledger have no
 * entry and are read as before. The ledger is not a signature: a writer who may push can rewrite both.
 *
 * Cards and blessings are checked against the contracts (core/contracts) when read
 * back. A stored one that does not fit (registered by an older release, or by hand)
 * is read as null, and why is kept in the version's `problems`, which `mlops registry
 * show` prints: the version stays usable and the reason is never silent.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readlink, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { parseContract } from '../contracts/index.js';
import { UserError } from '../errors.js';
import { hashFile } from '../lineage.js';
import { ForeignVersionError, RewrittenVersionError } from '../../ports/model-store.js';
import type { LedgerEntry, ModelStore, StoredVersion } from '../../ports/model-store.js';
import {
  NAME_PATTERN,
  type AliasEvent,
  type ModelVersion,
  type PullOptions,
  type RegisteredFile,
  type Registry,
  type VersionMetadata,
} from '../../ports/registry.js';
import type { SignatureStore } from '../signing/attest.js';

/** A version reference: 3 or v3. */
export const VERSION_REF = /^v?(\d+)$/;
/** A version digest: sha256 and 64 lower-case hex digits. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export interface ModelRegistryOptions {
  /** How many version numbers a register tries, and how many times an alias move retries. Default 50. */
  maxAttempts?: number;
}

export class ModelRegistry implements Registry {
  readonly kind: 'local' | 'oci';
  readonly location: string;
  readonly signatures: SignatureStore;
  private readonly maxAttempts: number;

  constructor(
    readonly store: ModelStore,
    options: ModelRegistryOptions = {},
  ) {
    this.kind = store.kind;
    this.location = store.location;
    this.signatures = store.signatures;
    this.maxAttempts = options.maxAttempts ?? 50;
  }

  async register(model: string, dir: string, metadata: VersionMetadata): Promise<ModelVersion> {
    checkName(model, 'model');
    const files: RegisteredFile[] = [];
    for (const source of await modelFiles(dir)) {
      const hashed = await hashFile(source.absolute);
      const file = { path: source.path, digest: `sha256:${hashed.sha256}`, size: hashed.bytes };
      await this.store.putBlob(model, { absolute: source.absolute, digest: file.digest, size: file.size });
      files.push(file);
    }
    const createdAt = new Date().toISOString();
    const tried: number[] = [];
    let n = ((await this.store.listVersions(model)).at(-1) ?? 0) + 1;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const record = { model, version: n, createdAt, files, card: metadata.card, blessing: metadata.blessing };
      const stored = await this.store.createVersion(record);
      if (stored) {
        // The digest it was created with, where a later rewrite of the tag or record shows.
        await this.store.appendLedger(model, { version: n, digest: stored.digest, at: createdAt });
        return this.toModelVersion(stored);
      }
      tried.push(n);
      n = Math.max(n + 1, ((await this.store.listVersions(model)).at(-1) ?? 0) + 1);
    }
    throw new UserError(
      `could not register ${model} in ${this.store.where(model)}: other writers took every version number tried (${describeNumbers(tried)}) in ${this.maxAttempts} attempts`,
      'Many registers of this model are running at once; run the register again.',
    );
  }

  async list(model: string, onForeign: (version: number, reason: string) => void = () => {}): Promise<ModelVersion[]> {
    checkName(model, 'model');
    const numbers = await this.store.listVersions(model);
    const ledger = numbers.length > 0 ? await this.store.readLedger(model) : [];
    const stored = await Promise.all(
      numbers.map((n) =>
        this.store
          .readVersion(model, n)
          .then((found) => found && this.checked(found, ledger))
          .catch((error: unknown) => {
            if (!(error instanceof ForeignVersionError)) throw error;
            onForeign(n, error.message);
            return null;
          }),
      ),
    );
    return stored.filter((s): s is StoredVersion => s !== null).map((s) => this.toModelVersion(s));
  }

  async resolve(model: string, ref: string): Promise<ModelVersion> {
    checkName(model, 'model');
    const wanted = ref.trim();
    const number = VERSION_REF.exec(wanted);
    if (number) {
      const n = Number(number[1]);
      const found = Number.isSafeInteger(n) && n >= 1 ? await this.store.readVersion(model, n) : null;
      if (found) return this.toModelVersion(this.checked(found, await this.store.readLedger(model)));
      throw await this.unknownRef(model, wanted, `version ${number[1]}`);
    }
    if (wanted.startsWith('sha256:')) {
      if (!DIGEST_PATTERN.test(wanted)) {
        throw new UserError(
          `"${wanted}" is not a version digest of model "${model}"`,
          'A digest is sha256: followed by 64 lower-case hex digits (the digest a register printed).',
        );
      }
      for (const n of (await this.store.listVersions(model)).reverse()) {
        const found = await this.store.readVersion(model, n);
        if (found?.digest === wanted) return this.toModelVersion(this.checked(found, await this.store.readLedger(model)));
      }
      throw await this.unknownRef(model, wanted, `a version with digest ${wanted}`);
    }
    if (NAME_PATTERN.test(wanted) && !Object.hasOwn(this.store.reservedAliases, wanted)) {
      const version = (await this.store.readAliases(model))[wanted];
      if (version !== undefined) {
        const found = await this.store.readVersion(model, version);
        if (found) return this.toModelVersion(this.checked(found, await this.store.readLedger(model)));
        throw new UserError(
          `alias "${wanted}" of model "${model}" points at version ${version}, which is not in ${this.store.where(model)}`,
          `Point it at an existing version (mlops registry alias ${model} ${wanted} <version>), or restore version ${version}.`,
        );
      }
    }
    throw await this.unknownRef(model, wanted, `alias "${wanted}"`);
  }

  async setAlias(model: string, alias: string, version: number): Promise<void> {
    checkName(model, 'model');
    this.checkAlias(alias);
    if (!Number.isSafeInteger(version) || version < 1 || !(await this.store.readVersion(model, version))) {
      throw await this.unknownRef(model, String(version), `version ${version}`);
    }
    await this.moveAlias(model, alias, version);
  }

  async unsetAlias(model: string, alias: string): Promise<void> {
    checkName(model, 'model');
    this.checkAlias(alias);
    await this.moveAlias(model, alias, null);
  }

  async aliases(model: string): Promise<Record<string, number>> {
    checkName(model, 'model');
    return this.store.readAliases(model);
  }

  async aliasHistory(model: string, alias: string): Promise<AliasEvent[]> {
    checkName(model, 'model');
    checkName(alias, 'alias');
    return (await this.store.readHistory(model))
      .filter((e) => e.alias === alias)
      .map(({ alias: a, version, at }) => ({ alias: a, version, at }));
  }

  async pull(model: string, ref: string, dir: string, options: PullOptions = {}): Promise<ModelVersion> {
    const version = await this.resolve(model, ref);
    const files = selectFiles(version, options);
    await checkPullTarget(dir);
    const parent = dirname(dir);
    await mkdir(parent, { recursive: true });
    const staging = join(parent, `.${basename(dir)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(staging);
      for (const file of files) await this.pullFile(version, file, join(staging, ...file.path.split('/')));
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

  /** Copies one file of a version to `target` and checks it against the record. */
  private async pullFile(version: ModelVersion, file: RegisteredFile, target: string): Promise<void> {
    const what = `${file.path} of ${version.model} v${version.version}`;
    await mkdir(dirname(target), { recursive: true });
    let got;
    try {
      got = await this.store.getBlob(version.model, file.digest, target);
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`${what}: ${error.message}`, error.hint);
      throw error;
    }
    if (!got) {
      throw new UserError(
        `${what} is missing from ${this.store.where(version.model)}: its blob ${file.digest} is not there`,
        'The registry was changed by hand or only partly copied; restore the blob from a backup, or register the model again.',
      );
    }
    if (got.digest !== file.digest || got.size !== file.size) {
      throw new UserError(
        `${what} is corrupt in the registry: expected ${file.digest} (${file.size} bytes), found ${got.digest} (${got.size} bytes) in ${got.source}`,
        'The stored file was modified after it was registered. Do not deploy this version; restore the blob from a backup, or register the model again.',
      );
    }
  }

  /** Moves (or unsets, `target` null) an alias from wherever it points now, retrying when another process moves it meanwhile. */
  private async moveAlias(model: string, alias: string, target: number | null): Promise<void> {
    let current: number | null = (await this.store.readAliases(model))[alias] ?? null;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (current === null && target === null) {
        const aliases = await this.store.readAliases(model);
        throw new UserError(
          `model "${model}" has no alias "${alias}" to unset`,
          Object.keys(aliases).length ? `Its aliases: ${describeAliases(aliases)}.` : 'It has no aliases yet.',
        );
      }
      if (current === target) return; // already there: no change, no history entry
      const result = await this.store.compareAndSwapAlias(model, {
        alias,
        version: target,
        previous: current,
        at: new Date().toISOString(),
      });
      if (result.swapped) return;
      current = result.current;
    }
    throw new UserError(
      `could not move alias "${alias}" of model "${model}": other processes kept moving it (${this.maxAttempts} attempts)`,
      'Several alias changes of this model are running at once; run the command again.',
    );
  }

  private checkAlias(alias: string): void {
    checkAliasName(alias);
    const reserved = Object.hasOwn(this.store.reservedAliases, alias) ? this.store.reservedAliases[alias] : undefined;
    if (reserved !== undefined) {
      throw new UserError(`"${alias}" cannot be an alias: ${reserved}`, 'Choose another name, for example production or staging.');
    }
  }

  /**
   * `stored`, when it still has the digest the ledger recorded for its number at registration (or the
   * ledger has no entry for it: versions registered before the ledger existed); else a
   * RewrittenVersionError (a ForeignVersionError: listing leaves it out with a note).
   */
  private checked(stored: StoredVersion, ledger: readonly LedgerEntry[]): StoredVersion {
    const { model, version } = stored.record;
    const recorded = ledger.find((e) => e.version === version);
    if (!recorded || recorded.digest === stored.digest) return stored;
    throw new RewrittenVersionError(
      `version ${version} of ${model} in ${this.store.where(model)} was rewritten after it was registered: the ledger recorded ${recorded.digest} at ${recorded.at}, it now holds ${stored.digest}`,
      `Versions never change once registered: something other than register overwrote it. Put the recorded version back (for an OCI registry: copy ${recorded.digest} to the tag v${version}, for example with skopeo or oras), or register the model again; deploy by digest.`,
    );
  }

  private toModelVersion(stored: StoredVersion): ModelVersion {
    const { record } = stored;
    const problems: string[] = [];
    const label = `${record.model} v${record.version}`;
    for (const file of record.files) {
      const parts = typeof file?.path === 'string' ? file.path.split('/') : [];
      if (
        !parts.length ||
        parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\')) ||
        !DIGEST_PATTERN.test(String(file.digest)) ||
        !Number.isSafeInteger(file.size)
      ) {
        throw new UserError(
          `${label} in ${this.store.where(record.model)} lists a file with a bad path, digest or size (${JSON.stringify(file)})`,
          'Versions are written only by register and never changed: restore it from a backup, or register the model again.',
        );
      }
    }
    return {
      model: record.model,
      version: record.version,
      digest: stored.digest,
      createdAt: record.createdAt,
      files: record.files.map(({ path, digest, size }) => ({ path, digest, size })),
      card: readStored('modelCard', record.card, `the stored model card of ${label}`, problems),
      blessing: readStored('blessing', record.blessing, `the stored blessing of ${label}`, problems),
      problems,
      uri: stored.uri,
    };
  }

  /** The error for a reference that names nothing: what the model has, and how to refer to it. */
  private async unknownRef(model: string, ref: string, what: string): Promise<UserError> {
    const where = this.store.where(model);
    const numbers = await this.store.listVersions(model);
    if (numbers.length === 0) {
      const models = await this.store.models();
      return new UserError(
        `model "${model}" has no versions in ${where}, so "${ref}" names nothing`,
        models === null
          ? `Check the model name and the registry (${this.store.location}), or register "${model}" first.`
          : models.length
            ? `Models there: ${[...models].sort().join(', ')}. Check the model name, or register "${model}" first.`
            : 'The registry is empty: register the model first.',
      );
    }
    const aliases = await this.store.readAliases(model);
    const aliasText = Object.keys(aliases).length ? `aliases ${describeAliases(aliases)}` : 'no aliases';
    return new UserError(
      `model "${model}" has no ${what} in ${where}`,
      `It has versions ${describeNumbers(numbers)} and ${aliasText}. Refer to a version by number (3 or v3), alias or digest (sha256:...).`,
    );
  }
}

/** A stored card or blessing read against its contract: null when absent, or (with the reason in `problems`) when it does not fit. */
function readStored<N extends 'modelCard' | 'blessing'>(name: N, value: unknown, source: string, problems: string[]) {
  if (value === null || value === undefined) return null;
  try {
    return parseContract(name, value, source);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problems.push(error.message);
    return null;
  }
}

// ---- model directories and pull targets ----

/** The files of a model directory, sorted by their path with forward slashes. */
export async function modelFiles(dir: string): Promise<Array<{ path: string; absolute: string }>> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new UserError(
      `the model directory ${dir} does not exist`,
      'Point at the model-dir output of train, or a folder with your model files.',
    );
  }
  if (!info.isDirectory())
    throw new UserError(`${dir} is not a directory`, 'Register a model directory (the model-dir output of train), not a single file.');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Array<{ path: string; absolute: string }> = [];
  for (const entry of entries) {
    const absolute = join(entry.parentPath, entry.name);
    const path = relative(dir, absolute).split(sep).join('/');
    // A link could store anything outside the folder (a key, /etc/hostname) as a model file: only regular files are models.
    if (entry.isSymbolicLink()) {
      const target = await readlink(absolute).catch(() => '?');
      throw new UserError(
        `the model directory ${dir} holds a symbolic link: ${path} -> ${target}`,
        'A registered model holds only regular files from its own folder: copy the file in place of the link.',
      );
    }
    if (entry.isFile()) files.push({ path, absolute });
  }
  if (files.length === 0)
    throw new UserError(`the model directory ${dir} holds no files`, 'Train the model first, or point at the folder that holds it.');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Refuses to pull over a folder that holds anything (an empty one is replaced). */
async function checkPullTarget(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    return;
  }
  if (!info.isDirectory() || (await readdir(dir)).length > 0) {
    throw new UserError(
      `cannot pull into ${dir}: it exists and is not an empty folder`,
      `Pull into a new or empty folder, or delete ${dir} first.`,
    );
  }
}

/** The files of a version that a pull copies: all, or those `options.paths` names (each must be one of them). */
function selectFiles(version: ModelVersion, options: PullOptions): RegisteredFile[] {
  if (!options.paths) return version.files;
  const missing = options.paths.filter((path) => !version.files.some((f) => f.path === path));
  if (missing.length > 0)
    throw new UserError(`${version.model} v${version.version} has no ${missing.join(', ')}`, 'mlops registry show lists its files.');
  return version.files.filter((f) => options.paths!.includes(f.path));
}

// ---- names and messages ----

export function checkName(name: string, what: 'model' | 'alias'): void {
  if (!NAME_PATTERN.test(name)) {
    throw new UserError(
      `"${name}" is not a valid ${what} name`,
      `A ${what} name is 1 to 128 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit (for example ${what === 'model' ? 'penguins' : 'production'}).`,
    );
  }
}

export function checkAliasName(alias: string): void {
  checkName(alias, 'alias');
  if (VERSION_REF.test(alias)) {
    throw new UserError(
      `"${alias}" cannot be an alias: it would be read as version ${VERSION_REF.exec(alias)![1]}`,
      'Give the alias a name with a letter in it that is not v followed by digits, for example production or staging.',
    );
  }
  if (/^sha\d+-[0-9a-f]+$/.test(alias)) {
    throw new UserError(
      `"${alias}" cannot be an alias: tags of that form index a version's signatures (the distribution spec's referrers tags)`,
      'Give the alias another name, for example production or staging.',
    );
  }
}

/** 1, 2, 3, 5, 7, 8 -> "v1-v3, v5, v7-v8". */
export function describeNumbers(numbers: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    ranges.push(i === j ? `v${numbers[i]}` : `v${numbers[i]}-v${numbers[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}

function describeAliases(aliases: Record<string, number>): string {
  return Object.entries(aliases)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, version]) => `${name} -> v${version}`)
    .join(', ');
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}
