/**
 * The trees' columns for the gbdt kind: how each feature becomes the columns the trees
 * split on (the layout), for training (boost.ts bins them), for the TypeScript prediction
 * and for the exported graph (export.ts builds the same columns from the raw inputs).
 *
 * Conventions, per feature in `pre.features` order:
 * - numeric: one column, the raw value as float32 (NaN for missing; infinities kept).
 * - one-hot (gbdt_categorical: one-hot): the shared preprocessing's block, k + 1 columns
 *   of 0/1 (the k most frequent values of max_categories, then the unknown slot), exactly
 *   `encodeFeatures`'s.
 * - categorical (gbdt_categorical: native): one column, the category's index as a float
 *   (its bin), NaN for a missing value ("" too, as the graph's inputs say missing), a value
 *   never seen in training, or one of the rarest values beyond max_bins categories: as
 *   scikit-learn's HistGradientBoosting, which bins at most max_bins categories and takes
 *   unknown ones as missing. The categories are the training rows' values, most frequent
 *   first (ties in code-point order), at most max_bins; the shared max_categories (the
 *   one-hot's limit) does not apply.
 */
import { tableColumn } from '../../../data/table.js';
import type { Table } from '../../../data/table.js';
import { encodeFeatures } from '../../preprocess.js';
import type { Preprocessor } from '../../preprocess.js';
import type { ColumnValues } from './bins.js';

export type CategoricalMode = 'native' | 'one-hot';

export type TreeFeature =
  | { name: string; kind: 'numeric' }
  | { name: string; kind: 'one-hot'; categories: string[] }
  /** counts: each category's training rows (the export orders its graph positions by them). */
  | { name: string; kind: 'categorical'; categories: string[]; counts: number[] };

/** How the features become tree columns; `width` columns in all. */
export interface TreeLayout {
  features: TreeFeature[];
  width: number;
}

/** Columns a feature takes. */
export function featureWidth(feature: TreeFeature): number {
  return feature.kind === 'one-hot' ? feature.categories.length + 1 : 1;
}

/** The text of a row of a text feature, or null when missing ("" is missing, as in the graph). */
function textAt(column: { numbers: Float64Array; texts: Array<string | null> | null }, row: number): string | null {
  const text = column.texts ? column.texts[row] : Number.isNaN(column.numbers[row]!) ? null : String(column.numbers[row]);
  return text === undefined || text === null || text === '' ? null : text;
}

/** The layout for `pre` in `mode`; native categories come from the training rows (at most maxBins per feature). */
export function treeLayout(
  pre: Preprocessor,
  table: Table,
  trainRows: readonly number[],
  mode: CategoricalMode,
  maxBins: number,
): TreeLayout {
  const features = pre.features.map((feature): TreeFeature => {
    if (feature.kind === 'numeric') return { name: feature.name, kind: 'numeric' };
    if (mode === 'one-hot') return { name: feature.name, kind: 'one-hot', categories: [...feature.categories] };
    const column = tableColumn(table, feature.name, 'feature column');
    const counts = new Map<string, number>();
    for (const r of trainRows) {
      const text = textAt(column, r);
      if (text !== null) counts.set(text, (counts.get(text) ?? 0) + 1);
    }
    const kept = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, maxBins);
    return { name: feature.name, kind: 'categorical', categories: kept.map(([value]) => value), counts: kept.map(([, n]) => n) };
  });
  return { features, width: features.reduce((w, f) => w + featureWidth(f), 0) };
}

/** Each native categorical feature's codes for `rows` (category index, NaN when missing or unknown), by feature position. */
function categoryCodes(layout: TreeLayout, table: Table, rows: readonly number[]): Map<number, Float32Array> {
  const codes = new Map<number, Float32Array>();
  layout.features.forEach((feature, f) => {
    if (feature.kind !== 'categorical') return;
    const column = tableColumn(table, feature.name, 'feature column');
    const index = new Map(feature.categories.map((c, i) => [c, i]));
    codes.set(
      f,
      Float32Array.from(rows, (r) => {
        const text = textAt(column, r);
        return text === null ? NaN : (index.get(text) ?? NaN);
      }),
    );
  });
  return codes;
}

