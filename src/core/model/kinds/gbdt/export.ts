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
 * - A categorical split (a set of categories going left) is a chain of BRANCH_LEQ nodes
 *   on the category's graph position. The LabelEncoder maps each category to its
 *   position, not its training index, in an order chosen per column so that chains are
 *   short where the rows are (categoryPositions). The positions cut into runs that go the
 *   same way; a chain of r - 1 nodes cuts between them from the lowest position up, at
 *   half-integers (exact in float32): node j's true child is run j's side, its false
 *   child node j + 1, the last node's false child the last run's side. Missing values
 *   (NaN: missing, "", never seen, beyond max_bins) go true at the first node whose run
 *   goes their way (run 0 or 1). A split with every known category on one side (missing
 *   values alone on the other) is one node, BRANCH_LEQ +Infinity (true for every
 *   position, false for NaN).
 *   - Not a balanced search of the runs: ONNX Runtime takes each node's false child as a
 *     node of its own ("False node must always be the next node"); only true children
 *     may be shared, so a search whose leaves share the two sides cannot be written.
 *   - Not ai.onnx.ml opset 5's TreeEnsemble, whose BRANCH_MEMBER tests a set in one node:
 *     onnx's checker before 1.16 rejects it ("No Op registered for TreeEnsemble with
 *     domain_version of 5"), as would any runtime older than that opset, and under that
 *     opset TreeEnsembleClassifier is deprecated (ONNX Runtime refuses it).
 *   - The export before this one chained BRANCH_EQ nodes, one per category of the smaller
 *     side. With a 200-value text column that the trees split on often
 *     (bench/score.mjs), leaves sat 74 levels deep on average.
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
import { treeInput } from './columns.js';
import type { TreeLayout } from './columns.js';

const ML = 'ai.onnx.ml';

/** A fitted gbdt: the trees and the columns they split on. */
export interface GbdtModel {
  layout: TreeLayout;
  ensemble: Ensemble;
}

/**
 * A categorical split as exported (the module's header): the graph's category positions
 * (0 to k - 1) cut into runs that go the same way, searched by BRANCH_LEQ nodes.
 */
interface CategoricalNode {
  /** Where each run starts (ascending, the first 0); one run: every known category on one side. */
  starts: number[];
  /** Whether each run goes left. */
  goesLeft: boolean[];
  missingLeft: boolean;
}

/** A set's runs: where each run of neighbouring graph positions going the same way starts, and whether it goes left. */
function runsOf(set: Uint8Array, position: Int32Array): { starts: number[]; goesLeft: boolean[] } {
  const k = position.length;
  const leftAt = new Uint8Array(k);
  for (let c = 0; c < k; c++) leftAt[position[c]!] = set[c]!;
  const starts: number[] = [];
  const goesLeft: boolean[] = [];
  for (let p = 0; p < k; p++)
    if (p === 0 || leftAt[p] !== leftAt[p - 1]) {
      starts.push(p);
      goesLeft.push(leftAt[p] === 1);
    }
  return { starts, goesLeft };
}

/** How a categorical node of `tree` is exported, its column's categories at graph positions `position`. */
function categoricalNode(tree: Tree, node: number, position: Int32Array): CategoricalNode {
  const { starts, goesLeft } = runsOf(tree.categories[node]!, position);
  const missingLeft = tree.missingLeft[node]!;
  if (starts.length === 1 && goesLeft[0] === missingLeft) throw new Error('exportEnsemble: a categorical split with an empty side');
  return { starts, goesLeft, missingLeft };
}

/** The mean of the leaf values under `node`. */
function leafMean(tree: Tree, node: number): number {
  let sum = 0;
  let count = 0;
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (tree.feature[n]! < 0) {
      sum += tree.value[n]!;
      count++;
    } else stack.push(tree.left[n]!, tree.right[n]!);
  }
  return sum / count;
}

/** The rows a chain (treeAttributes) walks, summed over `sets` (each set's training rows per category in `counts`). */
function chainCost(sets: Uint8Array[], position: Int32Array, counts: readonly number[]): number {
  let cost = 0;
  for (const set of sets) {
    // Rows at run j walk j + 1 nodes, those of the last run as many as the one before (one node for a single run).
    const { starts } = runsOf(set, position);
    const nodes = Math.max(1, starts.length - 1);
    const runAt = new Int32Array(position.length);
    for (let j = 1; j < starts.length; j++) runAt.fill(j, starts[j]!, starts[j + 1]);
    for (let c = 0; c < position.length; c++) cost += counts[c]! * Math.min(runAt[position[c]!]! + 1, nodes);
  }
  return cost;
}

