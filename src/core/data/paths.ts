import { glob, isDynamicPattern } from 'tinyglobby';
import { UserError } from '../errors.js';

/** Expands globs (sorted, so shard order is stable); plain paths pass through. A glob that matches nothing is an error. */
export async function expandPaths(patterns: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (!isDynamicPattern(pattern)) {
      files.push(pattern);
      continue;
    }
    const matches = (await glob(pattern, { absolute: true, onlyFiles: true, expandDirectories: false })).sort();
    if (matches.length === 0)
      throw new UserError(
        `no file matches ${pattern}`,
        'Check the glob; it is relative to the working directory (or to mlops.yaml for paths in it).',
      );
    files.push(...matches);
  }
  return files;
}
