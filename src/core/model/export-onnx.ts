/**
 * Exports a fitted built-in dense network to ONNX with its preprocessing inside the
 * graph, so the graph takes the raw table columns and ONNX Runtime alone predicts; shares
 * the pieces of that contract with the other exporters (the tree ensembles of
 * kinds/gbdt/export.ts): the checked builder, the preprocessing subgraph (numbers
 * standardized for networks, raw for trees), the inputs and the model's metadata; and
 * converts a model directory of the format before ONNX (TensorFlow.js layers: model.json
 * + weights.bin) to the same graph, without loading TensorFlow.js.
 *
 * Convention: the graph contract the rest of the project relies on.
 * - Inputs: one per feature, in `pre.features` order, named exactly as the column. Numbers
 *   are float32 [N, 1] (missing as NaN); text is string [N, 1] (missing as "").
 * - Numbers: every non-finite value takes the training mean (IsNaN, IsInf, Or, Where),
 *   then (x - mean) / std; the numeric columns are done together, as one [N, m] tensor.
 *   Text: ai.onnx.ml LabelEncoder (each category to its index; anything else, "" too, to
 *   k, the unknown slot), OneHot of depth k + 1 to float, squeezed to [N, k + 1]. The
 *   blocks are concatenated in feature order to [N, pre.width]: exactly `encodeFeatures`.
 * - Then each dense layer as Gemm and its activation, with TensorFlow.js's definitions:
 *   gelu is the erf form x * 0.5 * (1 + erf(x / sqrt 2)), selu and elu use its constants.
 * - Outputs: for classification `label` (the class at the argmax: int64 when every class
 *   is an integer in decimal text, else string; [N]) and `probabilities` (float [N, C], in
 *   `target.classes` order; a binary network's single sigmoid unit p gives [1 - p, p]);
 *   for regression `variable` (float [N, 1], y * std + mean, in the target's units).
 * - Every internal tensor and node name starts with a prefix no column name starts with
 *   ("mlops/" unless a column does), so column names may be anything.
 * - ai.onnx opset 15, ai.onnx.ml opset 2, IR version 8, producer "mlops-actions"; metadata
 *   mlops.algorithm, mlops.features (JSON [{name, type}]) and mlops.target (JSON {name,
 *   task, classes?}).
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { attr, makeGraph, makeModel, makeNode, makeTensor, makeValueInfo } from '../onnx/graph.js';
import type { ElemType, Message, TensorValues } from '../onnx/graph.js';
import type { Preprocessor } from './preprocess.js';

export type DenseActivation = 'relu' | 'elu' | 'tanh' | 'sigmoid' | 'selu' | 'gelu' | 'linear' | 'softmax';

export const DENSE_ACTIVATIONS: readonly DenseActivation[] = ['relu', 'elu', 'tanh', 'sigmoid', 'selu', 'gelu', 'linear', 'softmax'];

export interface DenseLayer {
  /** inputs x units, row-major (as TensorFlow.js stores a Dense kernel). */
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  activation: DenseActivation;
}

/** The graph's outputs, by task. */
export const ONNX_OUTPUTS = { label: 'label', probabilities: 'probabilities', variable: 'variable' } as const;
/** The metadata_props keys the exporter writes. */
export const ONNX_METADATA = { algorithm: 'mlops.algorithm', features: 'mlops.features', target: 'mlops.target' } as const;
export const ONNX_PRODUCER = 'mlops-actions';
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSETS: Readonly<Record<string, number>> = { '': 15, 'ai.onnx.ml': 2 };

/** TensorFlow.js's SELU constants (tfjs-core selu_util): scale, and scale * alpha. */
const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473768;

/** The first internal-name prefix no name in `names` starts with: "mlops/", else "mlops1/", ... */
export function internalPrefix(names: readonly string[]): string {
  for (let i = 0; ; i++) {
    const prefix = i === 0 ? 'mlops/' : `mlops${i}/`;
    if (!names.some((n) => n.startsWith(prefix))) return prefix;
  }
}

