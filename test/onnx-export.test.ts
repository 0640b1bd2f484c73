/**
 * The exported graph of a built-in network, against its contract (export-onnx.ts): onnx's
 * checker accepts it (full check, when Python's onnx is there: skipped with the reason
 * otherwise, an error on CI); onnxruntime-node and onnxruntime-web (WebAssembly, one
 * thread) predict from the raw columns what `encodeFeatures` plus plain dense math
 * predicts, within 1e-5, on a table with numbers and text, missing values, NaN and
 * infinities, values never seen in training and column names like `__proto__`, `a b`,
 * `x.y`, unicode and one starting with the internal prefix; for binary, multi-class
 * (string and integer classes) and regression targets, and every activation (also
 * against TensorFlow.js's own layers). Then the conversion of model directories written
 * before ONNX (TensorFlow.js layers files, written by hand and by TensorFlow.js itself),
 * and its errors.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type * as OrtWeb from 'onnxruntime-web';
import * as tf from '@tensorflow/tfjs-core';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { readTable } from '../src/core/data/table.js';
import { UserError } from '../src/core/errors.js';
import type { Table } from '../src/core/data/table.js';
import { DENSE_ACTIVATIONS, ONNX_METADATA, exportNetwork, tfjsDirToOnnx } from '../src/core/model/export-onnx.js';
import type { DenseActivation, DenseLayer } from '../src/core/model/export-onnx.js';
import { PREPROCESS_FORMAT, encodeFeatures, fitPreprocessor, preprocessSignature } from '../src/core/model/preprocess.js';
import { readModelGraph } from '../src/core/model/model-io.js';
import type { ModelCard } from '../src/core/contracts/index.js';
import type { Preprocessor } from '../src/core/model/preprocess.js';
import { inspectOnnx } from '../src/core/onnx/graph.js';
import { decodeMessage, fieldMessage, fieldString } from '../src/core/onnx/proto.js';
import { EXAMPLE, makeTempDir, removeTempDirs } from './support/action-runner.js';
import { userErrorOf } from './support/errors.js';
import { checkModels, onnxPython } from './support/onnx-python.js';
import { graphFeeds, loadOrtWeb, makeTable, randomLayers, referencePredict } from './support/onnx-reference.js';
import type { Cell, Reference } from './support/onnx-reference.js';
import { prng } from './support/random.js';

afterAll(removeTempDirs);

const py = onnxPython();
const withPython = ('python' in py ? test : test.skip) as typeof test;
const skipped = 'missing' in py ? `(skipped: ${py.missing}) ` : '';
const python = 'python' in py ? py.python : '';

const TOLERANCE = 1e-5;
const META = { algorithm: 'mlp', producerVersion: 'test/1' };

/** Every graph the tests export, checked by onnx's checker in one Python process (the last describe). */
const EXPORTED: Array<{ name: string; bytes: Uint8Array }> = [];
function exported(name: string, bytes: Uint8Array): Uint8Array {
  EXPORTED.push({ name, bytes });
  return bytes;
}

/** Writes graphs to files and runs onnx's full check on them all in one Python process. */
async function check(graphs: readonly Uint8Array[]): Promise<Array<string | null>> {
  const dir = await makeTempDir('mlops-onnx-check-');
  const files = await Promise.all(
    graphs.map(async (bytes, i) => {
      const file = join(dir, `model-${i}.onnx`);
      await writeFile(file, bytes);
      return file;
    }),
  );
  return checkModels(python, files);
}

// ---------------------------------------------------------------------------------------
// The data: 40 training rows, then 12 rows of what training never saw.

const HOSTILE = ['__proto__', 'a b', 'x.y', 'ünï ✓ 日本', 'mlops/features', 'constructor'] as const;
const TRAIN_ROWS = Array.from({ length: 40 }, (_, i) => i);

