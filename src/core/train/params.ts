/**
 * Training parameters: the keys every run has (the algorithm, the task, the split, the
 * seed, the preprocessing) and each model kind's own (kinds/*: epochs, hidden, ...).
 * They come from mlops.yaml's `train:` section, a params file, and the step's inputs.
 * `algorithm: auto` keeps only the kind keys you set: each candidate kind fills in its
 * own defaults (candidateParams), so the card records your setting, not one kind's.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { ALGORITHMS, DEFAULT_ALGORITHM, kindParams, kindParamShapes } from '../model/kinds.js';
import type { Algorithm } from '../model/kinds.js';
import { formatZodError } from '../zod-errors.js';

/** `algorithm: auto`: every built-in kind trained on the same split, the best on validation kept. */
export const AUTO_ALGORITHM = 'auto';

/** What `algorithm` may be: a model kind, or auto (the `algorithm` input's choices too). */
export const ALGORITHM_CHOICES = [...ALGORITHMS, AUTO_ALGORITHM] as [Algorithm | typeof AUTO_ALGORITHM, ...Array<Algorithm | 'auto'>];

/** The keys of every run, whatever the kind. */
const RUN_PARAMS = {
  /** The model kind (a key of MODEL_KINDS), or auto. */
  algorithm: z.enum(ALGORITHM_CHOICES).default(DEFAULT_ALGORITHM),
  /** auto: classification for text targets or few whole numbers, else regression. */
  task: z.enum(['auto', 'classification', 'regression']).default('auto'),
  validation_split: z.number().min(0).max(0.9).default(0.2),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** Feature columns (default: all but the target). */
  features: z.array(z.string()).min(1).optional(),
  /** Most frequent values one-hot encoded per text column; the rest share an "unknown" slot. */
  max_categories: z.number().int().min(1).max(10000).default(100),
};

type RunParams = z.output<z.ZodObject<typeof RUN_PARAMS>>;

/** The parameters of a run: the run's keys and the chosen kind's (with defaults), flat, as the model card records them. */
export type TrainParams = RunParams & { readonly [key: string]: unknown };

/** Every parameter key: the run's and every kind's (a sweep switches algorithm with one file, so no kind's key is an error). */
const ALL_PARAMS: Record<string, z.ZodType> = { ...RUN_PARAMS, ...kindParamShapes() };

/** The same keys, each optional and without its default (defaults apply when a run's parameters are resolved). */
function withoutDefaults(shape: Record<string, z.ZodType>): Record<string, z.ZodType> {
  return Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [
      key,
      (schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema).optional(),
    ]),
  );
}

/**
 * mlops.yaml's `train:` section: every parameter (optional: defaults apply when the run
 * is resolved, not here), `command`, `model` (the old name of `algorithm`), and any key
 * of your own trainer's.
 */
export const TrainSection = z
  .object({
    ...withoutDefaults(ALL_PARAMS),
    /** Your own trainer instead of the built-in kinds. */
    command: z.string().optional(),
    /** Renamed `algorithm` (model now names the model in the registry): still read, with a warning, for one release. */
    model: z.enum(ALGORITHMS).optional(),
  })
  // Any other key is a parameter of your own trainer (train.command), handed over in MLOPS_PARAMS_FILE;
  // for the built-in kinds an unknown key is an error when the run's parameters are resolved (parseTrainParams).
  .catchall(z.unknown());
export type TrainSection = Record<string, unknown>;

/**
 * Validates parameters; `where` names their source in errors (a file, or "train in
 * mlops.yaml"). For the built-in kinds every key must be one of theirs, and defaults
 * fill the rest. Your own trainer (`command`) gets exactly the keys you set, whatever
 * they are: the built-in schema and defaults are not its business.
 */
export function parseTrainParams(value: unknown, where: string, trainer: 'builtin' | 'command' = 'builtin'): TrainParams {
  if (trainer === 'command') {
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value)))
      throw new UserError(`${where}: expected a mapping of parameter names to values`);
    return { ...(value as Record<string, unknown> | undefined) } as TrainParams;
  }
  const result = z.strictObject(ALL_PARAMS).safeParse(value ?? {});
  if (!result.success)
    throw new UserError(
      `${where}: invalid training parameters:\n${formatZodError(result.error)}`,
      'See the README section "train" for every parameter; a key of your own trainer needs train.command (it gets every key in MLOPS_PARAMS_FILE).',
    );
  const run = z.object(RUN_PARAMS).parse(result.data);
  if (run.algorithm !== AUTO_ALGORITHM) return { ...run, ...kindParams(run.algorithm, result.data) };
  // auto: only the keys you set; each candidate fills in its own kind's defaults (candidateParams).
  const given = value && typeof value === 'object' ? Object.keys(value) : [];
  const yours = Object.fromEntries(
    given.filter((key) => !Object.hasOwn(RUN_PARAMS, key) && result.data[key] !== undefined).map((key) => [key, result.data[key]]),
  );
  return { ...run, ...yours };
}

/** The parameters of one candidate of an auto run: the run's keys, your keys, and `algorithm`'s defaults for the rest. */
export function candidateParams(params: TrainParams, algorithm: Algorithm): TrainParams {
  return { ...params, ...kindParams(algorithm, params as Record<string, unknown>), algorithm };
}

/**
 * `model: mlp` in a train section or params file: the old name of `algorithm`. Returns
 * the parameters with it renamed, and calls `warn` once to say so.
 */
export function renameLegacyModelKey(
  params: Readonly<Record<string, unknown>>,
  where: string,
  warn: (message: string) => void,
): Record<string, unknown> {
  if (!Object.hasOwn(params, 'model') || params.model === undefined) return { ...params };
  const { model, ...rest } = params;
  if (rest.algorithm !== undefined && rest.algorithm !== model)
    throw new UserError(
      `${where}: both model (${String(model)}) and algorithm (${String(rest.algorithm)}) are set`,
      '`model` is the old name of `algorithm`: keep only `algorithm`.',
    );
  warn(
    `${where}: \`model: ${String(model)}\` is now \`algorithm: ${String(model)}\` (\`model\` names the model in the registry). ` +
      'Rename it: the old key is still read in this release only.',
  );
  return { ...rest, algorithm: rest.algorithm ?? model };
}

/** A params file (YAML, or JSON by its extension): a mapping of parameter names to values. */
export async function readParamsFile(path: string, shown: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`cannot read params file ${shown}`, 'Check the `params` input; it is relative to the working directory.');
  }
  let value: unknown;
  try {
    value = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UserError(`${shown}: ${(error as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${shown}: expected a mapping of parameter names to values`);
  return value as Record<string, unknown>;
}