/**
 * The trees' input for `rows` of a table, row-major (rows x layout.width), as the graph
 * builds it. `encoded` (`encodeFeatures` of the same rows) saves encoding the one-hot
 * blocks again when the caller has it.
 */
export function treeInput(
  pre: Preprocessor,
  layout: TreeLayout,
  table: Table,
  rows: readonly number[],
  encoded?: Float32Array,
): Float32Array {
  const width = layout.width;
  const x = new Float32Array(rows.length * width);
  const oneHot = layout.features.some((f) => f.kind === 'one-hot');
  const enc = oneHot ? (encoded ?? encodeFeatures(pre, table, rows)) : null;
  const codes = categoryCodes(layout, table, rows);
  let offset = 0;
  let encOffset = 0;
  layout.features.forEach((feature, f) => {
    const pf = pre.features[f]!;
    const encWidth = pf.kind === 'numeric' ? 1 : pf.categories.length + 1;
    if (feature.kind === 'numeric') {
      const numbers = tableColumn(table, feature.name, 'feature column').numbers;
      for (let i = 0; i < rows.length; i++) x[i * width + offset] = numbers[rows[i]!]!;
    } else if (feature.kind === 'one-hot') {
      const k = feature.categories.length + 1;
      for (let i = 0; i < rows.length; i++) for (let j = 0; j < k; j++) x[i * width + offset + j] = enc![i * pre.width + encOffset + j]!;
    } else {
      const c = codes.get(f)!;
      for (let i = 0; i < rows.length; i++) x[i * width + offset] = c[i]!;
    }
    offset += featureWidth(feature);
    encOffset += encWidth;
  });
  return x;
}

/**
 * The trees' columns for training: `rows` of the table, and `encoded` (`encodeFeatures`
 * of the same rows, row-major) for the one-hot blocks, read in place (no copy). `encoded`
 * is only called when the layout has a one-hot block: numbers and native categories come
 * from the table, so a layout without one-hot never needs the rows x pre.width encoding.
 */
export function layoutColumns(
  pre: Preprocessor,
  layout: TreeLayout,
  table: Table,
  rows: readonly number[],
  encoded: () => Float32Array,
): ColumnValues[] {
  const codes = categoryCodes(layout, table, rows);
  const columns: ColumnValues[] = [];
  const enc = layout.features.some((f) => f.kind === 'one-hot') ? encoded() : null;
  let encOffset = 0;
  layout.features.forEach((feature, f) => {
    const pf = pre.features[f]!;
    if (feature.kind === 'numeric') {
      const numbers = tableColumn(table, feature.name, 'feature column').numbers;
      columns.push((i) => Math.fround(numbers[rows[i]!]!));
    } else if (feature.kind === 'one-hot') {
      for (let slot = 0; slot <= feature.categories.length; slot++) {
        const j = encOffset + slot;
        columns.push((i) => enc![i * pre.width + j]!);
      }
    } else {
      const c = codes.get(f)!;
      columns.push((i) => c[i]!);
    }
    encOffset += pf.kind === 'numeric' ? 1 : pf.categories.length + 1;
  });
  return columns;
}

/** The one-hot blocks of a layout: [first column, size] each (boost.ts counts them one update per row). */
export function oneHotGroups(layout: TreeLayout): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  let offset = 0;
  for (const feature of layout.features) {
    if (feature.kind === 'one-hot') groups.push([offset, feature.categories.length + 1]);
    offset += featureWidth(feature);
  }
  return groups;
}

/** The number of categories of each column that is a native categorical feature, else -1 (bins.ts bins those as codes). */
export function categoricalColumns(layout: TreeLayout): Int32Array {
  const out = new Int32Array(layout.width).fill(-1);
  let offset = 0;
  for (const feature of layout.features) {
    if (feature.kind === 'categorical') out[offset] = feature.categories.length;
    offset += featureWidth(feature);
  }
  return out;
}

/** The feature of each column (a one-hot block's columns all name their feature). */
export function columnFeatures(layout: TreeLayout): number[] {
  return layout.features.flatMap((feature, f) => Array.from({ length: featureWidth(feature) }, () => f));
}
