/**
 * The gbdt kind's ONNX graph, and the same prediction in TypeScript (for tests and checks).
 *
 * Conventions (the graph contract of export-onnx.ts: inputs, outputs, names, metadata):
 * - The trees' input is one float tensor [N, layout.width], the columns they were grown on
 *   (columns.ts). With text one-hot: export-onnx's shared subgraph with numbers raw (NaN
 *   kept; the trees route missing values) and text one-hot (LabelEncoder + OneHot, unknown
 *   slot). With native categories: each number raw, each text column through a
 *   LabelEncoder to its category index as a float (default NaN: missing, "", never seen,
 *   beyond max_bins), concatenated in feature order.
 * - Trees: ai.onnx.ml TreeEnsembleClassifier / TreeEnsembleRegressor (version 1, under the
 *   project's ai.onnx.ml opset 2). A threshold split is BRANCH_LEQ on a float32 threshold
 *   (an edge of bins.ts: float32 inputs go exactly the way training binned them);
 *   nodes_missing_value_tracks_true sends NaN the way training chose. base_values hold the
 *   initial raw scores.
 * - A categorical split (a set of categories going left) is a chain of BRANCH_EQ nodes on
 *   the category index, one per category of the smaller side (true: that side; the last
 *   one's false: the other), each with the same missing-value flag (NaN goes to the chain's
 *   side when set, else falls through every node to the other side). Exact: the indices
 *   are small integers in float32. A split with every known category on one side (missing
 *   values alone on the other) is one node, BRANCH_LEQ +Infinity (true for every index,
 *   false for NaN). Why not ai.onnx.ml opset 5's TreeEnsemble, whose BRANCH_MEMBER tests a
 *   set in one node: both ONNX Runtimes here (1.30, node and web) run it, but onnx's checker
 *   before 1.16 rejects it ("No Op registered for TreeEnsemble with domain_version of 5"),
 *   and so would any runtime older than ai.onnx.ml opset 5 (onnx 1.16); and the opset is per graph, under which
 *   TreeEnsembleClassifier is deprecated (ONNX Runtime refuses it), so the classifier would
 *   become TreeEnsemble + Add + Sigmoid/Softmax + ArgMax. The cost grows with
 *   the sets. On the training benchmark's data (100,000 rows, 5 text columns of 8 to 40
 *   values, 100 trees) the same trees as an opset-5 graph take 110 KB and this one 393 KB,
 *   and scoring 20,000 rows takes about the same CPU time (onnxruntime-node 171 ms against
 *   202 ms, onnxruntime-web 181 against 191; noisy) with the same probabilities (1.2e-7).
 *   With a 200-value text column (bench/score.mjs) the chains are most of the graph (39,331
 *   of 44,470 nodes, leaves 74 levels deep on average), and scoring falls to about 27,000
 *   rows/s on one thread: ONNX Runtime walks each chain node by node.
 * - Two classes: one score per tree for class index 1 (class_ids 0, the operator's binary
 *   case), post_transform LOGISTIC: probabilities [1 - p, p]. More: one tree per class per
 *   iteration (class_ids = the class), post_transform SOFTMAX. The operator's label output
 *   is `label` (classlabels_int64s when every class is an integer in decimal text, else
 *   classlabels_strings), its scores `probabilities` [N, C].
 * - Regression: the regressor's [N, 1] sum is the standardized target: times std plus
 *   mean gives `variable` in the target's units, as the network export does.
 */
import type { Table } from '../../../data/table.js';
import { attr, makeGraph, makeNode, makeTensor, makeValueInfo } from '../../../onnx/graph.js';
import type { Message } from '../../../onnx/graph.js';
import { ONNX_OUTPUTS, encodedFeatures, featureInputs, graphBuilderFor, integerClasses, modelWithMetadata } from '../../export-onnx.js';
import type { GraphBuilder } from '../../export-onnx.js';
import type { Preprocessor } from '../../preprocess.js';
import type { Ensemble, Tree } from './boost.js';
import { categoricalColumns, treeInput } from './columns.js';
import type { TreeLayout } from './columns.js';

