import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore, RunCache } from '../../ports/storage.js';
import { artifactName } from '../../ports/storage.js';

/** A run cache in a folder: one sub-folder per key, written aside and renamed into place. */
export class LocalRunCache implements RunCache {
  constructor(private readonly root: string) {}
  get description(): string {
    return `local cache ${this.root}`;
  }
  async restore(key: string, dir: string): Promise<boolean> {
    const entry = join(this.root, safeKey(key));
    try {
      if (!(await stat(entry)).isDirectory()) return false;
    } catch {
      return false;
    }
    await rm(dir, { recursive: true, force: true });
    await cp(entry, dir, { recursive: true });
    return true;
  }
  async save(key: string, dir: string): Promise<boolean> {
    const entry = join(this.root, safeKey(key));
    try {
      await stat(entry);
      return false; // immutable: the first save wins
    } catch {
      // not there yet
    }
    await mkdir(this.root, { recursive: true });
    const staging = `${entry}.partial-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(dir, staging, { recursive: true });
    try {
      await rename(staging, entry);
      return true;
    } catch {
      await rm(staging, { recursive: true, force: true }); // another process saved it first
      return false;
    }
  }
}

/** Artifacts as folders under a root. */
export class LocalArtifactStore implements ArtifactStore {
  constructor(private readonly root: string) {}
  get description(): string {
    return `local folder ${this.root}`;
  }
  async upload(name: string, dir: string): Promise<{ location: string }> {
    const target = join(this.root, artifactName(name));
    await rm(target, { recursive: true, force: true });
    await mkdir(this.root, { recursive: true });
    await cp(dir, target, { recursive: true });
    return { location: target };
  }
}

function safeKey(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Every file under `dir`, as absolute paths. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
