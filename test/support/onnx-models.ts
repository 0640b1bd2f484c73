/**
 * Small ONNX models made by Python's onnx package (onnx.helper), for the codec and graph
 * tests: files written by the reference implementation, not by our own builders.
 * - basic.onnx: inputs of several types and shapes (one also an initializer), a
 *   sequence, a map and a shapeless output, an If with subgraphs, metadata with keys like
 *   "__proto__", the default domain spelled "ai.onnx", and fields inspectOnnx does not
 *   read (model_version, domain, doc strings), which a rewrite must keep.
 * - zipmap-strings.onnx / zipmap-ints.onnx: a LinearClassifier (softmax) whose
 *   probabilities a ZipMap wraps, as scikit-learn exports do, with string or int64 labels.
 * - plain.onnx: one Add node, no ZipMap.
 * The classifiers' weights come from LINEAR_CLASSIFIER, so tests compute their
 * probabilities themselves.
 */
import { join } from 'node:path';
import { runPython } from './onnx-python.js';

/** The LinearClassifier of the zipmap models: 3 classes x 4 features, row-major, and intercepts. */
export const LINEAR_CLASSIFIER = {
  coefficients: [0.5, -1.25, 0.75, 2, -0.5, 0.25, 1.5, -1, 1, 0.5, -2, 0.125],
  intercepts: [0.1, -0.2, 0.3],
  stringLabels: ['cat', 'dog', 'émù'],
  intLabels: [3, 7, -1],
};

/** Softmax of X·Wᵀ + b for rows of 4 features: what LinearClassifier(post_transform SOFTMAX) gives. */
export function linearClassifierProbabilities(x: readonly number[][]): number[][] {
  const { coefficients: w, intercepts: b } = LINEAR_CLASSIFIER;
  return x.map((row) => {
    const scores = b.map((bias, c) => row.reduce((s, v, i) => s + v * w[c * 4 + i]!, bias));
    const max = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, e) => a + e, 0);
    return exps.map((e) => e / sum);
  });
}

