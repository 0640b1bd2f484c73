/**
 * A model directory: the kind's own files (kinds/*), preprocess.json (the fitted
 * preprocessing every kind shares) and model-card.json (lineage and metrics, through
 * contracts/). Loading finds the kind from the card (trainer.algorithm), else from the
 * files that are there, and goes through the model seam: callers get a TabularModel.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readContract } from '../contracts/index.js';
import type { ModelCard } from '../contracts/index.js';
import { UserError } from '../errors.js';
import { isAlgorithm, MODEL_KINDS, modelKind } from './kinds.js';
import type { Algorithm } from './kinds.js';
import type { TabularModel } from './model.js';
import { PREPROCESS_FORMAT } from './preprocess.js';
import type { Preprocessor } from './preprocess.js';

export const PREPROCESS_FILE = 'preprocess.json';

export interface LoadedModel {
  model: TabularModel;
  preprocess: Preprocessor;
  /** The model card, or null when there is none (or it cannot be read: the card is lineage, not needed to predict). */
  card: ModelCard | null;
}

/** Writes a fitted model's files and its preprocessing into `dir` (which exists). */
export async function saveModelFiles(dir: string, model: TabularModel): Promise<void> {
  await model.save(dir);
  await writeFile(join(dir, PREPROCESS_FILE), `${JSON.stringify(model.preprocess, null, 2)}\n`);
}

/** The kind a model directory holds: as its card says, else the first kind whose files are all there. */
function kindOf(dir: string, card: ModelCard | null): Algorithm {
  const trainer = card?.trainer as { kind: string; algorithm?: unknown; model?: unknown } | undefined;
  const named = trainer?.kind === 'builtin' ? (trainer.algorithm ?? trainer.model) : undefined;
  if (typeof named === 'string' && isAlgorithm(named)) return named;
  for (const [name, kind] of Object.entries(MODEL_KINDS))
    if (kind.files.every((file) => existsSync(join(dir, file)))) return name as Algorithm;
  const expected = [...new Set(Object.values(MODEL_KINDS).flatMap((kind) => kind.files))];
  throw new UserError(
    `${dir} is not a model directory: ${expected[0]} is missing`,
    `Point at the model-dir output of train (it holds ${[...expected, PREPROCESS_FILE].join(', ')}).`,
  );
}

/** Loads a model directory written by `train`. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  let card: ModelCard | null;
  try {
    card = await readContract('modelCard', dir);
  } catch {
    card = null;
  }
  const kind = modelKind(kindOf(dir, card));
  let text: string;
  try {
    text = await readFile(join(dir, PREPROCESS_FILE), 'utf8');
  } catch {
    throw new UserError(
      `${dir} is not a model directory: ${PREPROCESS_FILE} is missing`,
      'Point at the model-dir output of train (it holds model.json, weights.bin, preprocess.json).',
    );
  }
  let preprocess: Preprocessor;
  try {
    preprocess = JSON.parse(text) as Preprocessor;
  } catch (error) {
    throw new UserError(`${dir}: model files are not valid JSON (${(error as Error).message})`);
  }
  if (preprocess.format !== PREPROCESS_FORMAT)
    throw new UserError(`${dir}/${PREPROCESS_FILE}: unknown format ${String(preprocess.format)} (expected ${PREPROCESS_FORMAT})`);
  await kind.setup(() => {});
  return { model: await kind.load(dir, preprocess), preprocess, card };
}
