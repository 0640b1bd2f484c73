/**
 * OnnxModel: any ONNX graph as a TabularModel, on both runtimes (onnxruntime-web and
 * onnxruntime-node). Feeds for every input form (one input per column of each element
 * type, or one [N, k] tensor ordered by the card or the graph metadata), outputs by role
 * (a ZipMap stripped with a log line, classes reordered to the card's, a binary model's
 * single column, labels only, logits), the errors a user can hit, hostile column names,
 * batches, and the real-framework fixtures in test/fixtures/onnx/ against the frameworks'
 * own predictions. Graphs are built here with the builders of src/core/onnx/graph.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTable } from '../src/core/data/table.js';
import type { Table } from '../src/core/data/table.js';
import { UserError } from '../src/core/errors.js';
import type { ModelSignature } from '../src/core/model/model.js';
import { BATCH_ROWS, openOnnxModel } from '../src/core/model/onnx-model.js';
import type { OnnxModel, OpenOnnxModelOptions } from '../src/core/model/onnx-model.js';
import { attr, makeGraph, makeModel, makeNode, makeTensor, makeValueInfo } from '../src/core/onnx/graph.js';
import type { ElemType, Message } from '../src/core/onnx/graph.js';
import { messageField, stringField, varintField } from '../src/core/onnx/proto.js';

const RUNTIMES = ['web', 'node'] as const;
const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'onnx');
const savedChoice = process.env.MLOPS_ONNX_RUNTIME;
const opened: OnnxModel[] = [];

afterAll(() => {
  for (const model of opened) model.dispose();
  if (savedChoice === undefined) delete process.env.MLOPS_ONNX_RUNTIME;
  else process.env.MLOPS_ONNX_RUNTIME = savedChoice;
});

// ── Building graphs and tables ───────────────────────────────────────────────────────────

interface GraphParts {
  inputs: Message[];
  outputs: Message[];
  nodes: Message[];
  initializers?: Message[];
  metadata?: Array<[string, string]>;
  opsets?: Record<string, number>;
}

function onnx(parts: GraphParts): Uint8Array {
  return makeModel({
    irVersion: 8,
    opsets: parts.opsets ?? { '': 15, 'ai.onnx.ml': 3 },
    producerName: 'onnx-model.test',
    metadata: parts.metadata,
    graph: makeGraph({
      name: 'g',
      nodes: parts.nodes,
      initializers: parts.initializers ?? [],
      inputs: parts.inputs,
      outputs: parts.outputs,
    }),
  });
}

const input = (name: string, type: ElemType, shape: Array<number | string | null> = ['N', 1]) => makeValueInfo(name, type, shape);
const output = input;
const FLOAT = 1;
const cast = (from: string, to: string) => makeNode('Cast', [from], [to], { attributes: [attr.int('to', FLOAT)] });
const weights = (name: string, values: number[]) => makeTensor(name, [values.length, 1], { type: 'float32', values });

/** A graph output that is a sequence of maps (key type: 8 string, 7 int64) to float, as a ZipMap gives. */
function zipMapOutput(name: string, keyType: 7 | 8): Message {
  const floatTensor = [messageField(1, [varintField(1, FLOAT)])];
  const map = [messageField(5, [varintField(1, keyType), messageField(2, floatTensor)])];
  return [stringField(1, name), messageField(2, [messageField(4, [messageField(1, map)])])];
}

type Cell = number | string | boolean | null;

/** A table as readTable builds it: numbers (NaN where missing or text), and the texts of a column holding any text. */
function table(columns: Array<[string, Cell[]]>): Table {
  const rows = columns[0]![1].length;
  return {
    rows,
    files: ['data.csv'],
    columns: columns.map(([name, cells]) => {
      const texty = cells.some((c) => typeof c === 'string' || typeof c === 'boolean');
      return {
        name,
        numbers: Float64Array.from(cells, (c) => (typeof c === 'number' ? c : NaN)),
        texts: texty ? cells.map((c) => (c === null ? null : typeof c === 'boolean' ? String(c) : String(c))) : null,
        present: cells.filter((c) => c !== null).length,
        numeric: cells.filter((c) => typeof c === 'number').length,
      };
    }),
  };
}

const all = (t: Table) => Array.from({ length: t.rows }, (_, i) => i);