function hostileTable(): Table {
  const random = prng(2024);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const cols: Record<string, Cell[]> = {
    ['__proto__']: [],
    'a b': [],
    'x.y': [],
    'ünï ✓ 日本': [],
    'mlops/features': [],
    constructor: [],
    y_bin: [],
    y_bin_int: [],
    y_multi: [],
    y_int: [],
    y_reg: [],
  };
  for (let i = 0; i < 40; i++) {
    const a = random() * 20 + 40;
    const b = random() < 0.15 ? null : random() * 4 - 2;
    cols['__proto__']!.push(a);
    cols['a b']!.push(random() < 0.1 ? null : pick(['red', 'green', 'blue', 'violet']));
    cols['x.y']!.push(b);
    cols['ünï ✓ 日本']!.push(pick(['é', '日本', 'ß', 'plain text']));
    cols['mlops/features']!.push(random() * 1000);
    cols['constructor' as string]!.push(pick<Cell>([1, 2, 'x', null]));
    cols.y_bin!.push(pick(['no', 'yes']));
    cols.y_bin_int!.push(pick([0, 1]));
    cols.y_multi!.push(pick(['Adélie', 'Chinstrap', 'Gentoo']));
    cols.y_int!.push(pick([-1, 2, 10]));
    cols.y_reg!.push(1000 + 200 * (random() - 0.5) + a);
  }
  const unseen: Array<Record<string, Cell>> = [
    { ['__proto__']: NaN, 'x.y': Infinity },
    { ['__proto__']: -Infinity, 'x.y': -Infinity, 'mlops/features': NaN },
    { ['__proto__']: null, 'x.y': null, 'mlops/features': Infinity },
    { 'a b': 'purple', 'ünï ✓ 日本': 'ü', constructor: 'y' },
    { 'a b': '', 'ünï ✓ 日本': '', constructor: '' },
    { 'a b': null, 'ünï ✓ 日本': null, constructor: null },
    { 'a b': 'RED', 'ünï ✓ 日本': '日本 ', constructor: 3 },
    { ['__proto__']: 1e6, 'x.y': -1e4, 'mlops/features': -5 },
    { ['__proto__']: 0, 'x.y': 0, 'mlops/features': 0 },
    { 'a b': 'green', constructor: 2 },
    { 'a b': 'blue', 'x.y': 1.5 },
    {},
  ];
  for (const overrides of unseen) {
    const row: Record<string, Cell> = {
      ['__proto__']: 50,
      'a b': 'red',
      'x.y': 0.5,
      'ünï ✓ 日本': 'ß',
      'mlops/features': 500,
      constructor: 'x',
      y_bin: 'no',
      y_bin_int: 0,
      y_multi: 'Gentoo',
      y_int: 2,
      y_reg: 1000,
    };
    for (const [key, value] of Object.entries(overrides)) row[key] = value;
    for (const [key, value] of Object.entries(row)) cols[key]!.push(value);
  }
  return makeTable(cols);
}

const TABLE = hostileTable();
const ALL_ROWS = Array.from({ length: TABLE.rows }, (_, i) => i);

function preprocessorFor(target: string, task: 'classification' | 'regression'): Preprocessor {
  return fitPreprocessor(TABLE, TRAIN_ROWS, { target, task, features: [...HOSTILE] });
}

/** The outputs of a session on every row of a table, as plain arrays. */
async function predictWith(
  api: typeof OrtWeb | typeof ort,
  bytes: Uint8Array,
  pre: Preprocessor,
  table: Table,
  rows: readonly number[],
): Promise<Record<string, OrtWeb.Tensor>> {
  const session = await (api as typeof OrtWeb).InferenceSession.create(bytes);
  try {
    return await session.run(graphFeeds(api as typeof OrtWeb, pre, table, rows));
  } finally {
    await session.release();
  }
}

/** Checks the graph's outputs against the reference: probabilities and labels, or values. */
function expectMatches(out: Record<string, OrtWeb.Tensor>, ref: Reference, pre: Preprocessor, rows: number): void {
  if (pre.target.task === 'regression') {
    expect(Object.keys(out)).toEqual(['variable']);
    expect(out.variable!.dims).toEqual([rows, 1]);
    const v = out.variable!.data as Float32Array;
    ref.variable!.forEach((expected, r) =>
      expect(Math.abs(v[r]! - expected)).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(expected))),
    );
    return;
  }
  const c = pre.target.classes.length;
  expect(out.probabilities!.type).toBe('float32');
  expect(out.probabilities!.dims).toEqual([rows, c]);
  const p = out.probabilities!.data as Float32Array;
  ref.probabilities!.forEach((expected, i) => expect(Math.abs(p[i]! - expected)).toBeLessThanOrEqual(TOLERANCE));
  if (!out.label) return;
  expect(out.label.dims).toEqual([rows]);
  const labels = Array.from(out.label.data as ArrayLike<unknown>, String);
  for (let r = 0; r < rows; r++) {
    const sorted = [...ref.probabilities!.subarray(r * c, (r + 1) * c)].sort((a, b) => b - a);
    // A near tie may break either way in float32.
    if (sorted[0]! - sorted[1]! > 1e-4) expect(labels[r]).toBe(ref.labels![r]);
  }
}

