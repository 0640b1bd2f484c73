/**
 * A model directory, whoever trained it: `model.onnx` (the graph, its preprocessing
 * inside), `model-card.json` (lineage, and the signature: features, task, classes) and
 * optionally `reference-predictions.csv` (the original framework's own predictions, for
 * the fidelity check). Loading always goes through ONNX Runtime (onnx-model.ts): one
 * inference path for every model.
 *
 * Directories written before ONNX (TensorFlow.js `model.json` + `weights.bin` +
 * `preprocess.json`) are converted to a graph when loaded, with a log line, so versions
 * already in a registry keep working.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readContract } from '../contracts/index.js';
import type { ModelCard, ModelFile } from '../contracts/index.js';
import { UserError } from '../errors.js';
import { tfjsDirToOnnx } from './export-onnx.js';
import type { ModelSignature } from './model.js';
import { openOnnxModel } from './onnx-model.js';
import type { OnnxModel } from './onnx-model.js';
import { PREPROCESS_FORMAT, preprocessSignature } from './preprocess.js';
import type { Preprocessor } from './preprocess.js';
import type { SessionUse } from '../onnx/runtime.js';

/** The graph of every model directory. */
export const MODEL_FILE = 'model.onnx';
/** The original framework's predictions on rows it chose (features, y_pred, score:<class>), checked by evaluate. */
export const REFERENCE_PREDICTIONS_FILE = 'reference-predictions.csv';
/** The files of a directory written before ONNX (converted when loaded). */
export const LEGACY_FILES = { topology: 'model.json', weights: 'weights.bin', preprocess: 'preprocess.json' } as const;

export interface LoadedModel {
  model: OnnxModel;
  /** The model card, or null when there is none (or it cannot be read: the card is lineage, not needed to predict). */
  card: ModelCard | null;
}

/** The signature a card records, or undefined (cards written before ONNX have none). */
export function cardSignature(card: ModelCard | null): ModelSignature | undefined {
  return (card?.signature as ModelSignature | undefined) ?? undefined;
}

/**
 * How a legacy preprocess.json's signature differs from the one its model card recorded at
 * training (features, their types and order, the target and its classes), or null when they
 * agree or there is no card to compare with.
 */
function signatureMismatch(recorded: ModelSignature | undefined, found: ModelSignature): string | null {
  if (!recorded?.features) return null;
  const names = (s: ModelSignature) => s.features.map((f) => `${f.name} (${f.type})`);
  const missing = names(recorded).filter((f) => !names(found).includes(f));
  const added = names(found).filter((f) => !names(recorded).includes(f));
  if (missing.length > 0 || added.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`the card's ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`);
    if (added.length > 0) parts.push(`${added.join(', ')} ${added.length === 1 ? 'is' : 'are'} not in the card`);
    return parts.join('; ');
  }
  if (names(recorded).join('\u0000') !== names(found).join('\u0000')) return 'the features are in another order';
  const target = (s: ModelSignature) => JSON.stringify(s.target);
  if (recorded.target && target(recorded) !== target(found)) return `the target is ${target(found)}, the card records ${target(recorded)}`;
  return null;
}

/** The ONNX bytes of a model directory (converting one written before ONNX), and the signature it implies when legacy. */
export async function readModelGraph(
  dir: string,
  card: ModelCard | null,
  log: (line: string) => void = () => {},
): Promise<{ bytes: Uint8Array; legacy: ModelSignature | null }> {
  const file = join(dir, MODEL_FILE);
  if (existsSync(file)) return { bytes: new Uint8Array(await readFile(file)), legacy: null };
  if (existsSync(join(dir, LEGACY_FILES.topology)) && existsSync(join(dir, LEGACY_FILES.preprocess))) {
    let pre: Preprocessor;
    try {
      pre = JSON.parse(await readFile(join(dir, LEGACY_FILES.preprocess), 'utf8')) as Preprocessor;
    } catch (error) {
      throw new UserError(`${join(dir, LEGACY_FILES.preprocess)} is not valid JSON (${(error as Error).message})`);
    }
    if (pre.format !== PREPROCESS_FORMAT)
      throw new UserError(`${join(dir, LEGACY_FILES.preprocess)}: unknown format ${String(pre.format)} (expected ${PREPROCESS_FORMAT})`);
    const legacy = preprocessSignature(pre);
    const mismatch = signatureMismatch(cardSignature(card), legacy);
    if (mismatch)
      throw new UserError(
        `${join(dir, LEGACY_FILES.preprocess)} is not the preprocessing its model card records: ${mismatch}`,
        'The file was changed after training. Restore the preprocess.json train wrote, or train the model again (train now writes one ONNX graph with the preprocessing inside).',
      );
    const trainer = card?.trainer as { algorithm?: unknown; model?: unknown } | undefined;
    const algorithm = String(trainer?.algorithm ?? trainer?.model ?? 'mlp');
    log(
      `${dir} holds a TensorFlow.js model from before ONNX: converted to an ONNX graph to load it (register it again to store the graph).`,
    );
    return { bytes: await tfjsDirToOnnx(dir, pre, algorithm), legacy };
  }
  throw new UserError(
    `${dir} is not a model directory: ${MODEL_FILE} is missing`,
    `Point at the model-dir output of train, or a folder holding a ${MODEL_FILE} exported from your framework (see the README, "Bring your own model").`,
  );
}

/** Loads a model directory: its graph through ONNX Runtime, with the card's signature; `use`: runtime.ts SessionUse. */
export async function loadModel(dir: string, log: (line: string) => void = () => {}, use: SessionUse = 'batch'): Promise<LoadedModel> {
  let card: ModelCard | null;
  try {
    card = existsSync(join(dir, 'model-card.json')) ? await readContract('modelCard', dir) : null;
  } catch (error) {
    // The card is lineage and the signature; the graph still predicts without it, but say what was lost.
    log(
      `warning: ${join(dir, 'model-card.json')} could not be read (${(error as Error).message}); ` +
        "the model is loaded from its graph alone (the card's feature types, class names and order are not used).",
    );
    card = null;
  }
  const { bytes, legacy } = await readModelGraph(dir, card, log);
  const trainer = card?.trainer as { kind?: string; algorithm?: unknown } | undefined;
  const model = await openOnnxModel(bytes, {
    shownPath: join(dir, MODEL_FILE),
    algorithm: trainer?.kind === 'builtin' && typeof trainer.algorithm === 'string' ? trainer.algorithm : 'onnx',
    signature: legacy ?? cardSignature(card),
    log,
    use,
  });
  return { model, card };
}

/** What a model card records of the model file: format, digest, producer, opsets, inputs and outputs. */
export function describeModelFile(bytes: Uint8Array, model: OnnxModel): ModelFile {
  return {
    format: 'onnx',
    file: MODEL_FILE,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.byteLength,
    producer: model.producer,
    opsets: model.opsets,
    inputs: model.graphInputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] })),
    outputs: model.graphOutputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: [...t.shape] })),
  };
}

/** `sha256:<hex>` of a model directory's model.onnx, or null when it has none (a folder written before ONNX). */
export async function modelFileDigest(dir: string): Promise<string | null> {
  const path = join(dir, MODEL_FILE);
  if (!existsSync(path)) return null;
  return `sha256:${createHash('sha256')
    .update(await readFile(path))
    .digest('hex')}`;
}
