/**
 * The model seam: what the rest of the project needs of a fitted tabular model
 * (`TabularModel`: predict, save, dispose) and of a kind of model (`ModelKind`: its
 * name, its parameters, how it fits and how it loads). Train, evaluate, the server and
 * the registry see only these; the kinds live in `kinds/` and are listed once in
 * `kinds.ts`, as the drift tests are listed in `drift/methods.ts`.
 *
 * Every kind shares the fitted preprocessing (`preprocess.json`: feature encoding and
 * target), so a request is encoded the same way whatever the kind. Predictions are, for
 * classification, the probability of each class (rows x classes, in `target.classes`
 * order; two columns for two classes), and for regression the value in the target's units.
 */
import type { z } from 'zod';
import type { Table } from '../data/table.js';
import type { Preprocessor } from './preprocess.js';

/** A fitted model with its preprocessing. */
export interface TabularModel {
  /** The kind it is (a key of MODEL_KINDS). */
  readonly algorithm: string;
  readonly preprocess: Preprocessor;
  /** Predictions for `rows` of a table (encoded with `preprocess`). */
  predict(table: Table, rows: readonly number[]): Promise<Float64Array>;
  /** Predictions for features already encoded with `preprocess` (rows x preprocess.width, row-major). */
  predictEncoded(x: Float32Array, rows: number): Promise<Float64Array>;
  /** Writes the kind's own files into `dir` (which exists); preprocess.json and the card are written beside them by the caller. */
  save(dir: string): Promise<void>;
  /** Frees what it holds (tensors); the model is unusable afterwards. */
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
  /** The kind's own parameters, checked and with their defaults. */
  params: P;
  /** The run's seed: the same seed, data and parameters give the same model. */
  seed: number;
  onEpoch(log: EpochLog): void;
}

export interface Fitted {
  model: TabularModel;
  epochs: { run: number; best: number; stoppedEarly: boolean; trainingMs: number };
}

/** A kind of model: one entry of the registry. */
export interface ModelKind<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  /** One line for help texts. */
  readonly description: string;
  /** Its keys of mlops.yaml's train section (and of a params file), each with its default. */
  readonly params: Shape;
  /** The files it writes into a model directory. */
  readonly files: readonly string[];
  /** Gets its runtime ready; returns what it runs on, for the model card and logs ("wasm", "cpu"). */
  setup(warn: (message: string) => void): Promise<string>;
  fit(job: FitJob<z.output<z.ZodObject<Shape>>>): Promise<Fitted>;
  /** Loads what `save` wrote into `dir`. */
  load(dir: string, preprocess: Preprocessor): Promise<TabularModel>;
}

/** Declares a kind with its parameter types inferred from its schema. */
export function defineKind<Shape extends z.ZodRawShape>(kind: ModelKind<Shape>): ModelKind<Shape> {
  return kind;
}