let web: typeof OrtWeb;
beforeAll(async () => {
  web = await loadOrtWeb();
});

// ---------------------------------------------------------------------------------------

const TASKS = [
  { name: 'binary, string classes', target: 'y_bin', task: 'classification', hidden: ['relu', 'tanh'], label: 'string' },
  { name: 'binary, integer classes', target: 'y_bin_int', task: 'classification', hidden: ['gelu'], label: 'int64' },
  { name: 'multi-class, string classes', target: 'y_multi', task: 'classification', hidden: ['elu', 'selu'], label: 'string' },
  { name: 'multi-class, integer classes', target: 'y_int', task: 'classification', hidden: ['sigmoid'], label: 'int64' },
  { name: 'regression', target: 'y_reg', task: 'regression', hidden: ['relu', 'gelu'], label: null },
] as const;

function networkFor(pre: Preprocessor, hidden: readonly DenseActivation[], seed: number): DenseLayer[] {
  const head: DenseActivation = pre.target.task === 'regression' ? 'linear' : pre.target.classes.length === 2 ? 'sigmoid' : 'softmax';
  const outUnits = pre.target.task === 'regression' || pre.target.classes.length === 2 ? 1 : pre.target.classes.length;
  return randomLayers(seed, pre.width, [...hidden.map((_, i) => 6 - i), outUnits], [...hidden, head]);
}

describe.each(TASKS)('$name', ({ target, task, hidden, label }) => {
  const pre = preprocessorFor(target, task);
  const layers = networkFor(pre, hidden, target.length);
  const bytes = exported(target, exportNetwork(pre, layers, META));
  const ref = referencePredict(pre, layers, TABLE, ALL_ROWS);

  test('onnxruntime-node predicts what the preprocessing plus the network predict', async () => {
    const out = await predictWith(ort, bytes, pre, TABLE, ALL_ROWS);
    if (label) expect(out.label!.type).toBe(label);
    expectMatches(out, ref, pre, ALL_ROWS.length);
  });

  test('onnxruntime-web (WebAssembly, one thread) predicts the same', async () => {
    expectMatches(await predictWith(web, bytes, pre, TABLE, ALL_ROWS), ref, pre, ALL_ROWS.length);
  });

  test('the graph states the contract: inputs per column in feature order, outputs, opsets, metadata', () => {
    const info = inspectOnnx(bytes, 'model.onnx');
    expect(info.irVersion).toBe(8);
    expect(info.producer).toBe('mlops-actions');
    expect({ ...info.opsets }).toEqual({ '': 15, 'ai.onnx.ml': 2 });
    expect(info.inputs).toEqual(
      pre.features.map((f) => ({ name: f.name, kind: 'tensor', elemType: f.kind === 'numeric' ? 'float32' : 'string', shape: ['N', 1] })),
    );
    const classes = pre.target.task === 'classification' ? pre.target.classes : [];
    expect(info.outputs).toEqual(
      label === null
        ? [{ name: 'variable', kind: 'tensor', elemType: 'float32', shape: ['N', 1] }]
        : [
            { name: 'label', kind: 'tensor', elemType: label, shape: ['N'] },
            { name: 'probabilities', kind: 'tensor', elemType: 'float32', shape: ['N', classes.length] },
          ],
    );
    expect(info.metadata[ONNX_METADATA.algorithm]).toBe('mlp');
    expect(JSON.parse(info.metadata[ONNX_METADATA.features]!)).toEqual(
      pre.features.map((f) => ({ name: f.name, type: f.kind === 'numeric' ? 'number' : 'string' })),
    );
    expect(JSON.parse(info.metadata[ONNX_METADATA.target]!)).toEqual(
      pre.target.task === 'classification' ? { name: target, task, classes } : { name: target, task },
    );
    expect(info.classLabels).toBeNull();
  });
});

