/**
 * A model directory: model.json and weights.bin (TensorFlow.js layers format),
 * preprocess.json (the fitted preprocessing) and model-card.json (lineage and
 * metrics). Written into a fresh folder and renamed into place, so a failed save
 * never leaves half a model.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { PREPROCESS_FORMAT } from './preprocess.js';
import type { Preprocessor } from './preprocess.js';

export const MODEL_FILES = {
  topology: 'model.json',
  weights: 'weights.bin',
  preprocess: 'preprocess.json',
  card: 'model-card.json',
} as const;

export interface LoadedModel {
  model: tfl.LayersModel;
  preprocess: Preprocessor;
  card: Record<string, unknown> | null;
}

/** Saves a model with its preprocessing and card into `dir` (replacing what was there). */
export async function saveModel(
  dir: string,
  model: tfl.LayersModel,
  preprocess: Preprocessor,
  card: Record<string, unknown>,
): Promise<void> {
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData
        ? Buffer.concat((Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).map((b) => Buffer.from(b)))
        : Buffer.alloc(0);
      await writeFile(join(staging, MODEL_FILES.weights), weights);
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${MODEL_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(staging, MODEL_FILES.topology), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  await writeFile(join(staging, MODEL_FILES.preprocess), `${JSON.stringify(preprocess, null, 2)}\n`);
  await writeFile(join(staging, MODEL_FILES.card), `${JSON.stringify(card, null, 2)}\n`);
  await mkdir(dirname(dir), { recursive: true });
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
}

/** Loads a model directory written by saveModel (or by `train`). */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(join(dir, name));
    } catch {
      throw new UserError(
        `${dir} is not a model directory: ${name} is missing`,
        'Point at the model-dir output of train (it holds model.json, weights.bin, preprocess.json).',
      );
    }
  };
  let topology: { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
  let preprocess: Preprocessor;
  try {
    topology = JSON.parse((await read(MODEL_FILES.topology)).toString('utf8'));
    preprocess = JSON.parse((await read(MODEL_FILES.preprocess)).toString('utf8'));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${dir}: model files are not valid JSON (${(error as Error).message})`);
  }
  if (preprocess.format !== PREPROCESS_FORMAT)
    throw new UserError(`${dir}/${MODEL_FILES.preprocess}: unknown format ${String(preprocess.format)} (expected ${PREPROCESS_FORMAT})`);
  const weights = await read(MODEL_FILES.weights);
  const model = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: topology.modelTopology,
      weightSpecs: topology.weightsManifest.flatMap((m) => m.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }),
  );
  let card: Record<string, unknown> | null = null;
  try {
    card = JSON.parse(await readFile(join(dir, MODEL_FILES.card), 'utf8'));
  } catch {
    card = null;
  }
  return { model, preprocess, card };
}
