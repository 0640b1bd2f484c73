/**
 * Where served models come from: versions of a model in the registry (by number,
 * alias or digest), pulled into a fresh folder, loaded, warmed up, and the folder
 * removed (the model lives in memory); or a model directory given directly.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.js';
import type { ModelVersion, Registry } from '../../ports/registry.js';
import { describeCheck, worthWarning, type LoadGuard } from '../signing/trust.js';
import { loadServedModel } from './model.js';
import type { ServedModel } from './model.js';

export class ModelSource {
  constructor(
    /** The registry, or null when serving only a model directory. */
    readonly registry: Registry | null,
    /** The model's name (in the registry, and in request URLs). */
    readonly name: string,
    /** A folder for pulled versions (each in a fresh subfolder, removed after loading). */
    private readonly workDir: string,
    /**
     * Verifies each pulled version's signature before it is loaded (refusing it where required),
     * and where warnings go; null: versions are not verified.
     */
    private readonly trust: { guard: LoadGuard; warn(message: string): void } | null = null,
  ) {}

  private need(): Registry {
    if (!this.registry)
      throw new UserError(
        'no registry to load a version from',
        'Start the server with a registry (--registry or mlops.yaml) to load versions.',
      );
    return this.registry;
  }

  /** What `ref` points at now (for following an alias). */
  async resolve(ref: string): Promise<ModelVersion> {
    return this.need().resolve(this.name, ref);
  }

  /** Pulls `ref` (a number, alias or digest), loads and warms it up. */
  async load(ref: string): Promise<ServedModel> {
    const registry = this.need();
    const dir = await mkdtemp(join(this.workDir, `${this.name}-`));
    try {
      const version = await registry.pull(this.name, ref, dir);
      if (this.trust) {
        // The digest pulled is the one verified: the signature names the version's manifest, whose files the pull checked.
        const check = await this.trust.guard.check(version);
        if (worthWarning(check, this.trust.guard)) this.trust.warn(describeCheck(check, `${this.name} v${version.version}`));
      }
      return await loadServedModel(dir, { name: this.name, version: version.version, digest: version.digest, uri: version.uri });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Loads a model directory as version 0, with the digest of its files. */
  async loadDir(dir: string): Promise<ServedModel> {
    const path = resolve(dir);
    if (!existsSync(path))
      throw new UserError(`${dir} is not a model directory: it does not exist`, 'Point --model-dir at the model-dir output of train.');
    return loadServedModel(path, { name: this.name, version: 0, digest: await directoryDigest(path), uri: pathToFileURL(path).href });
  }
}

/** sha256 over the names and bytes of a directory's files (sorted): what identifies a model folder. */
export async function directoryDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    const bytes = await readFile(join(dir, name));
    hash.update(`${name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return `sha256:${hash.digest('hex')}`;
}
