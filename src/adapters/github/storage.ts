import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import * as cache from '@actions/cache';
import { DefaultArtifactClient } from '@actions/artifact';
import type { ArtifactStore, RunCache } from '../../ports/storage.js';
import { artifactName } from '../../ports/storage.js';
import { listFiles } from '../local/storage.js';
import { UserError } from '../../core/errors.js';

/**
 * The path handed to the cache: relative to the workspace when inside it. The cache version
 * hashes the paths, so an absolute path would tie an entry to one checkout folder (runners
 * differ: self-hosted ones, containers).
 */
function cachePath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : dir;
}

/** GitHub's Actions cache. Save and restore pass the same single path (the cache version hashes the paths). */
export class GitHubRunCache implements RunCache {
  readonly description = 'GitHub Actions cache';
  async restore(key: string, dir: string): Promise<boolean> {
    return (await cache.restoreCache([cachePath(dir)], key)) === key;
  }
  async save(key: string, dir: string): Promise<boolean> {
    try {
      // The cache service answers -1 (after logging a warning) when the entry exists or the upload failed.
      return (await cache.saveCache([cachePath(dir)], key)) !== -1;
    } catch (error) {
      // An entry for this key already exists (entries are immutable): nothing to do.
      if ((error as Error).name !== cache.ReserveCacheError.name) throw error;
      return false;
    }
  }
}

export class GitHubArtifactStore implements ArtifactStore {
  readonly description = 'workflow artifacts';
  private readonly client = new DefaultArtifactClient();
  async upload(name: string, dir: string): Promise<{ location: string }> {
    const files = await listFiles(dir);
    const { id } = await this.client.uploadArtifact(artifactName(name), files, dir);
    const run = `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`;
    return { location: id !== undefined ? `${run}/artifacts/${id}` : run };
  }
  /** Downloads the artifact `name` of this workflow run into `dir` (replacing what was there). */
  async download(name: string, dir: string): Promise<void> {
    let id: number;
    try {
      id = (await this.client.getArtifact(artifactName(name))).artifact.id;
    } catch (error) {
      if ((error as Error).name !== 'ArtifactNotFoundError') throw error;
      throw new UserError(
        `no artifact "${artifactName(name)}" in this workflow run`,
        'The job that uploads it must run first (list it under `needs:`), and the names must match, matrix suffix included.',
      );
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await this.client.downloadArtifact(id, { path: dir });
  }
}
