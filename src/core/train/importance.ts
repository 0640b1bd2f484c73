/**
 * Permutation feature importance, through the model's ONNX graph (so it holds for every
 * model the graph scores, whatever trained it). Convention (scikit-learn's
 * `permutation_importance`): one feature column's values are shuffled across the rows
 * with a seeded permutation, the rows are scored again, and the importance is the
 * baseline metric minus the permuted one (accuracy for classification, r2 for
 * regression), as the mean and standard deviation over a few repeats. A feature the
 * model ignores scores about 0; a negative mean is noise. The rows are sampled (seeded)
 * down to `maxRows` to bound the time: features x repeats scorings of that many rows.
 *
 * Gain importance, for tree kinds (gbdt), beside it: the loss reduction of every split on
 * a feature, summed over the trees (and over the encoded columns of one feature), as a
 * share of the total (LightGBM's importance_type "gain", XGBoost's "total_gain"). It
 * comes from training, costs nothing, and says what the trees split on; permutation
 * importance says what the predictions depend on, on held-out rows. A feature with a share
 * well above its permutation drop is often split on to fit noise.
 */
import type { Table, TableColumn } from '../data/table.js';
import { labelOf } from '../model/preprocess.js';
import { seededRandom, shuffleInPlace } from '../model/random.js';
import type { ModelSignature } from '../model/model.js';

/** At most this many rows are scored per permutation. */
export const IMPORTANCE_MAX_ROWS = 5000;
export const IMPORTANCE_REPEATS = 5;

export interface FeatureImportance {
  name: string;
  mean: number;
  std: number;
}

export interface PermutationImportance {
  method: 'permutation';
  metric: 'accuracy' | 'r2';
  /** Which rows were scored (set by the caller). */
  on?: 'validation' | 'training';
  /** Rows scored (after sampling). */
  rows: number;
  repeats: number;
  /** The model's metric on those rows, unpermuted. */
  baseline: number;
  /** Most important first. */
  features: FeatureImportance[];
  /** Gain importance, when the model kind records split gains (gbdt). */
  gain?: GainImportance;
}

export interface FeatureGain {
  name: string;
  /** The feature's share of the total split gain (the shares sum to 1; all 0 when no tree splits). */
  share: number;
  /** Splits on the feature, over every tree. */
  splits: number;
}

export interface GainImportance {
  method: 'gain';
  /** Most gain first (ties by name); every feature, splits or not. */
  features: FeatureGain[];
}

/**
 * Gain importance from each feature's summed split gain and split count (by position in
 * `names`): shares of the total, most first.
 */
