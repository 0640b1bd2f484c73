/**
 * Dense networks on TensorFlow.js, shared by the `linear` and `mlp` kinds: built from a
 * list of hidden layers (none: logistic/linear regression), trained with Adam, a seeded
 * shuffle each epoch, a validation split and early stopping that keeps the best
 * weights. Same data, parameters and seed give the same weights. Saved as model.json
 * and weights.bin (the TensorFlow.js layers format).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Table } from '../../../data/table.js';
import { UserError } from '../../../errors.js';
import { initBackend } from '../../backend.js';
import { encodeFeatures } from '../../preprocess.js';
import type { Preprocessor } from '../../preprocess.js';
import type { FitJob, Fitted, TabularModel } from '../../model.js';
import { seededRandom, shuffleInPlace } from '../../random.js';
import { batchSizeFor, NETWORK_FILES } from './params.js';
import type { TfjsParams } from './params.js';

export { NETWORK_FILES };

/** The hidden layers of a network. */
export interface Hidden {
  units: readonly number[];
  activation: 'relu' | 'elu' | 'tanh' | 'sigmoid' | 'selu' | 'gelu';
  dropout: number;
}

/** The backend every network kind runs on (the fastest available). */
export function setupBackend(warn: (message: string) => void): Promise<string> {
  return initBackend(undefined, warn);
}

/** Output units and loss for the task. */
function head(pre: Preprocessor): { units: number; activation: 'sigmoid' | 'softmax' | 'linear'; loss: string } {
  if (pre.target.task === 'regression') return { units: 1, activation: 'linear', loss: 'meanSquaredError' };
  return pre.target.classes.length === 2
    ? { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy' }
    : { units: pre.target.classes.length, activation: 'softmax', loss: 'categoricalCrossentropy' };
}

function buildNetwork(pre: Preprocessor, params: TfjsParams, hidden: Hidden, seed0: number): tfl.LayersModel {
  let seed = seed0;
  const nextSeed = () => (seed = (seed * 1103515245 + 12345) % 2147483647);
  const regularizer = params.l2 > 0 ? tfl.regularizers.l2({ l2: params.l2 }) : undefined;
  const layers: tfl.layers.Layer[] = [];
  hidden.units.forEach((units, i) => {
    layers.push(
      tfl.layers.dense({
        ...(i === 0 ? { inputShape: [pre.width] } : {}),
        units,
        activation: hidden.activation,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed() }),
        kernelRegularizer: regularizer,
      }),
    );
    if (hidden.dropout > 0) layers.push(tfl.layers.dropout({ rate: hidden.dropout, seed: nextSeed() }));
  });
  const out = head(pre);
  layers.push(
    tfl.layers.dense({
      ...(hidden.units.length === 0 ? { inputShape: [pre.width] } : {}),
      units: out.units,
      activation: out.activation,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed() }),
      kernelRegularizer: regularizer,
    }),
  );
  const model = tfl.sequential({ layers });
  model.compile({ optimizer: tf.train.adam(params.learning_rate), loss: out.loss });
  return model;
}

/** Targets as the network's output expects them. */
function targetTensor(pre: Preprocessor, y: Int32Array | Float32Array): tf.Tensor2D {
  if (pre.target.task === 'regression') return tf.tensor2d(y as Float32Array, [y.length, 1]);
  const classes = pre.target.classes.length;
  if (classes === 2) return tf.tensor2d(Float32Array.from(y as Int32Array), [y.length, 1]);
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(y as Int32Array, 'int32'), classes), 'float32') as tf.Tensor2D);
}