/** Whether every class is an integer in canonical decimal text that fits int64 (the label output is then int64). */
export function integerClasses(classes: readonly string[]): boolean {
  return classes.every((c) => /^-?(?:0|[1-9]\d{0,18})$/.test(c) && BigInt(c) >= -(2n ** 63n) && BigInt(c) < 2n ** 63n && c !== '-0');
}

/** What is wrong with `layers` for `pre` (shapes, chaining, the head the task needs), or null. */
export function networkProblem(pre: Preprocessor, layers: readonly DenseLayer[]): string | null {
  if (layers.length === 0) return 'the network has no dense layers';
  for (const [i, layer] of layers.entries()) {
    const which = `dense layer ${i + 1} of ${layers.length}`;
    if (!Number.isInteger(layer.inputs) || layer.inputs < 1 || !Number.isInteger(layer.units) || layer.units < 1)
      return `${which} has ${layer.inputs} inputs and ${layer.units} units`;
    if (layer.kernel.length !== layer.inputs * layer.units)
      return `${which}: its kernel holds ${layer.kernel.length} values, not ${layer.inputs} x ${layer.units}`;
    if (layer.bias.length !== layer.units) return `${which}: its bias holds ${layer.bias.length} values, not ${layer.units}`;
    if (!DENSE_ACTIVATIONS.includes(layer.activation)) return `${which} has the activation "${String(layer.activation)}"`;
    const expected = i === 0 ? pre.width : layers[i - 1]!.units;
    if (layer.inputs !== expected)
      return i === 0
        ? `${which} takes ${layer.inputs} inputs, but the preprocessing encodes ${pre.width} columns`
        : `${which} takes ${layer.inputs} inputs, but the layer before gives ${expected}`;
  }
  const last = layers.at(-1)!;
  const target = pre.target;
  if (target.task === 'regression') {
    if (last.units !== 1) return `the last layer has ${last.units} units; a regression network ends with 1`;
  } else {
    const c = target.classes.length;
    const binary = c === 2 && last.units === 1 && last.activation === 'sigmoid';
    if (!binary && !(last.units === c && last.activation === 'softmax'))
      return (
        `the last layer has ${last.units} ${last.activation} units; a network of ${c} classes ends with ` +
        (c === 2 ? '1 sigmoid unit (or 2 softmax units)' : `${c} softmax units`)
      );
  }
  return null;
}

/** Collects the nodes and initializers of a graph, every name under one prefix. */
export class GraphBuilder {
  readonly nodes: Message[] = [];
  readonly initializers: Message[] = [];
  private readonly constants = new Map<string, string>();

  constructor(readonly prefix: string) {}

  /** An initializer named prefix + `local`. */
  constant(local: string, dims: readonly number[], data: TensorValues): string {
    const name = this.prefix + local;
    this.initializers.push(makeTensor(name, dims, data));
    return name;
  }

