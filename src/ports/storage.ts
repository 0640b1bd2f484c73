/**
 * Where steps keep things between runs and hand them to people: a run cache keyed
 * by content hashes, and artifacts. On GitHub the adapters use the Actions cache and
 * artifact services; locally, folders under .mlops/.
 */
export interface RunCache {
  /** Which store this is, for logs ("GitHub Actions cache", "local folder …"). */
  readonly description: string;
  /** Restores the folder saved under `key` into `dir`; false when there is none. */
  restore(key: string, dir: string): Promise<boolean>;
  /** Saves `dir` under `key`; false when nothing was saved (an entry exists: entries are immutable; or the store declined). */
  save(key: string, dir: string): Promise<boolean>;
}

export interface ArtifactStore {
  readonly description: string;
  /** Uploads every file under `dir` as the artifact `name`; returns where it can be found. */
  upload(name: string, dir: string): Promise<{ location: string }>;
}

/** Artifact names may not contain these (GitHub's rule), nor CR/LF. */
export function artifactName(name: string): string {
  return name.replace(/["':<>|*?\\/\r\n]/g, '-');
}

/** True when the runner gave this step the Actions runtime (node actions get it; `run:` steps do not). */
export function actionsRuntimeAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL));
}