const SCRIPT = String.raw`
import sys, json
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

out = sys.argv[1]
params = json.loads(sys.stdin.read())

def seq_of_map(name, key_type):
    t = onnx.TypeProto()
    m = t.sequence_type.elem_type.map_type
    m.key_type = key_type
    m.value_type.tensor_type.elem_type = TensorProto.FLOAT
    return helper.make_value_info(name, t)

# basic.onnx
then_graph = helper.make_graph([helper.make_node('Neg', ['w'], ['then_out'])], 'then', [], [helper.make_tensor_value_info('then_out', TensorProto.FLOAT, [3])])
else_graph = helper.make_graph([helper.make_node('Abs', ['w'], ['else_out'])], 'else', [], [helper.make_tensor_value_info('else_out', TensorProto.FLOAT, [3])])
map_type = onnx.TypeProto()
map_type.map_type.key_type = TensorProto.INT64
map_type.map_type.value_type.tensor_type.elem_type = TensorProto.DOUBLE
seq_type = onnx.TypeProto()
seq_type.sequence_type.elem_type.tensor_type.elem_type = TensorProto.FLOAT
nodes = [
    helper.make_node('Mul', ['a b', 'w'], ['y'], name='mul'),
    helper.make_node('Cast', ['ids'], ['ids_f'], to=TensorProto.FLOAT),
    helper.make_node('SequenceConstruct', ['y'], ['seq']),
    helper.make_node('If', ['flag'], ['branch'], then_branch=then_graph, else_branch=else_graph),
    helper.make_node('LabelEncoder', ['text'], ['code'], domain='ai.onnx.ml', keys_strings=['u', 'v'], values_int64s=[0, 1], default_int64=-1),
]
graph = helper.make_graph(
    nodes,
    'basic',
    [
        helper.make_tensor_value_info('a b', TensorProto.FLOAT, ['batch', 3]),
        helper.make_tensor_value_info('w', TensorProto.FLOAT, [3]),
        helper.make_tensor_value_info('ids', TensorProto.INT64, [None, 2]),
        helper.make_tensor_value_info('flag', TensorProto.BOOL, []),
        helper.make_tensor_value_info('text', TensorProto.STRING, ['batch']),
    ],
    [
        helper.make_tensor_value_info('y', TensorProto.FLOAT, ['batch', 3]),
        helper.make_tensor_value_info('ids_f', TensorProto.FLOAT, None),
        helper.make_value_info('seq', seq_type),
        helper.make_tensor_value_info('branch', TensorProto.FLOAT, [3]),
        helper.make_value_info('m', map_type),
        helper.make_tensor_value_info('code', TensorProto.INT64, ['batch']),
    ],
    [numpy_helper.from_array(np.array([1.5, -2, 0.25], dtype=np.float32), 'w')],
    doc_string='a graph made by onnx.helper',
)
model = helper.make_model(graph, producer_name='onnx-test', producer_version='1.0', opset_imports=[helper.make_opsetid('ai.onnx', 15), helper.make_opsetid('ai.onnx.ml', 3)])
model.ir_version = 8
model.model_version = 7
model.domain = 'org.example'
model.doc_string = 'doc'
helper.set_model_props(model, {'__proto__': 'proto', 'constructor': 'ctor', 'ünï code': '✓', 'feature_names': '["a","b"]'})
onnx.save(model, out + '/basic.onnx')

# zipmap-strings.onnx, zipmap-ints.onnx
for kind in ['strings', 'ints']:
    labels = params['stringLabels'] if kind == 'strings' else params['intLabels']
    classifier_labels = {'classlabels_strings': labels} if kind == 'strings' else {'classlabels_ints': labels}
    zipmap_labels = {'classlabels_strings': labels} if kind == 'strings' else {'classlabels_int64s': labels}
    label_type = TensorProto.STRING if kind == 'strings' else TensorProto.INT64
    nodes = [
        helper.make_node('LinearClassifier', ['X'], ['label', 'probabilities'], domain='ai.onnx.ml', name='linear',
                         coefficients=params['coefficients'], intercepts=params['intercepts'], multi_class=0, post_transform='SOFTMAX', **classifier_labels),
        helper.make_node('ZipMap', ['probabilities'], ['output_probability'], domain='ai.onnx.ml', name='zipmap', **zipmap_labels),
    ]
    graph = helper.make_graph(
        nodes,
        'classifier',
        [helper.make_tensor_value_info('X', TensorProto.FLOAT, [None, 4])],
        [helper.make_tensor_value_info('label', label_type, [None]), seq_of_map('output_probability', label_type)],
    )
    model = helper.make_model(graph, producer_name='skl2onnx-like', opset_imports=[helper.make_opsetid('', 15), helper.make_opsetid('ai.onnx.ml', 1)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, out + '/zipmap-' + kind + '.onnx')

# plain.onnx
graph = helper.make_graph(
    [helper.make_node('Add', ['x', 'x'], ['y'])],
    'plain',
    [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 2])],
    [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', 2])],
)
model = helper.make_model(graph, producer_name='plain', opset_imports=[helper.make_opsetid('', 15)])
model.ir_version = 8
onnx.save(model, out + '/plain.onnx')
print('ok')
`;

/** Writes the models into `dir` with `python` (which imports onnx). */
export function writePythonModels(
  python: string,
  dir: string,
): { basic: string; zipmapStrings: string; zipmapInts: string; plain: string } {
  runPython(python, SCRIPT, [dir], JSON.stringify(LINEAR_CLASSIFIER));
  return {
    basic: join(dir, 'basic.onnx'),
    zipmapStrings: join(dir, 'zipmap-strings.onnx'),
    zipmapInts: join(dir, 'zipmap-ints.onnx'),
    plain: join(dir, 'plain.onnx'),
  };
}
