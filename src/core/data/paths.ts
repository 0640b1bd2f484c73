import { glob, isDynamicPattern } from 'tinyglobby';
import { stat } from 'node:fs/promises';
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

/**
 * Refuses an output file that is one of the input files (the same path, or the same file through
 * a link): writing it would replace the data being read. `shown` is how people know each path.
 */
export async function refuseOverwritingInput(
  output: string,
  inputs: readonly string[],
  shown: (path: string) => string = (p) => p,
): Promise<void> {
  const out = await stat(output).catch(() => null);
  if (!out) return; // a new file cannot be an input
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (info && info.dev === out.dev && info.ino === out.ino)
      throw new UserError(
        `the output ${shown(output)} is the input ${shown(input)}: writing it would replace the data being read`,
        'Name another output file (for example predictions.csv).',
      );
  }
}