const ML = 'ai.onnx.ml';

/** A fitted gbdt: the trees and the columns they split on. */
export interface GbdtModel {
  layout: TreeLayout;
  ensemble: Ensemble;
}

/** A categorical split node as exported (the module's header): the indices tested, and where each outcome goes. */
interface CategoricalNode {
  /** BRANCH_EQ on each (in order); empty: one BRANCH_LEQ +Infinity node (true unless missing). */
  equals: number[];
  /** The child taken on a match (or, for the missing test, on any index). */
  onTrue: number;
  onFalse: number;
  missingTrue: boolean;
}

/** How a categorical node of `tree` (its column has `k` categories) is exported. */
function categoricalNode(tree: Tree, node: number, k: number): CategoricalNode {
  const set = tree.categories[node]!;
  const left: number[] = [];
  const right: number[] = [];
  for (let c = 0; c < k; c++) (set[c] === 1 ? left : right).push(c);
  const missingLeft = tree.missingLeft[node]!;
  const [l, r] = [tree.left[node]!, tree.right[node]!];
  if (left.length === 0 || right.length === 0) {
    // Every known category on one side, so missing values alone on the other.
    const knownLeft = right.length === 0;
    if (missingLeft === knownLeft) throw new Error('exportEnsemble: a categorical split with an empty side');
    return { equals: [], onTrue: knownLeft ? l : r, onFalse: knownLeft ? r : l, missingTrue: false };
  }
  const chainLeft = left.length <= right.length;
  return {
    equals: chainLeft ? left : right,
    onTrue: chainLeft ? l : r,
    onFalse: chainLeft ? r : l,
    missingTrue: missingLeft === chainLeft,
  };
}