describe('the graph', () => {
  const pre = preprocessorFor('y_multi', 'classification');
  const layers = networkFor(pre, ['relu'], 5);
  const bytes = exported('hostile names', exportNetwork(pre, layers, META));

  test('internal names never collide with a column: all start with a prefix no column starts with', () => {
    const graph = fieldMessage(decodeMessage(bytes).find((f) => f.number === 7)!);
    const nodeNames: string[] = [];
    const nodeOutputs: string[] = [];
    const initializers: string[] = [];
    for (const field of graph) {
      if (field.number === 1)
        for (const f of fieldMessage(field)) {
          if (f.number === 2) nodeOutputs.push(fieldString(f));
          if (f.number === 3) nodeNames.push(fieldString(f));
        }
      if (field.number === 5) for (const f of fieldMessage(field)) if (f.number === 8) initializers.push(fieldString(f));
    }
    expect(nodeNames.length).toBeGreaterThan(10);
    for (const names of [nodeNames, nodeOutputs, initializers]) expect(new Set(names).size).toBe(names.length);
    const tensors = [...nodeOutputs, ...initializers];
    expect(new Set(tensors).size).toBe(tensors.length);
    // "mlops/features" is a column, so the prefix moves on to "mlops1/"; only the graph outputs are not under it.
    for (const name of [...nodeNames, ...tensors.filter((n) => n !== 'label' && n !== 'probabilities')]) expect(name).toMatch(/^mlops1\//);
    for (const column of HOSTILE) expect(tensors).not.toContain(column);
  });

  test('an empty batch gives empty outputs', async () => {
    for (const api of [ort, web] as const) {
      const out = await predictWith(api, bytes, pre, TABLE, []);
      expect(out.probabilities!.dims).toEqual([0, 3]);
      expect(out.label!.dims).toEqual([0]);
    }
  });

  const noCategories = makeTable({ n: [1, 2, null, 4], none: ['a', null, 'b', ''], blank: [null, 'x', 'y', 'x'] });
  const hand: Preprocessor = {
    format: PREPROCESS_FORMAT,
    features: [
      { name: 'none', kind: 'categorical', categories: [] },
      { name: 'n', kind: 'numeric', mean: 2, std: 1.5 },
      { name: 'blank', kind: 'categorical', categories: ['', 'x'] },
    ],
    target: { name: 't', task: 'classification', classes: ['p', 'q'] },
    width: 1 + 1 + 3,
  };
  const handNet = randomLayers(3, hand.width, [3, 1], ['tanh', 'sigmoid']);
  const handGraph = exported('no categories', exportNetwork(hand, handNet, META));

  test('a text column with no categories, and one whose category is "" (which the graph reads as missing)', async () => {
    const rows = [0, 1, 2, 3];
    const ref = referencePredict(hand, handNet, noCategories, rows);
    expectMatches(await predictWith(ort, handGraph, hand, noCategories, rows), ref, hand, rows.length);
    expectMatches(await predictWith(web, handGraph, hand, noCategories, rows), ref, hand, rows.length);
  });

  const labelTable = makeTable({ label: [1, 2, 3, 4], t: ['a', 'b', 'a', 'b'] });
  const labelPre = fitPreprocessor(labelTable, [0, 1, 2, 3], { target: 't' });
  const labelNet = randomLayers(4, labelPre.width, [1], ['sigmoid']);
  const labelGraph = exported('a feature named label', exportNetwork(labelPre, labelNet, META));

  test('a feature named "label" keeps its name: the graph then gives the probabilities only', async () => {
    const [table, p, net, graph] = [labelTable, labelPre, labelNet, labelGraph];
    expect(inspectOnnx(graph, 'm.onnx').outputs.map((o) => o.name)).toEqual(['probabilities']);
    const out = await predictWith(ort, graph, p, table, [0, 1, 2, 3]);
    expectMatches(out, referencePredict(p, net, table, [0, 1, 2, 3]), p, 4);
  });

  test.each([
    ['probabilities', 'classification'],
    ['variable', 'regression'],
  ] as const)('a feature named "%s" (the %s output) is a UserError', (name, task) => {
    const table = makeTable({ [name]: [1, 2, 3, 4], t: [0, 1, 0, 1.5] });
    const p = fitPreprocessor(table, [0, 1, 2, 3], { target: 't', task });
    const units =
      task === 'regression' ? 1 : p.target.task === 'classification' && p.target.classes.length > 2 ? p.target.classes.length : 1;
    const net = randomLayers(4, p.width, [units], [task === 'regression' ? 'linear' : units === 1 ? 'sigmoid' : 'softmax']);
    const error = userErrorOf(() => exportNetwork(p, net, META));
    expect(error.message).toBe(`the feature column "${name}" has the name of the model's output`);
    expect(error.hint).toContain('Rename the column');
  });

  test('a network that does not fit the preprocessing or the task is refused', () => {
    const wrongWidth = randomLayers(1, pre.width + 1, [3], ['softmax']);
    expect(() => exportNetwork(pre, wrongWidth, META)).toThrow(/takes \d+ inputs, but the preprocessing encodes/);
    const wrongHead = randomLayers(1, pre.width, [3], ['sigmoid']);
    expect(() => exportNetwork(pre, wrongHead, META)).toThrow(/ends with 3 softmax units/);
    const broken = randomLayers(1, pre.width, [4, 3], ['relu', 'softmax']);
    broken[1]!.inputs = 5;
    expect(() => exportNetwork(pre, broken, META)).toThrow(/kernel holds|layer before gives/);
  });

  test('a penguins-sized MLP (hidden [64, 32]) is small', async () => {
    const table = await readTable([join(EXAMPLE, 'data', 'penguins.csv')]);
    const rows = Array.from({ length: table.rows }, (_, i) => i);
    const p = fitPreprocessor(table, rows, { target: 'species' });
    const net = randomLayers(9, p.width, [64, 32, 3], ['relu', 'relu', 'softmax']);
    const graph = exportNetwork(p, net, { algorithm: 'mlp', producerVersion: 'builtin/1' });
    const weights = net.reduce((n, l) => n + 4 * (l.kernel.length + l.bias.length), 0);
    expect(graph.length).toBeGreaterThan(weights);
    expect(graph.length - weights).toBeLessThan(4096);
    expectMatches(await predictWith(ort, graph, p, table, rows), referencePredict(p, net, table, rows), p, rows.length);
  });
});

describe('every activation', () => {
  // The network's own output (target mean 0, std 1), so 1e-5 holds on the activations' values.
  const pre: Preprocessor = { ...preprocessorFor('y_reg', 'regression'), target: { name: 'y_reg', task: 'regression', mean: 0, std: 1 } };
  const cases = DENSE_ACTIVATIONS.map((activation, i) => {
    const layers = randomLayers(100 + i, pre.width, [7, 5, 1], [activation, activation, 'linear']);
    return { activation, layers, bytes: exported(activation, exportNetwork(pre, layers, META)) };
  });

  test.each(cases.map((c) => [c.activation, c] as const))('%s: onnxruntime-node and -web predict what the reference does', async (_, c) => {
    const ref = referencePredict(pre, c.layers, TABLE, ALL_ROWS);
    expectMatches(await predictWith(ort, c.bytes, pre, TABLE, ALL_ROWS), ref, pre, ALL_ROWS.length);
    expectMatches(await predictWith(web, c.bytes, pre, TABLE, ALL_ROWS), ref, pre, ALL_ROWS.length);
  });

  test("TensorFlow.js's own Dense layers give what the graph gives, for every activation", async () => {
    await tfReady();
    const x = encodeFeatures(pre, TABLE, ALL_ROWS);
    for (const c of cases) {
      const model = tfSequential(c.layers);
      const input = tf.tensor2d(x, [ALL_ROWS.length, pre.width]);
      const output = model.predict(input) as tf.Tensor;
      const y = (await output.data()) as Float32Array;
      input.dispose();
      output.dispose();
      model.dispose();
      const out = await predictWith(ort, c.bytes, pre, TABLE, ALL_ROWS);
      const v = out.variable!.data as Float32Array;
      y.forEach((expected, r) => expect(Math.abs(v[r]! - expected)).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(expected))));
    }
  });
});

