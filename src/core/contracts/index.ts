/**
 * The files steps hand each other, declared once: the model card (train -> evaluate,
 * register, deploy, serve), the blessing (evaluate -> register, deploy), the evaluation
 * (evaluate -> a later evaluate's baseline) and the saved pull request comment
 * (evaluate -> report). Each has a zod schema, a file name, and one read and one write
 * function; nothing else spells these file names or reads these files.
 *
 * Schemas are loose objects: a file written by a newer version with more keys still
 * reads, and the keys we rely on are checked.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { formatZodError } from '../zod-errors.js';

export const FILE_NAMES = {
  modelCard: 'model-card.json',
  blessing: 'blessing.json',
  evaluation: 'evaluation.json',
  savedComment: 'comment.json',
  metrics: 'metrics.json',
} as const;

const MetricValues = z.record(z.string(), z.number().nullable());
const FileHash = z.looseObject({ path: z.string(), sha256: z.string(), bytes: z.number().optional() });

// ── Model card ────────────────────────────────────────────────────────────────

export const MODEL_CARD_FORMAT = 'mlops-model-card/v1';

export const Trainer = z.union([
  z.looseObject({
    kind: z.literal('builtin'),
    version: z.string(),
    build: z.string().optional(),
    /** The model kind (algorithm) trained: mlp, linear, ... */
    algorithm: z.string().optional(),
    /** The same, as cards before `algorithm` named it. */
    model: z.string().optional(),
    backend: z.string().optional(),
  }),
  z.looseObject({
    kind: z.literal('command'),
    command: z.string(),
    code: z.array(z.looseObject({ path: z.string(), sha256: z.string() })).default([]),
  }),
]);
export type Trainer = z.infer<typeof Trainer>;

/** What a model takes and gives, whatever trained it (model.ts ModelSignature). */
export const Signature = z.object({
  features: z.array(z.object({ name: z.string(), type: z.enum(['number', 'string']) })),
  target: z.union([
    z.object({ name: z.string(), task: z.literal('classification'), classes: z.array(z.string()) }),
    z.object({ name: z.string(), task: z.literal('regression') }),
  ]),
  probabilities: z.boolean().default(true),
});

const TensorDescription = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number()) });

/** The model file: ONNX, with the graph's inputs and outputs as KServe's OIP v2 names their types. */
export const ModelFile = z.looseObject({
  format: z.literal('onnx'),
  file: z.string(),
  sha256: z.string(),
  bytes: z.number(),
  producer: z.string(),
  opsets: z.record(z.string(), z.number()),
  inputs: z.array(TensorDescription),
  outputs: z.array(TensorDescription),
});
export type ModelFile = z.infer<typeof ModelFile>;

export const ModelCard = z.looseObject({
  format: z.literal(MODEL_CARD_FORMAT),
  name: z.string(),
  task: z.enum(['classification', 'regression']).optional(),
  trainer: Trainer,
  /** The model file (cards before ONNX have none: their directory is converted when loaded). */
  model: ModelFile.optional(),
  signature: Signature.optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  paramSources: z.string().optional(),
  data: z.looseObject({
    target: z.string(),
    features: z.array(z.string()).optional(),
    classes: z.array(z.string()).nullable().optional(),
    files: z.array(FileHash).default([]),
    rows: z.unknown().optional(),
  }),
  hashes: z.looseObject({ data: z.string(), params: z.string(), code: z.string(), cacheKey: z.string() }).partial().optional(),
  git: z.looseObject({ commit: z.string().nullable(), ref: z.string().nullable() }).partial().optional(),
  run: z.looseObject({ url: z.string().nullable(), id: z.string().nullable(), attempt: z.string().nullable() }).partial().optional(),
  trainedAt: z.string().optional(),
  durationMs: z.number().optional(),
  epochs: z
    .looseObject({ run: z.number(), best: z.number(), stoppedEarly: z.boolean().optional(), trainingMs: z.number().optional() })
    .optional(),
  // Numbers today; cards written by earlier versions held full metrics (per-class lists, matrices) here too.
  metrics: z
    .looseObject({ train: z.record(z.string(), z.unknown()).optional(), validation: z.record(z.string(), z.unknown()).optional() })
    .default({}),
  /** algorithm: auto: every candidate kind with its validation metrics and training time; the kept one is `chosen`. */
  leaderboard: z
    .array(z.looseObject({ algorithm: z.string(), validation: MetricValues, trainingMs: z.number(), chosen: z.boolean() }))
    .optional(),
  /** Permutation feature importance of the kept model (the drop in `metric` when one column is shuffled), most important first. */
  importance: z
    .looseObject({
      method: z.literal('permutation'),
      metric: z.string(),
      rows: z.number(),
      repeats: z.number(),
      /** The rows scored: validation, or training when the run had no validation split. */
      on: z.enum(['validation', 'training']).optional(),
      features: z.array(z.looseObject({ name: z.string(), mean: z.number(), std: z.number() })),
    })
    .optional(),
});
export type ModelCard = z.infer<typeof ModelCard>;

// ── Blessing ──────────────────────────────────────────────────────────────────

export const BLESSING_FORMAT = 'mlops-blessing/v1';

/**
 * The conversion fidelity check of evaluate (core/evaluate/fidelity.ts): the ONNX graph against
 * the original framework's reference predictions. In the blessing and evaluation.json; absent
 * or null when the model directory held no reference predictions (or before the check existed).
 */