  /** A scalar float constant shared by every node using it. */
  scalar(value: number): string {
    const key = `f${value}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.constant(`const/${value}`, [], { type: 'float32', values: [value] });
      this.constants.set(key, name);
    }
    return name;
  }

  /**
   * A node giving one output: `output` is taken as is when `exact` (a graph output), else
   * prefixed. The node is named after its output.
   */
  node(
    opType: string,
    inputs: readonly string[],
    output: string,
    options: { domain?: string; attributes?: Message[]; exact?: boolean } = {},
  ): string {
    const name = options.exact ? output : this.prefix + output;
    this.nodes.push(
      makeNode(opType, inputs, [name], {
        name: options.exact ? this.prefix + output : name,
        domain: options.domain,
        attributes: options.attributes,
      }),
    );
    return name;
  }
}

/** Appends the nodes of `activation` applied to `x`; its result is `output` (see GraphBuilder.node). */
function activate(g: GraphBuilder, x: string, activation: DenseActivation, output: string, exact: boolean): string {
  const o = { exact };
  switch (activation) {
    case 'linear':
      return exact ? g.node('Identity', [x], output, o) : x;
    case 'relu':
      return g.node('Relu', [x], output, o);
    case 'tanh':
      return g.node('Tanh', [x], output, o);
    case 'sigmoid':
      return g.node('Sigmoid', [x], output, o);
    case 'softmax':
      return g.node('Softmax', [x], output, { ...o, attributes: [attr.int('axis', -1)] });
    case 'elu':
      return g.node('Elu', [x], output, { ...o, attributes: [attr.float('alpha', 1)] });
    case 'selu':
      return g.node('Selu', [x], output, {
        ...o,
        attributes: [attr.float('alpha', SELU_SCALE_ALPHA / SELU_SCALE), attr.float('gamma', SELU_SCALE)],
      });
    case 'gelu': {
      // As TensorFlow.js computes it: cdf = 0.5 * (1 + erf(x / sqrt 2)); gelu = x * cdf.
      const scaled = g.node('Div', [x, g.scalar(Math.SQRT2)], `${output}/scaled`);
      const erf = g.node('Erf', [scaled], `${output}/erf`);
      const plusOne = g.node('Add', [erf, g.scalar(1)], `${output}/plus_one`);
      const cdf = g.node('Mul', [plusOne, g.scalar(0.5)], `${output}/cdf`);
      return g.node('Mul', [x, cdf], output, o);
    }
  }
}

/**
 * Checks the feature names for a graph whose essential output is `essential`; returns the
 * builder (its prefix chosen so no column name starts with it). `who` names the exporter in
 * internal errors.
 */
export function graphBuilderFor(pre: Preprocessor, essential: string, who: string): GraphBuilder {
  const names = pre.features.map((f) => f.name);
  if (names.some((n) => n === ''))
    throw new UserError('a feature column has an empty name', 'Name every column of the data in its header.');
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`${who}: the feature "${duplicate}" is listed twice`);
  if (names.includes(essential))
    throw new UserError(
      `the feature column "${essential}" has the name of the model's output`,
      `Rename the column, or leave it out of train.features: the exported graph's output is named "${essential}".`,
    );
  return new GraphBuilder(internalPrefix(names));
}

/**
 * Appends the preprocessing: the graph inputs (raw columns) to one float tensor [N,
 * pre.width] laid out as `encodeFeatures` lays it out. `numbers`: 'standardized' (missing
 * and infinities to the training mean, then (x - mean) / std: exactly `encodeFeatures`) or
 * 'raw' (the numbers as given, NaN kept: for trees, which route missing values themselves);
 * text columns are one-hot either way. Returns the tensor's name.
 */
