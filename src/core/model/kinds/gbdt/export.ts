/**
 * The gbdt kind's ONNX graph, and the same prediction in TypeScript (for tests and checks).
 *
 * Conventions (the graph contract of export-onnx.ts: inputs, outputs, names, metadata):
 * - The preprocessing is export-onnx's shared subgraph with numbers raw (NaN kept; the
 *   trees route missing values) and text one-hot (LabelEncoder + OneHot, unknown slot):
 *   one float tensor [N, pre.width], the layout the trees were grown on (boost.ts).
 * - Trees: ai.onnx.ml TreeEnsembleClassifier / TreeEnsembleRegressor (version 1, under the
 *   project's ai.onnx.ml opset 2). Every split is BRANCH_LEQ on a float32 threshold (an
 *   edge of bins.ts: float32 inputs go exactly the way training binned them);
 *   nodes_missing_value_tracks_true sends NaN the way training chose. base_values hold the
 *   initial raw scores.
 * - Two classes: one score per tree for class index 1 (class_ids 0, the operator's binary
 *   case), post_transform LOGISTIC: probabilities [1 - p, p]. More: one tree per class per
 *   iteration (class_ids = the class), post_transform SOFTMAX. The operator's label output
 *   is `label` (classlabels_int64s when every class is an integer in decimal text, else
 *   classlabels_strings), its scores `probabilities` [N, C].
 * - Regression: the regressor's [N, 1] sum is the standardized target: times std plus
 *   mean gives `variable` in the target's units, as the network export does.
 */
import { tableColumn } from '../../../data/table.js';
import type { Table } from '../../../data/table.js';
import { attr, makeGraph, makeNode, makeValueInfo } from '../../../onnx/graph.js';
import type { Message } from '../../../onnx/graph.js';
import { ONNX_OUTPUTS, encodedFeatures, featureInputs, graphBuilderFor, integerClasses, modelWithMetadata } from '../../export-onnx.js';
import { encodeFeatures } from '../../preprocess.js';
import type { Preprocessor } from '../../preprocess.js';
import type { Ensemble } from './boost.js';

const ML = 'ai.onnx.ml';

/** The node attributes every tree ensemble operator shares (nodes_*), and each leaf's (tree, node, output, weight). */
function treeAttributes(ens: Ensemble): { nodes: Message[]; leaves: { tree: number[]; node: number[]; id: number[]; weight: number[] } } {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const leaves = { tree: [] as number[], node: [] as number[], id: [] as number[], weight: [] as number[] };
  ens.trees.forEach((tree, t) => {
    const output = t % ens.outputs;
    for (let node = 0; node < tree.feature.length; node++) {
      const leaf = tree.feature[node]! < 0;
      treeIds.push(t);
      nodeIds.push(node);
      featureIds.push(leaf ? 0 : tree.feature[node]!);
      modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      values.push(leaf ? 0 : tree.threshold[node]!);
      trueIds.push(leaf ? 0 : tree.left[node]!);
      falseIds.push(leaf ? 0 : tree.right[node]!);
      missingTrue.push(!leaf && tree.missingLeft[node] ? 1 : 0);
      if (leaf) {
        leaves.tree.push(t);
        leaves.node.push(node);
        leaves.id.push(output);
        leaves.weight.push(tree.value[node]!);
      }
    }
  });
  return {
    nodes: [
      attr.ints('nodes_treeids', treeIds),
      attr.ints('nodes_nodeids', nodeIds),
      attr.ints('nodes_featureids', featureIds),
      attr.strings('nodes_modes', modes),
      attr.floats('nodes_values', values),
      attr.ints('nodes_truenodeids', trueIds),
      attr.ints('nodes_falsenodeids', falseIds),
      attr.ints('nodes_missing_value_tracks_true', missingTrue),
    ],
    leaves,
  };
}

