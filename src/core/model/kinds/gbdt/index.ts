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
 *   default ('auto') stops early only above 10,000 rows, on a split of its own. Ours holds
 *   out no rows of its own: the validation rows are the pipeline's, which train's metrics,
 *   permutation importance and auto's leaderboard need whether or not the trees stop early,
 *   so scikit-learn's rule would give the fit no rows back (it would only run every
 *   iteration on small data). Not `early_stopping`, which is the network kinds' object.
 * - gbdt_categorical (native): text columns split natively by sets of categories, as
 *   scikit-learn's categorical_features (its _find_best_bin_to_split_category, with its
 *   MIN_CAT_SUPPORT of 10 and smoothing: boost.ts), each column's categories binned up to
 *   max_bins (the rarest beyond, missing and never-seen values share the missing slot:
 *   columns.ts); or one-hot, the shared preprocessing's encoding (max_categories values
 *   and an unknown slot), where a split isolates one category at a time.
 * Why native by default: on the quality benchmark's Gapminder (country, 63 values, as a
 * feature) it scores as scikit-learn does given the same rows (R² 86.9 and 86.9 with
 * validation_split 0; one-hot 81.5, as scikit-learn's on one-hot columns), and on the
 * training benchmark (5 text columns of 8 to 40 values, 100,000 rows) accuracy 0.881
 * against one-hot's 0.865 (scikit-learn native: 0.883), in no more time; elsewhere (cars,
 * penguins: 3 values or fewer) the two agree. With the default validation_split (0.2,
 * held out for early stopping), Gapminder's countries have about 7 fitting rows each, mostly
 * below MIN_CAT_SUPPORT, so native and one-hot both score 80.3 there (scikit-learn
 * holding out 20% for its own early stopping: 78.7 to 80.8 over five seeds; fitting every
 * row without early stopping, as the benchmark runs it: 86.9).
 * The graph: a set split is a chain of BRANCH_EQ nodes under ai.onnx.ml opset 2 (exact, and
 * checked by onnx's checker), not opset 5's BRANCH_MEMBER, which both ONNX Runtimes here run
 * but onnx's checker before 1.16 rejects; export.ts says why and what it costs. See boost.ts
 * (training), columns.ts (the columns) and export.ts (the graph). Gain importance (the
 * split gains per feature, as shares) comes with the fit, for the model card.
 */
import { z } from 'zod';
import { UserError } from '../../../errors.js';
import { gainImportance } from '../../../train/importance.js';
import type { GainImportance } from '../../../train/importance.js';
import { defineKind } from '../../model.js';
import type { FitJob, Fitted } from '../../model.js';
import { binRows, binTraining } from './bins.js';
import { boost } from './boost.js';
import { helperStarter } from './threads.js';
import type { BoostResult, Objective } from './boost.js';
import { categoricalColumns, columnFeatures, layoutColumns, oneHotGroups, treeLayout } from './columns.js';
import { exportEnsemble } from './export.js';
import type { GbdtModel } from './export.js';

export type { GbdtModel } from './export.js';

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
  /** Text columns: native (split by sets of categories, as scikit-learn's categorical_features) or one-hot (the shared encoding). */
  gbdt_categorical: z.enum(['native', 'one-hot']).default('native'),
};

export type GbdtParams = z.output<z.ZodObject<typeof GBDT_PARAMS>>;

/** Fits the trees (the ensemble and its layout, for tests and checks; `fitGbdt` exports it). */
export function trainGbdt(job: FitJob<GbdtParams>, started = performance.now()): BoostResult & GbdtModel {
  const { preprocess: pre, params, train, validation } = job;
  const n = train.y.length;
  if (n < 2 * params.min_samples_leaf)
    throw new UserError(
      `gbdt needs at least 2 x min_samples_leaf = ${2 * params.min_samples_leaf} training rows to split; it has ${n}`,
      'Add rows, or lower train.min_samples_leaf (or train.validation_split, which holds rows out of training).',
    );
  const objective: Objective =
    pre.target.task === 'regression' ? 'squared_error' : pre.target.classes.length === 2 ? 'log_loss' : 'softmax';
  const { table } = job.rows;
  const layout = treeLayout(pre, table, job.rows.train, params.gbdt_categorical, params.max_bins);
  const binned = binTraining(
    layoutColumns(pre, layout, table, job.rows.train, () => train.x),
    n,
    params.max_bins,
    oneHotGroups(layout),
    categoricalColumns(layout),
  );
  const nVal = validation?.y.length ?? 0;
  const val =
    validation && nVal > 0
      ? {
          bins: binRows(
            layoutColumns(pre, layout, table, job.rows.validation, () => validation.x),
            nVal,
            binned.edges,
          ),
          y: validation.y,
        }
      : null;
  const classes = pre.target.task === 'classification' ? pre.target.classes.length : 1;
  const result = boost(
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
    helperStarter(),
  );
  return { ...result, layout };
}

/**
 * Gain importance of a fitted gbdt: the gain of every split (boost.ts), summed over the
 * trees kept and over each feature's columns (a one-hot block's back to its feature).
 */
export function gbdtGainImportance(model: GbdtModel): GainImportance {
  const owner = columnFeatures(model.layout);
  const features = model.layout.features.map((f) => f.name);
  const gain = new Float64Array(features.length);
  const splits = new Float64Array(features.length);
  for (const tree of model.ensemble.trees)
    for (let node = 0; node < tree.feature.length; node++) {
      const column = tree.feature[node]!;
      if (column < 0) continue;
      gain[owner[column]!]! += tree.gain[node]!;
      splits[owner[column]!]!++;
    }
  return gainImportance(features, gain, splits);
}

/** The fitted gbdt as `Fitted`, with its gain importance (for the model card, beside permutation importance). */
export async function fitGbdt(job: FitJob<GbdtParams>): Promise<Fitted & { gain: GainImportance }> {
  const started = performance.now();
  const model = trainGbdt(job, started);
  // Yields once, so progress lines flush before the export.
  await Promise.resolve();
  return {
    onnx: exportEnsemble(job.preprocess, model, { algorithm: 'gbdt', producerVersion: TRAINER_BUILD }),
    epochs: { run: model.iterations, best: model.best, stoppedEarly: model.stoppedEarly, trainingMs: performance.now() - started },
    gain: gbdtGainImportance(model),
    notes:
      model.threads > 1
        ? [`Histograms on ${model.threads} threads: ${model.sharedFills} of ${model.fills} shared (the same trees as on one thread).`]
        : [],
  };
}

export const gbdt = defineKind({
  name: 'gbdt',
  description: 'histogram gradient-boosted trees (as scikit-learn HistGradientBoosting)',
  params: GBDT_PARAMS,
  setup: () => Promise.resolve('cpu'),
  fit: async (job) => fitGbdt(job),
});