async function open(bytes: Uint8Array, options: Partial<OpenOnnxModelOptions> = {}): Promise<{ model: OnnxModel; lines: string[] }> {
  const lines: string[] = [];
  const model = await openOnnxModel(bytes, { shownPath: 'models/model.onnx', log: (line) => lines.push(line), ...options });
  opened.push(model);
  return { model, lines };
}

async function openError(bytes: Uint8Array, options: Partial<OpenOnnxModelOptions> = {}): Promise<UserError> {
  const error = await open(bytes, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

async function predictError(model: OnnxModel, t: Table): Promise<UserError> {
  const error = await model.predict(t, all(t)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(actual[i]).toBeNaN();
    else if (Math.abs(actual[i]! - e) > tolerance * Math.max(1, Math.abs(e)))
      throw new Error(`value ${i}: ${actual[i]} where ${e} was expected (tolerance ${tolerance})`);
  }
}

/** One input `x` of `type`, its values as float32 in `variable` (strings through a LabelEncoder). */
function identityModel(
  type: ElemType,
  shape: Array<number | string | null> = ['N', 1],
  labels?: { keys: string[]; values: number[] },
): Uint8Array {
  const nodes =
    type === 'string'
      ? [
          makeNode('LabelEncoder', ['x'], ['variable'], {
            domain: 'ai.onnx.ml',
            attributes: [
              attr.strings('keys_strings', labels!.keys),
              attr.floats('values_floats', labels!.values),
              attr.float('default_float', 0),
            ],
          }),
        ]
      : [cast('x', 'variable')];
  return onnx({ inputs: [input('x', type, shape)], outputs: [output('variable', 'float32', shape)], nodes });
}

/** One [N, 3] float32 input `input`; `variable` = column 0 + 10 column 1 + 100 column 2. */
function tensorModel(metadata?: Array<[string, string]>, inputType: ElemType = 'float32'): Uint8Array {
  const nodes = inputType === 'float32' ? [] : [cast('input', 'input_float')];
  nodes.push(makeNode('MatMul', [inputType === 'float32' ? 'input' : 'input_float', 'w'], ['variable']));
  return onnx({
    inputs: [input('input', inputType, ['N', 3])],
    outputs: [output('variable', 'float32', ['N', 1])],
    nodes,
    initializers: [weights('w', [1, 10, 100])],
    metadata,
  });
}

const LINEAR = {
  coefficients: [0.5, -1.25, 0.75, 2, -0.5, 0.25, 1.5, -1, 1, 0.5, -2, 0.125],
  intercepts: [0.1, -0.2, 0.3],
};
const X4 = [
  [0.1, 0.2, 0.3, 0.4],
  [1, -1, 0.5, 2],
  [-0.3, 0.8, -1.5, 0.25],
];
const x4Table = () =>
  table([
    ['f0', X4.map((r) => r[0]!)],
    ['f1', X4.map((r) => r[1]!)],
    ['f2', X4.map((r) => r[2]!)],
    ['f3', X4.map((r) => r[3]!)],
  ]);

/** Softmax of X·Wᵀ + b per row, in the LinearClassifier's class order. */
function linearProbabilities(x: number[][]): number[][] {
  return x.map((row) => {
    const scores = LINEAR.intercepts.map((b, c) => row.reduce((s, v, i) => s + v * LINEAR.coefficients[c * 4 + i]!, b));
    const max = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, e) => a + e, 0);
    return exps.map((e) => e / sum);
  });
}

/** A scikit-learn-like classifier: LinearClassifier (softmax) on [N, 4], its labels and probabilities (maybe through a ZipMap). */
function linearClassifier(options: { labels: string[] | number[]; zipmap?: boolean; outputs?: 'both' | 'labels' }): Uint8Array {
  const strings = typeof options.labels[0] === 'string';
  const labelAttr = strings
    ? attr.strings('classlabels_strings', options.labels as string[])
    : attr.ints('classlabels_ints', options.labels as number[]);
  const nodes = [
    makeNode('LinearClassifier', ['input'], ['label', 'scores'], {
      domain: 'ai.onnx.ml',
      attributes: [
        labelAttr,
        attr.floats('coefficients', LINEAR.coefficients),
        attr.floats('intercepts', LINEAR.intercepts),
        attr.string('post_transform', 'SOFTMAX'),
      ],
    }),
  ];
  const outputs = [output('label', strings ? 'string' : 'int64', ['N'])];
  if (options.outputs !== 'labels') {
    if (options.zipmap) {
      nodes.push(
        makeNode('ZipMap', ['scores'], ['output_probability'], {
          domain: 'ai.onnx.ml',
          attributes: [
            strings
              ? attr.strings('classlabels_strings', options.labels as string[])
              : attr.ints('classlabels_int64s', options.labels as number[]),
          ],
        }),
      );
      outputs.push(zipMapOutput('output_probability', strings ? 8 : 7));
    } else outputs.push(output('scores', 'float32', ['N', 3]));
  }
  return onnx({
    inputs: [input('input', 'float32', ['N', 4])],
    outputs,
    nodes,
    metadata: [['feature_names', JSON.stringify(['f0', 'f1', 'f2', 'f3'])]],
  });
}