/** TensorFlow.js on its cpu backend, its once-per-process advice to install tfjs-node kept out of the test output. */
async function tfReady(): Promise<void> {
  expect(version_cpu).toBeTruthy();
  await tf.setBackend('cpu');
  const warn = console.warn;
  console.warn = () => {};
  try {
    tf.tensor1d([0]).dispose();
  } finally {
    console.warn = warn;
  }
}

/** A TensorFlow.js Sequential model of `layers` (dropout after the first when `dropout`), with their weights. */
function tfSequential(layers: readonly DenseLayer[], dropout = false): tfl.Sequential {
  const model = tfl.sequential();
  layers.forEach((l, i) => {
    model.add(tfl.layers.dense({ units: l.units, activation: l.activation as 'relu', ...(i === 0 ? { inputShape: [l.inputs] } : {}) }));
    if (dropout && i === 0) model.add(tfl.layers.dropout({ rate: 0.5 }));
  });
  const dense = model.layers.filter((layer) => layer.getClassName() === 'Dense');
  dense.forEach((layer, i) => {
    const l = layers[i]!;
    layer.setWeights([tf.tensor2d(l.kernel, [l.inputs, l.units]), tf.tensor1d(l.bias)]);
  });
  return model;
}

// ---------------------------------------------------------------------------------------
// Directories written before ONNX