export const FidelityCheck = z.looseObject({
  file: z.string(),
  task: z.enum(['classification', 'regression']),
  rows: z.number().int().min(0),
  alignedWith: z.enum(['reference file', 'test data']),
  labelAgreement: z.number().min(0).max(1).nullable(),
  differingLabels: z.number().int().min(0).nullable(),
  maxDifference: z.number().nullable(),
  nonFiniteRows: z.number().int().min(0).default(0),
  maxDifferenceAt: z.looseObject({ row: z.number(), column: z.string(), reference: z.number(), model: z.number() }).nullable(),
  tolerance: z.looseObject({ maxDifference: z.number(), minLabelAgreement: z.number() }),
  passed: z.boolean(),
  reasons: z.array(z.string()),
});
export type FidelityCheck = z.infer<typeof FidelityCheck>;

export const Blessing = z.looseObject({
  format: z.literal(BLESSING_FORMAT),
  blessed: z.boolean(),
  reasons: z.array(z.string()),
  checks: z.array(z.looseObject({ metric: z.string().optional() })).default([]),
  /**
   * The model judged: its name, where it was read, and the sha256 of its model.onnx
   * (`sha256:<hex>`; null when evaluate judged a predictions file). register refuses a
   * blessing whose digest is not that of the model it registers.
   */
  model: z.looseObject({ name: z.string(), source: z.string(), digest: z.string().nullable().optional() }),
  metrics: MetricValues.default({}),
  baseline: z.looseObject({ source: z.string() }).nullable().default(null),
  /** The conversion fidelity check; a failed one is among the reasons. */
  fidelity: FidelityCheck.nullable().optional(),
  evaluatedAt: z.string(),
});
export type Blessing = z.infer<typeof Blessing>;

// ── Evaluation ────────────────────────────────────────────────────────────────

/** evaluation.json: the report data without curves; later evaluations read its candidate metrics as a baseline. */
export const Evaluation = z.looseObject({
  modelName: z.string(),
  candidate: z.looseObject({ source: z.string(), metrics: z.record(z.string(), z.unknown()) }),
  /** How the task of a predictions file was chosen; null for a model. */
  taskReason: z.string().nullable().optional(),
  fidelity: FidelityCheck.nullable().optional(),
  evaluatedAt: z.string(),
});
export type Evaluation = z.infer<typeof Evaluation>;

// ── Saved pull request comment ────────────────────────────────────────────────

export const SAVED_COMMENT_FORMAT = 'mlops-comment/v1';

/** What a pull request run saves for the fork-safe reporter. Untrusted when read back: bounded everywhere. */
export const SavedComment = z.object({
  format: z.literal(SAVED_COMMENT_FORMAT),
  pullRequest: z.number().int().positive(),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
  key: z.string().min(1).max(200),
  header: z.string().max(65_536),
  sections: z.array(z.object({ title: z.string().max(500), body: z.string(), fold: z.boolean().optional() })).max(50),
  footer: z.string().max(2000),
});
export type SavedComment = z.infer<typeof SavedComment>;

// ── Reading and writing ───────────────────────────────────────────────────────

interface Contract<T> {
  schema: z.ZodType<T>;
  file: string;
  what: string;
  hint: string;
}

const CONTRACTS = {
  modelCard: {
    schema: ModelCard,
    file: FILE_NAMES.modelCard,
    what: 'a model card',
    hint: 'Train the model with `train` (or write model-card.json as the README describes).',
  },
  blessing: {
    schema: Blessing,
    file: FILE_NAMES.blessing,
    what: 'a blessing of evaluate',
    hint: 'Run evaluate on this model first: it writes blessing.json.',
  },
  evaluation: {
    schema: Evaluation,
    file: FILE_NAMES.evaluation,
    what: 'an evaluation of evaluate',
    hint: 'Give the evaluation.json that evaluate wrote.',
  },
  savedComment: {
    schema: SavedComment,
    file: FILE_NAMES.savedComment,
    what: 'a saved comment of evaluate',
    hint: 'Give the comment.json of a pull request run of evaluate.',
  },
} satisfies Record<string, Contract<unknown>>;

type Contracts = typeof CONTRACTS;
type ContractName = keyof Contracts;
type ValueOf<N extends ContractName> = z.infer<Contracts[N]['schema']>;

/** Checks a value against a contract; a UserError naming `source` and every bad key otherwise. */
export function parseContract<N extends ContractName>(name: N, value: unknown, source: string): ValueOf<N> {
  const contract = CONTRACTS[name];
  const result = (contract.schema as unknown as z.ZodType<ValueOf<N>>).safeParse(value);
  if (!result.success) throw new UserError(`${source} is not ${contract.what}:\n${formatZodError(result.error)}`, contract.hint);
  return result.data;
}

/** The path of a contract's file in `dir`. */
export function contractPath(name: ContractName, dir: string): string {
  return join(dir, CONTRACTS[name].file);
}

/**
 * Reads a contract file: `path` is the file itself or a folder holding it (by its
 * standard name). null when the file does not exist; a UserError when it is not valid.
 */
export async function readContract<N extends ContractName>(name: N, path: string, shownAs = path): Promise<ValueOf<N> | null> {
  const file = path.endsWith('.json') ? path : contractPath(name, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${shownAs}: not valid JSON (${(error as Error).message})`, CONTRACTS[name].hint);
  }
  return parseContract(name, value, shownAs);
}

/** Writes a contract file atomically (checked first: nothing invalid is written); returns its path. */
export async function writeContract<N extends ContractName>(name: N, dir: string, value: ValueOf<N>): Promise<string> {
  const checked = parseContract(name, value, `the ${CONTRACTS[name].file} being written`);
  const file = contractPath(name, dir);
  await writeFileAtomic(file, `${JSON.stringify(checked, null, 2)}\n`);
  return file;
}