export function encodedFeatures(g: GraphBuilder, pre: Preprocessor, numbers: 'standardized' | 'raw'): string {
  // Numeric features: one [N, m] tensor, non-finite values to the mean, then standardized.
  const numeric = pre.features.flatMap((f) => (f.kind === 'numeric' ? [f] : []));
  let standardized: string | null = null;
  if (numeric.length > 0) {
    const raw =
      numeric.length === 1
        ? numeric[0]!.name
        : g.node(
            'Concat',
            numeric.map((f) => f.name),
            'numeric/raw',
            { attributes: [attr.int('axis', 1)] },
          );
    if (numbers === 'raw') standardized = raw;
    else {
      const mean = g.constant('numeric/mean', [numeric.length], { type: 'float32', values: numeric.map((f) => f.mean) });
      const std = g.constant('numeric/std', [numeric.length], { type: 'float32', values: numeric.map((f) => f.std) });
      const nan = g.node('IsNaN', [raw], 'numeric/is_nan');
      const inf = g.node('IsInf', [raw], 'numeric/is_inf');
      const missing = g.node('Or', [nan, inf], 'numeric/non_finite');
      const filled = g.node('Where', [missing, mean, raw], 'numeric/filled');
      const centered = g.node('Sub', [filled, mean], 'numeric/centered');
      standardized = g.node('Div', [centered, std], 'numeric/standardized');
    }
  }
  // The numeric columns split into runs between text columns, so the blocks concatenate in feature order.
  const runs: number[] = [];
  const blocks: Array<{ run: number } | { feature: number }> = [];
  pre.features.forEach((f, i) => {
    if (f.kind === 'numeric') {
      if (blocks.length > 0 && 'run' in blocks.at(-1)!) runs[runs.length - 1]!++;
      else {
        blocks.push({ run: runs.length });
        runs.push(1);
      }
    } else blocks.push({ feature: i });
  });
  let runNames: string[] = standardized ? [standardized] : [];
  if (runs.length > 1) {
    const split = g.constant('numeric/runs', [runs.length], { type: 'int64', values: runs });
    runNames = runs.map((_, j) => `${g.prefix}numeric/run${j + 1}`);
    g.nodes.push(
      makeNode('Split', [standardized!, split], runNames, { name: `${g.prefix}numeric/split`, attributes: [attr.int('axis', 1)] }),
    );
  }
  let offOn: string | null = null;
  let squeezeAxes: string | null = null;
  const blockNames = blocks.map((block) => {
    if ('run' in block) return runNames[block.run]!;
    const i = block.feature;
    const feature = pre.features[i]!;
    if (feature.kind !== 'categorical') throw new Error('unreachable');
    const k = feature.categories.length;
    const keys: string[] = [];
    const values: number[] = [];
    feature.categories.forEach((c, index) => {
      // "" means missing in the graph: it takes the unknown slot.
      if (c !== '') {
        keys.push(c);
        values.push(index);
      }
    });
    let index: string;
    if (keys.length > 0)
      index = g.node('LabelEncoder', [feature.name], `f${i}/index`, {
        domain: 'ai.onnx.ml',
        attributes: [attr.strings('keys_strings', keys), attr.ints('values_int64s', values), attr.int('default_int64', k)],
      });
    else {
      // No categories: every value is in the unknown slot.
      const shape = g.node('Shape', [feature.name], `f${i}/shape`);
      index = g.node('ConstantOfShape', [shape], `f${i}/index`, {
        attributes: [attr.tensor('value', makeTensor('', [1], { type: 'int64', values: [k] }))],
      });
    }
    const depth = g.constant(`f${i}/depth`, [1], { type: 'int64', values: [k + 1] });
    offOn ??= g.constant('const/off_on', [2], { type: 'float32', values: [0, 1] });
    const hot = g.node('OneHot', [index, depth, offOn], `f${i}/one_hot_3d`, { attributes: [attr.int('axis', -1)] });
    squeezeAxes ??= g.constant('const/axis_1', [1], { type: 'int64', values: [1] });
    return g.node('Squeeze', [hot, squeezeAxes], `f${i}/one_hot`);
  });
  return blockNames.length === 1 ? blockNames[0]! : g.node('Concat', blockNames, 'features', { attributes: [attr.int('axis', 1)] });
}

/** The graph inputs: one per feature, in order, named as the column (float32 or string, [N, 1]). */
export function featureInputs(pre: Preprocessor): Message[] {
  return pre.features.map((f) => makeValueInfo(f.name, f.kind === 'numeric' ? 'float32' : 'string', ['N', 1]));
}

/** The model around `graph` with the project's IR version, opsets, producer and metadata (mlops.algorithm, mlops.features, mlops.target). */
export function modelWithMetadata(pre: Preprocessor, graph: Message, meta: { algorithm: string; producerVersion: string }): Uint8Array {
  const target = pre.target;
  const targetMeta =
    target.task === 'classification'
      ? { name: target.name, task: target.task, classes: target.classes }
      : { name: target.name, task: target.task };
  return makeModel({
    graph,
    irVersion: ONNX_IR_VERSION,
    opsets: ONNX_OPSETS,
    producerName: ONNX_PRODUCER,
    producerVersion: meta.producerVersion,
    metadata: [
      [ONNX_METADATA.algorithm, meta.algorithm],
      [
        ONNX_METADATA.features,
        JSON.stringify(pre.features.map((f) => ({ name: f.name, type: f.kind === 'numeric' ? 'number' : 'string' }))),
      ],
      [ONNX_METADATA.target, JSON.stringify(targetMeta)],
    ],
  });
}