interface LegacyLayer {
  class_name: string;
  config: Record<string, unknown>;
}

/** Writes model.json and weights.bin as TensorFlow.js's layers format has them: a Sequential topology and float32 weights in manifest order. */
async function writeLegacy(
  dir: string,
  layers: readonly LegacyLayer[],
  weights: ReadonlyArray<{ name: string; shape: number[]; values: Float32Array; dtype?: string }>,
  options: { extraBytes?: number; cutBytes?: number; paths?: string[] } = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const topology = {
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential_1', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: options.paths ?? ['./weights.bin'],
        weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype ?? 'float32' })),
      },
    ],
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(topology));
  const total = weights.reduce((n, w) => n + w.values.length, 0);
  const data = Buffer.alloc(total * 4 + (options.extraBytes ?? 0));
  let offset = 0;
  for (const w of weights) for (const v of w.values) offset = data.writeFloatLE(v, offset);
  await writeFile(join(dir, 'weights.bin'), data.subarray(0, data.length - (options.cutBytes ?? 0)));
}

function denseConfig(name: string, units: number, activation: string, inputs?: number, useBias = true): LegacyLayer {
  return {
    class_name: 'Dense',
    config: {
      units,
      activation,
      use_bias: useBias,
      kernel_initializer: { class_name: 'GlorotUniform', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: 7 } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      name,
      trainable: true,
      ...(inputs !== undefined ? { batch_input_shape: [null, inputs], dtype: 'float32' } : {}),
    },
  };
}

