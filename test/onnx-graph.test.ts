/**
 * The ONNX file layer: the protobuf codec (known encodings, every wire type, packed and
 * unpacked repeated fields, malformed input), lossless rewriting (decode then encode gives
 * the same bytes, for the repository's fixtures and for models Python's onnx makes in
 * this run), `inspectOnnx` on those models and on bytes that are not ONNX, our builders
 * against onnx.helper's bytes, and `stripZipMap`: the stripped classifier loads in
 * onnxruntime-node and returns its probabilities as a tensor, equal to the
 * LinearClassifier's. Parts needing Python's onnx skip (with the reason in their names)
 * when no python has it, and fail on CI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  ProtoError,
  WIRE_I32,
  WIRE_I64,
  WIRE_LEN,
  WIRE_VARINT,
  bytesField,
  decodeMessage,
  doubleField,
  encodeMessage,
  encodeVarint,
  fieldDouble,
  fieldFloat,
  fieldInt,
  fieldInt64,
  fieldMessage,
  fieldString,
  fieldUint64,
  floatField,
  messageField,
  packedFloatField,
  packedVarintField,
  repeatedDoubles,
  repeatedFloats,
  repeatedVarints,
  stringField,
  varintField,
} from '../src/core/onnx/proto.js';
import type { Field } from '../src/core/onnx/proto.js';
import { attr, inspectOnnx, makeGraph, makeModel, makeNode, makeTensor, makeValueInfo, stripZipMap } from '../src/core/onnx/graph.js';
import { UserError } from '../src/core/errors.js';
import { ROOT, makeTempDir, removeTempDirs } from './support/action-runner.js';
import { userErrorOf } from './support/errors.js';
import { checkModel, onnxPython, runPython } from './support/onnx-python.js';
import { LINEAR_CLASSIFIER, linearClassifierProbabilities, writePythonModels } from './support/onnx-models.js';
import { prng } from './support/random.js';

afterAll(removeTempDirs);

const FIXTURES = join(ROOT, 'test', 'fixtures', 'onnx');
const FIXTURE_MODELS = ['sklearn-gbdt', 'sklearn-logreg-zipmap', 'torch-mlp', 'xgboost-regressor'];
const fixture = async (name: string) => new Uint8Array(await readFile(join(FIXTURES, name, 'model.onnx')));

const py = onnxPython();
const withPython = ('python' in py ? test : test.skip) as typeof test;
const skipped = 'missing' in py ? `(skipped: ${py.missing}) ` : '';
const python = 'python' in py ? py.python : '';

let models: ReturnType<typeof writePythonModels>;
beforeAll(async () => {
  if (python) models = writePythonModels(python, await makeTempDir('mlops-onnx-graph-'));
});
const read = async (file: string) => new Uint8Array(await readFile(file));

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('protobuf codec', () => {
  test.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [2 ** 32, '8080808010'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
    [2n ** 64n - 1n, 'ffffffffffffffffff01'],
    [-1, 'ffffffffffffffffff01'],
    [-(2n ** 63n), '80808080808080808001'],
  ] as Array<[number | bigint, string]>)('varint %p is %s', (value, encoded) => {
    expect(hex(encodeVarint(value))).toBe(encoded);
    const [field] = decodeMessage(encodeMessage([varintField(1, value)]));
    expect(field!.wire).toBe(WIRE_VARINT);
    expect(fieldUint64(field!)).toBe(BigInt.asUintN(64, BigInt(value)));
    expect(fieldInt64(field!)).toBe(BigInt.asIntN(64, BigInt(value)));
  });

  test('every wire type reads back what was written, with the canonical tags', () => {
    const nested = [stringField(1, 'inner'), varintField(2, -5)];
    const fields = [
      varintField(1, 150),
      doubleField(2, -0.1),
      stringField(3, 'ünïcödé ✓'),
      floatField(4, 3.5),
      messageField(5, nested),
      varintField(536870911, true),
      bytesField(6, new Uint8Array([0, 255])),
    ];
    const bytes = encodeMessage(fields);
    expect(hex(bytes.subarray(0, 3))).toBe('089601'); // the protobuf spec's example: field 1 = 150
    const decoded = decodeMessage(bytes);
    expect(decoded.map((f) => [f.number, f.wire])).toEqual([
      [1, WIRE_VARINT],
      [2, WIRE_I64],
      [3, WIRE_LEN],
      [4, WIRE_I32],
      [5, WIRE_LEN],
      [536870911, WIRE_VARINT],
      [6, WIRE_LEN],
    ]);
    expect(fieldInt(decoded[0]!)).toBe(150);
    expect(fieldDouble(decoded[1]!)).toBe(-0.1);
    expect(fieldString(decoded[2]!)).toBe('ünïcödé ✓');
    expect(fieldFloat(decoded[3]!)).toBe(3.5);
    const inner = fieldMessage(decoded[4]!);
    expect(fieldString(inner[0]!)).toBe('inner');
    expect(fieldInt(inner[1]!)).toBe(-5);
    expect(fieldInt(decoded[5]!)).toBe(1);
    expect([...decoded[6]!.data]).toEqual([0, 255]);
    // Every decoded field keeps the exact bytes it came from.
    expect(hex(encodeMessage(decoded))).toBe(hex(bytes));
    expect(hex(encodeMessage(decoded.map(({ number, wire, data }) => ({ number, wire, data }))))).toBe(hex(bytes));
  });

  test('repeated scalars read the same packed or not, and merge across occurrences', () => {
    const unpacked = [varintField(1, 3), varintField(1, -1), floatField(2, 1.5), floatField(2, -2), doubleField(3, 0.1)];
    const packed = [
      packedVarintField(1, [3, -1]),
      packedFloatField(2, [1.5, -2]),
      { number: 3, wire: WIRE_LEN, data: doubleField(3, 0.1).data } as Field,
    ];
    for (const fields of [unpacked, packed, [...packed.slice(0, 1), varintField(1, 9)]]) {
      const message = decodeMessage(encodeMessage(fields));
      const ints = repeatedVarints(message, 1).map((v) => BigInt.asIntN(64, v));
      if (fields.length === 2) expect(ints).toEqual([3n, -1n, 9n]);
      else {
        expect(ints).toEqual([3n, -1n]);
        expect(repeatedFloats(message, 2)).toEqual([1.5, -2]);
        expect(repeatedDoubles(message, 3)).toEqual([0.1]);
      }
    }
  });

  test('a field nobody models survives a rewrite of its neighbours byte for byte', () => {
    // A varint padded to 3 bytes (legal, not canonical), a fixed32 and an unknown field 99.
    const bytes = new Uint8Array([0x08, 0x81, 0x80, 0x00, 0x15, 1, 2, 3, 4, 0x9a, 0x06, 0x02, 0xaa, 0xbb, 0x22, 0x01, 0x78]);
    const fields = decodeMessage(bytes);
    expect(fields.map((f) => f.number)).toEqual([1, 2, 99, 4]);
    expect(fieldInt(fields[0]!)).toBe(1);
    const edited = fields.map((f) => (f.number === 4 ? stringField(4, 'xy') : f));
    expect(hex(encodeMessage(edited))).toBe(hex(bytes.subarray(0, 14)) + '22027879');
  });

  test.each([
    ['a truncated varint', [0x08, 0x80]],
    ['a length past the end', [0x0a, 0x05, 0x61]],
    ['a truncated fixed64', [0x09, 1, 2, 3]],
    ['a group (wire type 3)', [0x0b, 0x0c]],
    ['wire type 7', [0x0f]],
    ['field number 0', [0x00, 0x01]],
    ['an 11-byte varint', [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
  ])('%s is a ProtoError', (_, bytes) => {
    expect(() => decodeMessage(new Uint8Array(bytes))).toThrow(ProtoError);
  });
});

/** The same message with no field keeping its original bytes: encoded from number, wire type and payload only. */
const rebuilt = (fields: Field[]): Field[] => fields.map(({ number, wire, data }) => ({ number, wire, data }));

