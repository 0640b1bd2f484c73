/**
 * mlops.yaml: the one project file users keep in their repository. Paths in it are
 * relative to the file's folder. Action inputs and CLI flags override it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { DATA_FORMATS } from '../data/source.js';
import { UserError } from '../errors.js';
import { SigningSettings } from '../signing/schema.js';
import { formatZodError } from '../zod-errors.js';

export const DEFAULT_CONFIG_FILE = 'mlops.yaml';

const PathList = z.union([z.string(), z.array(z.string()).min(1)]);
const FailOn = z.enum(['error', 'warning', 'never']);
export type FailOn = z.infer<typeof FailOn>;
const Format = z.enum(['auto', ...DATA_FORMATS]);

/** A section a later step will read; kept as written until then. */
const Later = z.record(z.string(), z.unknown());

const BASE = {
  version: z.literal(1).default(1),
  /** A name for reports. */
  project: z.string().optional(),
  data: z
    .strictObject({
      /** Training data: a file, a glob, or a list of them. */
      path: PathList.optional(),
      /** Held-out test data. */
      test: PathList.optional(),
      /** auto (from the file name), csv, tsv, jsonl or parquet. */
      format: Format.optional(),
      /** The data schema (YAML). */
      schema: z.string().optional(),
      /** The label column. */
      target: z.string().optional(),
      /** Texts read as missing values. */
      null_values: z.array(z.string()).optional(),
    })
    .default({}),
  validate: z
    .strictObject({
      fail_on: FailOn.optional(),
      /** Sample rows shown per anomaly. */
      sample_rows: z.number().int().min(0).max(100).optional(),
      /** A string column with at most this many distinct values gets a domain in infer-schema. */
      max_domain_size: z.number().int().min(0).optional(),
    })
    .default({}),
  model: z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"') }).optional(),
  /** Where step outputs go (default .mlops beside mlops.yaml). */
  output_dir: z.string().optional(),
  train: Later.optional(),
  evaluate: Later.optional(),
  registry: Later.optional(),
  environments: Later.optional(),
  drift: Later.optional(),
  /** Signing at register, verification at deploy and serve (core/signing/settings.ts). */
  signing: SigningSettings.optional(),
};

/** mlops.yaml with every step's section as written (each step checks its own section; see projectConfig). */
export const Config = z.strictObject(BASE);
export type Config = z.infer<typeof Config>;

/**
 * The schema of the whole mlops.yaml: the shared keys and each step's own section
 * (`sections`: key -> that step's schema), so one load rejects a typo anywhere with its
 * key path, before any step does work.
 */
export function projectConfig(sections: Record<string, z.ZodType>): z.ZodType<Config> {
  const shape: Record<string, z.ZodType> = { ...BASE };
  for (const [key, schema] of Object.entries(sections)) shape[key] = schema.optional();
  return z.strictObject(shape) as unknown as z.ZodType<Config>;
}

export interface LoadedConfig {
  config: Config;
  /** The file it came from, or null when none was found. */
  file: string | null;
  /** The folder paths in the file are relative to. */
  baseDir: string;
}

/**
 * Reads the config. An explicit path must exist; without one, `mlops.yaml` in the
 * working directory is read when present, else every setting takes its default.
 */
export async function loadConfig(path: string | undefined, cwd = process.cwd(), schema: z.ZodType = Config): Promise<LoadedConfig> {
  const explicit = path !== undefined && path !== '';
  const file = resolve(cwd, explicit ? path : DEFAULT_CONFIG_FILE);
  if (!explicit && !existsSync(file)) return { config: schema.parse({}) as Config, file: null, baseDir: cwd };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read config ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`,
      'Check the `config` input (or --config); it is relative to the working directory.',
    );
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new UserError(
      `${path ?? DEFAULT_CONFIG_FILE}: not valid YAML: ${document.errors[0]!.message}`,
      'Fix the YAML syntax at the line shown.',
    );
  }
  const result = schema.safeParse(document.toJS() ?? {});
  if (!result.success) {
    throw new UserError(
      `${path ?? DEFAULT_CONFIG_FILE}: invalid settings:\n${formatZodError(result.error)}`,
      'See the README section "mlops.yaml" for every key and its allowed values.',
    );
  }
  return { config: result.data as Config, file, baseDir: dirname(file) };
}

/** A path from the config, made absolute against the config's folder. */
export function configPath(loaded: LoadedConfig, path: string): string {
  return isAbsolute(path) ? path : resolve(loaded.baseDir, path);
}

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