/**
 * The ONNX graph of a fitted dense network with its preprocessing inside (the contract in
 * this module's header). `layers` run in order on the encoded features; Dropout is not a
 * layer here (it is the identity at inference).
 */
export function exportNetwork(
  pre: Preprocessor,
  layers: readonly DenseLayer[],
  meta: { algorithm: string; producerVersion: string },
): Uint8Array {
  const problem = networkProblem(pre, layers);
  if (problem) throw new Error(`exportNetwork: ${problem}`);
  const names = pre.features.map((f) => f.name);
  const target = pre.target;
  const essential = target.task === 'classification' ? ONNX_OUTPUTS.probabilities : ONNX_OUTPUTS.variable;
  const g = graphBuilderFor(pre, essential, 'exportNetwork');
  let h = encodedFeatures(g, pre, 'standardized');

  // The dense layers.
  const outputs: Message[] = [];
  layers.forEach((layer, li) => {
    const n = li + 1;
    const kernel = g.constant(`layer${n}/kernel`, [layer.inputs, layer.units], { type: 'float32', values: layer.kernel });
    const bias = g.constant(`layer${n}/bias`, [layer.units], { type: 'float32', values: layer.bias });
    const linear = g.node('Gemm', [h, kernel, bias], `layer${n}/dense`);
    const final = li === layers.length - 1;
    // A multi-class network's softmax is the probabilities output itself.
    const isProbabilities = final && target.task === 'classification' && layer.units === target.classes.length;
    h = isProbabilities
      ? activate(g, linear, layer.activation, ONNX_OUTPUTS.probabilities, true)
      : activate(g, linear, layer.activation, `layer${n}/${layer.activation}`, false);
  });

  // The head.
  if (target.task === 'regression') {
    const std = g.constant('target/std', [1], { type: 'float32', values: [target.std] });
    const mean = g.constant('target/mean', [1], { type: 'float32', values: [target.mean] });
    const scaled = g.node('Mul', [h, std], 'target/scaled');
    g.node('Add', [scaled, mean], ONNX_OUTPUTS.variable, { exact: true });
    outputs.push(makeValueInfo(ONNX_OUTPUTS.variable, 'float32', ['N', 1]));
  } else {
    const classes = target.classes;
    if (h !== ONNX_OUTPUTS.probabilities) {
      const q = g.node('Sub', [g.scalar(1), h], 'head/one_minus_p');
      g.node('Concat', [q, h], ONNX_OUTPUTS.probabilities, { exact: true, attributes: [attr.int('axis', 1)] });
    }
    // A feature named "label" takes the name: the graph then gives the probabilities only.
    if (!names.includes(ONNX_OUTPUTS.label)) {
      const integers = integerClasses(classes);
      const labelType: ElemType = integers ? 'int64' : 'string';
      const table = g.constant(
        'head/classes',
        [classes.length],
        integers ? { type: 'int64', values: classes.map((c) => BigInt(c)) } : { type: 'string', values: classes },
      );
      const argmax = g.node('ArgMax', [ONNX_OUTPUTS.probabilities], 'head/class_index', {
        attributes: [attr.int('axis', 1), attr.int('keepdims', 0)],
      });
      g.node('Gather', [table, argmax], ONNX_OUTPUTS.label, { exact: true, attributes: [attr.int('axis', 0)] });
      outputs.push(makeValueInfo(ONNX_OUTPUTS.label, labelType, ['N']));
    }
    outputs.push(makeValueInfo(ONNX_OUTPUTS.probabilities, 'float32', ['N', classes.length]));
  }

  const graph = makeGraph({ name: meta.algorithm, nodes: g.nodes, initializers: g.initializers, inputs: featureInputs(pre), outputs });
  return modelWithMetadata(pre, graph, meta);
}