/** The node attributes every tree ensemble operator shares (nodes_*), and each leaf's (tree, node, output, weight). */
function treeAttributes(
  ens: Ensemble,
  layout: TreeLayout,
): { nodes: Message[]; leaves: { tree: number[]; node: number[]; id: number[]; weight: number[] } } {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const leaves = { tree: [] as number[], node: [] as number[], id: [] as number[], weight: [] as number[] };
  const categories = categoricalColumns(layout);
  ens.trees.forEach((tree, t) => {
    const output = t % ens.outputs;
    const count = tree.feature.length;
    // Node ids in the graph: in tree order, a categorical split taking one id per node of its chain.
    const chains = Array.from({ length: count }, (_, node) =>
      tree.categories[node] ? categoricalNode(tree, node, categories[tree.feature[node]!]!) : null,
    );
    const ids = new Int32Array(count);
    let next = 0;
    for (let node = 0; node < count; node++) {
      ids[node] = next;
      next += Math.max(1, chains[node]?.equals.length ?? 1);
    }
    const push = (id: number, feature: number, mode: string, value: number, onTrue: number, onFalse: number, missing: boolean) => {
      treeIds.push(t);
      nodeIds.push(id);
      featureIds.push(feature);
      modes.push(mode);
      values.push(value);
      trueIds.push(onTrue);
      falseIds.push(onFalse);
      missingTrue.push(missing ? 1 : 0);
    };
    for (let node = 0; node < count; node++) {
      const f = tree.feature[node]!;
      const id = ids[node]!;
      const chain = chains[node];
      if (f < 0) {
        push(id, 0, 'LEAF', 0, 0, 0, false);
        leaves.tree.push(t);
        leaves.node.push(id);
        leaves.id.push(output);
        leaves.weight.push(tree.value[node]!);
      } else if (!chain)
        push(id, f, 'BRANCH_LEQ', tree.threshold[node]!, ids[tree.left[node]!]!, ids[tree.right[node]!]!, tree.missingLeft[node]!);
      else if (chain.equals.length === 0) push(id, f, 'BRANCH_LEQ', Infinity, ids[chain.onTrue]!, ids[chain.onFalse]!, false);
      else
        chain.equals.forEach((c, j) =>
          push(
            id + j,
            f,
            'BRANCH_EQ',
            c,
            ids[chain.onTrue]!,
            j < chain.equals.length - 1 ? id + j + 1 : ids[chain.onFalse]!,
            chain.missingTrue,
          ),
        );
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

/**
 * Appends the trees' input (the module's header) and returns its name: the shared
 * subgraph when text is one-hot, else each number as given and each text column's
 * category index.
 */
function treeFeatures(g: GraphBuilder, pre: Preprocessor, layout: TreeLayout): string {
  if (!layout.features.some((f) => f.kind === 'categorical')) return encodedFeatures(g, pre, 'raw');
  const columns = layout.features.map((feature, i) => {
    if (feature.kind === 'numeric') return feature.name;
    if (feature.kind !== 'categorical') throw new Error('exportEnsemble: one-hot and native text columns in one layout');
    if (feature.categories.length === 0) {
      // No category: every value is missing.
      const shape = g.node('Shape', [feature.name], `f${i}/shape`);
      return g.node('ConstantOfShape', [shape], `f${i}/category`, {
        attributes: [attr.tensor('value', makeTensor('', [1], { type: 'float32', values: [NaN] }))],
      });
    }
    return g.node('LabelEncoder', [feature.name], `f${i}/category`, {
      domain: ML,
      attributes: [
        attr.strings('keys_strings', feature.categories),
        attr.floats(
          'values_floats',
          feature.categories.map((_, c) => c),
        ),
        attr.float('default_float', NaN),
      ],
    });
  });
  return columns.length === 1 ? columns[0]! : g.node('Concat', columns, 'features', { attributes: [attr.int('axis', 1)] });
}

/** The ONNX graph of a fitted gbdt with its preprocessing inside (this module's header). */
export function exportEnsemble(pre: Preprocessor, model: GbdtModel, meta: { algorithm: string; producerVersion: string }): Uint8Array {
  const { ensemble: ens, layout } = model;
  if (ens.width !== layout.width || layout.features.length !== pre.features.length)
    throw new Error(`exportEnsemble: the trees take ${ens.width} columns, the layout has ${layout.width}`);
  const target = pre.target;
  const essential = target.task === 'classification' ? ONNX_OUTPUTS.probabilities : ONNX_OUTPUTS.variable;
  const g = graphBuilderFor(pre, essential, 'exportEnsemble');
  const x = treeFeatures(g, pre, layout);
  const { nodes, leaves } = treeAttributes(ens, layout);
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

/** The raw scores of one input row (x at `offset`) into out (one per output). */
function rawScores(ens: Ensemble, x: Float32Array, offset: number, out: Float64Array): void {
  for (let k = 0; k < ens.outputs; k++) out[k] = ens.base[k]!;
  ens.trees.forEach((tree, t) => {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      const v = x[offset + tree.feature[node]!]!;
      const categories = tree.categories[node];
      const left = Number.isNaN(v) ? tree.missingLeft[node]! : categories ? categories[v] === 1 : v <= tree.threshold[node]!;
      node = left ? tree.left[node]! : tree.right[node]!;
    }
    out[t % ens.outputs] = out[t % ens.outputs]! + tree.value[node]!;
  });
}

/**
 * What the graph predicts, computed in TypeScript (float64): for classification the
 * probabilities (rows x classes), for regression the value in the target's units.
 */
export function predictEnsemble(pre: Preprocessor, model: GbdtModel, table: Table, rows: readonly number[]): Float64Array {
  const ens = model.ensemble;
  const x = treeInput(pre, model.layout, table, rows);
  const target = pre.target;
  const width = model.layout.width;
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
