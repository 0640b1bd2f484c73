/**
 * The preprocessing that is part of the model: fitted on training rows only, applied
 * here to encode the training rows, and written into the exported ONNX graph
 * (export-onnx.ts), which applies it the same way at evaluation and serving (no
 * train/serve skew; the export tests hold the graph to `encodeFeatures`). Numeric columns: missing values take the training mean,
 * then standardisation. Text columns (categories, booleans, dates): one-hot over
 * the most frequent training values plus one "unknown" slot, which also takes
 * missing values and values never seen in training.
 */
import { UserError } from '../errors.js';
import { tableColumn } from '../data/table.js';
import type { Table, TableColumn } from '../data/table.js';
import type { ModelSignature } from './model.js';

export const PREPROCESS_FORMAT = 'mlops-preprocess/v1';
export const DEFAULT_MAX_CATEGORIES = 100;

export type Task = 'classification' | 'regression';

export type FeatureSpec =
  { name: string; kind: 'numeric'; mean: number; std: number } | { name: string; kind: 'categorical'; categories: string[] };

export type TargetSpec =
  { name: string; task: 'classification'; classes: string[] } | { name: string; task: 'regression'; mean: number; std: number };

export interface Preprocessor {
  format: typeof PREPROCESS_FORMAT;
  features: FeatureSpec[];
  target: TargetSpec;
  /** Width of the encoded feature vector. */
  width: number;
}

export interface FitOptions {
  target: string;
  /** Feature columns; default every column but the target. */
  features?: string[];
  task?: Task | 'auto';
  maxCategories?: number;
}

/** Classification when the target holds text, or at most 20 distinct whole numbers; else regression. */
export function inferTask(column: TableColumn, rows: Iterable<number>): Task {
  if (column.texts) return 'classification';
  const distinct = new Set<number>();
  for (const r of rows) {
    const v = column.numbers[r]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return 'regression';
    distinct.add(v);
    if (distinct.size > 20) return 'regression';
  }
  return 'classification';
}

/** The label of a row as text (classification), or null when missing. */
export function labelOf(column: TableColumn, row: number): string | null {
  if (column.texts) return column.texts[row] ?? null;
  const v = column.numbers[row]!;
  return Number.isNaN(v) ? null : String(v);
}