/** Fits a network with `hidden` layers; `algorithm` names the kind the model is. */
export async function fitNetwork(algorithm: string, job: FitJob<TfjsParams>, hidden: Hidden): Promise<Fitted> {
  const { preprocess: pre, params, train, validation } = job;
  const model = buildNetwork(pre, params, hidden, job.seed);
  const n = train.y.length;
  const batchSize = batchSizeFor(params.batch_size, n);
  const xAll = tf.tensor2d(train.x, [n, pre.width]);
  const yAll = targetTensor(pre, train.y);
  const xVal = validation && validation.y.length > 0 ? tf.tensor2d(validation.x, [validation.y.length, pre.width]) : null;
  const yVal = xVal && validation ? targetTensor(pre, validation.y) : null;
  const random = seededRandom(job.seed ^ 0x5eed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const monitorValidation = params.early_stopping.monitor === 'val_loss' && xVal !== null;
  let epochsRun = 0;
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  const started = performance.now();
  try {
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      shuffleInPlace(order, random);
      const indices = tf.tensor1d(order, 'int32');
      const x = tf.gather(xAll, indices);
      const y = tf.gather(yAll, indices);
      indices.dispose();
      const fitted = await model.fit(x, y, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
      x.dispose();
      y.dispose();
      const loss = Number(fitted.history.loss?.[0]);
      let valLoss: number | null = null;
      if (xVal && yVal) {
        const evaluated = model.evaluate(xVal, yVal, { batchSize: 4096 }) as tf.Scalar;
        valLoss = (await evaluated.data())[0]!;
        evaluated.dispose();
      }
      epochsRun = epoch;
      job.onEpoch({ epoch, epochs: params.epochs, loss, valLoss, elapsedMs: performance.now() - started });
      const monitored = monitorValidation ? valLoss! : loss;
      if (!Number.isFinite(monitored)) break; // diverged: keep the best weights so far
      if (monitored < best - params.early_stopping.min_delta) {
        best = monitored;
        bestEpoch = epoch;
        sinceBest = 0;
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = model.getWeights().map((w: tf.Tensor) => w.clone());
      } else if (++sinceBest >= params.early_stopping.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (bestWeights) model.setWeights(bestWeights);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    xAll.dispose();
    yAll.dispose();
    xVal?.dispose();
    yVal?.dispose();
  }
  return {
    model: new NetworkModel(algorithm, model, pre),
    epochs: { run: epochsRun, best: bestEpoch, stoppedEarly, trainingMs: performance.now() - started },
  };
}

/** A fitted network as a TabularModel. */
export class NetworkModel implements TabularModel {
  constructor(
    readonly algorithm: string,
    private readonly network: tfl.LayersModel,
    readonly preprocess: Preprocessor,
  ) {}

  predict(table: Table, rows: readonly number[]): Promise<Float64Array> {
    return this.predictEncoded(encodeFeatures(this.preprocess, table, rows), rows.length);
  }

  async predictEncoded(x: Float32Array, rows: number): Promise<Float64Array> {
    if (rows === 0) return new Float64Array(0);
    const pre = this.preprocess;
    const input = tf.tensor2d(x, [rows, pre.width]);
    const output = this.network.predict(input, { batchSize: 4096 }) as tf.Tensor;
    const data = (await output.data()) as Float32Array;
    input.dispose();
    output.dispose();
    const target = pre.target;
    if (target.task === 'regression') return Float64Array.from(data, (v) => v * target.std + target.mean);
    if (target.classes.length === 2) {
      // A sigmoid gives P(class 1); expand to two columns.
      const out = new Float64Array(rows * 2);
      for (let i = 0; i < rows; i++) {
        out[i * 2] = 1 - data[i]!;
        out[i * 2 + 1] = data[i]!;
      }
      return out;
    }
    return Float64Array.from(data);
  }

  async save(dir: string): Promise<void> {
    await this.network.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weights = artifacts.weightData
          ? Buffer.concat((Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).map((b) => Buffer.from(b)))
          : Buffer.alloc(0);
        await writeFile(join(dir, NETWORK_FILES.weights), weights);
        const modelJson = {
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [`./${NETWORK_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
        };
        await writeFile(join(dir, NETWORK_FILES.topology), JSON.stringify(modelJson));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  }

  dispose(): void {
    // The network's weights, and the optimizer's state (Adam's moments) when it was trained here.
    const optimizer = (this.network as { optimizer?: tf.Optimizer }).optimizer;
    this.network.dispose();
    optimizer?.dispose();
  }
}

/** Loads a network saved by NetworkModel.save. */
export async function loadNetwork(algorithm: string, dir: string, preprocess: Preprocessor): Promise<TabularModel> {
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
  try {
    topology = JSON.parse((await read(NETWORK_FILES.topology)).toString('utf8'));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${dir}: model files are not valid JSON (${(error as Error).message})`);
  }
  const weights = await read(NETWORK_FILES.weights);
  const network = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: topology.modelTopology,
      weightSpecs: topology.weightsManifest.flatMap((m) => m.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }),
  );
  return new NetworkModel(algorithm, network, preprocess);
}