describe('lossless rewriting', () => {
  test.each(FIXTURE_MODELS)('fixture %s: decode then encode gives the same bytes (kept and rebuilt)', async (name) => {
    const bytes = await fixture(name);
    const model = decodeMessage(bytes);
    expect(Buffer.compare(encodeMessage(model), bytes)).toBe(0);
    const graph = model.find((f) => f.number === 7)!;
    const rebuiltGraph = messageField(7, rebuilt(fieldMessage(graph)));
    expect(Buffer.compare(encodeMessage(rebuilt(model).map((f) => (f.number === 7 ? rebuiltGraph : f))), bytes)).toBe(0);
  });

  withPython(`${skipped}models Python's onnx writes: decode then encode gives the same bytes`, async () => {
    for (const file of Object.values(models)) {
      const bytes = await read(file);
      const model = decodeMessage(bytes);
      expect(Buffer.compare(encodeMessage(model), bytes)).toBe(0);
      expect(Buffer.compare(encodeMessage(rebuilt(model)), bytes)).toBe(0);
      const graph = messageField(7, rebuilt(fieldMessage(model.find((f) => f.number === 7)!)));
      expect(Buffer.compare(encodeMessage(model.map((f) => (f.number === 7 ? graph : f))), bytes)).toBe(0);
    }
  });

  withPython(`${skipped}our builders write the bytes onnx.helper writes for the same model`, () => {
    const ours = makeModel({
      graph: makeGraph({
        name: 'g',
        nodes: [
          makeNode('LabelEncoder', ['s'], ['i'], {
            name: 'enc',
            domain: 'ai.onnx.ml',
            // onnx.helper.make_node writes attributes sorted by name.
            attributes: [attr.int('default_int64', 2), attr.strings('keys_strings', ['a', 'é']), attr.ints('values_int64s', [0, -1])],
          }),
          makeNode('OneHot', ['i', 'depth', 'off_on'], ['h'], { attributes: [attr.int('axis', -1)] }),
          makeNode('Elu', ['x'], ['e'], { attributes: [attr.float('alpha', 0.5)] }),
          makeNode('Foo', [], ['z'], {
            domain: 'x',
            attributes: [
              attr.floats('fs', [0.25, -1]),
              attr.string('mode', 'ß'),
              attr.tensor('value', makeTensor('', [1], { type: 'float32', values: [2] })),
            ],
          }),
        ],
        initializers: [
          makeTensor('depth', [1], { type: 'int64', values: [3] }),
          makeTensor('off_on', [2], { type: 'float32', values: [0, 1] }),
          makeTensor('names', [2], { type: 'string', values: ['p', 'q'] }),
        ],
        inputs: [makeValueInfo('s', 'string', ['N', 1]), makeValueInfo('x', 'float32', [null, 2])],
        outputs: [makeValueInfo('h', 'float32', ['N', 1, 3]), makeValueInfo('e', 'float32', null)],
      }),
      irVersion: 8,
      opsets: { '': 15, 'ai.onnx.ml': 2 },
      producerName: 'mlops-actions',
      producerVersion: 'v',
      metadata: [
        ['k', 'v'],
        ['__proto__', '{}'],
      ],
    });
    const theirs = runPython(
      python,
      String.raw`
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto as T
nodes = [
    helper.make_node('LabelEncoder', ['s'], ['i'], name='enc', domain='ai.onnx.ml', keys_strings=['a', 'é'], values_int64s=[0, -1], default_int64=2),
    helper.make_node('OneHot', ['i', 'depth', 'off_on'], ['h'], axis=-1),
    helper.make_node('Elu', ['x'], ['e'], alpha=0.5),
    helper.make_node('Foo', [], ['z'], domain='x', fs=[0.25, -1.0], mode='ß', value=numpy_helper.from_array(np.array([2], dtype=np.float32), '')),
]
inits = [
    numpy_helper.from_array(np.array([3], dtype=np.int64), 'depth'),
    numpy_helper.from_array(np.array([0, 1], dtype=np.float32), 'off_on'),
    helper.make_tensor('names', T.STRING, [2], [b'p', b'q']),
]
graph = helper.make_graph(nodes, 'g',
    [helper.make_tensor_value_info('s', T.STRING, ['N', 1]), helper.make_tensor_value_info('x', T.FLOAT, [None, 2])],
    [helper.make_tensor_value_info('h', T.FLOAT, ['N', 1, 3]), helper.make_tensor_value_info('e', T.FLOAT, None)], inits)
model = helper.make_model(graph, producer_name='mlops-actions', producer_version='v',
    opset_imports=[helper.make_opsetid('', 15), helper.make_opsetid('ai.onnx.ml', 2)])
model.ir_version = 8
helper.set_model_props(model, {'k': 'v', '__proto__': '{}'})
sys.stdout.write(model.SerializeToString().hex())
`,
    );
    expect(hex(ours)).toBe(theirs);
  });
});