/**
 * The graph position of each category of each native text column (null for other
 * columns). A split is a chain over runs of neighbouring positions (treeAttributes), so
 * a row's walk is shorter when its category sits early and when sets are few runs. Of
 * three orders, each column takes the one whose chains walk the fewest training rows
 * (chainCost; ties to the earlier): most frequent first (the layout's own order: most
 * rows leave a chain at once, best where a column's sets look random), and by the
 * score, up and down (categories sorted by how far their side of each split raises the
 * score: the mean leaf value under their side minus under the other, summed over the
 * column's splits; a split sorts its node's categories by gradient, so in this order an
 * informative column's sets are one or a few runs).
 */
export function categoryPositions(ens: Ensemble, layout: TreeLayout): Array<Int32Array | null> {
  const features = layout.features;
  const sets = features.map((): Uint8Array[] => []);
  const scores = features.map((f) => (f.kind === 'categorical' && f.categories.length > 0 ? new Float64Array(f.categories.length) : null));
  for (const tree of ens.trees)
    tree.categories.forEach((set, node) => {
      if (!set) return;
      const f = tree.feature[node]!;
      const score = scores[f]!;
      sets[f]!.push(set);
      const lift = leafMean(tree, tree.left[node]!) - leafMean(tree, tree.right[node]!);
      for (let c = 0; c < score.length; c++) score[c] = score[c]! + (set[c] === 1 ? lift : -lift);
    });
  return features.map((feature, f) => {
    const score = scores[f];
    if (!score || feature.kind !== 'categorical') return null;
    const positionsOf = (order: number[]) => {
      const position = new Int32Array(order.length);
      order.forEach((c, p) => (position[c] = p));
      return position;
    };
    const byScore = Array.from(score.keys()).sort((a, b) => score[a]! - score[b]! || a - b);
    const candidates = [positionsOf(Array.from(score.keys())), positionsOf(byScore), positionsOf([...byScore].reverse())];
    const costs = candidates.map((position) => chainCost(sets[f]!, position, feature.counts));
    return candidates[costs.indexOf(Math.min(...costs))]!;
  });
}

/** The node attributes every tree ensemble operator shares (nodes_*), and each leaf's (tree, node, output, weight). */
function treeAttributes(
  ens: Ensemble,
  positions: Array<Int32Array | null>,
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
  ens.trees.forEach((tree, t) => {
    const output = t % ens.outputs;
    const count = tree.feature.length;
    // Node ids in the graph: in tree order, a categorical split taking one id per node of its chain.
    const splits = Array.from({ length: count }, (_, node) =>
      tree.categories[node] ? categoricalNode(tree, node, positions[tree.feature[node]!]!) : null,
    );
    const ids = new Int32Array(count);
    let next = 0;
    for (let node = 0; node < count; node++) {
      ids[node] = next;
      next += Math.max(1, (splits[node]?.starts.length ?? 2) - 1);
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
      const split = splits[node];
      const [left, right] = [ids[tree.left[node]!]!, ids[tree.right[node]!]!];
      if (f < 0) {
        push(id, 0, 'LEAF', 0, 0, 0, false);
        leaves.tree.push(t);
        leaves.node.push(id);
        leaves.id.push(output);
        leaves.weight.push(tree.value[node]!);
      } else if (!split) push(id, f, 'BRANCH_LEQ', tree.threshold[node]!, left, right, tree.missingLeft[node]!);
      else if (split.starts.length === 1)
        // Every known category on one side, missing values alone on the other: true for any position, false for NaN.
        push(id, f, 'BRANCH_LEQ', Infinity, split.goesLeft[0] ? left : right, split.goesLeft[0] ? right : left, false);
      else {
        // A chain, one node per cut between runs from the lowest position up: node j's true
        // is run j's side, its false node j + 1 (the last one's false the last run's side).
        // Missing values go true at the first node whose run goes their way (run 0 or 1).
        const { starts, goesLeft, missingLeft } = split;
        const last = starts.length - 2;
        const missingAt = goesLeft[0] === missingLeft ? 0 : 1;
        for (let j = 0; j <= last; j++)
          push(
            id + j,
            f,
            'BRANCH_LEQ',
            starts[j + 1]! - 0.5,
            goesLeft[j] ? left : right,
            j < last ? id + j + 1 : goesLeft[j + 1] ? left : right,
            j === missingAt,
          );
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

/**
 * Appends the trees' input (the module's header) and returns its name: the shared
 * subgraph when text is one-hot, else each number as given and each text column's
 * category index.
 */
function treeFeatures(g: GraphBuilder, pre: Preprocessor, layout: TreeLayout, positions: Array<Int32Array | null>): string {
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
        attr.floats('values_floats', Array.from(positions[i]!)),
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
  const positions = categoryPositions(ens, layout);
  const x = treeFeatures(g, pre, layout, positions);
  const { nodes, leaves } = treeAttributes(ens, positions);
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
