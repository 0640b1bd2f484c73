/**
 * The two sides drift-check compares, from what users name: data files (prediction
 * logs included), profile.json files (merged when several), or `model@alias` /
 * `model@3`, the training profile registered with that model version.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelCard } from '../contracts/index.js';
import type { Registry } from '../../ports/registry.js';
import { NAME_PATTERN } from '../../ports/registry.js';
import { expandPaths } from '../data/paths.js';
import type { DataFormat } from '../data/source.js';
import { UserError } from '../errors.js';
import { mergeProfiles, PROFILE_FORMAT, TRAINING_PROFILE_FILE } from '../profile/profile.js';
import type { DatasetProfile } from '../profile/profile.js';
import { sideFromProfile } from './columns.js';
import type { Side } from './columns.js';
import { LOG_COLUMNS } from './compute.js';
import { readSide } from './read.js';

/** A side and how reports name it. */
export interface ResolvedSide {
  side: Side;
  description: string;
  /** The feature columns of the model whose registered profile this side is, when its card names them. */
  modelFeatures?: string[] | null;
}

/** The feature columns a model card names: its signature's, else the training data's list; null when it names none. */
export function modelFeaturesOf(card: ModelCard | null): string[] | null {
  if (!card) return null;
  const features = card.signature?.features.map((f) => f.name) ?? card.data.features ?? null;
  return features && features.length > 0 ? features : null;
}

/** How a path is shown to people (relative to the working directory when inside it). */
export type ShowPath = (path: string) => string;

/** `model@alias` or `model@3`. */
const MODEL_REF = /^([a-z0-9][a-z0-9._-]*)@([A-Za-z0-9][A-Za-z0-9._:-]*)$/;

/** The model and alias (or version) of a `model@alias` reference, or null when `text` is not one. */
export function parseModelRef(text: string): { model: string; ref: string } | null {
  const match = MODEL_REF.exec(text);
  return match ? { model: match[1]!, ref: match[2]! } : null;
}

/** A profile.json written by validate-data or train. */
export async function readProfile(path: string, shown: ShowPath): Promise<DatasetProfile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(
      `cannot read profile ${shown(path)}: ${(error as Error).message}`,
      'Give a profile.json written by validate-data or train.',
    );
  }
  const profile = value as Partial<DatasetProfile> | null;
  if (!profile || profile.format !== PROFILE_FORMAT || !Array.isArray(profile.columns) || typeof profile.rows !== 'number')
    throw new UserError(
      `${shown(path)} is not a data profile (format ${PROFILE_FORMAT})`,
      'Give a profile.json written by validate-data or train.',
    );
  return profile as DatasetProfile;
}

export interface FileSideOptions {
  format: DataFormat | 'auto';
  nullValues?: readonly string[];
  /** Read only these columns (null: every column). */
  only: ReadonlySet<string> | null;
  shown: ShowPath;
}

/** A side from data files or globs (absolute paths), or from profile.json files; never both. */
export async function sideFromFiles(
  entries: readonly string[],
  what: 'reference' | 'current',
  options: FileSideOptions,
): Promise<ResolvedSide> {
  const { shown } = options;
  const profiles = entries.filter((e) => /\.json$/i.test(e));
  if (profiles.length > 0) {
    if (profiles.length !== entries.length)
      throw new UserError(`${what}: mixes profile.json files with data files`, 'Give either data files or profiles for one side.');
    const read = await Promise.all(profiles.map((p) => readProfile(p, shown)));
    const profile = read.reduce((a, b) => mergeProfiles(a, b));
    return { side: sideFromProfile(profile), description: `profile ${profiles.map(shown).join(', ')}` };
  }
  const files = await expandPaths([...entries]);
  const read = await readSide(files, {
    format: options.format,
    nullValues: options.nullValues,
    ignore: new Set(LOG_COLUMNS),
    shown,
    only: options.only,
  });
  // Reports name files as the project does (relative to the working directory), never by this machine's paths.
  const side = { ...read, files: read.files.map(shown) };
  if (side.rows === 0)
    throw new UserError(`${what}: no data rows in ${files.map(shown).join(', ')}`, 'Check that the files hold rows below the header.');
  return {
    side,
    description:
      files.length === 1
        ? shown(files[0]!)
        : `${files.length} files (${files.slice(0, 3).map(shown).join(', ')}${files.length > 3 ? ', …' : ''})`,
  };
}

/** `model@ref`: the training profile registered with that version, pulled (alone, not the weights) into a temporary folder. */
export async function sideFromRegistry(registry: Registry, model: string, ref: string, shown: ShowPath): Promise<ResolvedSide> {
  if (!NAME_PATTERN.test(model)) throw new UserError(`reference ${model}@${ref}: "${model}" is not a model name`);
  let version;
  try {
    version = await registry.resolve(model, ref);
  } catch (error) {
    throw new UserError(
      `reference ${model}@${ref}: ${(error as Error).message}`,
      'Check the model name and the alias or version (mlops registry list), and the `registry` input.',
    );
  }
  if (!version.files.some((f) => f.path === TRAINING_PROFILE_FILE))
    throw new UserError(
      `reference ${model}@${ref} (version ${version.version}) has no ${TRAINING_PROFILE_FILE}`,
      'Models trained by this version of train store the profile of their training data; retrain and register, or give the training data as the reference.',
    );
  const dir = await mkdtemp(join(tmpdir(), 'mlops-drift-'));
  try {
    await registry.pull(model, String(version.version), dir, { paths: [TRAINING_PROFILE_FILE] });
    const profile = await readProfile(join(dir, TRAINING_PROFILE_FILE), shown);
    return {
      side: sideFromProfile(profile),
      description: `profile of ${model} version ${version.version} (${ref})`,
      modelFeatures: modelFeaturesOf(version.card),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
