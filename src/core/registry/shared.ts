/** Helpers both registry backends share: model files, pull targets, names, messages. */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import { NAME_PATTERN } from '../../ports/registry.js';
import type { ModelVersion, PullOptions, RegisteredFile } from '../../ports/registry.js';

/** A version reference: 3 or v3. */
export const VERSION_REF = /^v?(\d+)$/;

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
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(absolute).catch(() => null))?.isFile() === true);
    if (isFile) files.push({ path: relative(dir, absolute).split(sep).join('/'), absolute });
  }
  if (files.length === 0)
    throw new UserError(`the model directory ${dir} holds no files`, 'Train the model first, or point at the folder that holds it.');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Refuses to pull over a folder that holds anything (an empty one is replaced). */
export async function checkPullTarget(dir: string): Promise<void> {
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

export function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function describeAliases(aliases: Record<string, number>): string {
  return Object.entries(aliases)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, version]) => `${name} -> v${version}`)
    .join(', ');
}

/** The files of a version that a pull copies: all, or those `options.paths` names (each must be one of them). */
export function selectFiles(version: ModelVersion, options: PullOptions): RegisteredFile[] {
  if (!options.paths) return version.files;
  const missing = options.paths.filter((path) => !version.files.some((f) => f.path === path));
  if (missing.length > 0)
    throw new UserError(`${version.model} v${version.version} has no ${missing.join(', ')}`, 'mlops registry show lists its files.');
  return version.files.filter((f) => options.paths!.includes(f.path));
}