/** Fits the preprocessing on `rows` (training rows only). */
export function fitPreprocessor(table: Table, rows: readonly number[], options: FitOptions): Preprocessor {
  const targetColumn = tableColumn(table, options.target, 'target column');
  const task = options.task && options.task !== 'auto' ? options.task : inferTask(targetColumn, rows);
  const names = options.features ?? table.columns.map((c) => c.name).filter((n) => n !== options.target);
  if (names.length === 0)
    throw new UserError('no feature columns: the data has only the target column', 'Add feature columns, or list them in train.features.');
  if (names.includes(options.target))
    throw new UserError(`train.features lists the target "${options.target}"`, 'Remove the target from the features.');
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const features: FeatureSpec[] = names.map((name) => {
    const column = tableColumn(table, name, 'feature column');
    if (!column.texts) {
      const { mean, std } = meanAndStd(column.numbers, rows);
      return { name, kind: 'numeric', mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
    }
    const counts = new Map<string, number>();
    for (const r of rows) {
      const t = column.texts[r];
      if (t !== null && t !== undefined) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const categories = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxCategories)
      .map(([value]) => value);
    return { name, kind: 'categorical', categories };
  });
  let target: TargetSpec;
  if (task === 'classification') {
    const classes = new Set<string>();
    for (const r of rows) {
      const label = labelOf(targetColumn, r);
      if (label !== null) classes.add(label);
    }
    const sorted = [...classes].sort(compareLabels);
    if (sorted.length < 2) {
      throw new UserError(
        `target "${options.target}" has ${sorted.length} class in the training rows; classification needs at least 2`,
        'Check the target column, or set train.task: regression.',
      );
    }
    target = { name: options.target, task, classes: sorted };
  } else {
    if (targetColumn.texts)
      throw new UserError(
        `target "${options.target}" holds text, so it cannot be a regression target`,
        'Set train.task: classification, or pick a numeric target.',
      );
    const { mean, std } = meanAndStd(targetColumn.numbers, rows);
    target = { name: options.target, task, mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
  }
  const width = features.reduce((w, f) => w + (f.kind === 'numeric' ? 1 : f.categories.length + 1), 0);
  return { format: PREPROCESS_FORMAT, features, target, width };
}

/** Mean and sample standard deviation of the finite values at `rows`, in two passes (exact for large offsets). */
function meanAndStd(values: Float64Array, rows: readonly number[]): { mean: number; std: number } {
  let n = 0;
  let sum = 0;
  for (const r of rows) {
    const v = values[r]!;
    if (Number.isFinite(v)) {
      n++;
      sum += v;
    }
  }
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (const r of rows) {
    const v = values[r]!;
    if (Number.isFinite(v)) squares += (v - mean) * (v - mean);
  }
  return { mean, std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0 };
}

/** Numbers first, in numeric order; then text in code-point order. */
export function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const aNum = a.trim() !== '' && Number.isFinite(na);
  const bNum = b.trim() !== '' && Number.isFinite(nb);
  if (aNum && bNum) return na - nb;
  if (aNum !== bNum) return aNum ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The signature of a model fitted with this preprocessing: its feature columns and target, as its graph takes them. */
export function preprocessSignature(pre: Preprocessor): ModelSignature {
  return {
    features: pre.features.map((f) => ({ name: f.name, type: f.kind === 'numeric' ? 'number' : 'string' })),
    target:
      pre.target.task === 'classification'
        ? { ...pre.target, classes: [...pre.target.classes] }
        : { name: pre.target.name, task: 'regression' },
    probabilities: true,
  };
}

/** Encodes `rows` of the table into a row-major Float32Array of rows x width. */
export function encodeFeatures(pre: Preprocessor, table: Table, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * pre.width);
  let offset = 0;
  for (const feature of pre.features) {
    const column = tableColumn(table, feature.name, 'feature column');
    if (feature.kind === 'numeric') {
      for (let i = 0; i < rows.length; i++) {
        let v = column.numbers[rows[i]!]!;
        if (!Number.isFinite(v)) v = feature.mean;
        out[i * pre.width + offset] = (v - feature.mean) / feature.std;
      }
      offset += 1;
    } else {
      const index = new Map(feature.categories.map((c, i) => [c, i]));
      const unknown = feature.categories.length;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        const text = column.texts ? column.texts[r] : Number.isNaN(column.numbers[r]!) ? null : String(column.numbers[r]);
        const slot = text === null || text === undefined ? unknown : (index.get(text) ?? unknown);
        out[i * pre.width + offset + slot] = 1;
      }
      offset += feature.categories.length + 1;
    }
  }
  return out;
}

/** Rows whose target is present (and, for classification, a known class). */
export function labelledRows(pre: Preprocessor, table: Table, rows: readonly number[]): number[] {
  const column = tableColumn(table, pre.target.name, 'target column');
  if (pre.target.task === 'classification') {
    const known = new Set(pre.target.classes);
    return rows.filter((r) => {
      const label = labelOf(column, r);
      return label !== null && known.has(label);
    });
  }
  return rows.filter((r) => Number.isFinite(column.numbers[r]!));
}

/** Class indices (classification) or standardized values (regression) of `rows`, which must be labelled. */
export function encodeTarget(pre: Preprocessor, table: Table, rows: readonly number[]): Int32Array | Float32Array {
  const column = tableColumn(table, pre.target.name, 'target column');
  const target = pre.target;
  if (target.task === 'classification') {
    const index = new Map(target.classes.map((c, i) => [c, i]));
    return Int32Array.from(rows, (r) => index.get(labelOf(column, r) ?? '') ?? -1);
  }
  return Float32Array.from(rows, (r) => (column.numbers[r]! - target.mean) / target.std);
}
