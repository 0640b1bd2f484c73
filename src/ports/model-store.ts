/**
 * Where a model registry keeps its bytes: the narrow port the one registry
 * (core/registry/registry.ts) is written over. A store knows its layout and its
 * atomic operations; it knows nothing of references, names, messages or verification,
 * which the registry does once for every store. Two adapters: a folder
 * (adapters/registry/folder-store.ts) and an OCI registry (adapters/registry/oci-store.ts).
 *
 * Stored cards and blessings are plain JSON here (`unknown`): the registry checks them
 * against the contracts when it reads them back.
 */
import type { RegisteredFile, SignatureStore } from './registry.js';
import { UserError } from '../core/errors.js';

/** A version as stored: what register wrote, before the registry reads the card and blessing. */
export interface VersionRecord {
  model: string;
  version: number;
  createdAt: string;
  files: RegisteredFile[];
  card: unknown;
  blessing: unknown;
}

/** A stored version with the digest and address the store gives it. */
export interface StoredVersion {
  record: VersionRecord;
  /** sha256:<hex> of the stored version (the folder's record bytes, the OCI manifest). */
  digest: string;
  /** local://<model>/<n> or oci://<registry>/<repository>@<digest>. */
  uri: string;
}

/** One change of an alias, as kept in the history. */
export interface StoredAliasEvent {
  alias: string;
  /** The version after the change, or null when unset. */
  version: number | null;
  /** The version before it, or null when it was not set. */
  previous: number | null;
  at: string;
}

/** A version as register recorded it in the model's ledger: the digest it had when it was created. */
export interface LedgerEntry {
  version: number;
  digest: string;
  at: string;
}

/** A file of a model directory to store: its bytes are at `absolute`, already hashed. */
export interface BlobSource {
  absolute: string;
  digest: string;
  size: number;
}

/** A version tag or record that this tool did not write (pushed by another tool, or by hand): listing leaves it out. */
export class ForeignVersionError extends UserError {}

/** A version whose tag or record no longer holds the digest the ledger recorded when it was registered. */
export class RewrittenVersionError extends ForeignVersionError {}

export interface ModelStore {
  readonly kind: 'local' | 'oci';
  /** How the CLI's --registry names this store: a folder, or oci://host/namespace. */
  readonly location: string;
  /**
   * Alias names the store keeps for itself, with why (the OCI store keeps the alias
   * history under a tag).
   */
  readonly reservedAliases: Readonly<Record<string, string>>;
  /** True when an alias move and its history entry are one atomic step (see compareAndSwapAlias). */
  readonly atomicAliases: boolean;
  /** Where the signatures of versions are kept (beside the versions, in the same store). */
  readonly signatures: SignatureStore;

  /** Where a model's versions live, for messages ("the registry at <folder>", "<host>/<repository>"). */
  where(model: string): string;
  /** The models that have versions, or null when the store cannot list them (OCI registries). */
  models(): Promise<string[] | null>;

  /** The version numbers of a model, ascending ([] for an unknown model). */
  listVersions(model: string): Promise<number[]>;
  /** Version `n`, or null when there is none. Throws a UserError for a record that is not one of ours. */
  readVersion(model: string, n: number): Promise<StoredVersion | null>;
  /**
   * Stores `record` as version record.version, only if that number is free: null when
   * another writer holds it (the registry then tries the next number). Never overwrites.
   */
  createVersion(record: VersionRecord): Promise<StoredVersion | null>;

  /** Stores a file's bytes under their digest (nothing happens when the store has them). */
  putBlob(model: string, source: BlobSource): Promise<void>;
  /**
   * Writes the bytes stored under `digest` into the new file `target`; null when the
   * store does not hold them. Returns the digest and size of what was written (the
   * registry compares them with the record) and where the bytes came from, for messages.
   */
  getBlob(model: string, digest: string, target: string): Promise<{ digest: string; size: number; source: string } | null>;

  /**
   * The model's ledger: one entry per version, appended by register right after the version was
   * created, oldest first ([] when there is none). Entries are never changed.
   */
  readLedger(model: string): Promise<LedgerEntry[]>;
  /** Appends an entry to the ledger (the OCI store checks it landed: see there). */
  appendLedger(model: string, entry: LedgerEntry): Promise<void>;

  /** Current aliases: alias -> version. */
  readAliases(model: string): Promise<Record<string, number>>;
  /** Every alias change, oldest first. */
  readHistory(model: string): Promise<StoredAliasEvent[]>;
  /**
   * Moves `change.alias` from `change.previous` to `change.version` (null: unsets it) and
   * appends `change` to the history, only when the alias points at `change.previous` now.
   * Returns where the alias pointed when it did not (the registry retries from there).
   * Atomic where the store allows it (`atomicAliases`); the OCI store checks, then writes.
   */
  compareAndSwapAlias(model: string, change: StoredAliasEvent): Promise<{ swapped: true } | { swapped: false; current: number | null }>;
}
