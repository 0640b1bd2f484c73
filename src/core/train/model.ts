/**
 * The built-in tabular models on TensorFlow.js: logistic/linear regression
 * (`linear`) and a multi-layer perceptron (`mlp`), trained with Adam, a seeded
 * shuffle each epoch, a validation split and early stopping that keeps the best
 * weights. Same data, parameters and seed give the same weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Preprocessor } from './preprocess.js';
import { batchSizeFor } from './params.js';
import type { TrainParams } from './params.js';

export interface EpochLog {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number | null;
  elapsedMs: number;
  etaMs: number;
}

export interface FitResult {
  model: tfl.LayersModel;
  epochsRun: number;
  bestEpoch: number;
  history: Array<{ epoch: number; loss: number; valLoss: number | null }>;
  stoppedEarly: boolean;
  /** Time spent in the epochs (shuffling, steps and validation), without data loading. */
  trainingMs: number;
}

/** mulberry32: a small seeded generator for shuffles and splits. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(items: T[] | Int32Array, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}

/** Output units and loss for the task. */
function head(pre: Preprocessor): { units: number; activation: 'sigmoid' | 'softmax' | 'linear'; loss: string } {
  if (pre.target.task === 'regression') return { units: 1, activation: 'linear', loss: 'meanSquaredError' };
  return pre.target.classes.length === 2
    ? { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy' }
    : { units: pre.target.classes.length, activation: 'softmax', loss: 'categoricalCrossentropy' };
}

export function buildModel(pre: Preprocessor, params: TrainParams): tfl.LayersModel {
  let seed = params.seed;
  const nextSeed = () => (seed = (seed * 1103515245 + 12345) % 2147483647);
  const regularizer = params.l2 > 0 ? tfl.regularizers.l2({ l2: params.l2 }) : undefined;
  const layers: tfl.layers.Layer[] = [];
  const hidden = params.model === 'mlp' ? params.hidden : [];
  hidden.forEach((units, i) => {
    layers.push(
      tfl.layers.dense({
        ...(i === 0 ? { inputShape: [pre.width] } : {}),
        units,
        activation: params.activation,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: nextSeed() }),
        kernelRegularizer: regularizer,
      }),
    );
    if (params.dropout > 0) layers.push(tfl.layers.dropout({ rate: params.dropout, seed: nextSeed() }));
  });
  const out = head(pre);
  layers.push(
    tfl.layers.dense({
      ...(hidden.length === 0 ? { inputShape: [pre.width] } : {}),
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

/** Targets as the model's output expects them. */
function targetTensor(pre: Preprocessor, y: Int32Array | Float32Array): tf.Tensor2D {
  if (pre.target.task === 'regression') return tf.tensor2d(y as Float32Array, [y.length, 1]);
  const classes = pre.target.classes.length;
  if (classes === 2) return tf.tensor2d(Float32Array.from(y as Int32Array), [y.length, 1]);
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(y as Int32Array, 'int32'), classes), 'float32') as tf.Tensor2D);
}

export async function fitModel(
  pre: Preprocessor,
  params: TrainParams,
  train: { x: Float32Array; y: Int32Array | Float32Array },
  validation: { x: Float32Array; y: Int32Array | Float32Array } | null,
  onEpoch: (log: EpochLog) => void,
): Promise<FitResult> {
  const model = buildModel(pre, params);
  const n = train.y.length;
  const batchSize = batchSizeFor(params, n);
  const xAll = tf.tensor2d(train.x, [n, pre.width]);
  const yAll = targetTensor(pre, train.y);
  const xVal = validation && validation.y.length > 0 ? tf.tensor2d(validation.x, [validation.y.length, pre.width]) : null;
  const yVal = xVal && validation ? targetTensor(pre, validation.y) : null;
  const random = seededRandom(params.seed ^ 0x5eed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const monitorValidation = params.early_stopping.monitor === 'val_loss' && xVal !== null;
  const history: FitResult['history'] = [];
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
      history.push({ epoch, loss, valLoss });
      const elapsedMs = performance.now() - started;
      onEpoch({ epoch, epochs: params.epochs, loss, valLoss, elapsedMs, etaMs: (elapsedMs / epoch) * (params.epochs - epoch) });
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
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    xAll.dispose();
    yAll.dispose();
    xVal?.dispose();
    yVal?.dispose();
  }
  return { model, epochsRun: history.length, bestEpoch, history, stoppedEarly, trainingMs: performance.now() - started };
}

/** Class probabilities (classification: rows x classes) or values (regression), for encoded features. */
export async function predictEncoded(model: tfl.LayersModel, pre: Preprocessor, x: Float32Array, rows: number): Promise<Float64Array> {
  if (rows === 0) return new Float64Array(0);
  const input = tf.tensor2d(x, [rows, pre.width]);
  const output = model.predict(input, { batchSize: 4096 }) as tf.Tensor;
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
