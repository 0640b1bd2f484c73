/**
 * The model registry: immutable, numbered versions of a model (its files, model card
 * and blessing), and aliases (staging, production, champion, ...) that point at one
 * version each and move. One implementation of these semantics (core/registry/registry.ts)
 * over a narrow store port (ports/model-store.ts), with a folder store and an OCI store.
 */
import type { Blessing, ModelCard } from '../core/contracts/index.js';

export interface RegisteredFile {
  /** Path inside the model directory, with forward slashes. */
  path: string;
  /** sha256:<hex> of the file's bytes. */
  digest: string;
  size: number;
}

export interface ModelVersion {
  model: string;
  /** 1, 2, 3, ... per model, never reused. */
  version: number;
  /** Content digest of the version (sha256:<hex>): of its manifest (OCI) or record (folder). */
  digest: string;
  createdAt: string;
  files: RegisteredFile[];
  /** The model card (lineage, params, metrics) registered with it, or null. */
  card: ModelCard | null;
  /** The evaluate step's blessing registered with it, or null (registered without one). */
  blessing: Blessing | null;
  /**
   * Why a stored card or blessing could not be read (it is then null): a version registered
   * by an older release or by hand whose card no longer fits the contract. Empty normally.
   */
  problems: string[];
  /** Where it lives: local://<model>/<version> or oci://<registry>/<repository>@<digest>. */
  uri: string;
}

export interface PullOptions {
  /** Only these files of the version (the version's other files are left out). */
  paths?: readonly string[];
}

export interface AliasEvent {
  alias: string;
  /** The version it points at after the event, or null when unset. */
  version: number | null;
  at: string;
}

/** What is registered with a version's files. */
export interface VersionMetadata {
  card: ModelCard | null;
  blessing: Blessing | null;
}

export interface Registry {
  readonly kind: 'local' | 'oci';
  /** How to name this registry to the CLI's --registry: a folder, or oci://host/namespace. */
  readonly location: string;
  /** The signatures of versions (Sigstore bundles), kept beside them: register signs, deploy and serve verify. */
  readonly signatures: SignatureStore;
  /** Registers every file of `dir` as the next version of `model`. Safe when several processes register at once. */
  register(model: string, dir: string, metadata: VersionMetadata): Promise<ModelVersion>;
  /**
   * Every version, oldest first. A tag or record this tool did not write (a foreign `vN`
   * pushed by another tool) is left out and told to `onForeign`, never failing the list.
   */
  list(model: string, onForeign?: (version: number, reason: string) => void): Promise<ModelVersion[]>;
  /** A version by number (3 or v3), alias (production) or digest (sha256:...). */
  resolve(model: string, ref: string): Promise<ModelVersion>;
  /** Points `alias` at `version` (which must exist). */
  setAlias(model: string, alias: string, version: number): Promise<void>;
  unsetAlias(model: string, alias: string): Promise<void>;
  /** Current aliases: alias -> version. */
  aliases(model: string): Promise<Record<string, number>>;
  /** Every change of `alias`, oldest first. */
  aliasHistory(model: string, alias: string): Promise<AliasEvent[]>;
  /**
   * Copies the version's files into `dir`, verifying every file's digest; a mismatch is an error.
   * With `paths`, only those files (paths inside the model directory) are copied.
   */
  pull(model: string, ref: string, dir: string, options?: PullOptions): Promise<ModelVersion>;
}

/** Model and alias names: lower-case letters, digits, '.', '_' and '-' (OCI repository and tag rules allow them). */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** A signature bundle as stored beside a version, not yet verified, and where it came from (for messages). */
export interface StoredBundle {
  source: string;
  /** The bundle's JSON bytes. */
  bytes: Buffer;
}

/** Where a registry keeps the signatures of its versions (core/signing verifies what it finds). */
export interface SignatureStore {
  /** Stores a bundle for the version `digest` of `model`; returns where it went (a path or name@digest). */
  attach(model: string, digest: string, bundle: Buffer): Promise<string>;
  /** The bundles stored for the version `digest` of `model`, not verified ([] when none). */
  find(model: string, digest: string): Promise<StoredBundle[]>;
}
