/**
 * The model seam: what the rest of the project needs of a fitted tabular model
 * (`TabularModel`: its signature, predict, dispose) and of a kind of built-in model
 * (`ModelKind`: its name, its parameters, how it fits). Train, evaluate, the server and
 * the registry see only these; the kinds live in `kinds/` and are listed once in
 * `kinds.ts`, as the drift tests are listed in `drift/methods.ts`.
 *
 * Every built-in kind fits on features encoded by the shared preprocessing (preprocess.ts)
 * and leaves as an ONNX graph with that preprocessing inside, so every model, ours or any
 * framework's, is loaded and scored the same way (onnx-model.ts), from raw columns.
 * Predictions are, for classification, the probability of each class (rows x classes, in
 * `target.classes` order; two columns for two classes), and for regression the value in
 * the target's units.
 */
import type { GainImportance } from '../train/importance.js';
import type { z } from 'zod';
import type { Table } from '../data/table.js';
import type { Preprocessor } from './preprocess.js';

/** A feature column as the model takes it: numbers (missing as NaN) or text (missing as null). */
export interface SignatureFeature {
  name: string;
  type: 'number' | 'string';
}

/** What the model predicts: classes (probabilities in this order) or a value. */
export type ModelTarget = { name: string; task: 'classification'; classes: string[] } | { name: string; task: 'regression' };

/**
 * A model's interface with tables and requests, whatever trained it: its feature
 * columns (in the order a single-tensor graph takes them) and its target.
 */
export interface ModelSignature {
  features: SignatureFeature[];
  target: ModelTarget;
  /** False for a classifier that gives labels only (its "probabilities" are one-hot). */
  probabilities: boolean;
}

/** A fitted model, ready to predict. */
export interface TabularModel {
  /** What it is: a key of MODEL_KINDS for built-in models, "onnx" for any other graph. */
  readonly algorithm: string;
  readonly signature: ModelSignature;
  /**
   * Predictions for `rows` of a table: for classification the probability of each class
   * (rows x classes, row-major, in signature.target.classes order), for regression the
   * value in the target's units. The table holds every feature column (other columns are ignored).
   */
  predict(table: Table, rows: readonly number[]): Promise<Float64Array>;
  /** Frees what it holds (sessions, tensors); the model is unusable afterwards. */
  dispose(): void;
}

/** Encoded training data: features (rows x width) and targets (class indices, or standardized values). */
export interface EncodedRows {
  x: Float32Array;
  y: Int32Array | Float32Array;
}

/** One epoch (or round) of fitting, for progress lines. */
export interface EpochLog {
  epoch: number;
  /** The most epochs this fit may run (early stopping may end sooner). */
  epochs: number;
  loss: number;
  valLoss: number | null;
  elapsedMs: number;
}

export interface FitJob<P> {
  preprocess: Preprocessor;
  train: EncodedRows;
  validation: EncodedRows | null;
  /**
   * The raw table and the labelled rows each encoding came from (same order), for kinds
   * that work on raw values (trees: missing values as such, categories without one-hot).
   */
  rows: { table: Table; train: readonly number[]; validation: readonly number[] };
  /** The kind's own parameters, checked and with their defaults. */
  params: P;
  /** The run's seed: the same seed, data and parameters give the same model. */
  seed: number;
  onEpoch(log: EpochLog): void;
}

export interface Fitted {
  /** The fitted model as an ONNX graph with its preprocessing inside (export-onnx.ts): what is saved, scored and served. */
  onnx: Uint8Array;
  epochs: { run: number; best: number; stoppedEarly: boolean; trainingMs: number };
  /** Each feature's share of the total split gain, for kinds that record split gains (gbdt). */
  gain?: GainImportance;
  /** Lines for the log about how the fit ran (threads, say). */
  notes?: string[];
}

/** A kind of built-in model: one entry of the registry. Every kind exports to ONNX; loading is the same for all (onnx-model.ts). */
export interface ModelKind<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  /** One line for help texts. */
  readonly description: string;
  /** Its keys of mlops.yaml's train section (and of a params file), each with its default. */
  readonly params: Shape;
  /** Gets its training runtime ready; returns what it runs on, for the model card and logs ("wasm", "cpu"). */
  setup(warn: (message: string) => void): Promise<string>;
  fit(job: FitJob<z.output<z.ZodObject<Shape>>>): Promise<Fitted>;
}

/** Declares a kind with its parameter types inferred from its schema. */
export function defineKind<Shape extends z.ZodRawShape>(kind: ModelKind<Shape>): ModelKind<Shape> {
  return kind;
}
