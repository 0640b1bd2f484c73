/**
 * What the exported graphs are checked against: tables built in memory, the feeds a
 * caller gives the graph (numbers as float32 with NaN for missing, text with "" for
 * missing), and a plain TypeScript forward pass (encodeFeatures, then each dense layer in
 * float64 with TensorFlow.js's activation definitions). Also seeded random dense layers and
 * the two ONNX Runtimes (onnxruntime-node, and onnxruntime-web on one WebAssembly thread).
 */
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as OrtWeb from 'onnxruntime-web';
import type { Table, TableColumn } from '../../src/core/data/table.js';
import type { DenseActivation, DenseLayer } from '../../src/core/model/export-onnx.js';
import { encodeFeatures } from '../../src/core/model/preprocess.js';
import type { Preprocessor } from '../../src/core/model/preprocess.js';
import { prng } from './random.js';

export type Cell = number | string | null;

/**
 * A table from columns of cells. A column of numbers and nulls is numeric (NaN for null;
 * NaN and infinities stay as given); a column holding any text keeps its texts (numbers as
 * their text, null for missing), as the table reader does.
 */
export function makeTable(columns: Record<string, readonly Cell[]>): Table {
  const entries = Object.entries(columns);
  const rows = entries[0]?.[1].length ?? 0;
  const out: TableColumn[] = entries.map(([name, cells]) => {
    if (cells.length !== rows) throw new Error(`column ${name} has ${cells.length} rows, not ${rows}`);
    const hasText = cells.some((c) => typeof c === 'string');
    const numbers = Float64Array.from(cells, (c) => (typeof c === 'number' ? c : NaN));
    return {
      name,
      numbers,
      texts: hasText ? cells.map((c) => (c === null ? null : typeof c === 'number' ? (Number.isNaN(c) ? null : String(c)) : c)) : null,
      present: cells.filter((c) => c !== null && !(typeof c === 'number' && Number.isNaN(c))).length,
      numeric: cells.filter((c) => typeof c === 'number' && Number.isFinite(c)).length,
    };
  });
  return { rows, columns: out, files: [] };
}

/** Anything with the Tensor constructor of onnxruntime-common. */
type TensorApi = Pick<typeof OrtWeb, 'Tensor'>;

/** The graph's feeds for `rows`: per feature, float32 [n, 1] (NaN for missing) or string [n, 1] ("" for missing). */
export function graphFeeds(ort: TensorApi, pre: Preprocessor, table: Table, rows: readonly number[]): Record<string, OrtWeb.Tensor> {
  const feeds: Record<string, OrtWeb.Tensor> = Object.create(null) as Record<string, OrtWeb.Tensor>;
  for (const feature of pre.features) {
    const column = table.columns.find((c) => c.name === feature.name)!;
    if (feature.kind === 'numeric')
      feeds[feature.name] = new ort.Tensor(
        'float32',
        Float32Array.from(rows, (r) => column.numbers[r]!),
        [rows.length, 1],
      );
    else {
      const texts = rows.map((r) =>
        column.texts ? (column.texts[r] ?? '') : Number.isNaN(column.numbers[r]!) ? '' : String(column.numbers[r]!),
      );
      feeds[feature.name] = new ort.Tensor('string', texts, [rows.length, 1]);
    }
  }
  return feeds;
}

/** erf to about 1e-12 absolute: its Taylor series below 3, the asymptotic series of erfc above. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 80; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let term = 1;
  let series = 1;
  for (let n = 1; n < 40; n++) {
    const next = (term * -(2 * n - 1)) / (2 * ax * ax);
    if (Math.abs(next) >= Math.abs(term)) break;
    term = next;
    series += term;
  }
  return Math.sign(x) * (1 - (Math.exp(-ax * ax) / (ax * Math.sqrt(Math.PI))) * series);
}

const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473768;

/** An activation as TensorFlow.js defines it, on a row of values (softmax needs the row). */
export function activateRow(values: Float64Array, activation: DenseActivation): Float64Array {
  if (activation === 'softmax') {
    const max = Math.max(...values);
    const exps = values.map((v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((v) => v / sum);
  }
  const f: (x: number) => number = {
    linear: (x: number) => x,
    relu: (x: number) => Math.max(0, x),
    tanh: Math.tanh,
    sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
    elu: (x: number) => (x > 0 ? x : Math.expm1(x)),
    selu: (x: number) => (x > 0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * Math.expm1(x)),
    gelu: (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  }[activation];
  return values.map(f);
}

export interface Reference {
  /** Classification: rows x classes. */
  probabilities?: Float64Array;
  /** Classification: the class at the argmax (the first one on ties). */
  labels?: string[];
  /** Regression: the value in the target's units. */
  variable?: Float64Array;
}

/** The predictions of the preprocessing plus `layers`, computed in plain TypeScript. */
export function referencePredict(pre: Preprocessor, layers: readonly DenseLayer[], table: Table, rows: readonly number[]): Reference {
  const x = encodeFeatures(pre, table, rows);
  const outputs: Float64Array[] = [];
  for (let r = 0; r < rows.length; r++) {
    let h: Float64Array = Float64Array.from(x.subarray(r * pre.width, (r + 1) * pre.width));
    for (const layer of layers) {
      const z = new Float64Array(layer.units);
      for (let u = 0; u < layer.units; u++) {
        let s = layer.bias[u]!;
        for (let i = 0; i < layer.inputs; i++) s += h[i]! * layer.kernel[i * layer.units + u]!;
        z[u] = s;
      }
      h = activateRow(z, layer.activation);
    }
    outputs.push(h);
  }
  const target = pre.target;
  if (target.task === 'regression') return { variable: Float64Array.from(outputs, (o) => o[0]! * target.std + target.mean) };
  const c = target.classes.length;
  const probabilities = new Float64Array(rows.length * c);
  const labels: string[] = [];
  outputs.forEach((o, r) => {
    const p = o.length === 1 ? [1 - o[0]!, o[0]!] : [...o];
    let best = 0;
    p.forEach((v, k) => {
      probabilities[r * c + k] = v;
      if (v > p[best]!) best = k;
    });
    labels.push(target.classes[best]!);
  });
  return { probabilities, labels };
}

/** Seeded dense layers of widths `units` (the first takes `inputs`), weights uniform in +-2/sqrt(inputs). */
export function randomLayers(
  seed: number,
  inputs: number,
  units: readonly number[],
  activations: readonly DenseActivation[],
): DenseLayer[] {
  const random = prng(seed);
  let width = inputs;
  return units.map((u, i) => {
    const scale = 2 / Math.sqrt(width);
    const layer: DenseLayer = {
      kernel: Float32Array.from({ length: width * u }, () => (random() * 2 - 1) * scale),
      bias: Float32Array.from({ length: u }, () => random() - 0.5),
      inputs: width,
      units: u,
      activation: activations[i]!,
    };
    width = u;
    return layer;
  });
}

/** onnxruntime-web in Node, as the project runs it: one thread, no proxy worker, the WebAssembly files of the installed package. */
export async function loadOrtWeb(): Promise<typeof OrtWeb> {
  const module = (await import('onnxruntime-web')) as typeof OrtWeb & { default?: typeof OrtWeb };
  const ort = typeof module.InferenceSession?.create === 'function' ? module : module.default!;
  const require = createRequire(import.meta.url);
  const wasmDir = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = `${pathToFileURL(wasmDir).href}/`;
  ort.env.logLevel = 'error';
  return ort;
}