/** The ONNX graph of a fitted ensemble with its preprocessing inside (this module's header). */
export function exportEnsemble(pre: Preprocessor, ens: Ensemble, meta: { algorithm: string; producerVersion: string }): Uint8Array {
  if (ens.width !== pre.width)
    throw new Error(`exportEnsemble: the trees take ${ens.width} columns, the preprocessing encodes ${pre.width}`);
  const target = pre.target;
  const essential = target.task === 'classification' ? ONNX_OUTPUTS.probabilities : ONNX_OUTPUTS.variable;
  const g = graphBuilderFor(pre, essential, 'exportEnsemble');
  const x = encodedFeatures(g, pre, 'raw');
  const { nodes, leaves } = treeAttributes(ens);
  const outputs: Message[] = [];
  if (target.task === 'regression') {
    const sum = g.node('TreeEnsembleRegressor', [x], 'trees/standardized', {
      domain: ML,
      attributes: [
        ...nodes,
        attr.int('n_targets', 1),
        attr.ints('target_treeids', leaves.tree),
        attr.ints('target_nodeids', leaves.node),
        attr.ints('target_ids', leaves.id),
        attr.floats('target_weights', leaves.weight),
        attr.floats('base_values', ens.base),
        attr.string('aggregate_function', 'SUM'),
        attr.string('post_transform', 'NONE'),
      ],
    });
    // A Cast to float32 (a no-op) gives onnx's shape inference the type its version-1 regressor leaves unset.
    const typed = g.node('Cast', [sum], 'trees/float', { attributes: [attr.int('to', 1)] });
    const std = g.constant('target/std', [1], { type: 'float32', values: [target.std] });
    const mean = g.constant('target/mean', [1], { type: 'float32', values: [target.mean] });
    const scaled = g.node('Mul', [typed, std], 'target/scaled');
    g.node('Add', [scaled, mean], ONNX_OUTPUTS.variable, { exact: true });
    outputs.push(makeValueInfo(ONNX_OUTPUTS.variable, 'float32', ['N', 1]));
  } else {
    const classes = target.classes;
    const binary = classes.length === 2;
    if (binary !== (ens.outputs === 1)) throw new Error(`exportEnsemble: ${ens.outputs} outputs for ${classes.length} classes`);
    const integers = integerClasses(classes);
    // A feature named "label" takes the name: the graph then gives the probabilities only.
    const names = pre.features.map((f) => f.name);
    const labelOut = names.includes(ONNX_OUTPUTS.label) ? `${g.prefix}trees/label` : ONNX_OUTPUTS.label;
    g.nodes.push(
      makeNode('TreeEnsembleClassifier', [x], [labelOut, ONNX_OUTPUTS.probabilities], {
        name: `${g.prefix}trees`,
        domain: ML,
        attributes: [
          ...nodes,
          attr.ints('class_treeids', leaves.tree),
          attr.ints('class_nodeids', leaves.node),
          attr.ints('class_ids', leaves.id),
          attr.floats('class_weights', leaves.weight),
          integers
            ? attr.ints(
                'classlabels_int64s',
                classes.map((c) => BigInt(c)),
              )
            : attr.strings('classlabels_strings', classes),
          attr.floats('base_values', ens.base),
          attr.string('post_transform', binary ? 'LOGISTIC' : 'SOFTMAX'),
        ],
      }),
    );
    if (labelOut === ONNX_OUTPUTS.label) outputs.push(makeValueInfo(ONNX_OUTPUTS.label, integers ? 'int64' : 'string', ['N']));
    outputs.push(makeValueInfo(ONNX_OUTPUTS.probabilities, 'float32', ['N', classes.length]));
  }
  const graph = makeGraph({ name: meta.algorithm, nodes: g.nodes, initializers: g.initializers, inputs: featureInputs(pre), outputs });
  return modelWithMetadata(pre, graph, meta);
}

/**
 * The trees' input for `rows` of a table: `encodeFeatures`'s layout with each numeric
 * column's raw value as float32 (NaN for missing), as the graph builds it. Row-major.
 */
export function treeInput(pre: Preprocessor, table: Table, rows: readonly number[], encoded?: Float32Array): Float32Array {
  const x = encoded ?? encodeFeatures(pre, table, rows);
  let offset = 0;
  for (const feature of pre.features) {
    if (feature.kind === 'numeric') {
      const numbers = tableColumn(table, feature.name, 'feature column').numbers;
      for (let i = 0; i < rows.length; i++) x[i * pre.width + offset] = numbers[rows[i]!]!;
      offset += 1;
    } else offset += feature.categories.length + 1;
  }
  return x;
}

/** The raw scores of one input row (x at `offset`) into out (one per output). */
function rawScores(ens: Ensemble, x: Float32Array, offset: number, out: Float64Array): void {
  for (let k = 0; k < ens.outputs; k++) out[k] = ens.base[k]!;
  ens.trees.forEach((tree, t) => {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      const v = x[offset + tree.feature[node]!]!;
      const left = Number.isNaN(v) ? tree.missingLeft[node]! : v <= tree.threshold[node]!;
      node = left ? tree.left[node]! : tree.right[node]!;
    }
    out[t % ens.outputs] = out[t % ens.outputs]! + tree.value[node]!;
  });
}

/**
 * What the graph predicts, computed in TypeScript (float64): for classification the
 * probabilities (rows x classes), for regression the value in the target's units.
 */
export function predictEnsemble(pre: Preprocessor, ens: Ensemble, table: Table, rows: readonly number[]): Float64Array {
  const x = treeInput(pre, table, rows);
  const target = pre.target;
  const width = pre.width;
  const raw = new Float64Array(ens.outputs);
  if (target.task === 'regression') {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      rawScores(ens, x, i * width, raw);
      out[i] = raw[0]! * target.std + target.mean;
    }
    return out;
  }
  const C = target.classes.length;
  const out = new Float64Array(rows.length * C);
  for (let i = 0; i < rows.length; i++) {
    rawScores(ens, x, i * width, raw);
    if (C === 2) {
      const p = 1 / (1 + Math.exp(-raw[0]!));
      out[i * 2] = 1 - p;
      out[i * 2 + 1] = p;
    } else {
      let max = -Infinity;
      for (let k = 0; k < C; k++) max = Math.max(max, raw[k]!);
      let sum = 0;
      for (let k = 0; k < C; k++) sum += out[i * C + k] = Math.exp(raw[k]! - max);
      for (let k = 0; k < C; k++) out[i * C + k]! /= sum;
    }
  }
  return out;
}
