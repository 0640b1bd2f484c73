/**
 * gbdt: histogram gradient-boosted trees (our own, in TypeScript: boost.ts), exported to
 * ONNX as a tree ensemble with the preprocessing inside (export.ts).
 *
 * Parameters, with scikit-learn's HistGradientBoosting defaults and names where they do
 * not clash with another kind's key (kinds share one flat key space, kinds.ts):
 * - gbdt_learning_rate (0.1): not `learning_rate`, which the network kinds declare with
 *   0.001 (Adam's step). A shared key has one schema and one documented default, and the
 *   two mean different things: a params file sweeping learning_rate for the mlp would set
 *   the trees' shrinkage to 0.001 (a hundred times too small) on switching algorithm.
 * - max_iter (100), max_leaf_nodes (31), max_depth (null: none), min_samples_leaf (20),
 *   l2_regularization (0), max_bins (255): as scikit-learn's.
 * - n_iter_no_change (10; 0 turns early stopping off) and tol (1e-7): early stopping on
 *   the validation rows (train's validation_split), whatever the data size; scikit-learn's
 *   default ('auto') stops early only above 10,000 rows, on a split of its own. Not
 *   `early_stopping`, which is the network kinds' object.
 * Text columns are one-hot encoded by the shared preprocessing (max_categories most
 * frequent values plus an unknown slot), not split natively by category as scikit-learn's
 * categorical_features. Why: the graph then reuses the shared preprocessing subgraph
 * (LabelEncoder + OneHot, the same unknown slot for missing and never-seen values) and
 * every split is a plain threshold; ONNX's TreeEnsembleClassifier/Regressor have no
 * set-membership test (BRANCH_MEMBER is only in ai.onnx.ml opset 5's TreeEnsemble). The
 * cost: a split isolates one category at a time, and a category with fewer than
 * min_samples_leaf rows is never split on alone, so many small categories (a country
 * column, say) are used less well than by scikit-learn's native splits. See boost.ts
 * (training) and export.ts (the graph).
 */
import { z } from 'zod';
import { UserError } from '../../../errors.js';
import { tableColumn } from '../../../data/table.js';
import { defineKind } from '../../model.js';
import type { FitJob, Fitted } from '../../model.js';
import { binRows, binTraining } from './bins.js';
import type { ColumnValues } from './bins.js';
import { boost } from './boost.js';
import type { BoostResult, Objective } from './boost.js';
import { exportEnsemble } from './export.js';

/** The producer version written into exported graphs. */
const TRAINER_BUILD = 'builtin-gbdt/1';

export const GBDT_PARAMS = {
  /** Shrinkage: each tree's leaf values are scaled by it. */
  gbdt_learning_rate: z.number().positive().max(10).default(0.1),
  /** Boosting iterations at most (one tree each; one per class for more than two classes). */
  max_iter: z.number().int().min(1).max(100_000).default(100),
  max_leaf_nodes: z.number().int().min(2).max(65_536).default(31),
  /** Edges from the root to the deepest leaf; null: no limit. */
  max_depth: z.number().int().min(1).max(1000).nullable().default(null),
  min_samples_leaf: z.number().int().min(1).default(20),
  l2_regularization: z.number().min(0).default(0),
  /** Value bins per numeric column (missing values have one more). */
  max_bins: z.number().int().min(2).max(255).default(255),
  /** Early stopping: iterations without improving the validation loss by more than tol; 0 turns it off. */
  n_iter_no_change: z.number().int().min(0).default(10),
  tol: z.number().min(0).default(1e-7),
};

export type GbdtParams = z.output<z.ZodObject<typeof GBDT_PARAMS>>;

/** The trees' columns for a set of rows: raw numbers (float32, NaN for missing) and the one-hot slots of the encoding. */
function treeColumns(job: FitJob<GbdtParams>, encoded: Float32Array, rows: readonly number[]): ColumnValues[] {
  const pre = job.preprocess;
  const width = pre.width;
  const columns: ColumnValues[] = [];
  for (const feature of pre.features) {
    if (feature.kind === 'numeric') {
      const numbers = tableColumn(job.rows.table, feature.name, 'feature column').numbers;
      columns.push((i) => Math.fround(numbers[rows[i]!]!));
    } else {
      for (let slot = 0; slot <= feature.categories.length; slot++) {
        const j = columns.length;
        columns.push((i) => encoded[i * width + j]!);
      }
    }
  }
  return columns;
}

/** Fits the trees (the ensemble itself, for tests and checks; `fitGbdt` exports it). */
export function trainGbdt(job: FitJob<GbdtParams>, started = performance.now()): BoostResult {
  const { preprocess: pre, params, train, validation } = job;
  const n = train.y.length;
  if (n < 2 * params.min_samples_leaf)
    throw new UserError(
      `gbdt needs at least 2 x min_samples_leaf = ${2 * params.min_samples_leaf} training rows to split; it has ${n}`,
      'Add rows, or lower train.min_samples_leaf (or train.validation_split, which holds rows out of training).',
    );
  const objective: Objective =
    pre.target.task === 'regression' ? 'squared_error' : pre.target.classes.length === 2 ? 'log_loss' : 'softmax';
  // Each text column's one-hot block: [first column, size].
  const groups: Array<[number, number]> = [];
  let offset = 0;
  for (const feature of pre.features) {
    if (feature.kind === 'categorical') groups.push([offset, feature.categories.length + 1]);
    offset += feature.kind === 'numeric' ? 1 : feature.categories.length + 1;
  }
  const binned = binTraining(treeColumns(job, train.x, job.rows.train), n, params.max_bins, groups);
  const nVal = validation?.y.length ?? 0;
  const val =
    validation && nVal > 0
      ? { bins: binRows(treeColumns(job, validation.x, job.rows.validation), nVal, binned.edges), y: validation.y }
      : null;
  const classes = pre.target.task === 'classification' ? pre.target.classes.length : 1;
  return boost(
    { binned, y: train.y, classes, validation: val },
    objective,
    {
      learningRate: params.gbdt_learning_rate,
      maxIter: params.max_iter,
      maxLeafNodes: params.max_leaf_nodes,
      maxDepth: params.max_depth,
      minSamplesLeaf: params.min_samples_leaf,
      l2: params.l2_regularization,
      nIterNoChange: params.n_iter_no_change,
      tol: params.tol,
    },
    (epoch, loss, valLoss) => job.onEpoch({ epoch, epochs: params.max_iter, loss, valLoss, elapsedMs: performance.now() - started }),
  );
}

export async function fitGbdt(job: FitJob<GbdtParams>): Promise<Fitted> {
  const started = performance.now();
  const result = trainGbdt(job, started);
  // Yields once, so progress lines flush before the export.
  await Promise.resolve();
  return {
    onnx: exportEnsemble(job.preprocess, result.ensemble, { algorithm: 'gbdt', producerVersion: TRAINER_BUILD }),
    epochs: { run: result.iterations, best: result.best, stoppedEarly: result.stoppedEarly, trainingMs: performance.now() - started },
  };
}

export const gbdt = defineKind({
  name: 'gbdt',
  description: 'histogram gradient-boosted trees (as scikit-learn HistGradientBoosting)',
  params: GBDT_PARAMS,
  setup: () => Promise.resolve('cpu'),
  fit: async (job) => fitGbdt(job),
});