describe('inspectOnnx', () => {
  withPython(`${skipped}a model with every kind of value: inputs, outputs, types, shapes, opsets, metadata, operators`, async () => {
    const info = inspectOnnx(await read(models.basic), 'basic.onnx');
    expect(info.irVersion).toBe(8);
    expect(info.producer).toBe('onnx-test');
    expect({ ...info.opsets }).toEqual({ '': 15, 'ai.onnx.ml': 3 });
    expect(info.inputs).toEqual([
      { name: 'a b', kind: 'tensor', elemType: 'float32', shape: ['batch', 3] },
      { name: 'ids', kind: 'tensor', elemType: 'int64', shape: [null, 2] },
      { name: 'flag', kind: 'tensor', elemType: 'bool', shape: [] },
      { name: 'text', kind: 'tensor', elemType: 'string', shape: ['batch'] },
    ]);
    expect(info.outputs).toEqual([
      { name: 'y', kind: 'tensor', elemType: 'float32', shape: ['batch', 3] },
      { name: 'ids_f', kind: 'tensor', elemType: 'float32', shape: null },
      { name: 'seq', kind: 'sequence', elemType: 'float32', shape: null },
      { name: 'branch', kind: 'tensor', elemType: 'float32', shape: [3] },
      { name: 'm', kind: 'map', elemType: 'float64', shape: null },
      { name: 'code', kind: 'tensor', elemType: 'int64', shape: ['batch'] },
    ]);
    expect(Object.getPrototypeOf(info.metadata)).toBeNull();
    expect(Object.entries(info.metadata)).toEqual([
      ['__proto__', 'proto'],
      ['constructor', 'ctor'],
      ['ünï code', '✓'],
      ['feature_names', '["a","b"]'],
    ]);
    expect(info.metadata['__proto__']).toBe('proto');
    expect(info.operators).toEqual([
      { domain: '', opType: 'Mul' },
      { domain: '', opType: 'Cast' },
      { domain: '', opType: 'SequenceConstruct' },
      { domain: '', opType: 'If' },
      // onnx.helper sorts attributes by name: else_branch comes first.
      { domain: '', opType: 'Abs' },
      { domain: '', opType: 'Neg' },
      { domain: 'ai.onnx.ml', opType: 'LabelEncoder' },
    ]);
    expect(info.classLabels).toBeNull();
  });

  withPython(`${skipped}ZipMap classifiers: class labels (strings, and int64 as decimal text), the sequence-of-maps output`, async () => {
    const strings = inspectOnnx(await read(models.zipmapStrings), 'zipmap-strings.onnx');
    expect(strings.classLabels).toEqual(LINEAR_CLASSIFIER.stringLabels);
    expect(strings.outputs).toEqual([
      { name: 'label', kind: 'tensor', elemType: 'string', shape: [null] },
      { name: 'output_probability', kind: 'sequence', elemType: 'float32', shape: null },
    ]);
    expect(strings.operators).toEqual([
      { domain: 'ai.onnx.ml', opType: 'LinearClassifier' },
      { domain: 'ai.onnx.ml', opType: 'ZipMap' },
    ]);
    const ints = inspectOnnx(await read(models.zipmapInts), 'zipmap-ints.onnx');
    expect(ints.classLabels).toEqual(['3', '7', '-1']);
    expect(ints.outputs[0]!.elemType).toBe('int64');
  });

  test('the repository fixtures', async () => {
    const logreg = inspectOnnx(await fixture('sklearn-logreg-zipmap'), 'logreg.onnx');
    expect(logreg.classLabels).toEqual(['0', '1', '2']);
    expect(logreg.inputs).toEqual([{ name: 'float_input', kind: 'tensor', elemType: 'float32', shape: [null, 4] }]);
    expect({ ...logreg.opsets }).toEqual({ '': 15, 'ai.onnx.ml': 3 });
    const gbdt = inspectOnnx(await fixture('sklearn-gbdt'), 'gbdt.onnx');
    expect(gbdt.operators.map((o) => o.opType)).toContain('TreeEnsembleClassifier');
    expect(gbdt.classLabels).not.toBeNull();
    const torch = inspectOnnx(await fixture('torch-mlp'), 'torch.onnx');
    expect(torch.classLabels).toBeNull();
    expect(inspectOnnx(await fixture('xgboost-regressor'), 'xgb.onnx').outputs[0]!.kind).toBe('tensor');
  });

  test.each([
    ['an empty file', () => new Uint8Array(0), /the file is empty/],
    ['a JSON file', () => new TextEncoder().encode('  {"format": "layers-model", "modelTopology": {}}'), /like JSON/],
    ['an HTML page', () => new TextEncoder().encode('<!doctype html><title>404</title>'), /like HTML/],
    [
      'random bytes',
      () => {
        const random = prng(7);
        return Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
      },
      /not a protobuf message|no ir_version|no graph/,
    ],
    ['a protobuf message that is not a model', () => encodeMessage([stringField(1, 'x'), varintField(2, 5)]), /no ir_version field/],
    ['a model with no graph', () => encodeMessage([varintField(1, 8), stringField(2, 'p')]), /no graph field/],
  ])('%s is not an ONNX model (a UserError naming the file)', (_, bytes, reason) => {
    const error = userErrorOf(() => inspectOnnx(bytes(), 'models/model.onnx'));
    expect(error.message).toMatch(/^models\/model\.onnx is not an ONNX model \(/);
    expect(error.message).toMatch(reason);
    expect(error.hint).toMatch(/ONNX/);
  });

  test('a truncated model is not an ONNX model', async () => {
    for (const name of FIXTURE_MODELS) {
      const bytes = await fixture(name);
      for (const cut of [Math.floor(bytes.length / 2), bytes.length - 1, 1]) {
        const error = userErrorOf(() => inspectOnnx(bytes.subarray(0, cut), `${name}.onnx`));
        expect(error).toBeInstanceOf(UserError);
        expect(error.message).toMatch(new RegExp(`^${name}\\.onnx is not an ONNX model \\(`));
      }
    }
  });

  test('a graph whose nested fields are garbage is not an ONNX model', () => {
    // A graph holding a node field (1) whose bytes are not a message.
    const bytes = encodeMessage([varintField(1, 8), messageField(7, [bytesField(1, new Uint8Array([0x0f]))])]);
    expect(userErrorOf(() => inspectOnnx(bytes, 'm.onnx')).message).toMatch(/^m\.onnx is not an ONNX model \(malformed: /);
  });
});

describe('stripZipMap', () => {
  const X = [
    [5.1, 3.5, 1.4, 0.2],
    [6.2, 2.9, 4.3, 1.3],
    [7.7, 3.0, 6.1, 2.3],
    [-1, 0, 1, 100],
    [0, 0, 0, 0],
  ];

  async function runStripped(bytes: Uint8Array, outputName: string): Promise<{ probabilities: ort.Tensor; label: ort.Tensor }> {
    const session = await ort.InferenceSession.create(bytes);
    const input = new ort.Tensor('float32', Float32Array.from(X.flat()), [X.length, 4]);
    const out = await session.run({ [session.inputNames[0]!]: input });
    await session.release();
    return { probabilities: out[outputName]!, label: out.label! };
  }

  withPython(
    `${skipped}the stripped classifier loads in onnxruntime-node and gives the LinearClassifier's probabilities as a tensor`,
    async () => {
      const expected = linearClassifierProbabilities(X);
      const dir = await makeTempDir('mlops-onnx-strip-');
      for (const [file, labels] of [
        [models.zipmapStrings, LINEAR_CLASSIFIER.stringLabels],
        [models.zipmapInts, LINEAR_CLASSIFIER.intLabels.map(String)],
      ] as const) {
        const bytes = await read(file);
        const before = inspectOnnx(bytes, file);
        const { bytes: stripped, stripped: names } = stripZipMap(bytes);
        expect(names).toEqual(['output_probability']);
        const after = inspectOnnx(stripped, file);
        expect(after.outputs).toEqual([
          before.outputs[0],
          { name: 'output_probability', kind: 'tensor', elemType: 'float32', shape: [null, 3] },
        ]);
        expect(after.operators).toEqual([
          { domain: 'ai.onnx.ml', opType: 'LinearClassifier' },
          { domain: '', opType: 'Identity' },
        ]);
        expect(after.classLabels).toEqual(labels);
        expect({ ...after.opsets }).toEqual({ ...before.opsets });
        // onnx's own checker accepts the rewritten file.
        const out = join(dir, 'stripped.onnx');
        await writeFile(out, stripped);
        expect(checkModel(python, out)).toBeNull();

        const { probabilities, label } = await runStripped(stripped, 'output_probability');
        expect(probabilities.type).toBe('float32');
        expect(probabilities.dims).toEqual([X.length, 3]);
        const p = probabilities.data as Float32Array;
        expected.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(p[r * 3 + c]! - v)).toBeLessThan(1e-5)));
        const argmax = expected.map((row) => labels[row.indexOf(Math.max(...row))]);
        expect(Array.from(label.data as ArrayLike<unknown>, String)).toEqual(argmax);
      }
    },
  );

  test('the scikit-learn fixture: probabilities equal its reference predictions', async () => {
    const { bytes, stripped } = stripZipMap(await fixture('sklearn-logreg-zipmap'));
    expect(stripped).toEqual(['output_probability']);
    const csv = (await readFile(join(FIXTURES, 'sklearn-logreg-zipmap', 'reference-predictions.csv'), 'utf8')).trim().split('\n');
    const header = csv[0]!.split(',');
    const rows = csv.slice(1).map((line) => line.split(',').map(Number));
    const features = [0, 1, 2, 3];
    const scores = ['score:0', 'score:1', 'score:2'].map((s) => header.indexOf(s));
    const session = await ort.InferenceSession.create(bytes);
    const input = new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => features.map((i) => r[i]!))), [rows.length, 4]);
    const out = await session.run({ float_input: input });
    await session.release();
    const p = out.output_probability!.data as Float32Array;
    expect(out.output_probability!.dims).toEqual([rows.length, 3]);
    rows.forEach((row, r) => scores.forEach((col, c) => expect(Math.abs(p[r * 3 + c]! - row[col]!)).toBeLessThan(1e-5)));
  });

  test('a model without ZipMap comes back as the same buffer', async () => {
    const bytes = await fixture('torch-mlp');
    const result = stripZipMap(bytes);
    expect(result.bytes).toBe(bytes);
    expect(result.stripped).toEqual([]);
  });

  test('only the ZipMap node and the output it gives change; every other field is kept byte for byte', async () => {
    const bytes = await fixture('sklearn-logreg-zipmap');
    const { bytes: stripped } = stripZipMap(bytes);
    const before = decodeMessage(bytes);
    const after = decodeMessage(stripped);
    // Only the graph field changes; inside it, only the ZipMap node and the output it gives.
    expect(after.filter((f) => f.number !== 7).map((f) => hex(f.raw!))).toEqual(
      before.filter((f) => f.number !== 7).map((f) => hex(f.raw!)),
    );
    const g0 = fieldMessage(before.find((f) => f.number === 7)!);
    const g1 = fieldMessage(after.find((f) => f.number === 7)!);
    const changed = g0.map((f, i) => (hex(f.raw!) === hex(g1[i]!.raw!) ? null : f.number)).filter((n) => n !== null);
    expect(changed).toEqual([1, 12]);
    // Stripping again changes nothing.
    expect(stripZipMap(stripped).stripped).toEqual([]);
  });
});

describe('a hostile graph', () => {
  test('subgraphs nested thousands deep are refused as not an ONNX model, naming the file (no stack overflow)', () => {
    // If -> then_branch -> If -> ... : AttributeProto.g = 6, NodeProto.attribute = 5, GraphProto.node = 1.
    let graph = makeGraph({ name: 'leaf', nodes: [], initializers: [], inputs: [], outputs: [] });
    for (let i = 0; i < 5000; i++) {
      const branch = [stringField(1, 'then_branch'), messageField(6, graph), varintField(20, 5)];
      const node = [...makeNode('If', ['c'], ['y'])];
      graph = makeGraph({ name: `g${i}`, nodes: [[...node, messageField(5, branch)]], initializers: [], inputs: [], outputs: [] });
    }
    const bytes = makeModel({ graph, irVersion: 8, opsets: { '': 15 }, producerName: 'hostile' });
    const error = userErrorOf(() => inspectOnnx(bytes, 'deep/model.onnx'));
    expect(error.message).toMatch(/^deep\/model\.onnx is not an ONNX model \(.*nested more than 64 deep/);
  });
});