// ---------------------------------------------------------------------------------------
// Directories written before ONNX

/** The producer version of a graph converted from a TensorFlow.js directory. */
const CONVERTED_PRODUCER_VERSION = 'converted-from-tfjs/1';

const CONVERT_HINT =
  'Train the model again (train writes model.onnx), or restore the model directory as train wrote it (model.json, weights.bin, preprocess.json).';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Converts a model directory saved before ONNX (model.json: a TensorFlow.js layers-model
 * topology of Dense and Dropout layers with its weights manifest; the float32 weights in
 * the files the manifest lists, weights.bin) to the ONNX graph `exportNetwork` writes,
 * reading the files directly (TensorFlow.js is not loaded). Dropout is the identity at
 * inference. UserErrors name the file and what is wrong with it.
 */
export async function tfjsDirToOnnx(dir: string, pre: Preprocessor, algorithm: string): Promise<Uint8Array> {
  const topologyFile = join(dir, 'model.json');
  let text: string;
  try {
    text = await readFile(topologyFile, 'utf8');
  } catch (error) {
    throw new UserError(
      `${topologyFile} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      CONVERT_HINT,
    );
  }
  const bad = (what: string) => new UserError(`${topologyFile}: ${what}`, CONVERT_HINT);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad(`not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(json) || !isRecord(json.modelTopology)) throw bad('no modelTopology: not a TensorFlow.js layers model');
  const topology = json.modelTopology;
  // A tfjs `save` nests the model under modelTopology.model_config when it also saves training config.
  const model = isRecord(topology.model_config) ? topology.model_config : topology;
  if (model.class_name !== 'Sequential')
    throw bad(`the model is a ${JSON.stringify(model.class_name)}; only Sequential models of Dense and Dropout layers can be converted`);
  const config = model.config;
  const layerList = Array.isArray(config) ? config : isRecord(config) && Array.isArray(config.layers) ? config.layers : null;
  if (!layerList) throw bad('modelTopology has no list of layers');

  // The weights, by name and in manifest order.
  if (!Array.isArray(json.weightsManifest)) throw bad('no weightsManifest');
  const weights: Array<{ name: string; shape: number[]; values: Float32Array }> = [];
  for (const group of json.weightsManifest as unknown[]) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw bad('a weightsManifest entry has no paths or weights');
    const shards: Buffer[] = [];
    for (const path of group.paths as unknown[]) {
      if (typeof path !== 'string' || isAbsolute(path)) throw bad(`the weights path ${JSON.stringify(path)} is not a relative file name`);
      const file = resolve(dir, path);
      const inside = relative(resolve(dir), file);
      if (inside.startsWith('..') || isAbsolute(inside))
        throw bad(`the weights path ${JSON.stringify(path)} points outside the model directory`);
      try {
        shards.push(await readFile(file));
      } catch (error) {
        throw new UserError(
          `${join(dir, path)} (the weights ${topologyFile} lists) could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          CONVERT_HINT,
        );
      }
    }
    const data = Buffer.concat(shards);
    const shownData = group.paths.map((p) => join(dir, String(p))).join(' + ');
    let offset = 0;
    for (const spec of group.weights as unknown[]) {
      if (
        !isRecord(spec) ||
        typeof spec.name !== 'string' ||
        !Array.isArray(spec.shape) ||
        !spec.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
      )
        throw bad('a weight of the weightsManifest has no name or shape');
      const w = spec as unknown as WeightSpec;
      if ((w.dtype ?? 'float32') !== 'float32' || w.quantization !== undefined)
        throw bad(`the weight ${w.name} is ${w.quantization !== undefined ? 'quantized' : w.dtype}; only float32 weights can be converted`);
      const count = w.shape.reduce((n, d) => n * d, 1);
      if (offset + count * 4 > data.length)
        throw new UserError(
          `${shownData} holds ${data.length} bytes, too few for the weights ${topologyFile} lists (the file is truncated?)`,
          CONVERT_HINT,
        );
      const values = new Float32Array(count);
      const view = new DataView(data.buffer, data.byteOffset + offset, count * 4);
      for (let k = 0; k < count; k++) values[k] = view.getFloat32(k * 4, true);
      weights.push({ name: w.name, shape: w.shape, values });
      offset += count * 4;
    }
    if (offset !== data.length)
      throw new UserError(`${shownData} holds ${data.length} bytes, but the weights ${topologyFile} lists take ${offset}`, CONVERT_HINT);
  }
  const byName = new Map(weights.map((w) => [w.name, w]));

  // The Dense layers, with their weights by name (`<layer>/kernel`, `<layer>/bias`), else in manifest order.
  const dense: Array<{ name: string; units: number; activation: DenseActivation; useBias: boolean }> = [];
  for (const [i, layer] of layerList.entries()) {
    const className = isRecord(layer) ? layer.class_name : undefined;
    const layerConfig = isRecord(layer) && isRecord(layer.config) ? layer.config : {};
    const shownName = typeof layerConfig.name === 'string' ? ` ("${layerConfig.name}")` : '';
    if (className === 'Dropout' || className === 'InputLayer') continue;
    if (className !== 'Dense')
      throw bad(`layer ${i + 1}${shownName} is a ${JSON.stringify(className)} layer; only Dense and Dropout layers can be converted`);
    const activation = layerConfig.activation ?? 'linear';
    if (typeof activation !== 'string' || !(DENSE_ACTIVATIONS as readonly string[]).includes(activation))
      throw bad(
        `layer ${i + 1}${shownName} has the activation ${JSON.stringify(activation)}; these convert: ${DENSE_ACTIVATIONS.join(', ')}`,
      );
    if (!Number.isInteger(layerConfig.units) || (layerConfig.units as number) < 1)
      throw bad(`layer ${i + 1}${shownName} has no number of units`);
    dense.push({
      name: typeof layerConfig.name === 'string' ? layerConfig.name : '',
      units: layerConfig.units as number,
      activation: activation as DenseActivation,
      useBias: layerConfig.use_bias !== false,
    });
  }
  const named = dense.every((d) => byName.has(`${d.name}/kernel`) && (!d.useBias || byName.has(`${d.name}/bias`)));
  let next = 0;
  const take = (layer: (typeof dense)[number], part: 'kernel' | 'bias') => {
    const w = named ? byName.get(`${layer.name}/${part}`) : weights[next++];
    if (!w) throw bad(`the weightsManifest has no ${part} for the layer "${layer.name}"`);
    return w;
  };
  const layers: DenseLayer[] = dense.map((d) => {
    const kernel = take(d, 'kernel');
    const inputs = kernel.shape[0] ?? 0;
    if (kernel.shape.length !== 2 || kernel.shape[1] !== d.units)
      throw bad(
        `the kernel of the layer "${d.name}" has the shape [${kernel.shape.join(', ')}]; its ${d.units} units need [inputs, ${d.units}]`,
      );
    const bias = d.useBias ? take(d, 'bias') : { shape: [d.units], values: new Float32Array(d.units), name: '' };
    if (bias.shape.length !== 1 || bias.shape[0] !== d.units)
      throw bad(`the bias of the layer "${d.name}" has the shape [${bias.shape.join(', ')}], not [${d.units}]`);
    return { kernel: kernel.values, bias: bias.values, inputs, units: d.units, activation: d.activation };
  });
  const problem = networkProblem(pre, layers);
  if (problem) throw bad(`${problem} (the preprocessing beside it has ${pre.width} encoded columns, target "${pre.target.name}")`);
  return exportNetwork(pre, layers, { algorithm, producerVersion: CONVERTED_PRODUCER_VERSION });
}
