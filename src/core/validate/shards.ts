/**
 * Sharded validation: several runs each validate a shard of the files, keep what a merge
 * needs, and one merge judges the whole data set, giving the report, profile and results
 * one run over all the files (in shard order) would give.
 *
 * A shard's folder holds, besides its own report.md, profile.json and validation.json:
 * - shard.json: the settings it was read with (a digest of the schema, the null values,
 *   the sample limit), its files, rows, bytes and time, its profile (mergeable by design),
 *   the anomalies of single files, and per schema column the check counts with their
 *   first sample rows, before any `mostly` tolerance or null fraction is judged;
 * - unique-<n>.jsonl, for the n-th schema column when it is declared unique: one line per
 *   distinct value, `[value, file index * 2^32 + row, line]` (where it was first seen).
 *   Its cost is the column's distinct values, each with about 20 characters more; the
 *   merge holds them all in memory, as one run over all the files does. Lines are written
 *   and read as a stream, so neither side builds one large string.
 *
 * The merge adds up the profiles (mergeProfiles), the check counts and samples (the
 * earliest by file order, as one run keeps them) and the unique values (a value first
 * seen in an earlier shard makes its first place in a later shard a repeat), then applies
 * every dataset-level check with the same function one run uses (judge.ts). Anomalies,
 * counts, samples, null fractions, distinct counts and frequent values are exactly one
 * run's; means and deviations agree to rounding; quantiles and histograms come from
 * merged KLL sketches, exact while a column has at most 256 values and, beyond, within
 * the sketch's error bound (about 1% of rank) rather than equal to one pass's estimate
 * (as they also differ between one and several reader threads).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { glob, isDynamicPattern } from 'tinyglobby';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { PROFILE_FORMAT, mergeProfiles } from '../profile/profile.js';
import type { ColumnProfileState, DatasetProfile } from '../profile/profile.js';
import type { DataSchema } from '../schema/schema.js';
import { formatZodError } from '../zod-errors.js';
import { ANOMALY_KINDS } from './anomalies.js';
import type { Anomaly, AnomalyKind } from './anomalies.js';
import { TALLY_NAMES } from './column-checks.js';
import type { TallyName, TallyState } from './column-checks.js';
import { DatasetState } from './dataset-state.js';
import { judgeDataset } from './judge.js';
import type { ScanResult } from './scan.js';

export const SHARD_FORMAT = 'mlops-validation-shard/v1';
export const SHARD_FILE = 'shard.json';
const FILE_STRIDE = 4294967296;
/** Unique values handed to a checker at once while a file streams in. */
const UNIQUE_BATCH = 4096;

/** What decides how rows were read and judged: shards merge only with the same settings. */
export interface ShardSettings {
  /** sha256 of the schema (as parsed), or null without one. */
  schema: string | null;
  nullValues: string[];
  sampleLimit: number;
}

export function shardSettings(schema: DataSchema | null, nullValues: readonly string[], sampleLimit: number): ShardSettings {
  return {
    schema: schema ? createHash('sha256').update(JSON.stringify(schema)).digest('hex') : null,
    nullValues: [...nullValues],
    sampleLimit,
  };
}

const Sample = z.object({ file: z.string(), row: z.number(), line: z.number(), value: z.string() });
const Tally = z.object({ count: z.number().int().min(0), samples: z.array(Sample), note: z.string().optional() });
const Tallies = z.object(Object.fromEntries(TALLY_NAMES.map((name) => [name, Tally])) as Record<TallyName, typeof Tally>);
const AnomalyJson = z.looseObject({
  kind: z.enum(Object.keys(ANOMALY_KINDS) as [AnomalyKind, ...AnomalyKind[]]),
  severity: z.enum(['error', 'warning']),
  column: z.string().optional(),
  file: z.string().optional(),
  message: z.string(),
  expected: z.string().optional(),
  unexpectedCount: z.number().optional(),
  checked: z.number().optional(),
  unexpectedFraction: z.number().optional(),
  mostly: z.number().optional(),
  samples: z.array(Sample),
});
const ColumnProfileJson = z.looseObject({
  name: z.string(),
  counts: z.record(z.string(), z.number()),
  distinct: z.looseObject({}),
  top: z.looseObject({}),
});
const ShardJson = z.looseObject({
  format: z.literal(SHARD_FORMAT),
  settings: z.object({ schema: z.string().nullable(), nullValues: z.array(z.string()), sampleLimit: z.number().int().min(0) }),
  files: z.array(z.string()),
  rows: z.number().int().min(0),
  bytes: z.number().min(0),
  elapsedMs: z.number().min(0),
  profile: z.looseObject({
    format: z.literal(PROFILE_FORMAT),
    rows: z.number().int().min(0),
    files: z.array(z.string()),
    columns: z.array(ColumnProfileJson),
  }),
  fileAnomalies: z.array(AnomalyJson),
  checkers: z.array(
    z.object({
      column: z.string(),
      checked: z.number().int().min(0),
      tallies: Tallies,
      /** Distinct values in unique-<n>.jsonl (n: this entry's position), or null for a column not declared unique. */
      uniqueValues: z.number().int().min(0).nullable(),
    }),
  ),
});