describe('tfjsDirToOnnx: model directories written before ONNX', () => {
  const pre = preprocessorFor('y_multi', 'classification');
  const layers = randomLayers(77, pre.width, [5, 4, 3], ['relu', 'tanh', 'softmax']);
  layers[1]!.bias = new Float32Array(4); // the layer written without a bias
  const topology = [
    denseConfig('dense_Dense1', 5, 'relu', pre.width),
    { class_name: 'Dropout', config: { rate: 0.3, name: 'dropout_Dropout1', trainable: true } },
    denseConfig('dense_Dense2', 4, 'tanh', undefined, false),
    denseConfig('dense_Dense3', 3, 'softmax'),
  ];
  const weights = [
    { name: 'dense_Dense1/kernel', shape: [pre.width, 5], values: layers[0]!.kernel },
    { name: 'dense_Dense1/bias', shape: [5], values: layers[0]!.bias },
    { name: 'dense_Dense2/kernel', shape: [5, 4], values: layers[1]!.kernel },
    { name: 'dense_Dense3/kernel', shape: [4, 3], values: layers[2]!.kernel },
    { name: 'dense_Dense3/bias', shape: [3], values: layers[2]!.bias },
  ];

  test('files in the TensorFlow.js layers format (Dense, Dropout, a Dense without bias) convert to the same predictions', async () => {
    const dir = join(await makeTempDir('mlops-legacy-'), 'model');
    await writeLegacy(dir, topology, weights);
    const bytes = await tfjsDirToOnnx(dir, pre, 'mlp');
    const ref = referencePredict(pre, layers, TABLE, ALL_ROWS);
    expectMatches(await predictWith(ort, bytes, pre, TABLE, ALL_ROWS), ref, pre, ALL_ROWS.length);
    const info = inspectOnnx(bytes, 'model.onnx');
    expect(info.metadata[ONNX_METADATA.algorithm]).toBe('mlp');
    expect(info.inputs.map((i) => i.name)).toEqual([...HOSTILE]);
    if (python) expect(await check([bytes])).toEqual([null]);
  });

  test('a preprocess.json edited after training (a feature removed, a class renamed) is refused against its model card', async () => {
    const dir = join(await makeTempDir('mlops-legacy-'), 'model');
    await writeLegacy(dir, topology, weights);
    await writeFile(join(dir, 'preprocess.json'), JSON.stringify(pre));
    const signature = preprocessSignature(pre);
    const card = { trainer: { kind: 'builtin', algorithm: 'mlp' }, signature } as unknown as ModelCard;
    // As train wrote it: it loads, with the signature the card records.
    expect((await readModelGraph(dir, card)).legacy).toEqual(signature);
    const [dropped, ...kept] = pre.features;
    const classes = (pre.target as { classes: string[] }).classes;
    const edited: Array<[Preprocessor, RegExp]> = [
      [{ ...pre, features: kept }, /the card's \S+ \((number|string)\) is missing/],
      [
        { ...pre, target: { ...pre.target, classes: ['renamed', ...classes.slice(1)] } } as Preprocessor,
        /the target is .*renamed.*, the card records/,
      ],
    ];
    expect(dropped).toBeDefined();
    for (const [changed, message] of edited) {
      await writeFile(join(dir, 'preprocess.json'), JSON.stringify(changed));
      let error: unknown = null;
      await readModelGraph(dir, card).catch((e: unknown) => (error = e));
      expect(error).toBeInstanceOf(UserError);
      const { message: text, hint } = error as UserError;
      expect(text).toContain(join(dir, 'preprocess.json'));
      expect(text).toMatch(/is not the preprocessing its model card records/);
      expect(text).toMatch(message);
      expect(hint).toMatch(/changed after training/);
    }
  });

  test("weights whose names are not the layers' are taken in manifest order", async () => {
    const dir = join(await makeTempDir('mlops-legacy-'), 'model');
    await writeLegacy(
      dir,
      topology,
      weights.map((w, i) => ({ ...w, name: `w${i}` })),
    );
    expectMatches(
      await predictWith(ort, await tfjsDirToOnnx(dir, pre, 'mlp'), pre, TABLE, ALL_ROWS),
      referencePredict(pre, layers, TABLE, ALL_ROWS),
      pre,
      ALL_ROWS.length,
    );
  });

  test('a directory TensorFlow.js itself saved (as the previous format did) converts to what TensorFlow.js predicts', async () => {
    await tfReady();
    const binaryPre = preprocessorFor('y_bin', 'classification');
    const net = randomLayers(31, binaryPre.width, [6, 1], ['selu', 'sigmoid']);
    const model = tfSequential(net, true);
    const dir = join(await makeTempDir('mlops-legacy-'), 'model');
    await mkdir(dir);
    // What the format before ONNX wrote: model.save with a handler writing model.json and weights.bin.
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const data = artifacts.weightData
          ? Buffer.concat((Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]).map((b) => Buffer.from(b)))
          : Buffer.alloc(0);
        await writeFile(join(dir, 'weights.bin'), data);
        const modelJson = {
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        };
        await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const x = encodeFeatures(binaryPre, TABLE, ALL_ROWS);
    const input = tf.tensor2d(x, [ALL_ROWS.length, binaryPre.width]);
    const output = model.predict(input) as tf.Tensor;
    const p = (await output.data()) as Float32Array;
    input.dispose();
    output.dispose();
    model.dispose();
    const out = await predictWith(ort, await tfjsDirToOnnx(dir, binaryPre, 'linear'), binaryPre, TABLE, ALL_ROWS);
    const probabilities = out.probabilities!.data as Float32Array;
    p.forEach((v, r) => {
      expect(Math.abs(probabilities[r * 2 + 1]! - v)).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs(probabilities[r * 2]! - (1 - v))).toBeLessThanOrEqual(TOLERANCE);
    });
  });

  const kernel1 = (extra = 0) => ({
    name: 'dense_Dense1/kernel',
    shape: [pre.width + extra, 3],
    values: new Float32Array((pre.width + extra) * 3),
  });
  const bias1 = { name: 'dense_Dense1/bias', shape: [3], values: new Float32Array(3) };
  const ERRORS: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
    ['no model.json', async (dir) => void (await mkdir(dir, { recursive: true })), /model\.json could not be read \(ENOENT\)/],
    [
      'no weights.bin',
      async (dir) => {
        await writeLegacy(dir, [denseConfig('dense_Dense1', 3, 'softmax', pre.width)], [kernel1(), bias1]);
        await rm(join(dir, 'weights.bin'));
      },
      /weights\.bin \(the weights .*model\.json lists\) could not be read \(ENOENT\)/,
    ],
    [
      'model.json that is not JSON',
      async (dir) => {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'model.json'), '{"modelTopology": ');
      },
      /model\.json: not valid JSON/,
    ],
    [
      'a layer type it does not know',
      async (dir) =>
        writeLegacy(
          dir,
          [{ class_name: 'Conv2D', config: { name: 'conv2d_Conv2D1', filters: 3 } }, denseConfig('dense_Dense1', 3, 'softmax')],
          [kernel1(), bias1],
        ),
      /model\.json: layer 1 \("conv2d_Conv2D1"\) is a "Conv2D" layer; only Dense and Dropout layers can be converted/,
    ],
    [
      'an activation it does not know',
      async (dir) => writeLegacy(dir, [denseConfig('dense_Dense1', 3, 'swish', pre.width)], [kernel1(), bias1]),
      /model\.json: layer 1 \("dense_Dense1"\) has the activation "swish"/,
    ],
    [
      'a truncated weights.bin',
      async (dir) => writeLegacy(dir, [denseConfig('dense_Dense1', 3, 'softmax', pre.width)], [kernel1(), bias1], { cutBytes: 5 }),
      /weights\.bin holds \d+ bytes, too few for the weights .*model\.json lists/,
    ],
    [
      'a weights.bin with bytes to spare',
      async (dir) => writeLegacy(dir, [denseConfig('dense_Dense1', 3, 'softmax', pre.width)], [kernel1(), bias1], { extraBytes: 8 }),
      /weights\.bin holds \d+ bytes, but the weights .*model\.json lists take \d+/,
    ],
    [
      'quantized weights',
      async (dir) => writeLegacy(dir, [denseConfig('dense_Dense1', 3, 'softmax', pre.width)], [{ ...kernel1(), dtype: 'int32' }, bias1]),
      /the weight dense_Dense1\/kernel is int32; only float32 weights can be converted/,
    ],
    [
      'a network that does not take the encoded columns',
      async (dir) => writeLegacy(dir, [denseConfig('dense_Dense1', 3, 'softmax', pre.width + 2)], [kernel1(2), bias1]),
      /model\.json: dense layer 1 of 1 takes \d+ inputs, but the preprocessing encodes \d+ columns/,
    ],
    [
      'a head that does not fit the target',
      async (dir) => writeLegacy(dir, [denseConfig('dense_Dense1', 3, 'relu', pre.width)], [kernel1(), bias1]),
      /ends with 3 softmax units/,
    ],
    [
      'weights outside the directory',
      async (dir) =>
        writeLegacy(dir, [denseConfig('dense_Dense1', 3, 'softmax', pre.width)], [kernel1(), bias1], { paths: ['../weights.bin'] }),
      /points outside the model directory/,
    ],
  ];

  test.each(ERRORS)('%s: a UserError naming the file', async (_, write, message) => {
    const dir = join(await makeTempDir('mlops-legacy-'), 'model');
    await write(dir);
    let error: unknown;
    try {
      await tfjsDirToOnnx(dir, pre, 'mlp');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(dir);
    expect((error as Error).message).toMatch(message);
    expect((error as UserError).hint).toBeTruthy();
  });
});

describe('onnx.checker', () => {
  withPython(`${skipped}accepts every graph exported above (full check: strict shape and type inference)`, async () => {
    expect(EXPORTED.length).toBeGreaterThan(10);
    const results = await check(EXPORTED.map((g) => g.bytes));
    expect(Object.fromEntries(EXPORTED.map((g, i) => [g.name, results[i]]))).toEqual(
      Object.fromEntries(EXPORTED.map((g) => [g.name, null])),
    );
  });
});