export function gainImportance(names: readonly string[], gain: ArrayLike<number>, splits: ArrayLike<number>): GainImportance {
  let total = 0;
  for (let f = 0; f < names.length; f++) total += gain[f]!;
  const features = names.map((name, f) => ({ name, share: total > 0 ? gain[f]! / total : 0, splits: splits[f]! }));
  features.sort((a, b) => b.share - a.share || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { method: 'gain', features };
}

/** What importance needs of a model: its signature and its predictions (OnnxModel fits). */
export interface ScoringModel {
  readonly signature: ModelSignature;
  predict(table: Table, rows: readonly number[]): Promise<Float64Array>;
}

export interface ImportanceOptions {
  seed: number;
  repeats?: number;
  maxRows?: number;
}

/** The columns of `table` at `rows` only, as a table of rows 0..n-1. */
function subTable(table: Table, rows: readonly number[]): Table {
  const columns = table.columns.map((column): TableColumn => {
    const numbers = new Float64Array(rows.length);
    const texts = column.texts ? new Array<string | null>(rows.length) : null;
    for (let i = 0; i < rows.length; i++) {
      numbers[i] = column.numbers[rows[i]!]!;
      if (texts) texts[i] = column.texts![rows[i]!]!;
    }
    return { ...column, numbers, texts };
  });
  return { rows: rows.length, columns, files: table.files };
}

/** `column` with its rows reordered by `order` (row i takes row order[i]'s value). */
function permuted(column: TableColumn, order: Int32Array): TableColumn {
  const numbers = new Float64Array(order.length);
  const texts = column.texts ? new Array<string | null>(order.length) : null;
  for (let i = 0; i < order.length; i++) {
    numbers[i] = column.numbers[order[i]!]!;
    if (texts) texts[i] = column.texts![order[i]!]!;
  }
  return { ...column, numbers, texts };
}

/** The metric of predictions against the truth: accuracy of the most probable class, or r2. */
function scorer(signature: ModelSignature, truth: Float64Array): (output: Float64Array) => number {
  const n = truth.length;
  if (signature.target.task === 'classification') {
    const k = signature.target.classes.length;
    return (output) => {
      let right = 0;
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let c = 1; c < k; c++) if (output[i * k + c]! > output[i * k + best]!) best = c;
        if (best === truth[i]) right++;
      }
      return n > 0 ? right / n : 0;
    };
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i]! / n;
  let total = 0;
  for (let i = 0; i < n; i++) total += (truth[i]! - mean) ** 2;
  return (output) => {
    let residual = 0;
    for (let i = 0; i < n; i++) residual += (truth[i]! - output[i]!) ** 2;
    return total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0;
  };
}

/**
 * Permutation importance of each feature the model takes, on `rows` of `table` (rows
 * whose target is missing or an unknown class are left out). Null when no row is left.
 */
export async function permutationImportance(
  model: ScoringModel,
  table: Table,
  rows: readonly number[],
  targetName: string,
  options: ImportanceOptions,
): Promise<PermutationImportance | null> {
  const { signature } = model;
  const repeats = options.repeats ?? IMPORTANCE_REPEATS;
  const maxRows = options.maxRows ?? IMPORTANCE_MAX_ROWS;
  const random = seededRandom(options.seed);
  const targetColumn = table.columns.find((c) => c.name === targetName);
  if (!targetColumn) return null;

  // The labelled rows, then a seeded sample of them.
  const classes = signature.target.task === 'classification' ? signature.target.classes : null;
  let kept: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    if (classes) {
      const label = labelOf(targetColumn, row);
      const index = label === null ? -1 : classes.indexOf(label);
      if (index >= 0) {
        kept.push(row);
        values.push(index);
      }
    } else if (Number.isFinite(targetColumn.numbers[row])) {
      kept.push(row);
      values.push(targetColumn.numbers[row]!);
    }
  }
  let truth = Float64Array.from(values);
  if (kept.length > maxRows) {
    const order = Array.from({ length: kept.length }, (_, i) => i);
    shuffleInPlace(order, random);
    const chosen = order.slice(0, maxRows).sort((a, b) => a - b);
    truth = Float64Array.from(chosen, (i) => values[i]!);
    kept = chosen.map((i) => kept[i]!);
  }
  if (kept.length === 0) return null;

  const sample = subTable(table, kept);
  const all = Array.from({ length: sample.rows }, (_, i) => i);
  const score = scorer(signature, truth);
  const baseline = score(await model.predict(sample, all));
  const features: FeatureImportance[] = [];
  for (const feature of signature.features) {
    const index = sample.columns.findIndex((c) => c.name === feature.name);
    if (index < 0) continue;
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const order = Int32Array.from(all);
      shuffleInPlace(order, random);
      const columns = sample.columns.slice();
      columns[index] = permuted(sample.columns[index]!, order);
      drops.push(baseline - score(await model.predict({ ...sample, columns }, all)));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    features.push({ name: feature.name, mean, std });
  }
  features.sort((a, b) => b.mean - a.mean || a.name.localeCompare(b.name));
  return {
    method: 'permutation',
    metric: classes ? 'accuracy' : 'r2',
    rows: kept.length,
    repeats,
    baseline,
    features,
  };
}
