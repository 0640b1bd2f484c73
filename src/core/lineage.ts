/** Lineage: content hashes of data, parameters and code, and where a run came from. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';

export interface FileHash {
  path: string;
  sha256: string;
  bytes: number;
}

export async function hashFile(path: string): Promise<FileHash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { path, sha256: hash.digest('hex'), bytes: (await stat(path)).size };
}

/** JSON with object keys sorted, so equal values hash equally. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The commit being built: GITHUB_SHA on GitHub, else git's HEAD, else null. */
export async function gitCommit(env: NodeJS.ProcessEnv = process.env, cwd?: string): Promise<string | null> {
  if (env.GITHUB_SHA) return env.GITHUB_SHA;
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { timeout: 5000, cwd });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** The URL of this workflow run on GitHub, or null off GitHub. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return null;
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