/** shard.json, as written and read. */
export interface ShardFile {
  format: typeof SHARD_FORMAT;
  settings: ShardSettings;
  files: string[];
  rows: number;
  bytes: number;
  elapsedMs: number;
  profile: DatasetProfile;
  fileAnomalies: Anomaly[];
  checkers: Array<{ column: string; checked: number; tallies: Record<TallyName, TallyState>; uniqueValues: number | null }>;
}

/** A shard read from its folder. */
export interface LoadedShard {
  /** The folder, as people know it. */
  shownAs: string;
  dir: string;
  shard: ShardFile;
}

const uniqueFile = (index: number): string => `unique-${index}.jsonl`;

/** Writes shard.json (and the unique values' files) of a scan made with `mergeable` into `dir`; returns shard.json's path. */
export async function writeShard(dir: string, scan: ScanResult, settings: ShardSettings): Promise<string> {
  if (!scan.shard) throw new Error('writeShard needs a scan made with mergeable: true');
  const checkers: ShardFile['checkers'] = [];
  for (const [index, checker] of scan.shard.checkers.entries()) {
    const { checked, tallies } = checker.toState(false);
    let uniqueValues: number | null = null;
    if (checker.tracksUnique) uniqueValues = await writeLines(join(dir, uniqueFile(index)), checker.uniqueEntries());
    checkers.push({ column: checker.name, checked, tallies, uniqueValues });
  }
  const shard: ShardFile = {
    format: SHARD_FORMAT,
    settings,
    files: scan.profile.files,
    rows: scan.rows,
    bytes: scan.bytes,
    elapsedMs: scan.elapsedMs,
    profile: scan.profile,
    fileAnomalies: scan.shard.fileAnomalies,
    checkers,
  };
  const path = join(dir, SHARD_FILE);
  await writeFileAtomic(path, `${JSON.stringify(shard)}\n`);
  return path;
}

/** One JSON line per entry, written as a stream; returns the lines written. */
async function writeLines(path: string, entries: Iterable<unknown>): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  let chunk = '';
  const flush = async () => {
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  for (const entry of entries) {
    chunk += `${JSON.stringify(entry)}\n`;
    count++;
    if (chunk.length >= 1 << 16) await flush();
  }
  if (chunk !== '') await flush();
  out.end();
  await finished(out);
  return count;
}

/**
 * The shard folders `patterns` name, in the order given: folders holding shard.json, shard.json
 * files, or globs of either (each glob's matches sorted).
 */
export async function findShards(patterns: readonly string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const pattern of patterns) {
    if (!isDynamicPattern(pattern)) {
      dirs.push(pattern.endsWith(SHARD_FILE) ? join(pattern, '..') : pattern);
      continue;
    }
    const matches = (await glob(pattern, { absolute: true, onlyFiles: false, expandDirectories: false })).sort();
    const found: string[] = [];
    for (const match of matches) {
      const path = match.replace(/\/$/, '');
      if (path.endsWith(`/${SHARD_FILE}`)) found.push(join(path, '..'));
      else if ((await stat(join(path, SHARD_FILE)).catch(() => null))?.isFile()) found.push(path);
    }
    if (found.length === 0)
      throw new UserError(
        `no shard matches ${pattern}`,
        `Each shard's folder holds ${SHARD_FILE} (validate-data with mergeable: true writes it).`,
      );
    dirs.push(...found);
  }
  return dirs;
}

