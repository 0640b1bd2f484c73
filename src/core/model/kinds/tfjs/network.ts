/**
 * Dense networks on TensorFlow.js, shared by the `linear` and `mlp` kinds: built from a
 * list of hidden layers (none: logistic/linear regression), trained with Adam, a seeded
 * shuffle each epoch, a validation split and early stopping that keeps the best
 * weights. Same data, parameters and seed give the same weights. The fitted network
 * leaves as an ONNX graph with its preprocessing inside (export-onnx.ts): TensorFlow.js
 * trains, ONNX Runtime predicts.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../backend.js';
import { exportNetwork } from '../../export-onnx.js';
import type { DenseActivation, DenseLayer } from '../../export-onnx.js';
import type { Preprocessor } from '../../preprocess.js';
import type { FitJob, Fitted } from '../../model.js';
import { seededRandom, shuffleInPlace } from '../../random.js';
import { batchSizeFor } from './params.js';
import type { TfjsParams } from './params.js';

/** The producer version written into exported graphs. */
const TRAINER_BUILD = 'builtin/1';

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
  try {
    return {
      onnx: exportNetwork(pre, denseLayers(model), { algorithm, producerVersion: TRAINER_BUILD }),
      epochs: { run: epochsRun, best: bestEpoch, stoppedEarly, trainingMs: performance.now() - started },
    };
  } finally {
    // The network's weights, and the optimizer's state (Adam's moments).
    const optimizer = (model as { optimizer?: tf.Optimizer }).optimizer;
    model.dispose();
    optimizer?.dispose();
  }
}

/** The fitted Dense layers (Dropout is the identity at inference), for the ONNX export. */
function denseLayers(model: tfl.LayersModel): DenseLayer[] {
  const layers: DenseLayer[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Dense') continue;
    const [kernel, bias] = layer.getWeights();
    const [inputs, units] = kernel!.shape as [number, number];
    const activation = String((layer.getConfig() as { activation?: unknown }).activation ?? 'linear') as DenseActivation;
    layers.push({
      kernel: Float32Array.from(kernel!.dataSync() as Float32Array),
      bias: bias ? Float32Array.from(bias.dataSync() as Float32Array) : new Float32Array(units),
      inputs,
      units,
      activation,
    });
  }
  return layers;
}