/** Row-major rows x classes of `probabilities`, its columns taken in `order`. */
const reorder = (probabilities: number[][], order: number[]) => probabilities.flatMap((row) => order.map((j) => row[j]!));

// ── Both runtimes ────────────────────────────────────────────────────────────────────────

describe.each(RUNTIMES)('on onnxruntime-%s', (runtime) => {
  beforeAll(() => {
    process.env.MLOPS_ONNX_RUNTIME = runtime;
  });

  describe('inputs, one per column', () => {
    test('float32 and float64: numbers as they are, a missing value as NaN; [N] inputs too', async () => {
      const t = table([['x', [1.5, null, -2.25, 1e6]]]);
      for (const [type, shape] of [
        ['float32', ['N', 1]],
        ['float64', ['N', 1]],
        ['float32', ['N']],
      ] as const) {
        const { model } = await open(identityModel(type, [...shape]));
        expect(model.runtime).toBe(runtime);
        expect(model.signature).toEqual({
          features: [{ name: 'x', type: 'number' }],
          target: { name: 'target', task: 'regression' },
          probabilities: true,
        });
        expectClose(await model.predict(t, all(t)), [1.5, NaN, -2.25, 1e6], 0);
      }
    });

    test('int64: small and large whole numbers, negatives', async () => {
      const values = [3, -7, 2 ** 40 + 1, -(2 ** 40) - 1, 2 ** 31, -(2 ** 31) - 1, 0, 2 ** 53 - 1];
      const t = table([['x', values]]);
      // Cast to double: exact for every one of them.
      const bytes = onnx({
        inputs: [input('x', 'int64')],
        outputs: [output('variable', 'float64')],
        nodes: [makeNode('Cast', ['x'], ['variable'], { attributes: [attr.int('to', 11)] })],
      });
      expectClose(await (await open(bytes)).model.predict(t, all(t)), values, 0);
    });

    test('int32, and bool from numbers and from true/false texts', async () => {
      const ints = table([['x', [3, -7, 2147483647, -2147483648]]]);
      expectClose(
        await (await open(identityModel('int32'))).model.predict(ints, all(ints)),
        [3, -7, Math.fround(2147483647), -2147483648],
        0,
      );
      const bools = table([['x', [1, 0, 5, 'true', 'false', true, false]]]);
      expectClose(await (await open(identityModel('bool'))).model.predict(bools, all(bools)), [1, 0, 1, 1, 0, 1, 0], 0);
    });

    test('string: texts as they are (missing as ""), numbers as their decimal text', async () => {
      const { model } = await open(identityModel('string', ['N', 1], { keys: ['a', 'b', '', '7', '2.5'], values: [1, 2, 9, 5, 6] }));
      expect(model.signature.features).toEqual([{ name: 'x', type: 'string' }]);
      const texts = table([['x', ['a', null, 'b', 'zz', '7']]]);
      expectClose(await model.predict(texts, all(texts)), [1, 9, 2, 0, 5], 0);
      const numbers = table([['x', [7, null, 2.5]]]);
      expectClose(await model.predict(numbers, all(numbers)), [5, 9, 6], 0);
    });

    test('a missing or fractional value for an int or bool input is a UserError naming the column and the row', async () => {
      const { model } = await open(identityModel('int64'));
      let error = await predictError(model, table([['x', [1, null, 3]]]));
      expect(error.message).toContain('models/model.onnx');
      expect(error.message).toContain('"x"');
      expect(error.message).toContain('int64');
      expect(error.message).toContain('row 2');
      expect(error.hint).toMatch(/float input/);
      error = await predictError(model, table([['x', [1, 2, 2.5]]]));
      expect(error.message).toContain('2.5');
      expect(error.message).toContain('row 3');
      const int32 = (await open(identityModel('int32'))).model;
      expect((await predictError(int32, table([['x', [2 ** 40]]]))).message).toContain('int32');
      const bool = (await open(identityModel('bool'))).model;
      expect((await predictError(bool, table([['x', ['true', 'maybe']]]))).message).toContain('row 2');
    });

    test('a graph input no column matches: a UserError listing the inputs and the columns', async () => {
      const bytes = onnx({
        inputs: [input('age', 'float32'), input('income', 'float32')],
        outputs: [output('variable', 'float32')],
        nodes: [makeNode('Add', ['age', 'income'], ['variable'])],
      });
      const { model } = await open(bytes);
      const error = await predictError(
        model,
        table([
          ['age', [1]],
          ['salary', [2]],
        ]),
      );
      expect(error.message).toContain('models/model.onnx');
      expect(error.message).toContain('"income"');
      expect(error.message).toContain('"age", "income"');
      expect(error.message).toContain('"salary"');
      expect(error.message).toContain('data.csv');
    });

    test('hostile names: __proto__, constructor, spaces and unicode as graph inputs and columns', async () => {
      const names = ['__proto__', 'a b', 'température ☃', 'constructor'];
      const bytes = onnx({
        inputs: names.map((n) => input(n, 'float32')),
        outputs: [output('variable', 'float32')],
        nodes: [makeNode('Concat', names, ['all'], { attributes: [attr.int('axis', 1)] }), makeNode('MatMul', ['all', 'w'], ['variable'])],
        initializers: [weights('w', [1, 10, 100, 1000])],
      });
      const { model } = await open(bytes);
      expect(model.signature.features.map((f) => f.name)).toEqual(names);
      const t = table([
        ['toString', [9, 9]],
        ['constructor', [4, 8]],
        ['température ☃', [3, 7]],
        ['a b', [2, 6]],
        ['__proto__', [1, 5]],
      ]);
      expectClose(await model.predict(t, all(t)), [4321, 8765]);
      expect(Object.getPrototypeOf(model.signature.features)).toBe(Array.prototype);
    });
  });

  describe('inputs, one tensor', () => {
    const t = table([
      ['a', [1, 2]],
      ['b', [3, 4]],
      ['c', [5, 6]],
      ['other', [100, 100]],
    ]);

    test("the column order from the card's features, else metadata feature_names, else mlops.features", async () => {
      const card = {
        features: [
          { name: 'c', type: 'number' as const },
          { name: 'a', type: 'number' as const },
          { name: 'b', type: 'number' as const },
        ],
      };
      expectClose(await (await open(tensorModel(), { signature: card })).model.predict(t, [0, 1]), [5 + 10 + 300, 6 + 20 + 400]);
      const named = tensorModel([['feature_names', '["a", "b", "c"]']]);
      expectClose(await (await open(named)).model.predict(t, [0, 1]), [1 + 30 + 500, 2 + 40 + 600]);
      // The card wins over the metadata.
      expectClose(await (await open(named, { signature: card })).model.predict(t, [1]), [6 + 20 + 400]);
      const { model } = await open(
        tensorModel([['mlops.features', JSON.stringify([{ name: 'b', type: 'number' }, { name: 'c' }, { name: 'a' }])]]),
      );
      expect(model.signature.features).toEqual([
        { name: 'b', type: 'number' },
        { name: 'c', type: 'number' },
        { name: 'a', type: 'number' },
      ]);
      expectClose(await model.predict(t, [0, 1]), [3 + 50 + 100, 4 + 60 + 200]);
    });

    test('int64 and string tensors', async () => {
      const { model } = await open(tensorModel([['feature_names', '["a", "b", "c"]']], 'int64'));
      expectClose(await model.predict(t, [1, 0]), [2 + 40 + 600, 1 + 30 + 500]);
      expect(
        (
          await predictError(
            model,
            table([
              ['a', [1]],
              ['b', [null]],
              ['c', [1]],
            ]),
          )
        ).message,
      ).toContain('column "b"');
      const strings = onnx({
        inputs: [input('input', 'string', ['N', 2])],
        outputs: [output('variable', 'float32', ['N', 1])],
        nodes: [
          makeNode('LabelEncoder', ['input'], ['codes'], {
            domain: 'ai.onnx.ml',
            attributes: [
              attr.strings('keys_strings', ['x', 'y', '']),
              attr.floats('values_floats', [1, 2, 3]),
              attr.float('default_float', 0),
            ],
          }),
          makeNode('MatMul', ['codes', 'w'], ['variable']),
        ],
        initializers: [weights('w', [1, 10])],
        metadata: [['feature_names', '["s", "t"]']],
      });
      const text = (await open(strings)).model;
      expect(text.signature.features).toEqual([
        { name: 's', type: 'string' },
        { name: 't', type: 'string' },
      ]);
      const st = table([
        ['t', ['y', null, 'x']],
        ['s', ['x', 'y', 'q']],
      ]);
      expectClose(await text.predict(st, all(st)), [1 + 20, 2 + 30, 0 + 10]);
    });

    test('a single tensor with no column order, or an order of the wrong width: UserErrors naming the file', async () => {
      let error = await openError(tensorModel());
      expect(error.message).toContain('models/model.onnx');
      expect(error.message).toContain('"input"');
      expect(error.hint).toContain('feature_names');
      expect(error.hint).toContain('signature.features');
      error = await openError(tensorModel(), {
        signature: {
          features: [
            { name: 'a', type: 'number' },
            { name: 'b', type: 'number' },
          ],
        },
      });
      expect(error.message).toContain('3 columns');
      expect(error.message).toContain('2 features');
    });

    test('hostile names in feature_names', async () => {
      const names = ['__proto__', 'hasOwnProperty', 'x y ✓'];
      const { model } = await open(tensorModel([['feature_names', JSON.stringify(names)]]));
      const hostile = table([
        ['x y ✓', [3]],
        ['hasOwnProperty', [2]],
        ['__proto__', [1]],
      ]);
      expectClose(await model.predict(hostile, [0]), [321]);
    });
  });

  describe('outputs', () => {
    const t = x4Table();
    const expected = linearProbabilities(X4);

    test('a ZipMap output is replaced by its probability tensor, with one log line; classes in the graph order', async () => {
      const { model, lines } = await open(linearClassifier({ labels: ['cat', 'dog', 'émù'], zipmap: true }));
      expect(lines.filter((l) => l.includes('ZipMap'))).toEqual([expect.stringContaining('"output_probability"')]);
      expect(lines.find((l) => l.includes('ZipMap'))).toContain('models/model.onnx');
      expect(model.signature.target).toEqual({ name: 'target', task: 'classification', classes: ['cat', 'dog', 'émù'] });
      expect(model.signature.probabilities).toBe(true);
      expectClose(await model.predict(t, all(t)), expected.flat());
      expect(model.graphOutputs).toEqual([
        { name: 'label', datatype: 'BYTES', shape: [-1] },
        { name: 'output_probability', datatype: 'FP32', shape: [-1, 3] },
      ]);
    });

    test("int64 labels, and the card's classes in another order: columns reordered to the card's", async () => {
      const { model } = await open(linearClassifier({ labels: [3, 7, -1], zipmap: true }), {
        signature: { target: { name: 'species', task: 'classification', classes: ['-1', '3', '7'] } },
      });
      expect(model.signature.target).toEqual({ name: 'species', task: 'classification', classes: ['-1', '3', '7'] });
      expectClose(await model.predict(t, all(t)), reorder(expected, [2, 0, 1]));
    });

    test("the card's classes not those of the graph: a UserError naming both", async () => {
      const bytes = linearClassifier({ labels: ['cat', 'dog', 'emu'] });
      let error = await openError(bytes, { signature: { target: { name: 'y', task: 'classification', classes: ['cat', 'dog', 'owl'] } } });
      expect(error.message).toContain('owl');
      expect(error.message).toContain('emu');
      error = await openError(bytes, { signature: { target: { name: 'y', task: 'classification', classes: ['cat', 'dog'] } } });
      expect(error.message).toContain('(cat, dog)');
      expect(error.message).toContain('(cat, dog, emu)');
    });

    test('classes from the metadata mlops.target, else 0..C-1, when the graph names none', async () => {
      const probabilities = (metadata?: Array<[string, string]>) =>
        onnx({
          inputs: [input('input', 'float32', ['N', 3])],
          outputs: [output('probabilities', 'float32', ['N', 3])],
          nodes: [makeNode('Softmax', ['input'], ['probabilities'], { attributes: [attr.int('axis', 1)] })],
          metadata: [['feature_names', '["a", "b", "c"]'], ...(metadata ?? [])],
        });
      expect((await open(probabilities())).model.signature.target).toEqual({
        name: 'target',
        task: 'classification',
        classes: ['0', '1', '2'],
      });
      const target = JSON.stringify({ name: 'colour', task: 'classification', classes: ['red', 'green', 'blue'] });
      expect((await open(probabilities([['mlops.target', target]]))).model.signature.target).toEqual({
        name: 'colour',
        task: 'classification',
        classes: ['red', 'green', 'blue'],
      });
    });

    test('a binary model with one probability column gives [1 - p, p]', async () => {
      const bytes = onnx({
        inputs: [input('x', 'float32')],
        outputs: [output('probability', 'float32')],
        nodes: [makeNode('Sigmoid', ['x'], ['probability'])],
      });
      const xs = table([['x', [0, 2, -1]]]);
      const p = [0, 2, -1].map((v) => 1 / (1 + Math.exp(-v)));
      const plain = (await open(bytes)).model;
      expect(plain.signature.target).toEqual({ name: 'target', task: 'classification', classes: ['0', '1'] });
      expectClose(
        await plain.predict(xs, all(xs)),
        p.flatMap((q) => [1 - q, q]),
      );
      const named = (await open(bytes, { signature: { target: { name: 'churn', task: 'classification', classes: ['no', 'yes'] } } })).model;
      expectClose(await named.predict(xs, [1]), [1 - p[1]!, p[1]!]);
      const error = await openError(bytes, { signature: { target: { name: 'y', task: 'classification', classes: ['a', 'b', 'c'] } } });
      expect(error.message).toContain('binary');
    });

    test('logits become probabilities (softmax), with a log line', async () => {
      const bytes = onnx({
        inputs: [input('input', 'float32', ['N', 3])],
        outputs: [output('logits', 'float32', ['N', 3])],
        nodes: [makeNode('Identity', ['input'], ['logits'])],
        metadata: [['feature_names', '["a", "b", "c"]']],
      });
      const { model, lines } = await open(bytes);
      expect(lines.some((l) => l.includes('softmax'))).toBe(true);
      const abc = table([
        ['a', [1]],
        ['b', [2]],
        ['c', [3]],
      ]);
      const e = [1, 2, 3].map(Math.exp);
      const sum = e[0]! + e[1]! + e[2]!;
      expectClose(
        await model.predict(abc, [0]),
        e.map((v) => v / sum),
      );
    });

    test('a probability output of unknown width: one trial run finds the classes', async () => {
      const bytes = onnx({
        inputs: [input('input', 'float32', ['N', 'k'])],
        outputs: [output('probabilities', 'float32', ['N', 'C'])],
        nodes: [makeNode('Softmax', ['input'], ['probabilities'], { attributes: [attr.int('axis', 1)] })],
        metadata: [['feature_names', '["a", "b", "c", "d"]']],
      });
      const { model } = await open(bytes);
      expect(model.signature.target).toEqual({ name: 'target', task: 'classification', classes: ['0', '1', '2', '3'] });
    });

    test('a classifier giving labels only: one-hot predictions, probabilities false', async () => {
      const { model, lines } = await open(linearClassifier({ labels: ['cat', 'dog', 'emu'], outputs: 'labels' }));
      expect(model.signature.probabilities).toBe(false);
      expect(model.signature.target).toEqual({ name: 'target', task: 'classification', classes: ['cat', 'dog', 'emu'] });
      expect(lines.some((l) => l.includes('labels only'))).toBe(true);
      const best = expected.map((row) => row.indexOf(Math.max(...row)));
      expect(Array.from(await model.predict(t, all(t)))).toEqual(best.flatMap((b) => [0, 1, 2].map((c) => (c === b ? 1 : 0))));
    });

    test('labels only with no class list: a UserError, unless the card lists the classes', async () => {
      const bytes = onnx({
        inputs: [input('input', 'float32', ['N', 3])],
        outputs: [output('label', 'int64', ['N'])],
        nodes: [makeNode('ArgMax', ['input'], ['label'], { attributes: [attr.int('axis', 1), attr.int('keepdims', 0)] })],
        metadata: [['feature_names', '["a", "b", "c"]']],
      });
      const error = await openError(bytes);
      expect(error.message).toContain('"label"');
      expect(error.hint).toContain('signature.target.classes');
      const { model } = await open(bytes, { signature: { target: { name: 'y', task: 'classification', classes: ['0', '1', '2'] } } });
      const abc = table([
        ['a', [1, 9]],
        ['b', [5, 0]],
        ['c', [2, 1]],
      ]);
      expect(Array.from(await model.predict(abc, [0, 1]))).toEqual([0, 1, 0, 1, 0, 0]);
      // A label the class list does not name is an error naming it and the row, never an all-zero row.
      const { model: two } = await open(bytes, { signature: { target: { name: 'y', task: 'classification', classes: ['0', '1'] } } });
      const error2 = await predictError(
        two,
        table([
          ['a', [0]],
          ['b', [0]],
          ['c', [7]],
        ]),
      );
      expect(error2.message).toMatch(/gives the label "2" for row 1, which is not one of the classes \(0, 1\)/);
    });

    test('outputs of no known role, or several unnamed values: UserErrors naming the outputs', async () => {
      const codes = onnx({
        inputs: [input('input', 'float32', ['N', 3])],
        outputs: [output('codes', 'int64', ['N', 3])],
        nodes: [makeNode('Cast', ['input'], ['codes'], { attributes: [attr.int('to', 7)] })],
        metadata: [['feature_names', '["a", "b", "c"]']],
      });
      let error = await openError(codes);
      expect(error.message).toContain('"codes" (int64 [N, 3])');
      const two = onnx({
        inputs: [input('x', 'float32')],
        outputs: [output('first', 'float32'), output('second', 'float32')],
        nodes: [makeNode('Identity', ['x'], ['first']), makeNode('Neg', ['x'], ['second'])],
      });
      error = await openError(two);
      expect(error.message).toContain('"first", "second"');
    });

    test('a card saying regression for a classifier: a UserError naming the outputs', async () => {
      const error = await openError(linearClassifier({ labels: ['cat', 'dog', 'emu'] }), {
        signature: { target: { name: 'y', task: 'regression' } },
      });
      expect(error.message).toContain('regression');
      expect(error.message).toContain('"scores" (float32 [N, 3])');
    });

    test('regression: the named float output among several', async () => {
      const bytes = onnx({
        inputs: [input('x', 'float32')],
        outputs: [output('debug', 'float32'), output('variable', 'float32')],
        nodes: [makeNode('Identity', ['x'], ['debug']), makeNode('Neg', ['x'], ['variable'])],
      });
      const { model } = await open(bytes, { signature: { target: { name: 'price', task: 'regression' } } });
      expect(model.signature.target).toEqual({ name: 'price', task: 'regression' });
      const xs = table([['x', [2, -3]]]);
      expectClose(await model.predict(xs, all(xs)), [-2, 3]);
    });
  });

  describe('scoring', () => {
    test('batches: more rows than one batch, in any order, repeated, or none', async () => {
      const bytes = onnx({
        inputs: [input('x', 'float64')],
        outputs: [output('variable', 'float64')],
        nodes: [makeNode('Identity', ['x'], ['variable'])],
      });
      const { model } = await open(bytes);
      const n = BATCH_ROWS + 17;
      const values = Float64Array.from({ length: n }, (_, i) => i * 1.5 - 7);
      const big: Table = { rows: n, files: ['big.csv'], columns: [{ name: 'x', numbers: values, texts: null, present: n, numeric: n }] };
      const rows = Array.from({ length: n }, (_, i) => n - 1 - i);
      rows.push(3, 3);
      const out = await model.predict(big, rows);
      expect(out).toHaveLength(rows.length);
      for (let i = 0; i < rows.length; i++)
        if (out[i] !== values[rows[i]!]) throw new Error(`row ${i}: ${out[i]} where ${values[rows[i]!]}`);
      expect(await model.predict(big, [])).toHaveLength(0);
    });

    test("what the server reads: inputs and outputs as KServe's v2 names their types, opsets, producer; dispose", async () => {
      const types: ElemType[] = ['float32', 'float64', 'int64', 'int32', 'bool', 'string'];
      const bytes = onnx({
        inputs: types.map((type, i) => input(`in${i}`, type, i === 1 ? ['N'] : ['N', 1])),
        outputs: [output('variable', 'float32', ['N', 1])],
        nodes: [cast('in0', 'variable')],
      });
      const { model } = await open(bytes);
      expect(model.graphInputs).toEqual([
        { name: 'in0', datatype: 'FP32', shape: [-1, 1] },
        { name: 'in1', datatype: 'FP64', shape: [-1] },
        { name: 'in2', datatype: 'INT64', shape: [-1, 1] },
        { name: 'in3', datatype: 'INT32', shape: [-1, 1] },
        { name: 'in4', datatype: 'BOOL', shape: [-1, 1] },
        { name: 'in5', datatype: 'BYTES', shape: [-1, 1] },
      ]);
      expect(model.graphOutputs).toEqual([{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }]);
      expect(model.opsets).toEqual({ '': 15, 'ai.onnx.ml': 3 });
      expect(model.producer).toBe('onnx-model.test');
      expect(model.algorithm).toBe('onnx');
      expect(model.runtime).toBe(runtime);
      expect(model.signature.features.map((f) => f.type)).toEqual(['number', 'number', 'number', 'number', 'number', 'string']);
      model.dispose();
      await expect(model.predict(table([['in0', [1]]]), [0])).rejects.toThrow('disposed');
    });

    test('unsupported input types are UserErrors at open', async () => {
      const bytes = onnx({ inputs: [input('x', 'uint8')], outputs: [output('variable', 'float32')], nodes: [cast('x', 'variable')] });
      const error = await openError(bytes);
      expect(error.message).toContain('"x" is uint8');
    });
  });

  // ── The frameworks' own predictions ────────────────────────────────────────────────────

  describe('real-framework fixtures (test/fixtures/onnx)', () => {
    const fixtures = ['sklearn-gbdt', 'sklearn-logreg-zipmap', 'sklearn-strings', 'torch-mlp', 'xgboost-regressor'].filter((name) =>
      existsSync(join(FIXTURES, name, 'model.onnx')),
    );

    test.each(fixtures)('%s: the framework’s predictions within 1e-5', async (name) => {
      const dir = join(FIXTURES, name);
      const { model, lines } = await open(new Uint8Array(await readFile(join(dir, 'model.onnx'))), { shownPath: `${name}/model.onnx` });
      const reference = await readTable([join(dir, 'reference-predictions.csv')]);
      const rows = all(reference);
      const out = await model.predict(reference, rows);
      const target = model.signature.target;
      const column = (n: string) => reference.columns.find((c) => c.name === n)!;
      if (target.task === 'regression') {
        expectClose(out, column('y_pred').numbers, 1e-5);
        return;
      }
      if (name.includes('zipmap')) expect(lines.some((l) => l.includes('ZipMap'))).toBe(true);
      const k = target.classes.length;
      target.classes.forEach((c, j) => {
        expectClose(
          rows.map((r) => out[r * k + j]!),
          column(`score:${c}`).numbers,
          1e-5,
        );
      });
      // And the labels, where no two classes tie.
      const yPred = column('y_pred');
      for (const r of rows) {
        const scores = Array.from(out.subarray(r * k, r * k + k));
        const best = scores.indexOf(Math.max(...scores));
        if (scores.filter((s) => Math.abs(s - scores[best]!) < 1e-6).length > 1) continue;
        expect(target.classes[best]).toBe(yPred.texts ? yPred.texts[r] : String(yPred.numbers[r]));
      }
    });

    test('the card signature: its target name and class order', async () => {
      if (!fixtures.includes('sklearn-logreg-zipmap')) return;
      const dir = join(FIXTURES, 'sklearn-logreg-zipmap');
      const signature: Partial<ModelSignature> = { target: { name: 'species', task: 'classification', classes: ['2', '0', '1'] } };
      const { model } = await open(new Uint8Array(await readFile(join(dir, 'model.onnx'))), { signature });
      const reference = await readTable([join(dir, 'reference-predictions.csv')]);
      const out = await model.predict(reference, [0]);
      const score = (c: string) => reference.columns.find((col) => col.name === `score:${c}`)!.numbers[0]!;
      expectClose(out, [score('2'), score('0'), score('1')], 1e-5);
      expect(model.signature.target).toEqual({ name: 'species', task: 'classification', classes: ['2', '0', '1'] });
    });
  });
});