/** Reads and checks a shard's shard.json; `shownAs` names the folder in messages. */
export async function readShard(dir: string, shownAs: string): Promise<LoadedShard> {
  const where = join(shownAs, SHARD_FILE);
  let text: string;
  try {
    text = await readFile(join(dir, SHARD_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read ${where}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`,
      'Give the folders the shards wrote (or downloaded from their artifacts); validate-data writes shard.json with mergeable: true.',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${where} is not valid JSON (${(error as Error).message.slice(0, 200)})`, 'Validate the shard again.');
  }
  const parsed = ShardJson.safeParse(value);
  if (!parsed.success)
    throw new UserError(
      `${where} is not a validation shard (${SHARD_FORMAT}):\n${formatZodError(parsed.error)}`,
      'Validate the shard again with this version of validate-data.',
    );
  // The file as written (its keys in their order), now that its shape is checked.
  return { dir, shownAs, shard: value as ShardFile };
}

/**
 * Merges shards, given in shard order, into one scan: what one run over their files, in that
 * order, would have found. `settings` are the merge's own (they must be every shard's).
 */
export async function mergeShards(shards: readonly LoadedShard[], schema: DataSchema | null, settings: ShardSettings): Promise<ScanResult> {
  const started = performance.now();
  if (shards.length === 0) throw new UserError('no shards to merge', 'Give the shards’ folders (input `shards`).');
  const seen = new Map<string, string>();
  for (const { shard, shownAs } of shards) {
    const differs = settingsDifference(shard.settings, settings);
    if (differs)
      throw new UserError(
        `shard ${shownAs} was validated with ${differs} than this merge`,
        'Validate every shard and merge them with the same schema and mlops.yaml (data.null_values, validate.sample_rows).',
      );
    for (const file of shard.files) {
      const other = seen.get(file);
      if (other !== undefined)
        throw new UserError(
          `${file} is in two shards (${other} and ${shownAs}): its rows would count twice`,
          'Give each file to one shard only.',
        );
      seen.set(file, shownAs);
    }
  }

  const profile = orderColumns(shards.map((s) => s.shard.profile).reduce(mergeProfiles), schema);
  const state = new DatasetState({ schema, nullValues: settings.nullValues, sampleLimit: settings.sampleLimit });
  const fileAnomalies: Anomaly[] = [];
  let bytes = 0;
  let elapsedMs = 0;
  for (const { shard, dir, shownAs } of shards) {
    const offset = state.files.length;
    state.files.push(...shard.files);
    fileAnomalies.push(...shard.fileAnomalies);
    bytes += shard.bytes;
    elapsedMs += shard.elapsedMs;
    for (const [index, entry] of shard.checkers.entries()) {
      const checker = state.columnFor(entry.column).checker;
      if (!checker)
        throw new UserError(
          `shard ${shownAs} checks column "${entry.column}", which the schema does not have`,
          'Validate the shard again.',
        );
      checker.absorbCounts(entry);
      if (entry.uniqueValues !== null && checker.tracksUnique) {
        const read = await readUnique(join(dir, uniqueFile(index)), join(shownAs, uniqueFile(index)), shard.files.length, (batch) =>
          checker.absorbUnique(batch, offset),
        );
        if (read !== entry.uniqueValues)
          throw new UserError(
            `${join(shownAs, uniqueFile(index))} holds ${read} values; ${SHARD_FILE} says ${entry.uniqueValues}`,
            'The shard is incomplete: validate it again.',
          );
      }
    }
  }
  const checkers = [...state.columns.values()].flatMap((column) => (column.checker ? [column.checker] : []));
  const anomalies = judgeDataset({ schema, profile, fileAnomalies, checkers });
  return { profile, anomalies, rows: profile.rows, bytes, elapsedMs: elapsedMs + (performance.now() - started), shard: null };
}

function settingsDifference(shard: ShardSettings, merge: ShardSettings): string | null {
  if (shard.schema !== merge.schema)
    return shard.schema === null ? 'no schema' : merge.schema === null ? 'a schema (the merge has none)' : 'another schema';
  if (JSON.stringify(shard.nullValues) !== JSON.stringify(merge.nullValues)) return 'other null values (data.null_values)';
  if (shard.sampleLimit !== merge.sampleLimit) return `${shard.sampleLimit} sample rows (validate.sample_rows), not ${merge.sampleLimit},`;
  return null;
}

/** The columns as one run orders them: the schema's first, in schema order, then the others as first seen. */
function orderColumns(profile: DatasetProfile, schema: DataSchema | null): DatasetProfile {
  if (!schema) return profile;
  const byName = new Map<string, ColumnProfileState>(profile.columns.map((c) => [c.name, c]));
  const columns: ColumnProfileState[] = [];
  for (const name of Object.keys(schema.columns)) {
    const column = byName.get(name);
    if (column) columns.push(column);
    byName.delete(name);
  }
  columns.push(...byName.values());
  return { ...profile, columns };
}

/** Streams a unique-<n>.jsonl into `absorb`, in batches; returns the values read. */
async function readUnique(
  path: string,
  shownAs: string,
  files: number,
  absorb: (batch: Array<[string, number, number]>) => void,
): Promise<number> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let batch: Array<[string, number, number]> = [];
  let count = 0;
  try {
    for await (const line of lines) {
      if (line === '') continue;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = null;
      }
      if (!isUniqueEntry(entry, files))
        throw new UserError(`${shownAs} line ${count + 1} is not [value, place, line]`, 'The shard is damaged: validate it again.');
      batch.push(entry);
      count++;
      if (batch.length >= UNIQUE_BATCH) {
        absorb(batch);
        batch = [];
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError(`cannot read ${shownAs}: no such file`, 'The shard is incomplete: validate it again.');
    throw error;
  }
  absorb(batch);
  return count;
}

function isUniqueEntry(entry: unknown, files: number): entry is [string, number, number] {
  return (
    Array.isArray(entry) &&
    entry.length === 3 &&
    typeof entry[0] === 'string' &&
    Number.isSafeInteger(entry[1]) &&
    (entry[1] as number) >= 0 &&
    Math.floor((entry[1] as number) / FILE_STRIDE) < files &&
    Number.isSafeInteger(entry[2])
  );
}
